#ifndef AEGISH_CSHA256_H
#define AEGISH_CSHA256_H
// SHA-256 from OpenSSL's libcrypto (Debian: libssl-dev), for the audit log's hash chain, binary
// pins and the scan cache. A C shim because the shell links no Foundation, and with it no
// swift-crypto; libcrypto is linked statically and only its SHA-256 objects are pulled in.
#include <stddef.h>

/// Room for OpenSSL's SHA256_CTX (checked at compile time in sha256.c).
typedef struct { unsigned long long opaque[16]; } aegish_sha256_ctx;

void aegish_sha256_init(aegish_sha256_ctx *ctx);
void aegish_sha256_update(aegish_sha256_ctx *ctx, const void *data, size_t len);
/// Writes the 32-byte digest to `out`.
void aegish_sha256_final(aegish_sha256_ctx *ctx, unsigned char out[32]);

#endif

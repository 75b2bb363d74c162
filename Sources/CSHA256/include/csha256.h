#ifndef AEGISH_CSHA256_H
#define AEGISH_CSHA256_H
// SHA-256 from libmd (Debian: libmd-dev, which libbsd-dev already brings for the static link),
// for the audit log's hash chain, binary pins and the scan cache. A C shim because the shell
// links no Foundation, and with it no swift-crypto. Not OpenSSL's libcrypto: its constructor
// runs CPUID probes at every process start (~20-40 µs in a VM, measured), which every shell
// start would pay for a hash most commands never compute; libmd has no constructor. The cost is
// throughput (~250 MB/s here against ~1.8 GB/s with SHA-NI), which matters only for
// `aegishctl log verify` on large logs and for sha256-pinned binaries (docs/BENCHMARKS.md).
#include <stddef.h>

/// Room for libmd's SHA2_CTX (checked at compile time in sha256.c).
typedef struct { unsigned long long opaque[32]; } aegish_sha256_ctx;

void aegish_sha256_init(aegish_sha256_ctx *ctx);
void aegish_sha256_update(aegish_sha256_ctx *ctx, const void *data, size_t len);
/// Writes the 32-byte digest to `out`.
void aegish_sha256_final(aegish_sha256_ctx *ctx, unsigned char out[32]);

#endif

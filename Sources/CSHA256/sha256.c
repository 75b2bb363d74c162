// OpenSSL 3 marks the SHA256_* functions deprecated in favour of EVP, whose provider machinery
// would pull most of libcrypto into a static binary for one hash; the direct functions remain
// supported and are what a fixed-algorithm caller needs.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#include "csha256.h"

_Static_assert(sizeof(SHA256_CTX) <= sizeof(aegish_sha256_ctx), "aegish_sha256_ctx too small");

void aegish_sha256_init(aegish_sha256_ctx *ctx) { SHA256_Init((SHA256_CTX *)ctx); }

void aegish_sha256_update(aegish_sha256_ctx *ctx, const void *data, size_t len) {
    if (len) SHA256_Update((SHA256_CTX *)ctx, data, len);
}

void aegish_sha256_final(aegish_sha256_ctx *ctx, unsigned char out[32]) {
    SHA256_Final(out, (SHA256_CTX *)ctx);
}

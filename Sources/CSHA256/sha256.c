#include <sha2.h>
#include "csha256.h"

_Static_assert(sizeof(SHA2_CTX) <= sizeof(aegish_sha256_ctx), "aegish_sha256_ctx too small");
_Static_assert(_Alignof(SHA2_CTX) <= _Alignof(unsigned long long), "aegish_sha256_ctx under-aligned");

void aegish_sha256_init(aegish_sha256_ctx *ctx) { SHA256Init((SHA2_CTX *)ctx); }

void aegish_sha256_update(aegish_sha256_ctx *ctx, const void *data, size_t len) {
    if (len) SHA256Update((SHA2_CTX *)ctx, (const uint8_t *)data, len);
}

void aegish_sha256_final(aegish_sha256_ctx *ctx, unsigned char out[32]) {
    SHA256Final(out, (SHA2_CTX *)ctx);
}

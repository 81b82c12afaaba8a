#ifndef SELARAS_SHA256_H
#define SELARAS_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SHA-256 (FIPS 180-4), used for the content checksums of document pairs. */
typedef struct sl__sha256 {
    uint32_t h[8];
    uint64_t total;
    unsigned char block[64];
    size_t fill;
} sl__sha256;

void sl__sha256_init(sl__sha256 *c);
/* Test hook: true makes the portable code run even where the CPU has the
 * SHA extensions. */
extern bool sl__sha256_portable;
void sl__sha256_update(sl__sha256 *c, const void *data, size_t len);
void sl__sha256_final(sl__sha256 *c, unsigned char digest[32]);
/* Hex digest of a buffer into out (65 bytes with the NUL). */
void sl__sha256_hex(const void *data, size_t len, char out[65]);

#endif

#include "sha256.h"
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#include <stdatomic.h>
#define SL__SHA_NI 1
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static void compress(sl__sha256 *c, const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
    uint32_t e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = cc;
        cc = b;
        b = a;
        a = t1 + t2;
    }
    c->h[0] += a;
    c->h[1] += b;
    c->h[2] += cc;
    c->h[3] += d;
    c->h[4] += e;
    c->h[5] += f;
    c->h[6] += g;
    c->h[7] += h;
}

#ifdef SL__SHA_NI
/*
 * The same compression with the x86 SHA extensions (most CPUs since 2017):
 * a large TMX is hashed while it is imported, and this is several times
 * faster than the portable loop.  The state is kept as the instructions
 * want it, (A, B, E, F) and (C, D, G, H); each sha256rnds2 does two rounds.
 */
__attribute__((target("sha,sse4.1,ssse3"))) static void compress_ni(uint32_t h[8],
                                                                      const unsigned char *p,
                                                                      size_t blocks)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i t = _mm_loadu_si128((const __m128i *)(const void *)&h[0]);
    __m128i cdgh = _mm_loadu_si128((const __m128i *)(const void *)&h[4]);
    t = _mm_shuffle_epi32(t, 0xb1);
    cdgh = _mm_shuffle_epi32(cdgh, 0x1b);
    __m128i abef = _mm_alignr_epi8(t, cdgh, 8);
    cdgh = _mm_blend_epi16(cdgh, t, 0xf0);
    for (; blocks; blocks--, p += 64) {
        __m128i save_abef = abef, save_cdgh = cdgh, m[4];
        for (int j = 0; j < 4; j++)
            m[j] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * j)),
                                    bswap);
        for (int g = 0; g < 16; g++) {
            __m128i w = m[g % 4];
            if (g >= 4) {
                /* W[t-16] + s0(W[t-15]), + W[t-7], + s1(W[t-2]) */
                __m128i x = _mm_sha256msg1_epu32(m[g % 4], m[(g + 1) % 4]);
                x = _mm_add_epi32(x, _mm_alignr_epi8(m[(g + 3) % 4], m[(g + 2) % 4], 4));
                w = m[g % 4] = _mm_sha256msg2_epu32(x, m[(g + 3) % 4]);
            }
            __m128i k = _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)(const void *)&K[4 * g]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, k);
            k = _mm_shuffle_epi32(k, 0x0e);
            /* cdgh now holds (A, B, E, F) after two rounds, which after
             * two more is the new (C, D, G, H) */
            abef = _mm_sha256rnds2_epu32(abef, cdgh, k);
        }
        abef = _mm_add_epi32(abef, save_abef);
        cdgh = _mm_add_epi32(cdgh, save_cdgh);
    }
    t = _mm_shuffle_epi32(abef, 0x1b);
    cdgh = _mm_shuffle_epi32(cdgh, 0xb1);
    abef = _mm_blend_epi16(t, cdgh, 0xf0);
    cdgh = _mm_alignr_epi8(cdgh, t, 8);
    _mm_storeu_si128((__m128i *)(void *)&h[0], abef);
    _mm_storeu_si128((__m128i *)(void *)&h[4], cdgh);
}

static bool have_sha_ni(void)
{
    static atomic_int known = -1;
    int v = atomic_load_explicit(&known, memory_order_relaxed);
    if (v < 0) {
        unsigned a, b, c, d;
        bool ssse3_sse41 = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3) && (c & bit_SSE4_1);
        bool sha = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
        v = ssse3_sse41 && sha;
        atomic_store_explicit(&known, v, memory_order_relaxed);
    }
    return v != 0;
}
#endif

bool sl__sha256_portable = false;

/* Whole blocks straight from the input. */
static void compress_blocks(sl__sha256 *c, const unsigned char *p, size_t blocks)
{
#ifdef SL__SHA_NI
    if (!sl__sha256_portable && have_sha_ni()) {
        compress_ni(c->h, p, blocks);
        return;
    }
#endif
    for (; blocks; blocks--, p += 64)
        compress(c, p);
}

void sl__sha256_init(sl__sha256 *c)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, iv, sizeof iv);
    c->total = 0;
    c->fill = 0;
}

void sl__sha256_update(sl__sha256 *c, const void *data, size_t len)
{
    const unsigned char *p = data;
    c->total += len;
    if (c->fill == 0 && len >= 64) {
        compress_blocks(c, p, len / 64);
        p += len / 64 * 64;
        len %= 64;
    }
    while (len) {
        size_t take = 64 - c->fill < len ? 64 - c->fill : len;
        memcpy(c->block + c->fill, p, take);
        c->fill += take;
        p += take;
        len -= take;
        if (c->fill == 64) {
            compress_blocks(c, c->block, 1);
            c->fill = 0;
        }
        if (c->fill == 0 && len >= 64) {
            compress_blocks(c, p, len / 64);
            p += len / 64 * 64;
            len %= 64;
        }
    }
}

void sl__sha256_final(sl__sha256 *c, unsigned char digest[32])
{
    uint64_t bits = c->total * 8;
    unsigned char pad = 0x80;
    sl__sha256_update(c, &pad, 1);
    pad = 0;
    while (c->fill != 56)
        sl__sha256_update(c, &pad, 1);
    unsigned char len_be[8];
    for (int i = 0; i < 8; i++)
        len_be[i] = (unsigned char)(bits >> (56 - 8 * i));
    sl__sha256_update(c, len_be, 8);
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (unsigned char)(c->h[i] >> 24);
        digest[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        digest[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        digest[4 * i + 3] = (unsigned char)c->h[i];
    }
}

void sl__sha256_hex(const void *data, size_t len, char out[65])
{
    sl__sha256 c;
    unsigned char d[32];
    sl__sha256_init(&c);
    sl__sha256_update(&c, data, len);
    sl__sha256_final(&c, d);
    /* By hand: snprintf per byte cost a tenth of a bulk import. */
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[64] = '\0';
}

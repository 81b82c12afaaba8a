/*
 * gc-plain [-m MAX_MB] SRC TGT
 *
 * The alignment baseline: Gale & Church (1993) as the textbook gives it.
 * SRC and TGT hold one sentence per line (blank lines are ignored).  The
 * dynamic program fills the whole (n+1) x (m+1) matrix, a cost and a
 * back-pointer per cell, over the beads 1-1, 1-0, 0-1, 2-1, 1-2 and 2-2,
 * each charged -100 log(prior * P(|delta|)) with the length model on
 * characters (c = 1, s^2 = 6.8).  It prints the beads like `selaras align
 * --format beads` (indices, then the cost).  Memory is quadratic: when the
 * matrix would need more than MAX_MB megabytes (default 2048) it refuses
 * with exit status 3 instead of thrashing.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lines {
    size_t n, cap;
    long *len; /* characters (code points) per sentence */
};

static int read_lengths(const char *path, struct lines *out)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "gc-plain: %s: %s\n", path, strerror(errno));
        return -1;
    }
    long cur = 0;
    int c, in_line = 0;
    for (;;) {
        c = getc(f);
        if (c == '\n' || c == EOF) {
            if (in_line && cur > 0) {
                if (out->n == out->cap) {
                    size_t cap = out->cap ? out->cap * 2 : 1024;
                    long *bigger = realloc(out->len, cap * sizeof *bigger);
                    if (!bigger) {
                        fclose(f);
                        fputs("gc-plain: out of memory\n", stderr);
                        return -1;
                    }
                    out->len = bigger;
                    out->cap = cap;
                }
                out->len[out->n++] = cur;
            }
            cur = 0;
            in_line = 0;
            if (c == EOF)
                break;
            continue;
        }
        in_line = 1;
        if ((c & 0xC0) != 0x80 && c != '\r')
            cur++;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "gc-plain: %s: read error\n", path);
        return -1;
    }
    return 0;
}

/* Two-sided tail probability 2 (1 - Phi(z)) for z >= 0, by the polynomial
 * approximation of Abramowitz & Stegun 26.2.17 (the one Gale & Church used). */
static double two_tail(double z)
{
    double t = 1.0 / (1.0 + 0.2316419 * z);
    double poly = t * (0.319381530 +
                       t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
    return 2.0 * 0.3989422804014327 * exp(-z * z / 2.0) * poly;
}

enum { B11, B10, B01, B21, B12, B22, N_BEADS };
static const int bead_src[N_BEADS] = {1, 1, 0, 2, 1, 2};
static const int bead_tgt[N_BEADS] = {1, 0, 1, 1, 2, 2};
/* Gale & Church's priors; 1-0 and 0-1 share 0.0099, 2-1 and 1-2 share 0.089. */
static const double bead_prior[N_BEADS] = {0.89, 0.0099 / 2, 0.0099 / 2, 0.089 / 2, 0.089 / 2, 0.011};

static double bead_cost(int kind, long l1, long l2)
{
    const double c = 1.0, s2 = 6.8;
    double p = 1.0;
    if (l1 > 0 || l2 > 0) {
        double x = (double)l1, y = (double)l2;
        double mean = (x + y / c) / 2.0;
        double z = fabs((c * x - y) / sqrt(s2 * (mean > 0 ? mean : 1.0)));
        p = two_tail(z);
        if (p < 1e-300)
            p = 1e-300;
    }
    return -100.0 * log(bead_prior[kind] * p);
}

int main(int argc, char **argv)
{
    double max_mb = 2048;
    int a = 1;
    if (argc > 2 && strcmp(argv[1], "-m") == 0) {
        max_mb = atof(argv[2]);
        a = 3;
    }
    if (argc - a != 2) {
        fputs("usage: gc-plain [-m MAX_MB] SRC TGT\n", stderr);
        return 2;
    }
    struct lines s = {0}, t = {0};
    if (read_lengths(argv[a], &s) != 0 || read_lengths(argv[a + 1], &t) != 0) {
        free(s.len);
        free(t.len);
        return 1;
    }
    size_t n = s.n, m = t.n, w = m + 1;
    double cells = (double)(n + 1) * (double)(m + 1);
    double need_mb = cells * (sizeof(double) + 1) / (1024.0 * 1024.0);
    if (need_mb > max_mb) {
        fprintf(stderr, "gc-plain: %zu x %zu sentences need %.0f MB, over the %.0f MB cap\n", n, m,
                need_mb, max_mb);
        free(s.len);
        free(t.len);
        return 3;
    }
    double *cost = malloc((size_t)cells * sizeof *cost);
    unsigned char *bp = malloc((size_t)cells);
    if (!cost || !bp) {
        fputs("gc-plain: out of memory\n", stderr);
        free(cost);
        free(bp);
        free(s.len);
        free(t.len);
        return 1;
    }

    for (size_t i = 0; i <= n; i++) {
        for (size_t j = 0; j <= m; j++) {
            double best = i == 0 && j == 0 ? 0.0 : DBL_MAX;
            unsigned char kind = N_BEADS;
            for (int k = 0; k < N_BEADS; k++) {
                size_t di = (size_t)bead_src[k], dj = (size_t)bead_tgt[k];
                if (i < di || j < dj)
                    continue;
                double prev = cost[(i - di) * w + (j - dj)];
                if (prev == DBL_MAX)
                    continue;
                long l1 = 0, l2 = 0;
                for (size_t x = 0; x < di; x++)
                    l1 += s.len[i - 1 - x];
                for (size_t y = 0; y < dj; y++)
                    l2 += t.len[j - 1 - y];
                double v = prev + bead_cost(k, l1, l2);
                if (v < best) {
                    best = v;
                    kind = (unsigned char)k;
                }
            }
            cost[i * w + j] = best;
            bp[i * w + j] = kind;
        }
    }

    /* Trace back into a bead list, then print it in order. */
    size_t nb = 0, i = n, j = m;
    size_t *path = malloc((n + m + 1) * sizeof *path);
    if (!path) {
        fputs("gc-plain: out of memory\n", stderr);
        free(cost);
        free(bp);
        free(s.len);
        free(t.len);
        return 1;
    }
    while (i > 0 || j > 0) {
        int k = bp[i * w + j];
        path[nb++] = i * w + j;
        i -= (size_t)bead_src[k];
        j -= (size_t)bead_tgt[k];
    }
    int status = 0;
    while (nb > 0) {
        size_t cell = path[--nb];
        int k = bp[cell];
        size_t ei = cell / w, ej = cell % w;
        size_t si = ei - (size_t)bead_src[k], sj = ej - (size_t)bead_tgt[k];
        for (size_t x = si; x < ei; x++)
            printf(x > si ? ",%zu" : "%zu", x);
        putchar('\t');
        for (size_t y = sj; y < ej; y++)
            printf(y > sj ? ",%zu" : "%zu", y);
        printf("\t%.2f\n", cost[cell] - cost[si * w + sj]);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("gc-plain: write error\n", stderr);
        status = 1;
    }
    free(path);
    free(cost);
    free(bp);
    free(s.len);
    free(t.len);
    return status;
}

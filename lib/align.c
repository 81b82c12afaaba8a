/*
 * Sentence alignment after Gale & Church (1993), "A program for aligning
 * sentences in bilingual corpora": dynamic programming over bead types with
 * a cost built only from sentence lengths.
 *
 * Memory stays linear in the number of sentences: the DP keeps one
 * back-pointer byte per cell of a band around the diagonal (later around
 * the best path found so far): at most SL__ALIGN_CELL_BUDGET cells, plus one
 * per target sentence once the band follows a path, plus whatever a very
 * lopsided pair (m/n in the hundreds) needs just to connect its corners.
 * Besides that: three rows of costs, a cost table of at most 8 MiB and a
 * few words per sentence.  See align_span().
 */
#include "internal.h"
#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sl_alignment {
    sl_bead *beads;
    size_t n;
};

sl_status sl__alignment_from_beads(const sl_bead *beads, size_t n, sl_alignment **out,
                                   sl_error *err)
{
    sl_alignment *a = calloc(1, sizeof *a);
    if (!a)
        return sl__nomem(err);
    if (n) {
        a->beads = malloc(n * sizeof *a->beads);
        if (!a->beads) {
            free(a);
            return sl__nomem(err);
        }
        memcpy(a->beads, beads, n * sizeof *beads);
    }
    a->n = n;
    *out = a;
    return SL_OK;
}

/* Variance of target characters per source character (Gale & Church). */
#define GC_S2 6.8
/* Back-pointer cells (one byte each) the band may grow to: 64 MiB. */
#define SL__ALIGN_CELL_BUDGET ((size_t)1 << 26)
/* Most DP passes over one span (each re-centres or widens the band). */
#define MAX_PASSES 16
/* Side of the table of length costs: bead lengths below this are looked up. */
#define COST_TABLE_MAX 1024

/* Bead types with their step on each side and prior probability (the
 * paper's: 1-0 and 0-1 share 0.0099, 2-1 and 1-2 share 0.089). */
enum { BEAD_NONE = 255 };
static const struct bead_kind {
    unsigned char ds, dt;
    double prior;
} bead_kinds[] = {
    {1, 1, 0.89}, /* first: wins ties */
    {1, 0, 0.0099 / 2}, {0, 1, 0.0099 / 2}, {2, 1, 0.089 / 2}, {1, 2, 0.089 / 2}, {2, 2, 0.011},
};
#define N_KINDS (sizeof bead_kinds / sizeof bead_kinds[0])

/* The length model of one alignment. */
struct gc {
    double c;                /* target characters per source character */
    double nlprior[N_KINDS]; /* -log prior of each bead kind */
    /* -log P(delta) for lengths (s, t) at tab[s * tab_t + t], filled on first
     * use; 0 means not yet computed (a true 0 is merely recomputed) */
    double *tab;
    size_t tab_s, tab_t;
};

/*
 * Test hook: when set to k > 0, the k-th allocation sl_align makes from then
 * on fails (the hook is then back at 0), so the tests can walk every
 * out-of-memory path.  Only tests set it, and they clear it afterwards.
 */
size_t sl__align_fail_alloc;

static bool alloc_fails(void)
{
    return sl__align_fail_alloc && --sl__align_fail_alloc == 0;
}

static void *xmalloc(size_t size)
{
    return alloc_fails() ? NULL : malloc(size);
}

static void *xcalloc(size_t n, size_t size)
{
    return alloc_fails() ? NULL : calloc(n, size);
}

/* Unicode code points of a UTF-8 string: count the non-continuation bytes. */
static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/*
 * The probability that a length discrepancy at least this large arises
 * between true translations: 2*(1 - Phi(|delta|)), written as
 * erfc(|delta|/sqrt 2) so that it keeps precision far out in the tail.
 * delta = (l2 - c*l1) / sqrt(s2 * mean), mean being the average of the two
 * lengths in source units, as in the paper's program.
 */
static double length_prob(size_t s, size_t t, double c)
{
    double l1 = (double)s, l2 = (double)t;
    double mean = (l1 + l2 / c) / 2;
    if (mean <= 0)
        return 1.0; /* two empty sides: nothing to disagree about */
    double delta = (l2 - c * l1) / sqrt(GC_S2 * mean);
    return erfc(fabs(delta) / sqrt(2.0));
}

/* -log P(delta), floored so that log never sees 0. */
static double length_cost(struct gc *g, size_t s, size_t t)
{
    /* A sentence without a counterpart has no length to disagree with.  The
     * paper's program charges it as a pair with an empty side, a cost that
     * grows with the sentence, so a long unmatched sentence was always merged
     * into a wrong 2-1 bead instead; a flat charge of a typical discrepancy
     * (|delta| of about 1) lets the prior decide. */
    if (s == 0 || t == 0)
        return 1.0;
    double *slot = s < g->tab_s && t < g->tab_t ? &g->tab[s * g->tab_t + t] : NULL;
    if (slot && *slot != 0)
        return *slot;
    double p = length_prob(s, t, g->c);
    double cost = -log(p > DBL_MIN ? p : DBL_MIN);
    if (slot)
        *slot = cost;
    return cost;
}

/*
 * The band for one span of n source (rows) by m target (columns) sentences:
 * row i holds columns lo[i] .. lo[i] + width - 1, its back pointers at
 * bp[off[i] .. off[i+1]).  Two properties keep every cell reachable from
 * (0,0), and so give (n, m) a path: lo never decreases from one row to the
 * next, and each row starts no further right than the previous row ends
 * (then (i, lo[i]) follows (i-1, lo[i]) by a 1-0 bead, and the rest of the
 * row by 0-1 beads).
 */
struct band {
    size_t n, m;
    size_t *lo;    /* n + 1 */
    size_t *off;   /* n + 2 */
    size_t widest; /* longest row, for the cost rows */
};

static size_t band_hi(const struct band *b, size_t i)
{
    return b->lo[i] + (b->off[i + 1] - b->off[i]) - 1;
}

/* Give row i the columns [first - w, last + w] (clamped to the matrix);
 * false if the offsets would overflow. */
static bool band_row(struct band *b, size_t i, size_t first, size_t last, size_t w,
                     size_t *total)
{
    size_t lo = first > w ? first - w : 0;
    size_t hi = b->m - last > w ? last + w : b->m;
    size_t width = hi - lo + 1;
    if (width > SIZE_MAX - *total)
        return false;
    b->lo[i] = lo;
    b->off[i] = *total;
    *total += width;
    if (width > b->widest)
        b->widest = width;
    return true;
}

/* The band of half-width w around the diagonal j = i*m/n (w >= m/n + 1, so
 * that consecutive rows overlap). */
static bool band_diagonal(struct band *b, size_t w)
{
    size_t total = 0;
    b->widest = 0;
    for (size_t i = 0; i <= b->n; i++) {
        uint64_t first = (uint64_t)i * b->m / b->n;
        uint64_t last = ((uint64_t)i * b->m + b->n - 1) / b->n;
        if (!band_row(b, i, (size_t)first, (size_t)last, w, &total))
            return false;
    }
    b->off[b->n + 1] = total;
    return true;
}

/*
 * The band of half-width w (>= 2) around a path, given as its beads
 * (offsets src_off, tgt_off).  A row that the path skips inside a 2-x bead
 * takes the bead's starting column.  Along a path the first column of a row
 * is the last of the row above plus 0 to 2, which keeps the rows
 * overlapping.
 */
static bool band_around(struct band *b, size_t w, const sl_bead *beads, size_t nb,
                        size_t src_off, size_t tgt_off)
{
    /* first the path's column range per row: first in lo[], last in off[];
     * each bead marks its starting cell (and the row it skips), the end
     * marks (n, m); columns only grow along the path */
    for (size_t i = 0; i <= b->n; i++)
        b->lo[i] = SIZE_MAX;
    for (size_t k = 0; k <= nb; k++) {
        size_t i = k < nb ? beads[k].src_start - src_off : b->n;
        size_t j = k < nb ? beads[k].tgt_start - tgt_off : b->m;
        size_t rows = k < nb && beads[k].src_count == 2 ? 2 : 1;
        for (size_t r = 0; r < rows; r++) {
            if (b->lo[i + r] == SIZE_MAX)
                b->lo[i + r] = j;
            b->off[i + r] = j;
        }
    }
    /* off[i] is read (the path's last column) before it is overwritten */
    size_t total = 0;
    b->widest = 0;
    for (size_t i = 0; i <= b->n; i++)
        if (!band_row(b, i, b->lo[i], b->off[i], w, &total))
            return false;
    b->off[b->n + 1] = total;
    return true;
}

/* Cost of the cell (i, j) from the rolling rows, infinite outside the band. */
static double cell_cost(const struct band *b, double *const rows[3], size_t i, size_t j)
{
    if (j < b->lo[i] || j > band_hi(b, i))
        return INFINITY;
    return rows[i % 3][j - b->lo[i]];
}

/* Total length of the ds sentences of l1 before i and the dt of l2 before j. */
static void bead_lengths(const struct bead_kind *k, const size_t *l1, const size_t *l2,
                         size_t i, size_t j, size_t *s, size_t *t)
{
    *s = (k->ds > 0 ? l1[i - 1] : 0) + (k->ds > 1 ? l1[i - 2] : 0);
    *t = (k->dt > 0 ? l2[j - 1] : 0) + (k->dt > 1 ? l2[j - 2] : 0);
}

/*
 * Fill the back pointers of the band: bp[cell] is the index in bead_kinds of
 * the last bead of the cheapest path from (0,0) to the cell.  Returns the
 * cost of the best path to (n, m).
 */
static double band_dp(const struct band *b, const size_t *l1, const size_t *l2, struct gc *g,
                      double *const rows[3], unsigned char *bp)
{
    for (size_t i = 0; i <= b->n; i++) {
        size_t lo = b->lo[i], hi = band_hi(b, i);
        double *cur = rows[i % 3];
        unsigned char *bprow = bp + b->off[i];
        for (size_t j = lo; j <= hi; j++) {
            if (i == 0 && j == 0) {
                cur[0] = 0;
                bprow[0] = BEAD_NONE;
                continue;
            }
            double best = INFINITY;
            unsigned char arg = BEAD_NONE;
            for (size_t k = 0; k < N_KINDS; k++) {
                const struct bead_kind *kind = &bead_kinds[k];
                if (i < kind->ds || j < kind->dt)
                    continue;
                double prev = cell_cost(b, rows, i - kind->ds, j - kind->dt);
                if (prev == INFINITY)
                    continue;
                size_t s, t;
                bead_lengths(kind, l1, l2, i, j, &s, &t);
                double cand = prev + g->nlprior[k] + length_cost(g, s, t);
                if (cand < best) {
                    best = cand;
                    arg = (unsigned char)k;
                }
            }
            cur[j - lo] = best;
            bprow[j - lo] = arg;
        }
    }
    return rows[b->n % 3][b->m - b->lo[b->n]];
}

/*
 * Walk the back pointers from (n, m) and write the beads (in order) at
 * beads[*nb...].  Returns true when the path comes within a cell of an edge
 * of the band that is not the edge of the matrix: a hint that a wider or
 * shifted band could find a cheaper path.
 *
 * Bead score: for a bead with sentences on both sides, the probability term
 * of its length discrepancy, 2*(1 - Phi(|delta|)) -- 1.0 for lengths in
 * exactly the expected ratio, falling towards 0 as the ratio becomes
 * implausible.  A 1-0 or 0-1 bead pairs nothing, so it scores 0.
 */
static bool band_trace(const struct band *b, const unsigned char *bp, const size_t *l1,
                       const size_t *l2, double c, size_t src_off, size_t tgt_off,
                       sl_bead *beads, size_t *nb)
{
    size_t i = b->n, j = b->m, start = *nb;
    bool edge = false;
    while (i > 0 || j > 0) {
        size_t lo = b->lo[i], hi = band_hi(b, i);
        if ((lo > 0 && j <= lo + 1) || (hi < b->m && j + 1 >= hi))
            edge = true;
        unsigned char kind = bp[b->off[i] + (j - lo)];
        assert(kind < N_KINDS); /* every cell of the band is reachable */
        const struct bead_kind *k = &bead_kinds[kind];
        size_t s, t;
        bead_lengths(k, l1, l2, i, j, &s, &t);
        i -= k->ds;
        j -= k->dt;
        beads[(*nb)++] = (sl_bead){
            .src_start = src_off + i,
            .src_count = k->ds,
            .tgt_start = tgt_off + j,
            .tgt_count = k->dt,
            .score = k->ds && k->dt ? length_prob(s, t, c) : 0.0,
        };
    }
    for (size_t x = start, y = *nb; x + 1 < y; x++, y--) {
        sl_bead tmp = beads[x];
        beads[x] = beads[y - 1];
        beads[y - 1] = tmp;
    }
    return edge;
}

/*
 * Align l1[0..n) with l2[0..m) (sentence offsets src_off, tgt_off) and
 * append the beads to beads[*nb...].
 *
 * The first band is centred on the diagonal, as wide as the back pointers
 * allow within SL__ALIGN_CELL_BUDGET bytes, and at least m/n + 1 so that
 * consecutive rows overlap.  While the best path presses against an edge
 * of the band, the span is aligned again in a band centred on that path,
 * twice as wide up to the cap: the band follows the path towards a large
 * insertion or deletion instead of growing to n*m.  A new band contains the
 * old path, so the cost never rises.  Passes go on while the path touches
 * an edge or the last pass lowered the cost (the old band was in the way),
 * at full width only while both hold, and at most MAX_PASSES times.
 */
static sl_status align_span(const size_t *l1, size_t n, const size_t *l2, size_t m,
                            struct gc *g, size_t src_off, size_t tgt_off, sl_bead *beads,
                            size_t *nb, sl_error *err)
{
    if (n == 0 || m == 0) {
        /* nothing to pair: every sentence stands alone */
        for (size_t i = 0; i < n; i++)
            beads[(*nb)++] = (sl_bead){src_off + i, 1, tgt_off, 0, 0.0};
        for (size_t j = 0; j < m; j++)
            beads[(*nb)++] = (sl_bead){src_off + n, 0, tgt_off + j, 1, 0.0};
        return SL_OK;
    }

    sl_status st = SL_OK;
    struct band b = {.n = n, .m = m};
    double *rows[3] = {NULL, NULL, NULL};
    unsigned char *bp = NULL;

    size_t per_row = SL__ALIGN_CELL_BUDGET / (n + 1);
    size_t w_max = per_row > 2 ? (per_row - 2) / 2 : 0;
    size_t w_conn = (m + n - 1) / n + 1;
    /* Start as wide as the memory budget allows: a short document is then
     * aligned exactly over the whole matrix, and a long one gets the widest
     * band before any re-centring is needed. */
    size_t w = w_max;
    if (w < w_conn)
        w = w_conn;
    if (w_max < w)
        w_max = w;

    b.lo = xmalloc((n + 1) * sizeof *b.lo);
    b.off = xmalloc((n + 2) * sizeof *b.off);
    if (!b.lo || !b.off || !band_diagonal(&b, w)) {
        st = sl__nomem(err);
        goto cleanup;
    }
    double prev_cost = INFINITY;
    for (size_t pass = 1;; pass++) {
        free(bp);
        bp = xmalloc(b.off[n + 1]);
        for (size_t r = 0; r < 3; r++) {
            free(rows[r]);
            rows[r] = b.widest <= SIZE_MAX / sizeof **rows ? xmalloc(b.widest * sizeof **rows)
                                                           : NULL;
        }
        if (!bp || !rows[0] || !rows[1] || !rows[2]) {
            st = sl__nomem(err);
            goto cleanup;
        }
        double cost = band_dp(&b, l1, l2, g, rows, bp);
        size_t start = *nb;
        bool edge = band_trace(&b, bp, l1, l2, g->c, src_off, tgt_off, beads, nb);
        bool improved = cost < prev_cost - 1e-9 * (1 + fabs(cost));
        /* go on while the path presses on an edge or the last widening
         * paid off; at full width only while both hold */
        bool again = pass == 1 ? edge : edge || improved;
        if (w == w_max)
            again = edge && improved;
        if (!again || pass == MAX_PASSES)
            break;
        prev_cost = cost;
        w = w > w_max / 2 ? w_max : 2 * w;
        if (!band_around(&b, w, beads + start, *nb - start, src_off, tgt_off)) {
            st = sl__nomem(err);
            goto cleanup;
        }
        *nb = start;
    }

cleanup:
    free(bp);
    for (size_t r = 0; r < 3; r++)
        free(rows[r]);
    free(b.lo);
    free(b.off);
    return st;
}

/* Lengths in code points of every sentence, their total and the longest. */
static size_t *sentence_lengths(const sl_sentences *s, double *total, size_t *longest)
{
    size_t n = sl_sentences_count(s);
    size_t *l = xmalloc((n ? n : 1) * sizeof *l);
    if (!l)
        return NULL;
    *total = 0;
    *longest = 0;
    for (size_t i = 0; i < n; i++) {
        l[i] = utf8_chars(sl_sentences_text(s, i), sl_sentences_length(s, i));
        *total += (double)l[i];
        if (l[i] > *longest)
            *longest = l[i];
    }
    return l;
}

static size_t paragraph_count(const sl_sentences *s)
{
    size_t n = sl_sentences_count(s);
    return n ? sl_sentences_paragraph(s, n - 1) + 1 : 0;
}

/* Table side for bead lengths up to two of the longest sentence. */
static size_t table_side(size_t longest)
{
    return longest < COST_TABLE_MAX / 2 ? 2 * longest + 1 : COST_TABLE_MAX;
}

sl_status sl_align(const sl_sentences *src, const sl_sentences *tgt, sl_alignment **out,
                   sl_error *err)
{
    if (!src || !tgt || !out)
        return sl_error_set(err, SL_USAGE, "sl_align: NULL argument");
    *out = NULL;

    sl_status st = SL_OK;
    size_t *l1 = NULL, *l2 = NULL;
    sl_bead *beads = NULL;
    sl_alignment *a = NULL;
    struct gc g = {.tab = NULL};
    size_t n = sl_sentences_count(src), m = sl_sentences_count(tgt), nb = 0;
    double total1, total2;
    size_t longest1, longest2;

    l1 = sentence_lengths(src, &total1, &longest1);
    l2 = sentence_lengths(tgt, &total2, &longest2);
    /* every bead takes at least one sentence */
    beads = xmalloc((n + m ? n + m : 1) * sizeof *beads);
    a = xcalloc(1, sizeof *a);
    if (!l1 || !l2 || !beads || !a) {
        st = sl__nomem(err);
        goto cleanup;
    }

    /* Target characters per source character, from the pair itself. */
    g.c = total1 > 0 && total2 > 0 ? total2 / total1 : 1.0;
    for (size_t k = 0; k < N_KINDS; k++)
        g.nlprior[k] = -log(bead_kinds[k].prior);
    if (n && m) {
        /* calloc: zero pages cost nothing until the DP touches them */
        g.tab_s = table_side(longest1);
        g.tab_t = table_side(longest2);
        g.tab = xcalloc(g.tab_s * g.tab_t, sizeof *g.tab);
        if (!g.tab) {
            st = sl__nomem(err);
            goto cleanup;
        }
    }

    size_t paras = paragraph_count(src);
    if (paras > 1 && paras == paragraph_count(tgt)) {
        /* Same paragraph structure on both sides: trust it, and align
         * paragraph p with paragraph p so no bead crosses a boundary. */
        size_t i = 0, j = 0;
        for (size_t p = 0; p < paras; p++) {
            size_t i_end = i, j_end = j;
            while (i_end < n && sl_sentences_paragraph(src, i_end) == p)
                i_end++;
            while (j_end < m && sl_sentences_paragraph(tgt, j_end) == p)
                j_end++;
            st = align_span(l1 + i, i_end - i, l2 + j, j_end - j, &g, i, j, beads, &nb, err);
            if (st != SL_OK)
                goto cleanup;
            i = i_end;
            j = j_end;
        }
    } else {
        st = align_span(l1, n, l2, m, &g, 0, 0, beads, &nb, err);
        if (st != SL_OK)
            goto cleanup;
    }

    if (nb) {
        sl_bead *shrunk = alloc_fails() ? NULL : realloc(beads, nb * sizeof *beads);
        a->beads = shrunk ? shrunk : beads;
    } else {
        free(beads);
    }
    beads = NULL;
    a->n = nb;
    *out = a;
    a = NULL;

cleanup:
    free(l1);
    free(l2);
    free(beads);
    free(g.tab);
    free(a);
    return st;
}

void sl_alignment_free(sl_alignment *a)
{
    if (!a)
        return;
    free(a->beads);
    free(a);
}

size_t sl_alignment_count(const sl_alignment *a)
{
    return a ? a->n : 0;
}

const sl_bead *sl_alignment_bead(const sl_alignment *a, size_t i)
{
    return a && i < a->n ? &a->beads[i] : NULL;
}

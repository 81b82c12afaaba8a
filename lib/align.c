/*
 * Sentence alignment after Gale & Church (1993), "A program for aligning
 * sentences in bilingual corpora": dynamic programming over bead types with
 * a cost built from sentence lengths, plus lexical anchors that need no
 * resources (numbers, names, cognate stems, punctuation; see "Lexical
 * anchors" below).  Word associations are then learned from that first
 * alignment (see assoc_learn()), the bead priors and the length variance
 * re-estimated from it, and the document is aligned again (see
 * reestimate_priors()).
 *
 * Memory stays linear in the number of sentences: the DP keeps one
 * back-pointer byte per cell of a band around the diagonal (later around
 * the best path found so far): at most SL__ALIGN_CELL_BUDGET cells, plus one
 * per target sentence once the band follows a path, plus whatever a very
 * lopsided pair (m/n in the hundreds) needs just to connect its corners.
 * Besides that: three rows of costs, a cost table of at most 8 MiB, a
 * few words per sentence and one small record per anchor.  See
 * align_span().
 */
#include "internal.h"
#include "lexicon-internal.h"
#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
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
/* Half-width of the first (length-only) band at most: the full budget
 * made that pass most of the time at 10k sentences, and a path that
 * strays further presses on an edge and gets a band around itself. */
#define FIRST_BAND_MAX 512
/* First band of a realignment around a previous path (the path moves
 * little from one round to the next), and its widest: around a long
 * untranslated stretch the re-estimated deletion prior moves the path by
 * more than 128 sentences (LibreOffice help with 300 target sentences cut:
 * capped at 128, the realignment gave up and the fresh wide alignment that
 * followed scored bead F1 0.9864 where the exhaustive DP gives 0.9950; at
 * 512 the beads are the DP's, and the evaluation sets do not change). */
#define GUIDED_BAND (LEX_BAND / 2)
#define GUIDED_BAND_MAX (16 * LEX_BAND)
/* Most DP passes over one span (each re-centres or widens the band). */
#define MAX_PASSES 16
/* Cost of a bead joining two sentences of different paragraphs when the
 * paragraphs of the two sides do not correspond one to one: about that of
 * the merge itself (-log 0.0445 = 3.1), so a break weighs like a second
 * piece of evidence. */
#define PARA_CROSS 4.0
/* Paragraphs correspond when, paragraph by paragraph, the length ratio is
 * within this factor of the document's. */
#define PARA_RATIO_TOL 2.5
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
    double s2;               /* variance of that, per source character */
    /* a realignment wanted a wider band than it may have: the path is
     * still moving, and further rounds would cost much for little */
    bool unsettled;
    /* the first band as wide as the budget allows, not FIRST_BAND_MAX */
    bool wide;
    double lex_alone; /* LEX_ALONE, or LEX_ALONE_OWN under the document's priors */
    double alone_len; /* length cost of a lone sentence: ALONE_LEN or ALONE_LEN_OWN */
    double nlprior[N_KINDS]; /* -log prior of each bead kind */
    /* -log P(delta) for lengths (s, t) at tab[s * tab_t + t], filled on first
     * use; 0 means not yet computed (a true 0 is merely recomputed) */
    double *tab;
    size_t tab_s, tab_t;
    /* paragraph of each source and target sentence, when paragraph breaks
     * count as evidence (NULL otherwise) */
    size_t *p1, *p2;
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
static double length_prob(size_t s, size_t t, double c, double s2)
{
    double l1 = (double)s, l2 = (double)t;
    double mean = (l1 + l2 / c) / 2;
    if (mean <= 0)
        return 1.0; /* two empty sides: nothing to disagree about */
    double delta = (l2 - c * l1) / sqrt(s2 * mean);
    return erfc(fabs(delta) / sqrt(2.0));
}

/* Length cost of a sentence without a counterpart (see length_cost()):
 * under the published priors the expected cost of a true pair (its
 * -log p-value averages 1), under the document's own priors none, for the
 * deletion prior then says how likely a lone sentence is, and charging it
 * a typical discrepancy as well made a short dropped sentence cheaper to
 * hide in a merge with its neighbour (means of seeds 7-9, 8%/4%, all sets
 * with the document's associations: 0.9597 -> 0.9638, FreeDict 0.9687 ->
 * 0.9723). */
#define ALONE_LEN 1.0
#define ALONE_LEN_OWN 0.0
/* Weight of the published variance when mixed with a document's own. */
#define VAR_MIX 0.1

/* -log P(delta), floored so that log never sees 0. */
static double length_cost(struct gc *g, size_t s, size_t t)
{
    /* A sentence without a counterpart has no length to disagree with.  The
     * paper's program charges it as a pair with an empty side, a cost that
     * grows with the sentence, so a long unmatched sentence was always merged
     * into a wrong 2-1 bead instead; a flat charge lets the prior decide. */
    if (s == 0 || t == 0)
        return g->alone_len;
    double *slot = s < g->tab_s && t < g->tab_t ? &g->tab[s * g->tab_t + t] : NULL;
    if (slot && *slot != 0)
        return *slot;
    double p = length_prob(s, t, g->c, g->s2);
    /* an estimated variance is mixed with the published one, whose wider
     * tails keep a true but unusually long or short translation possible */
    if (g->s2 != GC_S2)
        p = (1 - VAR_MIX) * p + VAR_MIX * length_prob(s, t, g->c, GC_S2);
    double cost = -log(p > DBL_MIN ? p : DBL_MIN);
    if (slot)
        *slot = cost;
    return cost;
}


/*
 * Lexical anchors: evidence that two sides translate each other which needs
 * no dictionary.  Numbers (separators dropped, so 1.000,5 and 1,000.5 or
 * Rp16.750 and Rp16,750 meet), names (capitalised words past the first,
 * acronyms, CamelCase), cognates (lowercased words of 5+ letters, compared
 * by their first 5 letters: militer/military, strategis/strategic) and
 * punctuation (? ! quotes, opening brackets).  Names are keyed by their
 * prefix too, so Presiden/President and Amerika/America match.
 *
 * Each sentence's anchors are extracted once, as hashed keys sorted per
 * sentence; a bead compares the multiset union of its sides by a merge.
 */
enum anchor_kind {
    ANCHOR_WEAK,
    ANCHOR_PUNCT,
    ANCHOR_NAME,
    ANCHOR_NUM,
    ANCHOR_DICT,
    ANCHOR_ASSOC,
    N_ANCHOR_KINDS
};

struct anchor {
    uint32_t key;
    unsigned char kind;
};

/* A word pair from the lexicon (dictionary or learned): a match counts
 * half as much as a name, and a source or target word whose translation
 * occurs elsewhere in the other document but not in the bead a quarter
 * (translators often choose another word).  Tuned on the synthetic sets of
 * eval/align-score.py with FreeDict: bead F1 0.9335 with (1.0, 0, 1/20),
 * 0.9389 with these, and no loss on the unperturbed sets. */
#define DICT_MATCH 0.5
#define DICT_MISS 0.25
/* A pair of words associated in the document itself (see assoc_learn())
 * weighs like a name: it was seen translating in this very text (seed 7,
 * 8%/4%, all sets: 0.9622 with the dictionary's weights, 0.9650 with these;
 * FreeDict 0.9708 -> 0.9725). */
#define ASSOC_MATCH 1.0
#define ASSOC_MISS 0.5
/* A dictionary key counts only in documents where it occurs in at most
 * max(DICT_DF_MIN, sentences / DICT_DF_DIV) sentences of each side. */
#define DICT_DF_DIV 10
#define DICT_DF_MIN 2

/* Weight of a matched anchor (by the stronger kind of the pair) and of one
 * left without a counterpart.  A cognate prefix or a sentence-initial word
 * only ever helps: most words of a translation have none.  An unmatched
 * name is weak counter-evidence (names get translated: Senin/Monday), an
 * unmatched number strong. */
static const double anchor_match_w[N_ANCHOR_KINDS] = {0.5, 0.5, 1.0, 1.0, DICT_MATCH, ASSOC_MATCH};
static const double anchor_miss_w[N_ANCHOR_KINDS] = {0.0, 0.5, 0.5, 1.0, DICT_MISS, ASSOC_MISS};
/* The largest of anchor_match_w, for pruning. */
#define MAX_MATCH_W (DICT_MATCH > ASSOC_MATCH ? DICT_MATCH : ASSOC_MATCH)
/* Cost per unit of anchor weight left unmatched in a bead, and reward per
 * unit matched.  Being additive, the cost of two 1-1 beads equals that of
 * the 2-2 bead over the same sentences unless anchors cross between them:
 * evidence moves a boundary only where it points somewhere. */
#define LEX_MISS 1.0
#define LEX_MATCH 1.0
/* Cost per unit of anchor weight in a sentence left without a counterpart:
 * lower than in a bead, so that anchors that match nothing still argue for
 * a deletion, but not nothing, so that a sentence is not dropped merely for
 * having names. */
#define LEX_ALONE 0.75
/* The same once the bead priors come from the document itself: its own
 * deletion prior then says how likely a lone sentence is, and the anchor
 * charge only has to break ties (means of seeds 7-9, PUD 8%/20% without a
 * dictionary 0.9831 -> 0.9858 / 0.9723 -> 0.9779, LibreOffice help 0.9333
 * -> 0.9336, Debian Reference 0.9574 -> 0.9598). */
#define LEX_ALONE_OWN 0.25
/* Half-width of the band in which anchors correct the length-only path. */
#define LEX_BAND 32
/* A merged sentence with at least ORPHAN_MIN numbers or dictionary words
 * of which none matches the other side costs ORPHAN_COST more (with
 * FreeDict: synthetic bead F1 0.9389 -> 0.9411, PUD 0.9752 -> 0.9885;
 * without: 0.9190 -> 0.9197). */
#define ORPHAN_MIN 1
#define ORPHAN_COST 3.0
/* Letters a word key keeps (cognates share a stem, not an ending). */
#define STEM_CHARS 5

/* The anchors of one side: sentence i's at a[off[i] .. off[i+1]), with a
 * 64-bit signature of their keys and their total weight when unmatched:
 * sides whose signatures share no bit cannot match, which spares the merge
 * for most cells of the DP. */
struct anchors {
    struct anchor *a;
    size_t *off;
    uint64_t *sig;
    double *miss;
};

static uint32_t fnv1a(uint32_t h, unsigned char c)
{
    return (h ^ c) * 16777619u;
}

#define FNV_INIT 2166136261u

static bool ascii_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool ascii_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Length of the UTF-8 sequence at s if it is a quotation mark (typographic
 * quotes and guillemets) or a dash used as a separator, else 0. */
static size_t unicode_punct(const unsigned char *s, size_t n, bool *quote)
{
    if (n >= 2 && s[0] == 0xC2 && (s[1] == 0xAB || s[1] == 0xBB)) {
        *quote = true; /* « » */
        return 2;
    }
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80) {
        unsigned char c = s[2];
        if (c >= 0x9C && c <= 0x9F) { /* “ ” „ ‟ */
            *quote = true;
            return 3;
        }
        if ((c >= 0x93 && c <= 0x95) || c == 0x98 || c == 0x99 || c == 0xA6) {
            *quote = false; /* dashes, single quotes, ellipsis: separators */
            return 3;
        }
    }
    return 0;
}

/* Whether the byte at s[i] belongs to a word: an ASCII letter or part of a
 * non-ASCII letter (anything from U+0080 but the quotes and dashes above). */
static bool word_byte(const unsigned char *s, size_t i, size_t len)
{
    bool quote;
    return ascii_alpha(s[i]) || (s[i] >= 0x80 && !unicode_punct(s + i, len - i, &quote));
}

static void put_anchor(struct anchor *out, size_t *n, uint32_t key, enum anchor_kind kind)
{
    if (out)
        out[*n] = (struct anchor){key, (unsigned char)kind};
    (*n)++;
}

/* Anchors of one sentence into out (when not NULL); returns their number. */
static size_t extract_anchors(const char *text, size_t len, struct anchor *out)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = 0, words = 0, i = 0;
    /* In a title-cased heading capitals say nothing about names. */
    size_t nw = 0, ncap = 0;
    for (size_t k = 0; k < len; k++)
        if (ascii_alpha(s[k]) && (k == 0 || s[k - 1] == ' ')) {
            nw++;
            ncap += s[k] <= 'Z';
        }
    bool title = nw >= 3 && 2 * ncap > nw;
    while (i < len) {
        unsigned char c = s[i];
        bool quote = false;
        size_t pl;
        if (ascii_digit(c)) {
            /* a digit run with '.' or ',' between digits: keep the digits */
            uint32_t h = fnv1a(FNV_INIT, '#');
            size_t digits = 0;
            while (i < len) {
                if (ascii_digit(s[i])) {
                    h = fnv1a(h, s[i++]);
                    digits++;
                } else if ((s[i] == '.' || s[i] == ',') && i + 1 < len && ascii_digit(s[i + 1])) {
                    i++;
                } else {
                    break;
                }
            }
            /* a lone digit is often spelt out on the other side */
            put_anchor(out, &n, h, digits > 1 ? ANCHOR_NUM : ANCHOR_WEAK);
        } else if (word_byte(s, i, len)) {
            uint32_t h = FNV_INIT;
            size_t chars = 0;
            bool initial_upper = c >= 'A' && c <= 'Z', inner_upper = false;
            while (i < len && word_byte(s, i, len)) {
                unsigned char d = s[i];
                if ((d & 0xC0) != 0x80)
                    chars++;
                if (chars > 1 && d >= 'A' && d <= 'Z')
                    inner_upper = true;
                if (chars <= STEM_CHARS)
                    h = fnv1a(h, d >= 'A' && d <= 'Z' ? (unsigned char)(d | 0x20) : d);
                i++;
            }
            bool first = words++ == 0;
            if (chars >= 2 && (inner_upper || (initial_upper && !first && !title)))
                put_anchor(out, &n, h, ANCHOR_NAME);
            else if (chars >= STEM_CHARS || (initial_upper && chars >= 2))
                put_anchor(out, &n, h, ANCHOR_WEAK);
        } else if ((pl = unicode_punct(s + i, len - i, &quote)) > 0) {
            if (quote)
                put_anchor(out, &n, fnv1a(FNV_INIT, '"'), ANCHOR_PUNCT);
            i += pl;
        } else {
            if (c == '?' || c == '!' || c == '"')
                put_anchor(out, &n, fnv1a(FNV_INIT, c), ANCHOR_PUNCT);
            else if (c == '(' || c == '[')
                put_anchor(out, &n, fnv1a(FNV_INIT, '('), ANCHOR_PUNCT);
            i++;
        }
    }
    return n;
}

static int anchor_cmp(const void *x, const void *y)
{
    uint32_t a = ((const struct anchor *)x)->key, b = ((const struct anchor *)y)->key;
    return (a > b) - (a < b);
}

/* Dictionary keys of the sentences of one side: sentence i's at
 * k[off[i] .. off[i+1]). */
struct dict_keys {
    uint32_t *k;
    size_t *off;
};

static void dict_keys_free(struct dict_keys *d)
{
    free(d->k);
    free(d->off);
    d->k = NULL;
    d->off = NULL;
}

static int u32_cmp(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* The words of a sentence (runs of letters, as extract_anchors() sees
 * them): calls fn for each; fn returns false to stop (out of memory). */
static bool each_word(const char *text, size_t len, bool (*fn)(const char *, size_t, void *),
                      void *data)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        if (!word_byte(s, i, len)) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && word_byte(s, i, len))
            i++;
        if (!fn(text + start, i - start, data))
            return false;
    }
    return true;
}

struct key_sink {
    const sl_lexicon *lex;
    bool target;
    bool pairs; /* the lexicon has two-word entries on this side */
    const char *prev; /* the sentence's previous word, when pairs */
    size_t prev_len;
    uint32_t *k;
    size_t n, cap;
};

static bool sink_put(struct key_sink *ks, uint32_t key)
{
    if (ks->n == ks->cap) {
        size_t cap = ks->cap ? 2 * ks->cap : 256;
        uint32_t *grown = alloc_fails() ? NULL : realloc(ks->k, cap * sizeof *grown);
        if (!grown)
            return false;
        ks->k = grown;
        ks->cap = cap;
    }
    ks->k[ks->n++] = key;
    return true;
}

static bool sink_lookup(struct key_sink *ks, const char *w, size_t len)
{
    if (ks->target) {
        uint32_t key;
        return !sl__lexicon_target(ks->lex, w, len, &key) || sink_put(ks, key);
    }
    const uint32_t *t;
    size_t n;
    if (!sl__lexicon_lookup(ks->lex, w, len, &t, &n))
        return true;
    for (size_t r = 0; r < n; r++)
        if (!sink_put(ks, t[r]))
            return false;
    return true;
}

/* A word's keys, and those of it with the word before it when the lexicon
 * has two-word entries ("rumah sakit", "a little"). */
static bool sink_word(const char *w, size_t len, void *data)
{
    struct key_sink *ks = data;
    if (!sink_lookup(ks, w, len))
        return false;
    if (!ks->pairs)
        return true;
    char pair[64];
    if (ks->prev && ks->prev_len + 1 + len < sizeof pair) {
        memcpy(pair, ks->prev, ks->prev_len);
        pair[ks->prev_len] = ' ';
        memcpy(pair + ks->prev_len + 1, w, len);
        if (!sink_lookup(ks, pair, ks->prev_len + 1 + len))
            return false;
    }
    ks->prev = w;
    ks->prev_len = len;
    return true;
}

/* Every dictionary key of every sentence of one side (source words give
 * the keys of all their translations), sorted per sentence. */
static bool dict_keys_collect(const sl_sentences *s, const sl_lexicon *lex, bool target,
                              struct dict_keys *d)
{
    size_t n = sl_sentences_count(s);
    struct key_sink ks = {lex, target, sl__lexicon_phrases(lex, target), NULL, 0, NULL, 0, 0};
    d->k = NULL;
    d->off = xmalloc((n + 1) * sizeof *d->off);
    if (!d->off)
        return false;
    for (size_t i = 0; i < n; i++) {
        d->off[i] = ks.n;
        ks.prev = NULL;
        if (!each_word(sl_sentences_text(s, i), sl_sentences_length(s, i), sink_word, &ks)) {
            free(ks.k);
            return false;
        }
        if (ks.n > d->off[i])
            qsort(ks.k + d->off[i], ks.n - d->off[i], sizeof *ks.k, u32_cmp);
    }
    d->off[n] = ks.n;
    d->k = ks.k;
    return true;
}

/* Sorts u[0..n) and keeps one of each value that occurs at most max_run
 * times, in order, with its count in runs[] when runs is not NULL; returns
 * how many were kept. */
static size_t sort_runs(uint32_t *u, size_t n, size_t max_run, uint32_t *runs)
{
    if (n > 1)
        qsort(u, n, sizeof *u, u32_cmp);
    size_t out = 0;
    for (size_t r = 0; r < n;) {
        size_t e = r;
        while (e < n && u[e] == u[r])
            e++;
        if (e - r <= max_run) {
            if (runs)
                runs[out] = (uint32_t)(e - r);
            u[out++] = u[r];
        }
        r = e;
    }
    return out;
}

/* Sorted keys that occur in at most max_df sentences of d (n sentences),
 * each once; *count of them.  NULL when out of memory. */
static uint32_t *rare_keys(const struct dict_keys *d, size_t n, size_t max_df, size_t *count)
{
    size_t total = 0;
    uint32_t *u = xmalloc((d->off[n] ? d->off[n] : 1) * sizeof *u);
    if (!u)
        return NULL;
    for (size_t i = 0; i < n; i++)
        for (size_t r = d->off[i]; r < d->off[i + 1]; r++)
            if (r == d->off[i] || d->k[r] != d->k[r - 1])
                u[total++] = d->k[r];
    *count = sort_runs(u, total, max_df, NULL);
    return u;
}

static bool key_in(const uint32_t *set, size_t n, uint32_t key)
{
    return bsearch(&key, set, n, sizeof *set, u32_cmp) != NULL;
}

/* Keep only the keys found in set (in place). */
static void dict_keys_filter(struct dict_keys *d, size_t n, const uint32_t *set, size_t nset)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        size_t start = w;
        for (size_t r = d->off[i]; r < d->off[i + 1]; r++)
            if (key_in(set, nset, d->k[r]))
                d->k[w++] = d->k[r];
        d->off[i] = start;
    }
    d->off[n] = w;
}

/* Most sentences of a document a dictionary key may occur in and still
 * count: function words (dan/and, yang/which) occur everywhere and only
 * blur the boundaries. */
static size_t max_df(size_t n)
{
    size_t m = n / DICT_DF_DIV;
    return m > DICT_DF_MIN ? m : DICT_DF_MIN;
}

/*
 * The dictionary keys of both sides, kept only where they can match: a key
 * must be a translation of some source word and the form of some target
 * word, and rare enough on both sides.
 */
static bool dict_keys_build(const sl_sentences *src, const sl_sentences *tgt,
                            const sl_lexicon *lex, struct dict_keys *d1, struct dict_keys *d2)
{
    size_t n = sl_sentences_count(src), m = sl_sentences_count(tgt), c1 = 0, c2 = 0;
    if (!dict_keys_collect(src, lex, false, d1) || !dict_keys_collect(tgt, lex, true, d2))
        return false;
    uint32_t *r1 = rare_keys(d1, n, max_df(n), &c1);
    uint32_t *r2 = r1 ? rare_keys(d2, m, max_df(m), &c2) : NULL;
    if (!r2) {
        free(r1);
        return false;
    }
    size_t both = 0;
    for (size_t a = 0, b = 0; a < c1 && b < c2;) {
        if (r1[a] == r2[b]) {
            r1[both++] = r1[a];
            a++;
            b++;
        } else if (r1[a] < r2[b]) {
            a++;
        } else {
            b++;
        }
    }
    dict_keys_filter(d1, n, r1, both);
    dict_keys_filter(d2, m, r1, both);
    free(r1);
    free(r2);
    return true;
}

/*
 * Word associations learned from the document itself, as hunalign builds
 * its dictionary from a first pass: words that keep turning up in the two
 * halves of the same 1-1 beads of the first alignment (Dice coefficient
 * of their bead frequencies) are paired by competitive linking, each word
 * with at most one, and then count as dictionary words.  Software help
 * repeats its vocabulary (Contoh/Example, Fungsi/Function) and a pair seen
 * a few times already tells a sentence with a translation from one without.
 */
/* Most word pairs counted, 8 bytes each: a longer document is sampled. */
#define ASSOC_PAIR_BUDGET ((size_t)1 << 22)
/* Beads a pair must share, and its least Dice coefficient. */
#define ASSOC_MIN_COUNT 2
#define ASSOC_MIN_DICE 0.5
/* Words in more than this share of the beads are left out.  Laxer than
 * the dictionary's DICT_DF_DIV: a frequent word links only to a partner
 * about as frequent (Fungsi/Function all over the Basic help), where a
 * dictionary would give it all its translations (seeds 7, 8, 9, all sets:
 * a tenth 0.9650, 0.9666, 0.9659, a fifth 0.9659, 0.9674, 0.9679;
 * FreeDict 0.9725, 0.9748, 0.9727 -> 0.9727, 0.9759, 0.9740). */
#define ASSOC_DF_DIV 5
/* Learn only from a first alignment with at least this many 1-1 beads. */
#define ASSOC_MIN_BEADS 50

/* Test hook: when true, no associations are learned. */
bool sl__align_no_assoc;

static bool sink_word_key(const char *w, size_t len, void *data)
{
    struct key_sink *ks = data;
    if (len < 2)
        return true;
    uint32_t h = FNV_INIT;
    for (size_t r = 0; r < len; r++) {
        unsigned char d = (unsigned char)w[r];
        h = fnv1a(h, d >= 'A' && d <= 'Z' ? (unsigned char)(d | 0x20) : d);
    }
    return sink_put(ks, h);
}

/* The distinct lowercased words of every sentence of one side, as hashed
 * keys sorted per sentence. */
static bool word_keys_collect(const sl_sentences *s, struct dict_keys *d)
{
    size_t n = sl_sentences_count(s);
    struct key_sink ks = {0};
    d->k = NULL;
    d->off = xmalloc((n + 1) * sizeof *d->off);
    if (!d->off)
        return false;
    for (size_t i = 0; i < n; i++) {
        size_t start = ks.n;
        d->off[i] = start;
        if (!each_word(sl_sentences_text(s, i), sl_sentences_length(s, i), sink_word_key, &ks)) {
            free(ks.k);
            return false;
        }
        if (ks.n - start > 1) {
            qsort(ks.k + start, ks.n - start, sizeof *ks.k, u32_cmp);
            size_t w = start + 1;
            for (size_t r = start + 1; r < ks.n; r++)
                if (ks.k[r] != ks.k[w - 1])
                    ks.k[w++] = ks.k[r];
            ks.n = w;
        }
    }
    d->off[n] = ks.n;
    d->k = ks.k;
    return true;
}

/* Distinct keys of the given sentences with the number of sentences each
 * occurs in: keys[0..*count) sorted, df[] beside them. */
static bool key_counts(const struct dict_keys *w, const size_t *which, size_t nwhich,
                       uint32_t **keys, uint32_t **df, size_t *count)
{
    size_t total = 0;
    for (size_t r = 0; r < nwhich; r++)
        total += w->off[which[r] + 1] - w->off[which[r]];
    uint32_t *u = xmalloc((total ? total : 1) * sizeof *u);
    uint32_t *c = xmalloc((total ? total : 1) * sizeof *c);
    if (!u || !c) {
        free(u);
        free(c);
        return false;
    }
    size_t k = 0;
    for (size_t r = 0; r < nwhich; r++)
        for (size_t q = w->off[which[r]]; q < w->off[which[r] + 1]; q++)
            u[k++] = w->k[q];
    size_t out = sort_runs(u, total, SIZE_MAX, c);
    *keys = u;
    *df = c;
    *count = out;
    return true;
}

/* Index of key in the sorted keys[0..n), or SIZE_MAX. */
static size_t key_index(const uint32_t *keys, size_t n, uint32_t key)
{
    const uint32_t *p = bsearch(&key, keys, n, sizeof *keys, u32_cmp);
    return p ? (size_t)(p - keys) : SIZE_MAX;
}

struct assoc {
    uint32_t a, b; /* source and target word keys */
    uint32_t count;
    double dice;
};

static int assoc_cmp_strength(const void *x, const void *y)
{
    const struct assoc *p = x, *q = y;
    if (p->dice != q->dice)
        return p->dice < q->dice ? 1 : -1;
    if (p->count != q->count)
        return p->count < q->count ? 1 : -1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* Whether a word of bead frequency df can teach anything: seen twice at
 * least, and not a function word found everywhere. */
static bool assoc_eligible(uint32_t df, size_t nbeads)
{
    size_t most = nbeads / ASSOC_DF_DIV;
    return df >= ASSOC_MIN_COUNT && df <= (most > ASSOC_MIN_COUNT ? most : ASSOC_MIN_COUNT);
}

/* The words of the given sentences (word keys w) that can teach
 * anything, per sentence: e[eo[r] .. eo[r+1]) for sentence which[r]; keys
 * k with bead frequencies c (count of them nk) decide. */
static bool eligible_words(const struct dict_keys *w, const size_t *which, size_t nwhich,
                           const uint32_t *k, const uint32_t *c, size_t nk, uint32_t **e,
                           size_t **eo)
{
    size_t total = 0;
    for (size_t r = 0; r < nwhich; r++)
        total += w->off[which[r] + 1] - w->off[which[r]];
    *e = xmalloc((total ? total : 1) * sizeof **e);
    *eo = xmalloc((nwhich + 1) * sizeof **eo);
    if (!*e || !*eo)
        return false;
    size_t n = 0;
    for (size_t r = 0; r < nwhich; r++) {
        (*eo)[r] = n;
        for (size_t q = w->off[which[r]]; q < w->off[which[r] + 1]; q++)
            if (assoc_eligible(c[key_index(k, nk, w->k[q])], nwhich))
                (*e)[n++] = w->k[q];
    }
    (*eo)[nwhich] = n;
    return true;
}

/* Sort v[0..n) in place (tmp: room for n more), a byte at a time from the
 * lowest: qsort's comparisons were most of the learning's time. */
static void sort_u64(uint64_t *v, size_t n, uint64_t *tmp)
{
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[257] = {0};
        for (size_t r = 0; r < n; r++)
            count[((v[r] >> shift) & 0xFF) + 1]++;
        if (count[((v[0] >> shift) & 0xFF) + 1] == n)
            continue; /* one value of this byte: the order stands */
        for (int d = 0; d < 256; d++)
            count[d + 1] += count[d];
        for (size_t r = 0; r < n; r++)
            tmp[count[(v[r] >> shift) & 0xFF]++] = v[r];
        memcpy(v, tmp, n * sizeof *v);
    }
}

/*
 * The associations of the document (word keys w1, w2) from the 1-1 beads
 * of beads[0..nb): *out (sorted by source key) and *nout.  false only when
 * out of memory; too few beads give none.
 */
static bool assoc_learn(const struct dict_keys *w1, const struct dict_keys *w2,
                        const sl_bead *beads, size_t nb, struct assoc **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    size_t nt = 0;
    for (size_t r = 0; r < nb; r++)
        nt += beads[r].src_count == 1 && beads[r].tgt_count == 1;
    if (nt < ASSOC_MIN_BEADS)
        return true;
    bool ok = false;
    size_t *si = xmalloc(nt * sizeof *si), *ti = xmalloc(nt * sizeof *ti);
    uint32_t *k1 = NULL, *c1 = NULL, *k2 = NULL, *c2 = NULL;
    uint64_t *pairs = NULL, *tmp = NULL;
    uint32_t *e1 = NULL, *e2 = NULL;
    size_t *eo1 = NULL, *eo2 = NULL;
    struct assoc *as = NULL;
    unsigned char *used1 = NULL, *used2 = NULL;
    size_t n1 = 0, n2 = 0;
    if (!si || !ti)
        goto done;
    nt = 0;
    for (size_t r = 0; r < nb; r++)
        if (beads[r].src_count == 1 && beads[r].tgt_count == 1) {
            si[nt] = beads[r].src_start;
            ti[nt++] = beads[r].tgt_start;
        }
    if (!key_counts(w1, si, nt, &k1, &c1, &n1) || !key_counts(w2, ti, nt, &k2, &c2, &n2) ||
        !eligible_words(w1, si, nt, k1, c1, n1, &e1, &eo1) ||
        !eligible_words(w2, ti, nt, k2, c2, n2, &e2, &eo2))
        goto done;
    /* pairs of eligible words per bead; a stride keeps them in budget */
    size_t total = 0;
    for (size_t r = 0; r < nt; r++)
        total += (eo1[r + 1] - eo1[r]) * (eo2[r + 1] - eo2[r]);
    size_t stride = total / ASSOC_PAIR_BUDGET + 1, np = 0, cap = 0;
    for (size_t r = 0; r < nt; r += stride)
        cap += (eo1[r + 1] - eo1[r]) * (eo2[r + 1] - eo2[r]);
    pairs = xmalloc((cap ? cap : 1) * sizeof *pairs);
    tmp = xmalloc((cap ? cap : 1) * sizeof *tmp);
    if (!pairs || !tmp)
        goto done;
    for (size_t r = 0; r < nt; r += stride)
        for (size_t q = eo1[r]; q < eo1[r + 1]; q++)
            for (size_t p = eo2[r]; p < eo2[r + 1]; p++)
                /* the same word on both sides is an anchor already */
                if (e1[q] != e2[p])
                    pairs[np++] = (uint64_t)e1[q] << 32 | e2[p];
    if (np > 1)
        sort_u64(pairs, np, tmp);
    free(tmp);
    tmp = NULL;
    size_t runs = 0;
    for (size_t r = 0; r < np;) {
        size_t e = r;
        while (e < np && pairs[e] == pairs[r])
            e++;
        runs += e - r >= ASSOC_MIN_COUNT;
        r = e;
    }
    as = xmalloc((runs ? runs : 1) * sizeof *as);
    used1 = xcalloc(n1 ? n1 : 1, 1);
    used2 = xcalloc(n2 ? n2 : 1, 1);
    if (!as || !used1 || !used2)
        goto done;
    /* pairs seen often enough, strongest first */
    size_t na = 0;
    for (size_t r = 0; r < np;) {
        size_t e = r;
        while (e < np && pairs[e] == pairs[r])
            e++;
        uint32_t a = (uint32_t)(pairs[r] >> 32), b = (uint32_t)pairs[r];
        double c = (double)(e - r) * (double)stride, dice = 0;
        if (e - r >= ASSOC_MIN_COUNT)
            dice = 2 * c / ((double)c1[key_index(k1, n1, a)] + (double)c2[key_index(k2, n2, b)]);
        if (dice >= ASSOC_MIN_DICE)
            as[na++] = (struct assoc){a, b, (uint32_t)(e - r), dice};
        r = e;
    }
    if (na > 1)
        qsort(as, na, sizeof *as, assoc_cmp_strength);
    /* competitive linking: a word keeps its strongest partner only */
    size_t kept = 0;
    for (size_t r = 0; r < na; r++) {
        size_t x = key_index(k1, n1, as[r].a), y = key_index(k2, n2, as[r].b);
        if (used1[x] || used2[y])
            continue;
        used1[x] = used2[y] = 1;
        as[kept++] = as[r];
    }
    *out = as;
    *nout = kept;
    ok = true;
done:
    free(si);
    free(ti);
    free(k1);
    free(c1);
    free(k2);
    free(c2);
    free(pairs);
    free(tmp);
    free(e1);
    free(e2);
    free(eo1);
    free(eo2);
    free(used1);
    free(used2);
    if (!ok)
        free(as);
    return ok;
}

struct word_map {
    uint32_t word, key;
};

static int word_map_cmp(const void *x, const void *y)
{
    uint32_t a = ((const struct word_map *)x)->word, b = ((const struct word_map *)y)->word;
    return (a > b) - (a < b);
}

/* The anchor key of an association: both words hashed together. */
static uint32_t assoc_key(const struct assoc *as)
{
    uint32_t h = fnv1a(FNV_INIT, '&');
    for (int r = 0; r < 4; r++)
        h = fnv1a(h, (unsigned char)(as->a >> (8 * r)));
    for (int r = 0; r < 4; r++)
        h = fnv1a(h, (unsigned char)(as->b >> (8 * r)));
    return h;
}

/*
 * The dictionary keys of one side (n sentences) with the associations
 * added: for each sentence its keys in d (d->k NULL for none) and the key
 * of each association one of whose words (w) it holds, sorted, into out.
 */
static bool assoc_keys(const struct dict_keys *w, size_t n,
                       const struct assoc *as, size_t na, bool target, struct dict_keys *out)
{
    struct word_map *map = xmalloc((na ? na : 1) * sizeof *map);
    out->k = NULL;
    out->off = xmalloc((n + 1) * sizeof *out->off);
    if (!map || !out->off) {
        free(map);
        return false;
    }
    for (size_t r = 0; r < na; r++)
        map[r] = (struct word_map){target ? as[r].b : as[r].a, assoc_key(&as[r])};
    if (na > 1)
        qsort(map, na, sizeof *map, word_map_cmp);
    struct key_sink ks = {0};
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        size_t start = ks.n;
        out->off[i] = start;
        for (size_t r = w->off[i]; ok && r < w->off[i + 1]; r++) {
            struct word_map probe = {w->k[r], 0};
            const struct word_map *hit = bsearch(&probe, map, na, sizeof *map, word_map_cmp);
            if (hit)
                ok = sink_put(&ks, hit->key);
        }
        if (ok && ks.n - start > 1)
            qsort(ks.k + start, ks.n - start, sizeof *ks.k, u32_cmp);
    }
    free(map);
    if (!ok) {
        free(ks.k);
        return false;
    }
    out->off[n] = ks.n;
    out->k = ks.k;
    return true;
}

/* Extract and sort the anchors of every sentence, with its dictionary keys
 * (d may be NULL); false when out of memory. */
static bool anchors_build(const sl_sentences *s, const struct dict_keys *d, struct anchors *x)
{
    size_t n = sl_sentences_count(s), total = 0;
    x->a = NULL;
    x->sig = NULL;
    x->miss = NULL;
    x->off = xmalloc((n + 1) * sizeof *x->off);
    if (!x->off)
        return false;
    for (size_t i = 0; i < n; i++) {
        x->off[i] = total;
        total += extract_anchors(sl_sentences_text(s, i), sl_sentences_length(s, i), NULL);
        if (d)
            total += d->off[i + 1] - d->off[i];
    }
    x->off[n] = total;
    x->a = xmalloc((total ? total : 1) * sizeof *x->a);
    x->sig = xmalloc((n ? n : 1) * sizeof *x->sig);
    x->miss = xmalloc((n ? n : 1) * sizeof *x->miss);
    if (!x->a || !x->sig || !x->miss)
        return false;
    for (size_t i = 0; i < n; i++) {
        struct anchor *a = x->a + x->off[i];
        size_t k = extract_anchors(sl_sentences_text(s, i), sl_sentences_length(s, i), a);
        if (d)
            for (size_t r = d->off[i]; r < d->off[i + 1]; r++)
                a[k++] = (struct anchor){d->k[r], ANCHOR_DICT};
        if (k > 1)
            qsort(a, k, sizeof *a, anchor_cmp);
        x->sig[i] = 0;
        x->miss[i] = 0;
        for (size_t r = 0; r < k; r++) {
            x->sig[i] |= (uint64_t)1 << (a[r].key >> 26);
            x->miss[i] += anchor_miss_w[a[r].kind];
        }
    }
    return true;
}

static void anchors_free(struct anchors *x)
{
    free(x->a);
    free(x->off);
    free(x->sig);
    free(x->miss);
    *x = (struct anchors){NULL, NULL, NULL, NULL};
}

/* Add the association keys e (sorted per sentence) to the anchors of the
 * n sentences of x, keeping each sentence's anchors sorted. */
static bool anchors_extend(struct anchors *x, size_t n, const struct dict_keys *e)
{
    size_t *off = xmalloc((n + 1) * sizeof *off);
    struct anchor *a = xmalloc((x->off[n] + e->off[n] + 1) * sizeof *a);
    if (!off || !a) {
        free(off);
        free(a);
        return false;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        off[i] = k;
        const struct anchor *u = x->a + x->off[i], *ue = x->a + x->off[i + 1];
        const uint32_t *v = e->k + e->off[i], *ve = e->k + e->off[i + 1];
        for (const uint32_t *q = v; q < ve; q++) {
            x->sig[i] |= (uint64_t)1 << (*q >> 26);
            x->miss[i] += anchor_miss_w[ANCHOR_ASSOC];
        }
        while (u < ue || v < ve) {
            if (v == ve || (u < ue && u->key <= *v))
                a[k++] = *u++;
            else
                a[k++] = (struct anchor){*v++, ANCHOR_ASSOC};
        }
    }
    off[n] = k;
    free(x->a);
    free(x->off);
    x->a = a;
    x->off = off;
    return true;
}

/* Learn the document's word associations from its first alignment and
 * rebuild the anchors of both sides with them (d1, d2: the dictionary
 * keys, or NULL); false when out of memory. */
static bool learn_associations(const sl_sentences *src, const sl_sentences *tgt,
                               const struct dict_keys *d1, const struct dict_keys *d2,
                               const sl_bead *beads, size_t nb, struct anchors *x1,
                               struct anchors *x2)
{
    struct dict_keys w1 = {NULL, NULL}, w2 = {NULL, NULL}, e1 = {NULL, NULL}, e2 = {NULL, NULL};
    struct assoc *as = NULL;
    size_t na = 0;
    bool ok = word_keys_collect(src, &w1) && word_keys_collect(tgt, &w2) &&
              assoc_learn(&w1, &w2, beads, nb, &as, &na);
    if (ok && na) {
        ok = assoc_keys(&w1, sl_sentences_count(src), as, na, false, &e1) &&
             assoc_keys(&w2, sl_sentences_count(tgt), as, na, true, &e2);
        ok = ok && anchors_extend(x1, sl_sentences_count(src), &e1) &&
             anchors_extend(x2, sl_sentences_count(tgt), &e2);
    }
    free(as);
    dict_keys_free(&w1);
    dict_keys_free(&w2);
    dict_keys_free(&e1);
    dict_keys_free(&e2);
    return ok;
}

/* The anchors of up to two consecutive sentences, read in key order. */
struct anchor_iter {
    const struct anchor *p[2], *e[2];
};

static void iter_init(struct anchor_iter *it, const struct anchors *x, size_t first, size_t count)
{
    for (size_t r = 0; r < 2; r++) {
        size_t i = first + (r < count ? r : 0);
        it->p[r] = x->a + x->off[i];
        it->e[r] = r < count ? x->a + x->off[i + 1] : it->p[r];
    }
}

static const struct anchor *iter_peek(const struct anchor_iter *it)
{
    const struct anchor *a = it->p[0] < it->e[0] ? it->p[0] : NULL;
    const struct anchor *b = it->p[1] < it->e[1] ? it->p[1] : NULL;
    if (!a || (b && b->key < a->key))
        return b;
    return a;
}

static void iter_next(struct anchor_iter *it, const struct anchor *x)
{
    if (x == it->p[0])
        it->p[0]++;
    else
        it->p[1]++;
}

/*
 * Compare the anchors of source sentences [i, i+ds) with target sentences
 * [j, j+dt) (ds, dt >= 1): the weight of those matched (*pos) and of those
 * left over on either side (*neg).
 */
static void anchor_compare(const struct anchors *x1, size_t i, size_t ds, const struct anchors *x2,
                           size_t j, size_t dt, double *pos, double *neg)
{
    uint64_t s1 = x1->sig[i] | x1->sig[i + ds - 1], s2 = x2->sig[j] | x2->sig[j + dt - 1];
    if (!(s1 & s2)) {
        *pos = 0;
        *neg = x1->miss[i] + (ds > 1 ? x1->miss[i + 1] : 0) + x2->miss[j] +
               (dt > 1 ? x2->miss[j + 1] : 0);
        return;
    }
    if (ds == 1 && dt == 1) {
        /* the common case: one sorted list on each side */
        const struct anchor *u = x1->a + x1->off[i], *ue = x1->a + x1->off[i + 1];
        const struct anchor *v = x2->a + x2->off[j], *ve = x2->a + x2->off[j + 1];
        double p = 0, q = 0;
        while (u < ue && v < ve) {
            if (u->key == v->key) {
                p += anchor_match_w[u->kind > v->kind ? u->kind : v->kind];
                u++;
                v++;
            } else if (u->key < v->key) {
                q += anchor_miss_w[(u++)->kind];
            } else {
                q += anchor_miss_w[(v++)->kind];
            }
        }
        for (; u < ue; u++)
            q += anchor_miss_w[u->kind];
        for (; v < ve; v++)
            q += anchor_miss_w[v->kind];
        *pos = p;
        *neg = q;
        return;
    }
    struct anchor_iter a, b;
    iter_init(&a, x1, i, ds);
    iter_init(&b, x2, j, dt);
    double p = 0, q = 0;
    const struct anchor *u = iter_peek(&a), *v = iter_peek(&b);
    while (u || v) {
        if (u && v && u->key == v->key) {
            p += anchor_match_w[u->kind > v->kind ? u->kind : v->kind];
            iter_next(&a, u);
            iter_next(&b, v);
        } else if (u && (!v || u->key < v->key)) {
            q += anchor_miss_w[u->kind];
            iter_next(&a, u);
        } else {
            q += anchor_miss_w[v->kind];
            iter_next(&b, v);
        }
        u = iter_peek(&a);
        v = iter_peek(&b);
    }
    *pos = p;
    *neg = q;
}

/*
 * Test hook: compare the anchors of two texts as a 1-1 bead would, giving
 * the matched (*pos) and unmatched (*neg) weights; false when out of memory.
 * Declared here only: the tests declare it themselves.
 */
bool sl__anchor_compare(const char *a, const char *b, double *pos, double *neg);

bool sl__anchor_compare(const char *a, const char *b, double *pos, double *neg)
{
    const char *text[2] = {a, b};
    struct anchor *buf[2] = {NULL, NULL};
    size_t off[2][2];
    uint64_t sig[2] = {0, 0};
    double miss[2] = {0, 0};
    bool ok = true;
    for (size_t k = 0; k < 2; k++) {
        size_t len = strlen(text[k]), n = extract_anchors(text[k], len, NULL);
        buf[k] = malloc((n ? n : 1) * sizeof *buf[k]);
        if (!buf[k]) {
            ok = false;
            break;
        }
        extract_anchors(text[k], len, buf[k]);
        if (n > 1)
            qsort(buf[k], n, sizeof *buf[k], anchor_cmp);
        off[k][0] = 0;
        off[k][1] = n;
        for (size_t r = 0; r < n; r++) {
            sig[k] |= (uint64_t)1 << (buf[k][r].key >> 26);
            miss[k] += anchor_miss_w[buf[k][r].kind];
        }
    }
    if (ok) {
        struct anchors x1 = {buf[0], off[0], &sig[0], &miss[0]};
        struct anchors x2 = {buf[1], off[1], &sig[1], &miss[1]};
        anchor_compare(&x1, 0, 1, &x2, 0, 1, pos, neg);
    }
    free(buf[0]);
    free(buf[1]);
    return ok;
}

/* The lexical part of a bead's cost: unmatched anchor weight charged,
 * matched weight rewarded (so it may be negative). */
static double lex_cost(double pos, double neg)
{
    return LEX_MISS * neg - LEX_MATCH * pos;
}

/* A bead's score from its length probability and anchors: anchors pull the
 * score towards their agreement as they grow in weight (at most halfway);
 * without anchors the length probability stands. */
static double lex_score(double p_len, double pos, double neg)
{
    double w = pos + neg;
    if (w <= 0)
        return p_len;
    double lam = 0.5 * w / (w + 2.0);
    return (1 - lam) * p_len + lam * (pos / w);
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

/* What the DP of one span reads besides the band: lengths and anchors of
 * both sides, the span starting at sentence so (source) and to (target). */
struct span {
    const size_t *l1, *l2;
    const struct anchors *x1, *x2;
    size_t so, to;
    bool lex; /* anchors count in the cost */
};

/* Cost of the bead of the given kind ending at (i, j) from its prior and
 * lengths alone. */
static double bead_base_cost(const struct span *sp, struct gc *g, size_t k, size_t i, size_t j)
{
    size_t s, t;
    const struct bead_kind *kind = &bead_kinds[k];
    bead_lengths(kind, sp->l1, sp->l2, i, j, &s, &t);
    double cost = g->nlprior[k] + length_cost(g, s, t);
    /* a bead that joins sentences across a paragraph break is unlikely,
     * not impossible (translators do merge paragraphs) */
    if (g->p1 && kind->ds == 2 && g->p1[sp->so + i - 1] != g->p1[sp->so + i - 2])
        cost += PARA_CROSS;
    if (g->p2 && kind->dt == 2 && g->p2[sp->to + j - 1] != g->p2[sp->to + j - 2])
        cost += PARA_CROSS;
    return cost;
}

/* At most how many anchors of the bead can match: the fewer of either
 * side's count (for pruning). */
static double anchor_bound(const struct span *sp, const struct bead_kind *kind, size_t i, size_t j)
{
    const struct anchors *x1 = sp->x1, *x2 = sp->x2;
    size_t si = sp->so + i, tj = sp->to + j;
    if (!((x1->sig[si - 1] | x1->sig[si - kind->ds]) & (x2->sig[tj - 1] | x2->sig[tj - kind->dt])))
        return 0;
    size_t a = x1->off[si] - x1->off[si - kind->ds], b = x2->off[tj] - x2->off[tj - kind->dt];
    return (double)(a < b ? a : b) * MAX_MATCH_W;
}

/* Anchor weights of that bead (0 for a one-sided bead). */
/* Whether sentence i of side x has at least ORPHAN_MIN anchors of the kinds
 * that survive translation (numbers, dictionary words; names are often
 * translated, and counting them lost as much as it won) and none of its
 * anchors matches one of sentences [j, j+dt) of side y. */
static bool orphan(const struct anchors *x, size_t i, const struct anchors *y, size_t j,
                   size_t dt)
{
    size_t strong = 0;
    for (size_t r = x->off[i]; r < x->off[i + 1]; r++)
        strong += x->a[r].kind == ANCHOR_NUM || x->a[r].kind == ANCHOR_DICT ||
                  x->a[r].kind == ANCHOR_ASSOC;
    if (strong < ORPHAN_MIN)
        return false;
    if (!(x->sig[i] & (y->sig[j] | y->sig[j + dt - 1])))
        return true;
    struct anchor_iter b;
    iter_init(&b, y, j, dt);
    const struct anchor *u = x->a + x->off[i], *ue = x->a + x->off[i + 1], *v = iter_peek(&b);
    while (u < ue && v) {
        if (u->key == v->key)
            return false;
        if (u->key < v->key) {
            u++;
        } else {
            iter_next(&b, v);
            v = iter_peek(&b);
        }
    }
    return true;
}

/* Extra cost of a merge one of whose sentences matches nothing of the
 * other side: more likely a sentence without a translation. */
static double merge_orphans(const struct span *sp, size_t k, size_t i, size_t j)
{
    const struct bead_kind *kind = &bead_kinds[k];
    size_t si = sp->so + i - kind->ds, tj = sp->to + j - kind->dt;
    double cost = 0;
    if (kind->ds == 2)
        for (size_t r = 0; r < 2; r++)
            cost += orphan(sp->x1, si + r, sp->x2, tj, kind->dt) ? ORPHAN_COST : 0;
    if (kind->dt == 2)
        for (size_t r = 0; r < 2; r++)
            cost += orphan(sp->x2, tj + r, sp->x1, si, kind->ds) ? ORPHAN_COST : 0;
    return cost;
}

static void bead_anchors(const struct span *sp, size_t k, size_t i, size_t j, double *pos,
                         double *neg)
{
    const struct bead_kind *kind = &bead_kinds[k];
    *pos = *neg = 0;
    if (kind->ds && kind->dt)
        anchor_compare(sp->x1, sp->so + i - kind->ds, kind->ds, sp->x2, sp->to + j - kind->dt,
                       kind->dt, pos, neg);
}

/*
 * Fill the back pointers of the band: bp[cell] is the index in bead_kinds of
 * the last bead of the cheapest path from (0,0) to the cell.  Returns the
 * cost of the best path to (n, m).
 */
static double band_dp(const struct band *b, const struct span *sp, struct gc *g,
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
                double cand = prev + bead_base_cost(sp, g, k, i, j);
                /* merging anchors is the slow part: skip it when even every
                 * possible match could not make this bead win */
                if (sp->lex && kind->ds && kind->dt) {
                    if (cand - LEX_MATCH * anchor_bound(sp, kind, i, j) >= best)
                        continue;
                } else {
                    /* an unmatched sentence leaves its anchors unmatched too */
                    if (sp->lex)
                        cand += g->lex_alone * (kind->ds ? sp->x1->miss[sp->so + i - 1]
                                                     : sp->x2->miss[sp->to + j - 1]);
                    if (cand >= best)
                        continue;
                }
                if (sp->lex && kind->ds && kind->dt) {
                    double pos, neg;
                    bead_anchors(sp, k, i, j, &pos, &neg);
                    cand += lex_cost(pos, neg);
                    /* orphans only add to the cost */
                    if (kind->ds + kind->dt > 2 && cand < best)
                        cand += merge_orphans(sp, k, i, j);
                }
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
 * implausible -- mixed with the share of its anchors that match (see
 * lex_score()).  A 1-0 or 0-1 bead pairs nothing, so it scores 0.
 */
static bool band_trace(const struct band *b, const unsigned char *bp, const struct span *sp,
                       struct gc *g, sl_bead *beads, size_t *nb)
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
        double pos, neg;
        bead_lengths(k, sp->l1, sp->l2, i, j, &s, &t);
        bead_anchors(sp, kind, i, j, &pos, &neg);
        i -= k->ds;
        j -= k->dt;
        beads[(*nb)++] = (sl_bead){
            .src_start = sp->so + i,
            .src_count = k->ds,
            .tgt_start = sp->to + j,
            .tgt_count = k->dt,
            .score = k->ds && k->dt ? lex_score(length_prob(s, t, g->c, GC_S2), pos, neg) : 0.0,
        };
    }
    for (size_t x = start, y = *nb; x + 1 < y; x++, y--) {
        sl_bead tmp = beads[x];
        beads[x] = beads[y - 1];
        beads[y - 1] = tmp;
    }
    return edge;
}

/* Test hook: when true, every pass runs over the whole matrix (as far as
 * the cell budget allows) from the start, with the anchors: the exhaustive
 * DP that the bands must match. */
bool sl__align_exhaustive;

/*
 * Align l1[0..n) with l2[0..m) (sentence offsets src_off, tgt_off) and
 * append the beads to beads[*nb...].
 *
 * The first band is centred on the diagonal, FIRST_BAND_MAX either side
 * (as wide as the back pointers allow within SL__ALIGN_CELL_BUDGET bytes
 * when g->wide or when that is less), and at least m/n + 1 so that
 * consecutive rows overlap; with a guide (the path of a previous
 * alignment) it is GUIDED_BAND around that path instead, widened at most
 * to GUIDED_BAND_MAX (g->unsettled says it wanted more).  While the best
 * path presses against an edge
 * of the band, the span is aligned again in a band centred on that path,
 * twice as wide up to the cap: the band follows the path towards a large
 * insertion or deletion instead of growing to n*m.  A new band contains the
 * old path, so the cost never rises.  Passes go on while the path touches
 * an edge or the last pass lowered the cost (the old band was in the way),
 * at full width only while both hold, and at most MAX_PASSES times.
 */
static sl_status align_span(const size_t *l1, size_t n, const size_t *l2, size_t m,
                            const struct anchors *x1, const struct anchors *x2, struct gc *g,
                            size_t src_off, size_t tgt_off, const sl_bead *guide,
                            size_t nguide, sl_bead *beads, size_t *nb, sl_error *err)
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
    struct span sp = {l1, l2, x1, x2, src_off, tgt_off, true};
    struct band b = {.n = n, .m = m};
    double *rows[3] = {NULL, NULL, NULL};
    unsigned char *bp = NULL;

    size_t per_row = SL__ALIGN_CELL_BUDGET / (n + 1);
    size_t w_max = per_row > 2 ? (per_row - 2) / 2 : 0;
    size_t w_conn = (m + n - 1) / n + 1;
    /* A document of up to about FIRST_BAND_MAX sentences is aligned exactly
     * over the whole matrix; a longer one starts in a band that follows the
     * path when it presses on an edge. */
    size_t w = w_max < FIRST_BAND_MAX || g->wide || sl__align_exhaustive ? w_max : FIRST_BAND_MAX;
    if (w < w_conn)
        w = w_conn;
    if (w_max < w)
        w_max = w;

    b.lo = xmalloc((n + 1) * sizeof *b.lo);
    b.off = xmalloc((n + 2) * sizeof *b.off);
    /* Comparing anchors costs far more than a length: a wide band first
     * finds the length-only path (pass 0), and the anchors then correct it
     * within a band of LEX_BAND around it, widened as usual when the path
     * presses on an edge.  A second alignment with re-estimated priors
     * starts from the first one's path (guide) instead. */
    if (sl__align_exhaustive)
        guide = NULL;
    bool warm = !guide && w > LEX_BAND && !sl__align_exhaustive;
    if (guide && w > GUIDED_BAND)
        w = GUIDED_BAND;
    if (!b.lo || !b.off ||
        !(guide ? band_around(&b, w, guide, nguide, src_off, tgt_off) : band_diagonal(&b, w))) {
        st = sl__nomem(err);
        goto cleanup;
    }
    sp.lex = !warm;
    double prev_cost = INFINITY;
    /* lex passes made so far */
    size_t lex_pass = 0;
    for (size_t pass = 0;; pass++) {
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
        double cost = band_dp(&b, &sp, g, rows, bp);
        size_t start = *nb;
        bool edge = band_trace(&b, bp, &sp, g, beads, nb);
        if (!sp.lex) {
            /* a length-only path pressing on an edge gets a band twice as
             * wide around itself (while passes are left); then the anchors
             * correct it in a narrow band */
            bool widen = edge && w < w_max && pass + 2 < MAX_PASSES;
            if (widen)
                w = w > w_max / 2 ? w_max : 2 * w;
            else {
                sp.lex = true;
                w = LEX_BAND;
            }
            if (!band_around(&b, w, beads + start, *nb - start, src_off, tgt_off)) {
                st = sl__nomem(err);
                goto cleanup;
            }
            *nb = start;
            continue;
        }
        lex_pass++;
        bool improved = cost < prev_cost - 1e-9 * (1 + fabs(cost));
        /* go on while the path presses on an edge or the last widening
         * paid off; at full width only while both hold */
        bool again = lex_pass == 1 ? edge : edge || improved;
        /* a realignment under re-estimated priors moves the path locally:
         * its band stays narrow (widening it with the anchors is what
         * costs, and a far-off path is what the first alignment is for) */
        if (guide && w >= GUIDED_BAND_MAX && again) {
            again = false;
            g->unsettled = true;
        }
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

/*
 * Whether two texts can be translations of each other, judged on their
 * alignment: refused (SL_UNRELATED) when one side is empty and the other
 * not, when one side is RELATED_MAX_RATIO times longer than the other in
 * both characters and sentences, or when there is enough lexical evidence
 * (numbers and punctuation: at least RELATED_MIN_ANCHORS of match weight
 * on the poorer side) and little of it is matched in the beads.
 */
#define RELATED_MAX_RATIO 4.0
#define RELATED_MIN_ANCHORS 8.0
/* Translations in the evaluation sets with that much evidence match 85% or
 * more of it, unrelated texts of the same domains about 18%. */
#define RELATED_MIN_SHARE 0.4

/* Only the kinds that translations keep count here: cognate stems and
 * capitalised first words match between unrelated texts too, and names are
 * often translated (menu and dialog names in software help); dictionary
 * words would make the verdict depend on the dictionary. */
static bool strong_kind(unsigned char kind)
{
    return kind == ANCHOR_NUM || kind == ANCHOR_PUNCT;
}

static double side_weight(const struct anchors *x, size_t n)
{
    double w = 0;
    for (size_t r = 0; r < x->off[n]; r++)
        if (strong_kind(x->a[r].kind))
            w += anchor_match_w[x->a[r].kind];
    return w;
}

/* The matched weight of the strong anchors of a bead. */
static double strong_matches(const struct anchors *x1, size_t i, size_t ds,
                             const struct anchors *x2, size_t j, size_t dt)
{
    struct anchor_iter a, b;
    iter_init(&a, x1, i, ds);
    iter_init(&b, x2, j, dt);
    double p = 0;
    const struct anchor *u = iter_peek(&a), *v = iter_peek(&b);
    while (u && v) {
        if (u->key == v->key) {
            if (strong_kind(u->kind) && strong_kind(v->kind))
                p += anchor_match_w[u->kind > v->kind ? u->kind : v->kind];
            iter_next(&a, u);
            iter_next(&b, v);
        } else if (u->key < v->key) {
            iter_next(&a, u);
        } else {
            iter_next(&b, v);
        }
        u = iter_peek(&a);
        v = iter_peek(&b);
    }
    return p;
}

static sl_status check_related(const sl_bead *beads, size_t nb, size_t n, size_t m,
                               double total1, double total2, const struct anchors *x1,
                               const struct anchors *x2, sl_error *err)
{
    if ((n == 0) != (m == 0))
        return sl_error_set(err, SL_UNRELATED,
                            "the texts do not look like translations of each other: the %s "
                            "text has no sentences",
                            n == 0 ? "source" : "target");
    if (n == 0)
        return SL_OK;
    double rc = total1 > total2 ? total1 / (total2 > 0 ? total2 : 1) : total2 / (total1 > 0 ? total1 : 1);
    double rs = n > m ? (double)n / (double)m : (double)m / (double)n;
    if (rc > RELATED_MAX_RATIO && rs > RELATED_MAX_RATIO)
        return sl_error_set(err, SL_UNRELATED,
                            "the texts do not look like translations of each other: %zu source "
                            "sentences (%.0f characters) against %zu target sentences (%.0f "
                            "characters)",
                            n, total1, m, total2);
    double w1 = side_weight(x1, n), w2 = side_weight(x2, m), avail = w1 < w2 ? w1 : w2;
    double matched = 0;
    for (size_t k = 0; k < nb; k++) {
        const sl_bead *b = &beads[k];
        if (!b->src_count || !b->tgt_count)
            continue;
        matched += strong_matches(x1, b->src_start, b->src_count, x2, b->tgt_start, b->tgt_count);
    }
    if (avail >= RELATED_MIN_ANCHORS && matched < RELATED_MIN_SHARE * avail)
        return sl_error_set(err, SL_UNRELATED,
                            "the texts do not look like translations of each other: of their "
                            "numbers and punctuation only %.0f%% match",
                            100 * matched / avail);
    return SL_OK;
}

/*
 * Calibration of bead scores (data/align.calibration, fitted by
 * eval/align-calibrate.py): per class, 1-1 pairs ("one") and merges
 * ("merge"), score = 1 / (1 + exp(-(A + B * logit(raw)))), the probability
 * that the bead is exactly right as measured on held-out gold.  Without the
 * file the raw scores stand.
 */
struct calibration {
    bool have[2];
    double a[2], b[2];
};

static sl_status calibration_load(struct calibration *c, sl_error *err)
{
    memset(c, 0, sizeof *c);
    sl_error local;
    sl_error_clear(&local);
    char *path = sl__data_path(NULL, "align.calibration", &local);
    if (!path)
        return local.code == SL_NOMEM ? sl__nomem(err) : SL_OK;
    char *text = NULL;
    size_t len = 0;
    sl_status st = sl_text_read_file(path, &text, &len, err);
    for (char *p = text, *end = text + len; st == SL_OK && p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl)
            *nl = '\0';
        char name[16];
        double a, b;
        if (*p != '#' && *p && sscanf(p, "%15s %lf %lf", name, &a, &b) == 3) {
            int k = strcmp(name, "one") == 0 ? 0 : strcmp(name, "merge") == 0 ? 1 : -1;
            if (k < 0 || !isfinite(a) || !isfinite(b))
                st = sl_error_set(err, SL_DATA, "%s: unknown or bad line '%s'", path, p);
            else {
                c->have[k] = true;
                c->a[k] = a;
                c->b[k] = b;
            }
        }
        p = nl ? nl + 1 : end;
    }
    free(text);
    free(path);
    return st;
}

static void calibrate(const struct calibration *c, sl_bead *beads, size_t nb)
{
    for (size_t k = 0; k < nb; k++) {
        sl_bead *b = &beads[k];
        int cls = b->src_count == 1 && b->tgt_count == 1 ? 0 : 1;
        if (!b->src_count || !b->tgt_count || !c->have[cls])
            continue;
        double p = b->score < 1e-4 ? 1e-4 : b->score > 1 - 1e-4 ? 1 - 1e-4 : b->score;
        double z = c->a[cls] + c->b[cls] * log(p / (1 - p));
        b->score = 1 / (1 + exp(-z));
    }
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

/* The paragraph of each sentence; NULL when out of memory. */
static size_t *paragraph_ids(const sl_sentences *s)
{
    size_t n = sl_sentences_count(s);
    size_t *p = xmalloc((n ? n : 1) * sizeof *p);
    for (size_t i = 0; p && i < n; i++)
        p[i] = sl_sentences_paragraph(s, i);
    return p;
}

/* Whether paragraph p of one side plausibly translates paragraph p of the
 * other, for every p: lengths within PARA_RATIO_TOL of the ratio c. */
static bool paragraphs_correspond(const sl_sentences *src, const sl_sentences *tgt,
                                  const size_t *l1, const size_t *l2, size_t paras, double c)
{
    size_t n = sl_sentences_count(src), m = sl_sentences_count(tgt), i = 0, j = 0;
    for (size_t p = 0; p < paras; p++) {
        double a = 0, b = 0;
        for (; i < n && sl_sentences_paragraph(src, i) == p; i++)
            a += (double)l1[i];
        for (; j < m && sl_sentences_paragraph(tgt, j) == p; j++)
            b += (double)l2[j];
        /* short paragraphs (headings) vary most: give them some slack */
        double want = c * a;
        if (b + 20 < want / PARA_RATIO_TOL || b > want * PARA_RATIO_TOL + 20)
            return false;
    }
    return true;
}

/* Table side for bead lengths up to two of the longest sentence. */
static size_t table_side(size_t longest)
{
    return longest < COST_TABLE_MAX / 2 ? 2 * longest + 1 : COST_TABLE_MAX;
}

/* What aligning a whole document needs: both sides, their lengths and
 * anchors, the model, and the number of paragraphs aligned one to one (0
 * when the document is one span). */
struct job {
    const sl_sentences *src, *tgt;
    const size_t *l1, *l2;
    const struct anchors *x1, *x2;
    struct gc *g;
    size_t walls;
};

/* Align the document span by span into beads[*nb...], each span in a band
 * around the beads of guide (nguide) that fall in it when guide is given. */
static sl_status align_all(const struct job *jb, const sl_bead *guide, size_t nguide,
                           sl_bead *beads, size_t *nb, sl_error *err)
{
    size_t n = sl_sentences_count(jb->src), m = sl_sentences_count(jb->tgt);
    if (!jb->walls)
        return align_span(jb->l1, n, jb->l2, m, jb->x1, jb->x2, jb->g, 0, 0, guide, nguide,
                          beads, nb, err);
    /* Same paragraph structure on both sides, paragraph lengths agreeing:
     * trust it, and align paragraph p with paragraph p so no bead crosses a
     * boundary. */
    size_t i = 0, j = 0, k = 0;
    for (size_t p = 0; p < jb->walls; p++) {
        size_t i_end = i, j_end = j, k_end = k;
        while (i_end < n && sl_sentences_paragraph(jb->src, i_end) == p)
            i_end++;
        while (j_end < m && sl_sentences_paragraph(jb->tgt, j_end) == p)
            j_end++;
        /* the guide's beads of this span end inside it */
        while (guide && k_end < nguide &&
               guide[k_end].src_start + guide[k_end].src_count <= i_end &&
               guide[k_end].tgt_start + guide[k_end].tgt_count <= j_end)
            k_end++;
        sl_status st = align_span(jb->l1 + i, i_end - i, jb->l2 + j, j_end - j, jb->x1, jb->x2,
                                  jb->g, i, j, guide ? guide + k : NULL, k_end - k, beads, nb,
                                  err);
        if (st != SL_OK)
            return st;
        i = i_end;
        j = j_end;
        k = k_end;
    }
    return SL_OK;
}

/* Pseudo-beads of the published priors mixed with a document's own bead
 * counts when the priors are re-estimated from its first alignment: a short
 * document keeps about the published priors. */
#define PRIOR_WEIGHT 20.0
/* Alignments under re-estimated priors at most. */
#define REESTIMATE_ROUNDS 3
/* Re-estimate only from documents with at least this many beads. */
#define PRIOR_MIN_BEADS 20

/*
 * Set g's bead priors from the kinds of the beads of a first alignment,
 * smoothed towards the published ones: documents differ (a translation
 * that drops sentences, a source split more finely), and a deletion prior
 * ten times too low makes a dropped sentence look like half of a merge.
 * Returns whether the priors changed enough to align again.
 */
/* Test hook: when true, the published priors and variance stand (no
 * second alignment). */
bool sl__align_fixed_priors;

static int double_cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/*
 * The variance of the length model from the 1-1 beads of a first
 * alignment: Gale and Church's 6.8 is several times what close
 * translations show (0.8-1.7 on the evaluation sets), and so too lenient
 * to tell a merge from a sentence left alone.  The median of |delta| gives
 * a robust estimate (wrong beads are in the tail); the result is scaled by
 * VAR_SAFETY, kept within [VAR_MIN, GC_S2], and left alone on too few
 * beads.  Returns whether it changed.
 */
#define VAR_SAFETY 1.5
#define VAR_MIN 1.0
#define VAR_MIN_BEADS 50
static bool reestimate_variance(struct gc *g, const size_t *l1, const size_t *l2,
                                const sl_bead *beads, size_t nb)
{
    size_t n = 0;
    for (size_t r = 0; r < nb; r++)
        n += beads[r].src_count == 1 && beads[r].tgt_count == 1;
    if (n < VAR_MIN_BEADS || sl__align_fixed_priors)
        return false;
    double *d = xmalloc(n * sizeof *d);
    if (!d)
        return false; /* the published variance stands */
    size_t k = 0;
    for (size_t r = 0; r < nb; r++) {
        if (beads[r].src_count != 1 || beads[r].tgt_count != 1)
            continue;
        double a = (double)l1[beads[r].src_start], b = (double)l2[beads[r].tgt_start];
        double mean = (a + b / g->c) / 2;
        d[k++] = mean > 0 ? fabs(b - g->c * a) / sqrt(mean) : 0;
    }
    qsort(d, n, sizeof *d, double_cmp);
    double sd = 1.4826 * d[n / 2];
    free(d);
    double s2 = VAR_SAFETY * sd * sd;
    s2 = s2 < VAR_MIN ? VAR_MIN : s2 > GC_S2 ? GC_S2 : s2;
    if (fabs(s2 - g->s2) < 0.05 * g->s2)
        return false;
    g->s2 = s2;
    /* the cached length costs were for the old variance */
    if (g->tab)
        memset(g->tab, 0, g->tab_s * g->tab_t * sizeof *g->tab);
    return true;
}

static bool reestimate_priors(struct gc *g, const sl_bead *beads, size_t nb)
{
    if (nb < PRIOR_MIN_BEADS || sl__align_fixed_priors)
        return false;
    double count[N_KINDS] = {0};
    for (size_t r = 0; r < nb; r++)
        for (size_t k = 0; k < N_KINDS; k++)
            if (bead_kinds[k].ds == beads[r].src_count && bead_kinds[k].dt == beads[r].tgt_count)
                count[k]++;
    bool changed = g->lex_alone != LEX_ALONE_OWN;
    g->lex_alone = LEX_ALONE_OWN;
    g->alone_len = ALONE_LEN_OWN;
    for (size_t k = 0; k < N_KINDS; k++) {
        double p = (count[k] + PRIOR_WEIGHT * bead_kinds[k].prior) / ((double)nb + PRIOR_WEIGHT);
        double nl = -log(p);
        if (fabs(nl - g->nlprior[k]) > 0.1)
            changed = true;
        g->nlprior[k] = nl;
    }
    return changed;
}

sl_status sl_align(const sl_sentences *src, const sl_sentences *tgt, sl_alignment **out,
                   sl_error *err)
{
    return sl_align_with(src, tgt, NULL, out, err);
}

sl_status sl_align_with(const sl_sentences *src, const sl_sentences *tgt,
                        const sl_align_options *opt, sl_alignment **out, sl_error *err)
{
    static const sl_align_options defaults = {NULL, false};
    if (!src || !tgt || !out)
        return sl_error_set(err, SL_USAGE, "sl_align: NULL argument");
    if (!opt)
        opt = &defaults;
    *out = NULL;

    sl_status st = SL_OK;
    size_t *l1 = NULL, *l2 = NULL;
    sl_bead *beads = NULL;
    sl_alignment *a = NULL;
    sl_bead *guide = NULL;
    struct gc g = {.tab = NULL};
    struct anchors x1 = {NULL, NULL, NULL, NULL}, x2 = {NULL, NULL, NULL, NULL};
    struct dict_keys d1 = {NULL, NULL}, d2 = {NULL, NULL};
    bool dict = opt->lexicon && sl_lexicon_count(opt->lexicon) > 0;
    size_t n = sl_sentences_count(src), m = sl_sentences_count(tgt), nb = 0;
    double total1, total2;
    size_t longest1, longest2;

    l1 = sentence_lengths(src, &total1, &longest1);
    l2 = sentence_lengths(tgt, &total2, &longest2);
    /* every bead takes at least one sentence */
    beads = xmalloc((n + m ? n + m : 1) * sizeof *beads);
    a = xcalloc(1, sizeof *a);
    if (!l1 || !l2 || !beads || !a ||
        (dict && !dict_keys_build(src, tgt, opt->lexicon, &d1, &d2)) ||
        !anchors_build(src, dict ? &d1 : NULL, &x1) ||
        !anchors_build(tgt, dict ? &d2 : NULL, &x2)) {
        st = sl__nomem(err);
        goto cleanup;
    }

    /* Target characters per source character, from the pair itself. */
    g.c = total1 > 0 && total2 > 0 ? total2 / total1 : 1.0;
    g.s2 = GC_S2;
    g.lex_alone = LEX_ALONE;
    g.alone_len = ALONE_LEN;
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
    bool walls = paras > 1 && paras == paragraph_count(tgt) &&
                 paragraphs_correspond(src, tgt, l1, l2, paras, g.c);
    if (!walls && (paras > 1 || paragraph_count(tgt) > 1)) {
        g.p1 = paragraph_ids(src);
        g.p2 = paragraph_ids(tgt);
        if (!g.p1 || !g.p2) {
            st = sl__nomem(err);
            goto cleanup;
        }
    }
    struct job job = {src, tgt, l1, l2, &x1, &x2, &g, walls ? paras : 0};
    st = align_all(&job, NULL, 0, beads, &nb, err);
    if (st == SL_OK && !sl__align_fixed_priors && !sl__align_no_assoc &&
        !learn_associations(src, tgt, dict ? &d1 : NULL, dict ? &d2 : NULL, beads, nb, &x1, &x2)) {
        st = sl__nomem(err);
        goto cleanup;
    }
    /* Realign under the document's own bead priors and length variance,
     * in a band around the previous path, while they change (| not ||:
     * both estimates are made). */
    for (int round = 0; st == SL_OK && round < REESTIMATE_ROUNDS && !g.unsettled &&
                        (reestimate_priors(&g, beads, nb) |
                         reestimate_variance(&g, l1, l2, beads, nb));
         round++) {
        if (!guide && !(guide = xmalloc((n + m ? n + m : 1) * sizeof *guide))) {
            st = sl__nomem(err);
            goto cleanup;
        }
        memcpy(guide, beads, nb * sizeof *beads);
        size_t nguide = nb;
        nb = 0;
        st = align_all(&job, guide, nguide, beads, &nb, err);
    }
    if (st == SL_OK && g.unsettled) {
        /* the path wants to go far from where the first band put it: the
         * true one may lie beyond that band (a long untranslated stretch),
         * so align afresh, under the estimates, in the widest band */
        g.wide = true;
        nb = 0;
        st = align_all(&job, NULL, 0, beads, &nb, err);
    }
    if (st != SL_OK)
        goto cleanup;

    struct calibration cal;
    st = calibration_load(&cal, err);
    if (st != SL_OK)
        goto cleanup;
    calibrate(&cal, beads, nb);

    if (opt->check_related) {
        st = check_related(beads, nb, n, m, total1, total2, &x1, &x2, err);
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
    free(guide);
    free(l1);
    free(l2);
    free(beads);
    free(g.tab);
    free(g.p1);
    free(g.p2);
    anchors_free(&x1);
    anchors_free(&x2);
    dict_keys_free(&d1);
    dict_keys_free(&d2);
    free(a);
    return st;
}

sl_status sl_alignment_filter(const sl_alignment *a, double min_score, sl_alignment **out,
                              sl_error *err)
{
    if (!a || !out)
        return sl_error_set(err, SL_USAGE, "sl_alignment_filter: NULL argument");
    *out = NULL;
    size_t n = 0;
    for (size_t k = 0; k < a->n; k++) {
        const sl_bead *b = &a->beads[k];
        n += b->src_count && b->tgt_count && b->score < min_score ? b->src_count + b->tgt_count
                                                                  : 1;
    }
    sl_alignment *f = calloc(1, sizeof *f);
    if (!f || !(f->beads = malloc((n ? n : 1) * sizeof *f->beads))) {
        free(f);
        return sl__nomem(err);
    }
    for (size_t k = 0; k < a->n; k++) {
        const sl_bead *b = &a->beads[k];
        if (!(b->src_count && b->tgt_count && b->score < min_score)) {
            f->beads[f->n++] = *b;
            continue;
        }
        /* below the threshold: its sentences stand alone, sources first */
        for (size_t i = 0; i < b->src_count; i++)
            f->beads[f->n++] = (sl_bead){b->src_start + i, 1, b->tgt_start, 0, 0.0};
        for (size_t j = 0; j < b->tgt_count; j++)
            f->beads[f->n++] =
                (sl_bead){b->src_start + b->src_count, 0, b->tgt_start + j, 1, 0.0};
    }
    *out = f;
    return SL_OK;
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

/*
 * Looking sentences up in the TM: exact matches by the hash of the
 * normalised text, fuzzy matches by word-level Levenshtein distance on
 * candidates that the full-text index (segments_fts, schema version 3)
 * narrows down.
 *
 * Tokens.  Fuzzy matching compares token sequences of the normalised texts:
 *   - a word is a run of letters, digits and combining marks; a hyphen or
 *     apostrophe between two such characters stays inside the word, so the
 *     Indonesian reduplication "anak-anak" and "don't" are one word each;
 *   - every other character that is not a space (punctuation, symbols) is a
 *     token of its own, so "nasi." and "nasi ." both give "nasi" ".";
 *   - two tokens that differ only in case cost half a substitution.
 * Punctuation counts because a TM user wants "Dia datang." and "Dia
 * datang?" told apart, but it weighs no more than a word.
 */
#include "tm-internal.h"
#include "sha256.h"
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

static bool is_word_char(UChar32 c)
{
    if (c >= 0 && c < 0x80) /* ASCII without ICU: most of the characters */
        return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    return c >= 0 && (u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0);
}

static bool is_joiner(UChar32 c)
{
    return c == '-' || c == '\'' || c == 0x2010 || c == 0x2011 || c == 0x2019;
}

/* Find the token at or after *pos in s[0, len); false at the end. */
static bool next_token(const char *s, int32_t len, int32_t *pos, sl__token *tok)
{
    int32_t i = *pos;
    size_t sp;
    while (i < len && (sp = sl__space_len(s + i, (size_t)(len - i))) != 0)
        i += (int32_t)sp;
    if (i >= len)
        return false;
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, len, c);
    if (is_word_char(c)) {
        while (i < len) {
            int32_t j = i;
            U8_NEXT(s, j, len, c);
            if (!is_word_char(c)) {
                if (!is_joiner(c) || j >= len)
                    break;
                U8_NEXT(s, j, len, c); /* a joiner counts only inside a word */
                if (!is_word_char(c))
                    break;
            }
            i = j;
        }
    }
    /* Else: one punctuation mark, symbol or invalid byte is a token alone. */
    tok->p = s + start;
    tok->n = (size_t)(i - start);
    *pos = i;
    return true;
}

static int32_t clamp_len(const char *s)
{
    size_t n = strlen(s);
    return n > INT32_MAX ? INT32_MAX : (int32_t)n;
}

size_t sl__token_count(const char *s)
{
    int32_t len = clamp_len(s), pos = 0;
    size_t n = 0;
    sl__token t;
    while (next_token(s, len, &pos, &t))
        n++;
    return n;
}

bool sl__tokenise_into(const char *s, size_t n, sl__token **v, size_t *cap, size_t *count)
{
    int32_t len = n > INT32_MAX ? INT32_MAX : (int32_t)n, pos = 0;
    sl__token t;
    *count = 0;
    while (next_token(s, len, &pos, &t)) {
        if (*count == *cap) {
            size_t c = *cap ? 2 * *cap : 64;
            sl__token *w = c <= SIZE_MAX / sizeof *w ? realloc(*v, c * sizeof *w) : NULL;
            if (!w)
                return false;
            *v = w;
            *cap = c;
        }
        (*v)[(*count)++] = t;
    }
    return true;
}

sl_status sl__tokenise(const char *s, sl__token **out, size_t *count, sl_error *err)
{
    *out = NULL;
    *count = sl__token_count(s);
    if (*count == 0)
        return SL_OK;
    sl__token *v = malloc(*count * sizeof *v);
    if (!v)
        return sl__nomem(err);
    int32_t len = clamp_len(s), pos = 0;
    for (size_t i = 0; i < *count; i++)
        next_token(s, len, &pos, &v[i]);
    *out = v;
    return SL_OK;
}

/* Cost of putting token b where a was, in half words: 0 when equal, 1 when
 * they differ only in case (simple case folding), 2 otherwise.  ASCII is
 * compared without ICU: most tokens are ASCII and most pairs differ at
 * once. */
static unsigned token_cost(const sl__token *a, const sl__token *b)
{
    if (a->n == b->n && memcmp(a->p, b->p, a->n) == 0)
        return 0;
    int32_t i = 0, j = 0, na = (int32_t)a->n, nb = (int32_t)b->n;
    while (i < na && j < nb) {
        unsigned char x = (unsigned char)a->p[i], y = (unsigned char)b->p[j];
        if (x < 0x80 && y < 0x80) {
            if (x != y && (x | 0x20) != (y | 0x20))
                return 2;
            if (x != y && !((x | 0x20) >= 'a' && (x | 0x20) <= 'z'))
                return 2;
            i++;
            j++;
            continue;
        }
        UChar32 ca, cb;
        U8_NEXT(a->p, i, na, ca);
        U8_NEXT(b->p, j, nb, cb);
        if (ca != cb && (ca < 0 || cb < 0 ||
                         u_foldCase(ca, U_FOLD_CASE_DEFAULT) != u_foldCase(cb, U_FOLD_CASE_DEFAULT)))
            return 2;
    }
    return i == na && j == nb ? 1 : 2;
}

/* Reusable work space of the matcher: tokens of a candidate, one DP row. */
struct scratch {
    sl__token *tok;
    size_t tok_cap;
    unsigned *row;
    size_t row_cap;
};

static void scratch_free(struct scratch *w)
{
    free(w->tok);
    free(w->row);
}

static bool tokenise_into(struct scratch *w, const char *s, size_t *count)
{
    int32_t len = clamp_len(s), pos = 0;
    size_t n = 0;
    sl__token t;
    while (next_token(s, len, &pos, &t)) {
        if (n == w->tok_cap) {
            size_t cap = w->tok_cap ? w->tok_cap * 2 : 64;
            sl__token *v = realloc(w->tok, cap * sizeof *v);
            if (!v)
                return false;
            w->tok = v;
            w->tok_cap = cap;
        }
        w->tok[n++] = t;
    }
    *count = n;
    return true;
}

/*
 * Levenshtein distance over tokens in half words (insertion and deletion 2,
 * substitution token_cost), one row of the table at a time.  Gives up with
 * UINT_MAX as soon as every cell of a row exceeds limit: the distance can
 * only grow from there.
 */
static bool token_distance(struct scratch *w, const sl__token *a, size_t na, const sl__token *b,
                           size_t nb, unsigned limit, unsigned *dist)
{
    if (nb + 1 > w->row_cap) {
        unsigned *r = realloc(w->row, (nb + 1) * sizeof *r);
        if (!r)
            return false;
        w->row = r;
        w->row_cap = nb + 1;
    }
    unsigned *row = w->row;
    for (size_t j = 0; j <= nb; j++)
        row[j] = 2 * (unsigned)j;
    for (size_t i = 1; i <= na; i++) {
        unsigned diag = row[0]; /* the table's [i-1][j-1] */
        row[0] = 2 * (unsigned)i;
        unsigned lowest = row[0];
        for (size_t j = 1; j <= nb; j++) {
            unsigned up = row[j];
            unsigned best = diag + token_cost(&a[i - 1], &b[j - 1]);
            if (up + 2 < best)
                best = up + 2;
            if (row[j - 1] + 2 < best)
                best = row[j - 1] + 2;
            row[j] = best;
            diag = up;
            if (best < lowest)
                lowest = best;
        }
        if (lowest > limit) {
            *dist = UINT_MAX;
            return true;
        }
    }
    *dist = row[nb];
    return true;
}

/* Largest distance (half words) that still reaches min percent. */
static unsigned distance_limit(size_t longest, int min_percent)
{
    return (unsigned)(2 * longest * (size_t)(100 - min_percent) / 100);
}

/*
 * Percent for two normalised texts, the first already tokenised: 100 for
 * identical texts, else floor(100 * (1 - d / max(na, nb))) capped at 99;
 * below min_percent the result is only known to be below it.
 */
static sl_status percent_norm(struct scratch *w, const char *qnorm, const sl__token *qt, size_t nq,
                              const char *norm, int min_percent, int *percent, sl_error *err)
{
    *percent = 0;
    if (strcmp(qnorm, norm) == 0) {
        *percent = 100;
        return SL_OK;
    }
    size_t n = 0;
    if (!tokenise_into(w, norm, &n))
        return sl__nomem(err);
    if (!nq || !n)
        return SL_OK;
    size_t longest = nq > n ? nq : n;
    unsigned d;
    if (!token_distance(w, qt, nq, w->tok, n, distance_limit(longest, min_percent), &d))
        return sl__nomem(err);
    if (d == UINT_MAX)
        return SL_OK;
    size_t p = 100 * (2 * longest - d) / (2 * longest); /* integer division: rounds down */
    *percent = p > 99 ? 99 : (int)p;                    /* 100 is kept for identical texts */
    return SL_OK;
}

int sl_match_percent(const char *a, const char *b)
{
    /* Without a way to report errors, failures (out of memory) give 0. */
    char *na = a ? sl__normalise(a, strlen(a)) : NULL;
    char *nb = b ? sl__normalise(b, strlen(b)) : NULL;
    sl__token *ta = NULL;
    struct scratch w = {NULL, 0, NULL, 0};
    size_t n = 0;
    int percent = 0;
    if (na && nb && sl__tokenise(na, &ta, &n, NULL) == SL_OK &&
        percent_norm(&w, na, ta, n, nb, 0, &percent, NULL) != SL_OK)
        percent = 0;
    scratch_free(&w);
    free(ta);
    free(na);
    free(nb);
    return percent;
}

/* ---- results */

struct entry {
    sl_match m;
    char *block;    /* every string of m.unit, one after another */
    sl_span *spans; /* concordance highlights in the matched side */
    size_t nspans;
};

struct sl_matches {
    struct entry *v;
    size_t n, cap;
};

/* Append a copy of u; its strings move into one allocation.  A reversed
 * unit is stored with its sides swapped, so source is the matched side. */
static sl_status push_match(sl_matches *m, const sl_unit *u, int percent, bool reversed,
                            sl_error *err)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        struct entry *v = realloc(m->v, cap * sizeof *v);
        if (!v)
            return sl__nomem(err);
        m->v = v;
        m->cap = cap;
    }
    struct entry *e = &m->v[m->n];
    e->spans = NULL;
    e->nspans = 0;
    e->m.percent = percent;
    e->m.reversed = reversed;
    e->m.unit = *u;
    if (reversed) {
        e->m.unit.src_lang = u->tgt_lang;
        e->m.unit.tgt_lang = u->src_lang;
        e->m.unit.source = u->target;
        e->m.unit.target = u->source;
    }
    const char **fields[] = {&e->m.unit.src_lang, &e->m.unit.tgt_lang, &e->m.unit.source,
                             &e->m.unit.target,   &e->m.unit.bead,     &e->m.unit.document,
                             &e->m.unit.created_at};
    const size_t nfields = sizeof fields / sizeof fields[0];
    size_t total = 0;
    for (size_t i = 0; i < nfields; i++)
        total += strlen(*fields[i]) + 1;
    e->block = malloc(total);
    if (!e->block)
        return sl__nomem(err);
    char *p = e->block;
    for (size_t i = 0; i < nfields; i++) {
        size_t n = strlen(*fields[i]) + 1;
        memcpy(p, *fields[i], n);
        *fields[i] = p;
        p += n;
    }
    m->n++;
    return SL_OK;
}

void sl_matches_free(sl_matches *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].block);
        free(m->v[i].spans);
    }
    free(m->v);
    free(m);
}

size_t sl_matches_count(const sl_matches *m)
{
    return m ? m->n : 0;
}

const sl_match *sl_matches_get(const sl_matches *m, size_t i)
{
    return m && i < m->n ? &m->v[i].m : NULL;
}

size_t sl_matches_spans(const sl_matches *m, size_t i, const sl_span **spans)
{
    if (!m || i >= m->n) {
        if (spans)
            *spans = NULL;
        return 0;
    }
    if (spans)
        *spans = m->v[i].spans;
    return m->v[i].nspans;
}

/* Best first: percent, then the unit's best score, then the older unit. */
static int compare_entries(const void *pa, const void *pb)
{
    const sl_match *a = &((const struct entry *)pa)->m, *b = &((const struct entry *)pb)->m;
    if (a->percent != b->percent)
        return a->percent > b->percent ? -1 : 1;
    if (a->unit.score != b->unit.score)
        return a->unit.score > b->unit.score ? -1 : 1;
    if (a->unit.id != b->unit.id)
        return (a->unit.id > b->unit.id) - (a->unit.id < b->unit.id);
    return (int)a->reversed - (int)b->reversed;
}

/* ---- the lookup */

/* Up to this --limit, candidates are cut off by the best hits so far. */
#define TOP_MAX 64

/* A segment of the query's language that reaches the minimum. */
struct hit {
    long long segment;
    int percent;
};

/* One distinct word of the query and what the index says about it. */
struct word {
    sl__token tok;
    size_t mult;   /* occurrences in the query */
    bool fetched;  /* its whole posting list is among the postings */
};

struct posting {
    long long segment;
    size_t word;
};

struct query {
    sl_tm *tm;
    const char *src_lang, *tgt_lang;
    const char *norm;
    long long key; /* segments.key of norm */
    sl__token *tokens;
    size_t ntokens;
    int min_percent;
    sl_error *err;
    struct hit *hits;
    size_t nhits, hits_cap;
    struct scratch w;
    sqlite3_stmt *seg; /* norm of one segment of the query's language */
    long long lo, hi;  /* the token counts that can reach the minimum */
    size_t limit;
    bool best_only; /* only the best percentage matters: ties need not be read */
    sqlite3_stmt *has_units; /* whether a segment has units in the pair */
    struct {
        int v[TOP_MAX]; /* best percentages of hits with units, descending */
        size_t n;
        bool full; /* n == limit: a candidate must beat v[n - 1] */
    } top;
    sl__lookup_counts counts;
};

static sl_status push_hit(struct query *q, long long segment, int percent)
{
    if (q->nhits == q->hits_cap) {
        size_t cap = q->hits_cap ? q->hits_cap * 2 : 16;
        struct hit *v = realloc(q->hits, cap * sizeof *v);
        if (!v)
            return sl__nomem(q->err);
        q->hits = v;
        q->hits_cap = cap;
    }
    q->hits[q->nhits++] = (struct hit){segment, percent};
    return SL_OK;
}

static sl_status query_error(struct query *q, int rc)
{
    return sl__tm_db_error(q->tm, rc, "cannot look the sentence up", q->err);
}

/* Count a hit among the best ones when the segment has a unit in the
 * language pair (either direction), as collect_units will read them. */
static sl_status note_hit(struct query *q, long long segment, int percent)
{
    if (!q->limit || q->limit > TOP_MAX)
        return SL_OK;
    if (q->top.full && percent <= q->top.v[q->top.n - 1])
        return SL_OK;
    if (!q->has_units) {
        static const char *const sql[4] = {
            "SELECT EXISTS (SELECT 1 FROM units WHERE src_segment = ?1)",
            "SELECT EXISTS (SELECT 1 FROM units u JOIN segments t ON t.id = u.tgt_segment"
            " WHERE u.src_segment = ?1 AND +t.lang = ?2)",
            "SELECT EXISTS (SELECT 1 FROM units WHERE src_segment = ?1)"
            " OR EXISTS (SELECT 1 FROM units WHERE tgt_segment = ?1)",
            "SELECT EXISTS (SELECT 1 FROM units u JOIN segments t ON t.id = u.tgt_segment"
            " WHERE u.src_segment = ?1 AND +t.lang = ?2)"
            " OR EXISTS (SELECT 1 FROM units u JOIN segments s ON s.id = u.src_segment"
            " WHERE u.tgt_segment = ?1 AND +s.lang = ?2)",
        };
        sl_status s = sl__tm_prepare(
            q->tm, sql[(q->tgt_lang ? 1 : 0) | (q->src_lang ? 2 : 0)], &q->has_units, q->err);
        if (s != SL_OK)
            return s;
        if (q->tgt_lang) {
            int rc = sqlite3_bind_text(q->has_units, 2, q->tgt_lang, -1, SQLITE_STATIC);
            if (rc != SQLITE_OK)
                return query_error(q, rc);
        }
    }
    sqlite3_reset(q->has_units);
    int rc = sqlite3_bind_int64(q->has_units, 1, segment);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(q->has_units);
    if (rc != SQLITE_ROW)
        return query_error(q, rc);
    if (!sqlite3_column_int(q->has_units, 0))
        return SL_OK;
    size_t i = q->top.n < q->limit ? q->top.n++ : q->top.n - 1;
    for (; i > 0 && q->top.v[i - 1] < percent; i--)
        q->top.v[i] = q->top.v[i - 1];
    q->top.v[i] = percent;
    q->top.full = q->top.n == q->limit;
    return SL_OK;
}

/* Segments of the query's language whose normalised text is the query's,
 * by the key index; the norm comparison guards against key collisions. */
static sl_status find_exact(struct query *q)
{
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(q->tm,
                                 q->src_lang ? "SELECT id FROM segments WHERE key = ?1"
                                               " AND norm = ?2 AND lang = ?3"
                                             : "SELECT id FROM segments WHERE key = ?1"
                                               " AND norm = ?2",
                                 &st, q->err);
    if (s != SL_OK)
        return s;
    int rc = sqlite3_bind_int64(st, 1, q->key);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 2, q->norm, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && q->src_lang)
        rc = sqlite3_bind_text(st, 3, q->src_lang, -1, SQLITE_STATIC);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        s = push_hit(q, sqlite3_column_int64(st, 0), 100);
        if (s == SL_OK)
            s = note_hit(q, sqlite3_column_int64(st, 0), 100);
        if (s != SL_OK)
            break;
    }
    if (s == SL_OK && rc != SQLITE_DONE)
        s = query_error(q, rc);
    sqlite3_finalize(st);
    return s;
}

/* Score one segment (norm in the current row of st, column col) unless its
 * text is the query's: those are the exact hits. */
static sl_status score_row(struct query *q, sqlite3_stmt *st, int col, long long segment)
{
    const char *norm = (const char *)sqlite3_column_text(st, col);
    if (!norm)
        return sqlite3_errcode(q->tm->db) == SQLITE_NOMEM ? sl__nomem(q->err) : SL_OK;
    int percent;
    q->counts.scored++;
    sl_status s = percent_norm(&q->w, q->norm, q->tokens, q->ntokens, norm, q->min_percent,
                               &percent, q->err);
    if (s == SL_OK && percent < 100 && percent >= q->min_percent)
        s = push_hit(q, segment, percent);
    return s;
}

/* The fallback without the index: every segment of a plausible length. */
static sl_status scan_lengths(struct query *q)
{
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(q->tm,
                                 q->src_lang ? "SELECT id, norm FROM segments WHERE lang = ?3"
                                               " AND words BETWEEN ?1 AND ?2"
                                             : "SELECT id, norm FROM segments"
                                               " WHERE words BETWEEN ?1 AND ?2",
                                 &st, q->err);
    if (s != SL_OK)
        return s;
    int rc = sqlite3_bind_int64(st, 1, q->lo);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 2, q->hi);
    if (rc == SQLITE_OK && q->src_lang)
        rc = sqlite3_bind_text(st, 3, q->src_lang, -1, SQLITE_STATIC);
    q->counts.full_scan = true;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        s = score_row(q, st, 1, sqlite3_column_int64(st, 0));
        if (s != SL_OK)
            break;
    }
    if (s == SL_OK && rc != SQLITE_DONE)
        s = query_error(q, rc);
    sqlite3_finalize(st);
    return s;
}

static bool is_word_token(const sl__token *t)
{
    int32_t i = 0;
    UChar32 c;
    U8_NEXT(t->p, i, (int32_t)t->n, c);
    return is_word_char(c);
}

/* The FTS5 query for one word: a quoted string, which the index's own
 * tokenizer splits (so "anak-anak" becomes the phrase "anak anak"). */
static bool fts_term(const sl__token *t, sl__buf *b)
{
    sl__buf_clear(b);
    if (!sl__buf_append(b, "\"", 1))
        return false;
    for (size_t i = 0; i < t->n; i++)
        if (!sl__buf_append(b, t->p[i] == '"' ? "\"\"" : &t->p[i], t->p[i] == '"' ? 2 : 1))
            return false;
    return sl__buf_append(b, "\"", 1);
}

/* Candidates (segment, shared tokens in .word): most shared first. */
static int compare_candidates(const void *pa, const void *pb)
{
    const struct posting *a = pa, *b = pb;
    if (a->word != b->word)
        return a->word > b->word ? -1 : 1;
    return (a->segment > b->segment) - (a->segment < b->segment);
}


/*
 * Words whose posting list is longer than this are "common": their
 * segments are not read unless the rarer words cannot vouch for
 * completeness (see find_fuzzy).
 */
#define COMMON_POSTINGS 512

/* Segments already scored in an earlier round: open addressing, ids > 0. */
struct idset {
    long long *v;
    size_t cap, n;
};

static bool idset_add(struct idset *set, long long id, bool *added)
{
    if (2 * (set->n + 1) > set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 1024;
        long long *v = calloc(cap, sizeof *v);
        if (!v)
            return false;
        for (size_t i = 0; i < set->cap; i++) {
            if (!set->v[i])
                continue;
            size_t h = (size_t)((unsigned long long)set->v[i] * 0x9E3779B97F4A7C15ull) & (cap - 1);
            while (v[h])
                h = (h + 1) & (cap - 1);
            v[h] = set->v[i];
        }
        free(set->v);
        set->v = v;
        set->cap = cap;
    }
    size_t h = (size_t)((unsigned long long)id * 0x9E3779B97F4A7C15ull) & (set->cap - 1);
    while (set->v[h] && set->v[h] != id)
        h = (h + 1) & (set->cap - 1);
    *added = !set->v[h];
    if (*added) {
        set->v[h] = id;
        set->n++;
    }
    return true;
}

static bool idset_has(const struct idset *set, long long id)
{
    if (!set->cap)
        return false;
    size_t h = (size_t)((unsigned long long)id * 0x9E3779B97F4A7C15ull) & (set->cap - 1);
    while (set->v[h] && set->v[h] != id)
        h = (h + 1) & (set->cap - 1);
    return set->v[h] == id;
}

struct fuzzy {
    struct query *q;
    struct word *words;
    size_t nwords, punct;
    struct posting *post, *cand;
    size_t npost, post_cap, cand_cap, ncand;
    struct posting *acc; /* hash table segment -> shared, for gather() */
    size_t acc_cap;
    sqlite3_stmt *match;
    sl__buf term;
    struct idset scored;
};

/* Occurrences in the query of punctuation and of words not read: a
 * segment may share all of them without appearing in any list read. */
static long long unread_tokens(const struct fuzzy *f)
{
    long long unread = (long long)f->punct;
    for (size_t k = 0; k < f->nwords; k++)
        if (!f->words[k].fetched)
            unread += (long long)f->words[k].mult;
    return unread;
}

/* Tokens a segment must share to matter: ceil(nq * p / 100) for the
 * minimum, or for the worst of the best `limit` hits once there are that
 * many (a segment scoring less cannot enter the result). */
static int needed_percent(const struct query *q)
{
    int p = q->min_percent;
    if (q->top.full && q->top.v[q->top.n - 1] + q->best_only > p)
        p = q->top.v[q->top.n - 1] + q->best_only;
    return p;
}

static long long needed_tokens(const struct fuzzy *f)
{
    return ((long long)f->q->ntokens * needed_percent(f->q) + 99) / 100;
}

/* Read word k's posting list if it has at most cap entries (cap < 0: all);
 * else leave the word unread. */
static sl_status read_word(struct fuzzy *f, size_t k, long long cap)
{
    struct query *q = f->q;
    if (!fts_term(&f->words[k].tok, &f->term))
        return sl__nomem(q->err);
    sqlite3_reset(f->match);
    int rc = sqlite3_bind_text(f->match, 1, sl__buf_cstr(&f->term), -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(f->match, 2, cap < 0 ? -1 : cap + 1);
    size_t first = f->npost;
    while (rc == SQLITE_OK && (rc = sqlite3_step(f->match)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        if (f->npost == f->post_cap) {
            size_t n = f->post_cap ? f->post_cap * 2 : 1024;
            struct posting *v = realloc(f->post, n * sizeof *v);
            if (!v)
                return sl__nomem(q->err);
            f->post = v;
            f->post_cap = n;
        }
        f->post[f->npost++] = (struct posting){sqlite3_column_int64(f->match, 0), k};
    }
    sqlite3_reset(f->match);
    if (rc == SQLITE_ERROR) {
        /* A word the index's tokenizer makes nothing of (characters it
         * does not know): it stays unread, counted as shared. */
        f->npost = first;
        return SL_OK;
    }
    if (rc != SQLITE_DONE)
        return query_error(q, rc);
    q->counts.postings += f->npost - first;
    if (cap >= 0 && f->npost - first > (size_t)cap)
        f->npost = first; /* longer than this round's cap */
    else
        f->words[k].fetched = true;
    return SL_OK;
}

/* The segments of the lists read that may still matter, with the most
 * tokens each can share (in .word), most shared first, into f->cand. */
static sl_status gather(struct fuzzy *f)
{
    struct query *q = f->q;
    long long unread = unread_tokens(f), need = needed_tokens(f);
    size_t cap = 1024;
    while (cap < 2 * f->npost)
        cap *= 2;
    if (f->acc_cap < cap) {
        struct posting *v = realloc(f->acc, cap * sizeof *v);
        if (!v)
            return sl__nomem(q->err);
        f->acc = v;
        f->acc_cap = cap;
    }
    memset(f->acc, 0, cap * sizeof *f->acc);
    size_t distinct = 0;
    for (size_t i = 0; i < f->npost; i++) {
        long long id = f->post[i].segment;
        size_t h = (size_t)((unsigned long long)id * 0x9E3779B97F4A7C15ull) & (cap - 1);
        while (f->acc[h].segment && f->acc[h].segment != id)
            h = (h + 1) & (cap - 1);
        if (!f->acc[h].segment) {
            f->acc[h].segment = id;
            distinct++;
        }
        f->acc[h].word += f->words[f->post[i].word].mult;
    }
    if (f->cand_cap < distinct) {
        struct posting *v = realloc(f->cand, distinct * sizeof *v);
        if (!v)
            return sl__nomem(q->err);
        f->cand = v;
        f->cand_cap = distinct;
    }
    f->ncand = 0;
    for (size_t h = 0; h < cap; h++) {
        if (!f->acc[h].segment)
            continue;
        long long shared = unread + (long long)f->acc[h].word;
        if (shared >= need && !idset_has(&f->scored, f->acc[h].segment))
            f->cand[f->ncand++] = (struct posting){f->acc[h].segment, (size_t)shared};
    }
    if (f->ncand > 1)
        qsort(f->cand, f->ncand, sizeof *f->cand, compare_candidates);
    return SL_OK;
}

/* A segment sharing m tokens scores at most floor(100 * m / nq): below the
 * worst of the best `limit` hits, it cannot enter. */
static bool cut_off(const struct query *q, size_t shared)
{
    if (shared > q->ntokens)
        shared = q->ntokens;
    if (!q->top.full)
        return false;
    int bound = (int)(100 * shared / q->ntokens), worst = q->top.v[q->top.n - 1];
    return q->best_only ? bound <= worst : bound < worst;
}

/* Score the gathered candidates, most shared first. */
static sl_status score_candidates(struct fuzzy *f)
{
    struct query *q = f->q;
    for (size_t i = 0; i < f->ncand; i++) {
        if (cut_off(q, f->cand[i].word))
            break;
        long long segment = f->cand[i].segment;
        bool fresh;
        if (!idset_add(&f->scored, segment, &fresh))
            return sl__nomem(q->err);
        if (!fresh)
            continue;
        q->counts.candidates++;
        sqlite3_reset(q->seg);
        int rc = sqlite3_bind_int64(q->seg, 1, segment);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(q->seg);
        if (rc == SQLITE_DONE)
            continue; /* another language */
        if (rc != SQLITE_ROW)
            return query_error(q, rc);
        long long n = sqlite3_column_int64(q->seg, 1);
        if (n < q->lo || n > q->hi)
            continue;
        size_t before = q->nhits;
        sl_status s = score_row(q, q->seg, 0, segment);
        if (s == SL_OK && q->nhits > before)
            s = note_hit(q, segment, q->hits[q->nhits - 1].percent);
        if (s != SL_OK)
            return s;
    }
    return SL_OK;
}

/* Reading a posting costs about 1/25 of scoring a candidate (measured on
 * a 1,000,000-unit TM): a round of longer lists is worth reading first
 * when it may spare more candidates than that. */
#define POSTINGS_PER_CANDIDATE 25

/* ---- candidates through the fuzzy index (schema 6, fuzzy-index.c) */

/* Segments above fuzzy_state.upto (not indexed yet) are scored directly up
 * to this many; beyond, the FTS5 path below is taken. */
#define UNINDEXED_MAX 20000

/* A posting of the fuzzy index (a varint in a blob, a probe of a small
 * hash table) costs about this fraction of scoring a candidate: a list is
 * read to tighten the bounds while it is shorter than this many postings
 * per candidate still in the running. */
#define INDEX_POSTINGS_PER_CANDIDATE 128

/* The first pass scores this many of the segments sharing the most tokens
 * of the rarer words, so the bound of the second pass starts from real
 * hits. */
#define SEED_CANDIDATES 32

/* From this many postings to insert, segments are counted in an array by
 * id, when ids stay below DENSE_IDS_MAX (2 bytes each). */
#define DENSE_MIN 20000
#define DENSE_IDS_MAX (1LL << 26)
#define SEED_LISTS 4
#define SEED_POSTINGS 50000
#define SEED_POSTINGS_PER_CANDIDATE 1

/* A distinct token of the query: its lists (one per length bucket in the
 * query's range) are terms[first, first + n) of struct indexed. */
struct ikey {
    const char *key; /* into the keys buffer */
    size_t keylen;
    size_t first, n;
    long long df; /* segments in those lists */
    size_t mult;
};

struct slot {
    long long id;
    size_t count;
    unsigned bucket;
};

struct indexed {
    struct fuzzy *f;
    struct ikey *k;
    size_t nk;
    long long *terms;
    unsigned char *buckets; /* the length bucket of each term */
    size_t nterms, terms_cap;
    long long need[256]; /* tokens a segment of each bucket must share */
    unsigned bucket_lo, bucket_hi; /* the buckets of the lengths that can match */
    size_t *order; /* counting sort of the candidates by tokens shared */
    sqlite3_stmt *postings;
    struct slot *acc;
    size_t acc_cap, acc_n;
    size_t *hist; /* hist[c]: segments counted c, c <= the query's tokens */
    /* Many segments are counted in an array by id instead (no hashing):
     * dense[id] for ids up to top (the count in the low byte, the bucket in
     * the high one), the ids counted in touched. */
    bool use_dense;
    uint16_t *dense;
    long long top;
    long long *touched;
    size_t ntouched, touched_cap;
};

static int compare_ikey_bytes(const void *pa, const void *pb)
{
    const struct ikey *a = pa, *b = pb;
    size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
    int c = memcmp(a->key, b->key, n);
    return c ? c : (a->keylen > b->keylen) - (a->keylen < b->keylen);
}

static int compare_ikey_df(const void *pa, const void *pb)
{
    const struct ikey *a = pa, *b = pb;
    if (a->df != b->df)
        return a->df < b->df ? -1 : 1;
    return (a->mult < b->mult) - (a->mult > b->mult);
}

static struct slot *acc_find(struct indexed *x, long long id)
{
    size_t h = (size_t)((unsigned long long)id * 0x9E3779B97F4A7C15ull) & (x->acc_cap - 1);
    while (x->acc[h].id && x->acc[h].id != id)
        h = (h + 1) & (x->acc_cap - 1);
    return &x->acc[h];
}

static bool acc_grow(struct indexed *x)
{
    size_t cap = x->acc_cap ? x->acc_cap * 2 : 4096;
    struct slot *old = x->acc, *v = calloc(cap, sizeof *v);
    if (!v)
        return false;
    size_t oldcap = x->acc_cap;
    x->acc = v;
    x->acc_cap = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].id)
            *acc_find(x, old[i].id) = old[i];
    free(old);
    return true;
}

static void acc_clear(struct indexed *x)
{
    if (x->acc)
        memset(x->acc, 0, x->acc_cap * sizeof *x->acc);
    for (size_t i = 0; i < x->ntouched; i++)
        x->dense[x->touched[i]] = 0;
    x->ntouched = 0;
    memset(x->hist, 0, (x->f->q->ntokens + 1) * sizeof *x->hist);
    x->acc_n = 0;
}

/* Add key i's occurrences to the segments of its lists: every segment
 * when its bucket is still in the prefix (unread >= its need; never for a
 * probe), else only those already counted. */
static sl_status read_list(struct indexed *x, size_t i, long long unread, bool probe)
{
    struct query *q = x->f->q;
    const struct ikey *k = &x->k[i];
    for (size_t t = k->first; t < k->first + k->n; t++) {
        unsigned b = x->buckets[t];
        bool insert = !probe && unread >= x->need[b];
        sqlite3_reset(x->postings);
        int rc = sqlite3_bind_int64(x->postings, 1, x->terms[t]);
        while (rc == SQLITE_OK && (rc = sqlite3_step(x->postings)) == SQLITE_ROW) {
            rc = SQLITE_OK;
            const unsigned char *p = sqlite3_column_blob(x->postings, 0);
            size_t n = (size_t)sqlite3_column_bytes(x->postings, 0), j = 0;
            unsigned long long id = 0;
            while (j < n) {
                unsigned long long d = 0;
                unsigned shift = 0;
                while (j < n && (p[j] & 0x80) && shift < 63) {
                    d |= (unsigned long long)(p[j++] & 0x7F) << shift;
                    shift += 7;
                }
                if (j < n)
                    d |= (unsigned long long)p[j++] << shift;
                id += d;
                q->counts.postings++;
                if (x->use_dense) {
                    if (id > (unsigned long long)x->top)
                        continue; /* a deleted segment */
                    uint16_t *c = &x->dense[id];
                    if (*c) {
                        x->hist[*c & 0xFF]--;
                        *c = (uint16_t)(*c + k->mult);
                        x->hist[*c & 0xFF]++;
                    } else if (insert) {
                        if (x->ntouched == x->touched_cap) {
                            size_t cap = x->touched_cap ? 2 * x->touched_cap : 4096;
                            long long *v = realloc(x->touched, cap * sizeof *v);
                            if (!v)
                                return sl__nomem(q->err);
                            x->touched = v;
                            x->touched_cap = cap;
                        }
                        x->touched[x->ntouched++] = (long long)id;
                        *c = (uint16_t)(b << 8 | k->mult);
                        x->hist[k->mult]++;
                    }
                    continue;
                }
                if (insert && 2 * (x->acc_n + 1) > x->acc_cap && !acc_grow(x))
                    return sl__nomem(q->err);
                if (!x->acc_cap)
                    continue;
                struct slot *s = acc_find(x, (long long)id);
                if (s->id) {
                    x->hist[s->count]--;
                    s->count += k->mult;
                    x->hist[s->count]++;
                } else if (insert) {
                    *s = (struct slot){(long long)id, k->mult, b};
                    x->acc_n++;
                    x->hist[k->mult]++;
                }
            }
        }
        sqlite3_reset(x->postings);
        if (rc != SQLITE_DONE)
            return query_error(q, rc);
    }
    return SL_OK;
}

static size_t live_count(const struct indexed *x, long long unread, long long need)
{
    size_t n = 0;
    for (long long c = need - unread > 0 ? need - unread : 0; c <= (long long)x->f->q->ntokens;
         c++)
        n += x->hist[c];
    return n;
}

/* f->cand by tokens shared, most first (a counting sort: at most nq). */
static sl_status sort_by_shared(struct indexed *x)
{
    struct fuzzy *f = x->f;
    size_t nq = f->q->ntokens;
    struct posting *v = malloc(f->ncand * sizeof *v);
    if (!v)
        return sl__nomem(f->q->err);
    memset(x->order, 0, (nq + 2) * sizeof *x->order);
    for (size_t i = 0; i < f->ncand; i++)
        x->order[nq - (f->cand[i].word > nq ? nq : f->cand[i].word) + 1]++;
    for (size_t c = 1; c <= nq + 1; c++)
        x->order[c] += x->order[c - 1];
    for (size_t i = 0; i < f->ncand; i++)
        v[x->order[nq - (f->cand[i].word > nq ? nq : f->cand[i].word)]++] = f->cand[i];
    memcpy(f->cand, v, f->ncand * sizeof *v);
    free(v);
    return SL_OK;
}

/*
 * One pass: read lists rarest first until the keys left unread are worth
 * less than the tokens a match needs (then every segment that can match is
 * in a list read), then longer lists while they are cheap next to the
 * candidates they may rule out; score the candidates whose count plus the
 * unread keys reaches the need, most shared first.  A seed pass reads only
 * the rarest list and scores the best few, to raise the need.
 */
static sl_status index_pass(struct indexed *x, bool seed)
{
    struct fuzzy *f = x->f;
    struct query *q = f->q;
    long long unread = (long long)q->ntokens, need = needed_tokens(f);
    size_t i = 0;
    sl_status s = SL_OK;
    acc_clear(x);
    /* A segment of n >= nq tokens reaching p% shares ceil(p * n / 100) of
     * them: the need of a bucket is that of its shortest length. */
    int p = needed_percent(q);
    for (unsigned b = x->bucket_lo; b <= x->bucket_hi; b++) {
        size_t shortest = sl__fuzzy_bucket_min(b);
        long long n = (long long)(shortest > q->ntokens ? shortest : q->ntokens);
        x->need[b] = (n * p + 99) / 100;
    }
    /* Counting in an array pays off from some tens of thousands of
     * segments: it costs a page fault per 2,048 ids touched. */
    x->use_dense = false;
    if (!seed && q->ntokens < 256 && x->top < DENSE_IDS_MAX) {
        long long planned = 0, left = (long long)q->ntokens;
        for (size_t j = 0; j < x->nk && left >= need; j++) {
            planned += x->k[j].df;
            left -= (long long)x->k[j].mult;
        }
        if (planned > DENSE_MIN) {
            if (!x->dense && !(x->dense = calloc((size_t)x->top + 1, sizeof *x->dense)))
                return sl__nomem(q->err);
            x->use_dense = true;
        }
    }
    /* the seed: the few rarest lists, which hold every segment that misses
     * at most SEED_LISTS - 1 of the query's tokens (a close match) */
    long long inserted = 0;
    while (s == SL_OK && i < x->nk &&
           (seed ? i < SEED_LISTS && (i == 0 || inserted + x->k[i].df <= SEED_POSTINGS)
                 : unread >= need)) {
        s = read_list(x, i, seed ? LLONG_MAX : unread, false);
        inserted += x->k[i].df;
        unread -= (long long)x->k[i++].mult;
    }
    while (s == SL_OK && i < x->nk) {
        size_t live = live_count(x, unread, need);
        if (live <= 1 ||
            (unsigned long long)x->k[i].df >
                (unsigned long long)live * (seed ? SEED_POSTINGS_PER_CANDIDATE
                                                 : INDEX_POSTINGS_PER_CANDIDATE))
            break;
        s = read_list(x, i, unread, true);
        unread -= (long long)x->k[i++].mult;
    }
    if (s != SL_OK)
        return s;
    size_t n = live_count(x, unread, need);
    if (f->cand_cap < n) {
        struct posting *v = realloc(f->cand, n * sizeof *v);
        if (!v)
            return sl__nomem(q->err);
        f->cand = v;
        f->cand_cap = n;
    }
    f->ncand = 0;
    for (size_t h = 0; h < x->ntouched; h++) {
        long long id = x->touched[h];
        size_t count = x->dense[id] & 0xFF;
        if ((long long)count + unread >= x->need[x->dense[id] >> 8] &&
            !idset_has(&f->scored, id))
            f->cand[f->ncand++] = (struct posting){id, count + (size_t)unread};
    }
    for (size_t h = 0; h < x->acc_cap; h++) {
        const struct slot *sl = &x->acc[h];
        if (sl->id && (long long)sl->count + unread >= x->need[sl->bucket] &&
            !idset_has(&f->scored, sl->id))
            f->cand[f->ncand++] = (struct posting){sl->id, sl->count + (size_t)unread};
    }
    if (f->ncand > 1)
        s = sort_by_shared(x);
    if (s != SL_OK)
        return s;
    if (seed && f->ncand > SEED_CANDIDATES)
        f->ncand = SEED_CANDIDATES;
    return score_candidates(f);
}

/* Segments not indexed yet (above upto, or changed), of a plausible
 * length. */
static sl_status scan_unindexed(struct query *q, long long upto)
{
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(q->tm,
                                 "SELECT id, norm FROM segments WHERE id > ?1 AND +lang = ?2"
                                 " AND +words BETWEEN ?3 AND ?4 UNION ALL"
                                 " SELECT s.id, s.norm FROM fuzzy_pending p CROSS JOIN segments s"
                                 " ON s.id = p.id WHERE +s.lang = ?2"
                                 " AND +s.words BETWEEN ?3 AND ?4",
                                 &st, q->err);
    if (s != SL_OK)
        return s;
    int rc = sqlite3_bind_int64(st, 1, upto);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 2, q->src_lang, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 3, q->lo);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 4, q->hi);
    while (s == SL_OK && rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        long long segment = sqlite3_column_int64(st, 0);
        size_t before = q->nhits;
        s = score_row(q, st, 1, segment);
        if (s == SL_OK && q->nhits > before)
            s = note_hit(q, segment, q->hits[q->nhits - 1].percent);
    }
    if (s == SL_OK && rc != SQLITE_DONE)
        s = query_error(q, rc);
    sqlite3_finalize(st);
    return s;
}

/*
 * Candidates through the fuzzy index, when the query's language is known
 * and the index is (nearly) up to date; *done false leaves the lookup to
 * the FTS5 path.  The bound is the one of find_fuzzy, over every token
 * (punctuation is indexed too): a segment reaching the need T shares at
 * least T tokens, so with the keys sorted rarest first it appears in one of
 * the lists read before the rest are worth less than T.
 */
static sl_status find_indexed(struct fuzzy *f, bool *done)
{
    struct query *q = f->q;
    *done = false;
    if (!q->src_lang || needed_tokens(f) <= 0)
        return SL_OK;
    struct indexed x;
    memset(&x, 0, sizeof x);
    x.f = f;
    sqlite3_stmt *st = NULL, *term = NULL;
    sl__buf keys = SL__BUF_INIT, one = SL__BUF_INIT;
    size_t *ends = NULL;
    sl_status s = sl__tm_prepare(q->tm,
                                 "SELECT (SELECT upto FROM fuzzy_state),"
                                 " (SELECT coalesce(max(id), 0) FROM segments)",
                                 &st, q->err);
    long long upto = 0, top = 0;
    if (s == SL_OK) {
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
            s = query_error(q, rc);
            goto cleanup;
        }
        upto = sqlite3_column_int64(st, 0);
        top = sqlite3_column_int64(st, 1);
        x.top = top;
    }
    if (s != SL_OK || top - upto > UNINDEXED_MAX)
        goto cleanup;
    /* the query's keys, all in one buffer, then counted */
    x.k = calloc(q->ntokens, sizeof *x.k);
    ends = calloc(q->ntokens, sizeof *ends);
    x.hist = calloc(q->ntokens + 1, sizeof *x.hist);
    x.order = calloc(q->ntokens + 2, sizeof *x.order);
    if (!x.k || !ends || !x.hist || !x.order) {
        s = sl__nomem(q->err);
        goto cleanup;
    }
    for (size_t i = 0; i < q->ntokens; i++) {
        if (!sl__fuzzy_key(q->src_lang, q->tokens[i].p, q->tokens[i].n, (size_t)q->lo, &one) ||
            !sl__buf_append(&keys, one.data, one.len)) {
            s = sl__nomem(q->err);
            goto cleanup;
        }
        ends[i] = keys.len;
    }
    for (size_t i = 0; i < q->ntokens; i++) {
        size_t start = i ? ends[i - 1] : 0;
        x.k[i] = (struct ikey){keys.data + start, ends[i] - start, 0, 0, 0, 1};
    }
    if (q->ntokens > 1)
        qsort(x.k, q->ntokens, sizeof *x.k, compare_ikey_bytes);
    for (size_t i = 0; i < q->ntokens; i++) {
        if (x.nk && compare_ikey_bytes(&x.k[x.nk - 1], &x.k[i]) == 0)
            x.k[x.nk - 1].mult++;
        else
            x.k[x.nk++] = x.k[i];
    }
    /* each key's lists from the bucket of the shortest segment that can
     * match to that of the longest */
    s = sl__tm_prepare(q->tm,
                       "SELECT id, df, key FROM fuzzy_terms WHERE key BETWEEN ?1 AND ?2",
                       &term, q->err);
    if (s == SL_OK)
        s = sl__tm_prepare(q->tm, "SELECT ids FROM fuzzy_postings WHERE term = ?1", &x.postings,
                           q->err);
    unsigned char hi_bucket =
        (unsigned char)sl__fuzzy_bucket(q->hi > INT32_MAX ? INT32_MAX : (size_t)q->hi);
    x.bucket_lo = sl__fuzzy_bucket((size_t)q->lo);
    x.bucket_hi = hi_bucket;
    for (size_t i = 0; s == SL_OK && i < x.nk; i++) {
        struct ikey *k = &x.k[i];
        sl__buf_clear(&one);
        if (!sl__buf_append(&one, k->key, k->keylen)) {
            s = sl__nomem(q->err);
            break;
        }
        one.data[one.len - 1] = (char)hi_bucket;
        sqlite3_reset(term);
        int rc = sqlite3_bind_blob(term, 1, k->key, (int)k->keylen, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_blob(term, 2, one.data, (int)one.len, SQLITE_STATIC);
        k->first = x.nterms;
        while (rc == SQLITE_OK && (rc = sqlite3_step(term)) == SQLITE_ROW) {
            rc = SQLITE_OK;
            if (x.nterms == x.terms_cap) {
                size_t cap = x.terms_cap ? 2 * x.terms_cap : 64;
                long long *v = realloc(x.terms, cap * sizeof *v);
                if (v)
                    x.terms = v;
                unsigned char *w = v ? realloc(x.buckets, cap) : NULL;
                if (w)
                    x.buckets = w;
                if (!v || !w) {
                    s = sl__nomem(q->err);
                    break;
                }
                x.terms_cap = cap;
            }
            const unsigned char *key = sqlite3_column_blob(term, 2);
            int keylen = sqlite3_column_bytes(term, 2);
            x.buckets[x.nterms] = keylen > 0 ? key[keylen - 1] : 0;
            x.terms[x.nterms++] = sqlite3_column_int64(term, 0);
            k->df += sqlite3_column_int64(term, 1);
        }
        k->n = x.nterms - k->first;
        if (s == SL_OK && rc != SQLITE_DONE)
            s = query_error(q, rc);
    }
    if (s != SL_OK)
        goto cleanup;
    if (x.nk > 1)
        qsort(x.k, x.nk, sizeof *x.k, compare_ikey_df);
    if (q->limit && q->limit <= TOP_MAX)
        s = index_pass(&x, true);
    if (s == SL_OK)
        s = index_pass(&x, false);
    if (s == SL_OK)
        s = scan_unindexed(q, upto);
    *done = s == SL_OK;
cleanup:
    sqlite3_finalize(st);
    sqlite3_finalize(term);
    sqlite3_finalize(x.postings);
    sl__buf_free(&keys);
    sl__buf_free(&one);
    free(ends);
    free(x.terms);
    free(x.buckets);
    free(x.hist);
    free(x.order);
    free(x.dense);
    free(x.touched);
    free(x.k);
    free(x.acc);
    return s;
}

/*
 * Candidates through the index.  A segment reaching p% shares at least
 * T = ceil(nq * p / 100) tokens with the query (with d the distance,
 * max(nq, n) - d tokens at least are matched, each equal but for case).
 * The query's punctuation (P tokens) is not indexed.  Every word's posting
 * list is read up to COMMON_POSTINGS entries, and the segments in them are
 * scored.  A segment found in no list read can share only punctuation and
 * unread words; while those are worth T or more, longer lists are read
 * (growing caps) and their new segments scored.  T starts from --min and
 * rises to the worst of the best `limit` hits found so far, which is what
 * usually ends the reading early.  A segment whose words found plus the
 * unread ones and P stay below T is dropped before its text is read.
 */
static sl_status find_fuzzy(struct query *q)
{
    struct fuzzy f;
    memset(&f, 0, sizeof f);
    f.q = q;
    bool done = false;
    sl_status s = find_indexed(&f, &done);
    if (s != SL_OK || done)
        goto cleanup;
    f.words = calloc(q->ntokens ? q->ntokens : 1, sizeof *f.words);
    if (!f.words) {
        s = sl__nomem(q->err);
        goto cleanup;
    }
    for (size_t i = 0; i < q->ntokens; i++) {
        if (!is_word_token(&q->tokens[i])) {
            f.punct++;
            continue;
        }
        size_t k = 0;
        while (k < f.nwords && !(f.words[k].tok.n == q->tokens[i].n &&
                                 memcmp(f.words[k].tok.p, q->tokens[i].p, q->tokens[i].n) == 0))
            k++;
        if (k == f.nwords)
            f.words[f.nwords++] = (struct word){q->tokens[i], 0, false};
        f.words[k].mult++;
    }
    if (needed_tokens(&f) <= (long long)f.punct) { /* the index cannot help */
        s = scan_lengths(q);
        goto cleanup;
    }
    s = sl__tm_prepare(q->tm,
                       "SELECT rowid FROM segments_fts WHERE segments_fts MATCH ?1"
                       " ORDER BY rowid LIMIT ?2",
                       &f.match, q->err);
    static const long long caps[] = {COMMON_POSTINGS, 8 * COMMON_POSTINGS, 64 * COMMON_POSTINGS,
                                     512 * COMMON_POSTINGS, -1};
    const size_t ncaps = sizeof caps / sizeof caps[0];
    for (size_t k = 0; s == SL_OK && k < f.nwords; k++)
        s = read_word(&f, k, caps[0]);
    for (size_t round = 1; s == SL_OK; round++) {
        s = gather(&f);
        if (s != SL_OK)
            break;
        size_t pending = 0, unread_words = 0;
        for (size_t i = 0; i < f.ncand && !cut_off(q, f.cand[i].word); i++)
            pending++;
        for (size_t k = 0; k < f.nwords; k++)
            unread_words += !f.words[k].fetched;
        bool last = round >= ncaps || unread_words == 0;
        if (!last && caps[round] >= 0 &&
            pending > unread_words * (size_t)caps[round] / POSTINGS_PER_CANDIDATE) {
            /* many weak candidates: longer lists first, to tighten the bound */
            for (size_t k = 0; s == SL_OK && k < f.nwords; k++)
                if (!f.words[k].fetched)
                    s = read_word(&f, k, caps[round]);
            continue;
        }
        s = score_candidates(&f);
        if (s != SL_OK || last || unread_tokens(&f) < needed_tokens(&f))
            break;
        /* not complete yet: longer lists, only as many as needed */
        for (size_t k = 0; s == SL_OK && k < f.nwords; k++) {
            if (f.words[k].fetched)
                continue;
            if (unread_tokens(&f) < needed_tokens(&f))
                break;
            s = read_word(&f, k, caps[round]);
        }
    }
    if (s == SL_OK && unread_tokens(&f) >= needed_tokens(&f))
        s = scan_lengths(q); /* words the index could not read */
cleanup:
    sqlite3_finalize(f.match);
    sl__buf_free(&f.term);
    free(f.scored.v);
    free(f.acc);
    free(f.cand);
    free(f.post);
    free(f.words);
    return s;
}

static int compare_hits(const void *pa, const void *pb)
{
    const struct hit *a = pa, *b = pb;
    if (a->percent != b->percent)
        return a->percent > b->percent ? -1 : 1;
    return (a->segment > b->segment) - (a->segment < b->segment);
}

/* Units of one matched segment: where it is the source (forward) and, when
 * the query's language is known, where it is the target (reversed). */
static sl_status add_units(struct query *q, sqlite3_stmt *st, long long segment, int percent,
                           bool reversed, sl_matches *m)
{
    sqlite3_reset(st);
    int rc = sqlite3_bind_int64(st, 1, segment);
    sl_status s = SL_OK;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        sl_unit u;
        sl__tm_unit_from_row(st, &u);
        s = push_match(m, &u, percent, reversed, q->err);
        if (s != SL_OK)
            return s;
    }
    return rc == SQLITE_DONE ? SL_OK : query_error(q, rc);
}

/* The unary + on a language keeps SQLite from walking the (lang, ...)
 * indexes of segments: the unit's segment id is the selective term. */
static sl_status collect_units(struct query *q, size_t limit, sl_matches *m)
{
    sqlite3_stmt *fwd = NULL, *rev = NULL;
    static const char *const fwd_sql[2] = {
        SL__TM_UNIT_SELECT " WHERE u.src_segment = ?1 ORDER BY u.id",
        SL__TM_UNIT_SELECT " WHERE u.src_segment = ?1 AND +t.lang = ?2 ORDER BY u.id",
    };
    static const char *const rev_sql[2] = {
        SL__TM_UNIT_SELECT " WHERE u.tgt_segment = ?1 ORDER BY u.id",
        SL__TM_UNIT_SELECT " WHERE u.tgt_segment = ?1 AND +s.lang = ?2 ORDER BY u.id",
    };
    int has_tgt = q->tgt_lang ? 1 : 0;
    sl_status s = sl__tm_prepare(q->tm, fwd_sql[has_tgt], &fwd, q->err);
    if (s == SL_OK && q->src_lang)
        s = sl__tm_prepare(q->tm, rev_sql[has_tgt], &rev, q->err);
    int rc = SQLITE_OK;
    if (s == SL_OK && has_tgt) {
        rc = sqlite3_bind_text(fwd, 2, q->tgt_lang, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK && rev)
            rc = sqlite3_bind_text(rev, 2, q->tgt_lang, -1, SQLITE_STATIC);
        if (rc != SQLITE_OK)
            s = query_error(q, rc);
    }
    if (s != SL_OK)
        goto cleanup;
    if (q->nhits > 1)
        qsort(q->hits, q->nhits, sizeof *q->hits, compare_hits);
    int cutoff = 101;
    for (size_t i = 0; i < q->nhits; i++) {
        /* Units of a lower percent cannot displace the first limit ones;
         * those of the same percent can (by score), so they are read. */
        if (limit && m->n >= limit && q->hits[i].percent < cutoff)
            break;
        if (i > 0 && q->hits[i].segment == q->hits[i - 1].segment)
            continue;
        s = add_units(q, fwd, q->hits[i].segment, q->hits[i].percent, false, m);
        if (s == SL_OK && rev)
            s = add_units(q, rev, q->hits[i].segment, q->hits[i].percent, true, m);
        if (s != SL_OK)
            goto cleanup;
        if (m->n)
            cutoff = q->hits[i].percent;
    }
cleanup:
    sqlite3_finalize(fwd);
    sqlite3_finalize(rev);
    return s;
}

/* The lookup; with best (not NULL) only the best percentage of a match
 * with units in the pair is wanted: it goes to *best (-1 when there is
 * none) and *out stays empty. */
static sl_status lookup(sl_tm *tm, const char *query, const char *src_lang, const char *tgt_lang,
                        int min_percent, size_t limit, int *best, sl_matches **out,
                        sl__lookup_counts *counts, sl_error *err)
{
    if (!out)
        return sl_error_set(err, SL_USAGE, "sl_tm_lookup: no place for the result");
    *out = NULL;
    if (!tm || !query)
        return sl_error_set(err, SL_USAGE, "sl_tm_lookup: missing argument");
    if (min_percent < 0 || min_percent > 100)
        return sl_error_set(err, SL_USAGE, "%s: minimum match %d%% is out of range (0-100)",
                            tm->path, min_percent);

    if (best)
        *best = -1;
    struct query q;
    memset(&q, 0, sizeof q);
    q.tm = tm;
    q.src_lang = src_lang;
    q.tgt_lang = tgt_lang;
    q.min_percent = min_percent;
    q.limit = limit;
    q.best_only = best != NULL;
    q.err = err;
    sl_matches *m = calloc(1, sizeof *m);
    char *norm = sl__normalise(query, strlen(query));
    sl_status s = SL_OK;
    bool began = false;
    if (!norm || !m) {
        s = sl__nomem(err);
        goto cleanup;
    }
    q.norm = norm;
    if (!*norm) /* nothing to look up: no matches */
        goto cleanup;
    /* One read transaction: one snapshot and one lock for all the
     * statements of the lookup. */
    if (sqlite3_get_autocommit(tm->db)) {
        int rc = sqlite3_exec(tm->db, "BEGIN", NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            s = query_error(&q, rc);
            goto cleanup;
        }
        began = true;
    }
    q.key = sl__segment_key(norm, strlen(norm));
    s = sl__tokenise(norm, &q.tokens, &q.ntokens, err);
    if (s == SL_OK)
        s = find_exact(&q);
    if (s == SL_OK && min_percent < 100 && !(q.best_only && q.top.n && q.top.v[0] == 100)) {
        /* The distance is at least the difference in length, so a segment of
         * n tokens can reach min only if n is within these bounds. */
        long long nq = (long long)q.ntokens;
        q.lo = (nq * min_percent + 99) / 100;
        q.hi = min_percent > 0 ? nq * 100 / min_percent : INT64_MAX;
        s = sl__tm_prepare(tm,
                           src_lang ? "SELECT norm, words FROM segments WHERE id = ?1"
                                      " AND lang = ?2"
                                    : "SELECT norm, words FROM segments WHERE id = ?1",
                           &q.seg, err);
        if (s == SL_OK && src_lang) {
            int rc = sqlite3_bind_text(q.seg, 2, src_lang, -1, SQLITE_STATIC);
            if (rc != SQLITE_OK)
                s = query_error(&q, rc);
        }
        if (s == SL_OK)
            s = find_fuzzy(&q);
    }
    if (best) {
        *best = q.top.n ? q.top.v[0] : -1;
        goto cleanup;
    }
    if (s == SL_OK)
        s = collect_units(&q, limit, m);
    if (s != SL_OK)
        goto cleanup;
    if (m->n > 1)
        qsort(m->v, m->n, sizeof *m->v, compare_entries);
    for (; limit && m->n > limit; m->n--) {
        free(m->v[m->n - 1].block);
        free(m->v[m->n - 1].spans);
    }
cleanup:
    if (s == SL_OK) {
        *out = m;
        m = NULL;
        if (counts)
            *counts = q.counts;
    }
    sqlite3_finalize(q.seg);
    sqlite3_finalize(q.has_units);
    if (began)
        sqlite3_exec(tm->db, "COMMIT", NULL, NULL, NULL);
    scratch_free(&q.w);
    sl_matches_free(m);
    free(q.hits);
    free(q.tokens);
    free(norm);
    return s;
}

sl_status sl__tm_lookup_counted(sl_tm *tm, const char *query, const char *src_lang,
                                const char *tgt_lang, int min_percent, size_t limit,
                                sl_matches **out, sl__lookup_counts *counts, sl_error *err)
{
    return lookup(tm, query, src_lang, tgt_lang, min_percent, limit, NULL, out, counts, err);
}

sl_status sl_tm_lookup(sl_tm *tm, const char *query, const char *src_lang, const char *tgt_lang,
                       int min_percent, size_t limit, sl_matches **out, sl_error *err)
{
    return lookup(tm, query, src_lang, tgt_lang, min_percent, limit, NULL, out, NULL, err);
}

/* ---- concordance */

/* The FTS5 query: the whole text as one phrase, or each token quoted
 * (all of them, anywhere). */
static sl_status concordance_query(const char *norm, bool words, sl__buf *b, sl_error *err)
{
    sl__token *t = NULL;
    size_t n = 0;
    sl_status s = sl__tokenise(norm, &t, &n, err);
    if (s != SL_OK)
        return s;
    bool ok = true, any = false;
    if (!words) {
        for (size_t i = 0; i < n && !any; i++)
            any = is_word_token(&t[i]);
        ok = sl__buf_puts(b, "\"");
        for (const char *p = norm; ok && *p; p++)
            ok = sl__buf_append(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
        ok = ok && sl__buf_puts(b, "\"");
    } else {
        sl__buf term = SL__BUF_INIT;
        for (size_t i = 0; ok && i < n; i++) {
            if (!is_word_token(&t[i]))
                continue;
            ok = fts_term(&t[i], &term) && (!any || sl__buf_puts(b, " ")) &&
                 sl__buf_puts(b, sl__buf_cstr(&term));
            any = true;
        }
        sl__buf_free(&term);
    }
    free(t);
    if (!ok)
        return sl__nomem(err);
    if (!any)
        return sl_error_set(err, SL_USAGE, "nothing to search for in '%s' (give words)", norm);
    return SL_OK;
}

/* Strip the \x01 ... \x02 markers of highlight() from h into a clean text
 * (in place) and the spans between them. */
static bool take_spans(char *h, sl_span **spans, size_t *n)
{
    size_t cap = 0, out = 0, start = 0;
    *spans = NULL;
    *n = 0;
    for (char *p = h; *p; p++) {
        if (*p == '\x01') {
            start = out;
        } else if (*p == '\x02') {
            if (*n == cap) {
                cap = cap ? cap * 2 : 4;
                sl_span *v = realloc(*spans, cap * sizeof *v);
                if (!v)
                    return false;
                *spans = v;
            }
            (*spans)[(*n)++] = (sl_span){start, out};
        } else {
            h[out++] = *p;
        }
    }
    h[out] = '\0';
    return true;
}

sl_status sl_tm_concordance(sl_tm *tm, const char *text, const char *src_lang,
                            const char *tgt_lang, int flags, size_t limit, sl_matches **out,
                            sl_error *err)
{
    if (!out)
        return sl_error_set(err, SL_USAGE, "sl_tm_concordance: no place for the result");
    *out = NULL;
    if (!tm || !text || !src_lang || !tgt_lang)
        return sl_error_set(err, SL_USAGE, "sl_tm_concordance: missing argument");
    bool target = flags & SL_CONCORDANCE_TARGET;
    const char *lang = target ? tgt_lang : src_lang, *other = target ? src_lang : tgt_lang;
    sl__buf fts = SL__BUF_INIT;
    sqlite3_stmt *st = NULL, *fwd = NULL, *rev = NULL;
    sl_matches *m = calloc(1, sizeof *m);
    char *norm = sl__normalise(text, strlen(text));
    sl_status s = SL_OK;
    if (!m || !norm) {
        s = sl__nomem(err);
        goto cleanup;
    }
    s = concordance_query(norm, flags & SL_CONCORDANCE_WORDS, &fts, err);
    if (s == SL_OK)
        s = sl__tm_prepare(tm,
                           "SELECT f.rowid, highlight(segments_fts, 0, char(1), char(2))"
                           " FROM segments_fts f JOIN segments g ON g.id = f.rowid"
                           " WHERE segments_fts MATCH ?1 AND +g.lang = ?2 ORDER BY f.rowid",
                           &st, err);
    /* Units whose side in lang is the segment, the other side in other. */
    if (s == SL_OK)
        s = sl__tm_prepare(tm,
                           target ? SL__TM_UNIT_SELECT " WHERE u.tgt_segment = ?1 AND +s.lang = ?2"
                                                       " ORDER BY u.id"
                                  : SL__TM_UNIT_SELECT " WHERE u.src_segment = ?1 AND +t.lang = ?2"
                                                       " ORDER BY u.id",
                           &fwd, err);
    if (s == SL_OK)
        s = sl__tm_prepare(tm,
                           target ? SL__TM_UNIT_SELECT " WHERE u.src_segment = ?1 AND +t.lang = ?2"
                                                       " ORDER BY u.id"
                                  : SL__TM_UNIT_SELECT " WHERE u.tgt_segment = ?1 AND +s.lang = ?2"
                                                       " ORDER BY u.id",
                           &rev, err);
    if (s != SL_OK)
        goto cleanup;
    int rc = sqlite3_bind_text(st, 1, sl__buf_cstr(&fts), -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(fwd, 2, other, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(rev, 2, other, -1, SQLITE_STATIC);
    while (rc == SQLITE_OK && (!limit || m->n < limit) && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        long long segment = sqlite3_column_int64(st, 0);
        const char *h = (const char *)sqlite3_column_text(st, 1);
        if (!h)
            continue;
        char *clean = sl__strdup(h);
        sl_span *spans = NULL;
        size_t nspans = 0;
        if (!clean || !take_spans(clean, &spans, &nspans)) {
            free(clean);
            s = sl__nomem(err);
            goto cleanup;
        }
        /* Stored direction: the segment is the source (or, with --target,
         * the target); the other direction comes reversed. */
        for (int pass = 0; pass < 2 && s == SL_OK; pass++) {
            sqlite3_stmt *q = pass ? rev : fwd;
            sqlite3_reset(q);
            rc = sqlite3_bind_int64(q, 1, segment);
            while (rc == SQLITE_OK && (!limit || m->n < limit) &&
                   (rc = sqlite3_step(q)) == SQLITE_ROW) {
                rc = SQLITE_OK;
                sl_unit u;
                sl__tm_unit_from_row(q, &u);
                /* The matched side shows the indexed (normalised) text,
                 * which the spans refer to. */
                bool swap = pass == 1;
                if ((target && !swap) || (!target && swap))
                    u.target = clean;
                else
                    u.source = clean;
                s = push_match(m, &u, 0, swap, err);
                if (s != SL_OK)
                    break;
                struct entry *e = &m->v[m->n - 1];
                if (nspans) {
                    e->spans = malloc(nspans * sizeof *spans);
                    if (!e->spans) {
                        s = sl__nomem(err);
                        break;
                    }
                    memcpy(e->spans, spans, nspans * sizeof *spans);
                    e->nspans = nspans;
                }
            }
            if (s == SL_OK && rc == SQLITE_DONE)
                rc = SQLITE_OK;
        }
        free(spans);
        free(clean);
        if (s != SL_OK)
            goto cleanup;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_OK)
        s = sl__tm_db_error(tm, rc, "cannot search the translation memory", err);
cleanup:
    if (s == SL_OK) {
        *out = m;
        m = NULL;
    }
    sqlite3_finalize(st);
    sqlite3_finalize(fwd);
    sqlite3_finalize(rev);
    sl_matches_free(m);
    sl__buf_free(&fts);
    free(norm);
    return s;
}

/* ---- analysis by match band */

size_t sl_word_count(const char *text)
{
    if (!text)
        return 0;
    int32_t len = clamp_len(text), pos = 0;
    size_t n = 0;
    sl__token t;
    while (next_token(text, len, &pos, &t))
        n += is_word_token(&t);
    return n;
}

const char *sl_band_name(int band)
{
    static const char *const names[SL_BAND_COUNT] = {
        "101%", "100%", "repetition", "95-99%", "85-94%", "75-84%", "50-74%", "no match",
    };
    return band >= 0 && band < SL_BAND_COUNT ? names[band] : "?";
}

struct sl_analysis {
    sl_tm *tm;
    char *src_lang, *tgt_lang;
    sl_band_totals *files;
    size_t nfiles;
    sl_band_totals total;
    char **seen; /* normalised sentences of the batch so far, sorted */
    size_t nseen, seen_cap;
};

sl_status sl_analysis_new(sl_tm *tm, const char *src_lang, const char *tgt_lang,
                          sl_analysis **out, sl_error *err)
{
    if (!out)
        return sl_error_set(err, SL_USAGE, "sl_analysis_new: no place for the result");
    *out = NULL;
    if (!tm)
        return sl_error_set(err, SL_USAGE, "sl_analysis_new: missing argument");
    sl_analysis *a = calloc(1, sizeof *a);
    if (!a)
        return sl__nomem(err);
    a->tm = tm;
    if ((src_lang && !(a->src_lang = sl__strdup(src_lang))) ||
        (tgt_lang && !(a->tgt_lang = sl__strdup(tgt_lang)))) {
        sl_analysis_free(a);
        return sl__nomem(err);
    }
    *out = a;
    return SL_OK;
}

void sl_analysis_free(sl_analysis *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nseen; i++)
        free(a->seen[i]);
    free(a->seen);
    free(a->files);
    free(a->src_lang);
    free(a->tgt_lang);
    free(a);
}

size_t sl_analysis_files(const sl_analysis *a)
{
    return a ? a->nfiles : 0;
}

const sl_band_totals *sl_analysis_file(const sl_analysis *a, size_t i)
{
    return a && i < a->nfiles ? &a->files[i] : NULL;
}

const sl_band_totals *sl_analysis_total(const sl_analysis *a)
{
    return a ? &a->total : NULL;
}

/* Whether norm came earlier in the batch; remembers it either way. */
static sl_status seen_before(sl_analysis *a, const char *norm, bool *before, sl_error *err)
{
    size_t lo = 0, hi = a->nseen;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(a->seen[mid], norm);
        if (c == 0) {
            *before = true;
            return SL_OK;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *before = false;
    if (a->nseen == a->seen_cap) {
        size_t cap = a->seen_cap ? a->seen_cap * 2 : 256;
        char **v = realloc(a->seen, cap * sizeof *v);
        if (!v)
            return sl__nomem(err);
        a->seen = v;
        a->seen_cap = cap;
    }
    char *copy = sl__strdup(norm);
    if (!copy)
        return sl__nomem(err);
    memmove(&a->seen[lo + 1], &a->seen[lo], (a->nseen - lo) * sizeof *a->seen);
    a->seen[lo] = copy;
    a->nseen++;
    return SL_OK;
}

static int band_of(int percent)
{
    if (percent >= 100)
        return SL_BAND_EXACT;
    if (percent >= 95)
        return SL_BAND_95;
    if (percent >= 85)
        return SL_BAND_85;
    if (percent >= 75)
        return SL_BAND_75;
    if (percent >= 50)
        return SL_BAND_50;
    return SL_BAND_NONE;
}

sl_status sl_analysis_add(sl_analysis *a, const sl_sentences *s, sl_error *err)
{
    if (!a || !s)
        return sl_error_set(err, SL_USAGE, "sl_analysis_add: missing argument");
    size_t n = sl_sentences_count(s);
    sl_band_totals *files = realloc(a->files, (a->nfiles + 1) * sizeof *files);
    if (!files)
        return sl__nomem(err);
    a->files = files;
    int *percent = calloc(n ? n : 1, sizeof *percent);
    if (!percent)
        return sl__nomem(err);
    sl_status st = SL_OK;
    for (size_t i = 0; i < n && st == SL_OK; i++) {
        sl_matches *m = NULL;
        st = lookup(a->tm, sl_sentences_text(s, i), a->src_lang, a->tgt_lang, 50, 1, &percent[i],
                    &m, NULL, err);
        sl_matches_free(m);
    }
    sl_band_totals t;
    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < n && st == SL_OK; i++) {
        const char *text = sl_sentences_text(s, i);
        char *norm = sl__normalise(text, strlen(text));
        if (!norm) {
            st = sl__nomem(err);
            break;
        }
        bool before = false;
        st = seen_before(a, norm, &before, err);
        size_t words = sl_word_count(norm);
        free(norm);
        int band = band_of(percent[i]);
        if (band == SL_BAND_EXACT) {
            bool prev = i == 0 || percent[i - 1] == 100, next = i + 1 == n || percent[i + 1] == 100;
            if (n > 1 && prev && next)
                band = SL_BAND_CONTEXT;
        } else if (before) {
            band = SL_BAND_REPETITION;
        }
        t.segments[band]++;
        t.words[band] += words;
    }
    free(percent);
    if (st != SL_OK)
        return st;
    a->files[a->nfiles++] = t;
    for (int b = 0; b < SL_BAND_COUNT; b++) {
        a->total.segments[b] += t.segments[b];
        a->total.words[b] += t.words[b];
    }
    return SL_OK;
}

/*
 * Looking sentences up in the TM: exact matches by the hash of the
 * normalised text, fuzzy matches by word-level Levenshtein distance.
 *
 * Tokens.  Fuzzy matching compares token sequences of the normalised texts:
 *   - a word is a run of letters, digits and combining marks; a hyphen or
 *     apostrophe between two such characters stays inside the word, so the
 *     Indonesian reduplication "anak-anak" and "don't" are one word each;
 *   - every other character that is not a space (punctuation, symbols) is a
 *     token of its own, so "nasi." and "nasi ." both give "nasi" ".";
 *   - tokens are compared exactly: a change of case costs a substitution.
 * Punctuation counts because a TM user wants "Dia datang." and "Dia
 * datang?" told apart, but it weighs no more than a word.
 *
 * This first implementation scans every candidate source segment of a
 * plausible length; see the comment at add_fuzzy.
 */
#include "tm-internal.h"
#include "sha256.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

static bool is_word_char(UChar32 c)
{
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

static bool token_eq(const sl__token *a, const sl__token *b)
{
    return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

/* Levenshtein distance over tokens, one row of the table at a time. */
static bool token_distance(const sl__token *a, size_t na, const sl__token *b, size_t nb,
                           size_t *dist)
{
    size_t *row = malloc((nb + 1) * sizeof *row);
    if (!row)
        return false;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0]; /* the table's [i-1][j-1] */
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (token_eq(&a[i - 1], &b[j - 1]) ? 0 : 1);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    *dist = row[nb];
    free(row);
    return true;
}

/* Percent for two normalised texts, the first already tokenised. */
static sl_status percent_norm(const char *qnorm, const sl__token *qt, size_t nq,
                              const char *norm, int *percent, sl_error *err)
{
    if (strcmp(qnorm, norm) == 0) {
        *percent = 100;
        return SL_OK;
    }
    sl__token *t = NULL;
    size_t n = 0, d = 0;
    sl_status s = sl__tokenise(norm, &t, &n, err);
    if (s != SL_OK)
        return s;
    *percent = 0;
    if (nq && n) {
        if (!token_distance(qt, nq, t, n, &d)) {
            free(t);
            return sl__nomem(err);
        }
        size_t longest = nq > n ? nq : n;
        size_t p = 100 * (longest - d) / longest; /* integer division: rounds down */
        *percent = p > 99 ? 99 : (int)p;          /* 100 is kept for identical texts */
    }
    free(t);
    return SL_OK;
}

int sl_match_percent(const char *a, const char *b)
{
    /* Without a way to report errors, failures (out of memory) give 0. */
    char *na = a ? sl__normalise(a, strlen(a)) : NULL;
    char *nb = b ? sl__normalise(b, strlen(b)) : NULL;
    sl__token *ta = NULL;
    size_t n = 0;
    int percent = 0;
    if (na && nb && sl__tokenise(na, &ta, &n, NULL) == SL_OK &&
        percent_norm(na, ta, n, nb, &percent, NULL) != SL_OK)
        percent = 0;
    free(ta);
    free(na);
    free(nb);
    return percent;
}

/* ---- results */

struct entry {
    sl_match m;
    char *block; /* every string of m.unit, one after another */
};

struct sl_matches {
    struct entry *v;
    size_t n, cap;
};

/* Append a copy of u; its strings move into one allocation. */
static sl_status push_match(sl_matches *m, const sl_unit *u, int percent, sl_error *err)
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
    e->m.percent = percent;
    e->m.unit = *u;
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
    for (size_t i = 0; i < m->n; i++)
        free(m->v[i].block);
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

/* Best first: percent, then the unit's best score, then the older unit. */
static int compare_entries(const void *pa, const void *pb)
{
    const sl_match *a = &((const struct entry *)pa)->m, *b = &((const struct entry *)pb)->m;
    if (a->percent != b->percent)
        return a->percent > b->percent ? -1 : 1;
    if (a->unit.score != b->unit.score)
        return a->unit.score > b->unit.score ? -1 : 1;
    return (a->unit.id > b->unit.id) - (a->unit.id < b->unit.id);
}

/* ---- the lookup */

struct query {
    sl_tm *tm;
    const char *src_lang, *tgt_lang;
    const char *norm;
    char hash[65];
    sl__token *tokens;
    size_t ntokens;
    int min_percent;
    sl_matches *m;
    sl_error *err;
};

/* Bind :src and :tgt where the statement has them. */
static int bind_langs(sqlite3_stmt *st, const struct query *q)
{
    int rc = SQLITE_OK, i;
    if (q->src_lang && (i = sqlite3_bind_parameter_index(st, ":src")) > 0)
        rc = sqlite3_bind_text(st, i, q->src_lang, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && q->tgt_lang && (i = sqlite3_bind_parameter_index(st, ":tgt")) > 0)
        rc = sqlite3_bind_text(st, i, q->tgt_lang, -1, SQLITE_STATIC);
    return rc;
}

static int lang_variant(const struct query *q)
{
    return (q->src_lang ? 1 : 0) | (q->tgt_lang ? 2 : 0);
}

/* Units whose source has the query's normalised text, by the (lang, hash)
 * index; the norm comparison guards against hash collisions. */
static const char *const exact_sql[4] = {
    SL__TM_UNIT_SELECT " WHERE s.hash = :hash AND s.norm = :norm",
    SL__TM_UNIT_SELECT " WHERE s.lang = :src AND s.hash = :hash AND s.norm = :norm",
    SL__TM_UNIT_SELECT " WHERE s.hash = :hash AND s.norm = :norm AND t.lang = :tgt",
    SL__TM_UNIT_SELECT " WHERE s.lang = :src AND s.hash = :hash AND s.norm = :norm"
                       " AND t.lang = :tgt",
};

static sl_status add_exact(struct query *q)
{
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(q->tm, exact_sql[lang_variant(q)], &st, q->err);
    if (s != SL_OK)
        return s;
    int rc = bind_langs(st, q);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":hash"), q->hash, -1,
                               SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":norm"), q->norm, -1,
                               SQLITE_STATIC);
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            sl_unit u;
            sl__tm_unit_from_row(st, &u);
            s = push_match(q->m, &u, 100, q->err);
            if (s != SL_OK)
                break;
        }
    }
    if (s == SL_OK && rc != SQLITE_DONE)
        s = sl__tm_db_error(q->tm, rc, "cannot look the sentence up", q->err);
    sqlite3_finalize(st);
    return s;
}

/* Candidates: units whose source segment has a token count that can reach
 * the minimum, several units of one segment together. */
static const char *const fuzzy_sql[4] = {
    "SELECT s.id, s.norm, u.id FROM segments s JOIN units u ON u.src_segment = s.id"
    " JOIN segments t ON t.id = u.tgt_segment"
    " WHERE s.words BETWEEN :lo AND :hi ORDER BY s.id, u.id",
    "SELECT s.id, s.norm, u.id FROM segments s JOIN units u ON u.src_segment = s.id"
    " JOIN segments t ON t.id = u.tgt_segment"
    " WHERE s.lang = :src AND s.words BETWEEN :lo AND :hi ORDER BY s.id, u.id",
    "SELECT s.id, s.norm, u.id FROM segments s JOIN units u ON u.src_segment = s.id"
    " JOIN segments t ON t.id = u.tgt_segment"
    " WHERE s.words BETWEEN :lo AND :hi AND t.lang = :tgt ORDER BY s.id, u.id",
    "SELECT s.id, s.norm, u.id FROM segments s JOIN units u ON u.src_segment = s.id"
    " JOIN segments t ON t.id = u.tgt_segment"
    " WHERE s.lang = :src AND s.words BETWEEN :lo AND :hi AND t.lang = :tgt"
    " ORDER BY s.id, u.id",
};

/*
 * The distance is at least the difference in length, so a segment of n
 * tokens can reach min only if |n - nq| / max(n, nq) <= 1 - min/100, that is
 * ceil(nq * min / 100) <= n <= floor(nq * 100 / min).  Every segment in that
 * range is scored: honest, linear in the TM, and the place to add an n-gram
 * prefilter later.
 */
static sl_status add_fuzzy(struct query *q)
{
    sqlite3_stmt *st = NULL, *unit = NULL;
    long long nq = (long long)q->ntokens, lo = (nq * q->min_percent + 99) / 100;
    long long hi = q->min_percent > 0 ? nq * 100 / q->min_percent : (long long)INT64_MAX;
    sl_status s = sl__tm_prepare(q->tm, fuzzy_sql[lang_variant(q)], &st, q->err);
    if (s == SL_OK)
        s = sl__tm_prepare(q->tm, SL__TM_UNIT_SELECT " WHERE u.id = ?1", &unit, q->err);
    if (s != SL_OK)
        goto cleanup;
    int rc = bind_langs(st, q);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":lo"), lo);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":hi"), hi);
    long long last_segment = -1;
    int percent = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        long long segment = sqlite3_column_int64(st, 0);
        if (segment != last_segment) {
            const char *norm = (const char *)sqlite3_column_text(st, 1);
            if (!norm) {
                s = sl__nomem(q->err);
                break;
            }
            s = percent_norm(q->norm, q->tokens, q->ntokens, norm, &percent, q->err);
            if (s != SL_OK)
                break;
            last_segment = segment;
        }
        /* 100 here is an exact match, already taken by add_exact. */
        if (percent >= 100 || percent < q->min_percent)
            continue;
        int urc = sqlite3_bind_int64(unit, 1, sqlite3_column_int64(st, 2));
        if (urc == SQLITE_OK)
            urc = sqlite3_step(unit);
        if (urc == SQLITE_ROW) {
            sl_unit u;
            sl__tm_unit_from_row(unit, &u);
            s = push_match(q->m, &u, percent, q->err);
        } else if (urc != SQLITE_DONE) {
            s = sl__tm_db_error(q->tm, urc, "cannot look the sentence up", q->err);
        }
        sqlite3_reset(unit);
        if (s != SL_OK)
            break;
    }
    if (s == SL_OK && rc != SQLITE_DONE)
        s = sl__tm_db_error(q->tm, rc, "cannot look the sentence up", q->err);
cleanup:
    sqlite3_finalize(unit);
    sqlite3_finalize(st);
    return s;
}

sl_status sl_tm_lookup(sl_tm *tm, const char *query, const char *src_lang, const char *tgt_lang,
                       int min_percent, size_t limit, sl_matches **out, sl_error *err)
{
    if (!out)
        return sl_error_set(err, SL_USAGE, "sl_tm_lookup: no place for the result");
    *out = NULL;
    if (!tm || !query)
        return sl_error_set(err, SL_USAGE, "sl_tm_lookup: missing argument");
    if (min_percent < 0 || min_percent > 100)
        return sl_error_set(err, SL_USAGE, "%s: minimum match %d%% is out of range (0-100)",
                            tm->path, min_percent);

    struct query q = {tm, src_lang, tgt_lang, NULL, {0}, NULL, 0, min_percent, NULL, err};
    char *norm = sl__normalise(query, strlen(query));
    sl_status s = SL_OK;
    q.m = calloc(1, sizeof *q.m);
    if (!norm || !q.m) {
        s = sl__nomem(err);
        goto cleanup;
    }
    q.norm = norm;
    if (!*norm) /* nothing to look up: no matches */
        goto cleanup;
    sl__sha256_hex(norm, strlen(norm), q.hash);
    s = sl__tokenise(norm, &q.tokens, &q.ntokens, err);
    if (s == SL_OK)
        s = add_exact(&q);
    if (s == SL_OK)
        s = add_fuzzy(&q);
    if (s != SL_OK)
        goto cleanup;
    if (q.m->n > 1)
        qsort(q.m->v, q.m->n, sizeof *q.m->v, compare_entries);
    for (; limit && q.m->n > limit; q.m->n--)
        free(q.m->v[q.m->n - 1].block);
cleanup:
    if (s == SL_OK) {
        *out = q.m;
        q.m = NULL;
    }
    sl_matches_free(q.m);
    free(q.tokens);
    free(norm);
    return s;
}

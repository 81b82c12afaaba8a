/*
 * Word translations in the TM: dictionaries imported from a TSV file or a
 * dictd database (table dictionary), associations learned from the TM's own
 * units (table word_associations), and the lexicon the aligner builds from
 * both.
 */
#include "tm-internal.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* ---- reading dictionaries */

/* A pair found in a dictionary file. */
typedef sl_status (*pair_fn)(const char *src, size_t slen, const char *tgt, size_t tlen,
                             void *data);

static const char *trim(const char *s, const char *e, size_t *len)
{
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    *len = (size_t)(e - s);
    return s;
}

/* source<TAB>target per line; '#' starts a comment line; further columns are
 * ignored. */
static sl_status read_tsv(const char *path, const char *text, size_t len, pair_fn fn,
                          void *data, sl_error *err)
{
    const char *p = text, *end = text + len;
    for (size_t lineno = 1; p < end; lineno++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t n;
        const char *line = trim(p, le, &n);
        p = nl ? nl + 1 : end;
        if (n == 0 || *line == '#')
            continue;
        const char *tab = memchr(line, '\t', n);
        if (!tab)
            return sl_error_set(err, SL_DATA,
                                "%s:%zu: no tab in the line (expected source<TAB>target)", path,
                                lineno);
        const char *tab2 = memchr(tab + 1, '\t', (size_t)(line + n - tab - 1));
        size_t slen, tlen;
        const char *s = trim(line, tab, &slen);
        const char *t = trim(tab + 1, tab2 ? tab2 : line + n, &tlen);
        if (!slen || !tlen)
            return sl_error_set(err, SL_DATA, "%s:%zu: empty %s word", path, lineno,
                                slen ? "target" : "source");
        sl_status st = fn(s, slen, t, tlen, data);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

/* A number in dictd's base64 (A-Z a-z 0-9 + /, most significant first). */
static bool b64_number(const char *s, size_t n, size_t *out)
{
    size_t v = 0;
    if (n == 0 || n > 8)
        return false;
    for (size_t i = 0; i < n; i++) {
        const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const char *c = s[i] ? strchr(alphabet, s[i]) : NULL;
        if (!c)
            return false;
        v = v * 64 + (size_t)(c - alphabet);
    }
    *out = v;
    return true;
}

/* Read a whole .dict.dz (gzip with dictzip's random-access header, which
 * plain gzip reading ignores) or .dict file. */
static sl_status read_dict_data(const char *path, char **out, size_t *len, sl_error *err)
{
    if (!ends_with(path, ".dz"))
        return sl_text_read_file(path, out, len, err);
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return sl_error_set(err, errno == ENOENT ? SL_NOTFOUND : SL_IO, "%s: cannot open: %s",
                            path, errno ? strerror(errno) : "out of memory");
    sl__buf b = SL__BUF_INIT;
    sl_status st = SL_OK;
    for (;;) {
        if (!sl__buf_reserve(&b, 65536)) {
            st = sl__nomem(err);
            break;
        }
        int got = gzread(gz, b.data + b.len, 65536);
        if (got < 0) {
            int zerr;
            const char *msg = gzerror(gz, &zerr);
            st = sl_error_set(err, SL_DATA, "%s: not a readable gzip/dictzip file: %s", path,
                              msg);
            break;
        }
        if (got == 0)
            break;
        b.len += (size_t)got;
    }
    gzclose(gz);
    if (st != SL_OK) {
        sl__buf_free(&b);
        return st;
    }
    *len = b.len;
    *out = sl__buf_detach(&b);
    return *out ? SL_OK : sl__nomem(err);
}

/* One "N. " sense number at the start of a definition line: its length. */
static size_t sense_number(const char *s, const char *e)
{
    const char *p = s;
    while (p < e && *p >= '0' && *p <= '9')
        p++;
    if (p == s || p + 1 >= e || p[0] != '.' || p[1] != ' ')
        return 0;
    return (size_t)(p + 2 - s);
}

/* Translations of one FreeDict entry: the first line is the headword (with
 * pronunciation and part of speech), the next line the translations, comma
 * separated; further numbered senses ("2. ...") give more translations, and
 * the other lines are English glosses.  A trailing " 2." on a translation
 * line announces the next sense's gloss. */
static sl_status dictd_entry(const char *head, size_t hlen, const char *e, const char *end,
                             pair_fn fn, void *data)
{
    const char *nl = memchr(e, '\n', (size_t)(end - e));
    if (!nl)
        return SL_OK;
    bool first = true;
    for (const char *p = nl + 1; p < end;) {
        const char *le = memchr(p, '\n', (size_t)(end - p));
        if (!le)
            le = end;
        size_t num = sense_number(p, le);
        if (first || num) {
            const char *s = p + num, *stop = le;
            /* drop a trailing sense number " 2." */
            const char *q = stop;
            if (q > s && q[-1] == '.') {
                q--;
                while (q > s && q[-1] >= '0' && q[-1] <= '9')
                    q--;
                if (q < stop - 1 && q > s && q[-1] == ' ')
                    stop = q - 1;
            }
            while (s < stop) {
                const char *comma = memchr(s, ',', (size_t)(stop - s));
                const char *ce = comma ? comma : stop;
                size_t tlen;
                const char *t = trim(s, ce, &tlen);
                if (tlen) {
                    sl_status st = fn(head, hlen, t, tlen, data);
                    if (st != SL_OK)
                        return st;
                }
                s = comma ? comma + 1 : stop;
            }
        }
        first = false;
        p = le + 1;
    }
    return SL_OK;
}

static sl_status read_dictd(const char *index_path, const char *dict_path, pair_fn fn,
                            void *data, sl_error *err)
{
    char *index = NULL, *dict = NULL;
    size_t ilen = 0, dlen = 0;
    sl_status st = sl_text_read_file(index_path, &index, &ilen, err);
    if (st == SL_OK)
        st = read_dict_data(dict_path, &dict, &dlen, err);
    const char *p = index, *end = index + ilen;
    for (size_t lineno = 1; st == SL_OK && p < end; lineno++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *line = p;
        p = nl ? nl + 1 : end;
        if (le == line)
            continue;
        const char *t1 = memchr(line, '\t', (size_t)(le - line));
        const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(le - t1 - 1)) : NULL;
        size_t off, len;
        if (!t2 || !b64_number(t1 + 1, (size_t)(t2 - t1 - 1), &off) ||
            !b64_number(t2 + 1, (size_t)(le - t2 - 1), &len)) {
            st = sl_error_set(err, SL_DATA,
                              "%s:%zu: not a dictd index line (headword<TAB>offset<TAB>length)",
                              index_path, lineno);
            break;
        }
        if (off > dlen || len > dlen - off) {
            st = sl_error_set(err, SL_DATA, "%s:%zu: entry beyond the end of %s", index_path,
                              lineno, dict_path);
            break;
        }
        /* dictd's own metadata entries */
        if (t1 - line >= 10 && strncmp(line, "00database", 10) == 0)
            continue;
        if (t1 - line >= 11 && strncmp(line, "00-database", 11) == 0)
            continue;
        st = dictd_entry(line, (size_t)(t1 - line), dict + off, dict + off + len, fn, data);
    }
    free(index);
    free(dict);
    return st;
}

/* ---- importing */

struct importer {
    sl_tm *tm;
    sqlite3_stmt *ins;
    const char *src_lang, *tgt_lang, *source;
    sl_dict_import_result *res;
    sl_error *err;
};

static sl_status import_pair(const char *s, size_t slen, const char *t, size_t tlen, void *data)
{
    struct importer *im = data;
    sqlite3_stmt *q = im->ins;
    int rc = sqlite3_bind_text(q, 1, im->src_lang, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(q, 2, im->tgt_lang, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text64(q, 3, s, slen, SQLITE_STATIC, SQLITE_UTF8);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text64(q, 4, t, tlen, SQLITE_STATIC, SQLITE_UTF8);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(q, 5, im->source, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(q);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_DONE)
        return sl__tm_db_error(im->tm, rc, "cannot store the dictionary", im->err);
    im->res->pairs_read++;
    if (sqlite3_changes(im->tm->db) > 0)
        im->res->pairs_new++;
    return SL_OK;
}

sl_status sl_tm_dict_import(sl_tm *tm, const char *path, const char *src_lang,
                            const char *tgt_lang, sl_dict_import_result *result, sl_error *err)
{
    sl_dict_import_result res = {0, 0, false};
    if (result)
        *result = res;
    if (!tm || !path || !src_lang || !tgt_lang)
        return sl_error_set(err, SL_USAGE, "sl_tm_dict_import: missing argument");
    if (tm->readonly)
        return sl_error_set(err, SL_USAGE, "%s: the translation memory is open read-only",
                            tm->path);
    char sl[SL_LANG_MAX], tl[SL_LANG_MAX];
    sl_status st = sl_lang_canonical(src_lang, sl, err);
    if (st == SL_OK)
        st = sl_lang_canonical(tgt_lang, tl, err);
    if (st != SL_OK)
        return st;

    /* a dictd database is named by its .index or its .dict[.dz] */
    char *index = NULL, *dict = NULL, *text = NULL;
    size_t len = 0;
    const char *base_end = NULL;
    if (ends_with(path, ".index"))
        base_end = path + strlen(path) - strlen(".index");
    else if (ends_with(path, ".dict.dz"))
        base_end = path + strlen(path) - strlen(".dict.dz");
    else if (ends_with(path, ".dict"))
        base_end = path + strlen(path) - strlen(".dict");
    if (base_end) {
        sl__buf b = SL__BUF_INIT;
        size_t blen = (size_t)(base_end - path);
        if (!sl__buf_append(&b, path, blen) || !sl__buf_puts(&b, ".index") ||
            !(index = sl__buf_detach(&b)) || !sl__buf_append(&b, path, blen) ||
            !sl__buf_puts(&b, ".dict.dz") || !(dict = sl__buf_detach(&b))) {
            sl__buf_free(&b);
            st = sl__nomem(err);
            goto cleanup;
        }
        FILE *f = fopen(dict, "rb");
        if (f)
            fclose(f);
        else
            dict[strlen(dict) - 3] = '\0'; /* the plain .dict */
        res.dictd = true;
    } else {
        st = sl_text_read_file(path, &text, &len, err);
        if (st != SL_OK)
            goto cleanup;
    }

    struct importer im = {tm, NULL, sl, tl, path, &res, err};
    st = sl__tm_prepare(tm,
                        "INSERT OR IGNORE INTO dictionary (src_lang, tgt_lang, src_word, "
                        "tgt_word, source) VALUES (?1, ?2, ?3, ?4, ?5)",
                        &im.ins, err);
    if (st != SL_OK)
        goto cleanup;
    if (sqlite3_exec(tm->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        st = sl__tm_db_error(tm, sqlite3_errcode(tm->db), "cannot start a transaction", err);
        sqlite3_finalize(im.ins);
        goto cleanup;
    }
    if (res.dictd)
        st = read_dictd(index, dict, import_pair, &im, err);
    else
        st = read_tsv(path, text, len, import_pair, &im, err);
    if (st == SL_OK && res.pairs_read == 0)
        st = sl_error_set(err, SL_EMPTY, "%s: no word pairs found", path);
    sqlite3_finalize(im.ins);
    if (st == SL_OK) {
        int rc = sqlite3_exec(tm->db, "COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            st = sl__tm_db_error(tm, rc, "cannot commit the dictionary", err);
    }
    if (st != SL_OK && !sqlite3_get_autocommit(tm->db))
        sqlite3_exec(tm->db, "ROLLBACK", NULL, NULL, NULL);

cleanup:
    free(index);
    free(dict);
    free(text);
    if (result && st == SL_OK)
        *result = res;
    return st;
}

/* ---- the aligner's lexicon */

sl_status sl_tm_lexicon(sl_tm *tm, const char *src_lang, const char *tgt_lang,
                        const char *datadir, sl_lexicon **out, sl_error *err)
{
    if (!tm || !src_lang || !tgt_lang || !out)
        return sl_error_set(err, SL_USAGE, "sl_tm_lexicon: missing argument");
    *out = NULL;
    char sl[SL_LANG_MAX], tl[SL_LANG_MAX];
    sl_status st = sl_lang_canonical(src_lang, sl, err);
    if (st == SL_OK)
        st = sl_lang_canonical(tgt_lang, tl, err);
    sl_lexicon *lex = NULL;
    if (st == SL_OK)
        st = sl_lexicon_new(sl, tl, datadir, &lex, err);
    if (st != SL_OK)
        return st;
    /* both directions: an English-Indonesian dictionary serves id -> en */
    sqlite3_stmt *q = NULL;
    st = sl__tm_prepare(tm,
                        "SELECT src_word, tgt_word FROM dictionary"
                        " WHERE src_lang = ?1 AND tgt_lang = ?2"
                        " UNION SELECT tgt_word, src_word FROM dictionary"
                        " WHERE src_lang = ?2 AND tgt_lang = ?1"
                        " UNION SELECT src_word, tgt_word FROM word_associations"
                        " WHERE src_lang = ?1 AND tgt_lang = ?2"
                        " UNION SELECT tgt_word, src_word FROM word_associations"
                        " WHERE src_lang = ?2 AND tgt_lang = ?1",
                        &q, err);
    if (st == SL_OK) {
        int rc = sqlite3_bind_text(q, 1, sl, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_text(q, 2, tl, -1, SQLITE_STATIC);
        while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
            const char *s = (const char *)sqlite3_column_text(q, 0);
            const char *t = (const char *)sqlite3_column_text(q, 1);
            if (s && t && (st = sl_lexicon_add(lex, s, t, err)) != SL_OK)
                break;
            rc = SQLITE_OK;
        }
        if (st == SL_OK && rc != SQLITE_DONE)
            st = sl__tm_db_error(tm, rc, "cannot read the dictionary", err);
    }
    sqlite3_finalize(q);
    if (st != SL_OK) {
        sl_lexicon_free(lex);
        return st;
    }
    *out = lex;
    return SL_OK;
}

/* ---- learning word associations from the TM's units */

/* Words interned to ids, with the number of units that hold them. */
struct vocab {
    char **word;
    uint32_t *units;
    size_t n, cap;
    uint32_t *slots; /* id + 1, 0 = empty */
    size_t n_slots;
};

static uint32_t str_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static bool vocab_grow(struct vocab *v)
{
    size_t n_slots = v->n_slots ? 2 * v->n_slots : 4096;
    uint32_t *slots = calloc(n_slots, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < v->n; i++) {
        size_t s = str_hash(v->word[i], strlen(v->word[i])) & (n_slots - 1);
        while (slots[s])
            s = (s + 1) & (n_slots - 1);
        slots[s] = (uint32_t)(i + 1);
    }
    free(v->slots);
    v->slots = slots;
    v->n_slots = n_slots;
    return true;
}

/* The id of a lower-case word, interned when new; -1 when out of memory. */
static long vocab_id(struct vocab *v, const char *w, size_t len)
{
    if (2 * (v->n + 1) > v->n_slots && !vocab_grow(v))
        return -1;
    size_t s = str_hash(w, len) & (v->n_slots - 1);
    for (; v->slots[s]; s = (s + 1) & (v->n_slots - 1)) {
        const char *x = v->word[v->slots[s] - 1];
        if (strncmp(x, w, len) == 0 && x[len] == '\0')
            return (long)v->slots[s] - 1;
    }
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 1024;
        char **words = realloc(v->word, cap * sizeof *words);
        if (!words)
            return -1;
        v->word = words;
        uint32_t *units = realloc(v->units, cap * sizeof *units);
        if (!units)
            return -1;
        v->units = units;
        v->cap = cap;
    }
    if (!(v->word[v->n] = sl__strndup(w, len)))
        return -1;
    v->units[v->n] = 0;
    v->slots[s] = (uint32_t)(v->n + 1);
    return (long)v->n++;
}

static void vocab_free(struct vocab *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->word[i]);
    free(v->word);
    free(v->units);
    free(v->slots);
}

/* Co-occurrence counts of (source id, target id) pairs. */
struct pairs {
    uint64_t *key; /* (src + 1) << 32 | (tgt + 1); 0 = empty */
    uint32_t *count;
    size_t n, n_slots;
};

static bool pairs_put(uint64_t *key, uint32_t *count, size_t n_slots, uint64_t k, uint32_t c)
{
    size_t s = (size_t)((k * 0x9E3779B97F4A7C15ull) >> 20) & (n_slots - 1);
    while (key[s] && key[s] != k)
        s = (s + 1) & (n_slots - 1);
    bool fresh = !key[s];
    key[s] = k;
    count[s] += c;
    return fresh;
}

static bool pairs_add(struct pairs *p, uint32_t a, uint32_t b)
{
    if (2 * (p->n + 1) > p->n_slots) {
        size_t n_slots = p->n_slots ? 2 * p->n_slots : 65536;
        uint64_t *key = calloc(n_slots, sizeof *key);
        uint32_t *count = calloc(n_slots, sizeof *count);
        if (!key || !count) {
            free(key);
            free(count);
            return false;
        }
        for (size_t i = 0; i < p->n_slots; i++)
            if (p->key[i])
                pairs_put(key, count, n_slots, p->key[i], p->count[i]);
        free(p->key);
        free(p->count);
        p->key = key;
        p->count = count;
        p->n_slots = n_slots;
    }
    if (pairs_put(p->key, p->count, p->n_slots, ((uint64_t)a + 1) << 32 | ((uint64_t)b + 1), 1))
        p->n++;
    return true;
}

static int id_cmp(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* The distinct words of a text (lower case, runs of letters of at least
 * LEARN_MIN_CHARS bytes, the first LEARN_MAX_WORDS), as sorted ids; false
 * when out of memory. */
#define LEARN_MIN_CHARS 3
#define LEARN_MAX_WORDS 256

static bool unit_words(struct vocab *v, const char *text, uint32_t *ids, size_t *n)
{
    char w[64];
    size_t k = 0;
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; s[i] && k < LEARN_MAX_WORDS;) {
        bool letter = (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z';
        if (!letter && s[i] < 0x80) {
            i++;
            continue;
        }
        size_t len = 0;
        while (s[i] && (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') || s[i] >= 0x80)) {
            /* typographic quotes and dashes end a word */
            if (s[i] == 0xE2 && s[i + 1] == 0x80)
                break;
            if (len < sizeof w - 1)
                w[len++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i]);
            i++;
        }
        if (len == 0) {
            i++;
            continue;
        }
        if (len >= LEARN_MIN_CHARS) {
            long id = vocab_id(v, w, len);
            if (id < 0)
                return false;
            ids[k++] = (uint32_t)id;
        }
    }
    if (k > 1)
        qsort(ids, k, sizeof *ids, id_cmp);
    size_t u = 0;
    for (size_t r = 0; r < k; r++)
        if (r == 0 || ids[r] != ids[r - 1])
            ids[u++] = ids[r];
    *n = u;
    return true;
}

struct assoc {
    uint32_t s, t, c;
    double dice;
};

static int assoc_by_src(const void *x, const void *y)
{
    const struct assoc *a = x, *b = y;
    if (a->s != b->s)
        return a->s < b->s ? -1 : 1;
    return (a->dice < b->dice) - (a->dice > b->dice);
}

static int assoc_by_tgt(const void *x, const void *y)
{
    const struct assoc *a = x, *b = y;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return (a->dice < b->dice) - (a->dice > b->dice);
}

sl_status sl_tm_learn(sl_tm *tm, const char *src_lang, const char *tgt_lang,
                      const sl_learn_options *options, sl_learn_result *result, sl_error *err)
{
    static const sl_learn_options defaults = {0.5, 3, 0.3, 2};
    const sl_learn_options *o = options ? options : &defaults;
    sl_learn_result res = {0, 0};
    if (result)
        *result = res;
    if (!tm || !src_lang || !tgt_lang)
        return sl_error_set(err, SL_USAGE, "sl_tm_learn: missing argument");
    if (tm->readonly)
        return sl_error_set(err, SL_USAGE, "%s: the translation memory is open read-only",
                            tm->path);
    char sl[SL_LANG_MAX], tl[SL_LANG_MAX];
    sl_status st = sl_lang_canonical(src_lang, sl, err);
    if (st == SL_OK)
        st = sl_lang_canonical(tgt_lang, tl, err);
    if (st != SL_OK)
        return st;

    struct vocab vs = {0}, vt = {0};
    struct pairs pc = {0};
    struct assoc *as = NULL;
    uint32_t ids_s[LEARN_MAX_WORDS], ids_t[LEARN_MAX_WORDS];
    sqlite3_stmt *q = NULL, *ins = NULL;
    st = sl__tm_prepare(tm,
                        "SELECT s.text, t.text FROM units u"
                        " JOIN segments s ON s.id = u.src_segment"
                        " JOIN segments t ON t.id = u.tgt_segment"
                        " WHERE s.lang = ?1 AND t.lang = ?2 AND"
                        " (SELECT max(o.score) FROM occurrences o WHERE o.unit = u.id) >= ?3",
                        &q, err);
    if (st != SL_OK)
        goto cleanup;
    int rc = sqlite3_bind_text(q, 1, sl, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(q, 2, tl, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_double(q, 3, o->min_score);
    while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *a = (const char *)sqlite3_column_text(q, 0);
        const char *b = (const char *)sqlite3_column_text(q, 1);
        size_t ns = 0, nt = 0;
        rc = SQLITE_OK;
        if (!a || !b)
            continue;
        if (!unit_words(&vs, a, ids_s, &ns) || !unit_words(&vt, b, ids_t, &nt)) {
            st = sl__nomem(err);
            goto cleanup;
        }
        res.units++;
        for (size_t x = 0; x < ns; x++)
            vs.units[ids_s[x]]++;
        for (size_t y = 0; y < nt; y++)
            vt.units[ids_t[y]]++;
        for (size_t x = 0; x < ns; x++)
            for (size_t y = 0; y < nt; y++)
                if (!pairs_add(&pc, ids_s[x], ids_t[y])) {
                    st = sl__nomem(err);
                    goto cleanup;
                }
    }
    if (rc != SQLITE_DONE) {
        st = sl__tm_db_error(tm, rc, "cannot read the units", err);
        goto cleanup;
    }

    /* Dice coefficients of the pairs seen often enough, then competitive
     * filtering: a pair survives only among the best few of both its words,
     * which drops the function words that co-occur with everything. */
    size_t na = 0;
    as = malloc((pc.n ? pc.n : 1) * sizeof *as);
    if (!as) {
        st = sl__nomem(err);
        goto cleanup;
    }
    for (size_t i = 0; i < pc.n_slots; i++) {
        if (!pc.key[i] || pc.count[i] < o->min_pairs)
            continue;
        uint32_t s = (uint32_t)(pc.key[i] >> 32) - 1, t = (uint32_t)(pc.key[i] & 0xffffffffu) - 1;
        double dice = 2.0 * pc.count[i] / (vs.units[s] + vt.units[t]);
        if (dice >= o->min_dice)
            as[na++] = (struct assoc){s, t, pc.count[i], dice};
    }
    if (na > 1)
        qsort(as, na, sizeof *as, assoc_by_src);
    size_t keep = 0;
    for (size_t i = 0, rank = 0; i < na; i++) {
        rank = i > 0 && as[i].s == as[i - 1].s ? rank + 1 : 0;
        if (rank < o->max_per_word)
            as[keep++] = as[i];
    }
    na = keep;
    if (na > 1)
        qsort(as, na, sizeof *as, assoc_by_tgt);
    keep = 0;
    for (size_t i = 0, rank = 0; i < na; i++) {
        rank = i > 0 && as[i].t == as[i - 1].t ? rank + 1 : 0;
        if (rank < o->max_per_word)
            as[keep++] = as[i];
    }
    na = keep;

    if ((rc = sqlite3_exec(tm->db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK) {
        st = sl__tm_db_error(tm, rc, "cannot start a transaction", err);
        goto cleanup;
    }
    sqlite3_stmt *del = NULL;
    st = sl__tm_prepare(tm, "DELETE FROM word_associations WHERE src_lang = ?1 AND tgt_lang = ?2",
                        &del, err);
    if (st == SL_OK) {
        rc = sqlite3_bind_text(del, 1, sl, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_text(del, 2, tl, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(del);
        if (rc != SQLITE_DONE)
            st = sl__tm_db_error(tm, rc, "cannot replace the word associations", err);
    }
    sqlite3_finalize(del);
    if (st == SL_OK)
        st = sl__tm_prepare(tm,
                            "INSERT INTO word_associations (src_lang, tgt_lang, src_word,"
                            " tgt_word, dice, pairs) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            &ins, err);
    for (size_t i = 0; st == SL_OK && i < na; i++) {
        rc = sqlite3_bind_text(ins, 1, sl, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_text(ins, 2, tl, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_text(ins, 3, vs.word[as[i].s], -1, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_text(ins, 4, vt.word[as[i].t], -1, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_double(ins, 5, as[i].dice);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(ins, 6, as[i].c);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (rc != SQLITE_DONE)
            st = sl__tm_db_error(tm, rc, "cannot store the word associations", err);
    }
    if (st == SL_OK) {
        rc = sqlite3_exec(tm->db, "COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            st = sl__tm_db_error(tm, rc, "cannot commit the word associations", err);
    }
    if (st != SL_OK && !sqlite3_get_autocommit(tm->db))
        sqlite3_exec(tm->db, "ROLLBACK", NULL, NULL, NULL);
    res.associations = na;

cleanup:
    sqlite3_finalize(q);
    sqlite3_finalize(ins);
    vocab_free(&vs);
    vocab_free(&vt);
    free(pc.key);
    free(pc.count);
    free(as);
    if (result && st == SL_OK)
        *result = res;
    return st;
}

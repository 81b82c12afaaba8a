/* Unit tests for the fuzzy index (schemas 6 and 7, lib/fuzzy-index.c): after add,
 * TMX and JSON-lines import, merge, delete, a failed import and a migration
 * it must list every (language, folded token) of every segment, nothing a
 * live segment does not hold, and cover the segments up to the highest id;
 * and lookups through it must find the best percentage a scan finds. */
#include "check_run.h"
#include "tm-internal.h"
#include "sha256.h"
#include <selaras/selaras.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *scratch(const char *name, const char *file)
{
    static char path[4200];
    const char *dir = sl_test_tmpdir(name);
    ck_assert_ptr_nonnull(dir);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return path;
}

static sl_tm *open_ok(const char *path, int flags)
{
    sl_tm *tm = NULL;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_msg(sl_tm_open(path, flags, &tm, &err) == SL_OK, "%s", err.message);
    return tm;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* Add a document of 1-1 pairs: src[i] with tgt[i]. */
static void add_doc(sl_tm *tm, const char *name, const char *const *src, const char *const *tgt,
                    size_t n)
{
    sl_error err;
    sl_error_clear(&err);
    sl_sentences *s = NULL, *t = NULL;
    ck_assert_int_eq(sl_sentences_new(&s, &err), SL_OK);
    ck_assert_int_eq(sl_sentences_new(&t, &err), SL_OK);
    sl_bead *b = calloc(n, sizeof *b);
    ck_assert_ptr_nonnull(b);
    size_t slen = 0, tlen = 0;
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(sl_sentences_append(s, src[i], strlen(src[i]), i == 0, &err), SL_OK);
        ck_assert_int_eq(sl_sentences_append(t, tgt[i], strlen(tgt[i]), i == 0, &err), SL_OK);
        b[i] = (sl_bead){i, 1, i, 1, 0.9};
        slen += strlen(src[i]) + 1;
        tlen += strlen(tgt[i]) + 1;
    }
    char *st = calloc(slen + 1, 1), *tt = calloc(tlen + 1, 1);
    ck_assert(st && tt);
    for (size_t i = 0; i < n; i++) {
        strcat(strcat(st, src[i]), "\n");
        strcat(strcat(tt, tgt[i]), "\n");
    }
    sl_alignment *a = NULL;
    ck_assert_int_eq(sl__alignment_from_beads(b, n, &a, &err), SL_OK);
    char sp[64], tp[64];
    snprintf(sp, sizeof sp, "%s.id.txt", name);
    snprintf(tp, sizeof tp, "%s.en.txt", name);
    sl_document doc = {sp, tp, "id", "en", st, tt, strlen(st), strlen(tt)};
    ck_assert_msg(sl_tm_add(tm, &doc, s, t, a, NULL, &err) == SL_OK, "%s", err.message);
    sl_alignment_free(a);
    sl_sentences_free(s);
    sl_sentences_free(t);
    free(b);
    free(st);
    free(tt);
}

/* ---- the index as it should be, computed here from the segments */

struct pairs {
    char **v; /* "key\x01id" */
    size_t n, cap;
};

static void pairs_add(struct pairs *p, const char *key, size_t keylen, long long id)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 256;
        p->v = realloc(p->v, p->cap * sizeof *p->v);
        ck_assert_ptr_nonnull(p->v);
    }
    /* the key ends in a NUL and the length bucket: spelled out here */
    ck_assert_uint_ge(keylen, 2);
    ck_assert_int_eq(key[keylen - 2], '\0');
    char *s = malloc(keylen + 40);
    ck_assert_ptr_nonnull(s);
    memcpy(s, key, keylen - 2);
    snprintf(s + keylen - 2, 40, "#%u\x01%lld", (unsigned)(unsigned char)key[keylen - 1], id);
    p->v[p->n++] = s;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void pairs_sort_unique(struct pairs *p)
{
    if (!p->n)
        return;
    qsort(p->v, p->n, sizeof *p->v, cmp_str);
    size_t k = 1;
    for (size_t i = 1; i < p->n; i++) {
        if (strcmp(p->v[i], p->v[k - 1]) == 0)
            free(p->v[i]);
        else
            p->v[k++] = p->v[i];
    }
    p->n = k;
}

static void pairs_free(struct pairs *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i]);
    free(p->v);
}

/* The length bucket of a segment of n tokens: n itself up to 8, then
 * ranges whose upper bounds grow by an eighth: 9, 10, ..., 16, 18, 20, 22,
 * 24, 27, 30, ... */
static unsigned bucket(size_t n)
{
    unsigned b = n <= 8 ? (unsigned)n : 8;
    for (size_t upper = 8; n > upper; b++)
        upper = upper + upper / 8;
    return b;
}

/* lang lowercased, a tab, the token with each code point case folded, a
 * NUL and the segment's length bucket */
static size_t fold_key(const char *lang, const char *tok, size_t n, size_t ntokens, char *out)
{
    size_t k = 0;
    for (; *lang; lang++)
        out[k++] = (char)(*lang >= 'A' && *lang <= 'Z' ? *lang + 32 : *lang);
    out[k++] = '\t';
    int32_t i = 0;
    while (i < (int32_t)n) {
        UChar32 c;
        U8_NEXT(tok, i, (int32_t)n, c);
        ck_assert_int_ge(c, 0);
        U8_APPEND_UNSAFE(out, k, u_foldCase(c, U_FOLD_CASE_DEFAULT));
    }
    out[k++] = '\0';
    out[k++] = (char)bucket(ntokens);
    return k;
}

static long long int_of(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Compare the index of the TM at path with one computed from its segments;
 * returns the number of (key, segment) pairs. */
static size_t check_index(const char *path)
{
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(int_of(db, "SELECT upto FROM fuzzy_state"),
                     int_of(db, "SELECT coalesce(max(id), 0) FROM segments"));
    struct pairs want = {NULL, 0, 0}, have = {NULL, 0, 0};
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT id, lang, norm FROM segments", -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        sl__token *t = NULL;
        size_t n = 0;
        ck_assert_int_eq(sl__tokenise((const char *)sqlite3_column_text(st, 2), &t, &n, NULL),
                         SL_OK);
        for (size_t i = 0; i < n; i++) {
            char key[512];
            ck_assert_uint_lt(t[i].n, 400);
            size_t k = fold_key((const char *)sqlite3_column_text(st, 1), t[i].p, t[i].n, n, key);
            pairs_add(&want, key, k, sqlite3_column_int64(st, 0));
        }
        free(t);
    }
    sqlite3_finalize(st);
    pairs_sort_unique(&want);

    /* every listed id of a live segment; df is the number of ids listed */
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "SELECT t.key, t.df, t.chunks, p.ids,"
                                        " (SELECT count(*) FROM fuzzy_postings q"
                                        "  WHERE q.term = t.id) FROM fuzzy_terms t"
                                        " JOIN fuzzy_postings p ON p.term = t.id ORDER BY t.id",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_stmt *live = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT 1 FROM segments WHERE id = ?1", -1, &live,
                                        NULL),
                     SQLITE_OK);
    long long listed = 0, df = -1;
    const void *prev = NULL;
    char prevkey[512];
    size_t prevlen = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *key = sqlite3_column_blob(st, 0);
        size_t keylen = (size_t)sqlite3_column_bytes(st, 0);
        ck_assert_uint_lt(keylen, sizeof prevkey);
        if (!prev || keylen != prevlen || memcmp(key, prevkey, keylen) != 0) {
            if (prev)
                ck_assert_int_eq(listed, df);
            memcpy(prevkey, key, keylen);
            prevlen = keylen;
            prev = prevkey;
            listed = 0;
            df = sqlite3_column_int64(st, 1);
            ck_assert_int_eq(sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 4));
        }
        const unsigned char *p = sqlite3_column_blob(st, 3);
        size_t n = (size_t)sqlite3_column_bytes(st, 3), i = 0;
        long long id = 0;
        while (i < n) {
            unsigned long long d = 0;
            for (unsigned shift = 0; i < n; shift += 7) {
                d |= (unsigned long long)(p[i] & 0x7F) << shift;
                if (!(p[i++] & 0x80))
                    break;
            }
            id += (long long)d;
            listed++;
            sqlite3_reset(live);
            sqlite3_bind_int64(live, 1, id);
            if (sqlite3_step(live) == SQLITE_ROW)
                pairs_add(&have, key, keylen, id);
        }
    }
    if (prev)
        ck_assert_int_eq(listed, df);
    sqlite3_finalize(live);
    sqlite3_finalize(st);
    pairs_sort_unique(&have);
    ck_assert_uint_eq(have.n, want.n);
    for (size_t i = 0; i < want.n; i++)
        ck_assert_str_eq(have.v[i], want.v[i]);
    size_t total = want.n;
    pairs_free(&want);
    pairs_free(&have);
    sqlite3_close(db);
    return total;
}

/* The ids listed under a token (lang TAB folded token) for segments of
 * ntokens tokens, as "id id ..." in order. */
static void listed_ids(const char *path, const char *token, unsigned ntokens, char *out,
                       size_t cap)
{
    char key[128];
    size_t keylen = strlen(token);
    memcpy(key, token, keylen);
    key[keylen++] = '\0';
    key[keylen++] = (char)bucket(ntokens);
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "SELECT p.ids FROM fuzzy_terms t JOIN fuzzy_postings p"
                                        " ON p.term = t.id WHERE t.key = ?1"
                                        " ORDER BY p.chunk",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(st, 1, key, (int)keylen, SQLITE_STATIC);
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        long long id = 0;
        for (int i = 0; i < n; i++) { /* these tests' ids fit one byte each */
            ck_assert_int_lt(p[i], 0x80);
            id += p[i];
            snprintf(out + strlen(out), cap - strlen(out), "%s%lld", *out ? " " : "", id);
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* The one text value that sql gives on the TM at path. */
static char *text_of(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    char *s = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    ck_assert_ptr_nonnull(s);
    return s;
}

static char *snapshot(const char *path)
{
    return text_of(path, "SELECT (SELECT group_concat(hex(key) || df || chunks, ',')"
                         " FROM fuzzy_terms) || '|' || (SELECT group_concat(term"
                         " || chunk || hex(ids), ',') FROM fuzzy_postings) || '|' ||"
                         " (SELECT upto FROM fuzzy_state)");
}

static const char *const a_src[] = {"Saya makan nasi.", "Dia minum teh di rumah.",
                                    "SAYA suka teh manis."};
static const char *const a_tgt[] = {"I eat rice.", "He drinks tea at home.",
                                    "I like sweet tea."};
static const char *const b_src[] = {"Kucing tidur di kursi.", "Saya membaca buku."};
static const char *const b_tgt[] = {"The cat sleeps on the chair.", "I read a book."};

#define TMX_HEAD                                                                             \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><tmx version=\"1.4\"><header creationtool=\"t\"" \
    " creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\""            \
    " srclang=\"id\" datatype=\"plaintext\"/><body>"
#define TMX_TU(id, en)                                                                        \
    "<tu><tuv xml:lang=\"id\"><seg>" id "</seg></tuv><tuv xml:lang=\"en\"><seg>" en           \
    "</seg></tuv></tu>"

START_TEST(test_index_follows_writes)
{
    char path[4200];
    snprintf(path, sizeof path, "%s", scratch("fuzzy_index_writes", "tm.db"));
    const char *dir = sl_test_tmpdir("fuzzy_index_writes");
    sl_tm *tm = open_ok(path, SL_TM_CREATE);
    ck_assert_uint_eq(check_index(path), 0);
    sl_error err;
    sl_error_clear(&err);

    /* add: "Saya" and "SAYA" are one key; segments 1, 3 and 5 are Indonesian */
    add_doc(tm, "a", a_src, a_tgt, N(a_src));
    ck_assert_uint_gt(check_index(path), 10);
    char ids[256];
    listed_ids(path, "id\tsaya", 4, ids, sizeof ids);
    ck_assert_str_eq(ids, "1");
    listed_ids(path, "id\tsaya", 5, ids, sizeof ids);
    ck_assert_str_eq(ids, "5");
    listed_ids(path, "id\tteh", 6, ids, sizeof ids);
    ck_assert_str_eq(ids, "3");
    listed_ids(path, "en\ttea", 5, ids, sizeof ids);
    ck_assert_str_eq(ids, "6");
    listed_ids(path, "id\t.", 4, ids, sizeof ids);
    ck_assert_str_eq(ids, "1");

    /* TMX import */
    char tmx[4300];
    snprintf(tmx, sizeof tmx, "%s/a.tmx", dir);
    write_text(tmx, TMX_HEAD TMX_TU("Anjing makan nasi.", "The dog eats rice.")
                        TMX_TU("Ibu <bpt i=\"1\">&lt;b&gt;</bpt>memasak<ept i=\"1\">&lt;/b&gt;"
                               "</ept> nasi.",
                               "Mother cooks rice.") "</body></tmx>");
    sl_import_result r;
    sl_import_options opt = {"id", "en", false};
    ck_assert_msg(sl_tmx_import(tm, tmx, &opt, NULL, NULL, &r, &err) == SL_OK, "%s",
                  err.message);
    check_index(path);
    listed_ids(path, "id\tnasi", 4, ids, sizeof ids);
    ck_assert_str_eq(ids, "1 7 9");

    /* a failed import changes nothing */
    char *before = snapshot(path);
    snprintf(tmx, sizeof tmx, "%s/bad.tmx", dir);
    write_text(tmx, TMX_HEAD TMX_TU("Zebra berlari cepat.", "The zebra runs fast.")
                        "<tu><tuv xml:lang=\"id\"><seg>Rusak");
    ck_assert_int_ne(sl_tmx_import(tm, tmx, &opt, NULL, NULL, &r, &err), SL_OK);
    char *after = snapshot(path);
    ck_assert_str_eq(after, before);
    free(before);
    free(after);
    check_index(path);

    /* JSON lines */
    char jl[4300];
    snprintf(jl, sizeof jl, "%s/a.jsonl", dir);
    write_text(jl, "{\"id\":\"j\",\"src\":\"Burung terbang tinggi.\",\"tgt\":\"The bird flies"
                   " high.\"}\n");
    ck_assert_msg(sl_jsonl_import(tm, jl, &opt, NULL, NULL, &r, &err) == SL_OK, "%s",
                  err.message);
    check_index(path);

    /* delete the last document: its ids are the highest, and sqlite gives
     * them out again to the next segments */
    add_doc(tm, "b", b_src, b_tgt, N(b_src));
    check_index(path);
    long long last_doc = 0;
    {
        sqlite3 *db = NULL;
        ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
        last_doc = int_of(db, "SELECT max(id) FROM documents");
        sqlite3_close(db);
    }
    sl_delete_result dr;
    ck_assert_int_eq(sl_tm_delete_document(tm, last_doc, &dr, &err), SL_OK);
    ck_assert_uint_eq(dr.segments_removed, 4);
    check_index(path);
    static const char *const c_src[] = {"Ikan berenang di sungai.", "Saya minum kopi."};
    static const char *const c_tgt[] = {"Fish swim in the river.", "I drink coffee."};
    add_doc(tm, "c", c_src, c_tgt, N(c_src));
    check_index(path);
    /* and lookup finds the new sentence, not the deleted one */
    sl_matches *m = NULL;
    ck_assert_int_eq(sl_tm_lookup(tm, "Ikan berenang di danau.", "id", "en", 50, 5, &m, &err),
                     SL_OK);
    ck_assert_uint_eq(sl_matches_count(m), 1);
    ck_assert_str_eq(sl_matches_get(m, 0)->unit.target, "Fish swim in the river.");
    ck_assert_int_eq(sl_matches_get(m, 0)->percent, 80);
    sl_matches_free(m);
    ck_assert_int_eq(sl_tm_lookup(tm, "Kucing tidur di kursi.", "id", "en", 50, 5, &m, &err),
                     SL_OK);
    ck_assert_uint_eq(sl_matches_count(m), 0);
    sl_matches_free(m);
    sl_tm_close(tm);

    /* merge into a new TM */
    char merged[4300];
    snprintf(merged, sizeof merged, "%s/merged.db", dir);
    sl_tm *out = open_ok(merged, SL_TM_CREATE);
    const char *paths[] = {path};
    sl_merge_result mr;
    ck_assert_msg(sl_tm_merge(out, paths, 1, &mr, &err) == SL_OK, "%s", err.message);
    sl_tm_close(out);
    ck_assert_uint_eq(check_index(merged), check_index(path));
}
END_TEST

/* An import whose postings pass the writer's bound stores them in the
 * middle of its transaction: the index stays exact, and a failed import
 * still changes nothing. */
START_TEST(test_index_bounded_builder)
{
    char path[4200];
    snprintf(path, sizeof path, "%s", scratch("fuzzy_index_bounded", "tm.db"));
    const char *dir = sl_test_tmpdir("fuzzy_index_bounded");
    char tmx[4300];
    snprintf(tmx, sizeof tmx, "%s/many.tmx", dir);
    FILE *f = fopen(tmx, "w");
    ck_assert_ptr_nonnull(f);
    fputs(TMX_HEAD, f);
    for (int i = 0; i < 300; i++)
        fprintf(f, TMX_TU("Rumah nomor %d di jalan %d besar.", "House number %d on road %d is big."),
                i, i % 7, i, i % 7);
    fputs("</body></tmx>", f);
    ck_assert_int_eq(fclose(f), 0);

    size_t saved = sl__fuzzy_builder_max;
    sl__fuzzy_builder_max = 2048;
    sl_tm *tm = open_ok(path, SL_TM_CREATE);
    add_doc(tm, "a", a_src, a_tgt, N(a_src));
    sl_error err;
    sl_error_clear(&err);
    sl_import_result r;
    sl_import_options opt = {"id", "en", false};
    ck_assert_msg(sl_tmx_import(tm, tmx, &opt, NULL, NULL, &r, &err) == SL_OK, "%s",
                  err.message);
    ck_assert_uint_eq(r.units_new, 300);
    ck_assert_uint_gt(check_index(path), 300);
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    /* stored in pieces: 'id' TAB 'nomor' NUL 8, a word only the import has
     * (in eight-token segments), is in more than one chunk */
    ck_assert_int_gt(int_of(db, "SELECT chunks FROM fuzzy_terms WHERE key = X'6964096E6F6D6F720008'"),
                     1);
    sqlite3_close(db);

    /* a failed import that stored postings on its way changes nothing */
    char *before = snapshot(path);
    char bad[4300];
    snprintf(bad, sizeof bad, "%s/bad.tmx", dir);
    f = fopen(bad, "w");
    ck_assert_ptr_nonnull(f);
    fputs(TMX_HEAD, f);
    for (int i = 0; i < 200; i++)
        fprintf(f, TMX_TU("Kapal %d berlayar ke pulau %d.", "Ship %d sails to island %d."), i,
                i % 5, i, i % 5);
    fputs("<tu><tuv xml:lang=\"id\"><seg>Rusak", f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_ne(sl_tmx_import(tm, bad, &opt, NULL, NULL, &r, &err), SL_OK);
    char *after = snapshot(path);
    ck_assert_str_eq(after, before);
    free(before);
    free(after);

    /* and lookup reads the pieces as one list */
    sl_matches *m = NULL;
    ck_assert_int_eq(sl_tm_lookup(tm, "Rumah nomor 123 di jalan 4 besar.", "id", "en", 75, 5, &m,
                                  &err),
                     SL_OK);
    ck_assert_uint_ge(sl_matches_count(m), 1);
    ck_assert_str_eq(sl_matches_get(m, 0)->unit.target, "House number 123 on road 4 is big.");
    ck_assert_int_eq(sl_matches_get(m, 0)->percent, 100);
    sl_matches_free(m);
    sl_tm_close(tm);
    sl__fuzzy_builder_max = saved;
    check_index(path);
}
END_TEST

/* Many small writes of the same words: chunks are rewritten as one before
 * they pile up, and the index stays exact. */
START_TEST(test_index_chunks)
{
    const char *path = scratch("fuzzy_index_chunks", "tm.db");
    sl_tm *tm = open_ok(path, SL_TM_CREATE);
    for (int i = 0; i < 40; i++) {
        char s[64], t[64], name[16];
        snprintf(s, sizeof s, "Rumah nomor %d besar.", i);
        snprintf(t, sizeof t, "House number %d is big.", i);
        snprintf(name, sizeof name, "d%d", i);
        const char *src[] = {s}, *tgt[] = {t};
        add_doc(tm, name, src, tgt, 1);
    }
    sl_tm_close(tm);
    check_index(path);
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_le(int_of(db, "SELECT max(chunks) FROM fuzzy_terms"), 16);
    /* 'id' TAB 'rumah' NUL 5: five-token segments */
    ck_assert_int_eq(int_of(db, "SELECT df FROM fuzzy_terms WHERE key = X'69640972756D61680005'"),
                     40);
    sqlite3_close(db);
}
END_TEST

/* A segment whose text is changed in place (plain SQL): lookup finds the
 * new text at once, and the next write indexes it again. */
START_TEST(test_index_changed_segment)
{
    const char *path = scratch("fuzzy_index_changed", "tm.db");
    sl_tm *tm = open_ok(path, SL_TM_CREATE);
    add_doc(tm, "a", a_src, a_tgt, N(a_src));
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db,
                                  "UPDATE segments SET text = 'Kami makan roti bakar.',"
                                  " norm = 'Kami makan roti bakar.', words = 5 WHERE id = 1",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(int_of(db, "SELECT count(*) FROM fuzzy_pending"), 1);
    ck_assert_int_eq(int_of(db, "SELECT count(*) FROM fuzzy_dead"), 1);
    sqlite3_close(db);
    sl_error err;
    sl_error_clear(&err);
    sl_matches *m = NULL;
    ck_assert_int_eq(sl_tm_lookup(tm, "Kami makan roti.", "id", "en", 70, 5, &m, &err), SL_OK);
    ck_assert_uint_eq(sl_matches_count(m), 1);
    ck_assert_str_eq(sl_matches_get(m, 0)->unit.source, "Kami makan roti bakar.");
    ck_assert_int_eq(sl_matches_get(m, 0)->percent, 80);
    sl_matches_free(m);
    /* the old text is gone from the lists with the next write */
    add_doc(tm, "b", b_src, b_tgt, N(b_src));
    check_index(path);
    ck_assert_int_eq(sl_tm_lookup(tm, "Saya makan nasi.", "id", "en", 70, 5, &m, &err), SL_OK);
    ck_assert_uint_eq(sl_matches_count(m), 0);
    sl_matches_free(m);
    sl_tm_close(tm);
}
END_TEST

/* A TM from before the index (version 4) is indexed when it is opened. */
START_TEST(test_index_migrated)
{
    const char *path = scratch("fuzzy_index_migrated", "tm.db");
    sl_tm *tm = open_ok(path, SL_TM_CREATE);
    add_doc(tm, "a", a_src, a_tgt, N(a_src));
    sl_tm_close(tm);
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db,
                                  "DROP TRIGGER fuzzy_index_delete; DROP TRIGGER fuzzy_index_update;"
                                  " DROP TABLE fuzzy_terms; DROP TABLE fuzzy_postings;"
                                  " DROP TABLE fuzzy_state; DROP TABLE fuzzy_dead;"
                                  " DROP TABLE fuzzy_pending; PRAGMA user_version = 4;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    tm = open_ok(path, 0);
    sl_tm_close(tm);
    ck_assert_uint_gt(check_index(path), 10);
}
END_TEST

static char *terms_by_id(const char *path)
{
    return text_of(path, "SELECT group_concat(id || ':' || hex(key) || ':' || df"
                         " || ':' || chunks, ',') FROM (SELECT * FROM fuzzy_terms"
                         " ORDER BY id)");
}

/* Version 7 keeps the terms in the B-tree of their keys: a version 6 TM
 * (terms in a rowid table with a UNIQUE key) keeps every term, id, df and
 * list, and new terms are numbered above the old ones. */
START_TEST(test_index_migrated_v7)
{
    const char *path = scratch("fuzzy_index_v7", "tm.db");
    sl_tm *tm = open_ok(path, SL_TM_CREATE);
    add_doc(tm, "a", a_src, a_tgt, N(a_src));
    sl_tm_close(tm);
    char *terms = terms_by_id(path), *before = snapshot(path);
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db,
                                  "CREATE TABLE v6 (id INTEGER PRIMARY KEY, key BLOB NOT NULL"
                                  " UNIQUE, df INTEGER NOT NULL, chunks INTEGER NOT NULL);"
                                  " INSERT INTO v6 SELECT id, key, df, chunks FROM fuzzy_terms"
                                  " ORDER BY id DESC; DROP TABLE fuzzy_terms;"
                                  " ALTER TABLE v6 RENAME TO fuzzy_terms;"
                                  " PRAGMA user_version = 6;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    tm = open_ok(path, 0);
    sl_tm_close(tm);
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(int_of(db, "PRAGMA user_version"), 7);
    ck_assert_int_eq(int_of(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'fuzzy_terms'"
                                " AND sql LIKE '%WITHOUT ROWID'"),
                     1);
    long long old_max = int_of(db, "SELECT max(id) FROM fuzzy_terms");
    sqlite3_close(db);
    char *terms_after = terms_by_id(path), *after = snapshot(path);
    ck_assert_str_eq(terms_after, terms);
    ck_assert_str_eq(after, before);
    ck_assert_uint_gt(check_index(path), 10);
    tm = open_ok(path, 0);
    add_doc(tm, "b", b_src, b_tgt, N(b_src));
    sl_tm_close(tm);
    check_index(path);
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(int_of(db, "SELECT count(DISTINCT id) = count(*) FROM fuzzy_terms"), 1);
    ck_assert_int_gt(int_of(db, "SELECT max(id) FROM fuzzy_terms"), old_max);
    ck_assert_int_eq(int_of(db, "SELECT count(*) FROM fuzzy_terms t WHERE NOT EXISTS"
                                " (SELECT 1 FROM fuzzy_postings p WHERE p.term = t.id)"),
                     0);
    sqlite3_close(db);
    free(terms);
    free(terms_after);
    free(before);
    free(after);
}
END_TEST

/* Lookups through the index against a scan with sl_match_percent, on
 * sentences sharing many words, with rows written behind the index's back
 * (plain SQL, above fuzzy_state.upto). */
START_TEST(test_index_lookup_brute)
{
    const char *path = scratch("fuzzy_index_brute", "tm.db");
    sl_tm *tm = open_ok(path, SL_TM_CREATE);
    static const char *const words[] = {"saya", "dia", "makan", "minum", "nasi", "teh", "di",
                                        "rumah", "kantor", "pagi", "ini", "yang", ",", "."};
    enum { NSENT = 300 };
    char *src[NSENT], *tgt[NSENT];
    uint32_t r = 12345;
    for (int i = 0; i < NSENT; i++) {
        char s[256] = "";
        int n = 3 + (int)((r = r * 1103515245u + 12345u) >> 16) % 9;
        for (int k = 0; k < n; k++) {
            r = r * 1103515245u + 12345u;
            strcat(s, k ? " " : "");
            strcat(s, words[(r >> 16) % N(words)]);
        }
        src[i] = strdup(s);
        char t[32];
        snprintf(t, sizeof t, "target %d", i);
        tgt[i] = strdup(t);
    }
    add_doc(tm, "a", (const char *const *)src, (const char *const *)tgt, NSENT / 2);
    {
        sqlite3 *db = NULL;
        ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
        sqlite3_stmt *seg = NULL, *unit = NULL;
        ck_assert_int_eq(sqlite3_prepare_v2(db,
                                            "INSERT INTO segments (lang, text, norm, key,"
                                            " words) SELECT ?1, ?2, ?2, ?3, ?4 WHERE NOT EXISTS"
                                            " (SELECT 1 FROM segments WHERE key = ?3"
                                            " AND lang = ?1 AND text = ?2)",
                                            -1, &seg, NULL),
                         SQLITE_OK);
        ck_assert_int_eq(sqlite3_prepare_v2(db,
                                            "INSERT OR IGNORE INTO units (src_segment,"
                                            " tgt_segment, created_at) SELECT a.id, b.id, 'x'"
                                            " FROM segments a, segments b WHERE a.lang = 'id'"
                                            " AND a.text = ?1 AND b.lang = 'en' AND b.text = ?2",
                                            -1, &unit, NULL),
                         SQLITE_OK);
        for (int i = NSENT / 2; i < NSENT; i++) {
            const char *texts[2] = {src[i], tgt[i]}, *langs[2] = {"id", "en"};
            for (int k = 0; k < 2; k++) {
                sqlite3_bind_text(seg, 1, langs[k], -1, SQLITE_STATIC);
                sqlite3_bind_text(seg, 2, texts[k], -1, SQLITE_STATIC);
                sqlite3_bind_int64(seg, 3, sl__segment_key(texts[k], strlen(texts[k])));
                sqlite3_bind_int64(seg, 4, (long long)sl__token_count(texts[k]));
                ck_assert_int_eq(sqlite3_step(seg), SQLITE_DONE);
                sqlite3_reset(seg);
            }
            sqlite3_bind_text(unit, 1, src[i], -1, SQLITE_STATIC);
            sqlite3_bind_text(unit, 2, tgt[i], -1, SQLITE_STATIC);
            ck_assert_int_eq(sqlite3_step(unit), SQLITE_DONE);
            sqlite3_reset(unit);
        }
        sqlite3_finalize(seg);
        sqlite3_finalize(unit);
        ck_assert_int_lt(int_of(db, "SELECT upto FROM fuzzy_state"),
                         int_of(db, "SELECT max(id) FROM segments"));
        sqlite3_close(db);
    }
    sl_error err;
    sl_error_clear(&err);
    for (int i = 0; i < 60; i++) {
        /* a stored sentence with its first word replaced, or a new one */
        char q[300];
        r = r * 1103515245u + 12345u;
        const char *base = src[(r >> 16) % NSENT];
        const char *sp = strchr(base, ' ');
        snprintf(q, sizeof q, "%s%s", i % 3 ? "kami" : "teh saya", sp ? sp : "");
        int min = i % 2 ? 75 : 50, best = -1;
        for (int k = 0; k < NSENT; k++) {
            int p = sl_match_percent(q, src[k]);
            if (p >= min && p > best)
                best = p;
        }
        sl_matches *m = NULL;
        ck_assert_int_eq(sl_tm_lookup(tm, q, "id", "en", min, 3, &m, &err), SL_OK);
        int got = sl_matches_count(m) ? sl_matches_get(m, 0)->percent : -1;
        ck_assert_msg(got == best, "'%s' at %d: lookup %d, scan %d", q, min, got, best);
        sl_matches_free(m);
    }
    for (int i = 0; i < NSENT; i++) {
        free(src[i]);
        free(tgt[i]);
    }
    sl_tm_close(tm);
}
END_TEST

static Suite *fuzzy_index_suite(void)
{
    Suite *s = suite_create("fuzzy_index");
    TCase *c = tcase_create("index");
    tcase_set_timeout(c, 60);
    tcase_add_test(c, test_index_follows_writes);
    tcase_add_test(c, test_index_chunks);
    tcase_add_test(c, test_index_bounded_builder);
    tcase_add_test(c, test_index_changed_segment);
    tcase_add_test(c, test_index_migrated);
    tcase_add_test(c, test_index_migrated_v7);
    tcase_add_test(c, test_index_lookup_brute);
    suite_add_tcase(s, c);
    return s;
}

int main(void)
{
    return sl_test_run(fuzzy_index_suite());
}

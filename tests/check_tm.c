#include "check_run.h"
#include "tm-internal.h"
#include "sha256.h"
#include <selaras/selaras.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers */

/* A path "tests/tmp/NAME/FILE" in a fresh scratch directory. */
static const char *scratch(const char *name, const char *file)
{
    static char path[4200];
    const char *dir = sl_test_tmpdir(name);
    ck_assert_ptr_nonnull(dir);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return path;
}

static sl_sentences *sents(const char *const *texts, size_t n)
{
    sl_sentences *s = NULL;
    sl_error err;
    ck_assert_int_eq(sl_sentences_new(&s, &err), SL_OK);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(sl_sentences_append(s, texts[i], strlen(texts[i]), i == 0, &err), SL_OK);
    return s;
}

static sl_alignment *beads(const sl_bead *b, size_t n)
{
    sl_alignment *a = NULL;
    sl_error err;
    ck_assert_int_eq(sl__alignment_from_beads(b, n, &a, &err), SL_OK);
    return a;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A document pair ready to add: sentences, beads, texts for the checksums. */
struct pair {
    const char *src_path, *tgt_path, *src_lang, *tgt_lang;
    const char *const *src;
    size_t nsrc;
    const char *const *tgt;
    size_t ntgt;
    const sl_bead *b;
    size_t nb;
};

/* The "file contents" are the sentences one per line. */
static char *join_lines(const char *const *v, size_t n)
{
    size_t total = 1;
    for (size_t i = 0; i < n; i++)
        total += strlen(v[i]) + 1;
    char *s = malloc(total), *p = s;
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s\n", v[i]);
    *p = '\0';
    return s;
}

static sl_status add_pair(sl_tm *tm, const struct pair *p, sl_add_result *res, sl_error *err)
{
    sl_sentences *s = sents(p->src, p->nsrc), *t = sents(p->tgt, p->ntgt);
    sl_alignment *a = beads(p->b, p->nb);
    char *st = join_lines(p->src, p->nsrc), *tt = join_lines(p->tgt, p->ntgt);
    sl_document doc = {p->src_path, p->tgt_path, p->src_lang, p->tgt_lang,
                       st,          tt,          strlen(st),  strlen(tt)};
    sl_status r = sl_tm_add(tm, &doc, s, t, a, res, err);
    free(st);
    free(tt);
    sl_alignment_free(a);
    sl_sentences_free(s);
    sl_sentences_free(t);
    return r;
}

struct unit_copy {
    long long id, document_id, occurrences;
    char src_lang[16], tgt_lang[16], source[160], target[160], bead[8], document[64],
        created_at[24];
    double score;
};

struct units {
    struct unit_copy v[32];
    size_t n;
    size_t stop_after; /* 0 = never stop */
};

static void copy_unit(struct unit_copy *c, const sl_unit *u)
{
    c->id = u->id;
    c->document_id = u->document_id;
    c->occurrences = u->occurrences;
    c->score = u->score;
    snprintf(c->src_lang, sizeof c->src_lang, "%s", u->src_lang);
    snprintf(c->tgt_lang, sizeof c->tgt_lang, "%s", u->tgt_lang);
    snprintf(c->source, sizeof c->source, "%s", u->source);
    snprintf(c->target, sizeof c->target, "%s", u->target);
    snprintf(c->bead, sizeof c->bead, "%s", u->bead);
    snprintf(c->document, sizeof c->document, "%s", u->document);
    snprintf(c->created_at, sizeof c->created_at, "%s", u->created_at);
}

static int collect(const sl_unit *u, void *data)
{
    struct units *us = data;
    ck_assert_uint_lt(us->n, N(us->v));
    copy_unit(&us->v[us->n++], u);
    return us->stop_after && us->n == us->stop_after;
}

static void units_of(sl_tm *tm, const char *src, const char *tgt, struct units *us)
{
    sl_error err;
    memset(us, 0, sizeof *us);
    ck_assert_msg(sl_tm_foreach_unit(tm, src, tgt, collect, us, &err) == SL_OK, "%s",
                  err.message);
}

static sl_tm_stats stats_of(sl_tm *tm)
{
    sl_tm_stats st;
    sl_error err;
    ck_assert_msg(sl_tm_get_stats(tm, &st, &err) == SL_OK, "%s", err.message);
    return st;
}

static sl_tm *open_ok(const char *path, int flags)
{
    sl_tm *tm = NULL;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_msg(sl_tm_open(path, flags, &tm, &err) == SL_OK, "%s", err.message);
    ck_assert_ptr_nonnull(tm);
    return tm;
}

/* Whole file contents; *len its size. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (*len == cap) {
            cap = cap ? cap * 2 : 4096;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
        size_t got = fread(buf + *len, 1, cap - *len, f);
        if (got == 0)
            break;
        *len += got;
    }
    fclose(f);
    return buf;
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Run SQL on a file with plain sqlite, outside the library. */
static void raw_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    ck_assert_msg(rc == SQLITE_OK, "%s", msg ? msg : "?");
    sqlite3_close(db);
}

static long long raw_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Open must refuse path with SL_SCHEMA (message naming the file and
 * containing what), and leave its bytes and its directory as they were. */
static void assert_refused_untouched(const char *path, int flags, const char *what)
{
    size_t before_len, after_len;
    char *before = slurp(path, &before_len);
    sl_tm *tm = NULL;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_int_eq(sl_tm_open(path, flags, &tm, &err), SL_SCHEMA);
    ck_assert_ptr_null(tm);
    ck_assert_int_eq(err.code, SL_SCHEMA);
    ck_assert_msg(strstr(err.message, path) != NULL, "no file name in '%s'", err.message);
    ck_assert_msg(strstr(err.message, what) != NULL, "no '%s' in '%s'", what, err.message);
    char *after = slurp(path, &after_len);
    ck_assert_uint_eq(before_len, after_len);
    ck_assert(memcmp(before, after, before_len) == 0);
    char side[4300];
    snprintf(side, sizeof side, "%s-wal", path);
    ck_assert_msg(!exists(side), "%s was created", side);
    snprintf(side, sizeof side, "%s-journal", path);
    ck_assert_msg(!exists(side), "%s was created", side);
    free(before);
    free(after);
}

/* ---- the sample documents */

static const char *const doc1_src[] = {
    "Saya makan nasi.", "Dia minum teh.", "Kami pergi ke pasar.", "Hari ini hujan.",
    "Catatan kaki.",
};
static const char *const doc1_tgt[] = {
    "I eat rice.",
    "She drinks tea.",
    "We went to the market; it rained today.",
    "An extra line.",
};
static const sl_bead doc1_beads[] = {
    {0, 1, 0, 1, 0.9}, /* 1-1 */
    {1, 1, 1, 1, 0.8}, /* 1-1 */
    {2, 2, 2, 1, 0.7}, /* 2-1: joined with one space */
    {4, 1, 3, 0, 0.0}, /* 1-0: not stored */
    {5, 0, 3, 1, 0.0}, /* 0-1: not stored */
};
static const struct pair doc1 = {"doc1.id.txt", "doc1.en.txt", "id", "en",
                                 doc1_src,      N(doc1_src),   doc1_tgt, N(doc1_tgt),
                                 doc1_beads,    N(doc1_beads)};

/* Shares its first pair with doc1, translates the second differently. */
static const char *const doc2_src[] = {"Saya makan nasi.", "Dia minum teh.", "Ibu memasak."};
static const char *const doc2_tgt[] = {"I eat rice.", "He drinks tea.", "Mother cooks."};
static const sl_bead doc2_beads[] = {
    {0, 1, 0, 1, 0.95},
    {1, 1, 1, 1, 0.6},
    {2, 1, 2, 1, 0.85},
};
static const struct pair doc2 = {"doc2.id.txt", "doc2.en.txt", "id", "en",
                                  doc2_src,      N(doc2_src),   doc2_tgt, N(doc2_tgt),
                                  doc2_beads,    N(doc2_beads)};

/* The other direction: both segments exist already, in their languages. */
static const char *const doc3_src[] = {"I eat rice."};
static const char *const doc3_tgt[] = {"Saya makan nasi."};
static const sl_bead doc3_beads[] = {{0, 1, 0, 1, 0.5}};
static const struct pair doc3 = {"doc3.en.txt", "doc3.id.txt", "en", "id",
                                 doc3_src,      N(doc3_src),   doc3_tgt, N(doc3_tgt),
                                 doc3_beads,    N(doc3_beads)};

static void add_ok(sl_tm *tm, const struct pair *p, sl_add_result *res)
{
    sl_error err;
    sl_error_clear(&err);
    ck_assert_msg(add_pair(tm, p, res, &err) == SL_OK, "%s", err.message);
}

/* ---- opening */

START_TEST(test_schema_version)
{
    ck_assert_int_ge(sl_tm_schema_version(), 3); /* 3: the full-text index */
}
END_TEST

START_TEST(test_create_and_reopen)
{
    const char *path = scratch("tm_create", "tm.db");
    ck_assert(!exists(path));
    sl_tm *tm = open_ok(path, SL_TM_CREATE);
    sl_tm_stats st = stats_of(tm);
    ck_assert_int_eq(st.documents, 0);
    ck_assert_int_eq(st.units, 0);
    ck_assert_int_eq(st.segments, 0);
    sl_tm_close(tm);
    ck_assert(exists(path));

    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(raw_int(db, "PRAGMA application_id"), SL__TM_APPLICATION_ID);
    ck_assert_int_eq(raw_int(db, "PRAGMA user_version"), sl_tm_schema_version());
    ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND"
                                 " name IN ('documents', 'segments', 'units', 'occurrences')"),
                     4);
    sqlite3_stmt *q = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    sqlite3_close(db);

    /* Reopening, read-write without CREATE and read-only, keeps the data. */
    tm = open_ok(path, 0);
    add_ok(tm, &doc1, NULL);
    sl_tm_close(tm);
    tm = open_ok(path, SL_TM_READONLY);
    ck_assert_int_eq(stats_of(tm).units, 3);
    sl_tm_close(tm);
    tm = open_ok(path, SL_TM_CREATE);
    ck_assert_int_eq(stats_of(tm).documents, 1);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_empty_file_is_new)
{
    /* A zero-byte file is a valid empty SQLite database: made into a TM. */
    const char *path = scratch("tm_empty", "tm.db");
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    sl_tm *tm = open_ok(path, SL_TM_CREATE);
    ck_assert_int_eq(stats_of(tm).units, 0);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_readonly_missing)
{
    const char *path = scratch("tm_missing", "none.db");
    sl_tm *tm = NULL;
    sl_error err;
    ck_assert_int_eq(sl_tm_open(path, SL_TM_READONLY, &tm, &err), SL_NOTFOUND);
    ck_assert_ptr_null(tm);
    char expect[4400];
    snprintf(expect, sizeof expect,
             "%s: no such translation memory (create one with 'selaras add')", path);
    ck_assert_str_eq(err.message, expect);
    ck_assert(!exists(path));
    /* Without CREATE, a read-write open does not create either. */
    ck_assert_int_eq(sl_tm_open(path, 0, &tm, &err), SL_NOTFOUND);
    ck_assert(!exists(path));
}
END_TEST

START_TEST(test_not_sqlite)
{
    const char *path = scratch("tm_text", "notes.db");
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 50; i++)
        fputs("These are my notes, not a database.\n", f);
    fclose(f);
    assert_refused_untouched(path, SL_TM_CREATE, "not a selaras translation memory");
    assert_refused_untouched(path, SL_TM_READONLY, "not a selaras translation memory");

    /* A short file too. */
    path = scratch("tm_text_short", "short.db");
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("hello\n", f);
    fclose(f);
    assert_refused_untouched(path, SL_TM_CREATE, "not a selaras translation memory");
}
END_TEST

START_TEST(test_foreign_sqlite)
{
    const char *path = scratch("tm_foreign", "other.db");
    raw_sql(path, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');");
    assert_refused_untouched(path, SL_TM_CREATE, "not a selaras translation memory");
    assert_refused_untouched(path, 0, "not a selaras translation memory");
    assert_refused_untouched(path, SL_TM_READONLY, "not a selaras translation memory");

    /* Another application's id, even without tables. */
    path = scratch("tm_foreign_id", "other.db");
    raw_sql(path, "PRAGMA application_id = 42;");
    assert_refused_untouched(path, SL_TM_CREATE, "not a selaras translation memory");
}
END_TEST

START_TEST(test_newer_schema)
{
    const char *path = scratch("tm_newer", "future.db");
    char sql[200];
    snprintf(sql, sizeof sql,
             "PRAGMA application_id = %d; PRAGMA user_version = 99; CREATE TABLE x (a);",
             SL__TM_APPLICATION_ID);
    raw_sql(path, sql);
    assert_refused_untouched(path, SL_TM_CREATE, "newer");
    char want[80];
    snprintf(want, sizeof want, "schema 99, this version reads up to %d", sl_tm_schema_version());
    assert_refused_untouched(path, SL_TM_READONLY, want);
}
END_TEST

START_TEST(test_bad_paths)
{
    const char *dir = sl_test_tmpdir("tm_paths");
    ck_assert_ptr_nonnull(dir);
    char path[4300];
    snprintf(path, sizeof path, "%s", dir);
    sl_tm *tm = NULL;
    sl_error err;
    /* A directory. */
    ck_assert_int_eq(sl_tm_open(path, SL_TM_CREATE, &tm, &err), SL_IO);
    ck_assert_ptr_nonnull(strstr(err.message, path));
    ck_assert_ptr_nonnull(strstr(err.message, "directory"));
    /* A file in a missing directory. */
    snprintf(path, sizeof path, "%s/no/such/dir/tm.db", dir);
    ck_assert_int_eq(sl_tm_open(path, SL_TM_CREATE, &tm, &err), SL_IO);
    ck_assert_ptr_nonnull(strstr(err.message, path));
    ck_assert_ptr_null(tm);
    /* Not a regular file. */
    ck_assert_int_eq(sl_tm_open("/dev/null", SL_TM_CREATE, &tm, &err), SL_IO);
    ck_assert_ptr_nonnull(strstr(err.message, "/dev/null"));
    /* Nonsense arguments. */
    ck_assert_int_eq(sl_tm_open(NULL, SL_TM_CREATE, &tm, &err), SL_USAGE);
    ck_assert_int_eq(sl_tm_open("x.db", SL_TM_CREATE | SL_TM_READONLY, &tm, &err), SL_USAGE);
}
END_TEST

/* ---- adding */

START_TEST(test_add_units)
{
    sl_tm *tm = open_ok(scratch("tm_add", "tm.db"), SL_TM_CREATE);
    sl_add_result res;
    add_ok(tm, &doc1, &res);
    ck_assert(!res.already_present);
    ck_assert_int_eq(res.document_id, 1);
    ck_assert_uint_eq(res.pairs, 3);
    ck_assert_uint_eq(res.units_new, 3);
    ck_assert_uint_eq(res.units_existing, 0);

    struct units us;
    units_of(tm, NULL, NULL, &us);
    ck_assert_uint_eq(us.n, 3);
    static const char *const expect[3][2] = {
        {"Saya makan nasi.", "I eat rice."},
        {"Dia minum teh.", "She drinks tea."},
        {"Kami pergi ke pasar. Hari ini hujan.", "We went to the market; it rained today."},
    };
    static const double scores[3] = {0.9, 0.8, 0.7};
    static const char *const shapes[3] = {"1-1", "1-1", "2-1"};
    for (size_t i = 0; i < 3; i++) {
        const struct unit_copy *u = &us.v[i];
        ck_assert_int_eq(u->id, (long long)i + 1);
        ck_assert_str_eq(u->source, expect[i][0]);
        ck_assert_str_eq(u->target, expect[i][1]);
        ck_assert_str_eq(u->src_lang, "id");
        ck_assert_str_eq(u->tgt_lang, "en");
        ck_assert_double_eq_tol(u->score, scores[i], 1e-9);
        ck_assert_str_eq(u->bead, shapes[i]);
        ck_assert_str_eq(u->document, "doc1.id.txt");
        ck_assert_int_eq(u->document_id, 1);
        ck_assert_int_eq(u->occurrences, 1);
        /* "2026-11-24T17:10:26Z" */
        ck_assert_uint_eq(strlen(u->created_at), 20);
        ck_assert_int_eq(u->created_at[10], 'T');
        ck_assert_int_eq(u->created_at[19], 'Z');
    }
    sl_tm_stats st = stats_of(tm);
    ck_assert_int_eq(st.documents, 1);
    ck_assert_int_eq(st.units, 3);
    ck_assert_int_eq(st.segments, 6);

    /* The provenance rows: bead index, first sentence of each side. */
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM occurrences"), 3);
    ck_assert_int_eq(raw_int(tm->db, "SELECT position * 100 + src_index * 10 + tgt_index"
                                     " FROM occurrences WHERE bead = '2-1'"),
                     222);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM documents WHERE src_path ="
                                     " 'doc1.id.txt' AND tgt_path = 'doc1.en.txt' AND"
                                     " length(src_sha256) = 64 AND tool_version <> ''"),
                     1);
    ck_assert_int_eq(raw_int(tm->db, "SELECT words FROM segments WHERE text ="
                                     " 'Saya makan nasi.'"),
                     4);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_add_again)
{
    sl_tm *tm = open_ok(scratch("tm_again", "tm.db"), SL_TM_CREATE);
    sl_add_result res;
    add_ok(tm, &doc1, &res);
    sl_tm_stats before = stats_of(tm);
    add_ok(tm, &doc1, &res);
    ck_assert(res.already_present);
    ck_assert_int_eq(res.document_id, 1);
    ck_assert_uint_eq(res.units_new, 0);
    ck_assert_uint_eq(res.units_existing, 0);

    /* The same texts under other file names: still the same document. */
    struct pair renamed = doc1;
    renamed.src_path = "copy.id.txt";
    renamed.tgt_path = "copy.en.txt";
    add_ok(tm, &renamed, &res);
    ck_assert(res.already_present);
    sl_tm_stats after = stats_of(tm);
    ck_assert_int_eq(after.documents, before.documents);
    ck_assert_int_eq(after.units, before.units);
    ck_assert_int_eq(after.segments, before.segments);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM occurrences"), 3);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_add_shared_and_changed)
{
    sl_tm *tm = open_ok(scratch("tm_shared", "tm.db"), SL_TM_CREATE);
    sl_add_result res;
    add_ok(tm, &doc1, &res);
    add_ok(tm, &doc2, &res);
    ck_assert(!res.already_present);
    ck_assert_int_eq(res.document_id, 2);
    ck_assert_uint_eq(res.pairs, 3);
    ck_assert_uint_eq(res.units_new, 2);
    ck_assert_uint_eq(res.units_existing, 1);

    struct units us;
    units_of(tm, NULL, NULL, &us);
    ck_assert_uint_eq(us.n, 5);
    /* Shared: best score from doc2, provenance of the first document. */
    ck_assert_str_eq(us.v[0].source, "Saya makan nasi.");
    ck_assert_int_eq(us.v[0].occurrences, 2);
    ck_assert_double_eq_tol(us.v[0].score, 0.95, 1e-9);
    ck_assert_str_eq(us.v[0].document, "doc1.id.txt");
    ck_assert_int_eq(us.v[0].document_id, 1);
    /* The changed translation is a unit of its own. */
    ck_assert_str_eq(us.v[1].target, "She drinks tea.");
    ck_assert_int_eq(us.v[1].occurrences, 1);
    ck_assert_int_eq(us.v[3].id, 4);
    ck_assert_str_eq(us.v[3].source, "Dia minum teh.");
    ck_assert_str_eq(us.v[3].target, "He drinks tea.");
    ck_assert_str_eq(us.v[3].document, "doc2.id.txt");
    ck_assert_int_eq(us.v[3].document_id, 2);
    ck_assert_str_eq(us.v[4].source, "Ibu memasak.");

    sl_tm_stats st = stats_of(tm);
    ck_assert_int_eq(st.documents, 2);
    ck_assert_int_eq(st.units, 5);
    ck_assert_int_eq(st.segments, 9); /* 4 Indonesian, 5 English */

    /* doc3 reuses two existing segments in the other direction. */
    add_ok(tm, &doc3, &res);
    ck_assert_uint_eq(res.units_new, 1);
    st = stats_of(tm);
    ck_assert_int_eq(st.units, 6);
    ck_assert_int_eq(st.segments, 9);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_add_repeated_pair_in_one_document)
{
    static const char *const src[] = {"Terima kasih.", "Sama-sama.", "Terima kasih."};
    static const char *const tgt[] = {"Thank you.", "You're welcome.", "Thank you."};
    static const sl_bead b[] = {{0, 1, 0, 1, 0.4}, {1, 1, 1, 1, 0.9}, {2, 1, 2, 1, 0.8}};
    struct pair p = {"r.id", "r.en", "id", "en", src, 3, tgt, 3, b, 3};
    sl_tm *tm = open_ok(scratch("tm_repeat", "tm.db"), SL_TM_CREATE);
    sl_add_result res;
    add_ok(tm, &p, &res);
    ck_assert_uint_eq(res.pairs, 3);
    ck_assert_uint_eq(res.units_new, 2);
    ck_assert_uint_eq(res.units_existing, 1);
    struct units us;
    units_of(tm, NULL, NULL, &us);
    ck_assert_uint_eq(us.n, 2);
    ck_assert_int_eq(us.v[0].occurrences, 2);
    ck_assert_double_eq_tol(us.v[0].score, 0.8, 1e-9);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_add_bad_bead)
{
    const char *path = scratch("tm_badbead", "tm.db");
    sl_tm *tm = open_ok(path, SL_TM_CREATE);
    add_ok(tm, &doc1, NULL);
    sl_tm_stats before = stats_of(tm);

    static const sl_bead bad[] = {{0, 1, 0, 1, 0.9}, {1, 1, 1, 1, 0.8}, {2, 5, 2, 1, 0.7}};
    struct pair p = doc2;
    p.b = bad;
    p.nb = N(bad);
    sl_add_result res = {99, true, 9, 9, 9};
    sl_error err;
    ck_assert_int_eq(add_pair(tm, &p, &res, &err), SL_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "doc2.id.txt"));
    ck_assert_ptr_nonnull(strstr(err.message, "bead 2"));
    ck_assert(!res.already_present);
    ck_assert_uint_eq(res.units_new, 0);

    static const sl_bead bad_tgt[] = {{0, 1, 7, 1, 0.9}};
    p.b = bad_tgt;
    p.nb = 1;
    ck_assert_int_eq(add_pair(tm, &p, NULL, &err), SL_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "doc2.en.txt"));

    sl_tm_stats after = stats_of(tm);
    ck_assert_int_eq(after.documents, before.documents);
    ck_assert_int_eq(after.units, before.units);
    ck_assert_int_eq(after.segments, before.segments);
    sl_tm_close(tm);
}
END_TEST

/* Text a TMX cannot carry never gets into the TM by the API either. */
START_TEST(test_add_control_characters)
{
    sl_tm *tm = open_ok(scratch("tm_control", "tm.db"), SL_TM_CREATE);
    add_ok(tm, &doc1, NULL);
    sl_tm_stats before = stats_of(tm);
    static const char *const src[] = {"Saya makan nasi.", "Dia \x1b[1mminum\x1b[0m teh.", "Ibu memasak."};
    static const char *const tgt[] = {"I eat rice.", "He drinks tea.", "Mother cooks\xef\xbf\xbe."};
    struct pair p = doc2;
    p.src = src;
    sl_error err;
    ck_assert_int_eq(add_pair(tm, &p, NULL, &err), SL_DATA);
    ck_assert_str_eq(err.message, "doc2.id.txt: sentence 2 has a character TMX cannot carry at "
                                  "byte 4 (0x1b); nothing was added");
    p = doc2;
    p.tgt = tgt;
    ck_assert_int_eq(add_pair(tm, &p, NULL, &err), SL_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "doc2.en.txt: sentence 3 "));
    sl_tm_stats after = stats_of(tm);
    ck_assert_int_eq(after.documents, before.documents);
    ck_assert_int_eq(after.units, before.units);
    /* tab, CR and LF are fine */
    static const char *const ok[] = {"Saya\tmakan nasi.", "Dia minum teh.\r", "Ibu memasak."};
    p = doc2;
    p.src = ok;
    ck_assert_int_eq(add_pair(tm, &p, NULL, &err), SL_OK);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_add_failure_rolls_back)
{
    const char *path = scratch("tm_rollback", "tm.db");
    sl_tm *tm = open_ok(path, SL_TM_CREATE);
    add_ok(tm, &doc1, NULL);
    sl_tm_stats before = stats_of(tm);

    /* Fail the third occurrence of the next add: by then a document,
     * segments and units have been inserted in the transaction. */
    char *msg = NULL;
    int rc = sqlite3_exec(tm->db,
                          "CREATE TEMP TRIGGER fail_third AFTER INSERT ON main.occurrences"
                          " WHEN NEW.position = 2 AND NEW.document = 2"
                          " BEGIN SELECT RAISE(ABORT, 'forced failure'); END",
                          NULL, NULL, &msg);
    ck_assert_msg(rc == SQLITE_OK, "%s", msg ? msg : "?");
    sl_add_result res;
    sl_error err;
    ck_assert_int_eq(add_pair(tm, &doc2, &res, &err), SL_DB);
    ck_assert_ptr_nonnull(strstr(err.message, path));
    ck_assert_ptr_nonnull(strstr(err.message, "forced failure"));

    sl_tm_stats after = stats_of(tm);
    ck_assert_int_eq(after.documents, before.documents);
    ck_assert_int_eq(after.units, before.units);
    ck_assert_int_eq(after.segments, before.segments);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM occurrences"), 3);
    struct units us;
    units_of(tm, NULL, NULL, &us);
    ck_assert_int_eq(us.v[0].occurrences, 1);

    /* No transaction was left open: the same add now succeeds. */
    ck_assert_int_eq(sqlite3_exec(tm->db, "DROP TRIGGER fail_third", NULL, NULL, NULL),
                     SQLITE_OK);
    add_ok(tm, &doc2, &res);
    ck_assert(!res.already_present);
    ck_assert_uint_eq(res.units_new, 2);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_add_readonly)
{
    const char *path = scratch("tm_ro", "tm.db");
    sl_tm_close(open_ok(path, SL_TM_CREATE));
    sl_tm *tm = open_ok(path, SL_TM_READONLY);
    sl_error err;
    ck_assert_int_eq(add_pair(tm, &doc1, NULL, &err), SL_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, path));
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_add_locked)
{
    const char *path = scratch("tm_locked", "tm.db");
    sl_tm *tm = open_ok(path, SL_TM_CREATE);
    /* Another connection holds the write lock. */
    sqlite3 *other = NULL;
    ck_assert_int_eq(sqlite3_open(path, &other), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_busy_timeout(tm->db, 50); /* don't wait the full 5 s */
    sl_error err;
    ck_assert_int_eq(add_pair(tm, &doc1, NULL, &err), SL_DB);
    char expect[4400];
    snprintf(expect, sizeof expect, "%s: the database is locked by another process (wait until "
             "it has finished and try again)", path);
    ck_assert_str_eq(err.message, expect);
    ck_assert_int_eq(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(other);
    add_ok(tm, &doc1, NULL);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_add_bad_language)
{
    sl_tm *tm = open_ok(scratch("tm_badlang", "tm.db"), SL_TM_CREATE);
    struct pair p = doc1;
    p.tgt_lang = "english";
    sl_error err;
    ck_assert_int_eq(add_pair(tm, &p, NULL, &err), SL_LANG);
    ck_assert_int_eq(stats_of(tm).documents, 0);
    /* Tags are stored canonical: "ID" is "id". */
    p = doc1;
    p.src_lang = "ID";
    add_ok(tm, &p, NULL);
    struct units us;
    units_of(tm, NULL, NULL, &us);
    ck_assert_str_eq(us.v[0].src_lang, "id");
    sl_tm_close(tm);
}
END_TEST

/* ---- reading */

struct pair_row {
    char src[16], tgt[16];
    long long units;
};

struct pairs {
    struct pair_row v[8];
    size_t n;
};

static int collect_pair(const char *src, const char *tgt, long long units, void *data)
{
    struct pairs *p = data;
    ck_assert_uint_lt(p->n, N(p->v));
    snprintf(p->v[p->n].src, sizeof p->v[p->n].src, "%s", src);
    snprintf(p->v[p->n].tgt, sizeof p->v[p->n].tgt, "%s", tgt);
    p->v[p->n++].units = units;
    return 0;
}

START_TEST(test_language_pairs_and_filter)
{
    sl_tm *tm = open_ok(scratch("tm_pairs", "tm.db"), SL_TM_CREATE);
    add_ok(tm, &doc1, NULL);
    add_ok(tm, &doc2, NULL);
    add_ok(tm, &doc3, NULL);

    struct pairs p = {.n = 0};
    sl_error err;
    ck_assert_int_eq(sl_tm_language_pairs(tm, collect_pair, &p, &err), SL_OK);
    ck_assert_uint_eq(p.n, 2);
    ck_assert_str_eq(p.v[0].src, "en");
    ck_assert_str_eq(p.v[0].tgt, "id");
    ck_assert_int_eq(p.v[0].units, 1);
    ck_assert_str_eq(p.v[1].src, "id");
    ck_assert_str_eq(p.v[1].tgt, "en");
    ck_assert_int_eq(p.v[1].units, 5);

    struct units us;
    units_of(tm, "id", "en", &us);
    ck_assert_uint_eq(us.n, 5);
    for (size_t i = 1; i < us.n; i++)
        ck_assert_int_lt(us.v[i - 1].id, us.v[i].id);
    units_of(tm, "EN", "Id", &us); /* case-insensitive */
    ck_assert_uint_eq(us.n, 1);
    ck_assert_str_eq(us.v[0].source, "I eat rice.");
    ck_assert_str_eq(us.v[0].target, "Saya makan nasi.");
    ck_assert_str_eq(us.v[0].document, "doc3.en.txt");
    units_of(tm, "id", "fr", &us);
    ck_assert_uint_eq(us.n, 0);
    units_of(tm, NULL, NULL, &us);
    ck_assert_uint_eq(us.n, 6);

    /* Stopping early is not an error. */
    memset(&us, 0, sizeof us);
    us.stop_after = 2;
    ck_assert_int_eq(sl_tm_foreach_unit(tm, NULL, NULL, collect, &us, &err), SL_OK);
    ck_assert_uint_eq(us.n, 2);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_require_pair)
{
    sl_tm *tm = open_ok(scratch("tm_require_pair", "tm.db"), SL_TM_CREATE);
    sl_error err;
    /* an empty TM has nothing to mismatch */
    ck_assert_int_eq(sl_tm_require_pair(tm, "fr", "de", &err), SL_OK);
    add_ok(tm, &doc1, NULL);
    add_ok(tm, &doc3, NULL);
    ck_assert_int_eq(sl_tm_require_pair(tm, "id", "en", &err), SL_OK);
    ck_assert_int_eq(sl_tm_require_pair(tm, "ID", "En", &err), SL_OK);
    ck_assert_int_eq(sl_tm_require_pair(tm, "fr", "de", &err), SL_LANG);
    char expect[4400];
    snprintf(expect, sizeof expect,
             "%s: no translation units for fr -> de (the TM holds en -> id, id -> en); give "
             "--src-lang and --tgt-lang of a pair it holds",
             scratch("tm_require_pair", "tm.db"));
    ck_assert_str_eq(err.message, expect);
    ck_assert_int_eq(sl_tm_require_pair(tm, "id", NULL, &err), SL_USAGE);
    sl_tm_close(tm);
}
END_TEST

/* ---- matching */

START_TEST(test_match_percent)
{
    ck_assert_int_eq(sl_match_percent("Saya makan nasi .", "Saya makan roti ."), 75);
    ck_assert_int_eq(sl_match_percent("Saya makan nasi.", "Saya makan roti."), 75);
    /* identical after collapsing whitespace */
    ck_assert_int_eq(sl_match_percent("  Saya\tmakan   nasi. ", "Saya makan nasi."), 100);
    /* identical after NFC: precomposed and decomposed e-acute */
    ck_assert_int_eq(sl_match_percent("Kafe \xc3\xa9", "Kafe e\xcc\x81"), 100);
    /* same tokens, different texts: never 100 */
    ck_assert_int_eq(sl_match_percent("nasi.", "nasi ."), 99);
    /* a change of case costs half a word: 100 * (1 - 0.5/4) = 87.5 */
    ck_assert_int_eq(sl_match_percent("saya makan nasi.", "Saya makan nasi."), 87);
    ck_assert_int_eq(sl_match_percent("SAYA makan nasi.", "saya makan roti."), 62);
    /* one insertion in five tokens: 4/5 */
    ck_assert_int_eq(sl_match_percent("Saya makan nasi goreng.", "Saya makan nasi."), 80);
    /* 2/3 = 66.7 rounds down; a reduplicated word is one token */
    ck_assert_int_eq(sl_match_percent("anak-anak bermain.", "anak bermain."), 66);
    ck_assert_int_eq(sl_match_percent("Saya makan nasi goreng di rumah.",
                                      "Saya makan roti di rumah."),
                     71);
    ck_assert_int_eq(sl_match_percent("a b", "c d"), 0);
    ck_assert_int_eq(sl_match_percent("", "Saya makan."), 0);
    ck_assert_int_eq(sl_match_percent("Saya makan.", "   "), 0);
    ck_assert_int_eq(sl_match_percent(NULL, "Saya"), 0);
    ck_assert_int_eq(sl_match_percent("Saya makan nasi", "Saya makan nasi"), 100);
}
END_TEST

START_TEST(test_tokens)
{
    ck_assert_uint_eq(sl__token_count(""), 0);
    ck_assert_uint_eq(sl__token_count("Saya makan nasi."), 4);
    ck_assert_uint_eq(sl__token_count("\"Halo,\" katanya."), 6);
    ck_assert_uint_eq(sl__token_count("anak-anak don't -x- 3.14"), 8);
    sl__token *t = NULL;
    size_t n = 0;
    ck_assert_int_eq(sl__tokenise("Ibu-ibu, ayo!", &t, &n, NULL), SL_OK);
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq((int)t[0].n, 7);
    ck_assert(strncmp(t[0].p, "Ibu-ibu", 7) == 0);
    ck_assert(strncmp(t[1].p, ",", t[1].n) == 0);
    ck_assert(strncmp(t[3].p, "!", t[3].n) == 0);
    free(t);
    /* one pass into a reused array: the same tokens, within the length
     * given; 70 tokens outgrow the first 64 entries */
    t = NULL;
    size_t cap = 0;
    const char *s = "Ibu-ibu, ayo! tail";
    ck_assert(sl__tokenise_into(s, 13, &t, &cap, &n));
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq((int)t[0].n, 7);
    ck_assert(t[0].p == s);
    ck_assert(t[3].p == s + 12 && t[3].n == 1);
    char many[141];
    for (int i = 0; i < 70; i++)
        memcpy(many + 2 * i, "a ", 2);
    many[140] = '\0';
    ck_assert(sl__tokenise_into(many, strlen(many), &t, &cap, &n));
    ck_assert_uint_eq(n, 70);
    ck_assert(t[69].p == many + 138 && t[69].n == 1);
    ck_assert(sl__tokenise_into("", 0, &t, &cap, &n));
    ck_assert_uint_eq(n, 0);
    free(t);
}
END_TEST

/* A TM made for lookups: five near variants of one sentence. */
static const char *const look_src[] = {
    "Saya makan nasi goreng di rumah.", /* A, unit 1 */
    "Saya makan nasi di rumah.",        /* B: 85 */
    "Saya makan roti di rumah.",        /* C: 71 */
    "Kami makan nasi goreng di rumah.", /* D: 85 */
    "Buku itu mahal.",                  /* E: 14 */
    "Saya makan nasi goreng di rumah.", /* A again, another translation: unit 6 */
};
static const char *const look_tgt[] = {
    "I eat fried rice at home.", "I eat rice at home.",   "I eat bread at home.",
    "We eat fried rice at home.", "The book is expensive.", "I ate fried rice at home.",
};
static const sl_bead look_beads[] = {
    {0, 1, 0, 1, 0.95}, {1, 1, 1, 1, 0.9}, {2, 1, 2, 1, 0.8},
    {3, 1, 3, 1, 0.5},  {4, 1, 4, 1, 0.7}, {5, 1, 5, 1, 0.6},
};
static const struct pair look = {"look.id.txt", "look.en.txt", "id", "en",
                                 look_src,      N(look_src),   look_tgt, N(look_tgt),
                                 look_beads,    N(look_beads)};
static const char *const look_ms_src[] = {"Saya makan nasi goreng di rumah."};
static const char *const look_ms_tgt[] = {"Saya makan nasi goreng di rumah (ms)."};
static const sl_bead look_ms_beads[] = {{0, 1, 0, 1, 0.7}};
static const struct pair look_ms = {"look.id2.txt", "look.ms.txt", "id", "ms",
                                    look_ms_src,    1,             look_ms_tgt, 1,
                                    look_ms_beads,  1};

static sl_tm *lookup_tm(const char *name)
{
    sl_tm *tm = open_ok(scratch(name, "tm.db"), SL_TM_CREATE);
    add_ok(tm, &look, NULL);
    add_ok(tm, &look_ms, NULL);
    return tm;
}

static sl_matches *lookup_ok(sl_tm *tm, const char *q, const char *src, const char *tgt,
                             int min, size_t limit)
{
    sl_matches *m = NULL;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_msg(sl_tm_lookup(tm, q, src, tgt, min, limit, &m, &err) == SL_OK, "%s",
                  err.message);
    ck_assert_ptr_nonnull(m);
    return m;
}

static void assert_match(const sl_matches *m, size_t i, long long id, int percent)
{
    const sl_match *x = sl_matches_get(m, i);
    ck_assert_ptr_nonnull(x);
    ck_assert_msg(x->unit.id == id && x->percent == percent,
                  "match %zu: unit %lld at %d%%, expected unit %lld at %d%%", i, x->unit.id,
                  x->percent, id, percent);
}

START_TEST(test_lookup_order)
{
    sl_tm *tm = lookup_tm("tm_lookup_order");
    sl_matches *m = lookup_ok(tm, "Saya makan nasi goreng di rumah.", "id", "en", 70, 0);
    ck_assert_uint_eq(sl_matches_count(m), 5);
    assert_match(m, 0, 1, 100); /* exact, best score first */
    assert_match(m, 1, 6, 100);
    assert_match(m, 2, 2, 85); /* ties on percent: better score first */
    assert_match(m, 3, 4, 85);
    assert_match(m, 4, 3, 71);
    ck_assert_ptr_null(sl_matches_get(m, 5));

    const sl_match *x = sl_matches_get(m, 2);
    ck_assert_str_eq(x->unit.source, "Saya makan nasi di rumah.");
    ck_assert_str_eq(x->unit.target, "I eat rice at home.");
    ck_assert_str_eq(x->unit.src_lang, "id");
    ck_assert_str_eq(x->unit.tgt_lang, "en");
    ck_assert_str_eq(x->unit.bead, "1-1");
    ck_assert_str_eq(x->unit.document, "look.id.txt");
    ck_assert_int_eq(x->unit.document_id, 1);
    ck_assert_int_eq(x->unit.occurrences, 1);
    ck_assert_double_eq_tol(x->unit.score, 0.9, 1e-9);
    ck_assert_uint_eq(strlen(x->unit.created_at), 20);
    sl_matches_free(m);

    /* Whitespace and NFC differences still match exactly. */
    m = lookup_ok(tm, "  Saya makan\n nasi goreng  di rumah. ", "id", "en", 100, 0);
    ck_assert_uint_eq(sl_matches_count(m), 2);
    assert_match(m, 0, 1, 100);
    sl_matches_free(m);

    /* A fuzzy-only query. */
    m = lookup_ok(tm, "Saya makan nasi di kantor.", "id", "en", 60, 0);
    ck_assert_uint_ge(sl_matches_count(m), 1);
    assert_match(m, 0, 2, 83); /* one substitution in 6 */
    for (size_t i = 0; i < sl_matches_count(m); i++)
        ck_assert_int_lt(sl_matches_get(m, i)->percent, 100);
    sl_matches_free(m);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_lookup_min_and_limit)
{
    sl_tm *tm = lookup_tm("tm_lookup_min");
    const char *q = "Saya makan nasi goreng di rumah.";
    sl_matches *m = lookup_ok(tm, q, "id", "en", 80, 0);
    ck_assert_uint_eq(sl_matches_count(m), 4);
    sl_matches_free(m);
    m = lookup_ok(tm, q, "id", "en", 86, 0);
    ck_assert_uint_eq(sl_matches_count(m), 2);
    sl_matches_free(m);
    m = lookup_ok(tm, q, "id", "en", 70, 3);
    ck_assert_uint_eq(sl_matches_count(m), 3);
    assert_match(m, 2, 2, 85);
    sl_matches_free(m);
    m = lookup_ok(tm, q, "id", "en", 100, 1);
    ck_assert_uint_eq(sl_matches_count(m), 1);
    assert_match(m, 0, 1, 100);
    sl_matches_free(m);
    /* 0 takes every unit of the pair, E (14%) included. */
    m = lookup_ok(tm, q, "id", "en", 0, 0);
    ck_assert_uint_eq(sl_matches_count(m), 6);
    assert_match(m, 5, 5, 14);
    sl_matches_free(m);
    /* Nothing near. */
    m = lookup_ok(tm, "Kucing tidur di atas meja.", "id", "en", 50, 0);
    ck_assert_uint_eq(sl_matches_count(m), 0);
    sl_matches_free(m);
    m = lookup_ok(tm, "   ", "id", "en", 0, 0);
    ck_assert_uint_eq(sl_matches_count(m), 0);
    sl_matches_free(m);

    sl_error err;
    m = NULL;
    ck_assert_int_eq(sl_tm_lookup(tm, q, "id", "en", 101, 0, &m, &err), SL_USAGE);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(sl_tm_lookup(tm, q, "id", "en", -1, 0, &m, &err), SL_USAGE);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_lookup_languages)
{
    sl_tm *tm = lookup_tm("tm_lookup_lang");
    const char *q = "Saya makan nasi goreng di rumah.";
    sl_matches *m = lookup_ok(tm, q, NULL, NULL, 100, 0);
    ck_assert_uint_eq(sl_matches_count(m), 3);
    assert_match(m, 0, 1, 100); /* 0.95 */
    assert_match(m, 1, 7, 100); /* 0.7, id-ms */
    assert_match(m, 2, 6, 100); /* 0.6 */
    ck_assert_str_eq(sl_matches_get(m, 1)->unit.tgt_lang, "ms");
    sl_matches_free(m);

    m = lookup_ok(tm, q, "id", "ms", 50, 0);
    ck_assert_uint_eq(sl_matches_count(m), 1);
    assert_match(m, 0, 7, 100);
    sl_matches_free(m);
    m = lookup_ok(tm, q, "ID", "EN", 100, 0); /* case-insensitive */
    ck_assert_uint_eq(sl_matches_count(m), 2);
    sl_matches_free(m);
    m = lookup_ok(tm, q, NULL, "ms", 0, 0);
    ck_assert_uint_eq(sl_matches_count(m), 1);
    sl_matches_free(m);
    /* Indonesian text as an English query: no exact match; at 0% every
     * English segment matches, through units stored id -> en, reversed. */
    m = lookup_ok(tm, q, "en", NULL, 20, 0); /* only "." in common: 14% */
    ck_assert_uint_eq(sl_matches_count(m), 0);
    sl_matches_free(m);
    m = lookup_ok(tm, q, "en", NULL, 0, 0);
    ck_assert_uint_eq(sl_matches_count(m), 6);
    for (size_t i = 0; i < 6; i++) {
        ck_assert(sl_matches_get(m, i)->reversed);
        ck_assert_str_eq(sl_matches_get(m, i)->unit.src_lang, "en");
        ck_assert_str_eq(sl_matches_get(m, i)->unit.tgt_lang, "id");
    }
    sl_matches_free(m);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_lookup_reversed)
{
    sl_tm *tm = lookup_tm("tm_lookup_rev");
    /* English query, Indonesian translations: units stored id -> en */
    sl_matches *m = lookup_ok(tm, "I eat rice  at home.", "en", "id", 75, 0);
    ck_assert_uint_eq(sl_matches_count(m), 3);
    assert_match(m, 0, 2, 100);
    const sl_match *x = sl_matches_get(m, 0);
    ck_assert(x->reversed);
    ck_assert_str_eq(x->unit.source, "I eat rice at home.");
    ck_assert_str_eq(x->unit.target, "Saya makan nasi di rumah.");
    ck_assert_str_eq(x->unit.src_lang, "en");
    ck_assert_str_eq(x->unit.tgt_lang, "id");
    /* "I eat fried rice at home." and "I eat bread at home.": 6 of 7 and 5 of 6 */
    assert_match(m, 1, 1, 85);
    assert_match(m, 2, 3, 83);
    sl_matches_free(m);
    /* the forward direction does not see English sources */
    m = lookup_ok(tm, "I eat rice at home.", "id", "en", 75, 0);
    ck_assert_uint_eq(sl_matches_count(m), 0);
    sl_matches_free(m);
    sl_tm_close(tm);
}
END_TEST

/* Segments written by plain SQL (another import path) reach the index
 * through the triggers, and the index narrows the candidates. */
START_TEST(test_lookup_index)
{
    char path[4200];
    snprintf(path, sizeof path, "%s", scratch("tm_lookup_index", "tm.db"));
    sl_tm *tm = open_ok(path, SL_TM_CREATE);
    add_ok(tm, &look, NULL);
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    long long key[2] = {sl__segment_key("Dia makan nasi goreng di kantor.", 32),
                        sl__segment_key("He eats at the office.", 22)};
    char sql[1200];
    snprintf(sql, sizeof sql,
             "INSERT INTO segments (lang, text, norm, key, words) VALUES"
             " ('id', 'Dia makan nasi goreng di kantor.', 'Dia makan nasi goreng di kantor.',"
             "  %lld, 7),"
             " ('en', 'He eats at the office.', 'He eats at the office.', %lld, 6);"
             "INSERT INTO units (src_segment, tgt_segment, created_at)"
             " SELECT a.id, b.id, '2026-01-01T00:00:00Z' FROM segments a, segments b"
             " WHERE a.key = %lld AND b.key = %lld;",
             key[0], key[1], key[0], key[1]);
    ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    for (int i = 0; i < 200; i++) {
        char sql[200];
        snprintf(sql, sizeof sql,
                 "INSERT INTO segments (lang, text, norm, key, words) VALUES ('id',"
                 " 'Kalimat lain nomor %d.', 'Kalimat lain nomor %d.', %d, 4)", i, i, i);
        ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    }
    sqlite3_close(db);

    sl_matches *m = NULL;
    sl__lookup_counts counts;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_int_eq(sl__tm_lookup_counted(tm, "Dia makan nasi goreng di kantor.", "id", "en", 75,
                                           0, &m, &counts, &err),
                     SL_OK);
    ck_assert_uint_eq(sl_matches_count(m), 1);
    ck_assert_str_eq(sl_matches_get(m, 0)->unit.target, "He eats at the office.");
    ck_assert_int_eq(sl_matches_get(m, 0)->percent, 100);
    sl_matches_free(m);
    /* one word changed: 6 of 7 tokens; the 200 others are not read */
    ck_assert_int_eq(sl__tm_lookup_counted(tm, "Dia makan nasi goreng di sekolah.", "id", "en",
                                           75, 0, &m, &counts, &err),
                     SL_OK);
    ck_assert(!counts.full_scan);
    ck_assert_uint_le(counts.candidates, 8);
    ck_assert_uint_eq(sl_matches_count(m), 1); /* the others of look are at 71 */
    ck_assert_int_eq(sl_matches_get(m, 0)->percent, 85);
    sl_matches_free(m);
    sl_tm_close(tm);
}
END_TEST

/* A database from before the index (version 2, so without the tables of
 * later steps either) is migrated and its rows indexed. */
START_TEST(test_lookup_migrated)
{
    const char *path = scratch("tm_lookup_migrate", "tm.db");
    sl_tm *tm = open_ok(path, SL_TM_CREATE);
    add_ok(tm, &look, NULL);
    sl_tm_close(tm);
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db,
                                  "DROP TABLE segments_fts; DROP TRIGGER segments_fts_insert;"
                                  " DROP TRIGGER segments_fts_delete;"
                                  " DROP TRIGGER segments_fts_update; DROP TABLE dictionary;"
                                  " DROP TABLE word_associations; DROP TABLE fuzzy_terms;"
                                  " DROP TABLE fuzzy_postings; DROP TABLE fuzzy_state;"
                                  " DROP TABLE fuzzy_dead; DROP TABLE fuzzy_pending;"
                                  " DROP TRIGGER fuzzy_index_delete;"
                                  " DROP TRIGGER fuzzy_index_update; PRAGMA user_version = 2;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    tm = open_ok(path, 0);
    sl_matches *m = lookup_ok(tm, "Saya makan nasi di kantor.", "id", "en", 80, 0);
    ck_assert_uint_eq(sl_matches_count(m), 1);
    assert_match(m, 0, 2, 83);
    sl_matches_free(m);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_concordance)
{
    sl_tm *tm = lookup_tm("tm_concordance");
    sl_matches *m = NULL;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_int_eq(sl_tm_concordance(tm, "MAKAN  nasi", "id", "en", 0, 0, &m, &err), SL_OK);
    /* by segment: A (units 1 and 6), B (2), D (4) */
    ck_assert_uint_eq(sl_matches_count(m), 4);
    const long long ids[] = {1, 6, 2, 4};
    for (size_t i = 0; i < 4; i++) {
        const sl_match *x = sl_matches_get(m, i);
        ck_assert_int_eq(x->unit.id, ids[i]);
        const sl_span *sp = NULL;
        ck_assert_uint_eq(sl_matches_spans(m, i, &sp), 1);
        ck_assert_str_eq(x->unit.tgt_lang, "en");
        ck_assert(strncmp(x->unit.source + sp[0].start, "makan nasi", sp[0].end - sp[0].start) == 0);
        ck_assert_uint_eq(sp[0].end - sp[0].start, 10);
    }
    sl_matches_free(m);
    /* all the words, anywhere; the target side */
    ck_assert_int_eq(sl_tm_concordance(tm, "rumah kami", "id", "en", SL_CONCORDANCE_WORDS, 0, &m,
                                       &err),
                     SL_OK);
    ck_assert_uint_eq(sl_matches_count(m), 1);
    ck_assert_uint_eq(sl_matches_spans(m, 0, NULL), 2);
    sl_matches_free(m);
    ck_assert_int_eq(sl_tm_concordance(tm, "fried rice", "id", "en", SL_CONCORDANCE_TARGET, 2, &m,
                                       &err),
                     SL_OK);
    ck_assert_uint_eq(sl_matches_count(m), 2); /* the limit */
    ck_assert_str_eq(sl_matches_get(m, 0)->unit.target, "I eat fried rice at home.");
    sl_matches_free(m);
    ck_assert_int_eq(sl_tm_concordance(tm, " . ", "id", "en", 0, 0, &m, &err), SL_USAGE);
    ck_assert_ptr_null(m);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_analysis)
{
    ck_assert_uint_eq(sl_word_count("Anak-anak makan nasi, 2 piring."), 5);
    ck_assert_uint_eq(sl_word_count(" . , "), 0);
    ck_assert_str_eq(sl_band_name(SL_BAND_CONTEXT), "101%");
    ck_assert_str_eq(sl_band_name(SL_BAND_NONE), "no match");

    sl_tm *tm = lookup_tm("tm_analysis");
    static const char *const text[] = {
        "Saya makan nasi goreng di rumah.", /* 100, next 100: 101% */
        "Saya makan nasi di rumah.",        /* 100, next not: 100% */
        "Buku itu murah.",                  /* 3 of 4: 75-84% */
        "Buku itu murah.",                  /* again: repetition */
        "Langit biru sekali hari ini.",     /* nothing */
    };
    sl_sentences *s = sents(text, 5);
    sl_analysis *a = NULL;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_int_eq(sl_analysis_new(tm, "id", "en", &a, &err), SL_OK);
    ck_assert_int_eq(sl_analysis_add(a, s, &err), SL_OK);
    ck_assert_int_eq(sl_analysis_add(a, s, &err), SL_OK); /* the same text twice */
    ck_assert_uint_eq(sl_analysis_files(a), 2);
    const sl_band_totals *t = sl_analysis_file(a, 0);
    ck_assert_uint_eq(t->segments[SL_BAND_CONTEXT], 1);
    ck_assert_uint_eq(t->words[SL_BAND_CONTEXT], 6);
    ck_assert_uint_eq(t->segments[SL_BAND_EXACT], 1);
    ck_assert_uint_eq(t->words[SL_BAND_EXACT], 5);
    ck_assert_uint_eq(t->segments[SL_BAND_75], 1);
    ck_assert_uint_eq(t->segments[SL_BAND_REPETITION], 1);
    ck_assert_uint_eq(t->words[SL_BAND_REPETITION], 3);
    ck_assert_uint_eq(t->segments[SL_BAND_NONE], 1);
    ck_assert_uint_eq(t->words[SL_BAND_NONE], 5);
    /* the second copy: 100% ones stay, the rest are repetitions */
    t = sl_analysis_file(a, 1);
    ck_assert_uint_eq(t->segments[SL_BAND_CONTEXT] + t->segments[SL_BAND_EXACT], 2);
    ck_assert_uint_eq(t->segments[SL_BAND_REPETITION], 3);
    ck_assert_uint_eq(sl_analysis_total(a)->segments[SL_BAND_REPETITION], 4);
    sl_analysis_free(a);
    sl_sentences_free(s);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_lookup_readonly)
{
    const char *path = scratch("tm_lookup_ro", "tm.db");
    sl_tm *tm = open_ok(path, SL_TM_CREATE);
    add_ok(tm, &look, NULL);
    sl_tm_close(tm);
    tm = open_ok(path, SL_TM_READONLY);
    sl_matches *m = lookup_ok(tm, "Saya makan nasi di rumah.", "id", "en", 80, 0);
    ck_assert_uint_ge(sl_matches_count(m), 1);
    assert_match(m, 0, 2, 100);
    sl_matches_free(m);
    sl_tm_close(tm);
}
END_TEST

static Suite *tm_suite(void)
{
    Suite *s = suite_create("tm");
    TCase *open = tcase_create("open");
    tcase_add_test(open, test_schema_version);
    tcase_add_test(open, test_create_and_reopen);
    tcase_add_test(open, test_empty_file_is_new);
    tcase_add_test(open, test_readonly_missing);
    tcase_add_test(open, test_not_sqlite);
    tcase_add_test(open, test_foreign_sqlite);
    tcase_add_test(open, test_newer_schema);
    tcase_add_test(open, test_bad_paths);
    suite_add_tcase(s, open);

    TCase *add = tcase_create("add");
    tcase_add_test(add, test_add_units);
    tcase_add_test(add, test_add_again);
    tcase_add_test(add, test_add_shared_and_changed);
    tcase_add_test(add, test_add_repeated_pair_in_one_document);
    tcase_add_test(add, test_add_bad_bead);
    tcase_add_test(add, test_add_failure_rolls_back);
    tcase_add_test(add, test_add_readonly);
    tcase_add_test(add, test_add_locked);
    tcase_add_test(add, test_add_bad_language);
    tcase_add_test(add, test_language_pairs_and_filter);
    tcase_add_test(add, test_require_pair);
    tcase_add_test(add, test_add_control_characters);
    suite_add_tcase(s, add);

    TCase *match = tcase_create("match");
    tcase_add_test(match, test_match_percent);
    tcase_add_test(match, test_tokens);
    tcase_add_test(match, test_lookup_order);
    tcase_add_test(match, test_lookup_min_and_limit);
    tcase_add_test(match, test_lookup_languages);
    tcase_add_test(match, test_lookup_readonly);
    tcase_add_test(match, test_lookup_reversed);
    tcase_add_test(match, test_lookup_index);
    tcase_add_test(match, test_lookup_migrated);
    tcase_add_test(match, test_concordance);
    tcase_add_test(match, test_analysis);
    suite_add_tcase(s, match);
    return s;
}

int main(void)
{
    return sl_test_run(tm_suite());
}

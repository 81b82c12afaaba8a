/* Unit tests for the bulk writer's segment key (schema 5): the key's
 * values, deduplication and exact lookup when every key collides (a test
 * hook), the writer's cache and filter, foreign keys after import and
 * merge, and the migration of a version 4 TM. */
#include "check_run.h"
#include "tm-internal.h"
#include "sha256.h"
#include <selaras/tmx.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A path in a fresh directory of its own (sl_test_tmpdir empties the
 * directory it names); eight stay valid at a time. */
static const char *scratch(const char *name, const char *file)
{
    static char paths[8][4400];
    static unsigned next;
    char *path = paths[next++ % 8], dir[300];
    snprintf(dir, sizeof dir, "%s-%s", name, file);
    const char *d = sl_test_tmpdir(dir);
    ck_assert_ptr_nonnull(d);
    snprintf(path, sizeof paths[0], "%s/%s", d, file);
    return path;
}

static long long raw_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(db));
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The first column of the first row, as text (static copy). */
static const char *raw_text(sqlite3 *db, const char *sql)
{
    static char out[1024];
    sqlite3_stmt *st = NULL;
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(db));
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    const char *t = (const char *)sqlite3_column_text(st, 0);
    snprintf(out, sizeof out, "%s", t ? t : "(null)");
    sqlite3_finalize(st);
    return out;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs(text, f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
}

static sl_tm *open_ok(const char *path)
{
    sl_tm *tm = NULL;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_msg(sl_tm_open(path, SL_TM_CREATE, &tm, &err) == SL_OK, "%s", err.message);
    return tm;
}

static sl_import_result import_ok(sl_tm *tm, const char *path)
{
    sl_import_result r;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_msg(sl_tmx_import(tm, path, NULL, NULL, NULL, &r, &err) == SL_OK, "%s",
                  err.message);
    return r;
}

#define HEAD                                                                                 \
    "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header creationtool=\"t\" "            \
    "creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" "          \
    "srclang=\"id\" datatype=\"plaintext\"/>\n<body>\n"
#define TAIL "</body></tmx>\n"
#define TU(s, t)                                                                             \
    "<tu><tuv xml:lang=\"id\"><seg>" s "</seg></tuv><tuv xml:lang=\"en\"><seg>" t            \
    "</seg></tuv></tu>\n"

/* Longer than the writer's cache holds, so a repeat is found in the table. */
#define LONG_ID                                                                              \
    "Kalimat ini sengaja dibuat panjang sekali supaya tidak muat di dalam cache penulis "    \
    "yang hanya menyimpan teks pendek, sehingga pengulangannya harus ditemukan lewat kunci " \
    "di tabel segmen dan perbandingan teks yang lengkap, bukan lewat cache di memori."
#define LONG_EN                                                                              \
    "This sentence is made very long on purpose so that it does not fit in the writer's "   \
    "cache, which only keeps short texts, so its repetition must be found through the key " \
    "in the segments table and a full comparison of the text, not through the cache."

/* Segments: 6 Indonesian (two share a norm, one is long) and 4 English;
 * pairs: 8 in the file, 6 distinct units. */
static const char collide_tmx[] =
    HEAD TU("Saya makan nasi.", "I eat rice.") TU("Saya  makan nasi.", "I eat rice.")
        TU("Dia tidur.", "She sleeps.") TU("Saya makan nasi.", "I eat rice.")
            TU("Mereka pergi.", "They leave.") TU(LONG_ID, LONG_EN) TU(LONG_ID, LONG_EN)
                TU("Dia tidur.", "He sleeps.") TAIL;

/* The key is a fixed function of the bytes (little-endian words): these
 * values come from an independent implementation (Python), so a change of
 * the function (which would orphan every stored key) fails here. */
START_TEST(test_key_values)
{
    ck_assert_int_eq(sl__segment_key("", 0), 8777713638693469259LL);
    ck_assert_int_eq(sl__segment_key("Saya makan nasi.", 16), -4034606314256967327LL);
    ck_assert_int_eq(sl__segment_key("Dia makan nasi goreng di kantor.", 32),
                     -2643189062485777782LL);
    const char *s = "Ini kalimat yang agak panjang: lebih dari delapan belas byte.";
    ck_assert_int_eq(sl__segment_key(s, strlen(s)), 1733657941280831404LL);
    /* a prefix is another key */
    ck_assert_int_ne(sl__segment_key(s, strlen(s) - 1), sl__segment_key(s, strlen(s)));
}
END_TEST

static void norm_is(const char *in, const char *want)
{
    char *got = sl__normalise(in, strlen(in));
    ck_assert_msg(got != NULL, "no result for '%s'", in);
    ck_assert_str_eq(got, want);
    free(got);
}

/* Normalisation with and without ICU (text below U+0300 skips it). */
START_TEST(test_normalise_paths)
{
    norm_is("", "");
    norm_is(" \t\n ", "");
    norm_is("  Saya\t makan \r\n nasi.  ", "Saya makan nasi.");
    norm_is("a\xc2\xa0\xc2\x85" "b", "a b");                 /* NBSP, NEL */
    norm_is("Caf\xc3\xa9 \xcb\x86x", "Caf\xc3\xa9 \xcb\x86x"); /* é, U+02C6 */
    norm_is("Cafe\xcc\x81  x", "Caf\xc3\xa9 x");          /* e + U+0301 composes */
    norm_is("\xe2\x80\x9cKata\xe2\x80\x9d\xe2\x80\x83 ini", "\xe2\x80\x9cKata\xe2\x80\x9d ini");
    norm_is("\xef\xac\x81", "\xef\xac\x81"); /* U+FB01 stays (NFC, not NFKC) */
}
END_TEST

/* SHA-256 of a million 'a's (FIPS 180-2 test vector), fed in pieces of
 * several sizes, with and without the CPU's SHA instructions. */
START_TEST(test_sha256_paths)
{
    static const char want[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    static const size_t pieces[] = {1, 63, 64, 65, 1000, 4096, 1000000};
    char *a = malloc(1000000);
    ck_assert_ptr_nonnull(a);
    memset(a, 'a', 1000000);
    for (int portable = 0; portable < 2; portable++) {
        sl__sha256_portable = portable;
        for (size_t k = 0; k < sizeof pieces / sizeof pieces[0]; k++) {
            sl__sha256 c;
            sl__sha256_init(&c);
            for (size_t off = 0; off < 1000000; off += pieces[k])
                sl__sha256_update(&c, a + off,
                                  1000000 - off < pieces[k] ? 1000000 - off : pieces[k]);
            unsigned char d[32];
            sl__sha256_final(&c, d);
            char hex[65];
            for (int i = 0; i < 32; i++)
                snprintf(hex + 2 * i, 3, "%02x", d[i]);
            ck_assert_msg(!strcmp(hex, want), "pieces of %zu, portable %d: %s", pieces[k],
                          portable, hex);
        }
    }
    sl__sha256_portable = false;
    free(a);
}
END_TEST

/* Check what the collide file must leave in a TM. */
static void check_collide_tm(sl_tm *tm)
{
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM segments WHERE lang = 'id'"), 5);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM segments WHERE lang = 'en'"), 5);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM units"), 6);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM occurrences"), 8);
    /* the repeated pairs are one unit each, credited twice */
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM occurrences o JOIN units u"
                                     " ON u.id = o.unit JOIN segments s ON s.id = u.src_segment"
                                     " WHERE s.text = 'Saya makan nasi.'"),
                     2);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM occurrences o JOIN units u"
                                     " ON u.id = o.unit JOIN segments s ON s.id = u.src_segment"
                                     " WHERE length(s.text) > 200"),
                     2);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM segments WHERE length(text) > 200"),
                     2);
    /* every stored key is the key of its norm under the current mask */
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(tm->db, "SELECT norm, key FROM segments", -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *norm = (const char *)sqlite3_column_text(st, 0);
        ck_assert_int_eq(sqlite3_column_int64(st, 1), sl__segment_key(norm, strlen(norm)));
    }
    sqlite3_finalize(st);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    ck_assert_int_eq(raw_int(tm->db, "PRAGMA foreign_keys"), 1);
}

/* Exact lookup finds the segments of the normalised query only, whatever
 * the keys say. */
static void check_collide_lookup(sl_tm *tm)
{
    sl_matches *m = NULL;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_msg(sl_tm_lookup(tm, "Saya makan   nasi.", "id", "en", 100, 0, &m, &err) == SL_OK,
                  "%s", err.message);
    /* both stored texts normalise to the query: two units, both "I eat rice." */
    ck_assert_uint_eq(sl_matches_count(m), 2);
    for (size_t i = 0; i < 2; i++) {
        ck_assert_int_eq(sl_matches_get(m, i)->percent, 100);
        ck_assert_str_eq(sl_matches_get(m, i)->unit.target, "I eat rice.");
    }
    sl_matches_free(m);
    ck_assert_msg(sl_tm_lookup(tm, "Dia tidur.", "id", "en", 100, 0, &m, &err) == SL_OK, "%s",
                  err.message);
    ck_assert_uint_eq(sl_matches_count(m), 2); /* She sleeps, He sleeps */
    sl_matches_free(m);
    ck_assert_msg(sl_tm_lookup(tm, "Dia makan.", "id", "en", 100, 0, &m, &err) == SL_OK, "%s",
                  err.message);
    ck_assert_uint_eq(sl_matches_count(m), 0);
    sl_matches_free(m);
}

START_TEST(test_dedup_with_real_keys)
{
    const char *tmx = scratch("tmw_real", "c.tmx");
    write_file(tmx, collide_tmx);
    sl_tm *tm = open_ok(scratch("tmw_real", "tm.db"));
    sl_import_result r = import_ok(tm, tmx);
    ck_assert_uint_eq(r.pairs, 8);
    ck_assert_uint_eq(r.units_new, 6);
    ck_assert_uint_eq(r.units_existing, 2);
    check_collide_tm(tm);
    check_collide_lookup(tm);
    sl_tm_close(tm);
}
END_TEST

/* Every key 0: the writer and the lookup must tell texts apart by
 * comparing them, in one import, across imports and in sl_tm_add. */
START_TEST(test_dedup_all_keys_collide)
{
    sl__segment_key_mask = 0;
    const char *tmx = scratch("tmw_collide", "c.tmx");
    write_file(tmx, collide_tmx);
    sl_tm *tm = open_ok(scratch("tmw_collide", "tm.db"));
    sl_import_result r = import_ok(tm, tmx);
    ck_assert_uint_eq(r.units_new, 6);
    ck_assert_uint_eq(r.units_existing, 2);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(DISTINCT key) FROM segments"), 1);
    check_collide_tm(tm);
    check_collide_lookup(tm);

    /* a second file: all its pairs but one are known, found in the table */
    const char *tmx2 = scratch("tmw_collide", "d.tmx");
    write_file(tmx2, HEAD TU("Dia tidur.", "She sleeps.") TU(LONG_ID, LONG_EN)
                         TU("Mereka pergi.", "They go.") TAIL);
    r = import_ok(tm, tmx2);
    ck_assert_uint_eq(r.units_new, 1);
    ck_assert_uint_eq(r.units_existing, 2);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM segments"), 11);

    /* sl_tm_add goes through the same key: one known pair, one new */
    static const char src[] = "Saya makan nasi.\nAnjing itu lari.\n";
    static const char tgt[] = "I eat rice.\nThe dog runs.\n";
    sl_sentences *ss = NULL, *ts = NULL;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_int_eq(sl_sentences_from_lines(src, sizeof src - 1, &ss, &err), SL_OK);
    ck_assert_int_eq(sl_sentences_from_lines(tgt, sizeof tgt - 1, &ts, &err), SL_OK);
    sl_alignment *al = NULL;
    sl_bead bs[2] = {{0, 1, 0, 1, 0.9}, {1, 1, 1, 1, 0.8}};
    ck_assert_int_eq(sl__alignment_from_beads(bs, 2, &al, &err), SL_OK);
    sl_document doc = {"a.id", "a.en", "id", "en", src, tgt, sizeof src - 1, sizeof tgt - 1};
    sl_add_result ar;
    ck_assert_msg(sl_tm_add(tm, &doc, ss, ts, al, &ar, &err) == SL_OK, "%s", err.message);
    ck_assert_uint_eq(ar.units_new, 1);
    ck_assert_uint_eq(ar.units_existing, 1);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM segments"), 13);
    sl_alignment_free(al);
    sl_sentences_free(ss);
    sl_sentences_free(ts);
    sl_tm_close(tm);
    sl__segment_key_mask = UINT64_MAX;
}
END_TEST

/* More distinct short texts than the cache has slots, each twice: every
 * repeat is found, whether the cache still holds it or not. */
START_TEST(test_cache_overflow)
{
    const char *tmx = scratch("tmw_cache", "many.tmx");
    FILE *f = fopen(tmx, "w");
    ck_assert_ptr_nonnull(f);
    fputs(HEAD, f);
    enum { N = 9000 }; /* more than the 8,192 slots */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < N; i++)
            fprintf(f, TU("Kalimat nomor %d.", "Sentence number %d."), i, i);
    fputs(TAIL, f);
    ck_assert_int_eq(fclose(f), 0);
    sl_tm *tm = open_ok(scratch("tmw_cache", "tm.db"));
    sl_import_result r = import_ok(tm, tmx);
    ck_assert_uint_eq(r.units_new, N);
    ck_assert_uint_eq(r.units_existing, N);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM segments"), 2 * N);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    sl_tm_close(tm);
}
END_TEST

/* Foreign keys are back on after a failed import, and merge and JSON
 * lines leave every reference whole. */
START_TEST(test_foreign_keys_after_writes)
{
    const char *tmx = scratch("tmw_fk", "c.tmx");
    write_file(tmx, collide_tmx);
    const char *bad = scratch("tmw_fk", "bad.tmx");
    write_file(bad, HEAD TU("Satu.", "One.") "<tu><tuv xml:lang=\"id\"><seg>Dua.</seg></tuv>");
    const char *a = scratch("tmw_fk", "a.db");
    sl_tm *tm = open_ok(a);
    sl_import_result r;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_int_ne(sl_tmx_import(tm, bad, NULL, NULL, NULL, &r, &err), SL_OK);
    ck_assert_int_eq(raw_int(tm->db, "PRAGMA foreign_keys"), 1);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM segments"), 0);
    import_ok(tm, tmx);
    sl_tm_close(tm);

    const char *jl = scratch("tmw_fk", "x.jsonl");
    write_file(jl, "{\"id\":\"d1\",\"src\":\"Saya makan nasi.\",\"tgt\":\"I eat rice.\"}\n"
                   "{\"id\":\"d1\",\"src\":\"Kucing tidur.\",\"tgt\":\"The cat sleeps.\"}\n");
    const char *b = scratch("tmw_fk", "b.db");
    tm = open_ok(b);
    ck_assert_msg(sl_jsonl_import(tm, jl, NULL, NULL, NULL, &r, &err) == SL_OK, "%s",
                  err.message);
    ck_assert_uint_eq(r.units_new, 2);
    sl_tm_close(tm);

    tm = open_ok(scratch("tmw_fk", "m.db"));
    const char *in[2] = {a, b};
    sl_merge_result mr;
    ck_assert_msg(sl_tm_merge(tm, in, 2, &mr, &err) == SL_OK, "%s", err.message);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM units"), 7);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM segments"), 12);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    ck_assert_int_eq(raw_int(tm->db, "PRAGMA foreign_keys"), 1);
    sl_tm_close(tm);
}
END_TEST

static long long unit_id(sqlite3 *db, const char *src, const char *tgt)
{
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "SELECT u.id FROM units u JOIN segments s ON s.id ="
                                        " u.src_segment JOIN segments t ON t.id = u.tgt_segment"
                                        " WHERE s.text = ?1 AND t.text = ?2",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, src, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, tgt, -1, SQLITE_STATIC);
    long long id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return id;
}

/* A unit with a segment made in the same call is numbered by the writer
 * and batched; the others go through INSERT OR IGNORE.  Either way the ids
 * follow the file's order, stay above every id the TM ever gave (a deleted
 * document's units' ids are not given again) and sqlite_sequence keeps up. */
START_TEST(test_unit_ids)
{
    const char *a = scratch("tmw_ids", "a.tmx"), *b = scratch("tmw_ids", "b.tmx"),
               *c = scratch("tmw_ids", "c.tmx");
    write_file(a, HEAD TU("Satu.", "One.") TU("Dua.", "Two.") TU("Tiga.", "Three.") TAIL);
    /* a repeat; both new; both stored already; a new source */
    write_file(b, HEAD TU("Satu.", "One.") TU("Empat.", "Four.") TU("Satu.", "Four.")
                      TU("Lima.", "One.") TAIL);
    write_file(c, HEAD TU("Enam.", "Six.") TAIL);
    sl_tm *tm = open_ok(scratch("tmw_ids", "tm.db"));
    import_ok(tm, a);
    long long before = raw_int(tm->db, "SELECT max(id) FROM units");
    sl_import_result r = import_ok(tm, b);
    ck_assert_uint_eq(r.units_new, 3);
    ck_assert_uint_eq(r.units_existing, 1);
    long long four = unit_id(tm->db, "Empat.", "Four."), mixed = unit_id(tm->db, "Satu.", "Four."),
              five = unit_id(tm->db, "Lima.", "One.");
    ck_assert_int_gt(four, before);
    ck_assert_int_gt(mixed, four);
    ck_assert_int_gt(five, mixed);
    ck_assert_int_eq(raw_int(tm->db, "SELECT seq FROM sqlite_sequence WHERE name = 'units'"),
                     five);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM units"), 6);
    sl_delete_result d;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_msg(sl_tm_delete_document(tm, 2, &d, &err) == SL_OK, "%s", err.message);
    ck_assert_uint_eq(d.units_removed, 3);
    import_ok(tm, c);
    ck_assert_int_gt(unit_id(tm->db, "Enam.", "Six."), five);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    sl_tm_close(tm);
}
END_TEST

/* A TM as schema 4 made it (written here in SQL): migrated to schema 5
 * with the same rows, keys filled in, the old indexes gone, triggers and
 * full-text index whole, and its segments found by the next import. */
static const char v4_sql[] =
    "PRAGMA application_id = 1397510739;"
    "CREATE TABLE documents (id INTEGER PRIMARY KEY AUTOINCREMENT, src_path TEXT NOT NULL,"
    " tgt_path TEXT NOT NULL, src_lang TEXT NOT NULL COLLATE NOCASE, tgt_lang TEXT NOT NULL"
    " COLLATE NOCASE, src_sha256 TEXT NOT NULL, tgt_sha256 TEXT NOT NULL, added_at TEXT NOT"
    " NULL, tool_version TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'pair',"
    " UNIQUE (src_sha256, tgt_sha256, src_lang, tgt_lang));"
    "CREATE TABLE segments (id INTEGER PRIMARY KEY, lang TEXT NOT NULL COLLATE NOCASE,"
    " text TEXT NOT NULL, norm TEXT NOT NULL, hash TEXT NOT NULL, words INTEGER NOT NULL,"
    " markup INTEGER NOT NULL DEFAULT 0, UNIQUE (lang, text));"
    "CREATE INDEX segments_lang_hash ON segments (lang, hash);"
    "CREATE INDEX segments_lang_words ON segments (lang, words);"
    "CREATE TABLE units (id INTEGER PRIMARY KEY AUTOINCREMENT, src_segment INTEGER NOT NULL"
    " REFERENCES segments (id), tgt_segment INTEGER NOT NULL REFERENCES segments (id),"
    " created_at TEXT NOT NULL, UNIQUE (src_segment, tgt_segment));"
    "CREATE INDEX units_tgt_segment ON units (tgt_segment);"
    "CREATE TABLE occurrences (document INTEGER NOT NULL REFERENCES documents (id) ON DELETE"
    " CASCADE, unit INTEGER NOT NULL REFERENCES units (id), position INTEGER NOT NULL,"
    " src_index INTEGER NOT NULL, tgt_index INTEGER NOT NULL, bead TEXT NOT NULL, score REAL"
    " NOT NULL, tuid TEXT, creation_date TEXT, creation_id TEXT, change_date TEXT, change_id"
    " TEXT, PRIMARY KEY (document, position));"
    "CREATE INDEX occurrences_unit ON occurrences (unit);"
    "CREATE TABLE annotations (document INTEGER NOT NULL, position INTEGER NOT NULL, seq"
    " INTEGER NOT NULL, level TEXT NOT NULL CHECK (level IN ('tu', 'src', 'tgt')), kind TEXT"
    " NOT NULL CHECK (kind IN ('prop', 'note')), type TEXT, lang TEXT COLLATE NOCASE, value"
    " TEXT NOT NULL, PRIMARY KEY (document, position, seq), FOREIGN KEY (document, position)"
    " REFERENCES occurrences (document, position) ON DELETE CASCADE);"
    "CREATE VIRTUAL TABLE segments_fts USING fts5(norm, content='segments',"
    " content_rowid='id', tokenize=\"unicode61 remove_diacritics 0 categories 'L* N* Co M*'\");"
    "CREATE TRIGGER segments_fts_insert AFTER INSERT ON segments BEGIN"
    " INSERT INTO segments_fts (rowid, norm) VALUES (new.id, new.norm); END;"
    "CREATE TRIGGER segments_fts_delete AFTER DELETE ON segments BEGIN"
    " INSERT INTO segments_fts (segments_fts, rowid, norm) VALUES ('delete', old.id, old.norm);"
    " END;"
    "CREATE TRIGGER segments_fts_update AFTER UPDATE OF id, norm ON segments BEGIN"
    " INSERT INTO segments_fts (segments_fts, rowid, norm) VALUES ('delete', old.id, old.norm);"
    " INSERT INTO segments_fts (rowid, norm) VALUES (new.id, new.norm); END;"
    "CREATE TABLE dictionary (id INTEGER PRIMARY KEY, src_lang TEXT NOT NULL COLLATE NOCASE,"
    " tgt_lang TEXT NOT NULL COLLATE NOCASE, src_word TEXT NOT NULL, tgt_word TEXT NOT NULL,"
    " source TEXT NOT NULL, UNIQUE (src_lang, tgt_lang, src_word, tgt_word));"
    "CREATE TABLE word_associations (src_lang TEXT NOT NULL COLLATE NOCASE, tgt_lang TEXT NOT"
    " NULL COLLATE NOCASE, src_word TEXT NOT NULL, tgt_word TEXT NOT NULL, dice REAL NOT NULL,"
    " pairs INTEGER NOT NULL, PRIMARY KEY (src_lang, tgt_lang, src_word, tgt_word));"
    "INSERT INTO documents VALUES (1, 'old.tmx', 'old.tmx', '*all*', '*all*', 'aa', 'aa',"
    " '2026-01-01T00:00:00Z', '0.1', 'tmx');"
    /* ids with gaps, as deletes leave them; hash values as v4 wrote them do not matter */
    "INSERT INTO segments VALUES (3, 'id', 'Saya makan nasi.', 'Saya makan nasi.', 'x', 4, 0),"
    " (7, 'en', 'I eat rice.', 'I eat rice.', 'y', 4, 0),"
    " (9, 'id', 'Dia <b>tidur</b>.', 'Dia tidur.', 'z', 3, 1),"
    " (12, 'en', 'She sleeps.', 'She sleeps.', 'w', 3, 0);"
    "INSERT INTO units VALUES (5, 3, 7, '2026-01-01T00:00:00Z'), (6, 9, 12,"
    " '2026-01-01T00:00:00Z');"
    "INSERT INTO occurrences VALUES (1, 5, 0, 0, 0, '1-1', 1.0, 't1', NULL, NULL, NULL, NULL),"
    " (1, 6, 1, 1, 1, '1-1', 0.5, 't2', NULL, NULL, NULL, NULL);"
    "INSERT INTO annotations VALUES (1, 0, 0, 'tu', 'prop', 'x-kind', NULL, 'lama'),"
    " (1, 1, 0, 'src', 'note', NULL, 'id', 'catatan');"
    "INSERT INTO segments_fts (segments_fts) VALUES ('rebuild');"
    "PRAGMA user_version = 4;";

START_TEST(test_migrate_v4)
{
    const char *path = scratch("tmw_migrate", "v4.db");
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_msg(sqlite3_exec(db, v4_sql, NULL, NULL, NULL) == SQLITE_OK, "%s",
                  sqlite3_errmsg(db));
    sqlite3_close(db);

    sl_tm *tm = open_ok(path);
    ck_assert_int_ge(raw_int(tm->db, "PRAGMA user_version"), 5);
    ck_assert_int_eq(raw_int(tm->db, "PRAGMA foreign_keys"), 1);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM pragma_table_info('segments')"
                                     " WHERE name = 'hash'"),
                     0);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                     " ('segments_lang_hash', 'sqlite_autoindex_segments_1',"
                                     " 'segments_v5', 'annotations_v5')"),
                     0);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                     " ('segments_key', 'segments_lang_words',"
                                     " 'segments_fts_insert', 'segments_fts_delete',"
                                     " 'segments_fts_update')"),
                     5);
    /* the same rows and ids, each key that of its norm */
    ck_assert_str_eq(raw_text(tm->db, "SELECT group_concat(id || ':' || lang || ':' || text"
                                      " || ':' || words || ':' || markup, '|') FROM"
                                      " (SELECT * FROM segments ORDER BY id)"),
                     "3:id:Saya makan nasi.:4:0|7:en:I eat rice.:4:0|"
                     "9:id:Dia <b>tidur</b>.:3:1|12:en:She sleeps.:3:0");
    ck_assert_int_eq(raw_int(tm->db, "SELECT key FROM segments WHERE id = 3"),
                     -4034606314256967327LL);
    ck_assert_int_eq(raw_int(tm->db, "SELECT key FROM segments WHERE id = 9"),
                     sl__segment_key("Dia tidur.", 10));
    ck_assert_str_eq(raw_text(tm->db, "SELECT group_concat(id || ':' || src_segment || ':'"
                                      " || tgt_segment, '|') FROM units"),
                     "5:3:7|6:9:12");
    ck_assert_str_eq(raw_text(tm->db, "SELECT group_concat(level || kind || value, '|') FROM"
                                      " (SELECT * FROM annotations ORDER BY position)"),
                     "tuproplama|srcnotecatatan");
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    ck_assert_int_eq(sqlite3_exec(tm->db, "INSERT INTO segments_fts (segments_fts, rank)"
                                          " VALUES ('integrity-check', 1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    /* the CHECKs still hold */
    ck_assert_int_ne(sqlite3_exec(tm->db, "INSERT INTO annotations VALUES (1, 0, 5, 'bad',"
                                          " 'prop', NULL, NULL, 'v')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    ck_assert_int_ne(sqlite3_exec(tm->db, "INSERT INTO annotations VALUES (1, 0, 5, 'tu',"
                                          " 'bad', NULL, NULL, 'v')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);

    /* exact lookup by the new key, markup segments by their plain norm */
    sl_matches *m = NULL;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_msg(sl_tm_lookup(tm, "Dia tidur.", "id", "en", 100, 0, &m, &err) == SL_OK, "%s",
                  err.message);
    ck_assert_uint_eq(sl_matches_count(m), 1);
    ck_assert_str_eq(sl_matches_get(m, 0)->unit.target, "She sleeps.");
    sl_matches_free(m);

    /* a known pair is found among the migrated rows; a new one is indexed */
    const char *tmx = scratch("tmw_migrate", "n.tmx");
    write_file(tmx, HEAD TU("Saya makan nasi.", "I eat rice.")
                        TU("Kucing tidur.", "The cat sleeps.") TAIL);
    sl_import_result r = import_ok(tm, tmx);
    ck_assert_uint_eq(r.units_new, 1);
    ck_assert_uint_eq(r.units_existing, 1);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM segments"), 6);
    ck_assert_int_eq(raw_int(tm->db, "SELECT count(*) FROM segments_fts WHERE segments_fts"
                                     " MATCH 'kucing'"),
                     1);
    ck_assert_int_eq(sqlite3_exec(tm->db, "INSERT INTO segments_fts (segments_fts, rank)"
                                          " VALUES ('integrity-check', 1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sl_tm_close(tm);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("tm-write");
    TCase *key = tcase_create("key");
    tcase_set_timeout(key, 120); /* valgrind and sanitizers on a busy machine */
    tcase_add_test(key, test_key_values);
    tcase_add_test(key, test_normalise_paths);
    tcase_add_test(key, test_sha256_paths);
    tcase_add_test(key, test_dedup_with_real_keys);
    tcase_add_test(key, test_dedup_all_keys_collide);
    tcase_add_test(key, test_cache_overflow);
    tcase_add_test(key, test_foreign_keys_after_writes);
    tcase_add_test(key, test_unit_ids);
    suite_add_tcase(s, key);
    TCase *mig = tcase_create("migrate");
    tcase_set_timeout(mig, 120);
    tcase_add_test(mig, test_migrate_v4);
    suite_add_tcase(s, mig);
    return s;
}

int main(void)
{
    return sl_test_run(suite());
}

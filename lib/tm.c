/*
 * The translation memory store: opening (with the checks that keep foreign
 * files untouched), schema migrations, adding aligned document pairs and
 * reading units back.  The schema is documented in doc/tm-schema.md.
 */
#include "tm-internal.h"
#include "sha256.h"
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SL__STR_(x) #x
#define SL__STR(x) SL__STR_(x)

/* The triggers that keep segments_fts in step with segments: made by step 3
 * and again by step 5, which rebuilds the table. */
#define SEGMENTS_FTS_TRIGGERS                                                                      \
    "CREATE TRIGGER segments_fts_insert AFTER INSERT ON segments BEGIN"                            \
    " INSERT INTO segments_fts (rowid, norm) VALUES (new.id, new.norm); END;"                      \
    "CREATE TRIGGER segments_fts_delete AFTER DELETE ON segments BEGIN"                            \
    " INSERT INTO segments_fts (segments_fts, rowid, norm) VALUES ('delete', old.id, old.norm);"   \
    " END;"                                                                                        \
    "CREATE TRIGGER segments_fts_update AFTER UPDATE OF id, norm ON segments BEGIN"                \
    " INSERT INTO segments_fts (segments_fts, rowid, norm) VALUES ('delete', old.id, old.norm);"   \
    " INSERT INTO segments_fts (rowid, norm) VALUES (new.id, new.norm); END;"

/*
 * Schema migrations, applied in order inside one transaction by
 * sl_tm_open.  Each step ends by setting user_version to its own number, so
 * a file is always at exactly one version.  Never edit a released step; add
 * the next one.
 */
struct migration {
    int version;
    const char *sql;
};

static const struct migration migrations[] = {
    {1,
     "CREATE TABLE documents ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " src_path TEXT NOT NULL,"
     " tgt_path TEXT NOT NULL,"
     " src_lang TEXT NOT NULL COLLATE NOCASE,"
     " tgt_lang TEXT NOT NULL COLLATE NOCASE,"
     " src_sha256 TEXT NOT NULL,"
     " tgt_sha256 TEXT NOT NULL,"
     " added_at TEXT NOT NULL,"
     " tool_version TEXT NOT NULL,"
     " UNIQUE (src_sha256, tgt_sha256, src_lang, tgt_lang));"
     "CREATE TABLE segments ("
     " id INTEGER PRIMARY KEY,"
     " lang TEXT NOT NULL COLLATE NOCASE,"
     " text TEXT NOT NULL,"
     " norm TEXT NOT NULL,"
     " hash TEXT NOT NULL,"
     " words INTEGER NOT NULL,"
     " UNIQUE (lang, text));"
     "CREATE INDEX segments_lang_hash ON segments (lang, hash);"
     "CREATE INDEX segments_lang_words ON segments (lang, words);"
     "CREATE TABLE units ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " src_segment INTEGER NOT NULL REFERENCES segments (id),"
     " tgt_segment INTEGER NOT NULL REFERENCES segments (id),"
     " created_at TEXT NOT NULL,"
     " UNIQUE (src_segment, tgt_segment));"
     "CREATE INDEX units_tgt_segment ON units (tgt_segment);"
     "CREATE TABLE occurrences ("
     " document INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
     " unit INTEGER NOT NULL REFERENCES units (id),"
     " position INTEGER NOT NULL,"
     " src_index INTEGER NOT NULL,"
     " tgt_index INTEGER NOT NULL,"
     " bead TEXT NOT NULL,"
     " score REAL NOT NULL,"
     " PRIMARY KEY (document, position));"
     "CREATE INDEX occurrences_unit ON occurrences (unit);"
     "PRAGMA user_version = 1;"},
    /* TMX import, merge and document management: where a unit came from
     * (kind of document; the TMX tu's own identifiers and dates), segments
     * holding TMX inline markup, and the props and notes of imported units. */
    {2,
     "ALTER TABLE documents ADD COLUMN kind TEXT NOT NULL DEFAULT 'pair';"
     "ALTER TABLE segments ADD COLUMN markup INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE occurrences ADD COLUMN tuid TEXT;"
     "ALTER TABLE occurrences ADD COLUMN creation_date TEXT;"
     "ALTER TABLE occurrences ADD COLUMN creation_id TEXT;"
     "ALTER TABLE occurrences ADD COLUMN change_date TEXT;"
     "ALTER TABLE occurrences ADD COLUMN change_id TEXT;"
     "CREATE TABLE annotations ("
     " document INTEGER NOT NULL,"
     " position INTEGER NOT NULL,"
     " seq INTEGER NOT NULL,"
     " level TEXT NOT NULL CHECK (level IN ('tu', 'src', 'tgt')),"
     " kind TEXT NOT NULL CHECK (kind IN ('prop', 'note')),"
     " type TEXT,"
     " lang TEXT COLLATE NOCASE,"
     " value TEXT NOT NULL,"
     " PRIMARY KEY (document, position, seq),"
     " FOREIGN KEY (document, position) REFERENCES occurrences (document, position)"
     "  ON DELETE CASCADE);"
     "PRAGMA user_version = 2;"},
    /* The full-text index of lookup and concordance: FTS5 over segments.norm,
     * kept by triggers so that every way of writing segments updates it, and
     * built once here for the rows already stored.  Marks (M*) are kept in
     * tokens and diacritics are not folded, like the matcher's words. */
    {3,
     "CREATE VIRTUAL TABLE segments_fts USING fts5(norm, content='segments',"
     " content_rowid='id',"
     " tokenize=\"unicode61 remove_diacritics 0 categories 'L* N* Co M*'\");"
     SEGMENTS_FTS_TRIGGERS
     "INSERT INTO segments_fts (segments_fts) VALUES ('rebuild');"
     "PRAGMA user_version = 3;"},
    /* aligner: word translations, imported (dictionary) and learned from
     * the TM's own units (word_associations) */
    {4,
     "CREATE TABLE dictionary ("
     " id INTEGER PRIMARY KEY,"
     " src_lang TEXT NOT NULL COLLATE NOCASE,"
     " tgt_lang TEXT NOT NULL COLLATE NOCASE,"
     " src_word TEXT NOT NULL,"
     " tgt_word TEXT NOT NULL,"
     " source TEXT NOT NULL,"
     " UNIQUE (src_lang, tgt_lang, src_word, tgt_word));"
     "CREATE TABLE word_associations ("
     " src_lang TEXT NOT NULL COLLATE NOCASE,"
     " tgt_lang TEXT NOT NULL COLLATE NOCASE,"
     " src_word TEXT NOT NULL,"
     " tgt_word TEXT NOT NULL,"
     " dice REAL NOT NULL,"
     " pairs INTEGER NOT NULL,"
     " PRIMARY KEY (src_lang, tgt_lang, src_word, tgt_word));"
     "PRAGMA user_version = 4;"},
    /* Faster writes: segments found by an integer key (sl__segment_key of
     * norm, computed by the sl_segment_key function migrate() registers)
     * instead of UNIQUE (lang, text) and a 64-character hex hash, two long
     * text indexes that every new segment had to update.  The table is
     * rebuilt with the same ids (units and the full-text index keep
     * pointing at the right rows; migrate() turns foreign keys off for the
     * swap and checks them after), and its triggers are made again.  The
     * annotations' CHECKs become plain comparisons (an IN list there cost
     * a temporary table per inserted row) and the table is WITHOUT ROWID
     * (its primary key was a second B-tree beside the rows). */
    {5,
     "CREATE TABLE segments_v5 ("
     " id INTEGER PRIMARY KEY,"
     " lang TEXT NOT NULL COLLATE NOCASE,"
     " text TEXT NOT NULL,"
     " norm TEXT NOT NULL,"
     " key INTEGER NOT NULL,"
     " words INTEGER NOT NULL,"
     " markup INTEGER NOT NULL DEFAULT 0);"
     "INSERT INTO segments_v5 (id, lang, text, norm, key, words, markup)"
     " SELECT id, lang, text, norm, sl_segment_key(norm), words, markup FROM segments"
     " ORDER BY id;"
     "DROP TABLE segments;"
     "ALTER TABLE segments_v5 RENAME TO segments;"
     "CREATE INDEX segments_key ON segments (key);"
     "CREATE INDEX segments_lang_words ON segments (lang, words);"
     SEGMENTS_FTS_TRIGGERS
     "CREATE TABLE annotations_v5 ("
     " document INTEGER NOT NULL,"
     " position INTEGER NOT NULL,"
     " seq INTEGER NOT NULL,"
     " level TEXT NOT NULL CHECK (level = 'tu' OR level = 'src' OR level = 'tgt'),"
     " kind TEXT NOT NULL CHECK (kind = 'prop' OR kind = 'note'),"
     " type TEXT,"
     " lang TEXT COLLATE NOCASE,"
     " value TEXT NOT NULL,"
     " PRIMARY KEY (document, position, seq),"
     " FOREIGN KEY (document, position) REFERENCES occurrences (document, position)"
     "  ON DELETE CASCADE) WITHOUT ROWID;"
     "INSERT INTO annotations_v5 SELECT document, position, seq, level, kind, type, lang, value"
     " FROM annotations ORDER BY document, position, seq;"
     "DROP TABLE annotations;"
     "ALTER TABLE annotations_v5 RENAME TO annotations;"
     "PRAGMA user_version = 5;"},
    /* fuzzy lookup's inverted index (fuzzy-index.c): the posting lists of
     * each (language, folded token), filled by sl__fuzzy_index_sync after
     * the migration and by every write path; upto is the last segment id
     * indexed; the triggers note deleted and changed segments for the next
     * sync. */
    {6,
     "CREATE TABLE fuzzy_terms ("
     " id INTEGER PRIMARY KEY,"
     " key BLOB NOT NULL UNIQUE,"
     " df INTEGER NOT NULL,"
     " chunks INTEGER NOT NULL);"
     "CREATE TABLE fuzzy_postings ("
     " term INTEGER NOT NULL,"
     " chunk INTEGER NOT NULL,"
     " ids BLOB NOT NULL,"
     " PRIMARY KEY (term, chunk)) WITHOUT ROWID;"
     "CREATE TABLE fuzzy_state ("
     " id INTEGER PRIMARY KEY CHECK (id = 1),"
     " upto INTEGER NOT NULL);"
     "INSERT INTO fuzzy_state (id, upto) VALUES (1, 0);"
     "CREATE TABLE fuzzy_dead ("
     " id INTEGER NOT NULL,"
     " lang TEXT NOT NULL,"
     " norm TEXT NOT NULL);"
     "CREATE TABLE fuzzy_pending (id INTEGER PRIMARY KEY);"
     "CREATE TRIGGER fuzzy_index_delete AFTER DELETE ON segments BEGIN"
     " INSERT INTO fuzzy_dead (id, lang, norm) SELECT old.id, old.lang, old.norm"
     "  WHERE old.id <= (SELECT upto FROM fuzzy_state);"
     " UPDATE fuzzy_state SET upto = (SELECT coalesce(max(id), 0) FROM segments)"
     "  WHERE upto > (SELECT coalesce(max(id), 0) FROM segments); END;"
     "CREATE TRIGGER fuzzy_index_update AFTER UPDATE OF id, lang, norm ON segments BEGIN"
     " INSERT INTO fuzzy_dead (id, lang, norm) SELECT old.id, old.lang, old.norm"
     "  WHERE old.id <= (SELECT upto FROM fuzzy_state);"
     " INSERT OR IGNORE INTO fuzzy_pending (id) SELECT new.id"
     "  WHERE new.id <= (SELECT upto FROM fuzzy_state); END;"
     "PRAGMA user_version = 6;"},
    /* The fuzzy index's terms stored in the B-tree of their keys (WITHOUT
     * ROWID): a new term was a row and an entry of the UNIQUE key index,
     * and a lookup read df through the key index and then the row.  The
     * ids stay (fuzzy_postings.term); a new term's is one above the largest
     * term in fuzzy_postings, where every term has a row. */
    {7,
     "CREATE TABLE fuzzy_terms_v7 ("
     " key BLOB NOT NULL PRIMARY KEY,"
     " id INTEGER NOT NULL,"
     " df INTEGER NOT NULL,"
     " chunks INTEGER NOT NULL) WITHOUT ROWID;"
     "INSERT INTO fuzzy_terms_v7 (key, id, df, chunks)"
     " SELECT key, id, df, chunks FROM fuzzy_terms ORDER BY key;"
     "DROP TABLE fuzzy_terms;"
     "ALTER TABLE fuzzy_terms_v7 RENAME TO fuzzy_terms;"
     "PRAGMA user_version = 7;"},
};

#define N_MIGRATIONS (sizeof migrations / sizeof migrations[0])

int sl_tm_schema_version(void)
{
    return migrations[N_MIGRATIONS - 1].version;
}

sl_status sl__tm_db_error(const sl_tm *tm, int rc, const char *what, sl_error *err)
{
    const char *path = tm && tm->path ? tm->path : "translation memory";
    int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return sl_error_set(err, SL_DB,
                            "%s: the database is locked by another process (wait until it has "
                            "finished and try again)",
                            path);
    if (primary == SQLITE_NOMEM)
        return sl__nomem(err);
    if (primary == SQLITE_CORRUPT)
        return sl_error_set(err, SL_DB,
                            "%s: %s: the file is damaged (%s); restore it from a backup or "
                            "salvage it with: sqlite3 %s .recover",
                            path, what, sqlite3_errstr(rc), path);
    /* A full disk or a file size limit: sqlite says "disk I/O error", the
     * system error says which. */
    int sys = tm && tm->db ? sqlite3_system_errno(tm->db) : 0;
    if (primary == SQLITE_FULL || (primary == SQLITE_IOERR && (sys == ENOSPC || sys == EFBIG ||
                                                               sys == EDQUOT)))
        return sl_error_set(err, SL_IO, "%s: %s: %s (free some space and try again)", path, what,
                            sys ? strerror(sys) : "the disk is full");
    /* By the time a failed commit is reported, errno may be another call's. */
    int ext = tm && tm->db ? sqlite3_extended_errcode(tm->db) : rc;
    if (ext == SQLITE_IOERR_WRITE || ext == SQLITE_IOERR_FSYNC || ext == SQLITE_IOERR_TRUNCATE)
        return sl_error_set(err, SL_IO,
                            "%s: %s: writing to the disk failed (is it full, or the file size "
                            "limited? free some space and try again)",
                            path, what);
    sl_status code = SL_DB;
    switch (primary) {
    case SQLITE_NOTADB:
        code = SL_SCHEMA;
        break;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_PERM:
    case SQLITE_READONLY:
        code = SL_IO;
        break;
    }
    const char *msg = tm && tm->db ? sqlite3_errmsg(tm->db) : sqlite3_errstr(rc);
    if (primary == SQLITE_IOERR && sys)
        return sl_error_set(err, code, "%s: %s: %s (%s)", path, what, msg, strerror(sys));
    return sl_error_set(err, code, "%s: %s: %s", path, what, msg);
}

/* Long enough to wait out another process's `add` of a big document. */
static int busy_timeout_ms = 60000;

/* Whether a failed prepare is another process's write showing through:
 * FTS5 reads its config table while a statement is prepared, and a lock met
 * there comes back as "vtable constructor failed", which the busy handler
 * never sees. */
static bool prepare_contended(const sl_tm *tm, int rc)
{
    return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ||
           ((rc & 0xff) == SQLITE_ERROR &&
            strstr(sqlite3_errmsg(tm->db), "vtable constructor failed") != NULL);
}

sl_status sl__tm_prepare(const sl_tm *tm, const char *sql, sqlite3_stmt **out, sl_error *err)
{
    int rc = sqlite3_prepare_v2(tm->db, sql, -1, out, NULL);
    /* retried like a busy lock, up to the busy timeout */
    for (int waited = 0; rc != SQLITE_OK && waited < busy_timeout_ms && prepare_contended(tm, rc);
         waited += 10) {
        sqlite3_finalize(*out);
        *out = NULL;
        sqlite3_sleep(10);
        rc = sqlite3_prepare_v2(tm->db, sql, -1, out, NULL);
    }
    if (rc != SQLITE_OK) {
        sqlite3_finalize(*out);
        *out = NULL;
        return sl__tm_db_error(tm, rc, "cannot prepare a query", err);
    }
    return SL_OK;
}

static sl_status exec_sql(sl_tm *tm, const char *sql, const char *what, sl_error *err)
{
    int rc = sqlite3_exec(tm->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? SL_OK : sl__tm_db_error(tm, rc, what, err);
}

sl_status sl__tm_read_mode(sl_tm *tm, bool one_pass, sl_error *err)
{
    /* Lookups read many pages at random: map the file instead of a read()
     * per page, and keep a larger cache than the 2 MB default.  A reader
     * that goes through the TM once (export) gains nothing from either, and
     * both would grow its memory with the TM: mapped pages count as its
     * own once touched, and the cache fills up to its bound. */
    sl_status s = exec_sql(tm, one_pass ? "PRAGMA mmap_size = 0" : "PRAGMA mmap_size = 1073741824",
                           "cannot map the database", err);
    if (s == SL_OK)
        s = exec_sql(tm,
                     one_pass ? "PRAGMA cache_size = -2048"
                              : "PRAGMA cache_size = " SL__STR(SL__TM_CACHE_KB_NEG),
                     "cannot set the cache size", err);
    return s;
}

/* Undo an open transaction, if any; the error is already recorded. */
static void rollback(sl_tm *tm)
{
    if (!sqlite3_get_autocommit(tm->db))
        sqlite3_exec(tm->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Run a query returning one integer. */
static sl_status query_int(sl_tm *tm, const char *sql, long long *value, sl_error *err)
{
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(tm, sql, &st, err);
    if (s != SL_OK)
        return s;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *value = sqlite3_column_int64(st, 0);
    else
        s = sl__tm_db_error(tm, rc, "cannot read the database", err);
    sqlite3_finalize(st);
    return s;
}

/*
 * Read what identifies the file, writing nothing.  A file that is not SQLite
 * fails here, on the first read of its header.
 */
static sl_status inspect(sl_tm *tm, long long *app_id, long long *version, long long *objects,
                         sl_error *err)
{
    sl_status s = query_int(tm, "PRAGMA application_id", app_id, err);
    if (s == SL_OK)
        s = query_int(tm, "PRAGMA user_version", version, err);
    if (s == SL_OK)
        s = query_int(tm, "SELECT count(*) FROM sqlite_master", objects, err);
    if (s == SL_SCHEMA)
        s = sl_error_set(err, SL_SCHEMA, "%s: not a selaras translation memory", tm->path);
    return s;
}

/*
 * After a failed first read: name the permission problem when there is one.
 * SQLite reports a WAL database whose -wal and -shm files it cannot create
 * as "attempt to write a readonly database", even for a read-only open.
 */
static sl_status explain_unreadable(const sl_tm *tm, sl_status s, sl_error *err)
{
    if (!tm->readonly && access(tm->path, W_OK) != 0)
        return sl_error_set(err, SL_IO, "%s: cannot open the translation memory for writing: %s",
                            tm->path, strerror(errno));
    char *copy = sl__strdup(tm->path);
    if (!copy)
        return sl__nomem(err);
    if (access(dirname(copy), W_OK) != 0)
        s = sl_error_set(err, SL_IO,
                         "%s: cannot open the translation memory: its directory is not "
                         "writable (SQLite keeps %s-wal and %s-shm beside it)",
                         tm->path, tm->path, tm->path);
    free(copy);
    return s;
}

static sl_status newer_schema(const sl_tm *tm, long long version, sl_error *err)
{
    return sl_error_set(err, SL_SCHEMA,
                        "%s: created by a newer selaras (schema %lld, this version reads up to "
                        "%d); upgrade selaras",
                        tm->path, version, sl_tm_schema_version());
}

/* sl_segment_key(norm) in SQL, for migration 5. */
static void sql_segment_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *norm = (const char *)sqlite3_value_text(argv[0]);
    if (!norm && sqlite3_value_type(argv[0]) != SQLITE_NULL) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    size_t n = norm ? (size_t)sqlite3_value_bytes(argv[0]) : 0;
    sqlite3_result_int64(ctx, sl__segment_key(norm ? norm : "", n));
}

/* Foreign keys: every one, or those of one table, must hold. */
static sl_status check_foreign_keys(sl_tm *tm, const char *sql, sl_error *err)
{
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(tm, sql, &st, err);
    if (s != SL_OK)
        return s;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        s = sl_error_set(err, SL_SCHEMA,
                         "%s: cannot upgrade the schema: table %s has a row (%lld) whose "
                         "reference is missing; nothing was changed",
                         tm->path, (const char *)sqlite3_column_text(st, 0),
                         (long long)sqlite3_column_int64(st, 1));
    else if (rc != SQLITE_DONE)
        s = sl__tm_db_error(tm, rc, "cannot check the schema", err);
    sqlite3_finalize(st);
    return s;
}

/* Bring the schema up to date in one transaction.  The version is read
 * again under the write lock: another process may have migrated first.
 * Foreign keys are off while it runs (a step may rebuild a table others
 * point to), and checked before the commit. */
static sl_status migrate(sl_tm *tm, sl_error *err)
{
    long long version = 0;
    int rc = sqlite3_create_function(tm->db, "sl_segment_key", 1,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL,
                                     sql_segment_key, NULL, NULL);
    if (rc != SQLITE_OK)
        return sl__tm_db_error(tm, rc, "cannot create the schema", err);
    sl_status s = exec_sql(tm, "PRAGMA foreign_keys = OFF", "cannot create the schema", err);
    if (s == SL_OK)
        s = exec_sql(tm, "BEGIN IMMEDIATE", "cannot start a transaction", err);
    if (s != SL_OK) {
        sqlite3_exec(tm->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
        return s;
    }
    s = query_int(tm, "PRAGMA user_version", &version, err);
    if (s != SL_OK)
        goto cleanup;
    if (version > sl_tm_schema_version()) {
        s = newer_schema(tm, version, err);
        goto cleanup;
    }
    for (size_t i = 0; i < N_MIGRATIONS; i++) {
        if (migrations[i].version <= version)
            continue;
        s = exec_sql(tm, migrations[i].sql, "cannot create the schema", err);
        if (s != SL_OK)
            goto cleanup;
    }
    if (version < 6) /* the fuzzy index of the segments already stored */
        s = sl__fuzzy_index_sync(tm, err);
    if (s != SL_OK)
        goto cleanup;
    s = exec_sql(tm, "PRAGMA application_id = " SL__STR(SL__TM_APPLICATION_ID),
                 "cannot create the schema", err);
    /* Step 5 rebuilt the segments the units point to. */
    if (s == SL_OK && version > 0 && version < 5)
        s = check_foreign_keys(tm, "PRAGMA foreign_key_check (units)", err);
    if (s == SL_OK)
        s = exec_sql(tm, "COMMIT", "cannot commit the schema", err);
cleanup:
    if (s != SL_OK)
        rollback(tm);
    sl_status s2 = exec_sql(tm, "PRAGMA foreign_keys = ON", "cannot enable foreign keys", err);
    return s != SL_OK ? s : s2;
}

/* Whether sqlite could create the -wal/-shm files beside path. */
static bool dir_writable(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return access(".", W_OK) == 0;
    char *dir = sl__strndup(path, slash == path ? 1 : (size_t)(slash - path));
    bool ok = dir && access(dir, W_OK) == 0;
    free(dir);
    return ok;
}


void sl_tm_set_busy_timeout(int milliseconds)
{
    busy_timeout_ms = milliseconds < 0 ? 0 : milliseconds;
}

sl_status sl_tm_open(const char *path, int flags, sl_tm **out, sl_error *err)
{
    sl_status s = SL_OK;
    sl_tm *tm = NULL;
    if (!out)
        return sl_error_set(err, SL_USAGE, "sl_tm_open: no place for the result");
    *out = NULL;
    if (!path || !*path)
        return sl_error_set(err, SL_USAGE, "no translation memory file given");
    if (flags & ~(SL_TM_READONLY | SL_TM_CREATE))
        return sl_error_set(err, SL_USAGE, "%s: unknown open flags %#x", path, (unsigned)flags);
    bool readonly = flags & SL_TM_READONLY;
    if (readonly && (flags & SL_TM_CREATE))
        return sl_error_set(err, SL_USAGE, "%s: cannot create a translation memory read-only",
                            path);

    /* Decide before sqlite touches anything: it would create a missing file. */
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if (!exists && errno != ENOENT)
        return sl_error_set(err, SL_IO, "%s: cannot open: %s", path, strerror(errno));
    if (exists && S_ISDIR(sb.st_mode))
        return sl_error_set(err, SL_IO, "%s: is a directory, not a translation memory", path);
    if (exists && !S_ISREG(sb.st_mode))
        return sl_error_set(err, SL_IO, "%s: not a regular file, not a translation memory", path);
    if (!exists && !(flags & SL_TM_CREATE))
        return sl_error_set(err, SL_NOTFOUND,
                            "%s: no such translation memory (create one with 'selaras add')",
                            path);

    tm = calloc(1, sizeof *tm);
    if (!tm || !(tm->path = sl__strdup(path))) {
        s = sl__nomem(err);
        goto cleanup;
    }
    tm->readonly = readonly;
    /* A read-only sqlite connection cannot remove the -wal/-shm files it
     * made, so reading a writable file goes through a read-write connection
     * with query_only set instead. */
    bool writable = exists && access(path, W_OK) == 0 && dir_writable(path);
    int oflags = readonly && !writable ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (!exists)
        oflags |= SQLITE_OPEN_CREATE;
    /* An sl_tm is used by one thread at a time (tm.h): no per-call mutex. */
    oflags |= SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &tm->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        if (!tm->db) {
            s = sl__nomem(err);
            goto cleanup;
        }
        int sys = sqlite3_system_errno(tm->db);
        s = sl_error_set(err, SL_IO, "%s: cannot %s the translation memory: %s%s%s%s", path,
                         exists ? "open" : "create", sqlite3_errmsg(tm->db), sys ? " (" : "",
                         sys ? strerror(sys) : "", sys ? ")" : "");
        goto cleanup;
    }
    sqlite3_busy_timeout(tm->db, busy_timeout_ms);

    long long app_id = 0, version = 0, objects = 0;
    s = inspect(tm, &app_id, &version, &objects, err);
    if (s == SL_IO)
        s = explain_unreadable(tm, s, err);
    if (s != SL_OK)
        goto cleanup;
    bool blank = app_id == 0 && version == 0 && objects == 0;
    if (!blank && app_id != SL__TM_APPLICATION_ID) {
        s = sl_error_set(err, SL_SCHEMA, "%s: not a selaras translation memory", path);
        goto cleanup;
    }
    if (version > sl_tm_schema_version()) {
        s = newer_schema(tm, version, err);
        goto cleanup;
    }
    if (readonly && blank) {
        s = sl_error_set(err, SL_SCHEMA,
                         "%s: not a selaras translation memory (the database is empty)", path);
        goto cleanup;
    }
    /* An older TM is upgraded by whichever command opens it first, so that
     * a lookup after installing a new selaras just works; only a file that
     * cannot be written is refused. */
    bool upgrade = version < sl_tm_schema_version() && !blank;
    if (readonly && upgrade && (oflags & SQLITE_OPEN_READONLY)) {
        s = sl_error_set(err, SL_SCHEMA,
                         "%s: uses schema %lld, older than this version's %d, and the file "
                         "cannot be written to upgrade it (copy it somewhere writable and use "
                         "the copy)",
                         path, version, sl_tm_schema_version());
        goto cleanup;
    }

    /* sqlite silently falls back to read-only when the file is not writable;
     * say so now rather than at the first add. */
    if (!readonly && sqlite3_db_readonly(tm->db, "main") == 1) {
        s = sl_error_set(err, SL_IO, "%s: cannot open the translation memory for writing "
                         "(the file is read-only)", path);
        goto cleanup;
    }

    /* From here on the file is ours (or brand new) and may be written.  A
     * blank file has no pages yet, so its page size can still be chosen. */
    s = exec_sql(tm, "PRAGMA foreign_keys = ON", "cannot enable foreign keys", err);
    if (s == SL_OK && blank && !readonly)
        s = exec_sql(tm, "PRAGMA page_size = " SL__STR(SL__TM_PAGE_SIZE),
                     "cannot set the page size", err);
    if (s == SL_OK)
        s = sl__tm_read_mode(tm, false, err);
    if (s != SL_OK)
        goto cleanup;
    if (readonly && upgrade)
        s = migrate(tm, err);
    if (s == SL_OK && readonly)
        s = exec_sql(tm, "PRAGMA query_only = ON", "cannot make the connection read-only", err);
    if (s != SL_OK)
        goto cleanup;
    if (!readonly) {
        s = exec_sql(tm, "PRAGMA journal_mode = WAL", "cannot switch to WAL journaling", err);
        /* In WAL mode NORMAL still keeps every commit whole after a crash
         * (a power cut may lose the last one); FULL would add an fsync per
         * commit.  (The 64 MB page cache set above also keeps the randomly
         * written indexes of a big import in memory; it is a bound.) */
        if (s == SL_OK)
            s = exec_sql(tm, "PRAGMA synchronous = NORMAL", "cannot set the sync mode", err);
        if (s == SL_OK && version < sl_tm_schema_version())
            s = migrate(tm, err);
        if (s != SL_OK)
            goto cleanup;
    }
    *out = tm;
    tm = NULL;
cleanup:
    sl_tm_close(tm);
    return s;
}

void sl_tm_close(sl_tm *tm)
{
    if (!tm)
        return;
    sqlite3_close_v2(tm->db);
    free(tm->path);
    free(tm);
}

/* ---- adding a document pair */

enum {
    Q_FIND_DOC,
    Q_INSERT_DOC,
    Q_FIND_SEGMENT,
    Q_INSERT_SEGMENT,
    Q_FIND_UNIT,
    Q_INSERT_UNIT,
    Q_INSERT_OCCURRENCE,
    Q_COUNT
};

static const char *const add_sql[Q_COUNT] = {
    [Q_FIND_DOC] = "SELECT id FROM documents WHERE src_sha256 = ?1 AND tgt_sha256 = ?2"
                   " AND src_lang = ?3 AND tgt_lang = ?4",
    [Q_INSERT_DOC] = "INSERT INTO documents (src_path, tgt_path, src_lang, tgt_lang, src_sha256,"
                     " tgt_sha256, added_at, tool_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [Q_FIND_SEGMENT] = "SELECT id FROM segments WHERE key = ?3 AND text = ?2 AND lang = ?1",
    [Q_INSERT_SEGMENT] = "INSERT INTO segments (lang, text, norm, key, words)"
                         " VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_FIND_UNIT] = "SELECT id FROM units WHERE src_segment = ?1 AND tgt_segment = ?2",
    [Q_INSERT_UNIT] = "INSERT INTO units (src_segment, tgt_segment, created_at)"
                      " VALUES (?1, ?2, ?3)",
    [Q_INSERT_OCCURRENCE] = "INSERT INTO occurrences (document, unit, position, src_index,"
                            " tgt_index, bead, score) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
};

struct adder {
    sl_tm *tm;
    sqlite3_stmt *q[Q_COUNT];
    char now[21];
    sl_error *err;
};

/* Check a bind's result code (too big a value, out of memory). */
static sl_status bound(struct adder *a, int rc)
{
    return rc == SQLITE_OK ? SL_OK : sl__tm_db_error(a->tm, rc, "cannot bind a value", a->err);
}

static int bind_str(sqlite3_stmt *st, int i, const char *s, size_t n)
{
    return sqlite3_bind_text64(st, i, s, (sqlite3_uint64)n, SQLITE_STATIC, SQLITE_UTF8);
}

/*
 * Run a bound statement to completion.  With id non-NULL the statement is a
 * lookup: *found says whether it returned a row, *id its first column.
 * Otherwise it is an insert and *id (if given) gets the new rowid.  The
 * statement is reset for reuse either way.
 */
static sl_status run(struct adder *a, sqlite3_stmt *st, bool *found, long long *id)
{
    sl_status s = SL_OK;
    int rc = sqlite3_step(st);
    if (found) {
        *found = rc == SQLITE_ROW;
        if (rc == SQLITE_ROW) {
            *id = sqlite3_column_int64(st, 0);
            rc = SQLITE_DONE;
        }
    } else if (rc == SQLITE_DONE && id) {
        *id = sqlite3_last_insert_rowid(a->tm->db);
    }
    if (rc != SQLITE_DONE)
        s = sl__tm_db_error(a->tm, rc, "cannot store the document pair", a->err);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return s;
}

/* The id of the segment (lang, text), inserting it when new. */
static sl_status segment_id(struct adder *a, const char *lang, const sl__buf *text,
                            long long *id)
{
    sqlite3_stmt *find = a->q[Q_FIND_SEGMENT], *ins = a->q[Q_INSERT_SEGMENT];
    char *norm = sl__normalise(text->data, text->len);
    if (!norm)
        return sl__nomem(a->err);
    long long key = sl__segment_key(norm, strlen(norm));
    bool found = false;
    sl_status s = bound(a, sqlite3_bind_text(find, 1, lang, -1, SQLITE_STATIC));
    if (s == SL_OK)
        s = bound(a, bind_str(find, 2, text->data, text->len));
    if (s == SL_OK)
        s = bound(a, sqlite3_bind_int64(find, 3, key));
    if (s == SL_OK)
        s = run(a, find, &found, id);
    if (s != SL_OK || found) {
        free(norm);
        return s;
    }
    s = bound(a, sqlite3_bind_text(ins, 1, lang, -1, SQLITE_STATIC));
    if (s == SL_OK)
        s = bound(a, bind_str(ins, 2, text->data, text->len));
    if (s == SL_OK)
        s = bound(a, sqlite3_bind_text(ins, 3, norm, -1, SQLITE_STATIC));
    if (s == SL_OK)
        s = bound(a, sqlite3_bind_int64(ins, 4, key));
    if (s == SL_OK)
        s = bound(a, sqlite3_bind_int64(ins, 5, (sqlite3_int64)sl__token_count(norm)));
    if (s == SL_OK)
        s = run(a, ins, NULL, id);
    else
        sqlite3_clear_bindings(ins);
    free(norm);
    return s;
}

/* The id of the unit (src, tgt); *is_new says whether it was created now. */
static sl_status unit_id(struct adder *a, long long src, long long tgt, long long *id,
                         bool *is_new)
{
    sqlite3_stmt *find = a->q[Q_FIND_UNIT], *ins = a->q[Q_INSERT_UNIT];
    bool found = false;
    sl_status s = bound(a, sqlite3_bind_int64(find, 1, src));
    if (s == SL_OK)
        s = bound(a, sqlite3_bind_int64(find, 2, tgt));
    if (s == SL_OK)
        s = run(a, find, &found, id);
    *is_new = !found;
    if (s != SL_OK || found)
        return s;
    s = bound(a, sqlite3_bind_int64(ins, 1, src));
    if (s == SL_OK)
        s = bound(a, sqlite3_bind_int64(ins, 2, tgt));
    if (s == SL_OK)
        s = bound(a, sqlite3_bind_text(ins, 3, a->now, -1, SQLITE_STATIC));
    if (s == SL_OK)
        s = run(a, ins, NULL, id);
    return s;
}

/* Sentences [start, start+count) joined with one space (empty ones skipped). */
static bool join_sentences(const sl_sentences *ss, size_t start, size_t count, sl__buf *out)
{
    sl__buf_clear(out);
    for (size_t i = start; i < start + count; i++) {
        size_t n = sl_sentences_length(ss, i);
        if (n == 0)
            continue;
        if (out->len && !sl__buf_append(out, " ", 1))
            return false;
        if (!sl__buf_append(out, sl_sentences_text(ss, i), n))
            return false;
    }
    return true;
}

/* Reject beads outside the sentence lists before anything is written. */
static sl_status check_beads(const sl_document *doc, const sl_sentences *src,
                             const sl_sentences *tgt, const sl_alignment *al, sl_error *err)
{
    size_t ns = sl_sentences_count(src), nt = sl_sentences_count(tgt);
    for (size_t i = 0; i < sl_alignment_count(al); i++) {
        const sl_bead *b = sl_alignment_bead(al, i);
        if (b->src_start > ns || b->src_count > ns - b->src_start)
            return sl_error_set(err, SL_USAGE,
                                "%s: bead %zu covers source sentences %zu-%zu, but there are "
                                "only %zu; nothing was added",
                                doc->src_path, i, b->src_start, b->src_start + b->src_count, ns);
        if (b->tgt_start > nt || b->tgt_count > nt - b->tgt_start)
            return sl_error_set(err, SL_USAGE,
                                "%s: bead %zu covers target sentences %zu-%zu, but there are "
                                "only %zu; nothing was added",
                                doc->tgt_path, i, b->tgt_start, b->tgt_start + b->tgt_count, nt);
        if (!isfinite(b->score))
            return sl_error_set(err, SL_USAGE, "%s: bead %zu has no valid score; nothing was added",
                                doc->src_path, i);
    }
    return SL_OK;
}

/*
 * Refuse text that TMX cannot carry (C0 controls but tab, LF and CR;
 * U+FFFE, U+FFFF): stored, it would make every export of the TM fail.  File
 * input is checked on reading; this guards the other ways in (the API,
 * imports).
 */
static sl_status check_texts(const char *path, const sl_sentences *ss, sl_error *err)
{
    for (size_t i = 0; i < sl_sentences_count(ss); i++) {
        const unsigned char *u = (const unsigned char *)sl_sentences_text(ss, i);
        size_t n = sl_sentences_length(ss, i);
        for (size_t k = 0; k < n; k++) {
            bool bad = (u[k] < 0x20 && u[k] != '\t' && u[k] != '\n' && u[k] != '\r') ||
                       (u[k] == 0xef && k + 2 < n && u[k + 1] == 0xbf && (u[k + 2] & 0xfe) == 0xbe);
            if (bad)
                return sl_error_set(err, SL_DATA,
                                    "%s: sentence %zu has a character TMX cannot carry at byte "
                                    "%zu (0x%02x); nothing was added",
                                    path, i + 1, k, u[k]);
        }
    }
    return SL_OK;
}

/* Store one bead with both sides; *stored is false when a side is empty text. */
static sl_status add_bead(struct adder *a, long long doc_id, size_t position, const sl_bead *b,
                          const char *src_lang, const char *tgt_lang, const sl_sentences *src,
                          const sl_sentences *tgt, sl__buf *stext, sl__buf *ttext,
                          sl_add_result *res)
{
    if (!join_sentences(src, b->src_start, b->src_count, stext) ||
        !join_sentences(tgt, b->tgt_start, b->tgt_count, ttext))
        return sl__nomem(a->err);
    if (stext->len == 0 || ttext->len == 0)
        return SL_OK;
    long long sid = 0, tid = 0, uid = 0;
    bool is_new = false;
    sl_status s = segment_id(a, src_lang, stext, &sid);
    if (s == SL_OK)
        s = segment_id(a, tgt_lang, ttext, &tid);
    if (s == SL_OK)
        s = unit_id(a, sid, tid, &uid, &is_new);
    if (s != SL_OK)
        return s;
    res->pairs++;
    if (is_new)
        res->units_new++;
    else
        res->units_existing++;

    char shape[48];
    snprintf(shape, sizeof shape, "%zu-%zu", b->src_count, b->tgt_count);
    sqlite3_stmt *ins = a->q[Q_INSERT_OCCURRENCE];
    s = bound(a, sqlite3_bind_int64(ins, 1, doc_id));
    if (s == SL_OK)
        s = bound(a, sqlite3_bind_int64(ins, 2, uid));
    if (s == SL_OK)
        s = bound(a, sqlite3_bind_int64(ins, 3, (sqlite3_int64)position));
    if (s == SL_OK)
        s = bound(a, sqlite3_bind_int64(ins, 4, (sqlite3_int64)b->src_start));
    if (s == SL_OK)
        s = bound(a, sqlite3_bind_int64(ins, 5, (sqlite3_int64)b->tgt_start));
    if (s == SL_OK)
        s = bound(a, sqlite3_bind_text(ins, 6, shape, -1, SQLITE_STATIC));
    if (s == SL_OK)
        s = bound(a, sqlite3_bind_double(ins, 7, b->score));
    if (s == SL_OK)
        s = run(a, ins, NULL, NULL);
    return s;
}

sl_status sl_tm_add(sl_tm *tm, const sl_document *doc, const sl_sentences *src,
                    const sl_sentences *tgt, const sl_alignment *al, sl_add_result *result,
                    sl_error *err)
{
    sl_add_result res = {0, false, 0, 0, 0};
    struct adder a = {tm, {NULL}, {0}, err};
    sl__buf stext = SL__BUF_INIT, ttext = SL__BUF_INIT;
    char src_lang[SL_LANG_MAX], tgt_lang[SL_LANG_MAX];
    sl_status s = SL_OK;

    if (result)
        *result = res;
    if (!tm || !doc || !src || !tgt || !al)
        return sl_error_set(err, SL_USAGE, "sl_tm_add: missing argument");
    if (!doc->src_path || !doc->tgt_path || !doc->src_lang || !doc->tgt_lang ||
        (!doc->src_text && doc->src_len) || (!doc->tgt_text && doc->tgt_len))
        return sl_error_set(err, SL_USAGE, "%s: incomplete document description", tm->path);
    if (tm->readonly)
        return sl_error_set(err, SL_USAGE, "%s: the translation memory is open read-only",
                            tm->path);
    /* Stored lower-case so that equal tags are equal strings in exports. */
    s = sl_lang_canonical(doc->src_lang, src_lang, err);
    if (s == SL_OK)
        s = sl_lang_canonical(doc->tgt_lang, tgt_lang, err);
    if (s == SL_OK)
        s = check_beads(doc, src, tgt, al, err);
    if (s == SL_OK)
        s = check_texts(doc->src_path, src, err);
    if (s == SL_OK)
        s = check_texts(doc->tgt_path, tgt, err);
    if (s != SL_OK)
        return s;

    char src_sha[65], tgt_sha[65];
    sl__sha256_hex(doc->src_text ? doc->src_text : "", doc->src_len, src_sha);
    sl__sha256_hex(doc->tgt_text ? doc->tgt_text : "", doc->tgt_len, tgt_sha);
    sl__utc_now(a.now);

    for (int i = 0; i < Q_COUNT; i++) {
        s = sl__tm_prepare(tm, add_sql[i], &a.q[i], err);
        if (s != SL_OK)
            goto cleanup;
    }
    /* IMMEDIATE takes the write lock now, so the duplicate check and the
     * inserts see the same database. */
    s = exec_sql(tm, "BEGIN IMMEDIATE", "cannot start a transaction", err);
    if (s != SL_OK)
        goto cleanup;

    sqlite3_stmt *q = a.q[Q_FIND_DOC];
    bool found = false;
    s = bound(&a, sqlite3_bind_text(q, 1, src_sha, -1, SQLITE_STATIC));
    if (s == SL_OK)
        s = bound(&a, sqlite3_bind_text(q, 2, tgt_sha, -1, SQLITE_STATIC));
    if (s == SL_OK)
        s = bound(&a, sqlite3_bind_text(q, 3, src_lang, -1, SQLITE_STATIC));
    if (s == SL_OK)
        s = bound(&a, sqlite3_bind_text(q, 4, tgt_lang, -1, SQLITE_STATIC));
    if (s == SL_OK)
        s = run(&a, q, &found, &res.document_id);
    if (s != SL_OK)
        goto cleanup;
    if (found) {
        /* Same texts, same languages: nothing to do, nothing counted. */
        res.already_present = true;
        rollback(tm);
        goto cleanup;
    }

    /* One document is small: its segments go into the full-text index by
     * the trigger, row by row.  Setting the trigger aside (as import does
     * for a whole file) would change the schema twice per document, and
     * every other process on the TM would then load it again and reconnect
     * FTS5, whose constructor fails when its read meets a writer ("vtable
     * constructor failed", seen with four processes adding at once). */
    q = a.q[Q_INSERT_DOC];
    const char *doc_values[8] = {doc->src_path, doc->tgt_path, src_lang, tgt_lang,
                                 src_sha,       tgt_sha,       a.now,    sl_version()};
    for (int i = 0; i < 8 && s == SL_OK; i++)
        s = bound(&a, sqlite3_bind_text(q, i + 1, doc_values[i], -1, SQLITE_STATIC));
    if (s == SL_OK)
        s = run(&a, q, NULL, &res.document_id);
    if (s != SL_OK)
        goto cleanup;

    for (size_t i = 0; i < sl_alignment_count(al); i++) {
        const sl_bead *b = sl_alignment_bead(al, i);
        if (b->src_count == 0 || b->tgt_count == 0)
            continue;
        s = add_bead(&a, res.document_id, i, b, src_lang, tgt_lang, src, tgt, &stext, &ttext,
                     &res);
        if (s != SL_OK)
            goto cleanup;
    }
    s = sl__fuzzy_index_sync(tm, err);
    if (s == SL_OK)
        s = exec_sql(tm, "COMMIT", "cannot commit the document pair", err);

cleanup:
    if (s != SL_OK)
        rollback(tm);
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(a.q[i]);
    sl__buf_free(&stext);
    sl__buf_free(&ttext);
    if (result)
        *result = s == SL_OK ? res : (sl_add_result){0, false, 0, 0, 0};
    return s;
}

/* ---- reading */

sl_status sl_tm_get_stats(sl_tm *tm, sl_tm_stats *stats, sl_error *err)
{
    if (!tm || !stats)
        return sl_error_set(err, SL_USAGE, "sl_tm_get_stats: missing argument");
    sqlite3_stmt *st = NULL;
    /* One statement, so the three counts come from one snapshot. */
    sl_status s = sl__tm_prepare(tm,
                                 "SELECT (SELECT count(*) FROM documents),"
                                 " (SELECT count(*) FROM units), (SELECT count(*) FROM segments)",
                                 &st, err);
    if (s != SL_OK)
        return s;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        stats->documents = sqlite3_column_int64(st, 0);
        stats->units = sqlite3_column_int64(st, 1);
        stats->segments = sqlite3_column_int64(st, 2);
    } else {
        s = sl__tm_db_error(tm, rc, "cannot read the statistics", err);
    }
    sqlite3_finalize(st);
    return s;
}

sl_status sl_tm_language_pairs(sl_tm *tm, sl_lang_pair_fn fn, void *data, sl_error *err)
{
    if (!tm || !fn)
        return sl_error_set(err, SL_USAGE, "sl_tm_language_pairs: missing argument");
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(tm,
                                 "SELECT s.lang, t.lang, count(*) FROM units u"
                                 " JOIN segments s ON s.id = u.src_segment"
                                 " JOIN segments t ON t.id = u.tgt_segment"
                                 " GROUP BY s.lang, t.lang ORDER BY s.lang, t.lang",
                                 &st, err);
    if (s != SL_OK)
        return s;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *sl = (const char *)sqlite3_column_text(st, 0);
        const char *tl = (const char *)sqlite3_column_text(st, 1);
        if (fn(sl ? sl : "", tl ? tl : "", sqlite3_column_int64(st, 2), data) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        s = sl__tm_db_error(tm, rc, "cannot read the language pairs", err);
    sqlite3_finalize(st);
    return s;
}

struct pair_probe {
    long long pairs;
    sl__buf held;
};

static int probe_pair(const char *src_lang, const char *tgt_lang, long long units, void *data)
{
    struct pair_probe *p = data;
    /* List a few pairs; a TM with dozens would make the message unreadable. */
    if (p->pairs < 5)
        sl__buf_printf(&p->held, "%s%s -> %s", p->pairs ? ", " : "", src_lang, tgt_lang);
    p->pairs++;
    return 0;
}

sl_status sl_tm_require_pair(sl_tm *tm, const char *src_lang, const char *tgt_lang,
                             sl_error *err)
{
    if (!tm || !src_lang || !tgt_lang)
        return sl_error_set(err, SL_USAGE, "sl_tm_require_pair: missing argument");
    /* Indexed and stopping at the first row: cheap enough before every
     * lookup; only a failure lists the pairs, which reads every unit.
     * Lookup and export read a pair in either direction. */
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(tm,
                                 /* CASE stops at the first direction found:
                                  * the other one may read a whole language */
                                 "SELECT CASE WHEN EXISTS (SELECT 1 FROM segments s"
                                 " JOIN units u ON u.src_segment = s.id"
                                 " JOIN segments t ON t.id = u.tgt_segment"
                                 " WHERE s.lang = ?1 AND t.lang = ?2) THEN 1"
                                 " WHEN EXISTS (SELECT 1 FROM segments s"
                                 " JOIN units u ON u.src_segment = s.id"
                                 " JOIN segments t ON t.id = u.tgt_segment"
                                 " WHERE s.lang = ?2 AND t.lang = ?1) THEN 1 ELSE 0 END,"
                                 " EXISTS (SELECT 1 FROM units)",
                                 &st, err);
    if (s != SL_OK)
        return s;
    int rc = sqlite3_bind_text(st, 1, src_lang, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 2, tgt_lang, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    bool ok = rc == SQLITE_ROW && (sqlite3_column_int(st, 0) || !sqlite3_column_int(st, 1));
    if (rc != SQLITE_ROW)
        s = sl__tm_db_error(tm, rc, "cannot read the language pairs", err);
    sqlite3_finalize(st);
    if (s != SL_OK || ok)
        return s;

    struct pair_probe p = {0, SL__BUF_INIT};
    s = sl_tm_language_pairs(tm, probe_pair, &p, err);
    if (s == SL_OK)
        s = sl_error_set(err, SL_LANG,
                         "%s: no translation units for %s -> %s (the TM holds %s%s); give "
                         "--src-lang and --tgt-lang of a pair it holds",
                         tm->path, src_lang, tgt_lang, sl__buf_cstr(&p.held),
                         p.pairs > 5 ? ", ..." : "");
    sl__buf_free(&p.held);
    return s;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

void sl__tm_unit_from_row(sqlite3_stmt *st, sl_unit *u)
{
    u->id = sqlite3_column_int64(st, 0);
    u->src_lang = col_text(st, 1);
    u->tgt_lang = col_text(st, 2);
    u->source = col_text(st, 3);
    u->target = col_text(st, 4);
    u->score = sqlite3_column_double(st, 5);
    u->bead = col_text(st, 6);
    u->document = col_text(st, 7);
    u->document_id = sqlite3_column_int64(st, 8);
    u->created_at = col_text(st, 9);
    u->occurrences = sqlite3_column_int64(st, 10);
}

/* Indexed by (src_lang given) | (tgt_lang given) << 1; the columns' NOCASE
 * collation makes the comparisons case-insensitive. */
static const char *const foreach_sql[4] = {
    SL__TM_UNIT_SELECT " ORDER BY u.id",
    SL__TM_UNIT_SELECT " WHERE s.lang = :src ORDER BY u.id",
    SL__TM_UNIT_SELECT " WHERE t.lang = :tgt ORDER BY u.id",
    SL__TM_UNIT_SELECT " WHERE s.lang = :src AND t.lang = :tgt ORDER BY u.id",
};

sl_status sl_tm_foreach_unit(sl_tm *tm, const char *src_lang, const char *tgt_lang,
                             sl_unit_fn fn, void *data, sl_error *err)
{
    if (!tm || !fn)
        return sl_error_set(err, SL_USAGE, "sl_tm_foreach_unit: missing argument");
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(tm, foreach_sql[(src_lang ? 1 : 0) | (tgt_lang ? 2 : 0)], &st,
                                 err);
    if (s != SL_OK)
        return s;
    int rc = SQLITE_OK;
    if (src_lang)
        rc = sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":src"), src_lang, -1,
                               SQLITE_STATIC);
    if (rc == SQLITE_OK && tgt_lang)
        rc = sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":tgt"), tgt_lang, -1,
                               SQLITE_STATIC);
    return sl__tm_step_units(tm, st, rc, fn, data, err);
}

sl_status sl__tm_step_units(sl_tm *tm, sqlite3_stmt *st, int rc, sl_unit_fn fn, void *data,
                            sl_error *err)
{
    sl_status s = SL_OK;
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            sl_unit u;
            sl__tm_unit_from_row(st, &u);
            if (fn(&u, data) != 0) {
                rc = SQLITE_DONE;
                break;
            }
        }
    }
    if (rc != SQLITE_DONE)
        s = sl__tm_db_error(tm, rc, "cannot read the units", err);
    sqlite3_finalize(st);
    return s;
}

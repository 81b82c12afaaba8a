/*
 * Bulk writes into the TM (TMX import, JSON lines, merge) and the TMX
 * details read back for export.  Deduplication follows sl_tm_add: a segment
 * is (lang, text), a unit is (source segment, target segment).
 */
#include "tm-internal.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    W_FIND_DOC,
    W_INSERT_DOC,
    W_INSERT_SEGMENT,
    W_FIND_SEGMENT,
    W_INSERT_UNIT,
    W_FIND_UNIT,
    W_FIND_OCCURRENCE,
    W_INSERT_OCCURRENCE,
    W_INSERT_ANNOTATION,
    W_INSERT_NEW_UNIT,
    W_NEXT_UNIT,
    W_COUNT
};

static const char *const write_sql[W_COUNT] = {
    [W_FIND_DOC] = "SELECT id FROM documents WHERE src_sha256 = ?1 AND tgt_sha256 = ?2"
                   " AND src_lang = ?3 AND tgt_lang = ?4",
    [W_INSERT_DOC] = "INSERT INTO documents (src_path, tgt_path, src_lang, tgt_lang, src_sha256,"
                     " tgt_sha256, added_at, tool_version, kind)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [W_INSERT_SEGMENT] = "INSERT INTO segments (id, lang, text, norm, key, words, markup)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    /* The key narrows to the segments of that normalised text (usually
     * one); the text and language decide. */
    [W_FIND_SEGMENT] = "SELECT id FROM segments WHERE key = ?3 AND text = ?2 AND lang = ?1",
    [W_INSERT_UNIT] = "INSERT OR IGNORE INTO units (src_segment, tgt_segment, created_at)"
                      " VALUES (?1, ?2, ?3)",
    [W_FIND_UNIT] = "SELECT id FROM units WHERE src_segment = ?1 AND tgt_segment = ?2",
    [W_FIND_OCCURRENCE] = "SELECT 1 FROM occurrences WHERE document = ?1 AND position = ?2",
    [W_INSERT_OCCURRENCE] =
        "INSERT INTO occurrences (document, unit, position, src_index, tgt_index, bead, score,"
        " tuid, creation_date, creation_id, change_date, change_id)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [W_INSERT_ANNOTATION] = "INSERT INTO annotations (document, position, seq, level, kind,"
                            " type, lang, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [W_INSERT_NEW_UNIT] = "INSERT INTO units (id, src_segment, tgt_segment, created_at)"
                          " VALUES (?1, ?2, ?3, ?4)",
    /* the id sqlite would give the next unit (AUTOINCREMENT: never one
     * used before, even if deleted since) */
    [W_NEXT_UNIT] = "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'units'),"
                    " 0), coalesce((SELECT max(id) FROM units), 0)) + 1",
};

/*
 * Ids of recently written segments by (lang, text), so that a text seen
 * again in the same transaction costs neither normalising nor a query.
 * Direct-mapped, a fixed number of slots holding short texts only: memory
 * does not grow with the file.  The cache lives inside one transaction, so
 * its ids are never stale.
 */
#define SEG_CACHE_SLOTS 8192
#define SEG_CACHE_TEXT 232

struct seg_slot {
    uint64_t h;   /* hash of lang NUL text; 0 = empty */
    long long id;
    size_t len;   /* of lang NUL text */
    char text[SEG_CACHE_TEXT];
};

/*
 * Which keys the segments table may hold: a Bloom filter (two bits per
 * key, in one word) of fixed size, so that a new text is inserted without
 * first looking for it.  It starts with the keys written in the transaction when
 * the table was empty; otherwise it is filled from the key index once an
 * import has looked up enough segments to pay for reading it.  A false
 * "maybe" only costs the look-up it would have done anyway.
 */
#define BLOOM_BITS (1u << 26) /* 8 MB */

/*
 * New segments are given their ids by the writer (it holds the write lock:
 * one above the largest) and inserted SEG_BATCH at a time by one multi-row
 * statement; a statement's fixed cost was a good part of an insert.  Every
 * look-up of the table flushes the batch first, so it never misses one.
 */
#define SEG_BATCH 32
#define SEG_COLS 7

/* Occurrences and annotations wait the same way, as rows of values whose
 * texts are kept in one buffer per table; nothing reads them back before
 * the commit (a position check flushes them first). */
#define ROW_BATCH 32

enum { V_NULL, V_INT, V_REAL, V_TEXT };

struct val {
    int type;
    long long i;
    double d;
    size_t off, len; /* V_TEXT: in the batch's text buffer */
};

struct rows {
    sqlite3_stmt *multi;  /* ROW_BATCH rows */
    int single;           /* write_sql index of the one-row insert */
    int cols;
    size_t n;             /* rows waiting */
    struct val *v;        /* ROW_BATCH * cols */
    sl__buf text;
};

struct seg_new {
    long long id, key, words;
    bool markup;
    char lang[SL_LANG_MAX];
    sl__buf text, norm;
};
#define BLOOM_AFTER_PROBES 65536
#define BLOOM_SCAN_RATIO 16 /* read at most this many keys per probe so far */

struct sl__tm_writer {
    sl_tm *tm;
    sqlite3_stmt *q[W_COUNT];
    struct seg_slot *cache;
    uint64_t *bloom;          /* NULL until it holds every key of the table */
    long long existing;       /* segments before the transaction (max id) */
    long long probes;         /* look-ups of segments by key */
    bool bloom_tried;
    bool fk_off;              /* foreign keys to turn on again */
    long long next_id;        /* id of the next new segment */
    struct seg_new batch[SEG_BATCH];
    size_t n_batch;
    sqlite3_stmt *batch_insert;
    /* A unit with a segment just made cannot be in the table yet: it is
     * new, gets its id from the writer and waits in a batch like the
     * occurrences.  Any other unit first flushes the batch, then goes
     * through INSERT OR IGNORE (and the next id follows the one it got). */
    struct rows units;
    long long next_unit;
    struct rows occs, annots;
    char now[21];
    bool in_transaction;
    /* The full-text index is filled once at the commit, not per segment by
     * its trigger (the trigger is dropped for the transaction and put back
     * from this text; sqlite's DDL is transactional, so a crash or rollback
     * leaves it as it was). */
    char *fts_trigger;
    long long fts_after; /* segments above this id are new in the transaction */
    /* The fuzzy index's postings of the new segments, gathered as they are
     * written (their tokens are counted for words anyway). */
    sl__fuzzy_builder *fuzzy;
    sl_error *err;
};

static const char *const level_names[] = {"tu", "src", "tgt"};

static sl_status rows_init(sl__tm_writer *w, struct rows *r, const char *head, int cols,
                           int single);
static void rows_free(struct rows *r);

static sl_status fail(sl__tm_writer *w, int rc)
{
    return sl__tm_db_error(w->tm, rc, "cannot store the units", w->err);
}

/* Bind helpers: NULL strings become SQL NULL. */
static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

/* Step a statement once; *row says whether it produced a row (and *id its
 * first column).  Resets it for reuse. */
static int step(sqlite3_stmt *st, bool *row, long long *id)
{
    int rc = sqlite3_step(st);
    if (row)
        *row = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW) {
        if (id)
            *id = sqlite3_column_int64(st, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

sl_status sl__tm_fts_defer(sl_tm *tm, char **trigger, long long *after, sl_error *err)
{
    *trigger = NULL;
    *after = 0;
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(tm,
                                 "SELECT sql, (SELECT coalesce(max(id), 0) FROM segments)"
                                 " FROM sqlite_schema WHERE type = 'trigger'"
                                 " AND name = 'segments_fts_insert'",
                                 &st, err);
    if (s != SL_OK)
        return s;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *sql = (const char *)sqlite3_column_text(st, 0);
        *after = sqlite3_column_int64(st, 1);
        if (sql && !(*trigger = sl__strdup(sql)))
            s = sl__nomem(err);
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE && *trigger)
        rc = sqlite3_exec(tm->db, "DROP TRIGGER segments_fts_insert", NULL, NULL, NULL);
    if (rc != SQLITE_DONE && rc != SQLITE_OK) {
        free(*trigger);
        *trigger = NULL;
        return sl__tm_db_error(tm, rc, "cannot store the units", err);
    }
    return s;
}

sl_status sl__tm_fts_restore(sl_tm *tm, char **trigger, long long after, sl_error *err)
{
    return sl__tm_fts_restore_with(tm, trigger, after, NULL, err);
}

sl_status sl__tm_fts_restore_with(sl_tm *tm, char **trigger, long long after,
                                  sl__fuzzy_builder *fb, sl_error *err)
{
    sl_status fs = fb ? sl__fuzzy_index_sync_with(tm, fb, err) : sl__fuzzy_index_sync(tm, err);
    if (fs != SL_OK)
        return fs;
    if (!*trigger)
        return SL_OK;
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(tm,
                                 "INSERT INTO segments_fts (rowid, norm)"
                                 " SELECT id, norm FROM segments WHERE id > ?1 ORDER BY id",
                                 &st, err);
    if (s != SL_OK)
        return s;
    int rc = sqlite3_bind_int64(st, 1, after);
    if (rc == SQLITE_OK)
        rc = step(st, NULL, NULL);
    sqlite3_finalize(st);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(tm->db, *trigger, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return sl__tm_db_error(tm, rc, "cannot index the new segments", err);
    free(*trigger);
    *trigger = NULL;
    return SL_OK;
}

sl_status sl__tm_writer_begin(sl_tm *tm, sl__tm_writer **out, sl_error *err)
{
    *out = NULL;
    if (!tm)
        return sl_error_set(err, SL_USAGE, "no translation memory given");
    if (tm->readonly)
        return sl_error_set(err, SL_USAGE, "%s: the translation memory is open read-only",
                            tm->path);
    sl__tm_writer *w = calloc(1, sizeof *w);
    if (w && !(w->cache = calloc(SEG_CACHE_SLOTS, sizeof *w->cache))) {
        free(w);
        w = NULL;
    }
    if (!w)
        return sl__nomem(err);
    w->tm = tm;
    w->err = err;
    sl__utc_now(w->now);
    sl_status s = SL_OK;
    /* Every id the writer stores it has just read or made inside its own
     * write transaction, so the references hold by construction; checking
     * them cost several B-tree look-ups per unit.  (A no-op pragma inside
     * a transaction, hence before BEGIN; _commit and _free turn them back
     * on.) */
    int rc = sqlite3_exec(tm->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        w->fk_off = true;
        rc = sqlite3_exec(tm->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK)
        s = sl__tm_db_error(tm, rc, "cannot start a transaction", err);
    else
        w->in_transaction = true;
    if (s == SL_OK)
        s = sl__tm_fts_defer(tm, &w->fts_trigger, &w->fts_after, err);
    if (s == SL_OK)
        s = sl__fuzzy_builder_new(tm, &w->fuzzy, err);
    sqlite3_stmt *st = NULL;
    if (s == SL_OK)
        s = sl__tm_prepare(tm, "SELECT coalesce(max(id), 0) FROM segments", &st, err);
    if (s == SL_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            w->existing = sqlite3_column_int64(st, 0);
        else
            s = sl__tm_db_error(tm, rc, "cannot read the segments", err);
    }
    sqlite3_finalize(st);
    w->next_id = w->existing + 1;
    if (s == SL_OK) {
        sl__buf sql = SL__BUF_INIT;
        /* OR FAIL: a failure stops the statement without undoing its rows,
         * so sqlite keeps no statement journal; the import fails anyway. */
        bool ok = sl__buf_puts(&sql, "INSERT OR FAIL INTO segments (id, lang, text, norm, key,"
                                     " words, markup) VALUES ");
        for (int i = 0; ok && i < SEG_BATCH; i++)
            ok = sl__buf_puts(&sql, i ? ", (?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?)");
        s = ok ? sl__tm_prepare(tm, sl__buf_cstr(&sql), &w->batch_insert, err) : sl__nomem(err);
        sl__buf_free(&sql);
    }
    if (s == SL_OK)
        s = rows_init(w, &w->units,
                      "INSERT OR FAIL INTO units (id, src_segment, tgt_segment, created_at) VALUES",
                      4, W_INSERT_NEW_UNIT);
    if (s == SL_OK)
        s = rows_init(w, &w->occs,
                      "INSERT OR FAIL INTO occurrences (document, unit, position, src_index,"
                      " tgt_index, bead, score, tuid, creation_date, creation_id, change_date,"
                      " change_id) VALUES",
                      12, W_INSERT_OCCURRENCE);
    if (s == SL_OK)
        s = rows_init(w, &w->annots,
                      "INSERT OR FAIL INTO annotations (document, position, seq, level, kind,"
                      " type, lang, value) VALUES",
                      8, W_INSERT_ANNOTATION);
    for (int i = 0; i < W_COUNT && s == SL_OK; i++)
        s = sl__tm_prepare(tm, write_sql[i], &w->q[i], err);
    if (s == SL_OK) {
        bool row = false;
        rc = step(w->q[W_NEXT_UNIT], &row, &w->next_unit);
        if (rc != SQLITE_OK || !row)
            s = sl__tm_db_error(tm, rc != SQLITE_OK ? rc : SQLITE_CORRUPT,
                                "cannot read the units", err);
    }
    if (s != SL_OK) {
        sl__tm_writer_free(w);
        return s;
    }
    *out = w;
    return SL_OK;
}

sl_status sl__tm_writer_document(sl__tm_writer *w, const sl__doc_in *d, long long *id,
                                 bool *existed)
{
    sqlite3_stmt *q = w->q[W_FIND_DOC];
    bool row = false;
    int rc = bind_text(q, 1, d->src_sha256);
    if (rc == SQLITE_OK)
        rc = bind_text(q, 2, d->tgt_sha256);
    if (rc == SQLITE_OK)
        rc = bind_text(q, 3, d->src_lang);
    if (rc == SQLITE_OK)
        rc = bind_text(q, 4, d->tgt_lang);
    if (rc == SQLITE_OK)
        rc = step(q, &row, id);
    if (rc != SQLITE_OK)
        return fail(w, rc);
    *existed = row;
    if (row)
        return SL_OK;
    q = w->q[W_INSERT_DOC];
    const char *v[9] = {d->src_path,   d->tgt_path,
                        d->src_lang,   d->tgt_lang,
                        d->src_sha256, d->tgt_sha256,
                        d->added_at ? d->added_at : w->now,
                        d->tool_version ? d->tool_version : sl_version(),
                        d->kind};
    for (int i = 0; i < 9 && rc == SQLITE_OK; i++)
        rc = bind_text(q, i + 1, v[i]);
    if (rc == SQLITE_OK)
        rc = step(q, NULL, NULL);
    if (rc != SQLITE_OK)
        return fail(w, rc);
    *id = sqlite3_last_insert_rowid(w->tm->db);
    return SL_OK;
}

uint64_t sl__segment_key_mask = UINT64_MAX;

/* Little-endian load, so that keys are the same on every machine that
 * reads the file. */
static uint64_t load64(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
           (uint64_t)p[7] << 56;
}

/* Final scrambling: every input bit reaches every output bit. */
static uint64_t avalanche(uint64_t x)
{
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93u;
    x ^= x >> 29;
    x *= 0xc2b2ae3d27d4eb4fu;
    x ^= x >> 32;
    return x;
}

static uint64_t hash64(const char *s, size_t n, uint64_t seed)
{
    const unsigned char *p = (const unsigned char *)s;
    uint64_t h = seed ^ ((uint64_t)n * 0x9e3779b97f4a7c15u);
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t w = load64(p) * 0xff51afd7ed558ccdu;
        w = (w << 31) | (w >> 33);
        h = (h ^ w) * 0x87c37b91114253d5u;
        h = (h << 27) | (h >> 37);
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < n; i++)
        tail |= (uint64_t)p[i] << (8 * i);
    h ^= tail * 0x4cf5ad432745937fu;
    return avalanche(h);
}

long long sl__segment_key(const char *norm, size_t n)
{
    uint64_t h = hash64(norm, n, 0x5eb2a1a5u) & sl__segment_key_mask;
    /* as the signed 64-bit integer sqlite stores, without overflow */
    return h <= INT64_MAX ? (long long)h : -(long long)(UINT64_MAX - h) - 1;
}

static struct seg_slot *cache_slot(sl__tm_writer *w, const char *lang, const char *text,
                                   size_t tlen, uint64_t *h, size_t *len)
{
    size_t ll = strlen(lang);
    *len = ll + 1 + tlen;
    *h = hash64(text, tlen, hash64(lang, ll, 1)) | 1; /* never 0: 0 marks an empty slot */
    return &w->cache[*h % SEG_CACHE_SLOTS];
}

static bool cache_find(const struct seg_slot *sl, uint64_t h, size_t len, const char *lang,
                       const char *text, long long *id)
{
    size_t ll = strlen(lang);
    if (sl->h != h || sl->len != len || memcmp(sl->text, lang, ll + 1) != 0 ||
        memcmp(sl->text + ll + 1, text, len - ll - 1) != 0)
        return false;
    *id = sl->id;
    return true;
}

static void cache_put(struct seg_slot *sl, uint64_t h, size_t len, const char *lang,
                      const char *text, long long id)
{
    if (len > SEG_CACHE_TEXT)
        return;
    size_t ll = strlen(lang);
    sl->h = h;
    sl->id = id;
    sl->len = len;
    memcpy(sl->text, lang, ll + 1);
    memcpy(sl->text + ll + 1, text, len - ll - 1);
}

/* Both bits of a key in one 64-bit word: one cache miss per test. */
static uint64_t bloom_bits(long long key, size_t *word)
{
    uint64_t h = avalanche((uint64_t)key);
    *word = (size_t)(h % (BLOOM_BITS / 64));
    return (uint64_t)1 << (h >> 58) | (uint64_t)1 << (h >> 52 & 63);
}

static void bloom_add(uint64_t *bloom, long long key)
{
    size_t word;
    uint64_t bits = bloom_bits(key, &word);
    bloom[word] |= bits;
}

static bool bloom_maybe(const uint64_t *bloom, long long key)
{
    size_t word;
    uint64_t bits = bloom_bits(key, &word);
    return (bloom[word] & bits) == bits;
}

static int bind_segment(sqlite3_stmt *q, int base, const struct seg_new *n)
{
    int rc = sqlite3_bind_int64(q, base + 1, n->id);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(q, base + 2, n->lang, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(q, base + 3, n->text.data, (int)n->text.len, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(q, base + 4, n->norm.data, (int)n->norm.len, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(q, base + 5, n->key);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(q, base + 6, n->words);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int(q, base + 7, n->markup ? 1 : 0);
    return rc;
}

/* Insert the new segments waiting in the batch. */
/* Bytes of fuzzy-index postings a writer gathers before it stores them
 * (inside its transaction); a variable so that tests can lower it. */
size_t sl__fuzzy_builder_max = (size_t)48 << 20;

static sl_status flush_segments(sl__tm_writer *w)
{
    int rc = SQLITE_OK;
    size_t i = 0;
    if (w->n_batch == SEG_BATCH) {
        for (; i < SEG_BATCH && rc == SQLITE_OK; i++)
            rc = bind_segment(w->batch_insert, (int)i * SEG_COLS, &w->batch[i]);
        if (rc == SQLITE_OK)
            rc = step(w->batch_insert, NULL, NULL);
    }
    for (; i < w->n_batch && rc == SQLITE_OK; i++) {
        rc = bind_segment(w->q[W_INSERT_SEGMENT], 0, &w->batch[i]);
        if (rc == SQLITE_OK)
            rc = step(w->q[W_INSERT_SEGMENT], NULL, NULL);
    }
    w->n_batch = 0;
    return rc == SQLITE_OK ? SL_OK : fail(w, rc);
}

static int bind_rows(sqlite3_stmt *q, struct rows *r, size_t from, size_t count)
{
    int rc = SQLITE_OK;
    for (size_t k = 0; k < count * (size_t)r->cols && rc == SQLITE_OK; k++) {
        const struct val *v = &r->v[from * (size_t)r->cols + k];
        int i = (int)(k + 1);
        switch (v->type) {
        case V_INT:
            rc = sqlite3_bind_int64(q, i, v->i);
            break;
        case V_REAL:
            rc = sqlite3_bind_double(q, i, v->d);
            break;
        case V_TEXT:
            rc = sqlite3_bind_text(q, i, r->text.data + v->off, (int)v->len, SQLITE_STATIC);
            break;
        default:
            rc = sqlite3_bind_null(q, i);
        }
    }
    return rc;
}

static sl_status flush_rows(sl__tm_writer *w, struct rows *r)
{
    int rc = SQLITE_OK;
    size_t i = 0;
    if (r->n == ROW_BATCH) {
        rc = bind_rows(r->multi, r, 0, ROW_BATCH);
        if (rc == SQLITE_OK)
            rc = step(r->multi, NULL, NULL);
        i = ROW_BATCH;
    }
    for (; i < r->n && rc == SQLITE_OK; i++) {
        rc = bind_rows(w->q[r->single], r, i, 1);
        if (rc == SQLITE_OK)
            rc = step(w->q[r->single], NULL, NULL);
    }
    r->n = 0;
    sl__buf_clear(&r->text);
    return rc == SQLITE_OK ? SL_OK : fail(w, rc);
}

/* Everything waiting, in an order that keeps references pointing back. */
static sl_status flush_all(sl__tm_writer *w)
{
    sl_status s = flush_segments(w);
    if (s == SL_OK)
        s = flush_rows(w, &w->units);
    if (s == SL_OK)
        s = flush_rows(w, &w->occs);
    if (s == SL_OK)
        s = flush_rows(w, &w->annots);
    return s;
}

static struct val *next_val(struct rows *r, size_t col)
{
    return &r->v[r->n * (size_t)r->cols + col];
}

static void put_int(struct rows *r, size_t col, long long x)
{
    *next_val(r, col) = (struct val){V_INT, x, 0, 0, 0};
}

static void put_real(struct rows *r, size_t col, double x)
{
    *next_val(r, col) = (struct val){V_REAL, 0, x, 0, 0};
}

static bool put_text(struct rows *r, size_t col, const char *t)
{
    if (!t) {
        *next_val(r, col) = (struct val){V_NULL, 0, 0, 0, 0};
        return true;
    }
    size_t n = strlen(t);
    *next_val(r, col) = (struct val){V_TEXT, 0, 0, r->text.len, n};
    return sl__buf_append(&r->text, t, n) || n == 0;
}

/* The row just filled is complete: flush when the batch is full. */
static sl_status end_row(sl__tm_writer *w, struct rows *r)
{
    return ++r->n == ROW_BATCH ? flush_rows(w, r) : SL_OK;
}

static sl_status rows_init(sl__tm_writer *w, struct rows *r, const char *head, int cols,
                           int single)
{
    r->cols = cols;
    r->single = single;
    r->v = calloc((size_t)ROW_BATCH * (size_t)cols, sizeof *r->v);
    sl__buf sql = SL__BUF_INIT;
    bool ok = r->v && sl__buf_puts(&sql, head);
    for (int i = 0; ok && i < ROW_BATCH; i++)
        for (int c = 0; ok && c < cols; c++)
            ok = sl__buf_puts(&sql, c == 0 ? (i ? ", (?" : " (?") : c == cols - 1 ? ", ?)" : ", ?");
    sl_status s = ok ? sl__tm_prepare(w->tm, sl__buf_cstr(&sql), &r->multi, w->err)
                     : sl__nomem(w->err);
    sl__buf_free(&sql);
    return s;
}

static void rows_free(struct rows *r)
{
    sqlite3_finalize(r->multi);
    free(r->v);
    sl__buf_free(&r->text);
}

/* Fill the filter with every key stored (the new ones of this transaction
 * included); on failure (memory) the writer just keeps looking up. */
static sl_status bloom_build(sl__tm_writer *w)
{
    w->bloom_tried = true;
    uint64_t *bloom = calloc(BLOOM_BITS / 64, sizeof *bloom);
    if (!bloom)
        return SL_OK;
    sl_status fs = flush_segments(w);
    if (fs != SL_OK) {
        free(bloom);
        return fs;
    }
    if (w->existing > 0) {
        sqlite3_stmt *st = NULL;
        sl_status s = sl__tm_prepare(w->tm, "SELECT key FROM segments", &st, w->err);
        if (s != SL_OK) {
            free(bloom);
            return s;
        }
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            bloom_add(bloom, sqlite3_column_int64(st, 0));
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            free(bloom);
            return fail(w, rc);
        }
    }
    w->bloom = bloom;
    return SL_OK;
}

/* Whether (lang, text) with this key may be stored already. */
static sl_status may_exist(sl__tm_writer *w, long long key, bool *maybe)
{
    if (!w->bloom && !w->bloom_tried &&
        (w->existing == 0 ||
         (w->probes >= BLOOM_AFTER_PROBES && w->existing <= w->probes * BLOOM_SCAN_RATIO))) {
        sl_status s = bloom_build(w);
        if (s != SL_OK)
            return s;
    }
    *maybe = !w->bloom || bloom_maybe(w->bloom, key);
    return SL_OK;
}

/* The id of (lang, text) in *id, stored if new (*created then true). */
static sl_status segment(sl__tm_writer *w, const char *lang, const char *text, const char *plain,
                         bool markup, long long *id, bool *created)
{
    *created = false;
    size_t tlen = strlen(text), len;
    uint64_t h;
    struct seg_slot *slot = cache_slot(w, lang, text, tlen, &h, &len);
    if (cache_find(slot, h, len, lang, text, id))
        return SL_OK;
    const char *src = plain ? plain : text;
    char *norm = sl__normalise(src, strlen(src));
    if (!norm)
        return sl__nomem(w->err);
    size_t nlen = strlen(norm);
    long long key = sl__segment_key(norm, nlen);
    bool maybe = true, row = false;
    sl_status s = may_exist(w, key, &maybe);
    if (s != SL_OK) {
        free(norm);
        return s;
    }
    sqlite3_stmt *q = w->q[W_FIND_SEGMENT];
    int rc = SQLITE_OK;
    if (maybe) {
        w->probes++;
        s = flush_segments(w);
        if (s != SL_OK) {
            free(norm);
            return s;
        }
        rc = bind_text(q, 1, lang);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_text(q, 2, text, (int)tlen, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(q, 3, key);
        if (rc == SQLITE_OK)
            rc = step(q, &row, id);
    }
    if (rc == SQLITE_OK && !row) {
        struct seg_new *n = &w->batch[w->n_batch];
        sl__buf_clear(&n->text);
        sl__buf_clear(&n->norm);
        if (strlen(lang) >= sizeof n->lang || !sl__buf_append(&n->text, text, tlen) ||
            !sl__buf_append(&n->norm, norm, nlen) || !sl__buf_cstr(&n->text) ||
            !sl__buf_cstr(&n->norm)) {
            free(norm);
            return strlen(lang) >= sizeof n->lang
                       ? sl_error_set(w->err, SL_LANG, "%s: language tag too long", lang)
                       : sl__nomem(w->err);
        }
        memcpy(n->lang, lang, strlen(lang) + 1);
        n->id = *id = w->next_id++;
        n->key = key;
        size_t words = 0;
        if (!sl__fuzzy_builder_add(w->fuzzy, n->id, lang, norm, nlen, &words)) {
            free(norm);
            return sl__nomem(w->err);
        }
        n->words = (long long)words;
        n->markup = markup;
        *created = true;
        if (w->bloom)
            bloom_add(w->bloom, key);
        if (++w->n_batch == SEG_BATCH)
            s = flush_segments(w);
        /* the postings wait in memory until the commit, but not without a
         * bound: a 1 GB TMX is read in constant memory */
        if (s == SL_OK && sl__fuzzy_builder_bytes(w->fuzzy) > sl__fuzzy_builder_max &&
            (s = flush_segments(w)) == SL_OK)
            s = sl__fuzzy_builder_store(w->tm, w->fuzzy, w->err);
    }
    free(norm);
    if (rc != SQLITE_OK)
        return fail(w, rc);
    if (s != SL_OK)
        return s;
    cache_put(slot, h, len, lang, text, *id);
    return SL_OK;
}

static sl_status store_occurrence(sl__tm_writer *w, const sl__unit_in *u, long long uid);

sl_status sl__tm_writer_unit(sl__tm_writer *w, const sl__unit_in *u, bool *is_new)
{
    sqlite3_stmt *q = w->q[W_FIND_OCCURRENCE];
    bool row = false;
    int rc = SQLITE_OK;
    if (!u->position_is_new) {
        sl_status fs = flush_rows(w, &w->occs);
        if (fs != SL_OK)
            return fs;
        rc = sqlite3_bind_int64(q, 1, u->document);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(q, 2, u->position);
        if (rc == SQLITE_OK)
            rc = step(q, &row, NULL);
        if (rc != SQLITE_OK)
            return fail(w, rc);
        if (row)
            return sl_error_set(w->err, SL_DATA,
                                "position %lld of document %lld is already stored", u->position,
                                u->document);
    }

    long long sid = 0, tid = 0, uid = 0;
    bool src_made = false, tgt_made = false;
    sl_status s = segment(w, u->src_lang, u->src_text, u->src_plain, u->src_markup, &sid,
                          &src_made);
    if (s == SL_OK)
        s = segment(w, u->tgt_lang, u->tgt_text, u->tgt_plain, u->tgt_markup, &tid, &tgt_made);
    /* with foreign keys on, a unit may only point to rows already there */
    if (s == SL_OK && !w->fk_off)
        s = flush_all(w);
    if (s != SL_OK)
        return s;
    if (src_made || tgt_made) {
        uid = w->next_unit++;
        *is_new = true;
        struct rows *r = &w->units;
        put_int(r, 0, uid);
        put_int(r, 1, sid);
        put_int(r, 2, tid);
        if (!put_text(r, 3, w->now))
            return sl__nomem(w->err);
        s = end_row(w, r);
        if (s != SL_OK)
            return s;
        return store_occurrence(w, u, uid);
    }
    s = flush_rows(w, &w->units);
    if (s != SL_OK)
        return s;
    q = w->q[W_INSERT_UNIT];
    rc = sqlite3_bind_int64(q, 1, sid);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(q, 2, tid);
    if (rc == SQLITE_OK)
        rc = bind_text(q, 3, w->now);
    if (rc == SQLITE_OK)
        rc = step(q, NULL, NULL);
    if (rc != SQLITE_OK)
        return fail(w, rc);
    /* AUTOINCREMENT spends an id on an ignored insert too */
    *is_new = sqlite3_changes(w->tm->db) > 0;
    w->next_unit++;
    if (*is_new) {
        uid = sqlite3_last_insert_rowid(w->tm->db);
        w->next_unit = uid + 1;
    } else {
        q = w->q[W_FIND_UNIT];
        rc = sqlite3_bind_int64(q, 1, sid);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(q, 2, tid);
        if (rc == SQLITE_OK)
            rc = step(q, &row, &uid);
        if (rc == SQLITE_OK && !row)
            rc = SQLITE_CORRUPT;
        if (rc != SQLITE_OK)
            return fail(w, rc);
    }
    return store_occurrence(w, u, uid);
}

/* The occurrence of unit uid described by u, and its annotations. */
static sl_status store_occurrence(sl__tm_writer *w, const sl__unit_in *u, long long uid)
{
    sl_status s;
    struct rows *r = &w->occs;
    put_int(r, 0, u->document);
    put_int(r, 1, uid);
    put_int(r, 2, u->position);
    put_int(r, 3, u->src_index);
    put_int(r, 4, u->tgt_index);
    bool ok = put_text(r, 5, u->bead ? u->bead : "1-1");
    put_real(r, 6, u->score);
    const char *meta[5] = {u->tuid, u->creation_date, u->creation_id, u->change_date,
                           u->change_id};
    for (int i = 0; i < 5 && ok; i++)
        ok = put_text(r, 7 + (size_t)i, meta[i]);
    if (!ok)
        return sl__nomem(w->err);
    s = end_row(w, r);
    r = &w->annots;
    for (size_t i = 0; i < u->n_annots && s == SL_OK; i++) {
        const sl__annot *a = &u->annots[i];
        put_int(r, 0, u->document);
        put_int(r, 1, u->position);
        put_int(r, 2, (long long)i);
        if (!put_text(r, 3, level_names[a->level]) || !put_text(r, 4, a->note ? "note" : "prop") ||
            !put_text(r, 5, a->note ? NULL : a->type) || !put_text(r, 6, a->lang) ||
            !put_text(r, 7, a->value))
            return sl__nomem(w->err);
        s = end_row(w, r);
    }
    /* with foreign keys on, each row must find what it points to */
    if (s == SL_OK && !w->fk_off)
        s = flush_all(w);
    return s;
}

sl_status sl__tm_writer_set_checksums(sl__tm_writer *w, long long id, const char *src_sha256,
                                      const char *tgt_sha256, bool *duplicate)
{
    sqlite3_stmt *st = NULL;
    *duplicate = false;
    sl_status s = sl__tm_prepare(w->tm,
                                 "SELECT count(*) FROM documents d, documents me"
                                 " WHERE me.id = ?1 AND d.id <> me.id AND d.src_sha256 = ?2"
                                 " AND d.tgt_sha256 = ?3 AND d.src_lang = me.src_lang"
                                 " AND d.tgt_lang = me.tgt_lang",
                                 &st, w->err);
    if (s != SL_OK)
        return s;
    int rc = sqlite3_bind_int64(st, 1, id);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 2, src_sha256);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 3, tgt_sha256);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *duplicate = sqlite3_column_int64(st, 0) > 0;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_OK && !*duplicate) {
        s = sl__tm_prepare(w->tm,
                           "UPDATE documents SET src_sha256 = ?2, tgt_sha256 = ?3 WHERE id = ?1",
                           &st, w->err);
        if (s != SL_OK)
            return s;
        rc = sqlite3_bind_int64(st, 1, id);
        if (rc == SQLITE_OK)
            rc = bind_text(st, 2, src_sha256);
        if (rc == SQLITE_OK)
            rc = bind_text(st, 3, tgt_sha256);
        if (rc == SQLITE_OK)
            rc = step(st, NULL, NULL);
        sqlite3_finalize(st);
    }
    return rc == SQLITE_OK ? SL_OK : fail(w, rc);
}

/* Outside a transaction this pragma cannot fail for want of a lock; and
 * after a commit, a failure must not make the stored file look lost. */
static void foreign_keys_on(sl__tm_writer *w)
{
    if (w->fk_off)
        sqlite3_exec(w->tm->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    w->fk_off = false;
}

sl_status sl__tm_writer_commit(sl__tm_writer *w)
{
    sl_status s = flush_all(w);
    if (s == SL_OK)
        s = sl__tm_fts_restore_with(w->tm, &w->fts_trigger, w->fts_after, w->fuzzy, w->err);
    if (s != SL_OK)
        return s;
    int rc = sqlite3_exec(w->tm->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return sl__tm_db_error(w->tm, rc, "cannot commit the units", w->err);
    w->in_transaction = false;
    foreign_keys_on(w);
    return SL_OK;
}

void sl__tm_writer_free(sl__tm_writer *w)
{
    if (!w)
        return;
    if (w->in_transaction && !sqlite3_get_autocommit(w->tm->db))
        sqlite3_exec(w->tm->db, "ROLLBACK", NULL, NULL, NULL);
    foreign_keys_on(w);
    for (int i = 0; i < W_COUNT; i++)
        sqlite3_finalize(w->q[i]);
    free(w->fts_trigger);
    sl__fuzzy_builder_free(w->fuzzy);
    free(w->cache);
    free(w->bloom);
    sqlite3_finalize(w->batch_insert);
    rows_free(&w->units);
    rows_free(&w->occs);
    rows_free(&w->annots);
    for (size_t i = 0; i < SEG_BATCH; i++) {
        sl__buf_free(&w->batch[i].text);
        sl__buf_free(&w->batch[i].norm);
    }
    free(w);
}

/* ---- reading back what import kept */

struct sl__extra_reader {
    sl_tm *tm;
    sqlite3_stmt *meta, *annots, *markup;
    /* Whether the TM holds any markup, TMX meta or annotations at all: a TM
     * built only from aligned pairs has none, and then the three queries per
     * unit are skipped.  Probed at the first read, inside the read
     * transaction of the caller's unit cursor, so the answer holds for it. */
    bool probed, any_markup, any_meta, any_annots;
    sl__annot *list;
    size_t *offsets; /* three per annotation: type, lang, value in strs */
    size_t n, cap;
    sl__buf strs;
};

sl_status sl__extra_reader_new(sl_tm *tm, sl__extra_reader **out, sl_error *err)
{
    *out = NULL;
    sl__extra_reader *r = calloc(1, sizeof *r);
    if (!r)
        return sl__nomem(err);
    r->tm = tm;
    /* Each detail from the earliest occurrence that has it. */
    sl_status s = sl__tm_prepare(
        tm,
        "SELECT (SELECT creation_date FROM occurrences WHERE unit = ?1 AND creation_date"
        "   IS NOT NULL ORDER BY document, position LIMIT 1),"
        " (SELECT creation_id FROM occurrences WHERE unit = ?1 AND creation_id"
        "   IS NOT NULL ORDER BY document, position LIMIT 1),"
        " (SELECT change_date FROM occurrences WHERE unit = ?1 AND change_date"
        "   IS NOT NULL ORDER BY document, position LIMIT 1),"
        " (SELECT change_id FROM occurrences WHERE unit = ?1 AND change_id"
        "   IS NOT NULL ORDER BY document, position LIMIT 1)",
        &r->meta, err);
    if (s == SL_OK)
        s = sl__tm_prepare(tm,
                           "SELECT s.markup, t.markup FROM units u"
                           " JOIN segments s ON s.id = u.src_segment"
                           " JOIN segments t ON t.id = u.tgt_segment WHERE u.id = ?1",
                           &r->markup, err);
    /* The same prop from several imports is written once. */
    if (s == SL_OK)
        s = sl__tm_prepare(tm,
                           "SELECT a.level, a.kind, a.type, a.lang, a.value FROM occurrences o"
                           " JOIN annotations a ON a.document = o.document"
                           "  AND a.position = o.position"
                           " WHERE o.unit = ?1"
                           " GROUP BY a.level, a.kind, a.type, a.lang, a.value"
                           " ORDER BY min(o.document * 1000000 + a.seq)",
                           &r->annots, err);
    if (s != SL_OK) {
        sl__extra_reader_free(r);
        return s;
    }
    *out = r;
    return SL_OK;
}

static const char *opt_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static sl_status probe_extras(sl__extra_reader *r, sl_error *err)
{
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(
        r->tm,
        "SELECT EXISTS (SELECT 1 FROM segments WHERE markup != 0),"
        " EXISTS (SELECT 1 FROM occurrences WHERE creation_date IS NOT NULL"
        "  OR creation_id IS NOT NULL OR change_date IS NOT NULL OR change_id IS NOT NULL),"
        " EXISTS (SELECT 1 FROM annotations)",
        &st, err);
    if (s != SL_OK)
        return s;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        r->any_markup = sqlite3_column_int(st, 0) != 0;
        r->any_meta = sqlite3_column_int(st, 1) != 0;
        r->any_annots = sqlite3_column_int(st, 2) != 0;
        r->probed = true;
    } else {
        s = sl__tm_db_error(r->tm, rc, "cannot read the unit's details", err);
    }
    sqlite3_finalize(st);
    return s;
}

sl_status sl__extra_read(sl__extra_reader *r, long long unit, sl__unit_extra *x,
                         const sl__annot **annots, size_t *n, sl_error *err)
{
    memset(x, 0, sizeof *x);
    *annots = NULL;
    *n = 0;
    sqlite3_reset(r->meta);
    sqlite3_reset(r->annots);
    sqlite3_reset(r->markup);
    r->n = 0;
    if (!r->probed) {
        sl_status s = probe_extras(r, err);
        if (s != SL_OK)
            return s;
    }
    int rc = SQLITE_OK;
    if (r->any_markup && (rc = sqlite3_bind_int64(r->markup, 1, unit)) == SQLITE_OK &&
        (rc = sqlite3_step(r->markup)) == SQLITE_ROW) {
        x->src_markup = sqlite3_column_int(r->markup, 0) != 0;
        x->tgt_markup = sqlite3_column_int(r->markup, 1) != 0;
        rc = SQLITE_OK;
    }
    if (rc == SQLITE_OK && r->any_meta &&
        (rc = sqlite3_bind_int64(r->meta, 1, unit)) == SQLITE_OK &&
        (rc = sqlite3_step(r->meta)) == SQLITE_ROW) {
        x->creation_date = opt_text(r->meta, 0);
        x->creation_id = opt_text(r->meta, 1);
        x->change_date = opt_text(r->meta, 2);
        x->change_id = opt_text(r->meta, 3);
        rc = SQLITE_OK;
    }
    if (rc == SQLITE_OK && r->any_annots)
        rc = sqlite3_bind_int64(r->annots, 1, unit);
    else if (rc == SQLITE_OK)
        rc = SQLITE_DONE;
    /* sqlite's strings die at the next step: copy them into one buffer and
     * point into it once it has stopped moving. */
    sl__buf_clear(&r->strs);
    while (rc == SQLITE_OK && (rc = sqlite3_step(r->annots)) == SQLITE_ROW) {
        if (r->n == r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 8;
            sl__annot *l = realloc(r->list, cap * sizeof *l);
            size_t *o = realloc(r->offsets, cap * 3 * sizeof *o);
            if (l)
                r->list = l;
            if (o)
                r->offsets = o;
            if (!l || !o)
                return sl__nomem(err);
            r->cap = cap;
        }
        sl__annot *a = &r->list[r->n];
        const char *level = opt_text(r->annots, 0);
        a->level = level && strcmp(level, "src") == 0   ? SL__LEVEL_SRC
                   : level && strcmp(level, "tgt") == 0 ? SL__LEVEL_TGT
                                                        : SL__LEVEL_TU;
        const char *kind = opt_text(r->annots, 1);
        a->note = kind && strcmp(kind, "note") == 0;
        for (int k = 0; k < 3; k++) {
            const char *t = opt_text(r->annots, 2 + k);
            if (!t && k == 2)
                t = "";
            r->offsets[r->n * 3 + k] = t ? r->strs.len : (size_t)-1;
            if (t && !sl__buf_append(&r->strs, t, strlen(t) + 1))
                return sl__nomem(err);
        }
        r->n++;
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_OK)
        return sl__tm_db_error(r->tm, rc, "cannot read the unit's details", err);
    for (size_t i = 0; i < r->n; i++) {
        const char **f[3] = {&r->list[i].type, &r->list[i].lang, &r->list[i].value};
        for (int k = 0; k < 3; k++) {
            size_t o = r->offsets[i * 3 + k];
            *f[k] = o == (size_t)-1 ? NULL : r->strs.data + o;
        }
    }
    *annots = r->list;
    *n = r->n;
    return SL_OK;
}

void sl__extra_reader_free(sl__extra_reader *r)
{
    if (!r)
        return;
    sqlite3_finalize(r->meta);
    sqlite3_finalize(r->annots);
    sqlite3_finalize(r->markup);
    free(r->list);
    free(r->offsets);
    sl__buf_free(&r->strs);
    free(r);
}

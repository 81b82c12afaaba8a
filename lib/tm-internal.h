#ifndef SELARAS_TM_INTERNAL_H
#define SELARAS_TM_INTERNAL_H

/* What tm.c and lookup.c (and the unit tests) share about the TM: not exported. */

#include "internal.h"
#include <sqlite3.h>
#include <stdint.h>

/* PRAGMA application_id of a selaras TM: 0x534c5253, "SLRS" in ASCII, so a
 * hex dump shows it.  Spelled in decimal because it is pasted into the PRAGMA
 * statement (PRAGMA values cannot be bound). */
#define SL__TM_APPLICATION_ID 1397510739

/* Page cache of every connection, as sqlite's negative kibibytes. */
#define SL__TM_CACHE_KB_NEG -65536

/* Page size of a new TM (an existing file keeps its own).  Larger pages
 * than sqlite's 4 kB mean fewer B-tree levels and page splits per row. */
#define SL__TM_PAGE_SIZE 16384

struct sl_tm {
    sqlite3 *db;
    char *path; /* as given to sl_tm_open, for messages */
    bool readonly;
};

/*
 * Turn an SQLite failure into an sl_error naming the TM file: "FILE: WHAT:
 * sqlite's message", or the locked message for SQLITE_BUSY/LOCKED.  rc is
 * the failing call's result code.  Returns the status set.
 */
sl_status sl__tm_db_error(const sl_tm *tm, int rc, const char *what, sl_error *err);

/* sqlite3_prepare_v2 with the error mapped by sl__tm_db_error. */
sl_status sl__tm_prepare(const sl_tm *tm, const char *sql, sqlite3_stmt **out, sl_error *err);
/* Set the connection's page cache and memory map for random reads (the
 * default) or for one pass over the whole TM (small and flat). */
sl_status sl__tm_read_mode(sl_tm *tm, bool one_pass, sl_error *err);

/*
 * The columns of an sl_unit, read by sl__tm_unit_from_row.  Callers append a
 * WHERE clause over the aliases u (units), s (source segment) and t (target
 * segment), and an ORDER BY.  The best occurrence is the highest score, then
 * the earliest document and bead; the document shown is the earliest one.
 */
#define SL__TM_UNIT_SELECT                                                                  \
    "SELECT u.id, s.lang, t.lang, s.text, t.text, b.score, b.bead, d.src_path, d.id,"       \
    " u.created_at, (SELECT count(*) FROM occurrences c WHERE c.unit = u.id)"               \
    " FROM units u"                                                                         \
    " JOIN segments s ON s.id = u.src_segment"                                              \
    " JOIN segments t ON t.id = u.tgt_segment"                                              \
    " LEFT JOIN occurrences b ON b.rowid = (SELECT o.rowid FROM occurrences o"              \
    "   WHERE o.unit = u.id ORDER BY o.score DESC, o.document, o.position LIMIT 1)"         \
    " LEFT JOIN documents d ON d.id = (SELECT min(o.document) FROM occurrences o"           \
    "   WHERE o.unit = u.id)"

/* Fill u from the current row of a SL__TM_UNIT_SELECT statement; the strings
 * are sqlite's and valid until the next step.  Missing values (a unit whose
 * documents were all deleted) become "" and 0, never NULL. */
/* Step st (its parameters bound; rc the status of binding them), calling fn
 * with each row read as by sl__tm_unit_from_row until fn returns non-zero;
 * finalizes st. */
sl_status sl__tm_step_units(sl_tm *tm, sqlite3_stmt *st, int rc, sl_unit_fn fn, void *data,
                            sl_error *err);
void sl__tm_unit_from_row(sqlite3_stmt *st, sl_unit *u);

/*
 * Tokens of a normalised text, as the fuzzy matcher compares them (see
 * lookup.c): runs of letters, digits and marks (with inner hyphens and
 * apostrophes) are words, every other non-space character is a token of
 * its own.  segments.words stores this count, so the length filter of the
 * lookup and the distance agree.
 */
typedef struct sl__token {
    const char *p;
    size_t n;
} sl__token;

/* *out is malloc'd (NULL when there are no tokens); free() it. */
sl_status sl__tokenise(const char *s, sl__token **out, size_t *count, sl_error *err);
size_t sl__token_count(const char *s);
/* The tokens of s[0, n) in one pass into *v, which grows as needed (*cap
 * entries; the caller frees it); false without memory. */
bool sl__tokenise_into(const char *s, size_t n, sl__token **v, size_t *cap, size_t *count);

/*
 * segments.key (schema 5): a 64-bit hash of the normalised text (norm, n
 * bytes; not of the language, so that a lookup in every language can use
 * it), stored as a signed integer.  Not unique: equal norms share it, and
 * so may, rarely, different ones; readers compare norm or text as well.
 * sl__segment_key_mask is a test hook: clearing bits forces collisions.
 */
long long sl__segment_key(const char *norm, size_t n);
extern uint64_t sl__segment_key_mask;

/*
 * Bulk writing for import, merge and the JSON-lines loader (tm-write.c): one
 * transaction (BEGIN IMMEDIATE) from sl__tm_writer_begin to
 * sl__tm_writer_commit; sl__tm_writer_free rolls back whatever was not
 * committed.  Segments and units are deduplicated as sl_tm_add does.
 */
typedef struct sl__tm_writer sl__tm_writer;

typedef struct sl__doc_in {
    const char *kind;                /* "pair", "tmx", "jsonl" */
    const char *src_path, *tgt_path;
    const char *src_lang, *tgt_lang; /* as stored: canonical, or "*all*" */
    const char *src_sha256, *tgt_sha256;
    const char *added_at;            /* NULL = now */
    const char *tool_version;        /* NULL = this version */
} sl__doc_in;

enum { SL__LEVEL_TU, SL__LEVEL_SRC, SL__LEVEL_TGT };

typedef struct sl__annot {
    int level;          /* SL__LEVEL_* */
    bool note;          /* a note, else a prop */
    const char *type;   /* prop type; NULL for notes */
    const char *lang;   /* xml:lang of the prop or note, or NULL */
    const char *value;
} sl__annot;

typedef struct sl__unit_in {
    long long document, position, src_index, tgt_index;
    const char *src_lang, *tgt_lang;  /* canonical */
    const char *src_text, *tgt_text;  /* as stored (TMX inline XML when *_markup) */
    const char *src_plain, *tgt_plain; /* the text matched on; NULL = the text itself */
    bool src_markup, tgt_markup;
    const char *bead;
    double score;
    const char *tuid, *creation_date, *creation_id, *change_date, *change_id; /* or NULL */
    const sl__annot *annots;
    size_t n_annots;
    bool position_is_new; /* the caller vouches that (document, position) is free */
} sl__unit_in;

sl_status sl__tm_writer_begin(sl_tm *tm, sl__tm_writer **out, sl_error *err);
/* Find the document by its key (checksums and languages) or insert it. */
sl_status sl__tm_writer_document(sl__tm_writer *w, const sl__doc_in *d, long long *id,
                                 bool *existed);
/* Store one unit with its occurrence; SL_DATA when the document already has
 * an occurrence at that position. */
sl_status sl__tm_writer_unit(sl__tm_writer *w, const sl__unit_in *u, bool *is_new);
/* Give a document its checksums once they are known (import hashes while it
 * reads); *duplicate when another document already has that key. */
sl_status sl__tm_writer_set_checksums(sl__tm_writer *w, long long id, const char *src_sha256,
                                      const char *tgt_sha256, bool *duplicate);
sl_status sl__tm_writer_commit(sl__tm_writer *w);
void sl__tm_writer_free(sl__tm_writer *w);

/* What export adds to a unit beyond sl_unit (tm-write.c): the TMX details
 * of its first occurrence that has them, and its props and notes. */
typedef struct sl__unit_extra {
    bool src_markup, tgt_markup;
    const char *creation_date, *creation_id, *change_date, *change_id; /* or NULL */
} sl__unit_extra;
typedef struct sl__extra_reader sl__extra_reader;
sl_status sl__extra_reader_new(sl_tm *tm, sl__extra_reader **out, sl_error *err);
/* Fill x and the distinct annotations of the unit (in document, then tu
 * order); everything stays valid until the next call. */
sl_status sl__extra_read(sl__extra_reader *r, long long unit, sl__unit_extra *x,
                         const sl__annot **annots, size_t *n, sl_error *err);
void sl__extra_reader_free(sl__extra_reader *r);

/*
 * The fuzzy index (fuzzy-index.c, schema 6).  sl__fuzzy_index_sync indexes
 * the segments above fuzzy_state.upto; every write path calls it inside its
 * transaction, before the commit.  sl__fuzzy_key writes the key of a token
 * (tok, n bytes) of a segment of ntokens tokens in lang: lang in lower case,
 * a tab, the token case folded, a NUL and sl__fuzzy_bucket(ntokens), which
 * is ntokens up to 8, then ranges of lengths growing by an eighth.
 * sl__fuzzy_varint_put encodes v at p (at most 10 bytes), returns its length.
 */
sl_status sl__fuzzy_index_sync(sl_tm *tm, sl_error *err);

/*
 * The postings of one write transaction's new segments, gathered while it
 * writes them rather than read back and tokenised again at the commit.
 * _new (inside the transaction, before any segment is written) reads the
 * segments not indexed yet; the writer then adds each segment it inserts,
 * in id order (_add sets *ntokens, the segment's token count), and hands
 * the builder to sl__fuzzy_index_sync_with, which stores the postings (it
 * must not see segments deleted or changed in between).
 */
typedef struct sl__fuzzy_builder sl__fuzzy_builder;
sl_status sl__fuzzy_builder_new(sl_tm *tm, sl__fuzzy_builder **out, sl_error *err);
bool sl__fuzzy_builder_add(sl__fuzzy_builder *fb, long long id, const char *lang,
                           const char *norm, size_t len, size_t *ntokens);
void sl__fuzzy_builder_free(sl__fuzzy_builder *fb);
sl_status sl__fuzzy_index_sync_with(sl_tm *tm, sl__fuzzy_builder *fb, sl_error *err);
/* Bytes the builder holds; _store writes what it holds (as the sync does)
 * and empties it, so that a long import keeps its memory bounded. */
size_t sl__fuzzy_builder_bytes(const sl__fuzzy_builder *fb);
sl_status sl__fuzzy_builder_store(sl_tm *tm, sl__fuzzy_builder *fb, sl_error *err);
/* The writer stores its builder when it holds more than this (48 MB). */
extern size_t sl__fuzzy_builder_max;
unsigned sl__fuzzy_bucket(size_t ntokens);
/* The shortest token count of a bucket. */
size_t sl__fuzzy_bucket_min(unsigned bucket);
bool sl__fuzzy_key(const char *lang, const char *tok, size_t n, size_t ntokens, sl__buf *out);
size_t sl__fuzzy_varint_put(unsigned char *p, unsigned long long v);

/* What one lookup did, for the benchmark and the tests of the index. */
typedef struct sl__lookup_counts {
    size_t postings;   /* posting-list entries read (fuzzy index or segments_fts) */
    size_t candidates; /* segments whose text was read */
    size_t scored;     /* segments whose percentage was computed */
    bool full_scan;    /* the index could not narrow the search */
} sl__lookup_counts;

/* sl_tm_lookup, also filling *counts (when not NULL). */
sl_status sl__tm_lookup_counted(sl_tm *tm, const char *query, const char *src_lang,
                                const char *tgt_lang, int min_percent, size_t limit,
                                sl_matches **out, sl__lookup_counts *counts, sl_error *err);

/* Inside a write transaction: drop the trigger that indexes each new segment
 * in segments_fts (its SQL kept in *trigger, NULL if there is none) and note
 * the highest segment id; _restore indexes the segments above it in one
 * statement and recreates the trigger.  sqlite's DDL is transactional, so a
 * rollback or a crash leaves trigger and index as they were. */
sl_status sl__tm_fts_defer(sl_tm *tm, char **trigger, long long *after, sl_error *err);
sl_status sl__tm_fts_restore(sl_tm *tm, char **trigger, long long after, sl_error *err);
/* The same, with the fuzzy index's postings gathered by the writer. */
sl_status sl__tm_fts_restore_with(sl_tm *tm, char **trigger, long long after,
                                  sl__fuzzy_builder *fb, sl_error *err);

#endif

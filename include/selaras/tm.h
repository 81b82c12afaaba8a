#ifndef SELARAS_TM_H
#define SELARAS_TM_H

/*
 * The translation memory: an SQLite database of document pairs, segments and
 * translation units (see README, "Translation memory schema").  All writes of
 * one call happen in one transaction: on error the database is unchanged.
 */

#include <stdbool.h>
#include <selaras/error.h>
#include <selaras/segment.h>
#include <selaras/align.h>
#include <selaras/lexicon.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_tm sl_tm;

enum {
    SL_TM_READONLY = 1 << 0, /* open for reading only; the file must exist */
    SL_TM_CREATE = 1 << 1,   /* create the file when it does not exist */
};

/*
 * Open (and with SL_TM_CREATE, create) a TM.  An existing file that is not a
 * selaras database, or has a newer schema, is refused with SL_SCHEMA and left
 * untouched.  An older schema is brought up to date, even by a read-only
 * open when the file is writable (one transaction); a read-only file with an
 * older schema is refused.  Close with sl_tm_close().  An sl_tm may be used by one thread
 * at a time (several threads: one sl_tm each).
 */
SL_EXTERN sl_status sl_tm_open(const char *path, int flags, sl_tm **out, sl_error *err);
SL_EXTERN void sl_tm_close(sl_tm *tm);

/* How long connections opened from now on wait for another process's write
 * lock before failing with "locked by another process" (default 60000 ms;
 * negative values count as 0).  Process-wide: call it before sl_tm_open. */
SL_EXTERN void sl_tm_set_busy_timeout(int milliseconds);

/* The schema version this library writes (PRAGMA user_version). */
SL_EXTERN int sl_tm_schema_version(void);

typedef struct sl_document {
    const char *src_path, *tgt_path;  /* as given by the user; stored for provenance */
    const char *src_lang, *tgt_lang;  /* canonical tags (sl_lang_canonical) */
    const char *src_text, *tgt_text;  /* the full texts, for the content checksums */
    size_t src_len, tgt_len;
} sl_document;

typedef struct sl_add_result {
    long long document_id;
    bool already_present;   /* the same pair of texts and languages was added before: nothing changed */
    size_t pairs;           /* beads with both sides */
    size_t units_new;       /* units created by this document */
    size_t units_existing;  /* pairs that matched an existing unit (now also credited to this document) */
} sl_add_result;

/*
 * Store the beads of an alignment that have both sides as translation units,
 * with the document pair as provenance, in one transaction.  Merged
 * sentences are joined with one space.
 */
SL_EXTERN sl_status sl_tm_add(sl_tm *tm, const sl_document *doc, const sl_sentences *src,
                              const sl_sentences *tgt, const sl_alignment *al,
                              sl_add_result *result, sl_error *err);

typedef struct sl_tm_stats {
    long long documents;
    long long units;
    long long segments;
} sl_tm_stats;

SL_EXTERN sl_status sl_tm_get_stats(sl_tm *tm, sl_tm_stats *stats, sl_error *err);

/* Called once per language pair; return non-zero to stop. */
typedef int (*sl_lang_pair_fn)(const char *src_lang, const char *tgt_lang, long long units,
                               void *data);
SL_EXTERN sl_status sl_tm_language_pairs(sl_tm *tm, sl_lang_pair_fn fn, void *data,
                                         sl_error *err);

/*
 * Succeed when the TM holds units of the pair src_lang -> tgt_lang (stored
 * either way round: lookup and export read both directions), or no
 * units at all; otherwise fail with SL_LANG and a message naming the pairs
 * it does hold (a lookup or export for that pair would find nothing).
 */
SL_EXTERN sl_status sl_tm_require_pair(sl_tm *tm, const char *src_lang, const char *tgt_lang,
                                       sl_error *err);

typedef struct sl_unit {
    long long id;
    const char *src_lang, *tgt_lang;
    const char *source, *target;
    double score;            /* best alignment score seen for this pair */
    const char *bead;        /* shape of that bead, e.g. "1-1", "2-1" */
    const char *document;    /* source file of the first document that yielded the unit */
    long long document_id;
    const char *created_at;  /* ISO 8601 UTC, e.g. "2026-11-24T17:10:26Z" */
    long long occurrences;   /* how many times document pairs produced this unit */
} sl_unit;

/*
 * Call fn for every unit (or only those of one language pair, when both
 * languages are given), in insertion order.  The strings are valid only
 * during the call.  Return non-zero from fn to stop; sl_tm_foreach_unit then
 * returns SL_OK.
 */
typedef int (*sl_unit_fn)(const sl_unit *unit, void *data);
SL_EXTERN sl_status sl_tm_foreach_unit(sl_tm *tm, const char *src_lang, const char *tgt_lang,
                                       sl_unit_fn fn, void *data, sl_error *err);

typedef struct sl_match {
    int percent;             /* 100 = exact after normalisation; fuzzy matches are at most 99 */
    sl_unit unit;            /* source is the side that matched the query */
    bool reversed;           /* the unit was stored the other way round (query = its target) */
} sl_match;

typedef struct sl_matches sl_matches;

/*
 * Look a sentence up: the exact match first (NFC, whitespace collapsed),
 * then fuzzy matches with percent >= min_percent, best first, at most limit
 * in all (0 = no limit).  src_lang is the query's language and tgt_lang the
 * translations' (NULL = any); with src_lang given, units stored in the other
 * direction are found too (reported with source and target swapped).
 * Free the result with sl_matches_free().
 */
SL_EXTERN sl_status sl_tm_lookup(sl_tm *tm, const char *query, const char *src_lang,
                                 const char *tgt_lang, int min_percent, size_t limit,
                                 sl_matches **out, sl_error *err);
SL_EXTERN size_t sl_matches_count(const sl_matches *m);
SL_EXTERN const sl_match *sl_matches_get(const sl_matches *m, size_t i);
SL_EXTERN void sl_matches_free(sl_matches *m);

/* A highlighted stretch of text: byte offsets [start, end) in UTF-8. */
typedef struct sl_span {
    size_t start, end;
} sl_span;

enum {
    SL_CONCORDANCE_TARGET = 1 << 0, /* search the target side (text is in tgt_lang) */
    SL_CONCORDANCE_WORDS = 1 << 1,  /* every word anywhere, not the phrase */
};

/*
 * Concordance: units whose source (with SL_CONCORDANCE_TARGET: target)
 * contains the phrase (or with SL_CONCORDANCE_WORDS: all its words),
 * case-insensitively, through the full-text index; in either stored
 * direction, at most limit (0 = all), in the order the segments were
 * stored.  percent is 0; the matched side is given in its normalised form,
 * and sl_matches_spans() gives the highlighted stretches in it.
 */
SL_EXTERN sl_status sl_tm_concordance(sl_tm *tm, const char *text, const char *src_lang,
                                      const char *tgt_lang, int flags, size_t limit,
                                      sl_matches **out, sl_error *err);
/* Highlights of match i (concordance only; 0 for lookups). */
SL_EXTERN size_t sl_matches_spans(const sl_matches *m, size_t i, const sl_span **spans);

/*
 * Fuzzy match percentage of two sentences: word-level Levenshtein similarity,
 * 100 * (1 - distance / max(words a, words b)), rounded down; a word that
 * differs only in case costs half.  100 only when the normalised texts are
 * identical, else at most 99.
 */
SL_EXTERN int sl_match_percent(const char *a, const char *b);

/*
 * Analysis of new texts against the TM, by the match bands that quotes are
 * priced by.  Every sentence is looked up (best match, 50% or more) and
 * counted in one band:
 *   SL_BAND_CONTEXT     100% and its neighbouring sentences in the same text
 *                       (the one before and the one after, where they exist,
 *                       at least one) are 100% too ("101%")
 *   SL_BAND_EXACT       100%
 *   SL_BAND_REPETITION  below 100%, and the same normalised sentence came
 *                       earlier in the batch (any text)
 *   SL_BAND_95, _85, _75, _50   95-99%, 85-94%, 75-84%, 50-74%
 *   SL_BAND_NONE        no match of 50% or more
 * Words are counted the same way in every band: sl_word_count().
 */
enum {
    SL_BAND_CONTEXT,
    SL_BAND_EXACT,
    SL_BAND_REPETITION,
    SL_BAND_95,
    SL_BAND_85,
    SL_BAND_75,
    SL_BAND_50,
    SL_BAND_NONE,
    SL_BAND_COUNT
};
/* "101%", "100%", "repetition", "95-99%", ... */
SL_EXTERN const char *sl_band_name(int band);

typedef struct sl_band_totals {
    size_t segments[SL_BAND_COUNT];
    size_t words[SL_BAND_COUNT];
} sl_band_totals;

typedef struct sl_analysis sl_analysis;
SL_EXTERN sl_status sl_analysis_new(sl_tm *tm, const char *src_lang, const char *tgt_lang,
                                    sl_analysis **out, sl_error *err);
/* Analyse one text's sentences; its totals are then sl_analysis_file(a, n)
 * for the n-th text added (from 0). */
SL_EXTERN sl_status sl_analysis_add(sl_analysis *a, const sl_sentences *s, sl_error *err);
SL_EXTERN size_t sl_analysis_files(const sl_analysis *a);
SL_EXTERN const sl_band_totals *sl_analysis_file(const sl_analysis *a, size_t i);
SL_EXTERN const sl_band_totals *sl_analysis_total(const sl_analysis *a);
SL_EXTERN void sl_analysis_free(sl_analysis *a);

/* Words of a text as the analysis counts them: the matcher's word tokens
 * (runs of letters, digits and marks, with inner hyphens and apostrophes),
 * punctuation and symbols not counted. */
SL_EXTERN size_t sl_word_count(const char *text);

/* ---- document pairs: listing, deleting, merging TMs */

typedef struct sl_doc_info {
    long long id;
    const char *kind;                 /* "pair" (add), "tmx" (import), "jsonl" */
    const char *src_path, *tgt_path;  /* for a TMX file both are its name */
    const char *src_lang, *tgt_lang;  /* "*all*" for a TMX imported without a pair choice */
    const char *src_sha256, *tgt_sha256;
    const char *added_at, *tool_version;
    long long occurrences;            /* units this document yielded (with repeats) */
} sl_doc_info;

/* Call fn for every document in id order; strings valid during the call. */
typedef int (*sl_doc_fn)(const sl_doc_info *doc, void *data);
SL_EXTERN sl_status sl_tm_foreach_document(sl_tm *tm, sl_doc_fn fn, void *data, sl_error *err);

typedef struct sl_delete_result {
    size_t occurrences;      /* occurrences removed */
    size_t units_removed;    /* units no other document yielded */
    size_t units_kept;       /* units another document also yielded */
    size_t segments_removed; /* segments no unit uses any more */
} sl_delete_result;

/* Remove a document and, in the same transaction, its units unless another
 * document also yielded them.  SL_NOTFOUND when there is no such document. */
SL_EXTERN sl_status sl_tm_delete_document(sl_tm *tm, long long id, sl_delete_result *result,
                                          sl_error *err);

typedef struct sl_merge_result {
    size_t documents_new, documents_existing; /* existing: the same key was already in out */
    size_t pairs, units_new, units_existing;
} sl_merge_result;

/* Copy every document of the TMs at paths (opened read-only) into out with
 * its units, provenance, TMX details, props and notes, deduplicated as add
 * and import are, in one transaction. */
SL_EXTERN sl_status sl_tm_merge(sl_tm *out, const char *const *paths, size_t n,
                                sl_merge_result *result, sl_error *err);

typedef struct sl_dict_import_result {
    size_t pairs_read; /* word pairs in the file */
    size_t pairs_new;  /* of those, not in the TM before */
    bool dictd;        /* the file was a dictd database */
} sl_dict_import_result;

/*
 * Import a bilingual dictionary into the TM, in one transaction: a TSV file
 * (source<TAB>target per line, '#' comment lines) or a dictd database named
 * by its .index, .dict or .dict.dz file (FreeDict layout: the line after the
 * headword and numbered senses hold comma-separated translations).
 * src_lang is the language of the source words (a dictd headword).
 */
SL_EXTERN sl_status sl_tm_dict_import(sl_tm *tm, const char *path, const char *src_lang,
                                      const char *tgt_lang, sl_dict_import_result *result,
                                      sl_error *err);

/*
 * The TM's word translations from src_lang to tgt_lang, for sl_align_with():
 * imported dictionaries in either direction and learned associations
 * (sl_tm_learn()).  datadir as for sl_lexicon_new().  Free with
 * sl_lexicon_free(); it may be empty.
 */
SL_EXTERN sl_status sl_tm_lexicon(sl_tm *tm, const char *src_lang, const char *tgt_lang,
                                  const char *datadir, sl_lexicon **out, sl_error *err);

typedef struct sl_learn_options {
    double min_score;     /* units whose best score is at least this */
    unsigned min_pairs;   /* a word pair must co-occur in this many units */
    double min_dice;      /* and have at least this Dice coefficient */
    unsigned max_per_word; /* and be among the best this many of both its words */
} sl_learn_options;

typedef struct sl_learn_result {
    size_t units;        /* units learned from */
    size_t associations; /* word pairs stored */
} sl_learn_result;

/*
 * Learn word translations from the TM's own units of a language pair: Dice
 * co-occurrence, 2 c(s,t) / (c(s) + c(t)), over the units scoring at least
 * min_score, stored in word_associations (replacing what an earlier run
 * learned for the pair) in one transaction.  sl_tm_lexicon() then serves
 * them to the aligner.  options NULL: {0.5, 3, 0.3, 2}.
 */
SL_EXTERN sl_status sl_tm_learn(sl_tm *tm, const char *src_lang, const char *tgt_lang,
                                const sl_learn_options *options, sl_learn_result *result,
                                sl_error *err);

#ifdef __cplusplus
}
#endif
#endif

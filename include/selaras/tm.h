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
 * untouched.  Close with sl_tm_close().  An sl_tm may be used by one thread
 * at a time (several threads: one sl_tm each).
 */
SL_EXTERN sl_status sl_tm_open(const char *path, int flags, sl_tm **out, sl_error *err);
SL_EXTERN void sl_tm_close(sl_tm *tm);

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

#ifdef __cplusplus
}
#endif
#endif

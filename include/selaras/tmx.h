#ifndef SELARAS_TMX_H
#define SELARAS_TMX_H

/*
 * TMX 1.4b export through libxml2's streaming writer, and import of TMX
 * 1.1-1.4 (and of JSON lines) through a streaming reader.
 */

#include <stdbool.h>
#include <selaras/error.h>
#include <selaras/tm.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_tmx_options {
    /* Export one pair in this direction: units stored the other way round
     * (tgt_lang -> src_lang) are written with their sides swapped.  Both
     * NULL = every unit, as stored. */
    const char *src_lang, *tgt_lang;
    bool no_provenance;  /* omit the x- props */
    double min_score;    /* only units whose best alignment score is >= this (0 = all) */
    long long document;  /* only units that occur in this document id (0 = all) */
    const char *since;   /* only units created at or after this UTC time: YYYY-MM-DD,
                            YYYY-MM-DDThh:mm:ssZ or YYYYMMDDThhmmssZ (NULL = all) */
    bool sanitize;       /* drop characters XML forbids (and count them) instead of failing */
} sl_tmx_options;

/* What an export did. */
typedef struct sl_tmx_report {
    size_t units;           /* units written */
    size_t units_sanitized; /* units from which --sanitize dropped characters */
    size_t chars_dropped;   /* characters dropped in all */
    size_t units_skipped;   /* units left out because a side had no text left */
} sl_tmx_report;

/*
 * Write the TM as TMX 1.4b to path ("-" = standard output).  A file is
 * written to a temporary name in the same directory, synced and renamed, so
 * an interrupted export never leaves a partial file under path.  opt may be
 * NULL.  *units_written (may be NULL) receives the number of units.
 *
 * Every text is checked before it is written: a character XML forbids
 * (controls other than tab, CR, LF; U+FFFE, U+FFFF; lone surrogates) fails
 * the export with a message naming the unit, unless opt->sanitize is set;
 * texts are trimmed and written in NFC; language tags are written lower
 * case with hyphens.
 */
SL_EXTERN sl_status sl_tmx_export(sl_tm *tm, const char *path, const sl_tmx_options *opt,
                                  size_t *units_written, sl_error *err);

/* sl_tmx_export, with the counts of what was written, dropped and skipped
 * (report may be NULL). */
SL_EXTERN sl_status sl_tmx_export_report(sl_tm *tm, const char *path, const sl_tmx_options *opt,
                                         sl_tmx_report *report, sl_error *err);

/*
 * Parse a date as --since takes it (see sl_tmx_options.since) into the
 * form the TM stores, "YYYY-MM-DDThh:mm:ssZ"; out holds at least 21 bytes.
 */
SL_EXTERN sl_status sl_tmx_parse_date(const char *date, char out[21], sl_error *err);

typedef struct sl_import_options {
    /* The pair to take (canonical tags, either direction).  NULL source: the
     * tu's srclang (else the header's; "*all*" = the first tuv).  NULL
     * target: every other language of the tu. */
    const char *src_lang, *tgt_lang;
    bool skip_bad; /* store the good units of a file with bad ones */
} sl_import_options;

typedef struct sl_import_result {
    long long document_id;
    bool already_present;   /* this file (same bytes, same pair choice) was imported before */
    size_t read;            /* tu elements (TMX) or lines (JSON lines) read */
    size_t pairs;           /* source/target pairs stored */
    size_t units_new;       /* of which new units */
    size_t units_existing;  /* of which already in the TM (now credited to this file too) */
    size_t skipped;         /* bad units left out (skip_bad) */
    size_t no_pair;         /* units without the language pair or with an empty side */
    size_t known;           /* JSON lines of documents already in the TM (not stored again) */
} sl_import_result;

/* Called with one line per bad unit ("FILE:LINE: what is wrong"). */
typedef void (*sl_report_fn)(const char *message, void *data);

/*
 * Import a TMX file ("-" = standard input) in one transaction.  The file is
 * a document of the TM, identified by its SHA-256 and the pair chosen, so
 * importing it again adds nothing.  A bad unit fails the whole file
 * (SL_DATA, nothing stored) unless opt->skip_bad; it is also passed to
 * report (may be NULL).  Props, notes, tuid, creationdate, creationid,
 * changedate, changeid and inline markup are kept.
 */
SL_EXTERN sl_status sl_tmx_import(sl_tm *tm, const char *path, const sl_import_options *opt,
                                  sl_report_fn report, void *data, sl_import_result *result,
                                  sl_error *err);

/*
 * Import the JSON lines of `selaras align --jsonl` ("-" = standard input):
 * {"id":DOC,"src":..,"tgt":..} with optional score, bead, src_lang,
 * tgt_lang (default opt's, else id and en) and position.  Each id is a
 * document (kind "jsonl"); an id already in the TM is skipped.  Bad lines
 * are reported and skipped; the rest is stored in one transaction, and the
 * call returns SL_DATA when a line was bad.
 */
SL_EXTERN sl_status sl_jsonl_import(sl_tm *tm, const char *path, const sl_import_options *opt,
                                    sl_report_fn report, void *data, sl_import_result *result,
                                    sl_error *err);

#ifdef __cplusplus
}
#endif
#endif

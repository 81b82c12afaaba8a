#ifndef SELARAS_TMX_H
#define SELARAS_TMX_H

/*
 * TMX 1.4b export through libxml2's streaming writer.
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

#ifdef __cplusplus
}
#endif
#endif

#ifndef SELARAS_REVIEW_H
#define SELARAS_REVIEW_H

/*
 * The review page: one self-contained HTML file (no scripts, no network
 * resources) that shows an alignment as a table, one row per bead, source
 * and target side by side, with the bead shape and score, low-confidence and
 * unpaired rows highlighted, paragraph breaks marked, and a summary (counts
 * per bead shape, a score histogram as inline SVG) at the top.
 */

#include <stdbool.h>
#include <stdio.h>
#include <selaras/error.h>
#include <selaras/segment.h>
#include <selaras/align.h>
#include <selaras/tm.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Rows whose score is below this are highlighted unless told otherwise. */
#define SL_REVIEW_LOW_SCORE 0.3

typedef struct sl_review_options {
    double low_score;            /* highlight paired beads scoring below this (0-1) */
    const char *title;           /* NULL: "Alignment review" */
    const char *src_name, *tgt_name; /* shown in the header and column heads; may be NULL */
    const char *src_lang, *tgt_lang; /* set as the lang of the text cells; may be NULL */
} sl_review_options;

/* Options with every field at its default (low_score = SL_REVIEW_LOW_SCORE). */
SL_EXTERN sl_review_options sl_review_defaults(void);

typedef struct sl_review sl_review;

/* opt may be NULL (the defaults).  The strings are copied.  Free with sl_review_free(). */
SL_EXTERN sl_status sl_review_new(const sl_review_options *opt, sl_review **out, sl_error *err);
SL_EXTERN void sl_review_free(sl_review *r);

/* Add the beads of an alignment of src and tgt (all of them, 1-0 and 0-1 too). */
SL_EXTERN sl_status sl_review_add_alignment(sl_review *r, const sl_sentences *src,
                                            const sl_sentences *tgt, const sl_alignment *al,
                                            sl_error *err);

/*
 * Add the beads of document doc_id of a TM.  The TM stores the beads with
 * both sides; when the document's files are still where they were added
 * from, with the same checksums, and segment into the sentences the TM
 * recorded, they supply the unpaired sentences and the paragraph breaks.
 * Otherwise unpaired sentences are shown by number only, and the page says
 * why.  The names and languages of the page default to the document's.
 * SL_NOTFOUND when the TM has no such document.
 */
SL_EXTERN sl_status sl_review_add_tm_document(sl_review *r, sl_tm *tm, long long doc_id,
                                              sl_error *err);

/* Write the page to f; name is used in error messages. */
SL_EXTERN sl_status sl_review_write(const sl_review *r, FILE *f, const char *name,
                                    sl_error *err);

/* Write the page to a file that appears complete or not at all (written
 * under a temporary name beside it, synced and renamed). */
SL_EXTERN sl_status sl_review_write_file(const sl_review *r, const char *path, sl_error *err);

#ifdef __cplusplus
}
#endif
#endif

#ifndef SELARAS_ALIGN_H
#define SELARAS_ALIGN_H

/*
 * Sentence alignment: two sentence lists in, a sequence of beads out.  A
 * bead pairs src_count consecutive source sentences starting at src_start
 * with tgt_count target sentences starting at tgt_start (a count may be 0:
 * an unmatched sentence).  Beads are in order and cover every sentence of
 * both sides exactly once.
 */

#include <selaras/error.h>
#include <selaras/segment.h>
#include <selaras/lexicon.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_bead {
    size_t src_start, src_count;
    size_t tgt_start, tgt_count;
    double score; /* confidence in [0,1] that the bead is a correct pair; 0 when a side is empty */
} sl_bead;

typedef struct sl_alignment sl_alignment;

SL_EXTERN sl_status sl_align(const sl_sentences *src, const sl_sentences *tgt,
                             sl_alignment **out, sl_error *err);
/* What sl_align_with() may use besides the sentences; all-zero means
 * what sl_align() does. */
typedef struct sl_align_options {
    const sl_lexicon *lexicon; /* word translations as evidence; NULL for none */
    bool check_related;        /* refuse texts that cannot be translations of each
                                  other with SL_UNRELATED instead of aligning them */
} sl_align_options;

/* sl_align() with options (opt NULL: the defaults). */
SL_EXTERN sl_status sl_align_with(const sl_sentences *src, const sl_sentences *tgt,
                                  const sl_align_options *opt, sl_alignment **out,
                                  sl_error *err);
/*
 * A copy of an alignment in which every bead with both sides scoring below
 * min_score is split into unmatched sentences (1-0 beads, then 0-1 beads),
 * so that the beads still cover both sides.  Free with sl_alignment_free().
 */
SL_EXTERN sl_status sl_alignment_filter(const sl_alignment *a, double min_score,
                                        sl_alignment **out, sl_error *err);
SL_EXTERN void sl_alignment_free(sl_alignment *a);
SL_EXTERN size_t sl_alignment_count(const sl_alignment *a);
/* Bead i; valid until the alignment is freed. */
SL_EXTERN const sl_bead *sl_alignment_bead(const sl_alignment *a, size_t i);

#ifdef __cplusplus
}
#endif
#endif

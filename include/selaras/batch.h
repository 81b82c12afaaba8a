#ifndef SELARAS_BATCH_H
#define SELARAS_BATCH_H

/*
 * Building a TM from many document pairs: a pipeline that keeps its two
 * segmenters across documents, and lists of pairs found in a directory or
 * read from a list file.
 */

#include <stdbool.h>
#include <selaras/error.h>
#include <selaras/segment.h>
#include <selaras/align.h>
#include <selaras/tm.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_pipeline sl_pipeline;

/*
 * Segmenters for one language pair (tags are canonicalised; datadir as for
 * sl_segmenter_new).  Free with sl_pipeline_free().
 */
SL_EXTERN sl_status sl_pipeline_new(const char *src_lang, const char *tgt_lang,
                                    const char *datadir, sl_pipeline **out, sl_error *err);

/* How a pipeline segments and aligns (all zero: as sl_pipeline_new). */
typedef struct sl_pipeline_options {
    const char *srx;          /* SRX 2.0 rules for both segmenters, read once (NULL: built-in) */
    bool presegmented;        /* the texts hold one sentence per line: not segmented */
    const sl_lexicon *lexicon; /* word translations for the aligner; must outlive the pipeline */
    bool check_related;       /* refuse texts that cannot be translations of each other
                                 (SL_UNRELATED) instead of aligning them */
    double min_score;         /* split beads scoring below this into unmatched sentences */
} sl_pipeline_options;

/* sl_pipeline_new with options (opt NULL: the defaults). */
SL_EXTERN sl_status sl_pipeline_new_with(const char *src_lang, const char *tgt_lang,
                                         const char *datadir, const sl_pipeline_options *opt,
                                         sl_pipeline **out, sl_error *err);
/* Replace the pipeline's lexicon (NULL: none); it must outlive the pipeline. */
SL_EXTERN void sl_pipeline_set_lexicon(sl_pipeline *p, const sl_lexicon *lexicon);
SL_EXTERN void sl_pipeline_free(sl_pipeline *p);
/* The canonical language tags of the pipeline. */
SL_EXTERN const char *sl_pipeline_src_lang(const sl_pipeline *p);
SL_EXTERN const char *sl_pipeline_tgt_lang(const sl_pipeline *p);

/*
 * Segment two texts and align them, as the pipeline's options say.  A side
 * without any sentence is refused (SL_EMPTY).  On success the caller owns
 * the three results; on failure they are NULL.
 */
SL_EXTERN sl_status sl_pipeline_align(sl_pipeline *p, const char *src, size_t src_len,
                                      const char *tgt, size_t tgt_len, sl_sentences **src_out,
                                      sl_sentences **tgt_out, sl_alignment **al_out,
                                      sl_error *err);

/*
 * Read two files (sl_text_read_file), segment, align and store the pair with
 * sl_tm_add: one transaction, and nothing changes on error or when the same
 * texts were added before (result->already_present).
 */
SL_EXTERN sl_status sl_pipeline_add_files(sl_pipeline *p, sl_tm *tm, const char *src_path,
                                          const char *tgt_path, sl_add_result *result,
                                          sl_error *err);

typedef struct sl_pair_list sl_pair_list;

SL_EXTERN sl_status sl_pair_list_new(sl_pair_list **out, sl_error *err);
SL_EXTERN void sl_pair_list_free(sl_pair_list *l);

enum {
    SL_PAIRS_RECURSIVE = 1 << 0, /* also the subdirectories (not hidden ones, not links) */
};

/*
 * Append the pairs of a directory: NAME + src_suffix with NAME + tgt_suffix,
 * regular files (or links to them) in the same directory, in byte order of
 * their paths.  A file that ends in one suffix but has no partner is
 * recorded as unpaired; other files are ignored.  When a name ends in both
 * suffixes, the longer suffix decides its side.  The suffixes must differ.
 * flags: 0 or SL_PAIRS_RECURSIVE.
 */
SL_EXTERN sl_status sl_pair_list_scan_dir(sl_pair_list *l, const char *dir,
                                          const char *src_suffix, const char *tgt_suffix,
                                          int flags, sl_error *err);

/*
 * Append the pairs of a list file ("-" reads standard input): one
 * SRC<TAB>TGT per line; blank lines and lines starting with '#' are
 * skipped; relative paths are taken relative to the list file's directory.
 * A malformed line is recorded (sl_pair_list_bad) and the rest is read; only
 * an unreadable list is an error.
 */
SL_EXTERN sl_status sl_pair_list_read_tsv(sl_pair_list *l, const char *path, sl_error *err);

SL_EXTERN size_t sl_pair_list_count(const sl_pair_list *l);
SL_EXTERN const char *sl_pair_list_src(const sl_pair_list *l, size_t i);
SL_EXTERN const char *sl_pair_list_tgt(const sl_pair_list *l, size_t i);
/* Files without a partner, as paths. */
SL_EXTERN size_t sl_pair_list_unpaired_count(const sl_pair_list *l);
SL_EXTERN const char *sl_pair_list_unpaired(const sl_pair_list *l, size_t i);
/* Malformed list lines, as messages "LIST:LINE: what is wrong". */
SL_EXTERN size_t sl_pair_list_bad_count(const sl_pair_list *l);
SL_EXTERN const char *sl_pair_list_bad(const sl_pair_list *l, size_t i);

#ifdef __cplusplus
}
#endif
#endif

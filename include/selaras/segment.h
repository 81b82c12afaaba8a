#ifndef SELARAS_SEGMENT_H
#define SELARAS_SEGMENT_H

/*
 * Sentence segmentation.  Text goes in as UTF-8; what comes out is an
 * sl_sentences list: each sentence with its byte span in the input, its
 * trimmed text and the paragraph it belongs to.
 */

#include <stdbool.h>
#include <selaras/error.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_segmenter sl_segmenter;
typedef struct sl_sentences sl_sentences;

/*
 * Create a segmenter for a language ("id", "en", or any other valid code, which
 * gets Unicode's default rules and no abbreviations).  datadir is where the
 * language data files live; NULL means: $SELARAS_DATADIR, else the installed
 * $(pkgdatadir), else the source tree's data/ directory.  Free with
 * sl_segmenter_free().
 */
SL_EXTERN sl_status sl_segmenter_new(const char *lang, const char *datadir, sl_segmenter **out,
                                     sl_error *err);
SL_EXTERN void sl_segmenter_free(sl_segmenter *seg);

/*
 * Replace the segmenter's sentence rules with the SRX 2.0 (or 1.0) rules in
 * the file at path that apply to its language: the rules of the first
 * <languagemap> whose languagepattern matches the language code (ignoring
 * case), or of every matching map in order when the header says
 * cascade="yes".  Lines, paragraphs, hard wrapping and spans work as
 * without SRX.  A malformed file, a bad regular expression or no matching
 * map gives SL_XML or SL_DATA with the file name and line in the message,
 * and leaves the segmenter as it was.
 */
SL_EXTERN sl_status sl_segmenter_load_srx(sl_segmenter *seg, const char *path, sl_error *err);

/*
 * Segment len bytes of valid UTF-8 text.  The list is owned by the caller;
 * free it with sl_sentences_free().
 */
SL_EXTERN sl_status sl_segment(sl_segmenter *seg, const char *text, size_t len,
                               sl_sentences **out, sl_error *err);

/*
 * A sentence handed out by sl_segment_file(): its trimmed text (len bytes,
 * not NUL-terminated, valid during the call only) and whether it starts a
 * paragraph (the first one always does).  Return SL_OK to go on; any other
 * status stops the segmentation and is returned.
 */
typedef sl_status (*sl_sentence_fn)(void *ctx, const char *text, size_t len, bool new_paragraph,
                                    sl_error *err);

/*
 * Segment the UTF-8 file at path ("-" is standard input) as it is read, in
 * memory that does not grow with the file: pieces of about 1 MiB, cut at a
 * blank line where there is one, else at a line break, go through the same
 * rules as sl_segment() and each sentence goes to fn as soon as it is
 * complete.  Whether blank lines separate paragraphs (see sl_segment()) is
 * decided from the first MiB; hard wrapping is recognised piece by piece; a
 * single line is held whole.  For a file of up to 1 MiB the sentences are
 * exactly those of sl_segment().  The input checks are those of
 * sl_text_read_file() (messages give byte offsets in the file); a bad byte
 * is found when its piece is read, after the sentences before it were
 * handed out.
 */
SL_EXTERN sl_status sl_segment_file(sl_segmenter *seg, const char *path, sl_sentence_fn fn,
                                    void *ctx, sl_error *err);

/* An empty list, to be filled with sl_sentences_append(). */
SL_EXTERN sl_status sl_sentences_new(sl_sentences **out, sl_error *err);

/*
 * Append a sentence (copied; surrounding whitespace is trimmed).  A sentence
 * with new_paragraph set starts a paragraph; the first one always does.
 */
SL_EXTERN sl_status sl_sentences_append(sl_sentences *s, const char *text, size_t len,
                                        bool new_paragraph, sl_error *err);

/*
 * Read pre-segmented text: one sentence per line, a blank line between
 * paragraphs.  Lines are trimmed; runs of blank lines count as one break.
 */
SL_EXTERN sl_status sl_sentences_from_lines(const char *text, size_t len, sl_sentences **out,
                                            sl_error *err);

SL_EXTERN void sl_sentences_free(sl_sentences *s);

SL_EXTERN size_t sl_sentences_count(const sl_sentences *s);
/* NUL-terminated trimmed text of sentence i; valid until the list is freed. */
SL_EXTERN const char *sl_sentences_text(const sl_sentences *s, size_t i);
/* Length in bytes of sl_sentences_text(s, i). */
SL_EXTERN size_t sl_sentences_length(const sl_sentences *s, size_t i);
/* 0-based paragraph number of sentence i. */
SL_EXTERN size_t sl_sentences_paragraph(const sl_sentences *s, size_t i);
/* Byte span [start, end) of sentence i in the segmented input, trailing
 * whitespace included, so the spans of all sentences tile the input.
 * Both are 0 for sentences that were appended or read from lines. */
SL_EXTERN void sl_sentences_span(const sl_sentences *s, size_t i, size_t *start, size_t *end);

#ifdef __cplusplus
}
#endif
#endif

#ifndef SELARAS_LEXICON_H
#define SELARAS_LEXICON_H

/*
 * A bilingual word list for one language pair: which target words translate
 * a source word.  The aligner uses it as lexical evidence (see
 * sl_align_with()).  Words are compared in lower case after affix stripping:
 * each language's data/LANG.affixes lists the prefixes and suffixes that may
 * be stripped (with the letter a prefix may have replaced, as in Indonesian
 * menulis = meN- + tulis), and a text word matches the first of its stripped
 * forms, fewest strips first, that the lexicon knows.
 */

#include <stdbool.h>
#include <selaras/error.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_lexicon sl_lexicon;

/*
 * An empty lexicon from src_lang to tgt_lang.  The affix rules are read from
 * datadir (NULL: as for sl_segmenter_new()); a language without an affixes
 * file gets no stripping.  Free with sl_lexicon_free().
 */
SL_EXTERN sl_status sl_lexicon_new(const char *src_lang, const char *tgt_lang,
                                   const char *datadir, sl_lexicon **out, sl_error *err);
SL_EXTERN void sl_lexicon_free(sl_lexicon *lex);

/*
 * Record that tgt_word translates src_word.  Either may be two words (a
 * space or hyphen between them: "rumah sakit", "a little"), which the
 * aligner matches against adjacent words; longer entries are accepted but
 * not used (SL_OK for those too).
 */
SL_EXTERN sl_status sl_lexicon_add(sl_lexicon *lex, const char *src_word, const char *tgt_word,
                                   sl_error *err);

/* Source words with at least one translation. */
SL_EXTERN size_t sl_lexicon_count(const sl_lexicon *lex);

/* Whether the lexicon pairs these two text words (after affix stripping). */
SL_EXTERN bool sl_lexicon_translates(const sl_lexicon *lex, const char *src_word,
                                     const char *tgt_word);

/*
 * The stripped forms of a word in the lexicon's source (side 0) or target
 * (side 1) language, fewest strips first, the word itself (lower-cased)
 * first; written one per line into buf (NUL-terminated, cut at size).
 * Returns how many there are.  For tests and for checking affix rules.
 */
SL_EXTERN size_t sl_lexicon_stems(const sl_lexicon *lex, int side, const char *word, char *buf,
                                  size_t size);

#ifdef __cplusplus
}
#endif
#endif

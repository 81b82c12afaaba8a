#ifndef SELARAS_LEXICON_INTERNAL_H
#define SELARAS_LEXICON_INTERNAL_H

/* What the aligner reads from a lexicon: not exported. */

#include <selaras/lexicon.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The key of a lower-case target word (never 0). */
uint32_t sl__lexicon_key(const char *word, size_t len);

/* The translation keys of a source text word (any case): those of the first
 * of its stripped forms that the lexicon knows; false when none is known. */
bool sl__lexicon_lookup(const sl_lexicon *lex, const char *word, size_t len,
                        const uint32_t **tgt, size_t *n);

/* The key of a target text word: that of the first of its stripped forms
 * that some entry translates into; false when none does. */
bool sl__lexicon_target(const sl_lexicon *lex, const char *word, size_t len, uint32_t *key);

/* Whether some source (side 0) or target (side 1) entry has two words: then
 * the aligner also looks up each pair of adjacent words, joined by a space. */
bool sl__lexicon_phrases(const sl_lexicon *lex, int side);

#endif

#ifndef SELARAS_H
#define SELARAS_H

/*
 * libselaras: Indonesian-aware sentence segmentation, sentence alignment,
 * an SQLite translation memory and TMX exchange.
 *
 * Ownership: an object made by sl_X_new()/sl_X_open() or returned through an
 * out-parameter belongs to the caller, who releases it with the matching
 * sl_X_free()/sl_X_close() (plain buffers with sl_free()).  Pointers
 * returned by accessors stay owned by the object they came from.
 */

#include <selaras/error.h>
#include <selaras/text.h>
#include <selaras/segment.h>
#include <selaras/lexicon.h>
#include <selaras/align.h>
#include <selaras/tm.h>
#include <selaras/tmx.h>
#include <selaras/review.h>
#include <selaras/batch.h>
#include <selaras/json.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library version, e.g. "0.1.0". */
SL_EXTERN const char *sl_version(void);

#ifdef __cplusplus
}
#endif
#endif

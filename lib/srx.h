#ifndef SELARAS_SRX_H
#define SELARAS_SRX_H

/* SRX segmentation rules, for the segmenter (lib/srx.c). */

#include "internal.h"
#include <unicode/utext.h>

struct sl__srx;
struct sl__srx_run;

/* Parse the SRX file at path and compile the rules that apply to lang. */
sl_status sl__srx_load(const char *path, const char *lang, struct sl__srx **out, sl_error *err);
void sl__srx_free(struct sl__srx *srx);

/* Working copies of the expressions, for one segmentation call. */
sl_status sl__srx_run_new(const struct sl__srx *srx, struct sl__srx_run **out, sl_error *err);
void sl__srx_run_free(struct sl__srx_run *run);

/* Call fn with each break position (a native UTF-8 offset in 1..n-1, in
 * increasing order) that the rules give for the n bytes of text in ut. */
sl_status sl__srx_breaks(struct sl__srx_run *run, UText *ut, size_t n,
                         sl_status (*fn)(void *ctx, size_t pos, sl_error *err), void *ctx,
                         sl_error *err);

#endif

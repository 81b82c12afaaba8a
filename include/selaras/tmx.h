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
    const char *src_lang, *tgt_lang; /* export one pair; both NULL = every unit */
    bool no_provenance;              /* omit the x- props */
} sl_tmx_options;

/*
 * Write the TM as TMX 1.4b to path ("-" = standard output).  A file is
 * written to a temporary name in the same directory, synced and renamed, so
 * an interrupted export never leaves a partial file under path.  opt may be
 * NULL.  *units_written (may be NULL) receives the number of units.
 */
SL_EXTERN sl_status sl_tmx_export(sl_tm *tm, const char *path, const sl_tmx_options *opt,
                                  size_t *units_written, sl_error *err);

#ifdef __cplusplus
}
#endif
#endif

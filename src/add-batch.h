#ifndef SELARAS_ADD_BATCH_H
#define SELARAS_ADD_BATCH_H

#include <stdbool.h>
#include <stddef.h>

/* `selaras add --batch DIR` / `--pairs LIST`: many pairs, each in its own
 * transaction, a summary at the end, progress on a terminal. */

#define ADD_BATCH_MAX_SOURCES 64

struct add_batch_source {
    bool dir;          /* --batch DIR, else --pairs LIST */
    const char *path;
};

struct add_batch_options {
    struct add_batch_source sources[ADD_BATCH_MAX_SOURCES];
    size_t n_sources;
    const char *src_lang, *tgt_lang;     /* as the user wrote them (they name the files) */
    const char *src_lang_canonical, *tgt_lang_canonical;
    const char *src_suffix, *tgt_suffix; /* NULL: .SRC-LANG.txt, .TGT-LANG.txt */
    bool recursive;
    /* as for one pair, applied to each document */
    const char *srx;
    bool presegmented, force;
    double min_score;
    int verbosity; /* -1 quiet, 0 normal, 1 verbose */
};

/* Returns the exit status. */
int add_batch(const char *db, const struct add_batch_options *o);

#endif

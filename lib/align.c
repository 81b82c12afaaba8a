#include "internal.h"
#include <stdlib.h>
#include <string.h>

struct sl_alignment {
    sl_bead *beads;
    size_t n;
};

sl_status sl__alignment_from_beads(const sl_bead *beads, size_t n, sl_alignment **out,
                                   sl_error *err)
{
    sl_alignment *a = calloc(1, sizeof *a);
    if (!a)
        return sl__nomem(err);
    if (n) {
        a->beads = malloc(n * sizeof *a->beads);
        if (!a->beads) {
            free(a);
            return sl__nomem(err);
        }
        memcpy(a->beads, beads, n * sizeof *beads);
    }
    a->n = n;
    *out = a;
    return SL_OK;
}

sl_status sl_align(const sl_sentences *src, const sl_sentences *tgt, sl_alignment **out,
                   sl_error *err)
{
    /* FIXME(aligner): Gale-Church DP goes here. */
    return sl_error_set(err, SL_USAGE, "aligner not built yet");
}

void sl_alignment_free(sl_alignment *a)
{
    if (!a)
        return;
    free(a->beads);
    free(a);
}

size_t sl_alignment_count(const sl_alignment *a)
{
    return a ? a->n : 0;
}

const sl_bead *sl_alignment_bead(const sl_alignment *a, size_t i)
{
    return a && i < a->n ? &a->beads[i] : NULL;
}

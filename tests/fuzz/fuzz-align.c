/*
 * libFuzzer target for the aligner on pre-segmented input: the bytes before
 * the first NUL are the source side, those after it the target side, one
 * sentence per line.  The beads must cover every sentence of both sides
 * exactly once and in order, never be empty on both sides, and have scores
 * in [0,1] (0 when a side is empty).
 */
#include "internal.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, size_t i)
{
    fprintf(stderr, "fuzz-align: invariant broken: %s (bead %zu)\n", what, i);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(text, 0, size);
    size_t slen = nul ? (size_t)(nul - text) : size;
    const char *tgt = nul ? nul + 1 : "";
    size_t tlen = nul ? size - slen - 1 : 0;
    sl_error err;
    sl_error_clear(&err);
    if (sl_text_check_utf8("src", text, slen, &err) != SL_OK ||
        sl_text_check_utf8("tgt", tgt, tlen, &err) != SL_OK)
        return 0;
    sl_sentences *src = NULL, *dst = NULL;
    sl_alignment *al = NULL;
    if (sl_sentences_from_lines(text, slen, &src, &err) != SL_OK ||
        sl_sentences_from_lines(tgt, tlen, &dst, &err) != SL_OK)
        die(sl_error_message(&err), 0);
    sl_status st = sl_align(src, dst, &al, &err);
    size_t ns = sl_sentences_count(src), nt = sl_sentences_count(dst);
    if (st != SL_OK)
        die(sl_error_message(&err), 0);
    size_t si = 0, ti = 0, n = sl_alignment_count(al);
    for (size_t i = 0; i < n; i++) {
        const sl_bead *b = sl_alignment_bead(al, i);
        if (b->src_start != si || b->tgt_start != ti)
            die("beads out of order or with a gap", i);
        if (b->src_count == 0 && b->tgt_count == 0)
            die("empty bead", i);
        if (!(b->score >= 0.0 && b->score <= 1.0))
            die("score out of [0,1]", i);
        if ((b->src_count == 0 || b->tgt_count == 0) && b->score != 0.0)
            die("one-sided bead with a non-zero score", i);
        si += b->src_count;
        ti += b->tgt_count;
        if (si > ns || ti > nt)
            die("bead beyond the sentences", i);
    }
    if (si != ns || ti != nt)
        die("sentences left uncovered", n);
    sl_alignment_free(al);
    sl_sentences_free(src);
    sl_sentences_free(dst);
    return 0;
}

/*
 * libFuzzer target for the segmenter: any bytes, in one of a few languages.
 * Input that is not valid UTF-8 must be refused with SL_ENCODING; otherwise
 * the sentence spans must tile the input exactly (no byte lost or repeated)
 * and each sentence must be its span without the surrounding whitespace,
 * where each line break inside a run of hard-wrapped lines reads as one
 * space (the joining rule of push() in lib/segment.c), and a UTF-8 byte
 * order mark belongs to the first span only.
 */
#include "internal.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* id and en have their own data; de and th get ICU's default rules. */
static const char *const langs[] = {"id", "en", "de", "th"};
#define N_LANGS (sizeof langs / sizeof langs[0])
static sl_segmenter *segs[N_LANGS];

static bool all_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t sp = sl__space_len(s + i, n - i);
        if (!sp)
            return false;
        i += sp;
    }
    return true;
}

/* Length of the line break at s[i] (LF, CR, CRLF, NEL, LS, PS), else 0. */
static size_t break_len(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s + i;
    if (u[0] == '\n')
        return 1;
    if (u[0] == '\r')
        return i + 1 < n && u[1] == '\n' ? 2 : 1;
    if (u[0] == 0xc2 && i + 1 < n && u[1] == 0x85)
        return 2;
    if (u[0] == 0xe2 && i + 2 < n && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9))
        return 3;
    return 0;
}

/* The text with every line break turned into one space; its length in *m. */
static char *blank_breaks(const char *s, size_t n, size_t *m)
{
    char *b = malloc(n ? n : 1);
    if (!b)
        abort();
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t k = break_len(s, n, i);
        if (k) {
            b[o++] = ' ';
            i += k;
        } else {
            b[o++] = s[i++];
        }
    }
    *m = o;
    return b;
}

static void die(const char *what, size_t i)
{
    fprintf(stderr, "fuzz-segment: invariant broken: %s (sentence %zu)\n", what, i);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t l = data[0] % N_LANGS;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    sl_error err;
    sl_error_clear(&err);
    if (!segs[l] && sl_segmenter_new(langs[l], NULL, &segs[l], &err) != SL_OK) {
        fprintf(stderr, "fuzz-segment: %s\n", sl_error_message(&err));
        abort();
    }
    bool valid = sl_text_check_utf8("fuzz", text, len, &err) == SL_OK;
    sl_sentences *ss = NULL;
    sl_status st = sl_segment(segs[l], text, len, &ss, &err);
    if (!valid) {
        if (st != SL_ENCODING || ss)
            die("invalid UTF-8 was not refused", 0);
        return 0;
    }
    if (st != SL_OK || !ss)
        die(sl_error_message(&err), 0);
    size_t n = sl_sentences_count(ss), at = 0;
    size_t lead_bom = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    if (n == 0 && !all_space(text + lead_bom, len - lead_bom))
        die("visible text but no sentence", 0);
    for (size_t i = 0; i < n; i++) {
        size_t start, end;
        sl_sentences_span(ss, i, &start, &end);
        if (start != at || end < start || end > len)
            die("spans do not tile the input", i);
        at = end;
        const char *t = sl_sentences_text(ss, i);
        size_t tl = sl_sentences_length(ss, i);
        if (tl == 0 || strlen(t) != tl)
            die("empty sentence or embedded NUL", i);
        /* a byte order mark is in the first span and in no sentence */
        size_t bom = start == 0 && end >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
        size_t sn;
        char *span = blank_breaks(text + start + bom, end - start - bom, &sn);
        const char *in = memmem(span, sn, t, tl);
        if (!in)
            die("sentence text is not in its span", i);
        if (!all_space(span, (size_t)(in - span)) || !all_space(in + tl, (size_t)(span + sn - (in + tl))))
            die("sentence differs from its span by more than whitespace", i);
        free(span);
        if (i > 0 && sl_sentences_paragraph(ss, i) < sl_sentences_paragraph(ss, i - 1))
            die("paragraph numbers go back", i);
    }
    if (n && at != len)
        die("the last span does not end at the end of the input", n);
    sl_sentences_free(ss);
    return 0;
}

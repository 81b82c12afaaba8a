/*
 * icu-raw FILE [LOCALE [utf16]]
 *
 * The segmentation baseline: read FILE (UTF-8) whole, then walk ICU's
 * sentence BreakIterator over it through a UTF-8 UText (no conversion to
 * UTF-16) and print the number of sentences.  Nothing else: no rules, no
 * output of the sentences, so it is the floor any ICU-based segmenter
 * stands on.  With "utf16" the text is first converted to UTF-16
 * (u_strFromUTF8, counted in the time) and the iterator walks that string:
 * ICU's faster way in, which selaras segment itself uses.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uclean.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            if (ferror(f)) {
                free(buf);
                buf = NULL;
            }
            break;
        }
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4 || (argc == 4 && strcmp(argv[3], "utf16") != 0)) {
        fputs("usage: icu-raw FILE [LOCALE [utf16]]\n", stderr);
        return 2;
    }
    size_t len = 0;
    char *text = read_all(argv[1], &len);
    if (!text) {
        fprintf(stderr, "icu-raw: %s: cannot read\n", argv[1]);
        return 1;
    }
    UErrorCode st = U_ZERO_ERROR;
    UText *ut = NULL;
    UChar *u16 = NULL;
    int32_t units = 0;
    if (argc == 4) {
        u16 = len < INT32_MAX ? malloc((len + 1) * sizeof *u16) : NULL;
        if (u16)
            u_strFromUTF8(u16, (int32_t)len + 1, &units, text, (int32_t)len, &st);
        else
            st = U_MEMORY_ALLOCATION_ERROR;
    } else
        ut = utext_openUTF8(NULL, text, (int64_t)len, &st);
    UBreakIterator *bi = ubrk_open(UBRK_SENTENCE, argc > 2 ? argv[2] : "", NULL, 0, &st);
    if (U_SUCCESS(st)) {
        if (u16)
            ubrk_setText(bi, u16, units, &st);
        else
            ubrk_setUText(bi, ut, &st);
    }
    if (U_FAILURE(st)) {
        fprintf(stderr, "icu-raw: ICU: %s\n", u_errorName(st));
        ubrk_close(bi);
        utext_close(ut);
        free(u16);
        free(text);
        return 1;
    }
    size_t sentences = 0;
    while (ubrk_next(bi) != UBRK_DONE)
        sentences++;
    printf("%zu\n", sentences);
    ubrk_close(bi);
    utext_close(ut);
    free(u16);
    free(text);
    u_cleanup();
    return 0;
}

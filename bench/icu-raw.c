/*
 * icu-raw FILE [LOCALE]
 *
 * The segmentation baseline: read FILE (UTF-8) whole, then walk ICU's
 * sentence BreakIterator over it through a UTF-8 UText (no conversion to
 * UTF-16) and print the number of sentences.  Nothing else: no rules, no
 * output of the sentences, so it is the floor any ICU-based segmenter
 * stands on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uclean.h>
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
    if (argc < 2 || argc > 3) {
        fputs("usage: icu-raw FILE [LOCALE]\n", stderr);
        return 2;
    }
    size_t len = 0;
    char *text = read_all(argv[1], &len);
    if (!text) {
        fprintf(stderr, "icu-raw: %s: cannot read\n", argv[1]);
        return 1;
    }
    UErrorCode st = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, text, (int64_t)len, &st);
    UBreakIterator *bi = ubrk_open(UBRK_SENTENCE, argc > 2 ? argv[2] : "", NULL, 0, &st);
    if (U_SUCCESS(st))
        ubrk_setUText(bi, ut, &st);
    if (U_FAILURE(st)) {
        fprintf(stderr, "icu-raw: ICU: %s\n", u_errorName(st));
        ubrk_close(bi);
        utext_close(ut);
        free(text);
        return 1;
    }
    size_t sentences = 0;
    while (ubrk_next(bi) != UBRK_DONE)
        sentences++;
    printf("%zu\n", sentences);
    ubrk_close(bi);
    utext_close(ut);
    free(text);
    u_cleanup();
    return 0;
}

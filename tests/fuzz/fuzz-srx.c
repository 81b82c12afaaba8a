/*
 * libFuzzer target for the SRX loader: the bytes are an SRX file loaded
 * into a fresh segmenter for each of a few languages (their maps differ).  Invariants: a load
 * either succeeds or fails with a message; when it succeeds, segmenting a
 * fixed text gives spans that tile it exactly, in order.
 */
#include "internal.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static const char *const langs[] = {"id", "en", "de"};
#define N_LANGS (sizeof langs / sizeof langs[0])
static const char text[] = "Dr. Budi tiba pk. 10.00 WIB. Dia bilang: \"Ya!\" Lalu pergi...\n"
                           "Harga naik 5%? Tidak.\n\nThe U.S. team won. Mr. Smith left";
static char dir[] = "/tmp/selaras-fuzz-srx.XXXXXX";
static char path[80];

static void die(const char *what, const sl_error *err)
{
    fprintf(stderr, "fuzz-srx: %s%s%s\n", what, err ? ": " : "", err ? sl_error_message(err) : "");
    abort();
}

static void cleanup(void)
{
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir))
        die("mkdtemp", NULL);
    snprintf(path, sizeof path, "%s/rules.srx", dir);
    atexit(cleanup);
    return 0;
}

static void try_lang(const char *lang)
{
    sl_error err;
    sl_error_clear(&err);
    sl_segmenter *seg = NULL;
    if (sl_segmenter_new(lang, NULL, &seg, &err) != SL_OK)
        die("segmenter", &err);
    if (sl_segmenter_load_srx(seg, path, &err) != SL_OK) {
        if (!sl_error_message(&err)[0])
            die("a load failed without a message", NULL);
        sl_segmenter_free(seg);
        return;
    }
    sl_sentences *ss = NULL;
    size_t len = sizeof text - 1;
    if (sl_segment(seg, text, len, &ss, &err) != SL_OK)
        die("the loaded rules cannot segment", &err);
    size_t at = 0, n = sl_sentences_count(ss);
    for (size_t i = 0; i < n; i++) {
        size_t b, e;
        sl_sentences_span(ss, i, &b, &e);
        if (b != at || e < b || e > len)
            die("the spans do not tile the text", NULL);
        at = e;
    }
    if (at != len)
        die("the spans do not cover the text", NULL);
    sl_sentences_free(ss);
    sl_segmenter_free(seg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        die("cannot write the input", NULL);
    for (size_t i = 0; i < N_LANGS; i++)
        try_lang(langs[i]);
    return 0;
}

/*
 * libFuzzer target for lookup against a small TM (the sample article pair
 * plus a few short units, built once in a temporary directory).  Byte 0
 * sets the minimum percentage, byte 1 the limit and, with its top bit, asks
 * for a stored source sentence (chosen by byte 2) with the rest of the
 * input appended as whitespace-insensitive noise; the rest is the query.
 * Invariants: percentages in range and best first, at most limit matches,
 * 100 exactly when the normalised texts are equal, fuzzy percentages equal
 * to sl_match_percent, and a stored sentence always finds itself at 100.
 */
#include "internal.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static sl_tm *tm;
static char dir[] = "/tmp/selaras-fuzz-lookup.XXXXXX";
static char path[64];
static const char *const extra_src[] = {"Ya.", "Dia datang.", "Dia datang?",
                                        "Anak-anak bermain di taman.", "Harganya Rp 10.000."};
static const char *const extra_tgt[] = {"Yes.", "He came.", "Did he come?",
                                        "The children play in the park.", "It costs Rp 10,000."};
#define N_EXTRA 5
static char **stored; /* the source sentences in the TM */
static size_t n_stored;

static void fatal(const char *what, const sl_error *err)
{
    fprintf(stderr, "fuzz-lookup: %s: %s\n", what, err ? sl_error_message(err) : "");
    abort();
}

static void cleanup(void)
{
    sl_tm_close(tm);
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < 4; i++) {
        char p[80];
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
    rmdir(dir);
    for (size_t i = 0; i < n_stored; i++)
        free(stored[i]);
    free(stored);
}

static int keep_source(const sl_unit *u, void *data)
{
    char **v = realloc(stored, (n_stored + 1) * sizeof *v);
    if (!v || !(v[n_stored] = strdup(u->source)))
        abort();
    stored = v;
    n_stored++;
    return 0;
}

static void add_pair(const sl_sentences *s, const sl_sentences *t, const sl_alignment *al,
                     const char *sp, const char *tp, const char *stext, const char *ttext)
{
    sl_error err;
    sl_error_clear(&err);
    sl_document doc = {sp, tp, "id", "en", stext, ttext, strlen(stext), strlen(ttext)};
    sl_add_result res;
    if (sl_tm_add(tm, &doc, s, t, al, &res, &err) != SL_OK)
        fatal("add", &err);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    sl_error err;
    sl_error_clear(&err);
    if (!mkdtemp(dir))
        fatal("mkdtemp", NULL);
    snprintf(path, sizeof path, "%s/tm.db", dir);
    atexit(cleanup);
    if (sl_tm_open(path, SL_TM_CREATE, &tm, &err) != SL_OK)
        fatal("open", &err);

    char *texts[2];
    size_t lens[2];
    const char *files[2] = {FUZZ_TOP_SRCDIR "/tm/article.id.txt", FUZZ_TOP_SRCDIR "/tm/article.en.txt"};
    sl_sentences *ss[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
        sl_segmenter *seg = NULL;
        if (sl_text_read_file(files[k], &texts[k], &lens[k], &err) != SL_OK ||
            sl_segmenter_new(k ? "en" : "id", NULL, &seg, &err) != SL_OK ||
            sl_segment(seg, texts[k], lens[k], &ss[k], &err) != SL_OK)
            fatal(files[k], &err);
        sl_segmenter_free(seg);
    }
    sl_alignment *al = NULL;
    if (sl_align(ss[0], ss[1], &al, &err) != SL_OK)
        fatal("align", &err);
    add_pair(ss[0], ss[1], al, files[0], files[1], texts[0], texts[1]);
    sl_alignment_free(al);
    for (int k = 0; k < 2; k++) {
        sl_sentences_free(ss[k]);
        sl_free(texts[k]);
    }

    sl_sentences *s = NULL, *t = NULL;
    sl_bead beads[N_EXTRA];
    if (sl_sentences_new(&s, &err) != SL_OK || sl_sentences_new(&t, &err) != SL_OK)
        fatal("sentences", &err);
    for (size_t i = 0; i < N_EXTRA; i++) {
        if (sl_sentences_append(s, extra_src[i], strlen(extra_src[i]), false, &err) != SL_OK ||
            sl_sentences_append(t, extra_tgt[i], strlen(extra_tgt[i]), false, &err) != SL_OK)
            fatal("append", &err);
        beads[i] = (sl_bead){i, 1, i, 1, 0.9};
    }
    if (sl__alignment_from_beads(beads, N_EXTRA, &al, &err) != SL_OK)
        fatal("beads", &err);
    add_pair(s, t, al, "extra.id", "extra.en", "extra source", "extra target");
    sl_alignment_free(al);
    sl_sentences_free(s);
    sl_sentences_free(t);
    if (sl_tm_foreach_unit(tm, NULL, NULL, keep_source, NULL, &err) != SL_OK || n_stored == 0)
        fatal("foreach", &err);
    return 0;
}

static void die(const char *what, const char *query, size_t i)
{
    fprintf(stderr, "fuzz-lookup: invariant broken: %s (match %zu, query '%s')\n", what, i, query);
    abort();
}

static bool same_norm(const char *a, const char *b)
{
    char *na = sl__normalise(a, strlen(a)), *nb = sl__normalise(b, strlen(b));
    if (!na || !nb)
        abort();
    bool same = strcmp(na, nb) == 0;
    free(na);
    free(nb);
    return same;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    int min = data[0] % 101;
    size_t limit = data[1] & 0x1f;
    bool from_tm = data[1] & 0x80;
    const char *rest = (const char *)data + 3;
    size_t rlen = size - 3;
    const char *nul = memchr(rest, 0, rlen);
    if (nul)
        rlen = (size_t)(nul - rest);
    sl_error err;
    sl_error_clear(&err);
    if (sl_text_check_utf8("query", rest, rlen, &err) != SL_OK)
        return 0;
    sl__buf q = SL__BUF_INIT;
    const char *known = NULL;
    if (from_tm) {
        /* the stored sentence with the input's whitespace around it */
        known = stored[data[2] % n_stored];
        for (size_t i = 0; i < rlen;) {
            size_t sp = sl__space_len(rest + i, rlen - i);
            if (!sp)
                break;
            if (!sl__buf_append(&q, rest + i, sp))
                abort();
            i += sp;
        }
        if (!sl__buf_puts(&q, known) || !sl__buf_puts(&q, "  "))
            abort();
    } else if (!sl__buf_append(&q, rest, rlen)) {
        abort();
    }
    const char *query = sl__buf_cstr(&q);

    sl_matches *m = NULL;
    if (sl_tm_lookup(tm, query, "id", "en", min, limit, &m, &err) != SL_OK)
        die(sl_error_message(&err), query, 0);
    size_t n = sl_matches_count(m);
    if (limit && n > limit)
        die("more matches than the limit", query, n);
    for (size_t i = 0; i < n; i++) {
        const sl_match *x = sl_matches_get(m, i);
        if (x->percent < 0 || x->percent > 100 || (x->percent < 100 && x->percent < min))
            die("percentage out of range", query, i);
        if (i > 0 && x->percent > sl_matches_get(m, i - 1)->percent)
            die("not best first", query, i);
        if ((x->percent == 100) != same_norm(x->unit.source, query))
            die("100 is not the same as equal normalised texts", query, i);
        if (x->percent < 100 && x->percent != sl_match_percent(query, x->unit.source))
            die("percentage differs from sl_match_percent", query, i);
        if (strcmp(x->unit.src_lang, "id") != 0 || strcmp(x->unit.tgt_lang, "en") != 0)
            die("wrong language pair", query, i);
    }
    if (known && (n == 0 || sl_matches_get(m, 0)->percent != 100))
        die("a stored sentence does not find itself", query, 0);
    sl_matches_free(m);
    sl__buf_free(&q);
    return 0;
}

#include "align-jsonl.h"
#include "cmd.h"
#include "out.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sentences of one side of a bead as a JSON string, joined by a space. */
static void put_joined(const sl_sentences *s, size_t start, size_t count)
{
    fputc('"', stdout);
    for (size_t k = 0; k < count; k++) {
        if (k)
            fputc(' ', stdout);
        out_json_chars(stdout, sl_sentences_text(s, start + k));
    }
    fputc('"', stdout);
}

struct jsonl {
    const char *name;      /* of the input, for messages */
    char def_src[SL_LANG_MAX], def_tgt[SL_LANG_MAX];
    sl_pipeline *def, *other; /* the default languages; the last other pair */
    size_t line, failed;
};

static void jsonl_report(struct jsonl *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void jsonl_report(struct jsonl *j, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "selaras: %s:%zu: ", j->name, j->line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (line skipped)\n", stderr);
    j->failed++;
}

/* A string member; NULL when absent (if optional) or reported. */
static const char *jsonl_text(struct jsonl *j, const sl_json *obj, const char *key,
                              bool optional, bool *bad)
{
    const sl_json *v = sl_json_get(obj, key);
    size_t len;
    const char *s = sl_json_string(v, &len);
    if (!v && optional)
        return NULL;
    if (!v)
        jsonl_report(j, "no \"%s\" member", key);
    else if (!s)
        jsonl_report(j, "\"%s\" is not a string", key);
    else if (strlen(s) != len)
        jsonl_report(j, "\"%s\" holds a NUL character (\\u0000)", key);
    else
        return s;
    *bad = true;
    return NULL;
}

static sl_pipeline *jsonl_pipeline(struct jsonl *j, const char *src, const char *tgt,
                                   sl_error *err)
{
    char s[SL_LANG_MAX], t[SL_LANG_MAX];
    if (sl_lang_canonical(src, s, err) != SL_OK || sl_lang_canonical(tgt, t, err) != SL_OK)
        return NULL;
    sl_pipeline **slot = strcmp(s, j->def_src) == 0 && strcmp(t, j->def_tgt) == 0 ? &j->def
                                                                                    : &j->other;
    if (*slot && (strcmp(sl_pipeline_src_lang(*slot), s) != 0 ||
                  strcmp(sl_pipeline_tgt_lang(*slot), t) != 0)) {
        sl_pipeline_free(*slot);
        *slot = NULL;
    }
    if (!*slot && sl_pipeline_new(s, t, NULL, slot, err) != SL_OK)
        return NULL;
    return *slot;
}

static void jsonl_line(struct jsonl *j, const char *line, size_t len)
{
    sl_error err;
    sl_error_clear(&err);
    sl_json *obj = NULL;
    if (sl_json_parse(line, len, &obj, &err) != SL_OK) {
        jsonl_report(j, "invalid JSON: %s", sl_error_message(&err));
        return;
    }
    bool bad = false;
    if (sl_json_kind(obj) != SL_JSON_OBJECT) {
        jsonl_report(j, "%s", "expected an object {\"id\":...,\"src\":...,\"tgt\":...}");
        goto done;
    }
    const char *id = jsonl_text(j, obj, "id", false, &bad);
    const char *src = bad ? NULL : jsonl_text(j, obj, "src", false, &bad);
    const char *tgt = bad ? NULL : jsonl_text(j, obj, "tgt", false, &bad);
    const char *src_lang = bad ? NULL : jsonl_text(j, obj, "src_lang", true, &bad);
    const char *tgt_lang = bad ? NULL : jsonl_text(j, obj, "tgt_lang", true, &bad);
    if (bad)
        goto done;
    sl_pipeline *p = jsonl_pipeline(j, src_lang ? src_lang : j->def_src,
                                    tgt_lang ? tgt_lang : j->def_tgt, &err);
    sl_sentences *s = NULL, *t = NULL;
    sl_alignment *al = NULL;
    if (!p || sl_pipeline_align(p, src, strlen(src), tgt, strlen(tgt), &s, &t, &al, &err) !=
                  SL_OK) {
        jsonl_report(j, "document \"%s\": %s", id, sl_error_message(&err));
        goto done;
    }
    for (size_t i = 0; i < sl_alignment_count(al); i++) {
        const sl_bead *b = sl_alignment_bead(al, i);
        if (!b->src_count || !b->tgt_count)
            continue;
        fputs("{\"id\":", stdout);
        out_json_string(stdout, id);
        fputs(",\"src\":", stdout);
        put_joined(s, b->src_start, b->src_count);
        fputs(",\"tgt\":", stdout);
        put_joined(t, b->tgt_start, b->tgt_count);
        printf(",\"score\":%.4f,\"bead\":\"%zu-%zu\",\"src_lang\":", b->score, b->src_count,
               b->tgt_count);
        out_json_string(stdout, sl_pipeline_src_lang(p));
        fputs(",\"tgt_lang\":", stdout);
        out_json_string(stdout, sl_pipeline_tgt_lang(p));
        printf(",\"position\":%zu}\n", i);
    }
    sl_alignment_free(al);
    sl_sentences_free(s);
    sl_sentences_free(t);
done:
    sl_json_free(obj);
}

int align_jsonl(const char *path, const char *src_lang, const char *tgt_lang)
{
    struct jsonl j = {"stdin", "", "", NULL, NULL, 0, 0};
    FILE *in = stdin;
    if (path && strcmp(path, "-") != 0) {
        in = fopen(path, "rb");
        if (!in) {
            fprintf(stderr, "selaras: %s: cannot open: %s\n", path, strerror(errno));
            return EXIT_FAIL;
        }
        j.name = path;
    }
    snprintf(j.def_src, sizeof j.def_src, "%s", src_lang);
    snprintf(j.def_tgt, sizeof j.def_tgt, "%s", tgt_lang);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, in)) != -1) {
        j.line++;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
                       line[len - 1] == ' ' || line[len - 1] == '\t'))
            len--;
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == len)
            continue;
        jsonl_line(&j, line, len);
    }
    int status = EXIT_OK;
    if (ferror(in)) {
        fprintf(stderr, "selaras: %s: cannot read: %s\n", j.name, strerror(errno));
        status = EXIT_FAIL;
    }
    free(line);
    if (in != stdin)
        fclose(in);
    sl_pipeline_free(j.def);
    sl_pipeline_free(j.other);
    if (j.failed)
        status = EXIT_FAIL;
    return out_finish(status);
}

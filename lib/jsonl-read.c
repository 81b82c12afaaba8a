/*
 * Loading the JSON lines of `selaras align --jsonl` into the TM: one flat
 * object per line, string and number values only (what the contract needs).
 */
#include "tm-internal.h"
#include "sha256.h"
#include <selaras/tmx.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_ID, F_SRC, F_TGT, F_SCORE, F_BEAD, F_SRC_LANG, F_TGT_LANG, F_POSITION, F_COUNT };
static const char *const field_names[F_COUNT] = {"id",   "src",      "tgt",      "score",
                                                 "bead", "src_lang", "tgt_lang", "position"};

struct line {
    sl__buf str[F_COUNT];
    bool has[F_COUNT];
    double num[F_COUNT];
    bool is_num[F_COUNT];
};

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    return p;
}

/* Parse one line (len bytes at text) with the JSON reader of lib/json.c into
 * l; returns NULL on success, else what is wrong (why_buf may hold it). */
static const char *parse_line(const char *text, size_t len, struct line *l, char *why_buf,
                              size_t why_size)
{
    for (int i = 0; i < F_COUNT; i++) {
        l->has[i] = l->is_num[i] = false;
        sl__buf_clear(&l->str[i]);
    }
    if (*skip_ws(text) != '{')
        return "not a JSON object";
    sl_json *obj = NULL;
    size_t used = 0;
    sl__json_fault fault;
    sl_error err;
    sl_error_clear(&err);
    sl_status s = sl__json_parse_prefix(text, len, &obj, &used, &fault, &err);
    if (s == SL_NOMEM)
        return "out of memory";
    if (s != SL_OK) {
        if (fault == SL__JSON_SURROGATE)
            return "a lone surrogate in a \\u escape";
        snprintf(why_buf, why_size, "invalid JSON: %s", sl_error_message(&err));
        return why_buf;
    }
    const char *why = NULL;
    if (used < len)
        why = "text after the object";
    for (int f = 0; !why && f < F_COUNT; f++) {
        const sl_json *v = sl_json_get(obj, field_names[f]);
        size_t n = 0;
        const char *str;
        switch (sl_json_kind(v)) {
        case SL_JSON_NULL: /* absent, or a null: no value */
            continue;
        case SL_JSON_STRING:
            str = sl_json_string(v, &n);
            /* \u0000 would cut the text short in the database */
            if (strlen(str) != n)
                why = "a NUL character";
            else if (!sl__buf_append(&l->str[f], str, n) || !sl__buf_cstr(&l->str[f]))
                why = "out of memory";
            break;
        case SL_JSON_NUMBER:
            if (!sl_json_number(v, &l->num[f]))
                why = "a bad number";
            l->is_num[f] = true;
            break;
        default:
            why = "values must be strings or numbers";
        }
        l->has[f] = true;
    }
    /* Other members are ignored, but they too hold only strings, numbers or nulls. */
    for (size_t i = 0; !why && i < sl_json_size(obj); i++) {
        sl_json_type k = sl_json_kind(sl_json_item(obj, i));
        if (k != SL_JSON_NULL && k != SL_JSON_STRING && k != SL_JSON_NUMBER)
            why = "values must be strings or numbers";
    }
    sl_json_free(obj);
    return why;
}

/* Documents met in this run: their ids and next free positions. */
struct doc_seen {
    char *id;
    char src_lang[SL_LANG_MAX], tgt_lang[SL_LANG_MAX];
    long long doc;  /* 0 = already in the TM before this run: skip its lines */
    long long next; /* position for lines without one */
};

struct jsonl_state {
    struct doc_seen *docs;
    size_t n, cap;
};

static struct doc_seen *doc_find(struct jsonl_state *js, const char *id, const char *sl,
                                 const char *tl)
{
    /* The newest first: lines of a document usually come together. */
    for (size_t i = js->n; i-- > 0;)
        if (!strcmp(js->docs[i].id, id) && !strcmp(js->docs[i].src_lang, sl) &&
            !strcmp(js->docs[i].tgt_lang, tl))
            return &js->docs[i];
    return NULL;
}

sl_status sl_jsonl_import(sl_tm *tm, const char *path, const sl_import_options *opt,
                          sl_report_fn report, void *data, sl_import_result *result,
                          sl_error *err)
{
    static const sl_import_options defaults = {NULL, NULL, false};
    if (result)
        memset(result, 0, sizeof *result);
    if (!tm || !path)
        return sl_error_set(err, SL_USAGE, "sl_jsonl_import: missing argument");
    if (!opt)
        opt = &defaults;
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    FILE *f = is_stdin ? stdin : fopen(path, "r");
    if (!f)
        return sl_error_set(err, errno == ENOENT ? SL_NOTFOUND : SL_IO, "%s: cannot open: %s",
                            path, strerror(errno));
    sl_import_result res;
    memset(&res, 0, sizeof res);
    struct jsonl_state js = {NULL, 0, 0};
    struct line l;
    memset(&l, 0, sizeof l);
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    size_t bad = 0;
    sl__tm_writer *w = NULL;
    sl_status s = sl__tm_writer_begin(tm, &w, err);
    while (s == SL_OK && (n = getline(&buf, &cap, f)) >= 0) {
        lineno++;
        res.read++;
        const char *why = NULL;
        char msg[1400], sl[SL_LANG_MAX], tl[SL_LANG_MAX], why_buf[SL_ERROR_MSG_MAX + 20];
        if (memchr(buf, '\0', (size_t)n))
            why = "a NUL byte";
        else if (sl_text_check_utf8(name, buf, (size_t)n, NULL) != SL_OK)
            why = "invalid UTF-8";
        else if (*skip_ws(buf) == '\0') {
            res.read--;
            continue; /* blank lines are allowed */
        } else
            why = parse_line(buf, (size_t)n, &l, why_buf, sizeof why_buf);
        if (!why && (!l.has[F_ID] || l.is_num[F_ID]))
            why = "no \"id\" string";
        else if (!why && (!l.has[F_SRC] || l.is_num[F_SRC] || !l.has[F_TGT] || l.is_num[F_TGT]))
            why = "no \"src\" and \"tgt\" strings";
        const char *want_s = opt->src_lang ? opt->src_lang : "id";
        const char *want_t = opt->tgt_lang ? opt->tgt_lang : "en";
        if (!why && l.has[F_SRC_LANG] && !l.is_num[F_SRC_LANG])
            want_s = sl__buf_cstr(&l.str[F_SRC_LANG]);
        if (!why && l.has[F_TGT_LANG] && !l.is_num[F_TGT_LANG])
            want_t = sl__buf_cstr(&l.str[F_TGT_LANG]);
        if (!why && (sl_lang_canonical(want_s, sl, NULL) != SL_OK ||
                     sl_lang_canonical(want_t, tl, NULL) != SL_OK))
            why = "an invalid language code";
        double score = 1.0;
        if (!why && l.has[F_SCORE]) {
            score = l.num[F_SCORE];
            if (!l.is_num[F_SCORE] || score < 0 || score > 1)
                why = "\"score\" must be a number from 0 to 1";
        }
        if (!why && l.has[F_POSITION] &&
            (!l.is_num[F_POSITION] || l.num[F_POSITION] < 0 || l.num[F_POSITION] > 1e15 ||
             l.num[F_POSITION] != floor(l.num[F_POSITION])))
            why = "\"position\" must be a whole number";
        if (why) {
            snprintf(msg, sizeof msg, "%s:%ld: %s; line skipped", name, lineno, why);
            if (report)
                report(msg, data);
            bad++;
            continue;
        }
        const char *id = sl__buf_cstr(&l.str[F_ID]);
        struct doc_seen *d = doc_find(&js, id, sl, tl);
        if (!d) {
            if (js.n == js.cap) {
                size_t nc = js.cap ? js.cap * 2 : 16;
                struct doc_seen *nd = realloc(js.docs, nc * sizeof *nd);
                if (!nd) {
                    s = sl__nomem(err);
                    break;
                }
                js.docs = nd;
                js.cap = nc;
            }
            d = &js.docs[js.n];
            memset(d, 0, sizeof *d);
            if (!(d->id = sl__strdup(id))) {
                s = sl__nomem(err);
                break;
            }
            js.n++;
            snprintf(d->src_lang, sizeof d->src_lang, "%s", sl);
            snprintf(d->tgt_lang, sizeof d->tgt_lang, "%s", tl);
            /* The key of a JSON-lines document is its id (hashed to fill
             * the checksum columns) and its languages. */
            sl__buf key = SL__BUF_INIT;
            char sha[65];
            if (!sl__buf_puts(&key, "jsonl:") || !sl__buf_puts(&key, id)) {
                sl__buf_free(&key);
                s = sl__nomem(err);
                break;
            }
            sl__sha256_hex(key.data, key.len, sha);
            sl__buf_free(&key);
            sl__doc_in din = {"jsonl", id, id, sl, tl, sha, sha, NULL, NULL};
            bool existed = false;
            s = sl__tm_writer_document(w, &din, &d->doc, &existed);
            if (s != SL_OK)
                break;
            if (existed)
                d->doc = 0;
        }
        if (d->doc == 0) {
            res.known++; /* the document was loaded before */
            continue;
        }
        long long pos = l.has[F_POSITION] ? (long long)l.num[F_POSITION] : d->next;
        if (pos >= d->next)
            d->next = pos + 1;
        const char *src = sl__buf_cstr(&l.str[F_SRC]), *tgt = sl__buf_cstr(&l.str[F_TGT]);
        if (!*src || !*tgt) {
            res.no_pair++;
            continue;
        }
        const char *bead = l.has[F_BEAD] && !l.is_num[F_BEAD] ? sl__buf_cstr(&l.str[F_BEAD])
                                                             : "1-1";
        sl__unit_in u = {d->doc, pos,  pos,   pos,   sl,    tl,    src,  tgt,
                         NULL,   NULL, false, false, bead,  score, NULL, NULL,
                         NULL,   NULL, NULL,  NULL,  0,     false};
        bool is_new = false;
        s = sl__tm_writer_unit(w, &u, &is_new);
        if (s == SL_DATA) {
            snprintf(msg, sizeof msg, "%s:%ld: position %lld of document '%.100s' given twice; "
                     "line skipped", name, lineno, pos, id);
            if (report)
                report(msg, data);
            bad++;
            s = SL_OK;
            continue;
        }
        if (s != SL_OK)
            break;
        res.pairs++;
        if (is_new)
            res.units_new++;
        else
            res.units_existing++;
    }
    if (s == SL_OK && ferror(f))
        s = sl_error_set(err, SL_IO, "%s: cannot read: %s", name, strerror(errno));
    if (s == SL_OK)
        s = sl__tm_writer_commit(w);
    sl__tm_writer_free(w);
    free(buf);
    for (int i = 0; i < F_COUNT; i++)
        sl__buf_free(&l.str[i]);
    for (size_t i = 0; i < js.n; i++)
        free(js.docs[i].id);
    free(js.docs);
    if (!is_stdin)
        fclose(f);
    if (s != SL_OK)
        return s;
    res.skipped = bad;
    res.document_id = 0;
    if (result)
        *result = res;
    if (bad)
        return sl_error_set(err, SL_DATA, "%s: %zu bad lines skipped", name, bad);
    return SL_OK;
}

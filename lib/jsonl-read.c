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

static bool put_utf8(sl__buf *b, unsigned long cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        u[0] = (char)(0xf0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    return sl__buf_append(b, u, n);
}

static int hex4(const char *p, unsigned long *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        *v = *v * 16 + (unsigned long)d;
    }
    return 0;
}

/* Parse a JSON string at p (after the opening quote) into out (NULL =
 * discard); returns the position after the closing quote, or NULL. */
static const char *parse_string(const char *p, sl__buf *out, const char **why)
{
    sl__buf scratch = SL__BUF_INIT;
    sl__buf *b = out ? out : &scratch;
    sl__buf_clear(b);
    for (;;) {
        const char *start = p;
        while (*p && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
            p++;
        if (!sl__buf_append(b, start, (size_t)(p - start)))
            goto nomem;
        if (*p == '"') {
            sl__buf_cstr(b);
            sl__buf_free(&scratch);
            return p + 1;
        }
        if (*p != '\\') {
            *why = *p ? "a control character inside a string" : "an unterminated string";
            goto fail;
        }
        p++;
        unsigned long cp;
        const char *rep = NULL;
        switch (*p) {
        case '"': rep = "\""; break;
        case '\\': rep = "\\"; break;
        case '/': rep = "/"; break;
        case 'b': rep = "\b"; break;
        case 'f': rep = "\f"; break;
        case 'n': rep = "\n"; break;
        case 'r': rep = "\r"; break;
        case 't': rep = "\t"; break;
        case 'u':
            if (hex4(p + 1, &cp) < 0) {
                *why = "a bad \\u escape";
                goto fail;
            }
            p += 5;
            if (cp >= 0xd800 && cp < 0xdc00) {
                unsigned long lo;
                if (p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &lo) < 0 || lo < 0xdc00 ||
                    lo > 0xdfff) {
                    *why = "a lone surrogate in a \\u escape";
                    goto fail;
                }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                p += 6;
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                *why = "a lone surrogate in a \\u escape";
                goto fail;
            }
            if (cp == 0) {
                *why = "a NUL character";
                goto fail;
            }
            if (!put_utf8(b, cp))
                goto nomem;
            continue;
        default:
            *why = "a bad escape in a string";
            goto fail;
        }
        if (!sl__buf_append(b, rep, 1))
            goto nomem;
        p++;
    }
nomem:
    *why = "out of memory";
fail:
    sl__buf_free(&scratch);
    return NULL;
}

/* Parse one line into l; returns NULL on success, else what is wrong. */
static const char *parse_line(const char *p, struct line *l)
{
    const char *why = NULL;
    for (int i = 0; i < F_COUNT; i++) {
        l->has[i] = l->is_num[i] = false;
        sl__buf_clear(&l->str[i]);
    }
    sl__buf key = SL__BUF_INIT;
    p = skip_ws(p);
    if (*p++ != '{') {
        why = "not a JSON object";
        goto done;
    }
    p = skip_ws(p);
    if (*p == '}') {
        p++;
        goto end;
    }
    for (;;) {
        if (*p++ != '"') {
            why = "expected a key in quotes";
            goto done;
        }
        if (!(p = parse_string(p, &key, &why)))
            goto done;
        p = skip_ws(p);
        if (*p++ != ':') {
            why = "expected ':' after a key";
            goto done;
        }
        p = skip_ws(p);
        int f = -1;
        for (int i = 0; i < F_COUNT; i++)
            if (strcmp(sl__buf_cstr(&key), field_names[i]) == 0)
                f = i;
        if (f >= 0 && l->has[f]) {
            why = "a key given twice";
            goto done;
        }
        if (*p == '"') {
            if (!(p = parse_string(p + 1, f >= 0 ? &l->str[f] : NULL, &why)))
                goto done;
        } else if (*p == '-' || (*p >= '0' && *p <= '9')) {
            char *end;
            errno = 0;
            double v = strtod(p, &end);
            if (end == p || errno || !isfinite(v)) {
                why = "a bad number";
                goto done;
            }
            if (f >= 0) {
                l->num[f] = v;
                l->is_num[f] = true;
            }
            p = end;
        } else if (!strncmp(p, "null", 4)) {
            p += 4;
            f = -1; /* a null is an absent value */
        } else {
            why = "values must be strings or numbers";
            goto done;
        }
        if (f >= 0)
            l->has[f] = true;
        p = skip_ws(p);
        if (*p == ',') {
            p = skip_ws(p + 1);
            continue;
        }
        if (*p++ != '}') {
            why = "expected ',' or '}'";
            goto done;
        }
        break;
    }
end:
    p = skip_ws(p);
    if (*p)
        why = "text after the object";
done:
    sl__buf_free(&key);
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
        char msg[400], sl[SL_LANG_MAX], tl[SL_LANG_MAX];
        if (memchr(buf, '\0', (size_t)n))
            why = "a NUL byte";
        else if (sl_text_check_utf8(name, buf, (size_t)n, NULL) != SL_OK)
            why = "invalid UTF-8";
        else if (*skip_ws(buf) == '\0') {
            res.read--;
            continue; /* blank lines are allowed */
        } else
            why = parse_line(buf, &l);
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
                         NULL,   NULL, NULL,  NULL,  0};
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

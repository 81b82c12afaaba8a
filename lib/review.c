/*
 * The HTML review page of an alignment (see include/selaras/review.h).  The
 * rows are collected first, since the summary at the top needs them all.
 */
#include "tm-internal.h"
#include "sha256.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One sentence in a cell; index < 0 when the TM does not say which. */
struct item {
    char *text;  /* NULL: the text is not known */
    long index;
    bool para;   /* starts a new paragraph */
};

struct side {
    struct item *v;
    size_t n, cap;
};

struct row {
    size_t src_first, src_n, tgt_first, tgt_n; /* ranges in the sides' items */
    size_t src_start, src_count, tgt_start, tgt_count; /* the bead's sentence indices */
    char shape[24];
    double score;
};

struct sl_review {
    double low;
    char *title, *src_name, *tgt_name, *src_lang, *tgt_lang;
    char *note; /* shown above the table when set */
    char *tm_path; /* the TM of the first document, which the page must not replace */
    struct side src, tgt;
    struct row *rows;
    size_t nrows, cap;
};

sl_review_options sl_review_defaults(void)
{
    sl_review_options o = {SL_REVIEW_LOW_SCORE, NULL, NULL, NULL, NULL, NULL};
    return o;
}

static bool set_str(char **dst, const char *s)
{
    free(*dst);
    *dst = NULL;
    return !s || (*dst = sl__strdup(s)) != NULL;
}

sl_status sl_review_new(const sl_review_options *opt, sl_review **out, sl_error *err)
{
    if (!out)
        return sl_error_set(err, SL_USAGE, "sl_review_new: no place for the result");
    *out = NULL;
    sl_review_options o = opt ? *opt : sl_review_defaults();
    if (!(o.low_score >= 0 && o.low_score <= 1))
        return sl_error_set(err, SL_USAGE, "the low-score threshold must be between 0 and 1");
    sl_review *r = calloc(1, sizeof *r);
    if (!r)
        return sl__nomem(err);
    r->low = o.low_score;
    if (!set_str(&r->title, o.title ? o.title : "Alignment review") ||
        !set_str(&r->src_name, o.src_name) || !set_str(&r->tgt_name, o.tgt_name) ||
        !set_str(&r->src_lang, o.src_lang) || !set_str(&r->tgt_lang, o.tgt_lang)) {
        sl_review_free(r);
        return sl__nomem(err);
    }
    *out = r;
    return SL_OK;
}

static void free_side(struct side *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].text);
    free(s->v);
}

void sl_review_free(sl_review *r)
{
    if (!r)
        return;
    free(r->title);
    free(r->tm_path);
    free(r->src_name);
    free(r->tgt_name);
    free(r->src_lang);
    free(r->tgt_lang);
    free(r->note);
    free_side(&r->src);
    free_side(&r->tgt);
    free(r->rows);
    free(r);
}

static bool push_item(struct side *s, const char *text, long index, bool para)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        struct item *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return false;
        s->v = v;
        s->cap = cap;
    }
    char *copy = NULL;
    if (text && !(copy = sl__strdup(text)))
        return false;
    s->v[s->n++] = (struct item){copy, index, para};
    return true;
}

/* Start a row whose items are pushed next; shape NULL = the item counts. */
static struct row *new_row(sl_review *r, double score)
{
    if (r->nrows == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        struct row *v = realloc(r->rows, cap * sizeof *v);
        if (!v)
            return NULL;
        r->rows = v;
        r->cap = cap;
    }
    struct row *w = &r->rows[r->nrows++];
    *w = (struct row){r->src.n, 0, r->tgt.n, 0, 0, 0, 0, 0, "", score};
    return w;
}

static void end_row(sl_review *r, struct row *w, size_t src_start, size_t src_count,
                    size_t tgt_start, size_t tgt_count, const char *shape)
{
    w->src_n = r->src.n - w->src_first;
    w->tgt_n = r->tgt.n - w->tgt_first;
    w->src_start = src_start;
    w->src_count = src_count;
    w->tgt_start = tgt_start;
    w->tgt_count = tgt_count;
    if (shape)
        snprintf(w->shape, sizeof w->shape, "%s", shape);
    else
        snprintf(w->shape, sizeof w->shape, "%zu-%zu", src_count, tgt_count);
}

/* Whether sentence i starts a paragraph other than the first one. */
static bool para_start(const sl_sentences *s, size_t i)
{
    return i > 0 && sl_sentences_paragraph(s, i) != sl_sentences_paragraph(s, i - 1);
}

sl_status sl_review_add_alignment(sl_review *r, const sl_sentences *src, const sl_sentences *tgt,
                                  const sl_alignment *al, sl_error *err)
{
    if (!r || !src || !tgt || !al)
        return sl_error_set(err, SL_USAGE, "sl_review_add_alignment: missing argument");
    size_t ns = sl_sentences_count(src), nt = sl_sentences_count(tgt);
    for (size_t i = 0; i < sl_alignment_count(al); i++) {
        const sl_bead *b = sl_alignment_bead(al, i);
        if (b->src_start + b->src_count > ns || b->tgt_start + b->tgt_count > nt)
            return sl_error_set(err, SL_USAGE, "bead %zu lies outside the sentence lists", i);
        struct row *w = new_row(r, b->score);
        if (!w)
            return sl__nomem(err);
        for (size_t k = b->src_start; k < b->src_start + b->src_count; k++)
            if (!push_item(&r->src, sl_sentences_text(src, k), (long)k, para_start(src, k)))
                return sl__nomem(err);
        for (size_t k = b->tgt_start; k < b->tgt_start + b->tgt_count; k++)
            if (!push_item(&r->tgt, sl_sentences_text(tgt, k), (long)k, para_start(tgt, k)))
                return sl__nomem(err);
        end_row(r, w, b->src_start, b->src_count, b->tgt_start, b->tgt_count, NULL);
    }
    return SL_OK;
}

/* ---- a document of a TM */

struct stored {
    long long src_index, tgt_index;
    char shape[24];
    size_t ns, nt; /* from the shape */
    double score;
    char *source, *target;
};

struct doc_info {
    char *src_path, *tgt_path, *src_lang, *tgt_lang, *src_sha, *tgt_sha;
    char *kind; /* "pair" (add), "tmx" (import), "jsonl" (import --jsonl) */
    struct stored *v;
    size_t n;
};

static void free_doc(struct doc_info *d)
{
    free(d->src_path);
    free(d->tgt_path);
    free(d->src_lang);
    free(d->tgt_lang);
    free(d->src_sha);
    free(d->tgt_sha);
    free(d->kind);
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].source);
        free(d->v[i].target);
    }
    free(d->v);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return sl__strdup(t ? (const char *)t : "");
}

static sl_status read_doc(sl_tm *tm, long long id, struct doc_info *d, sl_error *err)
{
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(tm,
                                 "SELECT src_path, tgt_path, src_lang, tgt_lang, src_sha256,"
                                 " tgt_sha256, kind FROM documents WHERE id = ?1",
                                 &st, err);
    if (s != SL_OK)
        return s;
    int rc = sqlite3_bind_int64(st, 1, id);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        d->src_path = col_dup(st, 0);
        d->tgt_path = col_dup(st, 1);
        d->src_lang = col_dup(st, 2);
        d->tgt_lang = col_dup(st, 3);
        d->src_sha = col_dup(st, 4);
        d->tgt_sha = col_dup(st, 5);
        d->kind = col_dup(st, 6);
        if (!d->src_path || !d->tgt_path || !d->src_lang || !d->tgt_lang || !d->src_sha ||
            !d->tgt_sha || !d->kind)
            s = sl__nomem(err);
    } else if (rc == SQLITE_DONE) {
        s = sl_error_set(err, SL_NOTFOUND, "%s: no document with id %lld (see 'selaras stats')",
                         tm->path, id);
    } else {
        s = sl__tm_db_error(tm, rc, "cannot read the document", err);
    }
    sqlite3_finalize(st);
    if (s != SL_OK)
        return s;

    s = sl__tm_prepare(tm,
                       "SELECT o.src_index, o.tgt_index, o.bead, o.score, s.text, t.text"
                       " FROM occurrences o JOIN units u ON u.id = o.unit"
                       " JOIN segments s ON s.id = u.src_segment"
                       " JOIN segments t ON t.id = u.tgt_segment"
                       " WHERE o.document = ?1 ORDER BY o.position",
                       &st, err);
    if (s != SL_OK)
        return s;
    size_t cap = 0;
    rc = sqlite3_bind_int64(st, 1, id);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (d->n == cap) {
            cap = cap ? 2 * cap : 64;
            struct stored *v = realloc(d->v, cap * sizeof *v);
            if (!v) {
                s = sl__nomem(err);
                break;
            }
            d->v = v;
        }
        struct stored *o = &d->v[d->n];
        memset(o, 0, sizeof *o);
        o->src_index = sqlite3_column_int64(st, 0);
        o->tgt_index = sqlite3_column_int64(st, 1);
        const unsigned char *shape = sqlite3_column_text(st, 2);
        snprintf(o->shape, sizeof o->shape, "%s", shape ? (const char *)shape : "");
        if (sscanf(o->shape, "%zu-%zu", &o->ns, &o->nt) != 2)
            o->ns = o->nt = 1;
        o->score = sqlite3_column_double(st, 3);
        d->n++;
        if (!(o->source = col_dup(st, 4)) || !(o->target = col_dup(st, 5))) {
            s = sl__nomem(err);
            break;
        }
        rc = SQLITE_OK;
    }
    if (s == SL_OK && rc != SQLITE_DONE)
        s = sl__tm_db_error(tm, rc, "cannot read the document's beads", err);
    sqlite3_finalize(st);
    return s;
}

/* Sentences [start, start + n) joined as the TM joins them: one space. */
static bool joined_equals(const sl_sentences *ss, long long start, size_t n, const char *want)
{
    size_t count = sl_sentences_count(ss), at = 0, wl = strlen(want);
    if (start < 0 || (size_t)start + n > count)
        return false;
    bool first = true;
    for (size_t i = (size_t)start; i < (size_t)start + n; i++) {
        size_t len = sl_sentences_length(ss, i);
        if (len == 0)
            continue;
        if (!first) {
            if (at >= wl || want[at] != ' ')
                return false;
            at++;
        }
        first = false;
        if (len > wl - at || memcmp(want + at, sl_sentences_text(ss, i), len) != 0)
            return false;
        at += len;
    }
    return at == wl;
}

/* The document's file, if it is still there unchanged, in the sentences the
 * TM recorded (segmented, or one per line); NULL otherwise. */
static sl_sentences *original_side(const struct doc_info *d, bool source)
{
    const char *path = source ? d->src_path : d->tgt_path;
    const char *sha = source ? d->src_sha : d->tgt_sha;
    const char *lang = source ? d->src_lang : d->tgt_lang;
    char *text = NULL;
    size_t len = 0;
    sl_error e;
    /* "-" was standard input when the pair was added: nothing to reread */
    if (strcmp(path, "-") == 0 || sl_text_read_file(path, &text, &len, &e) != SL_OK)
        return NULL;
    char hex[65];
    sl__sha256_hex(text, len, hex);
    sl_sentences *best = NULL;
    if (strcmp(hex, sha) == 0) {
        for (int way = 0; way < 2 && !best; way++) {
            sl_sentences *ss = NULL;
            sl_segmenter *seg = NULL;
            if (way == 0) {
                if (sl_segmenter_new(lang, NULL, &seg, &e) == SL_OK)
                    sl_segment(seg, text, len, &ss, &e);
                sl_segmenter_free(seg);
            } else {
                sl_sentences_from_lines(text, len, &ss, &e);
            }
            bool ok = ss != NULL;
            for (size_t i = 0; ok && i < d->n; i++) {
                const struct stored *o = &d->v[i];
                ok = source ? joined_equals(ss, o->src_index, o->ns, o->source)
                            : joined_equals(ss, o->tgt_index, o->nt, o->target);
            }
            if (ok)
                best = ss;
            else
                sl_sentences_free(ss);
        }
    }
    sl_free(text);
    return best;
}

/* Unpaired sentences [from, to) of one side, one row each. */
static bool unpaired_rows(sl_review *r, bool source, const sl_sentences *ss, size_t from,
                          size_t to)
{
    for (size_t k = from; k < to; k++) {
        struct row *w = new_row(r, 0);
        if (!w)
            return false;
        const char *text = ss ? sl_sentences_text(ss, k) : NULL;
        bool para = ss ? para_start(ss, k) : false;
        if (!push_item(source ? &r->src : &r->tgt, text, (long)k, para))
            return false;
        if (source)
            end_row(r, w, k, 1, 0, 0, NULL);
        else
            end_row(r, w, 0, 0, k, 1, NULL);
    }
    return true;
}

sl_status sl_review_add_tm_document(sl_review *r, sl_tm *tm, long long doc_id, sl_error *err)
{
    if (!r || !tm)
        return sl_error_set(err, SL_USAGE, "sl_review_add_tm_document: missing argument");
    struct doc_info d = {0};
    sl_status s = read_doc(tm, doc_id, &d, err);
    if (s != SL_OK) {
        free_doc(&d);
        return s;
    }
    if ((!r->tm_path && tm->path && !set_str(&r->tm_path, tm->path)) ||
        (!r->src_name && !set_str(&r->src_name, d.src_path)) ||
        (!r->tgt_name && !set_str(&r->tgt_name, d.tgt_path)) ||
        (!r->src_lang && !set_str(&r->src_lang, d.src_lang)) ||
        (!r->tgt_lang && !set_str(&r->tgt_lang, d.tgt_lang))) {
        free_doc(&d);
        return sl__nomem(err);
    }
    /* Only a pair added from two texts has files to find its unpaired
     * sentences and paragraphs in; a TMX file or JSON lines gave pairs only. */
    bool texts = strcmp(d.kind, "pair") == 0;
    sl_sentences *src = texts ? original_side(&d, true) : NULL;
    sl_sentences *tgt = texts ? original_side(&d, false) : NULL;
    if (!src || !tgt) {
        sl__buf note = SL__BUF_INIT;
        bool ok;
        if (texts)
            ok = sl__buf_printf(&note,
                                "Document %lld: %s is no longer where it was added from, or has "
                                "changed, so sentences without a counterpart are shown by number "
                                "only (those after the last pair are not known), and paragraph "
                                "breaks are not known.",
                                doc_id, !src ? d.src_path : d.tgt_path);
        else
            ok = sl__buf_printf(&note,
                                "Document %lld was imported from %s %s, which holds translation "
                                "units only: there are no sentences without a counterpart and "
                                "no paragraph breaks to show.",
                                doc_id,
                                strcmp(d.kind, "tmx") == 0     ? "the TMX file"
                                : strcmp(d.kind, "jsonl") == 0 ? "the JSON lines of document"
                                                               : "the file",
                                d.src_path);
        if (!ok) {
            sl__buf_free(&note);
            s = sl__nomem(err);
            goto cleanup;
        }
        free(r->note);
        r->note = sl__buf_detach(&note);
        /* Without the files only the sentences the TM knows can be shown. */
        sl_sentences_free(src);
        sl_sentences_free(tgt);
        src = tgt = NULL;
    }
    size_t si = 0, ti = 0; /* the next sentence of each side not yet shown */
    for (size_t i = 0; i < d.n; i++) {
        const struct stored *o = &d.v[i];
        size_t os = (size_t)(o->src_index > 0 ? o->src_index : 0);
        size_t ot = (size_t)(o->tgt_index > 0 ? o->tgt_index : 0);
        if ((os > si && !unpaired_rows(r, true, src, si, os)) ||
            (ot > ti && !unpaired_rows(r, false, tgt, ti, ot))) {
            s = sl__nomem(err);
            goto cleanup;
        }
        struct row *w = new_row(r, o->score);
        bool ok = w != NULL;
        if (ok && src) {
            for (size_t k = os; ok && k < os + o->ns; k++)
                ok = push_item(&r->src, sl_sentences_text(src, k), (long)k, para_start(src, k));
            for (size_t k = ot; ok && k < ot + o->nt; k++)
                ok = push_item(&r->tgt, sl_sentences_text(tgt, k), (long)k, para_start(tgt, k));
        } else if (ok) {
            /* the TM holds merged sentences joined: one item per side */
            ok = push_item(&r->src, o->source, -1, false) &&
                 push_item(&r->tgt, o->target, -1, false);
        }
        if (!ok) {
            s = sl__nomem(err);
            goto cleanup;
        }
        end_row(r, w, os, o->ns, ot, o->nt, o->shape);
        si = os + o->ns;
        ti = ot + o->nt;
    }
    if (src && tgt &&
        (!unpaired_rows(r, true, src, si, sl_sentences_count(src)) ||
         !unpaired_rows(r, false, tgt, ti, sl_sentences_count(tgt))))
        s = sl__nomem(err);
cleanup:
    sl_sentences_free(src);
    sl_sentences_free(tgt);
    free_doc(&d);
    return s;
}

/* ---- writing the page */

/* Text for HTML content and attribute values: the five special characters
 * as references, C0 controls (which HTML forbids) as U+FFFD. */
static void esc(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        case '\t': case '\n': case '\r': fputc(*p, f); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fputs("\xef\xbf\xbd", f);
            else
                fputc(*p, f);
        }
    }
}

static const char style[] =
    "body{font:15px/1.45 system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}"
    "h1{font-size:1.4em;margin:0 0 .3em}"
    ".files{color:#555;margin:0 0 1em}"
    "#summary{display:flex;flex-wrap:wrap;gap:2em;align-items:flex-start;margin-bottom:1.2em}"
    "#counts{border-collapse:collapse}#counts td,#counts th{padding:.15em .8em;"
    "border-bottom:1px solid #ddd;text-align:right}#counts th:first-child,"
    "#counts td:first-child{text-align:left}"
    ".note{background:#fff4d6;border-left:4px solid #e0a800;padding:.5em .8em;max-width:60em}"
    ".legend span{display:inline-block;padding:0 .5em;margin-right:.8em;border-radius:3px}"
    "#beads{border-collapse:collapse;width:100%;table-layout:fixed}"
    "#beads th{position:sticky;top:0;background:#eef;text-align:left;padding:.3em .5em}"
    "#beads td{vertical-align:top;padding:.3em .5em;border-top:1px solid #ddd}"
    "#beads col.n{width:3.5em}#beads col.shape{width:4em}#beads col.score{width:5em}"
    "td.num,td.shape,td.score{font-variant-numeric:tabular-nums;color:#444}"
    "tr.low td{background:#ffe3e0}tr.unpaired td{background:#fff3c4}"
    "tr.low td.score{color:#b00020;font-weight:bold}"
    "td.newpar{border-top:3px solid #6a7fd0}"
    ".sent{display:block}.sent.par::before{content:'\\00b6 ';color:#6a7fd0;font-weight:bold}"
    ".sent.unknown{color:#777;font-style:italic}"
    "#onlylow:checked~table tbody tr:not(.low):not(.unpaired){display:none}";

static void histogram(FILE *f, const sl_review *r)
{
    enum { BINS = 10, W = 440, H = 170, X0 = 36, Y0 = 140, BW = 38 };
    size_t bins[BINS] = {0}, max = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        const struct row *w = &r->rows[i];
        if (!w->src_count || !w->tgt_count)
            continue;
        int b = (int)floor(w->score * BINS);
        b = b < 0 ? 0 : b >= BINS ? BINS - 1 : b;
        if (++bins[b] > max)
            max = bins[b];
    }
    fprintf(f, "<figure><svg id=\"histogram\" role=\"img\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\" aria-label=\"score histogram of the paired beads\">",
            W, H, W, H);
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>", X0, Y0,
            X0 + BINS * BW, Y0);
    for (int b = 0; b < BINS; b++) {
        double h = max ? 110.0 * (double)bins[b] / (double)max : 0;
        bool low = (b + 1) / (double)BINS <= r->low + 1e-9;
        fprintf(f,
                "<rect class=\"bin\" data-bin=\"%d\" data-count=\"%zu\" x=\"%d\" y=\"%.1f\" "
                "width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%.1f-%.1f: %zu</title></rect>",
                b, bins[b], X0 + b * BW + 2, Y0 - h, BW - 4, h, low ? "#e07a6e" : "#6a7fd0",
                b / (double)BINS, (b + 1) / (double)BINS, bins[b]);
        if (bins[b])
            fprintf(f, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%zu"
                       "</text>",
                    X0 + b * BW + BW / 2, Y0 - h - 3, bins[b]);
    }
    for (int t = 0; t <= BINS; t += 5)
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%.1f</text>",
                X0 + t * BW, Y0 + 14, t / (double)BINS);
    double tx = X0 + r->low * BINS * BW;
    fprintf(f, "<line x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%d\" stroke=\"#b00020\" "
               "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"14\" font-size=\"11\" "
               "fill=\"#b00020\" text-anchor=\"middle\">%.2f</text>",
            tx, tx, Y0, tx, r->low);
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">score</text>",
            X0 + BINS * BW / 2, Y0 + 28);
    fputs("</svg><figcaption>Scores of the paired beads</figcaption></figure>\n", f);
}

static void counts_table(FILE *f, const sl_review *r, size_t *low, size_t *unpaired)
{
    /* the usual shapes first, then any other in order of appearance */
    static const char *const usual[] = {"1-1", "1-2", "2-1", "2-2", "1-0", "0-1"};
    enum { MAXSHAPES = 32 };
    const char *shapes[MAXSHAPES];
    size_t counts[MAXSHAPES] = {0}, nshapes = 0, other = 0;
    for (size_t i = 0; i < 6; i++)
        shapes[nshapes++] = usual[i];
    *low = *unpaired = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        const struct row *w = &r->rows[i];
        if (!w->src_count || !w->tgt_count)
            (*unpaired)++;
        else if (w->score < r->low)
            (*low)++;
        size_t k = 0;
        while (k < nshapes && strcmp(shapes[k], w->shape) != 0)
            k++;
        if (k == nshapes && nshapes < MAXSHAPES)
            shapes[nshapes++] = w->shape;
        if (k < nshapes)
            counts[k]++;
        else
            other++;
    }
    fputs("<table id=\"counts\"><thead><tr><th>bead</th><th>count</th><th>share</th></tr>"
          "</thead><tbody>\n",
          f);
    for (size_t k = 0; k < nshapes; k++) {
        if (!counts[k] && k >= 4)
            continue; /* show 1-0 and 0-1 only when present, the 2x shapes always */
        fputs("<tr data-shape=\"", f);
        esc(f, shapes[k]);
        fputs("\"><td>", f);
        esc(f, shapes[k]);
        fprintf(f, "</td><td class=\"count\">%zu</td><td>%.1f%%</td></tr>\n", counts[k],
                r->nrows ? 100.0 * (double)counts[k] / (double)r->nrows : 0.0);
    }
    if (other)
        fprintf(f, "<tr data-shape=\"other\"><td>other</td><td class=\"count\">%zu</td>"
                   "<td></td></tr>\n", other);
    fprintf(f, "</tbody><tfoot><tr><th>all</th><th class=\"count\">%zu</th><th></th></tr>"
               "</tfoot></table>\n",
            r->nrows);
}

static void cell(FILE *f, const struct side *s, size_t first, size_t n, const char *lang)
{
    bool newpar = n && s->v[first].para;
    fprintf(f, "<td class=\"text%s\"", newpar ? " newpar" : "");
    if (lang) {
        fputs(" lang=\"", f);
        esc(f, lang);
        fputc('"', f);
    }
    fputc('>', f);
    for (size_t k = first; k < first + n; k++) {
        const struct item *it = &s->v[k];
        fprintf(f, "<span class=\"sent%s%s\"", it->para ? " par" : "",
                it->text ? "" : " unknown");
        if (it->index >= 0)
            fprintf(f, " data-i=\"%ld\"", it->index);
        fputc('>', f);
        if (it->text)
            esc(f, it->text);
        else
            fprintf(f, "(sentence %ld: its text is not in the TM)", it->index);
        fputs("</span>", f);
    }
    fputs("</td>", f);
}

static void indices(FILE *f, size_t start, size_t count)
{
    for (size_t k = start; k < start + count; k++)
        fprintf(f, "%s%zu", k > start ? "," : "", k);
}

static void side_head(FILE *f, const char *word, const char *name, const char *lang)
{
    fputs(word, f);
    if (lang) {
        fputs(" (", f);
        esc(f, lang);
        fputc(')', f);
    }
    if (name) {
        fputs(": ", f);
        esc(f, name);
    }
}

sl_status sl_review_write(const sl_review *r, FILE *f, const char *name, sl_error *err)
{
    if (!r || !f)
        return sl_error_set(err, SL_USAGE, "sl_review_write: missing argument");
    if (!name)
        name = "the review page";
    errno = 0;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"selaras ",
          f);
    esc(f, sl_version());
    fputs("\">\n<title>", f);
    esc(f, r->title);
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", style);
    esc(f, r->title);
    fputs("</h1>\n<p class=\"files\">", f);
    side_head(f, "Source", r->src_name, r->src_lang);
    fputs("<br>", f);
    side_head(f, "Target", r->tgt_name, r->tgt_lang);
    fputs("</p>\n", f);
    if (r->note) {
        fputs("<p class=\"note\">", f);
        esc(f, r->note);
        fputs("</p>\n", f);
    }

    size_t low = 0, unpaired = 0, ns = 0, nt = 0;
    fputs("<section id=\"summary\">\n", f);
    counts_table(f, r, &low, &unpaired);
    histogram(f, r);
    for (size_t i = 0; i < r->nrows; i++) {
        ns += r->rows[i].src_count;
        nt += r->rows[i].tgt_count;
    }
    fprintf(f, "<div><p id=\"totals\">%zu beads: %zu source and %zu target sentences.</p>"
               "<p class=\"legend\"><span style=\"background:#ffe3e0\">%zu below %.2f</span>"
               "<span style=\"background:#fff3c4\">%zu without a counterpart</span></p>"
               "<p>A score is the aligner's confidence (0-1) that the bead pairs translations;"
               " rows of paired beads scoring below %.2f are highlighted.  "
               "<span style=\"color:#6a7fd0;font-weight:bold\">&#182;</span> marks the start "
               "of a paragraph.</p></div>\n</section>\n",
            r->nrows, ns, nt, low, r->low, unpaired, r->low);

    fputs("<input type=\"checkbox\" id=\"onlylow\"> <label for=\"onlylow\">show only the "
          "highlighted rows</label>\n<table id=\"beads\">\n<colgroup><col class=\"n\">"
          "<col class=\"shape\"><col class=\"score\"><col><col></colgroup>\n"
          "<thead><tr><th>#</th><th>bead</th><th>score</th><th>",
          f);
    side_head(f, "source", NULL, r->src_lang);
    fputs("</th><th>", f);
    side_head(f, "target", NULL, r->tgt_lang);
    fputs("</th></tr></thead>\n<tbody>\n", f);
    for (size_t i = 0; i < r->nrows; i++) {
        const struct row *w = &r->rows[i];
        bool paired = w->src_count && w->tgt_count;
        const char *cls = !paired ? "bead unpaired" : w->score < r->low ? "bead low" : "bead";
        fprintf(f, "<tr class=\"%s\" id=\"b%zu\" data-shape=\"", cls, i);
        esc(f, w->shape);
        fputs("\" data-src=\"", f);
        indices(f, w->src_start, w->src_count);
        fputs("\" data-tgt=\"", f);
        indices(f, w->tgt_start, w->tgt_count);
        fprintf(f, "\"><td class=\"num\">%zu</td><td class=\"shape\">", i);
        esc(f, w->shape);
        fprintf(f, "</td><td class=\"score\">%.4f</td>", w->score);
        cell(f, &r->src, w->src_first, w->src_n, r->src_lang);
        cell(f, &r->tgt, w->tgt_first, w->tgt_n, r->tgt_lang);
        fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table>\n</body>\n</html>\n", f);
    if (fflush(f) != 0 || ferror(f))
        return sl_error_set(err, SL_IO, "%s: cannot write: %s", name,
                            errno ? strerror(errno) : "write error");
    return SL_OK;
}

struct review_out {
    const sl_review *r;
    const char *path;
    sl_error err;
    sl_status st;
};

static bool write_review(FILE *f, void *ctx)
{
    struct review_out *out = ctx;
    out->st = sl_review_write(out->r, f, out->path, &out->err);
    return out->st == SL_OK;
}

sl_status sl_review_write_file(const sl_review *r, const char *path, sl_error *err)
{
    if (!r || !path)
        return sl_error_set(err, SL_USAGE, "sl_review_write_file: missing argument");
    sl_status st = sl__refuse_tm_file(path, r->tm_path, err);
    if (st != SL_OK)
        return st;
    struct review_out out = {.r = r, .path = path, .st = SL_OK};
    st = sl_file_write(path, write_review, &out, err);
    if (out.st == SL_OK)
        return st;
    /* the page's own error, not the generic one sl_file_write lays over it */
    if (err)
        *err = out.err;
    return out.st;
}

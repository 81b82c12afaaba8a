#include "internal.h"
#include <stdlib.h>
#include <string.h>

struct sentence {
    size_t text_off, text_len; /* into sl_sentences.texts */
    size_t paragraph;
    size_t span_start, span_end;
};

struct sl_sentences {
    struct sentence *v;
    size_t n, cap;
    sl__buf texts; /* every sentence's text, each followed by a NUL */
    size_t paragraphs;
};

sl_status sl_sentences_new(sl_sentences **out, sl_error *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? SL_OK : sl__nomem(err);
}

void sl_sentences_free(sl_sentences *s)
{
    if (!s)
        return;
    free(s->v);
    sl__buf_free(&s->texts);
    free(s);
}

sl_status sl__sentences_push(sl_sentences *s, const char *text, size_t len, bool new_paragraph,
                             size_t span_start, size_t span_end, sl_error *err)
{
    size_t sp;
    while (len && (sp = sl__space_len(text, len)) != 0) {
        text += sp;
        len -= sp;
    }
    /* trim trailing whitespace: walk back over ASCII and multi-byte spaces */
    while (len) {
        size_t cut = 0;
        for (size_t k = 1; k <= 3 && k <= len; k++)
            if (sl__space_len(text + len - k, k) == k) {
                cut = k;
                break;
            }
        if (!cut)
            break;
        len -= cut;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        struct sentence *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return sl__nomem(err);
        s->v = v;
        s->cap = cap;
    }
    size_t off = s->texts.len;
    if (!sl__buf_append(&s->texts, text, len) || !sl__buf_append(&s->texts, "", 1))
        return sl__nomem(err);
    if (new_paragraph || s->n == 0)
        s->paragraphs++;
    s->v[s->n++] = (struct sentence){off, len, s->paragraphs - 1, span_start, span_end};
    return SL_OK;
}

sl_status sl_sentences_append(sl_sentences *s, const char *text, size_t len, bool new_paragraph,
                              sl_error *err)
{
    return sl__sentences_push(s, text, len, new_paragraph, 0, 0, err);
}

sl_status sl_sentences_from_lines(const char *text, size_t len, sl_sentences **out, sl_error *err)
{
    sl_status st = sl_sentences_new(out, err);
    if (st != SL_OK)
        return st;
    bool new_paragraph = true;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t lstart = i;
        i = nl ? end + 1 : len;
        size_t j = lstart;
        size_t sp;
        while (j < end && (sp = sl__space_len(text + j, end - j)) != 0)
            j += sp;
        if (j == end) {
            new_paragraph = true;
            continue;
        }
        st = sl__sentences_push(*out, text + lstart, end - lstart, new_paragraph, 0, 0, err);
        if (st != SL_OK) {
            sl_sentences_free(*out);
            *out = NULL;
            return st;
        }
        new_paragraph = false;
    }
    return SL_OK;
}

size_t sl_sentences_count(const sl_sentences *s)
{
    return s ? s->n : 0;
}

const char *sl_sentences_text(const sl_sentences *s, size_t i)
{
    return i < s->n ? s->texts.data + s->v[i].text_off : NULL;
}

size_t sl_sentences_length(const sl_sentences *s, size_t i)
{
    return i < s->n ? s->v[i].text_len : 0;
}

size_t sl_sentences_paragraph(const sl_sentences *s, size_t i)
{
    return i < s->n ? s->v[i].paragraph : 0;
}

void sl_sentences_span(const sl_sentences *s, size_t i, size_t *start, size_t *end)
{
    *start = i < s->n ? s->v[i].span_start : 0;
    *end = i < s->n ? s->v[i].span_end : 0;
}

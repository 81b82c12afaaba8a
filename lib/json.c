#include "internal.h"
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 256

struct sl_json {
    sl_json_type kind;
    char *text;   /* string: decoded value; number: the literal */
    size_t len;
    sl_json **items;
    char **keys;  /* objects only, parallel to items */
    size_t *key_lens;
    size_t n, cap;
};

struct parser {
    const unsigned char *s;
    size_t n, i;
    int depth;
    sl__json_fault fault;
    sl_error *err;
};

static sl_status bad(struct parser *p, const char *what)
{
    return sl_error_set(p->err, SL_DATA, "column %zu: %s", p->i + 1, what);
}

static sl_status unexpected(struct parser *p, const char *expected)
{
    if (p->i >= p->n)
        return sl_error_set(p->err, SL_DATA, "column %zu: unexpected end of input, expected %s",
                            p->i + 1, expected);
    unsigned char c = p->s[p->i];
    if (c >= 0x21 && c < 0x7f)
        return sl_error_set(p->err, SL_DATA, "column %zu: unexpected '%c', expected %s", p->i + 1,
                            c, expected);
    return sl_error_set(p->err, SL_DATA, "column %zu: unexpected byte 0x%02x, expected %s",
                        p->i + 1, c, expected);
}

static void skip_ws(struct parser *p)
{
    while (p->i < p->n &&
           (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
        p->i++;
}

static sl_json *node(sl_json_type kind)
{
    sl_json *v = calloc(1, sizeof *v);
    if (v)
        v->kind = kind;
    return v;
}

void sl_json_free(sl_json *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        sl_json_free(v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->key_lens);
    free(v->text);
    free(v);
}

static bool grow(sl_json *v)
{
    if (v->n < v->cap)
        return true;
    size_t cap = v->cap ? v->cap * 2 : 4;
    sl_json **items = realloc(v->items, cap * sizeof *items);
    if (!items)
        return false;
    v->items = items;
    if (v->kind == SL_JSON_OBJECT) {
        char **keys = realloc(v->keys, cap * sizeof *keys);
        if (!keys)
            return false;
        v->keys = keys;
        size_t *lens = realloc(v->key_lens, cap * sizeof *lens);
        if (!lens)
            return false;
        v->key_lens = lens;
    }
    v->cap = cap;
    return true;
}

static void put_utf8(sl__buf *b, uint32_t cp, bool *ok)
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
    if (*ok)
        *ok = sl__buf_append(b, u, n);
}

static int hex4(const unsigned char *s)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        int c = s[k], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* The \uXXXX escape at p->i (pointing at the 'u'), with a following low
 * surrogate when the first is a high one. */
static sl_status unicode_escape(struct parser *p, uint32_t *cp)
{
    /* Errors point at the backslash. */
    if (p->n - p->i < 5 || hex4(p->s + p->i + 1) < 0)
        return p->i--, bad(p, "\\u needs four hexadecimal digits");
    uint32_t hi = (uint32_t)hex4(p->s + p->i + 1);
    if (hi >= 0xdc00 && hi <= 0xdfff)
        return p->i--, p->fault = SL__JSON_SURROGATE, bad(p, "lone low surrogate in a \\u escape");
    if (hi < 0xd800 || hi > 0xdbff) {
        p->i += 5;
        *cp = hi;
        return SL_OK;
    }
    size_t j = p->i + 5;
    int lo = p->n - j >= 6 && p->s[j] == '\\' && p->s[j + 1] == 'u' ? hex4(p->s + j + 2) : -1;
    if (lo < 0xdc00 || lo > 0xdfff)
        return p->i--, p->fault = SL__JSON_SURROGATE,
               bad(p, "high surrogate in a \\u escape without a low surrogate after it");
    *cp = 0x10000 + ((hi - 0xd800) << 10) + ((uint32_t)lo - 0xdc00);
    p->i = j + 6;
    return SL_OK;
}

/* A string starting at the opening quote; the decoded bytes go to out. */
static sl_status parse_string(struct parser *p, char **out, size_t *out_len)
{
    sl__buf b = SL__BUF_INIT;
    bool ok = true;
    p->i++;
    for (;;) {
        if (p->i >= p->n) {
            sl__buf_free(&b);
            return bad(p, "unterminated string");
        }
        unsigned char c = p->s[p->i];
        if (c == '"') {
            p->i++;
            break;
        }
        if (c < 0x20) {
            sl__buf_free(&b);
            return sl_error_set(p->err, SL_DATA,
                                "column %zu: control character U+%04X in a string (escape it)",
                                p->i + 1, c);
        }
        if (c == '\\') {
            p->i++;
            if (p->i >= p->n) {
                sl__buf_free(&b);
                return bad(p, "unterminated string");
            }
            char e = (char)p->s[p->i];
            const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
            const char *hit = e ? strchr(from, e) : NULL;
            if (hit) {
                char d = to[hit - from];
                if (ok)
                    ok = sl__buf_append(&b, &d, 1);
                p->i++;
            } else if (e == 'u') {
                uint32_t cp = 0;
                sl_status s = unicode_escape(p, &cp);
                if (s != SL_OK) {
                    sl__buf_free(&b);
                    return s;
                }
                put_utf8(&b, cp, &ok);
            } else {
                sl__buf_free(&b);
                p->i--;
                return bad(p, "invalid escape in a string");
            }
            continue;
        }
        size_t k = sl__utf8_seq_len(p->s + p->i, p->n - p->i);
        if (k == 0) {
            sl__buf_free(&b);
            return sl_error_set(p->err, SL_DATA, "column %zu: invalid UTF-8 (byte 0x%02x)",
                                p->i + 1, c);
        }
        if (ok)
            ok = sl__buf_append(&b, (const char *)p->s + p->i, k);
        p->i += k;
    }
    size_t len = b.len;
    char *s = ok ? sl__buf_detach(&b) : NULL;
    if (!s) {
        sl__buf_free(&b);
        return sl__nomem(p->err);
    }
    *out = s;
    *out_len = len;
    return SL_OK;
}

static bool digit(struct parser *p)
{
    return p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9';
}

static sl_status parse_number(struct parser *p, sl_json **out)
{
    size_t start = p->i;
    if (p->s[p->i] == '-')
        p->i++;
    if (!digit(p))
        return unexpected(p, "a digit");
    if (p->s[p->i] == '0') {
        p->i++;
        if (digit(p))
            return bad(p, "leading zero in a number");
    } else
        while (digit(p))
            p->i++;
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        if (!digit(p))
            return unexpected(p, "a digit after the decimal point");
        while (digit(p))
            p->i++;
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        if (!digit(p))
            return unexpected(p, "a digit in the exponent");
        while (digit(p))
            p->i++;
    }
    sl_json *v = node(SL_JSON_NUMBER);
    if (!v || !(v->text = sl__strndup((const char *)p->s + start, p->i - start))) {
        free(v);
        return sl__nomem(p->err);
    }
    v->len = p->i - start;
    *out = v;
    return SL_OK;
}

static sl_status parse_value(struct parser *p, sl_json **out);

static sl_status parse_container(struct parser *p, sl_json **out)
{
    bool object = p->s[p->i] == '{';
    char close = object ? '}' : ']';
    if (++p->depth > MAX_DEPTH)
        return bad(p, "nesting deeper than 256 levels");
    sl_json *v = node(object ? SL_JSON_OBJECT : SL_JSON_ARRAY);
    if (!v)
        return sl__nomem(p->err);
    p->i++;
    skip_ws(p);
    sl_status s = SL_OK;
    if (p->i < p->n && p->s[p->i] == close)
        p->i++;
    else
        for (;;) {
            char *key = NULL;
            size_t key_len = 0;
            if (object) {
                if (p->i >= p->n || p->s[p->i] != '"') {
                    s = unexpected(p, "a string key");
                    break;
                }
                size_t at = p->i;
                s = parse_string(p, &key, &key_len);
                if (s != SL_OK)
                    break;
                for (size_t k = 0; k < v->n; k++)
                    if (v->key_lens[k] == key_len && memcmp(v->keys[k], key, key_len) == 0) {
                        p->i = at;
                        s = bad(p, "duplicate key in an object");
                        break;
                    }
                if (s == SL_OK) {
                    skip_ws(p);
                    if (p->i >= p->n || p->s[p->i] != ':')
                        s = unexpected(p, "':' after a key");
                    else {
                        p->i++;
                        skip_ws(p);
                    }
                }
                if (s != SL_OK) {
                    free(key);
                    break;
                }
            }
            sl_json *item = NULL;
            s = parse_value(p, &item);
            if (s == SL_OK && !grow(v))
                s = sl__nomem(p->err);
            if (s != SL_OK) {
                sl_json_free(item);
                free(key);
                break;
            }
            if (object) {
                v->keys[v->n] = key;
                v->key_lens[v->n] = key_len;
            }
            v->items[v->n++] = item;
            skip_ws(p);
            if (p->i < p->n && p->s[p->i] == ',') {
                p->i++;
                skip_ws(p);
                if (p->i < p->n && p->s[p->i] == close) {
                    s = bad(p, "trailing comma");
                    break;
                }
                continue;
            }
            if (p->i < p->n && p->s[p->i] == close) {
                p->i++;
                break;
            }
            s = unexpected(p, object ? "',' or '}'" : "',' or ']'");
            break;
        }
    p->depth--;
    if (s != SL_OK) {
        sl_json_free(v);
        return s;
    }
    *out = v;
    return SL_OK;
}

static sl_status literal(struct parser *p, const char *word, sl_json_type kind, sl_json **out)
{
    size_t k = strlen(word);
    if (p->n - p->i < k || memcmp(p->s + p->i, word, k) != 0)
        return unexpected(p, "a value");
    p->i += k;
    *out = node(kind);
    return *out ? SL_OK : sl__nomem(p->err);
}

static sl_status parse_value(struct parser *p, sl_json **out)
{
    *out = NULL;
    if (p->i >= p->n)
        return unexpected(p, "a value");
    switch (p->s[p->i]) {
    case '{':
    case '[':
        return parse_container(p, out);
    case '"': {
        sl_json *v = node(SL_JSON_STRING);
        if (!v)
            return sl__nomem(p->err);
        sl_status s = parse_string(p, &v->text, &v->len);
        if (s != SL_OK) {
            free(v);
            return s;
        }
        *out = v;
        return SL_OK;
    }
    case 't': return literal(p, "true", SL_JSON_TRUE, out);
    case 'f': return literal(p, "false", SL_JSON_FALSE, out);
    case 'n': return literal(p, "null", SL_JSON_NULL, out);
    default:
        if (p->s[p->i] == '-' || (p->s[p->i] >= '0' && p->s[p->i] <= '9'))
            return parse_number(p, out);
        return unexpected(p, "a value");
    }
}

sl_status sl__json_parse_prefix(const char *text, size_t len, sl_json **out, size_t *used,
                                sl__json_fault *fault, sl_error *err)
{
    if (fault)
        *fault = SL__JSON_SYNTAX;
    if (!out)
        return sl_error_set(err, SL_USAGE, "sl_json_parse: no place for the result");
    *out = NULL;
    if (!text && len)
        return sl_error_set(err, SL_USAGE, "sl_json_parse: no text");
    struct parser p = {(const unsigned char *)(text ? text : ""), len, 0, 0, SL__JSON_SYNTAX, err};
    /* A byte order mark is not JSON whitespace, but some writers add one. */
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        p.i = 3;
    skip_ws(&p);
    sl_json *v = NULL;
    sl_status s = parse_value(&p, &v);
    if (s != SL_OK) {
        if (fault)
            *fault = s == SL_DATA ? p.fault : SL__JSON_OTHER;
        return s;
    }
    skip_ws(&p);
    if (used)
        *used = p.i;
    *out = v;
    return SL_OK;
}

sl_status sl_json_parse(const char *text, size_t len, sl_json **out, sl_error *err)
{
    size_t used = 0;
    sl_status s = sl__json_parse_prefix(text, len, out, &used, NULL, err);
    if (s == SL_OK && used < len) {
        sl_json_free(*out);
        *out = NULL;
        struct parser p = {(const unsigned char *)text, len, used, 0, SL__JSON_SYNTAX, err};
        return unexpected(&p, "the end after the value");
    }
    return s;
}

sl_json_type sl_json_kind(const sl_json *v)
{
    return v ? v->kind : SL_JSON_NULL;
}

const char *sl_json_string(const sl_json *v, size_t *len)
{
    if (!v || v->kind != SL_JSON_STRING)
        return NULL;
    if (len)
        *len = v->len;
    return v->text;
}

bool sl_json_number(const sl_json *v, double *out)
{
    if (!v || v->kind != SL_JSON_NUMBER)
        return false;
    /* The literal follows JSON's grammar; read it in the C locale whatever
     * the program's LC_NUMERIC says. */
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!c)
        return false;
    errno = 0;
    double d = strtod_l(v->text, NULL, c);
    int e = errno;
    freelocale(c);
    if (e == ERANGE && !isfinite(d))
        return false;
    if (out)
        *out = d;
    return true;
}

size_t sl_json_size(const sl_json *v)
{
    return v && (v->kind == SL_JSON_ARRAY || v->kind == SL_JSON_OBJECT) ? v->n : 0;
}

const sl_json *sl_json_item(const sl_json *v, size_t i)
{
    return i < sl_json_size(v) ? v->items[i] : NULL;
}

const char *sl_json_key(const sl_json *v, size_t i, size_t *len)
{
    if (!v || v->kind != SL_JSON_OBJECT || i >= v->n)
        return NULL;
    if (len)
        *len = v->key_lens[i];
    return v->keys[i];
}

const sl_json *sl_json_get(const sl_json *obj, const char *key)
{
    if (!obj || obj->kind != SL_JSON_OBJECT || !key)
        return NULL;
    size_t k = strlen(key);
    for (size_t i = 0; i < obj->n; i++)
        if (obj->key_lens[i] == k && memcmp(obj->keys[i], key, k) == 0)
            return obj->items[i];
    return NULL;
}

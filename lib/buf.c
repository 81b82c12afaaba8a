#include "internal.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

bool sl__buf_reserve(sl__buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return false;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return false;
    b->data = p;
    b->cap = cap;
    return true;
}

bool sl__buf_append(sl__buf *b, const char *s, size_t n)
{
    if (!sl__buf_reserve(b, n))
        return false;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool sl__buf_puts(sl__buf *b, const char *s)
{
    return sl__buf_append(b, s, strlen(s));
}

bool sl__buf_printf(sl__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !sl__buf_reserve(b, (size_t)n))
        return false;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

const char *sl__buf_cstr(sl__buf *b)
{
    if (!b->data && !sl__buf_reserve(b, 0))
        return NULL;
    b->data[b->len] = '\0';
    return b->data;
}

char *sl__buf_detach(sl__buf *b)
{
    if (!sl__buf_cstr(b))
        return NULL;
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void sl__buf_clear(sl__buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void sl__buf_free(sl__buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *sl__strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *sl__strdup(const char *s)
{
    return sl__strndup(s, strlen(s));
}

char *sl__data_path(const char *datadir, const char *name, sl_error *err)
{
    const char *env = getenv("SELARAS_DATADIR");
    const char *candidates[4];
    size_t n = 0;
    if (datadir && *datadir)
        candidates[n++] = datadir;
    else {
        if (env && *env)
            candidates[n++] = env;
        candidates[n++] = SL_PKGDATADIR;
        candidates[n++] = SL_SRCDATADIR;
    }
    sl__buf tried = SL__BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        sl__buf path = SL__BUF_INIT;
        if (!sl__buf_printf(&path, "%s/%s", candidates[i], name)) {
            sl__buf_free(&path);
            sl__buf_free(&tried);
            sl__nomem(err);
            return NULL;
        }
        if (access(path.data, R_OK) == 0) {
            sl__buf_free(&tried);
            return sl__buf_detach(&path);
        }
        sl__buf_printf(&tried, "%s'%s'", i ? ", " : "", path.data);
        sl__buf_free(&path);
    }
    sl_error_set(err, SL_NOTFOUND,
                 "language data file '%s' not found (looked in %s); set SELARAS_DATADIR to the "
                 "directory that holds it",
                 name, tried.data ? tried.data : "nowhere");
    sl__buf_free(&tried);
    return NULL;
}

void sl__utc_now(char buf[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

size_t sl__space_len(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    if (u[0] == ' ' || (u[0] >= 0x09 && u[0] <= 0x0d))
        return 1;
    if (n >= 2 && u[0] == 0xc2 && (u[1] == 0xa0 || u[1] == 0x85))
        return 2;
    if (n >= 3 && u[0] == 0xe2 && u[1] == 0x80 &&
        ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf))
        return 3;
    if (n >= 3 && u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f)
        return 3;
    if (n >= 3 && u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
        return 3;
    return 0;
}

/* Whether UTF-8 text holds only code points below U+0300: those are all
 * NFC, and none of them composes with another, so such text is already
 * NFC (imports and lookups of Latin-script text skip ICU). */
static bool below_combining_marks(const unsigned char *u, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (u[i] < 0x80)
            continue;
        if (u[i] >= 0xc2 && u[i] <= 0xcb && i + 1 < n && (u[i + 1] & 0xc0) == 0x80) {
            i++;
            continue;
        }
        return false;
    }
    return true;
}

char *sl__normalise(const char *s, size_t n)
{
    sl__buf collapsed = SL__BUF_INIT;
    if (!sl__buf_reserve(&collapsed, n + 1))
        goto fail;
    bool pending_space = false;
    for (size_t i = 0; i < n;) {
        size_t sp = sl__space_len(s + i, n - i);
        if (sp) {
            pending_space = collapsed.len > 0;
            i += sp;
            continue;
        }
        /* never more than n bytes: a space written replaces one read */
        if (pending_space)
            collapsed.data[collapsed.len++] = ' ';
        pending_space = false;
        collapsed.data[collapsed.len++] = s[i++];
    }
    collapsed.data[collapsed.len] = '\0';
    if (below_combining_marks((const unsigned char *)collapsed.data, collapsed.len))
        return sl__buf_detach(&collapsed);

    /* NFC through UTF-16, since ICU's normaliser works on UChar. */
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st))
        goto fail;
    int32_t ulen = 0;
    u_strFromUTF8(NULL, 0, &ulen, collapsed.data, (int32_t)collapsed.len, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        goto fail;
    st = U_ZERO_ERROR;
    UChar *u = malloc(((size_t)ulen + 1) * sizeof *u);
    UChar *v = malloc(((size_t)ulen * 3 + 1) * sizeof *v);
    char *out = NULL;
    if (!u || !v)
        goto fail_u;
    u_strFromUTF8(u, ulen + 1, NULL, collapsed.data, (int32_t)collapsed.len, &st);
    int32_t vlen = unorm2_normalize(nfc, u, ulen, v, ulen * 3 + 1, &st);
    if (U_FAILURE(st))
        goto fail_u;
    int32_t olen = 0;
    u_strToUTF8(NULL, 0, &olen, v, vlen, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        goto fail_u;
    st = U_ZERO_ERROR;
    out = malloc((size_t)olen + 1);
    if (!out)
        goto fail_u;
    u_strToUTF8(out, olen + 1, NULL, v, vlen, &st);
    if (U_FAILURE(st)) {
        free(out);
        out = NULL;
    }
fail_u:
    free(u);
    free(v);
    sl__buf_free(&collapsed);
    return out;
fail:
    sl__buf_free(&collapsed);
    return NULL;
}

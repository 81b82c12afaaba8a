#include "internal.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/uloc.h>

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. */
size_t sl__utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    /* overlong forms, surrogates, beyond U+10FFFF */
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

sl_status sl__check_utf8_at(const char *name, const char *text, size_t len, size_t base,
                           size_t *line, sl_error *err)
{
    const unsigned char *u = (const unsigned char *)text;
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    for (size_t i = 0; i < len;) {
        /* plain ASCII, eight bytes at a time: no high bit, no NUL, no LF */
        for (uint64_t w; i + 8 <= len; i += 8) {
            memcpy(&w, u + i, 8);
            uint64_t lf = w ^ (ones * '\n');
            if ((w & highs) || ((w - ones) & ~w & highs) || ((lf - ones) & ~lf & highs))
                break;
        }
        while (i < len && u[i] >= 0x01 && u[i] < 0x80 && u[i] != '\n')
            i++; /* plain ASCII */
        if (i >= len)
            break;
        if (u[i] == 0)
            return sl_error_set(err, SL_ENCODING,
                                "%s: NUL byte at byte offset %zu (line %zu): this looks like a "
                                "binary or UTF-16 file; convert it to UTF-8 text",
                                name, base + i, *line);
        size_t n = sl__utf8_seq_len(u + i, len - i);
        if (n == 0)
            return sl_error_set(err, SL_ENCODING,
                                "%s: invalid UTF-8 at byte offset %zu (line %zu, byte 0x%02x); "
                                "convert the file to UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)",
                                name, base + i, *line, u[i]);
        if (u[i] == '\n')
            (*line)++;
        i += n;
    }
    return SL_OK;
}

sl_status sl_text_check_utf8(const char *name, const char *text, size_t len, sl_error *err)
{
    size_t line = 1;
    return sl__check_utf8_at(name, text, len, 0, &line, err);
}

/*
 * "UTF-16LE" or "UTF-16BE" when the text starts like UTF-16 without a byte
 * order mark: in the first 64 bytes, the bytes at one parity are all NUL
 * and those at the other are not, which ASCII-range UTF-16 text does and
 * UTF-8 text (which never has NUL) cannot.
 */
static const char *utf16_without_bom(const char *data, size_t len)
{
    size_t n = len < 64 ? len & ~(size_t)1 : 64;
    if (n < 2)
        return NULL;
    size_t zero[2] = {0, 0};
    for (size_t i = 0; i < n; i++)
        if (data[i] == 0)
            zero[i & 1]++;
    if (zero[1] == n / 2 && zero[0] == 0)
        return "UTF-16LE";
    if (zero[0] == n / 2 && zero[1] == 0)
        return "UTF-16BE";
    return NULL;
}

/*
 * Characters that pass as UTF-8 but that a TMX file cannot carry: a unit
 * holding one would make every later export of the TM fail.  Form feed and
 * vertical tab (page breaks from PDF converters) become spaces, keeping the
 * byte offsets; other C0 controls and U+FFFE/U+FFFF are refused.
 */
static sl_status check_xml_chars(const char *name, char *text, size_t len, sl_error *err)
{
    unsigned char *u = (unsigned char *)text;
    size_t line = 1;
    for (size_t i = 0; i < len; i++) {
        if (u[i] == '\n')
            line++;
        else if (u[i] == '\f' || u[i] == '\v')
            u[i] = ' ';
        else if (u[i] < 0x20 && u[i] != '\t' && u[i] != '\r')
            return sl_error_set(err, SL_ENCODING,
                                "%s: control character 0x%02x at byte offset %zu (line %zu): not "
                                "text; delete it (e.g. tr -d '\\001-\\010\\016-\\037')",
                                name, u[i], i, line);
        else if (u[i] == 0xef && i + 2 < len && u[i + 1] == 0xbf && (u[i + 2] & 0xfe) == 0xbe)
            return sl_error_set(err, SL_ENCODING,
                                "%s: noncharacter U+%s at byte offset %zu (line %zu): not text; "
                                "delete it",
                                name, u[i + 2] == 0xbe ? "FFFE" : "FFFF", i, line);
    }
    return SL_OK;
}

static sl_status read_all(int fd, const char *name, sl__buf *b, sl_error *err)
{
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return sl_error_set(err, SL_IO, "%s: cannot read: %s", name, strerror(errno));
        }
        if (n == 0)
            return SL_OK;
        if (!sl__buf_append(b, chunk, (size_t)n))
            return sl_error_set(err, SL_NOMEM, "%s: out of memory reading the file", name);
    }
}

sl_status sl__open_input(const char *path, const char **name, int *fd_out, sl_error *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    *name = is_stdin ? "<stdin>" : path;
    *fd_out = -1;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        return sl_error_set(err, e == ENOENT ? SL_NOTFOUND : SL_IO, "%s: cannot open: %s", path,
                            strerror(e));
    }
    struct stat sb;
    sl_status st = SL_OK;
    if (fstat(fd, &sb) != 0)
        st = sl_error_set(err, SL_IO, "%s: cannot stat: %s", *name, strerror(errno));
    else if (S_ISDIR(sb.st_mode))
        st = sl_error_set(err, SL_IO, "%s: is a directory, not a text file", *name);
    else if (!is_stdin && !S_ISREG(sb.st_mode) && !S_ISFIFO(sb.st_mode))
        /* a device (/dev/zero, a terminal) could be read forever */
        st = sl_error_set(err, SL_IO,
                          "%s: not a regular file (a device or socket); give a text file", *name);
    if (st != SL_OK) {
        if (!is_stdin)
            close(fd);
        return st;
    }
    if (!is_stdin) {
        /* O_NONBLOCK only kept open() from hanging on a FIFO.  Until a writer
         * connects, a read would return end of file at once, so wait for one
         * (as cat does) before reading blocking. */
        if (S_ISFIFO(sb.st_mode)) {
            struct pollfd p = {fd, POLLIN, 0};
            while (poll(&p, 1, -1) < 0 && errno == EINTR)
                ;
        }
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    }
    *fd_out = fd;
    return SL_OK;
}

sl_status sl__read_some(int fd, const char *name, char *buf, size_t cap, size_t *got,
                        sl_error *err)
{
    for (;;) {
        ssize_t n = read(fd, buf, cap);
        if (n >= 0) {
            *got = (size_t)n;
            return SL_OK;
        }
        if (errno != EINTR)
            return sl_error_set(err, SL_IO, "%s: cannot read: %s", name, strerror(errno));
    }
}

sl_status sl_text_read_file(const char *path, char **out, size_t *len, sl_error *err)
{
    *out = NULL;
    *len = 0;
    const char *name = NULL;
    int fd = -1;
    sl_status st = sl__open_input(path, &name, &fd, err);
    if (st != SL_OK)
        return st;
    bool is_stdin = strcmp(path, "-") == 0;
    sl__buf b = SL__BUF_INIT;
    st = read_all(fd, name, &b, err);
    if (st != SL_OK)
        goto done;
    size_t start = 0;
    if (b.len >= 2 && (((unsigned char)b.data[0] == 0xff && (unsigned char)b.data[1] == 0xfe) ||
                       ((unsigned char)b.data[0] == 0xfe && (unsigned char)b.data[1] == 0xff))) {
        st = sl_error_set(err, SL_ENCODING,
                          "%s: the file is UTF-16 (byte order mark found); convert it to UTF-8 "
                          "(e.g. iconv -f UTF-16 -t UTF-8)",
                          name);
        goto done;
    }
    const char *u16 = utf16_without_bom(b.data, b.len);
    if (u16) {
        st = sl_error_set(err, SL_ENCODING,
                          "%s: the file looks like UTF-16 without a byte order mark; convert it "
                          "to UTF-8 (e.g. iconv -f %s -t UTF-8)",
                          name, u16);
        goto done;
    }
    if (b.len >= 3 && memcmp(b.data, "\xef\xbb\xbf", 3) == 0)
        start = 3;
    st = sl_text_check_utf8(name, b.data ? b.data + start : "", b.len - start, err);
    if (st == SL_OK && b.len > start)
        st = check_xml_chars(name, b.data + start, b.len - start, err);
    if (st != SL_OK)
        goto done;
    bool visible = false;
    for (size_t i = start; i < b.len;) {
        size_t sp = sl__space_len(b.data + i, b.len - i);
        if (!sp) {
            visible = true;
            break;
        }
        i += sp;
    }
    if (!visible) {
        st = sl_error_set(err, SL_EMPTY, "%s: the file is empty (no text to process)", name);
        goto done;
    }
    if (start)
        memmove(b.data, b.data + start, b.len - start);
    b.len -= start;
    *len = b.len;
    *out = sl__buf_detach(&b);
done:
    if (!is_stdin)
        close(fd);
    sl__buf_free(&b);
    return st;
}

static bool known_language(const char *lang)
{
    /* ICU's list is long and scanned linearly; a bulk import asks about the
     * same two languages for every unit, so remember the last ones found. */
    static _Thread_local char seen[2][4];
    static _Thread_local int next;
    for (int i = 0; i < 2; i++)
        if (seen[i][0] && strcmp(seen[i], lang) == 0)
            return true;
    for (const char *const *l = uloc_getISOLanguages(); *l; l++)
        if (strcmp(*l, lang) == 0) {
            snprintf(seen[next], sizeof seen[next], "%s", lang);
            next = !next;
            return true;
        }
    return false;
}

sl_status sl_lang_canonical(const char *tag, char out[SL_LANG_MAX], sl_error *err)
{
    size_t n = tag ? strlen(tag) : 0;
    if (n == 0 || n >= SL_LANG_MAX)
        return sl_error_set(err, SL_LANG, "malformed language code '%s': expected a BCP 47 tag such as 'id' or 'en-US'",
                            tag ? tag : "");
    size_t sub_len = 0, sub_no = 0, primary = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = tag[i];
        if (c == '-' || c == '_' || c == '\0') {
            if (sub_len == 0 || sub_len > 8)
                goto malformed;
            if (sub_no == 0)
                primary = sub_len;
            sub_no++;
            sub_len = 0;
            out[i] = c ? '-' : '\0';
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            goto malformed;
        if (sub_no == 0 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            goto malformed;
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        sub_len++;
    }
    if (primary < 2 || primary > 3)
        goto malformed;
    char lang[4];
    memcpy(lang, out, primary);
    lang[primary] = '\0';
    if (!known_language(lang))
        return sl_error_set(err, SL_LANG,
                            "unknown language code '%s': '%s' is not an ISO 639 language (use e.g. 'id' or 'en')",
                            tag, lang);
    return SL_OK;
malformed:
    out[0] = '\0';
    return sl_error_set(err, SL_LANG,
                        "malformed language code '%s': expected a BCP 47 tag such as 'id' or 'en-US'", tag);
}

/*
 * TMX import: a streaming xmlTextReader pass (memory stays flat however big
 * the file), with no network, no DTD loading and no entity substitution.
 * The parser hands each tu to a callback; sl_tmx_import stores them in one
 * transaction per file.
 */
#include "tmx-internal.h"
#include "tm-internal.h"
#include "sha256.h"
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/xmlreader.h>

/* TMX needs depth 5 (tmx body tu tuv seg) plus inline nesting. */
#define MAX_DEPTH 40
/* Per segment, prop or note; libxml2 itself stops attributes at 10 MB. */
#define MAX_TEXT (4u << 20)
#define MAX_TUVS 256
#define MAX_NOTES 1024
#define LANG_CACHE 4
/* libxml2 compares a start tag's attributes pair by pair, so one tag with
 * 300,000 of them keeps it busy for minutes; TMX elements have a dozen.
 * The input is scanned as it is read and stops at a tag with more. */
#define MAX_ATTRS 256

enum scan_state {
    SC_TEXT, SC_LT, SC_TAG, SC_TAG_QUOTE, SC_BANG, SC_COMMENT, SC_CDATA, SC_PI,
    SC_DECL, SC_DECL_QUOTE
};

/* Just enough of XML's lexical structure to count the attributes of each
 * start tag: quotes, comments, CDATA, processing instructions and the
 * DOCTYPE are skipped.  Code units of 1, 2 or 4 bytes (UTF-8 and other
 * ASCII-compatible encodings, UTF-16, UCS-4), told by the first bytes as
 * libxml2 tells them. */
struct scanner {
    unsigned char head[4];
    int n_head;
    int width;          /* 0 until the first 4 bytes are in */
    bool big_endian;
    uint32_t unit;      /* a wide code unit being assembled */
    int unit_bytes;
    enum scan_state st, ret; /* ret: where a comment or PI goes back to */
    uint32_t quote;
    uint32_t prev[2];   /* the two code units before this one */
    char bang[8];       /* what follows "<!", to tell a comment or CDATA */
    int n_bang;
    int subset;         /* '[' depth inside the DOCTYPE */
    int attrs;
    bool over;          /* a tag with more than MAX_ATTRS attributes */
    long over_line;
    long lines;         /* newlines scanned */
    /* the XML declaration: an encoding that hides the markup's bytes
     * (UTF-7, EBCDIC, ISO-2022, ...) would hide the attributes too */
    char decl[1024];
    size_t n_decl;
    bool decl_done;
    char bad_encoding[40]; /* set when refused */
};

struct tuv_work {
    char lang[SL_LANG_MAX];
    sl__buf text, plain;
    bool markup, has_seg;
};

struct note_work {
    int tuv;
    bool note;
    sl__buf type, lang, value;
    bool has_type, has_lang;
};

struct parser {
    xmlTextReaderPtr r;
    const char *name;
    sl_error *err;
    /* input */
    int fd;
    const char *buf;
    size_t len, pos;
    sl__sha256 sha;
    int io_errno;
    bool eof;        /* the input has been read to its end */
    long newlines;   /* in what was read */
    /* the first XML error libxml2 reported */
    bool xml_failed;
    int xml_line;
    char xml_msg[300];
    /* document state */
    bool seen_root, seen_header, in_body;
    int header_depth; /* > 0 while inside <header> */
    char header_srclang[SL_LANG_MAX + 8];
    /* the tu being read */
    bool in_tu;
    size_t tu_index;
    long tu_line;
    sl__buf tu_attr[6]; /* srclang tuid creationdate creationid changedate changeid */
    sl__buf tuv_lang[2]; /* a tuv's xml:lang and lang */
    sl__buf scratch;    /* a prop's or note's lang, read beside its xml:lang */
    bool tu_has[6];
    char dates[2][21];
    struct tuv_work *tuvs;
    size_t n_tuvs, cap_tuvs;
    struct note_work *notes;
    size_t n_notes, cap_notes;
    sl__tmx_tuv *out_tuvs;
    sl__tmx_note *out_notes;
    char bad[400];
    int tuv;          /* index of the open tuv, -1 outside */
    bool in_seg;
    int code_depth;   /* open bpt/ept/it/ph/ut elements inside the seg */
    bool elements_in_seg;
    int note;         /* index of the open prop/note, -1 outside */
    sl__tmx_tu_fn fn;
    void *data;
    bool stopped;
    char lang_raw[LANG_CACHE][SL_LANG_MAX], lang_canon[LANG_CACHE][SL_LANG_MAX];
    int lang_next;
    struct scanner sc;
};

static void scan_unit(struct scanner *sc, uint32_t c)
{
    if (c == '\n')
        sc->lines++;
    switch (sc->st) {
    case SC_TEXT:
        if (c == '<')
            sc->st = SC_LT;
        break;
    case SC_LT:
        sc->attrs = 0;
        if (c == '!') {
            sc->st = SC_BANG;
            sc->n_bang = 0;
        } else if (c == '?') {
            sc->st = SC_PI;
            sc->ret = SC_TEXT;
            c = 0; /* "<?>" does not end it */
        } else {
            sc->st = SC_TAG;
        }
        break;
    case SC_TAG:
        if (c == '"' || c == '\'') {
            sc->quote = c;
            sc->st = SC_TAG_QUOTE;
        } else if (c == '=' && ++sc->attrs > MAX_ATTRS && !sc->over) {
            sc->over = true;
            sc->over_line = sc->lines + 1;
        } else if (c == '>') {
            sc->st = SC_TEXT;
        }
        break;
    case SC_TAG_QUOTE:
        if (c == sc->quote)
            sc->st = SC_TAG;
        break;
    case SC_BANG:
        sc->bang[sc->n_bang++] = c < 128 ? (char)c : '?';
        if (sc->n_bang == 2 && memcmp(sc->bang, "--", 2) == 0) {
            sc->st = SC_COMMENT;
            c = 0; /* "<!-->" does not end it */
        } else if (sc->n_bang == 7 && memcmp(sc->bang, "[CDATA[", 7) == 0) {
            sc->st = SC_CDATA;
            c = 0;
        } else if (memcmp(sc->bang, "--", (size_t)sc->n_bang < 2 ? (size_t)sc->n_bang : 2) != 0 &&
                   memcmp(sc->bang, "[CDATA[", (size_t)sc->n_bang) != 0) {
            /* a declaration, inside the DOCTYPE or the DOCTYPE itself */
            if (sc->ret != SC_DECL) {
                sc->subset = 0;
                sc->ret = SC_DECL;
            }
            sc->st = SC_DECL;
            scan_unit(sc, c == '\n' ? ' ' : c); /* the unit that told may be a quote */
            return;
        }
        break;
    case SC_COMMENT:
        if (c == '>' && sc->prev[0] == '-' && sc->prev[1] == '-')
            sc->st = sc->ret;
        break;
    case SC_CDATA:
        if (c == '>' && sc->prev[0] == ']' && sc->prev[1] == ']')
            sc->st = SC_TEXT;
        break;
    case SC_PI:
        if (c == '>' && sc->prev[0] == '?')
            sc->st = sc->ret;
        break;
    case SC_DECL:
        if (c == '"' || c == '\'') {
            sc->quote = c;
            sc->st = SC_DECL_QUOTE;
        } else if (c == '[') {
            sc->subset++;
        } else if (c == ']') {
            sc->subset--;
        } else if (c == '!' && sc->prev[0] == '<') {
            sc->st = SC_BANG;
            sc->n_bang = 0;
        } else if (c == '?' && sc->prev[0] == '<') {
            sc->st = SC_PI;
            c = 0;
        } else if (c == '>' && sc->subset <= 0) {
            sc->st = SC_TEXT;
            sc->ret = SC_TEXT;
        }
        break;
    case SC_DECL_QUOTE:
        if (c == sc->quote)
            sc->st = SC_DECL;
        break;
    }
    sc->prev[1] = sc->prev[0];
    sc->prev[0] = c;
}

static void scan_width(struct scanner *sc)
{
    const unsigned char *h = sc->head;
    static const unsigned char ucs4be[4] = {0, 0, 0, '<'}, ucs4le[4] = {'<', 0, 0, 0},
                               bom4be[4] = {0, 0, 0xFE, 0xFF}, bom4le[4] = {0xFF, 0xFE, 0, 0};
    static const unsigned char ebcdic[4] = {0x4C, 0x6F, 0xA7, 0x94}; /* "<?xm" */
    sc->width = 1;
    if (sc->n_head < 4)
        return;
    if (!memcmp(h, ebcdic, 4)) {
        snprintf(sc->bad_encoding, sizeof sc->bad_encoding, "EBCDIC");
        sc->decl_done = true;
        return;
    }
    if (!memcmp(h, ucs4be, 4) || !memcmp(h, bom4be, 4)) {
        sc->width = 4;
        sc->big_endian = true;
    } else if (!memcmp(h, ucs4le, 4) || !memcmp(h, bom4le, 4)) {
        sc->width = 4;
    } else if ((h[0] == 0xFE && h[1] == 0xFF) || (h[0] == 0 && h[1] == '<')) {
        sc->width = 2;
        sc->big_endian = true;
    } else if ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == '<' && h[1] == 0)) {
        sc->width = 2;
    }
}

static void scan_bytes(struct scanner *sc, const unsigned char *s, size_t n)
{
    const unsigned char *e = s + n;
    if (sc->width == 1) {
        while (s < e && !sc->over) {
            /* most bytes are text or quoted values: jump over them */
            if (sc->st == SC_TEXT || sc->st == SC_TAG_QUOTE) {
                const unsigned char *q = memchr(s, sc->st == SC_TEXT ? '<' : (int)sc->quote,
                                                (size_t)(e - s));
                for (const unsigned char *l = s; (l = memchr(l, '\n', (size_t)((q ? q : e) - l)));
                     l++)
                    sc->lines++;
                if (!q)
                    return;
                s = q;
            }
            scan_unit(sc, *s++);
        }
        return;
    }
    for (; s < e && !sc->over; s++) {
        sc->unit = sc->big_endian ? sc->unit << 8 | *s : sc->unit | (uint32_t)*s << (8 * sc->unit_bytes);
        if (++sc->unit_bytes == sc->width) {
            scan_unit(sc, sc->unit);
            sc->unit = 0;
            sc->unit_bytes = 0;
        }
    }
}

/* Encodings in which every byte below 0x80 is the ASCII character (the
 * multi-byte ones use only bytes above 0x3E after a lead byte). */
static bool encoding_ok(const char *e)
{
    /* a '*' ends a prefix */
    static const char *const ok[] = {
        "UTF-8", "UTF8", "UTF-16*", "UTF16*", "UCS-2", "UCS2", "ISO-10646-UCS-2", "US-ASCII",
        "ASCII", "ISO-8859-*", "ISO8859-*", "ISO_8859-*", "LATIN*", "WINDOWS-125*", "CP125*",
        "KOI8*", "SHIFT_JIS", "SHIFT-JIS", "SJIS", "CP932", "WINDOWS-31J", "EUC-*", "EUC_*",
        "GB2312", "GBK", "GB18030", "BIG5*", "TIS-620"};
    char up[sizeof ((struct scanner *)0)->bad_encoding];
    size_t n = 0;
    for (; e[n] && n + 1 < sizeof up; n++)
        up[n] = e[n] >= 'a' && e[n] <= 'z' ? (char)(e[n] - 'a' + 'A') : e[n];
    up[n] = '\0';
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        size_t k = strlen(ok[i]);
        if (ok[i][k - 1] == '*' ? !strncmp(up, ok[i], k - 1) : !strcmp(up, ok[i]))
            return true;
    }
    return false;
}

/* The encoding named by the XML declaration at the start of 8-bit input. */
static void scan_prolog(struct scanner *sc, const unsigned char *s, size_t n, bool end)
{
    size_t room = sizeof sc->decl - 1 - sc->n_decl;
    size_t k = n < room ? n : room;
    memcpy(sc->decl + sc->n_decl, s, k);
    sc->n_decl += k;
    sc->decl[sc->n_decl] = '\0';
    const char *d = sc->decl;
    if (sc->n_decl >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3))
        d += 3;
    size_t have = sc->n_decl - (size_t)(d - sc->decl);
    if (strncmp(d, "<?xml", have < 5 ? have : 5) != 0) {
        sc->decl_done = true; /* no declaration */
        return;
    }
    const char *stop = strstr(d, "?>");
    if (!stop && !end && sc->n_decl < sizeof sc->decl - 1)
        return; /* wait for its end */
    sc->decl_done = true;
    if (!stop) {
        /* a short file is libxml2's to report */
        if (!end)
            snprintf(sc->bad_encoding, sizeof sc->bad_encoding, "?");
        return;
    }
    const char *e = strstr(d, "encoding");
    if (!e || e > stop)
        return;
    e += 8;
    while (*e == ' ' || *e == '\t' || *e == '\r' || *e == '\n')
        e++;
    if (*e++ != '=')
        return; /* libxml2 reports it */
    while (*e == ' ' || *e == '\t' || *e == '\r' || *e == '\n')
        e++;
    char q = *e++;
    const char *close = q == '"' || q == '\'' ? strchr(e, q) : NULL;
    if (!close || close > stop)
        return;
    char name[sizeof sc->bad_encoding];
    snprintf(name, sizeof name, "%.*s", (int)(close - e), e);
    if (!encoding_ok(name))
        snprintf(sc->bad_encoding, sizeof sc->bad_encoding, "%s", name);
}

/* Scans what io_read hands libxml2; false once a tag has too many attributes. */
static bool scan_input(struct scanner *sc, const char *buf, size_t n)
{
    const unsigned char *s = (const unsigned char *)buf;
    bool end = n == 0; /* read() says the input has ended */
    if (!sc->width) {
        while (n && sc->n_head < 4) {
            sc->head[sc->n_head++] = *s++;
            n--;
        }
        if (sc->n_head < 4 && !end)
            return true; /* the encoding is told by 4 bytes */
        scan_width(sc);
        if (sc->width == 1 && !sc->decl_done)
            scan_prolog(sc, sc->head, (size_t)sc->n_head, end);
        scan_bytes(sc, sc->head, (size_t)sc->n_head);
    }
    if (sc->width == 1 && !sc->decl_done && (n || end))
        scan_prolog(sc, s, n, end);
    scan_bytes(sc, s, n);
    return !sc->over && !sc->bad_encoding[0];
}

/* Lines and the end of the input, to tell a truncated file from a broken one. */
static void count_input(struct parser *p, const char *s, size_t n)
{
    if (n == 0)
        p->eof = true;
    for (const char *e = s + n; (s = memchr(s, '\n', (size_t)(e - s))) != NULL; s++)
        p->newlines++;
}

static int io_read(void *ctx, char *out, int n)
{
    struct parser *p = ctx;
    if (n <= 0)
        return 0;
    if (p->fd < 0) {
        size_t k = p->len - p->pos < (size_t)n ? p->len - p->pos : (size_t)n;
        memcpy(out, p->buf + p->pos, k);
        p->pos += k;
        sl__sha256_update(&p->sha, out, k);
        count_input(p, out, k);
        if (!scan_input(&p->sc, out, k))
            return -1;
        return (int)k;
    }
    for (;;) {
        ssize_t k = read(p->fd, out, (size_t)n);
        if (k >= 0) {
            sl__sha256_update(&p->sha, out, (size_t)k);
            count_input(p, out, (size_t)k);
            if (!scan_input(&p->sc, out, (size_t)k))
                return -1;
            return (int)k;
        }
        if (errno != EINTR) {
            p->io_errno = errno;
            return -1;
        }
    }
}

static int io_close(void *ctx)
{
    (void)ctx;
    return 0;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    struct parser *p = ctx;
    if (!e || e->level < XML_ERR_ERROR || p->xml_failed)
        return;
    p->xml_failed = true;
    p->xml_line = e->line;
    snprintf(p->xml_msg, sizeof p->xml_msg, "%s", e->message ? e->message : "XML error");
    size_t n = strlen(p->xml_msg);
    while (n && (p->xml_msg[n - 1] == '\n' || p->xml_msg[n - 1] == ' '))
        p->xml_msg[--n] = '\0';
    /* some messages run over two lines ("...indicate encoding !\nBytes: ..."):
     * the report is one line */
    for (char *c = p->xml_msg; *c; c++)
        if (*c == '\n')
            *c = ' ';
}

/* The line of the current node; the parser's own line runs ahead of it. */
static long line_of(struct parser *p)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(p->r);
    long line = n ? xmlGetLineNo(n) : -1;
    return line > 0 ? line : (long)xmlTextReaderGetParserLineNumber(p->r);
}

/* A document-level error at the current line. */
static sl_status doc_error(struct parser *p, const char *fmt, ...) SL_PRINTF(2, 3);
static sl_status doc_error(struct parser *p, const char *fmt, ...)
{
    char what[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return sl_error_set(p->err, SL_DATA, "%s:%ld: %s", p->name, line_of(p), what);
}

static void mark_bad(struct parser *p, const char *fmt, ...) SL_PRINTF(2, 3);
static void mark_bad(struct parser *p, const char *fmt, ...)
{
    if (p->bad[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->bad, sizeof p->bad, fmt, ap);
    va_end(ap);
}

static bool text_append(struct parser *p, sl__buf *b, const char *s, size_t n)
{
    if (b->len + n > MAX_TEXT) {
        mark_bad(p, "a text longer than %u bytes", MAX_TEXT);
        return true;
    }
    return sl__buf_append(b, s, n);
}

/* Escape text for the inside of an element or a double-quoted attribute.
 * strcspn finds the next character to escape (most text has none). */
static bool escape_append(struct parser *p, sl__buf *b, const char *s, bool attr)
{
    const char *special = attr ? "&<>\"\t\n\r" : "&<>\r";
    for (;;) {
        size_t n = strcspn(s, special);
        if (!text_append(p, b, s, n))
            return false;
        s += n;
        if (!*s)
            return true;
        const char *rep = *s == '&'    ? "&amp;"
                          : *s == '<'  ? "&lt;"
                          : *s == '>'  ? "&gt;"
                          : *s == '"'  ? "&quot;"
                          : *s == '\t' ? "&#9;"
                          : *s == '\n' ? "&#10;"
                                       : "&#13;";
        if (!text_append(p, b, rep, strlen(rep)))
            return false;
        s++;
    }
}

/* Characters XML 1.0 forbids (possible through an XML 1.1 declaration). */
static bool has_forbidden(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    for (; *u; u++) {
        if (*u < 0x20 && *u != '\t' && *u != '\n' && *u != '\r')
            return true;
        if (u[0] == 0xef && u[1] == 0xbf && (u[2] == 0xbe || u[2] == 0xbf))
            return true;
    }
    return false;
}

/*
 * Copy the attributes names[0..n) into b[i] (has[i] says whether present)
 * in one walk over the element's attributes, reading libxml2's own
 * strings (xmlTextReaderGetAttribute would search the list and allocate a
 * copy per name).  False on no memory.
 */
static bool take_attrs(struct parser *p, const char *const *names, size_t n, sl__buf *const *b,
                       bool *has)
{
    for (size_t i = 0; i < n; i++) {
        sl__buf_clear(b[i]);
        has[i] = false;
    }
    bool ok = true;
    while (ok && xmlTextReaderMoveToNextAttribute(p->r) == 1) {
        const char *an = (const char *)xmlTextReaderConstName(p->r);
        for (size_t i = 0; an && i < n; i++) {
            if (!has[i] && !strcmp(an, names[i])) {
                const char *av = (const char *)xmlTextReaderConstValue(p->r);
                has[i] = true;
                ok = sl__buf_puts(b[i], av ? av : "");
                break;
            }
        }
    }
    xmlTextReaderMoveToElement(p->r);
    for (size_t i = 0; ok && i < n; i++)
        ok = sl__buf_cstr(b[i]) != NULL;
    return ok;
}

static bool is_code(const char *name)
{
    return !strcmp(name, "bpt") || !strcmp(name, "ept") || !strcmp(name, "it") ||
           !strcmp(name, "ph") || !strcmp(name, "ut");
}

static bool is_inline(const char *name)
{
    return is_code(name) || !strcmp(name, "hi") || !strcmp(name, "sub");
}

static void tu_reset(struct parser *p)
{
    for (size_t i = 0; i < p->n_tuvs; i++) {
        sl__buf_clear(&p->tuvs[i].text);
        sl__buf_clear(&p->tuvs[i].plain);
    }
    for (size_t i = 0; i < p->n_notes; i++) {
        sl__buf_clear(&p->notes[i].type);
        sl__buf_clear(&p->notes[i].lang);
        sl__buf_clear(&p->notes[i].value);
    }
    p->n_tuvs = p->n_notes = 0;
    p->bad[0] = '\0';
    p->tuv = p->note = -1;
    p->in_seg = false;
    p->code_depth = 0;
}

/* Trim whitespace at both ends of b in place. */
static void trim(sl__buf *b)
{
    sl__buf_cstr(b);
    size_t start = 0, end = b->len;
    while (start < end) {
        size_t sp = sl__space_len(b->data + start, end - start);
        if (!sp)
            break;
        start += sp;
    }
    /* Trailing: step back over ASCII whitespace and the spaces sl__space_len knows. */
    while (end > start) {
        size_t k = end - 1;
        while (k > start && ((unsigned char)b->data[k] & 0xc0) == 0x80)
            k--;
        if (sl__space_len(b->data + k, end - k) != end - k)
            break;
        end = k;
    }
    if (start)
        memmove(b->data, b->data + start, end - start);
    b->len = end - start;
    if (b->data)
        b->data[b->len] = '\0';
}

static sl_status nomem(struct parser *p)
{
    return sl__nomem(p->err);
}

/* sl_lang_canonical searches ICU's list of languages; a file uses a few
 * tags over and over, so remember the last ones. */
static bool canonical_lang(struct parser *p, const char *tag, char out[SL_LANG_MAX])
{
    for (int i = 0; i < LANG_CACHE; i++)
        if (p->lang_raw[i][0] && strcmp(p->lang_raw[i], tag) == 0) {
            memcpy(out, p->lang_canon[i], SL_LANG_MAX);
            return true;
        }
    if (sl_lang_canonical(tag, out, NULL) != SL_OK)
        return false;
    if (strlen(tag) < SL_LANG_MAX) {
        int slot = p->lang_next++ % LANG_CACHE;
        snprintf(p->lang_raw[slot], SL_LANG_MAX, "%s", tag);
        memcpy(p->lang_canon[slot], out, SL_LANG_MAX);
    }
    return true;
}

/* Grow a work array and the output array beside it, in step, to twice *cap
 * (first when empty); the new work entries are zeroed.  False when out of
 * memory: the arrays stay valid (either may have grown) and *cap unchanged. */
static bool grow_in_step(void **work, size_t work_size, void **out, size_t out_size,
                         size_t *cap, size_t first)
{
    size_t n = *cap ? *cap * 2 : first;
    void *w = realloc(*work, n * work_size);
    if (w)
        *work = w;
    void *o = realloc(*out, n * out_size);
    if (o)
        *out = o;
    if (!w || !o)
        return false;
    memset((char *)w + *cap * work_size, 0, (n - *cap) * work_size);
    *cap = n;
    return true;
}

static sl_status start_tuv(struct parser *p)
{
    if (p->n_tuvs >= MAX_TUVS) {
        mark_bad(p, "more than %d tuv elements", MAX_TUVS);
        p->tuv = -2;
        return SL_OK;
    }
    if (p->n_tuvs == p->cap_tuvs) {
        void *w = p->tuvs, *o = p->out_tuvs;
        bool ok = grow_in_step(&w, sizeof *p->tuvs, &o, sizeof *p->out_tuvs, &p->cap_tuvs, 4);
        p->tuvs = w;
        p->out_tuvs = o;
        if (!ok)
            return nomem(p);
    }
    struct tuv_work *t = &p->tuvs[p->n_tuvs];
    p->tuv = (int)p->n_tuvs++;
    t->lang[0] = '\0';
    t->markup = t->has_seg = false;
    sl__buf_clear(&t->text);
    sl__buf_clear(&t->plain);
    static const char *const names[2] = {"xml:lang", "lang"}; /* lang: TMX 1.1-1.3 */
    bool has[2];
    sl__buf *const b[2] = {&p->tuv_lang[0], &p->tuv_lang[1]};
    if (!take_attrs(p, names, 2, b, has))
        return nomem(p);
    const char *lang = has[0] ? p->tuv_lang[0].data : has[1] ? p->tuv_lang[1].data : NULL;
    if (!lang) {
        mark_bad(p, "a tuv without a language (xml:lang or lang)");
    } else if (!canonical_lang(p, (const char *)lang, t->lang)) {
        char msg[120];
        snprintf(msg, sizeof msg, "%.60s", (const char *)lang);
        mark_bad(p, "a tuv with an invalid language code '%s'", msg);
        t->lang[0] = '\0';
    }
    return SL_OK;
}

static sl_status start_note(struct parser *p, bool note, int tuv)
{
    if (p->n_notes >= MAX_NOTES) {
        mark_bad(p, "more than %d props and notes", MAX_NOTES);
        p->note = -2;
        return SL_OK;
    }
    if (p->n_notes == p->cap_notes) {
        void *w = p->notes, *o = p->out_notes;
        bool ok = grow_in_step(&w, sizeof *p->notes, &o, sizeof *p->out_notes, &p->cap_notes, 8);
        p->notes = w;
        p->out_notes = o;
        if (!ok)
            return nomem(p);
    }
    struct note_work *n = &p->notes[p->n_notes];
    p->note = (int)p->n_notes++;
    n->tuv = tuv;
    n->note = note;
    sl__buf_clear(&n->value);
    /* lang (TMX 1.1-1.3) only when there is no xml:lang */
    static const char *const names[3] = {"type", "xml:lang", "lang"};
    sl__buf *const b[3] = {&n->type, &n->lang, &p->scratch};
    bool has[3];
    if (!take_attrs(p, names, 3, b, has))
        return nomem(p);
    n->has_type = has[0];
    n->has_lang = has[1] || has[2];
    if (!has[1] && has[2]) {
        sl__buf_clear(&n->lang);
        if (!sl__buf_append(&n->lang, p->scratch.data, p->scratch.len) || !sl__buf_cstr(&n->lang))
            return nomem(p);
    }
    if (!note && !n->has_type)
        mark_bad(p, "a prop without a type");
    return SL_OK;
}

static sl_status start_tu(struct parser *p)
{
    static const char *const names[6] = {"srclang",    "tuid",       "creationdate",
                                         "creationid", "changedate", "changeid"};
    tu_reset(p);
    p->in_tu = true;
    p->tu_line = line_of(p);
    sl__buf *const b[6] = {&p->tu_attr[0], &p->tu_attr[1], &p->tu_attr[2],
                           &p->tu_attr[3], &p->tu_attr[4], &p->tu_attr[5]};
    if (!take_attrs(p, names, 6, b, p->tu_has))
        return nomem(p);
    for (int k = 0; k < 2; k++) {
        int i = k ? 4 : 2;
        if (p->tu_has[i] && !sl__tmx_date_to_iso(p->tu_attr[i].data, p->dates[k])) {
            char msg[200];
            snprintf(msg, sizeof msg, "%s '%.40s'", names[i], p->tu_attr[i].data);
            mark_bad(p, "%s is not a TMX date (YYYYMMDDThhmmssZ)", msg);
        }
    }
    return SL_OK;
}

/* Hand the finished tu to the callback. */
static sl_status end_tu(struct parser *p)
{
    p->in_tu = false;
    for (size_t i = 0; i < p->n_tuvs; i++) {
        struct tuv_work *t = &p->tuvs[i];
        if (!t->has_seg)
            mark_bad(p, "a tuv without a seg");
        if (!sl__buf_cstr(&t->text) || !sl__buf_cstr(&t->plain))
            return nomem(p);
        if (has_forbidden(t->text.data) || has_forbidden(t->plain.data))
            mark_bad(p, "a control character that XML forbids");
        p->out_tuvs[i] = (sl__tmx_tuv){t->lang, t->text.data, t->plain.data, t->markup};
    }
    for (size_t i = 0; i < p->n_notes; i++) {
        struct note_work *n = &p->notes[i];
        trim(&n->value);
        if (!sl__buf_cstr(&n->value) || (n->has_type && !sl__buf_cstr(&n->type)) ||
            (n->has_lang && !sl__buf_cstr(&n->lang)))
            return nomem(p);
        if (has_forbidden(n->value.data))
            mark_bad(p, "a control character that XML forbids");
        p->out_notes[i] = (sl__tmx_note){n->tuv, n->note,
                                         n->has_type ? sl__buf_cstr(&n->type) : NULL,
                                         n->has_lang ? sl__buf_cstr(&n->lang) : NULL,
                                         n->value.data};
    }
    if (p->n_tuvs == 0)
        mark_bad(p, "a tu without any tuv");
    const char *srclang = p->tu_has[0] ? p->tu_attr[0].data
                          : p->header_srclang[0] ? p->header_srclang
                                                 : NULL;
    sl__tmx_tu tu = {
        p->tu_index++,
        p->tu_line,
        srclang,
        p->tu_has[1] ? p->tu_attr[1].data : NULL,
        p->tu_has[2] && p->dates[0][0] ? p->dates[0] : NULL,
        p->tu_has[3] ? p->tu_attr[3].data : NULL,
        p->tu_has[4] && p->dates[1][0] ? p->dates[1] : NULL,
        p->tu_has[5] ? p->tu_attr[5].data : NULL,
        p->out_tuvs,
        p->n_tuvs,
        p->out_notes,
        p->n_notes,
        p->bad[0] ? p->bad : NULL,
    };
    if (p->fn(&tu, p->data) != 0)
        p->stopped = true;
    return SL_OK;
}

/* Append the start tag of an inline element to the seg's stored form. */
static bool serialise_start(struct parser *p, struct tuv_work *t, const char *name, bool empty)
{
    if (!text_append(p, &t->text, "<", 1) || !text_append(p, &t->text, name, strlen(name)))
        return false;
    while (xmlTextReaderMoveToNextAttribute(p->r) == 1) {
        const char *an = (const char *)xmlTextReaderConstName(p->r);
        const char *av = (const char *)xmlTextReaderConstValue(p->r);
        if (!text_append(p, &t->text, " ", 1) || !text_append(p, &t->text, an, strlen(an)) ||
            !text_append(p, &t->text, "=\"", 2) || !escape_append(p, &t->text, av ? av : "", true) ||
            !text_append(p, &t->text, "\"", 1))
            return false;
    }
    xmlTextReaderMoveToElement(p->r);
    return text_append(p, &t->text, empty ? "/>" : ">", empty ? 2 : 1);
}

static sl_status on_start(struct parser *p, const char *name, int depth, bool empty)
{
    if (depth == 0) {
        if (strcmp(name, "tmx") != 0)
            return doc_error(p, "the root element is <%s>, not <tmx>: not a TMX file", name);
        p->seen_root = true;
        xmlChar *v = xmlTextReaderGetAttribute(p->r, BAD_CAST "version");
        bool ok = !v || !strcmp((char *)v, "1.1") || !strcmp((char *)v, "1.2") ||
                  !strcmp((char *)v, "1.3") || !strcmp((char *)v, "1.4") ||
                  !strcmp((char *)v, "1.4b");
        char ver[64];
        snprintf(ver, sizeof ver, "%.40s", v ? (char *)v : "");
        xmlFree(v);
        if (!ok)
            return doc_error(p, "unsupported TMX version '%s' (selaras reads 1.1 to 1.4)", ver);
        return SL_OK;
    }
    if (p->header_depth)
        return SL_OK; /* header props, notes and udes are not kept */
    if (depth == 1) {
        if (!strcmp(name, "header")) {
            if (p->seen_header)
                return doc_error(p, "a second <header>");
            p->seen_header = true;
            xmlChar *v = xmlTextReaderGetAttribute(p->r, BAD_CAST "srclang");
            snprintf(p->header_srclang, sizeof p->header_srclang, "%s",
                     v ? (const char *)v : "");
            xmlFree(v);
            if (!empty)
                p->header_depth = depth;
            return SL_OK;
        }
        if (!strcmp(name, "body")) {
            if (!p->seen_header)
                return doc_error(p, "<body> without a <header> before it (TMX requires "
                                    "one)");
            p->in_body = !empty;
            return SL_OK;
        }
        return doc_error(p, "unexpected element <%s> in <tmx>", name);
    }
    if (!p->in_body)
        return doc_error(p, "unexpected element <%s>", name);
    if (depth == 2) {
        if (strcmp(name, "tu") != 0)
            return doc_error(p, "unexpected element <%s> in <body> (expected <tu>)", name);
        sl_status s = start_tu(p);
        if (s == SL_OK && empty)
            s = end_tu(p);
        return s;
    }
    if (p->note >= 0 || p->note == -2) {
        mark_bad(p, "an element <%s> inside a prop or note", name);
        return SL_OK;
    }
    if (p->in_seg) {
        struct tuv_work *t = &p->tuvs[p->tuv];
        if (!is_inline(name)) {
            mark_bad(p, "an element <%s> inside a seg (TMX allows bpt ept it ph hi ut sub)",
                     name);
            return SL_OK;
        }
        t->markup = true;
        if (!serialise_start(p, t, name, empty))
            return nomem(p);
        if (!empty && is_code(name))
            p->code_depth++;
        return SL_OK;
    }
    if (depth == 3) {
        sl_status s = SL_OK;
        if (!strcmp(name, "tuv"))
            s = start_tuv(p);
        else if (!strcmp(name, "prop") || !strcmp(name, "note"))
            s = start_note(p, name[0] == 'n', -1);
        else
            mark_bad(p, "an element <%s> in a tu", name);
        if (s == SL_OK && empty) {
            p->tuv = p->note = -1;
        }
        return s;
    }
    if (depth == 4 && p->tuv >= 0) {
        sl_status s = SL_OK;
        if (!strcmp(name, "seg")) {
            struct tuv_work *t = &p->tuvs[p->tuv];
            if (t->has_seg)
                mark_bad(p, "a tuv with two segs");
            t->has_seg = true;
            sl__buf_clear(&t->text);
            sl__buf_clear(&t->plain);
            t->markup = false;
            p->in_seg = !empty;
            p->code_depth = 0;
        } else if (!strcmp(name, "prop") || !strcmp(name, "note")) {
            s = start_note(p, name[0] == 'n', p->tuv);
            if (s == SL_OK && empty)
                p->note = -1;
        } else {
            mark_bad(p, "an element <%s> in a tuv", name);
        }
        return s;
    }
    if (p->tuv != -2) /* elements under a refused tuv were reported already */
        mark_bad(p, "an unexpected element <%s>", name);
    return SL_OK;
}

static sl_status on_end(struct parser *p, const char *name, int depth)
{
    if (p->header_depth) {
        if (depth == p->header_depth)
            p->header_depth = 0;
        return SL_OK;
    }
    if (depth == 1 && !strcmp(name, "body"))
        p->in_body = false;
    if (!p->in_tu)
        return SL_OK;
    if (depth == 2)
        return end_tu(p);
    if (p->in_seg) {
        if (depth == 4) { /* the seg itself */
            struct tuv_work *t = &p->tuvs[p->tuv];
            p->in_seg = false;
            trim(&t->plain);
            if (t->markup) {
                trim(&t->text);
            } else {
                sl__buf_clear(&t->text);
                if (!sl__buf_append(&t->text, t->plain.data ? t->plain.data : "", t->plain.len))
                    return nomem(p);
            }
            return SL_OK;
        }
        struct tuv_work *t = &p->tuvs[p->tuv];
        if (is_code(name) && p->code_depth > 0)
            p->code_depth--;
        if (!text_append(p, &t->text, "</", 2) || !text_append(p, &t->text, name, strlen(name)) ||
            !text_append(p, &t->text, ">", 1))
            return nomem(p);
        return SL_OK;
    }
    if ((p->note >= 0 || p->note == -2) && (!strcmp(name, "prop") || !strcmp(name, "note")) &&
        (depth == 3 || depth == 4)) {
        p->note = -1;
        return SL_OK;
    }
    if (depth == 3 && !strcmp(name, "tuv"))
        p->tuv = -1;
    return SL_OK;
}

static sl_status on_text(struct parser *p, const char *value, bool blank)
{
    if (!p->in_tu)
        return SL_OK;
    if (p->in_seg) {
        struct tuv_work *t = &p->tuvs[p->tuv];
        if (!escape_append(p, &t->text, value, false))
            return nomem(p);
        /* Plain text is kept apart from the stored form only while there is
         * markup; until then text doubles as plain. */
        if (p->code_depth == 0 && !text_append(p, &t->plain, value, strlen(value)))
            return nomem(p);
        return SL_OK;
    }
    if (p->note >= 0) {
        if (!text_append(p, &p->notes[p->note].value, value, strlen(value)))
            return nomem(p);
        return SL_OK;
    }
    if (!blank)
        mark_bad(p, "text outside a seg");
    return SL_OK;
}

static sl_status parse(int fd, const char *buf, size_t len, const char *name,
                        sl__tmx_tu_fn fn, void *data, char sha256[65], sl_error *err)
{
    struct parser p;
    memset(&p, 0, sizeof p);
    p.name = name;
    p.err = err;
    p.fd = fd;
    p.buf = buf;
    p.len = len;
    p.fn = fn;
    p.data = data;
    p.tuv = p.note = -1;
    sl__sha256_init(&p.sha);
    sl_status s = SL_OK;

    /* No NOENT (entities stay unexpanded), no DTDLOAD/DTDATTR/DTDVALID, no
     * HUGE (libxml2 keeps its limits on text, attribute and name sizes and
     * on nesting), no network. */
    p.r = xmlReaderForIO(io_read, io_close, &p, NULL, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES);
    if (!p.r)
        return sl__nomem(err);
    xmlTextReaderSetStructuredErrorHandler(p.r, on_xml_error, &p);

    int rc = 1;
    while (s == SL_OK && !p.stopped && (rc = xmlTextReaderRead(p.r)) == 1) {
        int type = xmlTextReaderNodeType(p.r);
        int depth = xmlTextReaderDepth(p.r);
        if (depth > MAX_DEPTH) {
            s = doc_error(&p, "elements nested deeper than %d levels", MAX_DEPTH);
            break;
        }
        const char *nm = (const char *)xmlTextReaderConstName(p.r);
        switch (type) {
        case XML_READER_TYPE_ELEMENT: {
            bool empty = xmlTextReaderIsEmptyElement(p.r) == 1;
            s = on_start(&p, nm ? nm : "", depth, empty);
            break;
        }
        case XML_READER_TYPE_END_ELEMENT:
            s = on_end(&p, nm ? nm : "", depth);
            break;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: {
            const char *v = (const char *)xmlTextReaderConstValue(p.r);
            s = on_text(&p, v ? v : "", type == XML_READER_TYPE_WHITESPACE ||
                                            type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE);
            break;
        }
        case XML_READER_TYPE_ENTITY_REFERENCE:
            s = doc_error(&p, "an entity reference &%s; (selaras expands no entities)", nm);
            break;
        case XML_READER_TYPE_DOCUMENT_TYPE: {
            /* The DTD node itself, not xmlTextReaderCurrentDoc(): that would
             * hand the document to us and make the reader keep every node. */
            xmlNodePtr node = xmlTextReaderCurrentNode(p.r);
            xmlDtdPtr dtd = node && node->type == XML_DTD_NODE ? (xmlDtdPtr)node : NULL;
            if (dtd && (dtd->entities || dtd->pentities))
                s = doc_error(&p, "the DOCTYPE declares entities (refused: selaras reads no "
                                  "DTD and expands no entities)");
            break;
        }
        default:
            break;
        }
    }
    if (s == SL_OK && !p.stopped) {
        if (p.sc.bad_encoding[0] && !strcmp(p.sc.bad_encoding, "?")) {
            s = sl_error_set(err, SL_DATA, "%s:1: an XML declaration longer than %zu bytes "
                                           "(refused)", p.name, sizeof p.sc.decl - 1);
        } else if (p.sc.bad_encoding[0]) {
            s = sl_error_set(err, SL_DATA, "%s:1: the encoding '%s' is not supported (save the "
                                           "TMX as UTF-8)", p.name, p.sc.bad_encoding);
        } else if (p.sc.over) {
            s = sl_error_set(err, SL_DATA, "%s:%ld: an element with more than %d attributes "
                                           "(refused: TMX elements have a few)",
                             p.name, p.sc.over_line, MAX_ATTRS);
        } else if (rc < 0 || p.xml_failed) {
            if (p.io_errno)
                s = sl_error_set(err, SL_IO, "%s: cannot read: %s", name, strerror(p.io_errno));
            else
            {
                int line = p.xml_line > 0 ? p.xml_line : (int)line_of(&p);
                /* An error on the last line, with the whole input read: the
                 * file most likely stops in the middle. */
                bool cut = p.eof && p.seen_root && line >= p.newlines;
                s = sl_error_set(err, SL_XML, "%s:%d: not well-formed XML: %s%s", name, line,
                                 p.xml_failed ? p.xml_msg : "parse error",
                                 cut ? " (the file ends early: is it truncated?)" : "");
            }
        } else if (!p.seen_root) {
            s = sl_error_set(err, SL_XML, "%s: no XML element found (not a TMX file)", name);
        } else if (!p.seen_header) {
            s = sl_error_set(err, SL_DATA, "%s: no <header> (a TMX file needs one before "
                                           "<body>)", name);
        }
    }
    xmlFreeTextReader(p.r);
    if (s == SL_OK && sha256) {
        unsigned char d[32];
        sl__sha256_final(&p.sha, d);
        for (int i = 0; i < 32; i++)
            snprintf(sha256 + 2 * i, 3, "%02x", d[i]);
    }
    for (size_t i = 0; i < p.cap_tuvs; i++) {
        sl__buf_free(&p.tuvs[i].text);
        sl__buf_free(&p.tuvs[i].plain);
    }
    for (size_t i = 0; i < p.cap_notes; i++) {
        sl__buf_free(&p.notes[i].type);
        sl__buf_free(&p.notes[i].lang);
        sl__buf_free(&p.notes[i].value);
    }
    for (int i = 0; i < 6; i++)
        sl__buf_free(&p.tu_attr[i]);
    sl__buf_free(&p.tuv_lang[0]);
    sl__buf_free(&p.tuv_lang[1]);
    sl__buf_free(&p.scratch);
    free(p.tuvs);
    free(p.notes);
    free(p.out_tuvs);
    free(p.out_notes);
    return s;
}

/* libxml2 reports encoding-conversion errors on stderr by itself; here they
 * end up in err like every other parse error. */
sl_status sl__tmx_parse(int fd, const char *buf, size_t len, const char *name,
                        sl__tmx_tu_fn fn, void *data, char sha256[65], sl_error *err)
{
    sl__xml_handlers saved;
    char first[SL__XML_MSG_MAX];
    sl__xml_quiet(&saved, first);
    sl_status s = parse(fd, buf, len, name, fn, data, sha256, err);
    sl__xml_restore(&saved);
    if (s == SL_XML && first[0] && strstr(first, "conversion failed")) {
        char was[SL_ERROR_MSG_MAX];
        snprintf(was, sizeof was, "%s", err->message);
        s = sl_error_set(err, SL_XML,
                         "%s (the bytes do not match the file's encoding: libxml2 says \"%s\"; "
                         "save the TMX as UTF-8, or as UTF-16 with a byte order mark)",
                         was, first);
    }
    return s;
}

bool sl__tmx_date_to_iso(const char *t, char out[21])
{
    out[0] = '\0';
    /* the export's own check: a date it would drop is a bad unit here */
    if (!t || !sl__tmx_date_ok(t))
        return false;
    snprintf(out, 21, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", t, t + 4, t + 6, t + 9, t + 11, t + 13);
    return true;
}

/* ---- storing what the parser reads */

struct importer {
    sl_tm *tm;
    sl__tm_writer *w;
    const char *name;
    const sl_import_options *opt;
    sl_report_fn report;
    void *report_data;
    long long doc;
    long long position;
    sl_import_result res;
    sl__annot *annots;
    size_t cap_annots;
    sl_status st;
    sl_error *err;
};

/* A tuv's language matches a wanted one when equal, or when the wanted tag
 * is a bare language and the tuv's is a regional form of it ("en" ~ "en-gb"). */
static bool lang_matches(const char *want, const char *have)
{
    if (!*have)
        return false;
    if (strcmp(want, have) == 0)
        return true;
    size_t n = strlen(want);
    return !strchr(want, '-') && strncmp(want, have, n) == 0 && have[n] == '-';
}

static int find_tuv(const sl__tmx_tu *tu, const char *lang, int skip)
{
    for (size_t i = 0; i < tu->n_tuvs; i++)
        if ((int)i != skip && strcmp(tu->tuvs[i].lang, lang) == 0)
            return (int)i;
    for (size_t i = 0; i < tu->n_tuvs; i++)
        if ((int)i != skip && lang_matches(lang, tu->tuvs[i].lang))
            return (int)i;
    /* Last resort: the same language, another region ("en-us" ~ "en-gb"). */
    size_t n = strcspn(lang, "-");
    for (size_t i = 0; i < tu->n_tuvs; i++) {
        const char *have = tu->tuvs[i].lang;
        if ((int)i != skip && *have && strncmp(have, lang, n) == 0 &&
            (have[n] == '-' || have[n] == '\0'))
            return (int)i;
    }
    return -1;
}

/* A bad unit: reported; fatal for the file unless skip_bad. */
static int bad_unit(struct importer *im, long line, const char *why)
{
    char msg[600];
    snprintf(msg, sizeof msg, "%s:%ld: %s", im->name, line, why);
    if (!im->opt->skip_bad) {
        im->st = sl_error_set(im->err, SL_DATA,
                              "%s:%ld: %s; nothing was imported (--skip-bad imports the "
                              "other units)",
                              im->name, line, why);
        return 1;
    }
    im->res.skipped++;
    if (im->report)
        im->report(msg, im->report_data);
    return 0;
}

static sl_status store_pair(struct importer *im, const sl__tmx_tu *tu, int si, int ti)
{
    const sl__tmx_tuv *s = &tu->tuvs[si], *t = &tu->tuvs[ti];
    if (!*s->plain || !*t->plain) {
        im->res.no_pair++;
        return SL_OK;
    }
    size_t n = 0;
    double score = 1.0;
    const char *bead = "1-1";
    if (tu->n_notes > im->cap_annots) {
        sl__annot *a = realloc(im->annots, tu->n_notes * sizeof *a);
        if (!a)
            return sl__nomem(im->err);
        im->annots = a;
        im->cap_annots = tu->n_notes;
    }
    for (size_t i = 0; i < tu->n_notes; i++) {
        const sl__tmx_note *x = &tu->notes[i];
        int level = x->tuv < 0 ? SL__LEVEL_TU
                    : x->tuv == si ? SL__LEVEL_SRC
                    : x->tuv == ti ? SL__LEVEL_TGT
                                   : -1;
        if (level < 0)
            continue;
        /* selaras's own provenance props give the occurrence its score and
         * bead; they are kept as props too, so a re-export writes them as read */
        if (!x->note && level == SL__LEVEL_TU && x->type) {
            if (!strcmp(x->type, "x-score")) {
                char *end;
                double v = strtod(x->value, &end);
                if (end != x->value && !*end && v >= 0 && v <= 1)
                    score = v;
            } else if (!strcmp(x->type, "x-bead") && strlen(x->value) < 16 &&
                       strchr(x->value, '-')) {
                bead = x->value;
            }
        }
        im->annots[n++] = (sl__annot){level, x->note, x->type, x->lang, x->value};
    }
    sl__unit_in u = {
        im->doc,        im->position,       (long long)tu->index, (long long)tu->index,
        s->lang,        t->lang,            s->text,              t->text,
        s->plain,       t->plain,           s->markup,            t->markup,
        bead,           score,              tu->tuid,             tu->creation_date,
        tu->creation_id, tu->change_date,   tu->change_id,        im->annots,
        n,              true,
    };
    bool is_new = false;
    sl_status st = sl__tm_writer_unit(im->w, &u, &is_new);
    if (st != SL_OK)
        return st;
    im->position++;
    im->res.pairs++;
    if (is_new)
        im->res.units_new++;
    else
        im->res.units_existing++;
    return SL_OK;
}

static int on_tu(const sl__tmx_tu *tu, void *data)
{
    struct importer *im = data;
    im->res.read++;
    if (tu->bad)
        return bad_unit(im, tu->line, tu->bad);
    int si = -1;
    if (im->opt->src_lang) {
        si = find_tuv(tu, im->opt->src_lang, -1);
    } else if (!tu->srclang || !*tu->srclang || !strcmp(tu->srclang, "*all*")) {
        si = 0;
    } else {
        char want[SL_LANG_MAX];
        if (sl_lang_canonical(tu->srclang, want, NULL) != SL_OK) {
            char why[200];
            snprintf(why, sizeof why, "srclang '%.60s' is not a valid language code",
                     tu->srclang);
            return bad_unit(im, tu->line, why);
        }
        si = find_tuv(tu, want, -1);
        if (si < 0) {
            char why[200];
            snprintf(why, sizeof why, "srclang '%.60s' names no tuv of the unit", tu->srclang);
            return bad_unit(im, tu->line, why);
        }
    }
    size_t stored = 0;
    if (si >= 0) {
        if (im->opt->tgt_lang) {
            int ti = find_tuv(tu, im->opt->tgt_lang, si);
            if (ti >= 0 && strcmp(tu->tuvs[ti].lang, tu->tuvs[si].lang) != 0) {
                im->st = store_pair(im, tu, si, ti);
                stored++;
            }
        } else {
            for (size_t i = 0; i < tu->n_tuvs && im->st == SL_OK; i++) {
                if ((int)i == si || strcmp(tu->tuvs[i].lang, tu->tuvs[si].lang) == 0)
                    continue;
                im->st = store_pair(im, tu, si, (int)i);
                stored++;
            }
        }
    }
    if (stored == 0)
        im->res.no_pair++;
    return im->st != SL_OK;
}

sl_status sl_tmx_import(sl_tm *tm, const char *path, const sl_import_options *opt,
                        sl_report_fn report, void *data, sl_import_result *result,
                        sl_error *err)
{
    static const sl_import_options defaults = {NULL, NULL, false};
    if (result)
        memset(result, 0, sizeof *result);
    if (!tm || !path)
        return sl_error_set(err, SL_USAGE, "sl_tmx_import: missing argument");
    if (!opt)
        opt = &defaults;
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    int fd = STDIN_FILENO;
    if (!is_stdin) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return sl_error_set(err, errno == ENOENT ? SL_NOTFOUND : SL_IO, "%s: cannot open: %s",
                                path, strerror(errno));
        struct stat sb;
        if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            close(fd);
            return sl_error_set(err, SL_IO, "%s: is a directory, not a TMX file", path);
        }
    }
    struct importer im;
    memset(&im, 0, sizeof im);
    im.tm = tm;
    im.name = name;
    im.opt = opt;
    im.report = report;
    im.report_data = data;
    im.err = err;

    sl_status s = sl__tm_writer_begin(tm, &im.w, err);
    bool existed = false;
    /* The checksum is known only at the end: a placeholder until then (the
     * write lock keeps it from meeting another import's). */
    sl__doc_in d = {"tmx", name, name,
                    opt->src_lang ? opt->src_lang : "*all*",
                    opt->tgt_lang ? opt->tgt_lang : "*all*",
                    "pending", "pending", NULL, NULL};
    if (s == SL_OK)
        s = sl__tm_writer_document(im.w, &d, &im.doc, &existed);
    if (s == SL_OK && existed) /* a placeholder left by a crash cannot commit; never here */
        s = sl_error_set(err, SL_DB, "%s: the TM holds an unfinished import", tm->path);
    char sha[65];
    if (s == SL_OK)
        s = sl__tmx_parse(fd, NULL, 0, name, on_tu, &im, sha, err);
    if (s == SL_OK)
        s = im.st;
    bool dup = false;
    if (s == SL_OK)
        s = sl__tm_writer_set_checksums(im.w, im.doc, sha, sha, &dup);
    if (s == SL_OK && dup) {
        sl_import_result r = {0};
        r.already_present = true;
        r.read = im.res.read;
        im.res = r;
        sl__tm_writer_free(im.w); /* rolls back */
        im.w = NULL;
        /* Find the earlier document's id for the message. */
        sqlite3_stmt *q = NULL;
        if (sl__tm_prepare(tm, "SELECT id FROM documents WHERE src_sha256 = ?1 AND"
                               " tgt_sha256 = ?1 AND src_lang = ?2 AND tgt_lang = ?3",
                           &q, err) == SL_OK) {
            sqlite3_bind_text(q, 1, sha, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 2, d.src_lang, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 3, d.tgt_lang, -1, SQLITE_STATIC);
            if (sqlite3_step(q) == SQLITE_ROW)
                im.res.document_id = sqlite3_column_int64(q, 0);
            sqlite3_finalize(q);
        }
    } else if (s == SL_OK) {
        s = sl__tm_writer_commit(im.w);
        im.res.document_id = im.doc;
    }
    sl__tm_writer_free(im.w);
    free(im.annots);
    if (!is_stdin)
        close(fd);
    if (result && s == SL_OK)
        *result = im.res;
    return s;
}

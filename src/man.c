#include "man.h"
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <selaras/selaras.h>

/* Roff-escape n bytes of text: backslashes, hyphens (as \- so that options
 * stay ASCII), a control character at the start of a line, and non-ASCII as
 * \[uXXXX] so the page does not depend on the input encoding groff assumes. */
static void put_escaped(FILE *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n && (u[0] == '.' || u[0] == '\''))
        fputs("\\&", out);
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        if (c < 0x80) {
            if (c == '\\')
                fputs("\\e", out);
            else if (c == '-')
                fputs("\\-", out);
            else
                fputc(c, out);
            i++;
            continue;
        }
        size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        uint32_t cp = len == 4 ? (c & 0x07) : len == 3 ? (c & 0x0f) : (c & 0x1f);
        for (size_t k = 1; k < len && i + k < n; k++)
            cp = (cp << 6) | (u[i + k] & 0x3f);
        fprintf(out, "\\[u%04X]", (unsigned)cp);
        i += len;
    }
}

static void put_line(FILE *out, const char *s, size_t n)
{
    put_escaped(out, s, n);
    fputc('\n', out);
}

static bool is_heading(const char *s, size_t n)
{
    if (n < 2 || !isupper((unsigned char)s[0]) || s[n - 1] != ':')
        return false;
    for (size_t i = 1; i + 1 < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != ' ' && s[i] != '-')
            return false;
    return true;
}

/* An item line "  TERM  DESCRIPTION": returns the column of the description
 * (0 if the line is not one) and the term's extent. */
static size_t item_split(const char *s, size_t n, size_t indent, size_t *term_end)
{
    for (size_t i = indent; i + 2 < n; i++)
        if (s[i] == ' ' && s[i + 1] == ' ') {
            size_t j = i;
            while (j < n && s[j] == ' ')
                j++;
            if (j == n || i == indent)
                return 0;
            *term_end = i;
            return j;
        }
    return 0;
}

enum mode { M_NONE, M_PARA, M_ITEM, M_VERB };

void man_write(FILE *out, const char *page, const char *summary, const char *text,
               const char *const *see_also)
{
    fputs(".TH ", out);
    for (const char *p = page; *p; p++)
        fputc(toupper((unsigned char)*p), out);
    fprintf(out, " 1 \"\" \"selaras %s\" \"selaras manual\"\n", sl_version());
    /* No hyphenation and no justification: the page reads like the help. */
    fputs(".nh\n.ad l\n.SH NAME\n", out);
    put_escaped(out, page, strlen(page));
    fputs(" \\- ", out);
    put_line(out, summary, strlen(summary));

    const char *p = text;
    /* The usage block: "usage: " goes, continuation lines lose as much. */
    const char *prefix = "usage: ";
    size_t plen = strlen(prefix);
    if (strncmp(p, prefix, plen) == 0) {
        fputs(".SH SYNOPSIS\n.nf\n", out);
        bool first = true;
        while (*p && *p != '\n') {
            const char *end = strchr(p, '\n');
            size_t n = end ? (size_t)(end - p) : strlen(p);
            size_t skip = 0;
            if (first)
                skip = plen;
            else
                while (skip < plen && skip < n && p[skip] == ' ')
                    skip++;
            put_line(out, p + skip, n - skip);
            first = false;
            p += n + (end ? 1 : 0);
        }
        fputs(".fi\n", out);
    }

    enum mode mode = M_NONE;
    bool in_section = false, examples = false, blank = false;
    size_t desc_col = 0;
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *line = p;
        p += n + (end ? 1 : 0);
        if (n == 0) {
            if (mode == M_VERB)
                fputs(".fi\n.RE\n", out);
            mode = M_NONE;
            blank = true;
            continue;
        }
        if (is_heading(line, n)) {
            if (mode == M_VERB)
                fputs(".fi\n.RE\n", out);
            fputs(".SH ", out);
            for (size_t i = 0; i + 1 < n; i++)
                fputc(toupper((unsigned char)line[i]), out);
            fputc('\n', out);
            examples = strncmp(line, "Example", 7) == 0;
            in_section = true;
            mode = M_NONE;
            blank = false;
            continue;
        }
        if (!in_section) {
            fputs(".SH DESCRIPTION\n", out);
            in_section = true;
            blank = false;
        }
        size_t indent = 0;
        while (indent < n && line[indent] == ' ')
            indent++;
        if (indent == 0) {
            if (mode == M_VERB)
                fputs(".fi\n.RE\n", out);
            else if (blank || mode == M_ITEM)
                fputs(".PP\n", out);
            mode = M_PARA;
            blank = false;
            put_line(out, line, n);
            continue;
        }
        if (mode == M_ITEM && indent >= desc_col) {
            put_line(out, line + indent, n - indent);
            continue;
        }
        /* Inside a verbatim block only an option line starts an item. */
        bool option = line[indent] == '-';
        size_t term_end = 0, col = examples || (mode == M_VERB && !option)
                                      ? 0
                                      : item_split(line, n, indent, &term_end);
        if (col || (option && !examples && mode == M_ITEM)) {
            if (mode == M_VERB)
                fputs(".fi\n.RE\n", out);
            fputs(".TP\n", out);
            /* An option line without a description shares the one above. */
            put_line(out, line + indent, (col ? term_end : n) - indent);
            if (col)
                put_line(out, line + col, n - col);
            mode = M_ITEM;
            desc_col = col ? col : desc_col;
            blank = false;
            continue;
        }
        if (mode != M_VERB) {
            if (blank)
                fputs(".PP\n", out);
            fputs(".RS 2\n.nf\n", out);
            mode = M_VERB;
            blank = false;
        }
        /* Keep indentation beyond the first two spaces. */
        size_t keep = indent >= 2 ? 2 : indent;
        put_line(out, line + keep, n - keep);
    }
    if (mode == M_VERB)
        fputs(".fi\n.RE\n", out);
    if (see_also && see_also[0]) {
        fputs(".SH SEE ALSO\n", out);
        for (size_t i = 0; see_also[i]; i++) {
            fputs(".BR ", out);
            put_escaped(out, see_also[i], strlen(see_also[i]));
            fprintf(out, " (1)%s\n", see_also[i + 1] ? "," : "");
        }
    }
}

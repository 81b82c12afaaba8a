/*
 * Sentence segmentation: ICU's sentence break iterator proposes boundaries,
 * and language data plus a few rules for Indonesian (and English) text
 * decide which of them stand.
 *
 * Lines and paragraphs.  A sentence never spans a line break (LF, CR LF, CR,
 * NEL, U+2028, U+2029), except in hard-wrapped text, where the lines joined
 * by soft breaks are segmented as one line (see wrapped_text() and
 * soft_break(); every other line break there ends a paragraph).  If the
 * input has a blank (whitespace-only) line between two non-blank lines it
 * is in "blank-line mode": a blank line ends a paragraph, and so does a
 * line break after a line that does not end in final punctuation (. ! ? …
 * or one of those followed by closing quotes or brackets), since such a
 * line is a headline, title or list item; a line break after final
 * punctuation only ends the sentence.  Otherwise the input
 * is in "line mode" (one paragraph per line, as in most CMS exports) and
 * every non-blank line is a paragraph of its own.
 *
 * Within a line, a candidate boundary from ICU (or after an ellipsis, which
 * ICU does not consider) is dropped when:
 *   - the word before a full stop is an abbreviation of class P, of class N
 *     followed by a digit, or of class F followed by a lowercase word or a
 *     digit (whole-word, case-sensitive match: "AS." is not "S.");
 *   - the word before a full stop is a chain of capital initials (N., D.W.)
 *     followed by a capitalised word (this wins over class F: "A.H.
 *     Nasution", "B.J. Habibie", "U.S. President");
 *   - it follows a list marker ("1.", "a.", "IV.") at the start of the line;
 *   - an ellipsis (… or ...) is followed by a lowercase word;
 *   - ? or ! and a closing quote/bracket are followed by a lowercase word
 *     (a speech verb: “Kapan?” tanya dia);
 *   - it falls inside a URL or an e-mail address;
 *   - a Roman numeral follows an abbreviation of class N ("No. XXXIII"; a
 *     lone "I" only before a capitalised word);
 *   - an abbreviation of class F is followed by an opening bracket ("Pte.
 *     Ltd. (SPA)", "10 a.m. (CDT)"), or one company form by another ("Co.
 *     Ltd", "Pvt. Limited");
 *   - there is no space after a full stop and what follows is not a
 *     capitalised word ("EY4108.E", "ld2d-1.DOC"), or the candidate follows
 *     an opening bracket ("Fax.(03)").
 * Class N also counts a digit after an opening bracket ("Telp. (021)").
 *
 * Boundaries are added or moved:
 *   - a full stop glued between a lower-case word that is no abbreviation
 *     and a capitalised word ("quality.You'll") is a missing space, unless
 *     the run looks like an address ("Kompas.Com/x", "Kyle.Jones@x");
 *   - a full stop after a word of four or more letters ending in lower
 *     case that is no abbreviation, before whitespace and a lower-case word
 *     ("... pada 1879 di kota itu. atau ...", "last night. i am"), unless
 *     that word is a domain or file ending ("Goal. com") or "www. " comes
 *     before (a quote may open the next word: "Leste. ``sampai"): ICU never
 *     breaks before lower case, but informal text and quoted fragments
 *     start sentences that way, and abbreviations are short or listed;
 *   - a list marker inside a line ("Ilir. 1. Kedudukan", "Indonesia. b.
 *     Dinas": one or two digits or a lower-case letter, after final
 *     punctuation that does not close an abbreviation, before a capitalised
 *     word) starts the next sentence; after a colon ("yaitu: a. Bahwa"),
 *     or when the item before it is in the sentence ("1. Pendidikan; 2.
 *     Kesehatan"), it is an item of that sentence and there is no break;
 *   - citation marks after a sentence end ("Dulwich. [17] Placed") stay
 *     with that sentence, and so do an emoticon (":)") and a quote or a
 *     closing bracket standing alone ("kamu. “ Siapa", "day. ) Hop");
 *   - a dash standing alone after a full stop, before a capital or a
 *     number ("ke-11. - Apa yang"), starts the next sentence;
 *   - initials before a word of LANG.starters start a new sentence
 *     ("kuartal I. Dengan"), and a connective (class C) after a lower-case
 *     word starts one even without a final mark before it;
 *   - a URL, an e-mail address or an emoticon before a capital ends one;
 *   - an ellipsis standing after a sentence end opens the next sentence.
 *
 * With SRX rules (sl_segmenter_load_srx()) the user's rules replace ICU's
 * and all of the above within a line; lines and paragraphs stay the same.
 *
 * ICU's own abbreviation filter (locale keyword ss=standard) is not used: it
 * matches entries as word suffixes, so "AS." and "WIB." would not end
 * sentences because "S." and "B." are listed.
 *
 * The span of each sentence runs from its first character to the first
 * character of the next one (the first span starts at 0, the last ends at
 * len), so spans tile the input and carry the trailing whitespace.
 */
#include "internal.h"
#include "srx.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/uversion.h>

/* Scans that look around a candidate boundary stop after this many code
 * points, so pathological input (a megabyte of quotes) stays linear. */
#define SCAN_LIMIT 32
/* For tests on 8 bytes at a time. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
/* Longest abbreviation accepted from a data file, in bytes. */



#define ABBREV_MAX 64

enum abbrev_class { CLASS_NONE = 0, CLASS_P = 'P', CLASS_N = 'N', CLASS_F = 'F' };

struct abbrev {
    const char *text; /* points into sl_segmenter.data */
    size_t len;
    size_t line; /* in the data file, for messages */
    char cls;
};

struct sl_segmenter {
    char lang[SL_LANG_MAX];
    /* Cloned for each sl_segment() call, so one segmenter can serve
     * several threads. */
    UBreakIterator *proto;
    char *data; /* the abbreviation file, cut into NUL-terminated entries */
    struct abbrev *abbrevs; /* sorted by bytes, for bsearch */
    size_t n_abbrevs;
    size_t max_abbrev;
    bool multiword; /* some entry holds a space ("et al.") */
    char *starter_data; /* the starters file, cut into NUL-terminated words */
    const char **starters; /* sorted, for bsearch; the class letter follows each NUL */
    size_t n_starters;
    uint32_t starter_initials, connective_initials; /* bit c - 'A' per first letter */
    struct sl__srx *srx; /* user rules that replace ICU's and ours, or NULL */
};

/* What starts the word after a boundary. */
enum next_kind { NEXT_OTHER, NEXT_LOWER, NEXT_UPPER, NEXT_DIGIT };

/* ---- UTF-8 and character classes */

/* Decode the code point at s[i] (i < n); *next gets the index after it.
 * Malformed bytes decode as U+FFFD one byte at a time. */
static UChar32 cp_next(const char *s, size_t n, size_t i, size_t *next)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char c = u[i];
    size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
    if (len == 0 || len > n - i) {
        *next = i + 1;
        return c < 0x80 ? c : 0xfffd;
    }
    UChar32 cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    for (size_t k = 1; k < len; k++) {
        if ((u[i + k] & 0xc0) != 0x80) {
            *next = i + 1;
            return 0xfffd;
        }
        cp = (cp << 6) | (u[i + k] & 0x3f);
    }
    *next = i + len;
    return cp;
}

/* The code point that ends at s[i] (lo < i); *start gets its first index. */
static UChar32 cp_prev(const char *s, size_t lo, size_t i, size_t *start)
{
    if ((unsigned char)s[i - 1] < 0x80) { /* ASCII, the common case */
        *start = i - 1;
        return (unsigned char)s[i - 1];
    }
    size_t j = i - 1;
    while (j > lo && i - j < 4 && ((unsigned char)s[j] & 0xc0) == 0x80)
        j--;
    size_t next;
    UChar32 cp = cp_next(s, i, j, &next);
    if (next != i) { /* malformed tail: step back one byte only */
        j = i - 1;
        cp = 0xfffd;
    }
    *start = j;
    return cp;
}

/* Length of the whitespace character that ends at s[i], 0 if none. */
static size_t space_before(const char *s, size_t lo, size_t i)
{
    if (i > lo && (unsigned char)s[i - 1] < 0x80) /* ASCII: no longer space ends here */
        return s[i - 1] == ' ' || (s[i - 1] >= 0x09 && s[i - 1] <= 0x0d);
    for (size_t k = 1; k <= 3 && k <= i - lo; k++)
        if (sl__space_len(s + i - k, k) == k)
            return k;
    return 0;
}

/* Length of the whitespace at s[i] (i < n), ASCII checked inline. */
static size_t space_at(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80)
        return c == ' ' || (c >= 0x09 && c <= 0x0d);
    return sl__space_len(s + i, n - i);
}

static size_t skip_space(const char *s, size_t n, size_t i)
{
    size_t sp;
    while (i < n && (sp = space_at(s, n, i)) != 0)
        i += sp;
    return i;
}

/* Length of the line break at s[i], 0 if none.  The same set that ICU's
 * sentence rules treat as paragraph separators. */
static size_t line_break_len(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s + i;
    if (u[0] == '\n')
        return 1;
    if (u[0] == '\r')
        return i + 1 < n && u[1] == '\n' ? 2 : 1;
    if (u[0] == 0xc2 && i + 1 < n && u[1] == 0x85)
        return 2;
    if (u[0] == 0xe2 && i + 2 < n && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9))
        return 3;
    return 0;
}

/* The line that starts at i: its content ends at *e, its line break is *k
 * bytes long (0 at the end of the text). */
static void line_at(const char *text, size_t len, size_t i, size_t *e, size_t *k)
{
    /* memchr for LF, then for the rarer breaks (CR, NEL, LS, PS) before it */
    const char *nl = memchr(text + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - text) : len;
    const char *cr = memchr(text + i, '\r', end - i);
    if (cr)
        end = (size_t)(cr - text);
    static const char lead[2] = {'\xc2', '\xe2'};
    for (int m = 0; m < 2; m++)
        for (const char *p = memchr(text + i, lead[m], end - i); p;
             p = memchr(p + 1, lead[m], end - (size_t)(p + 1 - text))) {
            size_t at = (size_t)(p - text);
            if (line_break_len(text, len, at)) {
                end = at;
                break;
            }
            if (at + 1 >= end)
                break;
        }
    *e = end;
    *k = end < len ? line_break_len(text, len, end) : 0;
}

/* Quotes and brackets that may follow a sentence's final mark. */
static bool is_closer(UChar32 c)
{
    if (c < 0x80) /* ASCII has no initial or final quotes */
        return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}';
    int8_t t = u_charType(c);
    return t == U_END_PUNCTUATION || t == U_FINAL_PUNCTUATION || t == U_INITIAL_PUNCTUATION;
}

/* Quotes and brackets that may open a sentence or a word. */
static bool is_opener(UChar32 c)
{
    if (c < 0x80) /* ASCII has no initial or final quotes */
        return c == '"' || c == '\'' || c == '(' || c == '[' || c == '{';
    int8_t t = u_charType(c);
    return t == U_START_PUNCTUATION || t == U_INITIAL_PUNCTUATION || t == U_FINAL_PUNCTUATION;
}

/* Whether an opening bracket (not a quote) starts at s[i]. */
static bool is_open_bracket(const char *s, size_t n, size_t i)
{
    size_t next;
    return i < n && u_charType(cp_next(s, n, i, &next)) == U_START_PUNCTUATION;
}

static bool is_terminal(UChar32 c)
{
    if (c < 0x80) /* ASCII's sentence terminals */
        return c == '.' || c == '!' || c == '?';
    return c == 0x2026 || u_hasBinaryProperty(c, UCHAR_S_TERM);
}

static bool is_ascii_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_ascii_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

/* Whether a capitalised word ("The", not "E" or "DOC") starts at s[i]. */
static bool capitalised_at(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return false;
    size_t next;
    UChar32 c = cp_next(s, n, i, &next);
    if (!(u_isupper(c) || u_istitle(c)) || next >= n)
        return false;
    return u_islower(cp_next(s, n, next, &next));
}

/* Classify the word at s[i]: with skip_openers, quotes and brackets in front
 * of it are passed over first. */
static enum next_kind next_word(const char *s, size_t n, size_t i, bool skip_openers)
{
    for (int k = 0; i < n && k <= SCAN_LIMIT; k++) {
        size_t next;
        UChar32 c = cp_next(s, n, i, &next);
        if (skip_openers && is_opener(c)) {
            i = next;
            continue;
        }
        if (u_islower(c))
            return NEXT_LOWER;
        if (u_isupper(c) || u_istitle(c))
            return NEXT_UPPER;
        if (u_isdigit(c))
            return NEXT_DIGIT;
        return NEXT_OTHER;
    }
    return NEXT_OTHER;
}

/* ---- abbreviation data */

static int abbrev_cmp_key(const char *a, size_t alen, const char *b, size_t blen)
{
    int r = memcmp(a, b, alen < blen ? alen : blen);
    if (r != 0)
        return r;
    return alen < blen ? -1 : alen > blen;
}

static int abbrev_cmp(const void *pa, const void *pb)
{
    const struct abbrev *a = pa, *b = pb;
    return abbrev_cmp_key(a->text, a->len, b->text, b->len);
}

static char abbrev_find(const sl_segmenter *seg, const char *s, size_t len)
{
    size_t lo = 0, hi = seg->n_abbrevs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct abbrev *a = &seg->abbrevs[mid];
        int r = abbrev_cmp_key(s, len, a->text, a->len);
        if (r == 0)
            return a->cls;
        if (r < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return CLASS_NONE;
}

/* Split one data line into its fields (tabs become NULs) and record it;
 * seg->abbrevs has room for one entry per line of the file. */
static sl_status parse_abbrev_line(sl_segmenter *seg, const char *path, size_t lineno, char *line,
                                   sl_error *err)
{
    char *fields[2] = {line, NULL};
    char *tab = strchr(line, '\t');
    if (!tab)
        return sl_error_set(err, SL_DATA,
                            "%s:%zu: expected ABBREV<TAB>CLASS<TAB>SOURCES, found no tab (fix "
                            "the line; the file's header describes the format)",
                            path, lineno);
    *tab = '\0';
    fields[1] = tab + 1;
    tab = strchr(fields[1], '\t');
    if (tab)
        *tab = '\0';
    size_t len = strlen(fields[0]);
    if (len < 2 || fields[0][len - 1] != '.')
        return sl_error_set(err, SL_DATA,
                            "%s:%zu: abbreviation '%s' does not end in a full stop (add it or "
                            "remove the line)",
                            path, lineno, fields[0]);
    if (len > ABBREV_MAX)
        return sl_error_set(err, SL_DATA,
                            "%s:%zu: abbreviation longer than %d bytes (shorten it or remove the "
                            "line)",
                            path, lineno, ABBREV_MAX);
    if (sl__space_len(fields[0], len) || space_before(fields[0], 0, len))
        return sl_error_set(err, SL_DATA,
                            "%s:%zu: abbreviation '%s' has surrounding spaces (remove them)", path,
                            lineno, fields[0]);
    const char *c = fields[1];
    if (!((c[0] == 'P' || c[0] == 'N' || c[0] == 'F') && c[1] == '\0'))
        return sl_error_set(err, SL_DATA, "%s:%zu: unknown class '%s' for '%s' (use P, N or F)",
                            path, lineno, c, fields[0]);
    seg->abbrevs[seg->n_abbrevs++] = (struct abbrev){fields[0], len, lineno, c[0]};
    if (len > seg->max_abbrev)
        seg->max_abbrev = len;
    if (strchr(fields[0], ' '))
        seg->multiword = true;
    return SL_OK;
}

/* A data file read whole, walked line by line: each line NUL-terminated in
 * place, without its CR LF; lines is an upper bound of their number. */
struct data_file {
    char *p, *end;
    size_t lineno, lines;
};

static sl_status data_file_open(struct data_file *f, const char *path, char **data,
                                sl_error *err)
{
    size_t len = 0;
    sl_status st = sl_text_read_file(path, data, &len, err);
    if (st != SL_OK)
        return st;
    f->p = *data;
    f->end = *data + len;
    f->lineno = 0;
    f->lines = 1;
    for (size_t i = 0; i < len; i++)
        f->lines += (*data)[i] == '\n';
    return SL_OK;
}

/* The next line and its length, or NULL at the end. */
static char *data_file_line(struct data_file *f, size_t *n)
{
    if (f->p >= f->end)
        return NULL;
    char *line = f->p, *nl = memchr(line, '\n', (size_t)(f->end - line));
    char *line_end = nl ? nl : f->end;
    f->p = nl ? nl + 1 : f->end;
    if (line_end > line && line_end[-1] == '\r')
        line_end--;
    *line_end = '\0';
    f->lineno++;
    *n = (size_t)(line_end - line);
    return line;
}

static sl_status load_abbrevs(sl_segmenter *seg, const char *path, sl_error *err)
{
    struct data_file f;
    sl_status st = data_file_open(&f, path, &seg->data, err);
    if (st != SL_OK)
        return st;
    seg->abbrevs = malloc(f.lines * sizeof *seg->abbrevs);
    if (!seg->abbrevs)
        return sl__nomem(err);
    size_t n;
    for (char *p; (p = data_file_line(&f, &n));) {
        if (*p != '#' && skip_space(p, n, 0) < n) {
            st = parse_abbrev_line(seg, path, f.lineno, p, err);
            if (st != SL_OK)
                return st;
        }
    }
    if (seg->n_abbrevs > 1)
        qsort(seg->abbrevs, seg->n_abbrevs, sizeof *seg->abbrevs, abbrev_cmp);
    for (size_t i = 1; i < seg->n_abbrevs; i++)
        if (abbrev_cmp(&seg->abbrevs[i - 1], &seg->abbrevs[i]) == 0)
            return sl_error_set(err, SL_DATA,
                                "%s:%zu: duplicate abbreviation '%s' (remove one of the lines)",
                                path,
                                seg->abbrevs[i].line > seg->abbrevs[i - 1].line
                                    ? seg->abbrevs[i].line
                                    : seg->abbrevs[i - 1].line,
                                seg->abbrevs[i].text);
    return SL_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* LANG.starters: one word per line, '#' comments, blank lines ignored. */
static sl_status load_starters(sl_segmenter *seg, const char *path, sl_error *err)
{
    struct data_file f;
    sl_status st = data_file_open(&f, path, &seg->starter_data, err);
    if (st != SL_OK)
        return st;
    seg->starters = malloc(f.lines * sizeof *seg->starters);
    if (!seg->starters)
        return sl__nomem(err);
    size_t n;
    for (char *p; (p = data_file_line(&f, &n));) {
        if (*p != '#' && n > 0) {
            char *tab = memchr(p, '\t', n);
            bool ok = tab && tab > p && tab + 2 == p + n && (tab[1] == 'S' || tab[1] == 'C');
            for (char *q = p; ok && q < tab; q++)
                ok = !sl__space_len(q, (size_t)(tab - q)) && *q != '.';
            if (!ok)
                return sl_error_set(err, SL_DATA,
                                    "%s:%zu: expected WORD<TAB>S or WORD<TAB>C, found '%s' (fix "
                                    "the line)",
                                    path, f.lineno, p);
            *tab = '\0';
            seg->starters[seg->n_starters++] = p;
            /* first letters, to rule most words out before a search */
            uint32_t bit = is_ascii_upper(p[0]) ? 1u << (p[0] - 'A') : 1u << 26;
            seg->starter_initials |= bit;
            if (tab[1] == 'C')
                seg->connective_initials |= bit;
        }
    }
    if (seg->n_starters > 1)
        qsort(seg->starters, seg->n_starters, sizeof *seg->starters, cmp_str);
    return SL_OK;
}

/* The class of the word at s[i] in the language's sentence starters ('S'
 * or 'C'), 0 if it is none. */
static char starter_at(const sl_segmenter *seg, const char *s, size_t n, size_t i)
{
    if (seg->n_starters == 0 || i >= n)
        return 0;
    uint32_t bit = is_ascii_upper(s[i]) ? 1u << (s[i] - 'A') : 1u << 26;
    if (!(seg->starter_initials & bit))
        return 0;
    size_t e = i, next;
    while (e < n && e - i < 32) {
        if ((unsigned char)s[e] < 0x80) { /* ASCII's letters are A-Z and a-z */
            if (!is_ascii_upper(s[e]) && !is_ascii_lower(s[e]))
                break;
            e++;
        } else if (u_isalpha(cp_next(s, n, e, &next)))
            e = next;
        else
            break;
    }
    if (e == i || e - i >= 32 || (e < n && (s[e] == '.' || s[e] == '-' || s[e] == '\'')))
        return 0; /* "No.", "Its-", "It's" stand for themselves */
    char key[32];
    memcpy(key, s + i, e - i);
    key[e - i] = '\0';
    const char *k = key;
    const char **hit =
        bsearch(&k, seg->starters, seg->n_starters, sizeof *seg->starters, cmp_str);
    return hit ? (*hit)[strlen(*hit) + 1] : 0;
}

/* ---- segmenter objects */

sl_status sl_segmenter_new(const char *lang, const char *datadir, sl_segmenter **out,
                           sl_error *err)
{
    if (!out)
        return sl_error_set(err, SL_USAGE, "sl_segmenter_new: no place for the result");
    *out = NULL;
    sl_status st = SL_OK;
    char *path = NULL;
    sl_segmenter *seg = calloc(1, sizeof *seg);
    if (!seg)
        return sl__nomem(err);
    st = sl_lang_canonical(lang, seg->lang, err);
    if (st != SL_OK)
        goto cleanup;

    /* The primary subtag names both the data file and the ICU locale; the
     * rest of the tag cannot change sentence rules, and passing it on could
     * smuggle in "-u-ss-standard", whose suffix matching we avoid. */
    char primary[SL_LANG_MAX];
    size_t plen = strcspn(seg->lang, "-");
    memcpy(primary, seg->lang, plen);
    primary[plen] = '\0';

    char name[SL_LANG_MAX + 16];
    memcpy(name, primary, plen);
    memcpy(name + plen, ".abbrev", sizeof ".abbrev");
    bool required = strcmp(primary, "id") == 0 || strcmp(primary, "en") == 0;
    /* Other languages may go without a file: then there are no
     * abbreviations, only the rules. */
    sl_error local;
    sl_error_clear(&local);
    path = sl__data_path(datadir, name, &local);
    if (!path && (required || local.code == SL_NOMEM)) {
        st = local.code;
        if (err)
            *err = local;
        goto cleanup;
    }
    if (path) {
        st = load_abbrevs(seg, path, err);
        if (st != SL_OK)
            goto cleanup;
    }
    /* Sentence starters are optional for every language. */
    memcpy(name + plen, ".starters", sizeof ".starters");
    free(path);
    sl_error_clear(&local);
    path = sl__data_path(datadir, name, &local);
    if (!path && local.code == SL_NOMEM) {
        st = local.code;
        if (err)
            *err = local;
        goto cleanup;
    }
    if (path) {
        st = load_starters(seg, path, err);
        if (st != SL_OK)
            goto cleanup;
    }

    UErrorCode ust = U_ZERO_ERROR;
    seg->proto = ubrk_open(UBRK_SENTENCE, primary, NULL, 0, &ust);
    if (U_FAILURE(ust)) {
        seg->proto = NULL;
        st = sl_error_set(err, SL_ICU, "cannot open the ICU sentence break iterator for '%s': %s",
                          primary, u_errorName(ust));
        goto cleanup;
    }
    *out = seg;
    seg = NULL;
cleanup:
    free(path);
    sl_segmenter_free(seg);
    return st;
}

sl_status sl_segmenter_load_srx(sl_segmenter *seg, const char *path, sl_error *err)
{
    if (!seg || !path)
        return sl_error_set(err, SL_USAGE, "sl_segmenter_load_srx: no segmenter or no path");
    struct sl__srx *srx = NULL;
    sl_status st = sl__srx_load(path, seg->lang, &srx, err);
    if (st != SL_OK)
        return st;
    sl__srx_free(seg->srx);
    seg->srx = srx;
    return SL_OK;
}

void sl_segmenter_free(sl_segmenter *seg)
{
    if (!seg)
        return;
    if (seg->proto)
        ubrk_close(seg->proto);
    free(seg->abbrevs);
    free(seg->data);
    free(seg->starters);
    free(seg->starter_data);
    sl__srx_free(seg->srx);
    free(seg);
}

/* ---- segmentation */

/* A line of the text: text[start, end), then a line break of brk bytes (0
 * at the end of the text). */
struct line_rec {
    size_t start, end;
    size_t brk;
    size_t width; /* see line_width(); set by wrapped_text() */
    size_t bytes; /* the same in bytes, capped at WRAP_BYTES_MAX + 1 */
    bool blank;
};

struct run {
    const sl_segmenter *seg;
    const char *text;
    size_t len;
    sl_sentences *out;
    /* the sentence waiting for its end: text starts at pending_start, span
     * at span_start */
    bool have_pending, pending_para;
    size_t pending_start, span_start;
    /* the current line: text + line_off, line_len bytes, first non-space at
     * line_first (line-relative) */
    size_t line_off, line_len, line_first;
    /* what the rules read: text + line_off, or a copy of a hard-wrapped run
     * of lines with its line breaks turned into spaces */
    const char *line_view;
    char *wrap_buf;
    size_t wrap_cap;
    struct sl__srx_run *srx; /* SRX rules in use, or NULL */
    sl_sentence_fn fn;       /* streaming: sentences go here, not to out */
    void *fn_ctx;
    size_t emitted;          /* sentences delivered */
    size_t srx_lo;           /* SRX: where the current sentence starts */
    /* the last whitespace-free run checked for a URL (line-relative) */
    size_t url_start, url_end;
    bool url_is;
    /* ICU's boundaries for whole lines of text[win_start, win_end), found
     * over a UTF-16 copy of it (see window_open()) */
    UBreakIterator *wbi;
    UChar *u16;
    size_t u16_cap, win_start, win_end;
    bool win_ok;
    size_t map_b;   /* a byte offset into the window ... */
    int32_t map_u;  /* ... and its UTF-16 index */
    size_t wnext;   /* the next boundary (absolute), SIZE_MAX after the last */
    struct line_rec *lines; /* the lines of the text segment_range() works on */
    size_t n_lines, lines_cap;
};

/* Push the sentence text[from, to) with span [span_start, to): a sentence
 * of a hard-wrapped paragraph crosses line breaks, which its text shows as
 * single spaces (the span keeps the input as it is).  Streaming hands the
 * trimmed text to the caller's function instead. */
static sl_status push(struct run *r, size_t from, size_t to, bool para, size_t span_start,
                      sl_error *err)
{
    const char *t = r->text + from;
    size_t n = to - from, k = 0, i, sp;
    while (n && (sp = space_before(t, 0, n)) != 0)
        n -= sp;
    size_t e, brk;
    line_at(t, n, 0, &e, &brk); /* a line break inside the sentence? */
    (void)brk;
    k = e < n;
    char *copy = NULL;
    if (k) {
        copy = malloc(n + 1);
        if (!copy)
            return sl__nomem(err);
        size_t m = 0;
        for (i = 0; i < n;) {
            k = line_break_len(t, n, i);
            if (k) {
                copy[m++] = ' ';
                i += k;
            } else
                copy[m++] = t[i++];
        }
        copy[m] = '\0';
        t = copy;
        n = m;
    }
    sl_status st;
    if (r->fn)
        st = n ? r->fn(r->fn_ctx, t, n, para, err) : SL_OK;
    else
        st = sl__sentences_push(r->out, t, n, para, span_start, to, err);
    r->emitted += n > 0;
    free(copy);
    return st;
}

/* Record that a sentence starts at absolute offset start. */
static sl_status emit(struct run *r, size_t start, bool new_paragraph, sl_error *err)
{
    sl_status st = SL_OK;
    if (r->have_pending) {
        st = push(r, r->pending_start, start, r->pending_para, r->span_start, err);
        r->span_start = start;
    }
    r->have_pending = true;
    r->pending_start = start;
    r->pending_para = new_paragraph;
    return st;
}

static sl_status finish(struct run *r, sl_error *err)
{
    if (!r->have_pending)
        return SL_OK;
    r->have_pending = false;
    return push(r, r->pending_start, r->len, r->pending_para, r->span_start, err);
}

static bool has_prefix_ci(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++) {
        char c = s[i];
        if (is_ascii_upper(c))
            c = (char)(c - 'A' + 'a');
        if (c != prefix[i])
            return false;
    }
    return true;
}

/* Whether line-relative offset b lies inside a URL or an e-mail address:
 * the whitespace-free run around it holds "://", starts with "www." or has
 * an '@' with a '.' after it.  The answer is cached per run, so a long run
 * with many candidates is scanned once. */
static bool in_url(struct run *r, const char *line, size_t b)
{
    if (r->url_start < b && b < r->url_end)
        return r->url_is;
    size_t rs = b, re = b, sp;
    while (rs > 0 && !space_before(line, 0, rs))
        rs--;
    while (re < r->line_len && (sp = space_at(line, r->line_len, re)) == 0)
        re++;
    bool url = false, at = false;
    size_t w = rs;
    while (w < re) { /* skip opening punctuation before "www." */
        size_t next;
        if (!is_opener(cp_next(line, re, w, &next)))
            break;
        w = next;
    }
    if (has_prefix_ci(line + w, re - w, "www."))
        url = true;
    for (size_t i = rs; i < re && !url; i++) {
        if (line[i] == ':' && re - i >= 3 && line[i + 1] == '/' && line[i + 2] == '/')
            url = true;
        else if (line[i] == '@')
            at = true;
        else if (line[i] == '.' && at && i + 1 < re)
            url = true;
    }
    r->url_start = rs;
    r->url_end = re;
    r->url_is = url;
    return url;
}

/* Whether the word at s[i], all in lower case or (with upper) all in upper
 * case, is a domain or file name ending ("Goal. com", "text. pdf", "IMG
 * 4905. JPG"): text whose stops got spaces after them. */
static bool is_name_suffix(const char *s, size_t n, size_t i, bool upper)
{
    static const char *const ends[] = {"ac",  "co",  "com", "doc", "edu", "gen", "gif",
                                       "go",  "gov", "htm", "html", "id", "jpg", "my",
                                       "net", "or",  "org", "pdf", "php", "png", "sg",
                                       "tr",  "txt", "uk",  "xls"};
    size_t e = i;
    while (e < n && e - i < 5 && (upper ? is_ascii_upper(s[e]) : is_ascii_lower(s[e])))
        e++;
    if ((upper && e < n && (is_ascii_lower(s[e]) || is_ascii_upper(s[e]))) || e - i < 2 ||
        e - i > 4)
        return false; /* every ending has 2 to 4 letters */
    char first = (char)(s[i] | 0x20); /* an ASCII letter in lower case */
    for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++)
        if (ends[k][0] == first && strlen(ends[k]) == e - i && has_prefix_ci(s + i, e - i, ends[k]))
            return true;
    return false;
}

/* A chain of capital initials: "N.", "D.W.", "J.R.R.". */
static bool is_initials(const char *tok, size_t len)
{
    size_t i = 0;
    if (len < 2)
        return false;
    while (i < len) {
        size_t next;
        UChar32 c = cp_next(tok, len, i, &next);
        if (!(u_isupper(c) || u_istitle(c)) || next >= len || tok[next] != '.')
            return false;
        i = next + 1;
    }
    return true;
}

/* A list marker at the start of a line: "1.", "12.", "a.", "B.", "iv.". */
static bool is_list_marker(const char *tok, size_t len)
{
    size_t n = len - 1; /* without the full stop */
    if (n == 0 || n > 4)
        return false;
    bool digits = true, roman_lower = true, roman_upper = true;
    for (size_t i = 0; i < n; i++) {
        char c = tok[i];
        digits = digits && c >= '0' && c <= '9';
        roman_lower = roman_lower && strchr("ivxlc", c) && c;
        roman_upper = roman_upper && strchr("IVXLC", c) && c;
    }
    if (n == 1 && (is_ascii_lower(tok[0]) || is_ascii_upper(tok[0])))
        return true;
    return (digits && n <= 3) || roman_lower || roman_upper;
}

/* The length of the word at s if it is, ignoring case, a company form
 * that can follow another one ("Co. Ltd", "Pte. Ltd.", "Pvt. Limited",
 * "Sdn. Bhd."), else 0. */
static size_t company_form_len(const char *s, size_t n)
{
    static const char *const forms[] = {"co",  "corp", "inc", "ltd", "limited", "llc", "llp",
                                        "plc", "pte",  "pvt", "tbk", "sdn",     "bhd"};
    size_t k = 0;
    while (k < n && (is_ascii_lower(s[k]) || is_ascii_upper(s[k])))
        k++;
    if (k < 2)
        return 0; /* every form has 2 letters or more */
    char first = (char)(s[0] | 0x20); /* an ASCII letter in lower case */
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (forms[i][0] == first && strlen(forms[i]) == k && has_prefix_ci(s, k, forms[i]))
            return k;
    return 0;
}

/* Whether a Roman numeral stands at line[b] as a number after class N
 * ("No. XXXIII / MPRS", "No. I TENTANG"); a lone "I" before a lower-case
 * word is the pronoun ("No. I was not"). */
static bool roman_number_at(const char *line, size_t n, size_t b)
{
    size_t e = b;
    while (e < n && line[e] && strchr("IVXLCDM", line[e]))
        e++;
    if (e == b || e - b > 8 || (e < n && (is_ascii_lower(line[e]) || is_ascii_upper(line[e]))))
        return false;
    if (e - b == 1) {
        size_t w = skip_space(line, n, e);
        return w > e && w < n && next_word(line, n, w, true) == NEXT_UPPER;
    }
    return true;
}

/* The class of the abbreviation tok (ending in its full stop), which starts
 * at line-relative offset ts; the word before it is looked at for two-word
 * entries.  Capitalised forms of lower-case entries count ("Kab." for
 * "kab."), except single letters. */
static char lookup_token(const struct run *r, const char *line, size_t lo, size_t ts,
                         size_t len)
{
    const sl_segmenter *seg = r->seg;
    const char *tok = line + ts;
    char cls = abbrev_find(seg, tok, len);
    if (cls)
        return cls;
    if (len <= seg->max_abbrev && len >= 3 && is_ascii_upper(tok[0]) && is_ascii_lower(tok[1])) {
        bool lower_rest = true;
        for (size_t i = 1; i < len; i++)
            lower_rest = lower_rest && !is_ascii_upper(tok[i]);
        if (lower_rest) {
            char key[ABBREV_MAX + 1];
            memcpy(key, tok, len);
            key[0] = (char)(key[0] - 'A' + 'a');
            cls = abbrev_find(seg, key, len);
            if (cls)
                return cls;
        }
    }
    if (!seg->multiword || ts <= lo || line[ts - 1] != ' ')
        return CLASS_NONE;
    /* "et al.": the previous word, one space, the token */
    size_t ws = ts - 1;
    while (ws > lo && ts - ws <= seg->max_abbrev) {
        size_t prev;
        UChar32 c = cp_prev(line, lo, ws, &prev);
        if (space_before(line, lo, ws) || is_opener(c))
            break;
        ws = prev;
    }
    size_t total = ts + len - ws;
    if (ws == ts - 1 || total > seg->max_abbrev)
        return CLASS_NONE;
    return abbrev_find(seg, line + ws, total);
}

static size_t skip_opener(const char *s, size_t n, size_t i)
{
    for (int k = 0; i < n && k < SCAN_LIMIT; k++) {
        size_t next;
        if (!is_opener(cp_next(s, n, i, &next)))
            break;
        i = next;
    }
    return i;
}

/* Whether the candidate boundary at b is kept; dot is the full stop that
 * ends the preceding word, directly followed by whitespace. */
static bool keep_after_period(const struct run *r, const char *line, size_t lo, size_t dot,
                              size_t b, enum next_kind next)
{
    size_t ts = dot;
    while (ts > lo) {
        size_t prev;
        UChar32 c = cp_prev(line, lo, ts, &prev);
        if (space_before(line, lo, ts) || is_opener(c))
            break;
        ts = prev;
        if (dot + 1 - ts > ABBREV_MAX)
            return true; /* far too long for an abbreviation or initials */
    }
    size_t len = dot + 1 - ts;
    const char *tok = line + ts;
    if (ts == r->line_first && is_list_marker(tok, len))
        return false;
    /* Initials win over class F: "A.H. Nasution", "U.S. President"; but a
     * pronoun or conjunction after them is no name ("kuartal I. Dengan",
     * "the U.S. The"). */
    if (next == NEXT_UPPER && is_initials(tok, len))
        return starter_at(r->seg, line, r->line_len, skip_opener(line, r->line_len, b)) != 0;
    /* One company form after another: "Printing Co. Ltd." */
    if (company_form_len(tok, len - 1) == len - 1 && company_form_len(line + b, r->line_len - b))
        return false;
    switch (lookup_token(r, line, lo, ts, len)) {
    case CLASS_P:
        return false;
    case CLASS_N: /* a bracketed number counts: "Telp. (021) 576" */
        return next != NEXT_DIGIT && !roman_number_at(line, r->line_len, b);
    case CLASS_F: /* a bracket after it is an apposition: "Pte. Ltd. (SPA)" */
        return !(next == NEXT_LOWER || next == NEXT_DIGIT || is_open_bracket(line, r->line_len, b));
    default:
        return true;
    }
}

/* Whether the candidate boundary at line-relative offset b (the start of
 * the next sentence, after whitespace) is kept.  lo is where the current
 * sentence starts: no scan goes before it. */
static bool keep_break(struct run *r, const char *line, size_t lo, size_t b)
{
    size_t p = b, k;
    while (p > lo && (k = space_before(line, lo, p)) != 0)
        p -= k;
    bool glued = p == b; /* no whitespace at the candidate */
    if (glued && in_url(r, line, b))
        return false;
    size_t ob;
    if (glued && b > lo && (cp_prev(line, lo, b, &ob), is_open_bracket(line, b, ob)))
        return false; /* "Fax.(03)": ICU counts '(' among the closers */
    size_t closers = 0, q = p, at;
    UChar32 term = 0;
    for (;;) {
        if (q <= lo)
            return true; /* nothing recognisable before it: trust ICU */
        term = cp_prev(line, lo, q, &at);
        if (!is_closer(term))
            break;
        if (++closers > SCAN_LIMIT)
            return true;
        q = at;
    }
    enum next_kind next = next_word(line, r->line_len, b, true);
    bool dots = term == '.' && at > lo && line[at - 1] == '.';
    /* Without a space after a single full stop only a capitalised word
     * starts a sentence: not "EY4108.E", "ld2d-1.DOC" */
    if (glued && closers == 0 && term == '.' && !dots && !capitalised_at(line, r->line_len, b))
        return false;
    if (term == 0x2026 || dots) /* an ellipsis ends a sentence before a capital */
        return next != NEXT_LOWER;
    /* "IMG 4905. JPG": a file name ending after a digit, upper-case only
     * ("Goal. com" is a lower-case candidate ICU does not propose) */
    if (term == '.' && !closers && !glued && at > lo && line[at - 1] >= '0' &&
        line[at - 1] <= '9' && is_name_suffix(line, r->line_len, b, true))
        return false;
    if (term == '.')
        return closers > 0 || glued ? true : keep_after_period(r, line, lo, at, b, next);
    if (is_terminal(term) && closers > 0 && next == NEXT_LOWER)
        return false; /* “Kapan berangkat?” tanya Hasan */
    return true;
}

/* The candidate after an ellipsis that ends at line-relative offset e:
 * closing marks, whitespace, then a capitalised word.  Returns its offset,
 * 0 if there is none. */
static size_t ellipsis_candidate(const char *line, size_t n, size_t e)
{
    size_t i = e;
    for (int k = 0; i < n && k < SCAN_LIMIT; k++) {
        size_t next;
        UChar32 c = cp_next(line, n, i, &next);
        if (is_terminal(c))
            return 0; /* "…?" ends at the '?', which ICU sees itself */
        if (!is_closer(c))
            break;
        i = next;
    }
    size_t j = skip_space(line, n, i);
    if (j == i || j >= n || next_word(line, n, j, true) != NEXT_UPPER)
        return 0;
    return j;
}

/* Whether a line ends in final punctuation, closing marks allowed after it. */
static bool ends_final(const char *line, size_t n)
{
    size_t p = n, k;
    while (p > 0 && (k = space_before(line, 0, p)) != 0)
        p -= k;
    for (int i = 0; p > 0 && i <= SCAN_LIMIT; i++) {
        size_t at;
        UChar32 c = cp_prev(line, 0, p, &at);
        if (is_terminal(c))
            return true;
        if (!is_closer(c))
            return false;
        p = at;
    }
    return false;
}

/* Whether line[0..n) ends in a colon, whitespace allowed after it. */
static bool ends_colon(const char *line, size_t n)
{
    size_t p = n, k;
    while (p > 0 && (k = space_before(line, 0, p)) != 0)
        p -= k;
    return p > 0 && line[p - 1] == ':';
}

/* How far back the marker before a list marker is looked for. */
#define ITEM_SPAN 1024

/* Whether the list marker that comes before the marker line[ts, ts + n)
 * ("1." before "2.", "a." before "b.") stands as a word in line[lo, ts),
 * not far back: then the marker is the next item of a list running inside
 * the sentence. */
static bool previous_item(const char *line, size_t lo, size_t ts, size_t n)
{
    char want[4];
    size_t wn;
    if (is_ascii_lower(line[ts])) {
        if (line[ts] == 'a')
            return false;
        want[0] = (char)(line[ts] - 1);
        wn = 1;
    } else {
        int v = line[ts] - '0';
        if (n == 2)
            v = v * 10 + line[ts + 1] - '0';
        if (v <= 1)
            return false;
        wn = (size_t)snprintf(want, sizeof want, "%d", v - 1);
    }
    want[wn++] = '.';
    size_t from = ts - lo > ITEM_SPAN ? ts - ITEM_SPAN : lo;
    for (size_t q = from; q + wn < ts; q++)
        if (memcmp(line + q, want, wn) == 0 && (q == lo || space_before(line, lo, q)) &&
            space_at(line, ts, q + wn))
            return true;
    return false;
}

/* A list marker inside a line ("... Ilir. b. Dinas", "... today. 3. In
 * Section"): a number of one or two digits or a lower-case letter with a
 * full stop, after final punctuation or a colon and before a capitalised
 * word.  For a candidate at line-relative offset b just after such a
 * marker, returns where the marker starts (the boundary belongs there), b
 * itself after a colon (no boundary: "yaitu: a. Bahwa ...") or when the
 * marker continues a list of the sentence without final punctuation before
 * it ("atas: 1. Pendidikan; 2. Kesehatan"), else 0. */
static size_t list_marker_before(const struct run *r, const char *line, size_t lo, size_t b)
{
    size_t p = b, k;
    while (p > lo && (k = space_before(line, lo, p)) != 0)
        p -= k;
    if (p == b || p < 2 || line[p - 1] != '.')
        return 0;
    size_t ts = p - 1;
    while (ts > 0 && ts > p - 4 && !space_before(line, 0, ts))
        ts--;
    size_t n = p - 1 - ts;
    bool digits = n >= 1 && n <= 2;
    for (size_t i = ts; i < p - 1; i++)
        digits = digits && line[i] >= '0' && line[i] <= '9';
    bool letter = n == 1 && is_ascii_lower(line[ts]);
    if (!(digits || letter) || ts <= r->line_first || !space_before(line, 0, ts))
        return 0;
    if (next_word(line, r->line_len, b, true) != NEXT_UPPER)
        return 0;
    if (ends_colon(line, ts))
        return b; /* "yaitu: a. Bahwa": an item of the sentence it follows */
    if (!ends_final(line, ts))
        return previous_item(line, lo, ts, n) ? b : 0;
    /* after an abbreviation the number is more likely its own ("Nov. 1.",
     * "Op. 46."), but not after a country's initials ("U.S.A. 4.") */
    size_t q = ts;
    while (q > 0 && (k = space_before(line, 0, q)) != 0)
        q -= k;
    size_t ws = q;
    while (ws > 0 && q - ws < ABBREV_MAX && !space_before(line, 0, ws))
        ws--;
    if (line[q - 1] == '.' && !is_initials(line + ws, q - ws) &&
        lookup_token(r, line, 0, ws, q - ws) != CLASS_NONE)
        return 0;
    return ts;
}

/* A full stop at line-relative offset i with no space after it, between a
 * lower-case word that is no abbreviation and a capitalised word
 * ("quality.You'll"): ICU's rule SB7 keeps those together, but in running
 * text they are a missing space.  Returns the candidate after the stop, 0
 * if there is none. */
static size_t glued_candidate(struct run *r, const char *line, size_t lo, size_t i)
{
    size_t n = r->line_len, at;
    if (line[i] != '.' || i < lo + 2 || !capitalised_at(line, n, i + 1))
        return 0;
    size_t ts = i;
    for (int k = 0; ts > lo; k++) {
        UChar32 c = cp_prev(line, lo, ts, &at);
        if (!u_isalpha(c) || k > SCAN_LIMIT)
            break;
        if (!u_islower(c) && k < 2)
            return 0; /* "U.S.A", "ASP.Net" */
        ts = at;
    }
    if (i - ts < 2 ||
        (ts > lo && !space_before(line, lo, ts) && !is_opener(cp_prev(line, lo, ts, &at))))
        return 0; /* part of a longer token: "a.b.Cd", "x-y.Z" */
    if (lookup_token(r, line, lo, ts, i + 1 - ts) != CLASS_NONE || in_url(r, line, i + 1))
        return 0;
    /* an address: "Kyle.Jones@example", "Kompas.Com/Berita", "a.Com.au" */
    for (size_t j = i + 1; j < n && j <= i + ABBREV_MAX && !sl__space_len(line + j, n - j); j++) {
        char c = line[j], d = j + 1 < n ? line[j + 1] : ' ';
        if (c == '@' || c == '/' || (c == '.' && (is_ascii_lower(d) || is_ascii_upper(d))))
            return 0;
    }
    return i + 1;
}

/* Whether s[a..b) holds a vowel (ASCII): short words without one ("st",
 * "yrs", "pp") are abbreviations far more often than words. */
static bool has_vowel(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (strchr("aeiouyAEIOUY", s[i]) && s[i])
            return true;
    return false;
}

/* A full stop at line-relative offset i that ends a plain word, followed by
 * whitespace and a word that starts in lower case or with a digit ("...
 * tahun 1879. atau ...", "last night. i am ...", "lebih rendah. 12 peserta
 * lolos"): ICU never breaks when a lower-case letter follows, even after a
 * number, but informal text and sentences quoted mid-way start that way.
 * The word must be no abbreviation: four or more letters, or two or three
 * lower-case letters with a vowel (abbreviations are short, listed, or
 * vowel-less), or any word closed by a bracket or quote ("Seoul).").
 * Returns the start of the next sentence, 0 if this is none. */
static size_t lower_candidate(struct run *r, const char *line, size_t lo, size_t i)
{
    size_t n = r->line_len, at;
    if (line[i] != '.' || i < lo + 2 || i + 2 >= n || !sl__space_len(line + i + 1, n - i - 1))
        return 0;
    size_t j = skip_space(line, n, i + 1);
    if (j >= n || is_name_suffix(line, n, j, false))
        return 0;
    enum next_kind next = next_word(line, n, j, false);
    if (next == NEXT_OTHER) { /* a quote before the word: "Leste. ``sampai kapan" */
        size_t q = j, qn;
        for (int k = 0; q < n && k < 2; k++) {
            UChar32 c = cp_next(line, n, q, &qn);
            if (!(c == '"' || c == '`' || u_charType(c) == U_INITIAL_PUNCTUATION))
                break;
            q = qn;
        }
        if (q > j && next_word(line, n, q, false) == NEXT_LOWER)
            next = NEXT_LOWER;
    }
    if (next == NEXT_DIGIT) {
        /* a number then a lower-case word; "hlm. 25" and "1. 5" are not */
        size_t e = j;
        while (e < n && line[e] >= '0' && line[e] <= '9')
            e++;
        if (e < n && (line[e] == '.' || line[e] == ',' || line[e] == ':' || line[e] == '/'))
            return 0; /* "3.5", "9: 6", "12/1": a continued number */
    } else if (next != NEXT_LOWER)
        return 0;
    size_t we = i; /* end of the word: closing marks before the stop skipped */
    int closers = 0;
    while (we > lo && closers <= SCAN_LIMIT) {
        UChar32 c = cp_prev(line, lo, we, &at);
        if (!is_closer(c) || u_charType(c) == U_INITIAL_PUNCTUATION)
            break;
        we = at;
        closers++;
    }
    if (closers > SCAN_LIMIT)
        return 0;
    size_t ts = we;
    int k = 0;
    for (; ts > lo && k <= SCAN_LIMIT; k++) {
        UChar32 c = cp_prev(line, lo, ts, &at);
        if (!u_isalpha(c))
            break;
        if (k == 0 && !u_islower(c))
            return 0;
        ts = at;
    }
    if (k == 0 && !closers && next == NEXT_LOWER) {
        /* a number of two or more digits: "pada tahun 1967. setelah itu" */
        size_t ds = i;
        while (ds > lo && line[ds - 1] >= '0' && line[ds - 1] <= '9' && i - ds <= 12)
            ds--;
        if (i - ds < 2 || i - ds > 12 || (ds > lo && !space_before(line, lo, ds)))
            return 0;
        size_t ps = ds, sp;
        while (ps > lo && (sp = space_before(line, lo, ps)) != 0)
            ps -= sp;
        if (ps > lo && line[ps - 1] == '.')
            return 0; /* "hlm. 25. lihat", "Rp. 1.157." */
        return in_url(r, line, i) ? 0 : j;
    }
    if (k == 0 || k > SCAN_LIMIT || (ts > lo && !space_before(line, lo, ts) && !closers &&
                                     !is_opener(cp_prev(line, lo, ts, &at))))
        return 0;
    if (!closers && k < 4) {
        size_t ps = ts, sp;
        while (ps > lo && (sp = space_before(line, lo, ps)) != 0)
            ps -= sp;
        /* "rec. and dom.", "iscs. or. id": a run of short stopped tokens */
        if (k < 2 || !has_vowel(line, ts, we) || (ps > lo && line[ps - 1] == '.') ||
            next == NEXT_DIGIT)
            return 0;
        for (size_t q = ts; q < we; q++)
            if (!is_ascii_lower(line[q]))
                return 0;
    }
    if (ts >= lo + 5 && memcmp(line + ts - 5, "www. ", 5) == 0)
        return 0; /* "www. iscs. or. id" */
    if (!closers && lookup_token(r, line, lo, ts, i + 1 - ts) != CLASS_NONE)
        return 0;
    if (in_url(r, line, i))
        return 0;
    return j;
}

/* A dash standing alone after a full stop ("abad ke-11. - Apa yang", "...
 * 1990. -- Firman"): a new sentence, an item or a line of dialogue starts
 * with it, but ICU never breaks before a hyphen (UAX #29 SContinue).  For
 * the full stop at line-relative offset i, returns the offset of such a
 * dash when a capitalised word or a number follows it and the stop ends a
 * sentence, else 0. */
static size_t dash_candidate(struct run *r, const char *line, size_t lo, size_t i)
{
    size_t n = r->line_len;
    if (line[i] != '.' || i + 1 >= n || !space_at(line, n, i + 1))
        return 0;
    size_t j = skip_space(line, n, i + 1), k = j;
    while (k < n && line[k] == '-' && k - j < 3)
        k++;
    if (k == j && k + 3 <= n && memcmp(line + k, "\xe2\x80", 2) == 0 &&
        ((unsigned char)line[k + 2] == 0x93 || (unsigned char)line[k + 2] == 0x94))
        k += 3; /* an en or em dash */
    if (k == j || k >= n || !space_at(line, n, k))
        return 0;
    enum next_kind next = next_word(line, n, skip_space(line, n, k), true);
    if (next != NEXT_UPPER && next != NEXT_DIGIT)
        return 0;
    return keep_break(r, line, lo, j) ? j : 0;
}

/* The end of the citation markers ("[17]", "[3][4]", "[2] [5]") that
 * start at s[i], i if there are none. */
static size_t citation_end(const char *s, size_t n, size_t i)
{
    size_t end = i;
    for (;;) {
        size_t j = i + 1, d = 0;
        if (j >= n || s[i] != '[')
            return end;
        while (j < n && d < 4 && s[j] >= '0' && s[j] <= '9')
            j++, d++;
        if (d == 0 || j >= n || s[j] != ']')
            return end;
        end = j + 1;
        i = skip_space(s, n, end);
    }
}

/* The length of the emoticon (":)", ";-)", "^_^") standing as a word at
 * s[i], 0 if there is none.  In informal text an emoticon closes its
 * sentence like a final mark. */
static size_t emoticon_len(const char *s, size_t n, size_t i)
{
    static const char *const faces[] = {":)", ":-)", ":(", ":-(", ";)", ";-)", ":D", ":-D",
                                        ":P", ":-P", ":p", ":-p", "=)", "=(", "=D", ":]",
                                        ":o)", "^_^", "^^", "XD", ":'("};
    if (i >= n || !strchr(":;=^X", s[i]) || !s[i] || (i > 0 && !space_before(s, 0, i)))
        return 0;
    for (size_t k = 0; k < sizeof faces / sizeof faces[0]; k++) {
        size_t len = strlen(faces[k]);
        if (len <= n - i && memcmp(s + i, faces[k], len) == 0 &&
            (i + len == n || sl__space_len(s + i + len, n - i - len)))
            return len;
    }
    return 0;
}

/* A candidate after a URL, an e-mail address or an emoticon that ends at
 * line-relative offset i (whitespace follows) and before a capitalised
 * word: an address in running text is followed by punctuation or the rest
 * of its sentence, so a capital after it starts the next one ("... at
 * http://example.com/ The next ...").  Returns its offset, 0 if none. */
static size_t address_candidate(struct run *r, const char *line, size_t lo, size_t i)
{
    size_t n = r->line_len, at;
    if (i <= lo || i >= n || !sl__space_len(line + i, n - i) || space_before(line, lo, i))
        return 0;
    size_t j = skip_space(line, n, i);
    if (j >= n || next_word(line, n, j, false) != NEXT_UPPER)
        return 0;
    UChar32 last = cp_prev(line, lo, i, &at);
    if (is_terminal(last) || (is_closer(last) && last != '>' && last != ')'))
        return 0; /* ICU decides after final marks */
    size_t ws = i;
    while (ws > lo) {
        unsigned char c = (unsigned char)line[ws - 1];
        if ((c <= ' ' || c >= 0x80) && space_before(line, lo, ws))
            break; /* other ASCII bytes are no space: no call for them */
        ws--;
    }
    if (emoticon_len(line, i, ws) == i - ws)
        return j;
    bool maybe = false; /* what in_url() looks for: '@', "://", "www." */
    for (size_t q = ws; q < i && !maybe; q++)
        maybe = line[q] == '@' || line[q] == ':' || line[q] == 'w' || line[q] == 'W';
    return maybe && in_url(r, line, i - 1) ? j : 0;
}

/* A candidate at whitespace at line-relative offset i between a word in
 * lower case and a connective ("... tidak selalu berhasil Tapi
 * setidaknya ..."): capitalised mid-sentence only at a sentence start, so
 * the sentence before lacks its final mark (a headline or caption run into
 * the text).  Returns its offset, 0 if none. */
static size_t connective_candidate(struct run *r, const char *line, size_t lo, size_t i)
{
    size_t n = r->line_len, at;
    if (i < lo + 2 || i >= n || line[i] != ' ' || !is_ascii_lower(line[i - 1]))
        return 0;
    size_t j = i + 1;
    if (j >= n || !is_ascii_upper(line[j]) ||
        !(r->seg->connective_initials & (1u << (line[j] - 'A'))) ||
        starter_at(r->seg, line, n, j) != 'C')
        return 0;
    size_t ws = i;
    while (ws > lo && i - ws <= SCAN_LIMIT) {
        UChar32 c = cp_prev(line, lo, ws, &at);
        if (!u_islower(c))
            break;
        ws = at;
    }
    if (i - ws < 2 || (ws > lo && !space_before(line, lo, ws)))
        return 0;
    return j;
}

/* Quote marks or closing brackets standing alone between spaces at s[i]
 * ("kamu. “ Siapa", "ini? '\" ujar", "next day. ) Hop"): tokenised text
 * detaches them from their words, and after a sentence end they close that
 * sentence.  Returns the
 * offset of the text after the quotes and whitespace (n at the end of the
 * line), i if there are none. */
static size_t detached_quotes_end(const char *s, size_t n, size_t i)
{
    size_t j = i, next;
    int k = 0;
    while (j < n && k < 3) {
        UChar32 c = cp_next(s, n, j, &next);
        if (!(c == '"' || c == '\'' || c == ')' || c == ']' ||
              u_charType(c) == U_INITIAL_PUNCTUATION || u_charType(c) == U_FINAL_PUNCTUATION))
            break;
        j = next;
        k++;
    }
    if (k == 0 || (j < n && !sl__space_len(s + j, n - j)))
        return i;
    return skip_space(s, n, j);
}

/* For a boundary at b after a token made only of dots, an ellipsis and
 * opening quotes ("albin). ... Lalu", "Yosea. ``... Apakah") that itself
 * follows a sentence end: the ellipsis opens the next sentence, so the
 * boundary belongs before it.  Returns that offset, else b. */
static size_t leading_ellipsis(const char *line, size_t lo, size_t b)
{
    size_t p = b, sp, at;
    while (p > lo && (sp = space_before(line, lo, p)) != 0)
        p -= sp;
    size_t ts = p;
    bool dots = false;
    for (int k = 0; ts > lo && k < SCAN_LIMIT; k++) {
        UChar32 c = cp_prev(line, lo, ts, &at);
        if (c == '.' || c == 0x2026)
            dots = true;
        else if (!(c == '`' || is_opener(c)))
            break;
        ts = at;
    }
    if (!dots || ts == p || p - ts < 3 || ts <= lo || !space_before(line, lo, ts))
        return b;
    size_t q = ts;
    while (q > lo && (sp = space_before(line, lo, q)) != 0)
        q -= sp;
    for (int k = 0; q > lo && k < SCAN_LIMIT; k++) {
        UChar32 c = cp_prev(line, lo, q, &at);
        if (is_terminal(c))
            return ts;
        if (!is_closer(c))
            break;
        q = at;
    }
    return b;
}

/* A break from the SRX rules at line-relative offset pos: the sentence
 * after it starts at the next non-space character. */
static sl_status srx_break(void *ctx, size_t pos, sl_error *err)
{
    struct run *r = ctx;
    size_t start = skip_space(r->line_view, r->line_len, pos);
    if (start <= r->srx_lo || start >= r->line_len)
        return SL_OK;
    r->srx_lo = start;
    return emit(r, r->line_off + start, false, err);
}

static sl_status clone_iterator(const sl_segmenter *seg, UBreakIterator **bi, sl_error *err)
{
    UErrorCode ust = U_ZERO_ERROR;
#if U_ICU_VERSION_MAJOR_NUM >= 69
    *bi = ubrk_clone(seg->proto, &ust);
#else
    *bi = ubrk_safeClone(seg->proto, NULL, NULL, &ust);
#endif
    if (U_FAILURE(ust) || !*bi) {
        *bi = NULL;
        return sl_error_set(err, SL_ICU, "cannot copy the ICU sentence break iterator: %s",
                            u_errorName(ust));
    }
    return SL_OK;
}

/* ICU walks a UTF-16 string faster than a UTF-8 UText, and one string per
 * window of lines saves setting the text up for every line.  A window
 * starts at a line start and ends at one (or at the end of the range):
 * ICU always breaks after a line break and never looks past one, so its
 * boundaries inside a line are the same as for that line alone. */
#define WINDOW_BYTES (1u << 20)

/* UTF-16 of the valid UTF-8 s[0, n) into u (n units are enough), with
 * plain ASCII copied 8 bytes at a time; false on a malformed sequence (the
 * caller then leaves the text to ICU's own UTF-8 access). */
static bool to_utf16(const char *s, size_t n, UChar *u, int32_t *units)
{
    const unsigned char *b = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < n) {
        uint64_t w;
        if (i + 8 <= n && (memcpy(&w, b + i, 8), !(w & HIGHS))) {
            for (int k = 0; k < 8; k++)
                u[o + k] = b[i + k];
            i += 8;
            o += 8;
            continue;
        }
        size_t next;
        UChar32 c = cp_next(s, n, i, &next);
        if (c == 0xfffd && !(next - i == 3 && b[i] == 0xef))
            return false; /* malformed (or a real U+FFFD at another length) */
        if (c > 0x10ffff)
            return false;
        if (c >= 0x10000) {
            u[o++] = U16_LEAD(c);
            u[o++] = U16_TRAIL(c);
        } else if ((c >= 0xd800 && c <= 0xdfff) || (c < 0x80 && next - i != 1) ||
                   (c < 0x800 && next - i > 2) || (c < 0x10000 && next - i > 3))
            return false; /* a surrogate or an overlong form */
        else
            u[o++] = (UChar)c;
        i = next;
    }
    *units = (int32_t)o;
    return true;
}

/* Read the window from text[i] on, for the range that ends at to: whole
 * lines up to WINDOW_BYTES, or one longer line.  On any trouble win_ok is
 * false and each line is handed to ICU on its own. */
static sl_status window_open(struct run *r, size_t i, size_t to, sl_error *err)
{
    r->win_start = i;
    r->win_ok = false;
    size_t end = to, e, k;
    if (to - i > WINDOW_BYTES) {
        line_at(r->text, to, i + WINDOW_BYTES, &e, &k);
        end = e + k;
    }
    r->win_end = end > i ? end : i + 1;
    if (end - i > 4 * (size_t)WINDOW_BYTES) /* a very long line: no copy of it */
        return SL_OK;
    if (!r->wbi) {
        sl_status st = clone_iterator(r->seg, &r->wbi, err);
        if (st != SL_OK)
            return st;
    }
    if (end - i > r->u16_cap) { /* UTF-16 never needs more units than UTF-8 bytes */
        UChar *u = realloc(r->u16, (end - i) * sizeof *u);
        if (!u)
            return sl__nomem(err);
        r->u16 = u;
        r->u16_cap = end - i;
    }
    UErrorCode ust = U_ZERO_ERROR;
    int32_t units = 0;
    if (!to_utf16(r->text + i, end - i, r->u16, &units))
        return SL_OK;
    ubrk_setText(r->wbi, r->u16, units, &ust);
    if (U_FAILURE(ust))
        return SL_OK;
    r->win_ok = true;
    r->map_b = 0;
    r->map_u = 0;
    r->wnext = i;
    return SL_OK;
}

/* Move wnext to ICU's next boundary in the window. */
static void window_advance(struct run *r)
{
    int32_t u = ubrk_next(r->wbi);
    if (u == UBRK_DONE) {
        r->wnext = SIZE_MAX;
        return;
    }
    /* walk the bytes from the last boundary: valid UTF-8, so four bytes
     * make two UTF-16 units and every other sequence one */
    const unsigned char *t = (const unsigned char *)r->text + r->win_start;
    size_t b = r->map_b;
    int32_t m = r->map_u;
    while (m < u) {
        if (u - m >= 8) {
            uint64_t w;
            memcpy(&w, t + b, 8);
            if (!(w & HIGHS)) {
                b += 8;
                m += 8;
                continue;
            }
        }
        unsigned char c = t[b];
        size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        b += len;
        m += len == 4 ? 2 : 1;
    }
    r->map_b = b;
    r->map_u = m;
    r->wnext = r->win_start + b;
}

/* ICU's next boundary in the line of n bytes at absolute offset start,
 * relative to it; n when none lies inside the line. */
static size_t window_next(struct run *r, size_t start, size_t n)
{
    while (r->wnext <= start)
        window_advance(r);
    if (r->wnext >= start + n)
        return n;
    size_t b = r->wnext - start;
    window_advance(r);
    return b;
}

/* Bytes at which the candidate scan in segment_line() looks closer: a full
 * stop, the first byte of "…" (1), a space or tab (2) when followed by a
 * non-ASCII byte or one in after_space (a capital or a space). */
static const unsigned char scan_byte[256] = {['.'] = 1, [0xe2] = 1, [' '] = 2, ['\t'] = 2};
static const unsigned char after_space[128] = {
    [' '] = 1, ['\t'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1};


/* The high bit set in each byte of x equal to c; may also be set in a byte
 * after a matching one (never missing a match: enough for a filter). */
static uint64_t bytes_equal(uint64_t x, unsigned char c)
{
    uint64_t v = x ^ (ONES * c);
    return (v - ONES) & ~v & HIGHS;
}

/* The bytes among the 8 at s (s[8] readable) that the candidate scan may
 * look closer at (scan_byte, after_space), as high bits (perhaps a few
 * more): most of the text is plain words, passed over 8 bytes at a time. */
static uint64_t loud_bytes(const char *s)
{
    uint64_t x, y;
    memcpy(&x, s, 8);
    memcpy(&y, s + 1, 8);
    uint64_t y7 = y & ~HIGHS; /* bytes below 0x80: no carry between bytes */
    uint64_t upper = (y7 + ONES * (0x80 - 'A')) & ~(y7 + ONES * (0x80 - 'Z' - 1)) & HIGHS;
    uint64_t follows = (y & HIGHS) | upper | bytes_equal(y, ' ') | bytes_equal(y, '\t');
    uint64_t space = bytes_equal(x, ' ') | bytes_equal(x, '\t');
    return bytes_equal(x, '.') | bytes_equal(x, 0xe2) | (space & follows);
}

/* The first offset from i on (below lim) that the scan must test byte by
 * byte; lim if there is none. */
static size_t next_loud(const char *s, size_t i, size_t lim)
{
    for (; i + 8 < lim; i += 8) {
        uint64_t m = loud_bytes(s + i);
        if (m) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return i + (size_t)__builtin_ctzll(m) / 8; /* the first byte in memory */
#else
            return i;
#endif
        }
    }
    return i;
}

static sl_status segment_line(struct run *r, UBreakIterator *bi, UText **ut, bool new_para,
                              sl_error *err)
{
    const char *line = r->line_view;
    size_t n = r->line_len;
    if (n > INT32_MAX)
        return sl_error_set(err, SL_USAGE,
                            "a line of %zu bytes is too long to segment (limit 2 GiB)", n);
    r->url_start = r->url_end = 0;
    r->line_first = skip_space(line, n, 0);
    sl_status st = emit(r, r->line_off + r->line_first, new_para, err);
    if (st != SL_OK)
        return st;

    /* the line as it is in the text, inside the window: no ICU set-up */
    bool win = !r->srx && r->win_ok && line == r->text + r->line_off &&
               r->line_off >= r->win_start && r->line_off + n <= r->win_end;
    if (!win) {
        UErrorCode ust = U_ZERO_ERROR;
        *ut = utext_openUTF8(*ut, line, (int64_t)n, &ust);
        if (U_SUCCESS(ust))
            ubrk_setUText(bi, *ut, &ust);
        if (U_FAILURE(ust))
            return sl_error_set(err, SL_ICU,
                                "cannot hand the text to the ICU break iterator: %s",
                                u_errorName(ust));
    }

    if (r->srx) {
        r->srx_lo = r->line_first;
        return sl__srx_breaks(r->srx, *ut, n, srx_break, r, err);
    }
    size_t lo = r->line_first; /* start of the current sentence */
    size_t scanned = lo;       /* bytes searched for an ellipsis */
    if (!win)
        ubrk_first(bi);
    for (;;) {
        size_t cur;
        if (win)
            cur = window_next(r, r->line_off, n);
        else {
            int32_t b = ubrk_next(bi);
            if (b == UBRK_DONE)
                break;
            cur = (size_t)b;
        }
        /* Candidates ICU does not propose: after "…", at a glued full stop,
         * before a lower-case word (in text order, so lo only grows). */
        size_t lim = cur < n ? cur : n ? n - 1 : 0; /* i + 1 < n: d is in the line */
        for (size_t i = next_loud(line, scanned, lim); i < lim; i = next_loud(line, i + 1, lim)) {
            if (!scan_byte[(unsigned char)line[i]])
                continue; /* the common case, tested first on its own */
            size_t cand = 0;
            unsigned char c = (unsigned char)line[i], d = (unsigned char)line[i + 1];
            if (scan_byte[c] == 2 && d < 0x80 && !after_space[d])
                continue; /* most bytes: nothing can start here */
            if (c == '.') {
                cand = glued_candidate(r, line, lo, i);
                if (!cand)
                    cand = lower_candidate(r, line, lo, i);
                if (!cand)
                    cand = dash_candidate(r, line, lo, i);
            } else if (c == 0xe2) {
                if (i + 3 <= cur && d == 0x80 && (unsigned char)line[i + 2] == 0xa6) {
                    cand = ellipsis_candidate(line, n, i + 3);
                    if (cand > lo && !keep_break(r, line, lo, cand))
                        cand = 0;
                }
            } else if ((c == ' ' || c == '\t') &&
                       (d >= 0x80 || is_ascii_upper((char)d) || d == ' ' || d == '\t')) {
                /* only a capital can follow an address or a connective's break */
                cand = address_candidate(r, line, lo, i);
                if (!cand && c == ' ')
                    cand = connective_candidate(r, line, lo, i);
            } else
                continue;
            if (cand > lo && cand < cur) {
                st = emit(r, r->line_off + cand, false, err);
                if (st != SL_OK)
                    return st;
                lo = cand;
            }
        }
        scanned = cur > scanned ? cur : scanned;
        if (cur >= n)
            break;
        size_t marker = cur > lo ? list_marker_before(r, line, lo, cur) : 0;
        if (marker) { /* the marker starts the sentence, not the word after it */
            if (marker > lo && marker < cur) {
                st = emit(r, r->line_off + marker, false, err);
                if (st != SL_OK)
                    return st;
                lo = marker;
            }
            continue;
        }
        size_t quoted = cur > lo ? detached_quotes_end(line, n, cur) : cur;
        bool moved = false;
        if (quoted > cur && keep_break(r, line, lo, cur)) {
            if (quoted >= n)
                continue; /* the line ends with the quote: no break before it */
            size_t p = cur, sp, at;
            while (p > lo && (sp = space_before(line, lo, p)) != 0)
                p -= sp;
            UChar32 term = cp_prev(line, lo, p, &at);
            if ((term == '?' || term == '!') && next_word(line, n, quoted, true) == NEXT_LOWER)
                continue; /* "ini? '\" ujar Pall" */
            cur = quoted;
            moved = true;
        } else if (quoted > cur)
            continue;
        if (cur > lo && skip_space(line, n, cur) < n && (moved || keep_break(r, line, lo, cur))) {
            /* A citation mark belongs to the sentence it follows: "Dulwich.
             * [17] Placed" breaks after "[17]", and not at all at the end of
             * the line. */
            size_t cite = citation_end(line, n, cur);
            size_t face = emoticon_len(line, n, cur);
            if (face && cite == cur)
                cite = cur + face; /* "Great place. :) We ..." */
            if (cite > cur) {
                size_t after = skip_space(line, n, cite);
                if (after >= n)
                    continue;
                if (after > cite)
                    cur = after;
            }
            size_t moved_to = leading_ellipsis(line, lo, cur);
            if (moved_to < cur && moved_to > lo)
                cur = moved_to;
            st = emit(r, r->line_off + cur, false, err);
            if (st != SL_OK)
                return st;
            lo = cur;
        }
    }
    return SL_OK;
}

static bool line_is_blank(const char *s, size_t n)
{
    return skip_space(s, n, 0) == n;
}

/* Blank-line mode: some blank line lies between two non-blank lines. */
static bool blank_line_mode(const char *text, size_t len)
{
    bool seen_text = false, blank_after_text = false;
    for (size_t i = 0; i < len;) {
        size_t e = i, k = 0;
        while (e < len && (k = line_break_len(text, len, e)) == 0)
            e++;
        bool blank = line_is_blank(text + i, e - i);
        if (!blank && blank_after_text)
            return true;
        if (blank && seen_text && k)
            blank_after_text = true;
        seen_text = seen_text || !blank;
        i = e + k;
    }
    return false;
}

/* Hard-wrapped text (e-mail, fixed-width exports) breaks lines at a width
 * of at most WRAP_MAX columns; a block whose longest line is shorter than
 * WRAP_MIN is a list of short lines, not prose. */
#define WRAP_MIN 40
#define WRAP_MAX 200
/* The same in bytes, for text wrapped by a tool that counts bytes. */
#define WRAP_BYTES_MAX (4 * WRAP_MAX)

/* The width in code points of s[a, e) without trailing whitespace, capped
 * at WRAP_MAX + 1. */
static size_t line_width(const char *s, size_t a, size_t e)
{
    size_t w = 0, last = 0;
    for (size_t i = a; i < e && w <= WRAP_MAX;) {
        uint64_t x;
        if (i + 8 <= e && w + 8 <= WRAP_MAX && (memcpy(&x, s + i, 8), !(x & HIGHS))) {
            /* 8 ASCII bytes: 8 columns, ending in a non-space or not */
            unsigned char z = (unsigned char)s[i + 7];
            i += 8;
            w += 8;
            if (!(z == ' ' || (z >= 0x09 && z <= 0x0d)))
                last = w;
            else
                for (size_t k = 2; k <= 8; k++) {
                    z = (unsigned char)s[i - k];
                    if (!(z == ' ' || (z >= 0x09 && z <= 0x0d))) {
                        last = w - k + 1;
                        break;
                    }
                }
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            w++;
            if (!(c == ' ' || (c >= 0x09 && c <= 0x0d)))
                last = w;
            i++;
            continue;
        }
        size_t sp = sl__space_len(s + i, e - i);
        if (sp) {
            i += sp;
            w++;
            continue;
        }
        for (i++; i < e && ((unsigned char)s[i] & 0xc0) == 0x80; i++)
            ;
        last = ++w;
    }
    return w > WRAP_MAX ? w : last;
}

/* The length in bytes of s[a, e) without trailing whitespace, capped at
 * WRAP_BYTES_MAX + 1. */
static size_t line_bytes(const char *s, size_t a, size_t e)
{
    size_t sp;
    while (e > a && (sp = space_before(s, a, e)) != 0)
        e -= sp;
    return e - a > WRAP_BYTES_MAX ? WRAP_BYTES_MAX + 1 : e - a;
}

/* The width of the first word of s[a, e); *bytes gets its length. */
static size_t first_word_width(const char *s, size_t a, size_t e, size_t *bytes)
{
    size_t i = skip_space(s, e, a), w = 0, next, from = i;
    while (i < e && !sl__space_len(s + i, e - i) && w <= WRAP_MAX) {
        cp_next(s, e, i, &next);
        i = next;
        w++;
    }
    *bytes = i - from;
    return w;
}

/* Whether s[a, e) starts a list item: a bullet or a marker ("1.", "a)")
 * followed by a space. */
static bool starts_item(const char *s, size_t a, size_t e)
{
    size_t i = skip_space(s, e, a), next;
    if (i >= e)
        return false;
    UChar32 c = cp_next(s, e, i, &next);
    if (c == '-' || c == '*' || c == 0x2022 || c == 0x2013 || c == 0x2014 || c == 0xb7 ||
        c == '>')
        return next < e && sl__space_len(s + next, e - next);
    size_t j = i;
    while (j < e && j - i < 3 && s[j] >= '0' && s[j] <= '9')
        j++;
    if (j == i && j < e && (is_ascii_lower(s[j]) || is_ascii_upper(s[j])))
        j++;
    return j > i && j + 1 < e && (s[j] == '.' || s[j] == ')') && sl__space_len(s + j + 1, e - j - 1);
}

/* Where text was wrapped: at W characters, or at Wb bytes by a tool that
 * counts bytes (fold, fmt), which leaves lines with "“" or "é" shorter. */
struct wrap_width {
    size_t W, Wb;
};

/* Whether the break after the line l, before a line whose first word has
 * width fw (fwb bytes), is a wrap at width ww: the line is at least half as
 * wide as the longest, and the next word would not have fitted on it,
 * counted in characters or in bytes. */
static bool soft_break(const struct line_rec *l, size_t fw, size_t fwb,
                       const struct wrap_width *ww, bool item)
{
    return !item && fw > 0 && l->width * 2 >= ww->W &&
           (l->width + 1 + fw > ww->W || l->bytes + 1 + fwb > ww->Wb);
}

/* Whether the lines L[0, n) are hard-wrapped: the width W that 95% of the
 * non-blank lines keep within is WRAP_MIN (in characters or bytes) to
 * WRAP_MAX (longer lines, such
 * as long addresses, may be 5%), and at least two and at least half of the
 * line breaks between non-blank lines (not counting those before list
 * items) are soft.  *ww gets W and the same percentile in bytes.  Fills in
 * the widths of the non-blank lines. */
static bool wrapped_text(const char *text, struct line_rec *L, size_t n, struct wrap_width *ww)
{
    size_t hist[WRAP_MAX + 2] = {0}, hist_b[WRAP_BYTES_MAX + 2] = {0}, lines = 0, pairs = 0;
    bool prev_text = false;
    for (size_t j = 0; j < n; j++) {
        if (!L[j].blank) {
            L[j].width = line_width(text, L[j].start, L[j].end);
            hist[L[j].width]++;
            L[j].bytes = line_bytes(text, L[j].start, L[j].end);
            hist_b[L[j].bytes]++;
            lines++;
            pairs += prev_text;
        }
        prev_text = !L[j].blank;
    }
    if (lines < 3 || hist[WRAP_MAX + 1] * 20 > lines)
        return false;
    size_t w = 0, seen = 0;
    while (w <= WRAP_MAX && (seen += hist[w]) * 20 < lines * 19)
        w++;
    size_t wb = 0;
    for (seen = 0; wb <= WRAP_BYTES_MAX && (seen += hist_b[wb]) * 20 < lines * 19;)
        wb++;
    if ((w < WRAP_MIN && wb < WRAP_MIN) || w > WRAP_MAX)
        return false;
    ww->W = w;
    ww->Wb = wb;
    size_t soft = 0, breaks = 0;
    for (size_t j = 0; j + 1 < n; j++) {
        const struct line_rec *nx = &L[j + 1];
        if (L[j].blank || nx->blank)
            continue;
        if (starts_item(text, nx->start, nx->end))
            continue; /* a list item starts a line in any text */
        breaks++;
        size_t fwb, fw = first_word_width(text, nx->start, nx->end, &fwb);
        soft += soft_break(&L[j], fw, fwb, ww, false);
        if ((breaks - soft) * 2 > pairs)
            return false; /* more than half of all breaks are hard already */
    }
    return soft >= 2 && soft * 2 >= breaks;
}

/* Whether the line L[j] (j > 0) may continue the line before it.  A short
 * line followed by another non-blank line stands alone after a line that
 * ends a sentence ("... lama.\nSalam,\nBudi"), even if its first word would
 * not have fitted above; after a line that ends mid-sentence it is the last
 * line of that paragraph ("... kepada para wartawan di\nJakarta kemarin.\n"
 * and the next paragraph on the next line), and so it is when it starts in
 * lower case. */
static bool continues(const char *text, const struct line_rec *L, size_t n, size_t j,
                      size_t W)
{
    if (j + 1 >= n || L[j].width * 2 >= W || L[j + 1].blank)
        return true;
    size_t first = skip_space(text, L[j].end, L[j].start);
    return !ends_final(text + L[j - 1].start, L[j - 1].end - L[j - 1].start) ||
           next_word(text, L[j].end, first, true) == NEXT_LOWER; /* "lainnya…\ntanpa" */
}

/* Where the text is between calls of segment_range(). */
struct flow {
    bool blank_mode; /* see the top of this file */
    bool para_break; /* a blank line (or the start) came before */
    bool prev_final; /* the last line ended in final punctuation */
};

/* Cut r->text[from, to) into lines (r->lines). */
static sl_status find_lines(struct run *r, size_t from, size_t to, sl_error *err)
{
    r->n_lines = 0;
    for (size_t i = from; i < to;) {
        if (r->n_lines == r->lines_cap) {
            size_t cap = r->lines_cap ? 2 * r->lines_cap : 1024;
            struct line_rec *v = cap <= SIZE_MAX / sizeof *v ? realloc(r->lines, cap * sizeof *v)
                                                             : NULL;
            if (!v)
                return sl__nomem(err);
            r->lines = v;
            r->lines_cap = cap;
        }
        size_t e, k;
        line_at(r->text, to, i, &e, &k);
        r->lines[r->n_lines++] =
            (struct line_rec){.start = i, .end = e, .brk = k,
                               .blank = line_is_blank(r->text + i, e - i)};
        i = e + k;
    }
    return SL_OK;
}

/* Segment the lines of r->text[from, to); to is the end of the text or
 * the start of a line.  In hard-wrapped text lines joined by soft breaks
 * are segmented as one line, and every other line break ends a
 * paragraph. */
static sl_status segment_range(struct run *r, UBreakIterator *bi, UText **ut, size_t from,
                               size_t to, struct flow *f, sl_error *err)
{
    const char *text = r->text;
    struct wrap_width ww = {0, 0};
    sl_status st = find_lines(r, from, to, err);
    if (st != SL_OK)
        return st;
    struct line_rec *L = r->lines;
    size_t nl = r->n_lines;
    bool wrapped = wrapped_text(text, L, nl, &ww);
    r->win_start = r->win_end = 0; /* the text may have moved since the last call */
    r->win_ok = false;
    for (size_t x = 0; x < nl;) {
        size_t i = L[x].start;
        if (L[x].blank) {
            f->para_break = true;
            x++;
            continue;
        }
        size_t last = x; /* the run's last line */
        while (wrapped && last + 1 < nl) {
            const struct line_rec *nx = &L[last + 1];
            if (nx->blank)
                break;
            size_t fwb, fw = first_word_width(text, nx->start, nx->end, &fwb);
            if (!soft_break(&L[last], fw, fwb, &ww, starts_item(text, nx->start, nx->end)) ||
                !continues(text, L, nl, last + 1, ww.W))
                break;
            last++;
        }
        size_t run_end = L[last].end;
        r->line_off = i;
        r->line_len = run_end - i;
        r->line_view = text + i;
        if (last > x) { /* a copy with the line breaks as spaces, offsets kept */
            if (r->line_len > r->wrap_cap) {
                char *buf = realloc(r->wrap_buf, r->line_len);
                if (!buf)
                    return sl__nomem(err);
                r->wrap_buf = buf;
                r->wrap_cap = r->line_len;
            }
            for (size_t j = 0; j < r->line_len;) {
                size_t br = line_break_len(text + i, r->line_len, j);
                if (br) /* every byte of a break becomes a space: offsets stay */
                    memset(r->wrap_buf + j, ' ', br);
                else
                    r->wrap_buf[j] = text[i + j];
                j += br ? br : 1;
            }
            r->line_view = r->wrap_buf;
        }
        bool new_para = !f->blank_mode || f->para_break || !f->prev_final;
        if (!r->srx && last == x && i >= r->win_end)
            st = window_open(r, i, to, err);
        if (st == SL_OK)
            st = segment_line(r, bi, ut, new_para, err);
        if (st != SL_OK)
            return st;
        f->prev_final = ends_final(text + L[last].start, run_end - L[last].start);
        /* in wrapped text a line break that is no wrap ends a paragraph */
        f->para_break = wrapped;
        x = last + 1;
    }
    return SL_OK;
}

sl_status sl_segment(sl_segmenter *seg, const char *text, size_t len, sl_sentences **out,
                     sl_error *err)
{
    if (!out)
        return sl_error_set(err, SL_USAGE, "sl_segment: no place for the result");
    *out = NULL;
    if (!seg || (!text && len))
        return sl_error_set(err, SL_USAGE, "sl_segment: no segmenter or no text");
    if (!text)
        text = "";
    sl_status st = sl_text_check_utf8("text to segment", text, len, err);
    if (st != SL_OK)
        return st;
    UBreakIterator *bi = NULL;
    UText *ut = NULL;
    sl_sentences *list = NULL;
    st = sl_sentences_new(&list, err);
    if (st != SL_OK)
        goto cleanup;

    UErrorCode ust = U_ZERO_ERROR;
#if U_ICU_VERSION_MAJOR_NUM >= 69
    bi = ubrk_clone(seg->proto, &ust);
#else
    bi = ubrk_safeClone(seg->proto, NULL, NULL, &ust);
#endif
    if (U_FAILURE(ust) || !bi) {
        bi = NULL;
        st = sl_error_set(err, SL_ICU, "cannot copy the ICU sentence break iterator: %s",
                          u_errorName(ust));
        goto cleanup;
    }

    struct run r = {.seg = seg, .text = text, .len = len, .out = list};
    /* a byte order mark is no text: the first span covers it, no sentence does */
    size_t bom = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    bool blank_mode = blank_line_mode(text + bom, len - bom);
    struct flow f = {blank_mode, true, true};
    st = seg->srx ? sl__srx_run_new(seg->srx, &r.srx, err) : SL_OK;
    if (st == SL_OK)
        st = segment_range(&r, bi, &ut, bom, len, &f, err);
    sl__srx_run_free(r.srx);
    free(r.wrap_buf);
    free(r.u16);
    free(r.lines);
    if (r.wbi)
        ubrk_close(r.wbi);
    if (st != SL_OK)
        goto cleanup;
    st = finish(&r, err);
    if (st != SL_OK)
        goto cleanup;
    *out = list;
    list = NULL;
cleanup:
    sl_sentences_free(list);
    if (ut)
        utext_close(ut);
    if (bi)
        ubrk_close(bi);
    return st;
}

/* Streaming reads and segments pieces of about this size. */
#define STREAM_PIECE (1u << 20)

/* Where to cut buf[0, fill) (more text follows): after the last blank
 * line, else after the last line that ends in final punctuation and is
 * short beside the lines after it (most likely the end of a paragraph, also
 * in hard-wrapped text, whose lines must not be cut apart), else after the
 * last line in final punctuation, else after the last line break; 0 if
 * there is no complete line. */
static size_t piece_end(const char *buf, size_t fill)
{
    size_t last_break = 0, final_short = 0, final_any = 0, widest = 0;
    for (size_t i = fill; i > 0; i--) {
        char c = buf[i - 1];
        if (c != '\n' && c != '\r')
            continue;
        if (c == '\r' && i < fill && buf[i] == '\n')
            continue; /* the middle of CR LF */
        if (i == fill && c == '\r')
            continue; /* a CR whose LF may come in the next read */
        if (!last_break)
            last_break = i;
        /* a blank line ends here if only whitespace lies back to the break before */
        size_t j = i - 1;
        if (c == '\n' && j > 0 && buf[j - 1] == '\r')
            j--;
        size_t q = j;
        while (q > 0 && buf[q - 1] != '\n' && buf[q - 1] != '\r')
            q--;
        if (q > 0 && line_is_blank(buf + q, j - q))
            return i;
        if (!final_short && ends_final(buf + q, j - q)) {
            if (!final_any)
                final_any = i;
            if ((j - q) * 4 < widest * 3)
                final_short = i;
        }
        if (j - q > widest)
            widest = j - q;
        if (last_break && fill - i > STREAM_PIECE)
            break; /* far enough back: cut at a line break */
    }
    return final_short ? final_short : final_any ? final_any : last_break;
}

sl_status sl_segment_file(sl_segmenter *seg, const char *path, sl_sentence_fn fn, void *ctx,
                          sl_error *err)
{
    if (!seg || !path || !fn)
        return sl_error_set(err, SL_USAGE, "sl_segment_file: no segmenter, path or function");
    const char *name = NULL;
    int fd = -1;
    sl_status st = sl__open_input(path, &name, &fd, err);
    if (st != SL_OK)
        return st;
    UBreakIterator *bi = NULL;
    UText *ut = NULL;
    size_t cap = 2 * STREAM_PIECE, fill = 0, base = 0, line = 1;
    char *buf = malloc(cap);
    struct run r = {.seg = seg, .fn = fn, .fn_ctx = ctx};
    struct flow f = {false, true, true};
    bool eof = false, first = true;
    if (!buf) {
        st = sl__nomem(err);
        goto done;
    }
    st = clone_iterator(seg, &bi, err);
    if (st == SL_OK && seg->srx)
        st = sl__srx_run_new(seg->srx, &r.srx, err);
    while (st == SL_OK && (!eof || fill > 0)) {
        while (!eof && fill < STREAM_PIECE && st == SL_OK) {
            size_t got = 0;
            st = sl__read_some(fd, name, buf + fill, cap - fill, &got, err);
            eof = got == 0;
            fill += got;
        }
        if (st != SL_OK || fill == 0)
            break;
        size_t start = 0;
        if (first) {
            if (fill >= 2 && (((unsigned char)buf[0] == 0xff && (unsigned char)buf[1] == 0xfe) ||
                              ((unsigned char)buf[0] == 0xfe && (unsigned char)buf[1] == 0xff))) {
                st = sl_error_set(err, SL_ENCODING,
                                  "%s: the file is UTF-16 (byte order mark found); convert it "
                                  "to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)",
                                  name);
                break;
            }
            start = fill >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
        }
        size_t cut = eof ? fill : piece_end(buf, fill);
        if (cut == 0) { /* one line longer than the buffer: hold it whole */
            char *b = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
            if (!b) {
                st = sl__nomem(err);
                break;
            }
            buf = b;
            cap *= 2;
            size_t got = 0;
            st = sl__read_some(fd, name, buf + fill, cap - fill, &got, err);
            eof = got == 0;
            fill += got;
            continue;
        }
        st = sl__check_utf8_at(name, buf + start, cut - start, base + start, &line, err);
        if (st != SL_OK)
            break;
        if (first)
            f.blank_mode = blank_line_mode(buf + start, cut - start);
        first = false;
        r.text = buf;
        r.len = cut;
        r.have_pending = false;
        r.span_start = 0;
        st = segment_range(&r, bi, &ut, start, cut, &f, err);
        if (st == SL_OK)
            st = finish(&r, err);
        memmove(buf, buf + cut, fill - cut);
        fill -= cut;
        base += cut;
    }
    if (st == SL_OK && r.emitted == 0)
        st = sl_error_set(err, SL_EMPTY, "%s: the file is empty (no text to process)", name);
done:
    sl__srx_run_free(r.srx);
    free(r.wrap_buf);
    free(r.u16);
    free(r.lines);
    if (r.wbi)
        ubrk_close(r.wbi);
    if (ut)
        utext_close(ut);
    if (bi)
        ubrk_close(bi);
    free(buf);
    if (strcmp(path, "-") != 0 && fd >= 0)
        close(fd);
    return st;
}

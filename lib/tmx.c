#include "internal.h"
#include "tm-internal.h"
#include "tmx-internal.h"
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/xmlwriter.h>

#include "tm-internal.h"
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

size_t sl__tmx_fail_at_unit;

struct export_state {
    xmlTextWriterPtr w;
    const sl_tmx_options *opt;
    sl_tmx_report report;
    sl_status st;
    sl_error *err;
    const char *name;
    sl__extra_reader *xr; /* what import kept: dates, markup, props, notes */
    /* the last language tags seen and their canonical forms: a TM holds few pairs */
    char lang_in[2][64], lang_out[2][SL_LANG_MAX];
    sl__buf text[2], utf16;
};

/* XML 1.0 Char production: libxml2's writer passes forbidden code points
 * through unchanged, and CAT tools then reject the whole file. */
static bool xml_char_ok(unsigned long cp)
{
    return cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
           (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/* Decode the UTF-8 sequence at u; *n gets its length.  A malformed sequence
 * decodes as one byte with the value 0xfffe, which xml_char_ok refuses. */
static unsigned long decode(const unsigned char *u, size_t *n)
{
    static const unsigned long min[5] = {0, 0, 0x80, 0x800, 0x10000};
    unsigned long cp;
    size_t len;
    if (u[0] < 0x80) {
        *n = 1;
        return u[0];
    } else if (u[0] >= 0xc2 && u[0] < 0xe0) {
        cp = u[0] & 0x1f;
        len = 2;
    } else if (u[0] >= 0xe0 && u[0] < 0xf0) {
        cp = u[0] & 0x0f;
        len = 3;
    } else if (u[0] >= 0xf0 && u[0] < 0xf5) {
        cp = u[0] & 0x07;
        len = 4;
    } else {
        *n = 1;
        return 0xfffe;
    }
    for (size_t k = 1; k < len; k++) {
        if ((u[k] & 0xc0) != 0x80) {
            *n = 1;
            return 0xfffe;
        }
        cp = (cp << 6) | (u[k] & 0x3f);
    }
    if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        *n = 1;
        return 0xfffe;
    }
    *n = len;
    return cp;
}

/* NFC of the UTF-8 in b, in place (through UTF-16: ICU normalises UChar). */
static bool nfc_in_place(sl__buf *b, sl__buf *scratch)
{
    bool ascii = true;
    for (size_t i = 0; i < b->len && ascii; i++)
        ascii = (unsigned char)b->data[i] < 0x80;
    if (ascii)
        return true;
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st) || b->len > INT32_MAX / 4)
        return false;
    int32_t n = (int32_t)b->len, ulen = 0;
    /* UTF-16 never has more units than UTF-8 has bytes; NFC grows a text
     * at most threefold. */
    sl__buf_clear(scratch);
    if (!sl__buf_reserve(scratch, (size_t)(n + 1) * 4 * sizeof(UChar)))
        return false;
    UChar *u = (UChar *)(void *)scratch->data, *v = u + n + 1;
    u_strFromUTF8(u, n + 1, &ulen, b->data, n, &st);
    if (U_FAILURE(st))
        return false;
    if (unorm2_quickCheck(nfc, u, ulen, &st) == UNORM_YES && U_SUCCESS(st))
        return true;
    st = U_ZERO_ERROR;
    int32_t vlen = unorm2_normalize(nfc, u, ulen, v, 3 * (n + 1), &st);
    if (U_FAILURE(st))
        return false;
    int32_t blen = 0;
    u_strToUTF8(NULL, 0, &blen, v, vlen, &st);
    st = U_ZERO_ERROR;
    sl__buf_clear(b);
    if (!sl__buf_reserve(b, (size_t)blen + 1))
        return false;
    u_strToUTF8(b->data, blen + 1, &blen, v, vlen, &st);
    if (U_FAILURE(st))
        return false;
    b->len = (size_t)blen;
    return true;
}

/*
 * Copy text into out as it will be written: characters XML forbids refused
 * (or dropped and counted in *dropped when sanitising), surrounding
 * whitespace trimmed, NFC.  Never escaped: the writer does that once.
 */
static sl_status clean_text(struct export_state *es, long long unit, const char *side,
                            const char *text, sl__buf *out, size_t *dropped)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t len = strlen(text), i = 0, end = len;
    while (i < len) {
        size_t sp = sl__space_len(text + i, len - i);
        if (!sp)
            break;
        i += sp;
    }
    sl__buf_clear(out);
    /* The usual case, checked in one pass: nothing to drop, so the trimmed
     * text is copied whole. */
    size_t keep_end = i;
    bool bad = false, ascii = true;
    for (size_t j = i; j < end && !bad;) {
        if (j + 8 <= end && u[j + 7] != ' ') { /* 8 printable ASCII bytes at once */
            uint64_t w;
            memcpy(&w, u + j, 8);
            uint64_t low = w & ~UINT64_C(0x8080808080808080);
            uint64_t control = ~(low + UINT64_C(0x6060606060606060)) & UINT64_C(0x8080808080808080);
            if (!((w & UINT64_C(0x8080808080808080)) | control)) {
                j += 8;
                keep_end = j;
                continue;
            }
        }
        if (u[j] > 0x20 && u[j] < 0x80) { /* most characters: no call */
            keep_end = ++j;
            continue;
        }
        size_t n = 1;
        unsigned long cp = u[j] < 0x80 ? u[j] : decode(u + j, &n);
        ascii = ascii && cp < 0x80;
        if (!xml_char_ok(cp))
            bad = true;
        else if (cp < 0x80 ? !(cp == ' ' || (cp >= 0x09 && cp <= 0x0d))
                           : !sl__space_len(text + j, len - j))
            keep_end = j + n;
        j += n;
    }
    if (!bad) {
        if (!sl__buf_append(out, text + i, keep_end - i))
            return sl__nomem(es->err);
        i = end;
    }
    size_t keep = out->len; /* out->len after the last non-space character */
    while (i < end) {
        size_t n;
        unsigned long cp = decode(u + i, &n);
        if (!xml_char_ok(cp)) {
            if (!es->opt->sanitize)
                return sl_error_set(es->err, SL_DATA,
                                    "%s: unit %lld: the %s text has a character XML forbids "
                                    "(byte 0x%02x at offset %zu); nothing was written (export "
                                    "with --sanitize to drop such characters)",
                                    es->name, unit, side, u[i], i);
            (*dropped)++;
            i += n;
            continue;
        }
        size_t sp = sl__space_len(text + i, len - i);
        if (sp && out->len == 0) { /* leading space after a dropped character */
            i += sp;
            continue;
        }
        if (!sl__buf_append(out, text + i, n))
            return sl__nomem(es->err);
        if (!sp)
            keep = out->len;
        i += n;
    }
    out->len = keep;
    /* ASCII is NFC: the check above has seen every character when none was bad */
    if (!sl__buf_cstr(out) || (!(ascii && !bad) && !nfc_in_place(out, &es->utf16)) ||
        !sl__buf_cstr(out))
        return sl_error_set(es->err, SL_ICU, "%s: unit %lld: cannot normalise the %s text to NFC",
                            es->name, unit, side);
    return SL_OK;
}

/* The canonical (lower-case, hyphenated) form of a unit's language tag. */
static const char *unit_lang(struct export_state *es, int k, long long unit, const char *tag)
{
    if (strcmp(es->lang_in[k], tag) == 0 && es->lang_out[k][0])
        return es->lang_out[k];
    sl_error lerr;
    if (strlen(tag) >= sizeof es->lang_in[k] ||
        sl_lang_canonical(tag, es->lang_out[k], &lerr) != SL_OK) {
        es->lang_out[k][0] = '\0';
        es->st = sl_error_set(es->err, SL_LANG,
                              "%s: unit %lld: language tag '%s' is not valid BCP 47; nothing was "
                              "written",
                              es->name, unit, tag);
        return NULL;
    }
    snprintf(es->lang_in[k], sizeof es->lang_in[k], "%s", tag);
    return es->lang_out[k];
}

/* True when s is "YYYYMMDDThhmmssZ" with plausible field values. */
bool sl__tmx_date_ok(const char *s)
{
    if (strlen(s) != 16 || s[8] != 'T' || s[15] != 'Z')
        return false;
    for (int i = 0; i < 15; i++)
        if (i != 8 && (s[i] < '0' || s[i] > '9'))
            return false;
    int mo = (s[4] - '0') * 10 + s[5] - '0', d = (s[6] - '0') * 10 + s[7] - '0';
    int h = (s[9] - '0') * 10 + s[10] - '0', mi = (s[11] - '0') * 10 + s[12] - '0';
    int sec = (s[13] - '0') * 10 + s[14] - '0';
    return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && sec < 61;
}

sl_status sl_tmx_parse_date(const char *date, char out[21], sl_error *err)
{
    char digits[15];
    size_t n = 0;
    /* Accept the ISO forms with separators and the compact TMX form. */
    const char *p = date ? date : "";
    static const char *const shapes[] = {"dddd-dd-dd", "dddd-dd-ddTdd:dd:ddZ", "ddddddddTddddddZ",
                                         "dddddddd", NULL};
    bool matched = false;
    for (int k = 0; shapes[k] && !matched; k++) {
        const char *sh = shapes[k];
        if (strlen(sh) != strlen(p))
            continue;
        matched = true;
        n = 0;
        for (size_t i = 0; sh[i] && matched; i++) {
            if (sh[i] == 'd') {
                matched = p[i] >= '0' && p[i] <= '9';
                digits[n++] = p[i];
            } else {
                matched = p[i] == sh[i];
            }
        }
    }
    if (!matched)
        return sl_error_set(err, SL_USAGE,
                            "'%s' is not a date (use YYYY-MM-DD, YYYY-MM-DDThh:mm:ssZ or "
                            "YYYYMMDDThhmmssZ, in UTC)",
                            p);
    while (n < 14)
        digits[n++] = '0';
    char compact[17];
    snprintf(compact, sizeof compact, "%.8sT%.6sZ", digits, digits + 8);
    if (!sl__tmx_date_ok(compact))
        return sl_error_set(err, SL_USAGE, "'%s' is not a valid date and time", p);
    snprintf(out, 21, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", digits, digits + 4, digits + 6, digits + 8,
             digits + 10, digits + 12);
    return SL_OK;
}

/* "2026-11-24T17:10:26Z" -> "20261124T171026Z" (TMX date syntax). */
static void tmx_date(const char *iso, char out[17])
{
    size_t o = 0;
    for (size_t i = 0; iso[i] && o < 16; i++)
        if (iso[i] != '-' && iso[i] != ':')
            out[o++] = iso[i];
    out[o] = '\0';
}

static sl_status write_with_writer(sl_tm *tm, int fd, const char *name,
                                   const sl_tmx_options *opt, sl_tmx_report *report,
                                   sl_error *err);

static int prop(xmlTextWriterPtr w, const char *type, const char *value)
{
    if (xmlTextWriterStartElement(w, BAD_CAST "prop") < 0 ||
        xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST type) < 0 ||
        xmlTextWriterWriteString(w, BAD_CAST value) < 0 || xmlTextWriterEndElement(w) < 0)
        return -1;
    return 0;
}

/* The selaras provenance props that export computes. */
static bool provenance_type(const char *type)
{
    return type && (!strcmp(type, "x-document") || !strcmp(type, "x-score") ||
                    !strcmp(type, "x-bead") || !strcmp(type, "x-occurrences"));
}

/* The stored props and notes of one level (tu, source or target tuv). */
static int annotations(xmlTextWriterPtr w, const sl__annot *a, size_t n, int level,
                       bool no_provenance)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i].level != level || (no_provenance && !a[i].note && provenance_type(a[i].type)))
            continue;
        if (xmlTextWriterStartElement(w, BAD_CAST(a[i].note ? "note" : "prop")) < 0 ||
            (!a[i].note &&
             xmlTextWriterWriteAttribute(w, BAD_CAST "type",
                                         BAD_CAST(a[i].type ? a[i].type : "x-unknown")) < 0) ||
            (a[i].lang && xmlTextWriterWriteAttribute(w, BAD_CAST "xml:lang",
                                                      BAD_CAST a[i].lang) < 0) ||
            xmlTextWriterWriteString(w, BAD_CAST a[i].value) < 0 ||
            xmlTextWriterEndElement(w) < 0)
            return -1;
    }
    return 0;
}

static bool has_prop(const sl__annot *a, size_t n, const char *type)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].level == SL__LEVEL_TU && !a[i].note && a[i].type && !strcmp(a[i].type, type))
            return true;
    return false;
}

/* markup: text is TMX inline XML kept by import, written as it is. */
static int tuv(xmlTextWriterPtr w, const char *lang, const char *text, bool markup,
               const sl__annot *a, size_t n, int level, bool no_provenance)
{
    if (xmlTextWriterStartElement(w, BAD_CAST "tuv") < 0 ||
        xmlTextWriterWriteAttribute(w, BAD_CAST "xml:lang", BAD_CAST lang) < 0 ||
        annotations(w, a, n, level, no_provenance) < 0 ||
        xmlTextWriterStartElement(w, BAD_CAST "seg") < 0 ||
        (markup ? xmlTextWriterWriteRaw(w, BAD_CAST text) : xmlTextWriterWriteString(w, BAD_CAST text)) < 0 ||
        xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndElement(w) < 0)
        return -1;
    return 0;
}

/* snprintf's "%lld" without its cost, twice for every unit. */
static void format_ll(long long v, char out[32])
{
    char tmp[24];
    size_t n = 0, o = 0;
    unsigned long long m = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    if (v < 0)
        out[o++] = '-';
    while (n)
        out[o++] = tmp[--n];
    out[o] = '\0';
}

/* snprintf's "%.4f", done by hand where the rounding cannot be in doubt
 * (not within a millionth of a tie), else by snprintf itself. */
static void format_score(double v, char out[32])
{
    double y = v * 10000.0, r = floor(y + 0.5), frac = y - floor(y);
    if (!isfinite(v) || signbit(v) || y >= 1e15 || fabs(frac - 0.5) < 1e-6) {
        snprintf(out, 32, "%.4f", v);
        return;
    }
    long long n = (long long)r;
    format_ll(n / 10000, out);
    size_t o = strlen(out);
    int f = (int)(n % 10000);
    out[o++] = '.';
    out[o++] = (char)('0' + f / 1000);
    out[o++] = (char)('0' + f / 100 % 10);
    out[o++] = (char)('0' + f / 10 % 10);
    out[o++] = (char)('0' + f % 10);
    out[o] = '\0';
}

static int write_unit(const sl_unit *unit, void *data)
{
    struct export_state *es = data;
    xmlTextWriterPtr w = es->w;
    sl_unit u = *unit;
    const char *src_lang = unit_lang(es, 0, u.id, u.src_lang);
    const char *tgt_lang = src_lang ? unit_lang(es, 1, u.id, u.tgt_lang) : NULL;
    if (!tgt_lang)
        return 1;
    char bead[48];
    snprintf(bead, sizeof bead, "%s", u.bead);
    bool swapped = es->opt->src_lang && strcmp(src_lang, es->opt->src_lang) != 0;
    if (swapped) {
        /* stored the other way round: swap the sides, and the bead shape with them */
        const char *t = u.source;
        u.source = u.target;
        u.target = t;
        t = src_lang;
        src_lang = tgt_lang;
        tgt_lang = t;
        const char *dash = strchr(u.bead, '-');
        if (dash)
            snprintf(bead, sizeof bead, "%s-%.*s", dash + 1, (int)(dash - u.bead), u.bead);
    }
    size_t dropped = 0;
    for (int k = 0; k < 2; k++) {
        es->st = clean_text(es, u.id, k ? "target" : "source", k ? u.target : u.source,
                            &es->text[k], &dropped);
        if (es->st != SL_OK)
            return 1;
    }
    if (dropped) {
        es->report.units_sanitized++;
        es->report.chars_dropped += dropped;
    }
    if (es->text[0].len == 0 || es->text[1].len == 0) {
        es->report.units_skipped++;
        return 0;
    }
    sl__unit_extra x;
    const sl__annot *a = NULL;
    size_t na = 0;
    es->st = sl__extra_read(es->xr, u.id, &x, &a, &na, es->err);
    if (es->st != SL_OK)
        return 1;
    /* what import kept of each side follows the side when it is swapped */
    bool markup[2] = {x.src_markup, x.tgt_markup};
    int level[2] = {SL__LEVEL_SRC, SL__LEVEL_TGT};
    if (swapped) {
        markup[0] = x.tgt_markup;
        markup[1] = x.src_markup;
        level[0] = SL__LEVEL_TGT;
        level[1] = SL__LEVEL_SRC;
    }
    char id[32], date[17], changed[17], score[32], occ[32];
    format_ll(u.id, id);
    tmx_date(x.creation_date ? x.creation_date : u.created_at, date);
    format_score(u.score, score);
    format_ll(u.occurrences, occ);
    int rc = 0;
    if (sl__tmx_fail_at_unit && es->report.units + 1 == sl__tmx_fail_at_unit) {
        errno = ENOSPC; /* test hook: a disk that fills up in the middle of the export */
        rc = -1;
    }
    if (rc >= 0)
        rc |= xmlTextWriterStartElement(w, BAD_CAST "tu");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "tuid", BAD_CAST id);
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "srclang", BAD_CAST src_lang);
    if (sl__tmx_date_ok(date))
        rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "creationdate", BAD_CAST date);
    if (x.creation_id)
        rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "creationid", BAD_CAST x.creation_id);
    if (x.change_date) {
        tmx_date(x.change_date, changed);
        if (sl__tmx_date_ok(changed))
            rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "changedate", BAD_CAST changed);
    }
    if (x.change_id)
        rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "changeid", BAD_CAST x.change_id);
    bool nop = es->opt->no_provenance;
    if (rc >= 0)
        rc |= annotations(w, a, na, SL__LEVEL_TU, nop);
    /* Props read from a TMX are written as they were read. */
    if (rc >= 0 && !nop) {
        if (!has_prop(a, na, "x-document"))
            rc |= prop(w, "x-document", u.document);
        if (!has_prop(a, na, "x-score"))
            rc |= prop(w, "x-score", score);
        if (!has_prop(a, na, "x-bead"))
            rc |= prop(w, "x-bead", bead);
        if (!has_prop(a, na, "x-occurrences"))
            rc |= prop(w, "x-occurrences", occ);
    }
    if (rc >= 0)
        rc |= tuv(w, src_lang, es->text[0].data, markup[0], a, na, level[0], nop);
    if (rc >= 0)
        rc |= tuv(w, tgt_lang, es->text[1].data, markup[1], a, na, level[1], nop);
    if (rc >= 0)
        rc |= xmlTextWriterEndElement(w);
    if (rc < 0) {
        es->st = sl_error_set(es->err, SL_IO, "%s: write failed at unit %lld: %s%s", es->name,
                              u.id, errno ? strerror(errno) : "XML writer error",
                              errno == ENOSPC || errno == EFBIG || errno == EDQUOT
                                  ? " (free some space and try again)"
                                  : "");
        return 1;
    }
    es->report.units++;
    return 0;
}

/* The occurrences of the units, read beside the units in one pass (ordered
 * by unit) instead of three subqueries per unit: their number, the best
 * (highest score, then first document and position) for the score and bead
 * shape, and the path of the first document. */
struct occ_scan {
    sl_tm *tm;
    sqlite3_stmt *occ, *doc;
    bool more;             /* occ is on a row */
    long long doc_id;      /* the document whose path doc_path holds, -1 for none */
    bool doc_found;
    sl__buf doc_path, bead;
};

static sl_status occ_step(struct occ_scan *o, sl_error *err)
{
    int rc = sqlite3_step(o->occ);
    o->more = rc == SQLITE_ROW;
    return o->more || rc == SQLITE_DONE
               ? SL_OK
               : sl__tm_db_error(o->tm, rc, "cannot read the occurrences", err);
}

/* Fill the occurrence fields of u (id set) as the unit query of
 * tm-internal.h would: "" and 0 for a unit without occurrences. */
static sl_status occ_fill(struct occ_scan *o, sl_unit *u, bool *have, sl_error *err)
{
    sl_status s = SL_OK;
    while (s == SL_OK && o->more && sqlite3_column_int64(o->occ, 0) < u->id)
        s = occ_step(o, err);
    long long count = 0, best_doc = 0, best_pos = 0, first_doc = 0;
    double best = 0;
    while (s == SL_OK && o->more && sqlite3_column_int64(o->occ, 0) == u->id) {
        double score = sqlite3_column_double(o->occ, 1);
        long long d = sqlite3_column_int64(o->occ, 2), p = sqlite3_column_int64(o->occ, 3);
        if (!count || score > best ||
            (score == best && (d < best_doc || (d == best_doc && p < best_pos)))) {
            best = score;
            best_doc = d;
            best_pos = p;
            const char *bead = (const char *)sqlite3_column_text(o->occ, 4);
            sl__buf_clear(&o->bead);
            if (!sl__buf_puts(&o->bead, bead ? bead : "") || !sl__buf_cstr(&o->bead))
                return sl__nomem(err);
        }
        if (!count || d < first_doc)
            first_doc = d;
        count++;
        s = occ_step(o, err);
    }
    if (s != SL_OK)
        return s;
    *have = count > 0;
    u->occurrences = count;
    u->score = best;
    u->bead = count ? o->bead.data : "";
    u->document = "";
    u->document_id = 0;
    if (!count)
        return SL_OK;
    if (first_doc != o->doc_id) { /* units of one document come together */
        o->doc_id = first_doc;
        sqlite3_reset(o->doc);
        int rc = sqlite3_bind_int64(o->doc, 1, first_doc);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(o->doc);
        o->doc_found = rc == SQLITE_ROW;
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            o->doc_id = -1;
            return sl__tm_db_error(o->tm, rc, "cannot read the documents", err);
        }
        const char *path = o->doc_found ? (const char *)sqlite3_column_text(o->doc, 0) : NULL;
        sl__buf_clear(&o->doc_path);
        if (!sl__buf_puts(&o->doc_path, path ? path : "") || !sl__buf_cstr(&o->doc_path))
            return sl__nomem(err);
    }
    if (o->doc_found) {
        u->document = o->doc_path.data;
        u->document_id = first_doc;
    }
    return SL_OK;
}

/* Bound parameters of the unit query; NULL/0 fields select nothing. */
static sl_status select_units(sl_tm *tm, const sl_tmx_options *opt, const char *since,
                              sl_unit_fn fn, void *data, sl_error *err)
{
    sl__buf sql = SL__BUF_INIT;
    /* CROSS JOIN keeps units the outer loop: in unit order, with no sorted
     * copy of the result (the index on segments.lang would bring one) */
    bool ok = sl__buf_puts(&sql, "SELECT u.id, s.lang, t.lang, s.text, t.text, u.created_at"
                                 " FROM units u"
                                 " CROSS JOIN segments s ON s.id = u.src_segment"
                                 " CROSS JOIN segments t ON t.id = u.tgt_segment WHERE 1");
    if (opt->src_lang)
        ok = ok && sl__buf_puts(&sql, " AND ((s.lang = :src AND t.lang = :tgt)"
                                      " OR (s.lang = :tgt AND t.lang = :src))");
    if (opt->document)
        ok = ok && sl__buf_puts(&sql, " AND EXISTS (SELECT 1 FROM occurrences x"
                                      " WHERE x.unit = u.id AND x.document = :doc)");
    if (since)
        ok = ok && sl__buf_puts(&sql, " AND u.created_at >= :since");
    ok = ok && sl__buf_puts(&sql, " ORDER BY u.id");
    if (!ok) {
        sl__buf_free(&sql);
        return sl__nomem(err);
    }
    struct occ_scan o = {.tm = tm, .doc_id = -1};
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(tm, sql.data, &st, err);
    sl__buf_free(&sql);
    if (s == SL_OK)
        s = sl__tm_prepare(tm,
                           "SELECT unit, score, document, position, bead FROM occurrences"
                           " ORDER BY unit",
                           &o.occ, err);
    if (s == SL_OK)
        s = sl__tm_prepare(tm, "SELECT src_path FROM documents WHERE id = ?1", &o.doc, err);
    int rc = SQLITE_OK;
    if (s == SL_OK && opt->src_lang) {
        rc = sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":src"), opt->src_lang, -1,
                               SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":tgt"), opt->tgt_lang,
                                   -1, SQLITE_STATIC);
    }
    if (s == SL_OK && rc == SQLITE_OK && opt->document)
        rc = sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":doc"), opt->document);
    if (s == SL_OK && rc == SQLITE_OK && since)
        rc = sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":since"), since, -1,
                               SQLITE_STATIC);
    if (s == SL_OK && rc != SQLITE_OK)
        s = sl__tm_db_error(tm, rc, "cannot read the units", err);
    if (s == SL_OK)
        s = occ_step(&o, err);
    while (s == SL_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sl_unit u;
        const unsigned char *t;
        u.id = sqlite3_column_int64(st, 0);
        u.src_lang = (t = sqlite3_column_text(st, 1)) ? (const char *)t : "";
        u.tgt_lang = (t = sqlite3_column_text(st, 2)) ? (const char *)t : "";
        u.source = (t = sqlite3_column_text(st, 3)) ? (const char *)t : "";
        u.target = (t = sqlite3_column_text(st, 4)) ? (const char *)t : "";
        u.created_at = (t = sqlite3_column_text(st, 5)) ? (const char *)t : "";
        bool have = false;
        s = occ_fill(&o, &u, &have, err);
        if (s != SL_OK)
            break;
        if (opt->min_score > 0 && !(have && u.score >= opt->min_score))
            continue; /* no occurrence: no score, as with a NULL in SQL */
        if (fn(&u, data) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (s == SL_OK && rc != SQLITE_DONE)
        s = sl__tm_db_error(tm, rc, "cannot read the units", err);
    sqlite3_finalize(st);
    sqlite3_finalize(o.occ);
    sqlite3_finalize(o.doc);
    sl__buf_free(&o.doc_path);
    sl__buf_free(&o.bead);
    return s;
}

/* Refuse --doc with an id the TM does not have: an empty export would hide the typo. */
static sl_status check_document(sl_tm *tm, long long id, sl_error *err)
{
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(tm, "SELECT 1 FROM documents WHERE id = ?1", &st, err);
    if (s != SL_OK)
        return s;
    int rc = sqlite3_bind_int64(st, 1, id);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        s = sl_error_set(err, SL_NOTFOUND, "%s: no document with id %lld (see 'selaras stats')",
                         tm->path, id);
    else if (rc != SQLITE_ROW)
        s = sl__tm_db_error(tm, rc, "cannot read the documents", err);
    sqlite3_finalize(st);
    return s;
}

struct srclang_probe {
    char lang[SL_LANG_MAX];
    bool mixed;
};

static int probe_pair(const char *src, const char *tgt, long long units, void *data)
{
    struct srclang_probe *p = data;
    char lang[SL_LANG_MAX];
    sl_error err;
    if (sl_lang_canonical(src, lang, &err) != SL_OK)
        snprintf(lang, sizeof lang, "%s", src); /* write_unit will name the unit */
    if (!p->lang[0])
        snprintf(p->lang, sizeof p->lang, "%s", lang);
    else if (strcmp(p->lang, lang) != 0)
        p->mixed = true;
    return 0;
}

static sl_status header_srclang(sl_tm *tm, const sl_tmx_options *opt, char out[SL_LANG_MAX],
                                sl_error *err)
{
    if (opt->src_lang) {
        snprintf(out, SL_LANG_MAX, "%s", opt->src_lang);
        return SL_OK;
    }
    struct srclang_probe p = {{0}, false};
    sl_status st = sl_tm_language_pairs(tm, probe_pair, &p, err);
    if (st != SL_OK)
        return st;
    /* An empty TM still needs a valid header; "*all*" is what TMX allows. */
    snprintf(out, SL_LANG_MAX, "%s", (p.mixed || !p.lang[0]) ? "*all*" : p.lang);
    return SL_OK;
}

static sl_status write_document(sl_tm *tm, xmlTextWriterPtr w, const char *name,
                                const sl_tmx_options *opt, sl_tmx_report *report, sl_error *err)
{
    char srclang[SL_LANG_MAX], now[21], date[17];
    sl_status st = header_srclang(tm, opt, srclang, err);
    if (st != SL_OK)
        return st;
    sl__utc_now(now);
    tmx_date(now, date);
    int rc = 0;
    rc |= xmlTextWriterSetIndent(w, 1);
    rc |= xmlTextWriterSetIndentString(w, BAD_CAST "  ");
    rc |= xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
    rc |= xmlTextWriterStartElement(w, BAD_CAST "tmx");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST "1.4");
    rc |= xmlTextWriterStartElement(w, BAD_CAST "header");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "creationtool", BAD_CAST "selaras");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "creationtoolversion", BAD_CAST sl_version());
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "segtype", BAD_CAST "sentence");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "o-tmf", BAD_CAST "selaras");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "adminlang", BAD_CAST "en");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "srclang", BAD_CAST srclang);
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "datatype", BAD_CAST "plaintext");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "creationdate", BAD_CAST date);
    rc |= xmlTextWriterEndElement(w);
    rc |= xmlTextWriterStartElement(w, BAD_CAST "body");
    if (rc < 0)
        return sl_error_set(err, SL_IO, "%s: cannot write the TMX header: %s", name,
                            errno ? strerror(errno) : "XML writer error");
    struct export_state es = {.w = w, .opt = opt, .st = SL_OK, .err = err, .name = name};
    st = sl__extra_reader_new(tm, &es.xr, err);
    if (st == SL_OK)
        st = select_units(tm, opt, opt->since, write_unit, &es, err);
    sl__extra_reader_free(es.xr);
    if (st == SL_OK)
        st = es.st;
    sl__buf_free(&es.text[0]);
    sl__buf_free(&es.text[1]);
    sl__buf_free(&es.utf16);
    if (st != SL_OK)
        return st;
    if (xmlTextWriterEndDocument(w) < 0 || xmlTextWriterFlush(w) < 0)
        return sl_error_set(err, SL_IO, "%s: cannot finish the TMX: %s", name,
                            errno ? strerror(errno) : "XML writer error");
    *report = es.report;
    return SL_OK;
}

static void quiet_generic(void *ctx, const char *msg, ...)
{
}

static void quiet_structured(void *ctx, xmlErrorPtr e)
{
    char *first = ctx;
    if (first && !first[0] && e && e->message) {
        snprintf(first, SL__XML_MSG_MAX, "%s", e->message);
        size_t n = strlen(first);
        while (n && (first[n - 1] == '\n' || first[n - 1] == ' '))
            first[--n] = '\0';
    }
}

void sl__xml_quiet(sl__xml_handlers *saved, char *first)
{
    if (first)
        first[0] = '\0';
    saved->generic = xmlGenericError;
    saved->generic_ctx = xmlGenericErrorContext;
    saved->structured = xmlStructuredError;
    saved->structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    xmlSetStructuredErrorFunc(first, quiet_structured);
}

void sl__xml_restore(const sl__xml_handlers *saved)
{
    xmlSetGenericErrorFunc(saved->generic_ctx, saved->generic);
    xmlSetStructuredErrorFunc(saved->structured_ctx, saved->structured);
}

/* Write to fd through a fresh writer; the fd stays open.  libxml2 would
 * print its own I/O errors on stderr; the caller gets them in err instead. */
static sl_status write_to_fd(sl_tm *tm, int fd, const char *name, const sl_tmx_options *opt,
                             sl_tmx_report *report, sl_error *err)
{
    sl__xml_handlers saved;
    sl__xml_quiet(&saved, NULL);
    sl_status st = sl__tm_read_mode(tm, true, err);
    if (st == SL_OK)
        st = write_with_writer(tm, fd, name, opt, report, err);
    sl_error ignored; /* the export is done either way; lookups would only be slower */
    (void)sl__tm_read_mode(tm, false, &ignored);
    sl__xml_restore(&saved);
    return st;
}

/* libxml2 hands its output on in pieces of about 4 kB; they are gathered
 * here and written 64 kB at a time (small enough that a failing write is
 * still met at the unit that causes it in all but the smallest exports). */
#define SINK_BYTES (1u << 16)

struct sink {
    int fd;
    char *buf;
    size_t len;
};

static int sink_flush(struct sink *k)
{
    size_t off = 0;
    while (off < k->len) {
        ssize_t n = write(k->fd, k->buf + off, k->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        off += (size_t)n;
    }
    k->len = 0;
    return 0;
}

static int sink_write(void *ctx, const char *data, int len)
{
    struct sink *k = ctx;
    if (len < 0)
        return -1;
    if (k->len + (size_t)len > SINK_BYTES && sink_flush(k) != 0)
        return -1;
    if ((size_t)len > SINK_BYTES) { /* never from libxml2, but be safe */
        struct sink direct = {k->fd, (char *)data, (size_t)len};
        return sink_flush(&direct) == 0 ? len : -1;
    }
    memcpy(k->buf + k->len, data, (size_t)len);
    k->len += (size_t)len;
    return len;
}

static int sink_close(void *ctx)
{
    (void)ctx; /* the owner flushes and checks */
    return 0;
}

static sl_status write_with_writer(sl_tm *tm, int fd, const char *name,
                                   const sl_tmx_options *opt, sl_tmx_report *report,
                                   sl_error *err)
{
    struct sink k = {fd, malloc(SINK_BYTES), 0};
    xmlOutputBufferPtr out = k.buf ? xmlOutputBufferCreateIO(sink_write, sink_close, &k, NULL)
                                   : NULL;
    if (!out) {
        free(k.buf);
        return sl__nomem(err);
    }
    xmlTextWriterPtr w = xmlNewTextWriter(out); /* takes ownership of out */
    if (!w) {
        xmlOutputBufferClose(out);
        free(k.buf);
        return sl__nomem(err);
    }
    errno = 0;
    sl_status st = write_document(tm, w, name, opt, report, err);
    xmlFreeTextWriter(w); /* hands on what libxml2 still holds */
    errno = 0;
    if (st == SL_OK && sink_flush(&k) != 0) /* after a failure nothing more is written */
        st = sl_error_set(err, SL_IO, "%s: cannot finish the TMX: %s%s", name,
                          errno ? strerror(errno) : "short write",
                          errno == ENOSPC || errno == EFBIG || errno == EDQUOT
                              ? " (free some space and try again)"
                              : "");
    free(k.buf);
    return st;
}

sl_status sl_tmx_export(sl_tm *tm, const char *path, const sl_tmx_options *opt,
                        size_t *units_written, sl_error *err)
{
    sl_tmx_report report;
    sl_status st = sl_tmx_export_report(tm, path, opt, &report, err);
    if (units_written)
        *units_written = st == SL_OK ? report.units : 0;
    return st;
}

sl_status sl_tmx_export_report(sl_tm *tm, const char *path, const sl_tmx_options *options,
                               sl_tmx_report *report_out, sl_error *err)
{
    static const sl_tmx_options defaults = {.src_lang = NULL};
    sl_tmx_report report = {0, 0, 0, 0};
    if (report_out)
        *report_out = report;
    if (!tm || !path)
        return sl_error_set(err, SL_USAGE, "sl_tmx_export: no TM or path given");
    sl_tmx_options opt = options ? *options : defaults;
    if ((opt.src_lang == NULL) != (opt.tgt_lang == NULL))
        return sl_error_set(err, SL_USAGE, "give both the source and the target language, or neither");
    char src_lang[SL_LANG_MAX], tgt_lang[SL_LANG_MAX], since[21];
    sl_status st = SL_OK;
    if (opt.src_lang) {
        st = sl_lang_canonical(opt.src_lang, src_lang, err);
        if (st == SL_OK)
            st = sl_lang_canonical(opt.tgt_lang, tgt_lang, err);
        if (st != SL_OK)
            return st;
        if (strcmp(src_lang, tgt_lang) == 0)
            return sl_error_set(err, SL_USAGE, "the source and target languages are both '%s'",
                                src_lang);
        opt.src_lang = src_lang;
        opt.tgt_lang = tgt_lang;
    }
    if (!(opt.min_score >= 0 && opt.min_score <= 1)) /* NaN fails too */
        return sl_error_set(err, SL_USAGE, "the minimum score must be between 0 and 1");
    if (opt.document < 0)
        return sl_error_set(err, SL_USAGE, "document ids are positive numbers");
    if (opt.since) {
        st = sl_tmx_parse_date(opt.since, since, err);
        if (st != SL_OK)
            return st;
        opt.since = since;
    }
    if (opt.document && (st = check_document(tm, opt.document, err)) != SL_OK)
        return st;

    if (strcmp(path, "-") == 0) {
        st = write_to_fd(tm, STDOUT_FILENO, "<stdout>", &opt, &report, err);
        if (st == SL_OK && report_out)
            *report_out = report;
        return st;
    }
    if ((st = sl__refuse_tm_file(path, tm->path, err)) != SL_OK)
        return st;
    sl__outfile o;
    st = sl__outfile_open(&o, path, err);
    if (st != SL_OK)
        return st;
    st = sl__outfile_close(&o, write_to_fd(tm, o.fd, path, &opt, &report, err), err);
    if (st == SL_OK && report_out)
        *report_out = report;
    return st;
}

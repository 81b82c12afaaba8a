/* Unit tests for the streaming TMX reader (sl__tmx_parse) and sl_tmx_import:
 * inline markup kept and stripped, languages, props and notes, dates, bad
 * units, document-level refusals, UTF-16, the checksum, and the import's
 * counts, transaction and deduplication. */
#include "check_run.h"
#include "tmx-internal.h"
#include "tm-internal.h"
#include "sha256.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD                                                                                 \
    "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header creationtool=\"t\" "            \
    "creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" "          \
    "srclang=\"id\" datatype=\"plaintext\"/>\n<body>\n"
#define TAIL "</body></tmx>\n"

/* What the callback saw, flattened to one string per tu. */
struct seen {
    sl__buf log;
    size_t n;
};

static int collect(const sl__tmx_tu *tu, void *data)
{
    struct seen *s = data;
    s->n++;
    sl__buf_printf(&s->log, "tu %zu line %ld", tu->index, tu->line);
    if (tu->bad)
        sl__buf_printf(&s->log, " BAD(%s)", tu->bad);
    if (tu->srclang)
        sl__buf_printf(&s->log, " srclang=%s", tu->srclang);
    if (tu->tuid)
        sl__buf_printf(&s->log, " tuid=%s", tu->tuid);
    if (tu->creation_date)
        sl__buf_printf(&s->log, " created=%s", tu->creation_date);
    if (tu->creation_id)
        sl__buf_printf(&s->log, " by=%s", tu->creation_id);
    if (tu->change_date)
        sl__buf_printf(&s->log, " changed=%s", tu->change_date);
    sl__buf_puts(&s->log, "\n");
    for (size_t i = 0; i < tu->n_tuvs; i++) {
        const sl__tmx_tuv *v = &tu->tuvs[i];
        sl__buf_printf(&s->log, "  tuv %s%s [%s] {%s}\n", v->lang, v->markup ? " markup" : "",
                       v->text, v->plain);
    }
    for (size_t i = 0; i < tu->n_notes; i++) {
        const sl__tmx_note *x = &tu->notes[i];
        sl__buf_printf(&s->log, "  %s tuv=%d type=%s lang=%s value=%s\n",
                       x->note ? "note" : "prop", x->tuv, x->type ? x->type : "-",
                       x->lang ? x->lang : "-", x->value);
    }
    return 0;
}

static sl_status parse(const char *xml, size_t len, struct seen *s, sl_error *err)
{
    memset(s, 0, sizeof *s);
    sl_error_clear(err);
    return sl__tmx_parse(-1, xml, len, "t.tmx", collect, s, NULL, err);
}

static void parse_ok(const char *xml, const char *want)
{
    struct seen s;
    sl_error err;
    sl_status st = parse(xml, strlen(xml), &s, &err);
    ck_assert_msg(st == SL_OK, "%s", err.message);
    ck_assert_str_eq(sl__buf_cstr(&s.log), want);
    sl__buf_free(&s.log);
}

static void parse_fails(const char *xml, size_t len, sl_status code, const char *msg)
{
    struct seen s;
    sl_error err;
    ck_assert_int_eq(parse(xml, len, &s, &err), code);
    ck_assert_msg(strstr(err.message, msg) != NULL, "message '%s' lacks '%s'", err.message, msg);
    sl__buf_free(&s.log);
}

START_TEST(test_inline_markup)
{
    parse_ok(HEAD "<tu tuid=\"7\" creationdate=\"20240105T081500Z\" creationid=\"budi\" "
                  "changedate=\"20240106T090000Z\">\n"
                  "<tuv xml:lang=\"id\"><seg> A <bpt i=\"1\" x='a\"b'>&lt;b&gt;</bpt>b<ept "
                  "i=\"1\">&lt;/b&gt;</ept> <ph/>c &amp; <hi type=\"x\">d</hi>"
                  "<it pos=\"end\">&lt;/i&gt;</it><ut>u<sub>s</sub></ut>.  </seg></tuv>\n"
                  "<tuv xml:lang=\"EN_us\"><seg>x &lt; y</seg></tuv></tu>\n" TAIL,
             "tu 0 line 4 srclang=id tuid=7 created=2024-01-05T08:15:00Z by=budi "
             "changed=2024-01-06T09:00:00Z\n"
             "  tuv id markup [A <bpt i=\"1\" x=\"a&quot;b\">&lt;b&gt;</bpt>b<ept i=\"1\">"
             "&lt;/b&gt;</ept> <ph/>c &amp; <hi type=\"x\">d</hi><it pos=\"end\">&lt;/i&gt;"
             "</it><ut>u<sub>s</sub></ut>.] {A b c & d.}\n"
             "  tuv en-us [x < y] {x < y}\n");
}
END_TEST

START_TEST(test_languages_props_notes)
{
    /* TMX 1.1 lang=, a tu srclang, props and notes on both levels, CDATA */
    parse_ok("<?xml version=\"1.0\"?><tmx version=\"1.1\"><header srclang=\"*all*\"/><body>"
             "<tu srclang=\"EN\"><note xml:lang=\"id\"> catatan </note>"
             "<prop type=\"x-a\">1</prop>"
             "<tuv lang=\"en\"><prop type=\"x-b\">2</prop><seg><![CDATA[a <b>]]></seg></tuv>"
             "<tuv lang=\"id\"><note>n</note><seg>b</seg></tuv></tu>"
             "<tu><tuv lang=\"ms\"><seg>c</seg></tuv></tu></body></tmx>",
             "tu 0 line 1 srclang=EN\n"
             "  tuv en [a <b>] {a <b>}\n"
             "  tuv id [b] {b}\n"
             "  note tuv=-1 type=- lang=id value=catatan\n"
             "  prop tuv=-1 type=x-a lang=- value=1\n"
             "  prop tuv=0 type=x-b lang=- value=2\n"
             "  note tuv=1 type=- lang=- value=n\n"
             "tu 1 line 1 srclang=*all*\n"
             "  tuv ms [c] {c}\n");
}
END_TEST

START_TEST(test_bad_units)
{
    parse_ok(HEAD "<tu><tuv><seg>a</seg></tuv></tu>\n"
                  "<tu><tuv xml:lang=\"xx\"><seg>a</seg></tuv></tu>\n"
                  "<tu><tuv xml:lang=\"id\"/></tu>\n"
                  "<tu><tuv xml:lang=\"id\"><seg>a</seg><seg>b</seg></tuv></tu>\n"
                  "<tu><tuv xml:lang=\"id\"><seg>a<b>c</b></seg></tuv></tu>\n"
                  "<tu><prop>x</prop><tuv xml:lang=\"id\"><seg>a</seg></tuv></tu>\n"
                  "<tu creationdate=\"2024-01-01\"><tuv xml:lang=\"id\"><seg>a</seg></tuv></tu>\n"
                  "<tu>text<tuv xml:lang=\"id\"><seg>a</seg></tuv></tu>\n"
                  "<tu/>\n" TAIL,
             "tu 0 line 4 BAD(a tuv without a language (xml:lang or lang)) srclang=id\n"
             "  tuv  [a] {a}\n"
             "tu 1 line 5 BAD(a tuv with an invalid language code 'xx') srclang=id\n"
             "  tuv  [a] {a}\n"
             "tu 2 line 6 BAD(a tuv without a seg) srclang=id\n"
             "  tuv id [] {}\n"
             "tu 3 line 7 BAD(a tuv with two segs) srclang=id\n"
             "  tuv id [b] {b}\n"
             "tu 4 line 8 BAD(an element <b> inside a seg (TMX allows bpt ept it ph hi ut sub)) "
             "srclang=id\n"
             "  tuv id [ac] {ac}\n"
             "tu 5 line 9 BAD(a prop without a type) srclang=id\n"
             "  tuv id [a] {a}\n"
             "  prop tuv=-1 type=- lang=- value=x\n"
             "tu 6 line 10 BAD(creationdate '2024-01-01' is not a TMX date (YYYYMMDDThhmmssZ)) "
             "srclang=id\n"
             "  tuv id [a] {a}\n"
             "tu 7 line 11 BAD(text outside a seg) srclang=id\n"
             "  tuv id [a] {a}\n"
             "tu 8 line 12 BAD(a tu without any tuv) srclang=id\n");
}
END_TEST

START_TEST(test_document_errors)
{
    const char *notxml = "hello";
    parse_fails(notxml, strlen(notxml), SL_XML, "t.tmx:1: not well-formed XML: ");
    parse_fails("", 0, SL_XML, "t.tmx:");
    const char *root = "<?xml version=\"1.0\"?>\n<TMX version=\"1.4\"/>";
    parse_fails(root, strlen(root), SL_DATA, "t.tmx:2: the root element is <TMX>, not <tmx>");
    const char *ver = "<tmx version=\"1.5\"><header/><body/></tmx>";
    parse_fails(ver, strlen(ver), SL_DATA, "unsupported TMX version '1.5'");
    const char *nohead = "<tmx version=\"1.4\"><body/></tmx>";
    parse_fails(nohead, strlen(nohead), SL_DATA, "t.tmx:1: <body> without a <header>");
    const char *onlyroot = "<tmx version=\"1.4\"></tmx>";
    parse_fails(onlyroot, strlen(onlyroot), SL_DATA, "t.tmx: no <header>");
    const char *ent = "<?xml version=\"1.0\"?><!DOCTYPE tmx [<!ENTITY e \"x\">]><tmx "
                      "version=\"1.4\"><header/><body/></tmx>";
    parse_fails(ent, strlen(ent), SL_DATA, "the DOCTYPE declares entities");
    const char *trunc = HEAD "<tu><tuv xml:lang=\"id\"><seg>abc";
    parse_fails(trunc, strlen(trunc), SL_XML, "not well-formed XML");
    const char *other = HEAD "<tuv/>" TAIL;
    parse_fails(other, strlen(other), SL_DATA, "unexpected element <tuv> in <body>");

    /* nesting: refused at depth 41, before libxml2's own limit */
    sl__buf deep = SL__BUF_INIT;
    sl__buf_puts(&deep, HEAD "<tu><tuv xml:lang=\"id\"><seg>");
    for (int i = 0; i < 100; i++)
        sl__buf_puts(&deep, "<hi>");
    parse_fails(deep.data, deep.len, SL_DATA, "elements nested deeper than 40 levels");
    sl__buf_free(&deep);

    /* a DOCTYPE naming an external DTD is fine: it is never read */
    parse_ok("<?xml version=\"1.0\"?><!DOCTYPE tmx SYSTEM \"/nonexistent/tmx14.dtd\">"
             "<tmx version=\"1.4\"><header/><body/></tmx>",
             "");
}
END_TEST

START_TEST(test_utf16_and_checksum)
{
    const char *utf8 = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><tmx version=\"1.4\">"
                       "<header/><body><tu><tuv xml:lang=\"id\"><seg>Kopi \xc3\xa9 "
                       "\xf0\x9f\x98\x80</seg></tuv></tu></body></tmx>";
    /* UTF-16LE with a byte order mark, made by hand (the emoji as a pair) */
    unsigned char buf[1024];
    size_t n = 0;
    buf[n++] = 0xff;
    buf[n++] = 0xfe;
    for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
        unsigned long cp;
        if (*p < 0x80) {
            cp = *p++;
        } else if (*p < 0xe0) {
            cp = ((p[0] & 0x1fUL) << 6) | (p[1] & 0x3f);
            p += 2;
        } else {
            cp = ((p[0] & 0x07UL) << 18) | ((p[1] & 0x3fUL) << 12) | ((p[2] & 0x3fUL) << 6) |
                 (p[3] & 0x3f);
            p += 4;
        }
        if (cp >= 0x10000) {
            unsigned long v = cp - 0x10000, hi = 0xd800 + (v >> 10), lo = 0xdc00 + (v & 0x3ff);
            buf[n++] = hi & 0xff;
            buf[n++] = (unsigned char)(hi >> 8);
            buf[n++] = lo & 0xff;
            buf[n++] = (unsigned char)(lo >> 8);
        } else {
            buf[n++] = cp & 0xff;
            buf[n++] = (unsigned char)(cp >> 8);
        }
    }
    struct seen s;
    memset(&s, 0, sizeof s);
    sl_error err;
    char sha[65], want[65];
    ck_assert_int_eq(sl__tmx_parse(-1, (const char *)buf, n, "u16.tmx", collect, &s, sha, &err),
                     SL_OK);
    ck_assert_str_eq(sl__buf_cstr(&s.log), "tu 0 line 1\n"
                                           "  tuv id [Kopi \xc3\xa9 \xf0\x9f\x98\x80] {Kopi "
                                           "\xc3\xa9 \xf0\x9f\x98\x80}\n");
    sl__sha256_hex(buf, n, want);
    ck_assert_str_eq(sha, want);
    sl__buf_free(&s.log);
}
END_TEST

START_TEST(test_dates)
{
    char out[21];
    ck_assert(sl__tmx_date_to_iso("20241231T235959Z", out));
    ck_assert_str_eq(out, "2024-12-31T23:59:59Z");
    ck_assert(!sl__tmx_date_to_iso("20241231T235959", out));
    ck_assert(!sl__tmx_date_to_iso("2024-12-31T23:59:59Z", out));
    ck_assert(!sl__tmx_date_to_iso("2024123XT235959Z", out));
    ck_assert(!sl__tmx_date_to_iso("", out));
}
END_TEST

/* ---- sl_tmx_import through the public API */

static const char *write_file(const char *dir, const char *name, const char *text)
{
    static char path[4300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static int reports;
static void count_report(const char *msg, void *data)
{
    (void)msg;
    (void)data;
    reports++;
}

START_TEST(test_import_counts)
{
    const char *dir = sl_test_tmpdir("tmx_read_import");
    char db[4200];
    snprintf(db, sizeof db, "%s/tm.db", dir);
    sl_error err;
    sl_tm *tm = NULL;
    ck_assert_int_eq(sl_tm_open(db, SL_TM_CREATE, &tm, &err), SL_OK);
    const char *good = HEAD
        "<tu srclang=\"*all*\"><tuv xml:lang=\"en\"><seg>Tea.</seg></tuv>"
        "<tuv xml:lang=\"id\"><seg>Teh.</seg></tuv><tuv xml:lang=\"ms\"><seg>Teh.</seg></tuv></tu>"
        "<tu><tuv xml:lang=\"id\"><seg>Kopi.</seg></tuv><tuv xml:lang=\"en\"><seg> </seg></tuv></tu>"
        "<tu><tuv xml:lang=\"id\"><seg>Susu.</seg></tuv><tuv xml:lang=\"en-GB\"><seg>Milk.</seg>"
        "</tuv></tu>" TAIL;
    char path[4300];
    snprintf(path, sizeof path, "%s", write_file(dir, "good.tmx", good));
    sl_import_result r;
    /* id -> en: the first tu (srclang *all*) and the third (en-GB is an en) */
    sl_import_options opt = {"id", "en", false};
    ck_assert_msg(sl_tmx_import(tm, path, &opt, NULL, NULL, &r, &err) == SL_OK, "%s", err.message);
    ck_assert_uint_eq(r.read, 3);
    ck_assert_uint_eq(r.pairs, 2);
    ck_assert_uint_eq(r.units_new, 2);
    ck_assert_uint_eq(r.no_pair, 1);
    ck_assert(!r.already_present);
    long long doc = r.document_id;
    ck_assert_int_eq(sl_tmx_import(tm, path, &opt, NULL, NULL, &r, &err), SL_OK);
    ck_assert(r.already_present);
    ck_assert_int_eq(r.document_id, doc);
    /* without a pair: the first tuv of *all*, every other language */
    ck_assert_int_eq(sl_tmx_import(tm, path, NULL, NULL, NULL, &r, &err), SL_OK);
    ck_assert_uint_eq(r.pairs, 3); /* en->id, en->ms, id->en-gb */
    ck_assert_uint_eq(r.units_new, 2);
    ck_assert_uint_eq(r.units_existing, 1);

    /* a bad unit: nothing stored; with skip_bad the others are */
    const char *bad = HEAD "<tu><tuv xml:lang=\"id\"><seg>Air.</seg></tuv>"
                           "<tuv xml:lang=\"en\"><seg>Water.</seg></tuv></tu>\n"
                           "<tu><tuv><seg>x</seg></tuv></tu>" TAIL;
    snprintf(path, sizeof path, "%s", write_file(dir, "bad.tmx", bad));
    sl_tm_stats before, after;
    ck_assert_int_eq(sl_tm_get_stats(tm, &before, &err), SL_OK);
    ck_assert_int_eq(sl_tmx_import(tm, path, NULL, count_report, NULL, &r, &err), SL_DATA);
    ck_assert_msg(strstr(err.message, "bad.tmx:5: a tuv without a language") != NULL, "%s",
                  err.message);
    ck_assert_int_eq(sl_tm_get_stats(tm, &after, &err), SL_OK);
    ck_assert_int_eq(after.units, before.units);
    ck_assert_int_eq(after.documents, before.documents);
    ck_assert_int_eq(reports, 0);
    sl_import_options skip = {NULL, NULL, true};
    ck_assert_int_eq(sl_tmx_import(tm, path, &skip, count_report, NULL, &r, &err), SL_OK);
    ck_assert_int_eq(reports, 1);
    ck_assert_uint_eq(r.skipped, 1);
    ck_assert_uint_eq(r.units_new, 1);

    /* a file that is not there, and a read-only TM */
    ck_assert_int_eq(sl_tmx_import(tm, "/nonexistent/x.tmx", NULL, NULL, NULL, &r, &err),
                     SL_NOTFOUND);
    sl_tm_close(tm);
    ck_assert_int_eq(sl_tm_open(db, SL_TM_READONLY, &tm, &err), SL_OK);
    ck_assert_int_eq(sl_tmx_import(tm, path, NULL, NULL, NULL, &r, &err), SL_USAGE);
    sl_tm_close(tm);
}
END_TEST

static Suite *tmx_read_suite(void)
{
    Suite *s = suite_create("tmx-read");
    TCase *parse = tcase_create("parse");
    tcase_add_test(parse, test_inline_markup);
    tcase_add_test(parse, test_languages_props_notes);
    tcase_add_test(parse, test_bad_units);
    tcase_add_test(parse, test_document_errors);
    tcase_add_test(parse, test_utf16_and_checksum);
    tcase_add_test(parse, test_dates);
    suite_add_tcase(s, parse);
    TCase *imp = tcase_create("import");
    tcase_add_test(imp, test_import_counts);
    suite_add_tcase(s, imp);
    return s;
}

int main(void)
{
    return sl_test_run(tmx_read_suite());
}

/* Unit tests for TMX export: validity against the TMX 1.4b DTD, escaping,
 * header and unit attributes, refusal of characters XML forbids, and the
 * write-to-temporary-then-rename guarantee.  check_tmx_rules() below is an
 * independent reader of the exported file for what the DTD cannot check
 * (language tags, srclang of every tu, unique tuids, date syntax, NFC and
 * trimmed text). */
#include "check_run.h"
#include "internal.h"
#include "tm-internal.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/valid.h>
#include <libxml/xpath.h>
#include <sqlite3.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

static char dir[4096];

/* A TM holding the given 1-1 pairs (one document), languages as given. */
static sl_tm *make_tm(const char *name, const char *src_lang, const char *tgt_lang,
                      const char *const *pairs, size_t n)
{
    snprintf(dir, sizeof dir, "%s", sl_test_tmpdir(name));
    char path[4200];
    snprintf(path, sizeof path, "%s/tm.db", dir);
    sl_error err;
    sl_tm *tm;
    ck_assert_msg(sl_tm_open(path, SL_TM_CREATE, &tm, &err) == SL_OK, "%s", err.message);
    sl_sentences *src, *tgt;
    ck_assert_int_eq(sl_sentences_new(&src, &err), SL_OK);
    ck_assert_int_eq(sl_sentences_new(&tgt, &err), SL_OK);
    sl_bead *beads = calloc(n ? n : 1, sizeof *beads);
    sl__buf st = SL__BUF_INIT, tt = SL__BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        const char *s = pairs[2 * i], *t = pairs[2 * i + 1];
        ck_assert_int_eq(sl_sentences_append(src, s, strlen(s), false, &err), SL_OK);
        ck_assert_int_eq(sl_sentences_append(tgt, t, strlen(t), false, &err), SL_OK);
        beads[i] = (sl_bead){i, 1, i, 1, 0.875};
        sl__buf_printf(&st, "%s\n", s);
        sl__buf_printf(&tt, "%s\n", t);
    }
    sl_alignment *al;
    ck_assert_int_eq(sl__alignment_from_beads(beads, n, &al, &err), SL_OK);
    sl_document doc = {"a.id.txt", "a.en.txt", src_lang, tgt_lang,
                       sl__buf_cstr(&st), sl__buf_cstr(&tt), st.len, tt.len};
    sl_add_result res;
    ck_assert_msg(sl_tm_add(tm, &doc, src, tgt, al, &res, &err) == SL_OK, "%s", err.message);
    sl_alignment_free(al);
    sl_sentences_free(src);
    sl_sentences_free(tgt);
    sl__buf_free(&st);
    sl__buf_free(&tt);
    free(beads);
    return tm;
}

static const char *out_path(const char *name)
{
    static char p[4300];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static xmlDocPtr parse(const char *path)
{
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING);
    ck_assert_msg(doc != NULL, "%s does not parse", path);
    return doc;
}

static char *xpath_string(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    char full[512];
    snprintf(full, sizeof full, "string(%s)", expr);
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST full, ctx);
    ck_assert_ptr_nonnull(r);
    char *s = sl__strdup((const char *)r->stringval);
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(ctx);
    return s;
}

static void assert_xpath(xmlDocPtr doc, const char *expr, const char *want)
{
    char *got = xpath_string(doc, expr);
    ck_assert_msg(strcmp(got, want) == 0, "%s = '%s', expected '%s'", expr, got, want);
    free(got);
}

static bool dtd_valid(xmlDocPtr doc)
{
    const char *dtd_path = getenv("TMX_DTD");
    ck_assert_msg(dtd_path != NULL, "TMX_DTD is not set (run through make check)");
    xmlDtdPtr dtd = xmlParseDTD(NULL, BAD_CAST dtd_path);
    ck_assert_ptr_nonnull(dtd);
    xmlValidCtxtPtr v = xmlNewValidCtxt();
    int ok = xmlValidateDtd(v, doc, dtd);
    xmlFreeValidCtxt(v);
    xmlFreeDtd(dtd);
    return ok == 1;
}

static int count_temporaries(void)
{
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".tmp-"))
            n++;
    closedir(d);
    return n;
}


/* ---- an independent checker of the rules the DTD cannot express */

/* Lower-case BCP 47 as exports must write it: a 2-3 letter language, then
 * hyphen-separated subtags of 1-8 lower-case letters or digits. */
static bool lang_tag_ok(const char *t)
{
    size_t n = 0;
    while (t[n] >= 'a' && t[n] <= 'z')
        n++;
    if (n < 2 || n > 3)
        return false;
    t += n;
    while (*t) {
        if (*t++ != '-')
            return false;
        n = 0;
        while ((t[n] >= 'a' && t[n] <= 'z') || (t[n] >= '0' && t[n] <= '9'))
            n++;
        if (n < 1 || n > 8)
            return false;
        t += n;
    }
    return true;
}

static int two(const char *p)
{
    return (p[0] - '0') * 10 + p[1] - '0';
}

/* TMX dates: YYYYMMDDThhmmssZ, a real calendar day and time. */
static bool date_ok(const char *d)
{
    if (strlen(d) != 16 || d[8] != 'T' || d[15] != 'Z')
        return false;
    for (int i = 0; i < 15; i++)
        if (i != 8 && (d[i] < '0' || d[i] > '9'))
            return false;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int mo = two(d + 4), day = two(d + 6);
    return mo >= 1 && mo <= 12 && day >= 1 && day <= mdays[mo - 1] && two(d + 9) < 24 &&
           two(d + 11) < 60 && two(d + 13) < 60;
}

static bool is_nfc(const char *s)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    int32_t n = 0;
    UChar buf[4096];
    u_strFromUTF8(buf, 4096, &n, s, -1, &st);
    ck_assert_msg(U_SUCCESS(st), "test text too long for the NFC check");
    UBool ok = unorm2_isNormalized(nfc, buf, n, &st);
    return U_SUCCESS(st) && ok;
}

static bool space_at(const char *s)
{
    return *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
           strncmp(s, "\xc2\xa0", 2) == 0;
}

static bool trimmed(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return false;
    if (space_at(s))
        return false;
    char last = s[n - 1];
    return !(last == ' ' || last == '\t' || last == '\n' || last == '\r' ||
             (n >= 2 && strcmp(s + n - 2, "\xc2\xa0") == 0));
}

static char *attr(xmlNodePtr n, const char *name)
{
    if (strcmp(name, "xml:lang") == 0)
        return (char *)xmlGetNsProp(n, BAD_CAST "lang", XML_XML_NAMESPACE);
    return (char *)xmlGetNoNsProp(n, BAD_CAST name);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

#define PROBLEM(...)                                                 \
    do {                                                             \
        if (!*problem)                                               \
            snprintf(problem, sizeof problem, __VA_ARGS__);          \
    } while (0)

/*
 * Check a TMX document against the rules of issue 6 that the DTD does not
 * cover.  Returns "" when it passes, else a description of the first
 * problem (static storage).  *units_out gets the number of tu.
 */
static const char *check_tmx_rules(xmlDocPtr doc, size_t *units_out)
{
    static char problem[512];
    problem[0] = '\0';
    xmlNodePtr root = xmlDocGetRootElement(doc), header = NULL, body = NULL;
    if (!root || strcmp((const char *)root->name, "tmx") != 0)
        return "the root is not <tmx>";
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "header"))
            header = c;
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "body"))
            body = c;
    }
    if (!header || !body)
        return "no header or no body";
    static const char *const required[] = {"creationtool", "creationtoolversion", "segtype",
                                           "o-tmf", "adminlang", "srclang", "datatype",
                                           "creationdate"};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
        char *v = attr(header, required[i]);
        if (!v || !*v)
            PROBLEM("the header has no %s", required[i]);
        xmlFree(v);
    }
    char *hsrc = attr(header, "srclang"), *hdate = attr(header, "creationdate");
    if (hsrc && strcmp(hsrc, "*all*") != 0 && !lang_tag_ok(hsrc))
        PROBLEM("header srclang '%s' is not lower-case BCP 47", hsrc);
    if (hdate && !date_ok(hdate))
        PROBLEM("header creationdate '%s' is not YYYYMMDDThhmmssZ", hdate);
    xmlFree(hdate);

    size_t units = 0, cap = 16;
    char **tuids = malloc(cap * sizeof *tuids);
    for (xmlNodePtr tu = body->children; tu; tu = tu->next) {
        if (tu->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)tu->name, "tu") != 0) {
            PROBLEM("<%s> in the body", tu->name);
            continue;
        }
        char *tuid = attr(tu, "tuid"), *src = attr(tu, "srclang"), *date = attr(tu, "creationdate");
        size_t u = ++units;
        if (!tuid)
            PROBLEM("tu %zu has no tuid", u);
        if (units > cap)
            tuids = realloc(tuids, (cap *= 2) * sizeof *tuids);
        tuids[units - 1] = sl__strdup(tuid ? tuid : "");
        if (!src)
            PROBLEM("tu %zu has no srclang", u);
        else if (!lang_tag_ok(src))
            PROBLEM("tu %zu: srclang '%s' is not lower-case BCP 47", u, src);
        else if (hsrc && strcmp(hsrc, "*all*") != 0 && strcmp(hsrc, src) != 0)
            PROBLEM("tu %zu: srclang '%s' differs from the header's '%s'", u, src, hsrc);
        if (!date || !date_ok(date))
            PROBLEM("tu %zu: creationdate '%s' is not YYYYMMDDThhmmssZ", u, date ? date : "");
        int tuvs = 0;
        for (xmlNodePtr c = tu->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (!strcmp((const char *)c->name, "prop")) {
                char *type = attr(c, "type");
                if (!type || strncmp(type, "x-", 2) != 0)
                    PROBLEM("tu %zu: prop type '%s' is not an x- type", u, type ? type : "");
                xmlFree(type);
                continue;
            }
            if (strcmp((const char *)c->name, "tuv") != 0)
                continue;
            char *lang = attr(c, "xml:lang");
            tuvs++;
            if (!lang || !lang_tag_ok(lang))
                PROBLEM("tu %zu: xml:lang '%s' is not lower-case BCP 47", u, lang ? lang : "");
            else if (tuvs == 1 && src && strcmp(lang, src) != 0)
                PROBLEM("tu %zu: the first tuv is '%s', not the srclang '%s'", u, lang, src);
            for (xmlNodePtr seg = c->children; seg; seg = seg->next) {
                if (seg->type != XML_ELEMENT_NODE || strcmp((const char *)seg->name, "seg"))
                    continue;
                char *text = (char *)xmlNodeGetContent(seg);
                if (!trimmed(text))
                    PROBLEM("tu %zu: seg '%s' is empty or has surrounding space", u, text);
                else if (!is_nfc(text))
                    PROBLEM("tu %zu: seg '%s' is not NFC", u, text);
                xmlFree(text);
            }
            xmlFree(lang);
        }
        if (tuvs < 2)
            PROBLEM("tu %zu has %d tuv", u, tuvs);
        xmlFree(tuid);
        xmlFree(src);
        xmlFree(date);
    }
    qsort(tuids, units, sizeof *tuids, cmp_str);
    for (size_t i = 1; i < units; i++)
        if (strcmp(tuids[i], tuids[i - 1]) == 0)
            PROBLEM("tuid '%s' is used twice", tuids[i]);
    for (size_t i = 0; i < units; i++)
        free(tuids[i]);
    free(tuids);
    xmlFree(hsrc);
    if (units_out)
        *units_out = units;
    return problem;
}

static void assert_rules(xmlDocPtr doc, size_t want_units)
{
    size_t units = 0;
    const char *problem = check_tmx_rules(doc, &units);
    ck_assert_msg(!*problem, "%s", problem);
    ck_assert_uint_eq(units, want_units);
}

/* The checker itself must catch each rule broken on purpose. */
START_TEST(checker_catches_broken_files)
{
    static const char head[] =
        "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" "
        "segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" srclang=\"id\" datatype=\"plaintext\" "
        "creationdate=\"20260101T000000Z\"/><body>";
    static const char good_tu[] =
        "<tu tuid=\"1\" srclang=\"id\" creationdate=\"20260101T120000Z\"><tuv xml:lang=\"id\">"
        "<seg>Satu.</seg></tuv><tuv xml:lang=\"en\"><seg>One.</seg></tuv></tu>";
    static const struct {
        const char *tu, *expect;
    } cases[] = {
        {"<tu tuid=\"2\" creationdate=\"20260101T120000Z\"><tuv xml:lang=\"id\"><seg>A.</seg>"
         "</tuv><tuv xml:lang=\"en\"><seg>B.</seg></tuv></tu>", "no srclang"},
        {"<tu tuid=\"1\" srclang=\"id\" creationdate=\"20260101T120000Z\"><tuv xml:lang=\"id\">"
         "<seg>A.</seg></tuv><tuv xml:lang=\"en\"><seg>B.</seg></tuv></tu>", "used twice"},
        {"<tu tuid=\"2\" srclang=\"id\" creationdate=\"20260101T120000Z\"><tuv xml:lang=\"id\">"
         "<seg>A.</seg></tuv><tuv xml:lang=\"en_US\"><seg>B.</seg></tuv></tu>", "BCP 47"},
        {"<tu tuid=\"2\" srclang=\"id\" creationdate=\"20260101T120000Z\"><tuv xml:lang=\"id\">"
         "<seg>A.</seg></tuv><tuv xml:lang=\"EN\"><seg>B.</seg></tuv></tu>", "BCP 47"},
        {"<tu tuid=\"2\" srclang=\"id\" creationdate=\"2026-01-01\"><tuv xml:lang=\"id\">"
         "<seg>A.</seg></tuv><tuv xml:lang=\"en\"><seg>B.</seg></tuv></tu>", "creationdate"},
        {"<tu tuid=\"2\" srclang=\"id\" creationdate=\"20260231T120000Z\"><tuv xml:lang=\"id\">"
         "<seg>A.</seg></tuv><tuv xml:lang=\"en\"><seg>B.</seg></tuv></tu>", "creationdate"},
        {"<tu tuid=\"2\" srclang=\"id\" creationdate=\"20260101T120000Z\"><tuv xml:lang=\"en\">"
         "<seg>B.</seg></tuv><tuv xml:lang=\"id\"><seg>A.</seg></tuv></tu>", "first tuv"},
        {"<tu tuid=\"2\" srclang=\"id\" creationdate=\"20260101T120000Z\"><tuv xml:lang=\"id\">"
         "<seg> A.</seg></tuv><tuv xml:lang=\"en\"><seg>B.</seg></tuv></tu>", "surrounding"},
        {"<tu tuid=\"2\" srclang=\"id\" creationdate=\"20260101T120000Z\"><tuv xml:lang=\"id\">"
         "<seg>Cafe\xcc\x81.</seg></tuv><tuv xml:lang=\"en\"><seg>B.</seg></tuv></tu>", "NFC"},
        {"<tu tuid=\"2\" srclang=\"id\" creationdate=\"20260101T120000Z\"><prop type=\"doc\">a"
         "</prop><tuv xml:lang=\"id\"><seg>A.</seg></tuv><tuv xml:lang=\"en\"><seg>B.</seg>"
         "</tuv></tu>", "x- type"},
    };
    sl__buf b = SL__BUF_INIT;
    sl__buf_printf(&b, "%s%s</body></tmx>", head, good_tu);
    xmlDocPtr doc = xmlReadMemory(b.data, (int)b.len, "good.tmx", NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(doc);
    assert_rules(doc, 1);
    xmlFreeDoc(doc);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sl__buf_clear(&b);
        sl__buf_printf(&b, "%s%s%s</body></tmx>", head, good_tu, cases[i].tu);
        doc = xmlReadMemory(b.data, (int)b.len, "bad.tmx", NULL, XML_PARSE_NONET);
        ck_assert_ptr_nonnull(doc);
        const char *problem = check_tmx_rules(doc, NULL);
        ck_assert_msg(strstr(problem, cases[i].expect), "case %zu: got '%s', expected '%s'", i,
                      problem, cases[i].expect);
        xmlFreeDoc(doc);
    }
    sl__buf_free(&b);
}
END_TEST

static const char *const news[] = {
    "Harga cabai naik <10%> & “stabil”.", "Chilli prices rose <10%> & “held”.",
    "Presiden tiba pukul 10.30 WIB.", "The president arrived at 10.30 WIB.",
    "Ia berkata: \"Tidak ada 'masalah'.\"", "He said: \"There is no 'problem'.\"",
};

START_TEST(valid_and_escaped)
{
    sl_tm *tm = make_tm("tmx_valid", "id", "en", news, 3);
    sl_error err;
    size_t units = 0;
    ck_assert_int_eq(sl_tmx_export(tm, out_path("out.tmx"), NULL, &units, &err), SL_OK);
    ck_assert_uint_eq(units, 3);
    ck_assert_int_eq(count_temporaries(), 0);
    xmlDocPtr doc = parse(out_path("out.tmx"));
    ck_assert(dtd_valid(doc));
    assert_xpath(doc, "/tmx/@version", "1.4");
    assert_xpath(doc, "/tmx/header/@srclang", "id");
    assert_xpath(doc, "/tmx/header/@creationtool", "selaras");
    assert_xpath(doc, "/tmx/header/@creationtoolversion", sl_version());
    assert_xpath(doc, "/tmx/header/@segtype", "sentence");
    assert_xpath(doc, "/tmx/header/@datatype", "plaintext");
    assert_xpath(doc, "/tmx/header/@adminlang", "en");
    assert_xpath(doc, "/tmx/header/@o-tmf", "selaras");
    assert_xpath(doc, "count(//tu)", "3");
    assert_xpath(doc, "count(//tu[@srclang='id'])", "3");
    /* the parser gives back exactly the stored text: escaped once, not twice */
    assert_xpath(doc, "//tu[1]/tuv[1]/seg", news[0]);
    assert_xpath(doc, "//tu[1]/tuv[2]/seg", news[1]);
    assert_xpath(doc, "//tu[3]/tuv[2]/seg", news[5]);
    assert_xpath(doc, "//tu[1]/tuv[1]/@xml:lang", "id");
    assert_xpath(doc, "//tu[1]/tuv[2]/@xml:lang", "en");
    assert_xpath(doc, "//tu[2]/prop[@type='x-document']", "a.id.txt");
    assert_xpath(doc, "//tu[2]/prop[@type='x-score']", "0.8750");
    assert_xpath(doc, "//tu[2]/prop[@type='x-bead']", "1-1");
    assert_xpath(doc, "count(//tu[@tuid = preceding::tu/@tuid])", "0");
    char *date = xpath_string(doc, "/tmx/header/@creationdate");
    ck_assert_uint_eq(strlen(date), 16);
    ck_assert(date[8] == 'T' && date[15] == 'Z');
    free(date);
    date = xpath_string(doc, "//tu[1]/@creationdate");
    ck_assert_uint_eq(strlen(date), 16);
    ck_assert(date[8] == 'T' && date[15] == 'Z');
    free(date);
    assert_rules(doc, 3);
    xmlFreeDoc(doc);

    sl_tmx_options opt = {.no_provenance = true};
    ck_assert_int_eq(sl_tmx_export(tm, out_path("bare.tmx"), &opt, &units, &err), SL_OK);
    doc = parse(out_path("bare.tmx"));
    ck_assert(dtd_valid(doc));
    assert_xpath(doc, "count(//prop)", "0");
    xmlFreeDoc(doc);
    sl_tm_close(tm);
}
END_TEST

START_TEST(language_selection)
{
    sl_tm *tm = make_tm("tmx_langs", "id", "en-us", news, 2);
    sl_error err;
    size_t units = 99;
    /* the other direction: the same units, sides swapped */
    sl_tmx_options opt = {.src_lang = "EN_US", .tgt_lang = "id"};
    ck_assert_int_eq(sl_tmx_export(tm, out_path("rev.tmx"), &opt, &units, &err), SL_OK);
    ck_assert_uint_eq(units, 2);
    xmlDocPtr doc = parse(out_path("rev.tmx"));
    ck_assert(dtd_valid(doc));
    assert_rules(doc, 2);
    assert_xpath(doc, "/tmx/header/@srclang", "en-us");
    assert_xpath(doc, "//tu[1]/@srclang", "en-us");
    assert_xpath(doc, "//tu[1]/tuv[1]/@xml:lang", "en-us");
    assert_xpath(doc, "//tu[1]/tuv[1]/seg", news[1]);
    assert_xpath(doc, "//tu[1]/tuv[2]/seg", news[0]);
    xmlFreeDoc(doc);
    opt = (sl_tmx_options){.src_lang = "id", .tgt_lang = "en-us"};
    ck_assert_int_eq(sl_tmx_export(tm, out_path("one.tmx"), &opt, &units, &err), SL_OK);
    ck_assert_uint_eq(units, 2);
    doc = parse(out_path("one.tmx"));
    assert_rules(doc, 2);
    assert_xpath(doc, "//tu[2]/tuv[1]/seg", news[2]);
    xmlFreeDoc(doc);
    /* a pair the TM does not hold: a valid, empty file */
    opt = (sl_tmx_options){.src_lang = "id", .tgt_lang = "fr"};
    ck_assert_int_eq(sl_tmx_export(tm, out_path("none.tmx"), &opt, &units, &err), SL_OK);
    ck_assert_uint_eq(units, 0);
    opt = (sl_tmx_options){.src_lang = "id", .tgt_lang = NULL};
    ck_assert_int_eq(sl_tmx_export(tm, out_path("half.tmx"), &opt, &units, &err), SL_USAGE);
    sl_tm_close(tm);
}
END_TEST

START_TEST(empty_tm_is_valid)
{
    sl_tm *tm = make_tm("tmx_empty", "id", "en", NULL, 0);
    sl_error err;
    size_t units = 99;
    ck_assert_int_eq(sl_tmx_export(tm, out_path("empty.tmx"), NULL, &units, &err), SL_OK);
    ck_assert_uint_eq(units, 0);
    xmlDocPtr doc = parse(out_path("empty.tmx"));
    ck_assert(dtd_valid(doc));
    assert_xpath(doc, "/tmx/header/@srclang", "*all*");
    xmlFreeDoc(doc);
    sl_tm_close(tm);
}
END_TEST

START_TEST(forbidden_characters_refused)
{
    static const char *const bad[] = {
        "Baik.", "Good.",
        "Ada karakter kontrol.", "There is a control character.",
    };
    sl_tm *tm = make_tm("tmx_forbidden", "id", "en", bad, 2);
    /* sl_tm_add refuses such text; a TM written by another tool may hold it */
    ck_assert_int_eq(sqlite3_exec(tm->db,
                                  "UPDATE segments SET text = replace(text, 'karakter', "
                                  "'karakter ' || char(1))",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sl_error err;
    const char *path = out_path("keep.tmx");
    FILE *f = fopen(path, "w");
    fputs("previous export\n", f);
    fclose(f);
    ck_assert_int_eq(sl_tmx_export(tm, path, NULL, NULL, &err), SL_DATA);
    ck_assert_msg(strstr(err.message, "unit 2") && strstr(err.message, "forbids"), "%s",
                  err.message);
    /* the old file is intact and no temporary is left behind */
    f = fopen(path, "r");
    char line[64] = "";
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    fclose(f);
    ck_assert_str_eq(line, "previous export\n");
    ck_assert_int_eq(count_temporaries(), 0);
    sl_tm_close(tm);
}
END_TEST

START_TEST(unwritable_target)
{
    sl_tm *tm = make_tm("tmx_unwritable", "id", "en", news, 1);
    sl_error err;
    ck_assert_int_eq(sl_tmx_export(tm, out_path("no/such/dir.tmx"), NULL, NULL, &err), SL_IO);
    ck_assert_ptr_nonnull(strstr(err.message, "no/such/dir.tmx"));
    sl_tm_close(tm);
}
END_TEST


/* Add one document with explicit beads to tm. */
static void add_doc(sl_tm *tm, const char *name, const char *const *srcs, size_t ns,
                    const char *const *tgts, size_t nt, const sl_bead *beads, size_t nb)
{
    sl_error err;
    sl_sentences *src, *tgt;
    sl__buf st = SL__BUF_INIT, tt = SL__BUF_INIT;
    ck_assert_int_eq(sl_sentences_new(&src, &err), SL_OK);
    ck_assert_int_eq(sl_sentences_new(&tgt, &err), SL_OK);
    for (size_t i = 0; i < ns; i++) {
        ck_assert_int_eq(sl_sentences_append(src, srcs[i], strlen(srcs[i]), false, &err), SL_OK);
        sl__buf_printf(&st, "%s\n", srcs[i]);
    }
    for (size_t i = 0; i < nt; i++) {
        ck_assert_int_eq(sl_sentences_append(tgt, tgts[i], strlen(tgts[i]), false, &err), SL_OK);
        sl__buf_printf(&tt, "%s\n", tgts[i]);
    }
    sl_alignment *al;
    ck_assert_int_eq(sl__alignment_from_beads(beads, nb, &al, &err), SL_OK);
    sl_document doc = {name, "t.txt", "id", "en", sl__buf_cstr(&st), sl__buf_cstr(&tt),
                       st.len, tt.len};
    sl_add_result res;
    ck_assert_msg(sl_tm_add(tm, &doc, src, tgt, al, &res, &err) == SL_OK, "%s", err.message);
    sl_alignment_free(al);
    sl_sentences_free(src);
    sl_sentences_free(tgt);
    sl__buf_free(&st);
    sl__buf_free(&tt);
}

/* Change the TM behind selaras's back, as a foreign or older writer might. */
static void tamper(const char *sql)
{
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(out_path("tm.db"), &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
    sqlite3_close(db);
}

static size_t export_count(sl_tm *tm, const sl_tmx_options *opt, const char *name)
{
    sl_error err;
    size_t units = 99;
    ck_assert_msg(sl_tmx_export(tm, out_path(name), opt, &units, &err) == SL_OK, "%s",
                  err.message);
    xmlDocPtr doc = parse(out_path(name));
    ck_assert(dtd_valid(doc));
    assert_rules(doc, units);
    xmlFreeDoc(doc);
    return units;
}

START_TEST(filters)
{
    sl_tm *tm = make_tm("tmx_filters", "id", "en", news, 3); /* document 1, scores 0.875 */
    static const char *const s2[] = {"Dua kalimat.", "Jadi satu.", "Sendiri.", "Yakin."};
    static const char *const t2[] = {"Two sentences become one.", "Alone.", "Sure."};
    static const sl_bead b2[] = {{0, 2, 0, 1, 0.31}, {2, 1, 1, 1, 0.62}, {3, 1, 2, 1, 0.99}};
    add_doc(tm, "b.id.txt", s2, 4, t2, 3, b2, 3); /* document 2 */
    sl_error err;
    sl_tmx_options opt = {.min_score = 0.6};
    ck_assert_uint_eq(export_count(tm, &opt, "min.tmx"), 5);
    opt = (sl_tmx_options){.min_score = 0.9};
    ck_assert_uint_eq(export_count(tm, &opt, "min9.tmx"), 1);
    opt = (sl_tmx_options){.min_score = 1.5};
    ck_assert_int_eq(sl_tmx_export(tm, out_path("bad.tmx"), &opt, NULL, &err), SL_USAGE);
    opt = (sl_tmx_options){.document = 2};
    ck_assert_uint_eq(export_count(tm, &opt, "doc2.tmx"), 3);
    xmlDocPtr doc = parse(out_path("doc2.tmx"));
    assert_xpath(doc, "//tu[1]/tuv[1]/seg", "Dua kalimat. Jadi satu.");
    assert_xpath(doc, "//tu[1]/prop[@type='x-bead']", "2-1");
    assert_xpath(doc, "//tu[1]/prop[@type='x-score']", "0.3100");
    xmlFreeDoc(doc);
    opt = (sl_tmx_options){.document = 2, .min_score = 0.5};
    ck_assert_uint_eq(export_count(tm, &opt, "doc2min.tmx"), 2);
    /* a unit that a later document repeats belongs to that document too */
    static const char *const s3[] = {"Presiden tiba pukul 10.30 WIB."};
    static const char *const t3[] = {"The president arrived at 10.30 WIB."};
    static const sl_bead b3[] = {{0, 1, 0, 1, 0.5}};
    add_doc(tm, "c.id.txt", s3, 1, t3, 1, b3, 1); /* document 3 */
    opt = (sl_tmx_options){.document = 3};
    ck_assert_uint_eq(export_count(tm, &opt, "doc3.tmx"), 1);
    doc = parse(out_path("doc3.tmx"));
    assert_xpath(doc, "//tu[1]/@tuid", "2");
    assert_xpath(doc, "//tu[1]/prop[@type='x-document']", "a.id.txt");
    assert_xpath(doc, "//tu[1]/prop[@type='x-occurrences']", "2");
    xmlFreeDoc(doc);
    opt = (sl_tmx_options){.document = 7};
    ck_assert_int_eq(sl_tmx_export(tm, out_path("doc7.tmx"), &opt, NULL, &err), SL_NOTFOUND);
    ck_assert_msg(strstr(err.message, "7"), "%s", err.message);
    ck_assert(access(out_path("doc7.tmx"), F_OK) != 0);

    /* --since compares with the units' creation times, set here by hand */
    tamper("UPDATE units SET created_at = '2025-03-01T08:00:00Z' WHERE id <= 3;"
           "UPDATE units SET created_at = '2026-06-15T12:30:00Z' WHERE id > 3");
    opt = (sl_tmx_options){.since = "2026-01-01"};
    ck_assert_uint_eq(export_count(tm, &opt, "since.tmx"), 3);
    doc = parse(out_path("since.tmx"));
    assert_xpath(doc, "//tu[1]/@creationdate", "20260615T123000Z");
    xmlFreeDoc(doc);
    opt = (sl_tmx_options){.since = "20260615T123000Z"};
    ck_assert_uint_eq(export_count(tm, &opt, "since2.tmx"), 3);
    opt = (sl_tmx_options){.since = "2026-06-15T12:30:01Z"};
    ck_assert_uint_eq(export_count(tm, &opt, "since3.tmx"), 0);
    opt = (sl_tmx_options){.since = "2025-01-01"};
    ck_assert_uint_eq(export_count(tm, &opt, "since4.tmx"), 6);
    static const char *const bad_dates[] = {"2026-13-01", "yesterday", "2026-1-1", "20260101T2500Z",
                                            "2026-02-30T24:00:00Z", ""};
    for (size_t i = 0; i < sizeof bad_dates / sizeof *bad_dates; i++) {
        opt = (sl_tmx_options){.since = bad_dates[i]};
        ck_assert_msg(sl_tmx_export(tm, out_path("bad.tmx"), &opt, NULL, &err) == SL_USAGE,
                      "date '%s' accepted", bad_dates[i]);
    }
    char iso[21];
    ck_assert_int_eq(sl_tmx_parse_date("2026-11-24", iso, &err), SL_OK);
    ck_assert_str_eq(iso, "2026-11-24T00:00:00Z");
    ck_assert_int_eq(sl_tmx_parse_date("20261124T171026Z", iso, &err), SL_OK);
    ck_assert_str_eq(iso, "2026-11-24T17:10:26Z");
    ck_assert(access(out_path("bad.tmx"), F_OK) != 0);

    /* swapping sides swaps the bead shape too */
    opt = (sl_tmx_options){.src_lang = "en", .tgt_lang = "id", .document = 2};
    ck_assert_uint_eq(export_count(tm, &opt, "swap.tmx"), 3);
    doc = parse(out_path("swap.tmx"));
    assert_xpath(doc, "//tu[1]/tuv[2]/seg", "Dua kalimat. Jadi satu.");
    assert_xpath(doc, "//tu[1]/prop[@type='x-bead']", "1-2");
    xmlFreeDoc(doc);
    sl_tm_close(tm);
}
END_TEST

/* Export reads the occurrences beside the units: the best score (and its
 * bead), the count and the first document of each unit, and a unit left
 * without occurrences (by an older or foreign writer) with empty props. */
START_TEST(provenance_from_occurrences)
{
    sl_tm *tm = make_tm("tmx_provenance", "id", "en", news, 3); /* units 1-3, 0.875 */
    static const char *const s2[] = {"Presiden tiba pukul 10.30 WIB.", "Lain."};
    static const char *const t2[] = {"The president arrived at 10.30 WIB.", "Other."};
    static const sl_bead low[] = {{0, 1, 0, 1, 0.25}}, high[] = {{0, 1, 0, 1, 0.9375}};
    add_doc(tm, "b.id.txt", s2, 1, t2, 1, low, 1);  /* document 2 */
    add_doc(tm, "c.id.txt", s2, 2, t2, 2, high, 1); /* document 3 (other text) */
    ck_assert_uint_eq(export_count(tm, NULL, "all.tmx"), 3);
    xmlDocPtr doc = parse(out_path("all.tmx"));
    assert_xpath(doc, "//tu[@tuid='2']/prop[@type='x-score']", "0.9375");
    assert_xpath(doc, "//tu[@tuid='2']/prop[@type='x-occurrences']", "3");
    assert_xpath(doc, "//tu[@tuid='2']/prop[@type='x-document']", "a.id.txt");
    assert_xpath(doc, "//tu[@tuid='1']/prop[@type='x-score']", "0.8750");
    assert_xpath(doc, "//tu[@tuid='1']/prop[@type='x-occurrences']", "1");
    xmlFreeDoc(doc);
    sl_tmx_options opt = {.min_score = 0.9};
    ck_assert_uint_eq(export_count(tm, &opt, "best.tmx"), 1);

    tamper("DELETE FROM occurrences WHERE unit = 3");
    ck_assert_uint_eq(export_count(tm, NULL, "orphan.tmx"), 3);
    doc = parse(out_path("orphan.tmx"));
    assert_xpath(doc, "//tu[@tuid='3']/prop[@type='x-occurrences']", "0");
    assert_xpath(doc, "//tu[@tuid='3']/prop[@type='x-score']", "0.0000");
    assert_xpath(doc, "//tu[@tuid='3']/prop[@type='x-document']", "");
    assert_xpath(doc, "//tu[@tuid='2']/prop[@type='x-occurrences']", "3");
    xmlFreeDoc(doc);
    opt = (sl_tmx_options){.min_score = 0.1}; /* no occurrence, no score: left out */
    ck_assert_uint_eq(export_count(tm, &opt, "orphan-min.tmx"), 2);
    /* a language pair keeps the units in order */
    opt = (sl_tmx_options){.src_lang = "en", .tgt_lang = "id"};
    ck_assert_uint_eq(export_count(tm, &opt, "swapped.tmx"), 3);
    doc = parse(out_path("swapped.tmx"));
    assert_xpath(doc, "//tu[1]/@tuid", "1");
    assert_xpath(doc, "//tu[3]/@tuid", "3");
    xmlFreeDoc(doc);
    sl_tm_close(tm);
}
END_TEST

START_TEST(text_cleaned_not_escaped_twice)
{
    static const char *const pairs[] = {
        "Tom &amp; Jerry &lt;b&gt; tiba.", "Tom &amp; Jerry &lt;b&gt; arrived.",
        "Kafe baru.", "A new cafe.",
        "Tanpa spasi.", "No spaces.",
    };
    sl_tm *tm = make_tm("tmx_clean", "id", "en", pairs, 3);
    /* what a foreign writer might leave: decomposed accents, padding, odd tags */
    tamper("UPDATE segments SET text = 'Kafe' || char(101, 769) || ' baru.' WHERE text = 'Kafe baru.';"
           "UPDATE segments SET text = char(160) || '  No spaces. ' || char(9) WHERE text = 'No spaces.';"
           "UPDATE segments SET lang = 'EN_us' WHERE lang = 'en'");
    sl_tmx_options opt = {.src_lang = NULL};
    ck_assert_uint_eq(export_count(tm, &opt, "clean.tmx"), 3);
    xmlDocPtr doc = parse(out_path("clean.tmx"));
    ck_assert(dtd_valid(doc));
    /* the stored entity-like text comes back verbatim: escaped once, by the writer */
    assert_xpath(doc, "//tu[1]/tuv[1]/seg", pairs[0]);
    assert_xpath(doc, "//tu[1]/tuv[2]/seg", pairs[1]);
    assert_xpath(doc, "//tu[2]/tuv[1]/seg", "Kafe\xc3\xa9 baru.");
    assert_xpath(doc, "//tu[3]/tuv[2]/seg", "No spaces.");
    assert_xpath(doc, "//tu[3]/tuv[2]/@xml:lang", "en-us");
    xmlFreeDoc(doc);
    FILE *f = fopen(out_path("clean.tmx"), "r");
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "Tom &amp;amp; Jerry &amp;lt;b&amp;gt; tiba."));
    sl_tm_close(tm);
}
END_TEST

START_TEST(sanitize_drops_and_counts)
{
    static const char *const clean[] = {
        "Baik.", "Good.",
        "Ada karakter kontrol.", "There is a control character.",
        "Kosong.", "Only a control character on the other side.",
    };
    sl_tm *tm = make_tm("tmx_sanitize", "id", "en", clean, 3);
    /* sl_tm_add refuses control characters; a TM written by another tool may hold them */
    ck_assert_int_eq(
        sqlite3_exec(tm->db,
                     "UPDATE segments SET text = 'Ada ' || char(1) || 'karakter ' || char(27) ||"
                     " ' kontrol.' WHERE text = 'Ada karakter kontrol.';"
                     "UPDATE segments SET text = 'There is a control' || char(127, 2) ||"
                     " ' character.' WHERE text = 'There is a control character.';"
                     "UPDATE segments SET text = char(1, 2) WHERE text = 'Kosong.'",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sl_error err;
    sl_tmx_report rep;
    ck_assert_int_eq(sl_tmx_export_report(tm, out_path("s.tmx"), NULL, &rep, &err), SL_DATA);
    ck_assert_msg(strstr(err.message, "unit 2") && strstr(err.message, "--sanitize"), "%s",
                  err.message);
    ck_assert(access(out_path("s.tmx"), F_OK) != 0);
    sl_tmx_options opt = {.sanitize = true};
    ck_assert_int_eq(sl_tmx_export_report(tm, out_path("s.tmx"), &opt, &rep, &err), SL_OK);
    ck_assert_uint_eq(rep.units, 2);
    ck_assert_uint_eq(rep.chars_dropped, 5); /* \x01 \x1b \x02 in unit 2, two in unit 3; DEL is allowed */
    ck_assert_uint_eq(rep.units_sanitized, 2);
    ck_assert_uint_eq(rep.units_skipped, 1);
    xmlDocPtr doc = parse(out_path("s.tmx"));
    ck_assert(dtd_valid(doc));
    assert_rules(doc, 2);
    assert_xpath(doc, "//tu[2]/tuv[1]/seg", "Ada karakter  kontrol.");
    assert_xpath(doc, "//tu[2]/tuv[2]/seg", "There is a control\x7f character.");
    xmlFreeDoc(doc);
    sl_tm_close(tm);
}
END_TEST

START_TEST(failure_midway_leaves_nothing)
{
    sl_tm *tm = make_tm("tmx_midway", "id", "en", news, 3);
    sl_error err;
    const char *path = out_path("mid.tmx");
    sl__tmx_fail_at_unit = 2;
    ck_assert_int_eq(sl_tmx_export(tm, path, NULL, NULL, &err), SL_IO);
    sl__tmx_fail_at_unit = 0;
    ck_assert_msg(strstr(err.message, "mid.tmx") && strstr(err.message, "unit 2"), "%s",
                  err.message);
    ck_assert(access(path, F_OK) != 0);
    ck_assert_int_eq(count_temporaries(), 0);
    /* an earlier complete export under the same name survives a failed one */
    ck_assert_int_eq(sl_tmx_export(tm, path, NULL, NULL, &err), SL_OK);
    sl__tmx_fail_at_unit = 3;
    ck_assert_int_eq(sl_tmx_export(tm, path, NULL, NULL, &err), SL_IO);
    sl__tmx_fail_at_unit = 0;
    ck_assert_int_eq(count_temporaries(), 0);
    xmlDocPtr doc = parse(path);
    assert_rules(doc, 3);
    xmlFreeDoc(doc);
    sl_tm_close(tm);
}
END_TEST

static Suite *tmx_suite(void)
{
    Suite *s = suite_create("tmx");
    TCase *tc = tcase_create("export");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, valid_and_escaped);
    tcase_add_test(tc, language_selection);
    tcase_add_test(tc, empty_tm_is_valid);
    tcase_add_test(tc, forbidden_characters_refused);
    tcase_add_test(tc, unwritable_target);
    tcase_add_test(tc, checker_catches_broken_files);
    tcase_add_test(tc, filters);
    tcase_add_test(tc, provenance_from_occurrences);
    tcase_add_test(tc, text_cleaned_not_escaped_twice);
    tcase_add_test(tc, sanitize_drops_and_counts);
    tcase_add_test(tc, failure_midway_leaves_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run(tmx_suite());
}

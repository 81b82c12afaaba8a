/* Unit tests for TMX export: validity against the TMX 1.4b DTD, escaping,
 * header and unit attributes, refusal of characters XML forbids, and the
 * write-to-temporary-then-rename guarantee. */
#include "check_run.h"
#include "internal.h"
#include "tm-internal.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/valid.h>
#include <libxml/xpath.h>

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
    xmlFreeDoc(doc);

    sl_tmx_options opt = {NULL, NULL, true};
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
    sl_tmx_options opt = {"en-us", "id", false};
    ck_assert_int_eq(sl_tmx_export(tm, out_path("rev.tmx"), &opt, &units, &err), SL_OK);
    ck_assert_uint_eq(units, 0);
    xmlDocPtr doc = parse(out_path("rev.tmx"));
    ck_assert(dtd_valid(doc));
    assert_xpath(doc, "/tmx/header/@srclang", "en-us");
    xmlFreeDoc(doc);
    opt = (sl_tmx_options){"id", "en-us", false};
    ck_assert_int_eq(sl_tmx_export(tm, out_path("one.tmx"), &opt, &units, &err), SL_OK);
    ck_assert_uint_eq(units, 2);
    opt = (sl_tmx_options){"id", NULL, false};
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
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run(tmx_suite());
}

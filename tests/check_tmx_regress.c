/* Regression tests for fuzz-tmx findings, each input inline.
 *
 * Finding (fuzz-tmx, 600 s run): a tu whose creationdate or changedate has
 * the TMX shape but impossible fields ("20240052T081500Z": month 00, day
 * 52) was accepted by the import, which checked only the digits, and
 * stored; the export checks the fields too and silently left the date out.
 * A creationdate was then replaced by the time of the next import, so
 * export -> import -> export changed the unit; a changedate was just lost.
 * Fixed: the import applies the export's date check (a bad unit).
 *
 * Found by the hardening audit: a tu with 300,000 attributes kept the import
 * busy for minutes (libxml2 compares a tag's attributes pair by pair, then
 * appends each to a list); an encoding such as UTF-7 hides such a tag from a
 * scan of the bytes.  Fixed: the reader scans the input as libxml2 reads it
 * and refuses a tag with more than 256 attributes, and encodings in which
 * ASCII bytes are not the ASCII characters. */
#include "check_run.h"
#include <selaras/selaras.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEAD                                                                                 \
    "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header creationtool=\"t\" "            \
    "creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" "          \
    "srclang=\"id\" datatype=\"plaintext\"/>\n<body>\n"
#define PAIR                                                                                 \
    "<tuv xml:lang=\"id\"><seg>Hujan turun.</seg></tuv>"                                     \
    "<tuv xml:lang=\"en\"><seg>It rained.</seg></tuv></tu>\n"
#define TAIL "</body></tmx>\n"

static char paths[6][4300];

static const char *at(const char *dir, int k, const char *name)
{
    snprintf(paths[k], sizeof paths[k], "%s/%s", dir, name);
    return paths[k];
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs(text, f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
}

/* The value of attribute attr of the first <tu> of a file, or "" when the
 * tu has none; out holds 64 bytes. */
static void tu_attr(const char *path, const char *attr, char out[64])
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        char *tu = strstr(line, "<tu ");
        if (!tu)
            continue;
        char key[64];
        snprintf(key, sizeof key, " %s=\"", attr);
        char *v = strstr(tu, key);
        char *end = strchr(tu, '>');
        if (v && end && v < end) {
            v += strlen(key);
            size_t n = strcspn(v, "\"");
            snprintf(out, 64, "%.*s", (int)(n < 63 ? n : 63), v);
        }
        break;
    }
    fclose(f);
}

static sl_tm *fresh_tm(const char *path)
{
    unlink(path);
    sl_tm *tm = NULL;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_msg(sl_tm_open(path, SL_TM_CREATE, &tm, &err) == SL_OK, "%s", err.message);
    return tm;
}

/* Import in into a fresh TM at db and export it to out; false when the
 * import refused the file (its message must then name attr). */
static bool import_export(const char *in, const char *db, const char *out, const char *attr)
{
    sl_tm *tm = fresh_tm(db);
    sl_error err;
    sl_error_clear(&err);
    sl_import_result res;
    sl_status st = sl_tmx_import(tm, in, NULL, NULL, NULL, &res, &err);
    if (st != SL_OK) {
        sl_tm_close(tm);
        ck_assert_msg(strstr(err.message, attr) != NULL, "refused for another reason: %s",
                      err.message);
        return false;
    }
    size_t n = 0;
    st = sl_tmx_export(tm, out, NULL, &n, &err);
    sl_tm_close(tm);
    ck_assert_msg(st == SL_OK, "%s", err.message);
    ck_assert_uint_eq(n, 1);
    return true;
}

/* Whatever the fix: either the import refuses the date, or export, import
 * and export again give the unit the same creationdate. */
START_TEST(test_creationdate_round_trip)
{
    const char *dir = sl_test_tmpdir("tmx-regress-created");
    const char *in = at(dir, 0, "in.tmx");
    put(in, HEAD "<tu creationdate=\"20240052T081500Z\">" PAIR TAIL);
    if (!import_export(in, at(dir, 1, "a.db"), at(dir, 2, "a.tmx"), "creationdate"))
        return;
    ck_assert(import_export(paths[2], at(dir, 3, "b.db"), at(dir, 4, "b.tmx"), "creationdate"));
    char first[64], second[64];
    tu_attr(paths[2], "creationdate", first);
    tu_attr(paths[4], "creationdate", second);
    ck_assert_msg(strcmp(first, second) == 0,
                  "creationdate '%s' in the first export, '%s' after the round trip", first,
                  second);
}
END_TEST

/* The proposed fix: the reader checks the fields as the export does, so
 * such a date makes a bad unit, exactly like "2024-01-05" does now. */
START_TEST(test_impossible_dates_refused)
{
    const char *dir = sl_test_tmpdir("tmx-regress-refused");
    static const char *const cases[][2] = {
        {HEAD "<tu creationdate=\"20240052T081500Z\">" PAIR TAIL,
         "creationdate '20240052T081500Z' is not a TMX date"},
        {HEAD "<tu changedate=\"20241301T000000Z\">" PAIR TAIL,
         "changedate '20241301T000000Z' is not a TMX date"},
        {HEAD "<tu creationdate=\"20240105T250000Z\">" PAIR TAIL,
         "creationdate '20240105T250000Z' is not a TMX date"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *in = at(dir, 0, "in.tmx");
        put(in, cases[i][0]);
        sl_tm *tm = fresh_tm(at(dir, 1, "t.db"));
        sl_error err;
        sl_error_clear(&err);
        sl_import_result res;
        sl_status st = sl_tmx_import(tm, in, NULL, NULL, NULL, &res, &err);
        sl_tm_stats stats;
        sl_error e2;
        sl_error_clear(&e2);
        ck_assert_int_eq(sl_tm_get_stats(tm, &stats, &e2), SL_OK);
        sl_tm_close(tm);
        ck_assert_msg(st == SL_DATA, "case %zu: the import accepted the date", i);
        ck_assert_msg(strstr(err.message, cases[i][1]) != NULL, "case %zu: message '%s'", i,
                      err.message);
        ck_assert_int_eq(stats.units, 0);
    }
}
END_TEST

/* Imports text (n bytes) into a fresh TM; the status, err and the units. */
static sl_status import_text(const char *dir, const char *text, size_t n, sl_error *err,
                             long long *units)
{
    const char *in = at(dir, 0, "in.tmx");
    FILE *f = fopen(in, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
    sl_tm *tm = fresh_tm(at(dir, 1, "t.db"));
    sl_error_clear(err);
    sl_import_result res;
    sl_status st = sl_tmx_import(tm, in, NULL, NULL, NULL, &res, err);
    sl_tm_stats stats;
    sl_error e2;
    sl_error_clear(&e2);
    ck_assert_int_eq(sl_tm_get_stats(tm, &stats, &e2), SL_OK);
    sl_tm_close(tm);
    *units = stats.units;
    return st;
}

/* "<tu a0="x" a1="x" ... >" with n attributes, malloc'ed */
static char *flood_tu(int n)
{
    size_t cap = (size_t)n * 16 + 16;
    char *tu = malloc(cap);
    ck_assert_ptr_nonnull(tu);
    size_t len = (size_t)snprintf(tu, cap, "<tu");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(tu + len, cap - len, " a%d=\"x\"", i);
    snprintf(tu + len, cap - len, ">");
    return tu;
}

START_TEST(test_attribute_flood_refused)
{
    const char *dir = sl_test_tmpdir("tmx-regress-attrs");
    char *tu = flood_tu(300000);
    size_t cap = strlen(tu) + 1024;
    char *doc = malloc(cap);
    ck_assert_ptr_nonnull(doc);
    int n = snprintf(doc, cap, "%s%s%s%s", HEAD, tu, PAIR, TAIL);
    sl_error err;
    long long units;
    sl_status st = import_text(dir, doc, (size_t)n, &err, &units);
    free(tu);
    free(doc);
    ck_assert_int_eq(st, SL_DATA);
    ck_assert_msg(strstr(err.message, "in.tmx:4: an element with more than 256 attributes") != NULL,
                  "message '%s'", err.message);
    ck_assert_int_eq(units, 0);
}
END_TEST

/* 256 attributes pass, and '=' in values, comments, CDATA, processing
 * instructions and the DOCTYPE is no attribute. */
START_TEST(test_attribute_limit_counts_attributes_only)
{
    const char *dir = sl_test_tmpdir("tmx-regress-attrs-ok");
    char eq[1001];
    memset(eq, '=', 1000);
    eq[1000] = '\0';
    char *tu = flood_tu(256);
    size_t cap = strlen(tu) + 16384;
    char *doc = malloc(cap);
    ck_assert_ptr_nonnull(doc);
    int n = snprintf(doc, cap,
                     "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\" [ <!-- ' > \"%s "
                     "--> <?pi a=\"b\" %s ?> <!ATTLIST tu x CDATA \"]>%s\"> ]>\n<!-- <a %s -->\n"
                     "<?pi <a %s ?>\n%s%s<tuv xml:lang=\"id\"><seg><![CDATA[<a %s]]> &lt;b %s&gt;"
                     "</seg></tuv><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>\n<tu tuid=\"%s\">" PAIR
                     TAIL,
                     eq, eq, eq, eq, eq, HEAD + sizeof "<?xml version=\"1.0\"?>\n" - 1, tu, eq, eq, eq);
    ck_assert_int_lt(n, (int)cap);
    sl_error err;
    long long units;
    sl_status st = import_text(dir, doc, (size_t)n, &err, &units);
    free(tu);
    free(doc);
    ck_assert_msg(st == SL_OK, "%s", err.message);
    ck_assert_int_eq(units, 2);
}
END_TEST

START_TEST(test_hiding_encodings_refused)
{
    const char *dir = sl_test_tmpdir("tmx-regress-encodings");
    sl_error err;
    long long units;
    /* UTF-7 writes '=' as "+AD0-": the attributes would pass unseen */
    static const char utf7[] = "<?xml version=\"1.0\" encoding=\"utf-7\"?>\n<tmx version+AD0-\"1.4\"/>\n";
    ck_assert_int_eq(import_text(dir, utf7, sizeof utf7 - 1, &err, &units), SL_DATA);
    ck_assert_msg(strstr(err.message, "in.tmx:1: the encoding 'utf-7' is not supported (save the "
                                      "TMX as UTF-8)") != NULL, "message '%s'", err.message);
    /* EBCDIC, told by its first bytes: "<?xm" */
    static const char ebcdic[] = "\x4C\x6F\xA7\x94\x93\x40";
    ck_assert_int_eq(import_text(dir, ebcdic, sizeof ebcdic - 1, &err, &units), SL_DATA);
    ck_assert_msg(strstr(err.message, "the encoding 'EBCDIC' is not supported") != NULL,
                  "message '%s'", err.message);
    /* a declaration padded past 1 KB would hide its encoding */
    char pad[1500];
    int n = snprintf(pad, sizeof pad, "<?xml version=\"1.0\"%*s encoding=\"UTF-7\"?>\n<tmx/>\n",
                     1200, "");
    ck_assert_int_eq(import_text(dir, pad, (size_t)n, &err, &units), SL_DATA);
    ck_assert_msg(strstr(err.message, "an XML declaration longer than 1023 bytes") != NULL,
                  "message '%s'", err.message);
    /* the usual 8-bit names still pass */
    static const char latin1[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<tmx version=\"1.4\">"
        "<header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" "
        "adminlang=\"en\" srclang=\"id\" datatype=\"plaintext\"/>\n<body>\n<tu>" PAIR TAIL;
    ck_assert_int_eq(import_text(dir, latin1, sizeof latin1 - 1, &err, &units), SL_OK);
    ck_assert_int_eq(units, 1);
}
END_TEST

static Suite *tmx_regress_suite(void)
{
    Suite *s = suite_create("tmx-regress");
    TCase *tc = tcase_create("fuzz findings");
    tcase_add_test(tc, test_creationdate_round_trip);
    tcase_add_test(tc, test_impossible_dates_refused);
    suite_add_tcase(s, tc);
    TCase *audit = tcase_create("audit findings");
    /* before the fix the flood ran for minutes: the timeout is the test */
    tcase_set_timeout(audit, 30);
    tcase_add_test(audit, test_attribute_flood_refused);
    tcase_add_test(audit, test_attribute_limit_counts_attributes_only);
    tcase_add_test(audit, test_hiding_encodings_refused);
    suite_add_tcase(s, audit);
    return s;
}

int main(void)
{
    return sl_test_run(tmx_regress_suite());
}

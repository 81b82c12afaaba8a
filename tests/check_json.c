#include "check_run.h"
#include <selaras/selaras.h>
#include <locale.h>
#include <string.h>

/* Parse a NUL-terminated text; returns the tree (the test frees it). */
static sl_json *ok(const char *text)
{
    sl_json *v = NULL;
    sl_error err;
    sl_error_clear(&err);
    sl_status s = sl_json_parse(text, strlen(text), &v, &err);
    ck_assert_msg(s == SL_OK, "'%s' should parse: %s", text, sl_error_message(&err));
    ck_assert_ptr_nonnull(v);
    return v;
}

/* Expect a refusal whose message contains want. */
static void refused_n(const char *text, size_t len, const char *want)
{
    sl_json *v = (sl_json *)1;
    sl_error err;
    sl_error_clear(&err);
    sl_status s = sl_json_parse(text, len, &v, &err);
    ck_assert_msg(s == SL_DATA, "'%s' should be refused", text);
    ck_assert_ptr_null(v);
    ck_assert_msg(strstr(sl_error_message(&err), want), "'%s': message '%s' lacks '%s'", text,
                  sl_error_message(&err), want);
}

static void refused(const char *text, const char *want)
{
    refused_n(text, strlen(text), want);
}

/* The decoded string of a one-string document. */
static void string_is(const char *json, const char *want, size_t want_len)
{
    sl_json *v = ok(json);
    size_t len = 0;
    const char *s = sl_json_string(v, &len);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(len, want_len);
    ck_assert_msg(memcmp(s, want, len) == 0, "%s decodes wrongly", json);
    ck_assert_int_eq(s[len], '\0');
    sl_json_free(v);
}

START_TEST(test_object)
{
    sl_json *v = ok(" {\"id\":\"doc-1\", \"src\" : \"Halo.\",\"n\":[1, -2.5e3, true, false, null],"
                    "\"o\":{}}\r\n");
    ck_assert_int_eq(sl_json_kind(v), SL_JSON_OBJECT);
    ck_assert_uint_eq(sl_json_size(v), 4);
    size_t klen;
    ck_assert_str_eq(sl_json_key(v, 1, &klen), "src");
    ck_assert_uint_eq(klen, 3);
    ck_assert_str_eq(sl_json_string(sl_json_get(v, "id"), NULL), "doc-1");
    ck_assert_ptr_null(sl_json_get(v, "tgt"));
    ck_assert_ptr_null(sl_json_string(sl_json_get(v, "n"), NULL));
    const sl_json *n = sl_json_get(v, "n");
    ck_assert_int_eq(sl_json_kind(n), SL_JSON_ARRAY);
    ck_assert_uint_eq(sl_json_size(n), 5);
    double d = 0;
    ck_assert(sl_json_number(sl_json_item(n, 0), &d));
    ck_assert(d == 1.0);
    ck_assert(sl_json_number(sl_json_item(n, 1), &d));
    ck_assert(d == -2500.0);
    ck_assert(!sl_json_number(sl_json_item(n, 2), &d));
    ck_assert_int_eq(sl_json_kind(sl_json_item(n, 2)), SL_JSON_TRUE);
    ck_assert_int_eq(sl_json_kind(sl_json_item(n, 3)), SL_JSON_FALSE);
    ck_assert_int_eq(sl_json_kind(sl_json_item(n, 4)), SL_JSON_NULL);
    ck_assert_ptr_null(sl_json_item(n, 5));
    ck_assert_int_eq(sl_json_kind(sl_json_get(v, "o")), SL_JSON_OBJECT);
    ck_assert_uint_eq(sl_json_size(sl_json_get(v, "o")), 0);
    sl_json_free(v);
}
END_TEST

START_TEST(test_scalars)
{
    const char *good[] = {"0", "-0", "0.5", "1e5", "1E+5", "12.25e-2", "\"\"", "[]", "[[]]",
                          "true", "null", " \t\n 7 \n"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        sl_json_free(ok(good[i]));
    sl_json *v = ok("12.25e-2");
    double d;
    ck_assert(sl_json_number(v, &d));
    ck_assert(d > 0.12249 && d < 0.12251);
    sl_json_free(v);
    /* out of range */
    v = ok("1e999");
    ck_assert(!sl_json_number(v, &d));
    sl_json_free(v);
}
END_TEST

START_TEST(test_number_in_other_locale)
{
    /* A program in a locale with a decimal comma still reads 0.5 as 0.5. */
    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
        return; /* no such locale installed: nothing to prove */
    sl_json *v = ok("0.5");
    double d = 0;
    ck_assert(sl_json_number(v, &d));
    ck_assert(d == 0.5);
    sl_json_free(v);
    setlocale(LC_NUMERIC, "C");
}
END_TEST

START_TEST(test_escapes)
{
    string_is("\"a\\\"b\\\\c\\/d\"", "a\"b\\c/d", 7);
    string_is("\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t", 5);
    string_is("\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac", 6);
    /* U+1F600 as a surrogate pair, upper and lower case hex */
    string_is("\"\\uD83D\\uDE00\"", "\xf0\x9f\x98\x80", 4);
    string_is("\"x\\ud83d\\ude00y\"", "x\xf0\x9f\x98\x80y", 6);
    /* the last code point, U+10FFFF */
    string_is("\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf", 4);
    /* \u0000 is allowed and kept, the length tells */
    string_is("\"a\\u0000b\"", "a\0b", 3);
    /* raw UTF-8 passes through */
    string_is("\"Kim Jong Un \xe2\x80\x9c" "makna\xe2\x80\x9d\"",
              "Kim Jong Un \xe2\x80\x9cmakna\xe2\x80\x9d", 23);
}
END_TEST

START_TEST(test_bad_escapes)
{
    refused("\"\\x41\"", "column 2: invalid escape");
    refused("\"\\u12\"", "four hexadecimal digits");
    refused("\"\\u12G4\"", "four hexadecimal digits");
    refused("\"\\uD83D\"", "column 2: high surrogate");
    refused("\"\\uD83Dx\"", "high surrogate");
    refused("\"\\uD83D\\u0041\"", "high surrogate");
    refused("\"\\uD83D\\uD83D\"", "high surrogate");
    refused("\"\\uDE00\"", "column 2: lone low surrogate");
    refused("\"\\uDE00\\uD83D\"", "lone low surrogate");
    refused("\"abc\\", "unterminated string");
    refused("\"abc", "unterminated string");
    refused("\"tab\there\"", "control character U+0009");
    refused("\"line\nbreak\"", "control character U+000A");
    refused_n("\"a\0b\"", 5, "control character U+0000");
}
END_TEST

START_TEST(test_invalid_utf8)
{
    refused("\"\xff\"", "column 2: invalid UTF-8 (byte 0xff)");
    refused("\"\xc3\"", "invalid UTF-8");          /* truncated */
    refused("\"\xc0\xaf\"", "invalid UTF-8");      /* overlong '/' */
    refused("\"\xe0\x80\xaf\"", "invalid UTF-8");  /* overlong, 3 bytes */
    refused("\"\xed\xa0\x80\"", "invalid UTF-8");  /* an encoded surrogate */
    refused("\"\xf4\x90\x80\x80\"", "invalid UTF-8"); /* beyond U+10FFFF */
    refused("\"a\x80\"", "column 3: invalid UTF-8");  /* a lone continuation byte */
    refused("\xc3\xa9", "unexpected byte 0xc3");   /* outside a string */
}
END_TEST

START_TEST(test_malformed)
{
    refused("", "unexpected end of input");
    refused("   ", "unexpected end of input");
    refused("{", "expected a string key");
    refused("{\"a\"}", "expected ':' after a key");
    refused("{\"a\":}", "column 6: unexpected '}', expected a value");
    refused("{\"a\":1,}", "trailing comma");
    refused("[1,]", "trailing comma");
    refused("[1 2]", "expected ',' or ']'");
    refused("{\"a\":1 \"b\":2}", "expected ',' or '}'");
    refused("{'a':1}", "expected a string key");
    refused("{a:1}", "expected a string key");
    refused("{\"a\":1,\"a\":2}", "column 8: duplicate key");
    refused("{\"a\":1} x", "column 9: unexpected 'x', expected the end");
    refused("{\"a\":1}{}", "expected the end");
    refused("01", "leading zero");
    refused("-", "expected a digit");
    refused("1.", "digit after the decimal point");
    refused(".5", "expected a value");
    refused("1e", "digit in the exponent");
    refused("+1", "expected a value");
    refused("NaN", "expected a value");
    refused("Infinity", "expected a value");
    refused("tru", "expected a value");
    refused("nul", "expected a value");
    refused("// c\n1", "expected a value");
    refused("[1] // c", "expected the end");
    refused("\"a\" \"b\"", "expected the end");
}
END_TEST

START_TEST(test_depth)
{
    char deep[600];
    memset(deep, '[', 256);
    memset(deep + 256, ']', 256);
    sl_json_free(ok((deep[512] = '\0', deep)));
    memset(deep, '[', 257);
    memset(deep + 257, ']', 257);
    deep[514] = '\0';
    refused(deep, "nesting deeper than 256 levels");
}
END_TEST

START_TEST(test_api_edges)
{
    sl_error err;
    sl_json *v = NULL;
    ck_assert_int_eq(sl_json_parse(NULL, 0, NULL, &err), SL_USAGE);
    ck_assert_int_eq(sl_json_parse(NULL, 3, &v, &err), SL_USAGE);
    ck_assert_int_eq(sl_json_parse("[1]", 2, &v, &err), SL_DATA); /* the length counts */
    ck_assert_int_eq(sl_json_parse("\xef\xbb\xbf{}", 5, &v, &err), SL_OK);
    sl_json_free(v);
    ck_assert_int_eq(sl_json_kind(NULL), SL_JSON_NULL);
    ck_assert_ptr_null(sl_json_get(NULL, "a"));
    ck_assert_uint_eq(sl_json_size(NULL), 0);
    ck_assert_ptr_null(sl_json_key(NULL, 0, NULL));
    sl_json_free(NULL);
}
END_TEST

static Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, test_object);
    tcase_add_test(tc, test_scalars);
    tcase_add_test(tc, test_number_in_other_locale);
    tcase_add_test(tc, test_escapes);
    tcase_add_test(tc, test_bad_escapes);
    tcase_add_test(tc, test_invalid_utf8);
    tcase_add_test(tc, test_malformed);
    tcase_add_test(tc, test_depth);
    tcase_add_test(tc, test_api_edges);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run(json_suite());
}

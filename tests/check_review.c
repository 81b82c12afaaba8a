/* Unit tests for the review page: escaping, one row per bead with its shape,
 * score and highlighting, the summary, option checks, and the rows rebuilt
 * from a TM document with and without its files. */
#include "check_run.h"
#include "internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static sl_sentences *sents(const char *const *v, size_t n)
{
    sl_error err;
    sl_sentences *s;
    ck_assert_int_eq(sl_sentences_new(&s, &err), SL_OK);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(sl_sentences_append(s, v[i], strlen(v[i]), i == 2, &err), SL_OK);
    return s;
}

/* The page for a review, as a malloc'd string. */
static char *page(const sl_review *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sl_error err;
    ck_assert_msg(sl_review_write(r, f, "memory", &err) == SL_OK, "%s", err.message);
    fclose(f);
    return buf;
}

START_TEST(rows_shapes_and_escaping)
{
    static const char *const src[] = {"Harga <b>naik</b> & \"turun\".", "Itu 'benar'.",
                                       "Tambahan \x01 saja.", "Akhir."};
    static const char *const tgt[] = {"Prices <b>rose</b> & \"fell\", it's true.", "The end."};
    sl_sentences *s = sents(src, 4), *t = sents(tgt, 2);
    static const sl_bead beads[] = {
        {0, 2, 0, 1, 0.25}, {2, 1, 1, 0, 0.0}, {3, 1, 1, 1, 0.75}};
    sl_alignment *al;
    sl_error err;
    ck_assert_int_eq(sl__alignment_from_beads(beads, 3, &al, &err), SL_OK);
    sl_review_options opt = sl_review_defaults();
    ck_assert(opt.low_score == SL_REVIEW_LOW_SCORE);
    opt.title = "Review <of> & test";
    opt.src_lang = "id";
    opt.tgt_lang = "en";
    sl_review *r;
    ck_assert_int_eq(sl_review_new(&opt, &r, &err), SL_OK);
    ck_assert_int_eq(sl_review_add_alignment(r, s, t, al, &err), SL_OK);
    char *html = page(r);
    /* nothing from the input reaches the page unescaped */
    ck_assert_ptr_null(strstr(html, "<b>"));
    ck_assert_ptr_nonnull(strstr(html, "Harga &lt;b&gt;naik&lt;/b&gt; &amp; &quot;turun&quot;."));
    ck_assert_ptr_nonnull(strstr(html, "Itu &#39;benar&#39;."));
    ck_assert_ptr_nonnull(strstr(html, "Tambahan \xef\xbf\xbd saja."));
    ck_assert_ptr_nonnull(strstr(html, "<title>Review &lt;of&gt; &amp; test</title>"));
    /* one row per bead, with its shape, score and class */
    ck_assert_uint_eq(count(html, "<tr class=\"bead"), 3);
    ck_assert_ptr_nonnull(strstr(html, "<tr class=\"bead low\" id=\"b0\" data-shape=\"2-1\" "
                                       "data-src=\"0,1\" data-tgt=\"0\">"));
    ck_assert_ptr_nonnull(strstr(html, "<tr class=\"bead unpaired\" id=\"b1\" data-shape=\"1-0\" "
                                       "data-src=\"2\" data-tgt=\"\">"));
    ck_assert_ptr_nonnull(strstr(html, "<tr class=\"bead\" id=\"b2\" data-shape=\"1-1\""));
    ck_assert_ptr_nonnull(strstr(html, "<td class=\"score\">0.2500</td>"));
    /* the paragraph that starts at sentence 2 */
    ck_assert_ptr_nonnull(strstr(html, "<span class=\"sent par\" data-i=\"2\">"));
    ck_assert_uint_eq(count(html, "class=\"sent par\""), 1);
    /* summary: counts per shape, a histogram holding the two paired beads */
    ck_assert_ptr_nonnull(strstr(html, "<tr data-shape=\"2-1\"><td>2-1</td><td class=\"count\">1</td>"));
    ck_assert_ptr_nonnull(strstr(html, "<tr data-shape=\"1-0\"><td>1-0</td><td class=\"count\">1</td>"));
    ck_assert_ptr_null(strstr(html, "data-shape=\"0-1\"><td>"));
    ck_assert_ptr_nonnull(strstr(html, "data-bin=\"2\" data-count=\"1\""));
    ck_assert_ptr_nonnull(strstr(html, "data-bin=\"7\" data-count=\"1\""));
    ck_assert_uint_eq(count(html, "class=\"bin\""), 10);
    /* self-contained */
    ck_assert_ptr_null(strstr(html, "<script"));
    ck_assert_ptr_null(strstr(html, " src="));
    ck_assert_ptr_null(strstr(html, "href="));
    free(html);
    sl_review_free(r);

    /* a lower threshold: the 2-1 bead is no longer highlighted */
    opt.low_score = 0.2;
    ck_assert_int_eq(sl_review_new(&opt, &r, &err), SL_OK);
    ck_assert_int_eq(sl_review_add_alignment(r, s, t, al, &err), SL_OK);
    html = page(r);
    ck_assert_uint_eq(count(html, "<tr class=\"bead low\""), 0);
    free(html);
    sl_review_free(r);

    opt.low_score = 1.5;
    ck_assert_int_eq(sl_review_new(&opt, &r, &err), SL_USAGE);
    ck_assert_ptr_null(r);
    sl_alignment_free(al);
    sl_sentences_free(s);
    sl_sentences_free(t);
}
END_TEST

START_TEST(empty_alignment)
{
    sl_review *r;
    sl_error err;
    ck_assert_int_eq(sl_review_new(NULL, &r, &err), SL_OK);
    char *html = page(r);
    ck_assert_ptr_nonnull(strstr(html, "0 beads"));
    ck_assert_ptr_nonnull(strstr(html, "</html>"));
    free(html);
    sl_review_free(r);
}
END_TEST

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(tm_document)
{
    const char *dir = sl_test_tmpdir("review_tm");
    char db[4200], sp[4200], tp[4200];
    snprintf(db, sizeof db, "%s/tm.db", dir);
    snprintf(sp, sizeof sp, "%s/a.id.txt", dir);
    snprintf(tp, sizeof tp, "%s/a.en.txt", dir);
    static const char src_text[] = "Satu.\nEkstra <i>.\nDua.\n", tgt_text[] = "One.\nTwo.\n";
    write_file(sp, src_text);
    write_file(tp, tgt_text);
    sl_error err;
    sl_sentences *s, *t;
    ck_assert_int_eq(sl_sentences_from_lines(src_text, strlen(src_text), &s, &err), SL_OK);
    ck_assert_int_eq(sl_sentences_from_lines(tgt_text, strlen(tgt_text), &t, &err), SL_OK);
    static const sl_bead beads[] = {{0, 1, 0, 1, 0.9}, {1, 1, 1, 0, 0}, {2, 1, 1, 1, 0.8}};
    sl_alignment *al;
    ck_assert_int_eq(sl__alignment_from_beads(beads, 3, &al, &err), SL_OK);
    sl_tm *tm;
    ck_assert_int_eq(sl_tm_open(db, SL_TM_CREATE, &tm, &err), SL_OK);
    sl_document doc = {sp, tp, "id", "en", src_text, tgt_text, strlen(src_text), strlen(tgt_text)};
    sl_add_result res;
    ck_assert_msg(sl_tm_add(tm, &doc, s, t, al, &res, &err) == SL_OK, "%s", err.message);

    /* the files are there: every bead, with the unpaired sentence's text */
    sl_review *r;
    ck_assert_int_eq(sl_review_new(NULL, &r, &err), SL_OK);
    ck_assert_msg(sl_review_add_tm_document(r, tm, res.document_id, &err) == SL_OK, "%s",
                  err.message);
    char *html = page(r);
    ck_assert_uint_eq(count(html, "<tr class=\"bead"), 3);
    ck_assert_ptr_null(strstr(html, "class=\"note\""));
    ck_assert_ptr_nonnull(strstr(html, "data-shape=\"1-0\" data-src=\"1\" data-tgt=\"\">"));
    ck_assert_ptr_nonnull(strstr(html, "Ekstra &lt;i&gt;."));
    ck_assert_ptr_nonnull(strstr(html, "data-shape=\"1-1\" data-src=\"2\" data-tgt=\"1\">"));
    ck_assert_ptr_nonnull(strstr(html, "<td class=\"score\">0.8000</td>"));
    ck_assert_ptr_nonnull(strstr(html, "lang=\"id\""));
    free(html);
    sl_review_free(r);

    /* the source file changed: the stored beads, the unpaired sentence by number */
    write_file(sp, "Satu.\nLain.\nDua.\n");
    ck_assert_int_eq(sl_review_new(NULL, &r, &err), SL_OK);
    ck_assert_int_eq(sl_review_add_tm_document(r, tm, res.document_id, &err), SL_OK);
    html = page(r);
    ck_assert_uint_eq(count(html, "<tr class=\"bead"), 3);
    ck_assert_ptr_nonnull(strstr(html, "class=\"note\""));
    ck_assert_ptr_null(strstr(html, "Lain."));
    ck_assert_ptr_nonnull(strstr(html, "(sentence 1: its text is not in the TM)"));
    ck_assert_ptr_nonnull(strstr(html, ">Dua.</span>"));
    free(html);
    sl_review_free(r);

    ck_assert_int_eq(sl_review_new(NULL, &r, &err), SL_OK);
    ck_assert_int_eq(sl_review_add_tm_document(r, tm, 42, &err), SL_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "42"));
    sl_review_free(r);
    sl_tm_close(tm);
    sl_alignment_free(al);
    sl_sentences_free(s);
    sl_sentences_free(t);
}
END_TEST

static Suite *review_suite(void)
{
    Suite *s = suite_create("review");
    TCase *tc = tcase_create("html");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rows_shapes_and_escaping);
    tcase_add_test(tc, empty_alignment);
    tcase_add_test(tc, tm_document);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run(review_suite());
}

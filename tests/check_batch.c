#include "check_run.h"
#include <selaras/selaras.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[4096];

static void put(const char *name, const char *text)
{
    char path[8200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static const char *at(const char *name)
{
    static char path[2][8200];
    static int k;
    k = 1 - k;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

static void fresh(const char *name)
{
    const char *d = sl_test_tmpdir(name);
    ck_assert_ptr_nonnull(d);
    snprintf(dir, sizeof dir, "%s", d);
}

START_TEST(test_scan_dir)
{
    fresh("batch-scan");
    put("b.id.txt", "x");
    put("b.en.txt", "x");
    put("a.id.txt", "x");
    put("a.en.txt", "x");
    put("c.id.txt", "x"); /* no partner */
    put("d.en.txt", "x"); /* no partner */
    put("notes.txt", "x");
    put("a.de.txt", "x");
    ck_assert_int_eq(mkdir(at("sub.id.txt"), 0777), 0); /* a directory is not a document */
    put("sub.en.txt", "x");
    sl_pair_list *l = NULL;
    sl_error err;
    ck_assert_int_eq(sl_pair_list_new(&l, &err), SL_OK);
    ck_assert_int_eq(sl_pair_list_scan_dir(l, dir, ".id.txt", ".en.txt", 0, &err), SL_OK);
    ck_assert_uint_eq(sl_pair_list_count(l), 2);
    ck_assert_str_eq(sl_pair_list_src(l, 0), at("a.id.txt"));
    ck_assert_str_eq(sl_pair_list_tgt(l, 0), at("a.en.txt"));
    ck_assert_str_eq(sl_pair_list_src(l, 1), at("b.id.txt"));
    ck_assert_str_eq(sl_pair_list_tgt(l, 1), at("b.en.txt"));
    ck_assert_ptr_null(sl_pair_list_src(l, 2));
    ck_assert_uint_eq(sl_pair_list_unpaired_count(l), 3);
    ck_assert_str_eq(sl_pair_list_unpaired(l, 0), at("c.id.txt"));
    ck_assert_str_eq(sl_pair_list_unpaired(l, 1), at("d.en.txt"));
    ck_assert_str_eq(sl_pair_list_unpaired(l, 2), at("sub.en.txt"));
    ck_assert_uint_eq(sl_pair_list_bad_count(l), 0);

    /* a trailing slash does not double; a second scan appends */
    char slashed[4200];
    snprintf(slashed, sizeof slashed, "%s/", dir);
    ck_assert_int_eq(sl_pair_list_scan_dir(l, slashed, ".id.txt", ".en.txt", 0, &err), SL_OK);
    ck_assert_uint_eq(sl_pair_list_count(l), 4);
    ck_assert_str_eq(sl_pair_list_src(l, 2), at("a.id.txt"));

    ck_assert_int_eq(sl_pair_list_scan_dir(l, dir, ".txt", ".txt", 0, &err), SL_USAGE);
    ck_assert_int_eq(sl_pair_list_scan_dir(l, dir, "", ".en.txt", 0, &err), SL_USAGE);
    ck_assert_int_eq(sl_pair_list_scan_dir(l, at("missing"), ".id.txt", ".en.txt", 0, &err),
                     SL_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(sl_error_message(&err), "missing: cannot read the directory"));
    ck_assert_int_eq(sl_pair_list_scan_dir(l, at("a.id.txt"), ".id.txt", ".en.txt", 0, &err), SL_IO);
    ck_assert_uint_eq(sl_pair_list_count(l), 4);
    sl_pair_list_free(l);
}
END_TEST

START_TEST(test_scan_overlapping_suffixes)
{
    /* ".txt" and "_en.txt": the longer suffix decides, so x_en.txt is a target. */
    fresh("batch-overlap");
    put("x.txt", "x");
    put("x_en.txt", "x");
    put("y_en.txt", "x");
    sl_pair_list *l = NULL;
    sl_error err;
    ck_assert_int_eq(sl_pair_list_new(&l, &err), SL_OK);
    ck_assert_int_eq(sl_pair_list_scan_dir(l, dir, ".txt", "_en.txt", 0, &err), SL_OK);
    ck_assert_uint_eq(sl_pair_list_count(l), 1);
    ck_assert_str_eq(sl_pair_list_src(l, 0), at("x.txt"));
    ck_assert_str_eq(sl_pair_list_tgt(l, 0), at("x_en.txt"));
    ck_assert_uint_eq(sl_pair_list_unpaired_count(l), 1);
    ck_assert_str_eq(sl_pair_list_unpaired(l, 0), at("y_en.txt"));
    sl_pair_list_free(l);
}
END_TEST

START_TEST(test_scan_recursive)
{
    fresh("batch-recursive");
    ck_assert_int_eq(mkdir(at("2024"), 0777), 0);
    ck_assert_int_eq(mkdir(at("2024/01"), 0777), 0);
    ck_assert_int_eq(mkdir(at(".hidden"), 0777), 0);
    put("a.id.txt", "x");
    put("a.en.txt", "x");
    put("2024/b.id.txt", "x");
    put("2024/b.en.txt", "x");
    put("2024/01/c.id.txt", "x");
    put("2024/01/c.en.txt", "x");
    put("2024/01/d.id.txt", "x");
    put(".hidden/e.id.txt", "x");
    put(".hidden/e.en.txt", "x");
    put("x.id.txt", "x");      /* its partner is in another directory */
    put("2024/x.en.txt", "x");
    ck_assert_int_eq(symlink("2024", at("link")), 0); /* not followed */
    sl_pair_list *l = NULL;
    sl_error err;
    ck_assert_int_eq(sl_pair_list_new(&l, &err), SL_OK);
    ck_assert_int_eq(sl_pair_list_scan_dir(l, dir, ".id.txt", ".en.txt", SL_PAIRS_RECURSIVE, &err),
                     SL_OK);
    ck_assert_uint_eq(sl_pair_list_count(l), 3);
    ck_assert_str_eq(sl_pair_list_src(l, 0), at("2024/01/c.id.txt"));
    ck_assert_str_eq(sl_pair_list_tgt(l, 0), at("2024/01/c.en.txt"));
    ck_assert_str_eq(sl_pair_list_src(l, 1), at("2024/b.id.txt"));
    ck_assert_str_eq(sl_pair_list_src(l, 2), at("a.id.txt"));
    ck_assert_str_eq(sl_pair_list_tgt(l, 2), at("a.en.txt"));
    ck_assert_uint_eq(sl_pair_list_unpaired_count(l), 3);
    ck_assert_str_eq(sl_pair_list_unpaired(l, 0), at("2024/01/d.id.txt"));
    ck_assert_str_eq(sl_pair_list_unpaired(l, 1), at("2024/x.en.txt"));
    ck_assert_str_eq(sl_pair_list_unpaired(l, 2), at("x.id.txt"));
    ck_assert_int_eq(sl_pair_list_scan_dir(l, dir, ".id.txt", ".en.txt", 1 << 5, &err), SL_USAGE);
    sl_pair_list_free(l);

    /* without the flag only the top directory counts */
    ck_assert_int_eq(sl_pair_list_new(&l, &err), SL_OK);
    ck_assert_int_eq(sl_pair_list_scan_dir(l, dir, ".id.txt", ".en.txt", 0, &err), SL_OK);
    ck_assert_uint_eq(sl_pair_list_count(l), 1);
    ck_assert_uint_eq(sl_pair_list_unpaired_count(l), 1);
    sl_pair_list_free(l);
}
END_TEST

START_TEST(test_read_tsv)
{
    fresh("batch-tsv");
    put("list.tsv", "# source\ttarget\n"
                    "a.id.txt\ta.en.txt\r\n"
                    "\n"
                    "   \n"
                    "/abs/b.id.txt\tsub/b.en.txt\n"
                    "only-one-field\n"
                    "x\ty\tz\n"
                    "\tempty.txt\n"
                    "last.id.txt\tlast.en.txt");
    sl_pair_list *l = NULL;
    sl_error err;
    ck_assert_int_eq(sl_pair_list_new(&l, &err), SL_OK);
    ck_assert_int_eq(sl_pair_list_read_tsv(l, at("list.tsv"), &err), SL_OK);
    ck_assert_uint_eq(sl_pair_list_count(l), 3);
    ck_assert_str_eq(sl_pair_list_src(l, 0), at("a.id.txt"));
    ck_assert_str_eq(sl_pair_list_tgt(l, 0), at("a.en.txt"));
    ck_assert_str_eq(sl_pair_list_src(l, 1), "/abs/b.id.txt");
    ck_assert_str_eq(sl_pair_list_tgt(l, 1), at("sub/b.en.txt"));
    ck_assert_str_eq(sl_pair_list_src(l, 2), at("last.id.txt"));
    ck_assert_uint_eq(sl_pair_list_bad_count(l), 3);
    char want[8300];
    snprintf(want, sizeof want, "%s:6: expected two file names separated by a tab",
             at("list.tsv"));
    ck_assert_str_eq(sl_pair_list_bad(l, 0), want);
    snprintf(want, sizeof want, "%s:7: more than two tab-separated fields", at("list.tsv"));
    ck_assert_str_eq(sl_pair_list_bad(l, 1), want);
    snprintf(want, sizeof want, "%s:8: an empty file name", at("list.tsv"));
    ck_assert_str_eq(sl_pair_list_bad(l, 2), want);
    ck_assert_uint_eq(sl_pair_list_unpaired_count(l), 0);

    ck_assert_int_eq(sl_pair_list_read_tsv(l, at("missing.tsv"), &err), SL_NOTFOUND);
    sl_pair_list_free(l);
}
END_TEST

START_TEST(test_read_tsv_relative_to_cwd)
{
    /* A list named without a directory keeps its names as they are. */
    fresh("batch-tsv-cwd");
    put("l.tsv", "a b.id.txt\tc.en.txt\n");
    char cwd[4096];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    ck_assert_int_eq(chdir(dir), 0);
    sl_pair_list *l = NULL;
    sl_error err;
    ck_assert_int_eq(sl_pair_list_new(&l, &err), SL_OK);
    sl_status s = sl_pair_list_read_tsv(l, "l.tsv", &err);
    ck_assert_int_eq(chdir(cwd), 0);
    ck_assert_int_eq(s, SL_OK);
    ck_assert_str_eq(sl_pair_list_src(l, 0), "a b.id.txt");
    ck_assert_str_eq(sl_pair_list_tgt(l, 0), "c.en.txt");
    sl_pair_list_free(l);
}
END_TEST

START_TEST(test_pipeline_add_files)
{
    fresh("batch-add");
    put("p.id.txt", "Saya makan nasi. Dia minum teh.\n");
    put("p.en.txt", "I eat rice. She drinks tea.\n");
    put("empty.en.txt", " \n\n");
    put("bad.en.txt", "caf\xe9\n");
    sl_pipeline *p = NULL;
    sl_tm *tm = NULL;
    sl_error err;
    sl_error_clear(&err);
    ck_assert_int_eq(sl_pipeline_new("ID", "en_US", NULL, &p, &err), SL_OK);
    ck_assert_str_eq(sl_pipeline_src_lang(p), "id");
    ck_assert_str_eq(sl_pipeline_tgt_lang(p), "en-us");
    ck_assert_int_eq(sl_tm_open(at("tm.db"), SL_TM_CREATE, &tm, &err), SL_OK);
    sl_add_result r;
    ck_assert_int_eq(sl_pipeline_add_files(p, tm, at("p.id.txt"), at("p.en.txt"), &r, &err),
                     SL_OK);
    ck_assert(!r.already_present);
    ck_assert_uint_eq(r.pairs, 2);
    ck_assert_uint_eq(r.units_new, 2);
    ck_assert_int_eq(sl_pipeline_add_files(p, tm, at("p.id.txt"), at("p.en.txt"), &r, &err),
                     SL_OK);
    ck_assert(r.already_present);
    ck_assert_uint_eq(r.units_new, 0);

    /* bad documents leave the TM as it was */
    ck_assert_int_eq(sl_pipeline_add_files(p, tm, at("p.id.txt"), at("empty.en.txt"), &r, &err),
                     SL_EMPTY);
    ck_assert_int_eq(sl_pipeline_add_files(p, tm, at("p.id.txt"), at("bad.en.txt"), &r, &err),
                     SL_ENCODING);
    ck_assert_ptr_nonnull(strstr(sl_error_message(&err), "bad.en.txt: invalid UTF-8"));
    ck_assert_int_eq(sl_pipeline_add_files(p, tm, at("nope.id.txt"), at("p.en.txt"), &r, &err),
                     SL_NOTFOUND);
    sl_tm_stats st;
    ck_assert_int_eq(sl_tm_get_stats(tm, &st, &err), SL_OK);
    ck_assert_int_eq(st.documents, 1);
    ck_assert_int_eq(st.units, 2);
    sl_tm_close(tm);

    /* the texts alone */
    sl_sentences *s = NULL, *t = NULL;
    sl_alignment *al = NULL;
    ck_assert_int_eq(sl_pipeline_align(p, "Satu. Dua.", 10, "One. Two.", 9, &s, &t, &al, &err),
                     SL_OK);
    ck_assert_uint_eq(sl_sentences_count(s), 2);
    ck_assert_uint_eq(sl_alignment_count(al), 2);
    sl_alignment_free(al);
    sl_sentences_free(s);
    sl_sentences_free(t);
    ck_assert_int_eq(sl_pipeline_align(p, "Satu.", 5, "", 0, &s, &t, &al, &err), SL_EMPTY);
    ck_assert_ptr_null(s);
    ck_assert_ptr_null(al);
    ck_assert_str_eq(sl_error_message(&err), "the target text has no visible text");
    sl_pipeline_free(p);

    ck_assert_int_eq(sl_pipeline_new("xx", "en", NULL, &p, &err), SL_LANG);
    ck_assert_ptr_null(p);
}
END_TEST

START_TEST(test_pipeline_options)
{
    fresh("batch-options");
    put("semi.srx", "<srx version=\"2.0\"><body><languagerules><languagerule "
                    "languagerulename=\"a\"><rule><beforebreak>;</beforebreak>"
                    "<afterbreak>\\s</afterbreak></rule></languagerule></languagerules>"
                    "<maprules><languagemap languagepattern=\".*\" languagerulename=\"a\"/>"
                    "</maprules></body></srx>\n");
    sl_error err;
    sl_error_clear(&err);
    sl_pipeline *p = NULL;
    sl_sentences *s = NULL, *t = NULL;
    sl_alignment *al = NULL;

    /* the SRX rules split at ';' on both sides */
    sl_pipeline_options o = {at("semi.srx"), false, NULL, false, 0};
    ck_assert_int_eq(sl_pipeline_new_with("id", "en", NULL, &o, &p, &err), SL_OK);
    ck_assert_int_eq(sl_pipeline_align(p, "Satu; dua.", 10, "One; two.", 9, &s, &t, &al, &err),
                     SL_OK);
    ck_assert_uint_eq(sl_sentences_count(s), 2);
    ck_assert_uint_eq(sl_sentences_count(t), 2);
    sl_alignment_free(al);
    sl_sentences_free(s);
    sl_sentences_free(t);
    sl_pipeline_free(p);

    /* presegmented: lines are sentences, whatever their punctuation */
    o = (sl_pipeline_options){NULL, true, NULL, false, 0};
    ck_assert_int_eq(sl_pipeline_new_with("id", "en", NULL, &o, &p, &err), SL_OK);
    ck_assert_int_eq(
        sl_pipeline_align(p, "Satu. Dua.\nTiga.\n", 17, "One. Two.\nThree.\n", 17, &s, &t, &al, &err),
        SL_OK);
    ck_assert_uint_eq(sl_sentences_count(s), 2);
    ck_assert_uint_eq(sl_sentences_count(t), 2);
    sl_alignment_free(al);
    sl_sentences_free(s);
    sl_sentences_free(t);
    sl_pipeline_free(p);

    /* check_related refuses what the defaults align; min_score 1 keeps no pair */
    const char *one = "Hujan turun.\n";
    char ten[1024] = "";
    for (int i = 1; i <= 10; i++)
        snprintf(ten + strlen(ten), sizeof ten - strlen(ten),
                 "Sentence number %d of a long English text about something else entirely.\n", i);
    o = (sl_pipeline_options){NULL, true, NULL, true, 0};
    ck_assert_int_eq(sl_pipeline_new_with("id", "en", NULL, &o, &p, &err), SL_OK);
    ck_assert_int_eq(sl_pipeline_align(p, one, strlen(one), ten, strlen(ten), &s, &t, &al, &err),
                     SL_UNRELATED);
    ck_assert_ptr_null(al);
    sl_pipeline_free(p);
    o = (sl_pipeline_options){NULL, false, NULL, false, 1};
    ck_assert_int_eq(sl_pipeline_new_with("id", "en", NULL, &o, &p, &err), SL_OK);
    ck_assert_int_eq(sl_pipeline_align(p, "Satu. Dua.", 10, "One. Two.", 9, &s, &t, &al, &err),
                     SL_OK);
    for (size_t i = 0; i < sl_alignment_count(al); i++) {
        const sl_bead *b = sl_alignment_bead(al, i);
        ck_assert(b->src_count == 0 || b->tgt_count == 0);
    }
    sl_alignment_free(al);
    sl_sentences_free(s);
    sl_sentences_free(t);
    sl_pipeline_free(p);

    /* bad options and a bad SRX file */
    o = (sl_pipeline_options){NULL, false, NULL, false, 2};
    ck_assert_int_eq(sl_pipeline_new_with("id", "en", NULL, &o, &p, &err), SL_USAGE);
    ck_assert_ptr_null(p);
    o = (sl_pipeline_options){at("none.srx"), false, NULL, false, 0};
    ck_assert_int_ne(sl_pipeline_new_with("id", "en", NULL, &o, &p, &err), SL_OK);
    ck_assert_ptr_null(p);
    ck_assert_ptr_nonnull(strstr(sl_error_message(&err), "none.srx"));
}
END_TEST

static Suite *batch_suite(void)
{
    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("pairs");
    tcase_add_test(tc, test_scan_dir);
    tcase_add_test(tc, test_scan_overlapping_suffixes);
    tcase_add_test(tc, test_scan_recursive);
    tcase_add_test(tc, test_read_tsv);
    tcase_add_test(tc, test_read_tsv_relative_to_cwd);
    tcase_add_test(tc, test_pipeline_add_files);
    tcase_add_test(tc, test_pipeline_options);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run(batch_suite());
}

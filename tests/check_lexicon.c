#include "check_run.h"
#include "internal.h"
#include <selaras/selaras.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Word translations in the TM: dictionary import, learning, the lexicon the
 * aligner gets from them; and that one-sided beads never become units. */

static const char *scratch(const char *name, const char *file)
{
    static char path[4200];
    const char *dir = sl_test_tmpdir(name);
    ck_assert_ptr_nonnull(dir);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return path;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs(text, f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
}

/* The TM in a scratch directory of its own (each scratch() call empties
 * its directory). */
static sl_tm *create(const char *name)
{
    sl_tm *tm = NULL;
    sl_error err;
    char dir[256];
    snprintf(dir, sizeof dir, "%s_db", name);
    const char *path = scratch(dir, "tm.db");
    ck_assert_msg(sl_tm_open(path, SL_TM_CREATE, &tm, &err) == SL_OK, "%s", err.message);
    return tm;
}

static sl_lexicon *lexicon_of(sl_tm *tm, const char *src, const char *tgt)
{
    sl_lexicon *lex = NULL;
    sl_error err;
    ck_assert_msg(sl_tm_lexicon(tm, src, tgt, NULL, &lex, &err) == SL_OK, "%s", err.message);
    return lex;
}

START_TEST(test_dict_import_tsv)
{
    sl_tm *tm = create("lex_tsv");
    const char *path = scratch("lex_tsv", "d.tsv");
    write_file(path, "# id-en\ntulis\twrite\nrumah\thouse\n\nrumah\thome\ntulis\twrite\n");
    sl_dict_import_result res;
    sl_error err;
    ck_assert_int_eq(sl_tm_dict_import(tm, path, "id", "en", &res, &err), SL_OK);
    ck_assert_uint_eq(res.pairs_read, 4);
    ck_assert_uint_eq(res.pairs_new, 3);
    ck_assert(!res.dictd);
    sl_lexicon *lex = lexicon_of(tm, "id", "en");
    ck_assert_uint_eq(sl_lexicon_count(lex), 2);
    ck_assert(sl_lexicon_translates(lex, "menuliskan", "written") == false);
    ck_assert(sl_lexicon_translates(lex, "menuliskan", "writes"));
    ck_assert(sl_lexicon_translates(lex, "rumahnya", "homes"));
    ck_assert(!sl_lexicon_translates(lex, "rumah", "write"));
    sl_lexicon_free(lex);
    /* the other direction serves too */
    lex = lexicon_of(tm, "en", "id");
    ck_assert(sl_lexicon_translates(lex, "houses", "rumah"));
    sl_lexicon_free(lex);
    /* another language pair sees nothing */
    lex = lexicon_of(tm, "id", "fr");
    ck_assert_uint_eq(sl_lexicon_count(lex), 0);
    sl_lexicon_free(lex);
    sl_tm_close(tm);
}
END_TEST

START_TEST(test_dict_import_bad_line)
{
    sl_tm *tm = create("lex_bad");
    const char *path = scratch("lex_bad", "bad.tsv");
    write_file(path, "tulis\twrite\npohon tree\n");
    sl_dict_import_result res;
    sl_error err;
    ck_assert_int_eq(sl_tm_dict_import(tm, path, "id", "en", &res, &err), SL_DATA);
    ck_assert_msg(strstr(err.message, "bad.tsv:2: no tab"), "%s", err.message);
    /* nothing of the file was kept */
    sl_lexicon *lex = lexicon_of(tm, "id", "en");
    ck_assert_uint_eq(sl_lexicon_count(lex), 0);
    sl_lexicon_free(lex);
    char none[4200];
    snprintf(none, sizeof none, "%.4000s", path);
    strcpy(none + strlen(none) - strlen("bad.tsv"), "none.tsv");
    ck_assert_int_eq(sl_tm_dict_import(tm, none, "id", "en", &res, &err), SL_NOTFOUND);
    write_file(path, "# only a comment\n");
    ck_assert_int_eq(sl_tm_dict_import(tm, path, "id", "en", &res, &err), SL_EMPTY);
    ck_assert_int_eq(sl_tm_dict_import(tm, path, "xx-!", "en", &res, &err), SL_LANG);
    sl_tm_close(tm);
}
END_TEST

/* A FreeDict-style dictd database written by hand: entries of 31 and 41
 * bytes, so offsets/lengths A/f (0, 31) and f/p (31, 41) in dictd's base64. */
START_TEST(test_dict_import_dictd)
{
    sl_tm *tm = create("lex_dictd");
    const char *dict = "cat /kat/ <n>\nkucing\nan animal\n"
                       "run /ran/ <v>\n1. berlari 2.\nto move fast\n";
    ck_assert_uint_eq(strlen(dict), 72);
    char index[4200], data[4200];
    snprintf(index, sizeof index, "%s", scratch("lex_dictd", "t.index"));
    snprintf(data, sizeof data, "%.4000s", index);
    strcpy(data + strlen(data) - strlen(".index"), ".dict");
    write_file(data, dict);
    write_file(index, "00databaseinfo\tA\tA\ncat\tA\tf\nrun\tf\tp\n");
    sl_dict_import_result res;
    sl_error err;
    ck_assert_msg(sl_tm_dict_import(tm, index, "en", "id", &res, &err) == SL_OK, "%s",
                  err.message);
    ck_assert_uint_eq(res.pairs_read, 2);
    ck_assert(res.dictd);
    sl_lexicon *lex = lexicon_of(tm, "id", "en");
    ck_assert(sl_lexicon_translates(lex, "kucingnya", "cats"));
    ck_assert(sl_lexicon_translates(lex, "berlari", "running"));
    ck_assert(!sl_lexicon_translates(lex, "kucing", "move"));
    sl_lexicon_free(lex);
    /* an index pointing past the data */
    write_file(index, "cat\tA\tB/\n");
    ck_assert_int_eq(sl_tm_dict_import(tm, index, "en", "id", &res, &err), SL_DATA);
    ck_assert_msg(strstr(err.message, "beyond the end"), "%s", err.message);
    sl_tm_close(tm);
}
END_TEST

static void add_doc(sl_tm *tm, const char *name, const char *const *src, const char *const *tgt,
                    const sl_bead *b, size_t nb, size_t n, size_t m, sl_add_result *res)
{
    sl_sentences *s = NULL, *t = NULL;
    sl_alignment *a = NULL;
    sl_error err;
    ck_assert_int_eq(sl_sentences_new(&s, &err), SL_OK);
    ck_assert_int_eq(sl_sentences_new(&t, &err), SL_OK);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(sl_sentences_append(s, src[i], strlen(src[i]), false, &err), SL_OK);
    for (size_t j = 0; j < m; j++)
        ck_assert_int_eq(sl_sentences_append(t, tgt[j], strlen(tgt[j]), false, &err), SL_OK);
    ck_assert_int_eq(sl__alignment_from_beads(b, nb, &a, &err), SL_OK);
    sl_document doc = {name, name, "id", "en", name, name, strlen(name), strlen(name)};
    ck_assert_msg(sl_tm_add(tm, &doc, s, t, a, res, &err) == SL_OK, "%s", err.message);
    sl_alignment_free(a);
    sl_sentences_free(s);
    sl_sentences_free(t);
}

/* "kucing" and "cat" occur together in three good units; "anjing"/"dog"
 * only in one that scored low. */
START_TEST(test_learn)
{
    sl_tm *tm = create("lex_learn");
    static const char *const id[] = {
        "Kucing tidur.", "Kucing makan ikan.", "Kucing hitam lari.", "Anjing menggonggong.",
    };
    static const char *const en[] = {
        "The cat sleeps.", "The cat eats fish.", "A black cat runs.", "The dog barks.",
    };
    static const sl_bead b[] = {
        {0, 1, 0, 1, 0.9}, {1, 1, 1, 1, 0.8}, {2, 1, 2, 1, 0.95}, {3, 1, 3, 1, 0.2},
    };
    sl_add_result ar;
    add_doc(tm, "a", id, en, b, 4, 4, 4, &ar);
    sl_learn_options o = {0.5, 3, 0.3, 2};
    sl_learn_result res;
    sl_error err;
    ck_assert_msg(sl_tm_learn(tm, "id", "en", &o, &res, &err) == SL_OK, "%s", err.message);
    ck_assert_uint_eq(res.units, 3);
    sl_lexicon *lex = lexicon_of(tm, "id", "en");
    ck_assert(sl_lexicon_translates(lex, "kucing", "cat"));
    ck_assert(!sl_lexicon_translates(lex, "anjing", "dog"));
    /* "the" occurs with kucing in two of three units only */
    ck_assert(!sl_lexicon_translates(lex, "kucing", "the"));
    sl_lexicon_free(lex);
    /* with every unit and one co-occurrence enough, the dog is learned too;
     * a second run replaces the first */
    o.min_score = 0;
    o.min_pairs = 1;
    ck_assert_int_eq(sl_tm_learn(tm, "id", "en", &o, &res, &err), SL_OK);
    ck_assert_uint_eq(res.units, 4);
    lex = lexicon_of(tm, "id", "en");
    ck_assert(sl_lexicon_translates(lex, "anjing", "dog"));
    sl_lexicon_free(lex);
    ck_assert_int_eq(sl_tm_learn(NULL, "id", "en", &o, &res, &err), SL_USAGE);
    sl_tm_close(tm);
}
END_TEST

/* 1-0 and 0-1 beads are reported by the aligner but never stored. */
START_TEST(test_one_sided_never_stored)
{
    sl_tm *tm = create("lex_onesided");
    static const char *const id[] = {"Satu.", "Dua.", "Tiga.", "Empat."};
    static const char *const en[] = {"One.", "Three.", "Extra.", "Four."};
    static const sl_bead b[] = {
        {0, 1, 0, 1, 0.9}, {1, 1, 1, 0, 0.0}, {2, 1, 1, 1, 0.9}, {3, 0, 2, 1, 0.0},
        {3, 1, 3, 1, 0.9},
    };
    sl_add_result ar;
    add_doc(tm, "b", id, en, b, 5, 4, 4, &ar);
    ck_assert_uint_eq(ar.pairs, 3);
    sl_tm_stats st;
    sl_error err;
    ck_assert_int_eq(sl_tm_get_stats(tm, &st, &err), SL_OK);
    ck_assert_int_eq(st.units, 3);
    ck_assert_int_eq(st.segments, 6);
    sl_tm_close(tm);
}
END_TEST

static Suite *lexicon_suite(void)
{
    Suite *s = suite_create("lexicon");
    TCase *tc = tcase_create("tm");
    tcase_add_test(tc, test_dict_import_tsv);
    tcase_add_test(tc, test_dict_import_bad_line);
    tcase_add_test(tc, test_dict_import_dictd);
    tcase_add_test(tc, test_learn);
    tcase_add_test(tc, test_one_sided_never_stored);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run(lexicon_suite());
}

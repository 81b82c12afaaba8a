#include "add-batch.h"
#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct totals {
    size_t added, present, failed, unrelated, unpaired, bad_lines;
    size_t pairs, units_new, units_existing;
};

struct progress {
    bool on;
    size_t total, width;
    struct timespec start, last;
};

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void progress_clear(struct progress *pg)
{
    if (!pg->on || !pg->width)
        return;
    fprintf(stderr, "\r%*s\r", (int)pg->width, "");
    pg->width = 0;
}

/* Redrawn at most ten times a second, and always for the first and last. */
static void progress_draw(struct progress *pg, size_t done, const struct totals *t)
{
    if (!pg->on)
        return;
    if (done != 0 && done != pg->total && seconds_since(&pg->last) < 0.1)
        return;
    clock_gettime(CLOCK_MONOTONIC, &pg->last);
    double elapsed = seconds_since(&pg->start);
    char rate[32] = "", eta[32] = "";
    if (done && elapsed > 0) {
        double r = (double)done / elapsed;
        snprintf(rate, sizeof rate, "  %.1f docs/s", r);
        unsigned long left = (unsigned long)((double)(pg->total - done) / r + 0.5);
        snprintf(eta, sizeof eta, "  ETA %lu:%02lu:%02lu", left / 3600, left / 60 % 60, left % 60);
    }
    char line[160];
    int n = snprintf(line, sizeof line, "%zu/%zu documents (%zu%%)  %zu pairs%s%s", done,
                     pg->total, pg->total ? done * 100 / pg->total : 100, t->pairs, rate, eta);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    fprintf(stderr, "\r%s", line);
    if (len < pg->width)
        fprintf(stderr, "%*s", (int)(pg->width - len), "");
    pg->width = len > pg->width ? len : pg->width;
    fflush(stderr);
}

/* Report a failed pair so that the line names a file. */
static void report_failure(const char *src, const char *tgt, const sl_error *err)
{
    const char *msg = sl_error_message(err);
    if (err->code == SL_UNRELATED) {
        fprintf(stderr, "selaras: %s, %s: %s (pair skipped; use --force to align it anyway)\n",
                src, tgt, msg);
        return;
    }
    if (strncmp(msg, src, strlen(src)) == 0 || strncmp(msg, tgt, strlen(tgt)) == 0)
        fprintf(stderr, "selaras: %s (pair skipped)\n", msg);
    else
        fprintf(stderr, "selaras: %s: %s (pair skipped)\n", src, msg);
}

static void print_summary(const char *db, const struct totals *t)
{
    printf("database                   %s\n"
           "documents added            %zu\n"
           "documents already present  %zu\n"
           "documents failed           %zu\n",
           db, t->added, t->present, t->failed);
    if (t->unrelated)
        printf("  of which unrelated       %zu\n", t->unrelated);
    if (t->bad_lines)
        printf("bad list lines             %zu\n", t->bad_lines);
    printf("files without a partner    %zu\n"
           "pairs stored               %zu\n"
           "units new                  %zu\n"
           "units already in the TM    %zu\n",
           t->unpaired, t->pairs, t->units_new, t->units_existing);
}

int add_batch(const char *db, const struct add_batch_options *o)
{
    const struct add_batch_source *sources = o->sources;
    size_t n_sources = o->n_sources;
    const char *src_lang = o->src_lang, *tgt_lang = o->tgt_lang;
    const char *src_suffix = o->src_suffix, *tgt_suffix = o->tgt_suffix;
    int verbosity = o->verbosity;
    sl_error err;
    sl_error_clear(&err);
    sl_pair_list *list = NULL;
    sl_pipeline *pipe = NULL;
    sl_tm *tm = NULL;
    sl_lexicon *lex = NULL;
    struct totals t = {0};
    int status = EXIT_OK;
    char src_suf[SL_LANG_MAX + 8], tgt_suf[SL_LANG_MAX + 8];
    snprintf(src_suf, sizeof src_suf, ".%s.txt", src_lang);
    snprintf(tgt_suf, sizeof tgt_suf, ".%s.txt", tgt_lang);

    if (sl_pair_list_new(&list, &err) != SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    for (size_t i = 0; i < n_sources; i++) {
        sl_status s = sources[i].dir
                          ? sl_pair_list_scan_dir(list, sources[i].path,
                                                  src_suffix ? src_suffix : src_suf,
                                                  tgt_suffix ? tgt_suffix : tgt_suf,
                                                  o->recursive ? SL_PAIRS_RECURSIVE : 0, &err)
                          : sl_pair_list_read_tsv(list, sources[i].path, &err);
        if (s != SL_OK) {
            status = cmd_fail(&err);
            goto cleanup;
        }
    }
    size_t total = sl_pair_list_count(list);
    t.unpaired = sl_pair_list_unpaired_count(list);
    t.bad_lines = sl_pair_list_bad_count(list);
    const char *suf[2] = {src_suffix ? src_suffix : src_suf, tgt_suffix ? tgt_suffix : tgt_suf};
    for (size_t i = 0; i < t.unpaired; i++) {
        /* Name the missing partner: the same stem with the other suffix. */
        const char *path = sl_pair_list_unpaired(list, i);
        size_t n = strlen(path), k0 = strlen(suf[0]), k1 = strlen(suf[1]);
        bool is_src = n >= k0 && strcmp(path + n - k0, suf[0]) == 0 &&
                      !(k1 > k0 && n >= k1 && strcmp(path + n - k1, suf[1]) == 0);
        size_t stem = n - (is_src ? k0 : k1);
        fprintf(stderr, "selaras: %s: no %.*s%s beside it (file skipped)\n", path, (int)stem,
                path, suf[is_src ? 1 : 0]);
    }
    for (size_t i = 0; i < t.bad_lines; i++)
        fprintf(stderr, "selaras: %s (line skipped)\n", sl_pair_list_bad(list, i));
    if (total == 0 && t.unpaired == 0 && t.bad_lines == 0) {
        fprintf(stderr, "selaras: %s: no document pairs found (files are paired by name: "
                        "NAME%s with NAME%s; see --src-suffix and --tgt-suffix)\n",
                sources[0].path, src_suffix ? src_suffix : src_suf,
                tgt_suffix ? tgt_suffix : tgt_suf);
        status = EXIT_FAIL;
        goto cleanup;
    }
    /* Nothing to add: the database is not created or touched, nor before
     * the options (an SRX file) have been checked.  As for one pair, an
     * existing TM lends its word translations to the aligner. */
    struct stat sb;
    bool existed = stat(db, &sb) == 0;
    sl_pipeline_options popt = {o->srx, o->presegmented, NULL, !o->force, o->min_score};
    if (total && (sl_pipeline_new_with(src_lang, tgt_lang, NULL, &popt, &pipe, &err) != SL_OK ||
                  sl_tm_open(db, SL_TM_CREATE, &tm, &err) != SL_OK ||
                  (existed && sl_tm_lexicon(tm, o->src_lang_canonical, o->tgt_lang_canonical,
                                            NULL, &lex, &err) != SL_OK))) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    sl_pipeline_set_lexicon(pipe, lex);

    struct progress pg = {verbosity >= 0 && isatty(STDERR_FILENO), total, 0, {0, 0}, {0, 0}};
    clock_gettime(CLOCK_MONOTONIC, &pg.start);
    progress_draw(&pg, 0, &t);
    for (size_t i = 0; i < total; i++) {
        const char *src = sl_pair_list_src(list, i), *tgt = sl_pair_list_tgt(list, i);
        sl_add_result res;
        sl_error_clear(&err);
        if (sl_pipeline_add_files(pipe, tm, src, tgt, &res, &err) != SL_OK) {
            progress_clear(&pg);
            report_failure(src, tgt, &err);
            t.failed++;
            t.unrelated += err.code == SL_UNRELATED;
        } else if (res.already_present) {
            t.present++;
            if (verbosity > 0) {
                progress_clear(&pg);
                printf("%s: already document %lld; nothing added\n", src, res.document_id);
                fflush(stdout);
            }
        } else {
            t.added++;
            t.pairs += res.pairs;
            t.units_new += res.units_new;
            t.units_existing += res.units_existing;
            if (verbosity > 0) {
                progress_clear(&pg);
                printf("%s: document %lld: %zu pairs stored (%zu new units, %zu already in the "
                       "TM)\n",
                       src, res.document_id, res.pairs, res.units_new, res.units_existing);
                fflush(stdout);
            }
        }
        progress_draw(&pg, i + 1, &t);
    }
    progress_clear(&pg);
    if (verbosity >= 0)
        print_summary(db, &t);
    status = out_finish(t.failed || t.bad_lines ? EXIT_FAIL : EXIT_OK);
cleanup:
    sl_pipeline_free(pipe);
    sl_lexicon_free(lex);
    sl_tm_close(tm);
    sl_pair_list_free(list);
    return status;
}

#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_add_entry = {
    "add",
    "segment, align and store article pairs in the TM",
    "usage: selaras add [--db FILE] [--src-lang id] [--tgt-lang en] SRC TGT\n"
    "       selaras add [--db FILE] [OPTIONS] --batch DIR | --pairs LIST\n"
    "\n"
    "Segment and align an article (SRC) and its translation (TGT) and store every\n"
    "bead with both sides as a translation unit, with the document pair (both file\n"
    "names, SHA-256 checksums of their contents, the time) and the bead's score as\n"
    "provenance.  Everything goes in one transaction: on any error the database\n"
    "is left as it was.  Adding the same pair of texts again adds nothing.  A unit\n"
    "already in the TM is stored once and credited to every document it came from.\n"
    "\n"
    "With --batch or --pairs, many pairs are added, each document pair in its own\n"
    "transaction.  A pair that cannot be added (unreadable, not UTF-8, empty) is\n"
    "reported with its file name and skipped; the others go in.  Files with no\n"
    "partner are reported too.  A summary table ends the run; the exit status is 1\n"
    "if any pair failed.  Running the same batch again adds nothing.  While\n"
    "standard error is a terminal, a progress line shows the documents done, the\n"
    "pairs stored, the rate and the time left.\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db); created\n"
    "                       when missing\n"
    "  -s, --src-lang CODE  language of SRC (default id)\n"
    "  -t, --tgt-lang CODE  language of TGT (default en)\n"
    "  -b, --batch DIR      add the pairs NAME.id.txt + NAME.en.txt found in DIR\n"
    "                       (side by side); may be repeated\n"
    "  -r, --recursive      --batch also looks in subdirectories (not hidden ones)\n"
    "  -P, --pairs LIST     add the pairs listed in LIST, one SRC<TAB>TGT per line\n"
    "                       ('#' starts a comment line); relative names are taken\n"
    "                       from LIST's directory; '-' reads standard input\n"
    "      --src-suffix S   the end of source file names in --batch (default\n"
    "                       .SRC-LANG.txt, e.g. .id.txt)\n"
    "      --tgt-suffix S   the end of target file names (default .TGT-LANG.txt)\n"
    "  -q, --quiet          no progress and no summary; only errors\n"
    "  -v, --verbose        also one line per document pair\n"
    "  -h, --help           show this help\n"
    "\n"
    "Examples:\n"
    "  selaras add --db news.db tm/article.id.txt tm/article.en.txt\n"
    "  selaras add --db news.db --batch articles/\n"
    "  selaras add --db news.db --batch in/ --src-suffix _id.txt --tgt-suffix _en.txt\n",
    run,
};

struct source {
    bool dir;
    const char *path;
};

struct totals {
    size_t added, present, failed, unpaired, bad_lines;
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
    if (t->bad_lines)
        printf("bad list lines             %zu\n", t->bad_lines);
    printf("files without a partner    %zu\n"
           "pairs stored               %zu\n"
           "units new                  %zu\n"
           "units already in the TM    %zu\n",
           t->unpaired, t->pairs, t->units_new, t->units_existing);
}

static int run_batch(const char *db, const struct source *sources, size_t n_sources,
                     const char *src_lang, const char *tgt_lang, const char *src_suffix,
                     const char *tgt_suffix, bool recursive, int verbosity)
{
    sl_error err;
    sl_error_clear(&err);
    sl_pair_list *list = NULL;
    sl_pipeline *pipe = NULL;
    sl_tm *tm = NULL;
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
                                                  recursive ? SL_PAIRS_RECURSIVE : 0, &err)
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
    /* Nothing to add: the database is not created or touched. */
    if (total && (sl_pipeline_new(src_lang, tgt_lang, NULL, &pipe, &err) != SL_OK ||
                  sl_tm_open(db, SL_TM_CREATE, &tm, &err) != SL_OK)) {
        status = cmd_fail(&err);
        goto cleanup;
    }

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
    sl_tm_close(tm);
    sl_pipeline_free(pipe);
    sl_pair_list_free(list);
    return status;
}

static int run(int argc, char **argv)
{
    enum { OPT_SRC_SUFFIX = 256, OPT_TGT_SUFFIX };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"src-lang", required_argument, NULL, 's'},
        {"tgt-lang", required_argument, NULL, 't'},
        {"batch", required_argument, NULL, 'b'},
        {"pairs", required_argument, NULL, 'P'},
        {"recursive", no_argument, NULL, 'r'},
        {"src-suffix", required_argument, NULL, OPT_SRC_SUFFIX},
        {"tgt-suffix", required_argument, NULL, OPT_TGT_SUFFIX},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_opt = NULL, *src_opt = "id", *tgt_opt = "en";
    const char *src_suffix = NULL, *tgt_suffix = NULL;
    struct source *sources = calloc((size_t)argc, sizeof *sources);
    size_t n_sources = 0;
    int verbosity = 0;
    bool recursive = false;
    int c, done = -1;
    if (!sources) {
        fputs("selaras: out of memory\n", stderr);
        return EXIT_FAIL;
    }
    while ((c = cmd_getopt(&cmd_add_entry, argc, argv, ":hd:s:t:b:P:rqv", longopts, &done)) !=
               -1 &&
           done < 0) {
        switch (c) {
        case 'd': db_opt = optarg; break;
        case 's': src_opt = optarg; break;
        case 't': tgt_opt = optarg; break;
        case 'b':
        case 'P': sources[n_sources++] = (struct source){c == 'b', optarg}; break;
        case OPT_SRC_SUFFIX: src_suffix = optarg; break;
        case OPT_TGT_SUFFIX: tgt_suffix = optarg; break;
        case 'r': recursive = true; break;
        case 'q': verbosity = -1; break;
        case 'v': verbosity = 1; break;
        }
    }
    int status = EXIT_OK;
    char src_lang[SL_LANG_MAX], tgt_lang[SL_LANG_MAX];
    if (done >= 0) {
        status = done;
        goto out;
    }
    if (n_sources) {
        if (argc - optind != 0) {
            status = cmd_usage_error(&cmd_add_entry,
                                     "give either --batch/--pairs or two files, not both");
            goto out;
        }
    } else if (argc - optind != 2) {
        status = cmd_usage_error(&cmd_add_entry, "give two files, SRC and TGT (or --batch DIR)");
        goto out;
    } else if (src_suffix || tgt_suffix || recursive) {
        status = cmd_usage_error(&cmd_add_entry,
                                 "--src-suffix, --tgt-suffix and --recursive need --batch");
        goto out;
    }
    if ((src_suffix && !*src_suffix) || (tgt_suffix && !*tgt_suffix) ||
        (src_suffix && tgt_suffix && strcmp(src_suffix, tgt_suffix) == 0)) {
        status = cmd_usage_error(&cmd_add_entry,
                                 "--src-suffix and --tgt-suffix must be different and not empty");
        goto out;
    }
    if (!cmd_lang(src_opt, src_lang, &status) || !cmd_lang(tgt_opt, tgt_lang, &status))
        goto out;
    if (n_sources) {
        /* The default suffixes use the tags as the user wrote them. */
        status = run_batch(cmd_db_path(db_opt), sources, n_sources, src_opt, tgt_opt,
                           src_suffix, tgt_suffix, recursive, verbosity);
        goto out;
    }
    const char *src_path = argv[optind], *tgt_path = argv[optind + 1];

    sl_error err;
    sl_error_clear(&err);
    struct cmd_pair p;
    sl_tm *tm = NULL;
    const char *db = cmd_db_path(db_opt);
    /* All input is read and checked before the database is touched. */
    if (cmd_pair_load(&p, src_path, tgt_path, src_lang, tgt_lang, false, &err) != SL_OK ||
        sl_tm_open(db, SL_TM_CREATE, &tm, &err) != SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    sl_document doc = {src_path, tgt_path, src_lang, tgt_lang,
                       p.src_text, p.tgt_text, p.src_len, p.tgt_len};
    sl_add_result res;
    if (sl_tm_add(tm, &doc, p.src, p.tgt, p.al, &res, &err) != SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    if (verbosity < 0)
        ;
    else if (res.already_present)
        printf("%s: this pair of texts is already document %lld; nothing added\n", db,
               res.document_id);
    else
        printf("%s: document %lld: %zu + %zu sentences, %zu pairs stored "
               "(%zu new units, %zu already in the TM)\n",
               db, res.document_id, sl_sentences_count(p.src), sl_sentences_count(p.tgt),
               res.pairs, res.units_new, res.units_existing);
    status = out_finish(EXIT_OK);
cleanup:
    sl_tm_close(tm);
    cmd_pair_free(&p);
out:
    free(sources);
    return status;
}

#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <stdlib.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_analyze_entry = {
    "analyze",
    "how much of new articles the TM covers, by match band",
    "usage: selaras analyze [--db FILE] [--src-lang id] [--tgt-lang en]\n"
    "                       [--format text|json|csv] ARTICLE...\n"
    "\n"
    "Segment each article and look every sentence up in the TM (its best match of\n"
    "50% or more), then count sentences and words per band, per file and in total:\n"
    "  101%        a 100% match whose neighbouring sentences (before and after,\n"
    "              where they exist) are 100% matches too (context match)\n"
    "  100%        exact match (same text after NFC and whitespace normalisation)\n"
    "  repetition  no 100% match, but the same sentence came earlier in the batch\n"
    "  95-99%, 85-94%, 75-84%, 50-74%   fuzzy matches\n"
    "  no match    nothing of 50% or more\n"
    "Words are counted the same way in every band: runs of letters, digits and\n"
    "marks (with inner hyphens and apostrophes, so 'anak-anak' is one word);\n"
    "punctuation and symbols are not words.\n"
    "\n"
    "Formats:\n"
    "  text  (default) a table per file and one for the total\n"
    "  json  {\"files\":[{\"file\":...,\"bands\":[{\"band\":...,\"segments\":N,\n"
    "        \"words\":N},...],\"segments\":N,\"words\":N}],\"total\":{...}}\n"
    "  csv   file,band,segments,words (the total as file \"TOTAL\")\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db)\n"
    "  -s, --src-lang CODE  language of the articles (default id)\n"
    "  -t, --tgt-lang CODE  language of the translations (default en)\n"
    "  -f, --format FORMAT  text, json or csv (default text)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Example:\n"
    "  selaras analyze --db news.db new-article.id.txt another.id.txt\n",
    run,
};

static void sums(const sl_band_totals *t, size_t *segs, size_t *words)
{
    *segs = *words = 0;
    for (int b = 0; b < SL_BAND_COUNT; b++) {
        *segs += t->segments[b];
        *words += t->words[b];
    }
}

static void print_text(const char *name, const sl_band_totals *t)
{
    size_t segs, words;
    sums(t, &segs, &words);
    printf("%s\n  %-12s %9s %9s\n", name, "band", "segments", "words");
    for (int b = 0; b < SL_BAND_COUNT; b++)
        printf("  %-12s %9zu %9zu\n", sl_band_name(b), t->segments[b], t->words[b]);
    printf("  %-12s %9zu %9zu\n", "total", segs, words);
}

static void print_json(const char *name, const sl_band_totals *t)
{
    size_t segs, words;
    sums(t, &segs, &words);
    fputc('{', stdout);
    if (name) {
        fputs("\"file\":", stdout);
        out_json_string(stdout, name);
        fputc(',', stdout);
    }
    fputs("\"bands\":[", stdout);
    for (int b = 0; b < SL_BAND_COUNT; b++)
        printf("%s{\"band\":\"%s\",\"segments\":%zu,\"words\":%zu}", b ? "," : "",
               sl_band_name(b), t->segments[b], t->words[b]);
    printf("],\"segments\":%zu,\"words\":%zu}", segs, words);
}

/* A CSV field: quoted, with quotes doubled. */
static void csv_field(const char *s)
{
    fputc('"', stdout);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', stdout);
        fputc(*s, stdout);
    }
    fputc('"', stdout);
}

static void print_csv(const char *name, const sl_band_totals *t)
{
    for (int b = 0; b < SL_BAND_COUNT; b++) {
        csv_field(name);
        printf(",%s,%zu,%zu\n", sl_band_name(b), t->segments[b], t->words[b]);
    }
}

static int run(int argc, char **argv)
{
    static const struct option longopts[] = {CMD_TM_LONGOPTS, {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"text", "json", "csv", NULL};
    struct cmd_tm_opts o = CMD_TM_OPTS_INIT(formats);
    int c, done = -1;
    while ((c = cmd_getopt(&cmd_analyze_entry, argc, argv, CMD_TM_SHORTOPTS, longopts, &done)) !=
               -1 &&
           done < 0)
        if (cmd_tm_opt(&cmd_analyze_entry, &o, c, optarg) < 0)
            return EXIT_USAGE;
    if (done >= 0)
        return done;
    if (argc - optind < 1)
        return cmd_usage_error(&cmd_analyze_entry, "give at least one article to analyse");
    int status = EXIT_OK;
    if (!cmd_tm_langs(&o, &status))
        return status;
    const char *src_lang = o.src_lang;
    int format = o.format;

    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    sl_analysis *a = NULL;
    if (sl_tm_open(cmd_db_path(o.db), SL_TM_READONLY, &tm, &err) != SL_OK ||
        sl_analysis_new(tm, o.src_lang, o.tgt_lang, &a, &err) != SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    /* Every file is read and analysed before anything is printed, so a bad
     * file gives an error and no partial report. */
    for (int i = optind; i < argc; i++) {
        char *text = NULL;
        size_t len = 0;
        sl_sentences *s = NULL;
        sl_status st = cmd_load_sentences(argv[i], src_lang, false, &text, &len, &s, &err);
        if (st == SL_OK)
            st = sl_analysis_add(a, s, &err);
        sl_sentences_free(s);
        sl_free(text);
        if (st != SL_OK) {
            status = cmd_fail(&err);
            goto cleanup;
        }
    }
    if (format == 1)
        fputs("{\"files\":[", stdout);
    else if (format == 2)
        puts("file,band,segments,words");
    for (size_t i = 0; i < sl_analysis_files(a); i++) {
        const char *name = argv[optind + (int)i];
        if (format == 0)
            print_text(name, sl_analysis_file(a, i));
        else if (format == 1) {
            if (i)
                fputc(',', stdout);
            print_json(name, sl_analysis_file(a, i));
        } else
            print_csv(name, sl_analysis_file(a, i));
    }
    if (format == 0)
        print_text("TOTAL", sl_analysis_total(a));
    else if (format == 1) {
        fputs("],\"total\":", stdout);
        print_json(NULL, sl_analysis_total(a));
        fputs("}\n", stdout);
    } else
        print_csv("TOTAL", sl_analysis_total(a));
    status = out_finish(EXIT_OK);
cleanup:
    sl_analysis_free(a);
    sl_tm_close(tm);
    return status;
}

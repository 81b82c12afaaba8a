#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_lookup_entry = {
    "lookup",
    "find earlier translations of a sentence",
    "usage: selaras lookup [--db FILE] [--min PERCENT] [--limit N] [--format text|json]\n"
    "                      [--src-lang id] [--tgt-lang en] TEXT\n"
    "\n"
    "Look a sentence up in the TM: the exact match first (100%: the same text after\n"
    "Unicode NFC and whitespace normalisation), then fuzzy matches ranked by a\n"
    "match percentage: 100 * (1 - d / max(n, m)), d being the word-level edit\n"
    "distance between the two sentences of n and m words (punctuation marks count\n"
    "as words, case matters).  A fuzzy match is at most 99%.\n"
    "\n"
    "Formats:\n"
    "  text  (default) per match: PERCENT TAB SOURCE TAB TARGET TAB DOCUMENT\n"
    "  json  one JSON array of objects: percent, source, target, score, src_lang,\n"
    "        tgt_lang, document, unit\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db)\n"
    "  -m, --min PERCENT    smallest fuzzy match to show (default 75)\n"
    "  -n, --limit N        show at most N matches (default 10; 0 = all)\n"
    "  -f, --format FORMAT  text or json (default text)\n"
    "  -s, --src-lang CODE  language of TEXT (default id)\n"
    "  -t, --tgt-lang CODE  language of the translations (default en)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status 0 also when nothing matches (the output is then empty).\n"
    "\n"
    "Example:\n"
    "  selaras lookup --db news.db 'Putin juga mengatakan hal itu.'\n",
    run,
};

static void print_json(const sl_matches *m)
{
    fputs("[", stdout);
    for (size_t i = 0; i < sl_matches_count(m); i++) {
        const sl_match *x = sl_matches_get(m, i);
        printf("%s\n  {\"percent\":%d,\"source\":", i ? "," : "", x->percent);
        out_json_string(stdout, x->unit.source);
        fputs(",\"target\":", stdout);
        out_json_string(stdout, x->unit.target);
        printf(",\"score\":%.4f,\"src_lang\":", x->unit.score);
        out_json_string(stdout, x->unit.src_lang);
        fputs(",\"tgt_lang\":", stdout);
        out_json_string(stdout, x->unit.tgt_lang);
        fputs(",\"document\":", stdout);
        out_json_string(stdout, x->unit.document);
        printf(",\"unit\":%lld}", x->unit.id);
    }
    fputs(sl_matches_count(m) ? "\n]\n" : "]\n", stdout);
}

static void print_text(const sl_matches *m)
{
    for (size_t i = 0; i < sl_matches_count(m); i++) {
        const sl_match *x = sl_matches_get(m, i);
        printf("%d%%\t", x->percent);
        out_tsv_field(stdout, x->unit.source);
        fputc('\t', stdout);
        out_tsv_field(stdout, x->unit.target);
        fputc('\t', stdout);
        out_tsv_field(stdout, x->unit.document);
        fputc('\n', stdout);
    }
}

static int run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"min", required_argument, NULL, 'm'},
        {"limit", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},
        {"src-lang", required_argument, NULL, 's'},
        {"tgt-lang", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_opt = NULL, *src_opt = "id", *tgt_opt = "en";
    long min = 75, limit = 10;
    bool json = false;
    int c, done = -1;
    while ((c = cmd_getopt(&cmd_lookup_entry, argc, argv, ":hd:m:n:f:s:t:", longopts, &done)) !=
               -1 &&
           done < 0) {
        switch (c) {
        case 'd': db_opt = optarg; break;
        case 's': src_opt = optarg; break;
        case 't': tgt_opt = optarg; break;
        case 'm':
            if (!cmd_int(&cmd_lookup_entry, "--min", optarg, 0, 100, &min))
                return EXIT_USAGE;
            break;
        case 'n':
            if (!cmd_int(&cmd_lookup_entry, "--limit", optarg, 0, 1000000000L, &limit))
                return EXIT_USAGE;
            break;
        case 'f': {
            static const char *const formats[] = {"text", "json", NULL};
            int f = cmd_choice(&cmd_lookup_entry, "format", optarg, formats);
            if (f < 0)
                return EXIT_USAGE;
            json = f == 1;
            break;
        }
        }
    }
    if (done >= 0)
        return done;
    if (argc - optind != 1)
        return cmd_usage_error(&cmd_lookup_entry, "give the sentence to look up as one argument "
                                                  "(quote it)");
    const char *query = argv[optind];

    char src_lang[SL_LANG_MAX], tgt_lang[SL_LANG_MAX];
    int status = EXIT_OK;
    if (!cmd_lang(src_opt, src_lang, &status) || !cmd_lang(tgt_opt, tgt_lang, &status))
        return status;

    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    sl_matches *m = NULL;
    if (sl_text_check_utf8("the query", query, strlen(query), &err) != SL_OK ||
        sl_tm_open(cmd_db_path(db_opt), SL_TM_READONLY, &tm, &err) != SL_OK ||
        sl_tm_require_pair(tm, src_lang, tgt_lang, &err) != SL_OK ||
        sl_tm_lookup(tm, query, src_lang, tgt_lang, (int)min, (size_t)limit, &m, &err) != SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    if (json)
        print_json(m);
    else
        print_text(m);
    status = out_finish(EXIT_OK);
cleanup:
    sl_matches_free(m);
    sl_tm_close(tm);
    return status;
}

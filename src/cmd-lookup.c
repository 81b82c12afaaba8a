#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_lookup_entry = {
    "lookup",
    "find earlier translations of a sentence",
    "usage: selaras lookup [--db FILE] [--min PERCENT] [--limit N] [--format text|json]\n"
    "                      [--src-lang id] [--tgt-lang en] TEXT\n"
    "       selaras lookup [options] --file FILE\n"
    "\n"
    "Look a sentence up in the TM: the exact match first (100%: the same text after\n"
    "Unicode NFC and whitespace normalisation), then fuzzy matches ranked by a\n"
    "match percentage: floor(100 * (1 - d / max(n, m))), d being the word-level edit\n"
    "distance between the two sentences of n and m tokens.  Punctuation marks are\n"
    "tokens; a word that differs only in case costs half.  A fuzzy match is at most\n"
    "99%.  Candidates come from the TM's full-text index, not a scan.\n"
    "\n"
    "TEXT is in the --src-lang language and the translations in --tgt-lang; units\n"
    "stored the other way round are found too, so a TM built id -> en also answers\n"
    "English queries with --src-lang en --tgt-lang id.\n"
    "\n"
    "Formats:\n"
    "  text  (default) per match:\n"
    "        PERCENT TAB SOURCE TAB TARGET TAB DOCUMENT TAB DATE\n"
    "        (with --file, each line starts with the query's LINE number and a TAB)\n"
    "  json  one JSON array of objects: percent, source, target, score, src_lang,\n"
    "        tgt_lang, document, date, unit, reversed; with --file, one JSON object\n"
    "        per query line: {\"line\":N,\"query\":\"...\",\"matches\":[...]}\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db)\n"
    "  -m, --min PERCENT    smallest fuzzy match to show (default 75)\n"
    "  -n, --limit N        show at most N matches per query (default 5; 0 = all)\n"
    "  -F, --file FILE      look up every non-empty line of FILE ('-' = stdin)\n"
    "  -f, --format FORMAT  text or json (default text)\n"
    "  -s, --src-lang CODE  language of TEXT (default id)\n"
    "  -t, --tgt-lang CODE  language of the translations (default en)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status 0 also when nothing matches (the output is then empty).\n"
    "\n"
    "Example:\n"
    "  selaras lookup --db news.db 'Putin juga mengatakan hal itu.'\n"
    "  selaras lookup --db news.db --src-lang en --tgt-lang id 'Putin also said so.'\n"
    "  selaras lookup --db news.db --file sentences.txt --format json\n",
    run,
};

static void print_json(const sl_matches *m, bool batch)
{
    fputs("[", stdout);
    for (size_t i = 0; i < sl_matches_count(m); i++) {
        const sl_match *x = sl_matches_get(m, i);
        printf("%s%s{\"percent\":%d,\"source\":", i ? "," : "", batch ? "" : "\n  ", x->percent);
        out_json_string(stdout, x->unit.source);
        fputs(",\"target\":", stdout);
        out_json_string(stdout, x->unit.target);
        printf(",\"score\":%.4f,\"src_lang\":", x->unit.score);
        out_json_string(stdout, x->unit.src_lang);
        fputs(",\"tgt_lang\":", stdout);
        out_json_string(stdout, x->unit.tgt_lang);
        fputs(",\"document\":", stdout);
        out_json_string(stdout, x->unit.document);
        fputs(",\"date\":", stdout);
        out_json_string(stdout, x->unit.created_at);
        printf(",\"unit\":%lld,\"reversed\":%s}", x->unit.id, x->reversed ? "true" : "false");
    }
    fputs(sl_matches_count(m) && !batch ? "\n]" : "]", stdout);
}

static void print_text(const sl_matches *m, size_t line)
{
    for (size_t i = 0; i < sl_matches_count(m); i++) {
        const sl_match *x = sl_matches_get(m, i);
        if (line)
            printf("%zu\t", line);
        printf("%d%%\t", x->percent);
        out_tsv_field(stdout, x->unit.source);
        fputc('\t', stdout);
        out_tsv_field(stdout, x->unit.target);
        fputc('\t', stdout);
        out_tsv_field(stdout, x->unit.document);
        fputc('\t', stdout);
        out_tsv_field(stdout, x->unit.created_at);
        fputc('\n', stdout);
    }
}

struct settings {
    const char *src_lang, *tgt_lang;
    int min;
    size_t limit;
    bool json;
};

static sl_status lookup_one(sl_tm *tm, const struct settings *set, const char *query, size_t line,
                            sl_error *err)
{
    sl_matches *m = NULL;
    sl_status s =
        sl_tm_lookup(tm, query, set->src_lang, set->tgt_lang, set->min, set->limit, &m, err);
    if (s != SL_OK)
        return s;
    if (set->json && line) {
        printf("{\"line\":%zu,\"query\":", line);
        out_json_string(stdout, query);
        fputs(",\"matches\":", stdout);
        print_json(m, true);
        fputs("}\n", stdout);
    } else if (set->json) {
        print_json(m, false);
        fputc('\n', stdout);
    } else {
        print_text(m, line);
    }
    sl_matches_free(m);
    return SL_OK;
}

/* Every non-empty line of the file is a query; a CR before the LF goes. */
static sl_status lookup_file(sl_tm *tm, const struct settings *set, const char *path,
                             sl_error *err)
{
    char *text = NULL;
    size_t len = 0;
    sl_status s = sl_text_read_file(path, &text, &len, err);
    size_t line = 0;
    for (char *p = text; s == SL_OK && p && p < text + len;) {
        char *nl = memchr(p, '\n', (size_t)(text + len - p));
        char *end = nl ? nl : text + len;
        line++;
        if (end > p && end[-1] == '\r')
            end[-1] = '\0';
        *end = '\0';
        if (strspn(p, " \t\r") != strlen(p))
            s = lookup_one(tm, set, p, line, err);
        p = nl ? nl + 1 : text + len;
    }
    sl_free(text);
    return s;
}

static int run(int argc, char **argv)
{
    static const struct option longopts[] = {
        CMD_TM_LONGOPTS,
        {"min", required_argument, NULL, 'm'},
        {"limit", required_argument, NULL, 'n'},
        {"file", required_argument, NULL, 'F'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"text", "json", NULL};
    struct cmd_tm_opts o = CMD_TM_OPTS_INIT(formats);
    const char *file = NULL;
    long min = 75, limit = 5;
    int c, done = -1;
    while ((c = cmd_getopt(&cmd_lookup_entry, argc, argv, CMD_TM_SHORTOPTS "m:n:F:", longopts,
                           &done)) != -1 &&
           done < 0) {
        if (cmd_tm_opt(&cmd_lookup_entry, &o, c, optarg) < 0 ||
            (c == 'm' && !cmd_int(&cmd_lookup_entry, "--min", optarg, 0, 100, &min)) ||
            (c == 'n' && !cmd_int(&cmd_lookup_entry, "--limit", optarg, 0, 1000000000L, &limit)))
            return EXIT_USAGE;
        if (c == 'F')
            file = optarg;
    }
    if (done >= 0)
        return done;
    if (file && argc - optind != 0)
        return cmd_usage_error(&cmd_lookup_entry, "give either --file or a sentence, not both");
    if (!file && argc - optind != 1)
        return cmd_usage_error(&cmd_lookup_entry, "give the sentence to look up as one argument "
                                                  "(quote it), or --file FILE");
    const char *query = file ? NULL : argv[optind];

    int status = EXIT_OK;
    if (!cmd_tm_langs(&o, &status))
        return status;
    struct settings set = {o.src_lang, o.tgt_lang, (int)min, (size_t)limit, o.format == 1};

    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    if ((query && sl_text_check_utf8("the query", query, strlen(query), &err) != SL_OK) ||
        sl_tm_open(cmd_db_path(o.db), SL_TM_READONLY, &tm, &err) != SL_OK ||
        sl_tm_require_pair(tm, o.src_lang, o.tgt_lang, &err) != SL_OK ||
        (query ? lookup_one(tm, &set, query, 0, &err) : lookup_file(tm, &set, file, &err)) !=
            SL_OK) {
        fflush(stdout);
        status = cmd_fail(&err);
        goto cleanup;
    }
    status = out_finish(EXIT_OK);
cleanup:
    sl_tm_close(tm);
    return status;
}

#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_concordance_entry = {
    "concordance",
    "find every unit that contains a phrase",
    "usage: selaras concordance [--db FILE] [--target] [--words] [--limit N]\n"
    "                           [--format text|json] [--src-lang id] [--tgt-lang en] PHRASE\n"
    "\n"
    "Search the TM's full-text index for units whose source (or, with --target,\n"
    "whose target) contains PHRASE: its words in order, ignoring case and\n"
    "punctuation.  With --words, every word of PHRASE anywhere in the sentence.\n"
    "Units stored in either direction are found.  The matched side is shown\n"
    "normalised (NFC, whitespace collapsed) with the matches highlighted.\n"
    "\n"
    "Formats:\n"
    "  text  (default) per unit: SOURCE TAB TARGET TAB DOCUMENT TAB DATE, the\n"
    "        matches inside [[ ]]\n"
    "  json  one JSON array of objects: source, target, src_lang, tgt_lang,\n"
    "        document, date, unit, reversed, side (\"source\" or \"target\") and\n"
    "        highlights: [[start, end], ...] byte offsets into that side\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db)\n"
    "  -T, --target         search the target side (PHRASE in --tgt-lang)\n"
    "  -w, --words          all the words, in any order, not the phrase\n"
    "  -n, --limit N        show at most N units (default 50; 0 = all)\n"
    "  -f, --format FORMAT  text or json (default text)\n"
    "  -s, --src-lang CODE  source language (default id)\n"
    "  -t, --tgt-lang CODE  target language (default en)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status 0 also when nothing matches (the output is then empty).\n"
    "\n"
    "Example:\n"
    "  selaras concordance --db news.db 'kerja sama'\n"
    "  selaras concordance --db news.db --target --words 'cooperation Moscow'\n",
    run,
};

/* text with [[ ]] around the spans (text output) */
static void print_marked(const char *text, const sl_span *spans, size_t n)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        for (; at < spans[i].start; at++)
            fputc(text[at] == '\t' ? ' ' : text[at], stdout);
        fputs("[[", stdout);
        for (; at < spans[i].end; at++)
            fputc(text[at] == '\t' ? ' ' : text[at], stdout);
        fputs("]]", stdout);
    }
    out_tsv_field(stdout, text + at);
}

static int run(int argc, char **argv)
{
    static const struct option longopts[] = {
        CMD_TM_LONGOPTS,
        {"target", no_argument, NULL, 'T'},
        {"words", no_argument, NULL, 'w'},
        {"limit", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"text", "json", NULL};
    struct cmd_tm_opts o = CMD_TM_OPTS_INIT(formats);
    long limit = 50;
    int flags = 0, c, done = -1;
    while ((c = cmd_getopt(&cmd_concordance_entry, argc, argv, CMD_TM_SHORTOPTS "Twn:", longopts,
                           &done)) != -1 &&
           done < 0) {
        if (cmd_tm_opt(&cmd_concordance_entry, &o, c, optarg) < 0 ||
            (c == 'n' &&
             !cmd_int(&cmd_concordance_entry, "--limit", optarg, 0, 1000000000L, &limit)))
            return EXIT_USAGE;
        if (c == 'T')
            flags |= SL_CONCORDANCE_TARGET;
        else if (c == 'w')
            flags |= SL_CONCORDANCE_WORDS;
    }
    if (done >= 0)
        return done;
    if (argc - optind != 1)
        return cmd_usage_error(&cmd_concordance_entry,
                               "give the phrase to search for as one argument (quote it)");
    const char *phrase = argv[optind];
    int status = EXIT_OK;
    if (!cmd_tm_langs(&o, &status))
        return status;
    bool json = o.format == 1;

    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    sl_matches *m = NULL;
    if (sl_text_check_utf8("the phrase", phrase, strlen(phrase), &err) != SL_OK ||
        sl_tm_open(cmd_db_path(o.db), SL_TM_READONLY, &tm, &err) != SL_OK ||
        sl_tm_concordance(tm, phrase, o.src_lang, o.tgt_lang, flags, (size_t)limit, &m, &err) !=
            SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    bool on_target = flags & SL_CONCORDANCE_TARGET;
    if (json)
        fputs("[", stdout);
    for (size_t i = 0; i < sl_matches_count(m); i++) {
        const sl_match *x = sl_matches_get(m, i);
        const sl_span *spans = NULL;
        size_t n = sl_matches_spans(m, i, &spans);
        if (json) {
            fputs(i ? ",\n  {\"source\":" : "\n  {\"source\":", stdout);
            out_json_string(stdout, x->unit.source);
            fputs(",\"target\":", stdout);
            out_json_string(stdout, x->unit.target);
            fputs(",\"src_lang\":", stdout);
            out_json_string(stdout, x->unit.src_lang);
            fputs(",\"tgt_lang\":", stdout);
            out_json_string(stdout, x->unit.tgt_lang);
            fputs(",\"document\":", stdout);
            out_json_string(stdout, x->unit.document);
            fputs(",\"date\":", stdout);
            out_json_string(stdout, x->unit.created_at);
            printf(",\"unit\":%lld,\"reversed\":%s,\"side\":\"%s\",\"highlights\":[", x->unit.id,
                   x->reversed ? "true" : "false", on_target ? "target" : "source");
            for (size_t k = 0; k < n; k++)
                printf("%s[%zu,%zu]", k ? "," : "", spans[k].start, spans[k].end);
            fputs("]}", stdout);
            continue;
        }
        if (on_target) {
            out_tsv_field(stdout, x->unit.source);
            fputc('\t', stdout);
            print_marked(x->unit.target, spans, n);
        } else {
            print_marked(x->unit.source, spans, n);
            fputc('\t', stdout);
            out_tsv_field(stdout, x->unit.target);
        }
        fputc('\t', stdout);
        out_tsv_field(stdout, x->unit.document);
        fputc('\t', stdout);
        out_tsv_field(stdout, x->unit.created_at);
        fputc('\n', stdout);
    }
    if (json)
        fputs(sl_matches_count(m) ? "\n]\n" : "]\n", stdout);
    status = out_finish(EXIT_OK);
cleanup:
    sl_matches_free(m);
    sl_tm_close(tm);
    return status;
}

#include "cmd.h"
#include "align-jsonl.h"
#include "out.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_align_entry = {
    "align",
    "align the sentences of an article and its translation",
    "usage: selaras align [--src-lang id] [--tgt-lang en] [--presegmented]\n"
    "                     [--format tsv|beads|json|html] [--low-score X] [--db FILE]\n"
    "                     [--min-score X] [--force] [--srx FILE] SRC TGT\n"
    "       selaras align --jsonl [--src-lang id] [--tgt-lang en] [FILE|-]\n"
    "\n"
    "Segment both files (or, with --presegmented, read one sentence per line with\n"
    "a blank line between paragraphs) and align their sentences into beads: 1-1,\n"
    "1-2, 2-1, 2-2, and 1-0 / 0-1 for a sentence without a counterpart.  Each bead\n"
    "has a confidence score from 0 to 1 (see README, \"Alignment scores\").\n"
    "\n"
    "Texts that cannot be translations of each other (one side empty, one side\n"
    "over four times longer in both characters and sentences, or almost none of\n"
    "their numbers, names and shared words matching) are refused with exit\n"
    "status 3 unless --force is given.\n"
    "\n"
    "Formats:\n"
    "  tsv    (default) one line per bead with both sides: source TAB target TAB score;\n"
    "         merged sentences are joined with one space\n"
    "  beads  one line per bead, also 1-0 and 0-1: i[,j...] TAB k[,l...] TAB score;\n"
    "         0-based sentence indices as 'selaras segment' prints them, an empty\n"
    "         field for an empty side\n"
    "  json   one JSON object per line and bead: src, tgt (index arrays), source,\n"
    "         target (texts) and score\n"
    "  html   a self-contained review page: both texts side by side, one row per\n"
    "         bead with its shape and score, rows scoring below --low-score and\n"
    "         unpaired sentences highlighted, paragraph starts marked, bead counts\n"
    "         and a score histogram at the top\n"
    "\n"
    "JSON lines:\n"
    "With --jsonl, for cluster engines such as Hadoop Streaming or Spark's\n"
    "RDD.pipe, each input line (standard input, or FILE) is one document pair\n"
    "  {\"id\":\"DOC\",\"src\":\"SOURCE TEXT\",\"tgt\":\"TARGET TEXT\"}\n"
    "with optional \"src_lang\" and \"tgt_lang\" (else --src-lang and --tgt-lang);\n"
    "other keys are ignored.  Every bead with both sides becomes one output line\n"
    "  {\"id\":\"DOC\",\"src\":\"...\",\"tgt\":\"...\",\"score\":0.9725,\"bead\":\"1-1\",\n"
    "   \"src_lang\":\"id\",\"tgt_lang\":\"en\",\"position\":N}\n"
    "where position is the index of the bead in the document, as 'selaras add'\n"
    "stores it.  A line that is not such an object (malformed JSON, invalid\n"
    "UTF-8, a missing or empty text) is reported on standard error with its line\n"
    "number and skipped; the exit status is then 1.  Blank lines are skipped.\n"
    "\n"
    "Options:\n"
    "  -s, --src-lang CODE  language of SRC (default id)\n"
    "  -t, --tgt-lang CODE  language of TGT (default en)\n"
    "  -p, --presegmented   the files already hold one sentence per line\n"
    "  -f, --format FORMAT  tsv, beads, json or html (default tsv)\n"
    "      --low-score X    html: highlight beads scoring below X (default 0.3)\n"
    "  -d, --db FILE        use the word translations of this TM: imported\n"
    "                       dictionaries ('selaras dict import') and learned\n"
    "                       associations ('selaras learn')\n"
    "  -m, --min-score X    pairs scoring below X (0 to 1) become unmatched\n"
    "                       sentences (1-0 and 0-1 beads)\n"
    "  -F, --force          align even texts that do not look like translations\n"
    "  -x, --srx FILE       segment with the SRX 2.0 rules in FILE\n"
    "  -j, --jsonl          read document pairs as JSON lines, write pairs as JSON\n"
    "                       lines\n"
    "  -h, --help           show this help\n"
    "\n"
    "Examples:\n"
    "  selaras align tm/article.id.txt tm/article.en.txt\n"
    "  selaras align --jsonl <pairs.jsonl >aligned.jsonl\n",
    run,
};

enum format { FMT_TSV, FMT_BEADS, FMT_JSON, FMT_HTML };

static void print_text(FILE *f, const sl_sentences *s, size_t start, size_t count, bool json)
{
    if (json)
        fputc('"', f);
    for (size_t k = 0; k < count; k++) {
        if (k)
            fputc(' ', f);
        if (json)
            out_json_chars(f, sl_sentences_text(s, start + k));
        else
            out_tsv_field(f, sl_sentences_text(s, start + k));
    }
    if (json)
        fputc('"', f);
}

static void print_indices(FILE *f, size_t start, size_t count, bool json)
{
    if (json)
        fputc('[', f);
    for (size_t k = 0; k < count; k++)
        fprintf(f, "%s%zu", k ? "," : "", start + k);
    if (json)
        fputc(']', f);
}

static void print_bead(const sl_bead *b, const sl_sentences *src, const sl_sentences *tgt,
                       enum format fmt)
{
    switch (fmt) {
    case FMT_TSV:
        if (!b->src_count || !b->tgt_count)
            return;
        print_text(stdout, src, b->src_start, b->src_count, false);
        fputc('\t', stdout);
        print_text(stdout, tgt, b->tgt_start, b->tgt_count, false);
        printf("\t%.4f\n", b->score);
        break;
    case FMT_BEADS:
        print_indices(stdout, b->src_start, b->src_count, false);
        fputc('\t', stdout);
        print_indices(stdout, b->tgt_start, b->tgt_count, false);
        printf("\t%.4f\n", b->score);
        break;
    case FMT_JSON:
        fputs("{\"src\":", stdout);
        print_indices(stdout, b->src_start, b->src_count, true);
        fputs(",\"tgt\":", stdout);
        print_indices(stdout, b->tgt_start, b->tgt_count, true);
        fputs(",\"source\":", stdout);
        print_text(stdout, src, b->src_start, b->src_count, true);
        fputs(",\"target\":", stdout);
        print_text(stdout, tgt, b->tgt_start, b->tgt_count, true);
        printf(",\"score\":%.4f}\n", b->score);
        break;
    case FMT_HTML:
        break;
    }
}

static int run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"src-lang", required_argument, NULL, 's'},
        {"tgt-lang", required_argument, NULL, 't'},
        {"presegmented", no_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"low-score", required_argument, NULL, 1000},
        {"db", required_argument, NULL, 'd'},
        {"min-score", required_argument, NULL, 'm'},
        {"force", no_argument, NULL, 'F'},
        {"srx", required_argument, NULL, 'x'},
        {"jsonl", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *src_opt = "id", *tgt_opt = "en", *db_opt = NULL;
    bool presegmented = false, force = false, jsonl = false, fmt_given = false;
    double min_score = 0;
    enum format fmt = FMT_TSV;
    sl_review_options ropt = sl_review_defaults();
    int c, done = -1;
    while ((c = cmd_getopt(&cmd_align_entry, argc, argv, ":hs:t:pf:d:m:Fx:j", longopts, &done)) !=
               -1 &&
           done < 0) {
        switch (c) {
        case 's': src_opt = optarg; break;
        case 't': tgt_opt = optarg; break;
        case 'p': presegmented = true; break;
        case 'd': db_opt = optarg; break;
        case 'F': force = true; break;
        case 'm':
            if (!cmd_score(&cmd_align_entry, "--min-score", optarg, &min_score))
                return EXIT_USAGE;
            break;
        case 'x': cmd_srx = optarg; break;
        case 'j': jsonl = true; break;
        case 'f': {
            static const char *const formats[] = {"tsv", "beads", "json", "html", NULL};
            int f = cmd_choice(&cmd_align_entry, "format", optarg, formats);
            if (f < 0)
                return EXIT_USAGE;
            fmt = (enum format)f;
            fmt_given = true;
            break;
        }
        case 1000: /* --low-score */
            if (!cmd_score(&cmd_align_entry, "--low-score", optarg, &ropt.low_score))
                return EXIT_USAGE;
            break;
        }
    }
    if (done >= 0)
        return done;
    if (jsonl && (presegmented || fmt_given))
        return cmd_usage_error(&cmd_align_entry,
                               "--jsonl reads texts and writes JSON lines; it takes neither "
                               "--presegmented nor --format");
    if (jsonl && (db_opt || force || min_score > 0 || cmd_srx))
        return cmd_usage_error(&cmd_align_entry, "--jsonl aligns with the defaults; it takes "
                                                 "none of --db, --min-score, --force, --srx");
    if (jsonl && argc - optind > 1)
        return cmd_usage_error(&cmd_align_entry, "--jsonl reads one FILE or standard input");
    if (!jsonl && argc - optind != 2)
        return cmd_usage_error(&cmd_align_entry, "give two files, SRC and TGT");

    char src_lang[SL_LANG_MAX], tgt_lang[SL_LANG_MAX];
    int status = EXIT_OK;
    if (!cmd_lang(src_opt, src_lang, &status) || !cmd_lang(tgt_opt, tgt_lang, &status))
        return status;
    if (jsonl)
        return align_jsonl(optind < argc ? argv[optind] : NULL, src_lang, tgt_lang);

    sl_error err;
    sl_error_clear(&err);
    struct cmd_pair p;
    sl_review *review = NULL;
    memset(&p, 0, sizeof p);
    sl_tm *tm = NULL;
    sl_align_options opt = {NULL, !force};
    sl_lexicon *lex = NULL;
    if (db_opt && (sl_tm_open(db_opt, SL_TM_READONLY, &tm, &err) != SL_OK ||
                   sl_tm_lexicon(tm, src_lang, tgt_lang, NULL, &lex, &err) != SL_OK)) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    opt.lexicon = lex;
    if (cmd_pair_load_with(&p, argv[optind], argv[optind + 1], src_lang, tgt_lang, presegmented,
                           &opt, min_score, &err) != SL_OK) {
        status = cmd_pair_fail(&err, argv[optind], argv[optind + 1]);
        goto cleanup;
    }
    if (fmt == FMT_HTML) {
        ropt.src_name = argv[optind];
        ropt.tgt_name = argv[optind + 1];
        ropt.src_lang = src_lang;
        ropt.tgt_lang = tgt_lang;
        if (sl_review_new(&ropt, &review, &err) != SL_OK ||
            sl_review_add_alignment(review, p.src, p.tgt, p.al, &err) != SL_OK ||
            sl_review_write(review, stdout, "standard output", &err) != SL_OK) {
            status = cmd_fail(&err);
            goto cleanup;
        }
    } else {
        for (size_t i = 0; i < sl_alignment_count(p.al); i++)
            print_bead(sl_alignment_bead(p.al, i), p.src, p.tgt, fmt);
    }
    status = out_finish(EXIT_OK);
cleanup:
    sl_review_free(review);
    cmd_pair_free(&p);
    sl_lexicon_free(lex);
    sl_tm_close(tm);
    return status;
}

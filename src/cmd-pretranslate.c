#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_pretranslate_entry = {
    "pretranslate",
    "a draft translation of an article from the TM",
    "usage: selaras pretranslate [--db FILE] [--min PERCENT] [--src-lang id] [--tgt-lang en]\n"
    "                            [--format tsv|json|text] [-o OUT] ARTICLE\n"
    "\n"
    "Segment the article and look every sentence up in the TM: its best match of\n"
    "--min percent or more (default 75), with the stored translation and where\n"
    "it came from.\n"
    "\n"
    "Formats:\n"
    "  tsv   (default) per sentence: INDEX TAB PARAGRAPH TAB PERCENT TAB SENTENCE\n"
    "        TAB MATCHED SOURCE TAB TARGET TAB DOCUMENT TAB DATE; PERCENT is '-'\n"
    "        and the match fields empty when nothing reaches --min\n"
    "  json  one array of objects: index, paragraph, sentence and match (null, or\n"
    "        percent, source, target, score (the unit's alignment score),\n"
    "        document, date, unit, reversed)\n"
    "  text  a draft target text: the article's paragraphs (separated by a blank\n"
    "        line), each sentence replaced by the TM's translation where a match\n"
    "        reaches --min, else kept as [[LANG: SENTENCE]] for the translator\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db)\n"
    "  -m, --min PERCENT    smallest match to use (default 75)\n"
    "  -s, --src-lang CODE  language of the article (default id)\n"
    "  -t, --tgt-lang CODE  language of the translation (default en)\n"
    "  -f, --format FORMAT  tsv, json or text (default tsv)\n"
    "  -o, --output OUT     write to OUT (complete or not at all; never the TM or\n"
    "                       the article itself) instead of standard output ('-')\n"
    "  -h, --help           show this help\n"
    "\n"
    "Example:\n"
    "  selaras pretranslate --db news.db --format text new.id.txt -o new.en.draft.txt\n",
    run,
};

struct draft {
    const sl_sentences *s;
    sl_matches **best; /* per sentence, NULL entries for no match */
    const char *src_lang;
    int format;
};

static void write_tsv(FILE *f, const struct draft *d)
{
    for (size_t i = 0; i < sl_sentences_count(d->s); i++) {
        const sl_match *x = sl_matches_get(d->best[i], 0);
        fprintf(f, "%zu\t%zu\t", i + 1, sl_sentences_paragraph(d->s, i) + 1);
        if (x)
            fprintf(f, "%d\t", x->percent);
        else
            fputs("-\t", f);
        out_tsv_field(f, sl_sentences_text(d->s, i));
        fputc('\t', f);
        if (x) {
            out_tsv_field(f, x->unit.source);
            fputc('\t', f);
            out_tsv_field(f, x->unit.target);
            fputc('\t', f);
            out_tsv_field(f, x->unit.document);
            fputc('\t', f);
            out_tsv_field(f, x->unit.created_at);
        } else {
            fputs("\t\t\t", f);
        }
        fputc('\n', f);
    }
}

static void write_json(FILE *f, const struct draft *d)
{
    fputc('[', f);
    for (size_t i = 0; i < sl_sentences_count(d->s); i++) {
        const sl_match *x = sl_matches_get(d->best[i], 0);
        fprintf(f, "%s\n  {\"index\":%zu,\"paragraph\":%zu,\"sentence\":", i ? "," : "", i + 1,
                sl_sentences_paragraph(d->s, i) + 1);
        out_json_string(f, sl_sentences_text(d->s, i));
        if (!x) {
            fputs(",\"match\":null}", f);
            continue;
        }
        fprintf(f, ",\"match\":{\"percent\":%d,\"source\":", x->percent);
        out_json_string(f, x->unit.source);
        fputs(",\"target\":", f);
        out_json_string(f, x->unit.target);
        fprintf(f, ",\"score\":%.4f,\"document\":", x->unit.score);
        out_json_string(f, x->unit.document);
        fputs(",\"date\":", f);
        out_json_string(f, x->unit.created_at);
        fprintf(f, ",\"unit\":%lld,\"reversed\":%s}}", x->unit.id, x->reversed ? "true" : "false");
    }
    fputs(sl_sentences_count(d->s) ? "\n]\n" : "]\n", f);
}

static void write_text(FILE *f, const struct draft *d)
{
    for (size_t i = 0; i < sl_sentences_count(d->s); i++) {
        const sl_match *x = sl_matches_get(d->best[i], 0);
        if (i > 0)
            fputs(sl_sentences_paragraph(d->s, i) != sl_sentences_paragraph(d->s, i - 1) ? "\n\n"
                                                                                           : " ",
                  f);
        if (x)
            fputs(x->unit.target, f);
        else
            fprintf(f, "[[%s: %s]]", d->src_lang, sl_sentences_text(d->s, i));
    }
    if (sl_sentences_count(d->s))
        fputc('\n', f);
}

static void write_draft(FILE *f, const struct draft *d)
{
    if (d->format == 1)
        write_json(f, d);
    else if (d->format == 2)
        write_text(f, d);
    else
        write_tsv(f, d);
}

static bool draft_cb(FILE *f, void *ctx)
{
    write_draft(f, ctx);
    return true;
}

/* The draft must not replace its own inputs. */
static bool same_file(const char *a, const char *b)
{
    struct stat x, y;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

static int run(int argc, char **argv)
{
    static const struct option longopts[] = {
        CMD_TM_LONGOPTS,
        {"min", required_argument, NULL, 'm'},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"tsv", "json", "text", NULL};
    struct cmd_tm_opts o = CMD_TM_OPTS_INIT(formats);
    const char *out = NULL;
    long min = 75;
    int c, done = -1;
    while ((c = cmd_getopt(&cmd_pretranslate_entry, argc, argv, CMD_TM_SHORTOPTS "m:o:", longopts,
                           &done)) != -1 &&
           done < 0) {
        if (cmd_tm_opt(&cmd_pretranslate_entry, &o, c, optarg) < 0 ||
            (c == 'm' && !cmd_int(&cmd_pretranslate_entry, "--min", optarg, 0, 100, &min)))
            return EXIT_USAGE;
        if (c == 'o')
            out = strcmp(optarg, "-") == 0 ? NULL : optarg;
    }
    if (done >= 0)
        return done;
    if (argc - optind != 1)
        return cmd_usage_error(&cmd_pretranslate_entry, "give one article to pre-translate");
    int status = EXIT_OK;
    if (!cmd_tm_langs(&o, &status))
        return status;
    const char *src_lang = o.src_lang, *tgt_lang = o.tgt_lang;
    int format = o.format;

    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    char *text = NULL;
    size_t len = 0, n = 0;
    sl_sentences *s = NULL;
    sl_matches **best = NULL;
    const char *db = cmd_db_path(o.db);
    if (sl_tm_open(db, SL_TM_READONLY, &tm, &err) != SL_OK ||
        cmd_load_sentences(argv[optind], src_lang, false, &text, &len, &s, &err) != SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    n = sl_sentences_count(s);
    best = calloc(n ? n : 1, sizeof *best);
    if (!best) {
        fprintf(stderr, "selaras: out of memory\n");
        status = EXIT_FAIL;
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        if (sl_tm_lookup(tm, sl_sentences_text(s, i), src_lang, tgt_lang, (int)min, 1, &best[i],
                         &err) != SL_OK) {
            status = cmd_fail(&err);
            goto cleanup;
        }
    }
    struct draft d = {s, best, src_lang, format};
    if (out && same_file(out, db)) {
        fprintf(stderr, "selaras: %s: is the translation memory itself (give another file name)\n",
                out);
        status = EXIT_FAIL;
    } else if (out && same_file(out, argv[optind])) {
        fprintf(stderr, "selaras: %s: is the article itself (give another file name)\n", out);
        status = EXIT_FAIL;
    } else if (out) {
        if (sl_file_write(out, draft_cb, &d, &err) != SL_OK)
            status = cmd_fail(&err);
    } else {
        write_draft(stdout, &d);
        status = out_finish(EXIT_OK);
    }
cleanup:
    for (size_t i = 0; best && i < n; i++)
        sl_matches_free(best[i]);
    free(best);
    sl_sentences_free(s);
    sl_free(text);
    sl_tm_close(tm);
    return status;
}

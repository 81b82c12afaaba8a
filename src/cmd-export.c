#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_export_entry = {
    "export",
    "write the TM as TMX 1.4b",
    "usage: selaras export [--db FILE] [-o FILE.tmx] [--src-lang CODE --tgt-lang CODE]\n"
    "                      [--min-score X] [--doc ID] [--since DATE] [--sanitize]\n"
    "                      [--no-provenance]\n"
    "\n"
    "Write the translation units as TMX 1.4b (UTF-8), valid against the TMX 1.4b\n"
    "DTD and readable by OmegaT and translate-toolkit.  Each unit has a unique\n"
    "tuid, its srclang, a creationdate and its provenance as x-document, x-score,\n"
    "x-bead and x-occurrences props; the source tuv comes first.  Texts are\n"
    "written trimmed and in NFC, language tags lower case with hyphens (en-us).\n"
    "A file is written under a temporary name in the same directory, synced and\n"
    "renamed when complete, so an interrupted export never leaves a half-written\n"
    "file under the name given.\n"
    "\n"
    "A text holding a character that XML forbids (a control character other than\n"
    "tab and line breaks, U+FFFE, U+FFFF) stops the export with a message naming\n"
    "the unit; with --sanitize such characters are dropped and counted instead.\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db)\n"
    "  -o, --output FILE    where to write (default - = standard output)\n"
    "  -s, --src-lang CODE  export only this language pair, in this direction:\n"
    "  -t, --tgt-lang CODE  units stored the other way round are written with\n"
    "                       their sides swapped (give both)\n"
    "      --min-score X    only units whose best alignment score is at least X (0-1)\n"
    "      --doc ID         only units that occur in document ID (ids: selaras stats)\n"
    "      --since DATE     only units created at or after DATE, in UTC: YYYY-MM-DD,\n"
    "                       YYYY-MM-DDThh:mm:ssZ or YYYYMMDDThhmmssZ\n"
    "      --sanitize       drop characters XML forbids instead of failing\n"
    "      --no-provenance  leave out the x- props\n"
    "  -h, --help           show this help\n"
    "\n"
    "Example:\n"
    "  selaras export --db news.db -o news.tmx\n"
    "  selaras export --db news.db --src-lang en --tgt-lang id --min-score 0.5 -o en-id.tmx\n",
    run,
};

static int run(int argc, char **argv)
{
    enum {
        OPT_NO_PROVENANCE = 1000,
        OPT_MIN_SCORE,
        OPT_DOC,
        OPT_SINCE,
        OPT_SANITIZE,
    };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"output", required_argument, NULL, 'o'},
        {"src-lang", required_argument, NULL, 's'},
        {"tgt-lang", required_argument, NULL, 't'},
        {"no-provenance", no_argument, NULL, OPT_NO_PROVENANCE},
        {"min-score", required_argument, NULL, OPT_MIN_SCORE},
        {"doc", required_argument, NULL, OPT_DOC},
        {"since", required_argument, NULL, OPT_SINCE},
        {"sanitize", no_argument, NULL, OPT_SANITIZE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_opt = NULL, *out = "-", *src_opt = NULL, *tgt_opt = NULL;
    sl_tmx_options opt = {.src_lang = NULL};
    int c, done = -1;
    long doc = 0;
    while ((c = cmd_getopt(&cmd_export_entry, argc, argv, ":hd:o:s:t:", longopts, &done)) != -1 &&
           done < 0) {
        switch (c) {
        case 'd': db_opt = optarg; break;
        case 'o': out = optarg; break;
        case 's': src_opt = optarg; break;
        case 't': tgt_opt = optarg; break;
        case OPT_NO_PROVENANCE: opt.no_provenance = true; break;
        case OPT_SANITIZE: opt.sanitize = true; break;
        case OPT_SINCE: opt.since = optarg; break;
        case OPT_DOC:
            if (!cmd_int(&cmd_export_entry, "--doc", optarg, 1, 0x7fffffffL, &doc))
                return EXIT_USAGE;
            opt.document = doc;
            break;
        case OPT_MIN_SCORE:
            if (!cmd_score(&cmd_export_entry, "--min-score", optarg, &opt.min_score))
                return EXIT_USAGE;
            break;
        }
    }
    if (done >= 0)
        return done;
    if (optind < argc)
        return cmd_usage_error(&cmd_export_entry, "unexpected argument '%s'", argv[optind]);
    if ((src_opt == NULL) != (tgt_opt == NULL))
        return cmd_usage_error(&cmd_export_entry, "give both --src-lang and --tgt-lang, or neither");

    sl_error err;
    sl_error_clear(&err);
    char src_lang[SL_LANG_MAX], tgt_lang[SL_LANG_MAX], since[21];
    int status = EXIT_OK;
    if (src_opt) {
        if (!cmd_lang(src_opt, src_lang, &status) || !cmd_lang(tgt_opt, tgt_lang, &status))
            return status;
        if (strcmp(src_lang, tgt_lang) == 0)
            return cmd_usage_error(&cmd_export_entry, "--src-lang and --tgt-lang are both '%s'",
                                   src_lang);
        opt.src_lang = src_lang;
        opt.tgt_lang = tgt_lang;
    }
    if (opt.since && sl_tmx_parse_date(opt.since, since, &err) != SL_OK)
        return cmd_usage_error(&cmd_export_entry, "--since: %s", sl_error_message(&err));

    sl_tm *tm = NULL;
    sl_tmx_report rep;
    const char *db = cmd_db_path(db_opt);
    if (sl_tm_open(db, SL_TM_READONLY, &tm, &err) != SL_OK ||
        (opt.src_lang && sl_tm_require_pair(tm, opt.src_lang, opt.tgt_lang, &err) != SL_OK) ||
        sl_tmx_export_report(tm, out, &opt, &rep, &err) != SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    const char *shown = strcmp(out, "-") == 0 ? "standard output" : out;
    if (rep.chars_dropped)
        fprintf(stderr, "selaras: %s: --sanitize dropped %zu character%s XML forbids from %zu unit%s\n",
                shown, rep.chars_dropped, rep.chars_dropped == 1 ? "" : "s", rep.units_sanitized,
                rep.units_sanitized == 1 ? "" : "s");
    if (rep.units_skipped)
        fprintf(stderr, "selaras: %s: %zu unit%s left out: a side had no text left\n", shown,
                rep.units_skipped, rep.units_skipped == 1 ? "" : "s");
    if (strcmp(out, "-") != 0)
        printf("%s: %zu translation units written to %s\n", db, rep.units, out);
    status = out_finish(EXIT_OK);
cleanup:
    sl_tm_close(tm);
    return status;
}

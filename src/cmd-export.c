#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_export_entry = {
    "export",
    "write the TM as TMX 1.4b",
    "usage: selaras export [--db FILE] [-o FILE.tmx] [--src-lang CODE --tgt-lang CODE]\n"
    "                      [--no-provenance]\n"
    "\n"
    "Write the translation units as TMX 1.4b (UTF-8), valid against the TMX 1.4b\n"
    "DTD and readable by OmegaT and translate-toolkit.  Each unit carries its\n"
    "provenance as x-document, x-score, x-bead and x-occurrences props.  A file is\n"
    "written under a temporary name and renamed when complete, so an interrupted\n"
    "export never leaves a half-written file.\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db)\n"
    "  -o, --output FILE    where to write (default - = standard output)\n"
    "  -s, --src-lang CODE  export only this language pair (give both)\n"
    "  -t, --tgt-lang CODE\n"
    "      --no-provenance  leave out the x- props\n"
    "  -h, --help           show this help\n"
    "\n"
    "Example:\n"
    "  selaras export --db news.db -o news.tmx\n",
    run,
};

static int run(int argc, char **argv)
{
    enum { OPT_NO_PROVENANCE = 1000 };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"output", required_argument, NULL, 'o'},
        {"src-lang", required_argument, NULL, 's'},
        {"tgt-lang", required_argument, NULL, 't'},
        {"no-provenance", no_argument, NULL, OPT_NO_PROVENANCE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_opt = NULL, *out = "-", *src_opt = NULL, *tgt_opt = NULL;
    sl_tmx_options opt = {NULL, NULL, false};
    int c, done = -1;
    while ((c = cmd_getopt(&cmd_export_entry, argc, argv, ":hd:o:s:t:", longopts, &done)) != -1 &&
           done < 0) {
        switch (c) {
        case 'd': db_opt = optarg; break;
        case 'o': out = optarg; break;
        case 's': src_opt = optarg; break;
        case 't': tgt_opt = optarg; break;
        case OPT_NO_PROVENANCE: opt.no_provenance = true; break;
        }
    }
    if (done >= 0)
        return done;
    if (optind < argc)
        return cmd_usage_error(&cmd_export_entry, "unexpected argument '%s'", argv[optind]);
    if ((src_opt == NULL) != (tgt_opt == NULL))
        return cmd_usage_error(&cmd_export_entry, "give both --src-lang and --tgt-lang, or neither");

    char src_lang[SL_LANG_MAX], tgt_lang[SL_LANG_MAX];
    int status = EXIT_OK;
    if (src_opt) {
        if (!cmd_lang(src_opt, src_lang, &status) || !cmd_lang(tgt_opt, tgt_lang, &status))
            return status;
        opt.src_lang = src_lang;
        opt.tgt_lang = tgt_lang;
    }

    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    size_t units = 0;
    const char *db = cmd_db_path(db_opt);
    if (sl_tm_open(db, SL_TM_READONLY, &tm, &err) != SL_OK ||
        (opt.src_lang && sl_tm_require_pair(tm, opt.src_lang, opt.tgt_lang, &err) != SL_OK) ||
        sl_tmx_export(tm, out, &opt, &units, &err) != SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    if (strcmp(out, "-") != 0)
        printf("%s: %zu translation units written to %s\n", db, units, out);
    status = out_finish(EXIT_OK);
cleanup:
    sl_tm_close(tm);
    return status;
}

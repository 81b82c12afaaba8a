#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <stdlib.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_learn_entry = {
    "learn",
    "learn word translations from the TM's units, for the aligner",
    "usage: selaras learn [--db FILE] [--src-lang id] [--tgt-lang en] [--min-score X]\n"
    "                     [--min-pairs N]\n"
    "\n"
    "Count which source and target words occur together in the TM's units of a\n"
    "language pair that scored at least --min-score, and store the word pairs\n"
    "with a high Dice coefficient, 2 c(s,t) / (c(s) + c(t)), that are among the\n"
    "two best of both their words.  'selaras align --db' and 'selaras add' then\n"
    "use them like dictionary entries on later documents.  Each run replaces what\n"
    "an earlier one learned for the pair, in one transaction.\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db)\n"
    "  -s, --src-lang CODE  source language (default id)\n"
    "  -t, --tgt-lang CODE  target language (default en)\n"
    "  -m, --min-score X    learn from units scoring X (0 to 1) or more (default 0.5)\n"
    "  -n, --min-pairs N    a word pair must occur in N units (default 3)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Example:\n"
    "  selaras learn --db news.db\n",
    run,
};

static int run(int argc, char **argv)
{
    static const struct option longopts[] = {
        CMD_TM_LONGOPTS,
        {"min-score", required_argument, NULL, 'm'},
        {"min-pairs", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    struct cmd_tm_opts o = CMD_TM_OPTS_INIT(NULL);
    sl_learn_options lo = {0.5, 3, 0.3, 2};
    long pairs = 3;
    int c, done = -1;
    while ((c = cmd_getopt(&cmd_learn_entry, argc, argv, ":hd:s:t:m:n:", longopts, &done)) !=
               -1 &&
           done < 0) {
        if (cmd_tm_opt(&cmd_learn_entry, &o, c, optarg) < 0 ||
            (c == 'm' && !cmd_score(&cmd_learn_entry, "--min-score", optarg, &lo.min_score)) ||
            (c == 'n' && !cmd_int(&cmd_learn_entry, "--min-pairs", optarg, 1, 1000000, &pairs)))
            return EXIT_USAGE;
        lo.min_pairs = (unsigned)pairs;
    }
    if (done >= 0)
        return done;
    if (argc - optind != 0)
        return cmd_usage_error(&cmd_learn_entry, "unexpected argument '%s'", argv[optind]);

    int status = EXIT_OK;
    if (!cmd_tm_langs(&o, &status))
        return status;
    const char *src_lang = o.src_lang, *tgt_lang = o.tgt_lang, *db_opt = o.db;
    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    const char *db = cmd_db_path(db_opt);
    sl_learn_result res;
    if (sl_tm_open(db, 0, &tm, &err) != SL_OK ||
        sl_tm_learn(tm, src_lang, tgt_lang, &lo, &res, &err) != SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    printf("%s: %zu word pairs learned from %zu %s-%s units\n", db, res.associations, res.units,
           src_lang, tgt_lang);
    status = out_finish(EXIT_OK);
cleanup:
    sl_tm_close(tm);
    return status;
}

#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_review_entry = {
    "review",
    "write an HTML page to review the alignment of a stored document",
    "usage: selaras review [--db FILE] --doc ID [-o FILE.html] [--low-score X]\n"
    "\n"
    "Write one self-contained HTML page (no scripts, nothing loaded from the\n"
    "network) showing how document ID of the TM was aligned: source and target\n"
    "side by side, one row per bead with its shape (1-1, 2-1, 1-0, ...) and score,\n"
    "beads scoring below the threshold and sentences without a counterpart\n"
    "highlighted, paragraph starts marked, and a summary at the top: the count of\n"
    "each bead shape and a histogram of the scores.  The page is the same as\n"
    "'selaras align --format html' gives for the two files.\n"
    "\n"
    "The TM keeps the beads with both sides.  Unpaired sentences and paragraph\n"
    "breaks come from the document's files when they are still where they were\n"
    "added from and unchanged; otherwise those sentences are shown by number and\n"
    "the page says so.\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db)\n"
    "      --doc ID         the document (its id, as 'selaras add' printed it)\n"
    "  -o, --output FILE    where to write (default - = standard output)\n"
    "      --low-score X    highlight beads scoring below X, 0-1 (default 0.3)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Example:\n"
    "  selaras review --db news.db --doc 1 -o doc1.html\n",
    run,
};

static int run(int argc, char **argv)
{
    enum { OPT_DOC = 1000, OPT_LOW_SCORE };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"doc", required_argument, NULL, OPT_DOC},
        {"output", required_argument, NULL, 'o'},
        {"low-score", required_argument, NULL, OPT_LOW_SCORE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_opt = NULL, *out = "-";
    sl_review_options ropt = sl_review_defaults();
    long doc = 0;
    int c, done = -1;
    while ((c = cmd_getopt(&cmd_review_entry, argc, argv, ":hd:o:", longopts, &done)) != -1 &&
           done < 0) {
        switch (c) {
        case 'd': db_opt = optarg; break;
        case 'o': out = optarg; break;
        case OPT_DOC:
            if (!cmd_int(&cmd_review_entry, "--doc", optarg, 1, 0x7fffffffL, &doc))
                return EXIT_USAGE;
            break;
        case OPT_LOW_SCORE:
            if (!cmd_score(&cmd_review_entry, "--low-score", optarg, &ropt.low_score))
                return EXIT_USAGE;
            break;
        }
    }
    if (done >= 0)
        return done;
    if (optind < argc)
        return cmd_usage_error(&cmd_review_entry, "unexpected argument '%s'", argv[optind]);
    if (!doc)
        return cmd_usage_error(&cmd_review_entry, "give the document with --doc ID");

    sl_error err;
    sl_error_clear(&err);
    int status = EXIT_OK;
    sl_tm *tm = NULL;
    sl_review *review = NULL;
    char title[64];
    snprintf(title, sizeof title, "Alignment review: document %ld", doc);
    ropt.title = title;
    const char *db = cmd_db_path(db_opt);
    bool to_stdout = strcmp(out, "-") == 0;
    if (sl_tm_open(db, SL_TM_READONLY, &tm, &err) != SL_OK ||
        sl_review_new(&ropt, &review, &err) != SL_OK ||
        sl_review_add_tm_document(review, tm, doc, &err) != SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    if (to_stdout) {
        if (sl_review_write(review, stdout, "standard output", &err) != SL_OK)
            status = cmd_fail(&err);
        else
            status = out_finish(EXIT_OK);
    } else {
        if (sl_review_write_file(review, out, &err) != SL_OK) {
            status = cmd_fail(&err);
            goto cleanup;
        }
        printf("%s: document %ld: review page written to %s\n", db, doc, out);
        status = out_finish(EXIT_OK);
    }
cleanup:
    sl_review_free(review);
    sl_tm_close(tm);
    return status;
}

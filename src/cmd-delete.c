#include "cmd.h"
#include "out.h"
#include <stdio.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_delete_entry = {
    "delete",
    "remove a document and the units only it yielded",
    "usage: selaras delete [--db FILE] --doc ID\n"
    "\n"
    "Remove document ID (see 'selaras list-docs') with its provenance, props and\n"
    "notes, and the units that no other document also yielded; units that\n"
    "another document also gave stay, credited to that one.  Segments no unit\n"
    "uses any more go too.  One transaction: on error nothing changes.\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db)\n"
    "  -D, --doc ID         the document to remove\n"
    "  -h, --help           show this help\n"
    "\n"
    "Example:\n"
    "  selaras delete --db news.db --doc 3\n",
    run,
};

static int run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"doc", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_opt = NULL;
    long doc = -1;
    int c, done = -1;
    while ((c = cmd_getopt(&cmd_delete_entry, argc, argv, ":hd:D:", longopts, &done)) != -1 &&
           done < 0) {
        switch (c) {
        case 'd': db_opt = optarg; break;
        case 'D':
            if (!cmd_int(&cmd_delete_entry, "--doc", optarg, 1, 2147483647L, &doc))
                return EXIT_USAGE;
            break;
        }
    }
    if (done >= 0)
        return done;
    if (optind < argc)
        return cmd_usage_error(&cmd_delete_entry, "unexpected argument '%s'", argv[optind]);
    if (doc < 0)
        return cmd_usage_error(&cmd_delete_entry, "say which document with --doc ID");
    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    const char *db = cmd_db_path(db_opt);
    /* Without CREATE: deleting from a TM that does not exist is an error. */
    if (sl_tm_open(db, 0, &tm, &err) != SL_OK)
        return cmd_fail(&err);
    sl_delete_result r;
    int status = EXIT_OK;
    if (sl_tm_delete_document(tm, doc, &r, &err) != SL_OK)
        status = cmd_fail(&err);
    else
        printf("%s: document %ld deleted: %zu units removed, %zu kept (another document also "
               "has them), %zu segments removed\n",
               db, doc, r.units_removed, r.units_kept, r.segments_removed);
    sl_tm_close(tm);
    return out_finish(status);
}

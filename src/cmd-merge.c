#include "cmd.h"
#include "out.h"
#include <stdio.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_merge_entry = {
    "merge",
    "combine TMs into one, deduplicated, keeping provenance",
    "usage: selaras merge [--db OUT] IN.db...\n"
    "\n"
    "Copy every document of the TMs IN.db (read-only) into OUT, with its units,\n"
    "scores, provenance, TMX details, props and notes.  A document already in\n"
    "OUT (same checksums and languages) is skipped, and a unit already in OUT is\n"
    "credited to the new document instead of stored twice, exactly as 'add' and\n"
    "'import' do; merging the shards of a split build gives the TM a single build\n"
    "would.  Everything goes in one transaction.\n"
    "\n"
    "Options:\n"
    "  -d, --db OUT         the TM to merge into (default $SELARAS_DB, else\n"
    "                       ./selaras.db); created when missing\n"
    "  -h, --help           show this help\n"
    "\n"
    "Example:\n"
    "  selaras merge --db all.db shard-1.db shard-2.db shard-3.db\n",
    run,
};

static int run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_opt = NULL;
    int c, done = -1;
    while ((c = cmd_getopt(&cmd_merge_entry, argc, argv, ":hd:", longopts, &done)) != -1 &&
           done < 0) {
        if (c == 'd')
            db_opt = optarg;
    }
    if (done >= 0)
        return done;
    if (optind >= argc)
        return cmd_usage_error(&cmd_merge_entry, "give at least one TM to merge");
    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    const char *db = cmd_db_path(db_opt);
    /* Check the inputs before OUT is created. */
    for (int i = optind; i < argc; i++) {
        sl_tm *in = NULL;
        if (sl_tm_open(argv[i], SL_TM_READONLY, &in, &err) != SL_OK)
            return cmd_fail(&err);
        sl_tm_close(in);
    }
    if (sl_tm_open(db, SL_TM_CREATE, &tm, &err) != SL_OK)
        return cmd_fail(&err);
    sl_merge_result r;
    int status = EXIT_OK;
    if (sl_tm_merge(tm, (const char *const *)argv + optind, (size_t)(argc - optind), &r, &err) !=
        SL_OK)
        status = cmd_fail(&err);
    else
        printf("%s: %zu documents merged (%zu already there), %zu pairs (%zu new units, %zu "
               "already in the TM)\n",
               db, r.documents_new, r.documents_existing, r.pairs, r.units_new,
               r.units_existing);
    sl_tm_close(tm);
    return out_finish(status);
}

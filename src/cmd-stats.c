#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_stats_entry = {
    "stats",
    "count the documents, units and language pairs of a TM",
    "usage: selaras stats [--db FILE] [--format text|json]\n"
    "\n"
    "Show how many document pairs, translation units and segments the TM holds,\n"
    "and its language pairs with their unit counts.  The JSON object has the keys\n"
    "database, documents, units, segments and languages (a list of objects with\n"
    "src, tgt and units).\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db)\n"
    "  -f, --format FORMAT  text or json (default text)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Example:\n"
    "  selaras stats --db news.db --format json\n",
    run,
};

struct pair_printer {
    bool json;
    size_t n;
};

static int print_pair(const char *src, const char *tgt, long long units, void *data)
{
    struct pair_printer *pp = data;
    if (pp->json) {
        fputs(pp->n ? "," : "", stdout);
        fputs("{\"src\":", stdout);
        out_json_string(stdout, src);
        fputs(",\"tgt\":", stdout);
        out_json_string(stdout, tgt);
        printf(",\"units\":%lld}", units);
    } else
        printf("%-11s%s -> %s (%lld units)\n", pp->n ? "" : "languages", src, tgt, units);
    pp->n++;
    return 0;
}

static int run(int argc, char **argv)
{
    static const char *const formats[] = {"text", "json", NULL};
    const char *db_opt = NULL;
    int format = 0;
    int done = cmd_db_format_args(&cmd_stats_entry, argc, argv, formats, &db_opt, &format);
    if (done >= 0)
        return done;
    bool json = format == 1;

    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    sl_tm_stats st;
    int status = EXIT_OK;
    const char *db = cmd_db_path(db_opt);
    if (sl_tm_open(db, SL_TM_READONLY, &tm, &err) != SL_OK ||
        sl_tm_get_stats(tm, &st, &err) != SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    struct pair_printer pp = {json, 0};
    if (json) {
        fputs("{\"database\":", stdout);
        out_json_string(stdout, db);
        printf(",\"documents\":%lld,\"units\":%lld,\"segments\":%lld,\"languages\":[",
               st.documents, st.units, st.segments);
    } else
        printf("database   %s\ndocuments  %lld\nunits      %lld\nsegments   %lld\n", db,
               st.documents, st.units, st.segments);
    if (sl_tm_language_pairs(tm, print_pair, &pp, &err) != SL_OK) {
        if (json)
            fputs("]}\n", stdout);
        status = cmd_fail(&err);
        goto cleanup;
    }
    if (json)
        fputs("]}\n", stdout);
    else if (pp.n == 0)
        puts("languages  (none)");
    status = out_finish(EXIT_OK);
cleanup:
    sl_tm_close(tm);
    return status;
}

#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_import_entry = {
    "import",
    "add the units of TMX files (or JSON lines) to the TM",
    "usage: selaras import [--db FILE] [--src-lang L] [--tgt-lang L] [--skip-bad] FILE.tmx...\n"
    "       selaras import [--db FILE] [--src-lang L] [--tgt-lang L] --jsonl FILE|-\n"
    "\n"
    "Read TMX 1.1 to 1.4 files (UTF-8 or UTF-16 with a byte order mark; '-' reads\n"
    "standard input) and store their translation units.  Each file is one\n"
    "document of the TM, recorded with its SHA-256 checksum, and goes in with one\n"
    "transaction: a file with a bad unit imports nothing and the message names\n"
    "the file and line, unless --skip-bad, which stores the good units and\n"
    "reports the others.  Importing the same file again adds nothing; a unit\n"
    "already in the TM is stored once and credited to every file it came from.\n"
    "Props, notes, tuid, creationdate, creationid, changedate and inline markup\n"
    "(bpt ept it ph hi ut sub, ignored for matching) are kept and exported again.\n"
    "No DTD is read and no entity is expanded: a file that declares entities is\n"
    "refused.\n"
    "\n"
    "Without --src-lang, a unit's source is the tuv named by its srclang (else the\n"
    "header's; with \"*all*\", the first tuv), and every other language of the\n"
    "unit gives a pair.  --src-lang and --tgt-lang pick one pair from\n"
    "multilingual units, in either direction; 'en' also takes 'en-GB'.\n"
    "\n"
    "With --jsonl, read the JSON lines that 'selaras align --jsonl' writes\n"
    "({\"id\":DOC,\"src\":..,\"tgt\":..,\"score\":..,\"bead\":..,\"src_lang\":..,\n"
    "\"tgt_lang\":..,\"position\":N}); each id is a document, and an id already in\n"
    "the TM is skipped.  Bad lines are reported with their numbers and skipped;\n"
    "the exit status is then 1.\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db); created\n"
    "                       when missing\n"
    "  -s, --src-lang CODE  source language to take\n"
    "  -t, --tgt-lang CODE  target language to take\n"
    "  -k, --skip-bad       store the good units of a file that has bad ones (exit\n"
    "                       status 1 when any were skipped)\n"
    "  -j, --jsonl          read JSON lines instead of TMX\n"
    "  -h, --help           show this help\n"
    "\n"
    "Example:\n"
    "  selaras import --db news.db --src-lang id --tgt-lang en project_save.tmx\n",
    run,
};

static void report(const char *message, void *data)
{
    (void)data;
    fprintf(stderr, "selaras: %s\n", message);
}

static void summary(const char *db, const char *file, const sl_import_result *r, bool jsonl)
{
    if (r->already_present) {
        printf("%s: %s is already document %lld; nothing added\n", db, file, r->document_id);
        return;
    }
    if (jsonl)
        printf("%s: %s: %zu lines read, %zu pairs stored (%zu new units, %zu already in the TM)",
               db, file, r->read, r->pairs, r->units_new, r->units_existing);
    else
        printf("%s: document %lld: %s: %zu units read, %zu pairs stored (%zu new units, %zu "
               "already in the TM)",
               db, r->document_id, file, r->read, r->pairs, r->units_new, r->units_existing);
    if (r->no_pair)
        printf(", %zu without the language pair or with an empty side", r->no_pair);
    if (r->known)
        printf(", %zu of documents already in the TM", r->known);
    if (r->skipped)
        printf(", %zu bad %s skipped", r->skipped, jsonl ? "lines" : "units");
    putchar('\n');
}

static int run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"src-lang", required_argument, NULL, 's'},
        {"tgt-lang", required_argument, NULL, 't'},
        {"skip-bad", no_argument, NULL, 'k'},
        {"jsonl", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_opt = NULL, *src_opt = NULL, *tgt_opt = NULL;
    bool skip_bad = false, jsonl = false;
    int c, done = -1;
    while ((c = cmd_getopt(&cmd_import_entry, argc, argv, ":hd:s:t:kj", longopts, &done)) != -1 &&
           done < 0) {
        switch (c) {
        case 'd': db_opt = optarg; break;
        case 's': src_opt = optarg; break;
        case 't': tgt_opt = optarg; break;
        case 'k': skip_bad = true; break;
        case 'j': jsonl = true; break;
        }
    }
    if (done >= 0)
        return done;
    if (optind >= argc)
        return cmd_usage_error(&cmd_import_entry, "give at least one file to import");
    if (jsonl && argc - optind != 1)
        return cmd_usage_error(&cmd_import_entry, "--jsonl reads one file (or '-')");

    char src_lang[SL_LANG_MAX], tgt_lang[SL_LANG_MAX];
    int status = EXIT_OK;
    if ((src_opt && !cmd_lang(src_opt, src_lang, &status)) ||
        (tgt_opt && !cmd_lang(tgt_opt, tgt_lang, &status)))
        return status;
    sl_import_options opt = {src_opt ? src_lang : NULL, tgt_opt ? tgt_lang : NULL, skip_bad};

    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    const char *db = cmd_db_path(db_opt);
    if (sl_tm_open(db, SL_TM_CREATE, &tm, &err) != SL_OK)
        return cmd_fail(&err);
    for (int i = optind; i < argc; i++) {
        const char *file = argv[i];
        sl_import_result res;
        sl_status st = jsonl ? sl_jsonl_import(tm, file, &opt, report, NULL, &res, &err)
                             : sl_tmx_import(tm, file, &opt, report, NULL, &res, &err);
        if (st != SL_OK && !(jsonl && st == SL_DATA)) {
            status = cmd_fail(&err);
            continue; /* each file is its own transaction */
        }
        summary(db, strcmp(file, "-") == 0 ? "<stdin>" : file, &res, jsonl);
        if (st != SL_OK || res.skipped)
            status = EXIT_FAIL;
    }
    sl_tm_close(tm);
    return out_finish(status);
}

#include "cmd.h"
#include "out.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_dict_entry = {
    "dict",
    "import a bilingual dictionary into the TM, for the aligner",
    "usage: selaras dict import [--db FILE] [--src-lang CODE] [--tgt-lang CODE] FILE\n"
    "\n"
    "Store the word pairs of a dictionary in the TM.  'selaras align --db' and\n"
    "'selaras add' then use them as evidence that two sentences translate each\n"
    "other; Indonesian and English affixes are stripped (data/LANG.affixes) so\n"
    "that inflected words find their entry.  A dictionary serves both directions:\n"
    "an English-Indonesian one also helps to align Indonesian with English.\n"
    "\n"
    "FILE is either a TSV file, source<TAB>target per line ('#' starts a comment\n"
    "line), or a dictd database named by its .index, .dict or .dict.dz file, such\n"
    "as Debian's dict-freedict-eng-ind (/usr/share/dictd/freedict-eng-ind.index).\n"
    "Importing the same pairs again adds nothing.  Everything goes in one\n"
    "transaction: on any error the database is left as it was.\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db); created\n"
    "                       when missing\n"
    "  -s, --src-lang CODE  language of the source words (dictd: the headwords);\n"
    "                       default id, required for a dictd database\n"
    "  -t, --tgt-lang CODE  language of the translations (default en, required for\n"
    "                       a dictd database)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Example:\n"
    "  selaras dict import --db news.db --src-lang en --tgt-lang id \\\n"
    "      /usr/share/dictd/freedict-eng-ind.index\n",
    run,
};

static bool is_dictd(const char *path)
{
    static const char *const ends[] = {".index", ".dict", ".dict.dz"};
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        size_t k = strlen(ends[i]);
        if (n >= k && strcmp(path + n - k, ends[i]) == 0)
            return true;
    }
    return false;
}

static int run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"src-lang", required_argument, NULL, 's'},
        {"tgt-lang", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_opt = NULL, *src_opt = NULL, *tgt_opt = NULL;
    int c, done = -1;
    while ((c = cmd_getopt(&cmd_dict_entry, argc, argv, ":hd:s:t:", longopts, &done)) != -1 &&
           done < 0) {
        switch (c) {
        case 'd': db_opt = optarg; break;
        case 's': src_opt = optarg; break;
        case 't': tgt_opt = optarg; break;
        }
    }
    if (done >= 0)
        return done;
    if (argc - optind < 1)
        return cmd_usage_error(&cmd_dict_entry, "give an action: import");
    if (strcmp(argv[optind], "import") != 0)
        return cmd_usage_error(&cmd_dict_entry, "unknown action '%s' (use import)",
                               argv[optind]);
    if (argc - optind != 2)
        return cmd_usage_error(&cmd_dict_entry, "give one dictionary FILE to import");
    const char *path = argv[optind + 1];
    /* a dictd database does not say which language its headwords are in */
    if (is_dictd(path) && (!src_opt || !tgt_opt))
        return cmd_usage_error(&cmd_dict_entry,
                               "%s is a dictd database: give --src-lang and --tgt-lang "
                               "(for freedict-eng-ind: --src-lang en --tgt-lang id)",
                               path);

    char src_lang[SL_LANG_MAX], tgt_lang[SL_LANG_MAX];
    int status = EXIT_OK;
    if (!cmd_lang(src_opt ? src_opt : "id", src_lang, &status) ||
        !cmd_lang(tgt_opt ? tgt_opt : "en", tgt_lang, &status))
        return status;

    /* check the file before the TM is created or opened */
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "selaras: %s: cannot read the dictionary: %s\n", path, strerror(errno));
        return EXIT_FAIL;
    }
    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    const char *db = cmd_db_path(db_opt);
    sl_dict_import_result res;
    if (sl_tm_open(db, SL_TM_CREATE, &tm, &err) != SL_OK ||
        sl_tm_dict_import(tm, path, src_lang, tgt_lang, &res, &err) != SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    printf("%s: %zu %s-%s word pairs read from %s, %zu new\n", db, res.pairs_read, src_lang,
           tgt_lang, path, res.pairs_new);
    status = out_finish(EXIT_OK);
cleanup:
    sl_tm_close(tm);
    return status;
}

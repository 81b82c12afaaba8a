#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_add_entry = {
    "add",
    "segment, align and store an article pair in the TM",
    "usage: selaras add [--db FILE] [--src-lang id] [--tgt-lang en] [--presegmented]\n"
    "                   [--srx FILE] [--min-score X] [--force] SRC TGT\n"
    "\n"
    "Segment and align an article (SRC) and its translation (TGT) and store every\n"
    "bead with both sides as a translation unit, with the document pair (both file\n"
    "names, SHA-256 checksums of their contents, the time) and the bead's score as\n"
    "provenance.  Everything goes in one transaction: on any error the database\n"
    "is left as it was.  Adding the same pair of texts again adds nothing.  A unit\n"
    "already in the TM is stored once and credited to every document it came from.\n"
    "The aligner uses the TM's dictionaries and learned word associations.  Beads\n"
    "with an empty side (1-0, 0-1) are never stored.  Texts that do not look like\n"
    "translations of each other are refused (exit status 3) unless --force.\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db); created\n"
    "                       when missing\n"
    "  -s, --src-lang CODE  language of SRC (default id)\n"
    "  -t, --tgt-lang CODE  language of TGT (default en)\n"
    "  -p, --presegmented   the files already hold one sentence per line\n"
    "  -m, --min-score X    store only pairs scoring X (0 to 1) or more\n"
    "  -F, --force          align even texts that do not look like translations\n"
    "  -x, --srx FILE       segment with the SRX 2.0 rules in FILE\n"
    "  -h, --help           show this help\n"
    "\n"
    "Example:\n"
    "  selaras add --db news.db tm/article.id.txt tm/article.en.txt\n",
    run,
};

static int run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"src-lang", required_argument, NULL, 's'},
        {"tgt-lang", required_argument, NULL, 't'},
        {"presegmented", no_argument, NULL, 'p'},
        {"min-score", required_argument, NULL, 'm'},
        {"force", no_argument, NULL, 'F'},
        {"srx", required_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_opt = NULL, *src_opt = "id", *tgt_opt = "en";
    bool presegmented = false, force = false;
    double min_score = 0;
    int c, done = -1;
    while ((c = cmd_getopt(&cmd_add_entry, argc, argv, ":hd:s:t:pm:Fx:", longopts, &done)) != -1 &&
           done < 0) {
        switch (c) {
        case 'd': db_opt = optarg; break;
        case 's': src_opt = optarg; break;
        case 't': tgt_opt = optarg; break;
        case 'p': presegmented = true; break;
        case 'F': force = true; break;
        case 'm':
            if (!cmd_score(&cmd_add_entry, "--min-score", optarg, &min_score))
                return EXIT_USAGE;
            break;
        case 'x': cmd_srx = optarg; break;
        }
    }
    if (done >= 0)
        return done;
    if (argc - optind != 2)
        return cmd_usage_error(&cmd_add_entry, "give two files, SRC and TGT");
    const char *src_path = argv[optind], *tgt_path = argv[optind + 1];

    char src_lang[SL_LANG_MAX], tgt_lang[SL_LANG_MAX];
    int status = EXIT_OK;
    if (!cmd_lang(src_opt, src_lang, &status) || !cmd_lang(tgt_opt, tgt_lang, &status))
        return status;

    sl_error err;
    sl_error_clear(&err);
    struct cmd_pair p;
    memset(&p, 0, sizeof p);
    sl_tm *tm = NULL;
    sl_lexicon *lex = NULL;
    const char *db = cmd_db_path(db_opt);
    /* All input is read and checked before the TM is touched; an existing TM
     * is then opened for its word translations, and a new one created only
     * once the alignment has succeeded. */
    if (cmd_pair_read(&p, src_path, tgt_path, src_lang, tgt_lang, presegmented, &err) != SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    struct stat sb;
    if (stat(db, &sb) == 0 && (sl_tm_open(db, SL_TM_CREATE, &tm, &err) != SL_OK ||
                                sl_tm_lexicon(tm, src_lang, tgt_lang, NULL, &lex, &err) != SL_OK)) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    sl_align_options opt = {lex, !force};
    if (cmd_pair_align(&p, &opt, min_score, &err) != SL_OK) {
        status = cmd_pair_fail(&err, src_path, tgt_path);
        goto cleanup;
    }
    if (!tm && sl_tm_open(db, SL_TM_CREATE, &tm, &err) != SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    sl_document doc = {src_path, tgt_path, src_lang, tgt_lang,
                       p.src_text, p.tgt_text, p.src_len, p.tgt_len};
    sl_add_result res;
    if (sl_tm_add(tm, &doc, p.src, p.tgt, p.al, &res, &err) != SL_OK) {
        status = cmd_fail(&err);
        goto cleanup;
    }
    if (res.already_present)
        printf("%s: this pair of texts is already document %lld; nothing added\n", db,
               res.document_id);
    else
        printf("%s: document %lld: %zu + %zu sentences, %zu pairs stored "
               "(%zu new units, %zu already in the TM)\n",
               db, res.document_id, sl_sentences_count(p.src), sl_sentences_count(p.tgt),
               res.pairs, res.units_new, res.units_existing);
    status = out_finish(EXIT_OK);
cleanup:
    sl_lexicon_free(lex);
    sl_tm_close(tm);
    cmd_pair_free(&p);
    return status;
}

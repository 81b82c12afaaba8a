#include "add-batch.h"
#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_add_entry = {
    "add",
    "segment, align and store article pairs in the TM",
    "usage: selaras add [--db FILE] [--src-lang id] [--tgt-lang en] [--presegmented]\n"
    "                   [--srx FILE] [--min-score X] [--force] SRC TGT\n"
    "       selaras add [--db FILE] [OPTIONS] --batch DIR | --pairs LIST\n"
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
    "With --batch or --pairs, many pairs are added, each document pair in its own\n"
    "transaction.  A pair that cannot be added (unreadable, not UTF-8, empty) is\n"
    "reported with its file name and skipped; the others go in.  Files with no\n"
    "partner are reported too.  A summary table ends the run; the exit status is 1\n"
    "if any pair failed.  Running the same batch again adds nothing.  While\n"
    "standard error is a terminal, a progress line shows the documents done, the\n"
    "pairs stored, the rate and the time left.  --presegmented, --srx, --min-score\n"
    "and --force apply to every pair; a pair refused as unrelated is reported and\n"
    "skipped.\n"
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
    "  -b, --batch DIR      add the pairs NAME.id.txt + NAME.en.txt found in DIR\n"
    "                       (side by side); may be repeated\n"
    "  -r, --recursive      --batch also looks in subdirectories (not hidden ones)\n"
    "  -P, --pairs LIST     add the pairs listed in LIST, one SRC<TAB>TGT per line\n"
    "                       ('#' starts a comment line); relative names are taken\n"
    "                       from LIST's directory; '-' reads standard input\n"
    "      --src-suffix S   the end of source file names in --batch (default\n"
    "                       .SRC-LANG.txt, e.g. .id.txt)\n"
    "      --tgt-suffix S   the end of target file names (default .TGT-LANG.txt)\n"
    "  -q, --quiet          no progress and no summary; only errors\n"
    "  -v, --verbose        also one line per document pair\n"
    "  -h, --help           show this help\n"
    "\n"
    "Examples:\n"
    "  selaras add --db news.db tm/article.id.txt tm/article.en.txt\n"
    "  selaras add --db news.db --batch articles/\n"
    "  selaras add --db news.db --batch in/ --src-suffix _id.txt --tgt-suffix _en.txt\n",
    run,
};

static int run(int argc, char **argv)
{
    enum { OPT_SRC_SUFFIX = 256, OPT_TGT_SUFFIX };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"src-lang", required_argument, NULL, 's'},
        {"tgt-lang", required_argument, NULL, 't'},
        {"presegmented", no_argument, NULL, 'p'},
        {"min-score", required_argument, NULL, 'm'},
        {"force", no_argument, NULL, 'F'},
        {"srx", required_argument, NULL, 'x'},
        {"batch", required_argument, NULL, 'b'},
        {"pairs", required_argument, NULL, 'P'},
        {"recursive", no_argument, NULL, 'r'},
        {"src-suffix", required_argument, NULL, OPT_SRC_SUFFIX},
        {"tgt-suffix", required_argument, NULL, OPT_TGT_SUFFIX},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_opt = NULL, *src_opt = "id", *tgt_opt = "en";
    bool presegmented = false, force = false;
    double min_score = 0;
    struct add_batch_options batch;
    memset(&batch, 0, sizeof batch);
    int c, done = -1;
    while ((c = cmd_getopt(&cmd_add_entry, argc, argv, ":hd:s:t:pm:Fx:b:P:rqv", longopts,
                           &done)) != -1 &&
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
        case 'b':
        case 'P':
            if (batch.n_sources == ADD_BATCH_MAX_SOURCES)
                return cmd_usage_error(&cmd_add_entry, "at most %d --batch and --pairs",
                                       ADD_BATCH_MAX_SOURCES);
            batch.sources[batch.n_sources++] = (struct add_batch_source){c == 'b', optarg};
            break;
        case OPT_SRC_SUFFIX: batch.src_suffix = optarg; break;
        case OPT_TGT_SUFFIX: batch.tgt_suffix = optarg; break;
        case 'r': batch.recursive = true; break;
        case 'q': batch.verbosity = -1; break;
        case 'v': batch.verbosity = 1; break;
        }
    }
    if (done >= 0)
        return done;
    if (batch.n_sources && argc - optind != 0)
        return cmd_usage_error(&cmd_add_entry, "give either --batch/--pairs or two files, not both");
    if (!batch.n_sources && argc - optind != 2)
        return cmd_usage_error(&cmd_add_entry, "give two files, SRC and TGT (or --batch DIR)");
    if (!batch.n_sources && (batch.src_suffix || batch.tgt_suffix || batch.recursive))
        return cmd_usage_error(&cmd_add_entry,
                               "--src-suffix, --tgt-suffix and --recursive need --batch");
    if ((batch.src_suffix && !*batch.src_suffix) || (batch.tgt_suffix && !*batch.tgt_suffix) ||
        (batch.src_suffix && batch.tgt_suffix && strcmp(batch.src_suffix, batch.tgt_suffix) == 0))
        return cmd_usage_error(&cmd_add_entry,
                               "--src-suffix and --tgt-suffix must be different and not empty");

    char src_lang[SL_LANG_MAX], tgt_lang[SL_LANG_MAX];
    int status = EXIT_OK;
    if (!cmd_lang(src_opt, src_lang, &status) || !cmd_lang(tgt_opt, tgt_lang, &status))
        return status;
    if (batch.n_sources) {
        batch.srx = cmd_srx;
        batch.presegmented = presegmented;
        batch.force = force;
        batch.min_score = min_score;
        batch.src_lang_canonical = src_lang;
        batch.tgt_lang_canonical = tgt_lang;
        batch.src_lang = src_opt;
        batch.tgt_lang = tgt_opt;
        return add_batch(cmd_db_path(db_opt), &batch);
    }
    const char *src_path = argv[optind], *tgt_path = argv[optind + 1];

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
    if (batch.verbosity < 0)
        ;
    else if (res.already_present)
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

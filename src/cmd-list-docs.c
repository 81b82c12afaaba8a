#include "cmd.h"
#include "out.h"
#include <stdio.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_list_docs_entry = {
    "list-docs",
    "list the document pairs and TMX files in a TM",
    "usage: selaras list-docs [--db FILE] [--format tsv|json]\n"
    "\n"
    "List every document of the TM: the article pairs of 'selaras add', the TMX\n"
    "files of 'selaras import' and the documents of 'selaras import --jsonl'.\n"
    "TSV has a header line and the columns id, kind (pair, tmx or jsonl),\n"
    "src_lang, tgt_lang, units (how many units the document yielded), added_at,\n"
    "src_path, tgt_path, src_sha256, tgt_sha256.  JSON is one array of objects\n"
    "with the same keys.\n"
    "\n"
    "Options:\n"
    "  -d, --db FILE        the TM (default $SELARAS_DB, else ./selaras.db)\n"
    "  -f, --format FORMAT  tsv or json (default tsv)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Example:\n"
    "  selaras list-docs --db news.db\n",
    run,
};

struct printer {
    bool json;
    size_t n;
};

static int print_doc(const sl_doc_info *d, void *data)
{
    struct printer *p = data;
    const char *keys[9] = {"kind",     "src_lang", "tgt_lang",   "added_at",  "src_path",
                           "tgt_path", "src_sha256", "tgt_sha256", "tool_version"};
    const char *vals[9] = {d->kind,     d->src_lang,   d->tgt_lang,   d->added_at,    d->src_path,
                           d->tgt_path, d->src_sha256, d->tgt_sha256, d->tool_version};
    if (p->json) {
        printf("%s{\"id\":%lld,\"units\":%lld", p->n ? ",\n" : "", d->id, d->occurrences);
        for (int i = 0; i < 9; i++) {
            printf(",\"%s\":", keys[i]);
            out_json_string(stdout, vals[i]);
        }
        putchar('}');
    } else {
        printf("%lld\t", d->id);
        out_tsv_field(stdout, d->kind);
        putchar('\t');
        out_tsv_field(stdout, d->src_lang);
        putchar('\t');
        out_tsv_field(stdout, d->tgt_lang);
        printf("\t%lld\t", d->occurrences);
        out_tsv_field(stdout, d->added_at);
        for (int i = 4; i < 8; i++) {
            putchar('\t');
            out_tsv_field(stdout, vals[i]);
        }
        putchar('\n');
    }
    p->n++;
    return 0;
}

static int run(int argc, char **argv)
{
    static const char *const formats[] = {"tsv", "json", NULL};
    const char *db_opt = NULL;
    int format = 0;
    int done = cmd_db_format_args(&cmd_list_docs_entry, argc, argv, formats, &db_opt, &format);
    if (done >= 0)
        return done;
    bool json = format == 1;
    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    if (sl_tm_open(cmd_db_path(db_opt), SL_TM_READONLY, &tm, &err) != SL_OK)
        return cmd_fail(&err);
    struct printer p = {json, 0};
    if (json)
        putchar('[');
    else
        puts("id\tkind\tsrc_lang\ttgt_lang\tunits\tadded_at\tsrc_path\ttgt_path\tsrc_sha256\t"
             "tgt_sha256");
    int status = EXIT_OK;
    if (sl_tm_foreach_document(tm, print_doc, &p, &err) != SL_OK)
        status = cmd_fail(&err);
    if (json)
        puts("]");
    sl_tm_close(tm);
    return out_finish(status);
}

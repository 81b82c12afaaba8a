#include "cmd.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct cmd_entry *const cmd_table[] = {
    &cmd_segment_entry, &cmd_align_entry,  &cmd_add_entry,   &cmd_export_entry,
    &cmd_lookup_entry,  &cmd_stats_entry,  &cmd_import_entry,
    &cmd_merge_entry,   &cmd_list_docs_entry, &cmd_delete_entry, &cmd_concordance_entry,
    &cmd_review_entry,  &cmd_dict_entry,   &cmd_learn_entry,
    &cmd_analyze_entry, &cmd_pretranslate_entry, NULL,
};

const struct cmd_entry *cmd_find(const char *name, bool *ambiguous)
{
    const struct cmd_entry *found = NULL;
    size_t n = strlen(name);
    *ambiguous = false;
    for (size_t i = 0; cmd_table[i]; i++) {
        if (strcmp(cmd_table[i]->name, name) == 0)
            return cmd_table[i];
        if (n && strncmp(cmd_table[i]->name, name, n) == 0) {
            if (found)
                *ambiguous = true;
            found = cmd_table[i];
        }
    }
    return *ambiguous ? NULL : found;
}

int cmd_fail(const sl_error *err)
{
    fprintf(stderr, "selaras: %s\n", sl_error_message(err));
    return EXIT_FAIL;
}

int cmd_usage_error(const struct cmd_entry *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "selaras %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'selaras %s --help'.\n", cmd->name);
    return EXIT_USAGE;
}

void cmd_print_usage(const struct cmd_entry *cmd)
{
    fputs(cmd->usage, stdout);
}

const char *cmd_db_path(const char *option)
{
    if (option && *option)
        return option;
    const char *env = getenv("SELARAS_DB");
    return env && *env ? env : "selaras.db";
}

bool cmd_lang(const char *tag, char out[SL_LANG_MAX], int *exit_status)
{
    sl_error err;
    sl_error_clear(&err);
    if (sl_lang_canonical(tag, out, &err) != SL_OK) {
        *exit_status = cmd_fail(&err);
        return false;
    }
    return true;
}

bool cmd_int(const struct cmd_entry *cmd, const char *opt, const char *value, long lo, long hi,
             long *out)
{
    char *end;
    long v = strtol(value, &end, 10);
    if (!*value || *end || v < lo || v > hi) {
        cmd_usage_error(cmd, "%s expects a whole number from %ld to %ld, not '%s'", opt, lo, hi,
                        value);
        return false;
    }
    *out = v;
    return true;
}

bool cmd_score(const struct cmd_entry *cmd, const char *opt, const char *value, double *out)
{
    char *end;
    double v = strtod(value, &end);
    if (!*value || *end || !(v >= 0 && v <= 1)) {
        cmd_usage_error(cmd, "%s expects a number from 0 to 1, not '%s'", opt, value);
        return false;
    }
    *out = v;
    return true;
}

int cmd_getopt(const struct cmd_entry *cmd, int argc, char **argv, const char *shortopts,
               const struct option *longopts, int *done)
{
    opterr = 0;
    int c = getopt_long(argc, argv, shortopts, longopts, NULL);
    if (c == 'h') {
        cmd_print_usage(cmd);
        *done = EXIT_OK;
    } else if (c == '?') {
        if (optopt)
            *done = cmd_usage_error(cmd, "unknown option or missing value for '-%c'", optopt);
        else
            *done = cmd_usage_error(cmd, "unknown option or missing value in '%s'",
                                    argv[optind - 1]);
    } else if (c == ':') {
        *done = cmd_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
    }
    return c;
}

const char *cmd_srx = NULL;

sl_status cmd_load_sentences(const char *path, const char *lang, bool presegmented, char **text,
                             size_t *len, sl_sentences **out, sl_error *err)
{
    *out = NULL;
    sl_status st = sl_text_read_file(path, text, len, err);
    if (st != SL_OK)
        return st;
    if (presegmented)
        return sl_sentences_from_lines(*text, *len, out, err);
    sl_segmenter *seg = NULL;
    st = sl_segmenter_new(lang, NULL, &seg, err);
    if (st == SL_OK && cmd_srx)
        st = sl_segmenter_load_srx(seg, cmd_srx, err);
    if (st == SL_OK)
        st = sl_segment(seg, *text, *len, out, err);
    sl_segmenter_free(seg);
    return st;
}

int cmd_choice(const struct cmd_entry *cmd, const char *opt, const char *value,
               const char *const *choices)
{
    for (int i = 0; choices[i]; i++)
        if (strcmp(value, choices[i]) == 0)
            return i;
    char list[256] = "";
    for (int i = 0; choices[i]; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                 i == 0 ? "" : choices[i + 1] ? ", " : " or ", choices[i]);
    cmd_usage_error(cmd, "unknown %s '%s' (use %s)", opt, value, list);
    return -1;
}

sl_status cmd_pair_load(struct cmd_pair *p, const char *src_path, const char *tgt_path,
                        const char *src_lang, const char *tgt_lang, bool presegmented,
                        sl_error *err)
{
    return cmd_pair_load_with(p, src_path, tgt_path, src_lang, tgt_lang, presegmented, NULL, 0,
                              err);
}

int cmd_pair_fail(const sl_error *err, const char *src_path, const char *tgt_path)
{
    if (err->code != SL_UNRELATED)
        return cmd_fail(err);
    fprintf(stderr, "selaras: %s, %s: %s (use --force to align them anyway)\n", src_path,
            tgt_path, sl_error_message(err));
    return EXIT_UNRELATED;
}

sl_status cmd_pair_read(struct cmd_pair *p, const char *src_path, const char *tgt_path,
                        const char *src_lang, const char *tgt_lang, bool presegmented,
                        sl_error *err)
{
    memset(p, 0, sizeof *p);
    sl_status st = cmd_load_sentences(src_path, src_lang, presegmented, &p->src_text,
                                      &p->src_len, &p->src, err);
    if (st == SL_OK)
        st = cmd_load_sentences(tgt_path, tgt_lang, presegmented, &p->tgt_text, &p->tgt_len,
                                &p->tgt, err);
    return st;
}

sl_status cmd_pair_align(struct cmd_pair *p, const sl_align_options *opt, double min_score,
                         sl_error *err)
{
    sl_status st = sl_align_with(p->src, p->tgt, opt, &p->al, err);
    if (st == SL_OK && min_score > 0) {
        sl_alignment *kept = NULL;
        st = sl_alignment_filter(p->al, min_score, &kept, err);
        if (st == SL_OK) {
            sl_alignment_free(p->al);
            p->al = kept;
        }
    }
    return st;
}

sl_status cmd_pair_load_with(struct cmd_pair *p, const char *src_path, const char *tgt_path,
                             const char *src_lang, const char *tgt_lang, bool presegmented,
                             const sl_align_options *opt, double min_score, sl_error *err)
{
    sl_status st = cmd_pair_read(p, src_path, tgt_path, src_lang, tgt_lang, presegmented, err);
    if (st == SL_OK)
        st = cmd_pair_align(p, opt, min_score, err);
    return st;
}

void cmd_pair_free(struct cmd_pair *p)
{
    sl_alignment_free(p->al);
    sl_sentences_free(p->src);
    sl_sentences_free(p->tgt);
    sl_free(p->src_text);
    sl_free(p->tgt_text);
    memset(p, 0, sizeof *p);
}

int cmd_db_format_args(const struct cmd_entry *cmd, int argc, char **argv,
                       const char *const *formats, const char **db_opt, int *format)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, done = -1;
    while ((c = cmd_getopt(cmd, argc, argv, ":hd:f:", longopts, &done)) != -1 && done < 0) {
        if (c == 'd') {
            *db_opt = optarg;
        } else if (c == 'f') {
            int f = cmd_choice(cmd, "format", optarg, formats);
            if (f < 0)
                return EXIT_USAGE;
            *format = f;
        }
    }
    if (done >= 0)
        return done;
    if (optind < argc)
        return cmd_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    return -1;
}

int cmd_tm_opt(const struct cmd_entry *cmd, struct cmd_tm_opts *o, int c, const char *value)
{
    switch (c) {
    case 'd': o->db = value; return 1;
    case 's': o->src_opt = value; return 1;
    case 't': o->tgt_opt = value; return 1;
    case 'f':
        /* --format is in CMD_TM_LONGOPTS for all; a command without formats refuses it */
        if (!o->formats) {
            cmd_usage_error(cmd, "unknown option '--format'");
            return -1;
        }
        o->format = cmd_choice(cmd, "format", value, o->formats);
        return o->format < 0 ? -1 : 1;
    }
    return 0;
}

bool cmd_tm_langs(struct cmd_tm_opts *o, int *exit_status)
{
    return cmd_lang(o->src_opt, o->src_lang, exit_status) &&
           cmd_lang(o->tgt_opt, o->tgt_lang, exit_status);
}

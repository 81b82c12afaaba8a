#ifndef SELARAS_CMD_H
#define SELARAS_CMD_H

#include <stdbool.h>
#include <getopt.h>
#include <selaras/selaras.h>

/* Exit statuses: 0 success, 1 the work failed (bad input, I/O, database),
 * 2 the command line was wrong. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_UNRELATED = 3 };

/* One subcommand: everything about it lives in its cmd-NAME.c file. */
struct cmd_entry {
    const char *name;
    const char *summary;  /* one line for `selaras --help` */
    const char *usage;    /* the full text for `selaras help NAME` and `--help`, and the
                           * source of the man page selaras-NAME(1): see src/man.h */
    int (*run)(int argc, char **argv);
};

extern const struct cmd_entry cmd_segment_entry;
extern const struct cmd_entry cmd_align_entry;
extern const struct cmd_entry cmd_add_entry;
extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_lookup_entry;
extern const struct cmd_entry cmd_stats_entry;
extern const struct cmd_entry cmd_import_entry;
extern const struct cmd_entry cmd_merge_entry;
extern const struct cmd_entry cmd_list_docs_entry;
extern const struct cmd_entry cmd_delete_entry;
extern const struct cmd_entry cmd_concordance_entry;
extern const struct cmd_entry cmd_review_entry;
extern const struct cmd_entry cmd_dict_entry;
extern const struct cmd_entry cmd_learn_entry;
extern const struct cmd_entry cmd_analyze_entry;
extern const struct cmd_entry cmd_pretranslate_entry;

/* The command table, NULL-terminated, and lookup by unique prefix. */
extern const struct cmd_entry *const cmd_table[];
const struct cmd_entry *cmd_find(const char *name, bool *ambiguous);

/* Print "selaras: MESSAGE" for a library error; returns EXIT_FAIL. */
int cmd_fail(const sl_error *err);
/* Print "selaras NAME: MESSAGE" and a hint to --help; returns EXIT_USAGE. */
int cmd_usage_error(const struct cmd_entry *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cmd_print_usage(const struct cmd_entry *cmd);

/* --db, else $SELARAS_DB, else selaras.db in the current directory. */
const char *cmd_db_path(const char *option);

/* Canonicalise --src-lang/--tgt-lang values into out; on error prints and
 * returns false. */
bool cmd_lang(const char *tag, char out[SL_LANG_MAX], int *exit_status);

/* Parse an integer option within [lo, hi]; prints and returns false if bad. */
bool cmd_int(const struct cmd_entry *cmd, const char *opt, const char *value, long lo, long hi,
             long *out);

/*
 * Common getopt_long loop helper: returns the option character, or -1 at the
 * end; handles --help (prints usage, sets *done = EXIT_OK) and unknown
 * options (sets *done = EXIT_USAGE).  Callers stop when *done >= 0.
 */
int cmd_getopt(const struct cmd_entry *cmd, int argc, char **argv, const char *shortopts,
               const struct option *longopts, int *done);

/* Parse a score option (a number from 0 to 1); prints and returns false if bad. */
bool cmd_score(const struct cmd_entry *cmd, const char *opt, const char *value, double *out);

/* The arguments of a command that takes only --db FILE and --format F (one
 * of formats, whose index goes to *format) and no operand: -1 when the
 * command should go on, else the exit status to return (--help, bad use). */
int cmd_db_format_args(const struct cmd_entry *cmd, int argc, char **argv,
                       const char *const *formats, const char **db_opt, int *format);

/* The options shared by the commands that query one language pair of a TM:
 * --db, --src-lang, --tgt-lang (defaults id and en) and, when formats is
 * set, --format (its index goes to format). */
struct cmd_tm_opts {
    const char *db;
    const char *src_opt, *tgt_opt;
    const char *const *formats;
    int format;
    char src_lang[SL_LANG_MAX], tgt_lang[SL_LANG_MAX];
};
#define CMD_TM_OPTS_INIT(formats) {NULL, "id", "en", (formats), 0, "", ""}
/* Their long options and the short ones ("hd:s:t:f:"), for getopt tables. */
#define CMD_TM_LONGOPTS                                                                            \
    {"db", required_argument, NULL, 'd'}, {"src-lang", required_argument, NULL, 's'},             \
        {"tgt-lang", required_argument, NULL, 't'}, {"format", required_argument, NULL, 'f'},      \
        {"help", no_argument, NULL, 'h'}
#define CMD_TM_SHORTOPTS ":hd:s:t:f:"
/* Take option c if it is one of them: returns 1 when taken, 0 when c is
 * another option, -1 after printing a usage error (a bad --format). */
int cmd_tm_opt(const struct cmd_entry *cmd, struct cmd_tm_opts *o, int c, const char *value);
/* Canonicalise the two language options into o; on error prints and
 * returns false with *exit_status set. */
bool cmd_tm_langs(struct cmd_tm_opts *o, int *exit_status);

/* Match value against a NULL-terminated list of choices for option opt;
 * returns its index, or prints a usage error and returns -1. */
int cmd_choice(const struct cmd_entry *cmd, const char *opt, const char *value,
               const char *const *choices);

/* SRX rules file for cmd_load_sentences() (the --srx option), or NULL. */
extern const char *cmd_srx;

/* Read a file and segment it (or read it as one sentence per line). */
sl_status cmd_load_sentences(const char *path, const char *lang, bool presegmented,
                             char **text, size_t *len, sl_sentences **out, sl_error *err);

/* An article pair read, segmented and aligned: what align and add share. */
struct cmd_pair {
    char *src_text, *tgt_text;
    size_t src_len, tgt_len;
    sl_sentences *src, *tgt;
    sl_alignment *al;
};
sl_status cmd_pair_load(struct cmd_pair *p, const char *src_path, const char *tgt_path,
                        const char *src_lang, const char *tgt_lang, bool presegmented,
                        sl_error *err);
/* The same with aligner options (NULL: sl_align()'s defaults) and a
 * --min-score below which pairs are split into unmatched sentences. */
sl_status cmd_pair_load_with(struct cmd_pair *p, const char *src_path, const char *tgt_path,
                             const char *src_lang, const char *tgt_lang, bool presegmented,
                             const sl_align_options *opt, double min_score, sl_error *err);
/* The two halves of cmd_pair_load_with(): read and segment both files (no
 * alignment yet), then align them. */
sl_status cmd_pair_read(struct cmd_pair *p, const char *src_path, const char *tgt_path,
                        const char *src_lang, const char *tgt_lang, bool presegmented,
                        sl_error *err);
sl_status cmd_pair_align(struct cmd_pair *p, const sl_align_options *opt, double min_score,
                         sl_error *err);
/* Report a failed cmd_pair_load_with(): the refusal of unrelated texts
 * gets its own exit status and the hint to --force. */
int cmd_pair_fail(const sl_error *err, const char *src_path, const char *tgt_path);
void cmd_pair_free(struct cmd_pair *p);

#endif

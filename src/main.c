#include "config.h"
#include "cmd.h"
#include <signal.h>
#include "man.h"
#include "out.h"
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static void print_main_usage(FILE *f)
{
    fputs("usage: selaras [--version] [--help] COMMAND [ARGS]\n\n"
          "Segment Indonesian and English articles into sentences, align them, keep the\n"
          "pairs in an SQLite translation memory, export TMX and look translations up.\n\n"
          "Commands:\n",
          f);
    for (size_t i = 0; cmd_table[i]; i++)
        fprintf(f, "  %-13s %s\n", cmd_table[i]->name, cmd_table[i]->summary);
    fputs("  help          show the help of a command\n\n"
          "The database is --db FILE, else $SELARAS_DB, else selaras.db in the current directory.\n"
          "A command waits up to $SELARAS_BUSY_TIMEOUT seconds (default 60) for another\n"
          "process that is writing to the same database.\n"
          "Exit status: 0 success, 1 the work failed, 2 the command line was wrong,\n"
          "3 align/add refused texts that do not look like translations (see --force).\n"
          "'selaras help COMMAND' or 'selaras COMMAND --help' tells more.\n",
          f);
}

static const struct cmd_entry *find_or_complain(const char *name);

/* `selaras help --roff [CMD]`: the man page made from the same help text
 * (the build writes doc/selaras*.1 with it). */
static int print_roff(const char *name)
{
    if (name) {
        const struct cmd_entry *cmd = find_or_complain(name);
        if (!cmd)
            return EXIT_USAGE;
        char page[64];
        snprintf(page, sizeof page, "selaras-%s", cmd->name);
        const char *const see_also[] = {"selaras", NULL};
        man_write(stdout, page, cmd->summary, cmd->usage, see_also);
        return out_finish(EXIT_OK);
    }
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) {
        fputs("selaras: out of memory\n", stderr);
        return EXIT_FAIL;
    }
    print_main_usage(mem);
    fclose(mem);
    size_t n = 0;
    while (cmd_table[n])
        n++;
    const char **see_also = calloc(n + 1, sizeof *see_also);
    char(*names)[64] = calloc(n + 1, sizeof *names);
    int status = EXIT_FAIL;
    if (see_also && names) {
        for (size_t i = 0; i < n; i++) {
            snprintf(names[i], sizeof names[i], "selaras-%s", cmd_table[i]->name);
            see_also[i] = names[i];
        }
        man_write(stdout, "selaras",
                  "segment, align and keep article translations in a translation memory", text,
                  see_also);
        status = out_finish(EXIT_OK);
    } else
        fputs("selaras: out of memory\n", stderr);
    free(see_also);
    free(names);
    free(text);
    return status;
}

static const struct cmd_entry *find_or_complain(const char *name)
{
    bool ambiguous;
    const struct cmd_entry *cmd = cmd_find(name, &ambiguous);
    if (cmd)
        return cmd;
    if (ambiguous) {
        fprintf(stderr, "selaras: ambiguous command '%s', could be:", name);
        for (size_t i = 0; cmd_table[i]; i++)
            if (strncmp(cmd_table[i]->name, name, strlen(name)) == 0)
                fprintf(stderr, " %s", cmd_table[i]->name);
        fputc('\n', stderr);
    } else
        fprintf(stderr, "selaras: unknown command '%s'; 'selaras --help' lists them\n", name);
    return NULL;
}

/* $SELARAS_BUSY_TIMEOUT: whole seconds, 0 to fail at once on a lock. */
static bool set_busy_timeout(void)
{
    const char *v = getenv("SELARAS_BUSY_TIMEOUT");
    if (!v || !*v)
        return true;
    char *end;
    errno = 0;
    long s = strtol(v, &end, 10);
    if (errno || *end || end == v || s < 0 || s > 86400) {
        fprintf(stderr,
                "selaras: SELARAS_BUSY_TIMEOUT='%s' is not a number of seconds from 0 to 86400\n",
                v);
        return false;
    }
    sl_tm_set_busy_timeout((int)(s * 1000));
    return true;
}

int main(int argc, char **argv)
{
    /* Past a file size limit (ulimit -f), fail the write with EFBIG and say
     * so, instead of being killed mid-transaction without a word. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        print_main_usage(stderr);
        return EXIT_USAGE;
    }
    const char *first = argv[1];
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
        print_main_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
        printf("selaras %s (TM schema %d)\n", sl_version(), sl_tm_schema_version());
        return EXIT_OK;
    }
    if (strcmp(first, "help") == 0) {
        if (argc < 3) {
            print_main_usage(stdout);
            return EXIT_OK;
        }
        if (strcmp(argv[2], "--roff") == 0)
            return print_roff(argc > 3 ? argv[3] : NULL);
        const struct cmd_entry *cmd = find_or_complain(argv[2]);
        if (!cmd)
            return EXIT_USAGE;
        cmd_print_usage(cmd);
        return EXIT_OK;
    }
    if (first[0] == '-') {
        fprintf(stderr, "selaras: unknown option '%s'; 'selaras --help' lists the commands\n", first);
        return EXIT_USAGE;
    }
    const struct cmd_entry *cmd = find_or_complain(first);
    if (!cmd)
        return EXIT_USAGE;
    if (!set_busy_timeout())
        return EXIT_USAGE;
    optind = 1;
    return cmd->run(argc - 1, argv + 1);
}

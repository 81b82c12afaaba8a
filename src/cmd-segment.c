#include "cmd.h"
#include "out.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int run(int argc, char **argv);

const struct cmd_entry cmd_segment_entry = {
    "segment",
    "split a text into sentences, one per line",
    "usage: selaras segment [--lang CODE] [--srx FILE] [FILE|-]\n"
    "\n"
    "Split a UTF-8 text into sentences and print one per line, with an empty line\n"
    "between paragraphs.  A blank line in the input ends a paragraph; so does a\n"
    "line break after a line without final punctuation (a headline).  In a file\n"
    "without blank lines every line is a paragraph.  Abbreviations (Jl., Prof.,\n"
    "dll., No. 5), initials, numbers (Rp16.750, 10.30), URLs and e-mail addresses\n"
    "do not end sentences.  Hard-wrapped paragraphs (e-mail, fixed-width text) are\n"
    "joined.  Reads standard input when FILE is - or missing; sentences are printed\n"
    "as the file is read, so its size does not matter.\n"
    "\n"
    "Options:\n"
    "  -l, --lang CODE   language of the text (BCP 47; default id)\n"
    "  -x, --srx FILE    use the SRX 2.0 segmentation rules in FILE (those of the\n"
    "                    language maps that match CODE) instead of the built-in ones\n"
    "  -h, --help        show this help\n"
    "\n"
    "Example:\n"
    "  selaras segment tm/article.id.txt\n",
    run,
};

static sl_status print_sentence(void *ctx, const char *text, size_t len, bool new_paragraph,
                                sl_error *err)
{
    (void)err;
    bool *first = ctx;
    if (new_paragraph && !*first)
        putc('\n', stdout);
    *first = false;
    fwrite(text, 1, len, stdout);
    putc('\n', stdout);
    return SL_OK;
}

static int run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"lang", required_argument, NULL, 'l'},
        {"srx", required_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *lang_opt = "id";
    int c, done = -1;
    while ((c = cmd_getopt(&cmd_segment_entry, argc, argv, ":hl:x:", longopts, &done)) != -1 &&
           done < 0)
        if (c == 'l')
            lang_opt = optarg;
        else if (c == 'x')
            cmd_srx = optarg;
    if (done >= 0)
        return done;
    if (argc - optind > 1)
        return cmd_usage_error(&cmd_segment_entry, "give one file (or -), not %d", argc - optind);
    const char *path = optind < argc ? argv[optind] : "-";

    char lang[SL_LANG_MAX];
    int status = EXIT_OK;
    if (!cmd_lang(lang_opt, lang, &status))
        return status;

    /* into a file or a pipe, a few large writes instead of one per 4 kB */
    static char obuf[1 << 18];
    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    sl_error err;
    sl_error_clear(&err);
    sl_segmenter *seg = NULL;
    bool first = true;
    /* sentences are printed as they are found: memory stays small however
     * large the file */
    sl_status st = sl_segmenter_new(lang, NULL, &seg, &err);
    if (st == SL_OK && cmd_srx)
        st = sl_segmenter_load_srx(seg, cmd_srx, &err);
    if (st == SL_OK)
        st = sl_segment_file(seg, path, print_sentence, &first, &err);
    sl_segmenter_free(seg);
    if (st != SL_OK) {
        fflush(stdout);
        return cmd_fail(&err);
    }
    return out_finish(EXIT_OK);
}

#include "out.h"
#include "cmd.h"
#include <errno.h>
#include <string.h>

void out_json_chars(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
}

void out_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    out_json_chars(f, s);
    fputc('"', f);
}

void out_tsv_field(FILE *f, const char *s)
{
    for (const char *p = s; *p; p++)
        fputc((*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p, f);
}

int out_finish(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "selaras: cannot write the output: %s\n", strerror(errno));
        return status ? status : EXIT_FAIL;
    }
    return status;
}

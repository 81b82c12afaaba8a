#ifndef SELARAS_OUT_H
#define SELARAS_OUT_H

#include <stdio.h>

/* Write s escaped for the inside of a JSON string. */
void out_json_chars(FILE *f, const char *s);
/* Write s as a JSON string literal (quotes included). */
void out_json_string(FILE *f, const char *s);
/* Write s as one TSV field: tabs, CR and LF become spaces so columns hold. */
void out_tsv_field(FILE *f, const char *s);
/* Flush stdout and report a write error (e.g. a full disk or closed pipe). */
int out_finish(int status);

#endif

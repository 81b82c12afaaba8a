#ifndef SELARAS_MAN_H
#define SELARAS_MAN_H

#include <stdio.h>

/*
 * Write a man page (roff, man macros) made from a help text, so that
 * `selaras help CMD` and selaras-CMD(1) say the same thing.  The help text
 * follows a few conventions (see README, "Man pages and completion"):
 * a "usage:" block first, "Heading:" lines, option and item lines
 * "  TERM  DESCRIPTION" with continuations indented to the description,
 * other indented lines shown as they are.  page is "selaras" or
 * "selaras-CMD"; see_also lists pages (NULL-terminated) for SEE ALSO.
 */
void man_write(FILE *out, const char *page, const char *summary, const char *text,
               const char *const *see_also);

#endif

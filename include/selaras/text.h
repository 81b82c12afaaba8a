#ifndef SELARAS_TEXT_H
#define SELARAS_TEXT_H

/*
 * Loading input text and checking language codes.
 */

#include <selaras/error.h>
#include <stdbool.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Read a whole UTF-8 text file ("-" reads standard input).  Rejects a
 * missing or unreadable file, a directory, invalid UTF-8 (the message gives
 * the byte offset), NUL bytes and other control characters that XML (and so
 * TMX) cannot carry, and a file with no visible text (SL_EMPTY).  A UTF-8
 * byte order mark is removed; form feed and vertical tab become spaces; CR
 * LF is kept as it is (the segmenter treats it as a line break).  On success *out is NUL-terminated, owned by
 * the caller and freed with sl_free(); *len excludes the NUL.
 */
SL_EXTERN sl_status sl_text_read_file(const char *path, char **out, size_t *len, sl_error *err);

/*
 * Check that a buffer is valid UTF-8 without NUL bytes; name is used in the
 * message ("FILE: invalid UTF-8 at byte 123").
 */
SL_EXTERN sl_status sl_text_check_utf8(const char *name, const char *text, size_t len,
                                       sl_error *err);

/*
 * Canonicalise a BCP 47 language tag: lower case, '_' becomes '-', and the
 * primary language subtag must be a known ISO 639 code ("id", "en-US" ->
 * "en-us").  out must hold at least SL_LANG_MAX bytes.
 */
#define SL_LANG_MAX 36
SL_EXTERN sl_status sl_lang_canonical(const char *tag, char out[SL_LANG_MAX], sl_error *err);

/*
 * Write the file path so that it appears complete or not at all: write(f,
 * ctx) fills a temporary file beside it, which is synced and renamed into
 * place when write returns true and the stream has no error, and removed
 * otherwise (path is then as it was).  A new file gets the mode a plain
 * create gives (0666 less the umask); a symbolic link is followed and
 * stays; a device or FIFO (/dev/null, a pipe) is written in place.
 */
typedef bool (*sl_write_fn)(FILE *f, void *ctx);
SL_EXTERN sl_status sl_file_write(const char *path, sl_write_fn write, void *ctx, sl_error *err);

#ifdef __cplusplus
}
#endif
#endif

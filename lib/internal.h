#ifndef SELARAS_INTERNAL_H
#define SELARAS_INTERNAL_H

/* Internal helpers shared by the library modules: not exported. */

#include "config.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <selaras/selaras.h>

/* A growable byte buffer.  data is NUL-terminated whenever len > 0 or after
 * sl__buf_cstr(); the owner frees it with sl__buf_free() or takes it with
 * sl__buf_detach(). */
typedef struct sl__buf {
    char *data;
    size_t len, cap;
} sl__buf;

#define SL__BUF_INIT {NULL, 0, 0}

bool sl__buf_reserve(sl__buf *b, size_t extra);
bool sl__buf_append(sl__buf *b, const char *s, size_t n);
bool sl__buf_puts(sl__buf *b, const char *s);
bool sl__buf_printf(sl__buf *b, const char *fmt, ...) SL_PRINTF(2, 3);
/* Ensure a NUL terminator and return data ("" for an empty buffer). */
const char *sl__buf_cstr(sl__buf *b);
/* Hand the data to the caller (NUL-terminated, never NULL on success). */
char *sl__buf_detach(sl__buf *b);
void sl__buf_clear(sl__buf *b);
void sl__buf_free(sl__buf *b);

char *sl__strdup(const char *s);
char *sl__strndup(const char *s, size_t n);

/* Set err to SL_NOMEM with a standard message. */
sl_status sl__nomem(sl_error *err);

/*
 * Find a language data file: datadir if given, else $SELARAS_DATADIR, else
 * the installed pkgdatadir, else the source tree's data/ (uninstalled runs).
 * Returns a malloc'd path of the first existing candidate, or NULL (and
 * fills err with the places searched).
 */
char *sl__data_path(const char *datadir, const char *name, sl_error *err);

/* Current UTC time as "YYYY-MM-DDThh:mm:ssZ" (buf of at least 21 bytes). */
void sl__utc_now(char buf[21]);

/* Whitespace per Unicode White_Space for the ASCII range plus NBSP and the
 * common Unicode spaces; returns the length of the space at s, 0 if none. */
size_t sl__space_len(const char *s, size_t n);

/* Open an input file ("-" is standard input) for reading, refusing
 * directories; *name gets the name for messages, *fd the descriptor (close
 * it unless path is "-"). */
sl_status sl__open_input(const char *path, const char **name, int *fd, sl_error *err);

/* One read(2) into buf, retried on EINTR; *got is 0 at the end. */
sl_status sl__read_some(int fd, const char *name, char *buf, size_t cap, size_t *got,
                        sl_error *err);

/* sl_text_check_utf8() for a piece of a larger input that starts at byte
 * offset base, on line *line (updated), so messages give file offsets. */
/* Length of the valid UTF-8 sequence at s (n bytes available): 1 to 4, or 0
 * when it is invalid (truncated, overlong, a surrogate, beyond U+10FFFF). */
size_t sl__utf8_seq_len(const unsigned char *s, size_t n);
sl_status sl__check_utf8_at(const char *name, const char *text, size_t len, size_t base,
                           size_t *line, sl_error *err);

/* Collapse whitespace runs to one space, trim, and NFC-normalise. Returns a
 * malloc'd string or NULL on failure. */
char *sl__normalise(const char *s, size_t n);



/* Append a sentence with its byte span in the segmented input (segmenter use). */
sl_status sl__sentences_push(sl_sentences *s, const char *text, size_t len, bool new_paragraph,
                             size_t span_start, size_t span_end, sl_error *err);


/* Build an alignment from given beads (copied); for tests and importers. */
sl_status sl__alignment_from_beads(const sl_bead *beads, size_t n, sl_alignment **out,
                                   sl_error *err);

/* Test hook: when non-zero, the k-th allocation inside sl_align fails. */
extern size_t sl__align_fail_alloc;

/*
 * A file that appears complete or not at all (lib/outfile.c): open writes to
 * a temporary file beside path (a device or FIFO is written in place, a
 * symbolic link followed); close with the status of the writing syncs and
 * renames it into place on SL_OK, removes it otherwise, and returns the
 * final status.  name (the path as given) is for messages.
 */
typedef struct sl__outfile {
    int fd;
    const char *name;
    char *tmp, *real;
} sl__outfile;
sl_status sl__outfile_open(sl__outfile *o, const char *path, sl_error *err);
sl_status sl__outfile_close(sl__outfile *o, sl_status st, sl_error *err);
/* Whether an output path would replace a TM (tm_path) or the files SQLite
 * keeps beside it: 0 the TM, 1.. its -wal, -shm or -journal, -1 neither. */
sl_status sl__refuse_tm_file(const char *path, const char *tm_path, sl_error *err);

/* Test hook: when non-zero, writing the k-th unit of a TMX export fails as
 * if the disk were full. */
extern size_t sl__tmx_fail_at_unit;

/* JSON (lib/json.c) for readers of JSON lines: one value at the start of text,
 * *used = the bytes read (it and the whitespace after it); what follows is the
 * caller's business.  *fault tells a refused \u surrogate from other faults. */
typedef enum { SL__JSON_SYNTAX, SL__JSON_SURROGATE, SL__JSON_OTHER } sl__json_fault;
sl_status sl__json_parse_prefix(const char *text, size_t len, sl_json **out, size_t *used,
                                sl__json_fault *fault, sl_error *err);

#endif

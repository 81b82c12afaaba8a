#ifndef SELARAS_ERROR_H
#define SELARAS_ERROR_H

/*
 * Errors.  Every library function that can fail returns an sl_status and, on
 * failure, fills a caller-owned sl_error with the code and a one-line
 * message that names the file and the problem.  The library never prints
 * and never exits; the caller decides what to show.
 */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SL_EXTERN __attribute__((visibility("default")))
#define SL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SL_EXTERN
#define SL_PRINTF(f, a)
#endif

/* X-macro: one list gives both the enum and sl_strerror(). */
#define SL_STATUS_MAP(X)                                              \
    X(OK, "success")                                                  \
    X(NOMEM, "out of memory")                                         \
    X(USAGE, "invalid argument")                                      \
    X(IO, "input/output error")                                       \
    X(NOTFOUND, "not found")                                          \
    X(ENCODING, "invalid text encoding")                              \
    X(EMPTY, "empty input")                                           \
    X(LANG, "unknown or malformed language code")                     \
    X(DB, "database error")                                           \
    X(SCHEMA, "not a selaras database or unsupported schema version") \
    X(XML, "XML error")                                               \
    X(DATA, "invalid data")                                           \
    X(ICU, "ICU error")                                               \
    X(UNRELATED, "the texts do not look like translations of each other")

typedef enum {
#define SL__STATUS_ENUM(name, text) SL_##name,
    SL_STATUS_MAP(SL__STATUS_ENUM)
#undef SL__STATUS_ENUM
    SL__STATUS_COUNT
} sl_status;

#define SL_ERROR_MSG_MAX 1024

typedef struct sl_error {
    sl_status code;
    char message[SL_ERROR_MSG_MAX]; /* "" when no error was recorded */
} sl_error;

/* Reset an error object to SL_OK with an empty message. */
SL_EXTERN void sl_error_clear(sl_error *err);

/* Record an error; returns code so callers can write `return sl_error_set(...)`.
 * err may be NULL.  The message should be lower case, without a final full stop. */
SL_EXTERN sl_status sl_error_set(sl_error *err, sl_status code, const char *fmt, ...)
    SL_PRINTF(3, 4);

/* A static description of a status code. */
SL_EXTERN const char *sl_strerror(sl_status code);

/* The message if one was set, else sl_strerror(err->code). */
SL_EXTERN const char *sl_error_message(const sl_error *err);

/* Free memory that the library allocated and handed to the caller. */
SL_EXTERN void sl_free(void *p);

#ifdef __cplusplus
}
#endif
#endif

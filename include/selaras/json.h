#ifndef SELARAS_JSON_H
#define SELARAS_JSON_H

/*
 * A strict JSON reader (RFC 8259) for the JSON-lines interfaces: one text in,
 * a tree of values out.  Refused: trailing commas, comments, single quotes,
 * leading zeros, NaN/Infinity, unescaped control characters, invalid UTF-8,
 * lone UTF-16 surrogates in \u escapes, duplicate object keys, anything after
 * the value, and nesting deeper than 256 levels.
 */

#include <stdbool.h>
#include <stddef.h>
#include <selaras/error.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SL_JSON_NULL,
    SL_JSON_FALSE,
    SL_JSON_TRUE,
    SL_JSON_NUMBER,
    SL_JSON_STRING,
    SL_JSON_ARRAY,
    SL_JSON_OBJECT
} sl_json_type;

typedef struct sl_json sl_json;

/*
 * Parse len bytes holding exactly one JSON value (whitespace around it is
 * allowed).  On malformed input returns SL_DATA with a message starting with
 * "column N:" (1-based byte column).  Free the tree with sl_json_free().
 */
SL_EXTERN sl_status sl_json_parse(const char *text, size_t len, sl_json **out, sl_error *err);
SL_EXTERN void sl_json_free(sl_json *v);

SL_EXTERN sl_json_type sl_json_kind(const sl_json *v);
/* A string's decoded UTF-8, NUL-terminated (it may also hold NULs from
 * \u0000: *len tells the real length); NULL for other kinds. */
SL_EXTERN const char *sl_json_string(const sl_json *v, size_t *len);
/* A number's value; false for other kinds and for numbers out of range. */
SL_EXTERN bool sl_json_number(const sl_json *v, double *out);
/* Elements of an array or members of an object; 0 for other kinds. */
SL_EXTERN size_t sl_json_size(const sl_json *v);
SL_EXTERN const sl_json *sl_json_item(const sl_json *v, size_t i);
/* Key of member i of an object (NULL otherwise). */
SL_EXTERN const char *sl_json_key(const sl_json *v, size_t i, size_t *len);
/* The member of an object with this key, or NULL. */
SL_EXTERN const sl_json *sl_json_get(const sl_json *obj, const char *key);

#ifdef __cplusplus
}
#endif
#endif

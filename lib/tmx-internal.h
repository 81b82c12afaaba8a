#ifndef SELARAS_TMX_INTERNAL_H
#define SELARAS_TMX_INTERNAL_H

/* The streaming TMX parser behind sl_tmx_import (tmx-read.c), exposed to the
 * unit tests: not exported. */

#include "internal.h"
#include <libxml/xmlerror.h>
#include <selaras/text.h>

/* libxml2's process-wide error handlers, saved while sl__xml_quiet() has
 * silenced them: libxml2 prints some errors (I/O, encoding conversion)
 * straight to stderr, and the library reports through sl_error only. */
typedef struct sl__xml_handlers {
    xmlGenericErrorFunc generic;
    void *generic_ctx;
    xmlStructuredErrorFunc structured;
    void *structured_ctx;
} sl__xml_handlers;
/* first (may be NULL, else SL__XML_MSG_MAX bytes, set to "") receives the
 * first message libxml2 raised outside a parser's own handler. */
#define SL__XML_MSG_MAX 200
void sl__xml_quiet(sl__xml_handlers *saved, char *first);
void sl__xml_restore(const sl__xml_handlers *saved);

typedef struct sl__tmx_tuv {
    const char *lang;   /* canonical tag; "" when missing or invalid (tu->bad says why) */
    const char *text;   /* as stored: plain text, or TMX inline XML when markup */
    const char *plain;  /* the text without inline codes: what matching uses */
    bool markup;        /* text holds inline elements */
} sl__tmx_tuv;

typedef struct sl__tmx_note {
    int tuv;            /* index of the tuv it belongs to, -1 for the tu */
    bool note;          /* a note, else a prop */
    const char *type;   /* prop type, NULL for notes */
    const char *lang;   /* its xml:lang, or NULL */
    const char *value;
} sl__tmx_note;

typedef struct sl__tmx_tu {
    size_t index;       /* 0-based among the file's tu elements */
    long line;          /* line of the <tu> start tag */
    const char *srclang;                     /* the tu's, else the header's (may be "*all*") */
    const char *tuid, *creation_date, *creation_id, *change_date, *change_id; /* or NULL;
                                               dates as "2026-11-24T17:10:26Z" */
    const sl__tmx_tuv *tuvs;
    size_t n_tuvs;
    const sl__tmx_note *notes;
    size_t n_notes;
    const char *bad;    /* NULL, or why the tu cannot be imported */
} sl__tmx_tu;

/* Called for each tu; non-zero stops the parse (sl__tmx_parse returns SL_OK). */
typedef int (*sl__tmx_tu_fn)(const sl__tmx_tu *tu, void *data);

/*
 * Parse a TMX file from fd (name for messages) or from memory (fd < 0: buf,
 * len), calling fn for every tu.  A document-level problem (not XML, wrong
 * root, missing header, entity declarations, nesting too deep, unknown
 * version) fails with "NAME:LINE: ..." .  sha256 (may be NULL) receives the
 * hex checksum of the bytes read.
 */
sl_status sl__tmx_parse(int fd, const char *buf, size_t len, const char *name,
                        sl__tmx_tu_fn fn, void *data, char sha256[65], sl_error *err);

/* "20261124T171026Z" -> "2026-11-24T17:10:26Z"; false when not TMX date syntax. */
bool sl__tmx_date_to_iso(const char *tmx, char out[21]);
/* True when s is "YYYYMMDDThhmmssZ" with plausible field values: what the
 * export writes and so what the import accepts. */
bool sl__tmx_date_ok(const char *s);

#endif

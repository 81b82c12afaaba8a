/*
 * Managing document pairs: listing, deleting (with the units only that
 * document yielded) and merging whole TMs.
 */
#include "tm-internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *text_or_empty(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static const char *text_or_null(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

sl_status sl_tm_foreach_document(sl_tm *tm, sl_doc_fn fn, void *data, sl_error *err)
{
    if (!tm || !fn)
        return sl_error_set(err, SL_USAGE, "sl_tm_foreach_document: missing argument");
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(
        tm,
        "SELECT d.id, d.kind, d.src_path, d.tgt_path, d.src_lang, d.tgt_lang, d.src_sha256,"
        " d.tgt_sha256, d.added_at, d.tool_version,"
        " (SELECT count(*) FROM occurrences o WHERE o.document = d.id)"
        " FROM documents d ORDER BY d.id",
        &st, err);
    if (s != SL_OK)
        return s;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sl_doc_info d = {sqlite3_column_int64(st, 0), text_or_empty(st, 1), text_or_empty(st, 2),
                         text_or_empty(st, 3),        text_or_empty(st, 4), text_or_empty(st, 5),
                         text_or_empty(st, 6),        text_or_empty(st, 7), text_or_empty(st, 8),
                         text_or_empty(st, 9),        sqlite3_column_int64(st, 10)};
        if (fn(&d, data) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        s = sl__tm_db_error(tm, rc, "cannot read the documents", err);
    sqlite3_finalize(st);
    return s;
}

/* Run one statement with ?1 bound to id; *changes gets the rows changed. */
static sl_status exec_id(sl_tm *tm, const char *sql, long long id, size_t *changes,
                         sl_error *err)
{
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(tm, sql, &st, err);
    if (s != SL_OK)
        return s;
    int rc = sqlite3_bind_parameter_count(st) > 0 ? sqlite3_bind_int64(st, 1, id) : SQLITE_OK;
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        rc = SQLITE_OK;
        if (changes)
            *changes = (size_t)sqlite3_changes(tm->db);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? SL_OK : sl__tm_db_error(tm, rc, "cannot delete the document", err);
}

sl_status sl_tm_delete_document(sl_tm *tm, long long id, sl_delete_result *result,
                                sl_error *err)
{
    sl_delete_result r = {0, 0, 0, 0};
    if (result)
        *result = r;
    if (!tm)
        return sl_error_set(err, SL_USAGE, "sl_tm_delete_document: missing argument");
    if (tm->readonly)
        return sl_error_set(err, SL_USAGE, "%s: the translation memory is open read-only",
                            tm->path);
    int rc = sqlite3_exec(tm->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return sl__tm_db_error(tm, rc, "cannot start a transaction", err);
    size_t n = 0, affected = 0;
    sqlite3_stmt *st = NULL;
    sl_status s = sl__tm_prepare(tm, "SELECT count(*) FROM documents WHERE id = ?1", &st, err);
    if (s == SL_OK) {
        sqlite3_bind_int64(st, 1, id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            n = (size_t)sqlite3_column_int64(st, 0);
        else
            s = sl__tm_db_error(tm, rc, "cannot read the documents", err);
        sqlite3_finalize(st);
    }
    if (s == SL_OK && n == 0)
        s = sl_error_set(err, SL_NOTFOUND, "%s: no document %lld ('selaras list-docs' lists them)",
                         tm->path, id);
    /* The units this document yielded, with their segments, before the
     * cascade removes the occurrences that name them. */
    if (s == SL_OK)
        s = exec_id(tm, "CREATE TEMP TABLE IF NOT EXISTS sl_gone (unit INTEGER PRIMARY KEY,"
                        " src INTEGER, tgt INTEGER)", 0, NULL, err);
    if (s == SL_OK)
        s = exec_id(tm, "DELETE FROM temp.sl_gone", 0, NULL, err);
    if (s == SL_OK)
        s = exec_id(tm, "INSERT INTO temp.sl_gone SELECT u.id, u.src_segment, u.tgt_segment"
                        " FROM units u WHERE u.id IN (SELECT unit FROM occurrences"
                        " WHERE document = ?1)", id, &affected, err);
    if (s == SL_OK)
        s = exec_id(tm, "DELETE FROM occurrences WHERE document = ?1", id, &r.occurrences, err);
    if (s == SL_OK)
        s = exec_id(tm, "DELETE FROM documents WHERE id = ?1", id, NULL, err);
    if (s == SL_OK)
        s = exec_id(tm, "DELETE FROM units WHERE id IN (SELECT unit FROM temp.sl_gone)"
                        " AND NOT EXISTS (SELECT 1 FROM occurrences o WHERE o.unit = units.id)",
                    0, &r.units_removed, err);
    if (s == SL_OK)
        s = exec_id(tm, "DELETE FROM segments WHERE id IN (SELECT src FROM temp.sl_gone UNION"
                        " SELECT tgt FROM temp.sl_gone)"
                        " AND NOT EXISTS (SELECT 1 FROM units u WHERE u.src_segment = segments.id)"
                        " AND NOT EXISTS (SELECT 1 FROM units u WHERE u.tgt_segment = segments.id)",
                    0, &r.segments_removed, err);
    if (s == SL_OK)
        s = exec_id(tm, "DELETE FROM temp.sl_gone", 0, NULL, err);
    if (s == SL_OK) {
        rc = sqlite3_exec(tm->db, "COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            s = sl__tm_db_error(tm, rc, "cannot commit the deletion", err);
    }
    if (s != SL_OK) {
        if (!sqlite3_get_autocommit(tm->db))
            sqlite3_exec(tm->db, "ROLLBACK", NULL, NULL, NULL);
        return s;
    }
    r.units_kept = affected - r.units_removed;
    if (result)
        *result = r;
    return SL_OK;
}

/* ---- merging */

struct merge {
    sl_tm *in;
    sl__tm_writer *w;
    sqlite3_stmt *docs, *occs, *annots;
    sl__buf strs;
    sl__annot *list;
    size_t *offsets;
    size_t cap;
    sl_merge_result *res;
    sl_error *err;
};

/* The props and notes of one occurrence of the input, copied (the strings
 * must outlive the statement's next step). */
static sl_status read_annots(struct merge *m, long long doc, long long pos, size_t *n)
{
    *n = 0;
    sl__buf_clear(&m->strs);
    sqlite3_stmt *st = m->annots;
    sqlite3_reset(st);
    int rc = sqlite3_bind_int64(st, 1, doc);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 2, pos);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == m->cap) {
            size_t cap = m->cap ? m->cap * 2 : 8;
            sl__annot *l = realloc(m->list, cap * sizeof *l);
            if (l)
                m->list = l;
            size_t *o = realloc(m->offsets, cap * 3 * sizeof *o);
            if (o)
                m->offsets = o;
            if (!l || !o)
                return sl__nomem(m->err);
            m->cap = cap;
        }
        const char *level = text_or_empty(st, 0);
        sl__annot *a = &m->list[*n];
        a->level = !strcmp(level, "src") ? SL__LEVEL_SRC
                   : !strcmp(level, "tgt") ? SL__LEVEL_TGT
                                           : SL__LEVEL_TU;
        a->note = !strcmp(text_or_empty(st, 1), "note");
        for (int k = 0; k < 3; k++) {
            const char *t = text_or_null(st, 2 + k);
            if (!t && k == 2)
                t = "";
            m->offsets[*n * 3 + k] = t ? m->strs.len : (size_t)-1;
            if (t && !sl__buf_append(&m->strs, t, strlen(t) + 1))
                return sl__nomem(m->err);
        }
        (*n)++;
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_OK)
        return sl__tm_db_error(m->in, rc, "cannot read the props and notes", m->err);
    for (size_t i = 0; i < *n; i++) {
        const char **f[3] = {&m->list[i].type, &m->list[i].lang, &m->list[i].value};
        for (int k = 0; k < 3; k++) {
            size_t o = m->offsets[i * 3 + k];
            *f[k] = o == (size_t)-1 ? NULL : m->strs.data + o;
        }
    }
    return SL_OK;
}

static sl_status merge_document(struct merge *m, long long in_doc, long long out_doc)
{
    sqlite3_stmt *st = m->occs;
    sqlite3_reset(st);
    int rc = sqlite3_bind_int64(st, 1, in_doc);
    sl_status s = SL_OK;
    while (s == SL_OK && rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        long long pos = sqlite3_column_int64(st, 0);
        size_t n = 0;
        s = read_annots(m, in_doc, pos, &n);
        if (s != SL_OK)
            break;
        bool sm = sqlite3_column_int(st, 9) != 0, tm = sqlite3_column_int(st, 10) != 0;
        /* A markup segment's norm is what its plain text normalises to
         * (normalising is idempotent), so it can stand in for the plain text. */
        sl__unit_in u = {
            out_doc,
            pos,
            sqlite3_column_int64(st, 1),
            sqlite3_column_int64(st, 2),
            text_or_empty(st, 3),
            text_or_empty(st, 4),
            text_or_empty(st, 5),
            text_or_empty(st, 6),
            sm ? text_or_empty(st, 7) : NULL,
            tm ? text_or_empty(st, 8) : NULL,
            sm,
            tm,
            text_or_empty(st, 11),
            sqlite3_column_double(st, 12),
            text_or_null(st, 13),
            text_or_null(st, 14),
            text_or_null(st, 15),
            text_or_null(st, 16),
            text_or_null(st, 17),
            m->list,
            n,
        };
        bool is_new = false;
        s = sl__tm_writer_unit(m->w, &u, &is_new);
        if (s == SL_OK) {
            m->res->pairs++;
            if (is_new)
                m->res->units_new++;
            else
                m->res->units_existing++;
        }
    }
    if (s == SL_OK && rc != SQLITE_DONE && rc != SQLITE_OK)
        s = sl__tm_db_error(m->in, rc, "cannot read the units", m->err);
    return s;
}

static sl_status merge_one(struct merge *m)
{
    sl_status s = sl__tm_prepare(m->in,
                                 "SELECT id, kind, src_path, tgt_path, src_lang, tgt_lang,"
                                 " src_sha256, tgt_sha256, added_at, tool_version"
                                 " FROM documents ORDER BY id",
                                 &m->docs, m->err);
    if (s == SL_OK)
        s = sl__tm_prepare(m->in,
                           "SELECT o.position, o.src_index, o.tgt_index, s.lang, t.lang, s.text,"
                           " t.text, s.norm, t.norm, s.markup, t.markup, o.bead, o.score, o.tuid,"
                           " o.creation_date, o.creation_id, o.change_date, o.change_id"
                           " FROM occurrences o JOIN units u ON u.id = o.unit"
                           " JOIN segments s ON s.id = u.src_segment"
                           " JOIN segments t ON t.id = u.tgt_segment"
                           " WHERE o.document = ?1 ORDER BY o.position",
                           &m->occs, m->err);
    if (s == SL_OK)
        s = sl__tm_prepare(m->in,
                           "SELECT level, kind, type, lang, value FROM annotations"
                           " WHERE document = ?1 AND position = ?2 ORDER BY seq",
                           &m->annots, m->err);
    int rc = SQLITE_OK;
    while (s == SL_OK && (rc = sqlite3_step(m->docs)) == SQLITE_ROW) {
        sl__doc_in d = {text_or_empty(m->docs, 1), text_or_empty(m->docs, 2),
                        text_or_empty(m->docs, 3), text_or_empty(m->docs, 4),
                        text_or_empty(m->docs, 5), text_or_empty(m->docs, 6),
                        text_or_empty(m->docs, 7), text_or_empty(m->docs, 8),
                        text_or_empty(m->docs, 9)};
        long long out_id = 0;
        bool existed = false;
        s = sl__tm_writer_document(m->w, &d, &out_id, &existed);
        if (s != SL_OK)
            break;
        if (existed) {
            m->res->documents_existing++;
            continue;
        }
        m->res->documents_new++;
        s = merge_document(m, sqlite3_column_int64(m->docs, 0), out_id);
    }
    if (s == SL_OK && rc != SQLITE_DONE)
        s = sl__tm_db_error(m->in, rc, "cannot read the documents", m->err);
    sqlite3_finalize(m->docs);
    sqlite3_finalize(m->occs);
    sqlite3_finalize(m->annots);
    m->docs = m->occs = m->annots = NULL;
    return s;
}

sl_status sl_tm_merge(sl_tm *out, const char *const *paths, size_t n, sl_merge_result *result,
                      sl_error *err)
{
    sl_merge_result r;
    memset(&r, 0, sizeof r);
    if (result)
        *result = r;
    if (!out || (n && !paths))
        return sl_error_set(err, SL_USAGE, "sl_tm_merge: missing argument");
    struct merge m;
    memset(&m, 0, sizeof m);
    m.res = &r;
    m.err = err;
    sl_status s = sl__tm_writer_begin(out, &m.w, err);
    for (size_t i = 0; i < n && s == SL_OK; i++) {
        s = sl_tm_open(paths[i], SL_TM_READONLY, &m.in, err);
        if (s == SL_OK)
            s = merge_one(&m);
        sl_tm_close(m.in);
        m.in = NULL;
    }
    if (s == SL_OK)
        s = sl__tm_writer_commit(m.w);
    sl__tm_writer_free(m.w);
    sl__buf_free(&m.strs);
    free(m.list);
    free(m.offsets);
    if (s == SL_OK && result)
        *result = r;
    return s;
}

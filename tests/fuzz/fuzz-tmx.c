/*
 * libFuzzer target for the TMX reader: the bytes are a TMX file imported
 * into a fresh TM.  Invariants: an import either succeeds or fails with a
 * message; a TM it filled passes PRAGMA integrity_check, and exporting it
 * and importing the export into a second fresh TM gives as many units; the
 * second TM's export holds the same units as the first (texts with their
 * inline markup, languages, props, notes, dates), compared unit by unit.
 */
#include "internal.h"
#include "tm-internal.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char dir[64];
static char in_path[80], out_path[80], out2_path[80], db_a[80], db_b[80];

static void die(const char *what, const sl_error *err)
{
    fprintf(stderr, "fuzz-tmx: %s%s%s\n", what, err ? ": " : "", err ? sl_error_message(err) : "");
    abort();
}

static void remove_db(const char *path)
{
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < 4; i++) {
        char p[96];
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
}

static void cleanup(void)
{
    remove_db(db_a);
    remove_db(db_b);
    unlink(in_path);
    unlink(out_path);
    unlink(out2_path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* a tmpfs when there is one: every input creates and syncs two databases */
    snprintf(dir, sizeof dir, "%s/selaras-fuzz-tmx.XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(dir))
        die("mkdtemp", NULL);
    snprintf(in_path, sizeof in_path, "%s/in.tmx", dir);
    snprintf(out_path, sizeof out_path, "%s/out.tmx", dir);
    snprintf(out2_path, sizeof out2_path, "%s/out2.tmx", dir);
    snprintf(db_a, sizeof db_a, "%s/a.db", dir);
    snprintf(db_b, sizeof db_b, "%s/b.db", dir);
    atexit(cleanup);
    return 0;
}

static sl_tm *fresh(const char *path)
{
    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    remove_db(path);
    if (sl_tm_open(path, SL_TM_CREATE, &tm, &err) != SL_OK)
        die("open", &err);
    return tm;
}

static long long units_of(sl_tm *tm)
{
    sl_error err;
    sl_error_clear(&err);
    sl_tm_stats st;
    if (sl_tm_get_stats(tm, &st, &err) != SL_OK)
        die("stats", &err);
    return st.units;
}

static void check_integrity(sl_tm *tm)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(tm->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        die("integrity_check cannot run", NULL);
    const char *r = (const char *)sqlite3_column_text(st, 0);
    if (!r || strcmp(r, "ok") != 0)
        die("integrity_check failed", NULL);
    sqlite3_finalize(st);
}

/* A unit as text, without what may differ between two TMs holding the same
 * units: the tuid (a row id) is dropped; everything else, the inline markup
 * of the segs included, is serialised as the writer wrote it. */
static char *unit_text(xmlDocPtr doc, xmlNodePtr tu)
{
    xmlUnsetProp(tu, BAD_CAST "tuid");
    xmlBufferPtr b = xmlBufferCreate();
    if (!b || xmlNodeDump(b, doc, tu, 0, 0) < 0)
        die("cannot serialise a unit", NULL);
    char *s = strdup((const char *)xmlBufferContent(b));
    xmlBufferFree(b);
    if (!s)
        die("out of memory", NULL);
    return s;
}

typedef struct units {
    char **v;
    size_t n, cap;
    char *header; /* the header's attributes but creationdate */
} units;

static void read_units(const char *path, units *u)
{
    memset(u, 0, sizeof *u);
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    if (!doc)
        die("an export is not well-formed XML", NULL);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || xmlStrcmp(root->name, BAD_CAST "tmx"))
        die("an export has no tmx root", NULL);
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!xmlStrcmp(c->name, BAD_CAST "header")) {
            xmlUnsetProp(c, BAD_CAST "creationdate");
            u->header = unit_text(doc, c);
            continue;
        }
        if (xmlStrcmp(c->name, BAD_CAST "body"))
            continue;
        for (xmlNodePtr tu = c->children; tu; tu = tu->next) {
            if (tu->type != XML_ELEMENT_NODE)
                continue;
            if (u->n == u->cap) {
                u->cap = u->cap ? 2 * u->cap : 16;
                u->v = realloc(u->v, u->cap * sizeof *u->v);
                if (!u->v)
                    die("out of memory", NULL);
            }
            u->v[u->n++] = unit_text(doc, tu);
        }
    }
    xmlFreeDoc(doc);
    if (!u->header)
        die("an export has no header", NULL);
}

static void free_units(units *u)
{
    for (size_t i = 0; i < u->n; i++)
        free(u->v[i]);
    free(u->v);
    free(u->header);
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The order of the units carries no meaning in TMX; their content does. */
static void compare_exports(const char *first, const char *second)
{
    units a, b;
    read_units(first, &a);
    read_units(second, &b);
    if (strcmp(a.header, b.header)) {
        fprintf(stderr, "fuzz-tmx: headers differ:\n%s\n%s\n", a.header, b.header);
        die("the round trip changed the header", NULL);
    }
    if (a.n != b.n)
        die("the two exports hold different numbers of units", NULL);
    /* an empty list may be a null pointer, which qsort must not see */
    if (a.n > 1) {
        qsort(a.v, a.n, sizeof *a.v, by_text);
        qsort(b.v, b.n, sizeof *b.v, by_text);
    }
    for (size_t i = 0; i < a.n; i++)
        if (strcmp(a.v[i], b.v[i])) {
            fprintf(stderr, "fuzz-tmx: first export:\n%s\nsecond export:\n%s\n", a.v[i], b.v[i]);
            die("the round trip changed a unit", NULL);
        }
    free_units(&a);
    free_units(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(in_path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        die("cannot write the input", NULL);

    sl_error err;
    sl_error_clear(&err);
    sl_tm *a = fresh(db_a);
    sl_import_result res;
    sl_status s = sl_tmx_import(a, in_path, NULL, NULL, NULL, &res, &err);
    if (s != SL_OK) {
        if (!sl_error_message(&err)[0])
            die("an import failed without a message", NULL);
        if (units_of(a) != 0)
            die("a failed import left units behind", NULL);
        sl_tm_close(a);
        return 0;
    }
    check_integrity(a);
    long long n = units_of(a);
    size_t written = 0;
    if (sl_tmx_export(a, out_path, NULL, &written, &err) != SL_OK)
        die("the imported TM does not export", &err);
    sl_tm_close(a);
    if ((long long)written != n)
        die("the export wrote a different number of units", NULL);

    sl_tm *b = fresh(db_b);
    sl_error_clear(&err);
    if (sl_tmx_import(b, out_path, NULL, NULL, NULL, &res, &err) != SL_OK)
        die("the export does not import again", &err);
    check_integrity(b);
    if (units_of(b) != n) {
        fprintf(stderr, "fuzz-tmx: %lld units, %lld after export and import\n", n, units_of(b));
        die("the round trip changed the number of units", NULL);
    }
    if (sl_tmx_export(b, out2_path, NULL, &written, &err) != SL_OK)
        die("the re-imported TM does not export", &err);
    sl_tm_close(b);
    compare_exports(out_path, out2_path);
    return 0;
}

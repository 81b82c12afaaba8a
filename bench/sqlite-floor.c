/*
 * sqlite-floor PAIRS.tsv UNITS DB
 *
 * What SQLite alone costs for the rows a TMX import cannot do without, so
 * that the import's speed can be read against a floor measured in the same
 * run.  UNITS units are made from the "source TAB target" lines of PAIRS.tsv
 * the way bench-import.sh makes its TMX (cycled, " (PASS)" appended after
 * the first pass).  Into a fresh WAL database DB, in one transaction each:
 *
 *   rows: per unit two segment rows (id, lang, text) and one unit row (id,
 *         source id, target id) through prepared statements, no index;
 *   fts:  the full-text index selaras keeps (FTS5, external content, its
 *         tokenizer declaration) filled from those segments in one
 *         statement, as the import fills it at its commit.
 *
 * Prints "rows CPU_SECONDS" and "fts CPU_SECONDS" (user + system).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

struct pairs {
    char **src, **tgt;
    size_t n, cap;
};

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static int read_pairs(const char *path, struct pairs *p)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        if (p->n == p->cap) {
            size_t c = p->cap ? 2 * p->cap : 1024;
            char **s = realloc(p->src, c * sizeof *s);
            if (s)
                p->src = s;
            char **t = realloc(p->tgt, c * sizeof *t);
            if (t)
                p->tgt = t;
            if (!s || !t) {
                rc = -1;
                break;
            }
            p->cap = c;
        }
        p->src[p->n] = strdup(line);
        p->tgt[p->n] = strdup(tab + 1);
        if (!p->src[p->n] || !p->tgt[p->n]) {
            free(p->src[p->n]);
            free(p->tgt[p->n]);
            rc = -1;
            break;
        }
        p->n++;
    }
    free(line);
    fclose(f);
    return rc == 0 && p->n ? 0 : -1;
}

static void free_pairs(struct pairs *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->src[i]);
        free(p->tgt[i]);
    }
    free(p->src);
    free(p->tgt);
}

static int fail(sqlite3 *db, const char *what)
{
    fprintf(stderr, "sqlite-floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
    return 1;
}

/* Bind the text of a unit's side (the pass number appended) and step. */
static int insert_segment(sqlite3_stmt *st, long long id, const char *lang, const char *text,
                          long pass, char *buf, size_t bufsize)
{
    const char *t = text;
    if (pass) {
        snprintf(buf, bufsize, "%s (%ld)", text, pass);
        t = buf;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, t, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int fill_rows(sqlite3 *db, const struct pairs *p, long units)
{
    sqlite3_stmt *seg = NULL, *unit = NULL;
    if (sqlite3_prepare_v2(db, "INSERT INTO segments (id, lang, text) VALUES (?1, ?2, ?3)", -1,
                           &seg, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO units (id, src, tgt) VALUES (?1, ?2, ?3)", -1, &unit,
                           NULL) != SQLITE_OK) {
        sqlite3_finalize(seg);
        return fail(db, "prepare");
    }
    size_t bufsize = 1 << 16;
    char *buf = malloc(bufsize);
    int rc = buf && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    for (long i = 0; rc == 0 && i < units; i++) {
        size_t k = (size_t)i % p->n;
        long pass = (long)((size_t)i / p->n);
        long long s = 2 * (long long)i + 1, t = s + 1;
        if (insert_segment(seg, s, "id", p->src[k], pass, buf, bufsize) ||
            insert_segment(seg, t, "en", p->tgt[k], pass, buf, bufsize)) {
            rc = -1;
            break;
        }
        sqlite3_bind_int64(unit, 1, i + 1);
        sqlite3_bind_int64(unit, 2, s);
        sqlite3_bind_int64(unit, 3, t);
        rc = sqlite3_step(unit) == SQLITE_DONE ? 0 : -1;
        sqlite3_reset(unit);
    }
    if (rc == 0)
        rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    free(buf);
    sqlite3_finalize(seg);
    sqlite3_finalize(unit);
    return rc ? fail(db, "insert") : 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: sqlite-floor PAIRS.tsv UNITS DB\n");
        return 2;
    }
    long units = strtol(argv[2], NULL, 10);
    struct pairs p = {0};
    if (units <= 0 || read_pairs(argv[1], &p)) {
        fprintf(stderr, "sqlite-floor: %s: no pairs (or out of memory)\n", argv[1]);
        free_pairs(&p);
        return 1;
    }
    remove(argv[3]);
    sqlite3 *db = NULL;
    int status = 1;
    if (sqlite3_open(argv[3], &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                     "CREATE TABLE segments (id INTEGER PRIMARY KEY, lang TEXT NOT NULL,"
                     " text TEXT NOT NULL);"
                     "CREATE TABLE units (id INTEGER PRIMARY KEY, src INTEGER NOT NULL,"
                     " tgt INTEGER NOT NULL);"
                     "CREATE VIRTUAL TABLE segments_fts USING fts5(text, content='segments',"
                     " content_rowid='id',"
                     " tokenize=\"unicode61 remove_diacritics 0 categories 'L* N* Co M*'\");",
                     NULL, NULL, NULL) != SQLITE_OK) {
        status = fail(db, argv[3]);
        goto done;
    }
    double t0 = cpu_seconds();
    if (fill_rows(db, &p, units))
        goto done;
    double t1 = cpu_seconds();
    if (sqlite3_exec(db,
                     "BEGIN; INSERT INTO segments_fts (rowid, text) SELECT id, text FROM segments"
                     " ORDER BY id; COMMIT;",
                     NULL, NULL, NULL) != SQLITE_OK) {
        status = fail(db, "fts");
        goto done;
    }
    double t2 = cpu_seconds();
    printf("rows %.3f\nfts %.3f\n", t1 - t0, t2 - t1);
    status = 0;
done:
    sqlite3_close(db);
    free_pairs(&p);
    return status;
}

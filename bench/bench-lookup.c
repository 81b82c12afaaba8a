/*
 * The lookup benchmark's engine (run by bench/bench-lookup.sh):
 *
 *   bench-lookup PAIRS.tsv DB UNITS QUERIES
 *
 * PAIRS.tsv holds real sentence pairs (Indonesian TAB English).  Builds a TM
 * of UNITS units in DB straight through SQL (the first copy of every pair as
 * it is, then copies with 1-3 random word-level edits of the Indonesian
 * side), then times QUERIES exact lookups, QUERIES fuzzy top-5 lookups of
 * freshly edited sentences and concordance searches, each beside a
 * brute-force scan, and measures the recall of the true top-1 computed by an
 * exhaustive scan of every source segment.  Prints the bench TSV rows.
 */
#include "tm-internal.h"
#include "sha256.h"
#include <selaras/selaras.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "bench-lookup: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static size_t pick(size_t n)
{
    return (size_t)(rnd() % n);
}

/* ---- the real pairs */

struct pair {
    char *id, *en;
    char **words; /* the Indonesian side split at spaces */
    size_t nwords;
    long long en_segment;
};

static struct pair *pairs;
static size_t npairs;

static void load_pairs(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open", path);
    char *line = NULL;
    size_t cap = 0, alloc = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        if (npairs == alloc) {
            alloc = alloc ? alloc * 2 : 1024;
            pairs = realloc(pairs, alloc * sizeof *pairs);
            if (!pairs)
                die("out of memory", NULL);
        }
        struct pair *p = &pairs[npairs++];
        p->id = strdup(line);
        p->en = strdup(tab + 1);
        p->nwords = 0;
        p->words = NULL;
        p->en_segment = 0;
        size_t wc = 0;
        char *copy = strdup(line);
        for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " "))
            wc++;
        free(copy);
        p->words = malloc((wc ? wc : 1) * sizeof *p->words);
        copy = strdup(line);
        for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " "))
            p->words[p->nwords++] = strdup(tok);
        free(copy);
    }
    free(line);
    fclose(f);
    if (npairs == 0)
        die("no sentence pairs in", path);
}

static void free_pairs(void)
{
    for (size_t i = 0; i < npairs; i++) {
        for (size_t j = 0; j < pairs[i].nwords; j++)
            free(pairs[i].words[j]);
        free(pairs[i].words);
        free(pairs[i].id);
        free(pairs[i].en);
    }
    free(pairs);
}

/* 1-3 word-level edits of pair b's Indonesian side, into out. */
static void edited(size_t b, sl__buf *out)
{
    const struct pair *p = &pairs[b];
    size_t n = p->nwords, cap = n + 4;
    const char **w = malloc(cap * sizeof *w);
    if (!w)
        die("out of memory", NULL);
    for (size_t i = 0; i < n; i++)
        w[i] = p->words[i];
    size_t edits = 1 + pick(3);
    for (size_t e = 0; e < edits && n > 0; e++) {
        size_t i = pick(n);
        const struct pair *other = &pairs[pick(npairs)];
        const char *fresh = other->nwords ? other->words[pick(other->nwords)] : "baru";
        switch (pick(4)) {
        case 0: /* delete */
            if (n > 3) {
                memmove(&w[i], &w[i + 1], (n - i - 1) * sizeof *w);
                n--;
            }
            break;
        case 1: /* substitute */
            w[i] = fresh;
            break;
        case 2: /* insert */
            if (n < cap) {
                memmove(&w[i + 1], &w[i], (n - i) * sizeof *w);
                w[i] = fresh;
                n++;
            }
            break;
        default: /* swap neighbours */
            if (i + 1 < n) {
                const char *t = w[i];
                w[i] = w[i + 1];
                w[i + 1] = t;
            }
        }
    }
    sl__buf_clear(out);
    for (size_t i = 0; i < n; i++)
        if ((i && !sl__buf_append(out, " ", 1)) || !sl__buf_puts(out, w[i]))
            die("out of memory", NULL);
    free(w);
    if (!sl__buf_cstr(out))
        die("out of memory", NULL);
}

/* ---- building the TM */

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die("prepare", sqlite3_errmsg(db));
    return st;
}

static void exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(sql, sqlite3_errmsg(db));
}

/* Insert a segment; returns its id, or 0 when (lang, text) was there. */
static long long insert_segment(sqlite3 *db, sqlite3_stmt *ins, const char *lang,
                                const char *text)
{
    char *norm = sl__normalise(text, strlen(text));
    if (!norm)
        die("out of memory", NULL);
    sqlite3_bind_text(ins, 1, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, text, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, norm, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 4, sl__segment_key(norm, strlen(norm)));
    sqlite3_bind_int64(ins, 5, (sqlite3_int64)sl__token_count(norm));
    if (sqlite3_step(ins) != SQLITE_DONE)
        die("insert segment", sqlite3_errmsg(db));
    sqlite3_reset(ins);
    free(norm);
    return sqlite3_changes(db) ? sqlite3_last_insert_rowid(db) : 0;
}

static double build_cpu_rate;

static double build(sl_tm *tm_of_db, long long units)
{
    sqlite3 *db = tm_of_db->db;
    double t0 = now_ms();
    clock_t c0 = clock();
    /* A bulk load: no WAL, no syncs, a page cache that holds the indexes. */
    exec(db, "PRAGMA journal_mode = OFF");
    exec(db, "PRAGMA synchronous = OFF");
    exec(db, "PRAGMA cache_size = -2000000");
    exec(db, "BEGIN");
    /* The index is built in one go at the end: the insert trigger is set
     * aside (its SQL kept from the schema) and the FTS table rebuilt. */
    char *trigger = NULL;
    {
        sqlite3_stmt *q = prep(db, "SELECT sql FROM sqlite_master WHERE type = 'trigger'"
                                   " AND name = 'segments_fts_insert'");
        if (sqlite3_step(q) == SQLITE_ROW)
            trigger = strdup((const char *)sqlite3_column_text(q, 0));
        sqlite3_finalize(q);
        if (!trigger)
            die("no index trigger in the schema", NULL);
        exec(db, "DROP TRIGGER segments_fts_insert");
    }
    /* So are the secondary indexes of the tables written (not those behind
     * UNIQUE constraints, nor segments_key: the inserts need them): built
     * after the rows, sorted once instead of updated row by row. */
    char **indexes = NULL, **names = NULL;
    size_t nindexes = 0;
    {
        sqlite3_stmt *q = prep(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                                   " AND sql IS NOT NULL AND name <> 'segments_key'"
                                   " AND tbl_name IN ('segments', 'units', 'occurrences')");
        while (sqlite3_step(q) == SQLITE_ROW) {
            indexes = realloc(indexes, (nindexes + 1) * sizeof *indexes);
            names = realloc(names, (nindexes + 1) * sizeof *names);
            if (!indexes || !names)
                die("out of memory", NULL);
            names[nindexes] = strdup((const char *)sqlite3_column_text(q, 0));
            indexes[nindexes++] = strdup((const char *)sqlite3_column_text(q, 1));
        }
        sqlite3_finalize(q);
        sl__buf drop = SL__BUF_INIT;
        for (size_t i = 0; i < nindexes; i++) {
            sl__buf_clear(&drop);
            if (!sl__buf_puts(&drop, "DROP INDEX \"") || !sl__buf_puts(&drop, names[i]) ||
                !sl__buf_puts(&drop, "\""))
                die("out of memory", NULL);
            exec(db, sl__buf_cstr(&drop));
            free(names[i]);
        }
        free(names);
        sl__buf_free(&drop);
    }
    exec(db, "INSERT INTO documents (src_path, tgt_path, src_lang, tgt_lang, src_sha256,"
             " tgt_sha256, added_at, tool_version) VALUES ('bench.id', 'bench.en', 'id', 'en',"
             " 'synthetic', 'synthetic', '2026-01-01T00:00:00Z', 'bench')");
    long long doc = sqlite3_last_insert_rowid(db);
    sqlite3_stmt *seg = prep(db, "INSERT INTO segments (lang, text, norm, key, words)"
                                 " SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM"
                                 " segments WHERE key = ?4 AND text = ?2 AND lang = ?1)");
    sqlite3_stmt *unit = prep(db, "INSERT INTO units (src_segment, tgt_segment, created_at)"
                                  " VALUES (?1, ?2, '2026-01-01T00:00:00Z')");
    sqlite3_stmt *occ = prep(db, "INSERT INTO occurrences (document, unit, position, src_index,"
                                 " tgt_index, bead, score) VALUES (?1, ?2, ?3, ?3, ?3, '1-1', ?4)");
    sl__buf text = SL__BUF_INIT;
    long long made = 0;
    for (long long k = 0; made < units && k < 4 * units + (long long)npairs; k++) {
        size_t b = (size_t)(k % (long long)npairs);
        struct pair *p = &pairs[b];
        if (!p->en_segment) {
            p->en_segment = insert_segment(db, seg, "en", p->en);
            if (!p->en_segment) { /* the same English for two pairs */
                sqlite3_stmt *q = prep(db, "SELECT id FROM segments WHERE key = ?2 AND"
                                           " lang = 'en' AND text = ?1");
                char *norm = sl__normalise(p->en, strlen(p->en));
                if (!norm)
                    die("out of memory", NULL);
                sqlite3_bind_text(q, 1, p->en, -1, SQLITE_STATIC);
                sqlite3_bind_int64(q, 2, sl__segment_key(norm, strlen(norm)));
                free(norm);
                if (sqlite3_step(q) == SQLITE_ROW)
                    p->en_segment = sqlite3_column_int64(q, 0);
                sqlite3_finalize(q);
            }
        }
        const char *src = p->id;
        if (k >= (long long)npairs) {
            edited(b, &text);
            src = sl__buf_cstr(&text);
        }
        long long sid = insert_segment(db, seg, "id", src);
        if (!sid)
            continue; /* an edit that gave a sentence already stored */
        sqlite3_bind_int64(unit, 1, sid);
        sqlite3_bind_int64(unit, 2, p->en_segment);
        if (sqlite3_step(unit) != SQLITE_DONE)
            die("insert unit", sqlite3_errmsg(db));
        sqlite3_reset(unit);
        sqlite3_bind_int64(occ, 1, doc);
        sqlite3_bind_int64(occ, 2, sqlite3_last_insert_rowid(db));
        sqlite3_bind_int64(occ, 3, made);
        sqlite3_bind_double(occ, 4, 0.5 + (double)(rnd() % 500) / 1000.0);
        if (sqlite3_step(occ) != SQLITE_DONE)
            die("insert occurrence", sqlite3_errmsg(db));
        sqlite3_reset(occ);
        made++;
    }
    sqlite3_finalize(seg);
    sqlite3_finalize(unit);
    sqlite3_finalize(occ);
    exec(db, trigger);
    free(trigger);
    double t1 = now_ms();
    for (size_t i = 0; i < nindexes; i++) {
        exec(db, indexes[i]);
        free(indexes[i]);
    }
    free(indexes);
    double t1b = now_ms();
    exec(db, "INSERT INTO segments_fts (segments_fts) VALUES ('rebuild')");
    double t2 = now_ms();
    {
        sl_error err;
        sl_error_clear(&err);
        if (sl__fuzzy_index_sync(tm_of_db, &err) != SL_OK)
            die(err.message, NULL);
    }
    double t3 = now_ms();
    exec(db, "COMMIT");
    exec(db, "PRAGMA journal_mode = WAL");
    fprintf(stderr,
            "bench-lookup: build: rows %.1f s, indexes %.1f s, full-text index %.1f s,"
            " fuzzy index %.1f s, commit %.1f s (wall)\n",
            (t1 - t0) / 1e3, (t1b - t1) / 1e3, (t2 - t1b) / 1e3, (t3 - t2) / 1e3,
            (now_ms() - t3) / 1e3);
    sl__buf_free(&text);
    build_cpu_rate = made / ((double)(clock() - c0) / CLOCKS_PER_SEC);
    return made / ((now_ms() - t0) / 1e3);
}

/* ---- the exhaustive scan that gives the true top-1 */

struct bseg {
    char *norm;
    uint32_t ntok;
    uint64_t sig; /* bit (hash of folded token) % 64 for each token */
};

static struct bseg *bsegs;
static size_t nbsegs;

static unsigned token_bit(const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    int32_t i = 0, len = (int32_t)n;
    while (i < len) {
        UChar32 c;
        U8_NEXT(p, i, len, c);
        c = c < 0 ? 0xFFFD : u_foldCase(c, U_FOLD_CASE_DEFAULT);
        h = (h ^ (uint32_t)c) * 16777619u;
    }
    return h % 64;
}

static void signature(const char *norm, uint64_t *sig, uint32_t *ntok, unsigned counts[64])
{
    sl__token *t = NULL;
    size_t n = 0;
    if (sl__tokenise(norm, &t, &n, NULL) != SL_OK)
        die("out of memory", NULL);
    *sig = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned b = token_bit(t[i].p, t[i].n);
        *sig |= (uint64_t)1 << b;
        if (counts)
            counts[b]++;
    }
    *ntok = (uint32_t)n;
    free(t);
}

static void load_scan(sqlite3 *db)
{
    sqlite3_stmt *st = prep(db, "SELECT norm FROM segments WHERE lang = 'id'");
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (nbsegs == cap) {
            cap = cap ? cap * 2 : 65536;
            bsegs = realloc(bsegs, cap * sizeof *bsegs);
            if (!bsegs)
                die("out of memory", NULL);
        }
        struct bseg *s = &bsegs[nbsegs++];
        s->norm = strdup((const char *)sqlite3_column_text(st, 0));
        signature(s->norm, &s->sig, &s->ntok, NULL);
    }
    sqlite3_finalize(st);
}

/*
 * Best percentage over every source segment.  A segment is scored only when
 * two bounds allow it to beat the best so far: the length difference, and
 * the tokens it may share (a token is shared only if its bit is set in both
 * signatures).  Both bounds are exact upper bounds of the percentage.
 */
static int scan_best(const char *query, int floor_percent)
{
    char *qn = sl__normalise(query, strlen(query));
    uint64_t qsig;
    uint32_t nq;
    unsigned counts[64] = {0};
    signature(qn, &qsig, &nq, counts);
    int best = floor_percent - 1;
    for (size_t i = 0; i < nbsegs; i++) {
        const struct bseg *s = &bsegs[i];
        uint32_t longest = s->ntok > nq ? s->ntok : nq, shortest = s->ntok < nq ? s->ntok : nq;
        if (!longest || 100 * shortest / longest <= (uint32_t)best)
            continue;
        uint64_t both = qsig & s->sig;
        uint32_t shared = 0;
        while (both) {
            shared += counts[__builtin_ctzll(both)];
            both &= both - 1;
        }
        if (shared > shortest)
            shared = shortest;
        if (100 * shared / longest <= (uint32_t)best && strcmp(qn, s->norm) != 0)
            continue;
        int p = sl_match_percent(qn, s->norm);
        if (p > best)
            best = p;
    }
    free(qn);
    return best;
}

/* ---- measuring */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double quantile(double *v, size_t n, double q)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return v[i];
}

static void row(const char *metric, double value, const char *unit, double baseline)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("lookup\t%s\t%.3f\t%s\t", metric, value, unit);
    if (baseline > 0)
        printf("%.3f\t%.4f", baseline, value / baseline);
    else
        fputs("\t", stdout);
    printf("\t%ld\n", ru.ru_maxrss);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc != 5)
        die("usage: bench-lookup PAIRS.tsv DB UNITS QUERIES", NULL);
    long long units = atoll(argv[3]);
    size_t nq = (size_t)atol(argv[4]);
    load_pairs(argv[1]);
    if (units > 0) /* 0: time an existing TM again */
        remove(argv[2]);
    sl_tm *tm = NULL;
    sl_error err;
    sl_error_clear(&err);
    if (sl_tm_open(argv[2], SL_TM_CREATE, &tm, &err) != SL_OK)
        die(err.message, NULL);
    sqlite3 *db = tm->db;
    double rate = units > 0 ? build(tm, units) : 0;
    long long stored = 0;
    {
        sqlite3_stmt *st = prep(db, "SELECT count(*) FROM units");
        if (sqlite3_step(st) == SQLITE_ROW)
            stored = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    FILE *f = fopen(argv[2], "rb");
    long bytes = 0;
    if (f && fseek(f, 0, SEEK_END) == 0)
        bytes = ftell(f);
    if (f)
        fclose(f);
    row("tm_units", (double)stored, "units", 0);
    row("build_rate", rate, "units/s", 0);
    row("build_rate_cpu", build_cpu_rate, "units/s", 0);
    row("db_bytes_per_unit", (double)bytes / (double)(stored ? stored : 1), "bytes", 0);

    double *t = malloc(nq * sizeof *t), *tb = malloc(nq * sizeof *tb);
    double *tc = malloc(nq * sizeof *tc);
    int *top = malloc(nq * sizeof *top);
    char **queries = malloc(nq * sizeof *queries);
    if (!t || !tb || !tc || !top || !queries)
        die("out of memory", NULL);

    /* exact: stored sources, against a scan for the same text */
    sqlite3_stmt *pick_src = prep(db, "SELECT s.text FROM units u JOIN segments s"
                                      " ON s.id = u.src_segment WHERE u.id = ?1");
    sqlite3_stmt *scan_eq = prep(db, "SELECT count(*) FROM segments WHERE norm = ?1");
    size_t nb = 0, found = 0;
    for (size_t i = 0; i < nq; i++) {
        sqlite3_bind_int64(pick_src, 1, 1 + (long long)pick((size_t)stored));
        char *q = NULL;
        if (sqlite3_step(pick_src) == SQLITE_ROW)
            q = strdup((const char *)sqlite3_column_text(pick_src, 0));
        sqlite3_reset(pick_src);
        if (!q)
            die("no unit to pick", NULL);
        sl_matches *m = NULL;
        double t0 = now_ms();
        if (sl_tm_lookup(tm, q, "id", "en", 100, 5, &m, &err) != SL_OK)
            die(err.message, NULL);
        t[i] = now_ms() - t0;
        found += sl_matches_count(m) > 0 && sl_matches_get(m, 0)->percent == 100;
        sl_matches_free(m);
        if (i < 5) {
            char *qn = sl__normalise(q, strlen(q));
            t0 = now_ms();
            sqlite3_bind_text(scan_eq, 1, qn, -1, SQLITE_STATIC);
            if (sqlite3_step(scan_eq) != SQLITE_ROW)
                die("scan", sqlite3_errmsg(db));
            sqlite3_reset(scan_eq);
            tb[nb++] = now_ms() - t0;
            free(qn);
        }
        free(q);
    }
    sqlite3_finalize(pick_src);
    sqlite3_finalize(scan_eq);
    double base_p50 = quantile(tb, nb, 0.5);
    row("exact_found", 100.0 * (double)found / (double)nq, "%", 0);
    row("exact_p50", quantile(t, nq, 0.5), "ms", base_p50);
    row("exact_p99", quantile(t, nq, 0.99), "ms", base_p50);

    /* fuzzy: freshly edited sentences, top 5 at 75% or more */
    rng_state ^= 0x5DEECE66Du;
    sl__buf qb = SL__BUF_INIT;
    size_t full_scans = 0, cand_total = 0;
    for (size_t i = 0; i < nq; i++) {
        edited(pick(npairs), &qb);
        queries[i] = strdup(sl__buf_cstr(&qb));
        sl_matches *m = NULL;
        sl__lookup_counts c;
        double t0 = now_ms(), c0 = cpu_ms();
        if (sl__tm_lookup_counted(tm, queries[i], "id", "en", 75, 5, &m, &c, &err) != SL_OK)
            die(err.message, NULL);
        t[i] = now_ms() - t0;
        tc[i] = cpu_ms() - c0;
        top[i] = sl_matches_count(m) ? sl_matches_get(m, 0)->percent : -1;
        full_scans += c.full_scan;
        cand_total += c.candidates;
        if (getenv("BENCH_TRACE"))
            fprintf(stderr, "q%zu\t%.2f\t%zu\t%zu\t%d\t%zu\n", i, tc[i], c.postings, c.candidates,
                    top[i], sl__token_count(queries[i]));
        sl_matches_free(m);
    }
    sl__buf_free(&qb);
    /* brute force: every source segment of a plausible length scored, the
     * way lookup worked before the index */
    sqlite3_stmt *all = prep(db, "SELECT norm, words FROM segments WHERE lang = 'id'");
    nb = 0;
    /* BENCH_FUZZY_ONLY: only the fuzzy lookups, for profiling them */
    bool fuzzy_only = getenv("BENCH_FUZZY_ONLY") != NULL;
    for (size_t i = 0; i < 5 && i < nq && !fuzzy_only; i++) {
        char *qn = sl__normalise(queries[i], strlen(queries[i]));
        long long n = (long long)sl__token_count(qn), lo = (n * 75 + 99) / 100, hi = n * 100 / 75;
        double t0 = now_ms();
        int best = -1;
        while (sqlite3_step(all) == SQLITE_ROW) {
            long long w = sqlite3_column_int64(all, 1);
            if (w < lo || w > hi)
                continue;
            int p = sl_match_percent(qn, (const char *)sqlite3_column_text(all, 0));
            if (p > best)
                best = p;
        }
        sqlite3_reset(all);
        tb[nb++] = now_ms() - t0;
        free(qn);
    }
    sqlite3_finalize(all);
    base_p50 = quantile(tb, nb, 0.5);
    row("fuzzy_top5_p50", quantile(t, nq, 0.5), "ms", base_p50);
    row("fuzzy_top5_p99", quantile(t, nq, 0.99), "ms", base_p50);
    row("fuzzy_top5_cpu_p50", quantile(tc, nq, 0.5), "ms", 0);
    row("fuzzy_top5_cpu_p99", quantile(tc, nq, 0.99), "ms", 0);
    row("fuzzy_candidates_mean", (double)cand_total / (double)nq, "segments", 0);
    row("fuzzy_full_scans", (double)full_scans, "queries", 0);
    if (fuzzy_only)
        goto done;

    /* recall of the true top-1 from the exhaustive scan */
    load_scan(db);
    size_t agree = 0, with_match = 0;
    double t0 = now_ms();
    for (size_t i = 0; i < nq; i++) {
        int best = scan_best(queries[i], 75);
        if (best >= 75)
            with_match++;
        agree += (best < 75 && top[i] < 0) || best == top[i];
    }
    double scan_ms = (now_ms() - t0) / (double)nq;
    row("recall_top1", 100.0 * (double)agree / (double)nq, "%", 0);
    row("queries_with_match", 100.0 * (double)with_match / (double)nq, "%", 0);
    row("exhaustive_scan_mean", scan_ms, "ms", 0);

    /* concordance: two neighbouring words of a real sentence */
    nb = 0;
    size_t nc = nq < 200 ? nq : 200;
    sqlite3_stmt *like = prep(db, "SELECT count(*) FROM segments WHERE lang = 'id'"
                                  " AND norm LIKE '%' || ?1 || '%'");
    for (size_t i = 0; i < nc; i++) {
        const struct pair *p = &pairs[pick(npairs)];
        char phrase[512] = "";
        if (p->nwords >= 2) {
            size_t w = pick(p->nwords - 1);
            snprintf(phrase, sizeof phrase, "%s %s", p->words[w], p->words[w + 1]);
        } else {
            snprintf(phrase, sizeof phrase, "%s", p->nwords ? p->words[0] : "yang");
        }
        sl_matches *m = NULL;
        t0 = now_ms();
        sl_status s = sl_tm_concordance(tm, phrase, "id", "en", 0, 50, &m, &err);
        t[i] = now_ms() - t0;
        if (s != SL_OK && s != SL_USAGE) /* a "phrase" of punctuation only */
            die(err.message, NULL);
        sl_matches_free(m);
        if (i < 5) {
            t0 = now_ms();
            sqlite3_bind_text(like, 1, phrase, -1, SQLITE_STATIC);
            if (sqlite3_step(like) != SQLITE_ROW)
                die("like scan", sqlite3_errmsg(db));
            sqlite3_reset(like);
            tb[nb++] = now_ms() - t0;
        }
    }
    sqlite3_finalize(like);
    base_p50 = quantile(tb, nb, 0.5);
    row("concordance_p50", quantile(t, nc, 0.5), "ms", base_p50);

done:
    for (size_t i = 0; i < nq; i++)
        free(queries[i]);
    for (size_t i = 0; i < nbsegs; i++)
        free(bsegs[i].norm);
    free(bsegs);
    free(queries);
    free(top);
    free(t);
    free(tb);
    free(tc);
    sl_tm_close(tm);
    free_pairs();
    return 0;
}

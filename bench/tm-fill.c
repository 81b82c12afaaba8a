/*
 * tm-fill fill DB PAIRS.tsv UNITS [DOC_PAIRS]
 * tm-fill dump DB OUT.tsv
 *
 * Benchmark helper, through the public API only.  `fill` builds a large TM:
 * it reads sentence pairs (source TAB target, one per line), cuts them into
 * documents of DOC_PAIRS pairs (default 1000), aligns each with sl_align and
 * stores it with sl_tm_add, cycling over the pairs until the TM holds at
 * least UNITS units.  On the second and later passes every sentence gets a
 * " [N]" suffix (N = pass) so that the units stay distinct.  A TM that
 * already holds U units is grown from pair U on, so filling one TM to two
 * sizes in turn costs no more than filling it once.  `dump` writes
 * every unit of a TM as one TSV line (tabs, newlines and backslashes escaped)
 * with its provenance, for the bare-libxml2 baseline of the export benchmark.
 */
#include <selaras/selaras.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pairs {
    size_t n, cap;
    char **src, **tgt;
    char *data;
};

static int load_pairs(const char *path, struct pairs *p)
{
    size_t len = 0;
    sl_error err;
    sl_error_clear(&err);
    if (sl_text_read_file(path, &p->data, &len, &err) != SL_OK) {
        fprintf(stderr, "tm-fill: %s\n", sl_error_message(&err));
        return -1;
    }
    for (char *line = p->data; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *tab = strchr(line, '\t');
        if (tab && tab > line && tab[1]) {
            *tab = '\0';
            if (p->n == p->cap) {
                size_t cap = p->cap ? p->cap * 2 : 4096;
                char **s = realloc(p->src, cap * sizeof *s);
                if (s)
                    p->src = s;
                char **t = realloc(p->tgt, cap * sizeof *t);
                if (t)
                    p->tgt = t;
                if (!s || !t) {
                    fputs("tm-fill: out of memory\n", stderr);
                    return -1;
                }
                p->cap = cap;
            }
            p->src[p->n] = line;
            p->tgt[p->n] = tab + 1;
            p->n++;
        }
        line = nl ? nl + 1 : NULL;
    }
    if (p->n == 0) {
        fprintf(stderr, "tm-fill: %s: no sentence pairs\n", path);
        return -1;
    }
    return 0;
}

static void free_pairs(struct pairs *p)
{
    free(p->src);
    free(p->tgt);
    sl_free(p->data);
}

/* Growable text for the checksummed document bodies and suffixed sentences. */
struct text {
    char *s;
    size_t len, cap;
};

static int text_add(struct text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (t->len + n + 1 > cap)
            cap *= 2;
        char *bigger = realloc(t->s, cap);
        if (!bigger)
            return -1;
        t->s = bigger;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
    return 0;
}

/* Append one sentence (with the pass suffix) to the list and to the body. */
static sl_status add_sentence(sl_sentences *list, struct text *body, const char *s, size_t pass,
                              sl_error *err)
{
    char suffix[32] = "";
    if (pass > 0)
        snprintf(suffix, sizeof suffix, " [%zu]", pass);
    size_t start = body->len;
    if (text_add(body, s, strlen(s)) != 0 || text_add(body, suffix, strlen(suffix)) != 0)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    sl_status st = sl_sentences_append(list, body->s + start, body->len - start, false, err);
    if (st == SL_OK && text_add(body, "\n", 1) != 0)
        st = sl_error_set(err, SL_NOMEM, "out of memory");
    return st;
}

static int fill(const char *db, const char *pairs_path, long long want, size_t doc_pairs)
{
    struct pairs p = {0};
    if (load_pairs(pairs_path, &p) != 0) {
        free_pairs(&p);
        return 1;
    }
    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    struct text sb = {0}, tb = {0};
    long long units = 0;
    size_t next = 0, docs = 0;
    sl_status st = sl_tm_open(db, SL_TM_CREATE, &tm, &err);
    sl_tm_stats stats = {0};
    if (st == SL_OK)
        st = sl_tm_get_stats(tm, &stats, &err);
    units = stats.units;
    next = (size_t)stats.units;
    docs = (size_t)stats.documents;
    while (st == SL_OK && units < want) {
        sl_sentences *src = NULL, *tgt = NULL;
        sl_alignment *al = NULL;
        sb.len = tb.len = 0;
        st = sl_sentences_new(&src, &err);
        if (st == SL_OK)
            st = sl_sentences_new(&tgt, &err);
        for (size_t k = 0; st == SL_OK && k < doc_pairs; k++, next++) {
            size_t i = next % p.n, pass = next / p.n;
            st = add_sentence(src, &sb, p.src[i], pass, &err);
            if (st == SL_OK)
                st = add_sentence(tgt, &tb, p.tgt[i], pass, &err);
        }
        if (st == SL_OK)
            st = sl_align(src, tgt, &al, &err);
        if (st == SL_OK) {
            char sname[64], tname[64];
            snprintf(sname, sizeof sname, "bench-%zu.id.txt", docs);
            snprintf(tname, sizeof tname, "bench-%zu.en.txt", docs);
            sl_document doc = {.src_path = sname, .tgt_path = tname, .src_lang = "id",
                               .tgt_lang = "en", .src_text = sb.s, .tgt_text = tb.s,
                               .src_len = sb.len, .tgt_len = tb.len};
            sl_add_result res;
            st = sl_tm_add(tm, &doc, src, tgt, al, &res, &err);
            if (st == SL_OK)
                units += (long long)res.units_new;
            docs++;
        }
        sl_alignment_free(al);
        sl_sentences_free(src);
        sl_sentences_free(tgt);
    }
    sl_tm_close(tm);
    free(sb.s);
    free(tb.s);
    free_pairs(&p);
    if (st != SL_OK) {
        fprintf(stderr, "tm-fill: %s\n", sl_error_message(&err));
        return 1;
    }
    printf("%lld\n", units);
    return 0;
}

static void put_field(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\\': fputs("\\\\", f); break;
        default: putc(*s, f);
        }
    }
}

static int dump_unit(const sl_unit *u, void *data)
{
    FILE *f = data;
    fprintf(f, "%lld\t", u->id);
    const char *fields[] = {u->src_lang, u->tgt_lang, u->source, u->target, u->bead, u->document,
                            u->created_at};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        put_field(f, fields[i] ? fields[i] : "");
        putc('\t', f);
    }
    fprintf(f, "%.4f\t%lld\n", u->score, u->occurrences);
    return ferror(f) ? 1 : 0;
}

static int dump(const char *db, const char *out_path)
{
    sl_error err;
    sl_error_clear(&err);
    sl_tm *tm = NULL;
    FILE *out = fopen(out_path, "w");
    if (!out) {
        perror(out_path);
        return 1;
    }
    sl_status st = sl_tm_open(db, SL_TM_READONLY, &tm, &err);
    if (st == SL_OK)
        st = sl_tm_foreach_unit(tm, NULL, NULL, dump_unit, out, &err);
    sl_tm_close(tm);
    int bad = ferror(out);
    if (fclose(out) != 0 || bad) {
        fprintf(stderr, "tm-fill: %s: write error\n", out_path);
        return 1;
    }
    if (st != SL_OK) {
        fprintf(stderr, "tm-fill: %s\n", sl_error_message(&err));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 5 && argc <= 6 && strcmp(argv[1], "fill") == 0) {
        long long want = atoll(argv[4]);
        long doc_pairs = argc == 6 ? atol(argv[5]) : 1000;
        if (want < 1 || doc_pairs < 1) {
            fputs("tm-fill: UNITS and DOC_PAIRS must be positive\n", stderr);
            return 2;
        }
        return fill(argv[2], argv[3], want, (size_t)doc_pairs);
    }
    if (argc == 4 && strcmp(argv[1], "dump") == 0)
        return dump(argv[2], argv[3]);
    fputs("usage: tm-fill fill DB PAIRS.tsv UNITS [DOC_PAIRS]\n"
          "       tm-fill dump DB OUT.tsv\n",
          stderr);
    return 2;
}

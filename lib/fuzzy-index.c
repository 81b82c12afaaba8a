/*
 * The fuzzy index (schema version 6): for each language and token, the ids
 * of the segments that hold it, as delta-coded varints in BLOB chunks.  It
 * exists so that fuzzy lookup can read whole posting lists cheaply and count
 * the tokens a segment shares with the query (see lookup.c).
 *
 * Keys are the matcher's tokens (words and punctuation, lookup.c), case
 * folded, so two tokens with the same key cost at most half a substitution
 * and tokens with different keys a whole one: the tokens shared by key bound
 * the match percentage from above.  Each list is split by the length of the
 * segments (sl__fuzzy_bucket of their token count, the key's last byte), so
 * a lookup reads only the segments of a length that can reach its minimum.
 *
 * The index follows segments by id: fuzzy_state.upto is the highest id
 * indexed.  sl__fuzzy_index_sync indexes the segments above it; the write
 * paths call it inside their transaction, so a failed write leaves the index
 * as it was.  The bulk writer (tm-write.c) gathers the postings of the
 * segments it inserts as it goes (sl__fuzzy_builder) and only stores them
 * at the commit.  Triggers note what else changes: a deleted (or changed)
 * segment goes to fuzzy_dead with its text, whose ids the next sync takes
 * out of their lists (sqlite hands the highest ids out again, so upto is
 * lowered when they go); a changed one's id goes to fuzzy_pending, to be
 * indexed again.  A lookup reads the segments above upto and the pending
 * ones directly; dead ids still listed are candidates it does not find.
 */
#include "tm-internal.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

unsigned sl__fuzzy_bucket(size_t ntokens)
{
    if (ntokens <= 8)
        return (unsigned)ntokens;
    unsigned b = 8;
    for (size_t lim = 8; ntokens > lim && b < 255; b++)
        lim += lim / 8;
    return b;
}

size_t sl__fuzzy_bucket_min(unsigned bucket)
{
    if (bucket <= 9)
        return bucket;
    size_t lim = 8; /* the longest length of bucket b - 1 */
    for (unsigned b = 9; b < bucket; b++)
        lim += lim / 8;
    return lim + 1;
}

/* sl__fuzzy_key, appended to out. */
static bool key_append(const char *lang, const char *tok, size_t n, size_t ntokens, sl__buf *out)
{
    size_t nlang = strlen(lang);
    /* a folded code point takes at most U8_MAX_LENGTH bytes */
    if (n > (SIZE_MAX - nlang - 8) / U8_MAX_LENGTH ||
        !sl__buf_reserve(out, nlang + n * U8_MAX_LENGTH + 8))
        return false;
    char *d = out->data;
    size_t k = out->len;
    for (size_t i = 0; i < nlang; i++)
        d[k++] = lang[i] >= 'A' && lang[i] <= 'Z' ? (char)(lang[i] - 'A' + 'a') : lang[i];
    d[k++] = '\t';
    int32_t i = 0, len = (int32_t)n;
    while (i < len) {
        unsigned char a = (unsigned char)tok[i];
        if (a < 0x80) { /* ASCII folds without ICU */
            d[k++] = (char)(a >= 'A' && a <= 'Z' ? a + ('a' - 'A') : a);
            i++;
            continue;
        }
        int32_t start = i;
        UChar32 c;
        U8_NEXT(tok, i, len, c);
        if (c < 0) { /* an invalid sequence stays as it is */
            memcpy(d + k, tok + start, (size_t)(i - start));
            k += (size_t)(i - start);
            continue;
        }
        U8_APPEND_UNSAFE(d, k, u_foldCase(c, U_FOLD_CASE_DEFAULT));
    }
    d[k++] = '\0';
    d[k++] = (char)sl__fuzzy_bucket(ntokens);
    out->len = k;
    return true;
}

bool sl__fuzzy_key(const char *lang, const char *tok, size_t n, size_t ntokens, sl__buf *out)
{
    sl__buf_clear(out);
    return key_append(lang, tok, n, ntokens, out);
}

size_t sl__fuzzy_varint_put(unsigned char *p, unsigned long long v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

/* ---- building: the new segments' postings, gathered in memory */

/* One cache line: the key inline when it is short (most are), the ids
 * elsewhere.  A sync gathers hundreds of thousands of terms, so most
 * look-ups miss the cache; each should touch as few lines as possible. */
#define KEY_INLINE 32

struct term {
    unsigned char *ids; /* varint deltas */
    long long last;
    uint32_t df, len, cap, keylen;
    union {
        char small[KEY_INLINE];
        char *big;
    } k;
};

_Static_assert(sizeof(struct term) <= 64, "a term should fit a cache line");

static const char *term_key(const struct term *t)
{
    return t->keylen <= KEY_INLINE ? t->k.small : t->k.big;
}

/* A slot is empty (0) or holds a term's index + 1 in its low half and the
 * high half of the key's hash in its high half, so that a probe compares
 * keys only when the hashes agree.  A key's first slot is given by the top
 * bits of its hash, so growing the table needs only the slots. */
struct builder {
    struct term *terms;
    size_t nterms, terms_cap;
    uint64_t *slots;
    size_t nslots;
    unsigned bits; /* nslots = 2^bits */
    size_t bytes;  /* what the terms, slots, long keys and ids hold */
};

static size_t first_slot(const struct builder *b, uint64_t hash)
{
    return (size_t)(hash >> (64 - b->bits));
}

static uint64_t key_hash(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211u;
    /* FNV's high bits depend little on the last bytes (the NUL and the
     * bucket of every key): mix every bit into them, which the slot and the
     * tag use */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    return h ^ (h >> 33);
}

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

#define SLOT_TAG(h) ((h) & 0xFFFFFFFF00000000u)

static bool builder_grow(struct builder *b)
{
    unsigned bits = b->bits ? b->bits + 1 : 12;
    if (bits > 32) /* the slot keeps 32 bits of the hash */
        return false;
    size_t n = (size_t)1 << bits;
    uint64_t *v = calloc(n, sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < b->nslots; i++) {
        uint64_t slot = b->slots[i];
        if (!slot)
            continue;
        size_t h = (size_t)(slot >> (64 - bits));
        while (v[h])
            h = (h + 1) & (n - 1);
        v[h] = slot;
    }
    free(b->slots);
    b->bytes += (n - b->nslots) * sizeof *v;
    b->slots = v;
    b->nslots = n;
    b->bits = bits;
    return true;
}

/* The index of key's term (added when new), or (size_t)-1 without memory. */
static size_t builder_term(struct builder *b, const char *key, size_t n, uint64_t hash)
{
    if (2 * (b->nterms + 1) > b->nslots && !builder_grow(b))
        return (size_t)-1;
    size_t h = first_slot(b, hash);
    uint64_t slot;
    while ((slot = b->slots[h])) {
        if (SLOT_TAG(slot) == SLOT_TAG(hash)) {
            size_t i = (size_t)(slot & 0xFFFFFFFFu) - 1;
            const struct term *t = &b->terms[i];
            if (t->keylen == n && memcmp(term_key(t), key, n) == 0)
                return i;
        }
        h = (h + 1) & (b->nslots - 1);
    }
    if (b->nterms >= 0xFFFFFFFEu || n > 0xFFFFFFFFu)
        return (size_t)-1;
    if (b->nterms == b->terms_cap) {
        size_t cap = b->terms_cap ? b->terms_cap * 2 : 1024;
        struct term *v = realloc(b->terms, cap * sizeof *v);
        if (!v)
            return (size_t)-1;
        b->bytes += (cap - b->terms_cap) * sizeof *v;
        b->terms = v;
        b->terms_cap = cap;
    }
    struct term *t = &b->terms[b->nterms];
    memset(t, 0, sizeof *t);
    if (n > KEY_INLINE && !(t->k.big = malloc(n)))
        return (size_t)-1;
    if (n > KEY_INLINE)
        b->bytes += n;
    memcpy(n > KEY_INLINE ? t->k.big : t->k.small, key, n);
    t->keylen = (uint32_t)n;
    b->slots[h] = SLOT_TAG(hash) | (b->nterms + 1);
    return b->nterms++;
}

static bool term_add(struct term *t, long long id, size_t *bytes)
{
    if (t->df && id == t->last)
        return true; /* the token again in the same segment */
    if (t->df == UINT32_MAX)
        return false;
    if (t->len + 10 > t->cap) {
        if (t->cap > 0x7FFFFFFFu)
            return false;
        uint32_t cap = t->cap ? t->cap * 2 : 16;
        unsigned char *v = realloc(t->ids, cap);
        if (!v)
            return false;
        *bytes += cap - t->cap;
        t->ids = v;
        t->cap = cap;
    }
    t->len += (uint32_t)sl__fuzzy_varint_put(t->ids + t->len, (uint64_t)(id - t->last));
    t->last = id;
    t->df++;
    return true;
}

static void builder_free(struct builder *b)
{
    for (size_t i = 0; i < b->nterms; i++) {
        if (b->terms[i].keylen > KEY_INLINE)
            free(b->terms[i].k.big);
        free(b->terms[i].ids);
    }
    free(b->terms);
    free(b->slots);
}

/* A term with this many chunks is rewritten as one when it gets another. */
#define CHUNKS_MAX 16

static int cmp_ll(const void *pa, const void *pb)
{
    long long a = *(const long long *)pa, b = *(const long long *)pb;
    return (a > b) - (a < b);
}

/* Decode a chunk's ids, appended to *v. */
static bool decode_append(const unsigned char *p, size_t n, long long **v, size_t *len,
                          size_t *cap)
{
    long long id = 0;
    size_t i = 0;
    while (i < n) {
        uint64_t d = 0;
        unsigned shift = 0;
        while (i < n && (p[i] & 0x80) && shift < 63) {
            d |= (uint64_t)(p[i++] & 0x7F) << shift;
            shift += 7;
        }
        if (i < n)
            d |= (uint64_t)p[i++] << shift;
        id += (long long)d;
        if (*len == *cap) {
            size_t c = *cap ? *cap * 2 : 1024;
            long long *w = realloc(*v, c * sizeof *w);
            if (!w)
                return false;
            *v = w;
            *cap = c;
        }
        (*v)[(*len)++] = id;
    }
    return true;
}

enum { Q_STATE, Q_DEAD, Q_SEGMENTS, Q_FIND, Q_NEW_TERM, Q_MORE, Q_CHUNK, Q_CHUNKS, Q_DROP,
       Q_SET, Q_FORGET, Q_UPTO, Q_COUNT };

/* New terms and their chunks are inserted this many rows per statement (a
 * statement's fixed cost was most of a row's); the terms get their ids
 * from the sync, one above the largest. */
#define ROWS_BATCH 32

static const char *const sync_sql[Q_COUNT] = {
    [Q_STATE] = "SELECT coalesce((SELECT upto FROM fuzzy_state), 0),"
                " NOT EXISTS (SELECT 1 FROM fuzzy_terms),"
                " (SELECT coalesce(max(term), 0) FROM fuzzy_postings)",
    [Q_DEAD] = "SELECT id, lang, norm FROM fuzzy_dead ORDER BY id",
    [Q_SEGMENTS] = "SELECT id, lang, norm FROM segments WHERE id > ?1 UNION"
                   " SELECT s.id, s.lang, s.norm FROM fuzzy_pending p JOIN segments s"
                   " ON s.id = p.id ORDER BY 1",
    [Q_FIND] = "SELECT id, chunks FROM fuzzy_terms WHERE key = ?1",
    [Q_NEW_TERM] = "INSERT INTO fuzzy_terms (id, key, df, chunks) VALUES (?1, ?2, ?3, 1)",
    [Q_MORE] = "UPDATE fuzzy_terms SET df = df + ?2, chunks = ?3 WHERE key = ?1",
    [Q_CHUNK] = "INSERT INTO fuzzy_postings (term, chunk, ids) VALUES (?1, ?2, ?3)",
    [Q_CHUNKS] = "SELECT ids FROM fuzzy_postings WHERE term = ?1",
    [Q_DROP] = "DELETE FROM fuzzy_postings WHERE term = ?1",
    [Q_SET] = "UPDATE fuzzy_terms SET df = ?2, chunks = 1 WHERE key = ?1",
    [Q_FORGET] = "DELETE FROM fuzzy_dead; DELETE FROM fuzzy_pending",
    [Q_UPTO] = "UPDATE fuzzy_state SET upto = ?1",
};

/* A row waiting for a batched insert: a new term (chunk < 0) or a chunk. */
struct pending_row {
    long long term, chunk;
    const struct term *t;
};

struct pending {
    sqlite3_stmt *multi; /* ROWS_BATCH rows */
    struct pending_row rows[ROWS_BATCH];
    size_t n;
};

struct sync {
    sl_tm *tm;
    sl_error *err;
    sqlite3_stmt *q[Q_COUNT];
    long long next_term; /* id of the next new term */
    struct pending terms, chunks;
};

static sl_status sync_error(struct sync *y, int rc)
{
    return sl__tm_db_error(y->tm, rc, "cannot update the fuzzy index", y->err);
}

static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static bool sorted_has(const long long *v, size_t n, long long id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] == id)
            return true;
        if (v[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static int cmp_terms(const struct term *a, const struct term *b)
{
    int c = memcmp(term_key(a), term_key(b), a->keylen < b->keylen ? a->keylen : b->keylen);
    return c ? c : (a->keylen > b->keylen) - (a->keylen < b->keylen);
}

/* A term to sort by key: its first 8 bytes as a big-endian number (zeros
 * past the end) decide most comparisons without reading the term. */
struct by_key {
    uint64_t prefix;
    const struct term *t;
};

static int cmp_by_key(const void *pa, const void *pb)
{
    const struct by_key *a = pa, *b = pb;
    if (a->prefix != b->prefix)
        return a->prefix < b->prefix ? -1 : 1;
    return cmp_terms(a->t, b->t);
}

/* Rewrite term id's chunks as one: with the ids of add (or NULL), without
 * those of drop (or NULL); one of them is given, for the key. */
static sl_status rewrite(struct sync *y, long long id, const struct term *add,
                         const struct term *drop)
{
    long long *v = NULL, *gone = NULL;
    size_t n = 0, cap = 0, ngone = 0, gone_cap = 0;
    unsigned char *blob = NULL;
    sl_status s = SL_OK;
    sqlite3_stmt *st = y->q[Q_CHUNKS];
    int rc = sqlite3_bind_int64(st, 1, id);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        if (!decode_append(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), &v,
                           &n, &cap)) {
            s = sl__nomem(y->err);
            break;
        }
    }
    sqlite3_reset(st);
    if (s == SL_OK && rc != SQLITE_DONE)
        s = sync_error(y, rc);
    if (s == SL_OK && add && !decode_append(add->ids, add->len, &v, &n, &cap))
        s = sl__nomem(y->err);
    if (s == SL_OK && drop && !decode_append(drop->ids, drop->len, &gone, &ngone, &gone_cap))
        s = sl__nomem(y->err);
    if (s == SL_OK && n > 1)
        qsort(v, n, sizeof *v, cmp_ll);
    if (s == SL_OK && !(blob = malloc(10 * (n ? n : 1))))
        s = sl__nomem(y->err);
    size_t len = 0, kept = 0;
    long long last = 0;
    for (size_t i = 0; s == SL_OK && i < n; i++) {
        if ((i && v[i] == v[i - 1]) || sorted_has(gone, ngone, v[i]))
            continue;
        len += sl__fuzzy_varint_put(blob + len, (unsigned long long)(v[i] - last));
        last = v[i];
        kept++;
    }
    if (s == SL_OK) {
        rc = sqlite3_bind_int64(y->q[Q_DROP], 1, id);
        if (rc == SQLITE_OK)
            rc = step_done(y->q[Q_DROP]);
        st = y->q[Q_CHUNK];
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(st, 1, id);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(st, 2, 0);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_blob(st, 3, blob, (int)len, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = step_done(st);
        st = y->q[Q_SET];
        const struct term *k = add ? add : drop;
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_blob(st, 1, term_key(k), (int)k->keylen, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(st, 2, (long long)kept);
        if (rc == SQLITE_OK)
            rc = step_done(st);
        if (rc != SQLITE_OK)
            s = sync_error(y, rc);
    }
    free(blob);
    free(gone);
    free(v);
    return s;
}

/* The term row of key: *id 0 when there is none. */
static sl_status find_term(struct sync *y, const struct term *t, long long *id, long long *chunks)
{
    sqlite3_stmt *st = y->q[Q_FIND];
    int rc = sqlite3_bind_blob(st, 1, term_key(t), (int)t->keylen, SQLITE_STATIC);
    *id = *chunks = 0;
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *chunks = sqlite3_column_int64(st, 1);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SL_OK : sync_error(y, rc);
}

/* Add the postings of segment id (lang, its tokens tok[0..n)) to b.  Four
 * passes over the tokens, so that the cache misses of one pass (slots, then
 * terms) overlap instead of following one another: keys and hashes (each
 * slot prefetched), the terms the slots name (prefetched), the terms'
 * indexes, then the postings. */
static bool gather_segment(struct builder *b, long long id, const char *lang,
                           const sl__token *tok, size_t n, sl__buf *keys, size_t **scratch,
                           size_t *scratch_cap)
{
    if (n > *scratch_cap) {
        size_t cap = n > 64 ? n : 64;
        size_t *v = realloc(*scratch, 3 * cap * sizeof *v);
        if (!v)
            return false;
        *scratch = v;
        *scratch_cap = cap;
    }
    size_t *end = *scratch, *hash = end + *scratch_cap, *term = hash + *scratch_cap;
    sl__buf_clear(keys);
    for (size_t i = 0; i < n; i++) {
        if (!key_append(lang, tok[i].p, tok[i].n, n, keys))
            return false;
        end[i] = keys->len;
    }
    if (2 * (b->nterms + n) > b->nslots && !builder_grow(b))
        return false;
    for (size_t i = 0; i < n; i++) {
        size_t from = i ? end[i - 1] : 0;
        uint64_t h = key_hash(keys->data + from, end[i] - from);
        hash[i] = (size_t)h;
        PREFETCH(&b->slots[first_slot(b, h)]);
    }
    /* the term of the first slot whose hash agrees: usually the one */
    for (size_t i = 0; i < n; i++) {
        size_t h = first_slot(b, (uint64_t)hash[i]);
        uint64_t slot;
        while ((slot = b->slots[h]) && SLOT_TAG(slot) != SLOT_TAG((uint64_t)hash[i]))
            h = (h + 1) & (b->nslots - 1);
        if (slot)
            PREFETCH(&b->terms[(size_t)(slot & 0xFFFFFFFFu) - 1]);
    }
    for (size_t i = 0; i < n; i++) {
        size_t from = i ? end[i - 1] : 0;
        term[i] = builder_term(b, keys->data + from, end[i] - from, (uint64_t)hash[i]);
        if (term[i] == (size_t)-1)
            return false;
    }
    for (size_t i = 0; i < n; i++)
        if (!term_add(&b->terms[term[i]], id, &b->bytes))
            return false;
    return true;
}

struct sl__fuzzy_builder {
    struct builder b;
    long long upto; /* fuzzy_state.upto when it started */
    long long last; /* the highest id gathered, upto when none */
    sl__buf keys;
    sl__token *tok;
    size_t tok_cap;
    size_t *scratch, scratch_cap;
};

bool sl__fuzzy_builder_add(sl__fuzzy_builder *fb, long long id, const char *lang,
                           const char *norm, size_t len, size_t *ntokens)
{
    size_t n = 0;
    if (id > fb->last)
        fb->last = id;
    if (!sl__tokenise_into(norm, len, &fb->tok, &fb->tok_cap, &n))
        return false;
    if (ntokens)
        *ntokens = n;
    return gather_segment(&fb->b, id, lang, fb->tok, n, &fb->keys, &fb->scratch,
                          &fb->scratch_cap);
}

/* Gather the postings of the rows of st (id, lang, norm) into fb. */
static sl_status gather_rows(sl_tm *tm, sqlite3_stmt *st, sl__fuzzy_builder *fb, sl_error *err)
{
    sl_status s = SL_OK;
    int rc;
    while (s == SL_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        const char *lang = (const char *)sqlite3_column_text(st, 1);
        const char *norm = (const char *)sqlite3_column_text(st, 2);
        if (!lang || !norm) {
            if (id > fb->last)
                fb->last = id;
            continue;
        }
        if (!sl__fuzzy_builder_add(fb, id, lang, norm, (size_t)sqlite3_column_bytes(st, 2),
                                   NULL))
            s = sl__nomem(err);
    }
    sqlite3_reset(st);
    if (s == SL_OK && rc != SQLITE_DONE)
        s = sl__tm_db_error(tm, rc, "cannot update the fuzzy index", err);
    return s;
}

size_t sl__fuzzy_builder_bytes(const sl__fuzzy_builder *fb)
{
    return fb->b.bytes;
}

sl_status sl__fuzzy_builder_store(sl_tm *tm, sl__fuzzy_builder *fb, sl_error *err)
{
    sl_status s = sl__fuzzy_index_sync_with(tm, fb, err);
    if (s != SL_OK)
        return s;
    builder_free(&fb->b);
    memset(&fb->b, 0, sizeof fb->b);
    fb->upto = fb->last;
    return SL_OK;
}

void sl__fuzzy_builder_free(sl__fuzzy_builder *fb)
{
    if (!fb)
        return;
    builder_free(&fb->b);
    sl__buf_free(&fb->keys);
    free(fb->tok);
    free(fb->scratch);
    free(fb);
}

/* A builder reading the rows of st, which has no parameters but ?1 = upto
 * when it has one; start_upto: read upto first. */
static sl_status builder_from(sl_tm *tm, const char *sql, bool start_upto,
                              sl__fuzzy_builder **out, sl_error *err)
{
    *out = NULL;
    sl__fuzzy_builder *fb = calloc(1, sizeof *fb);
    if (!fb)
        return sl__nomem(err);
    sqlite3_stmt *st = NULL;
    sl_status s = SL_OK;
    int rc = SQLITE_OK;
    if (start_upto) {
        s = sl__tm_prepare(tm, "SELECT coalesce((SELECT upto FROM fuzzy_state), 0)", &st, err);
        if (s == SL_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            fb->upto = fb->last = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    if (s == SL_OK && rc != SQLITE_OK)
        s = sl__tm_db_error(tm, rc, "cannot update the fuzzy index", err);
    if (s == SL_OK)
        s = sl__tm_prepare(tm, sql, &st, err);
    if (s == SL_OK && start_upto && (rc = sqlite3_bind_int64(st, 1, fb->upto)) != SQLITE_OK)
        s = sl__tm_db_error(tm, rc, "cannot update the fuzzy index", err);
    if (s == SL_OK)
        s = gather_rows(tm, st, fb, err);
    sqlite3_finalize(st);
    if (s != SL_OK) {
        sl__fuzzy_builder_free(fb);
        return s;
    }
    *out = fb;
    return SL_OK;
}

sl_status sl__fuzzy_builder_new(sl_tm *tm, sl__fuzzy_builder **out, sl_error *err)
{
    return builder_from(tm, sync_sql[Q_SEGMENTS], true, out, err);
}

static int bind_pending(sqlite3_stmt *st, int base, const struct pending_row *r, bool term)
{
    int rc = sqlite3_bind_int64(st, base + 1, r->term);
    if (term) {
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_blob(st, base + 2, term_key(r->t), (int)r->t->keylen,
                                   SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(st, base + 3, (long long)r->t->df);
        return rc;
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, base + 2, r->chunk);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_blob(st, base + 3, r->t->ids, (int)r->t->len, SQLITE_STATIC);
    return rc;
}

/* Insert the rows waiting in p: a full batch by one statement, the rest
 * one by one (through single). */
static sl_status flush_pending(struct sync *y, struct pending *p, sqlite3_stmt *single,
                               bool term)
{
    int rc = SQLITE_OK;
    size_t i = 0;
    if (p->n == ROWS_BATCH) {
        for (; i < ROWS_BATCH && rc == SQLITE_OK; i++)
            rc = bind_pending(p->multi, (int)i * 3, &p->rows[i], term);
        if (rc == SQLITE_OK)
            rc = step_done(p->multi);
    }
    for (; i < p->n && rc == SQLITE_OK; i++) {
        rc = bind_pending(single, 0, &p->rows[i], term);
        if (rc == SQLITE_OK)
            rc = step_done(single);
    }
    p->n = 0;
    return rc == SQLITE_OK ? SL_OK : sync_error(y, rc);
}

static sl_status add_pending(struct sync *y, struct pending *p, struct pending_row r,
                             sqlite3_stmt *single, bool term)
{
    p->rows[p->n++] = r;
    return p->n == ROWS_BATCH ? flush_pending(y, p, single, term) : SL_OK;
}

static sl_status prepare_multi(struct sync *y, struct pending *p, const char *head,
                               const char *row)
{
    sl__buf sql = SL__BUF_INIT;
    bool ok = sl__buf_puts(&sql, head);
    for (int i = 0; ok && i < ROWS_BATCH; i++)
        ok = sl__buf_puts(&sql, i ? ", " : " ") && sl__buf_puts(&sql, row);
    sl_status s = ok ? sl__tm_prepare(y->tm, sl__buf_cstr(&sql), &p->multi, y->err)
                     : sl__nomem(y->err);
    sl__buf_free(&sql);
    return s;
}

/* Store one term's new postings: a new chunk, or one rewritten chunk.
 * fresh: the index was empty, the term is new.  New terms and chunks wait
 * in the batches; nothing reads them before the sync ends. */
static sl_status store_term(struct sync *y, const struct term *t, bool fresh)
{
    long long id = 0, chunks = 0;
    sl_status s = fresh ? SL_OK : find_term(y, t, &id, &chunks);
    if (s != SL_OK)
        return s;
    if (id && chunks >= CHUNKS_MAX)
        return rewrite(y, id, t, NULL);
    if (id) {
        sqlite3_stmt *st = y->q[Q_MORE];
        int rc = sqlite3_bind_blob(st, 1, term_key(t), (int)t->keylen, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(st, 2, (long long)t->df);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(st, 3, chunks + 1);
        if (rc == SQLITE_OK)
            rc = step_done(st);
        if (rc != SQLITE_OK)
            return sync_error(y, rc);
    } else {
        id = y->next_term++;
        s = add_pending(y, &y->terms, (struct pending_row){id, -1, t}, y->q[Q_NEW_TERM], true);
    }
    if (s == SL_OK)
        s = add_pending(y, &y->chunks, (struct pending_row){id, chunks, t}, y->q[Q_CHUNK],
                        false);
    return s;
}

sl_status sl__fuzzy_index_sync(sl_tm *tm, sl_error *err)
{
    sl__fuzzy_builder *fb = NULL;
    sl_status s = sl__fuzzy_builder_new(tm, &fb, err);
    if (s == SL_OK)
        s = sl__fuzzy_index_sync_with(tm, fb, err);
    sl__fuzzy_builder_free(fb);
    return s;
}

sl_status sl__fuzzy_index_sync_with(sl_tm *tm, sl__fuzzy_builder *fb, sl_error *err)
{
    struct sync y;
    memset(&y, 0, sizeof y);
    y.tm = tm;
    y.err = err;
    sl__fuzzy_builder *dead = NULL;
    struct builder *fresh = &fb->b;
    struct by_key *order = NULL; /* fresh's terms in key order */
    sl_status s = SL_OK;
    for (int i = 0; i < Q_COUNT && s == SL_OK; i++)
        if (i != Q_FORGET && i != Q_SEGMENTS && i != Q_DEAD)
            s = sl__tm_prepare(tm, sync_sql[i], &y.q[i], err);
    if (s != SL_OK)
        goto cleanup;
    long long upto = 0;
    bool empty = false;
    int rc = sqlite3_step(y.q[Q_STATE]);
    if (rc == SQLITE_ROW) {
        upto = sqlite3_column_int64(y.q[Q_STATE], 0);
        empty = sqlite3_column_int(y.q[Q_STATE], 1) != 0;
        y.next_term = sqlite3_column_int64(y.q[Q_STATE], 2) + 1;
    } else {
        s = sync_error(&y, rc);
    }
    /* first the ids of deleted or changed segments out of their lists (an
     * id may come back with other text), then the new segments in */
    if (s == SL_OK)
        s = builder_from(tm, sync_sql[Q_DEAD], false, &dead, err);
    for (size_t i = 0; s == SL_OK && i < dead->b.nterms; i++) {
        long long id, chunks;
        s = find_term(&y, &dead->b.terms[i], &id, &chunks);
        if (s == SL_OK && id)
            s = rewrite(&y, id, NULL, &dead->b.terms[i]);
    }
    rc = SQLITE_OK;
    if (s == SL_OK)
        rc = sqlite3_exec(tm->db, sync_sql[Q_FORGET], NULL, NULL, NULL);
    if (s == SL_OK && rc != SQLITE_OK)
        s = sync_error(&y, rc);
    /* in key order: the B-tree of the keys is written from left to right */
    if (s == SL_OK && fresh->nterms &&
        !(order = calloc(fresh->nterms, sizeof *order)))
        s = sl__nomem(err);
    for (size_t i = 0; s == SL_OK && i < fresh->nterms; i++) {
        const struct term *t = &fresh->terms[i];
        const unsigned char *k = (const unsigned char *)term_key(t);
        uint64_t p = 0;
        for (size_t j = 0; j < 8; j++)
            p = p << 8 | (j < t->keylen ? k[j] : 0);
        order[i] = (struct by_key){p, t};
    }
    if (s == SL_OK && fresh->nterms > 1)
        qsort(order, fresh->nterms, sizeof *order, cmp_by_key);
    if (s == SL_OK && fresh->nterms)
        s = prepare_multi(&y, &y.terms,
                          "INSERT OR FAIL INTO fuzzy_terms (id, key, df, chunks) VALUES",
                          "(?, ?, ?, 1)");
    if (s == SL_OK && fresh->nterms)
        s = prepare_multi(&y, &y.chunks,
                          "INSERT OR FAIL INTO fuzzy_postings (term, chunk, ids) VALUES",
                          "(?, ?, ?)");
    for (size_t i = 0; s == SL_OK && i < fresh->nterms; i++)
        s = store_term(&y, order[i].t, empty);
    if (s == SL_OK)
        s = flush_pending(&y, &y.terms, y.q[Q_NEW_TERM], true);
    if (s == SL_OK)
        s = flush_pending(&y, &y.chunks, y.q[Q_CHUNK], false);
    if (s == SL_OK && fb->last != upto) {
        rc = sqlite3_bind_int64(y.q[Q_UPTO], 1, fb->last);
        if (rc == SQLITE_OK)
            rc = step_done(y.q[Q_UPTO]);
        if (rc != SQLITE_OK)
            s = sync_error(&y, rc);
    }
cleanup:
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(y.q[i]);
    sqlite3_finalize(y.terms.multi);
    sqlite3_finalize(y.chunks.multi);
    sl__fuzzy_builder_free(dead);
    free(order);
    return s;
}

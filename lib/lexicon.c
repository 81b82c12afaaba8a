/*
 * Bilingual word lists with affix stripping (see include/selaras/lexicon.h).
 *
 * Source words sit in an open-addressing table, each with the keys of its
 * translations; target words are known only by key (a hash of the lower-case
 * word), which is all the aligner compares.  The affix rules come from
 * data/LANG.affixes: lines "prefix AFFIX [RESTORE]" and "suffix AFFIX
 * [RESTORE]".
 */
#include "internal.h"
#include "lexicon-internal.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Longest word (bytes) that is stripped; longer ones only match whole. */
#define WORD_MAX 64
/* Shortest stem a strip may leave (bytes). */
#define STEM_MIN 3
/* Most strips of each kind on one word: me-per-kenal-kan-nya-lah */
#define MAX_PREFIXES 2
#define MAX_SUFFIXES 3
/* Most stripped forms looked at per word. */
#define MAX_FORMS 48

struct affix {
    char *affix, *restore;
    size_t alen, rlen;
    bool prefix;
};

struct affixes {
    struct affix *r;
    size_t n;
    char *data;
};

struct src_entry {
    char *word;
    uint32_t hash;
    uint32_t *tgt;
    size_t n, cap;
};

struct sl_lexicon {
    struct affixes aff[2];
    struct src_entry *src;
    size_t n_src, cap_src;
    uint32_t *slots; /* index + 1 into src, 0 = empty */
    size_t n_slots;
    uint32_t *tset; /* target keys, 0 = empty */
    size_t n_tset, n_tslots;
    bool phrases[2]; /* some source (0) or target (1) entry has two words */
};

static uint32_t hash_bytes(uint32_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

uint32_t sl__lexicon_key(const char *word, size_t len)
{
    /* '~' first keeps these keys apart from the aligner's other anchors */
    uint32_t h = hash_bytes(2166136261u, "~", 1);
    h = hash_bytes(h, word, len);
    return h ? h : 1;
}

static void lower(char *dst, const char *src, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[i] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
    }
    dst[n] = '\0';
}

/* ---- affix rules */

static sl_status affixes_parse(struct affixes *a, const char *path, sl_error *err)
{
    size_t len = 0, lines = 1;
    sl_status st = sl_text_read_file(path, &a->data, &len, err);
    if (st != SL_OK)
        return st;
    for (size_t i = 0; i < len; i++)
        lines += a->data[i] == '\n';
    a->r = calloc(lines, sizeof *a->r);
    if (!a->r)
        return sl__nomem(err);
    char *p = a->data, *end = a->data + len;
    for (size_t lineno = 1; p < end; lineno++) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *next = nl ? nl + 1 : end;
        if (nl)
            *nl = '\0';
        char *hash = strchr(p, '#');
        if (hash)
            *hash = '\0';
        char *save = NULL, *f[4];
        size_t nf = 0;
        for (char *t = strtok_r(p, " \t\r", &save); t && nf < 4; t = strtok_r(NULL, " \t\r", &save))
            f[nf++] = t;
        p = next;
        if (nf == 0)
            continue;
        bool prefix = strcmp(f[0], "prefix") == 0;
        if ((!prefix && strcmp(f[0], "suffix") != 0) || nf < 2 || nf > 3)
            return sl_error_set(err, SL_DATA,
                                "%s:%zu: expected 'prefix AFFIX [RESTORE]' or 'suffix AFFIX "
                                "[RESTORE]'",
                                path, lineno);
        if (strlen(f[1]) >= WORD_MAX || (nf == 3 && strlen(f[2]) >= WORD_MAX))
            return sl_error_set(err, SL_DATA, "%s:%zu: affix too long", path, lineno);
        struct affix *r = &a->r[a->n++];
        r->prefix = prefix;
        r->affix = f[1];
        r->alen = strlen(f[1]);
        r->restore = nf == 3 ? f[2] : "";
        r->rlen = strlen(r->restore);
        lower(r->affix, r->affix, r->alen);
        if (r->rlen)
            lower(r->restore, r->restore, r->rlen);
    }
    return SL_OK;
}

static sl_status affixes_load(struct affixes *a, const char *lang, const char *datadir,
                              sl_error *err)
{
    char name[SL_LANG_MAX + 16];
    size_t plen = strcspn(lang, "-");
    memcpy(name, lang, plen);
    memcpy(name + plen, ".affixes", sizeof ".affixes");
    sl_error local;
    sl_error_clear(&local);
    char *path = sl__data_path(datadir, name, &local);
    if (!path) {
        /* no file: this language gets no stripping */
        if (local.code == SL_NOMEM)
            return sl__nomem(err);
        return SL_OK;
    }
    sl_status st = affixes_parse(a, path, err);
    free(path);
    return st;
}

/*
 * The forms of a lower-case word: itself, then breadth first every form one
 * more strip away.  forms[k] holds WORD_MAX bytes.  Returns the count.
 */
struct form {
    char w[WORD_MAX];
    unsigned char len, pre, suf;
};

static size_t word_forms(const struct affixes *a, const char *word, size_t len,
                         struct form *forms)
{
    if (len >= WORD_MAX)
        return 0;
    size_t n = 1;
    lower(forms[0].w, word, len);
    forms[0].len = (unsigned char)len;
    forms[0].pre = forms[0].suf = 0;
    for (size_t k = 0; k < n; k++) {
        for (size_t r = 0; r < a->n && n < MAX_FORMS; r++) {
            const struct affix *x = &a->r[r];
            struct form *f = &forms[k];
            if (x->prefix ? f->pre >= MAX_PREFIXES : f->suf >= MAX_SUFFIXES)
                continue;
            if (f->len <= x->alen || f->len - x->alen + x->rlen < STEM_MIN)
                continue;
            size_t rest = f->len - x->alen;
            struct form g;
            if (x->prefix) {
                if (memcmp(f->w, x->affix, x->alen) != 0)
                    continue;
                memcpy(g.w, x->restore, x->rlen);
                memcpy(g.w + x->rlen, f->w + x->alen, rest);
            } else {
                if (memcmp(f->w + rest, x->affix, x->alen) != 0)
                    continue;
                memcpy(g.w, f->w, rest);
                memcpy(g.w + rest, x->restore, x->rlen);
            }
            g.len = (unsigned char)(rest + x->rlen);
            g.w[g.len] = '\0';
            g.pre = (unsigned char)(f->pre + x->prefix);
            g.suf = (unsigned char)(f->suf + !x->prefix);
            bool seen = false;
            for (size_t q = 0; q < n && !seen; q++)
                seen = forms[q].len == g.len && memcmp(forms[q].w, g.w, g.len) == 0;
            if (!seen)
                forms[n++] = g;
        }
    }
    return n;
}

/* ---- tables */

static struct src_entry *src_find(const sl_lexicon *lex, const char *w, size_t len, uint32_t h)
{
    if (!lex->n_slots)
        return NULL;
    for (size_t s = h & (lex->n_slots - 1);; s = (s + 1) & (lex->n_slots - 1)) {
        uint32_t v = lex->slots[s];
        if (!v)
            return NULL;
        struct src_entry *e = &lex->src[v - 1];
        if (e->hash == h && strlen(e->word) == len && memcmp(e->word, w, len) == 0)
            return e;
    }
}

static bool src_rehash(sl_lexicon *lex, size_t n_slots)
{
    uint32_t *slots = calloc(n_slots, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < lex->n_src; i++) {
        size_t s = lex->src[i].hash & (n_slots - 1);
        while (slots[s])
            s = (s + 1) & (n_slots - 1);
        slots[s] = (uint32_t)(i + 1);
    }
    free(lex->slots);
    lex->slots = slots;
    lex->n_slots = n_slots;
    return true;
}

static bool tset_has(const sl_lexicon *lex, uint32_t key)
{
    if (!lex->n_tslots)
        return false;
    for (size_t s = key & (lex->n_tslots - 1);; s = (s + 1) & (lex->n_tslots - 1)) {
        if (lex->tset[s] == key)
            return true;
        if (!lex->tset[s])
            return false;
    }
}

static void tset_put(uint32_t *slots, size_t n_slots, uint32_t key)
{
    size_t s = key & (n_slots - 1);
    while (slots[s] && slots[s] != key)
        s = (s + 1) & (n_slots - 1);
    slots[s] = key;
}

static bool tset_add(sl_lexicon *lex, uint32_t key)
{
    if (tset_has(lex, key))
        return true;
    if (2 * (lex->n_tset + 1) > lex->n_tslots) {
        size_t n = lex->n_tslots ? 2 * lex->n_tslots : 1024;
        uint32_t *slots = calloc(n, sizeof *slots);
        if (!slots)
            return false;
        for (size_t i = 0; i < lex->n_tslots; i++)
            if (lex->tset[i])
                tset_put(slots, n, lex->tset[i]);
        free(lex->tset);
        lex->tset = slots;
        lex->n_tslots = n;
    }
    tset_put(lex->tset, lex->n_tslots, key);
    lex->n_tset++;
    return true;
}

/* ---- public */

sl_status sl_lexicon_new(const char *src_lang, const char *tgt_lang, const char *datadir,
                         sl_lexicon **out, sl_error *err)
{
    if (!out || !src_lang || !tgt_lang)
        return sl_error_set(err, SL_USAGE, "sl_lexicon_new: missing argument");
    *out = NULL;
    char langs[2][SL_LANG_MAX];
    sl_status st = sl_lang_canonical(src_lang, langs[0], err);
    if (st == SL_OK)
        st = sl_lang_canonical(tgt_lang, langs[1], err);
    if (st != SL_OK)
        return st;
    sl_lexicon *lex = calloc(1, sizeof *lex);
    if (!lex)
        return sl__nomem(err);
    for (int k = 0; k < 2 && st == SL_OK; k++)
        st = affixes_load(&lex->aff[k], langs[k], datadir, err);
    if (st != SL_OK) {
        sl_lexicon_free(lex);
        return st;
    }
    *out = lex;
    return SL_OK;
}

void sl_lexicon_free(sl_lexicon *lex)
{
    if (!lex)
        return;
    for (int k = 0; k < 2; k++) {
        free(lex->aff[k].r);
        free(lex->aff[k].data);
    }
    for (size_t i = 0; i < lex->n_src; i++) {
        free(lex->src[i].word);
        free(lex->src[i].tgt);
    }
    free(lex->src);
    free(lex->slots);
    free(lex->tset);
    free(lex);
}

/*
 * An entry as the aligner matches it, lower-cased into dst (WORD_MAX
 * bytes): one word, or two joined by one space (spaces and hyphens
 * between them count as one space: the aligner's words never hold either).
 * Returns its length, 0 for an entry it cannot match (empty, three words
 * or more, too long); *words is set to 1 or 2.
 */
static size_t entry_form(char *dst, const char *w, int *words)
{
    size_t n = 0;
    *words = 0;
    for (const char *p = w; *p;) {
        if (*p == ' ' || *p == '-' || *p == '\t') {
            p++;
            continue;
        }
        if (++*words > 2)
            return 0;
        if (*words == 2)
            dst[n++] = ' ';
        while (*p && *p != ' ' && *p != '-' && *p != '\t') {
            if (n + 2 >= WORD_MAX)
                return 0;
            unsigned char c = (unsigned char)*p++;
            dst[n++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
        }
    }
    dst[n] = '\0';
    return n;
}

sl_status sl_lexicon_add(sl_lexicon *lex, const char *src_word, const char *tgt_word,
                         sl_error *err)
{
    if (!lex || !src_word || !tgt_word)
        return sl_error_set(err, SL_USAGE, "sl_lexicon_add: missing argument");
    char tw[WORD_MAX];
    int swords, twords;
    size_t tlen = entry_form(tw, tgt_word, &twords);
    char *sw = malloc(WORD_MAX);
    if (!sw)
        return sl__nomem(err);
    size_t slen = tlen ? entry_form(sw, src_word, &swords) : 0;
    if (!slen) {
        free(sw);
        return SL_OK;
    }
    uint32_t key = sl__lexicon_key(tw, tlen);
    if (!tset_add(lex, key)) {
        free(sw);
        return sl__nomem(err);
    }
    uint32_t h = hash_bytes(2166136261u, sw, slen);
    struct src_entry *e = src_find(lex, sw, slen, h);
    if (e) {
        free(sw);
    } else {
        if (lex->n_src == lex->cap_src) {
            size_t cap = lex->cap_src ? 2 * lex->cap_src : 256;
            struct src_entry *grown = realloc(lex->src, cap * sizeof *grown);
            if (!grown) {
                free(sw);
                return sl__nomem(err);
            }
            lex->src = grown;
            lex->cap_src = cap;
        }
        e = &lex->src[lex->n_src++];
        *e = (struct src_entry){sw, h, NULL, 0, 0};
        if (2 * lex->n_src > lex->n_slots) {
            if (!src_rehash(lex, lex->n_slots ? 2 * lex->n_slots : 512)) {
                free(e->word);
                lex->n_src--;
                return sl__nomem(err);
            }
        } else {
            size_t s = h & (lex->n_slots - 1);
            while (lex->slots[s])
                s = (s + 1) & (lex->n_slots - 1);
            lex->slots[s] = (uint32_t)lex->n_src;
        }
    }
    lex->phrases[0] |= swords == 2;
    lex->phrases[1] |= twords == 2;
    for (size_t i = 0; i < e->n; i++)
        if (e->tgt[i] == key)
            return SL_OK;
    if (e->n == e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 2;
        uint32_t *grown = realloc(e->tgt, cap * sizeof *grown);
        if (!grown)
            return sl__nomem(err);
        e->tgt = grown;
        e->cap = cap;
    }
    e->tgt[e->n++] = key;
    return SL_OK;
}

size_t sl_lexicon_count(const sl_lexicon *lex)
{
    return lex ? lex->n_src : 0;
}

bool sl__lexicon_lookup(const sl_lexicon *lex, const char *word, size_t len,
                        const uint32_t **tgt, size_t *n)
{
    struct form forms[MAX_FORMS];
    size_t nf = lex && lex->n_src ? word_forms(&lex->aff[0], word, len, forms) : 0;
    for (size_t k = 0; k < nf; k++) {
        const struct src_entry *e =
            src_find(lex, forms[k].w, forms[k].len, hash_bytes(2166136261u, forms[k].w, forms[k].len));
        if (e) {
            *tgt = e->tgt;
            *n = e->n;
            return true;
        }
    }
    return false;
}

bool sl__lexicon_phrases(const sl_lexicon *lex, int side)
{
    return lex && (side == 0 || side == 1) && lex->phrases[side];
}

bool sl__lexicon_target(const sl_lexicon *lex, const char *word, size_t len, uint32_t *key)
{
    struct form forms[MAX_FORMS];
    size_t nf = lex && lex->n_tset ? word_forms(&lex->aff[1], word, len, forms) : 0;
    for (size_t k = 0; k < nf; k++) {
        uint32_t x = sl__lexicon_key(forms[k].w, forms[k].len);
        if (tset_has(lex, x)) {
            *key = x;
            return true;
        }
    }
    return false;
}

bool sl_lexicon_translates(const sl_lexicon *lex, const char *src_word, const char *tgt_word)
{
    const uint32_t *t;
    size_t n;
    uint32_t key;
    if (!lex || !src_word || !tgt_word ||
        !sl__lexicon_lookup(lex, src_word, strlen(src_word), &t, &n) ||
        !sl__lexicon_target(lex, tgt_word, strlen(tgt_word), &key))
        return false;
    for (size_t i = 0; i < n; i++)
        if (t[i] == key)
            return true;
    return false;
}

size_t sl_lexicon_stems(const sl_lexicon *lex, int side, const char *word, char *buf, size_t size)
{
    struct form forms[MAX_FORMS];
    if (size)
        buf[0] = '\0';
    if (!lex || !word || (side != 0 && side != 1))
        return 0;
    size_t nf = word_forms(&lex->aff[side], word, strlen(word), forms), used = 0;
    for (size_t k = 0; k < nf && size; k++) {
        size_t need = (size_t)forms[k].len + 1;
        if (used + need >= size)
            break;
        memcpy(buf + used, forms[k].w, forms[k].len);
        buf[used + forms[k].len] = '\n';
        used += need;
        buf[used] = '\0';
    }
    return nf;
}

/*
 * SRX 2.0 segmentation rules (and SRX 1.0, which lacks only cascading):
 * the rules of the language maps that match a language, in order, each a
 * break or no-break rule with a regular expression for the text before and
 * one for the text after the position.  At each position the first rule
 * whose two expressions match decides; a position no rule matches is no
 * break.
 *
 * The file is parsed with libxml2 without network access, without loading
 * a DTD and without substituting entities: an entity reference in a rule is
 * an error, so no rule can grow by expansion.  Expressions are ICU regular
 * expressions (the Java syntax CAT tools write is nearly the same).
 */
#include "internal.h"
#include "srx.h"
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <unicode/uregex.h>
#include <unicode/ustring.h>

struct srx_rule {
    bool brk;
    long line; /* of the <rule> in the file */
    URegularExpression *before, *after; /* NULL when the element is absent or empty */
};

struct sl__srx {
    struct srx_rule *rules;
    size_t n;
    char *path; /* for messages */
};

static bool named(const xmlNode *node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

static const xmlNode *first_child(const xmlNode *node, const char *name)
{
    for (const xmlNode *c = node ? node->children : NULL; c; c = c->next)
        if (named(c, name))
            return c;
    return NULL;
}

/* Compile a pattern (UTF-8); flags as for uregex_open. */
static sl_status compile(const char *path, long line, const char *what, const char *pattern,
                         uint32_t flags, URegularExpression **out, sl_error *err)
{
    *out = NULL;
    UErrorCode ust = U_ZERO_ERROR;
    int32_t ulen = 0;
    u_strFromUTF8(NULL, 0, &ulen, pattern, -1, &ust);
    if (ust != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(ust))
        return sl_error_set(err, SL_DATA, "%s:%ld: %s is not valid UTF-8", path, line, what);
    UChar *u = malloc(((size_t)ulen + 1) * sizeof *u);
    if (!u)
        return sl__nomem(err);
    ust = U_ZERO_ERROR;
    u_strFromUTF8(u, ulen + 1, NULL, pattern, -1, &ust);
    UParseError pe;
    memset(&pe, 0, sizeof pe);
    if (U_SUCCESS(ust))
        *out = uregex_open(u, ulen, flags, &pe, &ust);
    free(u);
    if (U_FAILURE(ust)) {
        *out = NULL;
        return sl_error_set(err, SL_DATA,
                            "%s:%ld: bad regular expression in %s '%s' at offset %d: %s (ICU "
                            "regular expression syntax expected)",
                            path, line, what, pattern, (int)pe.offset, u_errorName(ust));
    }
    return SL_OK;
}

/* The text of an element holding a pattern; entity references are refused. */
static sl_status pattern_text(const char *path, const xmlNode *el, char **out, sl_error *err)
{
    *out = NULL;
    for (const xmlNode *c = el->children; c; c = c->next)
        if (c->type == XML_ENTITY_REF_NODE || c->type == XML_ELEMENT_NODE)
            return sl_error_set(err, SL_DATA, "%s:%ld: <%s> may hold only text (found %s)",
                                path, (long)xmlGetLineNo(c), (const char *)el->name,
                                c->type == XML_ELEMENT_NODE ? "an element"
                                                            : "an entity reference");
    xmlChar *t = xmlNodeGetContent(el);
    if (!t)
        return sl__nomem(err);
    *out = sl__strdup((const char *)t);
    xmlFree(t);
    return *out ? SL_OK : sl__nomem(err);
}

static sl_status add_rules(struct sl__srx *srx, const char *path, const xmlNode *lrule,
                           sl_error *err)
{
    size_t count = 0;
    for (const xmlNode *c = lrule->children; c; c = c->next)
        count += named(c, "rule");
    struct srx_rule *v = realloc(srx->rules, (srx->n + count + 1) * sizeof *v);
    if (!v)
        return sl__nomem(err);
    srx->rules = v;
    for (const xmlNode *c = lrule->children; c; c = c->next) {
        if (!named(c, "rule"))
            continue;
        long line = (long)xmlGetLineNo(c);
        xmlChar *b = xmlGetProp(c, (const xmlChar *)"break");
        bool brk = !b || strcmp((const char *)b, "yes") == 0;
        bool ok = !b || brk || strcmp((const char *)b, "no") == 0;
        xmlFree(b);
        if (!ok)
            return sl_error_set(err, SL_DATA, "%s:%ld: <rule break=...> must be yes or no", path,
                                line);
        struct srx_rule *r = &srx->rules[srx->n];
        memset(r, 0, sizeof *r);
        static const char *const parts[2] = {"beforebreak", "afterbreak"};
        for (int k = 0; k < 2; k++) {
            const xmlNode *el = first_child(c, parts[k]);
            if (!el)
                continue;
            char *pat = NULL;
            sl_status st = pattern_text(path, el, &pat, err);
            if (st == SL_OK && *pat)
                st = compile(path, (long)xmlGetLineNo(el), parts[k], pat, 0,
                             k ? &r->after : &r->before, err);
            free(pat);
            if (st != SL_OK) {
                if (r->before)
                    uregex_close(r->before);
                return st;
            }
        }
        if (!r->before && !r->after)
            return sl_error_set(err, SL_DATA,
                                "%s:%ld: <rule> needs a <beforebreak> or an <afterbreak> pattern",
                                path, line);
        r->brk = brk;
        r->line = line;
        srx->n++;
    }
    return SL_OK;
}

/* Whether the language code matches a languagemap's languagepattern
 * (the whole code, ignoring case). */
static sl_status map_matches(const char *path, const xmlNode *map, const char *pattern,
                             const char *lang, bool *yes, sl_error *err)
{
    URegularExpression *re = NULL;
    sl_status st = compile(path, (long)xmlGetLineNo(map), "languagepattern", pattern,
                           UREGEX_CASE_INSENSITIVE, &re, err);
    if (st != SL_OK)
        return st;
    UErrorCode ust = U_ZERO_ERROR;
    UChar u[64];
    u_strFromUTF8(u, 64, NULL, lang, -1, &ust);
    uregex_setText(re, u, -1, &ust);
    *yes = U_SUCCESS(ust) && uregex_matches(re, 0, &ust) && U_SUCCESS(ust);
    uregex_close(re);
    return SL_OK;
}

static sl_status build(struct sl__srx *srx, const char *path, const xmlNode *root,
                       const char *lang, sl_error *err)
{
    if (!named(root, "srx"))
        return sl_error_set(err, SL_DATA, "%s:%ld: the root element is <%s>, not <srx>", path,
                            (long)xmlGetLineNo(root), root ? (const char *)root->name : "");
    xmlChar *ver = xmlGetProp(root, (const xmlChar *)"version");
    bool known = ver && (strcmp((const char *)ver, "2.0") == 0 ||
                         strcmp((const char *)ver, "1.0") == 0);
    xmlFree(ver);
    if (!known)
        return sl_error_set(err, SL_DATA, "%s:%ld: <srx version=...> must be 2.0 (or 1.0)", path,
                            (long)xmlGetLineNo(root));
    const xmlNode *header = first_child(root, "header");
    bool cascade = false;
    if (header) {
        xmlChar *c = xmlGetProp(header, (const xmlChar *)"cascade");
        cascade = c && strcmp((const char *)c, "yes") == 0;
        xmlFree(c);
    }
    const xmlNode *body = first_child(root, "body");
    const xmlNode *lrules = first_child(body, "languagerules");
    const xmlNode *maps = first_child(body, "maprules");
    if (!lrules || !maps)
        return sl_error_set(err, SL_DATA,
                            "%s:%ld: <body> needs <languagerules> and <maprules>", path,
                            (long)xmlGetLineNo(body ? body : root));
    bool matched = false;
    for (const xmlNode *m = maps->children; m; m = m->next) {
        if (!named(m, "languagemap"))
            continue;
        xmlChar *pat = xmlGetProp(m, (const xmlChar *)"languagepattern");
        xmlChar *name = xmlGetProp(m, (const xmlChar *)"languagerulename");
        sl_status st = SL_OK;
        bool yes = false;
        if (!pat || !name)
            st = sl_error_set(err, SL_DATA,
                              "%s:%ld: <languagemap> needs languagepattern and languagerulename",
                              path, (long)xmlGetLineNo(m));
        else
            st = map_matches(path, m, (const char *)pat, lang, &yes, err);
        const xmlNode *lr = NULL;
        for (const xmlNode *c = lrules->children; st == SL_OK && c && !lr; c = c->next) {
            if (!named(c, "languagerule"))
                continue;
            xmlChar *n = xmlGetProp(c, (const xmlChar *)"languagerulename");
            if (n && strcmp((const char *)n, (const char *)name) == 0)
                lr = c;
            xmlFree(n);
        }
        if (st == SL_OK && !lr)
            st = sl_error_set(err, SL_DATA, "%s:%ld: no <languagerule> is named '%s'", path,
                              (long)xmlGetLineNo(m), (const char *)name);
        if (st == SL_OK && yes && (cascade || !matched)) {
            st = add_rules(srx, path, lr, err);
            matched = true;
        }
        xmlFree(pat);
        xmlFree(name);
        if (st != SL_OK)
            return st;
    }
    if (!matched)
        return sl_error_set(err, SL_DATA,
                            "%s: no <languagemap> matches language '%s' (add one, e.g. "
                            "languagepattern=\".*\")",
                            path, lang);
    return SL_OK;
}

/* The first parse error, which names the cause (later ones follow from it). */
struct first_error {
    bool set;
    int line;
    char msg[256];
};

static void on_error(void *data, xmlErrorPtr e)
{
    struct first_error *f = ((xmlParserCtxtPtr)data)->_private;
    if (!f || f->set || !e || e->level < XML_ERR_ERROR)
        return;
    f->set = true;
    f->line = e->line;
    snprintf(f->msg, sizeof f->msg, "%s", e->message ? e->message : "not well-formed XML");
    size_t ml = strlen(f->msg);
    while (ml && (f->msg[ml - 1] == '\n' || f->msg[ml - 1] == ' '))
        f->msg[--ml] = '\0';
}

sl_status sl__srx_load(const char *path, const char *lang, struct sl__srx **out, sl_error *err)
{
    *out = NULL;
    char *data = NULL;
    size_t len = 0;
    sl_status st = sl_text_read_file(path, &data, &len, err);
    if (st != SL_OK)
        return st;
    if (len > INT32_MAX) {
        sl_free(data);
        return sl_error_set(err, SL_DATA, "%s: too large for an SRX file", path);
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    struct sl__srx *srx = calloc(1, sizeof *srx);
    if (srx)
        srx->path = sl__strdup(path);
    if (!ctxt || !srx || !srx->path) {
        if (srx)
            free(srx->path);
        xmlFreeParserCtxt(ctxt);
        free(srx);
        sl_free(data);
        return sl__nomem(err);
    }
    struct first_error first = {false, 0, "not well-formed XML"};
    ctxt->_private = &first;
    ctxt->sax->serror = on_error; /* reports go to us, not to stderr */
    /* no network, no DTD, entities left as references (refused above) */
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, path, "UTF-8",
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc || first.set)
        st = sl_error_set(err, SL_XML, "%s:%d: %s (not a well-formed SRX file)", path,
                          first.line, first.msg);
    else
        st = build(srx, path, xmlDocGetRootElement(doc), lang, err);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    sl_free(data);
    if (st != SL_OK) {
        sl__srx_free(srx);
        return st;
    }
    *out = srx;
    return SL_OK;
}

void sl__srx_free(struct sl__srx *srx)
{
    if (!srx)
        return;
    for (size_t i = 0; i < srx->n; i++) {
        if (srx->rules[i].before)
            uregex_close(srx->rules[i].before);
        if (srx->rules[i].after)
            uregex_close(srx->rules[i].after);
    }
    free(srx->rules);
    free(srx->path);
    free(srx);
}

struct sl__srx_run {
    const struct sl__srx *srx;
    URegularExpression **re; /* 2 per rule: before, after (clones, NULL if absent) */
    signed char *dec;        /* per byte of a line: 0 undecided, 1 break, -1 no break */
    size_t dec_cap;
};

sl_status sl__srx_run_new(const struct sl__srx *srx, struct sl__srx_run **out, sl_error *err)
{
    *out = NULL;
    struct sl__srx_run *run = calloc(1, sizeof *run);
    if (!run || !(run->re = calloc(2 * srx->n + 1, sizeof *run->re))) {
        free(run);
        return sl__nomem(err);
    }
    run->srx = srx;
    for (size_t i = 0; i < srx->n; i++) {
        UErrorCode ust = U_ZERO_ERROR;
        URegularExpression *src[2] = {srx->rules[i].before, srx->rules[i].after};
        for (int k = 0; k < 2; k++)
            if (src[k] && U_SUCCESS(ust)) {
                run->re[2 * i + k] = uregex_clone(src[k], &ust);
                /* a pattern that backtracks without end fails instead of hanging */
                if (U_SUCCESS(ust))
                    uregex_setTimeLimit(run->re[2 * i + k], 1000, &ust);
            }
        if (U_FAILURE(ust)) {
            sl__srx_run_free(run);
            return sl_error_set(err, SL_ICU, "cannot copy an SRX regular expression: %s",
                                u_errorName(ust));
        }
    }
    *out = run;
    return SL_OK;
}

void sl__srx_run_free(struct sl__srx_run *run)
{
    if (!run)
        return;
    for (size_t i = 0; run->re && i < 2 * run->srx->n; i++)
        if (run->re[i])
            uregex_close(run->re[i]);
    free(run->re);
    free(run->dec);
    free(run);
}

/* Decide position p by rule i unless an earlier rule did. */
static void decide(struct sl__srx_run *run, size_t i, size_t p, size_t n, UErrorCode *ust)
{
    if (p == 0 || p >= n || run->dec[p])
        return;
    URegularExpression *after = run->re[2 * i + 1];
    if (after && !uregex_lookingAt64(after, (int64_t)p, ust))
        return;
    run->dec[p] = run->srx->rules[i].brk ? 1 : -1;
}

sl_status sl__srx_breaks(struct sl__srx_run *run, UText *ut, size_t n,
                         sl_status (*fn)(void *ctx, size_t pos, sl_error *err), void *ctx,
                         sl_error *err)
{
    if (n + 1 > run->dec_cap) {
        signed char *d = realloc(run->dec, n + 1);
        if (!d)
            return sl__nomem(err);
        run->dec = d;
        run->dec_cap = n + 1;
    }
    memset(run->dec, 0, n + 1);
    UErrorCode ust = U_ZERO_ERROR;
    size_t i = 0;
    for (; i < run->srx->n && U_SUCCESS(ust); i++) {
        URegularExpression *before = run->re[2 * i], *after = run->re[2 * i + 1];
        if (after)
            uregex_setUText(after, ut, &ust);
        if (before) {
            uregex_setUText(before, ut, &ust);
            /* each match of the expression before the break proposes its end */
            while (U_SUCCESS(ust) && uregex_findNext(before, &ust)) {
                int64_t e = uregex_end64(before, 0, &ust);
                if (U_SUCCESS(ust))
                    decide(run, i, (size_t)e, n, &ust);
            }
        } else {
            /* only the text after: each match start proposes itself */
            while (U_SUCCESS(ust) && uregex_findNext(after, &ust)) {
                int64_t s = uregex_start64(after, 0, &ust);
                size_t p = (size_t)s;
                if (U_SUCCESS(ust) && p > 0 && p < n && !run->dec[p])
                    run->dec[p] = run->srx->rules[i].brk ? 1 : -1;
            }
        }
    }
    if (ust == U_REGEX_TIME_OUT)
        return sl_error_set(err, SL_DATA,
                            "%s:%ld: this rule's regular expression takes too long on the "
                            "text (it backtracks without end; simplify it)",
                            run->srx->path, i > 0 ? run->srx->rules[i - 1].line : 0L);
    if (U_FAILURE(ust))
        return sl_error_set(err, SL_ICU, "SRX regular expression failed: %s", u_errorName(ust));
    for (size_t p = 1; p < n; p++)
        if (run->dec[p] == 1) {
            sl_status st = fn(ctx, p, err);
            if (st != SL_OK)
                return st;
        }
    return SL_OK;
}

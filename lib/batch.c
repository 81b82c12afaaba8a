#include "internal.h"
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- the pipeline */

struct sl_pipeline {
    char src_lang[SL_LANG_MAX], tgt_lang[SL_LANG_MAX];
    sl_segmenter *src_seg, *tgt_seg; /* NULL when presegmented */
    sl_pipeline_options opt;         /* srx not kept: it is read once */
};

sl_status sl_pipeline_new(const char *src_lang, const char *tgt_lang, const char *datadir,
                          sl_pipeline **out, sl_error *err)
{
    return sl_pipeline_new_with(src_lang, tgt_lang, datadir, NULL, out, err);
}

sl_status sl_pipeline_new_with(const char *src_lang, const char *tgt_lang, const char *datadir,
                               const sl_pipeline_options *opt, sl_pipeline **out, sl_error *err)
{
    if (!out)
        return sl_error_set(err, SL_USAGE, "sl_pipeline_new: no place for the result");
    *out = NULL;
    if (!src_lang || !tgt_lang)
        return sl_error_set(err, SL_USAGE, "sl_pipeline_new: missing language");
    if (opt && !(opt->min_score >= 0 && opt->min_score <= 1))
        return sl_error_set(err, SL_USAGE, "sl_pipeline_new: min_score must be between 0 and 1");
    sl_pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return sl__nomem(err);
    if (opt)
        p->opt = *opt;
    p->opt.srx = NULL;
    sl_status s = sl_lang_canonical(src_lang, p->src_lang, err);
    if (s == SL_OK)
        s = sl_lang_canonical(tgt_lang, p->tgt_lang, err);
    if (s == SL_OK && !p->opt.presegmented) {
        s = sl_segmenter_new(p->src_lang, datadir, &p->src_seg, err);
        if (s == SL_OK)
            s = sl_segmenter_new(p->tgt_lang, datadir, &p->tgt_seg, err);
        if (s == SL_OK && opt && opt->srx)
            s = sl_segmenter_load_srx(p->src_seg, opt->srx, err);
        if (s == SL_OK && opt && opt->srx)
            s = sl_segmenter_load_srx(p->tgt_seg, opt->srx, err);
    }
    if (s != SL_OK) {
        sl_pipeline_free(p);
        return s;
    }
    *out = p;
    return SL_OK;
}

void sl_pipeline_set_lexicon(sl_pipeline *p, const sl_lexicon *lexicon)
{
    if (p)
        p->opt.lexicon = lexicon;
}

void sl_pipeline_free(sl_pipeline *p)
{
    if (!p)
        return;
    sl_segmenter_free(p->src_seg);
    sl_segmenter_free(p->tgt_seg);
    free(p);
}

const char *sl_pipeline_src_lang(const sl_pipeline *p)
{
    return p ? p->src_lang : NULL;
}

const char *sl_pipeline_tgt_lang(const sl_pipeline *p)
{
    return p ? p->tgt_lang : NULL;
}

/* sl_pipeline_align, telling which side was empty on SL_EMPTY (its results
 * are gone by then). */
static sl_status pipeline_align(sl_pipeline *p, const char *src, size_t src_len, const char *tgt,
                                size_t tgt_len, sl_sentences **src_out, sl_sentences **tgt_out,
                                sl_alignment **al_out, bool *src_empty, sl_error *err);

sl_status sl_pipeline_align(sl_pipeline *p, const char *src, size_t src_len, const char *tgt,
                            size_t tgt_len, sl_sentences **src_out, sl_sentences **tgt_out,
                            sl_alignment **al_out, sl_error *err)
{
    bool src_empty;
    return pipeline_align(p, src, src_len, tgt, tgt_len, src_out, tgt_out, al_out, &src_empty,
                          err);
}

static sl_status pipeline_align(sl_pipeline *p, const char *src, size_t src_len, const char *tgt,
                                size_t tgt_len, sl_sentences **src_out, sl_sentences **tgt_out,
                                sl_alignment **al_out, bool *src_empty, sl_error *err)
{
    if (!src_out || !tgt_out || !al_out)
        return sl_error_set(err, SL_USAGE, "sl_pipeline_align: no place for the result");
    *src_out = *tgt_out = NULL;
    *al_out = NULL;
    if (!p)
        return sl_error_set(err, SL_USAGE, "sl_pipeline_align: no pipeline");
    sl_sentences *s = NULL, *t = NULL;
    sl_alignment *al = NULL;
    sl_status st = p->opt.presegmented ? sl_sentences_from_lines(src, src_len, &s, err)
                                       : sl_segment(p->src_seg, src, src_len, &s, err);
    if (st == SL_OK)
        st = p->opt.presegmented ? sl_sentences_from_lines(tgt, tgt_len, &t, err)
                                 : sl_segment(p->tgt_seg, tgt, tgt_len, &t, err);
    *src_empty = st == SL_OK && sl_sentences_count(s) == 0;
    if (st == SL_OK && (sl_sentences_count(s) == 0 || sl_sentences_count(t) == 0))
        st = sl_error_set(err, SL_EMPTY, "the %s text has no visible text",
                          *src_empty ? "source" : "target");
    sl_align_options aopt = {p->opt.lexicon, p->opt.check_related};
    if (st == SL_OK)
        st = sl_align_with(s, t, &aopt, &al, err);
    if (st == SL_OK && p->opt.min_score > 0) {
        sl_alignment *kept = NULL;
        st = sl_alignment_filter(al, p->opt.min_score, &kept, err);
        sl_alignment_free(al);
        al = kept;
    }
    if (st != SL_OK) {
        sl_alignment_free(al);
        sl_sentences_free(s);
        sl_sentences_free(t);
        return st;
    }
    *src_out = s;
    *tgt_out = t;
    *al_out = al;
    return SL_OK;
}

sl_status sl_pipeline_add_files(sl_pipeline *p, sl_tm *tm, const char *src_path,
                                const char *tgt_path, sl_add_result *result, sl_error *err)
{
    if (result)
        memset(result, 0, sizeof *result);
    if (!p || !tm || !src_path || !tgt_path)
        return sl_error_set(err, SL_USAGE, "sl_pipeline_add_files: missing argument");
    char *st_text = NULL, *tt_text = NULL;
    size_t st_len = 0, tt_len = 0;
    sl_sentences *s = NULL, *t = NULL;
    sl_alignment *al = NULL;
    sl_status st = sl_text_read_file(src_path, &st_text, &st_len, err);
    if (st == SL_OK)
        st = sl_text_read_file(tgt_path, &tt_text, &tt_len, err);
    if (st == SL_OK) {
        bool src_empty = false;
        st = pipeline_align(p, st_text, st_len, tt_text, tt_len, &s, &t, &al, &src_empty, err);
        /* The message of an empty side should name the file. */
        if (st == SL_EMPTY)
            st = sl_error_set(err, SL_EMPTY, "%s: no sentences found",
                              src_empty ? src_path : tgt_path);
    }
    if (st == SL_OK) {
        sl_document doc = {src_path, tgt_path, p->src_lang, p->tgt_lang,
                           st_text,  tt_text,  st_len,      tt_len};
        st = sl_tm_add(tm, &doc, s, t, al, result, err);
    }
    sl_alignment_free(al);
    sl_sentences_free(s);
    sl_sentences_free(t);
    sl_free(st_text);
    sl_free(tt_text);
    return st;
}

/* ---- lists of pairs */

struct strvec {
    char **v;
    size_t n, cap;
};

static bool strvec_push(struct strvec *sv, char *s)
{
    if (!s)
        return false;
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 16;
        char **v = realloc(sv->v, cap * sizeof *v);
        if (!v) {
            free(s);
            return false;
        }
        sv->v = v;
        sv->cap = cap;
    }
    sv->v[sv->n++] = s;
    return true;
}

static void strvec_free(struct strvec *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    memset(sv, 0, sizeof *sv);
}

struct sl_pair_list {
    struct strvec src, tgt; /* parallel */
    struct strvec unpaired, bad;
};

sl_status sl_pair_list_new(sl_pair_list **out, sl_error *err)
{
    if (!out)
        return sl_error_set(err, SL_USAGE, "sl_pair_list_new: no place for the result");
    *out = calloc(1, sizeof **out);
    return *out ? SL_OK : sl__nomem(err);
}

void sl_pair_list_free(sl_pair_list *l)
{
    if (!l)
        return;
    strvec_free(&l->src);
    strvec_free(&l->tgt);
    strvec_free(&l->unpaired);
    strvec_free(&l->bad);
    free(l);
}

size_t sl_pair_list_count(const sl_pair_list *l)
{
    return l ? l->src.n : 0;
}

const char *sl_pair_list_src(const sl_pair_list *l, size_t i)
{
    return l && i < l->src.n ? l->src.v[i] : NULL;
}

const char *sl_pair_list_tgt(const sl_pair_list *l, size_t i)
{
    return l && i < l->tgt.n ? l->tgt.v[i] : NULL;
}

size_t sl_pair_list_unpaired_count(const sl_pair_list *l)
{
    return l ? l->unpaired.n : 0;
}

const char *sl_pair_list_unpaired(const sl_pair_list *l, size_t i)
{
    return l && i < l->unpaired.n ? l->unpaired.v[i] : NULL;
}

size_t sl_pair_list_bad_count(const sl_pair_list *l)
{
    return l ? l->bad.n : 0;
}

const char *sl_pair_list_bad(const sl_pair_list *l, size_t i)
{
    return l && i < l->bad.n ? l->bad.v[i] : NULL;
}

/* dir + "/" + name, without doubling a final slash; "." is left out. */
static char *join_path(const char *dir, size_t dir_len, const char *name)
{
    sl__buf b = SL__BUF_INIT;
    bool ok = true;
    if (!(dir_len == 1 && dir[0] == '.')) {
        ok = sl__buf_append(&b, dir, dir_len);
        if (ok && dir_len && dir[dir_len - 1] != '/')
            ok = sl__buf_append(&b, "/", 1);
    }
    if (ok && sl__buf_puts(&b, name) && sl__buf_cstr(&b))
        return sl__buf_detach(&b);
    sl__buf_free(&b);
    return NULL;
}

static bool add_pair(sl_pair_list *l, char *src, char *tgt)
{
    if (!src || !tgt) {
        free(src);
        free(tgt);
        return false;
    }
    if (!strvec_push(&l->src, src)) {
        free(tgt);
        return false;
    }
    if (!strvec_push(&l->tgt, tgt)) {
        free(l->src.v[--l->src.n]);
        return false;
    }
    return true;
}

static bool ends_with(const char *s, size_t n, const char *suffix, size_t k)
{
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of dir whose name ends in one of the suffixes (the longer
 * first), split by side, each keeping its full path; with recursive, also
 * those of its subdirectories (not hidden ones, not links to directories). */
static sl_status list_dir(const char *dir, const char *suffix[2], bool recursive, int depth,
                          struct strvec side[2], sl_error *err)
{
    if (depth > 64)
        return sl_error_set(err, SL_IO, "%s: directories nested too deeply", dir);
    DIR *d = opendir(dir);
    if (!d)
        return sl_error_set(err, errno == ENOENT ? SL_NOTFOUND : SL_IO,
                            "%s: cannot read the directory: %s", dir, strerror(errno));
    size_t k[2] = {strlen(suffix[0]), strlen(suffix[1])};
    int first = k[0] >= k[1] ? 0 : 1;
    size_t dir_len = strlen(dir);
    struct strvec subdirs = {NULL, 0, 0};
    sl_status s = SL_OK;
    struct dirent *e;
    errno = 0;
    while (s == SL_OK && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        int which = ends_with(e->d_name, n, suffix[first], k[first])           ? first
                    : ends_with(e->d_name, n, suffix[1 - first], k[1 - first]) ? 1 - first
                                                                                : -1;
        if (which < 0 && (!recursive || e->d_name[0] == '.'))
            continue;
        char *path = join_path(dir, dir_len, e->d_name);
        struct stat sb;
        if (!path)
            s = sl__nomem(err);
        else if (recursive && e->d_name[0] != '.' && lstat(path, &sb) == 0 &&
                 S_ISDIR(sb.st_mode)) {
            /* read after this directory is closed, to hold one handle per level */
            if (!strvec_push(&subdirs, path))
                s = sl__nomem(err);
        } else if (which < 0 || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
            free(path); /* dangling links, directories, other files: not documents */
        else if (!strvec_push(&side[which], path))
            s = sl__nomem(err);
        errno = 0;
    }
    if (s == SL_OK && errno != 0)
        s = sl_error_set(err, SL_IO, "%s: cannot read the directory: %s", dir, strerror(errno));
    closedir(d);
    for (size_t i = 0; s == SL_OK && i < subdirs.n; i++)
        s = list_dir(subdirs.v[i], suffix, recursive, depth + 1, side, err);
    strvec_free(&subdirs);
    return s;
}

sl_status sl_pair_list_scan_dir(sl_pair_list *l, const char *dir, const char *src_suffix,
                                const char *tgt_suffix, int flags, sl_error *err)
{
    if (!l || !dir || !src_suffix || !tgt_suffix)
        return sl_error_set(err, SL_USAGE, "sl_pair_list_scan_dir: missing argument");
    if (!*src_suffix || !*tgt_suffix || strcmp(src_suffix, tgt_suffix) == 0)
        return sl_error_set(err, SL_USAGE,
                            "the source and target suffixes must be two different, non-empty "
                            "strings (not '%s' and '%s')",
                            src_suffix, tgt_suffix);
    const char *suffix[2] = {src_suffix, tgt_suffix};
    size_t k[2] = {strlen(src_suffix), strlen(tgt_suffix)};
    struct strvec side[2] = {{NULL, 0, 0}, {NULL, 0, 0}};
    if (flags & ~SL_PAIRS_RECURSIVE)
        return sl_error_set(err, SL_USAGE, "sl_pair_list_scan_dir: unknown flags");
    sl_status s = list_dir(dir, suffix, (flags & SL_PAIRS_RECURSIVE) != 0, 0, side, err);
    if (s != SL_OK)
        goto done;
    /* Sorted by stem (the path without its suffix), the two files of a pair
     * meet; the suffixes are cut off here and put back on the pairs. */
    for (int w = 0; w < 2; w++) {
        for (size_t i = 0; i < side[w].n; i++)
            side[w].v[i][strlen(side[w].v[i]) - k[w]] = '\0';
        if (side[w].n)
            qsort(side[w].v, side[w].n, sizeof(char *), cmp_str);
    }
    size_t i = 0, j = 0;
    while (s == SL_OK && (i < side[0].n || j < side[1].n)) {
        int c = i == side[0].n ? 1 : j == side[1].n ? -1 : strcmp(side[0].v[i], side[1].v[j]);
        int w = c < 0 ? 0 : 1;
        char **stem = c <= 0 ? &side[0].v[i] : &side[1].v[j];
        if (c == 0) {
            sl__buf a = SL__BUF_INIT, b = SL__BUF_INIT;
            bool ok = sl__buf_puts(&a, side[0].v[i]) && sl__buf_puts(&a, suffix[0]) &&
                      sl__buf_puts(&b, side[1].v[j]) && sl__buf_puts(&b, suffix[1]);
            if (!ok || !add_pair(l, sl__buf_detach(&a), sl__buf_detach(&b))) {
                sl__buf_free(&a);
                sl__buf_free(&b);
                s = sl__nomem(err);
            }
            i++;
            j++;
            continue;
        }
        sl__buf a = SL__BUF_INIT;
        if (!sl__buf_puts(&a, *stem) || !sl__buf_puts(&a, suffix[w]) ||
            !strvec_push(&l->unpaired, sl__buf_detach(&a))) {
            sl__buf_free(&a);
            s = sl__nomem(err);
        }
        if (c < 0)
            i++;
        else
            j++;
    }
done:
    strvec_free(&side[0]);
    strvec_free(&side[1]);
    return s;
}

static bool path_absolute(const char *p, size_t n)
{
    return n && p[0] == '/';
}

sl_status sl_pair_list_read_tsv(sl_pair_list *l, const char *path, sl_error *err)
{
    if (!l || !path)
        return sl_error_set(err, SL_USAGE, "sl_pair_list_read_tsv: missing argument");
    char *text = NULL;
    size_t len = 0;
    sl_status s = sl_text_read_file(path, &text, &len, err);
    if (s != SL_OK)
        return s;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? path : ".";
    size_t base_len = slash ? (size_t)(slash - path) + (slash == path) : 1;
    if (strcmp(path, "-") == 0) {
        base = ".";
        base_len = 1;
    }
    size_t line_no = 0;
    for (char *line = text; s == SL_OK && line < text + len;) {
        char *nl = memchr(line, '\n', (size_t)(text + len - line));
        char *end = nl ? nl : text + len;
        char *next = nl ? nl + 1 : text + len;
        line_no++;
        if (end > line && end[-1] == '\r')
            end--;
        *end = '\0';
        const char *p = line;
        line = next;
        while (*p == ' ')
            p++;
        if (!*p || *p == '#')
            continue;
        const char *tab = strchr(p, '\t');
        const char *problem = NULL;
        if (!tab)
            problem = "expected two file names separated by a tab";
        else if (strchr(tab + 1, '\t'))
            problem = "more than two tab-separated fields";
        else if (tab == p || !tab[1])
            problem = "an empty file name";
        if (problem) {
            sl__buf m = SL__BUF_INIT;
            if (!sl__buf_printf(&m, "%s:%zu: %s", path, line_no, problem) ||
                !strvec_push(&l->bad, sl__buf_detach(&m))) {
                sl__buf_free(&m);
                s = sl__nomem(err);
            }
            continue;
        }
        size_t src_len = (size_t)(tab - p);
        char *src_name = sl__strndup(p, src_len);
        const char *tgt_name = tab + 1;
        char *src = NULL, *tgt = NULL;
        if (src_name) {
            src = path_absolute(src_name, src_len) ? sl__strdup(src_name)
                                                   : join_path(base, base_len, src_name);
            tgt = path_absolute(tgt_name, strlen(tgt_name)) ? sl__strdup(tgt_name)
                                                            : join_path(base, base_len, tgt_name);
        }
        free(src_name);
        if (!add_pair(l, src, tgt))
            s = sl__nomem(err);
    }
    sl_free(text);
    return s;
}

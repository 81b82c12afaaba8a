#include "internal.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/xmlwriter.h>

struct export_state {
    xmlTextWriterPtr w;
    const sl_tmx_options *opt;
    size_t units;
    sl_status st;
    sl_error *err;
    const char *name;
};

/* XML 1.0 Char production: libxml2's writer passes forbidden code points
 * through unchanged, and CAT tools then reject the whole file. */
static bool xml_char_ok(unsigned long cp)
{
    return cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
           (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/* Offset of the first character XML forbids, or -1.  Input is valid UTF-8. */
static long first_forbidden(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; u[i];) {
        unsigned long cp;
        size_t n;
        if (u[i] < 0x80) {
            cp = u[i];
            n = 1;
        } else if (u[i] < 0xe0) {
            cp = u[i] & 0x1f;
            n = 2;
        } else if (u[i] < 0xf0) {
            cp = u[i] & 0x0f;
            n = 3;
        } else {
            cp = u[i] & 0x07;
            n = 4;
        }
        for (size_t k = 1; k < n; k++) {
            if ((u[i + k] & 0xc0) != 0x80)
                return (long)i;
            cp = (cp << 6) | (u[i + k] & 0x3f);
        }
        if (!xml_char_ok(cp))
            return (long)i;
        i += n;
    }
    return -1;
}

/* "2026-11-24T17:10:26Z" -> "20261124T171026Z" (TMX date syntax). */
static void tmx_date(const char *iso, char out[17])
{
    size_t o = 0;
    for (size_t i = 0; iso[i] && o < 16; i++)
        if (iso[i] != '-' && iso[i] != ':')
            out[o++] = iso[i];
    out[o] = '\0';
}

static sl_status write_with_writer(sl_tm *tm, int fd, const char *name,
                                   const sl_tmx_options *opt, size_t *units, sl_error *err);

static int prop(xmlTextWriterPtr w, const char *type, const char *value)
{
    if (xmlTextWriterStartElement(w, BAD_CAST "prop") < 0 ||
        xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST type) < 0 ||
        xmlTextWriterWriteString(w, BAD_CAST value) < 0 || xmlTextWriterEndElement(w) < 0)
        return -1;
    return 0;
}

static int tuv(xmlTextWriterPtr w, const char *lang, const char *text)
{
    if (xmlTextWriterStartElement(w, BAD_CAST "tuv") < 0 ||
        xmlTextWriterWriteAttribute(w, BAD_CAST "xml:lang", BAD_CAST lang) < 0 ||
        xmlTextWriterStartElement(w, BAD_CAST "seg") < 0 ||
        xmlTextWriterWriteString(w, BAD_CAST text) < 0 || xmlTextWriterEndElement(w) < 0 ||
        xmlTextWriterEndElement(w) < 0)
        return -1;
    return 0;
}

static int write_unit(const sl_unit *u, void *data)
{
    struct export_state *es = data;
    xmlTextWriterPtr w = es->w;
    const char *sides[2] = {u->source, u->target};
    for (int k = 0; k < 2; k++) {
        long at = first_forbidden(sides[k]);
        if (at >= 0) {
            es->st = sl_error_set(es->err, SL_DATA,
                                  "unit %lld: the %s text has a character XML forbids at byte %ld; "
                                  "nothing was written",
                                  u->id, k ? "target" : "source", at);
            return 1;
        }
    }
    char id[32], date[17], score[32], occ[32];
    snprintf(id, sizeof id, "%lld", u->id);
    tmx_date(u->created_at, date);
    snprintf(score, sizeof score, "%.4f", u->score);
    snprintf(occ, sizeof occ, "%lld", u->occurrences);
    int rc = 0;
    rc |= xmlTextWriterStartElement(w, BAD_CAST "tu");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "tuid", BAD_CAST id);
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "srclang", BAD_CAST u->src_lang);
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "creationdate", BAD_CAST date);
    if (rc >= 0 && !es->opt->no_provenance) {
        rc |= prop(w, "x-document", u->document);
        rc |= prop(w, "x-score", score);
        rc |= prop(w, "x-bead", u->bead);
        rc |= prop(w, "x-occurrences", occ);
    }
    if (rc >= 0)
        rc |= tuv(w, u->src_lang, u->source);
    if (rc >= 0)
        rc |= tuv(w, u->tgt_lang, u->target);
    if (rc >= 0)
        rc |= xmlTextWriterEndElement(w);
    if (rc < 0) {
        es->st = sl_error_set(es->err, SL_IO, "%s: write failed at unit %lld: %s%s", es->name,
                              u->id, errno ? strerror(errno) : "XML writer error",
                              errno == ENOSPC || errno == EFBIG || errno == EDQUOT
                                  ? " (free some space and try again)"
                                  : "");
        return 1;
    }
    es->units++;
    return 0;
}

struct srclang_probe {
    char lang[SL_LANG_MAX];
    bool mixed;
};

static int probe_pair(const char *src, const char *tgt, long long units, void *data)
{
    struct srclang_probe *p = data;
    if (!p->lang[0])
        snprintf(p->lang, sizeof p->lang, "%s", src);
    else if (strcmp(p->lang, src) != 0)
        p->mixed = true;
    return 0;
}

static sl_status header_srclang(sl_tm *tm, const sl_tmx_options *opt, char out[SL_LANG_MAX],
                                sl_error *err)
{
    if (opt->src_lang) {
        snprintf(out, SL_LANG_MAX, "%s", opt->src_lang);
        return SL_OK;
    }
    struct srclang_probe p = {{0}, false};
    sl_status st = sl_tm_language_pairs(tm, probe_pair, &p, err);
    if (st != SL_OK)
        return st;
    /* An empty TM still needs a valid header; "*all*" is what TMX allows. */
    snprintf(out, SL_LANG_MAX, "%s", (p.mixed || !p.lang[0]) ? "*all*" : p.lang);
    return SL_OK;
}

static sl_status write_document(sl_tm *tm, xmlTextWriterPtr w, const char *name,
                                const sl_tmx_options *opt, size_t *units, sl_error *err)
{
    char srclang[SL_LANG_MAX], now[21], date[17];
    sl_status st = header_srclang(tm, opt, srclang, err);
    if (st != SL_OK)
        return st;
    sl__utc_now(now);
    tmx_date(now, date);
    int rc = 0;
    rc |= xmlTextWriterSetIndent(w, 1);
    rc |= xmlTextWriterSetIndentString(w, BAD_CAST "  ");
    rc |= xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
    rc |= xmlTextWriterStartElement(w, BAD_CAST "tmx");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST "1.4");
    rc |= xmlTextWriterStartElement(w, BAD_CAST "header");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "creationtool", BAD_CAST "selaras");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "creationtoolversion", BAD_CAST sl_version());
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "segtype", BAD_CAST "sentence");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "o-tmf", BAD_CAST "selaras");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "adminlang", BAD_CAST "en");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "srclang", BAD_CAST srclang);
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "datatype", BAD_CAST "plaintext");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "creationdate", BAD_CAST date);
    rc |= xmlTextWriterEndElement(w);
    rc |= xmlTextWriterStartElement(w, BAD_CAST "body");
    if (rc < 0)
        return sl_error_set(err, SL_IO, "%s: cannot write the TMX header: %s", name,
                            errno ? strerror(errno) : "XML writer error");
    struct export_state es = {w, opt, 0, SL_OK, err, name};
    st = sl_tm_foreach_unit(tm, opt->src_lang, opt->tgt_lang, write_unit, &es, err);
    if (st == SL_OK)
        st = es.st;
    if (st != SL_OK)
        return st;
    if (xmlTextWriterEndDocument(w) < 0 || xmlTextWriterFlush(w) < 0)
        return sl_error_set(err, SL_IO, "%s: cannot finish the TMX: %s", name,
                            errno ? strerror(errno) : "XML writer error");
    *units = es.units;
    return SL_OK;
}

static void quiet_generic(void *ctx, const char *msg, ...)
{
}

static void quiet_structured(void *ctx, xmlErrorPtr e)
{
}

/* Write to fd through a fresh writer; the fd stays open.  libxml2 would
 * print its own I/O errors on stderr; the caller gets them in err instead. */
static sl_status write_to_fd(sl_tm *tm, int fd, const char *name, const sl_tmx_options *opt,
                             size_t *units, sl_error *err)
{
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc old_structured = xmlStructuredError;
    void *old_structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
    sl_status st = write_with_writer(tm, fd, name, opt, units, err);
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
    xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
    return st;
}

static sl_status write_with_writer(sl_tm *tm, int fd, const char *name,
                                   const sl_tmx_options *opt, size_t *units, sl_error *err)
{
    xmlOutputBufferPtr out = xmlOutputBufferCreateFd(fd, NULL);
    if (!out)
        return sl__nomem(err);
    xmlTextWriterPtr w = xmlNewTextWriter(out); /* takes ownership of out */
    if (!w) {
        xmlOutputBufferClose(out);
        return sl__nomem(err);
    }
    errno = 0;
    sl_status st = write_document(tm, w, name, opt, units, err);
    xmlFreeTextWriter(w);
    return st;
}

static sl_status sync_dir_of(const char *path)
{
    char *dir = sl__strdup(path);
    if (!dir)
        return SL_NOMEM;
    char *slash = strrchr(dir, '/');
    const char *d = ".";
    if (slash) {
        if (slash == dir)
            slash[1] = '\0';
        else
            *slash = '\0';
        d = dir;
    }
    int fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
    return SL_OK;
}

static sl_status export_in_place(sl_tm *tm, const char *path, const sl_tmx_options *opt,
                                 size_t *units_written, sl_error *err)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return sl_error_set(err, SL_IO, "%s: cannot open for writing: %s", path, strerror(errno));
    size_t units = 0;
    sl_status st = write_to_fd(tm, fd, path, opt, &units, err);
    if (close(fd) != 0 && st == SL_OK)
        st = sl_error_set(err, SL_IO, "%s: cannot close: %s", path, strerror(errno));
    if (st == SL_OK && units_written)
        *units_written = units;
    return st;
}

static sl_status export_replacing(sl_tm *tm, const char *path, const sl_tmx_options *opt,
                                  size_t *units_written, sl_error *err);

sl_status sl_tmx_export(sl_tm *tm, const char *path, const sl_tmx_options *opt,
                        size_t *units_written, sl_error *err)
{
    static const sl_tmx_options defaults = {NULL, NULL, false};
    if (!tm || !path)
        return sl_error_set(err, SL_USAGE, "sl_tmx_export: no TM or path given");
    if (!opt)
        opt = &defaults;
    if ((opt->src_lang == NULL) != (opt->tgt_lang == NULL))
        return sl_error_set(err, SL_USAGE, "give both the source and the target language, or neither");
    size_t units = 0;
    if (units_written)
        *units_written = 0;
    if (strcmp(path, "-") == 0) {
        sl_status st = write_to_fd(tm, STDOUT_FILENO, "<stdout>", opt, &units, err);
        if (st == SL_OK && units_written)
            *units_written = units;
        return st;
    }

    /* Renaming a finished temporary file over a device or a FIFO would
     * replace it (as root, even /dev/null): those are written in place.  A
     * symbolic link stays a link; the file it points to is replaced. */
    struct stat sb;
    if (stat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return sl_error_set(err, SL_IO, "%s: is a directory (give a file name for the TMX)",
                                path);
        if (!S_ISREG(sb.st_mode))
            return export_in_place(tm, path, opt, units_written, err);
    }
    char *real = NULL;
    if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) && (real = realpath(path, NULL)))
        path = real;
    sl_status st = export_replacing(tm, path, opt, units_written, err);
    free(real);
    return st;
}

/* Write a regular file through a temporary file beside it and a rename. */
static sl_status export_replacing(sl_tm *tm, const char *path, const sl_tmx_options *opt,
                                  size_t *units_written, sl_error *err)
{
    size_t units = 0;
    sl__buf tmp = SL__BUF_INIT;
    if (!sl__buf_printf(&tmp, "%s.tmp-XXXXXX", path))
        return sl__nomem(err);
    int fd = mkstemp(tmp.data);
    if (fd < 0) {
        sl_status st = sl_error_set(err, SL_IO, "%s: cannot create a temporary file beside it: %s",
                                    path, strerror(errno));
        sl__buf_free(&tmp);
        return st;
    }
    /* mkstemp makes the file 0600; give it the mode a plain create would. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);

    sl_status st = write_to_fd(tm, fd, path, opt, &units, err);
    if (st == SL_OK && fsync(fd) != 0)
        st = sl_error_set(err, SL_IO, "%s: cannot sync the file to disk: %s", path, strerror(errno));
    if (close(fd) != 0 && st == SL_OK)
        st = sl_error_set(err, SL_IO, "%s: cannot close the file: %s", path, strerror(errno));
    if (st == SL_OK && rename(tmp.data, path) != 0)
        st = sl_error_set(err, SL_IO, "%s: cannot move the finished file into place: %s", path,
                          strerror(errno));
    if (st != SL_OK)
        unlink(tmp.data);
    else {
        sync_dir_of(path);
        if (units_written)
            *units_written = units;
    }
    sl__buf_free(&tmp);
    return st;
}

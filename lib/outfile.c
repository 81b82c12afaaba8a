/*
 * Writing a file so that it appears complete or not at all: a temporary
 * file beside the target, fsync, rename.  Targets that renaming would
 * replace wrongly are handled apart: a device (/dev/null) or a FIFO is
 * written in place, a symbolic link is followed so the link stays.
 */
#include "internal.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The same file, or, when b does not exist yet, the same name in the same
 * directory. */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    const char *na = strrchr(a, '/'), *nb = strrchr(b, '/');
    const char *ba = na ? na + 1 : a, *bb = nb ? nb + 1 : b;
    if (strcmp(ba, bb) != 0)
        return false;
    char da[4096], db[4096];
    snprintf(da, sizeof da, "%.*s", na ? (int)(na - a) + 1 : 1, na ? a : ".");
    snprintf(db, sizeof db, "%.*s", nb ? (int)(nb - b) + 1 : 1, nb ? b : ".");
    return stat(da, &sa) == 0 && stat(db, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Refuses path when it is the TM or one of the files SQLite keeps beside
 * it (a TMX renamed over the -wal would be deleted when the TM closes, or
 * read by SQLite as its own). */
sl_status sl__refuse_tm_file(const char *path, const char *tm_path, sl_error *err)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; tm_path && i < 4; i++) {
        char f[4200];
        if (snprintf(f, sizeof f, "%s%s", tm_path, suffix[i]) >= (int)sizeof f || !same_file(path, f))
            continue;
        if (i == 0)
            return sl_error_set(err, SL_USAGE, "%s: is the translation memory itself (give "
                                "another file name)", path);
        return sl_error_set(err, SL_USAGE, "%s: is a file SQLite keeps beside the translation "
                            "memory (give another file name)", path);
    }
    return SL_OK;
}

sl_status sl__outfile_open(sl__outfile *o, const char *path, sl_error *err)
{
    memset(o, 0, sizeof *o);
    o->fd = -1;
    o->name = path;
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        if (S_ISDIR(sb.st_mode))
            return sl_error_set(err, SL_IO, "%s: is a directory (give a file name)", path);
        o->fd = open(path, O_WRONLY | O_CLOEXEC);
        if (o->fd < 0)
            return sl_error_set(err, SL_IO, "%s: cannot open: %s", path, strerror(errno));
        return SL_OK;
    }
    const char *target = path;
    if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) && (o->real = realpath(path, NULL)))
        target = o->real;
    sl__buf tmp = SL__BUF_INIT;
    if (!sl__buf_printf(&tmp, "%s.tmp-XXXXXX", target))
        return sl__nomem(err);
    o->fd = mkstemp(tmp.data);
    if (o->fd < 0) {
        sl_status st = sl_error_set(err, SL_IO, "%s: cannot create a temporary file beside it: %s",
                                    path, strerror(errno));
        sl__buf_free(&tmp);
        free(o->real);
        o->real = NULL;
        return st;
    }
    o->tmp = sl__buf_detach(&tmp);
    /* mkstemp makes the file 0600; give it the mode a plain create would. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(o->fd, 0666 & ~mask) != 0) {
        sl_status st = sl_error_set(err, SL_IO, "%s: cannot set the file's permissions: %s", path,
                                    strerror(errno));
        sl__outfile_close(o, st, err);
        return st;
    }
    return SL_OK;
}

static void sync_dir_of(const char *path)
{
    char *dir = sl__strdup(path);
    if (!dir)
        return;
    char *slash = strrchr(dir, '/');
    const char *d = ".";
    if (slash) {
        if (slash == dir)
            slash[1] = '\0';
        else
            *slash = '\0';
        d = dir;
    }
    /* Best effort: the rename is what makes the file appear whole. */
    int fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

sl_status sl__outfile_close(sl__outfile *o, sl_status st, sl_error *err)
{
    if (o->fd >= 0) {
        if (st == SL_OK && o->tmp && fsync(o->fd) != 0)
            st = sl_error_set(err, SL_IO, "%s: cannot sync the file to disk: %s", o->name,
                              strerror(errno));
        if (close(o->fd) != 0 && st == SL_OK)
            st = sl_error_set(err, SL_IO, "%s: cannot close the file: %s", o->name,
                              strerror(errno));
        o->fd = -1;
    }
    if (o->tmp) {
        const char *target = o->real ? o->real : o->name;
        if (st == SL_OK && rename(o->tmp, target) != 0)
            st = sl_error_set(err, SL_IO, "%s: cannot move the finished file into place: %s",
                              o->name, strerror(errno));
        if (st != SL_OK)
            unlink(o->tmp);
        else
            sync_dir_of(target);
    }
    free(o->tmp);
    free(o->real);
    o->tmp = o->real = NULL;
    return st;
}

sl_status sl_file_write(const char *path, sl_write_fn write, void *ctx, sl_error *err)
{
    if (!path || !write)
        return sl_error_set(err, SL_USAGE, "sl_file_write: missing argument");
    sl__outfile o;
    sl_status st = sl__outfile_open(&o, path, err);
    if (st != SL_OK)
        return st;
    /* a FILE on a duplicate, so that closing it leaves o.fd for the sync */
    int fd = dup(o.fd);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        st = sl_error_set(err, SL_IO, "%s: cannot write: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
    } else {
        errno = 0;
        bool ok = write(f, ctx) && fflush(f) == 0 && !ferror(f);
        int saved = errno;
        if (fclose(f) != 0 && ok) {
            ok = false;
            saved = errno;
        }
        if (!ok)
            st = sl_error_set(err, SL_IO, "%s: cannot write: %s", path,
                              saved ? strerror(saved) : "write error");
    }
    return sl__outfile_close(&o, st, err);
}

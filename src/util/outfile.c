/*
 * outfile.c: writing a file whole or not at all (see outfile.h).
 *
 * Stage: utilities, used by the backends and the commands. It never decides what is written,
 * only how. The facts that shaped it: a clerk's `render -o` may name an existing PDF (kept
 * whole until the new one is complete, with its permissions), a symlink, or /dev/stdout (which
 * a rename would replace by a plain file, as root); a run may be killed at any moment (its
 * temporary must be recognisable as abandoned by the next run, which a name cannot tell but a
 * lock held by the living writer can); and file names of units come near the 255-byte limit,
 * so a temporary's name may not grow with the name of the file it becomes.
 */
#define _GNU_SOURCE /* strerror_r (GNU), O_CLOEXEC */
#include "outfile.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static void file_error(bp_diags *diags, const char *path, const char *what, int error)
{
    char buffer[256];
    const char *reason = strerror_r(error, buffer, sizeof buffer);
    bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL, "%s: %s", what, reason);
}

/* The process's umask, read without changing it (umask(2) can only set it, which would race
 * with other threads creating files): Linux shows it in /proc/self/status. 022 if unknown. */
static mode_t current_umask(void)
{
    mode_t mask = 022;
    FILE *status = fopen("/proc/self/status", "r");
    if (!status)
        return mask;
    char line[256];
    while (fgets(line, sizeof line, status))
        if (strncmp(line, "Umask:", 6) == 0) {
            mask = (mode_t)strtoul(line + 6, NULL, 8);
            break;
        }
    fclose(status);
    return mask;
}

/* The folder part of path ("." when it has none), malloc'd. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

static const char *last_component(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* "FOLDER/.budgetpress-XXXXXX" beside target, so that the final rename stays in one file
 * system and is atomic; the leading dot keeps the unfinished file out of casual listings. */
static char *temp_template(const char *target)
{
    char *folder = folder_of(target);
    if (!folder)
        return NULL;
    size_t size = strlen(folder) + sizeof "/" BP_OUTFILE_TEMP_PREFIX "XXXXXX";
    char *tmpl = malloc(size);
    if (tmpl)
        snprintf(tmpl, size, "%s/%sXXXXXX", folder, BP_OUTFILE_TEMP_PREFIX);
    free(folder);
    return tmpl;
}

/* Opens a file that can only be written through: standard output, a device, a FIFO. */
static int open_through(bp_outfile *out, const char *path, const char *what, bp_diags *diags)
{
    if (strcmp(path, "-") == 0) {
        out->fd = STDOUT_FILENO;
        return 0;
    }
    out->fd = open(path, O_WRONLY | O_CLOEXEC);
    if (out->fd < 0) {
        char message[128];
        snprintf(message, sizeof message, "cannot open %s for writing", what);
        file_error(diags, path, message, errno);
        return -1;
    }
    return 0;
}

/* The new file takes the old one's permissions and, where allowed, its owner; a new file gets
 * what the umask leaves of 0666, as if the user had created it. */
static void set_mode(int fd, const struct stat *old)
{
    if (old) {
        if (fchown(fd, old->st_uid, old->st_gid) != 0) {
            /* Only root may give a file away; the permissions still follow. */
        }
        fchmod(fd, old->st_mode & 07777);
    } else {
        fchmod(fd, 0666 & ~current_umask());
    }
}

static int open_temporary(bp_outfile *out, const struct stat *old, const char *what,
                          bp_diags *diags)
{
    out->temp = temp_template(out->target);
    if (!out->temp) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, out->path, 0, 0, NULL, "out of memory");
        return -1;
    }
    out->fd = mkostemp(out->temp, O_CLOEXEC);
    if (out->fd < 0) {
        char message[128];
        snprintf(message, sizeof message, "cannot create a temporary file beside %s", what);
        file_error(diags, out->path, message, errno);
        free(out->temp);
        out->temp = NULL;
        return -1;
    }
    /* Held until the file is renamed into place: while it is held, the writer is alive. */
    flock(out->fd, LOCK_EX);
    set_mode(out->fd, old);
    return 0;
}

int bp_outfile_open(bp_outfile *out, const char *path, const char *what, bp_diags *diags)
{
    *out = (bp_outfile){.fd = -1, .path = path};
    struct stat st;
    bool exists = strcmp(path, "-") != 0 && stat(path, &st) == 0;
    if (strcmp(path, "-") == 0 || (exists && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)))
        return open_through(out, path, what, diags);
    if (exists && S_ISDIR(st.st_mode)) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL,
                     "is a folder; name a file to write %s to", what);
        return -1;
    }
    /* A symlink to a file: the file is replaced and the link kept. */
    out->target = exists ? realpath(path, NULL) : strdup(path);
    if (!out->target) {
        file_error(diags, path, "cannot resolve the output's name", errno);
        return -1;
    }
    if (open_temporary(out, exists ? &st : NULL, what, diags) != 0) {
        free(out->target);
        out->target = NULL;
        return -1;
    }
    return 0;
}

int bp_outfile_write(void *ctx, const void *data, size_t size)
{
    bp_outfile *out = ctx;
    const char *p = data;
    if (out->error)
        return -1;
    while (size > 0) {
        ssize_t n = write(out->fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            out->error = n < 0 ? errno : EIO;
            return -1;
        }
        p += n;
        size -= (size_t)n;
    }
    return 0;
}

FILE *bp_outfile_stream(bp_outfile *out)
{
    int fd = dup(out->fd);
    FILE *stream = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!stream && fd >= 0)
        close(fd);
    return stream;
}

void bp_outfile_end_stream(bp_outfile *out, FILE *stream)
{
    bool failed = ferror(stream) != 0;
    errno = 0;
    if ((fclose(stream) != 0 || failed) && !out->error)
        out->error = errno ? errno : EIO;
}

/* Makes a rename in path's folder durable. A failure leaves a complete file in place, so it
 * is not an error. */
static void sync_folder_of(const char *path)
{
    char *folder = folder_of(path);
    int fd = folder ? open(folder, O_RDONLY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(folder);
}

static void close_file(bp_outfile *out)
{
    if (out->fd >= 0 && out->fd != STDOUT_FILENO)
        close(out->fd);
    out->fd = -1;
    free(out->target);
    free(out->temp);
    out->target = out->temp = NULL;
}

int bp_outfile_commit(bp_outfile *out, const char *what, bp_diags *diags)
{
    assert(out->fd >= 0);
    assert(!out->temp || out->target); /* a temporary is always beside a target */
    char message[128];
    snprintf(message, sizeof message, "cannot write %s", what);
    if (out->error) {
        file_error(diags, out->path, message, out->error);
        bp_outfile_abort(out);
        return -1;
    }
    if (!out->temp) {
        int rc = out->fd != STDOUT_FILENO && close(out->fd) != 0 ? -1 : 0;
        if (rc != 0)
            file_error(diags, out->path, message, errno);
        out->fd = -1;
        close_file(out);
        return rc;
    }
    if (fsync(out->fd) != 0) {
        file_error(diags, out->path, message, errno);
        bp_outfile_abort(out);
        return -1;
    }
    if (rename(out->temp, out->target) != 0) {
        snprintf(message, sizeof message, "cannot move the finished %s into place", what);
        file_error(diags, out->path, message, errno);
        bp_outfile_abort(out);
        return -1;
    }
    sync_folder_of(out->target);
    close_file(out); /* the lock goes only now, after the rename */
    return 0;
}

void bp_outfile_abort(bp_outfile *out)
{
    if (!out)
        return;
    if (out->temp)
        unlink(out->temp);
    close_file(out);
}

/* ---- Removing what dead runs left ---- */

static bool is_temporary_name(const char *name)
{
    size_t prefix = strlen(BP_OUTFILE_TEMP_PREFIX);
    return strncmp(name, BP_OUTFILE_TEMP_PREFIX, prefix) == 0 && strlen(name) == prefix + 6;
}

/* Removes one temporary if its writer is gone: its lock can be taken, and the name still
 * names the file locked (not a newer one made in between). */
static bool remove_if_abandoned(int dir_fd, const char *name)
{
    int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool removed = false;
    struct stat held, named;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &held) == 0 &&
        fstatat(dir_fd, name, &named, AT_SYMLINK_NOFOLLOW) == 0 && held.st_dev == named.st_dev &&
        held.st_ino == named.st_ino && S_ISREG(held.st_mode))
        removed = unlinkat(dir_fd, name, 0) == 0;
    close(fd);
    return removed;
}

size_t bp_outfile_sweep(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t removed = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (is_temporary_name(e->d_name) && remove_if_abandoned(dirfd(d), e->d_name))
            removed++;
    closedir(d);
    return removed;
}

size_t bp_outfile_sweep_beside(const char *path)
{
    char *target = realpath(path, NULL);
    char *folder = folder_of(target ? target : path);
    size_t removed = folder ? bp_outfile_sweep(folder) : 0;
    free(folder);
    free(target);
    return removed;
}

/* ---- One writer per folder ---- */

static void read_owner(int fd, char *other, size_t size)
{
    if (size == 0)
        return;
    ssize_t n = pread(fd, other, size - 1, 0);
    other[n > 0 ? (size_t)n : 0] = '\0';
    other[strcspn(other, "\n")] = '\0';
}

int bp_folder_lock_take(bp_folder_lock *lock, const char *dir, const char *owner, char *other,
                        size_t other_size)
{
    lock->fd = -1;
    size_t size = strlen(dir) + sizeof "/.budgetpress.lock";
    lock->path = malloc(size);
    if (!lock->path)
        return -1;
    snprintf(lock->path, size, "%s/.budgetpress.lock", dir);
    /* The holder removes the file when it is done: a lock taken on a file that has just been
     * removed is no lock, so the name must still name the file locked, else try again. */
    for (int attempt = 0; attempt < 100; attempt++) {
        int fd = open(lock->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            break;
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int error = errno;
            read_owner(fd, other, other_size);
            close(fd);
            if (error != EWOULDBLOCK)
                break;
            free(lock->path);
            lock->path = NULL;
            return 1;
        }
        struct stat held, named;
        if (fstat(fd, &held) == 0 && stat(lock->path, &named) == 0 && held.st_ino == named.st_ino &&
            held.st_dev == named.st_dev) {
            char line[1024];
            int n = snprintf(line, sizeof line, "%s\n", owner);
            if (ftruncate(fd, 0) != 0 || pwrite(fd, line, (size_t)n, 0) != n) {
                /* The lock holds without its line; the other run is only told less. */
            }
            lock->fd = fd;
            return 0;
        }
        close(fd);
    }
    free(lock->path);
    lock->path = NULL;
    return -1;
}

void bp_folder_lock_release(bp_folder_lock *lock)
{
    if (lock->fd >= 0) {
        unlink(lock->path);
        close(lock->fd);
    }
    lock->fd = -1;
    free(lock->path);
    lock->path = NULL;
}

/* ---- File identities ---- */

int bp_file_id_get(const char *path, bp_file_id *id)
{
    *id = (bp_file_id){0};
    if (strcmp(path, "-") == 0)
        return -1;
    struct stat st;
    if (stat(path, &st) == 0) {
        id->dev = st.st_dev;
        id->ino = st.st_ino;
        id->exists = true;
        id->regular = S_ISREG(st.st_mode);
        return 0;
    }
    char *folder = folder_of(path);
    int rc = folder && stat(folder, &st) == 0 ? 0 : -1;
    free(folder);
    if (rc == 0) {
        id->dev = st.st_dev;
        id->ino = st.st_ino;
        id->name = last_component(path);
    }
    return rc;
}

bool bp_file_id_same(const bp_file_id *a, const bp_file_id *b)
{
    if (a->exists != b->exists || a->dev != b->dev || a->ino != b->ino)
        return false;
    return a->exists || strcmp(a->name, b->name) == 0;
}

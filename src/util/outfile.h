/*
 * outfile.h: how every command writes a file: whole or not at all, never over one of its
 * inputs, never replacing what is not a plain file.
 *
 * A regular file (or a new one) is written to a hidden temporary beside it, made durable and
 * renamed over it, so the old file stays whole until the new one is complete; the new file
 * keeps the old one's permissions. A symlink to a regular file is followed and its target
 * replaced, the link kept. Standard output ("-"), a device, a FIFO or a symlink to one is
 * written through: such a file cannot be replaced, only written (renaming over /dev/stdout
 * would turn the device link into a plain file).
 *
 * Every temporary holds an advisory lock (flock) for as long as its writer lives, so
 * bp_outfile_sweep can tell the temporaries of a run that died (killed, power lost) from those
 * of a run still writing, and removes only the former.
 *
 * A bp_outfile belongs to one thread. No global state.
 */
#ifndef BP_OUTFILE_H
#define BP_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

#include "budgetpress/diag.h"

/* Every temporary is named ".budgetpress-XXXXXX" (six random characters), whatever the name
 * of the file it becomes: a name near the file-name limit still gets one. */
#define BP_OUTFILE_TEMP_PREFIX ".budgetpress-"

typedef struct bp_outfile {
    int fd;           /* -1 when not open */
    const char *path; /* as the user named it, for messages (not copied) */
    char *target;     /* where the file goes, symlinks resolved (malloc'd); NULL for "-" */
    char *temp;       /* the temporary beside target; NULL when written through */
    int error;        /* errno of the first failed write, 0 when none */
} bp_outfile;

/* Opens path for writing ("-" is standard output). Returns 0, or -1 with a diagnostic naming
 * path; nothing is created then. `what` names the file in messages ("the PDF"). */
int bp_outfile_open(bp_outfile *out, const char *path, const char *what, bp_diags *diags);

/* Writes size bytes; ctx is the bp_outfile (the signature of bp_write_fn). Returns 0, or -1
 * with out->error set; later writes are refused. */
int bp_outfile_write(void *ctx, const void *data, size_t size);

/* A stdio stream over the file, for writers that print; close it with bp_outfile_end_stream
 * before the commit. NULL when out of memory. */
FILE *bp_outfile_stream(bp_outfile *out);
/* Closes such a stream; a write that failed through it (a full disk) is recorded in
 * out->error, for the commit to report. */
void bp_outfile_end_stream(bp_outfile *out, FILE *stream);

/* Makes the file durable and moves it into place (a written-through file is only closed).
 * Returns 0, or -1 with a diagnostic, the temporary removed and the old file untouched.
 * Either way the bp_outfile is closed. */
int bp_outfile_commit(bp_outfile *out, const char *what, bp_diags *diags);

/* Abandons the file: the temporary is removed, the old file untouched. NULL-safe and safe on
 * a closed bp_outfile. */
void bp_outfile_abort(bp_outfile *out);

/* Removes from dir the temporaries whose writer is gone (its lock is free). Returns how many. */
size_t bp_outfile_sweep(const char *dir);
/* The same for the folder a file named path would be written to (its symlink's target's). */
size_t bp_outfile_sweep_beside(const char *path);

/* ---- One writer per folder ----
 * A batch run owns its output folder: a second run into it would remove or replace the
 * first's files under it. The lock is FOLDER/.budgetpress.lock, locked with flock for as long
 * as its run lives (a killed run's lock is free at once), holding one line that says who. */
typedef struct bp_folder_lock {
    int fd;     /* -1 when not held */
    char *path; /* the lock file (malloc'd) */
} bp_folder_lock;

/* Takes the lock of dir, writing `owner` (one line: who, since when) into it. Returns 0; 1 when
 * a living run holds it (its line copied into other, "" when it has not written it yet); -1
 * when the lock file cannot be made (errno says why). */
int bp_folder_lock_take(bp_folder_lock *lock, const char *dir, const char *owner, char *other,
                        size_t other_size);
/* Removes the lock file and releases the lock. Safe on a lock not held. */
void bp_folder_lock_release(bp_folder_lock *lock);

/* ---- Inputs and outputs that are the same file ----
 * A file's identity is its device and inode, not its name: "unit.json", "./unit.json", a hard
 * link and a symlink to it are one file. A file that does not exist yet is identified by its
 * folder's identity and its name. */
typedef struct bp_file_id {
    dev_t dev;
    ino_t ino;
    const char *name; /* for a file that does not exist: its last component; else NULL */
    bool exists;
    bool regular; /* exists and is a regular file (after following symlinks) */
} bp_file_id;

/* Fills id for path; -1 when neither the file nor its folder can be found ("-" included). */
int bp_file_id_get(const char *path, bp_file_id *id);
/* Whether two identities are one file. */
bool bp_file_id_same(const bp_file_id *a, const bp_file_id *b);

#endif

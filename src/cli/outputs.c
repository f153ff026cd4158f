/*
 * outputs.c: the check every writing command makes before any work: no output is one of its
 * inputs, and no two outputs are one file.
 *
 * The fact that shaped it: `render unit.json -o unit.json` once replaced a clerk's only copy
 * of the unit with the PDF and said "wrote unit.json". Names cannot tell ("./unit.json", a
 * hard link, a symlink), so files are compared by device and inode (outfile.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/outfile.h"
#include "cli.h"

static int refuse_input(const char *command, const bp_cli_file *out, const bp_cli_file *in)
{
    fprintf(stderr,
            "budgetpress %s: %s %s is %s %s: writing there would destroy it; choose another "
            "output\n",
            command, out->kind, out->path, in->kind, in->path);
    return -1;
}

static int refuse_pair(const char *command, const bp_cli_file *a, const bp_cli_file *b)
{
    fprintf(stderr, "budgetpress %s: %s %s and %s %s are the same file; choose two outputs\n",
            command, a->kind, a->path, b->kind, b->path);
    return -1;
}

/* A path's identity, or why it has none: standard output, or a file whose folder does not
 * exist (the write will say so). */
typedef struct known_file {
    bp_file_id id;
    bool known;
    bool is_stdout;
} known_file;

static known_file identify(const bp_cli_file *f)
{
    known_file k = {.is_stdout = strcmp(f->path, "-") == 0};
    k.known = !k.is_stdout && bp_file_id_get(f->path, &k.id) == 0;
    return k;
}

/* Whether an output is one file with an earlier one: standard output twice, or one regular
 * (or new) file twice. A device such as /dev/null can take any number of outputs. */
static bool same_output(const known_file *a, const known_file *b)
{
    if (a->is_stdout || b->is_stdout)
        return a->is_stdout && b->is_stdout;
    bool devices = (a->id.exists && !a->id.regular) || (b->id.exists && !b->id.regular);
    return a->known && b->known && !devices && bp_file_id_same(&a->id, &b->id);
}

int bp_cli_check_outputs(const char *command, const bp_cli_file *inputs, size_t input_count,
                         const bp_cli_file *outputs, size_t output_count)
{
    known_file *in = calloc(input_count + 1, sizeof *in);
    known_file *out = calloc(output_count + 1, sizeof *out);
    int rc = in && out ? 0 : -1;
    if (rc != 0)
        fprintf(stderr, "budgetpress %s: out of memory\n", command);
    for (size_t i = 0; rc == 0 && i < input_count; i++)
        in[i] = identify(&inputs[i]);
    for (size_t o = 0; rc == 0 && o < output_count; o++) {
        out[o] = identify(&outputs[o]);
        for (size_t i = 0; rc == 0 && out[o].known && i < input_count; i++)
            if (in[i].known && in[i].id.exists && bp_file_id_same(&out[o].id, &in[i].id))
                rc = refuse_input(command, &outputs[o], &inputs[i]);
        for (size_t p = 0; rc == 0 && p < o; p++)
            if (same_output(&out[p], &out[o]))
                rc = refuse_pair(command, &outputs[p], &outputs[o]);
    }
    free(in);
    free(out);
    return rc;
}

int bp_cli_write_whole(const char *path, const char *command, const char *what,
                       int (*body)(FILE *out, const void *ctx), const void *ctx)
{
    bp_diags diags = BP_DIAGS_INIT;
    bp_outfile file;
    int rc = bp_outfile_open(&file, path, what, &diags);
    FILE *out = rc == 0 ? bp_outfile_stream(&file) : NULL;
    if (rc == 0 && !out) {
        bp_outfile_abort(&file);
        bp_diags_add(&diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL, "out of memory");
        rc = -1;
    }
    if (out) {
        int made = body(out, ctx);
        bp_outfile_end_stream(&file, out);
        if (made != 0 && !file.error)
            file.error = ENOMEM; /* not a failed write: the report could not be made */
        rc = bp_outfile_commit(&file, what, &diags);
    }
    for (size_t i = 0; i < diags.count; i++) {
        fprintf(stderr, "budgetpress %s: ", command);
        bp_diag_print(stderr, &diags.items[i]);
    }
    bp_diags_clear(&diags);
    return rc;
}

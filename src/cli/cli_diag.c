/*
 * cli_diag.c: diagnostics as the commands hand them on: as the one line `check` prints, and as
 * a JSON object for machines (check --json, batch's report.json). Both come from the same
 * bp_diag, so the line a clerk reads and the record a script reads never disagree.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

char *bp_cli_diag_line(const bp_diag *diag)
{
    char *line = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&line, &size);
    if (!out)
        return NULL;
    bp_diag_print(out, diag);
    if (fclose(out) != 0) {
        free(line);
        return NULL;
    }
    if (size > 0 && line[size - 1] == '\n')
        line[size - 1] = '\0';
    return line;
}

json_t *bp_cli_diag_json(const bp_diag *diag)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "severity",
                        json_string(diag->severity == BP_SEVERITY_ERROR ? "error" : "warning"));
    json_object_set_new(o, "rule", diag->rule ? json_string(diag->rule) : json_null());
    json_object_set_new(o, "file", diag->file ? json_string(diag->file) : json_null());
    if (diag->line > 0) {
        json_object_set_new(o, "line", json_integer(diag->line));
        json_object_set_new(o, "column", json_integer(diag->column));
    }
    json_object_set_new(o, "path", diag->path ? json_string(diag->path) : json_null());
    json_object_set_new(o, "message", json_string(diag->message));
    char *line = bp_cli_diag_line(diag);
    json_object_set_new(o, "text", line ? json_string(line) : json_null());
    free(line);
    return o;
}

json_t *bp_cli_diags_json(const bp_diags *diags)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < diags->count; i++)
        json_array_append_new(a, bp_cli_diag_json(&diags->items[i]));
    return a;
}

/*
 * diag.c: the diagnostics list (see diag.h).
 */
#include "budgetpress/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static char *dup_or_null(const char *s, bool *failed)
{
    if (!s)
        return NULL;
    char *copy = strdup(s);
    if (!copy)
        *failed = true;
    return copy;
}

static bool diags_reserve(bp_diags *diags)
{
    bp_diag *items = bp_grow(diags->items, &diags->capacity, diags->count + 1, sizeof *items, 16);
    if (!items)
        return false;
    diags->items = items;
    return true;
}

void bp_diags_add(bp_diags *diags, bp_severity severity, const char *rule, const char *file,
                  int line, int column, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bp_diags_vadd(diags, severity, rule, file, line, column, path, fmt, ap);
    va_end(ap);
}

void bp_diags_add_copy(bp_diags *diags, const bp_diag *d)
{
    bp_diags_add(diags, d->severity, d->rule, d->file, d->line, d->column, d->path, "%s",
                 d->message);
}

void bp_diags_vadd(bp_diags *diags, bp_severity severity, const char *rule, const char *file,
                   int line, int column, const char *path, const char *fmt, va_list ap)
{
    if (!diags_reserve(diags)) {
        diags->out_of_memory = true;
        return;
    }
    bp_strbuf message = BP_STRBUF_INIT;
    bp_strbuf_vprintf(&message, fmt, ap);

    bool failed = false;
    bp_diag d = {
        .severity = severity,
        .rule = rule,
        .file = dup_or_null(file, &failed),
        .line = line,
        .column = column,
        .path = dup_or_null(path, &failed),
        .message = bp_strbuf_take(&message),
    };
    if (failed || !d.message) {
        free(d.file);
        free(d.path);
        free(d.message);
        diags->out_of_memory = true;
        return;
    }
    diags->items[diags->count++] = d;
}

size_t bp_diags_count(const bp_diags *diags, bp_severity severity)
{
    size_t n = 0;
    for (size_t i = 0; i < diags->count; i++)
        if (diags->items[i].severity == severity)
            n++;
    return n;
}

void bp_diags_clear(bp_diags *diags)
{
    for (size_t i = 0; i < diags->count; i++) {
        free(diags->items[i].file);
        free(diags->items[i].path);
        free(diags->items[i].message);
    }
    free(diags->items);
    *diags = (bp_diags)BP_DIAGS_INIT;
}

void bp_diag_print(FILE *out, const bp_diag *d)
{
    const char *file = d->file ? d->file : "<input>";
    const char *word = d->severity == BP_SEVERITY_ERROR ? "error" : "warning";
    if (d->rule) {
        fprintf(out, "%s: %c-%s %s%s%s\n", file, d->severity == BP_SEVERITY_ERROR ? 'E' : 'W',
                d->rule, d->path ? d->path : "", d->path ? ": " : "", d->message);
    } else if (d->line > 0) {
        fprintf(out, "%s:%d:%d: %s: %s\n", file, d->line, d->column, word, d->message);
    } else {
        fprintf(out, "%s: %s: %s%s%s\n", file, word, d->path ? d->path : "", d->path ? ": " : "",
                d->message);
    }
}

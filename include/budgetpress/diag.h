/*
 * diag.h: diagnostics, the one way budgetpress tells a user what is wrong with an input.
 *
 * Every stage collects all the problems it finds into a bp_diags list instead of stopping at
 * the first, so a clerk fixes a file in one round. A diagnostic says where (file, and line and
 * column for syntax, or the JSON path for content), what was expected and what was found.
 *
 * A bp_diags list belongs to one thread at a time.
 */
#ifndef BUDGETPRESS_DIAG_H
#define BUDGETPRESS_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common.h"

typedef enum bp_severity {
    BP_SEVERITY_ERROR,   /* the input is wrong; rendering it would publish something wrong */
    BP_SEVERITY_WARNING, /* worth a look; the document can still be rendered */
} bp_severity;

typedef struct bp_diag {
    bp_severity severity;
    const char *rule; /* short rule id such as "ORDER" for checks; NULL for load errors */
    char *file;       /* the input's name as the user gave it; may be NULL */
    int line;         /* 1-based; 0 when unknown */
    int column;       /* 1-based; 0 when unknown */
    char *path;       /* JSON path such as "tables.expense_summary.rows[4]"; may be NULL */
    char *message;    /* what is wrong, in one line */
} bp_diag;

typedef struct bp_diags {
    bp_diag *items;
    size_t count;
    size_t capacity;
    bool out_of_memory; /* a diagnostic could not be recorded: the list is incomplete */
} bp_diags;

#define BP_DIAGS_INIT                                                                              \
    {                                                                                              \
        NULL, 0, 0, false                                                                          \
    }

/* Appends a diagnostic; strings are copied. On allocation failure sets out_of_memory. */
BP_API void bp_diags_add(bp_diags *diags, bp_severity severity, const char *rule, const char *file,
                         int line, int column, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
/* The same with a va_list, for callers that wrap bp_diags_add with their own context. */
BP_API void bp_diags_vadd(bp_diags *diags, bp_severity severity, const char *rule, const char *file,
                          int line, int column, const char *path, const char *fmt, va_list ap)
    __attribute__((format(printf, 8, 0)));
/* Appends a copy of d (from another list, say one a thread filled). */
BP_API void bp_diags_add_copy(bp_diags *diags, const bp_diag *d);
/* Number of diagnostics of the given severity. */
BP_API size_t bp_diags_count(const bp_diags *diags, bp_severity severity);
/* Frees every diagnostic and empties the list; the list can be reused. */
BP_API void bp_diags_clear(bp_diags *diags);

/* Prints one diagnostic on one line:
 *   file:line:column: error: message            (syntax)
 *   file: error: path: message                  (content)
 *   file: E-RULE path: message                  (check findings; W- for warnings) */
BP_API void bp_diag_print(FILE *out, const bp_diag *diag);

#endif

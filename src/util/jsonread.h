/*
 * jsonread.h: helpers for reading user-written JSON (units, layouts) with diagnostics that name
 * the JSON path, what was expected and what was found. A bp_jreader belongs to one read.
 */
#ifndef BP_JSONREAD_H
#define BP_JSONREAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "budgetpress/diag.h"
#include "util.h"

typedef struct bp_jreader {
    bp_diags *diags;    /* where problems go */
    const char *file;   /* for messages */
    bp_strbuf path;     /* JSON path of the value being read */
    size_t errors;      /* problems found so far */
    bool out_of_memory; /* an allocation failed during the read */
} bp_jreader;

/* Extends the path by ".key" or "[index]"; returns the mark to pop back to. */
size_t bp_jr_push_key(bp_jreader *jr, const char *key);
size_t bp_jr_push_index(bp_jreader *jr, size_t index);
void bp_jr_pop(bp_jreader *jr, size_t mark);

/* Reports a problem at the current path. */
void bp_jr_report(bp_jreader *jr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reports "expected EXPECTED, found <the value>" at the current path. */
void bp_jr_expected(bp_jreader *jr, const char *expected, const json_t *found);
/* Reports each key of obj that is not allowed, suggesting the nearest allowed spelling. */
void bp_jr_check_keys(bp_jreader *jr, json_t *obj, const char *const *allowed, size_t n);
/* obj[key], null counting as absent; reports a missing required key, saying what belongs. */
json_t *bp_jr_member(bp_jreader *jr, json_t *obj, const char *key, bool required, const char *what);
/* True for an object; otherwise reports "expected WHAT". */
bool bp_jr_expect_object(bp_jreader *jr, json_t *v, const char *what);
/* obj[key] as true or false; `fallback` when absent or (reported) not a boolean. */
bool bp_jr_flag(bp_jreader *jr, json_t *obj, const char *key, bool fallback);
/* The index of v among the string choices, or -1 (reported). */
int bp_jr_choice(bp_jreader *jr, json_t *v, const char *const *choices, size_t n);
/* Adds jansson's syntax error as FILE:LINE:COLUMN, in plain words (no library jargon), with a
 * hint for files that are not UTF-8; size_of_input tells an empty file. */
void bp_jr_syntax_error(bp_diags *diags, const char *name, const json_error_t *error,
                        size_t size_of_input);
/* Parses a user's JSON file (a unit, a layout, the font catalog): a UTF-8 byte order mark is
 * skipped, a key given twice is an error, a syntax error is reported in plain words. NULL on
 * failure. */
json_t *bp_jr_parse(const char *data, size_t size, const char *name, bp_diags *diags);
/* Reads a whole file into content (NUL-terminated); 0, or -1 with a diagnostic. */
int bp_jr_read_file(const char *path, bp_strbuf *content, bp_diags *diags);

#endif

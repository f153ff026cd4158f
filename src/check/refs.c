/*
 * refs.c: the REF rule of `budgetpress check`: every figure a text names ({expense.total})
 * exists and is not blank in the tables.
 *
 * Stage: check. It asks the model to expand each text that may hold references and keeps only
 * the findings; it never prints or keeps the expanded text, and never changes the unit. The
 * fact that shaped it: typesetting expands the same texts and fails on the same references, so
 * check finds them first, all in one run, each with the JSON path of its text.
 */
#include "budgetpress/refs.h"

#include "check_int.h"

typedef struct ref_check {
    const bp_unit *unit;
    bp_diags *diags;
    size_t errors;
} ref_check;

static void check_text(void *ctx, const char *text, const char *path)
{
    ref_check *rc = ctx;
    size_t bad = 0;
    /* A dry run (no output buffer) still reports every bad reference. */
    bp_refs_expand(rc->unit, text, path, NULL, 0, rc->diags, &bad);
    rc->errors += bad;
}

size_t bp_check_refs(const bp_unit *unit, bp_diags *diags)
{
    ref_check rc = {unit, diags, 0};
    bp_refs_each_text(unit, check_text, &rc);
    return rc.errors;
}

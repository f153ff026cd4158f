/*
 * check_int.h: what the files of src/check/ share: each file's rules, run by bp_check_unit.
 */
#ifndef BP_CHECK_INT_H
#define BP_CHECK_INT_H

#include <stddef.h>

#include "budgetpress/diag.h"
#include "budgetpress/model.h"

/* REF: every figure the unit's text names resolves (refs.c). Returns the errors added. */
size_t bp_check_refs(const bp_unit *unit, bp_diags *diags);

#endif

/*
 * check.h: rules a loaded unit must satisfy before it is published.
 *
 * Loading (model.h) proves each value has the right form; checking proves the unit hangs
 * together. Each finding is a bp_diag with a rule id (CODE, ORDER, …), a severity, the JSON
 * path and a message that names the table, the row's code and name, and the numbers involved.
 * docs/checks.md lists every rule.
 *
 * Thread-safe: reads the unit only.
 */
#ifndef BUDGETPRESS_CHECK_H
#define BUDGETPRESS_CHECK_H

#include <stddef.h>

#include "common.h"
#include "diag.h"
#include "model.h"

/* Runs every rule on the unit, adding findings to diags. Returns the number of errors found
 * (warnings are added but not counted). */
BP_API size_t bp_check_unit(const bp_unit *unit, bp_diags *diags);

#endif

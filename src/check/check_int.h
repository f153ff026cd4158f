/*
 * check_int.h: what the files of src/check/ share: each file's rules, run by bp_check_unit.
 */
#ifndef BP_CHECK_INT_H
#define BP_CHECK_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "budgetpress/diag.h"
#include "budgetpress/model.h"

/* REF: every figure the unit's text names resolves (refs.c). Returns the errors added. */
size_t bp_check_refs(const bp_unit *unit, bp_diags *diags);

/* SUM, IDENTITY, THREE_PUBLIC, CROSS: the unit's arithmetic (arith.c). SUM skips a ledger
 * marked misshapen (a structure rule failed there, so parents are unknown). Returns the errors
 * added. */
size_t bp_check_arith(const bp_unit *unit, const bool misshapen[BP_TABLE__COUNT], bp_diags *diags);

/* FIGURE, LIST: figures typed into the text against the tables, and lists that claim to add
 * up to a total (narrative.c). Returns the errors added. */
size_t bp_check_narrative(const bp_unit *unit, bp_diags *diags);

/* VALUE: 指标值 cells of the 绩效目标表 that cannot be right (values.c). Returns the errors
 * added. */
size_t bp_check_indicator_values(const bp_unit *unit, bp_diags *diags);

/* An amount in hundredths as the messages write it ("-0.10"). */
static inline void bp_check_format_hundredths(int64_t v, char buf[BP_AMOUNT_FORMAT_MAX])
{
    bp_amount_format(bp_amount_from_hundredths(v), false, buf);
}

/* The rules of a unit's kind given as data (kind_rules.c): sums down its code scheme, the
 * identities it lists within a row or a side, equal figures across tables; W-ROUND where a
 * rounded table's residue is within the rounding of the parts. Returns the errors added. */
size_t bp_check_kind_rules(const bp_unit *unit, bp_diags *diags);

#endif

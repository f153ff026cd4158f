/*
 * amount.h: exact money amounts.
 *
 * An amount is an integer count of hundredths of the unit's money unit (万元 in the official
 * tables), so 847.45 万元 is 84745. Floats never hold money: sums must agree to the last digit
 * with what the tables print. A blank cell is a distinct value, not zero: the official tables
 * leave a column blank where a unit has no money in it, and "0.00" is printed only for a real 0.
 *
 * All functions are pure and thread-safe.
 */
#ifndef BUDGETPRESS_AMOUNT_H
#define BUDGETPRESS_AMOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

typedef struct bp_amount {
    int64_t hundredths; /* the value; BP_AMOUNT_BLANK_BITS marks a blank cell */
} bp_amount;

#define BP_AMOUNT_BLANK_BITS INT64_MIN
/* Largest magnitude an amount may have: 15 integer digits and two decimals. */
#define BP_AMOUNT_MAX_HUNDREDTHS INT64_C(99999999999999999)

static inline bp_amount bp_amount_blank(void)
{
    bp_amount a = {BP_AMOUNT_BLANK_BITS};
    return a;
}

static inline bp_amount bp_amount_from_hundredths(int64_t hundredths)
{
    bp_amount a = {hundredths};
    return a;
}

static inline bool bp_amount_is_blank(bp_amount a)
{
    return a.hundredths == BP_AMOUNT_BLANK_BITS;
}

/* Parses a decimal string such as "847.45", "31", "-3.4" (at most two decimals, at most 15
 * integer digits, an optional leading '-', nothing else). Returns true and stores the value on
 * success; returns false and leaves *out alone otherwise. */
BP_API bool bp_amount_parse(const char *s, size_t len, bp_amount *out);

/* Writes the amount with exactly two decimals ("847.45", "-0.10") into buf, or "" for a blank.
 * With thousands set, groups the integer digits ("1,002.70"). Returns the length written;
 * buf must hold BP_AMOUNT_FORMAT_MAX bytes. */
#define BP_AMOUNT_FORMAT_MAX 32
BP_API size_t bp_amount_format(bp_amount a, bool thousands, char *buf);

/* Adds b to *sum, treating a blank as nothing; the sum stays blank only while every term was
 * blank. Returns false (leaving *sum alone) if the result would exceed the amount range. */
BP_API bool bp_amount_accumulate(bp_amount *sum, bp_amount b);

/* True when both are blank or both hold the same value. */
static inline bool bp_amount_equal(bp_amount a, bp_amount b)
{
    return a.hundredths == b.hundredths;
}

#endif

/*
 * test_amount.c: exact amounts: strict parsing, two-decimal formatting, blank is not zero.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "budgetpress/amount.h"

static int64_t parse(const char *s)
{
    bp_amount a = bp_amount_blank();
    assert_true(bp_amount_parse(s, strlen(s), &a));
    return a.hundredths;
}

static void rejects(const char *s)
{
    bp_amount a = bp_amount_from_hundredths(42);
    assert_false(bp_amount_parse(s, strlen(s), &a));
    assert_int_equal(a.hundredths, 42); /* untouched on failure */
}

static void parses_decimal_strings_exactly(void **state)
{
    assert_int_equal(parse("847.45"), 84745);
    assert_int_equal(parse("0.55"), 55);
    assert_int_equal(parse("31"), 3100);
    assert_int_equal(parse("31.5"), 3150);
    assert_int_equal(parse("-3.40"), -340);
    assert_int_equal(parse("0.00"), 0);
    assert_int_equal(parse("999999999999999.99"), INT64_C(99999999999999999));
    /* 0.1 + 0.2 style float error cannot happen: each value is an integer of hundredths. */
    assert_int_equal(parse("0.10") + parse("0.20"), parse("0.30"));
}

static void rejects_what_a_clerk_mistyped(void **state)
{
    rejects("3l.00");
    rejects("31,00");
    rejects("1,002.70");
    rejects(" 31.00");
    rejects("31.00 ");
    rejects("31.");
    rejects(".5");
    rejects("1e3");
    rejects("31.005");
    rejects("+31");
    rejects("");
    rejects("-");
    rejects("1000000000000000"); /* 16 integer digits */
    rejects("３１");             /* full-width digits */
}

static void formats_two_decimals_and_blank(void **state)
{
    char buf[BP_AMOUNT_FORMAT_MAX];
    assert_int_equal(bp_amount_format(bp_amount_from_hundredths(84745), false, buf), 6);
    assert_string_equal(buf, "847.45");
    bp_amount_format(bp_amount_from_hundredths(5), false, buf);
    assert_string_equal(buf, "0.05");
    bp_amount_format(bp_amount_from_hundredths(-10), false, buf);
    assert_string_equal(buf, "-0.10");
    bp_amount_format(bp_amount_from_hundredths(0), false, buf);
    assert_string_equal(buf, "0.00");
    bp_amount_format(bp_amount_from_hundredths(100270), true, buf);
    assert_string_equal(buf, "1,002.70");
    bp_amount_format(bp_amount_from_hundredths(INT64_C(99999999999999999)), true, buf);
    assert_string_equal(buf, "999,999,999,999,999.99");
    bp_amount_format(bp_amount_from_hundredths(-123456789), true, buf);
    assert_string_equal(buf, "-1,234,567.89");
    assert_int_equal(bp_amount_format(bp_amount_blank(), false, buf), 0);
    assert_string_equal(buf, "");
}

static void blank_is_not_zero(void **state)
{
    bp_amount zero = bp_amount_from_hundredths(0);
    bp_amount blank = bp_amount_blank();
    assert_true(bp_amount_is_blank(blank));
    assert_false(bp_amount_is_blank(zero));
    assert_false(bp_amount_equal(zero, blank));

    /* Summing blanks stays blank; one real term makes it a number. */
    bp_amount sum = bp_amount_blank();
    assert_true(bp_amount_accumulate(&sum, blank));
    assert_true(bp_amount_is_blank(sum));
    assert_true(bp_amount_accumulate(&sum, bp_amount_from_hundredths(824)));
    assert_true(bp_amount_accumulate(&sum, bp_amount_from_hundredths(55)));
    assert_int_equal(sum.hundredths, 879);
    assert_true(bp_amount_accumulate(&sum, zero));
    assert_int_equal(sum.hundredths, 879);
}

static void accumulate_refuses_overflow(void **state)
{
    bp_amount sum = bp_amount_from_hundredths(BP_AMOUNT_MAX_HUNDREDTHS);
    assert_false(bp_amount_accumulate(&sum, bp_amount_from_hundredths(1)));
    assert_int_equal(sum.hundredths, BP_AMOUNT_MAX_HUNDREDTHS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_decimal_strings_exactly),
        cmocka_unit_test(rejects_what_a_clerk_mistyped),
        cmocka_unit_test(formats_two_decimals_and_blank),
        cmocka_unit_test(blank_is_not_zero),
        cmocka_unit_test(accumulate_refuses_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

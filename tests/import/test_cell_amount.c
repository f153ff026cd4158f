/*
 * test_cell_amount.c: a workbook cell read as an amount, exactly, with every quirk the budget
 * platforms' workbooks show, and the words a clerk reads when it is none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "budgetpress/import.h"

static bp_cell number(const char *v)
{
    return (bp_cell){.type = BP_CELL_NUMBER, .value = v};
}

static bp_cell text(const char *v)
{
    return (bp_cell){.type = BP_CELL_TEXT, .value = v};
}

/* The cell reads as `hundredths`. */
static void reads(bp_cell cell, int64_t hundredths)
{
    bp_amount a;
    char why[200];
    if (!bp_cell_amount(&cell, &a, why, sizeof why))
        fail_msg("\"%s\": refused: %s", cell.value, why);
    assert_false(bp_amount_is_blank(a));
    assert_int_equal(a.hundredths, hundredths);
}

/* The cell is refused with exactly `message`. */
static void refused(bp_cell cell, const char *message)
{
    bp_amount a = bp_amount_from_hundredths(12345);
    char why[200];
    assert_false(bp_cell_amount(&cell, &a, why, sizeof why));
    assert_string_equal(why, message);
    assert_int_equal(a.hundredths, 12345); /* left alone */
}

static void numbers_as_the_file_wrote_them(void **state)
{
    (void)state;
    reads(number("1204.5"), 120450);
    reads(number("0.1"), 10);
    reads(number("-3"), -300);
    reads(number("0"), 0);
    reads(number("12345678901234"), 1234567890123400);
    reads(number("1E+3"), 100000);
    reads(number("2.5e1"), 2500);
}

static void binary_noise_is_rounded_away(void **state)
{
    (void)state;
    reads(number("0.30000000000000004"), 30); /* 0.1 + 0.2 in a formula */
    reads(number("7.0000000000000009"), 700); /* a SUM's stored result */
    reads(number("2.9999999999999996"), 300); /* noise below */
    reads(number("-1204.4999999999998"), -120450);
    reads(number("1E-10"), 0);
}

static void a_third_decimal_is_a_question(void **state)
{
    (void)state;
    refused(number("1204.567"), "\"1204.567\" has more than two decimals: the tables print "
                                "hundredths");
    refused(number("1E-3"), "\"1E-3\" has more than two decimals: the tables print hundredths");
    refused(number("1E+30"), "\"1E+30\" is too large for an amount");
}

static void texts_as_clerks_type_them(void **state)
{
    (void)state;
    reads(text("1,204.00"), 120400);
    reads(text(" 1 204.00 "), 120400);       /* spaces anywhere */
    reads(text("１，２０４．５０"), 120450); /* full-width */
    reads(text("(1,204.00)"), -120400);      /* a negative in parentheses */
    reads(text("（３．４）"), -340);
    reads(text("－12"), -1200);
    reads(text("\xe3\x80\x80"
               "847.45"),
          84745); /* an ideographic space */
    reads(text("1,234,567.8"), 123456780);
}

static void blank_is_not_zero(void **state)
{
    (void)state;
    bp_amount a;
    char why[200];
    assert_true(bp_cell_amount(NULL, &a, why, sizeof why));
    assert_true(bp_amount_is_blank(a));
    bp_cell spaces = text("  \xe3\x80\x80 ");
    assert_true(bp_cell_amount(&spaces, &a, why, sizeof why));
    assert_true(bp_amount_is_blank(a));
    reads(text("0.00"), 0);
}

static void what_a_clerk_reads(void **state)
{
    (void)state;
    refused(text("1,2O4.00"), "\"1,2O4.00\" is not an amount (a letter O among the digits)");
    refused(text("12l.5"), "\"12l.5\" is not an amount (a letter l among the digits)");
    refused(text("12.5%"), "\"12.5%\" is a percentage, not an amount");
    refused(text("12,34.00"), "\"12,34.00\" is not an amount (thousands separators every three "
                              "digits)");
    refused(text("1,2345"), "\"1,2345\" is not an amount (thousands separators every three "
                            "digits)");
    refused(text("约100"), "\"约100\" is not an amount (expected digits like 1,204.00)");
    refused(text("(12"), "\"(12\" is not an amount (expected digits like 1,204.00)");
    refused(text("1.2.3"), "\"1.2.3\" is not an amount (expected digits like 1,204.00)");
    refused(text("-"), "\"-\" is not an amount (expected digits like 1,204.00)");
    bp_cell formula = {.type = BP_CELL_NONE, .value = "", .formula = "SUM(D5:D9)"};
    refused(formula, "=SUM(D5:D9) has no stored result (open and save the workbook in Excel or "
                     "LibreOffice, which compute it)");
    bp_cell error = {.type = BP_CELL_ERROR, .value = "#DIV/0!"};
    refused(error, "the cell holds the error #DIV/0!, not an amount");
    bp_cell truth = {.type = BP_CELL_BOOL, .value = "TRUE"};
    refused(truth, "TRUE is not an amount (a true/false cell)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_as_the_file_wrote_them),
        cmocka_unit_test(binary_noise_is_rounded_away),
        cmocka_unit_test(a_third_decimal_is_a_question),
        cmocka_unit_test(texts_as_clerks_type_them),
        cmocka_unit_test(blank_is_not_zero),
        cmocka_unit_test(what_a_clerk_reads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_labels.c: labels and sheet names found however a writer spelled them: spaces, line
 * breaks and full-width forms are not meaning, everything else is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "budgetpress/import.h"

static void key_is(const char *text, const char *want)
{
    char key[256];
    bp_label_key(text, key, sizeof key);
    assert_string_equal(key, want);
}

static void spaces_and_widths_are_not_meaning(void **state)
{
    (void)state;
    key_is("2.17单位支出总表 ", "2.17单位支出总表");
    key_is(" 基本\n支出 ", "基本支出");
    key_is("\xe3\x80\x80单位：元", "单位:元"); /* an ideographic space; a full-width colon */
    key_is("（一）工资福利支出", "(一)工资福利支出");
    key_is("ＡＢＣ１２３", "ABC123");
    assert_true(bp_label_matches("财政拨款收支总表", "财政拨款收支总表 "));
    assert_true(bp_label_matches("(一)", "（一）"));
}

static void other_characters_are(void **state)
{
    (void)state;
    assert_false(bp_label_matches("单位支出总表", "部门支出总表"));
    assert_false(bp_label_matches("【一】", "(一)")); /* other brackets: the profile's aliases */
    assert_false(bp_label_matches("支出", "支出 合计"));
    char key[8];
    bp_label_key("基本支出合计", key, sizeof key); /* cut to fit, whole characters only */
    assert_string_equal(key, "基本");
}

static void sheets_are_found_by_name(void **state)
{
    (void)state;
    /* tests/data/import/two-sheets.xlsx: "2.17单位支出总表 " (a trailing space) and "收入". */
    bp_diags diags = BP_DIAGS_INIT;
    bp_workbook *book =
        bp_workbook_open(BP_SOURCE_DIR "/tests/data/import/two-sheets.xlsx", &diags);
    assert_non_null(book);
    const char *spend[] = {"2.17单位支出总表", "单位支出总表"};
    const char *income[] = {"收入总表", "收入"};
    const char *none[] = {"三公经费"};
    assert_int_equal(bp_workbook_find_sheet(book, spend, 2), 0);
    assert_int_equal(bp_workbook_find_sheet(book, income, 2), 1);
    assert_int_equal(bp_workbook_find_sheet(book, none, 1), -1);
    bp_workbook_close(book);
    bp_diags_clear(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spaces_and_widths_are_not_meaning),
        cmocka_unit_test(other_characters_are),
        cmocka_unit_test(sheets_are_found_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

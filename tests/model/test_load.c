/*
 * test_load.c: the loader: the sample reads whole; syntax errors name line and column; content
 * errors name the JSON path, what was expected and what was found; every problem is reported
 * in one run; blank stays apart from zero.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "test_support.h"

static bp_unit *load_ok(json_t *root)
{
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    int rc = load_tree(root, &unit, &diags);
    print_diags_to_stderr(&diags);
    assert_int_equal(rc, 0);
    assert_int_equal(diags.count, 0);
    bp_diags_clear(&diags);
    return unit;
}

/* Loads a tree that must fail; returns its diagnostics. */
static bp_diags load_fails(json_t *root)
{
    bp_unit *unit = (bp_unit *)1;
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(load_tree(root, &unit, &diags), -1);
    assert_null(unit);
    assert_true(diags.count > 0);
    return diags;
}

static bp_diags load_text_fails(const char *text)
{
    bp_unit *unit = (bp_unit *)1;
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_unit_load_buffer(text, strlen(text), "unit.json", &unit, &diags), -1);
    assert_null(unit);
    assert_true(diags.count > 0);
    return diags;
}

static void sample_loads_with_every_part(void **state)
{
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_unit_load_file(SAMPLE_PATH, &unit, &diags), 0);
    assert_int_equal(diags.count, 0);
    assert_string_equal(unit->info.code, "201001");
    assert_string_equal(unit->info.name, "中共秦皇岛经济技术开发区工作委员会办公室(本级)");
    assert_int_equal(unit->info.budget_year, 2022);
    assert_string_equal(unit->info.money_unit, "万元");
    assert_string_equal(unit->source, SAMPLE_PATH);
    for (int s = 0; s < BP_SEC__COUNT; s++)
        assert_true(unit->explanation.sections[s].present);
    assert_true(unit->performance.present);
    assert_true(unit->procurement.present);
    assert_true(unit->assets.present);
    assert_true(unit->has_organisations);
    assert_true(unit->has_glossary);
    bp_unit_destroy(unit);
}

static void syntax_error_names_line_and_column(void **state)
{
    bp_diags diags = load_text_fails("{\n  \"format\": \"budgetpress.unit/1\",\n  \"unit\" 5\n}\n");
    assert_int_equal(diags.count, 1);
    assert_int_equal(diags.items[0].line, 3);
    assert_true(diags.items[0].column >= 9 && diags.items[0].column <= 11);
    assert_string_equal(diags.items[0].file, "unit.json");
    assert_non_null(strstr(diags.items[0].message, "expected"));
    bp_diags_clear(&diags);
}

static void truncated_file_is_a_syntax_error(void **state)
{
    bp_diags diags = load_text_fails("{\n  \"format\": \"budgetpress.unit/1\",\n  \"unit\": {");
    assert_int_equal(diags.items[0].line, 3);
    assert_null(diags.items[0].path);
    bp_diags_clear(&diags);
    diags = load_text_fails("");
    assert_int_equal(diags.items[0].line, 1);
    bp_diags_clear(&diags);
}

static void gbk_file_is_told_to_be_utf8(void **state)
{
    /* "预算" in GBK is D4 A4 CB E3. */
    bp_diags diags = load_text_fails("{\"unit\": {\"name\": \"\xD4\xA4\xCB\xE3\"}}");
    assert_non_null(strstr(diags.items[0].message, "UTF-8"));
    assert_int_equal(diags.items[0].line, 1);
    bp_diags_clear(&diags);
}

static void duplicate_keys_are_rejected(void **state)
{
    bp_diags diags = load_text_fails("{\"format\": \"budgetpress.unit/1\",\n\"format\": \"x\"}");
    assert_int_equal(diags.items[0].line, 2);
    assert_string_equal(diags.items[0].message,
                        "this key is given twice in one object, near '\"format\"'");
    bp_diags_clear(&diags);
}

/* Syntax errors in words, not in the parser's jargon: each message once named a library flag
 * or said "end of file expected near end of file". */
static void syntax_errors_are_in_plain_words(void **state)
{
    static const struct {
        const char *text;
        size_t size; /* 0: strlen(text) */
        const char *message;
    } cases[] = {
        {"{\"a\": \"x\\u0000y\"}", 0,
         "\\u0000 (the NUL character) cannot stand in a text, near '\"x\\u0000y\"'"},
        {"{\"a\": 1}\0", 10,
         "the file goes on after its JSON has ended (a NUL byte or the end of the file)"},
        {"{\"a\": 1} x", 0, "the file goes on after its JSON has ended, near 'x'"},
        {"", 0, "the file is empty (a unit or a layout begins with '{')"},
        {"{\"a\": 1", 0, "'}' expected, but the file ends here (was it cut short?)"},
        {"{\"a\": 1e999}", 0, "a number too large for any amount, near '1e999'"},
        {"{\"a\": \"x\ny\"}", 0,
         "a line break inside a text: write it as \\n, or close the quote, near '\"x'"},
        {"{\"a\": tru}", 0,
         "a word JSON does not know (text needs quotes; true, false and null are written in "
         "lower case), near 'tru'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bp_diags diags = BP_DIAGS_INIT;
        bp_unit *unit = NULL;
        size_t size = cases[i].size ? cases[i].size : strlen(cases[i].text);
        assert_int_equal(bp_unit_load_buffer(cases[i].text, size, "t.json", &unit, &diags), -1);
        assert_int_equal(diags.count, 1);
        assert_string_equal(diags.items[0].message, cases[i].message);
        assert_null(strstr(diags.items[0].message, "JSON_"));
        bp_diags_clear(&diags);
    }
}

/* A number where an amount belongs is quoted as written, not as the nearest double. */
static void a_number_is_quoted_as_written(void **state)
{
    bp_diags diags = BP_DIAGS_INIT;
    bp_unit *unit = NULL;
    const char *text = "{\"format\": \"budgetpress.unit/1\", \"unit\": {\"code\": \"1\", "
                       "\"name\": \"x\", \"budget_year\": 2022, \"money_unit\": \"万元\"}, "
                       "\"previous_year\": {\"total_expense\": 583.78}}";
    assert_int_equal(bp_unit_load_buffer(text, strlen(text), "t.json", &unit, &diags), -1);
    bool quoted = false;
    for (size_t i = 0; i < diags.count; i++)
        quoted |= strstr(diags.items[i].message, "found the number 583.78") != NULL &&
                  strstr(diags.items[i].message, "583.779") == NULL;
    assert_true(quoted);
    bp_diags_clear(&diags);
}

static void deep_nesting_is_an_error_not_a_crash(void **state)
{
    size_t depth = 100000;
    char *text = malloc(depth + 1);
    memset(text, '[', depth);
    text[depth] = '\0';
    bp_diags diags = load_text_fails(text);
    assert_int_equal(diags.count, 1);
    bp_diags_clear(&diags);
    free(text);
}

static void byte_order_mark_is_accepted(void **state)
{
    json_t *root = sample_tree();
    char *text = json_dumps(root, 0);
    json_decref(root);
    size_t len = strlen(text);
    char *with_bom = malloc(len + 3);
    memcpy(with_bom, "\xEF\xBB\xBF", 3);
    memcpy(with_bom + 3, text, len);
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_unit_load_buffer(with_bom, len + 3, "bom.json", &unit, &diags), 0);
    bp_unit_destroy(unit);
    bp_diags_clear(&diags);
    free(with_bom);
    free(text);
}

static void mistyped_amount_names_its_path(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("3l.00"), "tables", "expense_summary", "rows", "#4", "amounts",
           "total", NULL);
    bp_diags diags = load_fails(root);
    assert_int_equal(diags.count, 1);
    const bp_diag *d = diag_at(&diags, "tables.expense_summary.rows[4].amounts.total");
    assert_non_null(d);
    assert_string_equal(d->message, "expected an amount like \"31.00\", found \"3l.00\"");
    assert_int_equal(d->severity, BP_SEVERITY_ERROR);
    bp_diags_clear(&diags);
}

static void every_problem_is_reported_in_one_run(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("3l.00"), "tables", "expense_summary", "rows", "#4", "amounts",
           "total", NULL);
    set_at(root, json_real(12.5), "tables", "general_budget_expense", "rows", "#0", "amounts",
           "basic", NULL);
    set_at(root, json_object(), "tables", "income_summary", "rows", "#2", "amonts", NULL);
    set_at(root, json_string(""), "performance", "projects", "#20", "indicators", "#3", "value",
           NULL);
    set_at(root, json_string("2022"), "unit", "budget_year", NULL);
    json_object_del(json_object_get(root, "tables"), "three_public");
    bp_diags diags = load_fails(root);
    print_diags_to_stderr(&diags);
    assert_int_equal(diags.count, 6);
    const bp_diag *d = diag_at(&diags, "tables.general_budget_expense.rows[0].amounts.basic");
    assert_non_null(d);
    assert_string_equal(d->message,
                        "expected an amount written as a string like \"31.00\", found the "
                        "number 12.5");
    d = diag_at(&diags, "tables.income_summary.rows[2].amonts");
    assert_non_null(d);
    assert_string_equal(d->message, "unknown key (did you mean \"amounts\"? expected one of code, "
                                    "name, amounts)");
    d = diag_at(&diags, "performance.projects[20].indicators[3].value");
    assert_non_null(d);
    assert_string_equal(d->message, "expected text, found an empty string");
    d = diag_at(&diags, "unit.budget_year");
    assert_non_null(d);
    assert_string_equal(d->message, "expected a year from 2000 to 2100, like 2022, found \"2022\"");
    d = diag_at(&diags, "tables");
    assert_non_null(d);
    assert_string_equal(d->message, "missing \"three_public\" (财政拨款“三公”经费支出表)");
    bp_diags_clear(&diags);
}

static void column_a_table_lacks_is_unknown(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("1.00"), "tables", "general_budget_basic_expense", "rows", "#0",
           "amounts", "basic", NULL);
    bp_diags diags = load_fails(root);
    const bp_diag *d = diag_at(&diags, "tables.general_budget_basic_expense.rows[0].amounts.basic");
    assert_non_null(d);
    assert_string_equal(d->message, "unknown key (expected one of total, personnel, public)");
    bp_diags_clear(&diags);
}

static void text_with_a_line_break_is_rejected(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("一般公共\n服务支出"), "tables", "expense_summary", "rows", "#0",
           "name", NULL);
    bp_diags diags = load_fails(root);
    assert_non_null(diag_at(&diags, "tables.expense_summary.rows[0].name"));
    bp_diags_clear(&diags);
}

static void wrong_types_say_what_was_found(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_array(), "unit", NULL);
    set_at(root, json_string("2011102"), "tables", "expense_summary", "rows", NULL);
    set_at(root, json_integer(2011102), "tables", "income_summary", "rows", "#2", "code", NULL);
    set_at(root, json_string("一、"), "explanation", "sections", "duties", "blocks", "#1",
           "numbering", NULL);
    set_at(root, json_string("budget"), "explanation", "sections", "assets", "blocks", "#1",
           "include", NULL);
    bp_diags diags = load_fails(root);
    print_diags_to_stderr(&diags);
    assert_int_equal(diags.count, 4); /* "一、" is a valid numbering */
    assert_string_equal(diag_at(&diags, "unit")->message,
                        "expected an object with the unit's code, name, budget_year and "
                        "money_unit, found an array");
    assert_string_equal(diag_at(&diags, "tables.expense_summary.rows")->message,
                        "expected an array of rows, found \"2011102\"");
    assert_string_equal(diag_at(&diags, "tables.income_summary.rows[2].code")->message,
                        "expected a classification code of digits, like \"2013101\", found the "
                        "number 2011102");
    assert_non_null(
        strstr(diag_at(&diags, "explanation.sections.assets.blocks[1].include")->message,
               "one of \"organisations\", \"performance\""));
    bp_diags_clear(&diags);
}

static void blank_and_zero_stay_apart(void **state)
{
    json_t *root = sample_tree();
    /* Row 20111 纪检监察事务 has no 基本支出 (blank); give row 2011102 a real zero. */
    set_at(root, json_string("0.00"), "tables", "expense_summary", "rows", "#2", "amounts", "basic",
           NULL);
    bp_unit *unit = load_ok(root);
    const bp_row *r20111 = &unit->expense_summary.rows[1];
    const bp_row *r2011102 = &unit->expense_summary.rows[2];
    assert_string_equal(r20111->code, "20111");
    assert_true(bp_amount_is_blank(bp_row_amount(r20111, BP_COL_BASIC)));
    assert_int_equal(bp_row_amount(r20111, BP_COL_PROJECT).hundredths, 3100);
    assert_false(bp_amount_is_blank(bp_row_amount(r2011102, BP_COL_BASIC)));
    assert_int_equal(bp_row_amount(r2011102, BP_COL_BASIC).hundredths, 0);
    /* A column the table does not have reads as blank. */
    assert_true(bp_amount_is_blank(bp_row_amount(r20111, BP_COL_PERSONNEL)));
    bp_unit_destroy(unit);
}

static void null_amount_is_blank(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_null(), "tables", "expense_summary", "rows", "#0", "amounts", "total", NULL);
    bp_unit *unit = load_ok(root);
    assert_true(bp_amount_is_blank(bp_row_amount(&unit->expense_summary.rows[0], BP_COL_TOTAL)));
    bp_unit_destroy(unit);
}

static void missing_file_is_reported(void **state)
{
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_unit_load_file("/nonexistent/unit.json", &unit, &diags), -1);
    assert_null(unit);
    assert_int_equal(diags.count, 1);
    assert_non_null(strstr(diags.items[0].message, "cannot open"));
    bp_diags_clear(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sample_loads_with_every_part),
        cmocka_unit_test(syntax_error_names_line_and_column),
        cmocka_unit_test(truncated_file_is_a_syntax_error),
        cmocka_unit_test(gbk_file_is_told_to_be_utf8),
        cmocka_unit_test(duplicate_keys_are_rejected),
        cmocka_unit_test(syntax_errors_are_in_plain_words),
        cmocka_unit_test(a_number_is_quoted_as_written),
        cmocka_unit_test(deep_nesting_is_an_error_not_a_crash),
        cmocka_unit_test(byte_order_mark_is_accepted),
        cmocka_unit_test(mistyped_amount_names_its_path),
        cmocka_unit_test(every_problem_is_reported_in_one_run),
        cmocka_unit_test(column_a_table_lacks_is_unknown),
        cmocka_unit_test(text_with_a_line_break_is_rejected),
        cmocka_unit_test(wrong_types_say_what_was_found),
        cmocka_unit_test(blank_and_zero_stay_apart),
        cmocka_unit_test(null_amount_is_blank),
        cmocka_unit_test(missing_file_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

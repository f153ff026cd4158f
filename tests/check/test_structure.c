/*
 * test_structure.c: the structural rules of `check` and REF (the figures a text names), each
 * with a unit that breaks it once, and the sample, which passes them all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "test_support.h"

static json_t *rows_of(json_t *root, const char *table)
{
    return json_object_get(json_object_get(json_object_get(root, "tables"), table), "rows");
}

static void code_of_wrong_length(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("2011"), "tables", "expense_summary", "rows", "#1", "code", NULL);
    set_at(root, json_string("3010101"), "tables", "general_budget_basic_expense", "rows", "#1",
           "code", NULL);
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    const bp_diag *d = diag_at(&diags, "tables.expense_summary.rows[1]");
    assert_non_null(d);
    assert_string_equal(d->rule, "CODE");
    assert_string_equal(d->message,
                        "支出总表 2011 纪检监察事务: a 功能分类 code has 3, 5 or 7 digits, not 4");
    d = diag_at(&diags, "tables.general_budget_basic_expense.rows[1]");
    assert_non_null(d);
    assert_string_equal(d->message, "一般公共预算财政拨款基本支出表 3010101 基本工资: a 经济分类 "
                                    "code has 3 or 5 digits, not 7");
    bp_diags_clear(&diags);
}

static void subitem_without_its_item(void **state)
{
    json_t *root = sample_tree();
    /* Drop 20126 档案事务: 2012602 then stands under no 款. */
    json_array_remove(rows_of(root, "expense_summary"), 3);
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_int_equal(errors, 1);
    const bp_diag *d = diag_of_rule(&diags, "ORDER");
    assert_non_null(d);
    assert_string_equal(d->path, "tables.expense_summary.rows[3]");
    assert_string_equal(d->message,
                        "支出总表 2012602 一般行政管理事务: this 项 stands under no 款 20126 "
                        "above it");
    assert_int_equal(d->severity, BP_SEVERITY_ERROR);
    bp_diags_clear(&diags);
}

static void siblings_out_of_order(void **state)
{
    json_t *root = sample_tree();
    json_t *rows = rows_of(root, "general_budget_basic_expense");
    /* Swap 30101 基本工资 and 30102 津贴补贴. */
    json_t *first = json_incref(json_array_get(rows, 1));
    json_array_set(rows, 1, json_array_get(rows, 2));
    json_array_set_new(rows, 2, first);
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_int_equal(errors, 1);
    const bp_diag *d = diag_of_rule(&diags, "ORDER");
    assert_non_null(d);
    assert_string_equal(d->message, "一般公共预算财政拨款基本支出表 30101 基本工资: comes after "
                                    "30102; rows stand in ascending code order, once each");
    bp_diags_clear(&diags);
}

static void duplicate_code(void **state)
{
    json_t *root = sample_tree();
    json_t *rows = rows_of(root, "general_budget_expense");
    json_array_insert_new(rows, 3, json_deep_copy(json_array_get(rows, 2)));
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_int_equal(errors, 1);
    assert_non_null(diag_of_rule(&diags, "DUPLICATE"));
    bp_diags_clear(&diags);
}

static void expense_line_code(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("20101"), "tables", "fiscal_summary", "expense", "lines", "#0", "code",
           NULL);
    set_at(root, json_string("203"), "tables", "budget_summary", "expense", "lines", "#1", "code",
           NULL);
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_int_equal(errors, 2);
    assert_non_null(diag_at(&diags, "tables.fiscal_summary.expense.lines[0]"));
    const bp_diag *d = diag_at(&diags, "tables.budget_summary.expense.lines[2]");
    assert_non_null(d);
    assert_string_equal(d->rule, "DUPLICATE");
    bp_diags_clear(&diags);
}

static void rows_without_total(void **state)
{
    json_t *root = sample_tree();
    json_object_del(json_object_get(json_object_get(root, "tables"), "general_budget_expense"),
                    "total");
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_int_equal(errors, 1);
    assert_string_equal(diag_of_rule(&diags, "TOTAL")->path, "tables.general_budget_expense");
    bp_diags_clear(&diags);
}

static void empty_table_without_note_is_a_warning(void **state)
{
    json_t *root = sample_tree();
    json_object_del(json_object_get(json_object_get(root, "tables"), "gov_fund_expense"), "note");
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_int_equal(errors, 0);
    const bp_diag *d = diag_of_rule(&diags, "EMPTY");
    assert_non_null(d);
    assert_int_equal(d->severity, BP_SEVERITY_WARNING);
    bp_diags_clear(&diags);
}

static void missing_section_is_a_warning(void **state)
{
    json_t *root = sample_tree();
    json_object_del(json_object_get(json_object_get(root, "explanation"), "sections"),
                    "other_notes");
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_int_equal(errors, 0);
    assert_int_equal(diags_other_than(&diags, "VALUE"), 1);
    assert_non_null(diag_of_rule(&diags, "SECTION"));
    assert_non_null(strstr(diag_of_rule(&diags, "SECTION")->message, "其他需要说明的事项"));
    bp_diags_clear(&diags);
}

static void include_of_a_missing_part(void **state)
{
    json_t *root = sample_tree();
    json_object_del(root, "assets");
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    /* The include, and the section's paragraph naming two figures of the missing part. */
    assert_int_equal(errors, 3);
    const bp_diag *d = diag_of_rule(&diags, "INCLUDE");
    assert_string_equal(d->path, "explanation.sections.assets.blocks[1]");
    assert_string_equal(d->message, "includes \"assets\", but the unit has no \"assets\"");
    d = diag_of_rule(&diags, "REF");
    assert_string_equal(d->path, "explanation.sections.assets.blocks[0].paragraph");
    assert_string_equal(d->message, "{assets.total}: the unit has no \"assets\"");
    bp_diags_clear(&diags);
}

static void part_never_included(void **state)
{
    json_t *root = sample_tree();
    json_array_clear(json_object_get(
        json_object_get(json_object_get(json_object_get(root, "explanation"), "sections"),
                        "glossary"),
        "blocks"));
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_int_equal(errors, 0);
    const bp_diag *d = diag_of_rule(&diags, "INCLUDE");
    assert_non_null(d);
    assert_int_equal(d->severity, BP_SEVERITY_WARNING);
    assert_non_null(strstr(d->message, "not printed"));
    bp_diags_clear(&diags);
}

static void project_without_indicators(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_array(), "performance", "projects", "#3", "indicators", NULL);
    set_at(root, json_string("产出指橾"), "performance", "projects", "#4", "indicators", "#0",
           "level1", NULL);
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_int_equal(errors, 1);
    assert_string_equal(diag_at(&diags, "performance.projects[3]")->message,
                        "绩效目标表 档案局专项费用 has no indicator rows");
    const bp_diag *d = diag_at(&diags, "performance.projects[4].indicators[0].level1");
    assert_non_null(d);
    assert_int_equal(d->severity, BP_SEVERITY_WARNING);
    bp_diags_clear(&diags);
}

/* REF: a figure the text names must exist and not be blank; each bad reference is one error
 * at the path of its text, wherever references are expanded. */
static void bad_references_in_the_text(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("支出 {expens.total} 万元，出国 {three_public.overseas} 万元。"),
           "explanation", "sections", "overview", "blocks", "#0", "paragraph", NULL);
    set_at(root, json_string("负责 {basic_row:30205}"), "explanation", "sections", "duties",
           "blocks", "#1", "list", "#2", NULL);
    set_at(root, json_string("{previous.three_public_overseas}"), "performance", "itemised", "#0",
           "targets", "#2", "indicators", "#1", NULL);
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_int_equal(errors, 4);
    const char *overview = "explanation.sections.overview.blocks[0].paragraph";
    const bp_diag *d = diag_at(&diags, overview);
    assert_non_null(d);
    assert_string_equal(d->rule, "REF");
    assert_int_equal(d->severity, BP_SEVERITY_ERROR);
    assert_string_equal(d->message,
                        "{expens.total}: no figure has this name (did you mean {expense.total}?)");
    assert_non_null(strstr(d[1].message, "{three_public.overseas}: "));
    assert_non_null(strstr(d[1].message, "blank is not zero"));
    d = diag_at(&diags, "explanation.sections.duties.blocks[1].list[2]");
    assert_non_null(d);
    assert_string_equal(d->message,
                        "{basic_row:30205}: 一般公共预算财政拨款基本支出表 has no row 30205");
    d = diag_at(&diags, "performance.itemised[0].targets[2].indicators[1]");
    assert_non_null(d);
    assert_non_null(strstr(d->message, "previous_year.three_public_overseas is blank"));
    bp_diags_clear(&diags);
}

/* Texts that print as written (the glossary, section titles) are not read for references. */
static void braces_outside_the_bound_texts(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("{不是引用}"), "glossary", "#0", "definition", NULL);
    set_at(root, json_string("其他 {year}"), "explanation", "sections", "other_notes", "title",
           NULL);
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_int_equal(errors, 0);
    assert_null(diag_of_rule(&diags, "REF"));
    bp_diags_clear(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sample_passes_every_rule),
        cmocka_unit_test(code_of_wrong_length),
        cmocka_unit_test(subitem_without_its_item),
        cmocka_unit_test(siblings_out_of_order),
        cmocka_unit_test(duplicate_code),
        cmocka_unit_test(expense_line_code),
        cmocka_unit_test(rows_without_total),
        cmocka_unit_test(empty_table_without_note_is_a_warning),
        cmocka_unit_test(missing_section_is_a_warning),
        cmocka_unit_test(include_of_a_missing_part),
        cmocka_unit_test(part_never_included),
        cmocka_unit_test(project_without_indicators),
        cmocka_unit_test(bad_references_in_the_text),
        cmocka_unit_test(braces_outside_the_bound_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

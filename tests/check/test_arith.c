/*
 * test_arith.c: the arithmetic rules of `check` (SUM, IDENTITY, THREE_PUBLIC, CROSS), each with
 * the sample changed in one amount, and the sample itself, which passes them all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "test_support.h"

/* The finding of this rule at this path whose message is exactly this, or NULL. */
static const bp_diag *finding(const bp_diags *diags, const char *rule, const char *path,
                              const char *message)
{
    for (size_t i = 0; i < diags->count; i++) {
        const bp_diag *d = &diags->items[i];
        if (strcmp(d->rule, rule) == 0 && d->path && strcmp(d->path, path) == 0 &&
            strcmp(d->message, message) == 0)
            return d;
    }
    print_diags_to_stderr(diags);
    return NULL;
}

/* SUM: 30201 办公费 4.68 → 4.78 in both its columns; 302 no longer adds up, in each column. */
static void class_is_not_the_sum_of_its_items(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("4.78"), "tables", "general_budget_basic_expense", "rows", "#11",
           "amounts", "total", NULL);
    set_at(root, json_string("4.78"), "tables", "general_budget_basic_expense", "rows", "#11",
           "amounts", "public", NULL);
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    /* and LIST: section 三 lists the 302 items, which now add up to more than 79.53. */
    assert_int_equal(errors, 3);
    assert_non_null(finding(&diags, "LIST",
                            "explanation.sections.operating_costs.blocks[0].paragraph",
                            "the 12 items listed after 其中 add up to 79.63, not the stated total "
                            "79.53 (diff 0.10) of “本年度机关运行经费总计 79.53 万元”"));
    const char *path = "tables.general_budget_basic_expense.rows[10]";
    assert_non_null(finding(&diags, "SUM", path,
                            "一般公共预算财政拨款基本支出表 302 商品和服务支出 公用经费: 79.53 ≠ "
                            "Σ 款 79.63 (diff -0.10)"));
    assert_non_null(finding(&diags, "SUM", path,
                            "一般公共预算财政拨款基本支出表 302 商品和服务支出 合计: 79.53 ≠ Σ 款 "
                            "79.63 (diff -0.10)"));
    bp_diags_clear(&diags);
}

/* SUM: the 合计 row against its 类 rows (CROSS sees it too: the fiscal tables still add up to
 * the old total), and a 款 against its 项 rows. */
static void total_and_item_sums(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("847.35"), "tables", "expense_summary", "total", "total", NULL);
    set_at(root, json_string("154.90"), "tables", "income_summary", "rows", "#9", "amounts",
           "fiscal_grant", NULL);
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_non_null(finding(&diags, "SUM", "tables.expense_summary.total",
                            "支出总表 合计 合计: 847.35 ≠ Σ 类 847.45 (diff -0.10)"));
    assert_non_null(finding(&diags, "CROSS", "tables.expense_summary.total",
                            "支出总表 合计 合计: 847.35 ≠ 一般公共预算财政拨款支出表 + "
                            "政府性基金预算财政拨款支出表 + 国有资本经营预算财政拨款支出表 合计 "
                            "847.45 (diff -0.10)"));
    assert_non_null(finding(
        &diags, "SUM", "tables.income_summary.rows[9]",
        "收入总表 20805 行政事业单位养老支出 财政拨款收入: 154.90 ≠ Σ 项 154.95 (diff -0.05)"));
    bp_diags_clear(&diags);
}

/* IDENTITY in a ledger: 合计 = 人员经费 + 公用经费, here on the 合计 row. */
static void row_total_is_not_its_parts(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("655.74"), "tables", "general_budget_basic_expense", "total",
           "personnel", NULL);
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    /* and SUM: 人员经费 of the 合计 row against its 类 rows; and LIST: section 二 prints
     * {personnel} + {public} before 小计 {expense.basic}, which no longer add up. */
    assert_int_equal(errors, 3);
    assert_non_null(finding(&diags, "LIST", "explanation.sections.overview.blocks[0].paragraph",
                            "the 2 items before 小计 735.17 add up to 735.27 (diff 0.10)"));
    assert_non_null(finding(&diags, "IDENTITY", "tables.general_budget_basic_expense.total",
                            "一般公共预算财政拨款基本支出表 合计 合计: 735.17 ≠ 人员经费 + "
                            "公用经费 735.27 (diff -0.10)"));
    bp_diags_clear(&diags);
}

/* IDENTITY in a two-sided table: 收入总计 = 本年收入合计 + 上年结转, and = 支出总计. */
static void grand_totals_disagree(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_pack("{s:s}", "total", "847.55"), "tables", "budget_summary", "income",
           "grand_total", NULL);
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_int_equal(errors, 2);
    assert_non_null(finding(&diags, "IDENTITY", "tables.budget_summary.income.grand_total",
                            "收支总表 收入总计 合计: 847.55 ≠ 本年收入合计 + 上年结转 847.45 "
                            "(diff 0.10)"));
    assert_non_null(finding(&diags, "IDENTITY", "tables.budget_summary.expense.grand_total",
                            "收支总表 支出总计 合计: 847.45 ≠ 收入总计 847.55 (diff -0.10)"));
    bp_diags_clear(&diags);
}

/* THREE_PUBLIC: the 一般公共预算 column of 公务接待费 no longer adds up into the 小计. */
static void three_public_subtotal(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("0.65"), "tables", "three_public", "reception", "general_budget",
           NULL);
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_int_equal(errors, 1);
    assert_non_null(finding(&diags, "THREE_PUBLIC", "tables.three_public.subtotal",
                            "财政拨款“三公”经费支出表 “三公”经费小计 一般公共预算财政拨款: 8.79 ≠ "
                            "因公出国（境）费 + 公务用车购置及运维费 + 公务接待费 8.89 (diff "
                            "-0.10)"));
    bp_diags_clear(&diags);
}

/* CROSS: a 收支总表 expense line against the 类 row of 支出总表. */
static void summary_line_differs_from_expense_table(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("66.92"), "tables", "budget_summary", "expense", "lines", "#9",
           "amounts", "total", NULL);
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_int_equal(errors, 2); /* and IDENTITY: 本年支出合计 against its lines */
    assert_non_null(finding(&diags, "CROSS", "tables.budget_summary.expense.lines[9]",
                            "收支总表 210 卫生健康支出 合计: 66.92 ≠ 支出总表 210 合计 66.82 "
                            "(diff 0.10)"));
    bp_diags_clear(&diags);
}

/* CROSS: 公务用车运行维护费 in the 三公 table against 30231 of the 基本支出表. */
static void vehicle_operation_differs_from_basic_table(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_pack("{s:s,s:s}", "total", "8.34", "general_budget", "8.24"), "tables",
           "three_public", "vehicle_operation", NULL);
    size_t errors;
    bp_diags diags = check_tree(root, &errors);
    assert_int_equal(errors, 2); /* and THREE_PUBLIC: 公务用车购置及运维费 */
    assert_non_null(finding(&diags, "CROSS", "tables.general_budget_basic_expense.rows[20]",
                            "一般公共预算财政拨款基本支出表 30231 公务用车运行维护费 合计: 8.24 ≠ "
                            "财政拨款“三公”经费支出表 公务用车运行维护费 合计 8.34 (diff -0.10)"));
    bp_diags_clear(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sample_passes_every_rule),
        cmocka_unit_test(class_is_not_the_sum_of_its_items),
        cmocka_unit_test(total_and_item_sums),
        cmocka_unit_test(row_total_is_not_its_parts),
        cmocka_unit_test(grand_totals_disagree),
        cmocka_unit_test(three_public_subtotal),
        cmocka_unit_test(summary_line_differs_from_expense_table),
        cmocka_unit_test(vehicle_operation_differs_from_basic_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

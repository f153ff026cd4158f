/*
 * test_narrative.c: the rules that read the text and the 指标值 cells: FIGURE (digits typed into
 * the text against the tables), LIST (其中 lists against their total) and VALUE (指标值 that
 * cannot be right). Each case changes one text of the sample; the sample passes them all, and
 * the unit as it was published gives exactly the contradictions of the original.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "test_support.h"

#define AS_PUBLISHED_PATH BP_SOURCE_DIR "/samples/201001-2022-as-published.json"

/* Checks the sample with one paragraph of a section replaced. */
static bp_diags check_paragraph(const char *section, const char *paragraph, size_t *errors)
{
    json_t *root = sample_tree();
    set_at(root, json_string(paragraph), "explanation", "sections", section, "blocks", "#0",
           "paragraph", NULL);
    return check_tree(root, errors);
}

/* The number of findings of a rule. */
static size_t count_rule(const bp_diags *diags, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < diags->count; i++)
        n += diags->items[i].rule && strcmp(diags->items[i].rule, rule) == 0;
    return n;
}

/* The one finding of a rule; fails unless there is exactly one. */
static const bp_diag *only(const bp_diags *diags, const char *rule)
{
    if (count_rule(diags, rule) != 1)
        print_diags_to_stderr(diags);
    assert_int_equal(count_rule(diags, rule), 1);
    return diag_of_rule(diags, rule);
}

static void expect_none(const char *section, const char *paragraph)
{
    size_t errors;
    bp_diags diags = check_paragraph(section, paragraph, &errors);
    if (diags_other_than(&diags, "VALUE") != 0)
        print_diags_to_stderr(&diags);
    assert_int_equal(errors, 0);
    assert_int_equal(diags_other_than(&diags, "VALUE"), 0);
    bp_diags_clear(&diags);
}

static void expect_one(const char *section, const char *paragraph, const char *rule,
                       bp_severity severity, const char *message)
{
    size_t errors;
    bp_diags diags = check_paragraph(section, paragraph, &errors);
    const bp_diag *d = only(&diags, rule);
    assert_int_equal(diags_other_than(&diags, "VALUE"), 1);
    assert_int_equal(d->severity, severity);
    assert_int_equal(errors, severity == BP_SEVERITY_ERROR ? 1 : 0);
    assert_string_equal(d->message, message);
    char path[128];
    snprintf(path, sizeof path, "explanation.sections.%s.blocks[0].paragraph", section);
    assert_string_equal(d->path, path);
    bp_diags_clear(&diags);
}

/* ---- FIGURE ---- */

static void typed_figure_that_agrees_passes(void **state)
{
    expect_none("operating_costs", "本年度机关运行经费总计 79.53 万元。其中印刷费 2.24 万元。");
}

static void typed_figure_that_differs_is_an_error(void **state)
{
    expect_one("operating_costs", "其中办公费 4.68 万元；印刷费 2.87 万元。", "FIGURE",
               BP_SEVERITY_ERROR,
               "2022 年印刷费 2.87 万元 in the text ≠ 2.24 in 一般公共预算财政拨款基本支出表 "
               "30202 印刷费 (diff 0.63)");
}

/* The same figure spoken of as last year's compares with previous_year (三公 8.59). */
static void last_years_figure_compares_with_previous_year(void **state)
{
    expect_none("three_public", "2021 年单位“三公”经费 8.59 万元。");
    expect_one("three_public", "2021 年单位“三公”经费 8.79 万元。", "FIGURE", BP_SEVERITY_ERROR,
               "2021 年“三公”经费 8.79 万元 in the text ≠ 8.59 in previous_year.three_public "
               "(diff 0.20)");
    expect_one("three_public", "上年“三公”经费 8.79 万元。", "FIGURE", BP_SEVERITY_ERROR,
               "2021 年“三公”经费 8.79 万元 in the text ≠ 8.59 in previous_year.three_public "
               "(diff 0.20)");
}

/* "与 2021 年一致" compares; it does not make the rest of the sentence last year's. A new
 * sentence is the budget year's again; another year is compared with nothing. */
static void comparison_years_and_other_years(void **state)
{
    expect_none("three_public", "2022 年“三公”经费合计 8.79 万元，与 2021 年相比，公务接待费 "
                                "0.55 万元。2020 年“三公”经费 3.00 万元。");
    expect_one("three_public", "2021 年“三公”经费 8.59 万元。“三公”经费 9.00 万元。", "FIGURE",
               BP_SEVERITY_ERROR,
               "2022 年“三公”经费 9.00 万元 in the text ≠ 8.79 in 财政拨款“三公”经费支出表 合计 "
               "(diff 0.21)");
}

static void change_since_last_year(void **state)
{
    expect_none("three_public", "机关运行经费整体增加 4.16 万元。");
    expect_one("three_public", "机关运行经费整体增加 3.87 万元。", "FIGURE", BP_SEVERITY_ERROR,
               "机关运行经费 增加 3.87 万元 in the text ≠ 增加 4.16: from 75.37 "
               "(previous_year.operating_costs) to 79.53 (一般公共预算财政拨款基本支出表 合计 "
               "公用经费 (机关运行经费))");
    /* Right amount, wrong way. */
    expect_one("three_public", "机关运行经费整体减少 4.16 万元。", "FIGURE", BP_SEVERITY_ERROR,
               "机关运行经费 减少 4.16 万元 in the text ≠ 增加 4.16: from 75.37 "
               "(previous_year.operating_costs) to 79.53 (一般公共预算财政拨款基本支出表 合计 "
               "公用经费 (机关运行经费))");
    /* The name is earlier in the sentence than the clause of the amount. */
    expect_one("three_public", "公务接待费 0.55 万元，与 2021 年相比增加 0.30 万元。", "FIGURE",
               BP_SEVERITY_ERROR,
               "公务接待费 增加 0.30 万元 in the text ≠ 增加 0.20: from 0.35 "
               "(previous_year.three_public_reception) to 0.55 (财政拨款“三公”经费支出表 "
               "公务接待费)");
}

/* Amounts without a name the tables know, and numbers that are not amounts, are not compared. */
static void unnamed_amounts_and_other_numbers_are_not_compared(void **state)
{
    expect_none("operating_costs", "离退休干部经费 5.02 万元；印刷费 2.87 元；印刷费 3 次；"
                                   "公务接待费占 12.5%。");
}

/* Digits a reference prints are the table's: FIGURE never reads them. */
static void references_are_not_compared(void **state)
{
    expect_none("operating_costs", "印刷费 {basic_row:30202} 万元，与上年度持平。");
}

/* ---- LIST ---- */

static void list_that_adds_up_passes(void **state)
{
    expect_none("three_public", "2022 年“三公”经费合计 8.79 万元，其中公务用车购置及运维费 "
                                "8.24 万元；公务接待费 0.55 万元。");
}

static void list_above_its_total_is_an_error(void **state)
{
    expect_one("operating_costs",
               "机关运行经费总计 79.53 万元。其中办公费 4.68 万元；公务交通补贴 22.20 万元；"
               "其他交通费用 22.20 万元；邮电费 20.13 万元；公务移动通讯费补贴 16.49 万元。",
               "LIST", BP_SEVERITY_ERROR,
               "the 5 items listed after 其中 add up to 85.70, not the stated total 79.53 (diff "
               "6.17) of “机关运行经费总计 79.53 万元”");
}

static void list_below_its_total_is_a_warning(void **state)
{
    expect_one("operating_costs",
               "机关运行经费总计 79.53 万元，其中办公费 4.68 万元，印刷费 2.24 万元。", "LIST",
               BP_SEVERITY_WARNING,
               "the 2 items listed after 其中 add up to 6.92, not the stated total 79.53 (diff "
               "-72.61) of “机关运行经费总计 79.53 万元”");
    /* One item is "of which", not a breakdown. */
    expect_none("operating_costs", "机关运行经费总计 79.53 万元，其中办公费 4.68 万元。");
}

/* 小计 closes the items before it (section 二's 人员 + 公用 = 小计, then + 项目 = total). */
static void subtotals(void **state)
{
    expect_none("overview", "预算支出 847.45 万元，其中人员支出 655.64 万元，日常公用经费 79.53 "
                            "万元，小计 735.17 万元，项目支出 112.28 万元。");
    expect_one("overview",
               "支出 847.45 万元，其中甲 655.64 万元，乙 79.53 万元，小计 735.00 万元，丙 112.45 "
               "万元。",
               "LIST", BP_SEVERITY_ERROR,
               "the 2 items before 小计 735.00 add up to 735.17 (diff 0.17)");
}

/* A change amount ends the list: what follows is no longer a part of the total. */
static void change_ends_the_list(void **state)
{
    expect_none("three_public", "“三公”经费合计 8.79 万元，其中公务用车购置及运维费 8.24 万元，"
                                "公务接待费 0.55 万元，增加 0.20 万元，原因是接待费用 2.00 万元。");
}

/* Amounts too large to add up are not added up (and do not overflow). */
static void huge_amounts_do_not_overflow(void **state)
{
    char text[8192] = "机关运行经费总计 1.00 万元，其中";
    for (int i = 0; i < 120; i++)
        strcat(text, "甲 999999999999999.99 万元，");
    strcat(text, "乙 1.00 万元。");
    size_t errors;
    bp_diags diags = check_paragraph("operating_costs", text, &errors);
    assert_int_equal(count_rule(&diags, "LIST"), 0);
    bp_diags_clear(&diags);
}

/* Random paragraphs of the words the rules react to, references included: the reader never
 * fails (the sanitizer build checks memory and arithmetic), and finds only FIGURE and LIST. */
static void random_paragraphs_are_read_safely(void **state)
{
    static const char *const words[] = {"其中",
                                        "小计",
                                        "合计",
                                        "总计",
                                        "。",
                                        "，",
                                        "；",
                                        "：",
                                        "、",
                                        "与",
                                        "比",
                                        "2021 年",
                                        "2022年",
                                        "上年",
                                        "本年度",
                                        "上年末",
                                        "增加",
                                        "减少 ",
                                        "印刷费",
                                        "“三公”经费",
                                        "机关运行经费",
                                        "公务接待费",
                                        "人员经费",
                                        "日常公用经费",
                                        "项目支出",
                                        "预算支出",
                                        " ",
                                        "2.24",
                                        "0.2",
                                        "79.53",
                                        "123.456",
                                        "999999999999999.99",
                                        "1",
                                        "万元",
                                        " 万元",
                                        "元",
                                        "%",
                                        "{operating_costs}",
                                        "{basic_row:30202}",
                                        "{change.operating_costs}",
                                        "{trend.operating_costs}",
                                        "{{",
                                        "}}",
                                        "万",
                                        "3",
                                        "."};
    size_t n = sizeof words / sizeof words[0];
    unsigned seed = 12345;
    for (int round = 0; round < 300; round++) {
        char text[2048] = "";
        int count = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 60;
        for (int i = 0; i < count; i++) {
            seed = seed * 1103515245u + 12345u;
            strcat(text, words[(seed >> 16) % n]);
        }
        size_t errors;
        bp_diags diags = check_paragraph("operating_costs", text, &errors);
        for (size_t i = 0; i < diags.count; i++) {
            const char *rule = diags.items[i].rule;
            assert_true(strcmp(rule, "FIGURE") == 0 || strcmp(rule, "LIST") == 0 ||
                        strcmp(rule, "VALUE") == 0 || strcmp(rule, "REF") == 0);
        }
        bp_diags_clear(&diags);
    }
}

/* ---- VALUE ---- */

/* Checks the sample with one 指标值 (and optionally its 一级/三级指标) of 绩效目标表 0 replaced. */
static bp_diags check_value(const char *level1, const char *level3, const char *value,
                            size_t *errors)
{
    json_t *root = sample_tree();
    const char *at[] = {"performance", "projects", "#0", "indicators", "#0"};
    json_t *row = root;
    for (size_t i = 0; i < 5; i++)
        row = at[i][0] == '#' ? json_array_get(row, (size_t)atoi(at[i] + 1))
                              : json_object_get(row, at[i]);
    if (level1)
        json_object_set_new(row, "level1", json_string(level1));
    if (level3)
        json_object_set_new(row, "level3", json_string(level3));
    json_object_set_new(row, "value", json_string(value));
    return check_tree(root, errors);
}

/* The VALUE finding on the changed row, or NULL. */
static const bp_diag *value_finding(const bp_diags *diags)
{
    return diag_at(diags, "performance.projects[0].indicators[0].value");
}

static void expect_indicator(const char *level1, const char *level3, const char *value,
                             bp_severity severity, const char *message)
{
    size_t errors;
    bp_diags diags = check_value(level1, level3, value, &errors);
    const bp_diag *d = value_finding(&diags);
    if (!message) {
        assert_null(d);
    } else {
        assert_non_null(d);
        assert_string_equal(d->rule, "VALUE");
        assert_int_equal(d->severity, severity);
        assert_string_equal(d->message, message);
        assert_int_equal(errors, severity == BP_SEVERITY_ERROR);
    }
    bp_diags_clear(&diags);
}

static void rate_above_100_percent(void **state)
{
    expect_indicator(
        NULL, "传递信息及时性", "101%", BP_SEVERITY_WARNING,
        "绩效目标表 保密局保密工作经费 数量指标 传递信息及时性: 指标值 \"101%\" is above "
        "100% for a rate");
    expect_indicator(NULL, "保密知识知晓率", "≥100%", BP_SEVERITY_WARNING, NULL);
    /* Decimals are read exactly: 100.01% is above, 99.99% is not. */
    expect_indicator(NULL, "保密知识知晓率", "100.01%", BP_SEVERITY_WARNING,
                     "绩效目标表 保密局保密工作经费 数量指标 保密知识知晓率: 指标值 \"100.01%\" is "
                     "above 100% for a rate");
    expect_indicator(NULL, "保密知识知晓率", "≥99.99%", BP_SEVERITY_WARNING, NULL);
    expect_indicator(NULL, "培训人次增长率", "120%", BP_SEVERITY_WARNING, NULL);
}

static void ceiling_or_tiny_share_for_timeliness(void **state)
{
    expect_indicator(NULL, "结案及时性", "≤100%", BP_SEVERITY_WARNING,
                     "绩效目标表 保密局保密工作经费 数量指标 结案及时性: 指标值 \"≤100%\" is a "
                     "ceiling; a timeliness or completion target is a floor (≥) or exact (=)");
    expect_indicator(
        NULL, "工作完成率", "10%", BP_SEVERITY_WARNING,
        "绩效目标表 保密局保密工作经费 数量指标 工作完成率: 指标值 \"10%\" is below half "
        "for a timeliness or completion target");
    expect_indicator(NULL, "工作完成及时性", "≥95%", BP_SEVERITY_WARNING, NULL);
    /* A ceiling is right for what should stay low. */
    expect_indicator(NULL, "结案后发生再访率", "≤10%", BP_SEVERITY_WARNING, NULL);
}

static void empty_value_is_an_error(void **state)
{
    expect_indicator(NULL, NULL, " ", BP_SEVERITY_ERROR,
                     "绩效目标表 保密局保密工作经费 开展培训次数: 指标值 is empty");
}

static void cost_indicator_without_amount(void **state)
{
    expect_indicator(
        "成本指标", "费用预算控制数", "100%", BP_SEVERITY_WARNING,
        "绩效目标表 保密局保密工作经费 成本指标 费用预算控制数: 指标值 \"100%\" states "
        "no amount");
    expect_indicator("成本指标", "费用预算控制数", "≤5 万元", BP_SEVERITY_WARNING, NULL);
    expect_indicator("成本指标", "工资补助标准", "690 元/人", BP_SEVERITY_WARNING, NULL);
}

/* ---- The unit as it was published ---- */

/* Every finding, in order, exactly: the contradictions of the original (docs/sample.md). */
static void as_published_findings_are_pinned(void **state)
{
    static const struct {
        const char *rule;
        bp_severity severity;
        const char *path, *message;
    } expected[] = {
        {"FIGURE", BP_SEVERITY_ERROR, "explanation.sections.operating_costs.blocks[0].paragraph",
         "2022 年印刷费 2.87 万元 in the text ≠ 2.24 in 一般公共预算财政拨款基本支出表 30202 "
         "印刷费 (diff 0.63)"},
        {"LIST", BP_SEVERITY_ERROR, "explanation.sections.operating_costs.blocks[0].paragraph",
         "the 15 items listed after 其中 add up to 123.87, not the stated total 79.53 (diff "
         "44.34) of “本年度机关运行经费总计 79.53 万元”"},
        {"FIGURE", BP_SEVERITY_ERROR, "explanation.sections.three_public.blocks[0].paragraph",
         "2022 年“三公”经费 9.00 万元 in the text ≠ 8.79 in 财政拨款“三公”经费支出表 合计 (diff "
         "0.21)"},
        {"LIST", BP_SEVERITY_WARNING, "explanation.sections.three_public.blocks[0].paragraph",
         "the 2 items listed after 其中 add up to 8.79, not the stated total 9.00 (diff -0.21) "
         "of “2022 年“三公”经费合计 9.00 万元”"},
        {"FIGURE", BP_SEVERITY_ERROR, "explanation.sections.three_public.blocks[0].paragraph",
         "机关运行经费 增加 3.87 万元 in the text ≠ 增加 4.16: from 75.37 "
         "(previous_year.operating_costs) to 79.53 (一般公共预算财政拨款基本支出表 合计 公用经费 "
         "(机关运行经费))"},
        {"VALUE", BP_SEVERITY_WARNING, "performance.projects[12].indicators[2].value",
         "绩效目标表 工委值班室视频会议网络传输服务费 时效指标 传递信息及时性: 指标值 \"101%\" "
         "is above 100% for a rate"},
        {"VALUE", BP_SEVERITY_WARNING, "performance.projects[17].indicators[4].value",
         "绩效目标表 纪工委专项经费 时效指标 结案及时性: 指标值 \"≤100%\" is a ceiling; a "
         "timeliness or completion target is a floor (≥) or exact (=)"},
        {"VALUE", BP_SEVERITY_WARNING, "performance.projects[20].indicators[2].value",
         "绩效目标表 政研室专项经费 时效指标 工作完成及时性: 指标值 \"10%\" is below half for a "
         "timeliness or completion target"},
    };
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_unit_load_file(AS_PUBLISHED_PATH, &unit, &diags), 0);
    size_t errors = bp_check_unit(unit, &diags);
    print_diags_to_stderr(&diags);
    size_t n = sizeof expected / sizeof expected[0];
    assert_int_equal(diags.count, n);
    assert_int_equal(errors, 4);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(diags.items[i].rule, expected[i].rule);
        assert_int_equal(diags.items[i].severity, expected[i].severity);
        assert_string_equal(diags.items[i].path, expected[i].path);
        assert_string_equal(diags.items[i].message, expected[i].message);
    }
    bp_unit_destroy(unit);
    bp_diags_clear(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(typed_figure_that_agrees_passes),
        cmocka_unit_test(typed_figure_that_differs_is_an_error),
        cmocka_unit_test(last_years_figure_compares_with_previous_year),
        cmocka_unit_test(comparison_years_and_other_years),
        cmocka_unit_test(change_since_last_year),
        cmocka_unit_test(unnamed_amounts_and_other_numbers_are_not_compared),
        cmocka_unit_test(references_are_not_compared),
        cmocka_unit_test(list_that_adds_up_passes),
        cmocka_unit_test(list_above_its_total_is_an_error),
        cmocka_unit_test(list_below_its_total_is_a_warning),
        cmocka_unit_test(subtotals),
        cmocka_unit_test(change_ends_the_list),
        cmocka_unit_test(huge_amounts_do_not_overflow),
        cmocka_unit_test(random_paragraphs_are_read_safely),
        cmocka_unit_test(rate_above_100_percent),
        cmocka_unit_test(ceiling_or_tiny_share_for_timeliness),
        cmocka_unit_test(empty_value_is_an_error),
        cmocka_unit_test(cost_indicator_without_amount),
        cmocka_unit_test(as_published_findings_are_pinned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

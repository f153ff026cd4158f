/*
 * test_refs.c: figures named in the text ({expense.total}): every name against the sample's
 * tables, changes and trends, literal braces, the snprintf-like buffer contract, and the
 * errors (an unknown name, a blank amount, a stray brace), each naming the text's path. The
 * sample's bound paragraphs expand to the text the published document prints.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>

#include "budgetpress/refs.h"
#include "test_support.h"

static bp_unit *sample;

static int setup(void **state)
{
    bp_diags diags = BP_DIAGS_INIT;
    int rc = bp_unit_load_file(SAMPLE_PATH, &sample, &diags);
    print_diags_to_stderr(&diags);
    bp_diags_clear(&diags);
    return rc;
}

static int teardown(void **state)
{
    bp_unit_destroy(sample);
    return 0;
}

/* The sample changed in one place, loaded; the caller destroys it. */
static bp_unit *load_changed(json_t *root)
{
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    int rc = load_tree(root, &unit, &diags);
    print_diags_to_stderr(&diags);
    assert_int_equal(rc, 0);
    bp_diags_clear(&diags);
    return unit;
}

static void assert_resolves(const bp_unit *unit, const char *name, const char *expected)
{
    char text[BP_REF_TEXT_MAX], why[512];
    bp_ref_status status = bp_ref_resolve(unit, name, text, why, sizeof why);
    if (status != BP_REF_OK)
        fail_msg("{%s} does not resolve: %s", name, why);
    if (strcmp(text, expected) != 0)
        fail_msg("{%s} printed \"%s\", expected \"%s\"", name, text, expected);
}

/* Expands text (at a made-up path) with a buffer of exactly the right size; the caller frees. */
static char *expand(const bp_unit *unit, const char *text, bp_diags *diags, size_t *bad)
{
    size_t length = bp_refs_expand(unit, text, "test.text", NULL, 0, NULL, NULL);
    char *out = malloc(length + 1);
    assert_int_equal(bp_refs_expand(unit, text, "test.text", out, length + 1, diags, bad), length);
    return out;
}

/* ---- Names ---- */

static void every_name_prints_the_table_value(void **state)
{
    static const struct {
        const char *name, *expected;
    } cases[] = {
        /* 支出总表 合计 row; 收支总表 收入总计 */
        {"expense.total", "847.45"},
        {"expense.basic", "735.17"},
        {"expense.project", "112.28"},
        {"income.total", "847.45"},
        /* 一般公共预算财政拨款基本支出表 合计 row */
        {"personnel", "655.64"},
        {"public", "79.53"},
        {"operating_costs", "79.53"},
        /* 三公 table, 合计 column */
        {"three_public", "8.79"},
        {"three_public.vehicles", "8.24"},
        {"three_public.vehicle_operation", "8.24"},
        {"three_public.reception", "0.55"},
        /* rows by code */
        {"basic_row:30201", "4.68"},
        {"basic_row:302", "79.53"},
        {"basic_row:30299", "5.71"},
        {"expense_row:2013101", "474.90"},
        {"expense_row:201", "583.78"},
        /* the parts */
        {"procurement.total", "0.00"},
        {"assets.total", "885.83"},
        {"assets.planned_purchases", "0.00"},
        /* years */
        {"year", "2022"},
        {"previous.year", "2021"},
        /* last year's figures, as given */
        {"previous.total_expense", "1002.70"},
        {"previous.personnel", "557.19"},
        {"previous.public", "75.37"},
        {"previous.project", "370.14"},
        {"previous.operating_costs", "75.37"},
        {"previous.three_public", "8.59"},
        {"previous.three_public_vehicles", "8.24"},
        {"previous.three_public_reception", "0.35"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_resolves(sample, cases[i].name, cases[i].expected);
}

/* The names read the model, not a copy: each agrees with the amount where the tables hold it. */
static void names_follow_the_model(void **state)
{
    char expected[BP_AMOUNT_FORMAT_MAX];
    bp_amount_format(bp_row_amount(&sample->expense_summary.total, BP_COL_TOTAL), false, expected);
    assert_resolves(sample, "expense.total", expected);
    bp_amount_format(bp_row_amount(&sample->general_basic.total, BP_COL_PERSONNEL), false,
                     expected);
    assert_resolves(sample, "personnel", expected);
    for (size_t i = 0; i < sample->general_basic.row_count; i++) {
        const bp_row *row = &sample->general_basic.rows[i];
        char name[64];
        snprintf(name, sizeof name, "basic_row:%s", row->code);
        bp_amount_format(bp_row_amount(row, BP_COL_TOTAL), false, expected);
        assert_resolves(sample, name, expected);
    }
    json_t *root = sample_tree();
    set_at(root, json_string("1234567.80"), "tables", "expense_summary", "total", "total", NULL);
    bp_unit *changed = load_changed(root);
    assert_resolves(changed, "expense.total", "1234567.80"); /* no thousands separator */
    bp_unit_destroy(changed);
}

static void changes_and_trends(void **state)
{
    /* The overview's comparisons with 2021 and section 四's. */
    assert_resolves(sample, "change.personnel", "98.45");
    assert_resolves(sample, "trend.personnel", "增加");
    assert_resolves(sample, "change.public", "4.16");
    assert_resolves(sample, "trend.public", "增加");
    assert_resolves(sample, "change.project", "257.86");
    assert_resolves(sample, "trend.project", "减少");
    assert_resolves(sample, "change.total_expense", "155.25");
    assert_resolves(sample, "trend.total_expense", "减少");
    assert_resolves(sample, "change.operating_costs", "4.16");
    assert_resolves(sample, "change.three_public", "0.20");
    assert_resolves(sample, "change.three_public_reception", "0.20");
    assert_resolves(sample, "trend.three_public_reception", "增加");
    assert_resolves(sample, "change.three_public_vehicles", "0.00");
    assert_resolves(sample, "trend.three_public_vehicles", "持平");
}

static void a_change_is_a_size_and_its_trend_the_direction(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("900.00"), "previous_year", "total_expense", NULL);
    bp_unit *changed = load_changed(root);
    assert_resolves(changed, "change.total_expense", "52.55");
    assert_resolves(changed, "trend.total_expense", "减少");
    bp_unit_destroy(changed);
}

/* ---- Expanding ---- */

static void literal_braces(void **state)
{
    size_t bad = 99;
    char *text = expand(sample, "{{year}} is {year}; {{ and }} and {{{year}}}", NULL, &bad);
    assert_string_equal(text, "{year} is 2022; { and } and {2022}");
    assert_int_equal(bad, 0);
    free(text);
    text = expand(sample, "无引用的文字", NULL, &bad);
    assert_string_equal(text, "无引用的文字");
    assert_int_equal(bad, 0);
    free(text);
}

static void the_buffer_works_like_snprintf(void **state)
{
    const char *text = "支出 {expense.total} 万元";
    size_t whole = strlen("支出 847.45 万元");
    assert_int_equal(bp_refs_expand(sample, text, "p", NULL, 0, NULL, NULL), whole);
    char small[8];
    memset(small, 'x', sizeof small);
    assert_int_equal(bp_refs_expand(sample, text, "p", small, sizeof small, NULL, NULL), whole);
    assert_string_equal(small, "支出 "); /* 7 bytes and the NUL */
    char exact[64];
    assert_int_equal(bp_refs_expand(sample, text, "p", exact, whole + 1, NULL, NULL), whole);
    assert_string_equal(exact, "支出 847.45 万元");
}

static void unknown_name_is_an_error_naming_the_path(void **state)
{
    bp_diags diags = BP_DIAGS_INIT;
    size_t bad = 0;
    char *text = expand(sample, "支出 {expens.total} 万元", &diags, &bad);
    assert_int_equal(bad, 1);
    assert_string_equal(text, "支出 {expens.total} 万元"); /* printed as written */
    assert_int_equal(diags.count, 1);
    const bp_diag *d = &diags.items[0];
    assert_int_equal(d->severity, BP_SEVERITY_ERROR);
    assert_string_equal(d->rule, "REF");
    assert_string_equal(d->path, "test.text");
    assert_string_equal(d->file, SAMPLE_PATH);
    assert_string_equal(d->message,
                        "{expens.total}: no figure has this name (did you mean {expense.total}?)");
    free(text);
    bp_diags_clear(&diags);

    char out[BP_REF_TEXT_MAX], why[256];
    assert_int_equal(bp_ref_resolve(sample, "total", out, why, sizeof why), BP_REF_UNKNOWN);
    assert_string_equal(out, "");
    assert_int_equal(bp_ref_resolve(sample, "previous.nothing", out, NULL, 0), BP_REF_UNKNOWN);
    assert_int_equal(bp_ref_resolve(sample, "change.year", out, NULL, 0), BP_REF_UNKNOWN);
    assert_int_equal(bp_ref_resolve(sample, "basic_row:30205", out, why, sizeof why),
                     BP_REF_NO_ROW);
    assert_string_equal(why, "{basic_row:30205}: 一般公共预算财政拨款基本支出表 has no row 30205");
    assert_int_equal(bp_ref_resolve(sample, "expense_row:", out, NULL, 0), BP_REF_NO_ROW);
}

/* Blank is not zero: the 三公 table leaves 因公出国（境）费 blank, and previous_year has no
 * three_public_overseas; neither prints, nor does a change that needs one of them. */
static void blank_amount_is_an_error_naming_the_path(void **state)
{
    char out[BP_REF_TEXT_MAX], why[512];
    assert_int_equal(bp_ref_resolve(sample, "three_public.overseas", out, why, sizeof why),
                     BP_REF_BLANK);
    assert_string_equal(why, "{three_public.overseas}: 财政拨款“三公”经费支出表, 因公出国（境）费, "
                             "合计 column is blank, and blank is not zero; give the amount there "
                             "(\"0.00\" for a real zero) or drop the reference");
    assert_int_equal(bp_ref_resolve(sample, "three_public.vehicle_purchase", out, NULL, 0),
                     BP_REF_BLANK);
    assert_int_equal(bp_ref_resolve(sample, "previous.three_public_overseas", out, NULL, 0),
                     BP_REF_BLANK);
    assert_int_equal(bp_ref_resolve(sample, "change.three_public_overseas", out, NULL, 0),
                     BP_REF_BLANK);
    assert_int_equal(bp_ref_resolve(sample, "trend.three_public_overseas", out, NULL, 0),
                     BP_REF_BLANK);

    bp_diags diags = BP_DIAGS_INIT;
    size_t bad = 0;
    char *text = expand(sample, "出国 {three_public.overseas} 万元", &diags, &bad);
    assert_int_equal(bad, 1);
    const bp_diag *d = diag_at(&diags, "test.text");
    assert_non_null(d);
    assert_string_equal(d->rule, "REF");
    assert_non_null(strstr(d->message, "{three_public.overseas}"));
    assert_non_null(strstr(d->message, "blank is not zero"));
    free(text);
    bp_diags_clear(&diags);
}

/* A blank in this year's table: the row exists, its 合计 cell does not. */
static void blank_row_total_is_an_error(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_null(), "tables", "general_budget_basic_expense", "rows", "#11", "amounts",
           "total", NULL);
    bp_unit *changed = load_changed(root);
    char out[BP_REF_TEXT_MAX], why[512];
    assert_int_equal(bp_ref_resolve(changed, "basic_row:30201", out, why, sizeof why),
                     BP_REF_BLANK);
    assert_non_null(strstr(why, "一般公共预算财政拨款基本支出表, row 30201 办公费, 合计 column "
                                "is blank"));
    bp_unit_destroy(changed);
}

static void stray_braces_are_errors(void **state)
{
    bp_diags diags = BP_DIAGS_INIT;
    size_t bad = 0;
    char *text = expand(sample, "a {Year} b {} c } d {year", &diags, &bad);
    assert_string_equal(text, "a {Year} b {} c } d {year");
    assert_int_equal(bad, 4);
    assert_int_equal(diags.count, 4);
    assert_string_equal(diags.items[0].message,
                        "\"{Year}\" is not a reference: a name of lowercase letters, digits and _ "
                        ". : stands between the braces; write {{ for a brace");
    assert_non_null(strstr(diags.items[1].message, "\"{}\" is not a reference"));
    assert_string_equal(diags.items[2].message,
                        "a \"}\" closes no reference; write }} for a brace");
    assert_non_null(strstr(diags.items[3].message, "\"{\" is not a reference"));
    free(text);
    bp_diags_clear(&diags);
}

static void an_overlong_name_is_refused(void **state)
{
    char text[200];
    snprintf(text, sizeof text, "{%s}",
             "a_very_long_name_that_no_figure_has_and_that_goes_on_past_"
             "the_limit");
    bp_diags diags = BP_DIAGS_INIT;
    size_t bad = 0;
    char *out = expand(sample, text, &diags, &bad);
    assert_int_equal(bad, 1);
    assert_string_equal(out, text);
    assert_non_null(strstr(diags.items[0].message, "no figure has so long a name"));
    free(out);
    bp_diags_clear(&diags);
}

/* ---- The sample ---- */

typedef struct collected {
    size_t count;
    size_t bad;
    const char *overview_path_seen;
    bool saw_indicator;
} collected;

static void collect(void *ctx, const char *text, const char *path)
{
    collected *c = ctx;
    size_t bad = 0;
    bp_refs_expand(sample, text, path, NULL, 0, NULL, &bad);
    c->bad += bad;
    c->count++;
    if (strcmp(path, "explanation.sections.overview.blocks[0].paragraph") == 0)
        c->overview_path_seen = path;
    if (strcmp(path, "performance.itemised[0].targets[0].indicators[0]") == 0)
        c->saw_indicator = true;
}

static void every_text_of_the_sample_expands(void **state)
{
    collected c = {0};
    bp_refs_each_text(sample, collect, &c);
    assert_true(c.count > 100);
    assert_int_equal(c.bad, 0);
    assert_non_null(c.overview_path_seen);
    assert_true(c.saw_indicator);
}

static const bp_section *section_of(bp_section_id id)
{
    return &sample->explanation.sections[id];
}

/* The bound paragraphs print exactly what they printed when the figures were typed in. */
static void the_sample_prints_what_it_printed_before(void **state)
{
    static const struct {
        bp_section_id section;
        const char *printed;
    } cases[] = {
        {BP_SEC_OVERVIEW,
         "按照预算管理有关规定，目前我单位预算的编制实行综合预算管理，即全部收入和支出都反映在预算"
         "中。2022年，工委办本级预算支出 847.45 万元，其中基本收入预算中人员支出预算 655.64 "
         "万元，日常公用经费支出预算 79.53 万元，小计 735.17 万元，项目支出预算 112.28 万元。与 "
         "2021 年相比，人员支出预算增加 98.45 万元，日常公用经费增加 4.16 万元，项目预算减少 "
         "257.86 万元。全年总支出减少 155.25 万元。"},
        {BP_SEC_OPERATING_COSTS,
         "本年度机关运行经费总计 79.53 万元，主要用于机关各项工作职能正常运转。其中办公费 4.68 "
         "万元；印刷费 2.24 万元；邮电费 20.13 万元；差旅费 4.20 万元；维修(护)费 0.28 "
         "万元；培训费 "
         "3.52 万元；公务接待费 0.55 万元；工会经费 4.69 万元；福利费 3.09 "
         "万元；公务用车运行维护费 "
         "8.24 万元；其他交通费用 22.20 万元；其他商品和服务支出 5.71 万元。"},
        {BP_SEC_THREE_PUBLIC,
         "2021 年单位“三公”经费 8.59 万元，其中公务用车购置及运维费 8.24 万元，公务接待费 0.35 "
         "万元。2022 年“三公”经费合计 8.79 万元，其中公务用车购置及运维费 8.24 万元，与 2021 "
         "年一致；公务接待费 0.55 万元，与 2021 年相比增加 0.20 万元，增加原因是 2022 "
         "年机关运行经费整体增加 4.16 万元，公务接待费计提基数加大，所以计提金额稍有增加。"},
        {BP_SEC_PROCUREMENT, "2022年，中共秦皇岛经济技术开发区工作委员会办公室(本级)安排政府采购"
                             "预算 0.00 万元。具体内容见下表。"},
        {BP_SEC_ASSETS, "中共秦皇岛经济技术开发区工作委员会办公室(本级)上年末固定资产金额为 885.83 "
                        "万元（详见下表）。本年度拟购置固定资产总额为 0.00 "
                        "万元，已按要求列入政府采购预算，详见政府采购预算表。"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *bound = section_of(cases[i].section)->blocks[0].text;
        assert_non_null(strchr(bound, '{')); /* the figures are references now */
        size_t bad = 0;
        char *text = expand(sample, bound, NULL, &bad);
        assert_int_equal(bad, 0);
        assert_string_equal(text, cases[i].printed);
        free(text);
    }
}

/* ---- Threads ---- */

/* Expands every text of the sample and hashes the result, so that threads can compare. */
static void hash_text(void *ctx, const char *text, const char *path)
{
    uint64_t *hash = ctx;
    char buffer[4096];
    size_t length = bp_refs_expand(sample, text, path, buffer, sizeof buffer, NULL, NULL);
    for (size_t i = 0; i < length && i < sizeof buffer - 1; i++)
        *hash = (*hash ^ (unsigned char)buffer[i]) * 1099511628211u;
}

static void *expand_all(void *arg)
{
    uint64_t *hash = arg;
    for (int round = 0; round < 20; round++)
        bp_refs_each_text(sample, hash_text, hash);
    return NULL;
}

static void threads_share_a_read_only_unit(void **state)
{
    enum { THREADS = 4 };
    pthread_t threads[THREADS];
    uint64_t hashes[THREADS];
    for (int i = 0; i < THREADS; i++) {
        hashes[i] = 14695981039346656037u;
        assert_int_equal(pthread_create(&threads[i], NULL, expand_all, &hashes[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    for (int i = 1; i < THREADS; i++)
        assert_true(hashes[i] == hashes[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_name_prints_the_table_value),
        cmocka_unit_test(names_follow_the_model),
        cmocka_unit_test(changes_and_trends),
        cmocka_unit_test(a_change_is_a_size_and_its_trend_the_direction),
        cmocka_unit_test(literal_braces),
        cmocka_unit_test(the_buffer_works_like_snprintf),
        cmocka_unit_test(unknown_name_is_an_error_naming_the_path),
        cmocka_unit_test(blank_amount_is_an_error_naming_the_path),
        cmocka_unit_test(blank_row_total_is_an_error),
        cmocka_unit_test(stray_braces_are_errors),
        cmocka_unit_test(an_overlong_name_is_refused),
        cmocka_unit_test(every_text_of_the_sample_expands),
        cmocka_unit_test(the_sample_prints_what_it_printed_before),
        cmocka_unit_test(threads_share_a_read_only_unit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * test_kind.c: kinds as data (kind.h): a kind is read from a layout's "kind" with every mistake
 * named by its JSON path; a unit of the kind is read against it (values by column type, lines
 * by key, whole amounts where the kind prints them so), with errors that name the kind, the
 * table and what it has; the rules the kind states are checked, residues within the rounding
 * of the parts being W-ROUND.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "budgetpress/check.h"
#include "budgetpress/kind.h"
#include "test_support.h"

#define FINAL_LAYOUT BP_SOURCE_DIR "/layouts/shanghai-2024-final.json"
#define FINAL_UNIT BP_SOURCE_DIR "/samples/putuo-finance-2024-final.json"

/* A small kind: a ledger with function codes and an identity, a two-sided lines table in two
 * blocks, a one-row table of whole amounts, percentages and texts. */
static const char *const small_kind =
    "{\"kind\": {\"name\": \"测试决算\", \"tables\": {"
    "  \"ledger\": {\"title\": \"支出表\", \"rows\": \"ledger\", \"codes\": \"function\","
    "     \"rounded\": true, \"columns\": {\"total\": \"amount\", \"basic\": \"amount\","
    "     \"project\": \"amount\"}, \"rules\": [\"codes\", \"total = basic + project\"]},"
    "  \"summary\": {\"title\": \"总表\", \"rows\": \"lines\", \"columns\": {\"amount\": "
    "\"amount\"},"
    "     \"sides\": {\"income\": [[{\"key\": \"grant\", \"label\": \"财政拨款\"},"
    "                               {\"key\": \"other\", \"label\": \"其他收入\"}],"
    "                              [{\"key\": \"total\", \"label\": \"总计\", \"total\": true}]],"
    "                \"expense\": [[{\"code\": \"201\", \"label\": \"一般公共服务支出\"}],"
    "                              [{\"key\": \"total\", \"label\": \"总计\", \"total\": true}]]},"
    "     \"rules\": [\"income: total = sum of block 1\", \"expense: total = 201\"]},"
    "  \"row\": {\"title\": \"一行表\", \"rows\": \"one_row\", \"money_unit\": \"元\","
    "     \"decimals\": 0, \"columns\": {\"cars\": \"count\", \"rate\": \"percent\","
    "     \"cost\": \"amount\", \"who\": \"text\"}}},"
    "  \"equal\": [[\"ledger.total.total\", \"summary.expense.total.amount\"]]}}";

static bp_kind *kind_ok(const char *text)
{
    bp_kind *kind = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    int rc = bp_kind_load_buffer(text, strlen(text), "kind.json", &kind, &diags);
    print_diags_to_stderr(&diags);
    assert_int_equal(rc, 0);
    assert_int_equal(diags.count, 0);
    assert_non_null(kind);
    bp_diags_clear(&diags);
    return kind;
}

static bp_diags kind_fails(const char *text)
{
    bp_kind *kind = (bp_kind *)1;
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_kind_load_buffer(text, strlen(text), "kind.json", &kind, &diags), -1);
    assert_null(kind);
    assert_true(diags.count > 0);
    return diags;
}

/* A unit of kind "kind" (the kind's id is the file's name without .json). */
static int load_unit(const bp_kind *kind, const char *tables, bp_unit **unit, bp_diags *diags)
{
    char text[4096];
    snprintf(text, sizeof text,
             "{\"format\": \"budgetpress.unit/1\", \"kind\": \"kind\", \"unit\": {\"code\": \"1\","
             " \"name\": \"测试局\", \"budget_year\": 2024, \"money_unit\": \"万元\"},"
             " \"tables\": %s, \"explanation\": {\"sections\": {}}}",
             tables);
    return bp_unit_load_buffer_of_kind(text, strlen(text), "unit.json", kind, unit, diags);
}

static const char *const good_tables =
    "{\"ledger\": {\"total\": {\"total\": \"3.00\", \"basic\": \"2.00\", \"project\": \"1.00\"},"
    "   \"rows\": [{\"code\": \"201\", \"name\": \"一般公共服务支出\", \"amounts\": {\"total\": "
    "\"3.00\","
    "     \"basic\": \"2.00\", \"project\": \"1.00\"}},"
    "     {\"code\": \"20101\", \"name\": \"人大事务\", \"amounts\": {\"total\": \"3.00\","
    "     \"basic\": \"2.00\", \"project\": \"1.00\"}}]},"
    " \"summary\": {\"income\": {\"grant\": {\"amount\": \"3.00\"}, \"total\": {\"amount\": "
    "\"3.00\"}},"
    "             \"expense\": {\"201\": {\"amount\": \"3.00\"}, \"total\": {\"amount\": "
    "\"3.00\"}}},"
    " \"row\": {\"amounts\": {\"cars\": \"2\", \"rate\": \"12.50%\", \"cost\": \"1200\", \"who\": "
    "\"局本级\"}}}";

static void a_kind_reads_with_its_shapes(void **state)
{
    (void)state;
    bp_kind *kind = kind_ok(small_kind);
    assert_string_equal(kind->id, "kind");
    assert_string_equal(kind->name, "测试决算");
    assert_int_equal(kind->table_count, 3);
    const bp_kind_table *summary = bp_kind_table_find(kind, "summary");
    assert_int_equal(summary->rows, BP_ROWS_LINES);
    assert_int_equal(summary->side_count, 2);
    assert_int_equal(summary->sides[0].line_count, 3);
    assert_int_equal(summary->sides[0].block_count, 2);
    assert_int_equal(summary->sides[0].lines[2].block, 1);
    assert_true(summary->sides[0].lines[2].total);
    /* A line with a code and no key is keyed by its code. */
    assert_string_equal(summary->sides[1].lines[0].key, "201");
    const bp_kind_table *row = bp_kind_table_find(kind, "row");
    assert_int_equal(row->decimals, 0);
    assert_string_equal(row->money_unit, "元");
    assert_int_equal(row->columns[1].type, BP_VALUE_PERCENT);
    const bp_kind_table *ledger = bp_kind_table_find(kind, "ledger");
    assert_int_equal(ledger->rule_count, 2);
    assert_int_equal(ledger->rules[1].type, BP_RULE_ROW);
    assert_int_equal(ledger->rules[1].term_count, 2);
    assert_int_equal(summary->rules[0].terms[0].block, 0);
    bp_kind_destroy(kind);
}

static void a_layout_without_kind_is_the_built_in_one(void **state)
{
    (void)state;
    bp_kind *kind = (bp_kind *)1;
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_kind_load_file(REFERENCE_LAYOUT_PATH, &kind, &diags), 0);
    assert_null(kind);
    assert_int_equal(diags.count, 0);
}

static void kind_mistakes_are_named_by_path(void **state)
{
    (void)state;
    bp_diags diags = kind_fails(
        "{\"kind\": {\"name\": \"x\", \"tables\": {"
        " \"a\": {\"title\": \"甲\", \"rows\": \"ledgr\", \"columns\": {\"total\": \"money\"}},"
        " \"b\": {\"title\": \"乙\", \"rows\": \"lines\", \"columns\": {\"v\": \"amount\"},"
        "       \"sides\": {\"in\": [{\"key\": \"x\", \"label\": \"X\"}, {\"key\": \"x\", "
        "\"label\": \"Y\"}]},"
        "       \"rules\": [\"in: x = y\", \"x = v\"]},"
        " \"c\": {\"title\": \"丙\", \"columns\": {\"t\": \"amount\"}, \"decimals\": 3,"
        "       \"rules\": [\"t = nope\", \"codes\"]}}}}");
    assert_non_null(find_diag(&diags, "kind.tables.a.rows", "expected one of"));
    assert_non_null(find_diag(&diags, "kind.tables.a.columns.total", "money"));
    assert_non_null(
        find_diag(&diags, "kind.tables.b.sides.in[1]", "the key \"x\" is also line 1's"));
    assert_non_null(find_diag(&diags, "kind.tables.b.rules[0]", "the in side has no line \"y\""));
    assert_non_null(find_diag(&diags, "kind.tables.b.rules[1]", "names its side"));
    assert_non_null(find_diag(&diags, "kind.tables.c.decimals", "2 (amounts with fen) or 0"));
    assert_non_null(
        find_diag(&diags, "kind.tables.c.rules[0]", "the table has no column \"nope\""));
    assert_non_null(find_diag(&diags, "kind.tables.c.rules[1]", "only a ledger with codes"));
    bp_diags_clear(&diags);
}

static void a_unit_of_the_kind_reads_every_value_type(void **state)
{
    (void)state;
    bp_kind *kind = kind_ok(small_kind);
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    int rc = load_unit(kind, good_tables, &unit, &diags);
    print_diags_to_stderr(&diags);
    assert_int_equal(rc, 0);
    const bp_data_table *row = bp_unit_data_table(unit, "row");
    assert_int_equal(row->rows[0].values[0].number.hundredths, 200);
    assert_int_equal(row->rows[0].values[1].number.hundredths, 1250);
    assert_int_equal(row->rows[0].values[2].number.hundredths, 120000);
    assert_string_equal(row->rows[0].values[3].text, "局本级");
    const bp_data_table *summary = bp_unit_data_table(unit, "summary");
    /* A line the unit leaves out is blank, not 0. */
    assert_true(bp_amount_is_blank(summary->lines[0][1].values[0].number));
    assert_string_equal(summary->lines[1][0].code, "201");
    assert_int_equal(bp_check_unit(unit, &diags), 0);
    assert_int_equal(diags.count, 0);
    bp_diags_clear(&diags);
    bp_unit_destroy(unit);
    bp_kind_destroy(kind);
}

static void unit_mistakes_name_the_kind_and_what_it_has(void **state)
{
    (void)state;
    bp_kind *kind = kind_ok(small_kind);
    bp_unit *unit = (bp_unit *)1;
    bp_diags diags = BP_DIAGS_INIT;
    int rc = load_unit(
        kind,
        "{\"ledger\": {\"rows\": [{\"code\": \"201\", \"name\": \"a\","
        "   \"amounts\": {\"carryover\": \"1.00\"}}]},"
        " \"summary\": {\"income\": {\"grants\": {\"amount\": \"1.00\"}}},"
        " \"row\": {\"amounts\": {\"cars\": \"2.5\", \"cost\": \"1.50\", \"rate\": \"x%\"}},"
        " \"extra\": {}}",
        &unit, &diags);
    assert_int_equal(rc, -1);
    assert_null(unit);
    assert_non_null(find_diag(&diags, "tables.ledger.rows[0].amounts.carryover",
                              "测试决算 has no column \"carryover\" in 支出表 (expected one of "
                              "total, basic, project)"));
    assert_non_null(find_diag(&diags, "tables.summary.income.grants",
                              "测试决算 has no line \"grants\" on the income side of 总表 "
                              "(expected one of grant, other, total)"));
    assert_non_null(find_diag(&diags, "tables.row.amounts.cars", "a whole number"));
    assert_non_null(find_diag(&diags, "tables.row.amounts.cost", "a whole amount"));
    assert_non_null(find_diag(&diags, "tables.row.amounts.rate", "a percentage"));
    assert_non_null(find_diag(&diags, "tables.extra", "unknown key"));
    bp_diags_clear(&diags);
    bp_kind_destroy(kind);
}

static void a_unit_of_another_kind_is_refused_by_name(void **state)
{
    (void)state;
    bp_kind *kind = kind_ok(small_kind);
    const char *text =
        "{\"format\": \"budgetpress.unit/1\", \"kind\": \"shanghai-2025-budget\","
        " \"unit\": {\"code\": \"1\", \"name\": \"x\", \"budget_year\": 2024,"
        " \"money_unit\": \"万元\"}, \"tables\": {}, \"explanation\": {\"sections\": {}}}";
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_unit_load_buffer_of_kind(text, strlen(text), "u.json", kind, &unit, &diags),
                     -1);
    assert_non_null(find_diag(&diags, "kind",
                              "the unit is of the kind \"shanghai-2025-budget\", the layout of "
                              "\"kind\" (测试决算)"));
    bp_diags_clear(&diags);
    bp_kind_destroy(kind);
}

static void rules_find_sums_and_residues(void **state)
{
    (void)state;
    bp_kind *kind = kind_ok(small_kind);
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    /* 201 is 0.01 under its one child (a residue: W-ROUND); the total's basic is 1.00 off (an
     * error); the summary's expense total disagrees with the ledger's by 0.01 (W-ROUND). */
    const char *tables =
        "{\"ledger\": {\"total\": {\"total\": \"3.00\", \"basic\": \"3.00\", \"project\": "
        "\"1.00\"},"
        "   \"rows\": [{\"code\": \"201\", \"name\": \"一般公共服务支出\", \"amounts\": "
        "{\"total\": \"2.99\","
        "     \"basic\": \"2.00\", \"project\": \"1.00\"}},"
        "     {\"code\": \"20101\", \"name\": \"人大事务\", \"amounts\": {\"total\": \"3.00\","
        "     \"basic\": \"2.00\", \"project\": \"1.00\"}}]},"
        " \"summary\": {\"income\": {\"grant\": {\"amount\": \"3.01\"}, \"total\": {\"amount\": "
        "\"3.01\"}},"
        "             \"expense\": {\"201\": {\"amount\": \"3.01\"}, \"total\": {\"amount\": "
        "\"3.01\"}}},"
        " \"row\": {\"amounts\": {}}}";
    assert_int_equal(load_unit(kind, tables, &unit, &diags), 0);
    size_t errors = bp_check_unit(unit, &diags);
    print_diags_to_stderr(&diags);
    const bp_diag *d = find_diag(&diags, "tables.ledger.rows[0].amounts.total", "Σ of the codes");
    assert_non_null(d);
    assert_string_equal(d->rule, "ROUND");
    assert_int_equal(d->severity, BP_SEVERITY_WARNING);
    assert_non_null(
        strstr(d->message, "2.99 ≠ 3.00 (diff -0.01), within the rounding of 2 figures (±0.01)"));
    d = find_diag(&diags, "tables.ledger.total.amounts.basic", "合计「basic」");
    assert_non_null(d);
    assert_string_equal(d->rule, "SUM");
    assert_non_null(strstr(d->message, "3.00 ≠ 2.00 (diff 1.00)"));
    d = find_diag(&diags, "tables.ledger.total.amounts.total", "total = basic + project");
    assert_non_null(d);
    assert_string_equal(d->rule, "IDENTITY");
    /* The cross-table equality: the summary is not rounded, the ledger is: W-ROUND. */
    d = find_diag(&diags, "tables.summary.expense.total.amount", "= ledger.total.total");
    assert_non_null(d);
    assert_string_equal(d->rule, "ROUND");
    assert_int_equal(errors, 2);
    bp_diags_clear(&diags);
    bp_unit_destroy(unit);
    bp_kind_destroy(kind);
}

/* A key–value form is one side of lines with a text column. */
static void a_key_value_form_is_one_side_of_text(void **state)
{
    (void)state;
    bp_kind *kind = kind_ok(
        "{\"kind\": {\"name\": \"表单\", \"tables\": {\"form\": {\"title\": \"单位基本情况\","
        " \"rows\": \"lines\", \"sides\": {\"fields\": {\"columns\": {\"value\": \"text\"},"
        " \"lines\": [{\"key\": \"head\", \"label\": \"单位负责人\"},"
        "            {\"key\": \"staff\", \"label\": \"编制人数\"}]}}}}}}");
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    int rc = load_unit(kind, "{\"form\": {\"fields\": {\"head\": {\"value\": \"张三\"}}}}", &unit,
                       &diags);
    print_diags_to_stderr(&diags);
    assert_int_equal(rc, 0);
    const bp_data_table *form = bp_unit_data_table(unit, "form");
    assert_string_equal(form->lines[0][0].name, "单位负责人");
    assert_string_equal(form->lines[0][0].values[0].text, "张三");
    assert_null(form->lines[0][1].values[0].text); /* left out: blank */
    bp_diags_clear(&diags);
    bp_unit_destroy(unit);
    bp_kind_destroy(kind);
}

static void peek(const char *text, const char *want)
{
    char *name = (char *)1;
    assert_int_equal(bp_unit_peek_kind(text, strlen(text), &name), 0);
    if (want)
        assert_string_equal(name, want);
    else
        assert_null(name);
    free(name);
}

/* The kind a unit names is found without parsing it whole: at the top level only. */
static void the_kind_a_unit_names_is_peeked(void **state)
{
    (void)state;
    peek("{\"format\": \"x\", \"kind\": \"shanghai-2024-final\", \"unit\": {}}",
         "shanghai-2024-final");
    peek("\xef\xbb\xbf{ \"kind\" :\n \"a\\u0062c\" }", "abc");
    peek("{\"unit\": {\"kind\": \"nested\"}, \"note\": \"kind\"}", NULL);
    peek("{\"tables\": [\"kind\", {\"kind\": 1}]}", NULL);
    peek("{\"kind\": 3}", NULL);
    peek("[\"kind\", \"x\"]", NULL);
    char *name = NULL;
    const char *cut = "{\"kind\": \"unterminated";
    assert_int_equal(bp_unit_peek_kind(cut, strlen(cut), &name), -1);
    assert_null(name);
}

static void the_published_final_accounts_load_and_check(void **state)
{
    (void)state;
    bp_kind *kind = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_kind_load_file(FINAL_LAYOUT, &kind, &diags), 0);
    assert_string_equal(kind->id, "shanghai-2024-final");
    assert_int_equal(kind->table_count, 9);
    bp_unit *unit = NULL;
    assert_int_equal(bp_unit_load_file_of_kind(FINAL_UNIT, kind, &unit, &diags), 0);
    assert_int_equal(bp_check_unit(unit, &diags), 0);
    size_t rounds = 0;
    for (size_t i = 0; i < diags.count; i++)
        rounds += strcmp(diags.items[i].rule, "ROUND") == 0;
    assert_int_equal(rounds, diags.count);
    assert_int_equal(rounds, 11); /* ten in the tables, one in the text's 政府采购 list */
    const bp_data_table *basic = bp_unit_data_table(unit, "general_basic");
    assert_int_equal(basic->spec->sides[0].line_count, 27); /* 26 codes and 人员经费合计 */
    assert_int_equal(basic->spec->sides[1].line_count, 39);
    bp_diags_clear(&diags);
    bp_unit_destroy(unit);
    bp_kind_destroy(kind);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_kind_reads_with_its_shapes),
        cmocka_unit_test(a_layout_without_kind_is_the_built_in_one),
        cmocka_unit_test(kind_mistakes_are_named_by_path),
        cmocka_unit_test(a_unit_of_the_kind_reads_every_value_type),
        cmocka_unit_test(unit_mistakes_name_the_kind_and_what_it_has),
        cmocka_unit_test(a_unit_of_another_kind_is_refused_by_name),
        cmocka_unit_test(rules_find_sums_and_residues),
        cmocka_unit_test(a_key_value_form_is_one_side_of_text),
        cmocka_unit_test(the_kind_a_unit_names_is_peeked),
        cmocka_unit_test(the_published_final_accounts_load_and_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

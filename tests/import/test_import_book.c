/*
 * test_import_book.c: a workbook read under a profile into a unit, with workbooks built cell by
 * cell in memory, so each case shows exactly what a sheet holds and what the unit gets: codes
 * over 类 | 款 | 项, lines by label, the one-row table across and down, sum formulas, money units
 * from banners and number formats, and every problem with its sheet!cell. And the cell each
 * of the unit's values came from, by its JSON path and by the addresses check's rules use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budgetpress/import.h"
#include "import/import_int.h"

/* ---- A kind, a profile and workbooks, small ---- */

static const char kind_json[] =
    "{\"kind\": {\"name\": \"测试\", \"tables\": {"
    "\"expense\": {\"title\": \"支出表\", \"rows\": \"ledger\", \"codes\": \"function\","
    "  \"money_unit\": \"元\", \"columns\": {\"total\": \"amount\", \"basic\": \"amount\","
    "  \"project\": \"amount\"}, \"rules\": [\"codes\", \"total = basic + project\"]},"
    "\"summary\": {\"title\": \"收支总表\", \"rows\": \"lines\", \"money_unit\": \"元\","
    "  \"columns\": {\"amount\": \"amount\"}, \"sides\": {"
    "  \"income\": [[{\"key\": \"fiscal\", \"label\": \"财政拨款收入\"},"
    "               {\"key\": \"general\", \"label\": \"一般公共预算资金\", \"level\": 1}],"
    "              [{\"key\": \"carry\", \"label\": \"结转\"},"
    "               {\"key\": \"carry_general\", \"label\": \"一般公共预算资金\", \"level\": 1}],"
    "              [{\"key\": \"grand_total\", \"label\": \"收入总计\", \"total\": true}]],"
    "  \"expense\": [[{\"key\": \"201\", \"label\": \"一般公共服务支出\"},"
    "                {\"key\": \"205\", \"label\": \"教育支出\"}],"
    "               [{\"key\": \"grand_total\", \"label\": \"支出总计\", \"total\": true}]]}},"
    "\"three\": {\"title\": \"三公表\", \"rows\": \"one_row\", \"money_unit\": \"万元\","
    "  \"columns\": {\"total\": \"amount\", \"overseas\": \"amount\", \"reception\": \"amount\"},"
    "  \"rules\": [\"total = overseas + reception\"]},"
    "\"staff\": {\"title\": \"人员表\", \"rows\": \"ledger\", \"codes\": \"none\","
    "  \"money_unit\": \"元\", \"columns\": {\"budget\": \"amount\", \"rate\": \"percent\","
    "  \"people\": \"count\", \"note\": \"text\"}}}}}";

static const char profile_json[] =
    "{\"format\": \"budgetpress.profile/1\", \"name\": \"测试工作簿\", \"kind\": \"test\","
    " \"unit\": {\"name\": \"编制部门：\", \"code\": \"部门编码：\"},"
    " \"money_unit\": \"单位：\","
    " \"tables\": {"
    "  \"expense\": {\"sheet\": \"支出\", \"title\": \"支出表\","
    "    \"code\": {\"class\": \"类\", \"item\": \"款\", \"subitem\": \"项\"},"
    "    \"name\": \"科目名称 | 名称\","
    "    \"columns\": {\"total\": \"支出预算 > 合计\", \"basic\": \"基本支出\","
    "                \"project\": \"项目支出\"}},"
    "  \"summary\": {\"sheet\": \"总表\", \"sides\": {"
    "    \"income\": {\"label\": \"收入 > 项目\", \"columns\": {\"amount\": \"收入 > 预算数\"},"
    "               \"lines\": {\"general\": \"一般公共预算\", \"carry_general\": "
    "\"一般公共预算\"}},"
    "    \"expense\": {\"label\": \"支出 > 项目\", \"columns\": {\"amount\": \"支出 > 预算数\"}}}},"
    "  \"three\": {\"sheet\": \"三公\", \"optional\": true,"
    "    \"columns\": {\"total\": \"三公经费 > 合计\", \"overseas\": \"因公出国(境)费\","
    "                \"reception\": \"公务接待费\"},"
    "    \"down\": {\"label\": \"项目\", \"value\": \"预算数\","
    "             \"lines\": {\"total\": \"合计\", \"overseas\": \"因公出国(境)费\","
    "                       \"reception\": \"公务接待费\"}}},"
    "  \"staff\": {\"sheet\": \"人员\", \"optional\": true, \"name\": \"项目\","
    "    \"columns\": {\"budget\": \"预算\", \"rate\": \"增长率\", \"people\": \"人数\","
    "                \"note\": \"备注\"}}}}";

typedef struct fixture {
    bp_kind *kind;
    bp_profile *profile;
    bp_workbook *book;
    wb_sheet *sheet; /* the one being filled */
    bp_diags diags;
    bp_import *im;
    json_t *unit;
} fixture;

static int set_up(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(
        bp_kind_load_buffer(kind_json, strlen(kind_json), "layouts/test.json", &f->kind, &diags),
        0);
    f->profile =
        bp_profile_load_buffer(profile_json, strlen(profile_json), "test-profile.json", &diags);
    assert_non_null(f->profile);
    assert_int_equal(diags.count, 0);
    f->book = calloc(1, sizeof *f->book);
    f->book->arena = bp_arena_create();
    *state = f;
    return 0;
}

static int tear_down(void **state)
{
    fixture *f = *state;
    json_decref(f->unit);
    bp_import_destroy(f->im);
    bp_workbook_close(f->book);
    bp_profile_destroy(f->profile);
    bp_kind_destroy(f->kind);
    bp_diags_clear(&f->diags);
    free(f);
    return 0;
}

static void sheet(fixture *f, const char *name)
{
    if (f->sheet)
        wb_finish_sheet(f->sheet);
    f->sheet = wb_add_sheet(f->book, name, strlen(name));
}

/* A cell by reference: "E9" holding a number ("#12.5"), a formula without a result ("=…"), a
 * number with its format ("%FORMAT%12.5") or a text. */
static void put(fixture *f, const char *ref, const char *value)
{
    bp_cell c = {0};
    assert_true(bp_cell_parse_ref(ref, &c.row, &c.col));
    if (value[0] == '#') {
        c.type = BP_CELL_NUMBER;
        c.value = value + 1;
    } else if (value[0] == '=') {
        c.type = BP_CELL_NONE;
        c.value = "";
        c.formula = value + 1;
    } else if (value[0] == '%') {
        const char *end = strchr(value + 1, '%');
        c.type = BP_CELL_NUMBER;
        c.format = bp_arena_strndup(f->book->arena, value + 1, (size_t)(end - value - 1));
        c.value = end + 1;
    } else {
        c.type = BP_CELL_TEXT;
        c.value = value;
    }
    assert_true(wb_add_cell(f->book, f->sheet, &c));
}

/* Cells of one row or more, written "E5=#300; F5=#200" (see put for the values). */
static void put_cells(fixture *f, const char *spec)
{
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", spec);
    for (char *item = copy, *next; item; item = next) {
        next = strstr(item, "; ");
        if (next) {
            *next = '\0';
            next += 2;
        }
        char *eq = strchr(item, '=');
        assert_non_null(eq);
        *eq = '\0';
        put(f, item, eq + 1);
    }
}

static void expense_headers(fixture *f)
{
    /* the banner holds a number of its own (预算年度 | 2026) above the headers */
    put_cells(f, "A1=2026年支出表");
    put_cells(f, "A2=编制部门：测试局; D2=预算年度; E2=#2026; F2=单位：元");
    put_cells(f, "A3=科目编码; D3=科目名称; E3=支出预算");
    put_cells(f, "E4=合计; F4=基本支出; G4=项目支出; A4=类; B4=款; C4=项");
}

static void summary_sheet(fixture *f)
{
    sheet(f, "总表");
    put_cells(f, "A1=收入; C1=支出");
    put_cells(f, "A2=项目; B2=预算数; C2=项目; D2=预算数");
    put_cells(f, "A3=一、财政拨款收入; B3=#300; C3=201 一般公共服务支出; D3=#300");
    put_cells(f, "A4=1. 一般公共预算; B4=#300; C4=二、…");
    put_cells(f, "A5=二、结转");
    put_cells(f, "A6=1. 一般公共预算");
    put_cells(f, "A9=收入总计; B9=#300; C9=支出总计; D9=#300");
}

static void three_across(fixture *f)
{
    sheet(f, "三公");
    put_cells(f, "G2=单位：万元");
    put_cells(f, "A3=三公经费");
    put_cells(f, "A4=合计; B4=因公出国（境）费; C4=公务接待费");
    put_cells(f, "A5=#1.5; B5=#1; C5=#0.5");
}

/* A clean department: the expense ledger with 201 and its children, a summary, the 三公 row. */
static void clean_book(fixture *f)
{
    sheet(f, "支出");
    expense_headers(f);
    put_cells(f, "A5=合计; E5=#300; F5=#200; G5=#100");
    put_cells(f, "A6=#201; D6=一般公共服务支出; E6=#300; F6=#200; G6=#100");
    put_cells(f, "A7=#201; B7=#1; D7=  人大事务; E7=#300; F7=#200; G7=100");
    put_cells(f, "B8=01; C8=01; D8=    行政运行; E8=#200; F8=#200");
    put_cells(f, "A9=…; D9=…");
    put_cells(f, "B10=01; C10=02; D10=    一般行政管理事务; E10=#100; G10=#100");
    summary_sheet(f);
    three_across(f);
}

static void import(fixture *f, const char *base)
{
    wb_finish_sheet(f->sheet);
    f->sheet = NULL;
    f->im = bp_import_book(f->book, "book.xlsx", f->profile, f->kind, base, base ? strlen(base) : 0,
                           "base.json", &f->diags);
    if (!f->im)
        return;
    size_t size;
    const char *text = bp_import_json(f->im, &size);
    json_error_t error;
    f->unit = json_loadb(text, size, 0, &error);
    assert_non_null(f->unit);
}

static const char *at(fixture *f, const char *path)
{
    json_t *v = f->unit;
    char copy[256];
    snprintf(copy, sizeof copy, "%s", path);
    for (char *part = strtok(copy, "/"); part && v; part = strtok(NULL, "/"))
        v = json_is_array(v) ? json_array_get(v, (size_t)atoi(part)) : json_object_get(v, part);
    return json_is_string(v) ? json_string_value(v) : json_is_integer(v) ? "(integer)" : NULL;
}

/* Whether some problem says `text` at `path` (a cell or a JSON path). */
static bool said(const fixture *f, const char *path, const char *text)
{
    for (size_t i = 0; i < f->diags.count; i++) {
        const bp_diag *d = &f->diags.items[i];
        if ((!path || (d->path && strcmp(d->path, path) == 0)) && strstr(d->message, text))
            return true;
    }
    for (size_t i = 0; i < f->diags.count; i++)
        fprintf(stderr, "  said: %s: %s\n", f->diags.items[i].path ? f->diags.items[i].path : "",
                f->diags.items[i].message);
    return false;
}

static const char base_json[] =
    "{\"format\": \"budgetpress.unit/1\", \"kind\": \"test\","
    " \"unit\": {\"code\": \"123456\", \"name\": \"测试局\", \"budget_year\": 2025,"
    "          \"money_unit\": \"元\", \"region\": \"某区\"},"
    " \"tables\": {\"three\": {\"amounts\": {}, \"note\": \"本表无数据。\"}},"
    " \"explanation\": {\"sections\": {\"functions\": {\"title\": \"职能\", \"blocks\": []}}}}";

/* ---- Ledgers ---- */

static void ledger_rows_codes_and_total(void **state)
{
    fixture *f = *state;
    clean_book(f);
    import(f, base_json);
    assert_non_null(f->im);
    assert_int_equal(bp_diags_count(&f->diags, BP_SEVERITY_ERROR), 0);
    /* the 合计 row first, a 款 typed as a number, blank 类 and 款 taken from the rows above,
     * names without their indentation, the template's filler row left out */
    assert_string_equal(at(f, "tables/expense/total/total"), "300.00");
    assert_string_equal(at(f, "tables/expense/rows/0/code"), "201");
    assert_string_equal(at(f, "tables/expense/rows/1/code"), "20101");
    assert_string_equal(at(f, "tables/expense/rows/1/name"), "人大事务");
    assert_string_equal(at(f, "tables/expense/rows/1/amounts/project"), "100.00");
    assert_string_equal(at(f, "tables/expense/rows/2/code"), "2010101");
    assert_string_equal(at(f, "tables/expense/rows/3/code"), "2010102");
    assert_null(at(f, "tables/expense/rows/2/amounts/project")); /* blank, not 0 */
    assert_null(at(f, "tables/expense/rows/4/code"));
    /* the unit: the code and the region from the base, the name from the sheet, the year
     * from the title */
    assert_string_equal(at(f, "unit/code"), "123456");
    assert_string_equal(at(f, "unit/name"), "测试局");
    assert_string_equal(at(f, "unit/region"), "某区");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(f->unit, "unit"), "budget_year")), 2026);
    assert_string_equal(at(f, "explanation/sections/functions/title"), "职能");
    /* the base's note does not stand over figures */
    assert_null(at(f, "tables/three/note"));
}

static void cells_of_values(void **state)
{
    fixture *f = *state;
    clean_book(f);
    import(f, base_json);
    struct {
        const char *path, *cell;
    } cases[] = {
        {"tables.expense.rows[1].amounts.project", "支出!G7"},
        {"tables.expense.rows[1].amounts", "支出!D7"}, /* a row: its name */
        {"tables.expense.rows[1]", "支出!D7"},
        {"tables.expense.20101.basic", "支出!F7"}, /* as check's CROSS rule addresses it */
        {"tables.expense.2010101.total", "支出!E8"},
        {"tables.expense.total.project", "支出!G5"},
        {"tables.summary.income.general.amount", "总表!B4"},
        {"tables.summary.expense.201.amount", "总表!D3"},
        {"tables.summary.income.grand_total", "总表!A9"},
        {"tables.three.amounts.reception", "三公!C5"},
        {"tables.three.overseas", "三公!B5"},
        {"unit.budget_year", "支出!A1"},
        {"unit.name", "支出!A2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *cell = bp_import_cell(f->im, cases[i].path);
        if (!cell || strcmp(cell, cases[i].cell) != 0)
            fail_msg("%s: %s, not %s", cases[i].path, cell ? cell : "(none)", cases[i].cell);
    }
    assert_null(bp_import_cell(f->im, "explanation.sections.functions"));
    assert_null(bp_import_cell(f->im, "tables.expense.999.total"));
}

static void ledger_problems_name_their_cells(void **state)
{
    fixture *f = *state;
    sheet(f, "支出");
    expense_headers(f);
    put_cells(f, "A5=合计; E5=#300");
    put_cells(f, "A6=#201; D6=一般公共服务支出; E6=1,2O4.00");
    put_cells(f, "A7=#20; D7=短; E7=#1");
    put_cells(f, "A8=#201; B8=123; D8=长; E8=#1");
    put_cells(f, "E9=#5");
    put_cells(f, "A10=#201; B10=02; E10=#5");
    put_cells(f, "A11=#201; B11=03; D11=x; H11=#7");
    summary_sheet(f);
    import(f, base_json);
    assert_true(said(f, "支出!E6", "\"1,2O4.00\" is not an amount (a letter O among the digits)"));
    assert_true(said(f, "支出!A7", "\"20\" is not a code (digits only, 3 for a 类)"));
    assert_true(said(f, "支出!B8", "\"123\" is not a code (digits only, 2 for a 款 or a 项)"));
    assert_true(said(f, "支出!E9", "figures on a row without a code or a name"));
    assert_true(said(f, "支出!D10", "the row 20102 has no name"));
    assert_true(said(f, "支出!H11", "a figure in a column the profile places under no column"));
    /* a table the workbook lacks, unless the profile says it may */
    assert_false(said(f, NULL, "三公表"));
}

/* ---- Formulas ---- */

/* An expense sheet of sums without stored results, each row's E cell given by the caller; and
 * a second sheet its G7 adds from. */
static void formula_book(fixture *f, const char *e7, const char *e8, const char *e9)
{
    sheet(f, "支出");
    expense_headers(f);
    put_cells(f, "A5=#201; D5=甲; E5==SUM(E6:E8); F5==F6+F7-F8+0.5; G5==SUM(G6,G7)");
    put_cells(f, "A6=#201; B6=01; D6=乙; E6=#1.10; F6=#2; G6=#3");
    put_cells(f, "A7=#201; B7=02; D7=丙; F7=#1; G7==SUM('其 他'!B1:B2)");
    put_cells(f, "A8=#201; B8=03; D8=丁; F8=#0.50");
    put_cells(f, "A11=合计; E11==SUM(E5); F11==F5; G11==SUM(G5)");
    put(f, "E7", e7);
    if (e8)
        put(f, "E8", e8);
    if (e9) {
        put_cells(f, "A9=#201; B9=04; D9=戊");
        put_cells(f, "E10==E9");
        put(f, "E9", e9);
    }
    sheet(f, "其 他");
    put(f, "B1", "#10");
    put(f, "B2", "=B1+0.25");
    summary_sheet(f);
}

static void sums_without_results_are_added_up(void **state)
{
    fixture *f = *state;
    formula_book(f, "#2.2", NULL, NULL);
    import(f, base_json);
    /* E5 = 1.10 + 2.20; F5 = 2 + 1 - 0.50 + 0.5; G5 = 3 + (10 + 10.25), the second sheet's */
    assert_string_equal(at(f, "tables/expense/rows/0/amounts/total"), "3.30");
    assert_string_equal(at(f, "tables/expense/rows/0/amounts/basic"), "3.00");
    assert_string_equal(at(f, "tables/expense/rows/0/amounts/project"), "23.25");
    assert_string_equal(at(f, "tables/expense/total/project"), "23.25"); /* a sum of sums */
}

static void formulas_that_are_no_sums(void **state)
{
    fixture *f = *state;
    formula_book(f, "=E6*2", "=SUM(E:E)", "=E10");
    import(f, base_json);
    assert_true(said(f, "支出!E7",
                     "the formula =E6*2 has no stored result and cannot be taken as "
                     "a sum (it is not a sum of cells (SUM or + and -))"));
    assert_true(said(f, "支出!E8", "a whole row or column (E:E) is not summed"));
    assert_true(said(f, "支出!E11", "it adds E5, whose own formula =SUM(E6:E8) is not a sum"));
    assert_true(said(f, "支出!E9", "goes round in a circle"));
    assert_true(said(f, "支出!E5", "the formula =SUM(E6:E8)")); /* it adds a bad formula */
}

/* ---- Money units ---- */

static void money_units_convert_exactly(void **state)
{
    fixture *f = *state;
    sheet(f, "支出");
    put_cells(f, "A1=支出表");
    put_cells(f, "F2=单位：万元");
    put_cells(f, "A3=科目编码; D3=科目名称; E3=支出预算");
    put_cells(f, "E4=合计; F4=基本支出; G4=项目支出; A4=类; B4=款; C4=项");
    put_cells(f, "A5=#201; D5=甲; E5=#1.23; F5=%#,##0.00\"元\"%12300");
    put_cells(f, "A6=合计; E6=#1.23; F6=#1.23");
    summary_sheet(f);
    sheet(f, "三公");
    put_cells(f, "G2=单位：元");
    put_cells(f, "A3=三公经费");
    put_cells(f, "A4=合计; B4=因公出国(境)费; C4=公务接待费");
    put_cells(f, "A5=#15000; B5=#10001; C5=#5000");
    import(f, base_json);
    /* 万元 in a table of 元: times 10,000; a cell formatted in 元 stays */
    assert_string_equal(at(f, "tables/expense/rows/0/amounts/total"), "12300.00");
    assert_string_equal(at(f, "tables/expense/rows/0/amounts/basic"), "12300.00");
    /* 元 in a table of 万元: divided when exact, else named */
    assert_string_equal(at(f, "tables/three/amounts/total"), "1.50");
    assert_true(said(f, "三公!B5", "10,001.00 元 is not a whole number of hundredths of 万元"));
}

/* ---- Lines ---- */

static void lines_by_label(void **state)
{
    fixture *f = *state;
    clean_book(f);
    import(f, base_json);
    /* 一、 and 1. set aside; an alias; the second 一般公共预算 is the next line of that name;
     * "201 一般公共服务支出" by its code; the filler 二、… and the blank 结转 lines left out */
    assert_string_equal(at(f, "tables/summary/income/fiscal/amount"), "300.00");
    assert_string_equal(at(f, "tables/summary/income/general/amount"), "300.00");
    assert_null(at(f, "tables/summary/income/carry_general/amount"));
    assert_string_equal(at(f, "tables/summary/expense/201/amount"), "300.00");
    assert_string_equal(at(f, "tables/summary/expense/grand_total/amount"), "300.00");
    assert_int_equal(bp_diags_count(&f->diags, BP_SEVERITY_ERROR), 0);
}

static void lines_it_cannot_place(void **state)
{
    fixture *f = *state;
    sheet(f, "支出");
    expense_headers(f);
    sheet(f, "总表");
    put_cells(f, "A1=收入; C1=支出");
    put_cells(f, "A2=项目; B2=预算数; C2=项目; D2=预算数");
    put_cells(f, "A3=一、财政拨款收入; B3=#1; C3=三、外交支出; D3=#2");
    put_cells(f, "A4=一、财政拨款收入; B4=#1");
    put_cells(f, "D5=#3");
    import(f, base_json);
    assert_true(said(f, "总表!C3", "\"三、外交支出\" is no line of 收支总表's expense side"));
    assert_true(
        said(f, "总表!A4", "\"一、财政拨款收入\" is given twice on 收支总表's income side"));
    assert_true(said(f, "总表!D5", "figures on the expense side without a label"));
}

/* ---- The one-row table ---- */

static void one_row_down(void **state)
{
    fixture *f = *state;
    sheet(f, "支出");
    expense_headers(f);
    summary_sheet(f);
    sheet(f, "三公");
    put_cells(f, "B1=单位：万元");
    put_cells(f, "A2=项目; B2=预算数");
    put_cells(f, "A3=合计; B3=#1.5");
    put_cells(f, "A4=一、因公出国(境)费; B4=#1");
    put_cells(f, "A5=二、公务接待费; B5=#0.5");
    import(f, base_json);
    assert_string_equal(at(f, "tables/three/amounts/total"), "1.50");
    assert_string_equal(at(f, "tables/three/amounts/reception"), "0.50");
    assert_string_equal(bp_import_cell(f->im, "tables.three.reception"), "三公!B5");
}

/* ---- Finding tables and headers ---- */

static void tables_by_title_and_missing(void **state)
{
    fixture *f = *state;
    sheet(f, "Sheet1"); /* the expense ledger under another name, found by its title */
    expense_headers(f);
    put(f, "A5", "#201");
    put(f, "D5", "甲");
    put(f, "E5", "#1");
    put(f, "A6", "合计");
    put(f, "E6", "#1");
    import(f, base_json);
    assert_string_equal(at(f, "tables/expense/rows/0/code"), "201");
    assert_true(
        said(f, NULL, "no sheet holds 收支总表: none is named 总表 (the workbook has Sheet1)"));
    assert_null(at(f, "tables/three/amounts/total")); /* optional: an empty table */
}

static void headers_missing_or_ambiguous(void **state)
{
    fixture *f = *state;
    sheet(f, "支出");
    put_cells(f, "A3=科目编码; D3=科目名称");
    put_cells(f, "A4=类; B4=款; C4=项; E4=合计; F4=基本支出; G4=基本支出; H4=项目支出");
    summary_sheet(f);
    import(f, base_json);
    assert_true(said(f, "支出", "no header 支出预算 › 合计 (for the column \"total\" of 支出表)"));
    assert_true(
        said(f, "支出", "the header 基本支出 (for the column \"basic\") is both F4 and G4"));
}

/* ---- Columns of other types ---- */

static void put_formatted(fixture *f, const char *ref, const char *format, const char *number)
{
    bp_cell c = {.type = BP_CELL_NUMBER, .value = number};
    assert_true(bp_cell_parse_ref(ref, &c.row, &c.col));
    c.format = bp_arena_strndup(f->book->arena, format, strlen(format));
    assert_true(wb_add_cell(f->book, f->sheet, &c));
}

static void percent_count_and_text_columns(void **state)
{
    fixture *f = *state;
    clean_book(f);
    sheet(f, "人员");
    put_cells(f, "A1=项目; B1=预算; C1=增长率; D1=人数; E1=备注");
    put_cells(f, "A2=甲; B2=#10; D2=#3; E2=  按编制核定 ");
    put_cells(f, "A3=乙; B3=#20; C3=8.5%; D3=#2.5");
    put_cells(f, "A4=丙; B4=#30; C4=#7.25; D4=１２");
    put_cells(f, "A5=丁; B5=#40; C5=１２．５％");
    put_cells(f, "A6=合计; B6=#100");
    put_formatted(f, "C2", "0.00%", "0.125");       /* 12.50% as Excel keeps it */
    put_formatted(f, "C6", "0.0%", "1.2345678E-1"); /* 12.345678%: too many decimals */
    import(f, base_json);
    assert_string_equal(at(f, "tables/staff/rows/0/amounts/rate"), "12.50");
    assert_string_equal(at(f, "tables/staff/rows/0/amounts/people"), "3");
    assert_string_equal(at(f, "tables/staff/rows/0/amounts/note"), "按编制核定");
    assert_string_equal(at(f, "tables/staff/rows/1/amounts/rate"), "8.50");
    assert_string_equal(at(f, "tables/staff/rows/2/amounts/rate"), "7.25");
    assert_string_equal(at(f, "tables/staff/rows/2/amounts/people"), "12");
    assert_string_equal(at(f, "tables/staff/rows/3/amounts/rate"), "12.50");
    assert_true(said(f, "人员!D3", "2.50 is not a whole number (the column counts)"));
    assert_true(
        said(f, "人员!C6", "1.2345678E-1 shown as a percentage has more than two decimals"));
}

/* ---- The profile against the kind ---- */

static void profile_that_does_not_fit_the_kind(void **state)
{
    fixture *f = *state;
    static const char bad[] =
        "{\"format\": \"budgetpress.profile/1\", \"name\": \"x\", \"kind\": \"other\","
        " \"tables\": {\"expense\": {\"sheet\": \"支出\", \"name\": \"名称\","
        "   \"code\": \"编码\", \"columns\": {\"totl\": \"合计\"}},"
        "  \"nope\": {\"sheet\": \"x\"},"
        "  \"summary\": {\"sheet\": \"总表\", \"sides\": {\"incme\": {\"label\": \"项目\"},"
        "    \"income\": {\"label\": \"项目\", \"lines\": {\"fiscl\": \"x\"}}}}}}";
    bp_profile *p = bp_profile_load_buffer(bad, strlen(bad), "bad.json", &f->diags);
    assert_non_null(p);
    sheet(f, "支出");
    wb_finish_sheet(f->sheet);
    assert_null(bp_import_book(f->book, "book.xlsx", p, f->kind, NULL, 0, NULL, &f->diags));
    assert_true(said(f, "kind", "the profile reads into the kind \"other\", not \"test\""));
    assert_true(
        said(f, "tables.expense.columns.totl",
             "测试 has no column \"totl\" in 支出表 (expected one of total, basic, project)"));
    assert_true(said(f, "tables.nope", "测试 has no table \"nope\""));
    assert_true(said(f, "tables.summary.sides.incme", "收支总表 has no side \"incme\""));
    assert_true(said(f, "tables.summary.sides.income.lines.fiscl",
                     "the income side of 收支总表 has no line \"fiscl\""));
    bp_profile_destroy(p);
}

static void profile_form_mistakes(void **state)
{
    fixture *f = *state;
    static const char bad[] =
        "{\"format\": \"budgetpress.profile/2\", \"name\": \"\", \"kind\": \"test\","
        " \"tables\": {\"expense\": {\"colums\": {}, \"columns\": {\"total\": \"a > > b\"}},"
        "  \"three\": {\"sheet\": [], \"down\": {\"label\": 3}}}}";
    assert_null(bp_profile_load_buffer(bad, strlen(bad), "bad.json", &f->diags));
    assert_true(said(f, "format", "expected \"budgetpress.profile/1\""));
    assert_true(said(f, "tables.expense.colums", "unknown key (did you mean \"columns\"?"));
    assert_true(said(f, "tables.expense.columns.total", "a header"));
    assert_true(said(f, "tables.three.sheet", "a sheet name or a list of them"));
    assert_true(said(f, "tables.three.down.label", "a header"));
    assert_true(said(f, "tables.expense", "says neither \"sheet\" nor \"title\""));
}

static void no_code_anywhere(void **state)
{
    fixture *f = *state;
    clean_book(f);
    import(f, NULL);
    assert_true(said(f, "unit.code",
                     "neither the workbook (after 部门编码：) nor a base unit gives "
                     "the unit's code"));
    assert_non_null(at(f, "tables/expense/total/total"));
    assert_non_null(json_object_get(json_object_get(f->unit, "explanation"), "sections"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(ledger_rows_codes_and_total, set_up, tear_down),
        cmocka_unit_test_setup_teardown(cells_of_values, set_up, tear_down),
        cmocka_unit_test_setup_teardown(ledger_problems_name_their_cells, set_up, tear_down),
        cmocka_unit_test_setup_teardown(sums_without_results_are_added_up, set_up, tear_down),
        cmocka_unit_test_setup_teardown(formulas_that_are_no_sums, set_up, tear_down),
        cmocka_unit_test_setup_teardown(money_units_convert_exactly, set_up, tear_down),
        cmocka_unit_test_setup_teardown(lines_by_label, set_up, tear_down),
        cmocka_unit_test_setup_teardown(lines_it_cannot_place, set_up, tear_down),
        cmocka_unit_test_setup_teardown(one_row_down, set_up, tear_down),
        cmocka_unit_test_setup_teardown(tables_by_title_and_missing, set_up, tear_down),
        cmocka_unit_test_setup_teardown(headers_missing_or_ambiguous, set_up, tear_down),
        cmocka_unit_test_setup_teardown(percent_count_and_text_columns, set_up, tear_down),
        cmocka_unit_test_setup_teardown(profile_that_does_not_fit_the_kind, set_up, tear_down),
        cmocka_unit_test_setup_teardown(profile_form_mistakes, set_up, tear_down),
        cmocka_unit_test_setup_teardown(no_code_anywhere, set_up, tear_down),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

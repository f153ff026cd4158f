/*
 * vocab.c: the model's fixed vocabulary: column meanings, the nine tables, the 三公 items, the
 * explanatory sections and parts, last year's figures. Everything here is const data shared by
 * all threads; the loader, the checks and the layout all read their names from here, so a key
 * is spelt in exactly one place.
 */
#include "budgetpress/model.h"

#include <string.h>

#define COUNT_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct {
    const char *key;
    const char *label;
} column_names[BP_COL__COUNT] = {
    [BP_COL_TOTAL] = {"total", "合计"},
    [BP_COL_INCOME_SUBTOTAL] = {"income_subtotal", "小计"},
    [BP_COL_FISCAL_GRANT] = {"fiscal_grant", "财政拨款收入"},
    [BP_COL_SPECIAL_ACCOUNT] = {"special_account", "财政专户收入"},
    [BP_COL_BUSINESS] = {"business", "事业收入"},
    [BP_COL_OPERATING_INCOME] = {"operating_income", "经营收入"},
    [BP_COL_UPPER_GRANT] = {"upper_grant", "上级补助收入"},
    [BP_COL_AFFILIATE_REMIT] = {"affiliate_remit", "附属单位上缴收入"},
    [BP_COL_OTHER] = {"other", "其他收入"},
    [BP_COL_CARRYOVER] = {"carryover", "上年结转"},
    [BP_COL_BASIC] = {"basic", "基本支出"},
    [BP_COL_PROJECT] = {"project", "项目支出"},
    [BP_COL_OPERATING_EXPENSE] = {"operating_expense", "经营支出"},
    [BP_COL_REMIT_UPPER] = {"remit_upper", "上解上级支出"},
    [BP_COL_AFFILIATE_SUBSIDY] = {"affiliate_subsidy", "对附属单位补助支出"},
    [BP_COL_PERSONNEL] = {"personnel", "人员经费"},
    [BP_COL_PUBLIC] = {"public", "公用经费"},
    [BP_COL_GENERAL_BUDGET] = {"general_budget", "一般公共预算财政拨款"},
    [BP_COL_GOV_FUND] = {"gov_fund", "政府性基金预算财政拨款"},
    [BP_COL_STATE_CAPITAL] = {"state_capital", "国有资本经营预算财政拨款"},
    [BP_COL_UNIT_FUNDS] = {"unit_funds", "单位资金"},
    [BP_COL_FISCAL_CARRYOVER] = {"fiscal_carryover", "财政拨款结转"},
};

const char *bp_column_key(bp_column column)
{
    return column < BP_COL__COUNT ? column_names[column].key : "?";
}

const char *bp_column_label(bp_column column)
{
    return column < BP_COL__COUNT ? column_names[column].label : "?";
}

int bp_columns_index(const bp_columns *columns, bp_column column)
{
    for (int i = 0; i < columns->count; i++)
        if (columns->ids[i] == column)
            return i;
    return -1;
}

bp_amount bp_row_amount(const bp_row *row, bp_column column)
{
    int i = row->columns ? bp_columns_index(row->columns, column) : -1;
    return i < 0 ? bp_amount_blank() : row->amounts[i];
}

bp_level bp_code_level(const char *code)
{
    switch (code ? strlen(code) : 0) {
    case 3:
        return BP_LEVEL_CLASS;
    case 5:
        return BP_LEVEL_ITEM;
    case 7:
        return BP_LEVEL_SUBITEM;
    default:
        return BP_LEVEL_NONE;
    }
}

/* ---- Column sets of the tables ---- */

#define COLUMN_SET(name, ...)                                                                      \
    static const bp_column name##_ids[] = {__VA_ARGS__};                                           \
    static const bp_columns name = {name##_ids, COUNT_OF(name##_ids)}

COLUMN_SET(total_only, BP_COL_TOTAL);
COLUMN_SET(income_summary_columns, BP_COL_TOTAL, BP_COL_INCOME_SUBTOTAL, BP_COL_FISCAL_GRANT,
           BP_COL_SPECIAL_ACCOUNT, BP_COL_BUSINESS, BP_COL_OPERATING_INCOME, BP_COL_UPPER_GRANT,
           BP_COL_AFFILIATE_REMIT, BP_COL_OTHER, BP_COL_CARRYOVER);
COLUMN_SET(expense_summary_columns, BP_COL_TOTAL, BP_COL_BASIC, BP_COL_PROJECT,
           BP_COL_OPERATING_EXPENSE, BP_COL_REMIT_UPPER, BP_COL_AFFILIATE_SUBSIDY,
           BP_COL_UNIT_FUNDS, BP_COL_CARRYOVER);
COLUMN_SET(fiscal_expense_columns, BP_COL_TOTAL, BP_COL_GENERAL_BUDGET, BP_COL_GOV_FUND,
           BP_COL_STATE_CAPITAL);
COLUMN_SET(basic_project_columns, BP_COL_TOTAL, BP_COL_BASIC, BP_COL_PROJECT);
COLUMN_SET(personnel_public_columns, BP_COL_TOTAL, BP_COL_PERSONNEL, BP_COL_PUBLIC);

static const bp_table_spec table_specs[BP_TABLE__COUNT] = {
    {BP_TABLE_BUDGET_SUMMARY, "budget_summary", "收支总表", BP_SHAPE_TWO_SIDED, BP_CODES_FUNCTION,
     &total_only, &total_only},
    {BP_TABLE_INCOME_SUMMARY, "income_summary", "收入总表", BP_SHAPE_LEDGER, BP_CODES_FUNCTION,
     &income_summary_columns, NULL},
    {BP_TABLE_EXPENSE_SUMMARY, "expense_summary", "支出总表", BP_SHAPE_LEDGER, BP_CODES_FUNCTION,
     &expense_summary_columns, NULL},
    {BP_TABLE_FISCAL_SUMMARY, "fiscal_summary", "财政拨款收支总表", BP_SHAPE_TWO_SIDED,
     BP_CODES_FUNCTION, &total_only, &fiscal_expense_columns},
    {BP_TABLE_GENERAL_EXPENSE, "general_budget_expense", "一般公共预算财政拨款支出表",
     BP_SHAPE_LEDGER, BP_CODES_FUNCTION, &basic_project_columns, NULL},
    {BP_TABLE_GENERAL_BASIC, "general_budget_basic_expense", "一般公共预算财政拨款基本支出表",
     BP_SHAPE_LEDGER, BP_CODES_ECONOMIC, &personnel_public_columns, NULL},
    {BP_TABLE_GOV_FUND, "gov_fund_expense", "政府性基金预算财政拨款支出表", BP_SHAPE_LEDGER,
     BP_CODES_FUNCTION, &basic_project_columns, NULL},
    {BP_TABLE_STATE_CAPITAL, "state_capital_expense", "国有资本经营预算财政拨款支出表",
     BP_SHAPE_LEDGER, BP_CODES_FUNCTION, &basic_project_columns, NULL},
    {BP_TABLE_THREE_PUBLIC, "three_public", "财政拨款“三公”经费支出表", BP_SHAPE_FIXED_ITEMS,
     BP_CODES_NONE, &fiscal_expense_columns, NULL},
};

const bp_table_spec *bp_table_spec_get(bp_table_id id)
{
    return id < BP_TABLE__COUNT ? &table_specs[id] : NULL;
}

const bp_ledger *bp_unit_ledger(const bp_unit *unit, bp_table_id id)
{
    switch (id) {
    case BP_TABLE_INCOME_SUMMARY:
        return &unit->income_summary;
    case BP_TABLE_EXPENSE_SUMMARY:
        return &unit->expense_summary;
    case BP_TABLE_GENERAL_EXPENSE:
        return &unit->general_expense;
    case BP_TABLE_GENERAL_BASIC:
        return &unit->general_basic;
    case BP_TABLE_GOV_FUND:
        return &unit->gov_fund_expense;
    case BP_TABLE_STATE_CAPITAL:
        return &unit->state_capital_expense;
    default:
        return NULL;
    }
}

const bp_two_sided *bp_unit_two_sided(const bp_unit *unit, bp_table_id id)
{
    switch (id) {
    case BP_TABLE_BUDGET_SUMMARY:
        return &unit->budget_summary;
    case BP_TABLE_FISCAL_SUMMARY:
        return &unit->fiscal_summary;
    default:
        return NULL;
    }
}

/* ---- 三公 items ---- */

static const struct {
    const char *key;
    const char *label;
} three_public_names[BP_3P__COUNT] = {
    [BP_3P_TOTAL] = {"total", "合计"},
    [BP_3P_SUBTOTAL] = {"subtotal", "“三公”经费小计"},
    [BP_3P_OVERSEAS] = {"overseas", "一、因公出国（境）费"},
    [BP_3P_OVERSEAS_RESEARCH] = {"overseas_research", "其中：教学科研人员因公出国（境）费"},
    [BP_3P_OVERSEAS_OTHER] = {"overseas_other", "其他因公出国（境）费"},
    [BP_3P_VEHICLES] = {"vehicles", "二、公务用车购置及运维费"},
    [BP_3P_VEHICLE_PURCHASE] = {"vehicle_purchase", "其中：公务用车购置费"},
    [BP_3P_VEHICLE_OPERATION] = {"vehicle_operation", "公务用车运行维护费"},
    [BP_3P_RECEPTION] = {"reception", "三、公务接待费"},
};

const char *bp_three_public_key(bp_three_public_item item)
{
    return item < BP_3P__COUNT ? three_public_names[item].key : "?";
}

const char *bp_three_public_label(bp_three_public_item item)
{
    return item < BP_3P__COUNT ? three_public_names[item].label : "?";
}

/* ---- Sections and parts ---- */

static const struct {
    const char *key;
    const char *title;
} section_names[BP_SEC__COUNT] = {
    [BP_SEC_DUTIES] = {"duties", "单位职责及机构设置情况"},
    [BP_SEC_OVERVIEW] = {"overview", "单位预算安排的总体情况"},
    [BP_SEC_OPERATING_COSTS] = {"operating_costs", "机关运行经费安排情况"},
    [BP_SEC_THREE_PUBLIC] = {"three_public", "财政拨款“三公”经费预算情况及增减变化原因"},
    [BP_SEC_PERFORMANCE] = {"performance", "预算绩效信息"},
    [BP_SEC_PROCUREMENT] = {"procurement", "政府采购预算情况"},
    [BP_SEC_ASSETS] = {"assets", "国有资产信息"},
    [BP_SEC_GLOSSARY] = {"glossary", "名词解释"},
    [BP_SEC_OTHER_NOTES] = {"other_notes", "其他需要说明的事项"},
};

const char *bp_section_key(bp_section_id id)
{
    return id < BP_SEC__COUNT ? section_names[id].key : "?";
}

const char *bp_section_official_title(bp_section_id id)
{
    return id < BP_SEC__COUNT ? section_names[id].title : "?";
}

static const char *const part_keys[BP_PART__COUNT] = {
    [BP_PART_ORGANISATIONS] = "organisations", [BP_PART_PERFORMANCE] = "performance",
    [BP_PART_PROCUREMENT] = "procurement",     [BP_PART_ASSETS] = "assets",
    [BP_PART_GLOSSARY] = "glossary",
};

const char *bp_part_key(bp_part part)
{
    return part < BP_PART__COUNT ? part_keys[part] : "?";
}

static const char *const previous_keys[BP_PREV__COUNT] = {
    [BP_PREV_TOTAL_EXPENSE] = "total_expense",
    [BP_PREV_PERSONNEL] = "personnel",
    [BP_PREV_PUBLIC] = "public",
    [BP_PREV_PROJECT] = "project",
    [BP_PREV_OPERATING_COSTS] = "operating_costs",
    [BP_PREV_THREE_PUBLIC] = "three_public",
    [BP_PREV_THREE_PUBLIC_OVERSEAS] = "three_public_overseas",
    [BP_PREV_THREE_PUBLIC_VEHICLES] = "three_public_vehicles",
    [BP_PREV_THREE_PUBLIC_RECEPTION] = "three_public_reception",
};

const char *bp_previous_figure_key(bp_previous_figure figure)
{
    return figure < BP_PREV__COUNT ? previous_keys[figure] : "?";
}

/*
 * model.h: the budget model of one unit (单位) for one budget year.
 *
 * This is what the unit reports, not how it is drawn: the nine standard tables as budget data
 * (rows with classification codes and amounts keyed by what each column means), and the
 * explanatory part (单位预算信息公开情况说明) as sections of blocks plus structured parts
 * (organisations, performance targets, procurement, assets, glossary). The layout decides
 * columns, headers, ordinals and page breaks. docs/model.md documents the JSON form field by
 * field; schema/unit.schema.json is the same contract for editors.
 *
 * Life and threads: bp_unit_load_* builds a unit; from then on it is read-only and may be read
 * from any number of threads at once; bp_unit_destroy frees it and everything it points to. All
 * strings are valid UTF-8 without NUL or line breaks.
 */
#ifndef BUDGETPRESS_MODEL_H
#define BUDGETPRESS_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "amount.h"
#include "common.h"
#include "diag.h"

/* ---- Column meanings --------------------------------------------------------------------
 * Amounts are keyed by meaning; a table offers a fixed set of them (bp_table_spec). */
typedef enum bp_column {
    BP_COL_TOTAL,             /* total: 合计 / 预算数 / 金额 */
    BP_COL_INCOME_SUBTOTAL,   /* income_subtotal: 本年收入小计 */
    BP_COL_FISCAL_GRANT,      /* fiscal_grant: 财政拨款收入 */
    BP_COL_SPECIAL_ACCOUNT,   /* special_account: 财政专户收入 */
    BP_COL_BUSINESS,          /* business: 事业收入 */
    BP_COL_OPERATING_INCOME,  /* operating_income: 事业单位经营收入 */
    BP_COL_UPPER_GRANT,       /* upper_grant: 上级补助收入 */
    BP_COL_AFFILIATE_REMIT,   /* affiliate_remit: 附属单位上缴收入 */
    BP_COL_OTHER,             /* other: 其他收入 */
    BP_COL_CARRYOVER,         /* carryover: 上年结转 */
    BP_COL_BASIC,             /* basic: 基本支出 */
    BP_COL_PROJECT,           /* project: 项目支出 */
    BP_COL_OPERATING_EXPENSE, /* operating_expense: 经营支出 */
    BP_COL_REMIT_UPPER,       /* remit_upper: 上解上级支出 */
    BP_COL_AFFILIATE_SUBSIDY, /* affiliate_subsidy: 对附属单位补助支出 */
    BP_COL_PERSONNEL,         /* personnel: 人员经费 */
    BP_COL_PUBLIC,            /* public: 公用经费 */
    BP_COL_GENERAL_BUDGET,    /* general_budget: 一般公共预算（财政拨款） */
    BP_COL_GOV_FUND,          /* gov_fund: 政府性基金预算（财政拨款） */
    BP_COL_STATE_CAPITAL,     /* state_capital: 国有资本经营预算（财政拨款） */
    BP_COL_UNIT_FUNDS,        /* unit_funds: 单位资金 */
    BP_COL_FISCAL_CARRYOVER,  /* fiscal_carryover: 财政拨款结转 */
    BP_COL__COUNT
} bp_column;

/* The JSON key ("total") and the Chinese label ("合计") of a column meaning. */
BP_API const char *bp_column_key(bp_column column);
BP_API const char *bp_column_label(bp_column column);

/* An ordered set of column meanings. Tables have a dozen columns at most, so lookups scan. */
typedef struct bp_columns {
    const bp_column *ids;
    int count;
} bp_columns;

/* Position of a column meaning in the set, or -1. */
BP_API int bp_columns_index(const bp_columns *columns, bp_column column);

/* ---- Rows --------------------------------------------------------------------------------- */

/* One row of budget data: a classification code (or none), a name (or none, for totals) and
 * one amount per column of the table it belongs to. */
typedef struct bp_row {
    const char *code;          /* digits; NULL when the row has no code */
    const char *name;          /* NULL for total rows, whose label is the layout's */
    const bp_columns *columns; /* the table's columns; amounts[i] belongs to columns->ids[i] */
    bp_amount *amounts;        /* columns->count entries */
} bp_row;

/* The amount of a row in a column; blank when the table has no such column. */
BP_API bp_amount bp_row_amount(const bp_row *row, bp_column column);

/* Classification level from the code length: 类 3 digits, 款 5, 项 7. */
typedef enum bp_level { BP_LEVEL_NONE, BP_LEVEL_CLASS, BP_LEVEL_ITEM, BP_LEVEL_SUBITEM } bp_level;
BP_API bp_level bp_code_level(const char *code);

/* ---- The nine standard tables -------------------------------------------------------------- */
typedef enum bp_table_id {
    BP_TABLE_BUDGET_SUMMARY,  /* 收支总表 */
    BP_TABLE_INCOME_SUMMARY,  /* 收入总表 */
    BP_TABLE_EXPENSE_SUMMARY, /* 支出总表 */
    BP_TABLE_FISCAL_SUMMARY,  /* 财政拨款收支总表 */
    BP_TABLE_GENERAL_EXPENSE, /* 一般公共预算财政拨款支出表 */
    BP_TABLE_GENERAL_BASIC,   /* 一般公共预算财政拨款基本支出表 */
    BP_TABLE_GOV_FUND,        /* 政府性基金预算财政拨款支出表 */
    BP_TABLE_STATE_CAPITAL,   /* 国有资本经营预算财政拨款支出表 */
    BP_TABLE_THREE_PUBLIC,    /* 财政拨款“三公”经费支出表 */
    BP_TABLE__COUNT
} bp_table_id;

typedef enum bp_table_shape {
    BP_SHAPE_LEDGER,     /* a total and classified rows */
    BP_SHAPE_TWO_SIDED,  /* an income side and an expense side */
    BP_SHAPE_FIXED_ITEMS /* the 三公 table's fixed rows */
} bp_table_shape;

typedef enum bp_code_scheme {
    BP_CODES_NONE,
    BP_CODES_FUNCTION, /* 功能分类: 3, 5 or 7 digits */
    BP_CODES_ECONOMIC, /* 部门经济分类: 3 or 5 digits */
} bp_code_scheme;

/* What the model knows of each table, independent of any unit. */
typedef struct bp_table_spec {
    bp_table_id id;
    const char *key;   /* JSON key under "tables" */
    const char *title; /* official title without the 单位预算 prefix, e.g. "支出总表" */
    bp_table_shape shape;
    bp_code_scheme scheme;
    const bp_columns *columns;         /* ledger and fixed items; income side when two-sided */
    const bp_columns *expense_columns; /* two-sided only */
} bp_table_spec;

BP_API const bp_table_spec *bp_table_spec_get(bp_table_id id);

/* A classified table: the 合计 row and the rows in printed order. */
typedef struct bp_ledger {
    bool has_total; /* false for an empty table */
    bp_row total;   /* the 合计 row (no code, no name) */
    bp_row *rows;
    size_t row_count;
    const char *note; /* printed under the table without "注："; NULL when none */
} bp_ledger;

/* One side of a two-sided table. */
typedef struct bp_side {
    bp_row *lines; /* the side's items; expense lines carry their function 类 code */
    size_t line_count;
    bp_row year_total;  /* 本年收入合计 / 本年支出合计 */
    bool has_carryover; /* 上年结转结余 and its kin */
    bp_row carryover;
    bp_row *carryover_lines;
    size_t carryover_line_count;
    bp_row grand_total; /* 收入总计 / 支出总计 */
} bp_side;

typedef struct bp_two_sided {
    bp_side income;
    bp_side expense;
} bp_two_sided;

typedef enum bp_three_public_item {
    BP_3P_TOTAL,             /* 合计 */
    BP_3P_SUBTOTAL,          /* “三公”经费小计 */
    BP_3P_OVERSEAS,          /* 一、因公出国（境）费 */
    BP_3P_OVERSEAS_RESEARCH, /* 其中：教学科研人员因公出国（境）费 */
    BP_3P_OVERSEAS_OTHER,    /* 其他因公出国（境）费 */
    BP_3P_VEHICLES,          /* 二、公务用车购置及运维费 */
    BP_3P_VEHICLE_PURCHASE,  /* 其中：公务用车购置费 */
    BP_3P_VEHICLE_OPERATION, /* 公务用车运行维护费 */
    BP_3P_RECEPTION,         /* 三、公务接待费 */
    BP_3P__COUNT
} bp_three_public_item;

BP_API const char *bp_three_public_key(bp_three_public_item item);
BP_API const char *bp_three_public_label(bp_three_public_item item);

typedef struct bp_three_public {
    bp_row items[BP_3P__COUNT]; /* name is the official label; blank amounts when absent */
} bp_three_public;

/* ---- The explanatory part ------------------------------------------------------------------ */
typedef enum bp_section_id {
    BP_SEC_DUTIES,          /* 单位职责及机构设置情况 */
    BP_SEC_OVERVIEW,        /* 单位预算安排的总体情况 */
    BP_SEC_OPERATING_COSTS, /* 机关运行经费安排情况 */
    BP_SEC_THREE_PUBLIC,    /* 财政拨款“三公”经费预算情况及增减变化原因 */
    BP_SEC_PERFORMANCE,     /* 预算绩效信息 */
    BP_SEC_PROCUREMENT,     /* 政府采购预算情况 */
    BP_SEC_ASSETS,          /* 国有资产信息 */
    BP_SEC_GLOSSARY,        /* 名词解释 */
    BP_SEC_OTHER_NOTES,     /* 其他需要说明的事项 */
    BP_SEC__COUNT
} bp_section_id;

BP_API const char *bp_section_key(bp_section_id id);
BP_API const char *bp_section_official_title(bp_section_id id);

typedef enum bp_part {
    BP_PART_ORGANISATIONS,
    BP_PART_PERFORMANCE,
    BP_PART_PROCUREMENT,
    BP_PART_ASSETS,
    BP_PART_GLOSSARY,
    BP_PART__COUNT
} bp_part;

BP_API const char *bp_part_key(bp_part part);

typedef enum bp_numbering {
    BP_NUMBERING_ARABIC_COMMA, /* 1、 */
    BP_NUMBERING_ARABIC_DOT,   /* 1. */
    BP_NUMBERING_PAREN,        /* （1） */
    BP_NUMBERING_CHINESE,      /* 一、 */
    BP_NUMBERING_NONE,
    BP_NUMBERING_PAREN_CHINESE, /* （一） */
} bp_numbering;

typedef enum bp_block_kind {
    BP_BLOCK_HEADING,
    BP_BLOCK_PARAGRAPH,
    BP_BLOCK_LIST,
    BP_BLOCK_INCLUDE,
} bp_block_kind;

typedef struct bp_block {
    bp_block_kind kind;
    int level;          /* heading level 1..3 */
    const char *text;   /* heading and paragraph text */
    const char **items; /* list items */
    size_t item_count;
    bp_numbering numbering; /* list numbering */
    bp_part part;           /* include */
} bp_block;

typedef struct bp_section {
    const char *key; /* its key under explanation.sections */
    bool present;
    const char *title; /* the unit's own title, or NULL for the official one */
    bp_block *blocks;
    size_t block_count;
} bp_section;

typedef struct bp_explanation {
    const char *preface;                /* NULL when none */
    bp_section sections[BP_SEC__COUNT]; /* the built-in kind's, by id */
    /* A unit of a kind given as data: its sections under the keys its kind's layout names,
     * in the file's order (the built-in kind's are in sections[]). */
    bp_section *keyed;
    size_t keyed_count;
} bp_explanation;

typedef struct bp_organisation {
    const char *name;    /* 单位名称 */
    const char *nature;  /* 单位性质 */
    const char *level;   /* 单位规格 */
    const char *funding; /* 经费保障形式 */
    const char *note;    /* 备注; units of a kind only (theirs need only the name) */
} bp_organisation;

typedef struct bp_target {
    const char *target;      /* 绩效目标 */
    const char **indicators; /* 绩效指标 lines */
    size_t indicator_count;
} bp_target;

typedef struct bp_target_group {
    const char *title;
    bp_target *targets;
    size_t target_count;
} bp_target_group;

typedef struct bp_safeguard {
    const char *title;
    const char *text;
} bp_safeguard;

typedef struct bp_indicator {
    const char *level1;      /* 一级指标 */
    const char *level2;      /* 二级指标 */
    const char *level3;      /* 三级指标 */
    const char *description; /* 绩效指标描述 */
    const char *value;       /* 指标值, as printed */
    const char *basis;       /* 指标值确定依据 */
} bp_indicator;

/* A 绩效目标表. */
typedef struct bp_project {
    const char *name; /* without the trailing 绩效目标表 */
    bp_amount amount; /* the project's budget; blank when not given */
    bool classified;  /* printed as 涉密 */
    const char **targets;
    size_t target_count;
    bp_indicator *indicators;
    size_t indicator_count;
} bp_project;

typedef struct bp_performance {
    bool present;
    const char *overall;     /* （一）总体绩效目标 */
    bp_target_group *groups; /* （二）分项绩效目标 */
    size_t group_count;
    bp_safeguard *safeguards; /* （三）工作保障措施 */
    size_t safeguard_count;
    const char *special_funds; /* 第二部分 专项资金绩效目标 */
    bp_project *projects;      /* 第三部分 预算项目绩效目标 */
    size_t project_count;
} bp_performance;

typedef struct bp_procurement_row {
    const char *project;        /* 项目名称 */
    bp_amount project_budget;   /* 预算资金 */
    const char *item;           /* 采购物品名称 */
    const char *catalogue_code; /* 政府采购目录序号; may be NULL */
    const char *measure_unit;   /* 计量单位; may be NULL */
    bp_amount quantity;         /* 数量 */
    bp_amount unit_price;       /* 单价 */
    bp_row amounts;             /* 政府采购金额 by funding column */
    bp_amount sme_reserve;      /* 预留中小微企业份额 */
} bp_procurement_row;

typedef struct bp_procurement {
    bool present;
    bp_amount total; /* as stated in the text */
    bp_procurement_row *rows;
    size_t row_count;
    const char **notes;
    size_t note_count;
} bp_procurement;

typedef struct bp_asset_row {
    const char *name;
    const char *measure_unit; /* may be NULL */
    bp_amount quantity;
    bp_amount value;
} bp_asset_row;

typedef struct bp_assets {
    bool present;
    const char *as_of; /* YYYY-MM-DD */
    bp_amount total_quantity;
    bp_amount total_value;
    bp_asset_row *rows;
    size_t row_count;
    bp_amount planned_purchases;
} bp_assets;

typedef struct bp_glossary_entry {
    const char *term;
    const char *definition;
} bp_glossary_entry;

/* ---- Last year's figures -------------------------------------------------------------------- */
typedef enum bp_previous_figure {
    BP_PREV_TOTAL_EXPENSE,
    BP_PREV_PERSONNEL,
    BP_PREV_PUBLIC,
    BP_PREV_PROJECT,
    BP_PREV_OPERATING_COSTS,
    BP_PREV_THREE_PUBLIC,
    BP_PREV_THREE_PUBLIC_OVERSEAS,
    BP_PREV_THREE_PUBLIC_VEHICLES,
    BP_PREV_THREE_PUBLIC_RECEPTION,
    BP_PREV__COUNT
} bp_previous_figure;

BP_API const char *bp_previous_figure_key(bp_previous_figure figure);

/* ---- Tables of a kind given as data (kind.h) ----------------------------------------------- */

struct bp_kind;
struct bp_kind_table;

/* A value of a kind's column: a number (amount, percentage, count; blank when the unit left
 * the cell empty) or a text (NULL when empty). */
typedef struct bp_value {
    bp_amount number; /* hundredths for amounts and percentages, a whole count ×100 otherwise */
    const char *text;
} bp_value;

typedef struct bp_data_row {
    const char *code; /* ledgers: digits, or NULL */
    const char *name; /* ledgers: the row's name; NULL for the total */
    bp_value *values; /* one per column of the table (or of the side) */
    const char *path; /* the row's JSON path, for messages */
} bp_data_row;

/* A table of the unit's kind, read against its spec. */
typedef struct bp_data_table {
    const struct bp_kind_table *spec;
    bool has_total; /* ledgers: a total row was given */
    bp_data_row total;
    bp_data_row *rows; /* ledgers: in printed order; one_row: one */
    size_t row_count;
    bp_data_row *lines[2]; /* lines tables: per side, one row per line of the kind, in its order */
    const char *note;      /* printed under the table without "注："; NULL when none */
} bp_data_table;

/* ---- The unit ----------------------------------------------------------------------------- */
typedef struct bp_unit_info {
    const char *code;         /* 单位编码, digits */
    const char *name;         /* 单位名称 */
    int budget_year;          /* 预算年度 */
    const char *money_unit;   /* 万元 or 元 */
    const char *region;       /* may be NULL */
    const char *publish_date; /* YYYY-MM-DD; may be NULL */
} bp_unit_info;

typedef struct bp_unit bp_unit;

struct bp_unit {
    struct bp_arena *arena;     /* owns everything below */
    const char *source;         /* the file name it was read from, for messages */
    const char *kind_name;      /* the "kind" it names (a layout in layouts/), or NULL */
    const struct bp_kind *kind; /* the kind its tables were read against; NULL: the built-in */
    bp_data_table *data_tables; /* kind->table_count, in the kind's order */
    bp_unit_info info;
    bp_amount previous_year[BP_PREV__COUNT];

    bp_two_sided budget_summary;     /* 收支总表 */
    bp_ledger income_summary;        /* 收入总表 */
    bp_ledger expense_summary;       /* 支出总表 */
    bp_two_sided fiscal_summary;     /* 财政拨款收支总表 */
    bp_ledger general_expense;       /* 一般公共预算财政拨款支出表 */
    bp_ledger general_basic;         /* 一般公共预算财政拨款基本支出表 */
    bp_ledger gov_fund_expense;      /* 政府性基金预算财政拨款支出表 */
    bp_ledger state_capital_expense; /* 国有资本经营预算财政拨款支出表 */
    bp_three_public three_public;    /* 财政拨款“三公”经费支出表 */

    bp_explanation explanation;
    bp_organisation *organisations;
    size_t organisation_count;
    bool has_organisations;
    bp_performance performance;
    bp_procurement procurement;
    bp_assets assets;
    bp_glossary_entry *glossary;
    size_t glossary_count;
    bool has_glossary;
};

/* The ledger of a ledger-shaped table, or NULL for the other shapes. */
BP_API const bp_ledger *bp_unit_ledger(const bp_unit *unit, bp_table_id id);
/* The two sides of a two-sided table, or NULL for the other shapes. */
BP_API const bp_two_sided *bp_unit_two_sided(const bp_unit *unit, bp_table_id id);

/* Loads a unit from a JSON file. On success returns 0 and stores a new unit in *out, which the
 * caller frees with bp_unit_destroy; warnings may still have been added to diags. On failure
 * returns -1, stores NULL and adds every problem found to diags (never only the first). Never
 * leaves anything allocated behind on failure. Thread-safe: units are independent. */
BP_API int bp_unit_load_file(const char *path, bp_unit **out, bp_diags *diags);

/* The same from a buffer; name is used in messages (e.g. the file name). The buffer may hold
 * any bytes; it need not be NUL-terminated. */
BP_API int bp_unit_load_buffer(const char *data, size_t size, const char *name, bp_unit **out,
                               bp_diags *diags);

/* The same, the tables read against a kind (kind.h) rather than the built-in nine; a kind
 * of NULL is the built-in one. The kind must outlive the unit. */
BP_API int bp_unit_load_file_of_kind(const char *path, const struct bp_kind *kind, bp_unit **out,
                                     bp_diags *diags);
BP_API int bp_unit_load_buffer_of_kind(const char *data, size_t size, const char *name,
                                       const struct bp_kind *kind, bp_unit **out, bp_diags *diags);
/* The kind a unit's file names ("kind": "…"), read without loading the unit: 0 and a
 * malloc'd name in *out (NULL when it names none), or -1 when the file is not a unit at all
 * (the load that follows says why). */
BP_API int bp_unit_peek_kind(const char *data, size_t size, char **out);
/* The figure an address of the unit's kind names: "table.row.column" in a ledger (row "total"
 * or a code; a code the unit does not list is blank), "table.side.line.column" in a lines table,
 * "table.column" in a one-row table. False when the kind has no such place; *rounded tells
 * whether the table's figures are rounded. */
BP_API bool bp_unit_figure(const bp_unit *unit, const char *address, bp_amount *value,
                           bool *rounded);
/* A section of a unit of a kind given as data, by key, or NULL. */
BP_API const bp_section *bp_unit_keyed_section(const bp_unit *unit, const char *key);
/* The data table of a kind's table by id, or NULL. */
BP_API const bp_data_table *bp_unit_data_table(const bp_unit *unit, const char *id);

/* Frees the unit. NULL is a no-op. */
BP_API void bp_unit_destroy(bp_unit *unit);

#endif

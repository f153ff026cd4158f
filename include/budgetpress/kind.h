/*
 * kind.h: a document kind as data: which tables a unit of the kind holds, what each table's
 * rows are, which columns each row carries and what type of value each column holds.
 *
 * A region's template (a 2024 部门决算 of 上海, a 2025 部门预算, …) is a kind; the engine knows
 * none of them. A layout file declares its kind under "kind" (docs/kinds.md): the unit's tables
 * are read against it (bp_unit_load_*_of_kind), the layout draws them, and check's rules name
 * its columns. Three row shapes cover the family:
 *   ledger   free rows, each with an optional classification code, a name and values; a total
 *            row (合计) beside them (收入决算表, 支出决算表, a free list of projects);
 *   lines    rows the kind lists itself, on one side or two (收入支出决算总表 with its lines,
 *            sub-lines and balance sections; the two panes of a 基本支出决算表, every economic
 *            code listed blank or not; a key–value form); the unit gives values by line key;
 *   one_row  a single row of values (the 三公 table printed across).
 *
 * Life and threads: loaded once, read-only afterwards, shared by every unit and thread; freed
 * with bp_kind_destroy after the last unit of it.
 */
#ifndef BUDGETPRESS_KIND_H
#define BUDGETPRESS_KIND_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"
#include "diag.h"

typedef enum bp_value_type {
    BP_VALUE_AMOUNT,  /* money in the table's money unit, with its decimals */
    BP_VALUE_PERCENT, /* a percentage with two decimals, printed with "%" */
    BP_VALUE_COUNT,   /* a whole number */
    BP_VALUE_TEXT,    /* words */
} bp_value_type;

typedef enum bp_row_shape { BP_ROWS_LEDGER, BP_ROWS_LINES, BP_ROWS_ONE_ROW } bp_row_shape;

/* Classification codes of a ledger's rows: none, 功能分类 (类 3 digits, 款 5, 项 7) or 经济分类
 * (类 3, 款 5). */
typedef enum bp_kind_codes {
    BP_KIND_CODES_NONE,
    BP_KIND_CODES_FUNCTION,
    BP_KIND_CODES_ECONOMIC
} bp_kind_codes;

typedef struct bp_kind_column {
    const char *key; /* named freely by the kind: "total", "本年收入", "carryover", … */
    bp_value_type type;
} bp_kind_column;

/* A row the kind lists (a lines table): its key in the unit, its printed label, its code when
 * it has one, and whether it is a total or a sub-line. */
typedef struct bp_kind_line {
    const char *key;   /* the unit's key for it; the code when none is given */
    const char *label; /* 一般公共预算财政拨款收入, 基本工资, 本年收入合计 */
    const char *code;  /* NULL when the line has none */
    int level;         /* 0 a line, 1 a sub-line (1. …), … */
    bool total;        /* printed bold (本年收入合计, 总计) */
    bool numbered;     /* counted by the layout's line numbering (一、二、…) */
    int block;         /* the block of the side it belongs to: blocks of both sides start on
                          one row (the lines, then 本年收入合计 | 本年支出合计, then each balance
                          section), the shorter side's block padded with blank rows */
} bp_kind_line;

typedef struct bp_kind_side {
    const char *key;     /* "income", "expense", "personnel", … */
    bp_kind_line *lines; /* every block's, in order */
    size_t line_count;
    int block_count;
    const bp_kind_column *columns; /* the side's own, or the table's */
    size_t column_count;
} bp_kind_side;

/* A term of a rule: + or − a column (row rules) or a line (side rules), or the sum of a
 * block's lines ("sum of block 1"). */
typedef struct bp_kind_term {
    int sign;        /* +1 or -1 */
    const char *key; /* a column's or a line's key; NULL for a block */
    int block;       /* the block summed (from 0), or -1 */
} bp_kind_term;

typedef enum bp_kind_rule_type {
    BP_RULE_CODES, /* "codes": every parent is the sum of its children, the total of the 类 */
    BP_RULE_ROW,   /* "total = basic + project": in every row, across its columns */
    BP_RULE_SIDE, /* "income: 总计 = 本年收入合计 + 年初结转和结余": across a side's lines, in
                     every column of the side */
} bp_kind_rule_type;

typedef struct bp_kind_rule {
    const char *text; /* as the kind writes it, for messages */
    bp_kind_rule_type type;
    int side;        /* side rules */
    const char *lhs; /* the column or line that is the sum */
    bp_kind_term *terms;
    size_t term_count;
} bp_kind_rule;

typedef struct bp_kind_table {
    const char *id;    /* the key under the unit's "tables" */
    const char *title; /* the official title, for messages */
    bp_row_shape rows;
    bp_kind_codes codes;    /* ledgers */
    const char *money_unit; /* "万元" or "元" */
    int decimals;           /* of amounts: 2, or 0 for whole 元 */
    bp_kind_column *columns;
    size_t column_count;
    bp_kind_side *sides; /* lines tables: one or two */
    size_t side_count;
    bool rounded;        /* printed figures are rounded (万元 from 元): a sum off by no more than
                            the rounding of its parts is W-ROUND, not an error */
    bp_kind_rule *rules; /* "codes", "total = basic + project", "income: 总计 = a + b", … */
    size_t rule_count;
} bp_kind_table;

typedef struct bp_kind {
    struct bp_arena *arena; /* owns everything below */
    const char *id;         /* the layout file's name without folder and ".json": what a unit
                               names in its "kind" */
    const char *name;       /* "部门决算（上海 2024）", for messages */
    bp_kind_table *tables;  /* in the kind's order */
    size_t table_count;
    /* The figures its text may name, {NAME}: each the address of a figure
     * ("expense_summary.total.total"); a name ending in ":" takes a code after it
     * ({basic_row:30201}) and its address holds "{code}" where the code goes. */
    const char **figure_names, **figure_addresses;
    size_t figure_count;
    /* Figures that must be equal across tables: each a list of addresses ("income.total.total",
     * "summary.income.year_total.amount", "three_public.total_final"). */
    const char ***equal;
    size_t *equal_counts;
    size_t equal_count;
} bp_kind;

/* Reads the "kind" object of a layout file. Returns 0 and stores the kind (NULL when the file
 * declares none: the built-in 2022 单位预算 kind) in *out; -1 with every problem in diags. */
BP_API int bp_kind_load_file(const char *layout_path, bp_kind **out, bp_diags *diags);
/* The same from a layout file's bytes; `name` names it in messages. */
BP_API int bp_kind_load_buffer(const char *data, size_t size, const char *name, bp_kind **out,
                               bp_diags *diags);
BP_API void bp_kind_destroy(bp_kind *kind);

BP_API const bp_kind_table *bp_kind_table_find(const bp_kind *kind, const char *id);
/* The index of a column by key among `count` columns, or -1. */
BP_API int bp_kind_column_index(const bp_kind_column *columns, size_t count, const char *key);
/* The index of a side's line by key, or -1. */
BP_API int bp_kind_line_index(const bp_kind_side *side, const char *key);
/* The index of a side by key, or -1. */
BP_API int bp_kind_side_index(const bp_kind_table *table, const char *key);
BP_API const char *bp_value_type_name(bp_value_type type);

#endif

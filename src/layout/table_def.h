/*
 * table_def.h: table definitions as a layout file gives them: the column tree with merged
 * header cells, what each leaf column shows (its binding), widths and alignment, the banner,
 * the 栏次 row, labels of total rows, orientation. Read by layout_file.c, used by tables.c to
 * build a tbl_table for a unit.
 */
#ifndef BP_LAYOUT_TABLE_DEF_H
#define BP_LAYOUT_TABLE_DEF_H

#include <stdbool.h>
#include <stddef.h>

#include "table.h"

/* A node of the column tree: a leaf column, or a group whose label spans its children. */
typedef struct tdef_node {
    const char *label; /* may hold {year}, {unit_name}, … */
    const char *bind;  /* leaves: what the column shows ("seq", "code", "name", "total",
                          "income.name", "expense.total", "level1", …); NULL for groups */
    tbl_width_kind width_kind;
    bp_len fixed;
    int share;
    bp_len min, max;
    int align; /* a tbl_align, or -1 for the binding's default */
    struct tdef_node *children;
    size_t child_count;
} tdef_node;

enum { TDEF_YEAR_TOTAL, TDEF_CARRYOVER, TDEF_GRAND_TOTAL, TDEF_LABEL__COUNT };

typedef struct tdef_table {
    const char *key;   /* "expense_summary", "project", … */
    const char *title; /* may hold {number}, {name} (绩效目标表) */
    bool landscape;
    bool may_turn; /* "orientation": "auto": portrait, landscape when a text column would fall
                      below its minimum */
    bool page_break_before;
    const char *banner[3]; /* left, centre, right templates; NULL parts are absent */
    tdef_node *columns;    /* the top level of the tree */
    size_t column_count;
    bool column_numbers;        /* print the 栏次 row */
    const char *line_numbering; /* two-sided tables: "一、" ordinals for lines, or NULL */
    const char *labels[TDEF_LABEL__COUNT][2]; /* two-sided: income and expense labels */
    const char *total_label;                  /* the total row's name: 合计, 资产总额 */
    const char *lead_label;                   /* the first-page lead row's label: 绩效目标 */
    bool thousands;                           /* group amount digits by thousands */
    /* Tables of the layout's kind: */
    const struct bp_kind_table *spec; /* the kind's table, or NULL for the built-in ones */
    int total_row;                    /* TDEF_TOTAL_FIRST, _LAST or _NONE */
    unsigned repeat;                  /* TBL_REPEAT_* on continuation pages */
    const char *empty_note;           /* the note of a table with no rows; may use {title} */
    const char *note_prefix;          /* before the note: "注：" unless the layout says */
    const char *continued;            /* above a continuation page's repeated parts ("续表") */
    unsigned omit_blank;              /* lines tables: bit s set, side s prints only the lines
                                         that hold a figure (and its totals) */
} tdef_table;

enum { TDEF_TOTAL_FIRST, TDEF_TOTAL_LAST, TDEF_TOTAL_NONE };

struct bp_table_defs {
    tdef_table *tables;
    size_t count;
    tbl_style style;
    const char *tables_title;      /* the part title before the nine tables */
    const char *explanation_title; /* the explanatory part's title; may use {year} */
};

/* The definition of a table by key, or NULL. */
const tdef_table *tdef_find(const struct bp_table_defs *defs, const char *key);

#endif

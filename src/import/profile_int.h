/*
 * profile_int.h: an import profile as profile.c reads it and the table readers use it. Nothing
 * outside src/import/ includes this.
 *
 * A profile is data (docs/import.md): for one region's workbooks, which sheet holds each table
 * of a kind, which header (a path of labels, top to bottom) stands over each of its columns,
 * which labels name its lines, how the unit's name and the money unit are written.
 */
#ifndef BP_PROFILE_INT_H
#define BP_PROFILE_INT_H

#include "budgetpress/import.h"
#include "../util/util.h"

/* Labels any of which will do: a sheet's names, a header's spellings, a line's aliases. */
typedef struct pf_labels {
    const char **items;
    const char **keys; /* each item's bp_label_key, made once; NULL: made when compared */
    size_t count;
} pf_labels;

/* A header as a path from the group label above down to the column's own: ["收入预算",
 * "合计"]. Empty (count 0) when the profile does not give it. */
typedef struct pf_path {
    pf_labels *steps;
    size_t count;
} pf_path;

/* A column key of the kind and the header over it. */
typedef struct pf_column {
    const char *key;
    pf_path header;
} pf_column;

/* A line key of the kind and the labels the workbook may give it besides the kind's own. */
typedef struct pf_line {
    const char *key;
    pf_labels labels;
} pf_line;

/* Where a side's (or a one-row table read down's) lines are: the header over their labels,
 * the headers over its value columns, the lines' other names. */
typedef struct pf_side {
    const char *key;
    pf_path label;
    pf_column *columns;
    size_t column_count;
    pf_line *lines;
    size_t line_count;
} pf_side;

enum { PF_CODE_WHOLE, PF_CODE_CLASS = 0, PF_CODE_ITEM, PF_CODE_SUBITEM, PF_CODE_PARTS };

typedef struct pf_table {
    const char *id;   /* the kind's table */
    pf_labels sheets; /* names of the sheet that holds it */
    pf_labels titles; /* its title as the sheet prints it, a year before it or not */
    /* ledgers: the code in one column (code[0]) or in 类 | 款 | 项 columns (split) */
    pf_path code[PF_CODE_PARTS];
    bool split_code;
    pf_path name;
    pf_labels total_labels; /* the label of the 合计 row */
    pf_labels ignore;       /* headers of columns, and labels of rows, that hold nothing of
                               the kind's (序号, 栏次) */
    /* ledgers and one-row tables across: a header per column */
    pf_column *columns;
    size_t column_count;
    /* lines tables */
    pf_side *sides;
    size_t side_count;
    /* a one-row table printed down: items as rows, their values in one column */
    pf_side *down;
    bool optional; /* the workbook may lack it: then an empty table */
} pf_table;

struct bp_profile {
    bp_arena *arena;
    const char *file; /* for messages */
    const char *name;
    const char *kind;
    pf_labels unit_name;   /* labels the unit's name follows: "编制部门：" */
    pf_labels unit_code;   /* labels its code follows */
    pf_labels money_units; /* labels the money unit follows in a banner: "单位：" */
    pf_table *tables;
    size_t table_count;
};

/* The sheet printing one of the titles in its first rows (a year or the unit's name before it
 * or not), or -1; -2 when two sheets do (*first and *second say which). */
long im_sheet_by_title(const bp_workbook *book, const pf_labels *titles, size_t *first,
                       size_t *second);

/* Whether text, its spaces and padding aside, is one of the labels (bp_label_matches). */
bool pf_labels_match(const pf_labels *labels, const char *text);
/* The key of label i: the one made at load, or made into buf. */
const char *pf_label_key(const pf_labels *labels, size_t i, char *buf, size_t size);

#endif

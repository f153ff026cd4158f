/*
 * read_int.h: reading a workbook's tables under a profile, shared by the files of that stage
 * (locate.c finds sheets and headers, cells.c reads a cell's value, ledger.c, lines.c and
 * one_row.c read each row shape, import.c puts the unit together). Nothing outside
 * src/import/ includes this.
 *
 * Everything read is kept with the cell it came from, so that every message, the import's own
 * and check's afterwards, names the cell a clerk opens (部门支出总表!E12).
 */
#ifndef BP_READ_INT_H
#define BP_READ_INT_H

#include <jansson.h>

#include "budgetpress/kind.h"
#include "profile_int.h"

/* Where the unit's values came from, kept compactly: a row of a table (its values are then
 * found by their column), a column of a table, a single value, or another name of a row's path
 * (as check's rules address a row: tables.expense.201 for tables.expense.rows[3]). */
typedef enum im_origin_type {
    IM_ORIGIN_VALUE,  /* path: a value's; the cell */
    IM_ORIGIN_ROW,    /* path: a row's; its label's cell; columns: the path its columns have */
    IM_ORIGIN_COLUMN, /* path: "tables.expense#total"; col */
    IM_ORIGIN_ALIAS,  /* path: another name of target */
} im_origin_type;

typedef struct im_origin {
    im_origin_type type;
    const char *path;
    const char *target; /* an alias's target; a row's columns' path ("tables.expense") */
    uint32_t sheet, row, col;
} im_origin;

typedef struct im_ctx {
    const bp_workbook *book;
    const char *book_name; /* for messages */
    const bp_profile *profile;
    const bp_kind *kind;
    bp_diags *diags;
    size_t errors;
    bool out_of_memory;
    bp_arena *arena; /* the origins' paths */
    im_origin *origins;
    size_t origin_count, origin_capacity;
    int year;          /* from the first title that gives one; 0 when none does */
    char year_at[600]; /* its cell */
    uint32_t year_sheet, year_row, year_col;
} im_ctx;

/* A table found in a sheet: where its headers end and how its money is written. */
typedef struct im_view {
    const pf_table *profile;
    const bp_kind_table *kind;
    size_t sheet;
    const char *sheet_name;
    uint32_t header_limit;  /* headers are searched in rows before this one: the first row with a
                               number, or the sheet's end */
    uint32_t data_first;    /* the first row below every header found */
    const char *money_unit; /* 元 or 万元 from the banner, or NULL */
    char columns[300];      /* the path its rows' columns are recorded under */
} im_view;

/* A header found: where its own (lowest) label is. */
typedef struct im_header {
    bool found;
    uint32_t row, col;
} im_header;

/* ---- Problems and origins (import.c) ---- */

/* An error at sheet!cell (row and col 0-based), or at the sheet alone (row UINT32_MAX). */
void im_cell_error(im_ctx *ctx, size_t sheet, uint32_t row, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The same as a warning. */
void im_cell_warning(im_ctx *ctx, size_t sheet, uint32_t row, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* An error about a JSON path of the unit (a table the workbook lacks, the unit's code). */
void im_error(im_ctx *ctx, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "sheet!D14" into out (at least 600 bytes); the sheet alone when row is UINT32_MAX. */
void im_cell_name(const im_ctx *ctx, size_t sheet, uint32_t row, uint32_t col, char *out);
/* Records that the value at path came from sheet!cell. */
void im_origin_add(im_ctx *ctx, const char *path, size_t sheet, uint32_t row, uint32_t col);
/* Records that the row at path is the sheet's row (label in col), its values in the columns
 * recorded under `columns` (im_column_add). */
void im_row_add(im_ctx *ctx, const char *path, const char *columns, size_t sheet, uint32_t row,
                uint32_t col);
/* Records that the values keyed `key` of rows whose columns are `columns` are in col. */
void im_column_add(im_ctx *ctx, const char *columns, const char *key, uint32_t col);
/* Records that paths below alias are those below target. */
void im_alias_add(im_ctx *ctx, const char *alias, const char *target);
/* The origin of a type recorded for a path (before they are sorted), or NULL. */
const im_origin *im_origin_find(const im_ctx *ctx, const char *path, im_origin_type type);

/* ---- Finding (locate.c) ---- */

/* Finds the table's sheet (by name, else by title) and its banner's money unit; false when the
 * workbook has none (said unless the table is optional). */
bool im_find_table(im_ctx *ctx, const pf_table *pt, const bp_kind_table *kt, im_view *view);
/* Finds the cell of a header path among the view's header rows; reports a missing or
 * ambiguous one naming `what` (the column's key) unless quiet. */
im_header im_find_header(im_ctx *ctx, im_view *view, const pf_path *path, const char *what,
                         bool quiet);
/* The path's labels as "收入预算 › 合计", for messages. */
void im_path_text(const pf_path *path, char *out, size_t size);
/* The unit's name or code: the text after one of the labels in the first rows of any sheet
 * ("编制部门：上海市普陀区财政局", or the label alone and the text in the next cell). NULL
 * when no sheet gives it; *sheet, *row, *col say where. */
const char *im_find_labelled(const im_ctx *ctx, const pf_labels *labels, size_t *sheet,
                             uint32_t *row, uint32_t *col, char *buf, size_t size);
/* Whether two labels are the same once numbering (一、 1. （一）) and 其中： are set aside. */
bool im_same_line_label(const char *a, const char *b);

/* ---- Values (cells.c) ---- */

/* Reads the cell at (row, col) of the view as an amount in the kind table's money unit: a
 * number, a text of digits, or a sum formula without a stored result (evaluated); converted
 * from the banner's or the number format's money unit. Blank when the cell is empty. false
 * when it is not an amount (reported at the cell). */
bool im_read_amount(im_ctx *ctx, const im_view *view, uint32_t row, uint32_t col, bp_amount *out);
/* The cell at (row, col) as the unit's value of a column of the type: an amount (as
 * im_read_amount), a percentage ("12.50": a number formatted as a percentage is its fraction, a
 * text may carry its sign), a whole count ("12"), or a text. NULL when blank, or when the cell
 * holds no such value (*ok false, reported at the cell). */
json_t *im_read_value(im_ctx *ctx, const im_view *view, uint32_t row, uint32_t col,
                      bp_value_type type, bool *ok);
/* The types of the profile's columns (by key) among the kind's columns, into types (an amount
 * for a key the kind lacks): found once for a table, not for every cell. */
void im_column_types(const pf_column *columns, size_t count, const bp_kind_column *kind_columns,
                     size_t kind_count, bp_value_type *types);
/* The cell's text with its padding trimmed, or NULL when empty (numbers as written). */
const char *im_cell_text(const im_ctx *ctx, size_t sheet, uint32_t row, uint32_t col, char *buf,
                         size_t size);
/* Whether the cell holds a number, a formula, or a text that reads as an amount. */
bool im_cell_has_amount(const im_ctx *ctx, size_t sheet, uint32_t row, uint32_t col);
/* Whether text is only a template's filler (…, ..., -, —) or nothing. */
bool im_is_filler(const char *text);

/* A formula without a stored result evaluated when it is a sum (SUM(E9:E12), SUM(E9,E12)) or
 * a plain addition (E9+E10-E11); false with why otherwise (formula.c). */
bool im_eval_formula(const im_ctx *ctx, size_t sheet, const bp_cell *cell, bp_amount *out,
                     char *why, size_t why_size);

/* ---- The row shapes (ledger.c, lines.c, one_row.c): each returns the table's JSON ---- */

json_t *im_read_ledger(im_ctx *ctx, im_view *view);
/* Sides of lines read together (their headers found first), each matched to its kind side; the
 * object has one member per side. */
json_t *im_read_sides(im_ctx *ctx, im_view *view, const pf_side *sides,
                      const bp_kind_side **kind_sides, size_t count);
json_t *im_read_lines(im_ctx *ctx, im_view *view);
json_t *im_read_one_row(im_ctx *ctx, im_view *view);

/* The amount as the unit's JSON writes it ("1234.50"), or NULL for a blank. */
json_t *im_amount_json(bp_amount a);

#endif

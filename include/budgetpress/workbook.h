/*
 * workbook.h: a spreadsheet workbook as budgetpress reads it, for `import`: sheets by name, and
 * in each the cells that hold something, each as the file stores it.
 *
 * Values are never turned into binary floating point here: a number is the decimal text the
 * file wrote ("1204.5", "0.30000000000000004"), a text is UTF-8, a formula keeps its source and
 * says whether the file stored its result. What a cell means (an amount, a code, a label) is
 * decided by the import profile, later, against the cell's reference (sheet!A1), which every
 * message names.
 *
 * A workbook is read whole when opened and is then immutable.
 */
#ifndef BUDGETPRESS_WORKBOOK_H
#define BUDGETPRESS_WORKBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "diag.h"

typedef enum bp_cell_type {
    BP_CELL_NUMBER, /* value: the number as decimal text, as the file wrote it */
    BP_CELL_TEXT,   /* value: UTF-8 */
    BP_CELL_BOOL,   /* value: "TRUE" or "FALSE" */
    BP_CELL_ERROR,  /* value: the error as the file wrote it, e.g. "#DIV/0!" */
    BP_CELL_NONE,   /* no value: a formula whose result the file did not store */
} bp_cell_type;

typedef struct bp_cell {
    uint32_t row, col; /* 0-based: A1 is (0, 0) */
    bp_cell_type type;
    const char *value;   /* never NULL; "" for BP_CELL_NONE */
    const char *formula; /* the formula without its '=', or NULL */
    const char *format;  /* the number format's code when the file gives one of its own
                            ("#,##0.00\"万元\""), NULL for Excel's built-in formats (.xlsx
                            only) */
} bp_cell;

typedef struct bp_workbook bp_workbook;

/* Reads a workbook: .xlsx (Office Open XML) or .xls (Excel 97-2003, numbers as the shortest
 * decimal that reads back as the double the file holds). A file that is no workbook, is
 * damaged or cut short, or is password-protected, gives NULL and one error naming the file and
 * what it is instead.
 * Bounded: a part that inflates beyond 256 MB or a sheet of more than 4 million cells is
 * refused. */
BP_API bp_workbook *bp_workbook_open(const char *path, bp_diags *diags);
/* The same from the file's bytes (which need not outlive the call); name is what messages
 * call it. */
BP_API bp_workbook *bp_workbook_read(const void *data, size_t size, const char *name,
                                     bp_diags *diags);
BP_API void bp_workbook_close(bp_workbook *book);

BP_API size_t bp_workbook_sheet_count(const bp_workbook *book);
/* Whether the cells carry their number formats (an .xlsx); an .xls read by FreeXL does not. */
BP_API bool bp_workbook_has_formats(const bp_workbook *book);
/* The sheet's name as the workbook gives it (trailing spaces and all). */
BP_API const char *bp_workbook_sheet_name(const bp_workbook *book, size_t sheet);
/* The sheet's cells that hold something, row by row, left to right. */
BP_API const bp_cell *bp_workbook_cells(const bp_workbook *book, size_t sheet, size_t *count);
/* The cell at (row, col), or NULL when it holds nothing. */
BP_API const bp_cell *bp_workbook_cell(const bp_workbook *book, size_t sheet, uint32_t row,
                                       uint32_t col);

/* A cell reference in A1 form ("D14"); out holds at least 16 bytes. */
BP_API void bp_cell_ref(uint32_t row, uint32_t col, char *out);
/* Reads "D14" (or "$D$14") into row and col; false when it is not a reference. */
BP_API bool bp_cell_parse_ref(const char *ref, uint32_t *row, uint32_t *col);

#endif

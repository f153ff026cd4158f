/*
 * import_int.h: the workbook as the import module's files build it (sheets.c keeps the
 * cells, xlsx.c and xls.c read files into them, workbook.c picks the reader). Nothing outside
 * src/import/ includes this.
 */
#ifndef BP_IMPORT_INT_H
#define BP_IMPORT_INT_H

#include "budgetpress/workbook.h"
#include "../util/util.h"

/* Bounds on what a file may make us hold: a damaged or hostile workbook is refused, not
 * followed into gigabytes. */
enum {
    WB_MAX_FILE_BYTES = 256 << 20, /* the workbook file */
    WB_MAX_PART_BYTES = 256 << 20, /* one zip member, inflated */
    WB_MAX_CELLS = 4 << 20,        /* cells of one sheet */
    WB_MAX_SHEETS = 1024,
    WB_MAX_ROWS = 1048576, /* Excel's own limits */
    WB_MAX_COLS = 16384,
};

typedef struct wb_sheet {
    const char *name;
    bp_cell *cells; /* in the order read; sorted by row, then column, when the sheet is done */
    size_t count, capacity;
} wb_sheet;

struct bp_workbook {
    bp_arena *arena;    /* every string */
    bool formats_known; /* the reader gave each cell's number format (.xlsx) */
    wb_sheet *sheets;
    size_t sheet_count, sheet_capacity;
};

/* Adds a sheet; NULL when out of memory or past WB_MAX_SHEETS. */
wb_sheet *wb_add_sheet(bp_workbook *book, const char *name, size_t len);
/* Adds a cell (value and formula copied; format must be a string of the book's arena, shared
 * by the cells of one style); false when out of memory or past WB_MAX_CELLS. */
bool wb_add_cell(bp_workbook *book, wb_sheet *sheet, const bp_cell *cell);
/* Sorts a sheet's cells and drops all but the last of any repeated reference. */
void wb_finish_sheet(wb_sheet *sheet);

/* Reads an .xls file (FreeXL); 0, or -1 with one error about path in diags. */
int wb_read_xls(bp_workbook *book, const char *path, bp_diags *diags);

/* Reads an .xlsx file's bytes into book; 0, or -1 with one error about `name` in diags. */
int wb_read_xlsx(bp_workbook *book, const void *data, size_t size, const char *name,
                 bp_diags *diags);

#endif

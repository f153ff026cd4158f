/*
 * sheets.c: the cells of a workbook's sheets, whatever format they came from, found by position,
 * and their A1 references.
 *
 * Stage: import, first step (under the profile that gives cells their meaning). Knows no file
 * format: the readers (xlsx.c, xls.c) fill it, workbook.c opens the file and picks the reader.
 * The fact that shaped it: every message of an import names a cell (2.17单位支出总表!D14), and a
 * profile looks cells up by row and column, so a sheet is its non-empty cells sorted by
 * position, found by binary search.
 */
#include "import_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Building ---- */

wb_sheet *wb_add_sheet(bp_workbook *book, const char *name, size_t len)
{
    if (book->sheet_count == WB_MAX_SHEETS)
        return NULL;
    wb_sheet *grown =
        bp_grow(book->sheets, &book->sheet_capacity, book->sheet_count + 1, sizeof *grown, 8);
    if (!grown)
        return NULL;
    book->sheets = grown;
    const char *copy = bp_arena_strndup(book->arena, name, len);
    if (!copy)
        return NULL;
    wb_sheet *sheet = &book->sheets[book->sheet_count++];
    *sheet = (wb_sheet){.name = copy};
    return sheet;
}

bool wb_add_cell(bp_workbook *book, wb_sheet *sheet, const bp_cell *cell)
{
    if (sheet->count == WB_MAX_CELLS)
        return false;
    bp_cell *grown = bp_grow(sheet->cells, &sheet->capacity, sheet->count + 1, sizeof *grown, 64);
    if (!grown)
        return false;
    sheet->cells = grown;
    bp_cell copy = *cell;
    copy.value = bp_arena_strndup(book->arena, cell->value, strlen(cell->value));
    copy.formula =
        cell->formula ? bp_arena_strndup(book->arena, cell->formula, strlen(cell->formula)) : NULL;
    if (!copy.value || (cell->formula && !copy.formula))
        return false;
    sheet->cells[sheet->count++] = copy;
    return true;
}

static int by_position(const void *a, const void *b)
{
    const bp_cell *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col ? 1 : 0;
}

void wb_finish_sheet(wb_sheet *sheet)
{
    /* Writers put cells in order, so this insertion sort only walks the sheet; it is stable,
     * so of two cells at one place the later one, as the file has it, is kept below. */
    bp_cell *c = sheet->cells;
    for (size_t i = 1; i < sheet->count; i++) {
        bp_cell moving = c[i];
        size_t j = i;
        for (; j > 0 && by_position(&c[j - 1], &moving) > 0; j--)
            c[j] = c[j - 1];
        c[j] = moving;
    }
    size_t kept = 0;
    for (size_t i = 0; i < sheet->count; i++) {
        if (kept > 0 && by_position(&c[kept - 1], &c[i]) == 0)
            kept--;
        c[kept++] = c[i];
    }
    sheet->count = kept;
}

/* ---- Looking up ---- */

size_t bp_workbook_sheet_count(const bp_workbook *book)
{
    return book->sheet_count;
}

const char *bp_workbook_sheet_name(const bp_workbook *book, size_t sheet)
{
    return sheet < book->sheet_count ? book->sheets[sheet].name : NULL;
}

const bp_cell *bp_workbook_cells(const bp_workbook *book, size_t sheet, size_t *count)
{
    *count = sheet < book->sheet_count ? book->sheets[sheet].count : 0;
    return sheet < book->sheet_count ? book->sheets[sheet].cells : NULL;
}

const bp_cell *bp_workbook_cell(const bp_workbook *book, size_t sheet, uint32_t row, uint32_t col)
{
    if (sheet >= book->sheet_count)
        return NULL;
    const wb_sheet *s = &book->sheets[sheet];
    bp_cell key = {.row = row, .col = col};
    return bsearch(&key, s->cells, s->count, sizeof *s->cells, by_position);
}

/* ---- References ---- */

void bp_cell_ref(uint32_t row, uint32_t col, char *out)
{
    char letters[8];
    int n = 0;
    for (uint32_t c = col + 1; c > 0 && n < 7; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    int k = 0;
    while (n > 0)
        out[k++] = letters[--n];
    snprintf(out + k, 16 - (size_t)k, "%lu", (unsigned long)row + 1);
}

bool bp_cell_parse_ref(const char *ref, uint32_t *row, uint32_t *col)
{
    const char *p = ref;
    if (*p == '$')
        p++;
    uint64_t c = 0, r = 0;
    int letters = 0, digits = 0;
    for (; *p >= 'A' && *p <= 'Z' && letters < 4; p++, letters++)
        c = c * 26 + (uint64_t)(*p - 'A' + 1);
    if (*p == '$')
        p++;
    for (; *p >= '0' && *p <= '9' && digits < 8; p++, digits++)
        r = r * 10 + (uint64_t)(*p - '0');
    if (*p || letters == 0 || digits == 0 || c > WB_MAX_COLS || r == 0 || r > WB_MAX_ROWS)
        return false;
    *row = (uint32_t)(r - 1);
    *col = (uint32_t)(c - 1);
    return true;
}

bool bp_workbook_has_formats(const bp_workbook *book)
{
    return book->formats_known;
}

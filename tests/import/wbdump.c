/*
 * wbdump.c: prints what bp_workbook_open reads from a workbook, a cell a line, for the import
 * tests: "SHEET!REF<TAB>TYPE<TAB>VALUE[<TAB>=FORMULA]", sheets in order. Errors go to stderr;
 * exit 0 read, 2 not.
 */
#include <stdio.h>

#include "budgetpress/workbook.h"

static const char *type_name(bp_cell_type t)
{
    switch (t) {
    case BP_CELL_NUMBER:
        return "number";
    case BP_CELL_TEXT:
        return "text";
    case BP_CELL_BOOL:
        return "bool";
    case BP_CELL_ERROR:
        return "error";
    case BP_CELL_NONE:
        return "none";
    }
    return "?";
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: wbdump BOOK.xlsx\n");
        return 2;
    }
    bp_diags diags = BP_DIAGS_INIT;
    bp_workbook *book = bp_workbook_open(argv[1], &diags);
    for (size_t i = 0; i < diags.count; i++)
        bp_diag_print(stderr, &diags.items[i]);
    bp_diags_clear(&diags);
    if (!book)
        return 2;
    for (size_t s = 0; s < bp_workbook_sheet_count(book); s++) {
        const char *name = bp_workbook_sheet_name(book, s);
        printf("sheet %s\n", name);
        size_t count;
        const bp_cell *cells = bp_workbook_cells(book, s, &count);
        for (size_t i = 0; i < count; i++) {
            char ref[16];
            bp_cell_ref(cells[i].row, cells[i].col, ref);
            const bp_cell *found = bp_workbook_cell(book, s, cells[i].row, cells[i].col);
            if (found != &cells[i])
                return 3; /* the lookup disagrees with the list */
            printf("%s!%s\t%s\t%s", name, ref, type_name(cells[i].type), cells[i].value);
            if (cells[i].formula)
                printf("\t=%s", cells[i].formula);
            putchar('\n');
        }
    }
    bp_workbook_close(book);
    return 0;
}

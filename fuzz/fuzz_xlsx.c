/*
 * fuzz_xlsx.c: the workbook reader meets any bytes as a workbook: a zip archive of XML parts
 * or not, damaged, cut short, with parts that refer to what is not there. It must give a
 * workbook or one error, never a crash, a leak or a huge allocation; every cell it gives must
 * be found again where it says it is. Seeds: workbooks written by openpyxl and by hand, and the
 * district's templates (scripts/fuzz.sh makes and copies them).
 */
#include <stdint.h>
#include <stdlib.h>

#include "budgetpress/workbook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bp_diags diags = BP_DIAGS_INIT;
    bp_workbook *book = bp_workbook_read(data, size, "fuzz.xlsx", &diags);
    if (!book && diags.count == 0)
        abort(); /* refused without a word */
    for (size_t s = 0; book && s < bp_workbook_sheet_count(book); s++) {
        size_t count;
        const bp_cell *cells = bp_workbook_cells(book, s, &count);
        for (size_t i = 0; i < count; i++)
            if (bp_workbook_cell(book, s, cells[i].row, cells[i].col) != &cells[i] ||
                !cells[i].value)
                abort();
    }
    bp_workbook_close(book);
    bp_diags_clear(&diags);
    return 0;
}

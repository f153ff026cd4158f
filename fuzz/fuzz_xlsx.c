/*
 * fuzz_xlsx.c: the workbook readers meet any bytes as a workbook: a zip archive of XML parts
 * (.xlsx) or an OLE compound file (.xls, read by FreeXL from a file, so those bytes go through
 * a scratch file), damaged, cut short, with parts that refer to what is not there. Each must
 * give a workbook or one error, never a crash, a leak or a huge allocation; every cell given
 * must be found again where it says it is. Seeds: workbooks written by openpyxl and xlwt, and
 * the district's templates (scripts/fuzz.sh makes and copies them).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budgetpress/workbook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char scratch[64];

static bp_workbook *read_book(const uint8_t *data, size_t size, bp_diags *diags)
{
    if (size < 8 || memcmp(data, "\xD0\xCF\x11\xE0", 4) != 0)
        return bp_workbook_read(data, size, "fuzz.xlsx", diags);
    if (!scratch[0]) {
        snprintf(scratch, sizeof scratch, "/tmp/fuzz-xls-%ld.xls", (long)getpid());
    }
    FILE *f = fopen(scratch, "wb");
    if (!f || fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    bp_workbook *book = bp_workbook_open(scratch, diags);
    unlink(scratch);
    return book;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bp_diags diags = BP_DIAGS_INIT;
    bp_workbook *book = read_book(data, size, &diags);
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

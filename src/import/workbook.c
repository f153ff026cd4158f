/*
 * workbook.c: opens a workbook: reads the file, tells an .xlsx from an .xls by its first bytes,
 * and hands it to the reader of its format (xlsx.c, xls.c), which fills the sheets (sheets.c).
 *
 * Stage: import, first step. The fact that shaped it: a clerk's file may be anything (a CSV
 * renamed, an old .xls, a workbook with a password), and each gets one message that says what
 * it is and what to do, never a crash or a guess.
 */
#include "import_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Reading ---- */

/* The format a file is, from its first bytes. */
typedef enum { FILE_XLSX, FILE_OLE, FILE_OTHER } file_kind;

static file_kind sniff(const unsigned char *head, size_t n)
{
    if (n >= 4 && memcmp(head, "PK\x03\x04", 4) == 0)
        return FILE_XLSX;
    if (n >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return FILE_OLE;
    return FILE_OTHER;
}

static void close_sheets(bp_workbook *book)
{
    for (size_t i = 0; i < book->sheet_count; i++)
        free(book->sheets[i].cells);
    free(book->sheets);
}

void bp_workbook_close(bp_workbook *book)
{
    if (!book)
        return;
    close_sheets(book);
    bp_arena_destroy(book->arena);
    free(book);
}

static bp_workbook *new_book(const char *name, bp_diags *diags)
{
    bp_workbook *book = calloc(1, sizeof *book);
    if (book)
        book->arena = bp_arena_create();
    if (!book || !book->arena) {
        free(book);
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, name, 0, 0, NULL, "out of memory");
        return NULL;
    }
    return book;
}

/* The book read (rc 0) with its sheets in order, or NULL. */
static bp_workbook *finish_book(bp_workbook *book, int rc)
{
    if (rc != 0) {
        bp_workbook_close(book);
        return NULL;
    }
    for (size_t i = 0; i < book->sheet_count; i++)
        wb_finish_sheet(&book->sheets[i]);
    return book;
}

static void not_a_workbook(const char *name, bp_diags *diags)
{
    bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, name, 0, 0, NULL,
                 "not an Excel workbook (an .xlsx begins as a zip archive, an .xls as an OLE "
                 "compound file)");
}

bp_workbook *bp_workbook_read(const void *data, size_t size, const char *name, bp_diags *diags)
{
    file_kind kind = sniff(data, size);
    if (kind == FILE_OLE) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, name, 0, 0, NULL,
                     "an Excel 97-2003 workbook (.xls) is read from a file, not from memory");
        return NULL;
    }
    if (kind == FILE_OTHER) {
        not_a_workbook(name, diags);
        return NULL;
    }
    bp_workbook *book = new_book(name, diags);
    return book ? finish_book(book, wb_read_xlsx(book, data, size, name, diags)) : NULL;
}

/* An OLE compound file is an .xls, or an .xlsx encrypted with a password (xls.c tells). */
static bp_workbook *open_xls(const char *path, bp_diags *diags)
{
    bp_workbook *book = new_book(path, diags);
    return book ? finish_book(book, wb_read_xls(book, path, diags)) : NULL;
}

bp_workbook *bp_workbook_open(const char *path, bp_diags *diags)
{
    FILE *f = fopen(path, "rb");
    bp_strbuf bytes = BP_STRBUF_INIT;
    char piece[65536];
    size_t n;
    while (f && (n = fread(piece, 1, sizeof piece, f)) > 0 && bytes.len <= WB_MAX_FILE_BYTES)
        bp_strbuf_append(&bytes, piece, n);
    bool read_error = !f || ferror(f);
    if (f)
        fclose(f);
    bp_workbook *book = NULL;
    if (read_error)
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL,
                     "cannot open the workbook (does the file exist, may it be read?)");
    else if (bytes.failed || bytes.len > WB_MAX_FILE_BYTES)
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL,
                     "the workbook is larger than 256 MB, or memory ran out reading it");
    else if (sniff((const unsigned char *)(bytes.data ? bytes.data : ""), bytes.len) == FILE_OLE)
        book = open_xls(path, diags);
    else
        book = bp_workbook_read(bytes.data ? bytes.data : "", bytes.len, path, diags);
    bp_strbuf_free(&bytes);
    return book;
}

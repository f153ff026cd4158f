/*
 * xls.c: reads an Excel 97–2003 workbook (.xls, BIFF in an OLE compound file) through FreeXL,
 * into the workbook's sheets and cells (workbook.c). Some official templates still come in it.
 *
 * Stage: import, first step, beside xlsx.c. The facts that shaped it: BIFF stores a number as a
 * binary double, so the decimal text the file "wrote" is the shortest one that reads back as
 * that double (1204.5, 0.1, 0.30000000000000004 as Excel itself would show it at full
 * precision), never a fixed number of digits that would add or lose some. FreeXL gives a
 * formula's stored result only, and opens files by name only. And FreeXL 1.0.6 is not safe on a
 * damaged file: fuzz_xlsx found a stack-buffer underflow in its iconv call from freexl_open after
 * 727 runs. So FreeXL runs in a child process: it reads the file and sends the cells down a
 * pipe; a child that crashes, hangs (60 s) or sends what it should not is a damaged workbook
 * reported as such, never a crash of budgetpress. (glibc keeps malloc usable in a forked child
 * of a threaded process; `import` reads a workbook per process anyway.)
 */
#include "import_int.h"

#include <errno.h>
#include <freexl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The shortest %g text that reads back as v. */
static void shortest_decimal(double v, char *out, size_t size)
{
    for (int precision = 1; precision <= 17; precision++) {
        snprintf(out, size, "%.*g", precision, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

static int xls_error(const char *path, bp_diags *diags, const char *what)
{
    bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL, "%s", what);
    return -1;
}

/* One cell's value as a bp_cell; false when it holds nothing. */
static bool read_value(const FreeXL_CellValue *v, bp_cell *cell, char *number, size_t size)
{
    switch (v->type) {
    case FREEXL_CELL_INT:
        snprintf(number, size, "%d", v->value.int_value);
        cell->type = BP_CELL_NUMBER;
        cell->value = number;
        return true;
    case FREEXL_CELL_DOUBLE:
        shortest_decimal(v->value.double_value, number, size);
        cell->type = BP_CELL_NUMBER;
        cell->value = number;
        return true;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME:
        cell->type = BP_CELL_TEXT;
        cell->value = v->value.text_value ? v->value.text_value : "";
        return v->value.text_value != NULL;
    default:
        return false;
    }
}

static int read_sheet(bp_workbook *book, const void *handle, unsigned short index, const char *path,
                      bp_diags *diags)
{
    const char *name = NULL;
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (freexl_get_worksheet_name(handle, index, &name) != FREEXL_OK || !name ||
        freexl_select_active_worksheet(handle, index) != FREEXL_OK ||
        freexl_worksheet_dimensions(handle, &rows, &cols) != FREEXL_OK)
        return xls_error(path, diags, "the workbook is damaged: a sheet cannot be read");
    wb_sheet *sheet = wb_add_sheet(book, name, strlen(name));
    if (!sheet)
        return xls_error(path, diags, "out of memory, or more than 1,024 sheets");
    if ((uint64_t)rows * cols > 4ull * WB_MAX_CELLS) /* every position is asked for */
        return xls_error(path, diags, "a sheet of more than 4 million cells: refused");
    for (unsigned int r = 0; r < rows; r++)
        for (unsigned short c = 0; c < cols; c++) {
            FreeXL_CellValue v;
            char number[32];
            bp_cell cell = {.row = r, .col = c};
            if (freexl_get_cell_value(handle, r, c, &v) != FREEXL_OK)
                return xls_error(path, diags, "the workbook is damaged: a cell cannot be read");
            if (read_value(&v, &cell, number, sizeof number) && !wb_add_cell(book, sheet, &cell))
                return xls_error(path, diags,
                                 "out of memory, or a sheet of more than 4 million cells");
        }
    return 0;
}

/* ---- In the child: FreeXL, then the cells down the pipe ---- */

static int read_with_freexl(bp_workbook *book, const char *path, bp_diags *diags)
{
    const void *handle = NULL;
    int rc = freexl_open(path, &handle);
    if (rc != FREEXL_OK) {
        freexl_close(handle);
        return xls_error(path, diags,
                         rc == FREEXL_INSUFFICIENT_MEMORY
                             ? "out of memory"
                             : "the workbook is damaged, cut short or password-protected "
                               "(an .xls FreeXL cannot read): save it from Excel or LibreOffice "
                               "as an unprotected .xlsx");
    }
    unsigned int info = 0, count = 0;
    if (freexl_get_info(handle, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
        info == FREEXL_BIFF_OBFUSCATED) {
        freexl_close(handle);
        return xls_error(path, diags,
                         "the workbook is password-protected: save it unprotected and import "
                         "that copy");
    }
    rc = freexl_get_info(handle, FREEXL_BIFF_SHEET_COUNT, &count) == FREEXL_OK ? 0 : -1;
    if (rc != 0)
        xls_error(path, diags, "the workbook is damaged: its sheets cannot be counted");
    for (unsigned int i = 0; rc == 0 && i < count && i < WB_MAX_SHEETS; i++)
        rc = read_sheet(book, handle, (unsigned short)i, path, diags);
    freexl_close(handle);
    return rc;
}

/* The stream: 'S' name NUL for a sheet; 'C' row col (4 bytes each, little-endian) type (1)
 * value NUL for a cell; 'E' message NUL for the error. */
static void put_u32(bp_strbuf *out, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    bp_strbuf_append(out, (const char *)b, 4);
}

static void serialise(const bp_workbook *book, const bp_diags *diags, bp_strbuf *out)
{
    for (size_t s = 0; s < book->sheet_count; s++) {
        const wb_sheet *sheet = &book->sheets[s];
        bp_strbuf_putc(out, 'S');
        bp_strbuf_append(out, sheet->name, strlen(sheet->name) + 1);
        for (size_t i = 0; i < sheet->count; i++) {
            const bp_cell *c = &sheet->cells[i];
            bp_strbuf_putc(out, 'C');
            put_u32(out, c->row);
            put_u32(out, c->col);
            bp_strbuf_putc(out, (char)c->type);
            bp_strbuf_append(out, c->value, strlen(c->value) + 1);
        }
    }
    for (size_t i = 0; i < diags->count; i++) {
        bp_strbuf_putc(out, 'E');
        bp_strbuf_append(out, diags->items[i].message, strlen(diags->items[i].message) + 1);
    }
}

/* The child's exit: read, or refused with its message sent; anything else (a crash, a
 * sanitizer's report, a kill) is FreeXL failing on the file. */
enum { CHILD_READ = 0, CHILD_REFUSED = 10, CHILD_BROKEN = 11 };

static void write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(CHILD_BROKEN);
        data += n;
        len -= (size_t)n;
    }
}

/* Set by a sanitizer or libFuzzer to act on a crash; the child's crash is the parent's to
 * report, so the child's dies quietly (weak: absent from a plain build). */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

__attribute__((noreturn)) static void child(const char *path, int fd)
{
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(NULL);
    alarm(60); /* a FreeXL that loops is a damaged file too */
    bp_workbook *book = calloc(1, sizeof *book);
    bp_diags diags = BP_DIAGS_INIT;
    if (!book || !(book->arena = bp_arena_create()))
        _exit(CHILD_BROKEN);
    int rc = read_with_freexl(book, path, &diags);
    bp_strbuf out = BP_STRBUF_INIT;
    serialise(book, &diags, &out);
    if (out.failed)
        _exit(CHILD_BROKEN);
    write_all(fd, out.data ? out.data : "", out.len);
    _exit(rc == 0 ? CHILD_READ : CHILD_REFUSED);
}

/* ---- In the parent: the cells read back ---- */

static bool take_string(const char **p, const char *end, const char **s)
{
    const char *nul = memchr(*p, '\0', (size_t)(end - *p));
    if (!nul)
        return false;
    *s = *p;
    *p = nul + 1;
    return true;
}

static uint32_t get_u32(const unsigned char *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* Reads the child's stream into book; 0, 1 (the child's own error, added), -1 malformed. */
static int deserialise(bp_workbook *book, const char *data, size_t len, const char *path,
                       bp_diags *diags)
{
    const char *p = data, *end = data + len;
    wb_sheet *sheet = NULL;
    int rc = 0;
    while (p < end) {
        char tag = *p++;
        const char *s;
        if (tag == 'S' && take_string(&p, end, &s)) {
            if (!(sheet = wb_add_sheet(book, s, strlen(s))))
                return -1;
        } else if (tag == 'C' && sheet && end - p >= 9) {
            bp_cell c = {.row = get_u32((const unsigned char *)p),
                         .col = get_u32((const unsigned char *)p + 4),
                         .type = (bp_cell_type)(unsigned char)p[8]};
            p += 9;
            if (!take_string(&p, end, &c.value) || c.type > BP_CELL_NONE || c.row >= WB_MAX_ROWS ||
                c.col >= WB_MAX_COLS || !wb_add_cell(book, sheet, &c))
                return -1;
        } else if (tag == 'E' && take_string(&p, end, &s)) {
            bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL, "%s", s);
            rc = 1;
        } else {
            return -1;
        }
    }
    return rc;
}

int wb_read_xls(bp_workbook *book, const char *path, bp_diags *diags)
{
    int fds[2];
    if (pipe(fds) != 0)
        return xls_error(path, diags, "cannot start the .xls reader (no pipe)");
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return xls_error(path, diags, "cannot start the .xls reader (no process)");
    }
    if (pid == 0) {
        close(fds[0]);
        child(path, fds[1]);
    }
    close(fds[1]);
    bp_strbuf got = BP_STRBUF_INIT;
    char piece[65536];
    ssize_t n;
    while ((n = read(fds[0], piece, sizeof piece)) != 0 && got.len <= 4u * WB_MAX_FILE_BYTES) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        bp_strbuf_append(&got, piece, (size_t)n);
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    int rc = (code == CHILD_READ || code == CHILD_REFUSED) && !got.failed
                 ? deserialise(book, got.data ? got.data : "", got.len, path, diags)
                 : -1;
    bp_strbuf_free(&got);
    /* Read: every cell and no message. Refused: its message, and nothing else. */
    if (code == CHILD_READ && rc == 0)
        return 0;
    if (code == CHILD_REFUSED && rc == 1)
        return -1;
    return xls_error(path, diags,
                     "the workbook is damaged: the .xls reader (FreeXL) failed on it; save it "
                     "from Excel or LibreOffice as .xlsx");
}

/*
 * report.c: what every pass of the table engine says: out of memory (once), an error naming
 * the table and where in it, and the words for a row, a column and a length in messages.
 *
 * Stage: layout, table engine, below every pass: the passes report through it and it calls
 * none of them, so that the engine's files form no circle.
 */
#include "table_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends at most max_bytes of UTF-8 text, never cutting a character in two. */
static void append_truncated(bp_strbuf *out, const char *text, size_t max_bytes)
{
    size_t n = strlen(text);
    if (n > max_bytes) {
        n = max_bytes;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
    }
    bp_strbuf_append(out, text, n);
    if (n < strlen(text))
        bp_strbuf_puts(out, "…");
}

void tbl_out_of_memory(tbl_work *w)
{
    if (w->failed)
        return;
    w->failed = true;
    bp_diags_add(flow_diags(w->f), BP_SEVERITY_ERROR, NULL, flow_source(w->f), 0, 0, w->table->path,
                 "%s: out of memory while laying out the table",
                 w->table->name ? w->table->name : "table");
    flow_count_error(w->f);
}

void tbl_error(tbl_work *w, const char *where, const char *fmt, ...)
{
    bp_strbuf msg = BP_STRBUF_INIT;
    bp_strbuf_printf(&msg, "%s, %s: ", w->table->name ? w->table->name : "table", where);
    va_list ap;
    va_start(ap, fmt);
    bp_strbuf_vprintf(&msg, fmt, ap);
    va_end(ap);
    bp_diags_add(flow_diags(w->f), BP_SEVERITY_ERROR, NULL, flow_source(w->f), 0, 0, w->table->path,
                 "%s", bp_strbuf_cstr(&msg));
    flow_count_error(w->f);
    bp_strbuf_free(&msg);
}

void tbl_describe_row(const tbl_work *w, const tbl_section *sec, size_t r, bp_strbuf *out)
{
    bp_strbuf_printf(out, "%s %zu", sec->what, r + 1);
    if (sec != &w->body)
        return;
    /* The identity columns say which row it is; a 序号 equal to the row number adds nothing. */
    char number[24];
    snprintf(number, sizeof number, "%zu", r + 1);
    bool open = false;
    size_t n = w->table->identity_columns < w->ncols ? w->table->identity_columns : w->ncols;
    for (size_t c = 0; c < n; c++) {
        const tbl_cell *cell = tbl_slot(sec, w->ncols, r, c)->cell;
        if (!cell || !cell->text[0] || strcmp(cell->text, number) == 0)
            continue;
        bp_strbuf_puts(out, open ? " " : " (");
        append_truncated(out, cell->text, 40);
        open = true;
    }
    if (open)
        bp_strbuf_putc(out, ')');
}

void tbl_describe_column(const tbl_work *w, size_t c, bp_strbuf *out)
{
    const char *label = w->table->columns[c].label;
    if (label && label[0])
        bp_strbuf_printf(out, "column %s", label);
    else
        bp_strbuf_printf(out, "column %zu", c + 1);
}

void tbl_format_points(bp_len v, char *out, size_t size)
{
    long tenths = ((long)v + (v >= 0 ? 50 : -50)) / 100;
    snprintf(out, size, "%s%ld.%ld", tenths < 0 ? "-" : "", labs(tenths) / 10, labs(tenths) % 10);
}

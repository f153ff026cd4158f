/*
 * one_row.c: a table of one row of figures (the 三公 table printed across: 合计 | 因公出国（境）
 * 费 | 公务接待费 | …) read from its sheet, printed either way.
 *
 * Stage: import, under the profile. The fact that shaped it: the same 三公 table comes across
 * (items as column headers, their figures in the row below) in one workbook and down (items as
 * row labels, figures in one column) in another; the profile gives both ("columns" and
 * "down"), and the sheet's headers decide which it is.
 */
#include "read_int.h"

#include <stdio.h>
#include <string.h>

/* The cell of the figure at tables.ID.amounts.KEY (which check's rules address as
 * tables.ID.KEY). */
static void add_origins(im_ctx *ctx, const im_view *view, const char *key, uint32_t row,
                        uint32_t col)
{
    char at[600], alias[300];
    snprintf(at, sizeof at, "tables.%s.amounts.%s", view->kind->id, key);
    im_origin_add(ctx, at, view->sheet, row, col);
    snprintf(alias, sizeof alias, "tables.%s.%s", view->kind->id, key);
    im_alias_add(ctx, alias, at);
}

static bool all_headers(im_ctx *ctx, im_view *view, im_header *headers, bool quiet)
{
    bool all = true;
    for (size_t i = 0; i < view->profile->column_count; i++) {
        char what[200];
        snprintf(what, sizeof what, "the column \"%s\"", view->profile->columns[i].key);
        headers[i] = im_find_header(ctx, view, &view->profile->columns[i].header, what, quiet);
        all = all && headers[i].found;
    }
    return all;
}

static json_t *read_across(im_ctx *ctx, im_view *view, const im_header *headers)
{
    const pf_table *pt = view->profile;
    bp_value_type *types = calloc(pt->column_count + 1, sizeof *types);
    if (!types) {
        ctx->out_of_memory = true;
        return NULL;
    }
    im_column_types(pt->columns, pt->column_count, view->kind->columns, view->kind->column_count,
                    types);
    json_t *amounts = json_object();
    size_t n;
    const bp_cell *cells = bp_workbook_cells(ctx->book, view->sheet, &n);
    /* The figures' row: the first below the headers with a figure under one of them. */
    uint32_t row = UINT32_MAX;
    for (size_t i = 0; i < n && row == UINT32_MAX; i++)
        for (size_t k = 0; k < pt->column_count && cells[i].row >= view->data_first; k++)
            if (cells[i].col == headers[k].col &&
                im_cell_has_amount(ctx, view->sheet, cells[i].row, cells[i].col))
                row = cells[i].row;
    for (size_t k = 0; k < pt->column_count && row != UINT32_MAX; k++) {
        bool read;
        json_t *v = im_read_value(ctx, view, row, headers[k].col, types[k], &read);
        if (!v)
            continue;
        json_object_set_new(amounts, pt->columns[k].key, v);
        add_origins(ctx, view, pt->columns[k].key, row, headers[k].col);
    }
    free(types);
    return amounts;
}

/* Read down: the kind's columns as the lines of one side whose one column is "value". */
static json_t *read_down(im_ctx *ctx, im_view *view)
{
    const bp_kind_table *kt = view->kind;
    bp_kind_line *lines = calloc(kt->column_count + 1, sizeof *lines);
    json_t *amounts = json_object();
    if (!lines) {
        ctx->out_of_memory = true;
        return amounts;
    }
    for (size_t i = 0; i < kt->column_count; i++)
        lines[i] = (bp_kind_line){.key = kt->columns[i].key, .label = kt->columns[i].key};
    bp_kind_side side = {.key = "down", .lines = lines, .line_count = kt->column_count};
    const bp_kind_side *sides[] = {&side};
    json_t *read = im_read_sides(ctx, view, view->profile->down, sides, 1);
    json_t *values = json_object_get(read, "down");
    const char *key;
    json_t *line;
    json_object_foreach(values, key, line)
    {
        json_object_set(amounts, key, json_object_get(line, "value"));
        /* Each item's row and the value column, as the side recorded them. */
        char at[600];
        snprintf(at, sizeof at, "tables.%s.down.%s", kt->id, key);
        const im_origin *row = im_origin_find(ctx, at, IM_ORIGIN_ROW);
        snprintf(at, sizeof at, "tables.%s.down#value", kt->id);
        const im_origin *column = im_origin_find(ctx, at, IM_ORIGIN_COLUMN);
        if (row && column)
            add_origins(ctx, view, key, row->row, column->col);
    }
    json_decref(read);
    free(lines);
    return amounts;
}

json_t *im_read_one_row(im_ctx *ctx, im_view *view)
{
    const pf_table *pt = view->profile;
    im_header *headers = calloc(pt->column_count + 1, sizeof *headers);
    if (!headers) {
        ctx->out_of_memory = true;
        return NULL;
    }
    json_t *amounts = NULL;
    im_view across = *view;
    if (pt->column_count && all_headers(ctx, &across, headers, true)) {
        amounts = read_across(ctx, &across, headers);
    } else if (pt->down) {
        amounts = read_down(ctx, view);
    } else {
        size_t before = ctx->errors;
        all_headers(ctx, view, headers, false);
        if (ctx->errors == before)
            amounts = read_across(ctx, view, headers);
    }
    free(headers);
    if (!amounts)
        return NULL;
    json_t *table = json_object();
    json_object_set_new(table, "amounts", amounts);
    return table;
}

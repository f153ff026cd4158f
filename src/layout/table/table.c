/*
 * table.c: tbl_layout, the table engine's driver: one call per pass, in the order of the
 * design note (shared notes, table-pagination.md); the passes' shared messages are report.c's.
 *
 * Stage: layout, below tables.c (the builders) and beside flow.c (whose page region it uses).
 * It never shapes, measures or draws itself; each pass does that in its own file (see
 * table_int.h). The fact that shaped it: a 5,000-row table must lay out in well under 50 ms,
 * so every pass is linear and each cell is shaped and broken exactly once; and a problem in one
 * cell must not hide the others, so after an error the table is still laid out as well as
 * possible and every problem is reported in one run.
 */
#include "table_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool work_begin(tbl_work *w, flow *f, const tbl_table *table, const tbl_style *style)
{
    memset(w, 0, sizeof *w);
    w->f = f;
    w->table = table;
    w->style = style;
    w->fonts = flow_fonts(f);
    w->doc = flow_document(f);
    w->ncols = table->ncols;
    w->repeat = table->repeat ? table->repeat : TBL_REPEAT_BANNER | TBL_REPEAT_HEADER;
    w->shaped = (bp_shaped)BP_SHAPED_INIT;
    w->lines = (bp_lines)BP_LINES_INIT;
    w->arena = bp_arena_create();
    if (!w->arena) {
        tbl_out_of_memory(w);
        return false;
    }
    return true;
}

static void work_end(tbl_work *w)
{
    tbl_repeat_free(w);
    bp_shaped_free(&w->shaped);
    bp_lines_free(&w->lines);
    free(w->scratch_ids);
    free(w->scratch_clusters);
    free(w->scratch_dx);
    bp_arena_destroy(w->arena);
}

/* The smallest cell size allowed: min_cell_size, or cell_size when none is set. */
static bp_len smallest_size(const tbl_style *st)
{
    return st->min_cell_size > 0 && st->min_cell_size < st->cell_size ? st->min_cell_size
                                                                      : st->cell_size;
}

/* The cell size at which the table would be `excess` narrower, or 0 when the layout allows
 * none so small. Only what scales shrinks (w->scalable): padding and fixed widths stay. */
static bp_len size_for(const tbl_work *w, const tbl_style *st, bp_len excess)
{
    if (excess <= 0 || w->scalable <= excess)
        return 0;
    bp_len size = (bp_len)((int64_t)st->cell_size * (w->scalable - excess) / w->scalable);
    size = size / (BP_LEN_PER_PT / 10) * (BP_LEN_PER_PT / 10); /* whole tenths of a point */
    return size >= smallest_size(st) ? size : 0;
}

/* The next size to try: one that gives the names a comfortable width, else one at which the
 * table fits at all; 0 when neither is allowed (then the table stays at its size). At least a
 * tenth of a point smaller than now, for rounding can leave a few thousandths over. */
static bp_len smaller_size(const tbl_work *w, const tbl_style *st)
{
    bp_len size = size_for(w, st, w->squeeze);
    if (size == 0)
        size = size_for(w, st, w->overflow);
    if (size == 0)
        return 0;
    if (size > st->cell_size - BP_LEN_PER_PT / 10)
        size = st->cell_size - BP_LEN_PER_PT / 10;
    return size >= smallest_size(st) ? size : 0;
}

/* Sets the table's cell text at `size`, its leading in the layout's proportion. */
static void set_cell_size(tbl_style *st, const tbl_style *layout, bp_len size)
{
    st->cell_size = size;
    st->cell_leading = (bp_len)((int64_t)layout->cell_leading * size / layout->cell_size);
}

/* Shapes every text and sizes the columns (pass A) at the layout's cell size; when the amounts
 * and codes would leave the names too little room, or no room, sets the table smaller, down
 * to the layout's min_cell_size, and does both again. A first attempt that reported errors (a
 * character no font has) ends the search: every attempt would report them again. */
static bool fit_columns(tbl_work *w, flow *f, const tbl_table *table, tbl_style *st,
                        const tbl_style *layout, bp_len left, bp_len width, bool turned)
{
    for (;;) {
        if (!work_begin(w, f, table, st))
            return false;
        w->turned = turned;
        size_t errors = flow_error_count(f);
        tbl_measure_shape(w); /* shape every text once */
        if (!w->failed)
            tbl_widths(w, left, width); /* A: column widths */
        bp_len size = w->failed || flow_error_count(f) != errors ? 0 : smaller_size(w, st);
        if (size == 0)
            return !w->failed;
        work_end(w);
        set_cell_size(st, layout, size);
    }
}

/* A text column narrower than its stated minimum: an error, for the names would wrap every
 * few characters (a 5,000-row 支出总表 of nine-digit amounts in portrait). */
static void report_short_share(tbl_work *w, size_t c, bool turned_already)
{
    char have[32], need[32], size[32];
    tbl_format_points(w->col_w[c], have, sizeof have);
    tbl_format_points(w->table->columns[c].min, need, sizeof need);
    tbl_format_points(smallest_size(w->style), size, sizeof size);
    bp_strbuf where = BP_STRBUF_INIT;
    tbl_describe_column(w, c, &where);
    tbl_error(w, bp_strbuf_cstr(&where),
              "the column would be %s pt wide, below its minimum of %s pt, even with the table "
              "set smaller (down to %s pt)%s",
              have, need, size,
              turned_already       ? " on a turned page"
              : w->table->may_turn ? ""
                                   : " (\"orientation\": \"auto\" lets the table turn its page)");
    bp_strbuf_free(&where);
}

void tbl_layout(flow *f, const tbl_table *table, const tbl_style *style)
{
    if (table->ncols == 0)
        return;
    /* The page the table starts on fixes the text width and the orientation of all its pages. */
    bp_len left, width, y;
    flow_page(f, &left, &width, &y);
    (void)y;
    tbl_style fitted = *style;
    tbl_work w;
    if (!fit_columns(&w, f, table, &fitted, style, left, width, flow_turned(f))) {
        work_end(&w);
        return;
    }
    /* A text column below its minimum: a table that may turn its (empty) page does so. */
    size_t short_col = w.failed ? w.ncols : tbl_short_share(&w);
    bool turned = false;
    if (short_col < w.ncols && table->may_turn && flow_turn_empty_page(f)) {
        work_end(&w);
        turned = true;
        fitted = *style;
        flow_page(f, &left, &width, &y);
        if (!fit_columns(&w, f, table, &fitted, style, left, width, flow_turned(f))) {
            work_end(&w);
            return;
        }
        short_col = w.failed ? w.ncols : tbl_short_share(&w);
    }
    if (short_col < w.ncols)
        report_short_share(&w, short_col, turned);
    if (!w.failed && w.overflow > 0)
        tbl_report_table_too_wide(&w);
    w.too_wide = bp_arena_array(w.arena, w.ncols, sizeof *w.too_wide);
    w.too_wide_need = bp_arena_array(w.arena, w.ncols, sizeof *w.too_wide_need);
    if (!w.too_wide || !w.too_wide_need)
        w.too_wide = NULL;
    if (!w.failed)
        tbl_measure(&w); /* B: lines, row heights, block heights */
    tbl_report_too_wide_summary(&w);
    if (!w.failed)
        tbl_structure(&w); /* the nodes of the structure tree, in reading order */
    if (!w.failed)
        tbl_breaks(&w); /* C: where a page may break */
    if (!w.failed)
        tbl_repeat_build(&w); /* the banner and header, laid out once */
    if (!w.failed)
        tbl_paginate(&w); /* D: pages, drawn as they are chosen; then the note */
    work_end(&w);
}

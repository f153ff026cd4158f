/*
 * widths.c: pass A: every column's width, once per table, from the cells' unwrapped widths.
 *
 * Stage: layout, table engine, after shaping and before breaking. It never shapes, breaks or
 * emits; it reads natural widths and writes col_w and col_x. The fact that shaped it: the same
 * grid must hold on every page of a table (longtable reconciles chunk widths over several runs
 * through the .aux file; here all rows are in memory, so one pass suffices), and a code or an
 * amount must never wrap (seed defect "201110 2"), so a column is never narrower than its
 * widest amount or code, whatever its width says (a unit of nine-digit amounts widens the
 * amount columns beyond their maximum), and only share columns ("*") give way. When they
 * would have to give way below a comfortable width, table.c sets the table smaller and runs
 * this pass again (w->squeeze says by how much the table is too wide).
 */
#include "table_int.h"

#include <stdio.h>

/* What a cell needs across: its unwrapped text, padding and indent. */
static bp_len cell_need(const tbl_work *w, const tbl_mcell *m)
{
    return m->text.natural + 2 * w->style->pad_x + m->cell->indent;
}

/* The widest single-column cell of each column in a section, and the widest that never
 * wraps (amounts, codes). */
static void widest_cells(const tbl_work *w, const tbl_section *sec, bp_len *widest,
                         bp_len *widest_nowrap)
{
    for (size_t r = 0; r < sec->count; r++)
        for (size_t c = 0; c < w->ncols; c++) {
            const tbl_mcell *m = tbl_slot(sec, w->ncols, r, c);
            if (!m->cell || m->cols != 1)
                continue;
            widest[c] = tbl_max_len(widest[c], cell_need(w, m));
            if (m->cell->nowrap)
                widest_nowrap[c] = tbl_max_len(widest_nowrap[c], cell_need(w, m));
        }
}

static bp_len clamp_auto(const tbl_column *col, bp_len v)
{
    if (v < col->min)
        v = col->min;
    if (col->max > 0 && v > col->max)
        v = col->max;
    return v;
}

/* A cell spanning columns that needs more than they give widens its auto columns, evenly,
 * within their maxima. Spans over a share column are left to the share. */
static void spread_span(tbl_work *w, size_t c, const tbl_mcell *m)
{
    bp_len have = 0;
    size_t autos = 0;
    for (size_t k = c; k < c + m->cols; k++) {
        const tbl_column *col = &w->table->columns[k];
        if (col->kind == TBL_WIDTH_SHARE)
            return;
        have += w->col_w[k];
        autos += col->kind == TBL_WIDTH_AUTO;
    }
    bp_len missing = cell_need(w, m) - have;
    if (missing <= 0 || autos == 0)
        return;
    bp_len each = missing / (bp_len)autos, rest = missing % (bp_len)autos;
    for (size_t k = c; k < c + m->cols; k++) {
        const tbl_column *col = &w->table->columns[k];
        if (col->kind != TBL_WIDTH_AUTO)
            continue;
        w->col_w[k] = clamp_auto(col, w->col_w[k] + each + rest);
        rest = 0;
    }
}

static void spread_spans(tbl_work *w, const tbl_section *sec)
{
    for (size_t r = 0; r < sec->count; r++)
        for (size_t c = 0; c < w->ncols; c++) {
            const tbl_mcell *m = tbl_slot(sec, w->ncols, r, c);
            if (m->cell && m->cols > 1)
                spread_span(w, c, m);
        }
}

/* How wide a share column should be at least for its text to read well (four characters),
 * and how wide it must be at least (one). */
static bp_len comfortable_share(const tbl_style *st)
{
    return 4 * st->cell_size + 2 * st->pad_x;
}

static bp_len narrowest_share(const tbl_style *st)
{
    return st->cell_size + 2 * st->pad_x;
}

/* What of the table's width scales with its cell size: the text of the columns as wide as
 * their content, and the comfortable width of the share columns. Padding, fixed widths and
 * auto columns held at their minimum stay. */
static bp_len scalable_width(const tbl_work *w, const bp_len *widest, const bp_len *widest_nowrap)
{
    bp_len scalable = 0;
    for (size_t c = 0; c < w->ncols; c++) {
        const tbl_column *col = &w->table->columns[c];
        bp_len text = w->col_w[c] - 2 * w->style->pad_x;
        if (col->kind == TBL_WIDTH_SHARE)
            scalable += 4 * w->style->cell_size;
        else if (w->col_w[c] == widest_nowrap[c] ||
                 (col->kind == TBL_WIDTH_AUTO && w->col_w[c] == widest[c]))
            scalable += tbl_max_len(0, text);
    }
    return scalable;
}

/* How much wider than the text the table is with every share column at `floor`, or, with
 * minimums set, at its stated minimum when that is more. */
static bp_len excess_at(const tbl_work *w, bp_len text_width, bp_len floor, bool minimums)
{
    bp_len total = 0;
    for (size_t c = 0; c < w->ncols; c++) {
        const tbl_column *col = &w->table->columns[c];
        bp_len share = minimums ? tbl_max_len(floor, col->min) : floor;
        total += col->kind == TBL_WIDTH_SHARE ? share : w->col_w[c];
    }
    return tbl_max_len(0, total - text_width);
}

/* Share columns split `rest` in proportion, the last taking the remainder, never narrower
 * than one character; a column already given a width (held at its minimum) keeps it. */
static void share_out(tbl_work *w, bp_len rest)
{
    long shares = 0;
    size_t last = w->ncols;
    for (size_t c = 0; c < w->ncols; c++) {
        const tbl_column *col = &w->table->columns[c];
        if (col->kind != TBL_WIDTH_SHARE)
            continue;
        if (w->col_w[c]) {
            rest -= w->col_w[c];
        } else {
            shares += col->share > 0 ? col->share : 1;
            last = c;
        }
    }
    bp_len given = 0;
    for (size_t c = 0; c < w->ncols && shares; c++) {
        const tbl_column *col = &w->table->columns[c];
        if (col->kind != TBL_WIDTH_SHARE || w->col_w[c])
            continue;
        long share = col->share > 0 ? col->share : 1;
        bp_len v = c == last ? rest - given : (bp_len)((int64_t)rest * share / shares);
        given += v;
        w->col_w[c] = tbl_max_len(v, narrowest_share(w->style));
    }
}

/* Holds at its minimum each share column whose part would be less, as long as the others
 * keep a character each; true when one was held. */
static bool hold_minimums(tbl_work *w, bp_len rest)
{
    long shares = 0;
    for (size_t c = 0; c < w->ncols; c++) {
        const tbl_column *col = &w->table->columns[c];
        if (col->kind != TBL_WIDTH_SHARE)
            continue;
        if (w->col_w[c])
            rest -= w->col_w[c];
        else
            shares += col->share > 0 ? col->share : 1;
    }
    for (size_t c = 0; c < w->ncols && shares; c++) {
        const tbl_column *col = &w->table->columns[c];
        long share = col->share > 0 ? col->share : 1;
        if (col->kind == TBL_WIDTH_SHARE && !w->col_w[c] && col->min > 0 &&
            (bp_len)((int64_t)rest * share / shares) < col->min &&
            rest - col->min >= (bp_len)(shares - share) * narrowest_share(w->style)) {
            w->col_w[c] = col->min;
            return true;
        }
    }
    return false;
}

/* Share columns split what the others leave, in proportion, so that the table is exactly the
 * text width: water-filling, a column with a stated minimum held at it while the others share
 * the rest. What cannot reach its minimum is tbl_short_share's to say. */
static void share_rest(tbl_work *w, bp_len text_width)
{
    bp_len rest = text_width;
    bool any = false;
    for (size_t c = 0; c < w->ncols; c++) {
        bool share = w->table->columns[c].kind == TBL_WIDTH_SHARE;
        any = any || share;
        if (share)
            w->col_w[c] = 0;
        else
            rest -= w->col_w[c];
    }
    if (!any)
        return;
    while (hold_minimums(w, rest))
        ;
    share_out(w, rest);
}

/* The first share column narrower than its stated minimum, or ncols. */
size_t tbl_short_share(const tbl_work *w)
{
    for (size_t c = 0; c < w->ncols; c++) {
        const tbl_column *col = &w->table->columns[c];
        if (col->kind == TBL_WIDTH_SHARE && col->min > 0 && w->col_w[c] < col->min)
            return c;
    }
    return w->ncols;
}

void tbl_report_table_too_wide(tbl_work *w)
{
    bp_len need = w->table_w, give = w->text_width;
    char a[32], b[32];
    tbl_format_points(need, a, sizeof a);
    tbl_format_points(give, b, sizeof b);
    tbl_error(w, "columns", "the columns need %s pt, the page's text width is %s pt", a, b);
}

void tbl_widths(tbl_work *w, bp_len text_left, bp_len text_width)
{
    w->text_width = text_width;
    w->col_w = bp_arena_array(w->arena, w->ncols, sizeof *w->col_w);
    w->col_x = bp_arena_array(w->arena, w->ncols + 1, sizeof *w->col_x);
    bp_len *widest = bp_arena_array(w->arena, w->ncols, sizeof *widest);
    bp_len *widest_nowrap = bp_arena_array(w->arena, w->ncols, sizeof *widest_nowrap);
    bp_len grown = 0;
    if (!w->col_w || !w->col_x || !widest || !widest_nowrap) {
        tbl_out_of_memory(w);
        return;
    }
    /* Auto columns size to their data; header labels wrap to whatever the data leaves them
     * (an empty column of a long label would otherwise take its maximum). */
    widest_cells(w, &w->lead, widest, widest_nowrap);
    widest_cells(w, &w->body, widest, widest_nowrap);
    const tbl_section *sections[3] = {&w->lead, &w->header, &w->body};
    for (size_t c = 0; c < w->ncols; c++) {
        const tbl_column *col = &w->table->columns[c];
        w->col_w[c] = col->kind == TBL_WIDTH_FIXED  ? col->fixed
                      : col->kind == TBL_WIDTH_AUTO ? clamp_auto(col, widest[c])
                                                    : 0;
        /* An amount or a code never wraps: its column grows to hold it. */
        if (col->kind != TBL_WIDTH_SHARE && widest_nowrap[c] > w->col_w[c]) {
            grown += widest_nowrap[c] - w->col_w[c];
            w->col_w[c] = widest_nowrap[c];
        }
    }
    for (int s = 0; s < 3; s++)
        spread_spans(w, sections[s]);
    /* Growth that leaves the names less than four characters is a reason to set the table
     * smaller; a layout whose own widths leave them so is taken as written. */
    w->overflow = excess_at(w, text_width, narrowest_share(w->style), false);
    bp_len cramped = excess_at(w, text_width, comfortable_share(w->style), true);
    w->squeeze = tbl_max_len(w->overflow, grown < cramped ? grown : cramped);
    /* A text column below its stated minimum is a reason too, whatever made it so. */
    w->squeeze = tbl_max_len(w->squeeze, excess_at(w, text_width, narrowest_share(w->style), true));
    w->scalable = scalable_width(w, widest, widest_nowrap);
    share_rest(w, text_width);
    w->col_x[0] = 0;
    for (size_t c = 0; c < w->ncols; c++)
        w->col_x[c + 1] = w->col_x[c] + w->col_w[c];
    w->table_w = w->col_x[w->ncols];
    for (size_t c = 0; c < w->ncols; c++)
        assert(w->col_w[c] > 0 && w->col_x[c] < w->col_x[c + 1]);
    /* A table narrower than the text (no share column) is centred. */
    w->table_x = text_left + (w->table_w < text_width ? (text_width - w->table_w) / 2 : 0);
}

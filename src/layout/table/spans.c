/*
 * spans.c: body cells spanning rows across page breaks: one fragment per page, each showing
 * the full label, centred vertically, as tall as its label needs.
 *
 * Stage: layout, table engine, pass D's helper. It keeps the spans open while the paginator
 * scans a page and tells emit where each fragment lies; it never measures text, never chooses
 * a break and never draws. The fact that shaped it: budget tables merge equal labels (一级指标
 * over several 二级指标), and Chinese table practice repeats equal content rather than leaving
 * a continued cell blank (pdfmake) or continuing it (Typst, OpenPDF): a reader of page 2 must
 * see which 类 the rows belong to (design note 1.6). A fragment's rows are the page's share of
 * the span; if they are shorter than the label, the deficit goes on its last row on that page:
 * while the span is open that is the "target" below the page's first row that the page's end
 * must reach; when it ends on the page, the rows after it start below it. At most one span is
 * open per column, so each row costs O(columns) only in tables that have spans.
 */
#include "table_int.h"

#include <string.h>

static void activate(tbl_work *w, size_t c, size_t last, bp_len target)
{
    tbl_active *a = &w->page.active[c];
    if (!a->on)
        w->page.active_count++;
    *a = (tbl_active){true, last, target};
}

void tbl_spans_open_page(tbl_work *w, size_t first_row)
{
    tbl_page *pg = &w->page;
    memset(pg->active, 0, w->ncols * sizeof *pg->active);
    pg->active_count = 0;
    const tbl_section *body = &w->body;
    if (!body->has_spans || first_row >= body->count)
        return;
    for (size_t c = 0; c < w->ncols; c++) {
        uint32_t o = body->owner[first_row * w->ncols + c];
        size_t ar = o / w->ncols, ac = o % w->ncols;
        const tbl_mcell *m = &body->cells[o];
        if (ac == c && ar < first_row && ar + m->rows - 1 >= first_row)
            activate(w, c, ar + m->rows - 1, m->height); /* its fragment starts at the top */
    }
}

void tbl_spans_start_row(tbl_work *w, size_t i, bp_len used)
{
    const tbl_section *body = &w->body;
    if (!body->span_start[i])
        return;
    for (size_t c = 0; c < w->ncols; c++) {
        const tbl_mcell *m = tbl_slot(body, w->ncols, i, c);
        if (m->cell && m->rows > 1)
            activate(w, c, i + m->rows - 1, used + m->height);
    }
}

void tbl_spans_targets(const tbl_work *w, size_t i, bp_len *natural, bp_len *open)
{
    *natural = *open = 0;
    if (w->page.active_count == 0)
        return;
    for (size_t c = 0; c < w->ncols; c++) {
        const tbl_active *a = &w->page.active[c];
        if (!a->on)
            continue;
        bp_len *slot = a->last == i ? natural : open;
        if (a->target > *slot)
            *slot = a->target;
    }
}

void tbl_spans_close_row(tbl_work *w, size_t i)
{
    if (w->page.active_count == 0)
        return;
    for (size_t c = 0; c < w->ncols; c++) {
        tbl_active *a = &w->page.active[c];
        if (a->on && a->last == i) {
            a->on = false;
            w->page.active_count--;
        }
    }
}

const tbl_mcell *tbl_spans_box_at(const tbl_work *w, const tbl_section *sec, size_t r, size_t c,
                                  size_t r0, size_t r1, size_t *last)
{
    size_t i = r * w->ncols + c;
    uint32_t o = sec->owner[i];
    const tbl_mcell *m = &sec->cells[o];
    size_t ar = o / w->ncols, ac = o % w->ncols;
    if (o == i && m->cell) {
        /* The cell starts here. */
    } else if (r == r0 && ac == c && ar < r0 && m->cell) {
        /* A span from a previous page: its fragment starts at the page's first row. */
    } else {
        return NULL;
    }
    size_t end = ar + m->rows - 1;
    *last = end < r1 ? end : r1;
    return m;
}

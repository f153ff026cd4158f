/*
 * paginate.c: pass D: chooses which body rows go on each page in one forward scan, and has
 * each page drawn as soon as its rows are known; then the note.
 *
 * Stage: layout, table engine, last. It reads measured heights and legal breaks; it never
 * shapes or breaks text, and it draws only through emit.c and repeat.c. The facts that shaped
 * it (design note 1.5, 1.7): the greedy scan that puts as many rows on a page as fit and then
 * backs up to the last legal break is linear, each row being scanned at most twice (a page
 * never rewinds past its own first row); a table must not start at a page's foot with its
 * header and fewer than M rows ("glue header to its rows"), so it moves to a new page when
 * the title, banner, header and rows up to the first legal break do not fit; when no legal
 * break fits an empty page the keeps give way, and only a row that alone is taller than an
 * empty page is split, between lines, cell by cell, its identity columns shown again on the
 * next piece (OpenPDF splits late like this; its PdfPTable silently drops a row taller than a
 * page "to avoid infinite loops", which must never happen here: every page places at least
 * one line, so the loop always ends and nothing is lost).
 */
#include "table_int.h"

#include <assert.h>
#include <string.h>

typedef struct scan_result {
    size_t stop;       /* the first row that did not fit (body count when all did) */
    size_t last_legal; /* the last row after which the page may end, or TBL_NO_ROW */
} scan_result;

/* Height of row r's piece on this page: its cells' lines here, with padding. */
static bp_len piece_height(const tbl_work *w, size_t r)
{
    uint32_t most = 0;
    for (size_t c = 0; c < w->ncols; c++) {
        const tbl_mcell *m = tbl_slot(&w->body, w->ncols, r, c);
        if (!m->cell || m->rows != 1)
            continue;
        uint32_t from, to;
        tbl_piece_lines(w, r, c, &from, &to);
        if (to - from > most)
            most = to - from;
    }
    int64_t h = (int64_t)(most ? most : 1) * w->style->cell_leading + 2 * w->style->pad_y;
    return tbl_max_len(h < TBL_MAX_EXTENT ? (bp_len)h : TBL_MAX_EXTENT, w->min_row_h);
}

/* The page's first row is taller than the room: each cell keeps the lines that fit (at least
 * one, so that every page makes progress) and the rest goes to the next page. A row that only
 * failed to fit for a span's label is placed whole. */
static void split_first_row(tbl_work *w)
{
    tbl_page *pg = &w->page;
    const tbl_style *st = w->style;
    size_t r = pg->first_row;
    bp_len room = (pg->cap - 2 * st->pad_y) / st->cell_leading;
    uint32_t fit = room >= 1 ? (uint32_t)room : 1;
    bool rest = false;
    for (size_t c = 0; c < w->ncols; c++) {
        const tbl_mcell *m = tbl_slot(&w->body, w->ncols, r, c);
        if (!m->cell || m->rows != 1)
            continue;
        uint32_t from, to;
        tbl_piece_lines(w, r, c, &from, &to);
        pg->line_to[c] = to - from > fit ? from + fit : to;
        rest |= pg->line_to[c] < to;
    }
    pg->end_row = r;
    pg->splits = rest;
    w->row_top[r] = 0;
    w->row_end[r] = piece_height(w, r);
}

/* ---- The scan ---- */

/* Places rows from the page's first one while the page could end after them within `cap`,
 * recording each row's top and the body's height if the page ended there. A page may end
 * after row i where a break is legal; after the last row only if the note's first lines fit
 * too. With first_legal_only it stops at the first place the page may end. */
static void scan(tbl_work *w, bp_len cap, bool first_legal_only, scan_result *s)
{
    const tbl_page *pg = &w->page;
    size_t n = w->body.count, i;
    bp_len used = 0;
    s->last_legal = TBL_NO_ROW;
    tbl_spans_open_page(w, pg->first_row);
    for (i = pg->first_row; i < n; i++) {
        bp_len h = i == pg->first_row ? pg->first_h : w->body.h[i];
        tbl_spans_start_row(w, i, used);
        bp_len natural, open;
        tbl_spans_targets(w, i, &natural, &open);
        bp_len cont = tbl_max_len(used + h, natural), end = tbl_max_len(cont, open);
        w->row_top[i] = used;
        w->row_end[i] = end;
        if (end > cap)
            break;
        bool last = i + 1 == n;
        if (last ? end + w->note_keep_h <= cap : w->brk[i + 1]) {
            s->last_legal = i;
            if (first_legal_only) {
                i++;
                break;
            }
        }
        tbl_spans_close_row(w, i);
        used = cont;
    }
    s->stop = i;
}

/* ---- Pages ---- */

static void page_reset(tbl_work *w, bool first, size_t first_row, bool resumes)
{
    tbl_page *pg = &w->page;
    if (resumes) { /* the lines placed so far are where the next piece starts */
        uint32_t *placed = pg->line_to;
        pg->line_to = pg->line_from;
        pg->line_from = placed;
    }
    pg->first = first;
    pg->fresh = !first;
    pg->first_row = first_row;
    pg->end_row = TBL_NO_ROW;
    pg->resumes = resumes;
    pg->splits = false;
    pg->body_h = 0;
    pg->first_h = 0;
    if (first_row < w->body.count)
        pg->first_h = resumes ? piece_height(w, first_row) : w->body.h[first_row];
}

/* Whether this page shows a part (TBL_REPEAT_*): the first page shows them all; a
 * continuation page those the table repeats, unless they leave no room for a row. */
static bool shows(const tbl_work *w, unsigned part)
{
    return w->page.first || ((w->repeat & part) && !w->repeat_dropped);
}

/* What stands above the body on continuation pages. */
static bp_len repeated_height(const tbl_work *w)
{
    return w->continued_h + (w->repeat & TBL_REPEAT_TITLE ? w->title_h : 0) +
           (w->repeat & TBL_REPEAT_BANNER ? w->banner_h : 0) +
           (w->repeat & TBL_REPEAT_HEADER ? w->header_h : 0);
}

/* What stands above the body on this page. */
static bp_len fixed_height(const tbl_work *w)
{
    bp_len h = (w->page.first || w->repeat_dropped ? 0 : w->continued_h) +
               (shows(w, TBL_REPEAT_TITLE) ? w->title_h : 0) +
               (shows(w, TBL_REPEAT_BANNER) ? w->banner_h : 0) +
               (shows(w, TBL_REPEAT_HEADER) ? w->header_h : 0);
    if (w->page.first)
        h += w->lead_h;
    return h;
}

static void open_region(tbl_work *w)
{
    tbl_page *pg = &w->page;
    bp_len left, width, y;
    flow_page(w->f, &left, &width, &y);
    pg->top_y = y;
    pg->body_y = y + fixed_height(w);
    pg->cap = flow_space_left(w->f) - fixed_height(w);
}

/* How tall the first page's part must be at least: title, banner, lead, header and the rows
 * up to the first legal break (with the note's first lines if that is the table's end).
 * Scans no further than an empty page holds: more does not fit anywhere. */
static bp_len first_page_need(tbl_work *w)
{
    bp_len fixed = fixed_height(w), page = flow_page_body_height(w->f);
    if (w->body.count == 0)
        return fixed + w->note_keep_h;
    scan_result s;
    scan(w, page, true, &s);
    if (s.last_legal == TBL_NO_ROW)
        return fixed + page + 1;
    bool ends = s.last_legal + 1 == w->body.count;
    return fixed + w->row_end[s.last_legal] + (ends ? w->note_keep_h : 0);
}

/* Held-back headings are placed with the table's first rows; a table that cannot show its
 * header with M rows in the room left starts a new page. A page that holds only the headings
 * just placed counts as fresh: leaving them alone would orphan them. */
static void start_table(tbl_work *w)
{
    flow *f = w->f;
    bp_len need = first_page_need(w);
    size_t pages = bp_document_page_count(w->doc);
    bool was_empty = flow_page_empty(f);
    flow_flush_pending(f, need);
    w->page.fresh = was_empty || bp_document_page_count(w->doc) != pages;
    if (!w->page.fresh && flow_space_left(f) < need) {
        flow_new_page(f, w->turned);
        w->page.fresh = true;
    }
}

/* Chooses the page's rows. Returns false when the table's first page, not fresh, has no room
 * for a legal end after all: the caller moves to a new page. */
static bool choose_rows(tbl_work *w)
{
    tbl_page *pg = &w->page;
    scan_result s;
    scan(w, pg->cap, false, &s);
    if (s.last_legal != TBL_NO_ROW)
        pg->end_row = s.last_legal; /* the normal case */
    else if (!pg->fresh)
        return false;
    else if (s.stop > pg->first_row)
        pg->end_row = s.stop - 1; /* a keep group taller than a page: keeps give way */
    else
        split_first_row(w); /* a row taller than a page */
    pg->body_h = w->row_end[pg->end_row];
    return true;
}

static void emit_page(tbl_work *w)
{
    tbl_page *pg = &w->page;
    bp_len left, width, y;
    bp_page *page = flow_page(w->f, &left, &width, &y);
    tbl_out out = {page, NULL, false};
    y = pg->top_y;
    bool grid_above = false;
    tbl_out repeated = {page, NULL, true};
    if (!pg->first && !w->repeat_dropped && w->continued_h) {
        tbl_emit_continued(w, &repeated, y);
        y += w->continued_h;
    }
    if (shows(w, TBL_REPEAT_TITLE) && w->title_h) {
        tbl_emit_title(w, pg->first ? &out : &repeated, y);
        y += w->title_h;
    }
    if (shows(w, TBL_REPEAT_BANNER)) {
        tbl_repeat_emit_banner(w, page, y, !pg->first);
        y += w->banner_h;
    }
    if (pg->first && w->lead.count) {
        tbl_structure_place(w, &w->lead, 0, w->lead.count - 1);
        tbl_emit_rows(w, &out, &w->lead, 0, w->lead.count - 1, w->lead.top, y, y + w->lead_h, true);
        y += w->lead_h;
        grid_above = true;
    }
    if (shows(w, TBL_REPEAT_HEADER) && w->header.count) {
        if (pg->first)
            tbl_structure_place(w, &w->header, 0, w->header.count - 1);
        tbl_repeat_emit_header(w, page, y, !pg->first);
        y += w->header_h;
        grid_above = true;
    }
    assert(y == pg->body_y);
    if (pg->end_row != TBL_NO_ROW)
        tbl_structure_place(w, &w->body, pg->first_row, pg->end_row);
    if (pg->end_row != TBL_NO_ROW)
        tbl_emit_rows(w, &out, &w->body, pg->first_row, pg->end_row, w->row_top, pg->body_y,
                      pg->body_y + pg->body_h, !grid_above);
}

/* The note below the last row, line by line; lines that do not fit go to the next page (its
 * first lines were kept with the last row by the scan). */
static void place_note(tbl_work *w)
{
    const tbl_text *t = &w->note;
    if (t->line_count == 0)
        return;
    flow_advance(w->f, w->style->banner_space);
    bp_len base = tbl_baseline_in_box(w, t->role, t->size, w->note_lead);
    for (uint32_t i = 0; i < t->line_count; i++) {
        if (flow_space_left(w->f) < w->note_lead && !flow_page_empty(w->f))
            flow_new_page(w->f, w->turned);
        bp_len left, width, y;
        tbl_out out = {flow_page(w->f, &left, &width, &y), NULL, false};
        tbl_emit_line(w, &out, t, i, w->table_x, y + base);
        flow_advance(w->f, w->note_lead);
    }
}

static bool alloc_page_state(tbl_work *w)
{
    size_t n = w->body.count;
    tbl_page *pg = &w->page;
    pg->active = bp_arena_array(w->arena, w->ncols, sizeof *pg->active);
    pg->line_from = bp_arena_array(w->arena, w->ncols, sizeof *pg->line_from);
    pg->line_to = bp_arena_array(w->arena, w->ncols, sizeof *pg->line_to);
    w->row_top = bp_arena_array(w->arena, n + 1, sizeof *w->row_top);
    w->row_end = bp_arena_array(w->arena, n + 1, sizeof *w->row_end);
    return pg->active && pg->line_from && pg->line_to && w->row_top && w->row_end;
}

/* Progress guard: a banner and header leaving no room for one row on an empty page cannot be
 * repeated; continuation pages then go without them, and that is reported. */
static void check_repeat_room(tbl_work *w)
{
    bp_len cap = flow_page_body_height(w->f) - repeated_height(w);
    if (w->body.count == 0 || cap >= w->min_row_h)
        return;
    char need[32];
    tbl_format_points(repeated_height(w), need, sizeof need);
    tbl_error(w, "header",
              "what repeats on a continuation page (title, banner, header) takes %s pt and "
              "leaves no room for a row; continuation pages go without it",
              need);
    w->repeat_dropped = true;
}

void tbl_paginate(tbl_work *w)
{
    if (!alloc_page_state(w)) {
        tbl_out_of_memory(w);
        return;
    }
    size_t n = w->body.count;
    check_repeat_room(w);
    page_reset(w, true, 0, false);
    start_table(w);
    for (;;) {
        open_region(w);
        if (n > 0 && !choose_rows(w)) {
            flow_new_page(w->f, w->turned);
            w->page.fresh = true;
            continue;
        }
        emit_page(w);
        tbl_page *pg = &w->page;
        flow_advance(w->f, pg->body_y + pg->body_h - pg->top_y);
        if (n == 0 || (pg->end_row + 1 == n && !pg->splits))
            break;
        size_t next = pg->splits ? pg->end_row : pg->end_row + 1;
        bool resumes = pg->splits;
        /* Every page makes progress: a new row, or more lines of the row it splits. */
        assert(pg->end_row != TBL_NO_ROW && pg->end_row >= pg->first_row && next < n);
        assert(next > pg->first_row || (pg->splits && next == pg->first_row));
        flow_new_page(w->f, w->turned);
        page_reset(w, false, next, resumes);
    }
    place_note(w);
    flow_advance(w->f, w->style->space_after);
}

/*
 * emit.c: draws a table's pieces: cell text lines aligned in their boxes, every cell's borders
 * as rules on the column grid, the title and the banner.
 *
 * Stage: layout, table engine, called by paginate.c once a page's rows are chosen and by
 * repeat.c to lay the banner and header out once. It never shapes, breaks or measures (the
 * lines and heights come from measure.c) and never decides where a page ends. The facts that
 * shaped it: a glyph run is one stretch of glyphs of one face and emphasis with positions
 * relative to the run, as flow.c's emit_line builds them, so copy and search in the PDF read
 * the cell's text; bold cells take the role's bold face, or are fake-bold runs when it has none
 * (AR PL UMing has no bold); and borders are
 * drawn per row boundary and per column boundary where two different cells meet, merged into
 * the longest segments, so a page of 40 rows costs about 50 rules, not 400 boxes.
 */
#include "table_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- Where items go ---- */

bp_item *tbl_items_push(tbl_items *list)
{
    bp_item *grown = bp_grow(list->items, &list->capacity, list->count + 1, sizeof *grown, 64);
    if (!grown)
        return NULL;
    list->items = grown;
    return &list->items[list->count++];
}

/* A run kept in a list must own its arrays: they go into the work arena. */
static bool keep_run(tbl_work *w, bp_glyph_run *run)
{
    uint32_t *ids = bp_arena_array(w->arena, run->count, sizeof *ids);
    uint32_t *clusters = bp_arena_array(w->arena, run->count, sizeof *clusters);
    bp_len *dx = bp_arena_array(w->arena, run->count, sizeof *dx);
    char *text = bp_arena_strndup(w->arena, run->text, run->text_len);
    if (!ids || !clusters || !dx || !text)
        return false;
    memcpy(ids, run->ids, run->count * sizeof *ids);
    memcpy(clusters, run->clusters, run->count * sizeof *clusters);
    memcpy(dx, run->dx, run->count * sizeof *dx);
    run->ids = ids;
    run->clusters = clusters;
    run->dx = dx;
    run->text = text;
    return true;
}

static void out_glyphs(tbl_work *w, const tbl_out *out, bp_glyph_run run)
{
    if (!out->list) { /* to a page (which may be missing after memory ran out: refused) */
        if (bp_page_add_glyphs(w->doc, out->page, &run) != 0)
            tbl_out_of_memory(w);
        return;
    }
    bp_item *item = keep_run(w, &run) ? tbl_items_push(out->list) : NULL;
    if (!item) {
        tbl_out_of_memory(w);
        return;
    }
    item->kind = BP_ITEM_GLYPHS;
    item->u.glyphs = run;
}

static void out_rule(tbl_work *w, const tbl_out *out, bp_len x0, bp_len y0, bp_len x1, bp_len y1)
{
    bp_rule rule = {x0, y0, x1, y1, w->style->rule_width};
    if (!out->list) {
        if (bp_page_add_rule(w->doc, out->page, &rule) != 0)
            tbl_out_of_memory(w);
        return;
    }
    bp_item *item = tbl_items_push(out->list);
    if (!item) {
        tbl_out_of_memory(w);
        return;
    }
    item->kind = BP_ITEM_RULE;
    item->u.rule = rule;
}

static bool reserve_scratch(tbl_work *w, size_t n)
{
    if (n <= w->scratch_capacity)
        return true;
    size_t capacity;
    /* Three arrays of one length: the widest element decides whether the size fits. */
    if (!bp_capacity_for(w->scratch_capacity, n, sizeof(uint32_t) + sizeof(bp_len), 64, &capacity))
        return false;
    uint32_t *ids = realloc(w->scratch_ids, capacity * sizeof *ids);
    if (ids)
        w->scratch_ids = ids;
    uint32_t *clusters = realloc(w->scratch_clusters, capacity * sizeof *clusters);
    if (clusters)
        w->scratch_clusters = clusters;
    bp_len *dx = realloc(w->scratch_dx, capacity * sizeof *dx);
    if (dx)
        w->scratch_dx = dx;
    if (!ids || !clusters || !dx)
        return false;
    w->scratch_capacity = capacity;
    return true;
}

/* ---- Text ---- */

/* One run: glyphs [start, stop) of a text, all of one face, drawn from x. */
static void emit_run(tbl_work *w, const tbl_out *out, const tbl_text *t, uint32_t start,
                     uint32_t stop, bp_len x, bp_len baseline)
{
    size_t n = stop - start;
    if (!reserve_scratch(w, n)) {
        tbl_out_of_memory(w);
        return;
    }
    uint32_t text_start = t->glyphs[start].cluster;
    uint32_t text_end = stop < t->glyph_count ? t->glyphs[stop].cluster : (uint32_t)t->len;
    bp_len dx = 0;
    for (size_t i = 0; i < n; i++) {
        w->scratch_ids[i] = t->glyphs[start + i].id;
        w->scratch_clusters[i] = t->glyphs[start + i].cluster - text_start;
        w->scratch_dx[i] = dx;
        dx += t->glyphs[start + i].advance;
    }
    bp_glyph_run run = {
        .face = t->glyphs[start].face,
        .bold_stroke =
            t->bold && !bp_font_has_bold(w->fonts, t->role) ? bp_fake_bold_stroke(t->size) : 0,
        .size = t->size,
        .x = x,
        .y = baseline,
        .count = n,
        .ids = w->scratch_ids,
        .dx = w->scratch_dx,
        .width = dx,
        .clusters = w->scratch_clusters,
        .text = t->text + text_start,
        .text_len = text_end - text_start,
        .meaning = t->meaning,
        .artifact = out->artifact,
        .node = out->artifact ? 0 : t->node,
    };
    out_glyphs(w, out, run);
}

void tbl_emit_line(tbl_work *w, const tbl_out *out, const tbl_text *t, uint32_t line, bp_len x,
                   bp_len baseline)
{
    assert(line < t->line_count);
    const tbl_line *l = tbl_text_line(t, line);
    assert(l->first + l->count <= t->glyph_count);
    uint32_t start = l->first, end = l->first + l->count;
    while (start < end) {
        uint32_t stop = start + 1;
        bp_len width = t->glyphs[start].advance;
        while (stop < end && t->glyphs[stop].face == t->glyphs[start].face)
            width += t->glyphs[stop++].advance;
        emit_run(w, out, t, start, stop, x, baseline);
        x += width;
        start = stop;
    }
}

/* Lines [from, to) of a cell, centred vertically in its box [top, bottom), aligned across. */
static void emit_cell(tbl_work *w, const tbl_out *out, const tbl_mcell *m, bp_len x, bp_len width,
                      bp_len top, bp_len bottom, uint32_t from, uint32_t to)
{
    if (from >= to)
        return;
    const tbl_style *st = w->style;
    bp_len leading = st->cell_leading;
    bp_len y = top + (bottom - top - (bp_len)(to - from) * leading) / 2;
    bp_len left = x + st->pad_x + m->cell->indent, avail = width - 2 * st->pad_x - m->cell->indent;
    for (uint32_t i = from; i < to; i++, y += leading) {
        bp_len lw = tbl_text_line(&m->text, i)->width, lx = left;
        if (m->cell->align == TBL_ALIGN_CENTER)
            lx = left + (avail - lw) / 2;
        else if (m->cell->align == TBL_ALIGN_RIGHT)
            lx = x + width - st->pad_x - lw;
        tbl_emit_line(w, out, &m->text, i, lx, y + w->cell_baseline[m->text.role]);
    }
}

/* ---- Rows split across pages ---- */

/* ---- Rows split across pages ---- */

void tbl_piece_lines(const tbl_work *w, size_t r, size_t c, uint32_t *from, uint32_t *to)
{
    const tbl_page *pg = &w->page;
    uint32_t lines = tbl_slot(&w->body, w->ncols, r, c)->text.line_count;
    *from = 0;
    *to = lines;
    if (pg->resumes && r == pg->first_row) {
        uint32_t done = pg->line_from[c];
        if (done < lines)
            *from = done; /* the rest of a cell that was cut */
        else if (c >= w->table->identity_columns)
            *from = lines; /* finished on an earlier page; identity cells show again */
    }
    if (pg->splits && r == pg->end_row && pg->line_to[c] < *to)
        *to = pg->line_to[c];
    assert(*from <= *to && *to <= lines);
}

/* ---- Borders ---- */

/* Row geometry of a block being drawn: tops[r] + y0 is row r's top, `bottom` the last's foot. */
typedef struct block_rows {
    const bp_len *tops;
    bp_len y0, bottom;
    size_t r0, r1;
} block_rows;

static bp_len row_top(const block_rows *b, size_t r)
{
    return b->y0 + b->tops[r];
}

static bp_len row_bottom(const block_rows *b, size_t r)
{
    return r == b->r1 ? b->bottom : b->y0 + b->tops[r + 1];
}

/* A horizontal rule from column boundary c0 to c1, reaching half a rule past each end so the
 * corners close. */
static void hrule(tbl_work *w, const tbl_out *out, size_t c0, size_t c1, bp_len y)
{
    bp_len half = w->style->rule_width / 2;
    out_rule(w, out, w->table_x + w->col_x[c0] - half, y, w->table_x + w->col_x[c1] + half, y);
}

/* Lines between rows r-1 and r where different cells meet, merged into segments. */
static void row_boundary(tbl_work *w, const tbl_out *out, const tbl_section *sec, size_t r,
                         bp_len y)
{
    const uint32_t *above = &sec->owner[(r - 1) * w->ncols], *here = &sec->owner[r * w->ncols];
    for (size_t c = 0; c < w->ncols;) {
        if (above[c] == here[c]) {
            c++;
            continue;
        }
        size_t start = c;
        while (c < w->ncols && above[c] != here[c])
            c++;
        hrule(w, out, start, c, y);
    }
}

/* True when column boundary b (left of column b) is drawn in row r: at the table's edges and
 * where two different cells meet. */
static bool boundary_drawn(const tbl_work *w, const tbl_section *sec, size_t r, size_t b)
{
    if (b == 0 || b == w->ncols)
        return true;
    const uint32_t *row = &sec->owner[r * w->ncols];
    return row[b - 1] != row[b];
}

static void column_boundaries(tbl_work *w, const tbl_out *out, const tbl_section *sec,
                              const block_rows *b)
{
    for (size_t col = 0; col <= w->ncols; col++) {
        bp_len x = w->table_x + w->col_x[col];
        for (size_t r = b->r0; r <= b->r1; r++) {
            if (!boundary_drawn(w, sec, r, col))
                continue;
            size_t start = r;
            while (r + 1 <= b->r1 && boundary_drawn(w, sec, r + 1, col))
                r++;
            out_rule(w, out, x, row_top(b, start), x, row_bottom(b, r));
        }
    }
}

static void borders(tbl_work *w, const tbl_out *out, const tbl_section *sec, const block_rows *b,
                    bool draw_top)
{
    if (draw_top)
        hrule(w, out, 0, w->ncols, row_top(b, b->r0));
    for (size_t r = b->r0 + 1; r <= b->r1; r++)
        row_boundary(w, out, sec, r, row_top(b, r));
    hrule(w, out, 0, w->ncols, b->bottom);
    column_boundaries(w, out, sec, b);
}

/* ---- Blocks of rows ---- */

void tbl_emit_rows(tbl_work *w, const tbl_out *out, const tbl_section *sec, size_t r0, size_t r1,
                   const bp_len *tops, bp_len y0, bp_len bottom, bool draw_top)
{
    if (sec->count == 0 || r0 > r1)
        return;
    block_rows b = {tops, y0, bottom, r0, r1};
    for (size_t r = r0; r <= r1; r++) {
        for (size_t c = 0; c < w->ncols; c++) {
            size_t last;
            const tbl_mcell *m = tbl_spans_box_at(w, sec, r, c, r0, r1, &last);
            if (!m)
                continue;
            uint32_t from = 0, to = m->text.line_count;
            if (sec == &w->body && m->rows == 1)
                tbl_piece_lines(w, r, c, &from, &to);
            bp_len x = w->table_x + w->col_x[c], width = w->col_x[c + m->cols] - w->col_x[c];
            /* A span's label printed again below a break repeats what the page before shows. */
            tbl_out here = *out;
            here.artifact = out->artifact || m != tbl_slot(sec, w->ncols, r, c);
            emit_cell(w, &here, m, x, width, row_top(&b, r), row_bottom(&b, last), from, to);
        }
    }
    borders(w, out, sec, &b, draw_top);
}

void tbl_emit_title(tbl_work *w, const tbl_out *out, bp_len y)
{
    const tbl_text *t = &w->title;
    bp_len base = tbl_baseline_in_box(w, t->role, t->size, w->title_lead);
    for (uint32_t i = 0; i < t->line_count; i++, y += w->title_lead) {
        bp_len lw = tbl_text_line(t, i)->width;
        tbl_emit_line(w, out, t, i, w->table_x + (w->table_w - lw) / 2, y + base);
    }
}

void tbl_emit_continued(tbl_work *w, const tbl_out *out, bp_len y)
{
    const tbl_text *t = &w->continued;
    bp_len base = tbl_baseline_in_box(w, t->role, t->size, w->banner_lead);
    for (uint32_t i = 0; i < t->line_count; i++, y += w->banner_lead) {
        bp_len lw = tbl_text_line(t, i)->width;
        tbl_emit_line(w, out, t, i, w->table_x + w->table_w - lw, y + base);
    }
}

void tbl_emit_banner(tbl_work *w, const tbl_out *out, bp_len y)
{
    const tbl_banner_plan *p = &w->banner_plan;
    for (int i = 0; i < 3 && p->lines; i++) {
        const tbl_text *t = &w->banner[i];
        if (t->line_count == 0)
            continue;
        bp_len base = tbl_baseline_in_box(w, t->role, t->size, w->banner_lead);
        for (uint32_t k = 0; k < t->line_count; k++)
            tbl_emit_line(w, out, t, k, w->table_x + p->x[i],
                          y + (p->line_of[i] + (bp_len)k) * w->banner_lead + base);
    }
}

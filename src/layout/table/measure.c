/*
 * measure.c: shapes every text of a table once (before pass A) and breaks it into lines once
 * at its final width (pass B): row heights, the label heights of cells spanning rows, the
 * heights of the title, banner, lead rows, header and note, and the rows' tops in the lead and
 * header (prefix sums of their heights).
 *
 * Stage: layout, table engine, passes B (and the shaping that pass A needs). measure_* never
 * emits and never decides a page: it only states how tall things are. The facts that shaped
 * it: the 5,000-row 支出总表 has 40,000 cells, so a cell is shaped once, broken once (and not
 * at all when it fits on one line, the common case), and its glyphs are kept in one arena;
 * and amounts and codes must never wrap (the seed printed "201110 2"), so a number wider than
 * its column is an error naming table, row, column and both widths, not a wrapped line.
 * Span heights are not folded into body rows (design note 1.3): pass D enforces them per
 * fragment; the lead and header never break, so their spans are folded here.
 */
#include "table_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A slot that input marks as covered but no span covers: drawn as an empty cell. */
static const tbl_cell empty_cell = {
    .text = "", .colspan = 1, .rowspan = 1, .align = TBL_ALIGN_LEFT, .role = BP_ROLE_TABLE};

/* ---- The grid: anchors and the slots their spans cover ---- */

static bool section_alloc(tbl_work *w, tbl_section *sec)
{
    size_t slots = sec->count * w->ncols;
    sec->cells = bp_arena_array(w->arena, slots + 1, sizeof *sec->cells);
    sec->owner = bp_arena_array(w->arena, slots + 1, sizeof *sec->owner);
    sec->span_start = bp_arena_array(w->arena, sec->count + 1, sizeof *sec->span_start);
    sec->h = bp_arena_array(w->arena, sec->count + 1, sizeof *sec->h);
    sec->top = bp_arena_array(w->arena, sec->count + 1, sizeof *sec->top);
    return sec->cells && sec->owner && sec->span_start && sec->h && sec->top;
}

/* Marks the slots an anchor covers as its own. */
static void cover(tbl_work *w, tbl_section *sec, size_t r, size_t c, const tbl_mcell *m)
{
    uint32_t anchor = (uint32_t)(r * w->ncols + c);
    for (size_t rr = r; rr < r + m->rows; rr++)
        for (size_t cc = c; cc < c + m->cols; cc++)
            sec->owner[rr * w->ncols + cc] = anchor;
}

/* Finds each cell's anchor and span, clamped to the section and the table. A slot already
 * covered by an earlier span is skipped even if it claims a cell (the earlier span wins). */
static void section_grid(tbl_work *w, tbl_section *sec)
{
    size_t slots = sec->count * w->ncols;
    for (size_t i = 0; i < slots; i++)
        sec->owner[i] = (uint32_t)i;
    for (size_t r = 0; r < sec->count; r++) {
        for (size_t c = 0; c < w->ncols; c++) {
            size_t i = r * w->ncols + c;
            if (sec->owner[i] != i)
                continue;
            const tbl_cell *cell = &sec->rows[r].cells[c];
            if (cell->colspan == 0)
                cell = &empty_cell;
            tbl_mcell *m = &sec->cells[i];
            m->cell = cell;
            size_t rows = cell->rowspan ? cell->rowspan : 1, cols = cell->colspan;
            m->rows = (uint16_t)(rows < sec->count - r ? rows : sec->count - r);
            m->cols = (uint16_t)(cols < w->ncols - c ? cols : w->ncols - c);
            assert(m->rows >= 1 && m->cols >= 1 && r + m->rows <= sec->count &&
                   c + m->cols <= w->ncols);
            if (m->rows > 1) {
                sec->span_start[r] = true;
                sec->has_spans = true;
            }
            cover(w, sec, r, c, m);
        }
    }
}

static bool init_section(tbl_work *w, tbl_section *sec, const char *what, const tbl_row *rows,
                         size_t count)
{
    sec->what = what;
    sec->rows = rows;
    sec->count = rows ? count : 0;
    if (!section_alloc(w, sec))
        return false;
    section_grid(w, sec);
    return true;
}

/* ---- Shaping ---- */

/* Where a cell is, for messages. */
typedef struct cell_place {
    const tbl_section *sec;
    size_t r, c;
} cell_place;

static void describe_cell(const tbl_work *w, const void *ctx, bp_strbuf *out)
{
    const cell_place *p = ctx;
    tbl_describe_row(w, p->sec, p->r, out);
    bp_strbuf_puts(out, ", ");
    tbl_describe_column(w, p->c, out);
}

static void describe_named(const tbl_work *w, const void *ctx, bp_strbuf *out)
{
    bp_strbuf_puts(out, ctx);
}

/* Cells already shaped, by role and text: a table repeats names (行政运行), codes and amounts,
 * and equal text in the same role at the same size shapes to the same glyphs, so those are
 * shaped once and shared. Texts with a missing character are not kept: each such cell is
 * shaped and reported in its own place. Open addressing; lives in the work arena. */
typedef struct shape_cache {
    const tbl_text **slots;
    size_t mask;
} shape_cache;

static bool cache_init(tbl_work *w, shape_cache *cache)
{
    size_t cells = (w->lead.count + w->header.count + w->body.count) * w->ncols, size = 64;
    while (size < 2 * cells)
        size *= 2;
    cache->slots = bp_arena_array(w->arena, size, sizeof *cache->slots);
    cache->mask = size - 1;
    return cache->slots != NULL;
}

/* FNV-1a over the text, the role mixed in. */
static size_t cache_hash(bp_font_role role, const char *text)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)role;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 32));
}

/* The slot holding (role, text), or the empty slot where it would go. */
static const tbl_text **cache_slot(const shape_cache *cache, bp_font_role role, const char *text)
{
    for (size_t i = cache_hash(role, text) & cache->mask;; i = (i + 1) & cache->mask) {
        const tbl_text *t = cache->slots[i];
        if (!t || (t->role == role && strcmp(t->text, text) == 0))
            return &cache->slots[i];
    }
}

static void shape_section(tbl_work *w, tbl_section *sec, shape_cache *cache)
{
    const tbl_style *st = w->style;
    for (size_t r = 0; r < sec->count && !w->failed; r++) {
        for (size_t c = 0; c < w->ncols; c++) {
            tbl_mcell *m = tbl_slot(sec, w->ncols, r, c);
            if (!m->cell)
                continue;
            const char *text = m->cell->text ? m->cell->text : "";
            const tbl_text **slot = text[0] ? cache_slot(cache, m->cell->role, text) : NULL;
            if (slot && *slot) {
                m->text = **slot;
                m->text.bold = m->cell->bold;
                m->text.meaning = m->cell->meaning;
                continue;
            }
            cell_place place = {sec, r, c};
            tbl_shape_text(w, &m->text, text, m->cell->role, st->cell_size, m->cell->bold,
                           describe_cell, &place);
            m->text.meaning = m->cell->meaning;
            if (slot && w->shaped.missing_count == 0 && !w->failed)
                *slot = &m->text;
        }
    }
}

void tbl_measure_shape(tbl_work *w)
{
    const tbl_table *t = w->table;
    const tbl_style *st = w->style;
    if (!init_section(w, &w->lead, "lead row", t->lead, t->lead_count) ||
        !init_section(w, &w->header, "header row", t->header, t->header_count) ||
        !init_section(w, &w->body, "row", t->body, t->body_count)) {
        tbl_out_of_memory(w);
        return;
    }
    shape_cache cache;
    if (!cache_init(w, &cache)) {
        tbl_out_of_memory(w);
        return;
    }
    shape_section(w, &w->lead, &cache);
    shape_section(w, &w->header, &cache);
    shape_section(w, &w->body, &cache);
    tbl_shape_text(w, &w->title, t->title, BP_ROLE_HEADING, st->title_size, false, describe_named,
                   "title");
    const char *parts[3] = {t->banner.left, t->banner.center, t->banner.right};
    for (int i = 0; i < 3; i++)
        if (parts[i])
            tbl_shape_text(w, &w->banner[i], parts[i], BP_ROLE_TABLE, st->banner_size, false,
                           describe_named, "banner");
    tbl_shape_text(w, &w->note, t->note, BP_ROLE_TABLE, st->note_size, false, describe_named,
                   "note");
    tbl_shape_text(w, &w->continued, t->continued, BP_ROLE_TABLE, st->banner_size, false,
                   describe_named, "continued");
}

/* ---- Breaking into lines ---- */

/* Cells too wide for their column named one by one before the rest are only counted. */
enum { TOO_WIDE_NAMED = 3 };

static void report_too_wide(tbl_work *w, const tbl_section *sec, size_t r, size_t c,
                            const tbl_text *t, bp_len avail)
{
    if (w->too_wide) {
        w->too_wide[c]++;
        if (t->natural > w->too_wide_need[c])
            w->too_wide_need[c] = t->natural;
        if (w->too_wide[c] > TOO_WIDE_NAMED) {
            flow_count_error(w->f);
            return;
        }
    }
    bp_strbuf where = BP_STRBUF_INIT;
    cell_place place = {sec, r, c};
    describe_cell(w, &place, &where);
    char need[32], give[32];
    tbl_format_points(t->natural, need, sizeof need);
    tbl_format_points(avail, give, sizeof give);
    tbl_error(w, bp_strbuf_cstr(&where), "%s needs %s pt, the column gives %s pt", t->text, need,
              give);
    bp_strbuf_free(&where);
}

/* The width a cell's text may take: its columns less the padding and its indent. */
static bp_len cell_text_width(const tbl_work *w, size_t c, const tbl_mcell *m)
{
    bp_len span = w->col_x[c + m->cols] - w->col_x[c];
    return span - 2 * w->style->pad_x - m->cell->indent;
}

/* The height of a cell of `lines` lines, in 64 bits: a cell of a million characters in a
 * narrow column is taller than a bp_len can say. */
static int64_t lines_height(const tbl_work *w, uint32_t lines)
{
    return (int64_t)(lines ? lines : 1) * w->style->cell_leading + 2 * w->style->pad_y;
}

/* A cell taller than TBL_MAX_EXTENT: refused by name; laid out as if it were that tall. */
static bp_len report_too_tall(tbl_work *w, const tbl_section *sec, size_t r, size_t c,
                              const tbl_text *t, int64_t height)
{
    bp_strbuf where = BP_STRBUF_INIT;
    cell_place place = {sec, r, c};
    describe_cell(w, &place, &where);
    size_t chars = bp_utf8_count(t->text, t->len);
    tbl_error(w, bp_strbuf_cstr(&where),
              "a text of %zu characters is too long to lay out: it would be %lld pt tall in "
              "this column, more than the %d pt (about 1,200 pages) one cell can take; shorten it",
              chars, (long long)(height / BP_LEN_PER_PT), TBL_MAX_EXTENT / BP_LEN_PER_PT);
    bp_strbuf_free(&where);
    return TBL_MAX_EXTENT;
}

static void break_section(tbl_work *w, tbl_section *sec)
{
    for (size_t r = 0; r < sec->count && !w->failed; r++) {
        bp_len h = w->min_row_h;
        for (size_t c = 0; c < w->ncols; c++) {
            tbl_mcell *m = tbl_slot(sec, w->ncols, r, c);
            if (!m->cell)
                continue;
            bp_len avail = cell_text_width(w, c, m);
            tbl_break_text(w, &m->text, avail, m->cell->nowrap);
            if (m->cell->nowrap && m->text.natural > avail)
                report_too_wide(w, sec, r, c, &m->text, avail);
            int64_t height = lines_height(w, m->text.line_count);
            m->height = height <= TBL_MAX_EXTENT ? (bp_len)height
                                                 : report_too_tall(w, sec, r, c, &m->text, height);
            if (m->rows == 1)
                h = tbl_max_len(h, m->height);
        }
        sec->h[r] = h;
    }
}

/* The lead and header never break, so a span taller than its rows makes its last row taller
 * (the usual rowspan rule). Rows are final from the top down: a span sees the rows above its
 * last one as they will be drawn. */
static void fold_spans(tbl_work *w, tbl_section *sec)
{
    for (size_t r = 0; r < sec->count && sec->has_spans; r++) {
        bp_len extra = 0;
        for (size_t ar = 0; ar <= r; ar++) {
            for (size_t c = 0; c < w->ncols; c++) {
                const tbl_mcell *m = tbl_slot(sec, w->ncols, ar, c);
                if (!m->cell || m->rows < 2 || ar + m->rows - 1 != r)
                    continue;
                bp_len have = 0;
                for (size_t k = ar; k <= r; k++)
                    have += sec->h[k];
                extra = tbl_max_len(extra, m->height - have);
            }
        }
        sec->h[r] += extra;
    }
}

static void prefix_sums(tbl_section *sec)
{
    sec->top[0] = 0;
    for (size_t r = 0; r < sec->count; r++)
        sec->top[r + 1] = sec->top[r] + sec->h[r];
}

/* ---- Pass B ---- */

static void measure_blocks(tbl_work *w)
{
    const tbl_style *st = w->style;
    tbl_break_text(w, &w->title, w->table_w, false);
    w->title_h =
        w->title.line_count ? (bp_len)w->title.line_count * w->title_lead + st->title_space : 0;
    tbl_plan_banner(w);
    w->banner_h =
        w->banner_plan.lines ? w->banner_plan.lines * w->banner_lead + st->banner_space : 0;
    w->lead_h = w->lead.top[w->lead.count];
    w->header_h = w->header.top[w->header.count];
    tbl_break_text(w, &w->continued, w->table_w, false);
    w->continued_h = (bp_len)w->continued.line_count * w->banner_lead;
    tbl_break_text(w, &w->note, w->table_w, false);
    uint32_t n = w->note.line_count, keep = n < 2 ? n : 2;
    w->note_keep_h = n ? st->banner_space + (bp_len)keep * w->note_lead : 0;
}

void tbl_measure(tbl_work *w)
{
    const tbl_style *st = w->style;
    /* The title's leading is one and a half times its size; the banner and the note keep the
     * cells' proportion of leading to size. */
    w->title_lead = st->title_size * 3 / 2;
    w->banner_lead = (bp_len)((int64_t)st->banner_size * st->cell_leading / st->cell_size);
    w->note_lead = (bp_len)((int64_t)st->note_size * st->cell_leading / st->cell_size);
    w->min_row_h = (bp_len)lines_height(w, 1);
    for (int role = 0; role < BP_ROLE__COUNT; role++)
        w->cell_baseline[role] =
            tbl_baseline_in_box(w, (bp_font_role)role, st->cell_size, st->cell_leading);
    /* The lead and header never break: their spans fold into their rows and their rows' tops
     * are fixed. Body rows get their tops per page in pass D, where span deficits apply to
     * fragments, so prefix sums of the whole body would be neither exact nor needed. */
    tbl_section *blocks[2] = {&w->lead, &w->header};
    for (int s = 0; s < 2; s++) {
        break_section(w, blocks[s]);
        fold_spans(w, blocks[s]);
        prefix_sums(blocks[s]);
    }
    break_section(w, &w->body);
    if (!w->failed)
        measure_blocks(w);
}

void tbl_report_too_wide_summary(tbl_work *w)
{
    for (size_t c = 0; w->too_wide && c < w->ncols; c++) {
        if (w->too_wide[c] <= TOO_WIDE_NAMED)
            continue;
        bp_strbuf where = BP_STRBUF_INIT;
        tbl_describe_column(w, c, &where);
        char need[32];
        tbl_format_points(w->too_wide_need[c], need, sizeof need);
        bp_diags_add(flow_diags(w->f), BP_SEVERITY_ERROR, NULL, flow_source(w->f), 0, 0,
                     w->table->path, "%s, %s: %zu more cells are too wide; the widest needs %s pt",
                     w->table->name, bp_strbuf_cstr(&where), w->too_wide[c] - TOO_WIDE_NAMED, need);
        bp_strbuf_free(&where);
    }
}

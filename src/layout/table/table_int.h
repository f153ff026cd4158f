/*
 * table_int.h: what the passes of the table engine share: the measured table (tbl_work) and
 * the state of the page being filled (tbl_page, reset at every break).
 *
 * The engine runs the passes of the design note (shared notes, table-pagination.md) in order,
 * one file each, driven by table.c:
 *
 *   text.c      one text shaped, broken into lines, its baseline (used by the passes)
 *   report.c    the messages every pass gives (used by the passes)
 *   measure.c   shape every cell once (tbl_measure_shape)            -> tbl_text.glyphs
 *   widths.c    pass A: column widths, once per table (tbl_widths)    -> col_w, col_x
 *   measure.c   pass B: break every cell once at its final width, row heights, prefix sums,
 *               the title, banner, lead, header and note heights (tbl_measure)
 *   breaks.c    pass C: where a page may break (tbl_breaks)           -> brk
 *   repeat.c    the banner and header laid out once (tbl_repeat_build)
 *   paginate.c  pass D: greedy forward scan, one page at a time (tbl_paginate), calling
 *   spans.c     for the spans open across the scan and at each page's top, and
 *   emit.c      to draw each page as soon as its rows are chosen,
 *   structure.c the table's nodes in the document's structure tree, added after measuring.
 *
 * Shaping comes before the widths because an auto column is as wide as its widest unwrapped
 * content; the glyphs are kept, so breaking into lines afterwards never shapes again.
 *
 * Everything here belongs to one tbl_layout call on one thread; nothing outlives it.
 */
#ifndef BP_LAYOUT_TABLE_INT_H
#define BP_LAYOUT_TABLE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../util/util.h"
#include "../table.h"

#define TBL_NO_ROW SIZE_MAX

/* The widest or tallest any one text may be: a million points (about 1,200 pages). Lengths are
 * 32-bit thousandths of a point, so a text twice as long would overflow; measuring stops here,
 * and a cell this tall is refused with a message, never laid out wrong. */
#define TBL_MAX_EXTENT BP_PT(1000000)

/* One line of a text: a range of its glyphs. */
typedef struct tbl_line {
    uint32_t first, count; /* glyphs, trailing spaces left out (they are not drawn) */
    bp_len width;          /* the sum of their advances */
} tbl_line;

/* A text shaped once and broken once: a cell's, the title's, a banner part's, the note's. */
typedef struct tbl_text {
    const char *text; /* the caller's UTF-8, alive for the whole tbl_layout call */
    size_t len;
    bp_font_role role;
    bp_len size;
    bool bold;
    bp_glyph *glyphs; /* in the work arena */
    uint32_t glyph_count;
    bp_len natural;            /* unwrapped width */
    tbl_line *lines;           /* NULL when the text is one line: then `single` is it */
    tbl_line single;           /* the common case, kept inline: no allocation per cell */
    uint32_t line_count;       /* 0 for an empty text */
    const bp_meaning *meaning; /* what a cell's text shows, carried to its glyph runs */
    bp_node_id node;           /* its node in the structure tree (structure.c), or 0 */
} tbl_text;

/* A slot of a section's grid. Only the slot where a cell starts (its anchor) has `cell`. */
typedef struct tbl_mcell {
    const tbl_cell *cell; /* NULL for a slot covered by a span */
    tbl_text text;
    uint16_t rows, cols; /* the span, clamped to the section and the table */
    bp_len height;       /* what the cell needs: its lines and the padding */
} tbl_mcell;

/* Lead rows, header rows or body rows, measured. */
typedef struct tbl_section {
    const char *what; /* for messages: "lead row", "header row", "row" */
    const tbl_row *rows;
    size_t count;
    tbl_mcell *cells;     /* count x ncols, row-major */
    uint32_t *owner;      /* count x ncols: the slot index of the anchor covering each slot */
    bool *span_start;     /* per row: a cell spanning several rows starts here */
    bp_len *h;            /* row heights; in the lead and header, span deficits included */
    bp_len *top;          /* lead and header: count + 1 prefix sums of h, each row's top */
    bool has_spans;       /* some cell spans rows */
    bp_node_id *row_node; /* per row: its node in the structure tree (structure.c) */
} tbl_section;

/* A body cell spanning rows that is open while a page is scanned, keyed by its first column. */
typedef struct tbl_active {
    bool on;
    size_t last;   /* its last row */
    bp_len target; /* how far below the page's first row its fragment must reach: its label */
} tbl_active;

/* The page being filled: everything that changes at a break, and nothing else (Typst's
 * `Current`). */
typedef struct tbl_page {
    bool first;          /* the table's first page: the title and lead rows are on it */
    bool fresh;          /* nothing but held-back headings above the table on this page */
    size_t first_row;    /* first body row on the page */
    size_t end_row;      /* last body row on the page, once chosen; TBL_NO_ROW for none */
    bp_len cap;          /* room for body rows (and the note's first lines) */
    bp_len top_y;        /* page y where the table's part on this page starts */
    bp_len body_y;       /* page y of the first body row's top */
    bp_len body_h;       /* height of the body rows placed */
    bool resumes;        /* first_row continues a row split at the previous page's foot */
    bool splits;         /* end_row is split: the rest of its lines go to the next page */
    uint32_t *line_from; /* resumes: per column, lines of first_row's cells placed before */
    uint32_t *line_to;   /* splits: per column, lines of end_row's cells placed up to here */
    bp_len first_h;      /* first_row's height on this page (a piece of it when resumed) */
    tbl_active *active;  /* per column: spans open during the scan */
    size_t active_count;
} tbl_page;

/* Items laid out once and drawn on several pages: the banner and the header. */
typedef struct tbl_items {
    bp_item *items; /* y from the top of the block; arrays in the work arena */
    size_t count, capacity;
} tbl_items;

/* Where emit draws: straight onto a page, or into a list kept for repetition. */
typedef struct tbl_out {
    bp_page *page;
    tbl_items *list;
    bool artifact; /* what is drawn repeats what an earlier page showed: pagination's, untagged */
} tbl_out;

/* Where the banner's parts go, decided once when it is measured (banner.c). */
typedef struct tbl_banner_plan {
    int lines;      /* 0 (no banner), 1, 2, or more when the left part is broken */
    bp_len x[3];    /* left, centre, right: x from the table's left edge */
    int line_of[3]; /* the line each part starts on (the left part may take several) */
} tbl_banner_plan;

/* One table being laid out: its input, what the passes computed, scratch buffers. */
typedef struct tbl_work {
    flow *f;
    const tbl_table *table;
    const tbl_style *style;
    const bp_fontset *fonts;
    bp_document *doc;
    bp_arena *arena; /* everything measured; freed when the table is done */
    size_t ncols;
    bool turned;     /* the table's pages are the layout's page turned (kept on every page) */
    unsigned repeat; /* TBL_REPEAT_*: what continuation pages print again */
    bool failed;     /* out of memory: reported once, the passes stop */

    /* Pass A */
    bp_len text_width; /* the page's text width */
    bp_len *col_w;     /* ncols */
    bp_len *col_x;     /* ncols + 1: each column's left edge, from the table's left edge */
    bp_len table_w;
    bp_len table_x;  /* the table's left edge on the page */
    bp_len squeeze;  /* how much too wide the table is with its share columns at a comfortable
                        width (four characters): a reason to set it smaller */
    bp_len overflow; /* how much too wide it is even with them at one character: an error
                        unless it is set smaller */
    bp_len scalable; /* how much of its width scales with the cell size */

    /* Pass B */
    tbl_section lead, header, body;
    tbl_text title, banner[3], note, continued;
    tbl_banner_plan banner_plan;
    bp_len title_lead, banner_lead, note_lead; /* baseline to baseline */
    bp_len title_h, banner_h, lead_h, header_h;
    bp_len continued_h; /* the 续表 mark above a continuation page's repeated parts, or 0 */
    bp_len note_keep_h; /* the note's first two lines and the space above: kept with the last row */
    bp_len min_row_h;   /* one line and the padding: an empty row */
    bp_len cell_baseline[BP_ROLE__COUNT]; /* baseline from a cell line box's top */
    size_t *too_wide;      /* ncols: cells too wide for each column, so that a column too narrow
                              for 40,000 rows says so in a few lines, not 40,000 */
    bp_len *too_wide_need; /* ncols: the widest of them */

    /* Pass C */
    bool *brk; /* body_count + 1: a page may break before row i */

    /* Pass D */
    bp_len *row_top; /* body_count: each scanned row's top from the page's first body row */
    bp_len *row_end; /* body_count: the body's height if the page ended after that row */
    tbl_page page;
    bool repeat_dropped; /* the banner and header leave no room: continuation pages omit them */
    tbl_items repeat_banner, repeat_header;

    /* The structure tree (structure.c) */
    bp_node_id table_node, head_node, body_node;

    /* Scratch, reused for every text and run */
    bp_shaped shaped;
    bp_lines lines;
    uint32_t *scratch_ids, *scratch_clusters;
    bp_len *scratch_dx;
    size_t scratch_capacity;
} tbl_work;

static inline bp_len tbl_max_len(bp_len a, bp_len b)
{
    return a > b ? a : b;
}

/* ---- report.c ---- */
void tbl_out_of_memory(tbl_work *w);
/* Reports an error about the table: "支出总表, <where>: <message>", counted by the flow. */
void tbl_error(tbl_work *w, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "row 4 (2011102 行政运行)", "header row 2", "lead row 1" for messages. */
void tbl_describe_row(const tbl_work *w, const tbl_section *sec, size_t r, bp_strbuf *out);
/* The column's label for messages, or "column N". */
void tbl_describe_column(const tbl_work *w, size_t c, bp_strbuf *out);
/* Points with one decimal, for messages: "58.2". */
void tbl_format_points(bp_len v, char *out, size_t size);

static inline const tbl_line *tbl_text_line(const tbl_text *t, uint32_t i)
{
    return t->lines ? &t->lines[i] : &t->single;
}

static inline tbl_mcell *tbl_slot(const tbl_section *sec, size_t ncols, size_t r, size_t c)
{
    return &sec->cells[r * ncols + c];
}

/* ---- text.c ---- */
/* Shapes a text and keeps its glyphs in the arena. `where` names it in messages; it is only
 * built when a character is missing. A NULL `where` reports nothing (a text shaped again). */
void tbl_shape_text(tbl_work *w, tbl_text *t, const char *text, bp_font_role role, bp_len size,
                    bool bold, void (*where)(const tbl_work *, const void *, bp_strbuf *),
                    const void *ctx);
/* Breaks a text into lines no wider than `avail`; `nowrap` keeps it on one line whatever its
 * width. */
void tbl_break_text(tbl_work *w, tbl_text *t, bp_len avail, bool nowrap);
/* Glyphs [first, end) without the spaces that end them, and their width. */
tbl_line tbl_trimmed_line(const tbl_text *t, uint32_t first, uint32_t end);
/* Baseline of a line box `leading` tall from its top: the glyphs' em box centred in it, as
 * flow.c places paragraph lines. */
bp_len tbl_baseline_in_box(const tbl_work *w, bp_font_role role, bp_len size, bp_len leading);

/* ---- measure.c ---- */
/* Shapes every cell, the title, the banner and the note once, reporting missing characters. */
void tbl_measure_shape(tbl_work *w);
/* Pass B: breaks every cell at its final width, row heights, block heights. Never emits. */
void tbl_measure(tbl_work *w);

/* ---- banner.c ---- */
/* Plans the banner (pass B): where each part goes, the left part set smaller or broken
 * between words when it is wider than the table. */
void tbl_plan_banner(tbl_work *w);

/* ---- widths.c ---- */
/* The first share column narrower than its stated minimum after pass A, or ncols. */
size_t tbl_short_share(const tbl_work *w);
/* Pass A: column widths for the text area [text_left, text_left + text_width); sets squeeze and
 * overflow, reports nothing. */
void tbl_widths(tbl_work *w, bp_len text_left, bp_len text_width);
/* "the columns need N pt, the page's text width is M pt". */
void tbl_report_table_too_wide(tbl_work *w);

/* ---- breaks.c ---- */
/* Pass C: brk[i] for every body row. */
void tbl_breaks(tbl_work *w);

/* ---- spans.c ---- */
/* Opens a fragment of every span covering the page's first row from above. */
void tbl_spans_open_page(tbl_work *w, size_t first_row);
/* Opens the spans that start at row i, whose fragment starts `used` below the page's body top. */
void tbl_spans_start_row(tbl_work *w, size_t i, bp_len used);
/* The furthest targets of the open spans ending at row i (natural) and going on (open). */
void tbl_spans_targets(const tbl_work *w, size_t i, bp_len *natural, bp_len *open);
/* Closes the spans ending at row i. */
void tbl_spans_close_row(tbl_work *w, size_t i);
/* The cell whose box on rows [r0, r1] of a section starts at slot (r, c): the cell anchored
 * there, or at r == r0 a span from the rows above (a fragment on a new page); else NULL.
 * *last is the box's last row, at most r1. */
const tbl_mcell *tbl_spans_box_at(const tbl_work *w, const tbl_section *sec, size_t r, size_t c,
                                  size_t r0, size_t r1, size_t *last);

/* ---- structure.c ---- */
/* Adds the table's nodes to the document's structure tree under the flow's current node: the
 * title, the banner, the table, its rows and cells, the note. After measuring. */
void tbl_structure(tbl_work *w);
/* Notes that rows [r0, r1] of a section, their cells and the table are on the flow's page. */
void tbl_structure_place(tbl_work *w, const tbl_section *sec, size_t r0, size_t r1);

/* ---- repeat.c ---- */
/* Lays the banner and the header out once, as item lists. */
void tbl_repeat_build(tbl_work *w);
/* Draws the banner (or the header) at page y `y` on the flow's current page. */
void tbl_repeat_emit_banner(tbl_work *w, bp_page *page, bp_len y, bool repeated);
void tbl_repeat_emit_header(tbl_work *w, bp_page *page, bp_len y, bool repeated);
void tbl_repeat_free(tbl_work *w);

/* ---- paginate.c ---- */
/* Pass D: places the whole table from the flow's cursor, page by page, and the note. */
void tbl_paginate(tbl_work *w);

/* ---- emit.c ---- */
/* Lines [from, to) of the cell anchored at body slot (r, c) drawn on the current page: all of
 * them, except in a row split across pages. */
void tbl_piece_lines(const tbl_work *w, size_t r, size_t c, uint32_t *from, uint32_t *to);
/* Appends an item to a list, growing it; NULL when out of memory. */
bp_item *tbl_items_push(tbl_items *list);
/* Draws one line of a text with its baseline at `baseline` and its left edge at x. */
void tbl_emit_line(tbl_work *w, const tbl_out *out, const tbl_text *t, uint32_t line, bp_len x,
                   bp_len baseline);
/* Draws rows [r0, r1] of a section: cells (body cells through tbl_piece_lines and their span
 * fragments) and their borders. tops[r] + y0 is row r's top; `bottom` the last row's foot. */
void tbl_emit_rows(tbl_work *w, const tbl_out *out, const tbl_section *sec, size_t r0, size_t r1,
                   const bp_len *tops, bp_len y0, bp_len bottom, bool draw_top);
/* The title's lines, centred, from page y `y`. */
void tbl_emit_title(tbl_work *w, const tbl_out *out, bp_len y);
/* The 续表 mark's lines, flush right, from page y `y`. */
void tbl_emit_continued(tbl_work *w, const tbl_out *out, bp_len y);
/* The banner's parts from y, as planned. */
void tbl_emit_banner(tbl_work *w, const tbl_out *out, bp_len y);

/* After pass B: one line per column that had more too-wide cells than were named. */
void tbl_report_too_wide_summary(tbl_work *w);

#endif

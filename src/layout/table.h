/*
 * table.h: the generic table engine: a grid of cells with merged cells, a title, a banner, a
 * multi-row header, a body and a note, laid out onto the flow's pages.
 *
 * Builders (tables.c) turn the budget model and the layout's table definitions into a
 * tbl_table; the engine knows nothing of budgets. It follows the passes of the design note
 * (shared notes, table-pagination.md): widths once (A), measure every cell once (B), legal
 * breaks (C), greedy pagination in one forward scan (D), emit. The banner and the header rows
 * repeat on every continuation page, identical to the first page's because they are the same
 * rows; a body row never splits unless it alone is taller than a page, and then it splits
 * between lines with its identity columns repeated; a body cell spanning rows that crosses a
 * break prints its label again on the new page; the title, banner and header never end a page
 * (at least `min_rows_after_header` body rows follow them); numbers never wrap.
 *
 * Nothing here is public; everything is read-only input except the flow.
 */
#ifndef BP_LAYOUT_TABLE_H
#define BP_LAYOUT_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "layout_int.h"

typedef enum tbl_align { TBL_ALIGN_LEFT, TBL_ALIGN_CENTER, TBL_ALIGN_RIGHT } tbl_align;

/* A cell. In a row's array of slots (one per column), the slot where a cell starts holds it
 * (colspan >= 1, rowspan >= 1); slots covered by a span from the left or from above have
 * colspan == 0 and are skipped. */
typedef struct tbl_cell {
    const char *text; /* UTF-8; "" for an empty cell; never NULL in an anchor slot */
    unsigned short colspan;
    unsigned short rowspan;
    tbl_align align;           /* horizontal; cells are always centred vertically */
    bool bold;                 /* drawn as fill plus stroke where the face has no bold */
    bool nowrap;               /* amounts and codes: one line; wider than the column is an error */
    bp_font_role role;         /* BP_ROLE_TABLE for text, BP_ROLE_NUMBER for amounts and codes */
    bp_len indent;             /* extra left indent (classification level) */
    const bp_meaning *meaning; /* what it shows (table, row, column, value), or NULL */
} tbl_cell;

typedef struct tbl_row {
    tbl_cell *cells;     /* ncols slots */
    bool keep_with_next; /* no page break after this row (e.g. a heading row of a group) */
    bool keep_with_prev; /* no page break before this row (e.g. a closing 合计 row) */
} tbl_row;

typedef enum tbl_width_kind {
    TBL_WIDTH_FIXED, /* `fixed` points */
    TBL_WIDTH_SHARE, /* `share` parts of what the fixed and auto columns leave */
    TBL_WIDTH_AUTO,  /* the widest content (unwrapped), clamped to [min, max] */
} tbl_width_kind;

typedef struct tbl_column {
    tbl_width_kind kind;
    bp_len fixed;
    int share;
    bp_len min, max;   /* auto: the bounds; share: the narrowest it may be (0: one character) */
    const char *label; /* the leaf header text, for messages ("合计") */
} tbl_column;

/* The line above the header: left, centre and right parts, any of them NULL. The left part
 * (unit code and name) is never broken inside: if the three do not fit on one line, the
 * centre and right parts go to a second line; if the left part alone is wider than the table,
 * its size is reduced until it fits (never below 60%), else it is an error. */
typedef struct tbl_banner {
    const char *left;
    const char *center;
    const char *right;
} tbl_banner;

/* Sizes and spacing of every table, from the layout. */
typedef struct tbl_style {
    bp_len title_size;         /* the title, heading face, centred */
    bp_len title_space;        /* below the title */
    bp_len banner_size;        /* the banner, table face */
    bp_len banner_space;       /* between banner and header */
    bp_len cell_size;          /* cell text */
    bp_len min_cell_size;      /* the smallest cell_size a table may be set at when its amounts
                                  or codes would not fit at cell_size (every cell is then set at
                                  one smaller size); cell_size forbids it */
    bp_len cell_leading;       /* baseline to baseline inside a cell */
    bp_len pad_x, pad_y;       /* cell padding */
    bp_len rule_width;         /* cell borders */
    bp_len note_size;          /* the note below the table */
    bp_len space_after;        /* below the table (after its note) */
    int min_rows_after_header; /* M of the design note, at least 1 */
} tbl_style;

/* What a continuation page prints again above the body. */
enum { TBL_REPEAT_TITLE = 1u, TBL_REPEAT_BANNER = 2u, TBL_REPEAT_HEADER = 4u };

typedef struct tbl_table {
    const char *key;   /* the table's key in the layout ("expense_summary"), for meanings */
    const char *name;  /* for messages: "单位预算支出总表" */
    const char *path;  /* JSON path of the table's data, for messages */
    const char *title; /* printed once, above the banner on the first page; NULL for none */
    tbl_banner banner; /* printed on every page of the table; all NULL for none */
    size_t ncols;
    const tbl_column *columns;
    /* Rows printed on the first page only, between banner and header (e.g. the 绩效目标 row of
     * a 绩效目标表); they never split from the header. */
    const tbl_row *lead;
    size_t lead_count;
    const tbl_row *header; /* repeated on every page; spans end inside the header */
    size_t header_count;
    const tbl_row *body;
    size_t body_count;
    const char *note; /* printed below the last row, as given ("注：…") */
    /* TBL_REPEAT_* printed again on continuation pages; 0 for the usual banner and header. */
    unsigned repeat;
    /* Printed flush right above a continuation page's repeated parts ("续表"); NULL for none. */
    const char *continued;
    /* The table starts an empty page and may turn it when a share column would otherwise be
     * narrower than its minimum (its min). */
    bool may_turn;
    /* The leading columns that identify a row (序号, code, name): repeated on the next page
     * when a row taller than a page is split. */
    size_t identity_columns;
} tbl_table;

/* Lays the table out at the flow's cursor, over as many pages as it needs, and leaves the
 * cursor below it. Problems (a number wider than its column, a character no font has, a
 * banner that cannot fit) are added to the flow's diagnostics naming the table, row and
 * column, and counted as errors; the table is still laid out as well as possible so that
 * every problem is found in one run. */
void tbl_layout(flow *f, const tbl_table *table, const tbl_style *style);

#endif

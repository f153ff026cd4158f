/*
 * page.h: the display list: what layout produces and every backend draws.
 *
 * A document is a list of pages; a page is a size and an append-only list of items: glyph
 * runs (with the UTF-8 they came from, so a PDF's text can be copied and searched), rules,
 * rectangles and link areas. The document also holds the outline (bookmarks) and metadata.
 * Nothing here knows libharu or PDF; a PNG backend draws the same list.
 *
 * Coordinates are bp_len (1/1000 pt) from the page's top-left corner, y growing downwards;
 * a glyph run's y is its baseline. Backends convert to their own coordinate systems.
 *
 * Memory: the document owns everything through its arena; strings and arrays passed in are
 * copied. One thread builds a document; once built it is read-only and may be read anywhere.
 * bp_page_dump prints one item per line in a stable text form for golden tests and diffs.
 */
#ifndef BUDGETPRESS_PAGE_H
#define BUDGETPRESS_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common.h"
#include "text.h"

/* What a table cell's glyphs show, as Typst's frames carry tags: every backend and `compare`
 * can tell which table, row and column a run belongs to and the exact value it prints. */
typedef enum bp_cell_role {
    BP_CELL_TITLE,
    BP_CELL_BANNER,
    BP_CELL_HEADER,
    BP_CELL_BODY,
    BP_CELL_TOTAL, /* a 合计 or 总计 row */
    BP_CELL_NOTE,
} bp_cell_role;

typedef struct bp_meaning {
    const char *table;  /* the table's key: "expense_summary", "income" */
    const char *row;    /* the row's key: its code, its line's key, "total"; NULL for none */
    const char *column; /* the column's key: "total", "basic", "name", "code"; NULL for none */
    bp_cell_role role;
    bool has_amount;    /* the cell prints an amount: `amount` (blank is not 0) */
    int64_t hundredths; /* the amount's exact value, when has_amount and not blank */
    bool blank;         /* the cell is blank (an amount column with nothing in it) */
} bp_meaning;

/* The structure tree: what the document is made of, in reading order, as a tagged PDF's
 * structure elements are (ISO 32000-1, 14.8.4): document -> part -> section, heading,
 * paragraph, list -> table -> row -> cell. Nodes are numbered from 1 in the order they were
 * added, which is reading order; 0 is "none" (content outside the tree). A node's parent was
 * added before it; top-level nodes (parent 0) are the document's children. Items point at the
 * node they belong to (a leaf: a paragraph, a heading, a cell, a link); an empty cell is a node
 * with no items, so that it stays in its place. */
typedef uint32_t bp_node_id;

typedef enum bp_node_kind {
    BP_NODE_PART,    /* a part of the document (第一部分, the cover, the contents) */
    BP_NODE_SECTION, /* a section: a heading and what follows it */
    BP_NODE_H1,
    BP_NODE_H2,
    BP_NODE_H3,
    BP_NODE_P,         /* a paragraph, a table's banner or note, a cover line */
    BP_NODE_LIST,      /* a list, of */
    BP_NODE_ITEM,      /*   items, each with */
    BP_NODE_ITEM_BODY, /*   its text */
    BP_NODE_TOC,       /* the contents, of */
    BP_NODE_TOC_ITEM,  /*   its lines */
    BP_NODE_LINK,      /* a link: its text and its area */
    BP_NODE_TABLE,
    BP_NODE_THEAD, /* the header rows (printed once; their repetitions are artifacts) */
    BP_NODE_TBODY,
    BP_NODE_TR,
    BP_NODE_TH, /* a header cell */
    BP_NODE_TD, /* a body cell */
    BP_NODE__COUNT
} bp_node_kind;

typedef enum bp_scope { BP_SCOPE_NONE, BP_SCOPE_COLUMN, BP_SCOPE_ROW, BP_SCOPE_BOTH } bp_scope;

typedef struct bp_node {
    bp_node_kind kind;
    bp_node_id parent;           /* 0: a child of the document */
    const char *path;            /* what it shows in the unit: a JSON path ("explanation.income"),
                                    a table's key; NULL for none */
    const bp_meaning *meaning;   /* a cell's table, row, column, role and value; NULL for none */
    const char *text;            /* a leaf's whole text as the unit gives it (what breaking into
                                    lines drops, a space at a line's end, kept); NULL for none */
    bp_scope scope;              /* a header cell: what it heads */
    uint16_t row_span, col_span; /* a cell's span (0 is read as 1) */
    int page;                    /* 0-based page where it is first printed; -1 before it is */
    bp_len x, w;                 /* a table cell's columns: left edge on the page and width (the
                                    same on every page); w == 0 for a node of no column */
} bp_node;

typedef struct bp_glyph_run {
    uint16_t face;            /* face id in the fontset */
    bp_len bold_stroke;       /* fake bold, for a face without a bold: the outline is also
                                 stroked this wide in the fill colour; 0 for none. Every backend
                                 draws the same weight (bp_fake_bold_stroke) */
    bp_len size;              /* font size */
    bp_len x, y;              /* origin of the first glyph, on the baseline */
    size_t count;             /* glyphs */
    const uint32_t *ids;      /* glyph ids in the face */
    const bp_len *dx;         /* each glyph's x relative to the run's x (dx[0] == 0) */
    bp_len width;             /* from x to the end of the last glyph's advance */
    const uint32_t *clusters; /* each glyph's byte offset into text */
    const char *text;         /* the UTF-8 these glyphs draw, NUL-terminated */
    size_t text_len;
    const bp_meaning *meaning; /* what it shows, for a table cell's text; NULL otherwise */
    bool artifact;             /* pagination's, not content: a repeated banner or header row on
                                  a continuation page, a folio */
    bp_node_id node;           /* the structure node it belongs to; 0 for none (an artifact) */
} bp_glyph_run;

typedef struct bp_rule {
    bp_len x0, y0, x1, y1; /* a straight line */
    bp_len width;          /* line width */
} bp_rule;

typedef struct bp_rect {
    bp_len x, y, w, h;   /* top-left corner and size */
    bp_len stroke_width; /* 0: no outline */
    bool fill;           /* filled with fill_gray */
    uint8_t fill_gray;   /* 0 black .. 255 white */
} bp_rect;

typedef struct bp_link {
    bp_len x, y, w, h; /* the clickable area */
    int target_page;   /* 0-based page index */
    bp_len target_y;   /* where on the target page to show, from its top */
    bp_node_id node;   /* the link's node in the structure tree, or 0 */
} bp_link;

typedef enum bp_item_kind { BP_ITEM_GLYPHS, BP_ITEM_RULE, BP_ITEM_RECT, BP_ITEM_LINK } bp_item_kind;

typedef struct bp_item {
    bp_item_kind kind;
    union {
        bp_glyph_run glyphs;
        bp_rule rule;
        bp_rect rect;
        bp_link link;
    } u;
} bp_item;

typedef struct bp_page {
    bp_len width, height;
    bp_item *items;
    size_t count;
    size_t capacity;
    const char *label; /* the folio as printed ("3", "iv"), or NULL when unnumbered */
} bp_page;

typedef struct bp_outline_entry {
    int level;         /* 0 top level, 1 below it, … */
    const char *title; /* UTF-8 */
    int page;          /* 0-based page index */
    bp_len y;          /* from the page top */
} bp_outline_entry;

typedef struct bp_doc_info {
    const char *title, *author, *subject, *keywords, *creator; /* UTF-8, may be NULL */
    /* Creation date, fixed so that output is reproducible: year 0 means none. */
    int year, month, day, hour, minute, second;
    /* What the document was made from (a digest of the unit, the layout and the engine, as
     * hex), so that a later run can tell an up-to-date PDF from a stale or foreign one; NULL
     * for none. */
    const char *source;
    /* Whose document it is and how it was laid out, recorded for `compare`: the unit's code,
     * name and year, the layout's name and digest (bp_layout.digest); NULL or 0 for none. */
    const char *unit_code, *unit_name, *layout_name, *layout_digest;
    int unit_year;
} bp_doc_info;

typedef struct bp_document bp_document;

/* The stroke that makes a face without a bold read as bold at `size`: 3% of it (shared notes,
 * libharu-cjk.md, section 3: about 0.3 pt at 10.5 pt reads as bold in UMing without filling in
 * dense glyphs). */
static inline bp_len bp_fake_bold_stroke(bp_len size)
{
    return (bp_len)(((long long)size * 3 + 50) / 100);
}

/* Creates an empty document; NULL when out of memory. */
BP_API bp_document *bp_document_create(void);
BP_API void bp_document_destroy(bp_document *doc);

/* Appends a page of the given size and returns it (valid until the next bp_document_add_page),
 * or NULL when out of memory. */
BP_API bp_page *bp_document_add_page(bp_document *doc, bp_len width, bp_len height);
BP_API size_t bp_document_page_count(const bp_document *doc);
BP_API const bp_page *bp_document_page(const bp_document *doc, size_t index);
BP_API bp_page *bp_document_page_mut(bp_document *doc, size_t index);

/* Appends items to a page of doc; the run's arrays and text are copied. Return 0, or -1 when
 * out of memory (the page is unchanged) or when page is NULL (a page that could not be made). */
BP_API int bp_page_add_glyphs(bp_document *doc, bp_page *page, const bp_glyph_run *run);
BP_API int bp_page_add_rule(bp_document *doc, bp_page *page, const bp_rule *rule);
BP_API int bp_page_add_rect(bp_document *doc, bp_page *page, const bp_rect *rect);
BP_API int bp_page_add_link(bp_document *doc, bp_page *page, const bp_link *link);
/* A copy of s[0..len) that lives as long as doc, NUL-terminated; NULL when out of memory. */
BP_API const char *bp_document_copy_string(bp_document *doc, const char *s, size_t len);
/* Sets the page's folio label (copied). */
BP_API int bp_page_set_label(bp_document *doc, bp_page *page, const char *label);

BP_API int bp_document_add_outline(bp_document *doc, const bp_outline_entry *entry);
BP_API size_t bp_document_outline_count(const bp_document *doc);
BP_API const bp_outline_entry *bp_document_outline(const bp_document *doc, size_t index);

/* Adds a node to the structure tree (strings and the meaning are copied) and returns its id,
 * or 0 when out of memory or when its parent is not a node added already (or its kind none). */
BP_API bp_node_id bp_document_add_node(bp_document *doc, const bp_node *node);
BP_API size_t bp_document_node_count(const bp_document *doc);
/* The node with that id (1 .. count), or NULL. */
BP_API const bp_node *bp_document_node(const bp_document *doc, bp_node_id id);
/* Notes that the node is printed on page `page` (0-based) when nothing of it was before: an
 * empty cell is placed with its row though it draws nothing. */
BP_API void bp_document_place_node(bp_document *doc, bp_node_id id, size_t page);
/* The name of a node kind in the record and in a tagged PDF's standard structure types:
 * "Part", "Sect", "H1", "P", "L", "LI", "LBody", "TOC", "TOCI", "Link", "Table", "THead", "TBody",
 * "TR", "TH", "TD". */
BP_API const char *bp_node_kind_name(bp_node_kind kind);

/* Moves every page, link and outline entry of tail to the end of doc (page indices shifted)
 * and frees tail. Returns 0; on -1 (out of memory) both documents are unchanged. */
BP_API int bp_document_append(bp_document *doc, bp_document *tail);

/* Document metadata; strings are copied. */
BP_API int bp_document_set_info(bp_document *doc, const bp_doc_info *info);
BP_API const bp_doc_info *bp_document_info(const bp_document *doc);

/* Prints the page in the stable dump form, one item per line:
 *   page 595.276x841.890 label="3"
 *   glyphs face=0 size=10.500 bold=0 x=90.000 y=120.500 n=10 w=105.000 "按照预算管理有关规定"
 *   rule 90.000,130.000 505.276,130.000 w=0.500
 *   rect 90.000,130.000 415.276x20.000 stroke=0.500 fill=-
 *   link 90.000,130.000 415.276x12.000 -> page 3 y=72.000
 * Lengths in points with three decimals; w= of glyphs is the run's extent. */
BP_API void bp_page_dump(const bp_page *page, FILE *out);

/* The record form: the structure tree in reading order, one line per node, keyed by what it
 * shows (a cell by table, row, column, role and value; a paragraph or heading by its JSON
 * path), then its text and where it is printed (page=N); then pagination's artifacts (folios,
 * repeated banners and header rows) in page order, marked "repeated" or "artifact". What
 * comes before " page=" stays the same across layout edits that only move things:
 *   Table path=expense_summary
 *   expense_summary row=2010101 column=total role=body value=31.00 text="31.00" page=3
 *   expense_summary row=2010101 column=basic role=body value=blank text="" page=3
 *   P path=explanation.income text="…" page=12 */
BP_API int bp_document_dump_record(const bp_document *doc, FILE *out); /* -1: out of memory */

/* ---- The record (record.c) ----
 * The whole document in a compact binary form that a PDF carries inside it: the display list,
 * the structure tree with every cell's meaning, the identity (unit, layout) and the faces drawn
 * with what identifies their files, so that `compare` needs nothing but two PDFs, and can draw
 * their pages again. Dates and the source stamp are left out: they never count as changes. */
typedef struct bp_record_face {
    char path[512];
    unsigned index;
    long long size;
    char head_sha256[65];
    char name[128]; /* PostScript name */
} bp_record_face;

typedef struct bp_record {
    bp_document *doc; /* the document read back: pages, items, nodes, outline, information */
    int face_count;
    bp_record_face faces[BP_MAX_FACES]; /* face ids of the glyph runs index this */
} bp_record;

/* The record of doc, drawn with fonts (may be NULL: no faces), as malloc'd bytes. 0, or -1
 * when out of memory. The same document gives the same bytes. */
BP_API int bp_record_encode(const bp_document *doc, const bp_fontset *fonts, unsigned char **data,
                            size_t *size);
/* Reads a record back. Glyph ids the faces' character maps give (most) are looked up in fonts,
 * which must be the record's faces in its order (bp_record.faces); with fonts NULL they are 0,
 * enough for everything but drawing. 0, or -1 with the reason in why (damaged, truncated, another
 * version, out of memory); never trusts a count or reference it has not checked. */
BP_API int bp_record_decode(const void *data, size_t size, const bp_fontset *fonts, bp_record *out,
                            char *why, size_t why_size);
BP_API void bp_record_free(bp_record *rec);
/* Only the record's information (unit, layout), read without the pages: for pairing hundreds
 * of PDFs by their units cheaply. Its strings live in *holder (destroy it with
 * bp_document_destroy). 0, or -1 for a record that is not one. */
BP_API int bp_record_identity(const void *data, size_t size, bp_doc_info *info,
                              bp_document **holder);

#endif

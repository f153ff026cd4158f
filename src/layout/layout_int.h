/*
 * layout_int.h: what the layout module's files share: the flow of paragraphs onto pages.
 *
 * typeset.c walks the unit and says what comes next (a heading, a paragraph of spans); flow.c
 * shapes and breaks each block into lines and puts the lines on pages, keeping headings with
 * what follows them and honouring orphans and widows. Nothing here is public.
 */
#ifndef BP_LAYOUT_INT_H
#define BP_LAYOUT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "budgetpress/layout.h"

/* A piece of a paragraph's text with its own emphasis: "1、", then a bold term, then text. */
typedef struct flow_span {
    const char *text;
    bool bold;
} flow_span;

typedef struct flow flow;

/* Where a block landed: filled in when its first line is placed. */
typedef struct flow_anchor {
    bool placed;
    size_t page; /* page index in the flow's document */
    bp_len y;    /* top of the block's first line, from the page top */
} flow_anchor;

/* Starts a flow into doc; NULL when out of memory. source names the unit in messages. */
flow *flow_create(const bp_layout *layout, const bp_fontset *fonts, bp_document *doc,
                  bp_diags *diags, const char *source);

/* Adds a block of the given style made of spans. path is the JSON path of the text in the unit,
 * for messages (a character no font has). A heading (keep_with_next) is held back until what
 * follows it is known, so that it never ends a page alone. */
void flow_add(flow *f, bp_style_id style, const flow_span *spans, size_t span_count,
              const char *path, bool keep_with_next);

/* The same, recording where the block's first line lands in *anchor (kept alive by the
 * caller until the flow is finished). */
void flow_add_anchored(flow *f, bp_style_id style, const flow_span *spans, size_t span_count,
                       const char *path, bool keep_with_next, flow_anchor *anchor);

/* A line of the table of contents: the title, dot leaders, the page number flush right, and
 * a link over the line to (target_page, target_y) of the final document. */
void flow_add_contents_line(flow *f, bp_style_id style, const char *title, const char *number,
                            bp_len indent, int target_page, bp_len target_y);

/* Draws the folio on pages [first_page, end) of the flow's document, numbered from
 * first_number in the layout's folio format, and sets their labels. */
void flow_draw_folios(flow *f, size_t first_page, size_t first_number);

/* The index of the page being filled. */
size_t flow_page_index(const flow *f);

/* Convenience: one span of plain text. */
void flow_add_text(flow *f, bp_style_id style, const char *text, const char *path,
                   bool keep_with_next);

/* ---- The page region, for blocks the flow does not lay out itself (tables) ----
 * A table engine asks how much room is left, places its pieces at the cursor and moves it, and
 * asks for new pages; the flow keeps the pages, the folios and the pending headings. */

/* Places the held-back headings, first starting a new page when they and `need_after` points
 * of what follows them do not fit together on this one. */
void flow_flush_pending(flow *f, bp_len need_after);
/* Starts a new page, the layout's page as it is or turned a quarter (a portrait layout's
 * landscape page, a landscape layout's portrait one). Later pages keep the orientation until
 * it is changed again. */
void flow_new_page(flow *f, bool turned);
/* Starts a new page unless the current one is still empty and has that orientation. */
void flow_fresh_page(flow *f, bool turned);
/* Turns the current page a quarter when nothing is on it yet (nor waiting for it): true when
 * turned, and later pages keep the new orientation. */
bool flow_turn_empty_page(flow *f);
/* Whether the pages being made are the layout's page turned. */
bool flow_turned(const flow *f);
/* Whether a page of that shape (landscape or portrait) is the layout's page turned. */
bool flow_turned_for(const flow *f, bool landscape);
/* Room left on the current page below the cursor, down to the bottom margin. */
bp_len flow_space_left(const flow *f);
/* Room on an empty page of the current orientation, top margin to bottom margin. */
bp_len flow_page_body_height(const flow *f);
/* True when nothing has been placed on the current page. */
bool flow_page_empty(const flow *f);
/* The current page, the left edge and width of its text area, and the cursor (from the top). */
bp_page *flow_page(flow *f, bp_len *left, bp_len *width, bp_len *y);
/* Moves the cursor down by dy and marks the page as used. */
void flow_advance(flow *f, bp_len dy);
/* What the flow was made with. */
bp_document *flow_document(flow *f);
const bp_fontset *flow_fonts(const flow *f);
const bp_layout *flow_layout(const flow *f);
const char *flow_source(const flow *f);
struct bp_strbuf;
/* Describes the characters no font has, starting at missing[0]: it, or the run of them that
 * follow one another in the text, their code points, where they are and the text around
 * them, for a message. Returns how many it described (at least one). */
size_t flow_describe_missing(const char *text, size_t len, const bp_missing_char *missing,
                             size_t count, const char *role, struct bp_strbuf *out);
/* Counts an error that the caller has added to the diagnostics, so that typesetting fails. */
void flow_count_error(flow *f);
/* The errors counted so far. */
size_t flow_error_count(const flow *f);
bp_diags *flow_diags(flow *f);

/* Appends the Chinese numeral of n (1 to 99: 一, 十, 十一, 二十一; other numbers in digits). */
void layout_chinese_numeral(int n, struct bp_strbuf *out);

/* ---- Tables (tables.c) ---- */

/* The nine standard tables, each as the layout defines it; anchors[id] records where each
 * begins. */
void tables_layout_standard(flow *f, const bp_unit *unit, flow_anchor *anchors);
/* The tables of the unit's kind, in the kind's order; anchors has one per table. */
void tables_layout_kind(flow *f, const bp_unit *unit, flow_anchor *anchors);
/* The 绩效目标表 of the performance part, numbered 1、2、… */
void tables_layout_projects(flow *f, const bp_unit *unit);
/* A table of the explanatory part: organisations, procurement or assets. */
void tables_layout_part(flow *f, const bp_unit *unit, bp_part part);

/* ---- The structure tree (page.h) ----
 * Blocks added to the flow become nodes under its current node: headings, paragraphs, list
 * items (consecutive ones in one list), the contents' lines; tables add theirs (table.h). */
/* Adds a node (a part, a section, the contents) under the current one and makes it current. */
bp_node_id flow_open(flow *f, bp_node_kind kind, const char *path);
/* Makes the parent of `node` current again (node must be the current one). */
void flow_close(flow *f, bp_node_id node);
/* The current node: what is added now belongs to it (0: the document). */
bp_node_id flow_parent(const flow *f);

/* Finishes: places anything held back. Returns the number of errors met during the whole flow
 * (missing glyphs, out of memory); frees the flow. */
size_t flow_finish(flow *f);

#endif

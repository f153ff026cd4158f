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

/* Starts a flow into doc; NULL when out of memory. source names the unit in messages. */
flow *flow_create(const bp_layout *layout, const bp_fontset *fonts, bp_document *doc,
                  bp_diags *diags, const char *source);

/* Adds a block of the given style made of spans. path is the JSON path of the text in the unit,
 * for messages (a character no font has). A heading (keep_with_next) is held back until what
 * follows it is known, so that it never ends a page alone. */
void flow_add(flow *f, bp_style_id style, const flow_span *spans, size_t span_count,
              const char *path, bool keep_with_next);

/* Convenience: one span of plain text. */
void flow_add_text(flow *f, bp_style_id style, const char *text, const char *path,
                   bool keep_with_next);

/* Finishes: places anything held back and draws the folios. Returns the number of errors met
 * during the whole flow (missing glyphs, out of memory); frees the flow. */
size_t flow_finish(flow *f);

#endif

/*
 * flow.c: puts paragraphs on pages: shape, break into lines, justify, place, paginate.
 *
 * Stage: layout. Shapes and breaks through the text module; never writes PDF. The facts that
 * shaped it: Chinese text is justified by spreading the spare width over the gaps between
 * characters (there are few spaces to stretch); a heading must never end a page, so headings
 * wait in a pending list until the block after them is placed; a paragraph leaves at least
 * `orphans` lines at a page's foot and carries at least `widows` to the next page's head.
 * Lines are measured once; placing them never re-measures.
 */
#include "layout_int.h"
#include "placeholders.h"

#include <stdlib.h>
#include <string.h>

#include "../util/util.h"

/* One line of a block, measured and justified, not yet placed. */
typedef struct flow_line {
    size_t first, count; /* glyphs of the block */
    bp_len x;            /* left edge of the line, from the left margin */
} flow_line;

/* A block: one heading or paragraph, shaped and broken into lines. */
typedef struct flow_block {
    const bp_style *style;
    bp_strbuf text;   /* the spans joined */
    bp_glyph *glyphs; /* shaped */
    bp_len *x;        /* each glyph's x within its line, justified */
    bool *bold;       /* each glyph's emphasis */
    size_t glyph_count;
    flow_line *lines;
    size_t line_count;
    bool keep_with_next;
    flow_anchor *anchor; /* where the block's first line lands, for the contents; or NULL */
    bp_node_id node;     /* its node in the document's structure tree, or 0 */
    /* Text bytes [leader_from, leader_to) are a contents line's dot leader: drawn as runs of
     * their own, marked as artifacts (a reader of the tree hears the title and the page, not
     * forty dots). Both 0: none. */
    size_t leader_from, leader_to;
} flow_block;

enum { MAX_PENDING = 8 };

struct flow {
    const bp_layout *layout;
    const bp_fontset *fonts;
    bp_document *doc;
    bp_diags *diags;
    const char *source;
    bp_page *page; /* the page being filled; NULL before the first */
    size_t page_index;
    bp_len y;                        /* top of the next line box, from the page top */
    bool turned;                     /* pages are the layout's page turned a quarter */
    bool page_empty;                 /* nothing placed on this page yet: space_before is dropped */
    flow_block pending[MAX_PENDING]; /* headings waiting for what follows */
    size_t pending_count;
    bp_shaped shaped; /* reused for every block */
    bp_lines lines;   /* reused for every block */
    size_t errors;
    bool out_of_memory; /* said already */
    bool artifacts;     /* what is placed now is pagination's, not content (folios) */
    bp_node_id parent;  /* the structure node that what is added now belongs to; 0: the document */
    bp_node_id list;    /* the list that list items added now join; 0: a new one */
};

flow *flow_create(const bp_layout *layout, const bp_fontset *fonts, bp_document *doc,
                  bp_diags *diags, const char *source)
{
    flow *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->layout = layout;
    f->fonts = fonts;
    f->doc = doc;
    f->diags = diags;
    f->source = source;
    f->shaped = (bp_shaped)BP_SHAPED_INIT;
    f->lines = (bp_lines)BP_LINES_INIT;
    return f;
}

/* Said once per flow: once memory has run out, every later step fails too. */
static void out_of_memory(flow *f)
{
    if (!f->out_of_memory)
        bp_diags_add(f->diags, BP_SEVERITY_ERROR, NULL, f->source, 0, 0, NULL,
                     "out of memory while typesetting");
    f->out_of_memory = true;
    f->errors++;
}

static void block_free(flow_block *b)
{
    bp_strbuf_free(&b->text);
    free(b->glyphs);
    free(b->x);
    free(b->bold);
    free(b->lines);
    memset(b, 0, sizeof *b);
}

/* ---- Measuring a block ---- */

static bp_len page_width(const flow *f)
{
    return f->turned ? f->layout->page_height : f->layout->page_width;
}

static bp_len page_height(const flow *f)
{
    return f->turned ? f->layout->page_width : f->layout->page_height;
}

static bp_len content_width(const flow *f)
{
    return page_width(f) - f->layout->margin_left - f->layout->margin_right;
}

/* ---- Characters no font has ---- */

/* The byte offset of the character `count` characters before (count < 0) or after offset. */
static size_t step_characters(const char *text, size_t len, size_t offset, int count)
{
    for (; count < 0 && offset > 0; count++)
        do
            offset--;
        while (offset > 0 && ((unsigned char)text[offset] & 0xC0) == 0x80);
    for (; count > 0 && offset < len; count--)
        do
            offset++;
        while (offset < len && ((unsigned char)text[offset] & 0xC0) == 0x80);
    return offset;
}

size_t flow_describe_missing(const char *text, size_t len, const bp_missing_char *missing,
                             size_t count, const char *role, bp_strbuf *out)
{
    /* A run: characters that follow one another in the text (a word in Arabic, emoji). */
    size_t run = 1;
    while (run < count &&
           missing[run].offset == step_characters(text, len, missing[run - 1].offset, 1))
        run++;
    size_t first = missing[0].offset;
    size_t end = step_characters(text, len, missing[run - 1].offset, 1);
    size_t at = bp_utf8_count(text, first) + 1;
    bp_strbuf_puts(out, run == 1 ? "character" : "characters");
    for (size_t i = 0; i < run; i++)
        bp_strbuf_printf(out, " U+%04X", (unsigned)missing[i].codepoint);
    if (run == 1)
        bp_strbuf_printf(out, " at character %zu", at);
    else
        bp_strbuf_printf(out, " at characters %zu to %zu", at, at + run - 1);
    /* The text around them, so that a clerk finds the place: ten characters before, three
     * after. */
    size_t from = step_characters(text, len, first, -10);
    size_t to = step_characters(text, len, end, 3);
    bp_strbuf_printf(out, ", in \"%s%.*s%s\"", from > 0 ? "…" : "", (int)(to - from), text + from,
                     to < len ? "…" : "");
    if (run == 1)
        bp_strbuf_printf(out, ", is in no font of the role \"%s\"; it would print as a blank box",
                         role);
    else
        bp_strbuf_printf(out,
                         ", are in no font of the role \"%s\"; they would print as blank "
                         "boxes",
                         role);
    return run;
}

/* Names each character no font of the role has, with where it is. */
static void report_missing(flow *f, const flow_block *b, const char *path)
{
    const char *text = bp_strbuf_cstr((bp_strbuf *)&b->text);
    for (size_t i = 0; i < f->shaped.missing_count;) {
        bp_strbuf message = BP_STRBUF_INIT;
        i += flow_describe_missing(text, b->text.len, f->shaped.missing + i,
                                   f->shaped.missing_count - i, bp_font_role_key(b->style->role),
                                   &message);
        bp_diags_add(f->diags, BP_SEVERITY_ERROR, NULL, f->source, 0, 0, path, "%s",
                     bp_strbuf_cstr(&message));
        bp_strbuf_free(&message);
        f->errors++;
    }
}

/* Which glyphs are emphasised, from the spans' byte ranges. */
static void mark_bold(flow_block *b, const flow_span *spans, size_t span_count)
{
    size_t start = 0;
    for (size_t s = 0; s < span_count; s++) {
        size_t end = start + strlen(spans[s].text);
        for (size_t g = 0; g < b->glyph_count; g++)
            if (b->glyphs[g].cluster >= start && b->glyphs[g].cluster < end)
                b->bold[g] = spans[s].bold || b->style->bold;
        start = end;
    }
}

/* True for glyphs that end a line invisibly: a trailing space is not justified against. */
static bool is_space_glyph(const flow_block *b, size_t g)
{
    return b->text.data[b->glyphs[g].cluster] == ' ';
}

/* Places the glyphs of one line: natural advances, then the spare width spread over the
 * gaps between glyphs for a justified line, or an offset for centred and right-aligned. */
static void set_line_positions(flow_block *b, const bp_line *line, flow_line *out, bp_len available,
                               bool last)
{
    size_t n = line->glyph_end - line->glyph_start;
    while (n > 1 && is_space_glyph(b, line->glyph_start + n - 1))
        n--;
    bp_len spare = available - line->width;
    bp_align align = b->style->align;
    bool justify = align == BP_ALIGN_JUSTIFY && !last && !line->hard_end && n > 1 && spare > 0;
    size_t gaps = n > 1 ? n - 1 : 1;
    bp_len x = 0;
    for (size_t i = line->glyph_start; i < line->glyph_end; i++) {
        b->x[i] = x;
        x += b->glyphs[i].advance;
        size_t k = i - line->glyph_start;
        /* Every gap alike and what does not divide evenly in the last: the PDF then sets the
         * line with one character spacing (Tc) and a single adjustment. */
        if (justify && k < n - 1)
            x += (bp_len)(spare / (bp_len)gaps) + (k == n - 2 ? spare % (bp_len)gaps : 0);
    }
    out->first = line->glyph_start;
    out->count = line->glyph_end - line->glyph_start;
    if (align == BP_ALIGN_CENTER && spare > 0)
        out->x += spare / 2;
    else if (align == BP_ALIGN_RIGHT && spare > 0)
        out->x += spare;
}

/* Shapes and breaks the spans into the block's lines. Returns 0, or -1 out of memory. */
static int measure_block(flow *f, flow_block *b, const flow_span *spans, size_t span_count,
                         const char *path)
{
    for (size_t s = 0; s < span_count; s++)
        bp_strbuf_puts(&b->text, spans[s].text);
    if (b->text.failed)
        return -1;
    const char *text = bp_strbuf_cstr(&b->text);
    const bp_style *st = b->style;
    /* Span by span: a bold span takes the role's bold faces when it has them. */
    bp_shaped_clear(&f->shaped);
    for (size_t s = 0, start = 0; s < span_count; s++) {
        size_t end = start + strlen(spans[s].text);
        if (bp_shape_range(f->fonts, st->role, spans[s].bold || st->bold, st->size, text,
                           b->text.len, start, end, &f->shaped) != 0)
            return -1;
        start = end;
    }
    report_missing(f, b, path);
    b->glyph_count = f->shaped.count;
    b->glyphs = malloc((b->glyph_count + 1) * sizeof *b->glyphs);
    b->x = malloc((b->glyph_count + 1) * sizeof *b->x);
    b->bold = calloc(b->glyph_count + 1, sizeof *b->bold);
    if (!b->glyphs || !b->x || !b->bold)
        return -1;
    if (b->glyph_count) /* an empty text may never have had a glyph buffer */
        memcpy(b->glyphs, f->shaped.glyphs, b->glyph_count * sizeof *b->glyphs);
    mark_bold(b, spans, span_count);
    bp_len width = content_width(f);
    bp_len indent = st->first_line_indent;
    if (bp_break_lines_with(&f->shaped, text, b->text.len, width - indent, width,
                            st->no_lone_last ? BP_BREAK_NO_LONE_LAST : 0, &f->lines) != 0)
        return -1;
    b->line_count = f->lines.count;
    b->lines = calloc(b->line_count + 1, sizeof *b->lines);
    if (!b->lines)
        return -1;
    for (size_t i = 0; i < b->line_count; i++) {
        b->lines[i].x = i == 0 ? indent : 0;
        set_line_positions(b, &f->lines.lines[i], &b->lines[i], width - b->lines[i].x,
                           i + 1 == b->line_count);
    }
    return 0;
}

/* ---- Placing lines ---- */

static bp_len body_bottom(const flow *f)
{
    return page_height(f) - f->layout->margin_bottom;
}

static void new_page(flow *f)
{
    f->page = bp_document_add_page(f->doc, page_width(f), page_height(f));
    if (!f->page) {
        out_of_memory(f);
        return;
    }
    f->page_index = bp_document_page_count(f->doc) - 1;
    f->y = f->layout->margin_top;
    f->page_empty = true;
}

/* Emits the glyphs of one line as runs, one per stretch of the same face and emphasis. */
static bool in_leader(const flow_block *b, size_t glyph)
{
    size_t at = b->glyphs[glyph].cluster;
    return at >= b->leader_from && at < b->leader_to;
}

static void emit_line(flow *f, const flow_block *b, const flow_line *line, bp_len baseline)
{
    size_t end = line->first + line->count;
    size_t start = line->first;
    /* A space that ends a line is not drawn: it would hang past the margin. */
    while (end > start + 1 && is_space_glyph(b, end - 1))
        end--;
    while (start < end) {
        size_t stop = start + 1;
        bool leader = in_leader(b, start);
        while (stop < end && b->glyphs[stop].face == b->glyphs[start].face &&
               b->bold[stop] == b->bold[start] && in_leader(b, stop) == leader)
            stop++;
        size_t n = stop - start;
        uint32_t *ids = malloc(n * sizeof *ids);
        bp_len *dx = malloc(n * sizeof *dx);
        uint32_t *clusters = malloc(n * sizeof *clusters);
        if (ids && dx && clusters) {
            uint32_t text_start = b->glyphs[start].cluster;
            uint32_t text_end =
                stop < b->glyph_count ? b->glyphs[stop].cluster : (uint32_t)b->text.len;
            for (size_t i = 0; i < n; i++) {
                ids[i] = b->glyphs[start + i].id;
                dx[i] = b->x[start + i] - b->x[start];
                clusters[i] = b->glyphs[start + i].cluster - text_start;
            }
            bp_glyph_run run = {
                .face = b->glyphs[start].face,
                .bold_stroke = b->bold[start] && !bp_font_has_bold(f->fonts, b->style->role)
                                   ? bp_fake_bold_stroke(b->style->size)
                                   : 0,
                .size = b->style->size,
                .x = f->layout->margin_left + line->x + b->x[start],
                .y = baseline,
                .count = n,
                .ids = ids,
                .dx = dx,
                .width = b->x[stop - 1] + b->glyphs[stop - 1].advance - b->x[start],
                .clusters = clusters,
                .text = b->text.data + text_start,
                .text_len = text_end - text_start,
                .artifact = f->artifacts || leader,
                .node = f->artifacts || leader ? 0 : b->node,
            };
            if (bp_page_add_glyphs(f->doc, f->page, &run) != 0)
                out_of_memory(f);
        } else {
            out_of_memory(f);
        }
        free(ids);
        free(dx);
        free(clusters);
        start = stop;
    }
}

/* Baseline of a line box: the glyphs' em box centred in the leading. */
static bp_len baseline_in_box(const flow *f, const bp_style *st)
{
    bp_len ascent = bp_font_ascent(f->fonts, st->role, st->size);
    bp_len descent = bp_font_descent(f->fonts, st->role, st->size);
    return (st->leading - ascent - descent) / 2 + ascent;
}

/* Places lines [from, to) of a block at the cursor. */
static void place_lines(flow *f, const flow_block *b, size_t from, size_t to)
{
    if (from == 0 && !f->page_empty)
        f->y += b->style->space_before;
    if (from == 0 && b->anchor) {
        b->anchor->page = f->page_index;
        b->anchor->y = f->y;
        b->anchor->placed = true;
    }
    for (size_t i = from; i < to; i++) {
        emit_line(f, b, &b->lines[i], f->y + baseline_in_box(f, b->style));
        f->y += b->style->leading;
    }
    if (to == b->line_count)
        f->y += b->style->space_after;
    f->page_empty = false;
}

/* Height of lines [from, from+count) of a block placed at the cursor. */
static bp_len lines_height(const flow *f, const flow_block *b, size_t from, size_t count)
{
    bp_len h = (bp_len)count * b->style->leading;
    if (from == 0 && !f->page_empty)
        h += b->style->space_before;
    return h;
}

/* How many lines of the block, from line `from`, fit above the page's foot. */
static size_t lines_that_fit(const flow *f, const flow_block *b, size_t from)
{
    bp_len room = body_bottom(f) - f->y;
    if (from == 0 && !f->page_empty)
        room -= b->style->space_before;
    if (room < b->style->leading)
        return 0;
    return (size_t)(room / b->style->leading);
}

/* Places a whole paragraph, splitting it across pages with orphan and widow control. */
static void place_block(flow *f, const flow_block *b)
{
    size_t n = b->line_count, i = 0;
    size_t orphans = (size_t)f->layout->orphans, widows = (size_t)f->layout->widows;
    while (i < n) {
        size_t fit = lines_that_fit(f, b, i);
        size_t remaining = n - i;
        if (fit >= remaining) {
            place_lines(f, b, i, n);
            return;
        }
        size_t take = fit;
        if (remaining - take < widows)
            take = remaining > widows ? remaining - widows : 0;
        if (take < orphans && take < remaining) {
            if (!f->page_empty) {
                new_page(f);
                continue;
            }
            /* An empty page that cannot hold even `orphans` lines: take what fits, never
             * loop. */
            take = fit > 0 ? fit : 1;
        }
        place_lines(f, b, i, i + take);
        i += take;
        new_page(f);
    }
}

/* The height of the blocks held back, in 64 bits (a paragraph of a million characters is
 * taller than a bp_len can say), no more than a page can ever hold. */
static bp_len pending_height(const flow *f)
{
    int64_t h = 0;
    bool empty = f->page_empty;
    for (size_t i = 0; i < f->pending_count; i++) {
        const flow_block *b = &f->pending[i];
        h += (int64_t)b->line_count * b->style->leading + b->style->space_after;
        if (!empty)
            h += b->style->space_before;
        empty = false;
    }
    return h < INT32_MAX / 2 ? (bp_len)h : INT32_MAX / 2;
}

/* Places the held-back headings and then the block, starting a page first when the headings
 * and the first lines the block must bring with them do not fit together. */
static void place_with_pending(flow *f, const flow_block *b)
{
    if (f->page && !f->page_empty && (f->pending_count > 0 || b)) {
        size_t keep = b ? (size_t)f->layout->heading_keep_lines : 0;
        if (b && keep < (size_t)f->layout->orphans)
            keep = (size_t)f->layout->orphans;
        if (b && keep > b->line_count)
            keep = b->line_count;
        bp_len need = pending_height(f);
        if (b)
            need += lines_height(f, b, 0, keep) + (f->pending_count ? b->style->space_before : 0);
        if (f->y + need > body_bottom(f))
            new_page(f);
    }
    for (size_t i = 0; i < f->pending_count; i++) {
        place_block(f, &f->pending[i]);
        block_free(&f->pending[i]);
    }
    f->pending_count = 0;
    if (b)
        place_block(f, b);
}

/* ---- The structure tree ---- */

static bp_node_id add_node(flow *f, bp_node_kind kind, bp_node_id parent, const char *path,
                           const char *text)
{
    bp_node node = {.kind = kind, .parent = parent, .path = path, .text = text};
    bp_node_id id = bp_document_add_node(f->doc, &node);
    if (!id)
        out_of_memory(f);
    return id;
}

/* What a block of a style is in the structure tree. */
static bp_node_kind kind_of_style(bp_style_id style)
{
    switch (style) {
    case BP_STYLE_TITLE:
    case BP_STYLE_HEADING1:
    case BP_STYLE_TOC_TITLE:
        return BP_NODE_H1;
    case BP_STYLE_HEADING2:
        return BP_NODE_H2;
    case BP_STYLE_HEADING3:
        return BP_NODE_H3;
    case BP_STYLE_LIST:
        return BP_NODE_ITEM_BODY;
    case BP_STYLE_TOC_GROUP:
    case BP_STYLE_TOC_ENTRY:
        return BP_NODE_TOC_ITEM;
    default:
        return BP_NODE_P;
    }
}

/* A block's node: list items join the list open under the current node (L, LI, LBody). */
static bp_node_id block_node(flow *f, bp_style_id style, const char *path, const char *text)
{
    bp_node_kind kind = kind_of_style(style);
    if (kind != BP_NODE_ITEM_BODY) {
        f->list = 0;
        return add_node(f, kind, f->parent, path, text);
    }
    if (!f->list)
        f->list = add_node(f, BP_NODE_LIST, f->parent, NULL, NULL);
    bp_node_id item = f->list ? add_node(f, BP_NODE_ITEM, f->list, NULL, NULL) : 0;
    return item ? add_node(f, BP_NODE_ITEM_BODY, item, path, text) : 0;
}

bp_node_id flow_open(flow *f, bp_node_kind kind, const char *path)
{
    f->list = 0;
    bp_node_id id = add_node(f, kind, f->parent, path, NULL);
    if (id)
        f->parent = id;
    return id;
}

void flow_close(flow *f, bp_node_id node)
{
    const bp_node *n = bp_document_node(f->doc, node);
    if (n && f->parent == node)
        f->parent = n->parent;
    f->list = 0;
}

bp_node_id flow_parent(const flow *f)
{
    return f->parent;
}

void flow_add(flow *f, bp_style_id style, const flow_span *spans, size_t span_count,
              const char *path, bool keep_with_next)
{
    flow_add_anchored(f, style, spans, span_count, path, keep_with_next, NULL);
}

void flow_add_anchored(flow *f, bp_style_id style, const flow_span *spans, size_t span_count,
                       const char *path, bool keep_with_next, flow_anchor *anchor)
{
    if (!f->page)
        new_page(f);
    if (!f->page)
        return;
    flow_block block = {
        .style = &f->layout->styles[style], .keep_with_next = keep_with_next, .anchor = anchor};
    block.text = (bp_strbuf)BP_STRBUF_INIT;
    if (measure_block(f, &block, spans, span_count, path) != 0) {
        out_of_memory(f);
        block_free(&block);
        return;
    }
    block.node = block_node(f, style, path, bp_strbuf_cstr(&block.text));
    if (keep_with_next && f->pending_count < MAX_PENDING) {
        f->pending[f->pending_count++] = block;
        return;
    }
    place_with_pending(f, &block);
    block_free(&block);
}

void flow_add_text(flow *f, bp_style_id style, const char *text, const char *path,
                   bool keep_with_next)
{
    flow_span span = {text, false};
    flow_add(f, style, &span, 1, path, keep_with_next);
}

/* ---- Folios ---- */

/* The folio text: the layout's format with {page} replaced. */
static void format_folio(const char *format, const char *number, bp_strbuf *out)
{
    layout_values values;
    memset(&values, 0, sizeof values);
    values.value[PH_PAGE] = number;
    layout_expand(format, &values, out);
}

void flow_draw_folios(flow *f, size_t first_page, size_t first_number)
{
    f->artifacts = true; /* a folio is no content of the page */
    const bp_style *st = &f->layout->styles[BP_STYLE_FOLIO];
    size_t pages = bp_document_page_count(f->doc);
    for (size_t p = first_page; p < pages; p++) {
        size_t number = first_number + (p - first_page);
        char label[24];
        snprintf(label, sizeof label, "%zu", number);
        bp_strbuf text = BP_STRBUF_INIT;
        format_folio(f->layout->folio_format, label, &text);
        flow_block b = {.style = st};
        b.text = (bp_strbuf)BP_STRBUF_INIT;
        flow_span span = {bp_strbuf_cstr(&text), false};
        f->page = bp_document_page_mut(f->doc, p);
        f->turned = f->page->width != f->layout->page_width;
        if (!text.failed && measure_block(f, &b, &span, 1, "folio") == 0 && b.line_count > 0) {
            /* The folio style centres the line within the page's text width. */
            emit_line(f, &b, &b.lines[0], f->page->height - f->layout->folio_baseline);
            if (bp_page_set_label(f->doc, f->page, label) != 0)
                out_of_memory(f);
        } else {
            out_of_memory(f);
        }
        block_free(&b);
        bp_strbuf_free(&text);
    }
    f->artifacts = false;
}

/* ---- Contents lines ---- */

/* Width of a shaped text at a style. */
static bp_len text_width(flow *f, const bp_style *st, const char *text)
{
    size_t len = strlen(text);
    bp_shaped_clear(&f->shaped);
    if (bp_shape_range(f->fonts, st->role, st->bold, st->size, text, len, 0, len, &f->shaped) != 0)
        return 0;
    bp_len w = 0;
    for (size_t i = 0; i < f->shaped.count; i++)
        w += f->shaped.glyphs[i].advance;
    return w;
}

void flow_add_contents_line(flow *f, bp_style_id style, const char *title, const char *number,
                            bp_len indent, int target_page, bp_len target_y)
{
    const bp_style *st = &f->layout->styles[style];
    bp_len width = content_width(f) - indent;
    bp_len dot = text_width(f, st, "."), gap = text_width(f, st, " ");
    bp_len title_w = text_width(f, st, title), number_w = text_width(f, st, number);
    bp_len room = width - title_w - number_w - 2 * gap;
    size_t dots = dot > 0 && room > 0 ? (size_t)(room / dot) : 0;
    /* Title, a run of dots and the number as one line: the number ends flush right. */
    bp_strbuf line = BP_STRBUF_INIT;
    bp_strbuf_puts(&line, title);
    bp_strbuf_putc(&line, ' ');
    for (size_t i = 0; i < dots; i++)
        bp_strbuf_putc(&line, '.');
    bp_strbuf_putc(&line, ' ');
    bp_strbuf_puts(&line, number);
    flow_block b = {.style = st};
    b.text = (bp_strbuf)BP_STRBUF_INIT;
    flow_span span = {bp_strbuf_cstr(&line), false};
    if (!f->page)
        new_page(f);
    if (line.failed || measure_block(f, &b, &span, 1, "contents") != 0 || b.line_count == 0 ||
        b.lines[0].count == 0) {
        out_of_memory(f);
    } else {
        /* A line of the contents is an item whose text is a link to the page it names; the
         * dots between are the leader, pagination's. */
        b.leader_from = strlen(title);
        b.leader_to = b.leader_from + 2 + dots;
        f->list = 0;
        bp_node_id item = add_node(f, BP_NODE_TOC_ITEM, f->parent, "contents", NULL);
        /* The link's text in the record is the title: the page it names is where it points. */
        b.node = item ? add_node(f, BP_NODE_LINK, item, NULL, title) : 0;
        /* Spread the spare width so the number's last digit meets the right margin. */
        flow_line *l = &b.lines[0];
        bp_len natural = b.x[l->first + l->count - 1] + b.glyphs[l->first + l->count - 1].advance;
        bp_len spare = width - natural;
        size_t after_title = strlen(title);
        for (size_t g = l->first; g < l->first + l->count && spare > 0; g++)
            if (b.glyphs[g].cluster > after_title)
                b.x[g] += spare;
        l->x = indent;
        place_with_pending(f, NULL);
        if (f->y + st->space_before + st->leading > body_bottom(f))
            new_page(f);
        bp_len top = f->y + (f->page_empty ? 0 : st->space_before);
        place_lines(f, &b, 0, 1);
        bp_link link = {f->layout->margin_left + indent,
                        top,
                        width,
                        st->leading,
                        target_page,
                        target_y,
                        b.node};
        if (bp_page_add_link(f->doc, f->page, &link) != 0)
            out_of_memory(f);
    }
    block_free(&b);
    bp_strbuf_free(&line);
}

size_t flow_page_index(const flow *f)
{
    return f->page_index;
}

/* ---- The page region ---- */

void flow_flush_pending(flow *f, bp_len need_after)
{
    if (!f->page)
        new_page(f);
    if (f->pending_count && !f->page_empty &&
        f->y + pending_height(f) + need_after > body_bottom(f))
        new_page(f);
    place_with_pending(f, NULL);
}

void flow_new_page(flow *f, bool turned)
{
    f->turned = turned;
    new_page(f);
}

void flow_fresh_page(flow *f, bool turned)
{
    if (f->page && f->page_empty && f->turned == turned)
        return;
    flow_new_page(f, turned);
}

bool flow_turn_empty_page(flow *f)
{
    if (!f->page || !f->page_empty || f->pending_count)
        return false;
    f->turned = !f->turned;
    f->page->width = page_width(f);
    f->page->height = page_height(f);
    f->y = f->layout->margin_top;
    return true;
}

bool flow_turned(const flow *f)
{
    return f->turned;
}

bool flow_turned_for(const flow *f, bool landscape)
{
    bool page_landscape = f->layout->page_width > f->layout->page_height;
    return landscape != page_landscape;
}

bp_len flow_space_left(const flow *f)
{
    return f->page ? body_bottom(f) - f->y : 0;
}

bp_len flow_page_body_height(const flow *f)
{
    return page_height(f) - f->layout->margin_top - f->layout->margin_bottom;
}

bool flow_page_empty(const flow *f)
{
    return !f->page || f->page_empty;
}

bp_page *flow_page(flow *f, bp_len *left, bp_len *width, bp_len *y)
{
    if (!f->page)
        new_page(f);
    *left = f->layout->margin_left;
    *width = content_width(f);
    *y = f->y;
    return f->page;
}

void flow_advance(flow *f, bp_len dy)
{
    f->y += dy;
    f->page_empty = false;
}

bp_document *flow_document(flow *f)
{
    return f->doc;
}

const bp_fontset *flow_fonts(const flow *f)
{
    return f->fonts;
}

const bp_layout *flow_layout(const flow *f)
{
    return f->layout;
}

const char *flow_source(const flow *f)
{
    return f->source;
}

void flow_count_error(flow *f)
{
    f->errors++;
}

size_t flow_error_count(const flow *f)
{
    return f->errors;
}

bp_diags *flow_diags(flow *f)
{
    return f->diags;
}

size_t flow_finish(flow *f)
{
    if (f->pending_count)
        place_with_pending(f, NULL);
    size_t errors = f->errors;
    bp_shaped_free(&f->shaped);
    bp_lines_free(&f->lines);
    free(f);
    return errors;
}

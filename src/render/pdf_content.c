/*
 * pdf_content.c: writes each page's content stream: glyph runs as TJ arrays of 2-byte glyph
 * ids, rules as stroked lines, rectangles as filled and/or stroked paths.
 *
 * Stage: backends (PDF). Never shapes, never chooses positions: every glyph goes exactly where
 * the display list puts it. The fact that shaped it: the fonts are hand-built Identity-H fonts
 * (pdf_fonts.c) that libharu's text functions know nothing about, so the operators are written
 * straight into the page's content stream, ((HPDF_PageAttr)page->attr)->stream, a field of
 * libhpdf 2.3.0's HPDF_PageAttr_Rec (this file is tied to that layout). Numbers are formatted
 * here from integers, never with printf's %f, so the bytes do not depend on the locale and the
 * same document always gives the same file.
 *
 * Coordinates: the display list measures from the page's top-left corner in 1/1000 pt with y
 * growing down; PDF measures from the bottom-left in points with y growing up.
 */
#include "pdf_int.h"

#include <hpdf_pages.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* The graphics state the stream has set so far, so that each operator is written only when
 * its value changes. Starts as PDF's defaults. */
typedef struct content_state {
    bp_len line_width;
    int fill_gray;       /* 0 (black) .. 1000 (white) */
    int stroke_gray;     /* likewise */
    int render_mode;     /* Tr */
    bp_len char_spacing; /* Tc */
    int font;            /* face id of the current Tf, -1 before the first */
    bp_len font_size;
    bool in_text; /* inside BT … ET */
} content_state;

typedef struct content_writer {
    const pdf_render *r;
    bp_strbuf *out;
    bp_len page_height;
    content_state state;
    const char *const *font_names; /* this page's resource name of each face, or NULL */
    bool tagged;                   /* marked content: structure and artifacts (pdf_tags.c) */
    int next_mcid;                 /* the page's next marked-content id */
    bool in_artifact;              /* inside an /Artifact BMC … EMC of rules and rectangles */
    enum {
        MARK_NONE,
        MARK_NODE,
        MARK_PAGINATION
    } mark; /* the sequence runs are in: a node's,
which the next run of the same node continues
(pdf_tags_opens_mark), or pagination's, which the next
repeated run continues */
} content_writer;

/* ---- Numbers ---- */

/* Writes v/1000 with up to three decimals and no trailing zeros: 10500 -> "10.5". */
static void put_milli(bp_strbuf *out, long long v)
{
    char buf[32];
    char *end = buf + sizeof buf, *p = end;
    unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    unsigned frac = (unsigned)(mag % 1000);
    unsigned long long whole = mag / 1000;
    if (frac) {
        int digits = 3;
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        for (int i = 0; i < digits; i++, frac /= 10)
            *--p = (char)('0' + frac % 10);
        *--p = '.';
    }
    do {
        *--p = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    if (v < 0)
        *--p = '-';
    bp_strbuf_append(out, p, (size_t)(end - p));
}

/* A number in thousandths (a bp_len, a gray level, a TJ adjustment) followed by a space: the
 * shape of every operand. */
static void put_operand(bp_strbuf *out, long long v)
{
    put_milli(out, v);
    bp_strbuf_putc(out, ' ');
}

/* A 2-byte code inside a literal string: binary, with the three bytes a string cannot hold
 * plainly escaped, and the two line ends too (a reader turns a bare CR into LF). Half the bytes
 * of hex before deflate, 4% fewer after on the sample's pages (measured). */
static void put_code(bp_strbuf *out, unsigned v)
{
    char s[4];
    size_t n = 0;
    for (int shift = 8; shift >= 0; shift -= 8) {
        char c = (char)((v >> shift) & 0xff);
        if (c == '(' || c == ')' || c == '\\' || c == '\r' || c == '\n') {
            s[n++] = '\\';
            c = c == '\r' ? 'r' : c == '\n' ? 'n' : c;
        }
        s[n++] = c;
    }
    bp_strbuf_append(out, s, n);
}

static long long round_to_ll(double v)
{
    return (long long)(v >= 0 ? v + 0.5 : v - 0.5);
}

/* 0 (black) .. 255 (white) as 0 .. 1000. */
static int gray_milli(uint8_t gray)
{
    return (gray * 1000 + 127) / 255;
}

/* ---- Graphics state ---- */

static void set_line_width(content_writer *w, bp_len width)
{
    if (w->state.line_width == width)
        return;
    put_operand(w->out, width);
    bp_strbuf_puts(w->out, "w\n");
    w->state.line_width = width;
}

static void set_fill_gray(content_writer *w, int gray)
{
    if (w->state.fill_gray == gray)
        return;
    put_operand(w->out, gray);
    bp_strbuf_puts(w->out, "g\n");
    w->state.fill_gray = gray;
}

static void set_stroke_gray(content_writer *w, int gray)
{
    if (w->state.stroke_gray == gray)
        return;
    put_operand(w->out, gray);
    bp_strbuf_puts(w->out, "G\n");
    w->state.stroke_gray = gray;
}

static void set_render_mode(content_writer *w, int mode)
{
    if (w->state.render_mode == mode)
        return;
    bp_strbuf_printf(w->out, "%d Tr\n", mode);
    w->state.render_mode = mode;
}

static void set_char_spacing(content_writer *w, bp_len spacing)
{
    if (w->state.char_spacing == spacing)
        return;
    put_operand(w->out, spacing);
    bp_strbuf_puts(w->out, "Tc\n");
    w->state.char_spacing = spacing;
}

static void begin_text(content_writer *w)
{
    if (!w->state.in_text)
        bp_strbuf_puts(w->out, "BT\n");
    w->state.in_text = true;
}

static void close_mark(content_writer *w);

/* Paths may not be built inside a text object, so every non-text item ends it first; a
 * marked-content sequence begun inside it ends before it does. */
static void end_text(content_writer *w)
{
    close_mark(w);
    if (w->state.in_text)
        bp_strbuf_puts(w->out, "ET\n");
    w->state.in_text = false;
}

/* ---- Marked content ----
 * In a tagged PDF every piece of content is either a structure element's (a run of a cell, a
 * paragraph: /TD <</MCID n>> BDC … EMC, numbered in page order as pdf_tags.c numbers them) or
 * an artifact: rules, rectangles, folios, repeated headers. Rules and rectangles in a row share
 * one /Artifact sequence, and so do the runs of a repeated header; a sequence never straddles
 * BT … ET. */

static void open_artifact(content_writer *w)
{
    if (w->tagged && !w->in_artifact)
        bp_strbuf_puts(w->out, "/Artifact BMC\n");
    w->in_artifact = w->tagged;
}

static void close_artifact(content_writer *w)
{
    if (w->in_artifact)
        bp_strbuf_puts(w->out, "EMC\n");
    w->in_artifact = false;
}

static void close_mark(content_writer *w)
{
    if (w->mark != MARK_NONE)
        bp_strbuf_puts(w->out, "EMC\n");
    w->mark = MARK_NONE;
}

/* Before a run's glyphs: a node's run opens its marked content unless it continues the run
 * before it; a run of pagination's joins the artifact sequence open, or opens one. */
static void begin_marked_run(content_writer *w, const bp_page *page, size_t index)
{
    if (!w->tagged)
        return;
    const bp_glyph_run *run = &page->items[index].u.glyphs;
    if (!pdf_tags_run_is_content(run)) {
        if (w->mark != MARK_PAGINATION) {
            close_mark(w);
            bp_strbuf_puts(w->out, "/Artifact<</Type/Pagination>>BDC\n");
            w->mark = MARK_PAGINATION;
        }
    } else if (pdf_tags_opens_mark(page, index)) {
        close_mark(w);
        bp_strbuf_printf(w->out, "/%s<</MCID %d>>BDC\n",
                         bp_node_kind_name(bp_document_node(w->r->doc, run->node)->kind),
                         w->next_mcid++);
        w->mark = MARK_NODE;
    }
}

/* ---- Glyph runs ---- */

static int set_font(content_writer *w, int face, bp_len size)
{
    if (w->state.font == face && w->state.font_size == size)
        return 0;
    const char *name = w->font_names[face];
    if (!name)
        return -1; /* pdf_content_register_fonts named every face the page draws */
    bp_strbuf_printf(w->out, "/%s ", name);
    put_operand(w->out, size);
    bp_strbuf_puts(w->out, "Tf\n");
    w->state.font = face;
    w->state.font_size = size;
    return 0;
}

/* The glyphs as a TJ array. Each glyph is meant to sit at run.x + dx[i]; the viewer puts it
 * after the previous one's W width, so where the two differ by more than 0.001 pt a TJ
 * adjustment (in 1/1000 of the font size, three decimals) moves it. `pen` follows where the
 * viewer's pen is, including the rounding of the adjustments, so errors never add up. */
static void put_glyph_array(content_writer *w, const subset_face *face, const bp_glyph_run *run)
{
    double pen = 0; /* the viewer's position for the next glyph, from run.x, in 1/1000 pt */
    double spacing = w->state.char_spacing; /* Tc, added after every glyph */
    bp_strbuf_puts(w->out, "[(");
    for (size_t i = 0; i < run->count; i++) {
        double off = pen - run->dx[i];
        if (i > 0 && (off > 1.0 || off < -1.0)) {
            long long adjust = round_to_ll(off * 1e6 / run->size);
            bp_strbuf_puts(w->out, ") ");
            put_operand(w->out, adjust);
            bp_strbuf_putc(w->out, '(');
            pen -= (double)adjust * run->size / 1e6;
        }
        unsigned g = subset_glyph(face, run->ids[i]);
        put_code(w->out, face->codes[g]);
        pen += face->widths[g] * run->size / 1000.0 + spacing;
    }
    bp_strbuf_puts(w->out, ")] TJ\n");
}

/* The space a justified line adds after each glyph, when most of its gaps agree (flow.c
 * spreads the spare width evenly, whole thousandths of a point): one Tc instead of a TJ
 * adjustment between every two glyphs of every justified line. 0 when no one gap wins. */
static bp_len common_spacing(const subset_face *face, const bp_glyph_run *run)
{
    bp_len winner = 0;
    size_t votes = 0, gaps = run->count > 1 ? run->count - 1 : 0;
    for (size_t i = 0; i < gaps; i++) { /* the majority vote (Boyer and Moore) */
        double natural = face->widths[subset_glyph(face, run->ids[i])] * run->size / 1000.0;
        bp_len excess = (bp_len)round_to_ll(run->dx[i + 1] - run->dx[i] - natural);
        if (votes == 0)
            winner = excess;
        votes += excess == winner ? 1 : (size_t)-1;
    }
    size_t agree = 0;
    for (size_t i = 0; i < gaps && winner != 0; i++) {
        double natural = face->widths[subset_glyph(face, run->ids[i])] * run->size / 1000.0;
        agree += (bp_len)round_to_ll(run->dx[i + 1] - run->dx[i] - natural) == winner;
    }
    return agree * 2 > gaps ? winner : 0;
}

static int write_run(content_writer *w, const bp_page *page, size_t index)
{
    const bp_glyph_run *run = &page->items[index].u.glyphs;
    if (run->count == 0)
        return 0;
    close_artifact(w);
    begin_text(w);
    set_fill_gray(w, 0);
    if (run->bold_stroke > 0) {
        /* Fill, then stroke the outline in the fill colour: the way word processors embolden
         * a face that has no bold. Tr and w outlast ET, so the mode is reset right after. */
        set_stroke_gray(w, 0);
        set_line_width(w, run->bold_stroke);
        set_render_mode(w, 2);
    }
    if (set_font(w, run->face, run->size) != 0)
        return -1;
    bp_strbuf_puts(w->out, "1 0 0 1 ");
    put_operand(w->out, run->x);
    put_operand(w->out, (long long)w->page_height - run->y);
    bp_strbuf_puts(w->out, "Tm\n");
    begin_marked_run(w, page, index);
    const subset_face *face = &w->r->subset.faces[run->face];
    set_char_spacing(w, common_spacing(face, run));
    put_glyph_array(w, face, run);
    if (run->bold_stroke > 0)
        set_render_mode(w, 0);
    return 0;
}

/* ---- Rules and rectangles ---- */

static void write_rule(content_writer *w, const bp_rule *rule)
{
    end_text(w);
    open_artifact(w);
    set_line_width(w, rule->width);
    set_stroke_gray(w, 0);
    put_operand(w->out, rule->x0);
    put_operand(w->out, (long long)w->page_height - rule->y0);
    bp_strbuf_puts(w->out, "m ");
    put_operand(w->out, rule->x1);
    put_operand(w->out, (long long)w->page_height - rule->y1);
    bp_strbuf_puts(w->out, "l S\n");
}

static void write_rect(content_writer *w, const bp_rect *rect)
{
    bool stroke = rect->stroke_width > 0;
    if (!stroke && !rect->fill)
        return;
    end_text(w);
    open_artifact(w);
    if (rect->fill)
        set_fill_gray(w, gray_milli(rect->fill_gray));
    if (stroke) {
        set_line_width(w, rect->stroke_width);
        set_stroke_gray(w, 0);
    }
    put_operand(w->out, rect->x);
    put_operand(w->out, (long long)w->page_height - rect->y - rect->h);
    put_operand(w->out, rect->w);
    put_operand(w->out, rect->h);
    bp_strbuf_puts(w->out, rect->fill && stroke ? "re B\n" : rect->fill ? "re f\n" : "re S\n");
}

/* ---- The page ---- */

static int write_item(content_writer *w, const bp_page *page, size_t index)
{
    const bp_item *item = &page->items[index];
    switch (item->kind) {
    case BP_ITEM_GLYPHS:
        return write_run(w, page, index);
    case BP_ITEM_RULE:
        write_rule(w, &item->u.rule);
        return 0;
    case BP_ITEM_RECT:
        write_rect(w, &item->u.rect);
        return 0;
    case BP_ITEM_LINK: /* an annotation, not content: pdf.c adds it */
        return 0;
    }
    return 0;
}

/* Writes the /Filter entry of a content stream we deflated ourselves. libharu calls a dict's
 * write_fn after its own keys and before ">>" (HPDF_Dict_Write, 2.3.0); with the dict's filter
 * set to none it writes our bytes as they are. */
static HPDF_STATUS write_flate_filter_key(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

int pdf_content_register_fonts(pdf_render *r, size_t index, pdf_page_stream *ps)
{
    const bp_page *page = bp_document_page(r->doc, index);
    for (size_t i = 0; i < page->count; i++) {
        if (page->items[i].kind != BP_ITEM_GLYPHS)
            continue;
        int face = page->items[i].u.glyphs.face;
        if (ps->font_names[face])
            continue;
        /* HPDF_Page_GetLocalFontName does not look inside the font dict, so it takes our
         * hand-built Type0 font; faces are named in the order the page first draws them. */
        ps->font_names[face] = HPDF_Page_GetLocalFontName(r->pages[index], r->fonts_used[face]);
        if (!ps->font_names[face])
            return pdf_hpdf_failed(r);
    }
    return 0;
}

/* Deflates the page's operators ourselves, on the worker's thread, instead of letting libharu
 * deflate them at its fixed default level on output: that took a third of the time of
 * rendering a 670-page document. A long document's pages go at zlib's fastest level, a short
 * one's at the default (scratch->level, pdf.c): 12% smaller content for the sample, at no
 * time one can measure. The worker's stream is reset, not made anew, for each page: setting up
 * zlib's window and tables for each of 670 pages cost more than deflating them. */
static int deflate_content(pdf_content_scratch *scratch, pdf_page_stream *ps)
{
    z_stream *z = &scratch->z;
    if (!scratch->z_ready) {
        memset(z, 0, sizeof *z);
        if (deflateInit(z, scratch->level) != Z_OK)
            return -1;
        scratch->z_ready = true;
    } else if (deflateReset(z) != Z_OK) {
        return -1;
    }
    const bp_strbuf *content = &scratch->content;
    uLong bound = deflateBound(z, (uLong)content->len);
    ps->data = malloc(bound);
    if (!ps->data)
        return -1;
    z->next_in = (Bytef *)content->data;
    z->avail_in = (uInt)content->len;
    z->next_out = ps->data;
    z->avail_out = (uInt)bound;
    if (deflate(z, Z_FINISH) != Z_STREAM_END)
        return -1;
    ps->size = bound - z->avail_out;
    ps->deflated = true;
    return 0;
}

void pdf_content_scratch_free(pdf_content_scratch *scratch)
{
    if (scratch->z_ready)
        deflateEnd(&scratch->z);
    scratch->z_ready = false;
    bp_strbuf_free(&scratch->content);
}

void pdf_content_build(const pdf_render *r, size_t index, pdf_page_stream *ps,
                       pdf_content_scratch *scratch)
{
    const bp_page *page = bp_document_page(r->doc, index);
    bp_strbuf *content = &scratch->content;
    bp_strbuf_truncate(content, 0);
    content_writer w = {
        .r = r,
        .out = content,
        .page_height = page->height,
        .state = {.line_width = 1000, .font = -1},
        .font_names = ps->font_names,
        .tagged = r->tagged,
    };
    ps->failed = false;
    for (size_t i = 0; i < page->count && !ps->failed; i++)
        ps->failed = write_item(&w, page, i) != 0;
    end_text(&w);
    close_artifact(&w);
    if (ps->failed || content->failed) {
        ps->failed = true;
        bp_strbuf_free(content); /* a failed buffer is not reused */
    } else if (content->len > 0 && r->compress) {
        ps->failed = deflate_content(scratch, ps) != 0;
    } else if (content->len > 0) {
        ps->size = content->len;
        ps->data = malloc(content->len);
        ps->failed = ps->data == NULL;
        if (ps->data)
            memcpy(ps->data, content->data, content->len);
    }
}

int pdf_content_attach(pdf_render *r, size_t index, pdf_page_stream *ps)
{
    if (ps->failed)
        return pdf_fail(r, "out of memory while writing page %zu", index + 1);
    if (ps->size == 0)
        return 0;
    /* The page's content stream, created by HPDF_AddPage (HPDF_PageAttr_Rec.stream in 2.3.0). */
    HPDF_PageAttr attr = (HPDF_PageAttr)r->pages[index]->attr;
    if (ps->deflated) {
        attr->contents->filter = HPDF_STREAM_FILTER_NONE;
        attr->contents->write_fn = write_flate_filter_key;
    }
    if (HPDF_Stream_Write(attr->stream, ps->data, (HPDF_UINT)ps->size) != HPDF_OK)
        return pdf_hpdf_failed(r);
    free(ps->data);
    ps->data = NULL;
    return 0;
}

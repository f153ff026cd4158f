/*
 * text.c: one text of a table (a cell's, the title's, a banner part's, the note's): shaped
 * once, broken into lines once at a width, and where its baseline sits in a line box.
 *
 * Stage: layout, table engine, below the passes that measure (measure.c, banner.c) and draw
 * (emit.c, paginate.c): they all use it and it uses none of them. Shaping and breaking go
 * through the text module; a character no font has is reported where the text is.
 */
#include "table_int.h"

#include <stdlib.h>
#include <string.h>

/* Names each character no font of the text's role has, and where it is. */
static void report_missing(tbl_work *w, const tbl_text *t, const char *where)
{
    for (size_t i = 0; i < w->shaped.missing_count;) {
        bp_strbuf message = BP_STRBUF_INIT;
        i +=
            flow_describe_missing(t->text, t->len, w->shaped.missing + i,
                                  w->shaped.missing_count - i, bp_font_role_key(t->role), &message);
        tbl_error(w, where, "%s", bp_strbuf_cstr(&message));
        bp_strbuf_free(&message);
    }
}

void tbl_shape_text(tbl_work *w, tbl_text *t, const char *text, bp_font_role role, bp_len size,
                    bool bold, void (*where)(const tbl_work *, const void *, bp_strbuf *),
                    const void *ctx)
{
    t->text = text ? text : "";
    t->len = strlen(t->text);
    t->role = role;
    t->size = size;
    t->bold = bold;
    if (t->len == 0)
        return;
    bp_shaped_clear(&w->shaped);
    if (bp_shape_range(w->fonts, role, bold, size, t->text, t->len, 0, t->len, &w->shaped) != 0) {
        tbl_out_of_memory(w);
        return;
    }
    if (w->shaped.missing_count && where) {
        bp_strbuf sb = BP_STRBUF_INIT;
        where(w, ctx, &sb);
        report_missing(w, t, bp_strbuf_cstr(&sb));
        bp_strbuf_free(&sb);
    }
    t->glyph_count = (uint32_t)w->shaped.count;
    t->glyphs = bp_arena_array(w->arena, t->glyph_count, sizeof *t->glyphs);
    if (!t->glyphs) {
        tbl_out_of_memory(w);
        t->glyph_count = 0;
        return;
    }
    memcpy(t->glyphs, w->shaped.glyphs, t->glyph_count * sizeof *t->glyphs);
    int64_t natural = 0;
    for (uint32_t g = 0; g < t->glyph_count && natural < TBL_MAX_EXTENT; g++)
        natural += t->glyphs[g].advance;
    t->natural = natural < TBL_MAX_EXTENT ? (bp_len)natural : TBL_MAX_EXTENT;
}

/* Glyphs [first, end) without the spaces that end them, and their width. */
tbl_line tbl_trimmed_line(const tbl_text *t, uint32_t first, uint32_t end)
{
    while (end > first && t->text[t->glyphs[end - 1].cluster] == ' ')
        end--;
    tbl_line line = {first, end - first, 0};
    for (uint32_t g = first; g < end; g++)
        line.width += t->glyphs[g].advance;
    return line;
}

/* A line separator or newline forces a break even in a text that fits. */
static bool has_forced_break(const tbl_text *t)
{
    return memchr(t->text, '\n', t->len) || strstr(t->text, "\xE2\x80\xA8") ||
           strstr(t->text, "\xE2\x80\xA9");
}

/* Most cells fit on one line and are not run through the line breaker at all. */
void tbl_break_text(tbl_work *w, tbl_text *t, bp_len avail, bool nowrap)
{
    t->lines = NULL;
    if (t->glyph_count == 0) {
        t->line_count = 0;
        return;
    }
    if (nowrap || (t->natural <= avail && !has_forced_break(t))) {
        t->single = tbl_trimmed_line(t, 0, t->glyph_count);
        t->line_count = 1;
        return;
    }
    bp_shaped view = {.glyphs = t->glyphs, .count = t->glyph_count};
    /* A cell or header label never ends with one character alone where a better break is. */
    if (bp_break_lines_with(&view, t->text, t->len, avail, avail, BP_BREAK_NO_LONE_LAST,
                            &w->lines) != 0) {
        tbl_out_of_memory(w);
        return;
    }
    t->line_count = (uint32_t)w->lines.count;
    if (t->line_count == 1) {
        t->single = tbl_trimmed_line(t, 0, t->glyph_count);
        return;
    }
    t->lines = bp_arena_array(w->arena, t->line_count, sizeof *t->lines);
    if (!t->lines) {
        tbl_out_of_memory(w);
        t->line_count = 0;
        return;
    }
    for (uint32_t i = 0; i < t->line_count; i++) {
        const bp_line *l = &w->lines.lines[i];
        t->lines[i] = tbl_trimmed_line(t, (uint32_t)l->glyph_start, (uint32_t)l->glyph_end);
    }
}

/* ---- Baselines, the title and the banner ---- */

bp_len tbl_baseline_in_box(const tbl_work *w, bp_font_role role, bp_len size, bp_len leading)
{
    bp_len ascent = bp_font_ascent(w->fonts, role, size);
    bp_len descent = bp_font_descent(w->fonts, role, size);
    return (leading - ascent - descent) / 2 + ascent;
}

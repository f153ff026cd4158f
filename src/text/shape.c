/*
 * shape.c: turns UTF-8 text into positioned glyphs with a role's faces, falling back face by
 * face per character.
 *
 * Stage: text, after the fontset is loaded and before line breaking. Buffer in, buffer out: the
 * glyphs go into the caller's bp_shaped. It never breaks lines, never lays out, never writes to
 * the fontset (its hb_font_t objects are frozen and shared by every thread; each call makes its
 * own hb_buffer_t) and never drops a character silently: one no face has becomes glyph 0 and is
 * listed, with where it is, for the caller to report.
 *
 * The fact that shaped it: a budget document is CJK text with Latin digits and punctuation, and
 * the PDF draws each glyph at its width in the font (the W array): the pinned fonts shape one
 * glyph per character with their nominal advances (measured over the whole reference unit), so
 * layout must use those advances too. Pair kerning is therefore switched off; a face only
 * substitutes glyphs (locl for zh-Hans) and HarfBuzz still zeroes what it hides (default
 * ignorables such as U+200B) and the marks it attaches.
 */
#include <assert.h>
#include <hb.h>
#include <stdint.h>
#include <stdlib.h>

#include "../util/util.h"
#include "text_int.h"

/* What a character is shaped with: a slot in the role's face list, or one of these. */
enum {
    SLOT_MISSING = -1,   /* no face of the role has it */
    SLOT_SEPARATOR = -2, /* U+2028/U+2029: ends a line, draws nothing */
};

/* ---- Which face draws a character ------------------------------------------------------------ */

/* Characters shaped with whatever face draws their neighbour: marks attach to their base,
 * variation selectors and joiners modify it, and the default ignorables (U+200B…) are hidden
 * by HarfBuzz. Fonts rarely map them, and none of them is missing when its base is not. */
static bool follows_neighbour(uint32_t cp)
{
    if (cp < 0x0300) /* Latin-1 and the like: only the soft hyphen; skips the lookup */
        return cp == 0x00AD;
    switch (hb_unicode_general_category(hb_unicode_funcs_get_default(), cp)) {
    case HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK:
        return true;
    default:
        break;
    }
    return cp == 0x00AD || cp == 0x034F || (cp >= 0x180B && cp <= 0x180F) ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x206F) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
           (cp >= 0xE0000 && cp <= 0xE0FFF);
}

static bool is_space_separator(uint32_t cp)
{
    return hb_unicode_general_category(hb_unicode_funcs_get_default(), cp) ==
           HB_UNICODE_GENERAL_CATEGORY_SPACE_SEPARATOR;
}

static bool is_line_separator(uint32_t cp)
{
    return cp == 0x2028 || cp == 0x2029;
}

typedef struct role_faces {
    const bp_fontset *fonts;
    const int *ids; /* face ids, primary first */
    int count;
} role_faces;

static hb_font_t *slot_font(const role_faces *faces, int slot)
{
    return faces->fonts->faces[faces->ids[slot]].font;
}

/* The slot of the first face that has cp; prev is the slot of the character before. */
static int choose_slot(const role_faces *faces, uint32_t cp, int prev)
{
    if (is_line_separator(cp))
        return SLOT_SEPARATOR;
    if (follows_neighbour(cp))
        return prev >= 0 ? prev : 0;
    hb_codepoint_t glyph;
    for (int slot = 0; slot < faces->count; slot++)
        if (hb_font_get_nominal_glyph(slot_font(faces, slot), cp, &glyph))
            return slot;
    /* CJK fonts lack the typographic spaces (U+2002…U+200A, U+202F); HarfBuzz draws them with
     * the space glyph at their proper width, so they are not missing. */
    if (is_space_separator(cp))
        return prev >= 0 ? prev : 0;
    return SLOT_MISSING;
}

/* ---- The result buffer ----------------------------------------------------------------------- */

static int reserve_glyphs(bp_shaped *shaped, size_t more)
{
    if (more > SIZE_MAX - shaped->count)
        return -1;
    bp_glyph *grown =
        bp_grow(shaped->glyphs, &shaped->capacity, shaped->count + more, sizeof *grown, 64);
    if (!grown)
        return -1;
    shaped->glyphs = grown;
    return 0;
}

static int note_missing(bp_shaped *shaped, uint32_t codepoint, uint32_t offset)
{
    /* Several glyphs of one cluster name the character once. */
    if (shaped->missing_count > 0 && shaped->missing[shaped->missing_count - 1].offset == offset)
        return 0;
    bp_missing_char *grown = bp_grow(shaped->missing, &shaped->missing_capacity,
                                     shaped->missing_count + 1, sizeof *grown, 8);
    if (!grown)
        return -1;
    shaped->missing = grown;
    shaped->missing[shaped->missing_count++] = (bp_missing_char){codepoint, offset};
    return 0;
}

/* ---- Shaping --------------------------------------------------------------------------------- */

/* What every run of one bp_shape call shares. */
typedef struct shaper {
    role_faces faces;
    bp_len size;
    const char *text;
    size_t len;
    hb_buffer_t *buffer; /* this call's own: HarfBuzz buffers are used by one thread at a time */
    hb_language_t language;
    bp_shaped *out;
} shaper;

/* Font units to bp_len at the shaped size, rounded to nearest (halves away from zero). */
static bp_len scale_units(int64_t units, bp_len size, int units_per_em)
{
    int64_t v = units * size, half = units_per_em / 2;
    return (bp_len)((v >= 0 ? v + half : v - half) / units_per_em);
}

/* Half an em: a missing character still takes room, so the line it is on stays readable. */
static bp_len missing_advance(bp_len size)
{
    return size / 2;
}

static int add_missing_glyph(shaper *s, uint32_t codepoint, uint32_t offset)
{
    if (reserve_glyphs(s->out, 1) != 0 || note_missing(s->out, codepoint, offset) != 0)
        return -1;
    uint16_t primary = (uint16_t)s->faces.ids[0];
    s->out->glyphs[s->out->count++] = (bp_glyph){0, primary, missing_advance(s->size), offset};
    return 0;
}

/* A line separator draws nothing and takes no width: the primary face's space glyph (or 0). */
static int add_separator_glyph(shaper *s, uint32_t offset)
{
    hb_codepoint_t space = 0;
    hb_font_get_nominal_glyph(slot_font(&s->faces, 0), ' ', &space);
    if (reserve_glyphs(s->out, 1) != 0)
        return -1;
    s->out->glyphs[s->out->count++] = (bp_glyph){space, (uint16_t)s->faces.ids[0], 0, offset};
    return 0;
}

/* Every character of [start, end) is drawn by the glyph given: missing ones, separators. */
static int add_unshaped_run(shaper *s, int slot, size_t start, size_t end)
{
    for (size_t i = start, n; i < end; i += n) {
        uint32_t cp = bp_utf8_decode(s->text + i, s->len - i, &n);
        int rc = slot == SLOT_SEPARATOR ? add_separator_glyph(s, (uint32_t)i)
                                        : add_missing_glyph(s, cp, (uint32_t)i);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* Copies HarfBuzz's output for one run. A .notdef HarfBuzz still produced (a mark its base's
 * face lacks) is treated like any missing character. */
static int collect_glyphs(shaper *s, int slot)
{
    unsigned count = 0;
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(s->buffer, &count);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(s->buffer, NULL);
    const text_face *face = &s->faces.fonts->faces[s->faces.ids[slot]];
    if (reserve_glyphs(s->out, count) != 0)
        return -1;
    for (unsigned i = 0; i < count; i++) {
        if (info[i].codepoint == 0) {
            size_t n;
            uint32_t cp = bp_utf8_decode(s->text + info[i].cluster, s->len - info[i].cluster, &n);
            if (add_missing_glyph(s, cp, info[i].cluster) != 0)
                return -1;
            continue;
        }
        /* The fontset's fonts are scaled to units_per_em, so positions are font units. */
        bp_len advance = scale_units(pos[i].x_advance, s->size, face->info.units_per_em);
        s->out->glyphs[s->out->count++] =
            (bp_glyph){info[i].codepoint, (uint16_t)s->faces.ids[slot], advance, info[i].cluster};
    }
    return 0;
}

/* Shapes [start, end) with one face. The whole text goes in as context so that clusters are
 * byte offsets in it and shaping at the run's edges sees the neighbouring characters. */
static int shape_run(shaper *s, int slot, size_t start, size_t end)
{
    if (slot < 0)
        return add_unshaped_run(s, slot, start, end);
    static const hb_feature_t no_kerning[] = {{HB_TAG('k', 'e', 'r', 'n'), 0, 0, (unsigned)-1}};
    hb_buffer_clear_contents(s->buffer);
    hb_buffer_add_utf8(s->buffer, s->text, (int)s->len, (unsigned)start, (int)(end - start));
    hb_buffer_set_direction(s->buffer, HB_DIRECTION_LTR);
    hb_buffer_set_language(s->buffer, s->language);
    hb_buffer_guess_segment_properties(s->buffer);
    hb_shape(slot_font(&s->faces, slot), s->buffer, no_kerning, 1);
    if (!hb_buffer_allocation_successful(s->buffer))
        return -1;
    return collect_glyphs(s, slot);
}

/* Splits the text into runs of characters drawn by the same face and shapes each. */
static int shape_runs(shaper *s)
{
    size_t run_start = 0;
    int run_slot = SLOT_MISSING;
    for (size_t i = 0, n; i < s->len; i += n) {
        uint32_t cp = bp_utf8_decode(s->text + i, s->len - i, &n);
        int slot = choose_slot(&s->faces, cp, run_slot);
        if (i > 0 && slot != run_slot) {
            if (shape_run(s, run_slot, run_start, i) != 0)
                return -1;
            run_start = i;
        }
        run_slot = slot;
    }
    return s->len > 0 ? shape_run(s, run_slot, run_start, s->len) : 0;
}

/* ---- Figures ----------------------------------------------------------------------------------
 * Most texts of a budget table are figures: amounts, codes, 序号. Their characters map one to one
 * to glyphs with nominal advances in any face (no ligature or substitution applies to digits,
 * and kerning is off), so they skip HarfBuzz's buffer: the same glyphs and advances, several
 * times faster over the tens of thousands of cells of a long table. */

static bool is_figure_char(char c)
{
    return (c >= '0' && c <= '9') || c == '.' || c == ',' || c == '-' || c == '%';
}

/* Shapes a text of figures with the role's primary face. Returns 1 when done, 0 when the text
 * is not all figures or the face lacks one (the general path then handles it), -1 when out of
 * memory. */
static int shape_figures(shaper *s)
{
    for (size_t i = 0; i < s->len; i++)
        if (!is_figure_char(s->text[i]))
            return 0;
    hb_font_t *font = slot_font(&s->faces, 0);
    const text_face *face = &s->faces.fonts->faces[s->faces.ids[0]];
    if (reserve_glyphs(s->out, s->len) != 0)
        return -1;
    for (size_t i = 0; i < s->len; i++) {
        hb_codepoint_t glyph;
        if (!hb_font_get_nominal_glyph(font, (unsigned char)s->text[i], &glyph)) {
            s->out->count = 0;
            return 0;
        }
        bp_len advance =
            scale_units(hb_font_get_glyph_h_advance(font, glyph), s->size, face->info.units_per_em);
        s->out->glyphs[s->out->count++] =
            (bp_glyph){glyph, (uint16_t)s->faces.ids[0], advance, (uint32_t)i};
    }
    return 1;
}

int bp_shape(const bp_fontset *fonts, bp_font_role role, bp_len size, const char *text, size_t len,
             bp_shaped *shaped)
{
    shaped->count = 0;
    shaped->missing_count = 0;
    if (len > INT32_MAX) /* HarfBuzz and bp_glyph.cluster count bytes in 32 bits */
        return -1;
    shaper s = {.size = size, .text = text, .len = len, .out = shaped};
    s.faces.fonts = fonts;
    s.faces.ids = text_role_faces(fonts, role, &s.faces.count);
    assert(s.faces.count > 0); /* bp_fontset_load refuses a role without a face */
    int figures = len > 0 ? shape_figures(&s) : 0;
    if (figures != 0)
        return figures > 0 ? 0 : -1;
    s.buffer = hb_buffer_create();
    s.language = hb_language_from_string("zh-Hans", -1);
    int rc = hb_buffer_allocation_successful(s.buffer) ? shape_runs(&s) : -1;
    hb_buffer_destroy(s.buffer);
    if (rc != 0) {
        shaped->count = 0;
        shaped->missing_count = 0;
    }
    return rc;
}

void bp_shaped_free(bp_shaped *shaped)
{
    if (!shaped)
        return;
    free(shaped->glyphs);
    free(shaped->missing);
    *shaped = (bp_shaped)BP_SHAPED_INIT;
}

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
 * substitutes glyphs (locl for zh-Hans, and the role's features from the layout, such as the
 * half-width figures of amounts) and HarfBuzz still zeroes what it hides (default ignorables
 * such as U+200B) and the marks it attaches. The one change of advances is ours: adjacent
 * full-width punctuation is squeezed as Chinese typesetting does (squeeze_punctuation).
 */
#include <assert.h>
#include <hb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* What every run of one bp_shape_range call shares. */
typedef struct shaper {
    role_faces faces;
    const hb_feature_t *features;
    unsigned feature_count;
    const text_figures *figures;
    bp_len size;
    const char *text;
    size_t len;
    size_t start, end;   /* the range shaped */
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
    hb_buffer_clear_contents(s->buffer);
    hb_buffer_add_utf8(s->buffer, s->text, (int)s->len, (unsigned)start, (int)(end - start));
    hb_buffer_set_direction(s->buffer, HB_DIRECTION_LTR);
    hb_buffer_set_language(s->buffer, s->language);
    hb_buffer_guess_segment_properties(s->buffer);
    hb_shape(slot_font(&s->faces, slot), s->buffer, s->features, s->feature_count);
    if (!hb_buffer_allocation_successful(s->buffer))
        return -1;
    return collect_glyphs(s, slot);
}

/* Splits the text into runs of characters drawn by the same face and shapes each. */
static int shape_runs(shaper *s)
{
    size_t run_start = s->start;
    int run_slot = SLOT_MISSING;
    for (size_t i = s->start, n; i < s->end; i += n) {
        uint32_t cp = bp_utf8_decode(s->text + i, s->end - i, &n);
        int slot = choose_slot(&s->faces, cp, run_slot);
        if (i > s->start && slot != run_slot) {
            if (shape_run(s, run_slot, run_start, i) != 0)
                return -1;
            run_start = i;
        }
        run_slot = slot;
    }
    return s->end > s->start ? shape_run(s, run_slot, run_start, s->end) : 0;
}

/* ---- Figures ----------------------------------------------------------------------------------
 * Most texts of a budget table are figures: amounts, codes, 序号. Their characters map one to one
 * to glyphs (no ligature or contextual substitution applies to digits, and kerning is off), so
 * each is shaped once with the role's faces and features when the fontset loads (fontset.c),
 * and a text of figures is drawn from that table: the same glyphs and advances as HarfBuzz gives,
 * several times faster over the tens of thousands of cells of a long table. */

static int figure_index(char c)
{
    const char *at = c ? strchr(TEXT_FIGURE_CHARS, c) : NULL;
    return at ? (int)(at - TEXT_FIGURE_CHARS) : -1;
}

/* Shapes a range of figures from the role's table. Returns 1 when done, 0 when the range is
 * not all figures or the face lacks one (the general path then handles it), -1 when out of
 * memory. */
static int shape_figures(shaper *s)
{
    if (!s->figures->usable)
        return 0;
    for (size_t i = s->start; i < s->end; i++)
        if (figure_index(s->text[i]) < 0)
            return 0;
    const text_face *face = &s->faces.fonts->faces[s->figures->face];
    if (reserve_glyphs(s->out, s->end - s->start) != 0)
        return -1;
    for (size_t i = s->start; i < s->end; i++) {
        int k = figure_index(s->text[i]);
        bp_len advance = scale_units(s->figures->advance[k], s->size, face->info.units_per_em);
        s->out->glyphs[s->out->count++] =
            (bp_glyph){s->figures->glyph[k], (uint16_t)s->figures->face, advance, (uint32_t)i};
    }
    return 1;
}

/* ---- Punctuation squeezing ---------------------------------------------------------------------
 * A full-width punctuation mark draws in half its em and leaves the other half blank: the right
 * half for the marks that close or stop (、。，：；！？）》” in mainland forms), the left half for
 * the ones that open (（《“). Two of them side by side would leave a whole blank em between
 * their inks, and Chinese typesetting takes half of it away (W3C clreq, 3.1.6 "Adjacent
 * punctuation compression"): when the first has its blank after it or the second before it,
 * the first mark's advance loses half an em. The second mark's ink then moves left by as much,
 * which is what the fonts' `halt` values would do to it, without a glyph offset. */

static bool blank_after(uint32_t cp)
{
    switch (cp) {
    case 0x3001:
    case 0x3002:
    case 0xFF0C:
    case 0xFF0E:
    case 0xFF1A:
    case 0xFF1B:
    case 0xFF01:
    case 0xFF1F:
    case 0xFF09:
    case 0x300B:
    case 0x3009:
    case 0x300D:
    case 0x300F:
    case 0x3011:
    case 0x3015:
    case 0x3017:
    case 0xFF3D:
    case 0xFF5D:
    case 0x201D:
    case 0x2019:
        return true;
    default:
        return false;
    }
}

static bool blank_before(uint32_t cp)
{
    switch (cp) {
    case 0xFF08:
    case 0x300A:
    case 0x3008:
    case 0x300C:
    case 0x300E:
    case 0x3010:
    case 0x3014:
    case 0x3016:
    case 0xFF3B:
    case 0xFF5B:
    case 0x201C:
    case 0x2018:
        return true;
    default:
        return false;
    }
}

static uint32_t glyph_char(const shaper *s, const bp_glyph *g)
{
    size_t n;
    return bp_utf8_decode(s->text + g->cluster, s->len - g->cluster, &n);
}

/* Squeezes the pairs among the glyphs from `first` (one before the range, so a pair across two
 * spans counts) to the end. Only marks drawn a whole em wide are squeezed. */
static void squeeze_punctuation(shaper *s, size_t first)
{
    bp_glyph *g = s->out->glyphs;
    for (size_t i = first; i + 1 < s->out->count; i++) {
        if (g[i].advance != s->size || g[i].cluster == g[i + 1].cluster)
            continue;
        uint32_t a = glyph_char(s, &g[i]), b = glyph_char(s, &g[i + 1]);
        bool pair = (blank_after(a) || blank_before(a)) && (blank_after(b) || blank_before(b));
        if (pair && (blank_after(a) || blank_before(b)))
            g[i].advance -= s->size / 2;
    }
}

/* ---- Entry points ---- */

void bp_shaped_clear(bp_shaped *shaped)
{
    shaped->count = 0;
    shaped->missing_count = 0;
}

int bp_shape_range(const bp_fontset *fonts, bp_font_role role, bool bold, bp_len size,
                   const char *text, size_t len, size_t start, size_t end, bp_shaped *shaped)
{
    /* HarfBuzz and bp_glyph.cluster count bytes in 32 bits */
    if (len > INT32_MAX || start > end || end > len) {
        bp_shaped_clear(shaped);
        return -1;
    }
    bool bold_faces = bold && bp_font_has_bold(fonts, role);
    shaper s = {.size = size, .text = text, .len = len, .start = start, .end = end, .out = shaped};
    s.faces.fonts = fonts;
    s.faces.ids = text_role_faces(fonts, role, bold_faces, &s.faces.count);
    assert(s.faces.count > 0); /* bp_fontset_load refuses a role without a face */
    s.features = fonts->role_features[role];
    s.feature_count = fonts->role_feature_count[role];
    s.figures = &fonts->role_figures[role][bold_faces];
    size_t first = shaped->count > 0 ? shaped->count - 1 : 0;
    int figures = end > start ? shape_figures(&s) : 0;
    int rc = figures < 0 ? -1 : 0;
    if (figures == 0) {
        s.buffer = hb_buffer_create();
        s.language = text_language();
        rc = hb_buffer_allocation_successful(s.buffer) ? shape_runs(&s) : -1;
        hb_buffer_destroy(s.buffer);
    }
    if (rc != 0) {
        bp_shaped_clear(shaped);
        return -1;
    }
    squeeze_punctuation(&s, first);
    return 0;
}

int bp_shape(const bp_fontset *fonts, bp_font_role role, bp_len size, const char *text, size_t len,
             bp_shaped *shaped)
{
    bp_shaped_clear(shaped);
    return bp_shape_range(fonts, role, false, size, text, len, 0, len, shaped);
}

void bp_shaped_free(bp_shaped *shaped)
{
    if (!shaped)
        return;
    free(shaped->glyphs);
    free(shaped->missing);
    *shaped = (bp_shaped)BP_SHAPED_INIT;
}

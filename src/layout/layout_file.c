/*
 * layout_file.c: reads a layout (a file in layouts/) and resolves its fonts through the catalog.
 *
 * Stage: layout, set-up. Never typesets. The fact that shaped it: a new official format must be
 * a new layout file, not new code, and whoever edits one needs the same plain diagnostics a
 * unit gets (JSON path, expected, found), all of them in one run. Lengths are points in the
 * file and bp_len (1/1000 pt) in memory, rounded once here.
 */
#include "budgetpress/layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/jsonread.h"
#include "placeholders.h"
#include "table_def.h"
#include "../util/util.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define LAYOUT_FORMAT "budgetpress.layout/1"

static const char *const style_keys[BP_STYLE__COUNT] = {
    [BP_STYLE_TITLE] = "title",         [BP_STYLE_SUBTITLE] = "subtitle",
    [BP_STYLE_HEADING1] = "heading1",   [BP_STYLE_HEADING2] = "heading2",
    [BP_STYLE_HEADING3] = "heading3",   [BP_STYLE_BODY] = "body",
    [BP_STYLE_LIST] = "list",           [BP_STYLE_FOLIO] = "folio",
    [BP_STYLE_COVER] = "cover",         [BP_STYLE_TOC_TITLE] = "toc_title",
    [BP_STYLE_TOC_GROUP] = "toc_group", [BP_STYLE_TOC_ENTRY] = "toc_entry",
};

const char *bp_style_key(bp_style_id id)
{
    return id < BP_STYLE__COUNT ? style_keys[id] : "?";
}

typedef struct layout_reader {
    bp_jreader jr;
    bp_layout *layout;
    json_t *catalog;       /* fonts/fonts.json */
    unsigned placeholders; /* those the table being read may use in its texts */
} layout_reader;

static const char *copy_string(layout_reader *lr, const char *s)
{
    char *copy = bp_arena_strndup(lr->layout->arena, s, strlen(s));
    if (!copy)
        lr->jr.out_of_memory = true;
    return copy;
}

static const char *read_optional_string(layout_reader *lr, json_t *obj, const char *key);
static bool read_flag(layout_reader *lr, json_t *obj, const char *key, bool fallback);

/* Checks the placeholders of a text found at obj.key (or obj[index] when key is NULL). */
static void check_text(layout_reader *lr, const char *key, size_t index, const char *text,
                       unsigned allowed)
{
    if (!text)
        return;
    size_t mark = key ? bp_jr_push_key(&lr->jr, key) : bp_jr_push_index(&lr->jr, index);
    layout_check_placeholders(&lr->jr, text, allowed);
    bp_jr_pop(&lr->jr, mark);
}

/* A length in points (a JSON number, 0 to 10,000) as bp_len. */
static bp_len read_points(layout_reader *lr, json_t *obj, const char *key, bool required,
                          bp_len fallback)
{
    json_t *v = bp_jr_member(&lr->jr, obj, key, required, "a length in points, like 12");
    if (!v)
        return fallback;
    size_t mark = bp_jr_push_key(&lr->jr, key);
    bp_len result = fallback;
    if (json_is_number(v) && json_number_value(v) >= 0 && json_number_value(v) <= 10000)
        result = (bp_len)lround(json_number_value(v) * BP_LEN_PER_PT);
    else
        bp_jr_expected(&lr->jr, "a length in points from 0 to 10000, like 12", v);
    bp_jr_pop(&lr->jr, mark);
    return result;
}

static int read_count(layout_reader *lr, json_t *obj, const char *key, int fallback)
{
    json_t *v = bp_jr_member(&lr->jr, obj, key, false, "");
    if (!v)
        return fallback;
    size_t mark = bp_jr_push_key(&lr->jr, key);
    int result = fallback;
    if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 20)
        result = (int)json_integer_value(v);
    else
        bp_jr_expected(&lr->jr, "a whole number from 0 to 20", v);
    bp_jr_pop(&lr->jr, mark);
    return result;
}

static void read_page(layout_reader *lr, json_t *root)
{
    json_t *page = bp_jr_member(&lr->jr, root, "page", true, "the page size and margins");
    if (!page)
        return;
    size_t mark = bp_jr_push_key(&lr->jr, "page");
    if (bp_jr_expect_object(&lr->jr, page, "an object with the page size and margins")) {
        static const char *const keys[] = {"width",         "height",      "margin_top",
                                           "margin_bottom", "margin_left", "margin_right"};
        bp_jr_check_keys(&lr->jr, page, keys, COUNT_OF(keys));
        bp_layout *l = lr->layout;
        l->page_width = read_points(lr, page, "width", true, 0);
        l->page_height = read_points(lr, page, "height", true, 0);
        l->margin_top = read_points(lr, page, "margin_top", true, 0);
        l->margin_bottom = read_points(lr, page, "margin_bottom", true, 0);
        l->margin_left = read_points(lr, page, "margin_left", true, 0);
        l->margin_right = read_points(lr, page, "margin_right", true, 0);
        /* PDF readers refuse pages smaller than 3 pt (ISO 32000-1, C.2): refused here, where
         * the mistake is, not when the first unit is written. */
        if (l->page_width < BP_PT(3) || l->page_height < BP_PT(3))
            bp_jr_report(&lr->jr, "a page is at least 3 pt wide and high");
        else if (l->margin_left + l->margin_right >= l->page_width ||
                 l->margin_top + l->margin_bottom >= l->page_height)
            bp_jr_report(&lr->jr, "the margins leave no room on the page");
    }
    bp_jr_pop(&lr->jr, mark);
}

/* Resolves one catalog key into a face spec. */
static void resolve_font(layout_reader *lr, json_t *key, bp_face_spec *face)
{
    const char *name = json_string_value(key);
    json_t *entry = name ? json_object_get(lr->catalog, name) : NULL;
    if (!entry) {
        bp_strbuf known = BP_STRBUF_INIT;
        const char *k;
        json_t *v;
        const char *separator = "";
        bp_strbuf_puts(&known, "a key of fonts/fonts.json (");
        json_object_foreach(lr->catalog, k, v)
        {
            bp_strbuf_printf(&known, "%s%s", separator, k);
            separator = ", ";
        }
        bp_strbuf_putc(&known, ')');
        bp_jr_expected(&lr->jr, bp_strbuf_cstr(&known), key);
        bp_strbuf_free(&known);
        return;
    }
    json_t *path = json_object_get(entry, "path");
    json_t *index = json_object_get(entry, "index");
    json_t *size = json_object_get(entry, "size");
    json_t *head = json_object_get(entry, "head_sha256");
    if (!json_is_string(path) || !json_is_integer(index) || !json_is_integer(size) ||
        !json_is_string(head)) {
        bp_jr_report(&lr->jr,
                     "fonts/fonts.json entry \"%s\" lacks path, index, size or "
                     "head_sha256",
                     name);
        return;
    }
    face->path = copy_string(lr, json_string_value(path));
    face->index = (unsigned)json_integer_value(index);
    face->size = (long long)json_integer_value(size);
    face->head_sha256 = copy_string(lr, json_string_value(head));
}

/* A list of 1 to 4 catalog keys, primary first, into faces; returns how many. */
static int read_face_list(layout_reader *lr, json_t *list, bp_face_spec *faces)
{
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    if (n < 1 || n > BP_MAX_FACES_PER_ROLE) {
        bp_jr_expected(&lr->jr, "a list of 1 to 4 font keys, like [\"noto-serif-sc\"]", list);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        size_t im = bp_jr_push_index(&lr->jr, i);
        resolve_font(lr, json_array_get(list, i), &faces[i]);
        bp_jr_pop(&lr->jr, im);
    }
    return (int)n;
}

/* One role: a list of keys (regular faces only), or an object with the regular faces, the bold
 * ones (else bold is drawn as a fake bold) and the OpenType features its text is shaped with. */
static void read_role_fonts(layout_reader *lr, json_t *v, bp_font_role role)
{
    bp_fontset_spec *spec = &lr->layout->fonts;
    if (!json_is_object(v)) {
        spec->face_count[role] = read_face_list(lr, v, spec->faces[role]);
        return;
    }
    static const char *const keys[] = {"regular", "bold", "features"};
    bp_jr_check_keys(&lr->jr, v, keys, COUNT_OF(keys));
    json_t *regular = bp_jr_member(&lr->jr, v, "regular", true, "a list of font keys");
    json_t *bold = bp_jr_member(&lr->jr, v, "bold", false, "");
    json_t *features = bp_jr_member(&lr->jr, v, "features", false, "");
    size_t mark = bp_jr_push_key(&lr->jr, "regular");
    if (regular)
        spec->face_count[role] = read_face_list(lr, regular, spec->faces[role]);
    bp_jr_pop(&lr->jr, mark);
    mark = bp_jr_push_key(&lr->jr, "bold");
    if (bold)
        spec->bold_count[role] = read_face_list(lr, bold, spec->bold[role]);
    bp_jr_pop(&lr->jr, mark);
    mark = bp_jr_push_key(&lr->jr, "features");
    if (features && !json_is_string(features))
        bp_jr_expected(&lr->jr, "OpenType features separated by commas, like \"hwid\"", features);
    else if (features)
        spec->features[role] = copy_string(lr, json_string_value(features));
    bp_jr_pop(&lr->jr, mark);
}

static void read_fonts(layout_reader *lr, json_t *root)
{
    json_t *fonts = bp_jr_member(&lr->jr, root, "fonts", true, "the fonts of each role");
    if (!fonts)
        return;
    size_t mark = bp_jr_push_key(&lr->jr, "fonts");
    if (bp_jr_expect_object(&lr->jr, fonts, "an object of font lists by role")) {
        const char *roles[BP_ROLE__COUNT];
        for (int r = 0; r < BP_ROLE__COUNT; r++)
            roles[r] = bp_font_role_key((bp_font_role)r);
        bp_jr_check_keys(&lr->jr, fonts, roles, BP_ROLE__COUNT);
        for (int r = 0; r < BP_ROLE__COUNT; r++) {
            json_t *v = bp_jr_member(&lr->jr, fonts, roles[r], true,
                                     "a list of font keys, primary first, or an object with "
                                     "\"regular\", \"bold\" and \"features\"");
            if (!v)
                continue;
            size_t rm = bp_jr_push_key(&lr->jr, roles[r]);
            read_role_fonts(lr, v, (bp_font_role)r);
            bp_jr_pop(&lr->jr, rm);
        }
    }
    bp_jr_pop(&lr->jr, mark);
}

static void read_style(layout_reader *lr, json_t *v, bp_style *style)
{
    if (!bp_jr_expect_object(&lr->jr, v, "a style object"))
        return;
    static const char *const keys[] = {"font",
                                       "size",
                                       "leading",
                                       "align",
                                       "bold",
                                       "space_before",
                                       "space_after",
                                       "first_line_indent",
                                       "no_lone_last_char"};
    bp_jr_check_keys(&lr->jr, v, keys, COUNT_OF(keys));
    json_t *font = bp_jr_member(&lr->jr, v, "font", true, "a font role");
    if (font) {
        const char *roles[BP_ROLE__COUNT];
        for (int r = 0; r < BP_ROLE__COUNT; r++)
            roles[r] = bp_font_role_key((bp_font_role)r);
        size_t mark = bp_jr_push_key(&lr->jr, "font");
        int role = bp_jr_choice(&lr->jr, font, roles, BP_ROLE__COUNT);
        style->role = role >= 0 ? (bp_font_role)role : BP_ROLE_BODY;
        bp_jr_pop(&lr->jr, mark);
    }
    style->size = read_points(lr, v, "size", true, BP_PT(12));
    style->leading = read_points(lr, v, "leading", true, style->size * 3 / 2);
    style->space_before = read_points(lr, v, "space_before", false, 0);
    style->space_after = read_points(lr, v, "space_after", false, 0);
    style->first_line_indent = read_points(lr, v, "first_line_indent", false, 0);
    style->align = BP_ALIGN_LEFT;
    json_t *align = bp_jr_member(&lr->jr, v, "align", false, "");
    if (align) {
        static const char *const aligns[] = {"left", "center", "right", "justify"};
        size_t mark = bp_jr_push_key(&lr->jr, "align");
        int a = bp_jr_choice(&lr->jr, align, aligns, COUNT_OF(aligns));
        style->align = a >= 0 ? (bp_align)a : BP_ALIGN_LEFT;
        bp_jr_pop(&lr->jr, mark);
    }
    style->bold = bp_jr_flag(&lr->jr, v, "bold", false);
    style->no_lone_last = bp_jr_flag(&lr->jr, v, "no_lone_last_char", false);
    if (style->size > 0 && style->leading < style->size)
        bp_jr_report(&lr->jr, "leading is smaller than the font size: lines would overlap");
}

static bp_style_id front_matter_default(int style)
{
    switch (style) {
    case BP_STYLE_COVER:
        return BP_STYLE_TITLE;
    case BP_STYLE_TOC_TITLE:
        return BP_STYLE_SUBTITLE;
    case BP_STYLE_TOC_GROUP:
        return BP_STYLE_HEADING2;
    default:
        return BP_STYLE_BODY;
    }
}

static void read_styles(layout_reader *lr, json_t *root)
{
    json_t *styles = bp_jr_member(&lr->jr, root, "styles", true, "the paragraph styles");
    if (!styles)
        return;
    size_t mark = bp_jr_push_key(&lr->jr, "styles");
    if (bp_jr_expect_object(&lr->jr, styles, "an object of styles by name")) {
        bp_jr_check_keys(&lr->jr, styles, style_keys, BP_STYLE__COUNT);
        for (int s = 0; s < BP_STYLE__COUNT; s++) {
            /* The front-matter styles are optional: they default to the nearest text style. */
            bool optional = s >= BP_STYLE_COVER;
            json_t *v = bp_jr_member(&lr->jr, styles, style_keys[s], !optional, "a style object");
            if (!v && optional)
                lr->layout->styles[s] = lr->layout->styles[front_matter_default(s)];
            if (!v)
                continue;
            size_t sm = bp_jr_push_key(&lr->jr, style_keys[s]);
            read_style(lr, v, &lr->layout->styles[s]);
            bp_jr_pop(&lr->jr, sm);
        }
    }
    bp_jr_pop(&lr->jr, mark);
}

/* The cover's lines and the contents' title and groups. */
static void read_front_matter(layout_reader *lr, json_t *root)
{
    bp_layout *l = lr->layout;
    json_t *cover = bp_jr_member(&lr->jr, root, "cover", false, "");
    if (cover) {
        size_t mark = bp_jr_push_key(&lr->jr, "cover");
        if (bp_jr_expect_object(&lr->jr, cover, "an object with the cover's lines")) {
            static const char *const keys[] = {"lines", "top"};
            bp_jr_check_keys(&lr->jr, cover, keys, COUNT_OF(keys));
            json_t *lines = json_object_get(cover, "lines");
            size_t n = json_is_array(lines) ? json_array_size(lines) : 0;
            size_t lm = bp_jr_push_key(&lr->jr, "lines");
            for (size_t i = 0; i < n && i < 3; i++)
                if (json_is_string(json_array_get(lines, i))) {
                    l->cover_lines[i] =
                        copy_string(lr, json_string_value(json_array_get(lines, i)));
                    check_text(lr, NULL, i, l->cover_lines[i], PH_DOCUMENT);
                }
            bp_jr_pop(&lr->jr, lm);
            if (!json_is_array(lines) || n == 0 || n > 3)
                bp_jr_report(&lr->jr, "cover.lines: expected 1 to 3 lines of text");
            l->cover_top = read_points(lr, cover, "top", false, BP_PT(200));
        }
        bp_jr_pop(&lr->jr, mark);
    }
    json_t *contents = bp_jr_member(&lr->jr, root, "contents", false, "");
    if (contents) {
        size_t mark = bp_jr_push_key(&lr->jr, "contents");
        if (bp_jr_expect_object(&lr->jr, contents, "an object with the contents' title")) {
            static const char *const keys[] = {"title", "groups"};
            bp_jr_check_keys(&lr->jr, contents, keys, COUNT_OF(keys));
            l->contents_title = read_optional_string(lr, contents, "title");
            check_text(lr, "title", 0, l->contents_title, PH_DOCUMENT);
            json_t *groups = json_object_get(contents, "groups");
            if (l->kind) {
                if (groups)
                    bp_jr_report(&lr->jr, "groups: a kind's contents are grouped by the parts of "
                                          "its \"document\", under their titles; leave them out");
            } else if (json_is_array(groups) && json_array_size(groups) == 2 &&
                       json_is_string(json_array_get(groups, 0)) &&
                       json_is_string(json_array_get(groups, 1))) {
                size_t gm = bp_jr_push_key(&lr->jr, "groups");
                for (size_t i = 0; i < 2; i++) {
                    l->contents_groups[i] =
                        copy_string(lr, json_string_value(json_array_get(groups, i)));
                    check_text(lr, NULL, i, l->contents_groups[i], PH_DOCUMENT);
                }
                bp_jr_pop(&lr->jr, gm);
            } else {
                bp_jr_report(&lr->jr, "groups: expected two group titles, tables then the "
                                      "explanatory part");
            }
        }
        bp_jr_pop(&lr->jr, mark);
    }
}

/* "metadata": the PDF's title, subject and keywords. */
static void read_metadata(layout_reader *lr, json_t *root)
{
    json_t *v = bp_jr_member(&lr->jr, root, "metadata", false, "");
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&lr->jr, "metadata");
    if (bp_jr_expect_object(&lr->jr, v, "an object with \"title\", \"subject\", \"keywords\"")) {
        static const char *const keys[] = {"title", "subject", "keywords"};
        bp_jr_check_keys(&lr->jr, v, keys, COUNT_OF(keys));
        bp_layout *l = lr->layout;
        l->meta_title = read_optional_string(lr, v, "title");
        l->meta_subject = read_optional_string(lr, v, "subject");
        l->meta_keywords = read_optional_string(lr, v, "keywords");
        check_text(lr, "title", 0, l->meta_title, PH_DOCUMENT);
        check_text(lr, "subject", 0, l->meta_subject, PH_DOCUMENT);
        check_text(lr, "keywords", 0, l->meta_keywords, PH_DOCUMENT);
    }
    bp_jr_pop(&lr->jr, mark);
}

static void read_folio(layout_reader *lr, json_t *root)
{
    lr->layout->folio_format = "{page}";
    lr->layout->count_front_matter = true;
    lr->layout->folio_baseline = lr->layout->margin_bottom / 2;
    json_t *folio = bp_jr_member(&lr->jr, root, "folio", false, "");
    if (!folio)
        return;
    size_t mark = bp_jr_push_key(&lr->jr, "folio");
    if (bp_jr_expect_object(&lr->jr, folio, "an object with the folio format")) {
        static const char *const keys[] = {"format", "baseline_from_bottom", "count_front_matter"};
        bp_jr_check_keys(&lr->jr, folio, keys, COUNT_OF(keys));
        lr->layout->count_front_matter = read_flag(lr, folio, "count_front_matter", true);
        json_t *format = bp_jr_member(&lr->jr, folio, "format", true, "a format with {page}");
        if (format) {
            size_t fm = bp_jr_push_key(&lr->jr, "format");
            if (json_is_string(format) && strstr(json_string_value(format), "{page}")) {
                lr->layout->folio_format = copy_string(lr, json_string_value(format));
                layout_check_placeholders(&lr->jr, json_string_value(format), PH_FOLIO);
            } else
                bp_jr_expected(&lr->jr, "text with {page} in it, like \"— {page} —\"", format);
            bp_jr_pop(&lr->jr, fm);
        }
        lr->layout->folio_baseline =
            read_points(lr, folio, "baseline_from_bottom", false, lr->layout->folio_baseline);
    }
    bp_jr_pop(&lr->jr, mark);
}

static void read_keep(layout_reader *lr, json_t *root)
{
    bp_layout *l = lr->layout;
    l->orphans = 2;
    l->widows = 2;
    l->heading_keep_lines = 2;
    json_t *keep = bp_jr_member(&lr->jr, root, "keep", false, "");
    if (!keep)
        return;
    size_t mark = bp_jr_push_key(&lr->jr, "keep");
    if (bp_jr_expect_object(&lr->jr, keep, "an object of keep rules")) {
        static const char *const keys[] = {"orphans", "widows", "heading_with_lines"};
        bp_jr_check_keys(&lr->jr, keep, keys, COUNT_OF(keys));
        l->orphans = read_count(lr, keep, "orphans", l->orphans);
        l->widows = read_count(lr, keep, "widows", l->widows);
        l->heading_keep_lines = read_count(lr, keep, "heading_with_lines", l->heading_keep_lines);
    }
    bp_jr_pop(&lr->jr, mark);
}

/* ---- Table definitions ---- */

static const char *read_optional_string(layout_reader *lr, json_t *obj, const char *key)
{
    json_t *v = bp_jr_member(&lr->jr, obj, key, false, "");
    if (!v)
        return NULL;
    if (json_is_string(v))
        return copy_string(lr, json_string_value(v));
    size_t mark = bp_jr_push_key(&lr->jr, key);
    bp_jr_expected(&lr->jr, "text", v);
    bp_jr_pop(&lr->jr, mark);
    return NULL;
}

static bool read_flag(layout_reader *lr, json_t *obj, const char *key, bool fallback)
{
    return bp_jr_flag(&lr->jr, obj, key, fallback);
}

/* A column width: points (fixed), "*" or "2*" (a share of what is left), or
 * {"min": 40, "max": 120} (the widest content within bounds). */
static void read_width(layout_reader *lr, json_t *v, tdef_node *node)
{
    const char *what = "a width: points like 56, a share like \"*\" or \"2*\", "
                       "{\"min\": 40, \"max\": 120}, or a share with a minimum like "
                       "{\"share\": \"*\", \"min\": 96}";
    if (json_is_number(v) && json_number_value(v) > 0 && json_number_value(v) < 2000) {
        node->width_kind = TBL_WIDTH_FIXED;
        node->fixed = (bp_len)lround(json_number_value(v) * BP_LEN_PER_PT);
    } else if (json_is_string(v)) {
        const char *text = json_string_value(v);
        char *end = NULL;
        long share = strcmp(text, "*") == 0 ? 1 : strtol(text, &end, 10);
        if (share < 1 || share > 100 || (end && strcmp(end, "*") != 0))
            bp_jr_expected(&lr->jr, what, v);
        node->width_kind = TBL_WIDTH_SHARE;
        node->share = (int)share;
    } else if (json_is_object(v) && json_object_get(v, "share")) {
        /* A text column that takes a share, never narrower than its minimum. */
        static const char *const keys[] = {"share", "min"};
        bp_jr_check_keys(&lr->jr, v, keys, COUNT_OF(keys));
        size_t mark = bp_jr_push_key(&lr->jr, "share");
        read_width(lr, json_object_get(v, "share"), node);
        bp_jr_pop(&lr->jr, mark);
        if (node->width_kind != TBL_WIDTH_SHARE)
            bp_jr_expected(&lr->jr, "a share like \"*\" or \"2*\"", json_object_get(v, "share"));
        node->width_kind = TBL_WIDTH_SHARE;
        node->min = read_points(lr, v, "min", true, 0);
    } else if (json_is_object(v)) {
        static const char *const keys[] = {"min", "max"};
        bp_jr_check_keys(&lr->jr, v, keys, COUNT_OF(keys));
        node->width_kind = TBL_WIDTH_AUTO;
        node->min = read_points(lr, v, "min", true, 0);
        node->max = read_points(lr, v, "max", true, 0);
        if (node->max < node->min)
            bp_jr_report(&lr->jr, "max is smaller than min");
    } else {
        bp_jr_expected(&lr->jr, what, v);
    }
}

static void read_column_node(layout_reader *lr, json_t *v, tdef_node *node);

static void read_column_nodes(layout_reader *lr, json_t *obj, const char *key, tdef_node **nodes,
                              size_t *count)
{
    json_t *list = bp_jr_member(&lr->jr, obj, key, true, "a list of columns");
    if (!list)
        return;
    size_t mark = bp_jr_push_key(&lr->jr, key);
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    if (n == 0)
        bp_jr_expected(&lr->jr, "a non-empty list of columns", list);
    *nodes = n ? bp_arena_array(lr->layout->arena, n, sizeof **nodes) : NULL;
    if (n && !*nodes)
        lr->jr.out_of_memory = true;
    for (size_t i = 0; *nodes && i < n; i++) {
        size_t im = bp_jr_push_index(&lr->jr, i);
        read_column_node(lr, json_array_get(list, i), &(*nodes)[i]);
        bp_jr_pop(&lr->jr, im);
    }
    *count = *nodes ? n : 0;
    bp_jr_pop(&lr->jr, mark);
}

static void read_column_node(layout_reader *lr, json_t *v, tdef_node *node)
{
    node->align = -1;
    if (!bp_jr_expect_object(&lr->jr, v,
                             "a column: {\"label\", \"bind\", \"width\"} or "
                             "{\"label\", \"children\"}"))
        return;
    static const char *const keys[] = {"label", "bind", "width", "align", "children"};
    bp_jr_check_keys(&lr->jr, v, keys, COUNT_OF(keys));
    node->label = read_optional_string(lr, v, "label");
    check_text(lr, "label", 0, node->label, lr->placeholders);
    if (!node->label)
        node->label = "";
    if (json_object_get(v, "children")) {
        read_column_nodes(lr, v, "children", &node->children, &node->child_count);
        return;
    }
    json_t *bind = bp_jr_member(&lr->jr, v, "bind", true, "what the column shows");
    node->bind = bind && json_is_string(bind) ? copy_string(lr, json_string_value(bind)) : NULL;
    json_t *width = bp_jr_member(&lr->jr, v, "width", true, "a width");
    if (width) {
        size_t mark = bp_jr_push_key(&lr->jr, "width");
        read_width(lr, width, node);
        bp_jr_pop(&lr->jr, mark);
    }
    json_t *align = bp_jr_member(&lr->jr, v, "align", false, "");
    if (align) {
        static const char *const aligns[] = {"left", "center", "right"};
        size_t mark = bp_jr_push_key(&lr->jr, "align");
        node->align = bp_jr_choice(&lr->jr, align, aligns, COUNT_OF(aligns));
        bp_jr_pop(&lr->jr, mark);
    }
}

static void read_label_pair(layout_reader *lr, json_t *labels, const char *key, const char *out[2])
{
    json_t *v = bp_jr_member(&lr->jr, labels, key, false, "");
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&lr->jr, key);
    if (json_is_array(v) && json_array_size(v) == 2 && json_is_string(json_array_get(v, 0)) &&
        json_is_string(json_array_get(v, 1))) {
        out[0] = copy_string(lr, json_string_value(json_array_get(v, 0)));
        out[1] = copy_string(lr, json_string_value(json_array_get(v, 1)));
        check_text(lr, NULL, 0, out[0], lr->placeholders);
        check_text(lr, NULL, 1, out[1], lr->placeholders);
    } else {
        bp_jr_expected(&lr->jr, "two labels, income side then expense side", v);
    }
    bp_jr_pop(&lr->jr, mark);
}

static void read_banner(layout_reader *lr, json_t *v, tdef_table *t)
{
    json_t *banner = bp_jr_member(&lr->jr, v, "banner", false, "");
    if (!banner)
        return;
    size_t mark = bp_jr_push_key(&lr->jr, "banner");
    if (bp_jr_expect_object(&lr->jr, banner, "an object with left, center and right")) {
        static const char *const keys[] = {"left", "center", "right"};
        bp_jr_check_keys(&lr->jr, banner, keys, COUNT_OF(keys));
        for (int i = 0; i < 3; i++) {
            t->banner[i] = read_optional_string(lr, banner, keys[i]);
            check_text(lr, keys[i], 0, t->banner[i], lr->placeholders);
        }
    }
    bp_jr_pop(&lr->jr, mark);
}

/* ---- What a column may show ---- */

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

static bool is_column_of(const bp_columns *columns, const char *key)
{
    for (int i = 0; columns && i < columns->count; i++)
        if (strcmp(key, bp_column_key(columns->ids[i])) == 0)
            return true;
    return false;
}

/* Whether a table of the kind can show `bind`: 序号, its code (whole, or 类 | 款 | 项), its
 * name, a column of the kind; a lines table's "side.name", "side.code", "side.column". */
static bool kind_bind_allowed(const bp_kind_table *t, const char *bind)
{
    static const char *const row_fields[] = {"name", "code", "code_class", "code_item",
                                             "code_subitem"};
    if (strcmp(bind, "seq") == 0)
        return true;
    if (t->rows == BP_ROWS_LINES) {
        const char *dot = strchr(bind, '.');
        for (size_t s = 0; dot && s < t->side_count; s++) {
            const bp_kind_side *side = &t->sides[s];
            if (strlen(side->key) != (size_t)(dot - bind) || strncmp(bind, side->key, dot - bind))
                continue;
            return in_list(dot + 1, row_fields, COUNT_OF(row_fields)) ||
                   bp_kind_column_index(side->columns, side->column_count, dot + 1) >= 0;
        }
        return false;
    }
    if (in_list(bind, row_fields, COUNT_OF(row_fields)))
        return strcmp(bind, "name") == 0 || t->codes != BP_KIND_CODES_NONE;
    return bp_kind_column_index(t->columns, t->column_count, bind) >= 0;
}

/* Whether a table of this key can show `bind`: a binding the builders do not know would print
 * an empty column without a word, so the layout is refused instead. */
static bool bind_allowed(const char *table, const char *bind)
{
    static const char *const organisations[] = {"seq",   "name",    "nature",
                                                "level", "funding", "note"};
    static const char *const project[] = {"level1",      "level2", "level3",
                                          "description", "value",  "basis"};
    static const char *const procurement[] = {
        "project",         "project_budget", "item",
        "catalogue_code",  "measure_unit",   "quantity",
        "unit_price",      "sme_reserve",    "total",
        "general_budget",  "gov_fund",       "state_capital",
        "special_account", "unit_funds",     "fiscal_carryover"};
    static const char *const assets[] = {"name", "quantity", "value"};
    if (strcmp(table, "organisations") == 0)
        return in_list(bind, organisations, COUNT_OF(organisations));
    if (strcmp(table, "project") == 0)
        return in_list(bind, project, COUNT_OF(project));
    if (strcmp(table, "procurement") == 0)
        return in_list(bind, procurement, COUNT_OF(procurement));
    if (strcmp(table, "assets") == 0)
        return in_list(bind, assets, COUNT_OF(assets));
    for (int id = 0; id < BP_TABLE__COUNT; id++) {
        const bp_table_spec *spec = bp_table_spec_get((bp_table_id)id);
        if (strcmp(table, spec->key) != 0)
            continue;
        if (strcmp(bind, "seq") == 0)
            return true;
        if (spec->shape == BP_SHAPE_TWO_SIDED) {
            bool income = strncmp(bind, "income.", 7) == 0;
            bool expense = strncmp(bind, "expense.", 8) == 0;
            const char *what = income ? bind + 7 : expense ? bind + 8 : NULL;
            return what && (strcmp(what, "name") == 0 ||
                            is_column_of(income ? spec->columns : spec->expense_columns, what));
        }
        if (strcmp(bind, "name") == 0)
            return true;
        if (strcmp(bind, "code") == 0)
            return spec->shape == BP_SHAPE_LEDGER;
        return is_column_of(spec->columns, bind);
    }
    return false;
}

/* The tables of the explanatory part, beside the nine standard ones. */
static const char *const part_tables[] = {"organisations", "project", "procurement", "assets"};

static bool table_key_known(const layout_reader *lr, const char *key)
{
    if (bp_kind_table_find(lr->layout->kind, key))
        return true;
    const char *const *extra = part_tables;
    for (int id = 0; id < BP_TABLE__COUNT; id++)
        if (strcmp(key, bp_table_spec_get((bp_table_id)id)->key) == 0)
            return true;
    return in_list(key, extra, COUNT_OF(part_tables));
}

/* Every table the document may print needs a definition: a missing one is the layout's
 * mistake, found before any unit is typeset (not once per unit). */
static void check_every_table_defined(layout_reader *lr, const struct bp_table_defs *defs)
{
    const bp_kind *kind = lr->layout->kind;
    if (kind) { /* the kind's tables, and the explanatory part's where the kind prints them */
        for (size_t i = 0; i < kind->table_count; i++)
            if (!tdef_find(defs, kind->tables[i].id))
                bp_jr_report(&lr->jr,
                             "no definition of the table \"%s\" (%s); every table the "
                             "document prints needs one",
                             kind->tables[i].id, kind->tables[i].title);
        return;
    }
    for (int id = 0; id < BP_TABLE__COUNT; id++) {
        const bp_table_spec *spec = bp_table_spec_get((bp_table_id)id);
        if (!tdef_find(defs, spec->key))
            bp_jr_report(&lr->jr,
                         "no definition of the table \"%s\" (%s); every table the "
                         "document prints needs one",
                         spec->key, spec->title);
    }
    for (size_t i = 0; i < COUNT_OF(part_tables); i++)
        if (!tdef_find(defs, part_tables[i]))
            bp_jr_report(&lr->jr,
                         "no definition of the table \"%s\"; every table the document "
                         "prints needs one",
                         part_tables[i]);
}

static void check_binds(layout_reader *lr, const tdef_table *table, const tdef_node *nodes,
                        size_t count)
{
    for (size_t i = 0; i < count; i++) {
        size_t mark = bp_jr_push_index(&lr->jr, i);
        if (nodes[i].child_count) {
            size_t cm = bp_jr_push_key(&lr->jr, "children");
            check_binds(lr, table, nodes[i].children, nodes[i].child_count);
            bp_jr_pop(&lr->jr, cm);
        } else if (nodes[i].bind && !(table->spec ? kind_bind_allowed(table->spec, nodes[i].bind)
                                                  : bind_allowed(table->key, nodes[i].bind))) {
            size_t bm = bp_jr_push_key(&lr->jr, "bind");
            bp_jr_report(&lr->jr,
                         "the table \"%s\" has nothing called \"%s\" to show "
                         "(see docs/layouts.md, Bindings)",
                         table->key, nodes[i].bind);
            bp_jr_pop(&lr->jr, bm);
        }
        bp_jr_pop(&lr->jr, mark);
    }
}

/* "repeat": what a continuation page prints again, among title, banner and header. */
static unsigned read_repeat(layout_reader *lr, json_t *v)
{
    json_t *list = bp_jr_member(&lr->jr, v, "repeat", false, "");
    if (!list)
        return TBL_REPEAT_BANNER | TBL_REPEAT_HEADER;
    size_t mark = bp_jr_push_key(&lr->jr, "repeat");
    static const char *const parts[] = {"title", "banner", "header"};
    unsigned repeat = 0;
    if (!json_is_array(list))
        bp_jr_expected(&lr->jr, "a list among \"title\", \"banner\", \"header\"", list);
    for (size_t i = 0; json_is_array(list) && i < json_array_size(list); i++) {
        size_t im = bp_jr_push_index(&lr->jr, i);
        int part = bp_jr_choice(&lr->jr, json_array_get(list, i), parts, COUNT_OF(parts));
        if (part >= 0)
            repeat |= 1u << part;
        bp_jr_pop(&lr->jr, im);
    }
    bp_jr_pop(&lr->jr, mark);
    return repeat;
}

/* "omit_blank": the sides of a lines table that print only the lines holding a figure (the
 * expense side listing only the 类 the department has). */
static unsigned read_omit_blank(layout_reader *lr, json_t *v, const bp_kind_table *spec)
{
    json_t *list = bp_jr_member(&lr->jr, v, "omit_blank", false, "");
    if (!list)
        return 0;
    size_t mark = bp_jr_push_key(&lr->jr, "omit_blank");
    unsigned sides = 0;
    if (!spec || spec->rows != BP_ROWS_LINES || !json_is_array(list))
        bp_jr_report(&lr->jr, "only a lines table of the kind omits blank lines, as a list of its "
                              "sides");
    for (size_t i = 0; spec && json_is_array(list) && i < json_array_size(list); i++) {
        json_t *side = json_array_get(list, i);
        int s = json_is_string(side) ? bp_kind_side_index(spec, json_string_value(side)) : -1;
        size_t im = bp_jr_push_index(&lr->jr, i);
        if (s < 0)
            bp_jr_expected(&lr->jr, "a side of the table", side);
        else
            sides |= 1u << s;
        bp_jr_pop(&lr->jr, im);
    }
    bp_jr_pop(&lr->jr, mark);
    return sides;
}

static void read_table_def(layout_reader *lr, const char *key, json_t *v, tdef_table *t)
{
    t->spec = bp_kind_table_find(lr->layout->kind, key);
    if (!table_key_known(lr, key))
        bp_jr_report(&lr->jr, lr->layout->kind
                                  ? "unknown table (the tables of the kind, or organisations, "
                                    "project, procurement, assets)"
                                  : "unknown table (the nine standard tables by their model "
                                    "keys, or organisations, project, procurement, assets)");
    t->key = copy_string(lr, key);
    lr->placeholders = layout_table_placeholders(key);
    if (!bp_jr_expect_object(&lr->jr, v, "a table definition"))
        return;
    static const char *const keys[] = {
        "title",          "orientation", "banner",      "columns",    "column_numbers",
        "line_numbering", "labels",      "total_label", "lead_label", "page_break_before",
        "thousands",      "total_row",   "repeat",      "empty_note", "note_prefix",
        "omit_blank",     "continued"};
    bp_jr_check_keys(&lr->jr, v, keys, COUNT_OF(keys));
    t->title = read_optional_string(lr, v, "title");
    check_text(lr, "title", 0, t->title, lr->placeholders);
    json_t *orientation = bp_jr_member(&lr->jr, v, "orientation", false, "");
    if (orientation) {
        static const char *const choices[] = {"portrait", "landscape", "auto"};
        size_t mark = bp_jr_push_key(&lr->jr, "orientation");
        int choice = bp_jr_choice(&lr->jr, orientation, choices, 3);
        t->landscape = choice == 1;
        t->may_turn = choice == 2;
        bp_jr_pop(&lr->jr, mark);
    }
    read_banner(lr, v, t);
    read_column_nodes(lr, v, "columns", &t->columns, &t->column_count);
    size_t cm = bp_jr_push_key(&lr->jr, "columns");
    check_binds(lr, t, t->columns, t->column_count);
    bp_jr_pop(&lr->jr, cm);
    t->column_numbers = read_flag(lr, v, "column_numbers", false);
    t->line_numbering = read_optional_string(lr, v, "line_numbering");
    json_t *labels = bp_jr_member(&lr->jr, v, "labels", false, "");
    if (labels) {
        size_t mark = bp_jr_push_key(&lr->jr, "labels");
        if (bp_jr_expect_object(&lr->jr, labels, "an object of total labels")) {
            static const char *const label_keys[] = {"year_total", "carryover", "grand_total"};
            bp_jr_check_keys(&lr->jr, labels, label_keys, COUNT_OF(label_keys));
            for (int i = 0; i < TDEF_LABEL__COUNT; i++)
                read_label_pair(lr, labels, label_keys[i], t->labels[i]);
        }
        bp_jr_pop(&lr->jr, mark);
    }
    t->total_label = read_optional_string(lr, v, "total_label");
    t->lead_label = read_optional_string(lr, v, "lead_label");
    check_text(lr, "total_label", 0, t->total_label, lr->placeholders);
    check_text(lr, "lead_label", 0, t->lead_label, lr->placeholders);
    t->page_break_before = read_flag(lr, v, "page_break_before", true);
    if (t->may_turn && !t->page_break_before)
        bp_jr_report(&lr->jr, "orientation \"auto\" turns the table's first page, so the table "
                              "starts a page of its own: page_break_before cannot be false");
    t->thousands = read_flag(lr, v, "thousands", false);
    json_t *total_row = bp_jr_member(&lr->jr, v, "total_row", false, "");
    if (total_row) {
        static const char *const places[] = {"first", "last", "none"};
        size_t mark = bp_jr_push_key(&lr->jr, "total_row");
        int place = bp_jr_choice(&lr->jr, total_row, places, COUNT_OF(places));
        t->total_row = place >= 0 ? place : TDEF_TOTAL_FIRST;
        bp_jr_pop(&lr->jr, mark);
    }
    t->repeat = read_repeat(lr, v);
    t->note_prefix = read_optional_string(lr, v, "note_prefix");
    t->continued = read_optional_string(lr, v, "continued");
    check_text(lr, "continued", 0, t->continued, lr->placeholders);
    t->omit_blank = read_omit_blank(lr, v, t->spec);
    t->empty_note = read_optional_string(lr, v, "empty_note");
    check_text(lr, "empty_note", 0, t->empty_note, lr->placeholders | 1u << PH_TITLE);
}

static void read_table_style(layout_reader *lr, json_t *root, tbl_style *st)
{
    json_t *v = bp_jr_member(&lr->jr, root, "table_style", true, "the sizes of table text");
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&lr->jr, "table_style");
    if (bp_jr_expect_object(&lr->jr, v, "an object of table sizes")) {
        static const char *const keys[] = {"title_size",           "title_space", "banner_size",
                                           "banner_space",         "cell_size",   "min_cell_size",
                                           "cell_leading",         "pad_x",       "pad_y",
                                           "rule_width",           "note_size",   "space_after",
                                           "min_rows_after_header"};
        bp_jr_check_keys(&lr->jr, v, keys, COUNT_OF(keys));
        st->title_size = read_points(lr, v, "title_size", true, BP_PT(16));
        st->title_space = read_points(lr, v, "title_space", false, BP_PT(8));
        st->banner_size = read_points(lr, v, "banner_size", true, BP_PT(10));
        st->banner_space = read_points(lr, v, "banner_space", false, BP_PT(4));
        st->cell_size = read_points(lr, v, "cell_size", true, BP_PT(10));
        st->cell_leading = read_points(lr, v, "cell_leading", true, BP_PT(13));
        /* By default a table whose amounts would not fit may be set at 80% of its size. */
        st->min_cell_size = read_points(lr, v, "min_cell_size", false, st->cell_size * 4 / 5);
        if (st->min_cell_size > st->cell_size || st->min_cell_size <= 0)
            bp_jr_report(&lr->jr, "min_cell_size must be above 0 and at most cell_size");
        st->pad_x = read_points(lr, v, "pad_x", false, BP_PT(3));
        st->pad_y = read_points(lr, v, "pad_y", false, BP_PT(3));
        st->rule_width = read_points(lr, v, "rule_width", false, BP_PT(0.5));
        st->note_size = read_points(lr, v, "note_size", false, st->cell_size);
        st->space_after = read_points(lr, v, "space_after", false, BP_PT(12));
        st->min_rows_after_header = read_count(lr, v, "min_rows_after_header", 2);
        if (st->min_rows_after_header < 1)
            st->min_rows_after_header = 1;
        if (st->cell_leading < st->cell_size)
            bp_jr_report(&lr->jr, "cell_leading is smaller than cell_size: lines would overlap");
    }
    bp_jr_pop(&lr->jr, mark);
}

static void read_tables(layout_reader *lr, json_t *root)
{
    struct bp_table_defs *defs = bp_arena_alloc(lr->layout->arena, sizeof *defs);
    if (!defs) {
        lr->jr.out_of_memory = true;
        return;
    }
    lr->layout->tables = defs;
    read_table_style(lr, root, &defs->style);
    json_t *parts = bp_jr_member(&lr->jr, root, "parts", false, "");
    if (parts && json_is_object(parts)) {
        size_t mark = bp_jr_push_key(&lr->jr, "parts");
        static const char *const keys[] = {"tables_title", "explanation_title"};
        bp_jr_check_keys(&lr->jr, parts, keys, COUNT_OF(keys));
        defs->tables_title = read_optional_string(lr, parts, "tables_title");
        defs->explanation_title = read_optional_string(lr, parts, "explanation_title");
        check_text(lr, "tables_title", 0, defs->tables_title, PH_DOCUMENT);
        check_text(lr, "explanation_title", 0, defs->explanation_title, PH_DOCUMENT);
        bp_jr_pop(&lr->jr, mark);
    }
    json_t *tables = bp_jr_member(&lr->jr, root, "tables", true, "the table definitions");
    if (!tables)
        return;
    size_t mark = bp_jr_push_key(&lr->jr, "tables");
    if (bp_jr_expect_object(&lr->jr, tables, "an object of table definitions by key")) {
        size_t n = json_object_size(tables);
        defs->tables = bp_arena_array(lr->layout->arena, n, sizeof *defs->tables);
        const char *key;
        json_t *v;
        json_object_foreach(tables, key, v)
        {
            if (!defs->tables)
                break;
            size_t km = bp_jr_push_key(&lr->jr, key);
            read_table_def(lr, key, v, &defs->tables[defs->count++]);
            bp_jr_pop(&lr->jr, km);
        }
        check_every_table_defined(lr, defs);
    }
    bp_jr_pop(&lr->jr, mark);
}

const tdef_table *tdef_find(const struct bp_table_defs *defs, const char *key)
{
    for (size_t i = 0; defs && i < defs->count; i++)
        if (strcmp(defs->tables[i].key, key) == 0)
            return &defs->tables[i];
    return NULL;
}

/* "sections": the explanatory sections by key, in printed order. */
static void read_section_order(layout_reader *lr, json_t *root)
{
    bp_layout *l = lr->layout;
    for (int i = 0; i < BP_SEC__COUNT; i++)
        l->section_order[i] = (bp_section_id)i;
    l->section_count = BP_SEC__COUNT;
    json_t *order = bp_jr_member(&lr->jr, root, "sections", false, "");
    if (!order)
        return;
    size_t mark = bp_jr_push_key(&lr->jr, "sections");
    const char *keys[BP_SEC__COUNT];
    for (int i = 0; i < BP_SEC__COUNT; i++)
        keys[i] = bp_section_key((bp_section_id)i);
    size_t n = json_is_array(order) ? json_array_size(order) : 0;
    if (!json_is_array(order) || n == 0 || n > BP_SEC__COUNT)
        bp_jr_expected(&lr->jr, "a list of section keys in printed order, like [\"duties\", …]",
                       order);
    l->section_count = 0;
    bool seen[BP_SEC__COUNT] = {false};
    for (size_t i = 0; i < n && i < BP_SEC__COUNT; i++) {
        size_t im = bp_jr_push_index(&lr->jr, i);
        int id = bp_jr_choice(&lr->jr, json_array_get(order, i), keys, BP_SEC__COUNT);
        if (id >= 0 && seen[id])
            bp_jr_report(&lr->jr, "the section \"%s\" is named twice", keys[id]);
        else if (id >= 0)
            l->section_order[l->section_count++] = (bp_section_id)id;
        if (id >= 0)
            seen[id] = true;
        bp_jr_pop(&lr->jr, im);
    }
    bp_jr_pop(&lr->jr, mark);
}

/* A part's section: a key, or {"key": …, "title": …}. */
static void read_part_section(layout_reader *lr, json_t *v, bp_layout_section *section)
{
    json_t *key = v;
    section->heading = true;
    if (json_is_object(v)) {
        static const char *const keys[] = {"key", "title", "heading"};
        bp_jr_check_keys(&lr->jr, v, keys, COUNT_OF(keys));
        section->heading = read_flag(lr, v, "heading", true);
        key = bp_jr_member(&lr->jr, v, "key", true, "the section's key in the unit");
        section->title = read_optional_string(lr, v, "title");
        check_text(lr, "title", 0, section->title, PH_DOCUMENT);
    }
    if (key && json_is_string(key) && json_string_length(key) > 0)
        section->key = copy_string(lr, json_string_value(key));
    else if (key)
        bp_jr_expected(&lr->jr,
                       "a section key like \"main_functions\", or {\"key\": …, \"title\": …}", key);
}

static void read_part(layout_reader *lr, json_t *v, bp_layout_part *part)
{
    if (!bp_jr_expect_object(&lr->jr, v,
                             "a part: {\"title\": …, \"tables\": true} or "
                             "{\"title\": …, \"sections\": […]}"))
        return;
    static const char *const keys[] = {"title",    "subtitle",  "preface", "tables",
                                       "sections", "numbering", "contents"};
    bp_jr_check_keys(&lr->jr, v, keys, COUNT_OF(keys));
    part->title = read_optional_string(lr, v, "title");
    check_text(lr, "title", 0, part->title, PH_DOCUMENT);
    part->subtitle = read_optional_string(lr, v, "subtitle");
    check_text(lr, "subtitle", 0, part->subtitle, PH_DOCUMENT);
    part->preface = read_flag(lr, v, "preface", false);
    part->contents = read_optional_string(lr, v, "contents");
    check_text(lr, "contents", 0, part->contents, PH_DOCUMENT);
    part->tables = read_flag(lr, v, "tables", false);
    json_t *numbering = bp_jr_member(&lr->jr, v, "numbering", false, "");
    part->numbering = BP_NUMBERING_CHINESE;
    if (numbering) {
        static const char *const styles[] = {"一、", "1.", "none"};
        static const bp_numbering as[] = {BP_NUMBERING_CHINESE, BP_NUMBERING_ARABIC_DOT,
                                          BP_NUMBERING_NONE};
        size_t mark = bp_jr_push_key(&lr->jr, "numbering");
        int i = bp_jr_choice(&lr->jr, numbering, styles, COUNT_OF(styles));
        part->numbering = i >= 0 ? as[i] : BP_NUMBERING_CHINESE;
        bp_jr_pop(&lr->jr, mark);
    }
    json_t *sections =
        bp_jr_member(&lr->jr, v, "sections", !part->tables, "a list of section keys");
    if (!sections)
        return;
    size_t mark = bp_jr_push_key(&lr->jr, "sections");
    if (part->tables)
        bp_jr_report(&lr->jr, "a part holds the tables or sections, not both");
    else if (!json_is_array(sections) || json_array_size(sections) == 0)
        bp_jr_expected(&lr->jr, "a list of section keys", sections);
    size_t n = json_is_array(sections) ? json_array_size(sections) : 0;
    part->sections = n ? bp_arena_array(lr->layout->arena, n, sizeof *part->sections) : NULL;
    if (n && !part->sections)
        lr->jr.out_of_memory = true;
    for (size_t i = 0; part->sections && i < n; i++) {
        size_t im = bp_jr_push_index(&lr->jr, i);
        read_part_section(lr, json_array_get(sections, i), &part->sections[part->section_count++]);
        bp_jr_pop(&lr->jr, im);
    }
    bp_jr_pop(&lr->jr, mark);
}

/* "document": the parts of a kind's document in printed order, exactly one of them the
 * tables. */
static void read_document(layout_reader *lr, json_t *root)
{
    bp_layout *l = lr->layout;
    json_t *v = bp_jr_member(&lr->jr, root, "document", l->kind != NULL,
                             "the document's parts in printed order");
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&lr->jr, "document");
    if (!l->kind)
        bp_jr_report(&lr->jr, "only a layout with a \"kind\" lists its parts");
    else if (!json_is_array(v) || json_array_size(v) == 0)
        bp_jr_expected(&lr->jr, "a list of parts", v);
    size_t n = l->kind && json_is_array(v) ? json_array_size(v) : 0;
    l->parts = n ? bp_arena_array(l->arena, n, sizeof *l->parts) : NULL;
    if (n && !l->parts)
        lr->jr.out_of_memory = true;
    size_t tables = 0;
    for (size_t i = 0; l->parts && i < n; i++) {
        size_t im = bp_jr_push_index(&lr->jr, i);
        read_part(lr, json_array_get(v, i), &l->parts[l->part_count]);
        tables += l->parts[l->part_count++].tables;
        bp_jr_pop(&lr->jr, im);
    }
    if (n && tables != 1)
        bp_jr_report(&lr->jr, "exactly one part holds the tables (\"tables\": true); found %zu",
                     tables);
    bp_jr_pop(&lr->jr, mark);
}

static void read_layout(layout_reader *lr, json_t *root)
{
    if (!bp_jr_expect_object(&lr->jr, root, "a layout object"))
        return;
    static const char *const keys[] = {
        "format", "name",  "page",  "fonts",    "styles",   "folio", "keep",     "table_style",
        "tables", "parts", "cover", "contents", "sections", "kind",  "document", "metadata"};
    bp_jr_check_keys(&lr->jr, root, keys, COUNT_OF(keys));
    json_t *format = bp_jr_member(&lr->jr, root, "format", true, "\"" LAYOUT_FORMAT "\"");
    if (format) {
        static const char *const formats[] = {LAYOUT_FORMAT};
        size_t mark = bp_jr_push_key(&lr->jr, "format");
        bp_jr_choice(&lr->jr, format, formats, 1);
        bp_jr_pop(&lr->jr, mark);
    }
    json_t *name = bp_jr_member(&lr->jr, root, "name", false, "");
    lr->layout->name = copy_string(lr, json_is_string(name) ? json_string_value(name) : "");
    read_page(lr, root);
    read_fonts(lr, root);
    read_styles(lr, root);
    read_folio(lr, root);
    read_keep(lr, root);
    read_tables(lr, root);
    read_front_matter(lr, root);
    read_section_order(lr, root);
    read_document(lr, root);
    read_metadata(lr, root);
}

/* Reads the layout from its parsed JSON and the catalog; NULL with diagnostics on failure. */
static bp_layout *read_parsed(json_t *root, json_t *catalog, bp_kind *kind, bp_sha256_state *digest,
                              const char *name, bp_diags *diags)
{
    bp_arena *arena = bp_arena_create();
    bp_layout *layout = arena ? bp_arena_alloc(arena, sizeof *layout) : NULL;
    if (!layout) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, name, 0, 0, NULL, "out of memory");
        bp_arena_destroy(arena);
        bp_kind_destroy(kind);
        return NULL;
    }
    layout->arena = arena;
    layout->kind = kind;
    unsigned char sum[32];
    bp_sha256_final(digest, sum);
    for (int i = 0; i < 32; i++)
        snprintf(layout->digest + 2 * i, 3, "%02x", sum[i]);
    layout_reader lr = {.jr = {.diags = diags, .file = name}, .layout = layout, .catalog = catalog};
    read_layout(&lr, root);
    bool failed = lr.jr.errors > 0 || lr.jr.out_of_memory || lr.jr.path.failed;
    if (lr.jr.out_of_memory || lr.jr.path.failed)
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, name, 0, 0, NULL, "out of memory");
    bp_strbuf_free(&lr.jr.path);
    if (failed) {
        bp_layout_destroy(layout);
        return NULL;
    }
    return layout;
}

/* Reads and parses a JSON file; its bytes go into the digest. */
static json_t *parse_file(const char *path, bp_sha256_state *digest, bp_diags *diags)
{
    bp_strbuf content = BP_STRBUF_INIT;
    if (bp_jr_read_file(path, &content, diags) != 0)
        return NULL;
    bp_sha256_update(digest, content.data, content.len);
    json_t *root = bp_jr_parse(content.data, content.len, path, diags);
    bp_strbuf_free(&content);
    return root;
}

bp_layout *bp_layout_load_buffer(const char *data, size_t size, const char *name,
                                 const char *font_catalog, bp_diags *diags)
{
    bp_sha256_state digest;
    bp_sha256_init(&digest);
    json_t *catalog = parse_file(font_catalog, &digest, diags);
    bp_sha256_update(&digest, data, size);
    json_t *root = catalog ? bp_jr_parse(data, size, name, diags) : NULL;
    /* The kind is the model's part of the file (what the unit's data is): read by the model. */
    bp_kind *kind = NULL;
    bool kind_ok = root && bp_kind_load_buffer(data, size, name, &kind, diags) == 0;
    bp_layout *layout = kind_ok ? read_parsed(root, catalog, kind, &digest, name, diags) : NULL;
    json_decref(root);
    json_decref(catalog);
    return layout;
}

bp_layout *bp_layout_load_file(const char *path, const char *font_catalog, bp_diags *diags)
{
    bp_strbuf content = BP_STRBUF_INIT;
    if (bp_jr_read_file(path, &content, diags) != 0)
        return NULL;
    bp_layout *layout = bp_layout_load_buffer(content.data, content.len, path, font_catalog, diags);
    bp_strbuf_free(&content);
    return layout;
}

void bp_layout_destroy(bp_layout *layout)
{
    if (layout) {
        bp_kind_destroy(layout->kind);
        bp_arena_destroy(layout->arena);
    }
}

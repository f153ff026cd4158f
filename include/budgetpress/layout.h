/*
 * layout.h: a document layout (a file in layouts/) and typesetting a unit with it.
 *
 * A layout is data: page size and margins, the fonts of each role (keys of fonts/fonts.json),
 * paragraph styles, the folio. Typesetting turns a unit's model into a display list
 * (page.h) that a backend draws. Layouts are loaded once and shared read-only by all threads.
 */
#ifndef BUDGETPRESS_LAYOUT_H
#define BUDGETPRESS_LAYOUT_H

#include <stdbool.h>

#include "common.h"
#include "diag.h"
#include "kind.h"
#include "model.h"
#include "page.h"
#include "text.h"

typedef enum bp_align { BP_ALIGN_LEFT, BP_ALIGN_CENTER, BP_ALIGN_RIGHT, BP_ALIGN_JUSTIFY } bp_align;

typedef enum bp_style_id {
    BP_STYLE_TITLE,     /* the part title: the unit's name */
    BP_STYLE_SUBTITLE,  /* 2022 年单位预算信息公开情况说明 */
    BP_STYLE_HEADING1,  /* 一、… section headings */
    BP_STYLE_HEADING2,  /* headings inside a section; 第一部分 … */
    BP_STYLE_HEADING3,  /* （一）… and numbered sub-headings */
    BP_STYLE_BODY,      /* paragraphs */
    BP_STYLE_LIST,      /* numbered list items */
    BP_STYLE_FOLIO,     /* the page number */
    BP_STYLE_COVER,     /* the cover's title lines (default: title) */
    BP_STYLE_TOC_TITLE, /* 目录's title (default: subtitle) */
    BP_STYLE_TOC_GROUP, /* a group of the contents: 单位预算公开表 (default: heading2) */
    BP_STYLE_TOC_ENTRY, /* a line of the contents (default: body, not indented, not justified) */
    BP_STYLE__COUNT
} bp_style_id;

BP_API const char *bp_style_key(bp_style_id id);

typedef struct bp_style {
    bp_font_role role;
    bp_len size;
    bp_len leading;           /* baseline to baseline */
    bp_len space_before;      /* above the first line */
    bp_len space_after;       /* below the last line */
    bp_len first_line_indent; /* 24 pt = two characters at 12 pt */
    bp_align align;
    bool bold;         /* drawn as fill plus stroke where the face has no bold */
    bool no_lone_last; /* a paragraph's last line is never one character (BP_BREAK_NO_LONE_LAST)
                          where the line before can give it another */
} bp_style;

/* A section a part of the document prints: its key in the unit, and the title the layout
 * gives it (NULL: the unit's own). */
typedef struct bp_layout_section {
    const char *key;
    const char *title;
    bool heading; /* false: its blocks only, without a heading or a contents entry (a part
                     that is one section, like 第四部分 名词解释) */
} bp_layout_section;

/* A part of a document of a kind given as data, in printed order: the tables, or sections. */
typedef struct bp_layout_part {
    const char *title; /* "第一部分 {unit_name}概况"; may use the document's placeholders */
    const char *subtitle; /* under the title ("{year} 年单位预算信息公开情况说明"), or NULL */
    bool preface;         /* the unit's explanation.preface follows the titles */
    bool tables;          /* the kind's tables, in the kind's order */
    bp_layout_section *sections;
    size_t section_count;
    bp_numbering numbering; /* of its section headings and of the tables' entries in the
                               contents: 一、 (the default), 1. , or none */
    const char *contents; /* the part's line in the contents, when not its title ("五、部门预算表"
                             for a tables part printed without a title page); NULL: the title */
} bp_layout_part;

typedef struct bp_layout {
    const char *name;
    bp_len page_width, page_height;
    bp_len margin_top, margin_bottom, margin_left, margin_right;
    bp_fontset_spec fonts; /* resolved through the font catalog */
    bp_style styles[BP_STYLE__COUNT];
    const char *folio_format;     /* "— {page} —": {page} is replaced by the page number */
    bp_len folio_baseline;        /* from the page's bottom edge */
    int orphans;                  /* fewest lines of a paragraph left at a page's foot */
    int widows;                   /* fewest lines of a paragraph carried to a page's head */
    int heading_keep_lines;       /* lines of what follows a heading that must share its page */
    struct bp_table_defs *tables; /* the table definitions (internal to the layout module) */
    struct bp_kind *kind;         /* the layout's kind ("kind"), owned; NULL: the built-in */
    const char *cover_lines[4];   /* the cover's lines; may use {year}, {unit_name}; NULL ends */
    bp_len cover_top;             /* from the top margin to the cover's first line */
    const char *contents_title;   /* 目录's title, or NULL for no contents */
    /* The PDF's title, subject and keywords ("metadata"); may use the document's placeholders.
     * NULL: the 2022 单位预算's ("{year} 年{unit_name}预算信息公开", …). */
    const char *meta_title, *meta_subject, *meta_keywords;
    const char *contents_groups[2]; /* the groups: the tables, the explanatory part */
    /* The explanatory sections in the order they are printed; the official order unless the
     * layout names one. A section the layout leaves out is not printed. */
    bp_section_id section_order[BP_SEC__COUNT];
    int section_count;
    /* A kind's document ("document"): its parts in printed order; none for the built-in kind,
     * whose tables come before its explanatory part. */
    bp_layout_part *parts;
    size_t part_count;
    bool count_front_matter; /* true: the body's first page is numbered after the cover
                                and contents (the seed's 3); false: it is page 1 */
    char digest[65];         /* SHA-256 of the layout file and the font catalog, hex: part of
                                what a PDF records it was made from */
    struct bp_arena *arena;  /* owns the strings */
} bp_layout;

/* Loads a layout file; font keys resolve through the catalog (fonts/fonts.json). On failure
 * returns NULL with every problem added to diags (file:line:column or JSON path). */
BP_API bp_layout *bp_layout_load_file(const char *path, const char *font_catalog, bp_diags *diags);
/* The same from the layout's bytes; `name` names it in messages. */
BP_API bp_layout *bp_layout_load_buffer(const char *data, size_t size, const char *name,
                                        const char *font_catalog, bp_diags *diags);
BP_API void bp_layout_destroy(bp_layout *layout);

/* Typesets the unit with the layout into a new document. Every text is shaped and broken
 * with the fonts of its role; a character no font has is an error naming it and where it is.
 * On any error returns NULL (nothing half-typeset is ever handed on) with every problem in
 * diags. The unit, layout and fonts are only read, so threads may typeset units at once. */
BP_API bp_document *bp_typeset(const bp_unit *unit, const bp_layout *layout,
                               const bp_fontset *fonts, bp_diags *diags);

#endif

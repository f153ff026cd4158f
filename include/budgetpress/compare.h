/*
 * compare.h: what changed between two renderings of a unit, by table, row and cell, page by
 * page, from the records the PDFs carry (page.h); and, for a PDF without one, by its pixels.
 *
 * Content first, pages derived: tables are compared row by row, rows aligned by their keys
 * (科目编码 or the line's label) across all their continuation pages, so an inserted row is one
 * insertion and the pages after it are "shifted", not "changed"; cells by column and exact
 * value; paragraphs aligned by their place in the unit, with the characters that changed. Then
 * the pages are paired by what they show and each gets a status, runs of shifted pages folded
 * into the change that caused them. What moved without changing (a margin, a column's width, a
 * font size) is said in words as a layout change. Dates, IDs and the producer never count.
 *
 * Thread-safe: a comparison owns everything it makes; any number may run at once.
 */
#ifndef BUDGETPRESS_COMPARE_H
#define BUDGETPRESS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "page.h"

/* ---- A PDF to compare (source.c) ---- */

typedef enum bp_cmp_source_state {
    BP_CMP_RECORD,     /* it carries a record that describes every page */
    BP_CMP_NO_RECORD,  /* made by another program, or its record cannot be read */
    BP_CMP_STALE,      /* its record no longer describes its pages: another tool changed it */
    BP_CMP_UNREADABLE, /* not a readable PDF */
} bp_cmp_source_state;

enum { BP_CMP_PAGE_DIGEST = 8 }; /* the bytes of each page's digest the record's piece keeps */

typedef struct bp_cmp_source {
    char path[4096];
    bp_cmp_source_state state;
    char why[320]; /* in words, when not BP_CMP_RECORD */
    size_t page_count;
    unsigned char *record; /* the record's bytes (BP_CMP_RECORD only) */
    size_t record_size;
} bp_cmp_source;

/* SHA-256, for digests of records and pages. */
BP_API void bp_cmp_sha256(const void *data, size_t size, unsigned char digest[32]);

/* Opens a PDF and reads its record. 0, with s->state saying what was found; -1 when the file
 * cannot be read as a PDF (s->why says why). Free with bp_cmp_source_free either way. */
BP_API int bp_cmp_source_open(const char *path, bp_cmp_source *s);
BP_API void bp_cmp_source_free(bp_cmp_source *s);

/* ---- Changes ---- */

typedef enum bp_change_kind {
    BP_CHANGE_VALUE,         /* a cell's amount or text */
    BP_CHANGE_ROW_ADDED,     /* a row the old table lacks */
    BP_CHANGE_ROW_REMOVED,   /* a row the new table lacks */
    BP_CHANGE_ROW_MOVED,     /* a row found elsewhere in the table */
    BP_CHANGE_TABLE_ADDED,   /* a table the old document lacks */
    BP_CHANGE_TABLE_REMOVED, /* a table the new document lacks */
    BP_CHANGE_TABLE_EMPTIED, /* every row of a table gone */
    BP_CHANGE_TEXT,          /* a paragraph's or heading's text */
    BP_CHANGE_TEXT_ADDED,    /* a paragraph the old document lacks */
    BP_CHANGE_TEXT_REMOVED,  /* a paragraph the new document lacks */
    BP_CHANGE_CONTENTS,      /* page numbers of the contents */
    BP_CHANGE_SHIFT,         /* everything moved by the same distance (a margin) */
    BP_CHANGE_FONT_SIZE,     /* text of one size now set in another */
    BP_CHANGE_COLUMN_WIDTH,  /* a table's column wider or narrower */
    BP_CHANGE_TABLE_PAGES,   /* a table now takes a different number of pages */
    BP_CHANGE_PAGE_COUNT,    /* the document has a different number of pages */
    BP_CHANGE_PAGE_SIZE,     /* a page of another size or orientation */
    BP_CHANGE_GEOMETRY,      /* what a page shows moved, in no way said above */
    BP_CHANGE_FONT_FILE,     /* a font file differs from the one the old PDF was made with */
    BP_CHANGE_PIXELS,        /* a page whose pixels differ where the records agree */
    BP_CHANGE_PIXELS_ONLY,   /* a page of a PDF without a record differs in its pixels */
    BP_CHANGE__COUNT
} bp_change_kind;

/* A change of data (what the document says) or of layout (only where it says it). */
typedef enum bp_change_class { BP_CLASS_DATA, BP_CLASS_LAYOUT } bp_change_class;

/* A box on a page, in bp_len from the page's top-left corner. */
typedef struct bp_cmp_box {
    int page; /* 0-based; -1: none */
    bp_len x, y, w, h;
} bp_cmp_box;

typedef struct bp_change {
    bp_change_kind kind;
    bp_change_class cls;
    const char *table;       /* the table's key, or NULL */
    const char *table_title; /* as printed: 单位预算支出总表 */
    const char *row;         /* the row's key (its code), or NULL */
    const char *row_label; /* as printed: 2080505 机关事业单位基本养老保险缴费支出 */
    const char *column;    /* the column's key, or NULL */
    const char *column_label; /* as printed: 合计 */
    const char *path;         /* a paragraph's place in the unit, or NULL */
    const char *old_text;     /* the printed form before, or NULL */
    const char *new_text;     /* and after */
    bool has_delta;           /* an amount changed: new - old in hundredths */
    int64_t delta;
    int old_page, new_page;           /* 1-based first page, 0 for none */
    int old_last_page, new_last_page; /* 1-based last page */
    bp_cmp_box old_box, new_box;      /* where it is drawn, for the pictures */
    int shifted_first, shifted_last;  /* new pages (1-based) shifted because of it; 0: none */
    const char *message;              /* the whole change in one Chinese sentence */
} bp_change;

typedef enum bp_page_status {
    BP_PAGE_SAME,    /* shows the same, drawn the same (its folio aside) */
    BP_PAGE_SHIFTED, /* shows the same as before, moved by a change before it */
    BP_PAGE_CHANGED, /* shows something changed */
    BP_PAGE_LAYOUT,  /* shows the same, drawn differently (a layout change) */
    BP_PAGE_ADDED,
    BP_PAGE_REMOVED,
    BP_PAGE_SIZE, /* of another size: not drawn over each other */
} bp_page_status;

typedef struct bp_page_pair {
    int old_page, new_page; /* 1-based; 0 for none (added, removed) */
    bp_page_status status;
    int cause;          /* a shifted page: the change it follows from; -1 for none */
    bool pixels_differ; /* the pictures were drawn and differ */
    int changes;        /* changes shown on it */
} bp_page_pair;

typedef enum bp_pair_status {
    BP_PAIR_SAME,       /* nothing differs */
    BP_PAIR_DIFFERENT,  /* something differs */
    BP_PAIR_ADDED,      /* only in the new folder */
    BP_PAIR_REMOVED,    /* only in the old folder */
    BP_PAIR_UNREADABLE, /* one side cannot be read */
} bp_pair_status;

/* The pictures of one page pair: file names relative to the report's folder. */
typedef struct bp_cmp_picture {
    int pair; /* index into pages */
    char old_png[96], new_png[96], diff_png[96];
    int width, height;   /* in pixels */
    long changed_pixels; /* pixels counted as different (in clusters) */
} bp_cmp_picture;

typedef struct bp_comparison {
    bp_pair_status status;
    char code[64], name[256]; /* the unit's, from the records */
    char old_path[4096], new_path[4096];
    char why[4800];  /* UNREADABLE: which side and why; pixel mode: why */
    bool pixel_only; /* compared by pixels alone (a side without a record) */
    size_t old_pages, new_pages;
    bp_change *changes;
    size_t change_count;
    bp_page_pair *pages;
    size_t page_count;
    bp_cmp_picture *pictures;
    size_t picture_count;
    size_t data_changes, layout_changes;
    struct bp_arena *arena; /* owns the strings */
} bp_comparison;

typedef struct bp_compare_options {
    const char *picture_dir;    /* where to write pictures (made when missing); NULL: none */
    const char *picture_prefix; /* file name prefix inside picture_dir, e.g. "img/201001/" */
    int dpi;                    /* the pictures' resolution; 0: 100 */
} bp_compare_options;

/* Compares two PDFs. Never NULL but when out of memory; status UNREADABLE when a side cannot
 * be read (why says which and why). */
BP_API bp_comparison *bp_compare_files(const char *old_path, const char *new_path,
                                       const bp_compare_options *opts);
/* Compares two opened sources (their records already read). */
BP_API bp_comparison *bp_compare_sources(const bp_cmp_source *old_src, const bp_cmp_source *new_src,
                                         const bp_compare_options *opts);
BP_API void bp_comparison_free(bp_comparison *c);

/* Whether the comparison has changes of the kinds that fail: data, layout, or any. */
BP_API bool bp_comparison_fails(const bp_comparison *c, bool data, bool layout);

/* Names for reports: "value", "row_added", …; "same", "shifted", …; "same", "different", … */
BP_API const char *bp_change_kind_key(bp_change_kind kind);
BP_API const char *bp_page_status_key(bp_page_status status);
BP_API const char *bp_page_status_label(bp_page_status status); /* 未变, 顺延, … */
BP_API const char *bp_pair_status_key(bp_pair_status status);

#endif

/*
 * compare_int.h: the state shared by the files of the comparer (src/compare/), in the order
 * the data flows through them:
 *
 *   changes.c   the list of changes every step adds to
 *   source.c    a PDF and the record it carries (libqpdf)
 *   side.c      a record read as tables of keyed rows and a list of text blocks
 *   align.c     sequences aligned by unique keys; characters aligned inside a text
 *   content.c   tables, rows, cells and blocks compared: the data changes
 *   geometry.c  what moved without changing: the layout changes
 *   pagemap.c   pages paired by what they show, each given a status, cascades folded
 *   pictures.c  old | difference | new, drawn by the PNG backend from the records
 *   foreign.c   a PDF without a record: pages paired by their text, compared by pixels
 *   compare.c   the whole comparison of one unit
 *
 * Nothing here is global; a comparison is one thread's.
 */
#ifndef BP_COMPARE_INT_H
#define BP_COMPARE_INT_H

#include "budgetpress/compare.h"
#include "budgetpress/render.h"

#include "../util/util.h"

/* ---- One side ---- */

typedef struct cmp_cell {
    const char *column;
    const bp_meaning *meaning;
    const char *text; /* as printed */
    bp_node_id node;
} cmp_cell;

typedef struct cmp_row {
    const char *key;   /* the row's key with its occurrence: "2010101", "total", "x#2" */
    const char *label; /* what a reader calls it: the code and the name */
    cmp_cell *cells;
    size_t cell_count;
    bp_node_id node;
    int page;      /* 0-based, -1 for none */
    uint64_t hash; /* of every cell's column and text: equal rows, equal hashes */
} cmp_row;

typedef struct cmp_table {
    const char *key;
    const char *title; /* the printed title, or the key */
    bp_node_id node;
    cmp_row *rows; /* the body rows, in order across every page */
    size_t row_count;
    int first_page, last_page; /* 0-based; -1 for none */
} cmp_table;

typedef struct cmp_block {
    bp_node_kind kind;
    const char *path; /* its place in the unit: explanation.sections.overview… */
    const char *text;
    bp_node_id node;
    int page;
    bool contents;     /* a line of the contents */
    const char *title; /* a contents line: its title, without the page number */
} cmp_block;

typedef struct cmp_side {
    bp_record rec;
    const bp_document *doc;
    bp_arena *arena;
    const char **node_text; /* per node id: what it shows (its text, or its runs' joined) */
    int *node_last_page;    /* per node id: the last page it is printed on; -1 for none */
    bp_cmp_box *node_box;   /* per node id: where it is drawn on its first page */
    bp_len *node_size;      /* per node id: the size of its first run's text; 0 for none */
    size_t node_count;
    cmp_table *tables;
    size_t table_count;
    cmp_block *blocks;
    size_t block_count;
    /* Per node id: the table and row it belongs to (index + 1), or 0. */
    uint32_t *node_table, *node_row;
} cmp_side;

/* Reads a record into a side. 0, or -1 with why. */
int cmp_side_read(cmp_side *side, const unsigned char *record, size_t size, const bp_fontset *fonts,
                  char *why, size_t why_size);
void cmp_side_free(cmp_side *side);
/* The column's printed heading in a table ("合计"), or the key. */
const char *cmp_column_label(const cmp_side *side, const cmp_table *t, const char *column);

/* ---- Alignment (align.c) ---- */

uint64_t cmp_hash(const char *s, uint64_t seed);

/* base, or when one of keys[0 .. count) already is it, base mixed with its occurrence: equal
 * things in a sequence (a repeated line, a page of the same text) get keys of their own. */
uint64_t cmp_unique_key(const uint64_t *keys, size_t count, uint64_t base);

/* Aligns two sequences of unique keys: a_to_b[i] is the index in b of a[i]'s key, or -1;
 * in_order[i] is true when that match is part of the longest run of matches in the same order
 * (patience: the keys' longest increasing subsequence), false for a moved element. 0, or -1
 * when out of memory. */
int cmp_align(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, long *a_to_b,
              bool *in_order);

/* Writes old and new text marked up with what changed, for a message: "…之前[-删去-]{+加上+}之后…"
 * with at most `context` characters of unchanged text around each change. */
void cmp_text_diff(const char *old_text, const char *new_text, int context, bp_strbuf *out);

/* ---- The comparison being built ---- */

typedef struct cmp_state {
    bp_comparison *c;
    const bp_cmp_source *old_src, *new_src;
    cmp_side old, new;
    size_t change_capacity;
    /* Per node id of each side: the other side's node it corresponds to (0: none), and
     * whether its content changed. */
    bp_node_id *old_to_new, *new_to_old;
    bool *old_changed, *new_changed;
    bool failed;
} cmp_state;

/* Appends a change (its strings copied into the comparison's arena) and returns it, or NULL
 * when out of memory (st->failed set). */
bp_change *cmp_add_change(cmp_state *st, const bp_change *change);
/* A copy of a formatted string in the comparison's arena. */
const char *cmp_printf(cmp_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void cmp_content(cmp_state *st);  /* content.c */
void cmp_geometry(cmp_state *st); /* geometry.c */
void cmp_pagemap(cmp_state *st);  /* pagemap.c */

/* pictures.c: draws each page pair that is not the same (and, when the fonts differ, every
 * pair), old | difference | new, and notes pixels that differ where the records agree. */
void cmp_pictures(cmp_state *st, const bp_compare_options *opts);

/* foreign.c: the pixel-only comparison of two PDFs, one at least without a record. */
void cmp_foreign(bp_comparison *c, const bp_compare_options *opts);

/* pictures.c, for foreign.c too: writes old | difference | new for two grey rasters of one
 * size, the difference between base (old_r, or old_r with its rows moved to their new places)
 * and new_r, counting the pixels that differ by the ±1 px rule in clusters; outlines boxes (in
 * pixels) on it. Returns the pixels counted, or -1 when it could not write. */
long cmp_picture_write(const bp_raster *old_r, const bp_raster *new_r, const bp_raster *base,
                       const int *boxes, size_t box_count, int dpi, const char *dir,
                       const char *prefix, bp_cmp_picture *pic);

/* The pixels counted as different by the same rule, nothing written; -1 when out of memory.
 * *body: how many of them lie between the page's top and bottom 7%, where running heads and
 * folios are not. */
long cmp_picture_count(const bp_raster *old_r, const bp_raster *new_r, long *body);

#endif

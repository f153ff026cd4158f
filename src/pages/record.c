/*
 * record.c: the document as a compact binary record (page.h): the display list and its
 * structure tree, the document's identity and the fonts it draws, so that a PDF can carry what
 * it shows and `compare` can read it back from the PDF alone, and draw its pages again.
 *
 * Stage: pages. Knows no PDF: the backend stores the bytes, the comparer reads them.
 *
 * The form, version 1 ("BPREC1\n" then, in order): the information strings; the faces; the
 * outline; the nodes; the pages with their items. Integers are LEB128 varints, signed ones
 * zigzagged first; lengths are bp_len (1/1000 pt). Every string is a reference into a table the
 * reader builds as it goes: 0 is none, 1 is a new string (its length and bytes follow), n >= 2
 * is the (n-2)th string met before, so a key or an amount's text repeated in a thousand cells
 * costs a byte or two. A glyph run's clusters are left out when they are one glyph per
 * character (the common case), a run's meaning when it is its node's. The PDF deflates the
 * whole; the sample's record is about a tenth of its file.
 *
 * The reader trusts nothing: every count is bounded by the bytes left, every reference by what
 * was read before it, so a damaged record gives a reason, never a crash or a huge allocation.
 */
#include "budgetpress/page.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>

#include "../util/util.h"

static const char record_magic[] = "BPREC1\n";
enum { MAGIC_LEN = sizeof record_magic - 1 };

enum { MEANING_NONE = 0, MEANING_OF_NODE = 1, MEANING_OWN = 2 };
enum { MEANING_AMOUNT = 2, MEANING_BLANK = 4 };

/* The length of the UTF-8 character a valid lead byte starts. */
static size_t char_length(unsigned char lead)
{
    return lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

/* The record is written in columns, each a byte stream of one kind of thing, concatenated at
 * the end: deflate finds the repeats of like beside like (a column's advances, the same
 * baseline on every cell of a row) that interleaving hides. */
enum column {
    COL_MAIN,    /* the structure: counts, kinds, flags, string references, nodes, links */
    COL_TEXT,    /* the bytes of each string met for the first time */
    COL_GEOM,    /* positions and sizes: runs' origins and widths, rules, rectangles */
    COL_GLYPH,   /* glyph ids, where the face's character map does not give them */
    COL_ADVANCE, /* each glyph's x from the one before it */
    COL__COUNT
};

/* A run's flags. */
enum {
    RUN_CLUSTERS = 1, /* the clusters follow (else one glyph per character) */
    RUN_ARTIFACT = 2,
    RUN_MAPPED = 4,  /* the glyph ids are the face's character map's (else they follow) */
    RUN_IN_NODE = 8, /* the text is a slice of the node's text (else a string) */
    RUN_BOLD = 16,   /* stroked as bp_fake_bold_stroke says */
    RUN_STROKE = 32, /* stroked as wide as follows */
};

/* What a run is written against: the run before it (runs follow the nodes in reading order,
 * lines follow each other down the page, sizes seldom change), so most deltas are 0 or small. */
typedef struct run_context {
    int64_t node, y, size;
} run_context;

/* ---- Writing ---- */

typedef struct record_writer {
    bp_strbuf col[COL__COUNT];
    hb_font_t *cmap[BP_MAX_FACES]; /* each face, for its character map; NULL: none */
    int face_count;
    size_t *cursor; /* per node: where in its text the last run found there ended */
    run_context last;
    int64_t last_page; /* the node before's */
    /* The strings written so far and their numbers (open addressing; a power of two). */
    const char **strings;
    size_t *numbers;
    size_t string_count, capacity;
    bool failed;
} record_writer;

/* Room for n more bytes in column c, written in place: a 5,000-row unit's record is millions
 * of one- and two-byte numbers, and a call per byte into the string buffer was a third of the
 * time. NULL when out of memory (the buffer says so). */
static unsigned char *room(record_writer *w, enum column c, size_t n)
{
    bp_strbuf *sb = &w->col[c];
    return bp_strbuf_reserve(sb, n) ? (unsigned char *)sb->data + sb->len : NULL;
}

static void put_byte(record_writer *w, enum column c, unsigned char b)
{
    unsigned char *p = room(w, c, 1);
    if (p) {
        *p = b;
        w->col[c].data[++w->col[c].len] = '\0';
    }
}

static void put_varint(record_writer *w, enum column c, uint64_t v)
{
    unsigned char *p = room(w, c, 10);
    if (!p)
        return;
    size_t n = 0;
    do {
        p[n] = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v)
            p[n] |= 0x80;
        n++;
    } while (v);
    w->col[c].len += n;
    w->col[c].data[w->col[c].len] = '\0';
}

static void put_signed(record_writer *w, enum column c, int64_t v)
{
    put_varint(w, c, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static size_t string_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

static size_t string_slot(const char **strings, size_t capacity, const char *s)
{
    size_t i = string_hash(s) & (capacity - 1);
    while (strings[i] && strcmp(strings[i], s) != 0)
        i = (i + 1) & (capacity - 1);
    return i;
}

static bool strings_grow(record_writer *w)
{
    if (w->string_count * 2 < w->capacity)
        return true;
    size_t capacity = w->capacity ? w->capacity * 2 : 1024;
    const char **strings = calloc(capacity, sizeof *strings);
    size_t *numbers = calloc(capacity, sizeof *numbers);
    if (!strings || !numbers) {
        free(strings);
        free(numbers);
        return false;
    }
    for (size_t i = 0; i < w->capacity; i++)
        if (w->strings[i]) {
            size_t j = string_slot(strings, capacity, w->strings[i]);
            strings[j] = w->strings[i];
            numbers[j] = w->numbers[i];
        }
    free(w->strings);
    free(w->numbers);
    w->strings = strings;
    w->numbers = numbers;
    w->capacity = capacity;
    return true;
}

static void put_string(record_writer *w, const char *s)
{
    if (!s) {
        put_varint(w, COL_MAIN, 0);
        return;
    }
    if (!strings_grow(w)) {
        w->failed = true;
        return;
    }
    size_t i = string_slot(w->strings, w->capacity, s);
    if (w->strings[i]) {
        put_varint(w, COL_MAIN, w->numbers[i] + 2);
        return;
    }
    w->strings[i] = s;
    w->numbers[i] = w->string_count++;
    size_t len = strlen(s);
    put_varint(w, COL_MAIN, 1);
    put_varint(w, COL_MAIN, len);
    bp_strbuf_append(&w->col[COL_TEXT], s, len);
}

static void put_meaning(record_writer *w, const bp_meaning *m)
{
    put_byte(
        w, COL_MAIN,
        (unsigned char)(1 | (m->has_amount ? MEANING_AMOUNT : 0) | (m->blank ? MEANING_BLANK : 0)));
    put_string(w, m->table);
    put_string(w, m->row);
    put_string(w, m->column);
    put_byte(w, COL_MAIN, (unsigned char)m->role);
    if (m->has_amount && !m->blank)
        put_signed(w, COL_MAIN, m->hundredths);
}

static void put_info(record_writer *w, const bp_doc_info *info)
{
    const char *strings[] = {info->title,     info->author,      info->subject,
                             info->keywords,  info->creator,     info->unit_code,
                             info->unit_name, info->layout_name, info->layout_digest};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        put_string(w, strings[i]);
    put_signed(w, COL_MAIN, info->unit_year);
}

static void put_faces(record_writer *w, const bp_fontset *fonts)
{
    put_varint(w, COL_MAIN, (uint64_t)w->face_count);
    for (int i = 0; i < w->face_count; i++) {
        const bp_face_info *f = bp_fontset_face(fonts, i);
        put_string(w, f->path);
        put_varint(w, COL_MAIN, f->index);
        put_varint(w, COL_MAIN, (uint64_t)f->file_size);
        put_string(w, f->head_sha256);
        put_string(w, f->postscript_name);
    }
}

static void put_outline(record_writer *w, const bp_document *doc)
{
    size_t count = bp_document_outline_count(doc);
    put_varint(w, COL_MAIN, count);
    for (size_t i = 0; i < count; i++) {
        const bp_outline_entry *e = bp_document_outline(doc, i);
        put_varint(w, COL_MAIN, (uint64_t)e->level);
        put_string(w, e->title);
        put_varint(w, COL_MAIN, (uint64_t)e->page);
        put_signed(w, COL_GEOM, e->y);
    }
}

static void put_nodes(record_writer *w, const bp_document *doc)
{
    size_t count = bp_document_node_count(doc);
    put_varint(w, COL_MAIN, count);
    for (bp_node_id id = 1; id <= count; id++) {
        const bp_node *n = bp_document_node(doc, id);
        put_byte(w, COL_MAIN, (unsigned char)n->kind);
        put_varint(w, COL_MAIN, n->parent ? id - n->parent : 0);
        put_string(w, n->path);
        put_string(w, n->text);
        put_byte(w, COL_MAIN, (unsigned char)n->scope);
        put_varint(w, COL_MAIN, n->row_span);
        put_varint(w, COL_MAIN, n->col_span);
        put_signed(w, COL_MAIN, n->page - w->last_page);
        w->last_page = n->page;
        put_signed(w, COL_GEOM, n->x);
        put_signed(w, COL_GEOM, n->w);
        if (n->meaning)
            put_meaning(w, n->meaning);
        else
            put_byte(w, COL_MAIN, 0);
    }
}

/* Whether glyph i starts at the i-th character's byte, for every glyph: then the clusters
 * need not be written. */
static bool clusters_per_character(const bp_glyph_run *run)
{
    size_t offset = 0;
    for (size_t i = 0; i < run->count; i++) {
        if (offset >= run->text_len || run->clusters[i] != offset)
            return false;
        offset += char_length((unsigned char)run->text[offset]);
    }
    return offset == run->text_len;
}

/* Whether every glyph is its character's in the face's character map (one glyph per
 * character): then the reader finds the ids itself. */
static bool glyphs_mapped(const record_writer *w, const bp_glyph_run *run)
{
    hb_font_t *font = run->face < w->face_count ? w->cmap[run->face] : NULL;
    if (!font)
        return false;
    for (size_t i = 0; i < run->count; i++) {
        size_t n;
        hb_codepoint_t glyph;
        unsigned c =
            bp_utf8_decode(run->text + run->clusters[i], run->text_len - run->clusters[i], &n);
        if (!hb_font_get_nominal_glyph(font, c, &glyph) || glyph != run->ids[i])
            return false;
    }
    return true;
}

/* Where the run's text lies in its node's whole text (a paragraph's line, a cell's line),
 * searching on from where the node's last run ended; -1 when it does not. */
static long long slice_of_node(record_writer *w, const bp_document *doc, const bp_glyph_run *run)
{
    const bp_node *node = bp_document_node(doc, run->node);
    if (!node || !node->text || run->text_len == 0)
        return -1;
    size_t *cursor = &w->cursor[run->node];
    const char *found = strstr(node->text + *cursor, run->text);
    if (!found)
        return -1;
    long long offset = (long long)(found - node->text - *cursor);
    *cursor = (size_t)(found - node->text) + run->text_len;
    return offset;
}

static void put_glyphs(record_writer *w, const bp_document *doc, const bp_glyph_run *run)
{
    bool per_character = clusters_per_character(run);
    bool mapped = per_character && glyphs_mapped(w, run);
    long long slice = slice_of_node(w, doc, run);
    unsigned stroke = run->bold_stroke == 0                                ? 0
                      : run->bold_stroke == bp_fake_bold_stroke(run->size) ? RUN_BOLD
                                                                           : RUN_STROKE;
    put_byte(w, COL_MAIN,
             (unsigned char)((per_character ? 0 : RUN_CLUSTERS) |
                             (run->artifact ? RUN_ARTIFACT : 0) | (mapped ? RUN_MAPPED : 0) |
                             (slice >= 0 ? RUN_IN_NODE : 0) | stroke));
    put_signed(w, COL_MAIN, (int64_t)run->node - w->last.node);
    put_varint(w, COL_MAIN, run->face);
    if (slice >= 0) {
        put_varint(w, COL_MAIN, (uint64_t)slice);
        put_varint(w, COL_MAIN, run->text_len);
    } else
        put_string(w, run->text);
    put_varint(w, COL_MAIN, run->count);
    put_signed(w, COL_GEOM, run->size - w->last.size);
    if (stroke == RUN_STROKE)
        put_signed(w, COL_GEOM, run->bold_stroke);
    put_signed(w, COL_GEOM, run->x);
    put_signed(w, COL_GEOM, run->y - w->last.y);
    put_signed(w, COL_GEOM, run->width);
    w->last = (run_context){run->node, run->y, run->size};
    for (size_t i = 0; !mapped && i < run->count; i++)
        put_varint(w, COL_GLYPH, run->ids[i]);
    for (size_t i = 1; i < run->count; i++)
        put_signed(w, COL_ADVANCE, (int64_t)run->dx[i] - run->dx[i - 1]);
    for (size_t i = 0; !per_character && i < run->count; i++)
        put_varint(w, COL_MAIN, run->clusters[i]);
    const bp_node *node = bp_document_node(doc, run->node);
    if (!run->meaning)
        put_byte(w, COL_MAIN, MEANING_NONE);
    else if (node && node->meaning == run->meaning)
        put_byte(w, COL_MAIN, MEANING_OF_NODE);
    else {
        put_byte(w, COL_MAIN, MEANING_OWN);
        put_meaning(w, run->meaning);
    }
}

static void put_lengths(record_writer *w, const bp_len *v, size_t count)
{
    for (size_t i = 0; i < count; i++)
        put_signed(w, COL_GEOM, v[i]);
}

static void put_item(record_writer *w, const bp_document *doc, const bp_item *item)
{
    put_byte(w, COL_MAIN, (unsigned char)item->kind);
    switch (item->kind) {
    case BP_ITEM_GLYPHS:
        put_glyphs(w, doc, &item->u.glyphs);
        break;
    case BP_ITEM_RULE: {
        const bp_rule *r = &item->u.rule;
        put_lengths(w, (const bp_len[]){r->x0, r->y0, r->x1, r->y1, r->width}, 5);
        break;
    }
    case BP_ITEM_RECT: {
        const bp_rect *r = &item->u.rect;
        put_lengths(w, (const bp_len[]){r->x, r->y, r->w, r->h, r->stroke_width}, 5);
        put_byte(w, COL_MAIN, r->fill);
        put_byte(w, COL_MAIN, r->fill_gray);
        break;
    }
    case BP_ITEM_LINK: {
        const bp_link *l = &item->u.link;
        put_lengths(w, (const bp_len[]){l->x, l->y, l->w, l->h, l->target_y}, 5);
        put_varint(w, COL_MAIN, (uint64_t)l->target_page);
        put_varint(w, COL_MAIN, l->node);
        break;
    }
    }
}

static void put_pages(record_writer *w, const bp_document *doc)
{
    size_t count = bp_document_page_count(doc);
    put_varint(w, COL_MAIN, count);
    for (size_t p = 0; p < count; p++) {
        const bp_page *page = bp_document_page(doc, p);
        put_signed(w, COL_GEOM, page->width);
        put_signed(w, COL_GEOM, page->height);
        put_string(w, page->label);
        put_varint(w, COL_MAIN, page->count);
        for (size_t i = 0; i < page->count; i++)
            put_item(w, doc, &page->items[i]);
    }
}

static bool writer_start(record_writer *w, const bp_document *doc, const bp_fontset *fonts)
{
    w->face_count = fonts ? bp_fontset_face_count(fonts) : 0;
    for (int i = 0; i < w->face_count; i++) {
        hb_font_t *font = hb_font_create(bp_fontset_face(fonts, i)->hb_face);
        w->cmap[i] = font != hb_font_get_empty() ? font : NULL;
        if (!w->cmap[i])
            return false;
    }
    w->cursor = calloc(bp_document_node_count(doc) + 1, sizeof *w->cursor);
    return w->cursor != NULL;
}

static void writer_end(record_writer *w)
{
    for (int i = 0; i < w->face_count; i++)
        if (w->cmap[i])
            hb_font_destroy(w->cmap[i]);
    for (int c = 0; c < COL__COUNT; c++)
        bp_strbuf_free(&w->col[c]);
    free(w->cursor);
    free(w->strings);
    free(w->numbers);
}

int bp_record_encode(const bp_document *doc, const bp_fontset *fonts, unsigned char **data,
                     size_t *size)
{
    record_writer w = {.last_page = -1};
    if (!writer_start(&w, doc, fonts)) {
        writer_end(&w);
        return -1;
    }
    put_info(&w, bp_document_info(doc));
    put_faces(&w, fonts);
    put_outline(&w, doc);
    put_nodes(&w, doc);
    put_pages(&w, doc);
    bp_strbuf out = BP_STRBUF_INIT;
    bp_strbuf_append(&out, record_magic, MAGIC_LEN);
    for (int c = 0; c < COL__COUNT; c++) {
        unsigned char bytes[10];
        size_t n = 0;
        for (uint64_t v = w.col[c].len;; v >>= 7) {
            bytes[n++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
            if (v <= 0x7f)
                break;
        }
        bp_strbuf_append(&out, (const char *)bytes, n);
        w.failed = w.failed || w.col[c].failed;
    }
    for (int c = 0; c < COL__COUNT; c++)
        bp_strbuf_append(&out, w.col[c].data, w.col[c].len);
    bool failed = w.failed || out.failed;
    writer_end(&w);
    if (failed) {
        bp_strbuf_free(&out);
        return -1;
    }
    *size = out.len;
    *data = (unsigned char *)bp_strbuf_take(&out);
    return *data ? 0 : -1;
}

/* ---- Reading ---- */

typedef struct column_cursor {
    const unsigned char *p, *end;
} column_cursor;

typedef struct record_reader {
    column_cursor col[COL__COUNT];
    const char **strings; /* what string references point at */
    size_t string_count, string_capacity;
    hb_font_t *cmap[BP_MAX_FACES]; /* the faces' character maps, when fonts were given */
    int face_count;
    size_t *cursor; /* per node: as the writer's */
    run_context last;
    char *why;
    size_t why_size;
    bool failed;
    bp_document *doc;
    /* One run's arrays, reused. */
    uint32_t *ids, *clusters;
    bp_len *dx;
    size_t run_capacity;
} record_reader;

static void fail(record_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(record_reader *r, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->why, r->why_size, fmt, ap);
    va_end(ap);
    for (int c = 0; c < COL__COUNT; c++)
        r->col[c].p = r->col[c].end;
}

static size_t left(const record_reader *r, enum column c)
{
    return (size_t)(r->col[c].end - r->col[c].p);
}

static unsigned get_byte(record_reader *r, enum column c)
{
    if (r->col[c].p >= r->col[c].end) {
        fail(r, "the record ends early");
        return 0;
    }
    return *r->col[c].p++;
}

static uint64_t get_varint(record_reader *r, enum column c)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        unsigned b = get_byte(r, c);
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    fail(r, "a number in the record is too long");
    return 0;
}

static int64_t get_signed(record_reader *r, enum column c)
{
    uint64_t v = get_varint(r, c);
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* Lengths beyond this (2^26 thousandths of a point: 67,108 pt, 23 metres) are damage: a PDF
 * page is at most 14,400 pt, and bounded lengths keep every sum and product a reader of the
 * record makes (a box, a size times 9/10) inside a bp_len. */
#define RECORD_LEN_LIMIT (INT64_C(1) << 26)

static bool len_in_range(int64_t v)
{
    return v >= -RECORD_LEN_LIMIT && v <= RECORD_LEN_LIMIT;
}

static bp_len get_len(record_reader *r, enum column c)
{
    int64_t v = get_signed(r, c);
    if (!len_in_range(v)) {
        fail(r, "a length in the record is out of range");
        return 0;
    }
    return (bp_len)v;
}

/* A delta of node ids or page numbers: beyond ±2^32 is damage (and would overflow a sum). */
static int64_t get_delta(record_reader *r)
{
    int64_t v = get_signed(r, COL_MAIN);
    if (v < -(INT64_C(1) << 32) || v > (INT64_C(1) << 32)) {
        fail(r, "a number in the record is out of range");
        return 0;
    }
    return v;
}

/* A length written as a delta from the one before. */
static bp_len sum_len(record_reader *r, int64_t before, int64_t delta)
{
    if (!len_in_range(delta) || !len_in_range(before + delta)) {
        fail(r, "a length in the record is out of range");
        return 0;
    }
    return (bp_len)(before + delta);
}

/* A count of things each taking at least `least` bytes of column c: never more than it has
 * left, so that damage cannot ask for a huge allocation. */
static size_t get_count(record_reader *r, enum column c, size_t least, const char *what)
{
    uint64_t v = get_varint(r, COL_MAIN);
    if (v > left(r, c) / least) {
        fail(r, "the record's count of %s (%llu) is more than it holds", what,
             (unsigned long long)v);
        return 0;
    }
    return (size_t)v;
}

static bool add_string(record_reader *r, const char *s)
{
    void *grown =
        bp_grow(r->strings, &r->string_capacity, r->string_count + 1, sizeof *r->strings, 256);
    if (!grown)
        return false;
    r->strings = grown;
    r->strings[r->string_count++] = s;
    return true;
}

/* A string, kept in the document's arena, which outlives the reader. */
static const char *get_string(record_reader *r)
{
    uint64_t ref = get_varint(r, COL_MAIN);
    if (ref == 0 || r->failed)
        return NULL;
    if (ref >= 2) {
        if (ref - 2 >= r->string_count) {
            fail(r, "a string reference of the record points past its strings");
            return NULL;
        }
        return r->strings[ref - 2];
    }
    uint64_t len = get_varint(r, COL_MAIN);
    if (len > left(r, COL_TEXT)) {
        fail(r, "a string of the record runs past its end");
        return NULL;
    }
    const char *bytes = (const char *)r->col[COL_TEXT].p;
    if (memchr(bytes, '\0', (size_t)len) || !bp_utf8_valid(bytes, (size_t)len)) {
        fail(r, "a string of the record is not UTF-8 text");
        return NULL;
    }
    const char *copy = bp_document_copy_string(r->doc, bytes, (size_t)len);
    if (!copy || !add_string(r, copy)) {
        fail(r, "out of memory");
        return NULL;
    }
    r->col[COL_TEXT].p += len;
    return copy;
}

static void get_meaning_into(record_reader *r, unsigned flags, bp_meaning *m)
{
    m->has_amount = (flags & MEANING_AMOUNT) != 0;
    m->blank = (flags & MEANING_BLANK) != 0;
    m->table = get_string(r);
    m->row = get_string(r);
    m->column = get_string(r);
    unsigned role = get_byte(r, COL_MAIN);
    if (role > BP_CELL_NOTE)
        fail(r, "a cell role of the record is unknown (%u)", role);
    m->role = (bp_cell_role)role;
    m->hundredths = m->has_amount && !m->blank ? get_signed(r, COL_MAIN) : 0;
}

static void get_info(record_reader *r)
{
    bp_doc_info info = {0};
    const char **strings[] = {&info.title,     &info.author,      &info.subject,
                              &info.keywords,  &info.creator,     &info.unit_code,
                              &info.unit_name, &info.layout_name, &info.layout_digest};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        *strings[i] = get_string(r);
    int64_t year = get_signed(r, COL_MAIN);
    info.unit_year = year >= 0 && year <= 9999 ? (int)year : 0;
    if (!r->failed && bp_document_set_info(r->doc, &info) != 0)
        fail(r, "out of memory");
}

static void copy_field(char *to, size_t size, const char *from)
{
    snprintf(to, size, "%s", from ? from : "");
}

static void get_faces(record_reader *r, bp_record *rec)
{
    size_t count = get_count(r, COL_MAIN, 5, "faces");
    if (count > BP_MAX_FACES)
        fail(r, "the record names %zu faces, more than %d", count, BP_MAX_FACES);
    for (size_t i = 0; i < count && !r->failed; i++) {
        bp_record_face *f = &rec->faces[i];
        copy_field(f->path, sizeof f->path, get_string(r));
        f->index = (unsigned)get_varint(r, COL_MAIN);
        f->size = (long long)(get_varint(r, COL_MAIN) & INT64_MAX);
        copy_field(f->head_sha256, sizeof f->head_sha256, get_string(r));
        copy_field(f->name, sizeof f->name, get_string(r));
    }
    rec->face_count = r->failed ? 0 : (int)count;
    r->face_count = rec->face_count;
}

static void get_outline(record_reader *r)
{
    size_t count = get_count(r, COL_MAIN, 3, "bookmarks");
    for (size_t i = 0; i < count && !r->failed; i++) {
        bp_outline_entry e;
        e.level = (int)(get_varint(r, COL_MAIN) & 0xff);
        e.title = get_string(r);
        e.page = (int)(get_varint(r, COL_MAIN) & INT32_MAX);
        e.y = get_len(r, COL_GEOM);
        if (!r->failed && bp_document_add_outline(r->doc, &e) != 0)
            fail(r, "out of memory");
    }
}

static void get_nodes(record_reader *r, int64_t **pages)
{
    size_t count = get_count(r, COL_MAIN, 9, "nodes");
    *pages = calloc(count + 1, sizeof **pages);
    r->cursor = calloc(count + 1, sizeof *r->cursor);
    if (!*pages || !r->cursor)
        fail(r, "out of memory");
    for (bp_node_id id = 1; id <= count && !r->failed; id++) {
        bp_node n = {0};
        bp_meaning m = {0};
        unsigned kind = get_byte(r, COL_MAIN);
        uint64_t up = get_varint(r, COL_MAIN);
        if (kind >= BP_NODE__COUNT || up >= id)
            fail(r, "node %u of the record has no valid kind or parent", (unsigned)id);
        n.kind = (bp_node_kind)kind;
        n.parent = up ? id - (bp_node_id)up : 0;
        n.path = get_string(r);
        n.text = get_string(r);
        unsigned scope = get_byte(r, COL_MAIN);
        n.scope = scope <= BP_SCOPE_BOTH ? (bp_scope)scope : BP_SCOPE_NONE;
        n.row_span = (uint16_t)get_varint(r, COL_MAIN);
        n.col_span = (uint16_t)get_varint(r, COL_MAIN);
        int64_t page = (id > 1 ? (*pages)[id - 2] : -1) + get_delta(r);
        if (page < -1 || page > INT32_MAX)
            fail(r, "node %u of the record is on no page", (unsigned)id);
        (*pages)[id - 1] = page;
        n.x = get_len(r, COL_GEOM);
        n.w = get_len(r, COL_GEOM);
        unsigned flags = get_byte(r, COL_MAIN);
        if (flags) {
            get_meaning_into(r, flags, &m);
            n.meaning = &m;
        }
        if (!r->failed && bp_document_add_node(r->doc, &n) != id)
            fail(r, "out of memory");
    }
}

/* The clusters of a run with one glyph per character. */
static bool character_clusters(const char *text, size_t len, uint32_t *clusters, size_t count)
{
    size_t offset = 0;
    for (size_t i = 0; i < count; i++) {
        if (offset >= len)
            return false;
        clusters[i] = (uint32_t)offset;
        offset += char_length((unsigned char)text[offset]);
    }
    return offset == len;
}

static bool run_arrays_reserve(record_reader *r, size_t count)
{
    if (count <= r->run_capacity)
        return true;
    uint32_t *ids = realloc(r->ids, count * sizeof *ids);
    if (ids)
        r->ids = ids;
    uint32_t *clusters = realloc(r->clusters, count * sizeof *clusters);
    if (clusters)
        r->clusters = clusters;
    bp_len *dx = realloc(r->dx, count * sizeof *dx);
    if (dx)
        r->dx = dx;
    if (!ids || !clusters || !dx)
        return false;
    r->run_capacity = count;
    return true;
}

/* A run's text: a slice of its node's text, or a string of its own. */
static const char *get_run_text(record_reader *r, unsigned flags, bp_node_id node, size_t *len)
{
    if (!(flags & RUN_IN_NODE)) {
        const char *s = get_string(r);
        *len = s ? strlen(s) : 0;
        return s ? s : "";
    }
    uint64_t offset = get_varint(r, COL_MAIN), length = get_varint(r, COL_MAIN);
    const bp_node *n = r->failed ? NULL : bp_document_node(r->doc, node);
    if (!n || !n->text) {
        fail(r, "a glyph run's text lies in a node without text");
        *len = 0;
        return "";
    }
    size_t total = strlen(n->text), *cursor = &r->cursor[node];
    if (offset > total - *cursor || length > total - *cursor - offset) {
        fail(r, "a glyph run's text lies outside its node's");
        *len = 0;
        return "";
    }
    const char *s = n->text + *cursor + offset;
    *cursor += offset + length;
    *len = (size_t)length;
    return s;
}

/* The glyph ids of a mapped run, from the face's character map; 0 (never drawn: a document
 * with a missing glyph is refused before it is rendered) when the fonts were not given. */
static void map_glyphs(record_reader *r, const bp_glyph_run *run)
{
    hb_font_t *font = run->face < r->face_count ? r->cmap[run->face] : NULL;
    for (size_t i = 0; i < run->count; i++) {
        hb_codepoint_t glyph = 0;
        size_t n;
        unsigned c = bp_utf8_decode(run->text + r->clusters[i], run->text_len - r->clusters[i], &n);
        if (font && !hb_font_get_nominal_glyph(font, c, &glyph))
            glyph = 0;
        r->ids[i] = glyph;
    }
}

static void get_glyphs(record_reader *r, bp_page *page)
{
    bp_glyph_run run = {0};
    bp_meaning m = {0};
    unsigned flags = get_byte(r, COL_MAIN);
    int64_t node = r->last.node + get_delta(r);
    uint64_t face = get_varint(r, COL_MAIN);
    if (node < 0 || (uint64_t)node > bp_document_node_count(r->doc))
        fail(r, "a glyph run of the record names node %llu, which it lacks",
             (unsigned long long)node);
    if (face >= (uint64_t)r->face_count)
        fail(r, "a glyph run of the record draws face %llu of %d", (unsigned long long)face,
             r->face_count);
    run.node = (bp_node_id)node;
    run.face = (uint16_t)face;
    run.artifact = (flags & RUN_ARTIFACT) != 0;
    run.text = get_run_text(r, flags, run.node, &run.text_len);
    /* Every glyph but the first has an advance. */
    uint64_t count = get_varint(r, COL_MAIN);
    if (count > 1 + left(r, COL_ADVANCE))
        fail(r, "a glyph run of the record has more glyphs than advances");
    run.count = r->failed ? 0 : (size_t)count;
    run.size = sum_len(r, r->last.size, get_signed(r, COL_GEOM));
    run.bold_stroke = (flags & RUN_STROKE) ? get_len(r, COL_GEOM)
                      : (flags & RUN_BOLD) ? bp_fake_bold_stroke(run.size)
                                           : 0;
    run.x = get_len(r, COL_GEOM);
    run.y = sum_len(r, r->last.y, get_signed(r, COL_GEOM));
    run.width = get_len(r, COL_GEOM);
    r->last = (run_context){run.node, run.y, run.size};
    if (!r->failed && !run_arrays_reserve(r, run.count ? run.count : 1))
        fail(r, "out of memory");
    if (!(flags & RUN_MAPPED))
        for (size_t i = 0; i < run.count && !r->failed; i++)
            r->ids[i] = (uint32_t)get_varint(r, COL_GLYPH);
    if (run.count && !r->failed)
        r->dx[0] = 0;
    for (size_t i = 1; i < run.count && !r->failed; i++)
        r->dx[i] = sum_len(r, r->dx[i - 1], get_signed(r, COL_ADVANCE));
    if (flags & RUN_CLUSTERS) {
        for (size_t i = 0; i < run.count && !r->failed; i++) {
            uint64_t c = get_varint(r, COL_MAIN);
            if (c >= run.text_len)
                fail(r, "a glyph's cluster lies past its run's text");
            r->clusters[i] = (uint32_t)c;
        }
        if (flags & RUN_MAPPED)
            fail(r, "a glyph run of the record is both mapped and clustered");
    } else if (!r->failed && !character_clusters(run.text, run.text_len, r->clusters, run.count))
        fail(r, "a glyph run's text has not one character per glyph");
    if ((flags & RUN_MAPPED) && !r->failed)
        map_glyphs(r, &run);
    unsigned how = get_byte(r, COL_MAIN);
    const bp_node *owner = bp_document_node(r->doc, run.node);
    if (how == MEANING_OF_NODE && owner && owner->meaning)
        run.meaning = owner->meaning;
    else if (how == MEANING_OWN) {
        get_meaning_into(r, get_byte(r, COL_MAIN), &m);
        run.meaning = &m;
    } else if (how != MEANING_NONE)
        fail(r, "a glyph run's meaning is of no known form");
    run.ids = r->ids;
    run.dx = r->dx;
    run.clusters = r->clusters;
    if (!r->failed && bp_page_add_glyphs(r->doc, page, &run) != 0)
        fail(r, "out of memory");
}

static void get_item(record_reader *r, bp_page *page)
{
    unsigned kind = get_byte(r, COL_MAIN);
    bp_len v[5];
    int rc = 0;
    if (kind == BP_ITEM_GLYPHS) {
        get_glyphs(r, page);
        return;
    }
    if (kind > BP_ITEM_LINK) {
        fail(r, "an item of the record is of no known kind (%u)", kind);
        return;
    }
    for (int i = 0; i < 5; i++)
        v[i] = get_len(r, COL_GEOM);
    if (kind == BP_ITEM_RULE) {
        bp_rule rule = {v[0], v[1], v[2], v[3], v[4]};
        rc = r->failed ? 0 : bp_page_add_rule(r->doc, page, &rule);
    } else if (kind == BP_ITEM_RECT) {
        bp_rect rect = {.x = v[0], .y = v[1], .w = v[2], .h = v[3], .stroke_width = v[4]};
        rect.fill = get_byte(r, COL_MAIN) != 0;
        rect.fill_gray = (uint8_t)get_byte(r, COL_MAIN);
        rc = r->failed ? 0 : bp_page_add_rect(r->doc, page, &rect);
    } else {
        bp_link link = {.x = v[0], .y = v[1], .w = v[2], .h = v[3], .target_y = v[4]};
        uint64_t target = get_varint(r, COL_MAIN), node = get_varint(r, COL_MAIN);
        if (node > bp_document_node_count(r->doc) || target > INT32_MAX)
            fail(r, "a link of the record names a node or page it lacks");
        link.target_page = (int)target;
        link.node = (bp_node_id)node;
        rc = r->failed ? 0 : bp_page_add_link(r->doc, page, &link);
    }
    if (rc != 0)
        fail(r, "out of memory");
}

static void get_pages(record_reader *r)
{
    size_t count = get_count(r, COL_MAIN, 2, "pages");
    for (size_t p = 0; p < count && !r->failed; p++) {
        bp_len width = get_len(r, COL_GEOM), height = get_len(r, COL_GEOM);
        const char *label = get_string(r);
        size_t items = get_count(r, COL_MAIN, 1, "items");
        bp_page *page = r->failed ? NULL : bp_document_add_page(r->doc, width, height);
        if (!r->failed && (!page || (label && bp_page_set_label(r->doc, page, label) != 0)))
            fail(r, "out of memory");
        for (size_t i = 0; i < items && !r->failed; i++)
            get_item(r, bp_document_page_mut(r->doc, p));
    }
}

/* Links and bookmarks pointing at pages the record lacks are damage. */
static void check_targets(record_reader *r)
{
    size_t pages = bp_document_page_count(r->doc);
    for (size_t i = 0; i < bp_document_outline_count(r->doc); i++)
        if ((size_t)bp_document_outline(r->doc, i)->page >= pages)
            fail(r, "a bookmark of the record points past its last page");
    for (size_t p = 0; p < pages && !r->failed; p++) {
        const bp_page *page = bp_document_page(r->doc, p);
        for (size_t i = 0; i < page->count; i++)
            if (page->items[i].kind == BP_ITEM_LINK &&
                (size_t)page->items[i].u.link.target_page >= pages)
                fail(r, "a link of the record points past its last page");
    }
}

/* The columns after the magic: their lengths, then their bytes. */
static bool open_columns(record_reader *r, const unsigned char *p, const unsigned char *end)
{
    uint64_t lengths[COL__COUNT];
    for (int c = 0; c < COL__COUNT; c++) {
        r->col[COL_MAIN] = (column_cursor){p, end};
        lengths[c] = get_varint(r, COL_MAIN);
        p = r->col[COL_MAIN].p;
    }
    for (int c = 0; c < COL__COUNT && !r->failed; c++) {
        if (lengths[c] > (uint64_t)(end - p)) {
            fail(r, "the record is shorter than its columns say");
            return false;
        }
        r->col[c] = (column_cursor){p, p + lengths[c]};
        p += lengths[c];
    }
    if (!r->failed && p != end)
        fail(r, "the record has %zu bytes after its end", (size_t)(end - p));
    return !r->failed;
}

static bool start_fonts(record_reader *r, const bp_fontset *fonts)
{
    int count = fonts ? bp_fontset_face_count(fonts) : 0;
    for (int i = 0; i < count && i < BP_MAX_FACES; i++) {
        hb_font_t *font = hb_font_create(bp_fontset_face(fonts, i)->hb_face);
        r->cmap[i] = font != hb_font_get_empty() ? font : NULL;
        if (!r->cmap[i])
            return false;
    }
    return true;
}

static void reader_end(record_reader *r)
{
    for (int i = 0; i < BP_MAX_FACES; i++)
        if (r->cmap[i])
            hb_font_destroy(r->cmap[i]);
    free(r->strings);
    free(r->cursor);
    free(r->ids);
    free(r->clusters);
    free(r->dx);
}

int bp_record_decode(const void *data, size_t size, const bp_fontset *fonts, bp_record *out,
                     char *why, size_t why_size)
{
    memset(out, 0, sizeof *out);
    record_reader r = {.why = why, .why_size = why_size};
    if (size < MAGIC_LEN || memcmp(data, record_magic, MAGIC_LEN) != 0) {
        snprintf(why, why_size, "not a budgetpress record of version 1");
        return -1;
    }
    const unsigned char *bytes = data;
    out->doc = r.doc = bp_document_create();
    int64_t *pages = NULL;
    if (!r.doc || !start_fonts(&r, fonts))
        fail(&r, "out of memory");
    else if (open_columns(&r, bytes + MAGIC_LEN, bytes + size)) {
        get_info(&r);
        get_faces(&r, out);
        get_outline(&r);
        get_nodes(&r, &pages);
        get_pages(&r);
    }
    for (int c = 0; !r.failed && c < COL__COUNT; c++)
        if (left(&r, c))
            fail(&r, "the record has %zu bytes it does not use", left(&r, c));
    if (!r.failed)
        check_targets(&r);
    /* An empty cell draws nothing, so no run placed it: its page is the record's. */
    for (size_t id = 1; !r.failed && id <= bp_document_node_count(r.doc); id++)
        if (pages[id - 1] >= 0 && (size_t)pages[id - 1] < bp_document_page_count(r.doc))
            bp_document_place_node(r.doc, (bp_node_id)id, (size_t)pages[id - 1]);
    free(pages);
    reader_end(&r);
    if (r.failed) {
        bp_record_free(out);
        return -1;
    }
    return 0;
}

int bp_record_identity(const void *data, size_t size, bp_doc_info *info, bp_document **holder)
{
    char why[8];
    record_reader r = {.why = why, .why_size = sizeof why};
    const unsigned char *bytes = data;
    *holder = NULL;
    if (size < MAGIC_LEN || memcmp(data, record_magic, MAGIC_LEN) != 0)
        return -1;
    r.doc = bp_document_create();
    if (r.doc && open_columns(&r, bytes + MAGIC_LEN, bytes + size))
        get_info(&r);
    free(r.strings);
    if (!r.doc || r.failed) {
        bp_document_destroy(r.doc);
        return -1;
    }
    *info = *bp_document_info(r.doc);
    *holder = r.doc;
    return 0;
}

void bp_record_free(bp_record *rec)
{
    bp_document_destroy(rec->doc);
    memset(rec, 0, sizeof *rec);
}

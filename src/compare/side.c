/*
 * side.c: one side of a comparison: a record read back as what a reader sees in it: tables of
 * keyed rows of cells (every continuation page's rows in one list) and the text blocks around
 * them (headings, paragraphs, list items, contents lines, tables' titles and banners), each
 * with its text, pages and the box it is drawn in.
 *
 * Stage: compare, after source.c. The record's structure tree gives everything: a table node,
 * its body's rows, their cells with meanings (table, row key, column, value); no text is
 * guessed from positions.
 */
#include "compare_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- What each node shows and where ---- */

static bool is_leaf_kind(bp_node_kind k)
{
    return k == BP_NODE_H1 || k == BP_NODE_H2 || k == BP_NODE_H3 || k == BP_NODE_P ||
           k == BP_NODE_ITEM_BODY || k == BP_NODE_LINK || k == BP_NODE_TH || k == BP_NODE_TD;
}

static void grow_box(bp_cmp_box *box, const bp_glyph_run *run, int page)
{
    bp_len top = run->y - run->size * 9 / 10, bottom = run->y + run->size / 4;
    bp_len right = run->x + run->width;
    if (box->page < 0) {
        *box = (bp_cmp_box){page, run->x, top, right - run->x, bottom - top};
        return;
    }
    if (box->page != page)
        return;
    bp_len x0 = box->x < run->x ? box->x : run->x, y0 = box->y < top ? box->y : top;
    bp_len x1 = box->x + box->w > right ? box->x + box->w : right;
    bp_len y1 = box->y + box->h > bottom ? box->y + box->h : bottom;
    *box = (bp_cmp_box){page, x0, y0, x1 - x0, y1 - y0};
}

/* Joins each node's content runs into its text, and notes its pages and box. */
static int read_runs(cmp_side *side)
{
    size_t n = side->node_count + 1;
    bp_strbuf *texts = calloc(n, sizeof *texts);
    side->node_text = bp_arena_array(side->arena, n, sizeof *side->node_text);
    side->node_last_page = bp_arena_array(side->arena, n, sizeof *side->node_last_page);
    side->node_box = bp_arena_array(side->arena, n, sizeof *side->node_box);
    side->node_size = bp_arena_array(side->arena, n, sizeof *side->node_size);
    if (!texts || !side->node_text || !side->node_last_page || !side->node_box ||
        !side->node_size) {
        free(texts);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        side->node_last_page[i] = -1;
        side->node_box[i].page = -1;
        side->node_size[i] = 0;
    }
    for (size_t p = 0; p < bp_document_page_count(side->doc); p++) {
        const bp_page *page = bp_document_page(side->doc, p);
        for (size_t i = 0; i < page->count; i++) {
            const bp_glyph_run *run = &page->items[i].u.glyphs;
            if (page->items[i].kind != BP_ITEM_GLYPHS || run->artifact || !run->node)
                continue;
            bp_strbuf_append(&texts[run->node], run->text, run->text_len);
            side->node_last_page[run->node] = (int)p;
            if (!side->node_size[run->node])
                side->node_size[run->node] = run->size;
            grow_box(&side->node_box[run->node], run, (int)p);
        }
    }
    bool failed = false;
    for (bp_node_id id = 1; id < n; id++) {
        const bp_node *node = bp_document_node(side->doc, id);
        /* A contents line's node names its title; what it shows is the title and the page
         * number, which is what changes when a section moves. */
        bool shown = !node->text || (node->kind == BP_NODE_LINK && texts[id].len);
        const char *text = shown ? bp_strbuf_cstr(&texts[id]) : node->text;
        side->node_text[id] = bp_arena_strndup(side->arena, text, strlen(text));
        failed = failed || texts[id].failed || !side->node_text[id];
        bp_strbuf_free(&texts[id]);
        if (node->w > 0 && side->node_box[id].page >= 0) {
            /* A cell: its column's edges, not its text's. */
            side->node_box[id].x = node->x;
            side->node_box[id].w = node->w;
        }
        if (side->node_box[id].page < 0 && node->page >= 0 && node->w > 0)
            side->node_box[id] = (bp_cmp_box){node->page, node->x, 0, node->w, 0};
    }
    free(texts);
    return failed ? -1 : 0;
}

/* ---- Tables ---- */

static cmp_table *find_table(cmp_side *side, const char *key)
{
    for (size_t i = 0; i < side->table_count; i++)
        if (strcmp(side->tables[i].key, key) == 0)
            return &side->tables[i];
    return NULL;
}

static bool is_amount_text(const char *s)
{
    if (!*s)
        return true;
    for (; *s; s++)
        if (!strchr("0123456789.,-", *s))
            return false;
    return true;
}

/* What a reader calls the row: its key and its first text cell that says more than the key
 * ("2080505 机关事业单位基本养老保险缴费支出"), or that cell alone when the row has no key. */
static const char *row_label(cmp_side *side, const cmp_row *row, const char *key)
{
    for (size_t i = 0; i < row->cell_count; i++) {
        const char *text = row->cells[i].text;
        if (row->cells[i].meaning && row->cells[i].meaning->has_amount)
            continue;
        if (is_amount_text(text) || (key && strcmp(text, key) == 0))
            continue;
        if (!key)
            return text;
        size_t n = strlen(key) + strlen(text) + 2;
        char *label = bp_arena_alloc(side->arena, n);
        if (label)
            snprintf(label, n, "%s %s", key, text);
        return label ? label : key;
    }
    return key ? key : "";
}

/* The row's key, made unique in its table by the occurrence ("x#2" for the second x). */
static const char *unique_key(cmp_side *side, const cmp_table *t, const char *base)
{
    int occurrence = 1;
    for (size_t i = 0; i < t->row_count; i++) {
        const char *k = t->rows[i].key;
        size_t n = strlen(base);
        if (strncmp(k, base, n) == 0 && (k[n] == '\0' || k[n] == '#'))
            occurrence++;
    }
    if (occurrence == 1)
        return base;
    size_t n = strlen(base) + 16;
    char *key = bp_arena_alloc(side->arena, n);
    if (key)
        snprintf(key, n, "%s#%d", base, occurrence);
    return key;
}

static int add_row(cmp_side *side, cmp_table *t, bp_node_id tr, size_t *capacity)
{
    void *grown = bp_grow(t->rows, capacity, t->row_count + 1, sizeof *t->rows, 16);
    if (!grown)
        return -1;
    t->rows = grown;
    cmp_row *row = &t->rows[t->row_count];
    memset(row, 0, sizeof *row);
    row->node = tr;
    row->page = bp_document_node(side->doc, tr)->page;
    size_t cells = 0;
    for (bp_node_id id = tr + 1; id <= side->node_count; id++) {
        const bp_node *n = bp_document_node(side->doc, id);
        if (n->parent != tr)
            break;
        cells++;
    }
    row->cells = cells ? bp_arena_array(side->arena, cells, sizeof *row->cells) : NULL;
    if (cells && !row->cells)
        return -1;
    uint64_t hash = 0;
    for (size_t c = 0; c < cells; c++) {
        bp_node_id id = tr + 1 + (bp_node_id)c;
        const bp_node *n = bp_document_node(side->doc, id);
        cmp_cell *cell = &row->cells[c];
        cell->node = id;
        cell->meaning = n->meaning;
        cell->column = n->meaning && n->meaning->column ? n->meaning->column : "";
        cell->text = side->node_text[id];
        hash = cmp_hash(cell->text, cmp_hash(cell->column, hash));
        side->node_table[id] = (uint32_t)(t - side->tables) + 1;
        side->node_row[id] = (uint32_t)t->row_count + 1;
    }
    row->cell_count = cells;
    row->hash = hash;
    const bp_meaning *m = bp_document_node(side->doc, tr)->meaning;
    const char *base = m && m->row ? m->row : NULL;
    row->label = row_label(side, row, base);
    row->key = unique_key(side, t, base ? base : row->label);
    if (!row->key || !row->label)
        return -1;
    side->node_table[tr] = (uint32_t)(t - side->tables) + 1;
    side->node_row[tr] = (uint32_t)t->row_count + 1;
    t->row_count++;
    return 0;
}

/* A table node and the rows of its body. */
static int add_table(cmp_side *side, bp_node_id table_node, size_t *capacity)
{
    const bp_node *node = bp_document_node(side->doc, table_node);
    void *grown = bp_grow(side->tables, capacity, side->table_count + 1, sizeof *side->tables, 8);
    if (!grown)
        return -1;
    side->tables = grown;
    cmp_table *t = &side->tables[side->table_count++];
    memset(t, 0, sizeof *t);
    t->node = table_node;
    t->key = node->path ? node->path : "";
    t->title = NULL;
    t->first_page = node->page;
    t->last_page = node->page;
    size_t row_capacity = 0;
    bp_node_id body = 0;
    for (bp_node_id id = table_node + 1; id <= side->node_count; id++) {
        const bp_node *n = bp_document_node(side->doc, id);
        if (n->kind == BP_NODE_TBODY && n->parent == table_node)
            body = id;
        else if (n->kind == BP_NODE_TR && body && n->parent == body) {
            if (add_row(side, t, id, &row_capacity) != 0)
                return -1;
        } else if (n->parent < table_node)
            break; /* the tree is in reading order: the table's nodes are one run of ids */
        if (n->page >= 0 && (n->parent == body || n->kind == BP_NODE_TR))
            t->last_page = t->last_page > n->page ? t->last_page : n->page;
        side->node_table[id] = (uint32_t)side->table_count;
    }
    for (size_t r = 0; r < t->row_count; r++) {
        int last = side->node_last_page[t->rows[r].node];
        for (size_t c = 0; c < t->rows[r].cell_count; c++)
            if (side->node_last_page[t->rows[r].cells[c].node] > last)
                last = side->node_last_page[t->rows[r].cells[c].node];
        if (last > t->last_page)
            t->last_page = last;
    }
    return 0;
}

/* A table's key as its cells name it ("expense_summary"), the title the nodes beside it give. */
static void name_tables(cmp_side *side)
{
    for (size_t i = 0; i < side->table_count; i++) {
        cmp_table *t = &side->tables[i];
        for (bp_node_id id = t->node + 1; id <= side->node_count; id++) {
            const bp_node *n = bp_document_node(side->doc, id);
            if (n->parent < t->node)
                break;
            if (n->meaning && n->meaning->table) {
                t->key = n->meaning->table;
                break;
            }
        }
    }
    for (bp_node_id id = 1; id <= side->node_count; id++) {
        const bp_node *n = bp_document_node(side->doc, id);
        if (n->meaning && n->meaning->role == BP_CELL_TITLE && n->meaning->table) {
            cmp_table *t = find_table(side, n->meaning->table);
            if (t && !t->title && side->node_text[id][0])
                t->title = side->node_text[id];
        }
    }
    for (size_t i = 0; i < side->table_count; i++)
        if (!side->tables[i].title)
            side->tables[i].title = side->tables[i].key;
}

/* ---- Text blocks ---- */

static bool inside(const cmp_side *side, bp_node_id id, bp_node_kind kind)
{
    for (const bp_node *n = bp_document_node(side->doc, id); n;
         n = bp_document_node(side->doc, n->parent))
        if (n->kind == kind)
            return true;
    return false;
}

static const char *block_path(const cmp_side *side, bp_node_id id)
{
    for (const bp_node *n = bp_document_node(side->doc, id); n;
         n = bp_document_node(side->doc, n->parent))
        if (n->path)
            return n->path;
    return "";
}

static int read_blocks(cmp_side *side)
{
    size_t capacity = 0;
    for (bp_node_id id = 1; id <= side->node_count; id++) {
        const bp_node *n = bp_document_node(side->doc, id);
        if (!is_leaf_kind(n->kind) || n->kind == BP_NODE_TH || n->kind == BP_NODE_TD ||
            side->node_text[id][0] == '\0' || inside(side, id, BP_NODE_TABLE))
            continue;
        void *grown =
            bp_grow(side->blocks, &capacity, side->block_count + 1, sizeof *side->blocks, 32);
        if (!grown)
            return -1;
        side->blocks = grown;
        cmp_block *b = &side->blocks[side->block_count++];
        *b = (cmp_block){.kind = n->kind,
                         .path = block_path(side, id),
                         .text = side->node_text[id],
                         .node = id,
                         .page = n->page,
                         .contents = inside(side, id, BP_NODE_TOC),
                         .title = n->text ? n->text : side->node_text[id]};
    }
    return 0;
}

int cmp_side_read(cmp_side *side, const unsigned char *record, size_t size, const bp_fontset *fonts,
                  char *why, size_t why_size)
{
    memset(side, 0, sizeof *side);
    if (bp_record_decode(record, size, fonts, &side->rec, why, why_size) != 0)
        return -1;
    side->doc = side->rec.doc;
    side->node_count = bp_document_node_count(side->doc);
    side->arena = bp_arena_create();
    size_t n = side->node_count + 1;
    side->node_table =
        side->arena ? bp_arena_array(side->arena, n, sizeof *side->node_table) : NULL;
    side->node_row = side->arena ? bp_arena_array(side->arena, n, sizeof *side->node_row) : NULL;
    if (!side->node_table || !side->node_row || read_runs(side) != 0)
        goto oom;
    memset(side->node_table, 0, n * sizeof *side->node_table);
    memset(side->node_row, 0, n * sizeof *side->node_row);
    size_t capacity = 0;
    for (bp_node_id id = 1; id <= side->node_count; id++)
        if (bp_document_node(side->doc, id)->kind == BP_NODE_TABLE &&
            add_table(side, id, &capacity) != 0)
            goto oom;
    name_tables(side);
    if (read_blocks(side) != 0)
        goto oom;
    return 0;
oom:
    snprintf(why, why_size, "out of memory");
    cmp_side_free(side);
    return -1;
}

void cmp_side_free(cmp_side *side)
{
    for (size_t i = 0; i < side->table_count; i++)
        free(side->tables[i].rows);
    free(side->tables);
    free(side->blocks);
    bp_arena_destroy(side->arena);
    bp_record_free(&side->rec);
    memset(side, 0, sizeof *side);
}

const char *cmp_column_label(const cmp_side *side, const cmp_table *t, const char *column)
{
    /* The header's cells that head the column, the last one that is not a 栏次 number. */
    const char *label = NULL;
    for (bp_node_id id = t->node + 1; id <= side->node_count; id++) {
        const bp_node *n = bp_document_node(side->doc, id);
        if (n->kind == BP_NODE_TBODY)
            break;
        if (n->kind == BP_NODE_TH && n->meaning && n->meaning->column &&
            strcmp(n->meaning->column, column) == 0 && !is_amount_text(side->node_text[id]))
            label = side->node_text[id];
    }
    return label ? label : column;
}

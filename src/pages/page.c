/*
 * page.c: the display list: pages of positioned glyph runs, rules, rectangles and links, plus
 * the document's outline and metadata (page.h).
 *
 * Stage: between layout and the backends. Never measures, never shapes, never knows PDF. The
 * fact that shaped it: a document lives exactly as long as one render, so everything it holds
 * comes from one arena; only each page's item array grows by realloc, because pages are
 * appended to while being filled and cannot know their size in advance.
 */
#include "budgetpress/page.h"

#include "budgetpress/amount.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../util/util.h"

struct bp_document {
    bp_arena *arena;
    bp_arena **adopted; /* arenas of documents appended to this one */
    size_t adopted_count;
    bp_page *pages;
    size_t page_count;
    size_t page_capacity;
    bp_outline_entry *outline;
    size_t outline_count;
    size_t outline_capacity;
    bp_doc_info info;
    bp_node *nodes; /* the structure tree; node id i is nodes[i - 1] */
    size_t node_count;
    size_t node_capacity;
    /* The keys of meanings, each stored once: a 5,000-row table's 65,000 cells name one table,
     * thirteen columns and 5,000 rows (open addressing, a power of two; NULL: empty). */
    const char **keys;
    size_t key_count, key_capacity;
};

/* Grows a malloc'd array to hold one more element; returns false when out of memory. */
static bool grow(void **items, size_t *capacity, size_t count, size_t size)
{
    void *p = bp_grow(*items, capacity, count + 1, size, 16);
    if (!p)
        return false;
    *items = p;
    return true;
}

bp_document *bp_document_create(void)
{
    bp_document *doc = calloc(1, sizeof *doc);
    if (doc && !(doc->arena = bp_arena_create())) {
        free(doc);
        return NULL;
    }
    return doc;
}

void bp_document_destroy(bp_document *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->page_count; i++)
        free(doc->pages[i].items);
    free(doc->pages);
    free(doc->outline);
    free(doc->nodes);
    free(doc->keys);
    for (size_t i = 0; i < doc->adopted_count; i++)
        bp_arena_destroy(doc->adopted[i]);
    free(doc->adopted);
    bp_arena_destroy(doc->arena);
    free(doc);
}

bp_page *bp_document_add_page(bp_document *doc, bp_len width, bp_len height)
{
    if (!grow((void **)&doc->pages, &doc->page_capacity, doc->page_count, sizeof(bp_page)))
        return NULL;
    bp_page *page = &doc->pages[doc->page_count++];
    memset(page, 0, sizeof *page);
    page->width = width;
    page->height = height;
    return page;
}

size_t bp_document_page_count(const bp_document *doc)
{
    return doc->page_count;
}

const bp_page *bp_document_page(const bp_document *doc, size_t index)
{
    return index < doc->page_count ? &doc->pages[index] : NULL;
}

bp_page *bp_document_page_mut(bp_document *doc, size_t index)
{
    return index < doc->page_count ? &doc->pages[index] : NULL;
}

static bp_item *new_item(bp_page *page, bp_item_kind kind)
{
    /* A page that could not be made (out of memory) takes nothing: the caller's error path
     * reports it, as for any failed add. */
    if (!page)
        return NULL;
    if (!grow((void **)&page->items, &page->capacity, page->count, sizeof(bp_item)))
        return NULL;
    bp_item *item = &page->items[page->count];
    memset(item, 0, sizeof *item);
    item->kind = kind;
    return item;
}

/* A page's index in its document: pages are one array. */
static size_t page_index(const bp_document *doc, const bp_page *page)
{
    assert(page >= doc->pages && page < doc->pages + doc->page_count);
    return (size_t)(page - doc->pages);
}

static void *copy_array(bp_arena *arena, const void *data, size_t count, size_t size)
{
    void *p = bp_arena_array(arena, count, size);
    if (p && count)
        memcpy(p, data, count * size);
    return p;
}

static size_t key_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

static const char **key_slot(const char **keys, size_t capacity, const char *s)
{
    for (size_t i = key_hash(s) & (capacity - 1);; i = (i + 1) & (capacity - 1))
        if (!keys[i] || strcmp(keys[i], s) == 0)
            return &keys[i];
}

/* Keeps the table at most half full; false when out of memory (it stays as it was). */
static bool keys_grow(bp_document *doc)
{
    if (doc->key_count * 2 < doc->key_capacity)
        return true;
    size_t capacity = doc->key_capacity ? doc->key_capacity * 2 : 256;
    const char **keys = calloc(capacity, sizeof *keys);
    if (!keys)
        return false;
    for (size_t i = 0; i < doc->key_capacity; i++)
        if (doc->keys[i])
            *key_slot(keys, capacity, doc->keys[i]) = doc->keys[i];
    free(doc->keys);
    doc->keys = keys;
    doc->key_capacity = capacity;
    return true;
}

/* The document's one copy of a key (NULL for NULL); *failed set when out of memory. */
static const char *intern_key(bp_document *doc, const char *s, bool *failed)
{
    if (!s)
        return NULL;
    if (!keys_grow(doc)) {
        *failed = true;
        return NULL;
    }
    const char **slot = key_slot(doc->keys, doc->key_capacity, s);
    if (!*slot) {
        char *copy = bp_arena_strndup(doc->arena, s, strlen(s));
        if (!copy) {
            *failed = true;
            return NULL;
        }
        *slot = copy;
        doc->key_count++;
    }
    return *slot;
}

/* A meaning copied into the document, its keys stored once. */
static const bp_meaning *copy_meaning(bp_document *doc, const bp_meaning *m)
{
    bp_meaning *c = bp_arena_alloc(doc->arena, sizeof *c);
    if (!c)
        return NULL;
    bool failed = false;
    *c = *m;
    c->table = intern_key(doc, m->table, &failed);
    c->row = intern_key(doc, m->row, &failed);
    c->column = intern_key(doc, m->column, &failed);
    return failed ? NULL : c;
}

static bool same_key(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_meaning(const bp_meaning *a, const bp_meaning *b)
{
    return same_key(a->table, b->table) && same_key(a->row, b->row) &&
           same_key(a->column, b->column) && a->role == b->role && a->has_amount == b->has_amount &&
           a->hundredths == b->hundredths && a->blank == b->blank;
}

/* A run's meaning in the document: its node's when they say the same (a cell's runs and its
 * node, the common case, share one copy), else a copy of its own. */
static const bp_meaning *run_meaning(bp_document *doc, const bp_glyph_run *run)
{
    const bp_node *node = bp_document_node(doc, run->node);
    if (node && node->meaning && same_meaning(node->meaning, run->meaning))
        return node->meaning;
    return copy_meaning(doc, run->meaning);
}

int bp_page_add_glyphs(bp_document *doc, bp_page *page, const bp_glyph_run *run)
{
    bp_glyph_run copy = *run;
    copy.ids = copy_array(doc->arena, run->ids, run->count, sizeof *run->ids);
    copy.dx = copy_array(doc->arena, run->dx, run->count, sizeof *run->dx);
    copy.clusters = copy_array(doc->arena, run->clusters, run->count, sizeof *run->clusters);
    copy.text = bp_arena_strndup(doc->arena, run->text, run->text_len);
    if (!copy.ids || !copy.dx || !copy.clusters || !copy.text)
        return -1;
    if (run->meaning && !(copy.meaning = run_meaning(doc, run)))
        return -1;
    bp_item *item = new_item(page, BP_ITEM_GLYPHS);
    if (!item)
        return -1;
    item->u.glyphs = copy;
    page->count++;
    if (run->node)
        bp_document_place_node(doc, run->node, page_index(doc, page));
    return 0;
}

int bp_page_add_rule(bp_document *doc, bp_page *page, const bp_rule *rule)
{
    bp_item *item = new_item(page, BP_ITEM_RULE);
    if (!item)
        return -1;
    item->u.rule = *rule;
    page->count++;
    return 0;
}

int bp_page_add_rect(bp_document *doc, bp_page *page, const bp_rect *rect)
{
    bp_item *item = new_item(page, BP_ITEM_RECT);
    if (!item)
        return -1;
    item->u.rect = *rect;
    page->count++;
    return 0;
}

int bp_page_add_link(bp_document *doc, bp_page *page, const bp_link *link)
{
    bp_item *item = new_item(page, BP_ITEM_LINK);
    if (!item)
        return -1;
    item->u.link = *link;
    page->count++;
    return 0;
}

static const char *copy_string(bp_document *doc, const char *s)
{
    return s ? bp_arena_strndup(doc->arena, s, strlen(s)) : NULL;
}

const char *bp_document_copy_string(bp_document *doc, const char *s, size_t len)
{
    return bp_arena_strndup(doc->arena, s, len);
}

int bp_page_set_label(bp_document *doc, bp_page *page, const char *label)
{
    const char *copy = copy_string(doc, label);
    if (label && !copy)
        return -1;
    page->label = copy;
    return 0;
}

int bp_document_add_outline(bp_document *doc, const bp_outline_entry *entry)
{
    if (!grow((void **)&doc->outline, &doc->outline_capacity, doc->outline_count,
              sizeof(bp_outline_entry)))
        return -1;
    bp_outline_entry copy = *entry;
    copy.title = copy_string(doc, entry->title);
    if (!copy.title)
        return -1;
    doc->outline[doc->outline_count++] = copy;
    return 0;
}

size_t bp_document_outline_count(const bp_document *doc)
{
    return doc->outline_count;
}

const bp_outline_entry *bp_document_outline(const bp_document *doc, size_t index)
{
    return index < doc->outline_count ? &doc->outline[index] : NULL;
}

bp_node_id bp_document_add_node(bp_document *doc, const bp_node *node)
{
    assert(node->parent <= doc->node_count);
    if (node->parent > doc->node_count || node->kind >= BP_NODE__COUNT) /* no tree of loops */
        return 0;
    if (doc->node_count >= UINT32_MAX - 1 ||
        !grow((void **)&doc->nodes, &doc->node_capacity, doc->node_count, sizeof(bp_node)))
        return 0;
    bp_node copy = *node;
    copy.path = copy_string(doc, node->path);
    copy.text = copy_string(doc, node->text);
    if ((node->path && !copy.path) || (node->text && !copy.text))
        return 0;
    if (node->meaning && !(copy.meaning = copy_meaning(doc, node->meaning)))
        return 0;
    copy.page = -1;
    doc->nodes[doc->node_count++] = copy;
    return (bp_node_id)doc->node_count;
}

size_t bp_document_node_count(const bp_document *doc)
{
    return doc->node_count;
}

const bp_node *bp_document_node(const bp_document *doc, bp_node_id id)
{
    return id >= 1 && id <= doc->node_count ? &doc->nodes[id - 1] : NULL;
}

void bp_document_place_node(bp_document *doc, bp_node_id id, size_t page)
{
    if (id >= 1 && id <= doc->node_count && doc->nodes[id - 1].page < 0)
        doc->nodes[id - 1].page = (int)page;
}

const char *bp_node_kind_name(bp_node_kind kind)
{
    static const char *const names[BP_NODE__COUNT] = {
        [BP_NODE_PART] = "Part",   [BP_NODE_SECTION] = "Sect",  [BP_NODE_H1] = "H1",
        [BP_NODE_H2] = "H2",       [BP_NODE_H3] = "H3",         [BP_NODE_P] = "P",
        [BP_NODE_LIST] = "L",      [BP_NODE_ITEM] = "LI",       [BP_NODE_ITEM_BODY] = "LBody",
        [BP_NODE_TOC] = "TOC",     [BP_NODE_TOC_ITEM] = "TOCI", [BP_NODE_LINK] = "Link",
        [BP_NODE_TABLE] = "Table", [BP_NODE_THEAD] = "THead",   [BP_NODE_TBODY] = "TBody",
        [BP_NODE_TR] = "TR",       [BP_NODE_TH] = "TH",         [BP_NODE_TD] = "TD",
    };
    return (unsigned)kind < BP_NODE__COUNT ? names[kind] : "?";
}

int bp_document_set_info(bp_document *doc, const bp_doc_info *info)
{
    bp_doc_info copy = *info;
    copy.title = copy_string(doc, info->title);
    copy.author = copy_string(doc, info->author);
    copy.subject = copy_string(doc, info->subject);
    copy.keywords = copy_string(doc, info->keywords);
    copy.creator = copy_string(doc, info->creator);
    copy.source = copy_string(doc, info->source);
    copy.unit_code = copy_string(doc, info->unit_code);
    copy.unit_name = copy_string(doc, info->unit_name);
    copy.layout_name = copy_string(doc, info->layout_name);
    copy.layout_digest = copy_string(doc, info->layout_digest);
    if ((info->title && !copy.title) || (info->author && !copy.author) ||
        (info->subject && !copy.subject) || (info->keywords && !copy.keywords) ||
        (info->creator && !copy.creator) || (info->source && !copy.source) ||
        (info->unit_code && !copy.unit_code) || (info->unit_name && !copy.unit_name) ||
        (info->layout_name && !copy.layout_name) || (info->layout_digest && !copy.layout_digest))
        return -1;
    doc->info = copy;
    return 0;
}

const bp_doc_info *bp_document_info(const bp_document *doc)
{
    return &doc->info;
}

/* Puts doc's nodes before tail's in tail's array, which becomes doc's: the body's tree is the
 * long one, and it is grown in place rather than copied beside itself. Tail's nodes are
 * renumbered after doc's, their pages shifted. Strings stay in tail's arena, which doc adopts.
 * -1 (out of memory): both unchanged. */
static int append_nodes(bp_document *doc, bp_document *tail, size_t page_offset)
{
    size_t total = doc->node_count + tail->node_count;
    if (!tail->node_count)
        return 0;
    if (total >= UINT32_MAX - 1)
        return -1;
    bp_node *grown = realloc(tail->nodes, total * sizeof *grown);
    if (!grown)
        return -1;
    bp_node_id first = (bp_node_id)doc->node_count;
    memmove(grown + doc->node_count, grown, tail->node_count * sizeof *grown);
    if (doc->node_count)
        memcpy(grown, doc->nodes, doc->node_count * sizeof *grown);
    for (size_t i = doc->node_count; i < total; i++) {
        if (grown[i].parent)
            grown[i].parent += first;
        if (grown[i].page >= 0)
            grown[i].page += (int)page_offset;
    }
    free(doc->nodes);
    doc->nodes = grown;
    doc->node_count = doc->node_capacity = total;
    tail->nodes = NULL;
    tail->node_count = tail->node_capacity = 0;
    return 0;
}

/* An item of a page moved from an appended document: its link target and node shifted. */
static void shift_item(bp_item *item, int page_offset, bp_node_id node_offset)
{
    if (item->kind == BP_ITEM_LINK) {
        item->u.link.target_page += page_offset;
        if (item->u.link.node)
            item->u.link.node += node_offset;
    } else if (item->kind == BP_ITEM_GLYPHS && item->u.glyphs.node) {
        item->u.glyphs.node += node_offset;
    }
}

int bp_document_append(bp_document *doc, bp_document *tail)
{
    size_t offset = doc->page_count;
    size_t pages = doc->page_count + tail->page_count;
    bp_page *grown = realloc(doc->pages, (pages ? pages : 1) * sizeof *grown);
    bp_arena **adopted =
        realloc(doc->adopted, (doc->adopted_count + tail->adopted_count + 1) * sizeof *adopted);
    if (grown)
        doc->pages = grown;
    if (adopted)
        doc->adopted = adopted;
    if (!grown || !adopted)
        return -1;
    for (size_t i = 0; i < tail->outline_count; i++) {
        bp_outline_entry entry = tail->outline[i];
        entry.page += (int)offset;
        if (bp_document_add_outline(doc, &entry) != 0) {
            doc->outline_count -= i;
            return -1;
        }
    }
    bp_node_id first = (bp_node_id)doc->node_count;
    if (append_nodes(doc, tail, offset) != 0) {
        doc->outline_count -= tail->outline_count;
        return -1;
    }
    if (tail->page_count)
        memcpy(doc->pages + offset, tail->pages, tail->page_count * sizeof *grown);
    doc->page_count = pages;
    doc->page_capacity = pages;
    /* Links point at page indices and items at nodes: they move with their pages and nodes. */
    for (size_t p = offset; p < pages; p++)
        for (size_t i = 0; i < doc->pages[p].count; i++)
            shift_item(&doc->pages[p].items[i], (int)offset, first);
    doc->adopted[doc->adopted_count++] = tail->arena;
    if (tail->adopted_count)
        memcpy(doc->adopted + doc->adopted_count, tail->adopted,
               tail->adopted_count * sizeof *adopted);
    doc->adopted_count += tail->adopted_count;
    free(tail->pages);
    free(tail->outline);
    free(tail->nodes);
    free(tail->keys); /* its keys stay in its arena, which doc adopts */
    free(tail->adopted);
    free(tail);
    return 0;
}

/* ---- The stable dump ---- */

/* Prints a length in points with three decimals, exactly: lengths are integers of 1/1000 pt. */
static void put_len(FILE *out, bp_len v)
{
    const char *sign = v < 0 ? "-" : "";
    long long mag = v < 0 ? -(long long)v : v;
    fprintf(out, "%s%lld.%03lld", sign, mag / 1000, mag % 1000);
}

static void put_point(FILE *out, bp_len x, bp_len y)
{
    put_len(out, x);
    fputc(',', out);
    put_len(out, y);
}

static void put_size(FILE *out, bp_len w, bp_len h)
{
    put_len(out, w);
    fputc('x', out);
    put_len(out, h);
}

/* The text, quoted, with " and \ escaped: one item stays on one line. */
static void put_quoted(FILE *out, const char *s, size_t len)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"' || s[i] == '\\')
            fputc('\\', out);
        fputc(s[i], out);
    }
    fputc('"', out);
}

static void dump_glyphs(FILE *out, const bp_glyph_run *run)
{
    fprintf(out, "glyphs face=%u size=", (unsigned)run->face);
    put_len(out, run->size);
    fprintf(out, " bold=%d x=", run->bold_stroke > 0 ? 1 : 0);
    put_len(out, run->x);
    fputs(" y=", out);
    put_len(out, run->y);
    fprintf(out, " n=%zu w=", run->count);
    put_len(out, run->width);
    fputc(' ', out);
    put_quoted(out, run->text, run->text_len);
    fputc('\n', out);
}

static void dump_item(FILE *out, const bp_item *item)
{
    switch (item->kind) {
    case BP_ITEM_GLYPHS:
        dump_glyphs(out, &item->u.glyphs);
        break;
    case BP_ITEM_RULE:
        fputs("rule ", out);
        put_point(out, item->u.rule.x0, item->u.rule.y0);
        fputc(' ', out);
        put_point(out, item->u.rule.x1, item->u.rule.y1);
        fputs(" w=", out);
        put_len(out, item->u.rule.width);
        fputc('\n', out);
        break;
    case BP_ITEM_RECT:
        fputs("rect ", out);
        put_point(out, item->u.rect.x, item->u.rect.y);
        fputc(' ', out);
        put_size(out, item->u.rect.w, item->u.rect.h);
        fputs(" stroke=", out);
        put_len(out, item->u.rect.stroke_width);
        if (item->u.rect.fill)
            fprintf(out, " fill=%u\n", (unsigned)item->u.rect.fill_gray);
        else
            fputs(" fill=-\n", out);
        break;
    case BP_ITEM_LINK:
        fputs("link ", out);
        put_point(out, item->u.link.x, item->u.link.y);
        fputc(' ', out);
        put_size(out, item->u.link.w, item->u.link.h);
        fprintf(out, " -> page %d y=", item->u.link.target_page + 1);
        put_len(out, item->u.link.target_y);
        fputc('\n', out);
        break;
    }
}

static const char *const role_names[] = {"title", "banner", "header", "body", "total", "note"};

/* A key as the record writes it: as is, or "-" for none. */
static const char *key_or_dash(const char *s)
{
    return s && s[0] ? s : "-";
}

/* A meaning's keys, role and value as the record writes them. */
static void put_meaning(FILE *out, const bp_meaning *m)
{
    fprintf(out, "%s row=%s column=%s role=%s", key_or_dash(m->table), key_or_dash(m->row),
            key_or_dash(m->column),
            (size_t)m->role < sizeof role_names / sizeof *role_names ? role_names[m->role] : "?");
    if (m->has_amount && m->blank) {
        fputs(" value=blank", out);
    } else if (m->has_amount) {
        char value[BP_AMOUNT_FORMAT_MAX];
        bp_amount_format(bp_amount_from_hundredths(m->hundredths), false, value);
        fprintf(out, " value=%s", value);
    }
}

/* What a node prints: its runs' text joined, and the pages they are on. */
typedef struct node_print {
    bp_strbuf text;
    int last_page; /* -1: none */
} node_print;

/* A table's cell, title, banner or note: written by its meaning, as a cell is. */
static bool is_cell(const bp_node *n)
{
    return n->meaning && n->kind != BP_NODE_TR;
}

static void put_node(FILE *out, const bp_node *n, const node_print *p)
{
    if (is_cell(n)) {
        put_meaning(out, n->meaning);
    } else {
        fputs(bp_node_kind_name(n->kind), out);
        if (n->path)
            fprintf(out, " path=%s", n->path);
        if (n->meaning) /* a row */
            fprintf(out, " %s row=%s", key_or_dash(n->meaning->table),
                    key_or_dash(n->meaning->row));
    }
    if (n->text) {
        fputs(" text=", out);
        put_quoted(out, n->text, strlen(n->text));
    } else if (is_cell(n) || p->text.len) {
        fputs(" text=", out);
        put_quoted(out, p->text.len ? p->text.data : "", p->text.len);
    }
    if (n->page >= 0) {
        fprintf(out, " page=%d", n->page + 1);
        if (p->last_page > n->page)
            fprintf(out, "-%d", p->last_page + 1);
    }
    fputc('\n', out);
}

/* Pagination's own text, in page order: folios, and repeated banners and header rows (with
 * the meaning they repeat). */
static void put_artifacts(const bp_document *doc, FILE *out)
{
    for (size_t p = 0; p < doc->page_count; p++) {
        const bp_page *page = &doc->pages[p];
        for (size_t i = 0; i < page->count; i++) {
            const bp_item *item = &page->items[i];
            if (item->kind != BP_ITEM_GLYPHS || !item->u.glyphs.artifact)
                continue;
            const bp_glyph_run *run = &item->u.glyphs;
            if (run->meaning)
                put_meaning(out, run->meaning);
            else
                fputs("artifact", out);
            fputs(" text=", out);
            put_quoted(out, run->text, run->text_len);
            fprintf(out, " page=%zu%s\n", p + 1, run->meaning ? " repeated" : "");
        }
    }
}

int bp_document_dump_record(const bp_document *doc, FILE *out)
{
    node_print *prints = calloc(doc->node_count + 1, sizeof *prints);
    if (!prints)
        return -1;
    bool failed = false;
    for (size_t i = 0; i <= doc->node_count; i++)
        prints[i] = (node_print){BP_STRBUF_INIT, -1};
    for (size_t p = 0; p < doc->page_count; p++) {
        const bp_page *page = &doc->pages[p];
        for (size_t i = 0; i < page->count; i++) {
            const bp_item *item = &page->items[i];
            bp_node_id id = item->kind == BP_ITEM_GLYPHS ? item->u.glyphs.node : 0;
            if (!id || id > doc->node_count)
                continue;
            bp_strbuf_append(&prints[id].text, item->u.glyphs.text, item->u.glyphs.text_len);
            failed |= prints[id].text.failed;
            prints[id].last_page = (int)p;
        }
    }
    for (size_t i = 1; i <= doc->node_count && !failed; i++)
        put_node(out, &doc->nodes[i - 1], &prints[i]);
    if (!failed)
        put_artifacts(doc, out);
    for (size_t i = 0; i <= doc->node_count; i++)
        bp_strbuf_free(&prints[i].text);
    free(prints);
    return failed ? -1 : 0;
}

void bp_page_dump(const bp_page *page, FILE *out)
{
    fputs("page ", out);
    put_size(out, page->width, page->height);
    if (page->label)
        fprintf(out, " label=\"%s\"", page->label);
    fputc('\n', out);
    for (size_t i = 0; i < page->count; i++)
        dump_item(out, &page->items[i]);
}

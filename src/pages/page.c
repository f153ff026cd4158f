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

static void *copy_array(bp_arena *arena, const void *data, size_t count, size_t size)
{
    void *p = bp_arena_array(arena, count, size);
    if (p && count)
        memcpy(p, data, count * size);
    return p;
}

static const char *copy_key(bp_arena *arena, const char *s, bool *failed)
{
    if (!s)
        return NULL;
    char *c = bp_arena_strndup(arena, s, strlen(s));
    *failed = *failed || !c;
    return c;
}

/* A meaning copied into the document's arena, its strings with it. */
static const bp_meaning *copy_meaning(bp_arena *arena, const bp_meaning *m)
{
    bp_meaning *c = bp_arena_alloc(arena, sizeof *c);
    if (!c)
        return NULL;
    bool failed = false;
    *c = *m;
    c->table = copy_key(arena, m->table, &failed);
    c->row = copy_key(arena, m->row, &failed);
    c->column = copy_key(arena, m->column, &failed);
    return failed ? NULL : c;
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
    if (run->meaning && !(copy.meaning = copy_meaning(doc->arena, run->meaning)))
        return -1;
    bp_item *item = new_item(page, BP_ITEM_GLYPHS);
    if (!item)
        return -1;
    item->u.glyphs = copy;
    page->count++;
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

int bp_document_set_info(bp_document *doc, const bp_doc_info *info)
{
    bp_doc_info copy = *info;
    copy.title = copy_string(doc, info->title);
    copy.author = copy_string(doc, info->author);
    copy.subject = copy_string(doc, info->subject);
    copy.keywords = copy_string(doc, info->keywords);
    copy.creator = copy_string(doc, info->creator);
    copy.source = copy_string(doc, info->source);
    if ((info->title && !copy.title) || (info->author && !copy.author) ||
        (info->subject && !copy.subject) || (info->keywords && !copy.keywords) ||
        (info->creator && !copy.creator) || (info->source && !copy.source))
        return -1;
    doc->info = copy;
    return 0;
}

const bp_doc_info *bp_document_info(const bp_document *doc)
{
    return &doc->info;
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
        if (bp_document_add_outline(doc, &entry) != 0)
            return -1;
    }
    if (tail->page_count)
        memcpy(doc->pages + offset, tail->pages, tail->page_count * sizeof *grown);
    doc->page_count = pages;
    doc->page_capacity = pages;
    /* Links point at page indices: they move with their pages. */
    for (size_t p = offset; p < pages; p++)
        for (size_t i = 0; i < doc->pages[p].count; i++)
            if (doc->pages[p].items[i].kind == BP_ITEM_LINK)
                doc->pages[p].items[i].u.link.target_page += (int)offset;
    doc->adopted[doc->adopted_count++] = tail->arena;
    if (tail->adopted_count)
        memcpy(doc->adopted + doc->adopted_count, tail->adopted,
               tail->adopted_count * sizeof *adopted);
    doc->adopted_count += tail->adopted_count;
    free(tail->pages);
    free(tail->outline);
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
    fprintf(out, " bold=%d x=", run->fake_bold ? 1 : 0);
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

void bp_document_dump_record(const bp_document *doc, FILE *out)
{
    for (size_t p = 0; p < bp_document_page_count(doc); p++) {
        const bp_page *page = bp_document_page(doc, p);
        for (size_t i = 0; i < page->count; i++) {
            const bp_item *item = &page->items[i];
            const bp_meaning *m = item->kind == BP_ITEM_GLYPHS ? item->u.glyphs.meaning : NULL;
            if (!m && item->kind == BP_ITEM_GLYPHS && item->u.glyphs.artifact)
                fprintf(out, "artifact page=%zu text=\"%s\"\n", p + 1, item->u.glyphs.text);
            if (!m)
                continue;
            fprintf(out, "%s row=%s column=%s role=%s", key_or_dash(m->table), key_or_dash(m->row),
                    key_or_dash(m->column),
                    (size_t)m->role < sizeof role_names / sizeof *role_names ? role_names[m->role]
                                                                             : "?");
            if (m->has_amount && m->blank) {
                fputs(" value=blank", out);
            } else if (m->has_amount) {
                char value[BP_AMOUNT_FORMAT_MAX];
                bp_amount_format(bp_amount_from_hundredths(m->hundredths), false, value);
                fprintf(out, " value=%s", value);
            }
            fprintf(out, " page=%zu%s text=\"%s\"\n", p + 1,
                    item->u.glyphs.artifact ? " repeated" : "", item->u.glyphs.text);
        }
    }
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

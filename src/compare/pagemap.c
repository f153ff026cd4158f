/*
 * pagemap.c: pages paired by what they show, not by their numbers, and each pair given a
 * status: the same, shifted (showing what it showed, moved by a change before it), changed,
 * laid out differently, of another size; pages only on one side added or removed. Runs of
 * shifted pages are credited to the change that started them.
 *
 * Stage: compare, after content.c and geometry.c. Each new page votes for the old page most
 * of its content came from; the votes in increasing order (their longest increasing run) pair
 * the pages, and the pages left between two pairs are paired in order.
 */
#include "compare_int.h"

#include <stdlib.h>
#include <string.h>

/* The old page a new page's run of node b came from: its node's counterpart's page, the
 * same distance into the node's pages (a paragraph over two pages). */
static int source_page(const cmp_state *st, bp_node_id b, int page)
{
    bp_node_id a = st->new_to_old[b];
    if (!a)
        return -1;
    int first_b = st->new.node_box[b].page, first_a = st->old.node_box[a].page;
    int last_a = st->old.node_last_page[a];
    if (first_a < 0 || first_b < 0)
        return -1;
    int p = first_a + (page - first_b);
    return p > last_a ? last_a : p;
}

/* The old page with most votes from new page p, or -1. */
static int best_source(const cmp_state *st, size_t p, int *votes, size_t old_pages)
{
    memset(votes, 0, old_pages * sizeof *votes);
    const bp_page *page = bp_document_page(st->new.doc, p);
    for (size_t i = 0; i < page->count; i++) {
        const bp_glyph_run *run = &page->items[i].u.glyphs;
        if (page->items[i].kind != BP_ITEM_GLYPHS || run->artifact || !run->node)
            continue;
        int s = source_page(st, run->node, (int)p);
        if (s >= 0 && (size_t)s < old_pages)
            votes[s]++;
    }
    int best = -1;
    for (size_t i = 0; i < old_pages; i++)
        if (votes[i] > 0 && (best < 0 || votes[i] > votes[best]))
            best = (int)i;
    return best;
}

/* ---- Whether two pages are drawn the same ---- */

static bool same_run(const bp_glyph_run *a, const bp_glyph_run *b, const char *label_a,
                     const char *label_b)
{
    if (a->face != b->face || a->size != b->size || a->x != b->x || a->y != b->y ||
        a->artifact != b->artifact || a->bold_stroke != b->bold_stroke)
        return false;
    /* A folio is the page's number: a page that moved keeps being the same page. */
    bool folio =
        a->artifact && label_a && label_b && strstr(a->text, label_a) && strstr(b->text, label_b);
    return folio || (a->width == b->width && strcmp(a->text, b->text) == 0);
}

static bool same_item(const bp_item *a, const bp_item *b, const char *la, const char *lb)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case BP_ITEM_GLYPHS:
        return same_run(&a->u.glyphs, &b->u.glyphs, la, lb);
    case BP_ITEM_RULE:
        return memcmp(&a->u.rule, &b->u.rule, sizeof a->u.rule) == 0;
    case BP_ITEM_RECT:
        return a->u.rect.x == b->u.rect.x && a->u.rect.y == b->u.rect.y &&
               a->u.rect.w == b->u.rect.w && a->u.rect.h == b->u.rect.h &&
               a->u.rect.stroke_width == b->u.rect.stroke_width &&
               a->u.rect.fill == b->u.rect.fill && a->u.rect.fill_gray == b->u.rect.fill_gray;
    case BP_ITEM_LINK:
        return a->u.link.x == b->u.link.x && a->u.link.y == b->u.link.y &&
               a->u.link.w == b->u.link.w && a->u.link.h == b->u.link.h;
    }
    return false;
}

static bool same_page(const bp_page *a, const bp_page *b)
{
    if (a->count != b->count || a->width != b->width || a->height != b->height)
        return false;
    for (size_t i = 0; i < a->count; i++)
        if (!same_item(&a->items[i], &b->items[i], a->label, b->label))
            return false;
    return true;
}

/* Whether a page shows content that changed: a run of a changed node, or an empty cell of a
 * changed row placed there. */
static int changed_on(const cmp_side *side, const bool *changed, size_t p)
{
    int n = 0;
    const bp_page *page = bp_document_page(side->doc, p);
    for (size_t i = 0; i < page->count; i++) {
        const bp_glyph_run *run = &page->items[i].u.glyphs;
        if (page->items[i].kind == BP_ITEM_GLYPHS && !run->artifact && run->node &&
            changed[run->node] && side->node_box[run->node].page == (int)p)
            n++;
    }
    for (bp_node_id id = 1; id <= side->node_count; id++)
        if (changed[id] && side->node_box[id].page < 0 &&
            bp_document_node(side->doc, id)->page == (int)p)
            n++;
    return n;
}

/* ---- Pairing ---- */

static bool add_pair(cmp_state *st, int old_page, int new_page, size_t *capacity)
{
    bp_comparison *c = st->c;
    void *grown = bp_grow(c->pages, capacity, c->page_count + 1, sizeof *c->pages, 32);
    if (!grown) {
        st->failed = true;
        return false;
    }
    c->pages = grown;
    c->pages[c->page_count++] = (bp_page_pair){.old_page = old_page + 1,
                                               .new_page = new_page + 1,
                                               .status = old_page < 0   ? BP_PAGE_ADDED
                                                         : new_page < 0 ? BP_PAGE_REMOVED
                                                                        : BP_PAGE_SAME,
                                               .cause = -1};
    return true;
}

/* Pairs the pages left between two paired ones in order; the rest are added or removed. */
static void pair_gap(cmp_state *st, int a0, int a1, int b0, int b1, size_t *capacity)
{
    int a = a0, b = b0;
    for (; a < a1 && b < b1; a++, b++)
        add_pair(st, a, b, capacity);
    for (; a < a1; a++)
        add_pair(st, a, -1, capacity);
    for (; b < b1; b++)
        add_pair(st, -1, b, capacity);
}

static void pair_pages(cmp_state *st)
{
    size_t na = bp_document_page_count(st->old.doc), nb = bp_document_page_count(st->new.doc);
    int *votes = calloc(na + 1, sizeof *votes);
    long *b_to_a = malloc((nb + 1) * sizeof *b_to_a);
    uint64_t *keys_b = malloc((nb + 1) * sizeof *keys_b),
             *keys_a = malloc((na + 1) * sizeof *keys_a);
    bool *in_order = malloc(nb + 1);
    size_t capacity = 0;
    if (!votes || !b_to_a || !keys_a || !keys_b || !in_order) {
        st->failed = true;
        goto done;
    }
    /* Each new page keyed by its source; a source claimed twice goes to the first claimant. */
    for (size_t i = 0; i < na; i++)
        keys_a[i] = i + 1;
    for (size_t j = 0; j < nb; j++) {
        int s = best_source(st, j, votes, na);
        keys_b[j] = s >= 0 ? (uint64_t)s + 1 : 0;
        for (size_t k = 0; k < j && s >= 0; k++)
            if (keys_b[k] == keys_b[j])
                keys_b[j] = 0;
        if (!keys_b[j])
            keys_b[j] = UINT64_MAX - j; /* matches nothing */
    }
    if (cmp_align(keys_b, nb, keys_a, na, b_to_a, in_order) != 0) {
        st->failed = true;
        goto done;
    }
    int a_prev = 0, b_prev = 0;
    for (size_t j = 0; j <= nb; j++) {
        if (j < nb && !(b_to_a[j] >= 0 && in_order[j]))
            continue;
        int a_here = j < nb ? (int)b_to_a[j] : (int)na;
        pair_gap(st, a_prev, a_here, b_prev, (int)j, &capacity);
        if (j < nb)
            add_pair(st, a_here, (int)j, &capacity);
        a_prev = a_here + 1;
        b_prev = (int)j + 1;
    }
done:
    free(votes);
    free(b_to_a);
    free(keys_a);
    free(keys_b);
    free(in_order);
}

/* ---- Status ---- */

static bool has_layout_change(const bp_comparison *c)
{
    for (size_t i = 0; i < c->change_count; i++)
        if (c->changes[i].kind == BP_CHANGE_SHIFT || c->changes[i].kind == BP_CHANGE_FONT_SIZE ||
            c->changes[i].kind == BP_CHANGE_COLUMN_WIDTH)
            return true;
    return false;
}

static void page_size_change(cmp_state *st, const bp_page *a, const bp_page *b, int old_page,
                             int new_page)
{
    const char *oa = a->width > a->height ? "横向" : "纵向",
               *ob = b->width > b->height ? "横向" : "纵向";
    bp_change ch = {.kind = BP_CHANGE_PAGE_SIZE,
                    .cls = BP_CLASS_LAYOUT,
                    .old_page = old_page,
                    .new_page = new_page};
    ch.message = cmp_printf(st, "第 %d 页页面尺寸 %.0f×%.0f pt %s → %.0f×%.0f pt %s", new_page,
                            a->width / 1000.0, a->height / 1000.0, oa, b->width / 1000.0,
                            b->height / 1000.0, ob);
    cmp_add_change(st, &ch);
}

static void set_status(cmp_state *st, bp_page_pair *pair, bool layout)
{
    if (pair->status != BP_PAGE_SAME)
        return; /* added or removed */
    const bp_page *a = bp_document_page(st->old.doc, (size_t)pair->old_page - 1);
    const bp_page *b = bp_document_page(st->new.doc, (size_t)pair->new_page - 1);
    pair->changes = changed_on(&st->old, st->old_changed, (size_t)pair->old_page - 1) +
                    changed_on(&st->new, st->new_changed, (size_t)pair->new_page - 1);
    if (a->width != b->width || a->height != b->height) {
        pair->status = BP_PAGE_SIZE;
        page_size_change(st, a, b, pair->old_page, pair->new_page);
    } else if (same_page(a, b))
        pair->status = BP_PAGE_SAME;
    else if (pair->changes)
        pair->status = BP_PAGE_CHANGED;
    else if (layout)
        pair->status = BP_PAGE_LAYOUT;
    else
        pair->status = BP_PAGE_SHIFTED;
}

/* Whether a change can move what follows it: rows and text that come or go or grow. A changed
 * amount keeps its cell's size, so a page after it that moved was moved by something else. */
static bool moves_things(bp_change_kind kind)
{
    return kind != BP_CHANGE_VALUE && kind != BP_CHANGE_CONTENTS;
}

/* The first change shown on page pair p that can move things (or, with `any`, any data change). */
static int change_on(const bp_comparison *c, const bp_page_pair *p, bool any)
{
    for (size_t i = 0; i < c->change_count; i++) {
        const bp_change *ch = &c->changes[i];
        if (ch->cls == BP_CLASS_DATA && (any || moves_things(ch->kind)) &&
            ((p->new_page && ch->new_page == p->new_page) ||
             (p->old_page && ch->old_page == p->old_page)))
            return (int)i;
    }
    return -1;
}

/* The change a run of shifted pages follows from: the nearest change before it that can move
 * things, else the nearest change of any kind; -1 when no page before it changed. */
static int cause_before(const cmp_state *st, size_t pair_index)
{
    const bp_comparison *c = st->c;
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = pair_index; k-- > 0;) {
            const bp_page_pair *p = &c->pages[k];
            if (p->status != BP_PAGE_CHANGED && p->status != BP_PAGE_ADDED &&
                p->status != BP_PAGE_REMOVED)
                continue;
            int cause = change_on(c, p, pass == 1);
            if (cause >= 0)
                return cause;
        }
    return -1;
}

static void fold_cascades(cmp_state *st)
{
    bp_comparison *c = st->c;
    for (size_t k = 0; k < c->page_count; k++) {
        if (c->pages[k].status != BP_PAGE_SHIFTED)
            continue;
        size_t end = k;
        while (end + 1 < c->page_count && c->pages[end + 1].status == BP_PAGE_SHIFTED)
            end++;
        int cause = cause_before(st, k);
        for (size_t i = k; i <= end; i++)
            c->pages[i].cause = cause;
        if (cause >= 0) {
            bp_change *ch = &c->changes[cause];
            if (!ch->shifted_first)
                ch->shifted_first = c->pages[k].new_page;
            ch->shifted_last = c->pages[end].new_page;
        }
        k = end;
    }
}

/* Pages drawn differently with nothing above to say why (a leading, a space, a rule's width):
 * said as what it is, so that no difference is ever reported as none. */
static void unexplained_geometry(cmp_state *st)
{
    bp_comparison *c = st->c;
    size_t pages = 0, first = 0;
    for (size_t k = 0; k < c->page_count; k++)
        if (c->pages[k].status == BP_PAGE_SHIFTED || c->pages[k].status == BP_PAGE_LAYOUT) {
            if (!pages++)
                first = k;
        }
    if (!pages || c->change_count)
        return;
    bp_change ch = {.kind = BP_CHANGE_GEOMETRY,
                    .cls = BP_CLASS_LAYOUT,
                    .old_page = c->pages[first].old_page,
                    .new_page = c->pages[first].new_page};
    ch.message = cmp_printf(st, "仅版式：%zu 页的排版不同（内容未变），第一处在第 %d 页", pages,
                            ch.new_page);
    cmp_add_change(st, &ch);
    for (size_t k = 0; k < c->page_count; k++)
        if (c->pages[k].status == BP_PAGE_SHIFTED)
            c->pages[k].status = BP_PAGE_LAYOUT;
}

void cmp_pagemap(cmp_state *st)
{
    pair_pages(st);
    bool layout = has_layout_change(st->c);
    for (size_t k = 0; k < st->c->page_count && !st->failed; k++)
        set_status(st, &st->c->pages[k], layout);
    if (!st->failed)
        unexplained_geometry(st);
    if (!st->failed)
        fold_cascades(st);
}

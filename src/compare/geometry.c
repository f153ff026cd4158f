/*
 * geometry.c: what moved without changing, said in words: everything shifted by the same
 * distance (a margin), text of one size now set in another, a column wider, a table over more
 * pages, a document of more pages.
 *
 * Stage: compare, after content.c linked each node to its counterpart. Only nodes whose
 * content is the same on both sides are measured, so a changed amount's wider text is not
 * taken for a layout change; a distance counts when nine in ten of them agree on it.
 */
#include "compare_int.h"

#include <stdlib.h>
#include <string.h>

/* The distances measured, and how many times each. */
typedef struct tally {
    int64_t *values;
    size_t count, capacity;
} tally;

static void tally_add(tally *t, int64_t v, bool *failed)
{
    void *grown = bp_grow(t->values, &t->capacity, t->count + 1, sizeof *t->values, 256);
    if (!grown) {
        *failed = true;
        return;
    }
    t->values = grown;
    t->values[t->count++] = v;
}

static int compare_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The most frequent value and how many have it. */
static int64_t tally_mode(tally *t, size_t *times)
{
    *times = 0;
    if (!t->count)
        return 0;
    qsort(t->values, t->count, sizeof *t->values, compare_int64);
    int64_t best = t->values[0];
    for (size_t i = 0, run = 0; i < t->count; i++) {
        run = i > 0 && t->values[i] == t->values[i - 1] ? run + 1 : 1;
        if (run > *times)
            *times = run, best = t->values[i];
    }
    return best;
}

static bool most(size_t times, size_t of)
{
    return of > 0 && times * 10 >= of * 9;
}

/* A length in points for a message, to the hundredth: "6", "10.5", "143.54". */
static const char *points(cmp_state *st, int64_t len)
{
    int64_t hundredths = (llabs(len) + 5) / 10;
    const char *sign = len < 0 ? "-" : "";
    if (hundredths % 100 == 0)
        return cmp_printf(st, "%s%lld", sign, (long long)(hundredths / 100));
    if (hundredths % 10 == 0)
        return cmp_printf(st, "%s%lld.%lld", sign, (long long)(hundredths / 100),
                          (long long)(hundredths % 100 / 10));
    return cmp_printf(st, "%s%lld.%02lld", sign, (long long)(hundredths / 100),
                      (long long)(hundredths % 100));
}

/* The nodes that show the same on both sides, both drawn. */
static bool measured(const cmp_state *st, bp_node_id a, bp_node_id b)
{
    return a && b && !st->old_changed[a] && !st->new_changed[b] && st->old.node_box[a].page >= 0 &&
           st->new.node_box[b].page >= 0 && st->old.node_size[a] > 0 && st->new.node_size[b] > 0;
}

static void shift_change(cmp_state *st, int64_t dx, int64_t dy)
{
    bp_change ch = {.kind = BP_CHANGE_SHIFT, .cls = BP_CLASS_LAYOUT};
    const char *x = dx > 0   ? cmp_printf(st, "右移 %s pt", points(st, dx))
                    : dx < 0 ? cmp_printf(st, "左移 %s pt", points(st, -dx))
                             : "";
    const char *y = dy > 0   ? cmp_printf(st, "下移 %s pt", points(st, dy))
                    : dy < 0 ? cmp_printf(st, "上移 %s pt", points(st, -dy))
                             : "";
    ch.message = cmp_printf(st, "仅版式：全部页面内容%s%s%s（页边距改变），文字无变化", x,
                            dx && dy ? "、" : "", y);
    cmp_add_change(st, &ch);
}

/* Everything moved by one distance: a margin. Vertical distances only count on pages that kept
 * their place, since a page whose rows changed moves what follows for another reason. */
static void detect_shift(cmp_state *st)
{
    tally dx = {0}, dy = {0};
    bool failed = false;
    for (bp_node_id a = 1; a <= st->old.node_count; a++) {
        bp_node_id b = st->old_to_new[a];
        if (!measured(st, a, b))
            continue;
        bp_cmp_box ba = st->old.node_box[a], bb = st->new.node_box[b];
        tally_add(&dx, (int64_t)bb.x - ba.x, &failed);
        if (ba.page == bb.page)
            tally_add(&dy, (int64_t)bb.y - ba.y, &failed);
    }
    size_t tx, ty;
    int64_t mx = tally_mode(&dx, &tx), my = tally_mode(&dy, &ty);
    bool shifted_x = mx != 0 && most(tx, dx.count), shifted_y = my != 0 && most(ty, dy.count);
    if (shifted_x || shifted_y)
        shift_change(st, shifted_x ? mx : 0, shifted_y ? my : 0);
    free(dx.values);
    free(dy.values);
    st->failed = st->failed || failed;
}

/* What a reader calls the text of a node kind, for a message. */
static const char *kind_words(bp_node_kind kind)
{
    switch (kind) {
    case BP_NODE_P:
        return "段落";
    case BP_NODE_H1:
    case BP_NODE_H2:
    case BP_NODE_H3:
        return "标题";
    case BP_NODE_ITEM_BODY:
        return "列表";
    case BP_NODE_LINK:
        return "目录";
    case BP_NODE_TH:
        return "表头";
    case BP_NODE_TD:
        return "表格";
    default:
        return "文字";
    }
}

/* The group a node's text is set in: its kind, face and size (a style, as near as the record
 * tells it), packed in one number. */
static int64_t style_key(const cmp_side *side, bp_node_id id)
{
    const bp_node *n = bp_document_node(side->doc, id);
    return ((int64_t)n->kind << 40) | side->node_size[id];
}

/* Text of one style set in another size: for each old style, the size most of it now has. */
static void detect_font_sizes(cmp_state *st)
{
    tally keys = {0};
    bool failed = false;
    for (bp_node_id a = 1; a <= st->old.node_count; a++)
        if (measured(st, a, st->old_to_new[a]))
            tally_add(&keys, style_key(&st->old, a), &failed);
    if (keys.count)
        qsort(keys.values, keys.count, sizeof *keys.values, compare_int64);
    for (size_t i = 0; i < keys.count; i++) {
        if (i > 0 && keys.values[i] == keys.values[i - 1])
            continue;
        int64_t key = keys.values[i], old_size = key & ((INT64_C(1) << 40) - 1);
        tally to = {0};
        for (bp_node_id a = 1; a <= st->old.node_count; a++) {
            bp_node_id b = st->old_to_new[a];
            if (measured(st, a, b) && style_key(&st->old, a) == key)
                tally_add(&to, st->new.node_size[b], &failed);
        }
        size_t times;
        int64_t new_size = tally_mode(&to, &times);
        if (new_size != old_size && most(times, to.count)) {
            bp_change ch = {.kind = BP_CHANGE_FONT_SIZE, .cls = BP_CLASS_LAYOUT};
            ch.message = cmp_printf(st, "仅版式：%s字号 %s pt → %s pt（%zu 处）",
                                    kind_words((bp_node_kind)(key >> 40)), points(st, old_size),
                                    points(st, new_size), times);
            cmp_add_change(st, &ch);
        }
        free(to.values);
    }
    free(keys.values);
    st->failed = st->failed || failed;
}

/* A column's width in a table: the width of its cells of one column (spans aside). */
static bp_len column_width(const cmp_side *side, const cmp_table *t, const char *column)
{
    for (size_t r = 0; r < t->row_count; r++)
        for (size_t c = 0; c < t->rows[r].cell_count; c++) {
            const cmp_cell *cell = &t->rows[r].cells[c];
            const bp_node *n = bp_document_node(side->doc, cell->node);
            if (strcmp(cell->column, column) == 0 && n->col_span <= 1 && n->w > 0)
                return n->w;
        }
    return 0;
}

static const cmp_table *counterpart(const cmp_state *st, const cmp_table *ta)
{
    bp_node_id b = st->old_to_new[ta->node];
    for (size_t j = 0; b && j < st->new.table_count; j++)
        if (st->new.tables[j].node == b)
            return &st->new.tables[j];
    return NULL;
}

static void detect_columns(cmp_state *st, const cmp_table *ta, const cmp_table *tb)
{
    if (!ta->row_count || !tb->row_count)
        return;
    const cmp_row *row = &tb->rows[0];
    for (size_t c = 0; c < row->cell_count; c++) {
        const char *column = row->cells[c].column;
        if (!column[0])
            continue;
        bp_len wa = column_width(&st->old, ta, column), wb = column_width(&st->new, tb, column);
        if (!wa || !wb || wa == wb)
            continue;
        bp_change ch = {.kind = BP_CHANGE_COLUMN_WIDTH,
                        .cls = BP_CLASS_LAYOUT,
                        .table = tb->key,
                        .table_title = tb->title,
                        .column = column,
                        .column_label = cmp_column_label(&st->new, tb, column),
                        .new_page = tb->first_page + 1,
                        .old_page = ta->first_page + 1};
        ch.message = cmp_printf(st, "仅版式：%s 列「%s」宽 %s pt → %s pt", tb->title,
                                ch.column_label, points(st, wa), points(st, wb));
        cmp_add_change(st, &ch);
    }
}

static void detect_table_pages(cmp_state *st, const cmp_table *ta, const cmp_table *tb)
{
    if (ta->first_page < 0 || tb->first_page < 0)
        return;
    int pa = ta->last_page - ta->first_page + 1, pb = tb->last_page - tb->first_page + 1;
    if (pa == pb)
        return;
    bp_change ch = {.kind = BP_CHANGE_TABLE_PAGES,
                    .cls = BP_CLASS_LAYOUT,
                    .table = tb->key,
                    .table_title = tb->title,
                    .old_page = ta->first_page + 1,
                    .old_last_page = ta->last_page + 1,
                    .new_page = tb->first_page + 1,
                    .new_last_page = tb->last_page + 1};
    ch.message = cmp_printf(st, "%s 由 %d 页变为 %d 页（第 %d–%d 页）", tb->title, pa, pb,
                            ch.new_page, ch.new_last_page);
    cmp_add_change(st, &ch);
}

void cmp_geometry(cmp_state *st)
{
    detect_shift(st);
    detect_font_sizes(st);
    for (size_t i = 0; i < st->old.table_count; i++) {
        const cmp_table *ta = &st->old.tables[i], *tb = counterpart(st, ta);
        if (tb) {
            detect_columns(st, ta, tb);
            detect_table_pages(st, ta, tb);
        }
    }
    size_t pa = bp_document_page_count(st->old.doc), pb = bp_document_page_count(st->new.doc);
    if (pa != pb) {
        bp_change ch = {.kind = BP_CHANGE_PAGE_COUNT, .cls = BP_CLASS_LAYOUT};
        ch.message = cmp_printf(st, "全文由 %zu 页变为 %zu 页", pa, pb);
        cmp_add_change(st, &ch);
    }
}

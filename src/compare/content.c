/*
 * content.c: what the documents say, compared: tables by key, their rows by key across every
 * page, cells by column and exact value; text blocks by their place in the unit and their text.
 * Each difference becomes a change in Chinese, in the printed forms, with its pages; and each
 * node is linked to its counterpart, so that pagemap.c can tell a page whose content changed
 * from one whose content only moved.
 *
 * Stage: compare, after side.c.
 */
#include "compare_int.h"

#include "budgetpress/amount.h"

#include <stdlib.h>
#include <string.h>

/* Pages in messages are 1-based, as printed on the folio's side of the reader. */
static int page1(int page)
{
    return page >= 0 ? page + 1 : 0;
}

static void link_nodes(cmp_state *st, bp_node_id a, bp_node_id b)
{
    if (a && b) {
        st->old_to_new[a] = b;
        st->new_to_old[b] = a;
    }
}

/* ---- Cells ---- */

static const cmp_cell *find_cell(const cmp_row *row, const char *column)
{
    for (size_t i = 0; i < row->cell_count; i++)
        if (strcmp(row->cells[i].column, column) == 0)
            return &row->cells[i];
    return NULL;
}

/* A column of running numbers (序号: 1, 2, 3 …): it changes under every inserted row, which is
 * the insertion's doing, not a change of its own. */
static bool numbering_column(const cmp_table *t, const char *column)
{
    long expected = -1;
    size_t seen = 0;
    for (size_t r = 0; r < t->row_count; r++) {
        const cmp_cell *cell = find_cell(&t->rows[r], column);
        if (!cell || cell->text[0] == '\0')
            continue;
        char *end;
        long v = strtol(cell->text, &end, 10);
        if (*end || end == cell->text || (expected >= 0 && v != expected))
            return false;
        expected = v + 1;
        seen++;
    }
    return seen >= 2;
}

static bool same_value(const cmp_cell *a, const cmp_cell *b)
{
    const bp_meaning *ma = a->meaning, *mb = b->meaning;
    if (ma && mb && ma->has_amount && mb->has_amount)
        return ma->blank == mb->blank && (ma->blank || ma->hundredths == mb->hundredths) &&
               strcmp(a->text, b->text) == 0;
    return strcmp(a->text, b->text) == 0;
}

static const char *printed(const char *text)
{
    return text[0] ? text : "空";
}

static void cell_change(cmp_state *st, const cmp_table *ta, const cmp_table *tb, const cmp_row *rb,
                        const cmp_cell *ca, const cmp_cell *cb)
{
    bp_change ch = {.kind = BP_CHANGE_VALUE,
                    .cls = BP_CLASS_DATA,
                    .table = tb->key,
                    .table_title = tb->title,
                    .row = rb->key,
                    .row_label = rb->label,
                    .column = cb->column,
                    .column_label = cmp_column_label(&st->new, tb, cb->column),
                    .old_text = ca->text,
                    .new_text = cb->text,
                    .old_page = page1(st->old.node_box[ca->node].page >= 0
                                          ? st->old.node_box[ca->node].page
                                          : bp_document_node(st->old.doc, ca->node)->page),
                    .new_page = page1(st->new.node_box[cb->node].page >= 0
                                          ? st->new.node_box[cb->node].page
                                          : bp_document_node(st->new.doc, cb->node)->page),
                    .old_box = st->old.node_box[ca->node],
                    .new_box = st->new.node_box[cb->node]};
    (void)ta;
    char delta[BP_AMOUNT_FORMAT_MAX + 1] = "";
    const bp_meaning *ma = ca->meaning, *mb = cb->meaning;
    if (ma && mb && ma->has_amount && mb->has_amount && !ma->blank && !mb->blank) {
        ch.has_delta = true;
        ch.delta = mb->hundredths - ma->hundredths;
        delta[0] = ch.delta > 0 ? '+' : '\0';
        bp_amount_format(bp_amount_from_hundredths(ch.delta), false, delta + (ch.delta > 0));
    }
    ch.message = cmp_printf(st, "%s %s「%s」：%s → %s%s%s%s，第 %d 页", tb->title, rb->label,
                            ch.column_label, printed(ca->text), printed(cb->text),
                            ch.has_delta ? "（" : "", delta, ch.has_delta ? "）" : "", ch.new_page);
    cmp_add_change(st, &ch);
    st->old_changed[ca->node] = st->new_changed[cb->node] = true;
}

static void compare_cells(cmp_state *st, const cmp_table *ta, const cmp_table *tb,
                          const cmp_row *ra, const cmp_row *rb)
{
    link_nodes(st, ra->node, rb->node);
    for (size_t i = 0; i < rb->cell_count; i++) {
        const cmp_cell *cb = &rb->cells[i], *ca = find_cell(ra, cb->column);
        if (!ca)
            continue;
        link_nodes(st, ca->node, cb->node);
        if (ra->hash == rb->hash || same_value(ca, cb) ||
            (numbering_column(ta, cb->column) && numbering_column(tb, cb->column)))
            continue;
        cell_change(st, ta, tb, rb, ca, cb);
    }
}

/* ---- Rows ---- */

static void mark_row(cmp_state *st, const cmp_row *row, bool old_side)
{
    bool *changed = old_side ? st->old_changed : st->new_changed;
    changed[row->node] = true;
    for (size_t i = 0; i < row->cell_count; i++)
        changed[row->cells[i].node] = true;
}

/* The box of a whole row on its first page: its cells' boxes joined. */
static bp_cmp_box row_box(const cmp_side *side, const cmp_row *row)
{
    bp_cmp_box box = {.page = -1};
    for (size_t i = 0; i < row->cell_count; i++) {
        bp_cmp_box b = side->node_box[row->cells[i].node];
        if (b.page < 0 || (box.page >= 0 && b.page != box.page))
            continue;
        if (box.page < 0) {
            box = b;
            continue;
        }
        bp_len x1 = box.x + box.w > b.x + b.w ? box.x + box.w : b.x + b.w;
        bp_len y1 = box.y + box.h > b.y + b.h ? box.y + box.h : b.y + b.h;
        box.x = box.x < b.x ? box.x : b.x;
        box.y = box.y < b.y ? box.y : b.y;
        box.w = x1 - box.x;
        box.h = y1 - box.y;
    }
    return box;
}

static void row_change(cmp_state *st, bp_change_kind kind, const cmp_table *t, const cmp_row *ra,
                       const cmp_row *rb)
{
    const cmp_row *row = rb ? rb : ra;
    bp_change ch = {.kind = kind,
                    .cls = BP_CLASS_DATA,
                    .table = t->key,
                    .table_title = t->title,
                    .row = row->key,
                    .row_label = row->label,
                    .old_page = ra ? page1(ra->page) : 0,
                    .new_page = rb ? page1(rb->page) : 0,
                    .old_box = ra ? row_box(&st->old, ra) : (bp_cmp_box){.page = -1},
                    .new_box = rb ? row_box(&st->new, rb) : (bp_cmp_box){.page = -1}};
    if (kind == BP_CHANGE_ROW_ADDED)
        ch.message = cmp_printf(st, "%s 插入行 %s，第 %d 页", t->title, row->label, ch.new_page);
    else if (kind == BP_CHANGE_ROW_REMOVED)
        ch.message = cmp_printf(st, "%s 删除行 %s，原第 %d 页", t->title, row->label, ch.old_page);
    else
        ch.message = cmp_printf(st, "%s 行 %s 移动位置：原第 %d 页，现第 %d 页", t->title,
                                row->label, ch.old_page, ch.new_page);
    cmp_add_change(st, &ch);
    if (ra)
        mark_row(st, ra, true);
    if (rb)
        mark_row(st, rb, false);
}

static uint64_t *row_keys(const cmp_table *t)
{
    uint64_t *keys = malloc((t->row_count + 1) * sizeof *keys);
    for (size_t i = 0; keys && i < t->row_count; i++)
        keys[i] = cmp_hash(t->rows[i].key, 1);
    return keys;
}

/* Whether a row is a 合计 line: its key says total, or its cells' role does. */
static bool total_row(const cmp_row *row)
{
    for (size_t i = 0; i < row->cell_count; i++)
        if (row->cells[i].meaning && row->cells[i].meaning->role == BP_CELL_TOTAL)
            return true;
    return false;
}

static size_t detail_rows(const cmp_table *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->row_count; i++)
        n += !total_row(&t->rows[i]);
    return n;
}

static void table_emptied(cmp_state *st, const cmp_table *ta, const cmp_table *tb)
{
    bp_change ch = {.kind = BP_CHANGE_TABLE_EMPTIED,
                    .cls = BP_CLASS_DATA,
                    .table = tb->key,
                    .table_title = tb->title,
                    .old_page = page1(ta->first_page),
                    .old_last_page = page1(ta->last_page),
                    .new_page = page1(tb->first_page),
                    .new_last_page = page1(tb->last_page)};
    ch.message = cmp_printf(st, "%s 已无数据行：删除 %zu 行（原第 %d–%d 页），第 %d 页", tb->title,
                            detail_rows(ta), ch.old_page, ch.old_last_page, ch.new_page);
    cmp_add_change(st, &ch);
}

/* The rows in the new table's order: each new row matched, moved or added; each old row that
 * is gone said where it stood, before the next row that stayed. */
static void walk_rows(cmp_state *st, const cmp_table *ta, const cmp_table *tb, const long *a_to_b,
                      const bool *in_order, const long *b_to_a, bool emptied)
{
    size_t ia = 0;
    for (size_t j = 0; j <= tb->row_count; j++) {
        long i = j < tb->row_count ? b_to_a[j] : (long)ta->row_count;
        bool anchor = j == tb->row_count || (i >= 0 && in_order[i]);
        for (; anchor && ia < (size_t)i; ia++) {
            if (a_to_b[ia] >= 0)
                continue;
            if (emptied)
                mark_row(st, &ta->rows[ia], true);
            else
                row_change(st, BP_CHANGE_ROW_REMOVED, ta, &ta->rows[ia], NULL);
        }
        if (j == tb->row_count)
            break;
        const cmp_row *rb = &tb->rows[j];
        if (i < 0) {
            row_change(st, BP_CHANGE_ROW_ADDED, tb, NULL, rb);
            continue;
        }
        if (anchor)
            ia = (size_t)i + 1;
        else
            row_change(st, BP_CHANGE_ROW_MOVED, tb, &ta->rows[i], rb);
        compare_cells(st, ta, tb, &ta->rows[i], rb);
    }
}

static void compare_rows(cmp_state *st, const cmp_table *ta, const cmp_table *tb)
{
    link_nodes(st, ta->node, tb->node);
    uint64_t *ka = row_keys(ta), *kb = row_keys(tb);
    long *a_to_b = malloc((ta->row_count + 1) * sizeof *a_to_b);
    long *b_to_a = malloc((tb->row_count + 1) * sizeof *b_to_a);
    bool *in_order = malloc(ta->row_count + 1);
    if (!ka || !kb || !a_to_b || !b_to_a || !in_order ||
        cmp_align(ka, ta->row_count, kb, tb->row_count, a_to_b, in_order) != 0) {
        st->failed = true;
        goto done;
    }
    for (size_t j = 0; j < tb->row_count; j++)
        b_to_a[j] = -1;
    for (size_t i = 0; i < ta->row_count; i++)
        if (a_to_b[i] >= 0)
            b_to_a[a_to_b[i]] = (long)i;
    bool emptied = detail_rows(ta) > 0 && detail_rows(tb) == 0;
    if (emptied)
        table_emptied(st, ta, tb);
    walk_rows(st, ta, tb, a_to_b, in_order, b_to_a, emptied);
done:
    free(ka);
    free(kb);
    free(a_to_b);
    free(b_to_a);
    free(in_order);
}

/* ---- Tables ---- */

static void table_change(cmp_state *st, bp_change_kind kind, const cmp_table *t, bool old_side)
{
    bp_change ch = {.kind = kind, .cls = BP_CLASS_DATA, .table = t->key, .table_title = t->title};
    int first = page1(t->first_page), last = page1(t->last_page);
    if (old_side) {
        ch.old_page = first, ch.old_last_page = last;
        ch.message = cmp_printf(st, "删除表 %s（原第 %d–%d 页）", t->title, first, last);
    } else {
        ch.new_page = first, ch.new_last_page = last;
        ch.message = cmp_printf(st, "新增表 %s，第 %d–%d 页", t->title, first, last);
    }
    cmp_add_change(st, &ch);
    for (size_t r = 0; r < t->row_count; r++)
        mark_row(st, &t->rows[r], old_side);
}

static uint64_t *table_keys(const cmp_side *side)
{
    uint64_t *keys = malloc((side->table_count + 1) * sizeof *keys);
    for (size_t i = 0; keys && i < side->table_count; i++) {
        uint64_t occurrence = 0;
        for (size_t j = 0; j < i; j++)
            occurrence += strcmp(side->tables[j].key, side->tables[i].key) == 0;
        keys[i] = cmp_hash(side->tables[i].key, 2 + occurrence);
    }
    return keys;
}

static void compare_tables(cmp_state *st)
{
    uint64_t *ka = table_keys(&st->old), *kb = table_keys(&st->new);
    long *a_to_b = malloc((st->old.table_count + 1) * sizeof *a_to_b);
    bool *in_order = malloc(st->old.table_count + 1);
    bool *b_seen = calloc(st->new.table_count + 1, 1);
    if (!ka || !kb || !a_to_b || !in_order || !b_seen ||
        cmp_align(ka, st->old.table_count, kb, st->new.table_count, a_to_b, in_order) != 0) {
        st->failed = true;
        goto done;
    }
    for (size_t i = 0; i < st->old.table_count; i++) {
        if (a_to_b[i] < 0) {
            table_change(st, BP_CHANGE_TABLE_REMOVED, &st->old.tables[i], true);
            continue;
        }
        b_seen[a_to_b[i]] = true;
        compare_rows(st, &st->old.tables[i], &st->new.tables[a_to_b[i]]);
    }
    for (size_t j = 0; j < st->new.table_count; j++)
        if (!b_seen[j])
            table_change(st, BP_CHANGE_TABLE_ADDED, &st->new.tables[j], false);
done:
    free(ka);
    free(kb);
    free(a_to_b);
    free(in_order);
    free(b_seen);
}

/* ---- Text blocks ---- */

/* The heading a block is under, as printed, for the reader to find it: the nearest heading
 * before it; a heading is under itself. */
static const char *block_heading(const cmp_side *side, size_t index)
{
    for (size_t i = index + 1; i-- > 0;) {
        bp_node_kind k = side->blocks[i].kind;
        if ((k == BP_NODE_H1 || k == BP_NODE_H2 || k == BP_NODE_H3) && !side->blocks[i].contents)
            return side->blocks[i].text;
    }
    return "";
}

/* The first characters of a text, for a message about a whole paragraph. */
static const char *excerpt(cmp_state *st, const char *text)
{
    size_t len = strlen(text), cut = bp_utf8_prefix(text, len, 90);
    return cut < len ? cmp_printf(st, "%.*s…", (int)cut, text) : text;
}

static void block_change(cmp_state *st, size_t ia, size_t ib)
{
    const cmp_block *a = ia != (size_t)-1 ? &st->old.blocks[ia] : NULL;
    const cmp_block *b = ib != (size_t)-1 ? &st->new.blocks[ib] : NULL;
    const cmp_block *any = b ? b : a;
    const char *heading = b ? block_heading(&st->new, ib) : block_heading(&st->old, ia);
    bp_change ch = {.cls = BP_CLASS_DATA,
                    .path = any->path,
                    .old_text = a ? a->text : NULL,
                    .new_text = b ? b->text : NULL,
                    .old_page = a ? page1(a->page) : 0,
                    .new_page = b ? page1(b->page) : 0,
                    .old_box = a ? st->old.node_box[a->node] : (bp_cmp_box){.page = -1},
                    .new_box = b ? st->new.node_box[b->node] : (bp_cmp_box){.page = -1}};
    bool heading_itself =
        any->kind == BP_NODE_H1 || any->kind == BP_NODE_H2 || any->kind == BP_NODE_H3;
    const char *what = heading_itself ? "标题" : "段落";
    if (a && b) {
        ch.kind = BP_CHANGE_TEXT;
        bp_strbuf diff = BP_STRBUF_INIT;
        cmp_text_diff(a->text, b->text, 12, &diff);
        ch.message =
            heading_itself || !heading[0]
                ? cmp_printf(st, "%s：%s，第 %d 页", what, bp_strbuf_cstr(&diff), ch.new_page)
                : cmp_printf(st, "「%s」下的段落：%s，第 %d 页", heading, bp_strbuf_cstr(&diff),
                             ch.new_page);
        bp_strbuf_free(&diff);
    } else if (b) {
        ch.kind = BP_CHANGE_TEXT_ADDED;
        ch.message =
            cmp_printf(st, "新增%s：「%s」，第 %d 页", what, excerpt(st, b->text), ch.new_page);
    } else {
        ch.kind = BP_CHANGE_TEXT_REMOVED;
        ch.message =
            cmp_printf(st, "删除%s：「%s」，原第 %d 页", what, excerpt(st, a->text), ch.old_page);
    }
    cmp_add_change(st, &ch);
    if (a)
        st->old_changed[a->node] = true;
    if (b)
        st->new_changed[b->node] = true;
    if (a && b)
        link_nodes(st, a->node, b->node);
}

/* Contents lines whose only change is their page number, said once for all of them. */
typedef struct contents_moves {
    size_t count;
    const cmp_block *first_old, *first_new;
} contents_moves;

static const char *trailing_number(const char *text)
{
    const char *end = text + strlen(text), *p = end;
    while (p > text && p[-1] >= '0' && p[-1] <= '9')
        p--;
    return p < end ? p : NULL;
}

static bool only_page_number(const cmp_block *a, const cmp_block *b)
{
    const char *na = trailing_number(a->text), *nb = trailing_number(b->text);
    return na && nb && na - a->text == nb - b->text &&
           strncmp(a->text, b->text, (size_t)(na - a->text)) == 0;
}

static void pair_in_gap(cmp_state *st, size_t a0, size_t a1, size_t b0, size_t b1,
                        const bool *a_done, bool *b_done, contents_moves *moves)
{
    for (size_t i = a0; i < a1; i++) {
        if (a_done[i])
            continue;
        const cmp_block *a = &st->old.blocks[i];
        size_t match = (size_t)-1;
        for (size_t j = b0; j < b1 && match == (size_t)-1; j++)
            if (!b_done[j] && strcmp(st->new.blocks[j].path, a->path) == 0 &&
                st->new.blocks[j].kind == a->kind &&
                (!a->contents || strcmp(st->new.blocks[j].title, a->title) == 0))
                match = j;
        if (match != (size_t)-1) {
            b_done[match] = true;
            const cmp_block *b = &st->new.blocks[match];
            if (a->contents && only_page_number(a, b)) {
                if (!moves->count++)
                    moves->first_old = a, moves->first_new = b;
                link_nodes(st, a->node, b->node);
                st->old_changed[a->node] = st->new_changed[b->node] = true;
            } else
                block_change(st, i, match);
        } else
            block_change(st, i, (size_t)-1);
    }
    for (size_t j = b0; j < b1; j++)
        if (!b_done[j]) {
            b_done[j] = true;
            block_change(st, (size_t)-1, j);
        }
}

static void contents_change(cmp_state *st, const contents_moves *m)
{
    if (!m->count)
        return;
    bp_change ch = {.kind = BP_CHANGE_CONTENTS,
                    .cls = BP_CLASS_DATA,
                    .path = m->first_new->path,
                    .old_text = m->first_old->text,
                    .new_text = m->first_new->text,
                    .old_page = page1(m->first_old->page),
                    .new_page = page1(m->first_new->page),
                    .old_box = st->old.node_box[m->first_old->node],
                    .new_box = st->new.node_box[m->first_new->node]};
    ch.message = cmp_printf(st, "目录：%zu 个页码变化（如「%s」%s → %s），第 %d 页", m->count,
                            m->first_new->title, trailing_number(m->first_old->text),
                            trailing_number(m->first_new->text), ch.new_page);
    cmp_add_change(st, &ch);
}

static uint64_t *block_keys(const cmp_side *side)
{
    uint64_t *keys = malloc((side->block_count + 1) * sizeof *keys);
    for (size_t i = 0; keys && i < side->block_count; i++) {
        /* Equal blocks (a repeated line) are told apart by their occurrence. */
        uint64_t base = cmp_hash(side->blocks[i].text, cmp_hash(side->blocks[i].path, 3));
        keys[i] = cmp_unique_key(keys, i, base);
    }
    return keys;
}

static void compare_blocks(cmp_state *st)
{
    size_t na = st->old.block_count, nb = st->new.block_count;
    uint64_t *ka = block_keys(&st->old), *kb = block_keys(&st->new);
    long *a_to_b = malloc((na + 1) * sizeof *a_to_b);
    bool *in_order = malloc(na + 1), *a_done = calloc(na + 1, 1), *b_done = calloc(nb + 1, 1);
    contents_moves moves = {0};
    if (!ka || !kb || !a_to_b || !in_order || !a_done || !b_done ||
        cmp_align(ka, na, kb, nb, a_to_b, in_order) != 0) {
        st->failed = true;
        goto done;
    }
    /* Blocks the same in both, in order, are the anchors; between two anchors, blocks of the
     * same place are one block changed, the rest added or removed. */
    size_t a_prev = 0, b_prev = 0;
    for (size_t i = 0; i <= na; i++) {
        if (i < na && !(a_to_b[i] >= 0 && in_order[i]))
            continue;
        size_t b_here = i < na ? (size_t)a_to_b[i] : nb;
        pair_in_gap(st, a_prev, i, b_prev, b_here, a_done, b_done, &moves);
        if (i < na) {
            a_done[i] = b_done[b_here] = true;
            link_nodes(st, st->old.blocks[i].node, st->new.blocks[b_here].node);
        }
        a_prev = i + 1;
        b_prev = b_here + 1;
    }
    contents_change(st, &moves);
done:
    free(ka);
    free(kb);
    free(a_to_b);
    free(in_order);
    free(a_done);
    free(b_done);
}

void cmp_content(cmp_state *st)
{
    compare_tables(st);
    compare_blocks(st);
}

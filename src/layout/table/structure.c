/*
 * structure.c: the table's place in the document's structure tree (page.h): its title (a
 * heading), its banner (a paragraph), the table with its header rows and body rows, a row per
 * row and a cell per cell, empty cells included, and its note.
 *
 * Stage: layout, table engine, after measuring (the grid and its spans are known) and before
 * anything is drawn, so that the nodes are in reading order whatever the pages: a row that a
 * break splits, or a header drawn again on every page, stays one node. emit.c tags each run
 * with its text's node; paginate.c places the nodes of what each page shows, so that an empty
 * cell, which draws nothing, is still found on its row's page.
 */
#include "table_int.h"

/* A node under `parent`; a failed add is out of memory, said once. */
static bp_node_id add(tbl_work *w, bp_node_kind kind, bp_node_id parent, const char *path,
                      const bp_meaning *meaning, const char *text)
{
    if (w->failed)
        return 0;
    bp_node node = {.kind = kind, .parent = parent, .path = path, .meaning = meaning, .text = text};
    bp_node_id id = bp_document_add_node(w->doc, &node);
    if (!id)
        tbl_out_of_memory(w);
    return id;
}

/* The meaning of a text of the table that is no cell: its title, banner or note. */
static const bp_meaning *text_meaning(tbl_work *w, bp_cell_role role)
{
    bp_meaning *m = bp_arena_alloc(w->arena, sizeof *m);
    if (!m)
        return NULL;
    *m = (bp_meaning){.table = w->table->key, .role = role};
    return m;
}

/* A row's meaning: the table and the row's key, from its first cell that names one. */
static const bp_meaning *row_meaning(tbl_work *w, const tbl_section *sec, size_t r)
{
    for (size_t c = 0; c < w->ncols; c++) {
        const tbl_mcell *m = tbl_slot(sec, w->ncols, r, c);
        if (m->cell && m->cell->meaning && m->cell->meaning->row) {
            bp_meaning *row = bp_arena_alloc(w->arena, sizeof *row);
            if (row)
                *row = (bp_meaning){.table = m->cell->meaning->table,
                                    .row = m->cell->meaning->row,
                                    .role = m->cell->meaning->role};
            return row;
        }
    }
    return NULL;
}

/* A node with the cell's span, header cells heading their column (or row, when they span
 * rows beside others, as 科目编码's 类 | 款 | 项 do not). */
static bp_node_id add_cell(tbl_work *w, bp_node_id row, const tbl_mcell *m, size_t c,
                           bool header)
{
    if (w->failed)
        return 0;
    bp_node node = {
        .kind = header ? BP_NODE_TH : BP_NODE_TD,
        .parent = row,
        .meaning = m->cell->meaning,
        /* A cell of one line reads whole from its run; one broken into lines keeps its text,
         * for breaking drops the spaces at the lines' ends. */
        .text = m->text.line_count > 1 ? m->cell->text : NULL,
        .scope = header ? BP_SCOPE_COLUMN : BP_SCOPE_NONE,
        .row_span = m->rows,
        .col_span = m->cols,
        .x = w->table_x + w->col_x[c],
        .w = w->col_x[c + (m->cols ? m->cols : 1)] - w->col_x[c],
    };
    bp_node_id id = bp_document_add_node(w->doc, &node);
    if (!id)
        tbl_out_of_memory(w);
    return id;
}

static void section_nodes(tbl_work *w, tbl_section *sec, bp_node_id parent, bool header)
{
    sec->row_node = sec->count ? bp_arena_array(w->arena, sec->count, sizeof *sec->row_node) : NULL;
    if (sec->count && !sec->row_node) {
        tbl_out_of_memory(w);
        return;
    }
    for (size_t r = 0; r < sec->count && !w->failed; r++) {
        sec->row_node[r] = add(w, BP_NODE_TR, parent, NULL, row_meaning(w, sec, r), NULL);
        for (size_t c = 0; c < w->ncols; c++) {
            tbl_mcell *m = tbl_slot(sec, w->ncols, r, c);
            if (m->cell)
                m->text.node = add_cell(w, sec->row_node[r], m, c, header);
        }
    }
}

void tbl_structure(tbl_work *w)
{
    bp_node_id parent = flow_parent(w->f);
    const char *key = w->table->key;
    if (w->title.line_count)
        w->title.node =
            add(w, BP_NODE_H2, parent, key, text_meaning(w, BP_CELL_TITLE), w->title.text);
    for (int i = 0; i < 3; i++)
        if (w->banner[i].line_count)
            w->banner[i].node =
                add(w, BP_NODE_P, parent, key, text_meaning(w, BP_CELL_BANNER), w->banner[i].text);
    w->table_node = add(w, BP_NODE_TABLE, parent, w->table->path, NULL, NULL);
    if (w->lead.count || w->header.count)
        w->head_node = add(w, BP_NODE_THEAD, w->table_node, NULL, NULL, NULL);
    section_nodes(w, &w->lead, w->head_node, false);
    section_nodes(w, &w->header, w->head_node, true);
    w->body_node = add(w, BP_NODE_TBODY, w->table_node, NULL, NULL, NULL);
    section_nodes(w, &w->body, w->body_node, false);
    if (w->note.line_count)
        w->note.node = add(w, BP_NODE_P, parent, key, text_meaning(w, BP_CELL_NOTE), w->note.text);
}

void tbl_structure_place(tbl_work *w, const tbl_section *sec, size_t r0, size_t r1)
{
    if (!sec->row_node || r0 > r1)
        return;
    size_t page = flow_page_index(w->f);
    bp_document_place_node(w->doc, w->table_node, page);
    bp_document_place_node(w->doc, sec == &w->body ? w->body_node : w->head_node, page);
    for (size_t r = r0; r <= r1 && r < sec->count; r++) {
        bp_document_place_node(w->doc, sec->row_node[r], page);
        for (size_t c = 0; c < w->ncols; c++) {
            const tbl_mcell *m = tbl_slot(sec, w->ncols, r, c);
            if (m->cell)
                bp_document_place_node(w->doc, m->text.node, page);
        }
    }
}

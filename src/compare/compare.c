/*
 * compare.c: the comparison of one unit's two PDFs, from reading them to the page map and the
 * pictures (compare.h). The steps are the files of src/compare/, in order; this file runs them
 * and owns what they make.
 */
#include "compare_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bp_comparison *new_comparison(const char *old_path, const char *new_path)
{
    bp_comparison *c = calloc(1, sizeof *c);
    if (c && !(c->arena = bp_arena_create())) {
        free(c);
        return NULL;
    }
    if (c) {
        snprintf(c->old_path, sizeof c->old_path, "%s", old_path);
        snprintf(c->new_path, sizeof c->new_path, "%s", new_path);
    }
    return c;
}

static void set_identity(bp_comparison *c, const bp_document *doc)
{
    const bp_doc_info *info = bp_document_info(doc);
    if (info->unit_code)
        snprintf(c->code, sizeof c->code, "%s", info->unit_code);
    if (info->unit_name)
        snprintf(c->name, sizeof c->name, "%s", info->unit_name);
}

static bool state_arrays(cmp_state *st)
{
    size_t na = st->old.node_count + 1, nb = st->new.node_count + 1;
    st->old_to_new = calloc(na, sizeof *st->old_to_new);
    st->new_to_old = calloc(nb, sizeof *st->new_to_old);
    st->old_changed = calloc(na, 1);
    st->new_changed = calloc(nb, 1);
    return st->old_to_new && st->new_to_old && st->old_changed && st->new_changed;
}

static void state_free(cmp_state *st)
{
    free(st->old_to_new);
    free(st->new_to_old);
    free(st->old_changed);
    free(st->new_changed);
    cmp_side_free(&st->old);
    cmp_side_free(&st->new);
}

/* Two records of the same bytes describe the same pages: nothing to compare. */
static bool same_records(const bp_cmp_source *a, const bp_cmp_source *b)
{
    return a->record_size == b->record_size && memcmp(a->record, b->record, a->record_size) == 0;
}

/* The unchanged document's page map: every page the same. */
static void all_same(bp_comparison *c, size_t pages)
{
    c->pages = calloc(pages ? pages : 1, sizeof *c->pages);
    if (!c->pages)
        return;
    for (size_t i = 0; i < pages; i++)
        c->pages[i] = (bp_page_pair){(int)i + 1, (int)i + 1, BP_PAGE_SAME, -1, false, 0};
    c->page_count = pages;
}

static void compare_records(bp_comparison *c, const bp_cmp_source *a, const bp_cmp_source *b,
                            const bp_compare_options *opts)
{
    cmp_state st = {.c = c, .old_src = a, .new_src = b};
    char why[256];
    if (cmp_side_read(&st.old, a->record, a->record_size, NULL, why, sizeof why) != 0 ||
        cmp_side_read(&st.new, b->record, b->record_size, NULL, why, sizeof why) != 0) {
        c->status = BP_PAIR_UNREADABLE;
        snprintf(c->why, sizeof c->why, "%s: its record cannot be read: %s",
                 st.old.doc ? b->path : a->path, why);
        state_free(&st);
        return;
    }
    set_identity(c, st.new.doc);
    if (!state_arrays(&st)) {
        st.failed = true;
    } else {
        cmp_content(&st);
        if (!st.failed)
            cmp_geometry(&st);
        if (!st.failed)
            cmp_pagemap(&st);
        if (!st.failed && opts && opts->picture_dir)
            cmp_pictures(&st, opts);
    }
    if (st.failed) {
        c->status = BP_PAIR_UNREADABLE;
        snprintf(c->why, sizeof c->why, "out of memory while comparing");
    } else
        c->status = c->change_count ? BP_PAIR_DIFFERENT : BP_PAIR_SAME;
    state_free(&st);
}

bp_comparison *bp_compare_sources(const bp_cmp_source *a, const bp_cmp_source *b,
                                  const bp_compare_options *opts)
{
    bp_comparison *c = new_comparison(a->path, b->path);
    if (!c)
        return NULL;
    c->old_pages = a->page_count;
    c->new_pages = b->page_count;
    const bp_cmp_source *bad = a->state == BP_CMP_UNREADABLE   ? a
                               : b->state == BP_CMP_UNREADABLE ? b
                                                               : NULL;
    if (bad) {
        c->status = BP_PAIR_UNREADABLE;
        snprintf(c->why, sizeof c->why, "%s: %s", bad->path, bad->why);
    } else if (a->state != BP_CMP_RECORD || b->state != BP_CMP_RECORD) {
        const bp_cmp_source *without = a->state != BP_CMP_RECORD ? a : b;
        c->pixel_only = true;
        snprintf(c->why, sizeof c->why,
                 "%s: %s; compared by their pixels alone, pages paired by "
                 "their text",
                 without->path, without->why);
        cmp_foreign(c, opts);
    } else if (same_records(a, b)) {
        /* Only the identity is needed: read without the pages. */
        bp_doc_info info;
        bp_document *holder;
        if (bp_record_identity(b->record, b->record_size, &info, &holder) == 0) {
            set_identity(c, holder);
            bp_document_destroy(holder);
        }
        c->status = BP_PAIR_SAME;
        all_same(c, b->page_count);
    } else
        compare_records(c, a, b, opts);
    return c;
}

bp_comparison *bp_compare_files(const char *old_path, const char *new_path,
                                const bp_compare_options *opts)
{
    bp_cmp_source a, b;
    bp_cmp_source_open(old_path, &a);
    bp_cmp_source_open(new_path, &b);
    bp_comparison *c = bp_compare_sources(&a, &b, opts);
    bp_cmp_source_free(&a);
    bp_cmp_source_free(&b);
    return c;
}

void bp_comparison_free(bp_comparison *c)
{
    if (!c)
        return;
    free(c->changes);
    free(c->pages);
    free(c->pictures);
    bp_arena_destroy(c->arena);
    free(c);
}

bool bp_comparison_fails(const bp_comparison *c, bool data, bool layout)
{
    if (c->status == BP_PAIR_ADDED || c->status == BP_PAIR_REMOVED)
        return data;
    if (c->status != BP_PAIR_DIFFERENT)
        return false;
    for (size_t i = 0; i < c->change_count; i++) {
        bp_change_class cls = c->changes[i].cls;
        if ((cls == BP_CLASS_DATA && data) || (cls == BP_CLASS_LAYOUT && layout))
            return true;
    }
    return false;
}

const char *bp_change_kind_key(bp_change_kind kind)
{
    static const char *const keys[BP_CHANGE__COUNT] = {
        "value",         "row_added",     "row_removed", "row_moved",    "table_added",
        "table_removed", "table_emptied", "text",        "text_added",   "text_removed",
        "contents",      "shift",         "font_size",   "column_width", "table_pages",
        "page_count",    "page_size",     "geometry",    "font_file",    "pixels",
        "pixels_only"};
    return (unsigned)kind < BP_CHANGE__COUNT ? keys[kind] : "?";
}

const char *bp_page_status_key(bp_page_status status)
{
    static const char *const keys[] = {"same",  "shifted", "changed", "layout",
                                       "added", "removed", "size"};
    return (unsigned)status <= BP_PAGE_SIZE ? keys[status] : "?";
}

const char *bp_page_status_label(bp_page_status status)
{
    static const char *const labels[] = {"未变", "顺延", "有变化",  "仅版式",
                                         "新增", "删除", "尺寸改变"};
    return (unsigned)status <= BP_PAGE_SIZE ? labels[status] : "?";
}

const char *bp_pair_status_key(bp_pair_status status)
{
    static const char *const keys[] = {"same", "different", "added", "removed", "unreadable"};
    return (unsigned)status <= BP_PAIR_UNREADABLE ? keys[status] : "?";
}

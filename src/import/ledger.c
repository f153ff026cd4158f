/*
 * ledger.c: a ledger table (收入预算总表, 支出预算总表, 基本支出表 …) read from its sheet: every
 * row with a code, a name and its figures, and the 合计 row.
 *
 * Stage: import, under the profile. The facts that shaped it: codes come as one string
 * ("2010601") or over 类 | 款 | 项 columns, the 款 and 项 as text ("02") or as numbers (2), and
 * some exports leave a child row's 类 blank under its parent; names are indented with spaces;
 * the templates keep filler rows ("…") the clerk did not delete; the 合计 row stands first or
 * last. A row that has figures but no place in the table is named, never dropped.
 */
#include "read_int.h"

#include <stdio.h>
#include <string.h>

typedef struct ledger_columns {
    im_header code[PF_CODE_PARTS];
    im_header name;
    im_header *values;    /* per profile column */
    bp_value_type *types; /* per profile column */
    uint32_t ignored[16]; /* columns under the profile's "ignore" headers (序号) */
    size_t ignored_count;
} ledger_columns;

/* The digits of a code cell: a number (2, 205) or a text of digits with spaces or dots between;
 * a part of a split code padded to its width ("2" under 款 is "02"). NULL when it is no code. */
static const char *code_digits(const char *text, size_t width, char *out, size_t size)
{
    size_t n = 0;
    for (const char *s = text; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            if (n + 1 >= size)
                return NULL;
            out[n++] = *s;
        } else if (*s != ' ' && *s != '.') {
            return NULL;
        }
    }
    out[n] = '\0';
    if (n == 0 || (width && n > width))
        return NULL;
    if (width && n < width) {
        memmove(out + (width - n), out, n + 1);
        memset(out, '0', width - n);
    }
    return out;
}

static bool code_length_ok(bp_kind_codes codes, size_t len)
{
    if (codes == BP_KIND_CODES_FUNCTION)
        return len == 3 || len == 5 || len == 7;
    if (codes == BP_KIND_CODES_ECONOMIC)
        return len == 3 || len == 5;
    return len > 0;
}

/* The row's code from one column or its parts; "" when the row has none. A part left blank
 * under a parent takes the parent's (held in *previous). false when a cell is no code
 * (reported). */
static bool row_code(im_ctx *ctx, const im_view *view, const ledger_columns *lc, uint32_t row,
                     char *code, size_t size, char *previous)
{
    const pf_table *pt = view->profile;
    code[0] = '\0';
    static const size_t widths[] = {3, 2, 2};
    int parts = pt->split_code ? PF_CODE_PARTS : 1;
    bool any = false;
    char given[PF_CODE_PARTS][32] = {{0}};
    for (int p = 0; p < parts; p++) {
        if (!lc->code[p].found)
            continue;
        char text[256];
        const char *t = im_cell_text(ctx, view->sheet, row, lc->code[p].col, text, sizeof text);
        if (!t || im_is_filler(t))
            continue;
        /* A 款 or 项 typed as a number lost its leading 0; a 类 has none to lose. */
        size_t width = pt->split_code && p > PF_CODE_CLASS ? widths[p] : 0;
        if (!code_digits(t, width, given[p], sizeof given[p]) ||
            (pt->split_code && strlen(given[p]) != widths[p])) {
            im_cell_error(ctx, view->sheet, row, lc->code[p].col,
                          "\"%s\" is not a code (digits only%s)", t,
                          pt->split_code ? (p == 0 ? ", 3 for a 类" : ", 2 for a 款 or a 项") : "");
            return false;
        }
        any = true;
    }
    if (!any)
        return true;
    if (!pt->split_code) {
        snprintf(code, size, "%s", given[0]);
    } else {
        /* 类 | 款 | 项: a blank part before a given one is the previous row's. */
        size_t offsets[] = {0, 3, 5};
        for (int p = 0; p < parts; p++) {
            bool later = false;
            for (int q = p + 1; q < parts; q++)
                later = later || given[q][0];
            if (!given[p][0] && later && strlen(previous) >= offsets[p] + widths[p])
                snprintf(given[p], sizeof given[p], "%.*s", (int)widths[p], previous + offsets[p]);
        }
        size_t used = 0;
        for (int p = 0; p < parts && used < size; p++)
            used += (size_t)snprintf(code + used, size - used, "%.7s", given[p]);
    }
    int at = pt->split_code ? PF_CODE_CLASS : PF_CODE_WHOLE;
    if (!code_length_ok(view->kind->codes, strlen(code)) ||
        (pt->split_code && (!given[0][0] || (given[2][0] && !given[1][0])))) {
        im_cell_error(ctx, view->sheet, row, lc->code[at].col, "the code %s is not a %s code (%s)",
                      code, view->kind->codes == BP_KIND_CODES_ECONOMIC ? "经济分类" : "功能分类",
                      view->kind->codes == BP_KIND_CODES_ECONOMIC ? "类 3 digits, 款 5"
                                                                  : "类 3 digits, 款 5, 项 7");
        return false;
    }
    snprintf(previous, 32, "%.31s", code);
    return true;
}

static bool find_columns(im_ctx *ctx, im_view *view, ledger_columns *lc)
{
    const pf_table *pt = view->profile;
    static const char *const part_names[] = {"the code's 类", "the code's 款", "the code's 项"};
    size_t before = ctx->errors;
    int parts = pt->split_code ? PF_CODE_PARTS : 1;
    for (int p = 0; p < parts; p++)
        if (pt->code[p].count)
            lc->code[p] =
                im_find_header(ctx, view, &pt->code[p], pt->split_code ? part_names[p] : "the code",
                               p == PF_CODE_SUBITEM);
    if (pt->name.count)
        lc->name = im_find_header(ctx, view, &pt->name, "the name", false);
    for (size_t i = 0; i < pt->ignore.count && lc->ignored_count < 16; i++) {
        pf_labels label = {&pt->ignore.items[i], pt->ignore.keys ? &pt->ignore.keys[i] : NULL, 1};
        pf_path one = {&label, 1};
        im_header h = im_find_header(ctx, view, &one, "", true);
        if (h.found)
            lc->ignored[lc->ignored_count++] = h.col;
    }
    for (size_t i = 0; i < pt->column_count; i++) {
        char what[200];
        snprintf(what, sizeof what, "the column \"%s\"", pt->columns[i].key);
        lc->values[i] = im_find_header(ctx, view, &pt->columns[i].header, what, false);
    }
    return ctx->errors == before;
}

static bool is_total_row(const im_ctx *ctx, const im_view *view, const ledger_columns *lc,
                         uint32_t row)
{
    static const char *defaults[] = {"合计", "总计"};
    static const pf_labels default_totals = {defaults, defaults, 2};
    const pf_labels *totals =
        view->profile->total_labels.count ? &view->profile->total_labels : &default_totals;
    const im_header *label_cols[] = {&lc->code[0], &lc->code[1], &lc->name};
    for (size_t i = 0; i < 3; i++) {
        char text[256];
        const char *t = label_cols[i]->found ? im_cell_text(ctx, view->sheet, row,
                                                            label_cols[i]->col, text, sizeof text)
                                             : NULL;
        if (t && pf_labels_match(totals, t))
            return true;
    }
    return false;
}

/* Reads the row's figures into amounts. Returns how many were not blank, or -1 when one could
 * not be read. */
static int read_amounts(im_ctx *ctx, const im_view *view, const ledger_columns *lc, uint32_t row,
                        json_t *amounts)
{
    int given = 0;
    bool ok = true;
    for (size_t i = 0; i < view->profile->column_count; i++) {
        bool read;
        json_t *v = im_read_value(ctx, view, row, lc->values[i].col, lc->types[i], &read);
        ok = ok && read;
        if (!v)
            continue;
        json_object_set_new(amounts, view->profile->columns[i].key, v);
        given++;
    }
    return ok ? given : -1;
}

/* A row as check's rules address it, tables.ID.CODE. */
static void add_code_alias(im_ctx *ctx, const im_view *view, const char *code, const char *path)
{
    char alias[300];
    snprintf(alias, sizeof alias, "tables.%s.%s", view->kind->id, code);
    im_alias_add(ctx, alias, path);
}

static void read_row(im_ctx *ctx, const im_view *view, const ledger_columns *lc, uint32_t row,
                     json_t *rows, json_t *total, bool *total_seen, char *previous)
{
    char path[300];
    if (is_total_row(ctx, view, lc, row)) {
        snprintf(path, sizeof path, "tables.%s.total", view->kind->id);
        if (*total_seen)
            im_cell_error(ctx, view->sheet, row, lc->name.found ? lc->name.col : lc->code[0].col,
                          "a second 合计 row");
        *total_seen = true;
        im_row_add(ctx, path, view->columns, view->sheet, row, 0);
        read_amounts(ctx, view, lc, row, total);
        return;
    }
    char code[64], name_buf[1024], first[256];
    const char *label =
        im_cell_text(ctx, view->sheet, row, lc->code[0].found ? lc->code[0].col : lc->name.col,
                     first, sizeof first);
    if (label && pf_labels_match(&view->profile->ignore, label))
        return; /* 栏次 */
    if (!row_code(ctx, view, lc, row, code, sizeof code, previous))
        return;
    const char *name = lc->name.found ? im_cell_text(ctx, view->sheet, row, lc->name.col, name_buf,
                                                     sizeof name_buf)
                                      : NULL;
    if (name && im_is_filler(name))
        name = NULL;
    json_t *amounts = json_object();
    int given = read_amounts(ctx, view, lc, row, amounts);
    bool coded = code[0] || view->kind->codes == BP_KIND_CODES_NONE;
    if (!code[0] && !name) {
        if (given > 0) /* figures with neither code nor name: a row it cannot place */
            im_cell_error(ctx, view->sheet, row, lc->values[0].col,
                          "figures on a row without a code or a name; the row cannot be placed");
        json_decref(amounts);
        return;
    }
    if (!coded || !name) {
        uint32_t col = !coded ? lc->code[0].col : lc->name.col;
        im_cell_error(ctx, view->sheet, row, col, "the row %s has no %s", code[0] ? code : name,
                      !coded ? "code" : "name");
        json_decref(amounts);
        return;
    }
    json_t *r = json_object();
    if (code[0])
        json_object_set_new(r, "code", json_string(code));
    json_object_set_new(r, "name", json_string(name));
    json_object_set_new(r, "amounts", amounts);
    /* The row's values are under .amounts: its columns' path says so. */
    snprintf(path, sizeof path, "tables.%s.rows[%zu]", view->kind->id, json_array_size(rows));
    im_row_add(ctx, path, view->columns, view->sheet, row, lc->name.col);
    if (code[0])
        add_code_alias(ctx, view, code, path);
    json_array_append_new(rows, r);
}

/* Figures in a column the profile does not read: named once per column. */
static void unplaced_columns(im_ctx *ctx, const im_view *view, const ledger_columns *lc,
                             uint32_t last_row)
{
    size_t n;
    const bp_cell *cells = bp_workbook_cells(ctx->book, view->sheet, &n);
    uint32_t reported[64];
    size_t reported_count = 0;
    for (size_t i = 0; i < n; i++) {
        const bp_cell *c = &cells[i];
        if (c->row < view->data_first || c->row > last_row || c->type != BP_CELL_NUMBER)
            continue;
        bool placed = lc->name.found && lc->name.col == c->col;
        for (int p = 0; p < PF_CODE_PARTS; p++)
            placed = placed || (lc->code[p].found && lc->code[p].col == c->col);
        for (size_t k = 0; k < view->profile->column_count; k++)
            placed = placed || lc->values[k].col == c->col;
        for (size_t k = 0; k < reported_count; k++)
            placed = placed || reported[k] == c->col;
        for (size_t k = 0; k < lc->ignored_count; k++)
            placed = placed || lc->ignored[k] == c->col;
        if (placed || reported_count == 64)
            continue;
        reported[reported_count++] = c->col;
        im_cell_error(ctx, view->sheet, c->row, c->col,
                      "a figure in a column the profile places under no column of %s",
                      view->kind->title);
    }
}

json_t *im_read_ledger(im_ctx *ctx, im_view *view)
{
    const pf_table *pt = view->profile;
    ledger_columns lc = {0};
    lc.values = calloc(pt->column_count + 1, sizeof *lc.values);
    lc.types = calloc(pt->column_count + 1, sizeof *lc.types);
    if (!lc.values || !lc.types || !find_columns(ctx, view, &lc)) {
        ctx->out_of_memory = ctx->out_of_memory || !lc.values || !lc.types;
        free(lc.values);
        free(lc.types);
        return NULL;
    }
    im_column_types(pt->columns, pt->column_count, view->kind->columns, view->kind->column_count,
                    lc.types);
    snprintf(view->columns, sizeof view->columns, "tables.%s", view->kind->id);
    for (size_t i = 0; i < view->profile->column_count; i++)
        im_column_add(ctx, view->columns, view->profile->columns[i].key, lc.values[i].col);
    json_t *table = json_object(), *rows = json_array(), *total = json_object();
    size_t n;
    const bp_cell *cells = bp_workbook_cells(ctx->book, view->sheet, &n);
    bool total_seen = false;
    char previous[32] = "";
    uint32_t last_row = UINT32_MAX; /* the row read last */
    for (size_t i = 0; i < n; i++) {
        if (cells[i].row < view->data_first || cells[i].row == last_row)
            continue;
        read_row(ctx, view, &lc, cells[i].row, rows, total, &total_seen, previous);
        last_row = cells[i].row;
    }
    unplaced_columns(ctx, view, &lc, last_row == UINT32_MAX ? view->data_first : last_row);
    if (json_array_size(rows) > 0 && !total_seen)
        im_cell_error(ctx, view->sheet, UINT32_MAX, 0, "%s has rows but no 合计 row",
                      view->kind->title);
    json_object_set_new(table, "total", total);
    json_object_set_new(table, "rows", rows);
    free(lc.values);
    free(lc.types);
    return table;
}

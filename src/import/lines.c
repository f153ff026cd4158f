/*
 * lines.c: a table of lines the kind lists (收支总表, 财政拨款收支总表, the panes of a 基本支出表,
 * the 三公 items) read from its sheet: each side's labels matched to the kind's lines, and the
 * figures beside them.
 *
 * Stage: import, under the profile. The facts that shaped it: the sides of a two-sided table
 * share leaf headers ("项目", "预算数") and are told apart by the group above; labels carry their
 * printed numbering (一、 1. （一）) or not, and the workbook's wording differs from the kind's
 * ("一般公共预算" for 一般公共预算资金), which the profile's aliases say; a label that appears
 * twice on a side (一般公共预算拨款 in the year's lines and again under 结转) is the next line
 * of that name; template rows with a label but no figure (二、…) are not lines.
 */
#include "read_int.h"

#include <stdio.h>
#include <string.h>

typedef struct side_columns {
    const pf_side *profile;
    const bp_kind_side *kind;
    im_header label;
    im_header *values;    /* per profile column */
    bp_value_type *types; /* per profile column */
    bool *used;           /* per kind line: already given */
    char columns[300];    /* the path its rows' columns are recorded under */
    json_t *object;
} side_columns;

/* The code a label starts with ("201", "201 一般公共服务支出", "[201]一般公共服务支出"),
 * or "" when it starts with none. */
static void leading_code(const char *label, char *code, size_t size)
{
    size_t n = 0;
    const char *s = label + (label[0] == '[');
    while (*s >= '0' && *s <= '9' && n + 1 < size)
        code[n++] = *s++;
    code[n] = '\0';
    if (*s && *s != ' ' && *s != ']' && strncmp(s, "\u3000", 3) != 0)
        code[0] = '\0'; /* digits run into words: a label, not a code */
}

/* Whether a line's code (or, for the 类 lines keyed by code, its key) is the label's. */
static bool same_code(const bp_kind_line *line, const char *label)
{
    char code[16];
    leading_code(label, code, sizeof code);
    if (!code[0])
        return false;
    const char *own = line->code ? line->code : line->key;
    return strcmp(own, code) == 0;
}

static bool line_matches(const pf_side *ps, const bp_kind_line *line, const char *label)
{
    if (im_same_line_label(line->label, label) || same_code(line, label))
        return true;
    for (size_t i = 0; i < ps->line_count; i++) /* the profile's other names of the line */
        for (size_t k = 0;
             strcmp(ps->lines[i].key, line->key) == 0 && k < ps->lines[i].labels.count; k++)
            if (im_same_line_label(ps->lines[i].labels.items[k], label))
                return true;
    return false;
}

/* The kind's line a label names: the first not yet given, else the first (given twice). */
static int match_line(const side_columns *sc, const char *label, bool *again)
{
    int first = -1;
    *again = false;
    for (size_t i = 0; i < sc->kind->line_count; i++) {
        if (!line_matches(sc->profile, &sc->kind->lines[i], label))
            continue;
        if (!sc->used[i])
            return (int)i;
        if (first < 0)
            first = (int)i;
    }
    *again = first >= 0;
    return first;
}

static void read_side_row(im_ctx *ctx, const im_view *view, side_columns *sc, uint32_t row)
{
    char text[1024];
    const char *label = im_cell_text(ctx, view->sheet, row, sc->label.col, text, sizeof text);
    bool figures = false;
    for (size_t c = 0; c < sc->profile->column_count; c++)
        figures = figures || im_cell_has_amount(ctx, view->sheet, row, sc->values[c].col);
    if (!label || im_is_filler(label)) {
        if (figures)
            im_cell_error(ctx, view->sheet, row, sc->values[0].col,
                          "figures on the %s side without a label; the row cannot be placed",
                          sc->kind->key);
        return;
    }
    bool again;
    int line = match_line(sc, label, &again);
    if (line < 0 || again) {
        if (figures || again)
            im_cell_error(ctx, view->sheet, row, sc->label.col,
                          line < 0 ? "\"%s\" is no line of %s's %s side; the row cannot be "
                                     "placed (the profile's \"lines\" may give it as another "
                                     "name of a line)"
                                   : "\"%s\" is given twice on %s's %s side",
                          label, view->kind->title, sc->kind->key);
        return;
    }
    sc->used[line] = true;
    const bp_kind_line *kl = &sc->kind->lines[line];
    json_t *values = json_object();
    char path[600];
    snprintf(path, sizeof path, "%s.%s", sc->columns, kl->key);
    im_row_add(ctx, path, sc->columns, view->sheet, row, sc->label.col);
    for (size_t c = 0; c < sc->profile->column_count; c++) {
        bool read;
        json_t *v = im_read_value(ctx, view, row, sc->values[c].col, sc->types[c], &read);
        if (v)
            json_object_set_new(values, sc->profile->columns[c].key, v);
    }
    if (json_object_size(values))
        json_object_set_new(sc->object, kl->key, values);
    else
        json_decref(values);
}

static bool find_side(im_ctx *ctx, im_view *view, side_columns *sc)
{
    size_t before = ctx->errors;
    char what[300];
    snprintf(what, sizeof what, "the labels of the %s side", sc->kind->key);
    sc->label = im_find_header(ctx, view, &sc->profile->label, what, false);
    for (size_t c = 0; c < sc->profile->column_count; c++) {
        snprintf(what, sizeof what, "the column \"%s\" of the %s side", sc->profile->columns[c].key,
                 sc->kind->key);
        sc->values[c] = im_find_header(ctx, view, &sc->profile->columns[c].header, what, false);
        im_column_add(ctx, sc->columns, sc->profile->columns[c].key, sc->values[c].col);
    }
    return ctx->errors == before;
}

static bool side_begin(im_ctx *ctx, im_view *view, side_columns *sc, const pf_side *ps,
                       const bp_kind_side *ks)
{
    *sc = (side_columns){.profile = ps, .kind = ks};
    sc->values = calloc(ps->column_count + 1, sizeof *sc->values);
    sc->types = calloc(ps->column_count + 1, sizeof *sc->types);
    sc->used = calloc(ks->line_count + 1, sizeof *sc->used);
    sc->object = json_object();
    if (!sc->values || !sc->types || !sc->used || !sc->object) {
        ctx->out_of_memory = true;
        return false;
    }
    snprintf(sc->columns, sizeof sc->columns, "tables.%s.%s", view->kind->id, ks->key);
    im_column_types(ps->columns, ps->column_count, ks->columns, ks->column_count, sc->types);
    return find_side(ctx, view, sc);
}

static void side_read(im_ctx *ctx, const im_view *view, side_columns *sc)
{
    size_t n;
    const bp_cell *cells = bp_workbook_cells(ctx->book, view->sheet, &n);
    uint32_t last = UINT32_MAX; /* the row read last */
    for (size_t i = 0; i < n; i++) {
        const bp_cell *c = &cells[i];
        bool mine = c->col == sc->label.col;
        for (size_t k = 0; k < sc->profile->column_count; k++)
            mine = mine || c->col == sc->values[k].col;
        if (c->row < view->data_first || !mine || c->row == last)
            continue;
        read_side_row(ctx, view, sc, c->row);
        last = c->row;
    }
}

static void side_end(side_columns *sc)
{
    free(sc->values);
    free(sc->types);
    free(sc->used);
}

json_t *im_read_sides(im_ctx *ctx, im_view *view, const pf_side *sides,
                      const bp_kind_side **kind_sides, size_t count)
{
    side_columns *sc = calloc(count + 1, sizeof *sc);
    json_t *table = json_object();
    if (!sc || !table) {
        ctx->out_of_memory = true;
        free(sc);
        return table;
    }
    /* Every side's headers first: the figures begin below the lowest of them all. */
    bool found = true;
    for (size_t s = 0; s < count; s++)
        found = side_begin(ctx, view, &sc[s], &sides[s], kind_sides[s]) && found;
    for (size_t s = 0; s < count; s++) {
        if (found)
            side_read(ctx, view, &sc[s]);
        if (sc[s].object)
            json_object_set_new(table, sides[s].key, sc[s].object);
        side_end(&sc[s]);
    }
    free(sc);
    return table;
}

json_t *im_read_lines(im_ctx *ctx, im_view *view)
{
    const bp_kind_table *kt = view->kind;
    size_t count = view->profile->side_count;
    const bp_kind_side **kind_sides = calloc(count + 1, sizeof *kind_sides);
    if (!kind_sides) {
        ctx->out_of_memory = true;
        return NULL;
    }
    for (size_t s = 0; s < count; s++)
        kind_sides[s] = &kt->sides[bp_kind_side_index(kt, view->profile->sides[s].key)];
    json_t *table = im_read_sides(ctx, view, view->profile->sides, kind_sides, count);
    free(kind_sides);
    return table;
}

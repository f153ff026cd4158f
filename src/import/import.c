/*
 * import.c: a workbook read under a profile into a unit of the profile's kind (import.h): the
 * profile checked against the kind, each table found and read by its row shape, the unit's
 * name, code and year found in the sheets, and what the workbook lacks taken from a base unit.
 *
 * Stage: import, the last step; the command (src/cli/cmd_import.c) writes the result and checks
 * it. Every value keeps the cell it came from (bp_import_cell), so that check's findings on the
 * unit are said against the workbook's cells.
 */
#include "read_int.h"

#include "../util/jsonread.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct import_part {
    char *what, *from;
} import_part;

struct bp_import {
    char *json;
    size_t json_size;
    bp_arena *arena;    /* the origins' paths */
    im_origin *origins; /* sorted by path */
    size_t origin_count;
    const char **sheet_names; /* the workbook's (in the arena), for naming cells after it is
                                 closed */
    size_t sheet_count;
    char cell[640]; /* the last cell bp_import_cell named */
    import_part *parts;
    size_t part_count, part_capacity;
};

static void add_part(bp_import *im, im_ctx *ctx, const char *what, const char *from)
{
    import_part *grown =
        bp_grow(im->parts, &im->part_capacity, im->part_count + 1, sizeof *grown, 16);
    if (grown)
        im->parts = grown; /* kept at once: the old array may be gone */
    char *w = grown ? strdup(what) : NULL, *f = w ? strdup(from) : NULL;
    if (!f) {
        free(w);
        ctx->out_of_memory = true;
        return;
    }
    im->parts[im->part_count++] = (import_part){w, f};
}

/* ---- The profile against the kind ---- */

static void profile_error(im_ctx *ctx, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void profile_error(im_ctx *ctx, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bp_diags_vadd(ctx->diags, BP_SEVERITY_ERROR, NULL, ctx->profile->file, 0, 0, path, fmt, ap);
    va_end(ap);
    ctx->errors++;
}

static void list_keys(const bp_kind_column *columns, size_t count, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < count && used < size; i++) {
        int n = snprintf(out + used, size - used, "%s%s", i ? ", " : "", columns[i].key);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static void check_columns(im_ctx *ctx, const char *at, const pf_column *columns, size_t count,
                          const bp_kind_column *kind_columns, size_t kind_count, const char *title)
{
    for (size_t i = 0; i < count; i++) {
        if (bp_kind_column_index(kind_columns, kind_count, columns[i].key) >= 0)
            continue;
        char path[600], keys[600];
        snprintf(path, sizeof path, "%s.%s", at, columns[i].key);
        list_keys(kind_columns, kind_count, keys, sizeof keys);
        profile_error(ctx, path, "%s has no column \"%s\" in %s (expected one of %s)",
                      ctx->kind->name, columns[i].key, title, keys);
    }
}

static void check_side(im_ctx *ctx, const pf_table *pt, const bp_kind_table *kt, const pf_side *ps)
{
    char at[600];
    int k = bp_kind_side_index(kt, ps->key);
    if (k < 0) {
        snprintf(at, sizeof at, "tables.%s.sides.%s", pt->id, ps->key);
        profile_error(ctx, at, "%s has no side \"%s\"", kt->title, ps->key);
        return;
    }
    const bp_kind_side *ks = &kt->sides[k];
    snprintf(at, sizeof at, "tables.%s.sides.%s.columns", pt->id, ps->key);
    check_columns(ctx, at, ps->columns, ps->column_count, ks->columns, ks->column_count, kt->title);
    for (size_t i = 0; i < ps->line_count; i++)
        if (bp_kind_line_index(ks, ps->lines[i].key) < 0) {
            snprintf(at, sizeof at, "tables.%s.sides.%s.lines.%s", pt->id, ps->key,
                     ps->lines[i].key);
            profile_error(ctx, at, "the %s side of %s has no line \"%s\"", ps->key, kt->title,
                          ps->lines[i].key);
        }
}

static void check_table(im_ctx *ctx, const pf_table *pt, const bp_kind_table *kt)
{
    char at[600];
    snprintf(at, sizeof at, "tables.%s.columns", pt->id);
    check_columns(ctx, at, pt->columns, pt->column_count, kt->columns, kt->column_count, kt->title);
    snprintf(at, sizeof at, "tables.%s", pt->id);
    if (kt->rows == BP_ROWS_LEDGER) {
        if (!pt->name.count)
            profile_error(ctx, at, "says no \"name\": the header over the rows' names");
        if (!pt->column_count)
            profile_error(ctx, at, "says no \"columns\": the header over each column's figures");
        if (kt->codes != BP_KIND_CODES_NONE && !pt->code[0].count)
            profile_error(ctx, at,
                          "says no \"code\": the header over the codes (one column, or "
                          "{\"class\", \"item\", \"subitem\"})");
    } else if (kt->rows == BP_ROWS_LINES) {
        if (!pt->side_count)
            profile_error(ctx, at, "says no \"sides\": where each side's labels and figures are");
        for (size_t s = 0; s < pt->side_count; s++)
            check_side(ctx, pt, kt, &pt->sides[s]);
    } else {
        if (!pt->column_count && !pt->down)
            profile_error(ctx, at, "says neither \"columns\" (printed across) nor \"down\"");
        for (size_t i = 0; pt->down && i < pt->down->line_count; i++)
            if (bp_kind_column_index(kt->columns, kt->column_count, pt->down->lines[i].key) < 0) {
                snprintf(at, sizeof at, "tables.%s.down.lines.%s", pt->id, pt->down->lines[i].key);
                profile_error(ctx, at, "%s has no column \"%s\"", kt->title,
                              pt->down->lines[i].key);
            }
    }
}

static void check_profile(im_ctx *ctx)
{
    const bp_profile *p = ctx->profile;
    if (strcmp(p->kind, ctx->kind->id) != 0)
        profile_error(ctx, "kind", "the profile reads into the kind \"%s\", not \"%s\"", p->kind,
                      ctx->kind->id);
    for (size_t i = 0; i < p->table_count; i++) {
        const bp_kind_table *kt = bp_kind_table_find(ctx->kind, p->tables[i].id);
        if (!kt) {
            char at[300];
            snprintf(at, sizeof at, "tables.%s", p->tables[i].id);
            profile_error(ctx, at, "%s has no table \"%s\"", ctx->kind->name, p->tables[i].id);
            continue;
        }
        check_table(ctx, &p->tables[i], kt);
    }
}

/* ---- Tables ---- */

static const pf_table *profile_table(const bp_profile *p, const char *id)
{
    for (size_t i = 0; i < p->table_count; i++)
        if (strcmp(p->tables[i].id, id) == 0)
            return &p->tables[i];
    return NULL;
}

static json_t *empty_table(const bp_kind_table *kt)
{
    if (kt->rows == BP_ROWS_LEDGER)
        return json_pack("{s:{}, s:[]}", "total", "rows");
    if (kt->rows == BP_ROWS_ONE_ROW)
        return json_pack("{s:{}}", "amounts");
    return json_object();
}

static bool table_is_empty(const bp_kind_table *kt, json_t *t)
{
    if (kt->rows == BP_ROWS_LEDGER)
        return json_array_size(json_object_get(t, "rows")) == 0 &&
               json_object_size(json_object_get(t, "total")) == 0;
    if (kt->rows == BP_ROWS_ONE_ROW)
        return json_object_size(json_object_get(t, "amounts")) == 0;
    const char *key;
    json_t *side;
    json_object_foreach(t, key, side) if (json_object_size(side)) return false;
    return true;
}

/* What a base's table holds besides its figures (its note) stays when the workbook's table is
 * empty too: a note saying the table is empty must not stand over figures. */
static void keep_base_note(bp_import *im, im_ctx *ctx, const bp_kind_table *kt, json_t *table,
                           json_t *base_tables)
{
    json_t *note = json_object_get(json_object_get(base_tables, kt->id), "note");
    if (!note || !table_is_empty(kt, table))
        return;
    json_object_set(table, "note", note);
    char what[300];
    snprintf(what, sizeof what, "tables.%s.note", kt->id);
    add_part(im, ctx, what, "base");
}

static json_t *read_table(im_ctx *ctx, const pf_table *pt, const bp_kind_table *kt, bool *found,
                          char *sheet, size_t size)
{
    im_view view;
    *found = im_find_table(ctx, pt, kt, &view);
    if (!*found)
        return pt->optional ? empty_table(kt) : NULL;
    snprintf(sheet, size, "%s", view.sheet_name);
    if (kt->rows == BP_ROWS_LEDGER)
        return im_read_ledger(ctx, &view);
    if (kt->rows == BP_ROWS_LINES)
        return im_read_lines(ctx, &view);
    return im_read_one_row(ctx, &view);
}

static json_t *read_tables(bp_import *im, im_ctx *ctx, json_t *base)
{
    json_t *tables = json_object();
    json_t *base_tables = json_object_get(base, "tables");
    for (size_t i = 0; i < ctx->kind->table_count; i++) {
        const bp_kind_table *kt = &ctx->kind->tables[i];
        const pf_table *pt = profile_table(ctx->profile, kt->id);
        char what[300], sheet[600] = "";
        snprintf(what, sizeof what, "tables.%s", kt->id);
        json_t *from_base = json_object_get(base_tables, kt->id);
        if (!pt) {
            if (from_base) {
                json_object_set(tables, kt->id, from_base);
                add_part(im, ctx, what, "base");
            }
            continue;
        }
        bool found;
        json_t *table = read_table(ctx, pt, kt, &found, sheet, sizeof sheet);
        if (!table)
            continue;
        add_part(im, ctx, what, found ? sheet : "(none: the workbook lacks it, an empty table)");
        keep_base_note(im, ctx, kt, table, base_tables);
        json_object_set_new(tables, kt->id, table);
    }
    return tables;
}

/* ---- The unit ---- */

static const char *kind_money_unit(const bp_kind *kind)
{
    for (size_t i = 0; i < kind->table_count; i++)
        if (kind->tables[i].money_unit)
            return kind->tables[i].money_unit;
    return "万元";
}

static void set_found(bp_import *im, im_ctx *ctx, json_t *unit, const char *key,
                      const pf_labels *labels, json_t *base_unit)
{
    char buf[1024], what[64];
    size_t sheet;
    uint32_t row, col;
    snprintf(what, sizeof what, "unit.%s", key);
    const char *found = im_find_labelled(ctx, labels, &sheet, &row, &col, buf, sizeof buf);
    json_t *given = json_object_get(base_unit, key);
    if (found) {
        char cell[600];
        im_cell_name(ctx, sheet, row, col, cell);
        im_origin_add(ctx, what, sheet, row, col);
        if (json_is_string(given) && strcmp(json_string_value(given), found) != 0)
            im_cell_warning(ctx, sheet, row, col,
                            "the workbook names the unit's %s \"%s\", the base \"%s\": the "
                            "workbook's is kept",
                            key, found, json_string_value(given));
        json_object_set_new(unit, key, json_string(found));
        add_part(im, ctx, what, cell);
    } else if (given) {
        json_object_set(unit, key, given);
        add_part(im, ctx, what, "base");
    } else {
        im_error(ctx, what,
                 "neither the workbook (after %s) nor a base unit gives the unit's %s: give "
                 "--base UNIT.json with it",
                 labels->count ? labels->items[0] : "a label", key);
    }
}

static json_t *read_unit(bp_import *im, im_ctx *ctx, json_t *base)
{
    json_t *base_unit = json_object_get(base, "unit");
    json_t *unit = json_object();
    set_found(im, ctx, unit, "code", &ctx->profile->unit_code, base_unit);
    set_found(im, ctx, unit, "name", &ctx->profile->unit_name, base_unit);
    json_t *year = json_object_get(base_unit, "budget_year");
    if (ctx->year) {
        json_object_set_new(unit, "budget_year", json_integer(ctx->year));
        im_origin_add(ctx, "unit.budget_year", ctx->year_sheet, ctx->year_row, ctx->year_col);
        add_part(im, ctx, "unit.budget_year", ctx->year_at);
    } else if (year) {
        json_object_set(unit, "budget_year", year);
        add_part(im, ctx, "unit.budget_year", "base");
    } else {
        im_error(ctx, "unit.budget_year",
                 "no table's title gives the year (\"2026年…\") and there is no base unit");
    }
    json_t *money = json_object_get(base_unit, "money_unit");
    json_object_set_new(unit, "money_unit",
                        money ? json_incref(money) : json_string(kind_money_unit(ctx->kind)));
    const char *key;
    json_t *v;
    json_object_foreach(base_unit, key, v) if (!json_object_get(unit, key))
        json_object_set(unit, key, v);
    return unit;
}

static json_t *assemble(bp_import *im, im_ctx *ctx, json_t *base)
{
    json_t *unit = json_pack("{s:s, s:s, s:{}}", "format", "budgetpress.unit/1", "kind",
                             ctx->kind->id, "unit");
    /* The tables first: their titles give the year. */
    json_object_set_new(unit, "tables", read_tables(im, ctx, base));
    json_object_set_new(unit, "unit", read_unit(im, ctx, base));
    const char *key;
    json_t *v;
    json_object_foreach(base, key, v)
    {
        if (json_object_get(unit, key))
            continue;
        json_object_set(unit, key, v);
        add_part(im, ctx, key, "base");
    }
    if (!json_object_get(unit, "explanation")) {
        json_object_set_new(unit, "explanation", json_pack("{s:{}}", "sections"));
        add_part(im, ctx, "explanation", "(none: no base unit, so no text)");
    }
    return unit;
}

static int by_path(const void *a, const void *b)
{
    const im_origin *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    /* Of a value or row and an alias of one spelling, the first: it is what is found. */
    return c ? c : (int)x->type - (int)y->type;
}

static bool keep_sheet_names(bp_import *im, const bp_workbook *book)
{
    im->sheet_count = bp_workbook_sheet_count(book);
    im->sheet_names = bp_arena_array(im->arena, im->sheet_count + 1, sizeof *im->sheet_names);
    for (size_t s = 0; im->sheet_names && s < im->sheet_count; s++) {
        const char *name = bp_workbook_sheet_name(book, s);
        if (!(im->sheet_names[s] = bp_arena_strndup(im->arena, name, strlen(name))))
            return false;
    }
    return im->sheet_names != NULL;
}

static json_t *read_base(const char *base, size_t size, const char *name, const bp_kind *kind,
                         bp_diags *diags)
{
    if (!base)
        return json_object();
    json_t *root = bp_jr_parse(base, size, name, diags);
    if (root && !json_is_object(root)) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, name, 0, 0, NULL,
                     "the base is not a unit: expected a JSON object");
        json_decref(root);
        return NULL;
    }
    json_t *k = json_object_get(root, "kind");
    if (root && json_is_string(k) && strcmp(json_string_value(k), kind->id) != 0)
        bp_diags_add(diags, BP_SEVERITY_WARNING, NULL, name, 0, 0, "kind",
                     "the base is a unit of the kind \"%s\"; its text is kept for \"%s\"",
                     json_string_value(k), kind->id);
    return root;
}

bp_import *bp_import_book(const bp_workbook *book, const char *book_name, const bp_profile *profile,
                          const bp_kind *kind, const char *base, size_t base_size,
                          const char *base_name, bp_diags *diags)
{
    bp_import *im = calloc(1, sizeof *im);
    if (!im) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, book_name, 0, 0, NULL,
                     "out of memory importing the workbook");
        return NULL;
    }
    im_ctx ctx = {.book = book,
                  .book_name = book_name,
                  .profile = profile,
                  .kind = kind,
                  .diags = diags,
                  .arena = im->arena = bp_arena_create()};
    if (!ctx.arena || !keep_sheet_names(im, book)) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, book_name, 0, 0, NULL,
                     "out of memory importing the workbook");
        bp_import_destroy(im);
        return NULL;
    }
    check_profile(&ctx);
    json_t *base_json = ctx.errors ? NULL : read_base(base, base_size, base_name, kind, diags);
    json_t *unit = base_json ? assemble(im, &ctx, base_json) : NULL;
    if (unit)
        im->json = json_dumps(unit, JSON_INDENT(2));
    im->json_size = im->json ? strlen(im->json) : 0;
    json_decref(unit);
    json_decref(base_json);
    if (ctx.origin_count)
        qsort(ctx.origins, ctx.origin_count, sizeof *ctx.origins, by_path);
    im->origins = ctx.origins;
    im->origin_count = ctx.origin_count;
    if (ctx.out_of_memory || (unit && !im->json))
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, book_name, 0, 0, NULL,
                     "out of memory importing the workbook");
    if (!im->json) {
        bp_import_destroy(im);
        return NULL;
    }
    return im;
}

const char *bp_import_json(const bp_import *im, size_t *size)
{
    *size = im->json_size;
    return im->json;
}

static int by_path_only(const void *a, const void *b)
{
    return strcmp(((const im_origin *)a)->path, ((const im_origin *)b)->path);
}

static const im_origin *find_exact(const bp_import *im, const char *path)
{
    if (im->origin_count == 0)
        return NULL;
    im_origin probe = {.path = path};
    const im_origin *hit =
        bsearch(&probe, im->origins, im->origin_count, sizeof *im->origins, by_path_only);
    while (hit && hit > im->origins && strcmp(hit[-1].path, path) == 0)
        hit--; /* the first of one spelling */
    return hit;
}

/* The origin of path or of its nearest recorded parent, and where in path the rest begins. */
static const im_origin *find_origin(const bp_import *im, const char *path, size_t *rest)
{
    char key[1024];
    snprintf(key, sizeof key, "%s", path);
    for (;;) {
        const im_origin *hit = find_exact(im, key);
        if (hit) {
            *rest = strlen(key);
            return hit;
        }
        char *cut = strrchr(key, '.'), *bracket = strrchr(key, '[');
        if (bracket > cut)
            cut = bracket;
        if (!cut)
            return NULL;
        *cut = '\0';
    }
}

/* The column of a value below a row: that of the rest's last key ("….amounts.total"), or the
 * row's own label's for the row itself. */
static uint32_t row_column(const bp_import *im, const im_origin *row, const char *rest)
{
    const char *key = strrchr(rest, '.');
    if (!key)
        return row->col;
    char path[1024];
    snprintf(path, sizeof path, "%s#%s", row->target, key + 1);
    const im_origin *column = find_exact(im, path);
    return column && column->type == IM_ORIGIN_COLUMN ? column->col : row->col;
}

const char *bp_import_cell(bp_import *im, const char *path)
{
    size_t rest;
    const im_origin *hit = find_origin(im, path, &rest);
    char rewritten[1024];
    if (hit && hit->type == IM_ORIGIN_ALIAS) {
        /* Another name (tables.expense.201): the rest of the path under its target. */
        snprintf(rewritten, sizeof rewritten, "%s%s", hit->target, path + rest);
        path = rewritten;
        hit = find_origin(im, path, &rest);
    }
    if (!hit || hit->type == IM_ORIGIN_ALIAS || hit->type == IM_ORIGIN_COLUMN ||
        hit->sheet >= im->sheet_count)
        return NULL;
    uint32_t col = hit->type == IM_ORIGIN_ROW ? row_column(im, hit, path + rest) : hit->col;
    char ref[16];
    bp_cell_ref(hit->row, col, ref);
    snprintf(im->cell, sizeof im->cell, "%.600s!%s", im->sheet_names[hit->sheet], ref);
    return im->cell;
}

size_t bp_import_part_count(const bp_import *im)
{
    return im->part_count;
}

void bp_import_part_at(const bp_import *im, size_t i, const char **what, const char **from)
{
    *what = im->parts[i].what;
    *from = im->parts[i].from;
}

void bp_import_destroy(bp_import *im)
{
    if (!im)
        return;
    free(im->json);
    free(im->origins);
    bp_arena_destroy(im->arena);
    for (size_t i = 0; i < im->part_count; i++) {
        free(im->parts[i].what);
        free(im->parts[i].from);
    }
    free(im->parts);
    free(im);
}

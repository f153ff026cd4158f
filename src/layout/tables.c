/*
 * tables.c: builds the official tables of a unit from its model and the layout's table
 * definitions, and hands each to the table engine (table.h).
 *
 * Stage: layout, the document level. Decides what each cell says (codes, names with their
 * ordinals, amounts with two decimals and blanks for empty cells, 序号 counting through the
 * table, labels of total rows, merged 一级/二级指标 cells); never measures or paginates. The
 * facts that shaped it: the header rows are built from the layout's column tree once per table
 * and the engine repeats those very rows on every page, so a continuation page cannot drift
 * from the first (the seed printed 档次 for 栏次 there); and which column shows what is the
 * layout's data (a "bind" per leaf), so a new official format is a new layout file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../util/util.h"
#include "layout_int.h"
#include "placeholders.h"
#include "table_def.h"

/* What a leaf column shows, from its bind. */
typedef enum leaf_kind {
    LEAF_SEQ,    /* "seq": 序号 */
    LEAF_CODE,   /* "code" */
    LEAF_NAME,   /* "name" */
    LEAF_AMOUNT, /* a column meaning: "total", "basic", … */
    LEAF_OTHER,  /* a field a builder reads by name: "level1", "nature", "quantity", … */
} leaf_kind;

/* Everything one table build allocates; freed once the engine has laid the table out. */
typedef struct builder {
    flow *f;
    const bp_unit *unit;
    const tdef_table *def;
    bp_arena *arena;
    const tdef_node **leaves; /* the leaf columns, left to right */
    size_t ncols;
    /* Each leaf's binding, resolved once per table rather than once per cell. */
    tbl_cell *proto; /* alignment, wrapping and font role of the column's cells */
    leaf_kind *kind; /* what the column shows */
    int *column;     /* the column meaning of an amount column, else -1 */
    int *side;       /* two-sided tables: 0 income, 1 expense; else -1 */
    int *value;      /* a kind's table: the column of the row (or side) the leaf shows, or -1 */
    int *code_part;  /* a kind's table: 0 the whole code, 1 类, 2 款, 3 项; -1 none */
    tbl_row *rows;   /* body rows being built */
    size_t row_count, row_capacity;
    const char *number; /* {number}: the table's ordinal (绩效目标表) */
    const char *name;   /* {name}: the project's name (绩效目标表) */
    const char *title;  /* {title}: the table's title, once expanded (empty-table notes) */
    /* The table's key in meanings: the definition's, or one naming the project (绩效目标表,
     * one definition for every project) */
    const char *table_key;
    /* What the row being filled is, for the cells' meanings (page.h): its key (code, line key,
     * "total") and role; NULL while no data row is being filled. */
    const char *row_key;
    bp_cell_role row_role;
    bool failed;
} builder;

/* ---- Text ---- */

static const char *copy(builder *b, const char *s)
{
    char *c = bp_arena_strndup(b->arena, s, strlen(s));
    if (!c)
        b->failed = true;
    return c ? c : "";
}

/* A text as a key in meanings: one word, its spaces made underscores ("2022 年" -> "2022_年"). */
static const char *key_text(builder *b, const char *prefix, const char *s)
{
    char *key = bp_arena_alloc(b->arena, strlen(prefix) + strlen(s) + 1);
    if (!key) {
        b->failed = true;
        return "";
    }
    strcpy(key, prefix);
    char *out = key + strlen(prefix);
    for (; *s; s++)
        *out++ = *s == ' ' || *s == '\t' || *s == '\n' ? '_' : *s;
    *out = '\0';
    return key;
}

/* A text built in a string buffer, copied into the build; a buffer that ran out of memory
 * (its text cut short) fails the build instead of printing a truncated cell. */
static const char *copy_built(builder *b, const bp_strbuf *sb)
{
    if (sb->failed)
        b->failed = true;
    return copy(b, sb->len ? sb->data : "");
}

static const char *format(builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static const char *format(builder *b, const char *fmt, ...)
{
    bp_strbuf sb = BP_STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    bp_strbuf_vprintf(&sb, fmt, ap);
    va_end(ap);
    const char *s = copy_built(b, &sb);
    bp_strbuf_free(&sb);
    return s;
}

/* A layout text with its placeholders replaced (placeholders.h); NULL stays NULL. */
static const char *expand(builder *b, const char *template)
{
    if (!template)
        return NULL;
    layout_values values;
    layout_values_of_unit(&values, b->unit);
    values.value[PH_NUMBER] = b->number;
    values.value[PH_NAME] = b->name;
    if (b->def->spec) /* a kind's table says its own money unit */
        values.value[PH_MONEY_UNIT] = b->def->spec->money_unit;
    values.value[PH_TITLE] = b->title;
    bp_strbuf out = BP_STRBUF_INIT;
    layout_expand(template, &values, &out);
    const char *s = copy_built(b, &out);
    bp_strbuf_free(&out);
    return s;
}

static const char *amount_text(builder *b, bp_amount a)
{
    char text[BP_AMOUNT_FORMAT_MAX];
    bp_amount_format(a, b->def->thousands, text);
    return copy(b, text);
}

/* "一、" + name when the table numbers its lines so, else the name. */
static const char *numbered_line(builder *b, size_t index, const char *name)
{
    if (!b->def->line_numbering || !name)
        return name ? name : "";
    bp_strbuf sb = BP_STRBUF_INIT;
    layout_chinese_numeral((int)index + 1, &sb);
    bp_strbuf_puts(&sb, "、");
    bp_strbuf_puts(&sb, name);
    const char *s = copy_built(b, &sb);
    bp_strbuf_free(&sb);
    return s;
}

/* ---- Columns and header ---- */

static size_t leaf_count(const tdef_node *node)
{
    if (!node->child_count)
        return 1;
    size_t n = 0;
    for (size_t i = 0; i < node->child_count; i++)
        n += leaf_count(&node->children[i]);
    return n;
}

static size_t tree_depth(const tdef_node *nodes, size_t count)
{
    size_t depth = 0;
    for (size_t i = 0; i < count; i++) {
        size_t d =
            nodes[i].child_count ? 1 + tree_depth(nodes[i].children, nodes[i].child_count) : 1;
        if (d > depth)
            depth = d;
    }
    return depth;
}

static void collect_leaves(builder *b, const tdef_node *nodes, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (nodes[i].child_count)
            collect_leaves(b, nodes[i].children, nodes[i].child_count);
        else
            b->leaves[b->ncols++] = &nodes[i];
    }
}

static tbl_row new_row(builder *b)
{
    tbl_row row = {0};
    row.cells = bp_arena_array(b->arena, b->ncols, sizeof(tbl_cell));
    if (!row.cells)
        b->failed = true;
    return row;
}

static tbl_cell text_cell(const char *text, tbl_align align)
{
    tbl_cell c = {.text = text ? text : "",
                  .colspan = 1,
                  .rowspan = 1,
                  .align = align,
                  .role = BP_ROLE_TABLE};
    return c;
}

/* Places the tree's labels into header rows: a group spans its leaves, a leaf spans the rows
 * down to the bottom of the header. */
/* A header cell's meaning: the table, the column it heads (a leaf's binding; NULL for a group,
 * which heads several). */
static const bp_meaning *header_meaning(builder *b, const char *column)
{
    bp_meaning *m = bp_arena_alloc(b->arena, sizeof *m);
    if (!m) {
        b->failed = true;
        return NULL;
    }
    *m = (bp_meaning){.table = b->table_key, .column = column, .role = BP_CELL_HEADER};
    return m;
}

static void place_header_nodes(builder *b, tbl_row *rows, size_t depth, const tdef_node *nodes,
                               size_t count, size_t level, size_t *column)
{
    for (size_t i = 0; i < count; i++) {
        const tdef_node *node = &nodes[i];
        size_t span = leaf_count(node);
        tbl_cell cell = text_cell(expand(b, node->label), TBL_ALIGN_CENTER);
        cell.colspan = (unsigned short)span;
        cell.rowspan = (unsigned short)(node->child_count ? 1 : depth - level);
        cell.meaning = header_meaning(b, node->child_count ? NULL : node->bind);
        if (rows[level].cells)
            rows[level].cells[*column] = cell;
        if (node->child_count) {
            size_t inner = *column;
            place_header_nodes(b, rows, depth, node->children, node->child_count, level + 1,
                               &inner);
        }
        *column += span;
    }
}

/* The 栏次 row: "栏次" under 序号, then 1, 2, 3… under each further leaf. */
static tbl_row column_number_row(builder *b)
{
    tbl_row row = new_row(b);
    int number = 0;
    for (size_t c = 0; row.cells && c < b->ncols; c++) {
        bool seq = b->leaves[c]->bind && strcmp(b->leaves[c]->bind, "seq") == 0;
        row.cells[c] = text_cell(seq ? "栏次" : format(b, "%d", ++number), TBL_ALIGN_CENTER);
        row.cells[c].meaning = header_meaning(b, b->leaves[c]->bind);
    }
    return row;
}

static tbl_row *build_header(builder *b, size_t *count)
{
    size_t depth = tree_depth(b->def->columns, b->def->column_count);
    size_t n = depth + (b->def->column_numbers ? 1 : 0);
    tbl_row *rows = bp_arena_array(b->arena, n, sizeof *rows);
    if (!rows) {
        b->failed = true;
        *count = 0;
        return NULL;
    }
    for (size_t r = 0; r < depth; r++)
        rows[r] = new_row(b);
    size_t column = 0;
    place_header_nodes(b, rows, depth, b->def->columns, b->def->column_count, 0, &column);
    if (b->def->column_numbers)
        rows[depth] = column_number_row(b);
    *count = n;
    return rows;
}

static tbl_column *build_columns(builder *b)
{
    tbl_column *columns = bp_arena_array(b->arena, b->ncols, sizeof *columns);
    if (!columns) {
        b->failed = true;
        return NULL;
    }
    for (size_t c = 0; c < b->ncols; c++) {
        const tdef_node *leaf = b->leaves[c];
        columns[c] = (tbl_column){leaf->width_kind, leaf->fixed, leaf->share,
                                  leaf->min,        leaf->max,   expand(b, leaf->label)};
    }
    return columns;
}

/* ---- Body rows ---- */

static tbl_row *add_row(builder *b)
{
    if (b->row_count == b->row_capacity) {
        size_t capacity;
        tbl_row *rows =
            bp_capacity_for(b->row_capacity, b->row_count + 1, sizeof *rows, 64, &capacity)
                ? bp_arena_array(b->arena, capacity, sizeof *rows)
                : NULL;
        if (!rows) {
            b->failed = true;
            return NULL;
        }
        if (b->row_count)
            memcpy(rows, b->rows, b->row_count * sizeof *rows);
        b->rows = rows;
        b->row_capacity = capacity;
    }
    tbl_row *row = &b->rows[b->row_count];
    *row = new_row(b);
    if (!row->cells)
        return NULL;
    for (size_t c = 0; c < b->ncols; c++)
        row->cells[c] = text_cell("", TBL_ALIGN_LEFT);
    b->row_count++;
    return row;
}

static bool bind_is(const tdef_node *leaf, const char *bind)
{
    return leaf->bind && strcmp(leaf->bind, bind) == 0;
}

/* The column meaning a bind names ("total", "basic", …), or -1. */
static int bind_column(const char *bind)
{
    for (int c = 0; c < BP_COL__COUNT && bind; c++)
        if (strcmp(bind, bp_column_key((bp_column)c)) == 0)
            return c;
    return -1;
}

/* Amount-like fields that builders read by name: right-aligned, never wrapped. */
static bool is_numeric_field(const builder *b, const char *bind)
{
    static const char *const numeric[] = {"quantity", "unit_price", "project_budget",
                                          "sme_reserve"};
    for (size_t i = 0; i < sizeof numeric / sizeof numeric[0]; i++)
        if (strcmp(bind, numeric[i]) == 0)
            return true;
    /* "value" is an amount in the asset table and 指标值 text in a 绩效目标表. */
    return strcmp(bind, "value") == 0 && strcmp(b->def->key, "assets") == 0;
}

/* How a column's cells look: 序号 centred, numbers right-aligned, text and codes left, unless
 * the layout aligns the column; numbers, 序号 and codes never wrap. */
static void set_proto(builder *b, size_t c, bool numeric)
{
    leaf_kind kind = b->kind[c];
    tbl_align align = kind == LEAF_SEQ ? TBL_ALIGN_CENTER
                      : numeric        ? TBL_ALIGN_RIGHT
                                       : TBL_ALIGN_LEFT;
    if (b->leaves[c]->align >= 0)
        align = (tbl_align)b->leaves[c]->align;
    b->proto[c] = text_cell("", align);
    b->proto[c].nowrap = numeric || kind == LEAF_SEQ || kind == LEAF_CODE;
    b->proto[c].role = numeric ? BP_ROLE_NUMBER : BP_ROLE_TABLE;
}

/* The code part a bind names: "code" 0, "code_class" 1, "code_item" 2, "code_subitem" 3. */
static int code_part_of(const char *what)
{
    static const char *const parts[] = {"code", "code_class", "code_item", "code_subitem"};
    for (int i = 0; i < 4; i++)
        if (strcmp(what, parts[i]) == 0)
            return i;
    return -1;
}

/* A kind's table: which side, which column or code part each leaf shows, and how its cells
 * look (numbers right-aligned and never wrapped, text left). */
static void resolve_kind_leaf(builder *b, size_t c, const char *bind)
{
    const bp_kind_table *t = b->def->spec;
    const char *what = bind;
    const bp_kind_column *columns = t->columns;
    size_t count = t->column_count;
    b->side[c] = -1;
    const char *dot = strchr(bind, '.');
    if (t->rows == BP_ROWS_LINES && dot) {
        for (size_t s = 0; s < t->side_count; s++)
            if (strlen(t->sides[s].key) == (size_t)(dot - bind) &&
                strncmp(bind, t->sides[s].key, (size_t)(dot - bind)) == 0) {
                b->side[c] = (int)s;
                columns = t->sides[s].columns;
                count = t->sides[s].column_count;
            }
        what = dot + 1;
    }
    b->code_part[c] = code_part_of(what);
    b->value[c] = bp_kind_column_index(columns, count, what);
    b->column[c] = -1;
    b->kind[c] = strcmp(what, "seq") == 0    ? LEAF_SEQ
                 : b->code_part[c] >= 0      ? LEAF_CODE
                 : strcmp(what, "name") == 0 ? LEAF_NAME
                 : b->value[c] >= 0          ? LEAF_AMOUNT
                                             : LEAF_OTHER;
    set_proto(b, c, b->value[c] >= 0 && columns[b->value[c]].type != BP_VALUE_TEXT);
}

/* Resolves every leaf's binding once: what it shows and how its cells look. */
static bool resolve_bindings(builder *b)
{
    b->proto = bp_arena_array(b->arena, b->ncols, sizeof *b->proto);
    b->kind = bp_arena_array(b->arena, b->ncols, sizeof *b->kind);
    b->column = bp_arena_array(b->arena, b->ncols, sizeof *b->column);
    b->side = bp_arena_array(b->arena, b->ncols, sizeof *b->side);
    b->value = bp_arena_array(b->arena, b->ncols, sizeof *b->value);
    b->code_part = bp_arena_array(b->arena, b->ncols, sizeof *b->code_part);
    if (!b->proto || !b->kind || !b->column || !b->side || !b->value || !b->code_part)
        return false;
    for (size_t c = 0; c < b->ncols; c++) {
        const char *bind = b->leaves[c]->bind ? b->leaves[c]->bind : "";
        if (b->def->spec) {
            resolve_kind_leaf(b, c, bind);
            continue;
        }
        b->value[c] = -1;
        b->code_part[c] = -1;
        const char *dot = strchr(bind, '.');
        b->side[c] = !dot                                ? -1
                     : strncmp(bind, "income.", 7) == 0  ? 0
                     : strncmp(bind, "expense.", 8) == 0 ? 1
                                                         : -1;
        const char *what = dot ? dot + 1 : bind;
        b->column[c] = bind_column(what);
        b->kind[c] = strcmp(what, "seq") == 0    ? LEAF_SEQ
                     : strcmp(what, "code") == 0 ? LEAF_CODE
                     : strcmp(what, "name") == 0 ? LEAF_NAME
                     : b->column[c] >= 0         ? LEAF_AMOUNT
                                                 : LEAF_OTHER;
        set_proto(b, c, b->kind[c] == LEAF_AMOUNT || is_numeric_field(b, what));
    }
    return true;
}

/* What the cell shows: the table, the row being filled, the column's binding, an amount's
 * exact value (NULL for none); nothing outside a data row. */
static const bp_meaning *meaning_of(builder *b, size_t c, const bp_amount *amount)
{
    if (!b->row_key || !b->leaves[c]->bind)
        return NULL;
    bp_meaning *m = bp_arena_alloc(b->arena, sizeof *m);
    if (!m) {
        b->failed = true;
        return NULL;
    }
    *m = (bp_meaning){.table = b->table_key,
                      .row = b->row_key,
                      .column = b->leaves[c]->bind,
                      .role = b->row_role};
    if (amount) {
        m->has_amount = true;
        m->blank = bp_amount_is_blank(*amount);
        m->hundredths = m->blank ? 0 : amount->hundredths;
    }
    return m;
}

static void set_cell(builder *b, tbl_row *row, size_t c, const char *text, bool bold)
{
    tbl_cell cell = b->proto[c];
    cell.text = text ? text : "";
    cell.bold = bold;
    cell.meaning = meaning_of(b, c, NULL);
    row->cells[c] = cell;
}

/* An amount's cell, as the table prints it, its meaning carrying the exact value. */
static void set_amount_cell(builder *b, tbl_row *row, size_t c, bp_amount amount, bool bold)
{
    set_cell(b, row, c, amount_text(b, amount), bold);
    row->cells[c].meaning = meaning_of(b, c, &amount);
}

/* Sets the key and role of the row the next cells belong to. */
static void begin_row(builder *b, const char *key, bool total)
{
    b->row_key = key;
    b->row_role = total ? BP_CELL_TOTAL : BP_CELL_BODY;
}

/* Fills a row from one data row: seq, code, name, amounts by column meaning. */
static void fill_data_row(builder *b, tbl_row *row, int seq, const char *code, const char *name,
                          const bp_row *data, bool bold)
{
    for (size_t c = 0; c < b->ncols; c++) {
        if (b->side[c] >= 0)
            continue;
        switch (b->kind[c]) {
        case LEAF_SEQ:
            set_cell(b, row, c, format(b, "%d", seq), bold);
            break;
        case LEAF_CODE:
            set_cell(b, row, c, code ? code : "", bold);
            break;
        case LEAF_NAME:
            set_cell(b, row, c, name ? name : "", bold);
            break;
        case LEAF_AMOUNT:
            if (data)
                set_amount_cell(b, row, c, bp_row_amount(data, (bp_column)b->column[c]), bold);
            break;
        case LEAF_OTHER:
            break;
        }
    }
}

static void build_ledger_rows(builder *b, const bp_ledger *ledger)
{
    int seq = 0;
    if (ledger->has_total && ledger->row_count) {
        tbl_row *row = add_row(b);
        begin_row(b, "total", true);
        if (row)
            fill_data_row(b, row, ++seq, NULL,
                          b->def->total_label ? expand(b, b->def->total_label) : "合计",
                          &ledger->total, true);
        for (size_t c = 0; row && c < b->ncols; c++)
            if (bind_is(b->leaves[c], "name"))
                row->cells[c].align = TBL_ALIGN_CENTER;
    }
    for (size_t i = 0; i < ledger->row_count; i++) {
        tbl_row *row = add_row(b);
        begin_row(b, ledger->rows[i].code, false);
        if (row)
            fill_data_row(b, row, ++seq, ledger->rows[i].code, ledger->rows[i].name,
                          &ledger->rows[i], false);
    }
    begin_row(b, NULL, false);
}

/* One side's cells of a two-sided row: "income.name", "income.total", … */
static void fill_side(builder *b, tbl_row *row, int side, const bp_row *line, const char *name,
                      bool bold)
{
    for (size_t c = 0; c < b->ncols; c++) {
        if (b->side[c] != side)
            continue;
        if (b->kind[c] == LEAF_NAME)
            set_cell(b, row, c, name ? name : "", bold);
        else if (b->kind[c] == LEAF_AMOUNT && line)
            set_amount_cell(b, row, c, bp_row_amount(line, (bp_column)b->column[c]), bold);
        else if (b->kind[c] == LEAF_AMOUNT) /* the side has no line here: an empty cell */
            set_cell(b, row, c, "", bold);
    }
}

static const bp_row *nth(const bp_row *rows, size_t count, size_t i)
{
    return i < count ? &rows[i] : NULL;
}

/* A two-sided row's 序号 counts the row, which holds an income line and an expense line: it
 * takes the income side's key (its first side's), as the row itself does. */
static void seq_means_row(builder *b, tbl_row *row)
{
    const bp_meaning *side = NULL;
    for (size_t c = 0; c < b->ncols && !side; c++)
        if (b->side[c] == 0 && row->cells[c].meaning)
            side = row->cells[c].meaning;
    for (size_t c = 0; side && c < b->ncols; c++) {
        if (b->kind[c] != LEAF_SEQ || b->side[c] >= 0 || row->cells[c].meaning)
            continue;
        bp_meaning *m = bp_arena_alloc(b->arena, sizeof *m);
        if (!m) {
            b->failed = true;
            return;
        }
        *m = (bp_meaning){.table = side->table,
                          .row = side->row,
                          .column = b->leaves[c]->bind,
                          .role = side->role};
        row->cells[c].meaning = m;
    }
}

static void build_two_sided_rows(builder *b, const bp_two_sided *t)
{
    const bp_side *sides[2] = {&t->income, &t->expense};
    size_t lines =
        t->income.line_count > t->expense.line_count ? t->income.line_count : t->expense.line_count;
    size_t carry = t->income.carryover_line_count > t->expense.carryover_line_count
                       ? t->income.carryover_line_count
                       : t->expense.carryover_line_count;
    size_t total = lines + 2 + carry + 1;
    for (size_t r = 0; r < total; r++) {
        tbl_row *row = add_row(b);
        if (!row)
            return;
        fill_data_row(b, row, (int)r + 1, NULL, NULL, NULL, false);
        for (int s = 0; s < 2; s++) {
            const bp_side *side = sides[s];
            if (r < lines) {
                const bp_row *line = nth(side->lines, side->line_count, r);
                begin_row(b, line && line->code ? line->code : format(b, "line%zu", r + 1), false);
                fill_side(b, row, s, line, line ? numbered_line(b, r, line->name) : "", false);
            } else if (r == lines) {
                begin_row(b, "year_total", true);
                fill_side(b, row, s, &side->year_total,
                          expand(b, b->def->labels[TDEF_YEAR_TOTAL][s]), true);
            } else if (r == lines + 1) {
                begin_row(b, "carryover", false);
                fill_side(b, row, s, &side->carryover, expand(b, b->def->labels[TDEF_CARRYOVER][s]),
                          false);
            } else if (r < lines + 2 + carry) {
                size_t i = r - lines - 2;
                const bp_row *line = nth(side->carryover_lines, side->carryover_line_count, i);
                begin_row(b, format(b, "carryover%zu", i + 1), false);
                fill_side(b, row, s, line, line ? numbered_line(b, i, line->name) : "", false);
            } else {
                begin_row(b, "grand_total", true);
                fill_side(b, row, s, &side->grand_total,
                          expand(b, b->def->labels[TDEF_GRAND_TOTAL][s]), true);
            }
            begin_row(b, NULL, false);
        }
        seq_means_row(b, row);
        row->keep_with_prev = r >= lines; /* the closing rows stay together */
    }
}

static void build_three_public_rows(builder *b, const bp_three_public *t)
{
    for (int i = 0; i < BP_3P__COUNT; i++) {
        tbl_row *row = add_row(b);
        begin_row(b, bp_three_public_key((bp_three_public_item)i), i == BP_3P_TOTAL);
        if (row)
            fill_data_row(b, row, i + 1, NULL, t->items[i].name, &t->items[i], i == BP_3P_TOTAL);
    }
    begin_row(b, NULL, false);
}

/* ---- Laying a built table out ---- */

static bool builder_begin(builder *b, flow *f, const bp_unit *unit, const char *key)
{
    memset(b, 0, sizeof *b);
    b->f = f;
    b->unit = unit;
    b->def = tdef_find(flow_layout(f)->tables, key);
    if (!b->def) {
        bp_diags_add(flow_diags(f), BP_SEVERITY_ERROR, NULL, flow_source(f), 0, 0, NULL,
                     "the layout has no definition of the table \"%s\"", key);
        flow_count_error(f);
        return false;
    }
    b->arena = bp_arena_create();
    b->table_key = b->def->key;
    size_t leaves = 0;
    for (size_t i = 0; i < b->def->column_count; i++)
        leaves += leaf_count(&b->def->columns[i]);
    b->leaves = b->arena ? bp_arena_array(b->arena, leaves, sizeof *b->leaves) : NULL;
    if (b->leaves)
        collect_leaves(b, b->def->columns, b->def->column_count);
    if (!b->leaves || !resolve_bindings(b)) {
        /* A table left out would be a document that silently lacks it. */
        bp_diags_add(flow_diags(f), BP_SEVERITY_ERROR, NULL, flow_source(f), 0, 0, NULL,
                     "out of memory while building the table \"%s\"", key);
        flow_count_error(f);
        bp_arena_destroy(b->arena);
        return false;
    }
    return true;
}

/* Lays the built rows out and frees the build; anchor, when given, records where the table
 * begins. */
static void builder_finish(builder *b, const char *path, const char *note, const tbl_row *lead,
                           size_t lead_count, flow_anchor *anchor)
{
    tbl_table table = {0};
    table.key = b->table_key;
    table.name = expand(b, b->def->title);
    table.path = path;
    table.title = table.name;
    for (int i = 0; i < 3; i++) {
        const char **slot = i == 0   ? &table.banner.left
                            : i == 1 ? &table.banner.center
                                     : &table.banner.right;
        *slot = expand(b, b->def->banner[i]);
    }
    table.ncols = b->ncols;
    table.columns = build_columns(b);
    table.header = build_header(b, &table.header_count);
    table.lead = lead;
    table.lead_count = lead_count;
    table.body = b->rows;
    table.body_count = b->row_count;
    table.note =
        note ? format(b, "%s%s", b->def->note_prefix ? b->def->note_prefix : "注：", note) : NULL;
    table.repeat = b->def->repeat;
    table.continued = b->def->continued ? expand(b, b->def->continued) : NULL;
    table.may_turn = b->def->may_turn;
    for (size_t c = 0; c < b->ncols && c < 3; c++)
        if (bind_is(b->leaves[c], "seq") || bind_is(b->leaves[c], "code") ||
            bind_is(b->leaves[c], "name"))
            table.identity_columns = c + 1;
    if (b->failed || !table.columns || !table.header) {
        bp_diags_add(flow_diags(b->f), BP_SEVERITY_ERROR, NULL, flow_source(b->f), 0, 0, path,
                     "out of memory while building the table");
        flow_count_error(b->f);
    } else {
        /* The table's pages have the shape it asks for; without a page break of its own, a
         * table on turned pages has them to itself and the flow turns back after it. */
        bool turned = flow_turned_for(b->f, b->def->landscape);
        if (b->def->page_break_before)
            flow_fresh_page(b->f, turned);
        else if (turned)
            flow_new_page(b->f, true);
        if (anchor) {
            bp_len left, width;
            flow_page(b->f, &left, &width, &anchor->y);
            anchor->page = flow_page_index(b->f);
            anchor->placed = true;
        }
        tbl_layout(b->f, &table, &flow_layout(b->f)->tables->style);
        if (turned && !b->def->page_break_before)
            flow_new_page(b->f, false);
    }
    bp_arena_destroy(b->arena);
}

/* ---- Tables of the unit's kind ---- */

/* A value as the table prints it: amounts with the kind's decimals (thousands grouped when the
 * layout asks), percentages with "%", counts whole, texts as given; blank for an empty cell. */
static const char *value_text(builder *b, const bp_kind_column *column, const bp_value *v)
{
    if (column->type == BP_VALUE_TEXT)
        return v->text ? v->text : "";
    if (bp_amount_is_blank(v->number))
        return "";
    char text[BP_AMOUNT_FORMAT_MAX + 1];
    bool grouped = b->def->thousands && column->type != BP_VALUE_PERCENT;
    size_t n = bp_amount_format(v->number, grouped, text);
    bool whole = column->type == BP_VALUE_COUNT ||
                 (column->type == BP_VALUE_AMOUNT && b->def->spec->decimals == 0);
    if (whole && n >= 3)
        text[n - 3] = '\0'; /* the loader let only whole values in */
    if (column->type == BP_VALUE_PERCENT)
        return format(b, "%s%%", text);
    return copy(b, text);
}

/* The part of a classification code a column shows: the whole code, or its 类 (the first
 * three digits), 款 (the next two) or 项 (the two after). */
static const char *code_text(builder *b, const char *code, int part)
{
    if (!code)
        return "";
    static const size_t from[] = {0, 0, 3, 5}, length[] = {64, 3, 2, 2};
    size_t n = strlen(code);
    if (from[part] >= n)
        return "";
    size_t len = n - from[part] < length[part] ? n - from[part] : length[part];
    char *text = bp_arena_strndup(b->arena, code + from[part], len);
    if (!text)
        b->failed = true;
    return text ? text : "";
}

/* Fills the cells of one side (-1: a ledger's row) from a data row. */
static void fill_kind_row(builder *b, tbl_row *row, int side, int seq, const bp_data_row *data,
                          const char *name, const bp_kind_column *columns, bool bold)
{
    for (size_t c = 0; c < b->ncols; c++) {
        if (b->side[c] != side && !(side >= 0 && b->kind[c] == LEAF_SEQ && b->side[c] < 0))
            continue;
        switch (b->kind[c]) {
        case LEAF_SEQ: /* two sides: a total line's bold is its side's, not the row number's */
            if (seq > 0)
                set_cell(b, row, c, format(b, "%d", seq),
                         bold && (side < 0 || b->def->spec->side_count == 1));
            break;
        case LEAF_CODE:
            set_cell(b, row, c, data ? code_text(b, data->code, b->code_part[c]) : "", bold);
            break;
        case LEAF_NAME:
            set_cell(b, row, c, name, bold);
            break;
        case LEAF_AMOUNT:
            if (data && data->values) {
                const bp_value *v = &data->values[b->value[c]];
                set_cell(b, row, c, value_text(b, &columns[b->value[c]], v), bold);
                if (columns[b->value[c]].type != BP_VALUE_TEXT)
                    row->cells[c].meaning = meaning_of(b, c, &v->number);
            }
            break;
        case LEAF_OTHER:
            break;
        }
    }
}

static void add_kind_total(builder *b, const bp_data_table *dt, int seq)
{
    tbl_row *row = add_row(b);
    if (!row)
        return;
    begin_row(b, "total", true);
    const char *label = b->def->total_label ? expand(b, b->def->total_label) : "合计";
    fill_kind_row(b, row, -1, seq, &dt->total, label, dt->spec->columns, true);
    for (size_t c = 0; c < b->ncols; c++)
        if (b->kind[c] == LEAF_NAME)
            row->cells[c].align = TBL_ALIGN_CENTER;
    row->keep_with_prev = b->def->total_row == TDEF_TOTAL_LAST;
}

static void build_kind_ledger(builder *b, const bp_data_table *dt)
{
    int seq = 0;
    /* An empty table prints its 合计 row when the unit gives one (blank, as published). */
    bool total = dt->has_total && b->def->total_row != TDEF_TOTAL_NONE;
    if (total && b->def->total_row == TDEF_TOTAL_FIRST)
        add_kind_total(b, dt, ++seq);
    for (size_t i = 0; i < dt->row_count; i++) {
        tbl_row *row = add_row(b);
        begin_row(b, dt->rows[i].code ? dt->rows[i].code : format(b, "row%zu", i + 1), false);
        if (row)
            fill_kind_row(b, row, -1, ++seq, &dt->rows[i], dt->rows[i].name, dt->spec->columns,
                          false);
    }
    if (total && b->def->total_row == TDEF_TOTAL_LAST)
        add_kind_total(b, dt, ++seq);
    begin_row(b, NULL, false);
}

/* How many lines of the side belong to `block`, from line `at` on. */
static size_t block_lines(const bp_kind_side *side, int block, size_t at)
{
    size_t n = 0;
    while (at + n < side->line_count && side->lines[at + n].block == block)
        n++;
    return n;
}

static bool holds_figure(const bp_data_row *row, size_t columns)
{
    for (size_t c = 0; row->values && c < columns; c++)
        if (!bp_amount_is_blank(row->values[c].number) || row->values[c].text)
            return true;
    return false;
}

/* The label a line prints: with the layout's line numbering, a line counts 一、二、… and a
 * sub-line 1. 2. … under it, over the lines printed. */
static const char *line_label(builder *b, const bp_kind_line *line, int counts[2])
{
    if (!b->def->line_numbering || !line->numbered || line->level > 1)
        return line->label;
    bp_strbuf sb = BP_STRBUF_INIT;
    if (line->level == 0) {
        layout_chinese_numeral(++counts[0], &sb);
        bp_strbuf_puts(&sb, "、");
        counts[1] = 0;
    } else {
        bp_strbuf_printf(&sb, "%d. ", ++counts[1]);
    }
    bp_strbuf_puts(&sb, line->label);
    const char *s = copy_built(b, &sb);
    bp_strbuf_free(&sb);
    return s;
}

/* Lines on one side or two, block by block: each block starts on one row on both sides, the
 * shorter side's block padded with blank rows; a side the layout thins prints only its lines
 * that hold a figure. From the first total line on, rows stay together (本年收入合计 … 总计
 * never begins a page). */
static void build_kind_lines(builder *b, const bp_data_table *dt)
{
    const bp_kind_table *t = dt->spec;
    size_t sides = t->side_count < 2 ? t->side_count : 2, at[2] = {0, 0};
    int blocks = 0, counts[2][2] = {{0, 0}, {0, 0}};
    for (size_t s = 0; s < sides; s++)
        if (t->sides[s].block_count > blocks)
            blocks = t->sides[s].block_count;
    size_t *shown[2] = {NULL, NULL};
    for (size_t s = 0; s < sides; s++)
        if (!(shown[s] = bp_arena_array(b->arena, t->sides[s].line_count + 1, sizeof(size_t))))
            b->failed = true;
    bool closing = false;
    int seq = 0;
    for (int k = 0; k < blocks && !b->failed; k++) {
        size_t count[2] = {0, 0}, rows = 0;
        memset(counts, 0, sizeof counts); /* each block numbers its lines from 一、 */
        for (size_t s = 0; s < sides; s++) {
            const bp_kind_side *side = &t->sides[s];
            size_t n = block_lines(side, k, at[s]);
            for (size_t i = at[s]; i < at[s] + n; i++)
                if (!(b->def->omit_blank & 1u << s) || side->lines[i].total ||
                    holds_figure(&dt->lines[s][i], side->column_count))
                    shown[s][count[s]++] = i;
            at[s] += n;
            rows = count[s] > rows ? count[s] : rows;
        }
        for (size_t r = 0; r < rows; r++) {
            tbl_row *row = add_row(b);
            if (!row)
                return;
            bool total = false;
            ++seq;
            for (size_t s = 0; s < sides; s++) {
                if (r >= count[s]) { /* this side has no line here: its cells stand empty */
                    begin_row(b, format(b, "row%d", seq), false);
                    for (size_t c = 0; c < b->ncols; c++)
                        if (b->side[c] == (int)s)
                            set_cell(b, row, c, "", false);
                    continue;
                }
                size_t i = shown[s][r];
                const bp_kind_line *line = &t->sides[s].lines[i];
                begin_row(b, line->key, line->total);
                fill_kind_row(b, row, (int)s, seq, &dt->lines[s][i], line_label(b, line, counts[s]),
                              t->sides[s].columns, line->total);
                total = total || line->total;
            }
            closing = closing || total;
            row->keep_with_prev = closing;
        }
    }
}

/* Lays out a table of the unit's kind; an empty ledger prints its note (the unit's, else the
 * layout's empty_note). */
static void layout_kind_table(flow *f, const bp_unit *unit, const bp_data_table *dt,
                              flow_anchor *anchor)
{
    builder b;
    if (!builder_begin(&b, f, unit, dt->spec->id))
        return;
    b.title = expand(&b, b.def->title);
    if (dt->spec->rows == BP_ROWS_LEDGER) {
        build_kind_ledger(&b, dt);
    } else if (dt->spec->rows == BP_ROWS_LINES) {
        build_kind_lines(&b, dt);
    } else {
        tbl_row *row = add_row(&b);
        begin_row(&b, "row", false);
        if (row)
            fill_kind_row(&b, row, -1, 1, &dt->rows[0], "", dt->spec->columns, false);
    }
    begin_row(&b, NULL, false);
    const char *note = dt->note;
    if (!note && dt->row_count == 0 && dt->spec->rows == BP_ROWS_LEDGER && b.def->empty_note)
        note = expand(&b, b.def->empty_note);
    char path[160];
    snprintf(path, sizeof path, "tables.%s", dt->spec->id);
    builder_finish(&b, path, note, NULL, 0, anchor);
}

void tables_layout_kind(flow *f, const bp_unit *unit, flow_anchor *anchors)
{
    for (size_t t = 0; t < unit->kind->table_count; t++)
        layout_kind_table(f, unit, &unit->data_tables[t], &anchors[t]);
}

static void layout_ledger(flow *f, const bp_unit *unit, bp_table_id id, flow_anchor *anchor)
{
    const bp_table_spec *spec = bp_table_spec_get(id);
    builder b;
    if (!builder_begin(&b, f, unit, spec->key))
        return;
    const bp_ledger *ledger = bp_unit_ledger(unit, id);
    build_ledger_rows(&b, ledger);
    char path[96];
    snprintf(path, sizeof path, "tables.%s", spec->key);
    builder_finish(&b, path, ledger->note, NULL, 0, anchor);
}

static void layout_two_sided(flow *f, const bp_unit *unit, bp_table_id id, flow_anchor *anchor)
{
    const bp_table_spec *spec = bp_table_spec_get(id);
    builder b;
    if (!builder_begin(&b, f, unit, spec->key))
        return;
    build_two_sided_rows(&b, bp_unit_two_sided(unit, id));
    char path[96];
    snprintf(path, sizeof path, "tables.%s", spec->key);
    builder_finish(&b, path, NULL, NULL, 0, anchor);
}

void tables_layout_standard(flow *f, const bp_unit *unit, flow_anchor *anchors)
{
    for (int t = 0; t < BP_TABLE__COUNT; t++) {
        const bp_table_spec *spec = bp_table_spec_get((bp_table_id)t);
        if (spec->shape == BP_SHAPE_LEDGER) {
            layout_ledger(f, unit, spec->id, &anchors[spec->id]);
        } else if (spec->shape == BP_SHAPE_TWO_SIDED) {
            layout_two_sided(f, unit, spec->id, &anchors[spec->id]);
        } else {
            builder b;
            if (!builder_begin(&b, f, unit, spec->key))
                continue;
            build_three_public_rows(&b, &unit->three_public);
            builder_finish(&b, "tables.three_public", NULL, NULL, 0, &anchors[spec->id]);
        }
    }
}

/* ---- The explanatory part's tables ---- */

/* A row's key from its label, with its occurrence when the label comes again ("行政运行#2"). */
static const char *occurrence_key(builder *b, const char *label, size_t occurrence)
{
    const char *key = key_text(b, "", label && label[0] ? label : "row");
    return occurrence > 1 ? format(b, "%s#%zu", key, occurrence) : key;
}

static void layout_organisations(flow *f, const bp_unit *unit)
{
    builder b;
    if (!builder_begin(&b, f, unit, "organisations"))
        return;
    for (size_t i = 0; i < unit->organisation_count; i++) {
        const bp_organisation *o = &unit->organisations[i];
        tbl_row *row = add_row(&b);
        size_t occurrence = 1;
        for (size_t k = 0; k < i; k++)
            occurrence += strcmp(unit->organisations[k].name, o->name) == 0;
        begin_row(&b, occurrence_key(&b, o->name, occurrence), false);
        for (size_t c = 0; row && c < b.ncols; c++) {
            const char *bind = b.leaves[c]->bind ? b.leaves[c]->bind : "";
            const char *text = strcmp(bind, "seq") == 0       ? format(&b, "%zu", i + 1)
                               : strcmp(bind, "name") == 0    ? o->name
                               : strcmp(bind, "nature") == 0  ? o->nature
                               : strcmp(bind, "level") == 0   ? o->level
                               : strcmp(bind, "funding") == 0 ? o->funding
                               : strcmp(bind, "note") == 0    ? o->note
                                                              : "";
            set_cell(&b, row, c, text, false);
            row->cells[c].align = TBL_ALIGN_CENTER;
        }
    }
    begin_row(&b, NULL, false);
    builder_finish(&b, "organisations", NULL, NULL, 0, NULL);
}

static const char *indicator_field(const bp_indicator *ind, const char *bind)
{
    if (strcmp(bind, "level1") == 0)
        return ind->level1;
    if (strcmp(bind, "level2") == 0)
        return ind->level2;
    if (strcmp(bind, "level3") == 0)
        return ind->level3;
    if (strcmp(bind, "description") == 0)
        return ind->description;
    if (strcmp(bind, "value") == 0)
        return ind->value;
    if (strcmp(bind, "basis") == 0)
        return ind->basis;
    return "";
}

/* Merges runs of equal 一级指标 (and of equal 二级指标 within them) into cells spanning rows. */
static void merge_indicator_runs(builder *b, const bp_project *p, size_t level1_col,
                                 size_t level2_col)
{
    for (size_t start = 0; start < p->indicator_count;) {
        size_t end = start + 1;
        while (end < p->indicator_count &&
               strcmp(p->indicators[end].level1, p->indicators[start].level1) == 0)
            end++;
        b->rows[start].cells[level1_col].rowspan = (unsigned short)(end - start);
        for (size_t r = start + 1; r < end; r++)
            b->rows[r].cells[level1_col].colspan = 0;
        for (size_t s2 = start; s2 < end;) {
            size_t e2 = s2 + 1;
            while (e2 < end && strcmp(p->indicators[e2].level2, p->indicators[s2].level2) == 0)
                e2++;
            b->rows[s2].cells[level2_col].rowspan = (unsigned short)(e2 - s2);
            for (size_t r = s2 + 1; r < e2; r++)
                b->rows[r].cells[level2_col].colspan = 0;
            s2 = e2;
        }
        start = end;
    }
}

/* The first-page row: 绩效目标 and the numbered targets across the other columns. */
/* The 绩效目标 row's cells: the row "target", its label and the targets. */
static const bp_meaning *lead_meaning(builder *b, const char *column)
{
    bp_meaning *m = bp_arena_alloc(b->arena, sizeof *m);
    if (!m) {
        b->failed = true;
        return NULL;
    }
    *m = (bp_meaning){
        .table = b->table_key, .row = "target", .column = column, .role = BP_CELL_BODY};
    return m;
}

static tbl_row *project_lead(builder *b, const bp_project *p)
{
    tbl_row *lead = bp_arena_alloc(b->arena, sizeof *lead);
    if (!lead)
        return NULL;
    *lead = new_row(b);
    if (!lead->cells)
        return NULL;
    bp_strbuf targets = BP_STRBUF_INIT;
    for (size_t i = 0; i < p->target_count; i++)
        bp_strbuf_printf(&targets, "%s%zu.%s", i ? " " : "", i + 1, p->targets[i]);
    lead->cells[0] = text_cell(b->def->lead_label ? expand(b, b->def->lead_label) : "绩效目标",
                               TBL_ALIGN_CENTER);
    lead->cells[0].bold = true;
    lead->cells[0].meaning = lead_meaning(b, "label");
    if (b->ncols > 1) {
        lead->cells[1] = text_cell(copy_built(b, &targets), TBL_ALIGN_LEFT);
        lead->cells[1].colspan = (unsigned short)(b->ncols - 1);
        lead->cells[1].meaning = lead_meaning(b, "targets");
    }
    bp_strbuf_free(&targets);
    return lead;
}

/* An indicator row's key: its 三级指标, with its occurrence when the name comes again
 * ("开展培训次数", "开展培训次数#2"). */
static const char *indicator_key(builder *b, const bp_project *p, size_t i)
{
    const char *name = indicator_field(&p->indicators[i], "level3");
    size_t occurrence = 1;
    for (size_t k = 0; k < i; k++)
        occurrence += strcmp(indicator_field(&p->indicators[k], "level3"), name) == 0;
    const char *key = key_text(b, "", name[0] ? name : format(b, "indicator%zu", i + 1));
    return occurrence > 1 ? format(b, "%s#%zu", key, occurrence) : key;
}

static void layout_project(flow *f, const bp_unit *unit, size_t index)
{
    const bp_project *p = &unit->performance.projects[index];
    builder b;
    if (!builder_begin(&b, f, unit, "project"))
        return;
    b.number = format(&b, "%zu", index + 1);
    b.name = p->name;
    /* Keyed by its name, not its place: a project added before it moves no meaning. */
    b.table_key = key_text(&b, "project:", p->name ? p->name : b.number);
    size_t level1_col = 0, level2_col = 0;
    for (size_t i = 0; i < p->indicator_count; i++) {
        tbl_row *row = add_row(&b);
        begin_row(&b, indicator_key(&b, p, i), false);
        for (size_t c = 0; row && c < b.ncols; c++) {
            const char *bind = b.leaves[c]->bind ? b.leaves[c]->bind : "";
            set_cell(&b, row, c, indicator_field(&p->indicators[i], bind), false);
            if (strcmp(bind, "level1") == 0 || strcmp(bind, "level2") == 0 ||
                strcmp(bind, "value") == 0 || strcmp(bind, "basis") == 0)
                row->cells[c].align = TBL_ALIGN_CENTER;
            if (strcmp(bind, "level1") == 0)
                level1_col = c;
            if (strcmp(bind, "level2") == 0)
                level2_col = c;
        }
    }
    begin_row(&b, NULL, false);
    if (!b.failed && b.row_count == p->indicator_count && level1_col != level2_col)
        merge_indicator_runs(&b, p, level1_col, level2_col);
    tbl_row *lead = project_lead(&b, p);
    char path[64];
    snprintf(path, sizeof path, "performance.projects[%zu]", index);
    builder_finish(&b, path, NULL, lead, lead ? 1 : 0, NULL);
}

void tables_layout_projects(flow *f, const bp_unit *unit)
{
    for (size_t i = 0; i < unit->performance.project_count; i++)
        layout_project(f, unit, i);
}

static void layout_procurement(flow *f, const bp_unit *unit)
{
    const bp_procurement *proc = &unit->procurement;
    builder b;
    if (!builder_begin(&b, f, unit, "procurement"))
        return;
    for (size_t i = 0; i < proc->row_count; i++) {
        const bp_procurement_row *r = &proc->rows[i];
        tbl_row *row = add_row(&b);
        size_t occurrence = 1;
        for (size_t k = 0; k < i; k++)
            occurrence += strcmp(proc->rows[k].item, r->item) == 0;
        begin_row(&b, occurrence_key(&b, r->item, occurrence), false);
        for (size_t c = 0; row && c < b.ncols; c++) {
            const char *bind = b.leaves[c]->bind ? b.leaves[c]->bind : "";
            const char *text = "";
            if (strcmp(bind, "project") == 0)
                text = r->project;
            else if (strcmp(bind, "item") == 0)
                text = r->item;
            else if (strcmp(bind, "catalogue_code") == 0)
                text = r->catalogue_code ? r->catalogue_code : "";
            else if (strcmp(bind, "measure_unit") == 0)
                text = r->measure_unit ? r->measure_unit : "";
            const bp_amount *amount = strcmp(bind, "project_budget") == 0 ? &r->project_budget
                                      : strcmp(bind, "quantity") == 0     ? &r->quantity
                                      : strcmp(bind, "unit_price") == 0   ? &r->unit_price
                                      : strcmp(bind, "sme_reserve") == 0  ? &r->sme_reserve
                                                                          : NULL;
            bp_amount column;
            if (!amount && bind_column(bind) >= 0) {
                column = bp_row_amount(&r->amounts, (bp_column)bind_column(bind));
                amount = &column;
            }
            if (amount)
                set_amount_cell(&b, row, c, *amount, false);
            else
                set_cell(&b, row, c, text, false);
        }
    }
    begin_row(&b, NULL, false);
    /* Several notes: all but the last go before it, each on its own line, as printed. */
    bp_strbuf notes = BP_STRBUF_INIT;
    for (size_t i = 0; i < proc->note_count; i++)
        bp_strbuf_printf(&notes, "%s%s", i ? " 注：" : "", proc->notes[i]);
    if (notes.failed)
        b.failed = true;
    builder_finish(&b, "procurement", proc->note_count ? bp_strbuf_cstr(&notes) : NULL, NULL, 0,
                   NULL);
    bp_strbuf_free(&notes);
}

static void layout_assets(flow *f, const bp_unit *unit)
{
    const bp_assets *assets = &unit->assets;
    builder b;
    if (!builder_begin(&b, f, unit, "assets"))
        return;
    for (size_t i = 0; i <= assets->row_count; i++) {
        tbl_row *row = add_row(&b);
        bool total = i == 0;
        const bp_asset_row *r = total ? NULL : &assets->rows[i - 1];
        const char *name =
            total ? (b.def->total_label ? expand(&b, b.def->total_label) : "资产总额")
            : r->measure_unit ? format(&b, "%zu、%s (%s)", i, r->name, r->measure_unit)
                              : format(&b, "%zu、%s", i, r->name);
        begin_row(&b, total ? "total" : key_text(&b, "", r->name), total);
        for (size_t c = 0; row && c < b.ncols; c++) {
            const char *bind = b.leaves[c]->bind ? b.leaves[c]->bind : "";
            if (strcmp(bind, "quantity") == 0)
                set_amount_cell(&b, row, c, total ? assets->total_quantity : r->quantity, false);
            else if (strcmp(bind, "value") == 0)
                set_amount_cell(&b, row, c, total ? assets->total_value : r->value, false);
            else
                set_cell(&b, row, c, strcmp(bind, "name") == 0 ? name : "", false);
        }
    }
    begin_row(&b, NULL, false);
    builder_finish(&b, "assets", NULL, NULL, 0, NULL);
}

void tables_layout_part(flow *f, const bp_unit *unit, bp_part part)
{
    switch (part) {
    case BP_PART_ORGANISATIONS:
        layout_organisations(f, unit);
        break;
    case BP_PART_PROCUREMENT:
        layout_procurement(f, unit);
        break;
    case BP_PART_ASSETS:
        layout_assets(f, unit);
        break;
    default:
        break;
    }
}

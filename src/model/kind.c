/*
 * kind.c: reads a document kind (kind.h) from the "kind" object of a layout file.
 *
 * The kind is what a unit's data is (its tables, rows, columns and their types); the rest of
 * the layout file is how it looks, and layout_file.c reads that. A kind is written by a finance
 * bureau's staff, so every mistake is reported with its JSON path and what was expected, all
 * in one run, like a unit's.
 */
#include "model_int.h"

#include "budgetpress/kind.h"

#include "../util/jsonread.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

typedef struct kind_reader {
    bp_jreader jr;
    bp_arena *arena;
} kind_reader;

static const char *const type_names[] = {"amount", "percent", "count", "text"};
static const char *const shape_names[] = {"ledger", "lines", "one_row"};
static const char *const code_names[] = {"none", "function", "economic"};

const char *bp_value_type_name(bp_value_type type)
{
    return (size_t)type < COUNT_OF(type_names) ? type_names[type] : "?";
}

static void *kr_array(kind_reader *kr, size_t count, size_t size)
{
    void *p = count ? bp_arena_array(kr->arena, count, size) : NULL;
    if (count && !p)
        kr->jr.out_of_memory = true;
    return p;
}

static const char *kr_copy(kind_reader *kr, const char *s)
{
    char *c = bp_arena_strndup(kr->arena, s, strlen(s));
    if (!c)
        kr->jr.out_of_memory = true;
    return c;
}

/* obj[key] as a non-empty string, or NULL (reported when required or when of another form). */
static const char *kr_string(kind_reader *kr, json_t *obj, const char *key, bool required,
                             const char *what)
{
    json_t *v = bp_jr_member(&kr->jr, obj, key, required, what);
    if (!v)
        return NULL;
    size_t mark = bp_jr_push_key(&kr->jr, key);
    const char *s = NULL;
    if (json_is_string(v) && json_string_length(v) > 0 &&
        !memchr(json_string_value(v), 0, json_string_length(v)))
        s = kr_copy(kr, json_string_value(v));
    else
        bp_jr_expected(&kr->jr, what, v);
    bp_jr_pop(&kr->jr, mark);
    return s;
}

/* obj[key] among choices; `fallback` when absent. */
static int kr_choice(kind_reader *kr, json_t *obj, const char *key, const char *const *choices,
                     size_t n, int fallback)
{
    json_t *v = bp_jr_member(&kr->jr, obj, key, false, "");
    if (!v)
        return fallback;
    size_t mark = bp_jr_push_key(&kr->jr, key);
    int i = bp_jr_choice(&kr->jr, v, choices, n);
    bp_jr_pop(&kr->jr, mark);
    return i >= 0 ? i : fallback;
}

/* A column key names a value in every row of the unit: letters, digits, "_", or Chinese. */
static bool valid_key(const char *s)
{
    if (!s[0])
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x80 && !(*p == '_' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                           (*p >= 'A' && *p <= 'Z')))
            return false;
    return true;
}

/* obj["columns"]: the columns by key, each with its type, in the kind's order. */
static void read_columns(kind_reader *kr, json_t *obj, bool required, bp_kind_column **columns,
                         size_t *count)
{
    const char *what =
        "an object of columns by key, each with its type, like {\"total\": \"amount\"}";
    json_t *v = bp_jr_member(&kr->jr, obj, "columns", required, what);
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&kr->jr, "columns");
    if (bp_jr_expect_object(&kr->jr, v, what)) {
        bp_kind_column *out = kr_array(kr, json_object_size(v), sizeof *out);
        *columns = out;
        const char *key;
        json_t *type;
        json_object_foreach(v, key, type)
        {
            if (!out)
                break;
            size_t km = bp_jr_push_key(&kr->jr, key);
            if (!valid_key(key))
                bp_jr_report(&kr->jr,
                             "a column key is letters, digits, \"_\" or Chinese, found \"%s\"",
                             key);
            int i = bp_jr_choice(&kr->jr, type, type_names, COUNT_OF(type_names));
            out[(*count)++] =
                (bp_kind_column){kr_copy(kr, key), i >= 0 ? (bp_value_type)i : BP_VALUE_AMOUNT};
            bp_jr_pop(&kr->jr, km);
        }
    }
    bp_jr_pop(&kr->jr, mark);
}

static void read_line(kind_reader *kr, json_t *v, bp_kind_line *line)
{
    const char *what =
        "a line like {\"key\": \"general\", \"label\": \"一般公共预算财政拨款收入\"}";
    if (!bp_jr_expect_object(&kr->jr, v, what))
        return;
    static const char *const keys[] = {"key", "label", "code", "level", "total", "numbered"};
    bp_jr_check_keys(&kr->jr, v, keys, COUNT_OF(keys));
    line->label = kr_string(kr, v, "label", true, "the line's printed label");
    line->code = kr_string(kr, v, "code", false, "a classification code like \"30101\"");
    line->key =
        kr_string(kr, v, "key", !line->code, "the line's key in the unit, like \"general\"");
    if (!line->key)
        line->key = line->code;
    json_t *level = json_object_get(v, "level");
    if (level && !(json_is_integer(level) && json_integer_value(level) >= 0 &&
                   json_integer_value(level) <= 3)) {
        size_t mark = bp_jr_push_key(&kr->jr, "level");
        bp_jr_expected(&kr->jr, "a level from 0 (a line) to 3", level);
        bp_jr_pop(&kr->jr, mark);
    } else if (level) {
        line->level = (int)json_integer_value(level);
    }
    line->total = bp_jr_flag(&kr->jr, v, "total", false);
    json_t *numbered = json_object_get(v, "numbered");
    line->numbered = numbered ? bp_jr_flag(&kr->jr, v, "numbered", false) : !line->total;
}

/* A side: a list of lines, or {"columns": …, "lines": […]} when its columns are not the
 * table's (the 决算数 of an income side beside an expense side's 合计 | 基本支出 | …). */
static void read_lines(kind_reader *kr, json_t *v, bp_kind_side *side);

static void read_side(kind_reader *kr, const char *key, json_t *v, const bp_kind_table *t,
                      bp_kind_side *side)
{
    side->key = kr_copy(kr, key);
    side->columns = t->columns;
    side->column_count = t->column_count;
    if (json_is_object(v)) {
        static const char *const keys[] = {"columns", "lines"};
        bp_jr_check_keys(&kr->jr, v, keys, COUNT_OF(keys));
        bp_kind_column *own = NULL;
        size_t own_count = 0;
        read_columns(kr, v, true, &own, &own_count);
        side->columns = own;
        side->column_count = own_count;
        json_t *lines = bp_jr_member(&kr->jr, v, "lines", true, "a list of lines");
        if (!lines)
            return;
        size_t mark = bp_jr_push_key(&kr->jr, "lines");
        read_lines(kr, lines, side);
        bp_jr_pop(&kr->jr, mark);
        return;
    }
    read_lines(kr, v, side);
}

/* A side's lines: a list of lines (one block), or a list of blocks, each a list of lines. */
static void read_lines(kind_reader *kr, json_t *v, bp_kind_side *side)
{
    if (!json_is_array(v) || json_array_size(v) == 0) {
        bp_jr_expected(&kr->jr,
                       "a list of lines, a list of blocks of lines, or "
                       "{\"columns\": …, \"lines\": […]}",
                       v);
        return;
    }
    /* A list of lines is one block; a list of lists, one block each. */
    bool blocks = json_is_array(json_array_get(v, 0));
    size_t total = 0;
    for (size_t b = 0; b < json_array_size(v); b++) {
        json_t *block = json_array_get(v, b);
        total += blocks && json_is_array(block) ? json_array_size(block) : 1;
    }
    side->lines = kr_array(kr, total, sizeof *side->lines);
    side->block_count = blocks ? (int)json_array_size(v) : 1;
    for (size_t b = 0; side->lines && b < json_array_size(v); b++) {
        json_t *block = json_array_get(v, b);
        size_t bm = bp_jr_push_index(&kr->jr, b);
        if (blocks && (!json_is_array(block) || json_array_size(block) == 0)) {
            bp_jr_expected(&kr->jr, "a block: a list of lines", block);
            bp_jr_pop(&kr->jr, bm);
            continue;
        }
        size_t n = blocks ? json_array_size(block) : 1;
        for (size_t i = 0; i < n; i++) {
            size_t im = blocks ? bp_jr_push_index(&kr->jr, i) : kr->jr.path.len;
            bp_kind_line *line = &side->lines[side->line_count++];
            read_line(kr, blocks ? json_array_get(block, i) : block, line);
            line->block = blocks ? (int)b : 0;
            for (size_t j = 0; j + 1 < side->line_count; j++)
                if (side->lines[j].key && line->key && strcmp(side->lines[j].key, line->key) == 0)
                    bp_jr_report(&kr->jr, "the key \"%s\" is also line %zu's", line->key, j + 1);
            if (blocks)
                bp_jr_pop(&kr->jr, im);
        }
        bp_jr_pop(&kr->jr, bm);
    }
}

static void read_sides(kind_reader *kr, json_t *table, bp_kind_table *t)
{
    const char *what =
        "an object of one or two sides, each a list of lines, like {\"income\": [...]}";
    json_t *v = bp_jr_member(&kr->jr, table, "sides", true, what);
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&kr->jr, "sides");
    if (bp_jr_expect_object(&kr->jr, v, what)) {
        if (json_object_size(v) < 1 || json_object_size(v) > 2)
            bp_jr_expected(&kr->jr, what, v);
        t->sides = kr_array(kr, json_object_size(v), sizeof *t->sides);
        const char *key;
        json_t *lines;
        json_object_foreach(v, key, lines)
        {
            if (!t->sides || t->side_count == 2)
                break;
            size_t sm = bp_jr_push_key(&kr->jr, key);
            bp_kind_side *side = &t->sides[t->side_count++];
            read_side(kr, key, lines, t, side);
            if (side->column_count == 0)
                bp_jr_report(&kr->jr, "the side has no columns: give the table's \"columns\", or "
                                      "the side's own as {\"columns\": …, \"lines\": […]}");
            bp_jr_pop(&kr->jr, sm);
        }
    }
    bp_jr_pop(&kr->jr, mark);
}

/* v as a list of non-empty strings, read at the current path. */
static void read_string_list(kind_reader *kr, json_t *v, const char ***out, size_t *count)
{
    if (!json_is_array(v)) {
        bp_jr_expected(&kr->jr, "a list of texts", v);
        return;
    }
    *out = kr_array(kr, json_array_size(v), sizeof **out);
    for (size_t i = 0; *out && i < json_array_size(v); i++) {
        json_t *item = json_array_get(v, i);
        size_t im = bp_jr_push_index(&kr->jr, i);
        if (json_is_string(item) && json_string_length(item) > 0)
            (*out)[(*count)++] = kr_copy(kr, json_string_value(item));
        else
            bp_jr_expected(&kr->jr, "a text", item);
        bp_jr_pop(&kr->jr, im);
    }
}

/* obj[key] as a list of non-empty strings (absent: none). */
static void read_strings(kind_reader *kr, json_t *obj, const char *key, const char ***out,
                         size_t *count)
{
    json_t *v = bp_jr_member(&kr->jr, obj, key, false, "");
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&kr->jr, key);
    read_string_list(kr, v, out, count);
    bp_jr_pop(&kr->jr, mark);
}

/* ---- Rules ---- */

static const char *skip_spaces(const char *p)
{
    while (*p == ' ')
        p++;
    return p;
}

/* A key in a rule: everything up to a space, "+", "-", "=" or the end. */
static const char *rule_key(kind_reader *kr, const char **p)
{
    const char *start = *p, *q = start;
    while (*q && *q != ' ' && *q != '+' && *q != '-' && *q != '=' && *q != ':')
        q++;
    *p = q;
    char *key = q > start ? bp_arena_strndup(kr->arena, start, (size_t)(q - start)) : NULL;
    if (q > start && !key)
        kr->jr.out_of_memory = true;
    return key;
}

/* Whether a key names a column of the table's rows (row rules) or a line of the side (side
 * rules); says so when it does not. */
static bool rule_key_known(kind_reader *kr, const bp_kind_table *t, const bp_kind_rule *r,
                           const char *key)
{
    if (r->type == BP_RULE_ROW) {
        if (bp_kind_column_index(t->columns, t->column_count, key) >= 0)
            return true;
        bp_jr_report(&kr->jr, "\"%s\": the table has no column \"%s\"", r->text, key);
        return false;
    }
    const bp_kind_side *side = &t->sides[r->side];
    if (bp_kind_line_index(side, key) >= 0)
        return true;
    bp_jr_report(&kr->jr, "\"%s\": the %s side has no line \"%s\"", r->text, side->key, key);
    return false;
}

/* "codes"; "a = b + c - d" over a row's columns; "side: a = b + sum of block 1" over lines. */
static void parse_rule(kind_reader *kr, const bp_kind_table *t, const char *text, bp_kind_rule *r)
{
    r->text = text;
    if (strcmp(text, "codes") == 0) {
        r->type = BP_RULE_CODES;
        if (t->rows != BP_ROWS_LEDGER || t->codes == BP_KIND_CODES_NONE)
            bp_jr_report(&kr->jr, "\"codes\": only a ledger with codes sums down its codes");
        return;
    }
    const char *p = text, *colon = strchr(text, ':');
    r->type = colon ? BP_RULE_SIDE : BP_RULE_ROW;
    if (colon) {
        for (r->side = 0; (size_t)r->side < t->side_count; r->side++)
            if (strlen(t->sides[r->side].key) == (size_t)(colon - text) &&
                strncmp(text, t->sides[r->side].key, (size_t)(colon - text)) == 0)
                break;
        if ((size_t)r->side == t->side_count) {
            bp_jr_report(&kr->jr, "\"%s\": the table has no side \"%.*s\"", text,
                         (int)(colon - text), text);
            return;
        }
        p = colon + 1;
    } else if (t->rows == BP_ROWS_LINES) {
        bp_jr_report(&kr->jr,
                     "\"%s\": a lines table's rule names its side, like \"income: 总计 = "
                     "本年收入合计 + 年初结转和结余\"",
                     text);
        return;
    }
    p = skip_spaces(p);
    r->lhs = rule_key(kr, &p);
    p = skip_spaces(p);
    if (!r->lhs || *p != '=') {
        bp_jr_report(&kr->jr,
                     "\"%s\": expected \"codes\" or a sum like \"total = basic + project\"", text);
        return;
    }
    rule_key_known(kr, t, r, r->lhs);
    size_t terms = 1;
    for (const char *q = p; *q; q++)
        terms += *q == '+' || *q == '-';
    r->terms = kr_array(kr, terms, sizeof *r->terms);
    p = skip_spaces(p + 1);
    int sign = 1;
    while (r->terms && *p) {
        bp_kind_term *term = &r->terms[r->term_count++];
        term->sign = sign;
        term->block = -1;
        int block = 0, used = 0;
        if (r->type == BP_RULE_SIDE && sscanf(p, "sum of block %d%n", &block, &used) == 1 &&
            block >= 1) {
            term->block = block - 1;
            p += used;
        } else {
            term->key = rule_key(kr, &p);
            if (!term->key) {
                bp_jr_report(&kr->jr, "\"%s\": expected a key after \"=\", \"+\" or \"-\"", text);
                return;
            }
            rule_key_known(kr, t, r, term->key);
        }
        p = skip_spaces(p);
        if (*p != '+' && *p != '-' && *p) {
            bp_jr_report(&kr->jr, "\"%s\": expected \"+\" or \"-\" between the terms", text);
            return;
        }
        sign = *p == '-' ? -1 : 1;
        p = *p ? skip_spaces(p + 1) : p;
    }
}

static void read_rules(kind_reader *kr, json_t *v, bp_kind_table *t)
{
    const char **texts = NULL;
    size_t n = 0;
    read_strings(kr, v, "rules", &texts, &n);
    t->rules = kr_array(kr, n, sizeof *t->rules);
    size_t mark = bp_jr_push_key(&kr->jr, "rules");
    for (size_t i = 0; t->rules && i < n; i++) {
        size_t im = bp_jr_push_index(&kr->jr, i);
        parse_rule(kr, t, texts[i], &t->rules[t->rule_count++]);
        bp_jr_pop(&kr->jr, im);
    }
    bp_jr_pop(&kr->jr, mark);
}

static void read_table(kind_reader *kr, const char *id, json_t *v, bp_kind_table *t)
{
    t->id = kr_copy(kr, id);
    if (!bp_jr_expect_object(&kr->jr, v, "a table object with \"title\", \"rows\" and \"columns\""))
        return;
    static const char *const keys[] = {"title",   "rows",  "codes",   "money_unit", "decimals",
                                       "columns", "sides", "rounded", "rules"};
    bp_jr_check_keys(&kr->jr, v, keys, COUNT_OF(keys));
    if (!valid_key(id))
        bp_jr_report(&kr->jr, "a table id is letters, digits, \"_\" or Chinese, found \"%s\"", id);
    t->title = kr_string(kr, v, "title", true, "the table's official title, like \"收入决算表\"");
    t->rows = (bp_row_shape)kr_choice(kr, v, "rows", shape_names, COUNT_OF(shape_names), 0);
    t->codes = (bp_kind_codes)kr_choice(kr, v, "codes", code_names, COUNT_OF(code_names), 0);
    static const char *const money[] = {"万元", "元"};
    t->money_unit = money[kr_choice(kr, v, "money_unit", money, COUNT_OF(money), 0)];
    t->decimals = 2;
    json_t *decimals = json_object_get(v, "decimals");
    if (decimals && json_is_integer(decimals) &&
        (json_integer_value(decimals) == 0 || json_integer_value(decimals) == 2)) {
        t->decimals = (int)json_integer_value(decimals);
    } else if (decimals) {
        size_t mark = bp_jr_push_key(&kr->jr, "decimals");
        bp_jr_expected(&kr->jr, "2 (amounts with fen) or 0 (whole amounts)", decimals);
        bp_jr_pop(&kr->jr, mark);
    }
    read_columns(kr, v, t->rows != BP_ROWS_LINES, &t->columns, &t->column_count);
    t->rounded = bp_jr_flag(&kr->jr, v, "rounded", false);
    if (t->rows == BP_ROWS_LINES) {
        read_sides(kr, v, t);
    } else if (json_object_get(v, "sides")) {
        size_t mark = bp_jr_push_key(&kr->jr, "sides");
        bp_jr_report(&kr->jr, "only a table of \"rows\": \"lines\" lists sides");
        bp_jr_pop(&kr->jr, mark);
    }
    read_rules(kr, v, t); /* after the sides, whose lines side rules name */
}

/* Whether an address begins with a table of the kind ("expense_summary.total.total"). */
static bool address_table_known(const bp_kind *kind, const char *address)
{
    const char *dot = strchr(address, '.');
    for (size_t i = 0; dot && i < kind->table_count; i++)
        if (strlen(kind->tables[i].id) == (size_t)(dot - address) &&
            strncmp(kind->tables[i].id, address, (size_t)(dot - address)) == 0)
            return true;
    return false;
}

/* "figures": the names the unit's text may use for figures of the tables, with their
 * addresses. */
static void read_figures(kind_reader *kr, json_t *v, bp_kind *kind)
{
    const char *what = "an object of figure names and their addresses, like "
                       "{\"expense.total\": \"expense_summary.total.total\"}";
    json_t *figures = bp_jr_member(&kr->jr, v, "figures", false, what);
    if (!figures)
        return;
    size_t mark = bp_jr_push_key(&kr->jr, "figures");
    if (bp_jr_expect_object(&kr->jr, figures, what)) {
        size_t n = json_object_size(figures);
        kind->figure_names = kr_array(kr, n, sizeof *kind->figure_names);
        kind->figure_addresses = kr_array(kr, n, sizeof *kind->figure_addresses);
        const char *name;
        json_t *address;
        json_object_foreach(figures, name, address)
        {
            if (!kind->figure_names || !kind->figure_addresses)
                break;
            size_t fm = bp_jr_push_key(&kr->jr, name);
            const char *at = json_string_value(address);
            bool row = name[0] && name[strlen(name) - 1] == ':';
            if (!at || !address_table_known(kind, at) || (row != (strstr(at, "{code}") != NULL)))
                bp_jr_expected(
                    &kr->jr,
                    row ? "the address of a row's figure with {code}, like "
                          "\"expense_summary.{code}.total\""
                        : "the address of a figure, like \"expense_summary.total.total\"",
                    address);
            kind->figure_names[kind->figure_count] = kr_copy(kr, name);
            kind->figure_addresses[kind->figure_count++] = at ? kr_copy(kr, at) : "";
            bp_jr_pop(&kr->jr, fm);
        }
    }
    bp_jr_pop(&kr->jr, mark);
}

static void read_kind(kind_reader *kr, json_t *v, bp_kind *kind)
{
    if (!bp_jr_expect_object(&kr->jr, v, "a kind object with \"name\" and \"tables\""))
        return;
    static const char *const keys[] = {"name", "tables", "equal", "figures"};
    bp_jr_check_keys(&kr->jr, v, keys, COUNT_OF(keys));
    json_t *equal = bp_jr_member(&kr->jr, v, "equal", false, "");
    if (equal) {
        size_t em = bp_jr_push_key(&kr->jr, "equal");
        size_t n = json_is_array(equal) ? json_array_size(equal) : 0;
        if (!json_is_array(equal))
            bp_jr_expected(&kr->jr, "a list of lists of figures that are equal", equal);
        kind->equal = kr_array(kr, n, sizeof *kind->equal);
        kind->equal_counts = kr_array(kr, n, sizeof *kind->equal_counts);
        for (size_t i = 0; kind->equal && kind->equal_counts && i < n; i++) {
            size_t im = bp_jr_push_index(&kr->jr, i);
            read_string_list(kr, json_array_get(equal, i), &kind->equal[i], &kind->equal_counts[i]);
            bp_jr_pop(&kr->jr, im);
            kind->equal_count++;
        }
        bp_jr_pop(&kr->jr, em);
    }
    kind->name = kr_string(kr, v, "name", true, "the kind's name, like \"部门决算（上海 2024）\"");
    const char *what = "an object of the kind's tables by id";
    json_t *tables = bp_jr_member(&kr->jr, v, "tables", true, what);
    if (!tables)
        return;
    size_t mark = bp_jr_push_key(&kr->jr, "tables");
    if (bp_jr_expect_object(&kr->jr, tables, what)) {
        kind->tables = kr_array(kr, json_object_size(tables), sizeof *kind->tables);
        const char *id;
        json_t *t;
        json_object_foreach(tables, id, t)
        {
            if (!kind->tables)
                break;
            size_t tm = bp_jr_push_key(&kr->jr, id);
            read_table(kr, id, t, &kind->tables[kind->table_count++]);
            bp_jr_pop(&kr->jr, tm);
        }
    }
    bp_jr_pop(&kr->jr, mark);
    read_figures(kr, v, kind); /* after the tables, which the addresses name */
}

int bp_kind_load_buffer(const char *data, size_t size, const char *name, bp_kind **out,
                        bp_diags *diags)
{
    *out = NULL;
    json_t *root = bp_jr_parse(data, size, name, diags);
    if (!root)
        return -1;
    json_t *v = json_is_object(root) ? json_object_get(root, "kind") : NULL;
    if (!v) {
        json_decref(root);
        return 0; /* the built-in kind */
    }
    bp_arena *arena = bp_arena_create();
    bp_kind *kind = arena ? bp_arena_alloc(arena, sizeof *kind) : NULL;
    kind_reader kr = {.jr = {.diags = diags, .file = name}, .arena = arena};
    if (kind) {
        kind->arena = arena;
        const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
        size_t len = strlen(base);
        if (len > 5 && strcmp(base + len - 5, ".json") == 0)
            len -= 5;
        kind->id = bp_arena_strndup(arena, base, len);
        if (!kind->id)
            kr.jr.out_of_memory = true;
        size_t mark = bp_jr_push_key(&kr.jr, "kind");
        read_kind(&kr, v, kind);
        bp_jr_pop(&kr.jr, mark);
    }
    json_decref(root);
    bool failed = !kind || kr.jr.errors > 0 || kr.jr.out_of_memory || kr.jr.path.failed;
    if (!kind || kr.jr.out_of_memory || kr.jr.path.failed)
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, name, 0, 0, NULL,
                     "out of memory while reading the kind");
    bp_strbuf_free(&kr.jr.path);
    if (failed) {
        bp_arena_destroy(arena);
        return -1;
    }
    *out = kind;
    return 0;
}

int bp_kind_load_file(const char *layout_path, bp_kind **out, bp_diags *diags)
{
    *out = NULL;
    bp_strbuf content = BP_STRBUF_INIT;
    if (bp_jr_read_file(layout_path, &content, diags) != 0)
        return -1;
    int rc = bp_kind_load_buffer(content.data, content.len, layout_path, out, diags);
    bp_strbuf_free(&content);
    return rc;
}

void bp_kind_destroy(bp_kind *kind)
{
    if (kind)
        bp_arena_destroy(kind->arena);
}

const bp_kind_table *bp_kind_table_find(const bp_kind *kind, const char *id)
{
    for (size_t i = 0; kind && i < kind->table_count; i++)
        if (strcmp(kind->tables[i].id, id) == 0)
            return &kind->tables[i];
    return NULL;
}

int bp_kind_column_index(const bp_kind_column *columns, size_t count, const char *key)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(columns[i].key, key) == 0)
            return (int)i;
    return -1;
}

int bp_kind_line_index(const bp_kind_side *side, const char *key)
{
    for (size_t i = 0; i < side->line_count; i++)
        if (side->lines[i].key && strcmp(side->lines[i].key, key) == 0)
            return (int)i;
    return -1;
}

int bp_kind_side_index(const bp_kind_table *table, const char *key)
{
    for (size_t i = 0; i < table->side_count; i++)
        if (strcmp(table->sides[i].key, key) == 0)
            return (int)i;
    return -1;
}

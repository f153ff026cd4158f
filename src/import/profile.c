/*
 * profile.c: reads an import profile (profile_int.h, docs/import.md) from its JSON file.
 *
 * Stage: import, before any workbook is read. The profile is written by whoever sets up a
 * region, so, like a kind, every mistake in it is reported with its JSON path and what was
 * expected, all in one run. Whether its tables, columns and lines are the kind's is checked
 * when it meets the kind (import.c); here only its form.
 */
#include "profile_int.h"

#include "../util/jsonread.h"

#include <jansson.h>
#include <string.h>

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

typedef struct profile_reader {
    bp_jreader jr;
    bp_arena *arena;
} profile_reader;

static void *pr_array(profile_reader *pr, size_t count, size_t size)
{
    void *p = count ? bp_arena_array(pr->arena, count, size) : NULL;
    if (count && !p)
        pr->jr.out_of_memory = true;
    return p;
}

static const char *pr_copy(profile_reader *pr, const char *s)
{
    char *c = bp_arena_strndup(pr->arena, s, strlen(s));
    if (!c)
        pr->jr.out_of_memory = true;
    return c;
}

static bool is_text(const json_t *v)
{
    return json_is_string(v) && json_string_length(v) > 0 &&
           !memchr(json_string_value(v), 0, json_string_length(v));
}

/* The labels' keys, made once for the comparisons of a whole workbook. */
static pf_labels with_keys(profile_reader *pr, pf_labels labels)
{
    labels.keys = pr_array(pr, labels.count, sizeof *labels.keys);
    for (size_t i = 0; labels.keys && i < labels.count; i++) {
        char key[512];
        bp_label_key(labels.items[i] ? labels.items[i] : "", key, sizeof key);
        labels.keys[i] = pr_copy(pr, key);
    }
    return labels;
}

/* A label or a list of labels, any of which will do. */
static pf_labels read_labels(profile_reader *pr, json_t *v, const char *what)
{
    pf_labels labels = {0};
    if (is_text(v)) {
        labels.items = pr_array(pr, 1, sizeof *labels.items);
        if (labels.items)
            labels.items[labels.count++] = pr_copy(pr, json_string_value(v));
        return with_keys(pr, labels);
    }
    if (!json_is_array(v) || json_array_size(v) == 0) {
        bp_jr_expected(&pr->jr, what, v);
        return labels;
    }
    labels.items = pr_array(pr, json_array_size(v), sizeof *labels.items);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        size_t mark = bp_jr_push_index(&pr->jr, i);
        if (!is_text(item))
            bp_jr_expected(&pr->jr, "a label (a non-empty string)", item);
        else if (labels.items)
            labels.items[labels.count++] = pr_copy(pr, json_string_value(item));
        bp_jr_pop(&pr->jr, mark);
    }
    return with_keys(pr, labels);
}

static pf_labels member_labels(profile_reader *pr, json_t *obj, const char *key, bool required,
                               const char *what)
{
    json_t *v = bp_jr_member(&pr->jr, obj, key, required, what);
    if (!v)
        return (pf_labels){0};
    size_t mark = bp_jr_push_key(&pr->jr, key);
    pf_labels labels = read_labels(pr, v, what);
    bp_jr_pop(&pr->jr, mark);
    return labels;
}

static const char path_form[] = "a header: \"合计\", \"收入预算 > 合计\" (the label above, then "
                                "the column's own), \"事业单位经营收入 | 经营收入\" (either "
                                "spelling), or a list of such steps from the top down";

/* The text between separators, its spaces trimmed, copied. */
static const char *trimmed_copy(profile_reader *pr, const char *s, size_t len)
{
    while (len && *s == ' ')
        s++, len--;
    while (len && s[len - 1] == ' ')
        len--;
    char *c = len ? bp_arena_strndup(pr->arena, s, len) : NULL;
    if (len && !c)
        pr->jr.out_of_memory = true;
    return c;
}

/* One step of a header written as text: "经营收入 | 事业单位经营收入". */
static pf_labels split_step(profile_reader *pr, const char *s, size_t len)
{
    pf_labels labels = {0};
    size_t bars = 0;
    for (size_t i = 0; i < len; i++)
        bars += s[i] == '|';
    labels.items = pr_array(pr, bars + 1, sizeof *labels.items);
    for (size_t start = 0, i = 0; labels.items && i <= len; i++) {
        if (i < len && s[i] != '|')
            continue;
        const char *label = trimmed_copy(pr, s + start, i - start);
        if (label)
            labels.items[labels.count++] = label;
        start = i + 1;
    }
    return with_keys(pr, labels);
}

/* A header written as text: "收入预算 > 合计 | 小计". */
static pf_path split_path(profile_reader *pr, json_t *v)
{
    const char *s = json_string_value(v);
    size_t len = strlen(s), steps = 1;
    for (size_t i = 0; i < len; i++)
        steps += s[i] == '>';
    pf_path path = {pr_array(pr, steps, sizeof *path.steps), 0};
    for (size_t start = 0, i = 0; path.steps && i <= len; i++) {
        if (i < len && s[i] != '>')
            continue;
        pf_labels step = split_step(pr, s + start, i - start);
        if (!step.count) {
            bp_jr_expected(&pr->jr, path_form, v);
            return (pf_path){0};
        }
        path.steps[path.count++] = step;
        start = i + 1;
    }
    return path;
}

/* A header path: "合计", "收入预算 > 合计", or ["收入预算", ["合计", "小计"]]. */
static pf_path read_path(profile_reader *pr, json_t *v)
{
    pf_path path = {0};
    if (is_text(v))
        return split_path(pr, v);
    if (!json_is_array(v) || json_array_size(v) == 0) {
        bp_jr_expected(&pr->jr, path_form, v);
        return path;
    }
    path.steps = pr_array(pr, json_array_size(v), sizeof *path.steps);
    size_t i;
    json_t *step;
    json_array_foreach(v, i, step)
    {
        size_t mark = bp_jr_push_index(&pr->jr, i);
        pf_labels labels = is_text(step)
                               ? split_step(pr, json_string_value(step), json_string_length(step))
                               : read_labels(pr, step,
                                             "a header label, or a list "
                                             "of its spellings");
        if (path.steps && labels.count)
            path.steps[path.count++] = labels;
        bp_jr_pop(&pr->jr, mark);
    }
    return path;
}

static pf_path member_path(profile_reader *pr, json_t *obj, const char *key, bool required)
{
    json_t *v = bp_jr_member(&pr->jr, obj, key, required, path_form);
    if (!v)
        return (pf_path){0};
    size_t mark = bp_jr_push_key(&pr->jr, key);
    pf_path path = read_path(pr, v);
    bp_jr_pop(&pr->jr, mark);
    return path;
}

/* {"key": header path, …} */
static pf_column *read_columns(profile_reader *pr, json_t *obj, const char *key, size_t *count)
{
    *count = 0;
    json_t *v = bp_jr_member(&pr->jr, obj, key, false, "");
    if (!v)
        return NULL;
    size_t mark = bp_jr_push_key(&pr->jr, key);
    pf_column *columns = NULL;
    if (!bp_jr_expect_object(&pr->jr, v, "an object: each column key of the kind and its header")) {
        bp_jr_pop(&pr->jr, mark);
        return NULL;
    }
    columns = pr_array(pr, json_object_size(v), sizeof *columns);
    const char *column_key;
    json_t *header;
    json_object_foreach(v, column_key, header)
    {
        size_t m = bp_jr_push_key(&pr->jr, column_key);
        pf_path path = read_path(pr, header);
        if (columns && path.count)
            columns[(*count)++] = (pf_column){pr_copy(pr, column_key), path};
        bp_jr_pop(&pr->jr, m);
    }
    bp_jr_pop(&pr->jr, mark);
    return columns;
}

/* {"line key": label or labels, …} */
static pf_line *read_lines(profile_reader *pr, json_t *obj, size_t *count)
{
    *count = 0;
    json_t *v = bp_jr_member(&pr->jr, obj, "lines", false, "");
    if (!v)
        return NULL;
    size_t mark = bp_jr_push_key(&pr->jr, "lines");
    pf_line *lines = NULL;
    if (bp_jr_expect_object(&pr->jr, v, "an object: each line key and the labels it may have")) {
        lines = pr_array(pr, json_object_size(v), sizeof *lines);
        const char *line_key;
        json_t *labels;
        json_object_foreach(v, line_key, labels)
        {
            size_t m = bp_jr_push_key(&pr->jr, line_key);
            pf_labels l = read_labels(pr, labels, "a label or a list of labels");
            if (lines && l.count)
                lines[(*count)++] = (pf_line){pr_copy(pr, line_key), l};
            bp_jr_pop(&pr->jr, m);
        }
    }
    bp_jr_pop(&pr->jr, mark);
    return lines;
}

static void read_side(profile_reader *pr, json_t *v, const char *key, pf_side *side)
{
    static const char *const allowed[] = {"label", "columns", "lines"};
    *side = (pf_side){.key = pr_copy(pr, key)};
    if (!bp_jr_expect_object(&pr->jr, v, "an object with \"label\", \"columns\" and \"lines\""))
        return;
    bp_jr_check_keys(&pr->jr, v, allowed, COUNT_OF(allowed));
    side->label = member_path(pr, v, "label", true);
    side->columns = read_columns(pr, v, "columns", &side->column_count);
    side->lines = read_lines(pr, v, &side->line_count);
}

static void read_sides(profile_reader *pr, json_t *obj, pf_table *t)
{
    json_t *v = bp_jr_member(&pr->jr, obj, "sides", false, "");
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&pr->jr, "sides");
    if (bp_jr_expect_object(&pr->jr, v, "an object: each side of the kind's table")) {
        t->sides = pr_array(pr, json_object_size(v), sizeof *t->sides);
        const char *key;
        json_t *side;
        json_object_foreach(v, key, side)
        {
            size_t m = bp_jr_push_key(&pr->jr, key);
            if (t->sides)
                read_side(pr, side, key, &t->sides[t->side_count++]);
            bp_jr_pop(&pr->jr, m);
        }
    }
    bp_jr_pop(&pr->jr, mark);
}

/* "down": {"label": header, "value": header, "lines": {column key: labels}}: a one-row table
 * printed with its items as rows. Read as a side whose one column is "value". */
static void read_down(profile_reader *pr, json_t *obj, pf_table *t)
{
    static const char *const allowed[] = {"label", "value", "lines"};
    json_t *v = bp_jr_member(&pr->jr, obj, "down", false, "");
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&pr->jr, "down");
    pf_side *down = pr_array(pr, 1, sizeof *down);
    pf_column *value = pr_array(pr, 1, sizeof *value);
    if (down && value &&
        bp_jr_expect_object(&pr->jr, v, "an object with \"label\", \"value\" and \"lines\"")) {
        bp_jr_check_keys(&pr->jr, v, allowed, COUNT_OF(allowed));
        *down = (pf_side){.key = "down", .label = member_path(pr, v, "label", true)};
        *value = (pf_column){"value", member_path(pr, v, "value", true)};
        down->columns = value;
        down->column_count = 1;
        down->lines = read_lines(pr, v, &down->line_count);
        t->down = down;
    }
    bp_jr_pop(&pr->jr, mark);
}

static void read_code(profile_reader *pr, json_t *obj, pf_table *t)
{
    static const char *const allowed[] = {"class", "item", "subitem"};
    json_t *v = bp_jr_member(&pr->jr, obj, "code", false, "");
    if (!v)
        return;
    if (!json_is_object(v)) {
        t->code[PF_CODE_WHOLE] = member_path(pr, obj, "code", false);
        return;
    }
    size_t mark = bp_jr_push_key(&pr->jr, "code");
    bp_jr_check_keys(&pr->jr, v, allowed, COUNT_OF(allowed));
    t->split_code = true;
    for (int part = PF_CODE_CLASS; part < PF_CODE_PARTS; part++)
        t->code[part] = member_path(pr, v, allowed[part], part != PF_CODE_SUBITEM);
    bp_jr_pop(&pr->jr, mark);
}

static void read_table(profile_reader *pr, json_t *v, const char *id, pf_table *t)
{
    static const char *const allowed[] = {"sheet", "title",   "optional", "code", "name",
                                          "total", "columns", "sides",    "down", "ignore"};
    *t = (pf_table){.id = pr_copy(pr, id)};
    if (!bp_jr_expect_object(&pr->jr, v, "an object saying where the table is"))
        return;
    bp_jr_check_keys(&pr->jr, v, allowed, COUNT_OF(allowed));
    t->sheets = member_labels(pr, v, "sheet", false, "a sheet name or a list of them");
    t->titles = member_labels(pr, v, "title", false, "a title or a list of them");
    if (!t->sheets.count && !t->titles.count && !json_object_get(v, "sheet") &&
        !json_object_get(v, "title"))
        bp_jr_report(&pr->jr, "says neither \"sheet\" nor \"title\": the table cannot be found");
    t->optional = bp_jr_flag(&pr->jr, v, "optional", false);
    read_code(pr, v, t);
    t->name = member_path(pr, v, "name", false);
    t->total_labels = member_labels(pr, v, "total", false, "a label or a list of labels");
    t->ignore = member_labels(pr, v, "ignore", false, "a label or a list of labels");
    t->columns = read_columns(pr, v, "columns", &t->column_count);
    read_sides(pr, v, t);
    read_down(pr, v, t);
}

static void read_tables(profile_reader *pr, json_t *root, bp_profile *p)
{
    json_t *v = bp_jr_member(&pr->jr, root, "tables", true,
                             "an object: each table of the kind and where the workbook has it");
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&pr->jr, "tables");
    if (bp_jr_expect_object(&pr->jr, v, "an object: each table of the kind and where it is")) {
        p->tables = pr_array(pr, json_object_size(v), sizeof *p->tables);
        const char *id;
        json_t *table;
        json_object_foreach(v, id, table)
        {
            size_t m = bp_jr_push_key(&pr->jr, id);
            if (p->tables)
                read_table(pr, table, id, &p->tables[p->table_count++]);
            bp_jr_pop(&pr->jr, m);
        }
    }
    bp_jr_pop(&pr->jr, mark);
}

static const char *member_text(profile_reader *pr, json_t *obj, const char *key, const char *what)
{
    json_t *v = bp_jr_member(&pr->jr, obj, key, true, what);
    if (!v)
        return NULL;
    size_t mark = bp_jr_push_key(&pr->jr, key);
    const char *s = is_text(v) ? pr_copy(pr, json_string_value(v)) : NULL;
    if (!is_text(v))
        bp_jr_expected(&pr->jr, what, v);
    bp_jr_pop(&pr->jr, mark);
    return s;
}

static void read_root(profile_reader *pr, json_t *root, bp_profile *p)
{
    static const char *const allowed[] = {"format", "name", "kind", "unit", "money_unit", "tables"};
    if (!bp_jr_expect_object(&pr->jr, root, "an object (an import profile)"))
        return;
    bp_jr_check_keys(&pr->jr, root, allowed, COUNT_OF(allowed));
    const char *format = member_text(pr, root, "format", "\"budgetpress.profile/1\"");
    if (format && strcmp(format, "budgetpress.profile/1") != 0) {
        size_t mark = bp_jr_push_key(&pr->jr, "format");
        bp_jr_report(&pr->jr, "expected \"budgetpress.profile/1\", found \"%s\"", format);
        bp_jr_pop(&pr->jr, mark);
    }
    p->name = member_text(pr, root, "name", "the profile's name (a non-empty string)");
    p->kind = member_text(pr, root, "kind", "the kind it reads into (a layout's name)");
    json_t *unit = bp_jr_member(&pr->jr, root, "unit", false, "");
    if (unit) {
        static const char *const unit_keys[] = {"name", "code"};
        size_t mark = bp_jr_push_key(&pr->jr, "unit");
        if (bp_jr_expect_object(&pr->jr, unit, "an object with \"name\" and \"code\"")) {
            bp_jr_check_keys(&pr->jr, unit, unit_keys, COUNT_OF(unit_keys));
            p->unit_name = member_labels(pr, unit, "name", false, "a label or a list of labels");
            p->unit_code = member_labels(pr, unit, "code", false, "a label or a list of labels");
        }
        bp_jr_pop(&pr->jr, mark);
    }
    p->money_units = member_labels(pr, root, "money_unit", false, "a label or a list of labels");
    read_tables(pr, root, p);
}

bp_profile *bp_profile_load_buffer(const char *data, size_t size, const char *name, bp_diags *diags)
{
    json_t *root = bp_jr_parse(data, size, name, diags);
    if (!root)
        return NULL;
    bp_profile *p = calloc(1, sizeof *p);
    bp_arena *arena = p ? bp_arena_create() : NULL;
    profile_reader pr = {.jr = {.diags = diags, .file = name}, .arena = arena};
    if (arena) {
        p->arena = arena;
        p->file = pr_copy(&pr, name);
        read_root(&pr, root, p);
    } else {
        pr.jr.out_of_memory = true;
    }
    if (pr.jr.out_of_memory)
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, name, 0, 0, NULL,
                     "out of memory reading the profile");
    json_decref(root);
    bp_strbuf_free(&pr.jr.path);
    if (pr.jr.errors || pr.jr.out_of_memory) {
        bp_profile_destroy(p);
        return NULL;
    }
    return p;
}

bp_profile *bp_profile_load_file(const char *path, bp_diags *diags)
{
    bp_strbuf content = BP_STRBUF_INIT;
    bp_profile *p = NULL;
    if (bp_jr_read_file(path, &content, diags) == 0)
        p = bp_profile_load_buffer(bp_strbuf_cstr(&content), content.len, path, diags);
    bp_strbuf_free(&content);
    return p;
}

void bp_profile_destroy(bp_profile *profile)
{
    if (!profile)
        return;
    bp_arena_destroy(profile->arena);
    free(profile);
}

const char *bp_profile_kind(const bp_profile *profile)
{
    return profile->kind;
}

const char *bp_profile_name(const bp_profile *profile)
{
    return profile->name;
}

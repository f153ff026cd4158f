/*
 * load.c: reads a unit's JSON (docs/model.md) into the model, validating everything on the way.
 *
 * This is the edge where untrusted input enters; past it, the model is trusted. So the loader
 * checks every value's form, reports each problem with its JSON path, what was expected and
 * what was found, and keeps going after a problem so that one run lists them all. It never
 * stops on the first error and never leaves a half-built unit behind: on any error the arena
 * is dropped whole.
 *
 * Jansson parses (its errors carry line and column) and rejects invalid UTF-8, NUL escapes and
 * duplicate keys; everything after parsing is a walk over the json_t tree with a path buffer.
 */
#include "model_int.h"

#include "budgetpress/kind.h"

#include "../util/jsonread.h"

#include <assert.h>
#include <errno.h>
#include <jansson.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

typedef struct loader {
    bp_jreader jr;       /* path, diagnostics and error count of the read */
    bp_arena *arena;     /* where the unit's data goes */
    const bp_kind *kind; /* the tables' kind; NULL for the built-in nine */
} loader;

/* ---- Allocation ---- */

static void *alloc_array(loader *ld, size_t count, size_t size)
{
    void *p = bp_arena_array(ld->arena, count, size);
    if (!p)
        ld->jr.out_of_memory = true;
    return p;
}

static const char *copy_string(loader *ld, const char *s, size_t len)
{
    char *copy = bp_arena_strndup(ld->arena, s, len);
    if (!copy)
        ld->jr.out_of_memory = true;
    return copy;
}

/* ---- Scalars ---- */

/* Text: a non-empty string without control characters (a paragraph is one line; the layout
 * breaks it). */
/* Whether s holds nothing but spaces: ASCII, no-break (U+00A0) and ideographic (U+3000). A
 * unit named "　" would print a blank where its name belongs on every page. */
static bool only_spaces(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        if (s[i] == ' ')
            i++;
        else if (i + 2 <= len && memcmp(s + i, "\xC2\xA0", 2) == 0)
            i += 2;
        else if (i + 3 <= len && memcmp(s + i, "\xE3\x80\x80", 3) == 0)
            i += 3;
        else
            return false;
    }
    return true;
}

static const char *read_text_value(loader *ld, json_t *v)
{
    if (!json_is_string(v)) {
        bp_jr_expected(&ld->jr, "text (a string)", v);
        return NULL;
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (len == 0) {
        bp_jr_report(&ld->jr, "expected text, found an empty string");
        return NULL;
    }
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F) {
            bp_jr_report(&ld->jr,
                         "text may not contain control characters such as line breaks or tabs "
                         "(found U+%04X at byte %zu)",
                         (unsigned)(unsigned char)s[i], i);
            return NULL;
        }
    }
    return copy_string(ld, s, len);
}

static const char *read_text(loader *ld, json_t *obj, const char *key, bool required)
{
    json_t *v = bp_jr_member(&ld->jr, obj, key, required, "text");
    if (!v)
        return NULL;
    size_t mark = bp_jr_push_key(&ld->jr, key);
    const char *s = read_text_value(ld, v);
    bp_jr_pop(&ld->jr, mark);
    return s;
}

static bool read_amount_value(loader *ld, json_t *v, bp_amount *out)
{
    *out = bp_amount_blank();
    if (json_is_null(v))
        return true;
    if (json_is_string(v) && bp_amount_parse(json_string_value(v), json_string_length(v), out))
        return true;
    if (json_is_number(v))
        bp_jr_expected(&ld->jr, "an amount written as a string like \"31.00\"", v);
    else
        bp_jr_expected(&ld->jr, "an amount like \"31.00\"", v);
    return false;
}

/* The unit's name: text, and not only spaces, for it heads the banner of every page. */
static const char *read_name(loader *ld, json_t *obj, const char *key)
{
    const char *name = read_text(ld, obj, key, true);
    if (name && only_spaces(name, strlen(name))) {
        size_t mark = bp_jr_push_key(&ld->jr, key);
        bp_jr_report(&ld->jr, "expected a name, found only spaces");
        bp_jr_pop(&ld->jr, mark);
        return NULL;
    }
    return name;
}

static bp_amount read_amount(loader *ld, json_t *obj, const char *key, bool required)
{
    bp_amount a = bp_amount_blank();
    json_t *v = bp_jr_member(&ld->jr, obj, key, required, "an amount like \"31.00\"");
    if (v) {
        size_t mark = bp_jr_push_key(&ld->jr, key);
        read_amount_value(ld, v, &a);
        bp_jr_pop(&ld->jr, mark);
    }
    return a;
}

static bool all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return len > 0;
}

static const char *read_digits(loader *ld, json_t *obj, const char *key, bool required,
                               size_t max_len, const char *what)
{
    json_t *v = bp_jr_member(&ld->jr, obj, key, required, what);
    if (!v)
        return NULL;
    size_t mark = bp_jr_push_key(&ld->jr, key);
    const char *result = NULL;
    if (json_is_string(v) && json_string_length(v) <= max_len &&
        all_digits(json_string_value(v), json_string_length(v)))
        result = copy_string(ld, json_string_value(v), json_string_length(v));
    else
        bp_jr_expected(&ld->jr, what, v);
    bp_jr_pop(&ld->jr, mark);
    return result;
}

static bool valid_date(const char *s, size_t len)
{
    if (len != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s, 4) || !all_digits(s + 5, 2) ||
        !all_digits(s + 8, 2))
        return false;
    static const int days_in_month[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    if (month < 1 || month > 12 || day < 1 || day > days_in_month[month - 1])
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month != 2 || day <= 28 || leap;
}

static const char *read_date(loader *ld, json_t *obj, const char *key, bool required)
{
    const char *what = "a date like \"2021-12-31\"";
    json_t *v = bp_jr_member(&ld->jr, obj, key, required, what);
    if (!v)
        return NULL;
    size_t mark = bp_jr_push_key(&ld->jr, key);
    const char *result = NULL;
    if (json_is_string(v) && valid_date(json_string_value(v), json_string_length(v)))
        result = copy_string(ld, json_string_value(v), json_string_length(v));
    else
        bp_jr_expected(&ld->jr, what, v);
    bp_jr_pop(&ld->jr, mark);
    return result;
}

/* ---- Arrays ---- */

typedef void (*element_reader)(loader *ld, json_t *v, void *element, const void *ctx);

/* Reads obj[key] as an array whose elements element_reader fills in; each element is read at
 * its own path, and a bad element does not stop the others. */
static bool read_array(loader *ld, json_t *obj, const char *key, bool required, const char *what,
                       size_t element_size, element_reader read_one, const void *ctx, void **items,
                       size_t *count)
{
    *items = NULL;
    *count = 0;
    json_t *v = bp_jr_member(&ld->jr, obj, key, required, what);
    if (!v)
        return false;
    size_t mark = bp_jr_push_key(&ld->jr, key);
    bool ok = json_is_array(v);
    if (!ok)
        bp_jr_expected(&ld->jr, what, v);
    size_t n = ok ? json_array_size(v) : 0;
    char *base = n ? alloc_array(ld, n, element_size) : NULL;
    if (n && !base)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        size_t item_mark = bp_jr_push_index(&ld->jr, i);
        read_one(ld, json_array_get(v, i), base + i * element_size, ctx);
        bp_jr_pop(&ld->jr, item_mark);
    }
    bp_jr_pop(&ld->jr, mark);
    *items = base;
    *count = n;
    return ok;
}

static void read_text_element(loader *ld, json_t *v, void *element, const void *ctx)
{
    *(const char **)element = read_text_value(ld, v);
}

static void read_text_list(loader *ld, json_t *obj, const char *key, bool required,
                           const char ***items, size_t *count)
{
    void *p;
    read_array(ld, obj, key, required, "an array of text", sizeof(const char *), read_text_element,
               NULL, &p, count);
    *items = p;
}

/* ---- Records of text fields ----
 * Several parts of the model are flat records of text (an organisation row, an indicator row,
 * a glossary entry); one descriptor-driven reader serves them all. */

typedef struct text_field {
    const char *key;
    size_t offset; /* of a const char * inside the record */
    bool required;
} text_field;

static void read_text_record(loader *ld, json_t *v, void *record, const text_field *fields,
                             size_t n, const char *what)
{
    if (!bp_jr_expect_object(&ld->jr, v, what))
        return;
    const char *keys[8] = {NULL}; /* records have at most six fields */
    assert(n <= 8);
    for (size_t i = 0; i < n; i++)
        keys[i] = fields[i].key;
    bp_jr_check_keys(&ld->jr, v, keys, n);
    for (size_t i = 0; i < n; i++)
        *(const char **)((char *)record + fields[i].offset) =
            read_text(ld, v, fields[i].key, fields[i].required);
}

#define TEXT_FIELD(type, member, required)                                                         \
    {                                                                                              \
#member, offsetof(type, member), required                                                  \
    }

static const text_field organisation_fields[] = {
    TEXT_FIELD(bp_organisation, name, true),
    TEXT_FIELD(bp_organisation, nature, true),
    TEXT_FIELD(bp_organisation, level, true),
    TEXT_FIELD(bp_organisation, funding, true),
};

/* A kind's 单位构成 table prints what its layout binds: only the name is required. */
static const text_field kind_organisation_fields[] = {
    TEXT_FIELD(bp_organisation, name, true),   TEXT_FIELD(bp_organisation, nature, false),
    TEXT_FIELD(bp_organisation, level, false), TEXT_FIELD(bp_organisation, funding, false),
    TEXT_FIELD(bp_organisation, note, false),
};

static const text_field indicator_fields[] = {
    TEXT_FIELD(bp_indicator, level1, true), TEXT_FIELD(bp_indicator, level2, true),
    TEXT_FIELD(bp_indicator, level3, true), TEXT_FIELD(bp_indicator, description, true),
    TEXT_FIELD(bp_indicator, value, true),  TEXT_FIELD(bp_indicator, basis, true),
};

static const text_field safeguard_fields[] = {
    TEXT_FIELD(bp_safeguard, title, true),
    TEXT_FIELD(bp_safeguard, text, true),
};

static const text_field glossary_fields[] = {
    TEXT_FIELD(bp_glossary_entry, term, true),
    TEXT_FIELD(bp_glossary_entry, definition, true),
};

typedef struct record_kind {
    const text_field *fields;
    size_t count;
    const char *what;
} record_kind;

static void read_record_element(loader *ld, json_t *v, void *element, const void *ctx)
{
    const record_kind *kind = ctx;
    read_text_record(ld, v, element, kind->fields, kind->count, kind->what);
}

#define RECORD_KIND(fields, what)                                                                  \
    {                                                                                              \
        fields, COUNT_OF(fields), what                                                             \
    }

/* ---- Rows and amounts ---- */

static void columns_key_list(const bp_columns *columns, const char **keys)
{
    for (int i = 0; i < columns->count; i++)
        keys[i] = bp_column_key(columns->ids[i]);
}

/* Reads an amounts object ({ "total": "1.00", … }) into row->amounts. */
static void read_amounts_value(loader *ld, json_t *v, bp_row *row)
{
    const bp_columns *columns = row->columns;
    row->amounts = alloc_array(ld, (size_t)columns->count, sizeof(bp_amount));
    if (!row->amounts)
        return;
    for (int i = 0; i < columns->count; i++)
        row->amounts[i] = bp_amount_blank();
    if (!v)
        return;
    if (!bp_jr_expect_object(&ld->jr, v,
                             "an object of amounts by column, like {\"total\": \"31.00\"}"))
        return;
    const char *keys[BP_COL__COUNT];
    columns_key_list(columns, keys);
    bp_jr_check_keys(&ld->jr, v, keys, (size_t)columns->count);
    for (int i = 0; i < columns->count; i++) {
        json_t *a = json_object_get(v, keys[i]);
        if (!a)
            continue;
        size_t mark = bp_jr_push_key(&ld->jr, keys[i]);
        read_amount_value(ld, a, &row->amounts[i]);
        bp_jr_pop(&ld->jr, mark);
    }
}

static void read_amounts(loader *ld, json_t *obj, const char *key, bool required, bp_row *row,
                         const bp_columns *columns)
{
    row->columns = columns;
    json_t *v = bp_jr_member(&ld->jr, obj, key, required, "an object of amounts by column");
    size_t mark = bp_jr_push_key(&ld->jr, key);
    read_amounts_value(ld, v, row);
    bp_jr_pop(&ld->jr, mark);
}

/* What a row may or must carry, per kind of table. */
typedef struct row_kind {
    const bp_columns *columns;
    bool code_allowed;
    bool code_required;
} row_kind;

static void read_row_element(loader *ld, json_t *v, void *element, const void *ctx)
{
    const row_kind *kind = ctx;
    bp_row *row = element;
    if (!bp_jr_expect_object(&ld->jr, v, "a row object with \"code\", \"name\" and \"amounts\""))
        return;
    static const char *const with_code[] = {"code", "name", "amounts"};
    static const char *const without_code[] = {"name", "amounts"};
    if (kind->code_allowed)
        bp_jr_check_keys(&ld->jr, v, with_code, COUNT_OF(with_code));
    else
        bp_jr_check_keys(&ld->jr, v, without_code, COUNT_OF(without_code));
    if (kind->code_allowed)
        row->code = read_digits(ld, v, "code", kind->code_required, 12,
                                "a classification code of digits, like \"2013101\"");
    row->name = read_text(ld, v, "name", true);
    read_amounts(ld, v, "amounts", true, row, kind->columns);
}

static void read_rows(loader *ld, json_t *obj, const char *key, bool required, const row_kind *kind,
                      bp_row **rows, size_t *count)
{
    void *p;
    read_array(ld, obj, key, required, "an array of rows", sizeof(bp_row), read_row_element, kind,
               &p, count);
    *rows = p;
}

/* ---- Tables ---- */

static void read_ledger(loader *ld, json_t *v, const bp_table_spec *spec, bp_ledger *ledger)
{
    if (!bp_jr_expect_object(&ld->jr, v, "a table object with \"rows\""))
        return;
    static const char *const keys[] = {"total", "rows", "note"};
    bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
    ledger->has_total = bp_jr_member(&ld->jr, v, "total", false, "") != NULL;
    read_amounts(ld, v, "total", false, &ledger->total, spec->columns);
    row_kind kind = {spec->columns, true, true};
    read_rows(ld, v, "rows", true, &kind, &ledger->rows, &ledger->row_count);
    ledger->note = read_text(ld, v, "note", false);
}

static void read_carryover(loader *ld, json_t *side, const bp_columns *columns, bp_side *out)
{
    json_t *v = bp_jr_member(&ld->jr, side, "carryover", false, "");
    size_t mark = bp_jr_push_key(&ld->jr, "carryover");
    out->carryover.columns = columns;
    read_amounts_value(ld, NULL, &out->carryover); /* blank unless given */
    if (v && bp_jr_expect_object(&ld->jr, v, "an object with \"amounts\" and optional \"lines\"")) {
        static const char *const keys[] = {"amounts", "lines"};
        bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
        out->has_carryover = true;
        read_amounts(ld, v, "amounts", true, &out->carryover, columns);
        row_kind kind = {columns, false, false};
        read_rows(ld, v, "lines", false, &kind, &out->carryover_lines, &out->carryover_line_count);
    }
    bp_jr_pop(&ld->jr, mark);
}

static void read_side(loader *ld, json_t *table, const char *key, const bp_columns *columns,
                      bp_side *side)
{
    json_t *v = bp_jr_member(&ld->jr, table, key, true, "a side object with \"lines\" and totals");
    size_t mark = bp_jr_push_key(&ld->jr, key);
    if (v && bp_jr_expect_object(&ld->jr, v, "a side object with \"lines\" and totals")) {
        static const char *const keys[] = {"lines", "year_total", "carryover", "grand_total"};
        bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
        row_kind kind = {columns, true, false};
        read_rows(ld, v, "lines", true, &kind, &side->lines, &side->line_count);
        read_amounts(ld, v, "year_total", true, &side->year_total, columns);
        read_carryover(ld, v, columns, side);
        read_amounts(ld, v, "grand_total", true, &side->grand_total, columns);
    }
    bp_jr_pop(&ld->jr, mark);
}

static void read_two_sided(loader *ld, json_t *v, const bp_table_spec *spec, bp_two_sided *t)
{
    if (!bp_jr_expect_object(&ld->jr, v, "a table object with \"income\" and \"expense\""))
        return;
    static const char *const keys[] = {"income", "expense"};
    bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
    read_side(ld, v, "income", spec->columns, &t->income);
    read_side(ld, v, "expense", spec->expense_columns, &t->expense);
}

static void read_three_public(loader *ld, json_t *v, const bp_table_spec *spec, bp_three_public *t)
{
    if (!bp_jr_expect_object(&ld->jr, v, "an object of 三公 items, like {\"total\": {…}}"))
        return;
    const char *keys[BP_3P__COUNT];
    for (int i = 0; i < BP_3P__COUNT; i++)
        keys[i] = bp_three_public_key((bp_three_public_item)i);
    bp_jr_check_keys(&ld->jr, v, keys, BP_3P__COUNT);
    for (int i = 0; i < BP_3P__COUNT; i++) {
        bp_row *row = &t->items[i];
        row->name = bp_three_public_label((bp_three_public_item)i);
        read_amounts(ld, v, keys[i], false, row, spec->columns);
    }
}

static void read_table(loader *ld, json_t *tables, bp_table_id id, bp_unit *unit)
{
    const bp_table_spec *spec = bp_table_spec_get(id);
    json_t *v = bp_jr_member(&ld->jr, tables, spec->key, true, spec->title);
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&ld->jr, spec->key);
    switch (spec->shape) {
    case BP_SHAPE_LEDGER:
        read_ledger(ld, v, spec, (bp_ledger *)bp_unit_ledger(unit, id));
        break;
    case BP_SHAPE_TWO_SIDED:
        read_two_sided(ld, v, spec, (bp_two_sided *)bp_unit_two_sided(unit, id));
        break;
    case BP_SHAPE_FIXED_ITEMS:
        read_three_public(ld, v, spec, &unit->three_public);
        break;
    }
    bp_jr_pop(&ld->jr, mark);
}

static void read_tables(loader *ld, json_t *root, bp_unit *unit)
{
    json_t *tables = bp_jr_member(&ld->jr, root, "tables", true, "the nine standard tables");
    if (!tables)
        return;
    size_t mark = bp_jr_push_key(&ld->jr, "tables");
    if (bp_jr_expect_object(&ld->jr, tables, "an object holding the nine standard tables")) {
        const char *keys[BP_TABLE__COUNT];
        for (int i = 0; i < BP_TABLE__COUNT; i++)
            keys[i] = bp_table_spec_get((bp_table_id)i)->key;
        bp_jr_check_keys(&ld->jr, tables, keys, BP_TABLE__COUNT);
        for (int i = 0; i < BP_TABLE__COUNT; i++)
            read_table(ld, tables, (bp_table_id)i, unit);
    }
    bp_jr_pop(&ld->jr, mark);
}

/* ---- Tables of a kind given as data ---- */

/* "a, b, c" of the columns' keys, for messages. */
static void column_key_list(const bp_kind_column *columns, size_t count, bp_strbuf *out)
{
    for (size_t i = 0; i < count; i++)
        bp_strbuf_printf(out, "%s%s", i ? ", " : "", columns[i].key);
}

static void read_typed_value(loader *ld, json_t *v, const bp_kind_column *column, int decimals,
                             bp_value *out)
{
    out->number = bp_amount_blank();
    out->text = NULL;
    if (json_is_null(v))
        return;
    if (column->type == BP_VALUE_TEXT) {
        out->text = read_text_value(ld, v);
        return;
    }
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    size_t len = s ? json_string_length(v) : 0;
    if (s && column->type == BP_VALUE_PERCENT && len > 0 && s[len - 1] == '%')
        len--;
    bool whole =
        column->type == BP_VALUE_COUNT || (column->type == BP_VALUE_AMOUNT && decimals == 0);
    bp_amount a;
    if (s && bp_amount_parse(s, len, &a) && (!whole || a.hundredths % 100 == 0)) {
        out->number = a;
        return;
    }
    const char *what =
        column->type == BP_VALUE_COUNT     ? "a whole number written as a string, like \"12\""
        : column->type == BP_VALUE_PERCENT ? "a percentage like \"12.50\" or \"12.50%\""
        : whole ? "a whole amount like \"1200\" (the table prints whole amounts)"
                : "an amount like \"31.00\"";
    bp_jr_expected(&ld->jr, what, v);
}

/* A row's values: {"column key": value, …} over the given columns; a key the kind does not
 * have is an error naming the kind, the table and the keys it has. */
static bp_value *read_values(loader *ld, json_t *v, const bp_kind_table *t,
                             const bp_kind_column *columns, size_t count)
{
    bp_value *values = alloc_array(ld, count ? count : 1, sizeof *values);
    if (!values)
        return NULL;
    for (size_t i = 0; i < count; i++)
        values[i] = (bp_value){bp_amount_blank(), NULL};
    if (!v || !bp_jr_expect_object(&ld->jr, v,
                                   "an object of values by column, like {\"total\": \"31.00\"}"))
        return values;
    const char *key;
    json_t *value;
    json_object_foreach(v, key, value)
    {
        size_t mark = bp_jr_push_key(&ld->jr, key);
        int c = bp_kind_column_index(columns, count, key);
        if (c < 0) {
            bp_strbuf keys = BP_STRBUF_INIT;
            column_key_list(columns, count, &keys);
            bp_jr_report(&ld->jr, "%s has no column \"%s\" in %s (expected one of %s)",
                         ld->kind->name, key, t->title, bp_strbuf_cstr(&keys));
            bp_strbuf_free(&keys);
        } else {
            read_typed_value(ld, value, &columns[c], t->decimals, &values[c]);
        }
        bp_jr_pop(&ld->jr, mark);
    }
    return values;
}

static const char *current_path(loader *ld)
{
    return copy_string(ld, bp_strbuf_cstr(&ld->jr.path), ld->jr.path.len);
}

static void read_data_row(loader *ld, json_t *v, void *element, const void *ctx)
{
    const bp_kind_table *t = ctx;
    bp_data_row *row = element;
    row->path = current_path(ld);
    if (!bp_jr_expect_object(&ld->jr, v, "a row object with \"name\" and \"amounts\""))
        return;
    static const char *const with_code[] = {"code", "name", "amounts"};
    static const char *const without_code[] = {"name", "amounts"};
    bool codes = t->codes != BP_KIND_CODES_NONE;
    bp_jr_check_keys(&ld->jr, v, codes ? with_code : without_code, codes ? 3 : 2);
    if (codes)
        row->code = read_digits(ld, v, "code", true, 12,
                                "a classification code of digits, like \"2010601\"");
    row->name = read_text(ld, v, "name", true);
    json_t *amounts = bp_jr_member(&ld->jr, v, "amounts", false, "");
    size_t mark = bp_jr_push_key(&ld->jr, "amounts");
    row->values = read_values(ld, amounts, t, t->columns, t->column_count);
    bp_jr_pop(&ld->jr, mark);
}

static void read_data_ledger(loader *ld, json_t *v, bp_data_table *dt)
{
    const bp_kind_table *t = dt->spec;
    static const char *const keys[] = {"total", "rows", "note"};
    bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
    json_t *total = bp_jr_member(&ld->jr, v, "total", false, "");
    dt->has_total = total != NULL;
    size_t mark = bp_jr_push_key(&ld->jr, "total");
    dt->total.path = current_path(ld);
    dt->total.values = read_values(ld, total, t, t->columns, t->column_count);
    bp_jr_pop(&ld->jr, mark);
    void *rows;
    read_array(ld, v, "rows", true, "an array of rows", sizeof(bp_data_row), read_data_row, t,
               &rows, &dt->row_count);
    dt->rows = rows;
}

static void read_data_one_row(loader *ld, json_t *v, bp_data_table *dt)
{
    const bp_kind_table *t = dt->spec;
    static const char *const keys[] = {"amounts", "note"};
    bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
    dt->rows = alloc_array(ld, 1, sizeof *dt->rows);
    if (!dt->rows)
        return;
    dt->row_count = 1;
    json_t *amounts = bp_jr_member(&ld->jr, v, "amounts", false, "");
    size_t mark = bp_jr_push_key(&ld->jr, "amounts");
    dt->rows[0].path = current_path(ld);
    dt->rows[0].values = read_values(ld, amounts, t, t->columns, t->column_count);
    bp_jr_pop(&ld->jr, mark);
}

/* A side of a lines table: {"line key": {values}, …}; a line not given is blank. */
static void read_data_side(loader *ld, json_t *v, const bp_kind_table *t, const bp_kind_side *side,
                           bp_data_row *lines)
{
    for (size_t i = 0; i < side->line_count; i++) {
        lines[i].name = side->lines[i].label;
        lines[i].code = side->lines[i].code;
        lines[i].values = read_values(ld, NULL, t, side->columns, side->column_count);
    }
    if (!v ||
        !bp_jr_expect_object(&ld->jr, v, "an object of lines by key, like {\"general\": {…}}"))
        return;
    const char *key;
    json_t *line;
    json_object_foreach(v, key, line)
    {
        size_t mark = bp_jr_push_key(&ld->jr, key);
        int i = bp_kind_line_index(side, key);
        if (i < 0) {
            bp_strbuf keys = BP_STRBUF_INIT;
            for (size_t j = 0; j < side->line_count && j < 12; j++)
                bp_strbuf_printf(&keys, "%s%s", j ? ", " : "", side->lines[j].key);
            if (side->line_count > 12)
                bp_strbuf_puts(&keys, ", …");
            bp_jr_report(&ld->jr, "%s has no line \"%s\" on the %s side of %s (expected one of %s)",
                         ld->kind->name, key, side->key, t->title, bp_strbuf_cstr(&keys));
            bp_strbuf_free(&keys);
        } else {
            lines[i].path = current_path(ld);
            lines[i].values = read_values(ld, line, t, side->columns, side->column_count);
        }
        bp_jr_pop(&ld->jr, mark);
    }
}

static void read_data_lines(loader *ld, json_t *v, bp_data_table *dt)
{
    const bp_kind_table *t = dt->spec;
    const char *keys[3] = {"note", NULL, NULL};
    for (size_t s = 0; s < t->side_count; s++)
        keys[s + 1] = t->sides[s].key;
    bp_jr_check_keys(&ld->jr, v, keys, 1 + t->side_count);
    for (size_t s = 0; s < t->side_count && s < 2; s++) {
        dt->lines[s] = alloc_array(ld, t->sides[s].line_count, sizeof(bp_data_row));
        if (!dt->lines[s])
            return;
        json_t *side = bp_jr_member(&ld->jr, v, t->sides[s].key, false, "");
        size_t mark = bp_jr_push_key(&ld->jr, t->sides[s].key);
        read_data_side(ld, side, t, &t->sides[s], dt->lines[s]);
        bp_jr_pop(&ld->jr, mark);
    }
}

static void read_data_tables(loader *ld, json_t *root, bp_unit *unit)
{
    const bp_kind *kind = ld->kind;
    const char *what = "the tables of the kind, by id";
    json_t *tables = bp_jr_member(&ld->jr, root, "tables", true, what);
    unit->data_tables =
        alloc_array(ld, kind->table_count ? kind->table_count : 1, sizeof *unit->data_tables);
    if (!tables || !unit->data_tables)
        return;
    size_t mark = bp_jr_push_key(&ld->jr, "tables");
    if (bp_jr_expect_object(&ld->jr, tables, what)) {
        const char **ids = alloc_array(ld, kind->table_count ? kind->table_count : 1, sizeof *ids);
        for (size_t i = 0; ids && i < kind->table_count; i++)
            ids[i] = kind->tables[i].id;
        if (ids)
            bp_jr_check_keys(&ld->jr, tables, ids, kind->table_count);
        for (size_t i = 0; i < kind->table_count; i++) {
            bp_data_table *dt = &unit->data_tables[i];
            dt->spec = &kind->tables[i];
            json_t *v = bp_jr_member(&ld->jr, tables, dt->spec->id, true, dt->spec->title);
            if (!v)
                continue;
            size_t tm = bp_jr_push_key(&ld->jr, dt->spec->id);
            if (bp_jr_expect_object(&ld->jr, v, "a table object")) {
                if (dt->spec->rows == BP_ROWS_LEDGER)
                    read_data_ledger(ld, v, dt);
                else if (dt->spec->rows == BP_ROWS_ONE_ROW)
                    read_data_one_row(ld, v, dt);
                else
                    read_data_lines(ld, v, dt);
                dt->note = read_text(ld, v, "note", false);
            }
            bp_jr_pop(&ld->jr, tm);
        }
    }
    bp_jr_pop(&ld->jr, mark);
}

bool bp_unit_figure(const bp_unit *unit, const char *address, bp_amount *value, bool *rounded)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", address);
    char *part[5] = {NULL}, *save = NULL;
    int n = 0;
    for (char *p = strtok_r(buf, ".", &save); p && n < 5; p = strtok_r(NULL, ".", &save))
        part[n++] = p;
    const bp_data_table *dt = n ? bp_unit_data_table(unit, part[0]) : NULL;
    if (!dt)
        return false;
    const bp_kind_table *t = dt->spec;
    *rounded = t->rounded;
    *value = bp_amount_blank();
    if (t->rows == BP_ROWS_ONE_ROW && n == 2) {
        int c = bp_kind_column_index(t->columns, t->column_count, part[1]);
        if (c >= 0)
            *value = dt->rows[0].values[c].number;
        return c >= 0;
    }
    if (t->rows == BP_ROWS_LEDGER && n == 3) {
        int c = bp_kind_column_index(t->columns, t->column_count, part[2]);
        if (c < 0)
            return false;
        if (strcmp(part[1], "total") == 0)
            *value = dt->total.values[c].number;
        for (size_t i = 0; i < dt->row_count && strcmp(part[1], "total") != 0; i++)
            if (dt->rows[i].code && strcmp(dt->rows[i].code, part[1]) == 0)
                *value = dt->rows[i].values[c].number;
        return true;
    }
    if (t->rows == BP_ROWS_LINES && n == 4) {
        int s = bp_kind_side_index(t, part[1]);
        if (s < 0)
            return false;
        const bp_kind_side *side = &t->sides[s];
        int l = bp_kind_line_index(side, part[2]);
        int c = bp_kind_column_index(side->columns, side->column_count, part[3]);
        if (l < 0 || c < 0)
            return false;
        *value = dt->lines[s][l].values[c].number;
        return true;
    }
    return false;
}

const bp_data_table *bp_unit_data_table(const bp_unit *unit, const char *id)
{
    for (size_t i = 0; unit->kind && unit->data_tables && i < unit->kind->table_count; i++)
        if (strcmp(unit->data_tables[i].spec->id, id) == 0)
            return &unit->data_tables[i];
    return NULL;
}

/* ---- Unit identity and last year ---- */

static void read_unit_info(loader *ld, json_t *root, bp_unit_info *info)
{
    json_t *v = bp_jr_member(&ld->jr, root, "unit", true,
                             "the unit's code, name, budget year and money unit");
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&ld->jr, "unit");
    if (bp_jr_expect_object(&ld->jr, v,
                            "an object with the unit's code, name, budget_year and money_unit")) {
        static const char *const keys[] = {"code",       "name",   "budget_year",
                                           "money_unit", "region", "publish_date"};
        bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
        info->code = read_digits(ld, v, "code", true, 12, "a unit code of digits, like \"201001\"");
        info->name = read_name(ld, v, "name");
        json_t *year = bp_jr_member(&ld->jr, v, "budget_year", true, "a year like 2022");
        if (year) {
            size_t ym = bp_jr_push_key(&ld->jr, "budget_year");
            if (json_is_integer(year) && json_integer_value(year) >= 2000 &&
                json_integer_value(year) <= 2100)
                info->budget_year = (int)json_integer_value(year);
            else
                bp_jr_expected(&ld->jr, "a year from 2000 to 2100, like 2022", year);
            bp_jr_pop(&ld->jr, ym);
        }
        json_t *money = bp_jr_member(&ld->jr, v, "money_unit", true, "\"万元\" or \"元\"");
        if (money) {
            static const char *const units[] = {"万元", "元"};
            size_t mm = bp_jr_push_key(&ld->jr, "money_unit");
            int i = bp_jr_choice(&ld->jr, money, units, COUNT_OF(units));
            info->money_unit = i >= 0 ? units[i] : NULL;
            bp_jr_pop(&ld->jr, mm);
        }
        info->region = read_text(ld, v, "region", false);
        info->publish_date = read_date(ld, v, "publish_date", false);
    }
    bp_jr_pop(&ld->jr, mark);
}

static void read_previous_year(loader *ld, json_t *root, bp_amount *figures)
{
    for (int i = 0; i < BP_PREV__COUNT; i++)
        figures[i] = bp_amount_blank();
    json_t *v = bp_jr_member(&ld->jr, root, "previous_year", false, "");
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&ld->jr, "previous_year");
    if (bp_jr_expect_object(&ld->jr, v, "an object of last year's amounts")) {
        const char *keys[BP_PREV__COUNT];
        for (int i = 0; i < BP_PREV__COUNT; i++)
            keys[i] = bp_previous_figure_key((bp_previous_figure)i);
        bp_jr_check_keys(&ld->jr, v, keys, BP_PREV__COUNT);
        for (int i = 0; i < BP_PREV__COUNT; i++)
            figures[i] = read_amount(ld, v, keys[i], false);
    }
    bp_jr_pop(&ld->jr, mark);
}

/* ---- Explanation ---- */

static const char *const block_kinds[] = {"heading", "paragraph", "list", "include"};

static void read_block_element(loader *ld, json_t *v, void *element, const void *ctx)
{
    bp_block *block = element;
    if (!bp_jr_expect_object(&ld->jr, v,
                             "a block: {\"heading\": …}, {\"paragraph\": …}, {\"list\": […]} "
                             "or {\"include\": …}"))
        return;
    int kind = -1, kinds_found = 0;
    for (size_t i = 0; i < COUNT_OF(block_kinds); i++) {
        if (json_object_get(v, block_kinds[i])) {
            kind = (int)i;
            kinds_found++;
        }
    }
    if (kinds_found != 1) {
        bp_jr_report(&ld->jr,
                     "a block has exactly one of \"heading\", \"paragraph\", \"list\", \"include\" "
                     "(found %d)",
                     kinds_found);
        return;
    }
    block->kind = (bp_block_kind)kind;
    switch (block->kind) {
    case BP_BLOCK_HEADING: {
        static const char *const keys[] = {"heading", "level"};
        bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
        block->text = read_text(ld, v, "heading", true);
        block->level = 1;
        json_t *level = bp_jr_member(&ld->jr, v, "level", false, "");
        if (level) {
            size_t mark = bp_jr_push_key(&ld->jr, "level");
            if (json_is_integer(level) && json_integer_value(level) >= 1 &&
                json_integer_value(level) <= 3)
                block->level = (int)json_integer_value(level);
            else
                bp_jr_expected(&ld->jr, "a heading level 1, 2 or 3", level);
            bp_jr_pop(&ld->jr, mark);
        }
        break;
    }
    case BP_BLOCK_PARAGRAPH: {
        static const char *const keys[] = {"paragraph"};
        bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
        block->text = read_text(ld, v, "paragraph", true);
        break;
    }
    case BP_BLOCK_LIST: {
        static const char *const keys[] = {"list", "numbering"};
        static const char *const styles[] = {"1、", "1.", "（1）", "一、", "none", "（一）"};
        bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
        read_text_list(ld, v, "list", true, &block->items, &block->item_count);
        json_t *numbering = bp_jr_member(&ld->jr, v, "numbering", false, "");
        block->numbering = BP_NUMBERING_ARABIC_COMMA;
        if (numbering) {
            size_t mark = bp_jr_push_key(&ld->jr, "numbering");
            int style = bp_jr_choice(&ld->jr, numbering, styles, COUNT_OF(styles));
            if (style >= 0)
                block->numbering = (bp_numbering)style;
            bp_jr_pop(&ld->jr, mark);
        }
        break;
    }
    case BP_BLOCK_INCLUDE: {
        static const char *const keys[] = {"include"};
        bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
        const char *parts[BP_PART__COUNT];
        for (int i = 0; i < BP_PART__COUNT; i++)
            parts[i] = bp_part_key((bp_part)i);
        size_t mark = bp_jr_push_key(&ld->jr, "include");
        int part = bp_jr_choice(&ld->jr, json_object_get(v, "include"), parts, BP_PART__COUNT);
        block->part = part >= 0 ? (bp_part)part : BP_PART_ORGANISATIONS;
        bp_jr_pop(&ld->jr, mark);
        break;
    }
    }
}

static void read_section(loader *ld, json_t *v, bp_section *section)
{
    if (!bp_jr_expect_object(&ld->jr, v, "a section object with \"blocks\""))
        return;
    static const char *const keys[] = {"title", "blocks"};
    bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
    section->present = true;
    section->title = read_text(ld, v, "title", false);
    void *blocks;
    read_array(ld, v, "blocks", true, "an array of blocks", sizeof(bp_block), read_block_element,
               NULL, &blocks, &section->block_count);
    section->blocks = blocks;
}

/* A kind's sections: any keys (letters, digits, "_"), kept in the file's order; which are
 * printed, where and under what title is the layout's. */
static void read_keyed_sections(loader *ld, json_t *sections, bp_explanation *ex)
{
    ex->keyed = alloc_array(ld, json_object_size(sections) ? json_object_size(sections) : 1,
                            sizeof *ex->keyed);
    const char *key;
    json_t *v;
    json_object_foreach(sections, key, v)
    {
        if (!ex->keyed)
            return;
        size_t im = bp_jr_push_key(&ld->jr, key);
        bool valid = key[0] != '\0';
        for (const char *p = key; *p; p++)
            valid = valid && ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_');
        if (!valid)
            bp_jr_report(&ld->jr, "a section key is lower-case letters, digits and \"_\", like "
                                  "\"main_functions\"");
        bp_section *section = &ex->keyed[ex->keyed_count++];
        section->key = copy_string(ld, key, strlen(key));
        read_section(ld, v, section);
        bp_jr_pop(&ld->jr, im);
    }
}

const bp_section *bp_unit_keyed_section(const bp_unit *unit, const char *key)
{
    for (size_t i = 0; i < unit->explanation.keyed_count; i++)
        if (strcmp(unit->explanation.keyed[i].key, key) == 0)
            return &unit->explanation.keyed[i];
    return NULL;
}

static void read_explanation(loader *ld, json_t *root, bp_explanation *ex)
{
    json_t *v = bp_jr_member(&ld->jr, root, "explanation", true, "单位预算信息公开情况说明");
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&ld->jr, "explanation");
    if (bp_jr_expect_object(&ld->jr, v, "an object with \"preface\" and \"sections\"")) {
        static const char *const keys[] = {"preface", "sections"};
        bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
        ex->preface = read_text(ld, v, "preface", false);
        json_t *sections =
            bp_jr_member(&ld->jr, v, "sections", true, "an object of sections by key");
        size_t sm = bp_jr_push_key(&ld->jr, "sections");
        if (sections && bp_jr_expect_object(&ld->jr, sections, "an object of sections by key")) {
            if (ld->kind) {
                read_keyed_sections(ld, sections, ex);
                bp_jr_pop(&ld->jr, sm);
                bp_jr_pop(&ld->jr, mark);
                return;
            }
            const char *section_keys[BP_SEC__COUNT];
            for (int i = 0; i < BP_SEC__COUNT; i++)
                section_keys[i] = bp_section_key((bp_section_id)i);
            bp_jr_check_keys(&ld->jr, sections, section_keys, BP_SEC__COUNT);
            for (int i = 0; i < BP_SEC__COUNT; i++) {
                json_t *s = json_object_get(sections, section_keys[i]);
                if (!s)
                    continue;
                size_t im = bp_jr_push_key(&ld->jr, section_keys[i]);
                read_section(ld, s, &ex->sections[i]);
                ex->sections[i].key = section_keys[i];
                bp_jr_pop(&ld->jr, im);
            }
        }
        bp_jr_pop(&ld->jr, sm);
    }
    bp_jr_pop(&ld->jr, mark);
}

/* ---- Structured parts ---- */

static void read_organisations(loader *ld, json_t *root, bp_unit *unit)
{
    static const record_kind builtin = RECORD_KIND(organisation_fields, "an organisation row");
    static const record_kind of_kind = RECORD_KIND(kind_organisation_fields, "an organisation row");
    void *items;
    unit->has_organisations = read_array(
        ld, root, "organisations", false, "an array of organisation rows", sizeof(bp_organisation),
        read_record_element, ld->kind ? &of_kind : &builtin, &items, &unit->organisation_count);
    unit->organisations = items;
}

static void read_target_element(loader *ld, json_t *v, void *element, const void *ctx)
{
    bp_target *target = element;
    if (!bp_jr_expect_object(&ld->jr, v, "a target object with \"target\" and \"indicators\""))
        return;
    static const char *const keys[] = {"target", "indicators"};
    bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
    target->target = read_text(ld, v, "target", true);
    read_text_list(ld, v, "indicators", true, &target->indicators, &target->indicator_count);
}

static void read_group_element(loader *ld, json_t *v, void *element, const void *ctx)
{
    bp_target_group *group = element;
    if (!bp_jr_expect_object(&ld->jr, v, "a group object with \"title\" and \"targets\""))
        return;
    static const char *const keys[] = {"title", "targets"};
    bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
    group->title = read_text(ld, v, "title", true);
    void *targets;
    read_array(ld, v, "targets", true, "an array of targets", sizeof(bp_target),
               read_target_element, NULL, &targets, &group->target_count);
    group->targets = targets;
}

static void read_project_element(loader *ld, json_t *v, void *element, const void *ctx)
{
    bp_project *project = element;
    project->amount = bp_amount_blank();
    if (!bp_jr_expect_object(&ld->jr, v, "a 绩效目标表 object"))
        return;
    static const char *const keys[] = {"name", "amount", "classified", "targets", "indicators"};
    bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
    project->name = read_text(ld, v, "name", true);
    project->amount = read_amount(ld, v, "amount", false);
    json_t *classified = bp_jr_member(&ld->jr, v, "classified", false, "");
    if (classified) {
        size_t mark = bp_jr_push_key(&ld->jr, "classified");
        if (json_is_boolean(classified))
            project->classified = json_is_true(classified);
        else
            bp_jr_expected(&ld->jr, "true or false", classified);
        bp_jr_pop(&ld->jr, mark);
    }
    read_text_list(ld, v, "targets", true, &project->targets, &project->target_count);
    static const record_kind kind = RECORD_KIND(indicator_fields, "an indicator row");
    void *indicators;
    read_array(ld, v, "indicators", true, "an array of indicator rows", sizeof(bp_indicator),
               read_record_element, &kind, &indicators, &project->indicator_count);
    project->indicators = indicators;
}

static void read_performance(loader *ld, json_t *root, bp_performance *perf)
{
    json_t *v = bp_jr_member(&ld->jr, root, "performance", false, "");
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&ld->jr, "performance");
    if (bp_jr_expect_object(&ld->jr, v, "an object with the performance targets")) {
        static const char *const keys[] = {"overall", "itemised", "safeguards", "special_funds",
                                           "projects"};
        bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
        perf->present = true;
        perf->overall = read_text(ld, v, "overall", false);
        void *p;
        read_array(ld, v, "itemised", false, "an array of target groups", sizeof(bp_target_group),
                   read_group_element, NULL, &p, &perf->group_count);
        perf->groups = p;
        static const record_kind safeguard = RECORD_KIND(safeguard_fields, "a safeguard object");
        read_array(ld, v, "safeguards", false, "an array of safeguards", sizeof(bp_safeguard),
                   read_record_element, &safeguard, &p, &perf->safeguard_count);
        perf->safeguards = p;
        perf->special_funds = read_text(ld, v, "special_funds", false);
        read_array(ld, v, "projects", false, "an array of 绩效目标表", sizeof(bp_project),
                   read_project_element, NULL, &p, &perf->project_count);
        perf->projects = p;
    }
    bp_jr_pop(&ld->jr, mark);
}

static const bp_column procurement_column_ids[] = {
    BP_COL_TOTAL,           BP_COL_GENERAL_BUDGET, BP_COL_GOV_FUND,         BP_COL_STATE_CAPITAL,
    BP_COL_SPECIAL_ACCOUNT, BP_COL_UNIT_FUNDS,     BP_COL_FISCAL_CARRYOVER,
};
static const bp_columns procurement_columns = {procurement_column_ids,
                                               (int)COUNT_OF(procurement_column_ids)};

static void read_procurement_element(loader *ld, json_t *v, void *element, const void *ctx)
{
    bp_procurement_row *row = element;
    if (!bp_jr_expect_object(&ld->jr, v, "a procurement row object"))
        return;
    static const char *const keys[] = {"project",        "project_budget", "item",
                                       "catalogue_code", "measure_unit",   "quantity",
                                       "unit_price",     "amounts",        "sme_reserve"};
    bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
    row->project = read_text(ld, v, "project", true);
    row->project_budget = read_amount(ld, v, "project_budget", false);
    row->item = read_text(ld, v, "item", true);
    row->catalogue_code = read_text(ld, v, "catalogue_code", false);
    row->measure_unit = read_text(ld, v, "measure_unit", false);
    row->quantity = read_amount(ld, v, "quantity", false);
    row->unit_price = read_amount(ld, v, "unit_price", false);
    read_amounts(ld, v, "amounts", false, &row->amounts, &procurement_columns);
    row->sme_reserve = read_amount(ld, v, "sme_reserve", false);
}

static void read_procurement(loader *ld, json_t *root, bp_procurement *proc)
{
    proc->total = bp_amount_blank();
    json_t *v = bp_jr_member(&ld->jr, root, "procurement", false, "");
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&ld->jr, "procurement");
    if (bp_jr_expect_object(&ld->jr, v, "an object with the procurement rows")) {
        static const char *const keys[] = {"total", "rows", "notes"};
        bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
        proc->present = true;
        proc->total = read_amount(ld, v, "total", false);
        void *rows;
        read_array(ld, v, "rows", true, "an array of procurement rows", sizeof(bp_procurement_row),
                   read_procurement_element, NULL, &rows, &proc->row_count);
        proc->rows = rows;
        read_text_list(ld, v, "notes", false, &proc->notes, &proc->note_count);
    }
    bp_jr_pop(&ld->jr, mark);
}

static void read_asset_element(loader *ld, json_t *v, void *element, const void *ctx)
{
    bp_asset_row *row = element;
    row->quantity = bp_amount_blank();
    row->value = bp_amount_blank();
    if (!bp_jr_expect_object(&ld->jr, v, "an asset row object"))
        return;
    static const char *const keys[] = {"name", "measure_unit", "quantity", "value"};
    bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
    row->name = read_text(ld, v, "name", true);
    row->measure_unit = read_text(ld, v, "measure_unit", false);
    row->quantity = read_amount(ld, v, "quantity", false);
    row->value = read_amount(ld, v, "value", true);
}

static void read_assets(loader *ld, json_t *root, bp_assets *assets)
{
    assets->total_quantity = bp_amount_blank();
    assets->total_value = bp_amount_blank();
    assets->planned_purchases = bp_amount_blank();
    json_t *v = bp_jr_member(&ld->jr, root, "assets", false, "");
    if (!v)
        return;
    size_t mark = bp_jr_push_key(&ld->jr, "assets");
    if (bp_jr_expect_object(&ld->jr, v, "an object with the fixed assets")) {
        static const char *const keys[] = {"as_of", "total", "rows", "planned_purchases"};
        bp_jr_check_keys(&ld->jr, v, keys, COUNT_OF(keys));
        assets->present = true;
        assets->as_of = read_date(ld, v, "as_of", true);
        json_t *total = bp_jr_member(&ld->jr, v, "total", true, "{\"value\": …}");
        size_t tm = bp_jr_push_key(&ld->jr, "total");
        if (total && bp_jr_expect_object(&ld->jr, total,
                                         "an object with \"value\" and optional \"quantity\"")) {
            static const char *const total_keys[] = {"quantity", "value"};
            bp_jr_check_keys(&ld->jr, total, total_keys, COUNT_OF(total_keys));
            assets->total_quantity = read_amount(ld, total, "quantity", false);
            assets->total_value = read_amount(ld, total, "value", true);
        }
        bp_jr_pop(&ld->jr, tm);
        void *rows;
        read_array(ld, v, "rows", true, "an array of asset rows", sizeof(bp_asset_row),
                   read_asset_element, NULL, &rows, &assets->row_count);
        assets->rows = rows;
        assets->planned_purchases = read_amount(ld, v, "planned_purchases", false);
    }
    bp_jr_pop(&ld->jr, mark);
}

static void read_glossary(loader *ld, json_t *root, bp_unit *unit)
{
    static const record_kind kind = RECORD_KIND(glossary_fields, "a glossary entry");
    void *items;
    unit->has_glossary = read_array(ld, root, "glossary", false, "an array of glossary entries",
                                    sizeof(bp_glossary_entry), read_record_element, &kind, &items,
                                    &unit->glossary_count);
    unit->glossary = items;
}

/* ---- The whole unit ---- */

static void read_unit(loader *ld, json_t *root, bp_unit *unit)
{
    if (!bp_jr_expect_object(&ld->jr, root,
                             "a unit object {\"format\": \"budgetpress.unit/1\", …}"))
        return;
    static const char *const keys[] = {
        "format",        "kind",        "unit",        "previous_year", "tables",  "explanation",
        "organisations", "performance", "procurement", "assets",        "glossary"};
    bp_jr_check_keys(&ld->jr, root, keys, COUNT_OF(keys));
    json_t *format = bp_jr_member(&ld->jr, root, "format", true, "\"" BP_MODEL_FORMAT "\"");
    if (format) {
        static const char *const formats[] = {BP_MODEL_FORMAT};
        size_t mark = bp_jr_push_key(&ld->jr, "format");
        bp_jr_choice(&ld->jr, format, formats, COUNT_OF(formats));
        bp_jr_pop(&ld->jr, mark);
    }
    unit->kind_name = read_text(ld, root, "kind", false);
    unit->kind = ld->kind;
    if (ld->kind && (!unit->kind_name || strcmp(unit->kind_name, ld->kind->id) != 0)) {
        /* Its tables would be read against another template's: name the mismatch instead. */
        size_t mark = bp_jr_push_key(&ld->jr, "kind");
        if (unit->kind_name)
            bp_jr_report(&ld->jr, "the unit is of the kind \"%s\", the layout of \"%s\" (%s)",
                         unit->kind_name, ld->kind->id, ld->kind->name);
        else
            bp_jr_report(&ld->jr,
                         "missing \"kind\": the layout is of the kind \"%s\" (%s); a "
                         "unit of it says \"kind\": \"%s\"",
                         ld->kind->id, ld->kind->name, ld->kind->id);
        bp_jr_pop(&ld->jr, mark);
        return;
    }
    read_unit_info(ld, root, &unit->info);
    read_previous_year(ld, root, unit->previous_year);
    if (ld->kind)
        read_data_tables(ld, root, unit);
    else
        read_tables(ld, root, unit);
    read_explanation(ld, root, &unit->explanation);
    read_organisations(ld, root, unit);
    read_performance(ld, root, &unit->performance);
    read_procurement(ld, root, &unit->procurement);
    read_assets(ld, root, &unit->assets);
    read_glossary(ld, root, unit);
}

int bp_unit_load_buffer(const char *data, size_t size, const char *name, bp_unit **out,
                        bp_diags *diags)
{
    return bp_unit_load_buffer_of_kind(data, size, name, NULL, out, diags);
}

int bp_unit_load_buffer_of_kind(const char *data, size_t size, const char *name,
                                const bp_kind *kind, bp_unit **out, bp_diags *diags)
{
    *out = NULL;
    json_t *root = bp_jr_parse(data, size, name, diags);
    if (!root)
        return -1;
    bp_unit *unit = bp_unit_new(name);
    if (!unit) {
        json_decref(root);
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, name, 0, 0, NULL, "out of memory");
        return -1;
    }
    loader ld = {.jr = {.diags = diags, .file = name}, .arena = unit->arena, .kind = kind};
    read_unit(&ld, root, unit);
    json_decref(root);
    if (ld.jr.out_of_memory || ld.jr.path.failed)
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, name, 0, 0, NULL,
                     "out of memory while reading the unit");
    bool failed = ld.jr.errors > 0 || ld.jr.out_of_memory || ld.jr.path.failed;
    bp_strbuf_free(&ld.jr.path);
    if (failed) {
        bp_unit_destroy(unit);
        return -1;
    }
    *out = unit;
    return 0;
}

int bp_unit_load_file(const char *path, bp_unit **out, bp_diags *diags)
{
    return bp_unit_load_file_of_kind(path, NULL, out, diags);
}

int bp_unit_load_file_of_kind(const char *path, const bp_kind *kind, bp_unit **out, bp_diags *diags)
{
    *out = NULL;
    bp_strbuf content = BP_STRBUF_INIT;
    if (bp_jr_read_file(path, &content, diags) != 0)
        return -1;
    int rc = bp_unit_load_buffer_of_kind(content.data, content.len, path, kind, out, diags);
    bp_strbuf_free(&content);
    return rc;
}

/* The end of the JSON string that starts at s[at] (its closing quote), or size. */
static size_t string_end(const char *s, size_t size, size_t at)
{
    for (size_t i = at + 1; i < size; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i;
    }
    return size;
}

static size_t skip_space(const char *s, size_t size, size_t i)
{
    while (i < size && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* A scan of the text rather than a parse: a unit of 5,000 rows is 3 MB of JSON, and the kind
 * stands near its top. Strings are skipped whole; only a key of the top-level object is looked
 * at. A text that is not JSON gives no kind, and its load says why. */
int bp_unit_peek_kind(const char *data, size_t size, char **out)
{
    *out = NULL;
    size_t i = size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    int depth = 0;
    bool key_next = false;
    for (; i < size; i++) {
        char c = data[i];
        if (c == '{' || c == '[') {
            depth++;
            key_next = c == '{' && depth == 1;
        } else if (c == '}' || c == ']') {
            depth--;
        } else if (c == ',') {
            key_next = depth == 1;
        } else if (c == '"') {
            size_t end = string_end(data, size, i);
            if (end == size)
                return -1;
            bool is_kind = key_next && end - i - 1 == 4 && memcmp(data + i + 1, "kind", 4) == 0;
            key_next = false;
            i = end;
            if (!is_kind)
                continue;
            size_t v = skip_space(data, size, skip_space(data, size, end + 1) + 1);
            if (v >= size || data[v] != '"' || data[skip_space(data, size, end + 1)] != ':')
                return 0;
            size_t v_end = string_end(data, size, v);
            if (v_end == size)
                return -1;
            /* An escape in the name: let jansson read the string. */
            json_t *name = json_loadb(data + v, v_end - v + 1, JSON_DECODE_ANY, NULL);
            int rc = 0;
            if (json_is_string(name) && json_string_length(name) > 0) {
                *out = strdup(json_string_value(name));
                rc = *out ? 0 : -1;
            }
            json_decref(name);
            return rc;
        }
    }
    return 0;
}

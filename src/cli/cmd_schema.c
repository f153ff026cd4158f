/*
 * cmd_schema.c: `budgetpress schema KIND`: the JSON Schema (draft 2020-12) of the units of a
 * kind, for editors: every table of the kind by id with its row shape, each row's amounts by
 * the kind's column keys with the form of their type, each lines table's lines by key. The
 * same contract as the loader reads (src/model/load.c), so a file the schema accepts is one
 * the loader reads; tests/cli/test_schema.sh holds both to it.
 */
#include <stdio.h>
#include <string.h>

#include "budgetpress/kind.h"
#include "../util/outfile.h"
#include "cli.h"

static const char schema_help[] =
    "usage: budgetpress schema KIND [-o FILE]\n"
    "\n"
    "Writes the JSON Schema of the units of a kind: KIND is the kind a unit names (\"kind\":\n"
    "\"shanghai-2024-final\" is layouts/shanghai-2024-final.json) or a layout file. An editor\n"
    "given the schema completes the kind's table ids, column keys and line keys, and marks an\n"
    "amount that is not one. The built-in 2022 kind's schema is schema/unit.schema.json.\n"
    "\n"
    "Options:\n"
    "  -o FILE   write to FILE (atomically) instead of standard output\n"
    "\n"
    "Exit status: 0 written, 2 the kind cannot be read.\n";

static json_t *text_schema(const char *description)
{
    return json_pack("{s:s, s:s, s:i, s:s}", "description", description, "type", "string",
                     "minLength", 1, "pattern", "^[^\\u0000-\\u001f]*\\S[^\\u0000-\\u001f]*$");
}

/* The form of a value of the column's type, as the loader reads it. */
static json_t *value_schema(const bp_kind_table *t, const bp_kind_column *column)
{
    const char *pattern = NULL, *description = NULL;
    switch (column->type) {
    case BP_VALUE_AMOUNT:
        pattern = t->decimals == 0 ? "^-?[0-9]{1,15}(\\.00?)?$" : "^-?[0-9]{1,15}(\\.[0-9]{1,2})?$";
        description =
            t->decimals == 0 ? "a whole amount, like \"1200\"" : "an amount, like \"31.00\"";
        break;
    case BP_VALUE_PERCENT:
        pattern = "^-?[0-9]{1,15}(\\.[0-9]{1,2})?%?$";
        description = "a percentage, like \"12.50\" or \"12.50%\"";
        break;
    case BP_VALUE_COUNT:
        pattern = "^-?[0-9]{1,15}(\\.00?)?$";
        description = "a whole number, like \"12\"";
        break;
    case BP_VALUE_TEXT:
        return json_pack("{s:[o,s]}", "anyOf", text_schema("a text"), "null");
    }
    return json_pack("{s:s, s:[{s:s, s:s}, {s:s}]}", "description", description, "anyOf", "type",
                     "string", "pattern", pattern, "type", "null");
}

/* {"key": value, …} over the given columns, nothing else. */
static json_t *amounts_schema(const bp_kind_table *t, const bp_kind_column *columns, size_t count)
{
    json_t *props = json_object();
    for (size_t i = 0; props && i < count; i++) {
        json_t *v = value_schema(t, &columns[i]);
        if (v)
            json_object_set_new(props, columns[i].key, v);
    }
    return json_pack("{s:s, s:s, s:o, s:b}", "description", "values by column key", "type",
                     "object", "properties", props, "additionalProperties", 0);
}

static json_t *code_schema(bp_kind_codes codes)
{
    const char *pattern = codes == BP_KIND_CODES_FUNCTION ? "^([0-9]{3}|[0-9]{5}|[0-9]{7})$"
                                                          : "^([0-9]{3}|[0-9]{5})$";
    return json_pack("{s:s, s:s, s:s}", "description", "the classification code (科目编码)", "type",
                     "string", "pattern", pattern);
}

static json_t *ledger_schema(const bp_kind_table *t)
{
    json_t *row = json_pack("{s:s, s:{s:o, s:o}, s:[s], s:b}", "type", "object", "properties",
                            "name", text_schema("the row's name (科目名称)"), "amounts",
                            amounts_schema(t, t->columns, t->column_count), "required", "name",
                            "additionalProperties", 0);
    if (row && t->codes != BP_KIND_CODES_NONE) {
        json_object_set_new(json_object_get(row, "properties"), "code", code_schema(t->codes));
        json_array_append_new(json_object_get(row, "required"), json_string("code"));
    }
    json_t *total = amounts_schema(t, t->columns, t->column_count);
    if (total)
        json_object_set_new(total, "description", json_string("the 合计 row's values"));
    return json_pack("{s:s, s:{s:o, s:{s:s, s:s, s:o}, s:o}, s:[s], s:b}", "type", "object",
                     "properties", "total", total, "rows", "description",
                     "the rows in printed order", "type", "array", "items", row, "note",
                     text_schema("the note under the table"), "required", "rows",
                     "additionalProperties", 0);
}

static json_t *lines_schema(const bp_kind_table *t)
{
    json_t *props = json_pack("{s:o}", "note", text_schema("the note under the table"));
    for (size_t s = 0; props && s < t->side_count; s++) {
        const bp_kind_side *side = &t->sides[s];
        json_t *lines = json_object();
        for (size_t i = 0; lines && i < side->line_count; i++) {
            json_t *line = amounts_schema(t, side->columns, side->column_count);
            if (line)
                json_object_set_new(line, "description", json_string(side->lines[i].label));
            json_object_set_new(lines, side->lines[i].key, line);
        }
        char description[160];
        snprintf(description, sizeof description, "the %s side's lines by key", side->key);
        json_object_set_new(props, side->key,
                            json_pack("{s:s, s:s, s:o, s:b}", "description", description, "type",
                                      "object", "properties", lines, "additionalProperties", 0));
    }
    return json_pack("{s:s, s:o, s:b}", "type", "object", "properties", props,
                     "additionalProperties", 0);
}

static json_t *table_schema(const bp_kind_table *t)
{
    json_t *schema =
        t->rows == BP_ROWS_LEDGER ? ledger_schema(t)
        : t->rows == BP_ROWS_LINES
            ? lines_schema(t)
            : json_pack("{s:s, s:{s:o, s:o}, s:b}", "type", "object", "properties", "amounts",
                        amounts_schema(t, t->columns, t->column_count), "note",
                        text_schema("the note under the table"), "additionalProperties", 0);
    if (schema)
        json_object_set_new(schema, "description", json_string(t->title));
    return schema;
}

static json_t *kind_schema(const bp_kind *kind)
{
    json_t *tables = json_object(), *required = json_array();
    for (size_t i = 0; tables && required && i < kind->table_count; i++) {
        json_object_set_new(tables, kind->tables[i].id, table_schema(&kind->tables[i]));
        json_array_append_new(required, json_string(kind->tables[i].id));
    }
    json_t *block = json_pack(
        "{s:s, s:[{s:{s:o, s:{s:s, s:i, s:i}}, s:[s]}, {s:{s:o}, s:[s]}, {s:{s:{s:s}, "
        "s:o}, s:[s]}, {s:{s:{s:s}}, s:[s]}]}",
        "description", "a block: a heading, a paragraph, a list or an included part", "anyOf",
        "properties", "heading", text_schema("a heading"), "level", "type", "integer", "minimum", 1,
        "maximum", 3, "required", "heading", "properties", "paragraph", text_schema("a paragraph"),
        "required", "paragraph", "properties", "list", "type", "array", "numbering",
        json_pack("{s:[s,s,s,s,s,s]}", "enum", "1、", "1.", "（1）", "一、", "（一）", "none"),
        "required", "list", "properties", "include", "type", "string", "required", "include");
    json_t *section =
        json_pack("{s:s, s:{s:o, s:{s:s, s:o}}, s:[s]}", "type", "object", "properties", "title",
                  text_schema("the section's title, unless the layout gives one"), "blocks", "type",
                  "array", "items", block, "required", "blocks");
    json_t *unit = json_pack(
        "{s:s, s:s, s:{s:{s:s, s:s, s:s}, s:o, s:{s:s, s:s, s:i, s:i}, s:{s:s, s:[s,s]}, s:o, "
        "s:{s:s, s:s, s:s}}, s:[s,s,s,s], s:b}",
        "description", "the unit: code, name, year, money unit", "type", "object", "properties",
        "code", "description", "单位编码", "type", "string", "pattern", "^[0-9]{1,12}$", "name",
        text_schema("单位名称"), "budget_year", "description", "预算年度", "type", "integer",
        "minimum", 2000, "maximum", 2100, "money_unit", "description", "the money unit of the text",
        "enum", "万元", "元", "region", text_schema("the region"), "publish_date", "description",
        "the date of publication", "type", "string", "pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "required", "code", "name", "budget_year", "money_unit", "additionalProperties", 0);
    char title[512];
    snprintf(title, sizeof title, "A unit of the kind %s (%s)", kind->id, kind->name);
    json_t *schema = json_pack(
        "{s:s, s:s, s:s, s:{s:{s:s}, s:{s:s}, s:o, s:{s:s, s:s, s:o, s:b}, s:{s:s, s:s, "
        "s:{s:o}}}, s:[s,s,s,s,s]}",
        "$schema", "https://json-schema.org/draft/2020-12/schema", "title", title, "type", "object",
        "properties", "format", "const", "budgetpress.unit/1", "kind", "const", kind->id, "unit",
        unit, "tables", "description", "the kind's tables by id", "type", "object", "properties",
        tables, "additionalProperties", 0, "explanation", "description", "the text parts", "type",
        "object", "properties", "sections",
        json_pack("{s:s, s:s, s:{s:o}, s:b}", "description", "sections by key", "type", "object",
                  "patternProperties", "^[a-z0-9_]+$", section, "additionalProperties", 0),
        "required", "format", "kind", "unit", "tables", "explanation");
    /* Every table of the kind is required, as the loader requires it. */
    json_t *tables_schema = json_object_get(json_object_get(schema, "properties"), "tables");
    if (tables_schema && required)
        json_object_set_new(tables_schema, "required", required);
    else
        json_decref(required);
    return schema;
}

/* Writes the schema to FILE through a temporary renamed into place, or to standard output. */
static int write_schema(json_t *schema, const char *output)
{
    bp_outfile out;
    bp_diags diags = BP_DIAGS_INIT;
    FILE *stream = NULL;
    int status = BP_EXIT_UNUSABLE;
    if (bp_outfile_open(&out, output ? output : "-", "the schema", &diags) == 0) {
        stream = bp_outfile_stream(&out);
        bool ok = stream && json_dumpf(schema, stream, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 &&
                  fputc('\n', stream) != EOF;
        if (stream)
            bp_outfile_end_stream(&out, stream);
        if (ok && bp_outfile_commit(&out, "the schema", &diags) == 0)
            status = BP_EXIT_OK;
        else if (!ok)
            bp_outfile_abort(&out);
    }
    for (size_t i = 0; i < diags.count; i++)
        bp_diag_print(stderr, &diags.items[i]);
    bp_diags_clear(&diags);
    return status;
}

/* KIND: a layout file, or the id of one in the data folder's layouts/. */
static void kind_path(const char *kind, char *buffer, size_t size)
{
    if (strchr(kind, '/') || strstr(kind, ".json"))
        snprintf(buffer, size, "%s", kind);
    else
        snprintf(buffer, size, "%s/layouts/%s.json", bp_cli_data_dir(), kind);
}

static int run_schema(int argc, char **argv)
{
    const char *kind_name = NULL, *output = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            output = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1])
            return bp_cli_usage_error("schema", "unknown option %s", argv[i]);
        else if (kind_name)
            return bp_cli_usage_error("schema", "one kind at a time (%s and %s)", kind_name,
                                      argv[i]);
        else
            kind_name = argv[i];
    }
    if (!kind_name)
        return bp_cli_usage_error("schema", "no kind given");
    char path[4096];
    kind_path(kind_name, path, sizeof path);
    bp_kind *kind = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    int rc = bp_kind_load_file(path, &kind, &diags);
    bp_cli_print_diags(stderr, &diags, bp_cli_limit_for(stderr, -1), NULL);
    bp_diags_clear(&diags);
    if (rc != 0)
        return BP_EXIT_UNUSABLE;
    if (!kind) {
        fprintf(stderr,
                "budgetpress schema: %s declares no kind: it is the built-in 2022 kind, whose "
                "schema is schema/unit.schema.json\n",
                path);
        return BP_EXIT_UNUSABLE;
    }
    json_t *schema = kind_schema(kind);
    int status = schema ? write_schema(schema, output) : BP_EXIT_UNUSABLE;
    if (!schema)
        fputs("budgetpress schema: out of memory\n", stderr);
    json_decref(schema);
    bp_kind_destroy(kind);
    return status;
}

const bp_command bp_command_schema = {"schema", "Write the JSON Schema of a kind's units",
                                      schema_help, run_schema};

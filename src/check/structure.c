/*
 * structure.c: the structural rules of `budgetpress check`: classification codes and their
 * hierarchy, totals present where rows are, every section and structured part in place.
 *
 * These rules look at shape, not arithmetic; sums are arith.c's. They read the model only, so
 * they run in microseconds and are safe on any thread.
 */
#include "budgetpress/check.h"

#include <stdarg.h>
#include <string.h>

#include "../util/util.h"
#include "check_int.h"

typedef struct checker {
    const bp_unit *unit;
    bp_diags *diags;
    size_t errors;
} checker;

static void finding(checker *ck, bp_severity severity, const char *rule, const char *path,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void finding(checker *ck, bp_severity severity, const char *rule, const char *path,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bp_diags_vadd(ck->diags, severity, rule, ck->unit->source, 0, 0, path, fmt, ap);
    va_end(ap);
    if (severity == BP_SEVERITY_ERROR)
        ck->errors++;
}

/* ---- Ledgers ---- */

static bool code_length_fits(bp_code_scheme scheme, size_t len)
{
    if (scheme == BP_CODES_ECONOMIC)
        return len == 3 || len == 5;
    return len == 3 || len == 5 || len == 7;
}

static const char *level_name(bp_level level)
{
    switch (level) {
    case BP_LEVEL_CLASS:
        return "类";
    case BP_LEVEL_ITEM:
        return "款";
    case BP_LEVEL_SUBITEM:
        return "项";
    default:
        return "?";
    }
}

/* Walks the rows keeping the last 类 and 款 seen: each 款 must sit under the 类 it starts with,
 * each 项 under its 款, and siblings must ascend, as the official tables print them. */
static void check_ledger_rows(checker *ck, const bp_table_spec *spec, const bp_ledger *ledger)
{
    const char *parent[4] = {NULL, NULL, NULL, NULL}; /* last code seen at each level */
    char path[160];
    for (size_t i = 0; i < ledger->row_count; i++) {
        const bp_row *row = &ledger->rows[i];
        snprintf(path, sizeof path, "tables.%s.rows[%zu]", spec->key, i);
        size_t len = strlen(row->code);
        if (!code_length_fits(spec->scheme, len)) {
            finding(ck, BP_SEVERITY_ERROR, "CODE", path,
                    "%s %s %s: a %s code has %s digits, not %zu", spec->title, row->code, row->name,
                    spec->scheme == BP_CODES_ECONOMIC ? "经济分类" : "功能分类",
                    spec->scheme == BP_CODES_ECONOMIC ? "3 or 5" : "3, 5 or 7", len);
            continue;
        }
        bp_level level = bp_code_level(row->code);
        if (level > BP_LEVEL_CLASS) {
            const char *up = parent[level - 1];
            size_t up_len = level == BP_LEVEL_ITEM ? 3 : 5;
            if (!up || strncmp(up, row->code, up_len) != 0)
                finding(ck, BP_SEVERITY_ERROR, "ORDER", path,
                        "%s %s %s: this %s stands under no %s %.*s above it", spec->title,
                        row->code, row->name, level_name(level), level_name(level - 1), (int)up_len,
                        row->code);
        }
        const char *previous = parent[level];
        bool same_parent =
            previous && (level == BP_LEVEL_CLASS ||
                         strncmp(previous, row->code, level == BP_LEVEL_ITEM ? 3 : 5) == 0);
        if (same_parent && strcmp(previous, row->code) >= 0)
            finding(ck, BP_SEVERITY_ERROR, strcmp(previous, row->code) == 0 ? "DUPLICATE" : "ORDER",
                    path, "%s %s %s: %s after %s; rows stand in ascending code order, once each",
                    spec->title, row->code, row->name,
                    strcmp(previous, row->code) == 0 ? "repeats the code" : "comes", previous);
        parent[level] = row->code;
        for (int deeper = (int)level + 1; deeper <= BP_LEVEL_SUBITEM; deeper++)
            parent[deeper] = NULL;
    }
}

static void check_ledger(checker *ck, bp_table_id id)
{
    const bp_table_spec *spec = bp_table_spec_get(id);
    const bp_ledger *ledger = bp_unit_ledger(ck->unit, id);
    char path[96];
    snprintf(path, sizeof path, "tables.%s", spec->key);
    if (ledger->row_count > 0 && !ledger->has_total)
        finding(ck, BP_SEVERITY_ERROR, "TOTAL", path, "%s has rows but no 合计 (\"total\")",
                spec->title);
    if (ledger->row_count == 0 && !ledger->note)
        finding(ck, BP_SEVERITY_WARNING, "EMPTY", path,
                "%s has no rows and no note; an empty table prints a note such as "
                "\"无…预算，空表列示。\"",
                spec->title);
    check_ledger_rows(ck, spec, ledger);
}

/* Expense lines of the two-sided tables are function 类: three digits, each once. */
static void check_side_codes(checker *ck, const bp_table_spec *spec, const bp_side *side)
{
    char path[128];
    for (size_t i = 0; i < side->line_count; i++) {
        const bp_row *line = &side->lines[i];
        if (!line->code)
            continue;
        snprintf(path, sizeof path, "tables.%s.expense.lines[%zu]", spec->key, i);
        if (strlen(line->code) != 3)
            finding(ck, BP_SEVERITY_ERROR, "CODE", path,
                    "%s %s %s: an expense line carries a 功能分类 类 code of 3 digits", spec->title,
                    line->code, line->name);
        for (size_t j = 0; j < i; j++)
            if (side->lines[j].code && strcmp(side->lines[j].code, line->code) == 0)
                finding(ck, BP_SEVERITY_ERROR, "DUPLICATE", path,
                        "%s %s %s: the code also stands at line %zu", spec->title, line->code,
                        line->name, j);
    }
}

/* ---- Explanation and parts ---- */

static bool part_present(const bp_unit *unit, bp_part part)
{
    switch (part) {
    case BP_PART_ORGANISATIONS:
        return unit->has_organisations;
    case BP_PART_PERFORMANCE:
        return unit->performance.present;
    case BP_PART_PROCUREMENT:
        return unit->procurement.present;
    case BP_PART_ASSETS:
        return unit->assets.present;
    case BP_PART_GLOSSARY:
        return unit->has_glossary;
    default:
        return false;
    }
}

static void check_sections(checker *ck)
{
    const bp_explanation *ex = &ck->unit->explanation;
    bool included[BP_PART__COUNT] = {false};
    char path[128];
    for (int s = 0; s < BP_SEC__COUNT; s++) {
        const bp_section *section = &ex->sections[s];
        if (!section->present) {
            snprintf(path, sizeof path, "explanation.sections");
            finding(ck, BP_SEVERITY_WARNING, "SECTION", path,
                    "section \"%s\" (%s) is missing; the official document has all nine",
                    bp_section_key((bp_section_id)s), bp_section_official_title((bp_section_id)s));
            continue;
        }
        for (size_t b = 0; b < section->block_count; b++) {
            const bp_block *block = &section->blocks[b];
            if (block->kind != BP_BLOCK_INCLUDE)
                continue;
            snprintf(path, sizeof path, "explanation.sections.%s.blocks[%zu]",
                     bp_section_key((bp_section_id)s), b);
            if (included[block->part])
                finding(ck, BP_SEVERITY_ERROR, "INCLUDE", path,
                        "\"%s\" is included twice; it would print twice", bp_part_key(block->part));
            else if (!part_present(ck->unit, block->part))
                finding(ck, BP_SEVERITY_ERROR, "INCLUDE", path,
                        "includes \"%s\", but the unit has no \"%s\"", bp_part_key(block->part),
                        bp_part_key(block->part));
            included[block->part] = true;
        }
    }
    for (int p = 0; p < BP_PART__COUNT; p++)
        if (part_present(ck->unit, (bp_part)p) && !included[p])
            finding(ck, BP_SEVERITY_WARNING, "INCLUDE", bp_part_key((bp_part)p),
                    "the unit has \"%s\", but no section includes it, so it is not printed",
                    bp_part_key((bp_part)p));
}

static bool is_known_level1(const char *level1)
{
    static const char *const known[] = {"产出指标", "效益指标", "满意度指标", "成本指标"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(level1, known[i]) == 0)
            return true;
    return false;
}

static void check_projects(checker *ck)
{
    const bp_performance *perf = &ck->unit->performance;
    char path[128];
    for (size_t p = 0; p < perf->project_count; p++) {
        const bp_project *project = &perf->projects[p];
        snprintf(path, sizeof path, "performance.projects[%zu]", p);
        if (project->indicator_count == 0)
            finding(ck, BP_SEVERITY_ERROR, "INDICATOR", path, "绩效目标表 %s has no indicator rows",
                    project->name);
        if (project->target_count == 0)
            finding(ck, BP_SEVERITY_ERROR, "INDICATOR", path, "绩效目标表 %s has no 绩效目标",
                    project->name);
        for (size_t i = 0; i < project->indicator_count; i++) {
            const bp_indicator *ind = &project->indicators[i];
            if (is_known_level1(ind->level1))
                continue;
            snprintf(path, sizeof path, "performance.projects[%zu].indicators[%zu].level1", p, i);
            finding(ck, BP_SEVERITY_WARNING, "INDICATOR", path,
                    "绩效目标表 %s: 一级指标 \"%s\" is none of 产出指标, 效益指标, 满意度指标, "
                    "成本指标",
                    project->name, ind->level1);
        }
    }
}

size_t bp_check_unit(const bp_unit *unit, bp_diags *diags)
{
    if (unit->kind) /* the built-in nine and their sections are not this unit's; the text's
                       figures are its kind's */
        return bp_check_kind_rules(unit, diags) + bp_check_refs(unit, diags) +
               bp_check_narrative(unit, diags) + bp_check_indicator_values(unit, diags);
    checker ck = {unit, diags, 0};
    bool misshapen[BP_TABLE__COUNT] = {false};
    for (int t = 0; t < BP_TABLE__COUNT; t++) {
        const bp_table_spec *spec = bp_table_spec_get((bp_table_id)t);
        size_t before = ck.errors;
        if (spec->shape == BP_SHAPE_LEDGER)
            check_ledger(&ck, spec->id);
        else if (spec->shape == BP_SHAPE_TWO_SIDED)
            check_side_codes(&ck, spec, &bp_unit_two_sided(unit, spec->id)->expense);
        misshapen[t] = ck.errors > before;
    }
    check_sections(&ck);
    check_projects(&ck);
    size_t errors = ck.errors + bp_check_arith(unit, misshapen, diags);
    errors += bp_check_refs(unit, diags);
    errors += bp_check_narrative(unit, diags);
    return errors + bp_check_indicator_values(unit, diags);
}

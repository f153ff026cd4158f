/*
 * kind_rules.c: the rules of a unit whose kind is data (kind.h): sums down the code scheme
 * (SUM), the identities the kind lists within a row or across a side's lines (IDENTITY), and
 * figures the kind says are equal across tables (CROSS).
 *
 * Stage: check. Amounts are exact hundredths and every comparison is to the last digit; a
 * blank counts as 0. Where the kind says a table's figures are rounded (万元 printed from 元),
 * a difference no larger than the rounding of the parts allows, half a hundredth for each part
 * and for the sum, is W-ROUND (a warning naming both figures, the difference and the
 * tolerance): the published 决算 carries such residues, and an honest transcription keeps them.
 * Beyond it, an error.
 */
#include "check_int.h"

#include "budgetpress/kind.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/util.h"

typedef struct rules {
    const bp_unit *unit;
    bp_diags *diags;
    size_t errors;
} rules;

static int64_t value_of(bp_amount a)
{
    return bp_amount_is_blank(a) ? 0 : a.hundredths;
}

/* Compares a figure with the sum of `parts` terms: nothing when equal; W-ROUND when the table
 * is rounded and the difference is within (parts + 1) half-hundredths; else an error. */
static void compare(rules *r, const char *rule, bool rounded, const char *path, const char *what,
                    int64_t own, int64_t sum, size_t parts)
{
    int64_t diff = own - sum;
    if (diff == 0)
        return;
    int64_t tolerance = (int64_t)(parts + 1) / 2;
    char own_text[BP_AMOUNT_FORMAT_MAX], sum_text[BP_AMOUNT_FORMAT_MAX];
    char diff_text[BP_AMOUNT_FORMAT_MAX], tol_text[BP_AMOUNT_FORMAT_MAX];
    bp_check_format_hundredths(own, own_text);
    bp_check_format_hundredths(sum, sum_text);
    bp_check_format_hundredths(diff, diff_text);
    bp_check_format_hundredths(tolerance, tol_text);
    if (rounded && llabs(diff) <= tolerance) {
        bp_diags_add(r->diags, BP_SEVERITY_WARNING, "ROUND", r->unit->source, 0, 0, path,
                     "%s: %s ≠ %s (diff %s), within the rounding of %zu figure%s (±%s)", what,
                     own_text, sum_text, diff_text, parts + 1, parts ? "s" : "", tol_text);
        return;
    }
    bp_diags_add(r->diags, BP_SEVERITY_ERROR, rule, r->unit->source, 0, 0, path,
                 "%s: %s ≠ %s (diff %s)", what, own_text, sum_text, diff_text);
    r->errors++;
}

static const char *value_path(bp_strbuf *sb, const bp_data_row *row, const char *key)
{
    bp_strbuf_truncate(sb, 0);
    bp_strbuf_printf(sb, "%s.amounts.%s", row->path ? row->path : "", key);
    return bp_strbuf_cstr(sb);
}

/* ---- SUM: down a ledger's codes ---- */

/* The code level of a row: 类 (3 digits) 1, 款 (5) 2, 项 (7) 3; 0 for anything else. */
static int level_of(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    return n == 3 ? 1 : n == 5 ? 2 : n == 7 ? 3 : 0;
}

/* A row's code and index: the rows sorted by code, so that the codes under a parent (which all
 * start with its own) are one run, found by binary search. A 5,000-row table is then checked
 * in milliseconds, not by comparing every row with every other. */
typedef struct coded_row {
    const char *code;
    size_t index;
} coded_row;

static int by_code(const void *a, const void *b)
{
    return strcmp(((const coded_row *)a)->code, ((const coded_row *)b)->code);
}

/* The rows directly under the parent (its code extended by one level; for the total, the 类)
 * into children; returns how many. */
static size_t children_of(const bp_data_table *dt, const coded_row *sorted,
                          const bp_data_row *parent, size_t *children)
{
    size_t n = 0;
    if (parent == &dt->total) {
        for (size_t i = 0; i < dt->row_count; i++)
            if (level_of(dt->rows[i].code) == 1)
                children[n++] = i;
        return n;
    }
    const char *code = parent->code ? parent->code : "";
    size_t len = strlen(code), lo = 0, hi = dt->row_count;
    int level = level_of(code) + 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(sorted[mid].code, code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < dt->row_count && strncmp(sorted[k].code, code, len) == 0; k++)
        if (level_of(sorted[k].code) == level)
            children[n++] = sorted[k].index;
    return n;
}

/* A parent row (or the total) against its children, column by column; the children are found
 * once, for every column. */
static void check_parent(rules *r, const bp_data_table *dt, const coded_row *sorted,
                         const bp_data_row *parent, size_t *children, bp_strbuf *path,
                         bp_strbuf *what)
{
    const bp_kind_table *t = dt->spec;
    size_t n = children_of(dt, sorted, parent, children);
    if (n == 0)
        return;
    for (size_t c = 0; c < t->column_count; c++) {
        if (t->columns[c].type != BP_VALUE_AMOUNT)
            continue;
        int64_t sum = 0;
        size_t parts = 0;
        for (size_t k = 0; k < n; k++) {
            bp_amount a = dt->rows[children[k]].values[c].number;
            if (!bp_amount_is_blank(a)) {
                sum += a.hundredths;
                parts++;
            }
        }
        if (value_of(parent->values[c].number) == sum)
            continue; /* the common case: no message to word */
        bp_strbuf_truncate(what, 0);
        if (parent != &dt->total)
            bp_strbuf_printf(what, "%s %s %s「%s」 = Σ of the codes under it", t->title,
                             parent->code, parent->name ? parent->name : "", t->columns[c].key);
        else
            bp_strbuf_printf(what, "%s 合计「%s」 = Σ 类", t->title, t->columns[c].key);
        compare(r, "SUM", t->rounded, value_path(path, parent, t->columns[c].key),
                bp_strbuf_cstr(what), value_of(parent->values[c].number), sum, parts);
    }
}

static void check_codes(rules *r, const bp_data_table *dt)
{
    size_t *children = dt->row_count ? malloc(dt->row_count * sizeof *children) : NULL;
    coded_row *sorted = dt->row_count ? malloc(dt->row_count * sizeof *sorted) : NULL;
    if (dt->row_count && (!children || !sorted)) {
        free(children);
        free(sorted);
        bp_diags_add(r->diags, BP_SEVERITY_ERROR, NULL, r->unit->source, 0, 0, NULL,
                     "out of memory while checking %s", dt->spec->title);
        r->errors++;
        return;
    }
    for (size_t i = 0; i < dt->row_count; i++)
        sorted[i] = (coded_row){dt->rows[i].code ? dt->rows[i].code : "", i};
    if (dt->row_count)
        qsort(sorted, dt->row_count, sizeof *sorted, by_code);
    bp_strbuf path = BP_STRBUF_INIT, what = BP_STRBUF_INIT;
    for (size_t p = 0; p < dt->row_count; p++)
        check_parent(r, dt, sorted, &dt->rows[p], children, &path, &what);
    if (dt->has_total)
        check_parent(r, dt, sorted, &dt->total, children, &path, &what);
    bp_strbuf_free(&path);
    bp_strbuf_free(&what);
    free(children);
    free(sorted);
}

/* ---- IDENTITY: across a row's columns ---- */

static void check_row_rule(rules *r, const bp_kind_table *t, const bp_kind_rule *rule,
                           const bp_data_row *row, bool total)
{
    int lhs = bp_kind_column_index(t->columns, t->column_count, rule->lhs);
    if (lhs < 0 || !row->values)
        return;
    int64_t sum = 0;
    size_t parts = 0;
    for (size_t i = 0; i < rule->term_count; i++) {
        int c = bp_kind_column_index(t->columns, t->column_count, rule->terms[i].key);
        if (c >= 0 && !bp_amount_is_blank(row->values[c].number)) {
            sum += rule->terms[i].sign * row->values[c].number.hundredths;
            parts++;
        }
    }
    if (value_of(row->values[lhs].number) == sum)
        return; /* the common case: no message to word */
    char label[160];
    snprintf(label, sizeof label, "%s%s%s",
             total       ? "合计"
             : row->code ? row->code
                         : "",
             !total && row->code ? " " : "", !total && row->name ? row->name : "");
    bp_strbuf path = BP_STRBUF_INIT, what = BP_STRBUF_INIT;
    bp_strbuf_printf(&what, "%s %s: %s", t->title, label, rule->text);
    compare(r, "IDENTITY", t->rounded, value_path(&path, row, rule->lhs), bp_strbuf_cstr(&what),
            value_of(row->values[lhs].number), sum, parts);
    bp_strbuf_free(&path);
    bp_strbuf_free(&what);
}

static void check_row_rules(rules *r, const bp_data_table *dt, const bp_kind_rule *rule)
{
    if (dt->spec->rows == BP_ROWS_LEDGER && dt->has_total)
        check_row_rule(r, dt->spec, rule, &dt->total, true);
    for (size_t i = 0; i < dt->row_count; i++)
        check_row_rule(r, dt->spec, rule, &dt->rows[i], false);
}

/* ---- IDENTITY: across a side's lines ---- */

static void check_side_rule(rules *r, const bp_data_table *dt, const bp_kind_rule *rule)
{
    const bp_kind_side *side = &dt->spec->sides[rule->side];
    const bp_data_row *lines = dt->lines[rule->side];
    int lhs = bp_kind_line_index(side, rule->lhs);
    if (lhs < 0 || !lines)
        return;
    bp_strbuf path = BP_STRBUF_INIT, what = BP_STRBUF_INIT;
    for (size_t c = 0; c < side->column_count; c++) {
        int64_t sum = 0;
        size_t parts = 0;
        for (size_t i = 0; i < rule->term_count; i++) {
            const bp_kind_term *term = &rule->terms[i];
            for (size_t l = 0; l < side->line_count; l++) {
                bool in = term->block >= 0 ? side->lines[l].block == term->block
                                           : strcmp(side->lines[l].key, term->key) == 0;
                if (in && lines[l].values && !bp_amount_is_blank(lines[l].values[c].number)) {
                    sum += term->sign * lines[l].values[c].number.hundredths;
                    parts++;
                }
            }
        }
        bp_strbuf_truncate(&what, 0);
        bp_strbuf_printf(&what, "%s「%s」: %s", dt->spec->title, side->columns[c].key, rule->text);
        bp_strbuf_truncate(&path, 0);
        bp_strbuf_printf(&path, "tables.%s.%s.%s.%s", dt->spec->id, side->key, rule->lhs,
                         side->columns[c].key);
        compare(r, "IDENTITY", dt->spec->rounded, bp_strbuf_cstr(&path), bp_strbuf_cstr(&what),
                lines[lhs].values ? value_of(lines[lhs].values[c].number) : 0, sum, parts);
    }
    bp_strbuf_free(&path);
    bp_strbuf_free(&what);
}

/* ---- CROSS: equal figures across tables ---- */

static void check_equal(rules *r, const bp_kind *kind, size_t k)
{
    const char **addresses = kind->equal[k];
    size_t n = kind->equal_counts[k];
    int64_t first = 0;
    bool rounded = false;
    for (size_t i = 0; i < n; i++) {
        bp_amount figure;
        bool this_rounded = false;
        char path[64];
        snprintf(path, sizeof path, "kind.equal[%zu][%zu]", k, i);
        bool found = bp_unit_figure(r->unit, addresses[i], &figure, &this_rounded);
        int64_t v = value_of(figure);
        if (!found) {
            bp_diags_add(r->diags, BP_SEVERITY_ERROR, "CROSS", r->unit->source, 0, 0, path,
                         "%s names no figure of the kind %s (table.row.column, "
                         "table.side.line.column or table.column)",
                         addresses[i], kind->name);
            r->errors++;
            continue;
        }
        rounded = rounded || this_rounded;
        if (i == 0) {
            first = v;
            continue;
        }
        char what[600];
        snprintf(what, sizeof what, "%s = %s", addresses[i], addresses[0]);
        char at[300];
        snprintf(at, sizeof at, "tables.%s", addresses[i]);
        compare(r, "CROSS", rounded, at, what, v, first, 1);
    }
}

size_t bp_check_kind_rules(const bp_unit *unit, bp_diags *diags)
{
    rules r = {unit, diags, 0};
    const bp_kind *kind = unit->kind;
    for (size_t t = 0; t < kind->table_count; t++) {
        const bp_data_table *dt = &unit->data_tables[t];
        for (size_t i = 0; i < dt->spec->rule_count; i++) {
            const bp_kind_rule *rule = &dt->spec->rules[i];
            if (rule->type == BP_RULE_CODES)
                check_codes(&r, dt);
            else if (rule->type == BP_RULE_ROW)
                check_row_rules(&r, dt, rule);
            else
                check_side_rule(&r, dt, rule);
        }
    }
    for (size_t k = 0; k < kind->equal_count; k++)
        check_equal(&r, kind, k);
    return r.errors;
}

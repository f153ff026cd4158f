/*
 * arith.c: the arithmetic rules of `budgetpress check`: sums down the classification (SUM),
 * identities across the columns of a row (IDENTITY), the 三公 table's own sums (THREE_PUBLIC)
 * and the same figure in different tables (CROSS).
 *
 * Amounts are exact hundredths, so every comparison is to the last digit. A blank cell counts as
 * 0 in a sum, and a blank figure equals a sum of blanks or zeros. Each finding names the table,
 * the row, the column, both numbers and their difference. Reads the model only; thread-safe.
 */
#include <stdarg.h>
#include <string.h>

#include "../util/util.h"
#include "check_int.h"

typedef struct arith {
    const bp_unit *unit;
    bp_diags *diags;
    size_t errors;
} arith;

/* A running sum; ok turns false if it leaves the amount range. */
typedef struct sum {
    bp_amount value;
    bool ok;
} sum;

#define SUM_INIT                                                                                   \
    {                                                                                              \
        {BP_AMOUNT_BLANK_BITS}, true                                                               \
    }

static void add(sum *s, bp_amount a)
{
    if (s->ok && !bp_amount_accumulate(&s->value, a))
        s->ok = false;
}

static int64_t zero_if_blank(bp_amount a)
{
    return bp_amount_is_blank(a) ? 0 : a.hundredths;
}

static void error(arith *ar, const char *rule, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void error(arith *ar, const char *rule, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bp_diags_vadd(ar->diags, BP_SEVERITY_ERROR, rule, ar->unit->source, 0, 0, path, fmt, ap);
    va_end(ap);
    ar->errors++;
}

/* Whether an amount equals a sum, blanks counting as 0: checked before any message is
 * formatted, since all but a handful of the tens of thousands of comparisons agree. */
static bool agrees(bp_amount own, sum s)
{
    return s.ok && zero_if_blank(own) == zero_if_blank(s.value);
}

/* "what: own ≠ expr sum (diff own-sum)" unless the two agree, blanks counting as 0. */
static void compare(arith *ar, const char *rule, const char *path, const char *what,
                    const char *expr, bp_amount own, sum s)
{
    char own_text[BP_AMOUNT_FORMAT_MAX], sum_text[BP_AMOUNT_FORMAT_MAX];
    char diff_text[BP_AMOUNT_FORMAT_MAX];
    if (!bp_amount_format(own, false, own_text))
        strcpy(own_text, "blank");
    if (!s.ok) {
        error(ar, rule, path, "%s: %s ≠ %s, which exceeds the amount range", what, own_text, expr);
        return;
    }
    int64_t diff = zero_if_blank(own) - zero_if_blank(s.value);
    if (diff == 0)
        return;
    if (!bp_amount_format(s.value, false, sum_text))
        strcpy(sum_text, "blank");
    bp_amount_format(bp_amount_from_hundredths(diff), false, diff_text);
    error(ar, rule, path, "%s: %s ≠ %s %s (diff %s)", what, own_text, expr, sum_text, diff_text);
}

/* "201 一般公共服务支出", or "合计" for a total row. */
static void row_label(char *buf, size_t size, const bp_row *row)
{
    if (row->code)
        snprintf(buf, size, "%s %s", row->code, row->name ? row->name : "");
    else
        snprintf(buf, size, "%s", bp_column_label(BP_COL_TOTAL));
}

/* ---- SUM: each parent equals the sum of its children, column by column ---- */

static const char *level_name(bp_level level)
{
    return level == BP_LEVEL_CLASS ? "类" : level == BP_LEVEL_ITEM ? "款" : "项";
}

/* Compares parent (row index `at`, or the total row when at == row_count) with the sum of its
 * children: the rows one level down with its leading digits, up to the next row of its level. */
static void check_children(arith *ar, const bp_table_spec *spec, const bp_ledger *ledger, size_t at)
{
    bool is_total = at == ledger->row_count;
    const bp_row *parent = is_total ? &ledger->total : &ledger->rows[at];
    bp_level level = is_total ? BP_LEVEL_NONE : bp_code_level(parent->code);
    if (!is_total && (level == BP_LEVEL_NONE || level == BP_LEVEL_SUBITEM))
        return;
    size_t prefix = is_total ? 0 : strlen(parent->code);
    size_t first = is_total ? 0 : at + 1, end = first, children = 0;
    for (; end < ledger->row_count; end++) {
        bp_level l = bp_code_level(ledger->rows[end].code);
        if (l != BP_LEVEL_NONE && l <= level)
            break;
        if (l == level + 1 &&
            strncmp(ledger->rows[end].code, parent->code ? parent->code : "", prefix) == 0)
            children++;
    }
    if (!is_total && children == 0)
        return;
    char path[160], what[512], label[400], expr[32];
    for (int c = 0; c < spec->columns->count; c++) {
        bp_column column = spec->columns->ids[c];
        sum s = SUM_INIT;
        for (size_t j = first; j < end; j++) {
            const bp_row *row = &ledger->rows[j];
            if (bp_code_level(row->code) == level + 1 &&
                strncmp(row->code, parent->code ? parent->code : "", prefix) == 0)
                add(&s, bp_row_amount(row, column));
        }
        if (agrees(bp_row_amount(parent, column), s))
            continue;
        if (is_total)
            snprintf(path, sizeof path, "tables.%s.total", spec->key);
        else
            snprintf(path, sizeof path, "tables.%s.rows[%zu]", spec->key, at);
        row_label(label, sizeof label, parent);
        snprintf(expr, sizeof expr, "Σ %s", level_name((bp_level)(level + 1)));
        snprintf(what, sizeof what, "%s %s %s", spec->title, label, bp_column_label(column));
        compare(ar, "SUM", path, what, expr, bp_row_amount(parent, column), s);
    }
}

static void check_ledger_sums(arith *ar, const bp_table_spec *spec, const bp_ledger *ledger)
{
    for (size_t i = 0; i < ledger->row_count; i++)
        check_children(ar, spec, ledger, i);
    if (ledger->has_total)
        check_children(ar, spec, ledger, ledger->row_count);
}

/* ---- IDENTITY: columns of one row ---- */

/* row[lhs] = Σ row[parts] over the parts the table has. */
static void identity(arith *ar, const char *path, const char *title, const bp_row *row,
                     bp_column lhs, const bp_column *parts, size_t part_count)
{
    if (!row->columns || bp_columns_index(row->columns, lhs) < 0)
        return;
    char expr[400] = "", what[512], label[400];
    sum s = SUM_INIT;
    size_t present = 0;
    for (size_t i = 0; i < part_count; i++) {
        if (bp_columns_index(row->columns, parts[i]) < 0)
            continue;
        add(&s, bp_row_amount(row, parts[i]));
        present++;
    }
    if (present == 0 || agrees(bp_row_amount(row, lhs), s))
        return;
    for (size_t i = 0; i < part_count; i++) {
        if (bp_columns_index(row->columns, parts[i]) < 0)
            continue;
        size_t len = strlen(expr);
        snprintf(expr + len, sizeof expr - len, "%s%s", len ? " + " : "",
                 bp_column_label(parts[i]));
    }
    row_label(label, sizeof label, row);
    snprintf(what, sizeof what, "%s %s %s", title, label, bp_column_label(lhs));
    compare(ar, "IDENTITY", path, what, expr, bp_row_amount(row, lhs), s);
}

static void check_row_identities(arith *ar, const bp_table_spec *spec, const bp_row *row,
                                 const char *path)
{
    static const bp_column expense_parts[] = {BP_COL_BASIC, BP_COL_PROJECT,
                                              BP_COL_OPERATING_EXPENSE, BP_COL_REMIT_UPPER,
                                              BP_COL_AFFILIATE_SUBSIDY};
    static const bp_column basic_parts[] = {BP_COL_PERSONNEL, BP_COL_PUBLIC};
    static const bp_column income_parts[] = {BP_COL_INCOME_SUBTOTAL, BP_COL_CARRYOVER};
    static const bp_column subtotal_parts[] = {
        BP_COL_FISCAL_GRANT, BP_COL_SPECIAL_ACCOUNT, BP_COL_BUSINESS, BP_COL_OPERATING_INCOME,
        BP_COL_UPPER_GRANT,  BP_COL_AFFILIATE_REMIT, BP_COL_OTHER};
    switch (spec->id) {
    case BP_TABLE_EXPENSE_SUMMARY:
    case BP_TABLE_GENERAL_EXPENSE:
    case BP_TABLE_GOV_FUND:
    case BP_TABLE_STATE_CAPITAL:
        identity(ar, path, spec->title, row, BP_COL_TOTAL, expense_parts,
                 sizeof expense_parts / sizeof expense_parts[0]);
        break;
    case BP_TABLE_GENERAL_BASIC:
        identity(ar, path, spec->title, row, BP_COL_TOTAL, basic_parts,
                 sizeof basic_parts / sizeof basic_parts[0]);
        break;
    case BP_TABLE_INCOME_SUMMARY:
        identity(ar, path, spec->title, row, BP_COL_TOTAL, income_parts,
                 sizeof income_parts / sizeof income_parts[0]);
        identity(ar, path, spec->title, row, BP_COL_INCOME_SUBTOTAL, subtotal_parts,
                 sizeof subtotal_parts / sizeof subtotal_parts[0]);
        break;
    default:
        break;
    }
}

static void check_ledger_identities(arith *ar, const bp_table_spec *spec, const bp_ledger *ledger)
{
    char path[160];
    for (size_t i = 0; i < ledger->row_count; i++) {
        snprintf(path, sizeof path, "tables.%s.rows[%zu]", spec->key, i);
        check_row_identities(ar, spec, &ledger->rows[i], path);
    }
    if (ledger->has_total) {
        snprintf(path, sizeof path, "tables.%s.total", spec->key);
        check_row_identities(ar, spec, &ledger->total, path);
    }
}

/* Two-sided tables: year_total = Σ lines, grand_total = year_total + carryover per side, and the
 * two grand totals agree. */
static void check_side(arith *ar, const bp_table_spec *spec, const bp_side *side, bool income,
                       const bp_columns *columns)
{
    const char *key = income ? "income" : "expense";
    const char *year = income ? "本年收入合计" : "本年支出合计";
    const char *grand = income ? "收入总计" : "支出总计";
    char year_path[160], grand_path[160], what[512], expr[160];
    snprintf(year_path, sizeof year_path, "tables.%s.%s.year_total", spec->key, key);
    snprintf(grand_path, sizeof grand_path, "tables.%s.%s.grand_total", spec->key, key);
    for (int c = 0; columns && c < columns->count; c++) {
        bp_column column = columns->ids[c];
        sum lines = SUM_INIT;
        for (size_t i = 0; i < side->line_count; i++)
            add(&lines, bp_row_amount(&side->lines[i], column));
        snprintf(what, sizeof what, "%s %s %s", spec->title, year, bp_column_label(column));
        compare(ar, "IDENTITY", year_path, what, "Σ lines",
                bp_row_amount(&side->year_total, column), lines);
        sum parts = SUM_INIT;
        add(&parts, bp_row_amount(&side->year_total, column));
        if (side->has_carryover)
            add(&parts, bp_row_amount(&side->carryover, column));
        snprintf(what, sizeof what, "%s %s %s", spec->title, grand, bp_column_label(column));
        snprintf(expr, sizeof expr, "%s + 上年结转", year);
        compare(ar, "IDENTITY", grand_path, what, expr, bp_row_amount(&side->grand_total, column),
                parts);
    }
}

static void check_two_sided(arith *ar, const bp_table_spec *spec, const bp_two_sided *table)
{
    check_side(ar, spec, &table->income, true, spec->columns);
    check_side(ar, spec, &table->expense, false, spec->expense_columns);
    char path[160], what[512];
    snprintf(path, sizeof path, "tables.%s.expense.grand_total", spec->key);
    snprintf(what, sizeof what, "%s 支出总计 %s", spec->title, bp_column_label(BP_COL_TOTAL));
    sum income = SUM_INIT;
    add(&income, bp_row_amount(&table->income.grand_total, BP_COL_TOTAL));
    compare(ar, "IDENTITY", path, what, "收入总计",
            bp_row_amount(&table->expense.grand_total, BP_COL_TOTAL), income);
}

/* ---- THREE_PUBLIC ---- */

static void three_public_sum(arith *ar, const bp_columns *columns, bp_three_public_item lhs,
                             const char *expr, const bp_three_public_item *parts, size_t count)
{
    const bp_three_public *tp = &ar->unit->three_public;
    const bp_table_spec *spec = bp_table_spec_get(BP_TABLE_THREE_PUBLIC);
    char path[160], what[512];
    snprintf(path, sizeof path, "tables.%s.%s", spec->key, bp_three_public_key(lhs));
    for (int c = 0; c < columns->count; c++) {
        bp_column column = columns->ids[c];
        sum s = SUM_INIT;
        for (size_t i = 0; i < count; i++)
            add(&s, bp_row_amount(&tp->items[parts[i]], column));
        snprintf(what, sizeof what, "%s %s %s", spec->title, bp_three_public_label(lhs),
                 bp_column_label(column));
        compare(ar, "THREE_PUBLIC", path, what, expr, bp_row_amount(&tp->items[lhs], column), s);
    }
}

static void check_three_public(arith *ar)
{
    const bp_columns *columns = bp_table_spec_get(BP_TABLE_THREE_PUBLIC)->columns;
    static const bp_three_public_item subtotal[] = {BP_3P_SUBTOTAL};
    static const bp_three_public_item items[] = {BP_3P_OVERSEAS, BP_3P_VEHICLES, BP_3P_RECEPTION};
    static const bp_three_public_item overseas[] = {BP_3P_OVERSEAS_RESEARCH, BP_3P_OVERSEAS_OTHER};
    static const bp_three_public_item vehicles[] = {BP_3P_VEHICLE_PURCHASE,
                                                    BP_3P_VEHICLE_OPERATION};
    three_public_sum(ar, columns, BP_3P_TOTAL, "“三公”经费小计", subtotal, 1);
    three_public_sum(ar, columns, BP_3P_SUBTOTAL,
                     "因公出国（境）费 + 公务用车购置及运维费 + 公务接待费", items, 3);
    three_public_sum(ar, columns, BP_3P_OVERSEAS,
                     "教学科研人员因公出国（境）费 + 其他因公出国（境）费", overseas, 2);
    three_public_sum(ar, columns, BP_3P_VEHICLES, "公务用车购置费 + 公务用车运行维护费", vehicles,
                     2);
}

/* ---- CROSS: the same figure in two tables ---- */

static const bp_row *find_row(const bp_ledger *ledger, const char *code, size_t *index)
{
    for (size_t i = 0; i < ledger->row_count; i++)
        if (ledger->rows[i].code && strcmp(ledger->rows[i].code, code) == 0) {
            *index = i;
            return &ledger->rows[i];
        }
    return NULL;
}

static sum single(bp_amount a)
{
    sum s = SUM_INIT;
    add(&s, a);
    return s;
}

static void check_cross(arith *ar)
{
    const bp_unit *u = ar->unit;
    const bp_table_spec *bs = bp_table_spec_get(BP_TABLE_BUDGET_SUMMARY);
    const bp_table_spec *es = bp_table_spec_get(BP_TABLE_EXPENSE_SUMMARY);
    const bp_side *lines = &u->budget_summary.expense;
    char path[160], what[512], expr[512], label[400];
    size_t at;
    /* 收支总表 expense lines against the 类 rows of 支出总表, both ways. */
    for (size_t i = 0; i < lines->line_count; i++) {
        const bp_row *line = &lines->lines[i];
        if (!line->code)
            continue;
        const bp_row *row = find_row(&u->expense_summary, line->code, &at);
        snprintf(path, sizeof path, "tables.%s.expense.lines[%zu]", bs->key, i);
        row_label(label, sizeof label, line);
        snprintf(what, sizeof what, "%s %s 合计", bs->title, label);
        snprintf(expr, sizeof expr, "%s %s 合计", es->title, line->code);
        compare(ar, "CROSS", path, what, expr, bp_row_amount(line, BP_COL_TOTAL),
                single(row ? bp_row_amount(row, BP_COL_TOTAL) : bp_amount_blank()));
    }
    for (size_t i = 0; i < u->expense_summary.row_count; i++) {
        const bp_row *row = &u->expense_summary.rows[i];
        if (bp_code_level(row->code) != BP_LEVEL_CLASS)
            continue;
        bool listed = false;
        for (size_t j = 0; j < lines->line_count && !listed; j++)
            listed = lines->lines[j].code && strcmp(lines->lines[j].code, row->code) == 0;
        if (listed)
            continue;
        snprintf(path, sizeof path, "tables.%s.rows[%zu]", es->key, i);
        row_label(label, sizeof label, row);
        snprintf(what, sizeof what, "%s %s 合计", es->title, label);
        snprintf(expr, sizeof expr, "%s (no expense line %s)", bs->title, row->code);
        compare(ar, "CROSS", path, what, expr, bp_row_amount(row, BP_COL_TOTAL),
                single(bp_amount_blank()));
    }

    /* 支出总表 合计 against the three fiscal expense tables: equal only for a unit funded by
     * 财政拨款 alone (its 收入总表 合计 is all 财政拨款收入); a unit with 事业收入 or other money
     * spends more than its fiscal tables show. */
    const bp_row *income = &u->income_summary.total;
    bool fiscal_only =
        u->income_summary.has_total && bp_amount_equal(bp_row_amount(income, BP_COL_TOTAL),
                                                       bp_row_amount(income, BP_COL_FISCAL_GRANT));
    static const bp_table_id fiscal[] = {BP_TABLE_GENERAL_EXPENSE, BP_TABLE_GOV_FUND,
                                         BP_TABLE_STATE_CAPITAL};
    bool totals = u->expense_summary.has_total;
    for (size_t i = 0; i < sizeof fiscal / sizeof fiscal[0]; i++) {
        const bp_ledger *ledger = bp_unit_ledger(u, fiscal[i]);
        totals = totals && (ledger->has_total || ledger->row_count == 0);
    }
    if (totals && fiscal_only) { /* a 合计 missing is TOTAL's finding, not a difference */
        sum s = SUM_INIT;
        expr[0] = '\0';
        for (size_t i = 0; i < sizeof fiscal / sizeof fiscal[0]; i++) {
            const bp_ledger *ledger = bp_unit_ledger(u, fiscal[i]);
            if (ledger->has_total)
                add(&s, bp_row_amount(&ledger->total, BP_COL_TOTAL));
            size_t len = strlen(expr);
            snprintf(expr + len, sizeof expr - len, "%s%s", len ? " + " : "",
                     bp_table_spec_get(fiscal[i])->title);
        }
        size_t len = strlen(expr);
        snprintf(expr + len, sizeof expr - len, " 合计");
        snprintf(path, sizeof path, "tables.%s.total", es->key);
        snprintf(what, sizeof what, "%s 合计 合计", es->title);
        compare(ar, "CROSS", path, what, expr,
                bp_row_amount(&u->expense_summary.total, BP_COL_TOTAL), s);
    }

    /* 基本支出表 30217 / 30231 against the 三公 table, when both have the figure. */
    static const struct {
        const char *code;
        bp_three_public_item item;
    } pairs[] = {{"30217", BP_3P_RECEPTION}, {"30231", BP_3P_VEHICLE_OPERATION}};
    const bp_table_spec *gb = bp_table_spec_get(BP_TABLE_GENERAL_BASIC);
    const bp_table_spec *tp = bp_table_spec_get(BP_TABLE_THREE_PUBLIC);
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const bp_row *row = find_row(&u->general_basic, pairs[i].code, &at);
        bp_amount other = bp_row_amount(&u->three_public.items[pairs[i].item], BP_COL_TOTAL);
        if (!row || bp_amount_is_blank(bp_row_amount(row, BP_COL_TOTAL)) ||
            bp_amount_is_blank(other))
            continue;
        snprintf(path, sizeof path, "tables.%s.rows[%zu]", gb->key, at);
        row_label(label, sizeof label, row);
        snprintf(what, sizeof what, "%s %s 合计", gb->title, label);
        snprintf(expr, sizeof expr, "%s %s 合计", tp->title, bp_three_public_label(pairs[i].item));
        compare(ar, "CROSS", path, what, expr, bp_row_amount(row, BP_COL_TOTAL), single(other));
    }
}

size_t bp_check_arith(const bp_unit *unit, const bool misshapen[BP_TABLE__COUNT], bp_diags *diags)
{
    arith ar = {unit, diags, 0};
    for (int t = 0; t < BP_TABLE__COUNT; t++) {
        const bp_table_spec *spec = bp_table_spec_get((bp_table_id)t);
        if (spec->shape == BP_SHAPE_LEDGER) {
            const bp_ledger *ledger = bp_unit_ledger(unit, spec->id);
            if (!misshapen[t])
                check_ledger_sums(&ar, spec, ledger);
            check_ledger_identities(&ar, spec, ledger);
        } else if (spec->shape == BP_SHAPE_TWO_SIDED) {
            check_two_sided(&ar, spec, bp_unit_two_sided(unit, spec->id));
        }
    }
    check_three_public(&ar);
    check_cross(&ar);
    return ar.errors;
}

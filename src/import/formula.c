/*
 * formula.c: a formula whose result the workbook did not store, evaluated when it is a sum.
 *
 * Stage: import, under the profile. The fact that shaped it: workbooks written by scripts
 * (openpyxl) and some platforms' exports keep the 合计 row as =SUM(E9:E12) with no result, and a
 * clerk cannot be asked to open each in Excel first. Only what a total is made of is taken:
 * SUM of ranges and cells, and + and − of cells, numbers and sums, in exact hundredths. Anything
 * else (a product, a function, a reference to another workbook) is named as a problem, never
 * guessed at.
 */
#include "read_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { MAX_DEPTH = 32 };

typedef struct evaluator {
    const im_ctx *ctx;
    size_t sheet;
    const char *s; /* what is left to read */
    int depth;
    char *why;
    size_t why_size;
    bool failed;
    bool circular; /* it failed because a formula it adds comes back to itself */
} evaluator;

static bool fail(evaluator *e, const char *fmt, const char *arg)
{
    if (!e->failed)
        snprintf(e->why, e->why_size, fmt, arg);
    e->failed = true;
    return false;
}

static void skip_spaces(evaluator *e)
{
    while (*e->s == ' ')
        e->s++;
}

static bool eval_formula_at(const im_ctx *ctx, size_t sheet, const bp_cell *cell, int depth,
                            int64_t *out, char *why, size_t size, bool *circular);

/* The value of one referenced cell: empty counts 0, as in the spreadsheet's own sum. */
static bool cell_value(evaluator *e, size_t sheet, uint32_t row, uint32_t col, int64_t *out)
{
    *out = 0;
    const bp_cell *c = bp_workbook_cell(e->ctx->book, sheet, row, col);
    if (!c)
        return true;
    char ref[16];
    bp_cell_ref(row, col, ref);
    if (c->type == BP_CELL_NONE && c->formula) {
        char inner[300], why[400];
        if (eval_formula_at(e->ctx, sheet, c, e->depth + 1, out, inner, sizeof inner, &e->circular))
            return true;
        if (e->circular) /* said once, where the circle is found */
            return fail(e, "%s", inner);
        snprintf(why, sizeof why, "it adds %s, whose own formula =%.60s is not a sum", ref,
                 c->formula);
        return fail(e, "%s", why);
    }
    bp_amount a;
    char why[200];
    if (!bp_cell_amount(c, &a, why, sizeof why))
        return fail(e, "it adds %s, which is not an amount", ref);
    *out = bp_amount_is_blank(a) ? 0 : a.hundredths;
    return true;
}

/* A sheet's name before '!': Name! or 'Name with spaces'! */
static bool read_sheet_prefix(evaluator *e, size_t *sheet)
{
    const char *s = e->s;
    char name[512];
    size_t n = 0;
    if (*s == '\'') {
        for (s++; *s && n + 1 < sizeof name; s++) {
            if (s[0] == '\'' && s[1] == '\'')
                name[n++] = *s++;
            else if (*s == '\'')
                break;
            else
                name[n++] = *s;
        }
        if (*s != '\'' || s[1] != '!')
            return false;
        s += 2;
    } else {
        const char *bang = strchr(s, '!');
        const char *stop = strpbrk(s, "+-,():");
        if (!bang || (stop && stop < bang) || (size_t)(bang - s) >= sizeof name)
            return false;
        n = (size_t)(bang - s);
        memcpy(name, s, n);
        s = bang + 1;
    }
    name[n] = '\0';
    const char *names[] = {name};
    long found = bp_workbook_find_sheet(e->ctx->book, names, 1);
    if (found < 0)
        return fail(e, "it refers to a sheet \"%s\" the workbook lacks", name);
    *sheet = (size_t)found;
    e->s = s;
    return true;
}

static bool read_ref(evaluator *e, uint32_t *row, uint32_t *col)
{
    char ref[24];
    size_t n = 0;
    const char *s = e->s;
    while (n + 1 < sizeof ref && (*s == '$' || (*s >= 'A' && *s <= 'Z') ||
                                  (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        ref[n++] = *s++;
    ref[n] = '\0';
    if (!bp_cell_parse_ref(ref, row, col))
        return false;
    e->s = s;
    return true;
}

static bool sum_range(evaluator *e, size_t sheet, uint32_t r0, uint32_t c0, uint32_t r1,
                      uint32_t c1, int64_t *out)
{
    if (r0 > r1 || c0 > c1)
        return fail(e, "%s", "a range written backwards");
    size_t n;
    const bp_cell *cells = bp_workbook_cells(e->ctx->book, sheet, &n);
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cells[mid].row < r0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *out = 0;
    for (size_t i = lo; i < n && cells[i].row <= r1 && !e->failed; i++) {
        if (cells[i].col < c0 || cells[i].col > c1)
            continue;
        int64_t v;
        if (!cell_value(e, sheet, cells[i].row, cells[i].col, &v))
            return false;
        *out += v;
        if (*out > BP_AMOUNT_MAX_HUNDREDTHS || *out < -BP_AMOUNT_MAX_HUNDREDTHS)
            return fail(e, "%s", "the sum is beyond the largest amount");
    }
    return true;
}

static bool expression(evaluator *e, bool in_sum, int64_t *out);

/* A cell, or in a sum a range; either maybe on another sheet. */
static bool reference(evaluator *e, bool in_sum, int64_t *out)
{
    size_t sheet = e->sheet;
    read_sheet_prefix(e, &sheet);
    if (e->failed)
        return false;
    uint32_t r0, c0, r1, c1;
    size_t letters = strspn(e->s, "$ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    size_t digits = strspn(e->s, "$0123456789");
    if ((letters || digits) && e->s[letters ? letters : digits] == ':')
        return fail(e, "%s", "a whole row or column (E:E) is not summed: give its cells (E9:E20)");
    if (!read_ref(e, &r0, &c0))
        return fail(e, "%s", "it is not a sum of cells (SUM or + and -)");
    if (*e->s == ':') {
        e->s++;
        if (!in_sum || !read_ref(e, &r1, &c1))
            return fail(e, "%s", "a range outside SUM, or a whole row or column");
        return sum_range(e, sheet, r0, c0, r1, c1, out);
    }
    return cell_value(e, sheet, r0, c0, out);
}

static bool number(evaluator *e, int64_t *out)
{
    const char *s = e->s;
    size_t n = strspn(s, "0123456789.");
    bp_amount a;
    if (!bp_amount_parse(s, n, &a))
        return fail(e, "%s", "a number with more than two decimals");
    *out = a.hundredths;
    e->s = s + n;
    return true;
}

static bool sum_call(evaluator *e, int64_t *out)
{
    *out = 0;
    do {
        e->s++; /* '(' or ',' */
        int64_t v;
        if (!expression(e, true, &v))
            return false;
        *out += v;
        skip_spaces(e);
    } while (*e->s == ',');
    if (*e->s != ')')
        return fail(e, "%s", "a SUM without its closing parenthesis");
    e->s++;
    return true;
}

static bool term(evaluator *e, bool in_sum, int64_t *out)
{
    skip_spaces(e);
    if (*e->s == '(') {
        e->s++;
        if (!expression(e, false, out))
            return false;
        skip_spaces(e);
        if (*e->s != ')')
            return fail(e, "%s", "a parenthesis not closed");
        e->s++;
        return true;
    }
    if (strncasecmp(e->s, "SUM(", 4) == 0) {
        e->s += 3;
        return sum_call(e, out);
    }
    if ((*e->s >= '0' && *e->s <= '9') || *e->s == '.')
        return number(e, out);
    return reference(e, in_sum, out);
}

static bool expression(evaluator *e, bool in_sum, int64_t *out)
{
    skip_spaces(e);
    int sign = 1;
    if (*e->s == '+' || *e->s == '-')
        sign = *e->s++ == '-' ? -1 : 1;
    if (!term(e, in_sum, out))
        return false;
    *out *= sign;
    for (;;) {
        skip_spaces(e);
        if (*e->s != '+' && *e->s != '-')
            return true;
        sign = *e->s++ == '-' ? -1 : 1;
        int64_t v;
        if (!term(e, in_sum, &v))
            return false;
        *out += sign * v;
        if (*out > BP_AMOUNT_MAX_HUNDREDTHS || *out < -BP_AMOUNT_MAX_HUNDREDTHS)
            return fail(e, "%s", "the sum is beyond the largest amount");
    }
}

static bool eval_formula_at(const im_ctx *ctx, size_t sheet, const bp_cell *cell, int depth,
                            int64_t *out, char *why, size_t size, bool *circular)
{
    char ref[16];
    bp_cell_ref(cell->row, cell->col, ref);
    evaluator e = {ctx, sheet, cell->formula, depth, why, size, false, false};
    if (depth > MAX_DEPTH) {
        snprintf(why, size, "the formula of %s goes round in a circle", ref);
        *circular = true;
        return false;
    }
    if (*e.s == '=')
        e.s++;
    bool ok = expression(&e, false, out);
    skip_spaces(&e);
    if (ok && *e.s)
        ok = fail(&e, "%s", "it is not a sum of cells (SUM or + and -)");
    if (!ok && depth == 0) {
        char reason[300];
        snprintf(reason, sizeof reason, "%s", why);
        snprintf(why, size,
                 "the formula =%s has no stored result and cannot be taken as a sum (%s): "
                 "open and save the workbook in Excel, or type the figure",
                 cell->formula, reason);
    }
    *circular = e.circular;
    return ok;
}

bool im_eval_formula(const im_ctx *ctx, size_t sheet, const bp_cell *cell, bp_amount *out,
                     char *why, size_t why_size)
{
    int64_t v;
    bool circular = false;
    if (!eval_formula_at(ctx, sheet, cell, 0, &v, why, why_size, &circular))
        return false;
    *out = bp_amount_from_hundredths(v);
    return true;
}

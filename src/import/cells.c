/*
 * cells.c: a cell of a located table read as what the kind wants: an amount in the table's money
 * unit, or a label.
 *
 * Stage: import, under the profile. An amount is read exactly (bp_cell_amount), a sum formula
 * the file stored no result for is evaluated (formula.c), and a figure written in 万元 for a table
 * the kind keeps in 元 (or the other way) is converted, exactly or not at all: the unit comes from
 * the cell's number format (#,##0.00"万元") when it names one, else from the table's banner
 * (单位：万元), else it is the kind's.
 */
#include "read_int.h"

#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bytes of a space of either width that s[0 .. len) starts (from_end: ends) with, or 0. */
static size_t padding(const char *s, size_t len, bool from_end)
{
    if (len == 0)
        return 0;
    char c = from_end ? s[len - 1] : s[0];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        return 1;
    const char *wide = from_end ? s + len - 3 : s;
    return len >= 3 && strncmp(wide, "\u3000", 3) == 0 ? 3 : 0;
}

const char *im_cell_text(const im_ctx *ctx, size_t sheet, uint32_t row, uint32_t col, char *buf,
                         size_t size)
{
    const bp_cell *c = bp_workbook_cell(ctx->book, sheet, row, col);
    if (!c || c->type == BP_CELL_NONE)
        return NULL;
    /* Padding of either width around it is layout, not text (indented names of 款 and 项). */
    const char *s = c->value;
    size_t len = strlen(s), n;
    while ((n = padding(s, len, false)) > 0)
        s += n, len -= n;
    while ((n = padding(s, len, true)) > 0)
        len -= n;
    if (len == 0)
        return NULL;
    /* A text longer than buf is cut between characters, never inside one. */
    if (len >= size)
        len = bp_utf8_prefix(s, len, size - 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

bool im_is_filler(const char *text)
{
    char key[64];
    bp_label_key(text, key, sizeof key);
    static const char *const fillers[] = {"", "…", "……", "...", "-", "—", "——", "/"};
    for (size_t i = 0; i < sizeof fillers / sizeof fillers[0]; i++)
        if (strcmp(key, fillers[i]) == 0)
            return true;
    return false;
}

bool im_cell_has_amount(const im_ctx *ctx, size_t sheet, uint32_t row, uint32_t col)
{
    const bp_cell *c = bp_workbook_cell(ctx->book, sheet, row, col);
    if (!c)
        return false;
    if (c->type == BP_CELL_NUMBER || c->formula)
        return true;
    bp_amount a;
    char why[200];
    return c->type == BP_CELL_TEXT && bp_cell_amount(c, &a, why, sizeof why) &&
           !bp_amount_is_blank(a);
}

/* The money unit a number format names ("#,##0.00\"万元\""), or NULL. */
static const char *format_money_unit(const char *format)
{
    if (!format)
        return NULL;
    if (strstr(format, "万元"))
        return "万元";
    if (strstr(format, "元"))
        return "元";
    return NULL;
}

json_t *im_amount_json(bp_amount a)
{
    if (bp_amount_is_blank(a))
        return NULL;
    char text[BP_AMOUNT_FORMAT_MAX];
    bp_amount_format(a, false, text);
    return json_string(text);
}

/* Converts a figure in `from` to `to` (元 and 万元), exactly; false with why when it cannot be
 * (a figure in 元 with more than two decimals once in 万元, or one beyond the range). */
static bool convert(bp_amount *a, const char *from, const char *to, char *why, size_t size)
{
    if (strcmp(from, to) == 0 || bp_amount_is_blank(*a))
        return true;
    char text[BP_AMOUNT_FORMAT_MAX];
    bp_amount_format(*a, true, text);
    if (strcmp(from, "万元") == 0) {
        if (a->hundredths > BP_AMOUNT_MAX_HUNDREDTHS / 10000 ||
            a->hundredths < -(BP_AMOUNT_MAX_HUNDREDTHS / 10000)) {
            snprintf(why, size, "%s 万元 is beyond the largest amount in 元", text);
            return false;
        }
        a->hundredths *= 10000;
        return true;
    }
    if (a->hundredths % 10000 != 0) {
        snprintf(why, size,
                 "%s 元 is not a whole number of hundredths of 万元, which the table is in: "
                 "give it in 万元 with two decimals",
                 text);
        return false;
    }
    a->hundredths /= 10000;
    return true;
}

bool im_read_amount(im_ctx *ctx, const im_view *view, uint32_t row, uint32_t col, bp_amount *out)
{
    *out = bp_amount_blank();
    const bp_cell *c = bp_workbook_cell(ctx->book, view->sheet, row, col);
    if (!c)
        return true;
    bp_amount a;
    char why[400];
    bool ok = c->type == BP_CELL_NONE && c->formula
                  ? im_eval_formula(ctx, view->sheet, c, &a, why, sizeof why)
                  : bp_cell_amount(c, &a, why, sizeof why);
    const char *unit = format_money_unit(c->format);
    if (!unit)
        unit = view->money_unit ? view->money_unit : view->kind->money_unit;
    if (ok && view->kind->money_unit)
        ok = convert(&a, unit, view->kind->money_unit, why, sizeof why);
    if (!ok) {
        im_cell_error(ctx, view->sheet, row, col, "%s", why);
        return false;
    }
    *out = a;
    return true;
}

/* ---- Values of the other types of a kind's columns ---- */

/* A number formatted as a percentage holds the fraction (0.125 shows 12.50%): the percentage is
 * the same digits with the exponent raised by two, read exactly. */
static void percent_of_number(const char *value, char *out, size_t size)
{
    const char *e = strpbrk(value, "Ee");
    int exponent = e ? atoi(e + 1) + 2 : 2;
    int mantissa = e ? (int)(e - value) : (int)strlen(value);
    snprintf(out, size, "%.*sE%d", mantissa, value, exponent);
}

/* A text percentage without its sign ("12.5%", "１２．５％"); false when it has none. */
static bool strip_percent_sign(const char *value, char *out, size_t size)
{
    size_t len = strlen(value);
    while (len > 0 && value[len - 1] == ' ')
        len--;
    size_t sign = len >= 1 && value[len - 1] == '%'                              ? 1
                  : len >= 3 && strncmp(value + len - 3, "\xEF\xBC\x85", 3) == 0 ? 3
                                                                                 : 0;
    if (!sign || len - sign >= size)
        return false;
    memcpy(out, value, len - sign);
    out[len - sign] = '\0';
    return true;
}

/* A percentage: a number formatted as one (the fraction), a text with its sign, or a plain
 * number that is the percentage itself. */
static bool read_percent(const bp_cell *c, bp_amount *out, char *why, size_t size)
{
    char text[96];
    bp_cell copy = *c;
    if (c->type == BP_CELL_NUMBER && c->format && strchr(c->format, '%') &&
        strlen(c->value) < sizeof text - 8) {
        percent_of_number(c->value, text, sizeof text);
        copy.value = text;
        if (bp_cell_amount(&copy, out, why, size))
            return true;
        /* Said of what the clerk sees: the fraction the cell holds, shown as a percentage. */
        snprintf(why, size,
                 "%s shown as a percentage has more than two decimals: the table prints "
                 "hundredths of a percent",
                 c->value);
        return false;
    }
    if (c->type == BP_CELL_TEXT && strip_percent_sign(c->value, text, sizeof text))
        copy.value = text;
    return bp_cell_amount(&copy, out, why, size);
}

json_t *im_read_value(im_ctx *ctx, const im_view *view, uint32_t row, uint32_t col,
                      bp_value_type type, bool *ok)
{
    *ok = true;
    if (type == BP_VALUE_AMOUNT) {
        bp_amount a;
        *ok = im_read_amount(ctx, view, row, col, &a);
        return *ok ? im_amount_json(a) : NULL;
    }
    if (type == BP_VALUE_TEXT) {
        char text[4096];
        const char *t = im_cell_text(ctx, view->sheet, row, col, text, sizeof text);
        return t ? json_string(t) : NULL;
    }
    const bp_cell *c = bp_workbook_cell(ctx->book, view->sheet, row, col);
    if (!c)
        return NULL;
    bp_amount a;
    char why[400];
    bool read = type == BP_VALUE_PERCENT ? read_percent(c, &a, why, sizeof why)
                                         : bp_cell_amount(c, &a, why, sizeof why);
    if (read && type == BP_VALUE_COUNT && !bp_amount_is_blank(a) && a.hundredths % 100 != 0) {
        char shown[BP_AMOUNT_FORMAT_MAX];
        bp_amount_format(a, true, shown);
        snprintf(why, sizeof why, "%s is not a whole number (the column counts)", shown);
        read = false;
    }
    if (!read) {
        im_cell_error(ctx, view->sheet, row, col, "%s", why);
        *ok = false;
        return NULL;
    }
    if (bp_amount_is_blank(a))
        return NULL;
    if (type == BP_VALUE_COUNT) {
        char whole[32];
        snprintf(whole, sizeof whole, "%lld", (long long)(a.hundredths / 100));
        return json_string(whole);
    }
    return im_amount_json(a);
}

void im_column_types(const pf_column *columns, size_t count, const bp_kind_column *kind_columns,
                     size_t kind_count, bp_value_type *types)
{
    for (size_t i = 0; i < count; i++) {
        int k = kind_columns ? bp_kind_column_index(kind_columns, kind_count, columns[i].key) : -1;
        types[i] = k >= 0 ? kind_columns[k].type : BP_VALUE_AMOUNT;
    }
}

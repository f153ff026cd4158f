/*
 * cell_amount.c: a workbook cell read as an amount, exactly, or the reason it is none, in words
 * a clerk can act on.
 *
 * Stage: import, between the readers and the profile. The facts that shaped it: the budget
 * platforms' workbooks carry amounts as numbers and as text, with ASCII or full-width digits and
 * separators, negatives in parentheses, and typing slips (a letter O among the digits); a number
 * a formula computed may carry binary noise (0.30000000000000004), which is rounded away, while
 * a real third decimal (1204.567) is a question for the clerk, not a rounding of ours. Decimal
 * text is read digit by digit: no binary float ever holds the value.
 */
#include "budgetpress/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/util.h"

/* ---- Text to plain ASCII ---- */

/* The ASCII a full-width or typographic character stands for in an amount, or 0. */
static char ascii_for(uint32_t cp)
{
    if (cp >= 0xFF10 && cp <= 0xFF19)
        return (char)('0' + (cp - 0xFF10));
    switch (cp) {
    case 0xFF0C: /* ， */
        return ',';
    case 0xFF0E: /* ． */
        return '.';
    case 0xFF0D: /* － */
    case 0x2212: /* − */
        return '-';
    case 0xFF08: /* （ */
        return '(';
    case 0xFF09: /* ） */
        return ')';
    default:
        return cp < 0x80 ? (char)cp : 0;
    }
}

static bool is_blank_char(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x00A0 || cp == 0x3000;
}

/* Why text is no amount when it holds a character that is not: a letter O or l among digits
 * (slips of the keyboard), a percent sign, or anything else. */
static void explain_character(uint32_t cp, char *why, size_t size, const char *text)
{
    if (cp == 'O' || cp == 'o')
        snprintf(why, size, "\"%s\" is not an amount (a letter O among the digits)", text);
    else if (cp == 'l' || cp == 'I')
        snprintf(why, size, "\"%s\" is not an amount (a letter %c among the digits)", text,
                 (char)cp);
    else if (cp == '%' || cp == 0xFF05)
        snprintf(why, size, "\"%s\" is a percentage, not an amount", text);
    else
        snprintf(why, size, "\"%s\" is not an amount (expected digits like 1,204.00)", text);
}

/* Reduces text to sign, digits and one point, taking separators, spaces and parentheses as the
 * workbooks write them; false with why set when it cannot be an amount. */
static bool normalise(const char *text, char *out, size_t size, bool *negative, char *why,
                      size_t why_size)
{
    size_t n = 0, len = strlen(text);
    int open = 0, close = 0, minus = 0;
    int since_comma = -1; /* digits since the last thousands separator; -1: none yet */
    bool point = false;
    for (size_t i = 0, k; i < len; i += k) {
        uint32_t cp = bp_utf8_decode(text + i, len - i, &k);
        if (is_blank_char(cp))
            continue;
        char c = ascii_for(cp);
        if (c >= '0' && c <= '9') {
            if (n + 2 >= size) {
                snprintf(why, why_size, "\"%s\" is too long for an amount", text);
                return false;
            }
            out[n++] = c;
            if (since_comma >= 0 && !point)
                since_comma++;
        } else if ((c == ',' || c == '.') && !point && since_comma >= 0 && since_comma != 3) {
            snprintf(why, why_size,
                     "\"%s\" is not an amount (thousands separators every three digits)", text);
            return false;
        } else if (c == ',' && !point && n > 0) {
            since_comma = 0;
        } else if (c == '.' && !point) {
            point = true;
            out[n++] = '.';
        } else if (c == '(' && n == 0 && !open) {
            open = 1;
        } else if (c == ')' && open && !close) {
            close = 1;
        } else if (c == '-' && n == 0 && !minus && !open) {
            minus = 1;
        } else {
            explain_character(cp, why, why_size, text);
            return false;
        }
    }
    if (since_comma >= 0 && since_comma != 3 && !point) {
        snprintf(why, why_size, "\"%s\" is not an amount (thousands separators every three digits)",
                 text);
        return false;
    }
    if (open != close || n == 0 || (n == 1 && point)) {
        snprintf(why, why_size, "\"%s\" is not an amount (expected digits like 1,204.00)", text);
        return false;
    }
    out[n] = '\0';
    *negative = open || minus;
    return true;
}

/* ---- Decimal text to hundredths ---- */

/* Value of "digits[.digits][E±exp]" in hundredths, exactly; binary noise beyond the hundredths
 * (six zeros or nines in a row right after them) is rounded away; a real third decimal is
 * refused. */
static bool decimal_hundredths(const char *s, bool negative, int64_t *out, char *why,
                               size_t why_size, const char *text)
{
    char digits[64];
    size_t nd = 0;
    int exponent = 0; /* value = digits * 10^exponent */
    bool point = false;
    const char *p = s;
    if (*p == '-') {
        negative = !negative;
        p++;
    }
    for (; *p && *p != 'E' && *p != 'e'; p++) {
        if (*p == '.') {
            point = true;
            continue;
        }
        if (*p < '0' || *p > '9' || nd == sizeof digits - 1)
            goto bad;
        if (nd == 0 && *p == '0' && !point)
            continue; /* leading zeros */
        digits[nd++] = *p;
        if (point)
            exponent--;
    }
    if (*p) {
        char *end;
        long e = strtol(p + 1, &end, 10);
        if (*end || end == p + 1 || e > 40 || e < -40)
            goto bad;
        exponent += (int)e;
    }
    digits[nd] = '\0';
    /* Hundredths: digits * 10^(exponent + 2); digits past that are the remainder. */
    int shift = exponent + 2;
    size_t whole = shift >= 0 ? nd : (nd > (size_t)-shift ? nd - (size_t)-shift : 0);
    const char *rest = shift >= 0 ? "" : digits + whole;
    size_t rest_len = strlen(rest);
    /* Digits dropped before the first one kept, when the value is below 1/100 * 10^-k. */
    size_t leading_zeros = shift < 0 && (size_t)-shift > nd ? (size_t)-shift - nd : 0;
    int64_t v = 0;
    for (size_t i = 0; i < whole; i++) {
        if (v > (BP_AMOUNT_MAX_HUNDREDTHS - (digits[i] - '0')) / 10)
            goto too_large;
        v = v * 10 + (digits[i] - '0');
    }
    for (int i = 0; shift > 0 && i < shift; i++) {
        if (v > BP_AMOUNT_MAX_HUNDREDTHS / 10)
            goto too_large;
        v *= 10;
    }
    if (rest_len > 0 || leading_zeros > 0) {
        /* What is left, in [0, 1) hundredths: zeros first when the value is that small. */
        char tail[80];
        snprintf(tail, sizeof tail, "%.*s%s", (int)(leading_zeros < 40 ? leading_zeros : 40),
                 "0000000000000000000000000000000000000000", rest);
        bool noise_down = strncmp(tail, "000000", 6) == 0;
        bool noise_up = strncmp(tail, "999999", 6) == 0;
        if (!noise_down && !noise_up) {
            snprintf(why, why_size,
                     "\"%s\" has more than two decimals: the tables print hundredths", text);
            return false;
        }
        if (noise_up)
            v++;
    }
    *out = negative ? -v : v;
    return true;
too_large:
    snprintf(why, why_size, "\"%s\" is too large for an amount", text);
    return false;
bad:
    snprintf(why, why_size, "\"%s\" is not an amount (expected digits like 1,204.00)", text);
    return false;
}

bool bp_cell_amount(const bp_cell *cell, bp_amount *out, char *why, size_t why_size)
{
    why[0] = '\0';
    if (!cell) {
        *out = bp_amount_blank();
        return true;
    }
    switch (cell->type) {
    case BP_CELL_BOOL:
        snprintf(why, why_size, "%s is not an amount (a true/false cell)", cell->value);
        return false;
    case BP_CELL_ERROR:
        snprintf(why, why_size, "the cell holds the error %s, not an amount", cell->value);
        return false;
    case BP_CELL_NONE:
        snprintf(why, why_size,
                 "=%s has no stored result (open and save the workbook in Excel "
                 "or LibreOffice, which compute it)",
                 cell->formula ? cell->formula : "");
        return false;
    case BP_CELL_NUMBER:
    case BP_CELL_TEXT:
        break;
    }
    char plain[80];
    bool negative = false;
    if (cell->type == BP_CELL_TEXT) {
        size_t i = 0, k, len = strlen(cell->value);
        while (i < len && is_blank_char(bp_utf8_decode(cell->value + i, len - i, &k)))
            i += k;
        if (i == len) {
            *out = bp_amount_blank(); /* a cell of spaces is blank, as an empty one */
            return true;
        }
        if (!normalise(cell->value, plain, sizeof plain, &negative, why, why_size))
            return false;
    } else if (strlen(cell->value) < sizeof plain) {
        memcpy(plain, cell->value, strlen(cell->value) + 1);
    } else {
        snprintf(why, why_size, "\"%.40s…\" is too long for an amount", cell->value);
        return false;
    }
    int64_t v;
    if (!decimal_hundredths(plain, negative, &v, why, why_size, cell->value))
        return false;
    *out = bp_amount_from_hundredths(v);
    return true;
}

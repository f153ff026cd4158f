/*
 * amount.c: parsing, formatting and adding exact amounts (see amount.h).
 *
 * Parsing is strict on purpose: "3l.00", "31,00", " 31" or "1e3" are typing mistakes a clerk
 * must see, not values to guess at.
 */
#include "budgetpress/amount.h"

#include <stdbool.h>
#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool bp_amount_parse(const char *s, size_t len, bp_amount *out)
{
    size_t i = 0;
    bool negative = false;
    if (i < len && s[i] == '-') {
        negative = true;
        i++;
    }
    int64_t units = 0;
    size_t int_digits = 0;
    while (i < len && is_digit(s[i])) {
        if (++int_digits > 15)
            return false;
        units = units * 10 + (s[i] - '0');
        i++;
    }
    if (int_digits == 0)
        return false;
    int64_t cents = 0;
    if (i < len && s[i] == '.') {
        i++;
        size_t frac_digits = 0;
        while (i < len && is_digit(s[i])) {
            if (++frac_digits > 2)
                return false;
            cents = cents * 10 + (s[i] - '0');
            i++;
        }
        if (frac_digits == 0)
            return false;
        if (frac_digits == 1)
            cents *= 10;
    }
    if (i != len)
        return false;
    int64_t value = units * 100 + cents;
    out->hundredths = negative ? -value : value;
    return true;
}

size_t bp_amount_format(bp_amount a, bool thousands, char *buf)
{
    if (bp_amount_is_blank(a)) {
        buf[0] = '\0';
        return 0;
    }
    /* Build the digits backwards: two decimals, the point, then the integer part. */
    char tmp[BP_AMOUNT_FORMAT_MAX];
    size_t n = 0;
    int64_t v = a.hundredths;
    bool negative = v < 0;
    /* Amounts are bounded by BP_AMOUNT_MAX_HUNDREDTHS, so negation cannot overflow. */
    uint64_t mag = negative ? (uint64_t)(-v) : (uint64_t)v;
    tmp[n++] = (char)('0' + mag % 10);
    mag /= 10;
    tmp[n++] = (char)('0' + mag % 10);
    mag /= 10;
    tmp[n++] = '.';
    int group = 0;
    do {
        if (thousands && group == 3) {
            tmp[n++] = ',';
            group = 0;
        }
        tmp[n++] = (char)('0' + mag % 10);
        mag /= 10;
        group++;
    } while (mag > 0);
    if (negative)
        tmp[n++] = '-';
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return n;
}

bool bp_amount_accumulate(bp_amount *sum, bp_amount b)
{
    if (bp_amount_is_blank(b))
        return true;
    int64_t base = bp_amount_is_blank(*sum) ? 0 : sum->hundredths;
    int64_t result = base + b.hundredths; /* both bounded far below INT64 range */
    if (result > BP_AMOUNT_MAX_HUNDREDTHS || result < -BP_AMOUNT_MAX_HUNDREDTHS)
        return false;
    sum->hundredths = result;
    return true;
}

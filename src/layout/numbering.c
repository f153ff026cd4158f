/*
 * numbering.c: the Chinese ordinals of the official format (一、二、…、十一、…), shared by the
 * section headings and the lines of the two-sided tables.
 */
#include "layout_int.h"

#include "../util/util.h"

/* Chinese numerals for ordinals from 1 to 99: 一, 十, 十一, 二十, 二十一. */
void layout_chinese_numeral(int n, bp_strbuf *out)
{
    static const char *const digits[] = {"零", "一", "二", "三", "四",
                                         "五", "六", "七", "八", "九"};
    if (n < 1 || n > 99) {
        bp_strbuf_printf(out, "%d", n);
        return;
    }
    int tens = n / 10, ones = n % 10;
    if (tens > 1)
        bp_strbuf_puts(out, digits[tens]);
    if (tens > 0)
        bp_strbuf_puts(out, "十");
    if (ones > 0)
        bp_strbuf_puts(out, digits[ones]);
}

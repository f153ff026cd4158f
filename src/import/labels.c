/*
 * labels.c: the key of a label as the budget workbooks write it, so that a profile's names find
 * their sheets, rows and columns however a writer spelled them.
 *
 * Stage: import, under the profile. The facts that shaped it (from the district's workbooks and
 * their published record): the same table's sheet is "2.17单位支出总表" in one workbook and
 * "2.17单位支出总表 " (a trailing space) in another; labels mix half-width and full-width
 * brackets and punctuation (（一） and (一)); headers wrap with line breaks and pad with spaces
 * (ideographic ones too). None of that is meaning, so a key drops every space and line break and
 * folds full-width ASCII forms to ASCII; nothing else changes (a character that differs is a
 * different label, and the profile's aliases say which are the same).
 */
#include "budgetpress/import.h"
#include "profile_int.h"

#include <string.h>

#include "../util/util.h"

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x00A0 || cp == 0x3000 ||
           (cp >= 0x2000 && cp <= 0x200B) || cp == 0xFEFF;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

void bp_label_key(const char *text, char *out, size_t size)
{
    size_t n = 0, len = strlen(text);
    for (size_t i = 0, k; i < len && size > 0; i += k) {
        uint32_t cp = bp_utf8_decode(text + i, len - i, &k);
        if (is_space(cp))
            continue;
        if (cp >= 0xFF01 && cp <= 0xFF5E) /* full-width ASCII forms */
            cp -= 0xFEE0;
        char bytes[4];
        size_t m = utf8_encode(cp, bytes);
        if (n + m >= size)
            break;
        memcpy(out + n, bytes, m);
        n += m;
    }
    if (size > 0)
        out[n] = '\0';
}

bool bp_label_matches(const char *a, const char *b)
{
    char ka[512], kb[512];
    bp_label_key(a, ka, sizeof ka);
    bp_label_key(b, kb, sizeof kb);
    return strcmp(ka, kb) == 0;
}

long bp_workbook_find_sheet(const bp_workbook *book, const char *const *names, size_t count)
{
    for (size_t s = 0; s < bp_workbook_sheet_count(book); s++)
        for (size_t i = 0; i < count; i++)
            if (bp_label_matches(bp_workbook_sheet_name(book, s), names[i]))
                return (long)s;
    return -1;
}

const char *pf_label_key(const pf_labels *labels, size_t i, char *buf, size_t size)
{
    if (labels->keys)
        return labels->keys[i];
    bp_label_key(labels->items[i], buf, size);
    return buf;
}

bool pf_labels_match(const pf_labels *labels, const char *text)
{
    if (labels->count == 0)
        return false;
    char key[512], item[512];
    bp_label_key(text, key, sizeof key);
    for (size_t i = 0; i < labels->count; i++)
        if (strcmp(pf_label_key(labels, i, item, sizeof item), key) == 0)
            return true;
    return false;
}

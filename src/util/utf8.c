/*
 * utf8.c: UTF-8 validation and decoding, per RFC 3629 (no overlong forms, no surrogates, nothing
 * above U+10FFFF). Jansson already rejects bad UTF-8 inside JSON strings; these serve the text
 * that reaches us by other roads (layout files, command-line arguments) and the text engine.
 */
#include "util.h"

static size_t sequence_length(unsigned char lead)
{
    if (lead < 0x80)
        return 1;
    if (lead >= 0xC2 && lead <= 0xDF)
        return 2;
    if (lead >= 0xE0 && lead <= 0xEF)
        return 3;
    if (lead >= 0xF0 && lead <= 0xF4)
        return 4;
    return 0;
}

static bool is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Length of the valid sequence at s, or 0 when it is malformed. */
static size_t valid_sequence(const unsigned char *s, size_t avail)
{
    size_t n = sequence_length(s[0]);
    if (n == 0 || n > avail)
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!is_continuation(s[i]))
            return 0;
    /* The second byte's range rules out overlongs, surrogates and values past U+10FFFF. */
    if (s[0] == 0xE0 && s[1] < 0xA0)
        return 0;
    if (s[0] == 0xED && s[1] > 0x9F)
        return 0;
    if (s[0] == 0xF0 && s[1] < 0x90)
        return 0;
    if (s[0] == 0xF4 && s[1] > 0x8F)
        return 0;
    return n;
}

bool bp_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n = valid_sequence(p + i, len - i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

unsigned bp_utf8_decode(const char *s, size_t len, size_t *n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t k = sequence_length(p[0]);
    if (k == 0 || k > len) {
        *n = 1;
        return 0xFFFD;
    }
    *n = k;
    switch (k) {
    case 1:
        return p[0];
    case 2:
        return ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    case 3:
        return ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    default:
        return ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) |
               (p[3] & 0x3Fu);
    }
}

size_t bp_utf8_count(const char *s, size_t len)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        if (!is_continuation((unsigned char)s[i]))
            count++;
    return count;
}

size_t bp_utf8_prefix(const char *s, size_t len, size_t max_bytes)
{
    if (len <= max_bytes)
        return len;
    size_t n = max_bytes;
    while (n > 0 && is_continuation((unsigned char)s[n]))
        n--;
    return n;
}

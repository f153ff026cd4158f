/*
 * strbuf.c: a growable, length-keeping string buffer (see util.h for the failure contract).
 */
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool bp_strbuf_reserve(bp_strbuf *sb, size_t extra)
{
    if (sb->failed)
        return false;
    if (extra > SIZE_MAX - sb->len - 1) {
        sb->failed = true;
        return false;
    }
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *data = realloc(sb->data, cap);
    if (!data) {
        sb->failed = true;
        return false;
    }
    sb->data = data;
    sb->cap = cap;
    return true;
}

void bp_strbuf_append(bp_strbuf *sb, const char *s, size_t len)
{
    if (!bp_strbuf_reserve(sb, len))
        return;
    if (len) /* s may be NULL then (an empty buffer's data) */
        memcpy(sb->data + sb->len, s, len);
    sb->len += len;
    assert(sb->len < sb->cap); /* room for the NUL, always */
    sb->data[sb->len] = '\0';
}

void bp_strbuf_puts(bp_strbuf *sb, const char *s)
{
    bp_strbuf_append(sb, s, strlen(s));
}

void bp_strbuf_putc(bp_strbuf *sb, char c)
{
    bp_strbuf_append(sb, &c, 1);
}

void bp_strbuf_vprintf(bp_strbuf *sb, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) {
        sb->failed = true;
        return;
    }
    if (!bp_strbuf_reserve(sb, (size_t)n))
        return;
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void bp_strbuf_printf(bp_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bp_strbuf_vprintf(sb, fmt, ap);
    va_end(ap);
}

void bp_strbuf_truncate(bp_strbuf *sb, size_t len)
{
    if (len < sb->len) {
        sb->len = len;
        sb->data[len] = '\0';
    }
}

const char *bp_strbuf_cstr(bp_strbuf *sb)
{
    return sb->data && !sb->failed ? sb->data : "";
}

char *bp_strbuf_take(bp_strbuf *sb)
{
    if (sb->failed) {
        bp_strbuf_free(sb);
        return NULL;
    }
    if (!sb->data && !bp_strbuf_reserve(sb, 0))
        return NULL;
    if (sb->len == 0)
        sb->data[0] = '\0';
    char *s = sb->data;
    *sb = (bp_strbuf)BP_STRBUF_INIT;
    return s;
}

void bp_strbuf_free(bp_strbuf *sb)
{
    free(sb->data);
    *sb = (bp_strbuf)BP_STRBUF_INIT;
}

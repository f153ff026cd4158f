/*
 * changes.c: the list of changes a comparison builds, each one's strings kept in the
 * comparison's arena, for every step of the comparison to add to (content.c, geometry.c,
 * pagemap.c, pictures.c, foreign.c).
 */
#include "compare_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *copy(bp_arena *arena, const char *s, bool *failed)
{
    if (!s)
        return NULL;
    const char *c = bp_arena_strndup(arena, s, strlen(s));
    if (!c)
        *failed = true;
    return c;
}

bp_change *cmp_add_change(cmp_state *st, const bp_change *change)
{
    bp_comparison *c = st->c;
    void *grown =
        bp_grow(c->changes, &st->change_capacity, c->change_count + 1, sizeof *c->changes, 16);
    if (!grown) {
        st->failed = true;
        return NULL;
    }
    c->changes = grown;
    bp_change *ch = &c->changes[c->change_count];
    *ch = *change;
    bool failed = false;
    ch->table = copy(c->arena, change->table, &failed);
    ch->table_title = copy(c->arena, change->table_title, &failed);
    ch->row = copy(c->arena, change->row, &failed);
    ch->row_label = copy(c->arena, change->row_label, &failed);
    ch->column = copy(c->arena, change->column, &failed);
    ch->column_label = copy(c->arena, change->column_label, &failed);
    ch->path = copy(c->arena, change->path, &failed);
    ch->old_text = copy(c->arena, change->old_text, &failed);
    ch->new_text = copy(c->arena, change->new_text, &failed);
    ch->message = copy(c->arena, change->message ? change->message : "", &failed);
    if (failed) {
        st->failed = true;
        return NULL;
    }
    c->change_count++;
    if (ch->cls == BP_CLASS_DATA)
        c->data_changes++;
    else
        c->layout_changes++;
    return ch;
}

const char *cmp_printf(cmp_state *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bp_strbuf sb = BP_STRBUF_INIT;
    bp_strbuf_vprintf(&sb, fmt, ap);
    va_end(ap);
    const char *s = sb.failed ? NULL : bp_arena_strndup(st->c->arena, bp_strbuf_cstr(&sb), sb.len);
    bp_strbuf_free(&sb);
    if (!s) {
        st->failed = true;
        return "";
    }
    return s;
}

/*
 * jsonread.c: reading a JSON tree with a path, for the files users write (units, layouts): every
 * problem becomes a diagnostic that names its JSON path, what was expected and what was found,
 * and reading goes on after a problem so that one run reports them all.
 */
#include "jsonread.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- Paths and messages ---- */

/* The longest value quoted back in a message: enough to recognise it, short enough for a line. */
enum { QUOTE_MAX_CHARS = 40 };

size_t bp_jr_push_key(bp_jreader *jr, const char *key)
{
    size_t mark = jr->path.len;
    if (mark > 0)
        bp_strbuf_putc(&jr->path, '.');
    bp_strbuf_puts(&jr->path, key);
    return mark;
}

size_t bp_jr_push_index(bp_jreader *jr, size_t index)
{
    size_t mark = jr->path.len;
    bp_strbuf_printf(&jr->path, "[%zu]", index);
    return mark;
}

void bp_jr_pop(bp_jreader *jr, size_t mark)
{
    bp_strbuf_truncate(&jr->path, mark);
}

void bp_jr_report(bp_jreader *jr, const char *fmt, ...)
{
    const char *path = jr->path.len ? bp_strbuf_cstr(&jr->path) : "(top level)";
    va_list ap;
    va_start(ap, fmt);
    bp_diags_vadd(jr->diags, BP_SEVERITY_ERROR, NULL, jr->file, 0, 0, path, fmt, ap);
    va_end(ap);
    jr->errors++;
}

/* Appends s quoted, cut after QUOTE_MAX_CHARS characters at a character boundary. */
static void quote_string(bp_strbuf *out, const char *s, size_t len)
{
    size_t end = 0, chars = 0;
    while (end < len && chars < QUOTE_MAX_CHARS) {
        size_t n = 1;
        while (end + n < len && ((unsigned char)s[end + n] & 0xC0) == 0x80)
            n++;
        end += n;
        chars++;
    }
    bp_strbuf_putc(out, '"');
    for (size_t i = 0; i < end; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            bp_strbuf_printf(out, "\\%c", c);
        else if (c < 0x20)
            bp_strbuf_printf(out, "\\u%04x", c);
        else
            bp_strbuf_putc(out, (char)c);
    }
    bp_strbuf_puts(out, end < len ? "…\"" : "\"");
}

/* Describes a JSON value the way a message quotes what was found. */
static void describe(bp_strbuf *out, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        quote_string(out, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        bp_strbuf_printf(out, "the number %" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        bp_strbuf_printf(out, "the number %.17g", json_real_value(v));
        break;
    case JSON_TRUE:
        bp_strbuf_puts(out, "true");
        break;
    case JSON_FALSE:
        bp_strbuf_puts(out, "false");
        break;
    case JSON_NULL:
        bp_strbuf_puts(out, "null");
        break;
    case JSON_OBJECT:
        bp_strbuf_puts(out, "an object");
        break;
    case JSON_ARRAY:
        bp_strbuf_puts(out, "an array");
        break;
    }
}

void bp_jr_expected(bp_jreader *jr, const char *expected, const json_t *found)
{
    bp_strbuf what = BP_STRBUF_INIT;
    describe(&what, found);
    bp_jr_report(jr, "expected %s, found %s", expected, bp_strbuf_cstr(&what));
    bp_strbuf_free(&what);
}

/* ---- Keys ---- */

static void report_unknown_key(bp_jreader *jr, const char *key, const char *const *allowed,
                               size_t n)
{
    bp_strbuf list = BP_STRBUF_INIT;
    const char *closest = NULL;
    size_t closest_distance = 3; /* suggest only near misses */
    for (size_t i = 0; i < n; i++) {
        bp_strbuf_printf(&list, "%s%s", i ? ", " : "", allowed[i]);
        size_t d = bp_edit_distance(key, allowed[i]);
        if (d < closest_distance) {
            closest_distance = d;
            closest = allowed[i];
        }
    }
    size_t mark = bp_jr_push_key(jr, key);
    if (closest)
        bp_jr_report(jr, "unknown key (did you mean \"%s\"? expected one of %s)", closest,
                     bp_strbuf_cstr(&list));
    else
        bp_jr_report(jr, "unknown key (expected one of %s)", bp_strbuf_cstr(&list));
    bp_jr_pop(jr, mark);
    bp_strbuf_free(&list);
}

/* Reports every key of obj that is not in allowed. */
void bp_jr_check_keys(bp_jreader *jr, json_t *obj, const char *const *allowed, size_t n)
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        bool known = false;
        for (size_t i = 0; i < n && !known; i++)
            known = strcmp(key, allowed[i]) == 0;
        if (!known)
            report_unknown_key(jr, key, allowed, n);
    }
}

/* Returns obj[key]; null counts as absent. Reports a missing required key, describing what
 * belongs there. */
json_t *bp_jr_member(bp_jreader *jr, json_t *obj, const char *key, bool required, const char *what)
{
    json_t *v = json_object_get(obj, key);
    if (v && json_is_null(v))
        v = NULL;
    if (!v && required)
        bp_jr_report(jr, "missing \"%s\" (%s)", key, what);
    return v;
}

bool bp_jr_expect_object(bp_jreader *jr, json_t *v, const char *what)
{
    if (json_is_object(v))
        return true;
    bp_jr_expected(jr, what, v);
    return false;
}

/* Matches a string value against a list of choices; returns its index or -1 (reported). */
int bp_jr_choice(bp_jreader *jr, json_t *v, const char *const *choices, size_t n)
{
    if (json_is_string(v))
        for (size_t i = 0; i < n; i++)
            if (strcmp(json_string_value(v), choices[i]) == 0)
                return (int)i;
    bp_strbuf expected = BP_STRBUF_INIT;
    bp_strbuf_puts(&expected, "one of");
    for (size_t i = 0; i < n; i++)
        bp_strbuf_printf(&expected, "%s \"%s\"", i ? "," : "", choices[i]);
    bp_jr_expected(jr, bp_strbuf_cstr(&expected), v);
    bp_strbuf_free(&expected);
    return -1;
}

/* Jansson's messages are terse ("'}' expected near '"x"'"); prefix nothing, they already say
 * what was expected and near what. Its column counts characters from 1. */
void bp_jr_syntax_error(bp_diags *diags, const char *name, const json_error_t *error)
{
    int line = error->line > 0 ? error->line : 1;
    int column = error->column > 0 ? error->column : 1;
    /* Files saved as GBK by a spreadsheet fail here; say so in words a clerk can act on. */
    const char *hint = strncmp(error->text, "unable to decode byte", 21) == 0
                           ? " (the file is not valid UTF-8: save it as UTF-8)"
                           : "";
    bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, name, line, column, NULL, "%s%s", error->text,
                 hint);
}

int bp_jr_read_file(const char *path, bp_strbuf *content, bp_diags *diags)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL, "cannot open: %s",
                     strerror(errno));
        return -1;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        bp_strbuf_append(content, chunk, n);
    bool read_error = ferror(f) != 0;
    int saved_errno = errno;
    fclose(f);
    if (read_error || content->failed) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL, "cannot read: %s",
                     read_error ? strerror(saved_errno) : "out of memory");
        bp_strbuf_free(content);
        return -1;
    }
    if (!content->data)
        bp_strbuf_append(content, "", 0);
    return 0;
}

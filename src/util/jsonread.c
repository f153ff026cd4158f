/*
 * jsonread.c: reading a JSON tree with a path, for the files users write (units, layouts): every
 * problem becomes a diagnostic that names its JSON path, what was expected and what was found,
 * and reading goes on after a problem so that one run reports them all.
 */
#include "jsonread.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

/* A number as the file most likely wrote it: the fewest digits that read back as the same
 * double (583.78, not 583.77999999999997). */
static void shortest_real(bp_strbuf *out, double value)
{
    char text[32];
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, value);
        if (strtod(text, NULL) == value)
            break;
    }
    bp_strbuf_puts(out, text);
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
        bp_strbuf_puts(out, "the number ");
        shortest_real(out, json_real_value(v));
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

bool bp_jr_flag(bp_jreader *jr, json_t *obj, const char *key, bool fallback)
{
    json_t *v = bp_jr_member(jr, obj, key, false, "");
    if (!v)
        return fallback;
    if (json_is_boolean(v))
        return json_is_true(v);
    size_t mark = bp_jr_push_key(jr, key);
    bp_jr_expected(jr, "true or false", v);
    bp_jr_pop(jr, mark);
    return fallback;
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

/* Jansson's messages, in words a clerk can act on: (the start of jansson's text, ours). What
 * follows "near" in jansson's text (the place) is kept. */
static const struct {
    const char *jansson, *plain;
} syntax_words[] = {
    {"\\u0000 is not allowed without JSON_ALLOW_NUL",
     "\\u0000 (the NUL character) cannot stand in a text"},
    {"end of file expected", "the file goes on after its JSON has ended"},
    {"duplicate object key", "this key is given twice in one object"},
    {"unexpected newline", "a line break inside a text: write it as \\n, or close the quote"},
    {"control character", "a control character inside a text: write it as an escape (\\t, \\n)"},
    {"invalid escape", "a backslash that starts no escape (write \\\\ for a backslash)"},
    {"invalid Unicode", "a \\u escape that is no character"},
    {"invalid token", "a word JSON does not know (text needs quotes; true, false and null are "
                      "written in lower case)"},
    {"real number overflow", "a number too large for any amount"},
    {"too big integer", "a whole number too large for any count"},
    {"unable to decode byte", "the file is not UTF-8"},
};

/* The message for jansson's syntax error text. */
static void plain_syntax_error(const char *text, size_t size_of_input, bp_strbuf *out)
{
    const char *near = strstr(text, " near ");
    bool at_end = near && strcmp(near, " near end of file") == 0;
    if (size_of_input == 0) {
        bp_strbuf_puts(out, "the file is empty (a unit or a layout begins with '{')");
        return;
    }
    for (size_t i = 0; i < sizeof syntax_words / sizeof syntax_words[0]; i++) {
        if (strncmp(text, syntax_words[i].jansson, strlen(syntax_words[i].jansson)) != 0)
            continue;
        bp_strbuf_puts(out, syntax_words[i].plain);
        if (strcmp(syntax_words[i].jansson, "unable to decode byte") == 0)
            bp_strbuf_printf(out, " (%s): save it as UTF-8", text);
        else if (at_end)
            bp_strbuf_puts(out, " (a NUL byte or the end of the file)");
        else if (near)
            bp_strbuf_printf(out, ",%s", near);
        return;
    }
    /* "'}' expected near end of file": the file was cut short. */
    if (at_end) {
        bp_strbuf_append(out, text, (size_t)(near - text));
        bp_strbuf_puts(out, ", but the file ends here (was it cut short?)");
        return;
    }
    bp_strbuf_puts(out, text);
}

void bp_jr_syntax_error(bp_diags *diags, const char *name, const json_error_t *error,
                        size_t size_of_input)
{
    int line = error->line > 0 ? error->line : 1;
    int column = error->column > 0 ? error->column : 1;
    bp_strbuf message = BP_STRBUF_INIT;
    plain_syntax_error(error->text, size_of_input, &message);
    bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, name, line, column, NULL, "%s",
                 message.failed ? error->text : bp_strbuf_cstr(&message));
    bp_strbuf_free(&message);
}

json_t *bp_jr_parse(const char *data, size_t size, const char *name, bp_diags *diags)
{
    /* Editors on Windows often save with a byte order mark; it carries no meaning here. */
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        size -= 3;
    }
    json_error_t error;
    json_t *root = json_loadb(data, size, JSON_REJECT_DUPLICATES, &error);
    if (!root)
        bp_jr_syntax_error(diags, name, &error, size);
    return root;
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

/*
 * cli_diag.c: diagnostics as the commands hand them on: as the one line `check` prints, and as
 * a JSON object for machines (check --json, batch's report.json). Both come from the same
 * bp_diag, so the line a clerk reads and the record a script reads never disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/util.h"

#include "cli.h"

/* The length of the UTF-8 character at s[0..len), or 0 when the bytes there are not one. */
static size_t utf8_char_length(const char *s, size_t len)
{
    size_t n = 1;
    unsigned char c = (unsigned char)s[0];
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4;
    else if (c >= 0x80)
        return 0;
    return n <= len && bp_utf8_valid(s, n) ? n : 0;
}

char *bp_cli_printable(const char *s)
{
    size_t len = strlen(s);
    if (bp_utf8_valid(s, len))
        return strdup(s);
    bp_strbuf out = BP_STRBUF_INIT;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_char_length(s + i, len - i);
        if (n == 0 || s[i] == '\\') {
            bp_strbuf_printf(&out, "\\x%02X", (unsigned char)s[i]);
            i++;
        } else {
            bp_strbuf_append(&out, s + i, n);
            i += n;
        }
    }
    return bp_strbuf_take(&out);
}

json_t *bp_cli_json_text(const char *s)
{
    if (!s)
        return json_null();
    char *printable = bp_cli_printable(s);
    json_t *v = printable ? json_string(printable) : NULL;
    free(printable);
    return v;
}

char *bp_cli_diag_line(const bp_diag *diag)
{
    char *line = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&line, &size);
    if (!out)
        return NULL;
    bp_diag_print(out, diag);
    if (fclose(out) != 0) {
        free(line);
        return NULL;
    }
    if (size > 0 && line[size - 1] == '\n')
        line[size - 1] = '\0';
    return line;
}

json_t *bp_cli_diag_json(const bp_diag *diag)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "severity",
                        json_string(diag->severity == BP_SEVERITY_ERROR ? "error" : "warning"));
    json_object_set_new(o, "rule", bp_cli_json_text(diag->rule));
    json_object_set_new(o, "file", bp_cli_json_text(diag->file));
    if (diag->line > 0) {
        json_object_set_new(o, "line", json_integer(diag->line));
        json_object_set_new(o, "column", json_integer(diag->column));
    }
    json_object_set_new(o, "path", bp_cli_json_text(diag->path));
    json_object_set_new(o, "message", bp_cli_json_text(diag->message));
    char *line = bp_cli_diag_line(diag);
    json_object_set_new(o, "text", bp_cli_json_text(line));
    free(line);
    return o;
}

json_t *bp_cli_diags_json(const bp_diags *diags)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < diags->count; i++)
        json_array_append_new(a, bp_cli_diag_json(&diags->items[i]));
    return a;
}

/*
 * cli_diag.c: diagnostics as the commands hand them on: as the one line `check` prints, and as
 * a JSON object for machines (check --json, batch's report.json). Both come from the same
 * bp_diag, so the line a clerk reads and the record a script reads never disagree.
 */
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>
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

/* ---- Printing within bounds ---- */

/* Lines a terminal shows less the few that follow the list (the summary, the prompt). */
static size_t screenful(FILE *out)
{
    struct winsize ws;
    size_t rows = ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 ? ws.ws_row : 24;
    return rows > 14 ? rows - 4 : 10;
}

bp_cli_limit bp_cli_limit_for(FILE *out, long max_errors)
{
    bp_cli_limit limit = {0, 0};
    if (max_errors >= 0)
        limit.total = (size_t)max_errors; /* 0: every line, as asked */
    else if (isatty(fileno(out)))
        limit.per_rule = screenful(out);
    return limit;
}

/* A group of diagnostics that share a rule and a severity; problems without a rule (a file
 * that cannot be read, a table that cannot be set) are grouped by severity. */
typedef struct diag_group {
    const char *rule;
    bp_severity severity;
    size_t shown, hidden;
} diag_group;

enum { MAX_GROUPS = 64 };

static diag_group *find_group(diag_group *groups, size_t *count, const bp_diag *d)
{
    for (size_t i = 0; i < *count; i++)
        if (groups[i].severity == d->severity &&
            (groups[i].rule == d->rule ||
             (groups[i].rule && d->rule && strcmp(groups[i].rule, d->rule) == 0)))
            return &groups[i];
    if (*count == MAX_GROUPS)
        return &groups[MAX_GROUPS - 1]; /* never met: the rules are a dozen */
    groups[*count] = (diag_group){d->rule, d->severity, 0, 0};
    return &groups[(*count)++];
}

static void say_hidden(FILE *out, const diag_group *g, const char *file, bool total_cut)
{
    const char *kind = g->severity == BP_SEVERITY_ERROR ? "error" : "warning";
    fprintf(out, "%s: %zu more ", file ? file : "budgetpress", g->hidden);
    if (g->rule)
        fprintf(out, "%c-%s %s%s", g->severity == BP_SEVERITY_ERROR ? 'E' : 'W', g->rule, kind,
                g->hidden == 1 ? "" : "s");
    else
        fprintf(out, "%s%s", kind, g->hidden == 1 ? "" : "s");
    fprintf(out, " not shown (%s; --max-errors 0 shows them all, --json lists them all)\n",
            total_cut ? "--max-errors" : "a screenful per rule on a terminal");
}

size_t bp_cli_print_diags(FILE *out, const bp_diags *diags, bp_cli_limit limit, const char *file)
{
    diag_group groups[MAX_GROUPS];
    size_t group_count = 0, printed = 0, hidden = 0;
    for (size_t i = 0; i < diags->count; i++) {
        const bp_diag *d = &diags->items[i];
        diag_group *g = find_group(groups, &group_count, d);
        bool over = (limit.per_rule && g->shown >= limit.per_rule) ||
                    (limit.total && printed >= limit.total);
        if (over) {
            g->hidden++;
            hidden++;
            continue;
        }
        bp_diag_print(out, d);
        g->shown++;
        printed++;
    }
    for (size_t i = 0; i < group_count; i++)
        if (groups[i].hidden)
            say_hidden(out, &groups[i], file, limit.total && printed >= limit.total);
    return hidden;
}

int bp_cli_parse_max_errors(const char *command, const char *value, long *max)
{
    char *end = NULL;
    long n = value[0] >= '0' && value[0] <= '9' ? strtol(value, &end, 10) : -1;
    if (n < 0 || *end || n > 1000000000)
        return bp_cli_usage_error(command, "--max-errors wants a count (0 for no limit), not '%s'",
                                  value);
    *max = n;
    return BP_EXIT_OK;
}

int bp_cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "budgetpress %s: ", command);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nSee 'budgetpress help %s'.\n", command);
    va_end(ap);
    return BP_EXIT_UNUSABLE;
}

/*
 * placeholders.c: the {names} of a layout's texts (placeholders.h).
 *
 * Stage: layout, set-up (checking, when the layout is read) and typesetting (expanding). The
 * fact that shaped it: a misspelt placeholder ("{unit_nmae}" on the cover) once printed as
 * written on every unit's cover and exit 0, and five expanders each knew a different few
 * names. One list, checked once at load, expanded by one function.
 */
#include "placeholders.h"

#include <stdio.h>
#include <string.h>

static const char *const names[PH__COUNT] = {
    [PH_UNIT_CODE] = "unit_code", [PH_UNIT_NAME] = "unit_name",
    [PH_YEAR] = "year",           [PH_MONEY_UNIT] = "money_unit",
    [PH_AS_OF] = "as_of",         [PH_NUMBER] = "number",
    [PH_NAME] = "name",           [PH_PAGE] = "page",
    [PH_TITLE] = "title",
};

unsigned layout_table_placeholders(const char *table_key)
{
    if (strcmp(table_key, "project") == 0)
        return PH_DOCUMENT | 1u << PH_NUMBER | 1u << PH_NAME;
    if (strcmp(table_key, "assets") == 0)
        return PH_DOCUMENT | 1u << PH_AS_OF;
    return PH_DOCUMENT;
}

/* The length of a placeholder name at s (lower-case letters and underscores), 0 if none. */
static size_t name_length(const char *s)
{
    size_t n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || s[n] == '_')
        n++;
    return n;
}

/* The placeholder named s[0..n), or PH__COUNT. */
static layout_placeholder find(const char *s, size_t n)
{
    for (int i = 0; i < PH__COUNT; i++)
        if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
            return (layout_placeholder)i;
    return PH__COUNT;
}

static void list_allowed(unsigned allowed, bp_strbuf *out)
{
    const char *separator = "";
    for (int i = 0; i < PH__COUNT; i++)
        if (allowed & 1u << i) {
            bp_strbuf_printf(out, "%s{%s}", separator, names[i]);
            separator = ", ";
        }
}

static void report(bp_jreader *jr, const char *name, size_t n, bool known, unsigned allowed)
{
    char written[64];
    snprintf(written, sizeof written, "%.*s", (int)(n < 60 ? n : 60), name);
    bp_strbuf list = BP_STRBUF_INIT;
    list_allowed(allowed, &list);
    const char *nearest = NULL;
    size_t distance = 3; /* suggest only near misses */
    for (int i = 0; i < PH__COUNT && !known; i++) {
        size_t d = bp_edit_distance(written, names[i]);
        if ((allowed & 1u << i) && d < distance) {
            distance = d;
            nearest = names[i];
        }
    }
    if (known)
        bp_jr_report(jr, "{%s} cannot be used in this text (it may use %s)", written,
                     bp_strbuf_cstr(&list));
    else if (nearest)
        bp_jr_report(jr, "unknown placeholder {%s} (did you mean {%s}? this text may use %s)",
                     written, nearest, bp_strbuf_cstr(&list));
    else
        bp_jr_report(jr, "unknown placeholder {%s} (this text may use %s)", written,
                     bp_strbuf_cstr(&list));
    bp_strbuf_free(&list);
}

void layout_check_placeholders(bp_jreader *jr, const char *text, unsigned allowed)
{
    for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
        size_t n = name_length(p + 1);
        if (n == 0 || p[1 + n] != '}')
            continue;
        layout_placeholder ph = find(p + 1, n);
        if (ph == PH__COUNT || !(allowed & 1u << ph))
            report(jr, p + 1, n, ph != PH__COUNT, allowed);
    }
}

void layout_values_of_unit(layout_values *values, const bp_unit *unit)
{
    memset(values, 0, sizeof *values);
    snprintf(values->year, sizeof values->year, "%d", unit->info.budget_year);
    values->value[PH_UNIT_CODE] = unit->info.code;
    values->value[PH_UNIT_NAME] = unit->info.name;
    values->value[PH_YEAR] = values->year;
    values->value[PH_MONEY_UNIT] = unit->info.money_unit;
    values->value[PH_AS_OF] = unit->assets.as_of;
}

void layout_expand(const char *text, const layout_values *values, bp_strbuf *out)
{
    const char *p = text;
    for (const char *open = strchr(p, '{'); open; open = strchr(open + 1, '{')) {
        size_t n = name_length(open + 1);
        layout_placeholder ph = n && open[1 + n] == '}' ? find(open + 1, n) : PH__COUNT;
        if (ph == PH__COUNT)
            continue; /* not a placeholder: stays as written (the layout was checked) */
        bp_strbuf_append(out, p, (size_t)(open - p));
        if (values->value[ph])
            bp_strbuf_puts(out, values->value[ph]);
        p = open + n + 2;
        open = p - 1;
    }
    bp_strbuf_puts(out, p);
}

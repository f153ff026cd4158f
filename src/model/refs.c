/*
 * refs.c: figures named in the unit's text ({expense.total}), resolved against the tables and
 * expanded into the text that is printed (see refs.h; docs/model.md, "Figures in the text",
 * lists the names).
 *
 * Stage: model. It reads a loaded unit and writes only into the caller's buffers: it never
 * changes the unit, keeps nothing between calls, and never guesses. A name it does not know,
 * or an amount the tables leave blank, is reported and printed as written, never as 0.00. The
 * fact that shaped it: published documents repeat table figures in their prose and get them
 * wrong (docs/sample.md lists the figures one unit's text got wrong), so the prose names the
 * figure and the tables supply it.
 */
#include "budgetpress/refs.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model_int.h"

#include "budgetpress/kind.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Longer names are refused without a lookup; the longest real one has 31 characters. */
enum { REF_NAME_MAX = 63 };

/* ---- This year's figures ---- */

typedef enum figure_source {
    FROM_EXPENSE_TOTAL,      /* 支出总表, 合计 row, by column */
    FROM_INCOME_GRAND_TOTAL, /* 收支总表, 收入总计 */
    FROM_BASIC_TOTAL,  /* 一般公共预算财政拨款基本支出表, 合计 row, by column */
    FROM_THREE_PUBLIC, /* 三公 table, by item, 合计 column */
    FROM_PROCUREMENT_TOTAL, /* procurement.total; this and what follows are no table's */
    FROM_ASSETS_TOTAL,      /* assets.total.value */
    FROM_ASSETS_PLANNED,    /* assets.planned_purchases */
} figure_source;

typedef struct figure {
    const char *name;     /* as written between the braces */
    figure_source source; /* which part of the model holds it */
    int which;            /* the bp_column or bp_three_public_item within that part */
    const char *where;    /* where a reader finds it, for messages */
} figure;

static const figure figures[] = {
    {"expense.total", FROM_EXPENSE_TOTAL, BP_COL_TOTAL, "支出总表, 合计 row, 合计 column"},
    {"expense.basic", FROM_EXPENSE_TOTAL, BP_COL_BASIC, "支出总表, 合计 row, 基本支出 column"},
    {"expense.project", FROM_EXPENSE_TOTAL, BP_COL_PROJECT, "支出总表, 合计 row, 项目支出 column"},
    {"income.total", FROM_INCOME_GRAND_TOTAL, BP_COL_TOTAL, "收支总表, 收入总计"},
    {"personnel", FROM_BASIC_TOTAL, BP_COL_PERSONNEL,
     "一般公共预算财政拨款基本支出表, 合计 row, 人员经费 column"},
    {"public", FROM_BASIC_TOTAL, BP_COL_PUBLIC,
     "一般公共预算财政拨款基本支出表, 合计 row, 公用经费 column"},
    {"operating_costs", FROM_BASIC_TOTAL, BP_COL_PUBLIC,
     "一般公共预算财政拨款基本支出表, 合计 row, 公用经费 column"},
    {"three_public", FROM_THREE_PUBLIC, BP_3P_TOTAL, "财政拨款“三公”经费支出表, 合计"},
    {"three_public.overseas", FROM_THREE_PUBLIC, BP_3P_OVERSEAS,
     "财政拨款“三公”经费支出表, 因公出国（境）费, 合计 column"},
    {"three_public.vehicles", FROM_THREE_PUBLIC, BP_3P_VEHICLES,
     "财政拨款“三公”经费支出表, 公务用车购置及运维费, 合计 column"},
    {"three_public.vehicle_purchase", FROM_THREE_PUBLIC, BP_3P_VEHICLE_PURCHASE,
     "财政拨款“三公”经费支出表, 公务用车购置费, 合计 column"},
    {"three_public.vehicle_operation", FROM_THREE_PUBLIC, BP_3P_VEHICLE_OPERATION,
     "财政拨款“三公”经费支出表, 公务用车运行维护费, 合计 column"},
    {"three_public.reception", FROM_THREE_PUBLIC, BP_3P_RECEPTION,
     "财政拨款“三公”经费支出表, 公务接待费, 合计 column"},
    {"procurement.total", FROM_PROCUREMENT_TOTAL, 0, "procurement.total"},
    {"assets.total", FROM_ASSETS_TOTAL, 0, "assets.total.value"},
    {"assets.planned_purchases", FROM_ASSETS_PLANNED, 0, "assets.planned_purchases"},
};

/* The figure of this year that each of last year's is compared with, for change. and trend.;
 * every previous_year key has one. */
static const char *const compared_with[BP_PREV__COUNT] = {
    [BP_PREV_TOTAL_EXPENSE] = "expense.total",
    [BP_PREV_PERSONNEL] = "personnel",
    [BP_PREV_PUBLIC] = "public",
    [BP_PREV_PROJECT] = "expense.project",
    [BP_PREV_OPERATING_COSTS] = "operating_costs",
    [BP_PREV_THREE_PUBLIC] = "three_public",
    [BP_PREV_THREE_PUBLIC_OVERSEAS] = "three_public.overseas",
    [BP_PREV_THREE_PUBLIC_VEHICLES] = "three_public.vehicles",
    [BP_PREV_THREE_PUBLIC_RECEPTION] = "three_public.reception",
};

static const figure *find_figure(const char *name)
{
    for (size_t i = 0; i < COUNT_OF(figures); i++)
        if (strcmp(figures[i].name, name) == 0)
            return &figures[i];
    return NULL;
}

static bp_amount figure_amount(const bp_unit *unit, const figure *f)
{
    switch (f->source) {
    case FROM_EXPENSE_TOTAL:
        return bp_row_amount(&unit->expense_summary.total, (bp_column)f->which);
    case FROM_INCOME_GRAND_TOTAL:
        return bp_row_amount(&unit->budget_summary.income.grand_total, (bp_column)f->which);
    case FROM_BASIC_TOTAL:
        return bp_row_amount(&unit->general_basic.total, (bp_column)f->which);
    case FROM_THREE_PUBLIC:
        return bp_row_amount(&unit->three_public.items[f->which], BP_COL_TOTAL);
    case FROM_PROCUREMENT_TOTAL:
        return unit->procurement.total;
    case FROM_ASSETS_TOTAL:
        return unit->assets.total_value;
    case FROM_ASSETS_PLANNED:
        return unit->assets.planned_purchases;
    }
    return bp_amount_blank();
}

/* ---- Answers ---- */

/* Where one resolution writes: the printed text, or why there is none. */
typedef struct answer {
    const bp_unit *unit;
    const char *name;
    char *text; /* BP_REF_TEXT_MAX bytes */
    char *why;  /* why_size bytes; NULL when the caller does not ask */
    size_t why_size;
} answer;

static bp_ref_status refuse(answer *a, bp_ref_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Says why, as "{name}: …", so that every message shows the reference as the text has it. */
static bp_ref_status refuse(answer *a, bp_ref_status status, const char *fmt, ...)
{
    if (!a->why || a->why_size == 0)
        return status;
    int n = snprintf(a->why, a->why_size, "{%s}: ", a->name);
    if (n >= 0 && (size_t)n < a->why_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(a->why + n, a->why_size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return status;
}

static bp_ref_status refuse_blank(answer *a, const char *where)
{
    return refuse(a, BP_REF_BLANK,
                  "%s is blank, and blank is not zero; give the amount there (\"0.00\" for a "
                  "real zero) or drop the reference",
                  where);
}

static bp_ref_status give_amount(answer *a, bp_amount value, const char *where)
{
    if (bp_amount_is_blank(value))
        return refuse_blank(a, where);
    bp_amount_format(value, false, a->text);
    return BP_REF_OK;
}

static bp_ref_status give_year(answer *a, int year)
{
    snprintf(a->text, BP_REF_TEXT_MAX, "%d", year);
    return BP_REF_OK;
}

/* ---- Names with a part after a prefix ---- */

static const char *after_prefix(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(name, prefix, n) == 0 ? name + n : NULL;
}

static int find_previous(const char *key)
{
    for (int i = 0; i < BP_PREV__COUNT; i++)
        if (strcmp(bp_previous_figure_key((bp_previous_figure)i), key) == 0)
            return i;
    return -1;
}

static bp_ref_status refuse_unknown(answer *a);

static bp_ref_status resolve_previous(const bp_unit *unit, answer *a, const char *key)
{
    int i = find_previous(key);
    if (i < 0)
        return refuse_unknown(a);
    char where[64];
    snprintf(where, sizeof where, "previous_year.%s", key);
    return give_amount(a, unit->previous_year[i], where);
}

/* A figure of a unit of a kind given as data, by the name its kind gives it: true with its
 * amount and its address (which says where it is) when the kind names it. */
static bool kind_figure(const bp_unit *unit, const char *name, bp_amount *value, char *where,
                        size_t size)
{
    const bp_kind *kind = unit->kind;
    for (size_t i = 0; kind && i < kind->figure_count; i++) {
        const char *fig = kind->figure_names[i], *at = kind->figure_addresses[i];
        size_t n = strlen(fig);
        bool row = n && fig[n - 1] == ':';
        if (row ? strncmp(name, fig, n) != 0 || !name[n] : strcmp(name, fig) != 0)
            continue;
        const char *slot = row ? strstr(at, "{code}") : NULL;
        if (slot)
            snprintf(where, size, "%.*s%s%s", (int)(slot - at), at, name + n, slot + 6);
        else
            snprintf(where, size, "%s", at);
        bool rounded;
        return bp_unit_figure(unit, where, value, &rounded);
    }
    return false;
}

/* This year's figure a name stands for: the kind's, or the built-in kind's; false when none. */
static bool this_year(const bp_unit *unit, const char *name, bp_amount *value, char *where,
                      size_t size)
{
    if (unit->kind)
        return kind_figure(unit, name, value, where, size);
    const figure *f = find_figure(name);
    if (!f)
        return false;
    *value = figure_amount(unit, f);
    snprintf(where, size, "%s", f->where);
    return true;
}

/* change.KEY prints |this year - last year|; trend.KEY says which way it went. */
static bp_ref_status resolve_change(const bp_unit *unit, answer *a, const char *key, bool trend)
{
    int i = find_previous(key);
    if (i < 0)
        return refuse_unknown(a);
    bp_amount now;
    char now_where[256];
    if (!this_year(unit, compared_with[i], &now, now_where, sizeof now_where))
        return refuse_unknown(a);
    bp_amount before = unit->previous_year[i];
    if (bp_amount_is_blank(now))
        return refuse_blank(a, now_where);
    if (bp_amount_is_blank(before)) {
        char where[64];
        snprintf(where, sizeof where, "previous_year.%s", key);
        return refuse_blank(a, where);
    }
    int64_t difference = now.hundredths - before.hundredths; /* both far inside int64 */
    if (trend) {
        const char *word = difference > 0 ? "增加" : difference < 0 ? "减少" : "持平";
        snprintf(a->text, BP_REF_TEXT_MAX, "%s", word);
        return BP_REF_OK;
    }
    bp_amount_format(bp_amount_from_hundredths(difference < 0 ? -difference : difference), false,
                     a->text);
    return BP_REF_OK;
}

static const bp_row *find_row(const bp_ledger *ledger, const char *code)
{
    for (size_t i = 0; i < ledger->row_count; i++)
        if (ledger->rows[i].code && strcmp(ledger->rows[i].code, code) == 0)
            return &ledger->rows[i];
    return NULL;
}

/* basic_row:CODE and expense_row:CODE print the 合计 column of that row. */
static bp_ref_status resolve_row(const bp_unit *unit, answer *a, bp_table_id table,
                                 const char *code)
{
    const char *title = bp_table_spec_get(table)->title;
    const bp_row *row = find_row(bp_unit_ledger(unit, table), code);
    if (!row)
        return refuse(a, BP_REF_NO_ROW, "%s has no row %s", title, code);
    /* A row name is the unit's text of any length; a message quotes its first 120 bytes. */
    int name_len = (int)bp_utf8_prefix(row->name, strlen(row->name), 120);
    char where[256];
    snprintf(where, sizeof where, "%s, row %s %.*s, 合计 column", title, row->code, name_len,
             row->name);
    return give_amount(a, bp_row_amount(row, BP_COL_TOTAL), where);
}

/* ---- Unknown names ---- */

/* Every name there is, one at a time, for the nearest-spelling hint. */
static void each_name(const bp_unit *unit, void (*take)(void *ctx, const char *name), void *ctx)
{
    for (size_t i = 0; unit->kind && i < unit->kind->figure_count; i++)
        take(ctx, unit->kind->figure_names[i]);
    for (size_t i = 0; i < COUNT_OF(figures); i++)
        if (!unit->kind || figures[i].source >= FROM_PROCUREMENT_TOTAL)
            take(ctx, figures[i].name);
    take(ctx, "year");
    take(ctx, "previous.year");
    static const char *const families[] = {"previous.", "change.", "trend."};
    char name[REF_NAME_MAX + 1];
    for (size_t f = 0; f < COUNT_OF(families); f++)
        for (int i = 0; i < BP_PREV__COUNT; i++) {
            snprintf(name, sizeof name, "%s%s", families[f],
                     bp_previous_figure_key((bp_previous_figure)i));
            take(ctx, name);
        }
}

typedef struct nearest {
    const char *misspelt;
    char best[REF_NAME_MAX + 1];
    size_t distance;
} nearest;

static void consider(void *ctx, const char *name)
{
    nearest *n = ctx;
    size_t d = bp_edit_distance(n->misspelt, name);
    if (d < n->distance) {
        n->distance = d;
        snprintf(n->best, sizeof n->best, "%s", name);
    }
}

static bp_ref_status refuse_unknown(answer *a)
{
    nearest n = {.misspelt = a->name, .best = "", .distance = 3}; /* only near misses */
    each_name(a->unit, consider, &n);
    if (n.best[0])
        return refuse(a, BP_REF_UNKNOWN, "no figure has this name (did you mean {%s}?)", n.best);
    return refuse(a, BP_REF_UNKNOWN,
                  "no figure has this name (docs/model.md, \"Figures in the text\", lists them)");
}

/* The key of the structured part a figure belongs to when the unit lacks that part, so that
 * the message says so instead of calling its amount blank; NULL otherwise. */
static const char *missing_part(const bp_unit *unit, figure_source source)
{
    if (source == FROM_PROCUREMENT_TOTAL && !unit->procurement.present)
        return bp_part_key(BP_PART_PROCUREMENT);
    if ((source == FROM_ASSETS_TOTAL || source == FROM_ASSETS_PLANNED) && !unit->assets.present)
        return bp_part_key(BP_PART_ASSETS);
    return NULL;
}

static bp_ref_status resolve_figure(const bp_unit *unit, answer *a, const figure *f)
{
    const char *part = missing_part(unit, f->source);
    if (part)
        return refuse(a, BP_REF_BLANK, "the unit has no \"%s\"", part);
    return give_amount(a, figure_amount(unit, f), f->where);
}

bp_ref_status bp_ref_resolve(const bp_unit *unit, const char *name, char text[BP_REF_TEXT_MAX],
                             char *why, size_t why_size)
{
    answer a = {unit, name, text, why, why_size};
    text[0] = '\0';
    if (why && why_size)
        why[0] = '\0';
    bp_amount value;
    char where[256];
    if (unit->kind && kind_figure(unit, name, &value, where, sizeof where))
        return give_amount(&a, value, where);
    /* The structured parts' figures (procurement, assets) are every kind's; a kind names its
     * tables' own. */
    const figure *f = find_figure(name);
    if (f && (!unit->kind || f->source >= FROM_PROCUREMENT_TOTAL))
        return resolve_figure(unit, &a, f);
    if (strcmp(name, "year") == 0)
        return give_year(&a, unit->info.budget_year);
    if (strcmp(name, "previous.year") == 0)
        return give_year(&a, unit->info.budget_year - 1);
    const char *rest;
    if ((rest = after_prefix(name, "previous.")))
        return resolve_previous(unit, &a, rest);
    if ((rest = after_prefix(name, "change.")))
        return resolve_change(unit, &a, rest, false);
    if ((rest = after_prefix(name, "trend.")))
        return resolve_change(unit, &a, rest, true);
    if (unit->kind) /* its row figures are the kind's, looked up above */
        return refuse_unknown(&a);
    if ((rest = after_prefix(name, "basic_row:")))
        return resolve_row(unit, &a, BP_TABLE_GENERAL_BASIC, rest);
    if ((rest = after_prefix(name, "expense_row:")))
        return resolve_row(unit, &a, BP_TABLE_EXPENSE_SUMMARY, rest);
    return refuse_unknown(&a);
}

/* ---- Expanding a text ---- */

typedef struct expansion {
    const bp_unit *unit;
    const char *path; /* of the text, for messages */
    bp_diags *diags;  /* NULL: count only */
    char *out;
    size_t size; /* of out */
    size_t len;  /* of the whole expansion, which may exceed size */
    size_t bad;
    unsigned char *marks; /* size bytes, or NULL: 1 where a reference printed the byte */
} expansion;

/* Appends n bytes to the output; from_ref says a reference printed them. */
static void emit_marked(expansion *x, const char *s, size_t n, unsigned char from_ref)
{
    if (x->len < x->size) {
        size_t room = x->size - 1 - x->len;
        size_t fit = n < room ? n : room;
        memcpy(x->out + x->len, s, fit);
        if (x->marks)
            memset(x->marks + x->len, from_ref, fit);
    }
    x->len += n;
}

static void emit(expansion *x, const char *s, size_t n)
{
    emit_marked(x, s, n, 0);
}

static void report(expansion *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void report(expansion *x, const char *fmt, ...)
{
    x->bad++;
    if (!x->diags)
        return;
    va_list ap;
    va_start(ap, fmt);
    bp_diags_vadd(x->diags, BP_SEVERITY_ERROR, "REF", x->unit->source, 0, 0, x->path, fmt, ap);
    va_end(ap);
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':';
}

/* The length of the name after a '{' when a '}' closes it right after; 0 otherwise. */
static size_t name_length(const char *s)
{
    size_t n = 0;
    while (is_name_char(s[n]))
        n++;
    return n > 0 && s[n] == '}' ? n : 0;
}

static void expand_reference(expansion *x, const char *name, size_t len)
{
    char key[REF_NAME_MAX + 1], text[BP_REF_TEXT_MAX], why[512];
    if (len > REF_NAME_MAX) {
        report(x, "{%.*s}: no figure has so long a name", (int)len, name);
    } else {
        memcpy(key, name, len);
        key[len] = '\0';
        if (bp_ref_resolve(x->unit, key, text, why, sizeof why) == BP_REF_OK) {
            emit_marked(x, text, strlen(text), 1);
            return;
        }
        report(x, "%s", why);
    }
    emit(x, name - 1, len + 2); /* printed as written, braces and all */
}

/* A '{' that opens no reference ("{Total}", "{}", "{ "): reported once, with what follows up
 * to its '}' when one is near, and copied as written. Returns the bytes it consumed. */
static size_t stray_open(expansion *x, const char *p)
{
    size_t next = strcspn(p + 1, "{}");
    size_t n = p[1 + next] == '}' && next < 40 ? next + 2 : 1;
    report(x,
           "\"%.*s\" is not a reference: a name of lowercase letters, digits and _ . : stands "
           "between the braces; write {{ for a brace",
           (int)n, p);
    emit(x, p, n);
    return n;
}

static void expand_text(expansion *x, const char *text)
{
    for (const char *p = text; *p;) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            emit(x, p, 1);
            p += 2;
        } else if (p[0] == '{') {
            size_t n = name_length(p + 1);
            if (n) {
                expand_reference(x, p + 1, n);
                p += n + 2;
            } else {
                p += stray_open(x, p);
            }
        } else if (p[0] == '}') {
            report(x, "a \"}\" closes no reference; write }} for a brace");
            emit(x, p++, 1);
        } else {
            size_t run = strcspn(p, "{}");
            emit(x, p, run);
            p += run;
        }
    }
}

static size_t finish(expansion *x)
{
    if (x->size > 0)
        x->out[x->len < x->size ? x->len : x->size - 1] = '\0';
    return x->len;
}

size_t bp_refs_expand(const bp_unit *unit, const char *text, const char *path, char *out,
                      size_t size, bp_diags *diags, size_t *bad)
{
    expansion x = {unit, path, diags, out, size, 0, 0, NULL};
    expand_text(&x, text);
    if (bad)
        *bad = x.bad;
    return finish(&x);
}

size_t bp_refs_expand_marked(const bp_unit *unit, const char *text, char *out, unsigned char *marks,
                             size_t size)
{
    expansion x = {unit, NULL, NULL, out, size, 0, 0, marks};
    expand_text(&x, text);
    return finish(&x);
}

/* ---- The texts that are expanded ---- */

typedef struct walk {
    bp_text_visitor visit;
    void *ctx;
    char path[256];
} walk;

static void visit_at(walk *w, const char *text, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void visit_at(walk *w, const char *text, const char *fmt, ...)
{
    if (!text)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->path, sizeof w->path, fmt, ap);
    va_end(ap);
    w->visit(w->ctx, text, w->path);
}

static void walk_block(walk *w, const char *section, size_t b, const bp_block *block)
{
    const char *at = "explanation.sections";
    switch (block->kind) {
    case BP_BLOCK_HEADING:
        visit_at(w, block->text, "%s.%s.blocks[%zu].heading", at, section, b);
        break;
    case BP_BLOCK_PARAGRAPH:
        visit_at(w, block->text, "%s.%s.blocks[%zu].paragraph", at, section, b);
        break;
    case BP_BLOCK_LIST:
        for (size_t i = 0; i < block->item_count; i++)
            visit_at(w, block->items[i], "%s.%s.blocks[%zu].list[%zu]", at, section, b, i);
        break;
    case BP_BLOCK_INCLUDE:
        break;
    }
}

static void walk_targets(walk *w, const bp_target_group *group, size_t g)
{
    const char *at = "performance.itemised";
    visit_at(w, group->title, "%s[%zu].title", at, g);
    for (size_t i = 0; i < group->target_count; i++) {
        const bp_target *target = &group->targets[i];
        visit_at(w, target->target, "%s[%zu].targets[%zu].target", at, g, i);
        for (size_t k = 0; k < target->indicator_count; k++)
            visit_at(w, target->indicators[k], "%s[%zu].targets[%zu].indicators[%zu]", at, g, i, k);
    }
}

static void walk_performance(walk *w, const bp_performance *perf)
{
    visit_at(w, perf->overall, "performance.overall");
    for (size_t g = 0; g < perf->group_count; g++)
        walk_targets(w, &perf->groups[g], g);
    for (size_t i = 0; i < perf->safeguard_count; i++) {
        visit_at(w, perf->safeguards[i].title, "performance.safeguards[%zu].title", i);
        visit_at(w, perf->safeguards[i].text, "performance.safeguards[%zu].text", i);
    }
    visit_at(w, perf->special_funds, "performance.special_funds");
}

void bp_refs_each_text(const bp_unit *unit, bp_text_visitor visit, void *ctx)
{
    walk w = {.visit = visit, .ctx = ctx};
    visit_at(&w, unit->explanation.preface, "explanation.preface");
    for (size_t s = 0; s < unit->explanation.keyed_count; s++) { /* a kind's, in file order */
        const bp_section *section = &unit->explanation.keyed[s];
        for (size_t b = 0; b < section->block_count; b++)
            walk_block(&w, section->key, b, &section->blocks[b]);
    }
    for (int s = 0; s < BP_SEC__COUNT; s++) {
        const bp_section *section = &unit->explanation.sections[s];
        for (size_t b = 0; b < section->block_count; b++)
            walk_block(&w, bp_section_key((bp_section_id)s), b, &section->blocks[b]);
    }
    walk_performance(&w, &unit->performance);
}

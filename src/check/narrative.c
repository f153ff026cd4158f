/*
 * narrative.c: the rules of `budgetpress check` that read the text of the explanatory part:
 * figures typed into a paragraph as digits must agree with the tables (FIGURE), and a list
 * introduced by 其中 must add up to the total it breaks down (LIST).
 *
 * A figure bound to the model ({expense.total}) agrees by construction, so FIGURE looks at
 * digits only; LIST adds up whatever prints, references expanded. The reading is deliberately
 * narrow, so that a finding is a real contradiction and a clean unit gives none:
 *
 *   - an amount is digits with at most two decimals followed by the unit's money unit
 *     ("79.53 万元"); percentages, counts and years are not amounts;
 *   - what an amount is of is the name nearest before it in its clause (the text since the last
 *     ，；：、。): "其中印刷费 2.87 万元" is of 印刷费. Names are a fixed list (机关运行经费,
 *     “三公”经费, 人员经费 …) plus the row names of 一般公共预算财政拨款基本支出表 and 支出总表
 *     that no other of their rows shares. An amount without a name is not compared;
 *   - an amount right after 增加 / 减少 (and kin) is a change since last year, of the nearest
 *     name before it in its sentence, and is compared with {change.KEY} and {trend.KEY};
 *   - which year an amount is of: the budget year, unless the sentence says another year
 *     ("2021 年单位“三公”经费 8.79 万元"); a year after 与 / 比 / 较 is a comparison and
 *     changes nothing ("与 2021 年一致"). Amounts of last year compare with previous_year;
 *     of any other year, with nothing;
 *   - 其中 opens a list whose total is the amount before it; the list ends with its sentence or
 *     at a change amount. An item labelled 小计 or 合计 closes the items before it, which must
 *     add up to it, and stands for them. A list of two items or more that adds up to more than
 *     its total is an error; to less, a warning (其中 may list only the main items).
 *
 * Reads the model only; thread-safe.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "budgetpress/kind.h"
#include "budgetpress/refs.h"

#include "../util/util.h"
#include "check_int.h"

/* A figure of the model that the text may name. */
typedef struct named_figure {
    const char *phrase;   /* as the text writes it: "机关运行经费" */
    const char *ref;      /* this year's figure as a reference name: "operating_costs"; for
                             a row, the name's prefix ("basic_row:") to which its code adds */
    const char *previous; /* its previous_year key ("operating_costs"), or NULL */
    const char *source;   /* where the tables print it; for a row, its table's title */
    const char *code;     /* a row's code, else NULL */
    int rank;             /* 0 for the fixed names, 1 for row names: a fixed name wins */
} named_figure;

/* Names every unit has. Where two phrases overlap, the nearest and then the longest wins, so
 * "日常公用经费" beats "公用经费" and "公务用车运行维护费" is not read as 公务用车购置及运维费. */
static const struct {
    const char *phrase, *ref, *previous, *source;
} fixed_names[] = {
    {"机关运行经费", "operating_costs", "operating_costs",
     "一般公共预算财政拨款基本支出表 合计 公用经费 (机关运行经费)"},
    {"“三公”经费", "three_public", "three_public", "财政拨款“三公”经费支出表 合计"},
    {"\"三公\"经费", "three_public", "three_public", "财政拨款“三公”经费支出表 合计"},
    {"三公经费", "three_public", "three_public", "财政拨款“三公”经费支出表 合计"},
    {"因公出国（境）费", "three_public.overseas", "three_public_overseas",
     "财政拨款“三公”经费支出表 因公出国（境）费"},
    {"公务用车购置及运维费", "three_public.vehicles", "three_public_vehicles",
     "财政拨款“三公”经费支出表 公务用车购置及运维费"},
    {"公务用车购置费", "three_public.vehicle_purchase", NULL,
     "财政拨款“三公”经费支出表 公务用车购置费"},
    {"公务用车运行维护费", "three_public.vehicle_operation", NULL,
     "财政拨款“三公”经费支出表 公务用车运行维护费"},
    {"公务接待费", "three_public.reception", "three_public_reception",
     "财政拨款“三公”经费支出表 公务接待费"},
    {"人员经费", "personnel", "personnel", "一般公共预算财政拨款基本支出表 合计 人员经费"},
    {"人员支出", "personnel", "personnel", "一般公共预算财政拨款基本支出表 合计 人员经费"},
    {"公用经费", "public", "public", "一般公共预算财政拨款基本支出表 合计 公用经费"},
    {"日常公用经费", "public", "public", "一般公共预算财政拨款基本支出表 合计 公用经费"},
    {"基本支出", "expense.basic", NULL, "支出总表 合计 基本支出"},
    {"项目支出", "expense.project", "project", "支出总表 合计 项目支出"},
    {"项目预算", "expense.project", "project", "支出总表 合计 项目支出"},
    {"预算支出", "expense.total", "total_expense", "支出总表 合计"},
    {"总支出", "expense.total", "total_expense", "支出总表 合计"},
    {"政府采购预算", "procurement.total", NULL, "procurement.total"},
    {"固定资产金额", "assets.total", NULL, "单位固定资产占用情况表 合计 价值"},
    {"拟购置固定资产", "assets.planned_purchases", NULL, "assets.planned_purchases"},
};

typedef struct names {
    named_figure *items; /* sorted by phrase, each phrase once */
    size_t count;
} names;

/* The figure's reference name: "operating_costs", "basic_row:30201". */
static void reference_name(const named_figure *f, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s", f->ref, f->code ? f->code : "");
}

/* "一般公共预算财政拨款基本支出表 30202 印刷费", or the fixed name's source. */
static void describe(const named_figure *f, char *buf, size_t size)
{
    if (f->code)
        snprintf(buf, size, "%s %s %s", f->source, f->code, f->phrase);
    else
        snprintf(buf, size, "%s", f->source);
}

/* ---- Collecting the names a unit's text may use ---- */

/* Adds the rows of a ledger with a code and a name of three characters or more (shorter ones,
 * 收入 or 支出, would match inside any sentence), as "<prefix>CODE" references. Nothing is
 * formatted here: a unit may have thousands of rows and its text names a dozen. */
static void add_rows(names *ns, const bp_ledger *ledger, const char *prefix, const char *table)
{
    for (size_t i = 0; i < ledger->row_count; i++) {
        const bp_row *row = &ledger->rows[i];
        if (!row->code || !row->name || strlen(row->name) < 3 * 3)
            continue;
        ns->items[ns->count++] = (named_figure){row->name, prefix, NULL, table, row->code, 1};
    }
}

static int by_phrase_then_rank(const void *a, const void *b)
{
    const named_figure *x = a, *y = b;
    int c = strcmp(x->phrase, y->phrase);
    return c ? c : x->rank - y->rank;
}

/* Sorts by phrase and keeps each phrase once: a fixed name over rows of the same name; a row
 * name that two rows share says nothing about which, so it goes. */
static void keep_unambiguous(names *ns)
{
    qsort(ns->items, ns->count, sizeof *ns->items, by_phrase_then_rank);
    size_t kept = 0;
    for (size_t i = 0; i < ns->count;) {
        size_t j = i + 1;
        while (j < ns->count && strcmp(ns->items[j].phrase, ns->items[i].phrase) == 0)
            j++;
        if (ns->items[i].rank == 0 || j - i == 1)
            ns->items[kept++] = ns->items[i];
        i = j;
    }
    ns->count = kept;
}

/* The ledger a kind's row figure reads ("basic_row:" →
 * "general_budget_basic_expense.{code}.total"), or NULL for a figure of one place. */
static const bp_data_table *row_figure_table(const bp_unit *unit, size_t figure)
{
    const char *at = unit->kind->figure_addresses[figure];
    if (!strstr(at, "{code}"))
        return NULL;
    char table[128];
    snprintf(table, sizeof table, "%.*s", (int)strcspn(at, "."), at);
    const bp_data_table *dt = bp_unit_data_table(unit, table);
    return dt && dt->spec->rows == BP_ROWS_LEDGER ? dt : NULL;
}

/* How many rows the kind's row figures name, as for the built-in kind's two ledgers. */
static size_t kind_row_count(const bp_unit *unit)
{
    size_t rows = 0;
    for (size_t i = 0; unit->kind && i < unit->kind->figure_count; i++) {
        const bp_data_table *dt = row_figure_table(unit, i);
        rows += dt ? dt->row_count : 0;
    }
    return rows;
}

static void add_kind_rows(names *ns, const bp_unit *unit)
{
    for (size_t i = 0; unit->kind && i < unit->kind->figure_count; i++) {
        const bp_data_table *dt = row_figure_table(unit, i);
        for (size_t r = 0; dt && r < dt->row_count; r++) {
            const bp_data_row *row = &dt->rows[r];
            if (row->code && row->name && strlen(row->name) >= 3 * 3)
                ns->items[ns->count++] = (named_figure){
                    row->name, unit->kind->figure_names[i], NULL, dt->spec->title, row->code, 1};
        }
    }
}

/* Whether the unit's kind names a fixed name's figure (the built-in kind names them all). */
static bool named_by_kind(const bp_unit *unit, const char *ref)
{
    char text[BP_REF_TEXT_MAX];
    return !unit->kind || bp_ref_resolve(unit, ref, text, NULL, 0) != BP_REF_UNKNOWN;
}

static bool names_init(names *ns, const bp_unit *unit)
{
    size_t fixed = sizeof fixed_names / sizeof fixed_names[0];
    size_t rows = unit->general_basic.row_count + unit->expense_summary.row_count;
    ns->items = calloc(fixed + rows + kind_row_count(unit), sizeof *ns->items);
    ns->count = 0;
    if (!ns->items)
        return false;
    add_rows(ns, &unit->general_basic,
             "basic_row:", bp_table_spec_get(BP_TABLE_GENERAL_BASIC)->title);
    add_rows(ns, &unit->expense_summary,
             "expense_row:", bp_table_spec_get(BP_TABLE_EXPENSE_SUMMARY)->title);
    add_kind_rows(ns, unit);
    for (size_t i = 0; i < fixed; i++)
        if (named_by_kind(unit, fixed_names[i].ref))
            ns->items[ns->count++] = (named_figure){fixed_names[i].phrase,
                                                    fixed_names[i].ref,
                                                    fixed_names[i].previous,
                                                    fixed_names[i].source,
                                                    NULL,
                                                    0};
    keep_unambiguous(ns);
    return true;
}

static void names_free(names *ns)
{
    free(ns->items);
}

/* ---- Reading the text ---- */

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

static const char *const sentence_ends[] = {"。", "！", "？", "\n"};
static const char *const clause_ends[] = {"。", "！", "？", "\n", "，", "；",
                                          "：", "、", ",",  ";",  ":"};

/* The length of the delimiter at s when it is one of the list, else 0. */
static size_t delimiter_at(const char *s, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (starts(s, list[i]))
            return strlen(list[i]);
    return 0;
}

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The length of the UTF-8 character that starts with byte c. */
static size_t char_length(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* The first name whose phrase starts with the character at s (binary search), or count. */
static size_t first_with_lead(const names *ns, const char *s, size_t lead)
{
    size_t lo = 0, hi = ns->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strncmp(ns->items[mid].phrase, s, lead) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ns->count && strncmp(ns->items[lo].phrase, s, lead) == 0 ? lo : ns->count;
}

/* The name whose phrase ends nearest before `end` within [from, end), longest on a tie. Only
 * the names sharing the first character of each position are compared, so a unit with
 * thousands of row names costs a binary search per character of the clause. */
static const named_figure *nearest_name(const names *ns, const char *text, size_t from, size_t end)
{
    const named_figure *best = NULL;
    size_t best_end = 0, best_len = 0;
    for (size_t at = from; at < end; at++) {
        if (((unsigned char)text[at] & 0xC0) == 0x80)
            continue; /* inside a character */
        size_t lead = char_length((unsigned char)text[at]);
        for (size_t i = first_with_lead(ns, text + at, lead);
             i < ns->count && strncmp(ns->items[i].phrase, text + at, lead) == 0; i++) {
            size_t len = strlen(ns->items[i].phrase);
            if (at + len > end || memcmp(text + at, ns->items[i].phrase, len) != 0)
                continue;
            if (at + len > best_end || (at + len == best_end && len > best_len)) {
                best = &ns->items[i];
                best_end = at + len;
                best_len = len;
            }
        }
    }
    return best;
}

/* Skips ASCII spaces backwards from end; returns the new end. */
static size_t trim_back(const char *text, size_t end)
{
    while (end > 0 && text[end - 1] == ' ')
        end--;
    return end;
}

/* +1 when the text right before `end` says the amount is an increase, -1 a decrease, else 0. */
static int change_word_before(const char *text, size_t end)
{
    static const char *const up[] = {"增加", "增长", "上升", "提高"};
    static const char *const down[] = {"减少", "下降", "降低", "压减"};
    end = trim_back(text, end);
    for (size_t i = 0; i < COUNT_OF(up); i++)
        if (ends_with(text, end, up[i]))
            return 1;
    for (size_t i = 0; i < COUNT_OF(down); i++)
        if (ends_with(text, end, down[i]))
            return -1;
    return 0;
}

/* A year that is compared with ("与 2021 年") rather than spoken of. */
static bool is_comparison(const char *text, size_t start)
{
    static const char *const words[] = {"与", "比", "较", "同", "和", "至", "到", "从"};
    size_t end = trim_back(text, start);
    for (size_t i = 0; i < COUNT_OF(words); i++)
        if (ends_with(text, end, words[i]))
            return true;
    return false;
}

/* One amount of the text. */
typedef struct amount_at {
    size_t start, end; /* the digits */
    size_t after;      /* past the money unit */
    int64_t hundredths;
    bool literal; /* typed as digits, not printed by a reference */
} amount_at;

/* Parses digits at text+i with at most two decimals, followed by spaces and the money unit. */
static bool read_amount(const char *text, size_t i, const char *money_unit, amount_at *out)
{
    if (i > 0 &&
        ((text[i - 1] >= '0' && text[i - 1] <= '9') || text[i - 1] == '.' || text[i - 1] == '-'))
        return false;
    size_t j = i;
    int64_t value = 0;
    while (text[j] >= '0' && text[j] <= '9' && j - i < 15)
        value = value * 10 + (text[j++] - '0');
    if (j == i || (text[j] >= '0' && text[j] <= '9'))
        return false;
    int decimals = 0;
    if (text[j] == '.' && text[j + 1] >= '0' && text[j + 1] <= '9') {
        j++;
        while (text[j] >= '0' && text[j] <= '9' && decimals < 3) {
            value = value * 10 + (text[j++] - '0');
            decimals++;
        }
        if (decimals > 2)
            return false;
    }
    for (; decimals < 2; decimals++)
        value *= 10;
    size_t k = j;
    while (text[k] == ' ')
        k++;
    if (!starts(text + k, money_unit))
        return false;
    out->start = i;
    out->end = j;
    out->after = k + strlen(money_unit);
    out->hundredths = value;
    return true;
}

/* ---- The rules ---- */

typedef struct list {
    bool open;
    int64_t total;
    size_t total_start, total_end;
    int64_t sum;      /* of the items since the last 小计 */
    int64_t closed;   /* of the items up to the last 小计 */
    size_t items;     /* counted since the list opened, a 小计 as one */
    size_t since_sub; /* items since the last 小计 */
    bool overflow;    /* a sum left the int64 range: the list is not added up */
} list;

typedef struct reader {
    const bp_unit *unit;
    const names *names;
    bp_diags *diags;
    const char *path;
    const char *text;
    const unsigned char *from_ref; /* 1 where a reference printed the byte */
    size_t errors;
    int year;           /* of the current sentence */
    size_t sentence;    /* where the current sentence began */
    size_t clause;      /* where the current clause began (the text since the last ，；…) */
    bool have_last;     /* an amount that a 其中 can break down */
    amount_at last;     /* the most recent amount that is not a change */
    size_t last_clause; /* where its clause began, to quote it */
    list list;
} reader;

static void finding(reader *r, bp_severity severity, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void finding(reader *r, bp_severity severity, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bp_diags_vadd(r->diags, severity, rule, r->unit->source, 0, 0, r->path, fmt, ap);
    va_end(ap);
    if (severity == BP_SEVERITY_ERROR)
        r->errors++;
}

/* Resolves a reference to an amount; false when the model does not hold it. */
static bool model_amount(const bp_unit *unit, const char *name, int64_t *out)
{
    char text[BP_REF_TEXT_MAX];
    bp_amount a;
    if (bp_ref_resolve(unit, name, text, NULL, 0) != BP_REF_OK ||
        !bp_amount_parse(text, strlen(text), &a))
        return false;
    *out = a.hundredths;
    return true;
}

/* FIGURE for an amount of this year or last year. */
static void compare_level(reader *r, const named_figure *c, const amount_at *a)
{
    char name[64];
    char source[256];
    describe(c, source, sizeof source);
    if (r->year == r->unit->info.budget_year) {
        reference_name(c, name, sizeof name);
    } else if (r->year == r->unit->info.budget_year - 1 && c->previous) {
        snprintf(name, sizeof name, "previous.%s", c->previous);
        snprintf(source, sizeof source, "previous_year.%s", c->previous);
    } else {
        return;
    }
    int64_t expected;
    if (!model_amount(r->unit, name, &expected) || expected == a->hundredths)
        return;
    char found[BP_AMOUNT_FORMAT_MAX], want[BP_AMOUNT_FORMAT_MAX], diff[BP_AMOUNT_FORMAT_MAX];
    bp_check_format_hundredths(a->hundredths, found);
    bp_check_format_hundredths(expected, want);
    bp_check_format_hundredths(a->hundredths - expected, diff);
    finding(r, BP_SEVERITY_ERROR, "FIGURE", "%d 年%s %s %s in the text ≠ %s in %s (diff %s)",
            r->year, c->phrase, found, r->unit->info.money_unit, want, source, diff);
}

/* FIGURE for an amount that says how much a figure changed since last year. */
static void compare_change(reader *r, const named_figure *c, const amount_at *a, int direction)
{
    if (!c->previous)
        return;
    char name[64], trend[BP_REF_TEXT_MAX];
    int64_t expected;
    snprintf(name, sizeof name, "change.%s", c->previous);
    if (!model_amount(r->unit, name, &expected))
        return;
    snprintf(name, sizeof name, "trend.%s", c->previous);
    if (bp_ref_resolve(r->unit, name, trend, NULL, 0) != BP_REF_OK)
        return;
    int actual = strcmp(trend, "增加") == 0 ? 1 : strcmp(trend, "减少") == 0 ? -1 : 0;
    if (expected == a->hundredths && (actual == direction || expected == 0))
        return;
    int64_t before = 0, now = 0;
    snprintf(name, sizeof name, "previous.%s", c->previous);
    model_amount(r->unit, name, &before);
    reference_name(c, name, sizeof name);
    model_amount(r->unit, name, &now);
    char found[BP_AMOUNT_FORMAT_MAX], want[BP_AMOUNT_FORMAT_MAX];
    char then_text[BP_AMOUNT_FORMAT_MAX], now_text[BP_AMOUNT_FORMAT_MAX], source[256];
    describe(c, source, sizeof source);
    bp_check_format_hundredths(a->hundredths, found);
    bp_check_format_hundredths(expected, want);
    bp_check_format_hundredths(before, then_text);
    bp_check_format_hundredths(now, now_text);
    finding(r, BP_SEVERITY_ERROR, "FIGURE",
            "%s %s %s %s in the text ≠ %s %s: from %s (previous_year.%s) to %s (%s)", c->phrase,
            direction > 0 ? "增加" : "减少", found, r->unit->info.money_unit,
            actual ? trend : "持平", want, then_text, c->previous, now_text, source);
}

/* Whether the unit's figures are printed rounded: its kind marks a table so. */
static bool figures_rounded(const bp_unit *unit)
{
    for (size_t i = 0; unit->kind && i < unit->kind->table_count; i++)
        if (unit->kind->tables[i].rounded)
            return true;
    return false;
}

static void close_list(reader *r)
{
    list *l = &r->list;
    if (!l->open)
        return;
    l->open = false;
    if (l->items < 2)
        return;
    int64_t sum;
    if (l->overflow || __builtin_add_overflow(l->closed, l->sum, &sum))
        return;
    if (sum == l->total)
        return;
    char total[BP_AMOUNT_FORMAT_MAX], items[BP_AMOUNT_FORMAT_MAX], diff[BP_AMOUNT_FORMAT_MAX];
    bp_check_format_hundredths(l->total, total);
    bp_check_format_hundredths(sum, items);
    bp_check_format_hundredths(sum - l->total, diff);
    /* The clause that states the total, its last 90 bytes: the amount is at its end. */
    size_t from = l->total_start;
    while (l->total_end - from > 90 || ((unsigned char)r->text[from] & 0xC0) == 0x80)
        from++;
    const char *cut = from > l->total_start ? "…" : "";
    int quoted = (int)(l->total_end - from);
    /* Figures printed rounded (万元 from 元) need not add up to the last 分: within the
     * rounding of the items and the total, a residue is W-ROUND, as in the tables. */
    int64_t tolerance = (int64_t)(l->items + 1) / 2;
    if (figures_rounded(r->unit) && llabs(sum - l->total) <= tolerance) {
        char tol[BP_AMOUNT_FORMAT_MAX];
        bp_check_format_hundredths(tolerance, tol);
        finding(r, BP_SEVERITY_WARNING, "ROUND",
                "the %zu items listed after 其中 add up to %s, not the stated total %s (diff %s), "
                "within the rounding of %zu figures (±%s), of “%s%.*s”",
                l->items, items, total, diff, l->items + 1, tol, cut, quoted, r->text + from);
        return;
    }
    finding(r, sum > l->total ? BP_SEVERITY_ERROR : BP_SEVERITY_WARNING, "LIST",
            "the %zu items listed after 其中 add up to %s, not the stated total %s (diff %s) of "
            "“%s%.*s”",
            l->items, items, total, diff, cut, quoted, r->text + from);
}

/* 小计 / 合计: the items since the last one must add up to it; it then stands for them. */
static void list_subtotal(reader *r, const amount_at *a)
{
    list *l = &r->list;
    if (l->since_sub >= 2 && !l->overflow && l->sum != a->hundredths) {
        char stated[BP_AMOUNT_FORMAT_MAX], items[BP_AMOUNT_FORMAT_MAX];
        char diff[BP_AMOUNT_FORMAT_MAX];
        bp_check_format_hundredths(a->hundredths, stated);
        bp_check_format_hundredths(l->sum, items);
        bp_check_format_hundredths(l->sum - a->hundredths, diff);
        finding(r, BP_SEVERITY_ERROR, "LIST", "the %zu items before 小计 %s add up to %s (diff %s)",
                l->since_sub, stated, items, diff);
    }
    l->items = l->items - l->since_sub + 1;
    if (__builtin_add_overflow(l->closed, a->hundredths, &l->closed))
        l->overflow = true;
    l->sum = 0;
    l->since_sub = 0;
}

static void on_amount(reader *r, const amount_at *a)
{
    size_t clause = r->clause;
    int direction = change_word_before(r->text, a->start);
    if (direction) {
        close_list(r);
        if (a->literal) {
            const named_figure *c = nearest_name(r->names, r->text, clause, a->start);
            if (!c)
                c = nearest_name(r->names, r->text, r->sentence, a->start);
            if (c)
                compare_change(r, c, a, direction);
        }
        return;
    }
    if (a->literal) {
        const named_figure *c = nearest_name(r->names, r->text, clause, a->start);
        if (c)
            compare_level(r, c, a);
    }
    size_t label = clause;
    while (r->text[label] == ' ')
        label++;
    if (r->list.open) {
        if (starts(r->text + label, "小计") || starts(r->text + label, "合计")) {
            list_subtotal(r, a);
        } else {
            if (__builtin_add_overflow(r->list.sum, a->hundredths, &r->list.sum))
                r->list.overflow = true;
            r->list.items++;
            r->list.since_sub++;
        }
    }
    r->last = *a;
    r->last_clause = label;
    r->have_last = true;
}

static void open_list(reader *r)
{
    close_list(r);
    if (!r->have_last)
        return;
    r->list = (list){true, r->last.hundredths, r->last_clause, r->last.after, 0, 0, 0, 0, false};
}

/* "2021 年", "上年", "本年度": which year the rest of the sentence speaks of. */
static size_t read_year(reader *r, size_t i)
{
    const char *t = r->text + i;
    if (starts(t, "本年") || starts(t, "今年")) {
        r->year = r->unit->info.budget_year;
        return strlen("本年");
    }
    if ((starts(t, "上年") && !starts(t, "上年末")) || starts(t, "去年")) {
        r->year = r->unit->info.budget_year - 1;
        return strlen("上年");
    }
    if (i > 0 && t[-1] >= '0' && t[-1] <= '9')
        return 0;
    size_t digits = strspn(t, "0123456789");
    size_t k = digits;
    while (t[k] == ' ')
        k++;
    if (digits != 4 || !starts(t + k, "年"))
        return 0;
    if (!is_comparison(r->text, i))
        r->year = atoi(t);
    return k + strlen("年");
}

static void read_text(reader *r)
{
    const char *t = r->text;
    r->year = r->unit->info.budget_year;
    for (size_t i = 0; t[i];) {
        size_t n = delimiter_at(t + i, sentence_ends, COUNT_OF(sentence_ends));
        if (n) {
            close_list(r);
            r->year = r->unit->info.budget_year;
            i += n;
            r->sentence = r->clause = i;
            continue;
        }
        if ((n = delimiter_at(t + i, clause_ends, COUNT_OF(clause_ends))) > 0) {
            i += n;
            r->clause = i;
            continue;
        }
        if (starts(t + i, "其中")) {
            open_list(r);
            i += strlen("其中");
            continue;
        }
        if ((n = read_year(r, i)) > 0) {
            i += n;
            continue;
        }
        amount_at a;
        if (t[i] >= '0' && t[i] <= '9' && read_amount(t, i, r->unit->info.money_unit, &a)) {
            a.literal = memchr(r->from_ref + a.start, 1, a.end - a.start) == NULL;
            on_amount(r, &a);
            i = a.after;
            continue;
        }
        i++;
    }
    close_list(r);
}

typedef struct narrative {
    const bp_unit *unit;
    names names;
    bp_diags *diags;
    size_t errors;
} narrative;

/* Reads the text as it prints, references expanded, knowing which bytes they printed. */
static void check_text(void *ctx, const char *text, const char *path)
{
    narrative *n = ctx;
    size_t size = bp_refs_expand(n->unit, text, path, NULL, 0, NULL, NULL) + 1;
    char *printed = malloc(size);
    unsigned char *from_ref = malloc(size);
    if (!printed || !from_ref) {
        n->diags->out_of_memory = true;
    } else {
        bp_refs_expand_marked(n->unit, text, printed, from_ref, size);
        reader r = {.unit = n->unit,
                    .names = &n->names,
                    .diags = n->diags,
                    .path = path,
                    .text = printed,
                    .from_ref = from_ref};
        read_text(&r);
        n->errors += r.errors;
    }
    free(printed);
    free(from_ref);
}

size_t bp_check_narrative(const bp_unit *unit, bp_diags *diags)
{
    if (!unit->info.money_unit)
        return 0;
    narrative n = {unit, {NULL, 0}, diags, 0};
    if (!names_init(&n.names, unit)) {
        diags->out_of_memory = true;
        return 0;
    }
    bp_refs_each_text(unit, check_text, &n);
    names_free(&n.names);
    return n.errors;
}

/*
 * bpgen_kind.c: units of a kind given as data (docs/kinds.md), made from one real unit of it.
 *
 * A kind's rules are sums (down the codes, across a row, across a side) and equalities across
 * tables; a generator that invented every figure would have to solve them. Instead each unit
 * is the given unit under another code and name, with its ledgers grown: a row with a 项 (or
 * 经济分类 款) code is split in two, the new sibling taking a random part of each figure. The
 * parent's sums are unchanged, a row's own identities hold in both halves (a column the kind
 * computes from others, "total = basic + project", is split as the sum of their parts), and the
 * unit keeps every residue the original had and no other: what check said of the original it
 * says of every unit. The same arguments always give byte-identical files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bpgen_kind.h"
#include "bpgen_util.h"

/* Offices a district has, for the units' names. */
static const char *const offices[] = {
    "教育局",           "卫生健康委员会",       "民政局",           "司法局",
    "商务委员会",       "科学技术委员会",       "文化和旅游局",     "体育局",
    "生态环境局",       "住房保障和房屋管理局", "审计局",           "统计局",
    "应急管理局",       "退役军人事务局",       "市场监督管理局",   "人力资源和社会保障局",
    "规划和自然资源局", "建设和管理委员会",     "绿化和市容管理局", "档案馆"};
#define OFFICE_COUNT (sizeof offices / sizeof offices[0])

/* A row rule of the kind, "lhs = a + b - c", as column names and signs. */
typedef struct row_rule {
    char *lhs;
    char **terms;
    int *signs;
    size_t count;
} row_rule;

typedef struct table_rules {
    row_rule *rules;
    size_t count;
} table_rules;

static void rules_free(table_rules *t)
{
    for (size_t i = 0; i < t->count; i++) {
        free(t->rules[i].lhs);
        for (size_t k = 0; k < t->rules[i].count; k++)
            free(t->rules[i].terms[k]);
        free(t->rules[i].terms);
        free(t->rules[i].signs);
    }
    free(t->rules);
    *t = (table_rules){0};
}

/* Parses "lhs = a + b - c" (the loader has already refused anything else); other rules
 * ("codes", side rules with ":") are left out: splitting a row keeps them by construction. */
static bool parse_row_rule(const char *text, row_rule *r)
{
    if (strchr(text, ':') || !strchr(text, '='))
        return false;
    char *copy = strdup(text);
    if (!copy)
        return false;
    *r = (row_rule){0};
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == '+' || *p == '-';
    r->terms = calloc(cap, sizeof *r->terms);
    r->signs = calloc(cap, sizeof *r->signs);
    int sign = 1;
    bool lhs = true;
    for (char *tok = strtok(copy, " "); tok && r->terms && r->signs; tok = strtok(NULL, " ")) {
        if (strcmp(tok, "=") == 0 || strcmp(tok, "+") == 0 || strcmp(tok, "-") == 0) {
            sign = strcmp(tok, "-") == 0 ? -1 : 1;
            lhs = lhs && strcmp(tok, "=") != 0;
            continue;
        }
        if (lhs) {
            r->lhs = strdup(tok);
        } else if (r->count < cap) {
            r->terms[r->count] = strdup(tok);
            r->signs[r->count++] = sign;
        }
    }
    free(copy);
    return r->lhs && r->terms && r->signs;
}

static table_rules rules_of(json_t *kind_table)
{
    table_rules t = {0};
    json_t *rules = json_object_get(kind_table, "rules");
    size_t n = json_array_size(rules);
    t.rules = n ? calloc(n, sizeof *t.rules) : NULL;
    for (size_t i = 0; t.rules && i < n; i++)
        if (parse_row_rule(json_string_value(json_array_get(rules, i)), &t.rules[t.count]))
            t.count++;
    return t;
}

/* ---- Amounts as the unit writes them ---- */

static bool parse_cents(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long units = strtoll(s, &end, 10);
    if (errno || end == s)
        return false;
    int64_t cents = 0;
    if (*end == '.') {
        const char *d = end + 1;
        cents = (d[0] >= '0' && d[0] <= '9' ? (d[0] - '0') * 10 : 0) +
                (d[0] && d[1] >= '0' && d[1] <= '9' ? d[1] - '0' : 0);
    }
    bool negative = s[0] == '-';
    *out = units * 100 + (negative ? -cents : cents);
    return true;
}

/* The amount as the original wrote it: with two decimals, or whole when it had none. */
static json_t *cents_json(int64_t v, bool whole)
{
    char buf[40];
    const char *sign = v < 0 ? "-" : "";
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (whole)
        snprintf(buf, sizeof buf, "%s%llu", sign, (unsigned long long)(m / 100));
    else
        snprintf(buf, sizeof buf, "%s%llu.%02llu", sign, (unsigned long long)(m / 100),
                 (unsigned long long)(m % 100));
    return json_string(buf);
}

/* ---- Splitting a row ---- */

/* A random part of v, on v's side of zero, whole when v is (a whole-元 table stays whole). */
static int64_t part_of(rng *r, int64_t v)
{
    bool whole = v % 100 == 0;
    int64_t step = whole ? 100 : 1;
    int64_t magnitude = (v < 0 ? -v : v) / step;
    int64_t part = (int64_t)rng_below(r, (uint64_t)magnitude + 1) * step;
    return v < 0 ? -part : part;
}

static const row_rule *rule_for(const table_rules *t, const char *column)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->rules[i].lhs, column) == 0)
            return &t->rules[i];
    return NULL;
}

/* Splits `amounts` in two: the new row's part in `split`, the rest left in `amounts`. A column
 * a rule computes gets the rule's sum of the other parts. */
static void split_amounts(rng *r, const table_rules *rules, json_t *amounts, json_t *split)
{
    const char *key;
    json_t *v;
    json_object_foreach(amounts, key, v)
    {
        int64_t cents;
        if (rule_for(rules, key) || !json_is_string(v) ||
            !parse_cents(json_string_value(v), &cents))
            continue;
        int64_t part = part_of(r, cents);
        bool whole = !strchr(json_string_value(v), '.');
        json_object_set_new(split, key, cents_json(part, whole));
        json_object_set_new(amounts, key, cents_json(cents - part, whole));
    }
    for (size_t i = 0; i < rules->count; i++) {
        const row_rule *rule = &rules->rules[i];
        json_t *lhs = json_object_get(amounts, rule->lhs);
        int64_t own;
        if (!json_is_string(lhs) || !parse_cents(json_string_value(lhs), &own))
            continue;
        int64_t part = 0;
        for (size_t k = 0; k < rule->count; k++) {
            int64_t p;
            json_t *term = json_object_get(split, rule->terms[k]);
            if (json_is_string(term) && parse_cents(json_string_value(term), &p))
                part += rule->signs[k] * p;
        }
        bool whole = !strchr(json_string_value(lhs), '.');
        json_object_set_new(split, rule->lhs, cents_json(part, whole));
        json_object_set_new(amounts, rule->lhs, cents_json(own - part, whole));
    }
}

/* Whether a code is a leaf that can have a sibling: 7 digits (项) or, in an economic ledger,
 * 5 (款). */
static bool splittable(const char *code, bool economic)
{
    size_t n = code ? strlen(code) : 0;
    return economic ? n == 5 : n == 7;
}

/* An unused sibling code of `code` (same parent, last two digits free), or false. */
static bool free_sibling(json_t *rows, const char *code, char out[16])
{
    size_t n = strlen(code);
    for (int d = 99; d >= 1; d--) {
        snprintf(out, 16, "%.*s%02d", (int)(n - 2), code, d);
        bool used = false;
        for (size_t i = 0; i < json_array_size(rows) && !used; i++)
            used = strcmp(json_string_value(json_object_get(json_array_get(rows, i), "code")),
                          out) == 0;
        if (!used)
            return true;
    }
    return false;
}

/* Index after the last row under `parent` (its code's prefix). */
static size_t end_of_family(json_t *rows, const char *parent)
{
    size_t at = 0, n = strlen(parent);
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const char *c = json_string_value(json_object_get(json_array_get(rows, i), "code"));
        if (c && strncmp(c, parent, n) == 0)
            at = i + 1;
    }
    return at;
}

/* Splits one random leaf of the ledger; false when none can be. */
static bool grow_ledger(rng *r, json_t *rows, const table_rules *rules, bool economic)
{
    size_t leaves = 0;
    for (size_t i = 0; i < json_array_size(rows); i++)
        leaves += splittable(json_string_value(json_object_get(json_array_get(rows, i), "code")),
                             economic);
    if (!leaves)
        return false;
    size_t pick = (size_t)rng_below(r, leaves);
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *row = json_array_get(rows, i);
        const char *code = json_string_value(json_object_get(row, "code"));
        if (!splittable(code, economic) || pick-- != 0)
            continue;
        char sibling[16], parent[16];
        if (!free_sibling(rows, code, sibling))
            return false;
        snprintf(parent, sizeof parent, "%.*s", (int)strlen(code) - 2, code);
        json_t *copy = json_deep_copy(row);
        json_t *amounts = json_object_get(copy, "amounts");
        json_t *split = json_object();
        if (!copy || !split || !amounts) {
            json_decref(copy);
            json_decref(split);
            return false;
        }
        json_object_set_new(row, "amounts", json_deep_copy(amounts)); /* rows may be shared */
        split_amounts(r, rules, json_object_get(row, "amounts"), split);
        char name[512];
        snprintf(name, sizeof name, "%s（%s）", json_string_value(json_object_get(row, "name")),
                 sibling + strlen(sibling) - 2);
        json_object_set_new(copy, "code", json_string(sibling));
        json_object_set_new(copy, "name", json_string(name));
        json_object_set_new(copy, "amounts", split);
        return json_array_insert_new(rows, end_of_family(rows, parent), copy) == 0;
    }
    return false;
}

/* ---- Units ---- */

static json_t *read_json(const char *path)
{
    json_error_t error;
    json_t *v = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
    if (!v)
        fprintf(stderr, "bpgen: %s:%d:%d: %s\n", path, error.line, error.column, error.text);
    return v;
}

/* The layout of the unit's kind: --layout, else ../layouts/KIND.json beside the unit. */
static json_t *read_kind(const kind_options *opt, const char *kind_name)
{
    char path[4096];
    if (opt->layout) {
        snprintf(path, sizeof path, "%s", opt->layout);
    } else {
        const char *slash = strrchr(opt->from, '/');
        int dir = slash ? (int)(slash - opt->from) : 1;
        snprintf(path, sizeof path, "%.*s/../layouts/%s.json", dir, slash ? opt->from : ".",
                 kind_name);
    }
    json_t *layout = read_json(path);
    json_t *kind = json_incref(json_object_get(layout, "kind"));
    if (layout && !kind)
        fprintf(stderr, "bpgen: %s declares no kind\n", path);
    json_decref(layout);
    return kind;
}

/* Unit `index`: another code and name (unit 0 keeps the original's), its ledgers grown to
 * at least opt->rows rows where its 款 have room. *said_short is set once a ledger could not
 * reach --rows, so that it is said once per run rather than once per unit. */
static json_t *make_unit(const kind_options *opt, json_t *original, json_t *kind, uint64_t index,
                         bool *said_short)
{
    rng r = rng_for_unit(opt->seed, index);
    json_t *unit = json_deep_copy(original);
    json_t *info = json_object_get(unit, "unit");
    if (!unit || !info)
        return unit;
    if (index > 0) {
        const char *code = json_string_value(json_object_get(info, "code"));
        const char *region = json_string_value(json_object_get(info, "region"));
        char new_code[16], name[256];
        snprintf(new_code, sizeof new_code, "%.6s%06llu", code ? code : "",
                 (unsigned long long)(index % 1000000));
        snprintf(name, sizeof name, "%s%s%s", region ? region : "",
                 offices[(index - 1) % OFFICE_COUNT], index > OFFICE_COUNT ? "直属单位" : "");
        json_object_set_new(info, "code", json_string(new_code));
        json_object_set_new(info, "name", json_string(name));
    }
    const char *id;
    json_t *spec;
    json_object_foreach(json_object_get(kind, "tables"), id, spec)
    {
        json_t *rows =
            json_object_get(json_object_get(json_object_get(unit, "tables"), id), "rows");
        if (!json_is_array(rows))
            continue;
        /* The row objects may be shared by several tables of the unit: each its own copy. */
        json_t *own = json_deep_copy(rows);
        json_object_set_new(json_object_get(json_object_get(unit, "tables"), id), "rows", own);
        table_rules rules = rules_of(spec);
        const char *codes = json_string_value(json_object_get(spec, "codes"));
        bool economic = codes && strcmp(codes, "economic") == 0;
        long growth = rng_range(&r, 0, 3);
        while (own && ((long)json_array_size(own) < opt->rows || growth-- > 0) &&
               grow_ledger(&r, own, &rules, economic))
            ;
        if (own && opt->rows && (long)json_array_size(own) < opt->rows && json_array_size(own) &&
            !*said_short) {
            fprintf(stderr,
                    "bpgen: %s reaches %zu rows, not %ld: a 款 holds at most 99 项 codes, and rows "
                    "are grown under the unit's own 款\n",
                    id, json_array_size(own), opt->rows);
            *said_short = true;
        }
        rules_free(&rules);
    }
    return unit;
}

static int write_unit(json_t *unit, const char *path)
{
    char *text = json_dumps(unit, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text) {
        fputs("bpgen: out of memory\n", stderr);
        return EXIT_IO;
    }
    int rc = write_text(path, text, strlen(text));
    free(text);
    return rc;
}

int generate_of_kind(const kind_options *opt)
{
    json_t *original = read_json(opt->from);
    const char *kind_name = json_string_value(json_object_get(original, "kind"));
    if (original && !kind_name)
        fprintf(stderr,
                "bpgen: %s names no kind (\"kind\": …); --from takes a unit of a kind "
                "given as data\n",
                opt->from);
    json_t *kind = kind_name ? read_kind(opt, kind_name) : NULL;
    int rc = kind ? EXIT_OK : EXIT_USAGE;
    if (kind && opt->count && !make_directories(opt->output)) {
        fprintf(stderr, "bpgen: cannot create directory %s: %s\n", opt->output, strerror(errno));
        rc = EXIT_IO;
    }
    long count = opt->count ? opt->count : 1;
    bool said_short = false;
    for (long i = 0; rc == EXIT_OK && i < count; i++) {
        json_t *unit = make_unit(opt, original, kind, (uint64_t)i, &said_short);
        char path[4096];
        if (opt->count) {
            json_t *info = json_object_get(unit, "unit");
            snprintf(path, sizeof path, "%s/%s-%lld.json", opt->output,
                     json_string_value(json_object_get(info, "code")),
                     (long long)json_integer_value(json_object_get(info, "budget_year")));
        }
        rc = unit ? write_unit(unit, opt->count ? path : opt->output) : EXIT_IO;
        json_decref(unit);
    }
    json_decref(kind);
    json_decref(original);
    return rc;
}

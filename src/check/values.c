/*
 * values.c: the VALUE rule of `budgetpress check`: 指标值 cells of the 绩效目标表 that cannot be
 * right as written.
 *
 * The published tables are printed as the unit wrote them (an odd value is content, not a
 * typesetting defect), so most findings are warnings for the clerk to look at; only an empty
 * 指标值, which prints an empty cell in a row whose whole point is the value, is an error.
 * Tables printed as 涉密 are not read.
 *
 *   - a percentage above 100% where the indicator is a rate, a share or a degree (101% for
 *     传递信息及时性); growth indicators (增长, 增幅, 提高) may exceed 100%;
 *   - for a timeliness or completion indicator (及时, 完成): an upper bound ("≤100%"), which
 *     promises nothing, or a share below half ("10%");
 *   - a 成本指标 whose value states no amount of money ("100%" instead of "≤5 万元").
 *
 * Reads the model only; thread-safe.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check_int.h"

typedef struct values {
    const bp_unit *unit;
    bp_diags *diags;
    size_t errors;
    char path[96];
} values;

static void finding(values *v, bp_severity severity, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void finding(values *v, bp_severity severity, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bp_diags_vadd(v->diags, severity, "VALUE", v->unit->source, 0, 0, v->path, fmt, ap);
    va_end(ap);
    if (severity == BP_SEVERITY_ERROR)
        v->errors++;
}

static bool contains(const char *s, const char *word)
{
    return s && strstr(s, word) != NULL;
}

static bool contains_any(const bp_indicator *ind, const char *const *words, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (contains(ind->level3, words[i]) || contains(ind->description, words[i]))
            return true;
    return false;
}

static bool is_blank(const char *s)
{
    return !s || s[strspn(s, " \t")] == '\0';
}

/* "95.5" -> 9550, exactly (no floating point); false for more than two decimals or digits
 * than a long holds. */
static bool hundredths_of(const char *start, const char *end, long *out)
{
    long value = 0;
    int decimals = -1;
    for (const char *p = start; p < end; p++) {
        if (*p == '.') {
            if (decimals >= 0)
                return false;
            decimals = 0;
            continue;
        }
        if (value > 100000000 || decimals >= 2)
            return false;
        value = value * 10 + (*p - '0');
        if (decimals >= 0)
            decimals++;
    }
    for (int d = decimals < 0 ? 0 : decimals; d < 2; d++)
        value *= 10;
    *out = value;
    return true;
}

/* The last percentage of the value ("100" of "按计划完成得满分100%"), in hundredths of a
 * percent, and the comparison written before it ('<' for ≤ or <, '>' for ≥ or >, '=' else).
 * False when the value holds no percentage. */
static bool last_percentage(const char *value, long *hundredths, char *relation)
{
    const char *percent = NULL;
    for (const char *p = strchr(value, '%'); p; p = strchr(p + 1, '%'))
        percent = p;
    if (!percent)
        return false;
    const char *end = percent;
    while (end > value && end[-1] == ' ')
        end--;
    const char *start = end;
    while (start > value && ((start[-1] >= '0' && start[-1] <= '9') || start[-1] == '.'))
        start--;
    if (start == end || *start == '.')
        return false;
    if (!hundredths_of(start, end, hundredths))
        return false;
    const char *before = start;
    while (before > value && before[-1] == ' ')
        before--;
    size_t lead = (size_t)(before - value);
    *relation = '=';
    if ((lead >= 3 && strncmp(before - 3, "≤", 3) == 0) || (lead >= 1 && before[-1] == '<'))
        *relation = '<';
    else if ((lead >= 3 && strncmp(before - 3, "≥", 3) == 0) || (lead >= 1 && before[-1] == '>'))
        *relation = '>';
    return true;
}

/* Digits followed (after spaces) by 元 or 万元: a value that states an amount of money. */
static bool states_money(const char *value)
{
    for (const char *p = value; *p; p++) {
        if (*p < '0' || *p > '9')
            continue;
        while ((*p >= '0' && *p <= '9') || *p == '.')
            p++;
        while (*p == ' ')
            p++;
        if (strncmp(p, "元", strlen("元")) == 0 || strncmp(p, "万元", strlen("万元")) == 0)
            return true;
        if (!*p)
            break;
    }
    return false;
}

static void check_indicator(values *v, const bp_project *project, const bp_indicator *ind)
{
    static const char *const rates[] = {"率", "性", "度"};
    static const char *const growth[] = {"增长", "增幅", "提高", "同比"};
    static const char *const timely[] = {"及时", "完成"};
    if (is_blank(ind->value)) {
        finding(v, BP_SEVERITY_ERROR, "绩效目标表 %s %s: 指标值 is empty", project->name,
                ind->level3);
        return;
    }
    if (strcmp(ind->level1, "成本指标") == 0 && !states_money(ind->value))
        finding(v, BP_SEVERITY_WARNING, "绩效目标表 %s 成本指标 %s: 指标值 \"%s\" states no amount",
                project->name, ind->level3, ind->value);
    long percent;
    char relation;
    if (!last_percentage(ind->value, &percent, &relation))
        return;
    if (percent > 10000 && contains_any(ind, rates, 3) && !contains_any(ind, growth, 4)) {
        finding(v, BP_SEVERITY_WARNING,
                "绩效目标表 %s %s %s: 指标值 \"%s\" is above 100%% for a rate", project->name,
                ind->level2, ind->level3, ind->value);
        return;
    }
    if (!contains_any(ind, timely, 2))
        return;
    if (relation == '<')
        finding(v, BP_SEVERITY_WARNING,
                "绩效目标表 %s %s %s: 指标值 \"%s\" is a ceiling; a timeliness or completion "
                "target is a floor (≥) or exact (=)",
                project->name, ind->level2, ind->level3, ind->value);
    else if (percent < 5000)
        finding(v, BP_SEVERITY_WARNING,
                "绩效目标表 %s %s %s: 指标值 \"%s\" is below half for a timeliness or completion "
                "target",
                project->name, ind->level2, ind->level3, ind->value);
}

size_t bp_check_indicator_values(const bp_unit *unit, bp_diags *diags)
{
    values v = {unit, diags, 0, ""};
    const bp_performance *perf = &unit->performance;
    for (size_t p = 0; p < perf->project_count; p++) {
        const bp_project *project = &perf->projects[p];
        if (project->classified)
            continue;
        for (size_t i = 0; i < project->indicator_count; i++) {
            snprintf(v.path, sizeof v.path, "performance.projects[%zu].indicators[%zu].value", p,
                     i);
            check_indicator(&v, project, &project->indicators[i]);
        }
    }
    return v.errors;
}

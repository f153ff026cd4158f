/*
 * typeset.c: walks a unit's model in document order and hands each heading and paragraph to
 * the flow: the explanatory part (单位预算信息公开情况说明) with its numbered sections,
 * numbered lists, the performance targets' text and the glossary.
 *
 * Stage: layout, the document level. Decides what is printed and how it is numbered; flow.c
 * decides where. The fact that shaped it: the official format numbers sections 一、二、…,
 * sub-parts （一）（二）…, list items 1、2、…; those ordinals are the layout's, never the
 * model's, so a unit's data stays free of presentation.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../util/util.h"
#include "layout_int.h"
#include "table_def.h"

/* Chinese numerals for ordinals from 1 to 99: 一, 十, 十一, 二十, 二十一. */
static void chinese_numeral(int n, bp_strbuf *out)
{
    static const char *const digits[] = {"零", "一", "二", "三", "四",
                                         "五", "六", "七", "八", "九"};
    if (n < 1 || n > 99) {
        bp_strbuf_printf(out, "%d", n);
        return;
    }
    int tens = n / 10, ones = n % 10;
    if (tens > 1)
        bp_strbuf_puts(out, digits[tens]);
    if (tens > 0)
        bp_strbuf_puts(out, "十");
    if (ones > 0)
        bp_strbuf_puts(out, digits[ones]);
}

/* The ordinal of item n in a numbering style, with its separator: "1、", "（1）", "一、". */
static void ordinal(bp_numbering numbering, int n, bp_strbuf *out)
{
    switch (numbering) {
    case BP_NUMBERING_ARABIC_COMMA:
        bp_strbuf_printf(out, "%d、", n);
        break;
    case BP_NUMBERING_ARABIC_DOT:
        bp_strbuf_printf(out, "%d.", n);
        break;
    case BP_NUMBERING_PAREN:
        bp_strbuf_printf(out, "（%d）", n);
        break;
    case BP_NUMBERING_CHINESE:
        chinese_numeral(n, out);
        bp_strbuf_puts(out, "、");
        break;
    case BP_NUMBERING_NONE:
        break;
    }
}

typedef struct typesetter {
    flow *flow;
    const bp_unit *unit;
    bp_strbuf path; /* JSON path of what is being typeset, for messages */
} typesetter;

static const char *path_of(typesetter *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static const char *path_of(typesetter *t, const char *fmt, ...)
{
    bp_strbuf_truncate(&t->path, 0);
    va_list ap;
    va_start(ap, fmt);
    bp_strbuf_vprintf(&t->path, fmt, ap);
    va_end(ap);
    return bp_strbuf_cstr(&t->path);
}

/* A heading made of an ordinal and a title: "一、单位职责及机构设置情况". */
static void numbered_heading(typesetter *t, bp_style_id style, const char *number,
                             const char *title, const char *path)
{
    flow_span spans[] = {{number, false}, {title, false}};
    flow_add(t->flow, style, spans, 2, path, true);
}

/* A paragraph led by its ordinal: "1、负责推动…". */
static void numbered_paragraph(typesetter *t, bp_numbering numbering, int n, const char *text,
                               const char *path)
{
    bp_strbuf number = BP_STRBUF_INIT;
    ordinal(numbering, n, &number);
    flow_span spans[] = {{bp_strbuf_cstr(&number), false}, {text, false}};
    flow_add(t->flow, BP_STYLE_LIST, spans, 2, path, false);
    bp_strbuf_free(&number);
}

static void typeset_glossary(typesetter *t)
{
    for (size_t i = 0; i < t->unit->glossary_count; i++) {
        const bp_glossary_entry *e = &t->unit->glossary[i];
        bp_strbuf number = BP_STRBUF_INIT;
        ordinal(BP_NUMBERING_ARABIC_COMMA, (int)i + 1, &number);
        flow_span spans[] = {{bp_strbuf_cstr(&number), false},
                             {e->term, true},
                             {"：", true},
                             {e->definition, false}};
        flow_add(t->flow, BP_STYLE_LIST, spans, 4, path_of(t, "glossary[%zu]", i), false);
        bp_strbuf_free(&number);
    }
}

static void typeset_targets(typesetter *t, const bp_performance *perf)
{
    for (size_t g = 0; g < perf->group_count; g++) {
        const bp_target_group *group = &perf->groups[g];
        bp_strbuf number = BP_STRBUF_INIT;
        ordinal(BP_NUMBERING_CHINESE, (int)g + 1, &number);
        numbered_heading(t, BP_STYLE_HEADING3, bp_strbuf_cstr(&number), group->title,
                         path_of(t, "performance.itemised[%zu].title", g));
        bp_strbuf_free(&number);
        for (size_t i = 0; i < group->target_count; i++) {
            const bp_target *target = &group->targets[i];
            bp_strbuf lead = BP_STRBUF_INIT;
            ordinal(BP_NUMBERING_ARABIC_COMMA, (int)i + 1, &lead);
            bp_strbuf_puts(&lead, "绩效目标：");
            flow_span spans[] = {{bp_strbuf_cstr(&lead), false}, {target->target, false}};
            flow_add(t->flow, BP_STYLE_BODY, spans, 2,
                     path_of(t, "performance.itemised[%zu].targets[%zu].target", g, i), false);
            bp_strbuf_free(&lead);
            for (size_t k = 0; k < target->indicator_count; k++) {
                flow_span ind[] = {{"绩效指标：", false}, {target->indicators[k], false}};
                flow_add(
                    t->flow, BP_STYLE_BODY, ind, 2,
                    path_of(t, "performance.itemised[%zu].targets[%zu].indicators[%zu]", g, i, k),
                    false);
            }
        }
    }
}

static void typeset_performance(typesetter *t)
{
    const bp_performance *perf = &t->unit->performance;
    flow_add_text(t->flow, BP_STYLE_HEADING2, "第一部分 单位整体绩效目标", "performance", true);
    if (perf->overall) {
        flow_add_text(t->flow, BP_STYLE_HEADING3, "（一）总体绩效目标", "performance", true);
        flow_add_text(t->flow, BP_STYLE_BODY, perf->overall, "performance.overall", false);
    }
    if (perf->group_count) {
        flow_add_text(t->flow, BP_STYLE_HEADING3, "（二）分项绩效目标", "performance", true);
        typeset_targets(t, perf);
    }
    if (perf->safeguard_count) {
        flow_add_text(t->flow, BP_STYLE_HEADING3, "（三）工作保障措施", "performance", true);
        for (size_t i = 0; i < perf->safeguard_count; i++) {
            const bp_safeguard *s = &perf->safeguards[i];
            numbered_paragraph(t, BP_NUMBERING_ARABIC_COMMA, (int)i + 1, s->title,
                               path_of(t, "performance.safeguards[%zu].title", i));
            flow_add_text(t->flow, BP_STYLE_BODY, s->text,
                          path_of(t, "performance.safeguards[%zu].text", i), false);
        }
    }
    if (perf->special_funds) {
        flow_add_text(t->flow, BP_STYLE_HEADING2, "第二部分 专项资金绩效目标", "performance", true);
        flow_add_text(t->flow, BP_STYLE_BODY, perf->special_funds, "performance.special_funds",
                      false);
    }
    if (perf->project_count) {
        flow_add_text(t->flow, BP_STYLE_HEADING2, "第三部分 预算项目绩效目标", "performance", true);
        tables_layout_projects(t->flow, t->unit);
    }
}

static void typeset_include(typesetter *t, bp_part part)
{
    switch (part) {
    case BP_PART_PERFORMANCE:
        typeset_performance(t);
        break;
    case BP_PART_GLOSSARY:
        typeset_glossary(t);
        break;
    case BP_PART_ORGANISATIONS:
    case BP_PART_PROCUREMENT:
    case BP_PART_ASSETS:
        tables_layout_part(t->flow, t->unit, part);
        break;
    case BP_PART__COUNT:
        break;
    }
}

static bp_style_id heading_style(int level)
{
    return level <= 1 ? BP_STYLE_HEADING2 : BP_STYLE_HEADING3;
}

static void typeset_block(typesetter *t, bp_section_id s, size_t index, const bp_block *block)
{
    const char *key = bp_section_key(s);
    switch (block->kind) {
    case BP_BLOCK_HEADING:
        flow_add_text(t->flow, heading_style(block->level), block->text,
                      path_of(t, "explanation.sections.%s.blocks[%zu].heading", key, index), true);
        break;
    case BP_BLOCK_PARAGRAPH:
        flow_add_text(t->flow, BP_STYLE_BODY, block->text,
                      path_of(t, "explanation.sections.%s.blocks[%zu].paragraph", key, index),
                      false);
        break;
    case BP_BLOCK_LIST:
        for (size_t i = 0; i < block->item_count; i++)
            numbered_paragraph(
                t, block->numbering, (int)i + 1, block->items[i],
                path_of(t, "explanation.sections.%s.blocks[%zu].list[%zu]", key, index, i));
        break;
    case BP_BLOCK_INCLUDE:
        typeset_include(t, block->part);
        break;
    }
}

/* The first part: its title, then the nine standard tables, each from a new page. */
static void typeset_tables(typesetter *t, const bp_layout *layout)
{
    const bp_unit *unit = t->unit;
    flow_fresh_page(t->flow, false);
    const char *title = layout->tables->tables_title;
    if (title) {
        bp_strbuf text = BP_STRBUF_INIT;
        const char *at = strstr(title, "{unit_name}");
        if (at) {
            bp_strbuf_append(&text, title, (size_t)(at - title));
            bp_strbuf_puts(&text, unit->info.name);
            bp_strbuf_puts(&text, at + strlen("{unit_name}"));
        } else {
            bp_strbuf_puts(&text, title);
        }
        flow_add_text(t->flow, BP_STYLE_TITLE, bp_strbuf_cstr(&text), "unit.name", true);
        bp_strbuf_free(&text);
    }
    tables_layout_standard(t->flow, unit);
}

static void typeset_explanation(typesetter *t)
{
    const bp_unit *unit = t->unit;
    flow_fresh_page(t->flow, false);
    char subtitle[96];
    snprintf(subtitle, sizeof subtitle, "%d 年单位预算信息公开情况说明", unit->info.budget_year);
    flow_add_text(t->flow, BP_STYLE_TITLE, unit->info.name, "unit.name", true);
    flow_add_text(t->flow, BP_STYLE_SUBTITLE, subtitle, "unit.budget_year", true);
    if (unit->explanation.preface)
        flow_add_text(t->flow, BP_STYLE_BODY, unit->explanation.preface, "explanation.preface",
                      false);
    int number = 0;
    for (int s = 0; s < BP_SEC__COUNT; s++) {
        const bp_section *section = &unit->explanation.sections[s];
        if (!section->present)
            continue;
        bp_strbuf ord = BP_STRBUF_INIT;
        ordinal(BP_NUMBERING_CHINESE, ++number, &ord);
        const char *title =
            section->title ? section->title : bp_section_official_title((bp_section_id)s);
        numbered_heading(t, BP_STYLE_HEADING1, bp_strbuf_cstr(&ord), title,
                         path_of(t, "explanation.sections.%s", bp_section_key((bp_section_id)s)));
        bp_strbuf_free(&ord);
        for (size_t b = 0; b < section->block_count; b++)
            typeset_block(t, (bp_section_id)s, b, &section->blocks[b]);
    }
}

static void set_metadata(bp_document *doc, const bp_unit *unit)
{
    char title[512];
    snprintf(title, sizeof title, "%d 年%s预算信息公开", unit->info.budget_year, unit->info.name);
    bp_doc_info info = {
        .title = title,
        .author = unit->info.name,
        .subject = "单位预算信息公开",
        .keywords = "预算公开, 单位预算, 三公经费, 绩效目标",
        .creator = "budgetpress " BP_VERSION_STRING,
    };
    bp_document_set_info(doc, &info);
}

bp_document *bp_typeset(const bp_unit *unit, const bp_layout *layout, const bp_fontset *fonts,
                        bp_diags *diags)
{
    bp_document *doc = bp_document_create();
    flow *f = doc ? flow_create(layout, fonts, doc, diags, unit->source) : NULL;
    if (!f) {
        bp_document_destroy(doc);
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, unit->source, 0, 0, NULL, "out of memory");
        return NULL;
    }
    set_metadata(doc, unit);
    typesetter t = {.flow = f, .unit = unit, .path = BP_STRBUF_INIT};
    typeset_tables(&t, layout);
    typeset_explanation(&t);
    bp_strbuf_free(&t.path);
    if (flow_finish(f) > 0) {
        bp_document_destroy(doc);
        return NULL;
    }
    return doc;
}

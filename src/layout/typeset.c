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
#include <stdlib.h>
#include <string.h>

#include "budgetpress/refs.h"

#include "../util/util.h"
#include "layout_int.h"
#include "placeholders.h"
#include "table_def.h"

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
        layout_chinese_numeral(n, out);
        bp_strbuf_puts(out, "、");
        break;
    case BP_NUMBERING_PAREN_CHINESE:
        bp_strbuf_puts(out, "（");
        layout_chinese_numeral(n, out);
        bp_strbuf_puts(out, "）");
        break;
    case BP_NUMBERING_NONE:
        break;
    }
}

typedef struct typesetter {
    flow *flow;
    const bp_unit *unit;
    bp_strbuf path; /* JSON path of what is being typeset, for messages */
    char *printed;  /* the text printed() gave last */
    /* Where each table and section begins in the body, for the contents and bookmarks. */
    flow_anchor tables[BP_TABLE__COUNT];
    flow_anchor *kind_tables; /* one per table of the unit's kind */
    /* A kind's document: where each part's sections begin and their titles as printed, one
     * per section of every part in the layout's order. */
    flow_anchor *part_anchors;
    bp_strbuf *part_titles;
    flow_anchor *part_starts; /* where each part begins */
    flow_anchor sections[BP_SEC__COUNT];
    bp_strbuf section_titles[BP_SEC__COUNT]; /* "一、单位职责及机构设置情况" */
    const char *explanation_title;           /* the layout's title of the explanatory part */
    const bp_layout *layout;
    bp_diags *diags;
    bool out_of_memory; /* a text built for the page was cut short: typesetting fails */
} typesetter;

/* Typesetting ran out of memory: said once, and typesetting fails. */
static void typeset_out_of_memory(const bp_unit *unit, bp_diags *diags)
{
    bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, unit->source, 0, 0, NULL,
                 "out of memory while typesetting");
}

/* The text of a buffer built for the page. A buffer that ran out of memory holds its text cut
 * short: the typesetting fails instead of printing it so. */
static const char *built(typesetter *t, const bp_strbuf *sb)
{
    if (sb->failed && !t->out_of_memory) {
        typeset_out_of_memory(t->unit, t->diags);
        t->out_of_memory = true;
    }
    return sb->len ? sb->data : "";
}

static const char *path_of(typesetter *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static const char *path_of(typesetter *t, const char *fmt, ...)
{
    bp_strbuf_truncate(&t->path, 0);
    va_list ap;
    va_start(ap, fmt);
    bp_strbuf_vprintf(&t->path, fmt, ap);
    va_end(ap);
    /* A path cut short would name the wrong place in the record a PDF carries: refused. */
    if (t->path.failed) {
        bp_diags_add(flow_diags(t->flow), BP_SEVERITY_ERROR, NULL, t->unit->source, 0, 0, NULL,
                     "out of memory");
        flow_count_error(t->flow);
        return "";
    }
    return bp_strbuf_cstr(&t->path);
}

/* The unit's text as printed: each reference to a figure ({expense.total}) replaced by the
 * tables' value. Valid until the next call. A bad reference is printed as written and fails
 * the typesetting, naming the text's path; check reports it before a normal render. */
static const char *printed(typesetter *t, const char *text, const char *path)
{
    size_t length = bp_refs_expand(t->unit, text, path, NULL, 0, NULL, NULL);
    char *buffer = realloc(t->printed, length + 1);
    if (!buffer) {
        bp_diags_add(flow_diags(t->flow), BP_SEVERITY_ERROR, NULL, t->unit->source, 0, 0, path,
                     "out of memory");
        flow_count_error(t->flow);
        return "";
    }
    t->printed = buffer;
    size_t bad = 0;
    bp_refs_expand(t->unit, text, path, buffer, length + 1, flow_diags(t->flow), &bad);
    for (size_t i = 0; i < bad; i++)
        flow_count_error(t->flow);
    return buffer;
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
    flow_span spans[] = {{built(t, &number), false}, {text, false}};
    flow_add(t->flow, BP_STYLE_LIST, spans, 2, path, false);
    bp_strbuf_free(&number);
}

static void typeset_glossary(typesetter *t)
{
    for (size_t i = 0; i < t->unit->glossary_count; i++) {
        const bp_glossary_entry *e = &t->unit->glossary[i];
        bp_strbuf number = BP_STRBUF_INIT;
        ordinal(BP_NUMBERING_ARABIC_COMMA, (int)i + 1, &number);
        flow_span spans[] = {
            {built(t, &number), false}, {e->term, true}, {"：", true}, {e->definition, false}};
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
        const char *title_path = path_of(t, "performance.itemised[%zu].title", g);
        numbered_heading(t, BP_STYLE_HEADING3, built(t, &number),
                         printed(t, group->title, title_path), title_path);
        bp_strbuf_free(&number);
        for (size_t i = 0; i < group->target_count; i++) {
            const bp_target *target = &group->targets[i];
            bp_strbuf lead = BP_STRBUF_INIT;
            ordinal(BP_NUMBERING_ARABIC_COMMA, (int)i + 1, &lead);
            bp_strbuf_puts(&lead, "绩效目标：");
            const char *target_path =
                path_of(t, "performance.itemised[%zu].targets[%zu].target", g, i);
            flow_span spans[] = {{built(t, &lead), false},
                                 {printed(t, target->target, target_path), false}};
            flow_add(t->flow, BP_STYLE_BODY, spans, 2, target_path, false);
            bp_strbuf_free(&lead);
            for (size_t k = 0; k < target->indicator_count; k++) {
                const char *indicator_path =
                    path_of(t, "performance.itemised[%zu].targets[%zu].indicators[%zu]", g, i, k);
                flow_span ind[] = {{"绩效指标：", false},
                                   {printed(t, target->indicators[k], indicator_path), false}};
                flow_add(t->flow, BP_STYLE_BODY, ind, 2, indicator_path, false);
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
        flow_add_text(t->flow, BP_STYLE_BODY, printed(t, perf->overall, "performance.overall"),
                      "performance.overall", false);
    }
    if (perf->group_count) {
        flow_add_text(t->flow, BP_STYLE_HEADING3, "（二）分项绩效目标", "performance", true);
        typeset_targets(t, perf);
    }
    if (perf->safeguard_count) {
        flow_add_text(t->flow, BP_STYLE_HEADING3, "（三）工作保障措施", "performance", true);
        for (size_t i = 0; i < perf->safeguard_count; i++) {
            const bp_safeguard *s = &perf->safeguards[i];
            const char *path = path_of(t, "performance.safeguards[%zu].title", i);
            numbered_paragraph(t, BP_NUMBERING_ARABIC_COMMA, (int)i + 1, printed(t, s->title, path),
                               path);
            path = path_of(t, "performance.safeguards[%zu].text", i);
            flow_add_text(t->flow, BP_STYLE_BODY, printed(t, s->text, path), path, false);
        }
    }
    if (perf->special_funds) {
        flow_add_text(t->flow, BP_STYLE_HEADING2, "第二部分 专项资金绩效目标", "performance", true);
        flow_add_text(t->flow, BP_STYLE_BODY,
                      printed(t, perf->special_funds, "performance.special_funds"),
                      "performance.special_funds", false);
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

static void typeset_block(typesetter *t, const char *key, size_t index, const bp_block *block)
{
    const char *path;
    switch (block->kind) {
    case BP_BLOCK_HEADING:
        path = path_of(t, "explanation.sections.%s.blocks[%zu].heading", key, index);
        flow_add_text(t->flow, heading_style(block->level), printed(t, block->text, path), path,
                      true);
        break;
    case BP_BLOCK_PARAGRAPH:
        path = path_of(t, "explanation.sections.%s.blocks[%zu].paragraph", key, index);
        flow_add_text(t->flow, BP_STYLE_BODY, printed(t, block->text, path), path, false);
        break;
    case BP_BLOCK_LIST:
        for (size_t i = 0; i < block->item_count; i++) {
            path = path_of(t, "explanation.sections.%s.blocks[%zu].list[%zu]", key, index, i);
            numbered_paragraph(t, block->numbering, (int)i + 1, printed(t, block->items[i], path),
                               path);
        }
        break;
    case BP_BLOCK_INCLUDE:
        typeset_include(t, block->part);
        break;
    }
}

/* A layout text of the whole document with its placeholders replaced (placeholders.h). */
static void expand_front(const bp_unit *unit, const char *template, bp_strbuf *out)
{
    layout_values values;
    layout_values_of_unit(&values, unit);
    layout_expand(template, &values, out);
}

/* The first part: its title, then the nine standard tables, each from a new page. */
static void typeset_tables(typesetter *t, const bp_layout *layout)
{
    const bp_unit *unit = t->unit;
    flow_fresh_page(t->flow, false);
    bp_node_id part = flow_open(t->flow, BP_NODE_PART, "tables");
    const char *title = layout->tables->tables_title;
    if (title) {
        bp_strbuf text = BP_STRBUF_INIT;
        expand_front(unit, title, &text);
        flow_add_text(t->flow, BP_STYLE_TITLE, built(t, &text), "unit.name", true);
        bp_strbuf_free(&text);
    }
    if (unit->kind)
        tables_layout_kind(t->flow, unit, t->kind_tables);
    else
        tables_layout_standard(t->flow, unit, t->tables);
    flow_close(t->flow, part);
}

static void typeset_explanation(typesetter *t)
{
    const bp_unit *unit = t->unit;
    flow_fresh_page(t->flow, false);
    const char *part =
        t->explanation_title ? t->explanation_title : "{year} 年单位预算信息公开情况说明";
    bp_strbuf subtitle = BP_STRBUF_INIT;
    expand_front(unit, part, &subtitle);
    bp_node_id node = flow_open(t->flow, BP_NODE_PART, "explanation");
    flow_add_text(t->flow, BP_STYLE_TITLE, unit->info.name, "unit.name", true);
    flow_add_text(t->flow, BP_STYLE_SUBTITLE, built(t, &subtitle), "unit.budget_year", true);
    bp_strbuf_free(&subtitle);
    if (unit->explanation.preface)
        flow_add_text(t->flow, BP_STYLE_BODY,
                      printed(t, unit->explanation.preface, "explanation.preface"),
                      "explanation.preface", false);
    int number = 0;
    for (int k = 0; k < t->layout->section_count; k++) {
        bp_section_id s = t->layout->section_order[k];
        const bp_section *section = &unit->explanation.sections[s];
        if (!section->present)
            continue;
        bp_strbuf ord = BP_STRBUF_INIT;
        ordinal(BP_NUMBERING_CHINESE, ++number, &ord);
        const char *title =
            section->title ? section->title : bp_section_official_title((bp_section_id)s);
        bp_strbuf_printf(&t->section_titles[s], "%s%s", built(t, &ord), title);
        flow_span spans[] = {{built(t, &ord), false}, {title, false}};
        const char *path = path_of(t, "explanation.sections.%s", bp_section_key((bp_section_id)s));
        bp_node_id sect = flow_open(t->flow, BP_NODE_SECTION, path);
        flow_add_anchored(t->flow, BP_STYLE_HEADING1, spans, 2, path, true, &t->sections[s]);
        bp_strbuf_free(&ord);
        for (size_t b = 0; b < section->block_count; b++)
            typeset_block(t, section->key, b, &section->blocks[b]);
        flow_close(t->flow, sect);
    }
    flow_close(t->flow, node);
}

/* ---- A kind's document: its parts in the layout's order ---- */

static void typeset_part_section(typesetter *t, const bp_layout_section *ls, bp_numbering numbering,
                                 int number, size_t slot)
{
    const bp_section *section = bp_unit_keyed_section(t->unit, ls->key);
    const char *path = path_of(t, "explanation.sections.%s", ls->key);
    const char *title = ls->title ? ls->title : section->title;
    bp_node_id sect = flow_open(t->flow, BP_NODE_SECTION, path);
    if (!ls->heading) {
        for (size_t b = 0; b < section->block_count; b++)
            typeset_block(t, section->key, b, &section->blocks[b]);
        flow_close(t->flow, sect);
        return;
    }
    if (!title) {
        bp_diags_add(t->diags, BP_SEVERITY_ERROR, NULL, t->unit->source, 0, 0, path,
                     "the section has no title: give it one in the unit (\"title\") or in the "
                     "layout's document part ({\"key\": \"%s\", \"title\": …})",
                     ls->key);
        flow_count_error(t->flow);
        flow_close(t->flow, sect);
        return;
    }
    bp_strbuf ord = BP_STRBUF_INIT, text = BP_STRBUF_INIT;
    if (number > 0)
        ordinal(numbering, number, &ord);
    expand_front(t->unit, title, &text);
    bp_strbuf_printf(&t->part_titles[slot], "%s%s", built(t, &ord), built(t, &text));
    flow_span spans[] = {{built(t, &ord), false}, {built(t, &text), false}};
    flow_add_anchored(t->flow, BP_STYLE_HEADING1, spans, 2, path, true, &t->part_anchors[slot]);
    bp_strbuf_free(&ord);
    bp_strbuf_free(&text);
    for (size_t b = 0; b < section->block_count; b++)
        typeset_block(t, section->key, b, &section->blocks[b]);
    flow_close(t->flow, sect);
}

/* Whether any part of the layout prints the section. */
static bool printed_by_layout(const bp_layout *layout, const char *key)
{
    for (size_t p = 0; p < layout->part_count; p++)
        for (size_t i = 0; i < layout->parts[p].section_count; i++)
            if (strcmp(layout->parts[p].sections[i].key, key) == 0)
                return true;
    return false;
}

/* Each part from a new page under its title: the tables, or its sections numbered 一、二、…
 * (a section the unit lacks is left out). A section of the unit that no part prints is said. */
static void typeset_parts(typesetter *t, const bp_layout *layout)
{
    size_t slot = 0;
    for (size_t p = 0; p < layout->part_count; p++) {
        const bp_layout_part *part = &layout->parts[p];
        flow_fresh_page(t->flow, false);
        bp_node_id node = flow_open(t->flow, BP_NODE_PART, path_of(t, "document[%zu]", p));
        if (part->title) {
            bp_strbuf text = BP_STRBUF_INIT;
            expand_front(t->unit, part->title, &text);
            flow_span span = {built(t, &text), false};
            flow_add_anchored(t->flow, BP_STYLE_TITLE, &span, 1, "document", true,
                              &t->part_starts[p]);
            bp_strbuf_free(&text);
        }
        if (part->subtitle) {
            bp_strbuf text = BP_STRBUF_INIT;
            expand_front(t->unit, part->subtitle, &text);
            flow_add_text(t->flow, BP_STYLE_SUBTITLE, built(t, &text), "document", true);
            bp_strbuf_free(&text);
        }
        if (part->preface && t->unit->explanation.preface)
            flow_add_text(t->flow, BP_STYLE_BODY,
                          printed(t, t->unit->explanation.preface, "explanation.preface"),
                          "explanation.preface", false);
        if (part->tables)
            tables_layout_kind(t->flow, t->unit, t->kind_tables);
        if (!t->part_starts[p].placed && part->tables && t->unit->kind->table_count)
            t->part_starts[p] = t->kind_tables[0];
        int number = 0;
        for (size_t i = 0; i < part->section_count; i++, slot++)
            if (bp_unit_keyed_section(t->unit, part->sections[i].key))
                typeset_part_section(
                    t, &part->sections[i], part->numbering,
                    part->numbering != BP_NUMBERING_NONE && part->sections[i].heading ? ++number
                                                                                      : 0,
                    slot);
        flow_close(t->flow, node);
    }
    const bp_explanation *ex = &t->unit->explanation;
    for (size_t i = 0; i < ex->keyed_count; i++)
        if (!printed_by_layout(layout, ex->keyed[i].key))
            bp_diags_add(t->diags, BP_SEVERITY_WARNING, NULL, t->unit->source, 0, 0,
                         path_of(t, "explanation.sections.%s", ex->keyed[i].key),
                         "not printed: no part of the layout's document names the section "
                         "\"%s\"",
                         ex->keyed[i].key);
}

static size_t part_section_total(const bp_layout *layout)
{
    size_t n = 0;
    for (size_t p = 0; p < layout->part_count; p++)
        n += layout->parts[p].section_count;
    return n;
}

/* The document's information (title, author, date), its texts the layout's: 0, or -1 when out
 * of memory. */
static int set_metadata(bp_document *doc, const bp_unit *unit, const bp_layout *layout)
{
    const char *templates[3] = {
        layout->meta_title ? layout->meta_title : "{year} 年{unit_name}预算信息公开",
        layout->meta_subject ? layout->meta_subject : "单位预算信息公开",
        layout->meta_keywords ? layout->meta_keywords : "预算公开, 单位预算, 三公经费, 绩效目标"};
    bp_strbuf text[3] = {BP_STRBUF_INIT, BP_STRBUF_INIT, BP_STRBUF_INIT};
    bool failed = false;
    for (int i = 0; i < 3; i++) {
        expand_front(unit, templates[i], &text[i]);
        failed = failed || text[i].failed;
    }
    bp_doc_info info = {
        .title = bp_strbuf_cstr(&text[0]),
        .author = unit->info.name,
        .subject = bp_strbuf_cstr(&text[1]),
        .keywords = bp_strbuf_cstr(&text[2]),
        .creator = "budgetpress " BP_VERSION_STRING,
        .unit_code = unit->info.code,
        .unit_name = unit->info.name,
        .unit_year = unit->info.budget_year,
        .layout_name = layout->name,
        .layout_digest = layout->digest,
    };
    /* The date comes from the unit, never the clock: the same input gives the same bytes. */
    const char *date = unit->info.publish_date;
    if (date) {
        info.year = atoi(date);
        info.month = atoi(date + 5);
        info.day = atoi(date + 8);
    }
    int rc = failed || bp_document_set_info(doc, &info) != 0 ? -1 : 0;
    for (int i = 0; i < 3; i++)
        bp_strbuf_free(&text[i]);
    return rc;
}

/* ---- Front matter: the cover and the contents ---- */

static void typeset_cover(typesetter *t, flow *f, const bp_layout *layout)
{
    if (!layout->cover_lines[0])
        return;
    flow_new_page(f, false);
    flow_advance(f, layout->cover_top);
    bp_node_id part = flow_open(f, BP_NODE_PART, "cover");
    for (int i = 0; i < 3 && layout->cover_lines[i]; i++) {
        bp_strbuf line = BP_STRBUF_INIT;
        expand_front(t->unit, layout->cover_lines[i], &line);
        flow_add_text(f, BP_STYLE_COVER, built(t, &line), "cover", false);
        bp_strbuf_free(&line);
    }
    flow_close(f, part);
}

/* One entry of the contents and of the bookmarks. */
typedef struct contents_entry {
    int group;               /* the built-in kind: 0 the tables, 1 the explanatory part; a
                                kind's document: the part's index */
    const char *title;       /* as printed */
    const char *group_title; /* the group's, as printed; NULL for none */
    const flow_anchor *anchor;
} contents_entry;

/* The contents' and bookmarks' entries, their titles and their groups' titles as printed
 * (placeholders filled in) in titles[] and groups[]. */
/* A kind's document: one group per part, its title the part's; the tables' entries numbered
 * 一、二、… where the part numbers its entries. */
static size_t collect_part_entries(typesetter *t, const bp_layout *layout, contents_entry *entries,
                                   bp_strbuf *titles, bp_strbuf *groups)
{
    size_t n = 0, slot = 0;
    for (size_t p = 0; p < layout->part_count; p++) {
        const bp_layout_part *part = &layout->parts[p];
        const char *group = NULL;
        if (part->contents || part->title) {
            expand_front(t->unit, part->contents ? part->contents : part->title, &groups[p]);
            group = built(t, &groups[p]);
        }
        size_t first = n;
        int number = 0;
        for (size_t i = 0; part->tables && i < t->unit->kind->table_count; i++) {
            if (!t->kind_tables[i].placed)
                continue;
            const bp_kind_table *spec = &t->unit->kind->tables[i];
            const tdef_table *def = tdef_find(layout->tables, spec->id);
            bp_strbuf_truncate(&titles[n], 0);
            if (part->numbering != BP_NUMBERING_NONE)
                ordinal(part->numbering, ++number, &titles[n]);
            if (part->numbering == BP_NUMBERING_ARABIC_DOT)
                bp_strbuf_putc(&titles[n], ' '); /* "1. 2025年部门…", as printed */
            expand_front(t->unit, def && def->title ? def->title : spec->title, &titles[n]);
            entries[n] = (contents_entry){(int)p, built(t, &titles[n]), group, &t->kind_tables[i]};
            n++;
        }
        for (size_t i = 0; i < part->section_count; i++, slot++) {
            if (!t->part_anchors[slot].placed)
                continue;
            bp_strbuf_truncate(&titles[n], 0);
            bp_strbuf_puts(&titles[n], built(t, &t->part_titles[slot]));
            entries[n] =
                (contents_entry){(int)p, built(t, &titles[n]), group, &t->part_anchors[slot]};
            n++;
        }
        if (n == first && t->part_starts[p].placed && group)
            entries[n++] = (contents_entry){(int)p, NULL, group, &t->part_starts[p]};
    }
    return n;
}

static size_t collect_entries(typesetter *t, const bp_layout *layout, contents_entry *entries,
                              bp_strbuf *titles, bp_strbuf *groups)
{
    /* A layout's parts are a kind's document (typeset_parts); a unit of the built-in kind is
     * set as the built-in document, whatever parts the layout lists, and so are its contents. */
    if (layout->part_count && t->unit->kind)
        return collect_part_entries(t, layout, entries, titles, groups);
    const char *group_titles[2] = {NULL, NULL};
    for (int g = 0; g < 2; g++)
        if (layout->contents_groups[g]) {
            expand_front(t->unit, layout->contents_groups[g], &groups[g]);
            group_titles[g] = built(t, &groups[g]);
        }
    size_t n = 0;
    for (int i = 0; i < BP_TABLE__COUNT; i++) {
        if (!t->tables[i].placed)
            continue;
        const tdef_table *def = tdef_find(layout->tables, bp_table_spec_get((bp_table_id)i)->key);
        const char *title =
            def && def->title ? def->title : bp_table_spec_get((bp_table_id)i)->title;
        bp_strbuf_truncate(&titles[n], 0);
        expand_front(t->unit, title, &titles[n]);
        entries[n] = (contents_entry){0, built(t, &titles[n]), group_titles[0], &t->tables[i]};
        n++;
    }
    for (int k = 0; k < layout->section_count; k++) {
        bp_section_id s = layout->section_order[k];
        if (!t->sections[s].placed)
            continue;
        bp_strbuf_truncate(&titles[n], 0);
        bp_strbuf_puts(&titles[n], built(t, &t->section_titles[s]));
        entries[n] = (contents_entry){1, built(t, &titles[n]), group_titles[1], &t->sections[s]};
        n++;
    }
    return n;
}

/* The number printed for body page `index` when the front matter has `front` pages. */
static size_t body_number(const bp_layout *layout, size_t front, size_t index)
{
    return (layout->count_front_matter ? front : 0) + index + 1;
}

/* Typesets the cover and the contents into a new document; `front` is how many pages they
 * are expected to take (the contents' numbers depend on it). */
static bp_document *typeset_front(typesetter *t, const bp_layout *layout, const bp_fontset *fonts,
                                  bp_diags *diags, const contents_entry *entries, size_t n,
                                  size_t front)
{
    bp_document *doc = bp_document_create();
    flow *f = doc ? flow_create(layout, fonts, doc, diags, t->unit->source) : NULL;
    if (!f) {
        bp_document_destroy(doc);
        typeset_out_of_memory(t->unit, diags);
        return NULL;
    }
    typeset_cover(t, f, layout);
    if (layout->contents_title) {
        flow_new_page(f, false);
        bp_strbuf title = BP_STRBUF_INIT;
        expand_front(t->unit, layout->contents_title, &title);
        bp_node_id part = flow_open(f, BP_NODE_PART, "contents");
        flow_add_text(f, BP_STYLE_TOC_TITLE, built(t, &title), "contents", true);
        bp_strbuf_free(&title);
        bp_node_id toc = flow_open(f, BP_NODE_TOC, "contents");
        int group = -1;
        for (size_t i = 0; i < n; i++) {
            char number[24];
            snprintf(number, sizeof number, "%zu",
                     body_number(layout, front, entries[i].anchor->page));
            int target = (int)(front + entries[i].anchor->page);
            const char *name = entries[i].group_title;
            if (!entries[i].title) { /* a part of its own: a line with its page */
                flow_add_contents_line(f, BP_STYLE_TOC_GROUP, name ? name : "", number, 0, target,
                                       entries[i].anchor->y);
                group = entries[i].group;
                continue;
            }
            if (entries[i].group != group) {
                group = entries[i].group;
                flow_add_text(f, BP_STYLE_TOC_GROUP, name ? name : "", "contents", true);
            }
            flow_add_contents_line(f, BP_STYLE_TOC_ENTRY, entries[i].title, number,
                                   layout->styles[BP_STYLE_TOC_ENTRY].size * 2, target,
                                   entries[i].anchor->y);
        }
        flow_close(f, toc);
        flow_close(f, part);
    }
    if (flow_finish(f) > 0 || t->out_of_memory) {
        bp_document_destroy(doc);
        return NULL;
    }
    return doc;
}

/* Bookmarks: the two groups, each with its entries, pointing where the contents point. */
static int add_outline(bp_document *doc, const contents_entry *entries, size_t n, size_t front)
{
    int group = -1;
    for (size_t i = 0; i < n; i++) {
        int page = (int)(front + entries[i].anchor->page);
        if (entries[i].group != group) {
            group = entries[i].group;
            const char *name = entries[i].group_title;
            bp_outline_entry head = {0, name ? name : entries[i].title, page, entries[i].anchor->y};
            if (bp_document_add_outline(doc, &head) != 0)
                return -1;
        }
        if (!entries[i].title)
            continue;
        bp_outline_entry entry = {1, entries[i].title, page, entries[i].anchor->y};
        if (bp_document_add_outline(doc, &entry) != 0)
            return -1;
    }
    return 0;
}

/* Lays out the front matter until the number of its pages is stable: the contents' page
 * numbers count those pages, which do not depend on the numbers (one line per entry), so the
 * second round normally agrees; a third is allowed, then it fails loudly. */
static bp_document *front_matter(typesetter *t, const bp_layout *layout, const bp_fontset *fonts,
                                 bp_diags *diags, const contents_entry *entries, size_t n)
{
    size_t front = (layout->cover_lines[0] ? 1 : 0) + (layout->contents_title ? 1 : 0);
    for (int round = 0; round < 3; round++) {
        bp_document *doc = typeset_front(t, layout, fonts, diags, entries, n, front);
        if (!doc || bp_document_page_count(doc) == front)
            return doc;
        front = bp_document_page_count(doc);
        bp_document_destroy(doc);
    }
    bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, t->unit->source, 0, 0, NULL,
                 "the table of contents did not settle on a page count");
    return NULL;
}

/* Cover and contents, then the body, then the folios on the body's pages and the bookmarks. */
static bp_document *assemble(typesetter *t, const bp_layout *layout, const bp_fontset *fonts,
                             bp_diags *diags, bp_document *body)
{
    size_t max = BP_TABLE__COUNT + BP_SEC__COUNT + part_section_total(layout) + layout->part_count +
                 (t->unit->kind ? t->unit->kind->table_count : 0);
    size_t group_count = layout->part_count > 2 ? layout->part_count : 2;
    contents_entry *entries = calloc(max, sizeof *entries);
    bp_strbuf *titles = calloc(max, sizeof *titles);
    bp_strbuf *groups = calloc(group_count, sizeof *groups);
    if (!entries || !titles || !groups) {
        free(entries);
        free(titles);
        free(groups);
        typeset_out_of_memory(t->unit, diags);
        bp_document_destroy(body);
        return NULL;
    }
    for (size_t i = 0; i < max; i++)
        titles[i] = (bp_strbuf)BP_STRBUF_INIT;
    for (size_t i = 0; i < group_count; i++)
        groups[i] = (bp_strbuf)BP_STRBUF_INIT;
    size_t n = collect_entries(t, layout, entries, titles, groups);
    bp_document *doc = t->out_of_memory ? NULL : front_matter(t, layout, fonts, diags, entries, n);
    size_t front = doc ? bp_document_page_count(doc) : 0;
    bool outlined = doc && add_outline(doc, entries, n, front) == 0;
    for (size_t i = 0; i < max; i++)
        bp_strbuf_free(&titles[i]);
    free(titles);
    free(entries);
    for (size_t i = 0; i < group_count; i++)
        bp_strbuf_free(&groups[i]);
    free(groups);
    bool appended = outlined && bp_document_append(doc, body) == 0;
    if (!appended) {
        if (doc) /* front_matter says itself why it made none */
            typeset_out_of_memory(t->unit, diags);
        bp_document_destroy(doc);
        bp_document_destroy(body);
        return NULL;
    }
    flow *f = flow_create(layout, fonts, doc, diags, t->unit->source);
    if (!f) {
        typeset_out_of_memory(t->unit, diags);
        bp_document_destroy(doc);
        return NULL;
    }
    flow_draw_folios(f, front, body_number(layout, front, 0));
    if (flow_finish(f) > 0) {
        bp_document_destroy(doc);
        return NULL;
    }
    return doc;
}

bp_document *bp_typeset(const bp_unit *unit, const bp_layout *layout, const bp_fontset *fonts,
                        bp_diags *diags)
{
    bp_document *body = bp_document_create();
    flow *f = body ? flow_create(layout, fonts, body, diags, unit->source) : NULL;
    if (!f) {
        bp_document_destroy(body);
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, unit->source, 0, 0, NULL, "out of memory");
        return NULL;
    }
    typesetter t = {.flow = f,
                    .unit = unit,
                    .path = BP_STRBUF_INIT,
                    .explanation_title = layout->tables->explanation_title,
                    .layout = layout,
                    .diags = diags};
    for (int s = 0; s < BP_SEC__COUNT; s++)
        t.section_titles[s] = (bp_strbuf)BP_STRBUF_INIT;
    size_t part_sections = part_section_total(layout);
    if (unit->kind) {
        t.kind_tables =
            calloc(unit->kind->table_count ? unit->kind->table_count : 1, sizeof *t.kind_tables);
        t.part_anchors = calloc(part_sections ? part_sections : 1, sizeof *t.part_anchors);
        t.part_titles = calloc(part_sections ? part_sections : 1, sizeof *t.part_titles);
        t.part_starts = calloc(layout->part_count ? layout->part_count : 1, sizeof *t.part_starts);
        for (size_t i = 0; t.part_titles && i < part_sections; i++)
            t.part_titles[i] = (bp_strbuf)BP_STRBUF_INIT;
        if (!t.kind_tables || !t.part_anchors || !t.part_titles || !t.part_starts) {
            free(t.part_starts);
            free(t.kind_tables);
            free(t.part_anchors);
            free(t.part_titles);
            flow_finish(f);
            bp_document_destroy(body);
            typeset_out_of_memory(unit, diags);
            return NULL;
        }
    }
    if (unit->kind) {
        typeset_parts(&t, layout);
    } else {
        typeset_tables(&t, layout);
        typeset_explanation(&t);
    }
    bp_strbuf_free(&t.path);
    free(t.printed);
    t.flow = NULL; /* finished: what follows makes flows of its own */
    bp_document *doc = NULL;
    if (flow_finish(f) == 0 && !t.out_of_memory)
        doc = assemble(&t, layout, fonts, diags, body);
    else
        bp_document_destroy(body);
    if (doc && set_metadata(doc, unit, layout) != 0) {
        typeset_out_of_memory(unit, diags);
        bp_document_destroy(doc);
        doc = NULL;
    }
    for (int s = 0; s < BP_SEC__COUNT; s++)
        bp_strbuf_free(&t.section_titles[s]);
    free(t.kind_tables);
    free(t.part_anchors);
    for (size_t i = 0; t.part_titles && i < part_sections; i++)
        bp_strbuf_free(&t.part_titles[i]);
    free(t.part_titles);
    free(t.part_starts);
    return doc;
}

/*
 * test_typography.c: the sample set as Chinese official documents are, read back from the
 * display list the reference layout makes (each glyph run's node, meaning, baseline, face):
 *  - no table cell, header label or body paragraph ends with one character alone on its last
 *    line where a better break exists (基本支 / 出 becomes 基本 / 支出), and the breaker's
 *    choice tested on its own;
 *  - amounts line up on the decimal point down every column (half-width figures, hwid);
 *  - 合计 rows are drawn with the bold face itself, never a fake bold;
 *  - adjacent full-width punctuation is squeezed by half an em.
 *
 * "A better break exists" is judged here independently of the breaker: the line before ends
 * with two ideographs (between which Chinese may always break) after at least one more
 * character, so its last ideograph could go down and leave two on each side; the last line
 * then holds two characters, which fit wherever the line before held three.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budgetpress/layout.h"
#include "test_support.h"

static bp_layout *layout;
static bp_fontset *fonts;

static int setup(void **state)
{
    (void)state;
    return load_reference_layout(&layout, &fonts);
}

static int teardown(void **state)
{
    (void)state;
    free_reference_layout(layout, fonts);
    return 0;
}

/* ---- Reading the lines of each node back from the display list ---- */

enum { MAX_LINE_BYTES = 512 };

/* A node's last two lines as printed: baselines and texts. */
typedef struct node_lines {
    int count;
    bp_len y[2];
    char text[2][MAX_LINE_BYTES];
} node_lines;

static void add_run(node_lines *n, const bp_glyph_run *run)
{
    size_t len = run->text_len < MAX_LINE_BYTES - 1 ? run->text_len : MAX_LINE_BYTES - 1;
    if (n->count > 0 && n->y[1] == run->y) { /* another run of the same line (a face change) */
        size_t have = strlen(n->text[1]);
        if (have + len < MAX_LINE_BYTES)
            strncat(n->text[1], run->text, len);
        return;
    }
    if (n->count > 0) {
        n->y[0] = n->y[1];
        memcpy(n->text[0], n->text[1], MAX_LINE_BYTES);
    }
    n->y[1] = run->y;
    memcpy(n->text[1], run->text, len);
    n->text[1][len] = '\0';
    n->count++;
}

static size_t utf8_chars(const char *s, uint32_t *last2)
{
    size_t count = 0;
    last2[0] = last2[1] = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        uint32_t cp;
        int n = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
        cp = n == 1 ? *p : n == 2 ? *p & 0x1f : n == 3 ? *p & 0x0f : *p & 0x07;
        for (int i = 1; i < n && p[i]; i++)
            cp = cp << 6 | (p[i] & 0x3f);
        p += n;
        if (cp == ' ')
            continue;
        last2[0] = last2[1];
        last2[1] = cp;
        count++;
    }
    return count;
}

static bool is_ideograph(uint32_t cp)
{
    return cp >= 0x4E00 && cp <= 0x9FFF;
}

typedef struct lone_count {
    size_t nodes;     /* nodes of the kinds counted with two lines or more */
    size_t lone;      /* of them, with one character on the last line */
    size_t avoidable; /* of those, where a better break exists */
} lone_count;

static bool counted_kind(bp_node_kind kind, bool paragraphs)
{
    return paragraphs ? kind == BP_NODE_P || kind == BP_NODE_ITEM_BODY
                      : kind == BP_NODE_TD || kind == BP_NODE_TH;
}

static lone_count count_lone_last(const bp_document *doc, bool paragraphs)
{
    size_t node_count = bp_document_node_count(doc);
    node_lines *lines = calloc(node_count + 1, sizeof *lines);
    assert_non_null(lines);
    for (size_t p = 0; p < bp_document_page_count(doc); p++) {
        const bp_page *page = bp_document_page(doc, p);
        for (size_t i = 0; i < page->count; i++) {
            const bp_glyph_run *run = &page->items[i].u.glyphs;
            if (page->items[i].kind != BP_ITEM_GLYPHS || run->node == 0 || run->artifact ||
                run->node > node_count)
                continue;
            if (counted_kind(bp_document_node(doc, run->node)->kind, paragraphs))
                add_run(&lines[run->node], run);
        }
    }
    lone_count c = {0};
    for (size_t n = 1; n <= node_count; n++) {
        if (lines[n].count < 2)
            continue;
        c.nodes++;
        uint32_t last[2], prev[2];
        if (utf8_chars(lines[n].text[1], last) != 1)
            continue;
        c.lone++;
        size_t before = utf8_chars(lines[n].text[0], prev);
        bool better = before >= 3 && is_ideograph(prev[0]) && is_ideograph(prev[1]);
        if (better) {
            c.avoidable++;
            fprintf(stderr, "lone last character: \"%s\" / \"%s\"\n", lines[n].text[0],
                    lines[n].text[1]);
        }
    }
    free(lines);
    return c;
}

static bp_document *typeset_sample(void)
{
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_unit_load_file(SAMPLE_PATH, &unit, &diags), 0);
    bp_document *doc = bp_typeset(unit, layout, fonts, &diags);
    assert_non_null(doc);
    bp_unit_destroy(unit);
    bp_diags_clear(&diags);
    return doc;
}

/* ---- The sample ---- */

/* Counts the sample's nodes of one sort ending with a lone character: none where avoidable. */
static void expect_no_avoidable_lone_last(bool paragraphs, size_t at_least, const char *what)
{
    bp_document *doc = typeset_sample();
    lone_count c = count_lone_last(doc, paragraphs);
    printf("%s on two lines or more: %zu; one character last: %zu; avoidable: %zu\n", what, c.nodes,
           c.lone, c.avoidable);
    assert_true(c.nodes >= at_least); /* the count saw the sample's many wrapped texts */
    assert_int_equal(c.avoidable, 0);
    bp_document_destroy(doc);
}

static void sample_cells_never_end_with_a_lone_character(void **state)
{
    (void)state;
    expect_no_avoidable_lone_last(false, 100, "cells and labels");
}

static void sample_paragraphs_never_end_with_a_lone_character(void **state)
{
    (void)state;
    expect_no_avoidable_lone_last(true, 20, "paragraphs");
}

/* ---- The breaker's choice ---- */

/* Shapes text with the table role at 10 pt and breaks it at `chars` ems with the flags. */
static void break_text(const char *text, int chars, unsigned flags, bp_lines *lines)
{
    bp_shaped shaped = BP_SHAPED_INIT;
    assert_int_equal(bp_shape(fonts, BP_ROLE_TABLE, BP_PT(10), text, strlen(text), &shaped), 0);
    bp_len width = BP_PT(10) * chars;
    assert_int_equal(bp_break_lines_with(&shaped, text, strlen(text), width, width, flags, lines),
                     0);
    bp_shaped_free(&shaped);
}

static void line_is(const bp_lines *lines, size_t i, const char *text, const char *want)
{
    assert_true(i < lines->count);
    size_t len = lines->lines[i].text_end - lines->lines[i].text_start;
    char got[256];
    assert_true(len < sizeof got);
    memcpy(got, text + lines->lines[i].text_start, len);
    got[len] = '\0';
    assert_string_equal(got, want);
}

static void a_label_gives_its_last_line_a_second_character(void **state)
{
    (void)state;
    bp_lines lines = BP_LINES_INIT;
    const char *label = "基本支出";
    break_text(label, 3, 0, &lines); /* greedy: 基本支 / 出 */
    assert_int_equal(lines.count, 2);
    line_is(&lines, 1, label, "出");
    break_text(label, 3, BP_BREAK_NO_LONE_LAST, &lines);
    assert_int_equal(lines.count, 2);
    line_is(&lines, 0, label, "基本");
    line_is(&lines, 1, label, "支出");
    assert_int_equal(lines.lines[0].width, BP_PT(20));
    assert_int_equal(lines.lines[1].width, BP_PT(20));
    /* Three lines: only the last pair moves. */
    const char *plan = "年度工作计划表";
    break_text(plan, 3, BP_BREAK_NO_LONE_LAST, &lines);
    assert_int_equal(lines.count, 3);
    line_is(&lines, 0, plan, "年度工");
    line_is(&lines, 1, plan, "作计");
    line_is(&lines, 2, plan, "划表");
    bp_lines_free(&lines);
}

static void no_better_break_leaves_the_lines_as_they_are(void **state)
{
    (void)state;
    bp_lines lines = BP_LINES_INIT;
    /* Two characters a line: moving one down would leave one above. */
    break_text("支出表", 2, BP_BREAK_NO_LONE_LAST, &lines);
    assert_int_equal(lines.count, 2);
    line_is(&lines, 1, "支出表", "表");
    /* A number is one word: nothing breaks inside it, so 元 stays alone. */
    break_text("1234567元", 4, BP_BREAK_NO_LONE_LAST, &lines);
    assert_int_equal(lines.count, 2);
    line_is(&lines, 0, "1234567元", "1234567");
    line_is(&lines, 1, "1234567元", "元");
    /* Closing punctuation never starts a line: 出。 stays together and is two characters. */
    break_text("基本支出。", 4, BP_BREAK_NO_LONE_LAST, &lines);
    assert_int_equal(lines.count, 2);
    line_is(&lines, 1, "基本支出。", "出。");
    bp_lines_free(&lines);
}

static void each_paragraph_of_a_text_is_balanced(void **state)
{
    (void)state;
    bp_lines lines = BP_LINES_INIT;
    const char *text = "基本支出\u2029项目支出";
    break_text(text, 3, BP_BREAK_NO_LONE_LAST, &lines);
    assert_int_equal(lines.count, 4);
    line_is(&lines, 1, text, "支出\u2029");
    line_is(&lines, 3, text, "支出");
    bp_lines_free(&lines);
}

/* ---- Figures, bold, punctuation ---- */

/* Every amount cell of a column puts its decimal point at the same x, on every page. */
static void amounts_line_up_on_the_decimal_point(void **state)
{
    (void)state;
    bp_document *doc = typeset_sample();
    enum { MAX_COLUMNS = 512 };
    typedef struct column_seen {
        const char *table, *column;
        bp_len x;
        size_t cells;
    } column_seen;
    column_seen seen[MAX_COLUMNS];
    size_t columns = 0, cells = 0;
    for (size_t p = 0; p < bp_document_page_count(doc); p++) {
        const bp_page *page = bp_document_page(doc, p);
        for (size_t i = 0; i < page->count; i++) {
            const bp_glyph_run *run = &page->items[i].u.glyphs;
            if (page->items[i].kind != BP_ITEM_GLYPHS || !run->meaning ||
                !run->meaning->has_amount || run->meaning->blank || !run->meaning->column)
                continue;
            const char *dot = memchr(run->text, '.', run->text_len);
            assert_non_null(dot);
            size_t k = 0;
            while (k < run->count && run->clusters[k] != (uint32_t)(dot - run->text))
                k++;
            assert_true(k < run->count);
            bp_len x = run->x + run->dx[k];
            size_t c = 0;
            while (c < columns && !(strcmp(seen[c].table, run->meaning->table) == 0 &&
                                    strcmp(seen[c].column, run->meaning->column) == 0))
                c++;
            if (c == columns) {
                assert_true(columns < MAX_COLUMNS);
                seen[columns++] = (column_seen){run->meaning->table, run->meaning->column, x, 0};
            }
            if (seen[c].x != x)
                fprintf(stderr, "%s.%s: decimal point at %d, %d before (\"%.*s\")\n", seen[c].table,
                        seen[c].column, x, seen[c].x, (int)run->text_len, run->text);
            assert_int_equal(seen[c].x, x);
            seen[c].cells++;
            cells++;
        }
    }
    printf("%zu amounts in %zu columns, each column's decimal points at one x\n", cells, columns);
    assert_true(cells > 200 && columns > 10); /* the sample: 264 amounts in 20 columns */
    bp_document_destroy(doc);
}

/* 合计 rows take the role's bold face: no run is stroked, and the total rows' runs are in a
 * face other than their regular neighbours'. */
static void totals_are_set_in_the_bold_face(void **state)
{
    (void)state;
    bp_document *doc = typeset_sample();
    size_t bold_runs = 0;
    for (size_t p = 0; p < bp_document_page_count(doc); p++) {
        const bp_page *page = bp_document_page(doc, p);
        for (size_t i = 0; i < page->count; i++) {
            const bp_glyph_run *run = &page->items[i].u.glyphs;
            if (page->items[i].kind != BP_ITEM_GLYPHS)
                continue;
            assert_int_equal(run->bold_stroke, 0);
            const bp_face_info *face = bp_fontset_face(fonts, run->face);
            if (strstr(face->postscript_name, "Bold"))
                bold_runs++;
        }
    }
    printf("%zu runs in a bold face, none stroked\n", bold_runs);
    assert_true(bold_runs > 20);
    bp_document_destroy(doc);
}

/* Two full-width marks side by side lose half an em between them: 」（ and ）、 and 、“ do; a
 * mark next to an ideograph does not. */
static void adjacent_punctuation_is_squeezed(void **state)
{
    (void)state;
    bp_shaped shaped = BP_SHAPED_INIT;
    const char *text = "说明（一）、“三公”。";
    bp_len em = BP_PT(10);
    assert_int_equal(bp_shape(fonts, BP_ROLE_BODY, em, text, strlen(text), &shaped), 0);
    assert_int_equal(shaped.count, 11);
    /* 说 明 （ 一 ） 、 “ 三 公 ” 。 */
    const bp_len want[] = {em, em, em, em, em / 2, em / 2, em, em, em, em / 2, em};
    for (size_t i = 0; i < shaped.count; i++)
        assert_int_equal(shaped.glyphs[i].advance, want[i]);
    bp_shaped_free(&shaped);
}

/* Amounts in the number role take the half-width figures: every digit, the point and the comma
 * half an em, where the proportional ones differ (Noto's 1 is narrower than its 0). */
static void amounts_use_equal_width_figures(void **state)
{
    (void)state;
    bp_shaped number = BP_SHAPED_INIT, body = BP_SHAPED_INIT;
    const char *text = "1,234.50";
    assert_int_equal(bp_shape(fonts, BP_ROLE_NUMBER, BP_PT(10), text, strlen(text), &number), 0);
    assert_int_equal(bp_shape(fonts, BP_ROLE_BODY, BP_PT(10), text, strlen(text), &body), 0);
    assert_int_equal(number.count, 8);
    for (size_t i = 0; i < number.count; i++)
        assert_int_equal(number.glyphs[i].advance, BP_PT(5));
    assert_true(body.glyphs[0].advance != body.glyphs[2].advance); /* 1 and 2, proportional */
    /* The general path (a figure beside other text) gives the same glyphs as the fast one. */
    bp_shaped mixed = BP_SHAPED_INIT;
    const char *m = "约1,234.50";
    assert_int_equal(bp_shape(fonts, BP_ROLE_NUMBER, BP_PT(10), m, strlen(m), &mixed), 0);
    for (size_t i = 0; i < number.count; i++)
        assert_int_equal(mixed.glyphs[i + 1].id, number.glyphs[i].id);
    bp_shaped_free(&number);
    bp_shaped_free(&body);
    bp_shaped_free(&mixed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sample_cells_never_end_with_a_lone_character),
        cmocka_unit_test(sample_paragraphs_never_end_with_a_lone_character),
        cmocka_unit_test(a_label_gives_its_last_line_a_second_character),
        cmocka_unit_test(no_better_break_leaves_the_lines_as_they_are),
        cmocka_unit_test(each_paragraph_of_a_text_is_balanced),
        cmocka_unit_test(amounts_line_up_on_the_decimal_point),
        cmocka_unit_test(totals_are_set_in_the_bold_face),
        cmocka_unit_test(adjacent_punctuation_is_squeezed),
        cmocka_unit_test(amounts_use_equal_width_figures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

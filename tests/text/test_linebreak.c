/*
 * test_linebreak.c: line breaking on synthetic glyphs, so no case depends on a font.
 *
 * Each text is "shaped" one glyph per character: wide characters (CJK, full-width punctuation,
 * the dash and quotes) 1000 wide, the rest 500, so widths read as ems (EM) and half ems. Every
 * result is also checked for what must always hold: lines cover every glyph and byte in order,
 * none is empty, none is wider than its measure unless its only cluster is, the last is hard.
 *
 * Decisions these cases pin down:
 * - A line that would start with a no-start mark (，。）…) breaks one character earlier: the
 *   character before goes down with the mark; nothing hangs into the margin.
 * - An empty text is one empty line with hard_end.
 * - Trailing spaces stay in the line they end (ranges stay contiguous) but not in its width.
 * - A text ending in a line separator has no empty line after it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budgetpress/text.h"
#include "util/util.h"

#define EM 1000
#define LS "\u2028" /* line separator: a mandatory break */

static bool is_wide(uint32_t cp)
{
    return cp >= 0x2010 && cp != 0x2028 && cp != 0x2029;
}

/* One glyph per character, its cluster the character's byte offset. */
static void fake_shape(const char *text, bp_shaped *shaped)
{
    size_t len = strlen(text);
    shaped->count = 0;
    for (size_t i = 0, n; i < len; i += n) {
        uint32_t cp = bp_utf8_decode(text + i, len - i, &n);
        if (shaped->count == shaped->capacity) {
            shaped->capacity = shaped->capacity ? shaped->capacity * 2 : 16;
            shaped->glyphs = realloc(shaped->glyphs, shaped->capacity * sizeof *shaped->glyphs);
            assert_non_null(shaped->glyphs);
        }
        bp_len advance = cp == 0x2028 ? 0 : is_wide(cp) ? EM : EM / 2;
        shaped->glyphs[shaped->count++] = (bp_glyph){cp, 0, advance, (uint32_t)i};
    }
}

static bp_len sum_advances(const bp_shaped *shaped, size_t start, size_t end)
{
    bp_len sum = 0;
    for (size_t g = start; g < end; g++)
        sum += shaped->glyphs[g].advance;
    return sum;
}

/* What every result must satisfy, whatever the text and widths. */
static void check_invariants(const bp_shaped *shaped, size_t len, const bp_lines *lines,
                             bp_len first_width, bp_len width)
{
    assert_true(lines->count >= 1);
    size_t glyph = 0, byte = 0;
    for (size_t i = 0; i < lines->count; i++) {
        const bp_line *line = &lines->lines[i];
        bp_len limit = i == 0 ? first_width : width;
        assert_int_equal(line->glyph_start, glyph);
        assert_int_equal(line->text_start, byte);
        assert_true(line->glyph_end >= line->glyph_start);
        assert_true(line->text_end >= line->text_start);
        if (shaped->count > 0)
            assert_true(line->glyph_end > line->glyph_start); /* never an empty line */
        assert_true(line->width <= sum_advances(shaped, line->glyph_start, line->glyph_end));
        if (line->width > limit) /* only a line's first cluster may be wider than it */
            assert_int_equal(line->width, shaped->glyphs[line->glyph_start].advance);
        assert_true(line->hard_end || i + 1 < lines->count);
        glyph = line->glyph_end;
        byte = line->text_end;
    }
    assert_int_equal(glyph, shaped->count);
    assert_int_equal(byte, len);
    assert_true(lines->lines[lines->count - 1].hard_end);
}

/* Breaks text and returns the lines, already checked for the invariants. */
static void break_text(const char *text, bp_len first_width, bp_len width, bp_shaped *shaped,
                       bp_lines *lines)
{
    fake_shape(text, shaped);
    assert_int_equal(bp_break_lines(shaped, text, strlen(text), first_width, width, lines), 0);
    check_invariants(shaped, strlen(text), lines, first_width, width);
}

static void print_lines(const char *text, const bp_lines *lines)
{
    for (size_t i = 0; i < lines->count; i++) {
        const bp_line *l = &lines->lines[i];
        fprintf(stderr, "  line %zu: \"%.*s\" width %d%s%s\n", i,
                (int)(l->text_end - l->text_start), text + l->text_start, l->width,
                l->forced ? " forced" : "", l->hard_end ? " hard" : "");
    }
}

/* Breaks text and checks each line's text against the NULL-terminated list that follows. */
static void expect_lines(const char *text, bp_len first_width, bp_len width, ...)
{
    bp_shaped shaped = BP_SHAPED_INIT;
    bp_lines lines = BP_LINES_INIT;
    break_text(text, first_width, width, &shaped, &lines);
    va_list ap;
    va_start(ap, width);
    size_t i = 0;
    for (const char *want; (want = va_arg(ap, const char *)) != NULL; i++) {
        const bp_line *l = i < lines.count ? &lines.lines[i] : NULL;
        if (!l || strlen(want) != l->text_end - l->text_start ||
            memcmp(want, text + l->text_start, strlen(want)) != 0) {
            fprintf(stderr, "\"%s\": line %zu should be \"%s\"; got:\n", text, i, want);
            print_lines(text, &lines);
            fail();
        }
    }
    va_end(ap);
    if (i != lines.count) {
        fprintf(stderr, "\"%s\": %zu lines expected; got:\n", text, i);
        print_lines(text, &lines);
        fail();
    }
    bp_lines_free(&lines);
    bp_shaped_free(&shaped);
}

/* ---- 禁则 ---------------------------------------------------------------------------------- */

static void comma_never_starts_a_line(void **state)
{
    /* 4 ems fit 一二三四; "，" may not start the next line, so 四 goes down with it. */
    expect_lines("一二三四，五六", 4 * EM, 4 * EM, "一二三", "四，五六", NULL);
    /* A run of closing marks goes down with the character they close. */
    expect_lines("一二三四）。五", 4 * EM, 4 * EM, "一二三", "四）。五", NULL);
    expect_lines("甲乙。丙丁", 2 * EM, 2 * EM, "甲", "乙。", "丙丁", NULL);
}

static void full_width_punctuation_stays_behind(void **state)
{
    /* Each of 、；：？！》」』】〕〉”’…—·％ would start the second line of a naive break. */
    static const char *const marks[] = {"、", "；", "：", "？", "！", "》", "」", "』", "】",
                                        "〕", "〉", "”",  "’",  "…",  "—",  "·",  "％", "%",
                                        ",",  ".",  ")",  "!",  "?",  ";",  ":"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        char text[64];
        snprintf(text, sizeof text, "一二三%s四", marks[i]);
        bp_shaped shaped = BP_SHAPED_INIT;
        bp_lines lines = BP_LINES_INIT;
        break_text(text, 3 * EM, 3 * EM, &shaped, &lines);
        for (size_t k = 1; k < lines.count; k++)
            if (strncmp(text + lines.lines[k].text_start, marks[i], strlen(marks[i])) == 0) {
                fprintf(stderr, "a line starts with %s:\n", marks[i]);
                print_lines(text, &lines);
                fail();
            }
        bp_lines_free(&lines);
        bp_shaped_free(&shaped);
    }
}

static void no_line_ends_with_an_opening_mark(void **state)
{
    expect_lines("一二三（四五）六", 4 * EM, 4 * EM, "一二三", "（四五）", "六", NULL);
    expect_lines("他说“你好”。", 3 * EM, 3 * EM, "他说", "“你", "好”。", NULL);
    expect_lines("依据《预算法》规定", 3 * EM, 3 * EM, "依据", "《预算", "法》规", "定", NULL);
    expect_lines("一二【三】", 3 * EM, 3 * EM, "一二", "【三】", NULL);
}

/* ---- What stays whole --------------------------------------------------------------------------
 */

static void a_number_does_not_split(void **state)
{
    /* 847.45 is six half ems: it may not lose its tail to the next line. */
    expect_lines("合计847.45万元", 4 * EM, 4 * EM, "合计", "847.45万", "元", NULL);
    expect_lines("科目2013101一般行政", 5 * EM, 5 * EM, "科目", "2013101一", "般行政", NULL);
    /* ≥ opens the figure and % closes it. */
    expect_lines("达到≥95%以上", 3 * EM + EM / 2, 3 * EM + EM / 2, "达到", "≥95%以", "上", NULL);
}

static void mixed_chinese_latin_and_digits(void **state)
{
    expect_lines("按照budget要求2022年执行", 5 * EM, 5 * EM, "按照budget", "要求2022年", "执行",
                 NULL);
    /* Latin words break at their spaces; the space before a break hangs. */
    expect_lines("见 Annual Report 第3页", 5 * EM, 5 * EM, "见 Annual ", "Report 第3", "页", NULL);
}

static void an_unbreakable_run_wider_than_the_line_is_forced(void **state)
{
    bp_shaped shaped = BP_SHAPED_INIT;
    bp_lines lines = BP_LINES_INIT;
    /* Ten half ems with no break opportunity on a two-em line. */
    break_text("ABCDEFGHIJ", 2 * EM, 2 * EM, &shaped, &lines);
    assert_int_equal(lines.count, 3);
    assert_true(lines.lines[0].forced);
    assert_int_equal(lines.lines[0].glyph_end, 4);
    assert_int_equal(lines.lines[0].width, 2 * EM);
    assert_true(lines.lines[1].forced);
    assert_int_equal(lines.lines[1].glyph_end, 8);
    assert_false(lines.lines[2].forced); /* the rest fits: not forced */
    assert_true(lines.lines[2].hard_end);

    /* The break before the run is taken first; only the run itself is forced. */
    break_text("中ABCDEF", 2 * EM, 2 * EM, &shaped, &lines);
    assert_int_equal(lines.count, 3);
    assert_false(lines.lines[0].forced);
    assert_int_equal(lines.lines[0].glyph_end, 1);
    assert_true(lines.lines[1].forced);
    assert_int_equal(lines.lines[1].glyph_end, 5);
    assert_false(lines.lines[2].forced);
    bp_lines_free(&lines);
    bp_shaped_free(&shaped);
}

static void a_glyph_wider_than_the_line_goes_alone(void **state)
{
    bp_shaped shaped = BP_SHAPED_INIT;
    bp_lines lines = BP_LINES_INIT;
    /* Ideographs may break anywhere: each goes alone, and no break is forced. */
    break_text("一二三", EM / 2, EM / 2, &shaped, &lines);
    assert_int_equal(lines.count, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(lines.lines[i].glyph_end - lines.lines[i].glyph_start, 1);
        assert_int_equal(lines.lines[i].width, EM);
        assert_false(lines.lines[i].forced);
    }
    /* Between Latin letters no break is allowed: each line after the first is forced. */
    break_text("AB", 300, 300, &shaped, &lines);
    assert_int_equal(lines.count, 2);
    assert_true(lines.lines[0].forced);
    assert_int_equal(lines.lines[0].width, EM / 2);
    /* A zero width: still one cluster per line, never an empty one. */
    break_text("一二", 0, 0, &shaped, &lines);
    assert_int_equal(lines.count, 2);
    bp_lines_free(&lines);
    bp_shaped_free(&shaped);
}

static void a_cluster_is_never_split(void **state)
{
    /* "ffi" as one ligature glyph (cluster 0) between two ideographs; "fi" as glyphs of a
     * single cluster. Neither is split even when forced. */
    const char *text = "一ffi二";
    bp_glyph glyphs[] = {{1, 0, EM, 0}, {2, 0, EM, 3}, {3, 0, EM, 6}};
    bp_shaped shaped = {glyphs, 3, 3, NULL, 0, 0};
    bp_lines lines = BP_LINES_INIT;
    assert_int_equal(bp_break_lines(&shaped, text, strlen(text), EM, EM, &lines), 0);
    check_invariants(&shaped, strlen(text), &lines, EM, EM);
    assert_int_equal(lines.count, 3);
    assert_int_equal(lines.lines[1].text_start, 3);
    assert_int_equal(lines.lines[1].text_end, 6);

    const char *two = "fi";
    bp_glyph split[] = {{1, 0, EM, 0}, {2, 0, EM, 0}};
    bp_shaped one_cluster = {split, 2, 2, NULL, 0, 0};
    assert_int_equal(bp_break_lines(&one_cluster, two, 2, EM, EM, &lines), 0);
    assert_int_equal(lines.count, 1);
    assert_int_equal(lines.lines[0].width, 2 * EM);
    bp_lines_free(&lines);
}

/* ---- Widths, spaces, mandatory breaks ----------------------------------------------------------
 */

static void first_line_has_its_own_width(void **state)
{
    expect_lines("一二三四五六七八", 3 * EM, 5 * EM, "一二三", "四五六七八", NULL);
    expect_lines("一二三四五六七八", 5 * EM, 2 * EM, "一二三四五", "六七", "八", NULL);
    /* Backing up from a wide first line leaves a run too wide for the narrower ones: it is
     * measured again against their width and forced there. */
    bp_shaped shaped = BP_SHAPED_INIT;
    bp_lines lines = BP_LINES_INIT;
    break_text("一二三ABCDEFGH", 6 * EM, 2 * EM, &shaped, &lines);
    assert_int_equal(lines.count, 3);
    assert_int_equal(lines.lines[0].glyph_end, 3);
    assert_false(lines.lines[0].forced);
    assert_int_equal(lines.lines[1].glyph_end, 7);
    assert_true(lines.lines[1].forced);
    assert_false(lines.lines[2].forced);
    bp_lines_free(&lines);
    bp_shaped_free(&shaped);
}

static void trailing_spaces_take_no_width(void **state)
{
    bp_shaped shaped = BP_SHAPED_INIT;
    bp_lines lines = BP_LINES_INIT;
    /* "abc def" is exactly 3.5 ems; the space after it hangs. */
    break_text("abc def ghi", 3 * EM + EM / 2, 3 * EM + EM / 2, &shaped, &lines);
    assert_int_equal(lines.count, 2);
    assert_int_equal(lines.lines[0].text_end, 8); /* "abc def " */
    assert_int_equal(lines.lines[0].glyph_end, 8);
    assert_int_equal(lines.lines[0].width, 3 * EM + EM / 2);
    assert_int_equal(lines.lines[1].width, 3 * EM / 2);
    /* Several spaces, all in the line they end, none in its width. */
    break_text("ab   cd", EM, EM, &shaped, &lines);
    assert_int_equal(lines.count, 2);
    assert_int_equal(lines.lines[0].glyph_end, 5);
    assert_int_equal(lines.lines[0].width, EM);
    /* Spaces inside a line count. */
    break_text("a b", 10 * EM, 10 * EM, &shaped, &lines);
    assert_int_equal(lines.lines[0].width, 3 * EM / 2);
    /* Spaces at the end of the text do not count either. */
    break_text("ab  ", 10 * EM, 10 * EM, &shaped, &lines);
    assert_int_equal(lines.lines[0].width, EM);
    bp_lines_free(&lines);
    bp_shaped_free(&shaped);
}

static void a_line_separator_ends_a_line(void **state)
{
    bp_shaped shaped = BP_SHAPED_INIT;
    bp_lines lines = BP_LINES_INIT;
    break_text("一二" LS "三", 10 * EM, 10 * EM, &shaped, &lines);
    assert_int_equal(lines.count, 2);
    assert_true(lines.lines[0].hard_end);
    assert_int_equal(lines.lines[0].glyph_end, 3); /* the separator belongs to the line it ends */
    assert_int_equal(lines.lines[0].width, 2 * EM);
    assert_true(lines.lines[1].hard_end);
    /* The line after a mandatory break has the width of the rest, not of the first. */
    expect_lines("一" LS "二三四", 5 * EM, 2 * EM, "一" LS, "二三", "四", NULL);
    /* A separator at the very end adds no empty line. */
    expect_lines("一二" LS, 10 * EM, 10 * EM, "一二" LS, NULL);
    bp_lines_free(&lines);
    bp_shaped_free(&shaped);
}

static void empty_text_is_one_empty_hard_line(void **state)
{
    bp_shaped shaped = BP_SHAPED_INIT;
    bp_lines lines = BP_LINES_INIT;
    assert_int_equal(bp_break_lines(&shaped, "", 0, EM, EM, &lines), 0);
    assert_int_equal(lines.count, 1);
    const bp_line *l = &lines.lines[0];
    assert_int_equal(l->glyph_start, 0);
    assert_int_equal(l->glyph_end, 0);
    assert_int_equal(l->text_start, 0);
    assert_int_equal(l->text_end, 0);
    assert_int_equal(l->width, 0);
    assert_true(l->hard_end);
    assert_false(l->forced);
    bp_lines_free(&lines);
}

static void text_that_fits_is_one_line(void **state)
{
    expect_lines("一二三，四五。", 7 * EM, 7 * EM, "一二三，四五。", NULL);
    /* The results buffer is reused: a second call replaces the first's lines. */
    bp_shaped shaped = BP_SHAPED_INIT;
    bp_lines lines = BP_LINES_INIT;
    break_text("一二三四五六", 2 * EM, 2 * EM, &shaped, &lines);
    assert_int_equal(lines.count, 3);
    break_text("一", 2 * EM, 2 * EM, &shaped, &lines);
    assert_int_equal(lines.count, 1);
    bp_lines_free(&lines);
    bp_shaped_free(&shaped);
    bp_lines_free(NULL);
}

/* ---- Random texts -----------------------------------------------------------------------------
 */

static bool starts_with_any(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strncmp(s, set[i], strlen(set[i])) == 0)
            return true;
    return false;
}

static bool ends_with_any(const char *s, size_t len, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(set[i]);
        if (len >= k && memcmp(s + len - k, set[i], k) == 0)
            return true;
    }
    return false;
}

/* Random texts of ideographs, digits, Latin, spaces and punctuation at random widths: the
 * invariants hold, and no unforced line starts or ends against the 禁则. */
static void random_texts_keep_the_rules(void **state)
{
    static const char *const pieces[] = {"预", "算", "支", "出",     "，",   "。",  "（", "）",
                                         "“",  "”",  "、", "847.45", "2022", "abc", " ",  "%",
                                         "《", "》", "…",  "—",      "≥",    "·"};
    static const char *const no_start[] = {"，", "。", "）", "”", "、", "%", "》", "…", "—", "·"};
    static const char *const no_end[] = {"（", "“", "《", "≥"};
    unsigned seed = 12345;
    bp_shaped shaped = BP_SHAPED_INIT;
    bp_lines lines = BP_LINES_INIT;
    for (int round = 0; round < 2000; round++) {
        char text[512] = "";
        size_t pieces_count = 1 + (seed = seed * 1103515245u + 12345u) % 40;
        for (size_t p = 0; p < pieces_count; p++) {
            seed = seed * 1103515245u + 12345u;
            strcat(text, pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)]);
        }
        seed = seed * 1103515245u + 12345u;
        bp_len width = (bp_len)(EM / 2 + (seed >> 16) % (12 * EM));
        break_text(text, width + EM, width, &shaped, &lines);
        for (size_t i = 0; i < lines.count; i++) {
            const bp_line *l = &lines.lines[i];
            bool forced_here = l->forced || (i > 0 && lines.lines[i - 1].forced);
            if (i > 0 && !forced_here)
                assert_false(starts_with_any(text + l->text_start, no_start, 10));
            if (i + 1 < lines.count && !l->forced)
                assert_false(
                    ends_with_any(text + l->text_start, l->text_end - l->text_start, no_end, 4));
        }
    }
    bp_lines_free(&lines);
    bp_shaped_free(&shaped);
}

static void a_long_paragraph_breaks(void **state)
{
    /* 100,000 characters: the result is complete (and, with the bench, linear). */
    size_t n = 100000;
    char *text = malloc(n * 3 + 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        memcpy(text + 3 * i, i % 17 == 16 ? "，" : "算", 3);
    text[n * 3] = '\0';
    bp_shaped shaped = BP_SHAPED_INIT;
    bp_lines lines = BP_LINES_INIT;
    break_text(text, 28 * EM, 30 * EM, &shaped, &lines);
    assert_true(lines.count > n / 30);
    free(text);
    bp_lines_free(&lines);
    bp_shaped_free(&shaped);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(comma_never_starts_a_line),
        cmocka_unit_test(full_width_punctuation_stays_behind),
        cmocka_unit_test(no_line_ends_with_an_opening_mark),
        cmocka_unit_test(a_number_does_not_split),
        cmocka_unit_test(mixed_chinese_latin_and_digits),
        cmocka_unit_test(an_unbreakable_run_wider_than_the_line_is_forced),
        cmocka_unit_test(a_glyph_wider_than_the_line_goes_alone),
        cmocka_unit_test(a_cluster_is_never_split),
        cmocka_unit_test(first_line_has_its_own_width),
        cmocka_unit_test(trailing_spaces_take_no_width),
        cmocka_unit_test(a_line_separator_ends_a_line),
        cmocka_unit_test(empty_text_is_one_empty_hard_line),
        cmocka_unit_test(text_that_fits_is_one_line),
        cmocka_unit_test(random_texts_keep_the_rules),
        cmocka_unit_test(a_long_paragraph_breaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

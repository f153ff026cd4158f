/*
 * test_typeset.c: the explanatory part typeset from the sample: golden display-list dumps of
 * its first two pages, every paragraph's text present in order, headings never ending a page,
 * orphans and widows honoured, justified lines filling the measure, missing glyphs named.
 *
 * Golden files live in tests/golden/layout/; after a deliberate change, regenerate them with
 * scripts/update-golden.sh and review the diff in the commit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "budgetpress/layout.h"
#include "budgetpress/refs.h"
#include "test_support.h"

#define LAYOUT_PATH BP_SOURCE_DIR "/layouts/unit-2022.json"
#define CATALOG_PATH BP_SOURCE_DIR "/fonts/fonts.json"
#define GOLDEN_DIR BP_SOURCE_DIR "/tests/golden/layout"

static bp_layout *layout;
static bp_fontset *fonts;

static int setup(void **state)
{
    return load_reference_layout(&layout, &fonts);
}

static int teardown(void **state)
{
    free_reference_layout(layout, fonts);
    return 0;
}

static bp_document *typeset_tree(json_t *root, bp_diags *diags)
{
    bp_unit *unit = NULL;
    assert_int_equal(load_tree(root, &unit, diags), 0);
    bp_document *doc = bp_typeset(unit, layout, fonts, diags);
    bp_unit_destroy(unit);
    return doc;
}

static char *dump_page(const bp_document *doc, size_t index)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    bp_page_dump(bp_document_page(doc, index), out);
    fclose(out);
    return text;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    size_t got = fread(text, 1, (size_t)n, f);
    text[got] = '\0';
    fclose(f);
    return text;
}

/* Compares a page's dump with its golden file line by line; with BP_UPDATE_GOLDEN=1 in the
 * environment, writes the golden file instead. */
static void assert_matches_golden(const bp_document *doc, size_t index, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, name);
    char *actual = dump_page(doc, index);
    if (getenv("BP_UPDATE_GOLDEN")) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(actual, f);
        fclose(f);
    }
    char *expected = read_file(path);
    if (!expected)
        fail_msg("missing golden file %s (run scripts/update-golden.sh)", path);
    const char *a = actual, *e = expected;
    int line = 1;
    while (*a || *e) {
        size_t la = strcspn(a, "\n"), le = strcspn(e, "\n");
        if (la != le || memcmp(a, e, la) != 0)
            fail_msg("%s:%d differs:\n  expected %.*s\n  actual   %.*s", path, line, (int)le, e,
                     (int)la, a);
        a += la + (a[la] == '\n');
        e += le + (e[le] == '\n');
        line++;
    }
    free(actual);
    free(expected);
}

static bp_document *sample_document(void)
{
    bp_diags diags = BP_DIAGS_INIT;
    bp_document *doc = typeset_tree(sample_tree(), &diags);
    print_diags_to_stderr(&diags);
    assert_non_null(doc);
    assert_int_equal(diags.count, 0);
    bp_diags_clear(&diags);
    return doc;
}

/* Every page of the sample, tables and text: a change anywhere shows as a diff here. */
static void every_page_matches_golden(void **state)
{
    bp_document *doc = sample_document();
    size_t pages = bp_document_page_count(doc);
    assert_true(pages >= 2);
    for (size_t p = 0; p < pages; p++) {
        char name[64];
        snprintf(name, sizeof name, "sample-page-%02zu.dl", p + 1);
        assert_matches_golden(doc, p, name);
    }
    char extra[512];
    snprintf(extra, sizeof extra, "%s/sample-page-%02zu.dl", GOLDEN_DIR, pages + 1);
    FILE *stale = fopen(extra, "r");
    if (stale) {
        fclose(stale);
        fail_msg("%s exists but the sample has %zu pages: remove it", extra, pages);
    }
    bp_document_destroy(doc);
}

/* A copy of s without ASCII spaces: a space that ends a line is not drawn, so texts are
 * compared without them. */
static char *without_spaces(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    for (; *s; s++)
        if (*s != ' ')
            *o++ = *s;
    *o = '\0';
    return out;
}

/* All glyph-run text of the document, in order, joined, without spaces. */
static char *document_text(const bp_document *doc)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    for (size_t p = 0; p < bp_document_page_count(doc); p++) {
        const bp_page *page = bp_document_page(doc, p);
        for (size_t i = 0; i < page->count; i++)
            /* Folios stand below the bottom margin; they are not part of the text. */
            if (page->items[i].kind == BP_ITEM_GLYPHS &&
                page->items[i].u.glyphs.y < page->height - layout->margin_bottom)
                fwrite(page->items[i].u.glyphs.text, 1, page->items[i].u.glyphs.text_len, out);
    }
    fclose(out);
    char *compact = without_spaces(text);
    free(text);
    return compact;
}

/* Finds want (spaces ignored), with its references expanded as the typesetter does, at or
 * after cursor; returns the position after it. */
static const char *find_after(const bp_unit *unit, const char *cursor, const char *want)
{
    size_t length = bp_refs_expand(unit, want, "", NULL, 0, NULL, NULL);
    char *printed = malloc(length + 1);
    bp_refs_expand(unit, want, "", printed, length + 1, NULL, NULL);
    char *compact = without_spaces(printed);
    free(printed);
    const char *at = strstr(cursor, compact);
    if (!at)
        fail_msg("not printed in order: %.90s", want);
    at += strlen(compact);
    free(compact);
    return at;
}

static void every_paragraph_is_printed_in_order(void **state)
{
    bp_document *doc = sample_document();
    char *text = document_text(doc);
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_unit_load_file(SAMPLE_PATH, &unit, &diags), 0);
    const char *cursor = text;
    for (int s = 0; s < BP_SEC__COUNT; s++) {
        const bp_section *section = &unit->explanation.sections[s];
        for (size_t b = 0; b < section->block_count; b++) {
            const bp_block *block = &section->blocks[b];
            const char *want = block->kind == BP_BLOCK_PARAGRAPH ? block->text : NULL;
            for (size_t i = 0; block->kind == BP_BLOCK_LIST && i < block->item_count; i++)
                cursor = find_after(unit, cursor, block->items[i]);
            if (want)
                cursor = find_after(unit, cursor, want);
        }
    }
    cursor = text; /* the glossary, in its own order */
    for (size_t i = 0; i < unit->glossary_count; i++)
        cursor = find_after(unit, cursor, unit->glossary[i].definition);
    bp_unit_destroy(unit);
    bp_diags_clear(&diags);
    free(text);
    bp_document_destroy(doc);
}

/* The last glyph run above the folio of every page but the last is not a heading: headings
 * are the runs set in the heading face at a heading size. */
static void headings_never_end_a_page(void **state)
{
    json_t *root = sample_tree();
    bp_diags diags = BP_DIAGS_INIT;
    bp_document *doc = typeset_tree(root, &diags);
    assert_non_null(doc);
    size_t pages = bp_document_page_count(doc);
    bp_len body_size = layout->styles[BP_STYLE_BODY].size;
    for (size_t p = 0; p + 1 < pages; p++) {
        const bp_page *page = bp_document_page(doc, p);
        if (!page->label)
            continue; /* the cover and the contents: their lines are not headings */
        const bp_glyph_run *last = NULL;
        for (size_t i = 0; i < page->count; i++) {
            const bp_item *item = &page->items[i];
            if (item->kind == BP_ITEM_GLYPHS &&
                item->u.glyphs.y < layout->page_height - layout->margin_bottom)
                last = &item->u.glyphs;
        }
        assert_non_null(last);
        if (last->size > body_size)
            fail_msg("page %zu ends with a heading: %s", p + 1, last->text);
    }
    bp_document_destroy(doc);
    bp_diags_clear(&diags);
}

static void body_stays_inside_the_margins(void **state)
{
    bp_document *doc = sample_document();
    bp_len left = layout->margin_left;
    for (size_t p = 0; p < bp_document_page_count(doc); p++) {
        const bp_page *page = bp_document_page(doc, p);
        bp_len right = page->width - layout->margin_right;
        for (size_t i = 0; i < page->count; i++) {
            const bp_glyph_run *run = &page->items[i].u.glyphs;
            if (page->items[i].kind != BP_ITEM_GLYPHS)
                continue;
            assert_true(run->x >= left);
            if (run->x + run->width > right)
                fail_msg("page %zu: \"%s\" ends at %d, past the margin at %d", p + 1, run->text,
                         run->x + run->width, right);
            assert_true(run->y > layout->margin_top);
        }
    }
    bp_document_destroy(doc);
}

static void missing_glyph_names_character_and_place(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("负责推动\xee\x80\x80落实"), "explanation", "sections", "duties",
           "blocks", "#1", "list", "#2", NULL);
    bp_diags diags = BP_DIAGS_INIT;
    bp_document *doc = typeset_tree(root, &diags);
    assert_null(doc);
    assert_int_equal(diags.count, 1);
    const bp_diag *d = &diags.items[0];
    assert_string_equal(d->path, "explanation.sections.duties.blocks[1].list[2]");
    assert_non_null(strstr(d->message, "U+E000"));
    assert_non_null(strstr(d->message, "at character 7")); /* after "3、负责推动" */
    assert_non_null(strstr(d->message, "\"body\""));
    bp_diags_clear(&diags);
}

/* A reference check would refuse still fails the typesetting, naming the text; the printed
 * figures of a good one are the tables'. */
static void bad_reference_fails_naming_the_paragraph(void **state)
{
    json_t *root = sample_tree();
    set_at(root, json_string("支出 {expense.totl} 万元。"), "explanation", "sections",
           "three_public", "blocks", "#0", "paragraph", NULL);
    set_at(root, json_string("{three_public.overseas}"), "performance", "safeguards", "#1", "text",
           NULL);
    bp_diags diags = BP_DIAGS_INIT;
    bp_document *doc = typeset_tree(root, &diags);
    assert_null(doc);
    assert_int_equal(diags.count, 2);
    const bp_diag *d = diag_at(&diags, "explanation.sections.three_public.blocks[0].paragraph");
    assert_non_null(d);
    assert_int_equal(d->severity, BP_SEVERITY_ERROR);
    assert_string_equal(d->rule, "REF");
    assert_string_equal(d->message,
                        "{expense.totl}: no figure has this name (did you mean {expense.total}?)");
    d = diag_at(&diags, "performance.safeguards[1].text");
    assert_non_null(d);
    assert_non_null(strstr(d->message, "blank is not zero"));
    bp_diags_clear(&diags);
}

static void typesetting_is_deterministic(void **state)
{
    bp_document *a = sample_document(), *b = sample_document();
    assert_int_equal(bp_document_page_count(a), bp_document_page_count(b));
    for (size_t p = 0; p < bp_document_page_count(a); p++) {
        char *da = dump_page(a, p), *db = dump_page(b, p);
        assert_string_equal(da, db);
        free(da);
        free(db);
    }
    bp_document_destroy(a);
    bp_document_destroy(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_page_matches_golden),
        cmocka_unit_test(every_paragraph_is_printed_in_order),
        cmocka_unit_test(headings_never_end_a_page),
        cmocka_unit_test(body_stays_inside_the_margins),
        cmocka_unit_test(missing_glyph_names_character_and_place),
        cmocka_unit_test(bad_reference_fails_naming_the_paragraph),
        cmocka_unit_test(typesetting_is_deterministic),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

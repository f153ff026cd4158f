/*
 * test_table.c: the table engine (src/layout/table/) on tables built here, laid out by a real
 * flow with the real layout (layouts/unit-2022.json: A4, 72 pt top and bottom margins) and the
 * pinned fonts, then read back from the display list.
 *
 * Pagination: one row; a last row ending exactly at a page's end; a row taller than a page;
 * a span crossing a break; 5,000 rows; the header never alone at a page's foot; keep_with_prev
 * on a closing row; an empty table. Errors: a number wider than its column, a character no
 * font has, a banner too long. And the self-check of the design note's "testing habits": the
 * paginator against a naive reference and an exhaustive search over legal breaks on 1,000
 * random tables.
 *
 * The tables here have one banner line (13 pt + 4 pt below it) and two header rows (the
 * labels and the 栏次 row) of 20 pt; a one-line row is 20 pt (13 pt leading, 3.5 pt padding
 * above and below). An A4 page's body is 697.89 pt, so an empty page holds 640.89 pt of rows.
 *
 * With BP_TABLE_PDF_DIR set, every case also writes its document there as PDF, to look at.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <time.h>

#include "budgetpress/layout.h"
#include "budgetpress/render.h"
#include "layout/table.h"
#include "test_support.h"
#include "util/util.h"

#define LAYOUT_PATH BP_SOURCE_DIR "/layouts/unit-2022.json"
#define CATALOG_PATH BP_SOURCE_DIR "/fonts/fonts.json"

static bp_layout *layout;
static bp_fontset *fonts;

/* The layout's table style, stated here so that these cases do not move with the layout. */
static const tbl_style style = {
    .title_size = BP_PT(16),
    .title_space = BP_PT(10),
    .banner_size = BP_PT(10),
    .banner_space = BP_PT(4),
    .cell_size = BP_PT(10),
    .min_cell_size = BP_PT(8),
    .cell_leading = BP_PT(13),
    .pad_x = BP_PT(3),
    .pad_y = BP_PT(3.5),
    .rule_width = BP_PT(0.5),
    .note_size = BP_PT(10),
    .space_after = BP_PT(14),
    .min_rows_after_header = 2,
};

enum { NCOLS = 4 };
#define ROW_H BP_PT(20)
#define FIXED_H BP_PT(57) /* banner 17 + header 2 x 20 */

static int setup(void **state)
{
    return load_reference_layout(&layout, &fonts);
}

static int teardown(void **state)
{
    free_reference_layout(layout, fonts);
    return 0;
}

static bp_len body_height(void)
{
    return layout->page_height - layout->margin_top - layout->margin_bottom;
}

/* ---- Building test tables ---- */

/* A test table: 序号 (30 pt), 科目编码 (50 pt), 科目名称 (the rest), 金额 (60 pt), a header of
 * labels and the 栏次 row, and rows "i", "2%06d", "项目i", "i.00". */
typedef struct test_table {
    bp_arena *arena;
    tbl_column columns[NCOLS];
    tbl_row header[2];
    tbl_row *body;
    tbl_table table;
} test_table;

static const char *copy(test_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static const char *copy(test_table *t, const char *fmt, ...)
{
    char buf[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return bp_arena_strndup(t->arena, buf, (size_t)n);
}

static tbl_cell cell(const char *text, tbl_align align, bool nowrap)
{
    tbl_cell c = {.text = text,
                  .colspan = 1,
                  .rowspan = 1,
                  .align = align,
                  .nowrap = nowrap,
                  .role = nowrap ? BP_ROLE_NUMBER : BP_ROLE_TABLE};
    return c;
}

static tbl_row new_row(test_table *t)
{
    tbl_row row = {0};
    row.cells = bp_arena_array(t->arena, NCOLS, sizeof(tbl_cell));
    return row;
}

static void table_init(test_table *t, size_t rows)
{
    t->arena = bp_arena_create();
    const char *labels[NCOLS] = {"序号", "科目编码", "科目名称", "金额"};
    t->columns[0] = (tbl_column){TBL_WIDTH_FIXED, BP_PT(30), 0, 0, 0, labels[0]};
    t->columns[1] = (tbl_column){TBL_WIDTH_FIXED, BP_PT(50), 0, 0, 0, labels[1]};
    t->columns[2] = (tbl_column){TBL_WIDTH_SHARE, 0, 1, 0, 0, labels[2]};
    t->columns[3] = (tbl_column){TBL_WIDTH_FIXED, BP_PT(60), 0, 0, 0, labels[3]};
    const char *numbers[NCOLS] = {"栏次", "1", "2", "3"};
    for (int r = 0; r < 2; r++) {
        t->header[r] = new_row(t);
        for (int c = 0; c < NCOLS; c++)
            t->header[r].cells[c] = cell(r ? numbers[c] : labels[c], TBL_ALIGN_CENTER, false);
    }
    t->body = bp_arena_array(t->arena, rows + 1, sizeof *t->body);
    for (size_t i = 0; i < rows; i++) {
        tbl_row *row = &t->body[i];
        *row = new_row(t);
        row->cells[0] = cell(copy(t, "%zu", i + 1), TBL_ALIGN_CENTER, true);
        row->cells[1] = cell(copy(t, "2%06zu", i + 1), TBL_ALIGN_LEFT, true);
        row->cells[2] = cell(copy(t, "项目%zu", i + 1), TBL_ALIGN_LEFT, false);
        row->cells[3] = cell(copy(t, "%zu.00", i + 1), TBL_ALIGN_RIGHT, true);
    }
    t->table = (tbl_table){
        .name = "测试表",
        .path = "tables.test",
        .banner = {"201001 测试单位", "预算年度：2022", "单位：万元"},
        .ncols = NCOLS,
        .columns = t->columns,
        .header = t->header,
        .header_count = 2,
        .body = t->body,
        .body_count = rows,
        .identity_columns = 3,
    };
}

static void table_free(test_table *t)
{
    bp_arena_destroy(t->arena);
}

/* Writes the document as PDF into $BP_TABLE_PDF_DIR, when set. */
static void maybe_write_pdf(const bp_document *doc, const char *name)
{
    const char *dir = getenv("BP_TABLE_PDF_DIR");
    if (!dir || !name)
        return;
    char path[512];
    snprintf(path, sizeof path, "%s/%s.pdf", dir, name);
    bp_diags diags = BP_DIAGS_INIT;
    if (bp_render_pdf_file(doc, fonts, NULL, path, &diags) != 0)
        print_diags_to_stderr(&diags);
    bp_diags_clear(&diags);
}

/* Lays the table out in a new document; when `before` >= 0 a page is started first and the
 * cursor moved down by that much, as if text stood above the table. */
static bp_document *lay_out(const tbl_table *table, bp_len before, bp_diags *diags, size_t *errors)
{
    bp_document *doc = bp_document_create();
    flow *f = flow_create(layout, fonts, doc, diags, "test.json");
    assert_non_null(f);
    if (before >= 0) {
        flow_new_page(f, false);
        flow_advance(f, before);
    }
    tbl_layout(f, table, &style);
    size_t n = flow_finish(f);
    if (errors)
        *errors = n;
    return doc;
}

/* Lays out a table that must produce no diagnostic. */
static bp_document *lay_out_clean(const tbl_table *table, bp_len before, const char *name)
{
    bp_diags diags = BP_DIAGS_INIT;
    size_t errors;
    bp_document *doc = lay_out(table, before, &diags, &errors);
    print_diags_to_stderr(&diags);
    assert_int_equal(diags.count, 0);
    assert_int_equal(errors, 0);
    bp_diags_clear(&diags);
    maybe_write_pdf(doc, name);
    return doc;
}

/* ---- Reading the display list back ---- */

/* The column a run starts in, or -1: the table fills the text width. */
static int column_of(bp_len x)
{
    bp_len left = layout->margin_left;
    bp_len width = layout->page_width - layout->margin_left - layout->margin_right;
    bp_len edges[NCOLS + 1] = {left, left + BP_PT(30), left + BP_PT(80), left + width - BP_PT(60),
                               left + width};
    for (int c = 0; c < NCOLS; c++)
        if (x >= edges[c] && x < edges[c + 1])
            return c;
    return -1;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* The 序号 of a run in the first column, or 0. */
static size_t seq_of(const bp_item *item)
{
    if (item->kind != BP_ITEM_GLYPHS)
        return 0;
    const bp_glyph_run *run = &item->u.glyphs;
    if (column_of(run->x) != 0 || !all_digits(run->text))
        return 0;
    return (size_t)strtoul(run->text, NULL, 10);
}

/* Where each 序号 was printed: page (from 1; 0 for never) and baseline. Fails on a 序号
 * printed twice unless `repeats` allows it (identity columns of a split row). */
typedef struct seen {
    size_t page;
    bp_len y;
    int count;
} seen;

static seen *find_rows(const bp_document *doc, size_t rows)
{
    seen *s = calloc(rows + 1, sizeof *s);
    for (size_t p = 0; p < bp_document_page_count(doc); p++) {
        const bp_page *page = bp_document_page(doc, p);
        for (size_t i = 0; i < page->count; i++) {
            size_t seq = seq_of(&page->items[i]);
            if (seq == 0)
                continue;
            assert_true(seq <= rows);
            if (s[seq].count++ == 0) {
                s[seq].page = p + 1;
                s[seq].y = page->items[i].u.glyphs.y;
            }
        }
    }
    return s;
}

/* Every row printed exactly once, on pages in order, and on each page in order. */
static void assert_rows_once_in_order(const seen *s, size_t rows)
{
    for (size_t i = 1; i <= rows; i++) {
        if (s[i].count != 1)
            fail_msg("row %zu printed %d times", i, s[i].count);
        if (i > 1 &&
            (s[i].page < s[i - 1].page || (s[i].page == s[i - 1].page && s[i].y <= s[i - 1].y)))
            fail_msg("row %zu is not below row %zu", i, i - 1);
    }
}

/* How many runs on a page have exactly this text. */
static int count_text(const bp_page *page, const char *text)
{
    int n = 0;
    for (size_t i = 0; i < page->count; i++)
        if (page->items[i].kind == BP_ITEM_GLYPHS &&
            strcmp(page->items[i].u.glyphs.text, text) == 0)
            n++;
    return n;
}

static const bp_glyph_run *find_text(const bp_page *page, const char *text)
{
    for (size_t i = 0; i < page->count; i++)
        if (page->items[i].kind == BP_ITEM_GLYPHS &&
            strcmp(page->items[i].u.glyphs.text, text) == 0)
            return &page->items[i].u.glyphs;
    return NULL;
}

/* The lowest horizontal rule of a page. */
static bp_len lowest_rule(const bp_page *page)
{
    bp_len y = 0;
    for (size_t i = 0; i < page->count; i++) {
        const bp_item *it = &page->items[i];
        if (it->kind == BP_ITEM_RULE && it->u.rule.y0 == it->u.rule.y1 && it->u.rule.y0 > y)
            y = it->u.rule.y0;
    }
    return y;
}

static bool same_item(const bp_item *a, const bp_item *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind == BP_ITEM_RULE)
        return memcmp(&a->u.rule, &b->u.rule, sizeof a->u.rule) == 0;
    const bp_glyph_run *x = &a->u.glyphs, *y = &b->u.glyphs;
    return x->x == y->x && x->y == y->y && x->size == y->size && x->count == y->count &&
           strcmp(x->text, y->text) == 0 && memcmp(x->ids, y->ids, x->count * 4) == 0;
}

/* Each page opens with the same banner and header items as the first, where the table starts
 * at the top margin; each page holds at least `min_rows` rows. */
static void assert_pages_open_alike(const bp_document *doc, const seen *s, size_t rows,
                                    size_t min_rows)
{
    const bp_page *first = bp_document_page(doc, 0);
    size_t k = 0;
    while (k < first->count && seq_of(&first->items[k]) == 0)
        k++;
    assert_true(k > 8 && k < first->count); /* banner runs, header runs and rules */
    assert_int_equal(count_text(first, "栏次"), 1);
    size_t *per_page = calloc(bp_document_page_count(doc) + 1, sizeof *per_page);
    for (size_t i = 1; i <= rows; i++)
        per_page[s[i].page]++;
    for (size_t p = 1; p < bp_document_page_count(doc); p++) {
        const bp_page *page = bp_document_page(doc, p);
        assert_true(page->count > k);
        for (size_t i = 0; i < k; i++)
            if (!same_item(&first->items[i], &page->items[i]))
                fail_msg("page %zu: item %zu of the banner and header differs from page 1", p + 1,
                         i);
        assert_int_equal(count_text(page, "栏次"), 1);
        assert_int_equal(count_text(page, "档次"), 0);
        if (per_page[p + 1] < min_rows)
            fail_msg("page %zu holds %zu rows", p + 1, per_page[p + 1]);
    }
    free(per_page);
}

/* ---- Pagination ---- */

static void one_row_table(void **state)
{
    test_table t;
    table_init(&t, 1);
    bp_document *doc = lay_out_clean(&t.table, -1, "one-row");
    assert_int_equal(bp_document_page_count(doc), 1);
    seen *s = find_rows(doc, 1);
    assert_rows_once_in_order(s, 1);
    const bp_page *page = bp_document_page(doc, 0);
    assert_non_null(find_text(page, "科目名称"));
    assert_non_null(find_text(page, "项目1"));
    assert_non_null(find_text(page, "201001 测试单位"));
    /* The grid: the table's bottom rule under the one row, 57 + 20 pt below the top margin. */
    assert_int_equal(lowest_rule(page), layout->margin_top + FIXED_H + ROW_H);
    free(s);
    bp_document_destroy(doc);
    table_free(&t);
}

/* 0.89 pt of text above leaves exactly 32 rows of room under the banner and header. */
#define EXACT_BEFORE (body_height() - FIXED_H - 32 * ROW_H)

static void last_row_ends_at_page_end(void **state)
{
    test_table t;
    table_init(&t, 32);
    bp_document *doc = lay_out_clean(&t.table, EXACT_BEFORE, "exact-end");
    /* No empty continuation page and no header alone on a second page. */
    assert_int_equal(bp_document_page_count(doc), 1);
    seen *s = find_rows(doc, 32);
    assert_rows_once_in_order(s, 32);
    assert_int_equal(lowest_rule(bp_document_page(doc, 0)),
                     layout->page_height - layout->margin_bottom);
    free(s);
    bp_document_destroy(doc);
    table_free(&t);
}

/* One row more: the last page must still have M = 2 rows under its repeated header. */
static void last_page_keeps_two_rows(void **state)
{
    test_table t;
    table_init(&t, 33);
    bp_document *doc = lay_out_clean(&t.table, EXACT_BEFORE, "exact-end-plus-one");
    assert_int_equal(bp_document_page_count(doc), 2);
    seen *s = find_rows(doc, 33);
    assert_rows_once_in_order(s, 33);
    assert_int_equal(s[31].page, 1);
    assert_int_equal(s[32].page, 2);
    assert_int_equal(count_text(bp_document_page(doc, 1), "科目编码"), 1);
    free(s);
    bp_document_destroy(doc);
    table_free(&t);
}

/* Every run of the 科目名称 column on every page, below the header, joined in reading order. */
static char *column_text(const bp_document *doc, int column)
{
    bp_strbuf sb = BP_STRBUF_INIT;
    for (size_t p = 0; p < bp_document_page_count(doc); p++) {
        const bp_page *page = bp_document_page(doc, p);
        for (size_t i = 0; i < page->count; i++) {
            const bp_item *it = &page->items[i];
            if (it->kind != BP_ITEM_GLYPHS || column_of(it->u.glyphs.x) != column)
                continue;
            if (it->u.glyphs.y < layout->margin_top + FIXED_H ||
                it->u.glyphs.y > page->height - layout->margin_bottom)
                continue; /* the banner and header, the folio */
            bp_strbuf_append(&sb, it->u.glyphs.text, it->u.glyphs.text_len);
        }
    }
    return bp_strbuf_take(&sb);
}

static void row_taller_than_page_is_split(void **state)
{
    test_table t;
    table_init(&t, 3);
    /* 2,400 characters at 29 a line: about 83 lines, 1,080 pt: over a page and a half. */
    static const char pieces[] = "一般公共服务支出行政运行机关服务教育科学技术社会保障就业";
    bp_strbuf long_text = BP_STRBUF_INIT;
    for (int i = 0; i < 2400 / 24; i++)
        bp_strbuf_puts(&long_text, pieces);
    t.body[1].cells[2].text = bp_strbuf_cstr(&long_text);
    bp_document *doc = lay_out_clean(&t.table, -1, "tall-row");
    size_t pages = bp_document_page_count(doc);
    assert_true(pages >= 2);
    /* Nothing lost, nothing twice: the name column, read in order, is the three names. */
    char *names = column_text(doc, 2);
    bp_strbuf want = BP_STRBUF_INIT;
    bp_strbuf_printf(&want, "项目1%s项目3", long_text.data);
    assert_string_equal(names, bp_strbuf_cstr(&want));
    /* Row 1 cannot share a page with all of row 2 and a row splits only at the top of an
     * empty page (design note 1.7), so page 1 holds row 1 alone (its keep with the header
     * gives way). Row 2's identity columns are shown again on each of its pages; its amount
     * stays in its first piece. */
    assert_true(pages >= 3);
    assert_non_null(find_text(bp_document_page(doc, 0), "项目1"));
    assert_int_equal(count_text(bp_document_page(doc, 0), "2000002"), 0);
    for (size_t p = 1; p < pages; p++) {
        const bp_page *page = bp_document_page(doc, p);
        assert_int_equal(count_text(page, "2"), 2); /* 栏次 "2" and 序号 2 */
        assert_int_equal(count_text(page, "2000002"), 1);
        assert_int_equal(count_text(page, "科目名称"), 1); /* the header on every page */
        assert_int_equal(count_text(page, "2.00"), p == 1);
    }
    assert_non_null(find_text(bp_document_page(doc, pages - 1), "项目3"));
    free(names);
    bp_strbuf_free(&want);
    bp_strbuf_free(&long_text);
    bp_document_destroy(doc);
    table_free(&t);
}

/* Rows 11 to 50 share one 科目名称 cell; page 1 holds 32 rows, so the span crosses the break
 * and its label is printed on both pages, centred on its fragment there. */
static void rowspan_crossing_break_repeats_label(void **state)
{
    test_table t;
    table_init(&t, 60);
    const char *label = "一般公共服务支出";
    t.body[10].cells[2] = cell(label, TBL_ALIGN_CENTER, false);
    t.body[10].cells[2].rowspan = 40;
    for (int r = 11; r < 50; r++)
        t.body[r].cells[2].colspan = 0;
    bp_document *doc = lay_out_clean(&t.table, -1, "rowspan-break");
    assert_int_equal(bp_document_page_count(doc), 2);
    seen *s = find_rows(doc, 60);
    assert_rows_once_in_order(s, 60);
    size_t last_on_1 = 0;
    while (s[last_on_1 + 1].page == 1)
        last_on_1++;
    assert_true(last_on_1 > 11 && last_on_1 < 50);
    const bp_glyph_run *a = find_text(bp_document_page(doc, 0), label);
    const bp_glyph_run *b = find_text(bp_document_page(doc, 1), label);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(count_text(bp_document_page(doc, 0), label), 1);
    assert_int_equal(count_text(bp_document_page(doc, 1), label), 1);
    /* Centred: the label's baseline is midway between its fragment's first and last rows'. */
    bp_len mid1 = (s[11].y + s[last_on_1].y) / 2, mid2 = (s[last_on_1 + 1].y + s[50].y) / 2;
    assert_true(abs(a->y - mid1) <= 1);
    assert_true(abs(b->y - mid2) <= 1);
    free(s);
    bp_document_destroy(doc);
    table_free(&t);
}

/* A merged cell taller than its rows makes its last row taller (the rows after it start below
 * its label): rows 2 and 3 give 40 pt, the five-line label needs 72 pt. */
static void span_taller_than_its_rows_grows_its_last_row(void **state)
{
    test_table t;
    table_init(&t, 5);
    t.body[1].cells[2] =
        cell("一\xE2\x80\xA8二\xE2\x80\xA8三\xE2\x80\xA8四\xE2\x80\xA8五", TBL_ALIGN_CENTER, false);
    t.body[1].cells[2].rowspan = 2;
    t.body[2].cells[2].colspan = 0;
    bp_document *doc = lay_out_clean(&t.table, -1, "span-deficit");
    seen *s = find_rows(doc, 5);
    assert_rows_once_in_order(s, 5);
    assert_int_equal(s[3].y - s[2].y, ROW_H + BP_PT(16)); /* centred in its 52 pt row */
    assert_int_equal(s[4].y - s[2].y, BP_PT(72));
    assert_int_equal(s[5].y - s[4].y, ROW_H);
    free(s);
    bp_document_destroy(doc);
    table_free(&t);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void five_thousand_rows(void **state)
{
    enum { ROWS = 5000 };
    test_table t;
    table_init(&t, ROWS);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bp_document *doc = lay_out_clean(&t.table, -1, "five-thousand");
    print_message("5,000 rows laid out in %.1f ms (with the flow and folios)\n",
                  seconds_since(&t0) * 1000);
    seen *s = find_rows(doc, ROWS);
    assert_rows_once_in_order(s, ROWS);
    assert_pages_open_alike(doc, s, ROWS, 2);
    /* No row split: its code and amount are on the page of its 序号. */
    for (size_t p = 0; p < bp_document_page_count(doc); p++) {
        const bp_page *page = bp_document_page(doc, p);
        for (size_t i = 0; i < page->count; i++) {
            const bp_item *it = &page->items[i];
            if (it->kind != BP_ITEM_GLYPHS || it->u.glyphs.y < layout->margin_top + FIXED_H)
                continue;
            int c = column_of(it->u.glyphs.x);
            size_t seq = c == 1   ? strtoul(it->u.glyphs.text + 1, NULL, 10)
                         : c == 3 ? strtoul(it->u.glyphs.text, NULL, 10)
                                  : 0;
            if (seq && s[seq].page != p + 1)
                fail_msg("row %zu: \"%s\" on page %zu, its 序号 on page %zu", seq,
                         it->u.glyphs.text, p + 1, s[seq].page);
        }
    }
    free(s);
    bp_document_destroy(doc);
    table_free(&t);
}

/* Room for the banner, header and one and a half rows: the table goes to the next page rather
 * than leave its header with one row; with room for two rows it starts here. */
static void header_never_alone_at_page_foot(void **state)
{
    test_table t;
    table_init(&t, 10);
    bp_document *doc = lay_out_clean(&t.table, body_height() - FIXED_H - ROW_H * 3 / 2, "glue-1");
    assert_int_equal(bp_document_page_count(doc), 2);
    assert_null(find_text(bp_document_page(doc, 0), "科目编码"));
    seen *s = find_rows(doc, 10);
    assert_rows_once_in_order(s, 10);
    assert_int_equal(s[1].page, 2);
    free(s);
    bp_document_destroy(doc);

    doc = lay_out_clean(&t.table, body_height() - FIXED_H - ROW_H * 2, "glue-2");
    s = find_rows(doc, 10);
    assert_rows_once_in_order(s, 10);
    assert_int_equal(s[2].page, 1);
    assert_int_equal(s[3].page, 2);
    free(s);
    bp_document_destroy(doc);
    table_free(&t);
}

/* A closing row kept with the row above it takes that row to the next page. */
static void keep_with_prev_moves_the_row_above(void **state)
{
    test_table t;
    table_init(&t, 40);
    bp_document *doc = lay_out_clean(&t.table, EXACT_BEFORE, "keep-free");
    seen *s = find_rows(doc, 40);
    assert_int_equal(s[32].page, 1);
    assert_int_equal(s[33].page, 2);
    free(s);
    bp_document_destroy(doc);

    t.body[32].keep_with_prev = true; /* row 33 closes the rows above */
    t.body[32].cells[2].text = "合计";
    doc = lay_out_clean(&t.table, EXACT_BEFORE, "keep-with-prev");
    s = find_rows(doc, 40);
    assert_rows_once_in_order(s, 40);
    assert_int_equal(s[31].page, 1);
    assert_int_equal(s[32].page, 2);
    assert_int_equal(s[33].page, 2);
    free(s);
    bp_document_destroy(doc);
    table_free(&t);
}

static void empty_table_prints_header_and_note(void **state)
{
    test_table t;
    table_init(&t, 0);
    t.table.title = "政府性基金预算财政拨款支出表";
    t.table.note = "注：本单位无政府性基金预算财政拨款支出。";
    bp_document *doc = lay_out_clean(&t.table, -1, "empty");
    assert_int_equal(bp_document_page_count(doc), 1);
    const bp_page *page = bp_document_page(doc, 0);
    const bp_glyph_run *title = find_text(page, t.table.title);
    const bp_glyph_run *header = find_text(page, "栏次");
    const bp_glyph_run *note = find_text(page, t.table.note);
    assert_non_null(title);
    assert_non_null(header);
    assert_non_null(note);
    assert_true(title->y < header->y && header->y < note->y);
    assert_true(note->y > lowest_rule(page)); /* below the header's bottom rule */
    free(find_rows(doc, 0));
    bp_document_destroy(doc);
    table_free(&t);
}

/* ---- Errors ---- */

static const bp_diag *find_message(const bp_diags *diags, const char *part)
{
    for (size_t i = 0; i < diags->count; i++)
        if (strstr(diags->items[i].message, part))
            return &diags->items[i];
    return NULL;
}

/* The x of every vertical rule of a page, each once, in order. */
static size_t vertical_rules(const bp_page *page, bp_len *xs, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < page->count; i++) {
        const bp_item *it = &page->items[i];
        if (it->kind != BP_ITEM_RULE || it->u.rule.x0 != it->u.rule.x1)
            continue;
        bool known = false;
        for (size_t k = 0; k < n; k++)
            known |= xs[k] == it->u.rule.x0;
        if (!known && n < max)
            xs[n++] = it->u.rule.x0;
    }
    for (size_t i = 1; i < n; i++) /* insertion sort: a handful of values */
        for (size_t k = i; k > 0 && xs[k - 1] > xs[k]; k--) {
            bp_len t = xs[k];
            xs[k] = xs[k - 1];
            xs[k - 1] = t;
        }
    return n;
}

/* The size of the glyphs of the run holding `text` on the page, or 0. */
static bp_len size_of(const bp_page *page, const char *text)
{
    const bp_glyph_run *run = find_text(page, text);
    return run ? run->size : 0;
}

/* An amount wider than its column widens the column: it never wraps and is never clipped; the
 * name column gives way. No error. */
static void number_wider_than_column_widens_it(void **state)
{
    test_table t;
    table_init(&t, 6);
    t.body[3].cells[3].text = "1,234,567,890.12";
    bp_document *doc = lay_out_clean(&t.table, -1, "wide-number");
    const bp_page *page = bp_document_page(doc, 0);
    const bp_glyph_run *run = find_text(page, "1,234,567,890.12");
    assert_non_null(run); /* one run: one line */
    assert_int_equal(run->size, BP_PT(10));
    bp_len xs[8];
    size_t n = vertical_rules(page, xs, 8);
    assert_int_equal(n, NCOLS + 1);
    bp_len amount_column = xs[4] - xs[3];
    assert_true(amount_column > BP_PT(60)); /* wider than the layout's 60 pt */
    assert_true(run->width + 2 * BP_PT(3) <= amount_column);
    assert_int_equal(xs[4], layout->page_width - layout->margin_right); /* the table still fits */
    seen *s = find_rows(doc, 6);
    assert_rows_once_in_order(s, 6);
    free(s);
    bp_document_destroy(doc);
    table_free(&t);
}

/* With no column to give way, a table whose amounts do not fit is set smaller, every cell
 * alike, down to the layout's min_cell_size; no error. */
static void amounts_too_wide_set_the_table_smaller(void **state)
{
    test_table t;
    table_init(&t, 6);
    t.columns[2] = (tbl_column){TBL_WIDTH_FIXED, BP_PT(275), 0, 0, 0, "科目名称"};
    t.body[3].cells[3].text = "1,234,567,890.12"; /* 80 pt at 10 pt: 4.5 pt too wide */
    bp_document *doc = lay_out_clean(&t.table, -1, "smaller-table");
    const bp_page *page = bp_document_page(doc, 0);
    bp_len amount = size_of(page, "1,234,567,890.12"), name = size_of(page, "项目1");
    assert_true(amount < BP_PT(10) && amount >= BP_PT(8));
    assert_int_equal(name, amount); /* one size for the whole table */
    assert_int_equal(size_of(page, "栏次"), amount);
    bp_len xs[8];
    size_t n = vertical_rules(page, xs, 8);
    assert_true(xs[n - 1] - xs[0] <=
                layout->page_width - layout->margin_left - layout->margin_right);
    bp_document_destroy(doc);
    table_free(&t);
}

/* When even the smallest size allowed is not enough, the table is reported with what it needs
 * and what the page gives; it is still laid out, at its own size. */
static void amounts_too_wide_even_when_smaller_are_named(void **state)
{
    test_table t;
    table_init(&t, 6);
    t.columns[2] = (tbl_column){TBL_WIDTH_FIXED, BP_PT(290), 0, 0, 0, "科目名称"};
    t.body[3].cells[3].text = "1,234,567,890,123,456,789.12";
    bp_diags diags = BP_DIAGS_INIT;
    size_t errors;
    bp_document *doc = lay_out(&t.table, -1, &diags, &errors);
    assert_int_equal(errors, 1);
    assert_int_equal(diags.count, 1);
    assert_string_equal(diags.items[0].path, "tables.test");
    assert_non_null(strstr(diags.items[0].message, "测试表, columns: the columns need "));
    assert_non_null(strstr(diags.items[0].message, " pt, the page's text width is 436.5 pt"));
    assert_int_equal(size_of(bp_document_page(doc, 0), "项目1"), BP_PT(10));
    seen *s = find_rows(doc, 6);
    assert_rows_once_in_order(s, 6);
    free(s);
    bp_diags_clear(&diags);
    bp_document_destroy(doc);
    table_free(&t);
}

/* How many times `ch` (one character) is printed in the document. */
static size_t count_printed(const bp_document *doc, const char *ch)
{
    size_t n = 0, len = strlen(ch);
    for (size_t p = 0; p < bp_document_page_count(doc); p++) {
        const bp_page *page = bp_document_page(doc, p);
        for (size_t i = 0; i < page->count; i++) {
            const bp_item *it = &page->items[i];
            if (it->kind != BP_ITEM_GLYPHS)
                continue;
            for (size_t k = 0; k + len <= it->u.glyphs.text_len; k++)
                n += memcmp(it->u.glyphs.text + k, ch, len) == 0;
        }
    }
    return n;
}

/* A cell of 250,000 characters (wider unbroken than a 32-bit length of thousandths of a point
 * can say: it once overflowed and lost most of its text) is laid out over as many pages as it
 * takes, every character printed once. */
static void cell_of_a_quarter_million_characters_is_laid_out(void **state)
{
    test_table t;
    table_init(&t, 3);
    enum { CHARS = 250000 };
    bp_strbuf text = BP_STRBUF_INIT;
    for (int i = 0; i < CHARS; i++)
        bp_strbuf_puts(&text, "款");
    t.body[1].cells[2].text = bp_strbuf_cstr(&text);
    bp_document *doc = lay_out_clean(&t.table, -1, NULL);
    assert_true(bp_document_page_count(doc) > 100);
    assert_int_equal(count_printed(doc, "款"), CHARS);
    seen *s = find_rows(doc, 3);
    /* Rows 1 and 3 once, row 2 on every page it spans (its 序号 and code repeated). */
    assert_int_equal(s[1].count, 1);
    assert_int_equal(s[3].count, 1);
    assert_true(s[2].count > 100);
    assert_int_equal(s[3].page, bp_document_page_count(doc));
    free(s);
    bp_strbuf_free(&text);
    bp_document_destroy(doc);
    table_free(&t);
}

/* A cell taller than a million points cannot be laid out: it is refused by name, with its
 * length, and nothing overflows. */
static void cell_too_tall_to_lay_out_is_refused(void **state)
{
    test_table t;
    table_init(&t, 3);
    t.columns[2] = (tbl_column){TBL_WIDTH_FIXED, BP_PT(20), 0, 0, 0, "科目名称"};
    enum { CHARS = 100000 }; /* one character a line: 1.3 million points */
    bp_strbuf text = BP_STRBUF_INIT;
    for (int i = 0; i < CHARS; i++)
        bp_strbuf_puts(&text, "款");
    t.body[1].cells[2].text = bp_strbuf_cstr(&text);
    bp_diags diags = BP_DIAGS_INIT;
    size_t errors;
    bp_document *doc = lay_out(&t.table, -1, &diags, &errors);
    assert_int_equal(errors, 1);
    const bp_diag *d = find_message(&diags, "too long to lay out");
    assert_non_null(d);
    assert_non_null(strstr(d->message, "测试表, row 2 (2000002 款款"));
    assert_non_null(strstr(d->message, "column 科目名称: a text of 100000 characters"));
    assert_non_null(strstr(d->message, "more than the 1000000 pt"));
    bp_diags_clear(&diags);
    bp_strbuf_free(&text);
    bp_document_destroy(doc);
    table_free(&t);
}

static void missing_character_is_named(void **state)
{
    test_table t;
    table_init(&t, 3);
    t.body[1].cells[2].text = "项目\xee\x80\x80支出";
    bp_diags diags = BP_DIAGS_INIT;
    size_t errors;
    bp_document *doc = lay_out(&t.table, -1, &diags, &errors);
    assert_int_equal(errors, 1);
    const bp_diag *d = find_message(&diags, "U+E000");
    assert_non_null(d);
    assert_non_null(strstr(d->message, "测试表, row 2 (2000002 项目"));
    assert_non_null(strstr(d->message, "column 科目名称"));
    assert_non_null(strstr(d->message, "at character 3"));
    bp_diags_clear(&diags);
    bp_document_destroy(doc);
    table_free(&t);
}

/* The runs on the baseline of the run holding `start`, joined. */
static char *line_at(const bp_page *page, bp_len y)
{
    bp_strbuf sb = BP_STRBUF_INIT;
    for (size_t i = 0; i < page->count; i++)
        if (page->items[i].kind == BP_ITEM_GLYPHS && page->items[i].u.glyphs.y == y)
            bp_strbuf_append(&sb, page->items[i].u.glyphs.text, page->items[i].u.glyphs.text_len);
    return bp_strbuf_take(&sb);
}

static void banner_long_unit_name(void **state)
{
    test_table t;
    table_init(&t, 3);
    const char *left = "201001 中共秦皇岛经济技术开发区工作委员会办公室（本级）机关服务中心综合科";
    t.table.banner.left = left;
    bp_document *doc = lay_out_clean(&t.table, -1, "banner-two-lines");
    const bp_page *page = bp_document_page(doc, 0);
    const bp_glyph_run *l = find_text(page, left);
    const bp_glyph_run *c = find_text(page, "预算年度：2022");
    const bp_glyph_run *r = find_text(page, "单位：万元");
    assert_non_null(l); /* the whole name in one run: never broken */
    assert_non_null(c);
    assert_non_null(r);
    assert_int_equal(l->size, BP_PT(10));
    assert_int_equal(c->y, r->y);
    assert_int_equal(c->y - l->y, BP_PT(13)); /* the second line */
    bp_document_destroy(doc);

    /* A little wider than the table: set smaller (not below 80%), still whole, one run. */
    const char *wider =
        "201001 中共秦皇岛经济技术开发区工作委员会办公室（本级）机关服务中心综合保障"
        "科后勤服务管理办公";
    t.table.banner.left = wider;
    doc = lay_out_clean(&t.table, -1, "banner-shrunk");
    page = bp_document_page(doc, 0);
    l = find_text(page, wider);
    assert_non_null(l);
    assert_true(l->size < BP_PT(10) && l->size >= BP_PT(8));
    assert_true(l->width <= page->width - layout->margin_left - layout->margin_right);
    char *line = line_at(page, l->y);
    assert_string_equal(line, wider);
    free(line);
    bp_document_destroy(doc);

    /* Far wider (a 70-character name): kept at its size and broken over lines, each break
     * after a word that ends an office's name, never inside a word; no error. The centre and
     * right parts follow on the name's last line, where they fit. */
    bp_strbuf huge = BP_STRBUF_INIT;
    bp_strbuf_puts(&huge, "201001 ");
    for (int i = 0; i < 3; i++)
        bp_strbuf_puts(&huge, "中共秦皇岛经济技术开发区工作委员会办公室");
    bp_strbuf_puts(&huge, "（本级）");
    t.table.banner.left = bp_strbuf_cstr(&huge);
    doc = lay_out_clean(&t.table, -1, "banner-broken");
    page = bp_document_page(doc, 0);
    c = find_text(page, "预算年度：2022");
    r = find_text(page, "单位：万元");
    bp_strbuf joined = BP_STRBUF_INIT;
    bp_len y = 0;
    int lines = 0;
    for (size_t i = 0; i < page->count; i++) {
        const bp_item *it = &page->items[i];
        if (it->kind != BP_ITEM_GLYPHS || it->u.glyphs.x != layout->margin_left ||
            it->u.glyphs.y <= y || it->u.glyphs.y > c->y)
            continue;
        const bp_glyph_run *run = &it->u.glyphs;
        assert_int_equal(run->size, BP_PT(10));
        char *text = line_at(page, run->y);
        if (run->y == c->y) /* the last line also holds the centre and right parts */
            text[strlen(text) - strlen("预算年度：2022单位：万元")] = '\0';
        size_t len = strlen(text);
        if (run->y != c->y) /* every line but the last ends with a whole word */
            assert_true(strcmp(text + len - strlen("办公室"), "办公室") == 0 ||
                        strcmp(text + len - strlen("委员会"), "委员会") == 0 ||
                        strcmp(text + len - strlen("开发区"), "开发区") == 0);
        bp_strbuf_puts(&joined, text);
        free(text);
        y = run->y;
        lines++;
    }
    assert_true(lines >= 2);
    assert_int_equal(y, c->y);
    assert_int_equal(c->y, r->y);
    assert_string_equal(bp_strbuf_cstr(&joined), bp_strbuf_cstr(&huge)); /* nothing lost */
    seen *s = find_rows(doc, 3);
    assert_rows_once_in_order(s, 3);
    free(s);
    bp_strbuf_free(&joined);
    bp_strbuf_free(&huge);
    bp_document_destroy(doc);
    table_free(&t);
}

/* An auto column is as wide as its widest unwrapped body cell (here the codes: 7 digits of
 * 5 pt and the padding); its header label 科目编码 wraps instead of widening it. The share
 * column takes the rest of the text width. */
static void auto_column_takes_widest_content(void **state)
{
    test_table t;
    table_init(&t, 3);
    t.columns[1] = (tbl_column){TBL_WIDTH_AUTO, 0, 0, BP_PT(20), BP_PT(200), "科目编码"};
    bp_document *doc = lay_out_clean(&t.table, -1, "auto-width");
    bp_len xs[8];
    size_t n = vertical_rules(bp_document_page(doc, 0), xs, 8);
    assert_int_equal(n, NCOLS + 1);
    bp_len left = layout->margin_left;
    assert_int_equal(xs[0], left);
    assert_int_equal(xs[1], left + BP_PT(30));
    assert_int_equal(xs[2], left + BP_PT(30 + 41));
    assert_int_equal(xs[4], layout->page_width - layout->margin_right);
    bp_document_destroy(doc);
    table_free(&t);
}

/* Fixed columns wider than the page: the share column keeps one character and the table is
 * reported, still laid out. */
static void columns_wider_than_page_are_reported(void **state)
{
    test_table t;
    table_init(&t, 3);
    t.columns[1].fixed = BP_PT(400);
    bp_diags diags = BP_DIAGS_INIT;
    size_t errors;
    bp_document *doc = lay_out(&t.table, -1, &diags, &errors);
    assert_int_equal(errors, 1);
    assert_int_equal(diags.count, 1);
    assert_non_null(strstr(diags.items[0].message, "测试表, columns: the columns need 506.0 pt, "
                                                   "the page's text width is 436.5 pt"));
    seen *s = find_rows(doc, 3);
    assert_rows_once_in_order(s, 3);
    free(s);
    bp_diags_clear(&diags);
    bp_document_destroy(doc);
    table_free(&t);
}

/* ---- Self-check against a naive reference ---- */

typedef struct rng {
    uint64_t state;
} rng;

static unsigned next_random(rng *g, unsigned bound)
{
    g->state = g->state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((g->state >> 33) % bound);
}

/* Greedy by brute force: for each page, try every end and keep the last legal one that fits;
 * if none, as many rows as fit. Fills `starts` with each page's first row. */
static size_t reference_pages(const bp_len *h, const bool *legal, size_t n, bp_len cap,
                              size_t *starts)
{
    size_t pages = 0;
    for (size_t k = 0; k < n;) {
        starts[pages++] = k;
        size_t best = SIZE_MAX, fit = k;
        bp_len sum = 0;
        for (size_t e = k; e < n; e++) {
            sum += h[e];
            if (sum > cap)
                break;
            fit = e;
            if (e + 1 == n || legal[e + 1])
                best = e;
        }
        k = (best != SIZE_MAX ? best : fit) + 1;
    }
    return pages;
}

/* The fewest pages over every choice of legal breaks (exhaustive, by dynamic programming over
 * the page starts), or SIZE_MAX when no choice of legal breaks fits. */
static size_t fewest_pages(const bp_len *h, const bool *legal, size_t n, bp_len cap)
{
    size_t best[64];
    best[n] = 0;
    for (size_t k = n; k-- > 0;) {
        best[k] = SIZE_MAX;
        bp_len sum = 0;
        for (size_t e = k; e < n; e++) {
            sum += h[e];
            if (sum > cap)
                break;
            if ((e + 1 == n || legal[e + 1]) && best[e + 1] != SIZE_MAX &&
                best[e + 1] + 1 < best[k])
                best[k] = best[e + 1] + 1;
        }
    }
    return best[0];
}

static void paginator_matches_reference(void **state)
{
    rng g = {20220101};
    bp_len cap = body_height() - FIXED_H;
    size_t optimal = 0, fallback = 0;
    for (int trial = 0; trial < 1000; trial++) {
        size_t n = 1 + next_random(&g, 30);
        test_table t;
        table_init(&t, n);
        bp_len h[64];
        bool legal[64] = {false};
        for (size_t i = 0; i < n; i++) {
            unsigned lines = 1 + next_random(&g, 12); /* 20 to 163 pt */
            bp_strbuf text = BP_STRBUF_INIT;
            for (unsigned l = 0; l < lines; l++)
                bp_strbuf_puts(&text, l ? "\xE2\x80\xA8行" : "行");
            t.body[i].cells[2].text = copy(&t, "%s", bp_strbuf_cstr(&text));
            bp_strbuf_free(&text);
            h[i] = (bp_len)lines * BP_PT(13) + BP_PT(7);
            t.body[i].keep_with_next = next_random(&g, 5) == 0;
            t.body[i].keep_with_prev = next_random(&g, 5) == 0;
        }
        for (size_t i = 1; i < n; i++)
            legal[i] =
                i >= 2 && n - i >= 2 && !t.body[i - 1].keep_with_next && !t.body[i].keep_with_prev;
        size_t starts[64];
        size_t pages = reference_pages(h, legal, n, cap, starts);
        size_t fewest = fewest_pages(h, legal, n, cap);
        if (fewest != SIZE_MAX) {
            assert_int_equal(pages, fewest); /* greedy is optimal when keeps can be kept */
            optimal++;
        } else {
            fallback++;
        }
        bp_document *doc = lay_out_clean(&t.table, -1, "random");
        seen *s = find_rows(doc, n);
        assert_rows_once_in_order(s, n);
        if (bp_document_page_count(doc) != pages)
            fail_msg("trial %d: %zu rows: %zu pages, the reference %zu", trial, n,
                     bp_document_page_count(doc), pages);
        for (size_t p = 0; p < pages; p++)
            if (s[starts[p] + 1].page != p + 1 || (starts[p] > 0 && s[starts[p]].page != p))
                fail_msg("trial %d: page %zu should start with row %zu", trial, p + 1,
                         starts[p] + 1);
        free(s);
        bp_document_destroy(doc);
        table_free(&t);
    }
    print_message("%zu tables with legal breaks only, %zu needing a keep to give way\n", optimal,
                  fallback);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_row_table),
        cmocka_unit_test(last_row_ends_at_page_end),
        cmocka_unit_test(last_page_keeps_two_rows),
        cmocka_unit_test(row_taller_than_page_is_split),
        cmocka_unit_test(rowspan_crossing_break_repeats_label),
        cmocka_unit_test(span_taller_than_its_rows_grows_its_last_row),
        cmocka_unit_test(five_thousand_rows),
        cmocka_unit_test(header_never_alone_at_page_foot),
        cmocka_unit_test(keep_with_prev_moves_the_row_above),
        cmocka_unit_test(empty_table_prints_header_and_note),
        cmocka_unit_test(number_wider_than_column_widens_it),
        cmocka_unit_test(amounts_too_wide_set_the_table_smaller),
        cmocka_unit_test(amounts_too_wide_even_when_smaller_are_named),
        cmocka_unit_test(cell_of_a_quarter_million_characters_is_laid_out),
        cmocka_unit_test(cell_too_tall_to_lay_out_is_refused),
        cmocka_unit_test(missing_character_is_named),
        cmocka_unit_test(banner_long_unit_name),
        cmocka_unit_test(auto_column_takes_widest_content),
        cmocka_unit_test(columns_wider_than_page_are_reported),
        cmocka_unit_test(paginator_matches_reference),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

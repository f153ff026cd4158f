/*
 * test_pdf.c: the PDF backend, checked from outside with the tools a reader's software uses:
 * every run's text extracts exactly and without warnings (pdftotext), the fonts are embedded
 * subsets with ToUnicode (pdffonts), the Chinese metadata and bookmarks read back (pdfinfo,
 * qpdf --json), the file is structurally sound (qpdf --check), glyphs sit where the display
 * list puts them (pdftotext -bbox), output is byte-identical run to run, small, and never
 * partial: a missing directory, a refusing writer or a bad document leave nothing behind.
 *
 * Documents are built by hand: shaped with bp_shape from the pinned UMing and Zen Hei faces.
 * Set BP_TEST_KEEP=1 to keep the temporary directory (its path is printed) for a look.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "budgetpress/render.h"
#include "util/util.h"

#define UMING "/usr/share/fonts/truetype/arphic/uming.ttc"
#define ZENHEI "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#define A4_WIDTH 595276
#define A4_HEIGHT 841890

static const char *const heading_text = "秦皇岛经济技术开发区2022年部门预算";
static const char *const body_texts[] = {
    "按照预算管理有关规定，847.45 万元（合计）",
    "“三公”经费支出预算数为12.50万元",
    "Mixed text: 2022年 ABC 一般公共预算",
    "生僻字𠀡（U+20021，ToUnicode 中为代理对）",
};
static const char *const page2_texts[] = {"第二部分 2022年部门预算表", "2012601 行政运行 1,234.56"};
static const char *const spaced_text = "间隔排列";
static const char *const title = "秦皇岛经济技术开发区2022年部门预算信息公开";
static const char *const author = "中共秦皇岛经济技术开发区工作委员会办公室";
static const char *const outline_titles[] = {"一、部门预算公开说明", "（一）“三公”经费预算表"};

typedef struct fixture {
    bp_fontset *fonts;
    char dir[64]; /* a fresh temporary directory for the suite's files */
} fixture;

/* ---- Building documents ---- */

static void add_run(bp_document *doc, size_t page_index, const bp_glyph_run *run)
{
    assert_int_equal(bp_page_add_glyphs(doc, bp_document_page_mut(doc, page_index), run), 0);
}

/* Shapes text with the role's faces and adds one run per stretch drawn by one face, starting
 * at (x, y) with the glyphs at their natural advances. */
static void add_text(bp_document *doc, size_t page, const bp_fontset *fonts, bp_font_role role,
                     bp_len size, bp_len x, bp_len y, const char *text, bool bold)
{
    bp_shaped shaped = BP_SHAPED_INIT;
    size_t len = strlen(text);
    assert_int_equal(bp_shape(fonts, role, size, text, len, &shaped), 0);
    assert_int_equal(shaped.missing_count, 0);
    uint32_t *ids = calloc(shaped.count, sizeof *ids);
    uint32_t *clusters = calloc(shaped.count, sizeof *clusters);
    bp_len *dx = calloc(shaped.count, sizeof *dx);
    assert_true(ids && clusters && dx);
    for (size_t start = 0, end; start < shaped.count; start = end) {
        const bp_glyph *g = shaped.glyphs;
        for (end = start; end < shaped.count && g[end].face == g[start].face; end++) {
            ids[end - start] = g[end].id;
            clusters[end - start] = g[end].cluster - g[start].cluster;
            dx[end - start] = end == start ? 0 : dx[end - start - 1] + g[end - 1].advance;
        }
        bp_len width = dx[end - start - 1] + g[end - 1].advance;
        size_t text_end = end < shaped.count ? g[end].cluster : len;
        bp_glyph_run run = {.face = g[start].face,
                            .bold_stroke = bold ? bp_fake_bold_stroke(size) : 0,
                            .size = size,
                            .x = x,
                            .y = y,
                            .count = end - start,
                            .ids = ids,
                            .dx = dx,
                            .width = width,
                            .clusters = clusters,
                            .text = text + g[start].cluster,
                            .text_len = text_end - g[start].cluster};
        add_run(doc, page, &run);
        x += width;
    }
    free(ids);
    free(clusters);
    free(dx);
    bp_shaped_free(&shaped);
}

/* A run whose glyphs stand 20 pt apart, twice their natural 10.5 pt: only TJ adjustments can
 * put them there. */
static void add_spaced_run(bp_document *doc, size_t page, const bp_fontset *fonts)
{
    bp_shaped shaped = BP_SHAPED_INIT;
    assert_int_equal(
        bp_shape(fonts, BP_ROLE_BODY, BP_PT(10.5), spaced_text, strlen(spaced_text), &shaped), 0);
    uint32_t ids[4], clusters[4];
    bp_len dx[4];
    assert_int_equal(shaped.count, 4);
    for (size_t i = 0; i < 4; i++) {
        ids[i] = shaped.glyphs[i].id;
        clusters[i] = shaped.glyphs[i].cluster;
        dx[i] = (bp_len)i * BP_PT(20);
    }
    bp_glyph_run run = {.face = shaped.glyphs[0].face,
                        .size = BP_PT(10.5),
                        .x = BP_PT(100),
                        .y = BP_PT(400),
                        .count = 4,
                        .ids = ids,
                        .dx = dx,
                        .width = BP_PT(70.5),
                        .clusters = clusters,
                        .text = spaced_text,
                        .text_len = strlen(spaced_text)};
    add_run(doc, page, &run);
    bp_shaped_free(&shaped);
}

static void add_page_one(bp_document *doc, const bp_fontset *fonts)
{
    assert_non_null(bp_document_add_page(doc, A4_WIDTH, A4_HEIGHT));
    add_text(doc, 0, fonts, BP_ROLE_HEADING, BP_PT(16), BP_PT(90), BP_PT(100), heading_text, true);
    for (size_t i = 0; i < sizeof body_texts / sizeof body_texts[0]; i++)
        add_text(doc, 0, fonts, BP_ROLE_BODY, BP_PT(10.5), BP_PT(90), BP_PT(150 + 20 * (int)i),
                 body_texts[i], false);
    add_spaced_run(doc, 0, fonts);
    bp_page *page = bp_document_page_mut(doc, 0);
    bp_rule rule = {BP_PT(90), BP_PT(120), BP_PT(505.276), BP_PT(120), BP_PT(0.5)};
    assert_int_equal(bp_page_add_rule(doc, page, &rule), 0);
    bp_rect rect = {BP_PT(90), BP_PT(250), BP_PT(415.276), BP_PT(40), BP_PT(0.75), true, 230};
    assert_int_equal(bp_page_add_rect(doc, page, &rect), 0);
    bp_link link = {BP_PT(90), BP_PT(190), BP_PT(200), BP_PT(14), 1, BP_PT(72), 0};
    assert_int_equal(bp_page_add_link(doc, page, &link), 0);
}

static void add_page_two(bp_document *doc, const bp_fontset *fonts)
{
    assert_non_null(bp_document_add_page(doc, A4_WIDTH, A4_HEIGHT));
    add_text(doc, 1, fonts, BP_ROLE_HEADING, BP_PT(14), BP_PT(90), BP_PT(90), page2_texts[0],
             false);
    add_text(doc, 1, fonts, BP_ROLE_NUMBER, BP_PT(9), BP_PT(90), BP_PT(120), page2_texts[1], false);
}

/* Two A4 pages: a fake-bold heading, Chinese, digits, “三公” quotes, mixed Latin, a spaced run,
 * a rule, a filled and stroked rectangle, a link to page 2, two bookmarks and the metadata. */
static bp_document *sample_document(const bp_fontset *fonts)
{
    bp_document *doc = bp_document_create();
    assert_non_null(doc);
    add_page_one(doc, fonts);
    add_page_two(doc, fonts);
    bp_outline_entry top = {0, outline_titles[0], 0, BP_PT(90)};
    bp_outline_entry sub = {1, outline_titles[1], 1, BP_PT(72)};
    assert_int_equal(bp_document_add_outline(doc, &top), 0);
    assert_int_equal(bp_document_add_outline(doc, &sub), 0);
    bp_doc_info info = {.title = title,
                        .author = author,
                        .subject = "部门预算",
                        .keywords = "预算公开,三公经费",
                        .creator = "budgetpress 预算公开排版",
                        .year = 2022,
                        .month = 3,
                        .day = 1,
                        .hour = 9};
    assert_int_equal(bp_document_set_info(doc, &info), 0);
    return doc;
}

/* ---- Running the tools ---- */

static char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    bp_strbuf sb = BP_STRBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        bp_strbuf_append(&sb, buf, n);
    fclose(f);
    if (size)
        *size = sb.len;
    return sb.data ? bp_strbuf_take(&sb) : strdup("");
}

/* Runs a shell command that must succeed; returns its standard output. Its standard error goes
 * to stderr_path when given (for the tests that want it empty), else to ours. */
static char *run_tool(const char *stderr_path, const char *fmt, ...)
{
    char command[2048], full[2200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(command, sizeof command, fmt, ap);
    va_end(ap);
    if (stderr_path)
        snprintf(full, sizeof full, "%s 2>'%s'", command, stderr_path);
    else
        snprintf(full, sizeof full, "%s", command);
    FILE *p = popen(full, "r");
    assert_non_null(p);
    bp_strbuf out = BP_STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        bp_strbuf_append(&out, buf, n);
    int status = pclose(p);
    if (status != 0)
        fprintf(stderr, "command failed (status %d): %s\n%s\n", status, full, bp_strbuf_cstr(&out));
    assert_int_equal(status, 0);
    return out.data ? bp_strbuf_take(&out) : strdup("");
}

static void assert_file_empty(const char *path)
{
    char *text = read_file(path, NULL);
    assert_non_null(text);
    if (text[0])
        fprintf(stderr, "%s: %s\n", path, text);
    assert_string_equal(text, "");
    free(text);
}

static void render_to(const fixture *fx, const bp_document *doc, const char *name, char *path,
                      size_t size)
{
    snprintf(path, size, "%s/%s", fx->dir, name);
    bp_diags diags = BP_DIAGS_INIT;
    int rc = bp_render_pdf_file(doc, fx->fonts, NULL, path, &diags);
    for (size_t i = 0; i < diags.count; i++)
        bp_diag_print(stderr, &diags.items[i]);
    assert_int_equal(rc, 0);
    assert_int_equal(diags.count, 0);
    bp_diags_clear(&diags);
}

/* The number of entries in the fixture's directory (without . and ..). */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* ---- In-memory output ---- */

typedef struct memory_sink {
    bp_strbuf data;
    int calls;
    int refuse_at; /* the call (1-based) that returns non-zero; 0: never */
} memory_sink;

static int write_to_memory(void *ctx, const void *data, size_t size)
{
    memory_sink *sink = ctx;
    if (++sink->calls == sink->refuse_at)
        return 7;
    bp_strbuf_append(&sink->data, data, size);
    return 0;
}

static void render_to_memory(const fixture *fx, const bp_document *doc, const bp_pdf_options *opts,
                             memory_sink *sink)
{
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_render_pdf(doc, fx->fonts, opts, write_to_memory, sink, &diags), 0);
    assert_int_equal(diags.count, 0);
    assert_false(sink->data.failed);
}

/* Whether the bytes (which hold NULs: font files) contain needle. */
static bool contains(const bp_strbuf *bytes, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= bytes->len; i++)
        if (memcmp(bytes->data + i, needle, n) == 0)
            return true;
    return false;
}

/* ---- The tests ---- */

static void text_extracts_exactly_without_warnings(void **state)
{
    fixture *fx = *state;
    bp_document *doc = sample_document(fx->fonts);
    char pdf[128], err[128];
    render_to(fx, doc, "text.pdf", pdf, sizeof pdf);
    snprintf(err, sizeof err, "%s/pdftotext.err", fx->dir);
    char *text = run_tool(err, "pdftotext -enc UTF-8 '%s' -", pdf);
    assert_file_empty(err);
    assert_non_null(strstr(text, heading_text));
    for (size_t i = 0; i < sizeof body_texts / sizeof body_texts[0]; i++)
        assert_non_null(strstr(text, body_texts[i]));
    for (size_t i = 0; i < sizeof page2_texts / sizeof page2_texts[0]; i++)
        assert_non_null(strstr(text, page2_texts[i]));
    assert_non_null(strstr(text, "\f")); /* two pages */
    free(text);
    bp_document_destroy(doc);
}

static void fonts_are_embedded_subsets_with_tounicode(void **state)
{
    fixture *fx = *state;
    bp_document *doc = sample_document(fx->fonts);
    char pdf[128], err[128];
    render_to(fx, doc, "fonts.pdf", pdf, sizeof pdf);
    snprintf(err, sizeof err, "%s/pdffonts.err", fx->dir);
    char *out = run_tool(err, "pdffonts '%s'", pdf);
    assert_file_empty(err);
    assert_non_null(strstr(out, "+UMingCN "));
    assert_non_null(strstr(out, "+WenQuanYiZenHei "));
    /* name type encoding emb sub uni object ID; the first two lines are the header */
    int fonts = 0;
    char *save = NULL;
    int line_no = 0;
    for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line_no++ < 2)
            continue;
        char name[128], type[64], type2[64], encoding[64], emb[8], sub[8], uni[8];
        assert_int_equal(sscanf(line, "%127s %63s %63s %63s %7s %7s %7s", name, type, type2,
                                encoding, emb, sub, uni),
                         7);
        assert_string_equal(type, "CID");
        assert_string_equal(type2, "TrueType");
        assert_string_equal(encoding, "Identity-H");
        assert_string_equal(emb, "yes");
        assert_string_equal(sub, "yes");
        assert_string_equal(uni, "yes");
        assert_true(strlen(name) > 7 && name[6] == '+');
        for (int i = 0; i < 6; i++)
            assert_true(name[i] >= 'A' && name[i] <= 'Z');
        fonts++;
    }
    assert_int_equal(fonts, 2); /* one per face: UMing and Zen Hei, whatever the pages */
    free(out);
    bp_document_destroy(doc);
}

/* pdfinfo's "Name:   value" line has exactly this value. */
static void assert_field(const char *info, const char *name, const char *value)
{
    char key[64];
    snprintf(key, sizeof key, "%s:", name);
    const char *line = strstr(info, key);
    assert_non_null(line);
    line += strlen(key);
    line += strspn(line, " ");
    size_t len = strcspn(line, "\n");
    if (len != strlen(value) || strncmp(line, value, len) != 0)
        fprintf(stderr, "%s: \"%.*s\", expected \"%s\"\n", name, (int)len, line, value);
    assert_true(len == strlen(value) && strncmp(line, value, len) == 0);
}

static void chinese_metadata_and_outline_read_back(void **state)
{
    fixture *fx = *state;
    bp_document *doc = sample_document(fx->fonts);
    char pdf[128], err[128];
    render_to(fx, doc, "meta.pdf", pdf, sizeof pdf);
    snprintf(err, sizeof err, "%s/pdfinfo.err", fx->dir);
    char *info = run_tool(err, "pdfinfo -enc UTF-8 '%s'", pdf);
    assert_file_empty(err);
    assert_field(info, "Title", title);
    assert_field(info, "Author", author);
    assert_field(info, "Subject", "部门预算");
    assert_field(info, "Creator", "budgetpress 预算公开排版");
    assert_field(info, "CreationDate", "Tue Mar  1 01:00:00 2022 UTC"); /* 09:00 in Beijing */
    assert_field(info, "Pages", "2");
    assert_field(info, "Page size", "595.276 x 841.89 pts (A4)");
    free(info);

    char expected[256];

    char *json = run_tool(NULL, "qpdf --json=2 --json-key=outlines '%s'", pdf);
    for (size_t i = 0; i < 2; i++) {
        snprintf(expected, sizeof expected, "\"title\": \"%s\"", outline_titles[i]);
        char *escaped = strstr(json, expected);
        if (!escaped) /* qpdf escapes the quotation marks of “三公” only if it must */
            fprintf(stderr, "outline title %s not in:\n%s\n", outline_titles[i], json);
        assert_non_null(escaped);
    }
    /* the second entry is nested under the first */
    assert_non_null(strstr(json, "\"kids\": [\n"));
    free(json);
    bp_document_destroy(doc);
}

static void qpdf_finds_no_problem(void **state)
{
    fixture *fx = *state;
    bp_document *doc = sample_document(fx->fonts);
    char pdf[128], err[128];
    render_to(fx, doc, "check.pdf", pdf, sizeof pdf);
    snprintf(err, sizeof err, "%s/qpdf.err", fx->dir);
    char *out = run_tool(err, "qpdf --check '%s'", pdf);
    assert_file_empty(err);
    assert_non_null(strstr(out, "No syntax or stream encoding errors found"));
    free(out);
    /* the uncompressed variant too, and it really is uncompressed */
    memory_sink sink = {BP_STRBUF_INIT, 0, 0};
    bp_pdf_options opts = {.uncompressed = true};
    render_to_memory(fx, doc, &opts, &sink);
    assert_true(contains(&sink.data, "beginbfchar"));
    assert_true(contains(&sink.data, "\n2 Tr\n")); /* the fake-bold heading */
    snprintf(pdf, sizeof pdf, "%s/plain.pdf", fx->dir);
    FILE *f = fopen(pdf, "wb");
    assert_non_null(f);
    fwrite(sink.data.data, 1, sink.data.len, f);
    fclose(f);
    free(run_tool(NULL, "qpdf --check '%s' >/dev/null", pdf));
    bp_strbuf_free(&sink.data);
    bp_document_destroy(doc);
}

/* pdftotext -bbox gives each character's box: the spaced run's characters must start 20 pt
 * apart, where the display list puts them, not 10.5 pt apart as their advances would. */
static void glyphs_sit_where_the_display_list_says(void **state)
{
    fixture *fx = *state;
    bp_document *doc = sample_document(fx->fonts);
    char pdf[128];
    render_to(fx, doc, "bbox.pdf", pdf, sizeof pdf);
    char *html = run_tool(NULL, "pdftotext -enc UTF-8 -bbox -f 1 -l 1 '%s' -", pdf);
    const char *chars[] = {"间", "隔", "排", "列"};
    for (int i = 0; i < 4; i++) {
        char word[64];
        snprintf(word, sizeof word, "\">%s</word>", chars[i]);
        const char *hit = strstr(html, word);
        assert_non_null(hit);
        const char *x = hit;
        while (x > html && strncmp(x, "xMin=\"", 6) != 0)
            x--;
        double x_min = strtod(x + 6, NULL);
        double expected = 100.0 + 20.0 * i;
        if (x_min < expected - 0.01 || x_min > expected + 0.01)
            fprintf(stderr, "%s at %.3f, expected %.3f\n", chars[i], x_min, expected);
        assert_true(x_min > expected - 0.01 && x_min < expected + 0.01);
    }
    free(html);
    bp_document_destroy(doc);
}

static void same_document_gives_the_same_bytes(void **state)
{
    fixture *fx = *state;
    bp_document *doc = sample_document(fx->fonts);
    char a[128], b[128];
    render_to(fx, doc, "same-a.pdf", a, sizeof a);
    render_to(fx, doc, "same-b.pdf", b, sizeof b);
    free(run_tool(NULL, "cmp '%s' '%s'", a, b));
    /* and the callback route writes exactly what the file route writes */
    memory_sink sink = {BP_STRBUF_INIT, 0, 0};
    render_to_memory(fx, doc, NULL, &sink);
    size_t size;
    char *file = read_file(a, &size);
    assert_int_equal(size, sink.data.len);
    assert_memory_equal(file, sink.data.data, size);
    assert_true(sink.calls > 1 || size <= 16384);
    free(file);
    bp_strbuf_free(&sink.data);
    bp_document_destroy(doc);
}

/* Content streams built on several threads are the very bytes one thread builds. */
static void threads_give_the_same_bytes(void **state)
{
    fixture *fx = *state;
    bp_document *doc = sample_document(fx->fonts);
    for (int p = 0; p < 9; p++) /* more pages than threads, an uneven share */
        add_page_two(doc, fx->fonts);
    memory_sink one = {BP_STRBUF_INIT, 0, 0}, many = {BP_STRBUF_INIT, 0, 0};
    bp_pdf_options single = {.threads = 1}, parallel = {.threads = 4};
    render_to_memory(fx, doc, &single, &one);
    render_to_memory(fx, doc, &parallel, &many);
    assert_int_equal(one.data.len, many.data.len);
    assert_memory_equal(one.data.data, many.data.data, one.data.len);
    bp_strbuf_free(&one.data);
    bp_strbuf_free(&many.data);
    bp_document_destroy(doc);
}

/* ---- Tagged documents ---- */

static bp_node_id add_node(bp_document *doc, bp_node_kind kind, bp_node_id parent)
{
    bp_node node = {.kind = kind, .parent = parent};
    bp_node_id id = bp_document_add_node(doc, &node);
    assert_true(id != 0);
    return id;
}

/* Gives the glyph runs of a page from item `from` on to a node. */
static void tag_runs(bp_document *doc, size_t page, size_t from, bp_node_id node)
{
    bp_page *p = bp_document_page_mut(doc, page);
    for (size_t i = from; i < p->count; i++)
        if (p->items[i].kind == BP_ITEM_GLYPHS)
            p->items[i].u.glyphs.node = node;
}

/* The sample with a structure tree: a heading, a table of the body texts (each row a text
 * cell and an empty cell), a paragraph on page 2 and the link as a Link. */
static bp_document *tagged_document(const bp_fontset *fonts)
{
    bp_document *doc = sample_document(fonts);
    bp_page *one = bp_document_page_mut(doc, 0), *two = bp_document_page_mut(doc, 1);
    bp_node_id part = add_node(doc, BP_NODE_PART, 0);
    tag_runs(doc, 0, 0, add_node(doc, BP_NODE_H1, part));
    bp_node_id table = add_node(doc, BP_NODE_TABLE, part);
    bp_node_id body = add_node(doc, BP_NODE_TBODY, table);
    for (size_t i = 0; i < one->count; i++) {
        bp_item *item = &one->items[i];
        if (item->kind == BP_ITEM_GLYPHS && i > 0 && item->u.glyphs.size == BP_PT(10.5)) {
            bp_node_id row = add_node(doc, BP_NODE_TR, body);
            item->u.glyphs.node = add_node(doc, BP_NODE_TD, row);
            add_node(doc, BP_NODE_TD, row); /* empty */
        } else if (item->kind == BP_ITEM_LINK) {
            item->u.link.node = add_node(doc, BP_NODE_LINK, add_node(doc, BP_NODE_P, part));
        }
    }
    tag_runs(doc, 1, 0, add_node(doc, BP_NODE_P, part));
    assert_true(two->count > 0);
    return doc;
}

static void tagged_document_is_read_by_poppler_and_qpdf(void **state)
{
    fixture *fx = *state;
    bp_document *doc = tagged_document(fx->fonts);
    char path[4096], err[4104];
    render_to(fx, doc, "tagged.pdf", path, sizeof path);
    snprintf(err, sizeof err, "%s.err", path);
    char *info = run_tool(err, "pdfinfo '%s'", path);
    const char *tagged = strstr(info, "Tagged:");
    assert_non_null(tagged);
    assert_true(strncmp(tagged + strspn(tagged + 7, " ") + 7, "yes", 3) == 0);
    char *tree = run_tool(err, "pdfinfo -struct-text '%s'", path);
    assert_file_empty(err);
    /* A row: the text cell, then the empty one in its place. */
    const char *row = strstr(tree, "        TR\n          TD\n            \"");
    const char *empty = row ? strstr(row, "\"\n          TD\n        TR\n") : NULL;
    if (!empty || !strstr(tree, "Link (inline)"))
        fprintf(stderr, "the structure tree:\n%s", tree);
    assert_non_null(empty);
    assert_non_null(strstr(tree, "Link (inline)"));
    free(run_tool(NULL, "qpdf --check '%s' >/dev/null", path));
    free(info);
    free(tree);
    bp_document_destroy(doc);
}

/* A run naming a node the document lacks is refused, not written past the tree's end. */
static void run_of_a_missing_node_is_refused(void **state)
{
    fixture *fx = *state;
    bp_document *doc = tagged_document(fx->fonts);
    bp_page *page = bp_document_page_mut(doc, 1);
    for (size_t i = 0; i < page->count; i++)
        if (page->items[i].kind == BP_ITEM_GLYPHS)
            page->items[i].u.glyphs.node = (bp_node_id)bp_document_node_count(doc) + 5;
    memory_sink sink = {BP_STRBUF_INIT, 0, 0};
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_render_pdf(doc, fx->fonts, NULL, write_to_memory, &sink, &diags), -1);
    assert_true(diags.count >= 1);
    assert_non_null(strstr(diags.items[0].message, "which the document lacks"));
    assert_int_equal(sink.data.len, 0);
    bp_diags_clear(&diags);
    bp_strbuf_free(&sink.data);
    bp_document_destroy(doc);
}

static void tagged_threads_give_the_same_bytes(void **state)
{
    fixture *fx = *state;
    bp_document *doc = tagged_document(fx->fonts);
    memory_sink one = {BP_STRBUF_INIT, 0, 0}, many = {BP_STRBUF_INIT, 0, 0};
    memory_sink flat = {BP_STRBUF_INIT, 0, 0};
    bp_pdf_options single = {.threads = 1}, parallel = {.threads = 4};
    bp_pdf_options untagged = {.threads = 1, .untagged = true, .uncompressed = true};
    bp_pdf_options plain = {.threads = 1, .uncompressed = true};
    render_to_memory(fx, doc, &single, &one);
    render_to_memory(fx, doc, &parallel, &many);
    render_to_memory(fx, doc, &untagged, &flat);
    memory_sink open = {BP_STRBUF_INIT, 0, 0};
    render_to_memory(fx, doc, &plain, &open);
    assert_true(contains(&open.data, "/H1<</MCID 0>>BDC") && contains(&open.data, "/Artifact BMC"));
    bp_strbuf_free(&open.data);
    assert_int_equal(one.data.len, many.data.len);
    assert_memory_equal(one.data.data, many.data.data, one.data.len);
    assert_true(contains(&one.data, "/Type/ObjStm") && contains(&one.data, "/Type/XRef"));
    assert_false(contains(&flat.data, "/StructTreeRoot") || contains(&flat.data, "BDC"));
    bp_strbuf_free(&one.data);
    bp_strbuf_free(&many.data);
    bp_strbuf_free(&flat.data);
    bp_document_destroy(doc);
}

/* A writer that refuses at any point, in libharu's part or in the structure tree's update,
 * stops the render with one message and nothing written after it. */
static void tagged_refusal_at_any_write(void **state)
{
    fixture *fx = *state;
    bp_document *doc = tagged_document(fx->fonts);
    memory_sink all = {BP_STRBUF_INIT, 0, 0};
    render_to_memory(fx, doc, NULL, &all);
    assert_true(all.calls > 3);
    for (int refuse_at = 1; refuse_at <= all.calls; refuse_at++) {
        memory_sink sink = {BP_STRBUF_INIT, 0, refuse_at};
        bp_diags diags = BP_DIAGS_INIT;
        assert_int_equal(bp_render_pdf(doc, fx->fonts, NULL, write_to_memory, &sink, &diags), -1);
        assert_int_equal(sink.calls, refuse_at);
        assert_int_equal(diags.count, 1);
        assert_non_null(strstr(diags.items[0].message, "refused"));
        bp_diags_clear(&diags);
        bp_strbuf_free(&sink.data);
    }
    bp_strbuf_free(&all.data);
    bp_document_destroy(doc);
}

typedef struct thread_job {
    const fixture *fx;
    const bp_document *doc;
    memory_sink sink;
    int rc;
} thread_job;

static void *render_job(void *arg)
{
    thread_job *job = arg;
    bp_diags diags = BP_DIAGS_INIT;
    job->rc = bp_render_pdf(job->doc, job->fx->fonts, NULL, write_to_memory, &job->sink, &diags);
    bp_diags_clear(&diags);
    return NULL;
}

/* One fontset and one document, read by four renders at once (as a batch run does): each
 * gives the same bytes as a render alone. */
static void concurrent_renders_agree(void **state)
{
    fixture *fx = *state;
    bp_document *doc = sample_document(fx->fonts);
    memory_sink alone = {BP_STRBUF_INIT, 0, 0};
    render_to_memory(fx, doc, NULL, &alone);
    enum { THREADS = 4 };
    thread_job jobs[THREADS];
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (thread_job){fx, doc, {BP_STRBUF_INIT, 0, 0}, -1};
        assert_int_equal(pthread_create(&threads[i], NULL, render_job, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(jobs[i].rc, 0);
        assert_int_equal(jobs[i].sink.data.len, alone.data.len);
        assert_memory_equal(jobs[i].sink.data.data, alone.data.data, alone.data.len);
        bp_strbuf_free(&jobs[i].sink.data);
    }
    bp_strbuf_free(&alone.data);
    bp_document_destroy(doc);
}

/* 40 distinct characters must cost a subset, not the font: under 30 KB. */
static void forty_characters_make_a_small_file(void **state)
{
    fixture *fx = *state;
    const char *text =
        "按照预算管理有关规定部门收支总表一般公共财政拨款基本出项目经费府性金国资营年度合";
    size_t distinct = 0, len = strlen(text);
    for (size_t i = 0, n; i < len; i += n) {
        unsigned c = bp_utf8_decode(text + i, len - i, &n);
        bool seen = false;
        for (size_t j = 0, m; j < i && !seen; j += m)
            seen = bp_utf8_decode(text + j, len - j, &m) == c;
        distinct += !seen;
    }
    assert_int_equal(distinct, 40);
    bp_document *doc = bp_document_create();
    assert_non_null(bp_document_add_page(doc, A4_WIDTH, A4_HEIGHT));
    add_text(doc, 0, fx->fonts, BP_ROLE_BODY, BP_PT(10.5), BP_PT(90), BP_PT(100), text, false);
    memory_sink sink = {BP_STRBUF_INIT, 0, 0};
    render_to_memory(fx, doc, NULL, &sink);
    fprintf(stderr, "40 characters: %zu bytes\n", sink.data.len);
    assert_true(sink.data.len < 30 * 1024);
    bp_strbuf_free(&sink.data);
    bp_document_destroy(doc);
}

static void missing_directory_fails_and_creates_nothing(void **state)
{
    fixture *fx = *state;
    bp_document *doc = sample_document(fx->fonts);
    char path[256], dir[128];
    snprintf(dir, sizeof dir, "%s/no-such-dir", fx->dir);
    snprintf(path, sizeof path, "%s/out.pdf", dir);
    int before = count_entries(fx->dir);
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_render_pdf_file(doc, fx->fonts, NULL, path, &diags), -1);
    assert_int_equal(diags.count, 1);
    assert_string_equal(diags.items[0].file, path);
    assert_non_null(strstr(diags.items[0].message, "No such file or directory"));
    struct stat st;
    assert_int_not_equal(stat(dir, &st), 0);
    assert_int_equal(count_entries(fx->dir), before);
    bp_diags_clear(&diags);
    bp_document_destroy(doc);
}

static void refusing_writer_aborts_cleanly(void **state)
{
    fixture *fx = *state;
    bp_document *doc = sample_document(fx->fonts);
    for (int refuse_at = 1; refuse_at <= 2; refuse_at++) {
        memory_sink sink = {BP_STRBUF_INIT, 0, refuse_at};
        bp_diags diags = BP_DIAGS_INIT;
        assert_int_equal(bp_render_pdf(doc, fx->fonts, NULL, write_to_memory, &sink, &diags), -1);
        assert_int_equal(sink.calls, refuse_at); /* nothing written after the refusal */
        assert_int_equal(diags.count, 1);
        assert_non_null(strstr(diags.items[0].message, "refused"));
        bp_diags_clear(&diags);
        bp_strbuf_free(&sink.data);
    }
    bp_document_destroy(doc);
}

/* A document the backend cannot draw (a link to a page that does not exist) is reported and
 * leaves an existing file exactly as it was, with no temporary file beside it. */
static void bad_document_leaves_the_old_file(void **state)
{
    fixture *fx = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/keep.pdf", fx->dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("the old file", f);
    fclose(f);
    int before = count_entries(fx->dir);
    bp_document *doc = sample_document(fx->fonts);
    bp_link link = {0, 0, BP_PT(10), BP_PT(10), 5, 0, 0};
    assert_int_equal(bp_page_add_link(doc, bp_document_page_mut(doc, 1), &link), 0);
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_render_pdf_file(doc, fx->fonts, NULL, path, &diags), -1);
    assert_int_equal(diags.count, 1);
    assert_non_null(strstr(diags.items[0].message, "page 2: a link points to page 6"));
    char *text = read_file(path, NULL);
    assert_string_equal(text, "the old file");
    free(text);
    assert_int_equal(count_entries(fx->dir), before);
    bp_diags_clear(&diags);
    bp_document_destroy(doc);
}

/* libharu's own checks reach the user as diagnostics through the per-call error handler:
 * 30 February is refused by HPDF_SetInfoDateAttr. */
static void libharu_error_becomes_a_diagnostic(void **state)
{
    fixture *fx = *state;
    bp_document *doc = sample_document(fx->fonts);
    bp_doc_info info = {.title = title, .year = 2022, .month = 2, .day = 30};
    assert_int_equal(bp_document_set_info(doc, &info), 0);
    memory_sink sink = {BP_STRBUF_INIT, 0, 0};
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_render_pdf(doc, fx->fonts, NULL, write_to_memory, &sink, &diags), -1);
    assert_int_equal(diags.count, 1);
    assert_non_null(strstr(diags.items[0].message, "error 0x1022 (invalid creation date)"));
    assert_non_null(strstr(diags.items[0].message, "document information"));
    assert_int_equal(sink.calls, 0);
    bp_diags_clear(&diags);
    bp_document_destroy(doc);
}

static void empty_document_is_an_error(void **state)
{
    fixture *fx = *state;
    bp_document *doc = bp_document_create();
    memory_sink sink = {BP_STRBUF_INIT, 0, 0};
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_render_pdf(doc, fx->fonts, NULL, write_to_memory, &sink, &diags), -1);
    assert_int_equal(diags.count, 1);
    assert_int_equal(sink.calls, 0);
    bp_diags_clear(&diags);
    bp_document_destroy(doc);
}

/* ---- Suite ---- */

static int setup(void **state)
{
    static fixture fx;
    bp_fontset_spec spec = {0};
    bp_face_spec uming = {.path = UMING}, zenhei = {.path = ZENHEI};
    spec.faces[BP_ROLE_BODY][0] = uming;
    spec.faces[BP_ROLE_TABLE][0] = uming;
    spec.faces[BP_ROLE_NUMBER][0] = uming;
    spec.faces[BP_ROLE_HEADING][0] = zenhei;
    for (int role = 0; role < BP_ROLE__COUNT; role++)
        spec.face_count[role] = 1;
    bp_diags diags = BP_DIAGS_INIT;
    fx.fonts = bp_fontset_load(&spec, &diags);
    for (size_t i = 0; i < diags.count; i++)
        bp_diag_print(stderr, &diags.items[i]);
    bp_diags_clear(&diags);
    snprintf(fx.dir, sizeof fx.dir, "/tmp/bp-test-pdf-XXXXXX");
    if (!fx.fonts || !mkdtemp(fx.dir))
        return -1;
    if (system("command -v pdftotext >/dev/null && command -v pdffonts >/dev/null && "
               "command -v pdfinfo >/dev/null && command -v qpdf >/dev/null") != 0) {
        fprintf(stderr, "poppler-utils and qpdf are needed: run scripts/deps.sh\n");
        return -1;
    }
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char command[128];
    if (getenv("BP_TEST_KEEP")) {
        fprintf(stderr, "kept %s\n", fx->dir);
    } else {
        snprintf(command, sizeof command, "rm -rf '%s'", fx->dir);
        if (system(command) != 0)
            fprintf(stderr, "could not remove %s\n", fx->dir);
    }
    bp_fontset_destroy(fx->fonts);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_extracts_exactly_without_warnings),
        cmocka_unit_test(fonts_are_embedded_subsets_with_tounicode),
        cmocka_unit_test(chinese_metadata_and_outline_read_back),
        cmocka_unit_test(qpdf_finds_no_problem),
        cmocka_unit_test(glyphs_sit_where_the_display_list_says),
        cmocka_unit_test(same_document_gives_the_same_bytes),
        cmocka_unit_test(threads_give_the_same_bytes),
        cmocka_unit_test(tagged_document_is_read_by_poppler_and_qpdf),
        cmocka_unit_test(tagged_threads_give_the_same_bytes),
        cmocka_unit_test(tagged_refusal_at_any_write),
        cmocka_unit_test(run_of_a_missing_node_is_refused),
        cmocka_unit_test(concurrent_renders_agree),
        cmocka_unit_test(forty_characters_make_a_small_file),
        cmocka_unit_test(missing_directory_fails_and_creates_nothing),
        cmocka_unit_test(refusing_writer_aborts_cleanly),
        cmocka_unit_test(bad_document_leaves_the_old_file),
        cmocka_unit_test(libharu_error_becomes_a_diagnostic),
        cmocka_unit_test(empty_document_is_an_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * bench_pdf.c: how fast the PDF backend writes pages of Chinese text, and how big the file is.
 *
 * Builds one display list of PAGES A4 pages, each 40 lines of 35 characters at 10.5 pt in the
 * pinned UMing face (lines cut in turn from a fixed passage of budget prose, so the subset
 * holds the passage's characters), shaped with bp_shape once. Then renders it REPEAT times
 * with bp_render_pdf into memory and REPEAT times with bp_render_pdf_file into a temporary
 * directory, and prints the median and best wall time of each, the time per page and the
 * output size. Timed with the monotonic clock in-process, as bench_load.
 *
 * Usage: bench_pdf [-n REPEAT] [-p PAGES] [-o KEEP.pdf]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_timer.h"
#include "budgetpress/render.h"

#define UMING "/usr/share/fonts/truetype/arphic/uming.ttc"
#define ZENHEI "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#define SIZE BP_PT(10.5)
#define LINES_PER_PAGE 40
#define CHARS_PER_LINE 35

/* Budget prose of the kind the narrative pages carry: Chinese with digits and punctuation. */
static const char passage[] =
    "按照预算管理有关规定，现将本单位2022年部门预算公开如下。本单位主要职责是贯彻落实党中央、"
    "国务院和省委、省政府的决策部署，负责机关日常运转工作。2022年收入预算847.45万元，其中一般公"
    "共预算拨款收入831.20万元，政府性基金预算拨款收入0.00万元，其他收入16.25万元。支出预算847.4"
    "5万元，其中基本支出712.30万元，项目支出135.15万元。“三公”经费预算数为12.50万元，比上年减"
    "少1.20万元，主要原因是严格落实中央八项规定精神，厉行节约，压减一般性支出。机关运行经费预算"
    "数为56.80万元，政府采购预算总额为98.00万元，其中货物类采购45.00万元，服务类采购53.00万元。"
    "截至2021年底，本单位共有车辆2辆，单位价值50万元以上通用设备0台（套）。绩效目标管理全面覆盖"
    "项目支出，重点项目绩效目标按要求随部门预算公开。";

static bp_fontset *load_fonts(void)
{
    bp_fontset_spec spec = {0};
    bp_face_spec uming = {.path = UMING}, zenhei = {.path = ZENHEI};
    for (int role = 0; role < BP_ROLE__COUNT; role++) {
        spec.faces[role][0] = role == BP_ROLE_HEADING ? zenhei : uming;
        spec.face_count[role] = 1;
    }
    bp_diags diags = BP_DIAGS_INIT;
    bp_fontset *fonts = bp_fontset_load(&spec, &diags);
    for (size_t i = 0; i < diags.count; i++)
        bp_diag_print(stderr, &diags.items[i]);
    bp_diags_clear(&diags);
    return fonts;
}

/* The next line of CHARS_PER_LINE characters of the passage, wrapping around; *offset moves. */
static size_t next_line(size_t *offset, char *line)
{
    size_t len = 0;
    for (int n = 0; n < CHARS_PER_LINE; n++) {
        if (!passage[*offset])
            *offset = 0;
        size_t k = 1;
        while ((passage[*offset + k] & 0xC0) == 0x80)
            k++;
        memcpy(line + len, passage + *offset, k);
        len += k;
        *offset += k;
    }
    line[len] = '\0';
    return len;
}

static int add_line(bp_document *doc, bp_page *page, const bp_fontset *fonts, bp_shaped *shaped,
                    const char *text, size_t len, bp_len y)
{
    enum { MAX_GLYPHS = 4 * CHARS_PER_LINE };
    if (bp_shape(fonts, BP_ROLE_BODY, SIZE, text, len, shaped) != 0 || shaped->count == 0 ||
        shaped->count > MAX_GLYPHS)
        return -1;
    uint32_t ids[MAX_GLYPHS], clusters[MAX_GLYPHS];
    bp_len dx[MAX_GLYPHS], x = 0;
    for (size_t i = 0; i < shaped->count; i++) {
        if (shaped->glyphs[i].face != shaped->glyphs[0].face)
            return -1; /* the passage is all in the body face: one run per line */
        ids[i] = shaped->glyphs[i].id;
        clusters[i] = shaped->glyphs[i].cluster;
        dx[i] = x;
        x += shaped->glyphs[i].advance;
    }
    bp_glyph_run run = {.face = shaped->glyphs[0].face,
                        .size = SIZE,
                        .x = BP_PT(79.37),
                        .y = y,
                        .count = shaped->count,
                        .ids = ids,
                        .dx = dx,
                        .width = x,
                        .clusters = clusters,
                        .text = text,
                        .text_len = len};
    return bp_page_add_glyphs(doc, page, &run);
}

static bp_document *build_document(const bp_fontset *fonts, int pages)
{
    bp_document *doc = bp_document_create();
    bp_shaped shaped = BP_SHAPED_INIT;
    char line[4 * CHARS_PER_LINE + 1];
    size_t offset = 0;
    for (int p = 0; doc && p < pages; p++) {
        bp_page *page = bp_document_add_page(doc, 595276, 841890);
        for (int l = 0; page && l < LINES_PER_PAGE; l++) {
            size_t len = next_line(&offset, line);
            if (add_line(doc, page, fonts, &shaped, line, len, BP_PT(90 + 17.5 * l)) != 0)
                page = NULL;
        }
        if (!page) {
            bp_document_destroy(doc);
            doc = NULL;
        }
    }
    bp_shaped_free(&shaped);
    return doc;
}

typedef struct counting_sink {
    size_t bytes;
} counting_sink;

static int count_bytes(void *ctx, const void *data, size_t size)
{
    (void)data;
    ((counting_sink *)ctx)->bytes += size;
    return 0;
}

static void report(const char *what, double *times, int repeat, int pages, size_t bytes)
{
    qsort(times, (size_t)repeat, sizeof(double), bench_compare_doubles);
    double median = times[repeat / 2];
    printf("%-26s %3d pages  median %8.2f ms  best %8.2f ms  %6.3f ms/page  %8zu bytes\n", what,
           pages, median * 1e3, times[0] * 1e3, median * 1e3 / pages, bytes);
}

static int bench(const bp_fontset *fonts, const bp_document *doc, int pages, int repeat,
                 const char *keep)
{
    double *times = malloc(sizeof(double) * (size_t)repeat);
    char dir[] = "/tmp/bench-pdf-XXXXXX", path[64];
    if (!times || !mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/out.pdf", dir);
    bp_diags diags = BP_DIAGS_INIT;
    counting_sink sink = {0};
    int status = 0;
    for (int i = 0; i < repeat && status == 0; i++) {
        sink.bytes = 0;
        double start = bench_now();
        status |= bp_render_pdf(doc, fonts, NULL, count_bytes, &sink, &diags) != 0;
        times[i] = bench_now() - start;
    }
    if (status == 0)
        report("bp_render_pdf (memory)", times, repeat, pages, sink.bytes);
    for (int i = 0; i < repeat && status == 0; i++) {
        double start = bench_now();
        status |= bp_render_pdf_file(doc, fonts, NULL, path, &diags) != 0;
        times[i] = bench_now() - start;
    }
    if (status == 0)
        report("bp_render_pdf_file (fsync)", times, repeat, pages, sink.bytes);
    for (size_t i = 0; i < diags.count; i++)
        bp_diag_print(stderr, &diags.items[i]);
    bp_diags_clear(&diags);
    if (keep && status == 0 && rename(path, keep) != 0)
        perror(keep);
    unlink(path);
    rmdir(dir);
    free(times);
    return status;
}

int main(int argc, char **argv)
{
    int repeat = 9, pages = 50;
    const char *keep = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "-p") == 0 && i + 1 < argc)
            pages = atoi(argv[++i]);
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            keep = argv[++i];
        else
            repeat = 0;
    }
    if (repeat < 1 || pages < 1) {
        fprintf(stderr, "usage: bench_pdf [-n REPEAT] [-p PAGES] [-o KEEP.pdf]\n");
        return 2;
    }
    bp_fontset *fonts = load_fonts();
    if (!fonts)
        return 1;
    double start = bench_now();
    bp_document *doc = build_document(fonts, pages);
    double built = bench_now() - start;
    if (!doc) {
        fprintf(stderr, "out of memory building the document\n");
        bp_fontset_destroy(fonts);
        return 1;
    }
    printf("display list: %d pages x %d lines x %d characters, shaped in %.2f ms\n", pages,
           LINES_PER_PAGE, CHARS_PER_LINE, built * 1e3);
    int status = bench(fonts, doc, pages, repeat, keep);
    bp_document_destroy(doc);
    bp_fontset_destroy(fonts);
    return status;
}

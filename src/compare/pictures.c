/*
 * pictures.c: old | difference | new for each page that is not the same, drawn by the PNG
 * backend from the two records (one renderer for both sides, on one machine: no platform
 * noise), the changed cells outlined.
 *
 * The pixel rule (the study's): a pixel differs when it is darker, by more than 40 grey levels,
 * than every pixel within one pixel of it in the other image. That forgives anti-aliasing and a
 * shift of one pixel, and never a changed digit (a digit at 100 dpi is dozens of pixels). The
 * differing pixels count only in 8×8 cells holding at least 4 of them: specks are noise.
 * Never a percentage of the page, which would hide a digit.
 *
 * Stage: compare, last. Also used by foreign.c for PDFs without a record.
 */
#include "compare_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/outfile.h"

enum { INK_STEP = 40, CELL = 8, CELL_LEAST = 4 };

/* 1 where old has ink new lacks, 2 where new has ink old lacks, 0 elsewhere. */
static unsigned char differs(const bp_raster *a, const bp_raster *b, int x, int y)
{
    int w = a->width, h = a->height;
    int va = a->pixels[(size_t)y * w + x], vb = b->pixels[(size_t)y * w + x];
    if (abs(va - vb) <= INK_STEP)
        return 0;
    bool darker_a = va < vb;
    const bp_raster *dark = darker_a ? a : b, *light = darker_a ? b : a;
    int v = dark->pixels[(size_t)y * w + x];
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            int nx = x + dx, ny = y + dy;
            if (nx < 0 || ny < 0 || nx >= w || ny >= h)
                continue;
            if (light->pixels[(size_t)ny * w + nx] - v <= INK_STEP)
                return 0; /* as dark nearby: anti-aliasing or a one-pixel shift */
        }
    return darker_a ? 1 : 2;
}

static void put_rgb(unsigned char *p, unsigned char r, unsigned char g, unsigned char b)
{
    p[0] = r, p[1] = g, p[2] = b;
}

/* Outlines a box (x, y, w, h in pixels) in orange, two pixels wide. */
static void outline(unsigned char *rgb, int width, int height, const int *box)
{
    for (int t = 0; t < 2; t++) {
        int x0 = box[0] - 2 + t, y0 = box[1] - 2 + t, x1 = box[0] + box[2] + 1 - t,
            y1 = box[1] + box[3] + 1 - t;
        for (int x = x0; x <= x1; x++)
            for (int k = 0; k < 2; k++) {
                int y = k ? y1 : y0;
                if (x >= 0 && y >= 0 && x < width && y < height)
                    put_rgb(rgb + ((size_t)y * width + x) * 3, 255, 140, 0);
            }
        for (int y = y0; y <= y1; y++)
            for (int k = 0; k < 2; k++) {
                int x = k ? x1 : x0;
                if (x >= 0 && y >= 0 && x < width && y < height)
                    put_rgb(rgb + ((size_t)y * width + x) * 3, 255, 140, 0);
            }
    }
}

/* The difference: both pages faded to a tenth, ink only in old red, only in new green. */
static long difference_in(const bp_raster *a, const bp_raster *b, unsigned char *rgb, int y0,
                          int y1, long *inside)
{
    int w = a->width, h = a->height, cw = (w + CELL - 1) / CELL, ch = (h + CELL - 1) / CELL;
    unsigned char *mark = malloc((size_t)w * h);
    int *cells = calloc((size_t)cw * ch, sizeof *cells);
    if (!mark || !cells) {
        free(mark);
        free(cells);
        return -1;
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned char m = differs(a, b, x, y);
            mark[(size_t)y * w + x] = m;
            cells[(y / CELL) * cw + x / CELL] += m != 0;
            int darkest = a->pixels[(size_t)y * w + x] < b->pixels[(size_t)y * w + x]
                              ? a->pixels[(size_t)y * w + x]
                              : b->pixels[(size_t)y * w + x];
            unsigned char faded = (unsigned char)(255 - (255 - darkest) / 6);
            put_rgb(rgb + ((size_t)y * w + x) * 3, faded, faded, faded);
        }
    long counted = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned char m = mark[(size_t)y * w + x];
            if (!m || cells[(y / CELL) * cw + x / CELL] < CELL_LEAST)
                continue;
            counted++;
            *inside += y >= y0 && y < y1;
            if (m == 1)
                put_rgb(rgb + ((size_t)y * w + x) * 3, 220, 30, 30);
            else
                put_rgb(rgb + ((size_t)y * w + x) * 3, 0, 150, 60);
        }
    free(mark);
    free(cells);
    return counted;
}

static long difference(const bp_raster *a, const bp_raster *b, unsigned char *rgb)
{
    long inside = 0;
    return difference_in(a, b, rgb, 0, 0, &inside);
}

long cmp_picture_count(const bp_raster *old_r, const bp_raster *new_r, long *body)
{
    unsigned char *rgb = malloc((size_t)old_r->width * old_r->height * 3);
    int h = old_r->height;
    *body = 0;
    long counted = rgb ? difference_in(old_r, new_r, rgb, h * 7 / 100, h - h * 7 / 100, body) : -1;
    free(rgb);
    return counted;
}

/* Makes dir and every folder of prefix's path inside it. */
static int make_dirs(const char *dir, const char *prefix)
{
    bp_strbuf path = BP_STRBUF_INIT;
    bp_strbuf_puts(&path, dir);
    int rc = mkdir(bp_strbuf_cstr(&path), 0777) != 0 && errno != EEXIST ? -1 : 0;
    for (const char *p = prefix; rc == 0 && *p; p++) {
        if (*p == '/') {
            bp_strbuf_truncate(&path, strlen(dir));
            bp_strbuf_putc(&path, '/');
            bp_strbuf_append(&path, prefix, (size_t)(p - prefix));
            if (mkdir(bp_strbuf_cstr(&path), 0777) != 0 && errno != EEXIST)
                rc = -1;
        }
    }
    rc = path.failed ? -1 : rc;
    bp_strbuf_free(&path);
    return rc;
}

static int write_file(const char *dir, const char *name, int width, int height,
                      const unsigned char *pixels, bool rgb, int dpi)
{
    bp_strbuf path = BP_STRBUF_INIT;
    bp_strbuf_printf(&path, "%s/%s", dir, name);
    bp_diags diags = BP_DIAGS_INIT;
    bp_outfile out;
    int rc = bp_outfile_open(&out, bp_strbuf_cstr(&path), "a picture", &diags);
    if (rc == 0) {
        bp_raster grey = {width, height, (unsigned char *)pixels};
        rc = rgb ? bp_rgb_write_png(width, height, pixels, dpi, bp_outfile_write, &out, &diags)
                 : bp_raster_write_png(&grey, dpi, bp_outfile_write, &out, &diags);
        if (rc == 0)
            rc = bp_outfile_commit(&out, "a picture", &diags);
        else
            bp_outfile_abort(&out);
    }
    bp_diags_clear(&diags);
    bp_strbuf_free(&path);
    return rc;
}

long cmp_picture_write(const bp_raster *old_r, const bp_raster *new_r, const bp_raster *base,
                       const int *boxes, size_t box_count, int dpi, const char *dir,
                       const char *prefix, bp_cmp_picture *pic)
{
    int w = old_r->width, h = old_r->height;
    unsigned char *rgb = malloc((size_t)w * h * 3);
    long counted = rgb ? difference(base, new_r, rgb) : -1;
    for (size_t i = 0; counted >= 0 && i < box_count; i++)
        outline(rgb, w, h, boxes + 4 * i);
    if (counted < 0 || make_dirs(dir, prefix) != 0 ||
        write_file(dir, pic->old_png, w, h, old_r->pixels, false, dpi) != 0 ||
        write_file(dir, pic->new_png, w, h, new_r->pixels, false, dpi) != 0 ||
        write_file(dir, pic->diff_png, w, h, rgb, true, dpi) != 0)
        counted = -1;
    free(rgb);
    pic->width = w;
    pic->height = h;
    pic->changed_pixels = counted;
    return counted;
}

/* ---- Drawing from the records ---- */

/* The record's faces as a fontset, in the record's order (the glyph runs' face ids): the first
 * four serve the body role, the next four the heading role; every role needs one. */
static bp_fontset *record_fonts(const bp_record *rec, char *why, size_t why_size)
{
    bp_fontset_spec spec = {0};
    for (int i = 0; i < rec->face_count; i++) {
        int role = i < BP_MAX_FACES_PER_ROLE ? BP_ROLE_BODY : BP_ROLE_HEADING;
        const bp_record_face *f = &rec->faces[i];
        spec.faces[role][spec.face_count[role]++] =
            (bp_face_spec){f->path, f->index, f->size, f->head_sha256};
    }
    for (int role = 0; role < BP_ROLE__COUNT; role++)
        if (!spec.face_count[role] && rec->face_count)
            spec.faces[role][spec.face_count[role]++] = spec.faces[BP_ROLE_BODY][0];
    bp_diags diags = BP_DIAGS_INIT;
    bp_fontset *fonts = rec->face_count ? bp_fontset_load(&spec, &diags) : NULL;
    if (!fonts)
        snprintf(why, why_size, "%s", diags.count ? diags.items[0].message : "it names no font");
    bp_diags_clear(&diags);
    return fonts;
}

typedef struct drawn_side {
    bp_fontset *fonts;
    bp_record rec; /* decoded again, with the fonts: glyph ids to draw */
    bp_rasterizer *raster;
    bp_diags diags;
} drawn_side;

static int open_side(drawn_side *d, const cmp_side *side, const bp_cmp_source *src, int dpi,
                     char *why, size_t why_size)
{
    if (!(d->fonts = record_fonts(&side->rec, why, why_size)))
        return -1;
    if (bp_record_decode(src->record, src->record_size, d->fonts, &d->rec, why, why_size) != 0)
        return -1;
    d->raster = bp_rasterizer_create(d->fonts, dpi, &d->diags);
    if (!d->raster)
        snprintf(why, why_size, "out of memory");
    return d->raster ? 0 : -1;
}

static void close_side(drawn_side *d)
{
    bp_rasterizer_destroy(d->raster);
    bp_record_free(&d->rec);
    bp_fontset_destroy(d->fonts);
    bp_diags_clear(&d->diags);
}

static bool same_fonts(const bp_record *a, const bp_record *b)
{
    if (a->face_count != b->face_count)
        return false;
    for (int i = 0; i < a->face_count; i++)
        if (a->faces[i].size != b->faces[i].size ||
            strcmp(a->faces[i].head_sha256, b->faces[i].head_sha256) != 0)
            return false;
    return true;
}

/* The boxes, in pixels, of what changed on a page of one side. */
static size_t page_boxes(const cmp_side *side, const bool *changed, int page, int dpi, int *out,
                         size_t max)
{
    size_t n = 0;
    for (bp_node_id id = 1; id <= side->node_count && n < max; id++) {
        const bp_cmp_box *b = &side->node_box[id];
        if (!changed[id] || b->page != page || b->h <= 0)
            continue;
        bp_node_kind kind = bp_document_node(side->doc, id)->kind;
        if (kind == BP_NODE_TR || kind == BP_NODE_TABLE)
            continue;
        out[4 * n] = (int)((int64_t)b->x * dpi / 72000);
        out[4 * n + 1] = (int)((int64_t)b->y * dpi / 72000);
        out[4 * n + 2] = (int)((int64_t)b->w * dpi / 72000);
        out[4 * n + 3] = (int)((int64_t)b->h * dpi / 72000);
        n++;
    }
    return n;
}

enum { MAX_BOXES = 512 };

/* ---- The old page moved to where the new page shows its content ----
 * A row inserted near a page's top pushes every row below it down: drawn over each other, the
 * two pages would differ everywhere below it. The old page is cut into bands, one for each
 * piece of content both pages show, and each band moved to its new place (the study's shifted
 * bands), so the difference shows what changed and not what moved. What lies between bands
 * moves with the band above it; where the new page shows content the old lacks (an inserted
 * row) the moved old page is paper, and the new content shows as added. */
enum { ROW_UNSET = INT32_MIN, ROW_PAPER = INT32_MIN + 1 };

static int to_pixels(bp_len v, int dpi)
{
    return (int)((int64_t)v * dpi / 72000);
}

/* The vertical shift, in pixels, of each pixel row of the new page; false when nothing moved. */
static bool row_shifts(const cmp_state *st, const bp_page_pair *pair, int dpi, int height,
                       int32_t *dy)
{
    bool moved = false;
    for (int y = 0; y < height; y++)
        dy[y] = ROW_UNSET;
    for (bp_node_id b = 1; b <= st->new.node_count; b++) {
        const bp_cmp_box *nb = &st->new.node_box[b];
        if (nb->page != pair->new_page - 1 || nb->h <= 0)
            continue;
        bp_node_id a = st->new_to_old[b];
        const bp_cmp_box *ob = a ? &st->old.node_box[a] : NULL;
        int32_t shift = ROW_PAPER;
        if (ob && ob->page == pair->old_page - 1)
            shift = to_pixels(nb->y, dpi) - to_pixels(ob->y, dpi);
        else if (!st->new_changed[b])
            continue; /* came from another page: nothing of the old page belongs here */
        moved = moved || shift != 0;
        int y0 = to_pixels(nb->y, dpi), y1 = to_pixels(nb->y + nb->h, dpi);
        for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < height; y++)
            if (dy[y] == ROW_UNSET || shift == ROW_PAPER)
                dy[y] = shift;
    }
    /* Between bands, the band above's shift; above the first and below the last, none: the
     * folio and the running head stay where the page puts them. */
    int last = height - 1;
    while (last >= 0 && dy[last] == ROW_UNSET)
        last--;
    int32_t carry = 0;
    for (int y = 0; y < height; y++) {
        if (dy[y] == ROW_UNSET)
            dy[y] = y > last ? 0 : carry;
        else if (dy[y] != ROW_PAPER)
            carry = dy[y];
    }
    return moved;
}

/* old_r with its rows moved as dy says, into out (of old_r's size). */
static int move_rows(const bp_raster *old_r, const int32_t *dy, bp_raster *out)
{
    size_t w = (size_t)old_r->width;
    out->width = old_r->width;
    out->height = old_r->height;
    out->pixels = malloc(w * (size_t)old_r->height);
    if (!out->pixels)
        return -1;
    for (int y = 0; y < old_r->height; y++) {
        int from = dy[y] == ROW_PAPER ? -1 : y - dy[y];
        if (from >= 0 && from < old_r->height)
            memcpy(out->pixels + (size_t)y * w, old_r->pixels + (size_t)from * w, w);
        else
            memset(out->pixels + (size_t)y * w, 255, w);
    }
    return 0;
}

static bool wants_picture(const bp_page_pair *pair, bool fonts_differ)
{
    return pair->status == BP_PAGE_CHANGED || pair->status == BP_PAGE_LAYOUT ||
           (fonts_differ && (pair->status == BP_PAGE_SAME || pair->status == BP_PAGE_SHIFTED));
}

static void draw_pair(cmp_state *st, drawn_side *a, drawn_side *b, size_t k, int dpi,
                      const bp_compare_options *opts, int *boxes)
{
    bp_comparison *c = st->c;
    bp_page_pair *pair = &c->pages[k];
    bp_raster ra, rb;
    if (bp_rasterizer_draw(a->raster, bp_document_page(a->rec.doc, (size_t)pair->old_page - 1),
                           &ra) != 0)
        return;
    if (bp_rasterizer_draw(b->raster, bp_document_page(b->rec.doc, (size_t)pair->new_page - 1),
                           &rb) != 0) {
        bp_raster_free(&ra);
        return;
    }
    size_t n = page_boxes(&st->new, st->new_changed, pair->new_page - 1, dpi, boxes, MAX_BOXES);
    /* The difference is drawn over the old page moved to the new one's places, when anything
     * moved; the old page's own boxes are then in the wrong places, and left out. */
    int32_t *dy = ra.width == rb.width && ra.height == rb.height
                      ? malloc((size_t)ra.height * sizeof *dy)
                      : NULL;
    bp_raster moved = {0};
    bool aligned =
        dy && row_shifts(st, pair, dpi, ra.height, dy) && move_rows(&ra, dy, &moved) == 0;
    free(dy);
    if (!aligned)
        n += page_boxes(&st->old, st->old_changed, pair->old_page - 1, dpi, boxes + 4 * n,
                        MAX_BOXES - n);
    bp_cmp_picture pic = {.pair = (int)k};
    const char *prefix = opts->picture_prefix ? opts->picture_prefix : "";
    snprintf(pic.old_png, sizeof pic.old_png, "%sp%03d-old.png", prefix, pair->new_page);
    snprintf(pic.new_png, sizeof pic.new_png, "%sp%03d-new.png", prefix, pair->new_page);
    snprintf(pic.diff_png, sizeof pic.diff_png, "%sp%03d-diff.png", prefix, pair->new_page);
    long counted = ra.width == rb.width && ra.height == rb.height
                       ? cmp_picture_write(&ra, &rb, aligned ? &moved : &ra, boxes, n, dpi,
                                           opts->picture_dir, prefix, &pic)
                       : -1;
    free(moved.pixels);
    bp_raster_free(&ra);
    bp_raster_free(&rb);
    if (counted < 0)
        return;
    pair->pixels_differ = counted > 0;
    if (pair->status == BP_PAGE_SAME && counted == 0)
        return; /* drawn because the fonts differ, and nothing shows it */
    bp_cmp_picture *pics = realloc(c->pictures, (c->picture_count + 1) * sizeof *pics);
    if (!pics) {
        st->failed = true;
        return;
    }
    c->pictures = pics;
    c->pictures[c->picture_count++] = pic;
    if (counted > 0 && (pair->status == BP_PAGE_SAME || pair->status == BP_PAGE_SHIFTED)) {
        bp_change ch = {.kind = BP_CHANGE_PIXELS,
                        .cls = BP_CLASS_LAYOUT,
                        .old_page = pair->old_page,
                        .new_page = pair->new_page};
        ch.message = cmp_printf(st, "第 %d 页有图像差异（%ld 像素）而内容记录相同：字体文件已变",
                                pair->new_page, counted);
        cmp_add_change(st, &ch);
    }
}

static void font_change(cmp_state *st, const bp_record *a, const bp_record *b)
{
    for (int i = 0; i < a->face_count || i < b->face_count; i++) {
        const bp_record_face *fa = i < a->face_count ? &a->faces[i] : NULL;
        const bp_record_face *fb = i < b->face_count ? &b->faces[i] : NULL;
        if (fa && fb && fa->size == fb->size && strcmp(fa->head_sha256, fb->head_sha256) == 0)
            continue;
        bp_change ch = {.kind = BP_CHANGE_FONT_FILE, .cls = BP_CLASS_LAYOUT};
        ch.message =
            cmp_printf(st, "字体文件已变：%s → %s", fa ? fa->name : "无", fb ? fb->name : "无");
        cmp_add_change(st, &ch);
    }
}

void cmp_pictures(cmp_state *st, const bp_compare_options *opts)
{
    bp_comparison *c = st->c;
    int dpi = opts->dpi > 0 ? opts->dpi : 100;
    bool fonts_differ = !same_fonts(&st->old.rec, &st->new.rec);
    if (fonts_differ)
        font_change(st, &st->old.rec, &st->new.rec);
    bool any = false;
    for (size_t k = 0; k < c->page_count && !any; k++)
        any = wants_picture(&c->pages[k], fonts_differ);
    if (!any)
        return;
    drawn_side a = {0}, b = {0};
    char why[256] = "";
    int *boxes = malloc(4 * MAX_BOXES * sizeof *boxes);
    if (boxes && open_side(&a, &st->old, st->old_src, dpi, why, sizeof why) == 0 &&
        open_side(&b, &st->new, st->new_src, dpi, why, sizeof why) == 0) {
        for (size_t k = 0; k < c->page_count && !st->failed; k++)
            if (wants_picture(&c->pages[k], fonts_differ))
                draw_pair(st, &a, &b, k, dpi, opts, boxes);
    } else if (why[0])
        snprintf(c->why, sizeof c->why, "no pictures: %s", why);
    close_side(&a);
    close_side(&b);
    free(boxes);
}

/*
 * foreign.c: two PDFs compared when one at least carries no record (made by another program,
 * or changed by one after budgetpress wrote it): pages paired by their text, then drawn by
 * poppler and compared by their pixels with the same rule as the pictures (pictures.c).
 *
 * Stage: compare, instead of side.c … pagemap.c. Poppler draws both sides in one run on one
 * machine, so its own rendering cannot differ between them.
 *
 * Poppler's GLib interface keeps process-wide state (its global parameters, font caches) that
 * is not documented as safe to share between threads: the one lock below serialises its use.
 * It is the comparer's only shared state, and guards a library, not data of ours.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include "compare_int.h"

#include <cairo.h>
#include <limits.h>
#include <math.h>
#include <poppler.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t poppler_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct foreign_doc {
    PopplerDocument *doc;
    int pages;
    uint64_t *keys; /* each page's text, hashed, made unique by its occurrence */
} foreign_doc;

static int open_doc(const char *path, foreign_doc *d, char *why, size_t why_size)
{
    memset(d, 0, sizeof *d);
    char full[PATH_MAX];
    GError *error = NULL;
    gchar *uri = realpath(path, full) ? g_filename_to_uri(full, NULL, &error) : NULL;
    d->doc = uri ? poppler_document_new_from_file(uri, NULL, &error) : NULL;
    g_free(uri);
    if (!d->doc) {
        snprintf(why, why_size, "%s: poppler cannot read it (%s)", path,
                 error ? error->message : "no such file");
        if (error)
            g_error_free(error);
        return -1;
    }
    d->pages = poppler_document_get_n_pages(d->doc);
    d->keys = calloc((size_t)d->pages + 1, sizeof *d->keys);
    if (!d->keys)
        return -1;
    for (int i = 0; i < d->pages; i++) {
        PopplerPage *page = poppler_document_get_page(d->doc, i);
        char *text = page ? poppler_page_get_text(page) : NULL;
        /* Spaces aside, as extraction spaces the same words differently as they move; digits
         * aside, so that a page keeps its key when it is renumbered (its folio, the contents'
         * page numbers) or an amount on it changes: the pixels then say what changed. */
        bp_strbuf squeezed = BP_STRBUF_INIT;
        for (const char *p = text ? text : ""; *p; p++)
            if (!strchr(" \n\t\r0123456789", *p))
                bp_strbuf_putc(&squeezed, *p);
        d->keys[i] = cmp_unique_key(d->keys, (size_t)i, cmp_hash(bp_strbuf_cstr(&squeezed), 7));
        bp_strbuf_free(&squeezed);
        g_free(text);
        if (page)
            g_object_unref(page);
    }
    return 0;
}

static void close_doc(foreign_doc *d)
{
    if (d->doc)
        g_object_unref(d->doc);
    free(d->keys);
}

/* Draws a page in grey at dpi, sized as pdftoppm sizes it. */
static int draw(foreign_doc *d, int index, int dpi, bp_raster *out)
{
    PopplerPage *page = poppler_document_get_page(d->doc, index);
    if (!page)
        return -1;
    double w, h;
    poppler_page_get_size(page, &w, &h);
    if (bp_raster_init(out, (bp_len)(w * 1000), (bp_len)(h * 1000), dpi) != 0) {
        g_object_unref(page);
        return -1;
    }
    cairo_surface_t *surface =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, out->width, out->height);
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 72.0, dpi / 72.0);
    poppler_page_render_for_printing(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    const unsigned char *data = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    for (int y = 0; data && y < out->height; y++)
        for (int x = 0; x < out->width; x++) {
            uint32_t px = *(const uint32_t *)(data + (size_t)y * stride + (size_t)x * 4);
            unsigned r = (px >> 16) & 255, g = (px >> 8) & 255, b = px & 255;
            out->pixels[(size_t)y * out->width + x] =
                (unsigned char)((r * 299 + g * 587 + b * 114) / 1000);
        }
    cairo_surface_destroy(surface);
    g_object_unref(page);
    return data ? 0 : -1;
}

typedef struct foreign_run {
    bp_comparison *c;
    foreign_doc *a, *b;
    const bp_compare_options *opts;
    int dpi;
    size_t change_capacity, page_capacity;
    bool failed;
} foreign_run;

static void add_change(foreign_run *f, int old_page, int new_page, const char *message)
{
    cmp_state st = {.c = f->c, .change_capacity = f->change_capacity};
    bp_change ch = {.kind = BP_CHANGE_PIXELS_ONLY,
                    .cls = BP_CLASS_DATA,
                    .old_page = old_page,
                    .new_page = new_page,
                    .message = message};
    cmp_add_change(&st, &ch);
    f->change_capacity = st.change_capacity;
    f->failed = f->failed || st.failed;
}

static bp_page_pair *add_pair(foreign_run *f, int old_page, int new_page)
{
    bp_comparison *c = f->c;
    void *grown = bp_grow(c->pages, &f->page_capacity, c->page_count + 1, sizeof *c->pages, 32);
    if (!grown) {
        f->failed = true;
        return NULL;
    }
    c->pages = grown;
    bp_page_pair *p = &c->pages[c->page_count++];
    *p = (bp_page_pair){.old_page = old_page + 1,
                        .new_page = new_page + 1,
                        .status = old_page < 0   ? BP_PAGE_ADDED
                                  : new_page < 0 ? BP_PAGE_REMOVED
                                                 : BP_PAGE_SAME,
                        .cause = -1};
    char message[96];
    if (old_page < 0) {
        snprintf(message, sizeof message, "新增第 %d 页", new_page + 1);
        add_change(f, 0, new_page + 1, message);
    } else if (new_page < 0) {
        snprintf(message, sizeof message, "删除原第 %d 页", old_page + 1);
        add_change(f, old_page + 1, 0, message);
    }
    return p;
}

static void compare_pair(foreign_run *f, int i, int j)
{
    bp_page_pair *pair = add_pair(f, i, j);
    if (!pair)
        return;
    bp_raster ra = {0}, rb = {0};
    if (draw(f->a, i, f->dpi, &ra) != 0 || draw(f->b, j, f->dpi, &rb) != 0) {
        bp_raster_free(&ra);
        f->failed = true;
        return;
    }
    char message[160];
    if (ra.width != rb.width || ra.height != rb.height) {
        pair->status = BP_PAGE_SIZE;
        snprintf(message, sizeof message, "第 %d 页页面尺寸改变（原第 %d 页）", j + 1, i + 1);
        add_change(f, i + 1, j + 1, message);
    } else {
        bp_cmp_picture pic = {.pair = (int)(pair - f->c->pages)};
        const char *prefix = f->opts && f->opts->picture_prefix ? f->opts->picture_prefix : "";
        snprintf(pic.old_png, sizeof pic.old_png, "%sp%03d-old.png", prefix, j + 1);
        snprintf(pic.new_png, sizeof pic.new_png, "%sp%03d-new.png", prefix, j + 1);
        snprintf(pic.diff_png, sizeof pic.diff_png, "%sp%03d-diff.png", prefix, j + 1);
        long body = 0, counted = cmp_picture_count(&ra, &rb, &body);
        bool text_same = f->a->keys[i] == f->b->keys[j];
        if (counted > 0 && body == 0 && text_same) {
            /* Only its head or foot differ, and its text but for digits is the same: a page
             * renumbered, moved by a change before it. */
            pair->status = BP_PAGE_SHIFTED;
            pair->pixels_differ = true;
        } else if (counted > 0 || !text_same) {
            pair->status = BP_PAGE_CHANGED;
            pair->pixels_differ = counted > 0;
            pair->changes = 1;
            snprintf(message, sizeof message, "第 %d 页（原第 %d 页）%s%s（%ld 像素）", j + 1,
                     i + 1, text_same ? "" : "文字不同，", "像素不同", counted > 0 ? counted : 0);
            add_change(f, i + 1, j + 1, message);
            if (f->opts && f->opts->picture_dir &&
                cmp_picture_write(&ra, &rb, &ra, NULL, 0, f->dpi, f->opts->picture_dir, prefix,
                                  &pic) >= 0) {
                bp_cmp_picture *pics =
                    realloc(f->c->pictures, (f->c->picture_count + 1) * sizeof *pics);
                if (pics) {
                    f->c->pictures = pics;
                    f->c->pictures[f->c->picture_count++] = pic;
                }
            }
        }
    }
    bp_raster_free(&ra);
    bp_raster_free(&rb);
}

static void pair_gap(foreign_run *f, int a0, int a1, int b0, int b1)
{
    int a = a0, b = b0;
    for (; a < a1 && b < b1 && !f->failed; a++, b++)
        compare_pair(f, a, b);
    for (; a < a1; a++)
        add_pair(f, a, -1);
    for (; b < b1; b++)
        add_pair(f, -1, b);
}

static void compare_docs(foreign_run *f)
{
    long *a_to_b = malloc(((size_t)f->a->pages + 1) * sizeof *a_to_b);
    bool *in_order = malloc((size_t)f->a->pages + 1);
    if (!a_to_b || !in_order ||
        cmp_align(f->a->keys, (size_t)f->a->pages, f->b->keys, (size_t)f->b->pages, a_to_b,
                  in_order) != 0) {
        f->failed = true;
    } else {
        int a_prev = 0, b_prev = 0;
        for (int i = 0; i <= f->a->pages && !f->failed; i++) {
            if (i < f->a->pages && !(a_to_b[i] >= 0 && in_order[i]))
                continue;
            int b_here = i < f->a->pages ? (int)a_to_b[i] : f->b->pages;
            pair_gap(f, a_prev, i, b_prev, b_here);
            if (i < f->a->pages)
                compare_pair(f, i, b_here);
            a_prev = i + 1;
            b_prev = b_here + 1;
        }
    }
    free(a_to_b);
    free(in_order);
}

void cmp_foreign(bp_comparison *c, const bp_compare_options *opts)
{
    foreign_doc a = {0}, b = {0};
    char why[512];
    foreign_run f = {.c = c, .a = &a, .b = &b, .opts = opts, .dpi = 100};
    if (opts && opts->dpi > 0)
        f.dpi = opts->dpi;
    pthread_mutex_lock(&poppler_lock);
    if (open_doc(c->old_path, &a, why, sizeof why) != 0 ||
        open_doc(c->new_path, &b, why, sizeof why) != 0) {
        c->status = BP_PAIR_UNREADABLE;
        snprintf(c->why, sizeof c->why, "%s", why);
    } else {
        compare_docs(&f);
        c->status = f.failed          ? BP_PAIR_UNREADABLE
                    : c->change_count ? BP_PAIR_DIFFERENT
                                      : BP_PAIR_SAME;
        if (f.failed)
            snprintf(c->why, sizeof c->why, "out of memory while comparing the pixels");
    }
    close_doc(&a);
    close_doc(&b);
    pthread_mutex_unlock(&poppler_lock);
}

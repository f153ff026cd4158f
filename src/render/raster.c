/*
 * raster.c: draws a page of the display list into an 8-bit grey image, the PNG backend's and
 * compare's picture of a page: glyphs through FreeType's outline rasteriser, rules and
 * rectangles as pixel-snapped boxes.
 *
 * Stage: backends, a sibling of the PDF backend over the same display list; it never shapes
 * and never chooses a position: each glyph goes where the run puts it (x + dx), at the run's
 * size, fake bold widening the outline by the run's bold_stroke as the PDF's stroke does. The
 * facts that shaped it:
 *
 * - The fontset keeps no FreeType face (FT_Face is not thread-safe), so a rasteriser opens its
 *   own library and faces over the fontset's font bytes (HarfBuzz's blob, already in memory):
 *   one rasteriser per thread, any number of them at once.
 * - A table page draws the same digits hundreds of times: glyph images are cached per face,
 *   glyph, size, weight and quarter-pixel offset (poppler's Splash quantises the same way).
 * - Rules of half a point are thinner than a pixel at screen resolutions; drawn with exact
 *   coverage they would be faint grey smears on two rows. They are snapped to whole pixels,
 *   at least one wide (the "stroke adjustment" PDF viewers apply), so a table's grid is crisp
 *   and agrees with pdftoppm's.
 *
 * Coordinates: the display list's 1/1000 pt from the top-left corner; pixels = pt * dpi / 72.
 */
#include "budgetpress/render.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_MODULE_H
#include FT_OUTLINE_H
#include <hb.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/util.h"

/* Sub-pixel steps of a glyph's position: quarter pixels. */
enum { SUBPIXELS = 4 };

/* A glyph's image: coverage 0..255, `left` and `top` from the pen's whole-pixel position
 * (top counts rows up from the baseline). */
typedef struct glyph_image {
    uint64_t key; /* 0: an empty slot */
    int left, top, width, rows;
    unsigned char *coverage; /* width x rows, top row first; NULL for an empty glyph */
} glyph_image;

struct bp_rasterizer {
    const bp_fontset *fonts;
    int dpi;
    struct FT_MemoryRec_ memory;
    FT_Library library;
    FT_Face faces[BP_MAX_FACES]; /* opened on first use */
    bool face_failed[BP_MAX_FACES];
    glyph_image *cache; /* open addressing, a power of two */
    size_t cache_size, cache_used;
    bp_arena *arena; /* the cached images' coverage */
    bp_diags *diags;
};

static void *ft_alloc(FT_Memory memory, long size)
{
    (void)memory;
    return malloc((size_t)size);
}

static void ft_free(FT_Memory memory, void *p)
{
    (void)memory;
    free(p);
}

static void *ft_realloc(FT_Memory memory, long old_size, long new_size, void *p)
{
    (void)memory;
    (void)old_size;
    return realloc(p, (size_t)new_size);
}

/* A FreeType library as the fontset's: not FT_Init_FreeType, which reads FREETYPE_PROPERTIES
 * from the environment (stem darkening, hinting engines), for the images must be the same on
 * every machine. */
static FT_Library start_freetype(struct FT_MemoryRec_ *memory)
{
    *memory = (struct FT_MemoryRec_){.alloc = ft_alloc, .free = ft_free, .realloc = ft_realloc};
    FT_Library library = NULL;
    if (FT_New_Library(memory, &library) != 0)
        return NULL;
    FT_Add_Default_Modules(library);
    return library;
}

bp_rasterizer *bp_rasterizer_create(const bp_fontset *fonts, int dpi, bp_diags *diags)
{
    bp_rasterizer *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->fonts = fonts;
    r->dpi = dpi;
    r->diags = diags;
    r->cache_size = 1024;
    r->cache = calloc(r->cache_size, sizeof *r->cache);
    r->arena = bp_arena_create();
    r->library = start_freetype(&r->memory);
    if (!r->cache || !r->arena || !r->library) {
        bp_rasterizer_destroy(r);
        return NULL;
    }
    return r;
}

void bp_rasterizer_destroy(bp_rasterizer *r)
{
    if (!r)
        return;
    for (int i = 0; i < BP_MAX_FACES; i++)
        if (r->faces[i])
            FT_Done_Face(r->faces[i]);
    if (r->library)
        FT_Done_Library(r->library);
    free(r->cache);
    bp_arena_destroy(r->arena);
    free(r);
}

/* The face over the fontset's bytes of the font file, opened once. */
static FT_Face face_of(bp_rasterizer *r, int id)
{
    if (id < 0 || id >= BP_MAX_FACES || id >= bp_fontset_face_count(r->fonts))
        return NULL;
    if (r->faces[id] || r->face_failed[id])
        return r->faces[id];
    const bp_face_info *info = bp_fontset_face(r->fonts, id);
    hb_blob_t *blob = hb_face_reference_blob(info->hb_face);
    unsigned size = 0;
    const char *data = hb_blob_get_data(blob, &size);
    /* The blob belongs to the fontset, which outlives every rasteriser: the bytes stay. */
    hb_blob_destroy(blob);
    if (!data || FT_New_Memory_Face(r->library, (const FT_Byte *)data, (FT_Long)size,
                                    (FT_Long)info->index, &r->faces[id]) != 0) {
        r->face_failed[id] = true;
        r->faces[id] = NULL;
        bp_diags_add(r->diags, BP_SEVERITY_ERROR, NULL, info->path, 0, 0, NULL,
                     "the image renderer (FreeType) cannot read face %u of this font file",
                     info->index);
    }
    return r->faces[id];
}

/* ---- The page ---- */

int bp_raster_init(bp_raster *raster, bp_len width, bp_len height, int dpi)
{
    /* Rounded up, as pdftoppm sizes its pages: a part-pixel at the edge is kept. */
    long long w = ((long long)width * dpi + 71999) / 72000;
    long long h = ((long long)height * dpi + 71999) / 72000;
    if (w <= 0 || h <= 0 || w > 30000 || h > 30000)
        return -1;
    raster->width = (int)w;
    raster->height = (int)h;
    raster->pixels = malloc((size_t)w * (size_t)h);
    if (!raster->pixels)
        return -1;
    memset(raster->pixels, 255, (size_t)w * (size_t)h);
    return 0;
}

void bp_raster_free(bp_raster *raster)
{
    free(raster->pixels);
    raster->pixels = NULL;
}

/* Darkens pixel (x, y) by coverage (0..255) of a colour `gray` (0 black .. 255 white). */
static inline void paint(bp_raster *raster, int x, int y, unsigned coverage, unsigned gray)
{
    if (x < 0 || y < 0 || x >= raster->width || y >= raster->height || coverage == 0)
        return;
    unsigned char *p = &raster->pixels[(size_t)y * (size_t)raster->width + (size_t)x];
    *p = (unsigned char)((*p * (255 - coverage) + gray * coverage + 127) / 255);
}

static double to_px(const bp_rasterizer *r, long long v)
{
    return (double)v * r->dpi / 72000.0;
}

/* ---- Rules and rectangles, snapped to whole pixels ---- */

/* An interval [a, b) in pixels, snapped: its edges rounded, at least one pixel. */
static void snap(double a, double b, int *from, int *to)
{
    *from = (int)lround(a);
    *to = (int)lround(b);
    if (*to <= *from) {
        *from = (int)floor((a + b) / 2);
        *to = *from + 1;
    }
}

static void fill_box(bp_raster *raster, double x0, double y0, double x1, double y1, unsigned gray)
{
    int ax, bx, ay, by;
    snap(x0 < x1 ? x0 : x1, x0 < x1 ? x1 : x0, &ax, &bx);
    snap(y0 < y1 ? y0 : y1, y0 < y1 ? y1 : y0, &ay, &by);
    for (int y = ay; y < by; y++)
        for (int x = ax; x < bx; x++)
            paint(raster, x, y, 255, gray);
}

static void draw_rule(const bp_rasterizer *r, bp_raster *raster, const bp_rule *rule)
{
    double half = to_px(r, rule->width) / 2;
    double x0 = to_px(r, rule->x0), y0 = to_px(r, rule->y0);
    double x1 = to_px(r, rule->x1), y1 = to_px(r, rule->y1);
    if (rule->y0 == rule->y1)
        fill_box(raster, x0, y0 - half, x1, y0 + half, 0);
    else if (rule->x0 == rule->x1)
        fill_box(raster, x0 - half, y0, x0 + half, y1, 0);
    else /* the display list draws no slanted rule; if one comes, its bounding box */
        fill_box(raster, x0, y0, x1, y1, 0);
}

static void draw_rect(const bp_rasterizer *r, bp_raster *raster, const bp_rect *rect)
{
    double x0 = to_px(r, rect->x), y0 = to_px(r, rect->y);
    double x1 = to_px(r, (long long)rect->x + rect->w), y1 = to_px(r, (long long)rect->y + rect->h);
    if (rect->fill)
        fill_box(raster, x0, y0, x1, y1, rect->fill_gray);
    if (rect->stroke_width > 0) {
        double half = to_px(r, rect->stroke_width) / 2;
        fill_box(raster, x0 - half, y0 - half, x1 + half, y0 + half, 0);
        fill_box(raster, x0 - half, y1 - half, x1 + half, y1 + half, 0);
        fill_box(raster, x0 - half, y0, x0 + half, y1, 0);
        fill_box(raster, x1 - half, y0, x1 + half, y1, 0);
    }
}

/* ---- Glyphs ---- */

static uint64_t glyph_key(int face, uint32_t id, bp_len size, bp_len bold, int fx, int fy)
{
    uint64_t h = 1469598103934665603ULL;
    uint64_t parts[] = {(uint64_t)face, id,           (uint64_t)size,
                        (uint64_t)bold, (uint64_t)fx, (uint64_t)fy};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        h = (h ^ parts[i]) * 1099511628211ULL;
    return h | 1; /* never 0, the empty slot */
}

static glyph_image *cache_slot(bp_rasterizer *r, uint64_t key)
{
    for (size_t i = key & (r->cache_size - 1);; i = (i + 1) & (r->cache_size - 1))
        if (r->cache[i].key == key || r->cache[i].key == 0)
            return &r->cache[i];
}

/* Doubles the cache when it is half full; false when out of memory (it stays as it was). */
static bool cache_grow(bp_rasterizer *r)
{
    if (r->cache_used * 2 < r->cache_size)
        return true;
    glyph_image *old = r->cache;
    size_t old_size = r->cache_size;
    r->cache = calloc(old_size * 2, sizeof *r->cache);
    if (!r->cache) {
        r->cache = old;
        return false;
    }
    r->cache_size = old_size * 2;
    for (size_t i = 0; i < old_size; i++)
        if (old[i].key)
            *cache_slot(r, old[i].key) = old[i];
    free(old);
    return true;
}

/* Renders glyph `id` at the run's size and weight, offset by (fx, fy) quarter pixels right
 * and down, into `out`. */
static int render_glyph(bp_rasterizer *r, FT_Face face, uint32_t id, const bp_glyph_run *run,
                        int fx, int fy, glyph_image *out)
{
    FT_F26Dot6 size = (FT_F26Dot6)(((long long)run->size * 64 + 500) / 1000);
    if (FT_Set_Char_Size(face, 0, size, (FT_UInt)r->dpi, (FT_UInt)r->dpi) != 0 ||
        FT_Load_Glyph(face, id, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0 ||
        face->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
        return -1;
    FT_Outline *outline = &face->glyph->outline;
    if (run->bold_stroke > 0) {
        /* The PDF strokes the outline with bold_stroke in the fill colour: half of it beyond
         * every edge, so the glyph grows by the whole width. */
        FT_Pos s = (FT_Pos)llround(to_px(r, run->bold_stroke) * 64);
        FT_Outline_EmboldenXY(outline, s, s);
    }
    FT_Outline_Translate(outline, fx * 64 / SUBPIXELS, -fy * 64 / SUBPIXELS);
    FT_BBox box;
    FT_Outline_Get_CBox(outline, &box);
    int x0 = (int)(box.xMin >> 6), y0 = (int)(box.yMin >> 6);
    int x1 = (int)((box.xMax + 63) >> 6), y1 = (int)((box.yMax + 63) >> 6);
    out->left = x0;
    out->top = y1;
    out->width = x1 - x0;
    out->rows = y1 - y0;
    out->coverage = NULL;
    if (out->width <= 0 || out->rows <= 0 || outline->n_points == 0) {
        out->width = out->rows = 0;
        return 0;
    }
    size_t bytes = (size_t)out->width * (size_t)out->rows;
    out->coverage = bp_arena_alloc(r->arena, bytes);
    if (!out->coverage)
        return -1;
    memset(out->coverage, 0, bytes);
    FT_Outline_Translate(outline, -x0 * 64, -y0 * 64);
    FT_Bitmap bitmap = {.rows = (unsigned)out->rows,
                        .width = (unsigned)out->width,
                        .pitch = out->width,
                        .buffer = out->coverage,
                        .num_grays = 256,
                        .pixel_mode = FT_PIXEL_MODE_GRAY};
    return FT_Outline_Get_Bitmap(r->library, outline, &bitmap) == 0 ? 0 : -1;
}

/* The cached image of a glyph, rendered on first use; NULL when it cannot be. */
static const glyph_image *glyph(bp_rasterizer *r, const bp_glyph_run *run, uint32_t id, int fx,
                                int fy)
{
    FT_Face face = face_of(r, run->face);
    if (!face || !cache_grow(r))
        return NULL;
    uint64_t key = glyph_key(run->face, id, run->size, run->bold_stroke, fx, fy);
    glyph_image *slot = cache_slot(r, key);
    if (slot->key == key)
        return slot;
    glyph_image image;
    if (render_glyph(r, face, id, run, fx, fy, &image) != 0)
        return NULL;
    image.key = key;
    *slot = image;
    r->cache_used++;
    return slot;
}

static void blit(bp_raster *raster, const glyph_image *g, int x, int y)
{
    for (int row = 0; row < g->rows; row++)
        for (int col = 0; col < g->width; col++)
            paint(raster, x + g->left + col, y - g->top + row,
                  g->coverage[(size_t)row * (size_t)g->width + (size_t)col], 0);
}

static int draw_run(bp_rasterizer *r, bp_raster *raster, const bp_glyph_run *run)
{
    double y = to_px(r, run->y);
    int base_y = (int)floor(y);
    int fy = (int)((y - base_y) * SUBPIXELS);
    for (size_t i = 0; i < run->count; i++) {
        double x = to_px(r, (long long)run->x + run->dx[i]);
        int base_x = (int)floor(x);
        int fx = (int)((x - base_x) * SUBPIXELS);
        const glyph_image *g = glyph(r, run, run->ids[i], fx, fy);
        if (!g)
            return -1;
        blit(raster, g, base_x, base_y);
    }
    return 0;
}

int bp_rasterizer_draw(bp_rasterizer *r, const bp_page *page, bp_raster *raster)
{
    if (bp_raster_init(raster, page->width, page->height, r->dpi) != 0)
        return -1;
    for (size_t i = 0; i < page->count; i++) {
        const bp_item *item = &page->items[i];
        int rc = 0;
        switch (item->kind) {
        case BP_ITEM_GLYPHS:
            rc = draw_run(r, raster, &item->u.glyphs);
            break;
        case BP_ITEM_RULE:
            draw_rule(r, raster, &item->u.rule);
            break;
        case BP_ITEM_RECT:
            draw_rect(r, raster, &item->u.rect);
            break;
        case BP_ITEM_LINK:
            break;
        }
        if (rc != 0) {
            bp_raster_free(raster);
            return -1;
        }
    }
    return 0;
}

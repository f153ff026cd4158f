/*
 * render.h: backends that turn a display list (page.h) into a file: PDF, and images of pages
 * (PNG), siblings over the same display list.
 *
 * The PDF backend embeds every face the document uses as a true subset (only the glyphs used),
 * writes a ToUnicode map so the text extracts exactly, and writes the document's metadata,
 * outline and links. Output is reproducible: the same document gives the same bytes.
 *
 * Thread-safe: each call uses its own libharu document; the fontset is only read.
 */
#ifndef BUDGETPRESS_RENDER_H
#define BUDGETPRESS_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"
#include "diag.h"
#include "page.h"
#include "text.h"

/* Receives the output in pieces; returns 0, or non-zero to abort the render. */
typedef int (*bp_write_fn)(void *ctx, const void *data, size_t size);

typedef struct bp_pdf_options {
    bool uncompressed; /* write streams uncompressed (for debugging); default compressed */
    int threads;       /* threads building page content (0 or 1: the caller's only); the
                          output is the same bytes whatever the number */
    bool untagged;     /* leave the structure tree out (a document that has one is written as a
                          tagged PDF by default: marked content, StructTreeRoot, /Lang) */
} bp_pdf_options;

/* Renders the document as PDF through write. Returns 0, or -1 with diagnostics added. opts
 * may be NULL for the defaults. */
BP_API int bp_render_pdf(const bp_document *doc, const bp_fontset *fonts,
                         const bp_pdf_options *opts, bp_write_fn write, void *ctx, bp_diags *diags);

/* Renders into path: writes a temporary file beside it and renames it into place, so path is
 * either the whole new PDF or untouched, never a partial file. Returns 0, or -1 with
 * diagnostics added. */
BP_API int bp_render_pdf_file(const bp_document *doc, const bp_fontset *fonts,
                              const bp_pdf_options *opts, const char *path, bp_diags *diags);

/* ---- Images of pages (raster.c, png.c) ----
 * The same display list drawn as pixels: glyphs through FreeType from the fontset's own font
 * bytes, fake bold as wide as the PDF's stroke, rules and rectangles snapped to whole pixels.
 * A rasteriser belongs to one thread; any number may draw at once over one fontset. */

/* An 8-bit grey image, row-major, top row first: 0 black, 255 white (the paper). */
typedef struct bp_raster {
    int width, height;
    unsigned char *pixels;
} bp_raster;

typedef struct bp_rasterizer bp_rasterizer;

/* NULL when out of memory. Problems reading a face are added to diags when drawing. */
BP_API bp_rasterizer *bp_rasterizer_create(const bp_fontset *fonts, int dpi, bp_diags *diags);
BP_API void bp_rasterizer_destroy(bp_rasterizer *r);
/* A white raster of a page's size at dpi (pt * dpi / 72, rounded up as pdftoppm does). -1 when out
 * of memory or larger than 30,000 pixels a side. */
BP_API int bp_raster_init(bp_raster *raster, bp_len width, bp_len height, int dpi);
BP_API void bp_raster_free(bp_raster *raster);
/* Draws a page into a new raster (free it with bp_raster_free). Returns 0, or -1: out of
 * memory, or a face that cannot be read (said in the rasteriser's diags). */
BP_API int bp_rasterizer_draw(bp_rasterizer *r, const bp_page *page, bp_raster *out);

/* Writes the raster as a greyscale PNG stating its resolution; the same raster always gives
 * the same bytes. Returns 0, or -1 with a diagnostic. */
BP_API int bp_raster_write_png(const bp_raster *raster, int dpi, bp_write_fn write, void *ctx,
                               bp_diags *diags);
/* The same for an RGB image (3 bytes a pixel, row-major, top row first): compare's pictures. */
BP_API int bp_rgb_write_png(int width, int height, const unsigned char *rgb, int dpi,
                            bp_write_fn write, void *ctx, bp_diags *diags);
/* Draws page `index` of doc and writes it to path as PNG, through a temporary renamed into
 * place. Returns 0, or -1 with diagnostics added. */
BP_API int bp_render_png_file(bp_rasterizer *r, const bp_document *doc, size_t index, int dpi,
                              const char *path, bp_diags *diags);

#endif

/*
 * render.h: backends that turn a display list (page.h) into a file. PDF now, PNG later.
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

#endif

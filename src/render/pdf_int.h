/*
 * pdf_int.h: the state of one PDF render, shared by the files of the PDF backend: pdf.c (the
 * document: pages, links, outline, metadata, output), pdf_fonts.c (the embedded subset fonts)
 * and pdf_content.c (the page content streams). Nothing outside src/render/ includes this.
 *
 * libharu writes the file's objects, cross-reference table and compression; we build the fonts
 * and the content streams ourselves through its low-level object API, because its own font
 * loader cannot take HarfBuzz glyph ids (measured on libhpdf 2.3.0).
 * That API reaches into structs (HPDF_Doc_Rec, HPDF_PageAttr_Rec, HPDF_Dict_Rec) whose layouts
 * are those of the installed libhpdf 2.3.0 headers: this code is tied to that version.
 *
 * A pdf_render belongs to the one thread running the render; nothing here is global.
 */
#ifndef BP_RENDER_PDF_INT_H
#define BP_RENDER_PDF_INT_H

#include <hb-subset.h>
#include <hb.h>
#include <hpdf.h>
#include <stdbool.h>
#include <stdint.h>
#include <zlib.h>

#include "budgetpress/render.h"
#include "../util/util.h"
#include "subset.h"

/* The blocks libharu holds for one render (pdf.c). */
typedef struct pdf_hpdf_blocks {
    struct hpdf_block *head;
    bool failed; /* an allocation failed: nothing more is freed before the end */
} pdf_hpdf_blocks;

/* How much of each page's content digest the record's piece keeps: a page edited by another
 * tool is told from the one described with a chance of 2^-64 of a miss. */
enum { PDF_PAGE_DIGEST = 8 };

typedef struct pdf_render {
    HPDF_Doc pdf;
    pdf_hpdf_blocks hpdf_blocks; /* what libharu allocated, freed with the render */
    const bp_document *doc;
    const bp_fontset *fonts;
    bool compress; /* Flate-compress our streams (the fonts, ToUnicode) */
    bp_diags *diags;
    const char *file;     /* the output's name for diagnostics, or NULL */
    const char *step;     /* what the render is doing, named in libharu error messages */
    HPDF_STATUS error_no; /* the first error libharu reported, 0 when none */
    HPDF_STATUS detail_no;
    subset subset;                      /* the fonts the document draws, subset (subset.h) */
    HPDF_Dict fonts_used[BP_MAX_FACES]; /* each drawn face's Type0 font, which pages name */
    HPDF_Page *pages;                   /* libharu's page for each display-list page */
    int threads; /* threads that build content streams (1: none besides the caller) */
    unsigned char document_id[32]; /* SHA-256 of the pages' content; the first 16 bytes are /ID */
    unsigned char *page_digests;   /* PDF_PAGE_DIGEST bytes a page: the SHA-256 of its content
                                      stream as written, cut short */
    bool tagged;                   /* the document has a structure tree: a tagged PDF */
    struct pdf_tags *tags;         /* the structure tree on its way into the file (pdf_tags.c) */
    struct pdf_record_job *record; /* the record being made (pdf_record.c) */
} pdf_render;

/* Adds an error diagnostic about this render; returns -1 so callers can `return pdf_fail(…)`. */
int pdf_fail(pdf_render *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Turns a failed libharu call into a diagnostic naming its error code and r->step; returns -1.
 * Used after any libharu call returned an error status or NULL. */
int pdf_hpdf_failed(pdf_render *r);

/* A new stream object holding data, Flate-compressed unless the render is uncompressed; NULL
 * when libharu fails (out of memory). */
HPDF_Dict pdf_new_stream(pdf_render *r, const void *data, size_t size);

/* The document's record (page.h) in the catalog's page-piece dictionary (pdf_record.c):
 * started first (made on a thread of its own while the pages are built), then stored; each
 * returns 0, or -1 with a diagnostic. pdf_record_free waits for the thread and frees it. */
int pdf_record_start(pdf_render *r);
int pdf_record_add(pdf_render *r);
void pdf_record_free(pdf_render *r);
/* A tagged PDF's record, for the update (pdf_tags.c): the object number of the placeholder it
 * replaces and its deflated bytes. 0; 1 when the record is not the update's (libharu wrote it);
 * -1 with a diagnostic when it could not be made. */
int pdf_record_for_update(pdf_render *r, uint32_t *object, const unsigned char **data,
                          size_t *size);

/* XMP metadata matching /Info and the sRGB output intent: what makes the file PDF/A-2b
 * (pdf_archive.c). After set_info. Returns 0, or -1 with a diagnostic. */
int pdf_archive_add(pdf_render *r);

/* Subsets every face the document draws (subset.h) and builds its Type0 font (CIDFontType2,
 * Identity-H, FontFile2, W, FontDescriptor, ToUnicode) in the document. Returns 0, or -1 with a
 * diagnostic. */
int pdf_fonts_embed(pdf_render *r);
/* Frees what pdf_fonts_embed allocated outside libharu. */
void pdf_fonts_free(pdf_render *r);

/* ---- Tagged PDF (pdf_tags.c) ----
 * The structure tree of the display list, written as a tagged PDF (ISO 32000-1, 14.7–14.8):
 * marked content in the pages (pdf_content.c), /StructParents on pages and /StructParent on
 * link annotations, and the tree itself in compressed object streams appended as an update
 * after libharu's file, because libharu writes every object plainly and a tree of a hundred
 * thousand cells would then weigh more than the pages it describes. */
/* Whether a run is a structure element's content (else an artifact). */
static inline bool pdf_tags_run_is_content(const bp_glyph_run *run)
{
    return run->node != 0 && !run->artifact && run->count > 0;
}
/* Whether the content run at items[index] opens a marked-content sequence (an MCID) of its
 * own; else it continues the sequence of the run just before it, of the same node (the lines
 * of a paragraph, of a cell): fewer MCIDs, a smaller parent tree. */
static inline bool pdf_tags_opens_mark(const bp_page *page, size_t index)
{
    if (index == 0)
        return true;
    const bp_item *prev = &page->items[index - 1];
    return prev->kind != BP_ITEM_GLYPHS || !pdf_tags_run_is_content(&prev->u.glyphs) ||
           prev->u.glyphs.node != page->items[index].u.glyphs.node;
}
/* Counts the marked content of every node, sets /StructParents, /StructParent, the catalog's
 * /MarkInfo, /Lang, /ViewerPreferences and /StructTreeRoot. After the pages and links, before
 * saving. Returns 0, or -1 with a diagnostic. */
int pdf_tags_prepare(pdf_render *r);
/* Writes the update holding the structure tree after libharu's `base_size` bytes, whose
 * cross-reference table starts at `base_xref`. Returns 0, or -1 with a diagnostic (or the
 * writer's refusal, reported when report_refusal). */
int pdf_tags_write_update(pdf_render *r, bp_write_fn write, void *ctx, size_t base_size,
                          size_t base_xref, bool report_refusal);
void pdf_tags_free(pdf_render *r);

/* One page's content stream on its way into the document. Pages are built in parallel: the
 * fonts are named on each libharu page first (libharu is not thread-safe), then worker threads
 * write and deflate the operators from read-only inputs, then the streams are handed to
 * libharu one by one. */
typedef struct pdf_page_stream {
    const char *font_names[BP_MAX_FACES]; /* the page's resource name of each face it draws */
    unsigned char *data;                  /* the operators, deflated when `deflated` */
    size_t size;
    bool deflated;
    bool failed;              /* out of memory while building */
    unsigned char digest[32]; /* SHA-256 of data, for the document ID */
} pdf_page_stream;

/* Adds every face page `index` draws to its resources and records their names. Not
 * thread-safe (libharu). Returns 0, or -1 with a diagnostic. */
int pdf_content_register_fonts(pdf_render *r, size_t index, pdf_page_stream *ps);
/* What one thread reuses from page to page: the operators' buffer and a deflate stream. */
typedef struct pdf_content_scratch {
    bp_strbuf content;
    z_stream z;
    bool z_ready;
    int level; /* zlib's compression level for this document's pages */
} pdf_content_scratch;

#define PDF_CONTENT_SCRATCH_INIT                                                                   \
    {                                                                                              \
        BP_STRBUF_INIT, {0}, false, Z_DEFAULT_COMPRESSION                                          \
    }

/* Writes page `index`'s operators (glyph runs, rules, rectangles) into ps, deflated when the
 * render compresses. Reads r and the document only: any number of pages may be built at once
 * on different threads, each with its own ps and scratch. Sets ps->failed on failure, reports
 * nothing. */
void pdf_content_build(const pdf_render *r, size_t index, pdf_page_stream *ps,
                       pdf_content_scratch *scratch);
void pdf_content_scratch_free(pdf_content_scratch *scratch);
/* Hands a built stream to libharu's page and frees it. Returns 0, or -1 with a diagnostic. */
int pdf_content_attach(pdf_render *r, size_t index, pdf_page_stream *ps);

#endif

/*
 * fuzz_support.c: the reference layout and fonts for the fuzz targets, and the stages after
 * loading run end to end with the PDF written to nowhere.
 */
#include "fuzz_support.h"

#include <stdio.h>
#include <stdlib.h>

#include "budgetpress/check.h"

void fuzz_load_reference(bp_layout **layout, bp_fontset **fonts)
{
    bp_diags diags = BP_DIAGS_INIT;
    *layout = bp_layout_load_file(BP_SOURCE_DIR "/layouts/unit-2022.json",
                                  BP_SOURCE_DIR "/fonts/fonts.json", &diags);
    *fonts = *layout ? bp_fontset_load(&(*layout)->fonts, &diags) : NULL;
    for (size_t i = 0; i < diags.count; i++)
        bp_diag_print(stderr, &diags.items[i]);
    bp_diags_clear(&diags);
    if (!*fonts)
        abort();
}

static int write_nowhere(void *ctx, const void *data, size_t size)
{
    (void)data;
    *(size_t *)ctx += size;
    return 0;
}

void fuzz_typeset_and_write(const bp_unit *unit, const bp_layout *layout, const bp_fontset *fonts)
{
    bp_diags diags = BP_DIAGS_INIT;
    bp_document *doc = bp_typeset(unit, layout, fonts, &diags);
    if (doc) {
        size_t written = 0;
        bp_pdf_options opts = {.threads = 1};
        bp_render_pdf(doc, fonts, &opts, write_nowhere, &written, &diags);
        /* The other backend over the same list: the last page as a small image, as PNG. */
        bp_rasterizer *r = bp_rasterizer_create(fonts, 24, &diags);
        bp_raster raster;
        size_t last = bp_document_page_count(doc);
        if (r && last && bp_rasterizer_draw(r, bp_document_page(doc, last - 1), &raster) == 0) {
            bp_raster_write_png(&raster, 24, write_nowhere, &written, &diags);
            bp_raster_free(&raster);
        }
        bp_rasterizer_destroy(r);
    }
    bp_document_destroy(doc);
    bp_diags_clear(&diags);
}

/*
 * subset.h: the fonts a document draws, subset (subset.c): for every face, the glyphs used,
 * the subset font file, each subset glyph's advance and the text it stands for. Shared by the
 * backends that embed fonts; nothing here knows a file format. Internal to src/render/.
 *
 * A subset belongs to one render on one thread; the texts point into the document, which
 * outlives it.
 */
#ifndef BP_RENDER_SUBSET_H
#define BP_RENDER_SUBSET_H

#include <hb-subset.h>
#include <hb.h>
#include <stddef.h>

#include "budgetpress/diag.h"
#include "budgetpress/page.h"
#include "budgetpress/text.h"

/* The text a subset glyph stands for: a slice of a run's UTF-8. */
typedef struct subset_glyph_text {
    const char *utf8; /* NULL: no text seen for this glyph */
    size_t len;
} subset_glyph_text;

/* How a face's outlines are stored, which decides how a PDF embeds it. */
typedef enum subset_flavour {
    SUBSET_TRUETYPE, /* glyf: a CIDFontType2 with FontFile2 */
    SUBSET_CFF,      /* CFF (CID-keyed, as the CJK fonts are): a CIDFontType0 with FontFile3
                        /CIDFontType0C; the subset keeps the original glyph ids */
} subset_flavour;

/* One face as the document uses it; a face it never draws keeps used == NULL. */
typedef struct subset_face {
    subset_flavour flavour;
    hb_set_t *used;         /* glyph ids of the original face that the document draws */
    hb_subset_plan_t *plan; /* owns old_to_new */
    const hb_map_t *old_to_new;
    unsigned glyph_count;     /* glyphs in the subset, ids 0 .. glyph_count-1 */
    hb_blob_t *file;          /* the subset font file */
    uint32_t *codes;          /* each subset glyph's code in a content stream: its id, or for a
                                 CFF its CID (subset.c, compute_codes) */
    double *widths;           /* each subset glyph's advance in 1/1000 em, as a 32-bit float
                                 (what a PDF's W array says and a viewer reads) */
    subset_glyph_text *texts; /* each subset glyph's text (only a cluster's first glyph) */
} subset_face;

typedef struct subset {
    subset_face faces[BP_MAX_FACES];
} subset;

/* Checks every glyph run of doc, then subsets every face it draws. Returns 0, or -1 with a
 * diagnostic about `file` (the output's name, or NULL). */
int subset_build(subset *s, const bp_document *doc, const bp_fontset *fonts, bp_diags *diags,
                 const char *file);
void subset_free(subset *s);

/* The subset's glyph for an original one; 0 (.notdef) when the subset lacks it. */
static inline unsigned subset_glyph(const subset_face *face, uint32_t id)
{
    hb_codepoint_t g = hb_map_get(face->old_to_new, id);
    return g == HB_MAP_VALUE_INVALID || g >= face->glyph_count ? 0 : g;
}

#endif

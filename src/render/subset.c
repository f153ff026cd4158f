/*
 * subset.c: which glyphs of which faces a document draws, each used face subset to them
 * (hb-subset, keeping nothing a viewer does not read), each subset glyph's advance and the
 * text it stands for: what a backend embedding fonts needs, known to no file format.
 *
 * Stage: backends, below the PDF backend (pdf_fonts.c builds the font objects from it) and
 * any other that embeds fonts. Never shapes, never measures for layout. The runs are checked
 * here too (a face the fontset lacks, text that is no UTF-8, a cluster past the text): a
 * display list built by hand must not make a backend read past an array.
 */
#include "subset.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_CID_H

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/util.h"

/* One call's inputs and where its problems go. */
typedef struct subset_job {
    subset *s;
    const bp_document *doc;
    const bp_fontset *fonts;
    bp_diags *diags;
    const char *file;
} subset_job;

static int fail(subset_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(subset_job *j, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bp_diags_vadd(j->diags, BP_SEVERITY_ERROR, NULL, j->file, 0, 0, NULL, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- Which glyphs the document draws ---- */

static int check_run(subset_job *j, const bp_glyph_run *run, size_t page)
{
    if (!bp_fontset_face(j->fonts, run->face))
        return fail(j, "page %zu: a glyph run names face %u, which the fontset does not have",
                    page + 1, (unsigned)run->face);
    if (!bp_utf8_valid(run->text, run->text_len))
        return fail(j, "page %zu: a glyph run's text is not valid UTF-8", page + 1);
    for (size_t i = 0; i < run->count; i++)
        if (run->clusters[i] > run->text_len)
            return fail(j, "page %zu: glyph %zu of a run points past the end of its text", page + 1,
                        i);
    if (run->size <= 0)
        return fail(j, "page %zu: a glyph run has a font size of zero or less", page + 1);
    return 0;
}

static int add_run_glyphs(subset_job *j, const bp_glyph_run *run)
{
    subset_face *face = &j->s->faces[run->face];
    if (!face->used) {
        face->used = hb_set_create();
        hb_set_add(face->used, 0); /* .notdef always stays in a TrueType subset */
    }
    for (size_t i = 0; i < run->count; i++)
        hb_set_add(face->used, run->ids[i]);
    if (!hb_set_allocation_successful(face->used))
        return fail(j, "out of memory while collecting the glyphs of face %u", (unsigned)run->face);
    return 0;
}

static int collect(subset_job *j)
{
    size_t page_count = bp_document_page_count(j->doc);
    for (size_t p = 0; p < page_count; p++) {
        const bp_page *page = bp_document_page(j->doc, p);
        for (size_t i = 0; i < page->count; i++) {
            if (page->items[i].kind != BP_ITEM_GLYPHS)
                continue;
            const bp_glyph_run *run = &page->items[i].u.glyphs;
            if (check_run(j, run, p) != 0 || add_run_glyphs(j, run) != 0)
                return -1;
        }
    }
    return 0;
}

/* Tables a PDF viewer never reads from an embedded TrueType font: layout (the text is already
 * shaped) and vertical metrics (we only set horizontal text). Dropping them saves bytes. */
static void drop_unused_tables(hb_subset_input_t *input)
{
    static const char *const tags[] = {"GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "vhea",
                                       "vmtx", "VORG", "kern", "morx", "mort", "DSIG"};
    hb_set_t *drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        hb_set_add(drop, hb_tag_from_string(tags[i], 4));
}

/* A CFF face's subset is embedded as its CFF table alone (FontFile3 /CIDFontType0C): the other
 * tables are left out of the subset, not made and thrown away. Subsetting the character map,
 * the names and the metrics of a CJK face for nothing took half of its subsetting time. maxp
 * stays: it gives the subset's glyph count. */
static void keep_only_cff(hb_subset_input_t *input, hb_face_t *face)
{
    hb_set_t *drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    hb_tag_t tags[64];
    unsigned count = 64;
    for (unsigned start = 0;; start += count, count = 64) {
        hb_face_get_table_tags(face, start, &count, tags);
        for (unsigned i = 0; i < count; i++)
            if (tags[i] != HB_TAG('C', 'F', 'F', ' ') && tags[i] != HB_TAG('m', 'a', 'x', 'p'))
                hb_set_add(drop, tags[i]);
        if (count < 64)
            break;
    }
}

static bool has_table(hb_face_t *face, const char *tag)
{
    hb_blob_t *blob = hb_face_reference_table(face, hb_tag_from_string(tag, 4));
    bool has = hb_blob_get_length(blob) > 0;
    hb_blob_destroy(blob);
    return has;
}

/* The face's flavour, or a diagnostic for outlines no PDF font of ours can carry (CFF2, the
 * variable fonts' table, would need PDF 2.0's OpenType embedding: refused, never written as
 * something it is not). */
static int find_flavour(subset_job *j, const bp_face_info *info, subset_flavour *flavour)
{
    if (has_table(info->hb_face, "glyf"))
        *flavour = SUBSET_TRUETYPE;
    else if (has_table(info->hb_face, "CFF "))
        *flavour = SUBSET_CFF;
    else
        return fail(j,
                    "the font %s (face %u of %s) has %s outlines, which budgetpress cannot embed "
                    "in a PDF: use a TrueType (glyf) or CFF face",
                    info->postscript_name, info->index, info->path,
                    has_table(info->hb_face, "CFF2") ? "CFF2 (variable)" : "no");
    return 0;
}

/* Subsets face `id` to the glyphs the document uses; returns the subset font file, or NULL. */
static int subset_one(subset_job *j, int id)
{
    const bp_face_info *info = bp_fontset_face(j->fonts, id);
    subset_face *face = &j->s->faces[id];
    if (find_flavour(j, info, &face->flavour) != 0)
        return -1;
    hb_subset_input_t *input = hb_subset_input_create_or_fail();
    if (!input)
        return fail(j, "out of memory while subsetting %s", info->postscript_name);
    hb_set_union(hb_subset_input_glyph_set(input), face->used);
    drop_unused_tables(input);
    if (face->flavour == SUBSET_CFF)
        keep_only_cff(input, info->hb_face);
    /* A CFF subset goes without its hints and its subroutines. Hints snap stems to the pixel
     * grid at small sizes on screen, which most readers leave undone (pdf.js, PDFium and
     * poppler draw outlines unhinted) and print never needs. Subroutines are charstring pieces
     * shared by many glyphs of the whole font; for a few hundred glyphs, keeping them costs
     * more than writing each glyph out in full, which deflate then shrinks. Measured on the
     * sample's Noto Serif (755 glyphs): 20.3 ms and 283 KB raw with subroutines, 11.2 ms and
     * 259 KB without; the sample's fonts deflated 216 → 192 KB, and 100 units' batch 14% faster. */
    if (face->flavour == SUBSET_CFF)
        hb_subset_input_set_flags(input,
                                  HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_DESUBROUTINIZE);
    face->plan = hb_subset_plan_create_or_fail(info->hb_face, input);
    hb_subset_input_destroy(input);
    hb_face_t *font = face->plan ? hb_subset_plan_execute_or_fail(face->plan) : NULL;
    if (!font)
        return fail(j, "cannot subset the font %s (face %u of %s)", info->postscript_name,
                    info->index, info->path);
    face->old_to_new = hb_subset_plan_old_to_new_glyph_mapping(face->plan);
    face->glyph_count = hb_face_get_glyph_count(font);
    face->file = hb_face_reference_blob(font);
    hb_face_destroy(font);
    if (hb_blob_get_length(face->file) == 0 || face->glyph_count == 0)
        return fail(j, "subsetting the font %s gave an empty font", info->postscript_name);
    return 0;
}

/* Fills face->widths: each subset glyph's advance in 1/1000 em, unrounded (the PDF's W array
 * takes real numbers, so positions agree with HarfBuzz's to far below 0.001 pt). Stored as
 * the float libharu will print, so the content stream computes with what the viewer reads. */
static int compute_widths(subset_job *j, int id)
{
    const bp_face_info *info = bp_fontset_face(j->fonts, id);
    subset_face *face = &j->s->faces[id];
    const hb_map_t *new_to_old = hb_subset_plan_new_to_old_glyph_mapping(face->plan);
    face->widths = calloc(face->glyph_count, sizeof *face->widths);
    if (!face->widths)
        return fail(j, "out of memory");
    hb_font_t *font = hb_font_create(info->hb_face);
    hb_font_set_scale(font, info->units_per_em, info->units_per_em);
    for (unsigned g = 0; g < face->glyph_count; g++) {
        hb_codepoint_t old = hb_map_get(new_to_old, g);
        hb_position_t advance =
            old == HB_MAP_VALUE_INVALID ? 0 : hb_font_get_glyph_h_advance(font, old);
        face->widths[g] = (double)(float)(advance * 1000.0 / info->units_per_em);
    }
    hb_font_destroy(font);
    return 0;
}

/* Fills face->codes: the code a content stream writes for each subset glyph. A TrueType
 * subset is drawn by glyph id (CIDToGIDMap /Identity); a CID-keyed CFF by CID, which its
 * subset keeps from the original font (HarfBuzz rewrites the glyph ids, not the charset: a
 * subset drawn by its new ids shows other characters, measured). The CIDs are the original
 * font's, read through FreeType; a CFF that is not CID-keyed is refused, as a CIDFontType0
 * needs one. */
static int compute_codes(subset_job *j, int id)
{
    const bp_face_info *info = bp_fontset_face(j->fonts, id);
    subset_face *face = &j->s->faces[id];
    face->codes = calloc(face->glyph_count, sizeof *face->codes);
    if (!face->codes)
        return fail(j, "out of memory");
    if (face->flavour == SUBSET_TRUETYPE) {
        for (unsigned g = 0; g < face->glyph_count; g++)
            face->codes[g] = g;
        return 0;
    }
    FT_Library library = NULL;
    FT_Face ft = NULL;
    FT_Bool cid_keyed = 0;
    int rc = -1;
    if (FT_Init_FreeType(&library) != 0)
        rc = fail(j, "out of memory");
    else if (FT_New_Face(library, info->path, info->index, &ft) != 0)
        rc = fail(j, "cannot read the font %s (face %u of %s)", info->postscript_name, info->index,
                  info->path);
    else if (FT_Get_CID_Is_Internally_CID_Keyed(ft, &cid_keyed) != 0 || !cid_keyed)
        rc = fail(j,
                  "the font %s (face %u of %s) has CFF outlines without CIDs, which budgetpress "
                  "cannot embed as a CID font: use a CID-keyed CFF (as the CJK fonts are) or a "
                  "TrueType face",
                  info->postscript_name, info->index, info->path);
    else {
        const hb_map_t *new_to_old = hb_subset_plan_new_to_old_glyph_mapping(face->plan);
        rc = 0;
        for (unsigned g = 0; g < face->glyph_count && rc == 0; g++) {
            hb_codepoint_t old = hb_map_get(new_to_old, g);
            FT_UInt cid = 0;
            if (old != HB_MAP_VALUE_INVALID && FT_Get_CID_From_Glyph_Index(ft, old, &cid) != 0)
                rc = fail(j, "the font %s has no CID for glyph %u", info->postscript_name, old);
            face->codes[g] = cid;
        }
    }
    if (ft)
        FT_Done_Face(ft);
    if (library)
        FT_Done_FreeType(library);
    return rc;
}

/* The end of the cluster starting at glyph i: the next larger cluster offset, or the text's end.
 * Runs are in text order (budget documents have no right-to-left text), so it is the first
 * larger offset after i. */
static size_t cluster_end(const bp_glyph_run *run, size_t i)
{
    for (size_t j = i + 1; j < run->count; j++)
        if (run->clusters[j] > run->clusters[i])
            return run->clusters[j];
    return run->text_len;
}

/* Records the text of each glyph of the run that has none yet. Only the first glyph of a
 * cluster stands for its text: a cluster drawn with several glyphs must extract once. */
static void map_run_texts(subset *s, const bp_glyph_run *run)
{
    subset_face *face = &s->faces[run->face];
    for (size_t i = 0; i < run->count; i++) {
        if (i > 0 && run->clusters[i - 1] == run->clusters[i])
            continue;
        hb_codepoint_t g = hb_map_get(face->old_to_new, run->ids[i]);
        if (g == HB_MAP_VALUE_INVALID || g == 0 || g >= face->glyph_count || face->texts[g].utf8)
            continue; /* .notdef stands for whatever was missing, so it gets no text */
        size_t start = run->clusters[i], end = cluster_end(run, i);
        if (end > start) {
            face->texts[g].utf8 = run->text + start;
            face->texts[g].len = end - start;
        }
    }
}

static int map_texts(subset_job *j)
{
    for (int f = 0; f < BP_MAX_FACES; f++) {
        subset_face *face = &j->s->faces[f];
        if (face->used && !(face->texts = calloc(face->glyph_count, sizeof *face->texts)))
            return fail(j, "out of memory");
    }
    size_t page_count = bp_document_page_count(j->doc);
    for (size_t p = 0; p < page_count; p++) {
        const bp_page *page = bp_document_page(j->doc, p);
        for (size_t i = 0; i < page->count; i++)
            if (page->items[i].kind == BP_ITEM_GLYPHS)
                map_run_texts(j->s, &page->items[i].u.glyphs);
    }
    return 0;
}

/* ---- Every face at once ----
 * Subsetting a CFF face is most of a short document's render (the sample's Noto Serif: 755
 * glyphs with their subroutines), and faces are independent: each is subset on a thread of its
 * own, the last on the caller's, each with its own diagnostics, told in face order after. */

typedef struct face_task {
    subset_job job; /* the call's, with this task's own diagnostics */
    bp_diags diags;
    int face;
    int rc;
    pthread_t thread;
    bool started;
} face_task;

static void *subset_face_task(void *arg)
{
    face_task *t = arg;
    t->job.diags = &t->diags;
    t->rc = subset_one(&t->job, t->face) != 0 || compute_widths(&t->job, t->face) != 0 ||
                    compute_codes(&t->job, t->face) != 0
                ? -1
                : 0;
    return NULL;
}

static int subset_faces(subset_job *j)
{
    face_task tasks[BP_MAX_FACES];
    int count = 0;
    for (int f = 0; f < BP_MAX_FACES; f++)
        if (j->s->faces[f].used)
            tasks[count++] = (face_task){.job = *j, .diags = BP_DIAGS_INIT, .face = f};
    for (int i = 0; i < count; i++) {
        tasks[i].started = i + 1 < count &&
                           pthread_create(&tasks[i].thread, NULL, subset_face_task, &tasks[i]) == 0;
        if (!tasks[i].started)
            subset_face_task(&tasks[i]);
    }
    int rc = 0;
    for (int i = 0; i < count; i++) {
        if (tasks[i].started)
            pthread_join(tasks[i].thread, NULL);
        for (size_t d = 0; d < tasks[i].diags.count; d++)
            bp_diags_add_copy(j->diags, &tasks[i].diags.items[d]);
        bp_diags_clear(&tasks[i].diags);
        rc |= tasks[i].rc;
    }
    return rc;
}

int subset_build(subset *s, const bp_document *doc, const bp_fontset *fonts, bp_diags *diags,
                 const char *file)
{
    subset_job j = {s, doc, fonts, diags, file};
    if (collect(&j) != 0 || subset_faces(&j) != 0)
        return -1;
    return map_texts(&j);
}

void subset_free(subset *s)
{
    for (int f = 0; f < BP_MAX_FACES; f++) {
        subset_face *face = &s->faces[f];
        hb_set_destroy(face->used);
        hb_subset_plan_destroy(face->plan);
        hb_blob_destroy(face->file);
        free(face->widths);
        free(face->codes);
        free(face->texts);
        memset(face, 0, sizeof *face);
    }
}

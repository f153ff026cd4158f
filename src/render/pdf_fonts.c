/*
 * pdf_fonts.c: embeds each face the document draws as a true subset font: a Type0 font with
 * Identity-H encoding over a CIDFontType2 whose CIDs are the subset's glyph ids
 * (/CIDToGIDMap /Identity), with the subset TrueType file (FontFile2), a W array of real
 * advances, a FontDescriptor and a ToUnicode map built from the text each glyph came from.
 *
 * Stage: backends (PDF), before the content streams are written. Never shapes, never measures
 * for layout, never touches a page. The fact that shaped it: the display list carries HarfBuzz
 * glyph ids, not characters, and libharu 2.3.0's own TrueType path maps characters (UCS-2
 * only, with a broken ToUnicode and whole-font W and CIDToGIDMap tables). So the font objects
 * are built by hand with libharu's low-level object API (HPDF_Dict_New, HPDF_Xref_Add,
 * HPDF_DictStream_New, …), exactly as measured on libhpdf 2.3.0;
 * that API uses the struct layouts of the installed libhpdf 2.3.0 (HPDF_Doc_Rec.mmgr/.xref,
 * HPDF_Dict_Rec.stream/.filter), so this file is tied to that version.
 *
 * One font per face per document: every run of a face shares one subset, which keeps glyph ids
 * stable across pages and the file small (a page of 40 distinct characters is about 15 KB).
 */
#include "pdf_int.h"

#include <hb-ot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A ToUnicode bfchar block may hold at most 100 entries (PDF 32000-1, 9.10.3). */
enum { TOUNICODE_BLOCK = 100 };
/* Longest text one glyph may stand for in ToUnicode, in UTF-16 code units; the spec allows a
 * destination string of up to 512 bytes. */
enum { TOUNICODE_MAX_UNITS = 256 };
/* Widths per inner W array, far below libharu's HPDF_LIMIT_MAX_ARRAY (32767) even for faces
 * with tens of thousands of glyphs. */
enum { W_CHUNK = 4096 };

/* ---- Which glyphs the document draws ---- */

static int check_run(pdf_render *r, const bp_glyph_run *run, size_t page)
{
    if (!bp_fontset_face(r->fonts, run->face))
        return pdf_fail(r, "page %zu: a glyph run names face %u, which the fontset does not have",
                        page + 1, (unsigned)run->face);
    if (!bp_utf8_valid(run->text, run->text_len))
        return pdf_fail(r, "page %zu: a glyph run's text is not valid UTF-8", page + 1);
    for (size_t i = 0; i < run->count; i++)
        if (run->clusters[i] > run->text_len)
            return pdf_fail(r, "page %zu: glyph %zu of a run points past the end of its text",
                            page + 1, i);
    if (run->size <= 0)
        return pdf_fail(r, "page %zu: a glyph run has a font size of zero or less", page + 1);
    return 0;
}

static int add_run_glyphs(pdf_render *r, const bp_glyph_run *run)
{
    pdf_face *face = &r->faces[run->face];
    if (!face->used) {
        face->used = hb_set_create();
        hb_set_add(face->used, 0); /* .notdef always stays in a TrueType subset */
    }
    for (size_t i = 0; i < run->count; i++)
        hb_set_add(face->used, run->ids[i]);
    if (!hb_set_allocation_successful(face->used))
        return pdf_fail(r, "out of memory while collecting the glyphs of face %u",
                        (unsigned)run->face);
    return 0;
}

int pdf_fonts_collect(pdf_render *r)
{
    size_t page_count = bp_document_page_count(r->doc);
    for (size_t p = 0; p < page_count; p++) {
        const bp_page *page = bp_document_page(r->doc, p);
        for (size_t i = 0; i < page->count; i++) {
            if (page->items[i].kind != BP_ITEM_GLYPHS)
                continue;
            const bp_glyph_run *run = &page->items[i].u.glyphs;
            if (check_run(r, run, p) != 0 || add_run_glyphs(r, run) != 0)
                return -1;
        }
    }
    return 0;
}

/* ---- Subsetting ---- */

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

/* Subsets face `id` to the glyphs the document uses; returns the subset font file, or NULL. */
static hb_blob_t *subset_face(pdf_render *r, int id)
{
    const bp_face_info *info = bp_fontset_face(r->fonts, id);
    pdf_face *face = &r->faces[id];
    hb_subset_input_t *input = hb_subset_input_create_or_fail();
    if (!input) {
        pdf_fail(r, "out of memory while subsetting %s", info->postscript_name);
        return NULL;
    }
    hb_set_union(hb_subset_input_glyph_set(input), face->used);
    drop_unused_tables(input);
    face->plan = hb_subset_plan_create_or_fail(info->hb_face, input);
    hb_subset_input_destroy(input);
    hb_face_t *subset = face->plan ? hb_subset_plan_execute_or_fail(face->plan) : NULL;
    if (!subset) {
        pdf_fail(r, "cannot subset the font %s (face %u of %s)", info->postscript_name, info->index,
                 info->path);
        return NULL;
    }
    face->old_to_new = hb_subset_plan_old_to_new_glyph_mapping(face->plan);
    face->glyph_count = hb_face_get_glyph_count(subset);
    hb_blob_t *blob = hb_face_reference_blob(subset);
    hb_face_destroy(subset);
    if (hb_blob_get_length(blob) == 0 || face->glyph_count == 0) {
        hb_blob_destroy(blob);
        pdf_fail(r, "subsetting the font %s gave an empty font", info->postscript_name);
        return NULL;
    }
    return blob;
}

/* Fills face->widths: each subset glyph's advance in 1/1000 em, unrounded (the PDF's W array
 * takes real numbers, so positions agree with HarfBuzz's to far below 0.001 pt). Stored as
 * the float libharu will print, so the content stream computes with what the viewer reads. */
static int compute_widths(pdf_render *r, int id)
{
    const bp_face_info *info = bp_fontset_face(r->fonts, id);
    pdf_face *face = &r->faces[id];
    const hb_map_t *new_to_old = hb_subset_plan_new_to_old_glyph_mapping(face->plan);
    face->widths = calloc(face->glyph_count, sizeof *face->widths);
    if (!face->widths)
        return pdf_fail(r, "out of memory");
    hb_font_t *font = hb_font_create(info->hb_face);
    hb_font_set_scale(font, info->units_per_em, info->units_per_em);
    for (unsigned g = 0; g < face->glyph_count; g++) {
        hb_codepoint_t old = hb_map_get(new_to_old, g);
        hb_position_t advance =
            old == HB_MAP_VALUE_INVALID ? 0 : hb_font_get_glyph_h_advance(font, old);
        face->widths[g] = (double)(HPDF_REAL)(advance * 1000.0 / info->units_per_em);
    }
    hb_font_destroy(font);
    return 0;
}

/* ---- The text each glyph stands for ---- */

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
static void map_run_texts(pdf_render *r, const bp_glyph_run *run)
{
    pdf_face *face = &r->faces[run->face];
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

static int map_texts(pdf_render *r)
{
    for (int f = 0; f < BP_MAX_FACES; f++) {
        pdf_face *face = &r->faces[f];
        if (face->used && !(face->texts = calloc(face->glyph_count, sizeof *face->texts)))
            return pdf_fail(r, "out of memory");
    }
    size_t page_count = bp_document_page_count(r->doc);
    for (size_t p = 0; p < page_count; p++) {
        const bp_page *page = bp_document_page(r->doc, p);
        for (size_t i = 0; i < page->count; i++)
            if (page->items[i].kind == BP_ITEM_GLYPHS)
                map_run_texts(r, &page->items[i].u.glyphs);
    }
    return 0;
}

/* ---- The ToUnicode CMap ---- */

static void put_hex4(bp_strbuf *sb, unsigned v)
{
    static const char digits[] = "0123456789ABCDEF";
    char s[4] = {digits[(v >> 12) & 15], digits[(v >> 8) & 15], digits[(v >> 4) & 15],
                 digits[v & 15]};
    bp_strbuf_append(sb, s, 4);
}

/* The text as UTF-16BE hex, with surrogate pairs for characters beyond U+FFFF. */
static void put_utf16_hex(bp_strbuf *sb, const char *s, size_t len)
{
    size_t units = 0;
    for (size_t i = 0; i < len && units + 2 <= TOUNICODE_MAX_UNITS;) {
        size_t n;
        unsigned c = bp_utf8_decode(s + i, len - i, &n);
        i += n;
        if (c >= 0x10000) {
            c -= 0x10000;
            put_hex4(sb, 0xD800 + (c >> 10));
            put_hex4(sb, 0xDC00 + (c & 0x3FF));
            units += 2;
        } else {
            put_hex4(sb, c);
            units++;
        }
    }
}

static const char tounicode_head[] = "/CIDInit /ProcSet findresource begin\n"
                                     "12 dict begin\n"
                                     "begincmap\n"
                                     "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                                     "/Supplement 0 >> def\n"
                                     "/CMapName /Adobe-Identity-UCS def\n"
                                     "/CMapType 2 def\n"
                                     "1 begincodespacerange\n"
                                     "<0000> <FFFF>\n"
                                     "endcodespacerange\n";
static const char tounicode_tail[] = "endcmap\n"
                                     "CMapName currentdict /CMap defineresource pop\n"
                                     "end\n"
                                     "end\n";

/* Writes the CMap: one bfchar entry per subset glyph that has a text, in blocks of 100. */
static void build_tounicode(bp_strbuf *sb, const pdf_face *face)
{
    bp_strbuf_puts(sb, tounicode_head);
    unsigned g = 0;
    for (;;) {
        unsigned block[TOUNICODE_BLOCK], n = 0;
        for (; g < face->glyph_count && n < TOUNICODE_BLOCK; g++)
            if (face->texts[g].utf8)
                block[n++] = g;
        if (n == 0)
            break;
        bp_strbuf_printf(sb, "%u beginbfchar\n", n);
        for (unsigned k = 0; k < n; k++) {
            bp_strbuf_putc(sb, '<');
            put_hex4(sb, block[k]);
            bp_strbuf_puts(sb, "> <");
            put_utf16_hex(sb, face->texts[block[k]].utf8, face->texts[block[k]].len);
            bp_strbuf_puts(sb, ">\n");
        }
        bp_strbuf_puts(sb, "endbfchar\n");
    }
    bp_strbuf_puts(sb, tounicode_tail);
}

/* ---- The font objects ---- */

/* A new dictionary registered in the cross-reference table (an indirect object), or NULL.
 * HPDF_Xref_Add frees the object itself when it fails. */
static HPDF_Dict new_indirect_dict(pdf_render *r)
{
    HPDF_Dict dict = HPDF_Dict_New(r->pdf->mmgr);
    if (!dict || HPDF_Xref_Add(r->pdf->xref, dict) != HPDF_OK)
        return NULL;
    return dict;
}

/* A new stream object holding data, Flate-compressed unless the render is uncompressed. */
static HPDF_Dict new_stream(pdf_render *r, const void *data, size_t size)
{
    if (size > 0x7FFFFFFF)
        return NULL;
    HPDF_Dict stream = HPDF_DictStream_New(r->pdf->mmgr, r->pdf->xref);
    if (!stream)
        return NULL;
    /* libharu compresses a stream on output when its filter says so (HPDF_Dict_Write). */
    stream->filter = r->compress ? HPDF_STREAM_FILTER_FLATE_DECODE : HPDF_STREAM_FILTER_NONE;
    if (HPDF_Stream_Write(stream->stream, data, (HPDF_UINT)size) != HPDF_OK)
        return NULL;
    return stream;
}

/* A subset's tag: six capital letters from a hash of the face and its glyph set (PDF 32000-1,
 * 9.6.4), so different subsets get different names and the same document the same name. */
static void subset_tag(const pdf_face *face, int id, char tag[7])
{
    uint64_t h = 1469598103934665603u ^ (uint64_t)id;
    for (hb_codepoint_t g = HB_SET_VALUE_INVALID; hb_set_next(face->used, &g);) {
        h ^= g;
        h *= 1099511628211u;
    }
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = '\0';
}

static int to_milli_em(int units, int upem)
{
    long long v = (long long)units * 1000;
    return (int)(v >= 0 ? (v + upem / 2) / upem : -((-v + upem / 2) / upem));
}

static int read_int16(const char *p)
{
    return (int16_t)(((unsigned)(unsigned char)p[0] << 8) | (unsigned char)p[1]);
}

/* The font bounding box from the head table, in 1/1000 em. */
static HPDF_Array font_bbox(pdf_render *r, const bp_face_info *info)
{
    int box[4] = {0, 0, 0, 0};
    hb_blob_t *head = hb_face_reference_table(info->hb_face, HB_TAG('h', 'e', 'a', 'd'));
    unsigned len;
    const char *data = hb_blob_get_data(head, &len);
    if (data && len >= 44)
        for (int i = 0; i < 4; i++)
            box[i] = to_milli_em(read_int16(data + 36 + 2 * i), info->units_per_em);
    hb_blob_destroy(head);
    HPDF_Array array = HPDF_Array_New(r->pdf->mmgr);
    if (array)
        for (int i = 0; i < 4; i++)
            HPDF_Array_AddNumber(array, box[i]);
    return array;
}

/* StemV is not stored in TrueType fonts; this is the usual estimate from the OS/2 weight class
 * (about 71 for UMing's 300, 109 for Zen Hei's 500). Viewers only use it to synthesize a
 * substitute font, which never happens here because the font is embedded. */
static int estimate_stem_v(float weight)
{
    return 50 + (int)((weight / 65.0f) * (weight / 65.0f));
}

static HPDF_Dict build_descriptor(pdf_render *r, int id, const char *name, HPDF_Dict font_file)
{
    const bp_face_info *info = bp_fontset_face(r->fonts, id);
    HPDF_Dict fd = new_indirect_dict(r);
    if (!fd)
        return NULL;
    hb_font_t *font = hb_font_create(info->hb_face);
    hb_font_set_scale(font, info->units_per_em, info->units_per_em);
    hb_position_t cap_height = 0;
    hb_ot_metrics_get_position_with_fallback(font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap_height);
    float weight = hb_style_get_value(font, HB_STYLE_TAG_WEIGHT);
    float slant = hb_style_get_value(font, HB_STYLE_TAG_SLANT_ANGLE);
    hb_font_destroy(font);
    int italic_angle = (int)(slant >= 0 ? slant + 0.5f : slant - 0.5f);
    /* Flags: 4 symbolic (glyphs outside the standard Latin set); 64 italic. */
    HPDF_STATUS st = HPDF_Dict_AddName(fd, "Type", "FontDescriptor");
    st |= HPDF_Dict_AddName(fd, "FontName", name);
    st |= HPDF_Dict_AddNumber(fd, "Flags", 4 | (italic_angle != 0 ? 64 : 0));
    st |= HPDF_Dict_Add(fd, "FontBBox", font_bbox(r, info));
    st |= HPDF_Dict_AddNumber(fd, "ItalicAngle", italic_angle);
    st |= HPDF_Dict_AddNumber(fd, "Ascent", to_milli_em(info->ascender, info->units_per_em));
    st |= HPDF_Dict_AddNumber(fd, "Descent", -to_milli_em(info->descender, info->units_per_em));
    st |= HPDF_Dict_AddNumber(fd, "CapHeight", to_milli_em(cap_height, info->units_per_em));
    st |= HPDF_Dict_AddNumber(fd, "StemV", estimate_stem_v(weight));
    st |= HPDF_Dict_Add(fd, "FontFile2", font_file);
    return st == HPDF_OK ? fd : NULL;
}

/* [0 [w0 w1 …] 4096 [w4096 …] …]: every subset glyph's width, in chunks. */
static HPDF_Array build_widths(pdf_render *r, const pdf_face *face)
{
    HPDF_MMgr mmgr = r->pdf->mmgr;
    HPDF_Array w = HPDF_Array_New(mmgr);
    if (!w)
        return NULL;
    HPDF_STATUS st = HPDF_OK;
    for (unsigned first = 0; first < face->glyph_count && st == HPDF_OK; first += W_CHUNK) {
        HPDF_Array chunk = HPDF_Array_New(mmgr);
        if (!chunk)
            break;
        for (unsigned g = first; g < face->glyph_count && g < first + W_CHUNK; g++)
            st |= HPDF_Array_Add(chunk, HPDF_Real_New(mmgr, (HPDF_REAL)face->widths[g]));
        st |= HPDF_Array_AddNumber(w, (HPDF_INT32)first);
        st |= HPDF_Array_Add(w, chunk);
    }
    if (st != HPDF_OK || !HPDF_Array_Items(w)) {
        HPDF_Array_Free(w); /* a direct object nobody owns yet */
        return NULL;
    }
    return w;
}

static HPDF_Dict build_system_info(pdf_render *r)
{
    HPDF_Dict info = HPDF_Dict_New(r->pdf->mmgr);
    if (!info)
        return NULL;
    HPDF_STATUS st = HPDF_Dict_Add(info, "Registry", HPDF_String_New(r->pdf->mmgr, "Adobe", NULL));
    st |= HPDF_Dict_Add(info, "Ordering", HPDF_String_New(r->pdf->mmgr, "Identity", NULL));
    st |= HPDF_Dict_AddNumber(info, "Supplement", 0);
    if (st != HPDF_OK) {
        HPDF_Dict_Free(info); /* a direct object nobody owns yet */
        return NULL;
    }
    return info;
}

static HPDF_Dict build_cid_font(pdf_render *r, const pdf_face *face, const char *name,
                                HPDF_Dict descriptor)
{
    HPDF_Dict cid = new_indirect_dict(r);
    if (!cid)
        return NULL;
    HPDF_STATUS st = HPDF_Dict_AddName(cid, "Type", "Font");
    st |= HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    st |= HPDF_Dict_AddName(cid, "BaseFont", name);
    st |= HPDF_Dict_Add(cid, "CIDSystemInfo", build_system_info(r));
    st |= HPDF_Dict_Add(cid, "FontDescriptor", descriptor);
    st |= HPDF_Dict_AddNumber(cid, "DW", 1000);
    st |= HPDF_Dict_Add(cid, "W", build_widths(r, face));
    st |= HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");
    return st == HPDF_OK ? cid : NULL;
}

static HPDF_Dict build_type0(pdf_render *r, const char *name, HPDF_Dict cid_font,
                             HPDF_Dict to_unicode)
{
    HPDF_Dict font = new_indirect_dict(r);
    if (!font)
        return NULL;
    HPDF_STATUS st = HPDF_Dict_AddName(font, "Type", "Font");
    st |= HPDF_Dict_AddName(font, "Subtype", "Type0");
    st |= HPDF_Dict_AddName(font, "BaseFont", name);
    st |= HPDF_Dict_AddName(font, "Encoding", "Identity-H");
    HPDF_Array descendants = HPDF_Array_New(r->pdf->mmgr);
    st |= HPDF_Dict_Add(font, "DescendantFonts", descendants); /* owned by font from here */
    st |= descendants ? HPDF_Array_Add(descendants, cid_font) : HPDF_INVALID_OBJECT;
    st |= HPDF_Dict_Add(font, "ToUnicode", to_unicode);
    return st == HPDF_OK ? font : NULL;
}

/* Builds the whole font of face `id` from its subset file. */
static int build_font(pdf_render *r, int id, hb_blob_t *subset)
{
    const bp_face_info *info = bp_fontset_face(r->fonts, id);
    pdf_face *face = &r->faces[id];
    char tag[7], name[HPDF_LIMIT_MAX_NAME_LEN + 1];
    subset_tag(face, id, tag);
    const char *ps = info->postscript_name[0] ? info->postscript_name : "Font";
    snprintf(name, sizeof name, "%s+%s", tag, ps);

    unsigned size;
    const char *data = hb_blob_get_data(subset, &size);
    HPDF_Dict font_file = new_stream(r, data, size);
    if (!font_file || HPDF_Dict_AddNumber(font_file, "Length1", (HPDF_INT32)size) != HPDF_OK)
        return pdf_hpdf_failed(r);

    bp_strbuf cmap = BP_STRBUF_INIT;
    build_tounicode(&cmap, face);
    if (cmap.failed) {
        bp_strbuf_free(&cmap);
        return pdf_fail(r, "out of memory");
    }
    HPDF_Dict to_unicode = new_stream(r, cmap.data, cmap.len);
    bp_strbuf_free(&cmap);
    if (!to_unicode)
        return pdf_hpdf_failed(r);

    HPDF_Dict descriptor = build_descriptor(r, id, name, font_file);
    HPDF_Dict cid_font = descriptor ? build_cid_font(r, face, name, descriptor) : NULL;
    face->font = cid_font ? build_type0(r, name, cid_font, to_unicode) : NULL;
    return face->font ? 0 : pdf_hpdf_failed(r);
}

int pdf_fonts_embed(pdf_render *r)
{
    hb_blob_t *subsets[BP_MAX_FACES] = {NULL};
    int rc = 0;
    for (int f = 0; f < BP_MAX_FACES && rc == 0; f++)
        if (r->faces[f].used && (!(subsets[f] = subset_face(r, f)) || compute_widths(r, f) != 0))
            rc = -1;
    if (rc == 0)
        rc = map_texts(r);
    r->step = "embedding the fonts";
    for (int f = 0; f < BP_MAX_FACES && rc == 0; f++)
        if (r->faces[f].used)
            rc = build_font(r, f, subsets[f]);
    for (int f = 0; f < BP_MAX_FACES; f++)
        hb_blob_destroy(subsets[f]);
    return rc;
}

void pdf_fonts_free(pdf_render *r)
{
    for (int f = 0; f < BP_MAX_FACES; f++) {
        pdf_face *face = &r->faces[f];
        hb_set_destroy(face->used);
        hb_subset_plan_destroy(face->plan);
        free(face->widths);
        free(face->texts);
        memset(face, 0, sizeof *face);
    }
}

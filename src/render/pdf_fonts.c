/*
 * pdf_fonts.c: embeds each face the document draws as a true subset font: a Type0 font with
 * Identity-H encoding over a CIDFontType2 whose CIDs are the subset's glyph ids
 * (/CIDToGIDMap /Identity), with the subset TrueType file (FontFile2), a W array of real
 * advances, a FontDescriptor and a ToUnicode map built from the text each glyph came from.
 *
 * A CFF face (Noto Serif and Sans CJK) is a CIDFontType0 instead, its subset's bare CFF table
 * as FontFile3 /CIDFontType0C, drawn by CID (the codes subset.c reads from the font) with
 * the widths listed by CID.
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
/* The width of the glyphs the W array leaves out (/DW): a CJK face's ideographs and full-width
 * punctuation, 1000/1000 em. */
#define W_DEFAULT 1000.0

/* ---- Subsetting ---- */

/* ---- The text each glyph stands for ---- */

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
static void build_tounicode(bp_strbuf *sb, const subset_face *face)
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
            put_hex4(sb, face->codes[block[k]]);
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

/* A subset's tag: six capital letters from a hash of the face and its glyph set (PDF 32000-1,
 * 9.6.4), so different subsets get different names and the same document the same name. */
static void subset_tag(const subset_face *face, int id, char tag[7])
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

static HPDF_Dict build_descriptor(pdf_render *r, int id, const char *name, HPDF_Dict font_file,
                                  subset_flavour flavour)
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
    st |= HPDF_Dict_Add(fd, flavour == SUBSET_CFF ? "FontFile3" : "FontFile2", font_file);
    return st == HPDF_OK ? fd : NULL;
}

/* [c [wc wc+1 …] d [wd …] …]: every subset glyph's width by its code but those of W_DEFAULT, each
 * run of consecutive codes one entry of at most W_CHUNK. A TrueType subset's codes are its glyph
 * ids, 0 to n-1: one run. A CFF subset's are CIDs, in the original font's order, as its glyphs are
 * (a CJK font's CIDs rise with its glyph ids); a code out of order starts a run of its own, which
 * is still a valid W array. */
static HPDF_Array build_widths(pdf_render *r, const subset_face *face)
{
    HPDF_MMgr mmgr = r->pdf->mmgr;
    HPDF_Array w = HPDF_Array_New(mmgr);
    if (!w)
        return NULL;
    HPDF_STATUS st = HPDF_OK;
    HPDF_Array chunk = NULL;
    unsigned in_chunk = 0;
    for (unsigned g = 0; g < face->glyph_count && st == HPDF_OK; g++) {
        if (face->widths[g] == W_DEFAULT) { /* /DW: a CJK face's ideographs, most glyphs */
            chunk = NULL;
            continue;
        }
        if (!chunk || face->codes[g] != face->codes[g - 1] + 1 || in_chunk == W_CHUNK) {
            chunk = HPDF_Array_New(mmgr);
            if (!chunk) {
                st = HPDF_FAILD_TO_ALLOC_MEM; /* said by the caller */
                break;
            }
            st |= HPDF_Array_AddNumber(w, (HPDF_INT32)face->codes[g]);
            st |= HPDF_Array_Add(w, chunk);
            in_chunk = 0;
        }
        st |= HPDF_Array_Add(chunk, HPDF_Real_New(mmgr, (HPDF_REAL)face->widths[g]));
        in_chunk++;
    }
    if (st != HPDF_OK) {
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

static HPDF_Dict build_cid_font(pdf_render *r, const subset_face *face, const char *name,
                                HPDF_Dict descriptor)
{
    HPDF_Dict cid = new_indirect_dict(r);
    if (!cid)
        return NULL;
    HPDF_STATUS st = HPDF_Dict_AddName(cid, "Type", "Font");
    bool cff = face->flavour == SUBSET_CFF;
    st |= HPDF_Dict_AddName(cid, "Subtype", cff ? "CIDFontType0" : "CIDFontType2");
    st |= HPDF_Dict_AddName(cid, "BaseFont", name);
    st |= HPDF_Dict_Add(cid, "CIDSystemInfo", build_system_info(r));
    st |= HPDF_Dict_Add(cid, "FontDescriptor", descriptor);
    st |= HPDF_Dict_AddNumber(cid, "DW", (HPDF_INT32)W_DEFAULT);
    st |= HPDF_Dict_Add(cid, "W", build_widths(r, face));
    /* A CIDFontType0's CFF maps CIDs to its glyphs itself (its charset). */
    if (!cff)
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

/* The font program: the whole TrueType subset (FontFile2, its /Length1), or the bare CFF table
 * of a CFF subset (FontFile3 /CIDFontType0C: PDF 1.3's form, which every reader and PDF/A
 * accept, where a whole OpenType file would need PDF 1.6's /OpenType). */
static HPDF_Dict font_program(pdf_render *r, const subset_face *face)
{
    unsigned size;
    if (face->flavour == SUBSET_TRUETYPE) {
        const char *data = hb_blob_get_data(face->file, &size);
        HPDF_Dict file = pdf_new_stream(r, data, size);
        return file && HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)size) == HPDF_OK ? file
                                                                                         : NULL;
    }
    hb_face_t *subset_font = hb_face_create(face->file, 0);
    hb_blob_t *cff = hb_face_reference_table(subset_font, HB_TAG('C', 'F', 'F', ' '));
    const char *data = hb_blob_get_data(cff, &size);
    HPDF_Dict file = size ? pdf_new_stream(r, data, size) : NULL;
    hb_blob_destroy(cff);
    hb_face_destroy(subset_font);
    return file && HPDF_Dict_AddName(file, "Subtype", "CIDFontType0C") == HPDF_OK ? file : NULL;
}

/* Builds the whole font of face `id` from its subset file. */
static int build_font(pdf_render *r, int id)
{
    const bp_face_info *info = bp_fontset_face(r->fonts, id);
    const subset_face *face = &r->subset.faces[id];
    char tag[7], name[HPDF_LIMIT_MAX_NAME_LEN + 1];
    subset_tag(face, id, tag);
    const char *ps = info->postscript_name[0] ? info->postscript_name : "Font";
    snprintf(name, sizeof name, "%s+%s", tag, ps);

    HPDF_Dict font_file = font_program(r, face);
    if (!font_file)
        return pdf_hpdf_failed(r);

    bp_strbuf cmap = BP_STRBUF_INIT;
    build_tounicode(&cmap, face);
    if (cmap.failed) {
        bp_strbuf_free(&cmap);
        return pdf_fail(r, "out of memory");
    }
    HPDF_Dict to_unicode = pdf_new_stream(r, cmap.data, cmap.len);
    bp_strbuf_free(&cmap);
    if (!to_unicode)
        return pdf_hpdf_failed(r);

    HPDF_Dict descriptor = build_descriptor(r, id, name, font_file, face->flavour);
    HPDF_Dict cid_font = descriptor ? build_cid_font(r, face, name, descriptor) : NULL;
    r->fonts_used[id] = cid_font ? build_type0(r, name, cid_font, to_unicode) : NULL;
    return r->fonts_used[id] ? 0 : pdf_hpdf_failed(r);
}

int pdf_fonts_embed(pdf_render *r)
{
    r->step = "embedding the fonts";
    for (int f = 0; f < BP_MAX_FACES; f++)
        if (r->subset.faces[f].used && build_font(r, f) != 0)
            return -1;
    return 0;
}

void pdf_fonts_free(pdf_render *r)
{
    subset_free(&r->subset);
}

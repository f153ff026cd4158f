/*
 * fontset.c: loads the pinned fonts once per process, by role, and freezes them.
 *
 * Stage: text, first step. Never shapes, never lays out. The fact that shaped it: one process
 * renders many units on several threads, so the faces are loaded once, checked against their
 * SHA-256 (a different font file means different pages), made immutable, and from then on only
 * read. FreeType reads the metrics a layout needs (units per em, ascender, descender, names);
 * HarfBuzz keeps the face for shaping and subsetting. FreeType is closed after loading, so no
 * FT_Face (which is not thread-safe) is shared.
 */
#include "text_int.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include <stdlib.h>
#include <string.h>

#include "../util/util.h"

static const char *const role_keys[BP_ROLE__COUNT] = {
    [BP_ROLE_BODY] = "body",
    [BP_ROLE_HEADING] = "heading",
    [BP_ROLE_TABLE] = "table",
    [BP_ROLE_NUMBER] = "number",
};

const char *bp_font_role_key(bp_font_role role)
{
    return role < BP_ROLE__COUNT ? role_keys[role] : "?";
}

static char *copy_string(const char *s)
{
    return s ? strdup(s) : strdup("");
}

/* Reads the metrics and names of one face with FreeType into info. */
static int read_metrics(FT_Library library, const bp_face_spec *spec, bp_face_info *info,
                        bp_diags *diags)
{
    FT_Face ft;
    if (FT_New_Face(library, spec->path, (FT_Long)spec->index, &ft) != 0) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, spec->path, 0, 0, NULL,
                     "cannot read face %u of this font file", spec->index);
        return -1;
    }
    info->units_per_em = ft->units_per_EM;
    /* Prefer the OS/2 typographic metrics, which CJK fonts set for the ideographic em box. */
    const TT_OS2 *os2 = FT_Get_Sfnt_Table(ft, FT_SFNT_OS2);
    if (os2 && os2->sTypoAscender > 0) {
        info->ascender = os2->sTypoAscender;
        info->descender = -os2->sTypoDescender;
    } else {
        info->ascender = ft->ascender;
        info->descender = -ft->descender;
    }
    info->has_bold = (ft->style_flags & FT_STYLE_FLAG_BOLD) != 0;
    const char *ps = FT_Get_Postscript_Name(ft);
    info->postscript_name = copy_string(ps);
    info->family_name = copy_string(ft->family_name);
    FT_Done_Face(ft);
    if (!info->postscript_name || !info->family_name) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, spec->path, 0, 0, NULL, "out of memory");
        return -1;
    }
    return 0;
}

/* Bytes of a font file whose SHA-256 identifies it (see bp_face_spec). */
enum { FONT_HEAD_BYTES = 65536 };

static int verify_checksum(const bp_face_spec *spec, bp_diags *diags)
{
    if (!spec->head_sha256 && spec->size == 0)
        return 0;
    char actual[65];
    long long size = 0;
    if (bp_sha256_file_head_hex(spec->path, FONT_HEAD_BYTES, actual, &size) != 0) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, spec->path, 0, 0, NULL,
                     "cannot read the font file (is its package installed? see fonts/README.md)");
        return -1;
    }
    if ((spec->size && size != spec->size) ||
        (spec->head_sha256 && strcmp(actual, spec->head_sha256) != 0)) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, spec->path, 0, 0, NULL,
                     "not the pinned font file (%lld bytes, head SHA-256 %s; expected %lld bytes, "
                     "%s): pages would not be identical on every machine (see fonts/README.md)",
                     size, actual, spec->size, spec->head_sha256 ? spec->head_sha256 : "-");
        return -1;
    }
    return 0;
}

static int load_face(FT_Library library, const bp_face_spec *spec, text_face *out, bp_diags *diags)
{
    /* The pin says it is the right file, the tables' checksums that it is whole. */
    if (verify_checksum(spec, diags) != 0 ||
        ((spec->head_sha256 || spec->size) &&
         text_check_font_tables(spec->path, spec->index, diags) != 0))
        return -1;
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(spec->path);
    if (!blob) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, spec->path, 0, 0, NULL,
                     "cannot open the font file");
        return -1;
    }
    out->info.path = strdup(spec->path);
    out->info.index = spec->index;
    if (!out->info.path || read_metrics(library, spec, &out->info, diags) != 0) {
        hb_blob_destroy(blob);
        return -1;
    }
    out->face = hb_face_create(blob, spec->index);
    hb_blob_destroy(blob);
    hb_face_make_immutable(out->face);
    out->font = hb_font_create(out->face);
    hb_font_set_scale(out->font, out->info.units_per_em, out->info.units_per_em);
    hb_font_make_immutable(out->font);
    out->info.hb_face = out->face;
    return 0;
}

/* The id of an already loaded face with the same file and index, or -1. */
static int find_face(const bp_fontset *fonts, const bp_face_spec *spec)
{
    for (int i = 0; i < fonts->face_count; i++)
        if (fonts->faces[i].info.index == spec->index &&
            strcmp(fonts->faces[i].info.path, spec->path) == 0)
            return i;
    return -1;
}

static int add_role_face(bp_fontset *fonts, FT_Library library, bp_font_role role,
                         const bp_face_spec *spec, bp_diags *diags)
{
    int id = find_face(fonts, spec);
    if (id < 0) {
        if (fonts->face_count == BP_MAX_FACES) {
            bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, spec->path, 0, 0, NULL,
                         "more than %d distinct font faces", BP_MAX_FACES);
            return -1;
        }
        if (load_face(library, spec, &fonts->faces[fonts->face_count], diags) != 0)
            return -1;
        id = fonts->face_count++;
    }
    fonts->role_faces[role][fonts->role_face_count[role]++] = id;
    return 0;
}

bp_fontset *bp_fontset_load(const bp_fontset_spec *spec, bp_diags *diags)
{
    bp_fontset *fonts = calloc(1, sizeof *fonts);
    FT_Library library = NULL;
    if (!fonts || FT_Init_FreeType(&library) != 0) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, NULL, 0, 0, NULL,
                     "cannot start FreeType (out of memory?)");
        free(fonts);
        return NULL;
    }
    bool failed = false;
    for (int role = 0; role < BP_ROLE__COUNT; role++) {
        if (spec->face_count[role] < 1) {
            bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, NULL, 0, 0, NULL,
                         "no font for the role \"%s\"", role_keys[role]);
            failed = true;
        }
        for (int i = 0; i < spec->face_count[role] && i < BP_MAX_FACES_PER_ROLE; i++)
            if (add_role_face(fonts, library, (bp_font_role)role, &spec->faces[role][i], diags))
                failed = true;
    }
    FT_Done_FreeType(library);
    if (failed) {
        bp_fontset_destroy(fonts);
        return NULL;
    }
    return fonts;
}

void bp_fontset_destroy(bp_fontset *fonts)
{
    if (!fonts)
        return;
    for (int i = 0; i < BP_MAX_FACES; i++) {
        text_face *f = &fonts->faces[i];
        hb_font_destroy(f->font);
        hb_face_destroy(f->face);
        free((char *)f->info.path);
        free((char *)f->info.postscript_name);
        free((char *)f->info.family_name);
    }
    free(fonts);
}

int bp_fontset_face_count(const bp_fontset *fonts)
{
    return fonts->face_count;
}

const bp_face_info *bp_fontset_face(const bp_fontset *fonts, int face)
{
    return face >= 0 && face < fonts->face_count ? &fonts->faces[face].info : NULL;
}

static bp_len scale(int units, const bp_face_info *info, bp_len size)
{
    int64_t v = (int64_t)units * size;
    return (bp_len)((v + info->units_per_em / 2) / info->units_per_em);
}

bp_len bp_font_ascent(const bp_fontset *fonts, bp_font_role role, bp_len size)
{
    const bp_face_info *info = &fonts->faces[fonts->role_faces[role][0]].info;
    return scale(info->ascender, info, size);
}

bp_len bp_font_descent(const bp_fontset *fonts, bp_font_role role, bp_len size)
{
    const bp_face_info *info = &fonts->faces[fonts->role_faces[role][0]].info;
    return scale(info->descender, info, size);
}

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
#include FT_MODULE_H
#include FT_TRUETYPE_TABLES_H
#include <pthread.h>
#include <stddef.h>
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

/* ---- FreeType's memory ----
 * FreeType is given an allocator that keeps every block it hands out on a list, and frees
 * what is left when the library is done: some of FreeType's paths leak when an allocation
 * fails (FT_Init_FreeType goes on when a module cannot be added), and one render must never
 * leak, out of memory or not. The library lives only while the fonts load (one thread). */

typedef union ft_block {
    struct {
        union ft_block *prev, *next;
    } link;
    max_align_t align; /* what follows the header is aligned for any type */
} ft_block;

typedef struct ft_blocks {
    ft_block head; /* the list's sentinel */
} ft_blocks;

static void ft_link(ft_blocks *blocks, ft_block *b)
{
    b->link.prev = &blocks->head;
    b->link.next = blocks->head.link.next;
    b->link.next->link.prev = b;
    blocks->head.link.next = b;
}

static void ft_unlink(ft_block *b)
{
    b->link.prev->link.next = b->link.next;
    b->link.next->link.prev = b->link.prev;
}

static void *ft_alloc(FT_Memory memory, long size)
{
    ft_block *b = size >= 0 ? malloc(sizeof *b + (size_t)size) : NULL;
    if (!b)
        return NULL;
    ft_link(memory->user, b);
    return b + 1;
}

static void ft_free(FT_Memory memory, void *p)
{
    (void)memory;
    if (!p)
        return;
    ft_block *b = (ft_block *)p - 1;
    ft_unlink(b);
    free(b);
}

static void *ft_realloc(FT_Memory memory, long old_size, long new_size, void *p)
{
    (void)old_size;
    if (!p)
        return ft_alloc(memory, new_size);
    ft_block *b = (ft_block *)p - 1;
    ft_unlink(b);
    ft_block *grown = new_size >= 0 ? realloc(b, sizeof *b + (size_t)new_size) : NULL;
    ft_link(memory->user, grown ? grown : b); /* a failed realloc leaves the block as it was */
    return grown ? grown + 1 : NULL;
}

/* Starts a FreeType library whose memory is `blocks`; only the TrueType driver and the sfnt
 * module are needed, and without them nothing can be read. */
static FT_Library ft_start(struct FT_MemoryRec_ *memory, ft_blocks *blocks)
{
    blocks->head.link.prev = blocks->head.link.next = &blocks->head;
    *memory = (struct FT_MemoryRec_){
        .user = blocks, .alloc = ft_alloc, .free = ft_free, .realloc = ft_realloc};
    FT_Library library = NULL;
    if (FT_New_Library(memory, &library) != 0)
        return NULL;
    /* Not FT_Init_FreeType: no FREETYPE_PROPERTIES from the environment, for the pages must
     * be the same bytes on every machine; and a module that cannot be added is a failure. */
    FT_Add_Default_Modules(library);
    if (!FT_Get_Module(library, "truetype") || !FT_Get_Module(library, "sfnt")) {
        FT_Done_Library(library);
        return NULL;
    }
    return library;
}

/* Ends the library and frees whatever FreeType left. */
static void ft_end(FT_Library library, ft_blocks *blocks)
{
    if (library)
        FT_Done_Library(library);
    for (ft_block *b = blocks->head.link.next; b != &blocks->head;) {
        ft_block *next = b->link.next;
        free(b);
        b = next;
    }
    blocks->head.link.prev = blocks->head.link.next = &blocks->head;
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

/* Reads what identifies the file into info (every face, pinned or not: a PDF records it), then
 * checks it against the pin when the spec has one. */
static int verify_checksum(const bp_face_spec *spec, bp_face_info *info, bp_diags *diags)
{
    char *actual = info->head_sha256;
    long long size = 0;
    if (bp_sha256_file_head_hex(spec->path, FONT_HEAD_BYTES, actual, &size) != 0) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, spec->path, 0, 0, NULL,
                     "cannot read the font file (is its package installed? see fonts/README.md)");
        return -1;
    }
    info->file_size = size;
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

/* Frees what a face holds and empties its slot. */
static void clear_face(text_face *f)
{
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    free((char *)f->info.path);
    free((char *)f->info.postscript_name);
    free((char *)f->info.family_name);
    memset(f, 0, sizeof *f);
}

/* The HarfBuzz face and font of a face: never NULL, but HarfBuzz's empty ones when memory
 * ran out, which would read as a font without a single character. */
static int make_shaping_face(hb_blob_t *blob, const bp_face_spec *spec, text_face *out,
                             bp_diags *diags)
{
    out->face = hb_face_create(blob, spec->index);
    hb_face_make_immutable(out->face);
    out->font = hb_font_create(out->face);
    hb_font_set_scale(out->font, out->info.units_per_em, out->info.units_per_em);
    hb_font_make_immutable(out->font);
    out->info.hb_face = out->face;
    if (out->face == hb_face_get_empty() || out->font == hb_font_get_empty()) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, spec->path, 0, 0, NULL, "out of memory");
        return -1;
    }
    return 0;
}

/* Loads one face into `out`; on failure the slot is left empty (a later face may take it). */
static int load_face(FT_Library library, const bp_face_spec *spec, text_face *out, bp_diags *diags)
{
    /* The pin says it is the right file; the tables' checksums that it is whole are summed
     * for every face at once when all are loaded (check_tables). */
    if (verify_checksum(spec, &out->info, diags) != 0)
        return -1;
    out->check_tables = spec->head_sha256 || spec->size;
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(spec->path);
    if (!blob) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, spec->path, 0, 0, NULL,
                     "cannot open the font file (or out of memory)");
        return -1;
    }
    out->info.path = strdup(spec->path);
    out->info.index = spec->index;
    if (!out->info.path)
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, spec->path, 0, 0, NULL, "out of memory");
    int rc = out->info.path && read_metrics(library, spec, &out->info, diags) == 0 &&
                     make_shaping_face(blob, spec, out, diags) == 0
                 ? 0
                 : -1;
    hb_blob_destroy(blob);
    if (rc != 0)
        clear_face(out);
    return rc;
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

/* Loads the face (once) and returns its id, or -1 with a diagnostic. */
static int face_id(bp_fontset *fonts, FT_Library library, const bp_face_spec *spec, bp_diags *diags)
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
    return id;
}

/* Loads a role's regular or bold faces; false when one failed. */
static bool add_role_faces(bp_fontset *fonts, FT_Library library, const bp_face_spec *specs,
                           int count, int *ids, int *id_count, bp_diags *diags)
{
    bool ok = true;
    for (int i = 0; i < count && i < BP_MAX_FACES_PER_ROLE; i++) {
        int id = face_id(fonts, library, &specs[i], diags);
        if (id < 0)
            ok = false;
        else
            ids[(*id_count)++] = id;
    }
    return ok;
}

/* ---- Whole files ----
 * Summing a face's tables reads all of it: 18 MB for one face of a Noto CJK collection, and
 * the four pinned Noto faces took a third of the sample's render when summed before anything
 * else. They are summed on threads of their own (one a face: the files are independent) while
 * the unit is read, checked and typeset; bp_fontset_verify waits for the verdict before a page
 * is written (every face's glyphs are read then: subsets, images). */

typedef struct table_check {
    const text_face *face;
    bp_diags diags;
    int rc;
    pthread_t thread;
    bool started;
} table_check;

struct text_checks {
    pthread_mutex_t lock; /* guards the rest: any thread may ask for the verdict */
    bool done, ok;
    table_check face[BP_MAX_FACES];
};

static void *check_one(void *arg)
{
    table_check *c = arg;
    c->rc = text_check_font_tables(c->face->info.path, c->face->info.index, &c->diags);
    return NULL;
}

/* Starts summing every pinned face; false when out of memory. */
static bool start_checks(bp_fontset *fonts)
{
    struct text_checks *checks = calloc(1, sizeof *checks);
    if (!checks || pthread_mutex_init(&checks->lock, NULL) != 0) {
        free(checks);
        return false;
    }
    fonts->checks = checks;
    for (int i = 0; i < fonts->face_count; i++) {
        table_check *c = &checks->face[i];
        c->face = &fonts->faces[i];
        if (!fonts->faces[i].check_tables)
            continue;
        /* A face no thread can be had for is summed here and now. */
        c->started = pthread_create(&c->thread, NULL, check_one, c) == 0;
        if (!c->started)
            check_one(c);
    }
    return true;
}

int bp_fontset_verify(const bp_fontset *fonts, bp_diags *diags)
{
    struct text_checks *checks = fonts->checks;
    if (!checks)
        return 0;
    pthread_mutex_lock(&checks->lock);
    if (!checks->done) {
        checks->ok = true;
        for (int i = 0; i < fonts->face_count; i++) {
            if (checks->face[i].started)
                pthread_join(checks->face[i].thread, NULL);
            checks->ok = checks->ok && checks->face[i].rc == 0;
        }
        checks->done = true;
    }
    for (int i = 0; i < fonts->face_count && diags; i++)
        for (size_t d = 0; d < checks->face[i].diags.count; d++)
            bp_diags_add_copy(diags, &checks->face[i].diags.items[d]);
    bool ok = checks->ok;
    pthread_mutex_unlock(&checks->lock);
    return ok ? 0 : -1;
}

static void end_checks(bp_fontset *fonts)
{
    if (!fonts->checks)
        return;
    bp_fontset_verify(fonts, NULL);
    for (int i = 0; i < fonts->face_count; i++)
        bp_diags_clear(&fonts->checks->face[i].diags);
    pthread_mutex_destroy(&fonts->checks->lock);
    free(fonts->checks);
    fonts->checks = NULL;
}

/* Reads a role's features: kerning is always off (see shape.c), then the layout's. */
static bool read_features(bp_fontset *fonts, bp_font_role role, const char *list, bp_diags *diags)
{
    hb_feature_t *out = fonts->role_features[role];
    unsigned *count = &fonts->role_feature_count[role];
    out[(*count)++] = (hb_feature_t){HB_TAG('k', 'e', 'r', 'n'), 0, 0, (unsigned)-1};
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, ",");
        if (n > 0 &&
            (*count > BP_MAX_ROLE_FEATURES || !hb_feature_from_string(p, (int)n, &out[*count]))) {
            bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, NULL, 0, 0, NULL,
                         "the font features of the role \"%s\" are not at most %d OpenType "
                         "features separated by commas, like \"hwid\": \"%s\"",
                         role_keys[role], BP_MAX_ROLE_FEATURES, list);
            return false;
        }
        if (n > 0)
            (*count)++;
        p += n + (p[n] == ',');
    }
    return true;
}

/* HarfBuzz interns a language in a list of its own the first time it is named, with atomics
 * ThreadSanitizer cannot see inside the uninstrumented library (it reported a race when two
 * compare workers loaded fonts at once): the text is always zh-Hans, named once per process. */
static pthread_once_t language_once = PTHREAD_ONCE_INIT;
static hb_language_t zh_hans;

static void find_language(void)
{
    zh_hans = hb_language_from_string("zh-Hans", -1);
}

hb_language_t text_language(void)
{
    pthread_once(&language_once, find_language);
    return zh_hans;
}

/* Shapes each figure character alone with the role's faces and features into its table, for
 * shape.c's figures: what HarfBuzz gives, once per process. */
static void prepare_figures(bp_fontset *fonts, bp_font_role role, bool bold)
{
    text_figures *out = &fonts->role_figures[role][bold];
    int count;
    const int *ids = text_role_faces(fonts, role, bold, &count);
    hb_font_t *font = fonts->faces[ids[0]].font;
    hb_buffer_t *buffer = hb_buffer_create();
    out->usable = hb_buffer_allocation_successful(buffer);
    out->face = ids[0];
    for (int i = 0; i < TEXT_FIGURE_COUNT && out->usable; i++) {
        hb_buffer_clear_contents(buffer);
        hb_buffer_add_utf8(buffer, &TEXT_FIGURE_CHARS[i], 1, 0, 1);
        hb_buffer_set_direction(buffer, HB_DIRECTION_LTR);
        hb_buffer_set_language(buffer, text_language());
        hb_buffer_guess_segment_properties(buffer);
        hb_shape(font, buffer, fonts->role_features[role], fonts->role_feature_count[role]);
        unsigned n = 0;
        const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buffer, &n);
        const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buffer, NULL);
        out->usable = n == 1 && info[0].codepoint != 0 && pos[0].x_offset == 0;
        if (out->usable) {
            out->glyph[i] = info[0].codepoint;
            out->advance[i] = pos[0].x_advance;
        }
    }
    hb_buffer_destroy(buffer);
}

bp_fontset *bp_fontset_load(const bp_fontset_spec *spec, bp_diags *diags)
{
    bp_fontset *fonts = bp_fontset_open(spec, diags);
    if (fonts && bp_fontset_verify(fonts, diags) != 0) {
        bp_fontset_destroy(fonts);
        return NULL;
    }
    return fonts;
}

bp_fontset *bp_fontset_open(const bp_fontset_spec *spec, bp_diags *diags)
{
    bp_fontset *fonts = calloc(1, sizeof *fonts);
    struct FT_MemoryRec_ memory;
    ft_blocks blocks;
    FT_Library library = fonts ? ft_start(&memory, &blocks) : NULL;
    if (!library) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, NULL, 0, 0, NULL,
                     "out of memory while loading the fonts");
        if (fonts)
            ft_end(NULL, &blocks);
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
        if (!add_role_faces(fonts, library, spec->faces[role], spec->face_count[role],
                            fonts->role_faces[role], &fonts->role_face_count[role], diags) ||
            !add_role_faces(fonts, library, spec->bold[role], spec->bold_count[role],
                            fonts->role_bold_faces[role], &fonts->role_bold_face_count[role],
                            diags) ||
            !read_features(fonts, (bp_font_role)role, spec->features[role], diags))
            failed = true;
    }
    if (!failed && !start_checks(fonts)) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, NULL, 0, 0, NULL,
                     "out of memory while loading the fonts");
        failed = true;
    }
    for (int role = 0; role < BP_ROLE__COUNT && !failed; role++) {
        prepare_figures(fonts, (bp_font_role)role, false);
        prepare_figures(fonts, (bp_font_role)role, true);
    }
    ft_end(library, &blocks);
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
    end_checks(fonts);
    for (int i = 0; i < BP_MAX_FACES; i++)
        clear_face(&fonts->faces[i]);
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

bool bp_font_has_bold(const bp_fontset *fonts, bp_font_role role)
{
    return fonts->role_bold_face_count[role] > 0;
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

/*
 * text.h: fonts, shaping and line breaking: turning UTF-8 into measured glyphs and lines.
 *
 * Fonts are named by role (body, heading, table, number); each role has a primary face and
 * fallback faces. A fontset is loaded once per process from the pinned font files, then is
 * immutable and shared read-only by every thread (like a frozen hb_font_t). Shaping is buffer
 * in, buffer out: text goes in, positioned glyphs come out into a caller-owned bp_shaped, each
 * glyph keeping its cluster (the byte offset of its text), so copy and search work in the PDF
 * and a missing glyph is reported with the character and where it is.
 *
 * Lengths are bp_len, integers in thousandths of a point (1 pt = 1000), so layout is exact
 * integer arithmetic and the same input lays out identically on every machine.
 */
#ifndef BUDGETPRESS_TEXT_H
#define BUDGETPRESS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "diag.h"

/* A length in thousandths of a point. A4 is 595276 x 841890. */
typedef int32_t bp_len;
#define BP_LEN_PER_PT 1000
#define BP_PT(points) ((bp_len)((points)*BP_LEN_PER_PT))

/* ---- Fonts ---------------------------------------------------------------------------------- */

typedef enum bp_font_role {
    BP_ROLE_BODY,    /* 宋体: paragraphs */
    BP_ROLE_HEADING, /* 黑体: titles and headings */
    BP_ROLE_TABLE,   /* 宋体: table cells */
    BP_ROLE_NUMBER,  /* amounts and codes in tables */
    BP_ROLE__COUNT
} bp_font_role;

BP_API const char *bp_font_role_key(bp_font_role role); /* "body", "heading", … */

/* One face of a font file, as the layout names it. The file is checked by its size and the
 * SHA-256 of its first 64 KiB, where a TrueType file keeps its table directory with every
 * table's checksum: any change to the font shows there, and the check costs microseconds,
 * where hashing the whole 37 MB of the pinned fonts would cost 120 ms on every run. (CMake
 * checks the whole files' SHA-256 when it configures.) */
typedef struct bp_face_spec {
    const char *path;        /* the font file (.ttf or .ttc) */
    unsigned index;          /* face index inside a .ttc collection */
    long long size;          /* expected file size in bytes, or 0 to skip the check */
    const char *head_sha256; /* expected SHA-256 of the first 64 KiB in hex, or NULL to skip */
} bp_face_spec;

enum { BP_MAX_FACES_PER_ROLE = 4, BP_MAX_FACES = 8 };

/* Which faces serve each role: faces[0] first, then the fallbacks in order; and, optionally,
 * the role's bold faces (bold_count 0: bold is drawn as fill plus stroke, a "fake bold", with
 * the regular faces). The same file and index named by several roles is loaded once. */
typedef struct bp_fontset_spec {
    bp_face_spec faces[BP_ROLE__COUNT][BP_MAX_FACES_PER_ROLE];
    int face_count[BP_ROLE__COUNT];
    bp_face_spec bold[BP_ROLE__COUNT][BP_MAX_FACES_PER_ROLE];
    int bold_count[BP_ROLE__COUNT];
    /* OpenType features the role's text is shaped with, in HarfBuzz's syntax separated by
     * commas (e.g. "hwid": the half-width, equal-width figures that line up down a column), at
     * most BP_MAX_ROLE_FEATURES; NULL or "" for none. */
    const char *features[BP_ROLE__COUNT];
} bp_fontset_spec;

enum { BP_MAX_ROLE_FEATURES = 4 };

typedef struct bp_fontset bp_fontset;

/* What the layout and the backends may know of a loaded face. */
typedef struct bp_face_info {
    const char *path;
    unsigned index;
    const char *postscript_name; /* e.g. "UMingCN" */
    const char *family_name;     /* e.g. "AR PL UMing CN" */
    int units_per_em;
    int ascender;              /* font units, positive, above the baseline (hhea or OS/2 typo) */
    int descender;             /* font units, positive, below the baseline */
    bool has_bold;             /* false: bold is drawn as fill plus stroke */
    long long file_size;       /* the font file's size and the SHA-256 of its first 64 KiB in */
    char head_sha256[65];      /* hex: what identifies it (bp_face_spec), recorded in a PDF */
    struct hb_face_t *hb_face; /* for subsetting; read-only, owned by the fontset */
} bp_face_info;

/* Loads every face the spec names, checking each file's SHA-256 when given. On failure returns
 * NULL and adds one diagnostic per problem (missing file, wrong checksum, unreadable face).
 * The result is immutable and may be used from any number of threads at once. */
BP_API bp_fontset *bp_fontset_load(const bp_fontset_spec *spec, bp_diags *diags);
/* The same, but the files of pinned faces are still being read whole on threads of the
 * fontset's own, each table against its checksum (a file damaged beyond its pin): the fontset
 * may be used at once to shape and lay out, and bp_fontset_verify gives the verdict. */
BP_API bp_fontset *bp_fontset_open(const bp_fontset_spec *spec, bp_diags *diags);
/* Waits for the files' checks: 0 when every file is whole, else -1 with one diagnostic per
 * damaged table added to diags (when not NULL) on every call. Call before drawing a page.
 * Thread-safe. */
BP_API int bp_fontset_verify(const bp_fontset *fonts, bp_diags *diags);
BP_API void bp_fontset_destroy(bp_fontset *fonts);
/* Number of distinct faces, and each one's facts; face ids are 0 .. count-1. */
BP_API int bp_fontset_face_count(const bp_fontset *fonts);
BP_API const bp_face_info *bp_fontset_face(const bp_fontset *fonts, int face);

/* Whether the role has bold faces of its own: bold text is then shaped with them (bp_shape_range)
 * and drawn plainly; else it is shaped with the regular faces and drawn as a fake bold. */
BP_API bool bp_font_has_bold(const bp_fontset *fonts, bp_font_role role);

/* Vertical metrics of a role's primary face at a size: ascent and descent (positive). */
BP_API bp_len bp_font_ascent(const bp_fontset *fonts, bp_font_role role, bp_len size);
BP_API bp_len bp_font_descent(const bp_fontset *fonts, bp_font_role role, bp_len size);

/* ---- Shaping --------------------------------------------------------------------------------- */

typedef struct bp_glyph {
    uint32_t id;      /* glyph id in its face; 0 (.notdef) for a missing character */
    uint16_t face;    /* face id in the fontset */
    bp_len advance;   /* horizontal advance at the shaped size */
    uint32_t cluster; /* byte offset in the text of the first character this glyph draws */
} bp_glyph;

/* A character no face of the role has. */
typedef struct bp_missing_char {
    uint32_t codepoint;
    uint32_t offset; /* byte offset in the text */
} bp_missing_char;

/* Caller-owned result buffer, reused across calls to avoid allocating per paragraph. Owned by
 * one thread at a time. */
typedef struct bp_shaped {
    bp_glyph *glyphs;
    size_t count;
    size_t capacity;
    bp_missing_char *missing; /* characters no face of the role covers, in text order */
    size_t missing_count;
    size_t missing_capacity;
} bp_shaped;

#define BP_SHAPED_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0, NULL, 0, 0                                                                     \
    }
BP_API void bp_shaped_free(bp_shaped *shaped);

/* Shapes UTF-8 text (which must be valid) with the role's faces at size: each character takes
 * the first face of the role that has it (fallback); a character none has becomes glyph 0
 * and is listed in shaped->missing, so the caller can name it and where it is. Glyphs come out
 * in visual order, which for budget documents (no right-to-left text) is text order; advances
 * are the faces' nominal advances scaled to size, rounded to bp_len.
 * Returns 0, or -1 when out of memory (shaped is then empty). Thread-safe on a shared fontset. */
BP_API int bp_shape(const bp_fontset *fonts, bp_font_role role, bp_len size, const char *text,
                    size_t len, bp_shaped *shaped);
/* Shapes the bytes [start, end) of text and appends the glyphs to shaped (which bp_shaped_clear
 * empties), with the role's bold faces when bold and the role has them: a paragraph of spans
 * is shaped span by span. Clusters and missing characters' offsets count from text, and the
 * whole text is the shaper's context. Returns 0, or -1 when out of memory (shaped is then
 * empty). */
BP_API int bp_shape_range(const bp_fontset *fonts, bp_font_role role, bool bold, bp_len size,
                          const char *text, size_t len, size_t start, size_t end,
                          bp_shaped *shaped);
BP_API void bp_shaped_clear(bp_shaped *shaped);

/* ---- Line breaking --------------------------------------------------------------------------- */

/* One line of a broken paragraph: a range of glyphs and of text bytes. */
typedef struct bp_line {
    size_t glyph_start, glyph_end; /* [start, end) into bp_shaped.glyphs */
    size_t text_start, text_end;   /* [start, end) into the text */
    bp_len width;                  /* natural width: the sum of the advances */
    bool forced;   /* the line had to be broken where no break is allowed (too long a word) */
    bool hard_end; /* ends at a mandatory break (end of text or a line separator) */
} bp_line;

typedef struct bp_lines {
    bp_line *lines;
    size_t count;
    size_t capacity;
} bp_lines;

#define BP_LINES_INIT                                                                              \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }
BP_API void bp_lines_free(bp_lines *lines);

/* Breaks shaped text into lines no wider than width (first_width for the first line, for a
 * first-line indent or a hanging label). Break opportunities are UAX #14's (libunibreak, with
 * the Chinese tailoring) narrowed by the Chinese 禁则: no line starts with closing punctuation
 * such as ，。、；：？！）》」』” and none ends with opening punctuation such as （《「『“.
 * Numbers, codes and Latin words stay whole. A run with no break opportunity that is wider
 * than the line is broken between characters and the line marked forced. Greedy first fit.
 * Returns 0, or -1 when out of memory. */
BP_API int bp_break_lines(const bp_shaped *shaped, const char *text, size_t len, bp_len first_width,
                          bp_len width, bp_lines *lines);

/* What bp_break_lines_with may do besides. */
enum {
    /* No paragraph ends with a line of one character (基本支 / 出) where the line before can
     * break earlier, keep two characters and leave the last line two that fit: the same
     * number of lines, better shared. */
    BP_BREAK_NO_LONE_LAST = 1,
};
BP_API int bp_break_lines_with(const bp_shaped *shaped, const char *text, size_t len,
                               bp_len first_width, bp_len width, unsigned flags, bp_lines *lines);

#endif

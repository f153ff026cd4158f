/*
 * text_int.h: the loaded fontset as the text module's files see it. Nothing outside src/text/
 * includes this; other modules use the accessors of text.h.
 */
#ifndef BP_TEXT_INT_H
#define BP_TEXT_INT_H

#include <hb.h>
#include <stdbool.h>
#include <stdint.h>

#include "budgetpress/text.h"

typedef struct text_face {
    bp_face_info info; /* what other modules may know; strings point into the fontset */
    hb_face_t *face;   /* immutable after load */
    hb_font_t *font;   /* immutable after load; scale = units_per_em (font units) */
    bool check_tables; /* pinned: its tables are summed against their checksums (fontcheck.c) */
} text_face;

/* The characters of amounts, codes and 序号 (see shape.c's figures). */
#define TEXT_FIGURE_CHARS "0123456789.,-%"
enum { TEXT_FIGURE_COUNT = sizeof TEXT_FIGURE_CHARS - 1 };

/* A role's figures as its features draw them, shaped once when the fontset loads: glyph and
 * advance (font units) of each of TEXT_FIGURE_CHARS in the role's primary face. */
typedef struct text_figures {
    bool usable; /* the face has every one, one glyph each */
    int face;
    uint32_t glyph[TEXT_FIGURE_COUNT];
    int32_t advance[TEXT_FIGURE_COUNT];
} text_figures;

struct bp_fontset {
    text_face faces[BP_MAX_FACES];
    int face_count;
    /* For each role, the face ids to try in order: primary, then fallbacks. */
    int role_faces[BP_ROLE__COUNT][BP_MAX_FACES_PER_ROLE];
    int role_face_count[BP_ROLE__COUNT];
    /* The role's bold faces in the same order, when it has any (count 0: fake bold). */
    int role_bold_faces[BP_ROLE__COUNT][BP_MAX_FACES_PER_ROLE];
    int role_bold_face_count[BP_ROLE__COUNT];
    /* The features each role is shaped with (kerning off first, then the layout's). */
    hb_feature_t role_features[BP_ROLE__COUNT][1 + BP_MAX_ROLE_FEATURES];
    unsigned role_feature_count[BP_ROLE__COUNT];
    text_figures role_figures[BP_ROLE__COUNT][2]; /* [role][bold] */
    /* The files' checks, running or done (fontset.c): the one part that changes after
     * loading, behind its own lock. */
    struct text_checks *checks;
};

/* Sums every table of face `index` of the font file and compares it with the checksum its
 * directory records: 0, or -1 with a diagnostic naming the damaged table (fontcheck.c). */
int text_check_font_tables(const char *path, unsigned index, bp_diags *diags);

/* The language every text is shaped in, zh-Hans (fontset.c). Thread-safe. */
hb_language_t text_language(void);

/* The face ids of a role, in fallback order: its bold ones when bold and it has them. */
static inline const int *text_role_faces(const bp_fontset *fonts, bp_font_role role, bool bold,
                                         int *count)
{
    if (bold && fonts->role_bold_face_count[role] > 0) {
        *count = fonts->role_bold_face_count[role];
        return fonts->role_bold_faces[role];
    }
    *count = fonts->role_face_count[role];
    return fonts->role_faces[role];
}

#endif

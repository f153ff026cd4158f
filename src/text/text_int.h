/*
 * text_int.h: the loaded fontset as the text module's files see it. Nothing outside src/text/
 * includes this; other modules use the accessors of text.h.
 */
#ifndef BP_TEXT_INT_H
#define BP_TEXT_INT_H

#include <hb.h>

#include "budgetpress/text.h"

typedef struct text_face {
    bp_face_info info; /* what other modules may know; strings point into the fontset */
    hb_face_t *face;   /* immutable after load */
    hb_font_t *font;   /* immutable after load; scale = units_per_em (font units) */
} text_face;

struct bp_fontset {
    text_face faces[BP_MAX_FACES];
    int face_count;
    /* For each role, the face ids to try in order: primary, then fallbacks. */
    int role_faces[BP_ROLE__COUNT][BP_MAX_FACES_PER_ROLE];
    int role_face_count[BP_ROLE__COUNT];
};

/* Sums every table of face `index` of the font file and compares it with the checksum its
 * directory records: 0, or -1 with a diagnostic naming the damaged table (fontcheck.c). */
int text_check_font_tables(const char *path, unsigned index, bp_diags *diags);

/* The face ids of a role, in fallback order. */
static inline const int *text_role_faces(const bp_fontset *fonts, bp_font_role role, int *count)
{
    *count = fonts->role_face_count[role];
    return fonts->role_faces[role];
}

#endif

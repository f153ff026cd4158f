/*
 * refs.h: figures of the model named in the unit's text, so that the printed figure is always
 * the one in the tables.
 *
 * A text of the explanatory part may write {expense.total} where it would repeat 847.45; the
 * reference is replaced by the value the tables hold, formatted as the tables print it. {{ and
 * }} print single braces. docs/model.md ("Figures in the text") lists the names. A reference to
 * a name that does not exist, or to an amount that is blank in the tables (blank is not zero),
 * is an error naming the text's JSON path, the reference and why.
 *
 * Thread-safe: every function reads the unit only and writes only to what the caller passes.
 */
#ifndef BUDGETPRESS_REFS_H
#define BUDGETPRESS_REFS_H

#include <stddef.h>

#include "common.h"
#include "diag.h"
#include "model.h"

/* Room for the longest printed figure and its NUL ("-999999999999999.99", "减少"). */
#define BP_REF_TEXT_MAX 32

typedef enum bp_ref_status {
    BP_REF_OK,
    BP_REF_UNKNOWN, /* no figure has this name */
    BP_REF_NO_ROW,  /* basic_row:CODE or expense_row:CODE names a row the table does not have */
    BP_REF_BLANK,   /* the figure (or one side of a change) is blank in the model */
} bp_ref_status;

/* Resolves one name, written without its braces ("expense.total", "basic_row:30201"), to the
 * text printed for it, stored in text. When it does not resolve, text is "" and, when why is
 * not NULL, why (why_size bytes) says why in one line that begins with the reference. */
BP_API bp_ref_status bp_ref_resolve(const bp_unit *unit, const char *name,
                                    char text[BP_REF_TEXT_MAX], char *why, size_t why_size);

/* Expands the references of text into out, like snprintf: writes at most size - 1 bytes and a
 * NUL (nothing when size is 0, so out may then be NULL) and returns the length of the whole
 * expansion; it fitted when that is below size. A bad reference (an unknown name, a blank
 * amount, a brace that opens no reference) is copied as written and, when diags is not NULL,
 * added to it as an error of rule "REF" at path, in the unit's file. Stores the number of bad
 * references in *bad when bad is not NULL. */
BP_API size_t bp_refs_expand(const bp_unit *unit, const char *text, const char *path, char *out,
                             size_t size, bp_diags *diags, size_t *bad);

/* The same expansion without diagnostics, and marks (size bytes, like out) telling which bytes
 * of out a reference printed (1) and which the text itself (0): for reading the printed text
 * back, as check's FIGURE rule does with the figures typed as digits only. */
BP_API size_t bp_refs_expand_marked(const bp_unit *unit, const char *text, char *out,
                                    unsigned char *marks, size_t size);

/* Calls visit once for every text whose references are expanded, with its JSON path
 * ("explanation.sections.overview.blocks[0].paragraph"): the preface, then the headings,
 * paragraphs and list items of every section in order, then the performance part's texts.
 * Other texts (section titles, table cells and notes, the glossary) print as written. */
typedef void (*bp_text_visitor)(void *ctx, const char *text, const char *path);
BP_API void bp_refs_each_text(const bp_unit *unit, bp_text_visitor visit, void *ctx);

#endif

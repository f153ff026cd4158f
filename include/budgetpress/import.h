/*
 * import.h: a region's budget workbook in, a unit out (`budgetpress import`): what the workbook
 * readers give (workbook.h) read as the model's values.
 *
 * A profile (docs/import.md) says, as data, where a region's workbooks keep each table of a
 * kind: the sheet (by name or printed title), the header over each column (a path of labels
 * from the group down), the labels of lines, how codes and the money unit are written. The
 * import reads every table it names, keeps every value with its cell (部门支出总表!E12) for the
 * messages, takes the unit's name, code and year from the sheets, and what the workbook lacks
 * (the text, performance targets, procurement, assets) from a base unit.
 *
 * Profiles and imports are immutable once made; one thread each, many at once.
 */
#ifndef BUDGETPRESS_IMPORT_H
#define BUDGETPRESS_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "amount.h"
#include "common.h"
#include "kind.h"
#include "workbook.h"

/* Reads a cell as an amount in hundredths, exactly: a number as the file wrote it, or a text
 * with ASCII or full-width digits, thousands separators every three digits, a leading minus or
 * parentheses for a negative, spaces anywhere. An empty cell (NULL) or one of spaces is blank,
 * not 0. Binary noise past the hundredths (0.30000000000000004) is rounded away; a real third
 * decimal is refused. On refusal, why says in one line what the cell holds and why it is no
 * amount, to follow its reference: "\"1,2O4.00\" is not an amount (a letter O among the
 * digits)". why holds at least 160 bytes. */
BP_API bool bp_cell_amount(const bp_cell *cell, bp_amount *out, char *why, size_t why_size);

/* The key two labels are compared by: without spaces, line breaks or padding of any width, and
 * full-width ASCII forms folded to ASCII ("2.17单位支出总表 " and "2.17单位支出总表", "（一）"
 * and "(一)" have one key); nothing else is folded. The key is cut to fit `size` bytes. */
BP_API void bp_label_key(const char *text, char *out, size_t size);
BP_API bool bp_label_matches(const char *a, const char *b);
/* The first sheet whose name matches one of names (bp_label_matches), or -1. */
BP_API long bp_workbook_find_sheet(const bp_workbook *book, const char *const *names, size_t count);

/* ---- Profiles ---- */

typedef struct bp_profile bp_profile;

/* Reads a profile ("format": "budgetpress.profile/1"); NULL with every problem in diags, each
 * with its JSON path. Whether its tables, columns and lines are the kind's is checked by
 * bp_import_book. */
BP_API bp_profile *bp_profile_load_file(const char *path, bp_diags *diags);
BP_API bp_profile *bp_profile_load_buffer(const char *data, size_t size, const char *name,
                                          bp_diags *diags);
BP_API void bp_profile_destroy(bp_profile *profile);
/* The kind it reads into (a layout's name) and its own name. */
BP_API const char *bp_profile_kind(const bp_profile *profile);
BP_API const char *bp_profile_name(const bp_profile *profile);
/* How many of its tables the workbook has a sheet for (by name or title): which profile a
 * workbook is for. */
BP_API size_t bp_profile_tables_found(const bp_profile *profile, const bp_workbook *book);

/* ---- Importing ---- */

typedef struct bp_import bp_import;

/* Reads the workbook under the profile into a unit of the kind. base (may be NULL) is an
 * existing unit's JSON whose other parts (text, performance, procurement, assets, its code)
 * are kept, and whose table notes stay on tables the workbook leaves empty. Every problem goes
 * to diags, against the workbook's cells (path "部门支出总表!E12"), the profile's JSON paths or
 * the unit's; the unit is made even so, with what could be read. NULL when the profile does not
 * fit the kind, the base cannot be read, or memory ran out (diags say which). */
BP_API bp_import *bp_import_book(const bp_workbook *book, const char *book_name,
                                 const bp_profile *profile, const bp_kind *kind, const char *base,
                                 size_t base_size, const char *base_name, bp_diags *diags);
/* The unit as JSON text (UTF-8, indented). */
BP_API const char *bp_import_json(const bp_import *im, size_t *size);
/* The cell a value of the unit came from ("部门支出总表!E12") by the value's JSON path or the
 * address check's rules use (tables.expense.201.total), or by its nearest parent's; NULL when
 * it came from no cell. The text is the import's until the next call. */
BP_API const char *bp_import_cell(bp_import *im, const char *path);
/* Where each part of the unit came from: ("tables.expense", "部门支出总表"), ("explanation",
 * "base"), ("unit.name", "封面!A9"). */
BP_API size_t bp_import_part_count(const bp_import *im);
BP_API void bp_import_part_at(const bp_import *im, size_t i, const char **what, const char **from);
BP_API void bp_import_destroy(bp_import *im);

#endif

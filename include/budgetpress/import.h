/*
 * import.h: a region's budget workbook in, a unit out (`budgetpress import`): what the workbook
 * readers give (workbook.h) read as the model's values.
 *
 * So far: one cell as an amount, and labels and sheets found however a writer spelled them.
 * Profiles (which sheet holds which table, where its rows and columns are) come next.
 */
#ifndef BUDGETPRESS_IMPORT_H
#define BUDGETPRESS_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "amount.h"
#include "common.h"
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

#endif

/*
 * fuzz_import.c: a workbook's tables read under a profile, from any bytes, two ways:
 *   fuzz_import   the bytes are a workbook (.xlsx), read under the shipped 上海 profile: any
 *                 sheet, header, label or value a damaged or hostile workbook holds must give a
 *                 unit or problems, never a crash, a leak or a runaway (deep formulas,
 *                 circular sums, huge ranges);
 *   fuzz_profile  the bytes are a profile, read against the 上海 kind and used on the district's
 *                 template (tests/data/import).
 * Whatever is made must be JSON that reads back, and every cell it names must be a cell of a
 * sheet the workbook has. Seeds: filled workbooks (scripts/fuzz.sh makes them) and profiles/.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budgetpress/import.h"
#include "budgetpress/kind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static bp_kind *kind;
static bp_profile *profile;
static bp_workbook *template_book;

static void die(const char *what, bp_diags *diags)
{
    fprintf(stderr, "fuzz_import: %s\n", what);
    for (size_t i = 0; diags && i < diags->count; i++)
        bp_diag_print(stderr, &diags->items[i]);
    exit(1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    bp_diags diags = BP_DIAGS_INIT;
    if (bp_kind_load_file(BP_SOURCE_DIR "/layouts/shanghai-2025-budget.json", &kind, &diags) != 0)
        die("the kind cannot be loaded", &diags);
    profile = bp_profile_load_file(BP_SOURCE_DIR "/profiles/shanghai-2026-department.json", &diags);
    template_book = bp_workbook_open(
        BP_SOURCE_DIR "/tests/data/import/shanghai-2026-dept-template.xlsx", &diags);
    if (!profile || !template_book)
        die("the profile or the template cannot be loaded", &diags);
    bp_diags_clear(&diags);
    return 0;
}

/* The unit made reads back as JSON, and the cells named for its values are the workbook's. */
static void check_import(bp_import *im, const bp_workbook *book)
{
    size_t size;
    const char *text = bp_import_json(im, &size);
    json_error_t error;
    json_t *unit = json_loadb(text, size, 0, &error);
    if (!unit)
        abort();
    static const char *const paths[] = {"tables.expense.rows[0].amounts.total",
                                        "tables.expense.total.total",
                                        "tables.expense.201.basic",
                                        "tables.summary.income.grand_total.amount",
                                        "tables.three_public.total",
                                        "unit.name",
                                        "unit.code"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        const char *cell = bp_import_cell(im, paths[i]);
        const char *bang = cell ? strrchr(cell, '!') : NULL;
        if (cell && !bang)
            abort();
        bool known = !cell;
        for (size_t s = 0; cell && s < bp_workbook_sheet_count(book); s++) {
            const char *name = bp_workbook_sheet_name(book, s);
            known = known || (strncmp(cell, name, (size_t)(bang - cell)) == 0);
        }
        if (!known)
            abort();
    }
    json_decref(unit);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bp_diags diags = BP_DIAGS_INIT;
#ifdef FUZZ_PROFILE
    bp_profile *p = bp_profile_load_buffer((const char *)data, size, "fuzz-profile.json", &diags);
    const bp_workbook *book = template_book;
    bp_workbook *own = NULL;
    if (!p || !book) {
        bp_profile_destroy(p);
        bp_diags_clear(&diags);
        return 0;
    }
#else
    const bp_profile *p = profile;
    bp_workbook *own = bp_workbook_read(data, size, "fuzz.xlsx", &diags);
    const bp_workbook *book = own;
    if (!book) {
        if (diags.count == 0)
            abort(); /* refused without a word */
        bp_diags_clear(&diags);
        return 0;
    }
#endif
    bp_import *im = bp_import_book(book, "fuzz.xlsx", p, kind, NULL, 0, NULL, &diags);
    if (im)
        check_import(im, book);
    else if (diags.count == 0)
        abort();
    bp_import_destroy(im);
    bp_workbook_close(own);
#ifdef FUZZ_PROFILE
    bp_profile_destroy(p);
#endif
    bp_diags_clear(&diags);
    return 0;
}

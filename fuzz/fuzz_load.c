/*
 * fuzz_load.c: libFuzzer target for the unit loader and the checks, the edge where untrusted
 * bytes enter budgetpress. Any byte string must give either a unit or diagnostics: never a
 * crash, a hang, a leak or undefined behaviour (the build adds ASan and UBSan). An input that
 * names one of the shipped kinds given as data is read against that kind and checked by its
 * rules, so the kinds' loader and rules are fuzzed too.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "budgetpress/check.h"
#include "budgetpress/kind.h"
#include "budgetpress/model.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The shipped kinds, read once per fuzzing process. */
static const char *const kind_files[] = {"shanghai-2024-final", "shanghai-2025-budget"};
static bp_kind *kinds[sizeof kind_files / sizeof kind_files[0]];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/layouts/%s.json", BP_SOURCE_DIR, kind_files[i]);
        bp_diags diags = BP_DIAGS_INIT;
        if (bp_kind_load_file(path, &kinds[i], &diags) != 0 || !kinds[i]) {
            fprintf(stderr, "fuzz_load: cannot read the kind of %s\n", path);
            exit(1);
        }
        bp_diags_clear(&diags);
    }
    return 0;
}

/* The shipped kind the input names, or NULL (the built-in one). */
static const bp_kind *kind_named(const uint8_t *data, size_t size)
{
    char *name = NULL;
    const bp_kind *kind = NULL;
    if (bp_unit_peek_kind((const char *)data, size, &name) == 0 && name)
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            if (strcmp(name, kinds[i]->id) == 0)
                kind = kinds[i];
    free(name);
    return kind;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    const bp_kind *kind = kind_named(data, size);
    if (bp_unit_load_buffer_of_kind((const char *)data, size, "fuzz.json", kind, &unit, &diags) ==
        0) {
        bp_check_unit(unit, &diags);
        bp_unit_destroy(unit);
    }
    bp_diags_clear(&diags);
    return 0;
}

/*
 * fuzz_render.c: libFuzzer target for the whole render path: a unit's bytes are loaded,
 * checked, typeset with the reference layout and written as PDF (to nowhere). Whatever the
 * bytes, the end is a PDF or diagnostics: never a crash, a hang, a leak or undefined behaviour
 * (the build adds ASan and UBSan, and UB stops the run).
 */
#include <stddef.h>
#include <stdint.h>

#include "budgetpress/check.h"
#include "budgetpress/model.h"
#include "fuzz_support.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loaded once per process and only read after: the fuzzing run's fixed inputs. */
static bp_layout *layout;
static bp_fontset *fonts;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_load_reference(&layout, &fonts);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    if (bp_unit_load_buffer((const char *)data, size, "fuzz.json", &unit, &diags) == 0) {
        bp_check_unit(unit, &diags);
        fuzz_typeset_and_write(unit, layout, fonts);
        bp_unit_destroy(unit);
    }
    bp_diags_clear(&diags);
    return 0;
}

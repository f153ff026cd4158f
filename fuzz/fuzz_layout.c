/*
 * fuzz_layout.c: libFuzzer target for layout files: the bytes are read as a layout and, when
 * they are one, the reference unit's minimal form is typeset with it and written as PDF (to
 * nowhere), so that what a layout may say (sizes, margins, widths, orders, placeholders) is
 * tried by the typesetter too. Never a crash, a hang, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "budgetpress/model.h"
#include "fuzz_support.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loaded once per process and only read after: the fuzzing run's fixed inputs. The fonts
 * are the reference layout's, whatever fonts the fuzzed layout names. */
static bp_layout *reference;
static bp_fontset *fonts;
static bp_unit *unit;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_load_reference(&reference, &fonts);
    bp_diags diags = BP_DIAGS_INIT;
    if (bp_unit_load_file(BP_SOURCE_DIR "/tests/data/minimal-unit.json", &unit, &diags) != 0)
        abort();
    bp_diags_clear(&diags);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bp_diags diags = BP_DIAGS_INIT;
    bp_layout *layout = bp_layout_load_buffer((const char *)data, size, "fuzz-layout.json",
                                              BP_SOURCE_DIR "/fonts/fonts.json", &diags);
    if (layout)
        fuzz_typeset_and_write(unit, layout, fonts);
    bp_layout_destroy(layout);
    bp_diags_clear(&diags);
    return 0;
}

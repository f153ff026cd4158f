/*
 * fuzz_load.c: libFuzzer target for the unit loader and the checks, the edge where untrusted
 * bytes enter budgetpress. Any byte string must give either a unit or diagnostics: never a
 * crash, a hang, a leak or undefined behaviour (the build adds ASan and UBSan).
 */
#include <stddef.h>
#include <stdint.h>

#include "budgetpress/check.h"
#include "budgetpress/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    if (bp_unit_load_buffer((const char *)data, size, "fuzz.json", &unit, &diags) == 0) {
        bp_check_unit(unit, &diags);
        bp_unit_destroy(unit);
    }
    bp_diags_clear(&diags);
    return 0;
}

/*
 * fuzz_support.h: what the libFuzzer targets share: the reference layout and the pinned fonts,
 * loaded once per fuzzing process (LLVMFuzzerInitialize), and a PDF writer that keeps nothing.
 */
#ifndef BP_FUZZ_SUPPORT_H
#define BP_FUZZ_SUPPORT_H

#include <stddef.h>

#include "budgetpress/layout.h"
#include "budgetpress/render.h"
#include "budgetpress/text.h"

/* The reference layout and its fonts; the process ends if they cannot be loaded (a fuzzing
 * run without them would test nothing). */
void fuzz_load_reference(bp_layout **layout, bp_fontset **fonts);

/* Typesets the unit and writes its PDF to nowhere: every stage after loading. */
void fuzz_typeset_and_write(const bp_unit *unit, const bp_layout *layout, const bp_fontset *fonts);

#endif

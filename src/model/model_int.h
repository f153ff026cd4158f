/*
 * model_int.h: what the model's files share and nothing outside src/model/ needs.
 */
#ifndef BP_MODEL_INT_H
#define BP_MODEL_INT_H

#include "budgetpress/model.h"

#include "../util/util.h"

/* The JSON form this loader reads; a file names it in its "format" key. */
#define BP_MODEL_FORMAT "budgetpress.unit/1"

/* A new empty unit with its own arena, named for messages; NULL when out of memory. */
bp_unit *bp_unit_new(const char *source);

#endif

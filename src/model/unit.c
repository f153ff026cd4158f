/*
 * unit.c: a unit's life: made empty by the loader, freed whole with its arena.
 */
#include "model_int.h"

#include <stdlib.h>
#include <string.h>

bp_unit *bp_unit_new(const char *source)
{
    bp_arena *arena = bp_arena_create();
    if (!arena)
        return NULL;
    bp_unit *unit = bp_arena_alloc(arena, sizeof *unit);
    const char *name = source ? bp_arena_strndup(arena, source, strlen(source)) : NULL;
    if (!unit || (source && !name)) {
        bp_arena_destroy(arena);
        return NULL;
    }
    unit->arena = arena;
    unit->source = name;
    return unit;
}

void bp_unit_destroy(bp_unit *unit)
{
    if (unit)
        bp_arena_destroy(unit->arena);
}

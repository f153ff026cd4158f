/*
 * grow.c: the one way budgetpress grows an array: doubling, so that n appends cost O(n), with
 * every size checked for overflow (Redis's "Catch size_t overflow"). Eight places once doubled
 * a capacity by hand, none of them checking that capacity * 2 * size still fits in a size_t.
 */
#include <stdint.h>
#include <stdlib.h>

#include "util.h"

bool bp_capacity_for(size_t capacity, size_t needed, size_t size, size_t initial, size_t *out)
{
    assert(size > 0 && initial > 0);
    size_t next = capacity ? capacity : initial;
    while (next < needed) {
        if (next > SIZE_MAX / 2)
            return false;
        next *= 2;
    }
    if (next > SIZE_MAX / size)
        return false;
    *out = next;
    return true;
}

void *bp_grow(void *items, size_t *capacity, size_t needed, size_t size, size_t initial)
{
    if (needed <= *capacity)
        return items;
    size_t next;
    if (!bp_capacity_for(*capacity, needed, size, initial, &next))
        return NULL;
    void *grown = realloc(items, next * size);
    if (grown)
        *capacity = next;
    return grown;
}

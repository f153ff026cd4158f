/*
 * bpgen_kind.h: bpgen --from UNIT.json, units of a kind given as data (bpgen_kind.c).
 */
#ifndef BPGEN_KIND_H
#define BPGEN_KIND_H

#include <stdint.h>

/* bpgen --from UNIT.json: units of the unit's kind (bpgen_kind.c). */
typedef struct kind_options {
    const char *from;   /* a unit of a kind given as data */
    const char *layout; /* its kind's layout; NULL: ../layouts/KIND.json beside the unit */
    uint64_t seed;
    long rows;  /* at least this many rows in each ledger; 0: as the unit has */
    long count; /* 0: one unit */
    const char *output;
} kind_options;
int generate_of_kind(const kind_options *opt);

#endif

/*
 * bpgen_util.h: what bpgen's two generators share: the 2022 kind's (bpgen.c) and the generator
 * of units of a kind given as data (bpgen_kind.c): exit statuses, the PRNG, writing files.
 */
#ifndef BPGEN_UTIL_H
#define BPGEN_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses: 2 for bad arguments, as budgetpress itself uses for unusable input. */
enum { EXIT_OK = 0, EXIT_IO = 1, EXIT_USAGE = 2 };

/* ---- PRNG: splitmix64, small, fast and the same on every platform ---- */

typedef struct rng {
    uint64_t state;
} rng;

static inline uint64_t rng_next(rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* A number in [0, n). The modulo bias is far below anything a test could notice. */
static inline uint64_t rng_below(rng *r, uint64_t n)
{
    return n ? rng_next(r) % n : 0;
}

/* A number in [lo, hi]. */
static inline int64_t rng_range(rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)rng_below(r, (uint64_t)(hi - lo + 1));
}

static inline bool rng_chance(rng *r, unsigned percent)
{
    return rng_below(r, 100) < percent;
}

/* Each unit of a batch gets its own stream from (seed, index), so that unit 17 of a batch is
 * the same whatever the batch size. */
rng rng_for_unit(uint64_t seed, uint64_t index);

/* Writes text and a newline to path (stdout when NULL): EXIT_OK or EXIT_IO, said. */
int write_text(const char *path, const char *text, size_t len);
/* mkdir -p. */
bool make_directories(const char *path);

#endif

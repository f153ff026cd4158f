/*
 * bench_timer.h: the benchmarks' own timer: the monotonic clock, and the median of a sample.
 */
#ifndef BP_BENCH_TIMER_H
#define BP_BENCH_TIMER_H

#include <stdlib.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int bench_compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts the sample in place and returns its median. */
static inline double bench_median(double *times, size_t n)
{
    qsort(times, n, sizeof *times, bench_compare_doubles);
    return times[n / 2];
}

#endif

/*
 * bench_load.c: how fast a unit's JSON becomes a checked model.
 *
 * Loads each file given REPEAT times (reading the file, parsing, validating, building the
 * model, running the checks) and prints the median and best wall time per load, the input
 * throughput and the process's peak memory. Timed with the monotonic clock in-process, so the
 * figures exclude process start-up; run it through hyperfine for whole-process times.
 *
 * Usage: bench_load [-n REPEAT] UNIT.json...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "bench_timer.h"
#include "budgetpress/check.h"
#include "budgetpress/model.h"

/* One load and check; returns its wall time, or a negative value when the unit does not load. */
static double time_one_load(const char *path, size_t *rows)
{
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    double start = bench_now();
    int rc = bp_unit_load_file(path, &unit, &diags);
    if (rc == 0)
        bp_check_unit(unit, &diags);
    double elapsed = bench_now() - start;
    if (rc == 0)
        *rows = unit->expense_summary.row_count;
    bp_unit_destroy(unit);
    bp_diags_clear(&diags);
    return rc == 0 ? elapsed : -1.0;
}

static int bench_file(const char *path, int repeat)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    double *times = malloc(sizeof(double) * (size_t)repeat);
    size_t rows = 0;
    for (int i = 0; i < repeat; i++) {
        times[i] = time_one_load(path, &rows);
        if (times[i] < 0) {
            fprintf(stderr, "%s: does not load; run budgetpress check on it\n", path);
            free(times);
            return 1;
        }
    }
    qsort(times, (size_t)repeat, sizeof(double), bench_compare_doubles);
    double median = times[repeat / 2];
    printf("%-40s %9.0f KB %7zu rows  median %8.3f ms  best %8.3f ms  %7.1f MB/s\n", path,
           (double)st.st_size / 1024.0, rows, median * 1e3, times[0] * 1e3,
           (double)st.st_size / median / 1e6);
    free(times);
    return 0;
}

int main(int argc, char **argv)
{
    int repeat = 20;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        repeat = atoi(argv[2]);
        first = 3;
    }
    if (first >= argc || repeat < 1) {
        fprintf(stderr, "usage: bench_load [-n REPEAT] UNIT.json...\n");
        return 2;
    }
    int status = 0;
    for (int i = first; i < argc; i++)
        status |= bench_file(argv[i], repeat);
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("peak resident memory: %.1f MB\n", (double)usage.ru_maxrss / 1024.0);
    return status;
}

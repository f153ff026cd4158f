/*
 * bench_import.c: where an import's time goes: reading the workbook (unzip and XML), reading its
 * tables under the profile into the unit's JSON, loading that unit, and checking it.
 *
 * Runs each stage REPEAT times on one workbook and prints each stage's median wall time
 * (monotonic clock, in-process: no process start-up), and their sum.
 *
 * Usage: bench_import [-n REPEAT] BOOK.xlsx PROFILE.json LAYOUT.json [BASE.json]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_timer.h"
#include "budgetpress/check.h"
#include "budgetpress/import.h"
#include "budgetpress/model.h"

enum { STAGE_OPEN, STAGE_READ, STAGE_LOAD, STAGE_CHECK, STAGES };
static const char *const stage_names[] = {"open the workbook", "read its tables", "load the unit",
                                          "check the unit"};

static char *slurp(const char *path, size_t *size)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(f);
    if (data)
        data[n] = '\0';
    *size = (size_t)n;
    return data;
}

/* One import, each stage timed into t[]; false when a stage fails. */
static bool time_one(const char *book_path, const bp_profile *profile, const bp_kind *kind,
                     const char *base, size_t base_size, double *t, size_t *cells)
{
    bp_diags diags = BP_DIAGS_INIT;
    double start = bench_now();
    bp_workbook *book = bp_workbook_open(book_path, &diags);
    t[STAGE_OPEN] = bench_now() - start;
    *cells = 0;
    for (size_t s = 0; book && s < bp_workbook_sheet_count(book); s++) {
        size_t n;
        bp_workbook_cells(book, s, &n);
        *cells += n;
    }
    start = bench_now();
    bp_import *im =
        book ? bp_import_book(book, book_path, profile, kind, base, base_size, "base", &diags)
             : NULL;
    t[STAGE_READ] = bench_now() - start;
    size_t size = 0;
    const char *json = im ? bp_import_json(im, &size) : NULL;
    bp_unit *unit = NULL;
    start = bench_now();
    int rc = json ? bp_unit_load_buffer_of_kind(json, size, "unit", kind, &unit, &diags) : -1;
    t[STAGE_LOAD] = bench_now() - start;
    start = bench_now();
    if (rc == 0)
        bp_check_unit(unit, &diags);
    t[STAGE_CHECK] = bench_now() - start;
    bool ok = rc == 0 && bp_diags_count(&diags, BP_SEVERITY_ERROR) == 0;
    if (!ok)
        for (size_t i = 0; i < diags.count && i < 5; i++)
            bp_diag_print(stderr, &diags.items[i]);
    bp_unit_destroy(unit);
    bp_import_destroy(im);
    bp_workbook_close(book);
    bp_diags_clear(&diags);
    return ok;
}

int main(int argc, char **argv)
{
    int repeat = 10, arg = 1;
    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        repeat = atoi(argv[2]);
        arg = 3;
    }
    if (argc - arg < 3 || repeat < 1) {
        fputs("usage: bench_import [-n REPEAT] BOOK.xlsx PROFILE.json LAYOUT.json [BASE.json]\n",
              stderr);
        return 2;
    }
    bp_diags diags = BP_DIAGS_INIT;
    bp_profile *profile = bp_profile_load_file(argv[arg + 1], &diags);
    bp_kind *kind = NULL;
    size_t base_size = 0;
    char *base = slurp(argc - arg > 3 ? argv[arg + 3] : NULL, &base_size);
    if (!profile || bp_kind_load_file(argv[arg + 2], &kind, &diags) != 0 || !kind) {
        for (size_t i = 0; i < diags.count; i++)
            bp_diag_print(stderr, &diags.items[i]);
        return 2;
    }
    double *times = malloc(sizeof(double) * (size_t)repeat * STAGES);
    double *total = malloc(sizeof(double) * (size_t)repeat);
    size_t cells = 0;
    for (int i = 0; i < repeat; i++) {
        double t[STAGES];
        if (!time_one(argv[arg], profile, kind, base, base_size, t, &cells)) {
            fprintf(stderr, "bench_import: %s does not import clean\n", argv[arg]);
            return 1;
        }
        total[i] = 0;
        for (int s = 0; s < STAGES; s++) {
            times[s * repeat + i] = t[s];
            total[i] += t[s];
        }
    }
    printf("%s: %zu cells, median of %d\n", argv[arg], cells, repeat);
    for (int s = 0; s < STAGES; s++)
        printf("  %-20s %8.2f ms\n", stage_names[s],
               1e3 * bench_median(times + s * repeat, (size_t)repeat));
    printf("  %-20s %8.2f ms\n", "in all", 1e3 * bench_median(total, (size_t)repeat));
    free(times);
    free(total);
    free(base);
    bp_kind_destroy(kind);
    bp_profile_destroy(profile);
    bp_diags_clear(&diags);
    return 0;
}

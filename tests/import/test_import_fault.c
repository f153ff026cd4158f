/*
 * test_import_fault.c: an import (the workbook opened, its tables read under the profile, the
 * unit made) with its Nth allocation failed, for every N (SQLite's do_faultsim_test). Each run
 * must end cleanly: the unit made all the same and the very bytes made without a failure, or a
 * refusal with a message; never a crash, a silent loss, or a block leaked.
 *
 * Spared (their allocations counted, never failed), because they mishandle a failed one
 * themselves: jansson, as in test_alloc_fault (its lexer: upstream akheron/jansson#362), and
 * libzip 1.7.3 (Debian 12), which leaks a block when an allocation inside zip_fopen fails.
 * What is failed is our code, expat, zlib and the C library.
 *
 * Usage: test_import_fault BOOK.xlsx PROFILE.json LAYOUT.json BASE.json
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budgetpress/import.h"
#include "support/failmalloc.h"

static const char *book_path;
static bp_profile *profile;
static bp_kind *kind;
static char *base;
static size_t base_size;
static char *reference; /* the unit made without a failure */

static char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    data[n] = '\0';
    fclose(f);
    *size = (size_t)n;
    return data;
}

typedef struct run {
    bool made, same, said, said_oom;
    failmalloc_state alloc;
} run;

/* One import with allocation fail_at failed (0: none). */
static run import_once(long fail_at)
{
    run r = {0};
    bp_diags diags = BP_DIAGS_INIT;
    failmalloc_arm(fail_at);
    bp_workbook *book = bp_workbook_open(book_path, &diags);
    bp_import *im =
        book ? bp_import_book(book, book_path, profile, kind, base, base_size, "base.json", &diags)
             : NULL;
    if (im) {
        size_t size;
        const char *json = bp_import_json(im, &size);
        r.made = true;
        r.same = reference && strlen(reference) == size && memcmp(json, reference, size) == 0;
        if (!reference)
            reference = strdup(json);
    }
    r.said = diags.count > 0;
    for (size_t i = 0; i < diags.count; i++)
        r.said_oom |= strstr(diags.items[i].message, "out of memory") != NULL;
    bp_import_destroy(im);
    bp_workbook_close(book);
    bp_diags_clear(&diags);
    r.alloc = failmalloc_disarm();
    return r;
}

static long baseline; /* blocks a run without a failure leaves */

static const char *what_is_wrong(const run *r, bool count_leaks)
{
    if (count_leaks && r->alloc.live > baseline)
        return "blocks leaked";
    if (r->made && !r->same && !r->said_oom)
        return "made a different unit without saying why";
    if (!r->made && !r->said)
        return "refused without a word";
    return NULL;
}

static void every_allocation_fails_cleanly(void **state)
{
    (void)state;
    run first = import_once(0);
    assert_true(first.made);
    run second = import_once(0);
    assert_true(second.same);
    /* A run without a failure leaves one block of the C library's own (a string it keeps
     * between calls and frees on the next, where the count does not see it): a run with a
     * failure may leave no more than that. */
    baseline = second.alloc.live;
    assert_true(baseline <= 1);
    assert_int_equal(import_once(0).alloc.live, baseline);
    long total = second.alloc.calls, bad = 0, refused = 0, made = 0;
    if (getenv("BP_FAULT_AT")) { /* one allocation only, to follow it (BP_FAILMALLOC_TRACE=1) */
        long n = strtol(getenv("BP_FAULT_AT"), NULL, 10);
        run r = import_once(n);
        const char *wrong = what_is_wrong(&r, true);
        print_message("allocation %ld failed: %s\n", n, wrong ? wrong : "handled cleanly");
        return;
    }
    print_message("an import makes %ld allocations; failing each in turn\n", total);
    for (long n = 1; n <= total; n++) {
        run r = import_once(n);
        const char *wrong = what_is_wrong(&r, false);
#ifndef __SANITIZE_ADDRESS__
        /* A library's first-time setup counts as live once (see test_alloc_fault.c): the same
         * failure again, its leaks counted then. Under ASan, LeakSanitizer finds leaks. */
        if (!wrong && r.alloc.live > baseline)
            r = import_once(n);
        wrong = wrong ? wrong : what_is_wrong(&r, true);
#endif
        if (wrong) {
            if (bad++ < 30)
                print_message("allocation %ld failed: %s (%ld blocks live)\n", n, wrong,
                              r.alloc.live);
            continue;
        }
        r.made ? made++ : refused++;
    }
    print_message("  %ld refused with a message, %ld made all the same%s\n", refused, made,
                  bad ? "" : "; no leak, no silent loss");
    if (bad)
        fail_msg("%ld of the failed allocations were not handled cleanly", bad);
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: test_import_fault BOOK.xlsx PROFILE.json LAYOUT.json BASE.json\n");
        return 2;
    }
    book_path = argv[1];
    bp_diags diags = BP_DIAGS_INIT;
    profile = bp_profile_load_file(argv[2], &diags);
    if (!profile || bp_kind_load_file(argv[3], &kind, &diags) != 0 || !kind) {
        for (size_t i = 0; i < diags.count; i++)
            bp_diag_print(stderr, &diags.items[i]);
        return 2;
    }
    base = slurp(argv[4], &base_size);
    failmalloc_spare("libjansson");
    failmalloc_spare("libzip");
    const struct CMUnitTest tests[] = {cmocka_unit_test(every_allocation_fails_cleanly)};
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    free(reference);
    free(base);
    bp_kind_destroy(kind);
    bp_profile_destroy(profile);
    bp_diags_clear(&diags);
    return failed;
}

/*
 * test_fuzz_regressions.c: every input the fuzzer kept (tests/data/fuzz/) goes through the
 * loader and the checks again. Each must end in a unit or in diagnostics that say where the
 * problem is (a line and column, or a JSON path), never in a crash, a leak (the sanitizer
 * build) or a silent failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdlib.h>

#include "test_support.h"

#define FUZZ_DIR BP_SOURCE_DIR "/tests/data/fuzz"

static void check_one(const char *path)
{
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    int rc = bp_unit_load_file(path, &unit, &diags);
    if (rc == 0) {
        assert_non_null(unit);
        assert_int_equal(bp_diags_count(&diags, BP_SEVERITY_ERROR), 0);
        bp_check_unit(unit, &diags);
    } else {
        assert_null(unit);
        assert_true(bp_diags_count(&diags, BP_SEVERITY_ERROR) > 0);
    }
    for (size_t i = 0; i < diags.count; i++) {
        const bp_diag *d = &diags.items[i];
        assert_non_null(d->message);
        assert_true(d->message[0] != '\0');
        if (!(d->line > 0 || d->path))
            fail_msg("%s: a diagnostic without a place: %s", path, d->message);
    }
    bp_unit_destroy(unit);
    bp_diags_clear(&diags);
}

static void every_kept_input_ends_cleanly(void **state)
{
    DIR *dir = opendir(FUZZ_DIR);
    assert_non_null(dir);
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (entry->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", FUZZ_DIR, entry->d_name);
        check_one(path);
        count++;
    }
    closedir(dir);
    assert_true(count > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kept_input_ends_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_fuzz_regressions.c: every input the fuzzers kept goes through its target again:
 *   tests/data/fuzz/         units: the loader and the checks;
 *   tests/data/fuzz-layout/  layouts: read, and the minimal unit typeset and written with them;
 *   tests/data/fuzz-render/  units: loaded, checked, typeset and written as PDF.
 * Each must end in a result or in diagnostics that say where the problem is (a line and
 * column, or a JSON path), never in a crash, a leak (the sanitizer build), undefined behaviour
 * or a silent failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdlib.h>

#include "budgetpress/render.h"
#include "test_support.h"
#include "util/jsonread.h"

#define FUZZ_DIR BP_SOURCE_DIR "/tests/data/fuzz"
#define FUZZ_LAYOUT_DIR BP_SOURCE_DIR "/tests/data/fuzz-layout"
#define FUZZ_RENDER_DIR BP_SOURCE_DIR "/tests/data/fuzz-render"

static bp_layout *layout;
static bp_fontset *fonts;

/* Every diagnostic says what and where. */
static void assert_placed(const char *path, const bp_diags *diags)
{
    for (size_t i = 0; i < diags->count; i++) {
        const bp_diag *d = &diags->items[i];
        assert_non_null(d->message);
        assert_true(d->message[0] != '\0');
        if (!(d->line > 0 || d->path || d->file))
            fail_msg("%s: a diagnostic without a place: %s", path, d->message);
    }
}

/* The shipped kind a kept unit names, as fuzz_load reads it against; NULL for the built-in. */
static bp_kind *kind_of(const char *path)
{
    bp_strbuf content = BP_STRBUF_INIT;
    bp_diags ignored = BP_DIAGS_INIT;
    char *name = NULL;
    bp_kind *kind = NULL;
    if (bp_jr_read_file(path, &content, &ignored) == 0 &&
        bp_unit_peek_kind(content.data, content.len, &name) == 0 && name &&
        (strcmp(name, "shanghai-2024-final") == 0 || strcmp(name, "shanghai-2025-budget") == 0)) {
        char layout_path[512];
        snprintf(layout_path, sizeof layout_path, "%s/layouts/%s.json", BP_SOURCE_DIR, name);
        assert_int_equal(bp_kind_load_file(layout_path, &kind, &ignored), 0);
    }
    free(name);
    bp_strbuf_free(&content);
    bp_diags_clear(&ignored);
    return kind;
}

static void load_and_check(const char *path)
{
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    bp_kind *kind = kind_of(path);
    int rc = bp_unit_load_file_of_kind(path, kind, &unit, &diags);
    if (rc == 0) {
        assert_non_null(unit);
        assert_int_equal(bp_diags_count(&diags, BP_SEVERITY_ERROR), 0);
        bp_check_unit(unit, &diags);
    } else {
        assert_null(unit);
        assert_true(bp_diags_count(&diags, BP_SEVERITY_ERROR) > 0);
    }
    for (size_t i = 0; i < diags.count; i++)
        if (!(diags.items[i].line > 0 || diags.items[i].path))
            fail_msg("%s: a diagnostic without a place: %s", path, diags.items[i].message);
    bp_unit_destroy(unit);
    bp_kind_destroy(kind);
    bp_diags_clear(&diags);
}

static int write_nowhere(void *ctx, const void *data, size_t size)
{
    (void)data;
    *(size_t *)ctx += size;
    return 0;
}

/* Typesets and writes the unit as PDF (to nowhere): a PDF, or diagnostics saying why not. */
static void typeset_and_write(const char *path, const bp_unit *unit, const bp_layout *with)
{
    bp_diags diags = BP_DIAGS_INIT;
    bp_document *doc = bp_typeset(unit, with, fonts, &diags);
    size_t written = 0;
    if (doc) {
        bp_pdf_options opts = {.threads = 1};
        if (bp_render_pdf(doc, fonts, &opts, write_nowhere, &written, &diags) != 0)
            assert_true(diags.count > 0);
        else
            assert_true(written > 0);
    } else if (diags.count == 0) {
        fail_msg("%s: not typeset, and not a word why", path);
    }
    assert_placed(path, &diags);
    bp_document_destroy(doc);
    bp_diags_clear(&diags);
}

static void layout_then_typeset(const char *path)
{
    bp_strbuf content = BP_STRBUF_INIT;
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_jr_read_file(path, &content, &diags), 0);
    bp_layout *fuzzed =
        bp_layout_load_buffer(content.data, content.len, path, FONT_CATALOG_PATH, &diags);
    if (fuzzed) {
        bp_unit *unit = NULL;
        assert_int_equal(
            bp_unit_load_file(BP_SOURCE_DIR "/tests/data/minimal-unit.json", &unit, &diags), 0);
        typeset_and_write(path, unit, fuzzed);
        bp_unit_destroy(unit);
    } else {
        assert_true(bp_diags_count(&diags, BP_SEVERITY_ERROR) > 0);
    }
    assert_placed(path, &diags);
    bp_layout_destroy(fuzzed);
    bp_diags_clear(&diags);
    bp_strbuf_free(&content);
}

static void render_whole(const char *path)
{
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    if (bp_unit_load_file(path, &unit, &diags) == 0) {
        bp_check_unit(unit, &diags);
        typeset_and_write(path, unit, layout);
    } else {
        assert_true(bp_diags_count(&diags, BP_SEVERITY_ERROR) > 0);
    }
    bp_unit_destroy(unit);
    bp_diags_clear(&diags);
}

/* Runs each file of a folder through `run`; a folder may be empty but must exist. */
static size_t replay(const char *folder, void (*run)(const char *path))
{
    DIR *dir = opendir(folder);
    assert_non_null(dir);
    size_t count = 0;
    for (struct dirent *entry; (entry = readdir(dir));) {
        if (entry->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", folder, entry->d_name);
        run(path);
        count++;
    }
    closedir(dir);
    return count;
}

static void every_kept_unit_loads_cleanly(void **state)
{
    assert_true(replay(FUZZ_DIR, load_and_check) > 0);
}

static void every_kept_layout_typesets_cleanly(void **state)
{
    assert_true(replay(FUZZ_LAYOUT_DIR, layout_then_typeset) > 0);
}

static void every_kept_unit_renders_cleanly(void **state)
{
    assert_true(replay(FUZZ_RENDER_DIR, render_whole) > 0);
}

static int setup(void **state)
{
    return load_reference_layout(&layout, &fonts);
}

static int teardown(void **state)
{
    free_reference_layout(layout, fonts);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kept_unit_loads_cleanly),
        cmocka_unit_test(every_kept_layout_typesets_cleanly),
        cmocka_unit_test(every_kept_unit_renders_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * test_alloc_fault.c: a whole render (layout, fonts, unit, checks, typesetting, PDF written to a
 * file) with its Nth allocation failed, for every N from the first to the last (SQLite's
 * do_faultsim_test). Each run must end cleanly: rendered whole anyway, or refused with a
 * message; never a crash, never a silent failure, no block leaked, no partial PDF (the old file
 * left as it was) and no temporary left beside it.
 *
 * What is not failed, because the library itself mishandles it (its allocations are counted
 * like the others, so a block of it left unfreed is a leak here, only never failed):
 *   - jansson 2.14 (Debian 12): its lexer drops a failed allocation and then asserts or reads
 *     past its buffer (upstream akheron/jansson#362, fix proposed in #747);
 *   - HarfBuzz 6.0 (Debian 12): a failed allocation while the subsetter loads a face's tables
 *     leaves the face holding a pointer it later frees again (free(): invalid pointer in
 *     hb_face_destroy; HarfBuzz has fixed such [ENOMEM] paths release after release since).
 * Everything else is failed: our code, FreeType, libharu, zlib, the C library.
 *
 * Usage: test_alloc_fault UNIT.json [STRIDE [FIRST [LAST]]]: in rendering the unit, STRIDE > 1
 * fails every STRIDE-th allocation only (for a large unit in a slow build), from the FIRST-th
 * to the LAST-th; the default fails every one. Loading the layout and fonts always fails
 * every one. BP_FAILMALLOC_TRACE=1 prints where each failed allocation
 * was asked for.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budgetpress/layout.h"
#include "cli/cli.h"
#include "support/failmalloc.h"
#include "util/util.h"

static const char *unit_path;
static long unit_stride = 1, unit_first = 1, unit_last = 0; /* which of the unit's to fail */
static char dir[64];
static char output[128];

static const char old_content[] = "the old PDF, which must survive a failed render\n";

/* The PDF the unit makes when nothing fails: one made despite a failed allocation must be the
 * same bytes (a cache that could not be made may cost time, never a character). */
static char *reference_pdf;
static long reference_length;

static char *read_whole(const char *path, long *length)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *length = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)*length + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)*length, f), (size_t)*length);
    fclose(f);
    return data;
}

static void write_old_output(void)
{
    FILE *f = fopen(output, "wb");
    assert_non_null(f);
    fputs(old_content, f);
    fclose(f);
}

/* What a render left: the output's first bytes and size, and the temporaries beside it. */
static void read_output(char *head, size_t size, long *length, int *temporaries)
{
    FILE *f = fopen(output, "rb");
    assert_non_null(f);
    size_t n = fread(head, 1, size - 1, f);
    head[n] = '\0';
    fseek(f, 0, SEEK_END);
    *length = ftell(f);
    fclose(f);
    *temporaries = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        *temporaries += strncmp(e->d_name, ".budgetpress-", 13) == 0;
    closedir(d);
}

typedef struct run {
    bp_unit_outcome outcome;
    size_t messages;    /* problems reported */
    bool out_of_memory; /* one of them says so */
    failmalloc_state alloc;
} run;

/* A render in two stages, each failed allocation by allocation: loading the layout and the
 * fonts (what `render` does first; `batch` does it once), then rendering the unit with them.
 * Splitting them keeps the test quick: every run of the second stage would otherwise read the
 * 31 MB of fonts again to check them. */
typedef enum stage { STAGE_SETUP, STAGE_UNIT } stage;

static bp_layout *layout;
static bp_fontset *fonts;

static bp_unit_outcome load_setup(bp_diags *diags)
{
    bp_layout *l = bp_cli_load_layout(NULL, diags);
    bp_fontset *f = l ? bp_fontset_load(&l->fonts, diags) : NULL;
    bp_fontset_destroy(f);
    bp_layout_destroy(l);
    return f ? BP_UNIT_RENDERED : BP_UNIT_UNREADABLE;
}

static bp_unit_outcome render_unit(bp_diags *diags)
{
    /* Forced: a unit with check errors goes through every stage all the same. */
    bp_unit_job job = {.unit_path = unit_path,
                       .output = output,
                       .force = true,
                       .pdf_threads = 1,
                       .source_date = -1};
    bp_unit_result result;
    return bp_cli_render_unit(&job, layout, fonts, diags, &result);
}

/* One stage with allocation fail_at failed (0: none). */
static run render_once(stage s, long fail_at)
{
    run r = {.outcome = BP_UNIT_UNREADABLE};
    failmalloc_arm(fail_at);
    bp_diags diags = BP_DIAGS_INIT;
    r.outcome = s == STAGE_SETUP ? load_setup(&diags) : render_unit(&diags);
    r.messages = diags.count;
    for (size_t i = 0; i < diags.count; i++)
        r.out_of_memory |= strstr(diags.items[i].message, "out of memory") != NULL;
    r.out_of_memory |= diags.out_of_memory;
    bp_diags_clear(&diags);
    r.alloc = failmalloc_disarm();
    return r;
}

/* What is wrong with what a run left, or NULL: a leak (when leaks are counted), a temporary,
 * a PDF that is not whole, an old PDF touched, a refusal without a word. */
static const char *what_is_wrong(stage s, const run *r, bool count_leaks)
{
    char head[64];
    long length;
    int temporaries;
    read_output(head, sizeof head, &length, &temporaries);
    if (count_leaks && r->alloc.live != 0)
        return "blocks leaked";
    if (temporaries != 0)
        return "a temporary left";
    if (s == STAGE_UNIT && r->outcome == BP_UNIT_RENDERED &&
        (strncmp(head, "%PDF-", 5) != 0 || length < 1000))
        return "rendered, but the PDF is not whole";
    if (s == STAGE_UNIT && r->outcome == BP_UNIT_RENDERED && reference_pdf) {
        long n;
        char *pdf = read_whole(output, &n);
        bool same = n == reference_length && memcmp(pdf, reference_pdf, (size_t)n) == 0;
        free(pdf);
        if (!same)
            return "rendered, but not the same PDF as without the failure";
    }
    if ((s == STAGE_SETUP || r->outcome != BP_UNIT_RENDERED) && strcmp(head, old_content) != 0)
        return "the old PDF was touched";
    if (r->outcome != BP_UNIT_RENDERED && r->messages == 0)
        return "refused without a word";
    return NULL;
}

/* Fails allocation n of a stage; returns what was wrong, or NULL. */
static const char *fail_allocation(stage s, long n, run *r)
{
    write_old_output();
    *r = render_once(s, n);
#ifndef __SANITIZE_ADDRESS__
    /* Libraries set some things up the first time a path is taken and keep them for the
     * process (they count as live), and that first time shifts the numbering of the
     * allocations after it: the same failure is made again and its leaks counted then. Under
     * AddressSanitizer, LeakSanitizer finds leaks instead, naming where each block was
     * allocated and telling such setups (still reachable) from leaks. */
    if (r->alloc.live != 0) {
        const char *wrong = what_is_wrong(s, r, false);
        if (wrong)
            return wrong;
        write_old_output();
        *r = render_once(s, n);
    }
    return what_is_wrong(s, r, true);
#else
    return what_is_wrong(s, r, false);
#endif
}

/* Fails every allocation of a stage in turn; returns how many were not handled cleanly. */
static long fail_each(stage s, const char *what, long stride, long first, long last)
{
    /* Twice unarmed first: what libraries set up once per process (HarfBuzz's shaper list) is
     * set up then, and the second run counts the allocations. */
    write_old_output();
    run reference = render_once(s, 0);
    assert_int_equal(reference.outcome, BP_UNIT_RENDERED);
    reference = render_once(s, 0);
    assert_int_equal(reference.alloc.live, 0);
    long total = reference.alloc.calls;
    print_message("%s makes %ld allocations; failing %s\n", what, total,
                  stride == 1 ? "each in turn" : "one in every stride");
    long refused = 0, rendered = 0, said_oom = 0, bad = 0;
    if (last > 0 && last < total)
        total = last;
    for (long n = first; n <= total; n += stride) {
        run r;
        const char *wrong = fail_allocation(s, n, &r);
        if (wrong) {
            /* Every failure of the run is listed, not only the first. */
            if (bad++ < 50)
                print_message("%s: allocation %ld failed: %s (%ld blocks live)\n", what, n, wrong,
                              r.alloc.live);
            continue;
        }
        if (r.outcome == BP_UNIT_RENDERED)
            rendered++;
        else
            refused++;
        said_oom += r.outcome != BP_UNIT_RENDERED && r.out_of_memory;
    }
    print_message("  %ld refused with a message (%ld of them saying out of memory), %ld done "
                  "anyway%s\n",
                  refused, said_oom, rendered,
                  bad ? "" : "; no leak, no partial file, no temporary");
    assert_true(refused > 0 || bad > 0 || first > total);
    return bad;
}

static void every_allocation_fails_cleanly(void **state)
{
    long bad = fail_each(STAGE_SETUP, "loading the layout and the fonts", 1, 1, 0);
    bp_diags diags = BP_DIAGS_INIT;
    layout = bp_cli_load_layout(NULL, &diags);
    fonts = layout ? bp_fontset_load(&layout->fonts, &diags) : NULL;
    assert_non_null(fonts);
    write_old_output();
    assert_int_equal(render_once(STAGE_UNIT, 0).outcome, BP_UNIT_RENDERED);
    reference_pdf = read_whole(output, &reference_length);
    bad += fail_each(STAGE_UNIT, "rendering the unit", unit_stride, unit_first, unit_last);
    free(reference_pdf);
    bp_fontset_destroy(fonts);
    bp_layout_destroy(layout);
    bp_diags_clear(&diags);
    if (bad)
        fail_msg("%ld of the failed allocations were not handled cleanly", bad);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_alloc_fault UNIT.json [STRIDE]\n");
        return 2;
    }
    unit_path = argv[1];
    if (argc > 2)
        unit_stride = strtol(argv[2], NULL, 10) > 0 ? strtol(argv[2], NULL, 10) : 1;
    if (argc > 3)
        unit_first = strtol(argv[3], NULL, 10) > 0 ? strtol(argv[3], NULL, 10) : 1;
    if (argc > 4)
        unit_last = strtol(argv[4], NULL, 10);
    snprintf(dir, sizeof dir, "/tmp/bp-alloc-fault-XXXXXX");
    if (!mkdtemp(dir))
        return 2;
    snprintf(output, sizeof output, "%s/unit.pdf", dir);
    failmalloc_spare("libjansson");
    failmalloc_spare("libharfbuzz"); /* and libharfbuzz-subset */
    const struct CMUnitTest tests[] = {cmocka_unit_test(every_allocation_fails_cleanly)};
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(output);
    rmdir(dir);
    return failed;
}

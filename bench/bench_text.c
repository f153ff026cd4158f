/*
 * bench_text.c: how fast the text engine loads its fonts, shapes and breaks a unit's prose.
 *
 * Loads the pinned fonts (fonts/fonts.json: UMing for the body, Zen Hei as its fallback) with
 * and without their SHA-256 check; collects every narrative string of a unit (preface,
 * headings, paragraphs, list items, performance targets and indicators, notes, glossary) and
 * times, REPEAT times each: shaping all of it at 12 pt, breaking the shaped strings into lines
 * of the reference layout's measure (A4 less 79.37 pt margins, 24 pt first-line indent), and
 * both in a row. Prints the median and best wall time per pass and the median throughput in
 * characters per second. Timed with the monotonic clock in-process, as bench_load.
 *
 * Usage: bench_text [-n REPEAT] UNIT.json
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_timer.h"
#include "budgetpress/layout.h"
#include "budgetpress/model.h"
#include "budgetpress/text.h"

#define FONTS_JSON BP_SOURCE_DIR "/fonts/fonts.json"
#define LAYOUT_PATH BP_SOURCE_DIR "/layouts/unit-2022.json"
#define SIZE BP_PT(12)
#define MEASURE BP_PT(595.276 - 2 * 79.37)
#define FIRST_LINE (MEASURE - BP_PT(24))

/* ---- The prose of a unit ----------------------------------------------------------------------
 */

typedef struct corpus {
    const char **strings;
    size_t count, capacity;
    size_t characters; /* code points, the throughput's unit */
    size_t bytes;
} corpus;

static size_t count_code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void add(corpus *c, const char *s)
{
    if (!s || !*s)
        return;
    if (c->count == c->capacity) {
        c->capacity = c->capacity ? c->capacity * 2 : 256;
        c->strings = realloc(c->strings, c->capacity * sizeof *c->strings);
        if (!c->strings) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
    }
    c->strings[c->count++] = s;
    c->characters += count_code_points(s);
    c->bytes += strlen(s);
}

static void add_sections(corpus *c, const bp_explanation *e)
{
    add(c, e->preface);
    for (int s = 0; s < BP_SEC__COUNT; s++) {
        add(c, e->sections[s].title);
        for (size_t b = 0; b < e->sections[s].block_count; b++) {
            const bp_block *block = &e->sections[s].blocks[b];
            add(c, block->text);
            for (size_t i = 0; i < block->item_count; i++)
                add(c, block->items[i]);
        }
    }
}

static void add_performance(corpus *c, const bp_performance *p)
{
    add(c, p->overall);
    for (size_t g = 0; g < p->group_count; g++) {
        add(c, p->groups[g].title);
        for (size_t t = 0; t < p->groups[g].target_count; t++) {
            add(c, p->groups[g].targets[t].target);
            for (size_t i = 0; i < p->groups[g].targets[t].indicator_count; i++)
                add(c, p->groups[g].targets[t].indicators[i]);
        }
    }
    for (size_t s = 0; s < p->safeguard_count; s++) {
        add(c, p->safeguards[s].title);
        add(c, p->safeguards[s].text);
    }
    add(c, p->special_funds);
    for (size_t j = 0; j < p->project_count; j++) {
        const bp_project *project = &p->projects[j];
        add(c, project->name);
        for (size_t t = 0; t < project->target_count; t++)
            add(c, project->targets[t]);
        for (size_t i = 0; i < project->indicator_count; i++) {
            const bp_indicator *ind = &project->indicators[i];
            add(c, ind->level1);
            add(c, ind->level2);
            add(c, ind->level3);
            add(c, ind->description);
            add(c, ind->value);
            add(c, ind->basis);
        }
    }
}

/* Every narrative string of the unit: what the text engine sets as paragraphs. */
static void collect_prose(corpus *c, const bp_unit *u)
{
    add_sections(c, &u->explanation);
    add_performance(c, &u->performance);
    for (size_t i = 0; i < u->procurement.note_count; i++)
        add(c, u->procurement.notes[i]);
    for (size_t i = 0; i < u->glossary_count; i++) {
        add(c, u->glossary[i].term);
        add(c, u->glossary[i].definition);
    }
}

/* ---- Fonts ----------------------------------------------------------------------------------- */

/* The fonts of the reference layout (layouts/unit-2022.json: Noto Serif and Sans CJK SC, regular
 * and bold); with_checksums false leaves the files unchecked. */
static int read_pinned_faces(bp_fontset_spec *spec, bp_layout **keep, bool with_checksums)
{
    bp_diags diags = BP_DIAGS_INIT;
    *keep = bp_layout_load_file(LAYOUT_PATH, FONTS_JSON, &diags);
    for (size_t d = 0; d < diags.count; d++)
        bp_diag_print(stderr, &diags.items[d]);
    bp_diags_clear(&diags);
    if (!*keep)
        return -1;
    *spec = (*keep)->fonts; /* the strings live in the layout */
    for (int role = 0; role < BP_ROLE__COUNT && !with_checksums; role++)
        for (int i = 0; i < BP_MAX_FACES_PER_ROLE; i++) {
            spec->faces[role][i].size = spec->bold[role][i].size = 0;
            spec->faces[role][i].head_sha256 = spec->bold[role][i].head_sha256 = NULL;
        }
    return 0;
}

/* Median and best time of one fontset load; the last fontset loaded is kept in *fonts. */
static int bench_font_loading(int repeat, bool with_checksums, bp_fontset **fonts)
{
    bp_fontset_spec spec;
    bp_layout *tree;
    if (read_pinned_faces(&spec, &tree, with_checksums) != 0)
        return -1;
    double *times = malloc(sizeof(double) * (size_t)repeat);
    for (int i = 0; i < repeat; i++) {
        bp_diags diags = BP_DIAGS_INIT;
        bp_fontset_destroy(*fonts);
        double start = bench_now();
        *fonts = bp_fontset_load(&spec, &diags);
        times[i] = bench_now() - start;
        for (size_t d = 0; d < diags.count; d++)
            bp_diag_print(stderr, &diags.items[d]);
        bp_diags_clear(&diags);
        if (!*fonts) {
            free(times);
            bp_layout_destroy(tree);
            return -1;
        }
    }
    qsort(times, (size_t)repeat, sizeof(double), bench_compare_doubles);
    printf("%-42s median %8.3f ms  best %8.3f ms\n",
           with_checksums ? "load fonts (with pinned-file check)"
                          : "load fonts (no pinned-file check)",
           times[repeat / 2] * 1e3, times[0] * 1e3);
    free(times);
    bp_layout_destroy(tree);
    return 0;
}

/* ---- Shaping and breaking -------------------------------------------------------------------- */

typedef struct pass_state {
    const bp_fontset *fonts;
    const corpus *prose;
    bp_shaped *shaped; /* one per string, so breaking can be timed alone */
    bp_lines lines;
    size_t line_count;
} pass_state;

static int shape_all(pass_state *p)
{
    for (size_t i = 0; i < p->prose->count; i++) {
        const char *s = p->prose->strings[i];
        if (bp_shape(p->fonts, BP_ROLE_BODY, SIZE, s, strlen(s), &p->shaped[i]) != 0)
            return -1;
    }
    return 0;
}

static int break_all(pass_state *p)
{
    p->line_count = 0;
    for (size_t i = 0; i < p->prose->count; i++) {
        const char *s = p->prose->strings[i];
        if (bp_break_lines(&p->shaped[i], s, strlen(s), FIRST_LINE, MEASURE, &p->lines) != 0)
            return -1;
        p->line_count += p->lines.count;
    }
    return 0;
}

static int shape_and_break_all(pass_state *p)
{
    return shape_all(p) != 0 ? -1 : break_all(p);
}

/* Times repeat passes of fn over the prose and prints the figures under name. */
static int bench_pass(const char *name, int (*fn)(pass_state *), pass_state *p, int repeat)
{
    double *times = malloc(sizeof(double) * (size_t)repeat);
    for (int i = 0; i < repeat; i++) {
        double start = bench_now();
        if (fn(p) != 0) {
            fprintf(stderr, "%s: out of memory\n", name);
            free(times);
            return -1;
        }
        times[i] = bench_now() - start;
    }
    qsort(times, (size_t)repeat, sizeof(double), bench_compare_doubles);
    double median = times[repeat / 2];
    printf("%-42s median %8.3f ms  best %8.3f ms  %6.2f M chars/s\n", name, median * 1e3,
           times[0] * 1e3, (double)p->prose->characters / median / 1e6);
    free(times);
    return 0;
}

/* All the prose as one paragraph: shaping and breaking stay linear in its length. */
static int bench_one_paragraph(const corpus *prose, const bp_fontset *fonts, int repeat)
{
    char *text = malloc(prose->bytes + 1);
    size_t at = 0;
    for (size_t i = 0; text && i < prose->count; i++) {
        size_t n = strlen(prose->strings[i]);
        memcpy(text + at, prose->strings[i], n);
        at += n;
    }
    corpus one = {0};
    if (text) {
        text[at] = '\0';
        add(&one, text);
    }
    bp_shaped shaped = BP_SHAPED_INIT;
    pass_state p = {fonts, &one, &shaped, BP_LINES_INIT, 0};
    int rc = text ? bench_pass("shape + break, all of it as one paragraph", shape_and_break_all, &p,
                               repeat)
                  : -1;
    bp_shaped_free(&shaped);
    bp_lines_free(&p.lines);
    free(one.strings);
    free(text);
    return rc;
}

static int bench_unit(const char *path, int repeat, const bp_fontset *fonts)
{
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    if (bp_unit_load_file(path, &unit, &diags) != 0) {
        fprintf(stderr, "%s: does not load; run budgetpress check on it\n", path);
        bp_diags_clear(&diags);
        return 1;
    }
    corpus prose = {0};
    collect_prose(&prose, unit);
    pass_state p = {fonts, &prose, calloc(prose.count + 1, sizeof(bp_shaped)), BP_LINES_INIT, 0};
    printf("%s: %zu strings, %zu characters, %zu bytes of prose\n", path, prose.count,
           prose.characters, prose.bytes);
    /* The fonts' tables are read lazily: the first pass pays for it once per process. */
    double start = bench_now();
    int rc = shape_all(&p);
    printf("%-42s %15.3f ms\n", "shape, first pass after loading", (bench_now() - start) * 1e3);
    if (rc == 0)
        rc = bench_pass("shape (body, 12 pt)", shape_all, &p, repeat);
    if (rc == 0)
        rc = bench_pass("break into lines (436.5 pt measure)", break_all, &p, repeat);
    if (rc == 0)
        rc = bench_pass("shape + break", shape_and_break_all, &p, repeat);
    if (rc == 0)
        printf("%zu lines\n", p.line_count);
    if (rc == 0)
        rc = bench_one_paragraph(&prose, fonts, repeat);
    for (size_t i = 0; i < prose.count; i++)
        bp_shaped_free(&p.shaped[i]);
    free(p.shaped);
    bp_lines_free(&p.lines);
    free(prose.strings);
    bp_unit_destroy(unit);
    bp_diags_clear(&diags);
    return rc != 0;
}

int main(int argc, char **argv)
{
    int repeat = 20;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        repeat = atoi(argv[2]);
        first = 3;
    }
    if (first + 1 != argc || repeat < 1) {
        fprintf(stderr, "usage: bench_text [-n REPEAT] UNIT.json\n");
        return 2;
    }
    bp_fontset *fonts = NULL;
    if (bench_font_loading(repeat, true, &fonts) != 0 ||
        bench_font_loading(repeat, false, &fonts) != 0) {
        bp_fontset_destroy(fonts);
        return 1;
    }
    int status = bench_unit(argv[first], repeat, fonts);
    bp_fontset_destroy(fonts);
    return status;
}

/*
 * test_support.h: what several suites share: paths to the sample and test data, loading a unit
 * from a jansson tree (so a test states its one change to the sample), finding a diagnostic.
 */
#ifndef BP_TEST_SUPPORT_H
#define BP_TEST_SUPPORT_H

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "budgetpress/check.h"
#include "budgetpress/layout.h"
#include "budgetpress/model.h"

#define SAMPLE_PATH BP_SOURCE_DIR "/samples/201001-2022.json"
#define SEED_PATH BP_SOURCE_DIR "/tests/data/seed-201001-2022.txt"

#define REFERENCE_LAYOUT_PATH BP_SOURCE_DIR "/layouts/unit-2022.json"
#define FONT_CATALOG_PATH BP_SOURCE_DIR "/fonts/fonts.json"

/* The reference layout and its fonts, for suites that typeset; 0, or -1 (printed). */
static inline int load_reference_layout(bp_layout **layout, bp_fontset **fonts)
{
    bp_diags diags = BP_DIAGS_INIT;
    *layout = bp_layout_load_file(REFERENCE_LAYOUT_PATH, FONT_CATALOG_PATH, &diags);
    *fonts = *layout ? bp_fontset_load(&(*layout)->fonts, &diags) : NULL;
    for (size_t i = 0; i < diags.count; i++)
        bp_diag_print(stderr, &diags.items[i]);
    bp_diags_clear(&diags);
    return *fonts ? 0 : -1;
}

static inline void free_reference_layout(bp_layout *layout, bp_fontset *fonts)
{
    bp_fontset_destroy(fonts);
    bp_layout_destroy(layout);
}

/* The sample as a jansson tree, for a test to change one thing in. */
static inline json_t *sample_tree(void)
{
    json_error_t error;
    json_t *root = json_load_file(SAMPLE_PATH, 0, &error);
    if (!root)
        fprintf(stderr, "%s:%d: %s\n", SAMPLE_PATH, error.line, error.text);
    return root;
}

/* Serialises the tree and loads it as "unit.json"; consumes the tree. */
static inline int load_tree(json_t *root, bp_unit **unit, bp_diags *diags)
{
    char *text = json_dumps(root, JSON_INDENT(1));
    json_decref(root);
    int rc = bp_unit_load_buffer(text, strlen(text), "unit.json", unit, diags);
    free(text);
    return rc;
}

/* The diagnostic at exactly this path, or NULL. */
static inline const bp_diag *diag_at(const bp_diags *diags, const char *path)
{
    for (size_t i = 0; i < diags->count; i++)
        if (diags->items[i].path && strcmp(diags->items[i].path, path) == 0)
            return &diags->items[i];
    return NULL;
}

/* The first diagnostic of a rule, or NULL. */
/* The first diagnostic at `path` whose message contains `text`, or NULL. */
static inline const bp_diag *find_diag(const bp_diags *diags, const char *path, const char *text)
{
    for (size_t i = 0; i < diags->count; i++)
        if (diags->items[i].path && strcmp(diags->items[i].path, path) == 0 &&
            strstr(diags->items[i].message, text))
            return &diags->items[i];
    return NULL;
}

static inline const bp_diag *diag_of_rule(const bp_diags *diags, const char *rule)
{
    for (size_t i = 0; i < diags->count; i++)
        if (diags->items[i].rule && strcmp(diags->items[i].rule, rule) == 0)
            return &diags->items[i];
    return NULL;
}

/* The number of diagnostics of any rule but this one. */
static inline size_t diags_other_than(const bp_diags *diags, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < diags->count; i++)
        n += !diags->items[i].rule || strcmp(diags->items[i].rule, rule) != 0;
    return n;
}

/* Dumps every diagnostic, for a failing test's log. */
static inline void print_diags_to_stderr(const bp_diags *diags)
{
    for (size_t i = 0; i < diags->count; i++)
        bp_diag_print(stderr, &diags->items[i]);
}

/* Loads a changed sample (which must load) and runs the checks; for suites that include
 * cmocka.h first, as all do. */
static inline bp_diags check_tree(json_t *root, size_t *errors)
{
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    int rc = load_tree(root, &unit, &diags);
    print_diags_to_stderr(&diags);
    assert_int_equal(rc, 0);
    *errors = bp_check_unit(unit, &diags);
    bp_unit_destroy(unit);
    return diags;
}

/* The sample passes every rule: no errors, and no warning but the VALUE ones of its odd
 * 指标值, which stay as printed. A test case of every rule suite. */
static inline void sample_passes_every_rule(void **state)
{
    size_t errors;
    bp_diags diags = check_tree(sample_tree(), &errors);
    print_diags_to_stderr(&diags);
    assert_int_equal(errors, 0);
    assert_int_equal(diags_other_than(&diags, "VALUE"), 0);
    bp_diags_clear(&diags);
}

/* Sets root["a"]["b"]…[index]… from a path of keys and indices, e.g.
 * set_at(root, value, "tables", "expense_summary", "rows", "#4", "amounts", "total", NULL);
 * a key starting with '#' is an array index. Consumes value. */
static inline void set_at(json_t *root, json_t *value, ...)
{
    va_list ap;
    va_start(ap, value);
    json_t *node = root;
    const char *key = va_arg(ap, const char *);
    for (;;) {
        const char *next = va_arg(ap, const char *);
        if (!next) {
            if (key[0] == '#')
                json_array_set_new(node, (size_t)atoi(key + 1), value);
            else
                json_object_set_new(node, key, value);
            break;
        }
        node = key[0] == '#' ? json_array_get(node, (size_t)atoi(key + 1))
                             : json_object_get(node, key);
        key = next;
    }
    va_end(ap);
}

#endif

/*
 * cmd_check.c: `budgetpress check UNIT.json...`: loads each unit, runs the checks, prints every
 * problem. For a clerk before publishing and for the bureau's scripts alike: one line per
 * problem, a summary line per file, and an exit status that tells the three outcomes apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budgetpress/check.h"
#include "budgetpress/layout.h"
#include "budgetpress/model.h"
#include "budgetpress/text.h"
#include "cli.h"

static const char check_help[] =
    "usage: budgetpress check [-q] [--json] [--max-errors N] [--layout FILE] UNIT.json...\n"
    "\n"
    "Says what render would say of each unit, without writing anything: the unit is read,\n"
    "checked against the rules and typeset with the layout, and every problem is reported\n"
    "in the words render uses, one per line:\n"
    "  - JSON syntax errors as FILE:LINE:COLUMN: error: what was expected;\n"
    "  - content that does not fit the model (docs/model.md) as FILE: error: JSON.PATH: what\n"
    "    was expected, found what;\n"
    "  - findings of the rules (docs/checks.md) as FILE: E-RULE PATH: message (W- for a\n"
    "    warning);\n"
    "  - what cannot be typeset (a character no font has, a table that cannot fit its page)\n"
    "    as FILE: error: JSON.PATH: what and where.\n"
    "Then one summary line per file.\n"
    "\n"
    "Options:\n"
    "  -q, --quiet     print problems only, no summary lines\n"
    "  --max-errors N  print at most N problems per file, then how many more there are\n"
    "                  (0: all). On a terminal at most a screenful per rule is printed\n"
    "                  unless this is given; to a file or a pipe, every problem\n"
    "  --layout FILE   typeset with this layout, as render --layout FILE would\n"
    "                  (default: layouts/unit-2022.json)\n"
    "  --json          print one JSON document instead: {\"units\": [{\"file\", \"status\"\n"
    "                  (ok, findings, unreadable), \"code\", \"name\", \"errors\",\n"
    "                  \"warnings\", \"findings\": [{\"severity\", \"rule\", \"file\", \"line\",\n"
    "                  \"column\", \"path\", \"message\", \"text\"}]}], \"status\"}; text is\n"
    "                  the line the readable output prints\n"
    "\n"
    "Exit status, the same as render's for each unit: 0 every unit is clean (warnings\n"
    "allowed), 1 some unit has errors (render would refuse it), 2 some file could not be read\n"
    "as a unit, or the layout or fonts could not be used.\n";

typedef struct check_options {
    bool quiet;
    bool json;
    long max_errors;         /* --max-errors, -1 when not given */
    const char *layout_path; /* --layout, NULL for the default */
    json_t *units;           /* with --json: one object per file */
    bp_layout *layout;       /* loaded once for every file */
    bp_fontset *fonts;
    int threads; /* the checks beside the typesetting when there are cores for both */
} check_options;

static void print_diags(const bp_diags *diags, const check_options *options, const char *path)
{
    if (options->json)
        return;
    bp_cli_print_diags(stdout, diags, bp_cli_limit_for(stdout, options->max_errors), path);
}

static const char *status_name(int status)
{
    return status == BP_EXIT_OK ? "ok" : status == BP_EXIT_FINDINGS ? "findings" : "unreadable";
}

/* With --json: the file's record, kept until all are checked. */
static void add_json(const check_options *options, const char *path, const bp_unit_result *result,
                     const bp_diags *diags, int status)
{
    if (!options->json)
        return;
    json_t *o = json_pack("{s:o, s:s, s:I, s:I}", "file", bp_cli_json_text(path), "status",
                          status_name(status), "errors",
                          (json_int_t)bp_diags_count(diags, BP_SEVERITY_ERROR), "warnings",
                          (json_int_t)bp_diags_count(diags, BP_SEVERITY_WARNING));
    if (!o)
        return;
    bool read = result->outcome != BP_UNIT_UNREADABLE;
    json_object_set_new(o, "code", bp_cli_json_text(read ? result->code : NULL));
    json_object_set_new(o, "name", bp_cli_json_text(read ? result->name : NULL));
    json_object_set_new(o, "findings", bp_cli_diags_json(diags));
    json_array_append_new(options->units, o);
}

/* Checks one file as render would take it: loaded, checked and typeset, not written. Returns
 * its exit status, which is render's. */
static int check_file(const char *path, check_options *options)
{
    bp_diags diags = BP_DIAGS_INIT;
    bp_unit_job job = {.unit_path = path, .pdf_threads = options->threads, .source_date = -1};
    bp_unit_result result;
    bp_unit_outcome outcome =
        bp_cli_render_unit(&job, options->layout, options->fonts, &diags, &result);
    int status = bp_cli_outcome_status(outcome);
    print_diags(&diags, options, path);
    if (options->quiet || options->json) {
        /* no summary line */
    } else if (outcome == BP_UNIT_UNREADABLE) {
        printf("%s: not a readable unit (%zu problem%s)\n", path, diags.count,
               diags.count == 1 ? "" : "s");
    } else {
        printf("%s: %s %s (%s), %zu error%s, %zu warning%s\n", path, result.code, result.name,
               status == BP_EXIT_OK ? "ok" : "findings", result.errors,
               result.errors == 1 ? "" : "s", result.warnings, result.warnings == 1 ? "" : "s");
    }
    add_json(options, path, &result, &diags, status);
    if (diags.out_of_memory)
        fprintf(stderr, "budgetpress check: out of memory; the list above is incomplete\n");
    bp_diags_clear(&diags);
    return status;
}

/* The layout and fonts render would use (the first unit's kind's, unless --layout), loaded once; a
 * layout or font that cannot be used is render's exit 2 before any unit. */
static int load_layout(check_options *o, const char *first_unit)
{
    char path[4096];
    if (bp_cli_layout_for(o->layout_path, first_unit, path, sizeof path) != 0)
        return -1;
    bp_diags diags = BP_DIAGS_INIT;
    o->layout = bp_cli_load_layout(path, &diags);
    o->fonts = o->layout ? bp_fontset_load(&o->layout->fonts, &diags) : NULL;
    bp_cli_print_diags(stderr, &diags, bp_cli_limit_for(stderr, o->max_errors), NULL);
    bp_diags_clear(&diags);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o->threads = cores > 1 ? 2 : 1;
    return o->fonts ? 0 : -1;
}

/* Options may stand anywhere among the files; after "--" every argument is a file. */
static int parse_options(int argc, char **argv, check_options *o, const char **files,
                         int *file_count)
{
    bool options_end = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool has_value = i + 1 < argc;
        if (options_end || arg[0] != '-' || arg[1] == '\0') {
            files[(*file_count)++] = arg;
        } else if (strcmp(arg, "--") == 0) {
            options_end = true;
        } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            o->quiet = true;
        } else if (strcmp(arg, "--json") == 0) {
            o->json = true;
        } else if (strcmp(arg, "--layout") == 0 && has_value) {
            o->layout_path = argv[++i];
        } else if (strcmp(arg, "--max-errors") == 0 && has_value) {
            int status = bp_cli_parse_max_errors("check", argv[++i], &o->max_errors);
            if (status != BP_EXIT_OK)
                return status;
        } else {
            return bp_cli_usage_error("check", "unknown option or missing value '%s'", arg);
        }
    }
    if (*file_count == 0)
        return bp_cli_usage_error("check", "no unit file given");
    return BP_EXIT_OK;
}

static int run_check(int argc, char **argv)
{
    check_options options = {.max_errors = -1};
    const char **files = calloc((size_t)argc, sizeof *files);
    int file_count = 0;
    int status = files ? parse_options(argc, argv, &options, files, &file_count) : BP_EXIT_UNUSABLE;
    if (status == BP_EXIT_OK && options.json && !(options.units = json_array()))
        status = BP_EXIT_UNUSABLE;
    if (status == BP_EXIT_OK && load_layout(&options, files[0]) != 0)
        status = BP_EXIT_UNUSABLE;
    if (status != BP_EXIT_OK)
        file_count = 0;
    for (int i = 0; i < file_count; i++) {
        int file_status = check_file(files[i], &options);
        if (file_status > status)
            status = file_status;
    }
    if (options.units) {
        json_t *doc =
            json_pack("{s:o, s:s}", "units", options.units, "status", status_name(status));
        if (!doc || json_dumpf(doc, stdout, JSON_INDENT(2)) != 0)
            status = BP_EXIT_UNUSABLE;
        putchar('\n');
        json_decref(doc);
    }
    free(files);
    bp_fontset_destroy(options.fonts);
    bp_layout_destroy(options.layout);
    return status;
}

const bp_command bp_command_check = {
    "check",
    "Check a unit's budget model and report every problem",
    check_help,
    run_check,
};

/*
 * cmd_check.c: `budgetpress check UNIT.json...`: loads each unit, runs the checks, prints every
 * problem. For a clerk before publishing and for the bureau's scripts alike: one line per
 * problem, a summary line per file, and an exit status that tells the three outcomes apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budgetpress/check.h"
#include "budgetpress/model.h"
#include "cli.h"

static const char check_help[] =
    "usage: budgetpress check [-q] [--json] [--max-errors N] UNIT.json...\n"
    "\n"
    "Reads each unit's budget model and reports every problem found, one per line:\n"
    "  - JSON syntax errors as FILE:LINE:COLUMN: error: what was expected;\n"
    "  - content that does not fit the model (docs/model.md) as FILE: error: JSON.PATH: what\n"
    "    was expected, found what;\n"
    "  - findings of the rules (docs/checks.md) as FILE: E-RULE PATH: message (W- for a\n"
    "    warning).\n"
    "Then one summary line per file.\n"
    "\n"
    "Options:\n"
    "  -q, --quiet   print problems only, no summary lines\n"
    "  --max-errors N  print at most N problems per file, then how many more there are\n"
    "                (0: all). On a terminal at most a screenful per rule is printed unless\n"
    "                this is given; to a file or a pipe, every problem\n"
    "  --json        print one JSON document instead: {\"units\": [{\"file\", \"status\"\n"
    "                (ok, findings, unreadable), \"code\", \"name\", \"errors\", \"warnings\",\n"
    "                \"findings\": [{\"severity\", \"rule\", \"file\", \"line\", \"column\",\n"
    "                \"path\", \"message\", \"text\"}]}], \"status\"}; text is the line the\n"
    "                readable output prints\n"
    "\n"
    "Exit status: 0 every unit is clean (warnings allowed), 1 some unit has rule errors,\n"
    "2 some file could not be read as a unit.\n";

typedef struct check_options {
    bool quiet;
    bool json;
    long max_errors; /* --max-errors, -1 when not given */
    json_t *units;   /* with --json: one object per file */
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
static void add_json(const check_options *options, const char *path, const bp_unit *unit,
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
    json_object_set_new(o, "code", bp_cli_json_text(unit ? unit->info.code : NULL));
    json_object_set_new(o, "name", bp_cli_json_text(unit ? unit->info.name : NULL));
    json_object_set_new(o, "findings", bp_cli_diags_json(diags));
    json_array_append_new(options->units, o);
}

/* Checks one file; returns its exit status. */
static int check_file(const char *path, check_options *options)
{
    bp_diags diags = BP_DIAGS_INIT;
    bp_unit *unit = NULL;
    int status;
    if (bp_unit_load_file(path, &unit, &diags) != 0) {
        print_diags(&diags, options, path);
        if (!options->quiet && !options->json)
            printf("%s: not a readable unit (%zu problem%s)\n", path, diags.count,
                   diags.count == 1 ? "" : "s");
        status = BP_EXIT_UNUSABLE;
    } else {
        size_t errors = bp_check_unit(unit, &diags);
        size_t warnings = bp_diags_count(&diags, BP_SEVERITY_WARNING);
        print_diags(&diags, options, path);
        if (!options->quiet && !options->json)
            printf("%s: %s %s (%s), %zu error%s, %zu warning%s\n", path, unit->info.code,
                   unit->info.name, errors ? "findings" : "ok", errors, errors == 1 ? "" : "s",
                   warnings, warnings == 1 ? "" : "s");
        status = errors ? BP_EXIT_FINDINGS : BP_EXIT_OK;
    }
    add_json(options, path, unit, &diags, status);
    if (diags.out_of_memory)
        fprintf(stderr, "budgetpress check: out of memory; the list above is incomplete\n");
    bp_unit_destroy(unit);
    bp_diags_clear(&diags);
    return status;
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
    check_options options = {false, false, -1, NULL};
    const char **files = calloc((size_t)argc, sizeof *files);
    int file_count = 0;
    int status = files ? parse_options(argc, argv, &options, files, &file_count) : BP_EXIT_UNUSABLE;
    if (status == BP_EXIT_OK && options.json && !(options.units = json_array()))
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
    return status;
}

const bp_command bp_command_check = {
    "check",
    "Check a unit's budget model and report every problem",
    check_help,
    run_check,
};

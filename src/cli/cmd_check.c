/*
 * cmd_check.c: `budgetpress check UNIT.json...`: loads each unit, runs the checks, prints every
 * problem. For a clerk before publishing and for the bureau's scripts alike: one line per
 * problem, a summary line per file, and an exit status that tells the three outcomes apart.
 */
#include <stdio.h>
#include <string.h>

#include "budgetpress/check.h"
#include "budgetpress/model.h"
#include "cli.h"

static const char check_help[] =
    "usage: budgetpress check [-q] [--json] UNIT.json...\n"
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
    json_t *units; /* with --json: one object per file */
} check_options;

static void print_diags(const bp_diags *diags, const check_options *options)
{
    if (options->json)
        return;
    for (size_t i = 0; i < diags->count; i++)
        bp_diag_print(stdout, &diags->items[i]);
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
        print_diags(&diags, options);
        if (!options->quiet && !options->json)
            printf("%s: not a readable unit (%zu problem%s)\n", path, diags.count,
                   diags.count == 1 ? "" : "s");
        status = BP_EXIT_UNUSABLE;
    } else {
        size_t errors = bp_check_unit(unit, &diags);
        size_t warnings = bp_diags_count(&diags, BP_SEVERITY_WARNING);
        print_diags(&diags, options);
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

static int run_check(int argc, char **argv)
{
    check_options options = {false, false, NULL};
    int first_file = argc;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            first_file = i + 1;
            break;
        }
        if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            options.quiet = true;
        } else if (strcmp(arg, "--json") == 0) {
            options.json = true;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return bp_cli_usage_error("check", "unknown option '%s'", arg);
        } else {
            first_file = i;
            break;
        }
    }
    if (first_file >= argc)
        return bp_cli_usage_error("check", "no unit file given");
    int status = BP_EXIT_OK;
    if (options.json && !(options.units = json_array()))
        return BP_EXIT_UNUSABLE;
    for (int i = first_file; i < argc; i++) {
        int file_status = check_file(argv[i], &options);
        if (file_status > status)
            status = file_status;
    }
    if (options.json) {
        json_t *doc =
            json_pack("{s:o, s:s}", "units", options.units, "status", status_name(status));
        if (!doc || json_dumpf(doc, stdout, JSON_INDENT(2)) != 0)
            status = BP_EXIT_UNUSABLE;
        putchar('\n');
        json_decref(doc);
    }
    return status;
}

const bp_command bp_command_check = {
    "check",
    "Check a unit's budget model and report every problem",
    check_help,
    run_check,
};

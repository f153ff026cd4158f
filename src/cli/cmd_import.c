/*
 * cmd_import.c: `budgetpress import BOOK [--profile P] [--base UNIT.json] -o UNIT.json`: a unit's
 * workbook from its region's budget platform in, a unit that check and render take out, and
 * every cell it could not place named.
 *
 * For a clerk: every problem in one run, each against the workbook's own cell; then the unit
 * checked by check's rules, its findings said against the cells too. The unit is written only
 * when every cell was placed (a unit missing a figure the workbook has must not look finished);
 * the workbook's own arithmetic that does not add up is reported but does not stop it, since
 * the unit then says what the workbook says, and render refuses it just the same.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budgetpress/check.h"
#include "budgetpress/import.h"
#include "budgetpress/kind.h"
#include "budgetpress/model.h"
#include "cli.h"

#include "../util/jsonread.h"
#include "../util/outfile.h"

static const char import_help[] =
    "usage: budgetpress import [-q] [--json] [--max-errors N] [--profile P] [--base UNIT.json]\n"
    "                          [--layout FILE] -o UNIT.json BOOK.xlsx|BOOK.xls\n"
    "\n"
    "Reads a unit's workbook as its region's budget platform exports it and writes the unit\n"
    "that check and render take. The profile (docs/import.md) says which sheet holds each\n"
    "table of the kind and which header stands over each column; values are read exactly (a\n"
    "number as the file wrote it, 1,234.50 and (12.00) and full-width digits as text, a SUM\n"
    "formula without a stored result added up), blank cells stay blank, and a figure in 万元\n"
    "for a table in 元 (the banner 单位：万元, or the number format) is converted exactly.\n"
    "\n"
    "Every problem is said against its cell, one per line:\n"
    "  BOOK: error: 部门支出总表!E12: \"1,2O4.00\" is not an amount (a letter O among the digits)\n"
    "sheets the profile expects and the workbook lacks, rows and columns that cannot be\n"
    "placed; then the unit is checked by check's rules and their findings are said against\n"
    "the cells too. Last, where each part of the unit came from.\n"
    "\n"
    "Options:\n"
    "  -o FILE         the unit to write (\"-\": standard output); written whole or not at\n"
    "                  all, never over the workbook or the base\n"
    "  --profile P     a profile file, or the name of one in profiles/ (default: the one\n"
    "                  whose sheets the workbook has)\n"
    "  --base UNIT     an existing unit (last year's, or the clerk's own): its text,\n"
    "                  performance targets, procurement, assets and code are kept, its\n"
    "                  tables replaced by the workbook's\n"
    "  --layout FILE   the kind's layout (default: layouts/KIND.json for the profile's kind)\n"
    "  -q, --quiet     print problems only, not where each part came from\n"
    "  --max-errors N  print at most N problems (0: all); on a terminal a screenful per rule\n"
    "  --json          print one JSON document instead: {\"file\", \"status\", \"output\",\n"
    "                  \"written\", \"profile\", \"parts\": [{\"part\", \"from\"}],\n"
    "                  \"findings\": [{\"severity\", \"rule\", \"file\", \"path\", \"message\",\n"
    "                  \"text\"}]}\n"
    "\n"
    "Exit status: 0 the unit was written and is clean (warnings allowed); 1 findings (the unit\n"
    "is written unless a cell could not be read or placed); 2 the workbook, the profile, the\n"
    "base or the layout could not be read, or nothing was written.\n";

typedef struct import_options {
    const char *book, *profile, *base, *layout, *output;
    bool quiet, json;
    long max_errors;
} import_options;

static int parse_options(int argc, char **argv, import_options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool has_value = i + 1 < argc;
        if (arg[0] != '-' || arg[1] == '\0') {
            if (o->book)
                return bp_cli_usage_error("import", "one workbook at a time ('%s' and '%s')",
                                          o->book, arg);
            o->book = arg;
        } else if (strcmp(arg, "-o") == 0 && has_value) {
            o->output = argv[++i];
        } else if (strcmp(arg, "--profile") == 0 && has_value) {
            o->profile = argv[++i];
        } else if (strcmp(arg, "--base") == 0 && has_value) {
            o->base = argv[++i];
        } else if (strcmp(arg, "--layout") == 0 && has_value) {
            o->layout = argv[++i];
        } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            o->quiet = true;
        } else if (strcmp(arg, "--json") == 0) {
            o->json = true;
        } else if (strcmp(arg, "--max-errors") == 0 && has_value) {
            int status = bp_cli_parse_max_errors("import", argv[++i], &o->max_errors);
            if (status != BP_EXIT_OK)
                return status;
        } else {
            return bp_cli_usage_error("import", "unknown option or missing value '%s'", arg);
        }
    }
    if (!o->book)
        return bp_cli_usage_error("import", "no workbook given");
    if (!o->output)
        return bp_cli_usage_error("import", "no unit to write: give -o UNIT.json");
    return BP_EXIT_OK;
}

/* ---- The profile ---- */

static bp_profile *load_named_profile(const char *given, bp_diags *diags)
{
    if (strchr(given, '/') || access(given, R_OK) == 0)
        return bp_profile_load_file(given, diags);
    char path[4096];
    snprintf(path, sizeof path, "%s/profiles/%s.json", bp_cli_data_dir(), given);
    if (access(path, R_OK) != 0) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, given, 0, 0, NULL,
                     "no such profile: neither a file nor a name in %s/profiles",
                     bp_cli_data_dir());
        return NULL;
    }
    return bp_profile_load_file(path, diags);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The shipped profile whose tables' sheets the workbook has most of (in name order on a tie). */
static bp_profile *guess_profile(const bp_workbook *book, const char *book_name, bp_diags *diags)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/profiles", bp_cli_data_dir());
    DIR *d = opendir(dir);
    char *names[256];
    size_t count = 0;
    for (struct dirent *e; d && count < 256 && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
            names[count++] = strdup(e->d_name);
    }
    if (d)
        closedir(d);
    qsort(names, count, sizeof *names, by_name);
    bp_profile *best = NULL;
    size_t best_found = 0;
    for (size_t i = 0; i < count; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, names[i] ? names[i] : "");
        bp_diags ignored = BP_DIAGS_INIT;
        bp_profile *p = names[i] ? bp_profile_load_file(path, &ignored) : NULL;
        bp_diags_clear(&ignored);
        size_t found = p ? bp_profile_tables_found(p, book) : 0;
        if (found > best_found) {
            bp_profile_destroy(best);
            best = p;
            best_found = found;
        } else {
            bp_profile_destroy(p);
        }
        free(names[i]);
    }
    if (!best)
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, book_name, 0, 0, NULL,
                     "no profile in %s knows this workbook's sheets: give --profile FILE "
                     "(docs/import.md says how to write one)",
                     dir);
    return best;
}

/* ---- Findings against cells ---- */

/* check's findings on the unit, said against the workbook's cells where the value came from
 * one: the clerk fixes the workbook, not the JSON. */
static void add_findings(bp_diags *out, const bp_diags *findings, bp_import *im, const char *book,
                         const char *output)
{
    for (size_t i = 0; i < findings->count; i++) {
        bp_diag d = findings->items[i];
        const char *cell = d.path ? bp_import_cell(im, d.path) : NULL;
        if (cell) {
            d.path = (char *)cell;
            d.file = (char *)book;
            d.line = d.column = 0;
        } else if (!d.file || d.line == 0) {
            d.file = (char *)output;
        }
        bp_diags_add_copy(out, &d);
    }
}

/* ---- Writing ---- */

/* The unit's JSON, for bp_cli_write_whole (a failed write is the commit's to report). */
static int print_unit(FILE *out, const void *ctx)
{
    fputs(bp_import_json(ctx, &(size_t){0}), out);
    fputc('\n', out);
    return 0;
}

/* ---- Reporting ---- */

static void print_parts(FILE *out, const bp_import *im, const char *book)
{
    fprintf(out, "%s: where the unit's parts came from:\n", book);
    for (size_t i = 0; i < bp_import_part_count(im); i++) {
        const char *what, *from;
        bp_import_part_at(im, i, &what, &from);
        fprintf(out, "  %-28s %s\n", what, strcmp(from, "base") == 0 ? "the base unit" : from);
    }
}

static const char *status_name(int status)
{
    return status == BP_EXIT_OK ? "ok" : status == BP_EXIT_FINDINGS ? "findings" : "unreadable";
}

static void print_json(const import_options *o, const bp_import *im, const bp_profile *profile,
                       const bp_diags *diags, int status, bool written)
{
    json_t *parts = json_array();
    for (size_t i = 0; im && i < bp_import_part_count(im); i++) {
        const char *what, *from;
        bp_import_part_at(im, i, &what, &from);
        json_array_append_new(parts, json_pack("{s:s, s:s}", "part", what, "from", from));
    }
    json_t *doc =
        json_pack("{s:o, s:s, s:o, s:b, s:o, s:o, s:o}", "file", bp_cli_json_text(o->book),
                  "status", status_name(status), "output", bp_cli_json_text(o->output), "written",
                  written, "profile", bp_cli_json_text(profile ? bp_profile_name(profile) : NULL),
                  "parts", parts, "findings", bp_cli_diags_json(diags));
    if (doc)
        json_dumpf(doc, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(doc);
}

/* ---- The command ---- */

static void say_stopping(void *ctx, int sig)
{
    const import_options *o = ctx;
    fprintf(stderr,
            "\nbudgetpress import: %s: stopping; %s is left as it was (again to stop at once)\n",
            bp_cli_signal_name(sig), strcmp(o->output, "-") == 0 ? "the output" : o->output);
}

typedef struct import_run {
    const atomic_int *stop; /* set by Ctrl-C or SIGTERM: nothing more is written */
    bp_workbook *book;
    bp_profile *profile;
    bp_kind *kind;
    bp_strbuf base;
    bp_import *im;
    bp_diags diags;
    bool written;
} import_run;

/* Reads the workbook, the profile, the kind and the base: BP_EXIT_OK or BP_EXIT_UNUSABLE. */
static int load_inputs(const import_options *o, import_run *r)
{
    r->book = bp_workbook_open(o->book, &r->diags);
    if (!r->book)
        return BP_EXIT_UNUSABLE;
    r->profile = o->profile ? load_named_profile(o->profile, &r->diags)
                            : guess_profile(r->book, o->book, &r->diags);
    if (!r->profile)
        return BP_EXIT_UNUSABLE;
    char layout[4096];
    const char *kind = bp_profile_kind(r->profile);
    if (o->layout) {
        snprintf(layout, sizeof layout, "%s", o->layout);
    } else if (strchr(kind, '/') || kind[0] == '.') {
        bp_diags_add(&r->diags, BP_SEVERITY_ERROR, NULL, o->profile, 0, 0, "kind",
                     "\"%s\" is not the name of a layout in %s/layouts", kind, bp_cli_data_dir());
        return BP_EXIT_UNUSABLE;
    } else {
        snprintf(layout, sizeof layout, "%s/layouts/%s.json", bp_cli_data_dir(), kind);
    }
    if (bp_kind_load_file(layout, &r->kind, &r->diags) != 0)
        return BP_EXIT_UNUSABLE;
    if (!r->kind) {
        bp_diags_add(&r->diags, BP_SEVERITY_ERROR, NULL, layout, 0, 0, NULL,
                     "the layout declares no kind for the profile to read into");
        return BP_EXIT_UNUSABLE;
    }
    if (o->base && bp_jr_read_file(o->base, &r->base, &r->diags) != 0)
        return BP_EXIT_UNUSABLE;
    return BP_EXIT_OK;
}

static int import_book(const import_options *o, import_run *r)
{
    int status = load_inputs(o, r);
    if (status != BP_EXIT_OK)
        return status;
    r->im =
        bp_import_book(r->book, o->book, r->profile, r->kind,
                       o->base ? bp_strbuf_cstr(&r->base) : NULL, r->base.len, o->base, &r->diags);
    if (!r->im)
        return BP_EXIT_UNUSABLE;
    size_t import_errors = bp_diags_count(&r->diags, BP_SEVERITY_ERROR);
    size_t size;
    const char *json = bp_import_json(r->im, &size);
    /* check's rules once every cell is placed: over a unit missing figures they would only
     * repeat the problems above in other words. */
    bp_diags findings = BP_DIAGS_INIT;
    bp_unit *unit = NULL;
    if (import_errors == 0 &&
        bp_unit_load_buffer_of_kind(json, size, o->output, r->kind, &unit, &findings) == 0)
        bp_check_unit(unit, &findings);
    bp_unit_destroy(unit);
    add_findings(&r->diags, &findings, r->im, o->book, o->output);
    bp_diags_clear(&findings);
    if (atomic_load(r->stop))
        return BP_EXIT_UNUSABLE; /* interrupted: the old unit stays as it was */
    if (import_errors == 0) {
        if (bp_cli_write_whole(o->output, "import", "the unit", print_unit, r->im) != 0)
            return BP_EXIT_UNUSABLE;
        r->written = true;
    }
    return bp_diags_count(&r->diags, BP_SEVERITY_ERROR) ? BP_EXIT_FINDINGS : BP_EXIT_OK;
}

static void report(const import_options *o, const import_run *r, int status)
{
    if (o->json) {
        print_json(o, r->im, r->profile, &r->diags, status, r->written);
        return;
    }
    /* With the unit on standard output, everything else goes to standard error. */
    FILE *out = strcmp(o->output, "-") == 0 ? stderr : stdout;
    bp_cli_print_diags(out, &r->diags, bp_cli_limit_for(out, o->max_errors), o->book);
    if (o->quiet)
        return;
    if (r->im)
        print_parts(out, r->im, o->book);
    size_t errors = bp_diags_count(&r->diags, BP_SEVERITY_ERROR);
    size_t warnings = bp_diags_count(&r->diags, BP_SEVERITY_WARNING);
    if (r->written)
        fprintf(out, "%s: wrote %s (%s), %zu error%s, %zu warning%s\n", o->book, o->output,
                status == BP_EXIT_OK ? "ok" : "findings", errors, errors == 1 ? "" : "s", warnings,
                warnings == 1 ? "" : "s");
    else
        fprintf(out, "%s: %s not written (%zu problem%s%s)\n", o->book, o->output, errors,
                errors == 1 ? "" : "s",
                status == BP_EXIT_FINDINGS ? " in the workbook: the cells named above" : "");
}

static int run_import(int argc, char **argv)
{
    import_options o = {.max_errors = -1};
    int status = parse_options(argc, argv, &o);
    if (status != BP_EXIT_OK)
        return status;
    /* The inputs given, none of which the unit may be written over. */
    bp_cli_file inputs[3] = {{o.book, "the workbook"}};
    size_t input_count = 1;
    if (o.base)
        inputs[input_count++] = (bp_cli_file){o.base, "the base unit"};
    if (o.profile)
        inputs[input_count++] = (bp_cli_file){o.profile, "the profile"};
    bp_cli_file outputs[] = {{o.output, "the unit (-o)"}};
    if (bp_cli_check_outputs("import", inputs, input_count, outputs, 1) != 0)
        return BP_EXIT_UNUSABLE;
    if (strcmp(o.output, "-") != 0)
        bp_outfile_sweep_beside(o.output); /* what an import killed outright left */
    bp_cli_signals signals;
    bp_cli_signals_begin(&signals, say_stopping, &o);
    import_run r = {.stop = &signals.stop, .diags = BP_DIAGS_INIT, .base = BP_STRBUF_INIT};
    status = import_book(&o, &r);
    bp_cli_signals_end(&signals);
    if (!atomic_load(&signals.stop))
        report(&o, &r, status);
    bp_import_destroy(r.im);
    bp_strbuf_free(&r.base);
    bp_kind_destroy(r.kind);
    bp_profile_destroy(r.profile);
    bp_workbook_close(r.book);
    bp_diags_clear(&r.diags);
    bp_cli_signals_die(&signals);
    return status;
}

const bp_command bp_command_import = {
    "import",
    "Read a unit's workbook (.xlsx, .xls) into a unit, every problem against its cell",
    import_help,
    run_import,
};

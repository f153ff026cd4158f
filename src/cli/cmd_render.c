/*
 * cmd_render.c: `budgetpress render UNIT.json [-o OUT.pdf]`: the finance clerk's command. Loads
 * and checks the unit, typesets it with the layout, writes the PDF (whole or not at all) and
 * says where it went.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "budgetpress/check.h"
#include "budgetpress/layout.h"
#include "budgetpress/model.h"
#include "budgetpress/render.h"
#include "cli.h"

static const char render_help[] =
    "usage: budgetpress render [options] UNIT.json\n"
    "\n"
    "Typesets a unit's budget disclosure as PDF. The unit is checked first (see 'budgetpress\n"
    "help check'); a unit with errors is not rendered unless --force is given. The PDF is\n"
    "written to a temporary file and renamed into place, so OUT.pdf is either the whole new\n"
    "document or left as it was.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   where to write the PDF (default: the unit's name with .pdf, in the\n"
    "                      current directory)\n"
    "  --layout FILE       the layout (default: layouts/unit-2022.json)\n"
    "  --dump-pages FILE   also write the display list, one item per line ('-' for stdout),\n"
    "                      to see exactly what changed between two renderings\n"
    "  --force             render even when the checks find errors\n"
    "\n"
    "The same unit and layout always give the same bytes: the document is dated by the unit's\n"
    "publish_date, or by $SOURCE_DATE_EPOCH when set, never by the clock, and its ID is a\n"
    "digest of its pages.\n"
    "\n"
    "Exit status: 0 written, 1 not written because of findings (check errors, characters no\n"
    "font has), 2 the unit, layout or fonts could not be read, or the file not written.\n";

typedef struct render_options {
    const char *unit_path;
    const char *output;
    const char *layout;
    const char *dump;
    bool force;
} render_options;

/* Where layouts/ and fonts/ live: $BUDGETPRESS_DATA_DIR, else the source tree it was built
 * from. */
static const char *data_dir(void)
{
    const char *dir = getenv("BUDGETPRESS_DATA_DIR");
    return dir && *dir ? dir : BP_DATA_DIR;
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org), when set, dates the document: seconds since
 * 1970 UTC, written in China Standard Time (UTC+08:00) like every date of these documents. */
static void apply_source_date_epoch(bp_document *doc)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long seconds = epoch && *epoch ? strtoll(epoch, &end, 10) : -1;
    if (seconds < 0 || (end && *end))
        return;
    time_t t = (time_t)(seconds + 8 * 3600);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return;
    bp_doc_info info = *bp_document_info(doc);
    info.year = tm.tm_year + 1900;
    info.month = tm.tm_mon + 1;
    info.day = tm.tm_mday;
    info.hour = tm.tm_hour;
    info.minute = tm.tm_min;
    info.second = tm.tm_sec;
    bp_document_set_info(doc, &info);
}

static void print_diags(const bp_diags *diags)
{
    for (size_t i = 0; i < diags->count; i++)
        bp_diag_print(stderr, &diags->items[i]);
}

/* "samples/201001-2022.json" -> "201001-2022.pdf" */
static char *default_output(const char *unit_path)
{
    const char *base = strrchr(unit_path, '/');
    base = base ? base + 1 : unit_path;
    size_t len = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        len = (size_t)(dot - base);
    char *out = malloc(len + 5);
    if (out) {
        memcpy(out, base, len);
        memcpy(out + len, ".pdf", 5);
    }
    return out;
}

static int parse_options(int argc, char **argv, render_options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool has_value = i + 1 < argc;
        if ((strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) && has_value)
            o->output = argv[++i];
        else if (strcmp(arg, "--layout") == 0 && has_value)
            o->layout = argv[++i];
        else if (strcmp(arg, "--dump-pages") == 0 && has_value)
            o->dump = argv[++i];
        else if (strcmp(arg, "--force") == 0)
            o->force = true;
        else if (arg[0] == '-' && arg[1] != '\0')
            return bp_cli_usage_error("render", "unknown option or missing value '%s'", arg);
        else if (o->unit_path)
            return bp_cli_usage_error("render",
                                      "one unit at a time ('%s' and '%s'); use batch "
                                      "for many",
                                      o->unit_path, arg);
        else
            o->unit_path = arg;
    }
    if (!o->unit_path)
        return bp_cli_usage_error("render", "no unit file given");
    return BP_EXIT_OK;
}

static int write_dump(const bp_document *doc, const char *path)
{
    FILE *out = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!out) {
        perror(path);
        return -1;
    }
    for (size_t p = 0; p < bp_document_page_count(doc); p++)
        bp_page_dump(bp_document_page(doc, p), out);
    int rc = ferror(out) ? -1 : 0;
    if (out != stdout && fclose(out) != 0)
        rc = -1;
    return rc;
}

/* Loads and checks the unit; returns an exit status, BP_EXIT_OK to go on. */
static int load_checked_unit(const render_options *o, bp_unit **unit, bp_diags *diags)
{
    if (bp_unit_load_file(o->unit_path, unit, diags) != 0)
        return BP_EXIT_UNUSABLE;
    size_t errors = bp_check_unit(*unit, diags);
    if (errors > 0 && !o->force) {
        fprintf(stderr, "%s: %zu error%s: not rendered (use --force to render anyway)\n",
                o->unit_path, errors, errors == 1 ? "" : "s");
        return BP_EXIT_FINDINGS;
    }
    return BP_EXIT_OK;
}

static int render(const render_options *o, bp_diags *diags)
{
    bp_unit *unit = NULL;
    bp_layout *layout = NULL;
    bp_fontset *fonts = NULL;
    bp_document *doc = NULL;
    char layout_path[4096], catalog_path[4096];
    snprintf(layout_path, sizeof layout_path, "%s/layouts/unit-2022.json", data_dir());
    snprintf(catalog_path, sizeof catalog_path, "%s/fonts/fonts.json", data_dir());

    int status = load_checked_unit(o, &unit, diags);
    if (status == BP_EXIT_OK) {
        layout = bp_layout_load_file(o->layout ? o->layout : layout_path, catalog_path, diags);
        fonts = layout ? bp_fontset_load(&layout->fonts, diags) : NULL;
        status = fonts ? BP_EXIT_OK : BP_EXIT_UNUSABLE;
    }
    if (status == BP_EXIT_OK) {
        doc = bp_typeset(unit, layout, fonts, diags);
        status = doc ? BP_EXIT_OK : BP_EXIT_FINDINGS;
        if (doc)
            apply_source_date_epoch(doc);
    }
    if (status == BP_EXIT_OK && o->dump && write_dump(doc, o->dump) != 0)
        status = BP_EXIT_UNUSABLE;
    if (status == BP_EXIT_OK) {
        /* One unit, one process: its pages may use every core. */
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        bp_pdf_options pdf = {.threads = cores > 1 ? (int)cores : 1};
        if (bp_render_pdf_file(doc, fonts, &pdf, o->output, diags) != 0) {
            status = BP_EXIT_UNUSABLE;
        } else {
            struct stat st;
            long kb = stat(o->output, &st) == 0 ? (long)((st.st_size + 1023) / 1024) : 0;
            printf("%s: wrote %s (%zu pages, %ld KB)\n", o->unit_path, o->output,
                   bp_document_page_count(doc), kb);
        }
    }
    bp_document_destroy(doc);
    bp_fontset_destroy(fonts);
    bp_layout_destroy(layout);
    bp_unit_destroy(unit);
    return status;
}

static int run_render(int argc, char **argv)
{
    render_options o = {0};
    int status = parse_options(argc, argv, &o);
    if (status != BP_EXIT_OK)
        return status;
    char *fallback = o.output ? NULL : default_output(o.unit_path);
    if (!o.output)
        o.output = fallback;
    bp_diags diags = BP_DIAGS_INIT;
    status = o.output ? render(&o, &diags) : BP_EXIT_UNUSABLE;
    print_diags(&diags);
    bp_diags_clear(&diags);
    free(fallback);
    return status;
}

const bp_command bp_command_render = {
    "render",
    "Typeset a unit's budget disclosure as PDF",
    render_help,
    run_render,
};

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
#include "../util/outfile.h"
#include "cli.h"

static const char render_help[] =
    "usage: budgetpress render [options] UNIT.json\n"
    "\n"
    "Typesets a unit's budget disclosure as PDF. The unit is checked first (see 'budgetpress\n"
    "help check'); a unit with errors is not rendered unless --force is given. The PDF is\n"
    "written to a temporary file and renamed into place, so OUT.pdf is either the whole new\n"
    "document (with the old file's permissions) or left as it was, also when the render is\n"
    "interrupted (Ctrl-C). An output that is one of the inputs (the unit, the layout) is\n"
    "refused before any work; a device or a pipe (/dev/stdout) is written through.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   where to write the PDF (default: the unit's name with .pdf, in the\n"
    "                      current directory); '-' for standard output\n"
    "  --layout FILE       the layout (default: layouts/unit-2022.json)\n"
    "  --dump-pages FILE   also write the display list, one item per line ('-' for stdout),\n"
    "                      to see exactly what changed between two renderings\n"
    "  --dump-record FILE  also write what the document shows, in reading order: parts,\n"
    "                      headings and paragraphs by their place in the unit, each table\n"
    "                      cell by table, row (code or line), column, role and exact value\n"
    "                      (empty cells too), then the page; then what pagination repeats\n"
    "                      (folios, banners and headers on continuation pages)\n"
    "  --png DIR           draw the pages as images, DIR/page-001.png and on (DIR is made\n"
    "                      when missing); without -o, no PDF is written\n"
    "  --dpi N             the images' resolution, 20 to 1200 (default 96)\n"
    "  --pages LIST        only these pages as images: 1,3,5-7\n"
    "  --untagged          leave the structure tree out of the PDF (a smaller file that\n"
    "                      screen readers and copying read as flat text)\n"
    "  --force             render even when the checks find errors\n"
    "  --max-errors N      print at most N problems, then how many more there are (0: all;\n"
    "                      on a terminal the default is a screenful per rule)\n"
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
    const char *record;
    bool untagged;
    bool force;
    const char *png_dir;
    long dpi;
    const char *pages;
    long max_errors; /* --max-errors, -1 when not given */
} render_options;

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
        else if (strcmp(arg, "--dump-record") == 0 && has_value)
            o->record = argv[++i];
        else if (strcmp(arg, "--force") == 0)
            o->force = true;
        else if (strcmp(arg, "--untagged") == 0)
            o->untagged = true;
        else if (strcmp(arg, "--png") == 0 && has_value)
            o->png_dir = argv[++i];
        else if (strcmp(arg, "--dpi") == 0 && has_value) {
            char *end;
            const char *v = argv[++i];
            o->dpi = strtol(v, &end, 10);
            if (end == v || *end || o->dpi < 20 || o->dpi > 1200)
                return bp_cli_usage_error("render",
                                          "--dpi takes a resolution from 20 to 1200, "
                                          "not '%s'",
                                          v);
        } else if (strcmp(arg, "--pages") == 0 && has_value) {
            char why[160];
            o->pages = argv[++i];
            if (bp_cli_parse_pages(o->pages, 0, NULL, why, sizeof why) != 0)
                return bp_cli_usage_error("render", "--pages: %s", why);
        } else if (strcmp(arg, "--max-errors") == 0 && has_value) {
            int status = bp_cli_parse_max_errors("render", argv[++i], &o->max_errors);
            if (status != BP_EXIT_OK)
                return status;
        } else if (arg[0] == '-' && arg[1] != '\0')
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
    if ((o->dpi || o->pages) && !o->png_dir)
        return bp_cli_usage_error("render", "--dpi and --pages are for the page images: add "
                                            "--png DIR");
    return BP_EXIT_OK;
}

/* What must hold before any work: no output is an input, a PDF goes to a terminal only
 * by mistake, SOURCE_DATE_EPOCH is readable. */
static int preflight(const render_options *o, long long *source_date)
{
    char layout[4096], catalog[4096];
    if (bp_cli_layout_for(o->layout, o->unit_path, layout, sizeof layout) != 0)
        return BP_EXIT_UNUSABLE;
    snprintf(catalog, sizeof catalog, "%s/fonts/fonts.json", bp_cli_data_dir());
    bp_cli_file inputs[] = {
        {o->unit_path, "the unit"}, {layout, "the layout"}, {catalog, "the font catalog"}};
    bp_cli_file outputs[3] = {{o->output, "-o"}};
    size_t n = o->output ? 1 : 0;
    if (o->dump)
        outputs[n++] = (bp_cli_file){o->dump, "--dump-pages"};
    if (o->record)
        outputs[n++] = (bp_cli_file){o->record, "--dump-record"};
    if (bp_cli_check_outputs("render", inputs, 3, outputs, n) != 0)
        return BP_EXIT_UNUSABLE;
    if (o->output && strcmp(o->output, "-") == 0 && isatty(STDOUT_FILENO)) {
        fputs("budgetpress render: not writing a PDF to a terminal; redirect it "
              "(-o - >unit.pdf) or name a file with -o\n",
              stderr);
        return BP_EXIT_UNUSABLE;
    }
    if (bp_cli_source_date_epoch("render", source_date) != 0)
        return BP_EXIT_UNUSABLE;
    return BP_EXIT_OK;
}

static void say_stopping(void *ctx, int sig)
{
    const render_options *o = ctx;
    fprintf(stderr,
            "\nbudgetpress render: %s: stopping; %s is left as it was (again to stop at "
            "once)\n",
            bp_cli_signal_name(sig),
            !o->output || strcmp(o->output, "-") == 0 ? "the output" : o->output);
}

/* Loads the layout and fonts, then runs the pipeline; prints where the PDF went. */
static int render(const render_options *o, long long source_date, const atomic_int *stop,
                  bp_diags *diags)
{
    char path[4096];
    if (bp_cli_layout_for(o->layout, o->unit_path, path, sizeof path) != 0)
        return BP_EXIT_UNUSABLE;
    bp_layout *layout = bp_cli_load_layout(path, diags);
    /* The font files are read whole while the unit is typeset (bp_cli_render_unit waits). */
    bp_fontset *fonts = layout ? bp_fontset_open(&layout->fonts, diags) : NULL;
    if (!fonts) {
        bp_layout_destroy(layout);
        return BP_EXIT_UNUSABLE;
    }
    /* One unit, one process: its pages may use every core. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    bp_unit_job job = {.unit_path = o->unit_path,
                       .output = o->output,
                       .dump = o->dump,
                       .record = o->record,
                       .untagged = o->untagged,
                       .png_dir = o->png_dir,
                       .png_dpi = o->dpi ? (int)o->dpi : 96,
                       .png_pages = o->pages,
                       .force = o->force,
                       .pdf_threads = cores > 1 ? (int)cores : 1,
                       .stop = stop,
                       .source_date = source_date};
    bp_unit_result result;
    bp_unit_outcome outcome = bp_cli_render_unit(&job, layout, fonts, diags, &result);
    /* With the PDF on standard output, what is said goes to standard error. */
    FILE *say = o->output && strcmp(o->output, "-") == 0 ? stderr : stdout;
    if (outcome == BP_UNIT_RENDERED && o->output)
        fprintf(say, "%s: wrote %s (%zu pages, %lld KB)\n", o->unit_path,
                strcmp(o->output, "-") == 0 ? "standard output" : o->output, result.pages,
                (result.bytes + 1023) / 1024);
    if (outcome == BP_UNIT_RENDERED && o->png_dir)
        fprintf(say, "%s: drew %zu of %zu pages into %s/ at %d dpi\n", o->unit_path, result.images,
                result.pages, o->png_dir, job.png_dpi);
    else if (outcome == BP_UNIT_CHECK)
        fprintf(stderr, "%s: %zu error%s: not rendered (use --force to render anyway)\n",
                o->unit_path, result.errors, result.errors == 1 ? "" : "s");
    bp_fontset_destroy(fonts);
    bp_layout_destroy(layout);
    return bp_cli_outcome_status(outcome);
}

static int run_render(int argc, char **argv)
{
    render_options o = {.max_errors = -1};
    int status = parse_options(argc, argv, &o);
    if (status != BP_EXIT_OK)
        return status;
    /* Images alone (--png without -o) write no PDF. */
    char *fallback = o.output || o.png_dir ? NULL : default_output(o.unit_path);
    if (!o.output)
        o.output = fallback;
    long long source_date = -1;
    status = o.output || o.png_dir ? preflight(&o, &source_date) : BP_EXIT_UNUSABLE;
    if (status == BP_EXIT_OK) {
        /* Temporaries that killed runs left beside the output go first. */
        if (o.output && strcmp(o.output, "-") != 0)
            bp_outfile_sweep_beside(o.output);
        bp_cli_signals signals;
        bp_cli_signals_begin(&signals, say_stopping, &o);
        bp_diags diags = BP_DIAGS_INIT;
        status = render(&o, source_date, &signals.stop, &diags);
        bp_cli_signals_end(&signals);
        bp_cli_print_diags(stderr, &diags, bp_cli_limit_for(stderr, o.max_errors), o.unit_path);
        bp_diags_clear(&diags);
        bp_cli_signals_die(&signals);
    }
    free(fallback);
    return status;
}

const bp_command bp_command_render = {
    "render",
    "Typeset a unit's budget disclosure as PDF",
    render_help,
    run_render,
};

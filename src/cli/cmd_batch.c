/*
 * cmd_batch.c: `budgetpress batch INPUT... -o OUTDIR [-j N] [--resume]`: the finance bureau's
 * command. Renders every unit of a region in one process: the layout and fonts are loaded once
 * and shared read-only by N worker threads, each taking the next unit from a shared counter
 * and running the same pipeline as `render` (pipeline.c). A unit that fails never stops the
 * others; the report says which failed and why, in the words `check` and `render` use.
 *
 * Interruption: SIGINT and SIGTERM are blocked in every thread and taken by one thread with
 * sigwait, which sets the stop flag the workers read between units and between a unit's stages.
 * No handler runs in signal context and no global is written. Units in progress are finished
 * or dropped (their PDF is written to a hidden temporary file and renamed only when whole),
 * the report is written, and the run exits 1. A second signal ends the process at once; a
 * temporary file it leaves is removed by the next run into the same folder.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../util/outfile.h"
#include "../util/util.h"
#include "batch.h"

static const char batch_help[] =
    "usage: budgetpress batch [options] INPUT... -o OUTDIR\n"
    "\n"
    "Renders many units in one run. Each INPUT is a unit file (*.json), a folder (every *.json\n"
    "in it and its subfolders, in name order) or a list file (any other file: one INPUT per\n"
    "line, relative to the list's folder; blank lines and lines starting with # are skipped).\n"
    "Each unit is written to OUTDIR/NAME.pdf, NAME being its file name without .json; a unit\n"
    "that fails (unreadable, check errors, typesetting) is reported and the others go on.\n"
    "\n"
    "On a terminal a progress bar shows on stderr, otherwise one line per unit. At the end\n"
    "OUTDIR/report.json and OUTDIR/report.html (opens in a browser without a server) list every\n"
    "unit with its status, pages, seconds and, for a failure, the messages check or render\n"
    "print; a summary goes to stdout.\n"
    "\n"
    "Options:\n"
    "  -o, --output DIR   where the PDFs and reports go (created if missing)\n"
    "  -j, --jobs N       units rendered at once (default: the number of cores)\n"
    "  --resume           skip units whose PDF is whole and was made from the same unit,\n"
    "                     layout and budgetpress version\n"
    "  --force            render units even when the checks find errors\n"
    "  --layout FILE      the document layout (default: layouts/unit-2022.json)\n"
    "\n"
    "Ctrl-C or SIGTERM stops the run: units not started are left out, every PDF in OUTDIR is\n"
    "whole, and the report lists what was not done (run again with --resume to finish).\n"
    "One run at a time writes to an OUTDIR: a second is refused, naming the first. OUTDIR\n"
    "may be the folder of the units; a report.json there is known as a report, not a unit.\n"
    "No PDF or report is written over an input (a unit, a list file, the layout).\n"
    "\n"
    "Exit status: 0 every unit rendered (or was up to date), 1 some unit failed or the run was\n"
    "interrupted, 2 the run could not start (no units, bad OUTDIR, layout or fonts unreadable).\n";

typedef struct batch_options {
    const char *out_dir;
    const char *layout;
    int jobs;
    bool resume;
    bool force;
    const char **inputs;
    int input_count;
} batch_options;

/* ---- Collecting the units ---- */

typedef struct unit_list {
    batch_unit *items;
    size_t count, cap;
    char *out_dir; /* OUTDIR resolved, when it exists: never searched for units */
} unit_list;

static int add_unit(unit_list *list, const char *path)
{
    batch_unit *grown = bp_grow(list->items, &list->cap, list->count + 1, sizeof *grown, 64);
    if (!grown)
        return -1;
    list->items = grown;
    batch_unit *u = &list->items[list->count];
    memset(u, 0, sizeof *u);
    u->input = strdup(path);
    if (!u->input)
        return -1;
    list->count++;
    return 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int collect(unit_list *list, const char *path, int depth);

/* OUTDIR inside a folder of inputs holds report.json, which is no unit. */
static bool is_out_dir(const unit_list *list, const char *path)
{
    char *real = list->out_dir ? realpath(path, NULL) : NULL;
    bool same = real && strcmp(real, list->out_dir) == 0;
    free(real);
    return same;
}

/* A report.json that a batch run wrote (its first key says so): when OUTDIR is a folder of
 * inputs, or was one in an earlier run, the report is found beside the units but is none. */
static bool is_batch_report(const char *path, const char *name)
{
    if (strcmp(name, "report.json") != 0)
        return false;
    FILE *in = fopen(path, "rb");
    char head[256] = "";
    size_t n = in ? fread(head, 1, sizeof head - 1, in) : 0;
    if (in)
        fclose(in);
    head[n] = '\0';
    return strstr(head, "\"format\": \"" BATCH_REPORT_FORMAT "\"") != NULL;
}

/* Every *.json of a folder and its subfolders, in name order; hidden entries are skipped. */
static int collect_dir(unit_list *list, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "budgetpress batch: cannot read folder %s: %s\n", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    int rc = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char **grown = bp_grow(names, &cap, count + 1, sizeof *grown, 64);
        if (!grown) {
            rc = -1;
            break;
        }
        names = grown;
        if (!(names[count] = strdup(e->d_name))) {
            rc = -1;
            break;
        }
        count++;
    }
    closedir(d);
    if (count > 1)
        qsort(names, count, sizeof *names, compare_names);
    for (size_t i = 0; i < count; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (rc == 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode) && !is_out_dir(list, path))
            rc = collect_dir(list, path, depth + 1);
        else if (rc == 0 && S_ISREG(st.st_mode) && has_suffix(names[i], ".json") &&
                 !is_batch_report(path, names[i]))
            rc = add_unit(list, path);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* Whether a file can be a list of units: text (UTF-8, no NUL byte, no control character but
 * line ends and tabs) of lines no longer than a path. A PDF, a spreadsheet or an archive is not
 * one, and is named as what it is not instead of having its first bytes read as a path. */
static bool is_list_file(const char *path)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return true; /* collect_list says why it cannot be opened */
    char chunk[65536];
    size_t n = fread(chunk, 1, sizeof chunk, in);
    fclose(in);
    size_t line = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)chunk[i];
        if (c == '\n') {
            line = 0;
            continue;
        }
        if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F || ++line >= 4096)
            return false;
    }
    /* A multi-byte character cut at the end of the chunk is not a reason to refuse. */
    size_t valid = n;
    while (valid > 0 && n - valid < 3 && ((unsigned char)chunk[valid - 1] & 0x80))
        valid--;
    return bp_utf8_valid(chunk, n) || bp_utf8_valid(chunk, valid);
}

/* A list file: one input per line, relative to the list's folder. */
static int collect_list(unit_list *list, const char *path, int depth)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        fprintf(stderr, "budgetpress batch: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path) : 0;
    char line[4096];
    int rc = 0, number = 0;
    while (rc == 0 && fgets(line, sizeof line, in)) {
        number++;
        line[strcspn(line, "\r\n")] = '\0';
        char *s = line + strspn(line, " \t");
        if (*s == '\0' || *s == '#')
            continue;
        char target[8192];
        if (*s == '/' || !slash)
            snprintf(target, sizeof target, "%s", s);
        else
            snprintf(target, sizeof target, "%.*s/%s", dir_len, path, s);
        rc = collect(list, target, depth + 1);
        if (rc != 0)
            fprintf(stderr, "budgetpress batch: (named in %s:%d)\n", path, number);
    }
    fclose(in);
    return rc;
}

static int collect(unit_list *list, const char *path, int depth)
{
    struct stat st;
    if (depth > 16) {
        fprintf(stderr, "budgetpress batch: %s: lists or folders nested too deep\n", path);
        return -1;
    }
    if (stat(path, &st) != 0) {
        fprintf(stderr, "budgetpress batch: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode))
        return collect_dir(list, path, depth);
    if (has_suffix(path, ".json"))
        return add_unit(list, path);
    if (!is_list_file(path)) {
        fprintf(stderr,
                "budgetpress batch: %s is neither a unit (*.json) nor a list of units (a text "
                "file, one unit, folder or list per line)\n",
                path);
        return -1;
    }
    return collect_list(list, path, depth);
}

/* OUTDIR/NAME.pdf for every unit; two units with one NAME would overwrite each other. */
static int assign_outputs(batch_unit *units, size_t count, const char *out_dir)
{
    int rc = 0;
    for (size_t i = 0; i < count; i++) {
        const char *base = strrchr(units[i].input, '/');
        base = base ? base + 1 : units[i].input;
        size_t len = has_suffix(base, ".json") ? strlen(base) - 5 : strlen(base);
        size_t size = strlen(out_dir) + len + 6;
        if (!(units[i].output = malloc(size)))
            return -1;
        snprintf(units[i].output, size, "%s/%.*s.pdf", out_dir, (int)len, base);
        units[i].name = units[i].output + strlen(out_dir) + 1;
    }
    for (size_t i = 0; i < count; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(units[i].output, units[j].output) == 0) {
                fprintf(stderr, "budgetpress batch: %s and %s would both be written to %s\n",
                        units[j].input, units[i].input, units[i].output);
                rc = -1;
                break;
            }
    return rc;
}

static int make_dirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        return -1;
    struct stat st;
    return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* ---- Running the units ---- */

typedef struct batch {
    const batch_options *options;
    batch_run *run;
    const bp_layout *layout;
    const bp_fontset *fonts;
    atomic_size_t next;     /* the next unit to take */
    bp_cli_signals signals; /* signals.stop: set by the signal thread */
    pthread_mutex_t lock;   /* guards what follows and the progress output */
    size_t finished, failed;
    bool tty;
    long long source_date; /* SOURCE_DATE_EPOCH, or -1 */
    struct timespec started;
    struct timespec last_draw;
} batch;

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Keeps a unit's first problems for the report: errors first, then warnings. */
static void keep_diags(batch_unit *u, const bp_diags *diags)
{
    for (int pass = 0; pass < 2; pass++) {
        bp_severity want = pass == 0 ? BP_SEVERITY_ERROR : BP_SEVERITY_WARNING;
        for (size_t i = 0; i < diags->count; i++) {
            const bp_diag *d = &diags->items[i];
            if (d->severity != want)
                continue;
            if (u->diags.count >= BATCH_KEPT_DIAGS) {
                u->dropped_diags++;
                continue;
            }
            bp_diags_add_copy(&u->diags, d);
        }
    }
}

static void draw_bar(batch *b)
{
    size_t total = b->run->count;
    int width = 30, filled = total ? (int)(b->finished * (size_t)width / total) : width;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu units, %zu failed, %.1f s ", filled,
            "##############################", width - filled, "", b->finished, total, b->failed,
            seconds_since(&b->started));
    if (b->finished == total)
        fputc('\n', stderr);
    fflush(stderr);
}

/* One line per unit (not a terminal), or a redraw of the bar at most every 100 ms. */
static void report_progress(batch *b, const batch_unit *u)
{
    pthread_mutex_lock(&b->lock);
    b->finished++;
    if (batch_unit_failed(u))
        b->failed++;
    if (b->tty) {
        /* A failure is named at once, above the bar, which is drawn again below it. */
        if (batch_unit_failed(u))
            fprintf(stderr, "\r\033[KFAILED %s: %s, %zu error%s\n", u->input,
                    bp_cli_outcome_name(u->result.outcome), u->result.errors,
                    u->result.errors == 1 ? "" : "s");
        if (batch_unit_failed(u) || seconds_since(&b->last_draw) >= 0.1 ||
            b->finished == b->run->count) {
            clock_gettime(CLOCK_MONOTONIC, &b->last_draw);
            draw_bar(b);
        }
    } else if (u->state == BATCH_SKIPPED) {
        fprintf(stderr, "[%zu/%zu] skipped %s: up to date\n", b->finished, b->run->count, u->input);
    } else if (!batch_unit_failed(u)) {
        fprintf(stderr, "[%zu/%zu] ok %s: %zu pages, %.3f s%s\n", b->finished, b->run->count,
                u->input, u->result.pages, u->seconds,
                u->result.warnings ? " (warnings in the report)" : "");
    } else {
        fprintf(stderr, "[%zu/%zu] FAILED %s: %s, %zu error%s\n", b->finished, b->run->count,
                u->input, bp_cli_outcome_name(u->result.outcome), u->result.errors,
                u->result.errors == 1 ? "" : "s");
    }
    pthread_mutex_unlock(&b->lock);
}

/* --resume: the PDF is whole and records that it was made from this very unit, layout and
 * engine (a stamp, see bp_cli_unit_stamp); a newer file date alone proves nothing (a copied
 * folder, a PDF cut short by a full disk, a file that is no PDF). */
static bool up_to_date(const batch *b, const batch_unit *u)
{
    char stamp[65];
    return bp_cli_unit_stamp(u->input, b->layout, b->source_date, stamp) == 0 &&
           bp_cli_pdf_current(u->output, stamp);
}

static void run_unit(batch *b, batch_unit *u)
{
    if (b->options->resume && up_to_date(b, u)) {
        u->state = BATCH_SKIPPED;
        report_progress(b, u);
        return;
    }
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    bp_unit_job job = {.unit_path = u->input,
                       .output = u->output,
                       .force = b->options->force,
                       .pdf_threads = 1, /* the workers already use every core */
                       .stop = &b->signals.stop,
                       .source_date = b->source_date};
    bp_diags diags = BP_DIAGS_INIT;
    bp_cli_render_unit(&job, b->layout, b->fonts, &diags, &u->result);
    u->seconds = seconds_since(&start);
    u->state = BATCH_DONE;
    keep_diags(u, &diags);
    if (diags.out_of_memory)
        u->diags.out_of_memory = true;
    bp_diags_clear(&diags);
    if (u->result.outcome != BP_UNIT_INTERRUPTED)
        report_progress(b, u);
}

static void *worker(void *arg)
{
    batch *b = arg;
    for (;;) {
        if (atomic_load(&b->signals.stop))
            break;
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->run->count)
            break;
        run_unit(b, &b->run->units[i]);
    }
    return NULL;
}

/* ---- Running the workers ---- */

static void say_finishing(void *ctx, int sig)
{
    batch *b = ctx;
    pthread_mutex_lock(&b->lock);
    fprintf(stderr,
            "\nbudgetpress batch: %s: finishing the units in progress, then writing the report "
            "(again to stop at once)\n",
            bp_cli_signal_name(sig));
    pthread_mutex_unlock(&b->lock);
}

/* Runs the workers with SIGINT and SIGTERM taken by a watching thread; returns how many
 * threads started (0: the main thread did the work). */
static int run_workers(batch *b, int threads)
{
    pthread_t *ids = calloc((size_t)threads, sizeof *ids);
    int started = 0;
    for (; ids && started < threads; started++)
        if (pthread_create(&ids[started], NULL, worker, b) != 0)
            break;
    if (started == 0)
        worker(b); /* no thread could start: the main thread does the work */
    for (int i = 0; i < started; i++)
        pthread_join(ids[i], NULL);
    free(ids);
    return started;
}

/* ---- The command ---- */

static int parse_options(int argc, char **argv, batch_options *o)
{
    o->inputs = calloc((size_t)argc, sizeof *o->inputs);
    if (!o->inputs)
        return BP_EXIT_UNUSABLE;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool has_value = i + 1 < argc;
        if ((strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) && has_value) {
            o->out_dir = argv[++i];
        } else if ((strcmp(arg, "-j") == 0 || strcmp(arg, "--jobs") == 0) && has_value) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end || n < 1 || n > 256)
                return bp_cli_usage_error("batch", "-j wants a number from 1 to 256, not '%s'",
                                          argv[i]);
            o->jobs = (int)n;
        } else if (strcmp(arg, "--layout") == 0 && has_value) {
            o->layout = argv[++i];
        } else if (strcmp(arg, "--resume") == 0) {
            o->resume = true;
        } else if (strcmp(arg, "--force") == 0) {
            o->force = true;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return bp_cli_usage_error("batch", "unknown option or missing value '%s'", arg);
        } else {
            o->inputs[o->input_count++] = arg;
        }
    }
    if (!o->out_dir)
        return bp_cli_usage_error("batch", "no output folder given (-o OUTDIR)");
    if (o->input_count == 0)
        return bp_cli_usage_error("batch", "no input given");
    return BP_EXIT_OK;
}

static void free_units(batch_unit *units, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(units[i].input);
        free(units[i].output);
        bp_diags_clear(&units[i].diags);
    }
    free(units);
}

/* Totals over the units, for the reports. */
static void add_up(batch_run *run, double seconds)
{
    batch_totals *t = &run->totals;
    memset(t, 0, sizeof *t);
    t->units = run->count;
    t->seconds = seconds;
    for (size_t i = 0; i < run->count; i++) {
        const batch_unit *u = &run->units[i];
        if (u->state == BATCH_SKIPPED)
            t->skipped++;
        else if (u->state == BATCH_NOT_DONE || u->result.outcome == BP_UNIT_INTERRUPTED)
            t->not_done++;
        else if (batch_unit_failed(u))
            t->failed++;
        else
            t->rendered++;
        t->pages += u->result.pages;
    }
}

/* No PDF or report may be written over an input: a unit, a list file or the layout. */
static int check_outputs(const batch_options *o, const unit_list *list, const char *layout)
{
    size_t in_count = list->count + (size_t)o->input_count + 1, out_count = list->count + 2;
    bp_cli_file *in = calloc(in_count, sizeof *in), *out = calloc(out_count, sizeof *out);
    char json[4096], html[4096];
    snprintf(json, sizeof json, "%s/report.json", o->out_dir);
    snprintf(html, sizeof html, "%s/report.html", o->out_dir);
    int rc = -1;
    if (in && out) {
        for (size_t i = 0; i < list->count; i++) {
            in[i] = (bp_cli_file){list->items[i].input, "the unit"};
            out[i] = (bp_cli_file){list->items[i].output, "the PDF"};
        }
        for (int i = 0; i < o->input_count; i++)
            in[list->count + (size_t)i] = (bp_cli_file){o->inputs[i], "the input"};
        in[in_count - 1] = (bp_cli_file){layout, "the layout"};
        out[list->count] = (bp_cli_file){json, "the report"};
        out[list->count + 1] = (bp_cli_file){html, "the report"};
        rc = bp_cli_check_outputs("batch", in, in_count, out, out_count);
    }
    free(in);
    free(out);
    return rc;
}

/* OUTDIR belongs to one run at a time: a second run would remove the first's temporaries and
 * write over its PDFs and reports. */
static int lock_out_dir(const batch_options *o, bp_folder_lock *lock, int argc, char **argv)
{
    char owner[768], other[768] = "";
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    int n = snprintf(
        owner, sizeof owner, "pid %ld, started %04d-%02d-%02d %02d:%02d:%02d:", (long)getpid(),
        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    for (int i = 0; i < argc && n > 0 && (size_t)n < sizeof owner; i++)
        n += snprintf(owner + n, sizeof owner - (size_t)n, " %s",
                      i == 0 ? "budgetpress batch" : argv[i]);
    int rc = bp_folder_lock_take(lock, o->out_dir, owner, other, sizeof other);
    if (rc == 1)
        fprintf(stderr,
                "budgetpress batch: another batch run is writing to %s (%s); wait for it to "
                "finish, or choose another -o\n",
                o->out_dir, other[0] ? other : "it has not said which");
    else if (rc != 0)
        fprintf(stderr, "budgetpress batch: cannot lock the output folder %s: %s\n", o->out_dir,
                strerror(errno));
    return rc == 0 ? 0 : -1;
}

/* Everything that must hold before the first unit: inputs, OUTDIR (made and locked), no
 * output over an input, SOURCE_DATE_EPOCH, layout and fonts. */
static int prepare(const batch_options *o, unit_list *list, bp_folder_lock *lock, int argc,
                   char **argv, long long *source_date, bp_layout **layout, bp_fontset **fonts)
{
    list->out_dir = realpath(o->out_dir, NULL);
    for (int i = 0; i < o->input_count; i++)
        if (collect(list, o->inputs[i], 0) != 0)
            return BP_EXIT_UNUSABLE;
    if (list->count == 0) {
        fprintf(stderr, "budgetpress batch: no unit files (*.json) in the inputs given\n");
        return BP_EXIT_UNUSABLE;
    }
    if (make_dirs(o->out_dir) != 0) {
        fprintf(stderr, "budgetpress batch: cannot create output folder %s: %s\n", o->out_dir,
                strerror(errno));
        return BP_EXIT_UNUSABLE;
    }
    /* One layout for the run: the one given, else the first unit's kind's; a unit of another
     * kind is refused by name when it is loaded. */
    char layout_path[4096];
    if (bp_cli_layout_for(o->layout, list->items[0].input, layout_path, sizeof layout_path) != 0)
        return BP_EXIT_UNUSABLE;
    if (assign_outputs(list->items, list->count, o->out_dir) != 0 ||
        check_outputs(o, list, layout_path) != 0 ||
        bp_cli_source_date_epoch("batch", source_date) != 0 ||
        lock_out_dir(o, lock, argc, argv) != 0)
        return BP_EXIT_UNUSABLE;
    bp_diags diags = BP_DIAGS_INIT;
    *layout = bp_cli_load_layout(layout_path, &diags);
    *fonts = *layout ? bp_fontset_load(&(*layout)->fonts, &diags) : NULL;
    for (size_t i = 0; i < diags.count; i++)
        bp_diag_print(stderr, &diags.items[i]);
    bp_diags_clear(&diags);
    return *fonts ? BP_EXIT_OK : BP_EXIT_UNUSABLE;
}

static int run_batch(int argc, char **argv)
{
    batch_options o = {0};
    int status = parse_options(argc, argv, &o);
    unit_list list = {0};
    bp_folder_lock lock = {.fd = -1};
    long long source_date = -1;
    bp_layout *layout = NULL;
    bp_fontset *fonts = NULL;
    if (status == BP_EXIT_OK)
        status = prepare(&o, &list, &lock, argc, argv, &source_date, &layout, &fonts);
    if (status == BP_EXIT_OK) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        int threads = o.jobs ? o.jobs : cores > 0 ? (int)cores : 1;
        if ((size_t)threads > list.count)
            threads = (int)list.count;
        batch_run run = {
            .out_dir = o.out_dir, .threads = threads, .units = list.items, .count = list.count};
        batch b = {.options = &o,
                   .run = &run,
                   .layout = layout,
                   .fonts = fonts,
                   .source_date = source_date};
        pthread_mutex_init(&b.lock, NULL);
        b.tty = isatty(STDERR_FILENO);
        clock_gettime(CLOCK_MONOTONIC, &b.started);
        /* With the folder locked, every temporary in it is a dead run's. */
        bp_outfile_sweep(o.out_dir);
        bp_cli_signals_begin(&b.signals, say_finishing, &b);
        run_workers(&b, threads);
        bp_cli_signals_end(&b.signals);
        run.interrupted = atomic_load(&b.signals.stop) != 0;
        if (b.tty && run.interrupted)
            fputc('\n', stderr);
        add_up(&run, seconds_since(&b.started));
        pthread_mutex_destroy(&b.lock);
        int reports = batch_write_reports(&run);
        batch_print_summary(&run, stdout);
        status = run.totals.failed || run.totals.not_done ? BP_EXIT_FINDINGS : BP_EXIT_OK;
        if (reports != 0 && status == BP_EXIT_OK)
            status = BP_EXIT_FINDINGS;
    }
    bp_folder_lock_release(&lock);
    bp_fontset_destroy(fonts);
    bp_layout_destroy(layout);
    free_units(list.items, list.count);
    free(list.out_dir);
    free(o.inputs);
    return status;
}

const bp_command bp_command_batch = {
    "batch",
    "Render every unit of a region in one run, with a report",
    batch_help,
    run_batch,
};

/*
 * pipeline.c: one unit from its JSON file to its PDF: load, check, typeset, write. `render`
 * runs it once; `batch` runs it for every unit of a region on several threads, with the layout
 * and fonts loaded once and shared read-only. Keeping the one pipeline here is what makes a
 * unit's batch outcome the same as its `render` outcome, message for message.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "budgetpress/check.h"
#include "budgetpress/layout.h"
#include "budgetpress/model.h"
#include "budgetpress/render.h"
#include "cli.h"

const char *bp_cli_data_dir(void)
{
    const char *dir = getenv("BUDGETPRESS_DATA_DIR");
    return dir && *dir ? dir : BP_DATA_DIR;
}

bp_layout *bp_cli_load_layout(const char *layout_path, bp_diags *diags)
{
    char default_path[4096], catalog_path[4096];
    snprintf(default_path, sizeof default_path, "%s/layouts/unit-2022.json", bp_cli_data_dir());
    snprintf(catalog_path, sizeof catalog_path, "%s/fonts/fonts.json", bp_cli_data_dir());
    return bp_layout_load_file(layout_path ? layout_path : default_path, catalog_path, diags);
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

static int write_dump(const bp_document *doc, const char *path, bp_diags *diags)
{
    FILE *out = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!out) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL, "cannot write: %s",
                     strerror(errno));
        return -1;
    }
    for (size_t p = 0; p < bp_document_page_count(doc); p++)
        bp_page_dump(bp_document_page(doc, p), out);
    int rc = ferror(out) ? -1 : 0;
    if (out != stdout && fclose(out) != 0)
        rc = -1;
    if (rc != 0)
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL, "write failed");
    return rc;
}

static bool stopped(const bp_unit_job *job)
{
    return job->stop && atomic_load(job->stop);
}

/* The checks, on a thread of their own while the unit is typeset: both only read the unit,
 * and the checks of a long unit take as long as a tenth of its typesetting. */
typedef struct check_run {
    const bp_unit *unit;
    bp_diags diags;
    size_t errors;
} check_run;

static void *run_checks(void *arg)
{
    check_run *c = arg;
    c->errors = bp_check_unit(c->unit, &c->diags);
    return NULL;
}

/* Appends every diagnostic of from to to. */
static void append_diags(bp_diags *to, const bp_diags *from)
{
    for (size_t i = 0; i < from->count; i++)
        bp_diags_add_copy(to, &from->items[i]);
    if (from->out_of_memory)
        to->out_of_memory = true;
}

/* Checks and typesets; with more than one thread to spare, both at once. The outcome and the
 * messages are those of checking first and typesetting only a unit that passed (or --force):
 * a typesetting finding of a unit that fails its checks is dropped. */
static bp_unit_outcome check_and_typeset(const bp_unit_job *job, const bp_unit *unit,
                                         const bp_layout *layout, const bp_fontset *fonts,
                                         bp_diags *diags, bp_unit_result *result, bp_document **doc)
{
    check_run check = {unit, BP_DIAGS_INIT, 0};
    pthread_t thread;
    bool concurrent =
        job->pdf_threads > 1 && pthread_create(&thread, NULL, run_checks, &check) == 0;
    if (!concurrent)
        run_checks(&check);
    bp_diags typeset_diags = BP_DIAGS_INIT;
    if (concurrent || check.errors == 0 || job->force)
        *doc = bp_typeset(unit, layout, fonts, &typeset_diags);
    if (concurrent)
        pthread_join(thread, NULL);
    append_diags(diags, &check.diags);
    bp_diags_clear(&check.diags);
    result->errors = check.errors;
    result->warnings = bp_diags_count(diags, BP_SEVERITY_WARNING);
    bp_unit_outcome outcome = BP_UNIT_RENDERED;
    if (check.errors > 0 && !job->force) {
        outcome = BP_UNIT_CHECK;
    } else {
        append_diags(diags, &typeset_diags);
        if (!*doc) {
            outcome = BP_UNIT_TYPESET;
            result->errors = bp_diags_count(diags, BP_SEVERITY_ERROR);
        }
    }
    bp_diags_clear(&typeset_diags);
    if (outcome != BP_UNIT_RENDERED) {
        bp_document_destroy(*doc);
        *doc = NULL;
    }
    return outcome;
}

bp_unit_outcome bp_cli_render_unit(const bp_unit_job *job, const bp_layout *layout,
                                   const bp_fontset *fonts, bp_diags *diags, bp_unit_result *result)
{
    memset(result, 0, sizeof *result);
    bp_unit *unit = NULL;
    bp_document *doc = NULL;
    bp_unit_outcome outcome = BP_UNIT_INTERRUPTED;
    if (!stopped(job)) {
        if (bp_unit_load_file(job->unit_path, &unit, diags) != 0) {
            result->errors = bp_diags_count(diags, BP_SEVERITY_ERROR);
            outcome = BP_UNIT_UNREADABLE;
        } else {
            snprintf(result->code, sizeof result->code, "%s", unit->info.code);
            snprintf(result->name, sizeof result->name, "%s", unit->info.name);
            outcome = check_and_typeset(job, unit, layout, fonts, diags, result, &doc);
        }
    }
    if (outcome == BP_UNIT_RENDERED)
        apply_source_date_epoch(doc);
    if (outcome == BP_UNIT_RENDERED && job->dump && write_dump(doc, job->dump, diags) != 0)
        outcome = BP_UNIT_WRITE;
    if (outcome == BP_UNIT_RENDERED && stopped(job))
        outcome = BP_UNIT_INTERRUPTED;
    if (outcome == BP_UNIT_RENDERED) {
        bp_pdf_options pdf = {.threads = job->pdf_threads};
        if (bp_render_pdf_file(doc, fonts, &pdf, job->output, diags) != 0) {
            outcome = BP_UNIT_WRITE;
        } else {
            struct stat st;
            result->pages = bp_document_page_count(doc);
            result->bytes = stat(job->output, &st) == 0 ? (long long)st.st_size : 0;
        }
    }
    bp_document_destroy(doc);
    bp_unit_destroy(unit);
    result->outcome = outcome;
    return outcome;
}

int bp_cli_outcome_status(bp_unit_outcome outcome)
{
    switch (outcome) {
    case BP_UNIT_RENDERED:
        return BP_EXIT_OK;
    case BP_UNIT_CHECK:
    case BP_UNIT_TYPESET:
    case BP_UNIT_INTERRUPTED:
        return BP_EXIT_FINDINGS;
    case BP_UNIT_UNREADABLE:
    case BP_UNIT_WRITE:
        break;
    }
    return BP_EXIT_UNUSABLE;
}

const char *bp_cli_outcome_name(bp_unit_outcome outcome)
{
    switch (outcome) {
    case BP_UNIT_RENDERED:
        return "rendered";
    case BP_UNIT_UNREADABLE:
        return "unreadable";
    case BP_UNIT_CHECK:
        return "check errors";
    case BP_UNIT_TYPESET:
        return "typesetting failed";
    case BP_UNIT_WRITE:
        return "not written";
    case BP_UNIT_INTERRUPTED:
        return "interrupted";
    }
    return "?";
}

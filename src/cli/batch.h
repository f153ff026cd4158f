/*
 * batch.h: what cmd_batch.c (collecting inputs, running units on threads, signals) and
 * batch_report.c (report.json, report.html, the summary) share: the list of units and what
 * became of each.
 */
#ifndef BP_BATCH_H
#define BP_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

typedef enum batch_state {
    BATCH_NOT_DONE, /* never started: the run was interrupted first */
    BATCH_SKIPPED,  /* --resume: its PDF is whole and made from this unit and layout */
    BATCH_DONE,     /* ran; result.outcome says how it went */
} batch_state;

/* The first key of report.json, by which a later run knows the file is no unit. */
#define BATCH_REPORT_FORMAT "budgetpress.batch-report/1"

/* A unit keeps at most this many diagnostics for the report; the rest are counted. */
#define BATCH_KEPT_DIAGS 50

typedef struct batch_unit {
    char *input;      /* as given or found */
    char *output;     /* OUTDIR/NAME.pdf */
    const char *name; /* NAME.pdf within output */
    batch_state state;
    bp_unit_result result;
    double seconds;
    bp_diags diags;       /* the first BATCH_KEPT_DIAGS problems (errors, then warnings) */
    size_t dropped_diags; /* how many more there were */
} batch_unit;

typedef struct batch_totals {
    size_t units, rendered, skipped, failed, not_done, pages;
    double seconds;
} batch_totals;

typedef struct batch_run {
    const char *out_dir;
    int threads;
    bool interrupted;
    batch_unit *units;
    size_t count;
    batch_totals totals;
    bool json_written, html_written; /* which reports batch_write_reports wrote */
} batch_run;

/* Whether a unit counts as failed: it ran and was not rendered. */
bool batch_unit_failed(const batch_unit *u);

/* Writes OUTDIR/report.json and OUTDIR/report.html, each whole or not at all, and records
 * which were written; 0, or -1 (with a message on stderr) when either was not. */
int batch_write_reports(batch_run *run);
/* The short summary on stdout: totals, then each failed unit with its first message. */
void batch_print_summary(const batch_run *run, FILE *out);

#endif

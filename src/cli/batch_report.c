/*
 * batch_report.c: what a batch run tells the finance bureau: report.json for scripts,
 * report.html for people (one file, no scripts, opens from disk without a server) and a short
 * summary on stdout. All three say the same: totals first, then per unit its status, pages,
 * seconds and, for a failure, the very lines `check` or `render` print for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "budgetpress/common.h"

bool batch_unit_failed(const batch_unit *u)
{
    return u->state == BATCH_DONE && u->result.outcome != BP_UNIT_RENDERED &&
           u->result.outcome != BP_UNIT_INTERRUPTED;
}

static const char *unit_status(const batch_unit *u)
{
    if (u->state == BATCH_NOT_DONE ||
        (u->state == BATCH_DONE && u->result.outcome == BP_UNIT_INTERRUPTED))
        return "not done";
    if (u->state == BATCH_SKIPPED)
        return "skipped";
    return u->result.outcome == BP_UNIT_RENDERED ? "rendered" : "failed";
}

/* ---- Writing a file whole or not at all ---- */

/* Writes OUTDIR/name whole or not at all; says why on stderr when it cannot. */
static int write_atomically(const batch_run *run, const char *name,
                            int (*body)(FILE *out, const void *ctx))
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", run->out_dir, name);
    return bp_cli_write_whole(path, "batch", "the report", body, run);
}

/* ---- report.json ---- */

static json_t *unit_json(const batch_unit *u)
{
    const bp_unit_result *r = &u->result;
    bool ran = u->state == BATCH_DONE;
    bool has_pdf = (ran && r->outcome == BP_UNIT_RENDERED) || u->state == BATCH_SKIPPED;
    json_t *o =
        json_pack("{s:o, s:s}", "input", bp_cli_json_text(u->input), "status", unit_status(u));
    if (!o)
        return NULL;
    json_object_set_new(o, "reason",
                        ran && batch_unit_failed(u) ? json_string(bp_cli_outcome_name(r->outcome))
                                                    : json_null());
    json_object_set_new(o, "output", bp_cli_json_text(has_pdf ? u->output : NULL));
    json_object_set_new(o, "code", bp_cli_json_text(r->code[0] ? r->code : NULL));
    json_object_set_new(o, "name", bp_cli_json_text(r->name[0] ? r->name : NULL));
    json_object_set_new(o, "pages",
                        ran && r->pages ? json_integer((json_int_t)r->pages) : json_null());
    json_object_set_new(o, "bytes", ran && r->bytes ? json_integer(r->bytes) : json_null());
    json_object_set_new(o, "seconds", ran ? json_real(u->seconds) : json_null());
    json_object_set_new(o, "errors", json_integer((json_int_t)r->errors));
    json_object_set_new(o, "warnings", json_integer((json_int_t)r->warnings));
    json_t *messages = json_array();
    for (size_t i = 0; messages && i < u->diags.count; i++) {
        char *line = bp_cli_diag_line(&u->diags.items[i]);
        json_array_append_new(messages, bp_cli_json_text(line));
        free(line);
    }
    json_object_set_new(o, "messages", messages);
    json_object_set_new(o, "more_messages", json_integer((json_int_t)u->dropped_diags));
    json_object_set_new(o, "findings", bp_cli_diags_json(&u->diags));
    return o;
}

static int json_body(FILE *out, const void *ctx)
{
    const batch_run *run = ctx;
    const batch_totals *t = &run->totals;
    json_t *totals = json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:f}", "units", (json_int_t)t->units, "rendered",
        (json_int_t)t->rendered, "skipped", (json_int_t)t->skipped, "failed", (json_int_t)t->failed,
        "not_done", (json_int_t)t->not_done, "pages", (json_int_t)t->pages, "seconds", t->seconds);
    json_t *units = json_array();
    for (size_t i = 0; units && i < run->count; i++)
        json_array_append_new(units, unit_json(&run->units[i]));
    json_t *doc = json_pack("{s:s, s:s, s:o, s:b, s:o, s:i, s:o}", "format", BATCH_REPORT_FORMAT,
                            "budgetpress", BP_VERSION_STRING, "totals", totals, "interrupted",
                            run->interrupted, "output_dir", bp_cli_json_text(run->out_dir),
                            "threads", run->threads, "units", units);
    /* Keys in the order written: totals first, as a reader wants them. */
    int rc = doc ? json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : -1;
    fputc('\n', out);
    json_decref(doc);
    return rc;
}

/* ---- report.html ---- */

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>budgetpress batch report</title>\n<style>\n"
    "body{font-family:sans-serif;margin:2em;color:#222}\n"
    "table{border-collapse:collapse;margin:1em 0}\n"
    "th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left;vertical-align:top}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".failed{background:#fde8e8}.notdone{background:#fff4d6}.skipped{color:#666}\n"
    "pre{margin:.3em 0;white-space:pre-wrap;font-size:90%}\n"
    "</style>\n</head>\n<body>\n";

static void html_totals(FILE *out, const batch_run *run)
{
    const batch_totals *t = &run->totals;
    fprintf(out, "<h1>budgetpress batch report</h1>\n");
    if (run->interrupted)
        fprintf(out,
                "<p class=\"notdone\"><strong>Interrupted:</strong> %zu unit%s not done; "
                "every PDF written is whole.</p>\n",
                t->not_done, t->not_done == 1 ? "" : "s");
    fprintf(out,
            "<table>\n<tr><th>units</th><th>rendered</th><th>skipped (up to date)</th>"
            "<th>failed</th><th>not done</th><th>pages</th><th>seconds</th><th>threads</th></tr>\n"
            "<tr><td class=n>%zu</td><td class=n>%zu</td><td class=n>%zu</td><td class=n>%zu</td>"
            "<td class=n>%zu</td><td class=n>%zu</td><td class=n>%.2f</td><td class=n>%d</td>"
            "</tr>\n</table>\n",
            t->units, t->rendered, t->skipped, t->failed, t->not_done, t->pages, t->seconds,
            run->threads);
}

static void html_messages(FILE *out, const batch_unit *u)
{
    fputs("<pre>", out);
    for (size_t i = 0; i < u->diags.count; i++) {
        char *line = bp_cli_diag_line(&u->diags.items[i]);
        if (line) {
            bp_html_text(out, line);
            fputc('\n', out);
        }
        free(line);
    }
    if (u->dropped_diags) {
        fprintf(out, "… and %zu more not kept in this report: budgetpress check ",
                u->dropped_diags);
        bp_html_text(out, u->input);
        fputs(" lists them all\n", out);
    }
    fputs("</pre>", out);
}

static void html_unit_row(FILE *out, const batch_unit *u)
{
    const char *status = unit_status(u);
    const char *cls = strcmp(status, "failed") == 0     ? "failed"
                      : strcmp(status, "not done") == 0 ? "notdone"
                      : strcmp(status, "skipped") == 0  ? "skipped"
                                                        : "";
    fprintf(out, "<tr class=\"%s\"><td>", cls);
    bp_html_text(out, u->input);
    fputs("</td><td>", out);
    bp_html_text(out, u->result.code);
    fputs(" ", out);
    bp_html_text(out, u->result.name);
    fputs("</td><td>", out);
    if (strcmp(status, "rendered") == 0 || strcmp(status, "skipped") == 0) {
        fputs("<a href=\"", out);
        bp_html_href(out, u->name);
        fputs("\">", out);
        bp_html_text(out, status);
        fputs("</a>", out);
    } else {
        bp_html_text(out, status);
        if (batch_unit_failed(u))
            fprintf(out, ": %s", bp_cli_outcome_name(u->result.outcome));
    }
    fputs("</td>", out);
    if (u->state == BATCH_DONE)
        fprintf(out, "<td class=n>%zu</td><td class=n>%.3f</td>", u->result.pages, u->seconds);
    else
        fputs("<td></td><td></td>", out);
    fprintf(out, "<td class=n>%zu</td><td class=n>%zu</td><td>", u->result.errors,
            u->result.warnings);
    if (u->diags.count)
        html_messages(out, u);
    fputs("</td></tr>\n", out);
}

static int html_body(FILE *out, const void *ctx)
{
    const batch_run *run = ctx;
    fputs(html_head, out);
    html_totals(out, run);
    if (run->totals.failed) {
        fputs("<h2>Failed</h2>\n<table>\n<tr><th>input</th><th>unit</th><th>status</th>"
              "<th>pages</th><th>seconds</th><th>errors</th><th>warnings</th><th>messages</th>"
              "</tr>\n",
              out);
        for (size_t i = 0; i < run->count; i++)
            if (batch_unit_failed(&run->units[i]))
                html_unit_row(out, &run->units[i]);
        fputs("</table>\n", out);
    }
    fputs("<h2>All units</h2>\n<table>\n<tr><th>input</th><th>unit</th><th>status</th>"
          "<th>pages</th><th>seconds</th><th>errors</th><th>warnings</th><th>messages</th></tr>\n",
          out);
    for (size_t i = 0; i < run->count; i++)
        html_unit_row(out, &run->units[i]);
    fputs("</table>\n</body>\n</html>\n", out);
    return 0;
}

int batch_write_reports(batch_run *run)
{
    run->json_written = write_atomically(run, "report.json", json_body) == 0;
    run->html_written = write_atomically(run, "report.html", html_body) == 0;
    return run->json_written && run->html_written ? 0 : -1;
}

/* ---- The summary on stdout ---- */

void batch_print_summary(const batch_run *run, FILE *out)
{
    const batch_totals *t = &run->totals;
    size_t ran = t->rendered + t->failed;
    fprintf(out,
            "batch: %zu unit%s: %zu rendered, %zu skipped (up to date), %zu failed, %zu not done; "
            "%zu pages in %.2f s (%.1f units/s, -j %d)\n",
            t->units, t->units == 1 ? "" : "s", t->rendered, t->skipped, t->failed, t->not_done,
            t->pages, t->seconds, t->seconds > 0 ? (double)ran / t->seconds : 0.0, run->threads);
    if (run->interrupted)
        fprintf(out,
                "interrupted: %zu unit%s not done (listed in the report); every PDF in %s "
                "is whole\n",
                t->not_done, t->not_done == 1 ? "" : "s", run->out_dir);
    for (size_t i = 0; i < run->count; i++) {
        const batch_unit *u = &run->units[i];
        if (!batch_unit_failed(u))
            continue;
        fprintf(out, "failed: %s: %s", u->input, bp_cli_outcome_name(u->result.outcome));
        const bp_diag *first = NULL;
        for (size_t d = 0; d < u->diags.count && !first; d++)
            if (u->diags.items[d].severity == BP_SEVERITY_ERROR)
                first = &u->diags.items[d];
        char *line = first ? bp_cli_diag_line(first) : NULL;
        size_t in_report = u->diags.count - (first ? 1 : 0);
        if (line)
            fprintf(out, ": %s", line);
        if (in_report && u->dropped_diags)
            fprintf(out,
                    " (+%zu more in the report, %zu more not kept: budgetpress check %s "
                    "lists them all)",
                    in_report, u->dropped_diags, u->input);
        else if (in_report)
            fprintf(out, " (+%zu more in the report)", in_report);
        fputc('\n', out);
        free(line);
    }
    if (run->json_written && run->html_written)
        fprintf(out, "report: %s/report.json, %s/report.html\n", run->out_dir, run->out_dir);
    else if (run->json_written || run->html_written)
        fprintf(out, "report: %s/%s (the other could not be written)\n", run->out_dir,
                run->json_written ? "report.json" : "report.html");
    else
        fputs("report: none written (see the messages above)\n", out);
}

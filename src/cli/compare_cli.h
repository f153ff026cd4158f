/*
 * compare_cli.h: the compare command's run, shared by cmd_compare.c (arguments, pairing the
 * units, the threads, stdout) and compare_report.c (report.json and the HTML report).
 */
#ifndef BP_COMPARE_CLI_H
#define BP_COMPARE_CLI_H

#include <stdatomic.h>
#include <stdint.h>

#include "budgetpress/compare.h"
#include "cli.h"

/* One unit of the comparison: a pair of PDFs, or a PDF on one side only. */
typedef struct cmp_unit {
    char *old_path, *new_path; /* NULL: the unit is not on that side */
    char code[64], name[256];
    char slug[128]; /* the stem of its page in units/ and its folder in img/ */
    bp_pair_status status;
    bool pixel_only, fails, done;
    size_t data_changes, layout_changes, changed_pages, layout_pages, shifted_pages;
    size_t old_pages, new_pages;
    char *line;         /* its line on stdout and in the index */
    char *why;          /* unreadable: why */
    uint64_t signature; /* of its changes, to find units changed the same way */
    json_t *json;       /* its whole comparison, for report.json; NULL for an unchanged unit */
    unsigned char old_record[32], new_record[32]; /* SHA-256 of each side's record, or zeros */
    bool old_has_record, new_has_record;
} cmp_unit;

typedef struct cmp_run {
    const char *old_root, *new_root;
    bool folders;
    const char *out_dir;   /* -o: the HTML report and its pictures; NULL for none */
    const char *json_path; /* --json */
    bool fail_data, fail_layout;
    int dpi, threads;
    long max_lines; /* change lines printed per unit; 0 all */
    cmp_unit *units;
    size_t count;
    atomic_size_t next;
    atomic_int failed_writes;
    bp_cli_signals signals;
    double seconds;
} cmp_run;

/* The compare command: budgetpress-compare's main (compare_main.c) calls it. */
int bp_compare_command(int argc, char **argv);

/* Writes a unit's page (units/SLUG.html) from its comparison. 0, or -1 (said on stderr). */
int cmp_report_unit_page(const cmp_run *run, const cmp_unit *u, const bp_comparison *c);
/* The unit's comparison as JSON (for report.json). NULL when out of memory. */
json_t *cmp_report_unit_json(const cmp_unit *u, const bp_comparison *c);
/* Writes index.html (and, for two PDFs, the unit's page inside it) and report.json. */
int cmp_report_write(cmp_run *run);
/* The totals line: "单位 50 个：未变 47，有变化 3（…）". malloc'd. */
char *cmp_report_totals(const cmp_run *run);

#endif

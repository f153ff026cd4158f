/*
 * compare_entry.c: `budgetpress compare`, as the budgetpress program knows it: its help, and
 * running the program that does it, budgetpress-compare beside this one (git's way with its
 * commands). Reading PDFs takes libqpdf, poppler and cairo; linked into budgetpress, their
 * fifty shared libraries cost render, check and batch 14 ms at every start (measured: `help`
 * 2.4 ms without them, 16.3 ms with).
 */
#define _XOPEN_SOURCE 700 /* readlink */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

const char bp_compare_help[] =
    "usage: budgetpress compare [options] OLD NEW\n"
    "\n"
    "Shows what changed between two renderings: OLD and NEW are two PDFs of one unit, or two\n"
    "folders of PDFs (a batch's output), whose units are paired by their code, then by their\n"
    "file name. Content first: tables row by row (rows found by their code on every page, so\n"
    "an inserted row is one insertion and the pages after it are 'shifted'), cells by column\n"
    "and exact amount, paragraphs with the characters that changed; then what only moved (a\n"
    "margin, a column's width, a font size) said as a layout change; then each page's status.\n"
    "Every PDF budgetpress writes carries a record of what its pages show; a PDF without one\n"
    "(made by another program, or changed by one afterwards) is compared by its pixels, its\n"
    "pages paired by their text. Dates, IDs and the producer's version never count.\n"
    "\n"
    "Options:\n"
    "  -o, --output DIR    write the report there: index.html (opens from disk, no server),\n"
    "                      a page per changed unit, the pictures (old | difference | new) of\n"
    "                      each changed page, and report.json\n"
    "  --json FILE         write report.json there too ('-' for stdout)\n"
    "  --fail-on KIND      which changes make the exit status 1: data (what the document\n"
    "                      says), layout (only where it says it) or any (the default)\n"
    "  --dpi N             the pictures' resolution, 50 to 300 (default 100)\n"
    "  --threads N         units compared at once (default: the processors)\n"
    "  --max-lines N       change lines printed for one unit (default 40; 0: all)\n"
    "\n"
    "Exit status: 0 nothing differs (of the kinds --fail-on names), 1 something does, 2 an\n"
    "input cannot be read (every other unit is still compared and reported) or bad usage.\n";

/* The program beside this one: /proc/self/exe's folder and budgetpress-compare. */
static int compare_program(char *path, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", path, size - 1);
    if (n <= 0 || (size_t)n >= size - 1)
        return -1;
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    const char *name = "budgetpress-compare";
    if (!slash || (size_t)(slash + 1 - path) + strlen(name) + 1 > size)
        return -1;
    strcpy(slash + 1, name);
    return 0;
}

static int run_compare(int argc, char **argv)
{
    (void)argc;
    char path[4096];
    if (compare_program(path, sizeof path) == 0) {
        argv[0] = path;
        fflush(stdout);
        execv(path, argv);
    }
    fprintf(stderr,
            "budgetpress compare: cannot run %s (%s): it is built and installed beside "
            "budgetpress\n",
            path, strerror(errno));
    return BP_EXIT_UNUSABLE;
}

const bp_command bp_command_compare = {
    "compare",
    "what changed between two renderings (two PDFs or two folders), by table, row and cell",
    bp_compare_help,
    run_compare,
};

/*
 * cli.h: the commands of the budgetpress tool. Each command is a function from its arguments
 * to an exit status, documented by its own help text.
 *
 * Exit statuses, the same for every command: 0 done and clean, 1 done with findings (or some
 * units failed), 2 could not do the job (unreadable input, bad usage).
 */
#ifndef BP_CLI_H
#define BP_CLI_H

#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "budgetpress/diag.h"
#include "budgetpress/layout.h"
#include "budgetpress/text.h"

enum { BP_EXIT_OK = 0, BP_EXIT_FINDINGS = 1, BP_EXIT_UNUSABLE = 2 };

typedef struct bp_command {
    const char *name;
    const char *summary;               /* one line for the command list */
    const char *help;                  /* the full text of `budgetpress help NAME` */
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
} bp_command;

extern const bp_command bp_command_check;
extern const bp_command bp_command_render;
extern const bp_command bp_command_batch;
extern const bp_command bp_command_schema;
extern const bp_command bp_command_import;
extern const bp_command bp_command_compare; /* runs budgetpress-compare */
extern const char bp_compare_help[];

/* Prints a usage error for a command and returns BP_EXIT_UNUSABLE. */
int bp_cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* s as valid UTF-8 for a report or a JSON document (malloc'd; NULL when out of memory): a
 * file name that is not UTF-8 (GBK, from an archive made on Windows) keeps its valid
 * characters and shows every other byte, and every backslash, as \xHH. */
char *bp_cli_printable(const char *s);
/* The same as a JSON string (null for NULL): a name that is not UTF-8 never vanishes. */
json_t *bp_cli_json_text(const char *s);

/* HTML (html.c): text with the characters HTML reserves escaped, valid UTF-8 always (a name
 * that is not shows its other bytes as \xHH); a relative link to a file, every byte but the
 * unreserved ones percent-encoded (RFC 3986), so a name in any encoding opens its file. */
void bp_html_text(FILE *out, const char *s);
void bp_html_href(FILE *out, const char *name);
/* The same for a relative path: each of its folders encoded, the slashes kept. */
void bp_html_path(FILE *out, const char *path);

/* How many problem lines a command prints. A unit with 100,000 bad amounts must not bury a
 * terminal under 100,000 lines; a script asks for what it wants. */
typedef struct bp_cli_limit {
    size_t per_rule; /* lines per rule and severity; 0: no limit */
    size_t total;    /* lines in all; 0: no limit */
} bp_cli_limit;

/* The limit for output to `out`: a screenful per rule on a terminal, none otherwise; a
 * --max-errors N given (>= 0) caps the lines in all instead, 0 lifting every limit. */
bp_cli_limit bp_cli_limit_for(FILE *out, long max_errors);
/* Prints the diagnostics one per line within the limit, then for each rule that was cut one
 * line saying how many more there are and how to see them. Returns how many were not shown. */
size_t bp_cli_print_diags(FILE *out, const bp_diags *diags, bp_cli_limit limit, const char *file);
/* Reads the value of --max-errors into *max: BP_EXIT_OK, or a usage error's status. */
int bp_cli_parse_max_errors(const char *command, const char *value, long *max);

/* The line bp_diag_print prints, without its newline; malloc'd, NULL when out of memory. */
char *bp_cli_diag_line(const bp_diag *diag);
/* {"severity", "rule", "file", "line", "column", "path", "message", "text"}: text is the line. */
json_t *bp_cli_diag_json(const bp_diag *diag);
json_t *bp_cli_diags_json(const bp_diags *diags);

/* ---- Signals (signals.c) ---- */

/* SIGINT and SIGTERM taken by a thread of their own while a command works. */
typedef struct bp_cli_signals {
    atomic_int stop;   /* set by the first signal: the work stops at its next check */
    atomic_int signal; /* which signal that was, 0 for none */
    void (*on_first)(void *ctx, int sig); /* called on the watching thread, may be NULL */
    void *ctx;
    sigset_t set, old;
    pthread_t thread;
    bool watching;
} bp_cli_signals;

/* Blocks SIGINT and SIGTERM in this thread and every thread it starts from now on, and
 * watches for them; call before starting threads. */
void bp_cli_signals_begin(bp_cli_signals *s, void (*on_first)(void *ctx, int sig), void *ctx);
/* Stops watching and restores the signal mask. */
void bp_cli_signals_end(bp_cli_signals *s);
/* After bp_cli_signals_end: when a signal stopped the work, ends the process by that signal
 * (as a shell expects of an interrupted command); otherwise returns. */
void bp_cli_signals_die(const bp_cli_signals *s);
/* "interrupted" (SIGINT) or "terminated" (SIGTERM). */
const char *bp_cli_signal_name(int sig);

/* ---- Outputs ---- */

/* A file a command reads or writes, and how its messages name it ("the unit", "-o"). */
typedef struct bp_cli_file {
    const char *path;
    const char *kind;
} bp_cli_file;

/* Refuses outputs that are inputs, by device and inode (a symlink or a hard link to the unit is
 * the unit), and two outputs that are one file. Returns 0, or prints why to stderr and returns
 * -1. Devices (/dev/null) may take several outputs; standard output ("-") only one. */
int bp_cli_check_outputs(const char *command, const bp_cli_file *inputs, size_t input_count,
                         const bp_cli_file *outputs, size_t output_count);

/* Writes a file to path whole or not at all (a temporary renamed into place): body prints it,
 * returning non-zero when it could not be made. Says why on stderr, as `budgetpress COMMAND:
 * …` naming the file as `what` ("the report"), when it cannot be written. 0, or -1. */
int bp_cli_write_whole(const char *path, const char *command, const char *what,
                       int (*body)(FILE *out, const void *ctx), const void *ctx);

/* ---- Rendering one unit (pipeline.c), shared by render and batch ---- */

/* Where layouts/ and fonts/ live: $BUDGETPRESS_DATA_DIR, else the source tree built from. */
const char *bp_cli_data_dir(void);

/* The reference layout and its fonts, or the layout at layout_path; NULL (diags say why). */
/* The layout a command uses: the one given (--layout), else the one the unit names as its
 * kind ("kind": "X" is layouts/X.json in the data folder), else the default. -1 (said) when
 * the kind is no layout's name. */
int bp_cli_layout_for(const char *given, const char *unit_path, char *buffer, size_t size);
bp_layout *bp_cli_load_layout(const char *layout_path, bp_diags *diags);

typedef struct bp_unit_job {
    const char *unit_path;
    const char *output;     /* the PDF to write; NULL: typeset only (check) */
    const char *dump;       /* --dump-pages file or "-", or NULL */
    const char *record;     /* --dump-record file or "-", or NULL */
    bool force;             /* render despite check errors */
    bool untagged;          /* a PDF without its structure tree (--untagged) */
    const char *png_dir;    /* --png: a folder for images of the pages, or NULL */
    int png_dpi;            /* their resolution */
    const char *png_pages;  /* --pages: which pages ("1,3,5-7"), or NULL for all */
    int pdf_threads;        /* threads building one PDF's pages */
    const atomic_int *stop; /* when it becomes non-zero, stop between stages; may be NULL */
    long long source_date;  /* SOURCE_DATE_EPOCH, or -1: the unit's publish_date dates it */
} bp_unit_job;

typedef enum bp_unit_outcome {
    BP_UNIT_RENDERED,
    BP_UNIT_UNREADABLE,  /* the JSON could not be read as a unit */
    BP_UNIT_CHECK,       /* check errors, not rendered */
    BP_UNIT_TYPESET,     /* typesetting refused it (missing glyphs, a table that cannot fit) */
    BP_UNIT_WRITE,       /* the PDF could not be written */
    BP_UNIT_INTERRUPTED, /* stopped before it was written */
} bp_unit_outcome;

typedef struct bp_unit_result {
    bp_unit_outcome outcome;
    char code[32];   /* 单位编码, "" when unreadable */
    char name[1024]; /* 单位名称, "" when unreadable */
    size_t errors, warnings, pages;
    long long bytes;
    size_t images; /* page images written (--png) */
} bp_unit_result;

/* Reads SOURCE_DATE_EPOCH into *seconds (-1 when unset). A malformed or out-of-range value
 * is an error printed to stderr (returns -1): a document silently dated otherwise would not be
 * the reproducible one asked for. */
int bp_cli_source_date_epoch(const char *command, long long *seconds);

/* The stamp a PDF of this unit made with this layout records (/BudgetpressSource): a SHA-256
 * of the engine version, the unit's bytes, the layout and SOURCE_DATE_EPOCH. -1 when the
 * unit cannot be read. */
int bp_cli_unit_stamp(const char *unit_path, const bp_layout *layout, long long source_date,
                      char stamp[65]);
/* Whether pdf_path is a whole PDF (not cut short) that records this stamp. */
bool bp_cli_pdf_current(const char *pdf_path, const char *stamp);

/* Loads, checks, typesets and writes one unit with a loaded layout and fonts (read only, so
 * many threads may share them). Every problem goes to diags. Writes the PDF whole or not at
 * all; with job->output NULL writes nothing (`check`), BP_UNIT_RENDERED then meaning that
 * render would write it. Returns the outcome also stored in *result. */
bp_unit_outcome bp_cli_render_unit(const bp_unit_job *job, const bp_layout *layout,
                                   const bp_fontset *fonts, bp_diags *diags,
                                   bp_unit_result *result);

/* Reads a list of pages, 1-based ("1,3,5-7"), of a document of `count` pages into
 * selected[0 .. count) (count 0: the syntax only, selected may be NULL). -1 with the reason in
 * `why` when it is malformed or names a page beyond the last. */
int bp_cli_parse_pages(const char *spec, size_t count, bool *selected, char *why, size_t size);

/* The exit status of an outcome: 0 rendered, 1 findings, 2 unreadable or not written. */
int bp_cli_outcome_status(bp_unit_outcome outcome);
/* "rendered", "unreadable", "check errors", … */
const char *bp_cli_outcome_name(bp_unit_outcome outcome);

#endif

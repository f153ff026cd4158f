/*
 * cli.h: the commands of the budgetpress tool. Each command is a function from its arguments
 * to an exit status, documented by its own help text.
 *
 * Exit statuses, the same for every command: 0 done and clean, 1 done with findings (or some
 * units failed), 2 could not do the job (unreadable input, bad usage).
 */
#ifndef BP_CLI_H
#define BP_CLI_H

#include <stdio.h>

enum { BP_EXIT_OK = 0, BP_EXIT_FINDINGS = 1, BP_EXIT_UNUSABLE = 2 };

typedef struct bp_command {
    const char *name;
    const char *summary;               /* one line for the command list */
    const char *help;                  /* the full text of `budgetpress help NAME` */
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
} bp_command;

extern const bp_command bp_command_check;
extern const bp_command bp_command_render;

/* Prints a usage error for a command and returns BP_EXIT_UNUSABLE. */
int bp_cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

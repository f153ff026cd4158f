/*
 * main.c: the budgetpress command line: dispatches to commands git-style
 * (`budgetpress COMMAND [ARGS]`, `budgetpress help COMMAND`, `--help`, `--version`).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "budgetpress/common.h"
#include "cli.h"

static const bp_command *const commands[] = {
    &bp_command_check,  &bp_command_render,  &bp_command_batch,
    &bp_command_import, &bp_command_compare, &bp_command_schema,
};

#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static void print_main_help(FILE *out)
{
    fputs("usage: budgetpress [--version] [--help] <command> [<args>]\n"
          "\n"
          "Typesets Chinese government unit budget disclosures (预算信息公开) as PDF.\n"
          "\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(out, "   %-10s %s\n", commands[i]->name, commands[i]->summary);
    fputs("   help       Show the help of a command\n"
          "\n"
          "See 'budgetpress help <command>' to read about a command.\n"
          "Exit status: 0 clean, 1 findings, 2 the input could not be used.\n",
          out);
}

static const bp_command *find_command(const char *name)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static int unknown_command(const char *name)
{
    fprintf(stderr, "budgetpress: '%s' is not a budgetpress command. See 'budgetpress --help'.\n",
            name);
    return BP_EXIT_UNUSABLE;
}

static int run_help(int argc, char **argv)
{
    if (argc < 2) {
        print_main_help(stdout);
        return BP_EXIT_OK;
    }
    if (strcmp(argv[1], "help") == 0) {
        fputs("usage: budgetpress help [<command>]\n\nShows the help of a command, or the list "
              "of commands.\n",
              stdout);
        return BP_EXIT_OK;
    }
    const bp_command *command = find_command(argv[1]);
    if (!command)
        return unknown_command(argv[1]);
    fputs(command->help, stdout);
    return BP_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_main_help(stderr);
        return BP_EXIT_UNUSABLE;
    }
    const char *first = argv[1];
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0)
        return run_help(1, argv + 1);
    if (strcmp(first, "--version") == 0 || strcmp(first, "version") == 0) {
        printf("budgetpress %s\n", BP_VERSION_STRING);
        return BP_EXIT_OK;
    }
    if (strcmp(first, "help") == 0)
        return run_help(argc - 1, argv + 1);
    if (first[0] == '-') {
        fprintf(stderr, "budgetpress: unknown option '%s'. See 'budgetpress --help'.\n", first);
        return BP_EXIT_UNUSABLE;
    }
    const bp_command *command = find_command(first);
    if (!command)
        return unknown_command(first);
    /* `budgetpress COMMAND --help` is the same as `budgetpress help COMMAND`. */
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(command->help, stdout);
            return BP_EXIT_OK;
        }
    }
    return command->run(argc - 1, argv + 1);
}

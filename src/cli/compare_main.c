/*
 * compare_main.c: budgetpress-compare, the program `budgetpress compare` runs (compare_entry.c
 * says why it is a program of its own). Its arguments are compare's.
 */
#include <stdio.h>
#include <string.h>

#include "compare_cli.h"

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(bp_compare_help, stdout);
            return BP_EXIT_OK;
        }
    }
    return bp_compare_command(argc, argv);
}

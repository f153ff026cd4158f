/*
 * spelling.c: the edit distance between two short ASCII names, for "did you mean" hints.
 *
 * Stage: utility, used wherever a user types a name from a fixed vocabulary (JSON keys, the
 * figures a text refers to). It never decides anything: it only ranks candidates, and callers
 * suggest a name only when it is a near miss. Names are short, so one row of at most 64
 * entries on the stack does, and longer names simply rank last.
 */
#include "util.h"

#include <string.h>

enum { SPELLING_MAX_NAME = 63, SPELLING_FAR = 99 };

size_t bp_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > SPELLING_MAX_NAME || lb > SPELLING_MAX_NAME)
        return SPELLING_FAR;
    size_t row[SPELLING_MAX_NAME + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

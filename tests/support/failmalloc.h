/*
 * failmalloc.h: fail the Nth allocation of this thread (failmalloc.c). Link failmalloc.c into a
 * test program and every malloc of the process, libraries' included, goes through it.
 */
#ifndef BP_TEST_FAILMALLOC_H
#define BP_TEST_FAILMALLOC_H

#include <stdbool.h>
#include <stddef.h>

typedef struct failmalloc_state {
    bool armed;
    long fail_at; /* the allocation to fail, counting from 1; 0 fails none (counts them) */
    long calls;   /* allocations asked for while armed (those of spared libraries not) */
    bool failed;  /* the fail_at-th was asked for and failed */
    long live;    /* blocks allocated while armed less those freed: 0 when nothing leaked */
} failmalloc_state;

/* Never fails the allocations asked for by the code of the loaded libraries whose file name
 * holds `library` ("libjansson"): for a library whose own handling of a failed allocation is
 * broken. They are counted like the others. Call before failmalloc_arm. */
void failmalloc_spare(const char *library);

/* Starts counting this thread's allocations; the fail_at-th returns NULL (ENOMEM). */
void failmalloc_arm(long fail_at);
/* Stops, and says what happened since failmalloc_arm. */
failmalloc_state failmalloc_disarm(void);

#endif

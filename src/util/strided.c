/*
 * strided.c: work shared among threads by stride: thread t of n does items t, t + n, t + 2n…
 * (util.h). The PDF's pages and structure streams and the page images all split this way:
 * the items are independent, each thread keeps its own scratch, and whatever the number of
 * threads every item is made the same, so the output is the same bytes.
 */
#include "util.h"

#include <pthread.h>
#include <stdbool.h>

enum { MAX_THREADS = 16 };

typedef struct strided_job {
    void (*work)(void *ctx, size_t first, size_t stride);
    void *ctx;
    size_t first, stride;
} strided_job;

static void *run_job(void *arg)
{
    const strided_job *job = arg;
    job->work(job->ctx, job->first, job->stride);
    return NULL;
}

size_t bp_strided_threads(int wanted, size_t items)
{
    size_t threads = wanted > 1 ? (size_t)wanted : 1;
    threads = threads > MAX_THREADS ? MAX_THREADS : threads;
    return threads > items ? (items ? items : 1) : threads;
}

void bp_run_strided(size_t threads, void (*work)(void *ctx, size_t first, size_t stride), void *ctx)
{
    threads = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
    pthread_t ids[MAX_THREADS];
    strided_job jobs[MAX_THREADS];
    bool started[MAX_THREADS] = {false};
    for (size_t t = 0; t < threads; t++) {
        jobs[t] = (strided_job){work, ctx, t, threads};
        if (t > 0)
            started[t] = pthread_create(&ids[t], NULL, run_job, &jobs[t]) == 0;
    }
    run_job(&jobs[0]);
    for (size_t t = 1; t < threads; t++) {
        if (started[t])
            pthread_join(ids[t], NULL);
        else /* a thread that could not start: its share is done here */
            run_job(&jobs[t]);
    }
}

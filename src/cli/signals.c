/*
 * signals.c: Ctrl-C and SIGTERM for the commands that write files (render, batch).
 *
 * The signals are blocked in every thread and taken by one thread with sigwait, which sets a
 * stop flag that the work reads between stages and before each write. No handler runs in
 * signal context and no global is written. The first signal asks the command to stop cleanly
 * (remove its temporaries, write its report); a second ends the process at once, and what it
 * leaves is removed by the next run (outfile.h: bp_outfile_sweep).
 */
#include <signal.h>
#include <string.h>

#include "cli.h"

/* Waits for SIGINT or SIGTERM (the first sets stop, a second ends the process) or SIGUSR1,
 * which bp_cli_signals_end sends when the work is over. */
static void *watch(void *arg)
{
    bp_cli_signals *s = arg;
    for (;;) {
        int sig = 0;
        if (sigwait(&s->set, &sig) != 0 || sig == SIGUSR1)
            return NULL;
        if (atomic_exchange(&s->stop, 1)) {
            signal(sig, SIG_DFL);
            pthread_sigmask(SIG_UNBLOCK, &s->set, NULL);
            raise(sig);
            return NULL;
        }
        atomic_store(&s->signal, sig);
        if (s->on_first)
            s->on_first(s->ctx, sig);
    }
}

void bp_cli_signals_begin(bp_cli_signals *s, void (*on_first)(void *ctx, int sig), void *ctx)
{
    memset(s, 0, sizeof *s);
    atomic_init(&s->stop, 0);
    atomic_init(&s->signal, 0);
    s->on_first = on_first;
    s->ctx = ctx;
    sigemptyset(&s->set);
    sigaddset(&s->set, SIGINT);
    sigaddset(&s->set, SIGTERM);
    sigaddset(&s->set, SIGUSR1);
    /* Blocked before any other thread starts, so that every thread inherits the mask. */
    pthread_sigmask(SIG_BLOCK, &s->set, &s->old);
    s->watching = pthread_create(&s->thread, NULL, watch, s) == 0;
}

void bp_cli_signals_end(bp_cli_signals *s)
{
    if (s->watching) {
        pthread_kill(s->thread, SIGUSR1);
        pthread_join(s->thread, NULL);
        s->watching = false;
    }
    pthread_sigmask(SIG_SETMASK, &s->old, NULL);
}

void bp_cli_signals_die(const bp_cli_signals *s)
{
    int sig = atomic_load(&s->signal);
    if (sig == 0)
        return;
    signal(sig, SIG_DFL);
    raise(sig);
}

const char *bp_cli_signal_name(int sig)
{
    return sig == SIGINT ? "interrupted" : "terminated";
}

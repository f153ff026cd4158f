/*
 * failmalloc.c: an allocator for tests that fails the Nth allocation (SQLite's faultsim, Redis's
 * zmalloc OOM tests). It replaces malloc, calloc, realloc and free for the whole test process
 * (glibc allows a program to; libraries' allocations come here too: jansson, HarfBuzz,
 * FreeType, libharu, zlib) and hands every call on to the allocator it replaces, found with
 * dlsym(RTLD_NEXT): glibc's, or AddressSanitizer's in the sanitizer build, so ASan still sees
 * every block.
 *
 * The countdown and the counts are per thread (_Thread_local), so an armed test thread fails
 * its own Nth allocation and no other's (the set of its blocks is one, for one armed thread);
 * this state exists only in the test binary.
 */
#define _GNU_SOURCE
#include "failmalloc.h"

#include <dlfcn.h>
#include <link.h>
#include <execinfo.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h> /* the prototypes replaced here */
#include <string.h>

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);

/* What is allocated while the real functions are being looked up (dlsym allocates) comes from
 * here, and is never freed. */
static _Alignas(16) unsigned char bootstrap[16384];
static size_t bootstrap_used;
static bool resolving;

/* Nothing is counted before the first failmalloc_arm: allocations made while the process
 * starts (AddressSanitizer's, the dynamic linker's) come before thread-local storage is set
 * up, so `state` may not be touched then. */
static bool ever_armed;
static _Thread_local failmalloc_state state;

static void *bootstrap_alloc(size_t n)
{
    size_t at = (bootstrap_used + 15) & ~(size_t)15;
    if (at + n > sizeof bootstrap)
        return NULL;
    bootstrap_used = at + n;
    return bootstrap + at;
}

static void resolve(void)
{
    if (real_malloc || resolving)
        return;
    resolving = true;
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    real_posix_memalign = (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
    real_aligned_alloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    resolving = false;
}

static bool in_bootstrap(const void *p)
{
    return (const unsigned char *)p >= bootstrap &&
           (const unsigned char *)p < bootstrap + sizeof bootstrap;
}

/* ---- Libraries whose allocations are counted but never failed ---- */

enum { MAX_SPARED = 8 };
static struct {
    uintptr_t start, end;
} spared[MAX_SPARED];
static int spared_count;

typedef struct spare_search {
    const char *name;
} spare_search;

/* Records the loaded code of every module whose file name holds search->name. */
static int note_module(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    const spare_search *search = data;
    if (!info->dlpi_name || !strstr(info->dlpi_name, search->name))
        return 0;
    for (int i = 0; i < info->dlpi_phnum && spared_count < MAX_SPARED; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            spared[spared_count].start = info->dlpi_addr + ph->p_vaddr;
            spared[spared_count].end = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
            spared_count++;
        }
    }
    return 0;
}

void failmalloc_spare(const char *library)
{
    spare_search search = {library};
    dl_iterate_phdr(note_module, &search);
}

static bool asked_by_spared(const void *caller)
{
    uintptr_t at = (uintptr_t)caller;
    for (int i = 0; i < spared_count; i++)
        if (at >= spared[i].start && at < spared[i].end)
            return true;
    return false;
}

/* Whether this allocation, asked for from `caller`, is the one to fail. */
static bool fails_at(const void *caller)
{
    if (!ever_armed || !state.armed || asked_by_spared(caller))
        return false;
    state.calls++;
    if (state.calls != state.fail_at)
        return false;
    state.failed = true;
    if (getenv("BP_FAILMALLOC_TRACE")) {
        /* Where the failed allocation was asked for, to find a failure handled badly. */
        void *frames[24];
        int n = backtrace(frames, 24);
        backtrace_symbols_fd(frames, n, 2);
    }
    errno = ENOMEM;
    return true;
}

/* ---- The blocks handed out while armed ----
 * A set of pointers (open addressing, linear probing, deletion by backward shift), so that
 * only the frees of counted blocks are counted: under AddressSanitizer some functions
 * (strdup, realpath) allocate without calling malloc, and their frees must not count. It
 * belongs to the armed thread; a render keeps far fewer blocks than it has slots. */
enum { SLOTS = 1 << 21 };
static void *blocks[SLOTS];

static size_t slot_of(const void *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;
    return (size_t)(h >> 43) & (SLOTS - 1);
}

static void remember(void *p)
{
    size_t i = slot_of(p);
    while (blocks[i])
        i = (i + 1) & (SLOTS - 1);
    blocks[i] = p;
    state.live++;
}

/* Forgets p if it was remembered; whether it was. */
static bool forget(const void *p)
{
    size_t i = slot_of(p);
    while (blocks[i] && blocks[i] != p)
        i = (i + 1) & (SLOTS - 1);
    if (!blocks[i])
        return false;
    blocks[i] = NULL;
    /* Moves back the entries after it that would no longer be found. */
    for (size_t j = (i + 1) & (SLOTS - 1); blocks[j]; j = (j + 1) & (SLOTS - 1)) {
        size_t home = slot_of(blocks[j]);
        bool between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!between) {
            blocks[i] = blocks[j];
            blocks[j] = NULL;
            i = j;
        }
    }
    state.live--;
    return true;
}

static bool counting(void)
{
    return ever_armed && state.armed;
}

/* Counts a block handed out while armed. */
static void *counted(void *p)
{
    if (p && counting())
        remember(p);
    return p;
}

void *malloc(size_t size)
{
    resolve();
    if (!real_malloc)
        return bootstrap_alloc(size);
    if (fails_at(__builtin_return_address(0)))
        return NULL;
    return counted(real_malloc(size));
}

void *calloc(size_t count, size_t size)
{
    resolve();
    if (!real_calloc)
        return size && count > SIZE_MAX / size ? NULL : bootstrap_alloc(count * size);
    if (fails_at(__builtin_return_address(0)))
        return NULL;
    return counted(real_calloc(count, size));
}

void *realloc(void *old, size_t size)
{
    resolve();
    if (!real_realloc)
        return NULL; /* never asked for while looking up */
    if (in_bootstrap(old)) {
        void *p = malloc(size);
        if (p)
            memcpy(p, old, size < sizeof bootstrap ? size : sizeof bootstrap);
        return p;
    }
    if (fails_at(__builtin_return_address(0)))
        return NULL;
    bool known = old && counting() && forget(old);
    void *p = real_realloc(old, size);
    if (!p && known)
        remember(old); /* a failed realloc leaves the block as it was */
    return known || !old ? counted(p) : p;
}

int posix_memalign(void **out, size_t alignment, size_t size)
{
    resolve();
    if (fails_at(__builtin_return_address(0)))
        return ENOMEM;
    int rc = real_posix_memalign(out, alignment, size);
    if (rc == 0)
        counted(*out);
    return rc;
}

void *aligned_alloc(size_t alignment, size_t size)
{
    resolve();
    if (fails_at(__builtin_return_address(0)))
        return NULL;
    return counted(real_aligned_alloc(alignment, size));
}

void free(void *p)
{
    if (!p || in_bootstrap(p))
        return;
    resolve();
    if (counting())
        forget(p);
    if (real_free)
        real_free(p);
}

void failmalloc_arm(long fail_at)
{
    if (getenv("BP_FAILMALLOC_TRACE")) {
        /* backtrace() loads libgcc on its first call, allocating for good: not while armed. */
        void *frame[1];
        backtrace(frame, 1);
    }
    ever_armed = true;
    state = (failmalloc_state){.armed = true, .fail_at = fail_at};
}

failmalloc_state failmalloc_disarm(void)
{
    failmalloc_state s = state;
    state.armed = false;
    if (s.live)
        memset(blocks, 0, sizeof blocks); /* leaked: the next run starts afresh */
    return s;
}

/*
 * arena.c: bump allocation in chunks, freed all at once.
 *
 * A unit model is read once, used read-only by layout, and dropped whole; an arena matches that
 * life exactly. Chunks grow geometrically so a 50,000-row table costs a few dozen mallocs.
 * Requests larger than a chunk get a chunk of their own.
 */
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_ALIGN = 16, ARENA_FIRST_CHUNK = 16 * 1024, ARENA_MAX_CHUNK = 4 * 1024 * 1024 };

typedef struct arena_chunk {
    struct arena_chunk *next; /* the previously filled chunk */
    size_t size;              /* usable bytes in data[] */
    size_t used;              /* bytes handed out from data[] */
    _Alignas(ARENA_ALIGN) unsigned char data[];
} arena_chunk;

struct bp_arena {
    arena_chunk *head; /* the chunk being filled */
    size_t next_size;  /* size of the next chunk to allocate */
    size_t total_used; /* bytes handed out, for reports */
};

bp_arena *bp_arena_create(void)
{
    bp_arena *arena = calloc(1, sizeof *arena);
    if (arena)
        arena->next_size = ARENA_FIRST_CHUNK;
    return arena;
}

void bp_arena_destroy(bp_arena *arena)
{
    if (!arena)
        return;
    arena_chunk *chunk = arena->head;
    while (chunk) {
        arena_chunk *next = chunk->next;
        free(chunk);
        chunk = next;
    }
    free(arena);
}

static size_t round_up(size_t n)
{
    return (n + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
}

static arena_chunk *arena_grow(bp_arena *arena, size_t need)
{
    size_t size = arena->next_size;
    if (size < need)
        size = need;
    if (size > SIZE_MAX - sizeof(arena_chunk))
        return NULL;
    arena_chunk *chunk = malloc(sizeof(arena_chunk) + size);
    if (!chunk)
        return NULL;
    chunk->size = size;
    chunk->used = 0;
    chunk->next = arena->head;
    arena->head = chunk;
    if (arena->next_size < ARENA_MAX_CHUNK)
        arena->next_size *= 2;
    return chunk;
}

void *bp_arena_alloc(bp_arena *arena, size_t size)
{
    if (size > SIZE_MAX / 2)
        return NULL;
    size_t need = round_up(size ? size : 1);
    arena_chunk *chunk = arena->head;
    if (!chunk || chunk->size - chunk->used < need) {
        chunk = arena_grow(arena, need);
        if (!chunk)
            return NULL;
    }
    void *p = chunk->data + chunk->used;
    assert((uintptr_t)p % ARENA_ALIGN == 0 && chunk->used + need <= chunk->size);
    chunk->used += need;
    arena->total_used += need;
    memset(p, 0, need);
    return p;
}

void *bp_arena_array(bp_arena *arena, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return bp_arena_alloc(arena, count * size);
}

char *bp_arena_strndup(bp_arena *arena, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *copy = bp_arena_alloc(arena, len + 1);
    if (copy) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

size_t bp_arena_used(const bp_arena *arena)
{
    return arena->total_used;
}

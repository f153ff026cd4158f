/*
 * util.h: the small containers every module uses: an arena for data that lives as long as one
 * unit, and a growable string buffer; and UTF-8, spelling and SHA-256 helpers. Internal to
 * budgetpress (not installed); names carry the bp_ prefix of the project but no BP_API mark.
 *
 * None keeps global state: every arena and buffer belongs to the one thread that made it.
 */
#ifndef BP_UTIL_H
#define BP_UTIL_H

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Arena -------------------------------------------------------------------------------
 * A unit's model is built once and freed at once, so its thousands of small strings and arrays
 * come from an arena: one free at the end, no per-object bookkeeping, no leaks on error paths.
 */
typedef struct bp_arena bp_arena;

/* Returns a new empty arena, or NULL when out of memory. */
bp_arena *bp_arena_create(void);
/* Frees the arena and everything allocated from it. NULL is a no-op. */
void bp_arena_destroy(bp_arena *arena);
/* Returns size bytes aligned for any type, zero-filled, or NULL when out of memory (or when
 * size overflows). A size of 0 returns a valid unique pointer. */
void *bp_arena_alloc(bp_arena *arena, size_t size);
/* Zero-filled array of count elements of size each; NULL on overflow or out of memory. */
void *bp_arena_array(bp_arena *arena, size_t count, size_t size);
/* Copies len bytes of s and appends a NUL. NULL when out of memory. */
char *bp_arena_strndup(bp_arena *arena, const char *s, size_t len);
/* Bytes handed out so far (for memory reports). */
size_t bp_arena_used(const bp_arena *arena);

/* ---- Invariants -------------------------------------------------------------------------
 * assert(X): proven; checked in the test builds (BP_ASSERTS), compiled out otherwise.
 * BP_ALWAYS(X) / BP_NEVER(X): believed and defended: asserted in the test builds, and in the
 * others the value of X, so that the code around them handles the case it believes away
 * (SQLite's ALWAYS and NEVER). */
#ifdef NDEBUG
#define BP_ALWAYS(x) (x)
#define BP_NEVER(x) (x)
#else
#define BP_ALWAYS(x) (assert(x), 1)
#define BP_NEVER(x) (assert(!(x)), 0)
#endif

/* ---- Growing arrays ----------------------------------------------------------------------
 * Doubling from `initial`, every size checked for overflow. */

/* The capacity to grow an array of `capacity` elements of `size` bytes to so that it holds
 * `needed`: *out, and true; false when that many bytes would not fit in a size_t. */
bool bp_capacity_for(size_t capacity, size_t needed, size_t size, size_t initial, size_t *out);
/* The malloc'd array `items` grown (realloc) to hold `needed` elements, *capacity updated; the
 * same pointer when it holds them already. NULL, the array and *capacity untouched, when out
 * of memory or when the size would overflow. */
void *bp_grow(void *items, size_t *capacity, size_t needed, size_t size, size_t initial);

/* ---- String buffer -----------------------------------------------------------------------
 * Keeps its length, always NUL-terminated once anything was appended. Passed by pointer, so it
 * never moves under the caller. On allocation failure it sets `failed` and ignores further
 * appends; callers check once at the end instead of after every append.
 */
typedef struct bp_strbuf {
    char *data;  /* NUL-terminated when len > 0 or after bp_strbuf_cstr */
    size_t len;  /* bytes used, without the NUL */
    size_t cap;  /* bytes allocated */
    bool failed; /* an allocation failed; contents are truncated */
} bp_strbuf;

#define BP_STRBUF_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0, false                                                                          \
    }

void bp_strbuf_append(bp_strbuf *sb, const char *s, size_t len);
/* Room for `extra` more bytes (and the NUL) without another allocation, for a writer that puts
 * bytes at data + len itself; false when out of memory (failed set). */
bool bp_strbuf_reserve(bp_strbuf *sb, size_t extra);
void bp_strbuf_puts(bp_strbuf *sb, const char *s);
void bp_strbuf_putc(bp_strbuf *sb, char c);
void bp_strbuf_printf(bp_strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bp_strbuf_vprintf(bp_strbuf *sb, const char *fmt, va_list ap);
/* Cuts the buffer back to len bytes (len <= sb->len). */
void bp_strbuf_truncate(bp_strbuf *sb, size_t len);
/* The contents as a C string; "" for an empty buffer. Valid until the next append. */
const char *bp_strbuf_cstr(bp_strbuf *sb);
/* Hands the malloc'd string to the caller (who frees it) and resets the buffer. NULL on failure. */
char *bp_strbuf_take(bp_strbuf *sb);
void bp_strbuf_free(bp_strbuf *sb);

/* ---- UTF-8 ------------------------------------------------------------------------------- */

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool bp_utf8_valid(const char *s, size_t len);
/* Decodes one code point at s (which must be valid UTF-8); stores its length in *n. */
unsigned bp_utf8_decode(const char *s, size_t len, size_t *n);
/* The length of the longest prefix of s[0..len) of at most max_bytes that ends on a character
 * boundary: for quoting text in messages without cutting a character in two. */
size_t bp_utf8_prefix(const char *s, size_t len, size_t max_bytes);
/* Number of code points in valid UTF-8. */
size_t bp_utf8_count(const char *s, size_t len);

/* ---- Spelling ---------------------------------------------------------------------------- */

/* Levenshtein distance between two ASCII names of at most 63 characters (larger for longer
 * ones): how near a misspelt key or name is to each one it could have meant. */
size_t bp_edit_distance(const char *a, const char *b);

/* ---- Work by stride on several threads (strided.c) ---------------------------------------- */

/* How many threads to share `items` among when `wanted` are asked for (0 or 1: the caller's
 * only): at most 16, and no more than there are items. */
size_t bp_strided_threads(int wanted, size_t items);
/* Calls work(ctx, t, threads) for t = 0 .. threads-1, on the caller's thread and threads-1
 * more, and returns when all are done; thread t does the items t, t + threads, … A thread that
 * cannot start has its share done on the caller's thread. */
void bp_run_strided(size_t threads, void (*work)(void *ctx, size_t first, size_t stride),
                    void *ctx);

/* ---- SHA-256 ------------------------------------------------------------------------------ */

/* Incremental SHA-256, for data that arrives in pieces. */
typedef struct bp_sha256_state {
    uint32_t h[8];
    uint64_t length;
    unsigned char block[64];
    size_t fill;
} bp_sha256_state;
void bp_sha256_init(bp_sha256_state *s);
void bp_sha256_update(bp_sha256_state *s, const void *data, size_t size);
void bp_sha256_final(bp_sha256_state *s, unsigned char digest[32]);

/* The SHA-256 of data as 64 lowercase hex digits and a NUL. */
void bp_sha256_hex(const void *data, size_t size, char hex[65]);
/* The same for the first `limit` bytes of a file (all of it when it is shorter); stores the
 * file's size in *size when size is not NULL. Returns 0, or -1 when it cannot be read. */
int bp_sha256_file_head_hex(const char *path, size_t limit, char hex[65], long long *size);

#endif

/*
 * test_util.c: the arena, the string buffer and UTF-8 validation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static void arena_hands_out_aligned_zeroed_memory(void **state)
{
    bp_arena *arena = bp_arena_create();
    assert_non_null(arena);
    for (size_t size = 0; size < 5000; size += 7) {
        unsigned char *p = bp_arena_alloc(arena, size);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (size_t i = 0; i < size; i++)
            assert_int_equal(p[i], 0);
        memset(p, 0xAB, size);
    }
    /* A request larger than any chunk gets a chunk of its own. */
    char *big = bp_arena_alloc(arena, 10 * 1024 * 1024);
    assert_non_null(big);
    big[10 * 1024 * 1024 - 1] = 1;
    assert_true(bp_arena_used(arena) >= 10 * 1024 * 1024);
    bp_arena_destroy(arena);
    bp_arena_destroy(NULL);
}

static void arena_refuses_overflowing_sizes(void **state)
{
    bp_arena *arena = bp_arena_create();
    assert_null(bp_arena_array(arena, SIZE_MAX / 2, 4));
    assert_null(bp_arena_alloc(arena, SIZE_MAX));
    char *s = bp_arena_strndup(arena, "预算abc", 6);
    assert_string_equal(s, "预算");
    bp_arena_destroy(arena);
}

static void strbuf_appends_and_truncates(void **state)
{
    bp_strbuf sb = BP_STRBUF_INIT;
    assert_string_equal(bp_strbuf_cstr(&sb), "");
    bp_strbuf_puts(&sb, "tables");
    size_t mark = sb.len;
    bp_strbuf_printf(&sb, ".rows[%d]", 4);
    assert_string_equal(bp_strbuf_cstr(&sb), "tables.rows[4]");
    bp_strbuf_truncate(&sb, mark);
    assert_string_equal(bp_strbuf_cstr(&sb), "tables");
    for (int i = 0; i < 1000; i++)
        bp_strbuf_putc(&sb, 'x');
    assert_int_equal(sb.len, 1006);
    char *taken = bp_strbuf_take(&sb);
    assert_int_equal(strlen(taken), 1006);
    assert_null(sb.data);
    free(taken);
    bp_strbuf_free(&sb);
}

/* Growing doubles from the first size, and refuses what would overflow a size_t instead of
 * wrapping around to a small allocation. */
static void grow_doubles_and_refuses_overflow(void **state)
{
    size_t cap = 0;
    assert_true(bp_capacity_for(0, 1, 8, 16, &cap));
    assert_int_equal(cap, 16);
    assert_true(bp_capacity_for(16, 17, 8, 16, &cap));
    assert_int_equal(cap, 32);
    assert_true(bp_capacity_for(16, 1000, 8, 16, &cap));
    assert_int_equal(cap, 1024);
    assert_false(bp_capacity_for(SIZE_MAX / 2 + 1, SIZE_MAX / 2 + 2, 1, 16, &cap));
    assert_false(bp_capacity_for(16, SIZE_MAX / 8 + 1, 8, 16, &cap)); /* bytes overflow */
    assert_false(bp_capacity_for(0, SIZE_MAX, 1, 16, &cap));

    int *items = NULL;
    size_t capacity = 0;
    items = bp_grow(items, &capacity, 3, sizeof *items, 4);
    assert_non_null(items);
    assert_int_equal(capacity, 4);
    items[0] = 7;
    int *same = bp_grow(items, &capacity, 4, sizeof *items, 4);
    assert_ptr_equal(same, items);
    assert_null(bp_grow(items, &capacity, SIZE_MAX / 2, sizeof *items, 4));
    assert_int_equal(capacity, 4); /* untouched on failure */
    assert_int_equal(items[0], 7);
    free(items);
}

/* The test builds keep assert(): the invariants are checked where the tests run. */
static void asserts_are_compiled_in(void **state)
{
#if defined(BP_ASSERTS) && defined(NDEBUG)
    fail_msg("BP_ASSERTS is set but NDEBUG compiles assert() out");
#endif
#ifdef BP_ASSERTS
    int evaluated = 0;
    assert(++evaluated == 1);
    assert_int_equal(evaluated, 1);
    assert_int_equal(BP_NEVER(evaluated == 2), 0);
#else
    skip();
#endif
}

static void utf8_validation_follows_rfc3629(void **state)
{
    assert_true(bp_utf8_valid("预算 847.45 “三公”", strlen("预算 847.45 “三公”")));
    assert_true(bp_utf8_valid("\xF0\x9F\x98\x80", 4));  /* U+1F600 */
    assert_false(bp_utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
    assert_false(bp_utf8_valid("\xED\xA0\x80", 3));     /* surrogate U+D800 */
    assert_false(bp_utf8_valid("\xF4\x90\x80\x80", 4)); /* above U+10FFFF */
    assert_false(bp_utf8_valid("\xE9\xA2", 2));         /* truncated */
    assert_false(bp_utf8_valid("\xB1", 1));             /* lone continuation */
    size_t n;
    assert_int_equal(bp_utf8_decode("预", 3, &n), 0x9884);
    assert_int_equal(n, 3);
    assert_int_equal(bp_utf8_count("预算ab", strlen("预算ab")), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_hands_out_aligned_zeroed_memory),
        cmocka_unit_test(arena_refuses_overflowing_sizes),
        cmocka_unit_test(strbuf_appends_and_truncates),
        cmocka_unit_test(utf8_validation_follows_rfc3629),
        cmocka_unit_test(grow_doubles_and_refuses_overflow),
        cmocka_unit_test(asserts_are_compiled_in),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

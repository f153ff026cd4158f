/*
 * align.c: sequences aligned by their keys, and the characters that changed inside a text.
 *
 * Rows of a table and blocks of text have keys unique in their sequence (a code, a place in
 * the unit, made unique by the occurrence), so the alignment is patience diff's: every key in
 * both sequences is a match, and the longest increasing subsequence of the matches' positions
 * says which are in order; the others were moved. O(n log n), where a general diff of a
 * 5,000-row table with a rewritten middle could run away (the study's pitfall).
 */
#include "compare_int.h"

#include <stdlib.h>
#include <string.h>

uint64_t cmp_hash(const char *s, uint64_t seed)
{
    uint64_t h = 1469598103934665603ULL ^ (seed * 0x9e3779b97f4a7c15ULL);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (h ^ (h >> 31)) * 0xbf58476d1ce4e5b9ULL;
}

uint64_t cmp_unique_key(const uint64_t *keys, size_t count, uint64_t base)
{
    uint64_t key = base;
    for (uint64_t occurrence = 1;; occurrence++) {
        bool taken = false;
        for (size_t j = count; j-- > 0 && !taken;)
            taken = keys[j] == key;
        if (!taken)
            return key;
        key = base ^ (occurrence * 0x9e3779b97f4a7c15ULL);
    }
}

typedef struct key_index {
    uint64_t *keys;
    long *at;
    size_t mask;
} key_index;

static int index_build(key_index *ix, const uint64_t *keys, size_t n)
{
    size_t capacity = 16;
    while (capacity < n * 2)
        capacity *= 2;
    ix->keys = malloc(capacity * sizeof *ix->keys);
    ix->at = malloc(capacity * sizeof *ix->at);
    ix->mask = capacity - 1;
    if (!ix->keys || !ix->at)
        return -1;
    for (size_t i = 0; i < capacity; i++)
        ix->at[i] = -1;
    for (size_t i = 0; i < n; i++) {
        size_t slot = keys[i] & ix->mask;
        while (ix->at[slot] >= 0 && ix->keys[slot] != keys[i])
            slot = (slot + 1) & ix->mask;
        if (ix->at[slot] < 0) { /* the first of equal keys wins: callers make keys unique */
            ix->keys[slot] = keys[i];
            ix->at[slot] = (long)i;
        }
    }
    return 0;
}

static long index_find(const key_index *ix, uint64_t key)
{
    for (size_t slot = key & ix->mask; ix->at[slot] >= 0; slot = (slot + 1) & ix->mask)
        if (ix->keys[slot] == key)
            return ix->at[slot];
    return -1;
}

/* Marks in_order[i] for the matches (a_to_b[i] >= 0) on one longest increasing run of b
 * positions: patience sorting with back links. */
static int mark_increasing(const long *a_to_b, size_t na, bool *in_order)
{
    size_t *tails = malloc((na + 1) * sizeof *tails); /* a index ending each pile's top */
    long *back = malloc((na + 1) * sizeof *back);
    if (!tails || !back) {
        free(tails);
        free(back);
        return -1;
    }
    size_t piles = 0;
    for (size_t i = 0; i < na; i++) {
        in_order[i] = false;
        if (a_to_b[i] < 0)
            continue;
        size_t lo = 0, hi = piles;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (a_to_b[tails[mid]] < a_to_b[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        back[i] = lo > 0 ? (long)tails[lo - 1] : -1;
        tails[lo] = i;
        if (lo == piles)
            piles++;
    }
    for (long i = piles ? (long)tails[piles - 1] : -1; i >= 0; i = back[i])
        in_order[i] = true;
    free(tails);
    free(back);
    return 0;
}

int cmp_align(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, long *a_to_b,
              bool *in_order)
{
    key_index ix = {0};
    int rc = index_build(&ix, b, nb);
    for (size_t i = 0; rc == 0 && i < na; i++)
        a_to_b[i] = index_find(&ix, a[i]);
    free(ix.keys);
    free(ix.at);
    return rc == 0 ? mark_increasing(a_to_b, na, in_order) : -1;
}

/* ---- Characters ---- */

/* A text as code points, with each one's byte offset. */
typedef struct chars {
    unsigned *cp;
    size_t *at;
    size_t n;
} chars;

static int split(const char *s, chars *out)
{
    size_t len = strlen(s);
    out->cp = malloc((len + 1) * sizeof *out->cp);
    out->at = malloc((len + 2) * sizeof *out->at);
    out->n = 0;
    if (!out->cp || !out->at)
        return -1;
    for (size_t i = 0; i < len;) {
        size_t n = 1;
        out->at[out->n] = i;
        out->cp[out->n++] = bp_utf8_decode(s + i, len - i, &n);
        i += n ? n : 1;
    }
    out->at[out->n] = len;
    return 0;
}

/* The longest common subsequence of two middles, as marks: kept[i] for a, kept[j] for b.
 * Quadratic, so the middles are cut to the changed part first and capped: past the cap the
 * whole middle is one deletion and one insertion, which still reads correctly. */
enum { LCS_CAP = 1500 };

static void lcs_marks(const chars *a, size_t a0, size_t a1, const chars *b, size_t b0, size_t b1,
                      bool *keep_a, bool *keep_b)
{
    size_t n = a1 - a0, m = b1 - b0;
    if (n == 0 || m == 0 || n > LCS_CAP || m > LCS_CAP)
        return;
    uint16_t *t = calloc((n + 1) * (m + 1), sizeof *t);
    if (!t)
        return;
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            t[i * (m + 1) + j] =
                a->cp[a0 + i] == b->cp[b0 + j]
                    ? (uint16_t)(t[(i + 1) * (m + 1) + j + 1] + 1)
                    : (t[(i + 1) * (m + 1) + j] > t[i * (m + 1) + j + 1] ? t[(i + 1) * (m + 1) + j]
                                                                         : t[i * (m + 1) + j + 1]);
    for (size_t i = 0, j = 0; i < n && j < m;) {
        if (a->cp[a0 + i] == b->cp[b0 + j]) {
            keep_a[a0 + i++] = true;
            keep_b[b0 + j++] = true;
        } else if (t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1])
            i++;
        else
            j++;
    }
    free(t);
}

static void put_range(bp_strbuf *out, const char *s, const chars *c, size_t i0, size_t i1)
{
    bp_strbuf_append(out, s + c->at[i0], c->at[i1] - c->at[i0]);
}

/* A deleted or inserted run between its marks; a long one cut to its start and its length,
 * for a message is read in one line (report.json keeps both texts whole). */
enum { CHANGED_SHOWN = 40 };

static void put_changed(bp_strbuf *out, const char *open, const char *close, const char *s,
                        const chars *c, size_t i0, size_t i1)
{
    bp_strbuf_puts(out, open);
    if (i1 - i0 > CHANGED_SHOWN + 10) {
        put_range(out, s, c, i0, i0 + CHANGED_SHOWN);
        bp_strbuf_printf(out, "…（共 %zu 字）", i1 - i0);
    } else
        put_range(out, s, c, i0, i1);
    bp_strbuf_puts(out, close);
}

/* Writes the merged sequence: runs kept in both, deleted [-…-], inserted {+…+}; kept runs
 * longer than 2 * context are cut to their ends with "…". */
static void put_merged(const char *old_text, const chars *a, const bool *keep_a,
                       const char *new_text, const chars *b, const bool *keep_b, int context,
                       bp_strbuf *out)
{
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        size_t i0 = i, j0 = j;
        while (i < a->n && j < b->n && keep_a[i] && keep_b[j])
            i++, j++;
        if (i > i0) {
            size_t len = i - i0, ctx = (size_t)context;
            bool first = i0 == 0, last = i == a->n && j == b->n;
            if (len > (first || last ? ctx : 2 * ctx)) {
                if (!first)
                    put_range(out, old_text, a, i0, i0 + ctx);
                bp_strbuf_puts(out, "…");
                if (!last)
                    put_range(out, old_text, a, i - ctx, i);
            } else
                put_range(out, old_text, a, i0, i);
        }
        i0 = i, j0 = j;
        while (i < a->n && !keep_a[i])
            i++;
        while (j < b->n && !keep_b[j])
            j++;
        if (i > i0)
            put_changed(out, "[-", "-]", old_text, a, i0, i);
        if (j > j0)
            put_changed(out, "{+", "+}", new_text, b, j0, j);
        if (i == i0 && j == j0 && (i < a->n || j < b->n)) {
            /* Cannot happen with marks from one LCS; guard against a loop all the same. */
            break;
        }
    }
}

void cmp_text_diff(const char *old_text, const char *new_text, int context, bp_strbuf *out)
{
    chars a = {0}, b = {0};
    bool *keep_a = NULL, *keep_b = NULL;
    if (split(old_text, &a) != 0 || split(new_text, &b) != 0 || !(keep_a = calloc(a.n + 1, 1)) ||
        !(keep_b = calloc(b.n + 1, 1))) {
        bp_strbuf_printf(out, "[-%s-]{+%s+}", old_text, new_text);
        goto done;
    }
    size_t pre = 0;
    while (pre < a.n && pre < b.n && a.cp[pre] == b.cp[pre])
        keep_a[pre] = keep_b[pre] = true, pre++;
    size_t suf = 0;
    while (suf < a.n - pre && suf < b.n - pre && a.cp[a.n - 1 - suf] == b.cp[b.n - 1 - suf]) {
        keep_a[a.n - 1 - suf] = keep_b[b.n - 1 - suf] = true;
        suf++;
    }
    lcs_marks(&a, pre, a.n - suf, &b, pre, b.n - suf, keep_a, keep_b);
    put_merged(old_text, &a, keep_a, new_text, &b, keep_b, context, out);
done:
    free(a.cp);
    free(a.at);
    free(b.cp);
    free(b.at);
    free(keep_a);
    free(keep_b);
}

/*
 * banner.c: the banner above the header (unit code and name, 预算年度, 单位：万元): where its
 * three parts go, decided once per table and drawn alike on every page (emit.c).
 *
 * Stage: layout, table engine, pass B. Never emits and never decides a page. The facts that
 * shaped it: the seed broke the unit's name in the middle of a word ("…工作委员会办 /
 * 公室(本级)"), and real names run to 70 characters and more, wider than a portrait table
 * even at 60% of the size. So the left part is first set smaller, down to 80%, when that keeps
 * it on one line; beyond that it keeps its size and is broken over lines, preferably after a
 * word that ends the name of an office (委员会, 办公室, 中心, 局 …), before an opening bracket
 * or at a space, and only where none of these fits between two characters (never before a
 * closing mark or between two digits). The centre and right parts follow on the left part's
 * last line when they fit there, else on a line of their own.
 */
#include "table_int.h"

#include <string.h>

/* The left part is set no smaller than this (percent) to keep it on one line. */
enum { SMALLEST_PERCENT = 80 };

/* ---- Where a unit's name may be broken ---- */

/* Words that end the name of an office or of a place: a name broken right after one reads as
 * two whole names ("…开发区工作委员会" / "办公室（本级）"). */
static const char *const name_endings[] = {
    "委员会", "办公室", "管理局", "中心", "街道", "公司", "集团", "小组", "开发区",
    "局",     "厅",     "院",     "所",   "处",   "站",   "队",   "馆",   "校",
    "部",     "室",     "区",     "县",   "市",   "省",   "镇",   "乡",
};

/* Words that begin with one of the one-character endings above: "区域", "市场", "部门" … A
 * break before them would split them. */
static const char *const not_after_an_ending[] = {
    "域", "场", "门", "级", "属", "长", "理", "委", "政", "直", "内", "外", "间", "系",
};

static bool ends_with(const char *text, size_t at, const char *word)
{
    size_t n = strlen(word);
    return at >= n && memcmp(text + at - n, word, n) == 0;
}

static bool starts_with_any(const char *text, size_t len, size_t at, const char *const *words,
                            size_t count)
{
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(words[i]);
        if (at + n <= len && memcmp(text + at, words[i], n) == 0)
            return true;
    }
    return false;
}

static bool is_ascii_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A good place to break before text[at]: after a space, before an opening bracket, after a
 * closing one, or after a word that ends an office's name. */
static bool preferred_break(const char *text, size_t len, size_t at)
{
    static const char *const openers[] = {"(", "（"};
    if (text[at - 1] == ' ' || starts_with_any(text, len, at, openers, 2) ||
        ends_with(text, at, ")") || ends_with(text, at, "）"))
        return true;
    for (size_t i = 0; i < sizeof name_endings / sizeof name_endings[0]; i++) {
        if (!ends_with(text, at, name_endings[i]))
            continue;
        bool one_character = strlen(name_endings[i]) == 3;
        return !one_character ||
               !starts_with_any(text, len, at, not_after_an_ending,
                                sizeof not_after_an_ending / sizeof not_after_an_ending[0]);
    }
    return false;
}

/* A place where Chinese allows a break at all: not before a closing mark, not after an
 * opening one, not inside a run of Latin letters and digits (the unit's code). */
static bool allowed_break(const char *text, size_t len, size_t at)
{
    static const char *const closers[] = {"，", "。", "、", "；", "：", "？", "！", "）",
                                          "》", "」", "』", "”",  "’",  ")",  ",",  "."};
    static const char *const openers[] = {"（", "《", "「", "『", "“", "‘", "("};
    if (starts_with_any(text, len, at, closers, sizeof closers / sizeof closers[0]))
        return false;
    for (size_t i = 0; i < sizeof openers / sizeof openers[0]; i++)
        if (ends_with(text, at, openers[i]))
            return false;
    return !(is_ascii_alnum(text[at - 1]) && is_ascii_alnum(text[at]));
}

/* ---- The left part ---- */

/* Sets the left part smaller when that keeps it on one line at no less than SMALLEST_PERCENT
 * of its size; false when it would have to be smaller still. */
static bool shrink_left(tbl_work *w)
{
    tbl_text *left = &w->banner[0];
    bp_len size = w->style->banner_size, floor_size = size * SMALLEST_PERCENT / 100;
    if (left->natural <= w->table_w || left->natural == 0)
        return true;
    bp_len smaller = (bp_len)((int64_t)size * w->table_w / left->natural);
    if (smaller < floor_size)
        return false;
    tbl_text again = {0};
    tbl_shape_text(w, &again, left->text, BP_ROLE_TABLE, smaller, false, NULL, NULL);
    /* Shrinking by the ratio can leave rounding of a few thousandths over: step down. */
    while (!w->failed && again.natural > w->table_w && smaller > floor_size) {
        smaller -= BP_LEN_PER_PT / 10;
        again = (tbl_text){0};
        tbl_shape_text(w, &again, left->text, BP_ROLE_TABLE, smaller, false, NULL, NULL);
    }
    if (again.natural > w->table_w)
        return false;
    *left = again;
    return true;
}

/* Where the line starting at glyph `start` ends: the furthest preferred break that fits, else
 * the furthest allowed one, else as many glyphs as fit (at least one). */
static uint32_t line_end(const tbl_text *t, uint32_t start, bp_len avail)
{
    uint32_t preferred = 0, allowed = 0, k = start;
    bp_len width = 0;
    while (k < t->glyph_count && width + t->glyphs[k].advance <= avail) {
        width += t->glyphs[k].advance;
        k++;
        if (k == t->glyph_count)
            return k;
        size_t at = t->glyphs[k].cluster;
        if (at == t->glyphs[k - 1].cluster)
            continue; /* inside a cluster */
        if (preferred_break(t->text, t->len, at))
            preferred = k;
        if (allowed_break(t->text, t->len, at))
            allowed = k;
    }
    if (preferred > start)
        return preferred;
    if (allowed > start)
        return allowed;
    return k > start ? k : start + 1;
}

/* Breaks the left part over as many lines as it needs at its full size. */
static void break_left(tbl_work *w)
{
    tbl_text *t = &w->banner[0];
    uint32_t count = 0, capacity = 4;
    tbl_line *lines = bp_arena_array(w->arena, capacity, sizeof *lines);
    for (uint32_t start = 0; lines && start < t->glyph_count;) {
        uint32_t end = line_end(t, start, w->table_w);
        if (count == capacity) {
            size_t more;
            tbl_line *grown = bp_capacity_for(capacity, (size_t)count + 1, sizeof *grown, 4, &more)
                                  ? bp_arena_array(w->arena, more, sizeof *grown)
                                  : NULL;
            if (grown)
                memcpy(grown, lines, capacity * sizeof *lines);
            lines = grown;
            capacity = (uint32_t)more;
            if (!lines)
                break;
        }
        lines[count++] = tbl_trimmed_line(t, start, end);
        start = end;
        while (start < t->glyph_count && t->text[t->glyphs[start].cluster] == ' ')
            start++; /* a space where the line broke is not drawn at the next line's start */
    }
    if (!lines) {
        tbl_out_of_memory(w);
        return;
    }
    t->lines = count > 1 ? lines : NULL;
    t->single = lines[0];
    t->line_count = count;
}

/* ---- The plan ---- */

static bp_len last_line_width(const tbl_text *t)
{
    return t->line_count ? tbl_text_line(t, t->line_count - 1)->width : 0;
}

void tbl_plan_banner(tbl_work *w)
{
    tbl_banner_plan *p = &w->banner_plan;
    tbl_text *b = w->banner;
    bool has[3] = {w->table->banner.left != NULL, w->table->banner.center != NULL,
                   w->table->banner.right != NULL};
    if (!has[0] && !has[1] && !has[2])
        return;
    bp_len W = w->table_w, gap = w->style->banner_size;
    if (has[0] && shrink_left(w))
        tbl_break_text(w, &b[0], 0, true);
    else if (has[0])
        break_left(w);
    for (int i = 1; i < 3; i++)
        tbl_break_text(w, &b[i], 0, true); /* the centre and right parts are never broken */
    if (w->failed)
        return;
    /* The centre and right parts go on the left part's last line if they fit beside it. */
    int line = has[0] && b[0].line_count > 1 ? (int)b[0].line_count - 1 : 0;
    bp_len wl = has[0] ? last_line_width(&b[0]) + gap : 0;
    bp_len wr = has[2] ? b[2].natural + gap : 0, wc = b[1].natural;
    p->x[0] = 0;
    p->x[2] = W - b[2].natural;
    p->x[1] = (W - wc) / 2;
    if (p->x[1] < wl || p->x[1] + wc > W - wr) {
        if (wl + wc + wr <= W) {
            p->x[1] = wl + (W - wr - wl - wc) / 2; /* the middle of the room between them */
        } else if (has[0] && (has[1] || has[2])) {
            line++; /* a line of their own */
            p->x[1] = (W - wc) / 2;
            if (p->x[1] + wc > W - wr)
                p->x[1] = tbl_max_len(0, W - wr - wc);
        }
    }
    p->line_of[0] = 0;
    p->line_of[1] = p->line_of[2] = line;
    p->lines = line + 1;
    if (has[0] && (int)b[0].line_count > p->lines)
        p->lines = (int)b[0].line_count;
}

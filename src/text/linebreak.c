/*
 * linebreak.c: breaks a shaped paragraph into lines no wider than the measure.
 *
 * Stage: text, after bp_shape and before layout places the lines. It reads glyph advances and
 * the text only: it never shapes, never opens a font, never aligns, justifies or hyphenates,
 * and never reorders or drops a glyph (every glyph lands in exactly one line, in order).
 *
 * The fact that shaped it: Chinese may break between almost any two ideographs, so UAX #14 alone
 * offers a break nearly everywhere; what makes a page look typeset is the 禁则 of GB/T 15834
 * (no line starts with a closing mark, none ends with an opening one), and libunibreak's "zh"
 * tailoring covers them only in part: it lets "·", "—" and "～" start a line after an ideograph
 * and "≥" end one before its figure. So breaks come from libunibreak and are then narrowed by
 * the explicit tables below; a break is never added.
 *
 * Where a line would start with a no-start mark, the break moves one character earlier: the
 * character before the mark goes down with it, so the mark is never orphaned and the line never
 * overflows (no hanging punctuation). Greedy first fit; linear in glyphs (a line that backs up
 * to its last break rescans only the glyphs after that break, which then have no break left).
 */
#include <linebreak.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "../util/util.h"
#include "budgetpress/text.h"

/* libunibreak's tables are built once per process; afterwards it only reads them. */
static pthread_once_t unibreak_once = PTHREAD_ONCE_INIT;

/* Texts up to this many bytes (a long paragraph) keep their break table on the stack. */
enum { SMALL_TEXT_BYTES = 2048 };

/* ---- 禁则 ------------------------------------------------------------------------------------ */

/* 行首禁则: characters that must not start a line: closing punctuation, pause and stop marks,
 * the middle dot (间隔号), the dash and ellipsis (破折号, 省略号, which also stay whole) and the
 * signs that follow a figure. Full-width, ASCII and half-width forms alike. */
static bool is_no_start(uint32_t cp)
{
    switch (cp) {
    case '!':
    case '%':
    case ')':
    case ',':
    case '.':
    case ':':
    case ';':
    case '?':
    case ']':
    case '}':
    case 0x00B7: /* · middle dot */
    case 0x2013: /* – en dash (连接号) */
    case 0x2014: /* — em dash (破折号) */
    case 0x2019: /* ’ */
    case 0x201D: /* ” */
    case 0x2025: /* ‥ */
    case 0x2026: /* … */
    case 0x2030: /* ‰ */
    case 0x3001: /* 、 */
    case 0x3002: /* 。 */
    case 0x3009: /* 〉 */
    case 0x300B: /* 》 */
    case 0x300D: /* 」 */
    case 0x300F: /* 』 */
    case 0x3011: /* 】 */
    case 0x3015: /* 〕 */
    case 0x3017: /* 〗 */
    case 0x3019: /* 〙 */
    case 0x301B: /* 〛 */
    case 0x30FB: /* ・ katakana middle dot, often typed for 间隔号 */
    case 0xFF01: /* ！ */
    case 0xFF05: /* ％ */
    case 0xFF09: /* ） */
    case 0xFF0C: /* ， */
    case 0xFF0E: /* ． */
    case 0xFF1A: /* ： */
    case 0xFF1B: /* ； */
    case 0xFF1F: /* ？ */
    case 0xFF3D: /* ］ */
    case 0xFF5D: /* ｝ */
    case 0xFF5E: /* ～ full-width tilde (连接号 in ranges such as 3～5) */
    case 0xFF61: /* ｡ half-width */
    case 0xFF63: /* ｣ half-width */
    case 0xFF64: /* ､ half-width */
    case 0xFF65: /* ･ half-width */
        return true;
    default:
        return false;
    }
}

/* 行尾禁则: characters that must not end a line: opening brackets and quotes, and the
 * comparison signs that open a figure (≥95% reads as one value). */
static bool is_no_end(uint32_t cp)
{
    switch (cp) {
    case '(':
    case '[':
    case '{':
    case 0x2018: /* ‘ */
    case 0x201C: /* “ */
    case 0x2248: /* ≈ */
    case 0x2264: /* ≤ */
    case 0x2265: /* ≥ */
    case 0x3008: /* 〈 */
    case 0x300A: /* 《 */
    case 0x300C: /* 「 */
    case 0x300E: /* 『 */
    case 0x3010: /* 【 */
    case 0x3014: /* 〔 */
    case 0x3016: /* 〖 */
    case 0x3018: /* 〘 */
    case 0x301A: /* 〚 */
    case 0xFF08: /* （ */
    case 0xFF1C: /* ＜ */
    case 0xFF1E: /* ＞ */
    case 0xFF3B: /* ［ */
    case 0xFF5B: /* ｛ */
    case 0xFF62: /* ｢ half-width */
        return true;
    default:
        return false;
    }
}

/* Characters that take no width at the end of a line: the space, and the line and paragraph
 * separators that end one. The ideographic space U+3000 is a character like any other. */
static bool hangs_at_line_end(uint32_t cp)
{
    return cp == 0x0020 || cp == 0x2028 || cp == 0x2029;
}

static void forbid_break_after(char *brks, size_t last_byte)
{
    if (brks[last_byte] == LINEBREAK_ALLOWBREAK)
        brks[last_byte] = LINEBREAK_NOBREAK;
}

/* Narrows libunibreak's opportunities by the 禁则; mandatory breaks stay. brks[i] says whether
 * a line may end after byte i (meaningful on the last byte of each character). */
static void apply_kinsoku(const char *text, size_t len, char *brks)
{
    size_t i = 0;
    while (i < len) {
        size_t n;
        uint32_t cp = bp_utf8_decode(text + i, len - i, &n);
        if (i > 0 && is_no_start(cp))
            forbid_break_after(brks, i - 1);
        if (is_no_end(cp))
            forbid_break_after(brks, i + n - 1);
        i += n;
    }
}

/* ---- Clusters -------------------------------------------------------------------------------- */

/* The unit a line is built from: the glyphs of one cluster (a line never splits a cluster, so a
 * ligature or a base with its marks stays together) and the text they draw. */
typedef struct cluster {
    size_t glyph_end;      /* the glyph after its last one */
    size_t text_end;       /* the byte after its text */
    int64_t advance;       /* sum of its glyphs' advances */
    bool hangs;            /* spaces or separators only: no width at a line end */
    bool break_after;      /* a line may end after it */
    bool must_break_after; /* a line must end after it (U+2028, U+2029) */
} cluster;

/* What every step of one bp_break_lines call reads. */
typedef struct breaker {
    const bp_glyph *glyphs;
    size_t glyph_count;
    const char *text;
    size_t len;
    const char *brks; /* libunibreak's table narrowed by the 禁则, one entry per byte */
    bp_lines *out;
} breaker;

static bool all_chars_hang(const char *text, size_t start, size_t end)
{
    if (start == end)
        return false;
    for (size_t i = start, n; i < end; i += n)
        if (!hangs_at_line_end(bp_utf8_decode(text + i, end - i, &n)))
            return false;
    return true;
}

/* Reads the cluster starting at glyph g. A cluster ends where a glyph's cluster value passes
 * every value seen in it, so even clusters out of order (never made by bp_shape) stay whole. */
static void read_cluster(const breaker *b, size_t g, cluster *c)
{
    uint32_t text_start = b->glyphs[g].cluster;
    uint32_t highest = text_start;
    c->advance = 0;
    size_t i = g;
    for (; i < b->glyph_count && b->glyphs[i].cluster <= highest; i++) {
        c->advance += b->glyphs[i].advance;
        if (b->glyphs[i].cluster > highest)
            highest = b->glyphs[i].cluster;
    }
    c->glyph_end = i;
    c->text_end = i < b->glyph_count ? b->glyphs[i].cluster : b->len;
    if (c->text_end > b->len) /* clusters past the text: trusted input, kept memory-safe */
        c->text_end = b->len;
    if (text_start > c->text_end)
        text_start = (uint32_t)c->text_end;
    c->hangs = all_chars_hang(b->text, text_start, c->text_end);
    char brk = c->text_end > 0 ? b->brks[c->text_end - 1] : LINEBREAK_NOBREAK;
    c->break_after = brk == LINEBREAK_ALLOWBREAK;
    c->must_break_after = brk == LINEBREAK_MUSTBREAK;
}

/* ---- Lines ----------------------------------------------------------------------------------- */

/* The line being filled. It is reset at each line start and never looks back past it. */
typedef struct line_state {
    size_t glyph_start;
    size_t text_start;
    bp_len limit; /* the width it may fill */
    int64_t run;  /* width of the clusters taken, trailing spaces included */
    int64_t ink;  /* the same without trailing spaces: its width if it ended here */
    /* The last break opportunity among the clusters taken; fit_glyph_end == glyph_start when
     * there is none. */
    size_t fit_glyph_end;
    size_t fit_text_end;
    int64_t fit_ink;
} line_state;

static void start_line(line_state *line, size_t glyph, size_t text, bp_len limit)
{
    *line = (line_state){glyph, text, limit, 0, 0, glyph, text, 0};
}

static int append_line(bp_lines *lines, const bp_line *line)
{
    bp_line *grown = bp_grow(lines->lines, &lines->capacity, lines->count + 1, sizeof *grown, 16);
    if (!grown)
        return -1;
    lines->lines = grown;
    lines->lines[lines->count++] = *line;
    return 0;
}

/* Ends the line at glyph_end / text_end with the given width. */
static int emit(breaker *b, const line_state *line, size_t glyph_end, size_t text_end,
                int64_t width, bool forced, bool hard_end)
{
    /* Lines follow one another: each starts where the last ended, and none is empty but the
     * one line of an empty text. */
    assert((glyph_end > line->glyph_start || b->glyph_count == 0) && glyph_end <= b->glyph_count);
    assert(b->out->count == 0 || b->out->lines[b->out->count - 1].glyph_end == line->glyph_start);
    assert(text_end >= line->text_start && text_end <= b->len);
    bp_line out = {
        .glyph_start = line->glyph_start,
        .glyph_end = glyph_end,
        .text_start = line->text_start,
        .text_end = text_end,
        .width = width > INT32_MAX ? INT32_MAX : (bp_len)width,
        .forced = forced,
        .hard_end = hard_end,
    };
    return append_line(b->out, &out);
}

/* The cluster at g does not fit on the line. Ends the line at its last break opportunity and
 * returns the glyph to go on from (the break, so the clusters after it are measured again on
 * the new line, whose width may differ); with no opportunity, breaks right before g (forced).
 * Returns SIZE_MAX when out of memory. */
static size_t break_before_overflow(breaker *b, line_state *line, size_t g, bp_len width)
{
    if (line->fit_glyph_end > line->glyph_start) {
        size_t resume = line->fit_glyph_end, text = line->fit_text_end;
        if (emit(b, line, resume, text, line->fit_ink, false, false) != 0)
            return SIZE_MAX;
        start_line(line, resume, text, width);
        return resume;
    }
    size_t text = b->glyphs[g].cluster;
    if (emit(b, line, g, text, line->ink, true, false) != 0)
        return SIZE_MAX;
    start_line(line, g, text, width);
    return g;
}

/* Fills lines greedily; the last one ends the text and is hard. */
static int fill_lines(breaker *b, bp_len first_width, bp_len width)
{
    line_state line;
    start_line(&line, 0, 0, first_width);
    size_t g = 0;
    while (g < b->glyph_count) {
        cluster c;
        read_cluster(b, g, &c);
        /* A space never overflows: it hangs if the line ends after it. A line's first cluster
         * always stays, however wide, so no line is empty. */
        if (!c.hangs && g > line.glyph_start && line.run + c.advance > line.limit) {
            g = break_before_overflow(b, &line, g, width);
            if (g == SIZE_MAX)
                return -1;
            continue;
        }
        line.run += c.advance;
        if (!c.hangs)
            line.ink = line.run;
        g = c.glyph_end;
        if (c.must_break_after && g < b->glyph_count) {
            if (emit(b, &line, g, c.text_end, line.ink, false, true) != 0)
                return -1;
            start_line(&line, g, c.text_end, width);
        } else if (c.break_after) {
            line.fit_glyph_end = g;
            line.fit_text_end = c.text_end;
            line.fit_ink = line.ink;
        }
    }
    return emit(b, &line, b->glyph_count, b->len, line.ink, false, true);
}

/* ---- No lone last character ------------------------------------------------------------------
 * A paragraph, cell or header label whose last line holds one character (基本支 / 出, 年度工作计
 * / 划) reads as a mistake. Where the line before it can end at an earlier break and keep two
 * characters, it does: the last line then takes the characters after that break, as long as
 * they fit. The number of lines stays the same; a line that could only be broken by force is
 * left as it is. */

/* Characters of the text [start, end) that are not spaces hanging at the line's end. */
static size_t visible_chars(const char *text, size_t start, size_t end)
{
    size_t count = 0;
    for (size_t i = start, n; i < end; i += n)
        count += !hangs_at_line_end(bp_utf8_decode(text + i, end - i, &n));
    return count;
}

/* The width of glyphs [from, to) without the spaces that hang at their end. */
static int64_t ink_width(const breaker *b, size_t from, size_t to)
{
    int64_t run = 0, ink = 0;
    for (size_t g = from; g < to;) {
        cluster c;
        read_cluster(b, g, &c);
        run += c.advance;
        if (!c.hangs)
            ink = run;
        g = c.glyph_end;
    }
    return ink;
}

/* Moves the break between lines[i - 1] and lines[i] (the last line of its paragraph) to the
 * latest opportunity that gives the last line two characters or more, leaves the line before
 * two or more, and fits. */
static void balance_last_line(breaker *b, size_t i, bp_len first_width, bp_len width)
{
    bp_line *prev = &b->out->lines[i - 1], *last = &b->out->lines[i];
    if (prev->forced || prev->hard_end ||
        visible_chars(b->text, last->text_start, last->text_end) != 1)
        return;
    bp_len limit = i == 1 ? first_width : width;
    size_t best = SIZE_MAX, best_text = 0;
    for (size_t g = prev->glyph_start; g < prev->glyph_end;) {
        cluster c;
        read_cluster(b, g, &c);
        g = c.glyph_end;
        if (g >= prev->glyph_end || !c.break_after)
            continue;
        if (visible_chars(b->text, prev->text_start, c.text_end) >= 2 &&
            ink_width(b, g, last->glyph_end) <= width)
            best = g, best_text = c.text_end;
    }
    if (best == SIZE_MAX)
        return;
    int64_t prev_ink = ink_width(b, prev->glyph_start, best);
    if (prev_ink > limit)
        return;
    prev->glyph_end = last->glyph_start = best;
    prev->text_end = last->text_start = best_text;
    prev->width = (bp_len)prev_ink;
    last->width = (bp_len)ink_width(b, best, last->glyph_end);
}

static void balance_last_lines(breaker *b, bp_len first_width, bp_len width)
{
    for (size_t i = 1; i < b->out->count; i++)
        if (b->out->lines[i].hard_end)
            balance_last_line(b, i, first_width, width);
}

static void init_unibreak(void)
{
    init_linebreak();
}

int bp_break_lines(const bp_shaped *shaped, const char *text, size_t len, bp_len first_width,
                   bp_len width, bp_lines *lines)
{
    return bp_break_lines_with(shaped, text, len, first_width, width, 0, lines);
}

int bp_break_lines_with(const bp_shaped *shaped, const char *text, size_t len, bp_len first_width,
                        bp_len width, unsigned flags, bp_lines *lines)
{
    lines->count = 0;
    char small[SMALL_TEXT_BYTES];
    char *brks = len <= sizeof small ? small : malloc(len);
    if (!brks)
        return -1;
    if (len > 0) {
        pthread_once(&unibreak_once, init_unibreak);
        set_linebreaks_utf8((const utf8_t *)text, len, "zh", brks);
        apply_kinsoku(text, len, brks);
    }
    breaker b = {shaped->glyphs, shaped->count, text, len, brks, lines};
    int rc = fill_lines(&b, first_width, width);
    if (rc == 0 && (flags & BP_BREAK_NO_LONE_LAST))
        balance_last_lines(&b, first_width, width);
    if (brks != small)
        free(brks);
    if (rc != 0)
        lines->count = 0;
    return rc;
}

void bp_lines_free(bp_lines *lines)
{
    if (!lines)
        return;
    free(lines->lines);
    *lines = (bp_lines)BP_LINES_INIT;
}

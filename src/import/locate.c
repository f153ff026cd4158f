/*
 * locate.c: finds a table of the kind in the workbook: its sheet, by name or by the title it
 * prints, the money unit of its banner, and the cell of each header the profile names.
 *
 * Stage: import, under the profile, before any value is read. The facts that shaped it: the
 * same table comes under other sheet names in other workbooks, so a title (with or without the
 * year before it) finds it too; headers span several rows with merged group cells, whose label
 * Excel keeps in the merge's first cell, so a group label is the nearest label at or left of a
 * column in a row above; and the same leaf label ("预算数", "项目") stands under both sides of a
 * two-sided table, so a header is a path of labels from the group down.
 */
#include "read_int.h"

#include <stdio.h>
#include <string.h>

enum { TITLE_ROWS = 12, LABEL_KEY = 512 };

/* ---- Labels ---- */

static const char *skip_utf8_chars(const char *s, const char *const *set, size_t n, bool *hit)
{
    *hit = false;
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(set[i]);
            if (strncmp(s, set[i], len) == 0) {
                s += len;
                *hit = again = true;
            }
        }
    }
    return s;
}

/* The key with its numbering (一、 二． 1. (一) (1)) and a leading 其中: set aside. */
static const char *strip_numbering(const char *key)
{
    static const char *const numerals[] = {"一", "二", "三", "四", "五", "六", "七",
                                           "八", "九", "十", "0",  "1",  "2",  "3",
                                           "4",  "5",  "6",  "7",  "8",  "9"};
    static const char *const marks[] = {"、", ".", "．", "。"};
    const char *s = key;
    if (strncmp(s, "其中:", 7) == 0)
        s += 7;
    bool hit, mark;
    if (s[0] == '(') {
        const char *t = skip_utf8_chars(s + 1, numerals, 20, &hit);
        if (hit && *t == ')')
            return t + 1;
        return s;
    }
    const char *t = skip_utf8_chars(s, numerals, 20, &hit);
    if (!hit)
        return s;
    const char *u = skip_utf8_chars(t, marks, 4, &mark);
    return mark ? u : s;
}

bool im_same_line_label(const char *a, const char *b)
{
    char ka[LABEL_KEY], kb[LABEL_KEY];
    bp_label_key(a, ka, sizeof ka);
    bp_label_key(b, kb, sizeof kb);
    if (strcmp(ka, kb) == 0)
        return true;
    return strcmp(strip_numbering(ka), strip_numbering(kb)) == 0 && strip_numbering(ka)[0];
}

/* The key of a title without the year before it ("2026年部门收入预算总表" -> "部门收入预算总表"):
 * *year is set when it had one. */
static const char *title_key(const char *key, int *year)
{
    *year = 0;
    const char *s = key;
    if (strlen(s) > 7 && s[0] >= '1' && s[0] <= '2' && strspn(s, "0123456789") == 4 &&
        strncmp(s + 4, "年", 3) == 0) {
        *year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        s += 7;
        if (strncmp(s, "度", 3) == 0)
            s += 3;
    }
    return s;
}

/* Whether a cell's text prints one of the titles: the title itself, or ending with it (the unit's
 * name and the year before it). The year is kept in *year. */
static bool prints_title(const pf_labels *titles, const char *text, int *year)
{
    char key[LABEL_KEY], buf[LABEL_KEY];
    bp_label_key(text, key, sizeof key);
    const char *k = title_key(key, year);
    const char *y = *year ? NULL : strstr(key, "年"); /* the unit's name before the year */
    if (y && y - key >= 4 && strspn(y - 4, "0123456789") == 4)
        *year = (int)strtol(y - 4, NULL, 10);
    size_t klen = strlen(k);
    for (size_t i = 0; i < titles->count; i++) {
        int ignored;
        const char *w = title_key(pf_label_key(titles, i, buf, sizeof buf), &ignored);
        size_t wlen = strlen(w);
        if (wlen && klen >= wlen && strcmp(k + klen - wlen, w) == 0)
            return true;
    }
    return false;
}

/* ---- Sheets ---- */

/* The sheet printing one of the titles in its first rows, or -1; -2 when two do. */
long im_sheet_by_title(const bp_workbook *book, const pf_labels *titles, size_t *first,
                       size_t *second)
{
    long found = -1;
    for (size_t s = 0; s < bp_workbook_sheet_count(book); s++) {
        size_t n;
        const bp_cell *cells = bp_workbook_cells(book, s, &n);
        for (size_t i = 0; i < n && cells[i].row < TITLE_ROWS; i++) {
            int year;
            if (cells[i].type != BP_CELL_TEXT || !prints_title(titles, cells[i].value, &year))
                continue;
            if (found >= 0 && (size_t)found != s) {
                *first = (size_t)found;
                *second = s;
                return -2;
            }
            found = (long)s;
            break;
        }
    }
    return found;
}

/* The year of the title the sheet prints, kept for the unit when it is the first. */
static void note_year(im_ctx *ctx, const im_view *view)
{
    size_t n;
    const bp_cell *cells = bp_workbook_cells(ctx->book, view->sheet, &n);
    for (size_t i = 0; i < n && cells[i].row < TITLE_ROWS && !ctx->year; i++) {
        int year = 0;
        if (cells[i].type == BP_CELL_TEXT &&
            prints_title(&view->profile->titles, cells[i].value, &year) && year >= 2000 &&
            year <= 2100) {
            ctx->year = year;
            ctx->year_sheet = (uint32_t)view->sheet;
            ctx->year_row = cells[i].row;
            ctx->year_col = cells[i].col;
            im_cell_name(ctx, view->sheet, cells[i].row, cells[i].col, ctx->year_at);
        }
    }
}

/* Where the figures begin at the latest, so that headers are looked for above: the first row
 * holding two numbers (a code and a figure, or two figures), else the first holding one. A
 * banner's lone number (预算年度 | 2026) does not end the headers. */
static uint32_t first_number_row(const im_ctx *ctx, size_t sheet)
{
    size_t n;
    const bp_cell *cells = bp_workbook_cells(ctx->book, sheet, &n);
    uint32_t first = UINT32_MAX, row = UINT32_MAX;
    int in_row = 0;
    for (size_t i = 0; i < n; i++) {
        if (cells[i].type != BP_CELL_NUMBER && !cells[i].formula)
            continue;
        if (first == UINT32_MAX)
            first = cells[i].row;
        in_row = cells[i].row == row ? in_row + 1 : 1;
        row = cells[i].row;
        if (in_row == 2)
            return row;
    }
    return first;
}

/* The banner's money unit: "单位：元", "金额单位：万元". */
static void find_money_unit(im_ctx *ctx, im_view *view)
{
    const pf_labels *labels = &ctx->profile->money_units;
    size_t n;
    const bp_cell *cells = bp_workbook_cells(ctx->book, view->sheet, &n);
    for (size_t i = 0; i < n && cells[i].row < view->header_limit; i++) {
        if (cells[i].type != BP_CELL_TEXT)
            continue;
        char key[LABEL_KEY], buf[LABEL_KEY];
        bp_label_key(cells[i].value, key, sizeof key);
        for (size_t l = 0; l < labels->count; l++) {
            const char *label = pf_label_key(labels, l, buf, sizeof buf);
            const char *at = label[0] ? strstr(key, label) : NULL;
            if (!at)
                continue;
            const char *unit = at + strlen(label);
            if (strcmp(unit, "元") == 0 || strcmp(unit, "万元") == 0) {
                view->money_unit = strcmp(unit, "元") == 0 ? "元" : "万元";
                return;
            }
            im_cell_error(ctx, view->sheet, cells[i].row, cells[i].col,
                          "\"%s\": the money unit is neither 元 nor 万元", cells[i].value);
            return;
        }
    }
}

static void list_sheets(const im_ctx *ctx, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t s = 0; s < bp_workbook_sheet_count(ctx->book) && used + 8 < size; s++) {
        int n = snprintf(out + used, size - used, "%s%s", s ? ", " : "",
                         bp_workbook_sheet_name(ctx->book, s));
        if (n < 0 || (size_t)n >= size - used) {
            snprintf(out + used, size - used, ", …");
            break;
        }
        used += (size_t)n;
    }
}

/* Whether text is a table's number as sheet names carry it before the name: "2.17", "表3",
 * "03-", "附表1 ". */
static bool is_table_code(const char *text, size_t len)
{
    static const char *const words[] = {"附表", "表"};
    const char *s = text, *end = text + len;
    for (size_t i = 0; i < 2; i++)
        if ((size_t)(end - s) >= strlen(words[i]) && strncmp(s, words[i], strlen(words[i])) == 0)
            s += strlen(words[i]);
    bool digits = false;
    while (s < end) {
        if (*s >= '0' && *s <= '9')
            digits = true;
        else if (end - s >= 3 && strncmp(s, "、", 3) == 0)
            s += 2;
        else if (*s != '.' && *s != '-' && *s != '_')
            return false;
        s++;
    }
    return digits;
}

/* The sheet whose name is one of the names after a table's number ("2.17单位支出总表",
 * "表3 部门支出总表"), or -1. */
static long sheet_by_numbered_name(const bp_workbook *book, const pf_labels *names)
{
    for (size_t s = 0; s < bp_workbook_sheet_count(book); s++) {
        char key[LABEL_KEY], buf[LABEL_KEY];
        bp_label_key(bp_workbook_sheet_name(book, s), key, sizeof key);
        size_t klen = strlen(key);
        for (size_t i = 0; i < names->count; i++) {
            const char *want = pf_label_key(names, i, buf, sizeof buf);
            size_t wlen = strlen(want);
            if (wlen && klen > wlen && strcmp(key + klen - wlen, want) == 0 &&
                is_table_code(key, klen - wlen))
                return (long)s;
        }
    }
    return -1;
}

/* The table's sheet: by one of its names, by a name after a table's number, else by the title
 * it prints; -1 when none is, -2 when two sheets print the title (*first, *second). */
static long find_sheet(const bp_workbook *book, const pf_table *pt, size_t *first, size_t *second)
{
    long sheet = bp_workbook_find_sheet(book, pt->sheets.items, pt->sheets.count);
    if (sheet < 0)
        sheet = sheet_by_numbered_name(book, &pt->sheets);
    if (sheet < 0 && pt->titles.count)
        sheet = im_sheet_by_title(book, &pt->titles, first, second);
    return sheet;
}

bool im_find_table(im_ctx *ctx, const pf_table *pt, const bp_kind_table *kt, im_view *view)
{
    *view = (im_view){.profile = pt, .kind = kt};
    size_t first = 0, second = 0;
    long sheet = find_sheet(ctx->book, pt, &first, &second);
    if (sheet == -2) {
        im_cell_error(ctx, second, UINT32_MAX, 0,
                      "prints the title of %s as the sheet %s does; name the sheet in the "
                      "profile (tables.%s.sheet)",
                      kt->title, bp_workbook_sheet_name(ctx->book, first), kt->id);
        return false;
    }
    if (sheet < 0) {
        if (!pt->optional) {
            char names[1024];
            list_sheets(ctx, names, sizeof names);
            im_error(ctx, "", "no sheet holds %s: none is named %s%s%s (the workbook has %s)",
                     kt->title, pt->sheets.count ? pt->sheets.items[0] : "",
                     pt->titles.count ? " or prints the title " : "",
                     pt->titles.count ? pt->titles.items[0] : "", names);
        }
        return false;
    }
    view->sheet = (size_t)sheet;
    view->sheet_name = bp_workbook_sheet_name(ctx->book, view->sheet);
    view->header_limit = first_number_row(ctx, view->sheet);
    note_year(ctx, view);
    find_money_unit(ctx, view);
    if (!view->money_unit && kt->money_unit && !bp_workbook_has_formats(ctx->book))
        im_cell_warning(ctx, view->sheet, UINT32_MAX, 0,
                        "no banner says the money unit (单位：元): its figures are taken to be in "
                        "%s, the table's; an .xls does not give the number formats that could "
                        "say otherwise",
                        kt->money_unit);
    return true;
}

/* ---- Headers ---- */

void im_path_text(const pf_path *path, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < path->count && used < size; i++) {
        int n = snprintf(out + used, size - used, "%s%s", i ? " › " : "", path->steps[i].items[0]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* The label over column col in row: the cell itself, or the nearest label to its left (a
 * merged group cell keeps its label in its first cell). */
static const bp_cell *covering(const im_ctx *ctx, size_t sheet, uint32_t row, uint32_t col)
{
    for (uint32_t c = col + 1; c-- > 0;) {
        const bp_cell *cell = bp_workbook_cell(ctx->book, sheet, row, c);
        if (cell && cell->type == BP_CELL_TEXT && !im_is_filler(cell->value))
            return cell;
    }
    return NULL;
}

/* Whether the path's upper steps stand over the leaf at (row, col), each higher than the one
 * below it. */
static bool ancestors_match(const im_ctx *ctx, size_t sheet, const pf_path *path, uint32_t row,
                            uint32_t col)
{
    uint32_t r = row;
    for (size_t step = path->count - 1; step-- > 0;) {
        bool found = false;
        while (r-- > 0 && !found) {
            const bp_cell *above = covering(ctx, sheet, r, col);
            found = above && pf_labels_match(&path->steps[step], above->value);
        }
        if (!found)
            return false;
        r++;
    }
    return true;
}

im_header im_find_header(im_ctx *ctx, im_view *view, const pf_path *path, const char *what,
                         bool quiet)
{
    im_header best = {0}, tie = {0};
    size_t n;
    const bp_cell *cells = bp_workbook_cells(ctx->book, view->sheet, &n);
    for (size_t i = 0; i < n && cells[i].row < view->header_limit && path->count; i++) {
        const bp_cell *c = &cells[i];
        if (best.found && c->row > best.row)
            break;
        if (c->type != BP_CELL_TEXT || !pf_labels_match(&path->steps[path->count - 1], c->value) ||
            !ancestors_match(ctx, view->sheet, path, c->row, c->col))
            continue;
        if (best.found)
            tie = (im_header){true, c->row, c->col};
        else
            best = (im_header){true, c->row, c->col};
    }
    char text[600];
    im_path_text(path, text, sizeof text);
    if (tie.found && !quiet) {
        char a[32], b[32];
        bp_cell_ref(best.row, best.col, a);
        bp_cell_ref(tie.row, tie.col, b);
        im_cell_error(ctx, view->sheet, UINT32_MAX, 0,
                      "the header %s (for %s) is both %s and %s; the profile must say which "
                      "(a label above it)",
                      text, what, a, b);
        return (im_header){0};
    }
    if (!best.found && !quiet)
        im_cell_error(ctx, view->sheet, UINT32_MAX, 0,
                      "no header %s (for %s of %s) in the rows above the figures", text, what,
                      view->kind->title);
    if (best.found && best.row + 1 > view->data_first)
        view->data_first = best.row + 1;
    return best;
}

/* ---- The unit's name and code ---- */

const char *im_find_labelled(const im_ctx *ctx, const pf_labels *labels, size_t *sheet,
                             uint32_t *row, uint32_t *col, char *buf, size_t size)
{
    for (size_t l = 0; l < labels->count; l++) {
        char label_buf[LABEL_KEY];
        const char *label = pf_label_key(labels, l, label_buf, sizeof label_buf);
        size_t len = strlen(label);
        for (size_t s = 0; len && s < bp_workbook_sheet_count(ctx->book); s++) {
            size_t n;
            const bp_cell *cells = bp_workbook_cells(ctx->book, s, &n);
            for (size_t i = 0; i < n && cells[i].row < TITLE_ROWS; i++) {
                char key[LABEL_KEY];
                if (cells[i].type != BP_CELL_TEXT)
                    continue;
                bp_label_key(cells[i].value, key, sizeof key);
                if (strncmp(key, label, len) != 0)
                    continue;
                const bp_cell *at = &cells[i];
                const char *rest = key + len;
                /* "编制部门：" alone: the name in the cell beside it, unless that is another
                 * label ("单位：元"). */
                if (!rest[0] && i + 1 < n && cells[i + 1].row == at->row &&
                    cells[i + 1].col == at->col + 1 && cells[i + 1].type == BP_CELL_TEXT) {
                    at = &cells[i + 1];
                    bp_label_key(at->value, key, sizeof key);
                    rest = key;
                }
                if (!rest[0] || im_is_filler(rest) || strstr(rest, ":"))
                    continue;
                *sheet = s;
                *row = at->row;
                *col = at->col;
                snprintf(buf, size, "%s", rest);
                return buf;
            }
        }
    }
    return NULL;
}

/* ---- Which profile a workbook is for ---- */

size_t bp_profile_tables_found(const bp_profile *profile, const bp_workbook *book)
{
    size_t found = 0;
    for (size_t i = 0; i < profile->table_count; i++) {
        size_t first, second;
        if (find_sheet(book, &profile->tables[i], &first, &second) >= 0)
            found++;
    }
    return found;
}

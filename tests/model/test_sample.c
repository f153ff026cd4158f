/*
 * test_sample.c: samples/201001-2022.json against the published document it was transcribed
 * from (tests/data/seed-201001-2022.txt, the text of the 2022 PDF).
 *
 * The seed is read independently here: every data row of the nine tables (skipping the banner
 * and header rows the original repeated at each page break, joining the row it split across
 * pages, unwrapping codes it wrapped) and every indicator row of the 21 绩效目标表 is compared
 * with the model, cell by cell. Then the figures the original's text got wrong are pinned to
 * their corrected values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "budgetpress/refs.h"
#include "test_support.h"

enum { MAX_FIELDS = 16, MAX_ROWS = 64, MAX_PROJECTS = 32, MAX_INDICATORS = 16 };

/* One row of a seed table: its tab-separated cells, markup and wrap spaces removed. */
typedef struct seed_row {
    char *cells[MAX_FIELDS];
    int count;
} seed_row;

typedef struct seed_table {
    seed_row rows[MAX_ROWS];
    int count;
} seed_table;

typedef struct seed_project {
    char *name;
    seed_row indicators[MAX_INDICATORS];
    int count;
} seed_project;

typedef struct seed {
    seed_table tables[BP_TABLE__COUNT];
    seed_project projects[MAX_PROJECTS];
    int project_count;
} seed;

static bp_unit *sample;
static seed *published;

/* ---- Reading the seed ---- */

/* Removes <b>, </b>, <p>, </p> and every ASCII space: the seed's spaces inside cells are the
 * PDF's wrap points ("201110 2", "机构改革后 职责分工"), not content. */
static char *clean_cell(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] == '<') {
            const char *end = memchr(s + i, '>', len - i);
            if (end && end - (s + i) <= 3) {
                i = (size_t)(end - s) + 1;
                continue;
            }
        }
        if (s[i] != ' ')
            out[n++] = s[i];
        i++;
    }
    out[n] = '\0';
    return out;
}

static void split_row(const char *line, seed_row *row)
{
    row->count = 0;
    const char *start = line;
    for (;;) {
        const char *tab = strchr(start, '\t');
        size_t len = tab ? (size_t)(tab - start) : strlen(start);
        if (row->count < MAX_FIELDS)
            row->cells[row->count++] = clean_cell(start, len);
        if (!tab)
            break;
        start = tab + 1;
    }
}

static void free_row(seed_row *row)
{
    for (int i = 0; i < row->count; i++)
        free(row->cells[i]);
    row->count = 0;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static const struct {
    const char *heading;
    bp_table_id id;
} seed_headings[] = {
    {"## 单位预算收支总表", BP_TABLE_BUDGET_SUMMARY},
    {"## 单位预算收入总表", BP_TABLE_INCOME_SUMMARY},
    {"## 单位预算支出总表", BP_TABLE_EXPENSE_SUMMARY},
    {"## 单位预算财政拨款收支总表", BP_TABLE_FISCAL_SUMMARY},
    {"## 单位预算一般公共预算财政拨款支出表", BP_TABLE_GENERAL_EXPENSE},
    {"## 单位预算一般公共预算财政拨款基本支出表", BP_TABLE_GENERAL_BASIC},
    {"## 单位预算政府基金预算财政拨款支出表", BP_TABLE_GOV_FUND},
    {"## 单位预算国有资本经营预算财政拨款支出表", BP_TABLE_STATE_CAPITAL},
    {"## 单位预算财政拨款“三公”经费支出表", BP_TABLE_THREE_PUBLIC},
};

static int table_of_heading(const char *line)
{
    for (size_t i = 0; i < sizeof seed_headings / sizeof seed_headings[0]; i++)
        if (strcmp(line, seed_headings[i].heading) == 0)
            return (int)seed_headings[i].id;
    return -1;
}

/* "## 12、工委值班室建设经费绩效目标表" -> "工委值班室建设经费"; NULL for other lines. */
static char *project_of_heading(const char *line)
{
    while (*line == '#')
        line++;
    while (*line == ' ')
        line++;
    const char *mark = strstr(line, "、");
    const char *suffix = strstr(line, "绩效目标表");
    if (!mark || !suffix || !all_digits((char[]){line[0], '\0'}))
        return NULL;
    const char *name = mark + strlen("、");
    return clean_cell(name, (size_t)(suffix - name));
}

/* Appends the rest of a row that the original split across a page break. */
static void join_split_row(seed_row *previous, const seed_row *continuation)
{
    for (int i = 0; i < continuation->count && i < previous->count; i++) {
        if (!continuation->cells[i][0])
            continue;
        size_t a = strlen(previous->cells[i]), b = strlen(continuation->cells[i]);
        previous->cells[i] = realloc(previous->cells[i], a + b + 1);
        memcpy(previous->cells[i] + a, continuation->cells[i], b + 1);
    }
}

static void read_table_line(seed_table *table, seed_row *row, bool header_done)
{
    if (all_digits(row->cells[0]) && table->count < MAX_ROWS) {
        table->rows[table->count++] = *row;
        return;
    }
    /* A row with no 序号 and no code after the 栏次 line continues the previous one. */
    if (header_done && table->count > 0 && row->count > 2 && !row->cells[0][0] && !row->cells[1][0])
        join_split_row(&table->rows[table->count - 1], row);
    free_row(row);
}

static void read_project_line(seed_project *project, seed_row *row)
{
    /* Indicator rows have six cells and are not the header row (一级指标 …) or the 绩效目标 row. */
    bool indicator = row->count >= 6 && strcmp(row->cells[0], "一级指标") != 0 &&
                     strcmp(row->cells[0], "绩效目标") != 0 && row->cells[2][0];
    if (indicator && project->count < MAX_INDICATORS) {
        project->indicators[project->count++] = *row;
        return;
    }
    free_row(row);
}

static seed *read_seed(void)
{
    FILE *f = fopen(SEED_PATH, "r");
    assert_non_null(f);
    seed *s = calloc(1, sizeof *s);
    char line[8192];
    int table = -1;
    seed_project *project = NULL;
    bool header_done = false;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#') {
            int t = table_of_heading(line);
            char *name = project_of_heading(line);
            table = t;
            project = NULL;
            if (name && s->project_count < MAX_PROJECTS) {
                project = &s->projects[s->project_count++];
                project->name = name;
            } else {
                free(name);
            }
            continue;
        }
        if (!strchr(line, '\t'))
            continue;
        seed_row row;
        split_row(line, &row);
        if (strcmp(row.cells[0], "栏次") == 0 || strcmp(row.cells[0], "档次") == 0)
            header_done = true;
        else if (strcmp(row.cells[0], "序号") == 0)
            header_done = false;
        if (table >= 0)
            read_table_line(&s->tables[table], &row, header_done);
        else if (project)
            read_project_line(project, &row);
        else
            free_row(&row);
    }
    fclose(f);
    return s;
}

static void free_seed(seed *s)
{
    for (int t = 0; t < BP_TABLE__COUNT; t++)
        for (int r = 0; r < s->tables[t].count; r++)
            free_row(&s->tables[t].rows[r]);
    for (int p = 0; p < s->project_count; p++) {
        free(s->projects[p].name);
        for (int i = 0; i < s->projects[p].count; i++)
            free_row(&s->projects[p].indicators[i]);
    }
    free(s);
}

static int setup(void **state)
{
    bp_diags diags = BP_DIAGS_INIT;
    if (bp_unit_load_file(SAMPLE_PATH, &sample, &diags) != 0) {
        print_diags_to_stderr(&diags);
        bp_diags_clear(&diags);
        return -1;
    }
    bp_diags_clear(&diags);
    published = read_seed();
    return 0;
}

static int teardown(void **state)
{
    bp_unit_destroy(sample);
    free_seed(published);
    return 0;
}

/* ---- Comparing ---- */

/* Names compare with ASCII parentheses, the seed mixing "(室)" and "（室）" between tables. */
static char *normalise_name(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        if (strncmp(s + i, "（", 3) == 0) {
            out[n++] = '(';
            i += 3;
        } else if (strncmp(s + i, "）", 3) == 0) {
            out[n++] = ')';
            i += 3;
        } else if (s[i] != ' ') {
            out[n++] = s[i++];
        } else {
            i++;
        }
    }
    out[n] = '\0';
    return out;
}

static void assert_same_name(const char *seed_name, const char *model_name)
{
    char *a = normalise_name(seed_name), *b = normalise_name(model_name);
    if (strcmp(a, b) != 0)
        fail_msg("name: published \"%s\", sample \"%s\"", seed_name, model_name);
    free(a);
    free(b);
}

static void assert_same_amount(const char *seed_cell, bp_amount model, const char *where)
{
    char text[BP_AMOUNT_FORMAT_MAX];
    bp_amount_format(model, false, text);
    if (strcmp(seed_cell, text) != 0)
        fail_msg("%s: published \"%s\", sample \"%s\"", where, seed_cell, text);
}

/* Compares cells [first, first + columns) of a seed row with a model row's amounts. */
static void assert_same_amounts(const seed_row *row, int first, const bp_row *model)
{
    for (int c = 0; c < model->columns->count; c++) {
        const char *cell = first + c < row->count ? row->cells[first + c] : "";
        char where[96];
        snprintf(where, sizeof where, "row %s column %s", row->cells[0],
                 bp_column_key(model->columns->ids[c]));
        assert_same_amount(cell, model->amounts[c], where);
    }
}

/* Strips a leading Chinese ordinal ("一、", "二十六、"). */
static const char *without_ordinal(const char *name)
{
    const char *mark = strstr(name, "、");
    return mark && mark - name <= 9 ? mark + strlen("、") : name;
}

static void compare_ledger(bp_table_id id, int seed_columns)
{
    const seed_table *table = &published->tables[id];
    const bp_ledger *ledger = bp_unit_ledger(sample, id);
    const bp_table_spec *spec = bp_table_spec_get(id);
    if (table->count == 0) {
        assert_int_equal(ledger->row_count, 0);
        assert_false(ledger->has_total);
        return;
    }
    /* Row 1 is 合计; every other row is a classified row, in order. */
    assert_int_equal(table->count, (int)ledger->row_count + 1);
    assert_string_equal(table->rows[0].cells[2], "合计");
    assert_true(ledger->has_total);
    assert_same_amounts(&table->rows[0], 3, &ledger->total);
    for (size_t r = 0; r < ledger->row_count; r++) {
        const seed_row *row = &table->rows[r + 1];
        assert_string_equal(row->cells[1], ledger->rows[r].code);
        assert_same_name(row->cells[2], ledger->rows[r].name);
        assert_same_amounts(row, 3, &ledger->rows[r]);
        /* Columns the official table prints beyond the model's set are blank in the seed. */
        for (int c = 3 + spec->columns->count; c < row->count && c < 3 + seed_columns; c++)
            assert_string_equal(row->cells[c], "");
    }
}

/* A two-sided table's rows: the lines of both sides side by side, then the year totals, the
 * carryover row and its lines, then the grand totals. */
static void compare_side_cell(const seed_row *row, int name_cell, const bp_row *line)
{
    if (!line) {
        assert_string_equal(row->cells[name_cell], "");
        return;
    }
    if (line->name)
        assert_same_name(without_ordinal(row->cells[name_cell]), line->name);
    assert_same_amounts(row, name_cell + 1, line);
}

static const bp_row *nth_line(const bp_row *lines, size_t count, size_t i)
{
    return i < count ? &lines[i] : NULL;
}

static void compare_two_sided(bp_table_id id)
{
    const seed_table *table = &published->tables[id];
    const bp_two_sided *t = bp_unit_two_sided(sample, id);
    const bp_side *in = &t->income, *out = &t->expense;
    size_t lines = in->line_count > out->line_count ? in->line_count : out->line_count;
    size_t carry = in->carryover_line_count > out->carryover_line_count ? in->carryover_line_count
                                                                        : out->carryover_line_count;
    assert_int_equal(table->count, (int)(lines + 2 + carry + 1));
    int expense_cell = 3;
    for (int r = 0; r < table->count; r++) {
        const seed_row *row = &table->rows[r];
        size_t i = (size_t)r;
        const bp_row *a, *b;
        if (i < lines) {
            a = nth_line(in->lines, in->line_count, i);
            b = nth_line(out->lines, out->line_count, i);
        } else if (i == lines) {
            a = &in->year_total;
            b = &out->year_total;
        } else if (i == lines + 1) {
            a = &in->carryover;
            b = &out->carryover;
        } else if (i < lines + 2 + carry) {
            a = nth_line(in->carryover_lines, in->carryover_line_count, i - lines - 2);
            b = nth_line(out->carryover_lines, out->carryover_line_count, i - lines - 2);
        } else {
            a = &in->grand_total;
            b = &out->grand_total;
        }
        compare_side_cell(row, 1, a);
        compare_side_cell(row, expense_cell, b);
    }
}

static void nine_tables_match_the_published_rows(void **state)
{
    compare_two_sided(BP_TABLE_BUDGET_SUMMARY);
    compare_ledger(BP_TABLE_INCOME_SUMMARY, 10);
    compare_ledger(BP_TABLE_EXPENSE_SUMMARY, 6);
    compare_two_sided(BP_TABLE_FISCAL_SUMMARY);
    compare_ledger(BP_TABLE_GENERAL_EXPENSE, 3);
    compare_ledger(BP_TABLE_GENERAL_BASIC, 3);
    compare_ledger(BP_TABLE_GOV_FUND, 3);
    compare_ledger(BP_TABLE_STATE_CAPITAL, 3);

    const seed_table *tp = &published->tables[BP_TABLE_THREE_PUBLIC];
    assert_int_equal(tp->count, BP_3P__COUNT);
    for (int i = 0; i < BP_3P__COUNT; i++) {
        assert_same_name(tp->rows[i].cells[1], sample->three_public.items[i].name);
        assert_same_amounts(&tp->rows[i], 2, &sample->three_public.items[i]);
    }
}

static void row_counts_and_totals(void **state)
{
    assert_int_equal(sample->budget_summary.income.line_count, 9);
    assert_int_equal(sample->budget_summary.expense.line_count, 30);
    assert_int_equal(sample->income_summary.row_count, 22);
    assert_int_equal(sample->expense_summary.row_count, 22);
    assert_int_equal(sample->fiscal_summary.income.line_count, 3);
    assert_int_equal(sample->fiscal_summary.income.carryover_line_count, 3);
    assert_int_equal(sample->fiscal_summary.expense.line_count, 30);
    assert_int_equal(sample->general_expense.row_count, 22);
    assert_int_equal(sample->general_basic.row_count, 26);
    assert_int_equal(sample->gov_fund_expense.row_count, 0);
    assert_int_equal(sample->state_capital_expense.row_count, 0);

    assert_int_equal(
        bp_row_amount(&sample->budget_summary.income.grand_total, BP_COL_TOTAL).hundredths, 84745);
    assert_int_equal(
        bp_row_amount(&sample->budget_summary.expense.grand_total, BP_COL_TOTAL).hundredths, 84745);
    const bp_row *expense_total = &sample->expense_summary.total;
    assert_int_equal(bp_row_amount(expense_total, BP_COL_TOTAL).hundredths, 84745);
    assert_int_equal(bp_row_amount(expense_total, BP_COL_BASIC).hundredths, 73517);
    assert_int_equal(bp_row_amount(expense_total, BP_COL_PROJECT).hundredths, 11228);
    assert_true(bp_amount_is_blank(bp_row_amount(expense_total, BP_COL_OPERATING_EXPENSE)));
    const bp_row *basic_total = &sample->general_basic.total;
    assert_int_equal(bp_row_amount(basic_total, BP_COL_PERSONNEL).hundredths, 65564);
    assert_int_equal(bp_row_amount(basic_total, BP_COL_PUBLIC).hundredths, 7953);
    assert_int_equal(
        bp_row_amount(&sample->three_public.items[BP_3P_TOTAL], BP_COL_GENERAL_BUDGET).hundredths,
        879);
    assert_int_equal(
        bp_row_amount(&sample->three_public.items[BP_3P_RECEPTION], BP_COL_TOTAL).hundredths, 55);
    assert_true(bp_amount_is_blank(
        bp_row_amount(&sample->three_public.items[BP_3P_OVERSEAS], BP_COL_TOTAL)));
    assert_string_equal(sample->gov_fund_expense.note, "无政府基金预算财政拨款预算，空表列示。");
    assert_string_equal(sample->state_capital_expense.note,
                        "无国有资本经营预算财政拨款预算，空表列示。");
}

static void the_split_row_and_wrapped_codes_are_whole(void **state)
{
    /* Defect 1: 收入总表 row 10 was split "社会保障和就" / "业支出". */
    const bp_row *row = &sample->income_summary.rows[8];
    assert_string_equal(row->code, "208");
    assert_string_equal(row->name, "社会保障和就业支出");
    assert_int_equal(bp_row_amount(row, BP_COL_FISCAL_GRANT).hundredths, 15835);
    /* Defect 3: 支出总表 printed "201110 2". */
    assert_string_equal(sample->expense_summary.rows[2].code, "2011102");
    assert_string_equal(sample->expense_summary.rows[2].name, "一般行政管理事务");
}

static void sample_names_and_amounts(void **state)
{
    const bp_ledger *basic = &sample->general_basic;
    assert_string_equal(basic->rows[12].code, "30202");
    assert_string_equal(basic->rows[12].name, "印刷费");
    assert_int_equal(bp_row_amount(&basic->rows[12], BP_COL_PUBLIC).hundredths, 224);
    assert_string_equal(basic->rows[25].code, "30399");
    assert_int_equal(bp_row_amount(&basic->rows[25], BP_COL_PERSONNEL).hundredths, 51);
    const bp_row *last = &sample->general_expense.rows[21];
    assert_string_equal(last->code, "2210201");
    assert_string_equal(last->name, "住房公积金");
    assert_int_equal(bp_row_amount(last, BP_COL_BASIC).hundredths, 3850);
    assert_string_equal(sample->budget_summary.expense.lines[29].code, "234");
    assert_string_equal(sample->budget_summary.expense.lines[29].name, "抗疫特别国债安排的支出");
}

static void project_tables_match_the_published_cells(void **state)
{
    const bp_performance *perf = &sample->performance;
    assert_int_equal(published->project_count, 21);
    assert_int_equal(perf->project_count, 21);
    size_t indicators = 0;
    for (int p = 0; p < published->project_count; p++) {
        const seed_project *sp = &published->projects[p];
        const bp_project *mp = &perf->projects[p];
        assert_same_name(sp->name, mp->name);
        assert_int_equal(sp->count, (int)mp->indicator_count);
        const char *level1 = "", *level2 = "";
        for (int i = 0; i < sp->count; i++) {
            const seed_row *row = &sp->indicators[i];
            const bp_indicator *ind = &mp->indicators[i];
            /* Merged cells print their label once; the model carries it on every row. */
            if (row->cells[0][0])
                level1 = row->cells[0];
            if (row->cells[1][0])
                level2 = row->cells[1];
            assert_same_name(level1, ind->level1);
            assert_same_name(level2, ind->level2);
            assert_same_name(row->cells[2], ind->level3);
            assert_same_name(row->cells[3], ind->description);
            assert_same_name(row->cells[4], ind->value);
            assert_same_name(row->cells[5], ind->basis);
        }
        indicators += mp->indicator_count;
    }
    assert_int_equal(indicators, 145);
    /* What is content, not a defect, stays as printed. */
    assert_true(perf->projects[1].classified);
    assert_string_equal(perf->projects[1].indicators[0].level3, "涉密");
    assert_true(perf->projects[14].classified);
    assert_string_equal(perf->projects[12].indicators[2].value, "101%");
    assert_string_equal(perf->projects[17].indicators[4].value, "≤100%");
}

static void explanation_parts(void **state)
{
    const bp_section *duties = &sample->explanation.sections[BP_SEC_DUTIES];
    assert_int_equal(duties->blocks[1].kind, BP_BLOCK_LIST);
    assert_int_equal(duties->blocks[1].item_count, 16);
    assert_string_equal(duties->blocks[1].items[15], "完成工委交办的其他任务。");
    assert_int_equal(sample->organisation_count, 1);
    assert_string_equal(sample->organisations[0].level, "副处(县)级");
    assert_int_equal(sample->performance.group_count, 8);
    assert_int_equal(sample->performance.safeguard_count, 8);
    assert_string_equal(sample->performance.safeguards[7].text, "无");
    assert_int_equal(sample->glossary_count, 10);
    assert_string_equal(sample->glossary[6].term, "“三公”经费");
    assert_int_equal(sample->procurement.row_count, 0);
    assert_int_equal(sample->procurement.note_count, 2);
    assert_int_equal(sample->assets.row_count, 5);
    bp_amount sum = bp_amount_blank();
    for (size_t i = 0; i < sample->assets.row_count; i++)
        bp_amount_accumulate(&sum, sample->assets.rows[i].value);
    assert_int_equal(sum.hundredths, sample->assets.total_value.hundredths);
    assert_int_equal(sum.hundredths, 88583);
    assert_string_equal(sample->assets.as_of, "2021-12-31");
}

/* Adds up every "N.NN 万元" after "其中" in a paragraph: the items a text claims to list. */
static int64_t sum_listed_amounts(const char *text)
{
    const char *p = strstr(text, "其中");
    int64_t sum = 0;
    while (p && (p = strstr(p, " 万元"))) {
        const char *start = p;
        while (start > text && ((start[-1] >= '0' && start[-1] <= '9') || start[-1] == '.'))
            start--;
        bp_amount a;
        if (bp_amount_parse(start, (size_t)(p - start), &a))
            sum += a.hundredths;
        p += strlen(" 万元");
    }
    return sum;
}

/* The section's first paragraph as printed: its figures are references to the tables. */
static const char *first_paragraph(bp_section_id id, char *printed, size_t size)
{
    const bp_section *section = &sample->explanation.sections[id];
    for (size_t b = 0; b < section->block_count; b++) {
        if (section->blocks[b].kind != BP_BLOCK_PARAGRAPH)
            continue;
        size_t bad = 0;
        size_t length =
            bp_refs_expand(sample, section->blocks[b].text, "", printed, size, NULL, &bad);
        assert_int_equal(bad, 0);
        assert_true(length < size);
        return printed;
    }
    return "";
}

static void narrative_figures_agree_with_the_tables(void **state)
{
    /* Defect 4: the text said 9.00 for the 三公 total the table gives as 8.79. */
    char buffers[3][2048];
    const char *three_public = first_paragraph(BP_SEC_THREE_PUBLIC, buffers[0], sizeof buffers[0]);
    assert_non_null(strstr(three_public, "2022 年“三公”经费合计 8.79 万元"));
    assert_null(strstr(three_public, "9.00"));
    /* Defect 4: the listed 机关运行经费 items added up to 123.87, not the stated 79.53. */
    const char *operating = first_paragraph(BP_SEC_OPERATING_COSTS, buffers[1], sizeof buffers[1]);
    assert_non_null(strstr(operating, "总计 79.53 万元"));
    assert_int_equal(sum_listed_amounts(operating), 7953);
    assert_non_null(strstr(operating, "印刷费 2.24 万元"));
    const char *overview = first_paragraph(BP_SEC_OVERVIEW, buffers[2], sizeof buffers[2]);
    assert_non_null(strstr(overview, "847.45"));
    assert_non_null(strstr(overview, "655.64"));
    assert_int_equal(sample->previous_year[BP_PREV_TOTAL_EXPENSE].hundredths, 100270);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nine_tables_match_the_published_rows),
        cmocka_unit_test(row_counts_and_totals),
        cmocka_unit_test(the_split_row_and_wrapped_codes_are_whole),
        cmocka_unit_test(sample_names_and_amounts),
        cmocka_unit_test(project_tables_match_the_published_cells),
        cmocka_unit_test(explanation_parts),
        cmocka_unit_test(narrative_figures_agree_with_the_tables),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

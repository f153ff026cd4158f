/*
 * cmd_compare.c: budgetpress compare OLD NEW: what changed between two renderings of one unit
 * (two PDFs) or of a whole region (two folders of PDFs, units paired by their code, then by
 * their file name). Prints one line per changed unit (and, for one unit, each change), writes
 * report.json and an HTML report with pictures, and exits 0 when nothing differs, 1 when
 * something does, 2 when an input cannot be read.
 *
 * Memory stays flat in the number of units: a first pass reads each PDF's record only to learn
 * its unit and a digest, then each pair is compared on a worker thread, its report page written
 * and the comparison freed; only changed units keep their details for report.json.
 *
 * It runs as its own program, budgetpress-compare (compare_main.c), which `budgetpress compare`
 * executes (compare_entry.c): reading PDFs takes libqpdf, poppler and cairo, fifty shared
 * libraries whose loading would cost every other command 14 ms at start.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../util/util.h"
#include "compare_cli.h"

/* ---- Pairing the units ---- */

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool ends_with_pdf(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcasecmp(name + n - 4, ".pdf") == 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The PDFs directly in a folder, sorted by name. */
static int list_pdfs(const char *dir, char ***names, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    size_t capacity = 0;
    *names = NULL;
    *count = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || !ends_with_pdf(e->d_name))
            continue;
        void *grown = bp_grow(*names, &capacity, *count + 1, sizeof **names, 64);
        if (grown)
            *names = grown; /* kept at once: the old array may be gone */
        char *copy = grown ? strdup(e->d_name) : NULL;
        if (!copy) {
            for (size_t i = 0; i < *count; i++)
                free((*names)[i]);
            free(*names);
            *names = NULL;
            closedir(d);
            return -1;
        }
        (*names)[(*count)++] = copy;
    }
    closedir(d);
    if (*count)
        qsort(*names, *count, sizeof **names, compare_names);
    return 0;
}

/* What the first pass learns of a PDF: its unit and its record's digest. */
typedef struct pdf_entry {
    char *path, *name;
    char code[64], unit_name[256];
    bool has_record, unreadable, taken;
    unsigned char record[32];
    char why[320];
} pdf_entry;

static void read_entry(pdf_entry *e)
{
    bp_cmp_source s;
    if (bp_cmp_source_open(e->path, &s) != 0)
        e->unreadable = true;
    snprintf(e->why, sizeof e->why, "%s", s.why);
    if (s.state == BP_CMP_RECORD) {
        e->has_record = true;
        bp_cmp_sha256(s.record, s.record_size, e->record);
        bp_doc_info info;
        bp_document *holder;
        if (bp_record_identity(s.record, s.record_size, &info, &holder) == 0) {
            snprintf(e->code, sizeof e->code, "%s", info.unit_code ? info.unit_code : "");
            snprintf(e->unit_name, sizeof e->unit_name, "%s", info.unit_name ? info.unit_name : "");
            bp_document_destroy(holder);
        }
    }
    bp_cmp_source_free(&s);
}

typedef struct entry_job {
    pdf_entry *entries;
    size_t count;
} entry_job;

static void read_entries(void *ctx, size_t first, size_t stride)
{
    entry_job *job = ctx;
    for (size_t i = first; i < job->count; i += stride)
        read_entry(&job->entries[i]);
}

static pdf_entry *folder_entries(const char *dir, size_t *count, int threads)
{
    char **names;
    if (list_pdfs(dir, &names, count) != 0)
        return NULL;
    pdf_entry *entries = calloc(*count + 1, sizeof *entries);
    for (size_t i = 0; entries && i < *count; i++) {
        size_t n = strlen(dir) + strlen(names[i]) + 2;
        entries[i].name = names[i];
        entries[i].path = malloc(n);
        if (entries[i].path)
            snprintf(entries[i].path, n, "%s/%s", dir, names[i]);
        names[i] = NULL;
    }
    for (size_t i = 0; i < *count; i++)
        free(names[i]);
    free(names);
    if (entries) {
        entry_job job = {entries, *count};
        bp_run_strided(bp_strided_threads(threads, *count), read_entries, &job);
    }
    return entries;
}

static void free_entries(pdf_entry *e, size_t count)
{
    for (size_t i = 0; e && i < count; i++) {
        free(e[i].path);
        free(e[i].name);
    }
    free(e);
}

static int add_unit(cmp_run *run, size_t *capacity, const pdf_entry *a, const pdf_entry *b)
{
    void *grown = bp_grow(run->units, capacity, run->count + 1, sizeof *run->units, 64);
    if (!grown)
        return -1;
    run->units = grown;
    cmp_unit *u = &run->units[run->count++];
    memset(u, 0, sizeof *u);
    const pdf_entry *any = b ? b : a;
    u->old_path = a ? strdup(a->path) : NULL;
    u->new_path = b ? strdup(b->path) : NULL;
    snprintf(u->code, sizeof u->code, "%s", any->code);
    snprintf(u->name, sizeof u->name, "%s", any->unit_name);
    u->old_has_record = a && a->has_record;
    u->new_has_record = b && b->has_record;
    if (a)
        memcpy(u->old_record, a->record, 32);
    if (b)
        memcpy(u->new_record, b->record, 32);
    u->status = !a ? BP_PAIR_ADDED : !b ? BP_PAIR_REMOVED : BP_PAIR_DIFFERENT;
    return (a && !u->old_path) || (b && !u->new_path) ? -1 : 0;
}

/* Pairs old and new PDFs: by unit code where both records name one, then by file name. */
static int pair_folders(cmp_run *run, pdf_entry *old_e, size_t na, pdf_entry *new_e, size_t nb)
{
    size_t capacity = 0;
    for (size_t j = 0; j < nb; j++) {
        pdf_entry *b = &new_e[j], *match = NULL;
        for (size_t i = 0; i < na && !match && b->code[0]; i++)
            if (!old_e[i].taken && strcmp(old_e[i].code, b->code) == 0)
                match = &old_e[i];
        for (size_t i = 0; i < na && !match; i++)
            if (!old_e[i].taken && !old_e[i].code[0] == !b->code[0] &&
                strcmp(old_e[i].name, b->name) == 0)
                match = &old_e[i];
        for (size_t i = 0; i < na && !match; i++)
            if (!old_e[i].taken && strcmp(old_e[i].name, b->name) == 0)
                match = &old_e[i];
        if (match)
            match->taken = true;
        b->taken = true;
        if (add_unit(run, &capacity, match, b) != 0)
            return -1;
    }
    for (size_t i = 0; i < na; i++)
        if (!old_e[i].taken && add_unit(run, &capacity, &old_e[i], NULL) != 0)
            return -1;
    return 0;
}

/* Every character of a file name but ASCII letters, digits, '-' and '_' made '_': the report's
 * file names are safe in any file system and in a link. */
static void plain_name(char *name)
{
    for (char *p = name; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              *p == '-' || *p == '_'))
            *p = '_';
}

/* A file-name stem for the unit's page and pictures: its code, else its file's name, made
 * unique by a number. */
static void name_slugs(cmp_run *run)
{
    for (size_t i = 0; i < run->count; i++) {
        cmp_unit *u = &run->units[i];
        const char *path = u->new_path ? u->new_path : u->old_path;
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        char stem[100];
        snprintf(stem, sizeof stem, "%s", u->code[0] ? u->code : base);
        plain_name(stem);
        if (ends_with_pdf(stem))
            stem[strlen(stem) - 4] = '\0';
        snprintf(u->slug, sizeof u->slug, "%s", stem);
        for (int n = 2;; n++) {
            bool taken = false;
            for (size_t j = 0; j < i && !taken; j++)
                taken = strcmp(run->units[j].slug, u->slug) == 0;
            if (!taken)
                break;
            snprintf(u->slug, sizeof u->slug, "%s-%d", stem, n);
        }
    }
}

/* ---- Comparing ---- */

static char *line_for(const cmp_unit *u, const bp_comparison *c, bool first_change)
{
    bp_strbuf sb = BP_STRBUF_INIT;
    if (u->code[0] || u->name[0])
        bp_strbuf_printf(&sb, "%s%s%s：", u->code, u->code[0] && u->name[0] ? " " : "", u->name);
    else /* a PDF without a record: its file */
        bp_strbuf_printf(&sb, "%s：", u->new_path ? u->new_path : u->old_path);
    switch (u->status) {
    case BP_PAIR_SAME:
        bp_strbuf_printf(&sb, "无变化（%zu 页）", u->new_pages);
        break;
    case BP_PAIR_ADDED:
        bp_strbuf_printf(&sb, "新增（只在新的一方）");
        break;
    case BP_PAIR_REMOVED:
        bp_strbuf_printf(&sb, "缺失（只在原来的一方）");
        break;
    case BP_PAIR_UNREADABLE:
        bp_strbuf_printf(&sb, "无法读取：%s", u->why ? u->why : "");
        break;
    case BP_PAIR_DIFFERENT:
        bp_strbuf_printf(&sb,
                         "数据变更 %zu 处，版式变更 %zu 处；页面 %zu → %zu：有变化 %zu 页，仅版式 "
                         "%zu 页，顺延 %zu "
                         "页%s",
                         u->data_changes, u->layout_changes, u->old_pages, u->new_pages,
                         u->changed_pages, u->layout_pages, u->shifted_pages,
                         u->pixel_only ? "（仅比较像素）" : "");
        if (first_change && c && c->change_count)
            bp_strbuf_printf(&sb, "；%s", c->changes[0].message);
        break;
    }
    char *line = bp_strbuf_take(&sb);
    return line;
}

/* What identifies the changes, so that units changed the same way are told together: each
 * change's kind, table, row, column and texts, not its pages. */
static uint64_t signature(const bp_comparison *c)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < c->change_count; i++) {
        const bp_change *ch = &c->changes[i];
        const char *parts[] = {bp_change_kind_key(ch->kind),
                               ch->table,
                               ch->row,
                               ch->column,
                               ch->old_text,
                               ch->new_text,
                               ch->table || ch->path || ch->old_page ? "" : ch->message};
        for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
            for (const char *p = parts[k] ? parts[k] : ""; *p; p++)
                h = (h ^ (unsigned char)*p) * 1099511628211ULL;
            h = (h ^ 0xff) * 1099511628211ULL;
        }
    }
    return h;
}

static void summarise(cmp_run *run, cmp_unit *u, const bp_comparison *c)
{
    u->status = c->status;
    u->pixel_only = c->pixel_only;
    u->old_pages = c->old_pages;
    u->new_pages = c->new_pages;
    u->data_changes = c->data_changes;
    u->layout_changes = c->layout_changes;
    if (c->code[0])
        snprintf(u->code, sizeof u->code, "%s", c->code);
    if (c->name[0])
        snprintf(u->name, sizeof u->name, "%s", c->name);
    for (size_t k = 0; k < c->page_count; k++) {
        bp_page_status s = c->pages[k].status;
        u->changed_pages += s != BP_PAGE_SAME && s != BP_PAGE_SHIFTED && s != BP_PAGE_LAYOUT;
        u->layout_pages += s == BP_PAGE_LAYOUT;
        u->shifted_pages += s == BP_PAGE_SHIFTED;
    }
    if (c->status == BP_PAIR_UNREADABLE)
        u->why = strdup(c->why);
    u->fails = bp_comparison_fails(c, run->fail_data, run->fail_layout);
    u->signature = c->status == BP_PAIR_DIFFERENT ? signature(c) : 0;
    u->line = line_for(u, c, run->folders);
}

static void compare_unit(cmp_run *run, cmp_unit *u)
{
    if (u->status == BP_PAIR_ADDED || u->status == BP_PAIR_REMOVED) {
        u->fails = run->fail_data;
        u->line = line_for(u, NULL, false);
        u->json = cmp_report_unit_json(u, NULL);
        u->done = true;
        return;
    }
    char prefix[160];
    snprintf(prefix, sizeof prefix, "img/%s/", u->slug);
    bp_compare_options opts = {
        .picture_dir = run->out_dir, .picture_prefix = prefix, .dpi = run->dpi};
    bp_comparison *c = bp_compare_files(u->old_path, u->new_path, &opts);
    if (!c) {
        u->status = BP_PAIR_UNREADABLE;
        u->why = strdup("out of memory");
        u->line = line_for(u, NULL, false);
        u->done = true;
        return;
    }
    summarise(run, u, c);
    /* An unchanged unit of a folder is a line in the index; one PDF pair always has its page. */
    bool detailed = c->status != BP_PAIR_SAME || !run->folders;
    if (detailed)
        u->json = cmp_report_unit_json(u, c);
    if (detailed && run->out_dir && cmp_report_unit_page(run, u, c) != 0)
        run->failed_writes++;
    bp_comparison_free(c);
    u->done = true;
}

/* Two records of the same digest (and every page checked against its record when read)
 * describe the same pages: the unit is the same, with nothing more read. */
static bool known_same(const cmp_unit *u)
{
    return u->old_has_record && u->new_has_record && memcmp(u->old_record, u->new_record, 32) == 0;
}

static void *worker(void *ctx)
{
    cmp_run *run = ctx;
    for (;;) {
        if (atomic_load(&run->signals.stop))
            break;
        size_t i = atomic_fetch_add(&run->next, 1);
        if (i >= run->count)
            break;
        cmp_unit *u = &run->units[i];
        if (run->folders && known_same(u)) {
            u->status = BP_PAIR_SAME;
            u->line = line_for(u, NULL, false);
            u->done = true;
            continue;
        }
        compare_unit(run, u);
    }
    return NULL;
}

static void run_workers(cmp_run *run)
{
    int threads = run->threads > 0 ? run->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1)
        threads = 1;
    if ((size_t)threads > run->count)
        threads = run->count ? (int)run->count : 1;
    pthread_t ids[64];
    int started = 0;
    for (int t = 1; t < threads && t < 64; t++)
        if (pthread_create(&ids[started], NULL, worker, run) == 0)
            started++;
    worker(run);
    for (int t = 0; t < started; t++)
        pthread_join(ids[t], NULL);
}

/* ---- Output ---- */

static void print_unit(const cmp_run *run, const cmp_unit *u, FILE *out)
{
    fprintf(out, "%s\n", u->line ? u->line : u->slug);
    if (run->folders || !u->json)
        return;
    const char *why = json_string_value(json_object_get(u->json, "why"));
    if (why && json_is_true(json_object_get(u->json, "pixel_only")))
        fprintf(out, "  （仅比较像素）%s\n", why);
    json_t *changes = json_object_get(u->json, "changes");
    size_t n = json_array_size(changes), shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (run->max_lines > 0 && shown == (size_t)run->max_lines) {
            fprintf(out, "  …还有 %zu 处变化（--max-lines 0 列出全部，或看 --json）\n", n - shown);
            break;
        }
        json_t *ch = json_array_get(changes, i);
        fprintf(out, "  %s", json_string_value(json_object_get(ch, "message")));
        json_t *shift = json_object_get(ch, "shifted_pages");
        long long first = json_integer_value(json_array_get(shift, 0)),
                  last = json_integer_value(json_array_get(shift, 1));
        if (json_is_array(shift) && first == last)
            fprintf(out, "；第 %lld 页因此顺延", first);
        else if (json_is_array(shift))
            fprintf(out, "；第 %lld–%lld 页因此顺延", first, last);
        fputc('\n', out);
        shown++;
    }
}

static int exit_status(const cmp_run *run)
{
    int status = BP_EXIT_OK;
    for (size_t i = 0; i < run->count; i++) {
        if (run->units[i].status == BP_PAIR_UNREADABLE || !run->units[i].done)
            return BP_EXIT_UNUSABLE;
        if (run->units[i].fails)
            status = BP_EXIT_FINDINGS;
    }
    return run->failed_writes ? BP_EXIT_UNUSABLE : status;
}

static void free_run(cmp_run *run)
{
    for (size_t i = 0; i < run->count; i++) {
        cmp_unit *u = &run->units[i];
        free(u->old_path);
        free(u->new_path);
        free(u->line);
        free(u->why);
        json_decref(u->json);
    }
    free(run->units);
}

/* ---- Arguments ---- */

static int parse_int(const char *option, const char *value, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = value ? strtol(value, &end, 10) : 0;
    if (!value || !*value || *end || errno || v < lo || v > hi)
        return bp_cli_usage_error("compare", "%s needs a number from %ld to %ld", option, lo, hi);
    *out = v;
    return BP_EXIT_OK;
}

static int parse_args(int argc, char **argv, cmp_run *run)
{
    const char *paths[2] = {NULL, NULL};
    int path_count = 0;
    run->fail_data = run->fail_layout = true;
    run->dpi = 100;
    run->max_lines = 40;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        long v = 0; /* -O3 cannot see that every failed parse returns */
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (!value)
                return bp_cli_usage_error("compare", "%s needs a folder", a);
            run->out_dir = value, i++;
        } else if (strcmp(a, "--json") == 0) {
            if (!value)
                return bp_cli_usage_error("compare", "--json needs a file");
            run->json_path = value, i++;
        } else if (strcmp(a, "--fail-on") == 0) {
            if (!value ||
                (strcmp(value, "data") && strcmp(value, "layout") && strcmp(value, "any")))
                return bp_cli_usage_error("compare", "--fail-on takes data, layout or any");
            run->fail_data = strcmp(value, "layout") != 0;
            run->fail_layout = strcmp(value, "data") != 0;
            i++;
        } else if (strcmp(a, "--dpi") == 0) {
            if (parse_int(a, value, 50, 300, &v) != BP_EXIT_OK)
                return BP_EXIT_UNUSABLE;
            run->dpi = (int)v, i++;
        } else if (strcmp(a, "--threads") == 0) {
            if (parse_int(a, value, 1, 64, &v) != BP_EXIT_OK)
                return BP_EXIT_UNUSABLE;
            run->threads = (int)v, i++;
        } else if (strcmp(a, "--max-lines") == 0) {
            if (parse_int(a, value, 0, 1000000, &v) != BP_EXIT_OK)
                return BP_EXIT_UNUSABLE;
            run->max_lines = v, i++;
        } else if (a[0] == '-' && a[1]) {
            return bp_cli_usage_error("compare",
                                      "unknown option %s (see 'budgetpress help compare')", a);
        } else if (path_count < 2) {
            paths[path_count++] = a;
        } else
            return bp_cli_usage_error("compare", "takes two PDFs or two folders, not %s too", a);
    }
    if (path_count != 2)
        return bp_cli_usage_error("compare", "needs OLD and NEW: two PDFs or two folders");
    run->old_root = paths[0];
    run->new_root = paths[1];
    bool da = is_dir(paths[0]), db = is_dir(paths[1]);
    if (da != db)
        return bp_cli_usage_error("compare",
                                  "%s is a folder and %s is not: give two PDFs or two folders",
                                  da ? paths[0] : paths[1], da ? paths[1] : paths[0]);
    run->folders = da;
    return BP_EXIT_OK;
}

/* Two PDFs: one unit, both opened in the comparison itself. */
static int single_pair(cmp_run *run)
{
    run->units = calloc(1, sizeof *run->units);
    if (!run->units)
        return -1;
    run->count = 1;
    cmp_unit *u = &run->units[0];
    u->old_path = strdup(run->old_root);
    u->new_path = strdup(run->new_root);
    u->status = BP_PAIR_DIFFERENT;
    const char *base =
        strrchr(run->new_root, '/') ? strrchr(run->new_root, '/') + 1 : run->new_root;
    snprintf(u->slug, sizeof u->slug, "%s", base);
    plain_name(u->slug);
    return u->old_path && u->new_path ? 0 : -1;
}

static int folder_pairs(cmp_run *run)
{
    size_t na = 0, nb = 0;
    pdf_entry *a = folder_entries(run->old_root, &na, run->threads);
    pdf_entry *b = a ? folder_entries(run->new_root, &nb, run->threads) : NULL;
    int rc = 0;
    if (!a || !b) {
        fprintf(stderr, "budgetpress compare: %s: cannot read the folder: %s\n",
                !a ? run->old_root : run->new_root, strerror(errno));
        rc = -1;
    } else
        rc = pair_folders(run, a, na, b, nb);
    free_entries(a, na);
    free_entries(b, nb);
    if (rc == 0)
        name_slugs(run);
    return rc;
}

int bp_compare_command(int argc, char **argv)
{
    cmp_run run;
    memset(&run, 0, sizeof run);
    int status = parse_args(argc, argv, &run);
    if (status != BP_EXIT_OK)
        return status;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if ((run.folders ? folder_pairs(&run) : single_pair(&run)) != 0) {
        free_run(&run);
        return BP_EXIT_UNUSABLE;
    }
    bp_cli_signals_begin(&run.signals, NULL, NULL);
    run_workers(&run);
    bp_cli_signals_end(&run.signals);
    if (atomic_load(&run.signals.stop)) {
        free_run(&run);
        bp_cli_signals_die(&run.signals);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    run.seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (cmp_report_write(&run) != 0)
        run.failed_writes++;
    FILE *out = run.json_path && strcmp(run.json_path, "-") == 0 ? stderr : stdout;
    for (size_t i = 0; i < run.count; i++)
        if (run.units[i].status != BP_PAIR_SAME || !run.folders)
            print_unit(&run, &run.units[i], out);
    if (run.folders) {
        char *totals = cmp_report_totals(&run);
        fprintf(out, "%s\n", totals ? totals : "");
        free(totals);
    }
    if (run.out_dir)
        fprintf(out, "报告：%s/index.html\n", run.out_dir);
    status = exit_status(&run);
    free_run(&run);
    return status;
}

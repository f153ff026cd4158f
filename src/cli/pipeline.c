/*
 * pipeline.c: one unit from its JSON file to its PDF: load, check, typeset, write. `render`
 * runs it once; `batch` runs it for every unit of a region on several threads, with the layout
 * and fonts loaded once and shared read-only. Keeping the one pipeline here is what makes a
 * unit's batch outcome the same as its `render` outcome, message for message.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "budgetpress/check.h"
#include "budgetpress/layout.h"
#include "budgetpress/model.h"
#include "budgetpress/render.h"
#include "../util/jsonread.h"
#include "../util/outfile.h"
#include "../util/util.h"
#include "cli.h"

const char *bp_cli_data_dir(void)
{
    const char *dir = getenv("BUDGETPRESS_DATA_DIR");
    return dir && *dir ? dir : BP_DATA_DIR;
}

int bp_cli_layout_for(const char *given, const char *unit_path, char *buffer, size_t size)
{
    if (given) {
        snprintf(buffer, size, "%s", given);
        return 0;
    }
    snprintf(buffer, size, "%s/layouts/unit-2022.json", bp_cli_data_dir());
    bp_strbuf content = BP_STRBUF_INIT;
    bp_diags ignored = BP_DIAGS_INIT; /* the unit's own load reports an unreadable file */
    char *kind = NULL;
    if (unit_path && bp_jr_read_file(unit_path, &content, &ignored) == 0)
        bp_unit_peek_kind(content.data, content.len, &kind);
    bp_strbuf_free(&content);
    bp_diags_clear(&ignored);
    int rc = 0;
    if (kind && (strchr(kind, '/') || kind[0] == '.')) {
        fprintf(stderr,
                "budgetpress: %s: \"kind\": \"%s\" is not the name of a layout in %s/layouts\n",
                unit_path, kind, bp_cli_data_dir());
        rc = -1;
    } else if (kind) {
        snprintf(buffer, size, "%s/layouts/%s.json", bp_cli_data_dir(), kind);
        if (access(buffer, R_OK) != 0) {
            fprintf(stderr,
                    "budgetpress: %s: the unit is of the kind \"%s\", and %s has no layout of "
                    "that name (give one with --layout FILE)\n",
                    unit_path, kind, bp_cli_data_dir());
            rc = -1;
        }
    }
    free(kind);
    return rc;
}

bp_layout *bp_cli_load_layout(const char *layout_path, bp_diags *diags)
{
    char default_path[4096], catalog_path[4096];
    snprintf(default_path, sizeof default_path, "%s/layouts/unit-2022.json", bp_cli_data_dir());
    snprintf(catalog_path, sizeof catalog_path, "%s/fonts/fonts.json", bp_cli_data_dir());
    return bp_layout_load_file(layout_path ? layout_path : default_path, catalog_path, diags);
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org), when set, dates the document: whole seconds
 * since 1970 UTC. The latest accepted is the last second of the year 9999 in China Standard
 * Time, the zone the documents are dated in: a PDF date has four digits for the year. */
static const long long latest_source_date = 253402271999LL;

int bp_cli_source_date_epoch(const char *command, long long *seconds)
{
    *seconds = -1;
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (!epoch || !*epoch)
        return 0;
    char *end = NULL;
    errno = 0;
    long long value = strtoll(epoch, &end, 10);
    bool digits = epoch[0] >= '0' && epoch[0] <= '9';
    if (!digits || *end || errno == ERANGE || value > latest_source_date) {
        fprintf(stderr,
                "budgetpress %s: SOURCE_DATE_EPOCH=\"%.40s\": expected whole seconds since "
                "1970-01-01 00:00 UTC, from 0 to %lld (like 1646096400 for 2022-03-01 09:00 in "
                "Beijing)\n",
                command, epoch, latest_source_date);
        return -1;
    }
    *seconds = value;
    return 0;
}

/* Records in the document what it was made from, and dates it by SOURCE_DATE_EPOCH when set,
 * in China Standard Time (UTC+08:00) like every date of these documents. 0, or -1 when out of
 * memory. */
static int apply_source(bp_document *doc, long long seconds, const char *stamp)
{
    bp_doc_info info = *bp_document_info(doc);
    info.source = stamp;
    time_t t = (time_t)(seconds + 8 * 3600);
    struct tm tm;
    if (seconds >= 0 && gmtime_r(&t, &tm)) {
        info.year = tm.tm_year + 1900;
        info.month = tm.tm_mon + 1;
        info.day = tm.tm_mday;
        info.hour = tm.tm_hour;
        info.minute = tm.tm_min;
        info.second = tm.tm_sec;
    }
    return bp_document_set_info(doc, &info);
}

/* ---- What a PDF was made from ---- */

/* One SHA-256 over the engine's version, the unit's bytes, the layout and font catalog (their
 * digest) and SOURCE_DATE_EPOCH: everything the PDF's bytes depend on. */
static void source_stamp(const void *unit_bytes, size_t size, const bp_layout *layout,
                         long long source_date, char stamp[65])
{
    char unit_hex[65], head[160];
    bp_sha256_hex(unit_bytes, size, unit_hex);
    int n = snprintf(head, sizeof head, "budgetpress %s\n%s\n%s\n%lld\n", BP_VERSION_STRING,
                     unit_hex, layout->digest, source_date);
    bp_sha256_hex(head, (size_t)n, stamp);
}

int bp_cli_unit_stamp(const char *unit_path, const bp_layout *layout, long long source_date,
                      char stamp[65])
{
    bp_strbuf content = BP_STRBUF_INIT;
    bp_diags ignored = BP_DIAGS_INIT;
    int rc = bp_jr_read_file(unit_path, &content, &ignored);
    if (rc == 0)
        source_stamp(content.data, content.len, layout, source_date, stamp);
    bp_strbuf_free(&content);
    bp_diags_clear(&ignored);
    return rc;
}

/* Whether the cross-reference section startxref points at is there: a table ("xref"), or a
 * cross-reference stream object (a tagged PDF's update: "N 0 obj <</Type/XRef…"). */
static bool xref_at(const char *data, size_t size, unsigned long long offset)
{
    if (offset + 4 > size)
        return false;
    if (memcmp(data + offset, "xref", 4) == 0)
        return true;
    size_t span = size - offset < 64 ? size - offset : 64;
    return memmem(data + offset, span, " 0 obj", 6) &&
           memmem(data + offset, span, "/Type/XRef", 10);
}

/* Whether data[0..size) is a whole PDF: it starts with its header, ends with %%EOF after a
 * startxref whose offset points at the cross-reference section. A write cut short (a killed
 * run, a full disk) or a file that is no PDF fails this. */
static bool whole_pdf(const char *data, size_t size)
{
    if (size < 64 || memcmp(data, "%PDF-", 5) != 0)
        return false;
    size_t end = size;
    while (end > 0 && (data[end - 1] == '\n' || data[end - 1] == '\r'))
        end--;
    if (end < 5 || memcmp(data + end - 5, "%%EOF", 5) != 0)
        return false;
    size_t tail = end > 64 ? end - 64 : 0;
    const char *at = memmem(data + tail, end - tail, "startxref", 9);
    if (!at)
        return false;
    char *after = NULL;
    unsigned long long offset = strtoull(at + 9, &after, 10);
    return after != at + 9 && xref_at(data, size, offset);
}

bool bp_cli_pdf_current(const char *pdf_path, const char *stamp)
{
    bp_strbuf content = BP_STRBUF_INIT;
    bp_diags ignored = BP_DIAGS_INIT;
    bool current = false;
    if (bp_jr_read_file(pdf_path, &content, &ignored) == 0 &&
        whole_pdf(content.data, content.len)) {
        char key[128];
        int n = snprintf(key, sizeof key, "/BudgetpressSource (%s)", stamp);
        current = memmem(content.data, content.len, key, (size_t)n) != NULL;
    }
    bp_strbuf_free(&content);
    bp_diags_clear(&ignored);
    return current;
}

/* The display list as text (or its record form), written whole or not at all like the PDF. */
static int write_dump(const bp_document *doc, const char *path, bool record, bp_diags *diags)
{
    const char *what = record ? "the record" : "the page dump";
    bp_outfile out;
    if (bp_outfile_open(&out, path, what, diags) != 0)
        return -1;
    FILE *stream = bp_outfile_stream(&out);
    if (!stream) {
        bp_outfile_abort(&out);
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL, "out of memory");
        return -1;
    }
    if (record && bp_document_dump_record(doc, stream) != 0) {
        bp_outfile_end_stream(&out, stream);
        bp_outfile_abort(&out);
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, path, 0, 0, NULL, "out of memory");
        return -1;
    }
    for (size_t p = 0; !record && p < bp_document_page_count(doc); p++)
        bp_page_dump(bp_document_page(doc, p), stream);
    bp_outfile_end_stream(&out, stream);
    return bp_outfile_commit(&out, what, diags);
}

static bool stopped(const bp_unit_job *job)
{
    return job->stop && atomic_load(job->stop);
}

/* The checks, on a thread of their own while the unit is typeset: both only read the unit,
 * and the checks of a long unit take as long as a tenth of its typesetting. */
typedef struct check_run {
    const bp_unit *unit;
    bp_diags diags;
    size_t errors;
} check_run;

static void *run_checks(void *arg)
{
    check_run *c = arg;
    c->errors = bp_check_unit(c->unit, &c->diags);
    return NULL;
}

/* Appends every diagnostic of from to to. */
static void append_diags(bp_diags *to, const bp_diags *from)
{
    for (size_t i = 0; i < from->count; i++)
        bp_diags_add_copy(to, &from->items[i]);
    if (from->out_of_memory)
        to->out_of_memory = true;
}

/* Whether the checks said d already: a bad reference is both a check finding (E-REF) and a
 * reason typesetting refuses the text, in the same words; it is printed once. */
static bool said_already(const bp_diags *checked, const bp_diag *d)
{
    if (!d->rule)
        return false; /* typesetting's own problems have no rule: only check says those */
    for (size_t i = 0; i < checked->count; i++) {
        const bp_diag *c = &checked->items[i];
        if (c->rule && strcmp(c->rule, d->rule) == 0 && strcmp(c->message, d->message) == 0 &&
            (c->path == d->path || (c->path && d->path && strcmp(c->path, d->path) == 0)))
            return true;
    }
    return false;
}

/* Checks and typesets; with more than one thread to spare, both at once. Every problem of
 * either is reported, the checks' first, so `check` (which runs this too) says exactly what
 * `render` would refuse. A unit with check errors is not rendered unless forced. */
static bp_unit_outcome check_and_typeset(const bp_unit_job *job, const bp_unit *unit,
                                         const bp_layout *layout, const bp_fontset *fonts,
                                         bp_diags *diags, bp_unit_result *result, bp_document **doc)
{
    check_run check = {unit, BP_DIAGS_INIT, 0};
    pthread_t thread;
    bool concurrent =
        job->pdf_threads > 1 && pthread_create(&thread, NULL, run_checks, &check) == 0;
    if (!concurrent)
        run_checks(&check);
    bp_diags typeset_diags = BP_DIAGS_INIT;
    *doc = bp_typeset(unit, layout, fonts, &typeset_diags);
    if (concurrent)
        pthread_join(thread, NULL);
    append_diags(diags, &check.diags);
    for (size_t i = 0; i < typeset_diags.count; i++)
        if (!said_already(&check.diags, &typeset_diags.items[i]))
            bp_diags_add_copy(diags, &typeset_diags.items[i]);
    if (typeset_diags.out_of_memory)
        diags->out_of_memory = true;
    bp_diags_clear(&check.diags);
    bp_diags_clear(&typeset_diags);
    result->errors = bp_diags_count(diags, BP_SEVERITY_ERROR);
    result->warnings = bp_diags_count(diags, BP_SEVERITY_WARNING);
    bp_unit_outcome outcome = check.errors > 0 && !job->force ? BP_UNIT_CHECK
                              : !*doc                         ? BP_UNIT_TYPESET
                                                              : BP_UNIT_RENDERED;
    if (outcome != BP_UNIT_RENDERED) {
        bp_document_destroy(*doc);
        *doc = NULL;
    }
    return outcome;
}

/* The PDF goes through a bp_outfile; a stop request refuses the next piece, so an
 * interrupted unit leaves no temporary behind. */
typedef struct pdf_sink {
    bp_outfile *out;
    const atomic_int *stop;
    long long bytes;
} pdf_sink;

static int write_unless_stopped(void *ctx, const void *data, size_t size)
{
    pdf_sink *sink = ctx;
    if (sink->stop && atomic_load(sink->stop))
        return 1;
    sink->bytes += (long long)size;
    return bp_outfile_write(sink->out, data, size);
}

static bp_unit_outcome write_pdf(const bp_unit_job *job, const bp_document *doc,
                                 const bp_fontset *fonts, bp_diags *diags, bp_unit_result *result)
{
    bp_outfile out;
    if (bp_outfile_open(&out, job->output, "the PDF", diags) != 0)
        return BP_UNIT_WRITE;
    pdf_sink sink = {&out, job->stop, 0};
    bp_diags pdf_diags = BP_DIAGS_INIT;
    bp_pdf_options pdf = {.threads = job->pdf_threads, .untagged = job->untagged};
    int rc = bp_render_pdf(doc, fonts, &pdf, write_unless_stopped, &sink, &pdf_diags);
    bp_unit_outcome outcome = BP_UNIT_WRITE;
    if (stopped(job)) {
        bp_outfile_abort(&out);
        outcome = BP_UNIT_INTERRUPTED;
    } else if (rc != 0 && !out.error) {
        bp_outfile_abort(&out);
        append_diags(diags, &pdf_diags);
    } else if (bp_outfile_commit(&out, "the PDF", diags) == 0) {
        /* A failed write is reported by the commit, in the words of the system (disk full),
         * instead of the writer's "output refused". */
        outcome = BP_UNIT_RENDERED;
        result->pages = bp_document_page_count(doc);
        result->bytes = sink.bytes;
    }
    bp_diags_clear(&pdf_diags);
    return outcome;
}

/* Reads and loads the unit; its bytes give the stamp the PDF records. */
static bp_unit_outcome load_unit(const bp_unit_job *job, const bp_layout *layout,
                                 bp_strbuf *content, char stamp[65], bp_unit **unit,
                                 bp_diags *diags, bp_unit_result *result)
{
    if (bp_jr_read_file(job->unit_path, content, diags) != 0 ||
        bp_unit_load_buffer_of_kind(content->data, content->len, job->unit_path, layout->kind, unit,
                                    diags) != 0) {
        result->errors = bp_diags_count(diags, BP_SEVERITY_ERROR);
        return BP_UNIT_UNREADABLE;
    }
    source_stamp(content->data, content->len, layout, job->source_date, stamp);
    snprintf(result->code, sizeof result->code, "%s", (*unit)->info.code);
    snprintf(result->name, sizeof result->name, "%s", (*unit)->info.name);
    return BP_UNIT_RENDERED;
}

/* ---- Images of the pages (--png) ---- */

int bp_cli_parse_pages(const char *spec, size_t count, bool *selected, char *why, size_t size)
{
    for (size_t i = 0; selected && i < count; i++)
        selected[i] = false;
    const char *p = spec;
    do {
        char *end;
        unsigned long first = strtoul(p, &end, 10), last = first;
        if (end == p || *p == '-' || *p == '+' || first == 0)
            goto malformed;
        if (*end == '-') {
            const char *q = end + 1;
            last = strtoul(q, &end, 10);
            if (end == q || *q == '-' || *q == '+' || last < first)
                goto malformed;
        }
        if (*end != ',' && *end != '\0')
            goto malformed;
        if (count && last > count) {
            snprintf(why, size, "page %lu is beyond the last page (%zu)", last, count);
            return -1;
        }
        for (unsigned long n = first; selected && n <= last && n <= count; n++)
            selected[n - 1] = true;
        p = *end == ',' ? end + 1 : end;
    } while (*p);
    return 0;
malformed:
    snprintf(why, size, "'%s' is not a list of pages such as 1,3,5-7", spec);
    return -1;
}

/* "page-007.png": the number as wide as the last page's, at least three digits, so that the
 * files sort in page order. */
static void image_path(const char *dir, size_t page, size_t count, bp_strbuf *out)
{
    int digits = 3;
    for (size_t c = count; c >= 1000; c /= 10)
        digits++;
    bp_strbuf_truncate(out, 0);
    bp_strbuf_printf(out, "%s/page-%0*zu.png", dir, digits, page + 1);
}

static int make_image_dir(const char *dir, bp_diags *diags)
{
    struct stat st;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, dir, 0, 0, NULL,
                     "cannot make the folder for the page images: %s", strerror(errno));
        return -1;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, dir, 0, 0, NULL,
                     "is not a folder: the page images need one (--png DIR)");
        return -1;
    }
    bp_outfile_sweep(dir); /* temporaries of runs that were killed */
    return 0;
}

/* What one thread of the page images reports: its problems, how it ended, what it wrote. */
typedef struct image_share {
    bp_diags diags;
    bp_unit_outcome outcome;
    size_t written;
} image_share;

typedef struct image_job {
    const bp_unit_job *job;
    const bp_document *doc;
    const bp_fontset *fonts;
    const bool *selected;
    image_share *shares; /* one per thread */
} image_job;

/* A thread's share of the page images: every `stride`-th chosen page from `first`, with a
 * rasteriser of its own. */
static void draw_images(void *ctx, size_t first, size_t stride)
{
    const image_job *ij = ctx;
    const bp_unit_job *job = ij->job;
    image_share *share = &ij->shares[first];
    size_t count = bp_document_page_count(ij->doc);
    bp_rasterizer *r = bp_rasterizer_create(ij->fonts, job->png_dpi, &share->diags);
    bp_strbuf path = BP_STRBUF_INIT;
    share->outcome = r ? BP_UNIT_RENDERED : BP_UNIT_WRITE;
    if (!r)
        bp_diags_add(&share->diags, BP_SEVERITY_ERROR, NULL, job->png_dir, 0, 0, NULL,
                     "out of memory");
    for (size_t i = first; i < count && share->outcome == BP_UNIT_RENDERED; i += stride) {
        if (!ij->selected[i])
            continue;
        if (stopped(job)) {
            share->outcome = BP_UNIT_INTERRUPTED;
            break;
        }
        image_path(job->png_dir, i, count, &path);
        if (path.failed || bp_render_png_file(r, ij->doc, i, job->png_dpi, bp_strbuf_cstr(&path),
                                              &share->diags) != 0)
            share->outcome = BP_UNIT_WRITE;
        else
            share->written++;
    }
    bp_strbuf_free(&path);
    bp_rasterizer_destroy(r);
}

/* The chosen pages drawn on the job's threads (each page is its own file, so the order in
 * which they are written does not matter); the first thread's problems are said first. */
static bp_unit_outcome draw_all_images(const bp_unit_job *job, const bp_document *doc,
                                       const bp_fontset *fonts, const bool *selected,
                                       bp_diags *diags, size_t *written)
{
    size_t threads = bp_strided_threads(job->pdf_threads, bp_document_page_count(doc));
    image_share shares[16];
    for (size_t t = 0; t < threads; t++)
        shares[t] = (image_share){BP_DIAGS_INIT, BP_UNIT_RENDERED, 0};
    image_job ij = {job, doc, fonts, selected, shares};
    bp_run_strided(threads, draw_images, &ij);
    bp_unit_outcome outcome = BP_UNIT_RENDERED;
    for (size_t t = 0; t < threads; t++) {
        append_diags(diags, &shares[t].diags);
        bp_diags_clear(&shares[t].diags);
        *written += shares[t].written;
        /* A page not written outweighs an interruption, which outweighs success. */
        if (shares[t].outcome == BP_UNIT_WRITE ||
            (shares[t].outcome == BP_UNIT_INTERRUPTED && outcome == BP_UNIT_RENDERED))
            outcome = shares[t].outcome;
    }
    return outcome;
}

/* Each chosen page drawn and written as DIR/page-NNN.png, whole or not at all. */
static bp_unit_outcome write_images(const bp_unit_job *job, const bp_document *doc,
                                    const bp_fontset *fonts, bp_diags *diags,
                                    bp_unit_result *result)
{
    size_t count = bp_document_page_count(doc);
    bool *selected = calloc(count ? count : 1, sizeof *selected);
    char why[160];
    if (!selected) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, job->png_dir, 0, 0, NULL, "out of memory");
        return BP_UNIT_WRITE;
    }
    for (size_t i = 0; !job->png_pages && i < count; i++)
        selected[i] = true;
    if (job->png_pages && bp_cli_parse_pages(job->png_pages, count, selected, why, sizeof why)) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, job->unit_path, 0, 0, NULL, "--pages: %s",
                     why);
        free(selected);
        return BP_UNIT_WRITE;
    }
    bp_unit_outcome outcome =
        make_image_dir(job->png_dir, diags) == 0
            ? draw_all_images(job, doc, fonts, selected, diags, &result->images)
            : BP_UNIT_WRITE;
    free(selected);
    return outcome;
}

bp_unit_outcome bp_cli_render_unit(const bp_unit_job *job, const bp_layout *layout,
                                   const bp_fontset *fonts, bp_diags *diags, bp_unit_result *result)
{
    memset(result, 0, sizeof *result);
    bp_unit *unit = NULL;
    bp_document *doc = NULL;
    bp_strbuf content = BP_STRBUF_INIT;
    char stamp[65] = "";
    bp_unit_outcome outcome = stopped(job)
                                  ? BP_UNIT_INTERRUPTED
                                  : load_unit(job, layout, &content, stamp, &unit, diags, result);
    if (outcome == BP_UNIT_RENDERED)
        outcome = check_and_typeset(job, unit, layout, fonts, diags, result, &doc);
    if (outcome == BP_UNIT_RENDERED && apply_source(doc, job->source_date, stamp) != 0) {
        bp_diags_add(diags, BP_SEVERITY_ERROR, NULL, job->unit_path, 0, 0, NULL, "out of memory");
        outcome = BP_UNIT_WRITE;
    }
    if (outcome == BP_UNIT_RENDERED && bp_fontset_verify(fonts, diags) != 0)
        outcome = BP_UNIT_UNREADABLE; /* a damaged font file: nothing is drawn with it */
    if (outcome == BP_UNIT_RENDERED && job->dump && write_dump(doc, job->dump, false, diags) != 0)
        outcome = BP_UNIT_WRITE;
    if (outcome == BP_UNIT_RENDERED && job->record &&
        write_dump(doc, job->record, true, diags) != 0)
        outcome = BP_UNIT_WRITE;
    if (outcome == BP_UNIT_RENDERED && stopped(job))
        outcome = BP_UNIT_INTERRUPTED;
    /* The formats asked for: the PDF, images of the pages, or (check) neither. */
    if (outcome == BP_UNIT_RENDERED && job->output)
        outcome = write_pdf(job, doc, fonts, diags, result);
    if (outcome == BP_UNIT_RENDERED && job->png_dir)
        outcome = write_images(job, doc, fonts, diags, result);
    if (outcome == BP_UNIT_RENDERED)
        result->pages = bp_document_page_count(doc);
    bp_document_destroy(doc);
    bp_unit_destroy(unit);
    bp_strbuf_free(&content);
    result->outcome = outcome;
    return outcome;
}

int bp_cli_outcome_status(bp_unit_outcome outcome)
{
    switch (outcome) {
    case BP_UNIT_RENDERED:
        return BP_EXIT_OK;
    case BP_UNIT_CHECK:
    case BP_UNIT_TYPESET:
    case BP_UNIT_INTERRUPTED:
        return BP_EXIT_FINDINGS;
    case BP_UNIT_UNREADABLE:
    case BP_UNIT_WRITE:
        break;
    }
    return BP_EXIT_UNUSABLE;
}

const char *bp_cli_outcome_name(bp_unit_outcome outcome)
{
    switch (outcome) {
    case BP_UNIT_RENDERED:
        return "rendered";
    case BP_UNIT_UNREADABLE:
        return "unreadable";
    case BP_UNIT_CHECK:
        return "check errors";
    case BP_UNIT_TYPESET:
        return "typesetting failed";
    case BP_UNIT_WRITE:
        return "not written";
    case BP_UNIT_INTERRUPTED:
        return "interrupted";
    }
    return "?";
}

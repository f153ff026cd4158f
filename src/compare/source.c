/*
 * source.c: a PDF to compare, and the record it carries (page.h), read through libqpdf.
 *
 * Stage: compare, the first step. qpdf reads the file (classic or cross-reference-stream
 * files, incremental updates, files other tools rewrote); we take the raw bytes of the record's
 * stream and inflate them ourselves, so that a damaged or hostile file cannot make us inflate
 * gigabytes: the record is capped. Then each page's content stream is checked against the
 * digest the record's piece keeps (pdf_record.c): a PDF another tool changed afterwards, or
 * re-encoded, is not described by its record any more, and is compared by its pixels.
 *
 * One source belongs to one thread; libqpdf keeps no global state.
 */
#include "compare_int.h"

#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

void bp_cmp_sha256(const void *data, size_t size, unsigned char digest[32])
{
    bp_sha256_state s;
    bp_sha256_init(&s);
    bp_sha256_update(&s, data, size);
    bp_sha256_final(&s, digest);
}

/* A record larger than this is damage: the 5,000-row unit's is about 2 MB. */
enum { RECORD_MAX = 256 << 20 };

static void set_state(bp_cmp_source *s, bp_cmp_source_state state, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_state(bp_cmp_source *s, bp_cmp_source_state state, const char *fmt, ...)
{
    s->state = state;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->why, sizeof s->why, fmt, ap);
    va_end(ap);
}

/* Inflates a zlib stream into *out, refusing more than RECORD_MAX bytes. 0, or -1. */
static int inflate_capped(const unsigned char *in, size_t size, unsigned char **out,
                          size_t *out_size)
{
    z_stream z = {0};
    if (inflateInit(&z) != Z_OK)
        return -1;
    size_t cap = size * 4 + 4096, len = 0;
    unsigned char *buf = malloc(cap);
    int rc = buf ? Z_OK : Z_MEM_ERROR;
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)(size > UINT32_MAX ? UINT32_MAX : size);
    while (rc == Z_OK) {
        if (len == cap) {
            size_t grown = cap * 2 > RECORD_MAX ? RECORD_MAX : cap * 2;
            unsigned char *bigger = grown > cap ? realloc(buf, grown) : NULL;
            if (!bigger) {
                rc = Z_MEM_ERROR;
                break;
            }
            buf = bigger;
            cap = grown;
        }
        z.next_out = buf + len;
        z.avail_out = (uInt)(cap - len);
        rc = inflate(&z, Z_NO_FLUSH);
        len = cap - z.avail_out;
        if (rc == Z_BUF_ERROR && z.avail_out > 0)
            break; /* the input ended before the stream did */
        if (rc == Z_BUF_ERROR)
            rc = Z_OK;
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(buf);
        return -1;
    }
    *out = buf;
    *out_size = len;
    return 0;
}

/* The record's stream's bytes, inflated when it says FlateDecode. */
static int read_record_stream(qpdf_data q, qpdf_oh stream, bp_cmp_source *s)
{
    qpdf_oh filter = qpdf_oh_get_key(q, qpdf_oh_get_dict(q, stream), "/Filter");
    /* libharu writes [/FlateDecode]; a tool that rewrote the file may write the bare name. */
    if (qpdf_oh_is_array(q, filter) && qpdf_oh_get_array_n_items(q, filter) == 1)
        filter = qpdf_oh_get_array_item(q, filter, 0);
    bool flate = qpdf_oh_is_name_and_equals(q, filter, "/FlateDecode");
    if (!flate && !qpdf_oh_is_null(q, filter)) {
        set_state(s, BP_CMP_NO_RECORD, "its record is encoded in a way budgetpress does not write");
        return -1;
    }
    unsigned char *raw = NULL;
    size_t len = 0;
    if (qpdf_oh_get_stream_data(q, stream, qpdf_dl_none, NULL, &raw, &len) != QPDF_SUCCESS ||
        len > RECORD_MAX) {
        free(raw);
        set_state(s, BP_CMP_NO_RECORD, "its record cannot be read");
        return -1;
    }
    if (!flate) {
        s->record = raw;
        s->record_size = len;
        return 0;
    }
    int rc = inflate_capped(raw, len, &s->record, &s->record_size);
    free(raw);
    if (rc != 0)
        set_state(s, BP_CMP_NO_RECORD, "its record is damaged (it does not inflate)");
    return rc;
}

/* Whether every page's content stream is still the one the record describes. */
static int check_pages(qpdf_data q, qpdf_oh piece, bp_cmp_source *s)
{
    size_t digests_len = 0;
    const char *digests =
        qpdf_oh_get_binary_string_value(q, qpdf_oh_get_key(q, piece, "/Pages"), &digests_len);
    if (!digests || digests_len != s->page_count * BP_CMP_PAGE_DIGEST) {
        set_state(s, BP_CMP_STALE,
                  "it has %zu pages where its record describes %zu: another tool changed it",
                  s->page_count, digests_len / BP_CMP_PAGE_DIGEST);
        return -1;
    }
    for (size_t i = 0; i < s->page_count; i++) {
        qpdf_oh contents = qpdf_oh_get_key(q, qpdf_get_page_n(q, i), "/Contents");
        unsigned char *raw = NULL;
        size_t len = 0;
        unsigned char digest[32];
        bool same =
            qpdf_oh_is_stream(q, contents) &&
            qpdf_oh_get_stream_data(q, contents, qpdf_dl_none, NULL, &raw, &len) == QPDF_SUCCESS;
        if (same) {
            bp_cmp_sha256(raw, len, digest);
            same = memcmp(digest, digests + i * BP_CMP_PAGE_DIGEST, BP_CMP_PAGE_DIGEST) == 0;
        }
        free(raw);
        if (!same) {
            set_state(s, BP_CMP_STALE,
                      "page %zu is not the one its record describes: another tool changed or "
                      "re-encoded the file after budgetpress wrote it",
                      i + 1);
            return -1;
        }
    }
    return 0;
}

static void read_source(qpdf_data q, bp_cmp_source *s)
{
    if (qpdf_read(q, s->path, NULL) & QPDF_ERRORS) {
        qpdf_error e = qpdf_get_error(q);
        set_state(s, BP_CMP_UNREADABLE, "not a PDF that can be read (%s)",
                  e ? qpdf_get_error_message_detail(q, e) : "unknown error");
        return;
    }
    int pages = qpdf_get_num_pages(q);
    if (pages < 0 || qpdf_has_error(q)) {
        set_state(s, BP_CMP_UNREADABLE, "its pages cannot be read");
        return;
    }
    s->page_count = (size_t)pages;
    qpdf_oh piece = qpdf_oh_get_key_if_dict(
        q, qpdf_oh_get_key_if_dict(q, qpdf_get_root(q), "/PieceInfo"), "/BudgetPress");
    qpdf_oh stream = qpdf_oh_get_key_if_dict(q, piece, "/Private");
    if (!qpdf_oh_is_stream(q, stream)) {
        set_state(s, BP_CMP_NO_RECORD,
                  "it carries no budgetpress record (made by another "
                  "program, or by budgetpress before version 0.2)");
        return;
    }
    if (read_record_stream(q, stream, s) == 0 && check_pages(q, piece, s) == 0)
        s->state = BP_CMP_RECORD;
}

int bp_cmp_source_open(const char *path, bp_cmp_source *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", path);
    qpdf_data q = qpdf_init();
    if (!q) {
        set_state(s, BP_CMP_UNREADABLE, "out of memory");
        return -1;
    }
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    read_source(q, s);
    while (qpdf_more_warnings(q))
        qpdf_next_warning(q);
    qpdf_cleanup(&q);
    if (s->state != BP_CMP_RECORD) {
        free(s->record);
        s->record = NULL;
        s->record_size = 0;
    }
    return s->state == BP_CMP_UNREADABLE ? -1 : 0;
}

void bp_cmp_source_free(bp_cmp_source *s)
{
    free(s->record);
    s->record = NULL;
}

/*
 * pdf_record.c: the document's record (page.h) inside its PDF, so that `compare` reads what
 * each page shows from the PDF alone.
 *
 * Where: the catalog's page-piece dictionary (ISO 32000-1, 14.5), the place the format gives
 * an application for its private data:
 *     /PieceInfo << /BudgetPress << /LastModified (D:…) /Private 12 0 R >> >>
 * with the record as a Flate stream. Not an attachment: PDF/A-1 forbids embedded files and
 * PDF/A-2 allows only PDF/A ones, and a reader would show the public a file they did not ask
 * for. Not XMP: custom properties there need extension schemas, and the catalog's metadata
 * stream may not be compressed. Readers ignore the piece; tools that rewrite the file (qpdf)
 * keep it. /LastModified is the document's date, as the Info dictionary's /ModDate says it, so
 * a tool that edits the document and dates its change leaves the record visibly older.
 * /Pages holds the first PDF_PAGE_DIGEST bytes of the SHA-256 of each page's content stream as
 * written: a reader that finds a page's stream different knows the record no longer describes
 * it (another tool changed or re-encoded it), whatever the dates say.
 */
#include "pdf_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* "D:20220215000000+08'00'", or the epoch for an undated document. */
static void last_modified(const bp_doc_info *info, char *out, size_t size)
{
    if (info->year == 0)
        snprintf(out, size, "D:19700101000000Z");
    else
        snprintf(out, size, "D:%04d%02d%02d%02d%02d%02d+08'00'", info->year, info->month, info->day,
                 info->hour, info->minute, info->second);
}

/* The record is made on a thread of its own while the pages are built: 3 ms to encode and 6
 * to deflate on the sample, 90 and 130 on a 5,000-row unit. A tagged PDF's record is deflated
 * there too and written into the update after libharu's file (pdf_tags.c), over an empty
 * placeholder libharu writes; an untagged PDF has no update, and libharu deflates its record
 * as it writes the file (a stream it did not deflate itself loses its /Filter: libharu 2.3
 * removes the key from a stream whose filter it does not apply). The document and fonts are
 * only read. */
struct pdf_record_job {
    const bp_document *doc;
    const bp_fontset *fonts;
    bool deflate;        /* deflated on the thread, for the update */
    unsigned char *data; /* the record, deflated when `deflate` */
    size_t size;
    HPDF_Dict placeholder; /* the update's object, when `deflate` */
    bool failed;
    bool done;
    bool started; /* on a thread, to be joined */
    pthread_t thread;
};

static void *make_record(void *arg)
{
    struct pdf_record_job *job = arg;
    unsigned char *raw = NULL;
    size_t size = 0;
    job->failed = bp_record_encode(job->doc, job->fonts, &raw, &size) != 0;
    if (!job->failed && job->deflate) {
        /* A large record (a long table's: 6.8 MB for 5,000 rows) at level 1, 2.5 times as fast
         * for 12% more; a small one (the sample's 223 KB) at the default, for the smaller file. */
        uLongf bound = compressBound((uLong)size);
        job->data = size <= UINT32_MAX ? malloc(bound) : NULL;
        job->failed = !job->data || compress2(job->data, &bound, raw, (uLong)size,
                                              size > (1u << 20) ? 1 : 6) != Z_OK;
        job->size = bound;
        free(raw);
    } else {
        job->data = raw;
        job->size = size;
    }
    job->done = true;
    return NULL;
}

int pdf_record_start(pdf_render *r)
{
    struct pdf_record_job *job = calloc(1, sizeof *job);
    if (!job)
        return pdf_fail(r, "out of memory");
    *job = (struct pdf_record_job){
        .doc = r->doc, .fonts = r->fonts, .deflate = r->tagged && r->compress};
    r->record = job;
    /* With one thread asked for, or none to be had, it is made when it is stored. */
    job->started = r->threads > 1 && pthread_create(&job->thread, NULL, make_record, job) == 0;
    return 0;
}

/* Waits for the record; 0 when it was made. */
static int finish_record(struct pdf_record_job *job)
{
    if (job->started) {
        pthread_join(job->thread, NULL);
        job->started = false;
    } else if (!job->done)
        make_record(job);
    return job->failed ? -1 : 0;
}

void pdf_record_free(pdf_render *r)
{
    if (!r->record)
        return;
    if (r->record->started)
        pthread_join(r->record->thread, NULL);
    free(r->record->data);
    free(r->record);
    r->record = NULL;
}

int pdf_record_add(pdf_render *r)
{
    r->step = "storing the record of what the pages show";
    struct pdf_record_job *job = r->record;
    HPDF_Dict stream;
    if (job->deflate)
        stream = job->placeholder = HPDF_DictStream_New(r->pdf->mmgr, r->pdf->xref);
    else if (finish_record(job) != 0)
        return pdf_fail(r, "out of memory while recording what the pages show");
    else
        stream = pdf_new_stream(r, job->data, job->size);
    char date[32];
    last_modified(bp_document_info(r->doc), date, sizeof date);
    HPDF_Dict piece = HPDF_Dict_New(r->pdf->mmgr);
    HPDF_Dict pieces = HPDF_Dict_New(r->pdf->mmgr);
    if (!stream || !piece || !pieces ||
        HPDF_Dict_Add(piece, "LastModified", HPDF_String_New(r->pdf->mmgr, date, NULL)) !=
            HPDF_OK ||
        HPDF_Dict_Add(piece, "Private", stream) != HPDF_OK ||
        HPDF_Dict_Add(piece, "Pages",
                      HPDF_Binary_New(r->pdf->mmgr, r->page_digests,
                                      (HPDF_UINT)(PDF_PAGE_DIGEST *
                                                  bp_document_page_count(r->doc)))) != HPDF_OK ||
        HPDF_Dict_Add(pieces, "BudgetPress", piece) != HPDF_OK ||
        HPDF_Dict_Add(r->pdf->catalog, "PieceInfo", pieces) != HPDF_OK)
        return pdf_hpdf_failed(r);
    return 0;
}

int pdf_record_for_update(pdf_render *r, uint32_t *object, const unsigned char **data, size_t *size)
{
    struct pdf_record_job *job = r->record;
    if (!job || !job->deflate)
        return 1;
    if (finish_record(job) != 0)
        return pdf_fail(r, "out of memory while recording what the pages show");
    *object = ((const HPDF_Obj_Header *)job->placeholder)->obj_id & 0x00FFFFFF;
    *data = job->data;
    *size = job->size;
    return 0;
}

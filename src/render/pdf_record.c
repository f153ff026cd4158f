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

/* The record is encoded on a thread of its own while the pages are built (3 ms on the sample,
 * 90 on a 5,000-row unit). libharu deflates it as it writes the file: a stream it did not
 * deflate itself loses its /Filter (libharu 2.3 removes the key from a stream whose filter it
 * does not apply), so the bytes are handed over plain. The document and fonts are only read. */
struct pdf_record_job {
    const bp_document *doc;
    const bp_fontset *fonts;
    unsigned char *data; /* the record */
    size_t size;
    bool failed;
    bool done;
    bool started; /* on a thread, to be joined */
    pthread_t thread;
};

static void *make_record(void *arg)
{
    struct pdf_record_job *job = arg;
    job->failed = bp_record_encode(job->doc, job->fonts, &job->data, &job->size) != 0;
    job->done = true;
    return NULL;
}

int pdf_record_start(pdf_render *r)
{
    struct pdf_record_job *job = calloc(1, sizeof *job);
    if (!job)
        return pdf_fail(r, "out of memory");
    *job = (struct pdf_record_job){.doc = r->doc, .fonts = r->fonts};
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
    if (finish_record(r->record) != 0)
        return pdf_fail(r, "out of memory while recording what the pages show");
    HPDF_Dict stream = pdf_new_stream(r, r->record->data, r->record->size);
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

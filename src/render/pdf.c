/*
 * pdf.c: the PDF backend (render.h): turns a display list into a PDF through libharu, writing
 * through a callback or into a file that appears whole or not at all.
 *
 * Stage: backends, the last step before the commands. Never lays out, never shapes, never
 * moves anything: it draws exactly the display list. It never leaves a partial file behind,
 * never keeps state between calls (one process renders many units on several threads, so each
 * call has its own libharu document and its own error context) and never writes anything that
 * varies between runs (no /ID, no clock: the same document gives the same bytes).
 *
 * The facts that shaped it (measured on libhpdf 2.3.0):
 * libharu's own TrueType fonts cannot carry HarfBuzz glyph ids and write a broken ToUnicode,
 * so fonts and content streams are built by hand (pdf_fonts.c, pdf_content.c) and libharu
 * writes the objects, cross references, outline, annotations and metadata. Its error handler
 * is the only channel for some failures and it takes a user pointer, which carries this call's
 * context (no globals). HPDF_Destination_SetXYZ rejects zoom 0 and poisons the document, so
 * destinations are rebuilt by hand. The low-level calls reach into 2.3.0's struct layouts.
 */
#include "pdf_int.h"

#include "../util/outfile.h"

#include <hpdf_doc.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* libharu refuses pages outside 3 .. 14400 pt (HPDF_Page_SetWidth). */
enum { PAGE_MIN = 3 * BP_LEN_PER_PT, PAGE_MAX = 14400 * BP_LEN_PER_PT };
/* Outline levels deeper than this hang under the deepest one. */
enum { OUTLINE_MAX_DEPTH = 16 };
/* The piece size in which the finished file is handed to the writer. */
enum { OUTPUT_CHUNK = 16384 };

/* libharu's error handler: records the first error in this call's context. libharu then
 * returns an error status or NULL to the caller, which reports it with pdf_hpdf_failed. */
static void HPDF_STDCALL on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    pdf_render *r = user_data;
    if (r->error_no == 0) {
        r->error_no = error_no;
        r->detail_no = detail_no;
    }
}

/* ---- Checking the display list ---- */

static bool valid_page(const pdf_render *r, int page)
{
    return page >= 0 && (size_t)page < bp_document_page_count(r->doc);
}

static int check_page(pdf_render *r, const bp_page *page, size_t index)
{
    int rc = 0;
    if (page->width < PAGE_MIN || page->width > PAGE_MAX || page->height < PAGE_MIN ||
        page->height > PAGE_MAX)
        rc = pdf_fail(r, "page %zu: size out of range (3 to 14400 pt)", index + 1);
    size_t nodes = bp_document_node_count(r->doc);
    for (size_t i = 0; i < page->count; i++) {
        const bp_item *item = &page->items[i];
        if (item->kind == BP_ITEM_LINK && !valid_page(r, item->u.link.target_page))
            rc = pdf_fail(r, "page %zu: a link points to page %lld, which does not exist",
                          index + 1, (long long)item->u.link.target_page + 1);
        bp_node_id node = item->kind == BP_ITEM_GLYPHS ? item->u.glyphs.node
                          : item->kind == BP_ITEM_LINK ? item->u.link.node
                                                       : 0;
        if (node > nodes) /* the structure tree is indexed by it */
            rc = pdf_fail(r, "page %zu: an item belongs to node %u, which the document lacks",
                          index + 1, (unsigned)node);
    }
    return rc;
}

/* The display list comes from layout and is trusted for geometry; what would make libharu
 * fail or write a broken file is checked here, each problem reported. */
static int check_document(pdf_render *r)
{
    size_t page_count = bp_document_page_count(r->doc);
    if (page_count == 0)
        return pdf_fail(r, "the document has no pages");
    int rc = 0;
    for (size_t p = 0; p < page_count; p++)
        if (check_page(r, bp_document_page(r->doc, p), p) != 0)
            rc = -1;
    for (size_t i = 0; i < bp_document_outline_count(r->doc); i++) {
        const bp_outline_entry *entry = bp_document_outline(r->doc, i);
        if (!valid_page(r, entry->page))
            rc = pdf_fail(r, "outline entry \"%s\" points to page %lld, which does not exist",
                          entry->title, (long long)entry->page + 1);
    }
    return rc;
}

/* ---- libharu's memory ----
 * Every block libharu allocates is kept on a list, and what is left when the document is freed
 * is freed with it: libharu 2.3.0 loses objects on some paths where an allocation fails (a
 * destination made for a link that then cannot be made). Once an allocation has failed, what
 * libharu frees is not freed until the document is: on such paths libharu also goes on using
 * what it has just freed (AddResource, called by HPDF_AddPage, frees the resource dictionary
 * it could not add to the page, then adds to it), and a block kept alive makes that harmless.
 * libharu's allocator takes no context, so the list of the render in progress on this thread
 * is found through a thread-local pointer, set only while render() runs: the one piece of
 * thread-local state of the library, there for want of a context argument. A block's header
 * points at its list, so freeing needs no lookup. */

typedef struct hpdf_block {
    struct hpdf_block *prev, *next;
    pdf_hpdf_blocks *list;
    max_align_t align[]; /* the block itself, aligned for any type */
} hpdf_block;

static _Thread_local pdf_hpdf_blocks *current_blocks;

static void *HPDF_STDCALL hpdf_alloc(HPDF_UINT size)
{
    pdf_hpdf_blocks *list = current_blocks;
    hpdf_block *b = list ? malloc(sizeof *b + size) : NULL;
    if (!b) {
        if (list)
            list->failed = true;
        return NULL;
    }
    b->list = list;
    b->prev = NULL;
    b->next = list->head;
    if (list->head)
        list->head->prev = b;
    list->head = b;
    return b->align;
}

static void HPDF_STDCALL hpdf_free(void *p)
{
    if (!p)
        return;
    hpdf_block *b = (hpdf_block *)((char *)p - offsetof(hpdf_block, align));
    if (b->list->failed)
        return; /* kept until the document is freed: libharu may still use it */
    if (b->prev)
        b->prev->next = b->next;
    else
        b->list->head = b->next;
    if (b->next)
        b->next->prev = b->prev;
    free(b);
}

/* Frees every block libharu left. */
static void hpdf_free_all(pdf_hpdf_blocks *list)
{
    for (hpdf_block *b = list->head; b;) {
        hpdf_block *next = b->next;
        free(b);
        b = next;
    }
    list->head = NULL;
}

/* ---- Building the document ---- */

static int open_document(pdf_render *r)
{
    r->pdf = HPDF_NewEx(on_hpdf_error, hpdf_alloc, hpdf_free, 0, r);
    if (!r->pdf)
        return pdf_fail(r, "out of memory: cannot start the PDF writer");
    r->step = "setting up the document";
    /* Compression must be chosen before the pages exist: HPDF_AddPage sets each page's filter. */
    if (HPDF_SetCompressionMode(r->pdf, r->compress ? HPDF_COMP_ALL : HPDF_COMP_NONE) != HPDF_OK ||
        HPDF_UseUTFEncodings(r->pdf) != HPDF_OK)
        return pdf_hpdf_failed(r);
    return 0;
}

static int add_pages(pdf_render *r)
{
    size_t count = bp_document_page_count(r->doc);
    r->step = "adding the pages";
    if (!(r->pages = calloc(count, sizeof *r->pages)))
        return pdf_fail(r, "out of memory");
    for (size_t i = 0; i < count; i++) {
        const bp_page *page = bp_document_page(r->doc, i);
        r->pages[i] = HPDF_AddPage(r->pdf);
        if (!r->pages[i] ||
            HPDF_Page_SetWidth(r->pages[i], (HPDF_REAL)page->width / BP_LEN_PER_PT) != HPDF_OK ||
            HPDF_Page_SetHeight(r->pages[i], (HPDF_REAL)page->height / BP_LEN_PER_PT) != HPDF_OK)
            return pdf_hpdf_failed(r);
    }
    return 0;
}

/* A destination showing `page` with `y` (from the top) at the top of the window, keeping the
 * reader's zoom: [page /XYZ 0 top null]. HPDF_Destination_SetXYZ cannot write a null zoom (it
 * rejects 0 and then leaves the document in an error state), so the array that
 * HPDF_Page_CreateDestination made is cleared and filled by hand. */
/* Fills dst with [page /XYZ 0 top null]. */
static HPDF_STATUS fill_xyz(pdf_render *r, HPDF_Array dst, int page, bp_len y)
{
    bp_len height = bp_document_page(r->doc, (size_t)page)->height;
    HPDF_STATUS st = HPDF_Array_Add(dst, r->pages[page]);
    st |= HPDF_Array_AddName(dst, "XYZ");
    st |= HPDF_Array_AddNumber(dst, 0);
    st |= HPDF_Array_AddReal(dst, (HPDF_REAL)(height - y) / BP_LEN_PER_PT);
    st |= HPDF_Array_Add(dst, HPDF_Null_New(r->pdf->mmgr));
    return st;
}

static HPDF_Destination destination(pdf_render *r, int page, bp_len y)
{
    HPDF_Destination dst = HPDF_Page_CreateDestination(r->pages[page]);
    if (!dst)
        return NULL;
    HPDF_Array_Clear(dst);
    return fill_xyz(r, dst, page, y) == HPDF_OK ? dst : NULL;
}

/* The same as a direct array, for a bookmark: PDFBox's validator cannot follow a bookmark's
 * destination that is an indirect object (which libharu makes), and reports a syntax error. */
static HPDF_Array outline_destination(pdf_render *r, int page, bp_len y)
{
    HPDF_Array dst = HPDF_Array_New(r->pdf->mmgr);
    if (dst && fill_xyz(r, dst, page, y) != HPDF_OK) {
        HPDF_Array_Free(dst); /* a direct object nobody owns yet */
        return NULL;
    }
    return dst;
}

static int add_link(pdf_render *r, size_t index, const bp_link *link)
{
    bp_len height = bp_document_page(r->doc, index)->height;
    HPDF_Rect area = {
        .left = (HPDF_REAL)link->x / BP_LEN_PER_PT,
        .bottom = (HPDF_REAL)(height - link->y - link->h) / BP_LEN_PER_PT,
        .right = (HPDF_REAL)(link->x + link->w) / BP_LEN_PER_PT,
        .top = (HPDF_REAL)(height - link->y) / BP_LEN_PER_PT,
    };
    HPDF_Destination dst = destination(r, link->target_page, link->target_y);
    HPDF_Annotation annot = dst ? HPDF_Page_CreateLinkAnnot(r->pages[index], area, dst) : NULL;
    /* Without a border style libharu's link draws a visible border; /F 4 (print) as PDF/A
     * asks of every annotation (ISO 19005-2, 6.3.2). */
    if (!annot || HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0) != HPDF_OK ||
        HPDF_Dict_AddNumber(annot, "F", 4) != HPDF_OK)
        return pdf_hpdf_failed(r);
    return 0;
}

static int add_page_links(pdf_render *r, size_t index)
{
    const bp_page *page = bp_document_page(r->doc, index);
    r->step = "adding a link";
    for (size_t i = 0; i < page->count; i++)
        if (page->items[i].kind == BP_ITEM_LINK && add_link(r, index, &page->items[i].u.link) != 0)
            return -1;
    return 0;
}

/* The pages being built: every thread writes its share of `streams`. */
typedef struct content_job {
    const pdf_render *r;
    pdf_page_stream *streams;
    size_t count;
} content_job;

/* A thread's share of the pages: every `stride`-th page from `first`. */
/* Pages up to which content is deflated for size, not speed (see pdf_content.c). */
enum { SHORT_DOCUMENT_PAGES = 100 };

static void build_pages(void *ctx, size_t first, size_t stride)
{
    const content_job *job = ctx;
    pdf_content_scratch scratch = PDF_CONTENT_SCRATCH_INIT;
    if (job->count > SHORT_DOCUMENT_PAGES)
        scratch.level = Z_BEST_SPEED;
    for (size_t i = first; i < job->count; i += stride) {
        pdf_page_stream *ps = &job->streams[i];
        pdf_content_build(job->r, i, ps, &scratch);
        /* Hashed here, on the thread that built it, not in one pass over every page after. */
        bp_sha256_state digest;
        bp_sha256_init(&digest);
        if (!ps->failed)
            bp_sha256_update(&digest, ps->data, ps->size);
        bp_sha256_final(&digest, ps->digest);
    }
    pdf_content_scratch_free(&scratch);
}

/* Builds every page's content stream, on r->threads threads: the operators of a 670-page
 * table are tens of megabytes to write and deflate, and pages are independent. */
static void build_all_pages(const pdf_render *r, pdf_page_stream *streams, size_t count)
{
    content_job job = {r, streams, count};
    bp_run_strided(bp_strided_threads(r->threads, count), build_pages, &job);
}

static int write_pages(pdf_render *r)
{
    size_t count = bp_document_page_count(r->doc);
    pdf_page_stream *streams = calloc(count ? count : 1, sizeof *streams);
    if (!streams)
        return pdf_fail(r, "out of memory");
    int rc = 0;
    r->step = "naming the fonts of a page";
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = pdf_content_register_fonts(r, i, &streams[i]);
    if (rc == 0)
        build_all_pages(r, streams, count);
    /* The document ID: a digest of the pages' digests, so the same document always gets the
     * same ID and a changed one a different ID. */
    bp_sha256_state digest;
    bp_sha256_init(&digest);
    for (size_t i = 0; i < count && rc == 0; i++)
        bp_sha256_update(&digest, streams[i].digest, sizeof streams[i].digest);
    bp_sha256_final(&digest, r->document_id);
    /* Each page's own digest goes into the record's piece (pdf_record.c): a reader tells by
     * it that the page is still the one the record describes. */
    r->page_digests = calloc(count ? count : 1, PDF_PAGE_DIGEST);
    if (!r->page_digests)
        rc = pdf_fail(r, "out of memory");
    for (size_t i = 0; i < count && rc == 0; i++)
        memcpy(r->page_digests + i * PDF_PAGE_DIGEST, streams[i].digest, PDF_PAGE_DIGEST);
    r->step = "writing a page";
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = pdf_content_attach(r, i, &streams[i]) != 0 || add_page_links(r, i) != 0 ? -1 : 0;
    for (size_t i = 0; i < count; i++)
        free(streams[i].data);
    free(streams);
    return rc;
}

/* Bookmarks, nested by level: an entry hangs under the last entry one level up (a level that
 * skips ahead hangs under the deepest open entry). Titles go through libharu's UTF-8 encoder,
 * which writes them as UTF-16BE, so Chinese titles show in every reader. */
static int add_outline(pdf_render *r)
{
    size_t count = bp_document_outline_count(r->doc);
    if (count == 0)
        return 0;
    r->step = "adding the outline";
    HPDF_Encoder utf8 = HPDF_GetEncoder(r->pdf, "UTF-8");
    HPDF_Outline open[OUTLINE_MAX_DEPTH];
    int depth = 0;
    for (size_t i = 0; i < count && utf8; i++) {
        const bp_outline_entry *entry = bp_document_outline(r->doc, i);
        int level = entry->level < 0 ? 0 : entry->level;
        if (level > depth)
            level = depth;
        if (level >= OUTLINE_MAX_DEPTH)
            level = OUTLINE_MAX_DEPTH - 1;
        HPDF_Outline parent = level > 0 ? open[level - 1] : NULL;
        HPDF_Outline item = HPDF_CreateOutline(r->pdf, parent, entry->title, utf8);
        HPDF_Array dst = item ? outline_destination(r, entry->page, entry->y) : NULL;
        if (!dst || HPDF_Dict_Add(item, "Dest", dst) != HPDF_OK ||
            HPDF_Outline_SetOpened(item, level == 0) != HPDF_OK)
            return pdf_hpdf_failed(r);
        open[level] = item;
        depth = level + 1;
    }
    if (!utf8 || HPDF_SetPageMode(r->pdf, HPDF_PAGE_MODE_USE_OUTLINE) != HPDF_OK)
        return pdf_hpdf_failed(r);
    return 0;
}

/* Title, author, … in UTF-8: with the UTF-8 encoder current, libharu writes them as UTF-16BE
 * (without it, readers show the raw bytes as mojibake). */
static int set_info(pdf_render *r)
{
    const bp_doc_info *info = bp_document_info(r->doc);
    const struct {
        HPDF_InfoType type;
        const char *value;
    } fields[] = {{HPDF_INFO_TITLE, info->title},
                  {HPDF_INFO_AUTHOR, info->author},
                  {HPDF_INFO_SUBJECT, info->subject},
                  {HPDF_INFO_KEYWORDS, info->keywords},
                  {HPDF_INFO_CREATOR, info->creator}};
    r->step = "writing the document information";
    if (HPDF_SetCurrentEncoder(r->pdf, "UTF-8") != HPDF_OK)
        return pdf_hpdf_failed(r);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].value && fields[i].value[0] &&
            HPDF_SetInfoAttr(r->pdf, fields[i].type, fields[i].value) != HPDF_OK)
            return pdf_hpdf_failed(r);
    /* A key of our own in the information dictionary (ISO 32000-1, 14.3.3, allows any): plain
     * ASCII hex, so a later run finds it by reading the file's bytes. */
    if (info->source && r->pdf->info &&
        HPDF_Dict_Add(r->pdf->info, "BudgetpressSource",
                      HPDF_String_New(r->pdf->mmgr, info->source, NULL)) != HPDF_OK)
        return pdf_hpdf_failed(r);
    if (info->year == 0)
        return 0;
    /* The documents are Chinese government publications, dated in China Standard Time, one
     * zone for the whole country: UTC+08:00. */
    HPDF_Date date = {info->year,   info->month, info->day, info->hour, info->minute,
                      info->second, '+',         8,         0};
    /* The modification date is the creation date: the record's /LastModified says the same
     * (pdf_record.c), so a later edit that dates itself shows the record older. */
    if (HPDF_SetInfoDateAttr(r->pdf, HPDF_INFO_CREATION_DATE, date) != HPDF_OK ||
        HPDF_SetInfoDateAttr(r->pdf, HPDF_INFO_MOD_DATE, date) != HPDF_OK)
        return pdf_hpdf_failed(r);
    return 0;
}

/* /PageLabels, so that a reader's page box shows the folio printed on the page: the pages
 * before the first labelled one (cover, contents) in lower-case roman numerals, then decimal
 * numbers from the first label on. Nothing when no page carries a label. */
static int add_page_labels(pdf_render *r)
{
    size_t count = bp_document_page_count(r->doc), first = count;
    for (size_t i = 0; i < count && first == count; i++)
        if (bp_document_page(r->doc, i)->label)
            first = i;
    if (first == count)
        return 0;
    long number = strtol(bp_document_page(r->doc, first)->label, NULL, 10);
    if (number < 1)
        return 0; /* not a decimal folio: leave the reader's own numbering */
    r->step = "adding page labels";
    if (first > 0 &&
        HPDF_AddPageLabel(r->pdf, 0, HPDF_PAGE_NUM_STYLE_LOWER_ROMAN, 1, NULL) != HPDF_OK)
        return pdf_hpdf_failed(r);
    if (HPDF_AddPageLabel(r->pdf, (HPDF_UINT)first, HPDF_PAGE_NUM_STYLE_DECIMAL, (HPDF_UINT)number,
                          NULL) != HPDF_OK)
        return pdf_hpdf_failed(r);
    return 0;
}

/* The trailer's /ID, both halves the content digest: libharu writes none by itself, and a
 * fixed ID keeps the output reproducible (HPDF_Doc_Rec.trailer, 2.3.0). */
static int set_document_id(pdf_render *r)
{
    r->step = "setting the document ID";
    HPDF_Array id = HPDF_Array_New(r->pdf->mmgr);
    if (!id || HPDF_Array_Add(id, HPDF_Binary_New(r->pdf->mmgr, r->document_id, 16)) != HPDF_OK ||
        HPDF_Array_Add(id, HPDF_Binary_New(r->pdf->mmgr, r->document_id, 16)) != HPDF_OK ||
        HPDF_Dict_Add(r->pdf->trailer, "ID", id) != HPDF_OK)
        return pdf_hpdf_failed(r);
    return 0;
}

static int build_document(pdf_render *r)
{
    if (check_document(r) != 0 || pdf_record_start(r) != 0 ||
        subset_build(&r->subset, r->doc, r->fonts, r->diags, r->file) != 0 ||
        open_document(r) != 0 || add_pages(r) != 0 || pdf_fonts_embed(r) != 0)
        return -1;
    if (write_pages(r) != 0)
        return -1;
    if (add_outline(r) != 0 || add_page_labels(r) != 0 || set_info(r) != 0 ||
        set_document_id(r) != 0 || pdf_archive_add(r) != 0 || pdf_record_add(r) != 0)
        return -1;
    return r->tagged ? pdf_tags_prepare(r) : 0;
}

/* ---- Output ---- */

enum { TAIL_SIZE = 40 };

/* Keeps the last TAIL_SIZE bytes written, as a string. */
static void keep_tail(char *tail, const HPDF_BYTE *chunk, size_t n)
{
    size_t have = strlen(tail), take = n < TAIL_SIZE ? n : TAIL_SIZE;
    size_t keep = have + take > TAIL_SIZE ? TAIL_SIZE - take : have;
    memmove(tail, tail + have - keep, keep);
    memcpy(tail + keep, chunk + n - take, take);
    tail[keep + take] = '\0';
}

/* The offset in "startxref\nN\n%%EOF" at the end of libharu's file. */
static int find_startxref(const char *tail, size_t *offset)
{
    const char *p = strstr(tail, "startxref");
    if (!p)
        return -1;
    char *end;
    unsigned long long v = strtoull(p + 9, &end, 10);
    if (end == p + 9)
        return -1;
    *offset = (size_t)v;
    return 0;
}

/* Has libharu write the whole file into its memory stream, then hands it to write in pieces.
 * When report_refusal is false the caller reports a refused write itself (it knows why). */
static int write_output(pdf_render *r, bp_write_fn write, void *ctx, bool report_refusal)
{
    r->step = "writing the PDF";
    if (HPDF_SaveToStream(r->pdf) != HPDF_OK || HPDF_ResetStream(r->pdf) != HPDF_OK)
        return pdf_hpdf_failed(r);
    HPDF_UINT32 total = HPDF_GetStreamSize(r->pdf);
    HPDF_BYTE chunk[OUTPUT_CHUNK];
    char tail[TAIL_SIZE + 1] = ""; /* the file's last bytes: "startxref N %%EOF" */
    for (HPDF_UINT32 done = 0; done < total;) {
        HPDF_UINT32 n = total - done < OUTPUT_CHUNK ? total - done : OUTPUT_CHUNK;
        HPDF_STATUS st = HPDF_ReadFromStream(r->pdf, chunk, &n);
        if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || n == 0)
            return pdf_hpdf_failed(r);
        int refused = write(ctx, chunk, n);
        if (refused)
            return report_refusal ? pdf_fail(r,
                                             "the output was refused after %u of %u bytes "
                                             "(the writer returned %d); the PDF is incomplete",
                                             (unsigned)done, (unsigned)total, refused)
                                  : -1;
        keep_tail(tail, chunk, n);
        done += n;
    }
    if (!r->tagged)
        return 0;
    size_t base_xref;
    if (find_startxref(tail, &base_xref) != 0)
        return pdf_fail(r, "libharu's file does not end with its cross-reference offset");
    return pdf_tags_write_update(r, write, ctx, total, base_xref, report_refusal);
}

static int render(const bp_document *doc, const bp_fontset *fonts, const bp_pdf_options *opts,
                  bp_write_fn write, void *ctx, bp_diags *diags, const char *file,
                  bool report_refusal)
{
    pdf_render r = {
        .doc = doc,
        .fonts = fonts,
        .compress = !(opts && opts->uncompressed),
        .threads = opts ? opts->threads : 1,
        .tagged = bp_document_node_count(doc) > 0 && !(opts && opts->untagged),
        .diags = diags,
        .file = file,
        .step = "starting",
    };
    assert(!current_blocks); /* one render at a time on a thread */
    current_blocks = &r.hpdf_blocks;
    int rc = build_document(&r);
    if (rc == 0)
        rc = write_output(&r, write, ctx, report_refusal);
    pdf_fonts_free(&r);
    pdf_tags_free(&r);
    pdf_record_free(&r);
    free(r.pages);
    free(r.page_digests);
    if (r.pdf)
        HPDF_Free(r.pdf);
    hpdf_free_all(&r.hpdf_blocks);
    current_blocks = NULL;
    return rc;
}

int bp_render_pdf(const bp_document *doc, const bp_fontset *fonts, const bp_pdf_options *opts,
                  bp_write_fn write, void *ctx, bp_diags *diags)
{
    return render(doc, fonts, opts, write, ctx, diags, NULL, true);
}

/* ---- Into a file, atomically ---- */

int bp_render_pdf_file(const bp_document *doc, const bp_fontset *fonts, const bp_pdf_options *opts,
                       const char *path, bp_diags *diags)
{
    bp_outfile out;
    if (bp_outfile_open(&out, path, "the PDF", diags) != 0)
        return -1;
    if (render(doc, fonts, opts, bp_outfile_write, &out, diags, path, false) != 0 && !out.error) {
        bp_outfile_abort(&out);
        return -1;
    }
    /* Reports a failed write (a full disk) and removes the temporary; else moves it in place. */
    return bp_outfile_commit(&out, "the PDF", diags);
}

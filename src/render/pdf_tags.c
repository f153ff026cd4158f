/*
 * pdf_tags.c: the display list's structure tree as a tagged PDF: Document, Part, Sect, H1–H3,
 * P, L/LI/LBody, TOC/TOCI, Link, Table/THead/TBody/TR/TH/TD (ISO 32000-1, 14.7 and 14.8).
 *
 * Stage: backends (PDF), beside pdf_content.c, which marks each page's content with the MCIDs
 * numbered here in the same order (pdf_tags_run_is_content). The facts that shaped it:
 *
 * - Every structure element that owns marked content must be an indirect object (the parent
 *   tree points at it), so a 5,000-row table has tens of thousands of them. Written plainly,
 *   as libharu writes every object, each costs some 90 bytes with its cross-reference line:
 *   the tree would outweigh the pages. So the tree goes into deflated object streams with a
 *   cross-reference stream (PDF 1.5), appended after libharu's file as an incremental update:
 *   libharu cannot write either, and an update is how a PDF grows objects after its first
 *   cross-reference table. The catalog points at a placeholder StructTreeRoot that libharu
 *   writes and the update replaces.
 * - Header cells say what they head (/Scope) and spans say how far they reach (/RowSpan,
 *   /ColSpan), so that a reader can tell which 预算数 a figure belongs to.
 *
 * Output is deterministic: objects are numbered in the tree's reading order.
 */
#include "pdf_int.h"

#include <assert.h>

#include <hpdf_pages.h>
#include <stdlib.h>
#include <string.h>

/* Objects per object stream: enough for deflate to find the repetition, few enough that a
 * reader parsing one object does not inflate the whole tree. */
enum { OBJECTS_PER_STREAM = 4096 };

/* One marked-content sequence: page and MCID. */
typedef struct tag_mark {
    uint32_t page, mcid;
} tag_mark;

typedef struct pdf_tags {
    size_t nodes;          /* the document's node count; node ids 1..nodes, 0 the Document */
    uint32_t *mark_start;  /* nodes + 2: node i's marks are marks[mark_start[i] .. [i + 1]) */
    tag_mark *marks;       /* in page order, grouped by node */
    uint32_t *child_start; /* nodes + 2: node i's children are children[child_start[i] ..] */
    uint32_t *children;
    uint32_t *page_start; /* pages + 1: page p's MCIDs' nodes are page_nodes[page_start[p] ..] */
    uint32_t *page_nodes;
    uint32_t *link_node; /* per link annotation, in page order: its node (0: none) */
    HPDF_Annotation *link_annot;
    size_t links;
    uint32_t *object;       /* nodes + 1: each node's object number */
    bp_node_id *node_of;    /* from t->first + 2 on: the node each object is */
    uint32_t root_object;   /* the placeholder StructTreeRoot libharu writes */
    uint32_t record_object; /* the placeholder of the record (pdf_record.c), or 0 */
    uint32_t first;         /* the first object number of the update */
    uint32_t count;         /* object numbers the update adds from `first` */
} pdf_tags;

static uint32_t object_id(const void *obj)
{
    return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF;
}

/* ---- What each node owns ---- */

/* A content run that opens a marked-content sequence, as pdf_content.c writes them. */
static bool opens_mark(const bp_page *page, size_t i)
{
    const bp_item *item = &page->items[i];
    return item->kind == BP_ITEM_GLYPHS && pdf_tags_run_is_content(&item->u.glyphs) &&
           pdf_tags_opens_mark(page, i);
}

/* Counting then filling: each node's marks in page order, each page's MCIDs' nodes. */
static int collect_marks(pdf_render *r, pdf_tags *t)
{
    size_t pages = bp_document_page_count(r->doc), total = 0;
    t->mark_start = calloc(t->nodes + 2, sizeof *t->mark_start);
    t->page_start = calloc(pages + 1, sizeof *t->page_start);
    if (!t->mark_start || !t->page_start)
        return -1;
    for (size_t p = 0; p < pages; p++) {
        const bp_page *page = bp_document_page(r->doc, p);
        t->page_start[p] = (uint32_t)total;
        for (size_t i = 0; i < page->count; i++) {
            const bp_item *item = &page->items[i];
            if (opens_mark(page, i)) {
                t->mark_start[item->u.glyphs.node + 1]++;
                total++;
            } else if (item->kind == BP_ITEM_LINK) {
                t->links++;
            }
        }
    }
    t->page_start[pages] = (uint32_t)total;
    for (size_t i = 1; i <= t->nodes + 1; i++)
        t->mark_start[i] += t->mark_start[i - 1];
    t->marks = malloc((total ? total : 1) * sizeof *t->marks);
    t->page_nodes = malloc((total ? total : 1) * sizeof *t->page_nodes);
    uint32_t *fill = malloc((t->nodes + 1) * sizeof *fill);
    t->link_node = calloc(t->links ? t->links : 1, sizeof *t->link_node);
    t->link_annot = calloc(t->links ? t->links : 1, sizeof *t->link_annot);
    if (!t->marks || !t->page_nodes || !fill || !t->link_node || !t->link_annot) {
        free(fill);
        return -1;
    }
    memcpy(fill, t->mark_start, (t->nodes + 1) * sizeof *fill);
    size_t link = 0;
    for (size_t p = 0; p < pages; p++) {
        const bp_page *page = bp_document_page(r->doc, p);
        uint32_t mcid = 0;
        for (size_t i = 0; i < page->count; i++) {
            const bp_item *item = &page->items[i];
            if (opens_mark(page, i)) {
                bp_node_id node = item->u.glyphs.node;
                t->page_nodes[t->page_start[p] + mcid] = node;
                t->marks[fill[node]++] = (tag_mark){(uint32_t)p, mcid++};
            } else if (item->kind == BP_ITEM_LINK) {
                t->link_node[link++] = item->u.link.node;
            }
        }
    }
    free(fill);
    return 0;
}

/* Each node's children in reading order (the order nodes were added); the Document is 0. */
static int collect_children(pdf_render *r, pdf_tags *t)
{
    t->child_start = calloc(t->nodes + 2, sizeof *t->child_start);
    t->children = malloc((t->nodes ? t->nodes : 1) * sizeof *t->children);
    uint32_t *fill = malloc((t->nodes + 1) * sizeof *fill);
    if (!t->child_start || !t->children || !fill) {
        free(fill);
        return -1;
    }
    for (bp_node_id i = 1; i <= t->nodes; i++)
        t->child_start[bp_document_node(r->doc, i)->parent + 1]++;
    for (size_t i = 1; i <= t->nodes + 1; i++)
        t->child_start[i] += t->child_start[i - 1];
    memcpy(fill, t->child_start, (t->nodes + 1) * sizeof *fill);
    for (bp_node_id i = 1; i <= t->nodes; i++)
        t->children[fill[bp_document_node(r->doc, i)->parent]++] = i;
    free(fill);
    return 0;
}

static size_t mark_count(const pdf_tags *t, bp_node_id n)
{
    return t->mark_start[n + 1] - t->mark_start[n];
}

static size_t child_count(const pdf_tags *t, bp_node_id n)
{
    return t->child_start[n + 1] - t->child_start[n];
}

/* The link annotations a node owns: a link node owns its own (one; the contents' lines). */
static size_t link_count(const pdf_render *r, const pdf_tags *t, bp_node_id n)
{
    size_t count = 0;
    const bp_node *node = bp_document_node(r->doc, n);
    if (!node || node->kind != BP_NODE_LINK) /* only a link owns an annotation */
        return 0;
    for (size_t i = 0; i < t->links; i++)
        count += t->link_node[i] == n;
    return count;
}

/* Object numbers: the root's placeholder is libharu's; then the parent tree, the Document and
 * every node, in reading order. Every element is an object of its own, an empty cell too:
 * poppler refuses an element written inside its parent. */
static int number_objects(pdf_tags *t)
{
    t->object = calloc(t->nodes + 1, sizeof *t->object);
    t->node_of = malloc((t->nodes ? t->nodes : 1) * sizeof *t->node_of);
    if (!t->object || !t->node_of)
        return -1;
    uint32_t next = t->first + 2; /* first: the parent tree; first + 1: the Document */
    for (bp_node_id i = 1; i <= t->nodes; i++) {
        t->node_of[next - t->first - 2] = i;
        t->object[i] = next++;
    }
    t->count = next - t->first;
    return 0;
}

/* ---- Before libharu saves ---- */

static HPDF_STATUS add_name_dict(pdf_render *r, HPDF_Dict to, const char *key, const char *name,
                                 HPDF_BOOL value)
{
    HPDF_Dict d = HPDF_Dict_New(r->pdf->mmgr);
    if (!d)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_STATUS st = HPDF_Dict_AddBoolean(d, name, value);
    return st != HPDF_OK ? st : HPDF_Dict_Add(to, key, d);
}

/* The catalog's keys of a tagged PDF, and the placeholder root it points at. */
static int mark_catalog(pdf_render *r, pdf_tags *t)
{
    HPDF_Dict catalog = r->pdf->catalog;
    HPDF_Dict root = HPDF_Dict_New(r->pdf->mmgr);
    if (!root || HPDF_Xref_Add(r->pdf->xref, root) != HPDF_OK)
        return pdf_hpdf_failed(r);
    t->root_object = object_id(root);
    HPDF_STATUS st = HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
    st |= HPDF_Dict_Add(catalog, "StructTreeRoot", root);
    st |= add_name_dict(r, catalog, "MarkInfo", "Marked", HPDF_TRUE);
    st |= add_name_dict(r, catalog, "ViewerPreferences", "DisplayDocTitle", HPDF_TRUE);
    st |= HPDF_Dict_Add(catalog, "Lang", HPDF_String_New(r->pdf->mmgr, "zh-CN", NULL));
    return st == HPDF_OK ? 0 : pdf_hpdf_failed(r);
}

/* The link annotations, in page order: libharu keeps them in each page's /Annots. */
static int find_annotations(pdf_render *r, pdf_tags *t)
{
    size_t link = 0;
    for (size_t p = 0; p < bp_document_page_count(r->doc); p++) {
        HPDF_Array annots = HPDF_Dict_GetItem(r->pages[p], "Annots", HPDF_OCLASS_ARRAY);
        for (HPDF_UINT i = 0; annots && i < annots->list->count && link < t->links; i++)
            t->link_annot[link++] = HPDF_Array_GetItem(annots, i, HPDF_OCLASS_DICT);
    }
    return link == t->links ? 0 : pdf_fail(r, "the links' annotations are not where expected");
}

int pdf_tags_prepare(pdf_render *r)
{
    r->step = "tagging the structure";
    pdf_tags *t = calloc(1, sizeof *t);
    if (!(r->tags = t))
        return pdf_fail(r, "out of memory");
    t->nodes = bp_document_node_count(r->doc);
    if (collect_marks(r, t) != 0 || collect_children(r, t) != 0)
        return pdf_fail(r, "out of memory");
    if (mark_catalog(r, t) != 0 || find_annotations(r, t) != 0)
        return -1;
    size_t pages = bp_document_page_count(r->doc);
    for (size_t p = 0; p < pages; p++)
        if (HPDF_Dict_AddNumber(r->pages[p], "StructParents", (HPDF_INT32)p) != HPDF_OK)
            return pdf_hpdf_failed(r);
    for (size_t i = 0; i < t->links; i++)
        if (t->link_node[i] && HPDF_Dict_AddNumber(t->link_annot[i], "StructParent",
                                                   (HPDF_INT32)(pages + i)) != HPDF_OK)
            return pdf_hpdf_failed(r);
    /* Object streams and cross-reference streams are PDF 1.5; 1.7 is what the rest says. */
    r->pdf->pdf_version = HPDF_VER_17;
    t->first = (uint32_t)r->pdf->xref->entries->count;
    return number_objects(t) != 0 ? pdf_fail(r, "out of memory") : 0;
}

/* ---- The objects ---- */

/* Decimal digits by hand: printf was a tenth of a long table's render. */
static void put_uint(bp_strbuf *out, uint64_t v)
{
    char digits[20];
    size_t n = 0;
    do
        digits[sizeof digits - ++n] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    bp_strbuf_append(out, digits + sizeof digits - n, n);
}

static void put_ref(bp_strbuf *out, uint32_t object)
{
    bp_strbuf_putc(out, ' ');
    put_uint(out, object);
    bp_strbuf_append(out, " 0 R", 4);
}

static uint32_t page_object(const pdf_render *r, uint32_t page)
{
    return object_id(r->pages[page]);
}

static uint32_t ref_of(const pdf_tags *t, bp_node_id n)
{
    return n ? t->object[n] : t->first + 1;
}

/* The attributes a table's cell carries: what a header heads, how far a span reaches. */
static void put_attributes(bp_strbuf *out, const bp_node *node)
{
    static const char *const scopes[] = {NULL, "Column", "Row", "Both"};
    bool span = node->row_span > 1 || node->col_span > 1;
    if ((node->kind != BP_NODE_TH || !node->scope) && !span)
        return;
    bp_strbuf_puts(out, "/A<</O/Table");
    if (node->kind == BP_NODE_TH && node->scope)
        bp_strbuf_printf(out, "/Scope/%s", scopes[node->scope]);
    if (node->row_span > 1)
        bp_strbuf_printf(out, "/RowSpan %u", (unsigned)node->row_span);
    if (node->col_span > 1)
        bp_strbuf_printf(out, "/ColSpan %u", (unsigned)node->col_span);
    bp_strbuf_puts(out, ">>");
}

/* /K: the children, then the marked content (an MCID on the element's /Pg page, an MCR
 * elsewhere), then the annotation of a link. */
static void put_kids(const pdf_render *r, const pdf_tags *t, bp_strbuf *out, bp_node_id n,
                     uint32_t page)
{
    size_t links = link_count(r, t, n);
    size_t kids = child_count(t, n) + mark_count(t, n) + links;
    if (kids == 0)
        return;
    bp_strbuf_puts(out, kids > 1 ? "/K[" : "/K");
    for (uint32_t c = t->child_start[n]; c < t->child_start[n + 1]; c++)
        put_ref(out, t->object[t->children[c]]);
    for (uint32_t m = t->mark_start[n]; m < t->mark_start[n + 1]; m++) {
        if (t->marks[m].page == page) {
            bp_strbuf_putc(out, ' ');
            put_uint(out, t->marks[m].mcid);
        } else
            bp_strbuf_printf(out, "<</Type/MCR/Pg %u 0 R/MCID %u>>",
                             (unsigned)page_object(r, t->marks[m].page),
                             (unsigned)t->marks[m].mcid);
    }
    for (size_t i = 0; links && i < t->links; i++)
        if (t->link_node[i] == n)
            bp_strbuf_printf(out, "<</Type/OBJR/Obj %u 0 R>>",
                             (unsigned)object_id(t->link_annot[i]));
    if (kids > 1)
        bp_strbuf_putc(out, ']');
}

/* A structure element's dictionary. */
static void put_element(const pdf_render *r, const pdf_tags *t, bp_strbuf *out, bp_node_id n)
{
    const bp_node *node = bp_document_node(r->doc, n);
    bp_strbuf_append(out, "<</S/", 5);
    bp_strbuf_puts(out, bp_node_kind_name(node->kind));
    bp_strbuf_append(out, "/P", 2);
    put_ref(out, ref_of(t, node->parent));
    uint32_t page = UINT32_MAX;
    if (mark_count(t, n)) {
        page = t->marks[t->mark_start[n]].page;
        bp_strbuf_puts(out, "/Pg");
        put_ref(out, page_object(r, page));
    }
    put_attributes(out, node);
    put_kids(r, t, out, n, page);
    bp_strbuf_puts(out, ">>");
}

/* The root, the parent tree and the Document, then each node with an object of its own. */
static void put_object(const pdf_render *r, const pdf_tags *t, bp_strbuf *out, uint32_t object,
                       bp_node_id node)
{
    size_t pages = bp_document_page_count(r->doc);
    if (object == t->root_object) {
        bp_strbuf_printf(out,
                         "<</Type/StructTreeRoot/K %u 0 R/ParentTree %u 0 R"
                         "/ParentTreeNextKey %zu>>",
                         (unsigned)(t->first + 1), (unsigned)t->first, pages + t->links);
    } else if (object == t->first) {
        bp_strbuf_puts(out, "<</Nums[");
        for (size_t p = 0; p < pages; p++) {
            bp_strbuf_printf(out, "%zu[", p);
            for (uint32_t i = t->page_start[p]; i < t->page_start[p + 1]; i++)
                bp_strbuf_printf(out, "%s%u 0 R", i > t->page_start[p] ? " " : "",
                                 (unsigned)t->object[t->page_nodes[i]]);
            bp_strbuf_puts(out, "]");
        }
        for (size_t i = 0; i < t->links; i++)
            if (t->link_node[i])
                bp_strbuf_printf(out, " %zu %u 0 R", pages + i,
                                 (unsigned)t->object[t->link_node[i]]);
        bp_strbuf_puts(out, "]>>");
    } else if (object == t->first + 1) {
        bp_strbuf_printf(out, "<</Type/StructElem/S/Document/P %u 0 R", (unsigned)t->root_object);
        put_kids(r, t, out, 0, UINT32_MAX);
        bp_strbuf_puts(out, ">>");
    } else {
        put_element(r, t, out, node);
    }
}

/* ---- The update: object streams, then a cross-reference stream ---- */

/* Writes what the update says and counts its bytes; a refused write stops everything. */
typedef struct update_writer {
    bp_write_fn write;
    void *ctx;
    size_t offset; /* from the file's start */
    int refused;
} update_writer;

static void emit(update_writer *u, const void *data, size_t size)
{
    if (u->refused || size == 0)
        return;
    u->refused = u->write(u->ctx, data, size);
    u->offset += size;
}

static void emit_str(update_writer *u, const bp_strbuf *s)
{
    emit(u, s->data, s->len);
}

static int deflate_all(const unsigned char *in, size_t size, unsigned char **out, size_t *out_size)
{
    uLongf bound = compressBound((uLong)size);
    *out = malloc(bound ? bound : 1);
    if (!*out)
        return -1;
    if (compress2(*out, &bound, in, (uLong)size, Z_DEFAULT_COMPRESSION) != Z_OK) {
        free(*out);
        *out = NULL;
        return -1;
    }
    unsigned char *fitted = realloc(*out, bound ? bound : 1); /* all streams wait together */
    if (fitted)
        *out = fitted;
    *out_size = bound;
    return 0;
}

/* A stream object of deflated data: its dictionary (without /Length and /Filter), then it. */
static int emit_packed_stream(update_writer *u, uint32_t object, const char *dict,
                              const unsigned char *packed, size_t packed_size)
{
    bp_strbuf head = BP_STRBUF_INIT;
    bp_strbuf_printf(&head, "%u 0 obj\n<<%s/Length %zu/Filter/FlateDecode>>\nstream\n",
                     (unsigned)object, dict, packed_size);
    int rc = head.failed ? -1 : 0;
    emit_str(u, &head);
    emit(u, packed, packed_size);
    emit(u, "\nendstream\nendobj\n", 18);
    bp_strbuf_free(&head);
    return rc;
}

static int emit_stream(update_writer *u, uint32_t object, const char *dict,
                       const unsigned char *data, size_t size)
{
    unsigned char *packed;
    size_t packed_size;
    if (deflate_all(data, size, &packed, &packed_size) != 0)
        return -1;
    int rc = emit_packed_stream(u, object, dict, packed, packed_size);
    free(packed);
    return rc;
}

/* One cross-reference entry: type, field 2 (offset or stream), field 3 (index), 1 + 4 + 2. */
static void put_entry(unsigned char *row, unsigned type, uint32_t f2, uint32_t f3)
{
    row[0] = (unsigned char)type;
    for (int i = 0; i < 4; i++)
        row[1 + i] = (unsigned char)(f2 >> (24 - 8 * i));
    row[5] = (unsigned char)(f3 >> 8);
    row[6] = (unsigned char)f3;
}

/* The update's objects in object-stream order: the root's replacement, then the parent tree,
 * the Document and the nodes, numbered from t->first. */
static void object_at(const pdf_tags *t, uint32_t index, uint32_t *object, bp_node_id *node)
{
    *object = index == 0 ? t->root_object : t->first + index - 1;
    *node = index >= 3 ? t->node_of[index - 3] : 0;
}

/* The xref rows: the record's replacement (when there is one), the root's, then t->first
 * onwards; the record's placeholder was made before the root's, so the rows ascend. */
static unsigned char *xref_row(unsigned char *rows, const pdf_tags *t, uint32_t object)
{
    size_t lead = t->record_object ? 1 : 0;
    if (lead && object == t->record_object)
        return rows;
    return rows + 7 * (lead + (object == t->root_object ? 0 : 1 + (size_t)(object - t->first)));
}

/* One object stream, built and deflated on a worker thread: objects [start, end). */
typedef struct objstm_chunk {
    uint32_t start, end;
    size_t first; /* where the objects begin, after the index */
    unsigned char *packed;
    size_t packed_size;
    bool failed;
} objstm_chunk;

static void build_chunk(const pdf_render *r, const pdf_tags *t, objstm_chunk *c)
{
    bp_strbuf body = BP_STRBUF_INIT, index = BP_STRBUF_INIT;
    for (uint32_t i = c->start; i < c->end; i++) {
        uint32_t object;
        bp_node_id node;
        object_at(t, i, &object, &node);
        put_uint(&index, object);
        bp_strbuf_putc(&index, ' ');
        put_uint(&index, body.len);
        bp_strbuf_putc(&index, ' ');
        put_object(r, t, &body, object, node);
        bp_strbuf_putc(&body, '\n');
    }
    c->first = index.len;
    if (!body.failed)
        bp_strbuf_append(&index, body.data, body.len);
    c->failed =
        body.failed || index.failed ||
        deflate_all((const unsigned char *)index.data, index.len, &c->packed, &c->packed_size) != 0;
    bp_strbuf_free(&body);
    bp_strbuf_free(&index);
}

typedef struct chunk_job {
    const pdf_render *r;
    objstm_chunk *chunks;
    size_t count;
} chunk_job;

static void build_chunks(void *ctx, size_t first, size_t stride)
{
    const chunk_job *job = ctx;
    for (size_t i = first; i < job->count; i += stride)
        build_chunk(job->r, job->r->tags, &job->chunks[i]);
}

/* The object streams are independent: each thread the render may use builds and deflates
 * every n-th, and the caller writes them in order (the bytes do not depend on the threads). */
static void build_all_chunks(const pdf_render *r, objstm_chunk *chunks, size_t count)
{
    chunk_job job = {r, chunks, count};
    bp_run_strided(bp_strided_threads(r->threads, count), build_chunks, &job);
}

static int write_object_streams(const pdf_render *r, const pdf_tags *t, update_writer *u,
                                unsigned char *rows, uint32_t streams)
{
    uint32_t objects = 1 + t->count;
    objstm_chunk *chunks = calloc(streams ? streams : 1, sizeof *chunks);
    if (!chunks)
        return -1;
    for (uint32_t k = 0; k < streams; k++) {
        chunks[k].start = k * OBJECTS_PER_STREAM;
        chunks[k].end = objects - chunks[k].start > OBJECTS_PER_STREAM
                            ? chunks[k].start + OBJECTS_PER_STREAM
                            : objects;
    }
    build_all_chunks(r, chunks, streams);
    int rc = 0;
    for (uint32_t k = 0; k < streams && rc == 0; k++) {
        const objstm_chunk *c = &chunks[k];
        uint32_t stream = t->first + t->count + k;
        if (c->failed) {
            rc = -1;
            break;
        }
        for (uint32_t i = c->start; i < c->end; i++) {
            uint32_t object;
            bp_node_id node;
            object_at(t, i, &object, &node);
            put_entry(xref_row(rows, t, object), 2, stream, i - c->start);
        }
        char dict[64];
        snprintf(dict, sizeof dict, "/Type/ObjStm/N %u/First %zu", (unsigned)(c->end - c->start),
                 c->first);
        put_entry(xref_row(rows, t, stream), 1, (uint32_t)u->offset, 0);
        rc = emit_packed_stream(u, stream, dict, c->packed, c->packed_size);
    }
    for (uint32_t k = 0; k < streams; k++)
        free(chunks[k].packed);
    free(chunks);
    return rc;
}

/* PNG "Up" prediction of the rows (each row less the one above, after a filter byte 2): the
 * rows of an object stream's objects differ by one in their index, which deflate then packs
 * to almost nothing. */
static unsigned char *predict_rows(const unsigned char *rows, size_t count)
{
    unsigned char *out = malloc(count * 8 + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        out[i * 8] = 2;
        for (int b = 0; b < 7; b++)
            out[i * 8 + 1 + b] = (unsigned char)(rows[i * 7 + b] - (i ? rows[(i - 1) * 7 + b] : 0));
    }
    return out;
}

/* The cross-reference stream of the update: the root's replacement, then every object from
 * t->first to itself; the trailer's keys with /Prev pointing at libharu's table. */
static int write_xref_stream(const pdf_render *r, const pdf_tags *t, update_writer *u,
                             unsigned char *rows, uint32_t streams, size_t base_xref)
{
    uint32_t self = t->first + t->count + streams;
    uint32_t count = (t->record_object ? 1 : 0) + 1 + (self - t->first + 1);
    size_t offset = u->offset;
    put_entry(xref_row(rows, t, self), 1, (uint32_t)offset, 0);
    unsigned char *predicted = predict_rows(rows, count);
    if (!predicted)
        return -1;
    bp_strbuf dict = BP_STRBUF_INIT;
    bp_strbuf_printf(&dict, "/Type/XRef/Size %u/Index[", (unsigned)(self + 1));
    if (t->record_object)
        bp_strbuf_printf(&dict, "%u 1 ", (unsigned)t->record_object);
    bp_strbuf_printf(&dict,
                     "%u 1 %u %u]/W[1 4 2]"
                     "/DecodeParms<</Columns 7/Predictor 12>>/Prev %zu/Root %u 0 R",
                     (unsigned)t->root_object, (unsigned)t->first, (unsigned)(self - t->first + 1),
                     base_xref, (unsigned)object_id(r->pdf->catalog));
    if (r->pdf->info)
        bp_strbuf_printf(&dict, "/Info %u 0 R", (unsigned)object_id(r->pdf->info));
    bp_strbuf_puts(&dict, "/ID[<");
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < 16; i++)
            bp_strbuf_printf(&dict, "%02X", r->document_id[i]);
        bp_strbuf_puts(&dict, k == 0 ? "><" : ">]");
    }
    int rc = dict.failed ? -1 : emit_stream(u, self, dict.data, predicted, (size_t)count * 8);
    bp_strbuf_free(&dict);
    free(predicted);
    char tail[48];
    int n = snprintf(tail, sizeof tail, "startxref\n%zu\n%%%%EOF\n", offset);
    emit(u, tail, (size_t)n);
    return rc;
}

int pdf_tags_write_update(pdf_render *r, bp_write_fn write, void *ctx, size_t base_size,
                          size_t base_xref, bool report_refusal)
{
    pdf_tags *t = r->tags;
    const unsigned char *record = NULL;
    size_t record_size = 0;
    int has_record = pdf_record_for_update(r, &t->record_object, &record, &record_size);
    if (has_record < 0)
        return -1;
    if (has_record > 0)
        t->record_object = 0;
    assert(!t->record_object || t->record_object < t->root_object);
    r->step = "writing the structure tree";
    uint32_t objects = 1 + t->count;
    uint32_t streams = (objects + OBJECTS_PER_STREAM - 1) / OBJECTS_PER_STREAM;
    size_t rows_count = 1 + 1 + (size_t)t->count + streams + 1;
    unsigned char *rows = calloc(rows_count, 7);
    if (!rows)
        return pdf_fail(r, "out of memory");
    update_writer u = {write, ctx, base_size, 0};
    int rc = 0;
    if (t->record_object) {
        put_entry(xref_row(rows, t, t->record_object), 1, (uint32_t)u.offset, 0);
        rc = emit_packed_stream(&u, t->record_object, "", record, record_size);
    }
    if (rc == 0)
        rc = write_object_streams(r, t, &u, rows, streams);
    if (rc == 0)
        rc = write_xref_stream(r, t, &u, rows, streams, base_xref);
    free(rows);
    if (u.refused)
        return report_refusal ? pdf_fail(r,
                                         "the output was refused while writing the structure "
                                         "tree (the writer returned %d); the PDF is incomplete",
                                         u.refused)
                              : -1;
    return rc == 0 ? 0 : pdf_fail(r, "out of memory");
}

void pdf_tags_free(pdf_render *r)
{
    pdf_tags *t = r->tags;
    if (!t)
        return;
    free(t->mark_start);
    free(t->marks);
    free(t->child_start);
    free(t->children);
    free(t->page_start);
    free(t->page_nodes);
    free(t->link_node);
    free(t->link_annot);
    free(t->object);
    free(t->node_of);
    free(t);
    r->tags = NULL;
}

/*
 * test_record_codec.c: the record a PDF carries (page.h, record.c): the sample's whole document
 * read back is the same document, item for item and node for node; the same document gives the
 * same bytes; glyph ids come back from the fonts' character maps; and a damaged record, cut
 * anywhere or with any byte changed, gives a reason and never a crash or a wrong read.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budgetpress/layout.h"
#include "budgetpress/model.h"
#include "budgetpress/page.h"
#include "test_support.h"

typedef struct fixture {
    bp_layout *layout;
    bp_fontset *fonts;
    bp_document *doc;
    unsigned char *record;
    size_t size;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx || load_reference_layout(&fx->layout, &fx->fonts) != 0)
        return -1;
    bp_diags diags = BP_DIAGS_INIT;
    bp_unit *unit = NULL;
    if (bp_unit_load_file(SAMPLE_PATH, &unit, &diags) != 0)
        return -1;
    fx->doc = bp_typeset(unit, fx->layout, fx->fonts, &diags);
    bp_unit_destroy(unit);
    bp_diags_clear(&diags);
    if (!fx->doc || bp_record_encode(fx->doc, fx->fonts, &fx->record, &fx->size) != 0)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    free(fx->record);
    bp_document_destroy(fx->doc);
    free_reference_layout(fx->layout, fx->fonts);
    free(fx);
    return 0;
}

/* What a function prints into a string (malloc'd). */
static char *printed(void (*print)(const void *, FILE *), const void *what)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    print(what, out);
    fclose(out);
    return text;
}

static void print_pages(const void *doc, FILE *out)
{
    for (size_t i = 0; i < bp_document_page_count(doc); i++)
        bp_page_dump(bp_document_page(doc, i), out);
}

static void print_record(const void *doc, FILE *out)
{
    bp_document_dump_record(doc, out);
}

static void assert_same_glyphs(const bp_document *a, const bp_document *b)
{
    assert_int_equal(bp_document_page_count(a), bp_document_page_count(b));
    for (size_t p = 0; p < bp_document_page_count(a); p++) {
        const bp_page *pa = bp_document_page(a, p), *pb = bp_document_page(b, p);
        assert_int_equal(pa->count, pb->count);
        for (size_t i = 0; i < pa->count; i++) {
            if (pa->items[i].kind != BP_ITEM_GLYPHS)
                continue;
            const bp_glyph_run *ra = &pa->items[i].u.glyphs, *rb = &pb->items[i].u.glyphs;
            assert_int_equal(ra->count, rb->count);
            assert_memory_equal(ra->ids, rb->ids, ra->count * sizeof *ra->ids);
            assert_memory_equal(ra->dx, rb->dx, ra->count * sizeof *ra->dx);
            assert_memory_equal(ra->clusters, rb->clusters, ra->count * sizeof *ra->clusters);
            assert_int_equal(ra->node, rb->node);
            assert_int_equal(ra->artifact, rb->artifact);
            assert_int_equal(ra->bold_stroke, rb->bold_stroke);
        }
    }
}

/* The sample read back is the sample: every page item, every node with its meaning and page,
 * the outline, the information, and with the fonts every glyph id. */
static void sample_reads_back_whole(void **state)
{
    fixture *fx = *state;
    bp_record rec;
    char why[200];
    assert_int_equal(bp_record_decode(fx->record, fx->size, fx->fonts, &rec, why, sizeof why), 0);
    char *pages_a = printed(print_pages, fx->doc), *pages_b = printed(print_pages, rec.doc);
    assert_string_equal(pages_a, pages_b);
    char *record_a = printed(print_record, fx->doc), *record_b = printed(print_record, rec.doc);
    assert_string_equal(record_a, record_b);
    assert_same_glyphs(fx->doc, rec.doc);
    assert_int_equal(bp_document_node_count(rec.doc), bp_document_node_count(fx->doc));
    for (bp_node_id id = 1; id <= bp_document_node_count(fx->doc); id++) {
        const bp_node *a = bp_document_node(fx->doc, id), *b = bp_document_node(rec.doc, id);
        assert_int_equal(a->x, b->x);
        assert_int_equal(a->w, b->w);
        assert_int_equal(a->page, b->page);
        assert_int_equal(a->scope, b->scope);
    }
    assert_int_equal(bp_document_outline_count(rec.doc), bp_document_outline_count(fx->doc));
    const bp_doc_info *ia = bp_document_info(fx->doc), *ib = bp_document_info(rec.doc);
    assert_string_equal(ia->title, ib->title);
    assert_string_equal(ib->unit_code, "201001");
    assert_string_equal(ia->layout_digest, ib->layout_digest);
    assert_int_equal(ib->unit_year, 2022);
    /* The faces, as the fontset knows them. */
    assert_int_equal(rec.face_count, bp_fontset_face_count(fx->fonts));
    for (int i = 0; i < rec.face_count; i++) {
        const bp_face_info *f = bp_fontset_face(fx->fonts, i);
        assert_string_equal(rec.faces[i].path, f->path);
        assert_string_equal(rec.faces[i].head_sha256, f->head_sha256);
        assert_int_equal(rec.faces[i].size, f->file_size);
    }
    free(pages_a);
    free(pages_b);
    free(record_a);
    free(record_b);
    bp_record_free(&rec);
}

/* Without the fonts the ids the character maps give are 0, and everything else is read. */
static void without_fonts_everything_but_ids(void **state)
{
    fixture *fx = *state;
    bp_record rec;
    char why[200];
    assert_int_equal(bp_record_decode(fx->record, fx->size, NULL, &rec, why, sizeof why), 0);
    char *a = printed(print_record, fx->doc), *b = printed(print_record, rec.doc);
    assert_string_equal(a, b);
    free(a);
    free(b);
    bp_record_free(&rec);
}

static void same_document_same_bytes(void **state)
{
    fixture *fx = *state;
    unsigned char *again;
    size_t size;
    assert_int_equal(bp_record_encode(fx->doc, fx->fonts, &again, &size), 0);
    assert_int_equal(size, fx->size);
    assert_memory_equal(again, fx->record, size);
    free(again);
    /* Compact: smaller than the text dump of the pages, though it holds the glyphs and the
     * structure tree besides (the PDF deflates it further, to a quarter). */
    char *dump = printed(print_pages, fx->doc);
    assert_true(fx->size < strlen(dump));
    free(dump);
}

/* A record cut anywhere is refused with a reason. */
static void cut_records_are_refused(void **state)
{
    fixture *fx = *state;
    bp_record rec;
    char why[200];
    for (size_t n = 0; n < fx->size; n += n < 4096 ? 1 : 97) {
        why[0] = '\0';
        assert_int_equal(bp_record_decode(fx->record, n, NULL, &rec, why, sizeof why), -1);
        assert_true(why[0] != '\0');
        assert_null(rec.doc);
    }
}

/* Any byte changed: read or refused, never a crash (the sanitizer build watches the reads). */
static void changed_bytes_never_crash(void **state)
{
    fixture *fx = *state;
    unsigned char *copy = malloc(fx->size);
    assert_non_null(copy);
    uint32_t seed = 12345;
    size_t refused = 0, tries = 3000;
    for (size_t t = 0; t < tries; t++) {
        memcpy(copy, fx->record, fx->size);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 3) % fx->size;
            /* Bytes near the start (the columns' lengths, the information) most often. */
            if (t % 2)
                at %= 256;
            copy[at] ^= (unsigned char)(1u << ((seed >> 24) % 8));
        }
        bp_record rec;
        char why[200];
        if (bp_record_decode(copy, fx->size, fx->fonts, &rec, why, sizeof why) == 0)
            bp_record_free(&rec);
        else
            refused++;
    }
    assert_true(refused > 0);
    free(copy);
}

static void not_a_record(void **state)
{
    (void)state;
    bp_record rec;
    char why[200];
    assert_int_equal(bp_record_decode("BPREC2\n", 7, NULL, &rec, why, sizeof why), -1);
    assert_string_equal(why, "not a budgetpress record of version 1");
    /* Columns longer than the record. */
    const unsigned char longer[] = "BPREC1\n\x7f\x01\x01\x01\x01";
    assert_int_equal(bp_record_decode(longer, sizeof longer - 1, NULL, &rec, why, sizeof why), -1);
    assert_string_equal(why, "the record is shorter than its columns say");
}

/* The inputs fuzz_record found trouble with (tests/data/fuzz-record/), read again: refused or
 * read, never undefined behaviour (the sanitizer build stops on it). */
static void fuzz_findings_read_cleanly(void **state)
{
    fixture *fx = *state;
    DIR *dir = opendir(BP_SOURCE_DIR "/tests/data/fuzz-record");
    assert_non_null(dir);
    size_t files = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/tests/data/fuzz-record/%s", BP_SOURCE_DIR, e->d_name);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        static unsigned char data[1 << 20];
        size_t size = fread(data, 1, sizeof data, f);
        fclose(f);
        bp_record rec;
        char why[200];
        if (bp_record_decode(data, size, fx->fonts, &rec, why, sizeof why) == 0)
            bp_record_free(&rec);
        files++;
    }
    closedir(dir);
    assert_true(files > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sample_reads_back_whole),
        cmocka_unit_test(without_fonts_everything_but_ids),
        cmocka_unit_test(same_document_same_bytes),
        cmocka_unit_test(cut_records_are_refused),
        cmocka_unit_test(changed_bytes_never_crash),
        cmocka_unit_test(not_a_record),
        cmocka_unit_test(fuzz_findings_read_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

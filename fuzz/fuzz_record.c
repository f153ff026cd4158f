/*
 * fuzz_record.c: the record a PDF carries, as compare meets it from a file it did not write: any
 * bytes decoded (with the fonts, as for drawing), and a record that decodes compared with the
 * sample's, through every step of the comparison (tables, rows, text, geometry, page map).
 * Seeds: the sample's record and those of small generated units (scripts/fuzz.sh makes them).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "budgetpress/compare.h"
#include "budgetpress/model.h"
#include "fuzz_support.h"

static bp_layout *layout;
static bp_fontset *fonts;
static unsigned char *sample;
static size_t sample_size;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_load_reference(&layout, &fonts);
    bp_diags diags = BP_DIAGS_INIT;
    bp_unit *unit = NULL;
    bp_document *doc = NULL;
    if (bp_unit_load_file(BP_SOURCE_DIR "/samples/201001-2022.json", &unit, &diags) != 0 ||
        !(doc = bp_typeset(unit, layout, fonts, &diags)) ||
        bp_record_encode(doc, fonts, &sample, &sample_size) != 0)
        abort();
    bp_document_destroy(doc);
    bp_unit_destroy(unit);
    bp_diags_clear(&diags);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bp_record rec;
    char why[256];
    if (bp_record_decode(data, size, fonts, &rec, why, sizeof why) != 0)
        return 0;
    bp_record_free(&rec);
    bp_cmp_source a = {.state = BP_CMP_RECORD, .record = sample, .record_size = sample_size};
    bp_cmp_source b = {
        .state = BP_CMP_RECORD, .record = (unsigned char *)data, .record_size = size};
    strcpy(a.path, "sample.pdf");
    strcpy(b.path, "fuzzed.pdf");
    bp_comparison *c = bp_compare_sources(&a, &b, NULL);
    bp_comparison_free(c);
    c = bp_compare_sources(&b, &a, NULL);
    bp_comparison_free(c);
    return 0;
}

/*
 * test_shape.c: shaping with the real pinned fonts: advances, clusters, fallback, missing
 * characters. Expected advances come from FreeType, read independently of the fontset.
 *
 * Roles in these tests: body = UMing then Zen Hei; heading = Zen Hei then UMing; table = UMing
 * alone (so a character only Zen Hei has is missing there).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "budgetpress/model.h"
#include "budgetpress/text.h"
#include "test_support.h"
#include "util/util.h"

#define UMING "/usr/share/fonts/truetype/arphic/uming.ttc"
#define ZENHEI "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#define SIZE BP_PT(10.5)
#define MIXED "2022年预算847.45万元（合计）"

/* Both fonts as FreeType sees them, and the fontset under test. */
typedef struct fixture {
    bp_fontset *fonts;
    int uming_id, zenhei_id; /* face ids in the fontset */
    FT_Library library;
    FT_Face uming, zenhei;
} fixture;

static int face_id_of(const bp_fontset *fonts, const char *path)
{
    for (int i = 0; i < bp_fontset_face_count(fonts); i++)
        if (strcmp(bp_fontset_face(fonts, i)->path, path) == 0)
            return i;
    return -1;
}

static void add_face(bp_fontset_spec *spec, bp_font_role role, const char *path)
{
    spec->faces[role][spec->face_count[role]++] = (bp_face_spec){.path = path, .index = 0};
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    bp_fontset_spec spec = {0};
    add_face(&spec, BP_ROLE_BODY, UMING);
    add_face(&spec, BP_ROLE_BODY, ZENHEI);
    add_face(&spec, BP_ROLE_HEADING, ZENHEI);
    add_face(&spec, BP_ROLE_HEADING, UMING);
    add_face(&spec, BP_ROLE_TABLE, UMING);
    add_face(&spec, BP_ROLE_NUMBER, UMING);
    add_face(&spec, BP_ROLE_NUMBER, ZENHEI);
    bp_diags diags = BP_DIAGS_INIT;
    f->fonts = bp_fontset_load(&spec, &diags);
    print_diags_to_stderr(&diags);
    bp_diags_clear(&diags);
    if (!f->fonts || FT_Init_FreeType(&f->library) != 0 ||
        FT_New_Face(f->library, UMING, 0, &f->uming) != 0 ||
        FT_New_Face(f->library, ZENHEI, 0, &f->zenhei) != 0)
        return -1;
    f->uming_id = face_id_of(f->fonts, UMING);
    f->zenhei_id = face_id_of(f->fonts, ZENHEI);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    FT_Done_Face(f->uming);
    FT_Done_Face(f->zenhei);
    FT_Done_FreeType(f->library);
    bp_fontset_destroy(f->fonts);
    free(f);
    return 0;
}

/* The advance of cp in face, in font units, as FreeType reads the hmtx table. */
static long font_units_advance(FT_Face face, uint32_t cp)
{
    assert_int_equal(FT_Load_Char(face, cp, FT_LOAD_NO_SCALE), 0);
    return face->glyph->metrics.horiAdvance;
}

/* units * size / upem, rounded to nearest: the contract of text.h. */
static bp_len expected_advance(FT_Face face, uint32_t cp, bp_len size)
{
    long units = font_units_advance(face, cp);
    int upem = face->units_per_EM;
    return (bp_len)((units * size + upem / 2) / upem);
}

static void shape(const fixture *f, bp_font_role role, const char *text, bp_shaped *shaped)
{
    assert_int_equal(bp_shape(f->fonts, role, SIZE, text, strlen(text), shaped), 0);
}

static void advances_are_font_units_scaled_to_size(void **state)
{
    const fixture *f = *state;
    /* Both faces have 1024 units per em; an ideograph is a full em wide. */
    assert_int_equal(f->uming->units_per_EM, 1024);
    assert_int_equal(f->zenhei->units_per_EM, 1024);
    bp_shaped shaped = BP_SHAPED_INIT;
    shape(f, BP_ROLE_BODY, "预算", &shaped);
    assert_int_equal(shaped.count, 2);
    assert_int_equal(font_units_advance(f->uming, 0x9884), 1024);
    assert_int_equal(shaped.glyphs[0].advance, SIZE);
    assert_int_equal(shaped.glyphs[1].advance, expected_advance(f->uming, 0x7B97, SIZE));
    assert_int_equal(shaped.glyphs[0].face, f->uming_id);
    assert_int_equal(shaped.glyphs[0].id, FT_Get_Char_Index(f->uming, 0x9884));

    /* Zen Hei's digits are 614 units: 614 * 10500 / 1024 = 6295.9, rounded to 6296. */
    shape(f, BP_ROLE_HEADING, "8", &shaped);
    assert_int_equal(font_units_advance(f->zenhei, '8'), 614);
    assert_int_equal(shaped.glyphs[0].advance, 6296);
    assert_int_equal(shaped.glyphs[0].face, f->zenhei_id);

    /* Every character of the mixed string, in both faces, matches FreeType's advance. */
    const char *text = MIXED;
    for (int role = BP_ROLE_BODY; role <= BP_ROLE_HEADING; role++) {
        FT_Face face = role == BP_ROLE_BODY ? f->uming : f->zenhei;
        shape(f, (bp_font_role)role, text, &shaped);
        for (size_t g = 0; g < shaped.count; g++) {
            size_t n;
            uint32_t cp = bp_utf8_decode(text + shaped.glyphs[g].cluster,
                                         strlen(text) - shaped.glyphs[g].cluster, &n);
            assert_int_equal(shaped.glyphs[g].advance, expected_advance(face, cp, SIZE));
        }
    }
    /* Another size scales the same units. */
    assert_int_equal(bp_shape(f->fonts, BP_ROLE_BODY, BP_PT(12), "8", 1, &shaped), 0);
    assert_int_equal(shaped.glyphs[0].advance, 6000); /* 512 units: half an em */
    bp_shaped_free(&shaped);
}

static void mixed_text_is_one_glyph_per_character_clustered_by_byte(void **state)
{
    const fixture *f = *state;
    const char *text = MIXED;
    size_t len = strlen(text);
    bp_shaped shaped = BP_SHAPED_INIT;
    shape(f, BP_ROLE_BODY, text, &shaped);
    assert_int_equal(shaped.count, bp_utf8_count(text, len));
    assert_int_equal(shaped.missing_count, 0);
    size_t offset = 0;
    for (size_t g = 0; g < shaped.count; g++) {
        size_t n;
        uint32_t cp = bp_utf8_decode(text + offset, len - offset, &n);
        assert_int_equal(shaped.glyphs[g].cluster, offset);
        assert_int_equal(shaped.glyphs[g].face, f->uming_id);
        assert_int_equal(shaped.glyphs[g].id, FT_Get_Char_Index(f->uming, cp));
        offset += n;
    }
    /* "2022" takes four half ems, "年" a whole one. */
    assert_int_equal(shaped.glyphs[0].advance, SIZE / 2);
    assert_int_equal(shaped.glyphs[4].advance, SIZE);
    assert_int_equal(shaped.glyphs[4].cluster, 4);
    assert_int_equal(shaped.glyphs[5].cluster, 7);
    bp_shaped_free(&shaped);
}

/* The first ideograph Zen Hei has and UMing lacks, by scanning the CJK blocks. */
static uint32_t only_in_zenhei(const fixture *f)
{
    static const uint32_t blocks[][2] = {{0x4E00, 0x9FFF}, {0x3400, 0x4DBF}, {0x2E80, 0x33FF}};
    for (size_t b = 0; b < sizeof blocks / sizeof *blocks; b++)
        for (uint32_t cp = blocks[b][0]; cp <= blocks[b][1]; cp++)
            if (FT_Get_Char_Index(f->zenhei, cp) != 0 && FT_Get_Char_Index(f->uming, cp) == 0)
                return cp;
    return 0;
}

static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80)
        return (size_t)(out[0] = (char)cp, 1);
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static void a_character_the_primary_lacks_falls_back(void **state)
{
    const fixture *f = *state;
    uint32_t cp = only_in_zenhei(f);
    assert_true(cp != 0);
    char text[32] = "预";
    size_t len = 3 + put_utf8(text + 3, cp);
    memcpy(text + len, "算", 4); /* with its NUL */
    len += 3;

    bp_shaped shaped = BP_SHAPED_INIT;
    assert_int_equal(bp_shape(f->fonts, BP_ROLE_BODY, SIZE, text, len, &shaped), 0);
    assert_int_equal(shaped.count, 3);
    assert_int_equal(shaped.missing_count, 0);
    assert_int_equal(shaped.glyphs[0].face, f->uming_id);
    assert_int_equal(shaped.glyphs[1].face, f->zenhei_id); /* the fallback */
    assert_int_equal(shaped.glyphs[1].id, FT_Get_Char_Index(f->zenhei, cp));
    assert_int_equal(shaped.glyphs[1].advance, expected_advance(f->zenhei, cp, SIZE));
    assert_int_equal(shaped.glyphs[1].cluster, 3);
    assert_int_equal(shaped.glyphs[2].face, f->uming_id); /* back to the primary */
    assert_int_equal(shaped.glyphs[2].cluster, len - 3);

    /* The table role has no fallback: there the character is missing. */
    assert_int_equal(bp_shape(f->fonts, BP_ROLE_TABLE, SIZE, text, len, &shaped), 0);
    assert_int_equal(shaped.missing_count, 1);
    assert_int_equal(shaped.missing[0].codepoint, cp);
    assert_int_equal(shaped.missing[0].offset, 3);
    bp_shaped_free(&shaped);
}

static void a_character_no_face_has_is_listed(void **state)
{
    const fixture *f = *state;
    /* U+E000 (private use) at byte 3, U+10FFFD at byte 9. */
    const char *text = "预\xee\x80\x80算\xf4\x8f\xbf\xbd";
    bp_shaped shaped = BP_SHAPED_INIT;
    shape(f, BP_ROLE_BODY, text, &shaped);
    assert_int_equal(shaped.count, 4);
    assert_int_equal(shaped.missing_count, 2);
    assert_int_equal(shaped.missing[0].codepoint, 0xE000);
    assert_int_equal(shaped.missing[0].offset, 3);
    assert_int_equal(shaped.missing[1].codepoint, 0x10FFFD);
    assert_int_equal(shaped.missing[1].offset, 9);
    for (size_t g = 1; g < 4; g += 2) {
        assert_int_equal(shaped.glyphs[g].id, 0);
        assert_int_equal(shaped.glyphs[g].advance, SIZE / 2); /* half an em: layout goes on */
        assert_int_equal(shaped.glyphs[g].face, f->uming_id);
    }
    assert_int_equal(shaped.glyphs[1].cluster, 3);
    assert_int_equal(shaped.glyphs[3].cluster, 9);
    /* The characters around it are shaped as usual. */
    assert_int_equal(shaped.glyphs[2].advance, SIZE);
    assert_int_equal(shaped.glyphs[2].cluster, 6);

    /* A later call starts with an empty list. */
    shape(f, BP_ROLE_BODY, "预算", &shaped);
    assert_int_equal(shaped.missing_count, 0);
    bp_shaped_free(&shaped);
}

static void spaces_and_separators(void **state)
{
    const fixture *f = *state;
    bp_shaped shaped = BP_SHAPED_INIT;
    /* U+3000 is an ordinary character of the font; U+0020 too. */
    shape(f, BP_ROLE_BODY, "预\u3000算 a", &shaped);
    assert_int_equal(shaped.count, 5);
    assert_int_equal(shaped.missing_count, 0);
    assert_int_equal(shaped.glyphs[1].advance, SIZE);
    assert_int_equal(shaped.glyphs[3].advance, SIZE / 2);
    /* The fonts lack the thin space U+2009: HarfBuzz draws it as a narrower space. */
    shape(f, BP_ROLE_BODY, "8\u20099", &shaped);
    assert_int_equal(shaped.count, 3);
    assert_int_equal(shaped.missing_count, 0);
    assert_int_equal(shaped.glyphs[1].id, FT_Get_Char_Index(f->uming, ' '));
    assert_true(shaped.glyphs[1].advance > 0 && shaped.glyphs[1].advance < SIZE / 2);
    /* A line separator ends a line and draws nothing: no width, not missing. */
    shape(f, BP_ROLE_BODY, "预\u2028算", &shaped);
    assert_int_equal(shaped.count, 3);
    assert_int_equal(shaped.missing_count, 0);
    assert_int_equal(shaped.glyphs[1].advance, 0);
    assert_int_equal(shaped.glyphs[1].cluster, 3);
    /* A zero-width space is hidden by HarfBuzz: no width, not missing. */
    shape(f, BP_ROLE_BODY, "预\u200b算", &shaped);
    assert_int_equal(shaped.missing_count, 0);
    bp_len total = 0;
    for (size_t g = 0; g < shaped.count; g++)
        total += shaped.glyphs[g].advance;
    assert_int_equal(total, 2 * SIZE);
    /* The empty text shapes to nothing. */
    assert_int_equal(bp_shape(f->fonts, BP_ROLE_BODY, SIZE, "", 0, &shaped), 0);
    assert_int_equal(shaped.count, 0);
    bp_shaped_free(&shaped);
    bp_shaped_free(NULL);
}

/* Calls fn on every narrative string of the sample unit. */
static void for_each_sample_string(const bp_unit *u, void (*fn)(const char *, void *), void *ctx)
{
    const bp_explanation *e = &u->explanation;
    if (e->preface)
        fn(e->preface, ctx);
    for (int s = 0; s < BP_SEC__COUNT; s++)
        for (size_t b = 0; b < e->sections[s].block_count; b++) {
            const bp_block *block = &e->sections[s].blocks[b];
            if (block->text)
                fn(block->text, ctx);
            for (size_t i = 0; i < block->item_count; i++)
                fn(block->items[i], ctx);
        }
    for (size_t p = 0; p < u->performance.project_count; p++)
        for (size_t i = 0; i < u->performance.projects[p].indicator_count; i++) {
            const bp_indicator *ind = &u->performance.projects[p].indicators[i];
            const char *fields[] = {ind->level3, ind->description, ind->value, ind->basis};
            for (size_t k = 0; k < 4; k++)
                if (fields[k])
                    fn(fields[k], ctx);
        }
}

typedef struct sample_check {
    const fixture *f;
    bp_shaped shaped;
    size_t strings, characters;
} sample_check;

static void shape_and_check(const char *text, void *ctx)
{
    sample_check *c = ctx;
    size_t len = strlen(text);
    for (int role = BP_ROLE_BODY; role <= BP_ROLE_HEADING; role++) {
        assert_int_equal(bp_shape(c->f->fonts, (bp_font_role)role, SIZE, text, len, &c->shaped), 0);
        if (c->shaped.missing_count != 0)
            fail_msg("U+%04X missing at %u in \"%s\"", c->shaped.missing[0].codepoint,
                     c->shaped.missing[0].offset, text);
        assert_int_equal(c->shaped.count, bp_utf8_count(text, len));
    }
    c->strings++;
    c->characters += bp_utf8_count(text, len);
}

static void the_sample_shapes_without_a_missing_character(void **state)
{
    bp_unit *unit = NULL;
    bp_diags diags = BP_DIAGS_INIT;
    assert_int_equal(bp_unit_load_file(SAMPLE_PATH, &unit, &diags), 0);
    sample_check check = {*state, BP_SHAPED_INIT, 0, 0};
    for_each_sample_string(unit, shape_and_check, &check);
    assert_true(check.strings > 50);
    assert_true(check.characters > 5000);
    bp_shaped_free(&check.shaped);
    bp_unit_destroy(unit);
    bp_diags_clear(&diags);
}

/* Several threads shape with the one shared fontset and get identical results. */
typedef struct thread_job {
    const fixture *f;
    int differences;
} thread_job;

static void *shape_repeatedly(void *arg)
{
    thread_job *job = arg;
    bp_shaped first = BP_SHAPED_INIT, again = BP_SHAPED_INIT;
    const char *text = MIXED;
    bp_shape(job->f->fonts, BP_ROLE_BODY, SIZE, text, strlen(text), &first);
    for (int i = 0; i < 200; i++) {
        bp_shape(job->f->fonts, BP_ROLE_BODY, SIZE, text, strlen(text), &again);
        if (again.count != first.count ||
            memcmp(again.glyphs, first.glyphs, first.count * sizeof *first.glyphs) != 0)
            job->differences++;
    }
    bp_shaped_free(&first);
    bp_shaped_free(&again);
    return NULL;
}

static void threads_share_the_fontset(void **state)
{
    enum { THREADS = 4 };
    pthread_t threads[THREADS];
    thread_job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (thread_job){*state, 0};
        assert_int_equal(pthread_create(&threads[i], NULL, shape_repeatedly, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(jobs[i].differences, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(advances_are_font_units_scaled_to_size),
        cmocka_unit_test(mixed_text_is_one_glyph_per_character_clustered_by_byte),
        cmocka_unit_test(a_character_the_primary_lacks_falls_back),
        cmocka_unit_test(a_character_no_face_has_is_listed),
        cmocka_unit_test(spaces_and_separators),
        cmocka_unit_test(the_sample_shapes_without_a_missing_character),
        cmocka_unit_test(threads_share_the_fontset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

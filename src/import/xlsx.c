/*
 * xlsx.c: reads an Office Open XML workbook (.xlsx): the zip archive through libzip, its XML
 * parts through expat, into the workbook's sheets and cells (workbook.c).
 *
 * Stage: import, first step. Reads four kinds of part: xl/workbook.xml (the sheets, in order,
 * by name and relationship id), xl/_rels/workbook.xml.rels (where each sheet's part is),
 * xl/sharedStrings.xml (the texts cells refer to by number) and each sheet's part (its cells).
 * Never interprets a value: a number stays the decimal text the file wrote, so 0.1 is never
 * 0.1000000000000000055; a formula keeps its text and its stored result, if any.
 *
 * The facts that shaped it: writers differ (Excel, LibreOffice, WPS, openpyxl, the budget
 * platforms' exporters): namespace prefixes vary, so elements and attributes are matched by
 * local name; a cell may omit its reference and follow the one before; a text may be shared,
 * inline or a formula's string result; rich text splits a string into runs, and phonetic
 * guides (rPh) are not part of it. Every part is bounded when inflated.
 */
#include "import_int.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* ---- Parts of the archive ---- */

typedef struct archive {
    zip_t *zip;
    const char *path;
    bp_diags *diags;
} archive;

static int archive_error(const archive *a, const char *what)
{
    bp_diags_add(a->diags, BP_SEVERITY_ERROR, NULL, a->path, 0, 0, NULL, "%s", what);
    return -1;
}

/* The inflated bytes of a member, NUL-terminated; NULL with *missing true when there is no such
 * member, NULL with an error when it cannot be read. */
static char *read_part(const archive *a, const char *name, size_t *len, bool *missing)
{
    *missing = false;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(a->zip, name, 0, &st) != 0) {
        if (zip_error_code_zip(zip_get_error(a->zip)) == ZIP_ER_MEMORY) {
            archive_error(a, "out of memory reading the workbook");
            return NULL;
        }
        *missing = true;
        return NULL;
    }
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > WB_MAX_PART_BYTES) {
        archive_error(a, "the workbook holds a part larger than 256 MB: refused");
        return NULL;
    }
    zip_file_t *f = zip_fopen(a->zip, name, 0);
    char *data = f ? malloc((size_t)st.size + 1) : NULL;
    zip_int64_t got = data ? zip_fread(f, data, st.size) : -1;
    if (f)
        zip_fclose(f);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        bool memory = (f && !data) || zip_error_code_zip(zip_get_error(a->zip)) == ZIP_ER_MEMORY;
        free(data);
        archive_error(a, memory ? "out of memory reading the workbook"
                         : f    ? "the workbook is damaged or cut short (a part cannot be inflated)"
                                : "the workbook is encrypted or damaged (a part cannot be opened)");
        return NULL;
    }
    data[got] = '\0';
    *len = (size_t)got;
    return data;
}

/* ---- XML ---- */

/* Expat with namespaces gives "URI local"; a name without a namespace is just "local". */
static const char *local_name(const char *name)
{
    const char *space = strrchr(name, ' ');
    return space ? space + 1 : name;
}

static const char *attribute(const char **attrs, const char *local)
{
    for (size_t i = 0; attrs[i]; i += 2)
        if (strcmp(local_name(attrs[i]), local) == 0)
            return attrs[i + 1];
    return NULL;
}

typedef struct xml_job {
    XML_StartElementHandler start;
    XML_EndElementHandler end;
    XML_CharacterDataHandler text;
    void *ctx;
    bool *failed; /* set by a handler that ran out of memory or hit a bound */
} xml_job;

static int parse_xml(const archive *a, const char *part, const char *data, size_t len,
                     const xml_job *job)
{
    XML_Parser p = XML_ParserCreateNS(NULL, ' ');
    if (!p)
        return archive_error(a, "out of memory");
    XML_SetUserData(p, job->ctx);
    XML_SetElementHandler(p, job->start, job->end);
    XML_SetCharacterDataHandler(p, job->text);
    /* Parsed in pieces: expat takes an int length. */
    enum { PIECE = 1 << 24 };
    bool ok = true;
    for (size_t done = 0; ok && done <= len && !*job->failed; done += PIECE) {
        size_t n = len - done < PIECE ? len - done : PIECE;
        ok = XML_Parse(p, data + done, (int)n, done + n == len) != XML_STATUS_ERROR;
        if (done + n == len)
            break;
    }
    if (!ok && !*job->failed)
        bp_diags_add(a->diags, BP_SEVERITY_ERROR, NULL, a->path, 0, 0, NULL,
                     "the workbook is damaged: its part %s is not well-formed XML (line %lu: %s)",
                     part, (unsigned long)XML_GetCurrentLineNumber(p),
                     XML_ErrorString(XML_GetErrorCode(p)));
    XML_ParserFree(p);
    return ok && !*job->failed ? 0 : -1;
}

/* Character data gathered while `on`, for the element being read. */
typedef struct text_acc {
    bp_strbuf text;
    bool on;
} text_acc;

static void accumulate(text_acc *t, const char *s, int len)
{
    if (t->on)
        bp_strbuf_append(&t->text, s, (size_t)len);
}

/* ---- The workbook part: sheets in order ---- */

typedef struct sheet_entry {
    char *name;
    char *rel_id;
} sheet_entry;

typedef struct workbook_part {
    sheet_entry *sheets;
    size_t count, capacity;
    bool failed, out_of_memory;
} workbook_part;

static void XMLCALL workbook_start(void *ctx, const char *name, const char **attrs)
{
    workbook_part *w = ctx;
    if (w->failed || strcmp(local_name(name), "sheet") != 0)
        return;
    const char *sheet_name = attribute(attrs, "name"), *id = attribute(attrs, "id");
    sheet_entry *grown = w->count < WB_MAX_SHEETS
                             ? bp_grow(w->sheets, &w->capacity, w->count + 1, sizeof *grown, 16)
                             : NULL;
    if (grown)
        w->sheets = grown; /* kept at once: the old array may be gone */
    if (!grown || !sheet_name || !id) {
        w->failed = true;
        w->out_of_memory = !grown;
        return;
    }
    w->sheets[w->count] = (sheet_entry){strdup(sheet_name), strdup(id)};
    w->failed = w->out_of_memory = !w->sheets[w->count].name || !w->sheets[w->count].rel_id;
    w->count++;
}

static void XMLCALL no_end(void *ctx, const char *name)
{
    (void)ctx;
    (void)name;
}

static void XMLCALL no_text(void *ctx, const char *s, int len)
{
    (void)ctx;
    (void)s;
    (void)len;
}

static void free_workbook_part(workbook_part *w)
{
    for (size_t i = 0; i < w->count; i++) {
        free(w->sheets[i].name);
        free(w->sheets[i].rel_id);
    }
    free(w->sheets);
}

/* ---- Relationships: where each sheet's part is ---- */

typedef struct rels_part {
    const workbook_part *book;
    char **targets; /* per sheet entry: its part's name in the archive, or NULL */
    bool failed;
} rels_part;

/* A target is relative to xl/ unless it starts with '/' (from the archive's root). */
static char *part_name(const char *target)
{
    bp_strbuf sb = BP_STRBUF_INIT;
    if (target[0] == '/')
        bp_strbuf_puts(&sb, target + 1);
    else
        bp_strbuf_printf(&sb, "xl/%s", target);
    return bp_strbuf_take(&sb);
}

static void XMLCALL rels_start(void *ctx, const char *name, const char **attrs)
{
    rels_part *r = ctx;
    if (r->failed || strcmp(local_name(name), "Relationship") != 0)
        return;
    const char *id = attribute(attrs, "Id"), *target = attribute(attrs, "Target");
    for (size_t i = 0; id && target && i < r->book->count; i++)
        if (strcmp(r->book->sheets[i].rel_id, id) == 0 && !r->targets[i]) {
            r->targets[i] = part_name(target);
            r->failed = !r->targets[i];
        }
}

/* ---- Shared strings ---- */

typedef struct strings_part {
    char **items;
    size_t count, capacity;
    text_acc acc;
    int phonetic; /* depth inside rPh, whose text is a reading guide, not the string */
    bool failed;
} strings_part;

static void XMLCALL strings_start(void *ctx, const char *name, const char **attrs)
{
    (void)attrs;
    strings_part *s = ctx;
    const char *local = local_name(name);
    if (strcmp(local, "si") == 0) {
        bp_strbuf_free(&s->acc.text);
        s->phonetic = 0;
    } else if (strcmp(local, "rPh") == 0) {
        s->phonetic++;
    } else if (strcmp(local, "t") == 0) {
        s->acc.on = s->phonetic == 0;
    }
}

static void XMLCALL strings_end(void *ctx, const char *name)
{
    strings_part *s = ctx;
    const char *local = local_name(name);
    if (strcmp(local, "t") == 0) {
        s->acc.on = false;
    } else if (strcmp(local, "rPh") == 0) {
        s->phonetic--;
    } else if (strcmp(local, "si") == 0 && !s->failed) {
        char **grown = s->count < WB_MAX_CELLS
                           ? bp_grow(s->items, &s->capacity, s->count + 1, sizeof *grown, 256)
                           : NULL;
        char *item = grown ? strdup(bp_strbuf_cstr(&s->acc.text)) : NULL;
        s->failed = !item || s->acc.text.failed;
        if (grown)
            s->items = grown;
        if (item)
            s->items[s->count++] = item;
        bp_strbuf_free(&s->acc.text);
    }
}

static void XMLCALL strings_text(void *ctx, const char *text, int len)
{
    accumulate(&((strings_part *)ctx)->acc, text, len);
}

static void free_strings(strings_part *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->items[i]);
    free(s->items);
    bp_strbuf_free(&s->acc.text);
}

/* ---- Styles: each cell style's number format ---- */

/* A platform may give the money unit only in the number format (#,##0.00"万元"), so a cell
 * keeps the code of its format; Excel's built-in formats (ids below 164) say no unit. */
typedef struct styles_part {
    bp_workbook *book;
    struct {
        unsigned id;
        const char *code;
    } * formats; /* <numFmts> */
    size_t format_count, format_capacity;
    const char **xf_formats; /* per <cellXfs> entry: its format code or NULL */
    size_t xf_count, xf_capacity;
    bool in_cell_xfs, failed;
} styles_part;

static const char *format_code(const styles_part *st, unsigned id)
{
    for (size_t i = 0; i < st->format_count; i++)
        if (st->formats[i].id == id)
            return st->formats[i].code;
    return NULL;
}

static void add_number_format(styles_part *st, const char **attrs)
{
    const char *id = attribute(attrs, "numFmtId"), *code = attribute(attrs, "formatCode");
    if (!id || !code)
        return;
    void *grown =
        bp_grow(st->formats, &st->format_capacity, st->format_count + 1, sizeof *st->formats, 16);
    const char *copy = grown ? bp_arena_strndup(st->book->arena, code, strlen(code)) : NULL;
    if (grown)
        st->formats = grown;
    if (!copy) {
        st->failed = true;
        return;
    }
    st->formats[st->format_count].id = (unsigned)strtoul(id, NULL, 10);
    st->formats[st->format_count++].code = copy;
}

static void XMLCALL styles_start(void *ctx, const char *name, const char **attrs)
{
    styles_part *st = ctx;
    const char *local = local_name(name);
    if (st->failed)
        return;
    if (strcmp(local, "numFmt") == 0) {
        add_number_format(st, attrs);
    } else if (strcmp(local, "cellXfs") == 0) {
        st->in_cell_xfs = true;
    } else if (st->in_cell_xfs && strcmp(local, "xf") == 0) {
        const char **grown =
            st->xf_count < WB_MAX_CELLS
                ? bp_grow(st->xf_formats, &st->xf_capacity, st->xf_count + 1, sizeof *grown, 64)
                : NULL;
        if (!grown) {
            st->failed = true;
            return;
        }
        st->xf_formats = grown;
        const char *id = attribute(attrs, "numFmtId");
        st->xf_formats[st->xf_count++] =
            id ? format_code(st, (unsigned)strtoul(id, NULL, 10)) : NULL;
    }
}

static void XMLCALL styles_end(void *ctx, const char *name)
{
    styles_part *st = ctx;
    if (strcmp(local_name(name), "cellXfs") == 0)
        st->in_cell_xfs = false;
}

static void free_styles(styles_part *st)
{
    free(st->formats);
    free(st->xf_formats);
}

/* ---- A sheet's cells ---- */

typedef struct sheet_part {
    bp_workbook *book;
    wb_sheet *sheet;
    const strings_part *strings;
    const styles_part *styles;
    const char *format; /* the cell's number format */
    uint32_t row, col;  /* where the next cell without a reference goes */
    char type[12];      /* the cell's t attribute */
    bool in_cell;
    bp_strbuf value;   /* <v>, or an inline string's <t>s */
    bp_strbuf formula; /* <f> */
    bool has_value, has_formula;
    enum { IN_NONE, IN_VALUE, IN_FORMULA, IN_INLINE } in;
    int phonetic;
    bool failed;
    const char *problem; /* what made it fail, for the message */
} sheet_part;

static void cell_begin(sheet_part *p, const char **attrs)
{
    const char *ref = attribute(attrs, "r"), *type = attribute(attrs, "t");
    const char *style = attribute(attrs, "s");
    unsigned long xf = style ? strtoul(style, NULL, 10) : 0;
    p->format = style && xf < p->styles->xf_count ? p->styles->xf_formats[xf] : NULL;
    uint32_t row = p->row, col = p->col;
    if (ref && !bp_cell_parse_ref(ref, &row, &col)) {
        p->failed = true;
        p->problem = "a cell's reference is not like A1";
        return;
    }
    p->row = row;
    p->col = col;
    snprintf(p->type, sizeof p->type, "%s", type ? type : "n");
    p->in_cell = true;
    p->has_value = p->has_formula = false;
    /* Emptied, not freed: one buffer serves every cell of the sheet. */
    bp_strbuf_truncate(&p->value, 0);
    bp_strbuf_truncate(&p->formula, 0);
}

/* The type a cell's t attribute and stored value give it; false when it refers to a shared
 * string the workbook lacks. */
static bool cell_value(sheet_part *p, bp_cell *cell)
{
    const char *v = cell->value;
    /* An empty <v/> stores no result (openpyxl writes one after every formula). */
    bool text = strcmp(p->type, "str") == 0 || strcmp(p->type, "inlineStr") == 0;
    if (!p->has_value || (!v[0] && !text)) {
        cell->type = BP_CELL_NONE;
    } else if (strcmp(p->type, "s") == 0) {
        char *end;
        unsigned long i = strtoul(v, &end, 10);
        if (*end || end == v || i >= p->strings->count)
            return false;
        cell->type = BP_CELL_TEXT;
        cell->value = p->strings->items[i];
    } else if (strcmp(p->type, "str") == 0 || strcmp(p->type, "inlineStr") == 0) {
        cell->type = BP_CELL_TEXT;
    } else if (strcmp(p->type, "b") == 0) {
        cell->type = BP_CELL_BOOL;
        cell->value = strcmp(v, "1") == 0 ? "TRUE" : "FALSE";
    } else {
        cell->type = strcmp(p->type, "e") == 0 ? BP_CELL_ERROR : BP_CELL_NUMBER;
    }
    return true;
}

/* Adds the cell just read, unless it holds nothing (a style only, or an empty value). */
static void cell_end(sheet_part *p)
{
    bp_cell cell = {.row = p->row,
                    .col = p->col,
                    .value = p->has_value ? bp_strbuf_cstr(&p->value) : "",
                    .formula = p->has_formula ? bp_strbuf_cstr(&p->formula) : NULL,
                    .format = p->format};
    if (!cell_value(p, &cell)) {
        p->failed = true;
        p->problem = "a cell refers to a shared string the workbook lacks";
        return;
    }
    bool empty = cell.type == BP_CELL_NONE || (cell.type != BP_CELL_TEXT && !cell.value[0]);
    if (empty && !cell.formula)
        return;
    if (p->value.failed || p->formula.failed || !wb_add_cell(p->book, p->sheet, &cell)) {
        p->failed = true;
        p->problem = "out of memory, or a sheet of more than 4 million cells";
    }
}

static void XMLCALL sheet_start(void *ctx, const char *name, const char **attrs)
{
    sheet_part *p = ctx;
    if (p->failed)
        return;
    const char *local = local_name(name);
    if (strcmp(local, "row") == 0) {
        const char *r = attribute(attrs, "r");
        unsigned long n = r ? strtoul(r, NULL, 10) : p->row + 2;
        if (n < 1 || n > WB_MAX_ROWS) {
            p->failed = true;
            p->problem = "a row number beyond Excel's 1,048,576 rows";
            return;
        }
        p->row = (uint32_t)(n - 1);
        p->col = 0;
    } else if (strcmp(local, "c") == 0) {
        cell_begin(p, attrs);
    } else if (p->in_cell && strcmp(local, "v") == 0) {
        p->in = IN_VALUE;
        p->has_value = true;
    } else if (p->in_cell && strcmp(local, "f") == 0) {
        p->in = IN_FORMULA;
        p->has_formula = true;
    } else if (p->in_cell && strcmp(local, "rPh") == 0) {
        p->phonetic++;
    } else if (p->in_cell && strcmp(local, "t") == 0 && p->phonetic == 0) {
        p->in = IN_INLINE;
        p->has_value = true;
    }
}

static void XMLCALL sheet_end(void *ctx, const char *name)
{
    sheet_part *p = ctx;
    if (p->failed)
        return;
    const char *local = local_name(name);
    if (strcmp(local, "c") == 0 && p->in_cell) {
        cell_end(p);
        p->in_cell = false;
        p->col++;
    } else if (strcmp(local, "rPh") == 0 && p->phonetic > 0) {
        p->phonetic--;
    } else if (strcmp(local, "v") == 0 || strcmp(local, "f") == 0 || strcmp(local, "t") == 0) {
        p->in = IN_NONE;
    }
}

static void XMLCALL sheet_text(void *ctx, const char *text, int len)
{
    sheet_part *p = ctx;
    if (p->in == IN_VALUE || p->in == IN_INLINE)
        bp_strbuf_append(&p->value, text, (size_t)len);
    else if (p->in == IN_FORMULA)
        bp_strbuf_append(&p->formula, text, (size_t)len);
}

/* ---- The whole ---- */

static int read_sheet(const archive *a, bp_workbook *book, const char *name, const char *part,
                      const strings_part *strings, const styles_part *styles)
{
    wb_sheet *sheet = wb_add_sheet(book, name, strlen(name));
    if (!sheet)
        return archive_error(a, "out of memory, or more than 1,024 sheets");
    if (!part) {
        bp_diags_add(a->diags, BP_SEVERITY_ERROR, NULL, a->path, 0, 0, NULL,
                     "the workbook is damaged: the sheet \"%s\" has no part", name);
        return -1;
    }
    size_t len = 0;
    bool missing;
    char *data = read_part(a, part, &len, &missing);
    if (!data) {
        if (missing)
            bp_diags_add(a->diags, BP_SEVERITY_ERROR, NULL, a->path, 0, 0, NULL,
                         "the workbook is damaged: the sheet \"%s\" (%s) is missing", name, part);
        return -1;
    }
    sheet_part p = {.book = book, .sheet = sheet, .strings = strings, .styles = styles};
    xml_job job = {sheet_start, sheet_end, sheet_text, &p, &p.failed};
    int rc = parse_xml(a, part, data, len, &job);
    if (p.failed && p.problem)
        bp_diags_add(a->diags, BP_SEVERITY_ERROR, NULL, a->path, 0, 0, NULL, "the sheet \"%s\": %s",
                     name, p.problem);
    bp_strbuf_free(&p.value);
    bp_strbuf_free(&p.formula);
    free(data);
    return rc;
}

/* Parses one part into ctx; a missing part is an error unless optional. */
static int read_xml_part(const archive *a, const char *part, bool optional, const xml_job *job)
{
    size_t len = 0;
    bool missing;
    char *data = read_part(a, part, &len, &missing);
    if (!data) {
        if (missing && optional)
            return 0;
        if (missing)
            bp_diags_add(a->diags, BP_SEVERITY_ERROR, NULL, a->path, 0, 0, NULL,
                         "not an Excel workbook: the archive has no %s", part);
        return -1;
    }
    int rc = parse_xml(a, part, data, len, job);
    free(data);
    return rc;
}

static int read_sheets(const archive *a, bp_workbook *book)
{
    workbook_part w = {0};
    strings_part strings = {0};
    styles_part styles = {.book = book};
    rels_part rels = {.book = &w};
    xml_job wj = {workbook_start, no_end, no_text, &w, &w.failed};
    int rc = read_xml_part(a, "xl/workbook.xml", false, &wj);
    if (w.failed)
        rc = archive_error(a, w.out_of_memory ? "out of memory reading the workbook"
                                              : "the workbook is damaged: a sheet without a name "
                                                "or id");
    rels.targets = rc == 0 ? calloc(w.count + 1, sizeof *rels.targets) : NULL;
    if (rc == 0 && !rels.targets)
        rc = archive_error(a, "out of memory");
    xml_job rj = {rels_start, no_end, no_text, &rels, &rels.failed};
    if (rc == 0)
        rc = read_xml_part(a, "xl/_rels/workbook.xml.rels", false, &rj);
    if (rels.failed)
        rc = archive_error(a, "out of memory reading the workbook");
    xml_job sj = {strings_start, strings_end, strings_text, &strings, &strings.failed};
    if (rc == 0)
        rc = read_xml_part(a, "xl/sharedStrings.xml", true, &sj);
    if (strings.failed)
        rc = archive_error(a, "out of memory, or more shared strings than 4 million");
    xml_job stj = {styles_start, styles_end, no_text, &styles, &styles.failed};
    if (rc == 0)
        rc = read_xml_part(a, "xl/styles.xml", true, &stj);
    if (rc == 0 && styles.failed)
        rc = archive_error(a, "out of memory reading the workbook's styles");
    for (size_t i = 0; rc == 0 && i < w.count; i++)
        rc = read_sheet(a, book, w.sheets[i].name, rels.targets[i], &strings, &styles);
    for (size_t i = 0; rels.targets && i < w.count; i++)
        free(rels.targets[i]);
    free(rels.targets);
    free_strings(&strings);
    free_styles(&styles);
    free_workbook_part(&w);
    return rc;
}

int wb_read_xlsx(bp_workbook *book, const void *data, size_t size, const char *name,
                 bp_diags *diags)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *source = zip_source_buffer_create(data, size, 0, &error);
    zip_t *zip = source ? zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error) : NULL;
    zip_error_fini(&error);
    archive a = {zip, name, diags};
    if (!zip) {
        zip_source_free(source);
        return archive_error(&a, "the workbook is damaged or cut short: its zip archive cannot "
                                 "be read");
    }
    int rc = read_sheets(&a, book);
    book->formats_known = true;
    zip_discard(zip);
    return rc;
}

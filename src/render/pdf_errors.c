/*
 * pdf_errors.c: how the PDF backend says what went wrong: its own messages (pdf_fail) and
 * libharu's error codes in words, naming the step the render was at.
 *
 * Stage: backends (PDF), below the backend's other files: pdf.c, pdf_fonts.c, pdf_content.c
 * and pdf_tags.c report through it and it calls none of them, so they form no circle.
 */
#include "pdf_int.h"

#include <stdarg.h>
#include <stdio.h>

/* ---- Diagnostics ---- */

int pdf_fail(pdf_render *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bp_diags_vadd(r->diags, BP_SEVERITY_ERROR, NULL, r->file, 0, 0, NULL, fmt, ap);
    va_end(ap);
    return -1;
}

/* Words for the libharu errors a render can meet (hpdf_error.h); the code is printed anyway. */
static const char *hpdf_error_words(HPDF_STATUS code)
{
    switch (code) {
    case HPDF_FAILD_TO_ALLOC_MEM:
        return " (out of memory)";
    case HPDF_ARRAY_COUNT_ERR:
    case HPDF_DICT_COUNT_ERR:
    case HPDF_XREF_COUNT_ERR:
        return " (too many objects)";
    case HPDF_INVALID_DATE_TIME:
        return " (invalid creation date)";
    case HPDF_PAGE_INVALID_SIZE:
        return " (invalid page size)";
    case HPDF_REAL_OUT_OF_RANGE:
        return " (a number beyond 32767)";
    case HPDF_STREAM_EOF:
        return " (output shorter than expected)";
    default:
        return "";
    }
}

int pdf_hpdf_failed(pdf_render *r)
{
    HPDF_STATUS code = r->error_no, detail = r->detail_no;
    if (code == 0 && r->pdf) {
        /* Low-level calls (HPDF_Dict_Add, …) record an error without calling the handler. */
        code = HPDF_GetError(r->pdf);
        detail = HPDF_GetErrorDetail(r->pdf);
    }
    return pdf_fail(r, "the PDF writer (libharu) failed while %s: error 0x%04X%s, detail %u",
                    r->step, (unsigned)code, hpdf_error_words(code), (unsigned)detail);
}

/*
 * pdf_archive.c: what makes the file PDF/A-2b (ISO 19005-2, conformance level B), the form
 * archives keep: XMP metadata that says the same as /Info, and an output intent with the sRGB
 * profile that gives the pages' gray its meaning.
 *
 * Stage: render, PDF backend, after the document information is set. The facts that shaped it:
 * PDF/A-2 rather than PDF/A-1 because a tagged PDF's structure tree is written in object
 * streams with a cross-reference stream (pdf_tags.c), which PDF/A-1 (on PDF 1.4) forbids and
 * PDF/A-2 (on ISO 32000-1) allows; written plainly, the sample's tree alone would weigh half
 * its file. The rest of what PDF/A asks is where it is made: every font embedded (pdf_fonts.c),
 * link annotations printable and destinations direct (pdf.c), the trailer's /ID (pdf.c).
 * The profile is Ghostscript's sRGB (ICC version 2), built into the program at configure time
 * from Debian's libgs-common, its SHA-256 pinned (cmake/Dependencies.cmake).
 */
#include "pdf_int.h"

#include <string.h>

extern const unsigned char bp_srgb_icc[];
extern const size_t bp_srgb_icc_size;

static const char srgb_name[] = "sRGB IEC61966-2.1";

/* ---- XMP ---- */

/* Text as XML character data: the five characters XML reserves, escaped. */
static void put_xml_text(bp_strbuf *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            bp_strbuf_puts(out, "&amp;");
            break;
        case '<':
            bp_strbuf_puts(out, "&lt;");
            break;
        case '>':
            bp_strbuf_puts(out, "&gt;");
            break;
        case '"':
            bp_strbuf_puts(out, "&quot;");
            break;
        default:
            bp_strbuf_putc(out, *s);
        }
    }
}

/* One simple property, when the value is there. */
static void put_property(bp_strbuf *out, const char *name, const char *value)
{
    if (!value || !value[0])
        return;
    bp_strbuf_printf(out, "<%s>", name);
    put_xml_text(out, value);
    bp_strbuf_printf(out, "</%s>\n", name);
}

/* A language alternative (dc:title, dc:description): the default language only. */
static void put_alternative(bp_strbuf *out, const char *name, const char *value)
{
    if (!value || !value[0])
        return;
    bp_strbuf_printf(out, "<%s><rdf:Alt><rdf:li xml:lang=\"x-default\">", name);
    put_xml_text(out, value);
    bp_strbuf_printf(out, "</rdf:li></rdf:Alt></%s>\n", name);
}

/* The date /Info carries (pdf.c, China Standard Time) in XMP's form. */
static void put_date(bp_strbuf *out, const char *name, const bp_doc_info *info)
{
    if (info->year == 0)
        return;
    bp_strbuf_printf(out, "<%s>%04d-%02d-%02dT%02d:%02d:%02d+08:00</%s>\n", name, info->year,
                     info->month, info->day, info->hour, info->minute, info->second, name);
}

/* The packet: every /Info entry the document has, under the property PDF/A pairs it with
 * (ISO 19005-2, 6.6.2.3.1), and the PDF/A identification. No padding: the file is never
 * edited in place. */
static void build_xmp(const bp_doc_info *info, const char *producer, bp_strbuf *out)
{
    bp_strbuf_puts(out, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                        "<rdf:Description rdf:about=\"\" "
                        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                        "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" "
                        "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" "
                        "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n");
    put_alternative(out, "dc:title", info->title);
    if (info->author && info->author[0]) {
        bp_strbuf_puts(out, "<dc:creator><rdf:Seq><rdf:li>");
        put_xml_text(out, info->author);
        bp_strbuf_puts(out, "</rdf:li></rdf:Seq></dc:creator>\n");
    }
    put_alternative(out, "dc:description", info->subject);
    put_property(out, "pdf:Keywords", info->keywords);
    put_property(out, "xmp:CreatorTool", info->creator);
    put_property(out, "pdf:Producer", producer);
    put_date(out, "xmp:CreateDate", info);
    put_date(out, "xmp:ModifyDate", info);
    bp_strbuf_puts(out, "<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n"
                        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
                        "<?xpacket end=\"r\"?>");
}

/* The metadata stream, uncompressed as PDF/A asks (a reader that knows no PDF finds it). */
static int add_metadata(pdf_render *r)
{
    const char *producer = HPDF_GetInfoAttr(r->pdf, HPDF_INFO_PRODUCER);
    bp_strbuf xmp = BP_STRBUF_INIT;
    build_xmp(bp_document_info(r->doc), producer, &xmp);
    HPDF_Dict stream = xmp.failed ? NULL : HPDF_DictStream_New(r->pdf->mmgr, r->pdf->xref);
    HPDF_STATUS st = stream ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
    if (stream) {
        stream->filter = HPDF_STREAM_FILTER_NONE;
        st |= HPDF_Stream_Write(stream->stream, (const HPDF_BYTE *)xmp.data, (HPDF_UINT)xmp.len);
        st |= HPDF_Dict_AddName(stream, "Type", "Metadata");
        st |= HPDF_Dict_AddName(stream, "Subtype", "XML");
        st |= HPDF_Dict_Add(r->pdf->catalog, "Metadata", stream);
    }
    bp_strbuf_free(&xmp);
    return st == HPDF_OK ? 0 : pdf_hpdf_failed(r);
}

/* ---- The output intent ---- */

static int add_output_intent(pdf_render *r)
{
    HPDF_MMgr mmgr = r->pdf->mmgr;
    HPDF_Dict profile = pdf_new_stream(r, bp_srgb_icc, bp_srgb_icc_size);
    HPDF_Dict intent = HPDF_Dict_New(mmgr);
    HPDF_Array intents = HPDF_Array_New(mmgr);
    if (!profile || !intent || !intents) {
        if (intent)
            HPDF_Dict_Free(intent);
        if (intents)
            HPDF_Array_Free(intents);
        return pdf_hpdf_failed(r);
    }
    HPDF_STATUS st = HPDF_Dict_AddNumber(profile, "N", 3);
    st |= HPDF_Array_Add(intents, intent); /* owned by the array from here */
    st |= HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    st |= HPDF_Dict_AddName(intent, "S", "GTS_PDFA1"); /* the subtype of PDF/A-1 and -2 alike */
    st |=
        HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(mmgr, srgb_name, NULL));
    st |= HPDF_Dict_Add(intent, "Info", HPDF_String_New(mmgr, srgb_name, NULL));
    st |= HPDF_Dict_Add(intent, "DestOutputProfile", profile);
    st |= HPDF_Dict_Add(r->pdf->catalog, "OutputIntents", intents);
    return st == HPDF_OK ? 0 : pdf_hpdf_failed(r);
}

int pdf_archive_add(pdf_render *r)
{
    r->step = "adding the PDF/A metadata";
    return add_metadata(r) == 0 && add_output_intent(r) == 0 ? 0 : -1;
}

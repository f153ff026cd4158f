/*
 * pdf_stream.c: stream objects of our own making in libharu's document (the embedded fonts,
 * their ToUnicode maps, the record), Flate-compressed by libharu as it writes the file.
 */
#include "pdf_int.h"

/* A new stream object holding data, Flate-compressed unless the render is uncompressed. */
HPDF_Dict pdf_new_stream(pdf_render *r, const void *data, size_t size)
{
    if (size > 0x7FFFFFFF)
        return NULL;
    HPDF_Dict stream = HPDF_DictStream_New(r->pdf->mmgr, r->pdf->xref);
    if (!stream)
        return NULL;
    /* libharu compresses a stream on output when its filter says so (HPDF_Dict_Write). */
    stream->filter = r->compress ? HPDF_STREAM_FILTER_FLATE_DECODE : HPDF_STREAM_FILTER_NONE;
    if (HPDF_Stream_Write(stream->stream, data, (HPDF_UINT)size) != HPDF_OK)
        return NULL;
    return stream;
}

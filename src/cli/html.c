/*
 * html.c: text and links for the reports the commands write as HTML (batch, compare): every
 * string escaped, every file name valid UTF-8 and every link percent-encoded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void html_escaped(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        default:
            fputc(*s, out);
        }
    }
}

/* Text for the page: valid UTF-8 always (a file name that is not shows its other bytes as
 * \xHH), with the characters HTML reserves escaped. */
void bp_html_text(FILE *out, const char *s)
{
    char *printable = bp_cli_printable(s);
    html_escaped(out, printable ? printable : "?");
    free(printable);
}

/* A relative link to a file beside the report: every byte but the unreserved ones is
 * percent-encoded (RFC 3986), so a name in any encoding opens the file it names. */
void bp_html_href(FILE *out, const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            fputc(*p, out);
        else
            fprintf(out, "%%%02X", *p);
    }
}

void bp_html_path(FILE *out, const char *path)
{
    for (const char *p = path; *p;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        char segment[1024];
        snprintf(segment, sizeof segment, "%.*s",
                 (int)(n < sizeof segment ? n : sizeof segment - 1), p);
        bp_html_href(out, segment);
        if (!slash)
            break;
        fputc('/', out);
        p = slash + 1;
    }
}

/*
 * repeat.c: the banner and the header, laid out once as item lists and drawn again atop every
 * page of the table.
 *
 * Stage: layout, table engine, between measuring and pagination (build) and at each page's
 * opening (emit). It never measures and never decides a page; building goes through emit.c
 * into a list instead of a page. The fact that shaped it: the seed disclosure printed 档次 on
 * continuation pages where page 1 says 栏次 because its continuation headers were separate
 * hand-made copies (longtable's \endfirsthead/\endhead invite the same drift); here there is
 * one header, laid out once from the same rows, and each page receives exactly those items
 * shifted down to where the page's table starts (pdfmake's repeatable fragment).
 */
#include "table_int.h"

#include <stdlib.h>

void tbl_repeat_build(tbl_work *w)
{
    tbl_out banner = {NULL, &w->repeat_banner, false};
    tbl_emit_banner(w, &banner, 0);
    if (w->header.count) {
        tbl_out header = {NULL, &w->repeat_header, false};
        tbl_emit_rows(w, &header, &w->header, 0, w->header.count - 1, w->header.top, 0, w->header_h,
                      true);
    }
}

static void emit_list(tbl_work *w, const tbl_items *list, bp_page *page, bp_len y, bool artifact)
{
    for (size_t i = 0; i < list->count; i++) {
        bp_item item = list->items[i];
        int rc;
        if (item.kind == BP_ITEM_GLYPHS) {
            item.u.glyphs.y += y;
            item.u.glyphs.artifact = artifact || item.u.glyphs.artifact;
            if (item.u.glyphs.artifact)
                item.u.glyphs.node = 0;
            rc = bp_page_add_glyphs(w->doc, page, &item.u.glyphs);
        } else {
            item.u.rule.y0 += y;
            item.u.rule.y1 += y;
            rc = bp_page_add_rule(w->doc, page, &item.u.rule);
        }
        if (rc != 0)
            tbl_out_of_memory(w);
    }
}

void tbl_repeat_emit_banner(tbl_work *w, bp_page *page, bp_len y, bool repeated)
{
    emit_list(w, &w->repeat_banner, page, y, repeated);
}

void tbl_repeat_emit_header(tbl_work *w, bp_page *page, bp_len y, bool repeated)
{
    emit_list(w, &w->repeat_header, page, y, repeated);
}

void tbl_repeat_free(tbl_work *w)
{
    free(w->repeat_banner.items);
    free(w->repeat_header.items);
    w->repeat_banner = (tbl_items){0};
    w->repeat_header = (tbl_items){0};
}

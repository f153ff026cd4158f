/*
 * breaks.c: pass C: where a page may break between body rows.
 *
 * Stage: layout, table engine, after measuring and before pagination. It reads the rows'
 * keep flags and the table's M; it never measures, never chooses a break (that is pass D)
 * and never emits. The fact that shaped it: the title, banner and header must never end a
 * page (R5) and an orphaned header with one row under it is what the seed's continuation
 * pages looked like, so a break leaves at least M rows after the header on the table's first
 * page and on its last; closing rows (合计) stay with the rows above them and group headings
 * with the rows below. Rows spanned by a merged cell may break (its label repeats, spans.c).
 * Only hard rules exist here; pass D ignores them only when no legal break fits a page.
 */
#include "table_int.h"

void tbl_breaks(tbl_work *w)
{
    size_t n = w->body.count;
    size_t m = w->style->min_rows_after_header > 0 ? (size_t)w->style->min_rows_after_header : 1;
    w->brk = bp_arena_array(w->arena, n + 1, sizeof *w->brk);
    if (!w->brk) {
        tbl_out_of_memory(w);
        return;
    }
    const tbl_row *rows = w->body.rows;
    for (size_t i = 1; i < n; i++) {
        bool header_glued = i < m;   /* the first page's header keeps M rows */
        bool last_glued = n - i < m; /* the last page's repeated header keeps M rows too */
        bool kept = rows[i - 1].keep_with_next || rows[i].keep_with_prev;
        w->brk[i] = !header_glued && !last_glued && !kept;
    }
    w->brk[n] = true; /* the table's end */
}

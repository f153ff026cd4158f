/*
 * compare_report.c: what compare tells its readers: report.json for scripts (every change an
 * object), and an HTML report for people that opens from disk with no server and no network:
 * index.html (the summary first, units changed the same way grouped, then the changed units,
 * the unchanged ones folded away) and a page per changed unit (its page map, its changes by
 * table, and for each changed page old | difference | new, with side-by-side, blend, swipe and
 * difference views). Inline CSS and a few lines of inline script; images by relative links;
 * no fetch, no worker, no module, so file:// works in every browser.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/util.h"
#include "budgetpress/amount.h"
#include "budgetpress/common.h"
#include "compare_cli.h"

/* ---- report.json ---- */

static json_t *text_or_null(const char *s)
{
    return s ? bp_cli_json_text(s) : json_null();
}

static json_t *change_json(const bp_change *ch)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(bp_change_kind_key(ch->kind)));
    json_object_set_new(o, "class", json_string(ch->cls == BP_CLASS_DATA ? "data" : "layout"));
    json_object_set_new(o, "table", text_or_null(ch->table));
    json_object_set_new(o, "table_title", text_or_null(ch->table_title));
    json_object_set_new(o, "row", text_or_null(ch->row));
    json_object_set_new(o, "row_label", text_or_null(ch->row_label));
    json_object_set_new(o, "column", text_or_null(ch->column));
    json_object_set_new(o, "column_label", text_or_null(ch->column_label));
    json_object_set_new(o, "path", text_or_null(ch->path));
    json_object_set_new(o, "old", text_or_null(ch->old_text));
    json_object_set_new(o, "new", text_or_null(ch->new_text));
    if (ch->has_delta) {
        char delta[40];
        bp_amount_format(bp_amount_from_hundredths(ch->delta), false, delta + 1);
        delta[0] = '+';
        json_object_set_new(o, "delta", json_string(ch->delta > 0 ? delta : delta + 1));
    } else
        json_object_set_new(o, "delta", json_null());
    json_object_set_new(o, "old_page", ch->old_page ? json_integer(ch->old_page) : json_null());
    json_object_set_new(o, "new_page", ch->new_page ? json_integer(ch->new_page) : json_null());
    if (ch->old_last_page || ch->new_last_page) {
        json_object_set_new(o, "old_last_page", json_integer(ch->old_last_page));
        json_object_set_new(o, "new_last_page", json_integer(ch->new_last_page));
    }
    if (ch->shifted_first)
        json_object_set_new(o, "shifted_pages",
                            json_pack("[ii]", ch->shifted_first, ch->shifted_last));
    json_object_set_new(o, "message", bp_cli_json_text(ch->message));
    return o;
}

static json_t *pages_json(const bp_comparison *c)
{
    json_t *a = json_array();
    for (size_t k = 0; k < c->page_count; k++) {
        const bp_page_pair *p = &c->pages[k];
        json_t *o = json_pack("{s:o,s:o,s:s,s:b}", "old",
                              p->old_page ? json_integer(p->old_page) : json_null(), "new",
                              p->new_page ? json_integer(p->new_page) : json_null(), "status",
                              bp_page_status_key(p->status), "pixels_differ", p->pixels_differ);
        if (p->cause >= 0)
            json_object_set_new(o, "cause", json_integer(p->cause));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *pictures_json(const bp_comparison *c)
{
    json_t *a = json_array();
    for (size_t i = 0; i < c->picture_count; i++) {
        const bp_cmp_picture *pic = &c->pictures[i];
        const bp_page_pair *p = &c->pages[pic->pair];
        json_array_append_new(a, json_pack("{s:i,s:i,s:s,s:s,s:s,s:I}", "old_page", p->old_page,
                                           "new_page", p->new_page, "old", pic->old_png, "new",
                                           pic->new_png, "diff", pic->diff_png, "changed_pixels",
                                           (json_int_t)pic->changed_pixels));
    }
    return a;
}

json_t *cmp_report_unit_json(const cmp_unit *u, const bp_comparison *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", bp_cli_json_text(u->code));
    json_object_set_new(o, "name", bp_cli_json_text(u->name));
    json_object_set_new(o, "status", json_string(bp_pair_status_key(c ? c->status : u->status)));
    json_object_set_new(o, "old", text_or_null(u->old_path));
    json_object_set_new(o, "new", text_or_null(u->new_path));
    json_object_set_new(o, "page", json_string(u->slug));
    if (!c)
        return o;
    json_object_set_new(o, "pixel_only", json_boolean(c->pixel_only));
    json_object_set_new(o, "why", c->why[0] ? bp_cli_json_text(c->why) : json_null());
    json_object_set_new(o, "old_pages", json_integer((json_int_t)c->old_pages));
    json_object_set_new(o, "new_pages", json_integer((json_int_t)c->new_pages));
    json_object_set_new(o, "data_changes", json_integer((json_int_t)c->data_changes));
    json_object_set_new(o, "layout_changes", json_integer((json_int_t)c->layout_changes));
    json_t *changes = json_array();
    for (size_t i = 0; i < c->change_count; i++)
        json_array_append_new(changes, change_json(&c->changes[i]));
    json_object_set_new(o, "changes", changes);
    json_object_set_new(o, "pages", pages_json(c));
    json_object_set_new(o, "pictures", pictures_json(c));
    return o;
}

typedef struct totals {
    size_t same, different, data, layout_only, added, removed, unreadable;
} totals;

static totals count(const cmp_run *run)
{
    totals t = {0};
    for (size_t i = 0; i < run->count; i++) {
        const cmp_unit *u = &run->units[i];
        switch (u->status) {
        case BP_PAIR_SAME:
            t.same++;
            break;
        case BP_PAIR_DIFFERENT:
            t.different++;
            if (u->data_changes)
                t.data++;
            else
                t.layout_only++;
            break;
        case BP_PAIR_ADDED:
            t.added++;
            break;
        case BP_PAIR_REMOVED:
            t.removed++;
            break;
        case BP_PAIR_UNREADABLE:
            t.unreadable++;
            break;
        }
    }
    return t;
}

char *cmp_report_totals(const cmp_run *run)
{
    totals t = count(run);
    bp_strbuf sb = BP_STRBUF_INIT;
    bp_strbuf_printf(
        &sb,
        "单位 %zu 个：未变 %zu，有变化 %zu（数据 %zu，仅版式 %zu），新增 %zu，缺失 %zu，"
        "无法读取 %zu",
        run->count, t.same, t.different, t.data, t.layout_only, t.added, t.removed, t.unreadable);
    return bp_strbuf_take(&sb);
}

/* Units changed in exactly the same way, two or more to a group, largest first. */
typedef struct group {
    uint64_t signature;
    size_t first, count;
} group;

static int by_count(const void *a, const void *b)
{
    const group *x = a, *y = b;
    return (x->count < y->count) - (x->count > y->count);
}

static group *find_groups(const cmp_run *run, size_t *n)
{
    group *g = calloc(run->count + 1, sizeof *g);
    *n = 0;
    for (size_t i = 0; g && i < run->count; i++) {
        const cmp_unit *u = &run->units[i];
        if (u->status != BP_PAIR_DIFFERENT)
            continue;
        size_t k = 0;
        while (k < *n && g[k].signature != u->signature)
            k++;
        if (k == *n)
            g[(*n)++] = (group){u->signature, i, 0};
        g[k].count++;
    }
    size_t kept = 0;
    for (size_t k = 0; g && k < *n; k++)
        if (g[k].count >= 2)
            g[kept++] = g[k];
    *n = kept;
    if (kept)
        qsort(g, kept, sizeof *g, by_count);
    return g;
}

static const char *first_message(const cmp_unit *u)
{
    json_t *ch = json_array_get(json_object_get(u->json, "changes"), 0);
    const char *m = json_string_value(json_object_get(ch, "message"));
    return m ? m : "";
}

static json_t *report_json(const cmp_run *run)
{
    totals t = count(run);
    json_t *units = json_array(), *groups = json_array();
    for (size_t i = 0; i < run->count; i++) {
        const cmp_unit *u = &run->units[i];
        json_t *o = u->json ? json_incref(u->json) : cmp_report_unit_json(u, NULL);
        if (!u->json)
            json_object_set_new(o, "status", json_string(bp_pair_status_key(u->status)));
        if (u->why && !json_is_string(json_object_get(o, "why")))
            json_object_set_new(o, "why", bp_cli_json_text(u->why));
        json_array_append_new(units, o);
    }
    size_t ng;
    group *g = find_groups(run, &ng);
    for (size_t k = 0; g && k < ng; k++) {
        json_t *codes = json_array();
        for (size_t i = 0; i < run->count; i++)
            if (run->units[i].status == BP_PAIR_DIFFERENT &&
                run->units[i].signature == g[k].signature)
                json_array_append_new(codes, bp_cli_json_text(run->units[i].code));
        json_array_append_new(groups,
                              json_pack("{s:I,s:o,s:o}", "count", (json_int_t)g[k].count, "units",
                                        codes, "first_change",
                                        bp_cli_json_text(first_message(&run->units[g[k].first]))));
    }
    free(g);
    json_t *summary = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "units",
                                (json_int_t)run->count, "same", (json_int_t)t.same, "different",
                                (json_int_t)t.different, "data", (json_int_t)t.data, "layout_only",
                                (json_int_t)t.layout_only, "added", (json_int_t)t.added, "removed",
                                (json_int_t)t.removed, "unreadable", (json_int_t)t.unreadable);
    return json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:f,s:o}", "tool", "budgetpress compare", "version",
                     BP_VERSION_STRING, "old", bp_cli_json_text(run->old_root), "new",
                     bp_cli_json_text(run->new_root), "summary", summary, "groups", groups,
                     "seconds", run->seconds, "units", units);
}

/* ---- Files whole or not at all ---- */

static int write_whole(const char *path, int (*body)(FILE *out, const void *ctx), const void *ctx)
{
    return bp_cli_write_whole(path, "compare", "the report", body, ctx);
}

static int json_body(FILE *out, const void *ctx)
{
    json_t *report = report_json(ctx);
    int rc = report && json_dumpf(report, out, JSON_INDENT(1)) == 0 ? 0 : -1;
    fputc('\n', out);
    json_decref(report);
    return rc;
}

/* ---- HTML ---- */

static const char html_style[] =
    "<style>\n"
    ":root{--same:#e8efe8;--shifted:#dfe8f5;--changed:#fbd9b0;--layout:#efe0f7;--added:#c9efc9;"
    "--removed:#f6c8c8;--size:#f5e7a8}\n"
    "body{font-family:'Noto Sans CJK SC','WenQuanYi Zen Hei','Microsoft YaHei',sans-serif;"
    "margin:0 auto;max-width:1280px;padding:1.5em 2em;color:#1d1d1f;line-height:1.55}\n"
    "h1{font-size:1.5em;margin:.2em 0}h1 small{color:#666;font-weight:normal;font-size:.65em}\n"
    "h2{font-size:1.15em;border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.8em}\n"
    "h3{font-size:1em;margin:1.2em 0 .4em}\n"
    ".files{color:#555;font-size:.9em}.files code{background:#f3f3f3;padding:0 .3em}\n"
    ".summary{font-size:1.1em;background:#f6f8fa;border-left:4px solid #0969da;padding:.6em 1em}\n"
    ".summary.same{border-color:#2da44e}.summary.bad{border-color:#cf222e}\n"
    ".note{background:#fff8c5;border-left:4px solid #d4a72c;padding:.5em 1em}\n"
    "table{border-collapse:collapse;margin:.6em 0;width:100%}\n"
    "th,td{border:1px solid #d0d7de;padding:.3em .6em;text-align:left;vertical-align:top}\n"
    "th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".map{display:flex;flex-wrap:wrap;gap:4px;margin:.5em 0}\n"
    ".pg{display:inline-block;min-width:3.4em;padding:.15em .3em;border-radius:4px;"
    "text-align:center;font-size:.8em;text-decoration:none;color:#222;border:1px solid #bbb}\n"
    ".pg.same{background:var(--same);color:#777;border-color:#d6dfd6}"
    ".pg.shifted{background:var(--shifted)}.pg.changed{background:var(--changed);font-weight:bold}"
    ".pg.layout{background:var(--layout)}.pg.added{background:var(--added)}"
    ".pg.removed{background:var(--removed)}.pg.size{background:var(--size)}\n"
    ".cascade{display:inline-flex;gap:4px;padding:2px 4px;border:1px dashed #6b8fc7;"
    "border-radius:6px}\n"
    ".legend span{margin-right:1em;font-size:.85em}\n"
    "ul.changes{padding-left:1.2em}ul.changes li{margin:.25em 0}\n"
    "ins{background:#c9efc9;text-decoration:none}del{background:#f6c8c8}\n"
    ".cls{font-size:.75em;border-radius:3px;padding:0 .35em;margin-right:.4em;color:#fff;"
    "background:#cf222e}.cls.layout{background:#8250df}\n"
    "article.picture{border:1px solid #d0d7de;border-radius:6px;padding:.6em 1em;margin:1em 0}\n"
    "article.picture.current{box-shadow:0 0 0 3px #0969da55}\n"
    ".views button{margin-right:.3em}.views button.on{background:#0969da;color:#fff}\n"
    ".side{display:grid;grid-template-columns:repeat(3,1fr);gap:8px}\n"
    ".side figure{margin:0}.side figcaption{text-align:center;font-size:.85em;color:#555}\n"
    "img{max-width:100%;border:1px solid #ccc;background:#fff;display:block}\n"
    ".stack{position:relative;max-width:640px}.stack img.top{position:absolute;left:0;top:0}\n"
    ".stack.difference img.top{mix-blend-mode:difference}\n"
    ".mode{display:none}.mode.on{display:block}\n"
    ".hint{color:#666;font-size:.85em}\n"
    "</style>\n";

static const char html_script[] =
    "<script>\n"
    "document.querySelectorAll('article.picture').forEach(function(a){\n"
    " a.querySelectorAll('.views button').forEach(function(b){b.onclick=function(){\n"
    "  a.querySelectorAll('.views button').forEach(function(x){x.classList.toggle('on',x===b)});\n"
    "  a.querySelectorAll('.mode').forEach(function(m){m.classList.toggle('on',"
    "m.dataset.mode===b.dataset.mode)})}});\n"
    " a.querySelectorAll('input.blend').forEach(function(r){r.oninput=function(){"
    "r.parentNode.querySelector('img.top').style.opacity=r.value/100}});\n"
    " a.querySelectorAll('input.swipe').forEach(function(r){r.oninput=function(){"
    "r.parentNode.querySelector('img.top').style.clipPath='inset(0 0 0 '+r.value+'%)'}});\n"
    "});\n"
    "var arts=[].slice.call(document.querySelectorAll('article.picture')),cur=-1;\n"
    "document.addEventListener('keydown',function(e){if(!arts.length||e.target.tagName==='INPUT')"
    "return;\n"
    " if(e.key==='j')cur=Math.min(cur+1,arts.length-1);else if(e.key==='k')cur=Math.max(cur-1,0);"
    "else return;\n"
    " arts.forEach(function(x,i){x.classList.toggle('current',i===cur)});"
    "arts[cur].scrollIntoView({block:'start'})});\n"
    "/* index.html?check: every picture loaded now, and how many did, said on the body (for a\n"
    "   headless browser's test; lazy loading otherwise waits for the reader to scroll). */\n"
    "if(location.search.indexOf('check')>=0){var imgs=[].slice.call(document.images);\n"
    " imgs.forEach(function(i){i.loading='eager'});\n"
    " var poll=setInterval(function(){if(!imgs.every(function(i){return i.complete}))return;\n"
    "  clearInterval(poll);document.body.setAttribute('data-images',imgs.filter(function(i){"
    "return i.naturalWidth>0}).length+'/'+imgs.length)},50)}\n"
    "</script>\n";

static void html_start(FILE *out, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>",
          out);
    bp_html_text(out, title);
    fputs("</title>\n", out);
    fputs(html_style, out);
    fputs("</head>\n<body>\n", out);
}

/* A change's message with the [-…-] and {+…+} of a text diff as <del> and <ins>. */
static void html_message(FILE *out, const char *m)
{
    char *printable = bp_cli_printable(m);
    const char *s = printable ? printable : "";
    bp_strbuf piece = BP_STRBUF_INIT;
    for (const char *p = s; *p;) {
        const char *open = NULL, *tag = NULL, *close = NULL;
        if (strncmp(p, "[-", 2) == 0)
            open = "<del>", tag = "-]", close = "</del>";
        else if (strncmp(p, "{+", 2) == 0)
            open = "<ins>", tag = "+}", close = "</ins>";
        const char *end = open ? strstr(p + 2, tag) : NULL;
        if (end) {
            bp_strbuf_truncate(&piece, 0);
            bp_strbuf_append(&piece, p + 2, (size_t)(end - p - 2));
            fputs(open, out);
            bp_html_text(out, bp_strbuf_cstr(&piece));
            fputs(close, out);
            p = end + 2;
            continue;
        }
        const char *next = p + 1;
        while (*next && strncmp(next, "[-", 2) != 0 && strncmp(next, "{+", 2) != 0)
            next++;
        bp_strbuf_truncate(&piece, 0);
        bp_strbuf_append(&piece, p, (size_t)(next - p));
        bp_html_text(out, bp_strbuf_cstr(&piece));
        p = next;
    }
    bp_strbuf_free(&piece);
    free(printable);
}

typedef struct unit_page {
    const cmp_run *run;
    const cmp_unit *u;
    const bp_comparison *c;
    const char *base; /* "../" from units/, "" from index.html */
} unit_page;

static const bp_cmp_picture *picture_of(const bp_comparison *c, size_t pair)
{
    for (size_t i = 0; i < c->picture_count; i++)
        if ((size_t)c->pictures[i].pair == pair)
            return &c->pictures[i];
    return NULL;
}

static void page_box(FILE *out, const bp_comparison *c, size_t k)
{
    const bp_page_pair *p = &c->pages[k];
    const bp_cmp_picture *pic = picture_of(c, k);
    char label[48];
    if (!p->old_page)
        snprintf(label, sizeof label, "+%d", p->new_page);
    else if (!p->new_page)
        snprintf(label, sizeof label, "−%d", p->old_page);
    else if (p->old_page == p->new_page)
        snprintf(label, sizeof label, "%d", p->new_page);
    else
        snprintf(label, sizeof label, "%d→%d", p->old_page, p->new_page);
    fprintf(out, "<a class=\"pg %s\" title=\"%s\"", bp_page_status_key(p->status),
            bp_page_status_label(p->status));
    if (pic)
        fprintf(out, " href=\"#p%d\"", p->new_page);
    fprintf(out, ">%s</a>", label);
}

static void html_page_map(FILE *out, const bp_comparison *c)
{
    fputs("<h2>页面对照</h2>\n<p "
          "class=\"hint\">每格一页：原页码→新页码。虚线框内的页面只是因前面的变化而顺延，"
          "内容未变。点有变化的页面看图。</p>\n<div class=\"map\">",
          out);
    for (size_t k = 0; k < c->page_count; k++) {
        if (c->pages[k].status == BP_PAGE_SHIFTED) {
            size_t end = k;
            while (end + 1 < c->page_count && c->pages[end + 1].status == BP_PAGE_SHIFTED)
                end++;
            int cause = c->pages[k].cause;
            fputs("<span class=\"cascade\" title=\"顺延", out);
            if (cause >= 0) {
                fputs("：因为 ", out);
                bp_html_text(out, c->changes[cause].message);
            }
            fputs("\">", out);
            for (size_t i = k; i <= end; i++)
                page_box(out, c, i);
            fputs("</span>", out);
            k = end;
        } else
            page_box(out, c, k);
    }
    fputs("</div>\n<p class=\"legend\">", out);
    for (int s = BP_PAGE_SAME; s <= BP_PAGE_SIZE; s++)
        fprintf(out, "<span><a class=\"pg %s\">%s</a></span>", bp_page_status_key(s),
                bp_page_status_label(s));
    fputs("</p>\n", out);
}

static void html_change_item(FILE *out, const bp_change *ch)
{
    fprintf(out, "<li><span class=\"cls%s\">%s</span>", ch->cls == BP_CLASS_LAYOUT ? " layout" : "",
            ch->cls == BP_CLASS_LAYOUT ? "版式" : "数据");
    html_message(out, ch->message);
    if (ch->shifted_first && ch->shifted_first == ch->shifted_last)
        fprintf(out, "；第 %d 页因此顺延", ch->shifted_first);
    else if (ch->shifted_first)
        fprintf(out, "；第 %d–%d 页因此顺延", ch->shifted_first, ch->shifted_last);
    if (ch->new_page)
        fprintf(out, " <a href=\"#p%d\">看图</a>", ch->new_page);
    fputs("</li>\n", out);
}

/* The changes grouped: each table's together (in the order met), then the text, then layout. */
static void html_changes(FILE *out, const bp_comparison *c)
{
    fputs("<h2>变化</h2>\n", out);
    if (!c->change_count) {
        fputs("<p>没有变化。</p>\n", out);
        return;
    }
    bool *done = calloc(c->change_count, 1);
    for (size_t i = 0; done && i < c->change_count; i++) {
        const bp_change *first = &c->changes[i];
        if (done[i] || !first->table || first->cls != BP_CLASS_DATA)
            continue;
        fputs("<h3>", out);
        bp_html_text(out, first->table_title ? first->table_title : first->table);
        fputs("</h3>\n<ul class=\"changes\">\n", out);
        for (size_t j = i; j < c->change_count; j++)
            if (!done[j] && c->changes[j].table && c->changes[j].cls == BP_CLASS_DATA &&
                strcmp(c->changes[j].table, first->table) == 0) {
                html_change_item(out, &c->changes[j]);
                done[j] = true;
            }
        fputs("</ul>\n", out);
    }
    const char *titles[2] = {"文字与目录", "版式"};
    for (int cls = 0; cls < 2 && done; cls++) {
        bool any = false;
        for (size_t j = 0; j < c->change_count; j++) {
            if (done[j] || (int)c->changes[j].cls != cls)
                continue;
            if (!any)
                fprintf(out, "<h3>%s</h3>\n<ul class=\"changes\">\n", titles[cls]);
            any = true;
            html_change_item(out, &c->changes[j]);
            done[j] = true;
        }
        if (any)
            fputs("</ul>\n", out);
    }
    free(done);
}

static void html_img(FILE *out, const char *base, const char *file, const char *cls,
                     const char *alt)
{
    fprintf(out, "<img loading=\"lazy\"%s%s%s alt=\"%s\" src=\"", cls ? " class=\"" : "",
            cls ? cls : "", cls ? "\"" : "", alt);
    bp_html_path(out, base);
    bp_html_path(out, file);
    fputs("\">", out);
}

static void html_picture(FILE *out, const unit_page *pg, const bp_cmp_picture *pic)
{
    const bp_page_pair *p = &pg->c->pages[pic->pair];
    fprintf(out, "<article class=\"picture\" id=\"p%d\">\n<h3>第 %d 页（原第 %d 页）：%s",
            p->new_page, p->new_page, p->old_page, bp_page_status_label(p->status));
    if (pic->changed_pixels > 0)
        fprintf(out, "，%ld 个像素不同", pic->changed_pixels);
    fputs("</h3>\n<p class=\"views\"><button data-mode=\"side\" class=\"on\">并排</button>"
          "<button data-mode=\"blend\">叠加</button><button data-mode=\"swipe\">滑动</button>"
          "<button data-mode=\"difference\">差异</button>"
          " <span class=\"hint\">差异图中：红色为原有而删去，绿色为新增，橙框为变化的单元格；"
          "j / k 跳到下一页 / 上一页</span></p>\n",
          out);
    fputs("<div class=\"mode side on\" data-mode=\"side\"><div class=\"side\">", out);
    const char *files[3] = {pic->old_png, pic->diff_png, pic->new_png};
    const char *captions[3] = {"原", "差异", "新"};
    for (int i = 0; i < 3; i++) {
        /* Each picture opens whole in a tab of its own: the digits at full size. */
        fputs("<figure><a target=\"_blank\" href=\"", out);
        bp_html_path(out, pg->base);
        bp_html_path(out, files[i]);
        fputs("\">", out);
        html_img(out, pg->base, files[i], NULL, captions[i]);
        fprintf(out, "</a><figcaption>%s（点击放大）</figcaption></figure>", captions[i]);
    }
    fputs("</div></div>\n", out);
    const char *modes[3] = {"blend", "swipe", "difference"};
    for (int m = 0; m < 3; m++) {
        fprintf(out, "<div class=\"mode\" data-mode=\"%s\"><div class=\"stack %s\">", modes[m],
                modes[m]);
        html_img(out, pg->base, pic->old_png, NULL, "原");
        html_img(out, pg->base, pic->new_png, "top", "新");
        if (m == 0)
            fputs("<input class=\"blend\" type=\"range\" min=\"0\" max=\"100\" value=\"100\" "
                  "aria-label=\"新的透明度\">",
                  out);
        else if (m == 1)
            fputs("<input class=\"swipe\" type=\"range\" min=\"0\" max=\"100\" value=\"50\" "
                  "aria-label=\"分界位置\">",
                  out);
        fputs("</div></div>\n", out);
    }
    fputs("</article>\n", out);
}

static void html_unit_head(FILE *out, const unit_page *pg)
{
    const cmp_unit *u = pg->u;
    const bp_comparison *c = pg->c;
    fputs("<h1>", out);
    bp_html_text(out, u->name[0] ? u->name : u->slug);
    if (u->code[0]) {
        fputs(" <small>", out);
        bp_html_text(out, u->code);
        fputs("</small>", out);
    }
    fputs("</h1>\n<p class=\"files\">原：<code>", out);
    bp_html_text(out, c->old_path);
    fprintf(out, "</code>（%zu 页） · 新：<code>", c->old_pages);
    bp_html_text(out, c->new_path);
    fprintf(out, "</code>（%zu 页）</p>\n", c->new_pages);
    fprintf(out, "<p class=\"summary %s\">", c->status == BP_PAIR_SAME ? "same" : "bad");
    bp_html_text(out, u->line ? u->line : "");
    fputs("</p>\n", out);
    if (c->why[0]) {
        fputs("<p class=\"note\">", out);
        bp_html_text(out, c->why);
        fputs("</p>\n", out);
    }
}

static int unit_body(FILE *out, const void *ctx)
{
    const unit_page *pg = ctx;
    char title[400];
    snprintf(title, sizeof title, "比较：%s %s", pg->u->code, pg->u->name);
    html_start(out, title);
    if (pg->run->folders)
        fprintf(out, "<p><a href=\"../index.html\">← 全部单位</a></p>\n");
    html_unit_head(out, pg);
    html_page_map(out, pg->c);
    html_changes(out, pg->c);
    if (pg->c->picture_count) {
        fputs("<h2>有变化的页面</h2>\n", out);
        for (size_t i = 0; i < pg->c->picture_count; i++)
            html_picture(out, pg, &pg->c->pictures[i]);
    }
    fputs(html_script, out);
    fputs("</body>\n</html>\n", out);
    return 0;
}

static int make_dir(const char *path)
{
    return mkdir(path, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

int cmp_report_unit_page(const cmp_run *run, const cmp_unit *u, const bp_comparison *c)
{
    char path[4400];
    unit_page pg = {run, u, c, run->folders ? "../" : ""};
    if (run->folders) {
        snprintf(path, sizeof path, "%s/units", run->out_dir);
        if (make_dir(run->out_dir) != 0 || make_dir(path) != 0) {
            fprintf(stderr, "budgetpress compare: %s: cannot make the folder\n", path);
            return -1;
        }
        snprintf(path, sizeof path, "%s/units/%s.html", run->out_dir, u->slug);
    } else {
        if (make_dir(run->out_dir) != 0) {
            fprintf(stderr, "budgetpress compare: %s: cannot make the folder\n", run->out_dir);
            return -1;
        }
        snprintf(path, sizeof path, "%s/index.html", run->out_dir);
    }
    return write_whole(path, unit_body, &pg);
}

/* ---- index.html ---- */

static void index_row(FILE *out, const cmp_unit *u)
{
    fputs("<tr><td>", out);
    bp_html_text(out, u->code);
    fputs("</td><td>", out);
    if (u->json && u->status != BP_PAIR_SAME) {
        fputs("<a href=\"units/", out);
        bp_html_href(out, u->slug);
        fputs(".html\">", out);
        bp_html_text(out, u->name[0] ? u->name : u->slug);
        fputs("</a>", out);
    } else
        bp_html_text(out, u->name[0] ? u->name : u->slug);
    static const char *const labels[] = {"未变", "有变化", "新增", "缺失", "无法读取"};
    fprintf(
        out,
        "</td><td>%s%s</td><td class=n>%zu</td><td class=n>%zu</td><td class=n>%zu → %zu</td><td>",
        labels[u->status], u->pixel_only ? "（仅像素）" : "", u->data_changes, u->layout_changes,
        u->old_pages, u->new_pages);
    if (u->status == BP_PAIR_UNREADABLE)
        bp_html_text(out, u->why ? u->why : "");
    else if (u->json)
        html_message(out, first_message(u));
    fputs("</td></tr>\n", out);
}

static int index_body(FILE *out, const void *ctx)
{
    const cmp_run *run = ctx;
    html_start(out, "budgetpress 比较报告");
    fputs("<h1>比较报告</h1>\n<p class=\"files\">原：<code>", out);
    bp_html_text(out, run->old_root);
    fputs("</code> · 新：<code>", out);
    bp_html_text(out, run->new_root);
    fprintf(out, "</code> · 用时 %.1f 秒</p>\n", run->seconds);
    char *line = cmp_report_totals(run);
    totals t = count(run);
    fprintf(out, "<p class=\"summary %s\">",
            t.different + t.added + t.removed + t.unreadable ? "bad" : "same");
    bp_html_text(out, line ? line : "");
    fputs("</p>\n", out);
    free(line);
    size_t ng;
    group *g = find_groups(run, &ng);
    if (ng) {
        fputs("<h2>相同的变化</h2>\n<ul class=\"changes\">\n", out);
        for (size_t k = 0; k < ng; k++) {
            fprintf(out, "<li>%zu 个单位的变化完全相同：", g[k].count);
            html_message(out, first_message(&run->units[g[k].first]));
            fputs("</li>\n", out);
        }
        fputs("</ul>\n", out);
    }
    free(g);
    fputs("<h2>有变化的单位</h2>\n<table>\n<tr><th>编码</th><th>单位</th><th>状态</"
          "th><th>数据变更</th>"
          "<th>版式变更</th><th>页数</th><th>第一处变化</th></tr>\n",
          out);
    size_t same = 0;
    for (size_t i = 0; i < run->count; i++) {
        if (run->units[i].status == BP_PAIR_SAME)
            same++;
        else
            index_row(out, &run->units[i]);
    }
    fputs("</table>\n", out);
    fprintf(out, "<details><summary>未变的单位（%zu 个）</summary>\n<table>\n", same);
    for (size_t i = 0; i < run->count; i++)
        if (run->units[i].status == BP_PAIR_SAME)
            index_row(out, &run->units[i]);
    fputs("</table>\n</details>\n<p class=\"hint\">report.json 有每一处变化的全部数据。</p>\n",
          out);
    fputs(html_script, out);
    fputs("</body>\n</html>\n", out);
    return 0;
}

int cmp_report_write(cmp_run *run)
{
    int rc = 0;
    char path[4400];
    if (run->out_dir) {
        if (make_dir(run->out_dir) != 0) {
            fprintf(stderr, "budgetpress compare: %s: cannot make the folder\n", run->out_dir);
            return -1;
        }
        if (run->folders) {
            snprintf(path, sizeof path, "%s/index.html", run->out_dir);
            rc |= write_whole(path, index_body, run);
        }
        snprintf(path, sizeof path, "%s/report.json", run->out_dir);
        rc |= write_whole(path, json_body, run);
    }
    if (run->json_path)
        rc |= write_whole(run->json_path, json_body, run);
    return rc;
}

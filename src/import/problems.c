/*
 * problems.c: what the reading of a workbook says and keeps as it goes: each problem against
 * its sheet!cell (or the unit's JSON path), and where each of the unit's values came from (a
 * table's rows and columns, single values, and the addresses check's rules use for a row).
 *
 * Stage: import, under everything that reads a table (locate.c, cells.c, the row shapes), so
 * that they report without knowing the unit being put together (import.c).
 */
#include "read_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void im_cell_name(const im_ctx *ctx, size_t sheet, uint32_t row, uint32_t col, char *out)
{
    const char *name = bp_workbook_sheet_name(ctx->book, sheet);
    if (row == UINT32_MAX) {
        snprintf(out, 600, "%s", name);
        return;
    }
    char ref[16];
    bp_cell_ref(row, col, ref);
    snprintf(out, 600, "%.560s!%s", name, ref);
}

static void cell_diag(im_ctx *ctx, bp_severity severity, size_t sheet, uint32_t row, uint32_t col,
                      const char *fmt, va_list ap)
{
    char where[600];
    im_cell_name(ctx, sheet, row, col, where);
    bp_diags_vadd(ctx->diags, severity, NULL, ctx->book_name, 0, 0, where, fmt, ap);
    if (severity == BP_SEVERITY_ERROR)
        ctx->errors++;
}

void im_cell_error(im_ctx *ctx, size_t sheet, uint32_t row, uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cell_diag(ctx, BP_SEVERITY_ERROR, sheet, row, col, fmt, ap);
    va_end(ap);
}

void im_cell_warning(im_ctx *ctx, size_t sheet, uint32_t row, uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cell_diag(ctx, BP_SEVERITY_WARNING, sheet, row, col, fmt, ap);
    va_end(ap);
}

void im_error(im_ctx *ctx, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bp_diags_vadd(ctx->diags, BP_SEVERITY_ERROR, NULL, ctx->book_name, 0, 0,
                  path && path[0] ? path : NULL, fmt, ap);
    va_end(ap);
    ctx->errors++;
}

static void add_origin(im_ctx *ctx, im_origin origin)
{
    bool target_needed = origin.type == IM_ORIGIN_ROW || origin.type == IM_ORIGIN_ALIAS;
    if (!origin.path || (target_needed && !origin.target)) { /* a copy was not made */
        ctx->out_of_memory = true;
        return;
    }
    /* Kept as soon as grown: the old array may be gone. */
    im_origin *grown =
        bp_grow(ctx->origins, &ctx->origin_capacity, ctx->origin_count + 1, sizeof *grown, 256);
    if (!grown) {
        ctx->out_of_memory = true;
        return;
    }
    ctx->origins = grown;
    ctx->origins[ctx->origin_count++] = origin;
}

static const char *arena_copy(im_ctx *ctx, const char *s)
{
    return bp_arena_strndup(ctx->arena, s, strlen(s));
}

void im_origin_add(im_ctx *ctx, const char *path, size_t sheet, uint32_t row, uint32_t col)
{
    add_origin(
        ctx, (im_origin){IM_ORIGIN_VALUE, arena_copy(ctx, path), NULL, (uint32_t)sheet, row, col});
}

void im_row_add(im_ctx *ctx, const char *path, const char *columns, size_t sheet, uint32_t row,
                uint32_t col)
{
    add_origin(ctx, (im_origin){IM_ORIGIN_ROW, arena_copy(ctx, path), arena_copy(ctx, columns),
                                (uint32_t)sheet, row, col});
}

void im_column_add(im_ctx *ctx, const char *columns, const char *key, uint32_t col)
{
    char path[600];
    snprintf(path, sizeof path, "%s#%s", columns, key);
    add_origin(ctx, (im_origin){IM_ORIGIN_COLUMN, arena_copy(ctx, path), NULL, 0, 0, col});
}

void im_alias_add(im_ctx *ctx, const char *alias, const char *target)
{
    add_origin(ctx, (im_origin){IM_ORIGIN_ALIAS, arena_copy(ctx, alias), arena_copy(ctx, target), 0,
                                0, 0});
}

const im_origin *im_origin_find(const im_ctx *ctx, const char *path, im_origin_type type)
{
    for (size_t i = ctx->origin_count; i-- > 0;)
        if (ctx->origins[i].type == type && strcmp(ctx->origins[i].path, path) == 0)
            return &ctx->origins[i];
    return NULL;
}

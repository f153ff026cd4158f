/*
 * placeholders.h: the {names} a layout's texts may hold ({unit_name}, {year}, {page} …): which
 * texts may hold which, checked when the layout is read, and one expansion for all of them.
 */
#ifndef BP_LAYOUT_PLACEHOLDERS_H
#define BP_LAYOUT_PLACEHOLDERS_H

#include <stdbool.h>

#include "../util/jsonread.h"
#include "budgetpress/model.h"

typedef enum layout_placeholder {
    PH_UNIT_CODE,  /* {unit_code}: 单位编码 */
    PH_UNIT_NAME,  /* {unit_name}: 单位名称 */
    PH_YEAR,       /* {year}: the budget year */
    PH_MONEY_UNIT, /* {money_unit}: 万元 or 元 */
    PH_AS_OF,      /* {as_of}: the date of the asset figures (assets table) */
    PH_NUMBER,     /* {number}: a 绩效目标表's ordinal (project table) */
    PH_NAME,       /* {name}: its project's name (project table) */
    PH_PAGE,       /* {page}: the page number (folio) */
    PH_TITLE,      /* {title}: the table's title (its empty-table note) */
    PH__COUNT
} layout_placeholder;

/* Which placeholders a text may hold, as bits (1u << layout_placeholder). */
enum {
    PH_DOCUMENT = 1u << PH_UNIT_CODE | 1u << PH_UNIT_NAME | 1u << PH_YEAR | 1u << PH_MONEY_UNIT,
    PH_FOLIO = 1u << PH_PAGE,
};

/* What the placeholders of a text stand for; NULL where none applies. */
typedef struct layout_values {
    const char *value[PH__COUNT];
    char year[16];
} layout_values;

/* The texts a layout's table of this key may hold: the document's, and for the project table
 * {number} and {name}, for the assets table {as_of}. */
unsigned layout_table_placeholders(const char *table_key);

/* Reports each {name} in text that is not a placeholder, or not one this text may hold, at the
 * reader's current path: with the nearest name when one is near, and the list of those
 * allowed. Text in braces that is not a name ({}, {1}, {年}) is left as written. */
void layout_check_placeholders(bp_jreader *jr, const char *text, unsigned allowed);

/* The values of a unit's document placeholders; the others start NULL. */
void layout_values_of_unit(layout_values *values, const bp_unit *unit);
/* Appends text with each placeholder replaced by its value ("" when it has none). */
void layout_expand(const char *text, const layout_values *values, bp_strbuf *out);

#endif

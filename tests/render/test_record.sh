#!/usr/bin/env bash
# Meaning in the display list: `render --dump-record` of the reference unit names every amount of
# the nine tables by table, row (code, line or item) and column, with its exact value, and each
# once on the page it is printed on; header cells by the column they head; folios and repeated
# banner and header rows are marked as pagination's; the record of a unit of a kind given as data
# names its cells by the kind's keys. The page dump is unchanged.
# Usage: test_record.sh BUDGETPRESS SOURCE_DIR
set -u
bp=$1
src=$2
source "$(dirname "$0")/../lib.sh"

"$bp" render "$src/samples/201001-2022.json" -o "$work/unit.pdf" --dump-record "$work/unit.rec" >/dev/null 2>&1 ||
    bad "render --dump-record failed"
python3 - "$src/samples/201001-2022.json" "$work/unit.rec" <<'PY' && ok || bad "the record does not name every amount"
import collections, json, re, sys
unit = json.load(open(sys.argv[1], encoding="utf-8"))
records = collections.Counter()
for line in open(sys.argv[2], encoding="utf-8"):
    m = re.match(r'(\S+) row=(\S+) column=(\S+) role=\S+ value=(\S+) text=".*" page=\d+$', line)
    if m:
        records[m.groups()] += 1
want = []
def amounts(table, row, obj, prefix=""):
    for column, value in (obj or {}).items():
        if value is not None:
            want.append((table, row, prefix + column, "%.2f" % float(value)))
for key, t in unit["tables"].items():
    if "rows" in t:
        amounts(key, "total", t.get("total"))
        for r in t["rows"]:
            amounts(key, r["code"], r["amounts"])
    elif "income" in t:
        for side in ("income", "expense"):
            s = t[side]
            for i, line in enumerate(s["lines"]):
                amounts(key, line.get("code") or f"line{i + 1}", line["amounts"], side + ".")
            amounts(key, "year_total", s["year_total"], side + ".")
            c = s.get("carryover", {})
            amounts(key, "carryover", c.get("amounts"), side + ".")
            for i, line in enumerate(c.get("lines", [])):
                amounts(key, f"carryover{i + 1}", line["amounts"], side + ".")
            amounts(key, "grand_total", s["grand_total"], side + ".")
    else:
        for item, a in t.items():
            amounts(key, item, a)
missing = [w for w in want if records[w] != 1]
print(f"{len(want)} amounts of the nine tables in the record, {len(missing)} missing or repeated")
for w in missing[:5]:
    print("  ", w, records[w])
sys.exit(1 if missing or len(want) < 100 else 0)
PY
grep -q ' value=.* repeated$' "$work/unit.rec" && bad "a repeated row is recorded as an amount" || ok
# Pagination's own text is marked as such: every folio, and the banner and header rows repeated
# on continuation pages (栏次 again), never the first page's.
folios=$(grep -c '^artifact text="— [0-9]* —" page=[0-9]*$' "$work/unit.rec")
[ "$folios" -eq 34 ] && ok || bad "$folios folios marked as artifacts, wanted 34 (the body's pages)"
# Header cells are the table's headers by the column they head; repeated ones are marked so.
grep -q '^budget_summary row=- column=seq role=header text="栏次" page=3$' "$work/unit.rec" && ok ||
    bad "the first page's 栏次 header cell is not recorded as the seq column's header"
grep -q '^budget_summary row=- column=seq role=header text="栏次" page=[0-9]* repeated$' "$work/unit.rec" && ok ||
    bad "the repeated 栏次 row is not marked as repeated"

# The issue's row: in 纪检监察事务 the printed "31.00 31.00" is 合计 and 项目支出; the empty 基本支出
# cell between them is in the record, in its place, as blank (not 0, not missing).
grep -A6 '^expense_summary row=20111 column=name ' "$work/unit.rec" >"$work/row.rec"
grep -qx 'expense_summary row=20111 column=total role=body value=31.00 text="31.00" page=7' "$work/row.rec" &&
    grep -qx 'expense_summary row=20111 column=basic role=body value=blank text="" page=7' "$work/row.rec" &&
    grep -qx 'expense_summary row=20111 column=project role=body value=31.00 text="31.00" page=7' "$work/row.rec" &&
    [ "$(grep -c . "$work/row.rec")" -ge 4 ] && ok || bad "the 纪检监察事务 row: $(cat "$work/row.rec")"

# The structure tree: parts hold sections, tables hold a header and a body of rows, and every
# body row of the nine tables has a cell for every column, empty ones included; every heading,
# paragraph and list item says where in the unit its text comes from.
python3 - "$work/unit.rec" <<'PY' && ok || bad "the record's structure"
import re, sys
lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
problems, table, section, cells, widths = [], None, None, None, {}
def end_row():
    if table and section == "TBody" and cells is not None:
        widths.setdefault(table, set()).add(cells)
for l in lines:
    kind = l.split(" ", 1)[0]
    if kind == "Table":
        end_row(); table, section, cells = l.split("path=tables.")[-1].split(" ")[0], None, None
    elif kind in ("THead", "TBody"):
        end_row(); section, cells = kind, None
    elif kind == "TR":
        end_row(); cells = 0
    elif kind in ("Part", "Sect", "H1", "H2", "H3", "P", "L", "LI", "LBody", "TOC", "TOCI", "Link"):
        end_row(); cells = None
        if kind in ("H1", "H2", "H3", "P", "LBody") and " path=" not in l:
            problems.append("no path: " + l)
    elif re.search(r" role=(title|banner|note) ", l):
        end_row(); cells = None
    elif cells is not None and (kind == "TD" or " role=" in l):
        cells += 1
    elif kind == "artifact" or l.endswith(" repeated"):
        end_row(); cells = None
end_row()
tables = [t for t in widths if not t.startswith("Table")]  # the projects' tables merge cells
if len(tables) < 7:  # two of the nine are empty in this unit: their note says so
    problems.append(f"{len(tables)} tables with body rows: {sorted(tables)}")
if sum(l.startswith("Table path=tables.") for l in lines) != 9:
    problems.append("not nine tables in the structure")
for t in tables:
    if len(widths[t]) != 1:
        problems.append(f"{t}: body rows with {sorted(widths[t])} cells")
for part in ("Part path=cover", "Part path=contents", "Part path=tables", "Part path=explanation"):
    if part not in lines:
        problems.append("missing " + part)
if not any(l.startswith("P path=explanation.sections.overview.blocks[0].paragraph text=") for l in lines):
    problems.append("the overview's first paragraph is not named by its path")
if not any(l.startswith("LBody path=explanation.sections.duties.blocks[1].list[0] ") for l in lines):
    problems.append("the duties' first list item is not named by its path")
for p in problems[:8]:
    print("  ", p)
sys.exit(1 if problems else 0)
PY

# Keyed by meaning: a layout that moves things (margins, a narrower name column, a larger body
# size) changes pages, never what the record says of the content, the contents included (an
# entry is its title; the page it names is where its link points; its dot leader is
# pagination's); pagination's repeats depend on the pages by nature.
python3 - "$src/layouts/unit-2022.json" "$work/moved.json" <<'PY'
import json, sys
layout = json.load(open(sys.argv[1], encoding="utf-8"))
layout["page"]["margin_left"] = 100
layout["page"]["margin_right"] = 60
layout["page"]["margin_top"] = 90
layout["styles"]["body"]["size"] = 13
for column in layout["tables"]["expense_summary"]["columns"]:
    if column.get("bind") == "name":
        column["width"] = {"min": 60, "max": 90}
json.dump(layout, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
"$bp" render "$src/samples/201001-2022.json" --layout "$work/moved.json" -o "$work/moved.pdf" \
    --dump-record "$work/moved.rec" >/dev/null 2>&1 || bad "render with the moved layout failed"
content() {
    grep -v ' repeated$' "$1" | grep -v '^artifact ' | sed 's/ page=[0-9-]*$//'
}
cmp -s "$work/unit.pdf" "$work/moved.pdf" && bad "the moved layout printed the same PDF"
[ "$(grep -o ' page=[0-9-]*$' "$work/unit.rec" | md5sum)" != "$(grep -o ' page=[0-9-]*$' "$work/moved.rec" | md5sum)" ] &&
    ok || bad "the moved layout did not move anything to another page"
diff <(content "$work/unit.rec") <(content "$work/moved.rec") >"$work/moved.diff" && ok ||
    bad "the record changed with a layout that only moves things: $(head -5 "$work/moved.diff")"

# Every cell of every table says what it is (no bare TD or TH), in the built-in kind and in both
# kinds given as data; a 绩效目标表 is keyed by its project's name and its rows by 三级指标.
grep -qE '^T[DH]( |$)' "$work/unit.rec" && bad "a cell without its meaning: $(grep -m2 -E '^T[DH]( |$)' "$work/unit.rec")" || ok
grep -qx 'TR project:保密局保密工作经费 row=开展培训次数 page=22' "$work/unit.rec" &&
    grep -q '^project:保密局保密工作经费 row=target column=targets role=body text="1.宣传保密法' "$work/unit.rec" &&
    ok || bad "the 绩效目标表 of 保密局保密工作经费: $(grep -m3 '^TR project:' "$work/unit.rec")"
for kind in putuo-finance-2024-final putuo-finance-2025-budget; do
    "$bp" render "$src/samples/$kind.json" -o "$work/$kind.pdf" --dump-record "$work/$kind.rec" >/dev/null 2>&1
    grep -qE '^T[DH]( |$)' "$work/$kind.rec" && bad "$kind: a cell without its meaning" || ok
done

"$bp" render "$src/samples/putuo-finance-2024-final.json" -o "$work/final.pdf" --dump-record "$work/final.rec" >/dev/null 2>&1 ||
    bad "render --dump-record of a kind's unit failed"
grep -qx 'general_basic row=30229 column=public.amount role=body value=42.77 text="42.77" page=[0-9]*' "$work/final.rec" &&
    grep -qx 'income row=2010601 column=total role=body value=1511.90 text="1,511.90" page=[0-9]*' "$work/final.rec" &&
    grep -qx 'general_expense row=total column=total role=total value=2940.05 text="2,940.05" page=[0-9]*' "$work/final.rec" &&
    ok || bad "the kind's record: $(grep -m3 general_basic "$work/final.rec")"
expect "the record refuses to overwrite the unit" 2 "is the unit" -- \
    "$bp" render "$src/samples/201001-2022.json" -o "$work/x.pdf" --dump-record "$src/samples/201001-2022.json"

finish

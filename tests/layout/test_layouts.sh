#!/usr/bin/env bash
# A new official format is a layout file, not new code: the reference unit rendered with
# layouts/department-2022.json (部门预算) comes out with the department's titles, banner, folio and
# 支出总表 columns, and a broken layout is refused with the JSON path of every mistake.
# Usage: test_layouts.sh BUDGETPRESS SOURCE_DIR BPGEN
set -u
bp=$1
src=$2
bpgen=$3
source "$(dirname "$0")/../lib.sh"
sample=$src/samples/201001-2022.json
layout=$src/layouts/department-2022.json

# has FILE TEXT: the dump holds TEXT (a fixed string).
has() { grep -qF -- "$2" "$1" && ok || bad "$(basename "$1") lacks: $2"; }

out=$("$bp" render "$sample" --layout "$layout" -o "$work/dept.pdf" --dump-pages "$work/dept.dl" 2>&1)
status=$?
[ $status -eq 0 ] && ok || bad "render with the department layout: exit $status: $out"
[ -s "$work/dept.pdf" ] && ok || bad "no PDF written"

has "$work/dept.dl" '"部门支出总表"'
has "$work/dept.dl" '"部门：中共秦皇岛'
has "$work/dept.dl" '"第 1 页"'
# The two funding-source columns, each header on one line (a quoted whole run).
has "$work/dept.dl" '"单位资金"'
has "$work/dept.dl" '"上年结转"'
has "$work/dept.dl" '"资金来源"'
has "$work/dept.dl" '"部门财政拨款“三公”经费支出表"'
# Nothing of the unit layout's wording is left in the tables.
grep -qF '单位预算支出总表' "$work/dept.dl" && bad "the dump still says 单位预算支出总表" || ok
grep -qF -- '— 1 —' "$work/dept.dl" && bad "the dump still has the unit layout's folio" || ok

# 支出总表 is landscape, and every code and amount of it is printed whole (never wrapped) on
# its pages, in the order of the model.
python3 - "$sample" "$work/dept.dl" <<'PY' && ok || bad "部门支出总表: orientation or cells"
import json, re, sys
unit = json.load(open(sys.argv[1]))
pages, page = [], None
for line in open(sys.argv[2], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("page "):
        page = {"size": line.split()[1], "runs": []}
        pages.append(page)
        continue
    m = re.match(r'glyphs .*? "(.*)"$', line)
    if m and page is not None:
        page["runs"].append(m.group(1))
# The table's first page: its title as a run of its own, on a page without the contents' leaders.
start = next(i for i, p in enumerate(pages) if "部门支出总表" in p["runs"] and
             not any(r.strip().startswith("....") for r in p["runs"]))
# Continuation pages open with the repeated banner, the next table's page with its title.
end = start + 1
while end < len(pages) and pages[end]["runs"][:1] and pages[end]["runs"][0].startswith("部门："):
    end += 1
runs = [r for p in pages[start:end] for r in p["runs"]]
wrong = [p["size"] for p in pages[start:end] if p["size"] != "841.890x595.276"]
if wrong:
    print("支出总表 pages not landscape:", wrong)
# The layout's amount columns, left to right.
order = ["total", "basic", "project", "operating_expense", "remit_upper", "affiliate_subsidy",
         "unit_funds", "carryover"]
table = unit["tables"]["expense_summary"]
amounts = lambda a: [a[k] for k in order if a.get(k)]
wanted = amounts(table["total"])
for row in table["rows"]:
    wanted.append(row["code"])
    wanted += amounts(row["amounts"])
at, missing = 0, []
for w in wanted:
    try:
        at = runs.index(w, at) + 1
    except ValueError:
        missing.append(w)
if missing:
    print("not printed whole, or out of order:", missing[:10])
sys.exit(1 if wrong or missing else 0)
PY

pdfinfo "$work/dept.pdf" | grep -q "^Subject: *部门预算信息公开$" && ok || bad "the department layout's PDF subject"
pdftotext "$work/dept.pdf" "$work/dept.txt" 2>"$work/pdftotext.err"
[ -s "$work/pdftotext.err" ] && bad "pdftotext warns: $(head -3 "$work/pdftotext.err")" || ok
grep -qF '部门：中共秦皇岛经济技术开发区工作委员会办公室(本级)' "$work/dept.txt" && ok ||
    bad "pdftotext does not read the banner back"

# A broken layout: a misspelt key, a width that is not one, a font the catalog lacks. All three
# are reported in one run, each with its JSON path, exit 2, and no PDF is written.
python3 - "$layout" "$work/broken.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
es = d["tables"]["expense_summary"]
es["colums"] = es.pop("columns")
d["tables"]["general_budget_expense"]["columns"][2]["width"] = "abc"
d["fonts"]["table"]["regular"][0] = "simsun"
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, indent=2)
PY
out=$("$bp" render "$sample" --layout "$work/broken.json" -o "$work/broken.pdf" 2>&1)
status=$?
[ $status -eq 2 ] && ok || bad "broken layout: exit $status (wanted 2): $out"
[ -e "$work/broken.pdf" ] && bad "a PDF was written for a broken layout" || ok
for want in \
    "$work/broken.json: error: tables.expense_summary.colums: unknown key (did you mean \"columns\"? expected one of title, orientation, banner, columns, column_numbers, line_numbering, labels, total_label, lead_label, page_break_before, thousands, total_row, repeat, empty_note, note_prefix, omit_blank, continued)" \
    "$work/broken.json: error: tables.expense_summary: missing \"columns\" (a list of columns)" \
    "$work/broken.json: error: tables.general_budget_expense.columns[2].width: expected a width: points like 56, a share like \"*\" or \"2*\", {\"min\": 40, \"max\": 120}, or a share with a minimum like {\"share\": \"*\", \"min\": 96}, found \"abc\"" \
    "$work/broken.json: error: fonts.table.regular[0]: expected a key of fonts/fonts.json (uming-cn, wqy-zenhei, noto-serif-sc, noto-serif-sc-bold, noto-sans-sc, noto-sans-sc-bold), found \"simsun\""; do
    grep -qF -- "$want" <<<"$out" && ok || bad "broken layout: no message: $want; got: $out"
done

# The same mistakes one at a time: each alone is enough to refuse the layout.
for case in colums width font; do
    python3 - "$layout" "$work/$case.json" "$case" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
case = sys.argv[3]
if case == "colums":
    t = d["tables"]["expense_summary"]
    t["colums"] = t.pop("columns")
elif case == "width":
    d["tables"]["expense_summary"]["columns"][2]["width"] = "abc"
else:
    d["fonts"]["body"] = ["uming-cn", "fangsong"]
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, indent=2)
PY
done
expect "misspelt key" 2 'colums\.json: error: tables\.expense_summary\.colums: unknown key \(did you mean "columns"\?' -- \
    "$bp" render "$sample" --layout "$work/colums.json" -o "$work/x.pdf"
expect "width abc" 2 'width\.json: error: tables\.expense_summary\.columns\[2\]\.width: expected a width: .* found "abc"' -- \
    "$bp" render "$sample" --layout "$work/width.json" -o "$work/x.pdf"
expect "unknown font" 2 'font\.json: error: fonts\.body\[1\]: expected a key of fonts/fonts\.json \(uming-cn, wqy-zenhei, noto-serif-sc, noto-serif-sc-bold, noto-sans-sc, noto-sans-sc-bold\), found "fangsong"' -- \
    "$bp" render "$sample" --layout "$work/font.json" -o "$work/x.pdf"

# A binding the table cannot show would print an empty column: the layout is refused.
python3 - "$src/layouts/unit-2022.json" "$work/badbind.json" <<'PY'
import json, sys
layout = json.load(open(sys.argv[1]))
layout["tables"]["expense_summary"]["columns"][2]["bind"] = "totl"
json.dump(layout, open(sys.argv[2], "w"), ensure_ascii=False)
PY
expect "unknown binding refused" 2 \
    'tables\.expense_summary\.columns\[2\]\.bind: the table "expense_summary" has nothing called "totl" to show' \
    -- "$bp" render "$src/samples/201001-2022.json" --layout "$work/badbind.json" -o "$work/badbind.pdf"

# Placeholders are checked when the layout is read: a misspelt one is an error with the nearest
# name, one a text may not use is an error saying which it may; both exit 2 before any unit.
python3 - "$src/layouts/unit-2022.json" "$work/placeholders.json" <<'PY'
import json, sys
layout = json.load(open(sys.argv[1]))
layout["cover"]["lines"][1] = "{unit_nmae}"
layout["tables"]["expense_summary"]["banner"]["left"] = "{unit_code} {unit_nmae}"
layout["tables"]["expense_summary"]["title"] = "{nope}支出总表"
layout["tables"]["three_public"]["title"] = "{name}三公经费"
layout["folio"]["format"] = "— {page} — {year}"
json.dump(layout, open(sys.argv[2], "w"), ensure_ascii=False)
PY
out=$("$bp" render "$sample" --layout "$work/placeholders.json" -o "$work/ph.pdf" 2>&1)
status=$?
[ $status -eq 2 ] && [ ! -e "$work/ph.pdf" ] && ok || bad "bad placeholders: exit $status, or a PDF written"
for want in \
    'placeholders.json: error: cover.lines[1]: unknown placeholder {unit_nmae} (did you mean {unit_name}? this text may use {unit_code}, {unit_name}, {year}, {money_unit})' \
    'placeholders.json: error: tables.expense_summary.banner.left: unknown placeholder {unit_nmae} (did you mean {unit_name}?' \
    'placeholders.json: error: tables.expense_summary.title: unknown placeholder {nope} (this text may use' \
    'placeholders.json: error: tables.three_public.title: {name} cannot be used in this text (it may use {unit_code}, {unit_name}, {year}, {money_unit})' \
    'placeholders.json: error: folio.format: {year} cannot be used in this text (it may use {page})'; do
    grep -qF -- "$want" <<<"$out" && ok || bad "bad placeholders: no message: $want; got: $out"
done
expect "check refuses the same layout" 2 "unknown placeholder \{unit_nmae\}" -- \
    "$bp" check "$sample" --layout "$work/placeholders.json"
# Braces that hold no placeholder name print as written.
python3 - "$src/layouts/unit-2022.json" "$work/braces.json" <<'PY'
import json, sys
layout = json.load(open(sys.argv[1]))
layout["tables"]["three_public"]["title"] = "{1}“三公”经费{}表{年}"
json.dump(layout, open(sys.argv[2], "w"), ensure_ascii=False)
PY
"$bp" render "$sample" --layout "$work/braces.json" -o "$work/braces.pdf" --dump-pages "$work/braces.dl" >/dev/null 2>&1 &&
    grep -qF '{1}“三公”经费{}表{年}' "$work/braces.dl" && ok || bad "braces without a placeholder name were not printed as written"

# A layout saved with a UTF-8 byte order mark is read like one without.
printf '\xef\xbb\xbf' >"$work/bom.json"
cat "$src/layouts/unit-2022.json" >>"$work/bom.json"
expect "layout with a byte order mark" 0 "wrote .*bom.pdf" -- "$bp" render "$sample" --layout "$work/bom.json" -o "$work/bom.pdf"

# A table the document prints without a definition is the layout's error: exit 2, named once.
python3 - "$src/layouts/unit-2022.json" "$work/notable.json" <<'PY'
import json, sys
layout = json.load(open(sys.argv[1]))
del layout["tables"]["three_public"]
json.dump(layout, open(sys.argv[2], "w"), ensure_ascii=False)
PY
expect "missing table definition" 2 'notable\.json: error: tables: no definition of the table "three_public" \(财政拨款“三公”经费支出表\)' -- \
    "$bp" render "$sample" --layout "$work/notable.json" -o "$work/notable.pdf"
expect "check: missing table definition" 2 'no definition of the table "three_public"' -- \
    "$bp" check "$sample" --layout "$work/notable.json"

# A page too small for any PDF reader is the layout's error, before any unit.
python3 - "$src/layouts/unit-2022.json" "$work/tiny.json" <<'PY'
import json, sys
layout = json.load(open(sys.argv[1]))
layout["page"].update(width=2, margin_left=0, margin_right=0)
json.dump(layout, open(sys.argv[2], "w"), ensure_ascii=False)
PY
expect "a page narrower than 3 pt" 2 "tiny\.json: error: page: a page is at least 3 pt wide and high" -- \
    "$bp" check "$sample" --layout "$work/tiny.json"

# Section order is the layout's: glossary before assets, other notes left out.
python3 - "$src/layouts/unit-2022.json" "$work/order.json" <<'PY'
import json, sys
layout = json.load(open(sys.argv[1]))
layout["sections"] = ["duties", "overview", "operating_costs", "three_public", "performance",
                      "procurement", "glossary", "assets"]
json.dump(layout, open(sys.argv[2], "w"), ensure_ascii=False)
PY
"$bp" render "$src/samples/201001-2022.json" --layout "$work/order.json" -o "$work/order.pdf" \
    --dump-pages "$work/order.dl" >/dev/null 2>&1
grep -q '"七、名词解释"\|"七、" .*名词解释\|七、名词解释' "$work/order.dl" && ok || bad "glossary not seventh"
grep -q '八、国有资产信息' "$work/order.dl" && ok || bad "assets not eighth"
grep -q '其他需要说明的事项' "$work/order.dl" && bad "a section left out was printed" || ok

# The contents' group titles may name the unit and the year; the contents page and the
# bookmarks print them filled in (they printed "{unit_name}" as written).
python3 - "$src/layouts/unit-2022.json" "$work/groups.json" <<'PY'
import json, sys
layout = json.load(open(sys.argv[1]))
layout["contents"]["groups"] = ["{unit_name}预算公开表", "{year} 年情况说明"]
json.dump(layout, open(sys.argv[2], "w"), ensure_ascii=False)
PY
"$bp" render "$sample" --layout "$work/groups.json" -o "$work/groups.pdf" --dump-pages "$work/groups.dl" >/dev/null 2>&1 ||
    bad "render with placeholders in the contents' groups failed"
unit_name=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["unit"]["name"])' "$sample")
has "$work/groups.dl" "\"${unit_name}预算公开表\""
has "$work/groups.dl" '"2022 年情况说明"'
qpdf --json "$work/groups.pdf" | python3 -c '
import json, sys
unit = sys.argv[1]
titles = []
def walk(items):
    for o in items:
        titles.append(o["title"])
        walk(o.get("kids", []))
walk(json.load(sys.stdin)["outlines"])
want = [unit + "预算公开表", "2022 年情况说明"]
missing = [w for w in want if w not in titles]
literal = [t for t in titles if "{" in t]
if missing or literal:
    print("bookmarks:", titles[:4], "missing:", missing, "literal:", literal)
sys.exit(1 if missing or literal else 0)' "$unit_name" && ok || bad "bookmarks of the groups not filled in"

# A unit of the built-in kind may name its layout as its kind: "kind": "department-2022" renders
# as the department document without --layout.
python3 - "$sample" "$work/named.json" <<'PY'
import json, sys
u = json.load(open(sys.argv[1], encoding="utf-8"))
u["kind"] = "department-2022"
json.dump(u, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
"$bp" render "$work/named.json" -o "$work/named.pdf" --dump-pages "$work/named.dl" >/dev/null 2>&1 &&
    grep -qF '"部门支出总表"' "$work/named.dl" && ok || bad "a unit naming department-2022 is not set as the department document"

# A text column keeps its stated minimum ({"share": "*", "min": N}): a 5,000-row 支出总表 is set
# smaller where that is enough, turned to landscape where the layout allows ("orientation":
# "auto"), and refused, naming the column and both widths, where neither is.
"$bpgen" --rows 5000 -o "$work/rows5000.json" >/dev/null
for min in 120 200; do
    for orientation in portrait auto; do
        python3 - "$src/layouts/unit-2022.json" "$work/min-$min-$orientation.json" "$min" "$orientation" <<'PY'
import json, sys
layout = json.load(open(sys.argv[1], encoding="utf-8"))
es = layout["tables"]["expense_summary"]
es["orientation"] = sys.argv[4]
def walk(nodes):
    for n in nodes:
        if n.get("bind") == "name":
            n["width"] = {"share": "*", "min": int(sys.argv[3])}
        walk(n.get("children", []))
walk(es["columns"])
json.dump(layout, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
    done
done
"$bp" render "$work/rows5000.json" --layout "$work/min-120-portrait.json" -o "$work/m120.pdf" \
    --dump-pages "$work/m120.dl" >/dev/null 2>&1 && grep -q 'size=8\.[0-9]* bold=0 .*"科目名称"' "$work/m120.dl" &&
    ok || bad "min 120: the table is not set smaller to keep the names 120 pt"
expect "min 200 in portrait" 1 'tables\.expense_summary: 单位预算支出总表, column 科目名称: the column would be [0-9.]+ pt wide, below its minimum of 200\.0 pt, even with the table set smaller \(down to 8\.0 pt\) \("orientation": "auto" lets the table turn its page\)' -- \
    "$bp" render "$work/rows5000.json" --layout "$work/min-200-portrait.json" -o "$work/m200p.pdf"
[ -e "$work/m200p.pdf" ] && bad "a PDF was written with the names below their minimum" || ok
"$bp" render "$work/rows5000.json" --layout "$work/min-200-auto.json" -o "$work/m200a.pdf" \
    --dump-pages "$work/m200a.dl" >/dev/null 2>&1 || bad "min 200, auto: render failed"
python3 - "$work/m200a.dl" <<'PY' && ok || bad "min 200, auto: 支出总表 is not landscape on all its pages"
import re, sys
pages = []
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("page "):
        w, h = map(float, line.split()[1].split("x"))
        pages.append((w > h, []))
    m = re.match(r'glyphs .*? "(.*)"$', line.rstrip("\n"))
    if m and pages:
        pages[-1][1].append(m.group(1))
start = next(i for i, p in enumerate(pages) if "单位预算支出总表" in p[1] and
             not any(r.strip().startswith("....") for r in p[1]))
end = start + 1
while end < len(pages) and pages[end][1][:1] and pages[end][1][0].startswith("201001"):
    end += 1
sys.exit(0 if end - start > 50 and all(p[0] for p in pages[start:end]) else 1)
PY
python3 - "$work/min-200-auto.json" "$work/auto-inline.json" <<'PY'
import json, sys
layout = json.load(open(sys.argv[1], encoding="utf-8"))
layout["tables"]["expense_summary"]["page_break_before"] = False
json.dump(layout, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
expect "auto without a page of its own" 2 'tables\.expense_summary: orientation "auto" turns the table.s first page' -- \
    "$bp" check "$sample" --layout "$work/auto-inline.json"

# A 续表 mark: printed flush right above the repeated parts of every continuation page of the
# table, never on its first page; the tables without one print none.
python3 - "$src/layouts/unit-2022.json" "$work/continued.json" <<'PY'
import json, sys
layout = json.load(open(sys.argv[1], encoding="utf-8"))
layout["tables"]["expense_summary"]["continued"] = "续表"
json.dump(layout, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
"$bpgen" --rows 300 -o "$work/rows300.json" >/dev/null
"$bp" render "$work/rows300.json" --layout "$work/continued.json" -o "$work/continued.pdf" \
    --dump-pages "$work/continued.dl" >/dev/null 2>&1 || bad "render with a 续表 mark failed"
python3 - "$work/continued.dl" <<'PY' && ok || bad "the 续表 mark is not on every continuation page of 支出总表 alone"
import re, sys
pages = []
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("page "):
        pages.append([])
    m = re.match(r'glyphs .*? x=([\d.]+) y=([\d.]+) .*? w=([\d.]+) "(.*)"$', line.rstrip("\n"))
    if m and pages:
        pages[-1].append((float(m.group(1)) + float(m.group(3)), float(m.group(2)), m.group(4)))
start = next(i for i, p in enumerate(pages) if any(r[2] == "单位预算支出总表" for r in p) and
             not any(r[2].strip().startswith("....") for r in p))
end = start + 1
while end < len(pages) and pages[end] and pages[end][0][2] == "续表":
    end += 1
marks = [i for i, p in enumerate(pages) if any(r[2] == "续表" for r in p)]
right = {round(r[0]) for p in pages[start + 1:end] for r in p if r[2] == "续表"}
ok = end - start >= 3 and marks == list(range(start + 1, end)) and len(right) == 1
if not ok:
    print("pages", start, end, "marks", marks[:5], "right edges", right)
sys.exit(0 if ok else 1)
PY

# A table keeps the shape it asks for on every page, whatever the layout's page: with the page
# itself landscape, a portrait table's continuation pages are portrait too (they were the
# layout's page turned, and so portrait tables continued on landscape pages, and the reverse).
python3 - "$src/layouts/unit-2022.json" "$work/wide.json" <<'PY'
import json, sys
layout = json.load(open(sys.argv[1]))
page = layout["page"]
page["width"], page["height"] = page["height"], page["width"]
json.dump(layout, open(sys.argv[2], "w"), ensure_ascii=False)
PY
"$bpgen" --rows 400 -o "$work/long.json" >/dev/null
for lay in "$src/layouts/unit-2022.json" "$work/wide.json"; do
    name=$(basename "$lay" .json)
    "$bp" render "$work/long.json" --layout "$lay" -o "$work/$name.pdf" --dump-pages "$work/$name.dl" >/dev/null 2>&1 ||
        bad "$name: render of a 400-row unit failed"
    python3 - "$lay" "$work/$name.dl" <<'PY' && ok || bad "$name: a table's pages change shape"
import json, re, sys
layout = json.load(open(sys.argv[1]))
pages = []
for line in open(sys.argv[2], encoding="utf-8"):
    if line.startswith("page "):
        w, h = map(float, line.split()[1].split("x"))
        pages.append({"landscape": w > h, "runs": []})
    m = re.match(r'glyphs .*? "(.*)"$', line.rstrip("\n"))
    if m and pages:
        pages[-1]["runs"].append(m.group(1))
titles = {t["title"]: t.get("orientation", "portrait") == "landscape"
          for t in layout["tables"].values() if "{" not in t["title"]}
bad, current, seen = [], None, 0
for i, p in enumerate(pages):
    contents = any(r.strip().startswith("....") for r in p["runs"])  # titles as entries
    starts = [r for r in p["runs"] if r in titles and not contents]
    if starts:
        current = starts[0]
    elif current and not any(r.startswith("201001") for r in p["runs"][:3]):
        current = None  # no banner: the table has ended
    if current:
        seen += 1
        if p["landscape"] != titles[current]:
            bad.append((i + 1, current))
if bad or seen < 12:
    print("pages of the wrong shape:", bad[:8], "table pages seen:", seen)
sys.exit(1 if bad or seen < 12 else 0)
PY
done

finish

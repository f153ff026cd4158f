#!/usr/bin/env bash
# `budgetpress render` on the reference unit, checked the way a reader meets the PDF: every
# paragraph of the explanatory part comes back from pdftotext, no tool warns, every font is an
# embedded subset with a ToUnicode map, the file is small and reproducible, and a render that
# cannot finish leaves no file behind.
# Usage: test_render_sample.sh BUDGETPRESS SOURCE_DIR
set -u
bp=$1
src=$2
source "$(dirname "$0")/../lib.sh"
sample=$src/samples/201001-2022.json

out=$("$bp" render "$sample" -o "$work/unit.pdf" --dump-pages "$work/unit.dl" 2>&1)
[ $? -eq 0 ] && ok || bad "render failed: $out"
grep -q "wrote $work/unit.pdf ([0-9]* pages, [0-9]* KB)" <<<"$out" && ok || bad "render does not say where: $out"

# Text: every paragraph, list item and glossary entry, in order, spaces and line breaks aside.
pdftotext "$work/unit.pdf" "$work/unit.txt" 2>"$work/pdftotext.err"
[ -s "$work/pdftotext.err" ] && bad "pdftotext warns: $(head -3 "$work/pdftotext.err")" || ok
python3 - "$sample" "$work/unit.txt" <<'PY' && ok || bad "text round trip"
import json, re, sys
unit = json.load(open(sys.argv[1]))
# Folios ("— 12 —") stand between the two halves of a paragraph that crosses a page.
lines = [l for l in open(sys.argv[2]).read().split("\n") if not re.fullmatch(r"\s*— \d+ —\s*", l)]
text = re.sub(r"\s+", "", "".join(lines))
wanted = []
ex = unit["explanation"]
wanted.append(ex["preface"])
for section in ex["sections"].values():
    for block in section["blocks"]:
        if "paragraph" in block:
            wanted.append(block["paragraph"])
        for item in block.get("list", []):
            wanted.append(item)
perf = unit["performance"]
wanted.append(perf["overall"])
for group in perf["itemised"]:
    for target in group["targets"]:
        wanted.append(target["target"])
        wanted.extend(target["indicators"])
for s in perf["safeguards"]:
    wanted.append(s["text"])
# Figures named in the text ({expense.total}) print the tables' values: resolved here on their
# own from the JSON, so that the PDF is checked against the tables, not against budgetpress.
from decimal import Decimal
tables, previous = unit["tables"], unit.get("previous_year", {})
year = unit["unit"]["budget_year"]
three = tables["three_public"]
figures = {
    "expense.total": tables["expense_summary"]["total"].get("total"),
    "expense.basic": tables["expense_summary"]["total"].get("basic"),
    "expense.project": tables["expense_summary"]["total"].get("project"),
    "income.total": tables["budget_summary"]["income"]["grand_total"].get("total"),
    "personnel": tables["general_budget_basic_expense"]["total"].get("personnel"),
    "public": tables["general_budget_basic_expense"]["total"].get("public"),
    "operating_costs": tables["general_budget_basic_expense"]["total"].get("public"),
    "three_public": three["total"].get("total"),
    "procurement.total": unit["procurement"].get("total"),
    "assets.total": unit["assets"]["total"]["value"],
    "assets.planned_purchases": unit["assets"].get("planned_purchases"),
}
for item in ("overseas", "vehicles", "vehicle_purchase", "vehicle_operation", "reception"):
    figures["three_public." + item] = three.get(item, {}).get("total")
for key, table in (("basic_row:", "general_budget_basic_expense"), ("expense_row:", "expense_summary")):
    for row in tables[table]["rows"]:
        figures[key + row["code"]] = row["amounts"].get("total")
compared = {"total_expense": "expense.total", "personnel": "personnel", "public": "public",
            "project": "expense.project", "operating_costs": "operating_costs",
            "three_public": "three_public", "three_public_overseas": "three_public.overseas",
            "three_public_vehicles": "three_public.vehicles",
            "three_public_reception": "three_public.reception"}
def figure(name):
    family, _, key = name.partition(".")
    if name == "year":
        return str(year)
    if name == "previous.year":
        return str(year - 1)
    if family == "previous":
        return "%.2f" % Decimal(previous[key])
    if family in ("change", "trend"):
        difference = Decimal(figures[compared[key]]) - Decimal(previous[key])
        if family == "change":
            return "%.2f" % abs(difference)
        return "增加" if difference > 0 else "减少" if difference < 0 else "持平"
    return "%.2f" % Decimal(figures[name])
def printed(text):
    return re.sub(r"\{\{|\}\}|\{([a-z0-9_.:]+)\}",
                  lambda m: m.group(0)[0] if m.group(1) is None else figure(m.group(1)), text)
wanted = [printed(w) for w in wanted]
wanted.extend(entry["definition"] for entry in unit["glossary"])  # printed as written
missing = [w for w in wanted if re.sub(r"\s+", "", w) not in text]
for w in missing:
    print("not in the PDF's text:", w[:60])
print(f"{len(wanted) - len(missing)} of {len(wanted)} paragraphs found")
sys.exit(1 if missing else 0)
PY

# Tables: every row of the nine tables, its code, name and each amount, in order; the header
# repeated on continuation pages says 栏次 like the first (the original printed 档次 there).
python3 - "$sample" "$work/unit.dl" <<'PY' && ok || bad "table rows"
import json, re, sys
unit = json.load(open(sys.argv[1]))
runs = []
for line in open(sys.argv[2], encoding="utf-8"):
    m = re.match(r'glyphs .*? "(.*)"$', line.rstrip("\n"))
    if m:
        runs.append(m.group(1).replace('\\"', '"').replace("\\\\", "\\"))
text = "".join(runs)
if "档次" in text:
    sys.exit("档次 printed")
def money(v):
    return "" if v is None else v
cursor, missing, rows = 0, [], 0
def expect(s):
    global cursor
    at = text.find(s, cursor)
    if at < 0:
        missing.append(s)
    else:
        cursor = at + len(s)
def ledger(key):
    global rows
    for row in unit["tables"][key]["rows"]:
        rows += 1
        expect(row["code"]); expect(row["name"])
        for v in row["amounts"].values():
            if v: expect(v)
def two_sided(key):
    global rows
    for line in unit["tables"][key]["expense"]["lines"]:
        rows += 1
        expect(line["name"])
        for v in line["amounts"].values():
            if v: expect(v)
# In document order.
two_sided("budget_summary")
ledger("income_summary")
ledger("expense_summary")
two_sided("fiscal_summary")
for key in ["general_budget_expense", "general_budget_basic_expense", "gov_fund_expense",
            "state_capital_expense"]:
    ledger(key)
for item, amounts in unit["tables"]["three_public"].items():
    for v in amounts.values():
        if v: expect(v)
for m in missing[:10]:
    print("not printed in order:", m)
print(f"{rows} table rows checked, {len(missing)} values missing")
sys.exit(1 if missing else 0)
PY

# Contents: every entry's number is the page its title is printed on (the folio says so too),
# and the bookmarks are the same tree with the same pages.
python3 - "$work/unit.pdf" <<'PY' && ok || bad "table of contents"
import json, re, subprocess, sys
pdf = sys.argv[1]
def page_text(n):
    return subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), pdf, "-"],
                          capture_output=True, text=True).stdout
entries = re.findall(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", page_text(2), re.M)
if len(entries) != 18:
    sys.exit(f"{len(entries)} contents entries, expected 18 (9 tables, 9 sections)")
for title, number in entries:
    text = page_text(int(number))
    # pdftotext -layout may drop the narrow spaces of the folio (Noto's space is 0.224 em)
    if title not in text or not re.search(rf"—\s*{number}\s*—", text):
        sys.exit(f"{title}: not on page {number}")
outline = json.loads(subprocess.run(["qpdf", "--json", pdf], capture_output=True,
                                    text=True).stdout)["outlines"]
marks = [(k["title"], str(k["destpageposfrom1"])) for g in outline for k in g["kids"]]
if marks != entries:
    sys.exit(f"bookmarks differ from the contents: {marks[:3]} … vs {entries[:3]} …")
if [g["title"] for g in outline] != ["单位预算公开表", "单位预算信息公开情况说明"]:
    sys.exit("bookmark groups")
print(f"{len(entries)} contents entries on their pages, bookmarks the same")
PY

# The contents' titles are the seed's, but where docs/sample.md lists a correction (a title that
# differs from the seed's without being listed there is a mistake of the layout).
python3 - "$work/unit.pdf" "$src/tests/data/seed-201001-2022.txt" "$src/docs/sample.md" <<'PY' && ok || bad "contents titles differ from the seed's"
import re, subprocess, sys
pdf, seed, sample_md = sys.argv[1:]
ours = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", pdf, "-"],
                      capture_output=True, text=True).stdout
ours = [t for t, _ in re.findall(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", ours, re.M)]
theirs = re.findall(r"^(\S.*?)\.{3,}\s*\d+\s*$", open(seed, encoding="utf-8").read(), re.M)
notes = open(sample_md, encoding="utf-8").read()
if len(ours) != len(theirs):
    sys.exit(f"{len(ours)} entries, the seed has {len(theirs)}")
wrong = [(a, b) for a, b in zip(theirs, ours) if a != b and not (a in notes and b in notes)]
if wrong:
    sys.exit(f"titles that differ from the seed's, not listed in docs/sample.md: {wrong}")
PY

# Fonts: only embedded subsets, each with a ToUnicode map.
pdffonts "$work/unit.pdf" >"$work/fonts.txt" 2>"$work/pdffonts.err"
[ -s "$work/pdffonts.err" ] && bad "pdffonts warns: $(head -3 "$work/pdffonts.err")" || ok
fonts=$(tail -n +3 "$work/fonts.txt" | wc -l)
subsets=$(tail -n +3 "$work/fonts.txt" | grep -cE '^[A-Z]{6}\+.* yes +yes +yes ')
[ "$fonts" -ge 2 ] && [ "$fonts" -eq "$subsets" ] && ok || bad "fonts not all embedded subsets: $(cat "$work/fonts.txt")"

# Metadata in Chinese.
pdfinfo "$work/unit.pdf" >"$work/info.txt" 2>&1
grep -q "^Title: *2022 年中共秦皇岛经济技术开发区工作委员会办公室(本级)预算信息公开" "$work/info.txt" && ok || bad "title: $(grep Title "$work/info.txt")"
grep -q "^Author: *中共秦皇岛经济技术开发区工作委员会办公室(本级)" "$work/info.txt" && ok || bad "author"

# Small and reproducible.
size=$(stat -c %s "$work/unit.pdf")
[ "$size" -lt 512000 ] && ok || bad "PDF is $size bytes"
"$bp" render "$sample" -o "$work/again.pdf" >/dev/null 2>&1
cmp -s "$work/unit.pdf" "$work/again.pdf" && ok || bad "two renders differ"

# Dated by SOURCE_DATE_EPOCH, never by the clock; a fixed /ID from the pages' content.
SOURCE_DATE_EPOCH=1646096400 "$bp" render "$sample" -o "$work/dated.pdf" >/dev/null 2>&1
pdfinfo "$work/dated.pdf" 2>/dev/null | grep -q "^CreationDate: *Tue Mar  1 01:00:00 2022 UTC" && ok || bad "SOURCE_DATE_EPOCH date"
grep -aq "/ID \[ <[0-9A-F]\{32\}> <[0-9A-F]\{32\}> \]" "$work/unit.pdf" && ok || bad "no fixed /ID"
grep -aq "CreationDate" "$work/unit.pdf" && bad "a clock date without publish_date or SOURCE_DATE_EPOCH" || ok

# Page labels: a reader's page box shows the printed folio (i, ii for the cover and contents).
qpdf --json "$work/unit.pdf" | python3 -c '
import json, sys
labels = json.load(sys.stdin)["pagelabels"]
want = [(0, "/r", 1), (2, "/D", 3)]
got = [(l["index"], l["label"]["/S"], l["label"]["/St"]) for l in labels]
sys.exit(0 if got == want else f"page labels {got}")' && ok || bad "page labels"

# The display-list dump is the same text the test suite pins.
grep -q '^page 595.276x841.890 label="3"$' "$work/unit.dl" && ok || bad "dump"

# Never a partial file: an unwritable place fails cleanly and leaves nothing.
"$bp" render "$sample" -o "$work/no/such/dir/unit.pdf" >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "render into a missing directory does not exit 2"
[ -z "$(find "$work" -name '*.tmp*' -o -name '.unit*' | head -1)" ] && ok || bad "temporary file left behind"

# A unit whose text has a character no font has is refused, with the character and place.
python3 - "$sample" "$work/glyph.json" <<'PY'
import json, sys
unit = json.load(open(sys.argv[1]))
unit["explanation"]["sections"]["overview"]["blocks"][0]["paragraph"] += "\ue000"
json.dump(unit, open(sys.argv[2], "w"), ensure_ascii=False)
PY
out=$("$bp" render "$work/glyph.json" -o "$work/glyph.pdf" 2>&1)
status=$?
[ $status -eq 1 ] && ok || bad "missing glyph: exit $status"
grep -q "explanation.sections.overview.blocks\[0\].paragraph: character U+E000" <<<"$out" && ok || bad "missing glyph message: $out"
[ ! -e "$work/glyph.pdf" ] && ok || bad "a PDF was written despite the missing glyph"

finish

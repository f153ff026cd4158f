#!/usr/bin/env bash
# A real document of another region made from data alone: samples/putuo-finance-2024-final.json
# rendered with its kind (layouts/shanghai-2024-final.json, found from the unit's "kind") against
# the published 上海市普陀区财政局 2024 年度部门决算 (tests/data/putuo-finance-2024-final.txt, the
# published PDF's pdftotext -layout). For each of the nine tables: every amount printed is the
# published one (the same figures, as many times, none missing and none extra), every row label
# and code is there, codes print as 类 | 款 | 项 columns, the empty tables carry the set note;
# every page is portrait A4 as published; check passes the unit with W-ROUND warnings only, one
# for each residue the published figures carry.
# Usage: test_shanghai_final.sh BUDGETPRESS SOURCE_DIR
set -u
bp=$1
src=$2
source "$(dirname "$0")/../lib.sh"
unit=$src/samples/putuo-finance-2024-final.json
published=$src/tests/data/putuo-finance-2024-final.txt

out=$("$bp" render "$unit" -o "$work/final.pdf" --dump-pages "$work/final.dl" 2>&1)
[ $? -eq 0 ] && ok || bad "render failed: $out"

python3 - "$work/final.dl" "$published" <<'PY' && ok || bad "tables differ from the published document"
import collections, re, sys
dump, published = sys.argv[1:]
titles = ["收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表",
          "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算表",
          "财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表",
          "国有资本经营预算财政拨款收入支出决算表"]
amount = re.compile(r"^-?[\d,]+\.\d{2}$")

# Ours: the runs of each table's pages, from its title to the next title or part.
pages = []
for line in open(dump, encoding="utf-8"):
    if line.startswith("page "):
        w, h = map(float, line.split()[1].split("x"))
        pages.append({"portrait": h > w, "height": h, "runs": []})
    m = re.match(r'glyphs .*? y=([\d.]+) .*? "(.*)"$', line.rstrip("\n"))
    # The folio stands in the bottom margin; it is no cell.
    if m and pages and float(m.group(1)) < pages[-1]["height"] - 72:
        pages[-1]["runs"].append(m.group(2))
ours, current = collections.defaultdict(list), None
for p in pages:
    for r in p["runs"]:
        if r in titles:
            current = r
        elif r.startswith("第三部分"):
            current = None
        elif current:
            ours[current].append(r)
problems = []
if not all(p["portrait"] for p in pages):
    problems.append("a page is not portrait")

# Published: the text of each table, from its title line to the next title or part.
text = open(published, encoding="utf-8").read()
start = text.index("第二部分", text.index("第二部分") + 1)
end = text.index("第三部分", start)
theirs, current = collections.defaultdict(list), None
for line in text[start:end].splitlines():
    if line.strip() in titles:
        current = line.strip()
    elif current:
        theirs[current].append(line)

def found_in_order(label, flat):
    """The label in the flattened text, whole or in up to three pieces in order (a wrapped
    cell's lines can have another pane's text between them)."""
    if label in flat:
        return True
    n = len(label)
    for i in range(1, n):
        for j in range(i, n + 1):
            pieces = [p for p in (label[:i], label[i:j], label[j:]) if p]
            at = 0
            for p in pieces:
                at = flat.find(p, at)
                if at < 0:
                    break
                at += len(p)
            else:
                return True
    return False

checked = 0
for title in titles:
    mine = [r for r in ours[title]]
    tokens = [t for line in theirs[title] for t in line.split()]
    want = collections.Counter(t for t in tokens if amount.match(t))
    got = collections.Counter(r for r in mine if amount.match(r))
    if want != got:
        problems.append(f"{title}: amounts differ: missing {dict(want - got)}, extra {dict(got - want)}")
    flat = re.sub(r"\s+", "", "".join(theirs[title]))
    for r in mine:
        if amount.match(r) or r.startswith("注："):
            continue
        if not found_in_order(r.replace(" ", ""), flat):
            problems.append(f"{title}: {r!r} is not in the published table")
        checked += 1
    if any(re.fullmatch(r"\d{5,7}", r) for r in mine):
        problems.append(f"{title}: a code printed whole, not as 类 | 款 | 项")
    checked += sum(got.values())
for title, what in [("政府性基金预算财政拨款收入支出决算表", "政府性基金"),
                    ("国有资本经营预算财政拨款收入支出决算表", "国有资本经营")]:
    note = f"注：上海市普陀区财政局无{what}预算财政拨款支出，故本表无数据。"
    if note not in "".join(ours[title]) or note not in "".join(theirs[title]).replace(" ", ""):
        problems.append(f"{title}: the note differs from the published one")
for p in problems:
    print(p)
print(f"{checked} cells compared with the published tables")
sys.exit(1 if problems else 0)
PY

# check: the published residues are W-ROUND warnings, and nothing else is said.
out=$("$bp" check "$unit" 2>&1)
status=$?
[ $status -eq 0 ] && ok || bad "check: exit $status: $out"
rounds=$(grep -c "W-ROUND" <<<"$out")
others=$(grep -v "W-ROUND" <<<"$out" | grep -vc "(ok), 0 errors, 10 warnings$")
[ "$rounds" -eq 10 ] && [ "$others" -eq 0 ] && ok || bad "check: $rounds W-ROUND (wanted 10), $others other findings: $out"
grep -qF 'W-ROUND tables.general_basic.public.302.amount' <<<"$out" &&
    grep -qF '171.07 ≠ 171.09 (diff -0.02), within the rounding of 13 figures (±0.06)' <<<"$out" && ok ||
    bad "check: the 302 商品和服务支出 residue is not named with its figures: $out"

# A figure off by more than the rounding allows is an error, and render refuses the unit.
python3 - "$unit" "$work/off.json" <<'PY'
import json, sys
u = json.load(open(sys.argv[1], encoding="utf-8"))
u["tables"]["income"]["rows"][2]["amounts"]["total"] = "1512.90"
json.dump(u, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
expect "an amount 1.00 off" 1 'SUM tables\.income\.rows\[1\]\.amounts\.total: 收入决算表 20106 财政事务「total」 = Σ of the codes under it: 2112\.86 ≠ 2113\.86 \(diff -1\.00\)' -- \
    "$bp" check "$work/off.json"
expect "render refuses it too" 1 "not rendered" -- "$bp" render "$work/off.json" -o "$work/off.pdf"

# The kind's words for a unit of another shape: a column the table does not have.
python3 - "$unit" "$work/badcol.json" <<'PY'
import json, sys
u = json.load(open(sys.argv[1], encoding="utf-8"))
u["tables"]["expense"]["rows"][3]["amounts"]["carryover"] = "1.00"
json.dump(u, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
expect "a column the kind lacks" 2 'tables\.expense\.rows\[3\]\.amounts\.carryover: 部门决算（上海 2024） has no column "carryover" in 支出决算表 \(expected one of total, basic, project, remit_upper, operating, affiliate_subsidy\)' -- \
    "$bp" check "$work/badcol.json"

finish

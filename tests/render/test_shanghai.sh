#!/usr/bin/env bash
# Two real documents of another region made from data alone, each rendered with its kind (the
# layout the unit's "kind" names) and compared with the published document's text (tests/data/,
# the published PDFs' pdftotext -layout) by tests/render/published.py, table by table: every
# amount printed is the published one (the same figures, as many times, none missing and none
# extra), every row label and code is there, codes print as 类 | 款 | 项 columns, the empty tables
# carry the published note, every page has the published orientation.
#   上海市普陀区财政局 2024 年度部门决算: 万元, portrait; check passes it with one W-ROUND warning
#     for each residue the published figures carry (ten in the tables, one in the text's
#     政府采购 list), and nothing else.
#   上海市普陀区财政局 2025 年部门预算: 元 with thousands separators (the 三公 table in 万元),
#     landscape, sub-lines, the expense side listing only the 类 it has; check passes it clean.
# Usage: test_shanghai.sh BUDGETPRESS SOURCE_DIR
set -u
bp=$1
src=$2
source "$(dirname "$0")/../lib.sh"
unit=$src/samples/putuo-finance-2024-final.json
published=$src/tests/data/putuo-finance-2024-final.txt

out=$("$bp" render "$unit" -o "$work/final.pdf" --dump-pages "$work/final.dl" 2>&1)
[ $? -eq 0 ] && ok || bad "render failed: $out"

python3 "$(dirname "$0")/published.py" "$work/final.dl" "$published" --to 第三部分 \
    --orientation portrait \
    --note "政府性基金预算财政拨款收入支出决算表=注：上海市普陀区财政局无政府性基金预算财政拨款支出，故本表无数据。" \
    --note "国有资本经营预算财政拨款收入支出决算表=注：上海市普陀区财政局无国有资本经营预算财政拨款支出，故本表无数据。" \
    收入支出决算总表 收入决算表 支出决算表 财政拨款收入支出决算总表 一般公共预算财政拨款支出决算表 \
    一般公共预算财政拨款基本支出决算表 财政拨款“三公”经费支出决算表 政府性基金预算财政拨款收入支出决算表 \
    国有资本经营预算财政拨款收入支出决算表 && ok || bad "tables differ from the published document"

# The PDF says what it is: the kind's title and subject, not the 2022 单位预算's.
pdfinfo "$work/final.pdf" >"$work/info.txt" 2>&1
grep -q "^Title: *上海市普陀区财政局2024年度部门决算$" "$work/info.txt" &&
    grep -q "^Subject: *部门决算$" "$work/info.txt" && ok || bad "2024 metadata: $(cat "$work/info.txt")"

# check: the published residues are W-ROUND warnings, and nothing else is said.
out=$("$bp" check "$unit" 2>&1)
status=$?
[ $status -eq 0 ] && ok || bad "check: exit $status: $out"
rounds=$(grep -c "W-ROUND" <<<"$out")
others=$(grep -v "W-ROUND" <<<"$out" | grep -vc "(ok), 0 errors, 11 warnings$")
[ "$rounds" -eq 11 ] && [ "$others" -eq 0 ] && ok || bad "check: $rounds W-ROUND (wanted 11), $others other findings: $out"
grep -qF 'W-ROUND explanation.sections.other.blocks[3].paragraph: the 3 items listed after 其中 add up to 251.26, not the stated total 251.25 (diff 0.01), within the rounding of 4 figures (±0.02)' <<<"$out" && ok ||
    bad "check: the published text's residue (政府采购 4.79 + 0 + 246.47 ≠ 251.25) is not W-ROUND: $out"
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

# Sections: one without a title (the unit's or the layout's) is an error of check and render
# alike; one that no part of the document names is said, not silently dropped.
python3 - "$unit" "$work/sections.json" <<'PY'
import json, sys
u = json.load(open(sys.argv[1], encoding="utf-8"))
del u["explanation"]["sections"]["income"]["title"]
u["explanation"]["sections"]["extra_notes"] = {"title": "补充说明", "blocks": [{"paragraph": "无。"}]}
json.dump(u, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
for command in check render; do
    args=()
    [ $command = render ] && args=(-o "$work/sections.pdf")
    expect "$command: an untitled section" 1 'explanation\.sections\.income: the section has no title: give it one in the unit \("title"\) or in the layout.s document part' -- \
        "$bp" $command "$work/sections.json" "${args[@]}"
    expect "$command: a section no part prints" 1 'W-?[A-Z]* ?explanation\.sections\.extra_notes: not printed: no part of the layout.s document names the section "extra_notes"|warning: explanation\.sections\.extra_notes: not printed' -- \
        "$bp" $command "$work/sections.json" "${args[@]}"
done

# The 2025 部门预算.
budget=$src/samples/putuo-finance-2025-budget.json
out=$("$bp" render "$budget" -o "$work/budget.pdf" --dump-pages "$work/budget.dl" 2>&1)
[ $? -eq 0 ] && ok || bad "render of the 2025 budget failed: $out"
"$(dirname "$0")/published_2025.sh" "$work/budget.dl" "$src" && ok || bad "2025 budget: tables differ from the published document"
grep -qF '"单位：元"' "$work/budget.dl" && grep -qF '"单位:万元"' "$work/budget.dl" && ok ||
    bad "2025 budget: the banners do not say 元 and, for the 三公 table, 万元"
grep -qF '"1. 一般公共预算资金"' "$work/budget.dl" && ok || bad "2025 budget: the sub-line is not numbered 1."
expect "check passes the 2025 budget clean" 0 "\(ok\), 0 errors, 0 warnings" -- "$bp" check "$budget"

finish

#!/usr/bin/env bash
# budgetpress compare, as its users meet it: each edit a bureau makes gives exactly the report it
# should. Layout edits (a margin, one column's width, the body size) are said as layout and
# nothing else; data edits (one amount, a row inserted near the top of a long table, a paragraph
# lengthened so that the pages after it move, a table emptied) name the table, the row's code and
# the column, and call the pages they push "shifted". Also: the same PDF twice is no change, a PDF
# rewritten or made by another tool gets the pixel-only mode, bad input exits 2, and --fail-on.
# Usage: test_compare.sh BUDGETPRESS SOURCE_DIR BPGEN
set -u
bp=$(realpath "$1")
src=$(realpath "$2")
bpgen=$(realpath "$3")
source "$(dirname "$0")/../lib.sh"
cd "$work" || exit 1
sample="$src/samples/201001-2022.json"
layout="$src/layouts/unit-2022.json"

render() { "$bp" render "$@" --force >/dev/null 2>&1; }

# ---- The inputs: the sample and its variants, a long generated unit and its variants ----
python3 - "$sample" "$layout" <<'PY'
import copy, json, sys
unit = json.load(open(sys.argv[1], encoding="utf-8"))
layout = json.load(open(sys.argv[2], encoding="utf-8"))
def save(name, doc):
    json.dump(doc, open(name, "w", encoding="utf-8"), ensure_ascii=False, indent=1)

u = copy.deepcopy(unit)  # one amount: 2080505's 合计 46.71 -> 47.71
row = next(r for r in u["tables"]["expense_summary"]["rows"] if r["code"] == "2080505")
assert row["amounts"]["total"] == "46.71"
row["amounts"]["total"] = "47.71"
save("amount.json", u)

u = copy.deepcopy(unit)  # a paragraph lengthened: every page after it moves
blocks = u["explanation"]["sections"]["overview"]["blocks"]
blocks[0]["paragraph"] += "为保障各项工作顺利开展，本单位将进一步加强预算执行管理，严格控制一般性支出，提高财政资金使用效益。" * 4
save("paragraph.json", u)

u = copy.deepcopy(unit)  # a table emptied
t = u["tables"]["income_summary"]
t["rows"] = []
for k in t["total"]:
    t["total"][k] = "0.00"
save("emptied.json", u)

u = copy.deepcopy(unit)  # the issue's "done when": an amount changed and a row inserted
row = next(r for r in u["tables"]["expense_summary"]["rows"] if r["code"] == "2080505")
row["amounts"]["total"] = "47.71"
rows = u["tables"]["income_summary"]["rows"]  # 收入总表: pages 5 and 6
at = next(i for i, r in enumerate(rows) if r["code"] > "2011199")
rows.insert(at, {"code": "2011199", "name": "其他一般行政管理事务支出",
                 "amounts": {"total": "1.00", "income_subtotal": "1.00", "fiscal_grant": "1.00"}})
save("both.json", u)

l = copy.deepcopy(layout)  # the left margin 6 pt wider, the text as wide
l["page"]["margin_left"] += 6
l["page"]["margin_right"] -= 6
save("margin-layout.json", l)

l = copy.deepcopy(layout)  # 支出总表's 合计 column at least 48 pt
for c in l["tables"]["expense_summary"]["columns"]:
    if c.get("bind") == "total":
        c["width"] = {"min": 48, "max": 64}
save("column-layout.json", l)

l = copy.deepcopy(layout)  # the body text at 12.5 pt
l["styles"]["body"]["size"] = 12.5
save("size-layout.json", l)
PY
"$bpgen" --seed 3 --rows 150 -o long.json
python3 - <<'PY'
import copy, json
unit = json.load(open("long.json", encoding="utf-8"))
rows = unit["tables"]["expense_summary"]["rows"]
codes = {r["code"] for r in rows}
assert "2010102" not in codes
def inserted(u):
    rs = u["tables"]["expense_summary"]["rows"]
    at = next(i for i, r in enumerate(rs) if r["code"] > "2010102")
    rs.insert(at, {"code": "2010102", "name": "新增测试项目", "amounts": {"total": "1.00", "project": "1.00"}})
u = copy.deepcopy(unit)
inserted(u)
json.dump(u, open("long-inserted.json", "w", encoding="utf-8"), ensure_ascii=False)
# The inserted row and, further down the table, a changed amount.
u = copy.deepcopy(unit)
inserted(u)
late = u["tables"]["expense_summary"]["rows"][120]
late["amounts"]["total"] = "%.2f" % (float(late["amounts"]["total"]) + 2)
json.dump({"code": late["code"]}, open("late.json", "w"))
json.dump(u, open("long-both.json", "w", encoding="utf-8"), ensure_ascii=False)
PY

render "$sample" -o old.pdf
render "$sample" -o again.pdf
render amount.json -o amount.pdf
render paragraph.json -o paragraph.pdf
render emptied.json -o emptied.pdf
for l in margin column size; do render "$sample" --layout "$l-layout.json" -o "$l.pdf"; done
render long.json -o long.pdf
render long-inserted.json -o long-inserted.pdf
render long-both.json -o long-both.pdf

# check NAME OLD NEW STATUS -- PYTHON: compares, wants the exit status, then runs the Python
# assertions with `u` the unit's object of report.json (and `r` the report).
check() {
    local name=$1 old=$2 new=$3 want=$4 code=$5
    "$bp" compare "$old" "$new" --json "$name.json" >"$name.out" 2>&1
    local status=$?
    if [ "$status" -ne "$want" ]; then
        bad "$name: exit $status, wanted $want"
        cat "$name.out"
        return
    fi
    python3 - "$name.json" <<PY && ok || { bad "$name: the report"; cat "$name.out"; }
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
u = r["units"][0]
kinds = [c["kind"] for c in u["changes"]]
pages = {p["new"]: p["status"] for p in u["pages"] if p["new"]}
$code
PY
}

# Dates never count: the same unit dated otherwise (its /CreationDate, /ModDate and /ID differ).
SOURCE_DATE_EPOCH=1600000000 "$bp" render "$sample" -o dated.pdf >/dev/null 2>&1
cmp -s old.pdf dated.pdf && bad "SOURCE_DATE_EPOCH changed nothing in the PDF" || ok
check dated old.pdf dated.pdf 0 '
assert u["status"] == "same" and kinds == [], u'

check identical old.pdf again.pdf 0 '
assert u["status"] == "same" and kinds == [] and set(pages.values()) == {"same"}, u'
grep -q "无变化（36 页）" identical.out && ok || bad "identical: stdout: $(cat identical.out)"

check amount old.pdf amount.pdf 1 '
assert kinds == ["value"], kinds
c = u["changes"][0]
assert (c["table"], c["row"], c["column"], c["old"], c["new"], c["delta"], c["new_page"]) == \
    ("expense_summary", "2080505", "total", "46.71", "47.71", "+1.00", 7), c
assert c["message"] == "单位预算支出总表 2080505 机关事业单位基本养老保险缴费支出「合计」：46.71 → 47.71（+1.00），第 7 页", c["message"]
assert [n for n, s in pages.items() if s != "same"] == [7], pages
assert len(u["pictures"]) == 0  # no -o: no pictures'
grep -q "「合计」：46.71 → 47.71（+1.00），第 7 页" amount.out && ok || bad "amount: stdout"
"$bp" compare old.pdf amount.pdf --fail-on layout >/dev/null 2>&1 && ok || bad "--fail-on layout fails on a data change"

check inserted long.pdf long-inserted.pdf 1 '
assert kinds == ["row_added"], kinds
c = u["changes"][0]
assert (c["table"], c["row"], c["row_label"]) == ("expense_summary", "2010102", "2010102 新增测试项目"), c
first = c["new_page"]
table_pages = [p for p in u["pages"] if p["new"] and p["status"] != "same"]
assert table_pages[0] == {"old": first, "new": first, "status": "changed", "pixels_differ": False}, table_pages
shifted = [p["new"] for p in table_pages[1:]]
assert shifted and all(p["status"] == "shifted" and p["cause"] == 0 for p in table_pages[1:]), table_pages
assert c["shifted_pages"] == [shifted[0], shifted[-1]] and shifted == list(range(first + 1, first + 1 + len(shifted)))
# Every later page of the table is shifted: the table ends on the last shifted page.
assert all(s == "same" for n, s in pages.items() if n > shifted[-1]), pages'

render both.json -o sample-both.pdf
check sample-both old.pdf sample-both.pdf 1 '
assert kinds == ["row_added", "value"], kinds
added, value = u["changes"]
assert (added["table"], added["row"], added["new_page"]) == ("income_summary", "2011199", 5), added
assert added["message"] == "单位预算收入总表 插入行 2011199 其他一般行政管理事务支出，第 5 页"
assert (value["table"], value["row"], value["column"]) == ("expense_summary", "2080505", "total")
# 收入总表 goes on to page 6: shifted by the insertion; nothing after it moves.
assert pages[5] == "changed" and pages[6] == "shifted" and pages[7] == "changed", pages
assert added["shifted_pages"] == [6, 6] and [p["cause"] for p in u["pages"] if p["new"] == 6] == [0]
assert all(s == "same" for n, s in pages.items() if n not in (5, 6, 7)), pages'
grep -q "单位预算收入总表 插入行 2011199 其他一般行政管理事务支出，第 5 页；第 6 页因此顺延" sample-both.out &&
    ok || bad "sample-both: stdout: $(cat sample-both.out)"

late=$(python3 -c 'import json; print(json.load(open("late.json"))["code"])')
check both long.pdf long-both.pdf 1 "
assert sorted(kinds) == ['row_added', 'value'], kinds
added = next(c for c in u['changes'] if c['kind'] == 'row_added')
value = next(c for c in u['changes'] if c['kind'] == 'value')
assert added['row'] == '2010102' and added['table'] == 'expense_summary', added
assert (value['table'], value['row'], value['column'], value['delta']) == ('expense_summary', '$late', 'total', '+2.00'), value
assert value['message'].startswith('单位预算支出总表 $late ') and '「合计」' in value['message'], value
shifted = [p for p in u['pages'] if p['status'] == 'shifted']
assert shifted and all(p['cause'] == 0 for p in shifted if p['new'] < value['new_page']), shifted"

check paragraph old.pdf paragraph.pdf 1 '
assert kinds == ["text", "contents"], kinds
t, toc = u["changes"]
assert t["path"] == "explanation.sections.overview.blocks[0].paragraph" and t["new_page"] == 16, t
assert "{+为保障各项工作顺利开展" in t["message"] and t["message"].startswith("「二、单位预算安排的总体情况」下的段落：")
assert t["new"].startswith(t["old"]) and len(t["new"]) - len(t["old"]) == 4 * 49, (len(t["old"]), len(t["new"]))
assert toc["new_page"] == 2 and "16 → 17" in toc["message"], toc
assert pages[16] == "changed" and pages[2] == "changed", pages
moved = [n for n, s in pages.items() if s == "shifted"]
assert moved == list(range(17, 17 + len(moved))) and moved, pages
assert t["shifted_pages"] == [17, moved[-1]], t'

check emptied old.pdf emptied.pdf 1 '
assert kinds == ["table_emptied", "contents", "table_pages", "page_count"], kinds
e = u["changes"][0]
assert e["table"] == "income_summary" and "删除 22 行" in e["message"], e
assert u["changes"][3]["message"] == "全文由 36 页变为 35 页"
assert u["old_pages"] == 36 and u["new_pages"] == 35'

check margin old.pdf margin.pdf 1 '
assert kinds == ["shift"] and u["changes"][0]["class"] == "layout", kinds
assert u["changes"][0]["message"] == "仅版式：全部页面内容右移 6 pt（页边距改变），文字无变化"
assert set(pages.values()) == {"layout"}, pages'
"$bp" compare old.pdf margin.pdf --fail-on data >/dev/null 2>&1 && ok || bad "--fail-on data fails on a layout change"

check column old.pdf column.pdf 1 '
assert kinds == ["column_width", "column_width"], kinds
m = sorted(c["message"] for c in u["changes"])
assert m == ["仅版式：单位预算支出总表 列「合计」宽 36 pt → 48 pt",
             "仅版式：单位预算支出总表 列「科目名称」宽 143.54 pt → 131.54 pt"], m
assert all(c["class"] == "layout" for c in u["changes"])
assert [n for n, s in pages.items() if s != "same"] == [7], pages'

check size old.pdf size.pdf 1 '
assert kinds == ["font_size"], kinds
assert u["changes"][0]["message"] == "仅版式：段落字号 12 pt → 12.5 pt（81 处）", u["changes"][0]
assert "changed" not in pages.values(), pages'

# ---- PDFs without a record ----
# pdftocairo makes a new PDF with no record at all; qpdf stamps a page of one of ours, keeping
# its record, which then no longer describes that page.
pdftocairo -pdf old.pdf foreign-old.pdf && pdftocairo -pdf amount.pdf foreign-new.pdf
qpdf amount.pdf --overlay foreign-old.pdf --to=1 --from=2 -- stamped.pdf 2>/dev/null
check stale old.pdf stamped.pdf 1 '
assert u["pixel_only"] and "page 1 is not the one its record describes" in u["why"], u["why"]
changed = [p for p in u["pages"] if p["status"] != "same"]
assert [p["new"] for p in changed] == [1, 7] and all(p["pixels_differ"] for p in changed), changed
assert kinds == ["pixels_only", "pixels_only"], kinds'
grep -q "仅比较像素" stale.out && grep -q "another tool" stale.out && ok || bad "stale: stdout: $(cat stale.out)"
check foreign foreign-old.pdf foreign-new.pdf 1 '
assert u["pixel_only"] and "no budgetpress record" in u["why"], u["why"]
assert [p["new"] for p in u["pages"] if p["status"] != "same"] == [7], u["pages"]'
# Pages paired by their text: a page gone from the middle is one removed page, and the pages
# after it, renumbered, are shifted, not changed.
pdftocairo -pdf emptied.pdf foreign-emptied.pdf
check foreign-emptied foreign-old.pdf foreign-emptied.pdf 1 '
assert u["pixel_only"]
status = {(p["old"], p["new"]): p["status"] for p in u["pages"]}
assert status[(6, None)] == "removed" and status[(5, 5)] == "changed" and status[(2, 2)] == "changed", status
after = [s for (o, n), s in status.items() if o and n and o > 6]
assert all(n == o - 1 for (o, n) in status if o and n and o > 6), status
assert after.count("shifted") >= 20 and after.count("changed") <= 2, after'
check foreign-same foreign-old.pdf foreign-old.pdf 0 '
assert u["pixel_only"] and kinds == [], kinds'
# A record kept whole by a rewrite that leaves the pages alone still counts.
qpdf amount.pdf copied.pdf 2>/dev/null
check copied old.pdf copied.pdf 1 '
assert not u["pixel_only"] and kinds == ["value"], (u["why"], kinds)'

# ---- Bad input and usage ----
expect "missing" 2 "cannot be read|No such file" -- "$bp" compare old.pdf nothing.pdf
printf 'not a pdf' >junk.pdf
expect "junk" 2 "not a PDF" -- "$bp" compare old.pdf junk.pdf
expect "one argument" 2 "needs OLD and NEW" -- "$bp" compare old.pdf
expect "fail-on" 2 "data, layout or any" -- "$bp" compare old.pdf again.pdf --fail-on some
mkdir -p folder
expect "folder and file" 2 "is a folder" -- "$bp" compare folder old.pdf

# ---- Nothing overwritten, nothing left behind ----
cp amount.pdf amount.copy
"$bp" compare old.pdf amount.pdf -o report >/dev/null 2>&1
cmp -s amount.pdf amount.copy && ok || bad "compare changed its input"
[ -z "$(find . -name '.budgetpress-*')" ] && ok || bad "temporaries left: $(find . -name '.budgetpress-*')"
[ -s report/index.html ] && [ -s report/report.json ] && ok || bad "no report written"
ls report/img/*/p007-old.png report/img/*/p007-new.png report/img/*/p007-diff.png >/dev/null 2>&1 &&
    ok || bad "the pictures of page 7: $(find report -name '*.png')"

finish

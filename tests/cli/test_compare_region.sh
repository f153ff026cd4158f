#!/usr/bin/env bash
# budgetpress compare over two batch folders, as the finance bureau uses it: 50 units of which 3
# changed are named, and only they; a unit missing on one side is said; a layout change made to
# every unit is grouped as one change of 50 units; and the HTML report, opened from disk in
# Debian's Chromium (headless), loads every picture and reads as it should.
# Usage: test_compare_region.sh BUDGETPRESS SOURCE_DIR BPGEN
set -u
bp=$(realpath "$1")
src=$(realpath "$2")
bpgen=$(realpath "$3")
source "$(dirname "$0")/../lib.sh"
cd "$work" || exit 1

"$bpgen" --count 50 --seed 7 -o region >/dev/null
cp -r region region2
# Three units changed three ways: an amount, a row inserted, a paragraph lengthened.
python3 - <<'PY'
import json, os
names = sorted(n for n in os.listdir("region2") if n.endswith(".json"))
picked = [names[4], names[17], names[33]]
codes = []
for k, name in enumerate(picked):
    path = os.path.join("region2", name)
    u = json.load(open(path, encoding="utf-8"))
    codes.append(u["unit"]["code"])
    rows = u["tables"]["expense_summary"]["rows"]
    if k == 0:
        rows[-1]["amounts"]["total"] = "%.2f" % (float(rows[-1]["amounts"]["total"]) + 5)
    elif k == 1:
        at = next(i for i, r in enumerate(rows) if len(r["code"]) == 7)
        code = rows[at]["code"][:5] + "98"
        assert all(r["code"] != code for r in rows)
        rows.insert(at + 1, {"code": code, "name": "新增测试项目", "amounts": {"total": "1.00"}})
    else:
        blocks = u["explanation"]["sections"]["overview"]["blocks"]
        blocks[0]["paragraph"] += "本年度新增的说明文字。"
    json.dump(u, open(path, "w", encoding="utf-8"), ensure_ascii=False)
open("changed-codes", "w").write("\n".join(sorted(codes)) + "\n")
PY
"$bp" batch region -o old >/dev/null 2>&1
"$bp" batch region2 -o new --force >/dev/null 2>&1
[ "$(ls old/*.pdf | wc -l)" -eq 50 ] && [ "$(ls new/*.pdf | wc -l)" -eq 50 ] && ok ||
    bad "the batches made $(ls old/*.pdf | wc -l) and $(ls new/*.pdf | wc -l) PDFs"

"$bp" compare old new -o report >out.txt 2>&1
status=$?
[ "$status" -eq 1 ] && ok || bad "exit $status for 3 changed units"
# One line per changed unit, then the totals: the three codes and no other.
grep -oE '^[0-9]{6}' out.txt | sort >named
cmp -s named changed-codes && ok || bad "named $(tr '\n' ' ' <named), changed $(tr '\n' ' ' <changed-codes)"
grep -q "单位 50 个：未变 47，有变化 3（数据 3，仅版式 0），新增 0，缺失 0，无法读取 0" out.txt && ok ||
    bad "the totals: $(tail -2 out.txt)"
python3 - <<'PY' && ok || bad "report.json"
import json
r = json.load(open("report/report.json", encoding="utf-8"))
s = r["summary"]
assert (s["units"], s["same"], s["different"]) == (50, 47, 3), s
changed = [u for u in r["units"] if u["status"] == "different"]
kinds = sorted(c["kind"] for u in changed for c in u["changes"] if c["class"] == "data")
assert {"value", "row_added", "text"} <= set(kinds), kinds
codes = sorted(u["code"] for u in changed)
assert codes == open("changed-codes").read().split(), codes
for u in changed:
    assert u["page"] and u["pictures"], u["code"]
PY

# The report in a real browser, from disk: every picture loads, the summary reads as it should.
chromium=$(command -v chromium || true)
if [ -z "$chromium" ]; then
    bad "chromium is not installed (scripts/deps.sh --test installs it)"
else
    browse() {
        timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
            --disable-background-networking --disable-component-update --disable-sync \
            --user-data-dir="$work/profile" --virtual-time-budget=30000 "$@" 2>/dev/null
    }
    browse --dump-dom "file://$work/report/index.html?check" >index.dom
    grep -q "单位 50 个：未变 47，有变化 3" index.dom && ok || bad "index.html's summary in the browser"
    [ "$(grep -o 'href="units/[^"]*"' index.dom | sort -u | wc -l)" -eq 3 ] && ok ||
        bad "index.html links $(grep -o 'href="units/[^"]*"' index.dom | sort -u | wc -l) unit pages"
    for page in report/units/*.html; do
        browse --dump-dom "file://$work/$page?check" >unit.dom
        loaded=$(grep -o 'data-images="[0-9]*/[0-9]*"' unit.dom | grep -o '[0-9]*/[0-9]*')
        [ -n "$loaded" ] && [ "${loaded%/*}" = "${loaded#*/}" ] && [ "${loaded%/*}" -gt 0 ] && ok ||
            bad "$page: pictures loaded: ${loaded:-none}"
        grep -q "页面对照" unit.dom && grep -q "有变化的页面" unit.dom && ok || bad "$page: its sections"
    done
fi

# A unit on one side only is said, and makes the run fail.
rm "new/$(ls new | grep '\.pdf$' | head -1)"
"$bp" compare old new >out2.txt 2>&1
status=$?
[ "$status" -eq 1 ] && grep -q "缺失 1" out2.txt && grep -q "缺失（只在原来的一方）" out2.txt && ok ||
    bad "a missing unit: exit $status, $(tail -2 out2.txt)"

# A layout change made to every unit: one group of 50.
python3 - "$src/layouts/unit-2022.json" <<'PY'
import json, sys
l = json.load(open(sys.argv[1], encoding="utf-8"))
l["page"]["margin_left"] += 6
l["page"]["margin_right"] -= 6
json.dump(l, open("margin.json", "w", encoding="utf-8"), ensure_ascii=False)
PY
"$bp" batch region -o moved --layout margin.json >/dev/null 2>&1
"$bp" compare old moved --json moved.json --fail-on data >out3.txt 2>&1
status=$?
[ "$status" -eq 0 ] && ok || bad "--fail-on data with layout changes only: exit $status"
python3 - <<'PY' && ok || bad "the group of 50: $(head -c 600 moved.json)"
import json
r = json.load(open("moved.json", encoding="utf-8"))
assert r["summary"]["different"] == 50 and r["summary"]["layout_only"] == 50, r["summary"]
g = r["groups"]
assert len(g) == 1 and g[0]["count"] == 50, g
assert g[0]["first_change"] == "仅版式：全部页面内容右移 6 pt（页边距改变），文字无变化", g[0]
PY

finish

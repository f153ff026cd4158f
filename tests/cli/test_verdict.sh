#!/usr/bin/env bash
# check gives render's verdict: for every unit of the test suite (the samples, the schema's bad
# units, the fuzzing corpus), a bpgen region with every defect kind and the cases that once
# passed check and failed render (characters no font has, a 70-character unit name,
# nine-digit amounts), `check` and `render` exit alike and print the same problems, word for
# word; a unit check passes renders, one it fails leaves no PDF.
# Usage: test_verdict.sh BPGEN BUDGETPRESS SOURCE_DIR
set -u
bpgen=$(realpath "$1")
bp=$(realpath "$2")
src=$(realpath "$3")
source "$(dirname "$0")/../lib.sh"
cd "$work" || exit 1

mkdir -p units
cp "$src"/samples/*.json "$src"/tests/data/minimal-unit.json units/
cp "$src"/tests/schema/bad/*.json units/
"$bpgen" --count 8 --seed 21 -o units/region >/dev/null
for defect in syntax schema sum glyph; do
    "$bpgen" --seed 31 --defect $defect -o "units/defect-$defect.json"
done
"$bpgen" --seed 32 --long-text -o units/long-text.json
# Units of the kinds given as data: generated ones, and broken ones (an amount 1.00 off, a column
# the kind lacks, a line the side lacks, a unit naming no kind's layout).
for sample in putuo-finance-2024-final putuo-finance-2025-budget; do
    "$bpgen" --from "$src/samples/$sample.json" --count 3 --seed 4 --rows 30 -o "units/$sample" >/dev/null
done
python3 - "$src/samples/putuo-finance-2024-final.json" <<'PY'
import json, sys
def variant(name, change):
    u = json.load(open(sys.argv[1], encoding="utf-8"))
    change(u)
    json.dump(u, open("units/kind-" + name + ".json", "w"), ensure_ascii=False)
t = lambda u: u["tables"]
variant("sum", lambda u: t(u)["income"]["rows"][2]["amounts"].update(total="1512.90"))
variant("column", lambda u: t(u)["expense"]["rows"][3]["amounts"].update(carryover="1.00"))
variant("line", lambda u: t(u)["summary"]["income"].update(nope={"amount": "1.00"}))
variant("nokind", lambda u: u.update(kind="shanghai-1999"))
PY
python3 - "$src/samples/201001-2022.json" <<'PY'
import json, re, sys
sample = open(sys.argv[1], encoding="utf-8").read()

def unit():
    return json.loads(sample)

def save(name, u):
    json.dump(u, open("units/" + name, "w"), ensure_ascii=False)

# Characters no pinned font has: an emoji, CJK Extension B, Arabic.
for name, chars in [("emoji", "😀"), ("ext-b", "𠀀"), ("arabic", "مرحبا")]:
    u = unit()
    block = u["explanation"]["sections"]["overview"]["blocks"][0]
    block["paragraph"] += chars
    u["tables"]["expense_summary"]["rows"][2]["name"] += chars
    save("glyph-" + name + ".json", u)

# A unit name of 71 characters: every banner once failed.
u = unit()
u["unit"]["name"] = "中共秦皇岛经济技术开发区工作委员会办公室" * 3 + "综合保障服务中心机关事务管理科"
save("long-name.json", u)

# Nine integer digits in every amount, consistently (every amount times a million).
def times_million(m):
    hundredths = (int(m.group(1)) * 100 + int(m.group(2))) * 1000000
    return '"%d.%02d"' % (hundredths // 100, hundredths % 100)
save("nine-digits.json", json.loads(re.sub(r'"(\d+)\.(\d\d)"', times_million, sample)))

# Nine digits in one cell only: check's sums and render's table both have something to say.
u = unit()
u["tables"]["expense_summary"]["rows"][0]["amounts"]["total"] = "123456789.00"
save("one-nine-digit-cell.json", u)
PY
for f in "$src"/tests/data/fuzz/*; do
    cp "$f" "units/fuzz-$(basename "$f").json"
done

# The problems render prints (stderr, without its closing line) and check prints (stdout
# with -q), sorted: the same lines, whatever the order of the two threads' findings.
problems_of_render() { grep -v -e ': wrote ' -e 'not rendered (use --force' "$1" | sort; }

agree=0
disagree=0
compare_unit() {
    local unit=$1 layout_args=("${@:2}")
    local name pdf
    name=$(basename "$unit" .json)
    pdf="$work/pdf/$name.pdf"
    "$bp" check -q --max-errors 0 "${layout_args[@]}" "$unit" >check.out 2>check.err
    local check_status=$?
    "$bp" render --max-errors 0 "${layout_args[@]}" "$unit" -o "$pdf" >render.out 2>render.err
    local render_status=$?
    cat check.out check.err | sort >check.sorted
    problems_of_render render.err >render.sorted
    if [ $check_status -ne $render_status ] || ! cmp -s check.sorted render.sorted; then
        disagree=$((disagree + 1))
        bad "$name ${layout_args[*]}: check exits $check_status, render $render_status"
        diff check.sorted render.sorted | head -5
        return
    fi
    if { [ $render_status -eq 0 ] && [ ! -s "$pdf" ]; } || { [ $render_status -ne 0 ] && [ -e "$pdf" ]; }; then
        disagree=$((disagree + 1))
        bad "$name: exit $render_status but the PDF is $([ -e "$pdf" ] && echo there || echo missing)"
        return
    fi
    agree=$((agree + 1))
    ok
}

mkdir -p pdf
for unit in units/*.json units/region/*.json; do
    compare_unit "$unit"
    rm -f pdf/*.pdf
done
for unit in units/201001-2022.json units/long-name.json units/nine-digits.json units/glyph-arabic.json; do
    compare_unit "$unit" --layout "$src/layouts/department-2022.json"
    rm -f pdf/*.pdf
done
echo "check and render agree on $agree units, disagree on $disagree"

# What the cases that once slipped through now give.
expect "a 71-character unit name renders" 0 "long-name.json: .* \(ok\), 0 errors" -- "$bp" check units/long-name.json
expect "nine-digit amounts render" 0 "nine-digits.json: .* \(ok\), 0 errors" -- "$bp" check units/nine-digits.json
expect "an emoji is named" 1 'character U\+1F600 at character [0-9]+, in ".*😀.*", is in no font of the role "body"' -- \
    "$bp" check units/glyph-emoji.json
expect "CJK Extension B is named" 1 'character U\+20000 at character [0-9]+, in .* is in no font of the role "table"' -- \
    "$bp" check units/glyph-ext-b.json
expect "Arabic is named as one run" 1 'characters U\+0645 U\+0631 U\+062D U\+0628 U\+0627 at characters [0-9]+ to [0-9]+, in ".*مرحبا.*", are in no font' -- \
    "$bp" check units/glyph-arabic.json

finish

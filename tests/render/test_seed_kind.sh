#!/usr/bin/env bash
# The seed's document as a kind given as data: layouts/hebei-2022-unit.json declares the nine
# tables of the 2022 单位预算 (two-sided summaries in blocks, ledgers with codes, the 三公 items as
# a side of lines), their arithmetic as rules, the figures its text names ({expense.total},
# {basic_row:30201}, …) and its two parts. The reference unit, rewritten in the form of that kind,
# renders exactly as with the built-in kind: all 36 pages, every item of the display list (cover,
# contents and its links, tables, text with its figures) equal. check passes it; a 类 that no
# longer adds up is E-SUM; a figure the kind does not name is E-REF with the nearest name.
# Usage: test_seed_kind.sh BUDGETPRESS SOURCE_DIR
set -u
bp=$1
src=$2
source "$(dirname "$0")/../lib.sh"

# The reference unit (and the unit as published) in the form of the kind.
rewrite() { python3 "$(dirname "$0")/seed_kind.py" "$1" "$2"; }
rewrite "$src/samples/201001-2022.json" "$work/kind.json"
rewrite "$src/samples/201001-2022-as-published.json" "$work/published-kind.json"

"$bp" render "$src/samples/201001-2022.json" -o "$work/builtin.pdf" --dump-pages "$work/builtin.dl" >/dev/null 2>&1 ||
    bad "the reference unit does not render"
out=$("$bp" render "$work/kind.json" -o "$work/kind.pdf" --dump-pages "$work/kind.dl" 2>&1)
[ $? -eq 0 ] && ok || bad "the reference unit of the data kind does not render: $out"

cmp -s "$work/builtin.dl" "$work/kind.dl" && ok ||
    bad "the pages differ: $(diff "$work/builtin.dl" "$work/kind.dl" | head -4)"
[ "$(grep -c '^page ' "$work/kind.dl")" -eq 36 ] && ok || bad "not the 36 pages of the reference unit"

# Every finding stays as pinned: on the reference unit and on the unit as published, check says
# the same lines, word for word, with either kind (the FIGURE, LIST and VALUE findings of the
# published text read the figures the kind names).
for pair in "samples/201001-2022.json kind.json" "samples/201001-2022-as-published.json published-kind.json"; do
    set -- $pair
    "$bp" check -q --max-errors 0 "$src/$1" 2>&1 | sed 's/^[^:]*: //' | sort >"$work/builtin.txt"
    "$bp" check -q --max-errors 0 "$work/$2" 2>&1 | sed 's/^[^:]*: //' | sort >"$work/kind.txt"
    [ -s "$work/builtin.txt" ] && cmp -s "$work/builtin.txt" "$work/kind.txt" && ok ||
        bad "$1: the findings differ: $(diff "$work/builtin.txt" "$work/kind.txt" | head -4)"
done
grep -q "E-FIGURE .*印刷费 2.87 万元" "$work/kind.txt" && ok || bad "the published text's FIGURE finding is not there"
expect "check passes the rewritten unit" 0 "\(ok\), 0 errors" -- "$bp" check "$work/kind.json"
python3 - "$work/kind.json" "$work/sum.json" <<'PY'
import json, sys
u = json.load(open(sys.argv[1], encoding="utf-8"))
row = u["tables"]["expense_summary"]["rows"][0]
row["amounts"]["total"] = "%.2f" % (float(row["amounts"]["total"]) + 0.10)
json.dump(u, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
expect "a 类 that does not add up" 1 "E-SUM tables\.expense_summary\.rows\[0\]\.amounts\.total: 支出总表 201 一般公共服务支出「total」 = Σ of the codes under it: 583\.88 ≠ 583\.78 \(diff 0\.10\)" -- \
    "$bp" check "$work/sum.json"

python3 - "$work/kind.json" "$work/ref.json" <<'PY'
import json, sys
u = json.load(open(sys.argv[1], encoding="utf-8"))
block = u["explanation"]["sections"]["overview"]["blocks"][0]
block["paragraph"] += "{expense.totl}"
json.dump(u, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
expect "a figure the kind does not name" 1 "E-REF explanation\.sections\.overview\.blocks\[0\]\.paragraph: \{expense\.totl\}: no figure has this name \(did you mean \{expense\.total\}\?\)" -- \
    "$bp" check "$work/ref.json"

finish

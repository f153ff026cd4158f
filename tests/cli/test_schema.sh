#!/usr/bin/env bash
# `budgetpress schema KIND` writes the JSON Schema of a kind's units: a valid draft 2020-12
# schema that the kind's sample passes, and that rejects what the loader rejects (a column the
# table lacks, an amount with three decimals, a whole-元 amount with 分, a line the side lacks,
# a table the kind lacks), each also refused by `check` (exit 2). The built-in kind has no
# generated schema and says where its own is.
# Usage: test_schema.sh BUDGETPRESS SOURCE_DIR PYTHON
set -u
bp=$1
src=$2
py=$3
source "$(dirname "$0")/../lib.sh"

for kind in shanghai-2024-final shanghai-2025-budget; do
    case $kind in
    shanghai-2024-final) sample=$src/samples/putuo-finance-2024-final.json ;;
    *) sample=$src/samples/putuo-finance-2025-budget.json ;;
    esac
    "$bp" schema "$kind" -o "$work/$kind.schema.json" && ok || bad "schema $kind: exit $?"
    # The bad units: each one change to the sample.
    "$py" - "$sample" "$work/$kind" <<'PY'
import json, sys
sample, prefix = sys.argv[1:]
def variant(name, change):
    u = json.load(open(sample, encoding="utf-8"))
    change(u)
    json.dump(u, open(f"{prefix}-{name}.json", "w", encoding="utf-8"), ensure_ascii=False)
t = lambda u: u["tables"]
variant("column", lambda u: t(u)["expense"]["rows"][0]["amounts"].update(carryover="1.00"))
variant("decimals", lambda u: t(u)["expense"]["rows"][0]["amounts"].update(total="1.005"))
variant("line", lambda u: t(u)["summary"]["income"].update(nope={"amount": "1.00"}))
variant("table", lambda u: t(u).update(extra={}))
variant("code", lambda u: t(u)["expense"]["rows"][0].update(code="20x"))
PY
    "$py" "$src/tests/schema/validate_schema.py" --schema "$work/$kind.schema.json" --loader "$bp" \
        "$sample" --must-fail "$work/$kind"-*.json >"$work/validate.txt" 2>&1 && ok ||
        bad "schema $kind and the loader disagree: $(grep -v '^ok' "$work/validate.txt")"
done

# 0 decimals: the 2025 三公 table is in 万元 with 分; a kind's whole-元 table refuses 分 in both.
"$py" - "$src/layouts/shanghai-2025-budget.json" "$work/whole.json" "$src/samples/putuo-finance-2025-budget.json" "$work/whole-unit.json" <<'PY'
import json, sys
layout, out, sample, unit_out = sys.argv[1:]
l = json.load(open(layout, encoding="utf-8"))
l["kind"]["tables"]["income"]["decimals"] = 0
json.dump(l, open(out, "w", encoding="utf-8"), ensure_ascii=False)
u = json.load(open(sample, encoding="utf-8"))
u["kind"] = "whole"
json.dump(u, open(unit_out, "w", encoding="utf-8"), ensure_ascii=False)
PY
expect "a whole-元 table refuses 分" 2 'tables\.income\.rows\[0\]\.amounts\.total: expected a whole amount like "1200" \(the table prints whole amounts\), found "22186440\.80"' -- \
    "$bp" check --layout "$work/whole.json" "$work/whole-unit.json"
"$bp" schema "$work/whole.json" -o "$work/whole.schema.json" && ok || bad "schema of a layout file"
grep -qF '"^-?[0-9]{1,15}(\\.00?)?$"' "$work/whole.schema.json" && ok || bad "the whole-元 pattern is not in the schema"

expect "the built-in kind" 2 "declares no kind: it is the built-in 2022 kind, whose schema is schema/unit.schema.json" -- \
    "$bp" schema unit-2022
expect "no kind" 2 "no kind given" -- "$bp" schema
expect "an unknown kind" 2 "nope\.json" -- "$bp" schema nope

finish

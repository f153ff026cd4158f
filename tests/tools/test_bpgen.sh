#!/usr/bin/env bash
# bpgen, the synthetic unit generator: deterministic, and every unit it writes reads and passes
# `budgetpress check` and the JSON Schema, except the ones it breaks on purpose.
# Usage: test_bpgen.sh BPGEN BUDGETPRESS SOURCE_DIR
set -u
gen=$1
bp=$2
src=$3
source "$(dirname "$0")/../lib.sh"

# Same arguments, same bytes.
"$gen" --seed 42 -o "$work/a.json" && "$gen" --seed 42 -o "$work/b.json"
cmp -s "$work/a.json" "$work/b.json" && ok || bad "seed 42 twice differs"
"$gen" --seed 43 -o "$work/c.json"
cmp -s "$work/a.json" "$work/c.json" && bad "seeds 42 and 43 give the same unit" || ok

# A region of units: all clean, all distinct files.
"$gen" --count 40 --seed 1 -o "$work/region" || bad "--count 40 failed"
n=$(ls "$work/region" | wc -l)
[ "$n" -eq 40 ] && ok || bad "--count 40 wrote $n files"
out=$("$bp" check -q "$work"/region/*.json 2>&1)
[ $? -eq 0 ] && [ -z "$out" ] && ok || bad "region units not clean: $out"
"$gen" --count 40 --seed 1 -o "$work/region2" >/dev/null
diff -r "$work/region" "$work/region2" >/dev/null && ok || bad "--count is not deterministic"

# Long tables and long texts are still valid units.
"$gen" --rows 3000 --seed 5 -o "$work/long.json"
rows=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["tables"]["expense_summary"]["rows"]))' "$work/long.json")
[ "$rows" -ge 3000 ] && ok || bad "--rows 3000 gave $rows rows"
"$bp" check -q "$work/long.json" >/dev/null 2>&1 && ok || bad "--rows 3000 unit not clean"
"$gen" --long-text --seed 6 -o "$work/text.json"
"$bp" check -q "$work/text.json" >/dev/null 2>&1 && ok || bad "--long-text unit not clean"
longest=$(python3 -c 'import json,sys
u = json.load(open(sys.argv[1]))
print(max(len(i["description"]) for p in u["performance"]["projects"] for i in p["indicators"]))' "$work/text.json")
[ "$longest" -ge 300 ] && ok || bad "--long-text longest description is $longest characters"

# The schema agrees with the loader on generated units.
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
    /usr/bin/python3 "$src/tests/schema/validate_schema.py" "$work/a.json" "$work/long.json" \
        "$work/text.json" >/dev/null && ok || bad "schema rejects generated units"
fi

# Broken on purpose: unreadable kinds exit 2, the others read (their rules come later).
for kind in syntax schema; do
    "$gen" --seed 9 --defect "$kind" -o "$work/$kind.json"
    "$bp" check -q "$work/$kind.json" >/dev/null 2>&1
    [ $? -eq 2 ] && ok || bad "--defect $kind does not make an unreadable unit"
done
"$gen" --seed 9 --defect glyph -o "$work/glyph.json"
grep -q $'\xee\x80\x80' "$work/glyph.json" && ok || bad "--defect glyph has no U+E000"
"$gen" --count 12 --seed 3 --defect-every 4 -o "$work/mixed" >/dev/null
broken=0
for f in "$work"/mixed/*.json; do
    "$bp" check -q "$f" >/dev/null 2>&1 || broken=$((broken + 1))
done
[ "$broken" -ge 1 ] && [ "$broken" -le 3 ] && ok || bad "--defect-every 4 over 12 units broke $broken"

# Units of every shipped kind given as data (--from a unit of it): the same arguments give the
# same bytes; each unit has its own code and name and at least --rows rows in every ledger; check
# says of each what it says of the original (the 决算's eleven W-ROUND, the 预算 nothing); batch
# renders them all with the kind's layout found from the units.
for sample in putuo-finance-2024-final putuo-finance-2025-budget; do
    from=$src/samples/$sample.json
    "$gen" --from "$from" --seed 5 --rows 40 --count 6 -o "$work/$sample" && ok || bad "--from $sample failed"
    "$gen" --from "$from" --seed 5 --rows 40 --count 6 -o "$work/$sample-again" >/dev/null
    diff -r "$work/$sample" "$work/$sample-again" >/dev/null && ok || bad "--from $sample is not reproducible"
    want=$("$bp" check "$from" 2>&1 | grep -o "0 errors, [0-9]* warnings")
    for f in "$work/$sample"/*.json; do
        got=$("$bp" check "$f" 2>&1 | grep -o "0 errors, [0-9]* warnings")
        [ -n "$got" ] && [ "$got" = "$want" ] || bad "$(basename "$f"): check says \"$got\", the original \"$want\""
    done
    ok
    /usr/bin/python3 - "$work/$sample" <<'PY' && ok || bad "$sample: codes, names or row counts"
import glob, json, sys
units = [json.load(open(f, encoding="utf-8")) for f in sorted(glob.glob(sys.argv[1] + "/*.json"))]
codes = {u["unit"]["code"] for u in units}
names = {u["unit"]["name"] for u in units}
short = [(u["unit"]["code"], k, len(t["rows"])) for u in units for k, t in u["tables"].items()
         if t.get("rows") and len(t["rows"]) < 40]
if len(codes) != 6 or len(names) != 6 or short:
    print("codes", len(codes), "names", len(names), "ledgers under 40 rows:", short[:3])
sys.exit(1 if len(codes) != 6 or len(names) != 6 or short else 0)
PY
    "$bp" batch "$work/$sample" -o "$work/$sample-pdf" >"$work/batch.txt" 2>&1 &&
        grep -q "6 rendered, 0 skipped (up to date), 0 failed" "$work/batch.txt" && ok ||
        bad "batch of $sample units: $(tail -3 "$work/batch.txt")"
done
"$gen" --from "$src/samples/201001-2022.json" -o "$work/x.json" 2>"$work/err.txt"
[ $? -eq 2 ] && grep -q "names no kind" "$work/err.txt" && ok || bad "--from a unit of the built-in kind: $(cat "$work/err.txt")"

# Bad usage.
"$gen" --rows nine >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "bad --rows is not a usage error"
"$gen" --help | grep -q -- "--seed" && ok || bad "--help does not document --seed"

finish

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

# Bad usage.
"$gen" --rows nine >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "bad --rows is not a usage error"
"$gen" --help | grep -q -- "--seed" && ok || bad "--help does not document --seed"

finish

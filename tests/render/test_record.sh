#!/usr/bin/env bash
# Meaning in the display list: `render --dump-record` of the reference unit names every amount of
# the nine tables by table, row (code, line or item) and column, with its exact value, and each
# once on the page it is printed on; header cells by the column they head; folios and repeated
# banner and header rows are marked as pagination's; the record of a unit of a kind given as data
# names its cells by the kind's keys. The page dump is unchanged.
# Usage: test_record.sh BUDGETPRESS SOURCE_DIR
set -u
bp=$1
src=$2
source "$(dirname "$0")/../lib.sh"

"$bp" render "$src/samples/201001-2022.json" -o "$work/unit.pdf" --dump-record "$work/unit.rec" >/dev/null 2>&1 ||
    bad "render --dump-record failed"
python3 - "$src/samples/201001-2022.json" "$work/unit.rec" <<'PY' && ok || bad "the record does not name every amount"
import collections, json, re, sys
unit = json.load(open(sys.argv[1], encoding="utf-8"))
records = collections.Counter()
for line in open(sys.argv[2], encoding="utf-8"):
    m = re.match(r"(\S+) row=(\S+) column=(\S+) role=\S+ value=(\S+) page=\d+", line)
    if m:
        records[m.groups()] += 1
want = []
def amounts(table, row, obj, prefix=""):
    for column, value in (obj or {}).items():
        if value is not None:
            want.append((table, row, prefix + column, "%.2f" % float(value)))
for key, t in unit["tables"].items():
    if "rows" in t:
        amounts(key, "total", t.get("total"))
        for r in t["rows"]:
            amounts(key, r["code"], r["amounts"])
    elif "income" in t:
        for side in ("income", "expense"):
            s = t[side]
            for i, line in enumerate(s["lines"]):
                amounts(key, line.get("code") or f"line{i + 1}", line["amounts"], side + ".")
            amounts(key, "year_total", s["year_total"], side + ".")
            c = s.get("carryover", {})
            amounts(key, "carryover", c.get("amounts"), side + ".")
            for i, line in enumerate(c.get("lines", [])):
                amounts(key, f"carryover{i + 1}", line["amounts"], side + ".")
            amounts(key, "grand_total", s["grand_total"], side + ".")
    else:
        for item, a in t.items():
            amounts(key, item, a)
missing = [w for w in want if records[w] != 1]
print(f"{len(want)} amounts of the nine tables in the record, {len(missing)} missing or repeated")
for w in missing[:5]:
    print("  ", w, records[w])
sys.exit(1 if missing or len(want) < 100 else 0)
PY
grep -q ' value=.* repeated ' "$work/unit.rec" && bad "a repeated row is recorded as an amount" || ok
# Pagination's own text is marked as such: every folio, and the banner and header rows repeated
# on continuation pages (栏次 again), never the first page's.
folios=$(grep -c '^artifact page=[0-9]* text="— [0-9]* —"$' "$work/unit.rec")
[ "$folios" -eq 34 ] && ok || bad "$folios folios marked as artifacts, wanted 34 (the body's pages)"
# Header cells are the table's headers by the column they head; repeated ones are marked so.
grep -q '^budget_summary row=- column=seq role=header page=3 text="栏次"$' "$work/unit.rec" && ok ||
    bad "the first page's 栏次 header cell is not recorded as the seq column's header"
grep -q '^budget_summary row=- column=seq role=header page=[0-9]* repeated text="栏次"$' "$work/unit.rec" && ok ||
    bad "the repeated 栏次 row is not marked as repeated"

"$bp" render "$src/samples/putuo-finance-2024-final.json" -o "$work/final.pdf" --dump-record "$work/final.rec" >/dev/null 2>&1 ||
    bad "render --dump-record of a kind's unit failed"
grep -qx 'general_basic row=30229 column=public.amount role=body value=42.77 page=[0-9]* text="42.77"' "$work/final.rec" &&
    grep -qx 'income row=2010601 column=total role=body value=1511.90 page=[0-9]* text="1,511.90"' "$work/final.rec" &&
    grep -qx 'general_expense row=total column=total role=total value=2940.05 page=[0-9]* text="2,940.05"' "$work/final.rec" &&
    ok || bad "the kind's record: $(grep -m3 general_basic "$work/final.rec")"
expect "the record refuses to overwrite the unit" 2 "is the unit" -- \
    "$bp" render "$src/samples/201001-2022.json" -o "$work/x.pdf" --dump-record "$src/samples/201001-2022.json"

finish

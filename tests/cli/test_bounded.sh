#!/usr/bin/env bash
# Bounded output: a unit with thousands of problems does not bury a terminal (a screenful per
# rule, then how many more and where they are), a file or a pipe gets every line, --max-errors
# caps the lines for scripts, --json keeps every finding, and batch's summary and report agree
# on the counts.
# Usage: test_bounded.sh BPGEN BUDGETPRESS
set -u
bpgen=$(realpath "$1")
bp=$(realpath "$2")
source "$(dirname "$0")/../lib.sh"
cd "$work" || exit 1

# In a terminal of 40 rows (script(1) gives the command a pseudo-terminal).
on_tty() { script -qec "stty rows 40 cols 200; $*" /dev/null; }

"$bpgen" --rows 3000 --seed 4 -o rows.json >/dev/null
# 3,000 amounts that are no amounts: the loader reports each (one group, no rule).
python3 - <<'PY'
import json
u = json.load(open("rows.json"))
n = 0
for r in u["tables"]["expense_summary"]["rows"]:
    for k, v in r["amounts"].items():
        if v is not None and n < 3000:
            r["amounts"][k] = "1.0.0"
            n += 1
json.dump(u, open("amounts.json", "w"), ensure_ascii=False)
# Every 项 total one yuan over: thousands of E-SUM and E-IDENTITY findings (two rules).
u = json.load(open("rows.json"))
for r in u["tables"]["expense_summary"]["rows"]:
    if len(r["code"]) == 7 and r["amounts"].get("total"):
        whole, cents = r["amounts"]["total"].split(".")
        r["amounts"]["total"] = str(int(whole) + 1) + "." + cents
json.dump(u, open("sums.json", "w"), ensure_ascii=False)
PY

# ---- To a file: every problem ----
"$bp" check amounts.json >all.txt
[ "$(grep -c 'expected an amount like' all.txt)" -eq 3000 ] && ok || bad "to a file: $(grep -c 'expected an amount' all.txt) of 3000 lines"
"$bp" check sums.json >sums.txt
errors=$(sed -n 's/.*(findings), \([0-9]*\) errors.*/\1/p' sums.txt)
sums=$(grep -c ': E-SUM ' sums.txt)
identities=$(grep -c ': E-IDENTITY ' sums.txt)
[ "$errors" -gt 2000 ] && [ $((sums + identities)) -eq "$errors" ] && ok ||
    bad "to a file: $sums E-SUM + $identities E-IDENTITY lines for $errors errors"

# ---- On a terminal: a screenful per rule, then the count and where the rest is ----
on_tty "$bp" check "$work/amounts.json" >tty.txt 2>&1
shown=$(grep -c 'expected an amount like' tty.txt)
[ "$shown" -ge 10 ] && [ "$shown" -le 40 ] && ok || bad "terminal: $shown lines of 3000"
grep -q "amounts.json: $((3000 - shown)) more errors not shown (a screenful per rule on a terminal; --max-errors 0 shows them all, --json lists them all)" tty.txt &&
    ok || bad "terminal: no count of the rest: $(tail -3 tty.txt)"
grep -q "not a readable unit (3000 problems)" tty.txt && ok || bad "terminal: the summary line"
on_tty "$bp" check "$work/sums.json" >tty-sums.txt 2>&1
s=$(grep -c ': E-SUM ' tty-sums.txt)
i=$(grep -c ': E-IDENTITY ' tty-sums.txt)
[ "$s" -le 40 ] && [ "$i" -le 40 ] && [ "$s" -ge 10 ] && [ "$i" -ge 10 ] && ok || bad "terminal, two rules: $s E-SUM, $i E-IDENTITY lines"
grep -q "sums.json: $((sums - s)) more E-SUM errors not shown" tty-sums.txt &&
    grep -q "sums.json: $((identities - i)) more E-IDENTITY errors not shown" tty-sums.txt && ok ||
    bad "terminal: per-rule counts of the rest: $(grep 'not shown' tty-sums.txt)"
on_tty "$bp" check --max-errors 0 "$work/amounts.json" >tty-all.txt 2>&1
[ "$(grep -c 'expected an amount like' tty-all.txt)" -eq 3000 ] && ok || bad "terminal, --max-errors 0: not every line"
on_tty "$bp" render "$work/sums.json" -o "$work/sums.pdf" >tty-render.txt 2>&1
[ "$(grep -c ': E-SUM ' tty-render.txt)" -le 40 ] && grep -q "more E-SUM errors not shown" tty-render.txt &&
    grep -q "errors: not rendered" tty-render.txt && ok || bad "render on a terminal: $(wc -l <tty-render.txt) lines"

# ---- --max-errors for scripts ----
"$bp" check --max-errors 5 amounts.json >five.txt
[ "$(grep -c 'expected an amount like' five.txt)" -eq 5 ] &&
    grep -q "amounts.json: 2995 more errors not shown (--max-errors; --max-errors 0 shows them all" five.txt && ok ||
    bad "--max-errors 5: $(cat five.txt)"
"$bp" check amounts.json --max-errors 2 sums.json >two.txt
[ "$(grep -c 'expected an amount like' two.txt)" -eq 2 ] && [ "$(grep -c ': E-' two.txt)" -eq 2 ] && ok ||
    bad "--max-errors after a file, per file: $(head -c 600 two.txt)"
expect "--max-errors x" 2 "--max-errors wants a count" -- "$bp" check --max-errors x amounts.json
expect "--max-errors -1" 2 "--max-errors wants a count" -- "$bp" check --max-errors -1 amounts.json

# ---- --json keeps every finding, whatever the terminal ----
on_tty "$bp" check --json "$work/sums.json" >tty.json 2>/dev/null
python3 - tty.json "$errors" <<'PY' && ok || bad "--json on a terminal does not keep every finding"
import json, sys
text = open(sys.argv[1], encoding="utf-8").read().replace("\r\n", "\n")
unit = json.loads(text)["units"][0]
assert unit["errors"] == int(sys.argv[2]) == len(unit["findings"]), (unit["errors"], len(unit["findings"]))
PY

# ---- batch: the summary and the report agree ----
mkdir -p region && cp sums.json region/
"$bp" batch region -o out >summary.txt 2>/dev/null
kept=$(python3 -c 'import json; u = json.load(open("out/report.json"))["units"][0]; print(len(u["messages"]), u["more_messages"], u["errors"])')
read -r in_report more total <<<"$kept"
[ "$in_report" -eq 50 ] && [ $((in_report + more)) -eq "$total" ] && [ "$total" -eq "$errors" ] && ok ||
    bad "report: $in_report messages + $more more for $total errors ($errors by check)"
grep -q "(+$((in_report - 1)) more in the report, $more more not kept: budgetpress check region/sums.json lists them all)" summary.txt &&
    ok || bad "batch summary disagrees with the report: $(grep failed: summary.txt | tail -c 300)"
grep -q "and $more more not kept in this report" out/report.html && ok || bad "report.html: count of the rest"

finish

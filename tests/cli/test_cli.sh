#!/usr/bin/env bash
# The command line as a user meets it: exit statuses, where messages go and what they say.
# Usage: test_cli.sh BUDGETPRESS SOURCE_DIR
set -u
bp=$1
src=$2
source "$(dirname "$0")/../lib.sh"

sample=$src/samples/201001-2022.json
expect "sample is clean" 0 "201001 .*ok.*0 errors" -- "$bp" check "$sample"
expect "version" 0 "^budgetpress [0-9]+\.[0-9]+\.[0-9]+$" -- "$bp" --version
expect "help lists check" 0 "check +Check a unit" -- "$bp" --help
expect "help lists batch" 0 "batch +Render every unit of a region" -- "$bp" --help
expect "help batch" 0 "usage: budgetpress batch" -- "$bp" help batch
expect "help check" 0 "usage: budgetpress check" -- "$bp" help check
expect "check --help" 0 "usage: budgetpress check" -- "$bp" check --help
expect "no command" 2 "usage: budgetpress" -- "$bp"
expect "unknown command" 2 "'frob' is not a budgetpress command" -- "$bp" frob
expect "help unknown" 2 "'frob' is not a budgetpress command" -- "$bp" help frob
expect "unknown option" 2 "unknown option or missing value '--frob'" -- "$bp" check --frob "$sample"
expect "no file" 2 "no unit file given" -- "$bp" check

printf '{\n  "format": "budgetpress.unit/1",\n  "unit": {"code": "1" "name": "x"}\n}\n' >"$work/syntax.json"
expect "syntax error: file:line:column" 2 "syntax.json:3:29: error: .*expected" -- "$bp" check "$work/syntax.json"

sed 's/"total": "583.78"/"total": "5８3.78"/' "$sample" >"$work/schema.json"
expect "schema error: JSON path" 2 \
    'schema.json: error: tables\.budget_summary\.expense\.lines\[0\]\.amounts\.total: expected an amount like "31.00", found "5８3.78"' \
    -- "$bp" check "$work/schema.json"

python3 - "$sample" "$work/order.json" <<'PY'
import json, sys
unit = json.load(open(sys.argv[1]))
rows = unit["tables"]["expense_summary"]["rows"]
rows[3], rows[4] = rows[4], rows[3]
json.dump(unit, open(sys.argv[2], "w"), ensure_ascii=False)
PY
expect "structural finding exits 1" 1 "E-ORDER tables\.expense_summary\.rows\[3\]: 支出总表 2012602" -- "$bp" check "$work/order.json"
python3 - "$sample" "$work/ref.json" <<'PY'
import json, sys
unit = json.load(open(sys.argv[1]))
block = unit["explanation"]["sections"]["overview"]["blocks"][0]
block["paragraph"] = block["paragraph"].replace("{expense.total}", "{expense.totl}")
json.dump(unit, open(sys.argv[2], "w"), ensure_ascii=False)
PY
expect "bad reference exits 1" 1 \
    'E-REF explanation\.sections\.overview\.blocks\[0\]\.paragraph: \{expense\.totl\}: no figure has this name \(did you mean \{expense\.total\}\?\)' \
    -- "$bp" check "$work/ref.json"
expect "render refuses a bad reference" 1 "not rendered" -- "$bp" render "$work/ref.json" -o "$work/ref.pdf"
expect "quiet prints no summary" 1 "^[^ ]*order.json: E-ORDER" -- "$bp" check -q "$work/order.json"
expect "worst status wins" 2 "not a readable unit" -- "$bp" check "$sample" "$work/order.json" "$work/syntax.json"
expect "missing file" 2 "cannot open" -- "$bp" check "$work/none.json"

# The unit as it was published: check finds the original's contradictions; render refuses it
# unless forced, and prints the warnings either way.
published=$src/samples/201001-2022-as-published.json
expect "as published: 三公 9.00" 1 "E-FIGURE .*“三公”经费 9.00 万元 in the text ≠ 8.79" -- "$bp" check "$published"
expect "as published: 123.87" 1 "E-LIST .*add up to 123.87, not the stated total 79.53" -- "$bp" check "$published"
expect "as published: 印刷费" 1 "E-FIGURE .*印刷费 2.87 万元 in the text ≠ 2.24" -- "$bp" check "$published"
expect "as published: 101%" 1 "W-VALUE .*\"101%\" is above 100% for a rate" -- "$bp" check "$published"
expect "as published: summary" 1 "findings\), 4 errors, 4 warnings" -- "$bp" check "$published"
expect "render refuses errors" 1 "4 errors: not rendered \(use --force" -- "$bp" render "$published" -o "$work/published.pdf"
[ ! -e "$work/published.pdf" ] && ok || bad "a refused unit left a PDF"
expect "render --force renders" 0 "wrote .*published.pdf" -- "$bp" render "$published" -o "$work/published.pdf" --force
"$bp" render "$sample" -o "$work/sample.pdf" >"$work/render.out" 2>"$work/render.err"
[ $? -eq 0 ] && [ "$(grep -c '^.*: W-VALUE ' "$work/render.err")" -eq 3 ] && ok ||
    bad "render does not print the sample's 3 warnings: $(cat "$work/render.err")"

# --json: the same findings for machines, one document for all files.
"$bp" check --json "$sample" "$published" "$work/syntax.json" >"$work/check.json"
[ $? -eq 2 ] && ok || bad "check --json: worst status is not 2"
python3 - "$work/check.json" <<'PY' && ok || bad "check --json document"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["status"] == "unreadable"
sample, published, syntax = doc["units"]
assert sample["status"] == "ok" and sample["errors"] == 0 and sample["warnings"] == 3
assert sample["code"] == "201001"
assert published["status"] == "findings" and published["errors"] == 4
rules = [f["rule"] for f in published["findings"] if f["severity"] == "error"]
assert rules == ["FIGURE", "LIST", "FIGURE", "FIGURE"], rules
f = published["findings"][0]
assert f["path"] == "explanation.sections.operating_costs.blocks[0].paragraph"
assert f["text"].endswith("E-FIGURE " + f["path"] + ": " + f["message"])
assert syntax["status"] == "unreadable" and syntax["code"] is None
assert syntax["findings"][0]["line"] == 3 and syntax["findings"][0]["column"] == 29
PY

finish

#!/usr/bin/env bash
# `budgetpress import`: a unit's workbook in, the unit out, every problem against its cell.
#  - the 上海 district's 2026 department template filled with the 2025 部门预算's figures (by
#    openpyxl, then opened and saved by LibreOffice as .xlsx and as the old binary .xls) imports
#    to the very unit that renders the published document, and that render's tables equal the
#    published ones cell for cell (tests/render/published.py);
#  - the same with the writers' habits (amounts as text with ASCII or full-width separators,
#    合计 rows as SUM formulas without a stored result, indented names, a 款 typed as a number);
#  - a workbook laid out like the seed's printed tables (codes in one column, 序号, the 三公
#    table down its items, titles not sheet names) imports to the seed's unit, through openpyxl
#    and through LibreOffice's .xls;
#  - each quirk and each mistake a clerk makes: the expected unit, or the expected message with
#    its sheet!cell, exit status 1, and no file written.
# Usage: test_import.sh BUDGETPRESS SOURCE_DIR
set -u
bp=$(realpath "$1")
src=$(realpath "$2")
source "$(dirname "$0")/../lib.sh"
cd "$work" || exit 1
py=/usr/bin/python3 # Debian's, where python3-openpyxl lives
here=$src/tests/import
template=$src/tests/data/import/shanghai-2026-dept-template.xlsx # the district's, as published
budget=$src/samples/putuo-finance-2025-budget.json

same() { # NAME WANT GOT: the two units say the same
    if "$py" "$here/unit_equal.py" "$2" "$3"; then ok; else bad "$1: the imported unit differs"; fi
}

imports() { # NAME BOOK BASE WANT [ARGS…]: imports clean (exit 0) to the unit WANT
    local name=$1 book=$2 base=$3 want=$4
    shift 4
    local out
    out=$("$bp" import "$book" --base "$base" -o "$work/got.json" "$@" 2>&1)
    if [ $? -eq 0 ]; then ok; else bad "$name: import failed: $out"; return; fi
    same "$name" "$want" "$work/got.json"
}

soffice_convert() { # FORMAT BOOK: LibreOffice opens the book and saves it as FORMAT in lo/
    mkdir -p lo
    HOME=$work soffice --headless --convert-to "$1" --outdir lo "$2" >/dev/null 2>&1
}

# ---- 上海: the template filled with the 2025 部门预算 ----
"$py" "$here/fill_shanghai.py" "$template" "$budget" filled.xlsx || bad "could not fill the template"
"$py" "$here/fill_shanghai.py" "$template" "$budget" quirks.xlsx --quirks || bad "could not fill with quirks"
imports "openpyxl" filled.xlsx "$budget" "$budget"
imports "openpyxl with the writers' habits" quirks.xlsx "$budget" "$budget"
imports "the profile named" filled.xlsx "$budget" "$budget" --profile shanghai-2026-department
"$bp" import filled.xlsx --base "$budget" -o unit.json -q >/dev/null 2>&1
out=$("$bp" render unit.json -o unit.pdf --dump-pages unit.dl 2>&1)
[ $? -eq 0 ] && ok || bad "the imported unit does not render: $out"
"$src/tests/render/published_2025.sh" unit.dl "$src" >published.log 2>&1 && ok ||
    { bad "the imported unit's tables differ from the published document"; cat published.log; }

if command -v soffice >/dev/null; then
    soffice_convert xlsx filled.xlsx && soffice_convert xls filled.xlsx || bad "LibreOffice failed"
    imports "LibreOffice .xlsx" lo/filled.xlsx "$budget" "$budget"
    imports "LibreOffice .xls" lo/filled.xls "$budget" "$budget"
    # An .xls gives no number formats: a sheet without a banner is said to be taken in the
    # table's money unit.
    "$py" "$here/edit_book.py" filled.xlsx nobanner.xlsx '部门“三公”经费和机关运行费预算表!G3=-'
    soffice_convert xls nobanner.xlsx
    expect "an .xls sheet without a banner" 0 'warning: 部门“三公”经费和机关运行费预算表: no banner says the money unit \(单位：元\): its figures are taken to be in 万元' -- \
        "$bp" import lo/nobanner.xls --base "$budget" -o nobanner.json
else
    bad "LibreOffice (soffice) is not installed: scripts/deps.sh --test installs it"
fi

# The unit on standard output: nothing else there (the report goes to standard error).
"$bp" import filled.xlsx --base "$budget" -o - >stdout.json 2>stderr.txt
"$py" -c "import json, sys; json.load(open('stdout.json'))" && grep -q "where the unit's parts came from" stderr.txt &&
    ok || bad "-o -: standard output is not the unit alone"

# Without a base: the tables and the name and year from the workbook, the code asked for.
expect "no base, no code" 1 "error: unit\.code: neither the workbook \(after 部门编码：\) nor a base unit gives the unit's code" -- \
    "$bp" import filled.xlsx -o nobase.json
[ ! -e nobase.json ] && ok || bad "a unit without its code was written"

# ---- The seed's tables as a workbook ----
python3 "$src/tests/render/seed_kind.py" "$src/samples/201001-2022.json" seed-kind.json
"$py" "$here/write_seed_book.py" "$src/layouts/hebei-2022-unit.json" seed-kind.json seed.xlsx ||
    bad "could not write the seed's workbook"
imports "the seed's tables (openpyxl)" seed.xlsx seed-kind.json seed-kind.json
if command -v soffice >/dev/null; then
    soffice_convert xls seed.xlsx || bad "LibreOffice failed on the seed's workbook"
    imports "the seed's tables (LibreOffice .xls)" lo/seed.xls seed-kind.json seed-kind.json
fi

# ---- Quirks that must give the same unit ----
edit() { "$py" "$here/edit_book.py" "$@" || bad "could not edit $1"; }
edit filled.xlsx renamed.xlsx '部门收入总表=#name:表2 收入' '部门支出总表=#name:Sheet3'
imports "sheets found by their printed titles" renamed.xlsx "$budget" "$budget"
edit filled.xlsx numbered.xlsx '部门收入总表=#name:2.2部门收入总表' '部门支出总表=#name:表3-部门支出总表'
edit numbered.xlsx numbered.xlsx '2.2部门收入总表!A2=收入' '表3-部门支出总表!A2=支出'
imports "sheets found by their names after a table's number, titles gone" numbered.xlsx "$budget" "$budget"
edit filled.xlsx down.xlsx '部门“三公”经费和机关运行费预算表=#down'
imports "the 三公 table down its items" down.xlsx "$budget" "$budget"
# The 三公 table in 元 for a kind in 万元: its banner, or one cell's number format, says so.
edit filled.xlsx yuan.xlsx '部门“三公”经费和机关运行费预算表!G3=单位：元' \
    '部门“三公”经费和机关运行费预算表!A7=#num:9500' '部门“三公”经费和机关运行费预算表!C7=#num:9500' \
    '部门“三公”经费和机关运行费预算表!G7=#num:2294300'
imports "a banner in 元 over a table in 万元" yuan.xlsx "$budget" "$budget"
edit filled.xlsx format.xlsx '部门“三公”经费和机关运行费预算表!C7=#fmt:#,##0.00"元":9500'
imports "a number format in 元" format.xlsx "$budget" "$budget"

# ---- Problems, each against its cell ----
problem() { # NAME PATTERN BOOK: exit 1, the message, nothing written
    local name=$1 pattern=$2 book=$3
    rm -f bad.json
    expect "$name" 1 "$pattern" -- "$bp" import "$book" --base "$budget" -o bad.json
    [ ! -e bad.json ] && ok || bad "$name: a unit was written"
}
edit filled.xlsx o.xlsx '部门支出总表!F12=1,2O4.00'
problem "a letter O among the digits" 'error: 部门支出总表!F12: "1,2O4\.00" is not an amount \(a letter O among the digits\)' o.xlsx
edit filled.xlsx pct.xlsx '部门支出总表!G12=12%'
problem "a percentage" 'error: 部门支出总表!G12: .*percent' pct.xlsx
edit filled.xlsx nosheet.xlsx '部门政府性基金拨款表=#del'
problem "a missing sheet" 'error: no sheet holds 部门政府性基金预算支出功能分类预算表: none is named 部门政府性基金拨款表 or prints the title' nosheet.xlsx
edit filled.xlsx unplaced.xlsx '部门支出总表!A50=#num:12' '部门支出总表!E50=#num:3.5'
problem "a 类 that is no code" 'error: 部门支出总表!A50: "12" is not a code \(digits only, 3 for a 类\)' unplaced.xlsx
edit filled.xlsx norow.xlsx '部门支出总表!E50=#num:3.5'
problem "figures without a code or a name" 'error: 部门支出总表!E50: figures on a row without a code or a name' norow.xlsx
edit filled.xlsx column.xlsx '部门支出总表!J12=#num:99'
problem "a column the profile does not place" 'error: 部门支出总表!J12: a figure in a column the profile places under no column' column.xlsx
edit filled.xlsx product.xlsx '部门支出总表!E12==F12*2'
problem "a formula that is no sum" 'error: 部门支出总表!E12: the formula =F12\*2 has no stored result and cannot be taken as a sum' product.xlsx
edit filled.xlsx label.xlsx '部门收支总表!A15=五、财政专户收入' '部门收支总表!B15=#num:5'
problem "a line the kind does not have" 'error: 部门收支总表!A15: "五、财政专户收入" is no line of 部门财务收支预算总表.s income side' label.xlsx
edit filled.xlsx fen.xlsx '部门“三公”经费和机关运行费预算表!G3=单位：元' '部门“三公”经费和机关运行费预算表!C7=#num:9501'
problem "元 that are no whole hundredths of 万元" 'error: 部门“三公”经费和机关运行费预算表!C7: 9,501\.00 元 is not a whole number of hundredths of 万元' fen.xlsx

# The workbook's own arithmetic, by check's rules, against its cells: written, exit 1.
edit filled.xlsx sum.xlsx '部门收支总表!B14=(1,234.50)'
rm -f sum.json
expect "arithmetic against the cells" 1 "E-IDENTITY 部门收支总表!B21: .*grand_total = fiscal \+ business \+ operating \+ other" -- \
    "$bp" import sum.xlsx --base "$budget" -o sum.json
grep -q '"amount": "-1234.50"' sum.json && ok || bad "(1,234.50) was not read as -1234.50"
"$bp" import sum.xlsx --base "$budget" -o sum2.json --json >sum.out 2>&1
"$py" - sum.out <<'PY' && ok || bad "--json does not say the findings and the parts"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "findings" and d["written"] is True, d
assert any(f["path"] == "部门收支总表!B21" and f["rule"] == "IDENTITY" for f in d["findings"]), d
assert {"part": "explanation", "from": "base"} in d["parts"], d["parts"]
assert {"part": "tables.expense", "from": "部门支出总表"} in d["parts"], d["parts"]
PY

# Interrupted (Ctrl-C) at any moment: the old unit whole, or the new one whole; no temporary.
"$py" "$src/bench/make_books.py" big 1 1 26 10 19
for delay in 0.02 0.08 0.2; do
    printf '{"old": true}\n' >kept.json
    "$bp" import big/book-000.xlsx --profile shanghai-2026-department --base "$budget" -o kept.json -q \
        >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -INT "$pid" 2>/dev/null
    wait "$pid"
    if grep -q '"old": true' kept.json || "$py" -c "import json; json.load(open('kept.json'))['tables']"; then
        ok
    else
        bad "interrupted after ${delay}s: kept.json is neither the old unit nor a whole new one"
    fi
    [ -z "$(ls -a | grep '^\.budgetpress-')" ] && ok || bad "interrupted after ${delay}s: a temporary left"
done

# ---- What cannot be read at all: exit 2 ----
printf 'a,b\n1,2\n' >book.csv
expect "not a workbook" 2 "book\.csv: error: " -- "$bp" import book.csv -o x.json
expect "no profile knows it" 2 "no profile in .* knows this workbook's sheets" -- \
    "$bp" import "$src/tests/data/import/two-sheets.xlsx" -o x.json
printf '{"format": "budgetpress.profile/1", "name": "x", "kind": "shanghai-2025-budget", "tables": {"expense": {"sheet": "部门支出总表", "code": "科目编码", "name": "科目名称", "columns": {"totl": "合计"}}}}' >bad-profile.json
expect "a profile naming a column the kind lacks" 2 "bad-profile\.json: error: tables\.expense\.columns\.totl: 部门预算（上海 2025） has no column \"totl\" in 部门支出预算总表 \(expected one of total, basic, project\)" -- \
    "$bp" import filled.xlsx --profile bad-profile.json -o x.json
printf '{"format": "budgetpress.profile/1", "name": "x", "kind": "../samples/x", "tables": {}}' >escape.json
expect "a profile's kind outside layouts/" 2 'escape\.json: error: kind: "\.\./samples/x" is not the name of a layout' -- \
    "$bp" import filled.xlsx --profile escape.json -o x.json
expect "the workbook is no output" 2 "" -- "$bp" import filled.xlsx --base "$budget" -o filled.xlsx
"$py" -c "import openpyxl; openpyxl.load_workbook('filled.xlsx')" && ok || bad "the workbook was overwritten"
[ ! -e x.json ] && ok || bad "a unit was written from an unreadable input"
# What the fuzzers found (tests/data/fuzz-import/): refused or read, with a message, no crash.
for found in "$src"/tests/data/fuzz-import/*; do
    out=$("$bp" import "$found" --profile shanghai-2026-department -o x.json 2>&1)
    status=$?
    [ "$status" -le 2 ] && [ -n "$out" ] && ok || bad "$(basename "$found"): exit $status: $out"
    rm -f x.json
done
[ -z "$(ls -a | grep '^\.budgetpress-')" ] && ok || bad "temporaries left behind"

finish

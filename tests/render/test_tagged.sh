#!/usr/bin/env bash
# Tagged PDF: the reference unit's structure tree as poppler reads it (pdfinfo -struct-text):
# the tables as tables with their header cells' scope and spans, the empty 基本支出 cell of the
# 纪检监察事务 row in its place, folios and repeated headers left out as artifacts; the catalog's
# /Lang, /MarkInfo and DisplayDocTitle; the same text and pixels as the untagged file; and the
# real readers silent: poppler, qpdf, MuPDF, Ghostscript, pdf.js (each where installed; the
# test suite's dependencies install them all).
# Usage: test_tagged.sh BUDGETPRESS SOURCE_DIR [BPGEN]
set -u
bp=$1
src=$2
BPGEN=${3:-}
source "$(dirname "$0")/../lib.sh"
unit="$src/samples/201001-2022.json"

# pdfinfo -struct-text on a copy whose PDF/A output intent is hidden (the key renamed, same
# length, so every offset holds): poppler builds a colour transform from the intent's ICC
# profile for each structure element it reads, 45 s for the sample against 1.8 s without; the
# tree does not depend on it (test_pdfa.sh checks the intent).
struct_text() { # PDF: the tree on stdout, poppler's complaints on stderr
    python3 - "$1" "$1.nointent.pdf" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(data.replace(b"/OutputIntents", b"/OutputIntentX", 1))
PY
    pdfinfo -struct-text "$1.nointent.pdf"
}

"$bp" render "$unit" -o "$work/t.pdf" --dump-record "$work/t.rec" >/dev/null 2>&1 || bad "render failed"
"$bp" render "$unit" -o "$work/u.pdf" --untagged >/dev/null 2>&1 || bad "render --untagged failed"

# poppler: tagged, silent, and the tree it reads.
pdfinfo "$work/t.pdf" 2>&1 | grep -qx 'Tagged: *yes' && ok || bad "pdfinfo does not see a tagged PDF"
pdfinfo "$work/u.pdf" 2>&1 | grep -qx 'Tagged: *no' && ok || bad "--untagged is tagged"
struct_text "$work/t.pdf" >"$work/tree.txt" 2>"$work/tree.err"
[ ! -s "$work/tree.err" ] && ok || bad "pdfinfo -struct-text warns: $(head -3 "$work/tree.err")"
python3 - "$work/tree.txt" "$work/t.rec" <<'PY' && ok || bad "the structure tree as poppler reads it"
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
record = open(sys.argv[2], encoding="utf-8").read().split("\n")
problems = []
def count(pattern):
    return sum(1 for l in lines if re.fullmatch(pattern, l))
tables = sum(1 for l in record if l.startswith("Table "))
if count(r" *Table \(block\)") != tables:
    problems.append(f"{count(r' *Table .block.')} tables in the tree, {tables} in the record")
for kind in ("Document", "Part", "Sect", "H1", "H2", "P", "L", "LI", "LBody", "TOC", "TOCI", "Link",
             "Table", "THead", "TBody", "TR", "TD", "TH"):
    if count(r" *" + kind + r"( \((block|inline)\))?:?") == 0:
        problems.append("no " + kind)
# Header cells say what they head; a spanning one how far.
if count(r" */Scope /Column") != count(r" *TH:"):
    problems.append("a header cell without its scope")
if count(r" */ColSpan \d+") == 0 or count(r" */RowSpan \d+") == 0:
    problems.append("no spans")
# 支出总表's 纪检监察事务 row: 合计 31.00, 基本支出 empty, 项目支出 31.00, each in its own cell.
text = "\n".join(lines)
row = re.search(r'"20111"\n +TD\n +"纪检监察事务"\n +TD\n +"31\.00"\n( +)TD\n\1TD\n +"31\.00"', text)
if not row:
    problems.append("the 纪检监察事务 row of 支出总表 is not 31.00, an empty cell, 31.00")
# Pagination's repeats are artifacts: the budget summary's 栏次 row once (it is on two pages).
firsts = sum(1 for l in record if re.match(r'\S+ row=- column=seq role=header text="栏次" page=\d+$', l))
repeats = sum(1 for l in record if re.match(r'\S+ row=- column=seq role=header text="栏次" page=\d+ repeated$', l))
if count(r' *"栏次"') != firsts or repeats == 0:
    problems.append(f'栏次 {count(chr(32) + "*" + chr(34) + "栏次" + chr(34))} times in the tree, {firsts} first pages, {repeats} repeats')
if any(re.fullmatch(r' *"— \d+ —"', l) for l in lines):
    problems.append("a folio is in the structure tree")
# Every paragraph of the explanation is in the tree, in the record's order.
paragraphs = [re.search(r' text="(.*)" page=', l).group(1) for l in record
              if l.startswith("P path=explanation.sections.") and " text=" in l]
found = [p[:12] in text for p in paragraphs]
if not paragraphs or not all(found):
    problems.append(f"{found.count(False)} of {len(paragraphs)} paragraphs missing")
for p in problems:
    print("  ", p)
sys.exit(1 if problems else 0)
PY

# The catalog says what a reader needs: the language, that the file is tagged, and that the
# window shows the document's title.
root=$(qpdf --show-object=trailer "$work/t.pdf" 2>/dev/null | grep -o '/Root [0-9]*' | grep -o '[0-9]*')
catalog=$(qpdf --show-object="$root" "$work/t.pdf" 2>/dev/null)
grep -q '/Lang (zh-CN)' <<<"$catalog" && grep -q '/Marked true' <<<"$catalog" &&
    grep -q '/DisplayDocTitle true' <<<"$catalog" && grep -q '/StructTreeRoot' <<<"$catalog" &&
    ok || bad "the catalog: $catalog"
head -c 8 "$work/t.pdf" | grep -q '%PDF-1.7' && ok || bad "the header is not PDF 1.7 (object streams need 1.5)"

# Tagging changes nothing a reader sees: the same text, the same pixels.
pdftotext -layout "$work/t.pdf" "$work/t.txt" && pdftotext -layout "$work/u.pdf" "$work/u.txt" &&
    cmp -s "$work/t.txt" "$work/u.txt" && ok || bad "the tagged PDF's text differs from the untagged one's"
pdftoppm -r 50 -png "$work/t.pdf" "$work/t" && pdftoppm -r 50 -png "$work/u.pdf" "$work/u"
same=0
for f in "$work"/t-*.png; do cmp -s "$f" "$work/u-${f##*/t-}" && same=$((same + 1)); done
[ "$same" -eq 36 ] && ok || bad "$same of 36 pages draw the same pixels tagged and untagged"

# The same bytes every time, whatever the threads.
"$bp" render "$unit" -o "$work/t2.pdf" >/dev/null 2>&1
cmp -s "$work/t.pdf" "$work/t2.pdf" && ok || bad "two renders differ"

# The real readers, silent. qpdf checks the update's cross-reference stream and object streams.
out=$(qpdf --check "$work/t.pdf" 2>&1)
# (qpdf exits 3 on a warning, 2 on an error)
[ $? -eq 0 ] && ! grep -q 'WARNING' <<<"$out" && ok || bad "qpdf --check: $out"
err=$( { pdftotext "$work/t.pdf" - >/dev/null; pdftoppm -r 20 -png "$work/t.pdf" "$work/p"; } 2>&1)
[ -z "$err" ] && ok || bad "poppler warns: $err"
if command -v mutool >/dev/null; then
    # Debian's MuPDF is built without lcms and says so for every file, ours or Ghostscript's.
    err=$( { mutool draw -q -F txt -o /dev/null "$work/t.pdf"; mutool draw -q -r 20 -o "$work/m%d.png" "$work/t.pdf"; } 2>&1 |
        grep -vx 'warning: ICC support is not available')
    [ -z "$err" ] && ok || bad "MuPDF warns: $err"
    mutool show "$work/t.pdf" trailer 2>/dev/null | grep -q '/Type /XRef' && ok || bad "MuPDF does not read the update"
fi
if command -v gs >/dev/null; then
    err=$(gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=txtwrite -sOutputFile=/dev/null "$work/t.pdf" 2>&1)
    [ -z "$err" ] && ok || bad "Ghostscript warns: $err"
fi
if command -v node >/dev/null && [ -f /usr/share/javascript/pdf/build/pdf.js ]; then
    out=$(node "$(dirname "$0")/pdfjs_read.js" "$work/t.pdf" 2>&1)
    grep -q '^pages=36 chars=[1-9][0-9]* structtree_pages=36 tables=[1-9][0-9]* warnings=0$' <<<"$out" && ok ||
        bad "pdf.js: $out"
fi

# Other kinds, and a unit long enough for the tree to take several object streams (4,096
# objects each): poppler reads every tree silently, qpdf checks every stream.
units=("$src/samples/putuo-finance-2024-final.json" "$src/samples/putuo-finance-2025-budget.json")
if [ -n "${BPGEN:-}" ]; then
    "$BPGEN" --rows 1500 -o "$work/long.json" >/dev/null 2>&1 && units+=("$work/long.json")
fi
for u in "${units[@]}"; do
    name=$(basename "$u" .json)
    "$bp" render "$u" -o "$work/$name.pdf" >/dev/null 2>&1 || bad "$name: render failed"
    err=$(struct_text "$work/$name.pdf" 2>&1 >"$work/$name.tree")
    streams=$(qpdf --show-xref "$work/$name.pdf" 2>/dev/null | grep -o 'compressed; stream = [0-9]*' | sort -u | wc -l)
    [ -z "$err" ] && grep -q 'Table (block)' "$work/$name.tree" && qpdf --check "$work/$name.pdf" >/dev/null 2>&1 &&
        ok || bad "$name: the tagged PDF: $err"
    [ "$name" != long ] || [ "$streams" -ge 3 ] && ok || bad "$name: $streams object streams, wanted several"
done
[ -z "${BPGEN:-}" ] || [ -f "$work/long.pdf" ] && ok || bad "the long unit was not rendered"

finish

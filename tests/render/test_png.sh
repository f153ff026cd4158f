#!/usr/bin/env bash
# The PNG backend: `render --png DIR` draws every page of the reference unit and of a Shanghai
# 预算 (with turned pages) as pdftoppm draws our own PDF at the same resolution: the same size, and
# at least 99.5 % of the pixels agree (png_agree: a pixel of ink in one image with no ink within
# one pixel in the other disagrees). The images are the same bytes every run; --pages and --dpi
# choose what is drawn, and bad values are refused before any work.
# Usage: test_png.sh BUDGETPRESS SOURCE_DIR PNG_AGREE
set -u
bp=$1
src=$2
agree=$3
source "$(dirname "$0")/../lib.sh"
unit="$src/samples/201001-2022.json"
budget="$src/samples/putuo-finance-2025-budget.json"

# Images only: no PDF is written without -o.
(cd "$work" && "$bp" render "$unit" --png img --dpi 80 >out.txt 2>&1) || bad "render --png failed: $(cat "$work/out.txt")"
grep -q 'drew 36 of 36 pages into img/ at 80 dpi' "$work/out.txt" && ok || bad "what render says: $(cat "$work/out.txt")"
[ ! -e "$work/201001-2022.pdf" ] && ok || bad "--png without -o wrote a PDF"
[ "$(ls "$work/img" | wc -l)" -eq 36 ] && [ -f "$work/img/page-001.png" ] && [ -f "$work/img/page-036.png" ] &&
    ok || bad "the images: $(ls "$work/img" | head -3)"

# Against pdftoppm, page by page, for the reference unit and a document with turned pages.
check_against_pdftoppm() {
    local name=$1 u=$2 dpi=$3
    mkdir -p "$work/$name"
    "$bp" render "$u" -o "$work/$name.pdf" --png "$work/$name/ours" --dpi "$dpi" >/dev/null 2>&1 ||
        { bad "$name: render failed"; return; }
    pdftoppm -r "$dpi" -png "$work/$name.pdf" "$work/$name/ref"
    local pages worst=100 failing=0 line
    pages=$(ls "$work/$name/ours" | wc -l)
    for ((p = 1; p <= pages; p++)); do
        local ours ref
        ours=$(printf '%s/%s/ours/page-%03d.png' "$work" "$name" "$p")
        ref=$(ls "$work/$name"/ref-*.png | sed -n "${p}p")
        line=$("$agree" "$ours" "$ref") || { bad "$name page $p: $line"; failing=1; continue; }
        local pct=${line##*agreement=}
        pct=${pct%\%}
        if awk -v a="$pct" 'BEGIN { exit !(a < 99.5) }'; then
            bad "$name page $p: $line"
            failing=1
        fi
        worst=$(awk -v a="$pct" -v w="$worst" 'BEGIN { print (a < w ? a : w) }')
    done
    echo "$name: $pages pages at $dpi dpi, the least agreement with pdftoppm $worst%"
    [ "$failing" -eq 0 ] && [ "$pages" -gt 0 ] && ok
}
check_against_pdftoppm sample "$unit" 80
check_against_pdftoppm budget "$budget" 100
wide=$(for f in "$work/budget/ours"/*.png; do file "$f"; done | grep -c ' 1170 x 827,')
[ "$wide" -ge 1 ] && ok || bad "no turned page among the 预算's images"

# The same bytes every run.
"$bp" render "$unit" --png "$work/again" --dpi 80 --pages 7 >/dev/null 2>&1
cmp -s "$work/again/page-007.png" "$work/img/page-007.png" && ok || bad "page 7 differs between two runs"

# --pages draws only those pages; --dpi sets the size (A4 at 150 dpi: 1241 x 1754, as pdftoppm).
"$bp" render "$unit" --png "$work/some" --pages 2,5-6 --dpi 150 >/dev/null 2>&1
[ "$(ls "$work/some" | tr '\n' ' ')" = "page-002.png page-005.png page-006.png " ] && ok ||
    bad "--pages 2,5-6 drew: $(ls "$work/some" | tr '\n' ' ')"
file "$work/some/page-002.png" | grep -q '1241 x 1754, 8-bit grayscale' && ok ||
    bad "page 2 at 150 dpi: $(file "$work/some/page-002.png")"
expect "a page beyond the last" 2 "page 40 is beyond the last page \\(36\\)" -- \
    "$bp" render "$unit" --png "$work/far" --pages 3,40
[ ! -e "$work/far/page-003.png" ] && ok || bad "pages were drawn before a bad --pages was found"
expect "--pages that is no list" 2 "'2-x' is not a list of pages" -- "$bp" render "$unit" --png "$work/x" --pages 2-x
expect "--dpi out of range" 2 "--dpi takes a resolution from 20 to 1200" -- "$bp" render "$unit" --png "$work/x" --dpi 5
expect "--dpi without --png" 2 "add --png DIR" -- "$bp" render "$unit" -o "$work/x.pdf" --dpi 100
: >"$work/plain-file"
expect "a file where the folder should be" 2 "is not a folder" -- "$bp" render "$unit" --png "$work/plain-file"

finish

#!/usr/bin/env bash
# CFF faces (Noto Serif and Sans CJK SC, fonts-noto-cjk) embedded as what they are: CIDFontType0
# with FontFile3 /CIDFontType0C, drawn by CID. The sample set in them: pdffonts sees CID Type 0C
# subsets with ToUnicode; poppler, qpdf, MuPDF and Ghostscript read it silently; the text
# extracts; and poppler draws the glyphs the PNG backend draws from the original font (a wrong
# CID would draw other characters, as the font written as TrueType did).
# Usage: test_cff.sh BUDGETPRESS SOURCE_DIR PNG_AGREE
set -u
bp=$(realpath "$1")
src=$(realpath "$2")
agree=$(realpath "$3")
source "$(dirname "$0")/../lib.sh"
cd "$work" || exit 1

python3 - "$src/layouts/unit-2022.json" <<'PY'
import json, sys
l = json.load(open(sys.argv[1], encoding="utf-8"))
l["fonts"] = {"body": ["noto-serif-sc"], "heading": ["noto-sans-sc"],
              "table": ["noto-serif-sc"], "number": ["noto-serif-sc"]}
json.dump(l, open("noto.json", "w", encoding="utf-8"), ensure_ascii=False)
PY
"$bp" render "$src/samples/201001-2022.json" --layout noto.json -o noto.pdf \
    --png png --pages 7,16 --dpi 80 >/dev/null 2>&1 && ok || bad "render with the Noto faces failed"

fonts=$(pdffonts noto.pdf 2>&1)
[ "$(grep -c 'CID Type 0C  *Identity-H  *yes yes yes' <<<"$fonts")" -eq 2 ] &&
    ! grep -q 'TrueType\|(OT)' <<<"$fonts" && ok || bad "pdffonts: $fonts"
grep -q 'NotoSerifCJKsc-Regular' <<<"$fonts" && grep -q 'NotoSansCJKsc-Regular' <<<"$fonts" && ok ||
    bad "the faces embedded: $fonts"

qpdf --check noto.pdf >/dev/null 2>&1 && ok || bad "qpdf --check: $(qpdf --check noto.pdf 2>&1 | tail -3)"
out=$(pdftotext noto.pdf noto.txt 2>&1)
[ -z "$out" ] && ok || bad "poppler is not silent: $out"
grep -q '按照预算管理有关规定' noto.txt && grep -q '847.45' noto.txt && ok || bad "the text does not extract"
out=$(mutool draw -o /dev/null noto.pdf 2>&1 | grep -v '^page \|ICC support is not available')
[ -z "$out" ] && ok || bad "MuPDF is not silent: $(head -3 <<<"$out")"
out=$(gs -q -dNOPAUSE -dBATCH -sDEVICE=txtwrite -sOutputFile=/dev/null noto.pdf 2>&1)
[ -z "$out" ] && ok || bad "Ghostscript is not silent: $(head -3 <<<"$out")"

# The glyphs poppler draws from the embedded subset are the ones FreeType draws from the font.
for p in 7 16; do
    pdftoppm -r 80 -f "$p" -l "$p" -gray -png noto.pdf pp
    result=$("$agree" "pp-$(printf '%02d' "$p").png" "png/page-$(printf '%03d' "$p").png")
    pct=$(grep -o 'agreement=[0-9.]*' <<<"$result" | cut -d= -f2)
    awk -v p="$pct" 'BEGIN { exit !(p >= 99.5) }' && ok || bad "page $p: $result"
done

finish

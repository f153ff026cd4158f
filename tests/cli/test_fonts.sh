#!/usr/bin/env bash
# A damaged font is refused: a copy of a pinned font with the right size and the right first
# 64 KiB (so the pin alone passes it) but a byte changed further on is refused by render and
# check alike, naming the damaged table; an intact copy renders; a cut-short copy fails the pin.
# Usage: test_fonts.sh BUDGETPRESS SOURCE_DIR
set -u
bp=$(realpath "$1")
src=$(realpath "$2")
source "$(dirname "$0")/../lib.sh"
cd "$work" || exit 1
sample=$src/samples/201001-2022.json

# A data folder (layouts/ and fonts/fonts.json) whose catalog points at copies of the fonts.
make_data() {
    local name=$1
    mkdir -p "$name/fonts" "$name/layouts"
    cp "$src"/layouts/*.json "$name/layouts/"
    cp /usr/share/fonts/truetype/arphic/uming.ttc "$name/fonts/uming.ttc"
    cp /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc "$name/fonts/wqy-zenhei.ttc"
    python3 - "$src/fonts/fonts.json" "$name" <<'PY'
import json, os, sys
catalog = json.load(open(sys.argv[1]))
for entry in catalog.values():
    entry["path"] = os.path.abspath(os.path.join(sys.argv[2], "fonts", os.path.basename(entry["path"])))
json.dump(catalog, open(os.path.join(sys.argv[2], "fonts", "fonts.json"), "w"), indent=2)
PY
}
# flip FILE OFFSET: inverts one byte of FILE in place.
flip() {
    python3 - "$1" "$2" <<'PY'
import sys
path, at = sys.argv[1], int(sys.argv[2])
with open(path, "r+b") as f:
    f.seek(at)
    b = f.read(1)[0]
    f.seek(at)
    f.write(bytes([b ^ 0xFF]))
PY
}

make_data intact
expect "intact copies render" 0 "wrote intact.pdf" -- \
    env BUDGETPRESS_DATA_DIR="$work/intact" "$bp" render "$sample" -o intact.pdf

# uming.ttc: glyf runs from byte 3,056,015 to 20,042,063; head from 20,045,427.
make_data glyf
flip glyf/fonts/uming.ttc 10000000
expect "damaged glyf: render" 2 'uming\.ttc: error: the font file is damaged: its table "glyf" \(bytes 3056015 to 20042063\) does not match its checksum' -- \
    env BUDGETPRESS_DATA_DIR="$work/glyf" "$bp" render "$sample" -o glyf.pdf
[ ! -e glyf.pdf ] && ok || bad "a PDF was written with a damaged font"
expect "damaged glyf: check" 2 'its table "glyf" .* does not match its checksum' -- \
    env BUDGETPRESS_DATA_DIR="$work/glyf" "$bp" check "$sample"
mkdir -p region && cp "$sample" region/
expect "damaged glyf: batch cannot start" 2 'its table "glyf"' -- \
    env BUDGETPRESS_DATA_DIR="$work/glyf" "$bp" batch region -o batch-out
[ ! -e batch-out/201001-2022.pdf ] && ok || bad "batch wrote a PDF with a damaged font"

make_data head
flip head/fonts/uming.ttc 20045427
expect "damaged head" 2 'its table "head" \(bytes 20045427 to 20045481\) does not match' -- \
    env BUDGETPRESS_DATA_DIR="$work/head" "$bp" render "$sample" -o head.pdf

make_data hei
flip hei/fonts/wqy-zenhei.ttc 11100000 # post
expect "damaged Zen Hei" 2 'wqy-zenhei\.ttc: error: the font file is damaged: its table "post"' -- \
    env BUDGETPRESS_DATA_DIR="$work/hei" "$bp" render "$sample" -o hei.pdf

make_data cut
truncate -s 20000000 cut/fonts/uming.ttc
expect "cut short: the pin" 2 'uming\.ttc: error: not the pinned font file \(20000000 bytes' -- \
    env BUDGETPRESS_DATA_DIR="$work/cut" "$bp" render "$sample" -o cut.pdf

finish

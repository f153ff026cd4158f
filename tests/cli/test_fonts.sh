#!/usr/bin/env bash
# A damaged font is refused: a copy of a pinned font (Noto Serif and Sans CJK, CFF outlines) with the right size and the right first
# 64 KiB (so the pin alone passes it) but a byte changed further on is refused by render and
# check alike, naming the damaged table; an intact copy renders; a cut-short copy fails the pin.
# Usage: test_fonts.sh BUDGETPRESS SOURCE_DIR
set -u
bp=$(realpath "$1")
src=$(realpath "$2")
source "$(dirname "$0")/../lib.sh"
cd "$work" || exit 1
sample=$src/samples/201001-2022.json

# A data folder (layouts/ and fonts/fonts.json) whose catalog points at links to the fonts;
# `own` turns one link into a copy to damage (the Noto files are 19 to 27 MB each).
make_data() {
    local name=$1
    mkdir -p "$name/fonts" "$name/layouts"
    cp "$src"/layouts/*.json "$name/layouts/"
    python3 - "$src/fonts/fonts.json" "$name" <<'PY'
import json, os, sys
catalog = json.load(open(sys.argv[1]))
for entry in catalog.values():
    link = os.path.abspath(os.path.join(sys.argv[2], "fonts", os.path.basename(entry["path"])))
    if not os.path.lexists(link):
        os.symlink(entry["path"], link)
    entry["path"] = link
json.dump(catalog, open(os.path.join(sys.argv[2], "fonts", "fonts.json"), "w"), indent=2)
PY
}
own() {
    cp --remove-destination "$(readlink -f "$1")" "$1"
}
# table FILE FACE TAG: "OFFSET LENGTH" of a table of a face of a collection, read from its
# directory here, independently of the engine.
table() {
    python3 - "$@" <<'PY'
import struct, sys
path, face, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
data = open(path, "rb").read(1 << 16)
start = struct.unpack(">I", data[12 + 4 * face:16 + 4 * face])[0] if data[:4] == b"ttcf" else 0
count = struct.unpack(">H", data[start + 4:start + 6])[0]
for i in range(count):
    t, _, off, length = struct.unpack(">4sIII", data[start + 12 + 16 * i:start + 28 + 16 * i])
    if t == tag:
        print(off, length)
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

# The body face's outlines: one byte in the middle of the CFF table of face 2 (SC).
serif=NotoSerifCJK-Regular.ttc
read -r cff_at cff_len < <(table /usr/share/fonts/opentype/noto/$serif 2 "CFF ")
[ "${cff_len:-0}" -gt 1000000 ] && ok || bad "no CFF table found in $serif face 2"
make_data cff
own cff/fonts/$serif
flip cff/fonts/$serif $((cff_at + cff_len / 2))
expect "damaged CFF: render" 2 "$serif: error: the font file is damaged: its table \"CFF \" \\(bytes $cff_at to $((cff_at + cff_len))\\) does not match its checksum" -- \
    env BUDGETPRESS_DATA_DIR="$work/cff" "$bp" render "$sample" -o cff.pdf
[ ! -e cff.pdf ] && ok || bad "a PDF was written with a damaged font"
ls cff.pdf* .cff.pdf* 2>/dev/null | grep -q . && bad "a temporary was left" || ok
expect "damaged CFF: check" 2 'its table "CFF " .* does not match its checksum' -- \
    env BUDGETPRESS_DATA_DIR="$work/cff" "$bp" check "$sample"
mkdir -p region && cp "$sample" region/
expect "damaged CFF: batch cannot start" 2 'its table "CFF "' -- \
    env BUDGETPRESS_DATA_DIR="$work/cff" "$bp" batch region -o batch-out
[ ! -e batch-out/201001-2022.pdf ] && ok || bad "batch wrote a PDF with a damaged font"
expect "damaged CFF: --png draws nothing" 2 'its table "CFF "' -- \
    env BUDGETPRESS_DATA_DIR="$work/cff" "$bp" render "$sample" --png png-out
[ -z "$(ls png-out 2>/dev/null)" ] && ok || bad "pages were drawn with a damaged font"

read -r head_at head_len < <(table /usr/share/fonts/opentype/noto/$serif 2 head)
make_data head
own head/fonts/$serif
flip head/fonts/$serif $((head_at + 20))
expect "damaged head" 2 "its table \"head\" \\(bytes $head_at to $((head_at + head_len))\\) does not match" -- \
    env BUDGETPRESS_DATA_DIR="$work/head" "$bp" render "$sample" -o head.pdf

# The heading face (another file), its glyph names.
sans=NotoSansCJK-Regular.ttc
read -r post_at post_len < <(table /usr/share/fonts/opentype/noto/$sans 2 post)
make_data sans
own sans/fonts/$sans
flip sans/fonts/$sans $((post_at + post_len - 1))
expect "damaged Sans" 2 "$sans: error: the font file is damaged: its table \"post\"" -- \
    env BUDGETPRESS_DATA_DIR="$work/sans" "$bp" render "$sample" -o sans.pdf

make_data cut
own cut/fonts/$serif
truncate -s 20000000 cut/fonts/$serif
expect "cut short: the pin" 2 "$serif: error: not the pinned font file \\(20000000 bytes" -- \
    env BUDGETPRESS_DATA_DIR="$work/cut" "$bp" render "$sample" -o cut.pdf

finish

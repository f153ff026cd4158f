#!/usr/bin/env bash
# `budgetpress batch`: a region of synthetic units with a few broken ones gives the expected
# report and exit status; failures carry the very lines check and render print; --resume skips
# what is up to date; bad starts exit 2; a run stopped by SIGTERM or killed outright leaves only
# whole PDFs, and --resume finishes it.
# Usage: test_batch.sh BPGEN BUDGETPRESS SOURCE_DIR [quick]
#   quick: the region only (for the ThreadSanitizer build, where every unit is slow)
set -u
gen=$1
bp=$2
src=$3
mode=${4:-full}
source "$(dirname "$0")/../lib.sh"

# report.json as one line per unit: input status reason pages, and the totals line.
summary() {
    python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = r["totals"]
print("totals", t["units"], t["rendered"], t["skipped"], t["failed"], t["not_done"],
      "interrupted" if r["interrupted"] else "complete")
for u in r["units"]:
    print(u["input"].split("/")[-1], u["status"], u["reason"], u["pages"])
PY
}

# Every PDF in a folder is whole: pdfinfo reads it and its page count is the report's.
pdfs_whole() {
    local dir=$1 f pages want
    for f in "$dir"/*.pdf; do
        [ -e "$f" ] || continue
        pages=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
        want=$(python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))
print(next((u["pages"] for u in r["units"] if u["output"] == sys.argv[2]), "none"))' "$dir/report.json" "$f")
        if [ -z "$pages" ] || { [ "$want" != "None" ] && [ "$pages" != "$want" ]; }; then
            echo "$f: $pages pages, report says $want"
            return 1
        fi
    done
}

region=$work/region
"$gen" --count 9 --seed 3 -o "$region" >/dev/null || bad "bpgen --count failed"
"$gen" --seed 11 --defect syntax -o "$region/broken-syntax.json"
"$gen" --seed 12 --defect sum -o "$region/broken-sum.json"
"$gen" --seed 13 --defect glyph -o "$region/broken-glyph.json"

# ---- A region with three broken units ----
"$bp" batch "$region" -o "$work/out" -j 2 >"$work/stdout" 2>"$work/stderr"
status=$?
[ $status -eq 1 ] && ok || bad "region with broken units: exit $status, wanted 1"
summary "$work/out/report.json" >"$work/summary"
head -1 "$work/summary" | grep -qx "totals 12 9 0 3 0 complete" && ok ||
    bad "totals: $(head -1 "$work/summary")"
grep -qx "broken-syntax.json failed unreadable None" "$work/summary" && ok || bad "syntax unit: $(cat "$work/summary")"
grep -qx "broken-sum.json failed check errors None" "$work/summary" && ok || bad "sum unit: $(cat "$work/summary")"
grep -qx "broken-glyph.json failed typesetting failed None" "$work/summary" && ok || bad "glyph unit: $(cat "$work/summary")"
[ "$(grep -c ' rendered None None$' "$work/summary")" -eq 0 ] && [ "$(grep -c ' rendered ' "$work/summary")" -eq 9 ] &&
    ok || bad "rendered units without pages: $(cat "$work/summary")"
[ "$(ls "$work/out"/*.pdf | wc -l)" -eq 9 ] && ok || bad "wanted 9 PDFs: $(ls "$work/out")"
[ ! -e "$work/out/broken-sum.pdf" ] && [ ! -e "$work/out/broken-glyph.pdf" ] && ok || bad "a failed unit left a PDF"
[ -z "$(ls -A "$work/out" | grep '^\.')" ] && ok || bad "temporary files left: $(ls -A "$work/out")"
pdfs_whole "$work/out" && ok || bad "a PDF is not whole"

# A failure's messages are the lines check (or render) prints for the same file.
messages() {
    python3 - "$work/out/report.json" "$1" <<'PY'
import json, sys
for u in json.load(open(sys.argv[1]))["units"]:
    if u["input"].endswith("/" + sys.argv[2]):
        print("\n".join(u["messages"]))
PY
}
"$bp" check -q "$region/broken-sum.json" >"$work/check-sum" 2>&1
diff <(messages broken-sum.json) "$work/check-sum" >/dev/null && ok ||
    bad "sum unit: report messages differ from check: $(diff <(messages broken-sum.json) "$work/check-sum")"
grep -q "E-SUM" "$work/check-sum" && ok || bad "the sum defect gives no E-SUM: $(cat "$work/check-sum")"
"$bp" check -q "$region/broken-syntax.json" >"$work/check-syntax" 2>&1
diff <(messages broken-syntax.json) "$work/check-syntax" >/dev/null && ok || bad "syntax unit: report messages differ from check"
grep -qE "broken-syntax.json:[0-9]+:[0-9]+: error:" "$work/check-syntax" && ok || bad "syntax message has no line:column"
"$bp" render "$region/broken-glyph.json" -o "$work/glyph.pdf" 2>"$work/render-glyph" >/dev/null
diff <(messages broken-glyph.json) <(grep -v "not rendered" "$work/render-glyph") >/dev/null && ok ||
    bad "glyph unit: report messages differ from render: $(messages broken-glyph.json) vs $(cat "$work/render-glyph")"
grep -q "U+E000" "$work/render-glyph" && ok || bad "glyph message does not name U+E000"

# The summary on stdout, one progress line per unit on stderr (not a terminal), the HTML report.
grep -q "^batch: 12 units: 9 rendered, 0 skipped (up to date), 3 failed, 0 not done;" "$work/stdout" && ok ||
    bad "summary: $(cat "$work/stdout")"
[ "$(grep -c '^failed: ' "$work/stdout")" -eq 3 ] && ok || bad "summary lists $(grep -c '^failed: ' "$work/stdout") failures"
grep -q "^failed: .*broken-sum.json: check errors: .*E-SUM" "$work/stdout" && ok || bad "summary: sum failure without its message"
[ "$(grep -cE '^\[[0-9]+/12\] (ok|FAILED) ' "$work/stderr")" -eq 12 ] && ok || bad "progress lines: $(cat "$work/stderr")"
python3 - "$work/out/report.html" <<'PY' && ok || bad "report.html"
import html.parser, sys
text = open(sys.argv[1], encoding="utf-8").read()
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.rows = 0; self.links = 0
    def handle_starttag(self, tag, attrs):
        self.rows += tag == "tr"; self.links += tag == "a"
p = P(); p.feed(text)
assert p.links == 9, p.links                     # each rendered unit links to its PDF
assert p.rows == 2 + (1 + 3) + (1 + 12), p.rows   # totals, failed table, all units
assert "E-SUM" in text and "U+E000" in text and "broken-syntax.json:" in text
assert "<script" not in text and "http" not in text  # opens from disk, no server, no network
PY

# On a terminal (script(1) gives it one): a progress bar, and each failure named as it happens.
if command -v script >/dev/null; then
    script -qec "'$bp' batch '$region' -o '$work/out-tty' -j 2" /dev/null | tr '\r' '\n' >"$work/tty"
    grep -q '^\[#*\] 12/12 units, 3 failed' "$work/tty" && ok || bad "no progress bar on a terminal: $(cat "$work/tty")"
    [ "$(grep -c 'FAILED .*broken-' "$work/tty")" -eq 3 ] && ok || bad "terminal: failures not named"
    grep -qE '^\[[0-9]+/12\] ok' "$work/tty" && bad "terminal got the plain per-unit lines" || ok
fi

# A PDF of a batch is the PDF render writes for the same unit, byte for byte.
first=$(ls "$region" | head -1)
"$bp" render "$region/$first" -o "$work/single.pdf" >/dev/null 2>&1
cmp -s "$work/single.pdf" "$work/out/${first%.json}.pdf" && ok || bad "batch PDF differs from render's"

# All good: exit 0.
mkdir -p "$work/good" && cp "$region"/2*.json "$work/good/"
expect "clean region exits 0" 0 "^batch: 9 units: 9 rendered" -- "$bp" batch "$work/good" -o "$work/out-good"

[ "$mode" = quick ] && finish && exit

"$gen" --count 20 --seed 5 -o "$work/big-src" >/dev/null

# OUTDIR inside the input folder: its report.json is not taken for a unit on the next run.
mkdir -p "$work/inside" && cp "$region"/2*.json "$work/inside/"
"$bp" batch "$work/inside" -o "$work/inside/pdf" >/dev/null 2>&1
expect "OUTDIR inside the inputs is not searched" 0 "^batch: 9 units: 0 rendered, 9 skipped" \
    -- "$bp" batch "$work/inside" -o "$work/inside/pdf" --resume

# ---- --resume ----
expect "resume skips what is up to date" 1 "^batch: 12 units: 0 rendered, 9 skipped \(up to date\), 3 failed" \
    -- "$bp" batch "$region" -o "$work/out" --resume
touch "$region/$first"
expect "resume: a touched but unchanged input stays skipped" 1 "^batch: 12 units: 0 rendered, 9 skipped" \
    -- "$bp" batch "$region" -o "$work/out" --resume
printf '\n' >>"$region/$first"
expect "resume renders a changed input" 1 "^batch: 12 units: 1 rendered, 8 skipped" \
    -- "$bp" batch "$region" -o "$work/out" --resume
# Only a whole budgetpress PDF of this input and layout counts, whatever its date.
second=$(ls "$region" | grep '^2' | sed -n 2p)
third=$(ls "$region" | grep '^2' | sed -n 3p)
fourth=$(ls "$region" | grep '^2' | sed -n 4p)
printf 'garbage!' >"$work/out/${second%.json}.pdf"
head -c 20000 "$work/single.pdf" >"$work/out/${third%.json}.pdf"
cp "$work/single.pdf" "$work/out/${fourth%.json}.pdf" # another unit's PDF
touch -d '+1 hour' "$work/out/${second%.json}.pdf" "$work/out/${third%.json}.pdf" "$work/out/${fourth%.json}.pdf"
expect "resume: garbage, cut-short and foreign PDFs are rendered again" 1 "^batch: 12 units: 3 rendered, 6 skipped" \
    -- "$bp" batch "$region" -o "$work/out" --resume
pdfs_whole "$work/out" && ok || bad "a PDF is not whole after resume"
cp "$src/layouts/unit-2022.json" "$work/layout-copy.json"
sed -i 's/"cell_size": 10/"cell_size": 9.5/' "$work/layout-copy.json"
expect "resume: another layout renders everything again" 1 "^batch: 12 units: 9 rendered, 0 skipped" \
    -- "$bp" batch "$region" -o "$work/out" --resume --layout "$work/layout-copy.json"

# ---- OUTDIR is the input folder: every run works, the report is never a unit ----
mkdir -p "$work/same" && cp "$region"/2*.json "$work/same/"
for run in 1 2 3; do
    expect "OUTDIR = input folder, run $run" 0 "^batch: 9 units: 9 rendered, 0 skipped \(up to date\), 0 failed" \
        -- "$bp" batch "$work/same" -o "$work/same"
done
expect "OUTDIR = input folder, resume" 0 "^batch: 9 units: 0 rendered, 9 skipped" \
    -- "$bp" batch "$work/same" -o "$work/same" --resume
# A unit that is named report.json in OUTDIR would be overwritten by the report: refused.
mkdir -p "$work/named" && cp "$region/$first" "$work/named/report.json"
expect "a unit named report.json in OUTDIR" 2 "the report .*report.json is the unit .*report.json" \
    -- "$bp" batch "$work/named" -o "$work/named"
cmp -s "$work/named/report.json" "$region/$first" && ok || bad "the unit named report.json was overwritten"

# ---- File names that are not UTF-8 (GBK, from a Windows archive) are named in every report ----
mkdir -p "$work/gbk"
cp "$region/$first" "$work/gbk/$(printf '\xb2\xc6\xd5\xfe').json" # 财政 in GBK
cp "$region/$first" "$work/gbk/plain.json"
printf '{' >"$work/gbk/$(printf 'bad\xff').json"
"$bp" batch "$work/gbk" -o "$work/gbk-out" >/dev/null 2>&1
python3 - "$work/gbk-out/report.json" <<'PY' && ok || bad "report.json loses or garbles names that are not UTF-8"
import json, sys
r = json.load(open(sys.argv[1]))
names = sorted(u["input"].split("/")[-1] for u in r["units"])
assert r["totals"]["units"] == len(r["units"]) == 3, r["totals"]
assert names == ["\\xB2\\xC6\\xD5\\xFE.json", "bad\\xFF.json", "plain.json"], names
bad = next(u for u in r["units"] if u["input"].endswith("bad\\xFF.json"))
assert bad["status"] == "failed" and "bad\\xFF.json" in bad["messages"][0], bad
PY
grep -q 'href="%B2%C6%D5%FE.pdf"' "$work/gbk-out/report.html" && ok || bad "report.html: no link to the GBK-named PDF"
python3 -c 'import sys; open(sys.argv[1], encoding="utf-8").read()' "$work/gbk-out/report.html" && ok ||
    bad "report.html is not UTF-8"
"$bp" check --json "$work/gbk"/*.json >"$work/gbk-check.json" 2>/dev/null
python3 - "$work/gbk-check.json" <<'PY' && ok || bad "check --json loses names that are not UTF-8"
import json, sys
d = json.load(open(sys.argv[1]))
files = sorted(u["file"].split("/")[-1] for u in d["units"])
assert files == ["\\xB2\\xC6\\xD5\\xFE.json", "bad\\xFF.json", "plain.json"], files
assert all(f["file"].endswith("bad\\xFF.json") for u in d["units"] for f in u["findings"]
           if "bad" in u["file"]), d
PY

# ---- One run per OUTDIR: a second is refused and names the first ----
mkdir -p "$work/locked"
(
    exec 9>"$work/locked/.budgetpress.lock"
    flock 9
    printf 'pid 4242, started 2026-12-02 09:00:00: budgetpress batch region -o locked\n' >&9
    exec sleep 30
) </dev/null >/dev/null 2>&1 &
holder=$!
for _ in $(seq 1 100); do [ -s "$work/locked/.budgetpress.lock" ] && break; sleep 0.01; done
expect "a second run into a locked OUTDIR" 2 "another batch run is writing to .*locked \(pid 4242, started 2026-12-02 09:00:00" \
    -- "$bp" batch "$region/$first" -o "$work/locked"
[ ! -e "$work/locked/${first%.json}.pdf" ] && [ ! -e "$work/locked/report.json" ] && ok ||
    bad "the refused run wrote into the locked folder"
: >"$work/locked/.budgetpress-L1ve02"
kill $holder
wait $holder 2>/dev/null
expect "the lock of a dead run is taken" 0 "^batch: 1 unit: 1 rendered" -- "$bp" batch "$region/$first" -o "$work/locked"
[ ! -e "$work/locked/.budgetpress.lock" ] && ok || bad "the lock file was left"
[ ! -e "$work/locked/.budgetpress-L1ve02" ] && ok || bad "a dead run's temporary was left"
# Two real runs at once: exactly one renders, the other is refused.
"$bp" batch "$work/big-src" -o "$work/race" -j 1 >"$work/race1.out" 2>&1 &
first_run=$!
for _ in $(seq 1 300); do [ -e "$work/race/.budgetpress.lock" ] && break; sleep 0.01; done
"$bp" batch "$work/big-src" -o "$work/race" -j 1 >"$work/race2.out" 2>&1
second_status=$?
wait $first_run
first_status=$?
[ $((first_status + second_status)) -eq 2 ] && [ $((first_status * second_status)) -eq 0 ] &&
    grep -q "another batch run is writing to" "$work/race1.out" "$work/race2.out" &&
    ok || bad "two runs at once: exit $first_status and $second_status: $(cat "$work/race2.out")"
[ "$(ls "$work/race" | grep -c '\.pdf$')" -eq 20 ] && ok || bad "the first run lost units to the second"

# ---- Inputs: a list file, folders, single files ----
printf '# the region, less one\n\n%s\n../region/broken-sum.json\n' "$(ls "$region"/2*.json | head -2 | tail -1)" >"$work/list.txt"
mkdir -p "$work/lists" && mv "$work/list.txt" "$work/lists/list.txt"
expect "list file, comments and relative paths" 1 "^batch: 2 units: 1 rendered, 0 skipped \(up to date\), 1 failed" \
    -- "$bp" batch "$work/lists/list.txt" -o "$work/out-list"

# A file that is no list (a PDF) is named as such, never read line by line as paths.
cp "$work/single.pdf" "$work/lists/old.pdf"
printf '%s\nold.pdf\n' "$(ls "$region"/2*.json | head -1)" >"$work/lists/with-pdf.txt"
expect "a PDF named in a list" 2 "old.pdf is neither a unit \(\*.json\) nor a list of units" -- \
    "$bp" batch "$work/lists/with-pdf.txt" -o "$work/out-pdf-list"
"$bp" batch "$work/lists/with-pdf.txt" -o "$work/out-pdf-list" 2>&1 | grep -q '%PDF' &&
    bad "a PDF's first line was echoed as a path" || ok
expect "a PDF as input" 2 "old.pdf is neither a unit" -- "$bp" batch "$work/lists/old.pdf" -o "$work/out-pdf"

# ---- A report that cannot be written is not announced ----
mkdir -p "$work/out-noreport/report.json"
"$bp" batch "$region/$first" -o "$work/out-noreport" >"$work/noreport.out" 2>"$work/noreport.err"
status=$?
[ $status -eq 1 ] && grep -q "^report: .*out-noreport/report.html (the other could not be written)$" "$work/noreport.out" &&
    grep -q "report.json: error: is a folder" "$work/noreport.err" && ok ||
    bad "unwritable report.json: exit $status: $(cat "$work/noreport.out" "$work/noreport.err")"

# ---- Runs that cannot start: exit 2, nothing written ----
expect "no output folder" 2 "no output folder given" -- "$bp" batch "$region"
expect "no input" 2 "no input given" -- "$bp" batch -o "$work/x"
expect "missing input" 2 "cannot read .*nowhere" -- "$bp" batch "$work/nowhere" -o "$work/x"
mkdir -p "$work/empty"
expect "no units" 2 "no unit files" -- "$bp" batch "$work/empty" -o "$work/x"
mkdir -p "$work/twin" && cp "$region/$first" "$work/twin/"
expect "two units, one PDF name" 2 "would both be written to" -- "$bp" batch "$region" "$work/twin" -o "$work/x"
expect "bad -j" 2 "-j wants a number" -- "$bp" batch "$region" -o "$work/x" -j 0
expect "unreadable layout" 2 "nolayout.json" -- "$bp" batch "$region" -o "$work/x" --layout "$work/nolayout.json"
[ ! -e "$work/x/report.json" ] && ok || bad "a run that could not start wrote a report"

# ---- Interrupted: SIGTERM halfway, then --resume ----
"$gen" --count 150 --seed 7 -o "$work/big" >/dev/null
"$bp" batch "$work/big" -o "$work/out-big" -j 2 >"$work/big.stdout" 2>"$work/big.stderr" &
pid=$!
for _ in $(seq 1 200); do
    [ "$(ls "$work/out-big" 2>/dev/null | grep -c '\.pdf$')" -ge 20 ] && break
    sleep 0.05
done
kill -TERM $pid
wait $pid
status=$?
[ $status -eq 1 ] && ok || bad "interrupted batch: exit $status, wanted 1"
summary "$work/out-big/report.json" >"$work/big.summary"
read -r _ units rendered skipped n_failed not_done state <"$work/big.summary"
[ "$state" = interrupted ] && [ "$units" -eq 150 ] && [ "$not_done" -gt 0 ] &&
    [ $((rendered + not_done)) -eq 150 ] && ok || bad "interrupted report: $(head -1 "$work/big.summary")"
[ "$(ls "$work/out-big" | grep -c '\.pdf$')" -eq "$rendered" ] && ok ||
    bad "$(ls "$work/out-big" | grep -c '\.pdf$') PDFs, report says $rendered rendered"
[ -z "$(ls -A "$work/out-big" | grep '^\.')" ] && ok || bad "temporary files left after SIGTERM"
pdfs_whole "$work/out-big" && ok || bad "a PDF is not whole after SIGTERM"
grep -q "^interrupted: $not_done units not done" "$work/big.stdout" && ok || bad "summary: $(cat "$work/big.stdout")"
grep -c '"status": "not done"' "$work/out-big/report.json" | grep -qx "$not_done" && ok || bad "report does not list the units not done"
expect "resume finishes an interrupted run" 0 "^batch: 150 units: $not_done rendered, $rendered skipped" \
    -- "$bp" batch "$work/big" -o "$work/out-big" --resume -j 2

# ---- Killed outright (SIGKILL): no partial PDF, and the next run cleans up ----
rm -rf "$work/out-big"
"$bp" batch "$work/big" -o "$work/out-big" -j 2 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 200); do
    [ "$(ls "$work/out-big" 2>/dev/null | grep -c '\.pdf$')" -ge 30 ] && break
    sleep 0.05
done
kill -KILL $pid
wait $pid 2>/dev/null
whole=yes
for f in "$work/out-big"/*.pdf; do
    qpdf --check "$f" >/dev/null 2>&1 || { whole="no: $f"; break; }
done
[ "$whole" = yes ] && ok || bad "a PDF is not whole after SIGKILL ($whole)"
expect "resume after SIGKILL" 0 "^batch: 150 units: " -- "$bp" batch "$work/big" -o "$work/out-big" --resume -j 2
[ -z "$(ls -A "$work/out-big" | grep '^\.')" ] && ok || bad "temporaries of the killed run left: $(ls -A "$work/out-big" | grep '^\.')"
[ "$(ls "$work/out-big" | grep -c '\.pdf$')" -eq 150 ] && ok || bad "not all 150 PDFs after resume"

finish

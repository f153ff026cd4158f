#!/usr/bin/env bash
# compare's speed and memory against the issue's goals:
#   two renderings of the sample with no change        <= 50 ms
#   one changed amount, pictures included (-o)          <= 1 s
#   two batch folders of 300 units, 10 changed          <= 30 s on 2 cores, memory flat
# The folders are made once (bpgen, then batch); the memory figure is the peak RSS of the
# whole compare process over 100 and over 300 units (GNU time), which should not grow with them.
# Usage: bench_compare.sh BUILD_DIR WORK_DIR
set -euo pipefail
build=$(realpath "$1")
work=$(realpath "$2")
bp="$build/src/budgetpress"
bpgen="$build/tools/bpgen"
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"
cd "$work"

"$bp" render "$src/samples/201001-2022.json" -o same-a.pdf >/dev/null 2>&1
"$bp" render "$src/samples/201001-2022.json" -o same-b.pdf >/dev/null 2>&1
python3 - "$src/samples/201001-2022.json" <<'PY'
import json, sys
u = json.load(open(sys.argv[1], encoding="utf-8"))
row = next(r for r in u["tables"]["expense_summary"]["rows"] if r["code"] == "2080505")
row["amounts"]["total"] = "47.71"
json.dump(u, open("amount.json", "w", encoding="utf-8"), ensure_ascii=False)
PY
"$bp" render amount.json -o amount.pdf --force >/dev/null 2>&1

# Two folders of N units, 10 of them changed (an amount each), made once.
make_folders() {
    local n=$1
    [ -f "old-$n/.done" ] && return
    rm -rf "units-$n" "units-$n-changed" "old-$n" "new-$n"
    "$bpgen" --count "$n" --seed 5 -o "units-$n" >/dev/null
    cp -r "units-$n" "units-$n-changed"
    python3 - "units-$n-changed" <<'PY'
import json, os, sys
d = sys.argv[1]
names = sorted(n for n in os.listdir(d) if n.endswith(".json"))
for name in names[:: max(1, len(names) // 10)][:10]:
    u = json.load(open(os.path.join(d, name), encoding="utf-8"))
    r = u["tables"]["expense_summary"]["rows"][-1]
    r["amounts"]["total"] = "%.2f" % (float(r["amounts"]["total"]) + 1)
    json.dump(u, open(os.path.join(d, name), "w", encoding="utf-8"), ensure_ascii=False)
PY
    "$bp" batch "units-$n" -o "old-$n" >/dev/null 2>&1 || true
    "$bp" batch "units-$n-changed" -o "new-$n" --force >/dev/null 2>&1 || true
    touch "old-$n/.done"
}
make_folders 100
make_folders 300

echo "== compare (hyperfine, whole processes)"
hyperfine -N --warmup 3 --runs 30 --export-json no-change.json \
    "$bp compare same-a.pdf same-b.pdf" 2>/dev/null | grep -E "Time|Range"
hyperfine -N -i --warmup 1 --runs 10 --export-json amount.json.times \
    "$bp compare same-a.pdf amount.pdf -o report-amount" 2>/dev/null | grep -E "Time|Range"
hyperfine -N -i --warmup 1 --runs 3 --export-json folders.json \
    "$bp compare old-300 new-300 -o report-300" 2>/dev/null | grep -E "Time|Range"

echo "== peak memory of compare over two folders (GNU time, kB)"
for n in 100 300; do
    /usr/bin/time -f "$n units: %M kB, %e s" "$bp" compare "old-$n" "new-$n" -o "report-$n" \
        >/dev/null 2>time.txt || true
    tail -1 time.txt
done
echo "== sizes: the sample's PDF and its record"
python3 - same-a.pdf <<'PY'
import re, subprocess, sys, zlib
pdf = open(sys.argv[1], "rb").read()
obj = re.search(rb"/Private (\d+) 0 R", pdf).group(1).decode()
raw = subprocess.run(["qpdf", "--show-object=" + obj, "--raw-stream-data", sys.argv[1]],
                     capture_output=True).stdout
print(f"PDF {len(pdf):,} bytes; record {len(raw):,} bytes deflated in it")
PY

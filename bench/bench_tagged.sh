#!/usr/bin/env bash
# The tagged PDF's cost: the sample (W1) and a unit whose 支出总表 has 5,000 rows, each rendered
# tagged (the default) and with --untagged by the same build, the two alternating run by run so
# that the machine's drift falls on both alike; the medians, then both files' sizes and the
# tagged one's growth in per cent.
# Usage: bench_tagged.sh BUILD_DIR WORK_DIR [RUNS]   (RUNS per variant, default 40)
set -euo pipefail
build=$1
work=$2
runs=${3:-40}
bp="$build/src/budgetpress"
[ -f "$work/rows-5000.json" ] || "$build/tools/bpgen" --seed 1 --rows 5000 -o "$work/rows-5000.json"

# The median of the numbers on standard input.
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# Milliseconds a command takes, as a whole process.
ms() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    echo $(((end - start) / 1000))
}

for unit in samples/201001-2022.json "$work/rows-5000.json"; do
    name=$(basename "$unit" .json)
    n=$runs
    [ "$name" = rows-5000 ] && n=$((runs / 4 > 5 ? runs / 4 : 5))
    : >"$work/tagged.times"
    : >"$work/untagged.times"
    for ((i = 0; i < n; i++)); do
        ms "$bp" render "$unit" -o "$work/$name-tagged.pdf" >>"$work/tagged.times"
        ms "$bp" render "$unit" -o "$work/$name-untagged.pdf" --untagged >>"$work/untagged.times"
    done
    t=$(median <"$work/tagged.times")
    u=$(median <"$work/untagged.times")
    ts=$(stat -c %s "$work/$name-tagged.pdf")
    us=$(stat -c %s "$work/$name-untagged.pdf")
    awk -v n="$name" -v runs="$n" -v t="$t" -v u="$u" -v ts="$ts" -v us="$us" 'BEGIN {
        printf "%s (%d runs each, alternating): tagged %.1f ms, untagged %.1f ms: %+.1f%%; ", n, runs, t / 1000, u / 1000, 100 * (t - u) / u
        printf "tagged %d bytes, untagged %d bytes: %+.1f%%\n", ts, us, 100 * (ts - us) / us }'
done

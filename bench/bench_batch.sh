#!/usr/bin/env bash
# The batch benchmark: 1,000 synthetic units (the nine tables, the narrative and 20 绩效目标表
# each, from bpgen) rendered by one `budgetpress batch` process with -j 1 and -j 2, and a
# 10-unit batch for the memory comparison. Prints wall time, units per second, the scaling from
# -j 1 to -j 2, and peak resident memory (GNU time), then checks the goals: at most 15 s with
# -j 2, and peak memory at most 1.5 times that of the 10-unit batch.
# Usage: bench/bench_batch.sh BUILD_DIR [UNITS]   (scripts/bench.sh runs it on build/release)
set -euo pipefail
build=$1
units=${2:-1000}
bp=$build/src/budgetpress
gen=$build/tools/bpgen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$gen" --count "$units" --seed 1 -o "$work/region" >/dev/null
mkdir "$work/ten"
cp $(ls "$work"/region/*.json | head -10) "$work/ten/"

calc() { awk "BEGIN { print $1 }"; }

# run NAME DIR JOBS: one batch into a fresh folder; prints and remembers seconds and peak KB.
run() {
    local name=$1 dir=$2 jobs=$3
    rm -rf "$work/out"
    /usr/bin/time -f "%e %M" -o "$work/time" "$bp" batch "$dir" -o "$work/out" -j "$jobs" \
        >"$work/stdout" 2>/dev/null
    read -r seconds kb <"$work/time"
    local n
    n=$(ls "$work/out" | grep -c '\.pdf$')
    printf '%-24s %5d units  %7.2f s  %7.1f units/s  %7d KB peak\n' "$name" "$n" "$seconds" \
        "$(calc "$n / $seconds")" "$kb"
    eval "${name//[^a-z0-9]/_}_s=$seconds ${name//[^a-z0-9]/_}_kb=$kb"
}

run "ten -j 2" "$work/ten" 2
run "region -j 1" "$work/region" 1
run "region -j 2" "$work/region" 2
echo "scaling -j 1 -> -j 2: $(calc "int(100 * $region__j_1_s / $region__j_2_s) / 100")x"
echo "memory, $units units vs 10: $(calc "int(100 * $region__j_2_kb / $ten__j_2_kb) / 100")x"
ok=yes
if [ "$units" -eq 1000 ] && [ "$(calc "($region__j_2_s > 15) ? 1 : 0")" -eq 1 ]; then
    echo "GOAL MISSED: 1,000 units took $region__j_2_s s with -j 2 (goal: 15 s)"
    ok=no
fi
if [ "$(calc "($region__j_2_kb > 1.5 * $ten__j_2_kb) ? 1 : 0")" -eq 1 ]; then
    echo "GOAL MISSED: peak memory $region__j_2_kb KB is over 1.5 x the 10-unit batch's $ten__j_2_kb KB"
    ok=no
fi
if [ "$ok" = yes ] && [ "$units" -eq 1000 ]; then
    echo "goals met: <= 15 s for 1,000 units with -j 2, memory flat in the number of units"
elif [ "$ok" = yes ]; then
    echo "memory goal met (the time goal is for 1,000 units)"
fi
[ "$ok" = yes ]

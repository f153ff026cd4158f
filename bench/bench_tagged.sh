#!/usr/bin/env bash
# The tagged PDF's cost: the sample (W1) and a unit whose 支出总表 has 5,000 rows, each rendered
# tagged (the default) and with --untagged by the same build in the same run, with hyperfine;
# then the sizes of both files and the tagged one's growth in per cent.
# Usage: bench_tagged.sh BUILD_DIR WORK_DIR   (WORK_DIR holds rows-5000.json from bpgen)
set -euo pipefail
build=$1
work=$2
bp="$build/src/budgetpress"
[ -f "$work/rows-5000.json" ] || "$build/tools/bpgen" --seed 1 --rows 5000 -o "$work/rows-5000.json"
for unit in samples/201001-2022.json "$work/rows-5000.json"; do
    name=$(basename "$unit" .json)
    runs=30
    [ "$name" = rows-5000 ] && runs=10
    if command -v hyperfine >/dev/null; then
        hyperfine -N --warmup 2 --runs "$runs" \
            "$bp render $unit -o $work/$name-tagged.pdf" \
            "$bp render $unit -o $work/$name-untagged.pdf --untagged"
    else
        "$bp" render "$unit" -o "$work/$name-tagged.pdf" >/dev/null
        "$bp" render "$unit" -o "$work/$name-untagged.pdf" --untagged >/dev/null
    fi
    tagged=$(stat -c %s "$work/$name-tagged.pdf")
    untagged=$(stat -c %s "$work/$name-untagged.pdf")
    awk -v n="$name" -v t="$tagged" -v u="$untagged" \
        'BEGIN { printf "%s: tagged %d bytes, untagged %d bytes: +%.1f%%\n", n, t, u, 100 * (t - u) / u }'
done

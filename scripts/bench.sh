#!/usr/bin/env bash
# Runs the benchmarks on a release build and prints the figures quoted in the README.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBP_ASSERTS=OFF -DBP_TESTS=OFF >/dev/null
cmake --build build/bench -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gen=build/bench/tools/bpgen
"$gen" --seed 1 --rows 5000 -o "$work/rows-5000.json"
"$gen" --seed 1 --rows 50000 -o "$work/rows-50000.json"
echo "== loading and checking a unit (in-process, median of 20)"
(cd "$work" && "$OLDPWD/build/bench/bench/bench_load" -n 20 \
    "$OLDPWD/samples/201001-2022.json" rows-5000.json rows-50000.json)
echo "== the text engine: font loading, shaping, line breaking (median of 30)"
build/bench/bench/bench_text -n 30 samples/201001-2022.json
echo "== the PDF backend: writing pages of Chinese text"
build/bench/bench/bench_pdf
if command -v hyperfine >/dev/null; then
    echo "== whole processes (hyperfine)"
    hyperfine -N --warmup 3 --runs 30 \
        "build/bench/src/budgetpress check -q samples/201001-2022.json" \
        "build/bench/src/budgetpress render samples/201001-2022.json -o $work/unit.pdf"
fi
echo "== peak memory of one render (GNU time)"
/usr/bin/time -f "sample: %M KB peak resident, %e s" \
    build/bench/src/budgetpress render samples/201001-2022.json -o "$work/unit.pdf" >/dev/null
echo "== long tables: a unit whose 支出总表 has 5,000 and 50,000 rows, rendered end to end"
for rows in 5000 50000; do
    /usr/bin/time -f "$rows rows: %M KB peak resident, %e s" \
        build/bench/src/budgetpress render "$work/rows-$rows.json" -o "$work/rows-$rows.pdf"
done
if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 2 --runs 10 \
        "build/bench/src/budgetpress render $work/rows-5000.json -o $work/r5.pdf" \
        "build/bench/src/budgetpress render $work/rows-50000.json -o $work/r50.pdf"
fi
echo "== the tagged PDF against the untagged one, same build (time and size)"
bench/bench_tagged.sh build/bench "$work"
echo "== the PNG backend: every page of the sample at 96 dpi"
if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 2 --runs 15 \
        "build/bench/src/budgetpress render samples/201001-2022.json --png $work/png" \
        "build/bench/src/budgetpress render samples/201001-2022.json --png $work/png --pages 7"
fi
echo "== compare: no change, one amount with pictures, two folders of 300 units (10 changed)"
bench/bench_compare.sh build/bench "$work/compare"
echo "== import: a workbook of 5,000 rows; 300 workbooks imported and rendered"
bench/bench_import.sh build/bench
echo "== batch: 1,000 units with -j 1 and -j 2, and 10 units (memory)"
bench/bench_batch.sh build/bench 1000

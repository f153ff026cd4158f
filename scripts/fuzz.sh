#!/usr/bin/env bash
# Builds the loader's libFuzzer target with clang (ASan + UBSan) and runs it, by default for a
# million executions, starting from the seeds in fuzz/seeds, the sample and the test units.
# Crashes land in build/fuzz/crashes/; copy each into tests/data/fuzz/ as a regression case.
# Usage: scripts/fuzz.sh [RUNS] [extra libFuzzer flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
shift || true
CC=clang cmake -S . -B build/fuzz -DBP_FUZZ=ON -DBP_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/fuzz -j "$(nproc 2>/dev/null || echo 2)" --target fuzz_load >/dev/null
work=build/fuzz/corpus
mkdir -p "$work" build/fuzz/crashes
cp fuzz/seeds/* tests/data/minimal-unit.json samples/*.json "$work"/
[ -d tests/data/fuzz ] && cp tests/data/fuzz/* "$work"/ 2>/dev/null || true
ASAN_OPTIONS=detect_leaks=1 ./build/fuzz/fuzz/fuzz_load "$work" -dict=fuzz/unit.dict \
    -runs="$runs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix=build/fuzz/crashes/ "$@"

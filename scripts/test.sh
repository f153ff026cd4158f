#!/usr/bin/env bash
# Builds budgetpress twice, plainly and with AddressSanitizer + UndefinedBehaviorSanitizer, with
# assert() kept in both (BP_ASSERTS), and
# runs the whole test suite (ctest: the cmocka suites and the command-line, schema, generator
# and batch tests) in both builds; then a third time with ThreadSanitizer for the suites that
# run threads (batch, PDF pages and structure trees on several threads, page images on several
# threads, shaping and references from 4 threads, compare over two folders on its workers).
# Installs missing Debian packages first.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh --test

jobs=$(nproc 2>/dev/null || echo 2)
run_suite() {
    local dir=$1
    shift
    echo "== $dir: configure and build"
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBP_TESTS=ON -DBP_ASSERTS=ON "$@" \
        >"$dir.configure.log" 2>&1 ||
        { cat "$dir.configure.log"; return 1; }
    cmake --build "$dir" -j "$jobs" 2>&1 | grep -vE '^\[ *[0-9]+%\]' || true
    [ "${PIPESTATUS[0]}" -eq 0 ] || return 1
    echo "== $dir: test"
    (cd "$dir" && ctest --output-on-failure -j "$jobs" ${BP_CTEST_FILTER:+-R "$BP_CTEST_FILTER"})
}

mkdir -p build
run_suite build/release
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite build/sanitize -DBP_SANITIZE=ON
TSAN_OPTIONS=halt_on_error=1 BP_CTEST_FILTER='^(batch|test_pdf|test_shape|test_refs|tagged|png|compare_region)$' \
    run_suite build/tsan -DBP_TSAN=ON
echo "== all tests passed in the three builds"

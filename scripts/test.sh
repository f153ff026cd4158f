#!/usr/bin/env bash
# Builds budgetpress twice, plainly and with AddressSanitizer + UndefinedBehaviorSanitizer, and
# runs the whole test suite (ctest: the cmocka suites and the command-line, schema and generator
# tests) in both builds. Installs missing Debian packages first.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
run_suite() {
    local dir=$1
    shift
    echo "== $dir: configure and build"
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBP_TESTS=ON "$@" >"$dir.configure.log" 2>&1 ||
        { cat "$dir.configure.log"; return 1; }
    cmake --build "$dir" -j "$jobs" 2>&1 | grep -vE '^\[ *[0-9]+%\]' || true
    [ "${PIPESTATUS[0]}" -eq 0 ] || return 1
    echo "== $dir: test"
    (cd "$dir" && ctest --output-on-failure -j "$jobs")
}

mkdir -p build
run_suite build/release
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite build/sanitize -DBP_SANITIZE=ON
echo "== all tests passed in both builds"

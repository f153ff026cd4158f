#!/usr/bin/env bash
# Rewrites the golden display-list dumps (tests/golden/) from the current code. Run after a
# deliberate layout change, then review `git diff tests/golden` before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build/release -DBP_TESTS=ON >/dev/null
cmake --build build/release -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
(cd build/release && BP_UPDATE_GOLDEN=1 ctest -R 'test_typeset' --output-on-failure >/dev/null)
git status --short tests/golden

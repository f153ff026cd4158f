#!/usr/bin/env bash
# The first thing to run on a fresh Debian 12 machine: installs what is missing, builds
# budgetpress and runs it on the sample unit.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBP_TESTS=OFF >/dev/null
cmake --build build/release -j "$(nproc 2>/dev/null || echo 2)" --target budgetpress >/dev/null
bp=build/release/src/budgetpress
echo "Built $bp"
# Rendering is not built yet: load and check the sample unit.
"$bp" check samples/201001-2022.json

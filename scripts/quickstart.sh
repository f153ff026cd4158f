#!/usr/bin/env bash
# The first thing to run on a fresh Debian 12 machine: installs what is missing, builds
# budgetpress and renders the sample unit to a PDF, printing where it went.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/release -j "$(nproc 2>/dev/null || echo 2)" --target budgetpress >/dev/null
mkdir -p out
build/release/src/budgetpress render samples/201001-2022.json -o out/201001-2022.pdf
echo "PDF: $(pwd)/out/201001-2022.pdf"

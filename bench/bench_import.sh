#!/usr/bin/env bash
# The import benchmark: a department workbook of 5,000 rows (26 类 × 7 款 × 8 项 in each of its
# three function tables, and the other six tables) imported by one process, in-process stage by
# stage (bench_import) and whole (hyperfine); then a region of 300 workbooks through `import`
# (two at a time) and `batch -j 2` in one script, timed whole. Checks the goals: the 5,000-row
# workbook in at most 100 ms, the 300 workbooks imported and rendered in at most 15 s.
# The workbooks are synthetic (bench/make_books.py), laid out as the 上海 2026 template.
# Usage: bench/bench_import.sh BUILD_DIR   (scripts/bench.sh runs it on build/bench)
set -euo pipefail
build=$1
src=$(cd "$(dirname "$0")/.." && pwd)
bp=$build/src/budgetpress
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
profile=$src/profiles/shanghai-2026-department.json
base=$src/samples/putuo-finance-2025-budget.json

calc() { awk "BEGIN { print $1 }"; }

python3 "$src/bench/make_books.py" "$work/big" 1 1 26 7 8
python3 "$src/bench/make_books.py" "$work/region" 300 2
big=$work/big/book-000.xlsx
echo "== a workbook of 5,000 rows, stage by stage (in-process, median of 20)"
"$build/bench/bench_import" -n 20 "$big" "$profile" "$src/layouts/shanghai-2025-budget.json" "$base"
echo "== the same, whole process (hyperfine)"
hyperfine -N --warmup 3 --runs 30 --export-json "$work/big.json" \
    "$bp import $big --profile $profile --base $base -o $work/big.unit.json -q"
mean_ms=$(python3 -c "import json,sys; print(round(1000 * json.load(open(sys.argv[1]))['results'][0]['mean'], 1))" "$work/big.json")

echo "== a region: 300 workbooks imported (2 at a time) and rendered (batch -j 2)"
mkdir "$work/units"
start=$(date +%s.%N)
ls "$work/region"/*.xlsx | xargs -P 2 -I{} sh -c \
    'b=$(basename "$1" .xlsx); "$2" import "$1" --profile "$3" --base "$4" -o "$5/$b.json" -q >/dev/null 2>&1' \
    _ {} "$bp" "$profile" "$base" "$work/units"
imported=$(date +%s.%N)
"$bp" batch "$work/units" -o "$work/out" -j 2 >/dev/null 2>&1
done_at=$(date +%s.%N)
units=$(ls "$work/units" | grep -c '\.json$')
pdfs=$(ls "$work/out" | grep -c '\.pdf$')
import_s=$(calc "$imported - $start")
total_s=$(calc "$done_at - $start")
printf '%d workbooks imported in %.2f s, %d PDFs rendered; %.2f s in all\n' "$units" "$import_s" "$pdfs" "$total_s"

ok=yes
if [ "$(calc "($mean_ms > 100) ? 1 : 0")" -eq 1 ]; then
    echo "GOAL MISSED: the 5,000-row workbook took $mean_ms ms (goal: 100 ms)"
    ok=no
fi
if [ "$pdfs" -ne 300 ] || [ "$(calc "($total_s > 15) ? 1 : 0")" -eq 1 ]; then
    echo "GOAL MISSED: 300 workbooks to $pdfs PDFs took $total_s s (goal: 300 in 15 s)"
    ok=no
fi
[ "$ok" = yes ] && echo "goals met: 5,000 rows in $mean_ms ms (<= 100), 300 workbooks in $total_s s (<= 15)"
[ "$ok" = yes ]

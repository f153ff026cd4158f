#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, undefined behaviour fatal) and runs each
# for RUNS executions (a million by default), inputs up to the size of the samples:
#   load    the unit loader and the checks                 seeds: fuzz/seeds, the units
#   layout  layout files, each typeset with a small unit   seeds: layouts/
#   render  a unit's bytes to a PDF: load, check, typeset, write
#   record  the record compare reads from a PDF, then compared   seeds: records of rendered units
#   xlsx    the workbook readers                           seeds: openpyxl, xlwt, the templates
#   import  a workbook read under the 上海 profile           seeds: the template, filled
#   profile a profile used on the 上海 template              seeds: profiles/
# Crashes, leaks, timeouts and undefined behaviour land in build/fuzz/crashes-TARGET/; once
# fixed, copy each into tests/data/fuzz-TARGET/ (tests/data/fuzz/ for load), where
# test_fuzz_regressions runs it again in every test run.
# Usage: scripts/fuzz.sh [RUNS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(load layout render record xlsx import profile)
CC=clang cmake -S . -B build/fuzz -DBP_FUZZ=ON -DBP_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/fuzz -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
for target in "${targets[@]}"; do
    corpus=build/fuzz/corpus-$target
    mkdir -p "$corpus" "build/fuzz/crashes-$target"
    case $target in
    load)
        cp fuzz/seeds/* tests/data/minimal-unit.json samples/*.json "$corpus"/
        cp tests/data/fuzz/* "$corpus"/ 2>/dev/null || true
        dict=fuzz/unit.dict max_len=262144 ;;
    layout)
        cp layouts/*.json "$corpus"/
        cp tests/data/fuzz-layout/* "$corpus"/ 2>/dev/null || true
        dict=fuzz/layout.dict max_len=65536 ;;
    render)
        cp fuzz/seeds/* tests/data/minimal-unit.json samples/*.json "$corpus"/
        cp tests/data/fuzz-render/* "$corpus"/ 2>/dev/null || true
        dict=fuzz/unit.dict max_len=262144 ;;
    record)
        # Records as PDFs carry them: the sample's and a few small units', taken out with qpdf.
        for unit in samples/201001-2022.json tests/data/minimal-unit.json; do
            ./build/fuzz/src/budgetpress render "$unit" -o build/fuzz/seed.pdf >/dev/null 2>&1 || continue
            obj=$(qpdf --show-object=1 build/fuzz/seed.pdf 2>/dev/null | grep -o '/Private [0-9]*' | grep -o '[0-9]*$')
            [ -n "$obj" ] && qpdf --show-object="$obj" --filtered-stream-data build/fuzz/seed.pdf \
                >"$corpus/$(basename "$unit" .json).rec" 2>/dev/null
        done
        cp tests/data/fuzz-record/* "$corpus"/ 2>/dev/null || true
        dict="" max_len=524288 ;;
    xlsx)
        # Workbooks: openpyxl's and the district's templates (beside the repository, if there).
        /usr/bin/python3 -c "
import openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '支出总表 '
ws.append(['科目编码', '科目名称', '合计']); ws.append(['2010101', '行政运行', 1204.5])
ws['D2'] = '=C2*2'; wb.save('$corpus/openpyxl.xlsx')
import xlwt
wb = xlwt.Workbook(encoding='utf-8'); ws = wb.add_sheet('收入'); ws.write(0, 0, '合计')
ws.write(0, 1, 1204.5); wb.save('$corpus/xlwt.xls')" 2>/dev/null || true
        cp ../shared/real/*.xlsx "$corpus"/ 2>/dev/null || true
        cp tests/data/fuzz-xlsx/* "$corpus"/ 2>/dev/null || true
        dict="" max_len=1048576 ;;
    import)
        # The district's template filled with the 2025 部门预算, plain and with the writers'
        # habits, and the template itself.
        for q in "" --quirks; do
            /usr/bin/python3 tests/import/fill_shanghai.py tests/data/import/shanghai-2026-dept-template.xlsx \
                samples/putuo-finance-2025-budget.json "$corpus/filled$q.xlsx" $q 2>/dev/null || true
        done
        cp tests/data/import/shanghai-2026-dept-template.xlsx "$corpus"/
        cp tests/data/fuzz-import/* "$corpus"/ 2>/dev/null || true
        dict="" max_len=1048576 ;;
    profile)
        cp profiles/*.json "$corpus"/
        cp tests/data/fuzz-profile/* "$corpus"/ 2>/dev/null || true
        dict="" max_len=65536 ;;
    *)
        echo "unknown target $target (load, layout, render, record, xlsx, import, profile)" >&2
        exit 2 ;;
    esac
    echo "== fuzz_$target: $runs runs"
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "./build/fuzz/fuzz/fuzz_$target" "$corpus" ${dict:+-dict="$dict"} -runs="$runs" \
        -max_len="$max_len" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="build/fuzz/crashes-$target/"
done

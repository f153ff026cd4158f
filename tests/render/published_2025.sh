#!/usr/bin/env bash
# The tables of a rendering (its --dump-pages dump) against the published 2025 部门预算 of
# 上海市普陀区财政局, table by table, every cell (published.py); its two empty tables with the
# note the document prints. Usage: published_2025.sh DUMP SOURCE_DIR
set -u
empty="注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。"
exec python3 "$(dirname "$0")/published.py" "$1" "$2/tests/data/putuo-finance-2025-budget.txt" \
    --to 其他相关情况说明 --orientation landscape \
    --note "2025年部门政府性基金预算支出功能分类预算表=$empty" \
    --note "2025年部门国有资本经营预算支出功能分类预算表=$empty" \
    2025年部门财务收支预算总表 2025年部门收入预算总表 2025年部门支出预算总表 2025年部门财政拨款收支预算总表 \
    2025年部门一般公共预算支出功能分类预算表 2025年部门政府性基金预算支出功能分类预算表 \
    2025年部门国有资本经营预算支出功能分类预算表 2025年部门一般公共预算基本支出部门预算经济分类预算表 \
    2025年部门“三公”经费和机关运行经费预算表

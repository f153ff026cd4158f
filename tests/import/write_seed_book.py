"""Writes a unit's tables (of the kind hebei-2022-unit) as a workbook laid out like the seed's
printed tables: one sheet per table named by its number and short name, the title printed above
(单位预算收支总表, …), a banner with 单位：万元, the printed headers over two rows (功能分类科目 >
科目编码 | 科目名称, 本年收入 > 小计 …), a 序号 column, codes in one column, lines under their
printed numbered labels, the 三公 table down its items.

Usage: write_seed_book.py LAYOUT.json UNIT.json OUT.xlsx
"""
import json
import sys
from decimal import Decimal

import openpyxl

layout = json.load(open(sys.argv[1], encoding="utf-8"))
unit = json.load(open(sys.argv[2], encoding="utf-8"))
out = sys.argv[3]
kind = layout["kind"]["tables"]
printed = layout["tables"]
tables = unit["tables"]
wb = openpyxl.Workbook()
wb.remove(wb.active)
numerals = "一二三四五六七八九十"


def value(text):
    if text is None:
        return None
    d = Decimal(text)
    return int(d) if d == d.to_integral() else float(d)


def leaves(columns, top=None):
    """(group label or None, leaf label, bind) for each printed column."""
    for c in columns:
        if "children" in c:
            yield from leaves(c["children"], c["label"])
        else:
            yield (top, c["label"], c["bind"])


def sheet(number, tid):
    ws = wb.create_sheet(f"{number} {kind[tid]['title']}")
    ws["A1"] = printed[tid]["title"]
    ws["A2"] = f"{unit['unit']['code']} {unit['unit']['name']}"
    ws["C2"] = f"预算年度：{unit['unit']['budget_year']}"
    ws["E2"] = "单位：万元"
    cols = list(leaves(printed[tid]["columns"]))
    for i, (group, label, bind) in enumerate(cols, start=1):
        ws.cell(3, i).value = group if group else label
        if group:
            ws.cell(4, i).value = label
    return ws, cols


for number, tid in enumerate(kind, start=1):
    t = kind[tid]
    ws, cols = sheet(number, tid)
    data = tables[tid]
    y = 5
    if t["rows"] == "ledger":
        rows = [("合计", None, data.get("total", {}))] if data.get("total") else []
        rows += [(r["code"], r["name"], r["amounts"]) for r in data["rows"]]
        for seq, (code, name, amounts) in enumerate(rows):
            for i, (_, _, bind) in enumerate(cols, start=1):
                if bind == "seq":
                    ws.cell(y, i).value = seq if seq else None
                elif bind == "code":
                    ws.cell(y, i).value = code
                elif bind == "name":
                    ws.cell(y, i).value = name
                else:
                    ws.cell(y, i).value = value(amounts.get(bind))
            y += 1
    else:
        sides = t["sides"]
        for side, spec in sides.items():
            lines = spec["lines"] if isinstance(spec, dict) else spec
            flat = [l for block in lines for l in block] if lines and isinstance(lines[0], list) \
                else lines
            row, n = 5, 0
            for line in flat:
                label = line["label"]
                if line.get("numbered", True) and not line.get("total") and not line.get("level"):
                    label = f"{numerals[n % 10]}、{label}" if n < 10 else label
                    n += 1
                amounts = data.get(side, {}).get(line["key"], {})
                for i, (_, _, bind) in enumerate(cols, start=1):
                    s, _, col = bind.partition(".")
                    if s != side:
                        continue
                    if col == "name":
                        ws.cell(row, i).value = label
                    else:
                        ws.cell(row, i).value = value(amounts.get(col))
                row += 1
wb.save(out)

"""Fills the 上海 district's 2026 department workbook template with a unit's figures, as a clerk
or the platform's export would: the template's example rows replaced by the unit's rows (codes
over 类 | 款 | 项, the 类 as a number, 款 and 项 as text), each two-sided table's lines written
beside their printed labels, the 三公 row in 万元, the titles of the unit's year and its name
after 编制部门：. With --quirks, the workbook's writers' habits too: amounts as text with
thousands separators (ASCII and full-width), 合计 rows as SUM formulas without a stored result,
indented names, a 款 typed as a number, a sheet named with a trailing space.

Usage: fill_shanghai.py TEMPLATE.xlsx UNIT.json OUT.xlsx [--quirks]
"""
import json
import sys
from decimal import Decimal

import openpyxl

template, unit_path, out = sys.argv[1:4]
quirks = "--quirks" in sys.argv[4:]
unit = json.load(open(unit_path, encoding="utf-8"))
tables = unit["tables"]
year = unit["unit"]["budget_year"]
name = unit["unit"]["name"]
wb = openpyxl.load_workbook(template)


def number(text, i=0):
    """An amount as the cell holds it: a number, or with --quirks now and then a text."""
    if text is None:
        return None
    d = Decimal(text)
    if quirks and i % 3 == 1:
        return f"{d:,.2f}"
    if quirks and i % 3 == 2:
        return f"{d:,.2f}".replace(",", "，").replace("1", "１")
    return float(d) if d != d.to_integral() else int(d)


def retitle(ws):
    for row in ws.iter_rows(max_row=6):
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("2026年"):
                c.value = f"{year}年" + c.value[5:]
            if isinstance(c.value, str) and c.value.strip() == "编制部门：":
                c.value = f"编制部门：{name}"


for ws in wb.worksheets:
    retitle(ws)
wb["封面"]["A9"] = f"预算主管部门：{name}"


def find(ws, text, max_row=40, min_row=1):
    for row in ws.iter_rows(min_row=min_row, max_row=max_row):
        for c in row:
            if isinstance(c.value, str) and c.value.strip() == text:
                return c
    raise KeyError(text)


def fill_ledger(sheet, table, columns, first_col, economic=False):
    ws = wb[sheet]
    # The template's merged cells below the headers (its 合计 label over 类 | 款 | 项 | 名称)
    # do not move with inserted rows; the rows are laid out anew, so they go.
    for merged in [m for m in ws.merged_cells.ranges if m.min_row >= 9]:
        ws.unmerge_cells(str(merged))
    total = find(ws, "合计", min_row=9)
    first = 9
    ws.delete_rows(first, total.row - first)
    rows = table["rows"]
    ws.insert_rows(first, len(rows))
    for i, r in enumerate(rows):
        y = first + i
        code = r["code"]
        ws.cell(y, 1).value = int(code[:3])
        if len(code) >= 5:
            ws.cell(y, 2).value = int(code[3:5]) if quirks and i % 4 == 1 else code[3:5]
        if len(code) == 7:
            ws.cell(y, 3).value = code[5:7]
        indent = "  " * ((len(code) - 3) // 2) if quirks else ""
        ws.cell(y, 3 if economic else 4).value = indent + r["name"]
        for k, key in enumerate(columns):
            v = r["amounts"].get(key)
            if v is not None:
                ws.cell(y, first_col + k).value = number(v, i + k)
    ty = first + len(rows)
    for k, key in enumerate(columns):
        col = first_col + k
        letter = openpyxl.utils.get_column_letter(col)
        v = table["total"].get(key)
        if quirks and rows and v is not None:
            # The 类 rows' sum: what the platform's total is made of.
            cells = [f"{letter}{first + i}" for i, r in enumerate(rows) if len(r["code"]) == 3]
            ws.cell(ty, col).value = "=SUM(" + ",".join(cells) + ")"
        elif v is not None:
            ws.cell(ty, col).value = number(v)


def fill_side(ws, label_col, value_cols, lines, labels, first_row, total_label):
    """Writes each line with figures under its printed label (the template's or the kind's)."""
    y = first_row
    total = find(ws, total_label)
    for key, label in labels:
        amounts = lines.get(key)
        if key == "grand_total":
            row = total.row
        else:
            row = y
            y += 1
            ws.cell(row, label_col).value = label
        for col, column in value_cols:
            v = (amounts or {}).get(column)
            if v is not None:
                ws.cell(row, col).value = number(v, row)
    for row in range(y, total.row):
        ws.cell(row, label_col).value = None


import os

source = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(sys.argv[0]))))
layout = json.load(open(os.path.join(source, "layouts", "shanghai-2025-budget.json"),
                        encoding="utf-8"))
kind = layout["kind"]["tables"]
numerals = "一二三四五六七八九十"


def expense_labels(side, lines):
    keys = [l["key"] for l in side[0] if l["key"] in lines]
    return [(k, f"{numerals[i]}、" + next(l["label"] for l in side[0] if l["key"] == k))
            for i, k in enumerate(keys)] + [("grand_total", "支出总计")]


s = tables["summary"]
ws = wb["部门收支总表"]
# The income side's labels are the template's own (一、财政拨款收入, 1. 一般公共预算, …).
for key, label in [("fiscal", "一、财政拨款收入"), ("fiscal_general", "1. 一般公共预算"),
                   ("fiscal_fund", "2. 政府性基金预算"), ("fiscal_capital", "3. 国有资本经营预算"),
                   ("business", "二、事业收入"), ("operating", "三、事业单位经营收入"),
                   ("other", "四、其他收入"), ("grand_total", "收入总计")]:
    c = find(ws, label)
    v = s["income"].get(key, {}).get("amount")
    if v is not None:
        ws.cell(c.row, 2).value = number(v)
fill_side(ws, 3, [(4, "amount")], s["expense"], expense_labels(kind["summary"]["sides"]["expense"],
                                                                s["expense"]), 8, "支出总计")

f = tables["fiscal_summary"]
ws = wb["部门财政拨款收支总表"]
for key, label in [("general", "一、一般公共预算"), ("fund", "二、政府性基金预算"),
                   ("capital", "三、国有资本经营预算"), ("grand_total", "收入总计")]:
    c = find(ws, label)
    v = f["income"].get(key, {}).get("amount")
    if v is not None:
        ws.cell(c.row, 2).value = number(v)
fill_side(ws, 3, [(4, "total"), (5, "general"), (6, "fund"), (7, "capital")], f["expense"],
          expense_labels(kind["fiscal_summary"]["sides"]["expense"]["lines"], f["expense"]), 8,
          "支出总计")

fill_ledger("部门收入总表", tables["income"], ["total", "fiscal", "business", "operating", "other"], 5)
fill_ledger("部门支出总表", tables["expense"], ["total", "basic", "project"], 5)
fill_ledger("部门一般公共预算拨款表", tables["general_expense"], ["total", "basic", "project"], 5)
fill_ledger("部门政府性基金拨款表", tables["gov_fund"], ["total", "basic", "project"], 5)
fill_ledger("部门国有资本经营预算拨款表 ", tables["state_capital"], ["total", "basic", "project"], 5)
fill_ledger("部门一般公共预算拨款基本支出明细表", tables["general_basic"],
            ["total", "personnel", "public"], 4, economic=True)

ws = wb["部门“三公”经费和机关运行费预算表"]
t = tables["three_public"]["amounts"]
for col, key in enumerate(["total", "overseas", "reception", "vehicles", "purchase", "operation",
                           "operating_costs"], start=1):
    if t.get(key) is not None:
        ws.cell(7, col).value = number(t[key])

wb.save(out)

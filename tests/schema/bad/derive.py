#!/usr/bin/python3
"""Derives the broken units in this directory from samples/201001-2022.json.

Each file is the whole sample with exactly one defect, the kind of mistake a clerk makes, and
is named for it. Both `budgetpress check` (exit 2) and schema/unit.schema.json must reject
every one of them (tests/schema/validate_schema.py --must-fail). They are written the way the
sample is (two-space indent), so `diff samples/201001-2022.json FILE` shows the defect alone.

Rerun after the sample changes:  /usr/bin/python3 tests/schema/bad/derive.py
"""

import copy
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "..", "..", "samples", "201001-2022.json")


def rename_key(obj, old, new):
    """Renames a key in place, keeping the key order (a typo does not move a key)."""
    items = [(new if k == old else k, v) for k, v in obj.items()]
    obj.clear()
    obj.update(items)


def amount_typo(u):  # the letter l typed for the digit 1
    u["tables"]["expense_summary"]["rows"][4]["amounts"]["total"] = "3l.00"


def unknown_key(u):  # "amounts" misspelt: unknown key, and the required key is missing
    rename_key(u["tables"]["expense_summary"]["rows"][4], "amounts", "amonts")


def missing_table(u):  # an empty table dropped instead of given with no rows
    del u["tables"]["gov_fund_expense"]


def amount_as_number(u):  # a spreadsheet export writing numbers, not strings
    u["tables"]["budget_summary"]["income"]["year_total"]["total"] = 847.45


def block_two_kinds(u):  # a heading and its paragraph run into one block
    u["explanation"]["sections"]["duties"]["blocks"][0] = {
        "heading": "单位职责：",
        "paragraph": "负责推动党中央和省委、市委、开发区工委决策部署的落实。",
    }


def empty_name(u):
    u["unit"]["name"] = ""


def blank_name(u):  # a name of ideographic spaces: the banner would print nothing
    u["unit"]["name"] = "\u3000\u3000"


def bad_money_unit(u):
    u["unit"]["money_unit"] = "千元"


def line_break_in_name(u):  # a name pasted from a wrapped spreadsheet cell
    u["unit"]["name"] = "中共秦皇岛经济技术开发区工作委员会办公室\n(本级)"


def trailing_line_break_in_name(u):  # a cell copied with its line end
    row = u["tables"]["general_budget_expense"]["rows"][0]
    row["name"] += "\n"


def carryover_line_with_code(u):  # carry-over detail lines have no classification code
    u["tables"]["budget_summary"]["income"]["carryover"]["lines"] = [
        {"code": "201", "name": "一般公共服务支出", "amounts": {"total": "0.00"}}
    ]


def date_month_31(u):  # day and month swapped: 2021-12-31 typed as 2021-31-12
    u["assets"]["as_of"] = "2021-31-12"


def not_a_calendar_date(u):  # 2022 is not a leap year
    u["unit"]["publish_date"] = "2022-02-29"


DEFECTS = {
    "amount-typo-3l.json": amount_typo,
    "unknown-key-amonts.json": unknown_key,
    "missing-table-gov-fund-expense.json": missing_table,
    "amount-as-number.json": amount_as_number,
    "block-two-kinds.json": block_two_kinds,
    "empty-unit-name.json": empty_name,
    "blank-unit-name.json": blank_name,
    "bad-money-unit.json": bad_money_unit,
    "line-break-in-name.json": line_break_in_name,
    "trailing-line-break-in-name.json": trailing_line_break_in_name,
    "carryover-line-with-code.json": carryover_line_with_code,
    "bad-date-month-31.json": date_month_31,
    "not-a-calendar-date.json": not_a_calendar_date,
}


def main():
    with open(SAMPLE, encoding="utf-8") as f:
        sample = json.load(f)
    for name, defect in DEFECTS.items():
        unit = copy.deepcopy(sample)
        defect(unit)
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
            json.dump(unit, f, ensure_ascii=False, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()

"""Changes cells of a workbook, as a clerk would, for the import's problem cases.
Usage: edit_book.py IN.xlsx OUT.xlsx 'SHEET!A1=VALUE' ... ; a VALUE of =… is a formula, #num:…
a number, #fmt:FORMAT:NUMBER a number with a number format, #del deletes the sheet, #name:NEW
renames it, #down rewrites the 三公 sheet's one row as items down."""
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
for edit in sys.argv[3:]:
    where, _, value = edit.partition("=") if not edit.startswith("=") else ("", "", edit)
    sheet, _, cell = where.rpartition("!")
    if value == "#del":
        del wb[sheet + cell]
        continue
    if value.startswith("#name:"):
        wb[sheet + cell].title = value[6:]
        continue
    if value == "#down":
        ws = wb[sheet + cell]
        for merged in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(merged))
        items = ["“三公”经费合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费",
                 "公务用车购置费", "公务用车运行费", "机关运行经费"]
        values = [ws.cell(7, c).value for c in range(1, 8)]
        for r in range(4, 8):
            for c in range(1, 8):
                ws.cell(r, c).value = None
        ws.cell(4, 1).value, ws.cell(4, 2).value = "项目", "预算数"
        for i, (item, v) in enumerate(zip(items, values)):
            ws.cell(5 + i, 1).value, ws.cell(5 + i, 2).value = item, v
        continue
    ws = wb[sheet]
    if value.startswith("#num:"):
        ws[cell] = float(value[5:]) if "." in value[5:] else int(value[5:])
    elif value.startswith("#fmt:"):
        fmt, _, num = value[5:].rpartition(":")
        ws[cell] = float(num)
        ws[cell].number_format = fmt
    else:
        ws[cell] = value
wb.save(sys.argv[2])

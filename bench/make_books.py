"""Writes synthetic department workbooks laid out as the 上海 district's 2026 template (the sheets,
titles, banners and headers the profile profiles/shanghai-2026-department.json reads), with
figures that add up by every rule of the kind shanghai-2025-budget, for the import benchmark.
Written with the standard library only (zipfile and the sheets' XML as text), so the benchmark
needs nothing beyond python3.

Usage: make_books.py OUT_DIR COUNT SEED [CLASSES KUAN XIANG]
  COUNT workbooks book-NNN.xlsx, each with CLASSES 类 (of the kind's), KUAN 款 each and XIANG
  项 each in its function tables (default 3 2 3: 27 rows); 26 10 19 gives 5,226 rows a table.
"""
import os
import random
import sys
import zipfile
from xml.sax.saxutils import escape

out_dir, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
classes, kuan, xiang = (int(a) for a in sys.argv[4:7]) if len(sys.argv) > 6 else (3, 2, 3)
CLASSES = ["201", "202", "203", "204", "205", "206", "207", "208", "210", "211", "212", "213",
           "214", "215", "216", "217", "219", "220", "221", "222", "223", "224", "229", "231",
           "232", "234"]
NAMES = {"201": "一般公共服务支出", "205": "教育支出", "208": "社会保障和就业支出"}


def col(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def money(cents):
    return f"{cents // 100}.{cents % 100:02d}"


class Sheet:
    def __init__(self, name):
        self.name, self.rows = name, {}

    def put(self, r, c, v):
        self.rows.setdefault(r, {})[c] = v

    def xml(self):
        out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<sheetData>']
        for r in sorted(self.rows):
            out.append(f'<row r="{r}">')
            for c in sorted(self.rows[r]):
                v, ref = self.rows[r][c], f"{col(c)}{r}"
                if isinstance(v, int) and not isinstance(v, bool):
                    out.append(f'<c r="{ref}"><v>{money(v)}</v></c>')
                else:
                    out.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>')
            out.append("</row>")
        out.append("</sheetData></worksheet>")
        return "".join(out)


def write_book(path, sheets):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                   'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
                   'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
                   "".join(f'<sheet name="{escape(s.name)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                           for i, s in enumerate(sheets)) + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships">' +
                   "".join(f'<Relationship Id="rId{i + 1}" Target="worksheets/sheet{i + 1}.xml" '
                           'Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                           'relationships/worksheet"/>' for i in range(len(sheets))) +
                   "</Relationships>")
        for i, s in enumerate(sheets):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", s.xml())


def banner(s, title, code, name, last_col, unit="元"):
    s.put(2, 1, f"2025年{title}")
    s.put(4, 1, f"编制部门：{name}")
    s.put(3, 1, f"部门编码：{code}")
    s.put(4, last_col, f"单位：{unit}")


def function_rows(rng):
    """(code, name, basic, project) for every 项, and the 款 and 类 above them, summed."""
    rows = []
    for c in CLASSES[:classes]:
        class_rows, cb, cp = [], 0, 0
        for k in range(1, kuan + 1):
            kuan_rows, kb, kp = [], 0, 0
            for x in range(1, xiang + 1):
                b = rng.randrange(0, 10**8)
                p = rng.choice([None, rng.randrange(0, 10**7)])
                kuan_rows.append((f"{c}{k:02d}{x:02d}", f"项目{c}{k:02d}{x:02d}", b, p))
                kb, kp = kb + b, kp + (p or 0)
            class_rows.append((f"{c}{k:02d}", f"款{c}{k:02d}", kb, kp))
            class_rows += kuan_rows
            cb, cp = cb + kb, cp + kp
        rows.append((c, NAMES.get(c, f"类{c}"), cb, cp))
        rows += class_rows
    return rows


def ledger(name, title, code, unit_name, columns, rows, total, split=3, name_col=4):
    s = Sheet(name)
    first = name_col + 1
    banner(s, title, code, unit_name, first + len(columns) - 1)
    s.put(6, 1, "项目")
    s.put(6, first, columns[0][0])
    s.put(7, 1, "科目编码")
    s.put(7, name_col, "科目名称")
    for i, (group, label) in enumerate(columns):
        s.put(7, first + i, label)
    for i, part in enumerate(["类", "款", "项"][:split]):
        s.put(8, 1 + i, part)
    r = 9
    for code_, nm, values in rows:
        s.put(r, 1, code_[:3])
        if len(code_) >= 5:
            s.put(r, 2, code_[3:5])
        if len(code_) == 7:
            s.put(r, 3, code_[5:7])
        s.put(r, name_col, nm)
        for i, v in enumerate(values):
            if v is not None:
                s.put(r, first + i, v)
        r += 1
    s.put(r, 1, "合计")
    for i, v in enumerate(total):
        if v is not None:
            s.put(r, first + i, v)
    return s


def book(i, rng):
    code, unit_name = f"3101070{i:02d}", f"上海市普陀区测试{i}局"
    rows = function_rows(rng)
    tb = sum(b for c, _, b, _ in rows if len(c) == 3)
    tp = sum(p for c, _, _, p in rows if len(c) == 3)
    T = tb + tp
    by_class = {c: b + p for c, _, b, p in rows if len(c) == 3}
    sheets = []
    s = Sheet("部门收支总表")
    banner(s, "部门财务收支预算总表", code, unit_name, 4)
    s.put(6, 1, "本年收入"), s.put(6, 3, "本年支出")
    s.put(7, 1, "项目"), s.put(7, 2, "预算数"), s.put(7, 3, "项目"), s.put(7, 4, "预算数")
    for r, (label, v) in enumerate([("一、财政拨款收入", T), ("1. 一般公共预算", T)], start=8):
        s.put(r, 1, label), s.put(r, 2, v)
    for r, c in enumerate(by_class, start=8):
        s.put(r, 3, f"{c}"), s.put(r, 4, by_class[c])
    s.put(40, 1, "收入总计"), s.put(40, 2, T), s.put(40, 3, "支出总计"), s.put(40, 4, T)
    sheets.append(s)
    amounts = [(c, n, (b + (p or 0), b or None, p)) for c, n, b, p in rows]
    sheets.append(ledger("部门收入总表", "部门收入预算总表", code, unit_name,
                         [("收入预算", "合计"), (None, "财政拨款收入"), (None, "事业收入"),
                          (None, "事业单位经营收入"), (None, "其他收入")],
                         [(c, n, (t, t)) for c, n, (t, _, _) in amounts], (T, T)))
    sheets.append(ledger("部门支出总表", "部门支出预算总表", code, unit_name,
                         [("支出预算", "合计"), (None, "基本支出"), (None, "项目支出")], amounts,
                         (T, tb, tp or None)))
    s = Sheet("部门财政拨款收支总表")
    banner(s, "部门财政拨款收支预算总表", code, unit_name, 5)
    s.put(6, 1, "财政拨款收入"), s.put(6, 3, "财政拨款支出")
    for c_, label in enumerate(["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算",
                                "国有资本经营预算"], start=1):
        s.put(7, c_, label)
    s.put(8, 1, "一、一般公共预算"), s.put(8, 2, T)
    for r, c in enumerate(by_class, start=8):
        s.put(r, 3, c), s.put(r, 4, by_class[c]), s.put(r, 5, by_class[c])
    s.put(40, 1, "收入总计"), s.put(40, 2, T), s.put(40, 3, "支出总计"), s.put(40, 4, T), s.put(40, 5, T)
    sheets.append(s)
    sheets.append(ledger("部门一般公共预算拨款表", "部门一般公共预算支出功能分类预算表", code,
                         unit_name, [("一般公共预算支出", "合计"), (None, "基本支出"),
                                     (None, "项目支出")], amounts, (T, tb, tp or None)))
    for name, title, group in [("部门政府性基金拨款表", "部门政府性基金预算支出功能分类预算表", "政府性基金预算支出"),
                               ("部门国有资本经营预算拨款表 ", "部门国有资本经营预算支出功能分类预算表", "国有资本经营预算支出")]:
        sheets.append(ledger(name, title, code, unit_name,
                             [(group, "合计"), (None, "基本支出"), (None, "项目支出")], [],
                             (None, None, None)))
    personnel = tb * 7 // 10
    public = tb - personnel
    eco = [("301", "工资福利支出", (personnel, personnel, None)),
           ("30101", "基本工资", (personnel, personnel, None)),
           ("302", "商品和服务支出", (public, None, public)),
           ("30201", "办公费", (public, None, public))]
    sheets.append(ledger("部门一般公共预算拨款基本支出明细表", "部门一般公共预算基本支出部门预算经济分类预算表",
                         code, unit_name, [("一般公共预算基本支出", "合计"), (None, "人员经费"),
                                           (None, "公用经费")], eco, (tb, personnel, public),
                         split=2, name_col=3))
    s = Sheet("部门“三公”经费和机关运行费预算表")
    banner(s, "部门“三公”经费和机关运行经费预算表", code, unit_name, 7, "万元")
    s.put(5, 1, "“三公”经费预算数"), s.put(5, 7, "机关运行经费预算数")
    for c_, label in enumerate(["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费"], start=1):
        s.put(6, c_, label)
    s.put(7, 4, "小计"), s.put(7, 5, "购置费"), s.put(7, 6, "运行费")
    o, rc, pu, op = (rng.randrange(0, 10**5) for _ in range(4))
    for c_, v in enumerate([o + rc + pu + op, o, rc, pu + op, pu, op, rng.randrange(10**6)], start=1):
        s.put(8, c_, v)
    sheets.append(s)
    write_book(os.path.join(out_dir, f"book-{i:03d}.xlsx"), sheets)


os.makedirs(out_dir, exist_ok=True)
rng = random.Random(seed)
for i in range(count):
    book(i, rng)

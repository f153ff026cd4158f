#!/usr/bin/env bash
# The workbook reader (src/import/): what a spreadsheet program wrote comes back as written.
#  - a workbook written by openpyxl (Debian's python3-openpyxl): numbers as the decimal text the
#    file holds (0.1 stays 0.1), texts through the shared strings, a formula with no stored
#    result (an empty <v/>), booleans, an error value, a sheet name with a trailing space, full-width text;
#  - a workbook written by hand as other writers do: another namespace prefix, inline strings, a
#    formula's string result, cells without references, rich text runs and a phonetic guide;
#  - the 上海 district's 2026 templates: every sheet, by name;
#  - an Excel 97-2003 .xls written by xlwt: numbers as the shortest decimal that is the file's
#    double (0.1 + 0.2 stays 0.30000000000000004: that is what the file holds);
#  - files that are no workbook, cut short, damaged or encrypted: one clear error, exit 2.
# Usage: test_workbook.sh WBDUMP SOURCE_DIR
set -u
dump=$(realpath "$1")
src=$(realpath "$2")
source "$(dirname "$0")/../lib.sh"
cd "$work" || exit 1
py=/usr/bin/python3 # Debian's, where python3-openpyxl lives

# ---- openpyxl ----
"$py" - <<'PY' || bad "openpyxl could not write the workbook"
import openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "2.17单位支出总表 "
ws["A1"] = "科目编码"
ws["B1"] = "科目名称（全角）"
ws["A2"] = "2010101"
ws["B2"] = "行政运行"
ws["C2"] = 0.1
ws["D2"] = 1204.5
ws["E2"] = 12345678901234
ws["F2"] = "=C2+D2"
ws["G2"] = True
ws["H2"] = "#DIV/0!"
ws["C4"] = -3
other = wb.create_sheet("收入")
other["B3"] = "1,204.00"
wb.save("openpyxl.xlsx")
PY
"$dump" openpyxl.xlsx >openpyxl.txt 2>openpyxl.err && ok || bad "openpyxl.xlsx: $(cat openpyxl.err)"
cat >want.txt <<'EOF'
sheet 2.17单位支出总表 
2.17单位支出总表 !A1	text	科目编码
2.17单位支出总表 !B1	text	科目名称（全角）
2.17单位支出总表 !A2	text	2010101
2.17单位支出总表 !B2	text	行政运行
2.17单位支出总表 !C2	number	0.1
2.17单位支出总表 !D2	number	1204.5
2.17单位支出总表 !E2	number	12345678901234
2.17单位支出总表 !F2	none		=C2+D2
2.17单位支出总表 !G2	bool	TRUE
2.17单位支出总表 !H2	error	#DIV/0!
2.17单位支出总表 !C4	number	-3
sheet 收入
收入!B3	text	1,204.00
EOF
diff want.txt openpyxl.txt >/dev/null && ok || bad "openpyxl.xlsx read as: $(diff want.txt openpyxl.txt)"

# ---- written by hand, as other writers do ----
"$py" - <<'PY'
import zipfile
ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
rel = 'xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
with zipfile.ZipFile("hand.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("xl/workbook.xml", f'<x:workbook {ns} {rel}><x:sheets>'
               '<x:sheet name="表一" sheetId="1" rel:id="rId7"/></x:sheets></x:workbook>')
    z.writestr("xl/_rels/workbook.xml.rels",
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId7" Type="worksheet" Target="/xl/worksheets/s1.xml"/></Relationships>')
    z.writestr("xl/sharedStrings.xml", f'<x:sst {ns}><x:si><x:r><x:t>基本</x:t></x:r><x:r><x:t>支出</x:t></x:r>'
               '<x:rPh sb="0" eb="1"><x:t>jiben</x:t></x:rPh></x:si><x:si><x:t xml:space="preserve"> 合计 </x:t></x:si></x:sst>')
    z.writestr("xl/worksheets/s1.xml", f'<x:worksheet {ns}><x:sheetData>'
               '<x:row r="3"><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c>'
               '<x:c t="inlineStr"><x:is><x:t>内联</x:t></x:is></x:c>'
               '<x:c t="str"><x:f>A3&amp;"x"</x:f><x:v>基本支出x</x:v></x:c>'
               '<x:c s="3"/><x:c r="G3"><x:f>SUM(A1:A2)</x:f><x:v>7.0000000000000009</x:v></x:c></x:row>'
               '<x:row><x:c><x:v>1E-3</x:v></x:c></x:row>'
               '</x:sheetData></x:worksheet>')
PY
"$dump" hand.xlsx >hand.txt 2>hand.err && ok || bad "hand.xlsx: $(cat hand.err)"
cat >want.txt <<'EOF'
sheet 表一
表一!A3	text	基本支出
表一!B3	text	 合计 
表一!C3	text	内联
表一!D3	text	基本支出x	=A3&"x"
表一!G3	number	7.0000000000000009	=SUM(A1:A2)
表一!A4	number	1E-3
EOF
diff want.txt hand.txt >/dev/null && ok || bad "hand.xlsx read as: $(diff want.txt hand.txt)"

# ---- Excel 97-2003 (.xls), written by xlwt (Debian's python3-xlwt) ----
"$py" - <<'PY' || bad "xlwt could not write the workbook"
import xlwt
wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("2.17单位支出总表")
ws.write(0, 0, "科目编码")
ws.write(1, 0, "2010101")
ws.write(1, 2, 0.1)
ws.write(1, 3, 1204.5)
ws.write(1, 4, 0.1 + 0.2)
ws.write(1, 5, -3)
ws.write(2, 1, "合计（全角）")
wb.add_sheet("收入 ")
wb.save("legacy.xls")
PY
"$dump" legacy.xls >legacy.txt 2>legacy.err && ok || bad "legacy.xls: $(cat legacy.err)"
cat >want.txt <<'EOF'
sheet 2.17单位支出总表
2.17单位支出总表!A1	text	科目编码
2.17单位支出总表!A2	text	2010101
2.17单位支出总表!C2	number	0.1
2.17单位支出总表!D2	number	1204.5
2.17单位支出总表!E2	number	0.30000000000000004
2.17单位支出总表!F2	number	-3
2.17单位支出总表!B3	text	合计（全角）
sheet 收入 
EOF
diff want.txt legacy.txt >/dev/null && ok || bad "legacy.xls read as: $(diff want.txt legacy.txt)"

# ---- the district's templates ----
for book in unit dept; do
    f="$src/tests/data/import/shanghai-2026-$book-template.xlsx"
    [ -f "$f" ] || f="$src/../shared/real/shanghai-2026-$book-template.xlsx" # beside the repository
    [ -f "$f" ] || continue
    "$dump" "$f" >"$book.txt" 2>"$book.err" && ok || bad "$book template: $(cat "$book.err")"
done
if [ -f unit.txt ]; then
    [ "$(grep -c '^sheet ' unit.txt)" -ge 10 ] && ok || bad "the unit template's sheets: $(grep '^sheet ' unit.txt)"
    grep -q '^封面!A3	text	上海市普陀区2026年区级单位预算$' unit.txt && ok || bad "the unit template's cover text"
fi

# ---- not workbooks, or not whole ----
refuse() { # NAME FILE PATTERN
    local out status
    out=$("$dump" "$2" 2>&1)
    status=$?
    [ "$status" -eq 2 ] && grep -qE -- "$3" <<<"$out" && ok || bad "$1: exit $status: $out"
}
echo "科目编码,金额" >table.csv
refuse "a CSV file" table.csv "table.csv: error: not an Excel workbook"
: >empty.xlsx
refuse "an empty file" empty.xlsx "not an Excel workbook"
refuse "a missing file" nothing.xlsx "cannot open the workbook"
head -c 2000 openpyxl.xlsx >cut.xlsx
refuse "a workbook cut short" cut.xlsx "damaged or cut short"
printf '\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest' >old.xls
refuse "an OLE file that is no workbook" old.xls "damaged, cut short or password-protected"
head -c 3000 legacy.xls >cut.xls
refuse "an .xls cut short" cut.xls "damaged, cut short or password-protected"
"$py" -c "
import zipfile
with zipfile.ZipFile('nobook.xlsx','w') as z: z.writestr('word/document.xml','<w/>')
with zipfile.ZipFile('badxml.xlsx','w') as z:
    z.writestr('xl/workbook.xml','<workbook><sheets><sheet name=\"a\" r:id=\"r1\"/></sheets>')
    z.writestr('xl/_rels/workbook.xml.rels','<Relationships/>')
with zipfile.ZipFile('nosheet.xlsx','w') as z:
    z.writestr('xl/workbook.xml','<workbook><sheets><sheet name=\"甲\" id=\"r1\"/></sheets></workbook>')
    z.writestr('xl/_rels/workbook.xml.rels','<Relationships><Relationship Id=\"r1\" Target=\"worksheets/x.xml\"/></Relationships>')
with zipfile.ZipFile('badref.xlsx','w') as z:
    z.writestr('xl/workbook.xml','<workbook><sheets><sheet name=\"甲\" id=\"r1\"/></sheets></workbook>')
    z.writestr('xl/_rels/workbook.xml.rels','<Relationships><Relationship Id=\"r1\" Target=\"worksheets/x.xml\"/></Relationships>')
    z.writestr('xl/worksheets/x.xml','<worksheet><sheetData><row><c t=\"s\"><v>5</v></c></row></sheetData></worksheet>')
"
# fuzz_xlsx's finding: FreeXL 1.0.6 overran a stack buffer on this file (under ASan); it is read
# in a child process, so the worst it can do is fail there.
refuse "the .xls that broke FreeXL" "$src/tests/data/fuzz-xlsx/freexl-stack-underflow.xls" "damaged"
refuse "a zip that is no workbook" nobook.xlsx "not an Excel workbook: the archive has no xl/workbook.xml"
refuse "XML not well-formed" badxml.xlsx "its part xl/workbook.xml is not well-formed XML"
refuse "a sheet's part missing" nosheet.xlsx 'the sheet "甲" \(xl/worksheets/x.xml\) is missing'
refuse "a shared string that is not there" badref.xlsx 'the sheet "甲": a cell refers to a shared string the workbook lacks'

finish

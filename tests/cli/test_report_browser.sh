#!/usr/bin/env bash
# batch's report.html as a browser reads it: Debian's Chromium, headless, loads it from disk
# (no server, no scripts) and the page it builds has a row for every unit, the failures first
# and marked, names that are not UTF-8 shown escaped, and links that open the PDFs beside it.
# Usage: test_report_browser.sh BPGEN BUDGETPRESS
set -u
bpgen=$(realpath "$1")
bp=$(realpath "$2")
source "$(dirname "$0")/../lib.sh"
cd "$work" || exit 1

chromium=$(command -v chromium || true)
if [ -z "$chromium" ]; then
    bad "chromium is not installed (scripts/deps.sh --test installs it)"
    finish
    exit 1
fi
# As the machine's notes advise: no background networking, a fresh profile.
browse() {
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$work/profile" "$@" 2>/dev/null
}

"$bpgen" --count 3 --seed 41 -o region >/dev/null
"$bpgen" --seed 42 --defect sum -o region/broken-sum.json
printf '{"format": ' >region/broken-syntax.json
cp "$(ls region/2*.json | head -1)" "region/$(printf '\xb2\xc6\xd5\xfe')-copy.json" # 财政 in GBK
"$bp" batch region -o out >/dev/null 2>&1

browse --dump-dom "file://$work/out/report.html" >dom.html
[ -s dom.html ] && ok || bad "chromium made no page of report.html"
browse --screenshot="$work/report.png" --window-size=1280,900 "file://$work/out/report.html"
[ -s report.png ] && ok || bad "chromium took no screenshot of report.html"

python3 - dom.html out <<'PY' && ok || bad "the page chromium built from report.html"
import html.parser, json, os, sys, urllib.parse

dom, out = sys.argv[1], sys.argv[2]
report = json.load(open(os.path.join(out, "report.json"), encoding="utf-8"))

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.rows, self.links, self.scripts, self.text = [], None, [], 0, []
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.rows = []
            self.tables.append(self.rows)
        elif tag == "tr" and self.rows is not None:
            self.rows.append(attrs.get("class", ""))
        elif tag == "a":
            self.links.append(attrs.get("href", ""))
        elif tag == "script":
            self.scripts += 1
    def handle_data(self, data):
        self.text.append(data)

page = Page()
page.feed(open(dom, encoding="utf-8").read())
text = "".join(page.text)
totals = report["totals"]
assert page.scripts == 0, "the report runs no script"
assert len(page.tables) == 3, len(page.tables)  # totals, failures, all units
failed_rows = [c for c in page.tables[1][1:]]
all_rows = page.tables[2][1:]
assert len(failed_rows) == totals["failed"] == 2, (failed_rows, totals)
assert all(c == "failed" for c in failed_rows)
assert len(all_rows) == totals["units"] == len(report["units"]) == 6, (len(all_rows), totals)
assert "\\xB2\\xC6\\xD5\\xFE-copy.json" in text, "the GBK name, escaped"
assert "E-SUM" in text and "broken-syntax.json:1:" in text
pdfs = [u["output"] for u in report["units"] if u["output"]]
assert len(page.links) == len(pdfs) == 4, (page.links, pdfs)
for href in page.links:
    # A name that is not UTF-8 is percent-encoded byte for byte: decode to bytes, not text.
    target = os.path.join(os.fsencode(out), urllib.parse.unquote_to_bytes(href))
    with open(target, "rb") as f:
        assert f.read(5) == b"%PDF-", target
PY

finish

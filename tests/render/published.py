#!/usr/bin/env python3
"""Compares the tables of a rendering (its --dump-pages) with a published document's text
(pdftotext -layout), table by table.

For each table title given: every amount printed is the published one (the same figures, as
many times: none missing, none extra), every other cell text (labels, codes) is found in the
published table, no code is printed whole where the published splits it into 类 | 款 | 项, and
every page has the orientation given. Prints what differs and how many cells were compared;
exits 1 when anything differs.

usage: published.py DUMP PUBLISHED.txt --to MARK --orientation portrait|landscape
                    [--note TITLE=TEXT]... TITLE...
The tables run from the first title (not the contents' line of it) to the first line that
begins with MARK, in both documents.
"""
import argparse
import collections
import re
import sys

AMOUNT = re.compile(r"^-?[\d,]+\.\d{2}$")


def our_tables(dump, titles, end_mark):
    """The runs of each table's pages (title to next title or the end mark), folios left out,
    and whether every page has the wanted orientation."""
    pages = []
    for line in open(dump, encoding="utf-8"):
        if line.startswith("page "):
            w, h = map(float, line.split()[1].split("x"))
            pages.append({"landscape": w > h, "height": h, "runs": []})
        m = re.match(r'glyphs .*? y=([\d.]+) .*? "(.*)"$', line.rstrip("\n"))
        # The folio stands in the bottom margin; it is no cell.
        if m and pages and float(m.group(1)) < pages[-1]["height"] - 50:
            pages[-1]["runs"].append(m.group(2))
    tables, current = collections.defaultdict(list), None
    for p in pages:
        for r in p["runs"]:
            if r in titles:
                current = r
            elif r.startswith(end_mark):
                current = None
            elif current:
                tables[current].append(r)
    return tables, pages


def published_tables(path, titles, end_mark):
    lines = open(path, encoding="utf-8").read().splitlines()
    first = next(i for i, l in enumerate(lines) if l.strip() == titles[0] and i > 0 and
                 not re.search(r"…|\.{3}", l))
    tables, current = collections.defaultdict(list), None
    for line in lines[first:]:
        s = line.strip()
        if s.startswith(end_mark):
            break
        if s in titles:
            current = s
        elif current:
            tables[current].append(line)
    return tables


def found_in_order(label, flat):
    """The label in the flattened text, whole or in up to three pieces in order (a wrapped
    cell's lines can have another column's text between them)."""
    if label in flat:
        return True
    n = len(label)
    for i in range(1, n):
        for j in range(i, n + 1):
            at = 0
            for piece in (p for p in (label[:i], label[i:j], label[j:]) if p):
                at = flat.find(piece, at)
                if at < 0:
                    break
                at += len(piece)
            else:
                return True
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dump")
    ap.add_argument("published")
    ap.add_argument("--to", dest="end", required=True)
    ap.add_argument("--orientation", choices=["portrait", "landscape"], required=True)
    ap.add_argument("--note", action="append", default=[])
    ap.add_argument("titles", nargs="+")
    a = ap.parse_args()
    ours, pages = our_tables(a.dump, a.titles, a.end)
    theirs = published_tables(a.published, a.titles, a.end)
    problems, checked = [], 0
    want_landscape = a.orientation == "landscape"
    wrong = [i + 1 for i, p in enumerate(pages) if p["landscape"] != want_landscape]
    if wrong:
        problems.append(f"pages not {a.orientation}: {wrong}")
    for title in a.titles:
        if not theirs[title]:
            problems.append(f"{title}: not found in the published text")
        if not ours[title]:
            problems.append(f"{title}: not found in the rendering")
        tokens = [t for line in theirs[title] for t in line.split()]
        want = collections.Counter(t for t in tokens if AMOUNT.match(t))
        got = collections.Counter(r for r in ours[title] if AMOUNT.match(r))
        if want != got:
            problems.append(f"{title}: amounts differ: missing {dict(want - got)}, "
                            f"extra {dict(got - want)}")
        flat = re.sub(r"\s+", "", "".join(theirs[title]))
        for r in ours[title]:
            if AMOUNT.match(r) or r.startswith("注"):
                continue
            if not found_in_order(r.replace(" ", ""), flat):
                problems.append(f"{title}: {r!r} is not in the published table")
            checked += 1
        if any(re.fullmatch(r"\d{5,7}", r) for r in ours[title]):
            problems.append(f"{title}: a code printed whole, not as 类 | 款 | 项")
        checked += sum(got.values())
    for note in a.note:
        title, text = note.split("=", 1)
        if text not in "".join(ours[title]):
            problems.append(f"{title}: our note is not {text!r}")
        if text not in "".join(theirs[title]).replace(" ", ""):
            problems.append(f"{title}: the published note is not {text!r}")
    for p in problems:
        print(p)
    print(f"{checked} cells compared with the published tables")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""Whether two units say the same: every value equal, a blank line or an empty total the same
as one left out (the import writes only what the workbook holds). Prints the tables that differ.
Usage: unit_equal.py A.json B.json"""
import json
import sys


def norm(v):
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items() if x != {} or k == "amounts"}
    if isinstance(v, list):
        return [norm(x) for x in v]
    return v


a, b = (norm(json.load(open(p, encoding="utf-8"))) for p in sys.argv[1:3])
tables = sorted(k for k in set(a["tables"]) | set(b["tables"])
                if a["tables"].get(k) != b["tables"].get(k))
others = sorted(k for k in set(a) | set(b) if k != "tables" and a.get(k) != b.get(k))
for k in tables + others:
    print("differs:", k)
sys.exit(1 if tables or others else 0)

"""A unit of the built-in 2022 单位预算 kind rewritten in the form of the kind given as data
(layouts/hebei-2022-unit.json): the two-sided summaries as sides of lines keyed by code or
line1…, 本年合计, 结转结余 and its lines, 总计; the 三公 items as a side.
Usage: seed_kind.py UNIT.json OUT.json"""
import json
import sys

u = json.load(open(sys.argv[1], encoding="utf-8"))
t = u["tables"]


def side(s):
    out = {line.get("code") or f"line{i + 1}": line["amounts"] for i, line in enumerate(s["lines"])}
    out["year_total"] = s["year_total"]
    c = s.get("carryover", {})
    out["carryover"] = c.get("amounts", {})
    for i, line in enumerate(c.get("lines", [])):
        out[f"carryover{i + 1}"] = line["amounts"]
    out["grand_total"] = s["grand_total"]
    return out


for key in ("budget_summary", "fiscal_summary"):
    t[key] = {"income": side(t[key]["income"]), "expense": side(t[key]["expense"])}
t["three_public"] = {"items": t["three_public"]}
u["kind"] = "hebei-2022-unit"
json.dump(u, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)

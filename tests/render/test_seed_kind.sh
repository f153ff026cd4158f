#!/usr/bin/env bash
# The seed's tables as a kind given as data: layouts/hebei-2022-unit.json declares the nine
# tables of the 2022 单位预算 (two-sided summaries in blocks, ledgers with codes, the 三公 items as
# a side of lines) and their arithmetic as rules. The reference unit, rewritten in the form of
# that kind, renders its twelve table pages exactly as the built-in kind does (every item of the
# display list equal), check passes it, and a 类 that no longer adds up is E-SUM.
# (The text's figures are bound to the built-in kind's tables, {expense.total}; a kind's
# figures have no names yet, so the rewritten unit's text goes without them.)
# Usage: test_seed_kind.sh BUDGETPRESS SOURCE_DIR
set -u
bp=$1
src=$2
source "$(dirname "$0")/../lib.sh"

python3 - "$src/samples/201001-2022.json" "$work/kind.json" <<'PY'
import json, re, sys
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
text = re.sub(r"\{[a-z_.]+(:[0-9a-z_]+)?\}", "〇", json.dumps(u, ensure_ascii=False))
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY

"$bp" render "$src/samples/201001-2022.json" -o "$work/builtin.pdf" --dump-pages "$work/builtin.dl" >/dev/null 2>&1 ||
    bad "the reference unit does not render"
out=$("$bp" render "$work/kind.json" -o "$work/kind.pdf" --dump-pages "$work/kind.dl" 2>&1)
[ $? -eq 0 ] && ok || bad "the reference unit of the data kind does not render: $out"

python3 - "$work/builtin.dl" "$work/kind.dl" <<'PY' && ok || bad "the table pages differ"
import sys
def table_pages(path):
    pages = []
    for line in open(path, encoding="utf-8"):
        if line.startswith("page "):
            pages.append([line.strip()])
        elif pages and not line.startswith("link"):
            pages[-1].append(line.rstrip("\n"))
    start = next(i for i, p in enumerate(pages) if i > 1 and any('"单位预算收支总表"' in l for l in p))
    end = next(i for i, p in enumerate(pages) if i > start and any('单位职责及机构设置情况"' in l for l in p))
    return pages[start:end]
a, b = table_pages(sys.argv[1]), table_pages(sys.argv[2])
differ = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
for i in differ[:3]:
    for l1, l2 in zip(a[i], b[i]):
        if l1 != l2:
            print(f"table page {i + 1}:\n  built-in: {l1[:120]}\n  data:     {l2[:120]}")
            break
print(f"{len(a)} and {len(b)} table pages, {sum(len(p) for p in a)} items; {len(differ)} pages differ")
sys.exit(1 if differ or len(a) != len(b) or len(a) < 12 else 0)
PY

expect "check passes the rewritten unit" 0 "\(ok\), 0 errors" -- "$bp" check "$work/kind.json"
python3 - "$work/kind.json" "$work/sum.json" <<'PY'
import json, sys
u = json.load(open(sys.argv[1], encoding="utf-8"))
row = u["tables"]["expense_summary"]["rows"][0]
row["amounts"]["total"] = "%.2f" % (float(row["amounts"]["total"]) + 0.10)
json.dump(u, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
expect "a 类 that does not add up" 1 "E-SUM tables\.expense_summary\.rows\[0\]\.amounts\.total: 支出总表 201 一般公共服务支出「total」 = Σ of the codes under it: 583\.88 ≠ 583\.78 \(diff 0\.10\)" -- \
    "$bp" check "$work/sum.json"

finish

#!/usr/bin/python3
"""Checks schema/unit.schema.json and validates unit files against it.

usage: validate_schema.py [--schema SCHEMA] [--loader BUDGETPRESS] [FILE...] [--must-fail FILE...]

  1. The schema itself must be a valid JSON Schema (draft 2020-12), every "$ref" in it must
     resolve, and every property of a closed object must carry a "description" (editors show
     it on hover).
  2. Each FILE before --must-fail must pass validation (the sample, generated units).
  3. Each FILE after --must-fail must fail validation (tests/schema/bad/*.json).

With --loader, each file is also given to `BUDGETPRESS check -q FILE`, whose exit status must
agree: 2 (not a readable unit) for a file that must fail, 0 or 1 (read; rule findings are not
this script's business) for a file that must pass. This is how the schema is kept the same
contract as the C loader (src/model/load.c).

One line per file; exit status 0 when everything is as expected, 1 otherwise (a file that
cannot be opened counts as unexpected), 2 on bad usage.

Files are read the way the loader reads them: an optional UTF-8 byte order mark, strict UTF-8,
no duplicate keys, no NaN/Infinity, no lone surrogates. Such a file is "not JSON" and counts as
rejected, but a must-fail file rejected that way does not exercise the schema, so it is marked.

Pattern semantics: JSON Schema patterns are ECMA-262 regular expressions, where "$" matches
only at the end of the string. Python's re also lets "$" match before a final "\n", which
would let "name\n" through the text pattern; the "pattern" keyword here is therefore checked
with ECMA's meaning of "$" (translated to "\\Z").
"""

import argparse
import json
import os
import re
import subprocess
import sys

import jsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMA = os.path.normpath(os.path.join(HERE, "..", "..", "schema", "unit.schema.json"))


class NotJson(Exception):
    pass


# ---- Reading files as the loader does ----

def _reject_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise NotJson(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def _reject_constant(name):
    raise NotJson(f"{name} is not JSON")


def load_json(path):
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise NotJson(f"not valid UTF-8 ({e.reason} at byte {e.start})") from None
    try:
        value = json.loads(text, object_pairs_hook=_reject_duplicates,
                           parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise NotJson(f"{e.lineno}:{e.colno}: {e.msg}") from None
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise NotJson("a string holds a lone UTF-16 surrogate escape") from None
    return value


# ---- ECMA-262 "$" for the pattern keyword ----

_ecma_cache = {}


def ecma_pattern(pattern):
    """Translates the end anchor "$" (outside classes, unescaped) to Python's "\\Z"."""
    compiled = _ecma_cache.get(pattern)
    if compiled is None:
        out, i, in_class = [], 0, False
        while i < len(pattern):
            c = pattern[i]
            if c == "\\" and i + 1 < len(pattern):
                out.append(pattern[i:i + 2])
                i += 2
                continue
            if in_class:
                in_class = c != "]"
            elif c == "[":
                in_class = True
            elif c == "$":
                c = r"\Z"
            out.append(c)
            i += 1
        compiled = _ecma_cache[pattern] = re.compile("".join(out))
    return compiled


def _pattern_keyword(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not ecma_pattern(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


UnitValidator = jsonschema.validators.extend(Draft202012Validator, {"pattern": _pattern_keyword})


# ---- The schema itself ----

def _walk(node, where="#"):
    """Yields (json pointer, schema object) for every object inside the schema document."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{where}/{i}")


def check_schema(schema):
    """Returns a list of problems with the schema document."""
    problems = []
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as e:
        where = "/".join(str(p) for p in e.absolute_path) or "(top)"
        return [f"not a valid draft 2020-12 schema at {where}: {e.message}"]
    if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
        problems.append('"$schema" is not draft 2020-12')
    resolver = UnitValidator(schema).resolver
    for where, node in _walk(schema):
        if "$defs" in where.split("/")[-1:] or "properties" in where.split("/")[-1:]:
            continue  # maps of names, not schemas
        ref = node.get("$ref")
        if isinstance(ref, str):
            try:
                resolver.resolve(ref)
            except jsonschema.RefResolutionError as e:
                problems.append(f"{where}: $ref {ref!r} does not resolve ({e})")
        if node.get("additionalProperties") is False:
            for name, sub in node.get("properties", {}).items():
                if not isinstance(sub, dict) or not sub.get("description"):
                    problems.append(f"{where}/properties/{name}: no description")
    for pattern in {n["pattern"] for _, n in _walk(schema) if isinstance(n.get("pattern"), str)}:
        try:
            ecma_pattern(pattern)
        except re.error as e:
            problems.append(f"pattern {pattern!r} does not compile: {e}")
    return problems


# ---- Files ----

def json_path(error):
    """The loader's way of writing a path: tables.expense_summary.rows[4].amounts."""
    out = ""
    for part in error.absolute_path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def describe(error):
    # A oneOf/anyOf failure is clearer through its most relevant sub-error.
    best = jsonschema.exceptions.best_match([error])
    return f"{json_path(best)}: {best.message}"


def schema_verdict(validator, path):
    """(valid, detail, parsed): detail is the first problem of an invalid file. A file that
    cannot be opened raises OSError: that is a mistake in the test, not a rejection."""
    try:
        instance = load_json(path)
    except NotJson as e:
        return False, f"not JSON: {e}", False
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    if not errors:
        return True, "", True
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return False, describe(errors[0]) + more, True


def loader_verdict(loader, path):
    """(readable, detail) from `budgetpress check -q`."""
    result = subprocess.run([loader, "check", "-q", "--", path], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace")
    first = result.stdout.strip().splitlines()[:1]
    detail = f"exit {result.returncode}" + (f": {first[0]}" if first else "")
    if result.returncode not in (0, 1, 2):
        return None, detail
    return result.returncode != 2, detail


def main(argv):
    parser = argparse.ArgumentParser(
        description="Check schema/unit.schema.json and validate unit files against it.")
    parser.add_argument("--schema", default=DEFAULT_SCHEMA, help="the schema (default: %(default)s)")
    parser.add_argument("--loader", metavar="BUDGETPRESS",
                        help="also require `BUDGETPRESS check` to agree on every file")
    parser.add_argument("valid", nargs="*", metavar="FILE", help="files that must pass")
    parser.add_argument("--must-fail", nargs="+", default=[], metavar="FILE",
                        help="files that must fail validation")
    args = parser.parse_args(argv)

    ok = True
    shown = os.path.relpath(args.schema) if args.schema == DEFAULT_SCHEMA else args.schema
    try:
        schema = load_json(args.schema)
    except (OSError, NotJson) as e:
        print(f"FAIL {shown}: cannot read the schema: {e}")
        return 1
    problems = check_schema(schema)
    if problems:
        for p in problems:
            print(f"FAIL {shown}: {p}")
        return 1
    print(f"ok   {shown}: valid draft 2020-12 schema")

    validator = UnitValidator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for path, must_pass in [(p, True) for p in args.valid] + [(p, False) for p in args.must_fail]:
        try:
            valid, detail, parsed = schema_verdict(validator, path)
        except OSError as e:
            ok = False
            print(f"FAIL {path}: cannot read: {e.strerror}")
            continue
        notes = []
        good = valid == must_pass
        if must_pass:
            line = "passes" if valid else f"expected to pass, but {detail}"
        else:
            line = f"rejected: {detail}" if not valid else "expected to fail, but passes the schema"
            if not valid and not parsed:
                notes.append("before the schema")
        if args.loader:
            readable, ldetail = loader_verdict(args.loader, path)
            if readable is None:
                good = False
                notes.append(f"loader crashed? {ldetail}")
            elif readable != must_pass:
                good = False
                notes.append(f"loader disagrees ({ldetail})")
            else:
                notes.append("loader agrees")
        ok = ok and good
        print(f"{'ok  ' if good else 'FAIL'} {path}: {line}" + (f" [{'; '.join(notes)}]" if notes else ""))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

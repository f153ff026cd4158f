#!/usr/bin/env bash
# Every PDF claims PDF/A-2b (ISO 19005-2, level B) and keeps what it claims.
#
# The validator Debian has is PDFBox Preflight (libpdfbox2-java), which checks PDF/A-1b only.
# Its findings are accepted only where PDF/A-2 differs from PDF/A-1 (each named below); every
# other finding fails. What PDF/A-2 adds or asks otherwise is checked here from the file, read
# by qpdf: the XMP says what /Info says, the identification says part 2 level B, the sRGB output
# intent, printable annotations, embedded fonts, nothing forbidden.
# Usage: test_pdfa.sh BUDGETPRESS SOURCE_DIR
set -u
bp=$(realpath "$1")
src=$(realpath "$2")
source "$(dirname "$0")/../lib.sh"
cd "$work" || exit 1
sample=$src/samples/201001-2022.json

jars=/usr/share/java
cp="$jars/preflight.jar:$jars/pdfbox2.jar:$jars/fontbox2.jar:$jars/xmpbox.jar"
cp="$cp:$jars/commons-logging.jar:$jars/javax.activation.jar:$jars/jaxb-api.jar"

# Findings of PDF/A-1b that PDF/A-2b does not make (ISO 19005-2 against ISO 19005-1):
#  1.4 cross-reference streams: PDF/A-2 is based on ISO 32000-1, which has them (6.1.4); the
#      structure tree is written in object streams with one (pdf_tags.c);
#  3.1.11 CIDSet: optional in PDF/A-2 (6.2.11.4.2: "if present, shall identify every CID");
#  7.11.2 part must be 1: the identification says part 2, as it should.
allowed='^(1\.4 : Trailer Syntax error, /XRef cross reference streams are not allowed|3\.1\.11 : Invalid Font definition, [A-Z]{6}\+[A-Za-z-]+: The CIDSet entry is missing for the Composite Subset|7\.11\.2 : Error on MetaData, part must be 1)$'

preflight() { # FILE NAME: Preflight's findings, only the allowed ones
    local out
    out=$(java -cp "$cp" org.apache.pdfbox.preflight.Validator_A1b "$1" 2>&1)
    local findings
    findings=$(grep -E '^[0-9]+(\.[0-9]+)+ : ' <<<"$out")
    if [ -z "$findings" ] && ! grep -q "is a valid PDF/A-1b file" <<<"$out"; then
        bad "$2: Preflight did not run: $(head -3 <<<"$out")"
        return
    fi
    local other
    other=$(grep -vE "$allowed" <<<"$findings" | sort | uniq -c)
    [ -z "$other" ] && ok || bad "$2: Preflight finds: $other"
    echo "$findings" >"$2.findings"
}

# The PDF/A-2b rules checked from the file itself.
check_file() { # FILE NAME
    python3 - "$1" <<'PY' && ok || bad "$2: PDF/A-2b rules"
import json, re, subprocess, sys, xml.etree.ElementTree as ET
pdf = sys.argv[1]
raw = open(pdf, "rb").read()
def fail(why):
    sys.exit(why)
head = re.match(rb"%PDF-1\.([0-9])\n%[\x80-\xff]{4}", raw)
if not head or int(head.group(1)) > 7:
    fail("header: a PDF 1.x file up to 1.7 with a binary comment line")
j = json.loads(subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=inline",
                               pdf], capture_output=True, text=True, check=True).stdout)
objs = j["qpdf"][1]
def get(ref):
    return objs.get("obj:" + ref, {}) if isinstance(ref, str) and ref.endswith(" R") else ref
def value(ref):
    o = get(ref)
    return o.get("value", o) if isinstance(o, dict) and ("value" in o or "stream" in o) else o
def text(v):  # a PDF string as qpdf shows it: u:… (text) or b:… (bytes)
    v = value(v)
    return v[2:] if isinstance(v, str) and v[:2] in ("u:", "b:") else v
trailer = objs["trailer"]["value"]
if "/Encrypt" in trailer:
    fail("encrypted")
if "/ID" not in trailer:
    fail("no /ID in the trailer")
info = value(trailer["/Info"])
catalog = value(trailer["/Root"])
# The metadata: an unfiltered XML stream in the catalog.
meta = get(catalog.get("/Metadata"))
if "stream" not in meta:
    fail("no /Metadata stream in the catalog")
d = meta["stream"]["dict"]
if d.get("/Type") != "/Metadata" or d.get("/Subtype") != "/XML" or "/Filter" in d:
    fail(f"metadata stream dictionary {d}")
import base64
xmp = base64.b64decode(meta["stream"]["data"]).decode("utf-8")
if not xmp.startswith("<?xpacket begin=") or not xmp.rstrip().endswith('<?xpacket end="r"?>'):
    fail("not an XMP packet")
root = ET.fromstring(xmp[xmp.index("<x:xmpmeta"):xmp.index("<?xpacket end")])
ns = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": "http://purl.org/dc/elements/1.1/",
      "xmp": "http://ns.adobe.com/xap/1.0/", "pdf": "http://ns.adobe.com/pdf/1.3/",
      "pdfaid": "http://www.aiim.org/pdfa/ns/id/"}
desc = root.find("rdf:RDF/rdf:Description", ns)
def prop(path):
    e = desc.find(path, ns)
    return e.text if e is not None else None
if prop("pdfaid:part") != "2" or prop("pdfaid:conformance") != "B":
    fail("the identification is not PDF/A-2b")
def pdf_date_to_xmp(v):
    m = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-])(\d\d)'(\d\d)'", v)
    return f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6]}{m[7]}{m[8]}:{m[9]}" if m else "?" + v
pairs = [("/Title", "dc:title/rdf:Alt/rdf:li", text), ("/Author", "dc:creator/rdf:Seq/rdf:li", text),
         ("/Subject", "dc:description/rdf:Alt/rdf:li", text), ("/Keywords", "pdf:Keywords", text),
         ("/Creator", "xmp:CreatorTool", text), ("/Producer", "pdf:Producer", text),
         ("/CreationDate", "xmp:CreateDate", lambda v: pdf_date_to_xmp(text(v))),
         ("/ModDate", "xmp:ModifyDate", lambda v: pdf_date_to_xmp(text(v)))]
for key, path, conv in pairs:
    want = conv(info[key]) if key in info else None
    if prop(path) != want:
        fail(f"{key} is {want!r} in /Info but {prop(path)!r} in the XMP")
# The output intent: sRGB, an ICC profile of three components.
intents = value(catalog.get("/OutputIntents", []))
if len(intents) != 1:
    fail(f"{len(intents)} output intents")
intent = value(intents[0])
if intent.get("/S") != "/GTS_PDFA1" or text(intent.get("/OutputConditionIdentifier")) != "sRGB IEC61966-2.1":
    fail(f"output intent {intent}")
profile = get(intent["/DestOutputProfile"])
icc = base64.b64decode(profile["stream"]["data"])
if profile["stream"]["dict"].get("/N") != 3 or icc[36:40] != b"acsp" or icc[16:20] != b"RGB ":
    fail("the output intent's profile is not an RGB ICC profile with /N 3")
if len(icc) != int.from_bytes(icc[:4], "big"):
    fail("the ICC profile is cut short")
# Annotations: printable, not hidden; links with a destination, no actions that run anything.
annots = 0
for k, o in objs.items():
    v = o.get("value") if isinstance(o, dict) else None
    if not isinstance(v, dict):
        continue
    if v.get("/Type") == "/Annot":
        annots += 1
        flags = v.get("/F", 0)
        if not flags & 4 or flags & (1 | 2 | 32):
            fail(f"{k}: annotation flags {flags}")
        if v.get("/Subtype") != "/Link" or "/A" in v and value(v["/A"]).get("/S") != "/GoTo":
            fail(f"{k}: {v.get('/Subtype')} annotation or an action")
    if v.get("/Type") == "/FontDescriptor" and not any(
            f in v for f in ("/FontFile", "/FontFile2", "/FontFile3")):
        fail(f"{k}: a font not embedded")
    for forbidden in ("/JavaScript", "/AA", "/OCProperties", "/EmbeddedFiles", "/LZWDecode"):
        if forbidden in v or v.get("/Filter") == forbidden:
            fail(f"{k}: {forbidden}")
if annots == 0:
    fail("no link annotations found: the contents' links were expected")
print(f"XMP = /Info on {sum(1 for k, _, _ in pairs if k in info)} entries; {annots} annotations printable")
PY
}

# The sample, tagged (the structure tree in object streams) and untagged (libharu's file only).
"$bp" render "$sample" -o tagged.pdf >/dev/null 2>&1 && ok || bad "render failed"
"$bp" render "$sample" --untagged -o untagged.pdf >/dev/null 2>&1 && ok || bad "render --untagged failed"
preflight tagged.pdf tagged
preflight untagged.pdf untagged
check_file tagged.pdf tagged
check_file untagged.pdf untagged
# The allowances are used only where they apply: the untagged file has no cross-reference
# stream, and every CIDSet finding names one of the file's fonts.
grep -q "^1\.4 " untagged.findings && bad "untagged: an xref stream finding" || ok
grep -q "^1\.4 " tagged.findings && ok || bad "tagged: Preflight did not see the xref stream"
[ "$(grep -c '^3\.1\.11' tagged.findings)" -eq "$(pdffonts tagged.pdf | tail -n +3 | wc -l)" ] && ok ||
    bad "CIDSet findings do not match the fonts: $(cat tagged.findings)"

# A unit whose names carry XML's reserved characters: the XMP escapes them and still says what
# /Info says; dated, so the dates are compared too.
python3 - "$sample" <<'PY'
import json, sys
u = json.load(open(sys.argv[1], encoding="utf-8"))
u["unit"]["name"] = "A&B <测试> \"单位\""
json.dump(u, open("odd.json", "w", encoding="utf-8"), ensure_ascii=False)
PY
SOURCE_DATE_EPOCH=1700000000 "$bp" render odd.json -o odd.pdf >/dev/null 2>&1 && ok || bad "render odd.json failed"
check_file odd.pdf "reserved characters"
preflight odd.pdf odd
grep -q 'A&amp;B &lt;测试&gt; &quot;单位&quot;' <(qpdf --show-object="$(qpdf --show-object=1 odd.pdf |
    grep -o '/Metadata [0-9]*' | cut -d' ' -f2)" --raw-stream-data odd.pdf) && ok ||
    bad "the name is not escaped in the XMP"

# A damaged claim is caught: the same file with the XMP's title changed is refused by the check.
python3 - tagged.pdf <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
i = d.index(b'<rdf:li xml:lang="x-default">') + len(b'<rdf:li xml:lang="x-default">')
open("mismatch.pdf", "wb").write(d[:i] + b"X" + d[i + 1:])
PY
(check_file mismatch.pdf mismatch) >mismatch.out 2>&1
grep -q "FAIL mismatch" mismatch.out && grep -q "in /Info but" mismatch.out && ok ||
    bad "a title that differs between /Info and the XMP was not caught: $(cat mismatch.out)"
finish

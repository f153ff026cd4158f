#!/usr/bin/env bash
# Installs the Debian 12 packages budgetpress needs to build, test and render, and only those
# that are missing, so a second run costs nothing. Needs root (or sudo) when anything is missing.
# Usage: deps.sh [--test]   (--test adds what only the test suite needs: a real browser)
set -euo pipefail

packages=(
    gcc clang cmake make pkg-config           # toolchain; clang for the fuzzer
    libhpdf-dev libfreetype-dev libharfbuzz-dev libjansson-dev libunibreak-dev
    libpng-dev                                # the PNG backend's writer
    libqpdf-dev                               # compare: reads the record a PDF carries
    libpoppler-glib-dev libcairo2-dev         # compare: draws and reads PDFs without one
    libzip-dev libexpat1-dev libfreexl-dev    # import: reads .xlsx and .xls workbooks
    libcmocka-dev                             # test framework
    python3 python3-jsonschema                # schema validation test
    fonts-arphic-uming fonts-wqy-zenhei       # the pinned fonts (fonts/README.md)
    fonts-noto-cjk                            # Noto Serif and Sans CJK SC (CFF outlines)
    libgs-common                              # the sRGB ICC profile of the PDF/A output intent
    poppler-utils                             # pdftotext, pdffonts, pdftoppm in the tests
    qpdf                                      # qpdf --check and --json in the PDF tests
    hyperfine time                            # whole-process timings in scripts/bench.sh
)
if [ "${1:-}" = "--test" ]; then
    packages+=(chromium)                      # batch's report.html read by a real browser
    # The tagged PDF read by the real readers besides poppler and qpdf: MuPDF, Ghostscript,
    # pdf.js (Debian's libjs-pdf, run by node).
    packages+=(mupdf-tools ghostscript libjs-pdf nodejs)
    # PDFBox Preflight, the PDF/A validator Debian has, and what it needs to run.
    packages+=(default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java)
    # Workbooks written by spreadsheet programs for the import tests: openpyxl and xlwt, and
    # LibreOffice Calc (headless, no GUI) to open them and save .xlsx and the old binary .xls.
    packages+=(python3-openpyxl python3-xlwt libreoffice-calc-nogui)
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

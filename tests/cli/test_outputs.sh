#!/usr/bin/env bash
# Never lose a clerk's data: no output over an input, outputs whole or not at all, devices
# written through, permissions kept, Ctrl-C leaves nothing behind, temporaries of dead runs
# removed (and only those), SOURCE_DATE_EPOCH read strictly.
# Usage: test_outputs.sh BPGEN BUDGETPRESS SOURCE_DIR
set -u
bpgen=$(realpath "$1")
bp=$(realpath "$2")
src=$(realpath "$3")
source "$(dirname "$0")/../lib.sh"

cp "$src/samples/201001-2022.json" "$work/unit.json"
cp "$work/unit.json" "$work/unit.orig"
cd "$work" || exit 1
unchanged() { cmp -s "$work/unit.json" "$work/unit.orig" && ok || bad "$1: the unit was changed"; }

# ---- An output that is an input is refused before any work, by identity, not by name ----
expect "-o the unit" 2 "-o unit.json is the unit unit.json: writing there would destroy it" -- \
    "$bp" render unit.json -o unit.json
unchanged "-o the unit"
expect "-o ./the unit" 2 "is the unit" -- "$bp" render unit.json -o ./unit.json
ln -s unit.json link.json
expect "-o a symlink to the unit" 2 "-o link.json is the unit unit.json" -- "$bp" render unit.json -o link.json
[ -L link.json ] && ok || bad "the symlink to the unit was replaced"
ln unit.json hard.json
expect "-o a hard link to the unit" 2 "-o hard.json is the unit unit.json" -- "$bp" render unit.json -o hard.json
expect "--dump-pages the unit" 2 "--dump-pages unit.json is the unit unit.json" -- \
    "$bp" render unit.json -o u.pdf --dump-pages unit.json
unchanged "--dump-pages the unit"
[ ! -e u.pdf ] && ok || bad "a refused render wrote its PDF"
cp "$src/layouts/unit-2022.json" layout.json
cp layout.json layout.orig
expect "-o the layout" 2 "-o layout.json is the layout layout.json" -- \
    "$bp" render unit.json --layout layout.json -o layout.json
cmp -s layout.json layout.orig && ok || bad "the layout was changed"
expect "-o and --dump-pages one file" 2 "-o x.pdf and --dump-pages ./x.pdf are the same file" -- \
    "$bp" render unit.json -o x.pdf --dump-pages ./x.pdf
expect "both to standard output" 2 "are the same file" -- "$bp" render unit.json -o - --dump-pages -

# batch: no PDF or report over an input (here a list file named like the HTML report).
mkdir -p region out
cp unit.json region/a.json
printf '%s\n' "$work/region/a.json" >out/report.html
expect "batch: report over a list file" 2 "the report out/report.html is the input out/report.html" -- \
    "$bp" batch out/report.html -o out
grep -q "region/a.json" out/report.html && ok || bad "batch wrote over its list file"
rm -rf out

# ---- Standard output, devices, FIFOs and symlinks ----
"$bp" render unit.json -o - >stdout.pdf 2>stderr.txt
[ $? -eq 0 ] && ok || bad "-o - failed: $(cat stderr.txt)"
[ "$(head -c 5 stdout.pdf)" = "%PDF-" ] && pdfinfo stdout.pdf >/dev/null 2>&1 && ok ||
    bad "-o -: standard output is not the PDF alone"
grep -q "wrote standard output (36 pages" stderr.txt && ok || bad "-o -: no 'wrote' line on stderr"
"$bp" render unit.json -o unit.pdf >/dev/null 2>&1
cmp -s stdout.pdf unit.pdf && ok || bad "-o - differs from the file render"
if command -v script >/dev/null; then
    script -qec "$bp render $work/unit.json -o -" /dev/null >tty.txt 2>&1
    grep -q "not writing a PDF to a terminal" tty.txt && ok || bad "-o - to a terminal: $(head -c 300 tty.txt)"
fi

ln -s /dev/null devlink
expect "-o a symlink to a device" 0 "wrote devlink" -- "$bp" render unit.json -o devlink
[ -L devlink ] && [ "$(readlink devlink)" = /dev/null ] && [ -c /dev/null ] && ok ||
    bad "the symlink to /dev/null was replaced: $(ls -l devlink)"
mkfifo fifo
timeout 60 cat fifo >fromfifo.pdf &
reader=$!
expect "-o a FIFO" 0 "wrote fifo" -- "$bp" render unit.json -o fifo
wait $reader
[ -p fifo ] && cmp -s fromfifo.pdf unit.pdf && ok || bad "-o FIFO: not written through, or not the PDF"
expect "-o /dev/full" 2 "cannot write the PDF: No space left on device" -- "$bp" render unit.json -o /dev/full

echo old >target.pdf
ln -s target.pdf alias.pdf
expect "-o a symlink to a file" 0 "wrote alias.pdf" -- "$bp" render unit.json -o alias.pdf
[ -L alias.pdf ] && cmp -s target.pdf unit.pdf && ok || bad "-o symlink: the link was replaced or the file not"

# ---- A re-render keeps the file's permissions ----
chmod 600 unit.pdf
"$bp" render unit.json -o unit.pdf >/dev/null 2>&1
[ "$(stat -c %a unit.pdf)" = 600 ] && ok || bad "re-render changed the permissions to $(stat -c %a unit.pdf)"
umask 027
"$bp" render unit.json -o fresh.pdf >/dev/null 2>&1
[ "$(stat -c %a fresh.pdf)" = 640 ] && ok || bad "a new PDF ignores the umask: $(stat -c %a fresh.pdf)"
umask 022

# ---- Writes that fail leave the old file whole and no temporary ----
"$bp" render unit.json -o dump-ok.pdf --dump-pages pages.dl >/dev/null 2>&1
cp pages.dl pages.orig
(
    trap '' XFSZ
    ulimit -f 64 # KiB: the dump (2 MB) cannot be written, the old one must stay
    "$bp" render unit.json -o dump2.pdf --dump-pages pages.dl >limit.out 2>&1
    echo $? >limit.status
)
[ "$(cat limit.status)" = 2 ] && grep -q "cannot write the page dump: File too large" limit.out && ok ||
    bad "dump over the file-size limit: exit $(cat limit.status), $(tail -3 limit.out)"
cmp -s pages.dl pages.orig && ok || bad "a failed dump changed the old dump"
[ -z "$(ls -A | grep '^\.budgetpress-')" ] && ok || bad "a failed write left a temporary"

# ---- Ctrl-C and SIGTERM: the temporary is removed, the old PDF stays, the shell sees it ----
"$bpgen" --rows 40000 --seed 3 -o long.json >/dev/null
echo "the old PDF" >long.pdf
for sig in INT TERM; do
    (
        trap - INT TERM
        exec "$bp" render long.json -o long.pdf >sig.out 2>&1
    ) &
    pid=$!
    for _ in $(seq 1 500); do
        [ -n "$(ls -A | grep '^\.budgetpress-')" ] && break
        sleep 0.01
    done
    seen=$(ls -A | grep -c '^\.budgetpress-')
    kill -$sig $pid
    wait $pid
    status=$?
    want=$((128 + $(kill -l $sig)))
    [ "$seen" -eq 1 ] && [ "$status" -eq "$want" ] && ok ||
        bad "SIG$sig: temporaries seen $seen, exit $status (wanted $want): $(cat sig.out)"
    [ "$(cat long.pdf)" = "the old PDF" ] && ok || bad "SIG$sig: the old PDF was replaced"
    [ -z "$(ls -A | grep '^\.budgetpress-')" ] && ok || bad "SIG$sig: temporary left: $(ls -A)"
    grep -q "left as it was" sig.out && ok || bad "SIG$sig: no word of the stop: $(cat sig.out)"
done

# ---- Temporaries of dead runs go; a living run's stay ----
: >.budgetpress-DeAd01
(
    exec 9>.budgetpress-L1ve01
    flock 9
    exec sleep 30
) </dev/null >/dev/null 2>&1 &
holder=$!
for _ in $(seq 1 100); do [ -e .budgetpress-L1ve01 ] && break; sleep 0.01; done
sleep 0.1
"$bp" render unit.json -o beside.pdf >/dev/null 2>&1
[ ! -e .budgetpress-DeAd01 ] && ok || bad "a dead run's temporary was kept"
[ -e .budgetpress-L1ve01 ] && ok || bad "a living run's temporary was removed"
kill $holder 2>/dev/null
wait $holder 2>/dev/null
rm -f .budgetpress-L1ve01

# ---- A file name near the limit (255 bytes) still renders ----
long_name=$(printf 'x%.0s' $(seq 1 246))
cp unit.json "$long_name.json"
expect "a 251-byte file name" 0 "wrote $long_name.pdf" -- "$bp" render "$long_name.json"

# ---- SOURCE_DATE_EPOCH is read strictly ----
for value in abc -5 1e9 99999999999999999999 253402271999000 " 12"; do
    expect "SOURCE_DATE_EPOCH=$value" 2 "SOURCE_DATE_EPOCH=\".*\": expected whole seconds since 1970" -- \
        env SOURCE_DATE_EPOCH="$value" "$bp" render unit.json -o sde.pdf
done
[ ! -e sde.pdf ] && ok || bad "a bad SOURCE_DATE_EPOCH still rendered"
expect "SOURCE_DATE_EPOCH=0" 0 "wrote sde.pdf" -- env SOURCE_DATE_EPOCH=0 "$bp" render unit.json -o sde.pdf
pdfinfo sde.pdf | grep -q "CreationDate:.*1970" && ok || bad "SOURCE_DATE_EPOCH=0: $(pdfinfo sde.pdf | grep Creation)"
expect "batch: bad SOURCE_DATE_EPOCH" 2 "SOURCE_DATE_EPOCH" -- \
    env SOURCE_DATE_EPOCH=x "$bp" batch region -o sde-out
[ ! -e sde-out/a.pdf ] && ok || bad "batch rendered with a bad SOURCE_DATE_EPOCH"

finish

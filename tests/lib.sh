# lib.sh: what the shell tests share: a scratch folder removed on exit, counters, and the closing
# "N passed, N failed" line that also sets the exit status. Source it, then call `finish`.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() {
    failed=$((failed + 1))
    echo "FAIL $*"
}

# expect NAME STATUS PATTERN -- COMMAND...: runs COMMAND, wants STATUS and PATTERN (a grep -E
# regex) somewhere in its stdout+stderr.
expect() {
    local name=$1 want=$2 pattern=$3
    shift 4
    local out status
    out=$("$@" 2>&1)
    status=$?
    if [ "$status" -eq "$want" ] && grep -qE -- "$pattern" <<<"$out"; then
        ok
    else
        bad "$name: exit $status (wanted $want), output:"
        printf '%s\n' "$out"
    fi
}

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

#!/bin/sh
# Runs test programs and counts their results.
#
# Each argument is an executable that prints one line per test case:
# "ok <name>" or "not ok <name>: <reason>".  A program that exits non-zero
# without reporting a failure, or that reports nothing, counts as one failed
# test.  The last line is "N passed, N failed"; the exit status is non-zero
# when anything failed.
set -u

passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for prog in "$@"; do
    name=$(basename "$prog")
    start=$(date +%s)
    "$prog" >"$log" 2>&1
    status=$?
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    grep -E '^(not ok |#)' "$log"
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "not ok $name: exited with status $status; last output:"
        tail -n 20 "$log" | sed 's/^/#   /'
        f=1
    elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "not ok $name: reported no tests"
        f=1
    fi
    echo "# $name: $p passed, $f failed ($(( $(date +%s) - start )) s)"
    passed=$((passed + p))
    failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# Runs each libFuzzer binary given as argument for $FUZZ_SECONDS seconds,
# starting from its seed corpus, and prints "ok fuzz/<name>" or "not ok".
# New inputs go to a scratch corpus under $BUILD, never into the repository.
set -u
: "${FUZZ_SECONDS:=20}" "${BUILD:=build}"
here=$(cd "$(dirname "$0")" && pwd)
status=0
for bin in "$@"; do
    name=$(basename "$bin")
    seeds="$here/corpus/$name"
    work="$BUILD/fuzz-corpus/$name"
    mkdir -p "$work" "$BUILD/fuzz-artifacts"
    log="$BUILD/fuzz-artifacts/$name.log"
    [ -d "$seeds" ] || seeds=""
    # shellcheck disable=SC2086
    if "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$BUILD/fuzz-artifacts/$name-" "$work" $seeds >"$log" 2>&1; then
        runs=$(grep -o 'Done [0-9]* runs' "$log" | tail -n 1)
        echo "ok fuzz/$name ($runs in ${FUZZ_SECONDS} s)"
    else
        echo "not ok fuzz/$name: crash, see $log"
        grep -E 'ERROR|SUMMARY|Test unit written|No such' "$log" | head -n 5 | sed 's/^/#   /'
        status=1
    fi
done
exit $status

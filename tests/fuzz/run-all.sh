#!/bin/sh
# `make test` entry: every fuzz target that was built, for a bounded time.
here=$(cd "$(dirname "$0")" && pwd)
: "${BUILD:=build}"
targets=""
for f in "$BUILD"/fuzz/fuzz_*; do
    [ -f "$f" ] && [ -x "$f" ] && targets="$targets $f"
done
# shellcheck disable=SC2086
exec "$here/run.sh" $targets

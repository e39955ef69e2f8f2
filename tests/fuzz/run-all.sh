#!/bin/sh
# `make test` entry: every fuzz target that was built, for a bounded time.
here=$(cd "$(dirname "$0")" && pwd)
: "${BUILD:=build}"
exec "$here/run.sh" "$BUILD"/fuzz/fuzz_*

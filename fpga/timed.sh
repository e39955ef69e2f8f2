#!/bin/sh
# timed.sh FILE COMMAND...: runs COMMAND, writes its wall-clock seconds to FILE,
# exits with its status.
out=$1
shift
start=$(date +%s.%N)
"$@"
status=$?
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f\n", e - s }' >"$out"
exit $status

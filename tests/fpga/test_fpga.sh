#!/bin/sh
# The iCE40 builds still match what docs/fpga.md claims for them: synthesises
# and places and routes every target marked "ci" in fpga/targets.json (the
# default decoder configuration on each device, and the largest that fits the
# UP5K) and compares the result with
# the target's "claim": it fits (or, for a target documented as not fitting,
# has not grown), uses no more logic cells than claimed, and reaches at least
# the claimed Fmax.  Builds go to $BUILD/fpga (default build/).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${BUILD:=build}"
start=$(date +%s)
targets=$(python3 -c 'import json, sys
spec = json.load(open(sys.argv[1]))
print(" ".join(t for t, e in spec["targets"].items() if e.get("ci")))' "$top/fpga/targets.json") || exit 1

case $BUILD in
    /*) out=$BUILD/fpga ;;
    *) out=$top/$BUILD/fpga ;;
esac

# Place and route again every time (the netlists are reused when current),
# so that no result of an earlier run is taken for this one's.
reports=""
for t in $targets; do
    rm -f "$out/$t.json" "$out/$t.asc" "$out/$t.nextpnr.log"
    reports="$reports report-$t"
done
# A target that does not fit fails its nextpnr run; the check reads why.
# shellcheck disable=SC2086
make -s -k -j2 -C "$top/fpga" BUILD="$BUILD" $reports >/dev/null 2>&1
# shellcheck disable=SC2086
python3 "$top/tests/fpga/check_claims.py" "$top/fpga/targets.json" "$out" $targets
status=$?
echo "# fpga checks took $(( $(date +%s) - start )) s"
exit $status

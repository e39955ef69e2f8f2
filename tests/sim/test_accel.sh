#!/bin/sh
# The accelerator system in Verilator (sim/accel_tb.cpp): bit-exact outputs
# against the integer reference under DRAM latency, jitter and back-pressure,
# damaged streams and timeouts recovered by a reset, registers and interrupt.
set -u
: "${BUILD:=build}"
status=0
for lanes in 4 8 16; do
    for test in registers bitexact corrupt-then-reset timeout-then-reset; do
        for seed in 1 2; do
            out=$("$BUILD/sim/accel$lanes/Vwc_accel" --test $test --seed $seed)
            code=$?
            echo "$out" | sed "s|accel/|accel/lanes$lanes/seed$seed/|"
            [ $code -eq 0 ] || status=1
        done
    done
done

# The demo on a few images: it fails by itself if one logit differs from the
# reference's; the figures it writes must be complete and consistent.
json="$BUILD/tests/accel-demo.json"
mkdir -p "$(dirname "$json")"
if "$BUILD/sim/accel8/Vwc_accel" --demo --images 30 --raw-images 2 --json "$json" >/dev/null &&
   /usr/bin/python3 - "$json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
keys = ("float_acc quant_acc ref_acc accel_acc images_on_accel bits_per_weight dram_bytes_raw "
        "dram_bytes_tans cycles_raw cycles_tans mac_utilization").split()
assert all(k in d for k in keys), [k for k in keys if k not in d]
assert d["images_on_accel"] == 30
assert d["accel_acc"] == d["ref_acc_on_accel_images"]
assert d["float_acc"] > 0.85 and d["ref_acc"] > 0.85, "the committed MLP lost its accuracy"
assert 0 < d["bits_per_weight"] < 8
assert d["dram_bytes_tans"] < d["dram_bytes_raw"] and d["cycles_tans"] < d["cycles_raw"]
assert 0 < d["mac_utilization"] <= 1
PY
then
    echo "ok accel/demo/30-images"
else
    echo "not ok accel/demo/30-images"
    status=1
fi
exit $status

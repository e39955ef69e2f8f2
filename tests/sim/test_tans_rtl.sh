#!/bin/sh
# The tANS decoder RTL against its golden model, cycle by cycle (sim/).
# Each run prints "ok"/"not ok"; the harness also checks the decoded symbols
# against the encoder's input, and bounded, well-behaved ends on bad input.
#
# SIM_DIR selects the builds (default $BUILD/sim); with COVERAGE_DIR set,
# every run writes its coverage there (the --coverage builds, make coverage).
set -u
: "${BUILD:=build}"
: "${SIM_DIR:=$BUILD/sim}"
models=${WC_MODELS_DIR:-$(cd "$(dirname "$0")/../.." && scripts/fetch-models.sh)}
status=0
runs=0

run() {
    cfg=$1 name=$2
    shift 2
    runs=$((runs + 1))
    if [ -n "${COVERAGE_DIR:-}" ]; then
        set -- "$@" --coverage "$COVERAGE_DIR/run$runs.dat"
    fi
    "$SIM_DIR/$cfg/Vtans_decoder" --name "rtl/$cfg/$name" "$@" || status=1
}

stalls="--in-valid 0.7 --out-ready 0.8"

# Distributions x table logs x lane counts, with random stalls on both sides.
for cfg in l1 l2 l4 l8 l16; do
    seed=1
    for dist in uniform gaussian single skew; do
        for log in 6 7 8; do
            run $cfg "$dist-log$log" --dist $dist --table-logs $log --sizes 3001,40 \
                --seed $seed $stalls
            seed=$((seed + 1))
        done
    done
    run $cfg all256 --dist all256 --alphabet 256 --table-logs 8 --sizes 5000 --seed $seed $stalls
    run $cfg multi-layer --dist gaussian --table-logs 5,6,7,8 --sizes 1,7,300,5000,20000,3,9000 \
        --seed $((seed + 1)) --in-valid 0.9 --out-ready 0.9
    run $cfg no-stalls --dist gaussian --table-logs 8 --sizes 20000,20000 --seed $((seed + 2))
done

# Narrow symbols, a small table bank and a short request queue.
run l8sw4 gaussian-15 --dist gaussian --alphabet 15 --table-logs 6,7,8 --sizes 5000,100,7000 $stalls
run l8sw4 too-wide-symbols --dist uniform --alphabet 200 --table-logs 8 --sizes 3000,2000 \
    --expect-error 4
run l3t6 logs-5-6 --dist gaussian --table-logs 5,6 --sizes 4000,33,8000 $stalls
run l3t6 skew --dist skew --table-logs 6 --sizes 20000 --seed 9 --in-valid 0.5 --out-ready 0.5

# Real layers: the quantized weights of the PaddleOCR models.
run l8 cls-15bins --model "$models/ch_ppocr_mobile_v2.0_cls_infer.onnx" --bins 15 \
    --table-logs 8 $stalls
run l4 cls-7bins-log6 --model "$models/ch_ppocr_mobile_v2.0_cls_infer.onnx" --bins 7 \
    --table-logs 6,7
run l16 det-15bins --model "$models/ch_PP-OCRv4_det_infer.onnx" --bins 15 --table-logs 8 \
    --in-valid 0.95 --out-ready 0.95
run l8 rec-15bins --model "$models/ch_PP-OCRv4_rec_infer.onnx" --bins 15 --table-logs 8
run l8sw4 cls-15bins-4bit --model "$models/ch_ppocr_mobile_v2.0_cls_infer.onnx" --bins 15 \
    --table-logs 7 $stalls

# Damaged streams: every kind, on two configurations, several seeds.
for cfg in l4 l8; do
    for kind in stream-header layer-magic table-sum unsupported-log lanes truncate extra \
                payload-short payload-long padding; do
        for seed in 1 2 3; do
            run $cfg "$kind-$seed" --corrupt $kind --seed $seed --dist gaussian \
                --table-logs 6,8,7 --sizes 2000,500,3000 $stalls
        done
    done
    run $cfg count-above-r --corrupt count-above-r --dist single --table-logs 6,8 \
        --sizes 3000,4000 $stalls
    for seed in 1 2 3 4 5 6 7 8 9 10 11 12; do
        run $cfg "flip-$seed" --corrupt flip --seed $seed --dist gaussian --table-logs 7,8 \
            --sizes 3000,2000 $stalls
        run $cfg "initial-state-$seed" --corrupt initial-state --seed $seed --dist uniform \
            --table-logs 6 --sizes 1000,1000 $stalls
    done
done

exit $status

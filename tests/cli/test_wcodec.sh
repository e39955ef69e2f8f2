#!/bin/sh
# End-to-end tests of the wcodec command on the real PaddleOCR models:
# round trips at several settings, inspect and bench output, and refusal of
# damaged files and bad options.  Prints "ok"/"not ok" lines.
set -u
: "${BUILD:=build}" "${WCODEC:=$BUILD/wcodec}"
top=$(cd "$(dirname "$0")/../.." && pwd)
models=$("$top/scripts/fetch-models.sh") || { echo "not ok cli/models: cannot get the models"; exit 1; }
check="$BUILD/tools/check_decompressed"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

pass() { echo "ok cli/$1"; }
fail() { echo "not ok cli/$1: $2"; status=1; }

# compress -> decompress -> compare with a fresh quantization of the model.
round_trip() {
    name=$1 model=$2 bins=$3 granularity=$4
    shift 4
    opts="--bins $bins $*"
    [ "$granularity" = per-channel ] && opts="$opts --per-channel"
    # shellcheck disable=SC2086
    if ! "$WCODEC" compress "$model" "$tmp/m.wcz" $opts 2>"$tmp/err"; then
        fail "$name" "compress failed: $(cat "$tmp/err")"
        return
    fi
    if ! "$WCODEC" decompress "$tmp/m.wcz" "$tmp/m.safetensors" 2>"$tmp/err"; then
        fail "$name" "decompress failed: $(cat "$tmp/err")"
        return
    fi
    if "$check" "$model" "$tmp/m.safetensors" "$bins" "$granularity" >"$tmp/check"; then
        pass "$name"
    else
        fail "$name" "$(head -n 3 "$tmp/check" | tr '\n' ' ')"
    fi
}

for m in cls det rec; do
    case $m in
        cls) model="$models/ch_ppocr_mobile_v2.0_cls_infer.onnx" ;;
        det) model="$models/ch_PP-OCRv4_det_infer.onnx" ;;
        rec) model="$models/ch_PP-OCRv4_rec_infer.onnx" ;;
    esac
    round_trip "round_trip_${m}_15bins_256states" "$model" 15 tensor --states 256
    round_trip "round_trip_${m}_7bins_64states_8lanes" "$model" 7 tensor --states 64 --lanes 8
    round_trip "round_trip_${m}_15bins_per_channel_4096states_3lanes" "$model" 15 per-channel \
        --states 4096 --lanes 3
done
cls="$models/ch_ppocr_mobile_v2.0_cls_infer.onnx"
round_trip round_trip_cls_255bins_huffman "$cls" 255 tensor --coder huffman
round_trip round_trip_cls_31bins_raw "$cls" 31 tensor --coder raw
round_trip round_trip_cls_255bins_32states_16lanes "$cls" 255 tensor --states 32 --lanes 16

# inspect: a row per tensor, JSON that parses, totals consistent with the file.
"$WCODEC" compress "$cls" "$tmp/cls.wcz" --lanes 8 2>/dev/null
if "$WCODEC" inspect "$tmp/cls.wcz" >"$tmp/inspect.txt" &&
    [ "$(grep -c ' tans \| raw \| verbatim ' "$tmp/inspect.txt")" -eq 249 ]; then
    pass inspect_lists_every_tensor
else
    fail inspect_lists_every_tensor "$(tail -n 2 "$tmp/inspect.txt")"
fi
if "$WCODEC" inspect "$tmp/cls.wcz" --json >"$tmp/inspect.json" &&
    python3 - "$tmp/inspect.json" "$(stat -c %s "$tmp/cls.wcz")" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["tensors"]) == 249
assert d["file_bytes"] == int(sys.argv[2]), (d["file_bytes"], sys.argv[2])
q = [t for t in d["tensors"] if t["kind"] == "quantized"]
assert sum(t["count"] for t in q) == d["quantized_weights"]
assert all(t["coded_bits_per_weight"] > 0 and t["bins"] == 15 for t in q)
PY
then pass inspect_json_is_consistent_with_the_file
else fail inspect_json_is_consistent_with_the_file "see $tmp/inspect.json"
fi

# bench --json: the documented keys, every coder, sizes above the H0 bound.
if "$WCODEC" bench "$cls" --json >"$tmp/bench.json" && python3 - "$tmp/bench.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
coders = {r["coder"] for r in d["rows"]}
assert coders >= {"tans", "huffman", "zlib", "zstd"}, coders
lanes = {r["lanes"] for r in d["rows"] if r["coder"] == "tans"}
assert lanes >= {1, 8}, lanes
for r in d["rows"]:
    assert set(r) >= {"coder", "states", "lanes", "bytes", "decode_mbps"}
    assert r["decode_mbps"] > 0
    if r["coder"] in ("tans", "huffman", "raw"):
        assert r["bytes"] >= d["h0_bytes"], r
PY
then pass bench_json_has_every_coder
else fail bench_json_has_every_coder "see $tmp/bench.json"
fi

# Damaged files: a message naming the problem, exit status 1, never a crash.
expect_refusal() {
    name=$1 pattern=$2
    shift 2
    "$@" >/dev/null 2>"$tmp/err"
    code=$?
    if [ "$code" -eq 1 ] && grep -q "$pattern" "$tmp/err"; then
        pass "$name"
    else
        fail "$name" "exit $code, stderr: $(head -c 300 "$tmp/err")"
    fi
}
size=$(stat -c %s "$tmp/cls.wcz")
head -c $((size / 2)) "$tmp/cls.wcz" >"$tmp/trunc.wcz"
expect_refusal refuses_truncated_file "after tensor .*truncated" "$WCODEC" decompress "$tmp/trunc.wcz" "$tmp/x.safetensors"
cp "$tmp/cls.wcz" "$tmp/flip.wcz"
printf '\377' | dd of="$tmp/flip.wcz" bs=1 seek=$((size / 3)) conv=notrunc 2>/dev/null
expect_refusal refuses_bit_flip_naming_the_tensor "tensor .*: CRC mismatch" "$WCODEC" inspect "$tmp/flip.wcz"
cp "$tmp/cls.wcz" "$tmp/v2.wcz"
printf '\002' | dd of="$tmp/v2.wcz" bs=1 seek=4 conv=notrunc 2>/dev/null
expect_refusal refuses_newer_version "version 2" "$WCODEC" inspect "$tmp/v2.wcz"
expect_refusal refuses_missing_file "No such file" "$WCODEC" inspect "$tmp/none.wcz"
expect_refusal refuses_non_model_input "" "$WCODEC" compress "$tmp/cls.wcz" "$tmp/y.wcz"

expect_usage() {
    name=$1 pattern=$2
    shift 2
    "$@" >/dev/null 2>"$tmp/err"
    code=$?
    if [ "$code" -eq 2 ] && grep -q "$pattern" "$tmp/err"; then
        pass "$name"
    else
        fail "$name" "exit $code, stderr: $(head -c 300 "$tmp/err")"
    fi
}
expect_usage refuses_even_bins "odd" "$WCODEC" compress "$cls" "$tmp/z.wcz" --bins 16
expect_usage refuses_states_not_power_of_two "power of two" "$WCODEC" compress "$cls" "$tmp/z.wcz" --states 100
expect_usage refuses_too_many_lanes "lanes" "$WCODEC" compress "$cls" "$tmp/z.wcz" --lanes 17
expect_usage refuses_unknown_coder "coder" "$WCODEC" compress "$cls" "$tmp/z.wcz" --coder lz4
expect_usage refuses_unknown_command "unknown command" "$WCODEC" frobnicate

exit $status

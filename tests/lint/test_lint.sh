#!/bin/sh
# Lint: Verilator -Wall on every RTL top (at several parameter settings),
# cppcheck on the C and C++ code, and the generated Verilog header up to date.
# Waivers, if ever needed, go in rtl/lint.vlt with a reason on each line.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {
    name=$1
    shift
    if "$@" >"$tmp/out" 2>&1; then
        echo "ok lint/$name"
    else
        echo "not ok lint/$name:"
        head -n 20 "$tmp/out" | sed 's/^/#   /'
        status=1
    fi
}

waivers=rtl/lint.vlt

decoder="rtl/tans_decoder.v rtl/tans_lane.v rtl/tans_table_builder.v rtl/axis_fifo2.v"
for params in "-GLANES=8" "-GLANES=1 -GTABLE_LOG_MAX=5 -GSYMBOL_WIDTH=1 -GREQUEST_QUEUE=2" \
              "-GLANES=16 -GTABLE_LOG_MAX=8 -GSYMBOL_WIDTH=8 -GREQUEST_QUEUE=8" \
              "-GLANES=3 -GTABLE_LOG_MAX=6 -GSYMBOL_WIDTH=4"; do
    # shellcheck disable=SC2086
    check "verilator tans_decoder $params" verilator --lint-only -Wall -Irtl $waivers \
        --top-module tans_decoder $params $decoder
done

accel="rtl/wc_accel.v rtl/axil_slave.v rtl/axi_read_master.v rtl/mac_array.v \
rtl/requant_unit.v $decoder"
for params in "-GLANES=8" "-GLANES=4 -GSYMBOL_WIDTH=4 -GIN_LOG=8 -GOUT_LOG=6" "-GLANES=16"; do
    # shellcheck disable=SC2086
    check "verilator wc_accel $params" verilator --lint-only -Wall -Irtl $waivers \
        --top-module wc_accel $params $accel
done

# Illegal parameters are refused at elaboration.
refused() {
    ! verilator --lint-only -Wall -Irtl --top-module tans_decoder "$@" $decoder
}
check "LANES=17 refused" refused -GLANES=17
check "TABLE_LOG_MAX=9 refused" refused -GTABLE_LOG_MAX=9
check "SYMBOL_WIDTH=0 refused" refused -GSYMBOL_WIDTH=0
check "accelerator LANES=6 refused" eval "! verilator --lint-only -Wall -Irtl $waivers \
    --top-module wc_accel -GLANES=6 $accel" 

check cppcheck cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
    --enable=warning,performance,portability -I refmodel/lib -I driver \
    refmodel/lib refmodel/cli refmodel/tools driver tests/unit tests/tools tests/fuzz
check "cppcheck sim" cppcheck --quiet --error-exitcode=1 --std=c++14 --language=c++ \
    --enable=warning,performance,portability -I refmodel/lib -I sim -I driver sim

for header in tans_hw accel_regs; do
    scripts/c2vh.py refmodel/lib/common/$header.h >"$tmp/$header.vh"
    check "rtl/$header.vh matches refmodel/lib/common/$header.h" cmp "$tmp/$header.vh" rtl/$header.vh
done

exit $status

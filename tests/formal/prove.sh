#!/bin/sh
# Formal proofs with plain yosys (read_verilog -formal; sat -tempinduct),
# of the assertions in the RTL's `ifdef FORMAL blocks:
#  - axis_fifo2: at most two entries; a presented entry stays, unchanged,
#    until taken;
#  - tans_decoder, with every lane and the table builder replaced by
#    unconstrained stand-ins (tests/formal/stub_*.v): a layer never emits more
#    symbols than its n, never takes more than its P payload words, and after
#    the word with TLAST nothing waits for input; plus the layer bookkeeping
#    invariants these rest on.
# Each proof is a complete induction proof (base case and induction step).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${BUILD:=$top/build}"
log_dir="$BUILD/formal"
mkdir -p "$log_dir"
status=0

prove() {
    name=$1 read=$2 params=$3 module=$4 steps=$5
    log="$log_dir/$name.log"
    if yosys -p "read_verilog -formal -I$top/rtl $read; $params prep -top $module;
                 memory_map; opt -fast; flatten; rename -top formal_top; opt_clean;
                 sat -tempinduct -prove-asserts -set-assumes -seq 1 -maxsteps $steps -verify formal_top" \
        >"$log" 2>&1 && grep -q "Induction step proven: SUCCESS" "$log"; then
        echo "ok formal/$name ($(grep -c '^Import proof for assert' "$log") assertion imports)"
    else
        echo "not ok formal/$name: see $log"
        status=1
    fi
}

prove axis_fifo2 "$top/rtl/axis_fifo2.v" "chparam -set WIDTH 4 axis_fifo2;" axis_fifo2 8

decoder="$top/rtl/tans_decoder.v $top/rtl/axis_fifo2.v $top/tests/formal/stub_tans_lane.v \
$top/tests/formal/stub_tans_table_builder.v"
prove tans_decoder_lanes2 "$decoder" \
    "chparam -set LANES 2 -set TABLE_LOG_MAX 5 -set SYMBOL_WIDTH 2 -set REQUEST_QUEUE 2 tans_decoder;" \
    tans_decoder 8
prove tans_decoder_lanes8 "$decoder" \
    "chparam -set LANES 8 -set TABLE_LOG_MAX 8 -set SYMBOL_WIDTH 8 -set REQUEST_QUEUE 4 tans_decoder;" \
    tans_decoder 8

exit $status

# Verilator builds of the tANS decoder with its harness (sim/tans_decoder_tb.cpp),
# one per configuration: LANES, TABLE_LOG_MAX, SYMBOL_WIDTH, REQUEST_QUEUE.
# Each is built with FST tracing compiled in (off unless TRACE=1 or --trace)
# and with --assert; `make coverage` adds a --coverage build.

RTL_DECODER := rtl/tans_decoder.v rtl/tans_lane.v rtl/tans_table_builder.v rtl/axis_fifo2.v
TB_SRC := sim/tans_decoder_tb.cpp sim/stream_damage.cpp
# Verilator's make runs in the output directory: give it absolute paths.
ABS_SIM_SOURCES = $(abspath $(RTL_DECODER) $(TB_SRC))
TB_HDR := sim/stream_damage.h
SIM_CONFIGS := l1 l2 l4 l8 l16 l8sw4 l3t6
cfg_params = $(strip \
  $(if $(filter l1,$1),1 8 8 4) $(if $(filter l2,$1),2 8 8 4) $(if $(filter l4,$1),4 8 8 4) \
  $(if $(filter l8,$1),8 8 8 4) $(if $(filter l16,$1),16 8 8 4) \
  $(if $(filter l8sw4,$1),8 8 4 4) $(if $(filter l3t6,$1),3 6 8 2))

VERILATOR_FLAGS := --cc --exe --build -O2 --assert --trace-fst -Wall -I$(abspath rtl) \
                   --top-module tans_decoder
SIM_CXXFLAGS := -I$(abspath refmodel/lib) -I$(abspath sim) -O1 -std=c++14
SIM_LDFLAGS := $(abspath $(LIBWC)) -lzstd -lz -lm

# $(call verilate,config,extra flags,output dir)
define verilate
	@mkdir -p $3
	verilator $(VERILATOR_FLAGS) -j $(JOBS) $2 \
	  -GLANES=$(word 1,$(call cfg_params,$1)) -GTABLE_LOG_MAX=$(word 2,$(call cfg_params,$1)) \
	  -GSYMBOL_WIDTH=$(word 3,$(call cfg_params,$1)) -GREQUEST_QUEUE=$(word 4,$(call cfg_params,$1)) \
	  -CFLAGS "$(SIM_CXXFLAGS) -DTB_LANES=$(word 1,$(call cfg_params,$1)) \
	    -DTB_TABLE_LOG_MAX=$(word 2,$(call cfg_params,$1)) \
	    -DTB_SYMBOL_WIDTH=$(word 3,$(call cfg_params,$1)) \
	    -DTB_REQUEST_QUEUE=$(word 4,$(call cfg_params,$1))" \
	  -LDFLAGS "$(SIM_LDFLAGS)" -Mdir $3 $(ABS_SIM_SOURCES) >$3/build.log 2>&1 \
	  || (tail -n 30 $3/build.log; exit 1)
endef

SIM_BINS := $(foreach c,$(SIM_CONFIGS),$(BUILD)/sim/$c/Vtans_decoder)

$(BUILD)/sim/%/Vtans_decoder: $(RTL_DECODER) rtl/tans_hw.vh $(TB_SRC) $(TB_HDR) $(LIBWC) | $(DEPS_STAMP)
	$(call verilate,$*,,$(@D))

$(BUILD)/sim-cov/%/Vtans_decoder: $(RTL_DECODER) rtl/tans_hw.vh $(TB_SRC) $(TB_HDR) $(LIBWC) | $(DEPS_STAMP)
	$(call verilate,$*,--coverage,$(@D))

TEST_PROGS += tests/sim/test_tans_rtl.sh tests/formal/prove.sh
test: $(SIM_BINS)

.PHONY: sim coverage bench-rtl
sim: $(SIM_BINS)

# Line, branch and toggle coverage of the RTL over the whole RTL test suite.
SIM_COV_BINS := $(foreach c,$(SIM_CONFIGS),$(BUILD)/sim-cov/$c/Vtans_decoder)
coverage: $(SIM_COV_BINS)
	rm -rf $(BUILD)/coverage && mkdir -p $(BUILD)/coverage
	SIM_DIR=$(BUILD)/sim-cov COVERAGE_DIR=$(BUILD)/coverage BUILD=$(BUILD) \
	    tests/sim/test_tans_rtl.sh >$(BUILD)/coverage/runs.log
	scripts/coverage_summary.py $(BUILD)/coverage/summary.json $(BUILD)/coverage/*.dat
	verilator_coverage --annotate $(BUILD)/coverage/annotated $(BUILD)/coverage/*.dat >/dev/null

# Throughput in simulation without stalls: build/rtl-bench.json.
bench-rtl: $(SIM_BINS)
	scripts/bench_rtl.py $(BUILD)/sim "$$(scripts/fetch-models.sh)" $(BUILD)/rtl-bench.json

# The accelerator system (sim/accel_tb.cpp): wc_accel + DRAM model + driver.
RTL_ACCEL := rtl/wc_accel.v rtl/axil_slave.v rtl/axi_read_master.v rtl/mac_array.v \
             rtl/requant_unit.v $(RTL_DECODER)
ACCEL_TB_SRC := sim/accel_tb.cpp sim/accel_sim.cpp sim/accel_demo.cpp
ACCEL_LANES := 4 8 16
ACCEL_BINS := $(foreach l,$(ACCEL_LANES),$(BUILD)/sim/accel$l/Vwc_accel)

$(BUILD)/sim/accel%/Vwc_accel: $(RTL_ACCEL) rtl/accel_regs.vh rtl/tans_hw.vh rtl/lint.vlt \
                               $(ACCEL_TB_SRC) sim/accel_sim.h sim/accel_demo.h $(LIBWC) \
                               $(LIBWCDRV) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	verilator --cc --exe --build -O2 --assert --trace-fst -Wall -I$(abspath rtl) \
	  $(abspath rtl/lint.vlt) --top-module wc_accel -j $(JOBS) -GLANES=$* \
	  -CFLAGS "$(SIM_CXXFLAGS) -I$(abspath driver) -DTB_LANES=$* -DTB_TABLE_LOG_MAX=8" \
	  -LDFLAGS "$(abspath $(LIBWCDRV)) $(SIM_LDFLAGS)" -Mdir $(@D) \
	  $(abspath $(RTL_ACCEL) $(ACCEL_TB_SRC)) >$(@D)/build.log 2>&1 \
	  || (tail -n 30 $(@D)/build.log; exit 1)

TEST_PROGS += tests/sim/test_accel.sh
test: $(ACCEL_BINS)
sim: $(ACCEL_BINS)

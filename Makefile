# Top-level build: `make demo` runs the main job, `make test` runs every test.
# Everything is built under $(BUILD); scripts/deps.sh installs what is missing.

BUILD ?= build
CC := gcc
CXX := g++
JOBS ?= $(shell nproc)

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wvla -Wformat=2 -Wundef
CPPFLAGS := -Irefmodel/lib -Idriver
CFLAGS := -std=c11 -O2 -g $(WARNINGS)
SANFLAGS := -std=c11 -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all $(WARNINGS)
LDLIBS := -lzstd -lz -lm

DEPS_STAMP := $(BUILD)/deps.stamp
export FUZZ_SECONDS

.PHONY: all test demo sweep lint clean deps models bench-codec fpga fpga-sweep
.DEFAULT_GOAL := all

all: $(DEPS_STAMP)

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/deps.sh
	scripts/deps.sh
	@mkdir -p $(@D) && touch $@

include refmodel/refmodel.mk
include refmodel/tools/tools.mk
include driver/driver.mk
include tests/tests.mk
include sim/sim.mk

# Every group of tests prints "ok"/"not ok" lines; run-tests.sh sums them up.
test: all $(TEST_PROGS)
	BUILD=$(BUILD) WCODEC=$(WCODEC) WC_MODELS_DIR="$$(scripts/fetch-models.sh)" \
	    scripts/run-tests.sh $(TEST_PROGS)

# The main job: the Fashion-MNIST MLP, pruned, quantized and tANS-coded, runs
# on the simulated accelerator (8 lanes); figures also go to $(BUILD)/demo.json.
demo: all $(BUILD)/sim/accel8/Vwc_accel
	$(BUILD)/sim/accel8/Vwc_accel --demo --model $(MLP_WEIGHTS) --json $(BUILD)/demo.json

# DRAM bytes per cycle x lanes on the accelerator: table and plot in docs/accel.md.
sweep: all $(ACCEL_BINS)
	scripts/accel_sweep.py $(BUILD)/sim $(MLP_WEIGHTS) $(BUILD)/sweep --update docs/accel.md

# The codec on the real models: sizes and decode speeds of every coder,
# written into README.md.
bench-codec: all
	scripts/bench_codec.py $(WCODEC) "$$(scripts/fetch-models.sh)" $(BUILD)/bench --update README.md

# iCE40 builds (docs/fpga.md): bitstreams and reports into $(BUILD)/fpga;
# fpga-sweep rewrites the measured section of docs/fpga.md.
fpga: $(DEPS_STAMP)
	$(MAKE) -C fpga BUILD=$(abspath $(BUILD))

fpga-sweep: $(DEPS_STAMP)
	$(MAKE) -C fpga BUILD=$(abspath $(BUILD)) sweep

TEST_PROGS += tests/fpga/test_fpga.sh

# Verilator -Wall on the RTL, cppcheck on the C, generated headers current.
lint: $(DEPS_STAMP)
	tests/lint/test_lint.sh

# Models are fetched into a git-ignored cache (or taken from ../shared).
models: $(DEPS_STAMP)
	scripts/fetch-models.sh

clean:
	rm -rf $(BUILD)

# Unit tests (tests/unit/test_*.c) are built with sanitizers against libwc-san.
# TEST_PROGS lists every test program `make test` runs, in order.

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

TEST_PROGS += $(UNIT_BIN)

$(BUILD)/tests/%: tests/unit/%.c $(LIBWCDRV_SAN) $(LIBWC_SAN) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit $(SANFLAGS) -MMD -MP $< $(LIBWCDRV_SAN) $(LIBWC_SAN) $(LDLIBS) -o $@

-include $(UNIT_BIN:=.d)

# libFuzzer targets (tests/fuzz/fuzz_*.c, each defining LLVMFuzzerTestOneInput)
# are built with clang against a clang build of the library, and each runs for
# FUZZ_SECONDS under ASan + UBSan, starting from tests/fuzz/corpus/<target>/.
FUZZ_SECONDS ?= 20
FUZZ_CFLAGS := -std=c11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
LIB_FUZZ_OBJ := $(patsubst %.c,$(BUILD)/fuzzobj/%.o,$(LIB_SRC))
LIBWC_FUZZ := $(BUILD)/libwc-fuzz.a

$(BUILD)/fuzzobj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	clang $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(LIBWC_FUZZ): $(LIB_FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIBWC_FUZZ) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	clang $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -MMD -MP $< $(LIBWC_FUZZ) $(LDLIBS) -o $@

-include $(LIB_FUZZ_OBJ:.o=.d) $(FUZZ_BIN:=.d)

.PHONY: fuzz
fuzz: $(FUZZ_BIN)
	BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_BIN)

ifneq ($(FUZZ_SRC),)
TEST_PROGS += tests/fuzz/run-all.sh
test: $(FUZZ_BIN)
endif

# Tools the shell tests use, built against the optimised library.
TOOL_SRC := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRC))

$(BUILD)/tools/%: tests/tools/%.c $(LIBWC) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP $< $(LIBWC) $(LDLIBS) -o $@

-include $(TOOL_BIN:=.d)

TEST_PROGS += tests/lint/test_lint.sh

# Shell tests (tests/cli/test_*.sh) run the built tools and wcodec.
TEST_PROGS += $(sort $(wildcard tests/cli/test_*.sh))
test: $(TOOL_BIN)

# Tools (refmodel/tools/<name>.c), each linked with libwc into $(BUILD)/<name>,
# and `make train`, which trains the demo's Fashion-MNIST MLP into models/.

TOOLS_SRC := $(sort $(wildcard refmodel/tools/*.c))
TOOLS_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(TOOLS_SRC))
TOOLS_BIN := $(patsubst refmodel/tools/%.c,$(BUILD)/%,$(TOOLS_SRC))
MLP_WEIGHTS := models/mlp-fashion.safetensors

all: $(TOOLS_BIN)

$(TOOLS_BIN): $(BUILD)/%: $(BUILD)/obj/refmodel/tools/%.o $(LIBWC)
	$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

# Always retrains (the weights are committed, so nothing else triggers it).
.PHONY: train
train: $(BUILD)/train
	@mkdir -p $(dir $(MLP_WEIGHTS))
	$(BUILD)/train $(MLP_WEIGHTS)

-include $(TOOLS_OBJ:.o=.d)

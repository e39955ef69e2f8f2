# The C reference library (libwc) and the wcodec command-line tool.
# Two builds of the library: optimised, and with AddressSanitizer + UBSan for tests.

LIB_SRC := $(sort $(wildcard refmodel/lib/*/*.c))
LIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC))
LIB_SAN_OBJ := $(patsubst %.c,$(BUILD)/san/%.o,$(LIB_SRC))
LIBWC := $(BUILD)/libwc.a
LIBWC_SAN := $(BUILD)/libwc-san.a

CLI_SRC := $(sort $(wildcard refmodel/cli/*.c))
CLI_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_SRC))
WCODEC := $(BUILD)/wcodec

all: $(LIBWC) $(WCODEC)

$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/san/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(SANFLAGS) -MMD -MP -c $< -o $@

$(LIBWC): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(LIBWC_SAN): $(LIB_SAN_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(WCODEC): $(CLI_OBJ) $(LIBWC)
	$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

-include $(LIB_OBJ:.o=.d) $(LIB_SAN_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

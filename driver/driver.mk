# The accelerator driver (driver/*.c): libwcdrv, optimised and sanitized.

DRV_SRC := $(sort $(wildcard driver/*.c))
DRV_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(DRV_SRC))
DRV_SAN_OBJ := $(patsubst %.c,$(BUILD)/san/%.o,$(DRV_SRC))
LIBWCDRV := $(BUILD)/libwcdrv.a
LIBWCDRV_SAN := $(BUILD)/libwcdrv-san.a

all: $(LIBWCDRV)

$(LIBWCDRV): $(DRV_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(LIBWCDRV_SAN): $(DRV_SAN_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

-include $(DRV_OBJ:.o=.d) $(DRV_SAN_OBJ:.o=.d)

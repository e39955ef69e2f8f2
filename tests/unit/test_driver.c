/* Tests of the accelerator driver (driver/wc_accel.h) against a fake device,
 * and of the memory-mapped bus on plain memory. */
#include <string.h>

#include "check.h"
#include "common/accel_regs.h"
#include "common/tans_hw.h"
#include "wc_accel.h"
#include "wc_accel_mmio.h"

/* A fake accelerator: registers, a run that lasts `run_ticks` and ends with
 * `error_code`, outputs 1000 + index. */
typedef struct {
    uint32_t regs[32];
    uint8_t dram[4096];
    uint32_t id;
    int busy_ticks;          /* ticks left in the current run; -1: never ends */
    int run_ticks;
    unsigned error_code;
    int stuck;               /* never ends, even after a reset */
    unsigned writes;         /* register writes seen */
    uint32_t layer_writes[8];
    unsigned layers_started;
} fake_device;

static uint32_t fake_read32(void *ctx, uint32_t offset)
{
    fake_device *f = ctx;
    switch (offset) {
    case WC_ACCEL_REG_ID: return f->id;
    case WC_ACCEL_REG_CONFIG:
        return 8u << WC_ACCEL_CONFIG_LANES_SHIFT | 8u << WC_ACCEL_CONFIG_TABLE_LOG_SHIFT |
               8u << WC_ACCEL_CONFIG_SYMBOL_WIDTH_SHIFT | 10u << WC_ACCEL_CONFIG_IN_MAX_LOG_SHIFT |
               9u << WC_ACCEL_CONFIG_OUT_MAX_LOG_SHIFT;
    case WC_ACCEL_REG_STATUS:
        if (f->busy_ticks != 0)
            return WC_ACCEL_STATUS_BUSY;
        return f->regs[WC_ACCEL_REG_STATUS / 4];
    case WC_ACCEL_REG_OUT_DATA: return 1000 + f->regs[WC_ACCEL_REG_OUT_INDEX / 4]++;
    default: return f->regs[offset / 4];
    }
}

static void fake_write32(void *ctx, uint32_t offset, uint32_t value)
{
    fake_device *f = ctx;
    f->writes++;
    if (offset == WC_ACCEL_REG_CTRL && (value & WC_ACCEL_CTRL_SOFT_RESET)) {
        f->busy_ticks = f->stuck ? -1 : 0;
        f->regs[WC_ACCEL_REG_STATUS / 4] = 0;
        return;
    }
    if (offset == WC_ACCEL_REG_CTRL && (value & WC_ACCEL_CTRL_START)) {
        f->busy_ticks = f->stuck ? -1 : f->run_ticks;
        if (f->layers_started < 8)
            f->layer_writes[f->layers_started] = f->regs[WC_ACCEL_REG_LAYER / 4];
        f->layers_started++;
        f->regs[WC_ACCEL_REG_CYCLES / 4] = 1234;
        f->regs[WC_ACCEL_REG_STATUS / 4] =
            WC_ACCEL_STATUS_DONE | (f->error_code ? WC_ACCEL_STATUS_ERROR : 0) |
            f->error_code << WC_ACCEL_STATUS_CODE_SHIFT;
        return;
    }
    f->regs[offset / 4] = value;
}

static int fake_dram_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
    fake_device *f = ctx;
    if (addr + len > sizeof f->dram)
        return -1;
    memcpy(f->dram + addr, src, len);
    return 0;
}

static int fake_dram_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
    fake_device *f = ctx;
    if (addr + len > sizeof f->dram)
        return -1;
    memcpy(dst, f->dram + addr, len);
    return 0;
}

static void fake_wait(void *ctx, uint32_t ticks)
{
    fake_device *f = ctx;
    while (ticks-- && f->busy_ticks > 0)
        f->busy_ticks--;
}

static wc_accel_bus fake_bus(fake_device *f)
{
    memset(f, 0, sizeof *f);
    f->id = WC_ACCEL_ID_VALUE;
    f->run_ticks = 50;
    wc_accel_bus b = {f, fake_read32, fake_write32, fake_dram_write, fake_dram_read, fake_wait,
                      sizeof f->dram};
    return b;
}

static wc_accel_layer good_layer(void)
{
    wc_accel_layer l = {0};
    l.weight_addr = 0x100;
    l.weight_bytes = 64;
    l.bias_addr = 0x40;
    l.act_addr = 0x0;
    l.in = 20;
    l.out = 10;
    l.compressed = 1;
    l.relu = 1;
    l.input_dram = 1;
    l.zero_point = 7;
    l.mult = 300;
    l.shift = 12;
    return l;
}

static void open_checks_the_id_and_reads_config(void)
{
    fake_device f;
    wc_accel_bus bus = fake_bus(&f);
    wc_accel dev;
    wc_error err;
    f.id = 0xDEADBEEF;
    CHECK(wc_accel_open(&dev, &bus, &err) == WC_ERR_IO);
    CHECK_MSG(strstr(err.msg, "0xdeadbeef") != NULL, "%s", err.msg);
    f.id = WC_ACCEL_ID_VALUE;
    CHECK(wc_accel_open(&dev, &bus, &err) == WC_OK);
    CHECK(dev.lanes == 8 && dev.table_log_max == 8 && dev.in_max == 1024 && dev.out_max == 512);
}

static void bad_descriptors_are_refused_before_any_register_write(void)
{
    fake_device f;
    wc_accel_bus bus = fake_bus(&f);
    wc_accel dev;
    CHECK(wc_accel_open(&dev, &bus, NULL) == WC_OK);
    /* Each case spoils one field; the message must name it. */
    static const char *const named[] = {"in = 0",         "in = 2000",    "out = 600",
                                        "weight length",  "weight address", "bias address",
                                        "input address",  "shift",        "raw weights"};
    for (size_t c = 0; c < sizeof named / sizeof named[0]; c++) {
        wc_accel_layer l = good_layer();
        switch (c) {
        case 0: l.in = 0; break;
        case 1: l.in = 2000; break;
        case 2: l.out = 600; break;
        case 3: l.weight_bytes = 66; break;
        case 4: l.weight_addr = 4090; break;
        case 5: l.bias_addr = 0x42; break;
        case 6: l.act_addr = 4088; break;
        case 7: l.shift = 40; break;
        default: l.compressed = 0; break;  /* raw: 16 rows x 20 = 320 bytes expected */
        }
        wc_error err;
        unsigned before = f.writes;
        CHECK_MSG(wc_accel_start(&dev, &l, &err) == WC_ERR_ARG, "case '%s' accepted", named[c]);
        CHECK_MSG(strstr(err.msg, named[c]) != NULL, "case '%s': message '%s'", named[c],
                  err.msg);
        CHECK_MSG(f.writes == before, "case '%s' wrote registers", named[c]);
    }
}

static void start_writes_the_descriptor_fields(void)
{
    fake_device f;
    wc_accel_bus bus = fake_bus(&f);
    wc_accel dev;
    CHECK(wc_accel_open(&dev, &bus, NULL) == WC_OK);
    wc_accel_layer l = good_layer();
    CHECK(wc_accel_start(&dev, &l, NULL) == WC_OK);
    CHECK(f.regs[WC_ACCEL_REG_WEIGHT_ADDR / 4] == 0x100);
    CHECK(f.regs[WC_ACCEL_REG_WEIGHT_BYTES / 4] == 64);
    CHECK(f.regs[WC_ACCEL_REG_SHAPE / 4] == (20u | 10u << 16));
    CHECK(f.regs[WC_ACCEL_REG_REQUANT / 4] == (300u | 12u << 16));
    CHECK(f.layer_writes[0] == (WC_ACCEL_LAYER_COMPRESSED | WC_ACCEL_LAYER_RELU |
                                WC_ACCEL_LAYER_INPUT_DRAM | 7u << 8));
    CHECK(f.layers_started == 1);
}

static void wait_reports_timeouts_with_the_status(void)
{
    fake_device f;
    wc_accel_bus bus = fake_bus(&f);
    wc_accel dev;
    CHECK(wc_accel_open(&dev, &bus, NULL) == WC_OK);
    f.stuck = 1;
    wc_accel_layer l = good_layer();
    CHECK(wc_accel_start(&dev, &l, NULL) == WC_OK);
    wc_error err;
    CHECK(wc_accel_wait(&dev, 500, 10, NULL, &err) == WC_ERR_IO);
    CHECK_MSG(strstr(err.msg, "STATUS 0x00000001") && strstr(err.msg, "busy"), "%s", err.msg);
    /* A poll interval of 0 still counts time: the wait ends at the timeout. */
    CHECK(wc_accel_wait(&dev, 50, 0, NULL, &err) == WC_ERR_IO);
    CHECK(wc_accel_reset(&dev, 100, &err) == WC_ERR_IO);
    CHECK_MSG(strstr(err.msg, "reset"), "%s", err.msg);
    f.stuck = 0;
    CHECK(wc_accel_reset(&dev, 100, &err) == WC_OK);
}

static void errors_of_a_run_are_named(void)
{
    fake_device f;
    wc_accel_bus bus = fake_bus(&f);
    wc_accel dev;
    CHECK(wc_accel_open(&dev, &bus, NULL) == WC_OK);
    f.error_code = WC_TANS_ERR_FINAL_STATE;
    wc_accel_layer l = good_layer();
    wc_accel_counters c;
    wc_error err;
    CHECK(wc_accel_start(&dev, &l, NULL) == WC_OK);
    CHECK(wc_accel_wait(&dev, 1000, 10, &c, &err) == WC_ERR_CORRUPT);
    CHECK(dev.last_error == WC_TANS_ERR_FINAL_STATE);
    CHECK_MSG(strstr(err.msg, "final state"), "%s", err.msg);
    CHECK(c.cycles == 1234);
}

static void a_network_alternates_activation_halves(void)
{
    fake_device f;
    wc_accel_bus bus = fake_bus(&f);
    wc_accel dev;
    CHECK(wc_accel_open(&dev, &bus, NULL) == WC_OK);
    wc_accel_layer layers[3] = {good_layer(), good_layer(), good_layer()};
    layers[1].in = 10;
    layers[1].out = 10;
    layers[1].input_dram = 0;
    layers[2].in = 10;
    layers[2].out = 4;
    layers[2].input_dram = 0;
    layers[2].relu = 0;
    int32_t out[4];
    wc_accel_counters total;
    wc_error err;
    CHECK_MSG(wc_accel_run(&dev, layers, 3, 1000, out, &total, &err) == WC_OK, "%s", err.msg);
    CHECK(f.layers_started == 3);
    CHECK(!(f.layer_writes[0] & WC_ACCEL_LAYER_INPUT_HALF));
    CHECK(f.layer_writes[1] & WC_ACCEL_LAYER_INPUT_HALF);
    CHECK(!(f.layer_writes[2] & WC_ACCEL_LAYER_INPUT_HALF));
    CHECK(!(f.layer_writes[1] & WC_ACCEL_LAYER_INPUT_DRAM));
    CHECK(out[0] == 1000 && out[3] == 1003);
    CHECK(total.cycles == 3 * 1234);
    layers[1].in = 9;  /* does not match the layer before */
    CHECK(wc_accel_run(&dev, layers, 3, 1000, out, &total, &err) == WC_ERR_ARG);
    CHECK_MSG(strstr(err.msg, "layer 1"), "%s", err.msg);
}

static void load_checks_the_dram_range(void)
{
    fake_device f;
    wc_accel_bus bus = fake_bus(&f);
    wc_accel dev;
    CHECK(wc_accel_open(&dev, &bus, NULL) == WC_OK);
    uint8_t data[16] = {1, 2, 3};
    CHECK(wc_accel_load(&dev, 64, data, sizeof data, NULL) == WC_OK);
    CHECK(f.dram[64] == 1 && f.dram[66] == 3);
    CHECK(wc_accel_load(&dev, 4088, data, sizeof data, NULL) == WC_ERR_ARG);
}

static void mmio_bus_reaches_registers_and_dram(void)
{
    uint32_t regs[32] = {0};
    uint8_t dram[256] = {0};
    wc_accel_mmio map = {regs, dram, sizeof dram};
    wc_accel_bus bus;
    wc_accel_mmio_bus(&map, &bus);
    bus.write32(bus.ctx, WC_ACCEL_REG_SHAPE, 0x12345678);
    CHECK(regs[WC_ACCEL_REG_SHAPE / 4] == 0x12345678);
    regs[WC_ACCEL_REG_ID / 4] = 77;
    CHECK(bus.read32(bus.ctx, WC_ACCEL_REG_ID) == 77);
    uint8_t in[4] = {9, 8, 7, 6}, out[4];
    CHECK(bus.dram_write(bus.ctx, 252, in, 4) == 0 && dram[255] == 6);
    CHECK(bus.dram_read(bus.ctx, 252, out, 4) == 0 && out[0] == 9);
    CHECK(bus.dram_write(bus.ctx, 253, in, 4) != 0);
    bus.wait(bus.ctx, 1);
}

int main(void)
{
    check_suite = "driver";
    RUN(open_checks_the_id_and_reads_config);
    RUN(bad_descriptors_are_refused_before_any_register_write);
    RUN(start_writes_the_descriptor_fields);
    RUN(wait_reports_timeouts_with_the_status);
    RUN(errors_of_a_run_are_named);
    RUN(a_network_alternates_activation_halves);
    RUN(load_checks_the_dram_range);
    RUN(mmio_bus_reaches_registers_and_dram);
    return CHECK_EXIT_STATUS();
}

#include "wc_accel.h"

#include <stdio.h>
#include <string.h>

#include "common/accel_regs.h"
#include "common/tans_hw.h"

static uint32_t rd(const wc_accel *dev, uint32_t offset)
{
    return dev->bus.read32(dev->bus.ctx, offset);
}

static void wr(const wc_accel *dev, uint32_t offset, uint32_t value)
{
    dev->bus.write32(dev->bus.ctx, offset, value);
}

const char *wc_accel_error_name(unsigned code)
{
    switch (code) {
    case WC_TANS_ERR_NONE: return "none";
    case WC_TANS_ERR_STREAM_HEADER: return "bad stream header";
    case WC_TANS_ERR_LAYER_HEADER: return "bad layer header";
    case WC_TANS_ERR_TABLE: return "bad table";
    case WC_TANS_ERR_UNSUPPORTED: return "layer beyond this decoder";
    case WC_TANS_ERR_PAYLOAD_SHORT: return "payload too short";
    case WC_TANS_ERR_FINAL_STATE: return "wrong final state";
    case WC_TANS_ERR_PADDING: return "nonzero padding";
    case WC_TANS_ERR_PAYLOAD_LONG: return "payload too long";
    case WC_TANS_ERR_TRUNCATED: return "stream truncated";
    case WC_TANS_ERR_EXTRA_WORDS: return "words after the stream";
    case WC_ACCEL_ERR_WEIGHT_COUNT: return "weight count mismatch";
    case WC_ACCEL_ERR_DRAM: return "DRAM read error";
    case WC_ACCEL_ERR_SHAPE: return "shape beyond this accelerator";
    }
    return "unknown error";
}

/* "busy done error irq code N" for messages. */
static void describe_status(uint32_t s, char *buf, size_t size)
{
    snprintf(buf, size, "STATUS 0x%08x (%s%s%s%scode %u)", s,
             s & WC_ACCEL_STATUS_BUSY ? "busy, " : "", s & WC_ACCEL_STATUS_DONE ? "done, " : "",
             s & WC_ACCEL_STATUS_ERROR ? "error, " : "", s & WC_ACCEL_STATUS_IRQ ? "irq, " : "",
             (s >> WC_ACCEL_STATUS_CODE_SHIFT) & 0x1F);
}

wc_status wc_accel_open(wc_accel *dev, const wc_accel_bus *bus, wc_error *err)
{
    memset(dev, 0, sizeof *dev);
    dev->bus = *bus;
    if (!bus->read32 || !bus->write32 || !bus->dram_write || !bus->dram_read || !bus->wait)
        return wc_fail(err, WC_ERR_ARG, "the bus lacks a function");
    uint32_t id = rd(dev, WC_ACCEL_REG_ID);
    if (id != WC_ACCEL_ID_VALUE)
        return wc_fail(err, WC_ERR_IO, "no accelerator: ID register reads 0x%08x, not 0x%08x", id,
                       WC_ACCEL_ID_VALUE);
    uint32_t c = rd(dev, WC_ACCEL_REG_CONFIG);
    dev->lanes = (c >> WC_ACCEL_CONFIG_LANES_SHIFT) & 0x1F;
    dev->table_log_max = (c >> WC_ACCEL_CONFIG_TABLE_LOG_SHIFT) & 0xF;
    dev->symbol_width = (c >> WC_ACCEL_CONFIG_SYMBOL_WIDTH_SHIFT) & 0xF;
    dev->in_max = 1u << ((c >> WC_ACCEL_CONFIG_IN_MAX_LOG_SHIFT) & 0xF);
    dev->out_max = 1u << ((c >> WC_ACCEL_CONFIG_OUT_MAX_LOG_SHIFT) & 0xF);
    if (dev->lanes == 0 || dev->table_log_max == 0 || dev->symbol_width == 0)
        return wc_fail(err, WC_ERR_IO, "CONFIG register 0x%08x is not a valid build", c);
    return WC_OK;
}

wc_status wc_accel_reset(wc_accel *dev, uint32_t timeout, wc_error *err)
{
    wr(dev, WC_ACCEL_REG_CTRL, WC_ACCEL_CTRL_SOFT_RESET);
    for (uint32_t waited = 0;; waited++) {
        uint32_t s = rd(dev, WC_ACCEL_REG_STATUS);
        if (!(s & WC_ACCEL_STATUS_BUSY))
            break;
        if (waited >= timeout) {
            char text[96];
            describe_status(s, text, sizeof text);
            return wc_fail(err, WC_ERR_IO, "still busy %u ticks after a reset: %s", timeout, text);
        }
        dev->bus.wait(dev->bus.ctx, 1);
    }
    dev->input_half = 0;
    dev->last_error = 0;
    return WC_OK;
}

wc_status wc_accel_set_dram(wc_accel *dev, unsigned burst_words, unsigned outstanding,
                            wc_error *err)
{
    if (burst_words < 1 || burst_words > 16)
        return wc_fail(err, WC_ERR_ARG, "burst of %u words: 1..16 allowed", burst_words);
    if (outstanding < 1 || outstanding > 15)
        return wc_fail(err, WC_ERR_ARG, "%u bursts in flight: 1..15 allowed", outstanding);
    wr(dev, WC_ACCEL_REG_DRAM, burst_words | outstanding << WC_ACCEL_DRAM_OUTSTANDING_SHIFT);
    return WC_OK;
}

/* A DRAM range [addr, addr + len) that must lie inside the DRAM, 4-aligned. */
static wc_status check_range(const wc_accel *dev, const char *what, uint64_t addr, uint64_t len,
                             wc_error *err)
{
    if (addr % 4)
        return wc_fail(err, WC_ERR_ARG, "%s 0x%llx is not a multiple of 4", what,
                       (unsigned long long)addr);
    if (addr > dev->bus.dram_size || len > dev->bus.dram_size - addr)
        return wc_fail(err, WC_ERR_ARG, "%s 0x%llx + %llu bytes ends beyond the DRAM (%llu bytes)",
                       what, (unsigned long long)addr, (unsigned long long)len,
                       (unsigned long long)dev->bus.dram_size);
    return WC_OK;
}

wc_status wc_accel_check_layer(const wc_accel *dev, const wc_accel_layer *l, wc_error *err)
{
    if (l->in < 1 || l->in > dev->in_max)
        return wc_fail(err, WC_ERR_ARG, "in = %u: this accelerator takes 1..%u inputs", l->in,
                       dev->in_max);
    if (l->out < 1 || l->out > dev->out_max)
        return wc_fail(err, WC_ERR_ARG, "out = %u: this accelerator takes 1..%u outputs", l->out,
                       dev->out_max);
    if (l->shift > 31)
        return wc_fail(err, WC_ERR_ARG, "requantization shift %u: 0..31 allowed", l->shift);
    if (l->weight_bytes == 0 || l->weight_bytes % 4)
        return wc_fail(err, WC_ERR_ARG, "weight length %u is not a positive multiple of 4",
                       l->weight_bytes);
    if (l->head_bytes % 4 || l->head_bytes >= l->weight_bytes || (l->head_bytes && !l->compressed))
        return wc_fail(err, WC_ERR_ARG, "head length %u: a multiple of 4 below the weight length "
                       "%u, and 0 for raw weights", l->head_bytes, l->weight_bytes);
    if (!l->compressed) {
        uint64_t groups = (l->out + dev->lanes - 1) / dev->lanes;
        uint64_t need = (groups * dev->lanes * l->in + 3) / 4 * 4;
        if (l->weight_bytes != need)
            return wc_fail(err, WC_ERR_ARG, "raw weights of %u bytes for %ux%u at %u lanes: "
                           "%llu expected", l->weight_bytes, l->out, l->in, dev->lanes,
                           (unsigned long long)need);
    }
    wc_status st = check_range(dev, "weight address", l->weight_addr, l->weight_bytes, err);
    if (st == WC_OK)
        st = check_range(dev, "bias address", l->bias_addr, 4ull * l->out, err);
    if (st == WC_OK && l->input_dram)
        st = check_range(dev, "input address", l->act_addr, (l->in + 3ull) / 4 * 4, err);
    return st;
}

wc_status wc_accel_start(wc_accel *dev, const wc_accel_layer *l, wc_error *err)
{
    wc_status st = wc_accel_check_layer(dev, l, err);
    if (st != WC_OK)
        return st;
    if (rd(dev, WC_ACCEL_REG_STATUS) & WC_ACCEL_STATUS_BUSY)
        return wc_fail(err, WC_ERR_IO, "the accelerator is busy with another run");
    uint32_t flags = (l->compressed ? WC_ACCEL_LAYER_COMPRESSED : 0) |
                     (l->relu ? WC_ACCEL_LAYER_RELU : 0) |
                     (l->input_dram ? WC_ACCEL_LAYER_INPUT_DRAM : 0) |
                     (dev->input_half ? WC_ACCEL_LAYER_INPUT_HALF : 0) |
                     (uint32_t)l->zero_point << WC_ACCEL_LAYER_ZERO_POINT_SHIFT;
    wr(dev, WC_ACCEL_REG_WEIGHT_ADDR, l->weight_addr);
    wr(dev, WC_ACCEL_REG_WEIGHT_BYTES, l->weight_bytes);
    wr(dev, WC_ACCEL_REG_HEAD_BYTES, l->head_bytes);
    wr(dev, WC_ACCEL_REG_BIAS_ADDR, l->bias_addr);
    wr(dev, WC_ACCEL_REG_ACT_ADDR, l->act_addr);
    wr(dev, WC_ACCEL_REG_SHAPE, l->in | l->out << 16);
    wr(dev, WC_ACCEL_REG_LAYER, flags);
    wr(dev, WC_ACCEL_REG_REQUANT, l->mult | (uint32_t)l->shift << WC_ACCEL_REQUANT_SHIFT_SHIFT);
    wr(dev, WC_ACCEL_REG_CTRL, WC_ACCEL_CTRL_START);
    return WC_OK;
}

wc_status wc_accel_wait(wc_accel *dev, uint32_t timeout, uint32_t poll,
                        wc_accel_counters *counters, wc_error *err)
{
    const uint32_t step = poll ? poll : 1;
    uint32_t s = rd(dev, WC_ACCEL_REG_STATUS);
    for (uint64_t waited = 0; !(s & WC_ACCEL_STATUS_DONE); waited += step) {
        if (waited >= timeout) {
            char text[96];
            describe_status(s, text, sizeof text);
            return wc_fail(err, WC_ERR_IO, "the run did not end within %u ticks: %s", timeout,
                           text);
        }
        dev->bus.wait(dev->bus.ctx, step);
        s = rd(dev, WC_ACCEL_REG_STATUS);
    }
    if (counters) {
        counters->cycles = rd(dev, WC_ACCEL_REG_CYCLES);
        counters->dram_bytes = rd(dev, WC_ACCEL_REG_DRAM_BYTES);
        counters->mac_cycles = rd(dev, WC_ACCEL_REG_MAC_CYCLES);
    }
    dev->input_half = !dev->input_half;
    dev->last_error = (s >> WC_ACCEL_STATUS_CODE_SHIFT) & 0x1F;
    if (s & WC_ACCEL_STATUS_ERROR)
        return wc_fail(err, WC_ERR_CORRUPT, "accelerator error %u (%s)", dev->last_error,
                       wc_accel_error_name(dev->last_error));
    return WC_OK;
}

wc_status wc_accel_read_outputs(wc_accel *dev, uint32_t first, uint32_t count, int32_t *out,
                                wc_error *err)
{
    if (first > dev->out_max || count > dev->out_max - first)
        return wc_fail(err, WC_ERR_ARG, "outputs %u..%u beyond the %u this accelerator holds",
                       first, first + count, dev->out_max);
    wr(dev, WC_ACCEL_REG_OUT_INDEX, first);
    for (uint32_t i = 0; i < count; i++)
        out[i] = (int32_t)rd(dev, WC_ACCEL_REG_OUT_DATA);
    return WC_OK;
}

wc_status wc_accel_load(wc_accel *dev, uint64_t addr, const void *data, size_t size,
                        wc_error *err)
{
    wc_status st = check_range(dev, "load address", addr, size, err);
    if (st != WC_OK)
        return st;
    if (dev->bus.dram_write(dev->bus.ctx, addr, data, size) != 0)
        return wc_fail(err, WC_ERR_IO, "DRAM write of %zu bytes at 0x%llx failed", size,
                       (unsigned long long)addr);
    return WC_OK;
}

wc_status wc_accel_run(wc_accel *dev, const wc_accel_layer *layers, size_t n, uint32_t timeout,
                       int32_t *outputs, wc_accel_counters *total, wc_error *err)
{
    if (n == 0)
        return wc_fail(err, WC_ERR_ARG, "no layers to run");
    for (size_t i = 0; i < n; i++) {
        wc_status st = wc_accel_check_layer(dev, &layers[i], err);
        if (st == WC_OK && i > 0 && layers[i].in != layers[i - 1].out)
            st = wc_fail(err, WC_ERR_ARG, "takes %u inputs, the layer before gives %u",
                         layers[i].in, layers[i - 1].out);
        if (st == WC_OK && i + 1 < n && !layers[i].relu)
            st = wc_fail(err, WC_ERR_ARG, "a layer before the last must be a hidden (relu) layer");
        if (st != WC_OK)
            return wc_error_context(err, "layer %zu", i);
    }
    if (total)
        memset(total, 0, sizeof *total);
    for (size_t i = 0; i < n; i++) {
        wc_accel_counters c;
        wc_status st = wc_accel_start(dev, &layers[i], err);
        if (st == WC_OK)
            st = wc_accel_wait(dev, timeout, 16, &c, err);
        if (st != WC_OK)
            return wc_error_context(err, "layer %zu", i);
        if (total) {
            total->cycles += c.cycles;
            total->dram_bytes += c.dram_bytes;
            total->mac_cycles += c.mac_cycles;
        }
    }
    return wc_accel_read_outputs(dev, 0, layers[n - 1].out, outputs, err);
}

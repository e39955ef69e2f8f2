/* Driver of the weight-decoding accelerator (rtl/wc_accel.v).
 *
 * The driver talks to the hardware through a bus: register reads and writes,
 * DRAM copies, and a way to let time pass.  Two buses exist: the Verilator
 * simulation (sim/accel_tb.cpp) and memory-mapped hardware
 * (driver/wc_accel_mmio.h).  Register offsets and fields come from
 * refmodel/lib/common/accel_regs.h.
 *
 * Every layer descriptor is checked against the hardware's limits and the
 * DRAM's size before a register is written; every wait has a timeout and a
 * timeout is reported with the hardware's status. */
#ifndef WC_DRIVER_WC_ACCEL_H
#define WC_DRIVER_WC_ACCEL_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How the driver reaches the hardware.  `ticks` are the bus's unit of time
 * (clock cycles in simulation, microseconds on a board). */
typedef struct {
    void *ctx;
    uint32_t (*read32)(void *ctx, uint32_t offset);
    void (*write32)(void *ctx, uint32_t offset, uint32_t value);
    /* Copy to or from DRAM; 0 on success. */
    int (*dram_write)(void *ctx, uint64_t addr, const void *src, size_t len);
    int (*dram_read)(void *ctx, uint64_t addr, void *dst, size_t len);
    void (*wait)(void *ctx, uint32_t ticks);
    uint64_t dram_size;   /* bytes of DRAM the accelerator may read */
} wc_accel_bus;

/* One layer, as the registers take it. */
typedef struct {
    uint32_t weight_addr, weight_bytes;  /* DRAM; 4-aligned, bytes a multiple of 4 */
    uint32_t head_bytes;                 /* compressed: the stream's headers and table, read
                                            first so the table builds during the other reads;
                                            0 reads the stream in one go */
    uint32_t bias_addr;                  /* DRAM; out int32 */
    uint32_t act_addr;                   /* DRAM; in bytes, when input_dram */
    uint32_t in, out;
    int compressed;                      /* weights are a tANS stream */
    int relu;                            /* hidden layer: byte outputs; else int32 */
    int input_dram;                      /* read the input from act_addr */
    uint8_t zero_point;
    uint16_t mult;
    uint8_t shift;                       /* 0..31 */
} wc_accel_layer;

typedef struct {
    uint32_t cycles;      /* from start to done */
    uint32_t dram_bytes;  /* read from DRAM */
    uint32_t mac_cycles;  /* cycles in which the MACs accumulated */
} wc_accel_counters;

/* An open accelerator. */
typedef struct {
    wc_accel_bus bus;
    unsigned lanes, table_log_max, symbol_width;
    uint32_t in_max, out_max;
    int input_half;        /* activation buffer half the next layer reads */
    unsigned last_error;   /* accelerator error code of the last run, 0 if none */
} wc_accel;

/* Checks the ID register and reads the build's parameters. */
wc_status wc_accel_open(wc_accel *dev, const wc_accel_bus *bus, wc_error *err);

/* Soft reset: stops any run and waits (at most `timeout` ticks) until the
 * hardware is idle again. */
wc_status wc_accel_reset(wc_accel *dev, uint32_t timeout, wc_error *err);

/* DRAM bursts: words per burst (1..16) and bursts in flight (1..15). */
wc_status wc_accel_set_dram(wc_accel *dev, unsigned burst_words, unsigned outstanding,
                            wc_error *err);

/* Checks a descriptor against the hardware's limits and the DRAM; the
 * message names the field and says what is wrong. */
wc_status wc_accel_check_layer(const wc_accel *dev, const wc_accel_layer *layer, wc_error *err);

/* Starts a checked layer.  Unless it reads its input from DRAM it reads the
 * previous layer's outputs. */
wc_status wc_accel_start(wc_accel *dev, const wc_accel_layer *layer, wc_error *err);

/* Waits at most `timeout` ticks for the run to end, polling every `poll`
 * ticks (0 counts as 1); fills `counters` (may be NULL).  A run that ends with an error
 * returns WC_ERR_CORRUPT with the accelerator's code in dev->last_error and
 * the message; a run that does not end returns WC_ERR_IO with the status. */
wc_status wc_accel_wait(wc_accel *dev, uint32_t timeout, uint32_t poll,
                        wc_accel_counters *counters, wc_error *err);

/* Reads `count` outputs of the last layer from index `first`: bytes of a
 * hidden layer, int32 sums of a last layer. */
wc_status wc_accel_read_outputs(wc_accel *dev, uint32_t first, uint32_t count, int32_t *out,
                                wc_error *err);

/* Copies `size` bytes to DRAM address `addr`, after checking the range. */
wc_status wc_accel_load(wc_accel *dev, uint64_t addr, const void *data, size_t size,
                        wc_error *err);

/* Runs `n` layers in order, the first reading its input from
 * layers[0].act_addr, each next one its predecessor's outputs; writes the
 * last layer's `out` outputs to `outputs` and sums the counters. */
wc_status wc_accel_run(wc_accel *dev, const wc_accel_layer *layers, size_t n, uint32_t timeout,
                       int32_t *outputs, wc_accel_counters *total, wc_error *err);

/* Name of an accelerator error code ("final state", "weight count", ...). */
const char *wc_accel_error_name(unsigned code);

#ifdef __cplusplus
}
#endif

#endif

#define _POSIX_C_SOURCE 200809L

#include "wc_accel_mmio.h"

#include <time.h>

static uint32_t mmio_read32(void *ctx, uint32_t offset)
{
    const wc_accel_mmio *m = ctx;
    return m->regs[offset / 4];
}

static void mmio_write32(void *ctx, uint32_t offset, uint32_t value)
{
    wc_accel_mmio *m = ctx;
    m->regs[offset / 4] = value;
}

/* Byte copies through volatile pointers: the window may be device memory. */
static int mmio_dram_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
    wc_accel_mmio *m = ctx;
    if (addr > m->dram_size || len > m->dram_size - addr)
        return -1;
    const uint8_t *s = src;
    for (size_t i = 0; i < len; i++)
        m->dram[addr + i] = s[i];
    return 0;
}

static int mmio_dram_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
    const wc_accel_mmio *m = ctx;
    if (addr > m->dram_size || len > m->dram_size - addr)
        return -1;
    uint8_t *d = dst;
    for (size_t i = 0; i < len; i++)
        d[i] = m->dram[addr + i];
    return 0;
}

static void mmio_wait(void *ctx, uint32_t ticks)
{
    (void)ctx;
    struct timespec t = {(time_t)(ticks / 1000000u), (long)(ticks % 1000000u) * 1000L};
    nanosleep(&t, NULL);
}

void wc_accel_mmio_bus(wc_accel_mmio *map, wc_accel_bus *bus)
{
    bus->ctx = map;
    bus->read32 = mmio_read32;
    bus->write32 = mmio_write32;
    bus->dram_write = mmio_dram_write;
    bus->dram_read = mmio_dram_read;
    bus->wait = mmio_wait;
    bus->dram_size = map->dram_size;
}

/* The memory-mapped bus for the accelerator on a board: its registers and
 * the DRAM it reads are already mapped into this process (by mmap of a UIO
 * device or /dev/mem, which this module leaves to the caller). */
#ifndef WC_DRIVER_WC_ACCEL_MMIO_H
#define WC_DRIVER_WC_ACCEL_MMIO_H

#include <stdint.h>

#include "wc_accel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the mapping gave; must outlive the bus. */
typedef struct {
    volatile uint32_t *regs;   /* the register block, 32-bit accesses only */
    volatile uint8_t *dram;    /* the DRAM window the accelerator reads, at its address 0 */
    uint64_t dram_size;
} wc_accel_mmio;

/* Fills `bus` to use `map`.  Ticks are microseconds. */
void wc_accel_mmio_bus(wc_accel_mmio *map, wc_accel_bus *bus);

#ifdef __cplusplus
}
#endif

#endif

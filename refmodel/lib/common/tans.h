/* tANS (table-based asymmetric numeral systems): what encoder, decoder and
 * the hardware golden models share.  docs/format.md is the normative text;
 * this module implements its sections "tANS table" and "Decode table".
 *
 * A table of log L has R = 2^L states.  A distribution is a set of
 * normalized counts f[s] >= 0, one per symbol value 0..255, summing to R.
 * The decode table maps each state u in [0, R) to (symbol, nbits, base): the
 * decoder emits `symbol` and moves to state base + (next nbits bits). */
#ifndef WC_COMMON_TANS_H
#define WC_COMMON_TANS_H

#include <stdint.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WC_TANS_MIN_LOG 5       /* smallest table: 32 states */
#define WC_TANS_MAX_LOG 12      /* largest table: 4096 states (software) */
#define WC_TANS_HW_MIN_LOG 6    /* hardware profile: 64 .. */
#define WC_TANS_HW_MAX_LOG 8    /* .. 256 states, one block RAM per lane and bank */
#define WC_TANS_MAX_LANES 16
#define WC_TANS_SYMBOLS 256     /* symbols are bytes */
#define WC_TANS_MAX_COUNT_WIDTH 13  /* a count is at most 2^12 */

/* One decode-table entry, the "3 bytes per state" of the hardware LUT. */
typedef struct {
    uint8_t symbol;
    uint8_t nbits;   /* 0..table_log */
    uint16_t base;   /* next state = base + (nbits bits), base + 2^nbits <= R */
} wc_tans_entry;

/* A normalized distribution: counts[s] for every byte value. */
typedef struct {
    unsigned table_log;
    uint16_t counts[WC_TANS_SYMBOLS];
} wc_tans_dist;

/* Chooses counts summing to 2^table_log that minimise the coded size
 * sum_s hist[s] * log2(R / f[s]), with f[s] >= 1 wherever hist[s] > 0 (the
 * exact integer optimum, found greedily: the objective is separable and
 * concave).  Fails if the histogram is empty, table_log is outside
 * WC_TANS_MIN_LOG..WC_TANS_MAX_LOG, or more symbols occur than R. */
wc_status wc_tans_normalize(const uint64_t hist[WC_TANS_SYMBOLS], unsigned table_log,
                            wc_tans_dist *dist, wc_error *err);

/* Checks a distribution read from a stream: table log in range, counts sum
 * to R.  Every decoder calls this before wc_tans_build_decode(). */
wc_status wc_tans_check_dist(const wc_tans_dist *dist, wc_error *err);

/* The symbol spread of docs/format.md: spread[u] is the symbol of state u.
 * `spread` holds 2^table_log bytes.  dist must be valid. */
void wc_tans_spread(const wc_tans_dist *dist, uint8_t *spread);

/* Fills the 2^table_log entries of `table` from a valid distribution. */
void wc_tans_build_decode(const wc_tans_dist *dist, wc_tans_entry *table);

/* Bits of the ideal code for `hist` under `dist`: sum hist[s] log2(R/f[s]).
 * Infinite if a symbol with hist > 0 has f == 0. */
double wc_tans_ideal_bits(const uint64_t hist[WC_TANS_SYMBOLS], const wc_tans_dist *dist);

#ifdef __cplusplus
}
#endif

#endif

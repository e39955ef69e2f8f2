/* Order-0 statistics of symbol streams: histograms and Shannon entropy.
 * Used to report how compressible a quantized tensor is before coding it. */
#ifndef WC_COMMON_STATS_H
#define WC_COMMON_STATS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sets counts[v] to the number of symbols equal to v among sym[0..n-1]
 * (every entry is overwritten, so counts needs no initialisation). */
void wc_histogram(const uint8_t *sym, uint64_t n, uint64_t counts[256]);

/* Order-0 Shannon entropy H0 = -sum p_v log2 p_v, with p_v = counts[v] / n,
 * in bits per symbol.  n must be the sum of the counts; 0 when n == 0. */
double wc_entropy_bits(const uint64_t counts[256], uint64_t n);

#ifdef __cplusplus
}
#endif

#endif

/* Raw packed encoder (docs/format.md section 3). */
#ifndef WC_ENCODE_RAW_ENC_H
#define WC_ENCODE_RAW_ENC_H

#include <stdint.h>

#include "common/bitio.h"
#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Appends symbols[0..n), each below `bins` (2..256), packed in
 * wc_raw_bits(bins) bits, to `out`. */
wc_status wc_raw_encode(const uint8_t *symbols, uint64_t n, unsigned bins, wc_words *out,
                        wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

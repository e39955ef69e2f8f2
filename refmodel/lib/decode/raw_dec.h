/* Raw packed decoder (docs/format.md section 3). */
#ifndef WC_DECODE_RAW_DEC_H
#define WC_DECODE_RAW_DEC_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Decodes n symbols of wc_raw_bits(bins) bits from words[0..nwords), which
 * must hold exactly them plus zero padding; every symbol must be below bins. */
wc_status wc_raw_decode(const uint32_t *words, size_t nwords, uint64_t n, unsigned bins,
                        uint8_t *out, wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

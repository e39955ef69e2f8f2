/* tANS decoder: one tANS layer block (docs/format.md) -> symbols. */
#ifndef WC_DECODE_TANS_DEC_H
#define WC_DECODE_TANS_DEC_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Decodes the layer block at the start of words[0..nwords) into out[0..n),
 * where n is the symbol count the caller expects (the header must agree).
 * Checks everything the format requires: header and table, payload length,
 * every lane ending in state 0 with zero padding, and all P payload words
 * consumed.  *words_used (if not NULL) receives the block's length in words.
 * Never reads outside words[0..nwords) nor writes outside out[0..n). */
wc_status wc_tans_decode(const uint32_t *words, size_t nwords, uint64_t n, uint8_t *out,
                         size_t *words_used, wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

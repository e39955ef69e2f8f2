/* tANS encoder: symbols -> one tANS layer block (docs/format.md). */
#ifndef WC_ENCODE_TANS_ENC_H
#define WC_ENCODE_TANS_ENC_H

#include <stdint.h>

#include "common/bitio.h"
#include "common/error.h"
#include "common/tans.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Codes symbols[0..n) with the distribution `dist` (every symbol that occurs
 * must have a nonzero count) into `lanes` interleaved streams (1..16), and
 * appends the whole layer block (header, table, payload) to `out`.
 * n must be 1..2^32-1.  The caller owns all buffers. */
wc_status wc_tans_encode(const uint8_t *symbols, uint64_t n, const wc_tans_dist *dist,
                         unsigned lanes, wc_words *out, wc_error *err);

/* Appends a stream of `nlayers` layers (docs/format.md 2.5) to `out`:
 * the header word, then the layer blocks blocks[0..nlayers) (each one
 * complete block as wc_tans_encode appends it) in look-ahead order. */
wc_status wc_tans_stream_assemble(const wc_words *blocks, size_t nlayers, wc_words *out,
                                  wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

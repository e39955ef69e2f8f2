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

/* One decoded layer of a stream. */
typedef struct {
    uint32_t nsymbols;
    uint8_t *symbols;  /* owned */
} wc_tans_stream_layer;

/* Decodes a stream of layers (docs/format.md 2.5).  On success *layers is an
 * array of *nlayers decoded layers, freed with wc_tans_stream_free().  Refuses
 * streams whose layers together claim more than `max_symbols` symbols (a
 * layer of one repeated symbol costs no payload bits, so the stream's length
 * does not bound its symbol count), and any word after the last payload. */
wc_status wc_tans_stream_decode(const uint32_t *words, size_t nwords, uint64_t max_symbols,
                                wc_tans_stream_layer **layers, size_t *nlayers, wc_error *err);

void wc_tans_stream_free(wc_tans_stream_layer *layers, size_t nlayers);

#ifdef __cplusplus
}
#endif

#endif

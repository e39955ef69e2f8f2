/* Huffman encoder for quantized-weight symbols (the "Deep Compression"
 * baseline): one length-limited canonical code per tensor, stored in front of
 * the codes.  Stream layout: docs/format.md, "Canonical Huffman"; shared pieces
 * in common/huffman.h. */
#ifndef WC_ENCODE_HUF_ENC_H
#define WC_ENCODE_HUF_ENC_H

#include <stdint.h>

#include "common/bitio.h"
#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Appends to `out` the complete stream coding symbols[0..n-1]: header word,
 * code-length table, then the codes, word-aligned.  The code is built from
 * the symbols' own counts with codes of at most WC_HUF_MAX_BITS bits, so the
 * same input always gives the same words.  n is not stored: the decoder must
 * be told it.  Needs n >= 1 (WC_ERR_ARG otherwise); WC_ERR_NOMEM if `out`
 * cannot grow (its words are then incomplete). */
wc_status wc_huf_encode(const uint8_t *symbols, uint64_t n, wc_words *out, wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

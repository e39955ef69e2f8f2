/* Huffman decoder for streams written by encode/huf_enc.h.  Stream layout:
 * docs/format.md, "Canonical Huffman"; shared pieces in common/huffman.h. */
#ifndef WC_DECODE_HUF_DEC_H
#define WC_DECODE_HUF_DEC_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Decodes exactly n (>= 1) symbols into symbols[0..n-1] from the stream
 * words[0..nwords-1], which must be the whole stream: the table, the n codes
 * and the zero padding of their last word, and nothing more.
 *
 * Trusts nothing in the words: a bad table (see wc_huf_table_read()), a bit
 * pattern that is no code, nonzero padding or words left over after the last
 * code fail with WC_ERR_CORRUPT (WC_ERR_FORMAT / WC_ERR_UNSUPPORTED for the
 * header cases noted there), and words that end before the n-th code with
 * WC_ERR_TRUNCATED.  n itself is not in the stream: a wrong n is caught only
 * when it leaves bits over or runs out of them.  On failure symbols[] holds
 * garbage.  Reads no word outside words[0..nwords-1] and writes no byte
 * outside symbols[0..n-1]. */
wc_status wc_huf_decode(const uint32_t *words, size_t nwords, uint64_t n, uint8_t *symbols,
                        wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

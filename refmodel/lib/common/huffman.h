/* Canonical, length-limited Huffman codes over byte symbols: the parts the
 * encoder (encode/huf_enc.h) and the decoder (decode/huf_dec.h) share.
 *
 * The stream these build is described bit by bit in docs/format.md
 * ("Canonical Huffman"): a header word, one 4-bit code length per symbol of the
 * table's range, then the canonical codes, all packed MSB-first into 32-bit
 * words.
 *
 * Code lengths come from package-merge (Larmore & Hirschberg), which gives
 * the optimal prefix code under the length limit, so limiting never costs
 * more than it must, and always yields a complete code (Kraft sum exactly 1).
 * For at most 256 symbols and 11 levels it handles a few thousand items, so a
 * heuristic would save nothing worth its loss in ratio.  The result is fully
 * deterministic: symbols are ordered by (count, symbol value) and, between
 * symbols of equal count, the smaller symbol value never gets the longer code.
 */
#ifndef WC_COMMON_HUFFMAN_H
#define WC_COMMON_HUFFMAN_H

#include <stdint.h>

#include "common/bitio.h"
#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest code a stream may use.  A hardware decoder resolves the next code
 * with a single read of a 2^11-entry table of (symbol, length) indexed by the
 * next 11 bits, so every code must fit in 11 bits (a 2048-entry table).
 * The limit only binds for symbols rarer than about 1 in 2^11, so the bits
 * it adds are few. */
#define WC_HUF_MAX_BITS 11

/* Symbols are bytes. */
#define WC_HUF_SYMBOLS 256

/* Longest limit wc_huf_lengths() accepts: canonical codes are held in 32 bits.
 * Limits above WC_HUF_MAX_BITS are for measurement only; such codes cannot be
 * put in a stream. */
#define WC_HUF_LENGTH_LIMIT 32

/* Code lengths (in bits) of an optimal prefix code with no code longer than
 * `max_bits` (1..WC_HUF_LENGTH_LIMIT) for symbols occurring counts[s] times.
 * lengths[s] is 0 exactly when counts[s] is 0.  A lone used symbol gets
 * length 1; otherwise the Kraft sum of the lengths is exactly 1.
 * Fails with WC_ERR_ARG if max_bits is out of range, no count is nonzero,
 * the counts total 2^56 or more, or 2^max_bits is less than the number of
 * used symbols. */
wc_status wc_huf_lengths(const uint64_t counts[WC_HUF_SYMBOLS], unsigned max_bits,
                         uint8_t lengths[WC_HUF_SYMBOLS], wc_error *err);

/* Canonical codes for `lengths` (0 = absent, else 1..WC_HUF_LENGTH_LIMIT):
 * symbols ordered by (length, symbol value), the first gets the all-zero
 * code of its length, each next one (previous code + 1) shifted left by the
 * growth in length.  codes[s] holds the code of symbol s right-aligned, and
 * 0 for absent symbols.  The lengths must have a Kraft sum of at most 1
 * (otherwise the codes are not prefix-free, though still computed safely). */
void wc_huf_canonical_codes(const uint8_t lengths[WC_HUF_SYMBOLS],
                            uint32_t codes[WC_HUF_SYMBOLS]);

/* Size in bits of the whole stream (header, length table, codes, padding;
 * always a multiple of 32) that codes data with these symbol counts using
 * `lengths`.  With lengths from wc_huf_lengths(counts, WC_HUF_MAX_BITS, ...)
 * this is 32 times the number of words wc_huf_encode() appends.  Symbols
 * with a zero length must have a zero count; returns 0 if no length is set. */
uint64_t wc_huf_stream_bits(const uint64_t counts[WC_HUF_SYMBOLS],
                            const uint8_t lengths[WC_HUF_SYMBOLS]);

/* Appends the header word and the code-length table for `lengths` (range =
 * first to last symbol with a nonzero length), then pads to a word boundary.
 * Fails with WC_ERR_ARG if no length is set or one exceeds WC_HUF_MAX_BITS;
 * it does not check the Kraft sum (lengths from wc_huf_lengths() are valid). */
wc_status wc_huf_table_write(wc_bitwriter *bw, const uint8_t lengths[WC_HUF_SYMBOLS],
                             wc_error *err);

/* Reads a header word and length table at the reader's position (which must
 * be word-aligned) and checks every rule of the format: reserved bits zero,
 * range within 0..255, maximum length in 1..WC_HUF_MAX_BITS and used, every
 * length at most the maximum, padding bits zero, a complete code (or a lone
 * symbol of length 1).  On success fills lengths[] (0 for every symbol
 * outside the range or absent), *max_bits, and leaves the reader at the first
 * word of the codes.  Fails with WC_ERR_TRUNCATED if the words end early,
 * WC_ERR_FORMAT for nonzero reserved bits, WC_ERR_UNSUPPORTED for a maximum
 * length above WC_HUF_MAX_BITS, and WC_ERR_CORRUPT for anything else. */
wc_status wc_huf_table_read(wc_bitreader *br, uint8_t lengths[WC_HUF_SYMBOLS],
                            unsigned *max_bits, wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

/* Bit streams packed into 32-bit words, in the two orders docs/format.md uses.
 *
 * MSB-first (Huffman, raw): the first bit of a stream is bit 31 of word 0,
 * the 33rd is bit 31 of word 1, and a field's most significant bit comes
 * first.  LSB-first (tANS): the first bit is bit 0 of word 0, the 33rd is
 * bit 0 of word 1, and a field's least significant bit comes first.  The last
 * word is padded with zero bits. */
#ifndef WC_COMMON_BITIO_H
#define WC_COMMON_BITIO_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A growable array of words, owned by its user: zero-initialise, then
 * wc_words_free().  `failed` is set after an allocation failure. */
typedef struct {
    uint32_t *w;
    size_t n;
    size_t cap;
    int failed;
} wc_words;

void wc_words_free(wc_words *v);
void wc_words_push(wc_words *v, uint32_t word);
wc_status wc_words_status(const wc_words *v, wc_error *err);

/* Appends bits to a wc_words it does not own. */
typedef struct {
    wc_words *out;
    uint64_t acc;   /* pending bits, right-aligned */
    unsigned nacc;  /* number of pending bits, < 32 between calls */
} wc_bitwriter;

void wc_bitwriter_init(wc_bitwriter *bw, wc_words *out);
/* Appends the low `nbits` bits of `value` (nbits <= 32), MSB first. */
void wc_bitwriter_put(wc_bitwriter *bw, uint32_t value, unsigned nbits);
/* Pads the last word with zero bits; the writer can then start a new word. */
void wc_bitwriter_flush(wc_bitwriter *bw);
/* Bits in the output array so far (all its words, also those written
 * before this writer started), including pending ones. */
uint64_t wc_bitwriter_bits(const wc_bitwriter *bw);

/* Reads bits from a word array it does not own, never past `nwords`. */
typedef struct {
    const uint32_t *w;
    size_t nwords;
    uint64_t bitpos;  /* bits consumed from the start of w */
} wc_bitreader;

void wc_bitreader_init(wc_bitreader *br, const uint32_t *w, size_t nwords);
/* Reads `nbits` (<= 32) bits; fails with WC_ERR_TRUNCATED naming `what`. */
wc_status wc_bitreader_get(wc_bitreader *br, unsigned nbits, uint32_t *value,
                           const char *what, wc_error *err);
uint64_t wc_bitreader_left(const wc_bitreader *br);
/* Skips to the next word boundary; fails with WC_ERR_CORRUPT if a skipped
 * padding bit is not zero. */
wc_status wc_bitreader_align(wc_bitreader *br, const char *what, wc_error *err);

/* LSB-first counterparts of the writer and reader above. */
typedef struct {
    wc_words *out;
    uint64_t acc;   /* pending bits, the oldest in bit 0 */
    unsigned nacc;  /* number of pending bits, < 32 between calls */
} wc_lsb_writer;

void wc_lsb_writer_init(wc_lsb_writer *bw, wc_words *out);
/* Appends the low `nbits` bits of `value` (nbits <= 32), least significant first. */
void wc_lsb_writer_put(wc_lsb_writer *bw, uint32_t value, unsigned nbits);
void wc_lsb_writer_flush(wc_lsb_writer *bw);
/* Bits in the output array so far (all its words), including pending ones. */
uint64_t wc_lsb_writer_bits(const wc_lsb_writer *bw);

typedef wc_bitreader wc_lsb_reader;

void wc_lsb_reader_init(wc_lsb_reader *br, const uint32_t *w, size_t nwords);
wc_status wc_lsb_reader_get(wc_lsb_reader *br, unsigned nbits, uint32_t *value,
                            const char *what, wc_error *err);
wc_status wc_lsb_reader_align(wc_lsb_reader *br, const char *what, wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

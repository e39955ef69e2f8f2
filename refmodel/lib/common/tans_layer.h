/* The tANS layer block of docs/format.md (2.2, "Layer block"): header words, the
 * table description, then the payload words of all lanes, interleaved.
 *
 *   word 0   bits 31..24 magic 0xA7, 23..20 table log, 19..16 lanes - 1,
 *            15..0 reserved (zero)
 *   word 1   number of symbols n (>= 1)
 *   word 2   number of payload words P
 *   word 3   bits 31..24 first symbol s0, 23..16 entries S - 1,
 *            15..12 count width w, 11..0 reserved (zero)
 *   then     S counts of w bits, LSB first, zero-padded to a word
 *   then     P payload words
 */
#ifndef WC_COMMON_TANS_LAYER_H
#define WC_COMMON_TANS_LAYER_H

#include <stddef.h>
#include <stdint.h>

#include "common/bitio.h"
#include "common/error.h"
#include "common/tans.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WC_TANS_LAYER_MAGIC 0xA7u
#define WC_TANS_LAYER_FIXED_WORDS 4  /* words 0..3 above */

/* A stream of layers (docs/format.md 2.5): a header word (magic, version,
 * layer count K), then H_0, H_1, P_0, H_2, P_1, ..., H_{K-1}, P_{K-2}, P_{K-1}
 * where H_i are the header and table words of layer i and P_i its payload. */
#define WC_TANS_STREAM_MAGIC 0x5Au
#define WC_TANS_STREAM_VERSION 1u
#define WC_TANS_STREAM_MAX_LAYERS 65535u

typedef struct {
    unsigned lanes;          /* 1..WC_TANS_MAX_LANES */
    uint32_t nsymbols;       /* n */
    uint32_t payload_words;  /* P */
    unsigned first_symbol;   /* s0: counts below it are zero */
    unsigned entries;        /* S: counts of s0..s0+S-1 are coded */
    unsigned count_width;    /* w: bits per coded count */
    size_t header_words;     /* words before the payload: 4 + table words */
    wc_tans_dist dist;       /* includes the table log */
} wc_tans_layer;

/* Parses and checks the header and table at the start of `words`.  Does not
 * require the payload to be present; callers check header_words +
 * payload_words against what they hold. */
wc_status wc_tans_layer_parse(const uint32_t *words, size_t nwords, wc_tans_layer *layer,
                              wc_error *err);

/* Fills first_symbol, entries and count_width from layer->dist (the tight
 * range of nonzero counts, the width of the largest), and header_words. */
void wc_tans_layer_describe_table(wc_tans_layer *layer);

/* Appends the header and table words of a described layer to `out`. */
void wc_tans_layer_write_header(const wc_tans_layer *layer, wc_words *out);

/* Number of symbols lane k decodes: symbols k, k+N, k+2N, ... below n. */
static inline uint32_t wc_tans_lane_symbols(uint32_t n, unsigned lanes, unsigned k)
{
    return n / lanes + (k < n % lanes);
}

#ifdef __cplusplus
}
#endif

#endif

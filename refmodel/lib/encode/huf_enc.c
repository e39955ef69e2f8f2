#include "encode/huf_enc.h"

#include <string.h>

#include "common/huffman.h"

/* Four partial histograms let consecutive equal symbols update different
 * counters instead of waiting on one another. */
static void count_symbols(const uint8_t *symbols, uint64_t n, uint64_t counts[WC_HUF_SYMBOLS])
{
    uint64_t part[4][WC_HUF_SYMBOLS];
    memset(part, 0, sizeof part);
    uint64_t i = 0;
    for (; n - i >= 4; i += 4) {
        part[0][symbols[i]]++;
        part[1][symbols[i + 1]]++;
        part[2][symbols[i + 2]]++;
        part[3][symbols[i + 3]]++;
    }
    for (; i < n; i++)
        part[0][symbols[i]]++;
    for (unsigned s = 0; s < WC_HUF_SYMBOLS; s++)
        counts[s] = part[0][s] + part[1][s] + part[2][s] + part[3][s];
}

/* Packs the codes MSB-first into whole words, the last one zero-padded.
 * Codes are at most 11 bits, so the 64-bit accumulator never holds more than
 * 31 + 11 pending bits. */
static void write_codes(const uint8_t *symbols, uint64_t n, const uint8_t lengths[WC_HUF_SYMBOLS],
                        const uint32_t codes[WC_HUF_SYMBOLS], wc_words *out)
{
    uint64_t acc = 0;
    unsigned pending = 0;
    for (uint64_t i = 0; i < n; i++) {
        unsigned s = symbols[i];
        acc = acc << lengths[s] | codes[s];
        pending += lengths[s];
        if (pending >= 32) {
            pending -= 32;
            wc_words_push(out, (uint32_t)(acc >> pending));
        }
    }
    if (pending > 0)
        wc_words_push(out, (uint32_t)(acc << (32 - pending)));
}

wc_status wc_huf_encode(const uint8_t *symbols, uint64_t n, wc_words *out, wc_error *err)
{
    if (n == 0)
        return wc_fail(err, WC_ERR_ARG, "huffman encode: no symbols (n must be at least 1)");
    uint64_t counts[WC_HUF_SYMBOLS];
    uint8_t lengths[WC_HUF_SYMBOLS];
    uint32_t codes[WC_HUF_SYMBOLS];
    count_symbols(symbols, n, counts);
    wc_status st = wc_huf_lengths(counts, WC_HUF_MAX_BITS, lengths, err);
    if (st != WC_OK)
        return st;
    wc_huf_canonical_codes(lengths, codes);

    wc_bitwriter bw;
    wc_bitwriter_init(&bw, out);
    st = wc_huf_table_write(&bw, lengths, err);
    if (st != WC_OK)
        return st;
    write_codes(symbols, n, lengths, codes, out);
    return wc_words_status(out, err);
}

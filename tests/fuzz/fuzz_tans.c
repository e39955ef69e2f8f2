/* Fuzz target for the tANS decoder and raw unpacker.  Input: a u32 symbol
 * count (capped), then little-endian words.  Also round-trips the input
 * bytes through the encoder and asserts the decoder gives them back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buffer.h"
#include "common/stats.h"
#include "common/tans.h"
#include "decode/raw_dec.h"
#include "decode/tans_dec.h"
#include "encode/tans_enc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void decode_arbitrary(const uint8_t *data, size_t size)
{
    if (size < 4)
        return;
    uint64_t n = wc_load_le32(data) % 100000 + 1;
    size_t nwords = (size - 4) / 4;
    uint32_t *w = malloc(nwords * 4 + 4);
    uint8_t *out = malloc((size_t)n);
    for (size_t i = 0; i < nwords; i++)
        w[i] = wc_load_le32(data + 4 + 4 * i);
    wc_tans_decode(w, nwords, n, out, NULL, NULL);
    wc_raw_decode(w, nwords, n, (unsigned)(data[0] | 2), out, NULL);
    free(out);
    free(w);
}

static void round_trip(const uint8_t *data, size_t size)
{
    if (size < 2)
        return;
    unsigned log = WC_TANS_MIN_LOG + data[0] % (WC_TANS_MAX_LOG - WC_TANS_MIN_LOG + 1);
    unsigned lanes = 1 + data[1] % WC_TANS_MAX_LANES;
    const uint8_t *sym = data + 2;
    size_t n = size - 2;
    if (n == 0)
        return;
    uint64_t hist[256];
    wc_histogram(sym, n, hist);
    wc_tans_dist dist;
    if (wc_tans_normalize(hist, log, &dist, NULL) != WC_OK)
        return;
    wc_words w = {0};
    if (wc_tans_encode(sym, n, &dist, lanes, &w, NULL) != WC_OK)
        abort();
    uint8_t *out = malloc(n);
    size_t used = 0;
    if (wc_tans_decode(w.w, w.n, n, out, &used, NULL) != WC_OK || used != w.n ||
        memcmp(out, sym, n) != 0)
        abort();
    free(out);
    wc_words_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    decode_arbitrary(data, size);
    round_trip(data, size);
    return 0;
}

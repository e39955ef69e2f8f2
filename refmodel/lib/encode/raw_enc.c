#include "encode/raw_enc.h"

#include "common/raw.h"

wc_status wc_raw_encode(const uint8_t *symbols, uint64_t n, unsigned bins, wc_words *out,
                        wc_error *err)
{
    if (bins < 2 || bins > 256)
        return wc_fail(err, WC_ERR_ARG, "raw coding needs 2..256 bins, got %u", bins);
    const unsigned bits = wc_raw_bits(bins);
    wc_bitwriter bw;
    wc_bitwriter_init(&bw, out);
    for (uint64_t i = 0; i < n; i++) {
        if (symbols[i] >= bins)
            return wc_fail(err, WC_ERR_ARG, "symbol %u at index %llu is not below %u bins",
                           symbols[i], (unsigned long long)i, bins);
        wc_bitwriter_put(&bw, symbols[i], bits);
    }
    wc_bitwriter_flush(&bw);
    return wc_words_status(out, err);
}

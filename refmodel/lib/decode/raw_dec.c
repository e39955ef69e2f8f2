#include "decode/raw_dec.h"

#include "common/bitio.h"
#include "common/raw.h"

wc_status wc_raw_decode(const uint32_t *words, size_t nwords, uint64_t n, unsigned bins,
                        uint8_t *out, wc_error *err)
{
    if (bins < 2 || bins > 256)
        return wc_fail(err, WC_ERR_CORRUPT, "raw coding needs 2..256 bins, got %u", bins);
    const unsigned bits = wc_raw_bits(bins);
    const uint64_t need = (n * bits + 31) / 32;
    if (nwords != need)
        return wc_fail(err, nwords < need ? WC_ERR_TRUNCATED : WC_ERR_CORRUPT,
                       "raw payload has %zu words, %llu symbols need %llu", nwords,
                       (unsigned long long)n, (unsigned long long)need);
    wc_bitreader br;
    wc_bitreader_init(&br, words, nwords);
    for (uint64_t i = 0; i < n; i++) {
        uint32_t v;
        wc_status st = wc_bitreader_get(&br, bits, &v, "raw payload", err);
        if (st != WC_OK)
            return st;
        if (v >= bins)
            return wc_fail(err, WC_ERR_CORRUPT, "raw symbol %u at index %llu is not below %u bins",
                           v, (unsigned long long)i, bins);
        out[i] = (uint8_t)v;
    }
    return wc_bitreader_align(&br, "raw payload", err);
}

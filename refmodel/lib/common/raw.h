/* Raw packed symbols (docs/format.md section 3): the fallback coder. */
#ifndef WC_COMMON_RAW_H
#define WC_COMMON_RAW_H

#ifdef __cplusplus
extern "C" {
#endif

/* Bits per symbol for an alphabet of `bins` symbols (2..256): ceil(log2(bins)). */
static inline unsigned wc_raw_bits(unsigned bins)
{
    unsigned bits = 0;
    while ((1u << bits) < bins)
        bits++;
    return bits;
}

#ifdef __cplusplus
}
#endif

#endif

#include "decode/huf_dec.h"

#include <string.h>

#include "common/bitio.h"
#include "common/huffman.h"

/* What the next max_bits bits of the stream start with: up to four codes
 * that lie wholly inside them (always at least one, as the code is
 * complete).  Entries are indexed by those bits, so a code of length len
 * begins 2^(max_bits - len) of them. */
#define ENTRY_SYMBOLS 4

typedef struct {
    uint8_t symbols[ENTRY_SYMBOLS]; /* decoded symbols; unused slots are 0 */
    uint8_t count;                  /* 1..ENTRY_SYMBOLS */
    uint8_t bits;                   /* total length of those codes */
    uint8_t first_bits;             /* length of the first code alone */
    uint8_t unused;
} huf_entry;

static void build_lookup(const uint8_t lengths[WC_HUF_SYMBOLS], unsigned max_bits,
                         huf_entry *lookup)
{
    uint32_t codes[WC_HUF_SYMBOLS];
    uint8_t first_symbol[1u << WC_HUF_MAX_BITS], first_length[1u << WC_HUF_MAX_BITS];
    const uint32_t size = (uint32_t)1 << max_bits;
    wc_huf_canonical_codes(lengths, codes);
    for (unsigned s = 0; s < WC_HUF_SYMBOLS; s++) {
        unsigned len = lengths[s];
        if (len == 0)
            continue;
        uint32_t first = codes[s] << (max_bits - len), span = (uint32_t)1 << (max_bits - len);
        memset(first_symbol + first, (int)s, span);
        memset(first_length + first, (int)len, span);
    }
    for (uint32_t index = 0; index < size; index++) {
        huf_entry e = {{0}, 0, 0, 0, 0};
        e.first_bits = first_length[index];
        do {
            uint32_t next = index << e.bits & (size - 1);
            e.symbols[e.count++] = first_symbol[next];
            e.bits = (uint8_t)(e.bits + first_length[next]);
        } while (e.count < ENTRY_SYMBOLS &&
                 e.bits + first_length[index << e.bits & (size - 1)] <= max_bits);
        lookup[index] = e;
    }
}

/* Decodes n codes starting at bit `pos` with a complete code; returns the
 * bit position after the last one in *end.  The fast loop runs while words
 * i..i+2 exist: shifted to start at `pos` they give a full 64-bit window,
 * enough for five lookups of up to 11 bits, each writing ENTRY_SYMBOLS bytes
 * and keeping `count`.  The tail reads one code at a time, filling missing
 * bits with zeros and checking the length against what is left. */
static wc_status decode_codes(const uint32_t *w, size_t nwords, uint64_t pos,
                              const huf_entry *lookup, unsigned max_bits, uint8_t *out,
                              uint64_t n, uint64_t *end, wc_error *err)
{
    enum { LOOKUPS = 5 };
    const unsigned shift = 64 - max_bits;
    const uint64_t fast_limit = nwords >= 3 ? (uint64_t)(nwords - 2) * 32 : 0;
    const uint64_t total = (uint64_t)nwords * 32;
    uint8_t *const out_end = out + n;

    while (out_end - out >= LOOKUPS * ENTRY_SYMBOLS && pos < fast_limit) {
        size_t i = (size_t)(pos >> 5);
        unsigned used = (unsigned)(pos & 31);
        uint64_t window = ((uint64_t)w[i] << 32 | w[i + 1]) << used |
                          (uint64_t)(w[i + 2] >> 1) >> (31 - used);
        for (int k = 0; k < LOOKUPS; k++) {
            const huf_entry *e = &lookup[window >> shift];
            memcpy(out, e->symbols, ENTRY_SYMBOLS);
            out += e->count;
            window <<= e->bits;
            pos += e->bits;
        }
    }
    while (out < out_end) {
        if (pos == total)
            return wc_fail(err, WC_ERR_TRUNCATED,
                           "huffman codes: stream ends after %llu of %llu symbols",
                           (unsigned long long)(n - (uint64_t)(out_end - out)),
                           (unsigned long long)n);
        size_t i = (size_t)(pos >> 5);
        uint64_t window = (uint64_t)w[i] << 32 | (i + 1 < nwords ? w[i + 1] : 0);
        const huf_entry *e = &lookup[(window << (pos & 31)) >> shift];
        if (e->first_bits > total - pos)
            return wc_fail(err, WC_ERR_TRUNCATED,
                           "huffman codes: stream ends inside symbol %llu of %llu",
                           (unsigned long long)(n - (uint64_t)(out_end - out)),
                           (unsigned long long)n);
        *out++ = e->symbols[0];
        pos += e->first_bits;
    }
    *end = pos;
    return WC_OK;
}

/* A lone symbol is coded "0": its n codes are n zero bits from the
 * word-aligned bit `pos`. */
static wc_status decode_lone(const uint32_t *w, size_t nwords, uint64_t pos, unsigned symbol,
                             uint8_t *out, uint64_t n, uint64_t *end, wc_error *err)
{
    size_t first = (size_t)(pos >> 5);
    for (size_t i = first; i < nwords && (uint64_t)(i - first) * 32 < n; i++) {
        if (w[i] == 0)
            continue;
        unsigned zeros = 0;
        while ((w[i] << zeros >> 31) == 0)
            zeros++;
        uint64_t at = (uint64_t)(i - first) * 32 + zeros;
        if (at < n)
            return wc_fail(err, WC_ERR_CORRUPT, "huffman codes: bits at symbol %llu match no code",
                           (unsigned long long)at);
    }
    uint64_t avail = (uint64_t)(nwords - first) * 32;
    if (n > avail)
        return wc_fail(err, WC_ERR_TRUNCATED,
                       "huffman codes: stream ends after %llu of %llu symbols",
                       (unsigned long long)avail, (unsigned long long)n);
    memset(out, (int)symbol, (size_t)n);
    *end = pos + n;
    return WC_OK;
}

/* After the last code: zero bits to the word boundary, then the end. */
static wc_status check_end(const uint32_t *w, size_t nwords, uint64_t pos, wc_error *err)
{
    size_t i = (size_t)(pos >> 5);
    unsigned used = (unsigned)(pos & 31);
    if (used != 0) {
        if (w[i] << used)
            return wc_fail(err, WC_ERR_CORRUPT,
                           "huffman codes: padding bits after the last code are not zero");
        i++;
    }
    if (i < nwords)
        return wc_fail(err, WC_ERR_CORRUPT, "huffman codes: %zu extra words after the last code",
                       nwords - i);
    return WC_OK;
}

wc_status wc_huf_decode(const uint32_t *words, size_t nwords, uint64_t n, uint8_t *symbols,
                        wc_error *err)
{
    if (n == 0)
        return wc_fail(err, WC_ERR_ARG, "huffman decode: no symbols asked for (n must be at least 1)");
    wc_bitreader br;
    wc_bitreader_init(&br, words, nwords);
    uint8_t lengths[WC_HUF_SYMBOLS];
    unsigned max_bits;
    wc_status st = wc_huf_table_read(&br, lengths, &max_bits, err);
    if (st != WC_OK)
        return st;

    unsigned present = 0, lone = 0;
    for (unsigned s = 0; s < WC_HUF_SYMBOLS; s++) {
        if (lengths[s] != 0) {
            present++;
            lone = s;
        }
    }
    uint64_t end = 0;
    if (present == 1) {
        st = decode_lone(words, nwords, br.bitpos, lone, symbols, n, &end, err);
    } else {
        huf_entry lookup[1u << WC_HUF_MAX_BITS];
        build_lookup(lengths, max_bits, lookup);
        st = decode_codes(words, nwords, br.bitpos, lookup, max_bits, symbols, n, &end, err);
    }
    if (st != WC_OK)
        return st;
    return check_end(words, nwords, end, err);
}

#include "common/huffman.h"

#include <stdlib.h>
#include <string.h>

/* Each package-merge item sums at most one copy of every count per level, so
 * with this cap no weight can exceed 2^56 * WC_HUF_LENGTH_LIMIT < 2^64. */
#define HUF_COUNT_TOTAL_CAP ((uint64_t)1 << 56)

/* A package-merge list never holds more than one item per symbol plus one
 * package per pair of items below: under two per symbol. */
#define HUF_LIST_MAX (2 * WC_HUF_SYMBOLS)

typedef struct {
    uint64_t count;
    unsigned symbol;
} huf_leaf;

/* Ascending count; on equal counts the larger symbol first, so that it is the
 * one package-merge lengthens. */
static int leaf_order(const void *a, const void *b)
{
    const huf_leaf *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? -1 : 1;
    return x->symbol > y->symbol ? -1 : x->symbol < y->symbol;
}

/* Package-merge over `m` >= 2 leaves sorted by ascending weight, with codes of
 * at most `levels` bits (2^levels >= m).  List 0 holds items of width 1/2,
 * list levels-1 of width 2^-levels; each list merges the leaves with the
 * pairs of the list below.  Taking the 2m-2 lightest items of list 0 (total
 * width m-1) and, recursively, the items inside the chosen packages, gives
 * each leaf one bit of length per list it is chosen in.  The leaves chosen in
 * a list are always a prefix of the sorted leaves, so a flag per item
 * suffices to replay the choice. */
static void package_merge(const huf_leaf *leaves, size_t m, unsigned levels, uint8_t *depth)
{
    uint8_t is_leaf[WC_HUF_LENGTH_LIMIT][HUF_LIST_MAX];
    uint64_t below[HUF_LIST_MAX], here[HUF_LIST_MAX];
    size_t below_len = m;

    for (size_t i = 0; i < m; i++) {
        below[i] = leaves[i].count;
        is_leaf[levels - 1][i] = 1;
    }
    for (unsigned level = levels - 1; level-- > 0;) {
        size_t packages = below_len / 2, i = 0, j = 0, len = 0;
        while (i < m || j < packages) {
            uint64_t package = j < packages ? below[2 * j] + below[2 * j + 1] : 0;
            int take_leaf = i < m && (j == packages || leaves[i].count <= package);
            here[len] = take_leaf ? leaves[i++].count : package;
            is_leaf[level][len++] = (uint8_t)take_leaf;
            j += !take_leaf;
        }
        memcpy(below, here, len * sizeof *here);
        below_len = len;
    }

    memset(depth, 0, m);
    size_t take = 2 * m - 2;
    for (unsigned level = 0; level < levels && take > 0; level++) {
        size_t chosen_leaves = 0;
        for (size_t k = 0; k < take; k++)
            chosen_leaves += is_leaf[level][k];
        for (size_t k = 0; k < chosen_leaves; k++)
            depth[k]++;
        take = 2 * (take - chosen_leaves);
    }
}

wc_status wc_huf_lengths(const uint64_t counts[WC_HUF_SYMBOLS], unsigned max_bits,
                         uint8_t lengths[WC_HUF_SYMBOLS], wc_error *err)
{
    if (max_bits < 1 || max_bits > WC_HUF_LENGTH_LIMIT)
        return wc_fail(err, WC_ERR_ARG, "huffman: length limit %u is outside 1..%d", max_bits,
                       WC_HUF_LENGTH_LIMIT);
    huf_leaf leaves[WC_HUF_SYMBOLS];
    size_t m = 0;
    uint64_t total = 0;
    for (unsigned s = 0; s < WC_HUF_SYMBOLS; s++) {
        if (counts[s] == 0)
            continue;
        if (counts[s] >= HUF_COUNT_TOTAL_CAP - total)
            return wc_fail(err, WC_ERR_ARG, "huffman: symbol counts total 2^56 or more");
        total += counts[s];
        leaves[m].count = counts[s];
        leaves[m++].symbol = s;
    }
    if (m == 0)
        return wc_fail(err, WC_ERR_ARG, "huffman: no symbol has a nonzero count");
    if (((uint64_t)1 << max_bits) < m)
        return wc_fail(err, WC_ERR_ARG, "huffman: %zu symbols cannot all have codes of %u bits or less",
                       m, max_bits);

    memset(lengths, 0, WC_HUF_SYMBOLS);
    if (m == 1) {
        lengths[leaves[0].symbol] = 1;
        return WC_OK;
    }
    /* An unlimited Huffman code is never deeper than m-1. */
    unsigned levels = max_bits < m - 1 ? max_bits : (unsigned)(m - 1);
    qsort(leaves, m, sizeof *leaves, leaf_order);
    uint8_t depth[WC_HUF_SYMBOLS];
    package_merge(leaves, m, levels, depth);
    for (size_t i = 0; i < m; i++)
        lengths[leaves[i].symbol] = depth[i];
    return WC_OK;
}

void wc_huf_canonical_codes(const uint8_t lengths[WC_HUF_SYMBOLS],
                            uint32_t codes[WC_HUF_SYMBOLS])
{
    /* 64-bit arithmetic keeps over-subscribed lengths free of overflow. */
    uint64_t per_length[WC_HUF_LENGTH_LIMIT + 1] = {0};
    uint64_t next[WC_HUF_LENGTH_LIMIT + 1] = {0};
    for (unsigned s = 0; s < WC_HUF_SYMBOLS; s++)
        if (lengths[s] <= WC_HUF_LENGTH_LIMIT)
            per_length[lengths[s]]++;
    per_length[0] = 0;
    for (unsigned len = 1; len <= WC_HUF_LENGTH_LIMIT; len++)
        next[len] = (next[len - 1] + per_length[len - 1]) << 1;
    for (unsigned s = 0; s < WC_HUF_SYMBOLS; s++) {
        unsigned len = lengths[s];
        codes[s] = len >= 1 && len <= WC_HUF_LENGTH_LIMIT ? (uint32_t)next[len]++ : 0;
    }
}

/* First and last symbol with a nonzero length; returns 0 if there is none. */
static int used_range(const uint8_t lengths[WC_HUF_SYMBOLS], unsigned *first, unsigned *last)
{
    unsigned lo = 0, hi = WC_HUF_SYMBOLS;
    while (lo < WC_HUF_SYMBOLS && lengths[lo] == 0)
        lo++;
    if (lo == WC_HUF_SYMBOLS)
        return 0;
    while (lengths[hi - 1] == 0)
        hi--;
    *first = lo;
    *last = hi - 1;
    return 1;
}

static uint64_t round_up_32(uint64_t bits) { return (bits + 31) / 32 * 32; }

uint64_t wc_huf_stream_bits(const uint64_t counts[WC_HUF_SYMBOLS],
                            const uint8_t lengths[WC_HUF_SYMBOLS])
{
    unsigned first, last;
    if (!used_range(lengths, &first, &last))
        return 0;
    uint64_t code_bits = 0;
    for (unsigned s = first; s <= last; s++)
        code_bits += counts[s] * lengths[s];
    return 32 + round_up_32(4 * (uint64_t)(last - first + 1)) + round_up_32(code_bits);
}

wc_status wc_huf_table_write(wc_bitwriter *bw, const uint8_t lengths[WC_HUF_SYMBOLS],
                             wc_error *err)
{
    unsigned first, last, max_len = 0;
    if (!used_range(lengths, &first, &last))
        return wc_fail(err, WC_ERR_ARG, "huffman: table has no symbol");
    for (unsigned s = first; s <= last; s++)
        if (lengths[s] > max_len)
            max_len = lengths[s];
    if (max_len > WC_HUF_MAX_BITS)
        return wc_fail(err, WC_ERR_ARG, "huffman: code length %u exceeds the stream's limit of %d",
                       max_len, WC_HUF_MAX_BITS);
    wc_bitwriter_put(bw, (uint32_t)first << 24 | (uint32_t)(last - first) << 16 | max_len << 12, 32);
    for (unsigned s = first; s <= last; s++)
        wc_bitwriter_put(bw, lengths[s], 4);
    wc_bitwriter_flush(bw);
    return WC_OK;
}

/* The rules a table's lengths must follow beyond their header. */
static wc_status check_lengths(const uint8_t lengths[WC_HUF_SYMBOLS], unsigned max_bits,
                               wc_error *err)
{
    uint32_t kraft = 0; /* sum of 2^(max_bits - length): 2^max_bits means a complete code */
    unsigned present = 0, longest = 0, lone = 0;
    for (unsigned s = 0; s < WC_HUF_SYMBOLS; s++) {
        unsigned len = lengths[s];
        if (len == 0)
            continue;
        if (len > max_bits)
            return wc_fail(err, WC_ERR_CORRUPT,
                           "huffman table: symbol %u has length %u, above the maximum %u", s, len,
                           max_bits);
        kraft += (uint32_t)1 << (max_bits - len);
        longest = len > longest ? len : longest;
        present++;
        lone = s;
    }
    if (present == 0)
        return wc_fail(err, WC_ERR_CORRUPT, "huffman table: no symbol is present");
    if (longest != max_bits)
        return wc_fail(err, WC_ERR_CORRUPT,
                       "huffman table: maximum length %u is not used (longest code is %u)",
                       max_bits, longest);
    if (present == 1) {
        if (lengths[lone] != 1)
            return wc_fail(err, WC_ERR_CORRUPT,
                           "huffman table: lone symbol %u has length %u, must be 1", lone,
                           lengths[lone]);
        return WC_OK;
    }
    if (kraft > (uint32_t)1 << max_bits)
        return wc_fail(err, WC_ERR_CORRUPT,
                       "huffman table: code is over-subscribed (Kraft sum %u/%u > 1)", kraft,
                       1u << max_bits);
    if (kraft < (uint32_t)1 << max_bits)
        return wc_fail(err, WC_ERR_CORRUPT,
                       "huffman table: code is incomplete (Kraft sum %u/%u < 1)", kraft,
                       1u << max_bits);
    return WC_OK;
}

wc_status wc_huf_table_read(wc_bitreader *br, uint8_t lengths[WC_HUF_SYMBOLS],
                            unsigned *max_bits, wc_error *err)
{
    uint32_t header;
    wc_status st = wc_bitreader_get(br, 32, &header, "huffman table header", err);
    if (st != WC_OK)
        return st;
    unsigned first = header >> 24, count = (header >> 16 & 0xFF) + 1, max_len = header >> 12 & 0xF;
    if (header & 0xFFF)
        return wc_fail(err, WC_ERR_FORMAT,
                       "huffman table header: reserved bits 11..0 are 0x%03x, must be zero",
                       (unsigned)(header & 0xFFF));
    if (first + count - 1 > 255)
        return wc_fail(err, WC_ERR_CORRUPT,
                       "huffman table header: symbols %u..%u run past 255", first,
                       first + count - 1);
    if (max_len == 0)
        return wc_fail(err, WC_ERR_CORRUPT, "huffman table header: maximum code length is 0");
    if (max_len > WC_HUF_MAX_BITS)
        return wc_fail(err, WC_ERR_UNSUPPORTED,
                       "huffman table header: maximum code length %u exceeds %d", max_len,
                       WC_HUF_MAX_BITS);

    memset(lengths, 0, WC_HUF_SYMBOLS);
    for (unsigned i = 0; i < count; i++) {
        uint32_t len;
        st = wc_bitreader_get(br, 4, &len, "huffman code lengths", err);
        if (st != WC_OK)
            return st;
        lengths[first + i] = (uint8_t)len;
    }
    st = wc_bitreader_align(br, "huffman code lengths", err);
    if (st != WC_OK)
        return st;
    st = check_lengths(lengths, max_len, err);
    if (st == WC_OK)
        *max_bits = max_len;
    return st;
}

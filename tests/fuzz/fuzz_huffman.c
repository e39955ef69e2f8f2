/* Fuzz target for the Huffman coder.  Every input is used twice:
 *  - as a stream: bytes 0..3 (little-endian) give n modulo 4097, the rest are
 *    little-endian words.  The decoder must not crash, and when it accepts,
 *    re-coding its output with the stream's own table must give back exactly
 *    the code words it read;
 *  - as symbols: encoding them and decoding the result must give them back,
 *    in exactly wc_huf_stream_bits() bits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bitio.h"
#include "common/buffer.h"
#include "common/huffman.h"
#include "decode/huf_dec.h"
#include "encode/huf_enc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SYMBOLS 4096

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_huffman: %s: %s\n", what, detail);
    abort();
}

/* The codes of symbols[0..n-1] under the table at the start of `words`,
 * compared with the words after that table. */
static void check_recoding(const uint32_t *words, size_t nwords, const uint8_t *symbols,
                           uint64_t n)
{
    wc_bitreader br;
    uint8_t lengths[WC_HUF_SYMBOLS];
    uint32_t codes[WC_HUF_SYMBOLS];
    unsigned max_bits;
    wc_bitreader_init(&br, words, nwords);
    if (wc_huf_table_read(&br, lengths, &max_bits, NULL) != WC_OK)
        fail("recoding", "decoder accepted a table that wc_huf_table_read refuses");
    wc_huf_canonical_codes(lengths, codes);
    wc_words recoded = {0};
    wc_bitwriter bw;
    wc_bitwriter_init(&bw, &recoded);
    for (uint64_t i = 0; i < n; i++)
        wc_bitwriter_put(&bw, codes[symbols[i]], lengths[symbols[i]]);
    wc_bitwriter_flush(&bw);
    size_t table_words = (size_t)(br.bitpos / 32);
    if (wc_words_status(&recoded, NULL) != WC_OK || recoded.n != nwords - table_words ||
        memcmp(recoded.w, words + table_words, recoded.n * sizeof *recoded.w) != 0)
        fail("recoding", "accepted code words differ from the decoded symbols' codes");
    wc_words_free(&recoded);
}

static void decode_arbitrary(const uint8_t *data, size_t size)
{
    if (size < 4)
        return;
    uint64_t n = wc_load_le32(data) % (MAX_SYMBOLS + 1);
    size_t nwords = (size - 4) / 4;
    /* Exact-size copies, so any read or write past them trips ASan. */
    uint32_t *words = malloc(nwords ? nwords * sizeof *words : 1);
    uint8_t *symbols = malloc(n ? (size_t)n : 1);
    if (!words || !symbols)
        abort();
    for (size_t i = 0; i < nwords; i++)
        words[i] = wc_load_le32(data + 4 + 4 * i);
    wc_error err;
    if (wc_huf_decode(words, nwords, n, symbols, &err) == WC_OK)
        check_recoding(words, nwords, symbols, n);
    free(words);
    free(symbols);
}

static void round_trip(const uint8_t *data, size_t size)
{
    if (size == 0)
        return;
    wc_words words = {0};
    wc_error err;
    if (wc_huf_encode(data, size, &words, &err) != WC_OK)
        fail("encode", err.msg);

    uint64_t counts[WC_HUF_SYMBOLS] = {0};
    uint8_t lengths[WC_HUF_SYMBOLS];
    for (size_t i = 0; i < size; i++)
        counts[data[i]]++;
    if (wc_huf_lengths(counts, WC_HUF_MAX_BITS, lengths, &err) != WC_OK)
        fail("lengths", err.msg);
    if (wc_huf_stream_bits(counts, lengths) != (uint64_t)words.n * 32)
        fail("size", "stream size differs from wc_huf_stream_bits()");

    uint8_t *back = malloc(size);
    if (!back)
        abort();
    if (wc_huf_decode(words.w, words.n, size, back, &err) != WC_OK)
        fail("decode", err.msg);
    if (memcmp(back, data, size) != 0)
        fail("round trip", "decoded symbols differ");
    free(back);
    wc_words_free(&words);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    decode_arbitrary(data, size);
    round_trip(data, size);
    return 0;
}

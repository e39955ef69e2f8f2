/* Tests of the canonical Huffman coder: code lengths, canonical codes, the
 * exact stream words, round trips, and every way the decoder must refuse a
 * stream. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/huffman.h"
#include "decode/huf_dec.h"
#include "encode/huf_enc.h"

/* Deterministic test data: xorshift64. */
static uint64_t rng_state;

static void rng_seed(uint64_t seed) { rng_state = seed ? seed : 1; }

static uint64_t rng_next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static double rng_unit(void) { return (double)(rng_next() >> 11) / 9007199254740992.0; }

static void count_symbols(const uint8_t *symbols, size_t n, uint64_t counts[WC_HUF_SYMBOLS])
{
    memset(counts, 0, WC_HUF_SYMBOLS * sizeof *counts);
    for (size_t i = 0; i < n; i++)
        counts[symbols[i]]++;
}

/* Kraft sum of the lengths, scaled by 2^32. */
static uint64_t kraft_sum(const uint8_t lengths[WC_HUF_SYMBOLS])
{
    uint64_t sum = 0;
    for (int s = 0; s < WC_HUF_SYMBOLS; s++)
        if (lengths[s])
            sum += (uint64_t)1 << (32 - lengths[s]);
    return sum;
}

static unsigned longest(const uint8_t lengths[WC_HUF_SYMBOLS])
{
    unsigned m = 0;
    for (int s = 0; s < WC_HUF_SYMBOLS; s++)
        m = lengths[s] > m ? lengths[s] : m;
    return m;
}

static uint64_t code_bits(const uint64_t counts[WC_HUF_SYMBOLS],
                          const uint8_t lengths[WC_HUF_SYMBOLS])
{
    uint64_t bits = 0;
    for (int s = 0; s < WC_HUF_SYMBOLS; s++)
        bits += counts[s] * lengths[s];
    return bits;
}

/* Encodes, checks the size against wc_huf_stream_bits(), decodes and
 * compares.  Leaves the stream in *words (caller frees). */
static void round_trip(const uint8_t *symbols, size_t n, wc_words *words)
{
    wc_error err;
    *words = (wc_words){0};
    CHECK_MSG(wc_huf_encode(symbols, n, words, &err) == WC_OK, "encode: %s", err.msg);

    uint64_t counts[WC_HUF_SYMBOLS];
    uint8_t lengths[WC_HUF_SYMBOLS];
    count_symbols(symbols, n, counts);
    CHECK(wc_huf_lengths(counts, WC_HUF_MAX_BITS, lengths, NULL) == WC_OK);
    CHECK_MSG(wc_huf_stream_bits(counts, lengths) == (uint64_t)words->n * 32,
              "predicted %llu bits, encoded %zu words",
              (unsigned long long)wc_huf_stream_bits(counts, lengths), words->n);

    uint8_t *back = malloc(n);
    CHECK(back != NULL);
    wc_status st = wc_huf_decode(words->w, words->n, n, back, &err);
    int same = st == WC_OK && memcmp(back, symbols, n) == 0;
    free(back);
    CHECK_MSG(st == WC_OK, "decode: %s", err.msg);
    CHECK_MSG(same, "decoded symbols differ from the input");
}

static void round_trip_free(const uint8_t *symbols, size_t n)
{
    wc_words words;
    round_trip(symbols, n, &words);
    wc_words_free(&words);
}

/* Lengths the encoder would choose for these symbols. */
static void lengths_of(const uint8_t *symbols, size_t n, uint8_t lengths[WC_HUF_SYMBOLS])
{
    uint64_t counts[WC_HUF_SYMBOLS];
    count_symbols(symbols, n, counts);
    CHECK(wc_huf_lengths(counts, WC_HUF_MAX_BITS, lengths, NULL) == WC_OK);
}

static void round_trip_uniform(void)
{
    enum { N = 100000 };
    static uint8_t s[N];
    rng_seed(1);
    for (int i = 0; i < N; i++)
        s[i] = (uint8_t)rng_next();
    round_trip_free(s, N);
    uint8_t lengths[WC_HUF_SYMBOLS];
    lengths_of(s, N, lengths);
    for (int v = 0; v < WC_HUF_SYMBOLS; v++)
        CHECK_MSG(lengths[v] == 8, "symbol %d has length %u, want 8", v, lengths[v]);
}

/* Payload within one bit per symbol of the entropy, as Huffman promises. */
static void round_trip_gaussian_like(void)
{
    enum { N = 200000 };
    static uint8_t s[N];
    rng_seed(2);
    for (int i = 0; i < N; i++) {
        double g = rng_unit() + rng_unit() + rng_unit() + rng_unit() - 2.0;
        double v = 128 + g * sqrt(3.0) * 12;
        s[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
    wc_words words;
    round_trip(s, N, &words);
    uint64_t counts[WC_HUF_SYMBOLS];
    count_symbols(s, N, counts);
    double entropy_bits = 0;
    for (int v = 0; v < WC_HUF_SYMBOLS; v++)
        if (counts[v])
            entropy_bits -= (double)counts[v] * log2((double)counts[v] / N);
    double stream_bits = (double)words.n * 32;
    wc_words_free(&words);
    CHECK_MSG(stream_bits > entropy_bits && stream_bits < entropy_bits + N + 2048,
              "stream %.0f bits, entropy %.0f bits", stream_bits, entropy_bits);
}

static void round_trip_extreme_skew(void)
{
    enum { N = 300000 };
    static uint8_t s[N];
    rng_seed(3);
    for (int i = 0; i < N; i++)
        s[i] = rng_unit() < 0.9999 ? 42 : (uint8_t)rng_next();
    round_trip_free(s, N);
    uint8_t lengths[WC_HUF_SYMBOLS];
    lengths_of(s, N, lengths);
    CHECK_MSG(lengths[42] == 1, "dominant symbol has length %u", lengths[42]);
    CHECK(longest(lengths) <= WC_HUF_MAX_BITS);
    CHECK(kraft_sum(lengths) == (uint64_t)1 << 32);
}

/* Lone symbol 7: header 0x07001000, lengths word 0x10000000, then n zero bits. */
static void single_symbol_stream_is_all_zero_codes(void)
{
    static const size_t sizes[] = {1, 31, 32, 33, 1000};
    uint8_t s[1000];
    memset(s, 7, sizeof s);
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t n = sizes[k];
        wc_words words;
        round_trip(s, n, &words);
        CHECK_MSG(words.n == 2 + (n + 31) / 32, "n=%zu: %zu words", n, words.n);
        CHECK_MSG(words.w[0] == 0x07001000u, "header %08x", words.w[0]);
        CHECK_MSG(words.w[1] == 0x10000000u, "lengths %08x", words.w[1]);
        for (size_t i = 2; i < words.n; i++)
            CHECK(words.w[i] == 0);
        wc_words_free(&words);
    }
}

/* Two symbols, 9 and 200: both of length 1, so 9 = "0", 200 = "1" and the
 * codes are the symbols' bits.  The table spans 192 lengths (24 words) with
 * only the first and last set. */
static void two_symbols_take_one_bit_each(void)
{
    uint8_t s[32];
    for (int i = 0; i < 32; i++)
        s[i] = i % 3 == 0 ? 200 : 9;
    wc_words words;
    round_trip(s, 32, &words);
    CHECK_MSG(words.n == 1 + 24 + 1, "%zu words", words.n);
    CHECK_MSG(words.w[0] == (9u << 24 | 191u << 16 | 1u << 12), "header %08x", words.w[0]);
    CHECK_MSG(words.w[1] == 0x10000000u && words.w[24] == 0x00000001u, "lengths %08x..%08x",
              words.w[1], words.w[24]);
    CHECK_MSG(words.w[25] == 0x92492492u, "codes %08x", words.w[25]);
    wc_words_free(&words);
}

static void round_trip_all_256_symbols(void)
{
    enum { N = 5000 };
    uint8_t s[N];
    rng_seed(4);
    for (int i = 0; i < N; i++)
        s[i] = i < 256 ? (uint8_t)i : (uint8_t)(rng_next() % (1 + rng_next() % 256));
    wc_words words;
    round_trip(s, N, &words);
    CHECK_MSG(words.w[0] >> 16 == 0x00FFu, "header %08x must cover 0..255", words.w[0]);
    wc_words_free(&words);
    uint8_t lengths[WC_HUF_SYMBOLS];
    lengths_of(s, N, lengths);
    CHECK(kraft_sum(lengths) == (uint64_t)1 << 32);
}

/* Fibonacci counts make the unlimited Huffman code a chain, one symbol per
 * depth; limited, every code fits in 11 bits, the code stays complete and
 * costs no more than the best length-limited code. */
static void fibonacci_counts_are_limited_to_11_bits(void)
{
    uint64_t counts[WC_HUF_SYMBOLS] = {0};
    uint64_t a = 1, b = 1;
    for (int s = 0; s < 20; s++) {
        counts[s] = a;
        uint64_t c = a + b;
        a = b;
        b = c;
    }
    uint8_t lengths[WC_HUF_SYMBOLS];
    CHECK(wc_huf_lengths(counts, WC_HUF_LENGTH_LIMIT, lengths, NULL) == WC_OK);
    CHECK_MSG(longest(lengths) == 19, "unlimited longest %u, want 19", longest(lengths));
    CHECK(code_bits(counts, lengths) == 46344);
    CHECK(kraft_sum(lengths) == (uint64_t)1 << 32);

    CHECK(wc_huf_lengths(counts, WC_HUF_MAX_BITS, lengths, NULL) == WC_OK);
    CHECK_MSG(longest(lengths) == WC_HUF_MAX_BITS, "limited longest %u", longest(lengths));
    CHECK(kraft_sum(lengths) == (uint64_t)1 << 32);
    /* Optimal costs, found independently by dynamic programming over depths. */
    CHECK_MSG(code_bits(counts, lengths) == 46352, "limited code costs %llu bits, optimum 46352",
              (unsigned long long)code_bits(counts, lengths));
    for (int s = 1; s < 20; s++)
        CHECK_MSG(lengths[s] <= lengths[s - 1], "rarer symbol %d is shorter", s - 1);

    /* The stream built from such data decodes. */
    uint64_t total = 0;
    for (int s = 0; s < 20; s++)
        total += counts[s];
    uint8_t *data = malloc(total);
    CHECK(data != NULL);
    size_t k = 0;
    rng_seed(5);
    for (int s = 0; s < 20; s++)
        for (uint64_t i = 0; i < counts[s]; i++)
            data[k++] = (uint8_t)s;
    for (size_t i = total - 1; i > 0; i--) {
        size_t j = (size_t)(rng_next() % (i + 1));
        uint8_t t = data[i];
        data[i] = data[j];
        data[j] = t;
    }
    wc_words words;
    round_trip(data, total, &words);
    free(data);
    CHECK_MSG((words.w[0] >> 12 & 15) == WC_HUF_MAX_BITS, "header %08x", words.w[0]);
    wc_words_free(&words);
}

/* Counts 1,1,2,4,8: unlimited lengths 4,4,3,2,1 (cost 30).  With codes of at
 * most 3 bits the optimum is 3,3,3,3,1 (cost 32; 2,2,2,3,3 would cost 34). */
static void length_limit_is_optimal_on_small_case(void)
{
    uint64_t counts[WC_HUF_SYMBOLS] = {1, 1, 2, 4, 8};
    uint8_t lengths[WC_HUF_SYMBOLS];
    CHECK(wc_huf_lengths(counts, WC_HUF_LENGTH_LIMIT, lengths, NULL) == WC_OK);
    CHECK(lengths[0] == 4 && lengths[1] == 4 && lengths[2] == 3 && lengths[3] == 2 &&
          lengths[4] == 1);
    CHECK(wc_huf_lengths(counts, 3, lengths, NULL) == WC_OK);
    CHECK_MSG(lengths[0] == 3 && lengths[1] == 3 && lengths[2] == 3 && lengths[3] == 3 &&
                  lengths[4] == 1,
              "got %u %u %u %u %u", lengths[0], lengths[1], lengths[2], lengths[3], lengths[4]);
    CHECK(lengths[5] == 0);
}

/* 256 symbols need 8 bits; with an 8-bit limit all get exactly 8. */
static void lengths_fill_the_limit_exactly(void)
{
    uint64_t counts[WC_HUF_SYMBOLS];
    for (int s = 0; s < WC_HUF_SYMBOLS; s++)
        counts[s] = (uint64_t)1 << (s % 40);
    uint8_t lengths[WC_HUF_SYMBOLS];
    CHECK(wc_huf_lengths(counts, 8, lengths, NULL) == WC_OK);
    for (int s = 0; s < WC_HUF_SYMBOLS; s++)
        CHECK(lengths[s] == 8);
    CHECK(wc_huf_lengths(counts, 7, lengths, NULL) == WC_ERR_ARG);
}

static void lengths_reject_bad_arguments(void)
{
    uint64_t counts[WC_HUF_SYMBOLS] = {0};
    uint8_t lengths[WC_HUF_SYMBOLS];
    wc_error err;
    CHECK(wc_huf_lengths(counts, WC_HUF_MAX_BITS, lengths, &err) == WC_ERR_ARG);
    CHECK(strstr(err.msg, "no symbol") != NULL);
    counts[3] = 5;
    CHECK(wc_huf_lengths(counts, 0, lengths, NULL) == WC_ERR_ARG);
    CHECK(wc_huf_lengths(counts, WC_HUF_LENGTH_LIMIT + 1, lengths, NULL) == WC_ERR_ARG);
    counts[4] = (uint64_t)1 << 56;
    CHECK(wc_huf_lengths(counts, WC_HUF_MAX_BITS, lengths, &err) == WC_ERR_ARG);
    CHECK(strstr(err.msg, "2^56") != NULL);
    counts[4] = 1;
    CHECK(wc_huf_lengths(counts, 1, lengths, NULL) == WC_OK);
    CHECK(lengths[3] == 1 && lengths[4] == 1);
}

/* Equal counts: the smaller symbol value never gets the longer code. */
static void ties_are_broken_by_symbol_value(void)
{
    uint64_t counts[WC_HUF_SYMBOLS] = {0};
    counts[30] = counts[10] = counts[20] = 5;
    uint8_t lengths[WC_HUF_SYMBOLS];
    CHECK(wc_huf_lengths(counts, WC_HUF_MAX_BITS, lengths, NULL) == WC_OK);
    CHECK_MSG(lengths[10] == 1 && lengths[20] == 2 && lengths[30] == 2, "got %u %u %u",
              lengths[10], lengths[20], lengths[30]);
}

/* Lengths 5:1, 1:2, 9:2 give 5 = "0", 1 = "10", 9 = "11": ordered by
 * length first, symbol value second. */
static void canonical_codes_order_by_length_then_symbol(void)
{
    uint8_t lengths[WC_HUF_SYMBOLS] = {0};
    uint32_t codes[WC_HUF_SYMBOLS];
    lengths[5] = 1;
    lengths[1] = 2;
    lengths[9] = 2;
    wc_huf_canonical_codes(lengths, codes);
    CHECK(codes[5] == 0 && codes[1] == 2 && codes[9] == 3);
    /* Symbol 4 of length 1 is "0"; symbols 0..3 of length 3 follow it:
     * ("0" + 1) shifted by two is "100", then "101", "110", "111". */
    memset(lengths, 0, sizeof lengths);
    lengths[0] = lengths[1] = lengths[2] = lengths[3] = 3;
    lengths[4] = 1;
    wc_huf_canonical_codes(lengths, codes);
    CHECK(codes[4] == 0 && codes[0] == 4 && codes[1] == 5 && codes[2] == 6 && codes[3] == 7);
}

/* The hand-worked stream of docs/format-huffman.md. */
static const uint8_t example_symbols[8] = {2, 3, 5, 2, 7, 2, 3, 2};
static const uint32_t example_words[3] = {0x02053000u, 0x12030300u, 0x59D00000u};

static void example_stream_is_bit_exact(void)
{
    wc_words words = {0};
    CHECK(wc_huf_encode(example_symbols, 8, &words, NULL) == WC_OK);
    CHECK_MSG(words.n == 3, "%zu words", words.n);
    for (int i = 0; i < 3; i++)
        CHECK_MSG(words.w[i] == example_words[i], "word %d is %08x, want %08x", i, words.w[i],
                  example_words[i]);
    wc_words_free(&words);
    uint8_t back[8];
    CHECK(wc_huf_decode(example_words, 3, 8, back, NULL) == WC_OK);
    CHECK(memcmp(back, example_symbols, 8) == 0);
}

static void encode_appends_to_existing_words(void)
{
    wc_words words = {0};
    wc_words_push(&words, 0xABCD0123u);
    CHECK(wc_huf_encode(example_symbols, 8, &words, NULL) == WC_OK);
    CHECK(words.n == 4 && words.w[0] == 0xABCD0123u && words.w[1] == example_words[0] &&
          words.w[3] == example_words[2]);
    wc_words_free(&words);
}

static void encode_is_deterministic(void)
{
    enum { N = 20000 };
    static uint8_t s[N];
    rng_seed(6);
    for (int i = 0; i < N; i++)
        s[i] = (uint8_t)(rng_next() % 5 * (rng_next() % 3));
    wc_words a = {0}, b = {0};
    CHECK(wc_huf_encode(s, N, &a, NULL) == WC_OK);
    CHECK(wc_huf_encode(s, N, &b, NULL) == WC_OK);
    int same = a.n == b.n && memcmp(a.w, b.w, a.n * sizeof *a.w) == 0;
    wc_words_free(&a);
    wc_words_free(&b);
    CHECK(same);
}

/* Every n from 1 to 300 on skewed data, so the decoder's fast loop hands
 * over to its tail at every offset. */
static void round_trip_every_small_length(void)
{
    uint8_t s[300];
    rng_seed(7);
    for (int i = 0; i < 300; i++) {
        double u = rng_unit();
        s[i] = (uint8_t)(u < 0.6 ? 7 : u < 0.8 ? 6 : u < 0.9 ? 8 : rng_next() % 15);
    }
    for (size_t n = 1; n <= 300; n++)
        round_trip_free(s, n);
}

static void encode_rejects_empty_input(void)
{
    wc_words words = {0};
    wc_error err;
    CHECK(wc_huf_encode(example_symbols, 0, &words, &err) == WC_ERR_ARG);
    CHECK(words.n == 0);
}

static void table_write_rejects_long_codes(void)
{
    uint8_t lengths[WC_HUF_SYMBOLS] = {0};
    wc_words words = {0};
    wc_bitwriter bw;
    wc_bitwriter_init(&bw, &words);
    CHECK(wc_huf_table_write(&bw, lengths, NULL) == WC_ERR_ARG);
    lengths[0] = WC_HUF_MAX_BITS + 1;
    CHECK(wc_huf_table_write(&bw, lengths, NULL) == WC_ERR_ARG);
    wc_words_free(&words);
}

/* Decodes `words` and checks the status and that the message names `what`. */
static void expect_reject(const uint32_t *words, size_t nwords, uint64_t n, wc_status want,
                          const char *what)
{
    uint8_t out[64];
    wc_error err = {WC_OK, ""};
    CHECK(n <= sizeof out);
    wc_status st = wc_huf_decode(words, nwords, n, out, &err);
    CHECK_MSG(st == want, "status %s (%s), want %s", wc_status_name(st), err.msg,
              wc_status_name(want));
    CHECK_MSG(strstr(err.msg, what) != NULL, "message '%s' does not mention '%s'", err.msg, what);
}

static void decode_rejects_bad_headers(void)
{
    /* The example with one header field changed at a time; the last two
     * change M so that it no longer fits the lengths. */
    uint32_t w[3];
    memcpy(w, example_words, sizeof w);
    w[0] = example_words[0] | 0x001;
    expect_reject(w, 3, 8, WC_ERR_FORMAT, "reserved");
    w[0] = 0xFA0A3000u; /* symbols 250..260 */
    expect_reject(w, 3, 8, WC_ERR_CORRUPT, "past 255");
    w[0] = 0x02050000u; /* M = 0 */
    expect_reject(w, 3, 8, WC_ERR_CORRUPT, "maximum code length is 0");
    w[0] = 0x0205C000u; /* M = 12 */
    expect_reject(w, 3, 8, WC_ERR_UNSUPPORTED, "exceeds 11");
    w[0] = 0x02052000u; /* M = 2, but lengths of 3 */
    expect_reject(w, 3, 8, WC_ERR_CORRUPT, "above the maximum");
    w[0] = 0x02054000u; /* M = 4, never used */
    expect_reject(w, 3, 8, WC_ERR_CORRUPT, "is not used");
}

static void decode_rejects_bad_lengths(void)
{
    /* Symbols 0..2: no symbol, lone symbol too long, over-subscribed, incomplete. */
    const uint32_t none[3] = {0x00021000u, 0x00000000u, 0};
    expect_reject(none, 3, 1, WC_ERR_CORRUPT, "no symbol");
    const uint32_t lone_long[3] = {0x00002000u, 0x20000000u, 0};
    expect_reject(lone_long, 3, 1, WC_ERR_CORRUPT, "lone symbol");
    const uint32_t over[3] = {0x00021000u, 0x11100000u, 0};
    expect_reject(over, 3, 1, WC_ERR_CORRUPT, "over-subscribed");
    const uint32_t incomplete[3] = {0x00012000u, 0x12000000u, 0};
    expect_reject(incomplete, 3, 1, WC_ERR_CORRUPT, "incomplete");
}

static void decode_rejects_unmatched_pattern(void)
{
    /* Lone symbol 7 is "0"; a 1 bit at symbol 5 is no code. */
    const uint32_t w[3] = {0x07001000u, 0x10000000u, 0x04000000u};
    expect_reject(w, 3, 10, WC_ERR_CORRUPT, "match no code");
    expect_reject(w, 3, 10, WC_ERR_CORRUPT, "symbol 5");
}

/* Cut a stream of several code words at each word boundary before its end. */
static void decode_rejects_truncation_at_every_word(void)
{
    uint8_t s[60];
    for (int i = 0; i < 60; i++)
        s[i] = (uint8_t)(i * 7 % 11);
    wc_words words = {0};
    CHECK(wc_huf_encode(s, 60, &words, NULL) == WC_OK);
    CHECK(words.n >= 6);
    for (size_t cut = 0; cut < words.n; cut++)
        expect_reject(words.w, cut, 60, WC_ERR_TRUNCATED, "ends");
    wc_words_free(&words);
}

/* Padding after the code lengths (8 bits) and after the codes (18 bits). */
static void decode_rejects_nonzero_padding(void)
{
    uint32_t w[3];
    memcpy(w, example_words, sizeof w);
    w[1] |= 1;
    expect_reject(w, 3, 8, WC_ERR_CORRUPT, "code lengths: padding bits are not zero");
    memcpy(w, example_words, sizeof w);
    w[2] |= 1;
    expect_reject(w, 3, 8, WC_ERR_CORRUPT, "padding bits after the last code");
}

static void decode_rejects_extra_word(void)
{
    uint32_t w[4];
    memcpy(w, example_words, sizeof example_words);
    w[3] = 0;
    expect_reject(w, 4, 8, WC_ERR_CORRUPT, "1 extra words");
}

/* n is not in the stream: a wrong n shows when the bits do not fit it.
 * Symbols 9 ("0") and 200 ("1"), 32 times 200: one all-ones code word. */
static void decode_rejects_wrong_n(void)
{
    uint8_t s[32];
    memset(s, 200, sizeof s);
    s[0] = 9;
    wc_words words = {0};
    CHECK(wc_huf_encode(s, 32, &words, NULL) == WC_OK);
    CHECK(words.w[words.n - 1] == 0x7FFFFFFFu);
    expect_reject(words.w, words.n, 31, WC_ERR_CORRUPT, "padding");
    expect_reject(words.w, words.n, 33, WC_ERR_TRUNCATED, "after 32 of 33");
    expect_reject(words.w, words.n, 0, WC_ERR_ARG, "n must be");
    wc_words_free(&words);
}

int main(void)
{
    check_suite = "huffman";
    RUN(round_trip_uniform);
    RUN(round_trip_gaussian_like);
    RUN(round_trip_extreme_skew);
    RUN(single_symbol_stream_is_all_zero_codes);
    RUN(two_symbols_take_one_bit_each);
    RUN(round_trip_all_256_symbols);
    RUN(fibonacci_counts_are_limited_to_11_bits);
    RUN(length_limit_is_optimal_on_small_case);
    RUN(lengths_fill_the_limit_exactly);
    RUN(lengths_reject_bad_arguments);
    RUN(ties_are_broken_by_symbol_value);
    RUN(canonical_codes_order_by_length_then_symbol);
    RUN(example_stream_is_bit_exact);
    RUN(encode_appends_to_existing_words);
    RUN(encode_is_deterministic);
    RUN(round_trip_every_small_length);
    RUN(encode_rejects_empty_input);
    RUN(table_write_rejects_long_codes);
    RUN(decode_rejects_bad_headers);
    RUN(decode_rejects_bad_lengths);
    RUN(decode_rejects_unmatched_pattern);
    RUN(decode_rejects_truncation_at_every_word);
    RUN(decode_rejects_nonzero_padding);
    RUN(decode_rejects_extra_word);
    RUN(decode_rejects_wrong_n);
    return CHECK_EXIT_STATUS();
}

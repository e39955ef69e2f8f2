/* Tests of the tANS table construction, encoder and decoder. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/tans.h"
#include "common/tans_layer.h"
#include "decode/tans_dec.h"
#include "encode/tans_enc.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

static double gaussian(void)
{
    double u = (rng() + 1.0) / 4294967297.0, v = rng() / 4294967296.0;
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* Symbols of a rounded Gaussian with standard deviation sigma, centred on 127. */
static void gaussian_symbols(uint8_t *sym, size_t n, double sigma)
{
    for (size_t i = 0; i < n; i++) {
        long v = lround(127 + sigma * gaussian());
        sym[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}

static void histogram(const uint8_t *sym, size_t n, uint64_t hist[256])
{
    memset(hist, 0, 256 * sizeof hist[0]);
    for (size_t i = 0; i < n; i++)
        hist[sym[i]]++;
}

static double entropy_bits(const uint64_t hist[256], size_t n)
{
    double h = 0;
    for (int s = 0; s < 256; s++)
        if (hist[s])
            h -= (double)hist[s] * log2((double)hist[s] / n);
    return h;
}

/* Encodes, decodes, compares; returns the block length in words. */
static size_t round_trip(const uint8_t *sym, size_t n, unsigned table_log, unsigned lanes)
{
    uint64_t hist[256];
    histogram(sym, n, hist);
    wc_tans_dist dist;
    wc_error err = {0};
    CHECK_MSG(wc_tans_normalize(hist, table_log, &dist, &err) == WC_OK, "%s", err.msg);
    wc_words words = {0};
    CHECK_MSG(wc_tans_encode(sym, n, &dist, lanes, &words, &err) == WC_OK, "%s", err.msg);
    uint8_t *out = malloc(n);
    size_t used = 0;
    wc_status st = wc_tans_decode(words.w, words.n, n, out, &used, &err);
    CHECK_MSG(st == WC_OK, "log %u lanes %u n %zu: %s", table_log, lanes, n, err.msg);
    CHECK(used == words.n);
    CHECK_MSG(memcmp(out, sym, n) == 0, "log %u lanes %u: decoded symbols differ", table_log,
              lanes);
    free(out);
    wc_words_free(&words);
    return used;
}

static void normalize_sums_to_table_size_and_keeps_every_symbol(void)
{
    uint64_t hist[256] = {0};
    hist[0] = 1000000;
    for (int s = 1; s < 200; s++)
        hist[s] = 1;
    wc_tans_dist dist;
    CHECK(wc_tans_normalize(hist, 8, &dist, NULL) == WC_OK);
    CHECK(wc_tans_check_dist(&dist, NULL) == WC_OK);
    for (int s = 0; s < 256; s++)
        CHECK_MSG((hist[s] > 0) == (dist.counts[s] > 0), "symbol %d", s);
}

/* Exhaustive search over all count vectors for 3 symbols and 32 states. */
static void normalize_is_optimal_on_small_cases(void)
{
    for (int trial = 0; trial < 200; trial++) {
        uint64_t hist[256] = {0};
        hist[10] = 1 + rng() % 1000;
        hist[11] = 1 + rng() % 50;
        hist[12] = 1 + rng() % 7;
        wc_tans_dist dist;
        CHECK(wc_tans_normalize(hist, 5, &dist, NULL) == WC_OK);
        double got = wc_tans_ideal_bits(hist, &dist);
        double best = INFINITY;
        for (int a = 1; a < 32; a++)
            for (int b = 1; a + b < 32; b++) {
                wc_tans_dist d = {.table_log = 5};
                d.counts[10] = (uint16_t)a;
                d.counts[11] = (uint16_t)b;
                d.counts[12] = (uint16_t)(32 - a - b);
                double bits = wc_tans_ideal_bits(hist, &d);
                if (bits < best)
                    best = bits;
            }
        CHECK_MSG(got <= best + 1e-9, "trial %d: %f bits, optimum %f", trial, got, best);
    }
}

static void normalize_refuses_impossible_requests(void)
{
    uint64_t hist[256];
    for (int s = 0; s < 256; s++)
        hist[s] = 1;
    wc_tans_dist dist;
    wc_error err;
    CHECK(wc_tans_normalize(hist, 7, &dist, &err) == WC_ERR_ARG);
    CHECK(strstr(err.msg, "256 distinct symbols") != NULL);
    CHECK(wc_tans_normalize(hist, 13, &dist, NULL) == WC_ERR_ARG);
    memset(hist, 0, sizeof hist);
    CHECK(wc_tans_normalize(hist, 8, &dist, NULL) == WC_ERR_ARG);
}

/* Every state appears once as a decode target: for each symbol the entries
 * reconstruct x = f .. 2f-1, and next states stay in range. */
static void decode_table_is_a_valid_tans_table(void)
{
    uint64_t hist[256] = {0};
    for (int s = 0; s < 15; s++)
        hist[s] = 1 + rng() % 5000;
    for (unsigned log = WC_TANS_MIN_LOG; log <= WC_TANS_MAX_LOG; log++) {
        wc_tans_dist dist;
        CHECK(wc_tans_normalize(hist, log, &dist, NULL) == WC_OK);
        static wc_tans_entry table[1 << WC_TANS_MAX_LOG];
        wc_tans_build_decode(&dist, table);
        const uint32_t R = 1u << log;
        static uint8_t seen[256][2 << WC_TANS_MAX_LOG];
        memset(seen, 0, sizeof seen);
        for (uint32_t u = 0; u < R; u++) {
            wc_tans_entry e = table[u];
            CHECK(e.nbits <= log);
            CHECK((uint32_t)e.base + (1u << e.nbits) <= R);
            uint32_t x = (e.base + R) >> e.nbits;
            CHECK(x >= dist.counts[e.symbol] && x < 2u * dist.counts[e.symbol]);
            CHECK(!seen[e.symbol][x]);
            seen[e.symbol][x] = 1;
        }
    }
}

static void spread_places_each_symbol_count_times(void)
{
    wc_tans_dist dist = {.table_log = 6};
    dist.counts[3] = 40;
    dist.counts[200] = 23;
    dist.counts[255] = 1;
    uint8_t spread[64];
    wc_tans_spread(&dist, spread);
    int n3 = 0, n200 = 0, n255 = 0;
    for (int u = 0; u < 64; u++) {
        n3 += spread[u] == 3;
        n200 += spread[u] == 200;
        n255 += spread[u] == 255;
    }
    CHECK(n3 == 40 && n200 == 23 && n255 == 1);
    /* step for 64 states is 32 + 8 + 3 = 43: the first symbol fills 0, 43, 22, ... */
    CHECK(spread[0] == 3 && spread[43] == 3 && spread[22] == 3);
}

static void round_trips_every_table_log_and_lane_count(void)
{
    enum { N = 20011 };
    uint8_t *sym = malloc(N);
    gaussian_symbols(sym, N, 2.0);
    for (unsigned log = WC_TANS_MIN_LOG; log <= WC_TANS_MAX_LOG; log++)
        for (unsigned lanes = 1; lanes <= WC_TANS_MAX_LANES; lanes++)
            round_trip(sym, N, log, lanes);
    free(sym);
}

static void round_trips_short_layers_fewer_symbols_than_lanes(void)
{
    uint8_t sym[40];
    gaussian_symbols(sym, sizeof sym, 3.0);
    for (size_t n = 1; n <= sizeof sym; n++)
        for (unsigned lanes = 1; lanes <= WC_TANS_MAX_LANES; lanes++)
            round_trip(sym, n, 6, lanes);
}

static void round_trips_extreme_distributions(void)
{
    enum { N = 50000 };
    uint8_t *sym = malloc(N);
    memset(sym, 7, N); /* one symbol: every read is 0 bits */
    size_t words = round_trip(sym, N, 8, 8);
    CHECK_MSG(words <= 4 + 1 + 8 * 2, "single-symbol layer took %zu words", words);
    for (size_t i = 0; i < N; i++) /* all 256 symbols, uniform */
        sym[i] = (uint8_t)rng();
    round_trip(sym, N, 8, 4);
    round_trip(sym, N, 12, 16);
    for (size_t i = 0; i < N; i++) /* extreme skew */
        sym[i] = rng() % 10000 == 0 ? (uint8_t)(rng() % 3) : 100;
    round_trip(sym, N, 6, 1);
    round_trip(sym, N, 8, 8);
    free(sym);
}

/* Coded size close to the entropy: within 1.5% at 256 states and 0.3% at
 * 4096 states on a 15-symbol Gaussian of one million symbols (headers included). */
static void coded_size_is_close_to_entropy(void)
{
    enum { N = 1000000 };
    uint8_t *sym = malloc(N);
    for (size_t i = 0; i < N; i++) {
        long v = lround(7 + 2.0 * gaussian());
        sym[i] = (uint8_t)(v < 0 ? 0 : v > 14 ? 14 : v);
    }
    uint64_t hist[256];
    histogram(sym, N, hist);
    double h0 = entropy_bits(hist, N);
    double bits256 = 32.0 * round_trip(sym, N, 8, 1);
    double bits4096 = 32.0 * round_trip(sym, N, 12, 1);
    CHECK_MSG(bits256 <= h0 * 1.015, "256 states: %.3f%% over H0", 100 * (bits256 / h0 - 1));
    CHECK_MSG(bits4096 <= h0 * 1.003, "4096 states: %.3f%% over H0", 100 * (bits4096 / h0 - 1));
    free(sym);
}

static void layer_header_fields_are_where_the_format_says(void)
{
    uint8_t sym[100];
    for (int i = 0; i < 100; i++)
        sym[i] = (uint8_t)(20 + i % 3);
    uint64_t hist[256];
    histogram(sym, 100, hist);
    wc_tans_dist dist;
    CHECK(wc_tans_normalize(hist, 7, &dist, NULL) == WC_OK);
    wc_words w = {0};
    CHECK(wc_tans_encode(sym, 100, &dist, 4, &w, NULL) == WC_OK);
    CHECK(w.w[0] == (0xA7u << 24 | 7u << 20 | 3u << 16));
    CHECK(w.w[1] == 100);
    CHECK(w.w[3] >> 24 == 20 && ((w.w[3] >> 16) & 0xFF) == 2);
    /* counts 43, 43, 42 (or a permutation): 6-bit fields */
    CHECK(((w.w[3] >> 12) & 0xF) == 6);
    wc_tans_layer layer;
    CHECK(wc_tans_layer_parse(w.w, w.n, &layer, NULL) == WC_OK);
    CHECK(layer.header_words == 5 && layer.payload_words == w.n - 5);
    wc_words_free(&w);
}

/* Header and table damage is always refused, with no crash. */
static void decoder_rejects_damaged_headers(void)
{
    enum { N = 3000 };
    uint8_t sym[N], out[N];
    gaussian_symbols(sym, N, 1.5);
    uint64_t hist[256];
    histogram(sym, N, hist);
    wc_tans_dist dist;
    CHECK(wc_tans_normalize(hist, 8, &dist, NULL) == WC_OK);
    wc_words w = {0};
    CHECK(wc_tans_encode(sym, N, &dist, 8, &w, NULL) == WC_OK);
    wc_error err;
    struct { size_t word; uint32_t xor_mask; wc_status want; } cases[] = {
        {0, 0x01000000u, WC_ERR_CORRUPT}, /* magic */
        {0, 0x00F00000u, WC_ERR_CORRUPT}, /* table log 8 -> 7: counts no longer sum */
        {0, 0x00000001u, WC_ERR_CORRUPT}, /* reserved */
        {1, 0x00000001u, WC_ERR_CORRUPT}, /* symbol count */
        {2, 0x00100000u, WC_ERR_TRUNCATED}, /* payload longer than the buffer */
        {3, 0x00000800u, WC_ERR_CORRUPT}, /* reserved */
        {3, 0x0000F000u, WC_ERR_CORRUPT}, /* count width 15 */
        {4, 0x40000000u, WC_ERR_CORRUPT}, /* a count: sum wrong */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        w.w[cases[c].word] ^= cases[c].xor_mask;
        wc_status st = wc_tans_decode(w.w, w.n, N, out, NULL, &err);
        CHECK_MSG(st == cases[c].want, "case %zu: status %d (%s)", c, st, err.msg);
        w.w[cases[c].word] ^= cases[c].xor_mask;
    }
    for (size_t len = 0; len < w.n; len++)
        CHECK_MSG(wc_tans_decode(w.w, len, N, out, NULL, &err) != WC_OK,
                  "truncated to %zu words was accepted", len);
    wc_words_free(&w);
}

/* Any payload bit flip is either detected or decodes; it never crashes.  Most
 * flips are caught by the end-state, padding and word-count checks; the rest
 * resynchronise (a 64-state decoder often falls back onto the right state
 * path), which is why the container also carries a CRC. */
static void payload_bit_flips_are_mostly_detected(void)
{
    enum { N = 4000 };
    uint8_t sym[N], out[N];
    gaussian_symbols(sym, N, 1.5);
    uint64_t hist[256];
    histogram(sym, N, hist);
    wc_tans_dist dist;
    CHECK(wc_tans_normalize(hist, 6, &dist, NULL) == WC_OK);
    wc_words w = {0};
    CHECK(wc_tans_encode(sym, N, &dist, 4, &w, NULL) == WC_OK);
    wc_tans_layer layer;
    CHECK(wc_tans_layer_parse(w.w, w.n, &layer, NULL) == WC_OK);
    int detected = 0, trials = 0;
    for (size_t word = layer.header_words; word < w.n; word += 3)
        for (unsigned bit = 0; bit < 32; bit += 5) {
            w.w[word] ^= 1u << bit;
            detected += wc_tans_decode(w.w, w.n, N, out, NULL, NULL) != WC_OK;
            trials++;
            w.w[word] ^= 1u << bit;
        }
    CHECK_MSG(detected * 4 >= trials * 3, "only %d of %d flips detected", detected, trials);
    wc_words_free(&w);
}

static void encoder_refuses_bad_arguments(void)
{
    uint8_t sym[4] = {1, 2, 3, 4};
    wc_tans_dist dist = {.table_log = 5};
    dist.counts[1] = 16;
    dist.counts[2] = 16;
    wc_words w = {0};
    wc_error err;
    CHECK(wc_tans_encode(sym, 4, &dist, 1, &w, &err) == WC_ERR_ARG);
    CHECK(strstr(err.msg, "symbol 3") != NULL);
    CHECK(wc_tans_encode(sym, 2, &dist, 0, &w, NULL) == WC_ERR_ARG);
    CHECK(wc_tans_encode(sym, 2, &dist, 17, &w, NULL) == WC_ERR_ARG);
    CHECK(wc_tans_encode(sym, 0, &dist, 1, &w, NULL) == WC_ERR_ARG);
    wc_words_free(&w);
}

/* A stream of layers with different sizes, table logs and symbols decodes
 * to the same layers, and its words follow the look-ahead order. */
static void stream_of_layers_round_trips_in_look_ahead_order(void)
{
    enum { K = 4 };
    const size_t sizes[K] = {5000, 7, 1, 12345};
    const unsigned logs[K] = {8, 6, 7, 8};
    wc_words blocks[K] = {{0}};
    uint8_t *sym[K];
    for (int i = 0; i < K; i++) {
        sym[i] = malloc(sizes[i]);
        gaussian_symbols(sym[i], sizes[i], 1.0 + i);
        uint64_t hist[256];
        histogram(sym[i], sizes[i], hist);
        wc_tans_dist dist;
        CHECK(wc_tans_normalize(hist, logs[i], &dist, NULL) == WC_OK);
        CHECK(wc_tans_encode(sym[i], sizes[i], &dist, 8, &blocks[i], NULL) == WC_OK);
    }
    wc_words stream = {0};
    wc_error err;
    CHECK_MSG(wc_tans_stream_assemble(blocks, K, &stream, &err) == WC_OK, "%s", err.msg);
    CHECK(stream.w[0] == (0x5Au << 24 | 1u << 16 | K));
    /* H_0 then H_1 start the stream */
    wc_tans_layer l0;
    CHECK(wc_tans_layer_parse(blocks[0].w, blocks[0].n, &l0, NULL) == WC_OK);
    CHECK(memcmp(stream.w + 1, blocks[0].w, l0.header_words * 4) == 0);
    CHECK(stream.w[1 + l0.header_words] >> 24 == 0xA7);
    wc_tans_stream_layer *layers;
    size_t n;
    CHECK_MSG(wc_tans_stream_decode(stream.w, stream.n, 1u << 20, &layers, &n, &err) == WC_OK,
              "%s", err.msg);
    CHECK(n == K);
    for (int i = 0; i < K; i++) {
        CHECK(layers[i].nsymbols == sizes[i]);
        CHECK(memcmp(layers[i].symbols, sym[i], sizes[i]) == 0);
    }
    wc_tans_stream_free(layers, n);
    CHECK(wc_tans_stream_decode(stream.w, stream.n, 1000, &layers, &n, NULL) == WC_ERR_UNSUPPORTED);
    wc_words_push(&stream, 0);
    CHECK(wc_tans_stream_decode(stream.w, stream.n, 1u << 20, &layers, &n, NULL) == WC_ERR_CORRUPT);
    for (size_t len = 0; len + 1 < stream.n; len += 97)
        CHECK(wc_tans_stream_decode(stream.w, len, 1u << 20, &layers, &n, NULL) != WC_OK);
    wc_words_free(&stream);
    for (int i = 0; i < K; i++) {
        wc_words_free(&blocks[i]);
        free(sym[i]);
    }
}

int main(void)
{
    check_suite = "tans";
    RUN(normalize_sums_to_table_size_and_keeps_every_symbol);
    RUN(normalize_is_optimal_on_small_cases);
    RUN(normalize_refuses_impossible_requests);
    RUN(decode_table_is_a_valid_tans_table);
    RUN(spread_places_each_symbol_count_times);
    RUN(round_trips_every_table_log_and_lane_count);
    RUN(round_trips_short_layers_fewer_symbols_than_lanes);
    RUN(round_trips_extreme_distributions);
    RUN(coded_size_is_close_to_entropy);
    RUN(layer_header_fields_are_where_the_format_says);
    RUN(decoder_rejects_damaged_headers);
    RUN(payload_bit_flips_are_mostly_detected);
    RUN(encoder_refuses_bad_arguments);
    RUN(stream_of_layers_round_trips_in_look_ahead_order);
    return CHECK_EXIT_STATUS();
}

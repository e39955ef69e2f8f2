#include "encode/tans_enc.h"

#include <stdlib.h>
#include <string.h>

#include "common/tans_layer.h"

/* Encoding tables derived from the decode table: for symbol s and
 * x in [f, 2f), next_state[first[s] + x - f] is the state (in [R, 2R))
 * whose decode entry yields s and reconstructs x. */
typedef struct {
    uint32_t first[WC_TANS_SYMBOLS];
    unsigned shift[WC_TANS_SYMBOLS];       /* k = L - floor(log2 f) */
    uint32_t threshold[WC_TANS_SYMBOLS];   /* f << k: below it, shift one bit less */
    uint16_t next_state[1u << WC_TANS_MAX_LOG];
} tans_enc_table;

static unsigned highbit32(uint32_t v)
{
    unsigned n = 0;
    while (v >>= 1)
        n++;
    return n;
}

static void build_encode_table(const wc_tans_dist *dist, tans_enc_table *t)
{
    const unsigned L = dist->table_log;
    const uint32_t R = 1u << L;
    uint8_t spread[1u << WC_TANS_MAX_LOG];
    uint32_t next[WC_TANS_SYMBOLS];
    uint32_t first = 0;
    for (int s = 0; s < WC_TANS_SYMBOLS; s++) {
        uint32_t f = dist->counts[s];
        t->first[s] = first;
        first += f;
        next[s] = f;
        t->shift[s] = f ? L - highbit32(f) : 0;
        t->threshold[s] = f << t->shift[s];
    }
    wc_tans_spread(dist, spread);
    for (uint32_t u = 0; u < R; u++) {
        uint8_t s = spread[u];
        uint32_t x = next[s]++;
        t->next_state[t->first[s] + x - dist->counts[s]] = (uint16_t)(R + u);
    }
}

/* One lane, coded backwards so that its decoder runs forwards.  The lane's
 * bit stream (initial state, then the bits each decode step reads) is
 * appended to `lane_words`, padded per the format to floor(B/32) + 2 words;
 * nbits[i] receives the bit count read when decoding the lane's i-th symbol. */
static void encode_lane(const uint8_t *symbols, uint32_t count, unsigned stride,
                        const wc_tans_dist *dist, const tans_enc_table *t, uint16_t *bits,
                        uint8_t *nbits, wc_words *lane_words)
{
    const uint32_t R = 1u << dist->table_log;
    uint32_t state = R;
    for (uint32_t i = count; i-- > 0;) {
        uint8_t s = symbols[(uint64_t)i * stride];
        unsigned nb = t->shift[s] - (state < t->threshold[s]);
        bits[i] = (uint16_t)(state & ((1u << nb) - 1));
        nbits[i] = (uint8_t)nb;
        state = t->next_state[t->first[s] + (state >> nb) - dist->counts[s]];
    }
    wc_lsb_writer bw;
    wc_lsb_writer_init(&bw, lane_words);
    size_t start = lane_words->n;
    wc_lsb_writer_put(&bw, state - R, dist->table_log);
    for (uint32_t i = 0; i < count; i++)
        wc_lsb_writer_put(&bw, bits[i], nbits[i]);
    uint64_t total_bits = wc_lsb_writer_bits(&bw) - 32 * (uint64_t)start;
    wc_lsb_writer_flush(&bw);
    while (lane_words->n - start < total_bits / 32 + 2)
        wc_words_push(lane_words, 0);
}

/* Emits the lanes' words in the order the decoder asks for them (the
 * "Payload word order" section of docs/format.md): words 0 then words 1 of
 * every active lane, then, step by step and lane by lane, word c + 1 of a lane
 * whenever a read finishes its word c - 1. */
static void interleave(const wc_words *lane_words, const size_t *lane_start, unsigned lanes,
                       unsigned active, uint32_t n, unsigned table_log, const uint8_t *const *nbits,
                       wc_words *out)
{
    uint64_t consumed[WC_TANS_MAX_LANES];
    for (unsigned j = 0; j < 2; j++)
        for (unsigned k = 0; k < active; k++)
            wc_words_push(out, lane_words->w[lane_start[k] + j]);
    for (unsigned k = 0; k < active; k++)
        consumed[k] = table_log;  /* the initial-state reads never cross a word */
    for (uint32_t i = 0; i < n; i++) {
        unsigned k = i % lanes;
        uint64_t before = consumed[k];
        consumed[k] += nbits[k][i / lanes];
        if (consumed[k] >> 5 != before >> 5)
            wc_words_push(out, lane_words->w[lane_start[k] + (consumed[k] >> 5) + 1]);
    }
}

wc_status wc_tans_encode(const uint8_t *symbols, uint64_t n, const wc_tans_dist *dist,
                         unsigned lanes, wc_words *out, wc_error *err)
{
    if (n == 0 || n > UINT32_MAX)
        return wc_fail(err, WC_ERR_ARG, "a tANS layer holds 1..2^32-1 symbols, not %llu",
                       (unsigned long long)n);
    if (lanes < 1 || lanes > WC_TANS_MAX_LANES)
        return wc_fail(err, WC_ERR_ARG, "lanes must be 1..%d, got %u", WC_TANS_MAX_LANES, lanes);
    wc_status st = wc_tans_check_dist(dist, err);
    if (st != WC_OK)
        return st;
    for (uint64_t i = 0; i < n; i++)
        if (!dist->counts[symbols[i]])
            return wc_fail(err, WC_ERR_ARG, "symbol %u at index %llu has no slot in the table",
                           symbols[i], (unsigned long long)i);

    const uint32_t count = (uint32_t)n;
    const unsigned active = count < lanes ? count : lanes;
    const uint32_t per_lane = wc_tans_lane_symbols(count, lanes, 0);
    tans_enc_table *table = malloc(sizeof *table);
    uint16_t *bits = malloc((size_t)per_lane * sizeof *bits);
    uint8_t *nbits_all = malloc((size_t)count);
    wc_words lane_words = {0};
    if (!table || !bits || !nbits_all) {
        st = wc_fail(err, WC_ERR_NOMEM, "out of memory for a tANS layer of %u symbols", count);
        goto done;
    }
    build_encode_table(dist, table);

    size_t lane_start[WC_TANS_MAX_LANES];
    const uint8_t *nbits[WC_TANS_MAX_LANES];
    uint8_t *lane_nbits = nbits_all;
    for (unsigned k = 0; k < active; k++) {
        uint32_t lane_count = wc_tans_lane_symbols(count, lanes, k);
        lane_start[k] = lane_words.n;
        nbits[k] = lane_nbits;
        encode_lane(symbols + k, lane_count, lanes, dist, table, bits, lane_nbits, &lane_words);
        lane_nbits += lane_count;
    }
    st = wc_words_status(&lane_words, err);
    if (st != WC_OK)
        goto done;

    wc_tans_layer layer = {.lanes = lanes, .nsymbols = count, .dist = *dist};
    layer.payload_words = (uint32_t)lane_words.n;
    if (lane_words.n > UINT32_MAX) {
        st = wc_fail(err, WC_ERR_ARG, "tANS payload exceeds 2^32 words");
        goto done;
    }
    wc_tans_layer_describe_table(&layer);
    wc_tans_layer_write_header(&layer, out);
    interleave(&lane_words, lane_start, lanes, active, count, dist->table_log, nbits, out);
    st = wc_words_status(out, err);
done:
    wc_words_free(&lane_words);
    free(nbits_all);
    free(bits);
    free(table);
    return st;
}

wc_status wc_tans_stream_assemble(const wc_words *blocks, size_t nlayers, wc_words *out,
                                  wc_error *err)
{
    if (nlayers < 1 || nlayers > WC_TANS_STREAM_MAX_LAYERS)
        return wc_fail(err, WC_ERR_ARG, "a stream holds 1..%u layers, not %zu",
                       WC_TANS_STREAM_MAX_LAYERS, nlayers);
    size_t *header_words = malloc(nlayers * sizeof *header_words);
    if (!header_words)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory");
    wc_status st = WC_OK;
    for (size_t i = 0; i < nlayers && st == WC_OK; i++) {
        wc_tans_layer layer;
        st = wc_tans_layer_parse(blocks[i].w, blocks[i].n, &layer, err);
        if (st == WC_OK && layer.header_words + layer.payload_words != blocks[i].n)
            st = wc_fail(err, WC_ERR_ARG, "layer %zu is not one whole block", i);
        header_words[i] = layer.header_words;
    }
    if (st == WC_OK) {
        wc_words_push(out, WC_TANS_STREAM_MAGIC << 24 | WC_TANS_STREAM_VERSION << 16 |
                               (uint32_t)nlayers);
        for (size_t i = 0; i <= nlayers; i++) {
            if (i < nlayers) /* H_i */
                for (size_t j = 0; j < header_words[i]; j++)
                    wc_words_push(out, blocks[i].w[j]);
            if (i >= 1) /* P_{i-1}, after H_i */
                for (size_t j = header_words[i - 1]; j < blocks[i - 1].n; j++)
                    wc_words_push(out, blocks[i - 1].w[j]);
        }
        st = wc_words_status(out, err);
    }
    free(header_words);
    return st;
}

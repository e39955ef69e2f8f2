#include "decode/tans_dec.h"

#include <stdlib.h>
#include <string.h>

#include "common/tans.h"
#include "common/tans_layer.h"

/* One lane's decoder: the state and a 64-bit window holding the lane's
 * current word (low half) and next word (high half); `pos` bits of the
 * current word are consumed. */
typedef struct {
    uint32_t state;
    unsigned pos;
    uint64_t window;
} lane_state;

/* The `nbits` (0..12) bits of the window from bit `pos` up. */
static inline uint32_t peek_bits(uint64_t window, unsigned pos, unsigned nbits)
{
    return (uint32_t)((window >> pos) & ((UINT64_C(1) << nbits) - 1));
}

/* Decodes `steps` full steps of all `lanes` lanes without bounds checks.
 * The caller guarantees that `payload` holds lanes * steps more words after
 * *ptr (each step reads at most one word per lane).  Written for a
 * compile-time `lanes`; the lanes are copied into locals so that stores to
 * `out` (a byte pointer, which may alias anything) do not force reloads. */
static inline __attribute__((always_inline)) void
decode_steps(const wc_tans_entry *restrict table, const uint32_t *restrict payload, size_t *ptr,
             lane_state *lane, unsigned lanes, size_t steps, uint8_t *restrict out)
{
    uint32_t state[WC_TANS_MAX_LANES];
    unsigned pos[WC_TANS_MAX_LANES];
    uint64_t window[WC_TANS_MAX_LANES];
    for (unsigned k = 0; k < lanes; k++) {
        state[k] = lane[k].state;
        pos[k] = lane[k].pos;
        window[k] = lane[k].window;
    }
    size_t p = *ptr;
    for (size_t t = 0; t < steps; t++) {
        for (unsigned k = 0; k < lanes; k++) {
            const wc_tans_entry e = table[state[k]];
            out[k] = e.symbol;
            state[k] = e.base + peek_bits(window[k], pos[k], e.nbits);
            unsigned next_pos = pos[k] + e.nbits;
            uint64_t cross = next_pos >> 5; /* 1 if the read finished the current word */
            window[k] = (window[k] >> (cross << 5)) | ((uint64_t)(payload[p] & (0 - cross)) << 32);
            p += cross;
            pos[k] = next_pos & 31;
        }
        out += lanes;
    }
    for (unsigned k = 0; k < lanes; k++) {
        lane[k].state = state[k];
        lane[k].pos = pos[k];
        lane[k].window = window[k];
    }
    *ptr = p;
}

static void decode_fast(const wc_tans_entry *table, const uint32_t *payload, size_t *ptr,
                        lane_state *lane, unsigned lanes, size_t steps, uint8_t *out)
{
    switch (lanes) {
    case 1: decode_steps(table, payload, ptr, lane, 1, steps, out); break;
    case 2: decode_steps(table, payload, ptr, lane, 2, steps, out); break;
    case 4: decode_steps(table, payload, ptr, lane, 4, steps, out); break;
    case 8: decode_steps(table, payload, ptr, lane, 8, steps, out); break;
    case 16: decode_steps(table, payload, ptr, lane, 16, steps, out); break;
    default: decode_steps(table, payload, ptr, lane, lanes, steps, out); break;
    }
}

/* Decodes symbol of lane k with every check; used near the end. */
static wc_status decode_checked(const wc_tans_entry *table, const uint32_t *payload,
                                size_t payload_words, size_t *ptr, lane_state *lane,
                                uint8_t *out, wc_error *err)
{
    const wc_tans_entry e = table[lane->state];
    *out = e.symbol;
    lane->state = e.base + peek_bits(lane->window, lane->pos, e.nbits);
    lane->pos += e.nbits;
    if (lane->pos >= 32) {
        if (*ptr >= payload_words)
            return wc_fail(err, WC_ERR_CORRUPT, "tANS payload ends before the lanes do");
        lane->window = lane->window >> 32 | (uint64_t)payload[(*ptr)++] << 32;
        lane->pos -= 32;
    }
    return WC_OK;
}

static wc_status decode_payload(const wc_tans_layer *layer, const wc_tans_entry *table,
                                const uint32_t *payload, uint8_t *out, wc_error *err)
{
    const unsigned lanes = layer->lanes;
    const uint32_t n = layer->nsymbols;
    const unsigned active = n < lanes ? n : lanes;
    const size_t P = layer->payload_words;
    const unsigned L = layer->dist.table_log;
    lane_state lane[WC_TANS_MAX_LANES];

    if (P < 2 * (size_t)active)
        return wc_fail(err, WC_ERR_CORRUPT, "tANS payload of %zu words cannot start %u lanes", P,
                       active);
    for (unsigned k = 0; k < active; k++) {
        lane[k].window = payload[k] | (uint64_t)payload[active + k] << 32;
        lane[k].state = peek_bits(lane[k].window, 0, L);
        lane[k].pos = L;
    }
    size_t ptr = 2 * (size_t)active;

    /* Fast full steps in chunks that cannot run out of words (a step reads
     * at most one word per lane); the last few symbols are decoded checked. */
    const size_t steps = n / lanes;
    size_t done = 0;
    for (;;) {
        size_t chunk = (P - ptr) / lanes;
        if (chunk > steps - done)
            chunk = steps - done;
        if (chunk == 0)
            break;
        decode_fast(table, payload, &ptr, lane, lanes, chunk, out + done * lanes);
        done += chunk;
    }
    for (uint64_t i = (uint64_t)done * lanes; i < n; i++) {
        wc_status st = decode_checked(table, payload, P, &ptr, &lane[i % lanes], &out[i], err);
        if (st != WC_OK)
            return st;
    }

    for (unsigned k = 0; k < active; k++) {
        if (lane[k].state != 0)
            return wc_fail(err, WC_ERR_CORRUPT, "tANS lane %u ends in state %u, not 0", k,
                           lane[k].state);
        if (lane[k].window >> lane[k].pos != 0)
            return wc_fail(err, WC_ERR_CORRUPT, "tANS lane %u: padding bits are not zero", k);
    }
    if (ptr != P)
        return wc_fail(err, WC_ERR_CORRUPT, "tANS lanes used %zu of %zu payload words", ptr, P);
    return WC_OK;
}

wc_status wc_tans_decode(const uint32_t *words, size_t nwords, uint64_t n, uint8_t *out,
                         size_t *words_used, wc_error *err)
{
    wc_tans_layer layer;
    wc_status st = wc_tans_layer_parse(words, nwords, &layer, err);
    if (st != WC_OK)
        return st;
    if (layer.nsymbols != n)
        return wc_fail(err, WC_ERR_CORRUPT, "tANS layer holds %u symbols, expected %llu",
                       layer.nsymbols, (unsigned long long)n);
    if (layer.payload_words > nwords - layer.header_words)
        return wc_fail(err, WC_ERR_TRUNCATED, "tANS payload needs %u words, %zu present",
                       layer.payload_words, nwords - layer.header_words);
    wc_tans_entry *table = malloc(sizeof *table << layer.dist.table_log);
    if (!table)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for a tANS table");
    wc_tans_build_decode(&layer.dist, table);
    st = decode_payload(&layer, table, words + layer.header_words, out, err);
    free(table);
    if (st == WC_OK && words_used)
        *words_used = layer.header_words + layer.payload_words;
    return st;
}

void wc_tans_stream_free(wc_tans_stream_layer *layers, size_t nlayers)
{
    for (size_t i = 0; layers && i < nlayers; i++)
        free(layers[i].symbols);
    free(layers);
}

/* Parses the header and table H_i at words[*pos..] and advances *pos. */
static wc_status take_layer_header(const uint32_t *words, size_t nwords, size_t *pos, size_t i,
                                   wc_tans_layer *layer, wc_error *err)
{
    wc_status st = wc_tans_layer_parse(words + *pos, nwords - *pos, layer, err);
    if (st != WC_OK)
        return wc_error_context(err, "layer %zu", i);
    *pos += layer->header_words;
    return WC_OK;
}

/* Decodes layer i from its header words h and its payload at words[*pos..]. */
static wc_status decode_stream_layer(const uint32_t *h, const wc_tans_layer *layer,
                                     const uint32_t *words, size_t nwords, size_t *pos,
                                     size_t i, wc_tans_stream_layer *out, wc_error *err)
{
    if (layer->payload_words > nwords - *pos)
        return wc_fail(err, WC_ERR_TRUNCATED, "layer %zu: payload needs %u words, %zu left", i,
                       layer->payload_words, nwords - *pos);
    size_t block_words = layer->header_words + layer->payload_words;
    uint32_t *block = malloc(block_words * sizeof *block);
    out->symbols = malloc(layer->nsymbols);
    if (!block || !out->symbols) {
        free(block);
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for layer %zu", i);
    }
    memcpy(block, h, layer->header_words * sizeof *block);
    memcpy(block + layer->header_words, words + *pos, layer->payload_words * sizeof *block);
    out->nsymbols = layer->nsymbols;
    wc_status st = wc_tans_decode(block, block_words, layer->nsymbols, out->symbols, NULL, err);
    free(block);
    *pos += layer->payload_words;
    return st == WC_OK ? WC_OK : wc_error_context(err, "layer %zu", i);
}

wc_status wc_tans_stream_decode(const uint32_t *words, size_t nwords, uint64_t max_symbols,
                                wc_tans_stream_layer **layers, size_t *nlayers, wc_error *err)
{
    *layers = NULL;
    *nlayers = 0;
    if (nwords < 1)
        return wc_fail(err, WC_ERR_TRUNCATED, "empty tANS stream");
    if (words[0] >> 24 != WC_TANS_STREAM_MAGIC || ((words[0] >> 16) & 0xFF) != WC_TANS_STREAM_VERSION)
        return wc_fail(err, WC_ERR_FORMAT, "not a version %u tANS stream (header 0x%08x)",
                       WC_TANS_STREAM_VERSION, words[0]);
    const size_t K = words[0] & 0xFFFF;
    if (K == 0)
        return wc_fail(err, WC_ERR_CORRUPT, "tANS stream of no layers");
    wc_tans_stream_layer *out = calloc(K, sizeof *out);
    wc_tans_layer *layer = malloc(K * sizeof *layer);
    size_t *header_at = malloc(K * sizeof *header_at);
    wc_status st = out && layer && header_at ? WC_OK : wc_fail(err, WC_ERR_NOMEM, "out of memory");
    size_t pos = 1;
    uint64_t total = 0;
    for (size_t i = 0; st == WC_OK && i <= K; i++) {
        if (i < K) {
            header_at[i] = pos;
            st = take_layer_header(words, nwords, &pos, i, &layer[i], err);
            if (st == WC_OK && (total += layer[i].nsymbols) > max_symbols)
                st = wc_fail(err, WC_ERR_UNSUPPORTED, "stream holds over %llu symbols",
                             (unsigned long long)max_symbols);
        }
        if (st == WC_OK && i >= 1)
            st = decode_stream_layer(words + header_at[i - 1], &layer[i - 1], words, nwords, &pos,
                                     i - 1, &out[i - 1], err);
    }
    if (st == WC_OK && pos != nwords)
        st = wc_fail(err, WC_ERR_CORRUPT, "%zu words after the last layer", nwords - pos);
    free(layer);
    free(header_at);
    if (st != WC_OK) {
        wc_tans_stream_free(out, K);
        return st;
    }
    *layers = out;
    *nlayers = K;
    return WC_OK;
}

#include "common/tans_layer.h"

#include <string.h>

static unsigned bit_length(uint32_t v)
{
    unsigned n = 0;
    while (v) {
        n++;
        v >>= 1;
    }
    return n;
}

void wc_tans_layer_describe_table(wc_tans_layer *layer)
{
    int first = -1, last = -1;
    uint16_t largest = 0;
    for (int s = 0; s < WC_TANS_SYMBOLS; s++) {
        if (!layer->dist.counts[s])
            continue;
        if (first < 0)
            first = s;
        last = s;
        if (layer->dist.counts[s] > largest)
            largest = layer->dist.counts[s];
    }
    layer->first_symbol = (unsigned)first;
    layer->entries = (unsigned)(last - first + 1);
    layer->count_width = bit_length(largest);
    layer->header_words = WC_TANS_LAYER_FIXED_WORDS +
                          (layer->entries * layer->count_width + 31) / 32;
}

void wc_tans_layer_write_header(const wc_tans_layer *layer, wc_words *out)
{
    wc_words_push(out, WC_TANS_LAYER_MAGIC << 24 | layer->dist.table_log << 20 |
                           (uint32_t)(layer->lanes - 1) << 16);
    wc_words_push(out, layer->nsymbols);
    wc_words_push(out, layer->payload_words);
    wc_words_push(out, (uint32_t)layer->first_symbol << 24 | (uint32_t)(layer->entries - 1) << 16 |
                           (uint32_t)layer->count_width << 12);
    wc_lsb_writer bw;
    wc_lsb_writer_init(&bw, out);
    for (unsigned i = 0; i < layer->entries; i++)
        wc_lsb_writer_put(&bw, layer->dist.counts[layer->first_symbol + i], layer->count_width);
    wc_lsb_writer_flush(&bw);
}

wc_status wc_tans_layer_parse(const uint32_t *words, size_t nwords, wc_tans_layer *layer,
                              wc_error *err)
{
    if (nwords < WC_TANS_LAYER_FIXED_WORDS)
        return wc_fail(err, WC_ERR_TRUNCATED, "tANS layer header needs %d words, %zu present",
                       WC_TANS_LAYER_FIXED_WORDS, nwords);
    const uint32_t w0 = words[0], w3 = words[3];
    if (w0 >> 24 != WC_TANS_LAYER_MAGIC)
        return wc_fail(err, WC_ERR_CORRUPT, "tANS layer magic is 0x%02x, not 0x%02x", w0 >> 24,
                       WC_TANS_LAYER_MAGIC);
    if ((w0 & 0xFFFFu) != 0 || (w3 & 0xFFFu) != 0)
        return wc_fail(err, WC_ERR_CORRUPT, "tANS layer header: reserved bits are set");
    memset(layer, 0, sizeof *layer);
    layer->dist.table_log = (w0 >> 20) & 0xFu;
    layer->lanes = ((w0 >> 16) & 0xFu) + 1;
    layer->nsymbols = words[1];
    layer->payload_words = words[2];
    layer->first_symbol = w3 >> 24;
    layer->entries = ((w3 >> 16) & 0xFFu) + 1;
    layer->count_width = (w3 >> 12) & 0xFu;
    if (layer->dist.table_log < WC_TANS_MIN_LOG || layer->dist.table_log > WC_TANS_MAX_LOG)
        return wc_fail(err, WC_ERR_CORRUPT, "tANS table log %u outside %d..%d",
                       layer->dist.table_log, WC_TANS_MIN_LOG, WC_TANS_MAX_LOG);
    if (layer->nsymbols == 0)
        return wc_fail(err, WC_ERR_CORRUPT, "tANS layer with no symbols");
    if (layer->first_symbol + layer->entries > WC_TANS_SYMBOLS)
        return wc_fail(err, WC_ERR_CORRUPT, "tANS table covers symbols %u..%u, beyond 255",
                       layer->first_symbol, layer->first_symbol + layer->entries - 1);
    if (layer->count_width < 1 || layer->count_width > WC_TANS_MAX_COUNT_WIDTH)
        return wc_fail(err, WC_ERR_CORRUPT, "tANS count width %u outside 1..%d",
                       layer->count_width, WC_TANS_MAX_COUNT_WIDTH);
    size_t table_words = (layer->entries * layer->count_width + 31) / 32;
    layer->header_words = WC_TANS_LAYER_FIXED_WORDS + table_words;
    if (nwords < layer->header_words)
        return wc_fail(err, WC_ERR_TRUNCATED, "tANS table needs %zu words, %zu present",
                       table_words, nwords - WC_TANS_LAYER_FIXED_WORDS);
    wc_lsb_reader br;
    wc_lsb_reader_init(&br, words + WC_TANS_LAYER_FIXED_WORDS, table_words);
    for (unsigned i = 0; i < layer->entries; i++) {
        uint32_t count;
        wc_status st = wc_lsb_reader_get(&br, layer->count_width, &count, "tANS table", err);
        if (st != WC_OK)
            return st;
        if (count > 1u << layer->dist.table_log)
            return wc_fail(err, WC_ERR_CORRUPT, "tANS count %u of symbol %u exceeds %u states",
                           count, layer->first_symbol + i, 1u << layer->dist.table_log);
        layer->dist.counts[layer->first_symbol + i] = (uint16_t)count;
    }
    wc_status st = wc_lsb_reader_align(&br, "tANS table", err);
    if (st != WC_OK)
        return st;
    return wc_tans_check_dist(&layer->dist, err);
}

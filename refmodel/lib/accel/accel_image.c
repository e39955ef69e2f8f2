#include "accel/accel_image.h"

#include <stdlib.h>
#include <string.h>

#include "common/bitio.h"
#include "common/buffer.h"
#include "common/stats.h"
#include "common/tans.h"
#include "common/tans_layer.h"
#include "encode/tans_enc.h"

/* The tiled symbols of one layer as a one-layer tANS stream. */
static wc_status encode_layer(const uint8_t *tiled, uint64_t n, unsigned lanes,
                              unsigned *table_log, unsigned table_log_max, wc_words *stream,
                              wc_error *err)
{
    uint64_t hist[256];
    wc_histogram(tiled, n, hist);
    wc_tans_dist dist;
    while (wc_tans_normalize(hist, *table_log, &dist, NULL) != WC_OK && *table_log < table_log_max)
        (*table_log)++;
    wc_status st = wc_tans_normalize(hist, *table_log, &dist, err);
    wc_words block = {0};
    if (st == WC_OK)
        st = wc_tans_encode(tiled, n, &dist, lanes, &block, err);
    if (st == WC_OK)
        st = wc_tans_stream_assemble(&block, 1, stream, err);
    wc_words_free(&block);
    return st;
}

/* About sqrt(n) states for n symbols, 64 to 2^table_log: a small layer's
 * table then costs few count bits and builds (in about 2R cycles) faster than
 * the layer decodes. */
static unsigned layer_table_log(uint64_t n, unsigned table_log)
{
    unsigned log = 6;
    while (log < table_log && ((uint64_t)1 << (2 * (log + 1))) <= n)
        log++;
    return log;
}

static void put_weights(wc_buf *b, const uint8_t *tiled, uint64_t n, int32_t zero_point)
{
    for (uint64_t i = 0; i < n; i++)
        wc_buf_put_u8(b, (uint8_t)(int8_t)((int32_t)tiled[i] - zero_point));
    while (b->len % 4)
        wc_buf_put_u8(b, 0);
}

wc_status wc_accel_image_build(const wc_qnet *net, unsigned lanes, int compressed,
                               unsigned table_log, unsigned table_log_max, wc_accel_image *img,
                               wc_error *err)
{
    memset(img, 0, sizeof *img);
    if (lanes != 4 && lanes != 8 && lanes != 16)
        return wc_fail(err, WC_ERR_ARG, "the accelerator has 4, 8 or 16 lanes, not %u", lanes);
    wc_buf b = {0};
    wc_status st = WC_OK;
    for (size_t l = 0; l < net->count && st == WC_OK; l++) {
        const wc_qlayer *q = &net->layer[l];
        wc_accel_image_layer *d = &img->layer[l];
        d->in = q->in;
        d->out = q->out;
        d->compressed = compressed;
        d->relu = q->relu;
        d->zero_point = (uint8_t)q->zero_point;
        d->mult = q->mult;
        d->shift = q->shift;
        d->bias_offset = (uint32_t)b.len;
        for (uint32_t o = 0; o < q->out; o++)
            wc_buf_put_u32(&b, (uint32_t)q->bias[o]);
        const uint64_t n = wc_qnet_tiled_count(q, lanes);
        uint8_t *tiled = malloc(n);
        if (!tiled) {
            st = wc_fail(err, WC_ERR_NOMEM, "out of memory");
            break;
        }
        wc_qnet_tile(q, lanes, tiled);
        d->weight_offset = (uint32_t)b.len;
        if (compressed) {
            wc_words stream = {0};
            d->table_log = layer_table_log(n, table_log);
            st = encode_layer(tiled, n, lanes, &d->table_log, table_log_max, &stream, err);
            wc_tans_layer parsed;
            if (st == WC_OK)
                st = wc_tans_layer_parse(stream.w + 1, stream.n - 1, &parsed, err);
            if (st == WC_OK)
                d->head_bytes = 4 * (uint32_t)(1 + parsed.header_words);
            for (size_t i = 0; st == WC_OK && i < stream.n; i++)
                wc_buf_put_u32(&b, stream.w[i]);
            wc_words_free(&stream);
        } else {
            put_weights(&b, tiled, n, q->zero_point);
        }
        free(tiled);
        d->weight_bytes = (uint32_t)b.len - d->weight_offset;
        img->weights += (uint64_t)q->in * q->out;
        img->weight_bytes += d->weight_bytes;
        if (st != WC_OK)
            wc_error_context(err, "layer %zu", l);
    }
    if (st == WC_OK)
        st = wc_buf_status(&b, err);
    if (st != WC_OK) {
        wc_buf_free(&b);
        return st;
    }
    img->bytes = b.data;
    img->size = b.len;
    img->count = net->count;
    return WC_OK;
}

void wc_accel_image_free(wc_accel_image *img)
{
    free(img->bytes);
    memset(img, 0, sizeof *img);
}

#include "encode/compress.h"

#include <stdlib.h>
#include <string.h>

#include "common/buffer.h"
#include "common/raw.h"
#include "common/stats.h"
#include "common/tans.h"
#include "encode/huf_enc.h"
#include "encode/raw_enc.h"
#include "encode/tans_enc.h"
#include "quant/quant.h"

wc_compress_options wc_compress_defaults(void)
{
    wc_compress_options opt = {
        .bins = 15, .per_channel = 0, .coder = WC_CODER_TANS, .table_log = 8, .lanes = 1};
    return opt;
}

wc_status wc_compress_check(const wc_compress_options *opt, wc_error *err)
{
    if (opt->bins < WC_QUANT_MIN_BINS || opt->bins > WC_QUANT_MAX_BINS || opt->bins % 2 == 0)
        return wc_fail(err, WC_ERR_ARG, "bins must be odd and between %d and %d, got %d",
                       WC_QUANT_MIN_BINS, WC_QUANT_MAX_BINS, opt->bins);
    if (opt->table_log < WC_TANS_MIN_LOG || opt->table_log > WC_TANS_MAX_LOG)
        return wc_fail(err, WC_ERR_ARG, "states must be a power of two from %d to %d",
                       1 << WC_TANS_MIN_LOG, 1 << WC_TANS_MAX_LOG);
    if (opt->lanes < 1 || opt->lanes > WC_TANS_MAX_LANES)
        return wc_fail(err, WC_ERR_ARG, "lanes must be between 1 and %d, got %u",
                       WC_TANS_MAX_LANES, opt->lanes);
    return WC_OK;
}

/* Codes with the requested coder into `out`; WC_ERR_ARG from tANS means the
 * alphabet does not fit the table, which the caller turns into raw. */
static wc_status code_with(const uint8_t *symbols, uint64_t n, const wc_compress_options *opt,
                           wc_words *out, wc_error *err)
{
    if (opt->coder == WC_CODER_HUFFMAN)
        return wc_huf_encode(symbols, n, out, err);
    uint64_t hist[WC_TANS_SYMBOLS];
    wc_histogram(symbols, n, hist);
    wc_tans_dist dist;
    wc_status st = wc_tans_normalize(hist, opt->table_log, &dist, err);
    if (st != WC_OK)
        return st;
    return wc_tans_encode(symbols, n, &dist, opt->lanes, out, err);
}

wc_status wc_code_symbols(const uint8_t *symbols, uint64_t n, unsigned bins,
                          const wc_compress_options *opt, wc_coder *used, wc_words *out,
                          wc_error *err)
{
    const uint64_t raw_words = (n * wc_raw_bits(bins) + 31) / 32;
    if (opt->coder != WC_CODER_RAW && n > 0) {
        wc_words coded = {0};
        wc_status st = code_with(symbols, n, opt, &coded, err);
        if (st == WC_OK && coded.n < raw_words) {
            for (size_t i = 0; i < coded.n; i++)
                wc_words_push(out, coded.w[i]);
            wc_words_free(&coded);
            *used = opt->coder;
            return wc_words_status(out, err);
        }
        wc_words_free(&coded);
        if (st != WC_OK && st != WC_ERR_ARG)
            return st;
    }
    *used = WC_CODER_RAW;
    return wc_raw_encode(symbols, n, bins, out, err);
}

static wc_status copy_shape(const wc_tensor *t, wc_record *r, wc_error *err)
{
    size_t len = strlen(t->name);
    r->name = malloc(len + 1);
    if (!r->name)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory");
    memcpy(r->name, t->name, len + 1);
    r->dtype = t->dtype;
    r->rank = t->rank;
    memcpy(r->dims, t->dims, sizeof r->dims);
    r->count = t->count;
    return WC_OK;
}

static wc_status keep_verbatim(const wc_tensor *t, wc_record *r, wc_error *err)
{
    r->kind = WC_KIND_VERBATIM;
    const int is_float = wc_dtype_is_float(t->dtype);
    if (is_float)
        r->dtype = WC_DTYPE_F32; /* the reader converted F16 and BF16 exactly */
    r->bytes = malloc((size_t)t->count * wc_dtype_size(r->dtype) + 1);
    if (!r->bytes)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory");
    if (!is_float) {
        memcpy(r->bytes, t->bytes, (size_t)t->count);
        return WC_OK;
    }
    for (uint64_t i = 0; i < t->count; i++) {
        uint32_t bits;
        memcpy(&bits, &t->values[i], 4);
        wc_store_le32(r->bytes + 4 * i, bits);
    }
    return WC_OK;
}

int wc_compress_quantizes(const wc_tensor *t)
{
    return t->count > 0 && !(wc_dtype_is_float(t->dtype) && t->rank < WC_COMPRESS_MIN_RANK);
}

wc_status wc_compress_tensor(const wc_tensor *t, const wc_compress_options *opt, wc_record *r,
                             uint8_t *symbols, wc_error *err)
{
    wc_status st = wc_compress_check(opt, err);
    if (st == WC_OK)
        st = copy_shape(t, r, err);
    if (st != WC_OK)
        return st;
    if (!wc_compress_quantizes(t))
        return keep_verbatim(t, r, err);

    r->kind = WC_KIND_QUANTIZED;
    uint8_t *sym = symbols ? symbols : malloc((size_t)t->count);
    if (!sym)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for %llu symbols",
                       (unsigned long long)t->count);
    st = wc_quantize(t, opt->bins, opt->per_channel, sym, &r->quant, err);
    if (st == WC_OK)
        st = wc_code_symbols(sym, t->count, (unsigned)r->quant.bins, opt, &r->coder, &r->payload,
                             err);
    if (sym != symbols)
        free(sym);
    if (st != WC_OK)
        return wc_error_context(err, "tensor '%s'", t->name);
    return WC_OK;
}

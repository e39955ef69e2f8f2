#include "quant/quant.h"

#include <stdlib.h>
#include <string.h>

#include "quant/group_search.h"

/* A tensor seen as [outer][channels][inner] in C order: group c holds the
 * `inner`-long blocks at (o * channels + c) * inner for every o. */
typedef struct {
    uint64_t outer, channels, inner;
} group_layout;

static const char *tensor_name(const wc_tensor *t)
{
    return t->name ? t->name : "(unnamed)";
}

static wc_status check_bins(int bins, wc_error *err)
{
    if (bins < WC_QUANT_MIN_BINS || bins > WC_QUANT_MAX_BINS || bins % 2 == 0)
        return wc_fail(err, WC_ERR_ARG, "bins must be odd and between %d and %d, got %d",
                       WC_QUANT_MIN_BINS, WC_QUANT_MAX_BINS, bins);
    return WC_OK;
}

static wc_status check_tensor(const wc_tensor *t, int per_channel, wc_error *err)
{
    uint64_t count;
    if (t->rank < 0 || t->rank > WC_MAX_RANK)
        return wc_fail(err, WC_ERR_ARG, "tensor '%s': rank %d outside 0..%d", tensor_name(t),
                       t->rank, WC_MAX_RANK);
    if (wc_shape_count(t->rank, t->dims, UINT64_MAX, &count, "", NULL) != WC_OK)
        return wc_fail(err, WC_ERR_ARG, "tensor '%s': shape has more than 2^64 elements",
                       tensor_name(t));
    if (count != t->count)
        return wc_fail(err, WC_ERR_ARG, "tensor '%s': count %llu does not match its shape (%llu)",
                       tensor_name(t), (unsigned long long)t->count, (unsigned long long)count);
    if (per_channel && t->rank >= 2 && (t->channel_axis < 0 || t->channel_axis >= t->rank))
        return wc_fail(err, WC_ERR_ARG, "tensor '%s': channel_axis %d outside 0..%d",
                       tensor_name(t), t->channel_axis, t->rank - 1);
    if (wc_dtype_is_float(t->dtype)) {
        if (count > 0 && !t->values)
            return wc_fail(err, WC_ERR_ARG, "tensor '%s': float tensor without values",
                           tensor_name(t));
    } else if (t->dtype == WC_DTYPE_I8 || t->dtype == WC_DTYPE_U8) {
        if (count > 0 && !t->bytes)
            return wc_fail(err, WC_ERR_ARG, "tensor '%s': %s tensor without bytes",
                           tensor_name(t), wc_dtype_name(t->dtype));
    } else {
        return wc_fail(err, WC_ERR_UNSUPPORTED, "tensor '%s': cannot quantize dtype %d",
                       tensor_name(t), (int)t->dtype);
    }
    return WC_OK;
}

static wc_status check_finite(const wc_tensor *t, wc_error *err)
{
    for (uint64_t i = 0; i < t->count; i++) {
        if (!isfinite(t->values[i]))
            return wc_fail(err, WC_ERR_ARG, "tensor '%s': element %llu is %s, not a finite number",
                           tensor_name(t), (unsigned long long)i,
                           isnan(t->values[i]) ? "NaN" : "infinite");
    }
    return WC_OK;
}

static wc_status alloc_groups(wc_quant *q, uint64_t groups, wc_error *err)
{
    q->groups = groups;
    q->scale = malloc(groups * sizeof *q->scale);
    q->zero_point = malloc(groups * sizeof *q->zero_point);
    if (!q->scale || !q->zero_point) {
        wc_quant_free(q);
        return wc_fail(err, WC_ERR_NOMEM, "no memory for %llu quantization groups",
                       (unsigned long long)groups);
    }
    return WC_OK;
}

/* Product of dims[from..to-1]; the caller has checked that the whole shape fits. */
static uint64_t dims_product(const uint64_t *dims, int from, int to)
{
    uint64_t p = 1;
    for (int i = from; i < to; i++)
        p *= dims[i];
    return p;
}

static group_layout layout_of(const wc_quant *q, int rank, const uint64_t *dims)
{
    if (!q->per_channel)
        return (group_layout){1, 1, dims_product(dims, 0, rank)};
    return (group_layout){dims_product(dims, 0, q->axis), dims[q->axis],
                          dims_product(dims, q->axis + 1, rank)};
}

static wc_status pass_through(const wc_tensor *t, uint8_t *symbols, wc_quant *q, wc_error *err)
{
    wc_status st = alloc_groups(q, 1, err);
    if (st != WC_OK)
        return st;
    int is_signed = t->dtype == WC_DTYPE_I8;
    q->bins = WC_QUANT_PASS_THROUGH_BINS;
    q->scale[0] = 1.0f;
    q->zero_point[0] = is_signed ? 128 : 0;
    q->snr_db = INFINITY;
    for (uint64_t i = 0; i < t->count; i++)
        symbols[i] = is_signed ? (uint8_t)(t->bytes[i] + 128u) : t->bytes[i];
    return WC_OK;
}

static void gather_group(const float *values, const group_layout *l, uint64_t c, float *dst)
{
    for (uint64_t o = 0; o < l->outer; o++)
        memcpy(dst + o * l->inner, values + (o * l->channels + c) * l->inner,
               (size_t)l->inner * sizeof *dst);
}

static wc_status choose_groups(const wc_tensor *t, const group_layout *l, wc_quant *q,
                               wc_error *err)
{
    wc_group_scratch scratch;
    uint64_t group_size = l->outer * l->inner;
    wc_status st = wc_group_scratch_init(&scratch, group_size, err);
    if (st != WC_OK) {
        if (err)
            wc_error_context(err, "tensor '%s'", tensor_name(t));
        return st;
    }
    for (uint64_t c = 0; c < l->channels; c++) {
        gather_group(t->values, l, c, scratch.values);
        wc_group_choose(&scratch, (size_t)group_size, q->bins, &q->scale[c], &q->zero_point[c]);
    }
    wc_group_scratch_free(&scratch);
    return WC_OK;
}

static double snr_db(double signal, double noise)
{
    return noise == 0.0 ? INFINITY : 10.0 * log10(signal / noise);
}

/* Symbols of every element, in flat order, and the SNR they give. */
static void quantize_elements(const float *values, const group_layout *l, uint8_t *symbols,
                              wc_quant *q)
{
    double signal = 0.0, noise = 0.0;
    uint64_t i = 0;
    for (uint64_t o = 0; o < l->outer; o++) {
        for (uint64_t c = 0; c < l->channels; c++) {
            float s = q->scale[c];
            int32_t z = q->zero_point[c];
            for (uint64_t j = 0; j < l->inner; j++, i++) {
                uint8_t sym = wc_quant_symbol(values[i], s, z, q->bins);
                double w = values[i], d = w - (double)wc_quant_value(sym, s, z);
                symbols[i] = sym;
                signal += w * w;
                noise += d * d;
            }
        }
    }
    q->snr_db = snr_db(signal, noise);
}

static wc_status quantize_float(const wc_tensor *t, int bins, int per_channel,
                                uint8_t *symbols, wc_quant *q, wc_error *err)
{
    wc_status st = check_finite(t, err);
    if (st != WC_OK)
        return st;
    q->bins = bins;
    if (t->count == 0) {
        st = alloc_groups(q, 1, err);
        if (st == WC_OK) {
            q->scale[0] = 1.0f;
            q->zero_point[0] = (bins - 1) / 2;
            q->snr_db = INFINITY;
        }
        return st;
    }
    q->per_channel = per_channel && t->rank >= 2;
    q->axis = q->per_channel ? t->channel_axis : 0;
    group_layout l = layout_of(q, t->rank, t->dims);
    st = alloc_groups(q, l.channels, err);
    if (st == WC_OK)
        st = choose_groups(t, &l, q, err);
    if (st == WC_OK)
        quantize_elements(t->values, &l, symbols, q);
    return st;
}

wc_status wc_quantize(const wc_tensor *t, int bins, int per_channel, uint8_t *symbols,
                      wc_quant *q, wc_error *err)
{
    memset(q, 0, sizeof *q);
    wc_status st = check_bins(bins, err);
    if (st == WC_OK)
        st = check_tensor(t, per_channel, err);
    if (st == WC_OK && t->count > 0 && !symbols)
        st = wc_fail(err, WC_ERR_ARG, "tensor '%s': no symbol buffer", tensor_name(t));
    if (st == WC_OK)
        st = wc_dtype_is_float(t->dtype) ? quantize_float(t, bins, per_channel, symbols, q, err)
                                         : pass_through(t, symbols, q, err);
    if (st != WC_OK)
        wc_quant_free(q);
    return st;
}

void wc_quant_free(wc_quant *q)
{
    free(q->scale);
    free(q->zero_point);
    memset(q, 0, sizeof *q);
}

static wc_status validate_groups(const wc_quant *q, int rank, const uint64_t *dims,
                                 wc_error *err)
{
    if (q->per_channel != 0 && q->per_channel != 1)
        return wc_fail(err, WC_ERR_CORRUPT, "quantization: per_channel is %d, not 0 or 1",
                       q->per_channel);
    if (q->per_channel && (q->axis < 0 || q->axis >= rank))
        return wc_fail(err, WC_ERR_CORRUPT, "quantization: channel axis %d outside 0..%d",
                       q->axis, rank - 1);
    if (!q->per_channel && q->axis != 0)
        return wc_fail(err, WC_ERR_CORRUPT, "quantization: axis %d without per-channel groups",
                       q->axis);
    uint64_t want = q->per_channel ? dims[q->axis] : 1;
    if (q->groups != want)
        return wc_fail(err, WC_ERR_CORRUPT, "quantization: %llu groups, the shape needs %llu",
                       (unsigned long long)q->groups, (unsigned long long)want);
    if (q->groups > 0 && (!q->scale || !q->zero_point))
        return wc_fail(err, WC_ERR_CORRUPT, "quantization: missing scales or zero points");
    return WC_OK;
}

wc_status wc_quant_validate(const wc_quant *q, int rank, const uint64_t *dims, wc_error *err)
{
    uint64_t count;
    if (rank < 0 || rank > WC_MAX_RANK)
        return wc_fail(err, WC_ERR_CORRUPT, "quantization: rank %d outside 0..%d", rank,
                       WC_MAX_RANK);
    if (wc_shape_count(rank, dims, UINT64_MAX, &count, "", NULL) != WC_OK)
        return wc_fail(err, WC_ERR_CORRUPT, "quantization: shape has more than 2^64 elements");
    int odd_bins = q->bins >= WC_QUANT_MIN_BINS && q->bins <= WC_QUANT_MAX_BINS && q->bins % 2;
    if (!odd_bins && q->bins != WC_QUANT_PASS_THROUGH_BINS)
        return wc_fail(err, WC_ERR_CORRUPT,
                       "quantization: bins %d is neither odd in %d..%d nor %d", q->bins,
                       WC_QUANT_MIN_BINS, WC_QUANT_MAX_BINS, WC_QUANT_PASS_THROUGH_BINS);
    wc_status st = validate_groups(q, rank, dims, err);
    if (st != WC_OK)
        return st;
    for (uint64_t g = 0; g < q->groups; g++) {
        if (!(isfinite(q->scale[g]) && q->scale[g] > 0.0f))
            return wc_fail(err, WC_ERR_CORRUPT, "quantization: scale %g of group %llu is not "
                           "finite and positive", (double)q->scale[g], (unsigned long long)g);
        if (q->zero_point[g] < 0 || q->zero_point[g] >= q->bins)
            return wc_fail(err, WC_ERR_CORRUPT, "quantization: zero point %ld of group %llu "
                           "outside 0..%d", (long)q->zero_point[g], (unsigned long long)g,
                           q->bins - 1);
    }
    return WC_OK;
}

uint64_t wc_quant_group_of(const wc_quant *q, int rank, const uint64_t *dims, uint64_t index)
{
    if (!q->per_channel)
        return 0;
    return index / dims_product(dims, q->axis + 1, rank) % dims[q->axis];
}

wc_status wc_dequantize(const wc_quant *q, int rank, const uint64_t *dims,
                        const uint8_t *symbols, uint64_t count, float *out, wc_error *err)
{
    wc_status st = wc_quant_validate(q, rank, dims, err);
    if (st != WC_OK)
        return st;
    group_layout l = layout_of(q, rank, dims);
    if (count != l.outer * l.channels * l.inner)
        return wc_fail(err, WC_ERR_CORRUPT, "quantization: %llu symbols for a shape of %llu "
                       "elements", (unsigned long long)count,
                       (unsigned long long)(l.outer * l.channels * l.inner));
    uint64_t i = 0;
    for (uint64_t o = 0; o < l.outer; o++) {
        for (uint64_t c = 0; c < l.channels; c++) {
            for (uint64_t j = 0; j < l.inner; j++, i++) {
                if (symbols[i] >= q->bins)
                    return wc_fail(err, WC_ERR_CORRUPT, "quantization: symbol %u at element "
                                   "%llu is not below bins %d", symbols[i],
                                   (unsigned long long)i, q->bins);
                out[i] = wc_quant_value(symbols[i], q->scale[c], q->zero_point[c]);
            }
        }
    }
    return WC_OK;
}

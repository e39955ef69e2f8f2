#include "accel/qnet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quant/quant.h"

static const wc_tensor *find_tensor(const wc_model *m, const char *name, const char *suffix)
{
    char full[256];
    snprintf(full, sizeof full, "%s%s", name, suffix);
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->tensors[i].name, full) == 0 && m->tensors[i].values)
            return &m->tensors[i];
    return NULL;
}

/* Float forward of one layer: out = W x + b, with ReLU when relu. */
static void float_layer(const float *w, const float *b, uint32_t in, uint32_t out, int relu,
                        const float *x, float *y)
{
    for (uint32_t o = 0; o < out; o++) {
        const float *row = w + (size_t)o * in;
        float s = b[o];
        for (uint32_t i = 0; i < in; i++)
            s += row[i] * x[i];
        y[o] = relu && s < 0 ? 0 : s;
    }
}

static int compare_floats(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Magnitude pruning: zero every weight whose magnitude is at most that of the
 * (1 - density) * n-th smallest, so about the `density` fraction survives. */
static wc_status prune(float *w, size_t n, float density, wc_error *err)
{
    size_t drop = n - (size_t)ceil((double)density * (double)n);
    if (density >= 1.0f || drop == 0)
        return WC_OK;
    float *mag = malloc(n * sizeof *mag);
    if (!mag)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        mag[i] = fabsf(w[i]);
    qsort(mag, n, sizeof *mag, compare_floats);
    const float threshold = mag[drop - 1];
    free(mag);
    for (size_t i = 0; i < n; i++)
        if (fabsf(w[i]) <= threshold)
            w[i] = 0;
    return WC_OK;
}

/* Requantization multiplier and shift for ratio r = mult / 2^shift. */
static void requant_params(double r, uint16_t *mult, uint8_t *shift)
{
    int s = 31;
    while (s > 0 && r * ldexp(1.0, s) > 65535.0)
        s--;
    double m = floor(r * ldexp(1.0, s) + 0.5);
    *mult = (uint16_t)(m > 65535 ? 65535 : m);
    *shift = (uint8_t)s;
}

static int32_t round_to_int32(double v)
{
    double r = floor(v + 0.5);
    if (r > 2147483647.0)
        return INT32_MAX;
    if (r < -2147483648.0)
        return INT32_MIN;
    return (int32_t)r;
}

/* One integer layer (the contract in qnet.h). */
static int32_t accumulate(const wc_qlayer *l, uint32_t o, const uint8_t *x)
{
    const uint8_t *row = l->symbols + (size_t)o * l->in;
    uint32_t acc = (uint32_t)l->bias[o];
    for (uint32_t i = 0; i < l->in; i++)
        acc += (uint32_t)((int32_t)row[i] - l->zero_point) * x[i];
    return (int32_t)acc;
}

static uint8_t requantize(const wc_qlayer *l, int32_t v)
{
    int64_t p = (int64_t)v * l->mult;
    if (l->shift)
        p = (p + ((int64_t)1 << (l->shift - 1))) >> l->shift;
    return (uint8_t)(p < 0 ? 0 : p > 255 ? 255 : p);
}

void wc_qnet_forward(const wc_qnet *net, const uint8_t *input, int32_t *logits, uint8_t *scratch)
{
    uint32_t widest = 0;
    for (size_t l = 0; l < net->count; l++)
        if (net->layer[l].out > widest)
            widest = net->layer[l].out;
    const uint8_t *x = input;
    uint8_t *bufs[2] = {scratch, scratch + widest};
    for (size_t l = 0; l < net->count; l++) {
        const wc_qlayer *q = &net->layer[l];
        uint8_t *y = bufs[l % 2];
        for (uint32_t o = 0; o < q->out; o++) {
            int32_t v = accumulate(q, o, x);
            if (q->relu)
                y[o] = requantize(q, v);
            else
                logits[o] = v;
        }
        x = y;
    }
}

uint32_t wc_qnet_argmax(const int32_t *logits, uint32_t count)
{
    uint32_t best = 0;
    for (uint32_t i = 1; i < count; i++)
        if (logits[i] > logits[best])
            best = i;
    return best;
}

void wc_float_forward(const wc_model *m, const char *const *names, size_t nlayers,
                      const uint8_t *input, float in_scale, float *logits, float *scratch)
{
    const wc_tensor *w0 = find_tensor(m, names[0], ".weight");
    uint32_t widest = (uint32_t)w0->dims[1];
    for (size_t l = 0; l < nlayers; l++) {
        uint32_t out = (uint32_t)find_tensor(m, names[l], ".weight")->dims[0];
        widest = out > widest ? out : widest;
    }
    float *x = scratch, *y = scratch + widest;
    for (uint32_t i = 0; i < w0->dims[1]; i++)
        x[i] = input[i] * in_scale;
    for (size_t l = 0; l < nlayers; l++) {
        const wc_tensor *w = find_tensor(m, names[l], ".weight");
        const int last = l + 1 == nlayers;
        float_layer(w->values, find_tensor(m, names[l], ".bias")->values, (uint32_t)w->dims[1],
                    (uint32_t)w->dims[0], !last, x, last ? logits : y);
        float *t = x;
        x = y;
        y = t;
    }
}

void wc_qnet_forward_dequantized(const wc_qnet *net, const wc_model *m,
                                 const char *const *names, const uint8_t *input, float *logits,
                                 float *scratch)
{
    uint32_t widest = net->layer[0].in;
    for (size_t l = 0; l < net->count; l++)
        if (net->layer[l].out > widest)
            widest = net->layer[l].out;
    float *x = scratch, *y = scratch + widest;
    for (uint32_t i = 0; i < net->layer[0].in; i++)
        x[i] = input[i] * net->layer[0].in_scale;
    for (size_t l = 0; l < net->count; l++) {
        const wc_qlayer *q = &net->layer[l];
        const float *b = find_tensor(m, names[l], ".bias")->values;
        for (uint32_t o = 0; o < q->out; o++) {
            const uint8_t *row = q->symbols + (size_t)o * q->in;
            float s = b[o];
            for (uint32_t i = 0; i < q->in; i++)
                s += wc_quant_value(row[i], q->weight_scale, q->zero_point) * x[i];
            y[o] = q->relu && s < 0 ? 0 : s;
        }
        if (!q->relu)
            memcpy(logits, y, q->out * sizeof *logits);
        float *t = x;
        x = y;
        y = t;
    }
}

void wc_qnet_free(wc_qnet *net)
{
    for (size_t l = 0; l < net->count; l++) {
        free(net->layer[l].symbols);
        free(net->layer[l].bias);
    }
    memset(net, 0, sizeof *net);
}

/* Quantizes one layer's (pruned) weights, per tensor. */
static wc_status quantize_weights(const wc_tensor *w, const wc_qnet_options *opt, wc_qlayer *q,
                                  wc_error *err)
{
    wc_tensor pruned = *w;
    pruned.values = malloc(w->count * sizeof(float));
    if (!pruned.values)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory");
    memcpy(pruned.values, w->values, w->count * sizeof(float));
    wc_status st = prune(pruned.values, w->count, opt->density, err);
    wc_quant quant = {0};
    q->symbols = malloc(w->count);
    if (st == WC_OK && !q->symbols)
        st = wc_fail(err, WC_ERR_NOMEM, "out of memory");
    if (st == WC_OK)
        st = wc_quantize(&pruned, opt->bins, 0, q->symbols, &quant, err);
    if (st == WC_OK) {
        q->bins = quant.bins;
        q->zero_point = quant.zero_point[0];
        q->weight_scale = quant.scale[0];
        if (q->zero_point > 128 || quant.bins - 1 - q->zero_point > 127)
            st = wc_fail(err, WC_ERR_ARG,
                         "weights reach %d and %d levels from zero; the accelerator takes "
                         "-128..127: use fewer bins",
                         -q->zero_point, quant.bins - 1 - q->zero_point);
    }
    wc_quant_free(&quant);
    free(pruned.values);
    return st;
}

wc_status wc_qnet_quantize(const wc_model *m, const char *const *names, size_t nlayers,
                           const wc_qnet_options *opt, const uint8_t *calib, size_t ncalib,
                           wc_qnet *net, wc_error *err)
{
    memset(net, 0, sizeof *net);
    if (nlayers < 1 || nlayers > WC_QNET_MAX_LAYERS)
        return wc_fail(err, WC_ERR_ARG, "networks of 1..%d layers, not %zu", WC_QNET_MAX_LAYERS,
                       nlayers);
    if (!(opt->density > 0 && opt->density <= 1))
        return wc_fail(err, WC_ERR_ARG, "density must be in (0, 1], got %g", opt->density);
    /* Shapes. */
    uint32_t widest = 0;
    for (size_t l = 0; l < nlayers; l++) {
        const wc_tensor *w = find_tensor(m, names[l], ".weight");
        const wc_tensor *b = find_tensor(m, names[l], ".bias");
        if (!w || !b || w->rank != 2 || b->count != w->dims[0])
            return wc_fail(err, WC_ERR_ARG, "layer '%s' needs float %s.weight [out, in] and "
                           "%s.bias [out]", names[l], names[l], names[l]);
        if (l > 0 && w->dims[1] != net->layer[l - 1].out)
            return wc_fail(err, WC_ERR_ARG, "layer '%s' takes %llu inputs, the layer before gives %u",
                           names[l], (unsigned long long)w->dims[1], net->layer[l - 1].out);
        net->layer[l].out = (uint32_t)w->dims[0];
        net->layer[l].in = (uint32_t)w->dims[1];
        net->layer[l].relu = l + 1 < nlayers;
        widest = net->layer[l].out > widest ? net->layer[l].out : widest;
        widest = net->layer[l].in > widest ? net->layer[l].in : widest;
    }
    net->count = nlayers;

    float *act = malloc((size_t)2 * widest * sizeof *act);
    float *maxima = calloc(nlayers, sizeof *maxima);
    wc_status st = act && maxima ? WC_OK : wc_fail(err, WC_ERR_NOMEM, "out of memory");
    /* Calibration on the float network: the largest output of each layer. */
    for (size_t c = 0; st == WC_OK && c < ncalib; c++) {
        float *x = act, *y = act + widest;
        for (uint32_t i = 0; i < net->layer[0].in; i++)
            x[i] = calib[c * net->layer[0].in + i] * opt->in_scale;
        for (size_t l = 0; l < nlayers; l++) {
            const wc_qlayer *q = &net->layer[l];
            float_layer(find_tensor(m, names[l], ".weight")->values,
                        find_tensor(m, names[l], ".bias")->values, q->in, q->out, q->relu, x, y);
            for (uint32_t o = 0; o < q->out; o++)
                if (y[o] > maxima[l])
                    maxima[l] = y[o];
            float *t = x;
            x = y;
            y = t;
        }
    }
    float in_scale = opt->in_scale;
    for (size_t l = 0; st == WC_OK && l < nlayers; l++) {
        wc_qlayer *q = &net->layer[l];
        st = quantize_weights(find_tensor(m, names[l], ".weight"), opt, q, err);
        if (st != WC_OK) {
            wc_error_context(err, "layer '%s'", names[l]);
            break;
        }
        q->in_scale = in_scale;
        q->bias = malloc(q->out * sizeof *q->bias);
        if (!q->bias) {
            st = wc_fail(err, WC_ERR_NOMEM, "out of memory");
            break;
        }
        const double acc_scale = (double)q->weight_scale * in_scale;
        const float *b = find_tensor(m, names[l], ".bias")->values;
        for (uint32_t o = 0; o < q->out; o++)
            q->bias[o] = round_to_int32(b[o] / acc_scale);
        if (q->relu) {
            q->out_scale = maxima[l] > 0 ? maxima[l] / 255.0f : 1.0f;
            requant_params(acc_scale / q->out_scale, &q->mult, &q->shift);
            in_scale = q->out_scale;
        }
    }
    free(act);
    free(maxima);
    if (st != WC_OK)
        wc_qnet_free(net);
    return st;
}

uint64_t wc_qnet_tiled_count(const wc_qlayer *l, unsigned lanes)
{
    uint64_t groups = (l->out + lanes - 1) / lanes;
    return groups * lanes * l->in;
}

void wc_qnet_tile(const wc_qlayer *l, unsigned lanes, uint8_t *tiled)
{
    uint64_t groups = (l->out + lanes - 1) / lanes;
    for (uint64_t g = 0; g < groups; g++)
        for (uint32_t c = 0; c < l->in; c++)
            for (unsigned k = 0; k < lanes; k++) {
                uint64_t row = g * lanes + k;
                *tiled++ = row < l->out ? l->symbols[row * l->in + c] : (uint8_t)l->zero_point;
            }
}

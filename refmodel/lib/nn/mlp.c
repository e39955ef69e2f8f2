#include "nn/mlp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EVAL_CHUNK 256

/* ---- randomness: splitmix64, fixed and portable ---- */

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1) with 24 random bits: every value is exact in float. */
static float uniform01(uint64_t *state)
{
    return (float)(splitmix64(state) >> 40) * (1.0f / 16777216.0f);
}

/* ---- kernels ----
 * Written as blocks of eight independent lanes so that gcc -O2 vectorises
 * them without -ffast-math: the order of every sum is fixed by the code. */

/* a[0..n) . b[0..n): eight partial sums over i = k mod 8, then the tail. */
static float dot(const float *a, const float *b, size_t n)
{
    float acc[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++)
            acc[k] += a[i + k] * b[i + k];
    float sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; i < n; i++)
        sum += a[i] * b[i];
    return sum;
}

/* y[0..n) += s * x[0..n) */
static void axpy(float *restrict y, const float *restrict x, float s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++)
            y[i + k] += s * x[i + k];
    for (; i < n; i++)
        y[i] += s * x[i];
}

static size_t argmax(const float *v, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (v[i] > v[best])
            best = i;
    return best;
}

static void zero_masked(float *v, const uint8_t *mask, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!mask[i])
            v[i] = 0.0f;
}

/* ---- parameters ---- */

size_t wc_mlp_weight_count(const wc_mlp *net, int layer)
{
    return net->sizes[layer + 1] * net->sizes[layer];
}

static size_t max_width(const wc_mlp *net)
{
    size_t w = 0;
    for (int l = 0; l <= net->n_layers; l++)
        w = net->sizes[l] > w ? net->sizes[l] : w;
    return w;
}

wc_status wc_mlp_init(wc_mlp *net, int n_layers, const size_t *sizes, wc_error *err)
{
    memset(net, 0, sizeof *net);
    if (n_layers < 1 || n_layers > WC_MLP_MAX_LAYERS)
        return wc_fail(err, WC_ERR_ARG, "an MLP has 1..%d layers, not %d", WC_MLP_MAX_LAYERS,
                       n_layers);
    for (int l = 0; l <= n_layers; l++)
        if (sizes[l] < 1 || sizes[l] > WC_MLP_MAX_WIDTH)
            return wc_fail(err, WC_ERR_ARG, "MLP size %zu at position %d is not 1..%d", sizes[l],
                           l, WC_MLP_MAX_WIDTH);
    net->n_layers = n_layers;
    memcpy(net->sizes, sizes, ((size_t)n_layers + 1) * sizeof *sizes);
    for (int l = 0; l < n_layers; l++) {
        net->weight[l] = calloc(wc_mlp_weight_count(net, l), sizeof(float));
        net->bias[l] = calloc(sizes[l + 1], sizeof(float));
        if (!net->weight[l] || !net->bias[l]) {
            wc_mlp_free(net);
            return wc_fail(err, WC_ERR_NOMEM, "out of memory for the MLP parameters");
        }
    }
    return WC_OK;
}

void wc_mlp_init_random(wc_mlp *net, uint64_t seed)
{
    uint64_t rng = seed;
    for (int l = 0; l < net->n_layers; l++) {
        float bound = sqrtf(6.0f / (float)net->sizes[l]);
        size_t count = wc_mlp_weight_count(net, l);
        for (size_t i = 0; i < count; i++)
            net->weight[l][i] = (2.0f * uniform01(&rng) - 1.0f) * bound;
        memset(net->bias[l], 0, net->sizes[l + 1] * sizeof(float));
    }
}

void wc_mlp_free(wc_mlp *net)
{
    for (int l = 0; l < WC_MLP_MAX_LAYERS; l++) {
        free(net->weight[l]);
        free(net->bias[l]);
    }
    memset(net, 0, sizeof *net);
}

/* ---- forward ---- */

/* out[b][o] = bias[o] + weight[o] . in[b] for the n rows of `in`, through a
 * ReLU if `relu`.  The outer loop runs over weight rows so that each row
 * stays in cache while the batch streams past it. */
static void layer_forward(const wc_mlp *net, int l, const float *in, size_t n, float *out)
{
    size_t n_in = net->sizes[l], n_out = net->sizes[l + 1];
    int relu = l + 1 < net->n_layers;
    for (size_t o = 0; o < n_out; o++) {
        const float *row = net->weight[l] + o * n_in;
        for (size_t b = 0; b < n; b++) {
            float z = net->bias[l][o] + dot(row, in + b * n_in, n_in);
            out[b * n_out + o] = relu && !(z > 0.0f) ? 0.0f : z;
        }
    }
}

/* Runs every layer; acts[l] receives the outputs of layer l. */
static void forward_all(const wc_mlp *net, const float *x, size_t n, float *const *acts)
{
    const float *in = x;
    for (int l = 0; l < net->n_layers; l++) {
        layer_forward(net, l, in, n, acts[l]);
        in = acts[l];
    }
}

wc_status wc_mlp_forward(const wc_mlp *net, const float *x, size_t n, float *logits,
                         wc_error *err)
{
    /* Hidden layers alternate between two scratch buffers; the last writes logits. */
    size_t width = max_width(net);
    float *scratch[2] = {malloc(n * width * sizeof(float)), malloc(n * width * sizeof(float))};
    if (n > 0 && (!scratch[0] || !scratch[1])) {
        free(scratch[0]);
        free(scratch[1]);
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for the activations of %zu inputs", n);
    }
    float *acts[WC_MLP_MAX_LAYERS];
    for (int l = 0; l < net->n_layers; l++)
        acts[l] = l + 1 == net->n_layers ? logits : scratch[l % 2];
    forward_all(net, x, n, acts);
    free(scratch[0]);
    free(scratch[1]);
    return WC_OK;
}

/* The images index[0..n) of d as network inputs x[n][rows * cols]. */
static void pixels_to_input(const wc_dataset *d, const size_t *index, size_t n, float *x)
{
    size_t pixels = d->rows * d->cols;
    for (size_t b = 0; b < n; b++) {
        const uint8_t *src = d->images + index[b] * pixels;
        for (size_t i = 0; i < pixels; i++)
            x[b * pixels + i] = (float)src[i] / 255.0f;
    }
}

static wc_status check_dataset(const wc_mlp *net, const wc_dataset *d, wc_error *err)
{
    if (d->count == 0)
        return wc_fail(err, WC_ERR_ARG, "the data set is empty");
    if (d->rows * d->cols != net->sizes[0])
        return wc_fail(err, WC_ERR_ARG, "images of %zux%zu pixels do not fit an MLP with %zu inputs",
                       d->rows, d->cols, net->sizes[0]);
    return WC_OK;
}

wc_status wc_mlp_accuracy(const wc_mlp *net, const wc_dataset *d, double *accuracy,
                          wc_error *err)
{
    wc_status st = check_dataset(net, d, err);
    if (st != WC_OK)
        return st;
    size_t classes = net->sizes[net->n_layers];
    float *x = malloc(EVAL_CHUNK * net->sizes[0] * sizeof(float));
    float *logits = malloc(EVAL_CHUNK * classes * sizeof(float));
    size_t index[EVAL_CHUNK];
    size_t correct = 0;
    if (!x || !logits)
        st = wc_fail(err, WC_ERR_NOMEM, "out of memory for evaluation");
    for (size_t first = 0; st == WC_OK && first < d->count; first += EVAL_CHUNK) {
        size_t n = d->count - first < EVAL_CHUNK ? d->count - first : EVAL_CHUNK;
        for (size_t b = 0; b < n; b++)
            index[b] = first + b;
        pixels_to_input(d, index, n, x);
        st = wc_mlp_forward(net, x, n, logits, err);
        for (size_t b = 0; st == WC_OK && b < n; b++)
            correct += argmax(logits + b * classes, classes) == d->labels[first + b];
    }
    free(x);
    free(logits);
    if (st == WC_OK)
        *accuracy = (double)correct / (double)d->count;
    return st;
}

/* ---- training ---- */

/* Turns logits [n][k] into d loss / d logits in delta, for the mean over
 * the batch of -log softmax(z)[label]; returns that mean loss. */
static double softmax_cross_entropy(const float *logits, const uint8_t *labels, size_t n, size_t k,
                                    float *delta)
{
    double total = 0.0;
    float inv_n = 1.0f / (float)n;
    for (size_t b = 0; b < n; b++) {
        const float *z = logits + b * k;
        float *d = delta + b * k;
        size_t top = argmax(z, k);
        float sum = 1.0f;  /* exp(z[top] - z[top]); the others follow */
        for (size_t j = 0; j < k; j++) {
            d[j] = expf(z[j] - z[top]);
            if (j != top)
                sum += d[j];
        }
        for (size_t j = 0; j < k; j++)
            d[j] = (d[j] / sum - (j == labels[b] ? 1.0f : 0.0f)) * inv_n;
        total += log((double)sum) - (double)(z[labels[b]] - z[top]);
    }
    return total / (double)n;
}

/* Gradients of layer l's parameters from its output deltas [n][out] and
 * its inputs [n][in]: gw[o] = sum_b delta[b][o] in[b], gb[o] = sum_b
 * delta[b][o], summed in batch order.  A zero delta (a unit the ReLU shut
 * off) contributes nothing and is skipped. */
static void layer_param_grad(wc_mlp *grad, int l, const float *in, const float *delta, size_t n)
{
    size_t n_in = grad->sizes[l], n_out = grad->sizes[l + 1];
    for (size_t o = 0; o < n_out; o++) {
        float *gw = grad->weight[l] + o * n_in;
        float gb = 0.0f;
        memset(gw, 0, n_in * sizeof(float));
        for (size_t b = 0; b < n; b++) {
            float d = delta[b * n_out + o];
            gb += d;
            if (d != 0.0f)
                axpy(gw, in + b * n_in, d, n_in);
        }
        grad->bias[l][o] = gb;
    }
}

/* d loss / d z of layer l - 1, from layer l's deltas: delta_in[b] =
 * sum_o delta[b][o] weight[o], zeroed where the ReLU output `in` is 0. */
static void layer_input_grad(const wc_mlp *net, int l, const float *in, const float *delta,
                             size_t n, float *delta_in)
{
    size_t n_in = net->sizes[l], n_out = net->sizes[l + 1];
    for (size_t b = 0; b < n; b++) {
        float *row = delta_in + b * n_in;
        memset(row, 0, n_in * sizeof(float));
        for (size_t o = 0; o < n_out; o++) {
            float d = delta[b * n_out + o];
            if (d != 0.0f)
                axpy(row, net->weight[l] + o * n_in, d, n_in);
        }
        for (size_t i = 0; i < n_in; i++)
            if (!(in[b * n_in + i] > 0.0f))
                row[i] = 0.0f;
    }
}

static void sgd_update(float *param, float *velocity, const float *grad, size_t n, float lr,
                       float momentum)
{
    for (size_t i = 0; i < n; i++) {
        velocity[i] = momentum * velocity[i] + grad[i];
        param[i] -= lr * velocity[i];
    }
}

wc_status wc_mlp_trainer_init(wc_mlp_trainer *t, wc_mlp *net, const wc_sgd_options *opt,
                              wc_error *err)
{
    memset(t, 0, sizeof *t);
    if (!(opt->lr > 0.0f) || !(opt->momentum >= 0.0f && opt->momentum < 1.0f) || opt->batch < 1 ||
        opt->batch > WC_MLP_MAX_BATCH)
        return wc_fail(err, WC_ERR_ARG, "SGD options out of range (lr %g, momentum %g, batch %zu)",
                       (double)opt->lr, (double)opt->momentum, opt->batch);
    t->net = net;
    t->opt = *opt;
    t->rng = opt->seed;
    wc_status st = wc_mlp_init(&t->grad, net->n_layers, net->sizes, err);
    if (st == WC_OK)
        st = wc_mlp_init(&t->velocity, net->n_layers, net->sizes, err);
    if (st != WC_OK) {
        wc_mlp_trainer_free(t);
        return st;
    }
    size_t batch = opt->batch;
    t->input = malloc(batch * net->sizes[0] * sizeof(float));
    t->labels = malloc(batch);
    int ok = t->input && t->labels;
    for (int l = 0; l < net->n_layers; l++) {
        t->act[l] = malloc(batch * net->sizes[l + 1] * sizeof(float));
        t->delta[l] = malloc(batch * net->sizes[l + 1] * sizeof(float));
        ok = ok && t->act[l] && t->delta[l];
    }
    if (!ok) {
        wc_mlp_trainer_free(t);
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for a batch of %zu", batch);
    }
    return WC_OK;
}

void wc_mlp_trainer_free(wc_mlp_trainer *t)
{
    wc_mlp_free(&t->grad);
    wc_mlp_free(&t->velocity);
    free(t->input);
    free(t->labels);
    for (int l = 0; l < WC_MLP_MAX_LAYERS; l++) {
        free(t->mask[l]);
        free(t->act[l]);
        free(t->delta[l]);
    }
    memset(t, 0, sizeof *t);
}

wc_status wc_mlp_set_mask(wc_mlp_trainer *t, int layer, const uint8_t *mask, wc_error *err)
{
    if (layer < 0 || layer >= t->net->n_layers)
        return wc_fail(err, WC_ERR_ARG, "no layer %d to mask (the net has %d)", layer,
                       t->net->n_layers);
    size_t count = wc_mlp_weight_count(t->net, layer);
    uint8_t *copy = NULL;
    if (mask) {
        copy = malloc(count);
        if (!copy)
            return wc_fail(err, WC_ERR_NOMEM, "out of memory for a mask of %zu weights", count);
        memcpy(copy, mask, count);
        zero_masked(t->net->weight[layer], copy, count);
        zero_masked(t->velocity.weight[layer], copy, count);
    }
    free(t->mask[layer]);
    t->mask[layer] = copy;
    return WC_OK;
}

static wc_status check_batch(const wc_mlp_trainer *t, const uint8_t *labels, size_t n,
                             wc_error *err)
{
    if (n == 0 || n > t->opt.batch)
        return wc_fail(err, WC_ERR_ARG, "a batch of %zu samples, not 1..%zu", n, t->opt.batch);
    size_t classes = t->net->sizes[t->net->n_layers];
    for (size_t b = 0; b < n; b++)
        if (labels[b] >= classes)
            return wc_fail(err, WC_ERR_ARG, "label %u of sample %zu is not a class 0..%zu",
                           labels[b], b, classes - 1);
    return WC_OK;
}

wc_status wc_mlp_gradient(wc_mlp_trainer *t, const float *x, const uint8_t *labels, size_t n,
                          double *loss, wc_error *err)
{
    wc_status st = check_batch(t, labels, n, err);
    if (st != WC_OK)
        return st;
    wc_mlp *net = t->net;
    int last = net->n_layers - 1;
    for (int l = 0; l <= last; l++)
        if (t->mask[l])
            zero_masked(net->weight[l], t->mask[l], wc_mlp_weight_count(net, l));

    forward_all(net, x, n, t->act);
    double value = softmax_cross_entropy(t->act[last], labels, n, net->sizes[last + 1],
                                         t->delta[last]);
    for (int l = last; l >= 0; l--) {
        const float *in = l == 0 ? x : t->act[l - 1];
        layer_param_grad(&t->grad, l, in, t->delta[l], n);
        if (l > 0)
            layer_input_grad(net, l, in, t->delta[l], n, t->delta[l - 1]);
    }

    if (t->opt.penalty)
        value += t->opt.penalty(net, &t->grad, t->opt.penalty_ctx);
    for (int l = 0; l <= last; l++)
        if (t->mask[l])
            zero_masked(t->grad.weight[l], t->mask[l], wc_mlp_weight_count(net, l));
    if (loss)
        *loss = value;
    return WC_OK;
}

wc_status wc_mlp_step(wc_mlp_trainer *t, const float *x, const uint8_t *labels, size_t n,
                      double *loss, wc_error *err)
{
    wc_status st = wc_mlp_gradient(t, x, labels, n, loss, err);
    if (st != WC_OK)
        return st;
    wc_mlp *net = t->net;
    for (int l = 0; l < net->n_layers; l++) {
        sgd_update(net->weight[l], t->velocity.weight[l], t->grad.weight[l],
                   wc_mlp_weight_count(net, l), t->opt.lr, t->opt.momentum);
        sgd_update(net->bias[l], t->velocity.bias[l], t->grad.bias[l], net->sizes[l + 1],
                   t->opt.lr, t->opt.momentum);
    }
    return WC_OK;
}

/* Fisher-Yates over 0..n-1.  The modulo's bias (n / 2^64) is negligible. */
static void shuffle(size_t *order, size_t n, uint64_t *rng)
{
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(splitmix64(rng) % i);
        size_t tmp = order[i - 1];
        order[i - 1] = order[j];
        order[j] = tmp;
    }
}

/* Samples of the last batch whose largest logit is at their label. */
static size_t count_correct(const wc_mlp_trainer *t, size_t n)
{
    size_t classes = t->net->sizes[t->net->n_layers];
    const float *logits = t->act[t->net->n_layers - 1];
    size_t correct = 0;
    for (size_t b = 0; b < n; b++)
        correct += argmax(logits + b * classes, classes) == t->labels[b];
    return correct;
}

wc_status wc_mlp_train_epoch(wc_mlp_trainer *t, const wc_dataset *d, wc_epoch_stats *stats,
                             wc_error *err)
{
    wc_status st = check_dataset(t->net, d, err);
    if (st != WC_OK)
        return st;
    size_t *order = malloc(d->count * sizeof *order);
    if (!order)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for the order of %zu samples", d->count);
    shuffle(order, d->count, &t->rng);

    double loss_sum = 0.0;
    size_t correct = 0, steps = 0;
    for (size_t first = 0; first < d->count; first += t->opt.batch) {
        size_t n = d->count - first < t->opt.batch ? d->count - first : t->opt.batch;
        pixels_to_input(d, order + first, n, t->input);
        for (size_t b = 0; b < n; b++)
            t->labels[b] = d->labels[order[first + b]];
        double loss;
        st = wc_mlp_step(t, t->input, t->labels, n, &loss, err);
        if (st != WC_OK)
            break;
        correct += count_correct(t, n);
        loss_sum += loss;
        steps++;
    }
    free(order);
    if (st == WC_OK) {
        stats->loss = loss_sum / (double)steps;
        stats->accuracy = (double)correct / (double)d->count;
        stats->steps = steps;
    }
    return st;
}

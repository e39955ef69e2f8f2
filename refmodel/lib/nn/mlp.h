/* A multilayer perceptron in float32: its parameters, forward pass,
 * accuracy, and training by mini-batch SGD with momentum on the softmax
 * cross-entropy loss, with optional per-layer weight masks and an extra
 * loss term on the weights.
 *
 * Layer l (0-based) maps sizes[l] inputs to sizes[l + 1] outputs:
 * z = weight[l] x + bias[l], followed by a ReLU on every layer but the
 * last, whose outputs are the class logits.  weight[l] is stored as
 * [sizes[l + 1]][sizes[l]] ([out, in], PyTorch's layout), row-major.
 *
 * Images enter as pixels / 255.0f (0..1).
 *
 * SGD with momentum rather than Adam: its update is linear in the
 * gradient, so what a penalty or a mask does to the weights is exactly
 * lr times what it adds to the gradient (Adam would rescale it per
 * weight), and it needs one state buffer instead of two.  It reaches
 * about 89-90% on Fashion-MNIST in 20 epochs.
 *
 * Determinism: everything runs on one thread in a fixed order (sums are
 * never reassociated), and all randomness comes from seeded splitmix64
 * streams, so the same binary with the same inputs and seeds produces
 * bit-identical weights on every run. */
#ifndef WC_NN_MLP_H
#define WC_NN_MLP_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "nn/idx.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WC_MLP_MAX_LAYERS 4
#define WC_MLP_MAX_WIDTH 65536   /* largest layer size accepted */
#define WC_MLP_MAX_BATCH 65536   /* largest training batch accepted */

/* The parameters of a net.  The same struct also holds a gradient or a
 * momentum buffer: values of the same shapes. */
typedef struct {
    int n_layers;                          /* 1..WC_MLP_MAX_LAYERS */
    size_t sizes[WC_MLP_MAX_LAYERS + 1];   /* inputs, hidden sizes..., classes; each >= 1 */
    float *weight[WC_MLP_MAX_LAYERS];      /* owned; [sizes[l + 1]][sizes[l]] */
    float *bias[WC_MLP_MAX_LAYERS];        /* owned; [sizes[l + 1]] */
} wc_mlp;

/* Allocates a net of n_layers layers with the n_layers + 1 given sizes
 * (each 1..WC_MLP_MAX_WIDTH), all parameters 0.  *net is overwritten; free
 * it with wc_mlp_free.  WC_ERR_ARG for bad sizes, WC_ERR_NOMEM. */
wc_status wc_mlp_init(wc_mlp *net, int n_layers, const size_t *sizes, wc_error *err);

/* He-uniform initialisation for ReLU nets: each weight uniform in
 * [-sqrt(6 / in), sqrt(6 / in)), drawn in storage order from a splitmix64
 * stream seeded with `seed`; biases 0. */
void wc_mlp_init_random(wc_mlp *net, uint64_t seed);

void wc_mlp_free(wc_mlp *net);

size_t wc_mlp_weight_count(const wc_mlp *net, int layer);   /* sizes[l + 1] * sizes[l] */

/* Logits of n inputs: x is [n][sizes[0]], logits [n][sizes[n_layers]].
 * Allocates scratch memory (WC_ERR_NOMEM). */
wc_status wc_mlp_forward(const wc_mlp *net, const float *x, size_t n, float *logits,
                         wc_error *err);

/* Fraction (0..1) of the images of `d` whose largest logit (the first, on
 * a tie) is at their label.  WC_ERR_ARG if rows * cols != sizes[0] or the
 * set is empty, WC_ERR_NOMEM. */
wc_status wc_mlp_accuracy(const wc_mlp *net, const wc_dataset *d, double *accuracy,
                          wc_error *err);

/* ---- training ---- */

/* An extra loss term R(weights), e.g. a penalty pulling weights towards
 * quantization levels.  Called by wc_mlp_gradient after `grad` holds the
 * data gradient (the batch mean) and before masking: it must add dR/dp to
 * grad's entry for every parameter p it depends on, leave the net
 * unchanged, and return R, which is added to the reported loss.  Entries
 * of masked weights are zeroed after it returns, whatever it added. */
typedef double (*wc_mlp_penalty_fn)(const wc_mlp *net, wc_mlp *grad, void *ctx);

typedef struct {
    float lr;                   /* step size, > 0; may be changed between steps (schedules) */
    float momentum;             /* in [0, 1): v = momentum * v + g; w -= lr * v */
    size_t batch;               /* most samples per step, 1..WC_MLP_MAX_BATCH */
    uint64_t seed;              /* seeds the shuffling of wc_mlp_train_epoch */
    wc_mlp_penalty_fn penalty;  /* extra loss term, or NULL */
    void *penalty_ctx;          /* passed to penalty */
} wc_sgd_options;

/* Training state of one net.  Fields are readable; change only opt.lr,
 * opt.momentum and the penalty between steps. */
typedef struct {
    wc_mlp *net;                           /* borrowed; trained in place */
    wc_sgd_options opt;
    wc_mlp grad;                           /* what the last wc_mlp_gradient produced */
    wc_mlp velocity;                       /* momentum buffer, starts at 0 */
    uint8_t *mask[WC_MLP_MAX_LAYERS];      /* owned copies, or NULL for no mask */
    uint64_t rng;                          /* shuffling state */
    /* Workspace for up to opt.batch samples. */
    float *input;                          /* [batch][sizes[0]] */
    uint8_t *labels;                       /* [batch] */
    float *act[WC_MLP_MAX_LAYERS];         /* layer outputs [batch][sizes[l + 1]]: ReLU'd, logits last */
    float *delta[WC_MLP_MAX_LAYERS];       /* d loss / d z of each layer, same shapes */
} wc_mlp_trainer;

/* Sets up *t (overwritten; free with wc_mlp_trainer_free) to train `net`,
 * which must outlive it.  WC_ERR_ARG for options out of range, WC_ERR_NOMEM. */
wc_status wc_mlp_trainer_init(wc_mlp_trainer *t, wc_mlp *net, const wc_sgd_options *opt,
                              wc_error *err);

void wc_mlp_trainer_free(wc_mlp_trainer *t);

/* Holds the weights of `layer` where mask[i] == 0 at exactly 0 from now
 * on: mask has wc_mlp_weight_count(layer) entries (copied; any non-zero
 * value keeps a weight trainable), or is NULL to remove the mask.  The
 * masked weights and their momentum are zeroed at once; each later
 * gradient computation zeroes them again before the forward pass (so the
 * forward pass never sees them, even if the caller wrote to the net) and
 * zeroes their gradient, so updates never move them.  Biases are never
 * masked.  WC_ERR_ARG for a bad layer, WC_ERR_NOMEM. */
wc_status wc_mlp_set_mask(wc_mlp_trainer *t, int layer, const uint8_t *mask, wc_error *err);

/* Computes into t->grad the gradient of the mean cross-entropy loss of the
 * n samples x ([n][sizes[0]]) with labels[0..n), plus the penalty's
 * gradient, masked entries zeroed; *loss (may be NULL) gets the mean loss
 * plus the penalty.  The net's weights change only where masked (to 0).
 * WC_ERR_ARG if n is 0 or above opt.batch, or a label >= the class count. */
wc_status wc_mlp_gradient(wc_mlp_trainer *t, const float *x, const uint8_t *labels, size_t n,
                          double *loss, wc_error *err);

/* wc_mlp_gradient, then one momentum SGD update of every parameter. */
wc_status wc_mlp_step(wc_mlp_trainer *t, const float *x, const uint8_t *labels, size_t n,
                      double *loss, wc_error *err);

typedef struct {
    double loss;        /* mean over the epoch's steps of the step loss */
    double accuracy;    /* fraction classified right by the forward passes of the steps */
    size_t steps;
} wc_epoch_stats;

/* One pass over `d` in an order shuffled (Fisher-Yates) from t->rng:
 * ceil(count / batch) steps, the last one possibly smaller.  The
 * accuracy is measured on the fly, each batch before its update.
 * WC_ERR_ARG if the image size is not sizes[0] or the set is empty,
 * WC_ERR_NOMEM. */
wc_status wc_mlp_train_epoch(wc_mlp_trainer *t, const wc_dataset *d, wc_epoch_stats *stats,
                             wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

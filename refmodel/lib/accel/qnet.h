/* The integer network the accelerator runs, bit for bit (docs/accel.md,
 * "Arithmetic"): fully connected layers with 8-bit weights and activations.
 *
 * Layer l maps input bytes x[in] to
 *
 *     v[o] = bias[o] + sum_i (sym[o][i] - zero_point) * x[i]     (int32, wrapping)
 *
 * and then, in a hidden layer, to output bytes
 *
 *     y[o] = clamp((v[o] * mult + 2^(shift-1)) >> shift, 0, 255)  (48-bit, arithmetic shift;
 *                                                                   no rounding term if shift = 0)
 *
 * or, in the last layer, leaves the int32 v[o] as the logits. */
#ifndef WC_ACCEL_QNET_H
#define WC_ACCEL_QNET_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WC_QNET_MAX_LAYERS 8

typedef struct {
    uint32_t in, out;
    /* Weights: quantization symbols in row-major [out][in] order. */
    uint8_t *symbols;          /* owned */
    int bins;
    int32_t zero_point;
    float weight_scale;
    int32_t *bias;             /* owned, [out], in units of weight_scale * in_scale */
    /* Requantization of a hidden layer (relu = 1); unused in the last layer. */
    int relu;
    uint16_t mult;
    uint8_t shift;             /* 0..31 */
    float in_scale;            /* real value of an input byte step */
    float out_scale;           /* real value of an output byte step (hidden layer) */
} wc_qlayer;

typedef struct {
    size_t count;
    wc_qlayer layer[WC_QNET_MAX_LAYERS];
} wc_qnet;

/* How to quantize a float network. */
typedef struct {
    int bins;                  /* odd, 3..255, per tensor */
    float density;             /* fraction of weights kept by magnitude pruning, (0, 1] */
    float in_scale;            /* real value of one step of the input bytes */
} wc_qnet_options;

/* Quantizes the fully connected float network `m` whose layers are the
 * tensors <name>.weight [out, in] and <name>.bias [out] for each of the
 * `nlayers` names, ReLU between them.  Output scales of the hidden layers
 * come from the largest activation over the `ncalib` calibration inputs
 * (bytes, in_features of layer 0 each).  Refuses what the accelerator cannot
 * run: weights (symbol - zero point) outside -128..127, mismatched shapes. */
wc_status wc_qnet_quantize(const wc_model *m, const char *const *names, size_t nlayers,
                           const wc_qnet_options *opt, const uint8_t *calib, size_t ncalib,
                           wc_qnet *net, wc_error *err);

void wc_qnet_free(wc_qnet *net);

/* Runs the integer network on one input (layer 0's in bytes) and writes the
 * last layer's out int32 logits.  `scratch` holds at least twice the largest
 * layer width bytes. */
void wc_qnet_forward(const wc_qnet *net, const uint8_t *input, int32_t *logits, uint8_t *scratch);

/* Index of the largest logit (the first, on ties). */
uint32_t wc_qnet_argmax(const int32_t *logits, uint32_t count);

/* The float network itself (the tensors wc_qnet_quantize reads, which must
 * be present with matching shapes): logits of one input of bytes times
 * `in_scale`.  `scratch` holds at least twice the largest layer width floats. */
void wc_float_forward(const wc_model *m, const char *const *names, size_t nlayers,
                      const uint8_t *input, float in_scale, float *logits, float *scratch);

/* The float network with each weight replaced by its quantized value
 * (pruning and quantization, float arithmetic): the accuracy the quantization
 * alone allows.  Writes the last layer's logits.  `scratch` holds at least
 * twice the largest layer width floats. */
void wc_qnet_forward_dequantized(const wc_qnet *net, const wc_model *m,
                                 const char *const *names, const uint8_t *input, float *logits,
                                 float *scratch);

/* Layer l's weight symbols in tile order for `lanes` (docs/accel.md, "Weight
 * order"): for each group of `lanes` rows, for each input column, one symbol
 * per row; rows past `out` are padding with the zero point.  Writes
 * wc_qnet_tiled_count(l, lanes) symbols. */
uint64_t wc_qnet_tiled_count(const wc_qlayer *l, unsigned lanes);
void wc_qnet_tile(const wc_qlayer *l, unsigned lanes, uint8_t *tiled);

#ifdef __cplusplus
}
#endif

#endif

/* Uniform weight quantization with a zero point.
 *
 * Symbols and groups
 *   Every element of a tensor becomes one symbol, an integer in [0, bins-1]
 *   stored as a uint8_t.  The elements are split into quantization groups:
 *   the whole tensor (per-tensor), or one group per output channel
 *   (per-channel).  Group g has a scale s_g (binary32, finite, > 0) and an
 *   integer zero point z_g in [0, bins-1].
 *
 * Formulas (the definition; wc_quant_symbol and wc_quant_value implement it)
 *   quantize:    q   = w / s_g     (one IEEE-754 binary32 division, round to nearest)
 *                sym = clamp(floor(q + 0.5) + z_g, 0, bins-1)
 *                      (q + 0.5 and the floor are exact: round half up of q)
 *   dequantize:  w'  = s_g * (sym - z_g)   (sym - z_g is an exact integer, at most
 *                                           255 in magnitude; one binary32 product)
 *   w = 0 (or -0) maps to symbol z_g, which dequantizes to exactly 0.0f: zero
 *   is always exactly on the grid, and zero weights cost one symbol value.
 *
 * bins
 *   Odd, 3..255 for float tensors (F32/F16/BF16, quantized from t->values).
 *   The one exception is 256, used for I8/U8 tensors, which pass through
 *   unchanged as a single group with scale 1:
 *     I8: sym = byte + 128 (mod 256), zero point 128, so w' = the int8 value;
 *     U8: sym = byte, zero point 0, so w' = the uint8 value.
 *
 * Groups along an axis
 *   Per-channel, the element at flat C-order index i belongs to group
 *   (i / stride) % dims[axis], stride = product of the dims after axis, and
 *   groups = dims[axis].  Per-tensor, groups = 1, axis = 0 and every element
 *   is in group 0.  A per-channel request falls back to per-tensor (and
 *   reports per_channel = 0) for tensors of rank <= 1, tensors with no
 *   elements, and integer tensors.
 *
 * How (s_g, z_g) is chosen for a float group
 *   To minimise the squared error sum (w - w')^2 over the group:
 *   - all elements zero: s = 1, z = (bins-1)/2, every symbol z;
 *   - all elements equal to v != 0: s = |v|, z = (bins-1)/2, every symbol
 *     z + 1 or z - 1, so w' = v exactly;
 *   - otherwise the zero points zr, zr +- 1, zr +- 2, c and c +- 1 (those in
 *     range) are tried, where zr = round((bins-1) * -min / (max - min))
 *     clamped to [0, bins-1] is the one the group's range implies and
 *     c = (bins-1)/2 the symmetric centre.  For each, scales are walked down
 *     from the smallest one covering [min, max] in steps of 2^(-1/8) until
 *     the clipping error alone reaches the best error found; the best pair
 *     is then refined by a golden-section search over the scale.  Errors are
 *     computed exactly (up to double rounding) from the sorted group and
 *     prefix sums of w and w^2.  Finally the winner's error, summed element
 *     by element, is compared with that of the plain symmetric max-abs grid
 *     (z = c, s = max|w| / c), which is kept unless the winner is strictly
 *     better: the result is never worse than max-abs scaling.
 *   The choice is deterministic (no randomness, no dependence on threads).
 *
 * Quality report
 *   snr_db = 10 log10(sum w^2 / sum (w - w')^2) over the whole tensor, in
 *   double precision; +INFINITY when the error is 0 (so also for an all-zero
 *   or empty tensor, and for integer pass-through). */
#ifndef WC_QUANT_QUANT_H
#define WC_QUANT_QUANT_H

#include <math.h>
#include <stdint.h>

#include "common/error.h"
#include "common/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WC_QUANT_MIN_BINS 3
#define WC_QUANT_MAX_BINS 255       /* largest odd count for float tensors */
#define WC_QUANT_PASS_THROUGH_BINS 256

/* Quantization parameters of one tensor.  Zero-initialise before first use;
 * wc_quant_free releases the arrays. */
typedef struct {
    int bins;               /* odd 3..255, or 256 for integer pass-through */
    int per_channel;        /* 1 if groups are channels along `axis`, else 0 */
    int axis;               /* channel axis when per_channel, else 0 */
    uint64_t groups;        /* 1, or dims[axis] when per_channel */
    float *scale;           /* [groups], owned; finite, > 0 */
    int32_t *zero_point;    /* [groups], owned; 0..bins-1 */
    double snr_db;          /* quality of the dequantized tensor, see above */
} wc_quant;

/* Symbol of w in a group with this scale and zero point (the quantize formula).
 * A NaN w (never passed by this library) gives 0. */
static inline uint8_t wc_quant_symbol(float w, float scale, int32_t zero_point, int bins)
{
    float q = w / scale;    /* assignment rounds to binary32 even with excess precision */
    double level = floor((double)q + 0.5) + zero_point;
    if (!(level >= 0))
        return 0;
    if (level > bins - 1)
        return (uint8_t)(bins - 1);
    return (uint8_t)level;
}

/* Dequantized value of a symbol (the dequantize formula). */
static inline float wc_quant_value(uint8_t sym, float scale, int32_t zero_point)
{
    return scale * (float)((int32_t)sym - zero_point);
}

/* Quantizes t into symbols[0..t->count-1] (caller-owned, t->count bytes)
 * and fills *q, whose previous contents are ignored (free them first).
 * `bins` must be odd and in 3..255, also for integer tensors (which then
 * get 256); `per_channel` selects groups along t->channel_axis.
 * Fails with WC_ERR_ARG for a bad bins value, a shape that does not match
 * t->count, a channel_axis outside the rank, a missing element buffer or a
 * NaN/Inf element (the message names its flat index); WC_ERR_UNSUPPORTED for
 * an unknown dtype; WC_ERR_NOMEM.  Scratch memory is about 24 bytes per
 * element of the largest group.  On failure *q is empty (zeroed) and the
 * symbols are unspecified. */
wc_status wc_quantize(const wc_tensor *t, int bins, int per_channel, uint8_t *symbols,
                      wc_quant *q, wc_error *err);

/* Frees q's arrays and zeroes it.  Safe on a zeroed struct. */
void wc_quant_free(wc_quant *q);

/* Checks that q is well formed for a tensor of this shape (rank 0..WC_MAX_RANK):
 * bins odd in 3..255 or 256, per_channel 0 or 1, axis inside the rank and
 * groups == dims[axis] when per-channel (else axis 0 and groups 1), arrays
 * present, every scale finite and > 0, every zero point in [0, bins-1].
 * Fails with WC_ERR_CORRUPT naming the first bad field; meant for parameters
 * read from a file. */
wc_status wc_quant_validate(const wc_quant *q, int rank, const uint64_t *dims, wc_error *err);

/* Group of the element at flat index `index` (< the element count) of a
 * tensor of this shape; q must have passed wc_quant_validate for the shape.
 * O(rank) per call. */
uint64_t wc_quant_group_of(const wc_quant *q, int rank, const uint64_t *dims, uint64_t index);

/* Writes w' for each of the `count` symbols into out[0..count-1].
 * Fails with WC_ERR_CORRUPT if q is not valid for the shape (see
 * wc_quant_validate), if count is not the product of dims, or if a symbol is
 * >= q->bins (the message names its index); out is then unspecified. */
wc_status wc_dequantize(const wc_quant *q, int rank, const uint64_t *dims,
                        const uint8_t *symbols, uint64_t count, float *out, wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

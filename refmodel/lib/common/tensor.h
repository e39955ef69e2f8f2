/* Tensors as read from model files, before quantization. */
#ifndef WC_COMMON_TENSOR_H
#define WC_COMMON_TENSOR_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Element types the project reads.  Codes are stored in the container. */
typedef enum {
    WC_DTYPE_F32 = 1,
    WC_DTYPE_F16 = 2,
    WC_DTYPE_BF16 = 3,
    WC_DTYPE_I8 = 4,
    WC_DTYPE_U8 = 5
} wc_dtype;

#define WC_MAX_RANK 8

typedef struct {
    char *name;                 /* owned, NUL-terminated */
    wc_dtype dtype;             /* element type in the source file */
    int rank;                   /* 0..WC_MAX_RANK; 0 is a scalar */
    uint64_t dims[WC_MAX_RANK];
    uint64_t count;             /* product of dims (1 for a scalar) */
    /* Axis of the output channels, for per-channel quantization: 0 unless the
     * source says otherwise (an ONNX MatMul weight has it last). */
    int channel_axis;
    float *values;              /* owned; float dtypes, converted to float; else NULL */
    uint8_t *bytes;             /* owned; I8/U8 elements as stored; else NULL */
} wc_tensor;

/* The float and integer tensors of a model, in file order. */
typedef struct {
    wc_tensor *tensors;         /* owned array */
    size_t count;
    size_t skipped;             /* tensors of other dtypes (int64 shapes, ...) left out */
} wc_model;

const char *wc_dtype_name(wc_dtype dtype);  /* "F32", "F16", ... as in safetensors */
int wc_dtype_is_float(wc_dtype dtype);
size_t wc_dtype_size(wc_dtype dtype);       /* bytes per element */

/* Frees what a tensor owns (not the struct itself). */
void wc_tensor_free(wc_tensor *t);
void wc_model_free(wc_model *m);

/* Product of dims into *count; fails with WC_ERR_FORMAT naming `what` if it
 * overflows or exceeds `limit` elements. */
wc_status wc_shape_count(int rank, const uint64_t *dims, uint64_t limit, uint64_t *count,
                         const char *what, wc_error *err);

/* IEEE half and bfloat16 to float, exactly. */
float wc_f16_to_f32(uint16_t h);
float wc_bf16_to_f32(uint16_t h);

#ifdef __cplusplus
}
#endif

#endif

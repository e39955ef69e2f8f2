#include "common/tensor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *wc_dtype_name(wc_dtype dtype)
{
    switch (dtype) {
    case WC_DTYPE_F32: return "F32";
    case WC_DTYPE_F16: return "F16";
    case WC_DTYPE_BF16: return "BF16";
    case WC_DTYPE_I8: return "I8";
    case WC_DTYPE_U8: return "U8";
    }
    return "?";
}

int wc_dtype_is_float(wc_dtype dtype)
{
    return dtype == WC_DTYPE_F32 || dtype == WC_DTYPE_F16 || dtype == WC_DTYPE_BF16;
}

size_t wc_dtype_size(wc_dtype dtype)
{
    switch (dtype) {
    case WC_DTYPE_F32: return 4;
    case WC_DTYPE_F16:
    case WC_DTYPE_BF16: return 2;
    case WC_DTYPE_I8:
    case WC_DTYPE_U8: return 1;
    }
    return 0;
}

void wc_tensor_free(wc_tensor *t)
{
    free(t->name);
    free(t->values);
    free(t->bytes);
    memset(t, 0, sizeof *t);
}

void wc_model_free(wc_model *m)
{
    for (size_t i = 0; i < m->count; i++)
        wc_tensor_free(&m->tensors[i]);
    free(m->tensors);
    memset(m, 0, sizeof *m);
}

wc_status wc_shape_count(int rank, const uint64_t *dims, uint64_t limit, uint64_t *count,
                         const char *what, wc_error *err)
{
    if (rank < 0 || rank > WC_MAX_RANK)
        return wc_fail(err, WC_ERR_FORMAT, "%s: rank %d outside 0..%d", what, rank, WC_MAX_RANK);
    uint64_t n = 1;
    for (int i = 0; i < rank; i++) {
        if (dims[i] != 0 && n > limit / dims[i])
            return wc_fail(err, WC_ERR_FORMAT, "%s: shape has more than %llu elements", what,
                           (unsigned long long)limit);
        n *= dims[i];
    }
    if (n > limit)
        return wc_fail(err, WC_ERR_FORMAT, "%s: shape has more than %llu elements", what,
                       (unsigned long long)limit);
    *count = n;
    return WC_OK;
}

float wc_f16_to_f32(uint16_t h)
{
    unsigned sign = h >> 15, exp = (h >> 10) & 0x1F, man = h & 0x3FF;
    float v;
    if (exp == 0)
        v = ldexpf((float)man, -24);
    else if (exp == 31)
        v = man ? NAN : INFINITY;
    else
        v = ldexpf((float)(man | 0x400), (int)exp - 25);
    return sign ? -v : v;
}

float wc_bf16_to_f32(uint16_t h)
{
    uint32_t bits = (uint32_t)h << 16;
    float v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

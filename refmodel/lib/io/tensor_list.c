#include "io/tensor_list.h"

#include <stdlib.h>
#include <string.h>

#include "common/buffer.h"

wc_status wc_tensor_list_push(wc_tensor_list *l, wc_tensor **t, wc_error *err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        if (cap > SIZE_MAX / sizeof *l->v)
            return wc_fail(err, WC_ERR_NOMEM, "too many tensors");
        wc_tensor *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return wc_fail(err, WC_ERR_NOMEM, "out of memory for %zu tensors", cap);
        l->v = v;
        l->cap = cap;
    }
    *t = &l->v[l->n++];
    memset(*t, 0, sizeof **t);
    return WC_OK;
}

void wc_tensor_list_free(wc_tensor_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        wc_tensor_free(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

wc_status wc_tensor_list_commit(wc_tensor_list *l, wc_model *m, wc_error *err)
{
    if (l->n) {
        size_t total = m->count + l->n;
        if (total < l->n || total > SIZE_MAX / sizeof *m->tensors) {
            wc_tensor_list_free(l);
            return wc_fail(err, WC_ERR_NOMEM, "too many tensors");
        }
        wc_tensor *v = realloc(m->tensors, total * sizeof *v);
        if (!v) {
            wc_tensor_list_free(l);
            return wc_fail(err, WC_ERR_NOMEM, "out of memory for %zu tensors", total);
        }
        memcpy(v + m->count, l->v, l->n * sizeof *v);
        m->tensors = v;
        m->count = total;
    }
    m->skipped += l->skipped;
    free(l->v);
    memset(l, 0, sizeof *l);
    return WC_OK;
}

wc_status wc_tensor_set_name(wc_tensor *t, const char *name, size_t len, wc_error *err)
{
    if (len && memchr(name, '\0', len))
        return wc_fail(err, WC_ERR_FORMAT, "tensor name contains a NUL byte");
    char *copy = malloc(len + 1);
    if (!copy)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for a tensor name");
    if (len)
        memcpy(copy, name, len);
    copy[len] = '\0';
    free(t->name);
    t->name = copy;
    return WC_OK;
}

wc_status wc_tensor_set_shape(wc_tensor *t, int rank, const uint64_t *dims, wc_error *err)
{
    if (rank < 0 || rank > WC_MAX_RANK)
        return wc_fail(err, WC_ERR_FORMAT, "tensor '%s': rank %d exceeds %d", t->name, rank,
                       WC_MAX_RANK);
    /* Any count below this fits in a size_t both as stored bytes and as floats. */
    uint64_t limit = SIZE_MAX / sizeof(float);
    uint64_t count;
    if (wc_shape_count(rank, dims, limit, &count, t->name, err) != WC_OK)
        return WC_ERR_FORMAT;
    t->rank = rank;
    for (int i = 0; i < rank; i++)
        t->dims[i] = dims[i];
    t->count = count;
    return WC_OK;
}

size_t wc_tensor_nbytes(const wc_tensor *t)
{
    return (size_t)t->count * wc_dtype_size(t->dtype);
}

static uint16_t load16(const uint8_t *p, int big_endian)
{
    return big_endian ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[0] | p[1] << 8);
}

static float load_f32(const uint8_t *p, int big_endian)
{
    uint32_t bits = big_endian ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
                                     (uint32_t)p[2] << 8 | p[3]
                               : wc_load_le32(p);
    float v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

static void decode_floats(const wc_tensor *t, const uint8_t *src, int big_endian, float *dst)
{
    size_t n = (size_t)t->count;
    switch (t->dtype) {
    case WC_DTYPE_F32:
        for (size_t i = 0; i < n; i++)
            dst[i] = load_f32(src + 4 * i, big_endian);
        break;
    case WC_DTYPE_F16:
        for (size_t i = 0; i < n; i++)
            dst[i] = wc_f16_to_f32(load16(src + 2 * i, big_endian));
        break;
    case WC_DTYPE_BF16:
        for (size_t i = 0; i < n; i++)
            dst[i] = wc_bf16_to_f32(load16(src + 2 * i, big_endian));
        break;
    case WC_DTYPE_I8:
    case WC_DTYPE_U8:
        break;
    }
}

wc_status wc_tensor_decode(wc_tensor *t, const uint8_t *src, size_t nbytes, int big_endian,
                           wc_error *err)
{
    size_t need = wc_tensor_nbytes(t);
    if (nbytes != need)
        return wc_fail(err, WC_ERR_FORMAT, "tensor '%s': %zu bytes of data, its %s shape needs %zu",
                       t->name, nbytes, wc_dtype_name(t->dtype), need);
    if (t->count == 0)
        return WC_OK;
    if (!wc_dtype_is_float(t->dtype)) {
        t->bytes = malloc(need);
        if (!t->bytes)
            return wc_fail(err, WC_ERR_NOMEM, "tensor '%s': out of memory for %zu bytes", t->name,
                           need);
        memcpy(t->bytes, src, need);
        return WC_OK;
    }
    t->values = malloc((size_t)t->count * sizeof *t->values);
    if (!t->values)
        return wc_fail(err, WC_ERR_NOMEM, "tensor '%s': out of memory for %llu values", t->name,
                       (unsigned long long)t->count);
    decode_floats(t, src, big_endian, t->values);
    return WC_OK;
}

#include "encode/container_write.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

static uint32_t crc32_of(const uint8_t *data, size_t len)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    while (len > 0) {
        uInt chunk = len > 0x40000000u ? 0x40000000u : (uInt)len;
        crc = crc32(crc, data, chunk);
        data += chunk;
        len -= chunk;
    }
    return (uint32_t)crc;
}

static void put_quantized(wc_buf *b, const wc_record *r)
{
    const wc_quant *q = &r->quant;
    wc_buf_put_u16(b, (uint16_t)q->bins);
    wc_buf_put_u8(b, (uint8_t)q->per_channel);
    wc_buf_put_u8(b, (uint8_t)q->axis);
    for (uint64_t g = 0; g < q->groups; g++) {
        wc_buf_put_f32(b, q->scale[g]);
        wc_buf_put_u16(b, (uint16_t)q->zero_point[g]);
    }
    wc_buf_put_f32(b, (float)q->snr_db);
    wc_buf_put_u8(b, (uint8_t)r->coder);
    wc_buf_put_u32(b, (uint32_t)r->payload.n);
    uint8_t *dst = wc_buf_reserve(b, r->payload.n * 4);
    if (!dst)
        return;
    for (size_t i = 0; i < r->payload.n; i++)
        wc_store_le32(dst + 4 * i, r->payload.w[i]);
    b->len += r->payload.n * 4;
}

static wc_status put_record(wc_buf *b, const wc_record *r, wc_error *err)
{
    size_t name_len = strlen(r->name);
    if (name_len < 1 || name_len > WC_CONTAINER_MAX_NAME)
        return wc_fail(err, WC_ERR_ARG, "tensor name of %zu bytes; 1..%d allowed", name_len,
                       WC_CONTAINER_MAX_NAME);
    if (r->kind == WC_KIND_QUANTIZED && r->payload.n > UINT32_MAX)
        return wc_fail(err, WC_ERR_ARG, "tensor '%s': payload over 2^32 words", r->name);
    size_t start = b->len;
    wc_buf_put_u32(b, 0); /* body length, patched below */
    wc_buf_put_u16(b, (uint16_t)name_len);
    wc_buf_put(b, r->name, name_len);
    wc_buf_put_u8(b, (uint8_t)r->dtype);
    wc_buf_put_u8(b, (uint8_t)r->rank);
    for (int i = 0; i < r->rank; i++)
        wc_buf_put_u64(b, r->dims[i]);
    wc_buf_put_u8(b, (uint8_t)r->kind);
    if (r->kind == WC_KIND_QUANTIZED) {
        put_quantized(b, r);
    } else {
        uint64_t len = r->count * wc_dtype_size(r->dtype);
        wc_buf_put_u64(b, len);
        wc_buf_put(b, r->bytes, (size_t)len);
    }
    wc_status st = wc_buf_status(b, err);
    if (st != WC_OK)
        return st;
    size_t body = b->len - start - 4;
    if (body > UINT32_MAX)
        return wc_fail(err, WC_ERR_ARG, "tensor '%s': record over 4 GiB", r->name);
    wc_buf_patch_u32(b, start, (uint32_t)body);
    wc_buf_put_u32(b, crc32_of(b->data + start, body + 4));
    return wc_buf_status(b, err);
}

wc_status wc_container_serialize(const wc_container *c, wc_buf *out, wc_error *err)
{
    if (c->count > UINT32_MAX)
        return wc_fail(err, WC_ERR_ARG, "too many tensors for one container");
    size_t start = out->len;
    wc_buf_put(out, WC_CONTAINER_MAGIC, 4);
    wc_buf_put_u16(out, WC_CONTAINER_VERSION);
    wc_buf_put_u16(out, 0);
    wc_buf_put_u32(out, (uint32_t)c->count);
    wc_status st = wc_buf_status(out, err);
    if (st != WC_OK)
        return st;
    wc_buf_put_u32(out, crc32_of(out->data + start, 12));
    for (size_t i = 0; i < c->count; i++) {
        st = put_record(out, &c->records[i], err);
        if (st != WC_OK)
            return st;
    }
    return WC_OK;
}

wc_status wc_container_write_file(const wc_container *c, const char *path, wc_error *err)
{
    wc_buf b = {0};
    wc_status st = wc_container_serialize(c, &b, err);
    if (st == WC_OK) {
        FILE *f = fopen(path, "wb");
        if (!f) {
            st = wc_fail(err, WC_ERR_IO, "%s: %s", path, strerror(errno));
        } else {
            size_t written = fwrite(b.data, 1, b.len, f);
            if (fclose(f) != 0 || written != b.len)
                st = wc_fail(err, WC_ERR_IO, "%s: write failed", path);
        }
    }
    wc_buf_free(&b);
    return st;
}

uint64_t wc_record_file_bytes(const wc_record *r)
{
    uint64_t body = 2 + strlen(r->name) + 1 + 1 + 8ull * (uint64_t)r->rank + 1;
    if (r->kind == WC_KIND_QUANTIZED)
        body += 2 + 1 + 1 + 6 * r->quant.groups + 4 + 1 + 4 + 4 * (uint64_t)r->payload.n;
    else
        body += 8 + r->count * wc_dtype_size(r->dtype);
    return 4 + body + 4;
}

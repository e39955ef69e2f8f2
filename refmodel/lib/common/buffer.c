#include "common/buffer.h"

#include <stdlib.h>
#include <string.h>

void wc_buf_free(wc_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

uint8_t *wc_buf_reserve(wc_buf *b, size_t extra)
{
    if (b->failed)
        return NULL;
    if (extra > SIZE_MAX - b->len) {
        b->failed = 1;
        return NULL;
    }
    size_t need = b->len + extra;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        uint8_t *p = realloc(b->data, cap);
        if (!p) {
            b->failed = 1;
            return NULL;
        }
        b->data = p;
        b->cap = cap;
    }
    return b->data + b->len;
}

void wc_buf_put(wc_buf *b, const void *src, size_t n)
{
    uint8_t *dst = wc_buf_reserve(b, n);
    if (!dst)
        return;
    if (n)
        memcpy(dst, src, n);
    b->len += n;
}

void wc_buf_put_u8(wc_buf *b, uint8_t v) { wc_buf_put(b, &v, 1); }

void wc_buf_put_u16(wc_buf *b, uint16_t v)
{
    uint8_t p[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    wc_buf_put(b, p, 2);
}

void wc_buf_put_u32(wc_buf *b, uint32_t v)
{
    uint8_t p[4];
    wc_store_le32(p, v);
    wc_buf_put(b, p, 4);
}

void wc_buf_put_u64(wc_buf *b, uint64_t v)
{
    wc_buf_put_u32(b, (uint32_t)v);
    wc_buf_put_u32(b, (uint32_t)(v >> 32));
}

void wc_buf_put_f32(wc_buf *b, float v)
{
    uint32_t bits;
    memcpy(&bits, &v, 4);
    wc_buf_put_u32(b, bits);
}

void wc_buf_patch_u32(wc_buf *b, size_t offset, uint32_t v)
{
    if (!b->failed && offset + 4 <= b->len)
        wc_store_le32(b->data + offset, v);
}

wc_status wc_buf_status(const wc_buf *b, wc_error *err)
{
    if (b->failed)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory while writing");
    return WC_OK;
}

wc_cursor wc_cursor_make(const void *data, size_t len)
{
    wc_cursor c = {(const uint8_t *)data, len, 0};
    return c;
}

size_t wc_cursor_left(const wc_cursor *c) { return c->len - c->pos; }

wc_status wc_get_bytes(wc_cursor *c, size_t n, const uint8_t **p, const char *what, wc_error *err)
{
    if (n > wc_cursor_left(c))
        return wc_fail(err, WC_ERR_TRUNCATED, "%s: truncated, needs %zu bytes, %zu left", what, n,
                       wc_cursor_left(c));
    *p = c->data + c->pos;
    c->pos += n;
    return WC_OK;
}

wc_status wc_get_u8(wc_cursor *c, uint8_t *v, const char *what, wc_error *err)
{
    const uint8_t *p = NULL;
    wc_status st = wc_get_bytes(c, 1, &p, what, err);
    if (st == WC_OK)
        *v = p[0];
    return st;
}

wc_status wc_get_u16(wc_cursor *c, uint16_t *v, const char *what, wc_error *err)
{
    const uint8_t *p = NULL;
    wc_status st = wc_get_bytes(c, 2, &p, what, err);
    if (st == WC_OK)
        *v = (uint16_t)(p[0] | p[1] << 8);
    return st;
}

wc_status wc_get_u32(wc_cursor *c, uint32_t *v, const char *what, wc_error *err)
{
    const uint8_t *p = NULL;
    wc_status st = wc_get_bytes(c, 4, &p, what, err);
    if (st == WC_OK)
        *v = wc_load_le32(p);
    return st;
}

wc_status wc_get_u64(wc_cursor *c, uint64_t *v, const char *what, wc_error *err)
{
    const uint8_t *p = NULL;
    wc_status st = wc_get_bytes(c, 8, &p, what, err);
    if (st == WC_OK)
        *v = wc_load_le32(p) | (uint64_t)wc_load_le32(p + 4) << 32;
    return st;
}

wc_status wc_get_f32(wc_cursor *c, float *v, const char *what, wc_error *err)
{
    uint32_t bits;
    wc_status st = wc_get_u32(c, &bits, what, err);
    if (st == WC_OK)
        memcpy(v, &bits, 4);
    return st;
}

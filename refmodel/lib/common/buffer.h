/* Growable byte buffers for writers, and bounds-checked cursors for readers.
 *
 * Multi-byte integers are little-endian on disk, whatever the host. */
#ifndef WC_COMMON_BUFFER_H
#define WC_COMMON_BUFFER_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A byte buffer owned by its user: zero-initialise it, append, then
 * wc_buf_free().  After an allocation failure `failed` is set, further
 * appends do nothing, and wc_buf_status() reports WC_ERR_NOMEM once. */
typedef struct {
    uint8_t *data;
    size_t len;
    size_t cap;
    int failed;
} wc_buf;

void wc_buf_free(wc_buf *b);
/* Makes room for `extra` more bytes; returns a pointer to the first of them or NULL. */
uint8_t *wc_buf_reserve(wc_buf *b, size_t extra);
void wc_buf_put(wc_buf *b, const void *src, size_t n);
void wc_buf_put_u8(wc_buf *b, uint8_t v);
void wc_buf_put_u16(wc_buf *b, uint16_t v);
void wc_buf_put_u32(wc_buf *b, uint32_t v);
void wc_buf_put_u64(wc_buf *b, uint64_t v);
void wc_buf_put_f32(wc_buf *b, float v);
/* Overwrites 4 bytes at `offset` (which must lie inside the buffer). */
void wc_buf_patch_u32(wc_buf *b, size_t offset, uint32_t v);
wc_status wc_buf_status(const wc_buf *b, wc_error *err);

/* A read-only view with a position.  Every getter checks the bounds and
 * fails with WC_ERR_TRUNCATED, naming `what`, instead of reading past the end. */
typedef struct {
    const uint8_t *data;
    size_t len;
    size_t pos;
} wc_cursor;

wc_cursor wc_cursor_make(const void *data, size_t len);
size_t wc_cursor_left(const wc_cursor *c);
wc_status wc_get_u8(wc_cursor *c, uint8_t *v, const char *what, wc_error *err);
wc_status wc_get_u16(wc_cursor *c, uint16_t *v, const char *what, wc_error *err);
wc_status wc_get_u32(wc_cursor *c, uint32_t *v, const char *what, wc_error *err);
wc_status wc_get_u64(wc_cursor *c, uint64_t *v, const char *what, wc_error *err);
wc_status wc_get_f32(wc_cursor *c, float *v, const char *what, wc_error *err);
/* Points *p at the next n bytes (no copy) and skips them. */
wc_status wc_get_bytes(wc_cursor *c, size_t n, const uint8_t **p, const char *what, wc_error *err);

/* Little-endian loads and stores on raw memory. */
static inline uint32_t wc_load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void wc_store_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

#ifdef __cplusplus
}
#endif

#endif

#include "io/protowire.h"

wc_status wc_pb_varint(wc_cursor *c, uint64_t *v, const char *what, wc_error *err)
{
    uint64_t result = 0;
    for (unsigned i = 0; i < 10; i++) {
        if (wc_cursor_left(c) == 0)
            return wc_fail(err, WC_ERR_TRUNCATED, "%s: varint runs past the end", what);
        uint8_t byte = c->data[c->pos++];
        /* The tenth byte holds bit 63 only. */
        if (i == 9 && byte > 1)
            return wc_fail(err, WC_ERR_CORRUPT, "%s: varint exceeds 64 bits", what);
        result |= (uint64_t)(byte & 0x7F) << (7 * i);
        if (!(byte & 0x80)) {
            *v = result;
            return WC_OK;
        }
    }
    return wc_fail(err, WC_ERR_CORRUPT, "%s: varint longer than 10 bytes", what);
}

static wc_status read_value(wc_cursor *c, wc_pb_field *f, const char *what, wc_error *err)
{
    uint32_t lo = 0;
    wc_status st;
    switch (f->wire) {
    case WC_PB_VARINT:
        return wc_pb_varint(c, &f->value, what, err);
    case WC_PB_FIXED64:
        return wc_get_u64(c, &f->value, what, err);
    case WC_PB_FIXED32:
        st = wc_get_u32(c, &lo, what, err);
        f->value = lo;
        return st;
    case WC_PB_BYTES:
        st = wc_pb_varint(c, &f->value, what, err);
        if (st != WC_OK)
            return st;
        if (f->value > wc_cursor_left(c))
            return wc_fail(err, WC_ERR_TRUNCATED,
                           "%s: field %u claims %llu bytes, %zu left", what, f->number,
                           (unsigned long long)f->value, wc_cursor_left(c));
        f->len = (size_t)f->value;
        return wc_get_bytes(c, f->len, &f->data, what, err);
    }
    return wc_fail(err, WC_ERR_CORRUPT, "%s: field %u has wire type %d (groups and types 6, 7 "
                   "are not valid here)", what, f->number, f->wire);
}

wc_status wc_pb_next(wc_cursor *c, wc_pb_field *f, int *more, const char *what, wc_error *err)
{
    *more = 0;
    if (wc_cursor_left(c) == 0)
        return WC_OK;
    uint64_t key;
    wc_status st = wc_pb_varint(c, &key, what, err);
    if (st != WC_OK)
        return st;
    if (key >> 3 == 0 || key >> 3 > 0x1FFFFFFF)
        return wc_fail(err, WC_ERR_CORRUPT, "%s: invalid field number %llu", what,
                       (unsigned long long)(key >> 3));
    f->number = (uint32_t)(key >> 3);
    f->wire = (int)(key & 7);
    f->value = 0;
    f->data = NULL;
    f->len = 0;
    st = read_value(c, f, what, err);
    if (st == WC_OK)
        *more = 1;
    return st;
}

wc_status wc_pb_count_varints(const uint8_t *data, size_t len, size_t *count, const char *what,
                              wc_error *err)
{
    wc_cursor c = wc_cursor_make(data, len);
    size_t n = 0;
    while (wc_cursor_left(&c)) {
        uint64_t v;
        wc_status st = wc_pb_varint(&c, &v, what, err);
        if (st != WC_OK)
            return st;
        n++;
    }
    *count = n;
    return WC_OK;
}

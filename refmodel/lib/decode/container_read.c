#include "decode/container_read.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/buffer.h"
#include "decode/huf_dec.h"
#include "decode/raw_dec.h"
#include "decode/tans_dec.h"

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

static wc_status parse_header(wc_cursor *cur, uint32_t *records, wc_error *err)
{
    const uint8_t *h;
    wc_status st = wc_get_bytes(cur, WC_CONTAINER_HEADER_BYTES, &h, "container header", err);
    if (st != WC_OK)
        return st;
    if (memcmp(h, WC_CONTAINER_MAGIC, 4) != 0)
        return wc_fail(err, WC_ERR_FORMAT, "not a .wcz container (bad magic)");
    uint16_t version = (uint16_t)(h[4] | h[5] << 8), flags = (uint16_t)(h[6] | h[7] << 8);
    if (version != WC_CONTAINER_VERSION)
        return wc_fail(err, WC_ERR_UNSUPPORTED,
                       "container version %u is not supported; this reader knows version %d",
                       version, WC_CONTAINER_VERSION);
    if (wc_load_le32(h + 12) != crc32_of(h, 12))
        return wc_fail(err, WC_ERR_CORRUPT, "container header: CRC mismatch");
    if (flags != 0)
        return wc_fail(err, WC_ERR_UNSUPPORTED, "container flags 0x%04x are not supported", flags);
    *records = wc_load_le32(h + 8);
    return WC_OK;
}

static wc_status parse_shape(wc_cursor *body, wc_record *r, wc_error *err)
{
    uint8_t dtype, rank;
    wc_status st;
    if ((st = wc_get_u8(body, &dtype, "dtype", err)) != WC_OK ||
        (st = wc_get_u8(body, &rank, "rank", err)) != WC_OK)
        return st;
    if (dtype < WC_DTYPE_F32 || dtype > WC_DTYPE_U8)
        return wc_fail(err, WC_ERR_UNSUPPORTED, "unsupported dtype %u", dtype);
    if (rank > WC_MAX_RANK)
        return wc_fail(err, WC_ERR_CORRUPT, "rank %u exceeds %d", rank, WC_MAX_RANK);
    r->dtype = (wc_dtype)dtype;
    r->rank = rank;
    for (int i = 0; i < r->rank; i++)
        if ((st = wc_get_u64(body, &r->dims[i], "dimensions", err)) != WC_OK)
            return st;
    return wc_shape_count(r->rank, r->dims, WC_CONTAINER_MAX_ELEMENTS, &r->count, "shape", err);
}

static wc_status parse_quant_params(wc_cursor *body, wc_record *r, wc_error *err)
{
    uint16_t bins;
    uint8_t granularity, axis;
    wc_status st;
    if ((st = wc_get_u16(body, &bins, "bins", err)) != WC_OK ||
        (st = wc_get_u8(body, &granularity, "granularity", err)) != WC_OK ||
        (st = wc_get_u8(body, &axis, "channel axis", err)) != WC_OK)
        return st;
    wc_quant *q = &r->quant;
    q->bins = bins;
    q->per_channel = granularity;
    q->axis = axis;
    if (granularity > 1)
        return wc_fail(err, WC_ERR_CORRUPT, "granularity %u is neither 0 nor 1", granularity);
    if (granularity == 1 && axis >= r->rank)
        return wc_fail(err, WC_ERR_CORRUPT, "channel axis %u outside rank %d", axis, r->rank);
    q->groups = granularity ? r->dims[axis] : 1;
    if (q->groups > wc_cursor_left(body) / 6)
        return wc_fail(err, WC_ERR_TRUNCATED, "%llu quantization groups do not fit the record",
                       (unsigned long long)q->groups);
    q->scale = malloc((size_t)q->groups * sizeof *q->scale + 1);
    q->zero_point = malloc((size_t)q->groups * sizeof *q->zero_point + 1);
    if (!q->scale || !q->zero_point)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for quantization groups");
    for (uint64_t g = 0; g < q->groups; g++) {
        uint16_t zp;
        if ((st = wc_get_f32(body, &q->scale[g], "scale", err)) != WC_OK ||
            (st = wc_get_u16(body, &zp, "zero point", err)) != WC_OK)
            return st;
        q->zero_point[g] = zp;
    }
    float snr;
    if ((st = wc_get_f32(body, &snr, "SNR", err)) != WC_OK)
        return st;
    q->snr_db = snr;
    return wc_quant_validate(q, r->rank, r->dims, err);
}

static wc_status parse_payload(wc_cursor *body, wc_record *r, wc_error *err)
{
    uint8_t coder;
    uint32_t nwords;
    const uint8_t *p;
    wc_status st;
    if ((st = wc_get_u8(body, &coder, "coder", err)) != WC_OK)
        return st;
    if (coder > WC_CODER_HUFFMAN)
        return wc_fail(err, WC_ERR_UNSUPPORTED, "unsupported coder %u", coder);
    r->coder = (wc_coder)coder;
    if ((st = wc_get_u32(body, &nwords, "payload length", err)) != WC_OK)
        return st;
    if ((size_t)nwords > wc_cursor_left(body) / 4)
        return wc_fail(err, WC_ERR_TRUNCATED, "payload of %u words does not fit the record",
                       nwords);
    if ((st = wc_get_bytes(body, (size_t)nwords * 4, &p, "payload", err)) != WC_OK)
        return st;
    r->payload.w = malloc((size_t)nwords * 4 + 4);
    if (!r->payload.w)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for a payload of %u words", nwords);
    r->payload.n = r->payload.cap = nwords;
    for (uint32_t i = 0; i < nwords; i++)
        r->payload.w[i] = wc_load_le32(p + 4 * (size_t)i);
    return WC_OK;
}

static wc_status parse_verbatim(wc_cursor *body, wc_record *r, wc_error *err)
{
    uint64_t len;
    const uint8_t *p;
    wc_status st = wc_get_u64(body, &len, "verbatim length", err);
    if (st != WC_OK)
        return st;
    if (len != r->count * wc_dtype_size(r->dtype))
        return wc_fail(err, WC_ERR_CORRUPT, "verbatim data of %llu bytes for %llu %s elements",
                       (unsigned long long)len, (unsigned long long)r->count,
                       wc_dtype_name(r->dtype));
    if ((st = wc_get_bytes(body, (size_t)len, &p, "verbatim data", err)) != WC_OK)
        return st;
    r->bytes = malloc((size_t)len + 1);
    if (!r->bytes)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for verbatim data");
    memcpy(r->bytes, p, (size_t)len);
    return WC_OK;
}

static wc_status parse_body(wc_cursor *body, wc_record *r, wc_error *err)
{
    uint16_t name_len;
    const uint8_t *name;
    wc_status st;
    if ((st = wc_get_u16(body, &name_len, "name length", err)) != WC_OK)
        return st;
    if (name_len < 1 || name_len > WC_CONTAINER_MAX_NAME)
        return wc_fail(err, WC_ERR_CORRUPT, "name length %u outside 1..%d", name_len,
                       WC_CONTAINER_MAX_NAME);
    if ((st = wc_get_bytes(body, name_len, &name, "name", err)) != WC_OK)
        return st;
    if (memchr(name, 0, name_len))
        return wc_fail(err, WC_ERR_CORRUPT, "name contains a NUL byte");
    r->name = malloc((size_t)name_len + 1);
    if (!r->name)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for a name");
    memcpy(r->name, name, name_len);
    r->name[name_len] = '\0';

    uint8_t kind;
    if ((st = parse_shape(body, r, err)) != WC_OK ||
        (st = wc_get_u8(body, &kind, "kind", err)) != WC_OK)
        return st;
    if (kind == WC_KIND_QUANTIZED) {
        r->kind = WC_KIND_QUANTIZED;
        if ((st = parse_quant_params(body, r, err)) != WC_OK ||
            (st = parse_payload(body, r, err)) != WC_OK)
            return st;
    } else if (kind == WC_KIND_VERBATIM) {
        r->kind = WC_KIND_VERBATIM;
        if ((st = parse_verbatim(body, r, err)) != WC_OK)
            return st;
    } else {
        return wc_fail(err, WC_ERR_UNSUPPORTED, "unsupported record kind %u", kind);
    }
    if (wc_cursor_left(body) != 0)
        return wc_fail(err, WC_ERR_CORRUPT, "%zu unexpected bytes after the payload",
                       wc_cursor_left(body));
    return WC_OK;
}

/* Names a record in messages: by its tensor once the name is read, else by
 * its index and the tensor before it. */
static wc_status record_context(const wc_container *c, size_t index, wc_error *err)
{
    const wc_record *r = &c->records[index];
    if (r->name)
        return wc_error_context(err, "tensor '%s'", r->name);
    if (index > 0)
        return wc_error_context(err, "record %zu (after tensor '%s')", index,
                                c->records[index - 1].name);
    return wc_error_context(err, "record %zu", index);
}

static wc_status parse_record(wc_cursor *cur, wc_record *r, wc_error *err)
{
    uint32_t body_len, crc;
    const uint8_t *start = cur->data + cur->pos, *body;
    wc_status st;
    if ((st = wc_get_u32(cur, &body_len, "record length", err)) != WC_OK ||
        (st = wc_get_bytes(cur, body_len, &body, "record body", err)) != WC_OK ||
        (st = wc_get_u32(cur, &crc, "record CRC", err)) != WC_OK)
        return st;
    if (crc != crc32_of(start, (size_t)body_len + 4))
        return wc_fail(err, WC_ERR_CORRUPT, "CRC mismatch");
    wc_cursor bc = wc_cursor_make(body, body_len);
    return parse_body(&bc, r, err);
}

wc_status wc_container_parse(const uint8_t *data, size_t len, wc_container *c, wc_error *err)
{
    memset(c, 0, sizeof *c);
    wc_cursor cur = wc_cursor_make(data, len);
    uint32_t records = 0;
    wc_status st = parse_header(&cur, &records, err);
    if (st != WC_OK)
        return st;
    for (uint32_t i = 0; i < records; i++) {
        if (wc_cursor_left(&cur) == 0)
            return wc_fail(err, WC_ERR_TRUNCATED, "container ends after %u of %u records", i,
                           records);
        wc_record *r = wc_container_add(c);
        if (!r)
            return wc_fail(err, WC_ERR_NOMEM, "out of memory for records");
        if ((st = parse_record(&cur, r, err)) != WC_OK)
            return record_context(c, i, err);
    }
    if (wc_cursor_left(&cur) != 0)
        return wc_fail(err, WC_ERR_CORRUPT, "%zu unexpected bytes after the last record",
                       wc_cursor_left(&cur));
    return WC_OK;
}

wc_status wc_container_read_file(const char *path, wc_container *c, wc_error *err)
{
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "rb");
    if (!f)
        return wc_fail(err, WC_ERR_IO, "%s: %s", path, strerror(errno));
    wc_buf b = {0};
    uint8_t chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        wc_buf_put(&b, chunk, got);
    int failed = ferror(f);
    fclose(f);
    wc_status st = failed ? wc_fail(err, WC_ERR_IO, "%s: read error", path)
                          : wc_buf_status(&b, err);
    if (st == WC_OK)
        st = wc_container_parse(b.data, b.len, c, err);
    wc_buf_free(&b);
    if (st != WC_OK && st != WC_ERR_IO)
        wc_error_context(err, "%s", path);
    return st;
}

wc_status wc_record_decode(const wc_record *r, uint8_t *out, wc_error *err)
{
    if (r->kind != WC_KIND_QUANTIZED)
        return wc_fail(err, WC_ERR_ARG, "tensor '%s' is not quantized", r->name);
    const uint32_t *w = r->payload.w;
    const size_t nw = r->payload.n;
    wc_status st;
    switch (r->coder) {
    case WC_CODER_RAW:
        st = wc_raw_decode(w, nw, r->count, (unsigned)r->quant.bins, out, err);
        break;
    case WC_CODER_TANS: {
        size_t used = 0;
        st = r->count ? wc_tans_decode(w, nw, r->count, out, &used, err)
                      : wc_fail(err, WC_ERR_CORRUPT, "tANS payload for an empty tensor");
        if (st == WC_OK && used != nw)
            st = wc_fail(err, WC_ERR_CORRUPT, "%zu words after the tANS layer", nw - used);
        break;
    }
    case WC_CODER_HUFFMAN:
        st = r->count ? wc_huf_decode(w, nw, r->count, out, err)
                      : wc_fail(err, WC_ERR_CORRUPT, "Huffman payload for an empty tensor");
        break;
    default:
        st = wc_fail(err, WC_ERR_UNSUPPORTED, "unsupported coder %d", (int)r->coder);
    }
    if (st == WC_OK) {
        for (uint64_t i = 0; i < r->count; i++)
            if (out[i] >= r->quant.bins) {
                st = wc_fail(err, WC_ERR_CORRUPT, "symbol %u at index %llu is not below %d bins",
                             out[i], (unsigned long long)i, r->quant.bins);
                break;
            }
    }
    if (st != WC_OK)
        return wc_error_context(err, "tensor '%s'", r->name);
    return WC_OK;
}

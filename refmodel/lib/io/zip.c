#include "io/zip.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/buffer.h"

enum {
    SIG_LOCAL = 0x04034b50,
    SIG_CENTRAL = 0x02014b50,
    SIG_END = 0x06054b50,
    SIG_END64 = 0x06064b50,
    SIG_LOCATOR64 = 0x07064b50
};
enum { LOCAL_SIZE = 30, CENTRAL_SIZE = 46, END_SIZE = 22, END64_SIZE = 56, LOCATOR64_SIZE = 20 };
enum { EXTRA_ZIP64 = 0x0001 };
enum { FLAG_ENCRYPTED = 0x0001, FLAG_DATA_DESCRIPTOR = 0x0008, FLAG_STRONG_ENCRYPTION = 0x0040 };
enum { METHOD_STORED = 0, METHOD_DEFLATE = 8 };
#define SAT16 0xFFFFu
#define SAT32 0xFFFFFFFFu
/* Deflate cannot expand its input more than 1032-fold (a 258-byte match
 * costs at least 2 bits), which caps what a claimed size may allocate. */
#define DEFLATE_MAX_RATIO 1032u

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint64_t le64(const uint8_t *p) { return wc_load_le32(p) | (uint64_t)wc_load_le32(p + 4) << 32; }

/* ---- end of central directory ---- */

/* The end record is the last 22 bytes plus a comment of up to 64 KiB whose
 * length it gives; the signature could also occur inside that comment. */
static int find_end_record(const uint8_t *data, size_t len, size_t *at)
{
    if (len < END_SIZE)
        return 0;
    size_t lowest = len - END_SIZE > 0xFFFF ? len - END_SIZE - 0xFFFF : 0;
    for (size_t pos = len - END_SIZE + 1; pos-- > lowest;) {
        if (wc_load_le32(data + pos) == SIG_END && pos + END_SIZE + le16(data + pos + 20) == len) {
            *at = pos;
            return 1;
        }
    }
    return 0;
}

static wc_status read_end64(wc_zip *z, size_t end_at, uint64_t *cd_offset, uint64_t *cd_size,
                            wc_error *err)
{
    const uint8_t *loc = z->data + end_at - LOCATOR64_SIZE;
    uint64_t at = le64(loc + 8);
    if (wc_load_le32(loc + 4) != 0 || wc_load_le32(loc + 16) > 1)
        return wc_fail(err, WC_ERR_UNSUPPORTED, "zip: multi-disk archives are not supported");
    if (at > end_at - LOCATOR64_SIZE || end_at - LOCATOR64_SIZE - at < END64_SIZE)
        return wc_fail(err, WC_ERR_CORRUPT, "zip: ZIP64 end record outside the file");
    const uint8_t *rec = z->data + at;
    if (wc_load_le32(rec) != SIG_END64)
        return wc_fail(err, WC_ERR_CORRUPT, "zip: bad ZIP64 end record signature");
    if (wc_load_le32(rec + 16) != 0 || wc_load_le32(rec + 20) != 0)
        return wc_fail(err, WC_ERR_UNSUPPORTED, "zip: multi-disk archives are not supported");
    z->entries = le64(rec + 32);
    *cd_size = le64(rec + 40);
    *cd_offset = le64(rec + 48);
    z->cd_end = (size_t)at;
    return WC_OK;
}

wc_status wc_zip_open(wc_zip *z, const uint8_t *data, size_t len, wc_error *err)
{
    memset(z, 0, sizeof *z);
    z->data = data;
    z->len = len;
    size_t end_at;
    if (!find_end_record(data, len, &end_at))
        return wc_fail(err, WC_ERR_FORMAT, "zip: no end of central directory record");
    const uint8_t *end = data + end_at;
    if (le16(end + 4) != 0 || le16(end + 6) != 0)
        return wc_fail(err, WC_ERR_UNSUPPORTED, "zip: multi-disk archives are not supported");
    uint64_t cd_size = wc_load_le32(end + 12), cd_offset = wc_load_le32(end + 16);
    z->entries = le16(end + 10);
    z->cd_end = end_at;
    if (end_at >= LOCATOR64_SIZE && wc_load_le32(end - LOCATOR64_SIZE) == SIG_LOCATOR64) {
        wc_status st = read_end64(z, end_at, &cd_offset, &cd_size, err);
        if (st != WC_OK)
            return st;
    } else if (z->entries == SAT16 || cd_size == SAT32 || cd_offset == SAT32) {
        return wc_fail(err, WC_ERR_CORRUPT, "zip: saturated end record without ZIP64 locator");
    }
    if (cd_offset > z->cd_end || cd_size != z->cd_end - cd_offset)
        return wc_fail(err, WC_ERR_CORRUPT, "zip: central directory [%llu, +%llu) does not end "
                       "at the end record (byte %zu)", (unsigned long long)cd_offset,
                       (unsigned long long)cd_size, z->cd_end);
    if (z->entries > cd_size / CENTRAL_SIZE)
        return wc_fail(err, WC_ERR_CORRUPT, "zip: %llu entries cannot fit in a %llu-byte "
                       "directory", (unsigned long long)z->entries, (unsigned long long)cd_size);
    z->pos = (size_t)cd_offset;
    return WC_OK;
}

/* ---- central directory entries ---- */

/* Replaces the saturated 32-bit fields of an entry by the 64-bit values of
 * its ZIP64 extra field, which holds only those, in this order. */
static wc_status apply_zip64(uint64_t *fields[], size_t n_fields, const uint8_t *extra,
                             size_t extra_len, wc_error *err)
{
    size_t need = 0;
    for (size_t i = 0; i < n_fields; i++)
        need += *fields[i] == SAT32;
    if (need == 0)
        return WC_OK;
    size_t pos = 0;
    while (extra_len - pos >= 4) {
        uint16_t id = le16(extra + pos), size = le16(extra + pos + 2);
        pos += 4;
        if (size > extra_len - pos)
            return wc_fail(err, WC_ERR_CORRUPT, "zip: extra field runs past its record");
        if (id == EXTRA_ZIP64) {
            if (size < 8 * need)
                return wc_fail(err, WC_ERR_CORRUPT, "zip: ZIP64 extra field too short");
            const uint8_t *p = extra + pos;
            for (size_t i = 0; i < n_fields; i++) {
                if (*fields[i] == SAT32) {
                    *fields[i] = le64(p);
                    p += 8;
                }
            }
            return WC_OK;
        }
        pos += size;
    }
    return wc_fail(err, WC_ERR_CORRUPT, "zip: saturated size or offset without ZIP64 field");
}

wc_status wc_zip_next(wc_zip *z, wc_zip_entry *e, int *more, wc_error *err)
{
    *more = 0;
    if (z->seen == z->entries) {
        if (z->pos != z->cd_end)
            return wc_fail(err, WC_ERR_CORRUPT, "zip: central directory has %zu stray bytes",
                           z->cd_end - z->pos);
        return WC_OK;
    }
    if (z->cd_end - z->pos < CENTRAL_SIZE)
        return wc_fail(err, WC_ERR_CORRUPT, "zip: central directory ends inside entry %llu",
                       (unsigned long long)z->seen);
    const uint8_t *rec = z->data + z->pos;
    if (wc_load_le32(rec) != SIG_CENTRAL)
        return wc_fail(err, WC_ERR_CORRUPT, "zip: bad central directory signature at byte %zu",
                       z->pos);
    size_t name_len = le16(rec + 28), extra_len = le16(rec + 30), comment_len = le16(rec + 32);
    if (z->cd_end - z->pos - CENTRAL_SIZE < name_len + extra_len + comment_len)
        return wc_fail(err, WC_ERR_CORRUPT, "zip: central directory ends inside entry %llu",
                       (unsigned long long)z->seen);
    memset(e, 0, sizeof *e);
    e->flags = le16(rec + 8);
    e->method = le16(rec + 10);
    e->crc32 = wc_load_le32(rec + 16);
    e->compressed_size = wc_load_le32(rec + 20);
    e->size = wc_load_le32(rec + 24);
    e->local_offset = wc_load_le32(rec + 42);
    e->name = rec + CENTRAL_SIZE;
    e->name_len = name_len;
    if (le16(rec + 34) != 0)
        return wc_fail(err, WC_ERR_UNSUPPORTED, "zip: multi-disk archives are not supported");
    uint64_t *fields[] = {&e->size, &e->compressed_size, &e->local_offset};
    wc_status st = apply_zip64(fields, 3, e->name + name_len, extra_len, err);
    if (st != WC_OK)
        return st;
    z->pos += CENTRAL_SIZE + name_len + extra_len + comment_len;
    z->seen++;
    *more = 1;
    return WC_OK;
}

/* ---- extraction ---- */

/* Checks the local header and finds the entry's compressed bytes. */
static wc_status locate_data(const wc_zip *z, const wc_zip_entry *e, const uint8_t **data,
                             wc_error *err)
{
    if (e->local_offset > z->len || z->len - e->local_offset < LOCAL_SIZE)
        return wc_fail(err, WC_ERR_CORRUPT, "local header outside the file");
    const uint8_t *rec = z->data + e->local_offset;
    size_t name_len = le16(rec + 26), extra_len = le16(rec + 28);
    size_t after = z->len - (size_t)e->local_offset - LOCAL_SIZE;
    if (wc_load_le32(rec) != SIG_LOCAL || name_len + extra_len > after)
        return wc_fail(err, WC_ERR_CORRUPT, "bad local header");
    if (le16(rec + 8) != e->method || name_len != e->name_len ||
        memcmp(rec + LOCAL_SIZE, e->name, name_len) != 0)
        return wc_fail(err, WC_ERR_CORRUPT, "local header disagrees with the directory");
    if (!(le16(rec + 6) & FLAG_DATA_DESCRIPTOR)) {
        uint64_t crc = wc_load_le32(rec + 14), csize = wc_load_le32(rec + 18),
                 size = wc_load_le32(rec + 22);
        uint64_t *fields[] = {&size, &csize};
        wc_status st = apply_zip64(fields, 2, rec + LOCAL_SIZE + name_len, extra_len, err);
        if (st != WC_OK)
            return st;
        if (crc != e->crc32 || csize != e->compressed_size || size != e->size)
            return wc_fail(err, WC_ERR_CORRUPT, "local header sizes or CRC disagree with the "
                           "directory");
    }
    uint64_t start = e->local_offset + LOCAL_SIZE + name_len + extra_len;
    if (e->compressed_size > z->len - start)
        return wc_fail(err, WC_ERR_CORRUPT, "data of %llu bytes runs past the end of the archive",
                       (unsigned long long)e->compressed_size);
    *data = z->data + start;
    return WC_OK;
}

static wc_status inflate_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len,
                             wc_error *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, -15) != Z_OK)
        return wc_fail(err, WC_ERR_NOMEM, "cannot start zlib inflate");
    size_t in_left = in_len, out_left = out_len;
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.next_out = out;
    int ret = Z_OK;
    /* zlib counts in uInt; feed and drain in pieces that fit. */
    while (ret == Z_OK) {
        uInt in_chunk = in_left > UINT_MAX ? UINT_MAX : (uInt)in_left;
        uInt out_chunk = out_left > UINT_MAX ? UINT_MAX : (uInt)out_left;
        zs.avail_in = in_chunk;
        zs.avail_out = out_chunk;
        ret = inflate(&zs, Z_NO_FLUSH);
        in_left -= in_chunk - zs.avail_in;
        out_left -= out_chunk - zs.avail_out;
        if (ret == Z_OK && zs.avail_in == in_chunk && zs.avail_out == out_chunk)
            ret = Z_BUF_ERROR;
    }
    inflateEnd(&zs);
    if (ret != Z_STREAM_END || in_left != 0 || out_left != 0)
        return wc_fail(err, WC_ERR_CORRUPT, "bad deflate stream (%s)",
                       ret == Z_STREAM_END ? "sizes disagree with the directory"
                                           : ret == Z_BUF_ERROR ? "ends early" : "invalid data");
    return WC_OK;
}

wc_status wc_zip_extract(const wc_zip *z, const wc_zip_entry *e, const uint8_t **out,
                         uint8_t **owned, wc_error *err)
{
    *owned = NULL;
    if (e->flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION))
        return wc_fail(err, WC_ERR_UNSUPPORTED, "encrypted entries are not supported");
    if (e->method != METHOD_STORED && e->method != METHOD_DEFLATE)
        return wc_fail(err, WC_ERR_UNSUPPORTED, "compression method %u is not supported",
                       e->method);
    const uint8_t *packed = NULL;
    wc_status st = locate_data(z, e, &packed, err);
    if (st != WC_OK)
        return st;
    size_t csize = (size_t)e->compressed_size;
    if (e->method == METHOD_STORED) {
        if (e->size != e->compressed_size)
            return wc_fail(err, WC_ERR_CORRUPT, "stored entry with different sizes");
        *out = packed;
    } else {
        if (e->size > (uint64_t)csize * DEFLATE_MAX_RATIO)
            return wc_fail(err, WC_ERR_CORRUPT, "%llu bytes cannot inflate to %llu",
                           (unsigned long long)csize, (unsigned long long)e->size);
        if (e->size > SIZE_MAX)
            return wc_fail(err, WC_ERR_NOMEM, "entry of %llu bytes does not fit in memory",
                           (unsigned long long)e->size);
        size_t size = (size_t)e->size;
        *owned = malloc(size ? size : 1);
        if (!*owned)
            return wc_fail(err, WC_ERR_NOMEM, "out of memory for %zu bytes", size);
        st = inflate_raw(packed, csize, *owned, size, err);
        *out = *owned;
    }
    if (st == WC_OK && crc32_z(0, *out, (z_size_t)e->size) != e->crc32)
        st = wc_fail(err, WC_ERR_CORRUPT, "CRC-32 mismatch");
    if (st != WC_OK) {
        free(*owned);
        *owned = NULL;
    }
    return st;
}

/* Tests of the .wcz container: round trips and refusal of damaged files. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "common/buffer.h"
#include "common/container.h"
#include "decode/container_read.h"
#include "encode/compress.h"
#include "encode/container_write.h"

/* A model-like tensor: rank 2 (or 1 for a bias), Gaussian-ish values. */
static wc_tensor make_tensor(const char *name, int rank, uint64_t rows, uint64_t cols,
                             unsigned seed)
{
    wc_tensor t = {0};
    t.name = malloc(strlen(name) + 1);
    strcpy(t.name, name);
    t.dtype = WC_DTYPE_F32;
    t.rank = rank;
    t.dims[0] = rows;
    if (rank == 2)
        t.dims[1] = cols;
    t.count = rank == 1 ? rows : rows * cols;
    t.values = malloc(t.count * sizeof(float));
    uint32_t x = seed * 2654435761u + 1;
    for (uint64_t i = 0; i < t.count; i++) {
        float sum = 0;
        for (int k = 0; k < 4; k++) {
            x = x * 1664525u + 1013904223u;
            sum += (float)(x >> 8) / 16777216.0f - 0.5f;
        }
        t.values[i] = sum * (1.0f + (float)(i % cols) / (float)cols);
    }
    return t;
}

/* Three tensors coded with tANS, Huffman and raw, plus a verbatim bias. */
static void build_container(wc_container *c, uint8_t **symbols)
{
    wc_tensor t[4] = {make_tensor("layer1.weight", 2, 64, 50, 1),
                      make_tensor("layer1.bias", 1, 64, 1, 2),
                      make_tensor("layer2.weight", 2, 32, 64, 3),
                      make_tensor("layer3.weight", 2, 10, 32, 4)};
    wc_coder coders[4] = {WC_CODER_TANS, WC_CODER_TANS, WC_CODER_HUFFMAN, WC_CODER_RAW};
    memset(c, 0, sizeof *c);
    for (int i = 0; i < 4; i++) {
        wc_compress_options opt = wc_compress_defaults();
        opt.coder = coders[i];
        opt.per_channel = i == 2;
        opt.lanes = i == 0 ? 4 : 1;
        wc_record *r = wc_container_add(c);
        symbols[i] = malloc(t[i].count);
        wc_error err;
        CHECK_MSG(wc_compress_tensor(&t[i], &opt, r, symbols[i], &err) == WC_OK, "%s", err.msg);
        wc_tensor_free(&t[i]);
    }
}

static void serialize(const wc_container *c, wc_buf *b)
{
    memset(b, 0, sizeof *b);
    wc_error err;
    CHECK_MSG(wc_container_serialize(c, b, &err) == WC_OK, "%s", err.msg);
}

static void round_trip_preserves_every_field_and_symbol(void)
{
    wc_container c;
    uint8_t *symbols[4];
    build_container(&c, symbols);
    CHECK(c.records[0].coder == WC_CODER_TANS && c.records[1].kind == WC_KIND_VERBATIM);
    CHECK(c.records[2].coder == WC_CODER_HUFFMAN && c.records[3].coder == WC_CODER_RAW);
    wc_buf b;
    serialize(&c, &b);
    wc_container back;
    wc_error err;
    CHECK_MSG(wc_container_parse(b.data, b.len, &back, &err) == WC_OK, "%s", err.msg);
    CHECK(back.count == 4);
    for (size_t i = 0; i < 4; i++) {
        const wc_record *r = &back.records[i], *o = &c.records[i];
        CHECK(strcmp(r->name, o->name) == 0 && r->rank == o->rank && r->count == o->count);
        CHECK(memcmp(r->dims, o->dims, (size_t)r->rank * 8) == 0 && r->kind == o->kind);
        if (r->kind == WC_KIND_VERBATIM) {
            CHECK(memcmp(r->bytes, o->bytes, r->count * 4) == 0);
            continue;
        }
        CHECK(r->quant.bins == o->quant.bins && r->quant.groups == o->quant.groups);
        CHECK(memcmp(r->quant.scale, o->quant.scale, r->quant.groups * 4) == 0);
        CHECK((float)r->quant.snr_db == (float)o->quant.snr_db);
        uint8_t *out = malloc(r->count);
        CHECK_MSG(wc_record_decode(r, out, &err) == WC_OK, "%s", err.msg);
        CHECK_MSG(memcmp(out, symbols[i], r->count) == 0, "record %zu symbols differ", i);
        free(out);
    }
    CHECK(back.records[2].quant.per_channel == 1 && back.records[2].quant.groups == 32);
    CHECK(b.len == WC_CONTAINER_HEADER_BYTES + wc_record_file_bytes(&c.records[0]) +
                       wc_record_file_bytes(&c.records[1]) + wc_record_file_bytes(&c.records[2]) +
                       wc_record_file_bytes(&c.records[3]));
    wc_container_free(&back);
    wc_container_free(&c);
    wc_buf_free(&b);
    for (int i = 0; i < 4; i++)
        free(symbols[i]);
}

static void truncation_anywhere_is_refused(void)
{
    wc_container c;
    uint8_t *symbols[4];
    build_container(&c, symbols);
    wc_buf b;
    serialize(&c, &b);
    for (size_t len = 0; len < b.len; len++) {
        wc_container back;
        wc_error err;
        wc_status st = wc_container_parse(b.data, len, &back, &err);
        wc_container_free(&back);
        CHECK_MSG(st == WC_ERR_TRUNCATED, "cut at %zu of %zu: status %d (%s)", len, b.len, st,
                  err.msg);
    }
    wc_container_free(&c);
    wc_buf_free(&b);
    for (int i = 0; i < 4; i++)
        free(symbols[i]);
}

static void every_single_bit_flip_is_refused(void)
{
    wc_container c;
    uint8_t *symbols[4];
    build_container(&c, symbols);
    wc_buf b;
    serialize(&c, &b);
    for (size_t byte = 0; byte < b.len; byte++)
        for (int bit = 0; bit < 8; bit++) {
            b.data[byte] ^= (uint8_t)(1u << bit);
            wc_container back;
            wc_status st = wc_container_parse(b.data, b.len, &back, NULL);
            wc_container_free(&back);
            b.data[byte] ^= (uint8_t)(1u << bit);
            CHECK_MSG(st != WC_OK, "flip of bit %d in byte %zu accepted", bit, byte);
        }
    wc_container_free(&c);
    wc_buf_free(&b);
    for (int i = 0; i < 4; i++)
        free(symbols[i]);
}

/* A one-record container built by hand, with correct CRCs, around `body`. */
static void hand_made(wc_buf *b, const wc_buf *body, uint16_t version)
{
    memset(b, 0, sizeof *b);
    wc_buf_put(b, "WCZF", 4);
    wc_buf_put_u16(b, version);
    wc_buf_put_u16(b, 0);
    wc_buf_put_u32(b, 1);
    wc_buf_put_u32(b, (uint32_t)crc32(0, b->data, 12));
    size_t start = b->len;
    wc_buf_put_u32(b, (uint32_t)body->len);
    wc_buf_put(b, body->data, body->len);
    wc_buf_put_u32(b, (uint32_t)crc32(0, b->data + start, (uInt)(body->len + 4)));
}

static wc_status parse_hand_made(const wc_buf *body, uint16_t version, wc_error *err)
{
    wc_buf b;
    hand_made(&b, body, version);
    wc_container c;
    wc_status st = wc_container_parse(b.data, b.len, &c, err);
    wc_container_free(&c);
    wc_buf_free(&b);
    return st;
}

static void body_start(wc_buf *body, int rank, const uint64_t *dims)
{
    memset(body, 0, sizeof *body);
    wc_buf_put_u16(body, 3);
    wc_buf_put(body, "w.0", 3);
    wc_buf_put_u8(body, WC_DTYPE_F32);
    wc_buf_put_u8(body, (uint8_t)rank);
    for (int i = 0; i < rank; i++)
        wc_buf_put_u64(body, dims[i]);
}

static void absurd_shapes_and_counts_are_refused_with_a_reason(void)
{
    wc_error err;
    uint64_t huge[2] = {1ull << 40, 1ull << 40};
    wc_buf body;
    body_start(&body, 2, huge);
    wc_buf_put_u8(&body, WC_KIND_VERBATIM);
    CHECK(parse_hand_made(&body, 1, &err) == WC_ERR_FORMAT);
    CHECK_MSG(strstr(err.msg, "w.0") && strstr(err.msg, "elements"), "%s", err.msg);
    wc_buf_free(&body);

    uint64_t dims[2] = {1000, 1000};
    body_start(&body, 2, dims);
    wc_buf_put_u8(&body, WC_KIND_QUANTIZED);
    wc_buf_put_u16(&body, 15);
    wc_buf_put_u8(&body, 1);
    wc_buf_put_u8(&body, 0); /* 1000 groups that are not in the record */
    CHECK(parse_hand_made(&body, 1, &err) == WC_ERR_TRUNCATED);
    CHECK_MSG(strstr(err.msg, "groups"), "%s", err.msg);
    wc_buf_free(&body);

    body_start(&body, 2, dims);
    wc_buf_put_u8(&body, WC_KIND_VERBATIM);
    wc_buf_put_u64(&body, 0xFFFFFFFFFFFFull);
    CHECK(parse_hand_made(&body, 1, &err) == WC_ERR_CORRUPT);
    wc_buf_free(&body);

    uint64_t nine[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    body_start(&body, 9, nine);
    CHECK(parse_hand_made(&body, 1, &err) == WC_ERR_CORRUPT);
    CHECK_MSG(strstr(err.msg, "rank"), "%s", err.msg);
    wc_buf_free(&body);
}

static void unknown_versions_coders_and_kinds_are_refused_by_name(void)
{
    wc_error err;
    uint64_t dims[2] = {2, 2};
    wc_buf body;
    body_start(&body, 2, dims);
    wc_buf_put_u8(&body, WC_KIND_VERBATIM);
    wc_buf_put_u64(&body, 16);
    wc_buf_put(&body, "0123456789abcdef", 16);
    CHECK(parse_hand_made(&body, 1, &err) == WC_OK);
    CHECK(parse_hand_made(&body, 2, &err) == WC_ERR_UNSUPPORTED);
    CHECK_MSG(strstr(err.msg, "version 2"), "%s", err.msg);
    wc_buf_free(&body);

    body_start(&body, 2, dims);
    wc_buf_put_u8(&body, 7);
    CHECK(parse_hand_made(&body, 1, &err) == WC_ERR_UNSUPPORTED);
    CHECK_MSG(strstr(err.msg, "'w.0'") && strstr(err.msg, "kind 7"), "%s", err.msg);
    wc_buf_free(&body);

    body_start(&body, 2, dims);
    wc_buf_put_u8(&body, WC_KIND_QUANTIZED);
    wc_buf_put_u16(&body, 15);
    wc_buf_put_u8(&body, 0);
    wc_buf_put_u8(&body, 0);
    wc_buf_put_f32(&body, 0.5f);
    wc_buf_put_u16(&body, 7);
    wc_buf_put_f32(&body, 30.0f);
    wc_buf_put_u8(&body, 9); /* coder 9 */
    wc_buf_put_u32(&body, 0);
    CHECK(parse_hand_made(&body, 1, &err) == WC_ERR_UNSUPPORTED);
    CHECK_MSG(strstr(err.msg, "'w.0'") && strstr(err.msg, "coder 9"), "%s", err.msg);
    wc_buf_free(&body);
}

/* Damage under a valid CRC reaches the coders, which refuse it or decode
 * something in range; they never crash or overrun (ASan watches). */
static void payload_damage_behind_a_valid_crc_never_crashes(void)
{
    wc_container c;
    uint8_t *symbols[4];
    build_container(&c, symbols);
    int refused = 0, trials = 0;
    for (size_t i = 0; i < 4; i++) {
        wc_record *r = &c.records[i];
        if (r->kind != WC_KIND_QUANTIZED)
            continue;
        uint8_t *out = malloc(r->count);
        for (size_t w = 0; w < r->payload.n; w++)
            for (int bit = 0; bit < 32; bit += 3) {
                r->payload.w[w] ^= 1u << bit;
                wc_status st = wc_record_decode(r, out, NULL);
                r->payload.w[w] ^= 1u << bit;
                refused += st != WC_OK;
                trials++;
                if (st == WC_OK)
                    for (uint64_t k = 0; k < r->count; k++)
                        CHECK(out[k] < r->quant.bins);
            }
        free(out);
    }
    CHECK_MSG(refused > 0 && trials > 0, "no payload damage was detected in %d trials", trials);
    wc_container_free(&c);
    for (int i = 0; i < 4; i++)
        free(symbols[i]);
}

int main(void)
{
    check_suite = "container";
    RUN(round_trip_preserves_every_field_and_symbol);
    RUN(truncation_anywhere_is_refused);
    RUN(every_single_bit_flip_is_refused);
    RUN(absurd_shapes_and_counts_are_refused_with_a_reason);
    RUN(unknown_versions_coders_and_kinds_are_refused_by_name);
    RUN(payload_damage_behind_a_valid_crc_never_crashes);
    return CHECK_EXIT_STATUS();
}

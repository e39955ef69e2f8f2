/* Tests of the model readers (ONNX, safetensors, npy, npz) and the
 * safetensors writer.  Every input is built here in memory, byte by byte,
 * except the real PaddleOCR models, which are used when ../shared/models (or
 * $WC_MODELS_DIR, or cache/models) holds them. */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "common/buffer.h"
#include "common/tensor.h"
#include "io/json.h"
#include "io/model.h"
#include "io/npy.h"
#include "io/onnx.h"
#include "io/safetensors.h"

/* ---------------------------------------------------------------- helpers */

static uint32_t f32_bits(float v)
{
    uint32_t b;
    memcpy(&b, &v, 4);
    return b;
}

static int same_float(float a, float b) { return f32_bits(a) == f32_bits(b); }

static const wc_tensor *find_tensor(const wc_model *m, const char *name)
{
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->tensors[i].name, name) == 0)
            return &m->tensors[i];
    return NULL;
}

/* Checks that every proper prefix of data[0..len) is refused and leaves the
 * model empty. */
typedef wc_status (*parse_fn)(const uint8_t *, size_t, wc_model *, wc_error *);

static void check_every_prefix_fails(parse_fn parse, const uint8_t *data, size_t len)
{
    for (size_t cut = 0; cut < len; cut++) {
        /* A copy of exactly `cut` bytes, so ASan sees any read past it. */
        uint8_t *copy = malloc(cut ? cut : 1);
        CHECK(copy != NULL);
        memcpy(copy, data, cut);
        wc_model m = {0};
        wc_error err = {0};
        wc_status st = parse(copy, cut, &m, &err);
        free(copy);
        if (st == WC_OK)
            wc_model_free(&m);
        CHECK_MSG(st != WC_OK, "prefix of %zu of %zu bytes was accepted", cut, len);
        CHECK(m.count == 0 && m.tensors == NULL);
    }
}

static char temp_dir[64];

static void make_temp_dir(void)
{
    if (temp_dir[0])
        return;
    strcpy(temp_dir, "/tmp/wc-test-io-XXXXXX");
    CHECK(mkdtemp(temp_dir) != NULL);
}

/* Writes data to <temp_dir>/<name>; the path goes to `path`. */
static void write_temp_file(const char *name, const void *data, size_t len, char *path,
                            size_t path_size)
{
    make_temp_dir();
    snprintf(path, path_size, "%s/%s", temp_dir, name);
    FILE *fp = fopen(path, "wb");
    CHECK(fp != NULL);
    CHECK(fwrite(data, 1, len, fp) == len);
    CHECK(fclose(fp) == 0);
}

/* ---------------------------------------------------------- safetensors */

static const float st_f32[6] = {1.5f, -2.25f, 0.0f, 3.0e-38f, 65504.0f, -0.0f};
static const uint16_t st_f16[6] = {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x8000};
static const uint16_t st_bf16[2] = {0x3F80, 0xC2F7};
static const int8_t st_i8[3] = {-128, 0, 127};
static const uint8_t st_u8[2] = {0, 255};
static const int32_t st_i32[2] = {7, -7};
static const float st_scalar = 42.0f;

static void build_sample_safetensors(wc_buf *out, const char *const *meta, size_t n_meta)
{
    static const uint64_t d23[2] = {2, 3}, d6[1] = {6}, d2[1] = {2}, d3[1] = {3},
                          d05[2] = {0, 5};
    const wc_st_entry entries[] = {
        {"f32", "F32", 2, d23, st_f32, sizeof st_f32},
        {"f16", "F16", 1, d6, st_f16, sizeof st_f16},
        {"i32 skipped", "I32", 1, d2, st_i32, sizeof st_i32},
        {"bf16", "BF16", 1, d2, st_bf16, sizeof st_bf16},
        {"i8", "I8", 1, d3, st_i8, sizeof st_i8},
        {"u8", "U8", 1, d2, st_u8, sizeof st_u8},
        {"scalar", "F32", 0, NULL, &st_scalar, sizeof st_scalar},
        {"empty", "F32", 2, d05, NULL, 0},
    };
    wc_error err;
    CHECK_MSG(wc_safetensors_write_buf(out, entries, sizeof entries / sizeof entries[0], meta,
                                       n_meta, &err) == WC_OK, "%s", err.msg);
}

static void check_sample_model(const wc_model *m)
{
    static const char *const names[] = {"f32", "f16", "bf16", "i8", "u8", "scalar", "empty"};
    CHECK(m->count == 7);
    CHECK(m->skipped == 1);
    for (size_t i = 0; i < 7; i++)
        CHECK_MSG(strcmp(m->tensors[i].name, names[i]) == 0, "tensor %zu is '%s'", i,
                  m->tensors[i].name);
    const wc_tensor *t = &m->tensors[0];
    CHECK(t->dtype == WC_DTYPE_F32 && t->rank == 2 && t->dims[0] == 2 && t->dims[1] == 3);
    CHECK(t->count == 6 && t->channel_axis == 0 && t->bytes == NULL);
    for (int i = 0; i < 6; i++)
        CHECK_MSG(same_float(t->values[i], st_f32[i]), "f32[%d] = %g", i, t->values[i]);
    t = &m->tensors[1];
    const float f16_want[6] = {1.0f, -2.0f, 65504.0f, 5.9604644775390625e-08f, INFINITY, -0.0f};
    CHECK(t->dtype == WC_DTYPE_F16 && t->count == 6);
    for (int i = 0; i < 6; i++)
        CHECK_MSG(same_float(t->values[i], f16_want[i]), "f16[%d] = %g", i, t->values[i]);
    t = &m->tensors[2];
    CHECK(t->dtype == WC_DTYPE_BF16 && t->values[0] == 1.0f && t->values[1] == -123.5f);
    t = &m->tensors[3];
    CHECK(t->dtype == WC_DTYPE_I8 && t->values == NULL && t->count == 3);
    CHECK(memcmp(t->bytes, st_i8, 3) == 0);
    t = &m->tensors[4];
    CHECK(t->dtype == WC_DTYPE_U8 && memcmp(t->bytes, st_u8, 2) == 0);
    t = &m->tensors[5];
    CHECK(t->rank == 0 && t->count == 1 && t->values[0] == 42.0f);
    t = &m->tensors[6];
    CHECK(t->rank == 2 && t->dims[0] == 0 && t->dims[1] == 5 && t->count == 0);
}

static void safetensors_round_trip_every_dtype(void)
{
    wc_buf file = {0};
    build_sample_safetensors(&file, NULL, 0);
    wc_model m = {0};
    wc_error err;
    CHECK_MSG(wc_safetensors_parse(file.data, file.len, &m, &err) == WC_OK, "%s", err.msg);
    check_sample_model(&m);
    wc_model_free(&m);
    wc_buf_free(&file);
}

static void safetensors_writer_aligns_data_to_8_bytes(void)
{
    wc_buf file = {0};
    build_sample_safetensors(&file, NULL, 0);
    uint64_t header_len = wc_load_le32(file.data) | (uint64_t)wc_load_le32(file.data + 4) << 32;
    CHECK((8 + header_len) % 8 == 0);
    CHECK(file.data[8] == '{');
    size_t end = 8 + (size_t)header_len;
    while (file.data[end - 1] == ' ')
        end--;
    CHECK(file.data[end - 1] == '}' && 8 + header_len - end < 8);
    /* The data section holds the entries back to back, in entry order. */
    size_t data_len = sizeof st_f32 + sizeof st_f16 + sizeof st_i32 + sizeof st_bf16 +
                      sizeof st_i8 + sizeof st_u8 + sizeof st_scalar;
    CHECK(file.len == 8 + header_len + data_len);
    CHECK(memcmp(file.data + 8 + header_len, st_f32, sizeof st_f32) == 0);
    wc_buf_free(&file);
}

static void safetensors_metadata_round_trip(void)
{
    const char *meta[] = {"format", "pt", "tricky \"key\"\\", "line\nbreak \x01 caf\xc3\xa9 \xf0\x9f\x98\x80"};
    wc_buf file = {0};
    build_sample_safetensors(&file, meta, 2);
    char *value;
    wc_error err;
    CHECK_MSG(wc_safetensors_metadata(file.data, file.len, "format", &value, &err) == WC_OK, "%s",
              err.msg);
    CHECK(value && strcmp(value, "pt") == 0);
    free(value);
    CHECK(wc_safetensors_metadata(file.data, file.len, meta[2], &value, &err) == WC_OK);
    CHECK(value && strcmp(value, meta[3]) == 0);
    free(value);
    CHECK(wc_safetensors_metadata(file.data, file.len, "absent", &value, &err) == WC_OK);
    CHECK(value == NULL);
    wc_model m = {0};
    CHECK(wc_safetensors_parse(file.data, file.len, &m, &err) == WC_OK);
    check_sample_model(&m);
    wc_model_free(&m);
    wc_buf_free(&file);
}

static void safetensors_names_are_escaped_and_decoded(void)
{
    static const float v = 1.0f;
    const char *name = "q\"uote\\back\tslash/\xe2\x82\xac";
    const wc_st_entry entry = {name, "F32", 0, NULL, &v, 4};
    wc_buf file = {0};
    wc_error err;
    CHECK(wc_safetensors_write_buf(&file, &entry, 1, NULL, 0, &err) == WC_OK);
    wc_model m = {0};
    CHECK_MSG(wc_safetensors_parse(file.data, file.len, &m, &err) == WC_OK, "%s", err.msg);
    CHECK(m.count == 1 && strcmp(m.tensors[0].name, name) == 0);
    wc_model_free(&m);
    wc_buf_free(&file);
}

static void safetensors_file_write_then_load(void)
{
    static const uint64_t dims[1] = {3};
    static const float v[3] = {1, 2, 3};
    const wc_st_entry entry = {"w", "F32", 1, dims, v, sizeof v};
    char path[128];
    make_temp_dir();
    snprintf(path, sizeof path, "%s/out.safetensors", temp_dir);
    wc_error err;
    CHECK_MSG(wc_safetensors_write(path, &entry, 1, NULL, 0, &err) == WC_OK, "%s", err.msg);
    wc_model m = {0};
    CHECK_MSG(wc_model_load(path, &m, &err) == WC_OK, "%s", err.msg);
    CHECK(m.count == 1 && m.tensors[0].count == 3 && m.tensors[0].values[2] == 3.0f);
    wc_model_free(&m);
    remove(path);
}

static void safetensors_writer_rejects_bad_entries(void)
{
    static const uint64_t d2[1] = {2}, d9[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    static const float v[2] = {1, 2};
    const wc_st_entry cases[][2] = {
        {{"a", "F32", 1, d2, v, 4}, {"b", "F32", 1, d2, v, 8}},          /* nbytes */
        {{"a", "F32", 1, d2, v, 8}, {"a", "F32", 1, d2, v, 8}},          /* duplicate */
        {{"a", "F64", 1, d2, v, 8}, {"b", "F32", 1, d2, v, 8}},          /* dtype */
        {{"a", "F32", 9, d9, v, 4}, {"b", "F32", 1, d2, v, 8}},          /* rank */
        {{"a\xff", "F32", 1, d2, v, 8}, {"b", "F32", 1, d2, v, 8}},      /* UTF-8 */
        {{"__metadata__", "F32", 1, d2, v, 8}, {"b", "F32", 1, d2, v, 8}}, /* reserved */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wc_buf out = {0};
        wc_error err;
        CHECK_MSG(wc_safetensors_write_buf(&out, cases[i], 2, NULL, 0, &err) == WC_ERR_ARG,
                  "case %zu accepted", i);
        CHECK_MSG(out.len == 0, "case %zu wrote %zu bytes", i, out.len);
        wc_buf_free(&out);
    }
}

/* A safetensors file made of `json` (padded to 8) and `data_len` zero bytes. */
static void build_raw_safetensors(wc_buf *out, const char *json, size_t data_len)
{
    size_t n = strlen(json);
    size_t padded = (n + 7) / 8 * 8;
    wc_buf_put_u64(out, padded);
    wc_buf_put(out, json, n);
    for (size_t i = n; i < padded; i++)
        wc_buf_put_u8(out, ' ');
    for (size_t i = 0; i < data_len; i++)
        wc_buf_put_u8(out, 0);
}

static wc_status parse_raw_safetensors(const char *json, size_t data_len, wc_model *m,
                                       wc_error *err)
{
    wc_buf file = {0};
    build_raw_safetensors(&file, json, data_len);
    wc_status st = wc_safetensors_parse(file.data, file.len, m, err);
    wc_buf_free(&file);
    return st;
}

static void expect_safetensors_error(const char *json, size_t data_len, wc_status want,
                                     const char *needle)
{
    wc_model m = {0};
    wc_error err = {0};
    wc_status st = parse_raw_safetensors(json, data_len, &m, &err);
    if (st == WC_OK)
        wc_model_free(&m);
    CHECK_MSG(st == want, "%s: got %s (%s)", json, wc_status_name(st), err.msg);
    CHECK_MSG(strstr(err.msg, needle) != NULL, "%s: message '%s' lacks '%s'", json, err.msg,
              needle);
    CHECK(m.count == 0);
}

static void safetensors_rejects_bad_offsets_and_counts(void)
{
    expect_safetensors_error("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,100]}}",
                             8, WC_ERR_FORMAT, "outside");
    expect_safetensors_error("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,4]}}",
                             8, WC_ERR_FORMAT, "outside");
    expect_safetensors_error("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                             8, WC_ERR_FORMAT, "needs 12");
    expect_safetensors_error("{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,9]}}",
                             8, WC_ERR_FORMAT, "outside");
    expect_safetensors_error(
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1,2,3,4,5,6,7,8,9],\"data_offsets\":[0,8]}}", 8,
        WC_ERR_FORMAT, "rank 9");
}

static void safetensors_rejects_absurd_shapes_before_allocating(void)
{
    /* 10^12 elements claimed in an 8-byte data section: refused, and under
     * ASan a 4 TB allocation attempt would abort the test. */
    expect_safetensors_error(
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],\"data_offsets\":[0,8]}}", 8,
        WC_ERR_FORMAT, "needs");
    expect_safetensors_error("{\"w\":{\"dtype\":\"U8\",\"shape\":[4294967296,4294967296,"
                             "4294967296],\"data_offsets\":[0,8]}}",
                             8, WC_ERR_FORMAT, "more than");
    expect_safetensors_error(
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[18446744073709551616],\"data_offsets\":[0,8]}}", 8,
        WC_ERR_FORMAT, "64 bits");
}

static void safetensors_rejects_bad_json(void)
{
    static const struct {
        const char *json;
        const char *needle;
    } cases[] = {
        {"{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},}", "expected a string"},
        {"{\"w\":{\"dtype\":\"F32\",\"shape\":[01],\"data_offsets\":[0,4]}}", "leading zero"},
        {"{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "non-negative"},
        {"{\"w\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}", "without fraction"},
        {"{\"w\\x\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", "valid escape"},
        {"{\"w\\ud800\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", "surrogate"},
        {"{\"w\\udc00\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", "surrogate"},
        {"{\"w\x01\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", "control"},
        {"{\"w\xff\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", "UTF-8"},
        {"{\"w\xc0\xaf\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", "UTF-8"},
        {"{\"w\":{\"shape\":[],\"data_offsets\":[0,4]}}", "missing \"dtype\""},
        {"{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}",
         "duplicate"},
        {"{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4,4]}}", "not 2"},
        {"{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}} x", "end of the JSON"},
        {"{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],\"x\":tru}}", "a value"},
        {"{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],\"x\":1.}}", "digit"},
        {"{\"__metadata__\":{\"k\":1}}", "a string"},
        {"[]", "an object"},
        {"{\"w\" {}}", "':'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_safetensors_error(cases[i].json, 8, WC_ERR_FORMAT, cases[i].needle);
}

static void safetensors_accepts_unicode_unknown_keys_and_padding(void)
{
    wc_model m = {0};
    wc_error err;
    CHECK_MSG(parse_raw_safetensors(
                  " { \"\\ud83d\\ude00\\u00e9\\n\" : { \"extra\" : [ { \"a\" : -0.5e+3 } , null ,"
                  " true , false , \"s\" ] , \"data_offsets\" : [ 0 , 4 ] , \"shape\" : [ ] ,"
                  " \"dtype\" : \"F32\" } , \"other\" : {\"dtype\":\"F8_E4M3\",\"shape\":[4],"
                  "\"data_offsets\":[4,8]} }\n\t\r",
                  8, &m, &err) == WC_OK,
              "%s", err.msg);
    CHECK(m.count == 1 && m.skipped == 1);
    CHECK(strcmp(m.tensors[0].name, "\xf0\x9f\x98\x80\xc3\xa9\n") == 0);
    CHECK(m.tensors[0].rank == 0 && m.tensors[0].values[0] == 0.0f);
    wc_model_free(&m);
}

static void safetensors_rejects_deep_nesting(void)
{
    enum { DEPTH = 1000 };
    char json[2 * DEPTH + 128];
    size_t n = (size_t)sprintf(json, "{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"x\":");
    for (int i = 0; i < DEPTH; i++)
        json[n++] = '[';
    for (int i = 0; i < DEPTH; i++)
        json[n++] = ']';
    strcpy(json + n, ",\"data_offsets\":[0,4]}}");
    expect_safetensors_error(json, 8, WC_ERR_FORMAT, "nesting deeper than 64");
}

static void json_nesting_up_to_the_limit_is_accepted(void)
{
    char text[2 * WC_JSON_MAX_DEPTH + 1];
    for (int i = 0; i < WC_JSON_MAX_DEPTH; i++) {
        text[i] = '[';
        text[2 * WC_JSON_MAX_DEPTH - 1 - i] = ']';
    }
    wc_json j;
    wc_json_init(&j, text, 2 * WC_JSON_MAX_DEPTH);
    wc_error err;
    CHECK_MSG(wc_json_skip(&j, &err) == WC_OK, "%s", err.msg);
    CHECK(wc_json_end(&j, &err) == WC_OK && j.depth == 0);
    wc_json_free(&j);
    wc_json_init(&j, "[[[]]]", 5);
    CHECK(wc_json_skip(&j, &err) == WC_ERR_FORMAT);
    wc_json_free(&j);
}

static void safetensors_rejects_every_truncation(void)
{
    wc_buf file = {0};
    build_sample_safetensors(&file, NULL, 0);
    check_every_prefix_fails(wc_safetensors_parse, file.data, file.len);
    wc_model m = {0};
    wc_error err;
    CHECK(wc_safetensors_parse(file.data, 7, &m, &err) == WC_ERR_TRUNCATED);
    CHECK(wc_safetensors_parse(file.data, 20, &m, &err) == WC_ERR_TRUNCATED);
    CHECK(wc_safetensors_parse(file.data, file.len - 1, &m, &err) == WC_ERR_FORMAT);
    CHECK(strstr(err.msg, "outside") != NULL);
    wc_buf_free(&file);
}

/* ----------------------------------------------------------------- ONNX */

enum { WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_BYTES = 2, WIRE_FIXED32 = 5 };
enum { T_FLOAT = 1, T_UINT8 = 2, T_INT8 = 3, T_INT64 = 7, T_FLOAT16 = 10, T_BFLOAT16 = 16 };

static void pb_varint(wc_buf *b, uint64_t v)
{
    while (v >= 0x80) {
        wc_buf_put_u8(b, (uint8_t)(v | 0x80));
        v >>= 7;
    }
    wc_buf_put_u8(b, (uint8_t)v);
}

static void pb_key(wc_buf *b, unsigned field, unsigned wire) { pb_varint(b, field << 3 | wire); }

static void pb_uint(wc_buf *b, unsigned field, uint64_t v)
{
    pb_key(b, field, WIRE_VARINT);
    pb_varint(b, v);
}

static void pb_bytes(wc_buf *b, unsigned field, const void *p, size_t n)
{
    pb_key(b, field, WIRE_BYTES);
    pb_varint(b, n);
    wc_buf_put(b, p, n);
}

static void pb_str(wc_buf *b, unsigned field, const char *s) { pb_bytes(b, field, s, strlen(s)); }

/* Moves `msg` into `b` as field `field`. */
static void pb_msg(wc_buf *b, unsigned field, wc_buf *msg)
{
    pb_bytes(b, field, msg->data, msg->len);
    wc_buf_free(msg);
}

/* Fields no reader knows, one of each wire type. */
static void pb_unknowns(wc_buf *b)
{
    pb_uint(b, 1000, 123456789);
    pb_key(b, 1001, WIRE_FIXED64);
    wc_buf_put_u64(b, 0x0123456789ABCDEFull);
    pb_str(b, 1002, "ignored");
    pb_key(b, 1003, WIRE_FIXED32);
    wc_buf_put_u32(b, 0xDEADBEEFu);
}

static void tensor_header(wc_buf *t, const char *name, int data_type, int rank,
                          const int64_t *dims)
{
    pb_unknowns(t);
    for (int i = 0; i < rank; i++)
        pb_uint(t, 1, (uint64_t)dims[i]);
    pb_uint(t, 2, (uint64_t)data_type);
    if (name)
        pb_str(t, 8, name);
}

static void tensor_raw(wc_buf *t, const char *name, int data_type, int rank, const int64_t *dims,
                       const void *raw, size_t n)
{
    tensor_header(t, name, data_type, rank, dims);
    pb_bytes(t, 9, raw, n);
}

typedef struct {
    const char *op;
    const char *in1;        /* second input, or NULL */
    const char *out;        /* first output, or NULL */
    wc_buf *value;          /* Constant's value tensor (consumed), or NULL */
    int trans_b;            /* -1: no transB attribute */
} node_spec;

static void add_node(wc_buf *graph, const node_spec *s)
{
    wc_buf node = {0};
    pb_unknowns(&node);
    pb_str(&node, 1, "x");
    if (s->in1)
        pb_str(&node, 1, s->in1);
    if (s->out)
        pb_str(&node, 2, s->out);
    pb_str(&node, 3, "node");
    pb_str(&node, 4, s->op);
    if (s->value) {
        wc_buf attr = {0};
        pb_str(&attr, 1, "value");
        pb_unknowns(&attr);
        pb_uint(&attr, 20, 4);
        pb_msg(&attr, 5, s->value);
        pb_msg(&node, 5, &attr);
    }
    if (s->trans_b >= 0) {
        wc_buf attr = {0};
        pb_str(&attr, 1, "transB");
        pb_uint(&attr, 3, (uint64_t)s->trans_b);
        pb_uint(&attr, 20, 2);
        pb_msg(&node, 5, &attr);
    }
    pb_msg(graph, 1, &node);
}

static void add_initializer(wc_buf *graph, wc_buf *tensor) { pb_msg(graph, 5, tensor); }

/* Wraps a graph into a ModelProto, graph last so that no prefix is valid. */
static void finish_model(wc_buf *model, wc_buf *graph)
{
    pb_uint(model, 1, 8);
    pb_unknowns(model);
    pb_msg(model, 7, graph);
}

static void put_f32s(wc_buf *b, const float *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        wc_buf_put_f32(b, v[i]);
}

/* A model exercising every storage form and every channel-axis rule. */
static void build_sample_onnx(wc_buf *model)
{
    wc_buf graph = {0}, t = {0}, raw = {0};
    static const float w[6] = {1, 2, 3, 4, 5, 6};
    static const int64_t d23[2] = {2, 3}, d3[1] = {3}, d2[1] = {2}, d2x2x2[3] = {2, 2, 2},
                         d4[4] = {2, 1, 1, 1};

    /* The MatMul comes before the initializer it reads. */
    add_node(&graph, &(node_spec){"MatMul", "W", "y1", NULL, -1});
    put_f32s(&raw, w, 6);
    tensor_raw(&t, "W", T_FLOAT, 2, d23, raw.data, raw.len);
    wc_buf_free(&raw);
    add_initializer(&graph, &t);

    /* FLOAT16 in packed int32_data, as a Constant feeding a Conv. */
    tensor_header(&t, "ignored name", T_FLOAT16, 1, d3);
    wc_buf packed = {0};
    pb_varint(&packed, 0x3C00);
    pb_varint(&packed, 0xC000);
    pb_varint(&packed, 0x7BFF);
    pb_msg(&t, 5, &packed);
    add_node(&graph, &(node_spec){"Constant", NULL, "K", &t, -1});
    add_node(&graph, &(node_spec){"Conv", "K", "y2", NULL, -1});

    /* BFLOAT16 in unpacked int32_data, read by ConvTranspose. */
    tensor_header(&t, "KT", T_BFLOAT16, 1, d2);
    pb_uint(&t, 5, 0x3F80);
    pb_uint(&t, 5, 0xC2F7);
    add_initializer(&graph, &t);
    add_node(&graph, &(node_spec){"ConvTranspose", "KT", "y3", NULL, -1});

    /* INT8 in int32_data (negatives are 10-byte varints); Gemm transB=1. */
    tensor_header(&t, "G1", T_INT8, 1, d3);
    pb_uint(&t, 5, (uint64_t)(int64_t)-128);
    pb_uint(&t, 5, 0);
    pb_uint(&t, 5, 127);
    add_initializer(&graph, &t);
    add_node(&graph, &(node_spec){"Gemm", "G1", "y4", NULL, 1});

    /* UINT8 raw; Gemm without transB. */
    tensor_raw(&t, "G2", T_UINT8, 1, d2, "\x00\xff", 2);
    add_initializer(&graph, &t);
    add_node(&graph, &(node_spec){"Gemm", "G2", "y5", NULL, -1});

    /* FLOAT in packed float_data, read by Conv and MatMul: conflicting axes. */
    tensor_header(&t, "Q", T_FLOAT, 2, d23);
    put_f32s(&raw, w, 6);
    pb_msg(&t, 4, &raw);
    add_initializer(&graph, &t);
    add_node(&graph, &(node_spec){"Conv", "Q", "y6", NULL, -1});
    add_node(&graph, &(node_spec){"MatMul", "Q", "y7", NULL, -1});

    /* FLOAT in unpacked float_data, rank 3, read by MatMul: axis stays 0. */
    tensor_header(&t, "M3", T_FLOAT, 3, d2x2x2);
    for (int i = 0; i < 8; i++) {
        pb_key(&t, 4, WIRE_FIXED32);
        wc_buf_put_f32(&t, (float)i / 4);
    }
    add_initializer(&graph, &t);
    add_node(&graph, &(node_spec){"MatMul", "M3", "y8", NULL, -1});

    /* Skipped: an INT64 shape constant and a Constant with value_ints. */
    int64_t shape_values[1] = {5};
    tensor_raw(&t, NULL, T_INT64, 1, d2, shape_values, 8);
    add_node(&graph, &(node_spec){"Constant", NULL, "shape", &t, -1});
    wc_buf node = {0}, attr = {0};
    pb_str(&node, 2, "ints");
    pb_str(&node, 4, "Constant");
    pb_str(&attr, 1, "value_ints");
    pb_uint(&attr, 8, 3);
    pb_msg(&node, 5, &attr);
    pb_msg(&graph, 1, &node);

    /* A zero-element FLOAT constant with no data at all, and a BF16 rank-4
     * tensor in raw_data. */
    static const int64_t d0[1] = {0};
    tensor_header(&t, NULL, T_FLOAT, 1, d0);
    add_node(&graph, &(node_spec){"Constant", NULL, "empty", &t, -1});
    tensor_raw(&t, "B4", T_BFLOAT16, 4, d4, "\x80\x3f\x00\xc0", 4);
    add_initializer(&graph, &t);

    pb_unknowns(&graph);
    finish_model(model, &graph);
}

static void onnx_reads_every_storage_form(void)
{
    wc_buf file = {0};
    build_sample_onnx(&file);
    wc_model m = {0};
    wc_error err;
    CHECK_MSG(wc_onnx_parse(file.data, file.len, &m, &err) == WC_OK, "%s", err.msg);
    static const char *const names[] = {"W", "K", "KT", "G1", "G2", "Q", "M3", "empty", "B4"};
    CHECK_MSG(m.count == 9, "%zu tensors", m.count);
    CHECK(m.skipped == 2);
    for (size_t i = 0; i < 9; i++)
        CHECK_MSG(strcmp(m.tensors[i].name, names[i]) == 0, "tensor %zu is '%s'", i,
                  m.tensors[i].name);
    const wc_tensor *t = &m.tensors[0];
    CHECK(t->dtype == WC_DTYPE_F32 && t->rank == 2 && t->dims[0] == 2 && t->dims[1] == 3);
    CHECK(t->values[0] == 1.0f && t->values[5] == 6.0f);
    t = &m.tensors[1];
    CHECK(t->dtype == WC_DTYPE_F16 && t->count == 3);
    CHECK(t->values[0] == 1.0f && t->values[1] == -2.0f && t->values[2] == 65504.0f);
    t = &m.tensors[2];
    CHECK(t->dtype == WC_DTYPE_BF16 && t->values[0] == 1.0f && t->values[1] == -123.5f);
    t = &m.tensors[3];
    CHECK(t->dtype == WC_DTYPE_I8 && (int8_t)t->bytes[0] == -128 && t->bytes[1] == 0 &&
          t->bytes[2] == 127);
    t = &m.tensors[4];
    CHECK(t->dtype == WC_DTYPE_U8 && t->bytes[0] == 0 && t->bytes[1] == 255);
    t = &m.tensors[5];
    CHECK(t->dtype == WC_DTYPE_F32 && t->count == 6 && t->values[3] == 4.0f);
    t = &m.tensors[6];
    CHECK(t->rank == 3 && t->count == 8 && t->values[7] == 1.75f);
    t = &m.tensors[7];
    CHECK(t->rank == 1 && t->dims[0] == 0 && t->count == 0);
    t = &m.tensors[8];
    CHECK(t->rank == 4 && t->count == 2 && t->values[0] == 1.0f && t->values[1] == -2.0f);
    wc_model_free(&m);
    wc_buf_free(&file);
}

static void onnx_channel_axis_follows_consumers(void)
{
    wc_buf file = {0};
    build_sample_onnx(&file);
    wc_model m = {0};
    wc_error err;
    CHECK_MSG(wc_onnx_parse(file.data, file.len, &m, &err) == WC_OK, "%s", err.msg);
    static const struct {
        const char *name;
        int axis;
    } want[] = {{"W", 1},  {"K", 0},  {"KT", 1},    {"G1", 0}, {"G2", 1},
                {"Q", 0},  {"M3", 0}, {"empty", 0}, {"B4", 0}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const wc_tensor *t = find_tensor(&m, want[i].name);
        CHECK(t != NULL);
        CHECK_MSG(t->channel_axis == want[i].axis, "%s: axis %d, want %d", want[i].name,
                  t->channel_axis, want[i].axis);
    }
    wc_model_free(&m);
    wc_buf_free(&file);
}

static void onnx_rejects_every_truncation(void)
{
    wc_buf file = {0};
    build_sample_onnx(&file);
    check_every_prefix_fails(wc_onnx_parse, file.data, file.len);
    wc_buf_free(&file);
}

/* A one-initializer model around a tensor built by the caller. */
static wc_status parse_one_tensor_model(wc_buf *tensor, wc_model *m, wc_error *err)
{
    wc_buf graph = {0}, model = {0};
    add_initializer(&graph, tensor);
    finish_model(&model, &graph);
    wc_status st = wc_onnx_parse(model.data, model.len, m, err);
    wc_buf_free(&model);
    return st;
}

static void expect_onnx_tensor_error(wc_buf *tensor, wc_status want, const char *needle)
{
    wc_model m = {0};
    wc_error err = {0};
    wc_status st = parse_one_tensor_model(tensor, &m, &err);
    if (st == WC_OK)
        wc_model_free(&m);
    CHECK_MSG(st == want, "got %s (%s), want %s", wc_status_name(st), err.msg,
              wc_status_name(want));
    CHECK_MSG(strstr(err.msg, needle) != NULL, "message '%s' lacks '%s'", err.msg, needle);
}

static void onnx_rejects_external_data(void)
{
    static const int64_t d2[1] = {2};
    wc_buf t = {0};
    tensor_header(&t, "outside_weights", T_FLOAT, 1, d2);
    wc_buf entry = {0};
    pb_str(&entry, 1, "location");
    pb_str(&entry, 2, "weights.bin");
    pb_msg(&t, 13, &entry);
    pb_uint(&t, 14, 1);
    expect_onnx_tensor_error(&t, WC_ERR_UNSUPPORTED, "outside_weights");
}

static void onnx_rejects_data_that_does_not_match_the_shape(void)
{
    static const int64_t d3[1] = {3}, neg[2] = {2, -1}, huge[2] = {1000000, 1000000},
                         d9[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    wc_buf t = {0};
    tensor_raw(&t, "short_raw", T_FLOAT, 1, d3, "12345678", 8);
    expect_onnx_tensor_error(&t, WC_ERR_FORMAT, "short_raw");
    tensor_header(&t, "few_floats", T_FLOAT, 1, d3);
    pb_key(&t, 4, WIRE_FIXED32);
    wc_buf_put_f32(&t, 1.0f);
    expect_onnx_tensor_error(&t, WC_ERR_FORMAT, "1 float_data values for 3");
    tensor_raw(&t, "negative", T_FLOAT, 2, neg, "", 0);
    expect_onnx_tensor_error(&t, WC_ERR_FORMAT, "negative dimension");
    tensor_raw(&t, "rank9", T_FLOAT, 9, d9, "1234", 4);
    expect_onnx_tensor_error(&t, WC_ERR_FORMAT, "rank 9");
    /* 10^12 claimed elements, 4 bytes present: refused before allocating. */
    tensor_raw(&t, "huge", T_FLOAT, 2, huge, "1234", 4);
    expect_onnx_tensor_error(&t, WC_ERR_FORMAT, "huge");
    tensor_header(&t, "big_int8", T_INT8, 1, d3);
    pb_uint(&t, 5, 1);
    pb_uint(&t, 5, 200);
    pb_uint(&t, 5, 2);
    expect_onnx_tensor_error(&t, WC_ERR_FORMAT, "out of range");
    tensor_header(&t, "odd_packed", T_FLOAT, 1, d3);
    pb_bytes(&t, 4, "12345", 5);
    expect_onnx_tensor_error(&t, WC_ERR_CORRUPT, "multiple of 4");
    tensor_header(&t, "wrong_wire", T_FLOAT, 1, d3);
    pb_uint(&t, 8, 5);
    expect_onnx_tensor_error(&t, WC_ERR_FORMAT, "wire type");
}

static void onnx_rejects_groups_and_invalid_wire_types(void)
{
    for (unsigned wire = 3; wire <= 7; wire++) {
        if (wire == WIRE_FIXED32)
            continue;
        wc_buf file = {0};
        pb_uint(&file, 1, 8);
        pb_key(&file, 50, wire);
        wc_buf_put_u64(&file, 0);
        wc_model m = {0};
        wc_error err;
        CHECK(wc_onnx_parse(file.data, file.len, &m, &err) == WC_ERR_CORRUPT);
        CHECK_MSG(strstr(err.msg, "wire type") != NULL, "%s", err.msg);
        wc_buf_free(&file);
    }
}

static void onnx_rejects_bad_varints_and_field_numbers(void)
{
    static const uint8_t eleven_bytes[] = {0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                           0x80, 0x80, 0x80, 0x80, 0x01};
    static const uint8_t over_64_bits[] = {0x08, 0x80, 0x80, 0x80, 0x80, 0x80,
                                           0x80, 0x80, 0x80, 0x80, 0x02};
    static const uint8_t field_zero[] = {0x00, 0x01};
    static const uint8_t long_length[] = {0x3A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00};
    wc_model m = {0};
    wc_error err;
    CHECK(wc_onnx_parse(eleven_bytes, sizeof eleven_bytes, &m, &err) == WC_ERR_CORRUPT);
    CHECK(wc_onnx_parse(over_64_bits, sizeof over_64_bits, &m, &err) == WC_ERR_CORRUPT);
    CHECK(wc_onnx_parse(field_zero, sizeof field_zero, &m, &err) == WC_ERR_CORRUPT);
    CHECK(wc_onnx_parse(long_length, sizeof long_length, &m, &err) == WC_ERR_TRUNCATED);
    CHECK(wc_onnx_parse((const uint8_t *)"\x08\x08", 2, &m, &err) == WC_ERR_FORMAT);
    CHECK(strstr(err.msg, "no graph") != NULL);
    CHECK(m.count == 0);
}

/* The PaddleOCR models: totals from ../shared/README.md, shapes and values
 * checked independently with the Python onnx package. */
static const char *models_dir(void)
{
    static const char *const candidates[] = {"../shared/models", "cache/models"};
    const char *env = getenv("WC_MODELS_DIR");
    if (env && *env)
        return env;
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        char probe[256];
        snprintf(probe, sizeof probe, "%s/ch_PP-OCRv4_rec_infer.onnx", candidates[i]);
        if (access(probe, R_OK) == 0)
            return candidates[i];
    }
    return NULL;
}

typedef struct {
    const char *file;
    size_t tensors, skipped;
    uint64_t params;
    double sum;                  /* of all float parameters, in float64 */
    const char *name;            /* a tensor to look at */
    int rank;
    uint64_t dims[4];
    int axis;
    float first, last;
} real_model;

static void check_real_model(const char *dir, const real_model *want)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, want->file);
    wc_model m = {0};
    wc_error err;
    CHECK_MSG(wc_model_load(path, &m, &err) == WC_OK, "%s", err.msg);
    uint64_t params = 0;
    double sum = 0;
    for (size_t i = 0; i < m.count; i++) {
        CHECK(m.tensors[i].dtype == WC_DTYPE_F32);
        params += m.tensors[i].count;
        for (uint64_t k = 0; k < m.tensors[i].count; k++)
            sum += m.tensors[i].values[k];
    }
    CHECK_MSG(m.count == want->tensors && m.skipped == want->skipped,
              "%s: %zu tensors, %zu skipped", want->file, m.count, m.skipped);
    CHECK_MSG(params == want->params, "%s: %llu parameters", want->file,
              (unsigned long long)params);
    CHECK_MSG(fabs(sum - want->sum) <= 1e-9 * fabs(want->sum), "%s: sum %.10g", want->file, sum);
    const wc_tensor *t = find_tensor(&m, want->name);
    CHECK(t != NULL && t->rank == want->rank && t->channel_axis == want->axis);
    for (int d = 0; d < t->rank; d++)
        CHECK(t->dims[d] == want->dims[d]);
    CHECK(same_float(t->values[0], want->first) && same_float(t->values[t->count - 1], want->last));
    wc_model_free(&m);
}

static void onnx_loads_the_real_models(void)
{
    static const real_model models[] = {
        {"ch_PP-OCRv4_det_infer.onnx", 342, 0, 1171841, 867822619.6147933,
         "conv2d_transpose_0.w_0", 4, {24, 24, 2, 2}, 1, -0.3615166f, 0.30319154f},
        {"ch_PP-OCRv4_rec_infer.onnx", 309, 16, 2690296, 16225.6431385315, "linear_85.w_0", 2,
         {120, 6625}, 1, 0.059256148f, -0.03344086f},
        {"ch_ppocr_mobile_v2.0_cls_infer.onnx", 249, 1, 133664, 8297.357471160507, "fc_0.w_0",
         2, {200, 2}, 1, 0.07701105f, -0.16783907f},
    };
    const char *dir = models_dir();
    if (!dir) {
        printf("# skipped: PaddleOCR models not found (../shared/models, cache/models)\n");
        return;
    }
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        check_real_model(dir, &models[i]);
}

/* ------------------------------------------------------------------ npy */

/* An npy file: header dict `dict` padded with spaces and '\n' so the data
 * starts at a multiple of 64, as NumPy writes it. */
static void build_npy(wc_buf *out, int major, const char *dict, const void *data, size_t n)
{
    size_t len_size = major == 1 ? 2 : 4;
    size_t header = strlen(dict) + 1;
    size_t total = (10 + len_size - 2 + header + 63) / 64 * 64;
    size_t pad = total - (10 + len_size - 2 + header);
    wc_buf_put(out, "\x93NUMPY", 6);
    wc_buf_put_u8(out, (uint8_t)major);
    wc_buf_put_u8(out, 0);
    if (major == 1)
        wc_buf_put_u16(out, (uint16_t)(header + pad));
    else
        wc_buf_put_u32(out, (uint32_t)(header + pad));
    wc_buf_put(out, dict, strlen(dict));
    for (size_t i = 0; i < pad; i++)
        wc_buf_put_u8(out, ' ');
    wc_buf_put_u8(out, '\n');
    wc_buf_put(out, data, n);
}

static wc_status parse_npy(int major, const char *dict, const void *data, size_t n, wc_model *m,
                           wc_error *err)
{
    wc_buf file = {0};
    build_npy(&file, major, dict, data, n);
    wc_status st = wc_npy_parse(file.data, file.len, "arr", m, err);
    wc_buf_free(&file);
    return st;
}

static void npy_loads_each_dtype_and_byte_order(void)
{
    static const uint8_t f4_le[8] = {0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x10, 0xC0};
    static const uint8_t f4_be[8] = {0x3F, 0xC0, 0x00, 0x00, 0xC0, 0x10, 0x00, 0x00};
    static const uint8_t f2_le[4] = {0x00, 0x3C, 0x01, 0x00};
    static const uint8_t f2_be[4] = {0x3C, 0x00, 0x00, 0x01};
    static const uint8_t i1[3] = {0x80, 0x00, 0x7F};
    wc_model m = {0};
    wc_error err;
    CHECK_MSG(parse_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", f4_le, 8,
                        &m, &err) == WC_OK, "%s", err.msg);
    CHECK_MSG(parse_npy(2, "{\"shape\":(1,2),\"descr\":\">f4\",\"fortran_order\":False}", f4_be,
                        8, &m, &err) == WC_OK, "%s", err.msg);
    CHECK_MSG(parse_npy(3, "{ 'descr' : '<f2' , 'fortran_order' : False , 'shape' : ( 2 , ) }",
                        f2_le, 4, &m, &err) == WC_OK, "%s", err.msg);
    CHECK(parse_npy(1, "{'descr': '>f2', 'fortran_order': False, 'shape': (2L,), }", f2_be, 4, &m,
                    &err) == WC_OK);
    CHECK(parse_npy(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }", i1, 3, &m,
                    &err) == WC_OK);
    CHECK(parse_npy(1, "{'descr': '|u1', 'fortran_order': True, 'shape': (3,), }", i1, 3, &m,
                    &err) == WC_OK);
    CHECK(parse_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", f4_le + 4, 4,
                    &m, &err) == WC_OK);
    CHECK(parse_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", NULL, 0,
                    &m, &err) == WC_OK);
    CHECK(m.count == 8 && m.skipped == 0);
    for (size_t i = 0; i < 2; i++) {
        const wc_tensor *t = &m.tensors[i];
        CHECK(t->dtype == WC_DTYPE_F32 && t->count == 2 && strcmp(t->name, "arr") == 0);
        CHECK_MSG(t->values[0] == 1.5f && t->values[1] == -2.25f, "tensor %zu: %g %g", i,
                  t->values[0], t->values[1]);
    }
    CHECK(m.tensors[1].rank == 2 && m.tensors[1].dims[0] == 1 && m.tensors[1].dims[1] == 2);
    for (size_t i = 2; i < 4; i++) {
        const wc_tensor *t = &m.tensors[i];
        CHECK(t->dtype == WC_DTYPE_F16 && t->values[0] == 1.0f &&
              t->values[1] == 5.9604644775390625e-08f);
    }
    CHECK(m.tensors[4].dtype == WC_DTYPE_I8 && memcmp(m.tensors[4].bytes, i1, 3) == 0);
    CHECK(m.tensors[5].dtype == WC_DTYPE_U8 && m.tensors[5].bytes[0] == 0x80);
    CHECK(m.tensors[6].rank == 0 && m.tensors[6].count == 1 && m.tensors[6].values[0] == -2.25f);
    CHECK(m.tensors[7].rank == 2 && m.tensors[7].count == 0 && m.tensors[7].dims[1] == 3);
    wc_model_free(&m);
}

static void npy_skips_other_dtypes(void)
{
    static const uint8_t eight[8] = {0};
    wc_model m = {0};
    wc_error err;
    CHECK(parse_npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", eight, 8, &m,
                    &err) == WC_OK);
    CHECK(parse_npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (8,), }", eight, 8, &m,
                    &err) == WC_OK);
    CHECK(parse_npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", eight, 8, &m,
                    &err) == WC_OK);
    CHECK(m.count == 0 && m.skipped == 3 && m.tensors == NULL);
}

static void npy_fortran_order_becomes_c_order(void)
{
    /* Element (i, j, k) of a 2x3x4 array holds 100i + 10j + k; Fortran order
     * stores it at i + 2 (j + 3 k). */
    float fortran[24];
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 4; k++)
                fortran[i + 2 * (j + 3 * k)] = (float)(100 * i + 10 * j + k);
    wc_model m = {0};
    wc_error err;
    CHECK_MSG(parse_npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 4), }",
                        fortran, sizeof fortran, &m, &err) == WC_OK, "%s", err.msg);
    const wc_tensor *t = &m.tensors[0];
    CHECK(t->rank == 3 && t->dims[0] == 2 && t->dims[1] == 3 && t->dims[2] == 4);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 4; k++)
                CHECK_MSG(t->values[(i * 3 + j) * 4 + k] == (float)(100 * i + 10 * j + k),
                          "[%d][%d][%d] = %g", i, j, k, t->values[(i * 3 + j) * 4 + k]);
    wc_model_free(&m);
}

static void expect_npy_error(int major, const char *dict, size_t data_len, wc_status want,
                             const char *needle)
{
    static const uint8_t zeros[64];
    wc_model m = {0};
    wc_error err = {0};
    wc_status st = parse_npy(major, dict, zeros, data_len, &m, &err);
    if (st == WC_OK)
        wc_model_free(&m);
    CHECK_MSG(st == want, "%s: got %s (%s)", dict, wc_status_name(st), err.msg);
    CHECK_MSG(strstr(err.msg, needle) != NULL, "%s: message '%s' lacks '%s'", dict, err.msg,
              needle);
    CHECK(m.count == 0 && m.skipped == 0);
}

static void npy_rejects_bad_headers_and_sizes(void)
{
    expect_npy_error(4, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4,
                     WC_ERR_UNSUPPORTED, "version 4.0");
    expect_npy_error(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 4,
                     WC_ERR_FORMAT, "needs 8");
    expect_npy_error(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 8,
                     WC_ERR_FORMAT, "needs 4");
    expect_npy_error(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }",
                     8, WC_ERR_FORMAT, "needs");
    expect_npy_error(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1), }",
                     4, WC_ERR_FORMAT, "rank 9");
    expect_npy_error(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3), }", 12,
                     WC_ERR_FORMAT, "not a tuple");
    expect_npy_error(1, "{'descr': '<f4', 'fortran_order': False, }", 4, WC_ERR_FORMAT,
                     "missing 'shape'");
    expect_npy_error(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", 4,
                     WC_ERR_FORMAT, "unknown key");
    expect_npy_error(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': ()}", 4,
                     WC_ERR_FORMAT, "duplicate");
    expect_npy_error(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", 4,
                     WC_ERR_UNSUPPORTED, "structured");
    expect_npy_error(1, "{'descr': '|f4', 'fortran_order': False, 'shape': (1,), }", 4,
                     WC_ERR_FORMAT, "byte order");
    expect_npy_error(1, "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1,), }", 4,
                     WC_ERR_FORMAT, "True or False");
    expect_npy_error(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } x", 4,
                     WC_ERR_FORMAT, "only spaces");
    expect_npy_error(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", 4,
                     WC_ERR_FORMAT, "a dimension");
    expect_npy_error(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), ", 4,
                     WC_ERR_FORMAT, "expected a string");
    expect_npy_error(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}",
                     4, WC_ERR_FORMAT, "64 bits");
    wc_model m = {0};
    wc_error err;
    CHECK(wc_npy_parse((const uint8_t *)"\x93NUMPZ\x01\x00\x00\x00", 10, "x", &m, &err) ==
          WC_ERR_FORMAT);
    CHECK(strstr(err.msg, "magic") != NULL);
    CHECK(wc_npy_parse((const uint8_t *)"\x93NUMPY\x01\x00\x40\x00{}", 12, "x", &m, &err) ==
          WC_ERR_TRUNCATED);
}

static wc_status parse_npy_named_x(const uint8_t *data, size_t len, wc_model *m, wc_error *err)
{
    return wc_npy_parse(data, len, "x", m, err);
}

static void npy_rejects_every_truncation(void)
{
    static const float v[3] = {1, 2, 3};
    wc_buf file = {0};
    build_npy(&file, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", v, sizeof v);
    check_every_prefix_fails(parse_npy_named_x, file.data, file.len);
    wc_buf_free(&file);
}

/* ------------------------------------------------------------------ npz */

typedef struct {
    const char *name;
    const uint8_t *data;
    size_t len;
    int deflate;
    int zip64;        /* saturate sizes and offset, give them in ZIP64 extras */
} zip_input;

static void deflate_raw(const uint8_t *in, size_t len, wc_buf *out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    CHECK(deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    uLong bound = deflateBound(&zs, (uLong)len);
    uint8_t *dst = wc_buf_reserve(out, bound);
    CHECK(dst != NULL);
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)len;
    zs.next_out = dst;
    zs.avail_out = (uInt)bound;
    CHECK(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    out->len += zs.total_out;
    deflateEnd(&zs);
}

/* Writes a ZIP archive; with `zip64_end` its end records are the ZIP64 ones. */
static void build_zip(wc_buf *out, const zip_input *in, size_t n, int zip64_end)
{
    wc_buf cd = {0};
    for (size_t i = 0; i < n; i++) {
        wc_buf packed = {0};
        if (in[i].deflate)
            deflate_raw(in[i].data, in[i].len, &packed);
        else
            wc_buf_put(&packed, in[i].data, in[i].len);
        uint32_t crc = (uint32_t)crc32(0, in[i].data, (uInt)in[i].len);
        size_t offset = out->len;
        uint16_t name_len = (uint16_t)strlen(in[i].name);
        uint16_t method = in[i].deflate ? 8 : 0;
        /* local header */
        wc_buf_put_u32(out, 0x04034b50);
        wc_buf_put_u16(out, 45);
        wc_buf_put_u16(out, 0);
        wc_buf_put_u16(out, method);
        wc_buf_put_u32(out, 0x00210000);
        wc_buf_put_u32(out, crc);
        wc_buf_put_u32(out, in[i].zip64 ? 0xFFFFFFFFu : (uint32_t)packed.len);
        wc_buf_put_u32(out, in[i].zip64 ? 0xFFFFFFFFu : (uint32_t)in[i].len);
        wc_buf_put_u16(out, name_len);
        wc_buf_put_u16(out, in[i].zip64 ? 20 : 0);
        wc_buf_put(out, in[i].name, name_len);
        if (in[i].zip64) {
            wc_buf_put_u16(out, 1);
            wc_buf_put_u16(out, 16);
            wc_buf_put_u64(out, in[i].len);
            wc_buf_put_u64(out, packed.len);
        }
        wc_buf_put(out, packed.data, packed.len);
        /* central directory record */
        wc_buf_put_u32(&cd, 0x02014b50);
        wc_buf_put_u16(&cd, 45);
        wc_buf_put_u16(&cd, 45);
        wc_buf_put_u16(&cd, 0);
        wc_buf_put_u16(&cd, method);
        wc_buf_put_u32(&cd, 0x00210000);
        wc_buf_put_u32(&cd, crc);
        wc_buf_put_u32(&cd, in[i].zip64 ? 0xFFFFFFFFu : (uint32_t)packed.len);
        wc_buf_put_u32(&cd, in[i].zip64 ? 0xFFFFFFFFu : (uint32_t)in[i].len);
        wc_buf_put_u16(&cd, name_len);
        wc_buf_put_u16(&cd, in[i].zip64 ? 28 : 0);
        wc_buf_put_u16(&cd, 0);
        wc_buf_put_u16(&cd, 0);
        wc_buf_put_u16(&cd, 0);
        wc_buf_put_u32(&cd, 0);
        wc_buf_put_u32(&cd, in[i].zip64 ? 0xFFFFFFFFu : (uint32_t)offset);
        wc_buf_put(&cd, in[i].name, name_len);
        if (in[i].zip64) {
            wc_buf_put_u16(&cd, 1);
            wc_buf_put_u16(&cd, 24);
            wc_buf_put_u64(&cd, in[i].len);
            wc_buf_put_u64(&cd, packed.len);
            wc_buf_put_u64(&cd, offset);
        }
        wc_buf_free(&packed);
    }
    size_t cd_offset = out->len;
    wc_buf_put(out, cd.data, cd.len);
    if (zip64_end) {
        size_t end64 = out->len;
        wc_buf_put_u32(out, 0x06064b50);
        wc_buf_put_u64(out, 44);
        wc_buf_put_u16(out, 45);
        wc_buf_put_u16(out, 45);
        wc_buf_put_u32(out, 0);
        wc_buf_put_u32(out, 0);
        wc_buf_put_u64(out, n);
        wc_buf_put_u64(out, n);
        wc_buf_put_u64(out, cd.len);
        wc_buf_put_u64(out, cd_offset);
        wc_buf_put_u32(out, 0x07064b50);
        wc_buf_put_u32(out, 0);
        wc_buf_put_u64(out, end64);
        wc_buf_put_u32(out, 1);
    }
    wc_buf_put_u32(out, 0x06054b50);
    wc_buf_put_u16(out, 0);
    wc_buf_put_u16(out, 0);
    wc_buf_put_u16(out, zip64_end ? 0xFFFF : (uint16_t)n);
    wc_buf_put_u16(out, zip64_end ? 0xFFFF : (uint16_t)n);
    wc_buf_put_u32(out, zip64_end ? 0xFFFFFFFFu : (uint32_t)cd.len);
    wc_buf_put_u32(out, zip64_end ? 0xFFFFFFFFu : (uint32_t)cd_offset);
    wc_buf_put_u16(out, 0);
    wc_buf_free(&cd);
    CHECK(wc_buf_status(out, NULL) == WC_OK);
}

/* Two arrays: "a" (f4, 64 values i / 8) and "b" (i1, 1000 values i % 7). */
static void build_sample_npz(wc_buf *out, int deflate_b, int zip64)
{
    float a[64];
    int8_t b[1000];
    for (int i = 0; i < 64; i++)
        a[i] = (float)i / 8;
    for (int i = 0; i < 1000; i++)
        b[i] = (int8_t)(i % 7 - 3);
    wc_buf npy_a = {0}, npy_b = {0};
    build_npy(&npy_a, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (8, 8), }", a,
              sizeof a);
    build_npy(&npy_b, 1, "{'descr': '|i1', 'fortran_order': False, 'shape': (1000,), }", b,
              sizeof b);
    const zip_input in[] = {
        {"a.npy", npy_a.data, npy_a.len, 0, zip64},
        {"notes.txt", (const uint8_t *)"not an array", 12, 0, 0},
        {"dir/b.npy", npy_b.data, npy_b.len, deflate_b, zip64},
    };
    build_zip(out, in, 3, zip64);
    wc_buf_free(&npy_a);
    wc_buf_free(&npy_b);
}

static void check_sample_npz(const wc_model *m)
{
    CHECK(m->count == 2 && m->skipped == 0);
    const wc_tensor *a = &m->tensors[0], *b = &m->tensors[1];
    CHECK(strcmp(a->name, "a") == 0 && strcmp(b->name, "dir/b") == 0);
    CHECK(a->dtype == WC_DTYPE_F32 && a->rank == 2 && a->count == 64);
    for (int i = 0; i < 64; i++)
        CHECK(a->values[i] == (float)i / 8);
    CHECK(b->dtype == WC_DTYPE_I8 && b->count == 1000);
    for (int i = 0; i < 1000; i++)
        CHECK((int8_t)b->bytes[i] == i % 7 - 3);
}

static void npz_reads_stored_and_deflated_entries(void)
{
    for (int deflate = 0; deflate <= 1; deflate++) {
        wc_buf file = {0};
        build_sample_npz(&file, deflate, 0);
        wc_model m = {0};
        wc_error err;
        CHECK_MSG(wc_npz_parse(file.data, file.len, &m, &err) == WC_OK, "%s", err.msg);
        check_sample_npz(&m);
        wc_model_free(&m);
        wc_buf_free(&file);
    }
}

static void npz_reads_zip64_records(void)
{
    wc_buf file = {0};
    build_sample_npz(&file, 1, 1);
    wc_model m = {0};
    wc_error err;
    CHECK_MSG(wc_npz_parse(file.data, file.len, &m, &err) == WC_OK, "%s", err.msg);
    check_sample_npz(&m);
    wc_model_free(&m);
    wc_buf_free(&file);
}

static void npz_reads_an_empty_archive(void)
{
    wc_buf file = {0};
    build_zip(&file, NULL, 0, 0);
    CHECK(file.len == 22);
    wc_model m = {0};
    wc_error err;
    CHECK(wc_npz_parse(file.data, file.len, &m, &err) == WC_OK);
    CHECK(m.count == 0 && m.skipped == 0);
    wc_buf_free(&file);
}

/* Offset of the central directory of a non-ZIP64 archive. */
static size_t cd_offset_of(const wc_buf *zip) { return wc_load_le32(zip->data + zip->len - 6); }

static void expect_npz_error(const wc_buf *file, wc_status want, const char *needle)
{
    wc_model m = {0};
    wc_error err = {0};
    wc_status st = wc_npz_parse(file->data, file->len, &m, &err);
    if (st == WC_OK)
        wc_model_free(&m);
    CHECK_MSG(st == want, "got %s (%s), want %s", wc_status_name(st), err.msg,
              wc_status_name(want));
    CHECK_MSG(strstr(err.msg, needle) != NULL, "message '%s' lacks '%s'", err.msg, needle);
    CHECK(m.count == 0);
}

static void npz_rejects_damaged_archives(void)
{
    wc_buf file = {0};
    build_sample_npz(&file, 1, 0);
    size_t cd = cd_offset_of(&file);
    /* A flipped data byte of the first (stored) entry: CRC mismatch. */
    file.data[100] ^= 1;
    expect_npz_error(&file, WC_ERR_CORRUPT, "npz entry 'a': CRC-32");
    file.data[100] ^= 1;
    /* Encrypted flag in the directory. */
    file.data[cd + 8] |= 1;
    expect_npz_error(&file, WC_ERR_UNSUPPORTED, "encrypted");
    file.data[cd + 8] &= (uint8_t)~1u;
    /* Unknown method in both headers. */
    file.data[8] = 12;
    file.data[cd + 10] = 12;
    expect_npz_error(&file, WC_ERR_UNSUPPORTED, "method 12");
    file.data[8] = 0;
    file.data[cd + 10] = 0;
    /* Directory size disagrees with the local header. */
    wc_store_le32(file.data + cd + 24, wc_load_le32(file.data + cd + 24) + 1);
    expect_npz_error(&file, WC_ERR_CORRUPT, "disagree");
    wc_store_le32(file.data + cd + 24, wc_load_le32(file.data + cd + 24) - 1);
    /* Local header offset outside the file. */
    wc_store_le32(file.data + cd + 42, 0x7FFFFFF0u);
    expect_npz_error(&file, WC_ERR_CORRUPT, "outside");
    wc_store_le32(file.data + cd + 42, 0);
    /* Central directory offset outside the file. */
    wc_store_le32(file.data + file.len - 6, 0x7FFFFFF0u);
    expect_npz_error(&file, WC_ERR_CORRUPT, "central directory");
    wc_store_le32(file.data + file.len - 6, (uint32_t)cd);
    /* No end record at all. */
    file.data[file.len - 22] = 'X';
    expect_npz_error(&file, WC_ERR_FORMAT, "end of central directory");
    wc_buf_free(&file);
}

/* Finds the directory record of entry `index` (names have no extras). */
static size_t cd_record(const wc_buf *zip, int index)
{
    size_t pos = cd_offset_of(zip);
    for (int i = 0; i < index; i++)
        pos += 46 + (size_t)(zip->data[pos + 28] | zip->data[pos + 29] << 8);
    return pos;
}

static void npz_rejects_bad_deflate_streams(void)
{
    wc_buf file = {0};
    build_sample_npz(&file, 1, 0);
    size_t rec = cd_record(&file, 2);
    size_t local = wc_load_le32(file.data + rec + 42);
    uint32_t csize = wc_load_le32(file.data + rec + 20);
    /* A size no deflate stream of csize bytes could reach: refused before
     * allocating (ASan would abort a 4 GB request). */
    wc_store_le32(file.data + rec + 24, 0xFFFFFFF0u);
    wc_store_le32(file.data + local + 22, 0xFFFFFFF0u);
    expect_npz_error(&file, WC_ERR_CORRUPT, "cannot inflate");
    wc_buf_free(&file);
    /* A size one byte larger than the stream holds. */
    build_sample_npz(&file, 1, 0);
    uint32_t real = wc_load_le32(file.data + rec + 24);
    wc_store_le32(file.data + rec + 24, real + 1);
    wc_store_le32(file.data + local + 22, real + 1);
    expect_npz_error(&file, WC_ERR_CORRUPT, "deflate");
    wc_store_le32(file.data + rec + 24, real);
    wc_store_le32(file.data + local + 22, real);
    /* Garbage in the compressed bytes. */
    memset(file.data + local + 30 + 9, 0xFF, csize > 8 ? 8 : csize);
    expect_npz_error(&file, WC_ERR_CORRUPT, "dir/b");
    wc_buf_free(&file);
}

static void npz_rejects_every_truncation(void)
{
    wc_buf file = {0};
    build_sample_npz(&file, 1, 0);
    check_every_prefix_fails(wc_npz_parse, file.data, file.len);
    wc_buf_free(&file);
    build_sample_npz(&file, 1, 1);
    check_every_prefix_fails(wc_npz_parse, file.data, file.len);
    wc_buf_free(&file);
}

/* ------------------------------------------------------------ detection */

static void model_load_picks_the_reader(void)
{
    static const float v[2] = {1, 2};
    char path[256];
    wc_model m = {0};
    wc_error err;
    wc_buf npy = {0}, npz = {0}, st = {0}, onnx = {0};
    build_npy(&npy, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", v, 8);
    build_sample_npz(&npz, 1, 0);
    build_sample_safetensors(&st, NULL, 0);
    build_sample_onnx(&onnx);

    write_temp_file("conv1.weight.npy", npy.data, npy.len, path, sizeof path);
    CHECK(wc_model_detect(npy.data, npy.len, NULL) == WC_FORMAT_NPY);
    CHECK_MSG(wc_model_load(path, &m, &err) == WC_OK, "%s", err.msg);
    CHECK(m.count == 1 && strcmp(m.tensors[0].name, "conv1.weight") == 0);
    remove(path);

    /* Content wins over a misleading extension. */
    write_temp_file("arrays.onnx", npz.data, npz.len, path, sizeof path);
    CHECK(wc_model_load(path, &m, &err) == WC_OK);
    CHECK(m.count == 3);
    remove(path);

    write_temp_file("no_extension", st.data, st.len, path, sizeof path);
    CHECK(wc_model_detect(st.data, st.len, path) == WC_FORMAT_SAFETENSORS);
    CHECK(wc_model_load(path, &m, &err) == WC_OK);
    CHECK(m.count == 10 && m.skipped == 1);
    remove(path);

    write_temp_file("model.ONNX", onnx.data, onnx.len, path, sizeof path);
    CHECK(wc_model_detect(onnx.data, onnx.len, path) == WC_FORMAT_ONNX);
    CHECK(wc_model_detect(onnx.data, onnx.len, NULL) == WC_FORMAT_ONNX);
    CHECK(wc_model_load(path, &m, &err) == WC_OK);
    CHECK(m.count == 19 && m.skipped == 3);
    CHECK(strcmp(m.tensors[10].name, "W") == 0 && m.tensors[10].channel_axis == 1);
    remove(path);
    wc_model_free(&m);

    write_temp_file("notes.txt", "hello", 5, path, sizeof path);
    CHECK(wc_model_load(path, &m, &err) == WC_ERR_UNSUPPORTED);
    CHECK(strstr(err.msg, "notes.txt") != NULL);
    remove(path);
    CHECK(wc_model_load(path, &m, &err) == WC_ERR_IO);
    CHECK(strstr(err.msg, "notes.txt") != NULL && m.count == 0);

    wc_buf_free(&npy);
    wc_buf_free(&npz);
    wc_buf_free(&st);
    wc_buf_free(&onnx);
}

static void failed_parse_leaves_the_model_unchanged(void)
{
    static const float v[2] = {1, 2};
    wc_buf good = {0}, bad = {0};
    build_npy(&good, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", v, 8);
    build_sample_npz(&bad, 1, 0);
    bad.data[bad.len - 30] ^= 0xFF;    /* inside the last directory record's name */
    wc_model m = {0};
    wc_error err;
    CHECK(wc_npy_parse(good.data, good.len, "kept", &m, &err) == WC_OK);
    CHECK(wc_npz_parse(bad.data, bad.len, &m, &err) != WC_OK);
    CHECK(m.count == 1 && m.skipped == 0 && strcmp(m.tensors[0].name, "kept") == 0);
    CHECK(m.tensors[0].values[1] == 2.0f);
    wc_model_free(&m);
    wc_buf_free(&good);
    wc_buf_free(&bad);
}

int main(void)
{
    check_suite = "io";
    RUN(safetensors_round_trip_every_dtype);
    RUN(safetensors_writer_aligns_data_to_8_bytes);
    RUN(safetensors_metadata_round_trip);
    RUN(safetensors_names_are_escaped_and_decoded);
    RUN(safetensors_file_write_then_load);
    RUN(safetensors_writer_rejects_bad_entries);
    RUN(safetensors_rejects_bad_offsets_and_counts);
    RUN(safetensors_rejects_absurd_shapes_before_allocating);
    RUN(safetensors_rejects_bad_json);
    RUN(safetensors_accepts_unicode_unknown_keys_and_padding);
    RUN(safetensors_rejects_deep_nesting);
    RUN(json_nesting_up_to_the_limit_is_accepted);
    RUN(safetensors_rejects_every_truncation);
    RUN(onnx_reads_every_storage_form);
    RUN(onnx_channel_axis_follows_consumers);
    RUN(onnx_rejects_every_truncation);
    RUN(onnx_rejects_external_data);
    RUN(onnx_rejects_data_that_does_not_match_the_shape);
    RUN(onnx_rejects_groups_and_invalid_wire_types);
    RUN(onnx_rejects_bad_varints_and_field_numbers);
    RUN(onnx_loads_the_real_models);
    RUN(npy_loads_each_dtype_and_byte_order);
    RUN(npy_skips_other_dtypes);
    RUN(npy_fortran_order_becomes_c_order);
    RUN(npy_rejects_bad_headers_and_sizes);
    RUN(npy_rejects_every_truncation);
    RUN(npz_reads_stored_and_deflated_entries);
    RUN(npz_reads_zip64_records);
    RUN(npz_reads_an_empty_archive);
    RUN(npz_rejects_damaged_archives);
    RUN(npz_rejects_bad_deflate_streams);
    RUN(npz_rejects_every_truncation);
    RUN(model_load_picks_the_reader);
    RUN(failed_parse_leaves_the_model_unchanged);
    if (temp_dir[0])
        rmdir(temp_dir);
    return CHECK_EXIT_STATUS();
}

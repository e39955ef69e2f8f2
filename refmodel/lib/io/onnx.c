#include "io/onnx.h"

#include <stdlib.h>
#include <string.h>

#include "common/buffer.h"
#include "io/protowire.h"
#include "io/tensor_list.h"

/* Field numbers, from onnx.proto. */
enum { MODEL_GRAPH = 7 };
enum { GRAPH_NODE = 1, GRAPH_INITIALIZER = 5 };
enum { NODE_INPUT = 1, NODE_OUTPUT = 2, NODE_NAME = 3, NODE_OP_TYPE = 4, NODE_ATTRIBUTE = 5 };
enum { ATTR_NAME = 1, ATTR_I = 3, ATTR_T = 5 };
enum {
    TENSOR_DIMS = 1,
    TENSOR_DATA_TYPE = 2,
    TENSOR_FLOAT_DATA = 4,
    TENSOR_INT32_DATA = 5,
    TENSOR_NAME = 8,
    TENSOR_RAW_DATA = 9,
    TENSOR_DATA_LOCATION = 14
};
enum { ONNX_FLOAT = 1, ONNX_UINT8 = 2, ONNX_INT8 = 3, ONNX_FLOAT16 = 10, ONNX_BFLOAT16 = 16 };
enum { LOCATION_EXTERNAL = 1 };

/* A protobuf string: bytes inside the input, not NUL-terminated. */
typedef struct {
    const uint8_t *p;
    size_t len;
} span;

/* Axis a consumer implies for its input 1; AXIS_BY_RANK is MatMul's rule. */
enum { AXIS_BY_RANK = -1 };

typedef struct {
    span name;
    int axis;
} weight_use;

typedef struct {
    wc_tensor_list list;
    weight_use *uses;
    size_t n_uses;
    size_t cap_uses;
} onnx_reader;

/* What the first pass over a TensorProto finds. */
typedef struct {
    span name;
    uint64_t data_type;
    uint64_t dims[WC_MAX_RANK];
    size_t rank;              /* may exceed WC_MAX_RANK; only the first dims are kept */
    int has_raw;
    span raw;
    size_t n_float_data;
    size_t n_int32_data;
    uint64_t location;
} tensor_meta;

typedef struct {
    span op_type;
    span name;
    span input1;              /* valid when n_inputs > 1 */
    span output0;             /* valid when n_outputs > 0 */
    size_t n_inputs;
    size_t n_outputs;
    int has_value;
    span value;               /* serialized TensorProto of attribute "value" */
    uint64_t trans_b;
} node_info;

static int span_is(span s, const char *text)
{
    return s.len == strlen(text) && memcmp(s.p, text, s.len) == 0;
}

static span field_span(const wc_pb_field *f)
{
    span s = {f->data, f->len};
    return s;
}

static wc_status expect_wire(const wc_pb_field *f, int wire, const char *what, wc_error *err)
{
    if (f->wire == wire)
        return WC_OK;
    return wc_fail(err, WC_ERR_FORMAT, "%s: field %u has wire type %d, expected %d", what,
                   f->number, f->wire, wire);
}

static int dtype_from_onnx(uint64_t data_type, wc_dtype *dtype)
{
    switch (data_type) {
    case ONNX_FLOAT: *dtype = WC_DTYPE_F32; return 1;
    case ONNX_UINT8: *dtype = WC_DTYPE_U8; return 1;
    case ONNX_INT8: *dtype = WC_DTYPE_I8; return 1;
    case ONNX_FLOAT16: *dtype = WC_DTYPE_F16; return 1;
    case ONNX_BFLOAT16: *dtype = WC_DTYPE_BF16; return 1;
    }
    return 0;
}

/* ---- first pass over a TensorProto ---- */

static void add_dim(tensor_meta *t, uint64_t dim)
{
    if (t->rank < WC_MAX_RANK)
        t->dims[t->rank] = dim;
    t->rank++;
}

static wc_status scan_dims(tensor_meta *t, const wc_pb_field *f, wc_error *err)
{
    if (f->wire == WC_PB_VARINT) {
        add_dim(t, f->value);
        return WC_OK;
    }
    wc_status st = expect_wire(f, WC_PB_BYTES, "ONNX tensor dims", err);
    wc_cursor c = wc_cursor_make(f->data, f->len);
    while (st == WC_OK && wc_cursor_left(&c)) {
        uint64_t dim = 0;
        st = wc_pb_varint(&c, &dim, "ONNX tensor dims", err);
        if (st == WC_OK)
            add_dim(t, dim);
    }
    return st;
}

static wc_status scan_float_data(tensor_meta *t, const wc_pb_field *f, wc_error *err)
{
    if (f->wire == WC_PB_FIXED32) {
        t->n_float_data++;
        return WC_OK;
    }
    wc_status st = expect_wire(f, WC_PB_BYTES, "ONNX float_data", err);
    if (st != WC_OK)
        return st;
    if (f->len % 4)
        return wc_fail(err, WC_ERR_CORRUPT, "ONNX float_data: packed length %zu is not a "
                       "multiple of 4", f->len);
    t->n_float_data += f->len / 4;
    return WC_OK;
}

static wc_status scan_int32_data(tensor_meta *t, const wc_pb_field *f, wc_error *err)
{
    if (f->wire == WC_PB_VARINT) {
        t->n_int32_data++;
        return WC_OK;
    }
    wc_status st = expect_wire(f, WC_PB_BYTES, "ONNX int32_data", err);
    size_t n = 0;
    if (st == WC_OK)
        st = wc_pb_count_varints(f->data, f->len, &n, "ONNX int32_data", err);
    t->n_int32_data += n;
    return st;
}

static wc_status scan_tensor_field(tensor_meta *t, const wc_pb_field *f, wc_error *err)
{
    switch (f->number) {
    case TENSOR_DIMS:
        return scan_dims(t, f, err);
    case TENSOR_DATA_TYPE:
        t->data_type = f->value;
        return expect_wire(f, WC_PB_VARINT, "ONNX tensor data_type", err);
    case TENSOR_FLOAT_DATA:
        return scan_float_data(t, f, err);
    case TENSOR_INT32_DATA:
        return scan_int32_data(t, f, err);
    case TENSOR_NAME:
        t->name = field_span(f);
        return expect_wire(f, WC_PB_BYTES, "ONNX tensor name", err);
    case TENSOR_RAW_DATA:
        t->has_raw = 1;
        t->raw = field_span(f);
        return expect_wire(f, WC_PB_BYTES, "ONNX tensor raw_data", err);
    case TENSOR_DATA_LOCATION:
        t->location = f->value;
        return expect_wire(f, WC_PB_VARINT, "ONNX tensor data_location", err);
    }
    return WC_OK;
}

static wc_status scan_tensor(const uint8_t *data, size_t len, tensor_meta *t, wc_error *err)
{
    memset(t, 0, sizeof *t);
    wc_cursor c = wc_cursor_make(data, len);
    wc_pb_field f;
    int more;
    wc_status st;
    while ((st = wc_pb_next(&c, &f, &more, "ONNX tensor", err)) == WC_OK && more) {
        st = scan_tensor_field(t, &f, err);
        if (st != WC_OK)
            return st;
    }
    return st;
}

/* ---- second pass: values held in float_data or int32_data ---- */

static wc_status alloc_elements(wc_tensor *t, wc_error *err)
{
    if (t->count == 0)
        return WC_OK;
    if (wc_dtype_is_float(t->dtype))
        t->values = malloc((size_t)t->count * sizeof *t->values);
    else
        t->bytes = malloc((size_t)t->count);
    if (!t->values && !t->bytes)
        return wc_fail(err, WC_ERR_NOMEM, "tensor '%s': out of memory for %llu elements",
                       t->name, (unsigned long long)t->count);
    return WC_OK;
}

static void fill_float_data(wc_tensor *t, const uint8_t *data, size_t len)
{
    wc_cursor c = wc_cursor_make(data, len);
    wc_pb_field f;
    int more;
    size_t i = 0;
    /* The first pass validated the message, so no step can fail here. */
    while (wc_pb_next(&c, &f, &more, "ONNX tensor", NULL) == WC_OK && more) {
        if (f.number != TENSOR_FLOAT_DATA)
            continue;
        uint8_t one[4];
        if (f.wire == WC_PB_FIXED32) {
            wc_store_le32(one, (uint32_t)f.value);
            f.data = one;
            f.len = 4;
        }
        for (size_t k = 0; k + 4 <= f.len; k += 4) {
            uint32_t bits = wc_load_le32(f.data + k);
            memcpy(&t->values[i++], &bits, 4);
        }
    }
}

/* Stores one int32_data element; ONNX keeps F16/BF16 bit patterns and
 * I8/U8 values there, one per int32. */
static wc_status store_int32_element(wc_tensor *t, size_t i, uint64_t raw, wc_error *err)
{
    int64_t v = (int64_t)raw;
    int64_t lo = t->dtype == WC_DTYPE_I8 ? -128 : 0;
    int64_t hi = t->dtype == WC_DTYPE_I8 ? 127 : t->dtype == WC_DTYPE_U8 ? 255 : 0xFFFF;
    if (v < lo || v > hi)
        return wc_fail(err, WC_ERR_FORMAT, "tensor '%s': int32_data value %lld out of range "
                       "for %s", t->name, (long long)v, wc_dtype_name(t->dtype));
    if (t->dtype == WC_DTYPE_F16)
        t->values[i] = wc_f16_to_f32((uint16_t)v);
    else if (t->dtype == WC_DTYPE_BF16)
        t->values[i] = wc_bf16_to_f32((uint16_t)v);
    else
        t->bytes[i] = (uint8_t)v;
    return WC_OK;
}

static wc_status fill_int32_data(wc_tensor *t, const uint8_t *data, size_t len, wc_error *err)
{
    wc_cursor c = wc_cursor_make(data, len);
    wc_pb_field f;
    int more;
    size_t i = 0;
    wc_status st = WC_OK;
    while (st == WC_OK && wc_pb_next(&c, &f, &more, "ONNX tensor", NULL) == WC_OK && more) {
        if (f.number != TENSOR_INT32_DATA)
            continue;
        if (f.wire == WC_PB_VARINT) {
            st = store_int32_element(t, i++, f.value, err);
            continue;
        }
        wc_cursor packed = wc_cursor_make(f.data, f.len);
        uint64_t v = 0;
        while (st == WC_OK && wc_cursor_left(&packed) &&
               wc_pb_varint(&packed, &v, "ONNX int32_data", NULL) == WC_OK)
            st = store_int32_element(t, i++, v, err);
    }
    return st;
}

/* ---- one tensor ---- */

static wc_status check_shape(const tensor_meta *meta, wc_tensor *t, wc_error *err)
{
    if (meta->rank > WC_MAX_RANK)
        return wc_fail(err, WC_ERR_FORMAT, "tensor '%s': rank %zu exceeds %d", t->name,
                       meta->rank, WC_MAX_RANK);
    for (size_t i = 0; i < meta->rank; i++)
        if ((int64_t)meta->dims[i] < 0)
            return wc_fail(err, WC_ERR_FORMAT, "tensor '%s': negative dimension %lld", t->name,
                           (long long)meta->dims[i]);
    return wc_tensor_set_shape(t, (int)meta->rank, meta->dims, err);
}

static wc_status load_elements(const tensor_meta *meta, const uint8_t *data, size_t len,
                               wc_tensor *t, wc_error *err)
{
    if (meta->location == LOCATION_EXTERNAL)
        return wc_fail(err, WC_ERR_UNSUPPORTED, "tensor '%s': data stored in an external file",
                       t->name);
    if (meta->has_raw)
        return wc_tensor_decode(t, meta->raw.p, meta->raw.len, 0, err);
    size_t have = t->dtype == WC_DTYPE_F32 ? meta->n_float_data : meta->n_int32_data;
    if (have != t->count)
        return wc_fail(err, WC_ERR_FORMAT, "tensor '%s': %zu %s values for %llu elements",
                       t->name, have, t->dtype == WC_DTYPE_F32 ? "float_data" : "int32_data",
                       (unsigned long long)t->count);
    wc_status st = alloc_elements(t, err);
    if (st != WC_OK || t->count == 0)
        return st;
    if (t->dtype == WC_DTYPE_F32) {
        fill_float_data(t, data, len);
        return WC_OK;
    }
    return fill_int32_data(t, data, len, err);
}

/* Reads a serialized TensorProto; `name`, when given, replaces its own. */
static wc_status read_tensor(onnx_reader *r, const uint8_t *data, size_t len, const span *name,
                             wc_error *err)
{
    tensor_meta meta;
    wc_status st = scan_tensor(data, len, &meta, err);
    if (st != WC_OK)
        return st;
    wc_dtype dtype;
    if (!dtype_from_onnx(meta.data_type, &dtype)) {
        r->list.skipped++;
        return WC_OK;
    }
    wc_tensor *t;
    st = wc_tensor_list_push(&r->list, &t, err);
    if (st != WC_OK)
        return st;
    span use = name ? *name : meta.name;
    t->dtype = dtype;
    st = wc_tensor_set_name(t, (const char *)use.p, use.len, err);
    if (st == WC_OK)
        st = check_shape(&meta, t, err);
    if (st == WC_OK)
        st = load_elements(&meta, data, len, t, err);
    return st;
}

/* ---- nodes ---- */

static wc_status read_attribute(node_info *node, const uint8_t *data, size_t len, wc_error *err)
{
    span name = {NULL, 0};
    uint64_t i = 0;
    span t = {NULL, 0};
    int has_t = 0;
    wc_cursor c = wc_cursor_make(data, len);
    wc_pb_field f;
    int more;
    wc_status st;
    while ((st = wc_pb_next(&c, &f, &more, "ONNX attribute", err)) == WC_OK && more) {
        if (f.number == ATTR_NAME) {
            name = field_span(&f);
            st = expect_wire(&f, WC_PB_BYTES, "ONNX attribute name", err);
        } else if (f.number == ATTR_I) {
            i = f.value;
            st = expect_wire(&f, WC_PB_VARINT, "ONNX attribute i", err);
        } else if (f.number == ATTR_T) {
            t = field_span(&f);
            has_t = 1;
            st = expect_wire(&f, WC_PB_BYTES, "ONNX attribute t", err);
        }
        if (st != WC_OK)
            return st;
    }
    if (st != WC_OK)
        return st;
    if (span_is(name, "value") && has_t) {
        node->has_value = 1;
        node->value = t;
    } else if (span_is(name, "transB")) {
        node->trans_b = i;
    }
    return WC_OK;
}

static wc_status read_node_field(node_info *node, const wc_pb_field *f, wc_error *err)
{
    switch (f->number) {
    case NODE_INPUT:
        if (node->n_inputs++ == 1)
            node->input1 = field_span(f);
        return expect_wire(f, WC_PB_BYTES, "ONNX node input", err);
    case NODE_OUTPUT:
        if (node->n_outputs++ == 0)
            node->output0 = field_span(f);
        return expect_wire(f, WC_PB_BYTES, "ONNX node output", err);
    case NODE_NAME:
        node->name = field_span(f);
        return expect_wire(f, WC_PB_BYTES, "ONNX node name", err);
    case NODE_OP_TYPE:
        node->op_type = field_span(f);
        return expect_wire(f, WC_PB_BYTES, "ONNX node op_type", err);
    case NODE_ATTRIBUTE:
        if (expect_wire(f, WC_PB_BYTES, "ONNX node attribute", err) != WC_OK)
            return WC_ERR_FORMAT;
        return read_attribute(node, f->data, f->len, err);
    }
    return WC_OK;
}

/* Axis that `node` implies for the tensor it reads as input 1, or 0 with
 * *known = 0 when it is not one of the weight-consuming operators. */
static int weight_axis(const node_info *node, int *known)
{
    *known = 1;
    if (span_is(node->op_type, "Conv"))
        return 0;
    if (span_is(node->op_type, "ConvTranspose"))
        return 1;
    if (span_is(node->op_type, "MatMul"))
        return AXIS_BY_RANK;
    if (span_is(node->op_type, "Gemm"))
        return node->trans_b == 1 ? 0 : 1;
    *known = 0;
    return 0;
}

static wc_status record_use(onnx_reader *r, const node_info *node, wc_error *err)
{
    int known;
    int axis = weight_axis(node, &known);
    if (!known || node->n_inputs < 2)
        return WC_OK;
    if (r->n_uses == r->cap_uses) {
        size_t cap = r->cap_uses ? 2 * r->cap_uses : 64;
        weight_use *uses = cap <= SIZE_MAX / sizeof *uses ? realloc(r->uses, cap * sizeof *uses)
                                                          : NULL;
        if (!uses)
            return wc_fail(err, WC_ERR_NOMEM, "out of memory for %zu ONNX nodes", cap);
        r->uses = uses;
        r->cap_uses = cap;
    }
    r->uses[r->n_uses].name = node->input1;
    r->uses[r->n_uses].axis = axis;
    r->n_uses++;
    return WC_OK;
}

static wc_status read_node(onnx_reader *r, const uint8_t *data, size_t len, wc_error *err)
{
    node_info node;
    memset(&node, 0, sizeof node);
    wc_cursor c = wc_cursor_make(data, len);
    wc_pb_field f;
    int more;
    wc_status st;
    while ((st = wc_pb_next(&c, &f, &more, "ONNX node", err)) == WC_OK && more) {
        st = read_node_field(&node, &f, err);
        if (st != WC_OK)
            return st;
    }
    if (st != WC_OK)
        return st;
    if (!span_is(node.op_type, "Constant"))
        return record_use(r, &node, err);
    if (!node.has_value) {
        r->list.skipped++;
        return WC_OK;
    }
    if (node.n_outputs == 0)
        return wc_fail(err, WC_ERR_FORMAT, "Constant node '%.*s' has no output",
                       (int)(node.name.len > 64 ? 64 : node.name.len),
                       node.name.len ? (const char *)node.name.p : "");
    return read_tensor(r, node.value.p, node.value.len, &node.output0, err);
}

static wc_status read_graph(onnx_reader *r, const uint8_t *data, size_t len, wc_error *err)
{
    wc_cursor c = wc_cursor_make(data, len);
    wc_pb_field f;
    int more;
    wc_status st;
    while ((st = wc_pb_next(&c, &f, &more, "ONNX graph", err)) == WC_OK && more) {
        if (f.number == GRAPH_NODE) {
            st = expect_wire(&f, WC_PB_BYTES, "ONNX graph node", err);
            if (st == WC_OK)
                st = read_node(r, f.data, f.len, err);
        } else if (f.number == GRAPH_INITIALIZER) {
            st = expect_wire(&f, WC_PB_BYTES, "ONNX graph initializer", err);
            if (st == WC_OK)
                st = read_tensor(r, f.data, f.len, NULL, err);
        }
        if (st != WC_OK)
            return st;
    }
    return st;
}

/* ---- channel axes from the consumers ---- */

static int compare_name_span(const char *name, span s)
{
    size_t n = strlen(name);
    int c = memcmp(name, s.p, n < s.len ? n : s.len);
    if (c)
        return c;
    return n < s.len ? -1 : n > s.len;
}

static int compare_tensor_names(const void *a, const void *b)
{
    const wc_tensor *ta = *(const wc_tensor *const *)a, *tb = *(const wc_tensor *const *)b;
    int c = strcmp(ta->name, tb->name);
    return c ? c : (ta > tb) - (ta < tb);
}

/* Index of the first tensor in `sorted` whose name is not below `s`. */
static size_t lower_bound(wc_tensor *const *sorted, size_t n, span s)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (compare_name_span(sorted[mid]->name, s) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

enum { VOTE_NONE = -2, VOTE_CONFLICT = -3 };

static void cast_vote(int *vote, int axis)
{
    if (*vote == VOTE_NONE)
        *vote = axis;
    else if (*vote != axis)
        *vote = VOTE_CONFLICT;
}

static wc_status assign_channel_axes(onnx_reader *r, wc_error *err)
{
    size_t n = r->list.n;
    if (n == 0 || r->n_uses == 0)
        return WC_OK;
    wc_tensor **sorted = malloc(n * sizeof *sorted);
    int *votes = malloc(n * sizeof *votes);
    if (!sorted || !votes) {
        free(sorted);
        free(votes);
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for %zu tensors", n);
    }
    for (size_t i = 0; i < n; i++) {
        sorted[i] = &r->list.v[i];
        votes[i] = VOTE_NONE;
    }
    qsort(sorted, n, sizeof *sorted, compare_tensor_names);
    for (size_t u = 0; u < r->n_uses; u++) {
        const weight_use *use = &r->uses[u];
        for (size_t k = lower_bound(sorted, n, use->name);
             k < n && compare_name_span(sorted[k]->name, use->name) == 0; k++) {
            int axis = use->axis == AXIS_BY_RANK ? (sorted[k]->rank == 2) : use->axis;
            cast_vote(&votes[sorted[k] - r->list.v], axis);
        }
    }
    for (size_t i = 0; i < n; i++)
        r->list.v[i].channel_axis = votes[i] >= 0 ? votes[i] : 0;
    free(sorted);
    free(votes);
    return WC_OK;
}

/* ---- model ---- */

static wc_status read_model(onnx_reader *r, const uint8_t *data, size_t len, wc_error *err)
{
    wc_cursor c = wc_cursor_make(data, len);
    wc_pb_field f;
    int more;
    int graphs = 0;
    wc_status st;
    /* A repeated message field merges, so every graph field adds its nodes. */
    while ((st = wc_pb_next(&c, &f, &more, "ONNX model", err)) == WC_OK && more) {
        if (f.number != MODEL_GRAPH)
            continue;
        graphs++;
        st = expect_wire(&f, WC_PB_BYTES, "ONNX model graph", err);
        if (st == WC_OK)
            st = read_graph(r, f.data, f.len, err);
        if (st != WC_OK)
            return st;
    }
    if (st == WC_OK && graphs == 0)
        return wc_fail(err, WC_ERR_FORMAT, "ONNX model has no graph");
    return st;
}

wc_status wc_onnx_parse(const uint8_t *data, size_t len, wc_model *m, wc_error *err)
{
    onnx_reader r;
    memset(&r, 0, sizeof r);
    wc_status st = read_model(&r, data, len, err);
    if (st == WC_OK)
        st = assign_channel_axes(&r, err);
    free(r.uses);
    if (st != WC_OK) {
        wc_tensor_list_free(&r.list);
        return st;
    }
    return wc_tensor_list_commit(&r.list, m, err);
}

/* ONNX model reader: the weight tensors of a ModelProto, parsed straight from
 * the protobuf wire format.
 *
 * Tensors come from the graph's initializers and from the `value` attribute
 * of its Constant nodes (named after the node's first output), in file order.
 * Subgraphs and functions are not searched.
 *
 * Loaded: FLOAT, FLOAT16, BFLOAT16 (converted exactly to float), INT8, UINT8
 * (bytes as stored), whether held in raw_data (little-endian) or in
 * float_data / int32_data.  Tensors of every other data type, and Constant
 * nodes whose value is not a `value` tensor, are only counted in m->skipped.
 *
 * channel_axis comes from the nodes that consume a tensor as their input 1:
 * Conv -> 0, ConvTranspose -> 1, MatMul -> 1 for a rank-2 tensor (else 0),
 * Gemm -> 0 with transB=1, else 1.  A tensor whose consumers disagree, or
 * that has none of these, keeps 0. */
#ifndef WC_IO_ONNX_H
#define WC_IO_ONNX_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parses the ModelProto in data[0..len) and appends its tensors to *m
 * (zero-initialise *m for a fresh model; free it with wc_model_free).  The
 * input is not kept.  On failure *m is left as it was and the error names
 * what was wrong: WC_ERR_TRUNCATED / WC_ERR_CORRUPT for a damaged wire
 * format, WC_ERR_FORMAT for a bad tensor (no graph, rank > WC_MAX_RANK,
 * negative dims, data that does not match the shape, ...),
 * WC_ERR_UNSUPPORTED for a tensor whose data is stored externally. */
wc_status wc_onnx_parse(const uint8_t *data, size_t len, wc_model *m, wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

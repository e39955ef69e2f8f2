/* safetensors reader and writer.
 *
 * Layout: an 8-byte little-endian header length N, N bytes of JSON, then the
 * data section.  The JSON is one object mapping each tensor name to
 * {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, offsets in
 * bytes from the start of the data section, elements little-endian in C
 * order; an optional "__metadata__" entry maps strings to strings. */
#ifndef WC_IO_SAFETENSORS_H
#define WC_IO_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>

#include "common/buffer.h"
#include "common/error.h"
#include "common/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parses the safetensors file in data[0..len) and appends its tensors to *m
 * in header order (zero-initialise *m for a fresh model).  F32, F16, BF16,
 * I8 and U8 tensors are loaded; every other dtype is counted in m->skipped.
 * Each entry needs dtype, shape and data_offsets (other keys are ignored);
 * offsets must lie in the data section and, for a loaded tensor, span
 * exactly its elements.  On failure *m is unchanged: WC_ERR_TRUNCATED when
 * the header runs past the end, WC_ERR_FORMAT for bad JSON or entries. */
wc_status wc_safetensors_parse(const uint8_t *data, size_t len, wc_model *m, wc_error *err);

/* Looks up `key` (not NULL) in the "__metadata__" object of the safetensors
 * file in data[0..len), checking the syntax of the whole header.  On success
 * *value is a malloc'd NUL-terminated copy the caller frees, or NULL when the
 * file has no such key; on failure it is NULL. */
wc_status wc_safetensors_metadata(const uint8_t *data, size_t len, const char *key, char **value,
                                  wc_error *err);

/* One tensor to write; nothing is copied or owned. */
typedef struct {
    const char *name;        /* UTF-8, unique, not "__metadata__" */
    const char *dtype;       /* "F32", "F16", "BF16", "I8", "U8", "I16", "I32" or "I64" */
    int rank;                /* 0..WC_MAX_RANK */
    const uint64_t *dims;    /* rank entries (may be NULL for a scalar) */
    const void *data;        /* nbytes of little-endian elements, C order */
    size_t nbytes;           /* product of dims times the dtype's size */
} wc_st_entry;

/* Appends a safetensors file to `out`: the `n` entries, their data in entry
 * order, and, when n_meta > 0, a "__metadata__" object of the n_meta
 * key/value pairs in meta_kv[0..2*n_meta) (key, value, key, value, ...).
 * The JSON is padded with spaces so the data section starts at a multiple
 * of 8 bytes.  Fails with WC_ERR_ARG (and appends nothing) on an entry that
 * breaks the rules above or a string that is not UTF-8, WC_ERR_NOMEM when
 * out of memory. */
wc_status wc_safetensors_write_buf(wc_buf *out, const wc_st_entry *entries, size_t n,
                                   const char *const *meta_kv, size_t n_meta, wc_error *err);

/* Same, into the file at `path` (created or replaced; removed again if
 * writing fails, with WC_ERR_IO). */
wc_status wc_safetensors_write(const char *path, const wc_st_entry *entries, size_t n,
                               const char *const *meta_kv, size_t n_meta, wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

/* Loading a model file of any supported format into a wc_model.
 *
 * The format is chosen by content first: the npy magic "\x93NUMPY", a ZIP
 * signature (npz), or a safetensors header (a little-endian length that fits
 * the file followed by '{').  ONNX has no magic, so next comes the file
 * extension (.onnx, .safetensors, .npy, .npz, any letter case), and last a
 * leading 0x08 byte, which ONNX writers emit first (ir_version). */
#ifndef WC_IO_MODEL_H
#define WC_IO_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    WC_FORMAT_UNKNOWN = 0,
    WC_FORMAT_ONNX,
    WC_FORMAT_SAFETENSORS,
    WC_FORMAT_NPY,
    WC_FORMAT_NPZ
} wc_model_format;

/* The format of data[0..len), read from the file at `path` (may be NULL;
 * only its extension is looked at). */
wc_model_format wc_model_detect(const uint8_t *data, size_t len, const char *path);

/* Reads the whole file at `path` and appends its tensors to *m
 * (zero-initialise *m for a fresh model; free it with wc_model_free).  A
 * .npy tensor is named after the file's base name without its extension.
 * On failure *m is unchanged and the message starts with the path:
 * WC_ERR_IO if the file cannot be read, WC_ERR_UNSUPPORTED if its format is
 * unknown, else the reader's error (see onnx.h, safetensors.h, npy.h). */
wc_status wc_model_load(const char *path, wc_model *m, wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

/* MLP weights in model files, and the float accuracy of a weights file.
 *
 * Layer l (0-based) is stored as the tensors "fc<l+1>.weight" [out, in] and
 * "fc<l+1>.bias" [out], as PyTorch names the layers of an nn.Module with
 * attributes fc1, fc2, ... */
#ifndef WC_NN_MLP_IO_H
#define WC_NN_MLP_IO_H

#include <stddef.h>

#include "common/error.h"
#include "common/tensor.h"
#include "nn/mlp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Builds *net (overwritten; free with wc_mlp_free) from the tensors fc1.*,
 * fc2.*, ... of m, up to the first missing fc<k>.weight; other tensors are
 * ignored.  Weights and biases may have any float dtype (converted exactly).
 * WC_ERR_FORMAT, naming the tensor, if fc1.weight or a bias is missing, a
 * tensor is not float, a shape is wrong or does not chain to the previous
 * layer, or a size exceeds WC_MLP_MAX_WIDTH; WC_ERR_UNSUPPORTED for more
 * than WC_MLP_MAX_LAYERS layers; WC_ERR_NOMEM. */
wc_status wc_mlp_from_model(const wc_model *m, wc_mlp *net, wc_error *err);

/* wc_model_load(path) then wc_mlp_from_model. */
wc_status wc_mlp_load(const char *path, wc_mlp *net, wc_error *err);

/* Writes the net as float32 safetensors, fc1.weight, fc1.bias, fc2.weight,
 * ..., with the n_meta metadata pairs meta_kv (as in wc_safetensors_write). */
wc_status wc_mlp_save(const wc_mlp *net, const char *path, const char *const *meta_kv,
                      size_t n_meta, wc_error *err);

/* Float accuracy (0..1) on the Fashion-MNIST test set in data_dir (e.g.
 * WC_FASHION_DIR) of the 784-input, 10-class MLP in the file at
 * weights_path.  Any error of the loaders; WC_ERR_FORMAT if the net does not
 * have 784 inputs and 10 outputs. */
wc_status wc_fashion_float_accuracy(const char *weights_path, const char *data_dir,
                                    double *accuracy, wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

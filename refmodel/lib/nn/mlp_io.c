#include "nn/mlp_io.h"

#include <stdio.h>
#include <string.h>

#include "io/model.h"
#include "io/safetensors.h"

#define NAME_MAX_LEN 32

static void param_name(char *out, int layer, const char *what)
{
    snprintf(out, NAME_MAX_LEN, "fc%d.%s", layer + 1, what);
}

static const wc_tensor *find_tensor(const wc_model *m, const char *name)
{
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->tensors[i].name, name) == 0)
            return &m->tensors[i];
    return NULL;
}

/* Checks that layer l's weight w is a float [out, in] tensor taking the
 * `in` outputs of the layer before (in == 0: any, for the first layer) and
 * that its bias is a float [out] tensor; *bias gets the bias. */
static wc_status check_layer(const wc_model *m, int l, const wc_tensor *w, size_t in,
                             const wc_tensor **bias, wc_error *err)
{
    if (!w->values || w->rank != 2)
        return wc_fail(err, WC_ERR_FORMAT, "%s: expected a float tensor of rank 2", w->name);
    if (w->dims[0] < 1 || w->dims[0] > WC_MLP_MAX_WIDTH || w->dims[1] < 1 ||
        w->dims[1] > WC_MLP_MAX_WIDTH)
        return wc_fail(err, WC_ERR_FORMAT, "%s: shape [%llu, %llu] has a size outside 1..%d",
                       w->name, (unsigned long long)w->dims[0], (unsigned long long)w->dims[1],
                       WC_MLP_MAX_WIDTH);
    if (in != 0 && w->dims[1] != in)
        return wc_fail(err, WC_ERR_FORMAT, "%s: takes %llu inputs but fc%d has %zu outputs",
                       w->name, (unsigned long long)w->dims[1], l, in);
    char name[NAME_MAX_LEN];
    param_name(name, l, "bias");
    const wc_tensor *b = find_tensor(m, name);
    if (!b)
        return wc_fail(err, WC_ERR_FORMAT, "%s: missing", name);
    if (!b->values || b->rank != 1 || b->dims[0] != w->dims[0])
        return wc_fail(err, WC_ERR_FORMAT, "%s: expected a float tensor of shape [%llu]", name,
                       (unsigned long long)w->dims[0]);
    *bias = b;
    return WC_OK;
}

wc_status wc_mlp_from_model(const wc_model *m, wc_mlp *net, wc_error *err)
{
    memset(net, 0, sizeof *net);
    const wc_tensor *weights[WC_MLP_MAX_LAYERS], *biases[WC_MLP_MAX_LAYERS];
    size_t sizes[WC_MLP_MAX_LAYERS + 1] = {0};
    int n_layers = 0;
    for (;; n_layers++) {
        char name[NAME_MAX_LEN];
        param_name(name, n_layers, "weight");
        const wc_tensor *w = find_tensor(m, name);
        if (!w)
            break;
        if (n_layers == WC_MLP_MAX_LAYERS)
            return wc_fail(err, WC_ERR_UNSUPPORTED, "%s: MLPs of more than %d layers are not "
                           "supported", name, WC_MLP_MAX_LAYERS);
        wc_status st = check_layer(m, n_layers, w, sizes[n_layers], &biases[n_layers], err);
        if (st != WC_OK)
            return st;
        weights[n_layers] = w;
        sizes[n_layers] = (size_t)w->dims[1];
        sizes[n_layers + 1] = (size_t)w->dims[0];
    }
    if (n_layers == 0)
        return wc_fail(err, WC_ERR_FORMAT, "fc1.weight: missing");
    wc_status st = wc_mlp_init(net, n_layers, sizes, err);
    if (st != WC_OK)
        return st;
    for (int l = 0; l < n_layers; l++) {
        memcpy(net->weight[l], weights[l]->values, wc_mlp_weight_count(net, l) * sizeof(float));
        memcpy(net->bias[l], biases[l]->values, sizes[l + 1] * sizeof(float));
    }
    return WC_OK;
}

wc_status wc_mlp_load(const char *path, wc_mlp *net, wc_error *err)
{
    wc_model m = {0};
    wc_status st = wc_model_load(path, &m, err);
    if (st == WC_OK) {
        st = wc_mlp_from_model(&m, net, err);
        if (st != WC_OK)
            wc_error_context(err, "%s", path);
    }
    wc_model_free(&m);
    return st;
}

wc_status wc_mlp_save(const wc_mlp *net, const char *path, const char *const *meta_kv,
                      size_t n_meta, wc_error *err)
{
    char names[2 * WC_MLP_MAX_LAYERS][NAME_MAX_LEN];
    uint64_t dims[WC_MLP_MAX_LAYERS][2];
    wc_st_entry entries[2 * WC_MLP_MAX_LAYERS];
    for (int l = 0; l < net->n_layers; l++) {
        dims[l][0] = net->sizes[l + 1];
        dims[l][1] = net->sizes[l];
        param_name(names[2 * l], l, "weight");
        param_name(names[2 * l + 1], l, "bias");
        entries[2 * l] = (wc_st_entry){names[2 * l], "F32", 2, dims[l], net->weight[l],
                                       wc_mlp_weight_count(net, l) * sizeof(float)};
        entries[2 * l + 1] = (wc_st_entry){names[2 * l + 1], "F32", 1, dims[l], net->bias[l],
                                           net->sizes[l + 1] * sizeof(float)};
    }
    return wc_safetensors_write(path, entries, 2 * (size_t)net->n_layers, meta_kv, n_meta, err);
}

wc_status wc_fashion_float_accuracy(const char *weights_path, const char *data_dir,
                                    double *accuracy, wc_error *err)
{
    wc_mlp net;
    wc_status st = wc_mlp_load(weights_path, &net, err);
    if (st != WC_OK)
        return st;
    if (net.sizes[0] != 28 * 28 || net.sizes[net.n_layers] != WC_FASHION_CLASSES) {
        st = wc_fail(err, WC_ERR_FORMAT, "%s: an MLP of %zu inputs and %zu outputs, not 784 and %d",
                     weights_path, net.sizes[0], net.sizes[net.n_layers], WC_FASHION_CLASSES);
    } else {
        wc_dataset test;
        st = wc_fashion_load(data_dir, 0, &test, err);
        if (st == WC_OK)
            st = wc_mlp_accuracy(&net, &test, accuracy, err);
        wc_dataset_free(&test);
    }
    wc_mlp_free(&net);
    return st;
}

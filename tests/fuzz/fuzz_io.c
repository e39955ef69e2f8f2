/* Fuzz target for the model readers.  The first byte picks the reader
 * (ONNX, safetensors, npy, npz, by its value mod 4), the rest is the file. */
#include <stddef.h>
#include <stdint.h>

#include "common/tensor.h"
#include "io/npy.h"
#include "io/onnx.h"
#include "io/safetensors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t *file = data + 1;
    size_t len = size - 1;
    wc_model m = {0};
    wc_error err;
    wc_status st = WC_OK;
    switch (data[0] % 4) {
    case 0:
        st = wc_onnx_parse(file, len, &m, &err);
        break;
    case 1:
        st = wc_safetensors_parse(file, len, &m, &err);
        break;
    case 2:
        st = wc_npy_parse(file, len, "fuzz", &m, &err);
        break;
    case 3:
        st = wc_npz_parse(file, len, &m, &err);
        break;
    }
    if (st == WC_OK)
        wc_model_free(&m);
    return 0;
}

/* Fuzz target: parse any bytes as a .wcz container and decode every record. */
#include <stdint.h>
#include <stdlib.h>

#include "decode/container_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wc_container c;
    if (wc_container_parse(data, size, &c, NULL) == WC_OK) {
        for (size_t i = 0; i < c.count; i++) {
            const wc_record *r = &c.records[i];
            if (r->kind != WC_KIND_QUANTIZED || r->count > (1u << 24))
                continue;
            uint8_t *out = malloc((size_t)r->count + 1);
            if (out && wc_record_decode(r, out, NULL) == WC_OK)
                for (uint64_t k = 0; k < r->count; k++)
                    if (out[k] >= r->quant.bins)
                        abort();
            free(out);
        }
    }
    wc_container_free(&c);
    return 0;
}

/* Test tool: checks that a `wcodec decompress` output holds exactly the
 * quantized tensors of the original model.
 *
 *   check_decompressed MODEL OUT.safetensors BINS [per-channel]
 *
 * Re-quantizes MODEL with the library and compares, tensor by tensor, the
 * symbols, scales and zero points (bit for bit), and the verbatim tensors.
 * Prints one line per problem; exit status 0 when all match. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode/compress.h"
#include "io/model.h"
#include "io/safetensors.h"
#include "quant/quant.h"

static const wc_tensor *find(const wc_model *m, const char *name)
{
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->tensors[i].name, name) == 0)
            return &m->tensors[i];
    return NULL;
}

static char *suffixed(const char *name, const char *suffix)
{
    char *s = malloc(strlen(name) + strlen(suffix) + 1);
    strcpy(s, name);
    strcat(s, suffix);
    return s;
}

/* Compares one original tensor with what the output holds for it. */
static int check_tensor(const wc_tensor *t, const wc_model *out, int bins, int per_channel)
{
    const wc_tensor *got = find(out, t->name);
    if (!got) {
        printf("%s: missing from the output\n", t->name);
        return 1;
    }
    if (got->count != t->count || got->rank != t->rank ||
        memcmp(got->dims, t->dims, sizeof t->dims) != 0) {
        printf("%s: shape differs\n", t->name);
        return 1;
    }
    if (!wc_compress_quantizes(t)) {
        for (uint64_t i = 0; i < t->count; i++)
            if (memcmp(&got->values[i], &t->values[i], 4) != 0) {
                printf("%s: verbatim element %llu differs\n", t->name, (unsigned long long)i);
                return 1;
            }
        return 0;
    }
    uint8_t *sym = malloc((size_t)t->count);
    wc_quant q = {0};
    wc_error err;
    int bad = 0;
    if (wc_quantize(t, bins, per_channel, sym, &q, &err) != WC_OK) {
        printf("%s: %s\n", t->name, err.msg);
        bad = 1;
    } else if (got->dtype != WC_DTYPE_U8 || memcmp(got->bytes, sym, (size_t)t->count) != 0) {
        printf("%s: symbols differ\n", t->name);
        bad = 1;
    } else {
        char *sname = suffixed(t->name, ".scale");
        const wc_tensor *scale = find(out, sname);
        if (!scale || scale->count != q.groups ||
            memcmp(scale->values, q.scale, (size_t)q.groups * 4) != 0) {
            printf("%s: scales differ\n", t->name);
            bad = 1;
        }
        free(sname);
    }
    wc_quant_free(&q);
    free(sym);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: check_decompressed MODEL OUT.safetensors BINS [per-channel]\n");
        return 2;
    }
    int bins = atoi(argv[3]);
    int per_channel = argc == 5 && strcmp(argv[4], "per-channel") == 0;
    wc_model model = {0}, out = {0};
    wc_error err;
    if (wc_model_load(argv[1], &model, &err) != WC_OK || wc_model_load(argv[2], &out, &err) != WC_OK) {
        printf("%s\n", err.msg);
        return 1;
    }
    int bad = 0;
    for (size_t i = 0; i < model.count; i++)
        bad += check_tensor(&model.tensors[i], &out, bins, per_channel);
    printf("%zu tensors checked, %d differ\n", model.count, bad);
    wc_model_free(&model);
    wc_model_free(&out);
    return bad ? 1 : 0;
}

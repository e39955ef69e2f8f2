/* wcodec decompress: .wcz -> .safetensors with the quantized symbols. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decode/container_read.h"
#include "io/safetensors.h"

/* What one quantized record turns into besides its symbols' entry: the
 * names of its scale and zero-point entries and its metadata value.  Owns
 * the strings and the decoded symbols. */
typedef struct {
    char *names[2];
    uint8_t *symbols;
    char *meta_value;
} record_output;

static char *concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);
    if (s) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb + 1);
    }
    return s;
}

static char *describe_quant(const wc_record *r)
{
    char *s = malloc(160);
    if (s)
        snprintf(s, 160, "bins=%d;granularity=%s;axis=%d;coder=%s;snr_db=%.4f", r->quant.bins,
                 r->quant.per_channel ? "channel" : "tensor", r->quant.axis,
                 wc_coder_name(r->coder), r->quant.snr_db);
    return s;
}

/* Adds the entries of record r to entries[*n..]; out holds what they point to. */
static wc_status add_entries(const wc_record *r, record_output *out, wc_st_entry *entries,
                             size_t *n, uint64_t *group_dims, wc_error *err)
{
    if (r->kind == WC_KIND_VERBATIM) {
        entries[(*n)++] = (wc_st_entry){r->name, wc_dtype_name(r->dtype), r->rank, r->dims,
                                        r->bytes, (size_t)(r->count * wc_dtype_size(r->dtype))};
        return WC_OK;
    }
    out->symbols = malloc((size_t)r->count + 1);
    out->names[0] = concat(r->name, ".scale");
    out->names[1] = concat(r->name, ".zero_point");
    out->meta_value = describe_quant(r);
    if (!out->symbols || !out->names[0] || !out->names[1] || !out->meta_value)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory");
    wc_status st = wc_record_decode(r, out->symbols, err);
    if (st != WC_OK)
        return st;
    *group_dims = r->quant.groups;
    entries[(*n)++] = (wc_st_entry){r->name, "U8", r->rank, r->dims, out->symbols,
                                    (size_t)r->count};
    entries[(*n)++] = (wc_st_entry){out->names[0], "F32", 1, group_dims, r->quant.scale,
                                    (size_t)r->quant.groups * 4};
    entries[(*n)++] = (wc_st_entry){out->names[1], "I32", 1, group_dims, r->quant.zero_point,
                                    (size_t)r->quant.groups * 4};
    return WC_OK;
}

int cmd_decompress(int argc, char **argv)
{
    if (argc != 2 || strncmp(argv[0], "--", 2) == 0 || strncmp(argv[1], "--", 2) == 0)
        return cli_usage("decompress takes IN.wcz and OUT.safetensors");
    wc_error err = {0};
    wc_container c;
    wc_status st = wc_container_read_file(argv[0], &c, &err);
    record_output *outs = calloc(c.count + 1, sizeof *outs);
    wc_st_entry *entries = calloc(3 * c.count + 1, sizeof *entries);
    uint64_t *group_dims = calloc(c.count + 1, sizeof *group_dims);
    const char **meta = calloc(2 * c.count + 1, sizeof *meta);
    if (st == WC_OK && (!outs || !entries || !group_dims || !meta))
        st = wc_fail(&err, WC_ERR_NOMEM, "out of memory");
    size_t n = 0, n_meta = 0;
    cli_progress bar;
    cli_progress_start(&bar, "decompress", c.count);
    for (size_t i = 0; st == WC_OK && i < c.count; i++) {
        st = add_entries(&c.records[i], &outs[i], entries, &n, &group_dims[i], &err);
        if (outs[i].meta_value) {
            meta[2 * n_meta] = c.records[i].name;
            meta[2 * n_meta + 1] = outs[i].meta_value;
            n_meta++;
        }
        cli_progress_update(&bar, i + 1);
    }
    cli_progress_end(&bar);
    if (st == WC_OK)
        st = wc_safetensors_write(argv[1], entries, n, meta, n_meta, &err);
    for (size_t i = 0; outs && i < c.count; i++) {
        free(outs[i].names[0]);
        free(outs[i].names[1]);
        free(outs[i].symbols);
        free(outs[i].meta_value);
    }
    free(outs);
    free(entries);
    free(group_dims);
    free(meta);
    wc_container_free(&c);
    return st == WC_OK ? EXIT_OK : cli_fail(&err);
}

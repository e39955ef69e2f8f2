/* wcodec inspect: what a .wcz holds and how well each tensor is coded. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decode/container_read.h"
#include "encode/container_write.h"

typedef struct {
    double h0_bits;     /* order-0 entropy of the symbols, total */
    double coded_bits;  /* payload (coder tables and headers included) */
} tensor_stats;

static void shape_string(const wc_record *r, char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "[");
    for (int i = 0; i < r->rank && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, i ? "x%llu" : "%llu",
                                 (unsigned long long)r->dims[i]);
    if (used < size)
        snprintf(buf + used, size - used, "]");
}

static double overhead_pct(double coded, double h0)
{
    return h0 > 0 ? 100.0 * (coded / h0 - 1.0) : NAN;
}

static void print_text_row(const wc_record *r, const tensor_stats *s)
{
    char shape[64];
    shape_string(r, shape, sizeof shape);
    if (r->kind == WC_KIND_VERBATIM) {
        printf("%-40s %-16s %10llu %-8s %5s %8s %8s %9s %8s\n", r->name, shape,
               (unsigned long long)r->count, "verbatim", "-", "-", "-", "-", "-");
        return;
    }
    double n = (double)r->count;
    printf("%-40s %-16s %10llu %-8s %5d %8.3f %8.3f %8.2f%% %8.2f\n", r->name, shape,
           (unsigned long long)r->count, wc_coder_name(r->coder), r->quant.bins, s->h0_bits / n,
           s->coded_bits / n, overhead_pct(s->coded_bits, s->h0_bits), r->quant.snr_db);
}

static void print_json_row(const wc_record *r, const tensor_stats *s, int first)
{
    printf("%s\n    {\"name\": ", first ? "" : ",");
    cli_json_string(stdout, r->name);
    printf(", \"shape\": [");
    for (int i = 0; i < r->rank; i++)
        printf(i ? ", %llu" : "%llu", (unsigned long long)r->dims[i]);
    printf("], \"count\": %llu, \"kind\": \"%s\"", (unsigned long long)r->count,
           r->kind == WC_KIND_VERBATIM ? "verbatim" : "quantized");
    if (r->kind == WC_KIND_QUANTIZED) {
        double n = (double)r->count;
        printf(", \"coder\": \"%s\", \"bins\": %d, \"h0_bits_per_weight\": ",
               wc_coder_name(r->coder), r->quant.bins);
        cli_json_number(stdout, s->h0_bits / n);
        printf(", \"coded_bits_per_weight\": ");
        cli_json_number(stdout, s->coded_bits / n);
        printf(", \"overhead_pct\": ");
        cli_json_number(stdout, overhead_pct(s->coded_bits, s->h0_bits));
        printf(", \"snr_db\": ");
        cli_json_number(stdout, r->quant.snr_db);
    }
    printf(", \"file_bytes\": %llu}", (unsigned long long)wc_record_file_bytes(r));
}

int cmd_inspect(int argc, char **argv)
{
    int json = 0;
    const char *path = NULL;
    cli_args a = {argc, argv, 0, NULL};
    while (a.next < argc) {
        if (cli_flag(&a, "json"))
            json = 1;
        else if (strncmp(argv[a.next], "--", 2) == 0)
            return cli_usage("inspect: unknown option '%s'", argv[a.next]);
        else if (path)
            return cli_usage("inspect takes one file");
        else
            path = argv[a.next++];
    }
    if (!path)
        return cli_usage("inspect needs a .wcz file");

    wc_error err = {0};
    wc_container c;
    if (wc_container_read_file(path, &c, &err) != WC_OK) {
        wc_container_free(&c);
        return cli_fail(&err);
    }
    uint64_t weights = 0, file_bytes = WC_CONTAINER_HEADER_BYTES;
    double h0_total = 0, coded_total = 0;
    wc_status st = WC_OK;
    if (json)
        printf("{\n  \"file\": ");
    if (json) {
        cli_json_string(stdout, path);
        printf(",\n  \"tensors\": [");
    } else {
        printf("%-40s %-16s %10s %-8s %5s %8s %8s %9s %8s\n", "tensor", "shape", "count", "coder",
               "bins", "H0 b/w", "coded", "overhead", "SNR dB");
    }
    for (size_t i = 0; i < c.count && st == WC_OK; i++) {
        const wc_record *r = &c.records[i];
        tensor_stats s = {0, 0};
        file_bytes += wc_record_file_bytes(r);
        if (r->kind == WC_KIND_QUANTIZED) {
            uint8_t *sym = malloc((size_t)r->count + 1);
            st = sym ? wc_record_decode(r, sym, &err) : wc_fail(&err, WC_ERR_NOMEM, "no memory");
            if (st == WC_OK) {
                s.h0_bits = cli_entropy_total_bits(sym, r->count);
                s.coded_bits = 32.0 * (double)r->payload.n;
                weights += r->count;
                h0_total += s.h0_bits;
                coded_total += s.coded_bits;
            }
            free(sym);
        }
        if (st != WC_OK)
            break;
        if (json)
            print_json_row(r, &s, i == 0);
        else
            print_text_row(r, &s);
    }
    if (st == WC_OK && json) {
        printf("\n  ],\n  \"quantized_weights\": %llu, \"h0_bytes\": ",
               (unsigned long long)weights);
        cli_json_number(stdout, h0_total / 8);
        printf(", \"coded_bytes\": ");
        cli_json_number(stdout, coded_total / 8);
        printf(", \"overhead_pct\": ");
        cli_json_number(stdout, overhead_pct(coded_total, h0_total));
        printf(", \"file_bytes\": %llu\n}\n", (unsigned long long)file_bytes);
    } else if (st == WC_OK) {
        printf("total: %llu quantized weights, H0 %.0f bytes, coded %.0f bytes (%.3f bits/weight, "
               "%+.2f%% over H0), file %llu bytes\n",
               (unsigned long long)weights, h0_total / 8, coded_total / 8,
               weights ? coded_total / (double)weights : 0.0,
               overhead_pct(coded_total, h0_total), (unsigned long long)file_bytes);
    }
    wc_container_free(&c);
    return st == WC_OK ? EXIT_OK : cli_fail(&err);
}

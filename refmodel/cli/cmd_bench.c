/* wcodec bench: every coder on the same quantized symbols, sizes and
 * single-thread decode speeds, next to the order-0 entropy bound. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include <zstd.h>

#include "cli.h"
#include "common/stats.h"
#include "common/tans.h"
#include "decode/huf_dec.h"
#include "decode/raw_dec.h"
#include "decode/tans_dec.h"
#include "encode/huf_enc.h"
#include "encode/raw_enc.h"
#include "encode/tans_enc.h"
#include "io/model.h"
#include "quant/quant.h"

/* The quantized symbols of all tensors, back to back, and where each starts. */
typedef struct {
    uint8_t *symbols;
    uint64_t total;
    size_t ntensors;
    uint64_t *start;      /* [ntensors + 1] */
    unsigned *bins;       /* [ntensors] */
    double h0_bits;
} bench_input;

/* One coder configuration's coded form of every tensor. */
typedef struct {
    const char *coder;
    unsigned states;      /* tANS only */
    unsigned lanes;       /* tANS only */
    wc_words *streams;    /* per tensor (word coders) */
    uint8_t *blob;        /* whole input (byte coders) */
    size_t blob_len;
    uint64_t bytes;
    double mbps;          /* million weights decoded per second */
    unsigned raised_logs; /* tensors whose table had to grow to fit their alphabet */
} bench_row;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static wc_status quantize_model(const wc_model *m, const wc_compress_options *opt,
                                bench_input *in, wc_error *err)
{
    memset(in, 0, sizeof *in);
    for (size_t i = 0; i < m->count; i++)
        if (wc_compress_quantizes(&m->tensors[i])) {
            in->total += m->tensors[i].count;
            in->ntensors++;
        }
    in->symbols = malloc(in->total + 1);
    in->start = malloc((in->ntensors + 1) * sizeof *in->start);
    in->bins = malloc((in->ntensors + 1) * sizeof *in->bins);
    if (!in->symbols || !in->start || !in->bins)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for %llu symbols",
                       (unsigned long long)in->total);
    uint64_t at = 0;
    size_t k = 0;
    for (size_t i = 0; i < m->count; i++) {
        const wc_tensor *t = &m->tensors[i];
        if (!wc_compress_quantizes(t))
            continue;
        wc_quant q = {0};
        wc_status st = wc_quantize(t, opt->bins, opt->per_channel, in->symbols + at, &q, err);
        in->bins[k] = (unsigned)q.bins;
        wc_quant_free(&q);
        if (st != WC_OK)
            return wc_error_context(err, "tensor '%s'", t->name);
        in->start[k++] = at;
        in->h0_bits += cli_entropy_total_bits(in->symbols + at, t->count);
        at += t->count;
    }
    in->start[k] = at;
    return WC_OK;
}

static const uint8_t *tensor_symbols(const bench_input *in, size_t k, uint64_t *n)
{
    *n = in->start[k + 1] - in->start[k];
    return in->symbols + in->start[k];
}

/* Smallest table log >= `log` whose table holds every distinct symbol. */
static unsigned table_log_for(const uint64_t hist[256], unsigned log)
{
    unsigned used = 0;
    for (int s = 0; s < 256; s++)
        used += hist[s] > 0;
    while ((1u << log) < used)
        log++;
    return log;
}

static wc_status encode_row(const bench_input *in, bench_row *row, wc_error *err)
{
    if (!row->streams) {
        uLongf cap = compressBound((uLong)in->total);
        size_t zcap = ZSTD_compressBound(in->total);
        row->blob = malloc(cap > zcap ? cap : zcap);
        if (!row->blob)
            return wc_fail(err, WC_ERR_NOMEM, "out of memory");
        if (strcmp(row->coder, "zlib") == 0) {
            if (compress2(row->blob, &cap, in->symbols, (uLong)in->total, 9) != Z_OK)
                return wc_fail(err, WC_ERR_NOMEM, "zlib failed");
            row->blob_len = cap;
        } else {
            size_t got = ZSTD_compress(row->blob, zcap, in->symbols, in->total, 19);
            if (ZSTD_isError(got))
                return wc_fail(err, WC_ERR_NOMEM, "zstd: %s", ZSTD_getErrorName(got));
            row->blob_len = got;
        }
        row->bytes = row->blob_len;
        return WC_OK;
    }
    for (size_t k = 0; k < in->ntensors; k++) {
        uint64_t n;
        const uint8_t *sym = tensor_symbols(in, k, &n);
        wc_status st;
        if (strcmp(row->coder, "tans") == 0) {
            uint64_t hist[256];
            wc_histogram(sym, n, hist);
            unsigned log = 0;
            while ((1u << log) < row->states)
                log++;
            unsigned fitted = table_log_for(hist, log);
            row->raised_logs += fitted != log;
            wc_tans_dist dist;
            st = wc_tans_normalize(hist, fitted, &dist, err);
            if (st == WC_OK)
                st = wc_tans_encode(sym, n, &dist, row->lanes, &row->streams[k], err);
        } else if (strcmp(row->coder, "huffman") == 0) {
            st = wc_huf_encode(sym, n, &row->streams[k], err);
        } else {
            st = wc_raw_encode(sym, n, in->bins[k], &row->streams[k], err);
        }
        if (st != WC_OK)
            return st;
        row->bytes += 4 * (uint64_t)row->streams[k].n;
    }
    return WC_OK;
}

static wc_status decode_row(const bench_input *in, const bench_row *row, uint8_t *out,
                            wc_error *err)
{
    if (!row->streams) {
        if (strcmp(row->coder, "zlib") == 0) {
            uLongf len = (uLongf)in->total;
            if (uncompress(out, &len, row->blob, (uLong)row->blob_len) != Z_OK ||
                len != in->total)
                return wc_fail(err, WC_ERR_CORRUPT, "zlib round trip failed");
        } else {
            size_t got = ZSTD_decompress(out, in->total, row->blob, row->blob_len);
            if (ZSTD_isError(got) || got != in->total)
                return wc_fail(err, WC_ERR_CORRUPT, "zstd round trip failed");
        }
        return WC_OK;
    }
    for (size_t k = 0; k < in->ntensors; k++) {
        uint64_t n;
        tensor_symbols(in, k, &n);
        const wc_words *w = &row->streams[k];
        uint8_t *dst = out + in->start[k];
        wc_status st;
        if (strcmp(row->coder, "tans") == 0)
            st = wc_tans_decode(w->w, w->n, n, dst, NULL, err);
        else if (strcmp(row->coder, "huffman") == 0)
            st = wc_huf_decode(w->w, w->n, n, dst, err);
        else
            st = wc_raw_decode(w->w, w->n, n, in->bins[k], dst, err);
        if (st != WC_OK)
            return st;
    }
    return WC_OK;
}

/* Best of repeated decodes: at least 3 runs and 0.3 s in all. */
static wc_status time_row(const bench_input *in, bench_row *row, uint8_t *out, wc_error *err)
{
    wc_status st = decode_row(in, row, out, err);
    if (st != WC_OK)
        return st;
    if (memcmp(out, in->symbols, in->total) != 0)
        return wc_fail(err, WC_ERR_CORRUPT, "%s decoded different symbols", row->coder);
    double best = 1e30, spent = 0;
    for (int run = 0; run < 3 || spent < 0.3; run++) {
        double t0 = now_seconds();
        if ((st = decode_row(in, row, out, err)) != WC_OK)
            return st;
        double dt = now_seconds() - t0;
        spent += dt;
        if (dt < best)
            best = dt;
    }
    row->mbps = (double)in->total / best / 1e6;
    return WC_OK;
}

static void free_row(const bench_input *in, bench_row *row)
{
    for (size_t k = 0; row->streams && k < in->ntensors; k++)
        wc_words_free(&row->streams[k]);
    free(row->streams);
    free(row->blob);
}

static void print_text(const char *path, const wc_compress_options *opt, const bench_input *in,
                       const bench_row *rows, size_t nrows)
{
    printf("%s: %llu weights in %zu tensors, %d bins%s; H0 bound %.0f bytes (%.3f bits/weight)\n",
           path, (unsigned long long)in->total, in->ntensors, opt->bins,
           opt->per_channel ? " per channel" : "", in->h0_bits / 8,
           in->total ? in->h0_bits / (double)in->total : 0.0);
    printf("%-8s %6s %5s %12s %10s %10s %12s\n", "coder", "states", "lanes", "bytes", "bits/w",
           "vs H0", "decode Mw/s");
    for (size_t i = 0; i < nrows; i++) {
        const bench_row *r = &rows[i];
        char states[16] = "-", lanes[16] = "-";
        if (r->states) {
            snprintf(states, sizeof states, "%u", r->states);
            snprintf(lanes, sizeof lanes, "%u", r->lanes);
        }
        printf("%-8s %6s %5s %12llu %10.3f %+9.2f%% %12.0f\n", r->coder, states, lanes,
               (unsigned long long)r->bytes, 8.0 * (double)r->bytes / (double)in->total,
               100.0 * (8.0 * (double)r->bytes / in->h0_bits - 1.0), r->mbps);
    }
}

static void print_json(const char *path, const wc_compress_options *opt, const bench_input *in,
                       const bench_row *rows, size_t nrows)
{
    printf("{\n  \"model\": ");
    cli_json_string(stdout, path);
    printf(",\n  \"bins\": %d, \"per_channel\": %s, \"weights\": %llu, \"tensors\": %zu,\n",
           opt->bins, opt->per_channel ? "true" : "false", (unsigned long long)in->total,
           in->ntensors);
    printf("  \"h0_bytes\": ");
    cli_json_number(stdout, in->h0_bits / 8);
    printf(",\n  \"rows\": [");
    for (size_t i = 0; i < nrows; i++) {
        const bench_row *r = &rows[i];
        printf("%s\n    {\"coder\": \"%s\", ", i ? "," : "", r->coder);
        if (r->states)
            printf("\"states\": %u, \"lanes\": %u, ", r->states, r->lanes);
        else
            printf("\"states\": null, \"lanes\": null, ");
        printf("\"bytes\": %llu, \"decode_mbps\": ", (unsigned long long)r->bytes);
        cli_json_number(stdout, r->mbps);
        printf(", \"raised_table_logs\": %u}", r->raised_logs);
    }
    printf("\n  ]\n}\n");
}

int cmd_bench(int argc, char **argv)
{
    wc_compress_options opt = wc_compress_defaults();
    int json = 0;
    const char *path = NULL;
    cli_args a = {argc, argv, 0, NULL};
    while (a.next < argc) {
        if (cli_flag(&a, "json")) {
            json = 1;
            continue;
        }
        if (cli_flag(&a, "per-channel")) {
            opt.per_channel = 1;
            continue;
        }
        int got = cli_option(&a, "bins");
        long bins;
        if (got < 0)
            return cli_usage("--bins needs a value");
        if (got) {
            if (cli_parse_int("bins", a.value, 3, 255, &bins))
                return EXIT_USAGE;
            if (bins % 2 == 0)
                return cli_usage("--bins must be odd, not %ld", bins);
            opt.bins = (int)bins;
            continue;
        }
        if (strncmp(argv[a.next], "--", 2) == 0)
            return cli_usage("bench: unknown option '%s'", argv[a.next]);
        if (path)
            return cli_usage("bench takes one model file");
        path = argv[a.next++];
    }
    if (!path)
        return cli_usage("bench needs a model file");

    bench_row rows[] = {
        {"tans", 64, 1, 0, 0, 0, 0, 0, 0},   {"tans", 256, 1, 0, 0, 0, 0, 0, 0},
        {"tans", 4096, 1, 0, 0, 0, 0, 0, 0}, {"tans", 64, 8, 0, 0, 0, 0, 0, 0},
        {"tans", 256, 8, 0, 0, 0, 0, 0, 0},  {"tans", 4096, 8, 0, 0, 0, 0, 0, 0},
        {"huffman", 0, 0, 0, 0, 0, 0, 0, 0}, {"raw", 0, 0, 0, 0, 0, 0, 0, 0},
        {"zlib", 0, 0, 0, 0, 0, 0, 0, 0},    {"zstd", 0, 0, 0, 0, 0, 0, 0, 0},
    };
    const size_t nrows = sizeof rows / sizeof rows[0];
    wc_error err = {0};
    wc_model model = {0};
    bench_input in = {0};
    uint8_t *out = NULL;
    wc_status st = wc_model_load(path, &model, &err);
    if (st == WC_OK)
        st = quantize_model(&model, &opt, &in, &err);
    if (st == WC_OK && in.total == 0)
        st = wc_fail(&err, WC_ERR_ARG, "%s has no tensors to quantize", path);
    if (st == WC_OK && !(out = malloc(in.total)))
        st = wc_fail(&err, WC_ERR_NOMEM, "out of memory");
    cli_progress bar;
    cli_progress_start(&bar, "bench", nrows);
    for (size_t i = 0; i < nrows && st == WC_OK; i++) {
        int word_coder = rows[i].states || !strcmp(rows[i].coder, "huffman") ||
                         !strcmp(rows[i].coder, "raw");
        if (word_coder && !(rows[i].streams = calloc(in.ntensors, sizeof(wc_words))))
            st = wc_fail(&err, WC_ERR_NOMEM, "out of memory");
        if (st == WC_OK)
            st = encode_row(&in, &rows[i], &err);
        if (st == WC_OK)
            st = time_row(&in, &rows[i], out, &err);
        cli_progress_update(&bar, i + 1);
    }
    cli_progress_end(&bar);
    if (st == WC_OK) {
        if (json)
            print_json(path, &opt, &in, rows, nrows);
        else
            print_text(path, &opt, &in, rows, nrows);
    }
    for (size_t i = 0; i < nrows; i++)
        free_row(&in, &rows[i]);
    free(out);
    free(in.symbols);
    free(in.start);
    free(in.bins);
    wc_model_free(&model);
    return st == WC_OK ? EXIT_OK : cli_fail(&err);
}

/* Tests of the weight quantizer (quant/quant.h) and the order-0 entropy
 * helpers (common/stats.h). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/stats.h"
#include "quant/quant.h"

/* ---- helpers ---- */

static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
    rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
}

/* Uniform in (0, 1), from xorshift64*. */
static double rng_uniform(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    uint64_t r = rng_state * 0x2545F4914F6CDD1Dull;
    return ((double)(r >> 11) + 0.5) * 0x1p-53;
}

static double rng_gaussian(void)
{
    return sqrt(-2.0 * log(rng_uniform())) * cos(6.283185307179586 * rng_uniform());
}

static double rng_laplacian(void)
{
    double u = rng_uniform();
    return u < 0.5 ? log(2.0 * u) : -log(2.0 * (1.0 - u));
}

/* Student-t with 3 degrees of freedom: heavy tails. */
static double rng_student3(void)
{
    double chi2 = 0.0;
    for (int i = 0; i < 3; i++) {
        double g = rng_gaussian();
        chi2 += g * g;
    }
    return rng_gaussian() / sqrt(chi2 / 3.0);
}

/* A float tensor of the given shape with zeroed values (freed by free_tensor). */
static wc_tensor make_tensor(int rank, const uint64_t *dims, int channel_axis)
{
    wc_tensor t;
    memset(&t, 0, sizeof t);
    t.name = (char *)"w";
    t.dtype = WC_DTYPE_F32;
    t.rank = rank;
    t.count = 1;
    for (int i = 0; i < rank; i++) {
        t.dims[i] = dims[i];
        t.count *= dims[i];
    }
    t.channel_axis = channel_axis;
    t.values = calloc(t.count ? t.count : 1, sizeof *t.values);
    return t;
}

static wc_tensor make_vector(uint64_t n)
{
    return make_tensor(1, &n, 0);
}

static void free_tensor(wc_tensor *t)
{
    free(t->values);
    free(t->bytes);
}

/* Quantizes t; CHECKs success.  *symbols is malloc'd. */
static void quantize_ok(const wc_tensor *t, int bins, int per_channel, uint8_t **symbols,
                        wc_quant *q)
{
    wc_error err = {0};
    *symbols = malloc(t->count ? t->count : 1);
    CHECK(*symbols != NULL);
    wc_status st = wc_quantize(t, bins, per_channel, *symbols, q, &err);
    CHECK_MSG(st == WC_OK, "wc_quantize failed: %s", err.msg);
}

/* Dequantized copy of the symbols (malloc'd). */
static float *dequantize_ok(const wc_tensor *t, const wc_quant *q, const uint8_t *symbols)
{
    wc_error err = {0};
    float *out = malloc((t->count ? t->count : 1) * sizeof *out);
    CHECK(out != NULL);
    wc_status st = wc_dequantize(q, t->rank, t->dims, symbols, t->count, out, &err);
    CHECK_MSG(st == WC_OK, "wc_dequantize failed: %s", err.msg);
    return out;
}

static double squared_error(const float *a, const float *b, uint64_t n)
{
    double e = 0.0;
    for (uint64_t i = 0; i < n; i++) {
        double d = (double)a[i] - (double)b[i];
        e += d * d;
    }
    return e;
}

/* Squared error of the library's quantization of t. */
static double quantized_error(const wc_tensor *t, int bins, int per_channel)
{
    uint8_t *sym;
    wc_quant q = {0};
    quantize_ok(t, bins, per_channel, &sym, &q);
    float *out = dequantize_ok(t, &q, sym);
    double e = squared_error(t->values, out, t->count);
    free(out);
    free(sym);
    wc_quant_free(&q);
    return e;
}

/* Squared error of one fixed grid over values[0..n-1]. */
static double grid_error(const float *values, uint64_t n, float scale, int32_t zero_point,
                         int bins)
{
    double e = 0.0;
    for (uint64_t i = 0; i < n; i++) {
        double d = (double)values[i] -
                   wc_quant_value(wc_quant_symbol(values[i], scale, zero_point, bins), scale,
                                  zero_point);
        e += d * d;
    }
    return e;
}

/* Squared error of plain symmetric max-abs scaling, per tensor. */
static double max_abs_error(const float *values, uint64_t n, int bins)
{
    float max_abs = 0.0f;
    for (uint64_t i = 0; i < n; i++)
        max_abs = fmaxf(max_abs, fabsf(values[i]));
    int32_t centre = (bins - 1) / 2;
    return grid_error(values, n, max_abs / (float)centre, centre, bins);
}

typedef double (*sampler)(void);

static void fill(wc_tensor *t, sampler draw, double scale)
{
    for (uint64_t i = 0; i < t->count; i++)
        t->values[i] = (float)(scale * draw());
}

/* ---- bins ---- */

static void even_or_out_of_range_bins_are_rejected_with_advice(void)
{
    wc_tensor t = make_vector(4);
    uint8_t sym[4];
    wc_quant q = {0};
    wc_error err = {0};
    CHECK(wc_quantize(&t, 16, 0, sym, &q, &err) == WC_ERR_ARG);
    CHECK_MSG(strcmp(err.msg, "bins must be odd and between 3 and 255, got 16") == 0, "got '%s'",
              err.msg);
    const int bad[] = {-3, 0, 1, 2, 256, 257};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(wc_quantize(&t, bad[i], 0, sym, &q, &err) == WC_ERR_ARG);
        CHECK(strstr(err.msg, "bins must be odd") != NULL);
        CHECK(q.scale == NULL && q.zero_point == NULL);
    }
    CHECK(wc_quantize(&t, 3, 0, sym, &q, &err) == WC_OK);
    wc_quant_free(&q);
    CHECK(wc_quantize(&t, 255, 0, sym, &q, &err) == WC_OK);
    wc_quant_free(&q);
    free_tensor(&t);
}

/* ---- formulas and round trip ---- */

static void symbols_are_in_range_and_error_is_at_most_half_a_step_inside_the_grid(void)
{
    const int bins_list[] = {3, 7, 15, 255};
    rng_seed(1);
    wc_tensor t = make_vector(5000);
    fill(&t, rng_gaussian, 0.05);
    for (size_t b = 0; b < sizeof bins_list / sizeof bins_list[0]; b++) {
        int bins = bins_list[b];
        uint8_t *sym;
        wc_quant q = {0};
        quantize_ok(&t, bins, 0, &sym, &q);
        CHECK(q.bins == bins && q.groups == 1 && q.per_channel == 0);
        float s = q.scale[0];
        int32_t z = q.zero_point[0];
        CHECK(s > 0.0f && z >= 0 && z < bins);
        float *out = dequantize_ok(&t, &q, sym);
        float bottom = wc_quant_value(0, s, z), top = wc_quant_value((uint8_t)(bins - 1), s, z);
        for (uint64_t i = 0; i < t.count; i++) {
            float w = t.values[i];
            CHECK_MSG(sym[i] < bins, "symbol %u at %llu, bins %d", sym[i], (unsigned long long)i,
                      bins);
            CHECK(sym[i] == wc_quant_symbol(w, s, z, bins));
            CHECK(out[i] == wc_quant_value(sym[i], s, z));
            if (w >= bottom && w <= top)
                CHECK_MSG(fabs((double)w - out[i]) <= 0.5 * s * (1 + 1e-6),
                          "bins %d: |%g - %g| > s/2 = %g", bins, w, out[i], 0.5 * s);
            else
                CHECK(out[i] == (w < bottom ? bottom : top));
        }
        free(out);
        free(sym);
        wc_quant_free(&q);
    }
    free_tensor(&t);
}

static void quantize_formula_rounds_half_up_after_a_float_division(void)
{
    /* 0.5 / 1 = 0.5 rounds up; -0.5 rounds up to 0; the largest float below
     * 0.5 stays below (float addition of 0.5 would round it to 1). */
    CHECK(wc_quant_symbol(0.5f, 1.0f, 7, 15) == 8);
    CHECK(wc_quant_symbol(-0.5f, 1.0f, 7, 15) == 7);
    CHECK(wc_quant_symbol(-0.50000006f, 1.0f, 7, 15) == 6);
    CHECK(wc_quant_symbol(nextafterf(0.5f, 0.0f), 1.0f, 7, 15) == 7);
    CHECK(wc_quant_symbol(100.0f, 1.0f, 7, 15) == 14);
    CHECK(wc_quant_symbol(-100.0f, 1.0f, 7, 15) == 0);
    CHECK(wc_quant_symbol(FLT_MAX, FLT_TRUE_MIN, 0, 255) == 254);
    /* w / s is a binary32 division: 2.5 / fl(1/3) is 7.4999998 exactly but
     * 7.5 in binary32, so the symbol is 8, not 7 */
    CHECK(wc_quant_symbol(2.5f, 1.0f / 3.0f, 0, 255) == 8);
    CHECK(wc_quant_value(9, 0.25f, 4) == 1.25f);
    CHECK(wc_quant_value(0, 0.25f, 4) == -1.0f);
}

static void zero_maps_to_the_zero_point_and_back_to_exactly_zero(void)
{
    const uint64_t dims[2] = {6, 400};
    rng_seed(2);
    wc_tensor t = make_tensor(2, dims, 0);
    for (uint64_t i = 0; i < t.count; i++) {
        uint64_t channel = i / 400;
        double w = rng_uniform() < 0.3 ? 0.0 : 0.1 * (double)(channel + 1) * rng_laplacian();
        if (channel == 5)
            w = fabs(w) + 0.01;             /* all positive: zero point at the edge */
        t.values[i] = (float)w;
    }
    t.values[7] = -0.0f;
    t.values[5 * 400] = 0.0f;
    for (int per_channel = 0; per_channel < 2; per_channel++) {
        for (int bins = 3; bins <= 15; bins += 4) {
            uint8_t *sym;
            wc_quant q = {0};
            quantize_ok(&t, bins, per_channel, &sym, &q);
            float *out = dequantize_ok(&t, &q, sym);
            for (uint64_t i = 0; i < t.count; i++) {
                if (t.values[i] != 0.0f)
                    continue;
                uint64_t g = wc_quant_group_of(&q, t.rank, t.dims, i);
                CHECK_MSG(sym[i] == q.zero_point[g], "element %llu: symbol %u, zero point %d",
                          (unsigned long long)i, sym[i], (int)q.zero_point[g]);
                CHECK(out[i] == 0.0f);
            }
            free(out);
            free(sym);
            wc_quant_free(&q);
        }
    }
    free_tensor(&t);
}

/* ---- quality ---- */

static void check_never_worse_than_max_abs(sampler draw, uint64_t seed)
{
    const int bins_list[] = {3, 7, 15, 31};
    rng_seed(seed);
    wc_tensor t = make_vector(20000);
    fill(&t, draw, 0.02);
    for (size_t b = 0; b < sizeof bins_list / sizeof bins_list[0]; b++) {
        double mine = quantized_error(&t, bins_list[b], 0);
        double base = max_abs_error(t.values, t.count, bins_list[b]);
        CHECK_MSG(mine <= base, "bins %d: error %.9g, max-abs %.9g", bins_list[b], mine, base);
    }
    free_tensor(&t);
}

static void mse_is_never_worse_than_max_abs_on_gaussian_data(void)
{
    check_never_worse_than_max_abs(rng_gaussian, 3);
}

static void mse_is_never_worse_than_max_abs_on_laplacian_data(void)
{
    check_never_worse_than_max_abs(rng_laplacian, 4);
}

static void mse_is_never_worse_than_max_abs_on_student_t_data(void)
{
    check_never_worse_than_max_abs(rng_student3, 5);
}

static void mse_is_much_better_than_max_abs_with_outliers(void)
{
    rng_seed(6);
    wc_tensor t = make_vector(20000);
    fill(&t, rng_gaussian, 0.02);
    t.values[100] = 0.2f;       /* 10 sigma: max-abs scaling wastes most levels on it */
    t.values[9000] = -0.15f;
    t.values[15000] = 0.12f;
    for (int bins = 7; bins <= 15; bins += 8) {
        double mine = quantized_error(&t, bins, 0);
        double base = max_abs_error(t.values, t.count, bins);
        CHECK_MSG(mine < 0.5 * base, "bins %d: error %.6g, max-abs %.6g", bins, mine, base);
    }
    free_tensor(&t);
}

/* Small tensors where a brute-force search over every zero point and a fine
 * scale grid is affordable: the quantizer must come within 2% of it. */
static void mse_is_close_to_a_brute_force_search(void)
{
    const int bins = 7;
    rng_seed(7);
    wc_tensor t = make_vector(500);
    for (int shape = 0; shape < 3; shape++) {
        for (uint64_t i = 0; i < t.count; i++)
            t.values[i] = (float)(shape == 0   ? rng_gaussian()
                                  : shape == 1 ? fabs(rng_laplacian()) - 0.2
                                               : rng_student3());
        float lo = t.values[0], hi = t.values[0];
        for (uint64_t i = 0; i < t.count; i++) {
            lo = fminf(lo, t.values[i]);
            hi = fmaxf(hi, t.values[i]);
        }
        double best = INFINITY;
        for (int32_t z = 0; z < bins; z++) {
            for (int k = 1; k <= 2000; k++) {
                float s = (float)((hi - lo) / (bins - 1) * 2.0 * k / 2000.0);
                best = fmin(best, grid_error(t.values, t.count, s, z, bins));
            }
        }
        double mine = quantized_error(&t, bins, 0);
        CHECK_MSG(mine <= best * 1.02, "shape %d: error %.6g, brute force %.6g", shape, mine,
                  best);
    }
    free_tensor(&t);
}

static void positive_data_gets_an_edge_zero_point_and_beats_every_symmetric_grid(void)
{
    const int bins = 15;
    const int32_t centre = (bins - 1) / 2;
    rng_seed(8);
    wc_tensor t = make_vector(2000);
    for (uint64_t i = 0; i < t.count; i++)
        t.values[i] = (float)(0.5 + 1.5 * rng_uniform());
    uint8_t *sym;
    wc_quant q = {0};
    quantize_ok(&t, bins, 0, &sym, &q);
    CHECK_MSG(q.zero_point[0] <= 2, "zero point %d for data in [0.5, 2]", (int)q.zero_point[0]);
    float *out = dequantize_ok(&t, &q, sym);
    double mine = squared_error(t.values, out, t.count);
    double best_symmetric = INFINITY;
    for (int k = 1; k <= 2000; k++)
        best_symmetric = fmin(best_symmetric, grid_error(t.values, t.count,
                                                         (float)(4.0 * k / 2000.0 / centre),
                                                         centre, bins));
    CHECK_MSG(mine < 0.5 * best_symmetric, "error %.6g, best symmetric %.6g", mine,
              best_symmetric);
    free(out);
    free(sym);
    wc_quant_free(&q);
    free_tensor(&t);
}

/* ---- groups ---- */

/* Channel c of a [2, 4, 50] tensor along `axis` has values uniform in
 * [-range[c], range[c]]; each channel's scale must follow its own range. */
static void check_channel_scales(int axis)
{
    const int bins = 15;
    const double range[4] = {0.01, 1.0, 100.0, 0.5};
    uint64_t dims[3] = {2, 50, 50};
    dims[axis] = 4;
    rng_seed(9 + (uint64_t)axis);
    wc_tensor t = make_tensor(3, dims, axis);
    uint64_t stride = 1;
    for (int i = axis + 1; i < 3; i++)
        stride *= dims[i];
    for (uint64_t i = 0; i < t.count; i++) {
        uint64_t c = i / stride % 4;
        t.values[i] = (float)(range[c] * (2.0 * rng_uniform() - 1.0));
    }
    uint8_t *sym;
    wc_quant q = {0};
    quantize_ok(&t, bins, 1, &sym, &q);
    CHECK(q.per_channel == 1 && q.axis == axis && q.groups == 4);
    for (int c = 0; c < 4; c++) {
        double ratio = q.scale[c] / range[c] * ((bins - 1) / 2);
        CHECK_MSG(ratio > 0.8 && ratio < 1.1, "axis %d channel %d: scale %g for range %g",
                  axis, c, q.scale[c], range[c]);
    }
    for (uint64_t i = 0; i < t.count; i++) {
        uint64_t c = i / stride % 4;
        CHECK(wc_quant_group_of(&q, t.rank, t.dims, i) == c);
        CHECK(sym[i] == wc_quant_symbol(t.values[i], q.scale[c], q.zero_point[c], bins));
    }
    free(sym);
    wc_quant_free(&q);
    free_tensor(&t);
}

static void per_channel_scales_follow_channel_axis_0(void)
{
    check_channel_scales(0);
}

static void per_channel_scales_follow_channel_axis_1(void)
{
    check_channel_scales(1);
}

static void per_channel_scales_follow_the_last_axis(void)
{
    check_channel_scales(2);
}

static void per_channel_on_rank_0_or_1_falls_back_to_one_group(void)
{
    wc_tensor v = make_vector(10);
    wc_tensor s = make_tensor(0, NULL, 0);
    for (int i = 0; i < 10; i++)
        v.values[i] = (float)i - 4.5f;
    s.values[0] = 3.0f;
    uint8_t *sym;
    wc_quant q = {0};
    quantize_ok(&v, 7, 1, &sym, &q);
    CHECK(q.per_channel == 0 && q.groups == 1 && q.axis == 0);
    CHECK(wc_quant_group_of(&q, v.rank, v.dims, 9) == 0);
    free(sym);
    wc_quant_free(&q);
    quantize_ok(&s, 7, 1, &sym, &q);
    CHECK(q.per_channel == 0 && q.groups == 1);
    float *out = dequantize_ok(&s, &q, sym);
    CHECK(out[0] == 3.0f);
    free(out);
    free(sym);
    wc_quant_free(&q);
    free_tensor(&v);
    free_tensor(&s);
}

static void bad_channel_axis_is_rejected(void)
{
    const uint64_t dims[2] = {2, 3};
    wc_tensor t = make_tensor(2, dims, 2);
    uint8_t sym[6];
    wc_quant q = {0};
    wc_error err = {0};
    CHECK(wc_quantize(&t, 7, 1, sym, &q, &err) == WC_ERR_ARG);
    CHECK(strstr(err.msg, "channel_axis 2") != NULL);
    CHECK(wc_quantize(&t, 7, 0, sym, &q, &err) == WC_OK);   /* ignored per tensor */
    wc_quant_free(&q);
    free_tensor(&t);
}

/* ---- degenerate groups and bad input ---- */

static void all_zero_and_constant_groups_are_exact(void)
{
    const uint64_t dims[2] = {3, 5};
    wc_tensor t = make_tensor(2, dims, 0);
    for (int j = 0; j < 5; j++) {
        t.values[j] = 0.0f;
        t.values[5 + j] = 0.3f;
        t.values[10 + j] = -2.5e-3f;
    }
    uint8_t *sym;
    wc_quant q = {0};
    quantize_ok(&t, 15, 1, &sym, &q);
    CHECK(q.groups == 3);
    CHECK(q.scale[0] == 1.0f && q.zero_point[0] == 7);
    for (int j = 0; j < 5; j++)
        CHECK(sym[j] == 7);
    float *out = dequantize_ok(&t, &q, sym);
    for (uint64_t i = 0; i < t.count; i++)
        CHECK_MSG(out[i] == t.values[i], "element %llu: %g became %g", (unsigned long long)i,
                  t.values[i], out[i]);
    CHECK(isinf(q.snr_db) && q.snr_db > 0);
    free(out);
    free(sym);
    wc_quant_free(&q);

    memset(t.values, 0, t.count * sizeof *t.values);
    quantize_ok(&t, 15, 0, &sym, &q);
    CHECK(q.scale[0] == 1.0f && q.zero_point[0] == 7);
    CHECK(isinf(q.snr_db) && q.snr_db > 0);
    free(sym);
    wc_quant_free(&q);
    free_tensor(&t);
}

static void non_finite_elements_are_rejected_by_index(void)
{
    wc_tensor t = make_vector(50);
    uint8_t sym[50];
    wc_quant q = {0};
    wc_error err = {0};
    t.values[37] = NAN;
    CHECK(wc_quantize(&t, 15, 0, sym, &q, &err) == WC_ERR_ARG);
    CHECK_MSG(strstr(err.msg, "element 37 is NaN") != NULL, "got '%s'", err.msg);
    CHECK(q.scale == NULL);
    t.values[37] = 0.0f;
    t.values[49] = -INFINITY;
    CHECK(wc_quantize(&t, 15, 0, sym, &q, &err) == WC_ERR_ARG);
    CHECK_MSG(strstr(err.msg, "element 49 is infinite") != NULL, "got '%s'", err.msg);
    free_tensor(&t);
}

static void shape_count_mismatch_and_unknown_dtype_are_rejected(void)
{
    wc_tensor t = make_vector(8);
    uint8_t sym[8];
    wc_quant q = {0};
    wc_error err = {0};
    t.count = 7;
    CHECK(wc_quantize(&t, 15, 0, sym, &q, &err) == WC_ERR_ARG);
    CHECK(strstr(err.msg, "does not match") != NULL);
    t.count = 8;
    t.dtype = (wc_dtype)99;
    CHECK(wc_quantize(&t, 15, 0, sym, &q, &err) == WC_ERR_UNSUPPORTED);
    free_tensor(&t);
}

static void extreme_magnitudes_give_finite_results(void)
{
    wc_tensor t = make_vector(6);
    const float big[6] = {FLT_MAX, -FLT_MAX, 1.0f, -3e37f, 0.0f, 2e38f};
    const float tiny[6] = {FLT_TRUE_MIN, -FLT_TRUE_MIN, 3 * FLT_TRUE_MIN, 0.0f, -2 * FLT_TRUE_MIN,
                           FLT_TRUE_MIN};
    for (int set = 0; set < 2; set++) {
        memcpy(t.values, set ? tiny : big, sizeof big);
        for (int bins = 3; bins <= 255; bins += 252) {
            uint8_t *sym;
            wc_quant q = {0};
            quantize_ok(&t, bins, 0, &sym, &q);
            float *out = dequantize_ok(&t, &q, sym);
            for (int i = 0; i < 6; i++)
                CHECK_MSG(isfinite(out[i]), "set %d bins %d: element %d became %g", set, bins, i,
                          out[i]);
            CHECK(!isnan(q.snr_db));
            free(out);
            free(sym);
            wc_quant_free(&q);
        }
    }
    free_tensor(&t);
}

static void empty_tensor_gives_one_neutral_group(void)
{
    const uint64_t dims[2] = {4, 0};
    wc_tensor t = make_tensor(2, dims, 0);
    uint8_t *sym;
    wc_quant q = {0};
    quantize_ok(&t, 7, 1, &sym, &q);
    CHECK(q.groups == 1 && q.per_channel == 0 && q.scale[0] == 1.0f && q.zero_point[0] == 3);
    CHECK(isinf(q.snr_db));
    free(sym);
    wc_quant_free(&q);
    free_tensor(&t);
}

static void quantization_is_deterministic(void)
{
    const uint64_t dims[2] = {16, 300};
    rng_seed(10);
    wc_tensor t = make_tensor(2, dims, 0);
    fill(&t, rng_student3, 0.1);
    uint8_t *sym1, *sym2;
    wc_quant q1 = {0}, q2 = {0};
    quantize_ok(&t, 15, 1, &sym1, &q1);
    quantize_ok(&t, 15, 1, &sym2, &q2);
    CHECK(memcmp(sym1, sym2, t.count) == 0);
    CHECK(memcmp(q1.scale, q2.scale, 16 * sizeof *q1.scale) == 0);
    CHECK(memcmp(q1.zero_point, q2.zero_point, 16 * sizeof *q1.zero_point) == 0);
    free(sym1);
    free(sym2);
    wc_quant_free(&q1);
    wc_quant_free(&q2);
    free_tensor(&t);
}

/* ---- integer tensors ---- */

static void integer_tensors_pass_through_exactly(void)
{
    const uint8_t stored[5] = {0x80, 0xFF, 0x00, 0x01, 0x7F};
    wc_tensor t;
    memset(&t, 0, sizeof t);
    t.rank = 1;
    t.dims[0] = t.count = 5;
    t.bytes = malloc(5);
    memcpy(t.bytes, stored, 5);
    uint8_t *sym;
    wc_quant q = {0};
    float *out;

    t.dtype = WC_DTYPE_I8;
    quantize_ok(&t, 15, 1, &sym, &q);
    CHECK(q.bins == 256 && q.groups == 1 && q.scale[0] == 1.0f && q.zero_point[0] == 128);
    const uint8_t want_i8[5] = {0, 127, 128, 129, 255};
    CHECK(memcmp(sym, want_i8, 5) == 0);
    CHECK(isinf(q.snr_db));
    out = dequantize_ok(&t, &q, sym);
    const float value_i8[5] = {-128.0f, -1.0f, 0.0f, 1.0f, 127.0f};
    CHECK(memcmp(out, value_i8, sizeof value_i8) == 0);
    free(out);
    free(sym);
    wc_quant_free(&q);

    t.dtype = WC_DTYPE_U8;
    quantize_ok(&t, 7, 0, &sym, &q);
    CHECK(q.bins == 256 && q.scale[0] == 1.0f && q.zero_point[0] == 0);
    CHECK(memcmp(sym, stored, 5) == 0);
    out = dequantize_ok(&t, &q, sym);
    for (int i = 0; i < 5; i++)
        CHECK(out[i] == (float)stored[i]);
    free(out);
    free(sym);
    wc_quant_free(&q);
    free_tensor(&t);
}

/* ---- SNR ---- */

/* {2, -2, 1} with 3 bins: clipping the negative side (z = 0) or the positive
 * side (z = 2) costs at least 4, so z = 1 and levels {-s, 0, s}; with all
 * three on the outer levels the error 2 (2 - s)^2 + (1 - s)^2 is least at
 * s = 5/3, where it is 2/3.  Signal 9, so SNR = 10 log10(13.5). */
static void snr_matches_a_hand_computation(void)
{
    wc_tensor t = make_vector(3);
    t.values[0] = 2.0f;
    t.values[1] = -2.0f;
    t.values[2] = 1.0f;
    uint8_t *sym;
    wc_quant q = {0};
    quantize_ok(&t, 3, 0, &sym, &q);
    CHECK(q.zero_point[0] == 1);
    CHECK_MSG(fabs(q.scale[0] - 5.0 / 3.0) < 0.01, "scale %g", q.scale[0]);
    CHECK_MSG(fabs(q.snr_db - 10.0 * log10(13.5)) < 1e-3, "snr %.6f dB, want %.6f", q.snr_db,
              10.0 * log10(13.5));
    free(sym);
    wc_quant_free(&q);
    free_tensor(&t);
}

static void snr_matches_the_dequantized_tensor(void)
{
    const uint64_t dims[2] = {8, 250};
    rng_seed(11);
    wc_tensor t = make_tensor(2, dims, 1);
    fill(&t, rng_laplacian, 0.3);
    for (int per_channel = 0; per_channel < 2; per_channel++) {
        uint8_t *sym;
        wc_quant q = {0};
        quantize_ok(&t, 7, per_channel, &sym, &q);
        float *out = dequantize_ok(&t, &q, sym);
        double signal = 0.0;
        for (uint64_t i = 0; i < t.count; i++)
            signal += (double)t.values[i] * t.values[i];
        double want = 10.0 * log10(signal / squared_error(t.values, out, t.count));
        CHECK_MSG(fabs(q.snr_db - want) < 1e-9, "snr %.12f, want %.12f", q.snr_db, want);
        free(out);
        free(sym);
        wc_quant_free(&q);
    }
    free_tensor(&t);
}

/* ---- dequantize and validate ---- */

static void dequantize_rejects_symbols_outside_the_bins(void)
{
    float scale = 0.5f;
    int32_t zero_point = 3;
    wc_quant q = {7, 0, 0, 1, &scale, &zero_point, 0.0};
    const uint64_t dims[1] = {4};
    const uint8_t sym[4] = {0, 6, 7, 3};
    float out[4];
    wc_error err = {0};
    CHECK(wc_dequantize(&q, 1, dims, sym, 4, out, &err) == WC_ERR_CORRUPT);
    CHECK_MSG(strstr(err.msg, "symbol 7 at element 2") != NULL, "got '%s'", err.msg);
    CHECK(wc_dequantize(&q, 1, dims, sym, 2, out, &err) == WC_ERR_CORRUPT);
    const uint64_t two[1] = {2};
    CHECK(wc_dequantize(&q, 1, two, sym, 2, out, &err) == WC_OK);
    CHECK(out[0] == -1.5f && out[1] == 1.5f);
}

static void validate_rejects_inconsistent_parameters(void)
{
    float scale[3] = {0.5f, 1.0f, 2.0f};
    int32_t zero_point[3] = {0, 3, 6};
    const uint64_t dims[2] = {3, 4};
    const wc_quant good = {7, 1, 0, 3, scale, zero_point, 0.0};
    wc_error err = {0};
    CHECK(wc_quant_validate(&good, 2, dims, &err) == WC_OK);

    wc_quant q = good;
    q.bins = 16;
    CHECK(wc_quant_validate(&q, 2, dims, &err) == WC_ERR_CORRUPT && strstr(err.msg, "bins 16"));
    q = good;
    q.bins = 256;
    CHECK(wc_quant_validate(&q, 2, dims, &err) == WC_OK);
    q = good;
    q.groups = 4;
    CHECK(wc_quant_validate(&q, 2, dims, &err) == WC_ERR_CORRUPT && strstr(err.msg, "groups"));
    q = good;
    q.axis = 2;
    CHECK(wc_quant_validate(&q, 2, dims, &err) == WC_ERR_CORRUPT && strstr(err.msg, "axis 2"));
    q = good;
    q.per_channel = 0;
    CHECK(wc_quant_validate(&q, 2, dims, &err) == WC_ERR_CORRUPT);
    q = good;
    zero_point[2] = 7;
    CHECK(wc_quant_validate(&q, 2, dims, &err) == WC_ERR_CORRUPT &&
          strstr(err.msg, "zero point 7 of group 2"));
    zero_point[2] = 6;
    const float bad_scales[3] = {0.0f, -1.0f, NAN};
    for (int i = 0; i < 3; i++) {
        scale[1] = bad_scales[i];
        CHECK(wc_quant_validate(&q, 2, dims, &err) == WC_ERR_CORRUPT &&
              strstr(err.msg, "of group 1"));
    }
    scale[1] = INFINITY;
    CHECK(wc_quant_validate(&q, 2, dims, &err) == WC_ERR_CORRUPT);
}

/* ---- entropy ---- */

static void histogram_counts_every_symbol_and_overwrites_the_table(void)
{
    const uint8_t sym[6] = {3, 3, 255, 0, 3, 0};
    uint64_t counts[256];
    memset(counts, 0xAB, sizeof counts);
    wc_histogram(sym, 6, counts);
    CHECK(counts[3] == 3 && counts[0] == 2 && counts[255] == 1);
    uint64_t total = 0;
    for (int v = 0; v < 256; v++)
        total += counts[v];
    CHECK(total == 6);
}

static void entropy_of_known_histograms(void)
{
    uint64_t counts[256] = {0};
    CHECK(wc_entropy_bits(counts, 0) == 0.0);
    counts[42] = 1000;
    CHECK(wc_entropy_bits(counts, 1000) == 0.0);
    for (int v = 0; v < 8; v++)
        counts[v] = 5;
    counts[42] = 0;
    CHECK_MSG(fabs(wc_entropy_bits(counts, 40) - 3.0) < 1e-12, "uniform over 8: %.15f",
              wc_entropy_bits(counts, 40));
    memset(counts, 0, sizeof counts);
    counts[0] = 2;
    counts[1] = 1;
    counts[2] = 1;
    CHECK(fabs(wc_entropy_bits(counts, 4) - 1.5) < 1e-12);
    for (int v = 0; v < 256; v++)
        counts[v] = 1;
    CHECK(fabs(wc_entropy_bits(counts, 256) - 8.0) < 1e-12);
    memset(counts, 0, sizeof counts);
    counts[0] = 1;
    counts[1] = 3;   /* H = 2 - (3/4) log2 3 */
    CHECK(fabs(wc_entropy_bits(counts, 4) - (2.0 - 0.75 * log2(3.0))) < 1e-12);
}

int main(void)
{
    check_suite = "quant";
    RUN(even_or_out_of_range_bins_are_rejected_with_advice);
    RUN(symbols_are_in_range_and_error_is_at_most_half_a_step_inside_the_grid);
    RUN(quantize_formula_rounds_half_up_after_a_float_division);
    RUN(zero_maps_to_the_zero_point_and_back_to_exactly_zero);
    RUN(mse_is_never_worse_than_max_abs_on_gaussian_data);
    RUN(mse_is_never_worse_than_max_abs_on_laplacian_data);
    RUN(mse_is_never_worse_than_max_abs_on_student_t_data);
    RUN(mse_is_much_better_than_max_abs_with_outliers);
    RUN(mse_is_close_to_a_brute_force_search);
    RUN(positive_data_gets_an_edge_zero_point_and_beats_every_symmetric_grid);
    RUN(per_channel_scales_follow_channel_axis_0);
    RUN(per_channel_scales_follow_channel_axis_1);
    RUN(per_channel_scales_follow_the_last_axis);
    RUN(per_channel_on_rank_0_or_1_falls_back_to_one_group);
    RUN(bad_channel_axis_is_rejected);
    RUN(all_zero_and_constant_groups_are_exact);
    RUN(non_finite_elements_are_rejected_by_index);
    RUN(shape_count_mismatch_and_unknown_dtype_are_rejected);
    RUN(extreme_magnitudes_give_finite_results);
    RUN(empty_tensor_gives_one_neutral_group);
    RUN(quantization_is_deterministic);
    RUN(integer_tensors_pass_through_exactly);
    RUN(snr_matches_a_hand_computation);
    RUN(snr_matches_the_dequantized_tensor);
    RUN(dequantize_rejects_symbols_outside_the_bins);
    RUN(validate_rejects_inconsistent_parameters);
    RUN(histogram_counts_every_symbol_and_overwrites_the_table);
    RUN(entropy_of_known_histograms);
    return CHECK_EXIT_STATUS();
}

/* The group is sorted and prefix sums of w and w^2 are kept, so the exact
 * error of a grid costs O(levels * log n) instead of O(n): the elements with
 * one symbol form a contiguous run of the sorted group, whose ends are found
 * by bisecting for each level's exact threshold, and a run's error
 * sum (w - v)^2 = sum w^2 - 2 v sum w + v^2 count comes from the prefix sums. */
#include "quant/group_search.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quant/quant.h"

#define COARSE_RATIO 0.91700404320467122   /* 2^(-1/8): scale step of the coarse walk */
#define COARSE_STEPS_MAX 256               /* 32 octaves; the clip bound stops far sooner */
#define REFINE_STEPS 8                     /* golden-section steps: bracket shrinks ~50 times */
#define GOLDEN 0.61803398874989485         /* (sqrt(5) - 1) / 2 */
#define ZERO_POINT_CANDIDATES_MAX 8

wc_status wc_group_scratch_init(wc_group_scratch *g, uint64_t cap, wc_error *err)
{
    memset(g, 0, sizeof *g);
    if (cap == 0 || cap >= SIZE_MAX / sizeof(double) - 1)
        return wc_fail(err, WC_ERR_NOMEM, "quantization scratch for %llu elements is too large",
                       (unsigned long long)cap);
    g->cap = (size_t)cap;
    g->values = malloc(g->cap * sizeof *g->values);
    g->spare = malloc(g->cap * sizeof *g->spare);
    g->sum = malloc((g->cap + 1) * sizeof *g->sum);
    g->sum_sq = malloc((g->cap + 1) * sizeof *g->sum_sq);
    if (!g->values || !g->spare || !g->sum || !g->sum_sq) {
        wc_group_scratch_free(g);
        return wc_fail(err, WC_ERR_NOMEM, "no memory for quantization scratch (%llu elements)",
                       (unsigned long long)cap);
    }
    return WC_OK;
}

void wc_group_scratch_free(wc_group_scratch *g)
{
    free(g->values);
    free(g->spare);
    free(g->sum);
    free(g->sum_sq);
    memset(g, 0, sizeof *g);
}

/* ---- sorting ---- */

/* Unsigned key with the order of the floats (-0 just below +0). */
static uint32_t float_order_key(float f)
{
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    return (bits & 0x80000000u) ? ~bits : bits | 0x80000000u;
}

/* Ascending LSD radix sort on 8-bit digits of the keys: linear time, which
 * matters for tensors of millions of weights. */
static void sort_floats(float *x, float *spare, size_t n)
{
    float *src = x, *dst = spare;
    for (unsigned shift = 0; shift < 32; shift += 8) {
        size_t start[256] = {0};
        for (size_t i = 0; i < n; i++)
            start[(float_order_key(src[i]) >> shift) & 0xFF]++;
        if (start[(float_order_key(src[0]) >> shift) & 0xFF] == n)
            continue;   /* one digit value: this pass would not move anything */
        size_t pos = 0;
        for (int d = 0; d < 256; d++) {
            size_t count = start[d];
            start[d] = pos;
            pos += count;
        }
        for (size_t i = 0; i < n; i++)
            dst[start[(float_order_key(src[i]) >> shift) & 0xFF]++] = src[i];
        float *t = src;
        src = dst;
        dst = t;
    }
    if (src != x)
        memcpy(x, src, n * sizeof *x);
}

/* ---- exact error of a grid over the sorted group ---- */

typedef struct {
    const float *x;         /* ascending */
    const double *sum;      /* sum[i] = x[0] + ... + x[i-1] */
    const double *sum_sq;
    size_t n;
    int bins;
} sorted_group;

typedef struct {
    float scale;
    int32_t zero_point;
    double err;             /* sum of squared errors */
} grid;

/* sum (x[i] - v)^2 over i in [a, b). */
static double run_error(const sorted_group *g, size_t a, size_t b, double v)
{
    if (a == b)
        return 0.0;     /* also when v is infinite */
    double e = (g->sum_sq[b] - g->sum_sq[a]) - 2.0 * v * (g->sum[b] - g->sum[a]) +
               v * v * (double)(b - a);
    return e > 0.0 ? e : 0.0;   /* rounding of the prefix sums may dip below 0 */
}

/* Neighbouring float towards +inf (up) or -inf, for t other than NaN and
 * the infinity in that direction: order keys of floats are consecutive. */
static float float_step(float t, int up)
{
    uint32_t key = float_order_key(t) + (up ? 1u : 0xFFFFFFFFu);
    uint32_t bits = (key & 0x80000000u) ? key & 0x7FFFFFFFu : ~key;
    memcpy(&t, &bits, sizeof t);
    return t;
}

/* Smallest float whose symbol exceeds `level` (0 <= level < bins-1).  By the
 * quantize formula sym > level exactly when q = fl(t / s) >= level - z + 1/2,
 * which holds from a threshold on since q does not decrease with t.  The
 * threshold is within an ulp or two of (level - z + 1/2) * s, so a few steps
 * from there find it. */
static float level_end(float s, int32_t z, int level)
{
    float half_up = (float)(level - z) + 0.5f;     /* exact: |level - z| < 256 */
    float t = (float)((double)half_up * (double)s);
    if ((float)(t / s) >= half_up) {    /* t is past it: +inf always is */
        do
            t = float_step(t, 0);
        while ((float)(t / s) >= half_up);
        return float_step(t, 1);
    }
    do                                  /* t is before it: -inf always is */
        t = float_step(t, 1);
    while ((float)(t / s) < half_up);
    return t;
}

/* First index in [from, n) whose element is >= t, or n.  Branch-free
 * bisection: the comparisons are unpredictable. */
static size_t first_at_least(const sorted_group *g, size_t from, float t)
{
    size_t base = from, len = g->n - from;
    if (len == 0)
        return from;
    while (len > 1) {
        size_t half = len / 2;
        base = g->x[base + half] < t ? base + half : base;
        len -= half;
    }
    return base + (g->x[base] < t);
}

/* The elements with one symbol form a run of the sorted group; walk the
 * runs from the lowest symbol present to the highest.  An empty level means
 * a gap, which is jumped (with many bins and a small group, most levels are
 * empty). */
static double grid_error(const sorted_group *g, float s, int32_t z)
{
    int last = wc_quant_symbol(g->x[g->n - 1], s, z, g->bins);
    double e = 0.0;
    size_t a = 0;
    for (int level = wc_quant_symbol(g->x[0], s, z, g->bins); level < last;) {
        size_t b = first_at_least(g, a, level_end(s, z, level));
        if (b == a) {   /* a < n: x[n-1] has symbol last > level */
            level = wc_quant_symbol(g->x[a], s, z, g->bins);
            continue;
        }
        e += run_error(g, a, b, wc_quant_value((uint8_t)level, s, z));
        a = b;
        level++;
    }
    e += run_error(g, a, g->n, wc_quant_value((uint8_t)last, s, z));
    return isnan(e) ? INFINITY : e;     /* levels overflowing to inf near FLT_MAX */
}

/* The part of the error due to elements outside the grid's range.  It only
 * grows as s shrinks (the range shrinks towards 0), which bounds the walk. */
static double clip_error(const sorted_group *g, float s, int32_t z)
{
    float bottom = wc_quant_value(0, s, z), top = wc_quant_value((uint8_t)(g->bins - 1), s, z);
    size_t below = first_at_least(g, 0, bottom);
    size_t above = isinf(top) ? g->n : first_at_least(g, below, float_step(top, 1));
    return run_error(g, 0, below, bottom) + run_error(g, above, g->n, top);
}

/* The error as the elements themselves give it, one by one. */
static double elementwise_error(const sorted_group *g, float s, int32_t z)
{
    double e = 0.0;
    for (size_t i = 0; i < g->n; i++) {
        float w = wc_quant_value(wc_quant_symbol(g->x[i], s, z, g->bins), s, z);
        double d = (double)g->x[i] - (double)w;
        e += d * d;
    }
    return e;
}

/* ---- search ---- */

/* Error of scale s (rounded to float); keeps it in *best if strictly better. */
static double try_scale(const sorted_group *g, double s, int32_t z, grid *best)
{
    float scale = (float)s;
    if (!(scale > 0.0f && scale <= FLT_MAX))
        return INFINITY;
    double e = grid_error(g, scale, z);
    if (e < best->err)
        *best = (grid){scale, z, e};
    return e;
}

/* Smallest scale whose grid with zero point z reaches both ends of the group
 * (0 if no positive scale reaches the side the group needs). */
static float covering_scale(const sorted_group *g, int32_t z)
{
    float lowest = g->x[0], highest = g->x[g->n - 1], need = 0.0f;
    int32_t levels_above = g->bins - 1 - z;
    if (z > 0 && lowest < 0.0f)
        need = fmaxf(need, -lowest / (float)z);
    if (levels_above > 0 && highest > 0.0f)
        need = fmaxf(need, highest / (float)levels_above);
    return need;
}

/* Golden-section search of the bracket one coarse step either side of
 * local->scale.  The error is not unimodal at this fine scale (rounding
 * moves elements between levels), so every probe may update *local. */
static void refine_scale(const sorted_group *g, grid *local)
{
    int32_t z = local->zero_point;
    double a = local->scale * COARSE_RATIO, b = local->scale / COARSE_RATIO;
    double x1 = b - GOLDEN * (b - a), x2 = a + GOLDEN * (b - a);
    double f1 = try_scale(g, x1, z, local), f2 = try_scale(g, x2, z, local);
    for (int i = 0; i < REFINE_STEPS; i++) {
        if (f1 <= f2) {
            b = x2, x2 = x1, f2 = f1;
            x1 = b - GOLDEN * (b - a);
            f1 = try_scale(g, x1, z, local);
        } else {
            a = x1, x1 = x2, f1 = f2;
            x2 = a + GOLDEN * (b - a);
            f2 = try_scale(g, x2, z, local);
        }
    }
}

/* Best scale for zero point z on the coarse walk down from the covering
 * scale; err is INFINITY if none can beat `bound`. */
static grid walk_scales(const sorted_group *g, int32_t z, double bound)
{
    grid local = {0.0f, z, INFINITY};
    double s = covering_scale(g, z);
    for (int step = 0; step < COARSE_STEPS_MAX && s > 0.0; step++, s *= COARSE_RATIO) {
        float scale = (float)s;
        if (!(scale > 0.0f) || clip_error(g, scale, z) >= fmin(bound, local.err))
            break;
        try_scale(g, s, z, &local);
    }
    return local;
}

/* Zero points worth a scale search: the one the range implies and the
 * symmetric centre, each with neighbours.  Returns how many (distinct). */
static int zero_point_candidates(const sorted_group *g, int32_t out[ZERO_POINT_CANDIDATES_MAX])
{
    int32_t top = g->bins - 1, centre = top / 2;
    double lowest = g->x[0], highest = g->x[g->n - 1];
    double implied = floor(top * -lowest / (highest - lowest) + 0.5);
    int32_t zr = implied < 0 ? 0 : implied > top ? top : (int32_t)implied;
    const int32_t wanted[ZERO_POINT_CANDIDATES_MAX] = {zr,     zr - 1,     zr + 1,    zr - 2,
                                                       zr + 2, centre, centre - 1, centre + 1};
    int count = 0;
    for (int i = 0; i < ZERO_POINT_CANDIDATES_MAX; i++) {
        int seen = wanted[i] < 0 || wanted[i] > top;
        for (int j = 0; j < count && !seen; j++)
            seen = out[j] == wanted[i];
        if (!seen)
            out[count++] = wanted[i];
    }
    return count;
}

/* The plain symmetric grid whose end levels are +-max|w|. */
static grid max_abs_grid(const sorted_group *g)
{
    int32_t centre = (g->bins - 1) / 2;
    float max_abs = fmaxf(-g->x[0], g->x[g->n - 1]);
    float scale = max_abs / (float)centre;
    grid base = {scale > 0.0f ? scale : FLT_TRUE_MIN, centre, 0.0};
    base.err = grid_error(g, base.scale, centre);
    return base;
}

static void prefix_sums(wc_group_scratch *s, size_t n)
{
    s->sum[0] = 0.0;
    s->sum_sq[0] = 0.0;
    for (size_t i = 0; i < n; i++) {
        double v = s->values[i];
        s->sum[i + 1] = s->sum[i] + v;
        s->sum_sq[i + 1] = s->sum_sq[i] + v * v;
    }
}

void wc_group_choose(wc_group_scratch *s, size_t n, int bins, float *scale, int32_t *zero_point)
{
    sort_floats(s->values, s->spare, n);
    const sorted_group g = {s->values, s->sum, s->sum_sq, n, bins};
    float lowest = g.x[0], highest = g.x[n - 1];
    *zero_point = (bins - 1) / 2;
    if (lowest == highest) {   /* all zero: any scale; constant c: c on level +-1 */
        *scale = lowest == 0.0f ? 1.0f : fabsf(lowest);
        return;
    }
    prefix_sums(s, n);
    const grid base = max_abs_grid(&g);
    grid best = base;
    int32_t zs[ZERO_POINT_CANDIDATES_MAX] = {0};
    int nz = zero_point_candidates(&g, zs);
    for (int i = 0; i < nz; i++) {
        grid walk = walk_scales(&g, zs[i], best.err);
        if (walk.err < best.err)
            best = walk;
    }
    refine_scale(&g, &best);
    if (best.scale != base.scale || best.zero_point != base.zero_point) {
        if (elementwise_error(&g, best.scale, best.zero_point) >=
            elementwise_error(&g, base.scale, base.zero_point))
            best = base;
    }
    *scale = best.scale;
    *zero_point = best.zero_point;
}

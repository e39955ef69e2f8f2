#include "common/tans.h"

#include <math.h>

static unsigned highbit32(uint32_t v)
{
    unsigned n = 0;
    while (v >>= 1)
        n++;
    return n;
}

/* Gain in coded bits of giving symbol s one more (delta=+1) or one fewer
 * (delta=-1) slot of the table. */
static double count_change_gain(uint64_t h, unsigned f, int delta)
{
    if (delta > 0)
        return (double)h * log2((double)(f + 1) / f);
    return -(double)h * log2((double)f / (f - 1));
}

/* The symbol whose count is best changed by `delta`, other than `except`;
 * -1 if none can change (a count never drops below 1). */
static int best_change(const uint64_t hist[WC_TANS_SYMBOLS], const uint16_t *counts, int delta,
                       int except)
{
    int best = -1;
    double best_gain = -INFINITY;
    for (int s = 0; s < WC_TANS_SYMBOLS; s++) {
        if (!hist[s] || s == except || (delta < 0 && counts[s] <= 1))
            continue;
        double gain = count_change_gain(hist[s], counts[s], delta);
        if (gain > best_gain) {
            best_gain = gain;
            best = s;
        }
    }
    return best;
}

wc_status wc_tans_normalize(const uint64_t hist[WC_TANS_SYMBOLS], unsigned table_log,
                            wc_tans_dist *dist, wc_error *err)
{
    if (table_log < WC_TANS_MIN_LOG || table_log > WC_TANS_MAX_LOG)
        return wc_fail(err, WC_ERR_ARG, "table log %u outside %d..%d (states %d..%d)", table_log,
                       WC_TANS_MIN_LOG, WC_TANS_MAX_LOG, 1 << WC_TANS_MIN_LOG,
                       1 << WC_TANS_MAX_LOG);
    const uint32_t R = 1u << table_log;
    uint64_t total = 0;
    unsigned used = 0;
    for (int s = 0; s < WC_TANS_SYMBOLS; s++) {
        total += hist[s];
        used += hist[s] > 0;
    }
    if (total == 0)
        return wc_fail(err, WC_ERR_ARG, "cannot build a tANS table for no symbols");
    if (used > R)
        return wc_fail(err, WC_ERR_ARG, "%u distinct symbols do not fit %u states; use more states",
                       used, R);

    dist->table_log = table_log;
    int64_t sum = 0;
    for (int s = 0; s < WC_TANS_SYMBOLS; s++) {
        uint64_t f = 0;
        if (hist[s]) {
            f = (uint64_t)((long double)hist[s] * R / total);
            if (f == 0)
                f = 1;
        }
        dist->counts[s] = (uint16_t)f;
        sum += (int64_t)f;
    }
    /* Greedy steps to sum == R, then pairwise exchanges while one improves
     * the objective: for a separable concave objective an allocation that no
     * single exchange improves is optimal. */
    while (sum != (int64_t)R) {
        int delta = sum < (int64_t)R ? 1 : -1;
        int best = best_change(hist, dist->counts, delta, -1);
        dist->counts[best] = (uint16_t)(dist->counts[best] + delta);
        sum += delta;
    }
    for (;;) {
        int up = best_change(hist, dist->counts, 1, -1);
        int down = best_change(hist, dist->counts, -1, up);
        if (down < 0 || count_change_gain(hist[up], dist->counts[up], 1) +
                                count_change_gain(hist[down], dist->counts[down], -1) <= 1e-9)
            break;
        dist->counts[up]++;
        dist->counts[down]--;
    }
    return WC_OK;
}

wc_status wc_tans_check_dist(const wc_tans_dist *dist, wc_error *err)
{
    if (dist->table_log < WC_TANS_MIN_LOG || dist->table_log > WC_TANS_MAX_LOG)
        return wc_fail(err, WC_ERR_CORRUPT, "table log %u outside %d..%d", dist->table_log,
                       WC_TANS_MIN_LOG, WC_TANS_MAX_LOG);
    uint32_t sum = 0;
    for (int s = 0; s < WC_TANS_SYMBOLS; s++)
        sum += dist->counts[s];
    if (sum != 1u << dist->table_log)
        return wc_fail(err, WC_ERR_CORRUPT, "table counts sum to %u, not %u", sum,
                       1u << dist->table_log);
    return WC_OK;
}

void wc_tans_spread(const wc_tans_dist *dist, uint8_t *spread)
{
    const uint32_t R = 1u << dist->table_log;
    const uint32_t step = (R >> 1) + (R >> 3) + 3;
    uint32_t pos = 0;
    for (int s = 0; s < WC_TANS_SYMBOLS; s++) {
        for (unsigned i = 0; i < dist->counts[s]; i++) {
            spread[pos] = (uint8_t)s;
            pos = (pos + step) & (R - 1);
        }
    }
}

void wc_tans_build_decode(const wc_tans_dist *dist, wc_tans_entry *table)
{
    const unsigned L = dist->table_log;
    const uint32_t R = 1u << L;
    uint8_t spread[1u << WC_TANS_MAX_LOG];
    uint32_t next[WC_TANS_SYMBOLS];
    wc_tans_spread(dist, spread);
    for (int s = 0; s < WC_TANS_SYMBOLS; s++)
        next[s] = dist->counts[s];
    for (uint32_t u = 0; u < R; u++) {
        uint8_t s = spread[u];
        uint32_t x = next[s]++;
        unsigned nbits = L - highbit32(x);
        table[u].symbol = s;
        table[u].nbits = (uint8_t)nbits;
        table[u].base = (uint16_t)((x << nbits) - R);
    }
}

double wc_tans_ideal_bits(const uint64_t hist[WC_TANS_SYMBOLS], const wc_tans_dist *dist)
{
    const double R = (double)(1u << dist->table_log);
    double bits = 0;
    for (int s = 0; s < WC_TANS_SYMBOLS; s++) {
        if (!hist[s])
            continue;
        if (!dist->counts[s])
            return INFINITY;
        bits += (double)hist[s] * log2(R / dist->counts[s]);
    }
    return bits;
}

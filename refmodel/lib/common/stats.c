#include "common/stats.h"

#include <math.h>
#include <string.h>

void wc_histogram(const uint8_t *sym, uint64_t n, uint64_t counts[256])
{
    memset(counts, 0, 256 * sizeof counts[0]);
    for (uint64_t i = 0; i < n; i++)
        counts[sym[i]]++;
}

double wc_entropy_bits(const uint64_t counts[256], uint64_t n)
{
    if (n == 0)
        return 0.0;
    double bits = 0.0;
    for (int v = 0; v < 256; v++) {
        if (counts[v] == 0)
            continue;
        double p = (double)counts[v] / (double)n;
        bits -= p * log2(p);
    }
    return bits;
}

/* Choice of one quantization group's scale and zero point (the search that
 * quant.h describes).  Internal to refmodel/lib/quant. */
#ifndef WC_QUANT_GROUP_SEARCH_H
#define WC_QUANT_GROUP_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Buffers for groups of up to `cap` elements, reused across groups. */
typedef struct {
    float *values;      /* [cap]: the caller copies a group here */
    float *spare;       /* [cap]: sort buffer */
    double *sum;        /* [cap + 1]: prefix sums of the sorted values */
    double *sum_sq;     /* [cap + 1]: prefix sums of their squares */
    size_t cap;
} wc_group_scratch;

/* Allocates buffers for groups of up to cap >= 1 elements (24 bytes each).
 * Fails with WC_ERR_NOMEM, also when the sizes overflow a size_t. */
wc_status wc_group_scratch_init(wc_group_scratch *g, uint64_t cap, wc_error *err);
void wc_group_scratch_free(wc_group_scratch *g);

/* Chooses the scale and zero point for the n (1..cap) finite values in
 * g->values, which it sorts in place. */
void wc_group_choose(wc_group_scratch *g, size_t n, int bins, float *scale,
                     int32_t *zero_point);

#ifdef __cplusplus
}
#endif

#endif

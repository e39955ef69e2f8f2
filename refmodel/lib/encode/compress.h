/* The compression pipeline of one tensor: quantize, then code the symbols
 * losslessly, and fill a container record. */
#ifndef WC_ENCODE_COMPRESS_H
#define WC_ENCODE_COMPRESS_H

#include <stdint.h>

#include "common/bitio.h"
#include "common/container.h"
#include "common/error.h"
#include "common/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Float tensors of lower rank (biases, normalisation parameters) are kept
 * verbatim: they are few, and quantizing them buys nothing. */
#define WC_COMPRESS_MIN_RANK 2

typedef struct {
    int bins;             /* odd, 3..255 */
    int per_channel;      /* quantize per output channel */
    wc_coder coder;       /* requested coder; raw is used where it is smaller */
    unsigned table_log;   /* tANS table log, WC_TANS_MIN_LOG..WC_TANS_MAX_LOG */
    unsigned lanes;       /* tANS lanes, 1..WC_TANS_MAX_LANES */
} wc_compress_options;

/* Defaults: 15 bins per tensor, tANS with 256 states and 1 lane. */
wc_compress_options wc_compress_defaults(void);

/* Checks the options; the message says what to change. */
wc_status wc_compress_check(const wc_compress_options *opt, wc_error *err);

/* Codes symbols[0..n) (all below `bins`) with opt->coder into `out`
 * (appended), unless raw packing is no larger or the coder cannot code them
 * (more distinct symbols than tANS states): then raw.  *used says which. */
wc_status wc_code_symbols(const uint8_t *symbols, uint64_t n, unsigned bins,
                          const wc_compress_options *opt, wc_coder *used, wc_words *out,
                          wc_error *err);

/* 1 if wc_compress_tensor quantizes this tensor, 0 if it keeps it verbatim. */
int wc_compress_quantizes(const wc_tensor *t);

/* Fills a zeroed record from a tensor: verbatim if it is a float tensor of
 * rank below WC_COMPRESS_MIN_RANK or empty, else quantized and coded.  When
 * `symbols` is not NULL it receives the quantized symbols (t->count bytes). */
wc_status wc_compress_tensor(const wc_tensor *t, const wc_compress_options *opt, wc_record *r,
                             uint8_t *symbols, wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

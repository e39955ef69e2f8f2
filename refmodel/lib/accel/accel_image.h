/* The DRAM image of a quantized network for the accelerator (docs/accel.md,
 * "Memory image"): per layer, its biases (int32, little-endian) and then its
 * weights in tile order, either as one tANS stream (docs/format.md 2.5, one
 * layer) or as raw int8 bytes.  Offsets are from the image's start and
 * multiples of 4. */
#ifndef WC_ACCEL_ACCEL_IMAGE_H
#define WC_ACCEL_ACCEL_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "accel/qnet.h"
#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t weight_offset, weight_bytes;
    uint32_t head_bytes;     /* compressed: stream and layer headers and table */
    uint32_t bias_offset;
    uint32_t in, out;
    int compressed;          /* weights are a tANS stream */
    int relu;                /* hidden layer */
    uint8_t zero_point;
    uint16_t mult;
    uint8_t shift;
    unsigned table_log;      /* of the tANS table (compressed) */
} wc_accel_image_layer;

typedef struct {
    uint8_t *bytes;          /* owned */
    size_t size;
    size_t count;
    wc_accel_image_layer layer[WC_QNET_MAX_LAYERS];
    uint64_t weights;        /* weights of the network, without the tile padding */
    uint64_t weight_bytes;   /* bytes of all layers' weights */
} wc_accel_image;

/* Builds the image for an accelerator of `lanes` lanes (4, 8 or 16).
 * Compressed: each layer's tiled symbols coded with tANS, its table of about
 * sqrt(symbols) states between 64 and 2^table_log (raised to fit the
 * alphabet, up to 2^table_log_max). */
wc_status wc_accel_image_build(const wc_qnet *net, unsigned lanes, int compressed,
                               unsigned table_log, unsigned table_log_max, wc_accel_image *img,
                               wc_error *err);

void wc_accel_image_free(wc_accel_image *img);

#ifdef __cplusplus
}
#endif

#endif

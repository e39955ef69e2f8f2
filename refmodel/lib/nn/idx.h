/* Image data sets in the IDX format of MNIST and Fashion-MNIST.
 *
 * An IDX file is two zero bytes, an element-type byte (0x08: unsigned
 * byte, the only type read here), a dimension count, that many big-endian
 * 32-bit dimensions, then the elements in C order and nothing after them.
 * Images are [count][rows][cols] (3 dimensions), labels [count] (1).
 * Files may be gzip-compressed (read through zlib, which also passes plain
 * files through unchanged). */
#ifndef WC_NN_IDX_H
#define WC_NN_IDX_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where Debian's dataset-fashion-mnist package installs the data. */
#define WC_FASHION_DIR "/usr/share/datasets/fashion-mnist"
#define WC_FASHION_CLASSES 10

/* Largest IDX payload read, in bytes: far above Fashion-MNIST's 47 MB, far
 * below what would exhaust memory. */
#define WC_IDX_MAX_BYTES ((uint64_t)1 << 31)

/* One IDX array of unsigned bytes. */
typedef struct {
    uint8_t *data;       /* owned; dims[0] * ... * dims[ndim - 1] bytes, C order */
    uint32_t dims[3];
    int ndim;            /* 1..3 */
} wc_idx;

/* Reads the IDX file at `path`, which must have `ndim` (1..3) dimensions,
 * into *out (overwritten; free it with wc_idx_free).  The payload must hold
 * exactly the bytes the header announces and at most WC_IDX_MAX_BYTES;
 * memory grows with the bytes actually read, so a lying header cannot make
 * it allocate much more than the file holds.  On failure *out is zeroed and
 * the message starts with the path: WC_ERR_IO (cannot open or read),
 * WC_ERR_FORMAT (bad magic, dimension count, zero or oversized dimensions,
 * bytes after the payload), WC_ERR_UNSUPPORTED (element type other than
 * unsigned byte), WC_ERR_TRUNCATED (file or gzip stream ends early),
 * WC_ERR_CORRUPT (damaged gzip stream), WC_ERR_NOMEM. */
wc_status wc_idx_read(const char *path, int ndim, wc_idx *out, wc_error *err);

void wc_idx_free(wc_idx *a);

/* Labelled images, pixels 0..255, row-major. */
typedef struct {
    uint8_t *images;     /* count * rows * cols pixels; image i at images + i * rows * cols */
    uint8_t *labels;     /* count labels, each < WC_FASHION_CLASSES */
    size_t count;
    size_t rows, cols;
} wc_dataset;

/* Reads an images file ([count][rows][cols]) and a labels file ([count])
 * into *ds (overwritten; free it with wc_dataset_free).  Fails, leaving
 * *ds zeroed, on any error of wc_idx_read, and with WC_ERR_FORMAT if the
 * files hold no images, different counts, or a label >= WC_FASHION_CLASSES. */
wc_status wc_dataset_load(const char *images_path, const char *labels_path, wc_dataset *ds,
                          wc_error *err);

/* Loads Fashion-MNIST's training set (train != 0: 60,000 images) or test
 * set (10,000) from `dir` (e.g. WC_FASHION_DIR), the files
 * {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz. */
wc_status wc_fashion_load(const char *dir, int train, wc_dataset *ds, wc_error *err);

/* Frees what wc_dataset_load allocated.  A wc_dataset the caller built as
 * a view into another (a subset) owns nothing and must not be freed. */
void wc_dataset_free(wc_dataset *ds);

#ifdef __cplusplus
}
#endif

#endif

#include "nn/idx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define IDX_TYPE_UBYTE 0x08
#define READ_CHUNK (1u << 20)
#define FIRST_ALLOC ((size_t)1 << 20)

/* Turns zlib's state after a short or failed read into a status. */
static wc_status stream_failure(gzFile f, wc_error *err)
{
    int errnum = Z_OK;
    const char *msg = gzerror(f, &errnum);
    switch (errnum) {
    case Z_OK:
        return WC_OK;
    case Z_BUF_ERROR:
        return wc_fail(err, WC_ERR_TRUNCATED, "gzip stream ends early");
    case Z_DATA_ERROR:
        return wc_fail(err, WC_ERR_CORRUPT, "damaged gzip stream: %s", msg);
    case Z_MEM_ERROR:
        return wc_fail(err, WC_ERR_NOMEM, "out of memory in zlib");
    case Z_ERRNO:
        return wc_fail(err, WC_ERR_IO, "read error: %s", strerror(errno));
    default:
        return wc_fail(err, WC_ERR_IO, "read error: %s", msg);
    }
}

/* Reads up to n bytes into dst; *got < n only at the end of the data. */
static wc_status read_bytes(gzFile f, uint8_t *dst, size_t n, size_t *got, wc_error *err)
{
    *got = 0;
    while (*got < n) {
        size_t want = n - *got < READ_CHUNK ? n - *got : READ_CHUNK;
        int r = gzread(f, dst + *got, (unsigned)want);
        if (r < 0)
            return stream_failure(f, err);
        *got += (size_t)r;
        if ((size_t)r < want)
            return stream_failure(f, err);
    }
    return WC_OK;
}

static wc_status read_exact(gzFile f, uint8_t *dst, size_t n, const char *what, wc_error *err)
{
    size_t got;
    wc_status st = read_bytes(f, dst, n, &got, err);
    if (st == WC_OK && got < n)
        st = wc_fail(err, WC_ERR_TRUNCATED, "file ends inside the %s", what);
    return st;
}

/* Magic and dimensions; *size is the payload length they announce. */
static wc_status read_header(gzFile f, int ndim, wc_idx *out, uint64_t *size, wc_error *err)
{
    uint8_t magic[4];
    wc_status st = read_exact(f, magic, sizeof magic, "IDX magic", err);
    if (st != WC_OK)
        return st;
    if (magic[0] != 0 || magic[1] != 0)
        return wc_fail(err, WC_ERR_FORMAT, "not an IDX file (starts with %02x %02x, not 00 00)",
                       magic[0], magic[1]);
    if (magic[2] != IDX_TYPE_UBYTE)
        return wc_fail(err, WC_ERR_UNSUPPORTED,
                       "IDX element type 0x%02x is not unsigned byte (0x08)", magic[2]);
    if (magic[3] != ndim)
        return wc_fail(err, WC_ERR_FORMAT, "IDX array has %u dimensions, expected %d", magic[3],
                       ndim);
    uint8_t dims[4 * 3];
    st = read_exact(f, dims, 4 * (size_t)ndim, "IDX dimensions", err);
    if (st != WC_OK)
        return st;
    *size = 1;
    for (int i = 0; i < ndim; i++) {
        const uint8_t *p = dims + 4 * i;
        uint32_t d = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        if (d == 0)
            return wc_fail(err, WC_ERR_FORMAT, "IDX dimension %d is zero", i);
        *size *= d;  /* no overflow: below 2^31 before, times a factor below 2^32 */
        if (*size > WC_IDX_MAX_BYTES)
            return wc_fail(err, WC_ERR_FORMAT, "IDX dimensions announce more than %llu bytes",
                           (unsigned long long)WC_IDX_MAX_BYTES);
        out->dims[i] = d;
    }
    out->ndim = ndim;
    return WC_OK;
}

/* Reads exactly `size` payload bytes, growing the buffer only as data
 * arrives, then makes sure nothing follows (which also lets zlib check the
 * gzip trailer's CRC). */
static wc_status read_payload(gzFile f, size_t size, uint8_t **data, wc_error *err)
{
    size_t cap = size < FIRST_ALLOC ? size : FIRST_ALLOC;
    uint8_t *buf = malloc(cap);
    if (!buf)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for %zu bytes", cap);
    size_t have = 0;
    wc_status st = WC_OK;
    for (;;) {
        size_t got;
        st = read_bytes(f, buf + have, cap - have, &got, err);
        have += got;
        if (st != WC_OK || have < cap || have == size)
            break;
        size_t bigger = cap > size / 2 ? size : 2 * cap;
        uint8_t *grown = realloc(buf, bigger);
        if (!grown) {
            st = wc_fail(err, WC_ERR_NOMEM, "out of memory for %zu bytes", bigger);
            break;
        }
        buf = grown;
        cap = bigger;
    }
    if (st == WC_OK && have < size)
        st = wc_fail(err, WC_ERR_TRUNCATED, "holds %zu of the %zu data bytes its header announces",
                     have, size);
    if (st == WC_OK) {
        uint8_t extra;
        size_t got;
        st = read_bytes(f, &extra, 1, &got, err);
        if (st == WC_OK && got != 0)
            st = wc_fail(err, WC_ERR_FORMAT, "bytes follow the %zu data bytes", size);
    }
    if (st != WC_OK) {
        free(buf);
        return st;
    }
    *data = buf;
    return WC_OK;
}

wc_status wc_idx_read(const char *path, int ndim, wc_idx *out, wc_error *err)
{
    memset(out, 0, sizeof *out);
    if (ndim < 1 || ndim > 3)
        return wc_fail(err, WC_ERR_ARG, "IDX arrays of %d dimensions are not supported", ndim);
    gzFile f = gzopen(path, "rb");
    if (!f)
        return wc_fail(err, WC_ERR_IO, "%s: cannot open", path);
    gzbuffer(f, 1u << 17);
    uint64_t size = 0;
    wc_idx a = {0};
    wc_status st = read_header(f, ndim, &a, &size, err);
    if (st == WC_OK)
        st = read_payload(f, (size_t)size, &a.data, err);
    gzclose(f);
    if (st != WC_OK)
        return wc_error_context(err, "%s", path);
    *out = a;
    return WC_OK;
}

void wc_idx_free(wc_idx *a)
{
    free(a->data);
    memset(a, 0, sizeof *a);
}

static wc_status check_labels(const wc_idx *labels, const char *path, wc_error *err)
{
    for (uint32_t i = 0; i < labels->dims[0]; i++)
        if (labels->data[i] >= WC_FASHION_CLASSES)
            return wc_fail(err, WC_ERR_FORMAT, "%s: label %u of item %u is not a class 0..%d",
                           path, labels->data[i], i, WC_FASHION_CLASSES - 1);
    return WC_OK;
}

wc_status wc_dataset_load(const char *images_path, const char *labels_path, wc_dataset *ds,
                          wc_error *err)
{
    memset(ds, 0, sizeof *ds);
    wc_idx images = {0}, labels = {0};
    wc_status st = wc_idx_read(images_path, 3, &images, err);
    if (st == WC_OK)
        st = wc_idx_read(labels_path, 1, &labels, err);
    if (st == WC_OK && images.dims[0] != labels.dims[0])
        st = wc_fail(err, WC_ERR_FORMAT, "%s holds %u images but %s holds %u labels",
                     images_path, images.dims[0], labels_path, labels.dims[0]);
    if (st == WC_OK)
        st = check_labels(&labels, labels_path, err);
    if (st != WC_OK) {
        wc_idx_free(&images);
        wc_idx_free(&labels);
        return st;
    }
    ds->images = images.data;
    ds->labels = labels.data;
    ds->count = images.dims[0];
    ds->rows = images.dims[1];
    ds->cols = images.dims[2];
    return WC_OK;
}

wc_status wc_fashion_load(const char *dir, int train, wc_dataset *ds, wc_error *err)
{
    const char *split = train ? "train" : "t10k";
    char images[4096], labels[4096];
    int n1 = snprintf(images, sizeof images, "%s/%s-images-idx3-ubyte.gz", dir, split);
    int n2 = snprintf(labels, sizeof labels, "%s/%s-labels-idx1-ubyte.gz", dir, split);
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof images || (size_t)n2 >= sizeof labels) {
        memset(ds, 0, sizeof *ds);
        return wc_fail(err, WC_ERR_ARG, "data directory path is too long");
    }
    return wc_dataset_load(images, labels, ds, err);
}

void wc_dataset_free(wc_dataset *ds)
{
    free(ds->images);
    free(ds->labels);
    memset(ds, 0, sizeof *ds);
}

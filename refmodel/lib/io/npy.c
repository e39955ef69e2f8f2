#include "io/npy.h"

#include <stdlib.h>
#include <string.h>

#include "common/buffer.h"
#include "io/tensor_list.h"
#include "io/zip.h"

static const uint8_t npy_magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

/* What the header dict says.  Strings longer than the buffers are kept as
 * "" so they match nothing. */
typedef struct {
    char descr[16];
    int fortran_order;
    uint64_t dims[WC_MAX_RANK];
    size_t rank;               /* may exceed WC_MAX_RANK; only the first dims are kept */
    int has_descr, has_fortran_order, has_shape;
} npy_header;

/* A cursor over the header text, for error messages that give its offset. */
typedef struct {
    const uint8_t *p;
    size_t len;
    size_t pos;
} header_text;

static wc_status header_error(const header_text *h, wc_error *err, const char *expected)
{
    return wc_fail(err, WC_ERR_FORMAT, "npy header byte %zu: expected %s", h->pos, expected);
}

static void skip_space(header_text *h)
{
    while (h->pos < h->len && (h->p[h->pos] == ' ' || h->p[h->pos] == '\t' ||
                               h->p[h->pos] == '\n' || h->p[h->pos] == '\r'))
        h->pos++;
}

/* Skips spaces, then consumes `c` if it is next. */
static int accept(header_text *h, char c)
{
    skip_space(h);
    if (h->pos < h->len && h->p[h->pos] == c) {
        h->pos++;
        return 1;
    }
    return 0;
}

static int accept_word(header_text *h, const char *word)
{
    skip_space(h);
    size_t n = strlen(word);
    if (h->len - h->pos < n || memcmp(h->p + h->pos, word, n) != 0)
        return 0;
    h->pos += n;
    return 1;
}

/* A Python string literal without escapes, quoted with ' or ". */
static wc_status read_pystr(header_text *h, char *out, size_t cap, wc_error *err)
{
    skip_space(h);
    if (h->pos >= h->len || (h->p[h->pos] != '\'' && h->p[h->pos] != '"'))
        return header_error(h, err, "a string");
    uint8_t quote = h->p[h->pos++];
    size_t start = h->pos;
    while (h->pos < h->len && h->p[h->pos] != quote) {
        if (h->p[h->pos] == '\\' || h->p[h->pos] == '\n')
            return header_error(h, err, "a plain string (no escapes)");
        h->pos++;
    }
    if (h->pos >= h->len)
        return header_error(h, err, "a closing quote");
    size_t n = h->pos - start;
    h->pos++;
    if (n >= cap)
        n = 0;
    memcpy(out, h->p + start, n);
    out[n] = '\0';
    return WC_OK;
}

/* A non-negative Python int, optionally with Python 2's 'L' suffix. */
static wc_status read_pyint(header_text *h, uint64_t *v, wc_error *err)
{
    skip_space(h);
    size_t start = h->pos;
    uint64_t n = 0;
    while (h->pos < h->len && h->p[h->pos] >= '0' && h->p[h->pos] <= '9') {
        unsigned d = (unsigned)(h->p[h->pos] - '0');
        if (n > (UINT64_MAX - d) / 10)
            return wc_fail(err, WC_ERR_FORMAT, "npy header byte %zu: dimension exceeds 64 bits",
                           start);
        n = n * 10 + d;
        h->pos++;
    }
    if (h->pos == start)
        return header_error(h, err, "a dimension");
    if (h->pos < h->len && h->p[h->pos] == 'L')
        h->pos++;
    *v = n;
    return WC_OK;
}

/* (), (n,), (n, m), (n, m,) */
static wc_status read_shape(header_text *h, npy_header *hd, wc_error *err)
{
    if (!accept(h, '('))
        return header_error(h, err, "a shape tuple");
    if (accept(h, ')'))
        return WC_OK;
    for (;;) {
        uint64_t dim = 0;
        wc_status st = read_pyint(h, &dim, err);
        if (st != WC_OK)
            return st;
        if (hd->rank < WC_MAX_RANK)
            hd->dims[hd->rank] = dim;
        hd->rank++;
        if (accept(h, ',')) {
            if (accept(h, ')'))
                return WC_OK;
        } else if (accept(h, ')')) {
            if (hd->rank == 1)
                return wc_fail(err, WC_ERR_FORMAT, "npy header: shape (n) is not a tuple");
            return WC_OK;
        } else {
            return header_error(h, err, "',' or ')' in the shape");
        }
    }
}

static wc_status read_value(header_text *h, const char *key, npy_header *hd, wc_error *err)
{
    int *seen = strcmp(key, "descr") == 0           ? &hd->has_descr
                : strcmp(key, "fortran_order") == 0 ? &hd->has_fortran_order
                : strcmp(key, "shape") == 0         ? &hd->has_shape
                                                    : NULL;
    if (!seen)
        return wc_fail(err, WC_ERR_FORMAT, "npy header: unknown key '%s'", key);
    if (*seen)
        return wc_fail(err, WC_ERR_FORMAT, "npy header: duplicate key '%s'", key);
    *seen = 1;
    if (seen == &hd->has_shape)
        return read_shape(h, hd, err);
    if (seen == &hd->has_fortran_order) {
        if (accept_word(h, "True"))
            hd->fortran_order = 1;
        else if (!accept_word(h, "False"))
            return header_error(h, err, "True or False");
        return WC_OK;
    }
    skip_space(h);
    if (h->pos < h->len && h->p[h->pos] == '[')
        return wc_fail(err, WC_ERR_UNSUPPORTED, "npy: structured dtypes are not supported");
    return read_pystr(h, hd->descr, sizeof hd->descr, err);
}

static wc_status parse_header(header_text *h, npy_header *hd, wc_error *err)
{
    memset(hd, 0, sizeof *hd);
    if (!accept(h, '{'))
        return header_error(h, err, "'{'");
    int more = !accept(h, '}');
    while (more) {
        char key[16];
        wc_status st = read_pystr(h, key, sizeof key, err);
        if (st == WC_OK && !accept(h, ':'))
            st = header_error(h, err, "':'");
        if (st == WC_OK)
            st = read_value(h, key, hd, err);
        if (st != WC_OK)
            return st;
        if (accept(h, ','))
            more = !accept(h, '}');
        else if (accept(h, '}'))
            more = 0;
        else
            return header_error(h, err, "',' or '}'");
    }
    skip_space(h);
    if (h->pos != h->len)
        return header_error(h, err, "only spaces after the dict");
    if (!hd->has_descr || !hd->has_fortran_order || !hd->has_shape)
        return wc_fail(err, WC_ERR_FORMAT, "npy header: missing '%s'",
                       !hd->has_descr ? "descr" : !hd->has_fortran_order ? "fortran_order"
                                                                          : "shape");
    return WC_OK;
}

/* Finds the header text and the data after it. */
static wc_status split_file(const uint8_t *data, size_t len, header_text *h, size_t *data_start,
                            wc_error *err)
{
    if (len < 8 || memcmp(data, npy_magic, sizeof npy_magic) != 0)
        return wc_fail(err, WC_ERR_FORMAT, "not an npy file (bad magic)");
    uint8_t major = data[6], minor = data[7];
    if ((major != 1 && major != 2 && major != 3) || minor != 0)
        return wc_fail(err, WC_ERR_UNSUPPORTED, "npy version %u.%u", major, minor);
    wc_cursor c = wc_cursor_make(data, len);
    c.pos = 8;
    uint32_t header_len;
    uint16_t short_len;
    wc_status st;
    if (major == 1) {
        st = wc_get_u16(&c, &short_len, "npy header length", err);
        header_len = short_len;
    } else {
        st = wc_get_u32(&c, &header_len, "npy header length", err);
    }
    if (st != WC_OK)
        return st;
    if (header_len > wc_cursor_left(&c))
        return wc_fail(err, WC_ERR_TRUNCATED, "npy header of %u bytes runs past the end",
                       header_len);
    h->p = data + c.pos;
    h->len = header_len;
    h->pos = 0;
    *data_start = c.pos + header_len;
    return WC_OK;
}

/* Maps a descr to a loaded dtype; returns 0 for dtypes that are skipped. */
static int dtype_from_descr(const char *descr, wc_dtype *dtype, int *big_endian)
{
    static const struct {
        const char *code;
        wc_dtype dtype;
    } known[] = {{"f4", WC_DTYPE_F32}, {"f2", WC_DTYPE_F16}, {"i1", WC_DTYPE_I8},
                 {"u1", WC_DTYPE_U8}};
    char order = descr[0];
    if (order != '<' && order != '>' && order != '|' && order != '=')
        return 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(descr + 1, known[i].code) == 0) {
            *dtype = known[i].dtype;
            *big_endian = order == '>';
            return 1;
        }
    }
    return 0;
}

/* Element `es` bytes wide: copies src (Fortran order) to dst in C order. */
static void fortran_to_c(const wc_tensor *t, const uint8_t *src, uint8_t *dst, size_t es)
{
    uint64_t stride[WC_MAX_RANK], idx[WC_MAX_RANK] = {0};
    uint64_t s = 1;
    for (int k = 0; k < t->rank; k++) {
        stride[k] = s;
        s *= t->dims[k];
    }
    uint64_t from = 0;
    for (uint64_t o = 0; o < t->count; o++) {
        memcpy(dst + o * es, src + from * es, es);
        for (int k = t->rank - 1; k >= 0; k--) {
            if (++idx[k] < t->dims[k]) {
                from += stride[k];
                break;
            }
            idx[k] = 0;
            from -= stride[k] * (t->dims[k] - 1);
        }
    }
}

static wc_status load_data(wc_tensor *t, const npy_header *hd, const uint8_t *src, size_t nbytes,
                           int big_endian, wc_error *err)
{
    if (!hd->fortran_order || t->rank < 2 || nbytes != wc_tensor_nbytes(t))
        return wc_tensor_decode(t, src, nbytes, big_endian, err);
    uint8_t *c_order = malloc(nbytes ? nbytes : 1);
    if (!c_order)
        return wc_fail(err, WC_ERR_NOMEM, "tensor '%s': out of memory for %zu bytes", t->name,
                       nbytes);
    fortran_to_c(t, src, c_order, wc_dtype_size(t->dtype));
    wc_status st = wc_tensor_decode(t, c_order, nbytes, big_endian, err);
    free(c_order);
    return st;
}

static wc_status read_npy(const uint8_t *data, size_t len, const char *name, wc_tensor_list *list,
                          wc_error *err)
{
    header_text h;
    size_t data_start = 0;
    npy_header hd;
    wc_status st = split_file(data, len, &h, &data_start, err);
    if (st == WC_OK)
        st = parse_header(&h, &hd, err);
    if (st != WC_OK)
        return st;
    wc_dtype dtype;
    int big_endian;
    if (!dtype_from_descr(hd.descr, &dtype, &big_endian)) {
        list->skipped++;
        return WC_OK;
    }
    if (wc_dtype_size(dtype) > 1 && hd.descr[0] != '<' && hd.descr[0] != '>')
        return wc_fail(err, WC_ERR_FORMAT, "npy descr '%s' has no byte order", hd.descr);
    wc_tensor *t;
    st = wc_tensor_list_push(list, &t, err);
    if (st != WC_OK)
        return st;
    t->dtype = dtype;
    st = wc_tensor_set_name(t, name, strlen(name), err);
    if (st == WC_OK && hd.rank > WC_MAX_RANK)
        return wc_fail(err, WC_ERR_FORMAT, "tensor '%s': rank %zu exceeds %d", name, hd.rank,
                       WC_MAX_RANK);
    if (st == WC_OK)
        st = wc_tensor_set_shape(t, (int)hd.rank, hd.dims, err);
    if (st == WC_OK)
        st = load_data(t, &hd, data + data_start, len - data_start, big_endian, err);
    return st;
}

wc_status wc_npy_parse(const uint8_t *data, size_t len, const char *name, wc_model *m,
                       wc_error *err)
{
    if (!name)
        return wc_fail(err, WC_ERR_ARG, "npy: no tensor name given");
    wc_tensor_list list = {0};
    wc_status st = read_npy(data, len, name, &list, err);
    if (st != WC_OK) {
        wc_tensor_list_free(&list);
        return st;
    }
    return wc_tensor_list_commit(&list, m, err);
}

/* ---- npz ---- */

static wc_status read_npz_entry(const wc_zip *z, const wc_zip_entry *e, wc_tensor_list *list,
                                wc_error *err)
{
    size_t n = e->name_len;
    if (n < 4 || memcmp(e->name + n - 4, ".npy", 4) != 0)
        return WC_OK;
    n -= 4;
    if (memchr(e->name, '\0', n))
        return wc_fail(err, WC_ERR_FORMAT, "npz entry name contains a NUL byte");
    char *name = malloc(n + 1);
    if (!name)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for an npz entry name");
    memcpy(name, e->name, n);
    name[n] = '\0';
    const uint8_t *bytes;
    uint8_t *owned;
    wc_status st = wc_zip_extract(z, e, &bytes, &owned, err);
    if (st == WC_OK)
        st = read_npy(bytes, (size_t)e->size, name, list, err);
    if (st != WC_OK)
        wc_error_context(err, "npz entry '%s'", name);
    free(owned);
    free(name);
    return st;
}

static wc_status read_npz(const uint8_t *data, size_t len, wc_tensor_list *list, wc_error *err)
{
    wc_zip z;
    wc_status st = wc_zip_open(&z, data, len, err);
    int more = st == WC_OK;
    while (more) {
        wc_zip_entry e;
        st = wc_zip_next(&z, &e, &more, err);
        if (st == WC_OK && more)
            st = read_npz_entry(&z, &e, list, err);
        if (st != WC_OK)
            return st;
    }
    return st;
}

wc_status wc_npz_parse(const uint8_t *data, size_t len, wc_model *m, wc_error *err)
{
    wc_tensor_list list = {0};
    wc_status st = read_npz(data, len, &list, err);
    if (st != WC_OK) {
        wc_tensor_list_free(&list);
        return st;
    }
    return wc_tensor_list_commit(&list, m, err);
}

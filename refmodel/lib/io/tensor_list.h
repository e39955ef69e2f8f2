/* Helpers shared by the model readers: a growable list of tensors that one
 * reader call fills before handing them to a wc_model, and the conversion of
 * stored elements into a wc_tensor.
 *
 * Internal to refmodel/lib/io; not part of the public API. */
#ifndef WC_IO_TENSOR_LIST_H
#define WC_IO_TENSOR_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Zero-initialise, fill, then either commit to a model or free. */
typedef struct {
    wc_tensor *v;
    size_t n;
    size_t cap;
    size_t skipped;   /* tensors of other dtypes seen by the reader */
} wc_tensor_list;

/* Appends a zeroed tensor (channel_axis 0) and points *t at it.  The pointer
 * stays valid until the next push. */
wc_status wc_tensor_list_push(wc_tensor_list *l, wc_tensor **t, wc_error *err);
/* Frees every tensor in the list and the list itself. */
void wc_tensor_list_free(wc_tensor_list *l);
/* Moves the tensors to the end of m->tensors (file order kept) and adds the
 * skipped count.  The list is empty afterwards, whatever the result; on
 * failure (WC_ERR_NOMEM) its tensors are freed and m is unchanged. */
wc_status wc_tensor_list_commit(wc_tensor_list *l, wc_model *m, wc_error *err);

/* Copies `len` bytes into a new NUL-terminated t->name.  Fails with
 * WC_ERR_FORMAT if the name contains a NUL byte. */
wc_status wc_tensor_set_name(wc_tensor *t, const char *name, size_t len, wc_error *err);

/* Sets t->rank, t->dims and t->count (t->name and t->dtype must be set).
 * Fails with WC_ERR_FORMAT if rank > WC_MAX_RANK or if the element count
 * overflows or would not fit in memory as floats. */
wc_status wc_tensor_set_shape(wc_tensor *t, int rank, const uint64_t *dims, wc_error *err);

/* Bytes that t->count elements of t->dtype take; valid after set_shape. */
size_t wc_tensor_nbytes(const wc_tensor *t);

/* Converts the t->count stored elements at `src` (`nbytes` long; little-endian
 * unless `big_endian`) into t->values (float dtypes, exactly) or t->bytes
 * (I8/U8).  Fails with WC_ERR_FORMAT if nbytes is not count * element size,
 * so the allocation never exceeds what the input holds.  A zero-element
 * tensor gets no buffer. */
wc_status wc_tensor_decode(wc_tensor *t, const uint8_t *src, size_t nbytes, int big_endian,
                           wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

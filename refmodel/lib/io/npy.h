/* NumPy .npy and .npz readers.
 *
 * .npy: the magic "\x93NUMPY", a version (1.0 with a 2-byte header length,
 * 2.0 or 3.0 with a 4-byte one), a header that is a Python dict literal
 * {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded with
 * spaces and a newline, then the elements.
 * Loaded descrs: '<f4' '>f4' '<f2' '>f2' (converted exactly to float, either
 * byte order) and 'i1' 'u1' with any byte-order mark (bytes as stored).  Any
 * other descr ('<f8', '|b1', '<i8', ...) is counted in m->skipped; structured
 * dtypes (a list descr) are refused as unsupported.  Fortran-ordered data is
 * transposed into C order.
 *
 * .npz: a ZIP archive of .npy entries, stored or deflated, with ZIP64 size
 * and offset fields.  Each entry's CRC-32 is checked.  Entries whose names do
 * not end in ".npy" are ignored; encrypted entries and other compression
 * methods are refused. */
#ifndef WC_IO_NPY_H
#define WC_IO_NPY_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parses the .npy file in data[0..len) and appends it to *m as one tensor
 * called `name` (or counts it in m->skipped); zero-initialise *m for a fresh
 * model.  The data must hold exactly the elements the shape needs.  On
 * failure *m is unchanged: WC_ERR_FORMAT for a bad magic, header or size,
 * WC_ERR_TRUNCATED when the header runs past the end, WC_ERR_UNSUPPORTED
 * for other versions and structured dtypes. */
wc_status wc_npy_parse(const uint8_t *data, size_t len, const char *name, wc_model *m,
                       wc_error *err);

/* Parses the .npz archive in data[0..len) and appends its arrays to *m in
 * central-directory order, each named after its entry without ".npy".  On
 * failure *m is unchanged: WC_ERR_FORMAT / WC_ERR_CORRUPT for a damaged
 * archive (bad CRC, inconsistent sizes, entries outside the file),
 * WC_ERR_UNSUPPORTED for encryption, multi-disk archives and compression
 * methods other than stored and deflate, or any error of wc_npy_parse. */
wc_status wc_npz_parse(const uint8_t *data, size_t len, wc_model *m, wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

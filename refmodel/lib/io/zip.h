/* A reader for ZIP archives held in memory, as used by .npz files.
 *
 * Walks the central directory (found through the end-of-central-directory
 * record, or its ZIP64 form), and extracts entries that are stored or
 * deflated, checking each entry's local header against the directory and
 * its CRC-32.  ZIP64 extra fields supply sizes and offsets that do not fit
 * in 32 bits.  Encrypted entries and multi-disk archives are refused. */
#ifndef WC_IO_ZIP_H
#define WC_IO_ZIP_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An open archive; it points into the caller's bytes, which must outlive it. */
typedef struct {
    const uint8_t *data;
    size_t len;
    size_t cd_end;         /* end of the central directory */
    size_t pos;            /* next central directory record */
    uint64_t entries;      /* entries the directory announces */
    uint64_t seen;         /* entries read so far */
} wc_zip;

/* A central directory entry; `name` points into the archive, is not
 * NUL-terminated and may hold any bytes. */
typedef struct {
    const uint8_t *name;
    size_t name_len;
    uint16_t flags;
    uint16_t method;       /* 0 stored, 8 deflate */
    uint32_t crc32;
    uint64_t compressed_size;
    uint64_t size;         /* uncompressed */
    uint64_t local_offset; /* of the local header */
} wc_zip_entry;

/* Finds the central directory.  Fails with WC_ERR_FORMAT if there is no
 * end record, WC_ERR_CORRUPT if the directory lies outside the file,
 * WC_ERR_UNSUPPORTED for multi-disk archives. */
wc_status wc_zip_open(wc_zip *z, const uint8_t *data, size_t len, wc_error *err);

/* Reads the next directory entry into *e, or sets *more = 0 after the last
 * one (checking that the records filled the directory exactly). */
wc_status wc_zip_next(wc_zip *z, wc_zip_entry *e, int *more, wc_error *err);

/* Extracts an entry.  *out points at its e->size bytes: inside the archive
 * for a stored entry, else in a malloc'd buffer that is also returned in
 * *owned for the caller to free (NULL when nothing was allocated).  Fails
 * with WC_ERR_UNSUPPORTED for encrypted entries or other methods,
 * WC_ERR_CORRUPT for a local header that disagrees with the directory, data
 * outside the archive, a bad deflate stream or a CRC mismatch.  Never
 * allocates more than deflate could expand the entry's compressed bytes to. */
wc_status wc_zip_extract(const wc_zip *z, const wc_zip_entry *e, const uint8_t **out,
                         uint8_t **owned, wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

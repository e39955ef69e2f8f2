/* Serialises a container (docs/format.md section 5). */
#ifndef WC_ENCODE_CONTAINER_WRITE_H
#define WC_ENCODE_CONTAINER_WRITE_H

#include "common/buffer.h"
#include "common/container.h"
#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Appends the serialised container to `out`. */
wc_status wc_container_serialize(const wc_container *c, wc_buf *out, wc_error *err);

/* Writes the container to `path` (replacing it). */
wc_status wc_container_write_file(const wc_container *c, const char *path, wc_error *err);

/* Bytes the record takes in a file (length, body, CRC). */
uint64_t wc_record_file_bytes(const wc_record *r);

#ifdef __cplusplus
}
#endif

#endif

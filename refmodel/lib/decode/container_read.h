/* Parses and checks a container (docs/format.md section 5), and decodes the
 * symbols of its records. */
#ifndef WC_DECODE_CONTAINER_READ_H
#define WC_DECODE_CONTAINER_READ_H

#include <stddef.h>
#include <stdint.h>

#include "common/container.h"
#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parses data[0..len) into *c (which it owns afterwards; free it with
 * wc_container_free, also after a failure).  Checks the header, every CRC
 * and every field's range; the coded payloads are checked when decoded.
 * Messages name the record and, once known, the tensor. */
wc_status wc_container_parse(const uint8_t *data, size_t len, wc_container *c, wc_error *err);

/* Reads and parses a file. */
wc_status wc_container_read_file(const char *path, wc_container *c, wc_error *err);

/* Decodes the symbols of a quantized record into out[0..r->count). */
wc_status wc_record_decode(const wc_record *r, uint8_t *out, wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

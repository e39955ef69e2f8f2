/* A reader for the protocol-buffers wire format, enough to walk ONNX files
 * without a protobuf library.
 *
 * A message is a sequence of fields, each a varint key (field number << 3 |
 * wire type) followed by its value.  Wire types: 0 varint, 1 fixed 64-bit,
 * 2 length-delimited (strings, bytes, sub-messages, packed arrays), 5 fixed
 * 32-bit.  Groups (3, 4) and the undefined types 6, 7 are refused as corrupt.
 * The reader never copies: length-delimited values point into the input. */
#ifndef WC_IO_PROTOWIRE_H
#define WC_IO_PROTOWIRE_H

#include <stddef.h>
#include <stdint.h>

#include "common/buffer.h"
#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    WC_PB_VARINT = 0,
    WC_PB_FIXED64 = 1,
    WC_PB_BYTES = 2,
    WC_PB_FIXED32 = 5
};

typedef struct {
    uint32_t number;       /* 1 .. 2^29 - 1 */
    int wire;              /* one of WC_PB_* */
    uint64_t value;        /* varint, fixed64 or fixed32 value */
    const uint8_t *data;   /* WC_PB_BYTES: the payload, inside the input */
    size_t len;            /* WC_PB_BYTES: payload length */
} wc_pb_field;

/* Reads one varint of at most 10 bytes that fits in 64 bits.  Fails with
 * WC_ERR_TRUNCATED or WC_ERR_CORRUPT, naming `what`. */
wc_status wc_pb_varint(wc_cursor *c, uint64_t *v, const char *what, wc_error *err);

/* Reads the next field of the message in `c`.  Sets *more to 0 (and reads
 * nothing) at the end of the message.  Fails naming `what` on a truncated
 * field, a field number of 0 or above 2^29 - 1, or a refused wire type. */
wc_status wc_pb_next(wc_cursor *c, wc_pb_field *f, int *more, const char *what, wc_error *err);

/* Counts the varints of a packed field; fails if one is malformed. */
wc_status wc_pb_count_varints(const uint8_t *data, size_t len, size_t *count, const char *what,
                              wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

/* A strict pull reader for JSON text (RFC 8259), for headers that come from
 * untrusted files.
 *
 * The caller walks the document with the calls below; anything it does not
 * want is skipped with wc_json_skip, which still checks the syntax.  Strings
 * must be valid UTF-8 without raw control characters; escapes, including
 * \uXXXX surrogate pairs, are decoded to UTF-8.  Containers may nest at most
 * WC_JSON_MAX_DEPTH deep.  Every failure is WC_ERR_FORMAT with the byte
 * offset of the problem (or WC_ERR_NOMEM while decoding a string).
 *
 * wc_json_write_string is the matching writer. */
#ifndef WC_IO_JSON_H
#define WC_IO_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "common/buffer.h"
#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WC_JSON_MAX_DEPTH 64

/* Initialise with wc_json_init, release with wc_json_free.  The text is not
 * copied and must outlive the reader. */
typedef struct {
    const uint8_t *text;
    size_t len;
    size_t pos;
    int depth;       /* containers currently open */
    wc_buf str;      /* the last string read, decoded, NUL-terminated */
} wc_json;

void wc_json_init(wc_json *j, const void *text, size_t len);
void wc_json_free(wc_json *j);

/* Opens the container `open` ('{' or '['), which must be the next value, and
 * sets *nonempty to whether an element follows. */
wc_status wc_json_open(wc_json *j, char open, int *nonempty, wc_error *err);
/* After an element of the innermost container (closed by `close`, '}' or
 * ']'): consumes ',' and sets *more = 1, or consumes `close` and sets
 * *more = 0. */
wc_status wc_json_next(wc_json *j, char close, int *more, wc_error *err);

/* Reads a string value.  *s points into the reader (valid until the next
 * string is read) and is NUL-terminated; *len excludes the terminator and
 * may count NUL bytes that came from \u0000. */
wc_status wc_json_string(wc_json *j, const char **s, size_t *len, wc_error *err);
/* Reads an object key and the ':' after it; see wc_json_string. */
wc_status wc_json_key(wc_json *j, const char **s, size_t *len, wc_error *err);
/* Reads a non-negative integer written without sign, fraction or exponent
 * (leading zeros refused) that fits in 64 bits. */
wc_status wc_json_uint(wc_json *j, uint64_t *v, wc_error *err);
/* Skips one value of any kind, checking its syntax. */
wc_status wc_json_skip(wc_json *j, wc_error *err);
/* Succeeds if only whitespace is left. */
wc_status wc_json_end(wc_json *j, wc_error *err);

/* Appends `s` as a JSON string literal, quoted and escaped.  Fails with
 * WC_ERR_ARG, naming `what`, if `s` is not valid UTF-8, since no strict reader
 * could read it back.  Allocation failures are left in out->failed. */
wc_status wc_json_write_string(wc_buf *out, const char *s, const char *what, wc_error *err);

#ifdef __cplusplus
}
#endif

#endif

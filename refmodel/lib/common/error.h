/* Error reporting shared by every module.
 *
 * Functions that can fail take a `wc_error *` as their last argument and
 * return a wc_status.  On failure they fill the error (when it is not NULL)
 * with the same status and a one-line human-readable reason.  The message
 * never needs freeing: it lives inside the struct. */
#ifndef WC_COMMON_ERROR_H
#define WC_COMMON_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    WC_OK = 0,
    WC_ERR_IO,          /* file could not be opened, read or written */
    WC_ERR_NOMEM,       /* allocation failed */
    WC_ERR_ARG,         /* the caller asked for something impossible */
    WC_ERR_FORMAT,      /* input is not what it claims to be */
    WC_ERR_TRUNCATED,   /* input ends early */
    WC_ERR_CORRUPT,     /* input is damaged (CRC, inconsistent fields) */
    WC_ERR_UNSUPPORTED  /* a version, coder or dtype this build does not know */
} wc_status;

#define WC_ERROR_MSG_MAX 256

typedef struct {
    wc_status status;
    char msg[WC_ERROR_MSG_MAX];
} wc_error;

/* Records `status` and a printf-style reason in `err` (if not NULL) and
 * returns `status`, so callers can write `return wc_fail(err, ...)`. */
wc_status wc_fail(wc_error *err, wc_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prefixes the message already in `err` with "<context>: ". Returns its status. */
wc_status wc_error_context(wc_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Short name of a status ("corrupt", "truncated", ...). */
const char *wc_status_name(wc_status status);

#ifdef __cplusplus
}
#endif

#endif

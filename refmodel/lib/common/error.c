#include "common/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

wc_status wc_fail(wc_error *err, wc_status status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->status = status;
    }
    return status;
}

wc_status wc_error_context(wc_error *err, const char *fmt, ...)
{
    if (!err)
        return WC_ERR_ARG;
    char prefix[WC_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    char joined[2 * WC_ERROR_MSG_MAX + 2];
    snprintf(joined, sizeof joined, "%s: %s", prefix, err->msg);
    memcpy(err->msg, joined, WC_ERROR_MSG_MAX - 1);
    err->msg[WC_ERROR_MSG_MAX - 1] = '\0';
    return err->status;
}

const char *wc_status_name(wc_status status)
{
    switch (status) {
    case WC_OK: return "ok";
    case WC_ERR_IO: return "i/o error";
    case WC_ERR_NOMEM: return "out of memory";
    case WC_ERR_ARG: return "invalid argument";
    case WC_ERR_FORMAT: return "bad format";
    case WC_ERR_TRUNCATED: return "truncated";
    case WC_ERR_CORRUPT: return "corrupt";
    case WC_ERR_UNSUPPORTED: return "unsupported";
    }
    return "unknown error";
}

#include "io/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buffer.h"
#include "io/npy.h"
#include "io/onnx.h"
#include "io/safetensors.h"

static int has_prefix(const uint8_t *data, size_t len, const char *prefix, size_t n)
{
    return len >= n && memcmp(data, prefix, n) == 0;
}

static int looks_like_safetensors(const uint8_t *data, size_t len)
{
    if (len < 10)
        return 0;
    uint64_t header_len = wc_load_le32(data) | (uint64_t)wc_load_le32(data + 4) << 32;
    return header_len >= 2 && header_len <= len - 8 && data[8] == '{';
}

/* The part of `path` after its last '.' that follows its last '/'. */
static const char *extension(const char *path)
{
    const char *base = strrchr(path, '/');
    const char *dot = strrchr(base ? base + 1 : path, '.');
    return dot ? dot + 1 : "";
}

static int same_word_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char ca = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        if (ca != *b)
            return 0;
    }
    return *a == *b;
}

wc_model_format wc_model_detect(const uint8_t *data, size_t len, const char *path)
{
    if (has_prefix(data, len, "\x93NUMPY", 6))
        return WC_FORMAT_NPY;
    if (has_prefix(data, len, "PK\x03\x04", 4) || has_prefix(data, len, "PK\x05\x06", 4))
        return WC_FORMAT_NPZ;
    if (looks_like_safetensors(data, len))
        return WC_FORMAT_SAFETENSORS;
    const char *ext = path ? extension(path) : "";
    if (same_word_nocase(ext, "onnx"))
        return WC_FORMAT_ONNX;
    if (same_word_nocase(ext, "safetensors"))
        return WC_FORMAT_SAFETENSORS;
    if (same_word_nocase(ext, "npy"))
        return WC_FORMAT_NPY;
    if (same_word_nocase(ext, "npz"))
        return WC_FORMAT_NPZ;
    if (len > 0 && data[0] == 0x08)
        return WC_FORMAT_ONNX;
    return WC_FORMAT_UNKNOWN;
}

static wc_status read_file(const char *path, wc_buf *out, wc_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return wc_fail(err, WC_ERR_IO, "cannot open");
    size_t got;
    do {
        uint8_t *dst = wc_buf_reserve(out, 1 << 16);
        if (!dst)
            break;
        got = fread(dst, 1, 1 << 16, fp);
        out->len += got;
    } while (got > 0);
    int failed = ferror(fp);
    fclose(fp);
    if (failed)
        return wc_fail(err, WC_ERR_IO, "read error");
    return wc_buf_status(out, err);
}

/* The base name of `path` without its extension, malloc'd. */
static char *stem(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot ? (size_t)(dot - base) : strlen(base);
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, base, n);
        s[n] = '\0';
    }
    return s;
}

static wc_status parse_npy_file(const uint8_t *data, size_t len, const char *path, wc_model *m,
                                wc_error *err)
{
    char *name = stem(path);
    if (!name)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for a tensor name");
    wc_status st = wc_npy_parse(data, len, name, m, err);
    free(name);
    return st;
}

static wc_status parse(const uint8_t *data, size_t len, const char *path, wc_model *m,
                       wc_error *err)
{
    switch (wc_model_detect(data, len, path)) {
    case WC_FORMAT_ONNX:
        return wc_onnx_parse(data, len, m, err);
    case WC_FORMAT_SAFETENSORS:
        return wc_safetensors_parse(data, len, m, err);
    case WC_FORMAT_NPY:
        return parse_npy_file(data, len, path, m, err);
    case WC_FORMAT_NPZ:
        return wc_npz_parse(data, len, m, err);
    case WC_FORMAT_UNKNOWN:
        break;
    }
    return wc_fail(err, WC_ERR_UNSUPPORTED,
                   "unknown model format (expected .onnx, .safetensors, .npy or .npz)");
}

wc_status wc_model_load(const char *path, wc_model *m, wc_error *err)
{
    wc_buf file = {0};
    wc_status st = read_file(path, &file, err);
    if (st == WC_OK)
        st = parse(file.data, file.len, path, m, err);
    wc_buf_free(&file);
    if (st != WC_OK)
        wc_error_context(err, "%s", path);
    return st;
}

#include "io/safetensors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/json.h"
#include "io/tensor_list.h"

#define METADATA_KEY "__metadata__"

/* ---- reading ---- */

typedef struct {
    const uint8_t *data;    /* data section */
    size_t data_len;
    wc_json json;
} st_file;

/* One header entry as read; which keys were seen, to catch missing ones. */
typedef struct {
    char dtype[16];         /* "" when longer than any known dtype */
    uint64_t dims[WC_MAX_RANK];
    size_t rank;            /* may exceed WC_MAX_RANK; only the first dims are kept */
    uint64_t offsets[2];
    int has_dtype, has_shape, has_offsets;
} st_entry;

static int dtype_from_name(const char *name, wc_dtype *dtype)
{
    static const struct {
        const char *name;
        wc_dtype dtype;
    } known[] = {{"F32", WC_DTYPE_F32}, {"F16", WC_DTYPE_F16}, {"BF16", WC_DTYPE_BF16},
                 {"I8", WC_DTYPE_I8},   {"U8", WC_DTYPE_U8}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(name, known[i].name) == 0) {
            *dtype = known[i].dtype;
            return 1;
        }
    }
    return 0;
}

static wc_status open_header(const uint8_t *data, size_t len, st_file *f, wc_error *err)
{
    wc_cursor c = wc_cursor_make(data, len);
    uint64_t header_len;
    if (wc_get_u64(&c, &header_len, "safetensors header length", err) != WC_OK)
        return WC_ERR_TRUNCATED;
    if (header_len > wc_cursor_left(&c))
        return wc_fail(err, WC_ERR_TRUNCATED,
                       "safetensors header of %llu bytes runs past the end of the %zu-byte file",
                       (unsigned long long)header_len, len);
    wc_json_init(&f->json, data + 8, (size_t)header_len);
    f->data = data + 8 + header_len;
    f->data_len = len - 8 - (size_t)header_len;
    return WC_OK;
}

static wc_status read_dtype(wc_json *j, st_entry *e, wc_error *err)
{
    const char *s;
    size_t len;
    wc_status st = wc_json_string(j, &s, &len, err);
    if (st == WC_OK && len < sizeof e->dtype)
        memcpy(e->dtype, s, len + 1);
    return st;
}

static wc_status read_shape(wc_json *j, st_entry *e, wc_error *err)
{
    int more;
    wc_status st = wc_json_open(j, '[', &more, err);
    while (st == WC_OK && more) {
        uint64_t dim = 0;
        st = wc_json_uint(j, &dim, err);
        if (st != WC_OK)
            return st;
        if (e->rank < WC_MAX_RANK)
            e->dims[e->rank] = dim;
        e->rank++;
        st = wc_json_next(j, ']', &more, err);
    }
    return st;
}

static wc_status read_offsets(wc_json *j, st_entry *e, wc_error *err)
{
    int more;
    size_t n = 0;
    wc_status st = wc_json_open(j, '[', &more, err);
    while (st == WC_OK && more) {
        uint64_t v = 0;
        st = wc_json_uint(j, &v, err);
        if (st != WC_OK)
            return st;
        if (n < 2)
            e->offsets[n] = v;
        n++;
        st = wc_json_next(j, ']', &more, err);
    }
    if (st == WC_OK && n != 2)
        return wc_fail(err, WC_ERR_FORMAT, "data_offsets has %zu numbers, not 2", n);
    return st;
}

static wc_status read_entry_key(wc_json *j, st_entry *e, const char *key, wc_error *err)
{
    int *seen = strcmp(key, "dtype") == 0          ? &e->has_dtype
                : strcmp(key, "shape") == 0        ? &e->has_shape
                : strcmp(key, "data_offsets") == 0 ? &e->has_offsets
                                                   : NULL;
    if (!seen)
        return wc_json_skip(j, err);
    if (*seen)
        return wc_fail(err, WC_ERR_FORMAT, "duplicate key \"%s\"", key);
    *seen = 1;
    if (seen == &e->has_dtype)
        return read_dtype(j, e, err);
    if (seen == &e->has_shape)
        return read_shape(j, e, err);
    return read_offsets(j, e, err);
}

static wc_status read_entry(wc_json *j, st_entry *e, wc_error *err)
{
    memset(e, 0, sizeof *e);
    int more;
    wc_status st = wc_json_open(j, '{', &more, err);
    while (st == WC_OK && more) {
        const char *key;
        size_t len;
        st = wc_json_key(j, &key, &len, err);
        if (st == WC_OK)
            st = read_entry_key(j, e, key, err);
        if (st == WC_OK)
            st = wc_json_next(j, '}', &more, err);
    }
    if (st != WC_OK)
        return st;
    if (!e->has_dtype || !e->has_shape || !e->has_offsets)
        return wc_fail(err, WC_ERR_FORMAT, "missing \"%s\"",
                       !e->has_dtype ? "dtype" : !e->has_shape ? "shape" : "data_offsets");
    return WC_OK;
}

static wc_status load_entry(const st_file *f, const st_entry *e, const char *name,
                            size_t name_len, wc_tensor_list *list, wc_error *err)
{
    if (e->offsets[0] > e->offsets[1] || e->offsets[1] > f->data_len)
        return wc_fail(err, WC_ERR_FORMAT, "tensor '%s': data_offsets [%llu, %llu] outside the "
                       "%zu-byte data section", name, (unsigned long long)e->offsets[0],
                       (unsigned long long)e->offsets[1], f->data_len);
    wc_dtype dtype;
    if (!dtype_from_name(e->dtype, &dtype)) {
        list->skipped++;
        return WC_OK;
    }
    wc_tensor *t;
    wc_status st = wc_tensor_list_push(list, &t, err);
    if (st != WC_OK)
        return st;
    t->dtype = dtype;
    st = wc_tensor_set_name(t, name, name_len, err);
    if (st == WC_OK && e->rank > WC_MAX_RANK)
        return wc_fail(err, WC_ERR_FORMAT, "tensor '%s': rank %zu exceeds %d", name, e->rank,
                       WC_MAX_RANK);
    if (st == WC_OK)
        st = wc_tensor_set_shape(t, (int)e->rank, e->dims, err);
    if (st == WC_OK)
        st = wc_tensor_decode(t, f->data + e->offsets[0], (size_t)(e->offsets[1] - e->offsets[0]),
                              0, err);
    return st;
}

/* Checks that the metadata value is an object of strings. */
static wc_status skip_metadata(wc_json *j, wc_error *err)
{
    int more;
    wc_status st = wc_json_open(j, '{', &more, err);
    while (st == WC_OK && more) {
        const char *s;
        size_t len;
        st = wc_json_key(j, &s, &len, err);
        if (st == WC_OK)
            st = wc_json_string(j, &s, &len, err);
        if (st == WC_OK)
            st = wc_json_next(j, '}', &more, err);
    }
    return st;
}

/* Reads one top-level entry whose key (the tensor name) is `name`. */
static wc_status read_tensor(st_file *f, const char *name, size_t name_len, wc_tensor_list *list,
                             wc_error *err)
{
    st_entry e;
    wc_status st = read_entry(&f->json, &e, err);
    if (st != WC_OK) {
        wc_error_context(err, "tensor '%.*s'", (int)(name_len > 64 ? 64 : name_len), name);
        return st;
    }
    return load_entry(f, &e, name, name_len, list, err);
}

static wc_status read_header(st_file *f, wc_tensor_list *list, wc_error *err)
{
    int more;
    wc_status st = wc_json_open(&f->json, '{', &more, err);
    while (st == WC_OK && more) {
        const char *key;
        size_t len;
        st = wc_json_key(&f->json, &key, &len, err);
        if (st != WC_OK)
            return st;
        if (strcmp(key, METADATA_KEY) == 0) {
            st = skip_metadata(&f->json, err);
        } else {
            /* The key is overwritten by the strings of its value: keep a copy. */
            char *name = malloc(len + 1);
            if (!name)
                return wc_fail(err, WC_ERR_NOMEM, "out of memory for a tensor name");
            memcpy(name, key, len + 1);
            st = read_tensor(f, name, len, list, err);
            free(name);
        }
        if (st == WC_OK)
            st = wc_json_next(&f->json, '}', &more, err);
    }
    if (st == WC_OK)
        st = wc_json_end(&f->json, err);
    return st;
}

wc_status wc_safetensors_parse(const uint8_t *data, size_t len, wc_model *m, wc_error *err)
{
    st_file f;
    wc_status st = open_header(data, len, &f, err);
    if (st != WC_OK)
        return st;
    wc_tensor_list list = {0};
    st = read_header(&f, &list, err);
    wc_json_free(&f.json);
    if (st != WC_OK) {
        wc_tensor_list_free(&list);
        wc_error_context(err, "safetensors header");
        return st;
    }
    return wc_tensor_list_commit(&list, m, err);
}

static wc_status find_metadata(wc_json *j, const char *key, char **value, wc_error *err)
{
    int more;
    wc_status st = wc_json_open(j, '{', &more, err);
    while (st == WC_OK && more) {
        const char *s;
        size_t len;
        st = wc_json_key(j, &s, &len, err);
        int match = st == WC_OK && strlen(key) == len && memcmp(s, key, len) == 0;
        if (st == WC_OK)
            st = wc_json_string(j, &s, &len, err);
        if (st == WC_OK && match && !*value) {
            *value = malloc(len + 1);
            if (!*value)
                return wc_fail(err, WC_ERR_NOMEM, "out of memory for a metadata value");
            memcpy(*value, s, len + 1);
        }
        if (st == WC_OK)
            st = wc_json_next(j, '}', &more, err);
    }
    return st;
}

static wc_status scan_for_metadata(wc_json *j, const char *key, char **value, wc_error *err)
{
    int more;
    wc_status st = wc_json_open(j, '{', &more, err);
    while (st == WC_OK && more) {
        const char *s;
        size_t len;
        st = wc_json_key(j, &s, &len, err);
        if (st == WC_OK && strcmp(s, METADATA_KEY) == 0 && !*value)
            st = find_metadata(j, key, value, err);
        else if (st == WC_OK)
            st = wc_json_skip(j, err);
        if (st == WC_OK)
            st = wc_json_next(j, '}', &more, err);
    }
    if (st == WC_OK)
        st = wc_json_end(j, err);
    return st;
}

wc_status wc_safetensors_metadata(const uint8_t *data, size_t len, const char *key, char **value,
                                  wc_error *err)
{
    *value = NULL;
    st_file f;
    wc_status st = open_header(data, len, &f, err);
    if (st != WC_OK)
        return st;
    st = scan_for_metadata(&f.json, key, value, err);
    wc_json_free(&f.json);
    if (st != WC_OK) {
        free(*value);
        *value = NULL;
    }
    return st;
}

/* ---- writing ---- */

static size_t writable_dtype_size(const char *dtype)
{
    static const struct {
        const char *name;
        size_t size;
    } known[] = {{"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I8", 1},
                 {"U8", 1},  {"I16", 2}, {"I32", 4},  {"I64", 8}};
    for (size_t i = 0; dtype && i < sizeof known / sizeof known[0]; i++)
        if (strcmp(dtype, known[i].name) == 0)
            return known[i].size;
    return 0;
}

static wc_status check_entry(const wc_st_entry *e, wc_error *err)
{
    if (!e->name || strcmp(e->name, METADATA_KEY) == 0)
        return wc_fail(err, WC_ERR_ARG, "safetensors entry without a usable name");
    size_t size = writable_dtype_size(e->dtype);
    if (size == 0)
        return wc_fail(err, WC_ERR_ARG, "tensor '%s': cannot write dtype %s", e->name,
                       e->dtype ? e->dtype : "(null)");
    if (e->rank < 0 || e->rank > WC_MAX_RANK || (e->rank > 0 && !e->dims))
        return wc_fail(err, WC_ERR_ARG, "tensor '%s': bad rank %d", e->name, e->rank);
    uint64_t count;
    if (wc_shape_count(e->rank, e->dims, SIZE_MAX / size, &count, e->name, err) != WC_OK)
        return wc_fail(err, WC_ERR_ARG, "tensor '%s': shape too large", e->name);
    if (e->nbytes != count * size || (e->nbytes && !e->data))
        return wc_fail(err, WC_ERR_ARG, "tensor '%s': %zu bytes of data, its %s shape needs %llu",
                       e->name, e->nbytes, e->dtype, (unsigned long long)(count * size));
    return WC_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static wc_status check_unique_names(const wc_st_entry *entries, size_t n, wc_error *err)
{
    if (n < 2)
        return WC_OK;
    const char **names = malloc(n * sizeof *names);
    if (!names)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory for %zu names", n);
    for (size_t i = 0; i < n; i++)
        names[i] = entries[i].name;
    qsort(names, n, sizeof *names, compare_names);
    wc_status st = WC_OK;
    for (size_t i = 1; i < n && st == WC_OK; i++)
        if (strcmp(names[i - 1], names[i]) == 0)
            st = wc_fail(err, WC_ERR_ARG, "tensor name '%s' appears twice", names[i]);
    free(names);
    return st;
}

static wc_status check_entries(const wc_st_entry *entries, size_t n, const char *const *meta_kv,
                               size_t n_meta, wc_error *err)
{
    if ((n && !entries) || (n_meta && !meta_kv))
        return wc_fail(err, WC_ERR_ARG, "safetensors writer: NULL entries or metadata");
    for (size_t i = 0; i < 2 * n_meta; i++)
        if (!meta_kv[i])
            return wc_fail(err, WC_ERR_ARG, "safetensors metadata string %zu is NULL", i);
    for (size_t i = 0; i < n; i++) {
        wc_status st = check_entry(&entries[i], err);
        if (st != WC_OK)
            return st;
    }
    return check_unique_names(entries, n, err);
}

static void put_text(wc_buf *b, const char *s) { wc_buf_put(b, s, strlen(s)); }

static void put_uint(wc_buf *b, uint64_t v)
{
    char digits[24];
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    put_text(b, digits);
}

static wc_status put_metadata(wc_buf *json, const char *const *meta_kv, size_t n_meta,
                              wc_error *err)
{
    put_text(json, "\"" METADATA_KEY "\":{");
    for (size_t i = 0; i < n_meta; i++) {
        if (i)
            put_text(json, ",");
        wc_status st = wc_json_write_string(json, meta_kv[2 * i], "metadata key", err);
        if (st != WC_OK)
            return st;
        put_text(json, ":");
        st = wc_json_write_string(json, meta_kv[2 * i + 1], "metadata value", err);
        if (st != WC_OK)
            return st;
    }
    put_text(json, "}");
    return WC_OK;
}

static wc_status put_entry(wc_buf *json, const wc_st_entry *e, uint64_t begin, wc_error *err)
{
    wc_status st = wc_json_write_string(json, e->name, "tensor name", err);
    if (st != WC_OK)
        return st;
    put_text(json, ":{\"dtype\":\"");
    put_text(json, e->dtype);
    put_text(json, "\",\"shape\":[");
    for (int d = 0; d < e->rank; d++) {
        if (d)
            put_text(json, ",");
        put_uint(json, e->dims[d]);
    }
    put_text(json, "],\"data_offsets\":[");
    put_uint(json, begin);
    put_text(json, ",");
    put_uint(json, begin + e->nbytes);
    put_text(json, "]}");
    return WC_OK;
}

/* The 8-byte length and the padded JSON header into `header`. */
static wc_status build_header(wc_buf *header, const wc_st_entry *entries, size_t n,
                              const char *const *meta_kv, size_t n_meta, wc_error *err)
{
    wc_status st = check_entries(entries, n, meta_kv, n_meta, err);
    if (st != WC_OK)
        return st;
    wc_buf_put_u64(header, 0);
    put_text(header, "{");
    if (n_meta)
        st = put_metadata(header, meta_kv, n_meta, err);
    uint64_t offset = 0;
    for (size_t i = 0; i < n && st == WC_OK; i++) {
        if (i || n_meta)
            put_text(header, ",");
        st = put_entry(header, &entries[i], offset, err);
        offset += entries[i].nbytes;
    }
    put_text(header, "}");
    while (header->len % 8)
        put_text(header, " ");
    if (st == WC_OK)
        st = wc_buf_status(header, err);
    if (st != WC_OK)
        return st;
    uint64_t json_len = header->len - 8;
    wc_store_le32(header->data, (uint32_t)json_len);
    wc_store_le32(header->data + 4, (uint32_t)(json_len >> 32));
    return WC_OK;
}

wc_status wc_safetensors_write_buf(wc_buf *out, const wc_st_entry *entries, size_t n,
                                   const char *const *meta_kv, size_t n_meta, wc_error *err)
{
    wc_buf header = {0};
    wc_status st = build_header(&header, entries, n, meta_kv, n_meta, err);
    if (st == WC_OK) {
        wc_buf_put(out, header.data, header.len);
        for (size_t i = 0; i < n; i++)
            wc_buf_put(out, entries[i].data, entries[i].nbytes);
        st = wc_buf_status(out, err);
    }
    wc_buf_free(&header);
    return st;
}

static int write_file(FILE *fp, const wc_buf *header, const wc_st_entry *entries, size_t n)
{
    if (fwrite(header->data, 1, header->len, fp) != header->len)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (entries[i].nbytes && fwrite(entries[i].data, 1, entries[i].nbytes, fp) !=
                                     entries[i].nbytes)
            return 0;
    return 1;
}

wc_status wc_safetensors_write(const char *path, const wc_st_entry *entries, size_t n,
                               const char *const *meta_kv, size_t n_meta, wc_error *err)
{
    wc_buf header = {0};
    wc_status st = build_header(&header, entries, n, meta_kv, n_meta, err);
    if (st != WC_OK) {
        wc_buf_free(&header);
        return st;
    }
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        wc_buf_free(&header);
        return wc_fail(err, WC_ERR_IO, "cannot create %s", path);
    }
    int ok = write_file(fp, &header, entries, n);
    ok = fclose(fp) == 0 && ok;
    wc_buf_free(&header);
    if (!ok) {
        remove(path);
        return wc_fail(err, WC_ERR_IO, "cannot write %s", path);
    }
    return WC_OK;
}

/* The .wcz container of docs/format.md section 5: a header and one record
 * per tensor.  This module holds the in-memory form; encode/container_write
 * serialises it and decode/container_read parses and checks it. */
#ifndef WC_COMMON_CONTAINER_H
#define WC_COMMON_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#include "common/bitio.h"
#include "common/tensor.h"
#include "quant/quant.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WC_CONTAINER_MAGIC "WCZF"
#define WC_CONTAINER_VERSION 1
#define WC_CONTAINER_HEADER_BYTES 16
#define WC_CONTAINER_MAX_NAME 4096
#define WC_CONTAINER_MAX_ELEMENTS 0xFFFFFFFFull  /* a tANS layer counts in 32 bits */

typedef enum { WC_KIND_QUANTIZED = 1, WC_KIND_VERBATIM = 2 } wc_record_kind;

typedef enum { WC_CODER_RAW = 0, WC_CODER_TANS = 1, WC_CODER_HUFFMAN = 2 } wc_coder;

/* One tensor.  Owns name, quant arrays, payload and verbatim bytes. */
typedef struct {
    char *name;
    wc_dtype dtype;          /* dtype in the source model */
    int rank;
    uint64_t dims[WC_MAX_RANK];
    uint64_t count;          /* elements, product of dims */
    wc_record_kind kind;
    /* kind == WC_KIND_QUANTIZED */
    wc_quant quant;          /* includes bins, groups and the SNR */
    wc_coder coder;
    wc_words payload;        /* the coded symbols */
    /* kind == WC_KIND_VERBATIM */
    uint8_t *bytes;          /* count * dtype size bytes, little-endian */
} wc_record;

typedef struct {
    wc_record *records;      /* owned array */
    size_t count;
} wc_container;

const char *wc_coder_name(wc_coder coder);  /* "raw", "tans", "huffman" */
void wc_record_free(wc_record *r);
void wc_container_free(wc_container *c);
/* Appends a zeroed record and returns it, or NULL when out of memory. */
wc_record *wc_container_add(wc_container *c);

#ifdef __cplusplus
}
#endif

#endif

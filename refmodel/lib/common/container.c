#include "common/container.h"

#include <stdlib.h>
#include <string.h>

const char *wc_coder_name(wc_coder coder)
{
    switch (coder) {
    case WC_CODER_RAW: return "raw";
    case WC_CODER_TANS: return "tans";
    case WC_CODER_HUFFMAN: return "huffman";
    }
    return "?";
}

void wc_record_free(wc_record *r)
{
    free(r->name);
    wc_quant_free(&r->quant);
    wc_words_free(&r->payload);
    free(r->bytes);
    memset(r, 0, sizeof *r);
}

void wc_container_free(wc_container *c)
{
    for (size_t i = 0; i < c->count; i++)
        wc_record_free(&c->records[i]);
    free(c->records);
    memset(c, 0, sizeof *c);
}

wc_record *wc_container_add(wc_container *c)
{
    wc_record *grown = realloc(c->records, (c->count + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    c->records = grown;
    wc_record *r = &c->records[c->count++];
    memset(r, 0, sizeof *r);
    return r;
}

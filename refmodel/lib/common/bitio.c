#include "common/bitio.h"

#include <stdlib.h>

void wc_words_free(wc_words *v)
{
    free(v->w);
    v->w = NULL;
    v->n = v->cap = 0;
    v->failed = 0;
}

void wc_words_push(wc_words *v, uint32_t word)
{
    if (v->failed)
        return;
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        uint32_t *p = realloc(v->w, cap * sizeof *p);
        if (!p) {
            v->failed = 1;
            return;
        }
        v->w = p;
        v->cap = cap;
    }
    v->w[v->n++] = word;
}

wc_status wc_words_status(const wc_words *v, wc_error *err)
{
    if (v->failed)
        return wc_fail(err, WC_ERR_NOMEM, "out of memory while coding");
    return WC_OK;
}

void wc_bitwriter_init(wc_bitwriter *bw, wc_words *out)
{
    bw->out = out;
    bw->acc = 0;
    bw->nacc = 0;
}

void wc_bitwriter_put(wc_bitwriter *bw, uint32_t value, unsigned nbits)
{
    if (nbits == 0)
        return;
    uint64_t masked = nbits == 32 ? value : value & ((1u << nbits) - 1);
    bw->acc = bw->acc << nbits | masked;
    bw->nacc += nbits;
    if (bw->nacc >= 32) {
        bw->nacc -= 32;
        wc_words_push(bw->out, (uint32_t)(bw->acc >> bw->nacc));
    }
}

void wc_bitwriter_flush(wc_bitwriter *bw)
{
    if (bw->nacc)
        wc_bitwriter_put(bw, 0, 32 - bw->nacc);
    bw->acc = 0;
}

uint64_t wc_bitwriter_bits(const wc_bitwriter *bw)
{
    return (uint64_t)bw->out->n * 32 + bw->nacc;
}

void wc_bitreader_init(wc_bitreader *br, const uint32_t *w, size_t nwords)
{
    br->w = w;
    br->nwords = nwords;
    br->bitpos = 0;
}

uint64_t wc_bitreader_left(const wc_bitreader *br)
{
    return (uint64_t)br->nwords * 32 - br->bitpos;
}

wc_status wc_bitreader_get(wc_bitreader *br, unsigned nbits, uint32_t *value,
                           const char *what, wc_error *err)
{
    if (nbits > 32)
        return wc_fail(err, WC_ERR_ARG, "%s: cannot read %u bits at once", what, nbits);
    if (nbits > wc_bitreader_left(br))
        return wc_fail(err, WC_ERR_TRUNCATED, "%s: stream ends early", what);
    if (nbits == 0) {
        *value = 0;
        return WC_OK;
    }
    size_t word = (size_t)(br->bitpos >> 5);
    unsigned offset = (unsigned)(br->bitpos & 31);
    uint64_t window = (uint64_t)br->w[word] << 32;
    if (word + 1 < br->nwords)
        window |= br->w[word + 1];
    *value = (uint32_t)((window << offset) >> (64 - nbits));
    br->bitpos += nbits;
    return WC_OK;
}

wc_status wc_bitreader_align(wc_bitreader *br, const char *what, wc_error *err)
{
    unsigned offset = (unsigned)(br->bitpos & 31);
    if (offset == 0)
        return WC_OK;
    uint32_t pad = 0;
    wc_status st = wc_bitreader_get(br, 32 - offset, &pad, what, err);
    if (st != WC_OK)
        return st;
    if (pad != 0)
        return wc_fail(err, WC_ERR_CORRUPT, "%s: padding bits are not zero", what);
    return WC_OK;
}

void wc_lsb_writer_init(wc_lsb_writer *bw, wc_words *out)
{
    bw->out = out;
    bw->acc = 0;
    bw->nacc = 0;
}

void wc_lsb_writer_put(wc_lsb_writer *bw, uint32_t value, unsigned nbits)
{
    if (nbits == 0)
        return;
    uint64_t masked = nbits == 32 ? value : value & ((1u << nbits) - 1);
    bw->acc |= masked << bw->nacc;
    bw->nacc += nbits;
    if (bw->nacc >= 32) {
        wc_words_push(bw->out, (uint32_t)bw->acc);
        bw->acc >>= 32;
        bw->nacc -= 32;
    }
}

void wc_lsb_writer_flush(wc_lsb_writer *bw)
{
    if (bw->nacc)
        wc_lsb_writer_put(bw, 0, 32 - bw->nacc);
    bw->acc = 0;
}

uint64_t wc_lsb_writer_bits(const wc_lsb_writer *bw)
{
    return (uint64_t)bw->out->n * 32 + bw->nacc;
}

void wc_lsb_reader_init(wc_lsb_reader *br, const uint32_t *w, size_t nwords)
{
    wc_bitreader_init(br, w, nwords);
}

wc_status wc_lsb_reader_get(wc_lsb_reader *br, unsigned nbits, uint32_t *value,
                            const char *what, wc_error *err)
{
    if (nbits > 32)
        return wc_fail(err, WC_ERR_ARG, "%s: cannot read %u bits at once", what, nbits);
    if (nbits > wc_bitreader_left(br))
        return wc_fail(err, WC_ERR_TRUNCATED, "%s: stream ends early", what);
    if (nbits == 0) {
        *value = 0;
        return WC_OK;
    }
    size_t word = (size_t)(br->bitpos >> 5);
    unsigned offset = (unsigned)(br->bitpos & 31);
    uint64_t window = br->w[word];
    if (word + 1 < br->nwords)
        window |= (uint64_t)br->w[word + 1] << 32;
    *value = (uint32_t)((window >> offset) & (((uint64_t)1 << nbits) - 1));
    br->bitpos += nbits;
    return WC_OK;
}

wc_status wc_lsb_reader_align(wc_lsb_reader *br, const char *what, wc_error *err)
{
    unsigned offset = (unsigned)(br->bitpos & 31);
    if (offset == 0)
        return WC_OK;
    uint32_t pad = 0;
    wc_status st = wc_lsb_reader_get(br, 32 - offset, &pad, what, err);
    if (st != WC_OK)
        return st;
    if (pad != 0)
        return wc_fail(err, WC_ERR_CORRUPT, "%s: padding bits are not zero", what);
    return WC_OK;
}

/* Cycle-accurate golden model of the tANS hardware decoder: docs/rtl.md
 * section 4, register by register, written from the document alone.
 *
 * A cycle is computed in three passes, like the RTL's nonblocking
 * assignments:
 *   1. every combinational signal of the cycle, from the registers and the
 *      inputs (cycle_signals, in the order of their dependencies);
 *   2. every block's next register values, read from the current registers
 *      and the signals, written into a copy of the registers (the RAM reads
 *      of the cycle happen here, before any RAM write);
 *   3. the RAM writes of the cycle, then the copy becomes the registers.
 * Register and signal names are those of docs/rtl.md. */
#include "golden/tans_hw_model.h"

#include <stdlib.h>
#include <string.h>

#include "common/tans.h"
#include "common/tans_hw.h"

#define HW_MAX_LANES 16
#define HW_MAX_STATES 256   /* 2^TABLE_LOG_MAX at its largest */
#define HW_MAX_SYMBOLS 256  /* 2^SYMBOL_WIDTH at its largest */
#define HW_MAX_QUEUE 8

enum in_state { IN_STREAM, IN_HEADER, IN_TABLE, IN_PAYLOAD, IN_DONE, IN_DRAIN };
enum builder_phase {
    PH_IDLE, PH_COUNTS, PH_SPREAD_READ, PH_SPREAD_LOAD, PH_SPREAD_WRITE, PH_ENTRIES
};
enum dec_state { DEC_WAIT, DEC_LOAD, DEC_RUN, DEC_FINISH, DEC_MARK };

/* 4.1: an input FIFO entry (tlast and data) and an output beat. */
typedef struct {
    uint32_t data;
    int last;
} in_entry;

typedef struct {
    uint8_t data[HW_MAX_LANES];
    uint16_t keep;
    int last;
} out_beat;

typedef struct {
    unsigned count;
    in_entry head, tail;
} in_fifo;

typedef struct {
    unsigned count;
    out_beat head, tail;
} out_fifo;

/* 4.2: one descriptor slot. */
typedef struct {
    int full, ready;
    unsigned log;
    uint32_t n, p;
    unsigned err;
} desc_slot;

/* 4.3 */
typedef struct {
    unsigned state;
    unsigned hdr_word;  /* 0..3 */
    uint32_t K, hdr_layer, pay_layer, pay_count, pay_total;
    unsigned discard;   /* 0..104 */
    int discarding;
    unsigned hdr_lanes;
} input_side;

/* 4.4 */
typedef struct {
    unsigned phase;
    unsigned log, first, entries, width, bank;  /* latched at start */
    uint64_t bits;                              /* COUNTS: 45 bits */
    unsigned nbits, index;
    uint32_t sum;
    int bad, wide;
    unsigned symbol_q, left, spread_pos;        /* spread */
    unsigned issue, u1, u2, s2, s3, x3;         /* ENTRIES pipeline */
    int v1, v2, v3;
    unsigned count_rdata, spread_rdata;         /* registered RAM read data */
} table_builder;

/* 4.5 */
typedef struct {
    uint32_t cur, nxt;
    int cur_valid, nxt_valid;
    unsigned pos, lookahead, state;
    wc_tans_entry entry;  /* the registered table read */
} lane;

/* 4.6 */
typedef struct {
    unsigned state;
    uint32_t layer, sym_left;
    unsigned active, prologue, mark_code;
    int mark_idle;
} decode_side;

/* 4.7: masks of lanes waiting for a word, oldest first. */
typedef struct {
    unsigned count;
    uint16_t mask[HW_MAX_QUEUE];
} request_queue;

/* 4.9 */
typedef struct {
    int layer_done;
    unsigned layer_error;
    int stream_done;
    uint32_t symbols;
    int error;
    unsigned error_code;
} status_regs;

typedef struct {
    in_fifo in;
    desc_slot slot[2];
    input_side inp;
    table_builder bld;
    lane lane[HW_MAX_LANES];
    decode_side dec;
    request_queue queue;
    out_fifo out;
    status_regs st;
} registers;

struct wc_tans_hw_model {
    wc_tans_hw_config cfg;
    registers r;
    uint16_t count_ram[HW_MAX_SYMBOLS];  /* TABLE_LOG_MAX + 1 bits per entry */
    uint8_t spread_ram[HW_MAX_STATES];
    wc_tans_entry table[HW_MAX_LANES][2][HW_MAX_STATES];  /* lane, bank, state */
};

/* The combinational signals of one cycle. */
typedef struct {
    /* 4.1 */
    int in_valid, in_last, push, out_ready, out_pop;
    uint32_t word;
    /* 4.4 */
    int b_in_pop, take_count, counts_done, counts_bad, counts_wide;
    int spread_re, count_re, tbl_we, done;
    unsigned count, x;
    wc_tans_entry new_entry;
    /* 4.3 */
    int in_pop, payload_complete, table_complete, unsupported, builder_start;
    unsigned fatal_code;
    int fatal;
    /* 4.6 and 4.7 */
    uint16_t step_mask, requests;
    int step_go, step_init, last_step;
    uint32_t step_count;
    int prologue_pending, need_word, serve, payload_short;
    int load_cur, load_nxt;
    unsigned load_lane;
    /* 4.8 and 4.9 */
    int verdict, mark_go, short_now, short_late, layer_end, out_push;
    unsigned end_code;
} cycle_signals;

/* v mod 2^n, for n < 32 */
static uint32_t low_bits(uint32_t v, unsigned n)
{
    return v & ((1u << n) - 1);
}

static unsigned floor_log2(unsigned v)
{
    unsigned n = 0;
    while (v >>= 1)
        n++;
    return n;
}

static uint16_t lanes_below(unsigned n)
{
    return (uint16_t)((1u << n) - 1);
}

/* ---- 4.1 Input and output FIFOs ---------------------------------------- */

/* Where a 2-entry FIFO's registers take their next values from. */
typedef struct {
    int head_from_tail, head_from_push, tail_from_push;
    unsigned count;
} fifo2_moves;

/* 4.1: the moves of a 2-entry FIFO (axis_fifo2) in one cycle. */
static fifo2_moves fifo2_plan(unsigned count, int push, int pop)
{
    int push_to_head = count == 0 || (count == 1 && pop);
    fifo2_moves mv;
    mv.head_from_tail = pop && (count == 2 || !push);
    mv.head_from_push = push && push_to_head;
    mv.tail_from_push = push && !push_to_head;
    mv.count = count + (unsigned)push - (unsigned)pop;
    return mv;
}

/* 4.1: the input FIFO. */
static void in_fifo_next(const in_fifo *f, const cycle_signals *c, const wc_tans_hw_inputs *in,
                         in_fifo *next)
{
    fifo2_moves mv = fifo2_plan(f->count, c->push, c->in_pop);
    in_entry pushed = {in->s_tdata, in->s_tlast != 0};
    if (mv.head_from_tail)
        next->head = f->tail;
    if (mv.head_from_push)
        next->head = pushed;
    if (mv.tail_from_push)
        next->tail = pushed;
    next->count = in->rst ? 0 : mv.count;
}

/* 4.9: the beat pushed this cycle: a step's symbols or a closing marker. */
static out_beat beat_of_cycle(const registers *r, const cycle_signals *c, unsigned lanes)
{
    out_beat b;
    memset(&b, 0, sizeof b);
    if (c->mark_go) {
        b.last = 1;
        return b;
    }
    b.last = c->last_step;
    b.keep = c->step_mask;
    for (unsigned k = 0; k < lanes; k++)
        if (c->step_mask >> k & 1)
            b.data[k] = r->lane[k].entry.symbol;
    return b;
}

/* 4.1: the output FIFO, pushed by out_push (4.9). */
static void out_fifo_next(const registers *r, const cycle_signals *c, unsigned lanes, int rst,
                          out_fifo *next)
{
    const out_fifo *f = &r->out;
    fifo2_moves mv = fifo2_plan(f->count, c->out_push, c->out_pop);
    if (mv.head_from_tail)
        next->head = f->tail;
    if (mv.head_from_push || mv.tail_from_push) {
        out_beat pushed = beat_of_cycle(r, c, lanes);
        if (mv.head_from_push)
            next->head = pushed;
        else
            next->tail = pushed;
    }
    next->count = rst ? 0 : mv.count;
}

/* ---- 4.4 Table builder: combinational part ------------------------------ */

/* 4.4: the builder's signals (COUNTS handshake, ENTRIES pipeline outputs). */
static void builder_signals(const wc_tans_hw_model *m, cycle_signals *c)
{
    const table_builder *b = &m->r.bld;
    const input_side *s = &m->r.inp;
    const uint32_t R = 1u << b->log;
    int counts_all = b->index == b->entries;
    int need_word = !counts_all && b->nbits < b->width;
    int b_in_valid = c->in_valid && s->state == IN_TABLE && !s->discarding;

    c->count = (unsigned)(b->bits & ((1u << b->width) - 1));
    c->b_in_pop = b->phase == PH_COUNTS && need_word && b_in_valid;
    c->take_count = b->phase == PH_COUNTS && !counts_all && !need_word;
    c->counts_done = b->phase == PH_COUNTS && counts_all;
    c->counts_bad = b->bad || b->wide || b->bits != 0 || b->sum != R;
    c->counts_wide = b->wide;

    c->spread_re = b->phase == PH_ENTRIES && b->issue < R;
    c->count_re = b->phase == PH_ENTRIES && b->v1;
    c->x = b->v3 && b->s3 == b->s2 ? b->x3 + 1 : b->count_rdata;
    /* nbits is the entry's 4-bit field; f <= x < 2f keeps it in 0..log */
    unsigned nbits = (b->log - floor_log2(c->x)) & 0xF;
    c->new_entry.symbol = (uint8_t)b->s2;
    c->new_entry.nbits = (uint8_t)nbits;
    c->new_entry.base = (uint16_t)(((uint64_t)c->x << nbits) & (R - 1));
    c->tbl_we = b->phase == PH_ENTRIES && b->v2;
    c->done = c->tbl_we && b->u2 == R - 1;
}

/* ---- 4.3 Input side: combinational part --------------------------------- */

static int stream_word_bad(uint32_t w)
{
    return w >> 24 != 0x5A || (w >> 16 & 0xFF) != 1 || (w & 0xFFFF) == 0;
}

/* 4.3 "Header checks" for header word `hdr_word` (word 2 is never bad). */
static int header_word_bad(unsigned hdr_word, uint32_t w)
{
    unsigned log = w >> 20 & 0xF, width = w >> 12 & 0xF;
    switch (hdr_word) {
    case 0:
        return w >> 24 != 0xA7 || (w & 0xFFFF) != 0 || log < 5 || log > 12;
    case 1:
        return w == 0;
    case 3:
        return (w & 0xFFF) != 0 || width < 1 || width > 13 || (w >> 24) + (w >> 16 & 0xFF) > 255;
    default:
        return 0;
    }
}

static int stream_idle(const registers *r)
{
    return !r->slot[0].full && !r->slot[1].full && r->bld.phase == PH_IDLE &&
           r->dec.state == DEC_WAIT;
}

/* 4.3: which word pops, the completion signals and the fatal errors.  Needs
 * the builder's signals and serve (4.7). */
static void input_signals(const wc_tans_hw_model *m, cycle_signals *c)
{
    const registers *r = &m->r;
    const input_side *s = &r->inp;
    const desc_slot *hs = &r->slot[s->hdr_layer % 2];
    int discard_here = s->state == IN_PAYLOAD && s->pay_layer < r->dec.layer;
    int more_payloads = (uint64_t)s->pay_layer + 1 < s->K;
    int header_may_start = !hs->full && r->bld.phase == PH_IDLE;
    uint32_t w = c->word;

    int pops;
    switch (s->state) {
    case IN_STREAM: pops = stream_idle(r); break;
    case IN_HEADER: pops = s->hdr_word != 0 || header_may_start; break;
    case IN_TABLE: pops = s->discarding ? s->discard != 0 : c->b_in_pop; break;
    case IN_PAYLOAD: pops = c->serve || (discard_here && s->pay_count != s->pay_total); break;
    default: pops = 1; break; /* DONE, DRAIN */
    }
    c->in_pop = c->in_valid && pops;

    c->payload_complete = s->state == IN_PAYLOAD &&
                          (s->pay_count == s->pay_total ||
                           (c->in_pop && (uint64_t)s->pay_count + 1 == s->pay_total));
    c->table_complete = s->state == IN_TABLE && (s->discarding ? s->discard == 0 : c->counts_done);
    int last_stream_word = c->payload_complete && !more_payloads;
    c->unsupported = hs->log > m->cfg.table_log_max || s->hdr_lanes != m->cfg.lanes - 1;

    c->fatal_code = WC_TANS_ERR_NONE;
    if (c->in_pop) {
        if (s->state == IN_STREAM && stream_word_bad(w))
            c->fatal_code = WC_TANS_ERR_STREAM_HEADER;
        else if (s->state == IN_HEADER && header_word_bad(s->hdr_word, w))
            c->fatal_code = WC_TANS_ERR_LAYER_HEADER;
        else if (c->in_last && s->state != IN_DONE && s->state != IN_DRAIN && !last_stream_word)
            c->fatal_code = WC_TANS_ERR_TRUNCATED;
    }
    c->fatal = c->fatal_code != 0;
    c->builder_start = c->in_pop && s->state == IN_HEADER && s->hdr_word == 3 && !c->fatal &&
                       !c->unsupported;
}

/* ---- 4.5 to 4.8 Lanes and decode side: combinational part -------------- */

static int lane_ready(const lane *l, unsigned W)
{
    return l->cur_valid && (l->nxt_valid || l->pos <= 32 - 2 * W);
}

/* 4.5: the bits lane `l` reads when it steps (nbits). */
static unsigned lane_step_bits(const registers *r, const lane *l, int step_init)
{
    return step_init ? r->slot[r->dec.layer % 2].log : l->entry.nbits;
}

/* 4.6 and 4.7, the part that does not depend on the input side's pop. */
static void decode_signals(const wc_tans_hw_model *m, cycle_signals *c)
{
    const registers *r = &m->r;
    const decode_side *d = &r->dec;
    const unsigned lanes = m->cfg.lanes;

    c->step_mask = d->sym_left >= lanes ? lanes_below(lanes) : lanes_below(d->sym_left);
    int started = d->state == DEC_LOAD || d->state == DEC_RUN || d->state == DEC_FINISH;
    c->prologue_pending = started && d->prologue != 2 * d->active;
    int refill_pending = started && r->queue.count != 0;
    c->need_word = c->prologue_pending || refill_pending;
    int serve_here = r->inp.state == IN_PAYLOAD && r->inp.pay_layer == d->layer;
    c->serve = c->need_word && serve_here && c->in_valid &&
               r->inp.pay_count != r->inp.pay_total;
    c->payload_short = c->need_word && r->inp.pay_layer > d->layer;

    /* where a served word goes */
    c->load_cur = c->load_nxt = 0;
    c->load_lane = 0;
    if (c->serve && c->prologue_pending) {
        c->load_cur = d->prologue < d->active;
        c->load_nxt = !c->load_cur;
        c->load_lane = c->load_cur ? d->prologue : d->prologue - d->active;
    } else if (c->serve) {
        c->load_nxt = 1;
        c->load_lane = floor_log2((unsigned)(r->queue.mask[0] & -r->queue.mask[0]));
    }
}

/* 4.6 to 4.9, the part that depends on fatal. */
static void step_signals(const wc_tans_hw_model *m, cycle_signals *c)
{
    const registers *r = &m->r;
    const decode_side *d = &r->dec;
    const unsigned lanes = m->cfg.lanes, W = m->cfg.table_log_max;

    int lanes_ready = 1;
    for (unsigned k = 0; k < lanes; k++)
        if (c->step_mask >> k & 1)
            lanes_ready &= lane_ready(&r->lane[k], W);
    int queue_space = r->queue.count != m->cfg.request_queue;
    int cur_loaded = d->prologue >= d->active;
    c->step_go = !c->fatal && lanes_ready && queue_space &&
                 ((d->state == DEC_LOAD && cur_loaded) || (d->state == DEC_RUN && c->out_ready));
    c->step_init = d->state == DEC_LOAD;
    c->last_step = d->state == DEC_RUN && d->sym_left <= lanes;
    c->step_count = d->sym_left < lanes ? d->sym_left : lanes;

    c->requests = 0;
    if (c->step_go)
        for (unsigned k = 0; k < lanes; k++) {
            const lane *l = &r->lane[k];
            if ((c->step_mask >> k & 1) && l->pos + lane_step_bits(r, l, c->step_init) >= 32)
                c->requests |= (uint16_t)(1u << k);
        }

    /* 4.8 */
    uint16_t a_mask = lanes_below(d->active);
    int states_zero = 1, padding_zero = 1;
    for (unsigned k = 0; k < lanes; k++)
        if (a_mask >> k & 1) {
            const lane *l = &r->lane[k];
            uint64_t window = (uint64_t)l->nxt << 32 | l->cur;
            states_zero &= l->state == 0;
            padding_zero &= (window >> l->pos) == 0;
        }
    unsigned verdict_code = !states_zero                ? WC_TANS_ERR_FINAL_STATE
                            : !padding_zero             ? WC_TANS_ERR_PADDING
                            : r->inp.pay_layer == d->layer ? WC_TANS_ERR_PAYLOAD_LONG
                                                        : WC_TANS_ERR_NONE;
    c->verdict = d->state == DEC_FINISH && !c->need_word && !c->fatal;
    c->mark_go = d->state == DEC_MARK && c->out_ready && !c->fatal;
    c->short_now = c->payload_short && !c->fatal &&
                   (d->state == DEC_LOAD ||
                    (d->state == DEC_RUN && !(c->step_go && c->last_step)));
    c->short_late = c->payload_short && !c->fatal && d->state == DEC_FINISH;
    c->layer_end = c->verdict || c->mark_go || c->short_late;
    c->end_code = c->verdict ? verdict_code : c->mark_go ? d->mark_code : WC_TANS_ERR_PAYLOAD_SHORT;
    c->out_push = (c->step_go && d->state == DEC_RUN) || c->mark_go;
}

/* Every combinational signal of the cycle, in the order of their dependencies:
 * the builder's and the decode side's do not depend on the input side's pop,
 * which needs them; step_go and the layer ends need fatal, which needs the pop. */
static void cycle_signals_of(const wc_tans_hw_model *m, const wc_tans_hw_inputs *in,
                             cycle_signals *c)
{
    const registers *r = &m->r;
    memset(c, 0, sizeof *c);
    c->in_valid = r->in.count != 0;
    c->word = r->in.head.data;
    c->in_last = r->in.head.last;
    c->push = in->s_tvalid && r->in.count != 2;
    c->out_ready = r->out.count != 2;
    c->out_pop = r->out.count != 0 && in->m_tready;
    builder_signals(m, c);
    decode_signals(m, c);
    input_signals(m, c);
    step_signals(m, c);
}

/* ---- Next state --------------------------------------------------------- */

/* 4.3 "slots" and 4.8 (a layer's end frees its slot). */
static void slots_next(const registers *r, const cycle_signals *c, int rst, desc_slot *next)
{
    const input_side *s = &r->inp;
    unsigned hdr_slot = s->hdr_layer % 2;
    if (c->in_pop && s->state == IN_HEADER && !c->fatal) {
        desc_slot *h = &next[hdr_slot];
        switch (s->hdr_word) {
        case 0:
            h->log = c->word >> 20 & 0xF;
            h->full = 1;
            h->ready = 0;
            h->err = 0;
            break;
        case 1: h->n = c->word; break;
        case 2: h->p = c->word; break;
        default: break;
        }
    }
    if (c->table_complete && !c->fatal) {
        if (s->discarding) {
            next[hdr_slot].err = WC_TANS_ERR_UNSUPPORTED;
            next[hdr_slot].ready = 1;
        } else if (c->counts_bad) {
            next[hdr_slot].err = c->counts_wide ? WC_TANS_ERR_UNSUPPORTED : WC_TANS_ERR_TABLE;
            next[hdr_slot].ready = 1;
        }
    }
    if (c->done)
        next[1 - hdr_slot].ready = 1;
    if (c->layer_end)
        next[r->dec.layer % 2].full = 0;
    if (c->fatal || rst)
        next[0].full = next[1].full = 0;
}

/* 4.3 "Next state" of the input side's own registers. */
static void input_side_next(const registers *r, const cycle_signals *c, int rst, input_side *next)
{
    const input_side *s = &r->inp;
    const uint32_t w = c->word;
    if (c->in_pop && s->state == IN_PAYLOAD)
        next->pay_count = s->pay_count + 1;
    switch (s->state) {
    case IN_STREAM:
        if (c->in_pop && !c->fatal) {
            next->K = w & 0xFFFF;
            next->hdr_layer = next->pay_layer = 0;
            next->hdr_word = 0;
            next->state = IN_HEADER;
        }
        break;
    case IN_HEADER:
        if (c->in_pop && !c->fatal) {
            next->hdr_word = (s->hdr_word + 1) & 3;
            if (s->hdr_word == 0)
                next->hdr_lanes = w >> 16 & 0xF;
            if (s->hdr_word == 3) {
                unsigned entries = (w >> 16 & 0xFF) + 1, width = w >> 12 & 0xF;
                next->discarding = c->unsupported;
                next->discard = (entries * width + 31) / 32;
                next->state = IN_TABLE;
            }
        }
        break;
    case IN_TABLE:
        if (s->discarding && c->in_pop)
            next->discard = s->discard - 1;
        if (c->table_complete && !c->fatal) {
            next->hdr_layer = s->hdr_layer + 1;
            next->hdr_word = 0;
            if (s->hdr_layer == 0 && s->K > 1) {
                next->state = IN_HEADER;
            } else {
                next->state = IN_PAYLOAD;
                next->pay_count = 0;
                next->pay_total = r->slot[s->pay_layer % 2].p;
            }
        }
        break;
    case IN_PAYLOAD:
        if (c->payload_complete && !c->fatal) {
            int more_headers = (uint64_t)s->pay_layer + 2 < s->K;
            int more_payloads = (uint64_t)s->pay_layer + 1 < s->K;
            next->pay_layer = s->pay_layer + 1;
            next->pay_count = 0;
            next->pay_total = r->slot[(s->pay_layer + 1) % 2].p;
            next->state = more_headers    ? IN_HEADER
                          : more_payloads ? IN_PAYLOAD
                          : c->in_pop && c->in_last ? IN_STREAM
                                                    : IN_DONE;
        }
        break;
    case IN_DONE:
        if (c->in_pop)
            next->state = c->in_last ? IN_STREAM : IN_DRAIN;
        break;
    case IN_DRAIN:
        if (c->in_pop && c->in_last)
            next->state = IN_STREAM;
        break;
    default:
        break;
    }
    if (c->fatal)
        next->state = c->in_last ? IN_STREAM : IN_DRAIN;
    if (c->fatal || rst)
        next->K = next->hdr_layer = next->pay_layer = 0;
    if (rst)
        next->state = IN_STREAM;
}

/* 4.4: the builder's registers and its RAM reads (the RAM writes are
 * applied by ram_writes, after every read of the cycle). */
static void builder_next(const wc_tans_hw_model *m, const cycle_signals *c, int rst,
                         table_builder *next)
{
    const table_builder *b = &m->r.bld;
    const unsigned sym_limit = 1u << m->cfg.symbol_width;
    const uint32_t R = 1u << b->log;
    const unsigned end = b->first + b->entries < sym_limit ? b->first + b->entries : sym_limit;

    switch (b->phase) {
    case PH_IDLE:
        if (c->builder_start) {
            const input_side *s = &m->r.inp;
            next->log = m->r.slot[s->hdr_layer % 2].log;
            next->first = c->word >> 24;
            next->entries = (c->word >> 16 & 0xFF) + 1;
            next->width = c->word >> 12 & 0xF;
            next->bank = s->hdr_layer % 2;
            next->bits = 0;
            next->nbits = next->index = 0;
            next->sum = 0;
            next->bad = next->wide = 0;
            next->phase = PH_COUNTS;
        }
        break;
    case PH_COUNTS:
        if (c->b_in_pop) {
            next->bits = b->bits | (uint64_t)c->word << b->nbits;
            next->nbits = b->nbits + 32;
        }
        if (c->take_count) {
            unsigned symbol = b->first + b->index;
            next->bits = b->bits >> b->width;
            next->nbits = b->nbits - b->width;
            next->index = b->index + 1;
            next->sum = b->sum + c->count;
            if (c->count > R)
                next->bad = 1;
            if (symbol >= sym_limit && c->count != 0)
                next->wide = 1;
        }
        if (c->counts_done) {
            next->symbol_q = b->first;
            next->spread_pos = 0;
            next->issue = 0;
            next->v1 = next->v2 = next->v3 = 0;
            next->phase = c->counts_bad ? PH_IDLE : PH_SPREAD_READ;
        }
        break;
    case PH_SPREAD_READ:
        next->count_rdata = m->count_ram[b->symbol_q];
        next->phase = PH_SPREAD_LOAD;
        break;
    case PH_SPREAD_LOAD:
        next->left = b->count_rdata;
        if (b->count_rdata != 0) {
            next->phase = PH_SPREAD_WRITE;
        } else {
            next->symbol_q = b->symbol_q + 1;
            next->phase = b->symbol_q + 1 >= end ? PH_ENTRIES : PH_SPREAD_READ;
        }
        break;
    case PH_SPREAD_WRITE:
        next->spread_pos = (b->spread_pos + R / 2 + R / 8 + 3) & (R - 1);
        next->left = b->left - 1;
        if (b->left == 1) {
            next->symbol_q = b->symbol_q + 1;
            next->phase = b->symbol_q + 1 >= end ? PH_ENTRIES : PH_SPREAD_READ;
        }
        break;
    case PH_ENTRIES:
        if (c->spread_re) {
            next->spread_rdata = m->spread_ram[b->issue];
            next->issue = b->issue + 1;
            next->u1 = b->issue;
        }
        if (c->count_re)
            next->count_rdata = m->count_ram[b->spread_rdata];
        next->v1 = c->spread_re;
        next->v2 = b->v1;
        next->u2 = b->u1;
        next->s2 = b->spread_rdata;
        next->v3 = b->v2;
        next->s3 = b->s2;
        next->x3 = c->x;
        if (c->done)
            next->phase = PH_IDLE;
        break;
    default:
        break;
    }
    if (rst || c->fatal)
        next->phase = PH_IDLE;
}

/* 4.5: lane k's registers and its table read. */
static void lane_next(const wc_tans_hw_model *m, const cycle_signals *c, unsigned k, int rst,
                      lane *next)
{
    const registers *r = &m->r;
    const lane *l = &r->lane[k];
    const unsigned W = m->cfg.table_log_max;
    const int step = c->step_go && (c->step_mask >> k & 1);
    const int load_cur = c->load_cur && c->load_lane == k;
    const int load_nxt = c->load_nxt && c->load_lane == k;
    const int word_done = c->requests >> k & 1;

    if (step) {
        unsigned nbits = lane_step_bits(r, l, c->step_init);
        unsigned base = c->step_init ? 0 : l->entry.base;
        unsigned state_d = base | low_bits(l->lookahead, nbits);
        uint64_t window = (uint64_t)l->nxt << 32 | l->cur;
        uint32_t ahead = low_bits((uint32_t)((window >> l->pos) >> W), W);
        unsigned pos_sum = l->pos + nbits;
        next->entry = m->table[k][r->dec.layer % 2][state_d];
        next->state = state_d;
        /* ahead << (W - nbits), written so that it stays defined for any
         * 4-bit nbits; the builder writes nbits <= log <= W */
        uint64_t ahead_up = ((uint64_t)ahead << W) >> nbits;
        next->lookahead = low_bits((uint32_t)((l->lookahead >> nbits) | ahead_up), W);
        next->pos = pos_sum % 32;
        if (pos_sum >= 32)
            next->cur = l->nxt;
    }
    if (load_cur) {
        next->cur = c->word;
        next->lookahead = low_bits(c->word, W);
        next->pos = 0;
    }
    if (load_nxt)
        next->nxt = c->word;
    if (rst || c->layer_end || c->fatal) {
        next->cur_valid = next->nxt_valid = 0;
    } else {
        if (load_cur)
            next->cur_valid = 1;
        if (load_nxt)
            next->nxt_valid = 1;
        else if (word_done)
            next->nxt_valid = 0;
    }
}

/* 4.6 to 4.8: the decode side's registers. */
static void decode_next(const wc_tans_hw_model *m, const cycle_signals *c, int rst,
                        decode_side *next)
{
    const registers *r = &m->r;
    const decode_side *d = &r->dec;
    const desc_slot *ds = &r->slot[d->layer % 2];

    if (c->serve && c->prologue_pending)
        next->prologue = d->prologue + 1;
    switch (d->state) {
    case DEC_WAIT:
        if (d->layer < r->inp.K && ds->full && ds->ready) {
            if (ds->err != 0) {
                next->state = DEC_MARK;
                next->mark_code = ds->err;
                next->mark_idle = 0;
            } else {
                next->state = DEC_LOAD;
                next->sym_left = ds->n;
                next->active = ds->n < m->cfg.lanes ? ds->n : m->cfg.lanes;
                next->prologue = 0;
            }
        }
        break;
    case DEC_LOAD:
        if (c->step_go)
            next->state = DEC_RUN;
        break;
    case DEC_RUN:
        if (c->step_go) {
            next->sym_left = d->sym_left - c->step_count;
            if (c->last_step)
                next->state = DEC_FINISH;
        }
        break;
    default:
        break;
    }
    if (c->short_now) {
        next->state = DEC_MARK;
        next->mark_code = WC_TANS_ERR_PAYLOAD_SHORT;
        next->mark_idle = 0;
    }
    if (c->layer_end) {
        next->state = DEC_WAIT;
        next->layer = c->mark_go && d->mark_idle ? 0 : d->layer + 1;
    }
    if (c->fatal) {
        if (d->state == DEC_LOAD || d->state == DEC_RUN || d->state == DEC_MARK) {
            next->state = DEC_MARK;
            next->mark_code = c->fatal_code;
            next->mark_idle = 1;
        } else {
            next->state = DEC_WAIT;
            next->layer = 0;
        }
    }
    if (r->inp.state == IN_STREAM && c->in_pop && !c->fatal)
        next->layer = 0;
    if (rst) {
        next->state = DEC_WAIT;
        next->layer = 0;
    }
}

/* 4.7: the request queue. */
static void queue_next(const wc_tans_hw_model *m, const cycle_signals *c, int rst,
                       request_queue *next)
{
    const request_queue *q = &m->r.queue;
    const unsigned depth = m->cfg.request_queue;
    uint16_t head_after = q->mask[0];
    if (c->serve && !c->prologue_pending)
        head_after &= (uint16_t)~(1u << c->load_lane);
    int pop_head = q->count != 0 && head_after == 0;

    next->mask[0] = head_after;
    if (pop_head)
        for (unsigned i = 0; i + 1 < depth; i++)
            next->mask[i] = q->mask[i + 1];
    if (c->requests != 0)
        next->mask[q->count - (unsigned)pop_head] = c->requests;
    next->count = q->count - (unsigned)pop_head + (c->requests != 0);
    if (c->layer_end || c->fatal || rst)
        next->count = 0;
}

/* 4.9: the status registers. */
static void status_next(const registers *r, const cycle_signals *c, int rst, status_regs *next)
{
    const decode_side *d = &r->dec;
    unsigned code = c->layer_end ? c->end_code : c->fatal_code;
    next->layer_done = c->layer_end || (c->fatal && d->state == DEC_FINISH);
    next->layer_error = c->layer_end                            ? c->end_code
                        : c->fatal && d->state == DEC_FINISH ? c->fatal_code
                                                             : 0;
    next->stream_done = c->layer_end && (uint64_t)d->layer + 1 == r->inp.K &&
                        !(c->mark_go && d->mark_idle);
    if (c->step_go && d->state == DEC_RUN)
        next->symbols = r->st.symbols + c->step_count;
    if ((c->layer_end || c->fatal) && code != 0) {
        next->error = 1;
        next->error_code = code;
    }
    if (c->in_pop && r->inp.state == IN_DONE) {
        next->error = 1;
        next->error_code = WC_TANS_ERR_EXTRA_WORDS;
    }
    if (rst) {
        next->layer_done = next->stream_done = 0;
        next->layer_error = 0;
        next->symbols = 0;
        next->error = 0;
        next->error_code = 0;
    }
}

/* 4.4: the RAM writes of the cycle, at the edge that ends it.  Entries are
 * stored at the widths of docs/rtl.md: counts in TABLE_LOG_MAX + 1 bits. */
static void ram_writes(wc_tans_hw_model *m, const cycle_signals *c)
{
    const table_builder *b = &m->r.bld;
    const uint32_t count_mask = (2u << m->cfg.table_log_max) - 1;
    if (c->take_count) {
        unsigned symbol = b->first + b->index;
        if (symbol < 1u << m->cfg.symbol_width)
            m->count_ram[symbol] = (uint16_t)(c->count & count_mask);
    }
    if (b->phase == PH_SPREAD_WRITE)
        m->spread_ram[b->spread_pos] = (uint8_t)b->symbol_q;
    if (c->tbl_we) {
        m->count_ram[b->s2] = (uint16_t)((c->x + 1) & count_mask);
        for (unsigned k = 0; k < m->cfg.lanes; k++)
            m->table[k][b->bank][b->u2] = c->new_entry;
    }
}

/* ---- API ---------------------------------------------------------------- */

wc_status wc_tans_hw_create(const wc_tans_hw_config *cfg, wc_tans_hw_model **model,
                            wc_error *err)
{
    if (!cfg || !model)
        return wc_fail(err, WC_ERR_ARG, "tANS hardware model: no configuration or result");
    *model = NULL;
    if (cfg->lanes < 1 || cfg->lanes > HW_MAX_LANES)
        return wc_fail(err, WC_ERR_ARG, "tANS hardware model: LANES %u outside 1..16",
                       cfg->lanes);
    if (cfg->table_log_max < 5 || cfg->table_log_max > 8)
        return wc_fail(err, WC_ERR_ARG, "tANS hardware model: TABLE_LOG_MAX %u outside 5..8",
                       cfg->table_log_max);
    if (cfg->symbol_width < 1 || cfg->symbol_width > 8)
        return wc_fail(err, WC_ERR_ARG, "tANS hardware model: SYMBOL_WIDTH %u outside 1..8",
                       cfg->symbol_width);
    if (cfg->request_queue < 2 || cfg->request_queue > HW_MAX_QUEUE)
        return wc_fail(err, WC_ERR_ARG, "tANS hardware model: REQUEST_QUEUE %u outside 2..8",
                       cfg->request_queue);
    /* calloc: every register and RAM starts at zero, which is the reset
     * state of every control register (STREAM, IDLE, WAIT, empty FIFOs). */
    wc_tans_hw_model *m = calloc(1, sizeof *m);
    if (!m)
        return wc_fail(err, WC_ERR_NOMEM, "tANS hardware model: out of memory");
    m->cfg = *cfg;
    *model = m;
    return WC_OK;
}

void wc_tans_hw_destroy(wc_tans_hw_model *model)
{
    free(model);
}

void wc_tans_hw_get_outputs(const wc_tans_hw_model *model, wc_tans_hw_outputs *out)
{
    const registers *r = &model->r;
    memset(out, 0, sizeof *out);
    out->s_tready = r->in.count != 2;
    out->m_tvalid = r->out.count != 0;
    memcpy(out->m_tdata, r->out.head.data, sizeof out->m_tdata);
    out->m_tkeep = r->out.head.keep;
    out->m_tlast = r->out.head.last;
    out->busy = r->inp.state != IN_STREAM || !stream_idle(r);
    out->layer_done = r->st.layer_done;
    out->layer_error = r->st.layer_error;
    out->stream_done = r->st.stream_done;
    out->symbols = r->st.symbols;
    out->error = r->st.error;
    out->error_code = r->st.error_code;
}

void wc_tans_hw_clock(wc_tans_hw_model *model, const wc_tans_hw_inputs *in)
{
    const registers *r = &model->r;
    const int rst = in->rst != 0;
    cycle_signals c;
    cycle_signals_of(model, in, &c);

    registers next = *r;
    in_fifo_next(&r->in, &c, in, &next.in);
    slots_next(r, &c, rst, next.slot);
    input_side_next(r, &c, rst, &next.inp);
    builder_next(model, &c, rst, &next.bld);
    for (unsigned k = 0; k < model->cfg.lanes; k++)
        lane_next(model, &c, k, rst, &next.lane[k]);
    decode_next(model, &c, rst, &next.dec);
    queue_next(model, &c, rst, &next.queue);
    out_fifo_next(r, &c, model->cfg.lanes, rst, &next.out);
    status_next(r, &c, rst, &next.st);

    ram_writes(model, &c);
    model->r = next;
}

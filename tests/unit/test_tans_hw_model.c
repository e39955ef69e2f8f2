/* Tests of the cycle-accurate golden model of the tANS hardware decoder
 * (refmodel/lib/golden/tans_hw_model.h).  Streams come from the software
 * encoder; the model is driven cycle by cycle with random input-valid and
 * output-ready patterns, and its beats, status pulses and cycle counts are
 * checked against docs/rtl.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/tans.h"
#include "common/tans_hw.h"
#include "common/tans_layer.h"
#include "encode/tans_enc.h"
#include "golden/tans_hw_model.h"

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

static double gaussian(void)
{
    double u = (rng() + 1.0) / 4294967297.0, v = rng() / 4294967296.0;
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* ---- Layers and streams -------------------------------------------------- */

/* What a layer is made of: n symbols of a rounded Gaussian of deviation
 * sigma around `centre`, clamped to lo..hi, coded with `lanes` lanes and a
 * table of log `log`. */
typedef struct {
    uint32_t n;
    unsigned log, lanes;
    double sigma;
    unsigned centre, lo, hi;
} layer_spec;

typedef struct {
    uint8_t *sym;
    uint32_t n;
    wc_words block;
    size_t header_words;  /* 4 + table words */
} layer;

static void layer_make(layer *l, const layer_spec *spec)
{
    l->n = spec->n;
    l->sym = malloc(spec->n);
    CHECK(l->sym != NULL);
    uint64_t hist[256] = {0};
    for (uint32_t i = 0; i < spec->n; i++) {
        long v = lround(spec->centre + spec->sigma * gaussian());
        v = v < (long)spec->lo ? (long)spec->lo : v > (long)spec->hi ? (long)spec->hi : v;
        l->sym[i] = (uint8_t)v;
        hist[v]++;
    }
    wc_tans_dist dist;
    wc_error err = {0};
    CHECK_MSG(wc_tans_normalize(hist, spec->log, &dist, &err) == WC_OK, "%s", err.msg);
    memset(&l->block, 0, sizeof l->block);
    CHECK_MSG(wc_tans_encode(l->sym, spec->n, &dist, spec->lanes, &l->block, &err) == WC_OK,
              "%s", err.msg);
    wc_tans_layer parsed;
    CHECK(wc_tans_layer_parse(l->block.w, l->block.n, &parsed, NULL) == WC_OK);
    l->header_words = parsed.header_words;
}

static void layers_free(layer *layers, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(layers[i].sym);
        wc_words_free(&layers[i].block);
    }
}

/* The input words of a test, each with its tlast. */
typedef struct {
    uint32_t *w;
    uint8_t *last;
    size_t n, cap;
} feed;

static void feed_push(feed *f, uint32_t w, int last)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 1024;
        f->w = realloc(f->w, f->cap * sizeof *f->w);
        f->last = realloc(f->last, f->cap);
        CHECK(f->w != NULL && f->last != NULL);
    }
    f->w[f->n] = w;
    f->last[f->n++] = (uint8_t)(last != 0);
}

static void feed_free(feed *f)
{
    free(f->w);
    free(f->last);
}

/* Appends the stream of `layers` (docs/format.md 2.5), with tlast on its last
 * word if `tlast`; returns the position of its header word in the feed. */
static size_t feed_stream(feed *f, const layer *layers, size_t count, int tlast)
{
    wc_words blocks[8];
    CHECK(count <= 8);
    for (size_t i = 0; i < count; i++)
        blocks[i] = layers[i].block;
    wc_words stream = {0};
    wc_error err = {0};
    CHECK_MSG(wc_tans_stream_assemble(blocks, count, &stream, &err) == WC_OK, "%s", err.msg);
    size_t start = f->n;
    for (size_t i = 0; i < stream.n; i++)
        feed_push(f, stream.w[i], tlast && i + 1 == stream.n);
    wc_words_free(&stream);
    return start;
}

/* Offsets in a stream of its layers' headers and payloads: header word, then
 * H_0, H_1, P_0, H_2, P_1, ..., P_{K-1}. */
static void stream_layout(const layer *layers, size_t count, size_t *h_off, size_t *p_off)
{
    size_t at = 1;
    for (size_t i = 0; i <= count; i++) {
        if (i < count) {
            h_off[i] = at;
            at += layers[i].header_words;
        }
        if (i >= 1) {
            p_off[i - 1] = at;
            at += layers[i - 1].block.n - layers[i - 1].header_words;
        }
    }
}

/* ---- Driving the model --------------------------------------------------- */

typedef struct {
    uint8_t data[16];
    uint16_t keep;
    int last;
    uint64_t cycle;  /* of its handshake */
} beat;

#define MAX_EVENTS 64

/* What came out of the model during a run. */
typedef struct {
    beat *beats;
    size_t nbeats, cap;
    unsigned pulse_code[MAX_EVENTS];  /* status_layer_error of each layer_done pulse */
    size_t npulses;
    unsigned error_codes[MAX_EVENTS];  /* status_error_code each time it changes */
    size_t nerror_codes;
    unsigned streams_done;
    wc_tans_hw_outputs final;  /* the outputs once idle */
} run_log;

static void run_log_free(run_log *g)
{
    free(g->beats);
}

static void record_outputs(run_log *g, const wc_tans_hw_outputs *o, unsigned lanes)
{
    if (o->layer_done) {
        CHECK(g->npulses < MAX_EVENTS);
        g->pulse_code[g->npulses++] = o->layer_error;
    }
    g->streams_done += o->stream_done != 0;
    unsigned code = o->error ? o->error_code : 0;
    unsigned prev = g->nerror_codes ? g->error_codes[g->nerror_codes - 1] : 0;
    if (code != prev) {
        CHECK(g->nerror_codes < MAX_EVENTS);
        g->error_codes[g->nerror_codes++] = code;
    }
    if (o->m_tvalid)
        for (unsigned k = 0; k < 16; k++)
            CHECK_MSG((o->m_tkeep >> k & 1) || o->m_tdata[k] == 0,
                      "lane %u of %u is not zero outside tkeep", k, lanes);
}

static void take_beat(run_log *g, const wc_tans_hw_outputs *o, uint64_t cycle)
{
    if (g->nbeats == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 4096;
        g->beats = realloc(g->beats, g->cap * sizeof *g->beats);
        CHECK(g->beats != NULL);
    }
    beat *b = &g->beats[g->nbeats++];
    memcpy(b->data, o->m_tdata, sizeof b->data);
    b->keep = o->m_tkeep;
    b->last = o->m_tlast;
    b->cycle = cycle;
}

/* Feeds every word of `f` with tvalid asserted in valid_pct percent of the
 * cycles and takes beats with tready in ready_pct percent, until the model
 * has been idle (status_busy and m_tvalid low) for 4 cycles after the last
 * word; fails if that takes more than `patience` cycles after the last word. */
static void run_feed(wc_tans_hw_model *m, unsigned lanes, const feed *f, unsigned valid_pct,
                     unsigned ready_pct, uint64_t patience, run_log *g)
{
    size_t next = 0;
    uint64_t last_word_cycle = 0;
    unsigned quiet = 0;
    for (uint64_t cycle = 0;; cycle++) {
        wc_tans_hw_outputs o;
        wc_tans_hw_get_outputs(m, &o);
        record_outputs(g, &o, lanes);
        wc_tans_hw_inputs in = {0};
        in.s_tvalid = next < f->n && rng() % 100 < valid_pct;
        in.s_tdata = in.s_tvalid ? f->w[next] : 0;
        in.s_tlast = in.s_tvalid && f->last[next];
        in.m_tready = rng() % 100 < ready_pct;
        if (o.m_tvalid && in.m_tready)
            take_beat(g, &o, cycle);
        if (in.s_tvalid && o.s_tready && ++next == f->n)
            last_word_cycle = cycle;
        quiet = next == f->n && !o.busy && !o.m_tvalid ? quiet + 1 : 0;
        if (quiet == 4) {
            g->final = o;
            return;
        }
        CHECK_MSG(next < f->n || cycle - last_word_cycle <= patience,
                  "not idle %llu cycles after the last word", (unsigned long long)patience);
        wc_tans_hw_clock(m, &in);
    }
}

static wc_tans_hw_model *model_new(unsigned lanes, unsigned table_log_max, unsigned symbol_width,
                                   unsigned request_queue)
{
    wc_tans_hw_config cfg = {lanes, table_log_max, symbol_width, request_queue};
    wc_tans_hw_model *m = NULL;
    wc_error err = {0};
    CHECK_MSG(wc_tans_hw_create(&cfg, &m, &err) == WC_OK, "%s", err.msg);
    return m;
}

/* Cycles the output side needs at worst for these layers, with slack. */
static uint64_t patience_for(const layer *layers, size_t count, unsigned lanes)
{
    uint64_t beats = 0;
    for (size_t i = 0; i < count; i++)
        beats += layers[i].n / lanes + 1;
    return 8 * beats + 4000;
}

/* ---- Checking the beats -------------------------------------------------- */

/* The next beats are exactly layer l: lane k of beat j holds symbol
 * j * lanes + k, tkeep marks the lanes that hold one, tlast ends the layer. */
static void expect_layer(const run_log *g, size_t *pos, unsigned lanes, const layer *l)
{
    uint32_t beats = (l->n + lanes - 1) / lanes;
    for (uint32_t j = 0; j < beats; j++) {
        CHECK_MSG(*pos < g->nbeats, "beat %u of a layer of %u symbols is missing", j, l->n);
        const beat *b = &g->beats[(*pos)++];
        uint32_t held = l->n - j * lanes < lanes ? l->n - j * lanes : lanes;
        CHECK_MSG(b->keep == (1u << held) - 1, "beat %u of %u: tkeep %#x, want %u lanes", j,
                  beats, b->keep, held);
        CHECK_MSG(b->last == (j + 1 == beats), "beat %u of %u: tlast %d", j, beats, b->last);
        for (uint32_t k = 0; k < held; k++)
            CHECK_MSG(b->data[k] == l->sym[j * lanes + k], "symbol %u: %u, want %u",
                      j * lanes + k, b->data[k], l->sym[j * lanes + k]);
    }
}

/* The next beat closes a layer that ended early: tlast, tkeep = 0, tdata = 0. */
static void expect_marker(const run_log *g, size_t *pos)
{
    CHECK_MSG(*pos < g->nbeats, "the closing beat is missing");
    const beat *b = &g->beats[(*pos)++];
    CHECK_MSG(b->last && b->keep == 0, "closing beat: tlast %d tkeep %#x", b->last, b->keep);
    for (unsigned k = 0; k < 16; k++)
        CHECK(b->data[k] == 0);
}

/* The next layer's beats up to its tlast, whatever they hold: every tkeep
 * marks lanes 0.. without gaps, and only a tlast beat holds fewer than LANES
 * symbols.  Returns the number of symbols; *matching gets how many of the
 * first ones equal l's. */
static uint64_t take_layer(const run_log *g, size_t *pos, unsigned lanes, const layer *l,
                           uint64_t *matching)
{
    uint64_t symbols = 0;
    int in_order = 1;
    *matching = 0;
    for (;;) {
        CHECK_MSG(*pos < g->nbeats, "a layer lacks its tlast beat");
        const beat *b = &g->beats[(*pos)++];
        unsigned held = 0;
        while (held < lanes && (b->keep >> held & 1))
            held++;
        CHECK_MSG(b->keep == (1u << held) - 1, "tkeep %#x has a gap", b->keep);
        CHECK_MSG(b->last || held == lanes, "a beat without tlast holds %u of %u lanes", held,
                  lanes);
        for (unsigned k = 0; k < held; k++, symbols++) {
            in_order = in_order && symbols < l->n && b->data[k] == l->sym[symbols];
            *matching += in_order;
        }
        if (b->last)
            return symbols;
    }
}

static void expect_codes(const unsigned *got, size_t ngot, const unsigned *want, size_t nwant,
                         const char *what)
{
    CHECK_MSG(ngot == nwant, "%zu %s, want %zu", ngot, what, nwant);
    for (size_t i = 0; i < nwant; i++)
        CHECK_MSG(got[i] == want[i], "%s %zu: code %u, want %u", what, i, got[i], want[i]);
}

/* ---- Tests --------------------------------------------------------------- */

static void create_refuses_parameters_outside_their_ranges(void)
{
    const wc_tans_hw_config bad[] = {
        {0, 8, 8, 4}, {17, 8, 8, 4}, {8, 4, 8, 4}, {8, 9, 8, 4},
        {8, 8, 0, 4}, {8, 8, 9, 4},  {8, 8, 8, 1}, {8, 8, 8, 9},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wc_tans_hw_model *m = NULL;
        wc_error err = {0};
        CHECK_MSG(wc_tans_hw_create(&bad[i], &m, &err) == WC_ERR_ARG, "case %zu accepted", i);
        CHECK(m == NULL && err.msg[0] != 0);
    }
    wc_tans_hw_model *m = model_new(16, 5, 1, 2);
    wc_tans_hw_outputs o;
    wc_tans_hw_get_outputs(m, &o);
    CHECK(o.s_tready && !o.m_tvalid && !o.busy && !o.error && o.symbols == 0);
    wc_tans_hw_destroy(m);
}

/* One configuration and handshake pattern: a stream of layers with every
 * supported table log, a layer of one symbol and one of fewer symbols than
 * lanes decodes into the beats and status pulses of docs/rtl.md section 1. */
static void decode_stream_in_configuration(unsigned lanes, unsigned table_log_max,
                                           unsigned symbol_width, unsigned request_queue,
                                           unsigned valid_pct, unsigned ready_pct)
{
    const unsigned hi = symbol_width == 4 ? 14 : 255, centre = symbol_width == 4 ? 7 : 127;
    const uint32_t sizes[] = {2500, 1, lanes > 1 ? lanes - 1 : 2, 777, 3 * lanes + 1, 4000};
    enum { K = sizeof sizes / sizeof sizes[0] };
    layer layers[K];
    uint64_t total = 0;
    for (unsigned i = 0; i < K; i++) {
        unsigned log = 5 + i % (table_log_max - 4);
        layer_spec spec = {sizes[i], log, lanes, 1.0 + 0.4 * i, centre, 0, hi};
        layer_make(&layers[i], &spec);
        total += sizes[i];
    }
    feed f = {0};
    feed_stream(&f, layers, K, 1);
    wc_tans_hw_model *m = model_new(lanes, table_log_max, symbol_width, request_queue);
    run_log g = {0};
    run_feed(m, lanes, &f, valid_pct, ready_pct, patience_for(layers, K, lanes), &g);

    size_t pos = 0;
    for (unsigned i = 0; i < K; i++)
        expect_layer(&g, &pos, lanes, &layers[i]);
    CHECK_MSG(pos == g.nbeats, "%zu beats after the last layer", g.nbeats - pos);
    const unsigned zeros[K] = {0};
    expect_codes(g.pulse_code, g.npulses, zeros, K, "layer_done pulses");
    CHECK(g.streams_done == 1);
    CHECK_MSG(g.final.symbols == total, "status_symbols %u, want %llu", g.final.symbols,
              (unsigned long long)total);
    CHECK_MSG(!g.final.error && g.nerror_codes == 0, "status_error code %u",
              g.final.error_code);
    run_log_free(&g);
    wc_tans_hw_destroy(m);
    feed_free(&f);
    layers_free(layers, K);
}

static void layers_decode_in_every_configuration(void)
{
    static const unsigned configs[][4] = {
        {1, 6, 8, 2}, {3, 8, 8, 4}, {8, 8, 8, 3}, {16, 6, 8, 8},
        {16, 8, 8, 5}, {8, 8, 4, 4}, {16, 7, 4, 2}, {2, 5, 8, 2}, {5, 7, 8, 6}, {1, 8, 8, 8},
    };
    static const unsigned patterns[][2] = {{100, 100}, {70, 40}, {35, 90}};
    for (size_t c = 0; c < sizeof configs / sizeof configs[0]; c++)
        for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++)
            decode_stream_in_configuration(configs[c][0], configs[c][1], configs[c][2],
                                           configs[c][3], patterns[p][0], patterns[p][1]);
}

/* A long layer at ~3 bits per symbol on 8 lanes (24 bits per step, within
 * the one word per cycle the input delivers) decodes at about one step per
 * cycle: the table build and the prologue are the only extra cycles. */
static void throughput_is_about_one_step_per_cycle(void)
{
    const unsigned queues[] = {2, 4, 8};
    layer l;
    layer_spec spec = {100000, 8, 8, 2.0, 127, 0, 255};
    layer_make(&l, &spec);
    feed f = {0};
    feed_stream(&f, &l, 1, 1);
    const uint64_t steps = (l.n + 7) / 8;
    for (size_t q = 0; q < sizeof queues / sizeof queues[0]; q++) {
        wc_tans_hw_model *m = model_new(8, 8, 8, queues[q]);
        run_log g = {0};
        run_feed(m, 8, &f, 100, 100, patience_for(&l, 1, 8), &g);
        size_t pos = 0;
        expect_layer(&g, &pos, 8, &l);
        uint64_t cycles = g.beats[g.nbeats - 1].cycle + 1, first = g.beats[0].cycle;
        printf("# throughput: REQUEST_QUEUE %u, %.2f bits/symbol: %llu cycles for %llu steps "
               "(%.4f per step; first beat at cycle %llu, then %.4f per step)\n",
               queues[q], 32.0 * (double)(l.block.n - l.header_words) / l.n,
               (unsigned long long)cycles, (unsigned long long)steps,
               (double)cycles / (double)steps, (unsigned long long)first,
               (double)(cycles - first) / (double)steps);
        CHECK_MSG(cycles <= steps * 11 / 10 + 2000, "%llu cycles for %llu steps",
                  (unsigned long long)cycles, (unsigned long long)steps);
        run_log_free(&g);
        wc_tans_hw_destroy(m);
    }
    feed_free(&f);
    layers_free(&l, 1);
}

/* The next layer's table is built while the current one decodes (docs/rtl.md
 * 3 and 5): between two long layers the output pauses for the next header,
 * counts and prologue only, well under the ~3R cycles of a table build. */
static void layer_switch_overlaps_the_next_table_build(void)
{
    enum { K = 4 };
    layer layers[K];
    for (unsigned i = 0; i < K; i++) {
        layer_spec spec = {20000, 8, 8, 1.0 + 0.5 * i, 127, 0, 255};
        layer_make(&layers[i], &spec);
    }
    feed f = {0};
    feed_stream(&f, layers, K, 1);
    wc_tans_hw_model *m = model_new(8, 8, 8, 4);
    run_log g = {0};
    run_feed(m, 8, &f, 100, 100, patience_for(layers, K, 8), &g);
    size_t pos = 0;
    for (unsigned i = 0; i < K; i++) {
        size_t first = pos;
        expect_layer(&g, &pos, 8, &layers[i]);
        if (i == 0)
            continue;
        uint64_t gap = g.beats[first].cycle - g.beats[first - 1].cycle;
        printf("# layer switch %u -> %u: %llu cycles between beats\n", i - 1, i,
               (unsigned long long)gap);
        CHECK_MSG(gap < 256, "layer %u starts %llu cycles after layer %u ends", i,
                  (unsigned long long)gap, i - 1);
    }
    run_log_free(&g);
    wc_tans_hw_destroy(m);
    feed_free(&f);
    layers_free(layers, K);
}

/* Code 1: a bad stream header word drains its stream up to tlast, emits
 * nothing, and the stream after it decodes. */
static void bad_stream_header_drains_and_the_next_stream_decodes(void)
{
    layer layers[3];
    for (unsigned i = 0; i < 3; i++) {
        layer_spec spec = {1500 + 100 * i, 6 + i, 4, 1.5, 127, 0, 255};
        layer_make(&layers[i], &spec);
    }
    /* the magic 0x5B, the version 3, K = 0 */
    static const uint32_t flip[] = {0x01000000u, 0x00020000u, 0x00000002u};
    for (size_t d = 0; d < sizeof flip / sizeof flip[0]; d++) {
        feed f = {0};
        size_t bad = feed_stream(&f, layers, 2, 1);
        f.w[bad] ^= flip[d];
        feed_stream(&f, &layers[2], 1, 1);
        wc_tans_hw_model *m = model_new(4, 8, 8, 4);
        run_log g = {0};
        run_feed(m, 4, &f, 80, 80, patience_for(layers, 3, 4), &g);
        size_t pos = 0;
        expect_layer(&g, &pos, 4, &layers[2]);
        CHECK(pos == g.nbeats);
        const unsigned pulses[] = {0}, errors[] = {WC_TANS_ERR_STREAM_HEADER};
        expect_codes(g.pulse_code, g.npulses, pulses, 1, "layer_done pulses");
        expect_codes(g.error_codes, g.nerror_codes, errors, 1, "error codes");
        CHECK(g.streams_done == 1 && g.final.symbols == layers[2].n);
        run_log_free(&g);
        wc_tans_hw_destroy(m);
        feed_free(&f);
    }
    layers_free(layers, 3);
}

/* Code 2: a bad header word of layer 2 (its magic, n = 0, a reserved bit)
 * ends the stream after layer 0 (layer 2's header is read once layer 0 has
 * ended); layer 1 is closed by a marker if it had left WAIT (docs/rtl.md 4.8,
 * fatal); the stream drains and the next stream decodes. */
static void bad_layer_header_ends_the_stream(void)
{
    layer layers[5];
    for (unsigned i = 0; i < 5; i++) {
        layer_spec spec = {2000 - 150 * i, 6 + i % 3, 8, 1.2 + 0.3 * i, 127, 0, 255};
        layer_make(&layers[i], &spec);
    }
    static const struct { size_t word; uint32_t keep, flip; } damage[] = {
        {0, 0xFFFFFFFFu, 0x01000000u}, /* magic 0xA6 */
        {1, 0, 0},                     /* n = 0 */
        {3, 0xFFFFFFFFu, 0x00000100u}, /* a reserved bit */
    };
    unsigned closed_layers = 0, runs = 0;
    for (size_t d = 0; d < sizeof damage / sizeof damage[0]; d++)
        for (unsigned pattern = 0; pattern < 2; pattern++, runs++) {
            feed f = {0};
            size_t h_off[4], p_off[4];
            size_t start = feed_stream(&f, layers, 4, 1);
            stream_layout(layers, 4, h_off, p_off);
            uint32_t *w = &f.w[start + h_off[2] + damage[d].word];
            *w = (*w & damage[d].keep) ^ damage[d].flip;
            feed_stream(&f, &layers[4], 1, 1);
            wc_tans_hw_model *m = model_new(8, 8, 8, 4);
            run_log g = {0};
            run_feed(m, 8, &f, pattern ? 45 : 100, pattern ? 60 : 100,
                     patience_for(layers, 5, 8), &g);
            size_t pos = 0;
            expect_layer(&g, &pos, 8, &layers[0]);
            static const unsigned closed[] = {0, WC_TANS_ERR_LAYER_HEADER, 0}, quiet[] = {0, 0};
            int was_closed = g.npulses == 3;
            if (was_closed)
                expect_marker(&g, &pos);
            expect_codes(g.pulse_code, g.npulses, was_closed ? closed : quiet,
                         was_closed ? 3 : 2, "layer_done pulses");
            closed_layers += was_closed;
            expect_layer(&g, &pos, 8, &layers[4]);
            CHECK(pos == g.nbeats);
            const unsigned errors[] = {WC_TANS_ERR_LAYER_HEADER};
            expect_codes(g.error_codes, g.nerror_codes, errors, 1, "error codes");
            CHECK(g.streams_done == 1);
            run_log_free(&g);
            wc_tans_hw_destroy(m);
            feed_free(&f);
        }
    printf("# bad layer header: layer 1 closed by a marker in %u of %u runs\n", closed_layers,
           runs);
    layers_free(layers, 5);
}

/* Code 3: counts that do not sum to R skip their layer (one tkeep = 0 tlast
 * beat) and the next layer still decodes. */
static void bad_table_skips_only_its_layer(void)
{
    layer layers[3];
    for (unsigned i = 0; i < 3; i++) {
        layer_spec spec = {3000, 8 - i, 4, 2.0, 127, 0, 255};
        layer_make(&layers[i], &spec);
    }
    feed f = {0};
    size_t h_off[3], p_off[3];
    size_t start = feed_stream(&f, layers, 3, 1);
    stream_layout(layers, 3, h_off, p_off);
    f.w[start + h_off[1] + 4] ^= 1; /* the first count, off by one */
    wc_tans_hw_model *m = model_new(4, 8, 8, 3);
    run_log g = {0};
    run_feed(m, 4, &f, 60, 70, patience_for(layers, 3, 4), &g);
    size_t pos = 0;
    expect_layer(&g, &pos, 4, &layers[0]);
    expect_marker(&g, &pos);
    expect_layer(&g, &pos, 4, &layers[2]);
    CHECK(pos == g.nbeats);
    const unsigned pulses[] = {0, WC_TANS_ERR_TABLE, 0}, errors[] = {WC_TANS_ERR_TABLE};
    expect_codes(g.pulse_code, g.npulses, pulses, 3, "layer_done pulses");
    expect_codes(g.error_codes, g.nerror_codes, errors, 1, "error codes");
    CHECK(g.streams_done == 1 && g.final.symbols == layers[0].n + layers[2].n);
    run_log_free(&g);
    wc_tans_hw_destroy(m);
    feed_free(&f);
    layers_free(layers, 3);
}

/* Code 4: a layer coded for other lanes, one with L > TABLE_LOG_MAX and one
 * with symbols beyond SYMBOL_WIDTH are skipped; the others decode. */
static void unsupported_layers_are_skipped(void)
{
    const unsigned lanes = 4;
    const layer_spec specs[] = {
        {1800, 6, lanes, 2.0, 15, 0, 31},
        {1800, 6, lanes + 1, 2.0, 15, 0, 31}, /* other lanes */
        {900, 5, lanes, 1.0, 10, 0, 31},
        {1800, 7, lanes, 2.0, 15, 0, 31},     /* table log 7 > 6 */
        {1800, 6, lanes, 2.0, 31, 0, 255},    /* symbols beyond 31 */
        {1200, 6, lanes, 3.0, 15, 0, 31},
    };
    enum { K = sizeof specs / sizeof specs[0] };
    layer layers[K];
    for (unsigned i = 0; i < K; i++)
        layer_make(&layers[i], &specs[i]);
    feed f = {0};
    feed_stream(&f, layers, K, 1);
    wc_tans_hw_model *m = model_new(lanes, 6, 5, 2);
    run_log g = {0};
    run_feed(m, lanes, &f, 75, 50, patience_for(layers, K, lanes), &g);
    size_t pos = 0;
    const unsigned pulses[K] = {0, 4, 0, 4, 4, 0};
    for (unsigned i = 0; i < K; i++) {
        if (pulses[i])
            expect_marker(&g, &pos);
        else
            expect_layer(&g, &pos, lanes, &layers[i]);
    }
    CHECK(pos == g.nbeats);
    const unsigned errors[] = {WC_TANS_ERR_UNSUPPORTED};
    expect_codes(g.pulse_code, g.npulses, pulses, K, "layer_done pulses");
    expect_codes(g.error_codes, g.nerror_codes, errors, 1, "error codes");
    CHECK(g.streams_done == 1);
    run_log_free(&g);
    wc_tans_hw_destroy(m);
    feed_free(&f);
    layers_free(layers, K);
}

/* Code 9: tlast in the middle of layer 0's payload closes the layer (the
 * symbols before are right, then a marker); the next stream decodes. */
static void early_tlast_truncates_the_stream(void)
{
    layer layers[3];
    for (unsigned i = 0; i < 3; i++) {
        layer_spec spec = {3000, 7, 4, 1.8, 127, 0, 255};
        layer_make(&layers[i], &spec);
    }
    for (unsigned trial = 0; trial < 4; trial++) {
        feed f = {0};
        size_t h_off[2], p_off[2];
        feed_stream(&f, layers, 2, 1);
        stream_layout(layers, 2, h_off, p_off);
        size_t payload = layers[0].block.n - layers[0].header_words;
        f.n = p_off[0] + payload * (trial + 1) / 5;
        f.last[f.n - 1] = 1;
        feed_stream(&f, &layers[2], 1, 1);
        wc_tans_hw_model *m = model_new(4, 8, 8, 4);
        run_log g = {0};
        run_feed(m, 4, &f, 90, trial % 2 ? 100 : 45, patience_for(layers, 3, 4), &g);
        size_t pos = 0;
        uint64_t matching, got = take_layer(&g, &pos, 4, &layers[0], &matching);
        CHECK_MSG(got == matching && got < layers[0].n, "%llu symbols, %llu right",
                  (unsigned long long)got, (unsigned long long)matching);
        CHECK_MSG(g.beats[pos - 1].keep == 0, "the truncated layer ends without a marker");
        expect_layer(&g, &pos, 4, &layers[2]);
        CHECK(pos == g.nbeats);
        const unsigned pulses[] = {WC_TANS_ERR_TRUNCATED, 0}, errors[] = {WC_TANS_ERR_TRUNCATED};
        expect_codes(g.pulse_code, g.npulses, pulses, 2, "layer_done pulses");
        expect_codes(g.error_codes, g.nerror_codes, errors, 1, "error codes");
        CHECK(g.streams_done == 1);
        run_log_free(&g);
        wc_tans_hw_destroy(m);
        feed_free(&f);
    }
    layers_free(layers, 3);
}

/* Code 10: words after a stream whose last word lacks tlast are drained up to
 * tlast and reported; the stream itself decodes. */
static void words_after_the_stream_are_reported(void)
{
    layer layers[2];
    for (unsigned i = 0; i < 2; i++) {
        layer_spec spec = {2200, 6 + 2 * i, 3, 1.5, 127, 0, 255};
        layer_make(&layers[i], &spec);
    }
    feed f = {0};
    feed_stream(&f, layers, 2, 0);
    for (unsigned i = 0; i < 3; i++)
        feed_push(&f, 0x5A010001u, i == 2);
    wc_tans_hw_model *m = model_new(3, 8, 8, 4);
    run_log g = {0};
    run_feed(m, 3, &f, 70, 70, patience_for(layers, 2, 3), &g);
    size_t pos = 0;
    expect_layer(&g, &pos, 3, &layers[0]);
    expect_layer(&g, &pos, 3, &layers[1]);
    CHECK(pos == g.nbeats);
    const unsigned pulses[] = {0, 0}, errors[] = {WC_TANS_ERR_EXTRA_WORDS};
    expect_codes(g.pulse_code, g.npulses, pulses, 2, "layer_done pulses");
    expect_codes(g.error_codes, g.nerror_codes, errors, 1, "error codes");
    CHECK(g.streams_done == 1);
    run_log_free(&g);
    wc_tans_hw_destroy(m);
    feed_free(&f);
    layers_free(layers, 2);
}

/* A damaged payload word: its layer ends with code 5..8 (or decodes wrong
 * symbols with code 0), never emits more symbols than its header says, the
 * other layers decode, and the model goes idle.
 *
 * docs/rtl.md 4.8 as written lets short_now (payload short in RUN) take the
 * same cycle as the layer's last step: the last beat (tlast) goes out, then
 * MARK adds a closing beat (a second tlast) for the same layer_done pulse.
 * The test accepts that extra beat only there, and counts it. */
static void damaged_payload_never_overruns_or_hangs(void)
{
    enum { K = 3, TRIALS = 50 };
    static const unsigned lane_counts[] = {1, 3, 8, 16};
    unsigned seen[16] = {0}, closed_twice = 0;
    for (size_t c = 0; c < sizeof lane_counts / sizeof lane_counts[0]; c++) {
        const unsigned lanes = lane_counts[c];
        layer layers[K];
        for (unsigned i = 0; i < K; i++) {
            layer_spec spec = {1200 + 300 * i, 6 + i, lanes, 1.2 + 0.5 * i, 127, 0, 255};
            layer_make(&layers[i], &spec);
        }
        size_t h_off[K], p_off[K];
        stream_layout(layers, K, h_off, p_off);
        for (unsigned trial = 0; trial < TRIALS; trial++) {
            feed f = {0};
            feed_stream(&f, layers, K, 1);
            unsigned hit = rng() % K;
            size_t payload = layers[hit].block.n - layers[hit].header_words;
            f.w[p_off[hit] + rng() % payload] ^= rng() | 1;
            wc_tans_hw_model *m = model_new(lanes, 8, 8, 2 + trial % 4);
            run_log g = {0};
            run_feed(m, lanes, &f, 50 + rng() % 51, 30 + rng() % 71,
                     patience_for(layers, K, lanes), &g);
            CHECK_MSG(g.npulses == K, "lanes %u trial %u: %zu layer_done pulses", lanes, trial,
                      g.npulses);
            size_t pos = 0;
            for (unsigned i = 0; i < K; i++) {
                if (i != hit) {
                    expect_layer(&g, &pos, lanes, &layers[i]);
                    CHECK(g.pulse_code[i] == 0);
                    continue;
                }
                uint64_t matching, got = take_layer(&g, &pos, lanes, &layers[i], &matching);
                unsigned code = g.pulse_code[i];
                CHECK_MSG(got <= layers[i].n, "lanes %u trial %u: %llu symbols of %u", lanes,
                          trial, (unsigned long long)got, layers[i].n);
                CHECK_MSG(code == 0 || (code >= WC_TANS_ERR_PAYLOAD_SHORT &&
                                        code <= WC_TANS_ERR_PAYLOAD_LONG),
                          "lanes %u trial %u: code %u", lanes, trial, code);
                CHECK_MSG(code != 0 || got == layers[i].n,
                          "lanes %u trial %u: %llu symbols with code 0", lanes, trial,
                          (unsigned long long)got);
                seen[code]++;
                int complete = got == layers[i].n && g.beats[pos - 1].keep != 0;
                if (complete && code == WC_TANS_ERR_PAYLOAD_SHORT && pos < g.nbeats &&
                    g.beats[pos].keep == 0) {
                    expect_marker(&g, &pos);
                    closed_twice++;
                }
            }
            CHECK_MSG(pos == g.nbeats, "lanes %u trial %u: %zu beats after the last layer",
                      lanes, trial, g.nbeats - pos);
            CHECK(g.streams_done == 1);
            run_log_free(&g);
            wc_tans_hw_destroy(m);
            feed_free(&f);
        }
        layers_free(layers, K);
    }
    printf("# damaged payloads: codes 0:%u 5:%u 6:%u 7:%u 8:%u; "
           "complete layers closed again by a marker: %u\n",
           seen[0], seen[5], seen[6], seen[7], seen[8], closed_twice);
}

/* Damage anywhere (headers, tables, payloads, an early tlast) in streams that
 * end with tlast: the model always goes idle, every beat is well formed (tkeep
 * marks lanes 0.. without gaps; a beat with fewer than LANES lanes has tlast)
 * and status_symbols counts exactly the symbols of the beats. */
static void damage_anywhere_always_ends_idle(void)
{
    enum { K = 3, TRIALS = 300 };
    const unsigned lanes = 3;
    layer layers[K];
    for (unsigned i = 0; i < K; i++) {
        layer_spec spec = {400 + 200 * i, 5 + i, lanes, 1.0 + 0.6 * i, 127, 0, 255};
        layer_make(&layers[i], &spec);
    }
    for (unsigned trial = 0; trial < TRIALS; trial++) {
        feed f = {0};
        feed_stream(&f, layers, K, 1);
        for (unsigned flips = 1 + rng() % 3; flips > 0; flips--)
            f.w[rng() % f.n] ^= 1u << rng() % 32;
        if (rng() % 4 == 0)
            f.last[rng() % f.n] = 1;
        feed_stream(&f, layers, 1, 1); /* a good stream after it */
        wc_tans_hw_model *m = model_new(lanes, 7, 8, 2 + trial % 7);
        run_log g = {0};
        run_feed(m, lanes, &f, 40 + rng() % 61, 40 + rng() % 61, 400000, &g);
        uint64_t symbols = 0;
        for (size_t b = 0; b < g.nbeats; b++) {
            unsigned keep = g.beats[b].keep, held = 0;
            while (keep >> held & 1)
                held++;
            CHECK_MSG(keep == (1u << held) - 1 && held <= lanes, "trial %u: tkeep %#x", trial,
                      keep);
            CHECK_MSG(held == lanes || g.beats[b].last, "trial %u: %u lanes without tlast",
                      trial, held);
            symbols += held;
        }
        CHECK_MSG(g.final.symbols == symbols, "trial %u: status_symbols %u, beats hold %llu",
                  trial, g.final.symbols, (unsigned long long)symbols);
        run_log_free(&g);
        wc_tans_hw_destroy(m);
        feed_free(&f);
    }
    layers_free(layers, K);
}

/* rst in the middle of a stream clears the status, empties the FIFOs, and the
 * next stream decodes from the start. */
static void reset_mid_stream_restarts_cleanly(void)
{
    layer layers[3];
    for (unsigned i = 0; i < 3; i++) {
        layer_spec spec = {2500, 6 + i, 8, 1.5 + i, 127, 0, 255};
        layer_make(&layers[i], &spec);
    }
    feed first = {0}, second = {0};
    feed_stream(&first, layers, 2, 1);
    feed_stream(&second, &layers[2], 1, 1);
    wc_tans_hw_model *m = model_new(8, 8, 8, 4);
    for (unsigned stop = 300; stop <= 1500; stop += 600) {
        size_t next = 0;
        wc_tans_hw_outputs o;
        for (unsigned cycle = 0; cycle < stop + 2; cycle++) {
            wc_tans_hw_inputs in = {0};
            wc_tans_hw_get_outputs(m, &o);
            in.rst = cycle >= stop;
            in.s_tvalid = next < first.n;
            in.s_tdata = in.s_tvalid ? first.w[next] : 0;
            in.s_tlast = in.s_tvalid && first.last[next];
            in.m_tready = cycle % 3 != 0;
            next += in.s_tvalid && o.s_tready;
            wc_tans_hw_clock(m, &in);
        }
        wc_tans_hw_get_outputs(m, &o);
        CHECK_MSG(!o.busy && !o.m_tvalid && o.s_tready && o.symbols == 0 && !o.error &&
                      !o.layer_done && !o.stream_done,
                  "after rst at cycle %u: busy %d tvalid %d symbols %u", stop, o.busy,
                  o.m_tvalid, o.symbols);
        run_log g = {0};
        run_feed(m, 8, &second, 100, 100, patience_for(&layers[2], 1, 8), &g);
        size_t pos = 0;
        expect_layer(&g, &pos, 8, &layers[2]);
        CHECK(pos == g.nbeats && g.npulses == 1 && g.pulse_code[0] == 0);
        CHECK(g.streams_done == 1 && g.final.symbols == layers[2].n && !g.final.error);
        run_log_free(&g);
    }
    wc_tans_hw_destroy(m);
    feed_free(&first);
    feed_free(&second);
    layers_free(layers, 3);
}

int main(void)
{
    check_suite = "tans_hw_model";
    RUN(create_refuses_parameters_outside_their_ranges);
    RUN(layers_decode_in_every_configuration);
    RUN(throughput_is_about_one_step_per_cycle);
    RUN(layer_switch_overlaps_the_next_table_build);
    RUN(bad_stream_header_drains_and_the_next_stream_decodes);
    RUN(bad_layer_header_ends_the_stream);
    RUN(bad_table_skips_only_its_layer);
    RUN(unsupported_layers_are_skipped);
    RUN(early_tlast_truncates_the_stream);
    RUN(words_after_the_stream_are_reported);
    RUN(damaged_payload_never_overruns_or_hangs);
    RUN(damage_anywhere_always_ends_idle);
    RUN(reset_mid_stream_restarts_cleanly);
    return CHECK_EXIT_STATUS();
}

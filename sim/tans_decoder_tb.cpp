// Verilator harness: the tANS decoder RTL next to its cycle-accurate golden
// model (refmodel/lib/golden/tans_hw_model.h), compared on every output on
// every cycle, with random input and output stalls.
//
// Streams come from the reference encoder: synthetic layers (--dist) or the
// quantized tensors of a real model (--model).  --corrupt damages the stream
// in one of several ways; the run then checks that the decoder never emits
// more symbols than a layer holds and goes idle in bounded time.
//
// Prints one line, "ok <name> ..." or "not ok <name>: <reason>", and exits
// with 0 or 1.  TRACE=1 (or --trace FILE) writes an FST waveform.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "Vtans_decoder.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif
#if VM_COVERAGE
#include "verilated_cov.h"
#endif

#include "common/stats.h"
#include "common/tans.h"
#include "common/tans_hw.h"
#include "common/tans_layer.h"
#include "encode/tans_enc.h"
#include "golden/tans_hw_model.h"
#include "io/model.h"
#include "quant/quant.h"
#include "stream_damage.h"

// The decoder's parameters, fixed when it was verilated (sim/sim.mk).
#ifndef TB_LANES
#error "TB_LANES, TB_TABLE_LOG_MAX, TB_SYMBOL_WIDTH and TB_REQUEST_QUEUE must be defined"
#endif

namespace {

struct Options {
    std::string name = "run";
    unsigned seed = 1;
    double in_valid = 1.0;   // probability that a word is offered in a cycle
    double out_ready = 1.0;  // probability that the output accepts a beat
    // Synthetic layers.
    std::string dist = "gaussian";
    std::vector<unsigned> table_logs = {8};
    std::vector<uint64_t> sizes = {10000};
    unsigned alphabet = 15;
    // Real layers.
    std::string model;
    int bins = 15;
    unsigned max_layers = 0;  // 0: all
    // Damage, or a stream the decoder must refuse.
    std::string corrupt;
    unsigned expect_error = 0;
    // Outputs.
    std::string trace;
    std::string json;
    std::string coverage;
};

struct Layer {
    std::vector<uint8_t> symbols;
    unsigned table_log;
};

[[noreturn]] void usage(const char *msg)
{
    std::fprintf(stderr,
                 "tans_decoder_tb: %s\n"
                 "options: --name N --seed S --in-valid P --out-ready P\n"
                 "         --dist uniform|gaussian|single|all256|skew --alphabet A\n"
                 "         --sizes N,N,.. --table-logs L,L,..\n"
                 "         --model FILE --bins B --max-layers M\n"
                 "         --corrupt %s --expect-error CODE\n"
                 "         --trace FILE --json FILE --coverage FILE\n",
                 msg, wc_damage_kinds());
    std::exit(2);
}

template <typename T> std::vector<T> parse_list(const char *text)
{
    std::vector<T> out;
    for (const char *p = text; *p;) {
        char *end;
        out.push_back(static_cast<T>(std::strtoull(p, &end, 10)));
        if (end == p)
            usage("bad number list");
        p = *end == ',' ? end + 1 : end;
    }
    return out;
}

Options parse_options(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a.rfind("+verilator", 0) == 0)
            continue;
        if (i + 1 >= argc)
            usage(("missing value for " + a).c_str());
        const char *v = argv[++i];
        if (a == "--name") o.name = v;
        else if (a == "--seed") o.seed = static_cast<unsigned>(std::strtoul(v, nullptr, 10));
        else if (a == "--in-valid") o.in_valid = std::atof(v);
        else if (a == "--out-ready") o.out_ready = std::atof(v);
        else if (a == "--dist") o.dist = v;
        else if (a == "--alphabet") o.alphabet = static_cast<unsigned>(std::atoi(v));
        else if (a == "--sizes") o.sizes = parse_list<uint64_t>(v);
        else if (a == "--table-logs") o.table_logs = parse_list<unsigned>(v);
        else if (a == "--model") o.model = v;
        else if (a == "--bins") o.bins = std::atoi(v);
        else if (a == "--max-layers") o.max_layers = static_cast<unsigned>(std::atoi(v));
        else if (a == "--corrupt") o.corrupt = v;
        else if (a == "--expect-error") o.expect_error = static_cast<unsigned>(std::atoi(v));
        else if (a == "--trace") o.trace = v;
        else if (a == "--json") o.json = v;
        else if (a == "--coverage") o.coverage = v;
        else usage(("unknown option " + a).c_str());
    }
    if (o.sizes.empty() || o.table_logs.empty())
        usage("empty list");
    return o;
}

// Symbols of one synthetic layer.
std::vector<uint8_t> synthetic(const Options &o, uint64_t n, std::mt19937 &rng)
{
    std::vector<uint8_t> s(n);
    const unsigned top = o.alphabet - 1;
    std::normal_distribution<double> normal(top / 2.0, top / 6.0);
    std::uniform_int_distribution<unsigned> any(0, top);
    std::uniform_real_distribution<double> unit(0, 1);
    for (auto &x : s) {
        if (o.dist == "uniform") {
            x = static_cast<uint8_t>(any(rng));
        } else if (o.dist == "gaussian") {
            double v = std::round(normal(rng));
            x = static_cast<uint8_t>(v < 0 ? 0 : v > top ? top : v);
        } else if (o.dist == "single") {
            x = static_cast<uint8_t>(top / 2);
        } else if (o.dist == "all256") {
            x = static_cast<uint8_t>(rng());
        } else if (o.dist == "skew") {
            x = static_cast<uint8_t>(unit(rng) < 0.999 ? top / 2 : any(rng));
        } else {
            usage("unknown --dist");
        }
    }
    if (o.dist == "all256")
        for (unsigned v = 0; v < 256 && v < n; v++)
            s[v] = static_cast<uint8_t>(v);  // every byte value occurs
    return s;
}

// The quantized weights of a real model, one layer per tensor of rank >= 2.
bool real_layers(const Options &o, std::vector<Layer> &layers, std::string &why)
{
    wc_model m = {};
    wc_error err = {};
    if (wc_model_load(o.model.c_str(), &m, &err) != WC_OK) {
        why = err.msg;
        return false;
    }
    for (size_t i = 0; i < m.count; i++) {
        const wc_tensor &t = m.tensors[i];
        if (t.rank < 2 || t.values == nullptr || t.count == 0)
            continue;
        if (o.max_layers && layers.size() == o.max_layers)
            break;
        Layer l;
        l.symbols.resize(t.count);
        l.table_log = o.table_logs[layers.size() % o.table_logs.size()];
        wc_quant q = {};
        wc_status st = wc_quantize(&t, o.bins, 0, l.symbols.data(), &q, &err);
        wc_quant_free(&q);
        if (st != WC_OK) {
            why = err.msg;
            wc_model_free(&m);
            return false;
        }
        layers.push_back(std::move(l));
    }
    wc_model_free(&m);
    return true;
}

// Encodes the layers into one stream; layers whose alphabet does not fit
// their table get a larger one, up to what the decoder holds.
bool encode_stream(std::vector<Layer> &layers, unsigned lanes, std::vector<uint32_t> &stream,
                   std::string &why)
{
    std::vector<wc_words> blocks(layers.size());
    bool ok = true;
    for (size_t i = 0; i < layers.size() && ok; i++) {
        uint64_t hist[256];
        wc_histogram(layers[i].symbols.data(), layers[i].symbols.size(), hist);
        wc_tans_dist dist;
        wc_error err = {};
        while (wc_tans_normalize(hist, layers[i].table_log, &dist, nullptr) != WC_OK &&
               layers[i].table_log < TB_TABLE_LOG_MAX)
            layers[i].table_log++;
        if (wc_tans_normalize(hist, layers[i].table_log, &dist, &err) != WC_OK ||
            wc_tans_encode(layers[i].symbols.data(), layers[i].symbols.size(), &dist, lanes,
                           &blocks[i], &err) != WC_OK) {
            why = err.msg;
            ok = false;
        }
    }
    wc_words out = {};
    wc_error err = {};
    if (ok && wc_tans_stream_assemble(blocks.data(), blocks.size(), &out, &err) != WC_OK) {
        why = err.msg;
        ok = false;
    }
    if (ok)
        stream.assign(out.w, out.w + out.n);
    wc_words_free(&out);
    for (auto &b : blocks)
        wc_words_free(&b);
    return ok;
}

// Lane k's symbol from the RTL's output port, whatever C++ type Verilator
// gave it.
template <typename T> unsigned lane_symbol(const T &port, unsigned k)
{
    return static_cast<unsigned>((static_cast<uint64_t>(port) >> (k * TB_SYMBOL_WIDTH)) &
                                 ((1u << TB_SYMBOL_WIDTH) - 1));
}
template <std::size_t N> unsigned lane_symbol(const VlWide<N> &port, unsigned k)
{
    unsigned bit = k * TB_SYMBOL_WIDTH, v = 0;
    for (unsigned b = 0; b < TB_SYMBOL_WIDTH; b++, bit++)
        v |= ((port[bit / 32] >> (bit % 32)) & 1u) << b;
    return v;
}

// Compares the RTL's outputs with the model's; returns the first difference.
std::string compare(const Vtans_decoder &rtl, const wc_tans_hw_outputs &m)
{
    char buf[160];
    auto diff = [&](const char *what, unsigned long long r, unsigned long long g) {
        std::snprintf(buf, sizeof buf, "%s: rtl %llu, model %llu", what, r, g);
        return std::string(buf);
    };
    if (rtl.s_axis_tready != m.s_tready) return diff("s_axis_tready", rtl.s_axis_tready, m.s_tready);
    if (rtl.m_axis_tvalid != m.m_tvalid) return diff("m_axis_tvalid", rtl.m_axis_tvalid, m.m_tvalid);
    if (rtl.m_axis_tvalid) {
        if (rtl.m_axis_tlast != m.m_tlast) return diff("m_axis_tlast", rtl.m_axis_tlast, m.m_tlast);
        if (rtl.m_axis_tkeep != m.m_tkeep) return diff("m_axis_tkeep", rtl.m_axis_tkeep, m.m_tkeep);
        for (unsigned k = 0; k < TB_LANES; k++)
            if (lane_symbol(rtl.m_axis_tdata, k) != m.m_tdata[k])
                return diff(("m_axis_tdata lane " + std::to_string(k)).c_str(),
                            lane_symbol(rtl.m_axis_tdata, k), m.m_tdata[k]);
    }
    if (rtl.status_busy != m.busy) return diff("status_busy", rtl.status_busy, m.busy);
    if (rtl.status_layer_done != m.layer_done)
        return diff("status_layer_done", rtl.status_layer_done, m.layer_done);
    if (rtl.status_layer_done && rtl.status_layer_error != m.layer_error)
        return diff("status_layer_error", rtl.status_layer_error, m.layer_error);
    if (rtl.status_stream_done != m.stream_done)
        return diff("status_stream_done", rtl.status_stream_done, m.stream_done);
    if (rtl.status_symbols != m.symbols) return diff("status_symbols", rtl.status_symbols, m.symbols);
    if (rtl.status_error != m.error) return diff("status_error", rtl.status_error, m.error);
    if (rtl.status_error_code != m.error_code)
        return diff("status_error_code", rtl.status_error_code, m.error_code);
    return "";
}

// What the run observed, per layer.
struct LayerResult {
    std::vector<uint8_t> symbols;
    bool ended = false;      // a beat with tlast
    int error = -1;          // code of its status_layer_done pulse
    uint64_t first_beat = 0, last_beat = 0;
};

int finish(const Options &o, bool ok, const std::string &text)
{
    std::printf("%s %s%s%s\n", ok ? "ok" : "not ok", o.name.c_str(), ok ? " " : ": ",
                text.c_str());
    return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv)
{
    Options o = parse_options(argc, argv);
    std::mt19937 rng(o.seed);

    std::vector<Layer> layers;
    std::string why;
    if (!o.model.empty()) {
        if (!real_layers(o, layers, why))
            return finish(o, false, why);
    } else {
        for (size_t i = 0; i < o.sizes.size(); i++)
            layers.push_back({synthetic(o, o.sizes[i], rng), o.table_logs[i % o.table_logs.size()]});
    }
    std::vector<uint32_t> stream;
    if (!encode_stream(layers, TB_LANES, stream, why))
        return finish(o, false, why);
    wc_damage damage = {o.expect_error};
    if (!o.corrupt.empty() && !wc_damage_stream(o.corrupt.c_str(), o.seed, TB_LANES, &stream,
                                                &damage, &why))
        return finish(o, false, why);
    const bool intact = o.corrupt.empty() && o.expect_error == 0;

    const auto ctx = std::make_unique<VerilatedContext>();
    ctx->commandArgs(argc, argv);
    const auto rtl = std::make_unique<Vtans_decoder>(ctx.get());
#if VM_TRACE
    std::unique_ptr<VerilatedFstC> tfp;
    const char *trace_env = std::getenv("TRACE");
    if (!o.trace.empty() || (trace_env && std::strcmp(trace_env, "1") == 0)) {
        ctx->traceEverOn(true);
        tfp = std::make_unique<VerilatedFstC>();
        rtl->trace(tfp.get(), 99);
        tfp->open(o.trace.empty() ? (o.name + ".fst").c_str() : o.trace.c_str());
    }
#endif
    wc_tans_hw_config cfg = {TB_LANES, TB_TABLE_LOG_MAX, TB_SYMBOL_WIDTH, TB_REQUEST_QUEUE};
    wc_tans_hw_model *model = nullptr;
    wc_error err = {};
    if (wc_tans_hw_create(&cfg, &model, &err) != WC_OK)
        return finish(o, false, err.msg);

    uint64_t expected_symbols = 0;
    for (const auto &l : layers)
        expected_symbols += l.symbols.size();
    // Bounded time: a generous linear bound on the work, plus the table builds.
    const uint64_t limit = 4000 + 40 * stream.size() + 4 * expected_symbols / TB_LANES +
                           2000 * layers.size();

    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<LayerResult> got(1);
    size_t next_word = 0;
    uint64_t cycle = 0, idle_since_input = 0, streams_done = 0;
    std::string mismatch;
    bool last_word_sent = false;
    for (; cycle < limit; cycle++) {
        wc_tans_hw_inputs in = {};
        in.rst = cycle < 2;
        in.s_tvalid = !in.rst && next_word < stream.size() && unit(rng) < o.in_valid;
        in.s_tdata = next_word < stream.size() ? stream[next_word] : 0;
        in.s_tlast = next_word + 1 == stream.size();
        in.m_tready = unit(rng) < o.out_ready;
        rtl->rst = in.rst;
        rtl->s_axis_tvalid = in.s_tvalid;
        rtl->s_axis_tdata = in.s_tdata;
        rtl->s_axis_tlast = in.s_tlast;
        rtl->m_axis_tready = in.m_tready;
        rtl->clk = 0;
        rtl->eval();
        ctx->timeInc(1);
#if VM_TRACE
        if (tfp)
            tfp->dump(ctx->time());
#endif
        wc_tans_hw_outputs m;
        wc_tans_hw_get_outputs(model, &m);
        if (!in.rst) {
            mismatch = compare(*rtl, m);
            if (!mismatch.empty())
                break;
        }
        // Record what leaves the decoder.
        if (!in.rst && rtl->m_axis_tvalid && in.m_tready) {
            LayerResult &l = got.back();
            if (l.symbols.empty())
                l.first_beat = cycle;
            for (unsigned k = 0; k < TB_LANES; k++)
                if ((rtl->m_axis_tkeep >> k) & 1u)
                    l.symbols.push_back(static_cast<uint8_t>(lane_symbol(rtl->m_axis_tdata, k)));
            if (rtl->m_axis_tlast) {
                l.ended = true;
                l.last_beat = cycle;
                got.emplace_back();
            }
        }
        if (!in.rst && rtl->status_layer_done) {
            for (auto &l : got)
                if (l.error < 0 && (l.ended || &l == &got.back())) {
                    l.error = rtl->status_layer_error;
                    break;
                }
        }
        streams_done += !in.rst && rtl->status_stream_done;
        const bool in_fire = in.s_tvalid && rtl->s_axis_tready;
        if (in_fire && ++next_word == stream.size())
            last_word_sent = true;

        rtl->clk = 1;
        rtl->eval();
        ctx->timeInc(1);
#if VM_TRACE
        if (tfp)
            tfp->dump(ctx->time());
#endif
        wc_tans_hw_clock(model, &in);

        // Stop once everything is in and the decoder has been idle a while.
        if (last_word_sent && !rtl->status_busy && !rtl->m_axis_tvalid) {
            if (++idle_since_input > 50)
                break;
        }
    }
    got.pop_back();  // the open entry after the last tlast
#if VM_TRACE
    if (tfp)
        tfp->close();
#endif
#if VM_COVERAGE
    if (!o.coverage.empty())
        ctx->coveragep()->write(o.coverage.c_str());
#endif
    rtl->final();
    wc_tans_hw_destroy(model);

    char summary[256];
    if (!mismatch.empty()) {
        std::snprintf(summary, sizeof summary, "cycle %llu: %s",
                      static_cast<unsigned long long>(cycle), mismatch.c_str());
        return finish(o, false, summary);
    }
    if (cycle >= limit)
        return finish(o, false, "did not go idle within " + std::to_string(limit) + " cycles");

    // No layer may exceed its size; an intact stream must decode exactly.
    for (size_t i = 0; i < got.size() && i < layers.size(); i++)
        if (got[i].symbols.size() > layers[i].symbols.size())
            return finish(o, false, "layer " + std::to_string(i) + " emitted too many symbols");
    if (intact) {
        if (got.size() != layers.size())
            return finish(o, false, std::to_string(got.size()) + " layers ended, expected " +
                                        std::to_string(layers.size()));
        for (size_t i = 0; i < layers.size(); i++) {
            if (got[i].symbols != layers[i].symbols)
                return finish(o, false, "layer " + std::to_string(i) + " decoded wrong symbols");
            if (got[i].error != 0)
                return finish(o, false, "layer " + std::to_string(i) + " reported error " +
                                            std::to_string(got[i].error));
        }
        if (streams_done != 1 || rtl->status_error)
            return finish(o, false, "stream did not end cleanly");
    } else if (damage.expected_error && !(rtl->status_error &&
                                          rtl->status_error_code == damage.expected_error)) {
        return finish(o, false, "expected error " + std::to_string(damage.expected_error) +
                                    ", got " + std::to_string(rtl->status_error_code));
    }

    std::snprintf(summary, sizeof summary,
                  "(%zu layers, %llu symbols, %zu words, %llu cycles, error %u)", layers.size(),
                  static_cast<unsigned long long>(expected_symbols), stream.size(),
                  static_cast<unsigned long long>(cycle),
                  rtl->status_error ? static_cast<unsigned>(rtl->status_error_code) : 0u);
    if (!o.json.empty()) {
        FILE *f = std::fopen(o.json.c_str(), "a");
        if (f) {
            std::fprintf(f, "{\"name\": \"%s\", \"lanes\": %d, \"table_log_max\": %d, \"layers\": [",
                         o.name.c_str(), TB_LANES, TB_TABLE_LOG_MAX);
            for (size_t i = 0; i < got.size() && i < layers.size(); i++)
                std::fprintf(f, "%s{\"table_log\": %u, \"symbols\": %zu, \"first_beat\": %llu, "
                                "\"last_beat\": %llu}",
                             i ? ", " : "", layers[i].table_log, layers[i].symbols.size(),
                             static_cast<unsigned long long>(got[i].first_beat),
                             static_cast<unsigned long long>(got[i].last_beat));
            std::fprintf(f, "], \"cycles\": %llu, \"words\": %zu}\n",
                         static_cast<unsigned long long>(cycle), stream.size());
            std::fclose(f);
        }
    }
    return finish(o, true, summary);
}

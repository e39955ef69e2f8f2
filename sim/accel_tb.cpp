// The accelerator system in Verilator: driver -> registers -> wc_accel ->
// DRAM model, checked against the bit-exact integer reference
// (refmodel/lib/accel/qnet.h).
//
//   accel_tb --test NAME [--seed S]    one of the system tests; prints "ok"/"not ok"
//   accel_tb --run [options]           one network run, JSON on stdout (cycles, bytes)
//   accel_tb --demo [options]          the demo (sim/accel_demo.cpp)
//   accel_tb --sweep [options]         one image per DRAM rate (sim/accel_demo.cpp)
//
// TRACE=1 writes accel.fst.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "accel_demo.h"
#include "accel_sim.h"
#include "accel/accel_image.h"
#include "accel/qnet.h"
#include "common/accel_regs.h"
#include "common/tans_hw.h"

#ifndef TB_LANES
#error "TB_LANES and TB_TABLE_LOG_MAX must be defined (sim/sim.mk)"
#endif

namespace {

const uint32_t IMAGE_BASE = 0x10000;   // where the model image goes in DRAM
const uint32_t INPUT_BASE = 0x1000;    // where each input goes
const uint32_t TIMEOUT = 20000000;

// A float network with random weights, as a model of named tensors.
struct RandomNet {
    wc_model model = {};
    std::vector<std::string> names;
    std::vector<const char *> cnames;

    RandomNet(const std::vector<uint32_t> &widths, std::mt19937 &rng)
    {
        std::normal_distribution<float> normal(0, 1);
        model.count = 2 * (widths.size() - 1);
        model.tensors = static_cast<wc_tensor *>(calloc(model.count, sizeof(wc_tensor)));
        for (size_t l = 0; l + 1 < widths.size(); l++) {
            names.push_back("l" + std::to_string(l));
            const uint32_t in = widths[l], out = widths[l + 1];
            wc_tensor &w = model.tensors[2 * l], &b = model.tensors[2 * l + 1];
            w.name = strdup((names.back() + ".weight").c_str());
            w.dtype = WC_DTYPE_F32;
            w.rank = 2;
            w.dims[0] = out;
            w.dims[1] = in;
            w.count = (uint64_t)in * out;
            w.values = static_cast<float *>(malloc(w.count * sizeof(float)));
            for (uint64_t i = 0; i < w.count; i++)
                w.values[i] = normal(rng) / std::sqrt((float)in);
            b.name = strdup((names.back() + ".bias").c_str());
            b.dtype = WC_DTYPE_F32;
            b.rank = 1;
            b.dims[0] = out;
            b.count = out;
            b.values = static_cast<float *>(malloc(out * sizeof(float)));
            for (uint32_t i = 0; i < out; i++)
                b.values[i] = 0.1f * normal(rng);
        }
        for (const auto &n : names)
            cnames.push_back(n.c_str());
    }
    ~RandomNet() { wc_model_free(&model); }
};

// The image's layers as driver descriptors at IMAGE_BASE.
std::vector<wc_accel_layer> descriptors(const wc_accel_image &img)
{
    std::vector<wc_accel_layer> out;
    for (size_t l = 0; l < img.count; l++) {
        const wc_accel_image_layer &d = img.layer[l];
        wc_accel_layer a = {};
        a.weight_addr = IMAGE_BASE + d.weight_offset;
        a.weight_bytes = d.weight_bytes;
        a.head_bytes = d.head_bytes;
        a.bias_addr = IMAGE_BASE + d.bias_offset;
        a.act_addr = INPUT_BASE;
        a.in = d.in;
        a.out = d.out;
        a.compressed = d.compressed;
        a.relu = d.relu;
        a.input_dram = l == 0;
        a.zero_point = d.zero_point;
        a.mult = d.mult;
        a.shift = d.shift;
        out.push_back(a);
    }
    return out;
}

struct Check {
    std::string name;
    bool ok = true;
    std::string why;
    void fail(const std::string &w)
    {
        if (ok)
            why = w;
        ok = false;
    }
    int report() const
    {
        std::printf("%s accel/%s%s%s\n", ok ? "ok" : "not ok", name.c_str(), ok ? "" : ": ",
                    why.c_str());
        return ok ? 0 : 1;
    }
};

// Quantizes a random network and builds its image; inputs are random bytes.
struct Setup {
    RandomNet net;
    wc_qnet qnet = {};
    wc_accel_image image = {};
    std::vector<wc_accel_layer> layers;
    std::string error;

    Setup(const std::vector<uint32_t> &widths, bool compressed, unsigned table_log,
          std::mt19937 &rng)
        : net(widths, rng)
    {
        std::vector<uint8_t> calib(64 * widths[0]);
        for (auto &c : calib)
            c = (uint8_t)rng();
        wc_qnet_options opt = {15, 0.5f, 1.0f / 255};
        wc_error err = {};
        if (wc_qnet_quantize(&net.model, net.cnames.data(), widths.size() - 1, &opt, calib.data(),
                             64, &qnet, &err) != WC_OK ||
            wc_accel_image_build(&qnet, TB_LANES, compressed, table_log, TB_TABLE_LOG_MAX, &image,
                                 &err) != WC_OK)
            error = err.msg;
        else
            layers = descriptors(image);
    }
    ~Setup()
    {
        wc_accel_image_free(&image);
        wc_qnet_free(&qnet);
    }
};

// Loads the image, runs one input, compares with the reference.
bool run_and_compare(AccelSim &sim, wc_accel &dev, Setup &s, const std::vector<uint8_t> &input,
                     std::string &why, wc_accel_counters *counters = nullptr)
{
    wc_error err = {};
    std::vector<uint8_t> padded(input);
    padded.resize((input.size() + 3) / 4 * 4);
    const uint32_t out = s.qnet.layer[s.qnet.count - 1].out;
    std::vector<int32_t> got(out), want(out);
    std::vector<uint8_t> scratch(4096);
    wc_qnet_forward(&s.qnet, input.data(), want.data(), scratch.data());
    if (wc_accel_load(&dev, INPUT_BASE, padded.data(), padded.size(), &err) != WC_OK ||
        wc_accel_run(&dev, s.layers.data(), s.layers.size(), TIMEOUT, got.data(), counters,
                     &err) != WC_OK) {
        why = err.msg;
        return false;
    }
    (void)sim;
    for (uint32_t i = 0; i < out; i++)
        if (got[i] != want[i]) {
            why = "output " + std::to_string(i) + ": accelerator " + std::to_string(got[i]) +
                  ", reference " + std::to_string(want[i]);
            return false;
        }
    return true;
}

std::vector<uint8_t> random_input(uint32_t n, std::mt19937 &rng)
{
    std::vector<uint8_t> x(n);
    for (auto &v : x)
        v = (uint8_t)rng();
    return x;
}

bool open_device(AccelSim &sim, wc_accel &dev, Check &c)
{
    wc_accel_bus bus = sim.bus();
    wc_error err = {};
    if (wc_accel_open(&dev, &bus, &err) != WC_OK || wc_accel_set_dram(&dev, 8, 4, &err) != WC_OK) {
        c.fail(err.msg);
        return false;
    }
    return true;
}

// Bit-exact outputs over shapes that are and are not multiples of the lanes,
// compressed and raw, under DRAM jitter, gaps and address stalls.
int test_bitexact(unsigned seed)
{
    Check c{"bitexact"};
    std::mt19937 rng(seed);
    // {6, 50, 10}: groups of 6 columns are faster than the requantizer, which
    // then holds the MAC array back.
    const std::vector<std::vector<uint32_t>> shapes = {
        {64, 32, 10}, {100, 37, 3}, {17, 5}, {784, 40, 10}, {33, 129, 7}, {6, 50, 10}};
    for (size_t i = 0; i < shapes.size() && c.ok; i++)
        for (int compressed = 0; compressed < 2 && c.ok; compressed++) {
            DramConfig dram;
            dram.latency = 5 + rng() % 40;
            dram.bytes_per_cycle = 0.5 + (rng() % 8) * 0.5;
            dram.jitter = rng() % 20;
            dram.gap = (rng() % 4) * 0.1;
            dram.ar_stall = (rng() % 3) * 0.2;
            AccelSim sim(dram, seed + (unsigned)i, "");
            wc_accel dev;
            if (!open_device(sim, dev, c))
                break;
            Setup s(shapes[i], compressed, 6 + (unsigned)(i % 3), rng);
            if (!s.error.empty()) {
                c.fail(s.error);
                break;
            }
            wc_error err = {};
            if (wc_accel_load(&dev, IMAGE_BASE, s.image.bytes, s.image.size, &err) != WC_OK) {
                c.fail(err.msg);
                break;
            }
            for (int trial = 0; trial < 3 && c.ok; trial++) {
                std::string why;
                if (!run_and_compare(sim, dev, s, random_input(shapes[i][0], rng), why))
                    c.fail(std::string(compressed ? "compressed" : "raw") + " shape " +
                           std::to_string(i) + ": " + why);
            }
        }
    return c.report();
}

// A damaged stream ends with the decoder's code surfaced by the driver; a
// reset brings the accelerator back and the next run is exact.
int test_corrupt_then_reset(unsigned seed)
{
    Check c{"corrupt-then-reset"};
    std::mt19937 rng(seed);
    DramConfig dram;
    AccelSim sim(dram, seed, "");
    wc_accel dev;
    if (!open_device(sim, dev, c))
        return c.report();
    Setup s({96, 24, 10}, true, 8, rng);
    wc_error err = {};
    if (!s.error.empty() || wc_accel_load(&dev, IMAGE_BASE, s.image.bytes, s.image.size, &err)) {
        c.fail(s.error.empty() ? err.msg : s.error);
        return c.report();
    }
    const std::vector<uint8_t> x = random_input(96, rng);
    struct Damage {
        const char *what;
        uint32_t offset;   // from the first layer's weights
        uint32_t xor_mask;
        unsigned code;     // expected accelerator error
    } damages[] = {
        {"stream header", 0, 0x01000000u, WC_TANS_ERR_STREAM_HEADER},
        {"layer magic", 4, 0x80000000u, WC_TANS_ERR_LAYER_HEADER},
        {"table count", 20, 0x1u, WC_TANS_ERR_TABLE},
    };
    std::vector<uint8_t> &mem = sim.dram();
    for (const Damage &d : damages) {
        const uint32_t at = s.layers[0].weight_addr + d.offset;
        uint32_t word;
        std::memcpy(&word, &mem[at], 4);
        word ^= d.xor_mask;
        std::memcpy(&mem[at], &word, 4);
        std::vector<int32_t> out(10);
        err = {};
        wc_status st = wc_accel_run(&dev, s.layers.data(), s.layers.size(), TIMEOUT, out.data(),
                                    nullptr, &err);
        if (st != WC_ERR_CORRUPT || dev.last_error != d.code) {
            c.fail(std::string(d.what) + ": expected error " + std::to_string(d.code) + ", got " +
                   std::to_string(dev.last_error) + " (" + err.msg + ")");
            break;
        }
        if (!std::strstr(err.msg, wc_accel_error_name(d.code))) {
            c.fail(std::string("message does not name the error: ") + err.msg);
            break;
        }
        word ^= d.xor_mask;
        std::memcpy(&mem[at], &word, 4);
        std::string why;
        if (wc_accel_reset(&dev, 1000, &err) != WC_OK)
            c.fail(err.msg);
        else if (!run_and_compare(sim, dev, s, x, why))
            c.fail(std::string("after ") + d.what + " and a reset: " + why);
        if (!c.ok)
            break;
    }
    return c.report();
}

// A run that cannot finish (the DRAM stops answering) times out with the
// status in the message; the reset waits for the DRAM and the accelerator
// then works again.
int test_timeout_then_reset(unsigned seed)
{
    Check c{"timeout-then-reset"};
    std::mt19937 rng(seed);
    DramConfig dram;
    AccelSim sim(dram, seed, "");
    wc_accel dev;
    if (!open_device(sim, dev, c))
        return c.report();
    Setup s({64, 16, 10}, true, 7, rng);
    wc_error err = {};
    if (!s.error.empty() || wc_accel_load(&dev, IMAGE_BASE, s.image.bytes, s.image.size, &err)) {
        c.fail(s.error.empty() ? err.msg : s.error);
        return c.report();
    }
    const std::vector<uint8_t> x = random_input(64, rng);
    std::vector<uint8_t> padded(x);
    wc_accel_load(&dev, INPUT_BASE, padded.data(), padded.size(), &err);
    sim.hold_dram(true);
    if (wc_accel_start(&dev, &s.layers[0], &err) != WC_OK) {
        c.fail(err.msg);
        return c.report();
    }
    wc_status st = wc_accel_wait(&dev, 5000, 100, nullptr, &err);
    if (st != WC_ERR_IO || !std::strstr(err.msg, "busy")) {
        c.fail(std::string("no timeout reported with the status: ") + err.msg);
        return c.report();
    }
    if (wc_accel_reset(&dev, 200, &err) == WC_OK) {
        c.fail("the reset ended while reads were outstanding");
        return c.report();
    }
    sim.hold_dram(false);
    std::string why;
    if (wc_accel_reset(&dev, 10000, &err) != WC_OK)
        c.fail(err.msg);
    else if (!run_and_compare(sim, dev, s, x, why))
        c.fail("after the reset: " + why);
    return c.report();
}

// The hardware refuses shapes beyond its buffers, and the interrupt line
// follows DONE and IRQ_ENABLE.
int test_registers(unsigned seed)
{
    Check c{"registers"};
    DramConfig dram;
    AccelSim sim(dram, seed, "");
    wc_accel dev;
    if (!open_device(sim, dev, c))
        return c.report();
    if (dev.lanes != TB_LANES || dev.table_log_max != TB_TABLE_LOG_MAX)
        c.fail("CONFIG does not match the build");
    sim.write32(WC_ACCEL_REG_SHAPE, 1 | (dev.out_max + 1) << 16);
    sim.write32(WC_ACCEL_REG_CTRL, WC_ACCEL_CTRL_START | WC_ACCEL_CTRL_IRQ_ENABLE);
    for (int i = 0; i < 20; i++)
        sim.tick();
    uint32_t status = sim.read32(WC_ACCEL_REG_STATUS);
    if (!(status & WC_ACCEL_STATUS_DONE) || !(status & WC_ACCEL_STATUS_ERROR) ||
        ((status >> WC_ACCEL_STATUS_CODE_SHIFT) & 0x1F) != WC_ACCEL_ERR_SHAPE)
        c.fail("an oversized shape was not refused: status " + std::to_string(status));
    if (!sim.irq() || !(status & WC_ACCEL_STATUS_IRQ))
        c.fail("no interrupt with IRQ_ENABLE set");
    sim.write32(WC_ACCEL_REG_CTRL, WC_ACCEL_CTRL_IRQ_CLEAR);
    if (sim.irq())
        c.fail("IRQ_CLEAR left the interrupt up");
    if (sim.read32(WC_ACCEL_REG_ID) != WC_ACCEL_ID_VALUE)
        c.fail("ID");
    return c.report();
}

// One network run for measurements: --run --widths a,b,c --compressed 0|1
// --bytes-per-cycle X --latency L.  Prints a JSON line.
int run_once(int argc, char **argv)
{
    std::vector<uint32_t> widths = {784, 300, 100, 10};
    int compressed = 1;
    unsigned seed = 1;
    DramConfig dram;
    for (int i = 1; i + 1 < argc; i++) {
        std::string a = argv[i];
        if (a == "--compressed") compressed = std::atoi(argv[++i]);
        else if (a == "--bytes-per-cycle") dram.bytes_per_cycle = std::atof(argv[++i]);
        else if (a == "--latency") dram.latency = (uint32_t)std::atoi(argv[++i]);
        else if (a == "--seed") seed = (unsigned)std::atoi(argv[++i]);
    }
    Check c{"run"};
    std::mt19937 rng(seed);
    AccelSim sim(dram, seed, "");
    wc_accel dev;
    if (!open_device(sim, dev, c))
        return c.report();
    Setup s(widths, compressed, 8, rng);
    wc_error err = {};
    if (!s.error.empty() || wc_accel_load(&dev, IMAGE_BASE, s.image.bytes, s.image.size, &err))
        return std::printf("error: %s\n", s.error.empty() ? err.msg : s.error.c_str()), 1;
    wc_accel_counters total;
    std::string why;
    if (!run_and_compare(sim, dev, s, random_input(widths[0], rng), why, &total))
        return std::printf("error: %s\n", why.c_str()), 1;
    std::printf("{\"lanes\": %d, \"compressed\": %d, \"bytes_per_cycle\": %g, \"cycles\": %u, "
                "\"dram_bytes\": %u, \"mac_cycles\": %u, \"weight_bytes\": %llu}\n",
                TB_LANES, compressed, dram.bytes_per_cycle, total.cycles, total.dram_bytes,
                total.mac_cycles, (unsigned long long)s.image.weight_bytes);
    return 0;
}

}  // namespace

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    unsigned seed = 1;
    std::string test;
    for (int i = 1; i + 1 < argc; i++) {
        if (!std::strcmp(argv[i], "--seed"))
            seed = (unsigned)std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--test"))
            test = argv[i + 1];
    }
    for (int i = 1; i < argc; i++) {
        if (!std::strcmp(argv[i], "--run"))
            return run_once(argc, argv);
        if (!std::strcmp(argv[i], "--demo"))
            return run_demo(argc, argv);
        if (!std::strcmp(argv[i], "--sweep"))
            return run_sweep(argc, argv);
    }
    if (test == "bitexact")
        return test_bitexact(seed);
    if (test == "corrupt-then-reset")
        return test_corrupt_then_reset(seed);
    if (test == "timeout-then-reset")
        return test_timeout_then_reset(seed);
    if (test == "registers")
        return test_registers(seed);
    std::fprintf(stderr, "usage: accel_tb --test bitexact|corrupt-then-reset|timeout-then-reset|"
                         "registers [--seed S]\n"
                         "       accel_tb --run [--compressed 0|1] [--bytes-per-cycle R] "
                         "[--latency L] [--seed S]\n"
                         "       accel_tb --demo|--sweep [options of sim/accel_demo.cpp]\n");
    return 2;
}

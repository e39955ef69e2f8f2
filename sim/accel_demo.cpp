// The demo (make demo) and the DRAM sweep: the Fashion-MNIST MLP, pruned, quantized and coded
// with tANS, classified on the simulated accelerator, next to the float,
// quantized and integer-reference accuracies and the raw int8 baseline.
//
//   accel_tb --demo --model FILE --data DIR --json FILE [--images N]
//            [--raw-images N] [--bins B] [--density D] [--bytes-per-cycle X]
//   accel_tb --sweep --model FILE --data DIR [--bins B] [--density D]
//            one image, raw and tANS, at 0.25 to 4 bytes per DRAM cycle: JSON lines

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "accel_demo.h"
#include "accel_sim.h"
#include "accel/accel_image.h"
#include "accel/qnet.h"
#include "io/model.h"
#include "nn/idx.h"

namespace {

const char *const LAYERS[] = {"fc1", "fc2", "fc3"};
const size_t NLAYERS = 3;
const uint32_t IMAGE_BASE = 0x10000;
const uint32_t INPUT_BASE = 0x1000;
const float IN_SCALE = 1.0f / 255;

struct Options {
    std::string model = "models/mlp-fashion.safetensors";
    std::string data = WC_FASHION_DIR;
    std::string json;
    size_t images = 300;       // on the accelerator, tANS
    size_t raw_images = 10;    // on the accelerator, raw int8
    int bins = 15;
    float density = 0.5f;
    double bytes_per_cycle = 1.0;
};

struct Accuracy {
    size_t right = 0, total = 0;
    double value() const { return total ? (double)right / (double)total : 0; }
};

// What one configuration of the accelerator did over a number of images.
struct AccelRun {
    Accuracy acc;
    uint64_t cycles = 0, dram_bytes = 0, mac_cycles = 0, images = 0;
    std::string error;
};

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

// Classifies images [0, count) on a fresh simulated accelerator; every output
// must equal the integer reference's.
AccelRun run_accel(const wc_qnet &net, const wc_accel_image &img, const wc_dataset &test,
                   size_t count, double bytes_per_cycle)
{
    AccelRun r;
    DramConfig dram;
    dram.bytes_per_cycle = bytes_per_cycle;
    AccelSim sim(dram, 1, "");
    wc_accel_bus bus = sim.bus();
    wc_accel dev;
    wc_error err = {};
    const std::vector<wc_accel_layer> layers = descriptors(img);
    if (wc_accel_open(&dev, &bus, &err) != WC_OK || wc_accel_set_dram(&dev, 8, 4, &err) != WC_OK ||
        wc_accel_load(&dev, IMAGE_BASE, img.bytes, img.size, &err) != WC_OK) {
        r.error = err.msg;
        return r;
    }
    const size_t pixels = test.rows * test.cols;
    std::vector<int32_t> got(10), want(10);
    std::vector<uint8_t> scratch(4096);
    for (size_t i = 0; i < count && i < test.count; i++) {
        const uint8_t *x = test.images + i * pixels;
        wc_accel_counters c;
        if (wc_accel_load(&dev, INPUT_BASE, x, pixels, &err) != WC_OK ||
            wc_accel_run(&dev, layers.data(), layers.size(), 50000000, got.data(), &c, &err) !=
                WC_OK) {
            r.error = err.msg;
            return r;
        }
        wc_qnet_forward(&net, x, want.data(), scratch.data());
        if (got != want) {
            r.error = "image " + std::to_string(i) + ": the accelerator's logits differ from the "
                                                     "integer reference's";
            return r;
        }
        r.acc.right += wc_qnet_argmax(got.data(), 10) == test.labels[i];
        r.acc.total++;
        r.cycles += c.cycles;
        r.dram_bytes += c.dram_bytes;
        r.mac_cycles += c.mac_cycles;
        r.images++;
    }
    return r;
}

int fail(const std::string &why)
{
    std::fprintf(stderr, "demo: %s\n", why.c_str());
    return 1;
}

Options parse(int argc, char **argv)
{
    Options o;
    for (int i = 1; i + 1 < argc; i++) {
        std::string a = argv[i];
        if (a == "--model") o.model = argv[++i];
        else if (a == "--data") o.data = argv[++i];
        else if (a == "--json") o.json = argv[++i];
        else if (a == "--images") o.images = std::strtoul(argv[++i], nullptr, 10);
        else if (a == "--raw-images") o.raw_images = std::strtoul(argv[++i], nullptr, 10);
        else if (a == "--bins") o.bins = std::atoi(argv[++i]);
        else if (a == "--density") o.density = (float)std::atof(argv[++i]);
        else if (a == "--bytes-per-cycle") o.bytes_per_cycle = std::atof(argv[++i]);
    }
    return o;
}

// The model, the data set and the quantized network.
struct Prepared {
    wc_model model = {};
    wc_dataset train = {}, test = {};
    wc_qnet net = {};
    std::string error;

    explicit Prepared(const Options &o)
    {
        wc_error err = {};
        wc_qnet_options qo = {o.bins, o.density, IN_SCALE};
        if (wc_model_load(o.model.c_str(), &model, &err) != WC_OK ||
            wc_fashion_load(o.data.c_str(), 1, &train, &err) != WC_OK ||
            wc_fashion_load(o.data.c_str(), 0, &test, &err) != WC_OK ||
            wc_qnet_quantize(&model, LAYERS, NLAYERS, &qo, train.images, 1000, &net, &err) !=
                WC_OK)
            error = err.msg;
    }
    ~Prepared()
    {
        wc_qnet_free(&net);
        wc_dataset_free(&train);
        wc_dataset_free(&test);
        wc_model_free(&model);
    }
};

}  // namespace

int run_sweep(int argc, char **argv)
{
    Options o = parse(argc, argv);
    Prepared p(o);
    if (!p.error.empty())
        return fail(p.error);
    wc_accel_image images[2] = {};
    wc_error err = {};
    for (int compressed = 0; compressed < 2; compressed++)
        if (wc_accel_image_build(&p.net, TB_LANES, compressed, 8, 8, &images[compressed], &err) !=
            WC_OK)
            return fail(err.msg);
    for (double rate : {0.25, 0.5, 1.0, 2.0, 4.0})
        for (int compressed = 0; compressed < 2; compressed++) {
            AccelRun r = run_accel(p.net, images[compressed], p.test, 1, rate);
            if (!r.error.empty())
                return fail(r.error);
            std::printf("{\"lanes\": %d, \"compressed\": %d, \"bytes_per_cycle\": %g, "
                        "\"cycles\": %llu, \"dram_bytes\": %llu, \"mac_cycles\": %llu, "
                        "\"weight_bytes\": %llu, \"weights\": %llu}\n",
                        TB_LANES, compressed, rate, (unsigned long long)r.cycles,
                        (unsigned long long)r.dram_bytes, (unsigned long long)r.mac_cycles,
                        (unsigned long long)images[compressed].weight_bytes,
                        (unsigned long long)images[compressed].weights);
        }
    wc_accel_image_free(&images[0]);
    wc_accel_image_free(&images[1]);
    return 0;
}

int run_demo(int argc, char **argv)
{
    const Options o = parse(argc, argv);
    const auto started = std::chrono::steady_clock::now();
    Prepared p(o);
    if (!p.error.empty())
        return fail(p.error);
    const wc_model &model = p.model;
    const wc_dataset &test = p.test;
    const wc_qnet &net = p.net;
    const size_t pixels = test.rows * test.cols;
    wc_error err = {};

    // Float, quantized (float arithmetic) and integer-reference accuracy, all 10,000.
    Accuracy float_acc, quant_acc, ref_acc;
    std::vector<float> fscratch(4096), flogits(10);
    std::vector<int32_t> logits(10);
    std::vector<uint8_t> scratch(4096);
    for (size_t i = 0; i < test.count; i++) {
        const uint8_t *x = test.images + i * pixels;
        const uint8_t label = test.labels[i];
        wc_float_forward(&model, LAYERS, NLAYERS, x, IN_SCALE, flogits.data(), fscratch.data());
        float_acc.right += std::max_element(flogits.begin(), flogits.end()) - flogits.begin() == label;
        wc_qnet_forward_dequantized(&net, &model, LAYERS, x, flogits.data(), fscratch.data());
        quant_acc.right += std::max_element(flogits.begin(), flogits.end()) - flogits.begin() == label;
        wc_qnet_forward(&net, x, logits.data(), scratch.data());
        ref_acc.right += wc_qnet_argmax(logits.data(), 10) == label;
    }
    float_acc.total = quant_acc.total = ref_acc.total = test.count;

    // The accelerator: tANS images at the demo's DRAM rate, the same with DRAM
    // out of the way (4 bytes a cycle) for the MAC utilisation, and raw int8.
    wc_accel_image tans = {}, raw = {};
    if (wc_accel_image_build(&net, TB_LANES, 1, 8, 8, &tans, &err) != WC_OK ||
        wc_accel_image_build(&net, TB_LANES, 0, 8, 8, &raw, &err) != WC_OK)
        return fail(err.msg);
    AccelRun accel = run_accel(net, tans, test, o.images, o.bytes_per_cycle);
    AccelRun fast = run_accel(net, tans, test, 1, 4.0);
    AccelRun base = run_accel(net, raw, test, o.raw_images, o.bytes_per_cycle);
    for (const AccelRun *r : {&accel, &fast, &base})
        if (!r->error.empty())
            return fail(r->error);
    // Reference accuracy on the accelerator's images, for comparison.
    Accuracy ref_subset;
    for (size_t i = 0; i < accel.images; i++) {
        wc_qnet_forward(&net, test.images + i * pixels, logits.data(), scratch.data());
        ref_subset.right += wc_qnet_argmax(logits.data(), 10) == test.labels[i];
        ref_subset.total++;
    }

    const double bits_per_weight = 8.0 * (double)tans.weight_bytes / (double)tans.weights;
    const double tans_bytes = (double)accel.dram_bytes / (double)accel.images;
    const double raw_bytes = (double)base.dram_bytes / (double)base.images;
    const double tans_cycles = (double)accel.cycles / (double)accel.images;
    const double raw_cycles = (double)base.cycles / (double)base.images;
    const double mac_util = (double)fast.mac_cycles / (double)fast.cycles;
    const double mac_util_demo = (double)accel.mac_cycles / (double)accel.cycles;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    std::printf("Fashion-MNIST 784-300-100-10 MLP (%s), %zu test images\n", o.model.c_str(),
                test.count);
    std::printf("  pruned to %.0f%% of the weights, %d bins per tensor, tANS 256 states, %d lanes\n",
                100.0 * o.density, o.bins, TB_LANES);
    std::printf("  float accuracy                    %.2f%%\n", 100 * float_acc.value());
    std::printf("  quantized accuracy (float math)   %.2f%%\n", 100 * quant_acc.value());
    std::printf("  integer reference accuracy        %.2f%%\n", 100 * ref_acc.value());
    std::printf("  accelerator accuracy (%llu images) %.2f%% (reference on them: %.2f%%; every "
                "logit equal)\n",
                (unsigned long long)accel.images, 100 * accel.acc.value(),
                100 * ref_subset.value());
    std::printf("  weights: %.3f bits per weight with tables and headers (%llu bytes for %llu "
                "weights)\n",
                bits_per_weight, (unsigned long long)tans.weight_bytes,
                (unsigned long long)tans.weights);
    std::printf("  per image at %.2g bytes per DRAM cycle:\n", o.bytes_per_cycle);
    std::printf("    raw int8:  %9.0f DRAM bytes %9.0f cycles (%llu images)\n", raw_bytes,
                raw_cycles, (unsigned long long)base.images);
    std::printf("    tANS:      %9.0f DRAM bytes %9.0f cycles (%.2fx faster)\n", tans_bytes,
                tans_cycles, raw_cycles / tans_cycles);
    std::printf("  MAC utilisation: %.1f%% with DRAM not the limit (4 bytes per cycle), %.1f%% at "
                "%.2g bytes per cycle\n",
                100 * mac_util, 100 * mac_util_demo, o.bytes_per_cycle);
    std::printf("  (%.1f s)\n", seconds);

    if (!o.json.empty()) {
        FILE *f = std::fopen(o.json.c_str(), "w");
        if (!f)
            return fail("cannot write " + o.json);
        std::fprintf(f,
                     "{\n  \"float_acc\": %.4f,\n  \"quant_acc\": %.4f,\n  \"ref_acc\": %.4f,\n"
                     "  \"accel_acc\": %.4f,\n  \"ref_acc_on_accel_images\": %.4f,\n"
                     "  \"images_on_accel\": %llu,\n  \"bits_per_weight\": %.4f,\n"
                     "  \"dram_bytes_raw\": %.0f,\n  \"dram_bytes_tans\": %.0f,\n"
                     "  \"cycles_raw\": %.0f,\n  \"cycles_tans\": %.0f,\n"
                     "  \"mac_utilization\": %.4f,\n  \"mac_utilization_at_demo_dram\": %.4f,\n"
                     "  \"dram_bytes_per_cycle\": %g,\n  \"density\": %g,\n  \"bins\": %d,\n"
                     "  \"seconds\": %.1f\n}\n",
                     float_acc.value(), quant_acc.value(), ref_acc.value(), accel.acc.value(),
                     ref_subset.value(), (unsigned long long)accel.images, bits_per_weight, raw_bytes,
                     tans_bytes, raw_cycles, tans_cycles, mac_util, mac_util_demo,
                     o.bytes_per_cycle, (double)o.density, o.bins, seconds);
        std::fclose(f);
    }
    wc_accel_image_free(&tans);
    wc_accel_image_free(&raw);
    return 0;
}

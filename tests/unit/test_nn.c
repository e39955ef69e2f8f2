/* Tests of the float MLP side: IDX reading, forward pass, backprop,
 * masks, the penalty hook, determinism, and training on real data. */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "common/error.h"
#include "io/safetensors.h"
#include "nn/idx.h"
#include "nn/mlp.h"
#include "nn/mlp_io.h"

/* ------------------------------------------------------------ helpers */

static char temp_dir[64];

/* <temp_dir>/<name> into path (the directory is made on first use). */
static void temp_path(const char *name, char *path, size_t size)
{
    if (!temp_dir[0]) {
        strcpy(temp_dir, "/tmp/wc-test-nn-XXXXXX");
        CHECK(mkdtemp(temp_dir) != NULL);
    }
    snprintf(path, size, "%s/%s", temp_dir, name);
}

static void write_plain(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    CHECK(fp != NULL);
    CHECK(fwrite(data, 1, len, fp) == len);
    CHECK(fclose(fp) == 0);
}

static void write_gzip(const char *path, const void *data, size_t len)
{
    gzFile f = gzopen(path, "wb");
    CHECK(f != NULL);
    CHECK(len == 0 || gzwrite(f, data, (unsigned)len) == (int)len);
    CHECK(gzclose(f) == Z_OK);
}

/* Reads a whole (small) file into buf; returns its length. */
static size_t read_whole(const char *path, uint8_t *buf, size_t cap)
{
    FILE *fp = fopen(path, "rb");
    CHECK(fp != NULL);
    size_t n = fread(buf, 1, cap, fp);
    CHECK(n < cap);
    fclose(fp);
    return n;
}

/* An IDX file: magic 00 00 type ndim, big-endian dims, then `payload`. */
static size_t build_idx(uint8_t *out, uint8_t type, int ndim, const uint32_t *dims,
                        const uint8_t *payload, size_t payload_len)
{
    size_t n = 0;
    out[n++] = 0;
    out[n++] = 0;
    out[n++] = type;
    out[n++] = (uint8_t)ndim;
    for (int i = 0; i < ndim; i++) {
        out[n++] = (uint8_t)(dims[i] >> 24);
        out[n++] = (uint8_t)(dims[i] >> 16);
        out[n++] = (uint8_t)(dims[i] >> 8);
        out[n++] = (uint8_t)dims[i];
    }
    memcpy(out + n, payload, payload_len);
    return n + payload_len;
}

/* Reads `data` written gzip-compressed as an IDX file of ndim dimensions;
 * returns the status and leaves the message in *err. */
static wc_status idx_status(const uint8_t *data, size_t len, int ndim, wc_error *err)
{
    char path[128];
    temp_path("probe.idx.gz", path, sizeof path);
    write_gzip(path, data, len);
    wc_idx a;
    wc_status st = wc_idx_read(path, ndim, &a, err);
    CHECK(st == WC_OK ? a.data != NULL : a.data == NULL);
    wc_idx_free(&a);
    remove(path);
    return st;
}

/* A small deterministic generator for test data (not the library's). */
static uint32_t lcg_next(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static float lcg_float(uint32_t *s) { return (float)lcg_next(s) / 16777216.0f; }

/* 4x4 images of three classes: the brightest of three regions. */
enum { SYN_PIXELS = 16, SYN_CLASSES = 3 };

static void make_synthetic(wc_dataset *d, size_t count, uint32_t seed)
{
    d->images = malloc(count * SYN_PIXELS);
    d->labels = malloc(count);
    CHECK(d->images && d->labels);
    d->count = count;
    d->rows = d->cols = 4;
    for (size_t i = 0; i < count; i++) {
        uint8_t label = (uint8_t)(lcg_next(&seed) % SYN_CLASSES);
        for (int p = 0; p < SYN_PIXELS; p++) {
            uint32_t v = lcg_next(&seed) % 120;
            d->images[i * SYN_PIXELS + p] = (uint8_t)(p / 6 == label ? v + 120 : v);
        }
        d->labels[i] = label;
    }
}

static wc_sgd_options sgd_options(float lr, float momentum, size_t batch, uint64_t seed)
{
    wc_sgd_options o = {lr, momentum, batch, seed, NULL, NULL};
    return o;
}

static int same_params(const wc_mlp *a, const wc_mlp *b)
{
    if (a->n_layers != b->n_layers)
        return 0;
    for (int l = 0; l < a->n_layers; l++)
        if (a->sizes[l] != b->sizes[l] || a->sizes[l + 1] != b->sizes[l + 1] ||
            memcmp(a->weight[l], b->weight[l], wc_mlp_weight_count(a, l) * sizeof(float)) ||
            memcmp(a->bias[l], b->bias[l], a->sizes[l + 1] * sizeof(float)))
            return 0;
    return 1;
}

/* A new net (or gradient) holding the values of src. */
static void copy_params(wc_mlp *dst, const wc_mlp *src)
{
    CHECK(wc_mlp_init(dst, src->n_layers, src->sizes, NULL) == WC_OK);
    for (int l = 0; l < src->n_layers; l++) {
        memcpy(dst->weight[l], src->weight[l], wc_mlp_weight_count(src, l) * sizeof(float));
        memcpy(dst->bias[l], src->bias[l], src->sizes[l + 1] * sizeof(float));
    }
}

/* ---------------------------------------------------------------- IDX */

/* Writes an unsigned-byte IDX file, gzip-compressed if `gzip`. */
static void write_idx(const char *path, int gzip, int ndim, const uint32_t *dims,
                      const uint8_t *payload, size_t payload_len)
{
    uint8_t buf[64];
    CHECK(payload_len <= sizeof buf - 16);
    size_t len = build_idx(buf, 0x08, ndim, dims, payload, payload_len);
    if (gzip)
        write_gzip(path, buf, len);
    else
        write_plain(path, buf, len);
}

static void idx_reads_gzip_and_plain_files(void)
{
    static const uint8_t pixels[2 * 2 * 3] = {0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255};
    static const uint8_t labels[2] = {9, 0};
    const uint32_t image_dims[3] = {2, 2, 3}, label_dims[1] = {2};
    char images_path[128], labels_path[128];
    temp_path("images.gz", images_path, sizeof images_path);
    temp_path("labels", labels_path, sizeof labels_path);
    write_idx(images_path, 1, 3, image_dims, pixels, sizeof pixels);
    write_idx(labels_path, 0, 1, label_dims, labels, sizeof labels);
    wc_dataset d;
    wc_error err;
    wc_status st = wc_dataset_load(images_path, labels_path, &d, &err);
    CHECK_MSG(st == WC_OK, "%s", err.msg);
    CHECK(d.count == 2 && d.rows == 2 && d.cols == 3);
    CHECK(memcmp(d.images, pixels, sizeof pixels) == 0);
    CHECK(memcmp(d.labels, labels, sizeof labels) == 0);
    wc_dataset_free(&d);
    CHECK(d.images == NULL && d.count == 0);
    remove(images_path);
    remove(labels_path);
}

static void idx_rejects_bad_headers(void)
{
    static const uint8_t payload[6] = {1, 2, 3, 4, 5, 6};
    const uint32_t dims[3] = {1, 2, 3};
    uint8_t buf[64];
    wc_error err;
    size_t len = build_idx(buf, 0x08, 3, dims, payload, sizeof payload);
    CHECK(idx_status(buf, len, 3, &err) == WC_OK);

    buf[1] = 0x01;
    CHECK(idx_status(buf, len, 3, &err) == WC_ERR_FORMAT);
    CHECK_MSG(strstr(err.msg, "not an IDX file") != NULL, "message: %s", err.msg);

    len = build_idx(buf, 0x0D, 3, dims, payload, sizeof payload);
    CHECK(idx_status(buf, len, 3, &err) == WC_ERR_UNSUPPORTED);
    CHECK_MSG(strstr(err.msg, "element type 0x0d") != NULL, "message: %s", err.msg);

    len = build_idx(buf, 0x08, 3, dims, payload, sizeof payload);
    CHECK(idx_status(buf, len, 1, &err) == WC_ERR_FORMAT);
    CHECK_MSG(strstr(err.msg, "has 3 dimensions, expected 1") != NULL, "message: %s", err.msg);

    const uint32_t zero_dims[3] = {1, 0, 3};
    len = build_idx(buf, 0x08, 3, zero_dims, payload, 0);
    CHECK(idx_status(buf, len, 3, &err) == WC_ERR_FORMAT);
    CHECK_MSG(strstr(err.msg, "dimension 1 is zero") != NULL, "message: %s", err.msg);
}

static void idx_rejects_huge_dimensions_before_allocating(void)
{
    const uint32_t dims[3] = {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
    uint8_t buf[64];
    wc_error err;
    size_t len = build_idx(buf, 0x08, 3, dims, (const uint8_t *)"", 0);
    CHECK(idx_status(buf, len, 3, &err) == WC_ERR_FORMAT);
    CHECK_MSG(strstr(err.msg, "announce more than") != NULL, "message: %s", err.msg);

    /* Below the cap but far beyond the data: refused as truncated, having
     * allocated only for what arrived. */
    const uint32_t big[1] = {1u << 30};
    len = build_idx(buf, 0x08, 1, big, (const uint8_t *)"abc", 3);
    CHECK(idx_status(buf, len, 1, &err) == WC_ERR_TRUNCATED);
    CHECK_MSG(strstr(err.msg, "holds 3 of the 1073741824") != NULL, "message: %s", err.msg);
}

static void idx_rejects_every_truncation_and_trailing_bytes(void)
{
    static const uint8_t payload[6] = {1, 2, 3, 4, 5, 6};
    const uint32_t dims[3] = {1, 2, 3};
    uint8_t buf[64];
    wc_error err;
    size_t len = build_idx(buf, 0x08, 3, dims, payload, sizeof payload);
    for (size_t cut = 0; cut < len; cut++) {
        wc_status st = idx_status(buf, cut, 3, &err);
        CHECK_MSG(st == WC_ERR_TRUNCATED, "prefix of %zu bytes: %s", cut,
                  st == WC_OK ? "accepted" : err.msg);
    }
    buf[len] = 7;
    CHECK(idx_status(buf, len + 1, 3, &err) == WC_ERR_FORMAT);
    CHECK_MSG(strstr(err.msg, "bytes follow the 6 data bytes") != NULL, "message: %s", err.msg);
}

static void idx_rejects_damaged_gzip_streams(void)
{
    static uint8_t payload[3000];
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(i * 7 + i / 13);
    const uint32_t dims[1] = {sizeof payload};
    static uint8_t buf[4096], gz[4096];
    size_t len = build_idx(buf, 0x08, 1, dims, payload, sizeof payload);
    char path[128];
    temp_path("damaged.gz", path, sizeof path);
    write_gzip(path, buf, len);
    size_t gz_len = read_whole(path, gz, sizeof gz);
    wc_idx a;
    wc_error err;

    write_plain(path, gz, gz_len / 2);  /* the stream stops mid-way */
    CHECK(wc_idx_read(path, 1, &a, &err) == WC_ERR_TRUNCATED);
    CHECK(a.data == NULL);

    gz[gz_len - 8] ^= 0x01;  /* the CRC-32 in the trailer */
    write_plain(path, gz, gz_len);
    CHECK(wc_idx_read(path, 1, &a, &err) == WC_ERR_CORRUPT);
    CHECK_MSG(strstr(err.msg, path) == err.msg && strstr(err.msg, "gzip") != NULL,
              "message: %s", err.msg);

    CHECK(wc_idx_read("/nonexistent/wc-test-nn.gz", 1, &a, &err) == WC_ERR_IO);
    remove(path);
}

static void dataset_rejects_mismatched_counts_and_bad_labels(void)
{
    static const uint8_t pixels[3 * 2 * 2] = {0};
    static const uint8_t two_labels[2] = {1, 2}, bad_labels[3] = {1, 10, 2};
    const uint32_t image_dims[3] = {3, 2, 2}, two[1] = {2}, three[1] = {3};
    char images_path[128], labels_path[128];
    temp_path("img", images_path, sizeof images_path);
    temp_path("lab", labels_path, sizeof labels_path);
    write_idx(images_path, 0, 3, image_dims, pixels, sizeof pixels);
    wc_dataset d;
    wc_error err;

    write_idx(labels_path, 0, 1, two, two_labels, 2);
    CHECK(wc_dataset_load(images_path, labels_path, &d, &err) == WC_ERR_FORMAT);
    CHECK_MSG(strstr(err.msg, "3 images but") != NULL, "message: %s", err.msg);
    CHECK(d.images == NULL && d.labels == NULL);

    write_idx(labels_path, 0, 1, three, bad_labels, 3);
    CHECK(wc_dataset_load(images_path, labels_path, &d, &err) == WC_ERR_FORMAT);
    CHECK_MSG(strstr(err.msg, "label 10 of item 1") != NULL, "message: %s", err.msg);
    remove(images_path);
    remove(labels_path);
}

/* ---------------------------------------------------------------- MLP */

/* 2 -> 2 (ReLU) -> 2, every value exact in float:
 *   x = (3, 1): z1 = (3 - 1, 1.5 + 2 - 1) = (2, 2.5); z2 = (2 + 0.5, -2 + 5) = (2.5, 3)
 *   x = (1, 3): z1 = (-2 -> 0, 0.5 + 6 - 1 = 5.5);    z2 = (0.5, 11) */
static void make_hand_net(wc_mlp *net)
{
    static const size_t sizes[3] = {2, 2, 2};
    static const float w1[4] = {1, -1, 0.5f, 2}, b1[2] = {0, -1};
    static const float w2[4] = {1, 0, -1, 2}, b2[2] = {0.5f, 0};
    CHECK(wc_mlp_init(net, 2, sizes, NULL) == WC_OK);
    memcpy(net->weight[0], w1, sizeof w1);
    memcpy(net->bias[0], b1, sizeof b1);
    memcpy(net->weight[1], w2, sizeof w2);
    memcpy(net->bias[1], b2, sizeof b2);
}

static void forward_and_loss_match_hand_computation(void)
{
    wc_mlp net;
    make_hand_net(&net);
    const float x[4] = {3, 1, 1, 3};
    const float want[4] = {2.5f, 3, 0.5f, 11};
    float logits[4];
    CHECK(wc_mlp_forward(&net, x, 2, logits, NULL) == WC_OK);
    for (int i = 0; i < 4; i++)
        CHECK_MSG(logits[i] == want[i], "logit %d: %g, want %g", i, (double)logits[i],
                  (double)want[i]);

    /* The training loss is the mean of -log softmax at the labels (1, 0). */
    const uint8_t labels[2] = {1, 0};
    double want_loss = 0.5 * ((log(exp(2.5) + exp(3.0)) - 3.0) + (log(exp(0.5) + exp(11.0)) - 0.5));
    wc_sgd_options opt = sgd_options(0.1f, 0.0f, 2, 1);
    wc_mlp_trainer t;
    double loss = 0;
    CHECK(wc_mlp_trainer_init(&t, &net, &opt, NULL) == WC_OK);
    CHECK(wc_mlp_gradient(&t, x, labels, 2, &loss, NULL) == WC_OK);
    CHECK_MSG(fabs(loss - want_loss) < 1e-6, "loss %.9g, want %.9g", loss, want_loss);
    wc_mlp_trainer_free(&t);
    wc_mlp_free(&net);
}

static void accuracy_counts_argmax_hits(void)
{
    static const size_t sizes[2] = {2, 2};
    wc_mlp net;
    CHECK(wc_mlp_init(&net, 1, sizes, NULL) == WC_OK);
    net.weight[0][0] = net.weight[0][3] = 1.0f;  /* identity: the brighter pixel wins */
    uint8_t images[8] = {200, 10, 10, 200, 50, 60, 0, 0};
    uint8_t labels[4] = {0, 1, 0, 0};  /* the third is wrong; the tie goes to class 0 */
    wc_dataset d = {images, labels, 4, 1, 2};
    double acc = 0;
    CHECK(wc_mlp_accuracy(&net, &d, &acc, NULL) == WC_OK);
    CHECK_MSG(acc == 0.75, "accuracy %g", acc);
    d.cols = 3;
    CHECK(wc_mlp_accuracy(&net, &d, &acc, NULL) == WC_ERR_ARG);
    wc_mlp_free(&net);
}

/* L2 penalty lambda/2 * sum of squared weights, for the hook tests. */
typedef struct {
    float lambda;
    int calls;
} l2_penalty;

static double l2_value(const wc_mlp *net, float lambda)
{
    double sum = 0.0;
    for (int l = 0; l < net->n_layers; l++)
        for (size_t i = 0; i < wc_mlp_weight_count(net, l); i++)
            sum += (double)net->weight[l][i] * net->weight[l][i];
    return 0.5 * lambda * sum;
}

static double add_l2(const wc_mlp *net, wc_mlp *grad, void *ctx)
{
    l2_penalty *p = ctx;
    p->calls++;
    for (int l = 0; l < net->n_layers; l++)
        for (size_t i = 0; i < wc_mlp_weight_count(net, l); i++)
            grad->weight[l][i] += p->lambda * net->weight[l][i];
    return l2_value(net, p->lambda);
}

/* A 5-4-3-3 net with random weights and biases, and four random samples. */
static void make_small_problem(wc_mlp *net, float *x, uint8_t *labels)
{
    static const size_t sizes[4] = {5, 4, 3, 3};
    CHECK(wc_mlp_init(net, 3, sizes, NULL) == WC_OK);
    wc_mlp_init_random(net, 42);
    uint32_t s = 5;
    for (int l = 0; l < 3; l++)
        for (size_t o = 0; o < sizes[l + 1]; o++)
            net->bias[l][o] = lcg_float(&s) - 0.3f;
    for (int i = 0; i < 4 * 5; i++)
        x[i] = lcg_float(&s);
    for (int b = 0; b < 4; b++)
        labels[b] = (uint8_t)(lcg_next(&s) % 3);
}

static double loss_of(wc_mlp_trainer *t, const float *x, const uint8_t *labels)
{
    double loss = 0;
    CHECK(wc_mlp_gradient(t, x, labels, 4, &loss, NULL) == WC_OK);
    return loss;
}

/* Compares t->grad of one parameter array with central differences of the
 * loss (which includes any penalty). */
static void check_against_differences(wc_mlp_trainer *t, float *param, const float *analytic,
                                      size_t n, const float *x, const uint8_t *labels,
                                      const char *what)
{
    const float eps = 1e-3f;
    for (size_t i = 0; i < n; i++) {
        float orig = param[i], up = orig + eps, down = orig - eps;
        param[i] = up;
        double loss_up = loss_of(t, x, labels);
        param[i] = down;
        double loss_down = loss_of(t, x, labels);
        param[i] = orig;
        double numeric = (loss_up - loss_down) / ((double)up - (double)down);
        double diff = fabs(numeric - (double)analytic[i]);
        CHECK_MSG(diff <= 5e-5 + 1e-4 * fabs(numeric), "%s[%zu]: backprop %.7g, differences %.7g",
                  what, i, (double)analytic[i], numeric);
    }
}

static void check_gradient(wc_mlp_penalty_fn penalty, void *ctx)
{
    wc_mlp net, analytic;
    float x[4 * 5];
    uint8_t labels[4];
    make_small_problem(&net, x, labels);
    wc_mlp_trainer t;
    wc_sgd_options opt = sgd_options(0.1f, 0.0f, 4, 1);
    opt.penalty = penalty;
    opt.penalty_ctx = ctx;
    CHECK(wc_mlp_trainer_init(&t, &net, &opt, NULL) == WC_OK);
    CHECK(wc_mlp_gradient(&t, x, labels, 4, NULL, NULL) == WC_OK);
    copy_params(&analytic, &t.grad);
    for (int l = 0; l < net.n_layers; l++) {
        check_against_differences(&t, net.weight[l], analytic.weight[l],
                                  wc_mlp_weight_count(&net, l), x, labels, "weight");
        check_against_differences(&t, net.bias[l], analytic.bias[l], net.sizes[l + 1], x, labels,
                                  "bias");
    }
    wc_mlp_free(&analytic);
    wc_mlp_trainer_free(&t);
    wc_mlp_free(&net);
}

static void backprop_matches_finite_differences(void) { check_gradient(NULL, NULL); }

static void backprop_with_penalty_matches_finite_differences(void)
{
    l2_penalty p = {0.3f, 0};
    check_gradient(add_l2, &p);
    CHECK(p.calls > 0);
}

static void penalty_hook_adds_its_gradient_and_value(void)
{
    wc_mlp net;
    float x[4 * 5];
    uint8_t labels[4];
    make_small_problem(&net, x, labels);
    l2_penalty p = {0.25f, 0};
    wc_sgd_options plain_opt = sgd_options(0.1f, 0.0f, 4, 1), hook_opt = plain_opt;
    hook_opt.penalty = add_l2;
    hook_opt.penalty_ctx = &p;
    wc_mlp_trainer plain, hooked;
    CHECK(wc_mlp_trainer_init(&plain, &net, &plain_opt, NULL) == WC_OK);
    CHECK(wc_mlp_trainer_init(&hooked, &net, &hook_opt, NULL) == WC_OK);
    double loss_plain, loss_hooked;
    CHECK(wc_mlp_gradient(&plain, x, labels, 4, &loss_plain, NULL) == WC_OK);
    CHECK(wc_mlp_gradient(&hooked, x, labels, 4, &loss_hooked, NULL) == WC_OK);
    CHECK(p.calls == 1);
    CHECK(loss_hooked == loss_plain + l2_value(&net, p.lambda));
    for (int l = 0; l < net.n_layers; l++) {
        for (size_t i = 0; i < wc_mlp_weight_count(&net, l); i++) {
            float want = plain.grad.weight[l][i] + p.lambda * net.weight[l][i];
            CHECK_MSG(hooked.grad.weight[l][i] == want, "layer %d weight %zu", l, i);
        }
        CHECK(memcmp(hooked.grad.bias[l], plain.grad.bias[l], net.sizes[l + 1] * 4) == 0);
    }
    /* The step applies exactly that gradient (momentum 0: w -= lr * g). */
    float w0 = net.weight[1][2], g = hooked.grad.weight[1][2];
    CHECK(wc_mlp_step(&hooked, x, labels, 4, NULL, NULL) == WC_OK);
    CHECK(net.weight[1][2] == w0 - hook_opt.lr * g);
    wc_mlp_trainer_free(&plain);
    wc_mlp_trainer_free(&hooked);
    wc_mlp_free(&net);
}

static void step_applies_momentum(void)
{
    wc_mlp net, w1, g0;
    float x[4 * 5];
    uint8_t labels[4];
    make_small_problem(&net, x, labels);
    wc_sgd_options opt = sgd_options(0.2f, 0.9f, 4, 1);
    wc_mlp_trainer t;
    CHECK(wc_mlp_trainer_init(&t, &net, &opt, NULL) == WC_OK);
    CHECK(wc_mlp_step(&t, x, labels, 4, NULL, NULL) == WC_OK);
    copy_params(&w1, &net);
    copy_params(&g0, &t.grad);
    CHECK(wc_mlp_step(&t, x, labels, 4, NULL, NULL) == WC_OK);
    /* v = 0.9 g0 + g1 after v = g0; w -= lr v. */
    size_t moved = 0;
    for (int l = 0; l < net.n_layers; l++) {
        for (size_t i = 0; i < wc_mlp_weight_count(&net, l); i++) {
            float v = opt.momentum * g0.weight[l][i] + t.grad.weight[l][i];
            CHECK_MSG(net.weight[l][i] == w1.weight[l][i] - opt.lr * v, "layer %d weight %zu", l, i);
            moved += v != 0.0f;
        }
        for (size_t o = 0; o < net.sizes[l + 1]; o++) {
            float v = opt.momentum * g0.bias[l][o] + t.grad.bias[l][o];
            CHECK_MSG(net.bias[l][o] == w1.bias[l][o] - opt.lr * v, "layer %d bias %zu", l, o);
        }
    }
    CHECK_MSG(moved >= 10, "only %zu weights moved", moved);  /* the checks above bite */
    wc_mlp_free(&w1);
    wc_mlp_free(&g0);
    wc_mlp_trainer_free(&t);
    wc_mlp_free(&net);
}

/* Pushes every weight with a constant gradient: masked ones must not move. */
static double push_all_weights(const wc_mlp *net, wc_mlp *grad, void *ctx)
{
    (void)ctx;
    for (int l = 0; l < net->n_layers; l++)
        for (size_t i = 0; i < wc_mlp_weight_count(net, l); i++)
            grad->weight[l][i] += 0.5f;
    return 0.0;
}

static int masked_weights_are_zero(const wc_mlp *net, const uint8_t *const *masks)
{
    for (int l = 0; l < net->n_layers; l++)
        for (size_t i = 0; i < wc_mlp_weight_count(net, l); i++)
            if (!masks[l][i] && net->weight[l][i] != 0.0f)
                return 0;
    return 1;
}

static void masked_weights_stay_zero_through_training(void)
{
    static const size_t sizes[3] = {SYN_PIXELS, 6, SYN_CLASSES};
    wc_dataset d;
    make_synthetic(&d, 40, 3);
    wc_mlp net;
    CHECK(wc_mlp_init(&net, 2, sizes, NULL) == WC_OK);
    wc_mlp_init_random(&net, 9);
    uint8_t mask0[6 * SYN_PIXELS], mask1[SYN_CLASSES * 6];
    for (size_t i = 0; i < sizeof mask0; i++)
        mask0[i] = i % 3 != 0;
    for (size_t i = 0; i < sizeof mask1; i++)
        mask1[i] = (uint8_t)(i % 2 ? 0 : 17);  /* any non-zero value keeps a weight */
    const uint8_t *masks[2] = {mask0, mask1};
    wc_sgd_options opt = sgd_options(0.05f, 0.9f, 8, 4);
    opt.penalty = push_all_weights;
    wc_mlp_trainer t;
    CHECK(wc_mlp_trainer_init(&t, &net, &opt, NULL) == WC_OK);
    CHECK(wc_mlp_set_mask(&t, 0, mask0, NULL) == WC_OK);
    CHECK(wc_mlp_set_mask(&t, 1, mask1, NULL) == WC_OK);
    CHECK(masked_weights_are_zero(&net, masks));
    float kept = net.weight[0][1];

    wc_epoch_stats stats;
    for (int epoch = 0; epoch < 5; epoch++) {
        CHECK(wc_mlp_train_epoch(&t, &d, &stats, NULL) == WC_OK);
        CHECK_MSG(masked_weights_are_zero(&net, masks), "after epoch %d", epoch);
    }
    CHECK(net.weight[0][1] != kept);

    /* A masked weight written from outside is zeroed before the forward
     * pass: the loss is the one with the weight at 0. */
    double loss_poisoned, loss_clean;
    net.weight[0][0] = 5.0f;
    CHECK(wc_mlp_gradient(&t, t.input, t.labels, 8, &loss_poisoned, NULL) == WC_OK);
    CHECK(net.weight[0][0] == 0.0f && t.grad.weight[0][0] == 0.0f);
    CHECK(wc_mlp_gradient(&t, t.input, t.labels, 8, &loss_clean, NULL) == WC_OK);
    CHECK(loss_poisoned == loss_clean);

    /* Without the mask, the same weight trains again. */
    CHECK(wc_mlp_set_mask(&t, 0, NULL, NULL) == WC_OK);
    CHECK(wc_mlp_step(&t, t.input, t.labels, 8, NULL, NULL) == WC_OK);
    CHECK(net.weight[0][0] != 0.0f);
    CHECK(wc_mlp_set_mask(&t, 2, mask0, NULL) == WC_ERR_ARG);

    wc_mlp_trainer_free(&t);
    wc_mlp_free(&net);
    wc_dataset_free(&d);
}

/* Trains a fresh 16-8-3 net for three epochs; returns it in *net. */
static void short_training(const wc_dataset *d, uint64_t init_seed, uint64_t shuffle_seed,
                           wc_mlp *net)
{
    static const size_t sizes[3] = {SYN_PIXELS, 8, SYN_CLASSES};
    CHECK(wc_mlp_init(net, 2, sizes, NULL) == WC_OK);
    wc_mlp_init_random(net, init_seed);
    wc_sgd_options opt = sgd_options(0.05f, 0.9f, 16, shuffle_seed);
    wc_mlp_trainer t;
    CHECK(wc_mlp_trainer_init(&t, net, &opt, NULL) == WC_OK);
    wc_epoch_stats stats;
    for (int epoch = 0; epoch < 3; epoch++)
        CHECK(wc_mlp_train_epoch(&t, d, &stats, NULL) == WC_OK);
    CHECK(stats.steps == (d->count + 15) / 16);
    wc_mlp_trainer_free(&t);
}

static void training_is_deterministic(void)
{
    wc_dataset d;
    make_synthetic(&d, 200, 11);
    wc_mlp a, b, c;
    short_training(&d, 7, 8, &a);
    short_training(&d, 7, 8, &b);
    short_training(&d, 7, 9, &c);
    CHECK_MSG(same_params(&a, &b), "two runs from the same seeds differ");
    CHECK_MSG(!same_params(&a, &c), "another shuffling seed gave the same weights");
    wc_mlp_free(&a);
    wc_mlp_free(&b);
    wc_mlp_free(&c);
    wc_dataset_free(&d);
}

static void trainer_rejects_bad_batches(void)
{
    wc_mlp net;
    float x[4 * 5];
    uint8_t labels[4];
    make_small_problem(&net, x, labels);
    wc_mlp_trainer t;
    wc_sgd_options opt = sgd_options(0.1f, 0.9f, 3, 1);
    wc_error err;
    CHECK(wc_mlp_trainer_init(&t, &net, &opt, &err) == WC_OK);
    CHECK(wc_mlp_gradient(&t, x, labels, 4, NULL, &err) == WC_ERR_ARG);
    CHECK(wc_mlp_gradient(&t, x, labels, 0, NULL, &err) == WC_ERR_ARG);
    labels[1] = 3;
    CHECK(wc_mlp_gradient(&t, x, labels, 3, NULL, &err) == WC_ERR_ARG);
    CHECK_MSG(strstr(err.msg, "label 3 of sample 1") != NULL, "message: %s", err.msg);
    wc_mlp_trainer_free(&t);
    opt.momentum = 1.0f;
    CHECK(wc_mlp_trainer_init(&t, &net, &opt, &err) == WC_ERR_ARG);
    wc_mlp_free(&net);
}

/* ------------------------------------------------------------ files */

static void weights_round_trip_through_safetensors(void)
{
    wc_mlp net, back;
    float x[4 * 5];
    uint8_t labels[4];
    make_small_problem(&net, x, labels);
    char path[128];
    temp_path("mlp.safetensors", path, sizeof path);
    const char *meta[] = {"epochs", "3"};
    wc_error err;
    CHECK_MSG(wc_mlp_save(&net, path, meta, 1, &err) == WC_OK, "%s", err.msg);
    CHECK_MSG(wc_mlp_load(path, &back, &err) == WC_OK, "%s", err.msg);
    CHECK(same_params(&net, &back));
    wc_mlp_free(&back);
    remove(path);
    wc_mlp_free(&net);
}

/* Writes the zero tensors names[i] of shapes dims[i] (rank ranks[i]), the
 * first of dtype first_dtype and the others F32, then loads the file as an
 * MLP; returns the loader's status. */
static wc_status load_layers(const char *const *names, const uint64_t (*dims)[2],
                             const int *ranks, size_t n, const char *first_dtype, wc_error *err)
{
    static const float zeros[64];
    wc_st_entry entries[4];
    for (size_t i = 0; i < n; i++) {
        const char *dtype = i == 0 ? first_dtype : "F32";
        size_t count = (size_t)dims[i][0] * (ranks[i] == 2 ? (size_t)dims[i][1] : 1);
        size_t element_size = strcmp(dtype, "U8") == 0 ? 1 : 4;
        entries[i] = (wc_st_entry){names[i], dtype, ranks[i], dims[i], zeros, count * element_size};
    }
    char path[128];
    temp_path("layers.safetensors", path, sizeof path);
    CHECK(wc_safetensors_write(path, entries, n, NULL, 0, NULL) == WC_OK);
    wc_mlp net;
    wc_status st = wc_mlp_load(path, &net, err);
    if (st == WC_OK)
        wc_mlp_free(&net);
    remove(path);
    return st;
}

static void loader_rejects_broken_layer_chains(void)
{
    static const char *const names[4] = {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"};
    static const int ranks[4] = {2, 1, 2, 1};
    const uint64_t good[4][2] = {{3, 2}, {3, 0}, {2, 3}, {2, 0}};
    const uint64_t broken[4][2] = {{3, 2}, {3, 0}, {2, 4}, {2, 0}};
    const uint64_t bad_bias[4][2] = {{3, 2}, {2, 0}, {2, 3}, {2, 0}};
    wc_error err;
    CHECK_MSG(load_layers(names, good, ranks, 4, "F32", &err) == WC_OK, "%s", err.msg);
    CHECK(load_layers(names, broken, ranks, 4, "F32", &err) == WC_ERR_FORMAT);
    CHECK_MSG(strstr(err.msg, "fc2.weight: takes 4 inputs but fc1 has 3 outputs") != NULL,
              "message: %s", err.msg);
    CHECK(load_layers(names, bad_bias, ranks, 4, "F32", &err) == WC_ERR_FORMAT);
    CHECK_MSG(strstr(err.msg, "fc1.bias: expected a float tensor of shape [3]") != NULL,
              "message: %s", err.msg);
    CHECK(load_layers(names, good, ranks, 3, "F32", &err) == WC_ERR_FORMAT);
    CHECK_MSG(strstr(err.msg, "fc2.bias: missing") != NULL, "message: %s", err.msg);
    CHECK(load_layers(names, good, ranks, 4, "U8", &err) == WC_ERR_FORMAT);
    CHECK_MSG(strstr(err.msg, "fc1.weight: expected a float tensor") != NULL, "message: %s",
              err.msg);
    CHECK(load_layers(names + 1, good + 1, ranks + 1, 1, "F32", &err) == WC_ERR_FORMAT);
    CHECK_MSG(strstr(err.msg, "fc1.weight: missing") != NULL, "message: %s", err.msg);
}

/* ------------------------------------------------------- real data */

/* Mean cross-entropy of the net on d, computed here from the logits. */
static double mean_loss(const wc_mlp *net, const wc_dataset *d)
{
    size_t in = net->sizes[0], classes = net->sizes[net->n_layers];
    float *x = malloc(d->count * in * sizeof(float));
    float *logits = malloc(d->count * classes * sizeof(float));
    CHECK(x && logits);
    for (size_t i = 0; i < d->count * in; i++)
        x[i] = (float)d->images[i] / 255.0f;
    CHECK(wc_mlp_forward(net, x, d->count, logits, NULL) == WC_OK);
    double total = 0;
    for (size_t b = 0; b < d->count; b++) {
        const float *z = logits + b * classes;
        double sum = 1.0;  /* exp(z[0] - z[0]) */
        for (size_t k = 1; k < classes; k++)
            sum += exp((double)z[k] - z[0]);
        total += log(sum) - ((double)z[d->labels[b]] - z[0]);
    }
    free(x);
    free(logits);
    return total / (double)d->count;
}

static void training_on_fashion_lowers_the_loss(void)
{
    if (access(WC_FASHION_DIR, F_OK) != 0) {
        printf("# skipped: %s not found (Debian package dataset-fashion-mnist)\n", WC_FASHION_DIR);
        return;
    }
    wc_dataset test;
    wc_error err;
    CHECK_MSG(wc_fashion_load(WC_FASHION_DIR, 0, &test, &err) == WC_OK, "%s", err.msg);
    CHECK(test.count == 10000 && test.rows == 28 && test.cols == 28);
    wc_dataset subset = {test.images, test.labels, 1000, 28, 28};

    static const size_t sizes[4] = {784, 32, 16, 10};
    wc_mlp net;
    CHECK(wc_mlp_init(&net, 3, sizes, NULL) == WC_OK);
    wc_mlp_init_random(&net, 1);
    wc_sgd_options opt = sgd_options(0.05f, 0.9f, 32, 2);
    wc_mlp_trainer t;
    CHECK(wc_mlp_trainer_init(&t, &net, &opt, NULL) == WC_OK);
    double before = mean_loss(&net, &subset);
    wc_epoch_stats stats;
    size_t steps = 0;
    for (int epoch = 0; epoch < 10; epoch++) {
        CHECK(wc_mlp_train_epoch(&t, &subset, &stats, NULL) == WC_OK);
        steps += stats.steps;
    }
    double after = mean_loss(&net, &subset);
    CHECK(steps == 320);
    CHECK_MSG(after < 0.4 * before, "loss %.4f before, %.4f after %zu steps", before, after, steps);

    /* The float accuracy of the saved net, through the file, is what the
     * net itself scores on the test set. */
    double direct, via_file;
    char path[128];
    temp_path("fashion.safetensors", path, sizeof path);
    CHECK(wc_mlp_accuracy(&net, &test, &direct, NULL) == WC_OK);
    CHECK(wc_mlp_save(&net, path, NULL, 0, NULL) == WC_OK);
    CHECK_MSG(wc_fashion_float_accuracy(path, WC_FASHION_DIR, &via_file, &err) == WC_OK, "%s",
              err.msg);
    CHECK(via_file == direct && direct > 0.6);
    remove(path);
    wc_mlp_trainer_free(&t);
    wc_mlp_free(&net);
    wc_dataset_free(&test);
}

int main(void)
{
    check_suite = "nn";
    RUN(idx_reads_gzip_and_plain_files);
    RUN(idx_rejects_bad_headers);
    RUN(idx_rejects_huge_dimensions_before_allocating);
    RUN(idx_rejects_every_truncation_and_trailing_bytes);
    RUN(idx_rejects_damaged_gzip_streams);
    RUN(dataset_rejects_mismatched_counts_and_bad_labels);
    RUN(forward_and_loss_match_hand_computation);
    RUN(accuracy_counts_argmax_hits);
    RUN(backprop_matches_finite_differences);
    RUN(backprop_with_penalty_matches_finite_differences);
    RUN(penalty_hook_adds_its_gradient_and_value);
    RUN(step_applies_momentum);
    RUN(masked_weights_stay_zero_through_training);
    RUN(training_is_deterministic);
    RUN(trainer_rejects_bad_batches);
    RUN(weights_round_trip_through_safetensors);
    RUN(loader_rejects_broken_layer_chains);
    RUN(training_on_fashion_lowers_the_loss);
    if (temp_dir[0])
        rmdir(temp_dir);
    return CHECK_EXIT_STATUS();
}

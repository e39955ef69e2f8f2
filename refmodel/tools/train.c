/* train: trains the 784-300-100-10 Fashion-MNIST MLP in float32, or
 * reports the float test accuracy of a weights file.
 *
 *   train OUT.safetensors [--epochs N] [--seed S] [--lr X] [--batch B] [--data DIR]
 *   train --eval IN.safetensors [--data DIR]
 *
 * Training is mini-batch SGD with momentum 0.9 and a learning rate that
 * decays linearly from X to X / 20 over the epochs; it is deterministic,
 * so the same binary and options write the same file byte for byte.  The
 * settings and the final accuracies go into the safetensors metadata. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nn/idx.h"
#include "nn/mlp.h"
#include "nn/mlp_io.h"

static const char usage[] =
    "usage: train OUT.safetensors [--epochs N] [--seed S] [--lr X] [--batch B] [--data DIR]\n"
    "       train --eval IN.safetensors [--data DIR]\n"
    "\n"
    "  Trains the 784-300-100-10 MLP on Fashion-MNIST (SGD, momentum 0.9, learning\n"
    "  rate decaying linearly from X to X/20) and writes its float32 weights.\n"
    "  Defaults: --epochs 20 --seed 1 --lr 0.05 --batch 64 --data " WC_FASHION_DIR "\n"
    "  --eval prints the float test accuracy of a weights file.\n";

#define MOMENTUM 0.9f
#define FINAL_LR_DIVISOR 20.0f

static const size_t layer_sizes[] = {784, 300, 100, 10};

typedef struct {
    const char *path;        /* output, or input with --eval */
    int eval;
    const char *data_dir;
    long epochs;
    unsigned long long seed;
    double lr;
    long batch;
} options;

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("train: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n(run 'train --help' for usage)\n", stderr);
    return 2;
}

static int parse_long(const char *text, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Returns 0, or the exit status of a usage error. */
static int parse_value(options *o, const char *name, const char *text)
{
    char *end;
    errno = 0;
    if (strcmp(name, "--epochs") == 0) {
        if (parse_long(text, 1, 1000, &o->epochs))
            return usage_error("--epochs takes an integer from 1 to 1000, not '%s'", text);
    } else if (strcmp(name, "--batch") == 0) {
        if (parse_long(text, 1, WC_MLP_MAX_BATCH, &o->batch))
            return usage_error("--batch takes an integer from 1 to 65536, not '%s'", text);
    } else if (strcmp(name, "--seed") == 0) {
        o->seed = strtoull(text, &end, 0);
        if (errno || end == text || *end != '\0' || text[0] == '-')
            return usage_error("--seed takes an unsigned 64-bit integer, not '%s'", text);
    } else if (strcmp(name, "--lr") == 0) {
        o->lr = strtod(text, &end);
        if (errno || end == text || *end != '\0' || !(o->lr > 0.0 && o->lr < 10.0))
            return usage_error("--lr takes a number above 0 and below 10, not '%s'", text);
    } else if (strcmp(name, "--data") == 0) {
        o->data_dir = text;
    } else {
        return usage_error("unknown option '%s'", name);
    }
    return 0;
}

static int parse_options(int argc, char **argv, options *o)
{
    *o = (options){NULL, 0, WC_FASHION_DIR, 20, 1, 0.05, 64};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--eval") == 0) {
            o->eval = 1;
        } else if (strncmp(arg, "--", 2) == 0) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", arg);
            int status = parse_value(o, arg, argv[++i]);
            if (status)
                return status;
        } else if (!o->path) {
            o->path = arg;
        } else {
            return usage_error("unexpected argument '%s'", arg);
        }
    }
    if (!o->path)
        return usage_error("%s", o->eval ? "--eval needs a weights file" : "no output file given");
    return 0;
}

static double seconds_now(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Linear decay from lr at the first epoch to lr / FINAL_LR_DIVISOR at the last. */
static float lr_for_epoch(const options *o, long epoch)
{
    float progress = o->epochs > 1 ? (float)epoch / (float)(o->epochs - 1) : 0.0f;
    float lr = (float)o->lr;
    return lr + (lr / FINAL_LR_DIVISOR - lr) * progress;
}

static int fail(const wc_error *err)
{
    fprintf(stderr, "train: %s\n", err->msg);
    return 1;
}

/* Writes the weights with the settings and results as metadata. */
static wc_status save(const wc_mlp *net, const options *o, double train_acc, double test_acc,
                      wc_error *err)
{
    char epochs[32], seed[32], lr[32], batch[32], train_text[32], test_text[32];
    snprintf(epochs, sizeof epochs, "%ld", o->epochs);
    snprintf(seed, sizeof seed, "%llu", o->seed);
    snprintf(lr, sizeof lr, "%g", o->lr);
    snprintf(batch, sizeof batch, "%ld", o->batch);
    snprintf(train_text, sizeof train_text, "%.4f", train_acc);
    snprintf(test_text, sizeof test_text, "%.4f", test_acc);
    const char *meta[] = {
        "model", "mlp 784-300-100-10, relu, logits out",
        "input", "fashion-mnist pixels / 255, row-major 28x28",
        "init", "he-uniform weights, zero biases",
        "optimizer", "sgd, momentum 0.9, softmax cross-entropy",
        "lr_schedule", "linear decay from lr to lr/20 over the epochs",
        "epochs", epochs,
        "seed", seed,
        "lr", lr,
        "batch", batch,
        "train_accuracy", train_text,
        "test_accuracy", test_text,
    };
    return wc_mlp_save(net, o->path, meta, sizeof meta / sizeof meta[0] / 2, err);
}

/* Trains for o->epochs, printing per epoch the loss, the accuracy measured
 * during the epoch and the test accuracy. */
static wc_status train_epochs(wc_mlp_trainer *t, const wc_dataset *train, const wc_dataset *test,
                              const options *o, wc_error *err)
{
    double start = seconds_now();
    for (long epoch = 0; epoch < o->epochs; epoch++) {
        t->opt.lr = lr_for_epoch(o, epoch);
        wc_epoch_stats stats;
        double test_acc;
        wc_status st = wc_mlp_train_epoch(t, train, &stats, err);
        if (st == WC_OK)
            st = wc_mlp_accuracy(t->net, test, &test_acc, err);
        if (st != WC_OK)
            return st;
        printf("epoch %3ld/%ld  lr %.4f  loss %.4f  train acc %6.2f%%  test acc %6.2f%%  %6.1f s\n",
               epoch + 1, o->epochs, (double)t->opt.lr, stats.loss, 100.0 * stats.accuracy,
               100.0 * test_acc, seconds_now() - start);
        fflush(stdout);
    }
    return WC_OK;
}

static int run_training(const options *o)
{
    wc_error err;
    wc_dataset train = {0}, test = {0};
    wc_mlp net = {0};
    wc_mlp_trainer trainer = {0};
    wc_sgd_options sgd = {(float)o->lr, MOMENTUM, (size_t)o->batch, o->seed, NULL, NULL};
    wc_status st = wc_fashion_load(o->data_dir, 1, &train, &err);
    if (st == WC_OK)
        st = wc_fashion_load(o->data_dir, 0, &test, &err);
    if (st == WC_OK)
        st = wc_mlp_init(&net, 3, layer_sizes, &err);
    if (st == WC_OK) {
        /* Distinct streams for the initial weights and the shuffling. */
        wc_mlp_init_random(&net, o->seed);
        sgd.seed = o->seed ^ 0x5EEDF00DCAFEull;
        st = wc_mlp_trainer_init(&trainer, &net, &sgd, &err);
    }
    if (st == WC_OK)
        st = train_epochs(&trainer, &train, &test, o, &err);
    double train_acc = 0.0, test_acc = 0.0;
    if (st == WC_OK)
        st = wc_mlp_accuracy(&net, &train, &train_acc, &err);
    if (st == WC_OK)
        st = wc_mlp_accuracy(&net, &test, &test_acc, &err);
    if (st == WC_OK)
        st = save(&net, o, train_acc, test_acc, &err);
    if (st == WC_OK)
        printf("final: train accuracy %.2f%%, test accuracy %.2f%%; wrote %s\n",
               100.0 * train_acc, 100.0 * test_acc, o->path);
    wc_mlp_trainer_free(&trainer);
    wc_mlp_free(&net);
    wc_dataset_free(&train);
    wc_dataset_free(&test);
    return st == WC_OK ? 0 : fail(&err);
}

static int run_eval(const options *o)
{
    wc_error err;
    double accuracy;
    if (wc_fashion_float_accuracy(o->path, o->data_dir, &accuracy, &err) != WC_OK)
        return fail(&err);
    printf("float accuracy %.2f%% (%s, Fashion-MNIST test set)\n", 100.0 * accuracy, o->path);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)) {
        fputs(usage, stdout);
        return 0;
    }
    options o;
    int status = parse_options(argc, argv, &o);
    if (status)
        return status;
    return o.eval ? run_eval(&o) : run_training(&o);
}

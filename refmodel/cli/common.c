/* Argument parsing, progress bar and JSON helpers shared by the commands. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "common/stats.h"
#include "common/tans.h"

int cli_fail(const wc_error *err)
{
    fprintf(stderr, "wcodec: %s\n", err->msg);
    return EXIT_FAILED;
}

int cli_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("wcodec: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n(run 'wcodec help' for usage)\n", stderr);
    va_end(ap);
    return EXIT_USAGE;
}

int cli_option(cli_args *a, const char *name)
{
    const char *arg = a->argv[a->next];
    size_t len = strlen(name);
    if (strncmp(arg, "--", 2) != 0 || strncmp(arg + 2, name, len) != 0)
        return 0;
    if (arg[2 + len] == '=') {
        a->value = arg + 3 + len;
        a->next++;
        return 1;
    }
    if (arg[2 + len] != '\0')
        return 0;
    if (a->next + 1 >= a->argc)
        return -1;
    a->value = a->argv[a->next + 1];
    a->next += 2;
    return 1;
}

int cli_flag(cli_args *a, const char *name)
{
    const char *arg = a->argv[a->next];
    if (strncmp(arg, "--", 2) == 0 && strcmp(arg + 2, name) == 0) {
        a->next++;
        return 1;
    }
    return 0;
}

int cli_parse_int(const char *option, const char *text, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end != '\0' || v < lo || v > hi) {
        cli_usage("--%s takes an integer from %ld to %ld, not '%s'", option, lo, hi, text);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_states(const char *text, unsigned *table_log)
{
    long states;
    if (cli_parse_int("states", text, 1L << WC_TANS_MIN_LOG, 1L << WC_TANS_MAX_LOG, &states))
        return -1;
    unsigned log = 0;
    while ((1L << log) < states)
        log++;
    if ((1L << log) != states) {
        cli_usage("--states must be a power of two, not %ld", states);
        return -1;
    }
    *table_log = log;
    return 0;
}

int cli_coding_option(cli_args *a, wc_compress_options *opt)
{
    static const char *const valued[] = {"bins", "coder", "states", "lanes"};
    if (cli_flag(a, "per-channel")) {
        opt->per_channel = 1;
        return 1;
    }
    for (size_t i = 0; i < sizeof valued / sizeof valued[0]; i++) {
        int got = cli_option(a, valued[i]);
        if (got < 0) {
            cli_usage("--%s needs a value", valued[i]);
            return -1;
        }
        if (!got)
            continue;
        long v;
        switch (i) {
        case 0:
            if (cli_parse_int("bins", a->value, 3, 255, &v))
                return -1;
            if (v % 2 == 0) {
                cli_usage("--bins must be odd (a zero bin in the middle), not %ld", v);
                return -1;
            }
            opt->bins = (int)v;
            return 1;
        case 1:
            if (strcmp(a->value, "tans") == 0)
                opt->coder = WC_CODER_TANS;
            else if (strcmp(a->value, "huffman") == 0)
                opt->coder = WC_CODER_HUFFMAN;
            else if (strcmp(a->value, "raw") == 0)
                opt->coder = WC_CODER_RAW;
            else {
                cli_usage("--coder is tans, huffman or raw, not '%s'", a->value);
                return -1;
            }
            return 1;
        case 2:
            return parse_states(a->value, &opt->table_log) ? -1 : 1;
        default:
            if (cli_parse_int("lanes", a->value, 1, WC_TANS_MAX_LANES, &v))
                return -1;
            opt->lanes = (unsigned)v;
            return 1;
        }
    }
    return 0;
}

void cli_progress_start(cli_progress *p, const char *label, uint64_t total)
{
    p->label = label;
    p->total = total ? total : 1;
    p->enabled = isatty(STDERR_FILENO);
    p->last_drawn = -1;
    cli_progress_update(p, 0);
}

void cli_progress_update(cli_progress *p, uint64_t done)
{
    if (!p->enabled)
        return;
    int permille = (int)(done * 1000 / p->total);
    if (permille == p->last_drawn)
        return;
    p->last_drawn = permille;
    char bar[41];
    int filled = permille * 40 / 1000;
    for (int i = 0; i < 40; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[40] = '\0';
    fprintf(stderr, "\r%-12s [%s] %3d%%", p->label, bar, permille / 10);
    fflush(stderr);
}

void cli_progress_end(cli_progress *p)
{
    if (p->enabled)
        fprintf(stderr, "\r%-12s %44s\r", "", "");
}

void cli_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(f, "\\u%04x", *c);
        else
            fputc(*c, f);
    }
    fputc('"', f);
}

void cli_json_number(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.6g", v);
    else
        fputs("null", f);
}

double cli_entropy_total_bits(const uint8_t *symbols, uint64_t n)
{
    uint64_t hist[256];
    wc_histogram(symbols, n, hist);
    return wc_entropy_bits(hist, n) * (double)n;
}

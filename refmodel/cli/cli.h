/* Shared pieces of the wcodec commands. */
#ifndef WC_CLI_CLI_H
#define WC_CLI_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "common/error.h"
#include "encode/compress.h"

/* Exit statuses of every command. */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

int cmd_compress(int argc, char **argv);
int cmd_decompress(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_bench(int argc, char **argv);

/* Prints "wcodec: <message>" to stderr and returns EXIT_FAILED. */
int cli_fail(const wc_error *err);
/* Prints "wcodec: <message>" and the usage hint; returns EXIT_USAGE. */
int cli_usage(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Walks the arguments after the command name.  Positional arguments are
 * collected in order; options are recognised by the caller through
 * cli_option() and cli_flag(). */
typedef struct {
    int argc;
    char **argv;
    int next;           /* index of the argument being looked at */
    const char *value;  /* value of the option just matched */
} cli_args;

/* If argv[next] is `--name VALUE` or `--name=VALUE`, consumes it, sets
 * a->value and returns 1; returns -1 if the value is missing, 0 otherwise. */
int cli_option(cli_args *a, const char *name);
/* If argv[next] is `--name`, consumes it and returns 1, else 0. */
int cli_flag(cli_args *a, const char *name);
/* Parses a decimal integer option value within [lo, hi]; returns 0 on success. */
int cli_parse_int(const char *option, const char *text, long lo, long hi, long *out);

/* Handles the coding options shared by compress and bench (--bins,
 * --per-channel, --coder, --states, --lanes).  Returns 1 if it consumed
 * argv[next], 0 if not an option of this set, -1 after printing a usage error. */
int cli_coding_option(cli_args *a, wc_compress_options *opt);

/* A progress bar on stderr, shown only when stderr is a terminal. */
typedef struct {
    const char *label;
    uint64_t total;
    int enabled;
    int last_drawn;  /* per mille */
} cli_progress;

void cli_progress_start(cli_progress *p, const char *label, uint64_t total);
void cli_progress_update(cli_progress *p, uint64_t done);
void cli_progress_end(cli_progress *p);

/* JSON output helpers: a string with escapes, a number (null if not finite). */
void cli_json_string(FILE *f, const char *s);
void cli_json_number(FILE *f, double v);

/* Order-0 entropy of symbols[0..n) in bits (total, not per symbol). */
double cli_entropy_total_bits(const uint8_t *symbols, uint64_t n);

#endif

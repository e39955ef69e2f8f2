/* A minimal unit-test harness.
 *
 * Each test is a function; RUN() calls it and prints one line,
 * "ok <suite>/<test>" or "not ok <suite>/<test>: <file>:<line>: <reason>",
 * which scripts/run-tests.sh counts.  A test stops at its first failed CHECK. */
#ifndef WC_TESTS_CHECK_H
#define WC_TESTS_CHECK_H

#include <setjmp.h>
#include <stdio.h>

static const char *check_suite = "unit";
static jmp_buf check_jump;
static char check_reason[512];
static int check_failed_count;
static int check_run_count;

#define CHECK_MSG(cond, ...)                                                         \
    do {                                                                             \
        if (!(cond)) {                                                               \
            int check_n_ = snprintf(check_reason, sizeof check_reason, "%s:%d: ",    \
                                    __FILE__, __LINE__);                             \
            snprintf(check_reason + check_n_, sizeof check_reason - (size_t)check_n_, \
                     __VA_ARGS__);                                                   \
            longjmp(check_jump, 1);                                                  \
        }                                                                            \
    } while (0)

#define CHECK(cond) CHECK_MSG(cond, "%s", #cond)

#define RUN(fn)                                                                      \
    do {                                                                             \
        check_run_count++;                                                           \
        if (setjmp(check_jump) == 0) {                                               \
            fn();                                                                    \
            printf("ok %s/%s\n", check_suite, #fn);                                  \
        } else {                                                                     \
            check_failed_count++;                                                    \
            printf("not ok %s/%s: %s\n", check_suite, #fn, check_reason);            \
        }                                                                            \
        fflush(stdout);                                                              \
    } while (0)

/* Exit status of a test program: non-zero if anything failed. */
#define CHECK_EXIT_STATUS() (check_failed_count ? 1 : 0)

#endif

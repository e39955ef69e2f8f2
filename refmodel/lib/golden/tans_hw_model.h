/* Cycle-accurate golden model of the tANS hardware decoder (rtl/tans_decoder.v).
 *
 * Implements docs/rtl.md section 4 register by register: given the inputs of
 * each cycle it predicts every output of the decoder on every cycle.  The
 * Verilator harness (sim/) runs it next to the RTL and compares.
 *
 * Use: create, then per cycle: set the inputs, read the outputs with
 * wc_tans_hw_get_outputs() (they depend only on the registers, not on the
 * inputs of the same cycle), then wc_tans_hw_clock() with the same inputs. */
#ifndef WC_GOLDEN_TANS_HW_MODEL_H
#define WC_GOLDEN_TANS_HW_MODEL_H

#include <stdint.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The decoder's parameters (docs/rtl.md section 1). */
typedef struct {
    unsigned lanes;          /* LANES, 1..16 */
    unsigned table_log_max;  /* TABLE_LOG_MAX, 5..8 */
    unsigned symbol_width;   /* SYMBOL_WIDTH, 1..8 */
    unsigned request_queue;  /* REQUEST_QUEUE, 2..8 */
} wc_tans_hw_config;

/* The inputs of one cycle. */
typedef struct {
    int rst;
    uint32_t s_tdata;
    int s_tvalid;
    int s_tlast;
    int m_tready;
} wc_tans_hw_inputs;

/* The outputs of one cycle.  m_tdata holds lane k's symbol in m_tdata[k]. */
typedef struct {
    int s_tready;
    int m_tvalid;
    uint8_t m_tdata[16];
    uint16_t m_tkeep;
    int m_tlast;
    int busy;
    int layer_done;
    unsigned layer_error;
    int stream_done;
    uint32_t symbols;
    int error;
    unsigned error_code;
} wc_tans_hw_outputs;

typedef struct wc_tans_hw_model wc_tans_hw_model;

/* Allocates a model; fails with WC_ERR_ARG for parameters outside their
 * ranges.  The model starts as after a reset. */
wc_status wc_tans_hw_create(const wc_tans_hw_config *cfg, wc_tans_hw_model **model,
                            wc_error *err);
void wc_tans_hw_destroy(wc_tans_hw_model *model);

/* The outputs during the current cycle. */
void wc_tans_hw_get_outputs(const wc_tans_hw_model *model, wc_tans_hw_outputs *out);

/* Ends the current cycle: every register takes its next value, computed from
 * the registers and `in` (docs/rtl.md section 4). */
void wc_tans_hw_clock(wc_tans_hw_model *model, const wc_tans_hw_inputs *in);

#ifdef __cplusplus
}
#endif

#endif

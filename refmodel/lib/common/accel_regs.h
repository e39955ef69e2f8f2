/* Register map of the accelerator (rtl/wc_accel.v), the one source of truth:
 * the RTL includes rtl/accel_regs.vh, generated from this file by
 * scripts/c2vh.py (a lint test checks they agree); the driver and the tests
 * include this header; docs/accel.md describes each register.
 *
 * All registers are 32 bits wide, at byte offsets on an AXI4-Lite port. */
#ifndef WC_COMMON_ACCEL_REGS_H
#define WC_COMMON_ACCEL_REGS_H

#ifdef __cplusplus
extern "C" {
#endif

#define WC_ACCEL_ID_VALUE 0x57434131     /* "WCA1" */

/* Offsets. */
#define WC_ACCEL_REG_ID 0x00             /* R: WC_ACCEL_ID_VALUE */
#define WC_ACCEL_REG_CONFIG 0x04         /* R: the build's parameters, fields below */
#define WC_ACCEL_REG_CTRL 0x08           /* W: START, SOFT_RESET, IRQ_CLEAR; R/W: IRQ_ENABLE */
#define WC_ACCEL_REG_STATUS 0x0C         /* R: BUSY, DONE, ERROR, IRQ, ERROR_CODE */
#define WC_ACCEL_REG_WEIGHT_ADDR 0x10    /* R/W: DRAM byte address of the weights, word aligned */
#define WC_ACCEL_REG_WEIGHT_BYTES 0x14   /* R/W: their length in bytes, a multiple of 4 */
#define WC_ACCEL_REG_BIAS_ADDR 0x18      /* R/W: DRAM address of OUT_FEATURES int32 biases */
#define WC_ACCEL_REG_ACT_ADDR 0x1C       /* R/W: DRAM address of the input bytes (INPUT_DRAM) */
#define WC_ACCEL_REG_SHAPE 0x20          /* R/W: IN_FEATURES [15:0], OUT_FEATURES [31:16] */
#define WC_ACCEL_REG_LAYER 0x24          /* R/W: layer flags and zero point, fields below */
#define WC_ACCEL_REG_REQUANT 0x28        /* R/W: MULT [15:0], SHIFT [21:16] */
#define WC_ACCEL_REG_DRAM 0x2C           /* R/W: BURST_WORDS [7:0], OUTSTANDING [11:8] */
#define WC_ACCEL_REG_CYCLES 0x30         /* R: cycles from START to DONE */
#define WC_ACCEL_REG_DRAM_BYTES 0x34     /* R: bytes read from DRAM in the run */
#define WC_ACCEL_REG_MAC_CYCLES 0x38     /* R: cycles in which the MACs accumulated a beat */
#define WC_ACCEL_REG_OUT_INDEX 0x3C      /* R/W: index of the output OUT_DATA reads */
#define WC_ACCEL_REG_OUT_DATA 0x40       /* R: output OUT_INDEX (then OUT_INDEX + 1) */
#define WC_ACCEL_REG_HEAD_BYTES 0x44     /* R/W: bytes of the weight stream's headers and table */

/* CONFIG fields. */
#define WC_ACCEL_CONFIG_LANES_SHIFT 0        /* [4:0] LANES */
#define WC_ACCEL_CONFIG_TABLE_LOG_SHIFT 5    /* [8:5] TABLE_LOG_MAX */
#define WC_ACCEL_CONFIG_SYMBOL_WIDTH_SHIFT 9 /* [12:9] SYMBOL_WIDTH */
#define WC_ACCEL_CONFIG_IN_MAX_LOG_SHIFT 16  /* [19:16] log2 of the largest IN_FEATURES */
#define WC_ACCEL_CONFIG_OUT_MAX_LOG_SHIFT 20 /* [23:20] log2 of the largest OUT_FEATURES */

/* CTRL bits. */
#define WC_ACCEL_CTRL_START 0x1u
#define WC_ACCEL_CTRL_SOFT_RESET 0x2u
#define WC_ACCEL_CTRL_IRQ_ENABLE 0x4u
#define WC_ACCEL_CTRL_IRQ_CLEAR 0x8u

/* STATUS bits and field. */
#define WC_ACCEL_STATUS_BUSY 0x1u
#define WC_ACCEL_STATUS_DONE 0x2u
#define WC_ACCEL_STATUS_ERROR 0x4u
#define WC_ACCEL_STATUS_IRQ 0x8u
#define WC_ACCEL_STATUS_CODE_SHIFT 8         /* [12:8] error code, below */

/* LAYER fields. */
#define WC_ACCEL_LAYER_COMPRESSED 0x1u       /* weights are a tANS stream, else raw int8 */
#define WC_ACCEL_LAYER_RELU 0x2u             /* requantize to uint8 with ReLU, else int32 out */
#define WC_ACCEL_LAYER_INPUT_DRAM 0x4u       /* read the input from ACT_ADDR first */
#define WC_ACCEL_LAYER_INPUT_HALF 0x8u       /* activation buffer half read; outputs go to the other */
#define WC_ACCEL_LAYER_ZERO_POINT_SHIFT 8    /* [15:8] symbol of weight 0 (compressed) */

/* REQUANT and DRAM fields. */
#define WC_ACCEL_REQUANT_SHIFT_SHIFT 16
#define WC_ACCEL_DRAM_OUTSTANDING_SHIFT 8

/* Error codes in STATUS: 1..15 are the decoder's (common/tans_hw.h). */
#define WC_ACCEL_ERR_DECODER_MAX 15
#define WC_ACCEL_ERR_WEIGHT_COUNT 16   /* the weights ended before or after the layer's */
#define WC_ACCEL_ERR_DRAM 17           /* a DRAM read returned an error response */
#define WC_ACCEL_ERR_SHAPE 18          /* IN/OUT_FEATURES outside what this build holds */

#ifdef __cplusplus
}
#endif

#endif

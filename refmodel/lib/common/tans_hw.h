/* Constants shared by the tANS hardware decoder (rtl/), its golden model
 * (refmodel/lib/golden/) and the driver.  This header is the source of
 * rtl/tans_hw.vh, which scripts/c2vh.py generates from it (a test checks that
 * the two agree); docs/rtl.md explains each code. */
#ifndef WC_COMMON_TANS_HW_H
#define WC_COMMON_TANS_HW_H

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes the decoder reports with each layer (and stream). */
#define WC_TANS_ERR_NONE 0
#define WC_TANS_ERR_STREAM_HEADER 1  /* bad stream header word: stream drained */
#define WC_TANS_ERR_LAYER_HEADER 2   /* bad layer header: stream drained */
#define WC_TANS_ERR_TABLE 3          /* counts do not form a table: layer skipped */
#define WC_TANS_ERR_UNSUPPORTED 4    /* table log, lanes or symbols beyond this decoder: skipped */
#define WC_TANS_ERR_PAYLOAD_SHORT 5  /* a lane needs a word beyond the layer's payload */
#define WC_TANS_ERR_FINAL_STATE 6    /* a lane does not end in state 0 */
#define WC_TANS_ERR_PADDING 7        /* a lane's bits after its last read are not zero */
#define WC_TANS_ERR_PAYLOAD_LONG 8   /* payload words left over when the lanes are done */
#define WC_TANS_ERR_TRUNCATED 9      /* input ended (TLAST) before the stream did */
#define WC_TANS_ERR_EXTRA_WORDS 10   /* words after the stream's end, up to TLAST */

#ifdef __cplusplus
}
#endif

#endif

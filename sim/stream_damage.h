/* Damages a stream of tANS layers in a chosen way, for the harness's
 * bad-input tests (docs/rtl.md section 1, "Error codes"). */
#ifndef WC_SIM_STREAM_DAMAGE_H
#define WC_SIM_STREAM_DAMAGE_H

#include <stdint.h>
#include <string>
#include <vector>

/* What a damage should provoke: the error code the decoder must end with, or
 * 0 when it cannot be predicted (a flipped payload bit may even go unseen). */
struct wc_damage {
    unsigned expected_error;
};

/* The damage kinds, for usage messages. */
const char *wc_damage_kinds();

/* Applies damage `kind` to `stream` (choices drawn from `seed`); false with a
 * reason if the kind is unknown or the stream too small for it. */
bool wc_damage_stream(const char *kind, unsigned seed, unsigned lanes,
                      std::vector<uint32_t> *stream, wc_damage *damage, std::string *why);

#endif

#include "stream_damage.h"

#include <cstring>
#include <random>

#include "common/tans_hw.h"
#include "common/tans_layer.h"

namespace {

// Where each layer's header and payload start in a stream (docs/format.md 2.5).
struct Layout {
    std::vector<size_t> header_at, payload_at;
    std::vector<wc_tans_layer> layers;
};

bool layout_of(const std::vector<uint32_t> &s, Layout *out)
{
    if (s.empty())
        return false;
    const size_t K = s[0] & 0xFFFF;
    size_t pos = 1;
    out->header_at.assign(K, 0);
    out->payload_at.assign(K, 0);
    out->layers.assign(K, wc_tans_layer{});
    for (size_t i = 0; i <= K; i++) {
        if (i < K) {
            out->header_at[i] = pos;
            if (wc_tans_layer_parse(s.data() + pos, s.size() - pos, &out->layers[i], nullptr) !=
                WC_OK)
                return false;
            pos += out->layers[i].header_words;
        }
        if (i >= 1) {
            out->payload_at[i - 1] = pos;
            pos += out->layers[i - 1].payload_words;
        }
    }
    return pos == s.size();
}

}  // namespace

const char *wc_damage_kinds()
{
    return "stream-header|layer-magic|table-sum|count-above-r|unsupported-log|lanes|flip|"
           "initial-state|truncate|extra|payload-short|payload-long|padding";
}

bool wc_damage_stream(const char *kind, unsigned seed, unsigned lanes,
                      std::vector<uint32_t> *stream, wc_damage *damage, std::string *why)
{
    std::mt19937 rng(seed);
    std::vector<uint32_t> &s = *stream;
    Layout lay;
    if (!layout_of(s, &lay)) {
        *why = "cannot parse the stream to damage it";
        return false;
    }
    const size_t K = lay.layers.size();
    const size_t last = K - 1;
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    damage->expected_error = 0;

    if (!std::strcmp(kind, "stream-header")) {
        s[0] ^= 0x01000000u;
        damage->expected_error = WC_TANS_ERR_STREAM_HEADER;
    } else if (!std::strcmp(kind, "layer-magic")) {
        s[lay.header_at[pick(K)]] ^= 0x80000000u;
        damage->expected_error = WC_TANS_ERR_LAYER_HEADER;
    } else if (!std::strcmp(kind, "table-sum")) {
        s[lay.header_at[pick(K)] + WC_TANS_LAYER_FIXED_WORDS] ^= 1u;  // first count, off by one
        damage->expected_error = WC_TANS_ERR_TABLE;
    } else if (!std::strcmp(kind, "count-above-r")) {
        // A count field wide enough to exceed R (width L + 1): set it to all ones.
        size_t i = 0;
        while (i < K && lay.layers[i].count_width <= lay.layers[i].dist.table_log)
            i++;
        if (i == K) {
            *why = "no layer has counts wide enough to exceed R (try --dist single)";
            return false;
        }
        s[lay.header_at[i] + WC_TANS_LAYER_FIXED_WORDS] |= (1u << lay.layers[i].count_width) - 1;
        damage->expected_error = WC_TANS_ERR_TABLE;
    } else if (!std::strcmp(kind, "unsupported-log")) {
        uint32_t &w0 = s[lay.header_at[pick(K)]];
        w0 = (w0 & ~0x00F00000u) | 12u << 20;  // 4096 states: beyond any hardware table
        damage->expected_error = WC_TANS_ERR_UNSUPPORTED;
    } else if (!std::strcmp(kind, "lanes")) {
        uint32_t &w0 = s[lay.header_at[pick(K)]];
        w0 = (w0 & ~0x000F0000u) | ((lanes % 16) << 16);  // lanes + 1 (mod 16)
        damage->expected_error = WC_TANS_ERR_UNSUPPORTED;
    } else if (!std::strcmp(kind, "flip")) {
        size_t i = pick(K);
        s[lay.payload_at[i] + pick(lay.layers[i].payload_words)] ^= 1u << pick(32);
    } else if (!std::strcmp(kind, "initial-state")) {
        size_t i = pick(K);
        s[lay.payload_at[i]] ^= 1u << pick(lay.layers[i].dist.table_log);
    } else if (!std::strcmp(kind, "truncate")) {
        s.resize(1 + pick(s.size() - 1));
        damage->expected_error = WC_TANS_ERR_TRUNCATED;
    } else if (!std::strcmp(kind, "extra")) {
        for (int i = 0; i < 3; i++)
            s.push_back(rng());
        damage->expected_error = WC_TANS_ERR_EXTRA_WORDS;
    } else if (!std::strcmp(kind, "payload-short")) {
        s[lay.header_at[last] + 2] -= 1;  // P of the last layer, whose payload ends the stream
        s.pop_back();
        damage->expected_error = WC_TANS_ERR_PAYLOAD_SHORT;
    } else if (!std::strcmp(kind, "payload-long")) {
        s[lay.header_at[last] + 2] += 1;
        s.push_back(0);
        damage->expected_error = WC_TANS_ERR_PAYLOAD_LONG;
    } else if (!std::strcmp(kind, "padding")) {
        s.back() |= 0x80000000u;  // the last word is the look-ahead word of some lane
        damage->expected_error = WC_TANS_ERR_PADDING;
    } else {
        *why = std::string("unknown damage '") + kind + "'";
        return false;
    }
    return true;
}

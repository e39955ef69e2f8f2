/* Tests of the shared pieces: bit streams, byte cursors, error messages. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/bitio.h"
#include "common/buffer.h"
#include "common/error.h"

static void bits_round_trip_msb_first(void)
{
    wc_words words = {0};
    wc_bitwriter bw;
    wc_bitwriter_init(&bw, &words);
    wc_bitwriter_put(&bw, 1, 1);
    wc_bitwriter_put(&bw, 0, 0);
    wc_bitwriter_put(&bw, 0x5, 3);
    CHECK(wc_bitwriter_bits(&bw) == 4);
    wc_bitwriter_flush(&bw);
    CHECK(words.n == 1);
    CHECK_MSG(words.w[0] == 0xD0000000u, "first bits must land in bit 31 down, got %08x",
              words.w[0]);
    wc_words_free(&words);
}

static void bits_round_trip_random_widths(void)
{
    enum { COUNT = 5000 };
    unsigned widths[COUNT];
    uint32_t values[COUNT];
    srand(7);
    wc_words words = {0};
    wc_bitwriter bw;
    wc_bitwriter_init(&bw, &words);
    for (int i = 0; i < COUNT; i++) {
        widths[i] = (unsigned)(rand() % 33);
        values[i] = ((uint32_t)rand() << 16 ^ (uint32_t)rand()) &
                    (widths[i] == 32 ? 0xFFFFFFFFu : (1u << widths[i]) - 1);
        wc_bitwriter_put(&bw, values[i], widths[i]);
    }
    wc_bitwriter_flush(&bw);
    CHECK(wc_words_status(&words, NULL) == WC_OK);
    wc_bitreader br;
    wc_bitreader_init(&br, words.w, words.n);
    for (int i = 0; i < COUNT; i++) {
        uint32_t v;
        CHECK(wc_bitreader_get(&br, widths[i], &v, "test", NULL) == WC_OK);
        CHECK_MSG(v == values[i], "value %d: got %u want %u", i, v, values[i]);
    }
    CHECK(wc_bitreader_align(&br, "test", NULL) == WC_OK);
    CHECK(wc_bitreader_left(&br) == 0);
    wc_words_free(&words);
}

static void lsb_first_bits_start_at_bit_zero(void)
{
    wc_words words = {0};
    wc_lsb_writer bw;
    wc_lsb_writer_init(&bw, &words);
    wc_lsb_writer_put(&bw, 1, 1);
    wc_lsb_writer_put(&bw, 0x5, 3); /* bits 1..3 = 1, 0, 1 */
    wc_lsb_writer_put(&bw, 0xABCDEF, 30);
    wc_lsb_writer_flush(&bw);
    CHECK(words.n == 2);
    CHECK_MSG(words.w[0] == (0xBu | 0xABCDEFu << 4), "word 0 is %08x", words.w[0]);
    CHECK(words.w[1] == (0xABCDEFu >> 28));
    wc_lsb_reader br;
    wc_lsb_reader_init(&br, words.w, words.n);
    uint32_t v;
    CHECK(wc_lsb_reader_get(&br, 4, &v, "t", NULL) == WC_OK && v == 0xB);
    CHECK(wc_lsb_reader_get(&br, 30, &v, "t", NULL) == WC_OK && v == 0xABCDEF);
    CHECK(wc_lsb_reader_align(&br, "t", NULL) == WC_OK);
    CHECK(wc_lsb_reader_get(&br, 1, &v, "t", NULL) == WC_ERR_TRUNCATED);
    wc_words_free(&words);
}

static void bitreader_refuses_to_read_past_end(void)
{
    uint32_t w[1] = {0xFFFFFFFFu};
    wc_bitreader br;
    wc_bitreader_init(&br, w, 1);
    uint32_t v;
    wc_error err;
    CHECK(wc_bitreader_get(&br, 30, &v, "head", &err) == WC_OK);
    CHECK(wc_bitreader_get(&br, 3, &v, "tail", &err) == WC_ERR_TRUNCATED);
    CHECK(strstr(err.msg, "tail") != NULL);
}

static void bitreader_align_rejects_nonzero_padding(void)
{
    uint32_t w[2] = {0x80000001u, 0};
    wc_bitreader br;
    wc_bitreader_init(&br, w, 2);
    uint32_t v;
    CHECK(wc_bitreader_get(&br, 1, &v, "bit", NULL) == WC_OK && v == 1);
    CHECK(wc_bitreader_align(&br, "pad", NULL) == WC_ERR_CORRUPT);
}

static void cursor_reads_little_endian_and_checks_bounds(void)
{
    wc_buf b = {0};
    wc_buf_put_u16(&b, 0x1234);
    wc_buf_put_u32(&b, 0xDEADBEEFu);
    wc_buf_put_u64(&b, 0x0102030405060708ull);
    CHECK(b.len == 14 && b.data[0] == 0x34 && b.data[2] == 0xEF);
    wc_cursor c = wc_cursor_make(b.data, b.len);
    uint16_t a;
    uint32_t d;
    uint64_t q;
    CHECK(wc_get_u16(&c, &a, "a", NULL) == WC_OK && a == 0x1234);
    CHECK(wc_get_u32(&c, &d, "d", NULL) == WC_OK && d == 0xDEADBEEFu);
    CHECK(wc_get_u64(&c, &q, "q", NULL) == WC_OK && q == 0x0102030405060708ull);
    wc_error err;
    CHECK(wc_get_u8(&c, (uint8_t *)&a, "extra byte", &err) == WC_ERR_TRUNCATED);
    CHECK(strstr(err.msg, "extra byte") != NULL);
    wc_buf_free(&b);
}

static void error_context_prefixes_message(void)
{
    wc_error err;
    wc_fail(&err, WC_ERR_CORRUPT, "bad crc");
    CHECK(wc_error_context(&err, "tensor '%s'", "conv1") == WC_ERR_CORRUPT);
    CHECK(strcmp(err.msg, "tensor 'conv1': bad crc") == 0);
}

int main(void)
{
    check_suite = "common";
    RUN(bits_round_trip_msb_first);
    RUN(bits_round_trip_random_widths);
    RUN(lsb_first_bits_start_at_bit_zero);
    RUN(bitreader_refuses_to_read_past_end);
    RUN(bitreader_align_rejects_nonzero_padding);
    RUN(cursor_reads_little_endian_and_checks_bounds);
    RUN(error_context_prefixes_message);
    return CHECK_EXIT_STATUS();
}

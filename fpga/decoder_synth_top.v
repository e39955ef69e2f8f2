// Measurement top for the tANS decoder on an iCE40 (docs/fpga.md).
//
// The decoder has about 100 + 9*LANES ports; the packages have a few dozen
// pins.  This wrapper keeps every decoder port driven and observed through
// eight pins, so synthesis can remove nothing and place-and-route sees the
// decoder's real logic and timing:
//
//   - the 32-bit input word is a shift register fed one bit per cycle from a
//     pin (an external driver can shift in a real stream and raise
//     word_valid every 32 cycles); tvalid, tlast and the output's tready
//     come from pins;
//   - every output bit (symbols, tkeep, tlast, tvalid, the input's tready and
//     all status outputs) feeds a signature register (a ring MISR): each
//     signature bit takes the XOR of three observed bits and of its
//     neighbour, one LUT level after the decoder's registers, and the ring
//     carries every bit to the signature pin.
//
// All pins are registered here, so no pin-to-register path limits the clock
// the decoder reaches.

`default_nettype none

module decoder_synth_top #(
    parameter integer LANES = 8,          // decoder lanes, 1..16
    parameter integer TABLE_LOG_MAX = 8,  // largest table log, 5..8
    parameter integer SYMBOL_WIDTH = 8,   // bits per symbol, 1..8
    parameter integer REQUEST_QUEUE = 4   // steps of refill requests held, 2..8
) (
    input  wire clk,
    input  wire rst_n,        // active low (a button); synchronised here
    input  wire word_bit,     // shifted into the input word, LSB side, every cycle
    input  wire word_valid,   // s_axis_tvalid
    input  wire word_last,    // s_axis_tlast
    input  wire beat_ready,   // m_axis_tready
    output wire signature,    // serial signature of every decoder output
    output wire busy          // status_busy, registered
);

    // Symbols, tkeep, tlast, tvalid; the input's tready; the status outputs.
    localparam integer OBSERVED_W = LANES * SYMBOL_WIDTH + LANES + 3 + 1 + 1 + 4 + 1 + 32 + 1 + 4;
    localparam integer SIG_W = (OBSERVED_W + 2) / 3;

    reg [1:0]  rst_sync_q = 2'b11;
    reg        word_valid_q;
    reg        word_last_q;
    reg        beat_ready_q;
    reg [31:0] word_q;

    always @(posedge clk) begin
        rst_sync_q <= {rst_sync_q[0], !rst_n};
        word_valid_q <= word_valid;
        word_last_q <= word_last;
        beat_ready_q <= beat_ready;
        word_q <= {word_q[30:0], word_bit};
    end

    wire rst = rst_sync_q[1];

    wire [LANES*SYMBOL_WIDTH-1:0] m_tdata;
    wire [LANES-1:0]              m_tkeep;
    wire                          m_tlast;
    wire                          m_tvalid;
    wire                          s_tready;
    wire                          status_busy;
    wire                          status_layer_done;
    wire [3:0]                    status_layer_error;
    wire                          status_stream_done;
    wire [31:0]                   status_symbols;
    wire                          status_error;
    wire [3:0]                    status_error_code;

    tans_decoder #(
        .LANES(LANES), .TABLE_LOG_MAX(TABLE_LOG_MAX), .SYMBOL_WIDTH(SYMBOL_WIDTH),
        .REQUEST_QUEUE(REQUEST_QUEUE)
    ) decoder (
        .clk(clk), .rst(rst),
        .s_axis_tdata(word_q), .s_axis_tvalid(word_valid_q), .s_axis_tready(s_tready),
        .s_axis_tlast(word_last_q),
        .m_axis_tdata(m_tdata), .m_axis_tkeep(m_tkeep), .m_axis_tlast(m_tlast),
        .m_axis_tvalid(m_tvalid), .m_axis_tready(beat_ready_q),
        .status_busy(status_busy), .status_layer_done(status_layer_done),
        .status_layer_error(status_layer_error), .status_stream_done(status_stream_done),
        .status_symbols(status_symbols), .status_error(status_error),
        .status_error_code(status_error_code)
    );

    // Padded with zeros to a multiple of three bits.
    wire [3*SIG_W-1:0] observed = {
        {(3 * SIG_W - OBSERVED_W){1'b0}},
        m_tdata, m_tkeep, m_tlast, m_tvalid, s_tready,
        status_busy, status_layer_done, status_layer_error, status_stream_done,
        status_symbols, status_error, status_error_code
    };

    reg [SIG_W-1:0] sig_q;
    reg             busy_q;
    wire [SIG_W-1:0] sig_shifted = {sig_q[SIG_W-2:0], sig_q[SIG_W-1]};

    integer j;
    always @(posedge clk) begin
        for (j = 0; j < SIG_W; j = j + 1)
            sig_q[j] <= sig_shifted[j] ^ (^observed[3*j +: 3]);
        busy_q <= status_busy;
    end

    assign signature = sig_q[SIG_W-1];
    assign busy = busy_q;

endmodule

`default_nettype wire

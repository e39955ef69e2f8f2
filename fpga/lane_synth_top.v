// Measurement top for one tANS decoder lane alone (docs/fpga.md).
//
// Inside the decoder a lane's step, load and table-write controls come from
// the shared control logic; here they come from registers, so the build
// shows what the lane itself costs and how fast its own loop (state ->
// table RAM -> next state, and the lookahead and word refill around it)
// runs.  Every lane input is a bit of a shift register fed from one pin;
// every lane output feeds a small ring signature register read on one pin,
// as in decoder_synth_top.v.

`default_nettype none

module lane_synth_top #(
    parameter integer TABLE_LOG_MAX = 8,  // largest table log, 5..8
    parameter integer SYMBOL_WIDTH = 8    // bits per symbol, 1..8
) (
    input  wire clk,
    input  wire rst_n,       // active low; synchronised here
    input  wire ctl_bit,     // shifted into the register that drives every lane input
    output wire signature    // serial signature of every lane output
);

    localparam integer W = TABLE_LOG_MAX;
    localparam integer ENTRY_W = SYMBOL_WIDTH + 4 + W;
    // tbl_we, tbl_waddr, tbl_wdata, bank, table_log, clear, word, load_cur,
    // load_nxt, step, step_init.
    localparam integer CTL_W = 1 + (W + 1) + ENTRY_W + 1 + 4 + 1 + 32 + 1 + 1 + 1 + 1;
    // ready, word_done, symbol, state_zero, padding_zero.
    localparam integer OBSERVED_W = 1 + 1 + SYMBOL_WIDTH + 1 + 1;
    localparam integer SIG_W = (OBSERVED_W + 2) / 3;

    reg [1:0]       rst_sync_q = 2'b11;
    reg [CTL_W-1:0] ctl_q;

    always @(posedge clk) begin
        rst_sync_q <= {rst_sync_q[0], !rst_n};
        ctl_q <= {ctl_q[CTL_W-2:0], ctl_bit};
    end

    wire                    tbl_we;
    wire [W:0]              tbl_waddr;
    wire [ENTRY_W-1:0]      tbl_wdata;
    wire                    bank;
    wire [3:0]              table_log;
    wire                    clear;
    wire [31:0]             word;
    wire                    load_cur;
    wire                    load_nxt;
    wire                    step;
    wire                    step_init;
    assign {tbl_we, tbl_waddr, tbl_wdata, bank, table_log, clear, word, load_cur, load_nxt, step,
            step_init} = ctl_q;

    wire                    ready;
    wire                    word_done;
    wire [SYMBOL_WIDTH-1:0] symbol;
    wire                    state_zero;
    wire                    padding_zero;

    tans_lane #(.TABLE_LOG_MAX(TABLE_LOG_MAX), .SYMBOL_WIDTH(SYMBOL_WIDTH)) lane (
        .clk(clk), .rst(rst_sync_q[1]),
        .tbl_we(tbl_we), .tbl_waddr(tbl_waddr), .tbl_wdata(tbl_wdata),
        .bank(bank), .table_log(table_log), .clear(clear),
        .word(word), .load_cur(load_cur), .load_nxt(load_nxt),
        .step(step), .step_init(step_init),
        .ready(ready), .word_done(word_done), .symbol(symbol),
        .state_zero(state_zero), .padding_zero(padding_zero)
    );

    wire [3*SIG_W-1:0] observed = {{(3 * SIG_W - OBSERVED_W){1'b0}},
                                   ready, word_done, symbol, state_zero, padding_zero};

    reg [SIG_W-1:0]  sig_q;
    wire [SIG_W-1:0] sig_shifted = {sig_q[SIG_W-2:0], sig_q[SIG_W-1]};

    integer j;
    always @(posedge clk) begin
        for (j = 0; j < SIG_W; j = j + 1)
            sig_q[j] <= sig_shifted[j] ^ (^observed[3*j +: 3]);
    end

    assign signature = sig_q[SIG_W-1];

endmodule

`default_nettype wire

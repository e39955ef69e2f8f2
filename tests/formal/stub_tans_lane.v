// Stand-in for tans_lane in the decoder's proofs: same ports, every output
// free in every cycle, so the decoder's properties hold whatever lanes do.

`default_nettype none

module tans_lane #(
    parameter integer TABLE_LOG_MAX = 8,
    parameter integer SYMBOL_WIDTH = 8
) (
    input  wire                                     clk,
    input  wire                                     rst,
    input  wire                                     tbl_we,
    input  wire [TABLE_LOG_MAX:0]                   tbl_waddr,
    input  wire [SYMBOL_WIDTH+4+TABLE_LOG_MAX-1:0]  tbl_wdata,
    input  wire                                     bank,
    input  wire [3:0]                               table_log,
    input  wire                                     clear,
    input  wire [31:0]                              word,
    input  wire                                     load_cur,
    input  wire                                     load_nxt,
    input  wire                                     step,
    input  wire                                     step_init,
    output wire                                     ready,
    output wire                                     word_done,
    output wire [SYMBOL_WIDTH-1:0]                  symbol,
    output wire                                     state_zero,
    output wire                                     padding_zero
);
    (* anyseq *) reg ready_any;
    (* anyseq *) reg word_done_any;
    (* anyseq *) reg [SYMBOL_WIDTH-1:0] symbol_any;
    (* anyseq *) reg state_zero_any;
    (* anyseq *) reg padding_zero_any;
    assign ready = ready_any;
    assign word_done = word_done_any && step;  // a lane asks for a word only when it steps
    assign symbol = symbol_any;
    assign state_zero = state_zero_any;
    assign padding_zero = padding_zero_any;
endmodule

`default_nettype wire

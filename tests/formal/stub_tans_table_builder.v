// Stand-in for tans_table_builder in the decoder's proofs: same ports, every
// output free in every cycle, except that it pops only offered words.

`default_nettype none

module tans_table_builder #(
    parameter integer TABLE_LOG_MAX = 8,
    parameter integer SYMBOL_WIDTH = 8
) (
    input  wire                                     clk,
    input  wire                                     rst,
    input  wire                                     cancel,
    input  wire                                     start,
    input  wire [3:0]                               table_log,
    input  wire [7:0]                               first_symbol,
    input  wire [8:0]                               entries,
    input  wire [3:0]                               count_width,
    input  wire                                     bank,
    input  wire [31:0]                              in_word,
    input  wire                                     in_valid,
    output wire                                     in_pop,
    output wire                                     counts_done,
    output wire                                     counts_bad,
    output wire                                     counts_wide,
    output wire                                     done,
    output wire                                     busy,
    output wire                                     tbl_we,
    output wire [TABLE_LOG_MAX:0]                   tbl_waddr,
    output wire [SYMBOL_WIDTH+4+TABLE_LOG_MAX-1:0]  tbl_wdata
);
    (* anyseq *) reg pop_any, counts_done_any, counts_bad_any, counts_wide_any, done_any, busy_any;
    (* anyseq *) reg tbl_we_any;
    (* anyseq *) reg [TABLE_LOG_MAX:0] tbl_waddr_any;
    (* anyseq *) reg [SYMBOL_WIDTH+4+TABLE_LOG_MAX-1:0] tbl_wdata_any;
    assign in_pop = pop_any && in_valid;
    assign counts_done = counts_done_any;
    assign counts_bad = counts_bad_any;
    assign counts_wide = counts_wide_any;
    assign done = done_any;
    assign busy = busy_any;
    assign tbl_we = tbl_we_any;
    assign tbl_waddr = tbl_waddr_any;
    assign tbl_wdata = tbl_wdata_any;
endmodule

`default_nettype wire

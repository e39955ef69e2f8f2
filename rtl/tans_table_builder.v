// Builds a layer's decode table from its normalized counts (docs/format.md
// 2.1, docs/rtl.md 4.4) and writes it into one bank of every
// lane's table, while the lanes decode from the other bank.
//
//   phase 0  reads the S counts (LSB-first, COUNT_WIDTH bits each) from the
//            input words into the count RAM and checks them: one count or one
//            input word per cycle.  The input is then free for the payload.
//   phase 1  deals the symbols onto the states (the spread): 2 cycles per
//            coded symbol plus one per state.
//   phase 2  walks the states in order and writes each entry {symbol, nbits,
//            base}: one per cycle after a two-cycle pipeline fill.
//
// The decoder starts a table only when the target bank's previous layer has
// finished decoding, so phase 2 never waits for the bank.

`default_nettype none

module tans_table_builder #(
    parameter integer TABLE_LOG_MAX = 8,  // largest table log this decoder supports
    parameter integer SYMBOL_WIDTH = 8    // bits per symbol
) (
    input  wire                                     clk,
    input  wire                                     rst,
    input  wire                                     cancel,       // drop any table in progress

    // Start of a table; the configuration is latched.
    input  wire                                     start,
    input  wire [3:0]                               table_log,    // 5..TABLE_LOG_MAX
    input  wire [7:0]                               first_symbol,
    input  wire [8:0]                               entries,      // 1..256
    input  wire [3:0]                               count_width,  // 1..13
    input  wire                                     bank,

    // The count words, as the next input words.
    input  wire [31:0]                              in_word,
    input  wire                                     in_valid,
    output wire                                     in_pop,


    output wire                                     counts_done,  // phase 0 ends this cycle
    output wire                                     counts_bad,   // with counts_done: not a table
    output wire                                     counts_wide,  // with counts_done: symbols beyond SYMBOL_WIDTH
    output wire                                     done,         // last entry written this cycle
    output wire                                     busy,

    output wire                                     tbl_we,
    output wire [TABLE_LOG_MAX:0]                   tbl_waddr,
    output wire [SYMBOL_WIDTH+4+TABLE_LOG_MAX-1:0]  tbl_wdata
);

    localparam integer W = TABLE_LOG_MAX;
    localparam [9:0] SYMBOLS = 10'd1 << SYMBOL_WIDTH;

    // Parameter checks at elaboration.
    generate
        if (TABLE_LOG_MAX < 5 || TABLE_LOG_MAX > 8) begin : g_check_table_log_max
            $error("tans_table_builder: TABLE_LOG_MAX must be 5..8");
        end
        if (SYMBOL_WIDTH < 1 || SYMBOL_WIDTH > 8) begin : g_check_symbol_width
            $error("tans_table_builder: SYMBOL_WIDTH must be 1..8");
        end
    endgenerate


    localparam [2:0] S_IDLE = 3'd0, S_COUNTS = 3'd1, S_SPREAD_READ = 3'd2, S_SPREAD_LOAD = 3'd3,
                     S_SPREAD_WRITE = 3'd4, S_ENTRIES = 3'd5;

    reg [2:0]  phase_q;
    reg [3:0]  log_q;
    reg [7:0]  first_q;
    reg [8:0]  entries_q;
    reg [3:0]  width_q;
    reg        bank_q;

    // Count RAM: the count of each symbol, then (phase 2) its next x.
    reg [W:0]  count_ram [0:(1 << SYMBOL_WIDTH)-1];
    reg [W:0]  count_rdata_q;
    // Spread RAM: the symbol of each state.
    reg [SYMBOL_WIDTH-1:0] spread_ram [0:(1 << W)-1];
    reg [SYMBOL_WIDTH-1:0] spread_rdata_q;

    wire [W:0] states = {{W{1'b0}}, 1'b1} << log_q;  // R

    // ---- phase 0: counts ----------------------------------------------------
    reg [44:0] bits_q;       // unread count bits, the next one in bit 0
    reg [5:0]  nbits_q;      // how many
    reg [8:0]  index_q;      // counts read so far
    reg [20:0] sum_q;
    reg        bad_q;        // a count exceeds R
    reg        wide_q;       // a symbol beyond SYMBOL_WIDTH has a count

    wire [12:0] width_mask = ~(13'h1fff << width_q);
    wire [12:0] count = bits_q[12:0] & width_mask;
    wire        counts_all = index_q == entries_q;
    wire        need_word = !counts_all && nbits_q < {2'b00, width_q};
    wire [8:0]  count_symbol = {1'b0, first_q} + index_q;
    wire        count_in_range = {1'b0, count_symbol} < SYMBOLS;
    wire        take_count = phase_q == S_COUNTS && !counts_all && !need_word;

    assign in_pop = phase_q == S_COUNTS && need_word && in_valid;
    assign counts_done = phase_q == S_COUNTS && counts_all;
    assign counts_bad = bad_q || wide_q || bits_q != 45'd0 || sum_q != {{(20 - W){1'b0}}, states};
    assign counts_wide = wide_q;

    // ---- phase 1: spread ----------------------------------------------------
    reg [8:0]  symbol_q;     // symbol being dealt
    reg [W:0]  left_q;       // copies of it still to place
    reg [W-1:0] spread_pos_q;
    wire [W-1:0] step = states[W:1] + {2'b00, states[W:3]} + {{(W - 2){1'b0}}, 2'd3};
    // Symbols beyond SYMBOL_WIDTH have zero counts (phase 0 checks it): skip them.
    wire [9:0] coded_end = {2'b00, first_q} + {1'b0, entries_q};
    wire [8:0] symbols_end = coded_end > SYMBOLS ? SYMBOLS[8:0] : coded_end[8:0];
    wire [W-1:0] state_mask = states[W-1:0] - 1'b1;

    // ---- phase 2: entries, a three-stage pipeline ----------------------------
    reg [W:0]  issue_q;      // next state to read from the spread RAM
    reg        v1_q, v2_q, v3_q;
    reg [W-1:0] u1_q, u2_q;
    reg [SYMBOL_WIDTH-1:0] s2_q, s3_q;
    reg [W:0]  x3_q;         // x of the entry written last cycle

    // Consecutive states of one symbol: the count RAM has not seen the last
    // write yet, so take x from the previous entry.
    wire [W:0] x = (v3_q && s3_q == s2_q) ? x3_q + 1'b1 : count_rdata_q;
    reg  [3:0] x_log;        // floor(log2 x)
    integer b;
    always @* begin
        x_log = 4'd0;
        for (b = 0; b <= W; b = b + 1)
            if (x[b])
                x_log = b[3:0];
    end
    wire [3:0]  entry_nbits = log_q - x_log;
    wire [W-1:0] entry_base = (x[W-1:0] << entry_nbits) & state_mask;

    assign tbl_we = phase_q == S_ENTRIES && v2_q;
    assign tbl_waddr = {bank_q, u2_q};
    assign tbl_wdata = {s2_q, entry_nbits, entry_base};
    assign done = tbl_we && u2_q == state_mask;
    assign busy = phase_q != S_IDLE;

    // RAM ports.
    wire count_we = take_count ? count_in_range : tbl_we;
    wire [SYMBOL_WIDTH-1:0] count_waddr = take_count ? count_symbol[SYMBOL_WIDTH-1:0] : s2_q;
    wire [W:0] count_wdata = take_count ? count[W:0] : x + 1'b1;
    wire count_re = phase_q == S_SPREAD_READ || (phase_q == S_ENTRIES && v1_q);
    wire [SYMBOL_WIDTH-1:0] count_raddr = phase_q == S_SPREAD_READ ? symbol_q[SYMBOL_WIDTH-1:0]
                                                                    : spread_rdata_q;
    wire spread_we = phase_q == S_SPREAD_WRITE;
    wire spread_re = phase_q == S_ENTRIES && !issue_q[W] && issue_q[W-1:0] <= state_mask;

    always @(posedge clk) begin
        if (count_we)
            count_ram[count_waddr] <= count_wdata;
        if (count_re)
            count_rdata_q <= count_ram[count_raddr];
        if (spread_we)
            spread_ram[spread_pos_q] <= symbol_q[SYMBOL_WIDTH-1:0];
        if (spread_re)
            spread_rdata_q <= spread_ram[issue_q[W-1:0]];
    end

    always @(posedge clk) begin
        case (phase_q)
        S_IDLE: begin
            if (start) begin
                log_q <= table_log;
                first_q <= first_symbol;
                entries_q <= entries;
                width_q <= count_width;
                bank_q <= bank;
                bits_q <= 45'd0;
                nbits_q <= 6'd0;
                index_q <= 9'd0;
                sum_q <= 21'd0;
                bad_q <= 1'b0;
                wide_q <= 1'b0;
                phase_q <= S_COUNTS;
            end
        end
        S_COUNTS: begin
            if (in_pop) begin
                bits_q <= bits_q | ({13'd0, in_word} << nbits_q);
                nbits_q <= nbits_q + 6'd32;
            end
            if (take_count) begin
                bits_q <= bits_q >> width_q;
                nbits_q <= nbits_q - {2'b00, width_q};
                index_q <= index_q + 1'b1;
                sum_q <= sum_q + {8'd0, count};
                if (count > {{(12 - W){1'b0}}, states})
                    bad_q <= 1'b1;
                if (!count_in_range && count != 13'd0)
                    wide_q <= 1'b1;
            end
            if (counts_done) begin
                symbol_q <= {1'b0, first_q};
                spread_pos_q <= {W{1'b0}};
                issue_q <= {(W + 1){1'b0}};
                v1_q <= 1'b0;
                v2_q <= 1'b0;
                v3_q <= 1'b0;
                phase_q <= counts_bad ? S_IDLE : S_SPREAD_READ;
            end
        end
        S_SPREAD_READ:
            phase_q <= S_SPREAD_LOAD;
        S_SPREAD_LOAD: begin
            left_q <= count_rdata_q;
            if (count_rdata_q != {(W + 1){1'b0}}) begin
                phase_q <= S_SPREAD_WRITE;
            end else begin
                symbol_q <= symbol_q + 1'b1;
                phase_q <= symbol_q + 1'b1 >= symbols_end ? S_ENTRIES : S_SPREAD_READ;
            end
        end
        S_SPREAD_WRITE: begin
            spread_pos_q <= (spread_pos_q + step) & state_mask;
            left_q <= left_q - 1'b1;
            if (left_q == {{W{1'b0}}, 1'b1}) begin
                symbol_q <= symbol_q + 1'b1;
                phase_q <= symbol_q + 1'b1 >= symbols_end ? S_ENTRIES : S_SPREAD_READ;
            end
        end
        S_ENTRIES: begin
            v1_q <= spread_re;
            if (spread_re)
                issue_q <= issue_q + 1'b1;
            u1_q <= issue_q[W-1:0];
            v2_q <= v1_q;
            u2_q <= u1_q;
            s2_q <= spread_rdata_q;
            v3_q <= v2_q;
            s3_q <= s2_q;
            x3_q <= x;
            if (done)
                phase_q <= S_IDLE;
        end
        default:
            phase_q <= S_IDLE;
        endcase

        if (rst || cancel)
            phase_q <= S_IDLE;
    end

endmodule

`default_nettype wire

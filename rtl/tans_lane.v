// One decoding lane of the tANS decoder (docs/rtl.md 4.5, "Lanes").
//
// The lane holds its current and next payload word, the position of its next
// unread bit in the current word, a lookahead register with the next
// TABLE_LOG_MAX bits, and its state, which addresses its copy of the decode
// table.  One step per cycle: the table entry of the state read last cycle
// gives the symbol, nbits and base; the next state is base | (lookahead &
// mask(nbits)) (no adder: base is a multiple of 2^nbits) and goes straight to
// the block RAM address.  The bits after the lookahead are prepared from the
// registers, off that loop.  The table has two banks: one decodes while the
// table builder writes the other.

`default_nettype none

module tans_lane #(
    parameter integer TABLE_LOG_MAX = 8,  // largest table log: 2^TABLE_LOG_MAX states per bank
    parameter integer SYMBOL_WIDTH = 8    // bits per symbol
) (
    input  wire                                     clk,
    input  wire                                     rst,

    // Table entries from the builder: {symbol, nbits, base} at {bank, state}.
    input  wire                                     tbl_we,
    input  wire [TABLE_LOG_MAX:0]                   tbl_waddr,
    input  wire [SYMBOL_WIDTH+4+TABLE_LOG_MAX-1:0]  tbl_wdata,

    // The layer being decoded.
    input  wire                                     bank,
    input  wire [3:0]                               table_log,
    input  wire                                     clear,      // forget both words

    // Payload words: the prologue loads the current then the next word;
    // refills load the next word.
    input  wire [31:0]                              word,
    input  wire                                     load_cur,
    input  wire                                     load_nxt,

    // Steps.
    input  wire                                     step,       // step this cycle
    input  wire                                     step_init,  // the step reads the initial state
    output wire                                     ready,      // may step this cycle
    output wire                                     word_done,      // this step finishes the current word
    output wire [SYMBOL_WIDTH-1:0]                  symbol,     // symbol of the current state

    // End-of-layer checks (the padding check needs the next word loaded).
    output wire                                     state_zero,
    output wire                                     padding_zero
);

    localparam integer W = TABLE_LOG_MAX;
    localparam integer ENTRY_W = SYMBOL_WIDTH + 4 + W;
    // Without its next word the lane can step while the lookahead and the
    // bits after it (2W from pos_q) lie in the current word.
    localparam [5:0] POS_MAX_WITHOUT_NXT = 6'd32 - 6'd2 * W[5:0];

    // Parameter checks at elaboration.
    generate
        if (TABLE_LOG_MAX < 5 || TABLE_LOG_MAX > 8) begin : g_check_table_log_max
            $error("tans_lane: TABLE_LOG_MAX must be 5..8");
        end
        if (SYMBOL_WIDTH < 1 || SYMBOL_WIDTH > 8) begin : g_check_symbol_width
            $error("tans_lane: SYMBOL_WIDTH must be 1..8");
        end
    endgenerate


    reg [ENTRY_W-1:0] lut [0:(2 << W)-1];  // two banks of 2^W entries
    reg [ENTRY_W-1:0] entry_q;             // entry of state_q, read last step

    reg [31:0]  cur_q;
    reg [31:0]  nxt_q;
    reg         cur_valid_q;
    reg         nxt_valid_q;
    reg [4:0]   pos_q;                     // next unread bit of cur_q
    reg [W-1:0] lookahead_q;               // bits pos_q .. pos_q+W-1 of {nxt_q, cur_q}
    reg [W-1:0] state_q;

    wire [3:0]   entry_nbits = entry_q[W +: 4];
    wire [W-1:0] entry_base = entry_q[W-1:0];
    wire [3:0]   nbits = step_init ? table_log : entry_nbits;
    wire [W-1:0] base = step_init ? {W{1'b0}} : entry_base;
    wire [W-1:0] mask = ~({W{1'b1}} << nbits);
    wire [W-1:0] state_d = base | (lookahead_q & mask);

    wire [63:0]  window = {nxt_q, cur_q};
    wire [63:0]  from_pos = window >> pos_q;
    wire [W-1:0] ahead = from_pos[2*W-1:W];
    wire [3:0]   ahead_shift = W[3:0] - nbits;
    wire [W-1:0] lookahead_d = (lookahead_q >> nbits) | (ahead << ahead_shift);
    wire [5:0]   pos_sum = {1'b0, pos_q} + {2'b00, nbits};

    assign ready = cur_valid_q && (nxt_valid_q || {1'b0, pos_q} <= POS_MAX_WITHOUT_NXT);
    assign word_done = step && pos_sum[5];
    assign symbol = entry_q[W+4 +: SYMBOL_WIDTH];
    assign state_zero = state_q == {W{1'b0}};
    assign padding_zero = from_pos == 64'd0;

    always @(posedge clk) begin
        if (tbl_we)
            lut[tbl_waddr] <= tbl_wdata;
        if (step)
            entry_q <= lut[{bank, state_d}];
    end

    always @(posedge clk) begin
        if (step) begin
            state_q <= state_d;
            lookahead_q <= lookahead_d;
            pos_q <= pos_sum[4:0];
            if (pos_sum[5])
                cur_q <= nxt_q;
        end
        if (load_cur) begin
            cur_q <= word;
            lookahead_q <= word[W-1:0];
            pos_q <= 5'd0;
        end
        if (load_nxt)
            nxt_q <= word;

        if (rst || clear) begin
            cur_valid_q <= 1'b0;
            nxt_valid_q <= 1'b0;
        end else begin
            if (load_cur)
                cur_valid_q <= 1'b1;
            if (load_nxt)
                nxt_valid_q <= 1'b1;
            else if (word_done)
                nxt_valid_q <= 1'b0;
        end
    end

endmodule

`default_nettype wire

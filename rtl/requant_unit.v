// Requantization of a group of sums (docs/accel.md, "Arithmetic").
//
// Takes the LANES sums of a finished group and, one output every three
// cycles, adds the output's bias and either (hidden layer) requantizes it to
// an unsigned byte with ReLU,
//
//     y = clamp((v * MULT + 2^(SHIFT-1)) >> SHIFT, 0, 255)   (v * MULT when SHIFT = 0)
//
// with an arithmetic shift of the 48-bit product, or (last layer) passes the
// 32-bit sum on.  Outputs past OUT_FEATURES (padding rows) are dropped.

`default_nettype none

module requant_unit #(
    parameter integer LANES = 8,    // sums per group
    parameter integer OUT_LOG = 9   // largest OUT_FEATURES is 2^OUT_LOG
) (
    input  wire                  clk,
    input  wire                  rst,

    input  wire                  relu,          // hidden layer: requantize to a byte
    input  wire [15:0]           mult,
    input  wire [5:0]            shift,
    input  wire [OUT_LOG:0]      out_features,

    input  wire [LANES*32-1:0]   grp_acc,
    input  wire [OUT_LOG-1:0]    grp_base,
    input  wire                  grp_valid,
    output wire                  grp_ready,

    // Bias RAM: bias[bias_addr] is on bias_data the cycle after bias_re.
    output wire [OUT_LOG-1:0]    bias_addr,
    output wire                  bias_re,
    input  wire [31:0]           bias_data,

    // Results: a byte (relu) or a 32-bit sum for output out_addr.
    output reg                   out_we,
    output reg  [OUT_LOG-1:0]    out_addr,
    output reg  [31:0]           out_value,

    output wire                  idle
);

    localparam [1:0] S_IDLE = 2'd0, S_BIAS = 2'd1, S_MULTIPLY = 2'd2, S_WRITE = 2'd3;

    reg [1:0]             state_q;
    reg [LANES*32-1:0]    sums_q;       // the group's sums, the current one in [31:0]
    reg [OUT_LOG-1:0]     index_q;      // output being computed
    reg [4:0]             left_q;       // outputs of the group still to do
    reg signed [47:0]     product_q;
    reg signed [31:0]     value_q;      // sum plus bias

    assign grp_ready = state_q == S_IDLE;
    assign idle = state_q == S_IDLE && !grp_valid;
    assign bias_addr = index_q;
    assign bias_re = state_q == S_BIAS;

    // Outputs of a group that exist: min(LANES, out_features - base).
    wire [OUT_LOG:0] remaining = out_features - {1'b0, grp_base};
    wire [4:0] group_outputs = remaining >= LANES[OUT_LOG:0] ? LANES[4:0] : remaining[4:0];

    wire signed [31:0] value = $signed(sums_q[31:0]) + $signed(bias_data);
    wire signed [47:0] rounding = shift == 6'd0 ? 48'sd0 : 48'sd1 <<< (shift - 6'd1);
    wire signed [47:0] shifted = (product_q + rounding) >>> shift;
    wire [7:0] clamped = shifted < 48'sd0 ? 8'd0 : shifted > 48'sd255 ? 8'd255 : shifted[7:0];

    always @(posedge clk) begin
        out_we <= 1'b0;
        case (state_q)
        S_IDLE:
            if (grp_valid) begin
                sums_q <= grp_acc;
                index_q <= grp_base;
                left_q <= group_outputs;
                state_q <= S_BIAS;
            end
        S_BIAS:   // bias[index] is read this cycle
            state_q <= S_MULTIPLY;
        S_MULTIPLY: begin
            value_q <= value;
            product_q <= value * $signed({1'b0, mult});
            state_q <= S_WRITE;
        end
        default: begin  // S_WRITE
            out_we <= 1'b1;
            out_addr <= index_q;
            out_value <= relu ? {24'd0, clamped} : value_q;
            sums_q <= sums_q >> 32;
            index_q <= index_q + 1'b1;
            left_q <= left_q - 5'd1;
            state_q <= left_q == 5'd1 ? S_IDLE : S_BIAS;
        end
        endcase
        if (rst) begin
            state_q <= S_IDLE;
            out_we <= 1'b0;
        end
    end

endmodule

`default_nettype wire

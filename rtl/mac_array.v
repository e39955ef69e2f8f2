// The MAC array: LANES accumulators computing y = W x for one fully
// connected layer, one weight beat per cycle (docs/accel.md, "Weight order" and "Arithmetic").
//
// Weights arrive in tile order: for each group of LANES output rows, for each
// input column c, one beat holding w[group*LANES + k][c] in lane k.  Every
// lane multiplies its weight by the same activation x[c] (from the
// activation buffer, read one cycle ahead) and accumulates; after the
// group's last column the LANES sums go to the requantization unit.

`default_nettype none

module mac_array #(
    parameter integer LANES = 8,     // weights per beat = outputs per group; a power of two
    parameter integer IN_LOG = 10,   // largest IN_FEATURES is 2^IN_LOG
    parameter integer OUT_LOG = 9    // largest OUT_FEATURES is 2^OUT_LOG
) (
    input  wire                  clk,
    input  wire                  rst,

    // The layer, latched by the caller for the whole run.
    input  wire                  start,          // pulse: a layer begins
    input  wire [IN_LOG:0]       in_features,    // 1..2^IN_LOG
    input  wire [OUT_LOG:0]      out_features,   // 1..2^OUT_LOG
    input  wire                  compressed,     // beats hold symbols, else int8 weights
    input  wire [7:0]            zero_point,     // symbol of weight 0 (compressed)

    // Weight beats: lane k in bits [8k +: 8].
    input  wire [LANES*8-1:0]    w_data,
    input  wire                  w_valid,
    output wire                  w_ready,
    output wire                  beats_done,     // every beat of the layer taken
    output wire                  last_beat,      // the next beat taken is the layer's last

    // Activations: x[act_addr] is on act_data the cycle after act_re.
    output wire [IN_LOG-1:0]     act_addr,
    output wire                  act_re,
    input  wire [7:0]            act_data,

    // Sums of a finished group, first output index grp_base.
    output reg  [LANES*32-1:0]   grp_acc,
    output reg  [OUT_LOG-1:0]    grp_base,
    output reg                   grp_valid,
    input  wire                  grp_ready,

    output wire                  mac_active      // a beat is accumulated this cycle
);

    generate
        if (LANES != 1 && LANES != 2 && LANES != 4 && LANES != 8 && LANES != 16) begin : g_check_lanes
            $error("mac_array: LANES must be 1, 2, 4, 8 or 16");
        end
        if (IN_LOG < 4 || IN_LOG > 15 || OUT_LOG < 4 || OUT_LOG > 15) begin : g_check_logs
            $error("mac_array: IN_LOG and OUT_LOG must be 4..15");
        end
    endgenerate

    // Beat counters: column within the group, group, beats still expected.
    reg [IN_LOG-1:0]  col_q;
    reg [OUT_LOG-1:0] base_q;          // first output of the current group
    reg [31:0]        beats_left_q;

    // Stage B: the beat taken last cycle, waiting for its activation.
    reg [LANES*8-1:0] beat_q;
    reg               beat_valid_q;
    reg               beat_first_q;    // first column of its group
    reg               beat_last_q;     // last column of its group
    reg [OUT_LOG-1:0] beat_base_q;

    reg [31:0] acc_q [0:LANES-1];

    wire last_col = {1'b0, col_q} == in_features - 1'b1;
    // A finished group waits in grp_acc until the requantizer takes it; do not
    // start finishing another one meanwhile.
    wire group_slot_busy = (grp_valid && !grp_ready) || (beat_valid_q && beat_last_q);
    assign w_ready = beats_left_q != 32'd0 && !(last_col && group_slot_busy);
    wire take = w_valid && w_ready;
    assign beats_done = beats_left_q == 32'd0;
    assign last_beat = beats_left_q == 32'd1;
    assign act_addr = col_q;
    assign act_re = take;
    assign mac_active = beat_valid_q;

    // Beats of the layer: ceil(out / LANES) groups of in_features.
    localparam integer LANES_LOG = $clog2(LANES);
    wire [OUT_LOG:0] groups = (out_features + LANES[OUT_LOG:0] - 1'b1) >> LANES_LOG;
    wire [31:0] total_beats = {{(31 - OUT_LOG){1'b0}}, groups} * {{(31 - IN_LOG){1'b0}}, in_features};

    // Each lane: dequantize its weight, multiply by x, add to its sum.
    wire [31:0] lane_sum [0:LANES-1];
    genvar g;
    generate
        for (g = 0; g < LANES; g = g + 1) begin : g_lane
            wire [7:0] raw = beat_q[8*g +: 8];
            wire signed [8:0] weight = compressed ? $signed({1'b0, raw}) - $signed({1'b0, zero_point})
                                                  : $signed({raw[7], raw});
            wire signed [17:0] product = weight * $signed({1'b0, act_data});
            assign lane_sum[g] = (beat_first_q ? 32'd0 : acc_q[g]) + {{14{product[17]}}, product};
        end
    endgenerate

    integer k;
    always @(posedge clk) begin
        if (take) begin
            beat_q <= w_data;
            beat_first_q <= col_q == {IN_LOG{1'b0}};
            beat_last_q <= last_col;
            beat_base_q <= base_q;
            if (last_col) begin
                col_q <= {IN_LOG{1'b0}};
                base_q <= base_q + LANES[OUT_LOG-1:0];
            end else begin
                col_q <= col_q + 1'b1;
            end
            beats_left_q <= beats_left_q - 32'd1;
        end
        if (grp_valid && grp_ready)
            grp_valid <= 1'b0;
        if (beat_valid_q) begin
            for (k = 0; k < LANES; k = k + 1)
                acc_q[k] <= lane_sum[k];
            if (beat_last_q) begin
                for (k = 0; k < LANES; k = k + 1)
                    grp_acc[32*k +: 32] <= lane_sum[k];
                grp_valid <= 1'b1;
                grp_base <= beat_base_q;
            end
        end
        beat_valid_q <= take;

        if (rst || start) begin
            col_q <= {IN_LOG{1'b0}};
            base_q <= {OUT_LOG{1'b0}};
            beats_left_q <= total_beats;
            beat_valid_q <= 1'b0;
            grp_valid <= 1'b0;
        end
        if (rst)
            beats_left_q <= 32'd0;
    end

endmodule

`default_nettype wire

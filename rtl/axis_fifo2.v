// Two-entry FIFO between valid/ready interfaces.
//
// Both ready and valid come straight from registers, so the FIFO breaks
// every combinational path between its two sides (a skid buffer); it still
// passes one entry per cycle.  Data registers are not reset.

`default_nettype none

module axis_fifo2 #(
    parameter integer WIDTH = 32  // bits per entry
) (
    input  wire             clk,
    input  wire             rst,

    input  wire [WIDTH-1:0] s_data,
    input  wire             s_valid,
    output wire             s_ready,

    output wire [WIDTH-1:0] m_data,
    output wire             m_valid,
    input  wire             m_ready
);

    // Parameter checks at elaboration.
    generate
        if (WIDTH < 1) begin : g_check_width
            $error("axis_fifo2: WIDTH must be at least 1");
        end
    endgenerate


    reg [WIDTH-1:0] head_q;   // oldest entry, presented on m_data
    reg [WIDTH-1:0] tail_q;   // second entry when two are held
    reg [1:0]       count_q;  // 0, 1 or 2 entries

    wire push = s_valid && s_ready;
    wire pop = m_valid && m_ready;

    assign s_ready = count_q != 2'd2;
    assign m_valid = count_q != 2'd0;
    assign m_data = head_q;

    always @(posedge clk) begin
        if (pop && (count_q == 2'd2 || !push))
            head_q <= tail_q;
        if (push && (count_q == 2'd0 || (count_q == 2'd1 && pop)))
            head_q <= s_data;
        if (push && !(count_q == 2'd0 || (count_q == 2'd1 && pop)))
            tail_q <= s_data;

        if (rst)
            count_q <= 2'd0;
        else
            count_q <= count_q + {1'b0, push} - {1'b0, pop};
    end

`ifdef FORMAL
    // Proved by induction (tests/formal/prove.sh): the FIFO never holds more
    // than two entries, and a presented entry stays presented, unchanged,
    // until it is taken.
    reg             f_started_q = 1'b0;
    reg             f_past_rst_q;
    reg             f_past_stalled_q;
    reg [WIDTH-1:0] f_past_data_q;
    always @(posedge clk) begin
        f_started_q <= 1'b1;
        f_past_rst_q <= rst;
        f_past_stalled_q <= m_valid && !m_ready;
        f_past_data_q <= m_data;
    end
    always @* begin
        if (!f_started_q)
            assume(rst);
        if (f_started_q && !rst)
            assert(count_q != 2'd3);
        if (f_started_q && !f_past_rst_q && f_past_stalled_q) begin
            assert(m_valid);
            assert(m_data == f_past_data_q);
        end
    end
`endif

endmodule

`default_nettype wire

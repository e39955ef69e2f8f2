// AXI4 read master (32-bit addresses and data) that streams a range of DRAM
// out as 32-bit words.
//
// A command gives a word-aligned byte address and a length in bytes (a
// multiple of 4); the master splits it into INCR bursts of up to
// `burst_words` beats that never cross a 4 KiB boundary, keeps up to
// `outstanding` bursts in flight, and only issues a burst when its FIFO has
// room for every beat of it, so it never stalls the R channel.  Words leave
// on m_axis in address order, TLAST on the last one.
//
// `cancel` stops issuing bursts and drops the data of those in flight; the R
// channel is drained until nothing is outstanding (AXI gives no way to
// cancel a read), and then the master is idle.

`default_nettype none

module axi_read_master #(
    parameter integer FIFO_LOG = 6  // the word FIFO holds 2^FIFO_LOG words, 32..1024
) (
    input  wire                  clk,
    input  wire                  rst,

    // Command: read `cmd_bytes` bytes from `cmd_addr` (the low two bits of
    // both are ignored: word aligned).
    input  wire [31:0] cmd_addr,
    input  wire [31:0]           cmd_bytes,
    input  wire                  cmd_valid,
    output wire                  cmd_ready,
    input  wire [7:0]            burst_words,   // beats per burst, 1..16
    input  wire [3:0]            outstanding,   // bursts in flight, 1..15
    input  wire                  cancel,
    output wire                  busy,
    output reg                   rresp_error,   // an R beat came back with an error response

    // AXI4 read address and data channels (32-bit data, INCR bursts).
    output wire [31:0] m_axi_araddr,
    output wire [7:0]            m_axi_arlen,
    output wire [2:0]            m_axi_arsize,
    output wire [1:0]            m_axi_arburst,
    output wire                  m_axi_arvalid,
    input  wire                  m_axi_arready,
    input  wire [31:0]           m_axi_rdata,
    input  wire [1:0]            m_axi_rresp,
    input  wire                  m_axi_rlast,
    input  wire                  m_axi_rvalid,
    output wire                  m_axi_rready,

    // The words read.
    output wire [31:0]           m_axis_tdata,
    output wire                  m_axis_tlast,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready
);

    localparam integer DEPTH = 1 << FIFO_LOG;

    generate
        if (FIFO_LOG < 5 || FIFO_LOG > 10) begin : g_check_fifo_log
            $error("axi_read_master: FIFO_LOG must be 5..10 (32 to 1024 words)");
        end
    endgenerate

    // ---- command state ------------------------------------------------------
    reg                  active_q;        // a command is being issued
    reg [31:0] next_addr_q;     // next burst's address
    reg [29:0]           words_left_q;    // words not yet requested
    reg [29:0]           words_to_send_q; // words not yet sent on m_axis
    reg [3:0]            inflight_q;      // bursts requested, not yet complete
    reg [FIFO_LOG:0]     reserved_q;      // FIFO places promised to bursts in flight
    reg                  aborting_q;

    // Burst length: burst_words, cut at the command's end and at 4 KiB.
    wire [10:0] to_4k = 11'd1024 - {1'b0, next_addr_q[11:2]};
    wire [29:0] limit = {22'd0, burst_words == 8'd0 ? 8'd1 : (burst_words > 8'd16 ? 8'd16
                                                                                  : burst_words)};
    wire [29:0] len_a = words_left_q < limit ? words_left_q : limit;
    wire [29:0] burst_len = len_a < {19'd0, to_4k} ? len_a : {19'd0, to_4k};

    wire [FIFO_LOG:0] fifo_count;
    localparam [FIFO_LOG+1:0] DEPTH_W = DEPTH[FIFO_LOG+1:0];
    wire [FIFO_LOG+1:0] promised = {1'b0, reserved_q} + {1'b0, fifo_count} +
                                   {1'b0, burst_len[FIFO_LOG:0]};
    wire fifo_room = promised <= DEPTH_W;
    wire [3:0] max_inflight = outstanding == 4'd0 ? 4'd1 : outstanding;

    assign m_axi_arvalid = active_q && !aborting_q && words_left_q != 30'd0 &&
                           inflight_q < max_inflight && fifo_room;
    assign m_axi_araddr = next_addr_q;
    assign m_axi_arlen = burst_len[7:0] - 8'd1;
    assign m_axi_arsize = 3'd2;   // 4 bytes per beat
    assign m_axi_arburst = 2'b01; // INCR
    assign m_axi_rready = 1'b1;   // room was reserved when the burst was issued

    wire ar_fire = m_axi_arvalid && m_axi_arready;
    wire r_fire = m_axi_rvalid && m_axi_rready;
    wire r_keep = r_fire && !aborting_q;
    wire [3:0] unused_low_bits = {cmd_addr[1:0], cmd_bytes[1:0]};
    wire       unused_rresp_bit = m_axi_rresp[0];  // OKAY and EXOKAY are both fine

    assign cmd_ready = !active_q && !aborting_q;
    assign busy = active_q || aborting_q || inflight_q != 4'd0;

    // ---- word FIFO ------------------------------------------------------------
    reg [31:0]         fifo_mem [0:DEPTH-1];
    reg [FIFO_LOG-1:0] wr_ptr_q, rd_ptr_q;
    reg [FIFO_LOG:0]   count_q;
    reg [31:0]         out_data_q;   // the head word, registered
    reg                out_valid_q;
    wire out_take = out_valid_q && m_axis_tready;
    wire fifo_pop = count_q != 0 && (!out_valid_q || out_take);
    assign fifo_count = count_q + {{FIFO_LOG{1'b0}}, out_valid_q};
    assign m_axis_tdata = out_data_q;
    assign m_axis_tvalid = out_valid_q;
    assign m_axis_tlast = words_to_send_q == 30'd1;

    always @(posedge clk) begin
        if (r_keep)
            fifo_mem[wr_ptr_q] <= m_axi_rdata;
        if (fifo_pop)
            out_data_q <= fifo_mem[rd_ptr_q];
    end

    always @(posedge clk) begin
        if (r_keep)
            wr_ptr_q <= wr_ptr_q + 1'b1;
        if (fifo_pop)
            rd_ptr_q <= rd_ptr_q + 1'b1;
        count_q <= count_q + {{FIFO_LOG{1'b0}}, r_keep} - {{FIFO_LOG{1'b0}}, fifo_pop};
        if (fifo_pop)
            out_valid_q <= 1'b1;
        else if (out_take)
            out_valid_q <= 1'b0;
        if (out_take)
            words_to_send_q <= words_to_send_q - 30'd1;

        // Reservations: a burst reserves its beats; each beat kept releases one.
        reserved_q <= reserved_q + (ar_fire ? burst_len[FIFO_LOG:0] : {(FIFO_LOG + 1){1'b0}}) -
                      {{FIFO_LOG{1'b0}}, r_keep};
        inflight_q <= inflight_q + {3'd0, ar_fire} - {3'd0, r_fire && m_axi_rlast};
        if (r_fire && m_axi_rresp[1])
            rresp_error <= 1'b1;

        if (cmd_valid && cmd_ready) begin
            active_q <= cmd_bytes[31:2] != 30'd0;
            next_addr_q <= {cmd_addr[31:2], 2'b00};
            words_left_q <= cmd_bytes[31:2];
            words_to_send_q <= cmd_bytes[31:2];
            rresp_error <= 1'b0;
        end
        if (ar_fire) begin
            next_addr_q <= next_addr_q + {burst_len, 2'b00};
            words_left_q <= words_left_q - burst_len;
        end
        if (active_q && words_to_send_q == 30'd1 && out_take)
            active_q <= 1'b0;

        if (cancel) begin
            aborting_q <= 1'b1;
            active_q <= 1'b0;
        end
        if (aborting_q) begin
            count_q <= {(FIFO_LOG + 1){1'b0}};
            out_valid_q <= 1'b0;
            reserved_q <= {(FIFO_LOG + 1){1'b0}};
            if (inflight_q == 4'd0 || (inflight_q == 4'd1 && r_fire && m_axi_rlast))
                aborting_q <= 1'b0;
        end
        if (rst) begin
            active_q <= 1'b0;
            aborting_q <= 1'b0;
            inflight_q <= 4'd0;
            reserved_q <= {(FIFO_LOG + 1){1'b0}};
            count_q <= {(FIFO_LOG + 1){1'b0}};
            out_valid_q <= 1'b0;
            wr_ptr_q <= {FIFO_LOG{1'b0}};
            rd_ptr_q <= {FIFO_LOG{1'b0}};
            rresp_error <= 1'b0;
        end
    end

endmodule

`default_nettype wire

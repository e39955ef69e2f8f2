// The accelerator: one fully connected layer per run (docs/accel.md).
//
// A driver writes a layer descriptor into the registers (refmodel/lib/common/
// accel_regs.h) and starts a run.  The read master fetches the layer's input
// activations (optionally), its biases, then its weights; compressed weights
// go through the tANS decoder, raw int8 weights through a word-to-beat
// unpacker; the MAC array computes y = W x on LANES outputs at a time and the
// requantizer writes bytes (hidden layer, ReLU) to the other half of the
// activation buffer, or int32 sums (last layer) where the biases were.

`default_nettype none

module wc_accel #(
    parameter integer LANES = 8,          // weights per cycle: 4, 8 or 16
    parameter integer TABLE_LOG_MAX = 8,  // largest tANS table log, 5..8
    parameter integer SYMBOL_WIDTH = 8,   // bits per weight symbol, 1..8
    parameter integer IN_LOG = 10,        // largest IN_FEATURES is 2^IN_LOG
    parameter integer OUT_LOG = 9,        // largest OUT_FEATURES is 2^OUT_LOG, <= 2^IN_LOG
    parameter integer FIFO_LOG = 6,       // read master FIFO of 2^FIFO_LOG words
    parameter integer REQUEST_QUEUE = 4   // the decoder's refill request queue
) (
    input  wire        clk,
    input  wire        rst,

    // Registers.
    input  wire [7:0]  s_axil_awaddr,
    input  wire        s_axil_awvalid,
    output wire        s_axil_awready,
    input  wire [31:0] s_axil_wdata,
    input  wire [3:0]  s_axil_wstrb,
    input  wire        s_axil_wvalid,
    output wire        s_axil_wready,
    output wire [1:0]  s_axil_bresp,
    output wire        s_axil_bvalid,
    input  wire        s_axil_bready,
    input  wire [7:0]  s_axil_araddr,
    input  wire        s_axil_arvalid,
    output wire        s_axil_arready,
    output wire [31:0] s_axil_rdata,
    output wire [1:0]  s_axil_rresp,
    output wire        s_axil_rvalid,
    input  wire        s_axil_rready,

    // DRAM reads.
    output wire [31:0] m_axi_araddr,
    output wire [7:0]  m_axi_arlen,
    output wire [2:0]  m_axi_arsize,
    output wire [1:0]  m_axi_arburst,
    output wire        m_axi_arvalid,
    input  wire        m_axi_arready,
    input  wire [31:0] m_axi_rdata,
    input  wire [1:0]  m_axi_rresp,
    input  wire        m_axi_rlast,
    input  wire        m_axi_rvalid,
    output wire        m_axi_rready,

    output wire        irq                // a run is done and IRQ_ENABLE is set
);

`include "accel_regs.vh"

    localparam integer SW = SYMBOL_WIDTH;
    localparam integer ACT_WORDS_LOG = IN_LOG - 1;  // two halves of 2^IN_LOG bytes, 4 per word

    generate
        if (LANES != 4 && LANES != 8 && LANES != 16) begin : g_check_lanes
            $error("wc_accel: LANES must be 4, 8 or 16");
        end
        if (IN_LOG < 4 || IN_LOG > 15 || OUT_LOG < 4 || OUT_LOG > IN_LOG) begin : g_check_sizes
            $error("wc_accel: need 4 <= OUT_LOG <= IN_LOG <= 15");
        end
    endgenerate

    // ---- registers ------------------------------------------------------------
    wire        reg_we;
    wire [7:0]  reg_waddr;
    wire [31:0] reg_wdata;
    wire        reg_re;
    wire [7:0]  reg_raddr;
    wire [3:0]  unused_wstrb;  // registers are written whole
    reg  [31:0] reg_rdata;

    axil_slave #(.ADDR_WIDTH(8)) regs (
        .clk(clk), .rst(rst),
        .s_axil_awaddr(s_axil_awaddr), .s_axil_awvalid(s_axil_awvalid),
        .s_axil_awready(s_axil_awready), .s_axil_wdata(s_axil_wdata),
        .s_axil_wstrb(s_axil_wstrb), .s_axil_wvalid(s_axil_wvalid),
        .s_axil_wready(s_axil_wready), .s_axil_bresp(s_axil_bresp),
        .s_axil_bvalid(s_axil_bvalid), .s_axil_bready(s_axil_bready),
        .s_axil_araddr(s_axil_araddr), .s_axil_arvalid(s_axil_arvalid),
        .s_axil_arready(s_axil_arready), .s_axil_rdata(s_axil_rdata),
        .s_axil_rresp(s_axil_rresp), .s_axil_rvalid(s_axil_rvalid),
        .s_axil_rready(s_axil_rready),
        .reg_we(reg_we), .reg_waddr(reg_waddr), .reg_wdata(reg_wdata), .reg_wstrb(unused_wstrb),
        .reg_re(reg_re), .reg_raddr(reg_raddr), .reg_rdata(reg_rdata)
    );

    reg [31:0] weight_addr_q, weight_bytes_q, head_bytes_q, bias_addr_q, act_addr_q;
    reg [31:0] shape_q, layer_q, requant_q, dram_q;
    reg        irq_enable_q;
    reg        done_q, error_q;
    reg [4:0]  error_code_q;
    reg [31:0] cycles_q, dram_bytes_q, mac_cycles_q;
    reg [OUT_LOG-1:0] out_index_q;
    wire       busy;

    wire [IN_LOG:0]  in_features = shape_q[IN_LOG:0];
    wire [OUT_LOG:0] out_features = shape_q[16 +: OUT_LOG + 1];
    wire compressed = (layer_q & ACCEL_LAYER_COMPRESSED) != 32'd0;
    wire relu = (layer_q & ACCEL_LAYER_RELU) != 32'd0;
    wire input_dram = (layer_q & ACCEL_LAYER_INPUT_DRAM) != 32'd0;
    wire input_half = (layer_q & ACCEL_LAYER_INPUT_HALF) != 32'd0;
    wire [7:0] zero_point = layer_q[ACCEL_LAYER_ZERO_POINT_SHIFT +: 8];

    wire wr_ctrl = reg_we && reg_waddr == ACCEL_REG_CTRL[7:0];
    wire start = wr_ctrl && (reg_wdata & ACCEL_CTRL_START) != 32'd0 && !busy;
    wire soft_reset = wr_ctrl && (reg_wdata & ACCEL_CTRL_SOFT_RESET) != 32'd0;
    wire shape_ok = shape_q[15:0] != 16'd0 && shape_q[15:0] <= (16'd1 << IN_LOG) &&
                    shape_q[31:16] != 16'd0 && shape_q[31:16] <= (16'd1 << OUT_LOG);

    // ---- sequencer --------------------------------------------------------------
    // HEAD reads a compressed layer's headers and table first, so that the
    // decoder builds its table while the input and biases are fetched.
    localparam [2:0] S_IDLE = 3'd0, S_HEAD = 3'd1, S_ACT = 3'd2, S_BIAS = 3'd3, S_WEIGHTS = 3'd4,
                     S_FINISH = 3'd5;

    reg [2:0]  seq_q;
    reg        cmd_pending_q;           // the phase's read command is not yet accepted
    reg [31:0] phase_word_q;            // words of the phase received
    reg        count_error_q;           // weights ended before or after the layer's
    reg        dec_rst_q;

    wire [31:0] act_bytes = ({{(31 - IN_LOG){1'b0}}, in_features} + 32'd3) & ~32'd3;
    wire has_head = compressed && head_bytes_q != 32'd0 && head_bytes_q < weight_bytes_q;
    wire [31:0] head_skip = has_head ? {head_bytes_q[31:2], 2'b00} : 32'd0;
    wire [31:0] phase_addr = seq_q == S_ACT ? act_addr_q :
                             seq_q == S_BIAS ? bias_addr_q :
                             seq_q == S_HEAD ? weight_addr_q : weight_addr_q + head_skip;
    wire [31:0] phase_bytes = seq_q == S_ACT ? act_bytes :
                              seq_q == S_BIAS ? {{(29 - OUT_LOG){1'b0}}, out_features, 2'b00} :
                              seq_q == S_HEAD ? head_skip : weight_bytes_q - head_skip;

    wire        rm_cmd_ready;
    wire        rm_busy;
    wire        rm_rresp_error;
    wire [31:0] rm_word;
    wire        rm_last;
    wire        rm_valid;
    reg         rm_ready;

    axi_read_master #(.FIFO_LOG(FIFO_LOG)) reader (
        .clk(clk), .rst(rst),
        .cmd_addr(phase_addr), .cmd_bytes(phase_bytes), .cmd_valid(cmd_pending_q),
        .cmd_ready(rm_cmd_ready), .burst_words(dram_q[7:0]),
        .outstanding(dram_q[ACCEL_DRAM_OUTSTANDING_SHIFT +: 4]), .cancel(soft_reset),
        .busy(rm_busy), .rresp_error(rm_rresp_error),
        .m_axi_araddr(m_axi_araddr), .m_axi_arlen(m_axi_arlen), .m_axi_arsize(m_axi_arsize),
        .m_axi_arburst(m_axi_arburst), .m_axi_arvalid(m_axi_arvalid),
        .m_axi_arready(m_axi_arready), .m_axi_rdata(m_axi_rdata), .m_axi_rresp(m_axi_rresp),
        .m_axi_rlast(m_axi_rlast), .m_axi_rvalid(m_axi_rvalid), .m_axi_rready(m_axi_rready),
        .m_axis_tdata(rm_word), .m_axis_tlast(rm_last), .m_axis_tvalid(rm_valid),
        .m_axis_tready(rm_ready)
    );

    // ---- weight beats: decoder (compressed) or unpacker (raw) -----------------------
    wire [LANES*SW-1:0] dec_data;
    wire [LANES-1:0]    dec_keep;
    wire                dec_last;
    wire                dec_valid;
    reg                 dec_ready;
    wire                dec_busy;
    wire                dec_error;
    wire [3:0]          dec_error_code;
    wire                dec_s_ready;
    wire                feeding_decoder = compressed && (seq_q == S_HEAD || seq_q == S_WEIGHTS);
    // The run's outcome is read from the decoder's sticky error; the rest of
    // its status is not needed here.
    wire                unused_dec_layer_done;
    wire [3:0]          unused_dec_layer_error;
    wire                unused_dec_stream_done;
    wire [31:0]         unused_dec_symbols;
    wire [LANES-1:0]    unused_dec_keep = dec_keep;  // layers are whole beats (tile order)

    tans_decoder #(.LANES(LANES), .TABLE_LOG_MAX(TABLE_LOG_MAX), .SYMBOL_WIDTH(SW),
                   .REQUEST_QUEUE(REQUEST_QUEUE)) decoder (
        .clk(clk), .rst(dec_rst_q),
        .s_axis_tdata(rm_word), .s_axis_tvalid(rm_valid && feeding_decoder),
        .s_axis_tready(dec_s_ready), .s_axis_tlast(rm_last && seq_q == S_WEIGHTS),
        .m_axis_tdata(dec_data), .m_axis_tkeep(dec_keep), .m_axis_tlast(dec_last),
        .m_axis_tvalid(dec_valid), .m_axis_tready(dec_ready),
        .status_busy(dec_busy), .status_layer_done(unused_dec_layer_done),
        .status_layer_error(unused_dec_layer_error), .status_stream_done(unused_dec_stream_done),
        .status_symbols(unused_dec_symbols), .status_error(dec_error),
        .status_error_code(dec_error_code)
    );

    // Raw beats: LANES / 4 words, byte j of word w is lane 4w + j.
    localparam integer WORDS_PER_BEAT = LANES / 4;
    reg [LANES*8-1:0] raw_beat_q;
    reg [2:0]         raw_words_q;      // words collected in raw_beat_q
    wire raw_full = raw_words_q == WORDS_PER_BEAT[2:0];
    // A full beat taken by the MACs frees its words in the same cycle, so the
    // next beat's first word goes to slot 0 without a bubble.
    wire [2:0] raw_slot = raw_full ? 3'd0 : raw_words_q;

    // Symbols widened to bytes.
    reg [LANES*8-1:0] dec_bytes;
    integer k;
    always @* begin
        dec_bytes = {(LANES * 8){1'b0}};
        for (k = 0; k < LANES; k = k + 1)
            dec_bytes[8*k +: SW] = dec_data[SW*k +: SW];
    end

    // ---- MAC array and requantizer ----------------------------------------------
    wire [IN_LOG-1:0]  mac_act_addr;
    wire               mac_act_re;
    wire [7:0]         act_byte;
    wire [LANES*32-1:0] grp_acc;
    wire [OUT_LOG-1:0] grp_base;
    wire               grp_valid;
    wire               grp_ready;
    wire               mac_w_ready;
    wire               beats_done;
    wire               last_beat;
    wire               mac_active;
    wire               mac_start = start;

    wire beat_valid = compressed ? dec_valid : raw_full;
    wire [LANES*8-1:0] beat_data = compressed ? dec_bytes : raw_beat_q;
    // Beats after the layer's last are drained (and counted as an error).
    wire beat_take = seq_q == S_WEIGHTS && beat_valid && (beats_done || mac_w_ready);

    mac_array #(.LANES(LANES), .IN_LOG(IN_LOG), .OUT_LOG(OUT_LOG)) macs (
        .clk(clk), .rst(rst || soft_reset), .start(mac_start),
        .in_features(in_features), .out_features(out_features), .compressed(compressed),
        .zero_point(zero_point),
        .w_data(beat_data), .w_valid(beat_valid && seq_q == S_WEIGHTS), .w_ready(mac_w_ready),
        .beats_done(beats_done), .last_beat(last_beat),
        .act_addr(mac_act_addr), .act_re(mac_act_re), .act_data(act_byte),
        .grp_acc(grp_acc), .grp_base(grp_base), .grp_valid(grp_valid), .grp_ready(grp_ready),
        .mac_active(mac_active)
    );

    wire [OUT_LOG-1:0] bias_raddr;
    wire               bias_re;
    reg  [31:0]        bias_rdata;
    wire               rq_we;
    wire [OUT_LOG-1:0] rq_addr;
    wire [31:0]        rq_value;
    wire               rq_idle;

    requant_unit #(.LANES(LANES), .OUT_LOG(OUT_LOG)) requant (
        .clk(clk), .rst(rst || soft_reset), .relu(relu), .mult(requant_q[15:0]),
        .shift(requant_q[ACCEL_REQUANT_SHIFT_SHIFT +: 6]), .out_features(out_features),
        .grp_acc(grp_acc), .grp_base(grp_base), .grp_valid(grp_valid), .grp_ready(grp_ready),
        .bias_addr(bias_raddr), .bias_re(bias_re), .bias_data(bias_rdata),
        .out_we(rq_we), .out_addr(rq_addr), .out_value(rq_value), .idle(rq_idle)
    );

    // ---- memories -----------------------------------------------------------------
    // Activations: two halves of 2^IN_LOG bytes, as 32-bit words.
    reg [31:0] act_mem [0:(1 << ACT_WORDS_LOG)-1];
    reg [31:0] act_rword;
    reg [1:0]  act_rbyte_q;
    reg [ACT_WORDS_LOG-1:0] act_waddr;
    reg [31:0] act_wdata;
    reg [3:0]  act_wmask;
    reg        act_we;
    // Reads: the MAC's column while a run is busy, else the output reader.
    wire [IN_LOG:0] act_read_byte = busy ? {input_half, mac_act_addr}
                                         : {!input_half, {(IN_LOG - OUT_LOG){1'b0}}, out_index_q};
    assign act_byte = act_rword[8*act_rbyte_q +: 8];

    // Biases, then (last layer) the results.
    reg [31:0] bias_mem [0:(1 << OUT_LOG)-1];
    wire [OUT_LOG-1:0] bias_read_addr = busy ? bias_raddr : out_index_q;

    wire in_word = rm_valid && rm_ready;

    always @* begin
        act_we = 1'b0;
        act_waddr = {ACT_WORDS_LOG{1'b0}};
        act_wdata = 32'd0;
        act_wmask = 4'd0;
        if (seq_q == S_ACT && in_word) begin
            act_we = 1'b1;
            act_waddr = {input_half, phase_word_q[ACT_WORDS_LOG-2:0]};
            act_wdata = rm_word;
            act_wmask = 4'hF;
        end else if (rq_we && relu) begin
            act_we = 1'b1;
            act_waddr = {!input_half, {(IN_LOG - OUT_LOG){1'b0}}, rq_addr[OUT_LOG-1:2]};
            act_wdata = {4{rq_value[7:0]}};
            act_wmask = 4'b0001 << rq_addr[1:0];
        end
    end

    always @(posedge clk) begin
        if (act_we) begin
            if (act_wmask[0]) act_mem[act_waddr][7:0] <= act_wdata[7:0];
            if (act_wmask[1]) act_mem[act_waddr][15:8] <= act_wdata[15:8];
            if (act_wmask[2]) act_mem[act_waddr][23:16] <= act_wdata[23:16];
            if (act_wmask[3]) act_mem[act_waddr][31:24] <= act_wdata[31:24];
        end
        if (!busy || mac_act_re) begin
            act_rword <= act_mem[act_read_byte[IN_LOG:2]];
            act_rbyte_q <= act_read_byte[1:0];
        end

        if (seq_q == S_BIAS && in_word)
            bias_mem[phase_word_q[OUT_LOG-1:0]] <= rm_word;
        else if (rq_we && !relu)
            bias_mem[rq_addr] <= rq_value;
        if (!busy || bias_re)
            bias_rdata <= bias_mem[bias_read_addr];
    end

    // ---- word routing ---------------------------------------------------------------
    always @* begin
        case (seq_q)
        S_ACT, S_BIAS: rm_ready = 1'b1;
        S_HEAD:        rm_ready = dec_s_ready;
        S_WEIGHTS:     rm_ready = compressed ? dec_s_ready : !raw_full || beat_take;
        default:       rm_ready = 1'b0;
        endcase
        dec_ready = seq_q == S_WEIGHTS && (beats_done || mac_w_ready);
    end

    // The layer is over once every beat is in the MACs, the requantizer is
    // done, and the weight source has nothing left.
    wire source_done = compressed ? !dec_busy && !dec_valid
                                  : !rm_busy && !rm_valid && raw_words_q == 3'd0;
    wire weights_over = seq_q == S_WEIGHTS && !cmd_pending_q && beats_done && rq_idle &&
                        !grp_valid && !mac_active && source_done;
    // Raw weights that run out before the beats do.
    wire raw_short = seq_q == S_WEIGHTS && !compressed && !cmd_pending_q && !beats_done &&
                     !rm_busy && !rm_valid && !raw_full;
    // A compressed layer that ends (or fails) before its beats do: every word
    // is in the decoder and it has gone idle.
    wire dec_short = seq_q == S_WEIGHTS && compressed && !cmd_pending_q && !beats_done &&
                     !rm_busy && !rm_valid && !dec_busy && !dec_valid;

    always @(posedge clk) begin
        dec_rst_q <= rst || start || soft_reset;
        if (rm_cmd_ready && cmd_pending_q)
            cmd_pending_q <= 1'b0;
        if (in_word)
            phase_word_q <= phase_word_q + 32'd1;

        // Raw unpacking.
        if (!compressed && beat_take)
            raw_words_q <= 3'd0;
        if (seq_q == S_WEIGHTS && !compressed && in_word) begin
            raw_beat_q[32*raw_slot +: 32] <= rm_word;
            raw_words_q <= raw_slot + 3'd1;
        end

        // Weight count checks.
        if (beat_take && beats_done)
            count_error_q <= 1'b1;
        if (beat_take && compressed && dec_last && !beats_done && !last_beat)
            count_error_q <= 1'b1;  // the decoder's last beat must be the layer's last
        if (raw_short || dec_short)
            count_error_q <= 1'b1;

        case (seq_q)
        S_IDLE:
            if (start) begin
                phase_word_q <= 32'd0;
                count_error_q <= 1'b0;
                raw_words_q <= 3'd0;
                cmd_pending_q <= shape_ok;
                seq_q <= !shape_ok ? S_FINISH : has_head ? S_HEAD : input_dram ? S_ACT : S_BIAS;
            end
        S_HEAD:
            if (in_word && rm_last) begin
                phase_word_q <= 32'd0;
                cmd_pending_q <= 1'b1;
                seq_q <= input_dram ? S_ACT : S_BIAS;
            end
        S_ACT:
            if (in_word && rm_last) begin
                phase_word_q <= 32'd0;
                cmd_pending_q <= 1'b1;
                seq_q <= S_BIAS;
            end
        S_BIAS:
            if (in_word && rm_last) begin
                phase_word_q <= 32'd0;
                cmd_pending_q <= 1'b1;
                seq_q <= S_WEIGHTS;
            end
        S_WEIGHTS:
            if (weights_over || raw_short || dec_short)
                seq_q <= S_FINISH;
        default:  // S_FINISH
            seq_q <= S_IDLE;
        endcase

        if (rst || soft_reset) begin
            seq_q <= S_IDLE;
            cmd_pending_q <= 1'b0;
            raw_words_q <= 3'd0;
        end
    end

    assign busy = seq_q != S_IDLE || rm_busy;

    // ---- status, counters, interrupt -------------------------------------------------
    wire finishing = seq_q == S_FINISH;
    wire [4:0] finish_code = !shape_ok ? ACCEL_ERR_SHAPE[4:0] :
                             rm_rresp_error ? ACCEL_ERR_DRAM[4:0] :
                             dec_error ? {1'b0, dec_error_code} :
                             count_error_q ? ACCEL_ERR_WEIGHT_COUNT[4:0] : 5'd0;

    always @(posedge clk) begin
        if (start) begin
            done_q <= 1'b0;
            error_q <= 1'b0;
            error_code_q <= 5'd0;
            cycles_q <= 32'd0;
            dram_bytes_q <= 32'd0;
            mac_cycles_q <= 32'd0;
        end else if (seq_q != S_IDLE) begin
            cycles_q <= cycles_q + 32'd1;
        end
        if (m_axi_rvalid && m_axi_rready)
            dram_bytes_q <= dram_bytes_q + 32'd4;
        if (mac_active)
            mac_cycles_q <= mac_cycles_q + 32'd1;
        if (finishing) begin
            done_q <= 1'b1;
            error_q <= finish_code != 5'd0;
            error_code_q <= finish_code;
        end

        // Register writes.
        if (reg_we) begin
            case (reg_waddr)
            ACCEL_REG_WEIGHT_ADDR[7:0]: weight_addr_q <= reg_wdata;
            ACCEL_REG_WEIGHT_BYTES[7:0]: weight_bytes_q <= reg_wdata;
            ACCEL_REG_HEAD_BYTES[7:0]: head_bytes_q <= reg_wdata;
            ACCEL_REG_BIAS_ADDR[7:0]: bias_addr_q <= reg_wdata;
            ACCEL_REG_ACT_ADDR[7:0]: act_addr_q <= reg_wdata;
            ACCEL_REG_SHAPE[7:0]: if (!busy) shape_q <= reg_wdata;
            ACCEL_REG_LAYER[7:0]: if (!busy) layer_q <= reg_wdata;
            ACCEL_REG_REQUANT[7:0]: if (!busy) requant_q <= reg_wdata;
            ACCEL_REG_DRAM[7:0]: dram_q <= reg_wdata;
            ACCEL_REG_OUT_INDEX[7:0]: out_index_q <= reg_wdata[OUT_LOG-1:0];
            ACCEL_REG_CTRL[7:0]: begin
                irq_enable_q <= (reg_wdata & ACCEL_CTRL_IRQ_ENABLE) != 32'd0;
                if ((reg_wdata & ACCEL_CTRL_IRQ_CLEAR) != 32'd0)
                    done_q <= 1'b0;
            end
            default: ;
            endcase
        end
        if (reg_re && reg_raddr == ACCEL_REG_OUT_DATA[7:0])
            out_index_q <= out_index_q + 1'b1;

        if (rst || soft_reset) begin
            done_q <= 1'b0;
            error_q <= 1'b0;
            error_code_q <= 5'd0;
        end
        if (rst) begin
            irq_enable_q <= 1'b0;
            head_bytes_q <= 32'd0;
            dram_q <= 32'd0;
            shape_q <= 32'd0;
            layer_q <= 32'd0;
        end
    end

    localparam [31:0] CONFIG = (LANES << ACCEL_CONFIG_LANES_SHIFT) |
                               (TABLE_LOG_MAX << ACCEL_CONFIG_TABLE_LOG_SHIFT) |
                               (SYMBOL_WIDTH << ACCEL_CONFIG_SYMBOL_WIDTH_SHIFT) |
                               (IN_LOG << ACCEL_CONFIG_IN_MAX_LOG_SHIFT) |
                               (OUT_LOG << ACCEL_CONFIG_OUT_MAX_LOG_SHIFT);

    // The output a read of OUT_DATA returns: a byte of the activation buffer
    // (hidden layer) or a 32-bit result.
    wire [31:0] out_data = relu ? {24'd0, act_byte} : bias_rdata;

    always @* begin
        case (reg_raddr)
        ACCEL_REG_ID[7:0]: reg_rdata = ACCEL_ID_VALUE;
        ACCEL_REG_CONFIG[7:0]: reg_rdata = CONFIG;
        ACCEL_REG_CTRL[7:0]: reg_rdata = irq_enable_q ? ACCEL_CTRL_IRQ_ENABLE : 32'd0;
        ACCEL_REG_STATUS[7:0]: reg_rdata = (busy ? ACCEL_STATUS_BUSY : 32'd0) |
                                           (done_q ? ACCEL_STATUS_DONE : 32'd0) |
                                           (error_q ? ACCEL_STATUS_ERROR : 32'd0) |
                                           (irq ? ACCEL_STATUS_IRQ : 32'd0) |
                                           ({27'd0, error_code_q} << ACCEL_STATUS_CODE_SHIFT);
        ACCEL_REG_WEIGHT_ADDR[7:0]: reg_rdata = weight_addr_q;
        ACCEL_REG_WEIGHT_BYTES[7:0]: reg_rdata = weight_bytes_q;
        ACCEL_REG_HEAD_BYTES[7:0]: reg_rdata = head_bytes_q;
        ACCEL_REG_BIAS_ADDR[7:0]: reg_rdata = bias_addr_q;
        ACCEL_REG_ACT_ADDR[7:0]: reg_rdata = act_addr_q;
        ACCEL_REG_SHAPE[7:0]: reg_rdata = shape_q;
        ACCEL_REG_LAYER[7:0]: reg_rdata = layer_q;
        ACCEL_REG_REQUANT[7:0]: reg_rdata = requant_q;
        ACCEL_REG_DRAM[7:0]: reg_rdata = dram_q;
        ACCEL_REG_CYCLES[7:0]: reg_rdata = cycles_q;
        ACCEL_REG_DRAM_BYTES[7:0]: reg_rdata = dram_bytes_q;
        ACCEL_REG_MAC_CYCLES[7:0]: reg_rdata = mac_cycles_q;
        ACCEL_REG_OUT_INDEX[7:0]: reg_rdata = {{(32 - OUT_LOG){1'b0}}, out_index_q};
        ACCEL_REG_OUT_DATA[7:0]: reg_rdata = out_data;
        default: reg_rdata = 32'd0;
        endcase
    end

    assign irq = done_q && irq_enable_q;

endmodule

`default_nettype wire

// Multi-lane tANS decoder (docs/rtl.md).
//
// Reads a stream of layers (docs/format.md 2.5) as 32-bit words and emits
// LANES symbols per beat in the original weight order, one symbol per lane
// per cycle while words come in and beats go out.  The next layer's table is
// built in the other bank while the current layer decodes.  Damaged input
// never makes it hang or emit more symbols than a layer holds: a damaged
// payload ends its layer with an error code and decoding goes on with the
// next layer; a damaged header ends the stream.

`default_nettype none

module tans_decoder #(
    parameter integer LANES = 8,          // symbols per output beat, 1..16
    parameter integer TABLE_LOG_MAX = 8,  // largest table log (states 2^TABLE_LOG_MAX), 5..8
    parameter integer SYMBOL_WIDTH = 8,   // bits per symbol, 1..8
    parameter integer REQUEST_QUEUE = 4   // steps of refill requests held, 2..8
) (
    input  wire                          clk,
    input  wire                          rst,

    // Stream words; TLAST marks the stream's last word.
    input  wire [31:0]                   s_axis_tdata,
    input  wire                          s_axis_tvalid,
    output wire                          s_axis_tready,
    input  wire                          s_axis_tlast,

    // Symbols: lane k's in bits [k*SYMBOL_WIDTH +: SYMBOL_WIDTH]; TKEEP marks
    // the lanes that hold one; TLAST ends a layer.  A layer that ends before
    // its symbols do is closed by a beat with TKEEP all zero.
    output wire [LANES*SYMBOL_WIDTH-1:0] m_axis_tdata,
    output wire [LANES-1:0]              m_axis_tkeep,
    output wire                          m_axis_tlast,
    output wire                          m_axis_tvalid,
    input  wire                          m_axis_tready,

    output wire                          status_busy,
    output wire                          status_layer_done,   // pulse: a layer ended
    output wire [3:0]                    status_layer_error,  // its error code (0: none)
    output wire                          status_stream_done,  // pulse: a stream ended
    output wire [31:0]                   status_symbols,      // symbols emitted since reset
    output wire                          status_error,        // an error since reset
    output wire [3:0]                    status_error_code    // the latest error
);

`include "tans_hw.vh"

    localparam integer W = TABLE_LOG_MAX;
    localparam integer SW = SYMBOL_WIDTH;
    localparam integer ENTRY_W = SW + 4 + W;
    localparam integer BEAT_W = 1 + LANES + LANES * SW;
    localparam integer QW = $clog2(REQUEST_QUEUE + 1);

    integer i;

    // Parameter checks at elaboration.
    generate
        if (LANES < 1 || LANES > 16) begin : g_check_lanes
            $error("tans_decoder: LANES must be 1..16");
        end
        if (REQUEST_QUEUE < 2 || REQUEST_QUEUE > 8) begin : g_check_request_queue
            $error("tans_decoder: REQUEST_QUEUE must be 2..8");
        end
    endgenerate


    // ---- input FIFO -------------------------------------------------------
    wire [31:0] in_word;
    wire        in_last;
    wire        in_valid;
    wire        in_pop;

    axis_fifo2 #(.WIDTH(33)) input_fifo (
        .clk(clk), .rst(rst),
        .s_data({s_axis_tlast, s_axis_tdata}), .s_valid(s_axis_tvalid), .s_ready(s_axis_tready),
        .m_data({in_last, in_word}), .m_valid(in_valid), .m_ready(in_pop)
    );

    // ---- layer descriptors: two slots, layer i in slot i % 2 ----------------
    reg        slot_full_q  [0:1];  // parsed or being parsed, not yet decoded
    reg        slot_ready_q [0:1];  // table built, or known to be skipped
    reg [3:0]  slot_log_q   [0:1];
    reg [31:0] slot_n_q     [0:1];
    reg [31:0] slot_p_q     [0:1];
    reg [3:0]  slot_err_q   [0:1];  // TABLE or UNSUPPORTED: skip the layer

    // ---- input side ---------------------------------------------------------
    localparam [2:0] IN_STREAM = 3'd0, IN_HEADER = 3'd1, IN_TABLE = 3'd2, IN_PAYLOAD = 3'd3,
                     IN_DONE = 3'd4, IN_DRAIN = 3'd5;

    reg [2:0]  in_state_q;
    reg [1:0]  hdr_word_q;     // word of the layer header being read
    reg [15:0] layers_q;       // K of the current stream
    reg [15:0] hdr_layer_q;    // layer whose header is read next
    reg [15:0] pay_layer_q;    // layer whose payload is read next (past the decoded one: done)
    reg [31:0] pay_count_q;    // payload words of pay_layer_q taken
    reg [31:0] pay_total_q;    // P of pay_layer_q
    reg [7:0]  discard_q;      // table words left to discard (unsupported layer)
    reg        discarding_q;   // IN_TABLE discards instead of feeding the builder
    reg [3:0]  hdr_lanes_q;    // lanes - 1, from header word 0

    // ---- decode side ----------------------------------------------------------
    localparam [2:0] D_WAIT = 3'd0, D_LOAD = 3'd1, D_RUN = 3'd2, D_FINISH = 3'd3, D_MARK = 3'd4;

    reg [2:0]  dec_state_q;
    reg [15:0] dec_layer_q;
    reg [31:0] sym_left_q;     // symbols of the layer not yet stepped
    reg [4:0]  active_q;       // A = min(n, LANES)
    reg [5:0]  prologue_q;     // prologue words delivered, 0..2A
    reg [3:0]  mark_code_q;    // error to report after the end marker
    reg        mark_idle_q;    // after the marker, the stream is over (fatal)

    reg [LANES-1:0] queue_q [0:REQUEST_QUEUE-1];  // refill requests, one mask per step
    reg [QW-1:0]    queue_count_q;

    // ---- status ---------------------------------------------------------------
    reg        layer_done_q;
    reg [3:0]  layer_error_q;
    reg        stream_done_q;
    reg [31:0] symbols_q;
    reg        error_q;
    reg [3:0]  error_code_q;

    // ---- lanes ------------------------------------------------------------------
    wire [LANES-1:0]    lane_ready;
    wire [LANES-1:0]    lane_word_done;
    wire [LANES-1:0]    lane_state_zero;
    wire [LANES-1:0]    lane_padding_zero;
    wire [LANES*SW-1:0] lane_symbols;
    reg  [LANES-1:0]    lane_load_cur;
    reg  [LANES-1:0]    lane_load_nxt;
    wire [LANES-1:0]    lane_step;
    wire                lanes_clear;

    wire                tbl_we;
    wire [W:0]          tbl_waddr;
    wire [ENTRY_W-1:0]  tbl_wdata;

    wire dec_slot = dec_layer_q[0];
    wire [3:0] dec_log = slot_log_q[dec_slot];

    genvar k;
    generate
        for (k = 0; k < LANES; k = k + 1) begin : g_lane
            tans_lane #(.TABLE_LOG_MAX(W), .SYMBOL_WIDTH(SW)) lane (
                .clk(clk), .rst(rst),
                .tbl_we(tbl_we), .tbl_waddr(tbl_waddr), .tbl_wdata(tbl_wdata),
                .bank(dec_slot), .table_log(dec_log), .clear(lanes_clear),
                .word(in_word), .load_cur(lane_load_cur[k]), .load_nxt(lane_load_nxt[k]),
                .step(lane_step[k]), .step_init(dec_state_q == D_LOAD),
                .ready(lane_ready[k]), .word_done(lane_word_done[k]),
                .symbol(lane_symbols[k*SW +: SW]),
.state_zero(lane_state_zero[k]),
                .padding_zero(lane_padding_zero[k])
            );
        end
    endgenerate

    // ---- table builder ----------------------------------------------------------
    wire builder_start;
    wire builder_pop;
    wire builder_counts_done;
    wire builder_counts_bad;
    wire builder_counts_wide;
    wire builder_done;
    wire builder_busy;
    wire fatal;

    tans_table_builder #(.TABLE_LOG_MAX(W), .SYMBOL_WIDTH(SW)) builder (
        .clk(clk), .rst(rst), .cancel(fatal),
        .start(builder_start), .table_log(slot_log_q[hdr_layer_q[0]]),
        .first_symbol(in_word[31:24]), .entries({1'b0, in_word[23:16]} + 9'd1),
        .count_width(in_word[15:12]), .bank(hdr_layer_q[0]),
        .in_word(in_word), .in_valid(in_valid && in_state_q == IN_TABLE && !discarding_q),
        .in_pop(builder_pop),
        .counts_done(builder_counts_done), .counts_bad(builder_counts_bad),
        .counts_wide(builder_counts_wide), .done(builder_done), .busy(builder_busy),
        .tbl_we(tbl_we), .tbl_waddr(tbl_waddr), .tbl_wdata(tbl_wdata)
    );

    // ---- output FIFO ----------------------------------------------------------------
    reg  [BEAT_W-1:0] out_beat;
    reg               out_push;
    wire              out_ready;

    axis_fifo2 #(.WIDTH(BEAT_W)) output_fifo (
        .clk(clk), .rst(rst),
        .s_data(out_beat), .s_valid(out_push), .s_ready(out_ready),
        .m_data({m_axis_tlast, m_axis_tkeep, m_axis_tdata}), .m_valid(m_axis_tvalid),
        .m_ready(m_axis_tready)
    );

    // ---- input side: which word the head is, and what to do with it ----------------
    wire hdr_slot = hdr_layer_q[0];
    // A stream starts only when the previous one has fully drained.
    wire stream_idle = !slot_full_q[0] && !slot_full_q[1] && !builder_busy &&
                       dec_state_q == D_WAIT;
    wire header_may_start = !slot_full_q[hdr_slot] && !builder_busy;

    wire more_headers_after_payload = {1'b0, pay_layer_q} + 17'd2 < {1'b0, layers_q};
    wire more_payloads_after_payload = {1'b0, pay_layer_q} + 17'd1 < {1'b0, layers_q};

    wire serve_here = in_state_q == IN_PAYLOAD && pay_layer_q == dec_layer_q;
    wire discard_here = in_state_q == IN_PAYLOAD && pay_layer_q < dec_layer_q;

    // Distributor: prologue words first, then one refill request per cycle.
    wire [5:0] prologue_words = {active_q, 1'b0};
    wire dec_started = dec_state_q == D_LOAD || dec_state_q == D_RUN || dec_state_q == D_FINISH;
    wire prologue_pending = dec_started && prologue_q != prologue_words;
    wire refill_pending = dec_started && queue_count_q != {QW{1'b0}};
    wire need_word = prologue_pending || refill_pending;
    wire serve = need_word && serve_here && in_valid && pay_count_q != pay_total_q;
    wire payload_short = need_word && pay_layer_q > dec_layer_q;

    wire [LANES-1:0] queue_head = queue_q[0];
    wire [LANES-1:0] refill_lane = queue_head & (~queue_head + 1'b1);  // lowest set bit

    // Prologue word j goes to the current word of lane j (j < A), then to the
    // next word of lane j - A.
    always @* begin
        for (i = 0; i < LANES; i = i + 1) begin
            lane_load_cur[i] = serve && prologue_pending && prologue_q == i[5:0];
            lane_load_nxt[i] = serve && (prologue_pending ? prologue_q == {1'b0, active_q} + i[5:0]
                                                          : refill_lane[i]);
        end
    end

    wire in_stream_pop = in_state_q == IN_STREAM && stream_idle;
    wire in_header_pop = in_state_q == IN_HEADER && (hdr_word_q != 2'd0 || header_may_start);
    wire in_table_pop = in_state_q == IN_TABLE && (discarding_q ? discard_q != 8'd0 : builder_pop);
    wire in_payload_pop = serve || (discard_here && pay_count_q != pay_total_q);
    assign in_pop = in_valid && (in_stream_pop || in_header_pop || in_table_pop || in_payload_pop ||
                                 in_state_q == IN_DONE || in_state_q == IN_DRAIN);

    // Header word checks.
    wire [3:0] w0_log = in_word[23:20];
    wire w0_bad = in_word[31:24] != 8'hA7 || in_word[15:0] != 16'd0 || w0_log < 4'd5 ||
                  w0_log > 4'd12;
    wire w3_bad = in_word[11:0] != 12'd0 || in_word[15:12] == 4'd0 || in_word[15:12] > 4'd13 ||
                  {1'b0, in_word[31:24]} + {1'b0, in_word[23:16]} > 9'd255;
    wire hdr_word_bad = hdr_word_q == 2'd0 ? w0_bad :
                        hdr_word_q == 2'd1 ? in_word == 32'd0 :
                        hdr_word_q == 2'd3 ? w3_bad : 1'b0;
    localparam integer LANES_M1_INT = LANES - 1;
    localparam [3:0] LANES_M1 = LANES_M1_INT[3:0];
    wire hdr_unsupported = slot_log_q[hdr_slot] > W[3:0] || hdr_lanes_q != LANES_M1;
    wire stream_word_bad = in_word[31:24] != 8'h5A || in_word[23:16] != 8'd1 ||
                           in_word[15:0] == 16'd0;
    // Table words: ceil(S * w / 32), at most ceil(256 * 13 / 32) = 104.
    wire [12:0] table_bits = ({4'd0, in_word[23:16]} + 13'd1) * {9'd0, in_word[15:12]} + 13'd31;
    wire [7:0]  table_words = table_bits[12:5];
    wire [4:0]  unused_table_bits = table_bits[4:0];

    wire payload_complete_now = in_state_q == IN_PAYLOAD &&
                                (pay_count_q == pay_total_q ||
                                 (in_pop && pay_count_q + 32'd1 == pay_total_q));
    wire table_complete_now = in_state_q == IN_TABLE &&
                              (discarding_q ? discard_q == 8'd0 : builder_counts_done);
    wire last_stream_word = payload_complete_now && !more_payloads_after_payload;

    // Fatal errors end the stream: bad headers, or TLAST before the end.
    reg [3:0] fatal_code;
    always @* begin
        fatal_code = 4'd0;
        if (in_pop) begin
            if (in_state_q == IN_STREAM && stream_word_bad)
                fatal_code = TANS_ERR_STREAM_HEADER[3:0];
            else if (in_state_q == IN_HEADER && hdr_word_bad)
                fatal_code = TANS_ERR_LAYER_HEADER[3:0];
            else if (in_last && in_state_q != IN_DONE && in_state_q != IN_DRAIN &&
                     !last_stream_word)
                fatal_code = TANS_ERR_TRUNCATED[3:0];
        end
    end
    assign fatal = fatal_code != 4'd0;

    assign builder_start = in_pop && in_state_q == IN_HEADER && hdr_word_q == 2'd3 && !fatal &&
                           !hdr_unsupported;

    // ---- decode side: steps ---------------------------------------------------------
    wire [LANES-1:0] step_mask = sym_left_q >= LANES ? {LANES{1'b1}}
                                                     : ~({LANES{1'b1}} << sym_left_q[4:0]);
    wire lanes_ready = &(lane_ready | ~step_mask);
    wire queue_space = queue_count_q != REQUEST_QUEUE[QW-1:0];
    wire cur_loaded = prologue_q >= {1'b0, active_q};
    wire step_go = !fatal && lanes_ready && queue_space &&
                   ((dec_state_q == D_LOAD && cur_loaded) || (dec_state_q == D_RUN && out_ready));
    assign lane_step = step_go ? step_mask : {LANES{1'b0}};
    wire [LANES-1:0] requests = lane_word_done;
    wire last_step = dec_state_q == D_RUN && sym_left_q <= LANES;
    wire [4:0] step_count = sym_left_q >= LANES ? LANES[4:0] : sym_left_q[4:0];

    wire [LANES-1:0] active_mask = ~({LANES{1'b1}} << active_q);
    // Lanes that do not step output zeros.
    reg [LANES*SW-1:0] symbol_mask;
    always @* begin
        for (i = 0; i < LANES; i = i + 1)
            symbol_mask[i*SW +: SW] = {SW{step_mask[i]}};
    end
    wire all_delivered = !need_word;
    wire verdict = dec_state_q == D_FINISH && all_delivered && !fatal;
    reg [3:0] verdict_code;
    always @* begin
        if (!(&(lane_state_zero | ~active_mask)))
            verdict_code = TANS_ERR_FINAL_STATE[3:0];
        else if (!(&(lane_padding_zero | ~active_mask)))
            verdict_code = TANS_ERR_PADDING[3:0];
        else if (pay_layer_q == dec_layer_q)
            verdict_code = TANS_ERR_PAYLOAD_LONG[3:0];
        else
            verdict_code = TANS_ERR_NONE[3:0];
    end

    wire mark_go = dec_state_q == D_MARK && out_ready && !fatal;
    // Short before the layer's last beat: close it with a marker.  On the last
    // step itself the beat with TLAST goes out and the shortage ends the layer
    // from FINISH (short_late), so a layer is closed only once.
    wire short_now = payload_short && !fatal &&
                     (dec_state_q == D_LOAD || (dec_state_q == D_RUN && !(step_go && last_step)));
    wire short_late = payload_short && !fatal && dec_state_q == D_FINISH;

    // A layer ends: after its verdict, after its end marker, or when its
    // payload runs short after its last beat.
    wire layer_end = verdict || mark_go || short_late;
    wire [3:0] layer_end_code = verdict ? verdict_code :
                                mark_go ? mark_code_q : TANS_ERR_PAYLOAD_SHORT[3:0];
    assign lanes_clear = layer_end || fatal;

    always @* begin
        out_push = 1'b0;
        out_beat = {BEAT_W{1'b0}};
        if (step_go && dec_state_q == D_RUN) begin
            out_push = 1'b1;
            out_beat = {last_step, step_mask, lane_symbols & symbol_mask};
        end else if (mark_go) begin
            out_push = 1'b1;
            out_beat = {1'b1, {LANES{1'b0}}, {(LANES * SW){1'b0}}};
        end
    end

    // ---- registers: input side ------------------------------------------------------
    always @(posedge clk) begin
        if (in_pop && in_state_q == IN_PAYLOAD)
            pay_count_q <= pay_count_q + 32'd1;

        case (in_state_q)
        IN_STREAM:
            if (in_pop && !fatal) begin
                layers_q <= in_word[15:0];
                hdr_layer_q <= 16'd0;
                pay_layer_q <= 16'd0;
                hdr_word_q <= 2'd0;
                in_state_q <= IN_HEADER;
            end
        IN_HEADER:
            if (in_pop && !fatal) begin
                hdr_word_q <= hdr_word_q + 2'd1;
                case (hdr_word_q)
                2'd0: begin
                    slot_log_q[hdr_slot] <= w0_log;
                    hdr_lanes_q <= in_word[19:16];
                end
                2'd1: slot_n_q[hdr_slot] <= in_word;
                2'd2: slot_p_q[hdr_slot] <= in_word;
                default: begin
                    discarding_q <= hdr_unsupported;
                    discard_q <= table_words;
                    in_state_q <= IN_TABLE;
                end
                endcase
            end
        IN_TABLE: begin
            if (discarding_q && in_pop)
                discard_q <= discard_q - 8'd1;
            if (table_complete_now && !fatal) begin
                hdr_layer_q <= hdr_layer_q + 16'd1;
                hdr_word_q <= 2'd0;
                if (hdr_layer_q == 16'd0 && layers_q > 16'd1) begin
                    in_state_q <= IN_HEADER;
                end else begin
                    in_state_q <= IN_PAYLOAD;
                    pay_count_q <= 32'd0;
                    pay_total_q <= slot_p_q[pay_layer_q[0]];  // after H(i): P(i-1), or P(0)
                end
            end
        end
        IN_PAYLOAD:
            if (payload_complete_now && !fatal) begin
                pay_layer_q <= pay_layer_q + 16'd1;
                pay_count_q <= 32'd0;
                pay_total_q <= slot_p_q[~pay_layer_q[0]];
                if (more_headers_after_payload)
                    in_state_q <= IN_HEADER;
                else if (more_payloads_after_payload)
                    in_state_q <= IN_PAYLOAD;
                else
                    in_state_q <= (in_pop && in_last) ? IN_STREAM : IN_DONE;
            end
        IN_DONE:
            if (in_pop)
                in_state_q <= in_last ? IN_STREAM : IN_DRAIN;
        IN_DRAIN:
            if (in_pop && in_last)
                in_state_q <= IN_STREAM;
        default:
            in_state_q <= IN_STREAM;
        endcase

        // Descriptor slots.
        if (in_pop && in_state_q == IN_HEADER && hdr_word_q == 2'd0 && !fatal) begin
            slot_full_q[hdr_slot] <= 1'b1;
            slot_ready_q[hdr_slot] <= 1'b0;
            slot_err_q[hdr_slot] <= 4'd0;
        end
        if (table_complete_now && !fatal) begin
            if (discarding_q) begin
                slot_err_q[hdr_slot] <= TANS_ERR_UNSUPPORTED[3:0];
                slot_ready_q[hdr_slot] <= 1'b1;
            end else if (builder_counts_bad) begin
                slot_err_q[hdr_slot] <= builder_counts_wide ? TANS_ERR_UNSUPPORTED[3:0]
                                                            : TANS_ERR_TABLE[3:0];
                slot_ready_q[hdr_slot] <= 1'b1;
            end
        end
        if (builder_done)
            slot_ready_q[hdr_slot ^ 1'b1] <= 1'b1;  // the header index has moved on
        if (layer_end)
            slot_full_q[dec_slot] <= 1'b0;

        if (fatal)
            in_state_q <= in_last ? IN_STREAM : IN_DRAIN;
        if (rst || fatal) begin
            slot_full_q[0] <= 1'b0;
            slot_full_q[1] <= 1'b0;
            layers_q <= 16'd0;
            hdr_layer_q <= 16'd0;
            pay_layer_q <= 16'd0;
        end
        if (rst)
            in_state_q <= IN_STREAM;
    end

    // ---- registers: decode side -------------------------------------------------------
    wire [15:0] next_dec_layer = dec_layer_q + 16'd1;
    always @(posedge clk) begin
        if (serve && prologue_pending)
            prologue_q <= prologue_q + 6'd1;

        // Refill requests: the head mask loses its served lane; a step adds its mask.
        begin : queue_update
            reg [LANES-1:0] head_after;
            reg             pop_head;
            head_after = queue_q[0] & ~(serve && !prologue_pending ? refill_lane
                                                                    : {LANES{1'b0}});
            pop_head = queue_count_q != {QW{1'b0}} && head_after == {LANES{1'b0}};
            queue_q[0] <= head_after;
            if (pop_head)
                for (i = 0; i < REQUEST_QUEUE - 1; i = i + 1)
                    queue_q[i] <= queue_q[i + 1];
            if (requests != {LANES{1'b0}})
                for (i = 0; i < REQUEST_QUEUE; i = i + 1)
                    if (queue_count_q - {{(QW - 1){1'b0}}, pop_head} == i[QW-1:0])
                        queue_q[i] <= requests;
            queue_count_q <= queue_count_q - {{(QW - 1){1'b0}}, pop_head} +
                             {{(QW - 1){1'b0}}, requests != {LANES{1'b0}}};
        end

        case (dec_state_q)
        D_WAIT:
            if (dec_layer_q < layers_q && slot_full_q[dec_slot] && slot_ready_q[dec_slot]) begin
                if (slot_err_q[dec_slot] != 4'd0) begin
                    dec_state_q <= D_MARK;
                    mark_code_q <= slot_err_q[dec_slot];
                    mark_idle_q <= 1'b0;
                end else begin
                    dec_state_q <= D_LOAD;
                    sym_left_q <= slot_n_q[dec_slot];
                    active_q <= slot_n_q[dec_slot] >= LANES ? LANES[4:0]
                                                            : slot_n_q[dec_slot][4:0];
                    prologue_q <= 6'd0;
                end
            end
        D_LOAD:
            if (step_go)
                dec_state_q <= D_RUN;
        D_RUN:
            if (step_go) begin
                sym_left_q <= sym_left_q - {27'd0, step_count};
                if (last_step)
                    dec_state_q <= D_FINISH;
            end
        D_MARK: begin
        end
        default: begin
        end
        endcase

        if (short_now) begin
            dec_state_q <= D_MARK;
            mark_code_q <= TANS_ERR_PAYLOAD_SHORT[3:0];
            mark_idle_q <= 1'b0;
        end
        if (layer_end) begin
            dec_state_q <= D_WAIT;
            dec_layer_q <= mark_go && mark_idle_q ? 16'd0 : next_dec_layer;
        end
        if (fatal) begin
            if (dec_state_q == D_LOAD || dec_state_q == D_RUN || dec_state_q == D_MARK) begin
                dec_state_q <= D_MARK;
                mark_code_q <= fatal_code;
                mark_idle_q <= 1'b1;
            end else begin
                dec_state_q <= D_WAIT;
                dec_layer_q <= 16'd0;
            end
        end
        if (lanes_clear || rst)
            queue_count_q <= {QW{1'b0}};
        if (in_state_q == IN_STREAM && in_pop && !fatal)
            dec_layer_q <= 16'd0;
        if (rst) begin
            dec_state_q <= D_WAIT;
            dec_layer_q <= 16'd0;
        end
    end

    // ---- registers: status ------------------------------------------------------------
    wire [3:0] report_code = layer_end ? layer_end_code : fatal_code;
    wire extra_word = in_pop && in_state_q == IN_DONE;
    always @(posedge clk) begin
        layer_done_q <= layer_end || (fatal && dec_state_q == D_FINISH);
        layer_error_q <= layer_end ? layer_end_code :
                         fatal && dec_state_q == D_FINISH ? fatal_code : 4'd0;
        stream_done_q <= layer_end && next_dec_layer == layers_q && !(mark_go && mark_idle_q);
        if (step_go && dec_state_q == D_RUN)
            symbols_q <= symbols_q + {27'd0, step_count};
        if ((layer_end || fatal) && report_code != 4'd0) begin
            error_q <= 1'b1;
            error_code_q <= report_code;
        end
        if (extra_word) begin
            error_q <= 1'b1;
            error_code_q <= TANS_ERR_EXTRA_WORDS[3:0];
        end
        if (rst) begin
            layer_done_q <= 1'b0;
            layer_error_q <= 4'd0;
            stream_done_q <= 1'b0;
            symbols_q <= 32'd0;
            error_q <= 1'b0;
            error_code_q <= 4'd0;
        end
    end

    assign status_busy = in_state_q != IN_STREAM || !stream_idle;

`ifdef FORMAL
    // Proved by induction with the lanes and the table builder replaced by
    // unconstrained stand-ins (tests/formal/prove.sh), so these hold whatever
    // the lanes and the builder do:
    //  - a layer never emits more symbols than its header's n;
    //  - a layer's payload never gives out more than its header's P words;
    //  - once the word with TLAST is in, nothing waits for another word: the
    //    input side expects a new stream, a lane that still wants a word sees
    //    its payload as short, and every layer not yet decoded has its header.
    //    With the builder's bounded table builds this is why the decoder
    //    cannot hang after the last word (docs/rtl.md section 7);
    //  - a layer ends with exactly one beat with TLAST.
    reg        f_started_q = 1'b0;
    reg [31:0] f_n_q;        // n of the layer being decoded
    reg [31:0] f_emitted_q;  // symbols it has put out
    reg        f_ended_q;    // the last word taken had TLAST
    reg        f_closed_q;   // the layer's beat with TLAST is out
    wire f_parsing = (in_state_q == IN_HEADER && hdr_word_q != 2'd0) || in_state_q == IN_TABLE;
    wire f_layer_start = dec_state_q == D_WAIT && dec_layer_q < layers_q &&
                         slot_full_q[dec_slot] && slot_ready_q[dec_slot] &&
                         slot_err_q[dec_slot] == 4'd0;
    always @(posedge clk) begin
        f_started_q <= 1'b1;
        if (f_layer_start) begin
            f_n_q <= slot_n_q[dec_slot];
            f_emitted_q <= 32'd0;
        end
        if (step_go && dec_state_q == D_RUN)
            f_emitted_q <= f_emitted_q + {27'd0, step_count};
        if (in_pop)
            f_ended_q <= in_last;
        if (out_push && out_beat[BEAT_W-1])
            f_closed_q <= 1'b1;
        if (layer_end || fatal || rst)
            f_closed_q <= 1'b0;
        if (rst)
            f_ended_q <= 1'b0;
    end
    always @* begin
        if (!f_started_q)
            assume(rst);
        if (f_started_q && !rst) begin
            assert(dec_state_q <= D_MARK);
            assert(in_state_q <= IN_DRAIN);
            if (dec_state_q == D_LOAD || dec_state_q == D_RUN)
                assert(f_emitted_q + sym_left_q == f_n_q);
            if (dec_state_q == D_FINISH)
                assert(f_emitted_q == f_n_q);
            assert(f_closed_q == (dec_state_q == D_FINISH));
            if (out_push && out_beat[BEAT_W-1])
                assert(!f_closed_q);
            if (in_state_q == IN_PAYLOAD)
                assert(pay_count_q <= pay_total_q);
            if (in_pop && in_state_q == IN_PAYLOAD)
                assert(pay_count_q < pay_total_q);
            // Layer bookkeeping: at most two layers between the one being
            // decoded and the next header, each holding its slot.
            if (dec_started)
                assert(active_q != 5'd0 && active_q <= LANES && prologue_q <= prologue_words &&
                       dec_layer_q < layers_q);
            if (dec_state_q == D_RUN || dec_state_q == D_FINISH)
                assert(cur_loaded);
            if (dec_state_q == D_WAIT)
                assert(queue_count_q == {QW{1'b0}});
            for (i = 0; i < 2; i = i + 1)  // once its word 1 is in, a slot's n >= 1
                if (slot_full_q[i] && !(in_state_q == IN_HEADER && hdr_word_q == 2'd1 &&
                                        hdr_slot == i[0]))
                    assert(slot_n_q[i] != 32'd0);
            if (in_state_q == IN_TABLE || in_state_q == IN_PAYLOAD)
                assert(hdr_word_q == 2'd0);
            if (dec_state_q == D_MARK && mark_idle_q)
                assert(layers_q == 16'd0);
            if (layers_q == 16'd0)
                assert(hdr_layer_q == 16'd0 && pay_layer_q == 16'd0 &&
                       (in_state_q == IN_STREAM || in_state_q == IN_DRAIN));
            if (layers_q != 16'd0) begin
                assert(hdr_layer_q <= layers_q);
                if (in_state_q == IN_HEADER || in_state_q == IN_TABLE)
                    assert(hdr_layer_q < layers_q);
                assert(dec_layer_q <= hdr_layer_q &&
                       {1'b0, hdr_layer_q} <= {1'b0, dec_layer_q} + 17'd2);
                if (dec_layer_q == hdr_layer_q)  // its header is not in yet
                    assert(dec_state_q == D_WAIT);
                assert(pay_layer_q <= hdr_layer_q);
                // The stream order H0 H1 P0 H2 P1 ...: header i is read after
                // payload i-2, payload j after header j+1.
                if (in_state_q == IN_HEADER || in_state_q == IN_TABLE)
                    assert({1'b0, hdr_layer_q} == {1'b0, pay_layer_q} + 17'd1 ||
                           (pay_layer_q == 16'd0 && hdr_layer_q <= 16'd1));
                else if (in_state_q == IN_PAYLOAD)
                    assert({1'b0, hdr_layer_q} == {1'b0, pay_layer_q} + 17'd2 ||
                           (hdr_layer_q == layers_q && {1'b0, pay_layer_q} + 17'd1 == {1'b0, layers_q}));
                else  // the stream has been read to its end
                    assert(hdr_layer_q == layers_q && pay_layer_q == layers_q);
                // A header is read into a slot its layer's predecessor-but-one
                // has left.
                if ((in_state_q == IN_HEADER && hdr_word_q != 2'd0) || in_state_q == IN_TABLE)
                    assert(hdr_layer_q <= dec_layer_q + 16'd1 && slot_full_q[hdr_slot]);
                // A slot is full exactly while its layer is between the one
                // being decoded and the header being read.
                assert(slot_full_q[dec_slot] == (dec_layer_q < hdr_layer_q ||
                                                 (f_parsing && dec_layer_q == hdr_layer_q)));
                assert(slot_full_q[~dec_slot] ==
                       ({1'b0, dec_layer_q} + 17'd1 < {1'b0, hdr_layer_q} ||
                        (f_parsing && {1'b0, dec_layer_q} + 17'd1 == {1'b0, hdr_layer_q})));
                if (f_parsing)
                    assert(!slot_ready_q[hdr_slot]);
            end
            if (f_ended_q) begin
                assert(in_state_q == IN_STREAM);
                assert(pay_layer_q >= layers_q && hdr_layer_q == layers_q);
                if (need_word)
                    assert(payload_short || fatal);
                if (dec_state_q == D_WAIT && dec_layer_q < layers_q)
                    assert(slot_full_q[dec_slot]);
            end
        end
    end
`endif
    assign status_layer_done = layer_done_q;
    assign status_layer_error = layer_error_q;
    assign status_stream_done = stream_done_q;
    assign status_symbols = symbols_q;
    assign status_error = error_q;
    assign status_error_code = error_code_q;

endmodule

`default_nettype wire

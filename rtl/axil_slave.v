// AXI4-Lite slave turned into a simple register port.
//
// A write takes its address and data together (the slave waits for both
// AWVALID and WVALID) and is presented for one cycle on reg_we; a read is
// presented for one cycle on reg_re and the registered reg_rdata of that
// cycle is returned.  One transaction of each kind at a time; responses are
// always OKAY.

`default_nettype none

module axil_slave #(
    parameter integer ADDR_WIDTH = 8  // byte address bits of the register space
) (
    input  wire                  clk,
    input  wire                  rst,

    input  wire [ADDR_WIDTH-1:0] s_axil_awaddr,
    input  wire                  s_axil_awvalid,
    output wire                  s_axil_awready,
    input  wire [31:0]           s_axil_wdata,
    input  wire [3:0]            s_axil_wstrb,
    input  wire                  s_axil_wvalid,
    output wire                  s_axil_wready,
    output wire [1:0]            s_axil_bresp,
    output reg                   s_axil_bvalid,
    input  wire                  s_axil_bready,
    input  wire [ADDR_WIDTH-1:0] s_axil_araddr,
    input  wire                  s_axil_arvalid,
    output wire                  s_axil_arready,
    output reg  [31:0]           s_axil_rdata,
    output wire [1:0]            s_axil_rresp,
    output reg                   s_axil_rvalid,
    input  wire                  s_axil_rready,

    output wire                  reg_we,
    output wire [ADDR_WIDTH-1:0] reg_waddr,
    output wire [31:0]           reg_wdata,
    output wire [3:0]            reg_wstrb,
    output wire                  reg_re,
    output wire [ADDR_WIDTH-1:0] reg_raddr,
    input  wire [31:0]           reg_rdata
);

    generate
        if (ADDR_WIDTH < 3 || ADDR_WIDTH > 32) begin : g_check_addr_width
            $error("axil_slave: ADDR_WIDTH must be 3..32");
        end
    endgenerate

    assign reg_we = s_axil_awvalid && s_axil_wvalid && !s_axil_bvalid;
    assign s_axil_awready = reg_we;
    assign s_axil_wready = reg_we;
    assign reg_waddr = s_axil_awaddr;
    assign reg_wdata = s_axil_wdata;
    assign reg_wstrb = s_axil_wstrb;
    assign s_axil_bresp = 2'b00;

    assign reg_re = s_axil_arvalid && !s_axil_rvalid;
    assign s_axil_arready = reg_re;
    assign reg_raddr = s_axil_araddr;
    assign s_axil_rresp = 2'b00;

    always @(posedge clk) begin
        if (reg_we)
            s_axil_bvalid <= 1'b1;
        else if (s_axil_bready)
            s_axil_bvalid <= 1'b0;
        if (reg_re) begin
            s_axil_rvalid <= 1'b1;
            s_axil_rdata <= reg_rdata;
        end else if (s_axil_rready) begin
            s_axil_rvalid <= 1'b0;
        end
        if (rst) begin
            s_axil_bvalid <= 1'b0;
            s_axil_rvalid <= 1'b0;
        end
    end

endmodule

`default_nettype wire

#include "accel_sim.h"

#include <cstring>

AccelSim::AccelSim(const DramConfig &dram, unsigned seed, const std::string &trace)
    : ctx_(new VerilatedContext), dram_(dram), mem_(dram.size), rng_(seed)
{
    top_.reset(new Vwc_accel(ctx_.get()));
#if VM_TRACE
    if (!trace.empty()) {
        ctx_->traceEverOn(true);
        trace_.reset(new VerilatedFstC);
        top_->trace(trace_.get(), 99);
        trace_->open(trace.c_str());
    }
#else
    (void)trace;
#endif
    top_->rst = 1;
    for (int i = 0; i < 3; i++)
        tick();
    top_->rst = 0;
}

AccelSim::~AccelSim()
{
#if VM_TRACE
    if (trace_)
        trace_->close();
#endif
    top_->final();
}

// Drives the R channel and samples the AR channel for the coming edge.
void AccelSim::dram_step()
{
    std::uniform_real_distribution<double> unit(0, 1);
    top_->m_axi_arready = unit(rng_) >= dram_.ar_stall && bursts_.size() < 8;
    if (bursts_.empty() || hold_ || bursts_.front().ready_at > cycle_) {
        top_->m_axi_rvalid = 0;
        credit_ = 0;
        return;
    }
    credit_ = std::min(credit_ + dram_.bytes_per_cycle, 8.0);
    Burst &b = bursts_.front();
    const bool can = credit_ >= 4.0 && unit(rng_) >= dram_.gap;
    top_->m_axi_rvalid = can;
    if (can) {
        const bool inside = b.addr + 4 <= mem_.size();
        uint32_t w = 0;
        if (inside)
            std::memcpy(&w, &mem_[b.addr], 4);  // the host is little-endian like the bus
        top_->m_axi_rdata = w;
        top_->m_axi_rresp = inside ? 0 : 2;  // SLVERR outside the memory
        top_->m_axi_rlast = b.beats == 1;
    }
}

void AccelSim::tick()
{
    dram_step();
    top_->clk = 0;
    top_->eval();
    ctx_->timeInc(1);
#if VM_TRACE
    if (trace_)
        trace_->dump(ctx_->time());
#endif
    // Handshakes of this cycle.
    const bool ar = top_->m_axi_arvalid && top_->m_axi_arready;
    const bool r = top_->m_axi_rvalid && top_->m_axi_rready;
    Burst incoming{top_->m_axi_araddr, top_->m_axi_arlen + 1u, 0};
    top_->clk = 1;
    top_->eval();
    ctx_->timeInc(1);
#if VM_TRACE
    if (trace_)
        trace_->dump(ctx_->time());
#endif
    if (r) {
        credit_ -= 4.0;
        Burst &b = bursts_.front();
        b.addr += 4;
        if (--b.beats == 0)
            bursts_.pop_front();
    }
    if (ar) {
        std::uniform_int_distribution<uint32_t> extra(0, dram_.jitter);
        uint64_t start = cycle_ + dram_.latency + extra(rng_);
        if (!bursts_.empty() && bursts_.back().ready_at > start)
            start = bursts_.back().ready_at;  // in order
        incoming.ready_at = start;
        bursts_.push_back(incoming);
    }
    cycle_++;
}

void AccelSim::write32(uint32_t offset, uint32_t value)
{
    top_->s_axil_awaddr = offset;
    top_->s_axil_awvalid = 1;
    top_->s_axil_wdata = value;
    top_->s_axil_wstrb = 0xF;
    top_->s_axil_wvalid = 1;
    top_->s_axil_bready = 1;
    for (bool accepted = false; !accepted;) {
        top_->eval();
        accepted = top_->s_axil_awready;
        tick();
    }
    top_->s_axil_awvalid = 0;
    top_->s_axil_wvalid = 0;
    for (bool responded = false; !responded;) {
        top_->eval();
        responded = top_->s_axil_bvalid;
        tick();
    }
    top_->s_axil_bready = 0;
}

uint32_t AccelSim::read32(uint32_t offset)
{
    top_->s_axil_araddr = offset;
    top_->s_axil_arvalid = 1;
    top_->s_axil_rready = 1;
    for (bool accepted = false; !accepted;) {
        top_->eval();
        accepted = top_->s_axil_arready;
        tick();
    }
    top_->s_axil_arvalid = 0;
    uint32_t data = 0;
    for (bool responded = false; !responded;) {
        top_->eval();
        responded = top_->s_axil_rvalid;
        data = top_->s_axil_rdata;
        tick();
    }
    top_->s_axil_rready = 0;
    return data;
}

namespace {

AccelSim *sim_of(void *ctx) { return static_cast<AccelSim *>(ctx); }

uint32_t bus_read32(void *ctx, uint32_t offset) { return sim_of(ctx)->read32(offset); }

void bus_write32(void *ctx, uint32_t offset, uint32_t value) { sim_of(ctx)->write32(offset, value); }

int bus_dram_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
    std::vector<uint8_t> &m = sim_of(ctx)->dram();
    if (addr > m.size() || len > m.size() - addr)
        return -1;
    std::memcpy(m.data() + addr, src, len);
    return 0;
}

int bus_dram_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
    const std::vector<uint8_t> &m = sim_of(ctx)->dram();
    if (addr > m.size() || len > m.size() - addr)
        return -1;
    std::memcpy(dst, m.data() + addr, len);
    return 0;
}

void bus_wait(void *ctx, uint32_t ticks)
{
    for (uint32_t i = 0; i < ticks; i++)
        sim_of(ctx)->tick();
}

}  // namespace

wc_accel_bus AccelSim::bus()
{
    wc_accel_bus b;
    b.ctx = this;
    b.read32 = bus_read32;
    b.write32 = bus_write32;
    b.dram_write = bus_dram_write;
    b.dram_read = bus_dram_read;
    b.wait = bus_wait;
    b.dram_size = mem_.size();
    return b;
}

// The accelerator in simulation: the Verilated wc_accel, a DRAM model behind
// its AXI4 read port, and a register bus for the driver (driver/wc_accel.h).
#ifndef WC_SIM_ACCEL_SIM_H
#define WC_SIM_ACCEL_SIM_H

#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "Vwc_accel.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif

#include "wc_accel.h"

// DRAM behind an AXI4 read port, with a first-beat latency, a data rate in
// bytes per cycle (at most 4: one 32-bit beat per cycle), random extra
// latency per burst and random gaps between beats.
struct DramConfig {
    uint32_t latency = 20;          // cycles from the address to the first beat
    double bytes_per_cycle = 4.0;   // sustained data rate
    uint32_t jitter = 0;            // extra latency per burst, uniform in 0..jitter
    double gap = 0.0;               // probability of no beat in a cycle that could have one
    double ar_stall = 0.0;          // probability of not accepting an address
    uint64_t size = 8u << 20;       // bytes
};

class AccelSim {
public:
    AccelSim(const DramConfig &dram, unsigned seed, const std::string &trace);
    ~AccelSim();

    // One clock cycle, DRAM included.
    void tick();
    uint64_t cycle() const { return cycle_; }

    // AXI4-Lite register access, cycle by cycle.
    uint32_t read32(uint32_t offset);
    void write32(uint32_t offset, uint32_t value);

    std::vector<uint8_t> &dram() { return mem_; }
    DramConfig &dram_config() { return dram_; }
    // While set, the DRAM accepts addresses but returns no data.
    void hold_dram(bool hold) { hold_ = hold; }

    // The driver's bus onto this simulation; ticks are clock cycles.
    wc_accel_bus bus();

    bool irq() const { return top_->irq != 0; }

private:
    struct Burst {
        uint32_t addr;
        uint32_t beats;
        uint64_t ready_at;  // cycle its first beat may go
    };
    void dram_step();

    std::unique_ptr<VerilatedContext> ctx_;
    std::unique_ptr<Vwc_accel> top_;
#if VM_TRACE
    std::unique_ptr<VerilatedFstC> trace_;
#endif
    DramConfig dram_;
    std::vector<uint8_t> mem_;
    std::deque<Burst> bursts_;
    double credit_ = 0;
    bool hold_ = false;
    std::mt19937 rng_;
    uint64_t cycle_ = 0;
};

#endif

// The demo of make demo (sim/accel_demo.cpp).
#ifndef WC_SIM_ACCEL_DEMO_H
#define WC_SIM_ACCEL_DEMO_H

// Runs the demo with the command line's options; returns the exit status.
int run_demo(int argc, char **argv);

// One image raw and compressed at several DRAM rates, a JSON line each.
int run_sweep(int argc, char **argv);

#endif

#!/usr/bin/env python3
"""Throughput of the tANS decoder RTL in simulation (Verilator, no stalls).

    scripts/bench_rtl.py SIM_DIR MODELS_DIR OUT.json

Runs the harness builds in SIM_DIR (make sim) with input always valid and
output always ready, on synthetic layers at table logs 6, 7, 8 and on the
quantized layers of the PaddleOCR models, and writes per configuration:
table log, lanes, symbols, cycles, symbols per lane per cycle (over each
layer's beats, and over the whole run), and the cycles without output
between consecutive layers (the table switch cost).  Prints a Markdown table.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

LANES = {"l1": 1, "l2": 2, "l4": 4, "l8": 8, "l16": 16}
MODELS = {"cls": "ch_ppocr_mobile_v2.0_cls_infer.onnx", "det": "ch_PP-OCRv4_det_infer.onnx",
          "rec": "ch_PP-OCRv4_rec_infer.onnx"}


def run(sim_dir, cfg, name, args):
    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        subprocess.run([os.path.join(sim_dir, cfg, "Vtans_decoder"), "--name", name,
                        "--json", out.name] + args, check=True, capture_output=True)
        return json.loads(out.read().splitlines()[-1])


def summarize(cfg, label, table_log, r):
    layers = r["layers"]
    lanes = r["lanes"]
    symbols = sum(l["symbols"] for l in layers)
    beat_cycles = sum(l["last_beat"] - l["first_beat"] + 1 for l in layers)
    steps = sum(-(-l["symbols"] // lanes) for l in layers)
    gaps = [b["first_beat"] - a["last_beat"] - 1 for a, b in zip(layers, layers[1:])]
    return {
        "config": cfg, "workload": label, "table_log": table_log, "lanes": lanes,
        "layers": len(layers), "symbols": symbols, "cycles": r["cycles"],
        "symbols_per_lane_per_cycle": steps / beat_cycles,
        "symbols_per_lane_per_cycle_overall": symbols / lanes / r["cycles"],
        "first_beat": layers[0]["first_beat"],
        "table_switch_cycles_median": statistics.median(gaps) if gaps else None,
        "table_switch_cycles_max": max(gaps) if gaps else None,
    }


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sim_dir, models_dir, out_path = sys.argv[1:]
    rows = []
    for cfg, lanes in LANES.items():
        for log in (6, 7, 8):
            r = run(sim_dir, cfg, "bench", ["--dist", "gaussian", "--table-logs", str(log),
                                            "--sizes", str(25000 * lanes), "--seed", "1"])
            rows.append(summarize(cfg, "gaussian 15 bins", log, r))
    for cfg in ("l8", "l16"):
        for model, filename in MODELS.items():
            r = run(sim_dir, cfg, "bench", ["--model", os.path.join(models_dir, filename),
                                            "--bins", "15", "--table-logs", "8"])
            rows.append(summarize(cfg, f"{model} 15 bins", 8, r))
    with open(out_path, "w") as f:
        json.dump(rows, f, indent=1)
    print("| lanes | workload | table log | layers | symbols | cycles | symbols/lane/cycle "
          "in layers | overall | switch cycles (median, max) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        switch = "-" if r["table_switch_cycles_median"] is None else \
            f"{r['table_switch_cycles_median']:.0f}, {r['table_switch_cycles_max']}"
        print(f"| {r['lanes']} | {r['workload']} | {r['table_log']} | {r['layers']} | "
              f"{r['symbols']:,} | {r['cycles']:,} | {r['symbols_per_lane_per_cycle']:.3f} | "
              f"{r['symbols_per_lane_per_cycle_overall']:.3f} | {switch} |")


if __name__ == "__main__":
    main()

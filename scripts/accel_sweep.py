#!/usr/bin/python3
"""DRAM rate x lanes sweep of the accelerator on the Fashion-MNIST MLP.

    scripts/accel_sweep.py SIM_DIR MODEL OUT_DIR [--update docs/accel.md]

Runs SIM_DIR/accel{4,8,16}/Vwc_accel --sweep (one image, raw int8 and tANS,
at 0.25 to 4 bytes per DRAM cycle), writes OUT_DIR/accel-sweep.json, prints
a Markdown table and draws OUT_DIR/accel-sweep.png (cycles per image against
the DRAM rate).  With --update, the table replaces the text between
<!-- accel-sweep:begin --> and <!-- accel-sweep:end --> in the given file and
the plot is copied next to it as img/accel-sweep.png.
"""
import json
import os
import shutil
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

LANES = (4, 8, 16)


def run(sim_dir, model):
    rows = []
    for lanes in LANES:
        out = subprocess.run([os.path.join(sim_dir, f"accel{lanes}", "Vwc_accel"), "--sweep",
                              "--model", model], check=True, capture_output=True, text=True)
        rows += [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    return rows


def table(rows):
    def find(lanes, compressed, rate):
        return next(r for r in rows if r["lanes"] == lanes and r["compressed"] == compressed
                    and r["bytes_per_cycle"] == rate)

    lines = ["| lanes | DRAM bytes/cycle | raw cycles | tANS cycles | speed-up | "
             "tANS cycles / (bytes / rate) | MAC utilisation raw | MAC utilisation tANS |",
             "|---|---|---|---|---|---|---|---|"]
    for lanes in LANES:
        for rate in sorted({r["bytes_per_cycle"] for r in rows}):
            raw, tans = find(lanes, 0, rate), find(lanes, 1, rate)
            bound = tans["dram_bytes"] / rate
            lines.append(f"| {lanes} | {rate:g} | {raw['cycles']:,} | {tans['cycles']:,} | "
                         f"{raw['cycles'] / tans['cycles']:.2f}x | {tans['cycles'] / bound:.3f} | "
                         f"{raw['mac_cycles'] / raw['cycles']:.1%} | "
                         f"{tans['mac_cycles'] / tans['cycles']:.1%} |")
    lines += ["", "tANS weights, tables and headers included (the tile order, and so the "
              "streams, differ with the lanes):", ""]
    for lanes in LANES:
        tans = next(r for r in rows if r["lanes"] == lanes and r["compressed"])
        bpw = 8 * tans["weight_bytes"] / tans["weights"]
        lines.append(f"- {lanes} lanes: {bpw:.3f} bits per weight; the ideal speed-up of a "
                     f"DRAM-bound run is 8 / {bpw:.3f} = {8 / bpw:.2f}x")
    return "\n".join(lines) + "\n"


def plot(rows, path):
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for lanes, colour in zip(LANES, ("tab:blue", "tab:orange", "tab:green")):
        for compressed, style in ((0, "--"), (1, "-")):
            pts = sorted((r["bytes_per_cycle"], r["cycles"]) for r in rows
                         if r["lanes"] == lanes and r["compressed"] == compressed)
            ax.plot([p[0] for p in pts], [p[1] for p in pts], style, marker="o", color=colour,
                    label=f"{lanes} lanes, {'tANS' if compressed else 'raw int8'}")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("DRAM bytes per cycle")
    ax.set_ylabel("cycles per image (784-300-100-10 MLP)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main():
    args = sys.argv[1:]
    target = None
    if "--update" in args:
        i = args.index("--update")
        target = args[i + 1]
        del args[i:i + 2]
    if len(args) != 3:
        sys.exit(__doc__)
    sim_dir, model, out_dir = args
    os.makedirs(out_dir, exist_ok=True)
    rows = run(sim_dir, model)
    with open(os.path.join(out_dir, "accel-sweep.json"), "w") as f:
        json.dump(rows, f, indent=1)
    text = table(rows)
    print(text, end="")
    png = os.path.join(out_dir, "accel-sweep.png")
    plot(rows, png)
    if target:
        with open(target) as f:
            content = f.read()
        begin, end = "<!-- accel-sweep:begin -->", "<!-- accel-sweep:end -->"
        start, stop = content.index(begin) + len(begin), content.index(end)
        with open(target, "w") as f:
            f.write(content[:start] + "\n" + text + content[stop:])
        img_dir = os.path.join(os.path.dirname(target), "img")
        os.makedirs(img_dir, exist_ok=True)
        shutil.copy(png, os.path.join(img_dir, "accel-sweep.png"))


if __name__ == "__main__":
    main()

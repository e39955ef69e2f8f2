#!/usr/bin/env python3
"""Collects the iCE40 builds of fpga/ into tables (docs/fpga.md).

    scripts/fpga_sweep.py TARGETS_JSON OUT_DIR [--update DOC.md]

Reads, for every place-and-route run scripts/fpga_targets.py lists, the
nextpnr report OUT_DIR/<run>.json (Fmax, utilisation, critical path), or,
for a run that did not fit, the reason from its log; the yosys log for the
cell counts; the step times.  Prints Markdown, writes OUT_DIR/sweep.json,
and with --update replaces the section between the fpga-sweep markers of
DOC.md.
"""
import argparse
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fpga_targets  # noqa: E402

BEGIN = "<!-- fpga-sweep:begin -->"
END = "<!-- fpga-sweep:end -->"
RESOURCES = {"ICESTORM_LC": "logic cells", "ICESTORM_RAM": "EBR", "ICESTORM_DSP": "DSP",
             "ICESTORM_SPRAM": "SPRAM", "SB_IO": "IO"}


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return None


def _seconds(out_dir, name):
    text = _read(os.path.join(out_dir, name + ".time"))
    return float(text) if text else None


def _utilisation_from_log(log):
    """{resource: (used, available)} from nextpnr's 'Device utilisation' lines."""
    used = {}
    for m in re.finditer(r"Info:\s+(\w+):\s+(\d+)/\s*(\d+)\s+\d+%", log or ""):
        used[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return used


def _critical_path(report):
    """The worst clock-to-clock path: delay, logic levels, first and last nets."""
    for cp in report.get("critical_paths", []):
        if cp["from"].startswith("posedge") and cp["to"].startswith("posedge"):
            path = cp["path"]
            nets = [e["net"] for e in path if e["type"] == "routing"]
            return {
                "delay_ns": round(sum(e["delay"] for e in path), 2),
                "logic_levels": sum(1 for e in path if e["type"] == "logic"),
                "from_net": nets[0] if nets else None,
                "to_cell": path[-1]["to"]["cell"],
                "nets": nets,
            }
    return None


def collect(spec, out_dir):
    _, pnrs = fpga_targets.builds(spec)
    rows = []
    for p in pnrs:
        name = p["name"]
        row = {k: p[k] for k in ("name", "kind", "device", "params", "freq_mhz", "seed")}
        row["synth_s"] = _seconds(out_dir, p["netlist"])
        row["pnr_s"] = _seconds(out_dir, name)
        report_text = _read(os.path.join(out_dir, name + ".json"))
        log = _read(os.path.join(out_dir, name + ".nextpnr.log"))
        if report_text:
            report = json.loads(report_text)
            row["status"] = "placed"
            row["fmax_mhz"] = round(min(c["achieved"] for c in report["fmax"].values()), 2)
            row["utilisation"] = {k: (v["used"], v["available"])
                                  for k, v in report["utilization"].items()}
            row["critical_path"] = _critical_path(report)
            icetime = re.search(r"Total path delay: ([\d.]+) ns \(([\d.]+) MHz\)",
                                _read(os.path.join(out_dir, name + ".icetime.txt")) or "")
            row["icetime_mhz"] = float(icetime.group(2)) if icetime else None
        elif log is not None and re.search(r"^ERROR: ", log, re.M):
            row["status"] = "does not fit"
            row["utilisation"] = _utilisation_from_log(log)
            over = [f"{RESOURCES.get(k, k)} {u}/{a}" for k, (u, a) in row["utilisation"].items()
                    if u > a]
            error = re.search(r"^ERROR: (.*)$", log, re.M)
            row["reason"] = ", ".join(over) if over else (error.group(1) if error else "failed")
        else:
            row["status"] = "not built"
        rows.append(row)
    return rows


def _used(row, resource):
    u = row.get("utilisation", {}).get(resource)
    return u[0] if u else 0


def _fmt_s(row):
    parts = [row.get("synth_s"), row.get("pnr_s")]
    return " + ".join("-" if s is None else f"{s:.0f}" for s in parts)


def sweep_table(rows, spec):
    out = ["| device | lanes | table log | logic cells | per lane | per added lane | EBR | DSP | "
           "SPRAM | Fmax MHz | target MHz | build s (synth + P&R) |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    sweep = [r for r in rows if r["kind"] == "sweep"]
    one_lane = {(r["device"], r["params"]["TABLE_LOG_MAX"]): _used(r, "ICESTORM_LC")
                for r in sweep if r["params"]["LANES"] == 1 and r["status"] == "placed"}
    for dev in spec["sweep"]["devices"]:
        for r in (r for r in sweep if r["device"] == dev):
            lanes = r["params"]["LANES"]
            log = r["params"]["TABLE_LOG_MAX"]
            lc = _used(r, "ICESTORM_LC")
            avail = r.get("utilisation", {}).get("ICESTORM_LC", (0, 0))[1]
            base = one_lane.get((dev, log))
            added = f"{(lc - base) / (lanes - 1):.0f}" if lanes > 1 and base and lc else "-"
            if r["status"] == "placed":
                fmax = f"{r['fmax_mhz']:.1f}"
            elif r["status"] == "does not fit":
                fmax = f"does not fit: {r['reason']}"
            else:
                fmax = "not built"
            cells = f"{lc} ({100 * lc / avail:.0f}%)" if avail else "-"
            per_lane = f"{lc / lanes:.0f}" if lc else "-"
            out.append(f"| {dev} | {lanes} | {log} | {cells} | {per_lane} | {added} | "
                       f"{_used(r, 'ICESTORM_RAM')} | {_used(r, 'ICESTORM_DSP')} | "
                       f"{_used(r, 'ICESTORM_SPRAM')} | {fmax} | {r['freq_mhz']} | {_fmt_s(r)} |")
    return out


def best_lanes(rows, spec):
    out = ["| device | target MHz | table log | largest lanes that fit | their Fmax MHz | "
           "weights/s (lanes x Fmax) | largest lanes at the target clock |",
           "|---|---|---|---|---|---|---|"]
    for dev in spec["sweep"]["devices"]:
        for log in spec["sweep"]["table_log_max"]:
            pts = [r for r in rows if r["kind"] == "sweep" and r["device"] == dev and
                   r["params"]["TABLE_LOG_MAX"] == log and r["status"] == "placed"]
            if not pts:
                out.append(f"| {dev} | - | {log} | none | - | - | none |")
                continue
            fit = max(pts, key=lambda r: r["params"]["LANES"])
            lanes = fit["params"]["LANES"]
            at_clock = [r for r in pts if r["fmax_mhz"] >= r["freq_mhz"]]
            clocked = (max(r["params"]["LANES"] for r in at_clock) if at_clock else "none")
            rate = lanes * fit["fmax_mhz"] * 1e6
            out.append(f"| {dev} | {fit['freq_mhz']} | {log} | {lanes} | {fit['fmax_mhz']:.1f} | "
                       f"{rate / 1e6:.0f} M | {clocked} |")
    return out


def target_table(rows, spec):
    out = ["| target | device | parameters | logic cells | EBR | Fmax MHz (seed) | icetime MHz | "
           "target MHz | claimed (fpga/targets.json) |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["kind"] != "target":
            continue
        claim = spec["targets"][r["name"]].get("claim")
        if claim is None:
            claimed = "-"
        elif claim["fits"]:
            claimed = f">= {claim['fmax_mhz']} MHz, <= {claim['logic_cells_max']} cells"
        else:
            claimed = f"does not fit; <= {claim['logic_cells_max']} cells"
        params = ", ".join(f"{k}={v}" for k, v in r["params"].items())
        lc = _used(r, "ICESTORM_LC")
        avail = r.get("utilisation", {}).get("ICESTORM_LC", (0, 0))[1]
        if r["status"] == "placed":
            fmax = f"{r['fmax_mhz']:.1f} ({r['seed']})"
        else:
            fmax = r["status"] + (f": {r['reason']}" if "reason" in r else "")
        icetime = f"{r['icetime_mhz']:.1f}" if r.get("icetime_mhz") else "-"
        out.append(f"| {r['name']} | {r['device']} | {params} | {lc}/{avail} | "
                   f"{_used(r, 'ICESTORM_RAM')} | {fmax} | {icetime} | {r['freq_mhz']} | "
                   f"{claimed} |")
    return out


def seed_table(rows, spec):
    study = spec["sweep"]["seed_study"]
    out = ["| target | " + " | ".join(f"seed {s}" for s in study["seeds"]) + " | spread |",
           "|---|" + "---|" * (len(study["seeds"]) + 1)]
    by_name = {r["name"]: r for r in rows}
    for t in study["targets"]:
        cells = []
        values = []
        for s in study["seeds"]:
            name = t if s == spec["targets"][t]["seed"] else f"seeds/{t}-seed{s}"
            r = by_name.get(name)
            if r and r["status"] == "placed":
                cells.append(f"{r['fmax_mhz']:.1f}")
                values.append(r["fmax_mhz"])
            else:
                cells.append("-" if not r else r["status"])
        spread = f"{min(values):.1f} .. {max(values):.1f}" if values else "-"
        out.append(f"| {t} | " + " | ".join(cells) + f" | {spread} |")
    return out


def path_list(rows):
    out = []
    for r in rows:
        cp = r.get("critical_path")
        if r["kind"] != "target" or not cp:
            continue
        out.append(f"- `{r['name']}`: {cp['delay_ns']} ns through {cp['logic_levels']} cells "
                   f"(carry steps included), first net `{cp['from_net']}`, "
                   f"ending at `{cp['to_cell']}`")
    return out


def markdown(rows, spec):
    lines = ["Named targets (one build each, the seed in brackets; icetime's estimate of the "
             "same placement where `make -C fpga` has made it):", ""]
    lines += target_table(rows, spec)
    lines += ["", "Fmax in MHz of the same netlists at other placement seeds:", ""]
    lines += seed_table(rows, spec)
    lines += ["", "Worst clock-to-clock path of each named target (nextpnr's report; the names "
              "are yosys's after LUT merging, so they hint at the logic rather than name it):", ""]
    lines += path_list(rows)
    lines += ["", f"The sweep (SYMBOL_WIDTH and REQUEST_QUEUE at "
              f"{', '.join(f'{k}={v}' for k, v in spec['sweep']['params'].items())}, "
              f"seed {spec['sweep']['seed']}, --freq at the device's target):", ""]
    lines += sweep_table(rows, spec)
    lines += ["", "Largest configuration per device and table log:", ""]
    lines += best_lanes(rows, spec)
    return "\n".join(lines) + "\n"


def update(doc_path, text):
    with open(doc_path) as f:
        doc = f.read()
    start = doc.find(BEGIN)
    end = doc.find(END)
    if start < 0 or end < start:
        sys.exit(f"{doc_path}: no {BEGIN} ... {END} section")
    with open(doc_path, "w") as f:
        f.write(doc[:start + len(BEGIN)] + "\n" + text + doc[end:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("targets_json")
    ap.add_argument("out_dir")
    ap.add_argument("--update", metavar="DOC.md")
    args = ap.parse_args()
    spec = fpga_targets.load(args.targets_json)
    rows = collect(spec, args.out_dir)
    with open(os.path.join(args.out_dir, "sweep.json"), "w") as f:
        json.dump(rows, f, indent=1)
    text = markdown(rows, spec)
    sys.stdout.write(text)
    if args.update:
        update(args.update, text)


if __name__ == "__main__":
    main()

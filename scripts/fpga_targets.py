#!/usr/bin/env python3
"""The iCE40 builds described by fpga/targets.json (docs/fpga.md).

    scripts/fpga_targets.py TARGETS_JSON OUT_DIR

Writes OUT_DIR/targets.mk, the make variables fpga/Makefile builds from, and
for every netlist and every place-and-route run a settings file
OUT_DIR/<name>.cfg.  Each file is rewritten only when its content changes, so
a build is redone exactly when its own settings change (a new claim or an
unrelated target rebuilds nothing).

A netlist is one design with one set of parameters; place-and-route runs on
several devices and seeds share it.  Place-and-route runs:
  <target>                        the named targets
  sweep/<design>-<dev>-l<L>-t<T>  the sweep: lanes x table logs x devices
  seeds/<target>-seed<N>          the seed study: named targets at other seeds

Also imported by scripts/fpga_sweep.py (builds()).
"""
import json
import os
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _params_key(params):
    short = {"LANES": "l", "TABLE_LOG_MAX": "t", "SYMBOL_WIDTH": "s", "REQUEST_QUEUE": "q"}
    return "-".join(f"{short.get(k, k.lower())}{v}" for k, v in sorted(params.items()))


def _netlist(spec, design_name, params):
    design = spec["designs"][design_name]
    return {
        "name": f"netlist/{design_name}-{_params_key(params)}",
        "design": design_name,
        "top": design["top"],
        "sources": [os.path.join(TOP, s) for s in design["sources"]],
        "includes": [os.path.join(TOP, i) for i in design["includes"]],
        "headers": [os.path.join(TOP, h) for h in design["headers"]],
        "params": dict(sorted(params.items())),
        "synth_flags": design["synth_flags"],
    }


def _pnr(spec, name, design_name, device_name, params, seed, kind):
    device = spec["devices"][device_name]
    return {
        "name": name,
        "kind": kind,
        "netlist": _netlist(spec, design_name, params)["name"],
        "design": design_name,
        "device": device_name,
        "params": dict(sorted(params.items())),
        "nextpnr": device["nextpnr"],
        "icetime": device["icetime"],
        "chipdb": device["chipdb"],
        "pcf": os.path.join(TOP, "fpga", device["pcf"]),
        "freq_mhz": device["freq_mhz"],
        "seed": seed,
    }


def load(path):
    with open(path) as f:
        return json.load(f)


def builds(spec):
    """(netlists, place-and-route runs), each a list of dicts, in build order."""
    pnrs = []
    for name, t in spec["targets"].items():
        pnrs.append(_pnr(spec, name, t["design"], t["device"], t["params"], t["seed"], "target"))
    sweep = spec["sweep"]
    for lanes in sweep["lanes"]:
        for log in sweep["table_log_max"]:
            params = dict(sweep["params"], LANES=lanes, TABLE_LOG_MAX=log)
            for dev in sweep["devices"]:
                name = f"sweep/{sweep['design']}-{dev}-l{lanes}-t{log}"
                pnrs.append(_pnr(spec, name, sweep["design"], dev, params, sweep["seed"], "sweep"))
    study = sweep["seed_study"]
    for tname in study["targets"]:
        t = spec["targets"][tname]
        for seed in study["seeds"]:
            if seed != t["seed"]:
                pnrs.append(_pnr(spec, f"seeds/{tname}-seed{seed}", t["design"], t["device"],
                                 t["params"], seed, "seed"))
    netlists = {}
    for p in pnrs:
        n = _netlist(spec, p["design"], p["params"])
        netlists.setdefault(n["name"], n)
    return list(netlists.values()), pnrs


def _write_if_changed(path, text):
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def makefile(spec, out_dir):
    netlists, pnrs = builds(spec)
    lines = ["# Generated from fpga/targets.json by scripts/fpga_targets.py; do not edit."]

    def var(name, value):
        lines.append(f"{name} := {value}")

    var("FPGA_NETLISTS", " ".join(n["name"] for n in netlists))
    var("FPGA_PNRS", " ".join(p["name"] for p in pnrs))
    var("FPGA_TARGETS", " ".join(spec["targets"]))
    # Targets documented as not fitting their device build only when named.
    var("FPGA_ALL_TARGETS", " ".join(t for t, e in spec["targets"].items()
                                     if e.get("claim", {}).get("fits", True)))
    var("FPGA_CI_TARGETS", " ".join(t for t, e in spec["targets"].items() if e.get("ci")))
    var("FPGA_SWEEP_PNRS", " ".join(p["name"] for p in pnrs if p["kind"] != "target"))
    for n in netlists:
        m = n["name"]
        var(f"{m}.top", n["top"])
        var(f"{m}.sources", " ".join(n["sources"]))
        var(f"{m}.includes", " ".join(n["includes"]))
        var(f"{m}.headers", " ".join(n["headers"]))
        var(f"{m}.chparams", " ".join(f"-chparam {k} {v}" for k, v in n["params"].items()))
        var(f"{m}.synth_flags", n["synth_flags"])
        _write_if_changed(os.path.join(out_dir, m + ".cfg"), json.dumps(n, indent=1) + "\n")
    for p in pnrs:
        m = p["name"]
        for key in ("netlist", "nextpnr", "icetime", "chipdb", "pcf", "freq_mhz", "seed"):
            var(f"{m}.{key}", p[key])
        _write_if_changed(os.path.join(out_dir, m + ".cfg"), json.dumps(p, indent=1) + "\n")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out_dir = sys.argv[2]
    _write_if_changed(os.path.join(out_dir, "targets.mk"), makefile(load(sys.argv[1]), out_dir))


if __name__ == "__main__":
    main()

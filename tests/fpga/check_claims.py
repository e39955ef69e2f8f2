#!/usr/bin/env python3
"""Compares iCE40 builds with the claims of fpga/targets.json (test_fpga.sh).

    tests/fpga/check_claims.py TARGETS_JSON OUT_DIR TARGET...

For each target prints "ok fpga/<target>/<check>" or "not ok ...: reason",
each after a "# ..." line with the figures, for two checks: "fit" (fits the device, or, where the claim says it does
not, has not grown past the claimed logic cells) and "fmax" (nextpnr's Fmax
at least the claimed one).  Exits 1 if any check failed.
"""
import json
import os
import re
import sys


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return None


def utilisation(log):
    return {m.group(1): (int(m.group(2)), int(m.group(3)))
            for m in re.finditer(r"Info:\s+(\w+):\s+(\d+)/\s*(\d+)\s+\d+%", log or "")}


def check(name, claim, out_dir):
    """[(ok, check, message)] for one target."""
    report = read(os.path.join(out_dir, name + ".json"))
    log = read(os.path.join(out_dir, name + ".nextpnr.log"))
    if report is None and log is None:
        return [(False, "fit", "no nextpnr run (synthesis failed? see "
                 f"{out_dir}/netlist/*.yosys.log)"), (False, "fmax", "not placed")]
    if report is not None:
        r = json.loads(report)
        used = {k: (v["used"], v["available"]) for k, v in r["utilization"].items()}
    else:
        used = utilisation(log)
    cells, avail = used.get("ICESTORM_LC", (0, 0))
    names = {"ICESTORM_LC": "logic cells", "ICESTORM_RAM": "EBR", "ICESTORM_DSP": "DSP"}
    over = [f"{names.get(k, k)} {u}/{a}" for k, (u, a) in used.items() if u > a]
    results = []
    cells_ok = cells <= claim["logic_cells_max"]
    size = (f"{cells}/{avail} logic cells, claimed <= {claim['logic_cells_max']}" +
            ("" if cells_ok else ": grew past the claim"))
    if report is not None:
        note = "" if claim["fits"] else "; now fits: update the claim"
        results.append((cells_ok, "fit", f"fits, {size}{note}"))
    elif claim["fits"]:
        reason = ", ".join(over) if over else "nextpnr failed, see " + name + ".nextpnr.log"
        results.append((False, "fit", f"no longer fits: {reason}"))
    else:
        growth = "" if cells_ok else f"; grew past the claimed {claim['logic_cells_max']} cells"
        results.append((cells_ok and bool(over), "fit", "does not fit, as documented: " +
                        (", ".join(over) or "nextpnr failed") + growth))
    if report is None:
        results.append((not claim["fits"], "fmax", "not placed" +
                        ("" if claim["fits"] else ", as documented")))
    else:
        fmax = min(c["achieved"] for c in json.loads(report)["fmax"].values())
        want = claim["fmax_mhz"]
        if want is None:
            results.append((True, "fmax", f"{fmax:.1f} MHz (no claim)"))
        else:
            results.append((fmax >= want, "fmax", f"{fmax:.1f} MHz, claimed >= {want} MHz"))
    return results


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    out_dir = sys.argv[2]
    failed = False
    for name in sys.argv[3:]:
        for ok, what, message in check(name, spec["targets"][name]["claim"], out_dir):
            print(f"# fpga/{name}/{what}: {message}")
            print(f"ok fpga/{name}/{what}" if ok else f"not ok fpga/{name}/{what}: {message}")
            failed |= not ok
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

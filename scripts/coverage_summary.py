#!/usr/bin/env python3
"""Sums Verilator coverage files and reports line and toggle coverage per RTL file.

    scripts/coverage_summary.py OUT.json FILE.dat [FILE.dat ...]

A point counts as covered when its summed count is nonzero.  Only points in
files under an rtl/ directory are reported.  Prints a Markdown table and
writes the same figures to OUT.json.
"""
import collections
import json
import os
import re
import sys

POINT = re.compile(r"^C '(.*)' (\d+)$")


def read_points(paths):
    counts = collections.Counter()
    for path in paths:
        with open(path, encoding="latin-1") as f:
            for line in f:
                m = POINT.match(line.rstrip("\n"))
                if m:
                    counts[m.group(1)] += int(m.group(2))
    return counts


def fields(key):
    out = {}
    for part in key.split("\x01"):
        if "\x02" in part:
            k, v = part.split("\x02", 1)
            out[k] = v
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out_json, paths = sys.argv[1], sys.argv[2:]
    table = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0]))
    for key, count in read_points(paths).items():
        f = fields(key)
        path = f.get("f", "")
        if "/rtl/" not in path:
            continue
        kind = f.get("page", "").split("/")[0].replace("v_", "")
        cell = table[os.path.basename(path)][kind]
        cell[0] += count > 0
        cell[1] += 1
    kinds = sorted({k for per in table.values() for k in per})
    totals = {k: [0, 0] for k in kinds}
    print("| file | " + " | ".join(kinds) + " |")
    print("|---|" + "---|" * len(kinds))
    result = {}
    for name in sorted(table):
        row = []
        for k in kinds:
            hit, total = table[name].get(k, [0, 0])
            totals[k][0] += hit
            totals[k][1] += total
            row.append(f"{hit}/{total} ({100.0 * hit / total:.1f}%)" if total else "-")
        result[name] = {k: table[name][k] for k in table[name]}
        print(f"| {name} | " + " | ".join(row) + " |")
    print("| all | " + " | ".join(
        f"{h}/{t} ({100.0 * h / t:.1f}%)" for h, t in (totals[k] for k in kinds)) + " |")
    result["all"] = totals
    with open(out_json, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes a Verilog header with the integer #defines of a C header.

    scripts/c2vh.py refmodel/lib/common/tans_hw.h > rtl/tans_hw.vh

Each `#define WC_NAME <integer>` (decimal or hexadecimal, optionally with a
`u` suffix) becomes `localparam integer NAME = <decimal>;` (the WC_ prefix
dropped), keeping its trailing comment, so the RTL and the C code share one
definition.
"""
import re
import sys

DEFINE = re.compile(r"#define\s+WC_(\w+)\s+(0x[0-9A-Fa-f]+|\d+)u?\s*(/\*(.*)\*/)?$")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src = sys.argv[1]
    out = [f"// Generated from {src} by scripts/c2vh.py; do not edit.",
           "// Included inside module bodies."]
    with open(src) as f:
        for line in f:
            m = DEFINE.match(line.strip())
            if not m:
                continue
            name, value, _, comment = m.groups()
            text = f"localparam integer {name} = {int(value, 0)};"
            if comment:
                text += f"  // {comment.strip()}"
            out.append(text)
    print("\n".join(out))


if __name__ == "__main__":
    main()

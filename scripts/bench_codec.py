#!/usr/bin/env python3
"""Runs `wcodec bench --json` on the PaddleOCR models and renders the results.

    scripts/bench_codec.py WCODEC MODELS_DIR OUT_DIR [--update README.md]

Writes OUT_DIR/<model>-<bins>.json for each run and OUT_DIR/codec.md with the
tables; with --update, replaces the text between the markers
<!-- bench-codec:begin --> and <!-- bench-codec:end --> in the given file.
"""
import json
import os
import platform
import subprocess
import sys

MODELS = [
    ("cls", "ch_ppocr_mobile_v2.0_cls_infer.onnx"),
    ("det", "ch_PP-OCRv4_det_infer.onnx"),
    ("rec", "ch_PP-OCRv4_rec_infer.onnx"),
]
BINS = [15, 7]
# (label, coder, states, lanes) of the columns, in order.
COLUMNS = [
    ("tANS 64", "tans", 64, 1),
    ("tANS 256", "tans", 256, 1),
    ("tANS 4096", "tans", 4096, 1),
    ("tANS 256 x8", "tans", 256, 8),
    ("tANS 4096 x8", "tans", 4096, 8),
    ("Huffman", "huffman", None, None),
    ("zlib -9", "zlib", None, None),
    ("zstd -19", "zstd", None, None),
]


def find_row(result, coder, states, lanes):
    for row in result["rows"]:
        if row["coder"] == coder and row["states"] == states and row["lanes"] == lanes:
            return row
    raise KeyError((coder, states, lanes))


def run(wcodec, models_dir, out_dir):
    results = {}
    for name, filename in MODELS:
        for bins in BINS:
            path = os.path.join(models_dir, filename)
            out = subprocess.run([wcodec, "bench", path, "--bins", str(bins), "--json"],
                                 check=True, capture_output=True, text=True).stdout
            with open(os.path.join(out_dir, f"{name}-{bins}.json"), "w") as f:
                f.write(out)
            results[(name, bins)] = json.loads(out)
    return results


def render(results):
    lines = []
    head = "| model | bins | weights | H0 bound | " + " | ".join(c[0] for c in COLUMNS) + " |"
    lines += ["Coded size in bytes (tables and headers included) and its excess over the "
              "order-0 entropy bound:", "", head,
              "|" + "---|" * (4 + len(COLUMNS))]
    for (name, bins), r in results.items():
        cells = [name, str(bins), f"{r['weights']:,}", f"{r['h0_bytes']:,.0f}"]
        for _, coder, states, lanes in COLUMNS:
            row = find_row(r, coder, states, lanes)
            excess = 100.0 * (row["bytes"] / r["h0_bytes"] - 1.0)
            cells.append(f"{row['bytes']:,} ({excess:+.2f}%)")
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Single-thread decode speed, million weights per second (best of at least "
              "3 runs):", "", "| model | bins | " + " | ".join(c[0] for c in COLUMNS) + " |",
              "|" + "---|" * (2 + len(COLUMNS))]
    for (name, bins), r in results.items():
        cells = [name, str(bins)]
        for _, coder, states, lanes in COLUMNS:
            cells.append(f"{find_row(r, coder, states, lanes)['decode_mbps']:.0f}")
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"Measured on {platform.machine()} ({os.cpu_count()} cores), "
              "`make bench-codec` re-runs it."]
    return "\n".join(lines) + "\n"


def update(path, text):
    begin, end = "<!-- bench-codec:begin -->", "<!-- bench-codec:end -->"
    with open(path) as f:
        content = f.read()
    start, stop = content.index(begin) + len(begin), content.index(end)
    with open(path, "w") as f:
        f.write(content[:start] + "\n" + text + content[stop:])


def main():
    args = sys.argv[1:]
    target = None
    if "--update" in args:
        i = args.index("--update")
        target = args[i + 1]
        del args[i:i + 2]
    if len(args) != 3:
        sys.exit(__doc__)
    wcodec, models_dir, out_dir = args
    os.makedirs(out_dir, exist_ok=True)
    text = render(run(wcodec, models_dir, out_dir))
    with open(os.path.join(out_dir, "codec.md"), "w") as f:
        f.write(text)
    print(text, end="")
    if target:
        update(target, text)


if __name__ == "__main__":
    main()

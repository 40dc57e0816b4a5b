#!/usr/bin/env bash
# What the fields tlsdiag reads cost Wireshark, group by group (callgrind
# instruction counts, so the numbers do not move with the machine's load).
#
#   bench/fields-cost.sh [SIZE]         default 20k (bench/cache/bench-20k.pcap)
#
# A post-dissector reads fields by asking Wireshark to keep them
# (set_postdissector_wanted_hfids): on every packet Wireshark then primes
# them and builds real tree items for them. The same happens to the fields a
# display filter names, so with tlsdiag disabled,
#   tshark -q -r F -Y "tls.handshake.type || FIELD || FIELD ..." --disable-protocol tlsdiag
# costs what wanting FIELD... costs. This script measures, above
# `-Y tls.handshake.type --disable-protocol tlsdiag`, each group of the
# fields listed in tlsdiag-fields.c, all of them, and the plugin itself;
# Wireshark's start-up (a 10-packet capture) is subtracted. About 25 s per
# row on a 20k capture (one core).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
size=${1:-20k}
command -v valgrind >/dev/null || { echo "fields-cost.sh: needs valgrind" >&2; exit 1; }

f=$here/cache/bench-$size.pcap
"$here/make-capture.sh" "$size" "$f"
plugin=${TLSDIAG_PLUGIN:-}
if [ -z "$plugin" ]; then
    build=${BENCH_BUILD:-/tmp/bench-build}
    cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" --target tlsdiag >/dev/null
    plugin=$build/tlsdiag.so
fi
work=$(mktemp -d /tmp/tlsdiag-fields.XXXXXX)
trap 'rm -rf "$work"' EXIT
ver=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
mkdir -p "$work/home/.local/lib/wireshark/plugins/$ver/epan"
cp "$plugin" "$work/home/.local/lib/wireshark/plugins/$ver/epan/tlsdiag.so"
editcap -r "$f" "$work/tiny.pcap" 1-10
run=(env "HOME=$work/home")
if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$work"
    run=(setpriv --reuid=65534 --regid=65534 --clear-groups env "HOME=$work/home")
fi
chmod -R a+rX "$work"

# The names tlsdiag-fields.c lists (TLS's and DTLS's, and the newer names it
# reads where they exist) that this Wireshark has: a filter naming one it
# lacks would not run.
all=$(sed -n '/field_[a-z_]*names\[F_COUNT\] = {/,/^};/p' "$top/tlsdiag-fields.c" | grep -o '"[a-zA-Z0-9_.]*"' |
      tr -d '"' | sort -u | grep -Fxf <(tshark -G fields 2>/dev/null | cut -f3))
[ -n "$all" ] || { echo "fields-cost.sh: no field list in tlsdiag-fields.c" >&2; exit 1; }
or() { tr ' ' '\n' | grep . | paste -sd' ' | sed 's/ / || /g'; }
pick() { echo "$all" | grep -E "$1" | or; }

# instructions FILE ARGS...: callgrind's total for tshark -q -r FILE ARGS...
instructions() {
    local file=$1; shift
    "${run[@]}" valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
        tshark -q -r "$file" "$@" >/dev/null 2>&1
    sed -n 's/^totals: //p' "$work/cg.out"
}
packets=$(capinfos -c -M "$f" | sed -n 's/^Number of packets: *//p')
startup=$(instructions "$work/tiny.pcap" -Y tls.handshake.type --disable-protocol tlsdiag)
base=$(instructions "$f" -Y tls.handshake.type --disable-protocol tlsdiag)
per=$(( (base - startup) / packets ))
echo "capture: $f, $packets packets; tshark start-up $startup instructions"
echo "(a) -Y tls.handshake.type, tlsdiag disabled: $per instructions per packet"
echo
printf '| fields named (tlsdiag disabled) | n | instructions / packet above (a) | %% of (a) |\n|---|---:|---:|---:|\n'
row() {
    local name=$1 list=$2 n
    n=$(echo "$list" | { grep -o '||' || true; } | wc -l); n=$((n + 1))
    local t; t=$(instructions "$f" -Y "tls.handshake.type || $list" --disable-protocol tlsdiag)
    local d=$(( (t - base) / packets ))
    printf '| %s | %d | %d | %.1f |\n' "$name" "$n" "$d" "$(awk -v d="$d" -v p="$per" 'BEGIN { print 100 * d / p }')"
}
row "all fields tlsdiag reads" "$(echo "$all" | or)"
row "tcp.segment.count" "$(pick '^tcp\.')"
row "tls.* (records, handshake messages, alerts, certificates)" "$(pick '^tls\.')"
row "dtls.*" "$(pick '^dtls\.')"
row "quic.*" "$(pick '^quic\.')"
row "icmp.type, icmpv6.type" "$(pick '^icmp')"
t=$(instructions "$f" -Y tls.handshake.type)
d=$(( (t - base) / packets ))
printf '| **(b): tlsdiag enabled** (its fields + its own work) | | %d | %.1f |\n' "$d" "$(awk -v d="$d" -v p="$per" 'BEGIN { print 100 * d / p }')"

#!/usr/bin/env bash
# Build (or reuse) a large benchmark capture from real handshakes.
#
#   bench/make-capture.sh SIZE OUT.pcap      SIZE: 100k, 1M, 5M or a number of packets
#
# OUT.pcap holds at least SIZE packets: copies of the real connections recorded
# once by bench/capture-seed.sh (cached in bench/cache/seed.pcap; needs root the
# first time) and of the project's captures/*.pcap (the failures and their
# causes, retry chains), each copy on addresses and ports of its own, merged in
# time order by bench/gen.py (see its header for the mix). OUT.json is the
# generator's bookkeeping (handshakes, failures, TCP connections with TLS,
# clients). Deterministic: the same seed capture and inputs give the same
# bytes; an OUT.pcap made from the same inputs is reused as is.
#
# BENCH_NO_SEED=1: no seed capture, the project's own successful captures
# stand in for it (the smoke test; needs no root to build).
set -euo pipefail

size=${1:?usage: make-capture.sh SIZE OUT.pcap}
out=${2:?usage: make-capture.sh SIZE OUT.pcap}
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
py=/usr/bin/python3
[ -x $py ] || py=python3

case $size in
    *[kK]) packets=$(( ${size%[kK]} * 1000 )) ;;
    *M)    packets=$(( ${size%M} * 1000000 )) ;;
    *[!0-9]*|'') echo "make-capture.sh: SIZE is 100k, 1M, 5M or a number" >&2; exit 2 ;;
    *)     packets=$size ;;
esac

seedargs=()
if [ -z "${BENCH_NO_SEED:-}" ]; then
    seed=$here/cache/seed.pcap
    if [ ! -s "$seed" ]; then
        echo "make-capture.sh: recording the seed handshakes once into $seed" >&2
        "$here/capture-seed.sh" "$seed"
    fi
    seedargs=(--seed-pcap "$seed")
fi

# Reuse OUT if it was made from exactly these inputs.
stamp=$( { echo "$packets ${BENCH_NO_SEED:-seed}"; sha256sum "$here/gen.py";
           [ -n "${BENCH_NO_SEED:-}" ] || stat -c '%s %Y' "$here/cache/seed.pcap";
           sha256sum "$top"/captures/*.pcap; } | sha256sum | cut -c1-16)
if [ -s "$out" ] && [ -s "$out.json" ] && [ "$(cat "$out.stamp" 2>/dev/null)" = "$stamp" ]; then
    echo "make-capture.sh: $out is up to date" >&2
    exit 0
fi
mkdir -p "$(dirname "$out")"
start=$(date +%s.%N)
$py "$here/gen.py" --packets "$packets" "${seedargs[@]}" --captures "$top/captures" \
    --out "$out" --book "$out.json"
echo "$stamp" >"$out.stamp"
chmod a+r "$out" "$out.json"
awk -v s="$start" -v e="$(date +%s.%N)" -v o="$out" 'BEGIN { printf "make-capture.sh: %s in %.1f s\n", o, e - s }' >&2

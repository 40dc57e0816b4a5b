#!/bin/bash
# Benign mutations change no verdict (issue 19): every capture in captures/
# (with its key log where there is one) against copies made by
# tests/fuzz-mutate.py --every: each packet written twice in a row (a
# duplicating link), each TCP segment with data sent again 1-4 packets
# later (retransmissions), and the same packets carried otherwise: with a
# VLAN tag, in two IPv4 fragments, behind an IPv6 extension header (a copy
# that comes out the same, as an IPv4 capture's v6ext, is not compared).
# With -2 (the verdicts of the whole capture), each ClientHello
# (tlsdiag.handshake_frame == frame.number) keeps its outcome and causes,
# frame numbers mapped back to the original's, and no ClientHello gains or
# loses a verdict.
#
#   tests/benign-mutations.sh PLUGIN.so
set -euo pipefail
plugin=${1:?usage: benign-mutations.sh PLUGIN.so}
top=$(cd "$(dirname "$0")/.." && pwd)

work=$(mktemp -d /tmp/tlsdiag-benign.XXXXXX)
trap 'rm -rf "$work"' EXIT
ver=$(tshark --version | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
mkdir -p "$work/home/.local/lib/wireshark/plugins/$ver/epan" "$work/cap"
cp "$plugin" "$work/home/.local/lib/wireshark/plugins/$ver/epan/tlsdiag.so"
cp "$top"/captures/*.pcap "$top"/captures/*.keys "$work/cap/"
mutations=(dup retrans vlan ipfrag v6ext)
for f in "$top"/captures/*.pcap; do
    name=$(basename "$f" .pcap)
    for mut in "${mutations[@]}"; do
        python3 "$top/tests/fuzz-mutate.py" "$f" "$work/cap/$name@$mut.pcap" "$mut" 1 --every \
            --map "$work/cap/$name@$mut.map"
        if cmp -s "$f" "$work/cap/$name@$mut.pcap"; then
            rm "$work/cap/$name@$mut.pcap"
        fi
    done
done
run=(env "HOME=$work/home")
if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$work"
    run=(setpriv --reuid=65534 --regid=65534 --clear-groups "${run[@]}")
fi
chmod -R a+rX "$work"

# "ClientHello frame<TAB>outcome<TAB>causes", one line per judged ClientHello,
# frame numbers through the map (FILE.map) when there is one.
verdicts() {    # FILE.pcap, tshark options...
    local f=$1; shift
    (cd "$work/cap" && "${run[@]}" tshark "$@" -2 -r "$f" -Y 'tlsdiag.handshake_frame == frame.number' \
        -T fields -E aggregator=, -e frame.number -e tlsdiag.outcome -e tlsdiag.cause 2>>"$work/err") |
        awk -F'\t' -v map="$work/cap/${f%.pcap}.map" '
            BEGIN { while ((getline line < map) > 0) orig[++n] = line }
            { if (n) $1 = orig[$1]; print }' OFS='\t' | sort -n
}

passed=0 failed=0 hellos=0
for f in "$top"/captures/*.pcap; do
    name=$(basename "$f" .pcap)
    opt=(); [ -f "$work/cap/$name.keys" ] && opt=(-o "tls.keylog_file:$name.keys")
    : >"$work/err"
    want=$(verdicts "$name.pcap" "${opt[@]}")
    for mut in "${mutations[@]}"; do
        [ -f "$work/cap/$name@$mut.pcap" ] || continue
        got=$(verdicts "$name@$mut.pcap" "${opt[@]}")
        if [ "$got" = "$want" ] && [ ! -s "$work/err" ]; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL $name ($mut${opt:+, key log}): verdicts per ClientHello, original < > mutated"
            diff <(echo "$want") <(echo "$got") | grep '^[<>]' | sed 's/^/     /' || true
            sed 's/^/     stderr: /' "$work/err"
        fi
    done
    hellos=$((hellos + $(grep -c . <<< "$want" || true)))
done
# A comparison of nothing would pass: the captures hold a known many verdicts.
if [ "$hellos" -lt 150 ]; then
    echo "FAIL only $hellos judged ClientHellos in the captures"; failed=$((failed + 1))
fi
echo "$passed passed, $failed failed ($hellos ClientHellos, each compared in every copy that differs)"
[ $failed = 0 ]

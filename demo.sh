#!/bin/bash
# Build tlsdiag, install it and the "TLS Diagnostics" profile for the user who
# ran it, and show its diagnosis of a dozen bundled captures that tell the
# story of a failing handshake (--all: every capture), each read with its key
# log where it has one, ending with a one-screen summary.
set -euo pipefail
top=$(cd "$(dirname "$0")" && pwd)
all=0
case ${1:-} in
    --all) all=1 ;;
    "") ;;
    *) echo "usage: $0 [--all]" >&2; exit 2 ;;
esac

"$top/tools/deps.sh"
mkdir -p "$top/build"
log=$top/build/demo.log
printf 'Building tlsdiag (log: %s) ... ' "$log"
if cmake -S "$top" -B "$top/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$log" 2>&1 &&
   cmake --build "$top/build" -j"$(nproc)" >>"$log" 2>&1; then
    echo done
else
    echo "failed:"; tail -n 20 "$log" | sed 's/^/    /'; exit 1
fi

ver=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
user=${SUDO_USER:-$(id -un)}
home=$(getent passwd "$user" | cut -d: -f6)
dest=$home/.local/lib/wireshark/plugins/$ver/epan
profile=$home/.config/wireshark/profiles/TLS\ Diagnostics
install -D -m 0644 "$top/build/tlsdiag.so" "$dest/tlsdiag.so"
mkdir -p "$profile"
cp "$top/profiles/TLS Diagnostics/"* "$profile/"
[ "$user" = "$(id -un)" ] || chown -R "$user:" "$home/.local/lib/wireshark" "$home/.config/wireshark"
echo "Installed the plugin: $dest/tlsdiag.so"
echo "Installed the profile: $profile"

run=(); capdir=$top/captures
if [ "$user" = root ]; then
    # Wireshark ignores personal plugins when run as root: show the demo as nobody.
    echo "(Wireshark ignores personal plugins as root: this demo runs tshark as 'nobody' with a copy.)"
    tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
    install -D -m 0644 "$top/build/tlsdiag.so" "$tmp/home/.local/lib/wireshark/plugins/$ver/epan/tlsdiag.so"
    cp "$top"/captures/*.pcap "$top"/captures/*.keys "$tmp/"; chmod -R a+rX "$tmp"; chown -R 65534:65534 "$tmp/home"
    run=(setpriv --reuid=65534 --regid=65534 --clear-groups env "HOME=$tmp/home")
    capdir=$tmp
elif [ "$user" != "$(id -un)" ]; then
    run=(sudo -u "$user" env "HOME=$home")
fi

# A class's tour: a benign retry and an outage, certificates in TLS 1.2 and
# (with the key log) TLS 1.3, no SNI, a silent server, a middlebox's reset, a
# lost ClientHello, QUIC, and a healthy capture for contrast.
tour=(seed01-inappropriate-fallback retry-fallback-recovered retry-never-recovers cert-expired-tls12
      cert-expired-tls13 cert-untrusted-tls13-gnutls cert-hostname-curl-tls13 missing-sni-preread
      no-server-response path-sni-reset-openssl path-silent-drop quic-unknown-ca healthy-s-client-close)
if [ $all = 1 ]; then
    tour=(); for f in "$top"/captures/*.pcap; do tour+=("$(basename "$f" .pcap)"); done
fi

summary=()
for name in "${tour[@]}"; do
    keyopt=(); keynote=""
    if [ -f "$top/captures/$name.keys" ]; then
        keyopt=(-o "tls.keylog_file:$name.keys"); keynote=" (read with its key log, $name.keys)"
    fi
    echo
    echo "== $name.pcap$keynote"
    sed -n "s/^- \`$name.pcap\`\( + \`.keys\`\)\? — //p" "$top/captures/README.md" | fold -s -w 96 | sed 's/^/   /'
    # -2: the whole capture is read first, so each ClientHello carries its
    # handshake's final verdict, whether its client recovered included.
    verdicts=$(cd "$capdir" && "${run[@]}" tshark -2 "${keyopt[@]}" -r "$name.pcap" \
                 -Y 'tlsdiag.handshake_frame == frame.number' -T fields -E aggregator=, \
                 -e frame.number -e tlsdiag.outcome -e tlsdiag.cause -e tlsdiag.recovered -e tlsdiag.summary \
                 2>/dev/null)
    outcomes=$(echo "$verdicts" | awk -F'\t' 'NF { n[$2]++ } END { for (o in n) { printf "%s%d %s", sep, n[o], o; sep = ", " } }')
    causes=$(echo "$verdicts" | awk -F'\t' '{ n = split($3, c, ","); for (i = 1; i <= n; i++) if (!seen[c[i]]++) printf "%s%s", (k++ ? "," : ""), c[i] }')
    summary+=("$(printf '%-40s %-26s %s' "$name" "${outcomes:-no handshake}" "$causes")")
    echo "$verdicts" | awk -F'\t' 'NF {
        recovered = $4 == "" ? "" : ($4 == "1" || $4 == "True") ? ", the client recovered" : ", the client did not recover"
        printf "  ClientHello in frame %s: %s%s%s\n", $1, $2, ($3 != "" ? " — " $3 : ""), recovered
        print $5 }' | fold -s -w 96 | sed '/^  ClientHello/!s/^/      /'
done

echo
echo "== Summary: capture, handshakes by outcome, causes"
printf '%s\n' "${summary[@]}"
echo
first=cert-expired-tls13
echo "Open one in the GUI with the profile (as a user other than root: Wireshark run as root ignores the plugin), e.g.:"
echo "  wireshark -C \"TLS Diagnostics\" -o tls.keylog_file:$top/captures/$first.keys -r $top/captures/$first.pcap"
echo "then Analyze → Expert Information, or Statistics → TLS Diagnostics."

#!/bin/bash
# Build tlsdiag, install it into your personal Wireshark plugin folder, and
# show its diagnosis of every bundled capture.
set -euo pipefail
top=$(cd "$(dirname "$0")" && pwd)
"$top/tools/deps.sh"
cmake -S "$top" -B "$top/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$top/build" -j"$(nproc)" >/dev/null

ver=$(tshark --version | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
user=${SUDO_USER:-$(id -un)}
home=$(getent passwd "$user" | cut -d: -f6)
dest=$home/.local/lib/wireshark/plugins/$ver/epan
install -D -m 0644 "$top/build/tlsdiag.so" "$dest/tlsdiag.so"
[ "$user" = "$(id -un)" ] || chown -R "$user:" "$home/.local/lib/wireshark"
echo "Installed $dest/tlsdiag.so"

run=(); tmp=
if [ "$user" = root ]; then
    # Wireshark ignores personal plugins when run as root: show the demo as nobody.
    echo "(Wireshark ignores personal plugins as root: this demo runs tshark as 'nobody' with a copy.)"
    tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
    install -D -m 0644 "$top/build/tlsdiag.so" "$tmp/home/.local/lib/wireshark/plugins/$ver/epan/tlsdiag.so"
    cp "$top"/captures/*.pcap "$tmp/"; chmod -R a+rX "$tmp"; chown -R 65534:65534 "$tmp/home"
    run=(setpriv --reuid=65534 --regid=65534 --clear-groups env "HOME=$tmp/home")
    capdir=$tmp
elif [ "$user" != "$(id -un)" ]; then
    run=(sudo -u "$user" env "HOME=$home"); capdir=$top/captures
else
    capdir=$top/captures
fi

for f in "$top"/captures/*.pcap; do
    name=$(basename "$f")
    echo
    echo "== $name — $(sed -n "s/^- \`$name\` — //p" "$top/captures/README.md")"
    (cd "$capdir" && "${run[@]}" tshark -r "$name" -Y 'tlsdiag.outcome' -T fields \
        -e frame.number -e tlsdiag.outcome -e tlsdiag.cause -e tlsdiag.summary -E aggregator=, 2>/dev/null) |
        awk -F'\t' '{ printf "  frame %s: %s%s\n    %s\n", $1, $2, ($3 != "" ? " — " $3 : ""), $4 }'
done

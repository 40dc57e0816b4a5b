#!/usr/bin/env bash
# The plugin's heap per TCP connection with TLS (issue 16's memory figure).
#
#   bench/heap.sh [SIZE]      default 5M; SIZE as bench/run.sh takes it
#
# Peak RSS understates what the plugin holds where Wireshark's heap already
# has holes its allocations fill (Wireshark 4.0; BENCHMARKS.md, ninth and
# tenth steps). This counts malloc's bytes in use instead. Two builds of this
# tree, patched in a copy, print mallinfo2()'s uordblks from the plugin's
# cleanup, before the core is freed: one whose dissector returns at once
# (Wireshark still builds the fields it wants), and the plugin itself. Each
# runs `tshark -q -r F -Y tlsdiag` once on bench/cache/bench-SIZE.pcap (made
# by bench/make-capture.sh if missing), as nobody when root. The difference,
# over the capture's TCP connections with TLS (its .json), is the figure.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
size=${1:-5M}
pcap=$here/cache/bench-$size.pcap

for c in tshark cmake python3 git; do
    command -v $c >/dev/null || { echo "heap.sh: needs $c" >&2; exit 1; }
done
"$here/make-capture.sh" "$size" "$pcap"
conns=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp_tls_connections"])' "$pcap.json")

work=$(mktemp -d /tmp/tlsdiag-heap.XXXXXX)
trap 'rm -rf "$work"' EXIT
ver=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')

# build VARIANT: the patched plugin, at $work/VARIANT.so.
build() {
    local src=$work/src-$1
    mkdir -p "$src"
    git -C "$top" ls-files -co --exclude-standard -z | (cd "$top" && tar --null -cf - -T -) | tar -xf - -C "$src"
    python3 - "$src/packet-tlsdiag.c" "$1" <<'PY'
import sys
path, variant = sys.argv[1], sys.argv[2]
s = open(path).read()
def patch(old, new):
    global s
    if old not in s:
        sys.exit("heap.sh: packet-tlsdiag.c no longer has %r: update bench/heap.sh" % old)
    s = s.replace(old, new, 1)
patch('#include <wireshark.h>\n', '#include <wireshark.h>\n#include <malloc.h>\n#include <stdio.h>\n')
patch('    set_postdissector_wanted_hfids(tlsdiag_handle, NULL);\n',
      '    set_postdissector_wanted_hfids(tlsdiag_handle, NULL);\n'
      '    fprintf(stderr, "tlsdiag-heap in-use %zu\\n", mallinfo2().uordblks);\n')
if variant == 'fields':
    patch('    if (!tlsdiag_state)\n        return 0;\n', '    if (tlsdiag_state)\n        return 0;\n')
open(path, 'w').write(s)
PY
    cmake -S "$src" -B "$work/build-$1" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$work/build-$1" --target tlsdiag >/dev/null
    cp "$work/build-$1/tlsdiag.so" "$work/$1.so"
}

# in_use VARIANT: the heap in use at the plugin's cleanup.
in_use() {
    local home=$work/home-$1 run
    mkdir -p "$home/.local/lib/wireshark/plugins/$ver/epan"
    cp "$work/$1.so" "$home/.local/lib/wireshark/plugins/$ver/epan/tlsdiag.so"
    chmod -R a+rX "$work"
    run=(env "HOME=$home")
    [ "$(id -u)" = 0 ] && run=(setpriv --reuid=65534 --regid=65534 --clear-groups env "HOME=$home")
    "${run[@]}" tshark -q -r "$pcap" -Y tlsdiag 2>&1 >/dev/null | sed -n 's/^tlsdiag-heap in-use //p'
}

build fields
build tlsdiag
a=$(in_use fields)
b=$(in_use tlsdiag)
[ -n "$a" ] && [ -n "$b" ] || { echo "heap.sh: no heap figure from tshark" >&2; exit 1; }
awk -v a="$a" -v b="$b" -v c="$conns" -v s="$size" -v v="$ver" 'BEGIN {
    printf "bench %s, Wireshark %s, %d TCP connections with TLS\n", s, v, c
    printf "heap in use at cleanup: fields only %d, tlsdiag %d\n", a, b
    printf "tlsdiag holds %.1f MB: %.1f bytes per connection\n", (b - a) / 1e6, (b - a) / c }'

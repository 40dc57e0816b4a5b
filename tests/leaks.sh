#!/bin/bash
# Leaks in tlsdiag's own allocations (issue 19), with LeakSanitizer.
#
#   tests/leaks.sh SANITIZED.so
#
# tshark opens one file per process and runs the init routines once, even
# with -2. sharkd (Wireshark's daemon, in wireshark-common) is what reopens a
# file as the GUI does: each "load" closes the previous capture and runs every
# cleanup routine, then every init routine, before dissecting the new file. One
# sharkd process loads a sample of captures in turn (with their key logs,
# some hostile copies from tests/fuzz-mutate.py, the first capture again at
# the end), and after each load re-dissects every frame through a display
# filter (the visited pass, as the GUI's packet list does). One tshark -2
# -z tlsdiag,tree run covers the statistics tap. Both run with the sanitizer
# runtimes preloaded and leak detection on; the slow unwinder is needed to
# see through GLib's g_malloc (built without frame pointers) into the plugin.
#
# Wireshark's own leaks on reload (sharkd keeps the previous file's wiretap
# handle and frame list) are listed in tests/lsan.supp. A remaining leak
# counts only if its allocation stack has a frame in tlsdiag's sources: other
# leaks are printed as a count, not judged.
set -euo pipefail
plugin=${1:?usage: leaks.sh SANITIZED.so}
top=$(cd "$(dirname "$0")/.." && pwd)

samples=(retry-fallback-recovered retry-proxy-v2 cert-expired-tls13 client-cert-rejected-tls13 quic-unknown-ca
         renegotiation-accepted disturbed-tls13-openssl-reorder large-client-hello-dropped starttls-smtp-failure
         healthy-resumption healthy-hello-retry cipher-mismatch)
hostile=(cert-expired-tls12:fields:3 retry-proxy-v1:fields:5 quic-alpn-mismatch:truncate:2 healthy-go:mix:4)

work=$(mktemp -d /tmp/tlsdiag-leaks.XXXXXX)
trap '[ -n "${LEAKS_KEEP:-}" ] || rm -rf "$work"' EXIT
ver=$(tshark --version | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
mkdir -p "$work/home/.local/lib/wireshark/plugins/$ver/epan" "$work/cap" "$work/log"
cp "$plugin" "$work/home/.local/lib/wireshark/plugins/$ver/epan/tlsdiag.so"
files=()
for s in "${samples[@]}"; do
    cp "$top/captures/$s.pcap" "$work/cap/"
    [ -f "$top/captures/$s.keys" ] && cp "$top/captures/$s.keys" "$work/cap/"
    files+=("$s")
done
for h in "${hostile[@]}"; do
    IFS=: read -r s mut seed <<< "$h"
    python3 "$top/tests/fuzz-mutate.py" "$top/captures/$s.pcap" "$work/cap/$s-$mut-$seed.pcap" "$mut" "$seed"
    files+=("$s-$mut-$seed")
done
files+=("${samples[0]}")      # reopened

diagnosed=()    # the ids of the "frames" requests that must find tlsdiag rows
rpc() { printf '{"jsonrpc":"2.0","id":%d,"method":"%s","params":%s}\n' "$@"; }
id=0
for f in "${files[@]}"; do
    keys=""; [ -f "$work/cap/$f.keys" ] && keys=$work/cap/$f.keys
    rpc $((id += 1)) setconf "{\"name\":\"tls.keylog_file\",\"value\":\"$keys\"}"
    rpc $((id += 1)) load "{\"file\":\"$work/cap/$f.pcap\"}"
    rpc $((id += 1)) frames '{"filter":"tlsdiag"}'
    case $f in *-*-[0-9]) ;; *) diagnosed+=("$id") ;; esac    # not the hostile copies
done >"$work/requests"

run=(env "HOME=$work/home")
if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$work"
    run=(setpriv --reuid=65534 --regid=65534 --clear-groups "${run[@]}")
fi
chmod -R a+rwX "$work"
# Wireshark unloads its plugins at exit, before LeakSanitizer looks: what a
# plugin's static pointers hold would then show as leaked, from "<unknown
# module>". A dlclose that keeps them loaded keeps those pointers (and the
# plugin's symbols) in view.
printf 'int dlclose(void *handle) { (void)handle; return 0; }\n' | gcc -shared -fPIC -x c - -o "$work/keep-loaded.so"
chmod a+rx "$work/keep-loaded.so"
run+=("LD_PRELOAD=$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so):$work/keep-loaded.so"
      "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=40:log_path=$work/log/san"
      # (Leaks are counted from the logs below, not by the exit status.)
      "LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=1:exitcode=0"
      "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$work/log/san")

failed=0
rc=0
"${run[@]}" sharkd - <"$work/requests" >"$work/answers" 2>"$work/sharkd.err" || rc=$?
# Every request answered without error, and the plugin diagnosed frames in each file.
answered=$(grep -c '"result"' "$work/answers" || true)
shown=0
for i in "${diagnosed[@]}"; do grep -q "^{\"jsonrpc\":\"2.0\",\"id\":$i,\"result\":\[{" "$work/answers" && shown=$((shown + 1)); done
if [ $rc = 0 ] && [ "$answered" = "$id" ] && [ "$shown" = "${#diagnosed[@]}" ]; then
    echo "ok   sharkd: ${#files[@]} loads (each a reload after the first), $answered answers, tlsdiag rows in each sample"
else
    echo "FAIL sharkd: exit $rc, $answered of $id requests answered, tlsdiag rows in $shown of ${#diagnosed[@]} samples"
    { grep -m3 '"error"' "$work/answers" | cut -c1-300; tail -5 "$work/sharkd.err"; } | sed 's/^/     /' || true
    failed=1
fi
rc=0
(cd "$work/cap" && "${run[@]}" tshark -2 -o "tls.keylog_file:cert-expired-tls13.keys" -r cert-expired-tls13.pcap \
    -q -z tlsdiag,tree) >"$work/tree" 2>"$work/tshark.err" || rc=$?
if [ $rc = 0 ] && grep -q '^ Failed  *1 ' "$work/tree"; then
    echo "ok   tshark -2 -z tlsdiag,tree"
else
    echo "FAIL tshark -2 -z tlsdiag,tree: exit $rc"; failed=1
    tail -5 "$work/tshark.err" | sed 's/^/     /' || true
fi

# One report per leaked block; tlsdiag's if a frame lies in one of its sources.
# (Outside a git checkout, as tests/compat.sh copies the tree: every .c file.)
ours=$(cd "$top" && git ls-files '*.c' 2>/dev/null | xargs -rn1 basename | sed 's/\./\\./' | paste -sd'|' -) || true
[ -n "$ours" ] || ours=$(cd "$top" && find . -name '*.c' -printf '%f\n' | sed 's/\./\\./' | paste -sd'|' -)
awk -v ours="/($ours):[0-9]|/tlsdiag\\.so\\+0x" '
    /^(Direct|Indirect) leak/ { total++; block = $0 "\n"; inblock = 1; next }
    inblock && /^ *#[0-9]/ { block = block $0 "\n"; if ($0 ~ ours) mine = 1; next }
    inblock { if (mine) { n++; printf "%s\n", block } inblock = 0; mine = 0 }
    END { if (inblock && mine) { n++; printf "%s\n", block }
          printf "%d leaked blocks, %d with a tlsdiag frame\n", total, n > "/dev/stderr" }
' "$work"/log/san.* 2>"$work/count" >"$work/ours" </dev/null || true
[ -n "$(ls "$work"/log/)" ] || echo "0 leaked blocks, 0 with a tlsdiag frame" >"$work/count"
# (No log at all where nothing leaked, as with Wireshark 4.6.)
suppressed=$({ grep -h -A100 'Suppressions used' "$work"/log/san.* 2>/dev/null || true; } |
             awk '$1 ~ /^[0-9]+$/ { s += $1 } END { print s + 0 }')
if [ -s "$work/ours" ] || grep -lq 'ERROR: AddressSanitizer\|runtime error' "$work"/log/san.* 2>/dev/null; then
    echo "FAIL leaks: $(cat "$work/count") ($suppressed suppressed as Wireshark's)"
    head -80 "$work/ours" | sed 's/^/     /'
    grep -h -A20 'ERROR: AddressSanitizer\|runtime error' "$work"/log/san.* 2>/dev/null | head -40 | sed 's/^/     /'
    failed=1
else
    echo "ok   leaks: $(cat "$work/count") ($suppressed suppressed as Wireshark's)"
fi
exit $failed

#!/bin/bash
# tools/tlsdiag-fleet.sh against a real clickhouse-server (Debian's package,
# started with --start-local on a free loopback port, stopped at the end):
# every bundled and derived capture loaded in one run; per file, the
# statistics tree from ClickHouse (--query tree) equals tshark -z tlsdiag,tree
# on that file, and for the files with hand counts (tests/expected-stats/)
# equals the hand-written numbers; a re-load changes nothing; a broken file is
# reported, loads nothing and keeps a file's earlier rows, while the others
# load; ring-buffer files of one vantage point (--ring) link an attempt chain
# across the file boundary.
#
#   tests/fleet.sh PLUGIN.so       exit 77 (skipped) where the release has no ClickHouse
set -euo pipefail
plugin=$(realpath "${1:?usage: fleet.sh PLUGIN.so}")
top=$(cd "$(dirname "$0")/.." && pwd)
fleet=$top/tools/tlsdiag-fleet.sh

# Installed by tools/deps.sh where the release has it (Debian 12 does).
if [ ! -x /usr/sbin/clickhouse-server ] || ! command -v clickhouse-client >/dev/null; then
    "$top/tools/deps.sh" >&2
    if [ ! -x /usr/sbin/clickhouse-server ] || ! command -v clickhouse-client >/dev/null; then
        echo "skipped: no clickhouse-server in this release" >&2
        exit 77
    fi
fi

work=$(mktemp -d /tmp/tlsdiag-fleet-test.XXXXXX)
stop_server() {
    local pid
    pid=$(cat "$work/ch/clickhouse.pid" 2>/dev/null) || return 0
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
}
trap 'stop_server; rm -rf "$work"' EXIT
mkdir -p "$work/cap" "$work/hand" "$work/bad" "$work/ring" "$work/home"
cp "$top"/captures/*.pcap "$top"/captures/*.keys "$work/cap/"
"$top/tests/derived.sh" "$work/cap"
chmod -R a+rX "$work"
export TLSDIAG_PLUGIN=$plugin

# A free loopback port for the server's native protocol.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ch=(--clickhouse "127.0.0.1:$port")
sql() { clickhouse-client --port "$port" -q "$1"; }
tree_of() { "$fleet" "${ch[@]}" --query tree --where "capture = '$1'" | sort; }
# The whole table, row by row, for before/after comparisons.
dump() { sql "SELECT * FROM tlsdiag.handshakes ORDER BY capture, frame FORMAT TabSeparated"; }

passed=0 failed=0
check() {   # check WHAT COMMAND...: passes when COMMAND succeeds
    local what=$1; shift
    if "$@"; then passed=$((passed + 1)); echo "ok   $what"
    else failed=$((failed + 1)); echo "FAIL $what"; fi
}
same() {    # same WANT GOT: equal, or a diff
    [ "$1" = "$2" ] && return 0
    diff <(echo "$1") <(echo "$2") | sed 's/^/     /' || true
    return 1
}

"$fleet" "${ch[@]}" --start-local "$work/ch" 2>"$work/start.err"
check "--start-local starts clickhouse-server, its PID in DIR/clickhouse.pid" \
      kill -0 "$(cat "$work/ch/clickhouse.pid")"
check "--start-local prints how to stop it" grep -q "stop it: kill" "$work/start.err"

# -- everything in one command
captures=("$work"/cap/*.pcap)
"$fleet" -j 2 "${ch[@]}" "${captures[@]}" 2>"$work/load.err" && status=0 || status=$?
check "all ${#captures[@]} captures load (exit status $status)" [ "$status" = 0 ]
check "the progress line counts every file" grep -q "^files ${#captures[@]}/${#captures[@]}, " "$work/load.err"
# -- per file, ClickHouse's tree is tshark's (-2, with the key log the
# loader used), and summed over all files
home=$work/home/.local/lib/wireshark/plugins/$(tshark --version 2>/dev/null |
      sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')/epan
mkdir -p "$home" && cp "$plugin" "$home/tlsdiag.so" && chmod -R a+rX "$work/home"
tshark_tree() {   # FILE -> tshark's tree, as tests/stats-tree.sh prints it
    local keys=${1%.pcap}.keys opt=()
    [ -f "$keys" ] && opt=(-o "tls.keylog_file:$keys")
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$work/home" tshark -2 -q "${opt[@]}" -r "$1" \
            -z tlsdiag,tree
    else
        env HOME="$work/home" tshark -2 -q "${opt[@]}" -r "$1" -z tlsdiag,tree
    fi | "$top/tests/stats-tree.sh"
}
# Each item summed over the files: the tree over everything loaded (this is
# all the table holds so far) is the sum of the files' trees (an item named
# alike in two groups, "(not known: no ClientHello)", summed as one on both).
sum_items() { awk -F'\t' '{ n[$1] += $2 } END { for (k in n) print k "\t" n[k] }' | sort; }
mkdir -p "$work/trees"
running=0
for f in "${captures[@]}"; do    # two at a time
    tshark_tree "$f" >"$work/trees/$(basename "$f").txt" &
    running=$((running + 1))
    [ $running -lt 2 ] || { wait -n || true; running=$((running - 1)); }
done
wait
differ=() all=''
for f in "${captures[@]}"; do
    want=$(cat "$work/trees/$(basename "$f").txt") got=$(tree_of "$f")
    all+=$want$'\n'
    [ "$want" = "$got" ] || { differ+=("$(basename "$f")"); diff <(echo "$want") <(echo "$got") | sed 's/^/     /' || true; }
done
check "per file, tree from ClickHouse = tshark -z tlsdiag,tree (${#captures[@]} files; differ: ${differ[*]:-none})" \
      [ ${#differ[@]} = 0 ]
totals=$(echo -n "$all" | sum_items)
check "all files: tree from ClickHouse = tshark's trees summed" \
      same "$totals" "$("$fleet" "${ch[@]}" --query tree | sum_items)"
check "the sums count failures, recoveries, established, incomplete, abandoned, fallbacks" \
      [ "$(grep -cE '^( Failed|  Client recovered later| Established| Incomplete .*| Abandoned .*|Fallback .*)	[1-9]' \
           <<<"$totals")" = 6 ]
echo "$totals" | grep -E '^(TLS| [A-Z]|  C|Fallback)' | tr '\t' ' ' | sed 's/^/     /'

# -- the hand counts: each file of tests/expected-stats/ loaded alone (a copy,
# with the "# options:" it was written for; a key log only where they name
# one, put beside the copy, where the fleet tool reads it), ClickHouse's tree
# against the hand-written numbers
for exp in "$top"/tests/expected-stats/*.txt; do
    name=$(basename "$exp" .txt)
    read -ra options <<< "$(sed -n 's/^# options: //p' "$exp")"
    mkdir -p "$work/hand/$name"
    copy=$work/hand/$name/${name%%@*}.pcap
    cp "$work/cap/${name%%@*}.pcap" "$copy"
    opts=()
    for o in "${options[@]}"; do
        case $o in
            tls.keylog_file:*) cp "$work/cap/${o#tls.keylog_file:}" "${copy%.pcap}.keys"; unset 'opts[-1]' ;;
            *) opts+=("$o") ;;
        esac
    done
    chmod -R a+rX "$work/hand"
    "$fleet" "${ch[@]}" "${opts[@]}" "$copy" 2>>"$work/hand.err"
    check "hand counts: $name" same "$(grep -v '^#' "$exp" | sort)" "$(tree_of "$copy")"
done

# -- a re-load changes nothing (some files: each one's rows are replaced)
before=$(dump)
reload=("$work/cap/retry-proxy-v1.pcap" "$work/cap/cipher-mismatch.pcap" "$work/cap/quic-ok.pcap"
        "$work/cap/mid-handshake-tls12.pcap" "$work/cap/renegotiation-refused.pcap")
"$fleet" -j 2 "${ch[@]}" "${reload[@]}" 2>/dev/null && status=0 || status=$?
check "re-load succeeds" [ "$status" = 0 ]
check "re-load replaced the rows (a delete mutation ran)" \
      [ "$(sql "SELECT count() FROM system.mutations WHERE database = 'tlsdiag' AND is_done")" -ge ${#reload[@]} ]
check "re-load changes nothing" same "$before" "$(dump)"

# -- broken files: reported, nothing of them loaded, the others load
head -c 3000 "$top/captures/retry-two-clients.pcap" >"$work/bad/cut-short.pcap"
cp "$top/captures/tls12-ok.pcap" "$top/captures/no-common-group.pcap" "$work/bad/"
chmod -R a+rX "$work/bad"
"$fleet" -j 2 "${ch[@]}" "$work"/bad/*.pcap 2>"$work/bad.err" && status=0 || status=$?
check "a broken file: exit status 1" [ "$status" = 1 ]
check "a broken file is named in the report" grep -q "cut-short.pcap not loaded: .*cut short" "$work/bad.err"
check "a broken file loads no row" [ "$(sql "SELECT count() FROM tlsdiag.handshakes WHERE capture = '$work/bad/cut-short.pcap'")" = 0 ]
# By hand (captures/README.md): tls12-ok one handshake, no-common-group two.
check "the other files load" same "1 2" \
      "$(sql "SELECT count() FROM tlsdiag.handshakes WHERE capture = '$work/bad/tls12-ok.pcap'") $(sql \
              "SELECT count() FROM tlsdiag.handshakes WHERE capture = '$work/bad/no-common-group.pcap'")"
# A loaded file that is now cut short keeps its rows.
before=$(dump)
head -c 3000 "$top/captures/no-common-group.pcap" >"$work/bad/no-common-group.pcap"
"$fleet" "${ch[@]}" "$work/bad/no-common-group.pcap" 2>/dev/null && status=0 || status=$?
check "a loaded file re-loaded cut short: reported, its rows stay" same "1 $before" "$status $(dump)"

# -- ring buffer: retry-proxy-v1.pcap split after frame 30 into two files of
# one vantage point. By hand (captures/README.md): 127.0.0.2's ClientHello 6
# (reset) and 27 (alert 86) are in the first file, its successful 51 is the
# second's frame 21; 127.0.0.3's ClientHello 14 (alert 40) is in the first,
# 39 (alert 40 in 41) is the second's frame 9.
editcap -r "$top/captures/retry-proxy-v1.pcap" "$work/ring/a.pcap" 1-30
editcap -r "$top/captures/retry-proxy-v1.pcap" "$work/ring/b.pcap" 31-1000
chmod -R a+rX "$work/ring"
"$fleet" "${ch[@]}" --ring "$work/ring/b.pcap" "$work/ring/a.pcap" 2>/dev/null && status=0 || status=$?
check "--ring loads" [ "$status" = 0 ]
a=$work/ring/a.pcap b=$work/ring/b.pcap
want="$a	6	failed	reset_after_client_hello	1		0	1
$a	14	failed	cipher_suite_mismatch	1		0	0
$a	27	failed	inappropriate_fallback	2	$a	6	1
$b	9	failed	cipher_suite_mismatch	2	$a	14	0
$b	21	established		3	$a	27	0"
check "--ring: the attempt chains cross the file boundary" same "$want" \
      "$(sql "SELECT capture, frame, outcome, arrayStringConcat(causes, ','), attempt, prev_capture, prev_frame, recovered
              FROM tlsdiag.handshakes WHERE capture LIKE '$work/ring/%' ORDER BY capture, frame")"

echo "passed $passed, failed $failed"
[ $failed = 0 ]

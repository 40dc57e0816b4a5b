#!/usr/bin/env bash
# Record the benchmark's bulk-data mix (issue 16): a few long HTTPS downloads,
# few handshakes, where tlsdiag should cost almost nothing.
#
#   bench/capture-bulk.sh OUT.pcap        (root: network namespaces, tcpdump)
#
# Two network namespaces joined by one veth pair (MTU 1500, offloads off, so
# every segment is wire-sized): nginx on 192.0.2.1:443 serves files of random
# bytes; from 192.0.2.2, curl and bulk-client.py (Python ssl) download
#   12 files of 4-8 MiB (63 MiB), curl and Python alternately, TLS 1.3 and 1.2
#   6 small answers (2 kB), curl and Python, TLS 1.3 and 1.2
# one after another, each on a connection of its own; tcpdump records the
# client's end. Every client must succeed (exit status, byte count, same
# bytes for curl) and tcpdump must drop nothing, or the script fails.
# OUT.json: bookkeeping like bench/gen.py's (packets, connections,
# handshakes, failed: 0), cross-checked against the capture.
set -euo pipefail

out=${1:?usage: capture-bulk.sh OUT.pcap}
out=$(realpath -m "$out")
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
[ "$(id -u)" = 0 ] || { echo "capture-bulk.sh: needs root (netns, tcpdump)" >&2; exit 1; }

# The capture helpers of captures/: make-captures.sh (make_pki, nginx_conf,
# nginx_http, bg_server, wait_listen, start_capture, stop_capture,
# also_on_exit; its EXIT trap stops the servers and removes $TMP) and, through
# its scenarios, netpath.sh (np_host, np_offloads, np_down). With --list its
# main only lists the scenarios.
# shellcheck source-path=SCRIPTDIR source=../captures/make-captures.sh
source "$top/captures/make-captures.sh" --list >/dev/null
OUT=$TMP                        # start_capture writes $OUT/NAME.pcap
ensure_packages

# -- two namespaces, one veth pair; each host's "gateway" is the other end,
# with a static neighbour entry (no ARP, no NDP).
CLI_MAC=02:00:00:00:01:02 SRV_MAC=02:00:00:00:01:01
SRV_IP=192.0.2.1
np_down
also_on_exit np_down
ip netns add "$NP_CLI"
ip netns add "$NP_SRV"
ip -n "$NP_CLI" link add eth0 type veth peer name eth0 netns "$NP_SRV"
np_host "$NP_CLI" eth0 "$CLI_MAC" 192.0.2.2 "$SRV_IP" 2001:db8:1::2 2001:db8:1::1 "$SRV_MAC"
np_host "$NP_SRV" eth0 "$SRV_MAC" "$SRV_IP" 192.0.2.2 2001:db8:1::1 2001:db8:1::2 "$CLI_MAC"
# np_offloads checks tx checksumming and GSO; TSO and GRO too, here.
for ns in "$NP_CLI" "$NP_SRV"; do
    if ip netns exec "$ns" ethtool -k eth0 | grep -Eq '^(tcp-segmentation-offload|generic-receive-offload): on'; then
        echo "capture-bulk.sh: TSO or GRO still on in $ns" >&2; exit 1
    fi
done

# -- what nginx serves: random bytes, 4-8 MB, and a small answer.
make_pki
www=$TMP/www
mkdir -p "$www"
sizes=(4 6 8 5 7 4 6 5 4 5 5 4)  # MiB, one per download (63 MiB in all)
for mb in $(printf '%s\n' "${sizes[@]}" | sort -u); do head -c $((mb << 20)) /dev/urandom >"$www/$mb.bin"; done
head -c 2048 /dev/urandom >"$www/small.bin"
chmod -R a+rX "$TMP"
nginx_conf "$(nginx_http "
    server {
        listen $SRV_IP:443 ssl;
        server_name good.example;
        ssl_certificate $CERT;
        ssl_certificate_key $KEY;
        ssl_protocols TLSv1.2 TLSv1.3;
        root $www;
    }")"
# bg_server bounds nginx to 20 s: the downloads take a few seconds.
bg_server nginx "${NP_IN_SRV[@]}" nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log"
wait_listen 443 tcp "$NP_SRV"

start_capture bulk "tcp port 443" "$NP_CLI" eth0
start=$(date +%s.%N)
fails=0 conns=0
# fetch STACK VERSION FILE: one download; fails unless it got FILE's bytes.
fetch() {
    local stack=$1 v=$2 file=$3 got want
    want=$(stat -c %s "$www/$file")
    conns=$((conns + 1))
    if [ "$stack" = curl ]; then
        got=$(timeout 20 "${NP_IN_CLI[@]}" curl -sS --fail --http1.1 --tlsv"$v" --tls-max "$v" \
            --cacert "$CA" --resolve "good.example:443:$SRV_IP" -o "$TMP/got" -w '%{size_download}' \
            "https://good.example/$file" 2>"$TMP/client.err") && cmp -s "$TMP/got" "$www/$file" || got="fail"
    else
        got=$(timeout 20 "${NP_IN_CLI[@]}" "$PY" "$here/bulk-client.py" "$SRV_IP" 443 "$CA" "$v" "/$file" \
            2>"$TMP/client.err") || got="fail"
    fi
    if [ "$got" = "$want" ]; then
        log "$stack TLS $v /$file: $got bytes"
    else
        echo "capture-bulk.sh: $stack TLS $v /$file: got '$got', want $want bytes" >&2
        sed 's/^/    /' "$TMP/client.err" >&2
        fails=$((fails + 1))
    fi
}
i=0
for mb in "${sizes[@]}"; do
    stack=curl; [ $((i % 2)) = 1 ] && stack=python
    v=1.3; [ $((i / 2 % 2)) = 1 ] && v=1.2
    fetch $stack $v "$mb.bin"
    if [ $((i % 4)) = 3 ]; then fetch curl 1.$((2 + i / 4 % 2)) small.bin; fi
    if [ $((i % 4)) = 1 ]; then fetch python 1.$((3 - i / 4 % 2)) small.bin; fi
    i=$((i + 1))
done
stop_capture
secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
[ $fails = 0 ] || { echo "capture-bulk.sh: $fails of $conns downloads failed" >&2; exit 1; }

# -- tcpdump dropped nothing; the capture holds every connection, whole.
sed 's/^/  tcpdump: /' "$TMP/tcpdump.err" | grep -E 'captured|dropped' || true
if grep -E 'dropped by (kernel|interface)' "$TMP/tcpdump.err" | grep -qv '^0 '; then
    echo "capture-bulk.sh: tcpdump dropped packets" >&2; exit 1
fi
pcap=$TMP/bulk.pcap
read -r packets syns hellos first last < <(tshark -r "$pcap" -T fields -e frame.time_epoch \
    -e tcp.flags.syn -e tcp.flags.ack -e tls.handshake.type 2>/dev/null |
    awk -F'\t' 'NR == 1 { first = $1 } { last = $1; n++ }
                $2 == 1 && $3 == 0 { syn++ }
                { k = split($4, t, ","); for (j = 1; j <= k; j++) if (t[j] == 1) hello++ }
                END { printf "%d %d %d %s %s\n", n, syn, hello, first, last }')
# A segment missing from the capture (tcpdump's count aside) shows as one.
# Under load the veth can drop a segment on the way (the receiver's backlog
# is full): the sender resends it, as on any link. That is real traffic; a
# segment the capture missed but the sender never resent is not.
lost=$(tshark -r "$pcap" -Y 'tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment' 2>/dev/null | wc -l)
resent=$(tshark -r "$pcap" -Y 'tcp.analysis.retransmission || tcp.analysis.fast_retransmission || tcp.analysis.out_of_order' 2>/dev/null | wc -l)
log "$packets packets, $syns SYNs, $hellos ClientHellos, $lost lost segments, $resent resent, $secs s"
if [ "$syns" != "$conns" ] || [ "$hellos" != "$conns" ] || [ "$lost" -gt "$resent" ]; then
    echo "capture-bulk.sh: want $conns connections and handshakes, no segment lost unless resent" >&2; exit 1
fi

mkdir -p "$(dirname "$out")"
$PY - "$out.json.tmp" "$packets" "$conns" "$first" "$last" <<'EOF'
import json, sys
p, packets, conns, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
json.dump({"made_by": "bench/capture-bulk.sh", "packets": packets, "tcp_tls_connections": conns,
           "quic_connections": 0, "handshakes": conns, "failed": 0, "synthetic_chains": 0,
           "clients_used": 1, "duration_s": round(last - first, 3)}, open(p, "w"), indent=1)
EOF
cp "$pcap" "$out.tmp"
chmod a+r "$out.tmp" "$out.json.tmp"
mv "$out.json.tmp" "$out.json"
mv "$out.tmp" "$out"
echo "capture-bulk.sh: $out ($packets packets, $(du -m "$out" | cut -f1) MB)" >&2

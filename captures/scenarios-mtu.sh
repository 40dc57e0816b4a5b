# shellcheck shell=bash
# Sourced by make-captures.sh: a path MTU black hole eats the server's flight.
#
# scenarios-path.sh's network (client ns -- routing router ns -- server ns,
# np_up_routed), with one hop narrower than the others: the router's
# interface toward the client (to-cli) has MTU 1400, every other one 1500,
# and the router's "fragmentation needed" (ICMP type 3 code 4) and "packet
# too big" (ICMPv6 type 2) are dropped in its OUTPUT chain, as a tunnel or
# VPN hop behind an ICMP-filtering firewall does.  Both ends announce MSS
# 1460 (IPv6 1440), so the server's full-size segments (1448 / 1428 bytes of
# payload, DF set) are dropped by the router without a word, while small
# packets (SYN-ACK, ACKs, a short last segment of a flight, gnutls-serv's
# ServerHello + CCS) get through.  tcp_mtu_probing is 0 in the namespaces
# (logged), so nothing on either side shrinks the segments.
#
# The same traffic is captured at two points, the client's eth0 and the
# server's; each is its own scenario with fresh namespaces:
#
#   sudo captures/make-captures.sh path-mtu-blackhole-client
#   sudo captures/make-captures.sh path-mtu-blackhole-server
#   KEEP_TMP=1 ...   keeps $TMP/path-mtu-blackhole-*-{cli,srv}*.log
#
# Uses scenarios-path.sh's path_pki, path_s_server, path_curl, path_rule
# and path_end (sourced by make-captures.sh after this file; only called
# at run time).

MTU_FILTER="tcp port 443 or tcp port 8443 or icmp[icmptype] == icmp-unreach or (icmp6 and ip6[40] == 2)"

# mtu_pki: path_pki's RSA leaf (PCERT, PKEY: TLS 1.3 flight about 1.5 KB,
# more than one 1400-byte packet), and an ECDSA P-256 leaf for
# good.example under make_pki's CA, sent alone (ECERT, EKEY: its flight
# fits in one packet), made once per run.
mtu_pki() {
    local d=$TMP/pki
    path_pki
    ECERT=$d/mtu-leaf-ec.pem EKEY=$d/mtu-leaf-ec.key
    [[ -f $ECERT ]] && return 0
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -sha256 -nodes \
        -keyout "$EKEY" -out "$d/mtu-leaf-ec.csr" -subj "/CN=good.example" 2>/dev/null
    printf '%s\n' "subjectAltName=DNS:good.example" "basicConstraints=CA:FALSE" \
        "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >"$d/mtu-leaf-ec.ext"
    openssl x509 -req -in "$d/mtu-leaf-ec.csr" -CA "$CA" -CAkey "$d/ca.key" \
        -CAcreateserial -sha256 -days 3650 -extfile "$d/mtu-leaf-ec.ext" \
        -out "$ECERT" 2>/dev/null
}

# mtu_begin NAME SIDE: fresh namespaces with a routing router (as
# path_begin), the black hole on the router, capture on SIDE's eth0 (client
# or server) of TCP ports 443 and 8443 and of any ICMP destination
# unreachable / ICMPv6 packet too big.
mtu_begin() {
    local name=$1 side=$2 ns
    mtu_pki
    np_up_routed
    "${NP_IN_RTR[@]}" ip link set to-cli mtu 1400
    path_rule iptables -A OUTPUT -p icmp --icmp-type fragmentation-needed -j DROP
    path_rule ip6tables -A OUTPUT -p icmpv6 --icmpv6-type packet-too-big -j DROP
    for ns in "$NP_CLI" "$NP_RTR" "$NP_SRV"; do
        log "$ns tcp_mtu_probing=$(ip netns exec "$ns" sysctl -n net.ipv4.tcp_mtu_probing)"
    done
    if [[ $side == server ]]; then ns=$NP_SRV; else ns=$NP_CLI; fi
    start_capture "$name" "$MTU_FILTER" "$ns" eth0
}

# mtu_stop_server: stop the last server started (bg_server's timeout
# process, and with it the server), so that the next one can have port 443.
# Each server has closed its connection on the client's FIN by then (its
# kernel keeps retransmitting, and keeps acknowledging, as an orphan), so
# this sends nothing.
mtu_stop_server() {
    local p=${PIDS[-1]}
    kill -TERM "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
    unset 'PIDS[-1]'
}

# mtu_giveup LOGNAME CMD...: a client in the client namespace that cannot
# finish its handshake, stopped after 5 s (line-buffered, so its log keeps
# what it printed).
mtu_giveup() {
    local logname=$1; shift
    timeout 5 "${NP_IN_CLI[@]}" stdbuf -oL "$@" </dev/null >"$TMP/$logname.log" 2>&1 || true
}

# mtu_blackhole NAME SIDE: the traffic, the same for both captures.
#   stream 0  s_client -> s_server -rev on 8443 with the ECDSA leaf (TLS 1.3
#             flight about 1 KB, fits): handshake, one line each way, close.
#   Then against servers on 443 with path_pki's RSA leaf, each client
#   giving up after 5 s (s_client and gnutls-cli stopped by timeout, curl
#   by its --max-time):
#   stream 1  s_client (TLS 1.3) -> s_server -www, the leaf alone: one
#             1421-byte segment (1487-byte frame)
#   stream 2  curl --tls-max 1.2 -> s_server -www sending the leaf and the
#             CA: TLS 1.2 with the leaf alone is 1292 bytes and would fit
#   stream 3  gnutls-cli (TLS 1.3) -> gnutls-serv: ServerHello + CCS (166
#             bytes) in a segment of its own, then 1365 bytes
#   stream 4  curl (TLS 1.3) -> nginx, ssl_protocols as Debian's nginx.conf
#             has them (nginx 1.22's own default stops at TLS 1.2)
#   stream 5  s_client (TLS 1.3) -> s_server -www over IPv6
# Each server is stopped only after its client has given up (it has closed
# that connection by then: mtu_stop_server) and a new one started for the
# next stream, as they share port 443.
# shellcheck disable=SC2153  # PCERT, PKEY: set by path_pki (scenarios-path.sh)
mtu_blackhole() {
    local name=$1 side=$2 keys d=$TMP/nginx f l lines
    mtu_begin "$name" "$side"
    keys=$(keylog_path "$name")

    bg_server "$name-srv-small" "${NP_IN_SRV[@]}" openssl s_server -cert "$ECERT" -key "$EKEY" \
        -accept "$NP_SRV_IP:8443" -rev -naccept 1
    wait_listen 8443 tcp "$NP_SRV"
    line_then_eof "hello from $name-cli-small" |
        timeout 10 "${NP_IN_CLI[@]}" openssl s_client -CAfile "$CA" \
            -connect "$NP_SRV_IP:8443" -servername good.example -keylogfile "$keys" \
            >"$TMP/$name-cli-small.log" 2>&1 || true
    log_expect "$name-cli-small" '^New, TLSv1\.3'
    sleep 0.5

    path_s_server "$name-srv-openssl" "$NP_SRV_IP" 443 -www
    mtu_giveup "$name-cli-openssl" openssl s_client -CAfile "$CA" -connect "$NP_SRV_IP:443" \
        -servername good.example -tls1_3 -keylogfile "$keys"
    sleep 0.5
    mtu_stop_server

    path_s_server "$name-srv-openssl12" "$NP_SRV_IP" 443 -www -cert_chain "$CA"
    SSLKEYLOGFILE=$keys path_curl "$name-cli-curl12" "$NP_SRV_IP" 443 good.example \
        --tls-max 1.2 --max-time 5
    sleep 0.5
    mtu_stop_server

    bg_server "$name-srv-gnutls" "${NP_IN_SRV[@]}" gnutls-serv --port 443 \
        --x509certfile "$PCERT" --x509keyfile "$PKEY"
    wait_listen 443 tcp "$NP_SRV"
    mtu_giveup "$name-cli-gnutls" env SSLKEYLOGFILE="$keys" gnutls-cli -p 443 \
        --x509cafile "$CA" --sni-hostname good.example --verify-hostname good.example "$NP_SRV_IP"
    sleep 0.5
    mtu_stop_server

    nginx_conf "$(nginx_http "
    server {
        listen $NP_SRV_IP:443 ssl;
        server_name good.example;
        ssl_certificate $PCERT;
        ssl_certificate_key $PKEY;
        ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
        location / { return 200 \"hello from nginx\n\"; }
    }")"
    bg_server "$name-srv-nginx" "${NP_IN_SRV[@]}" nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log"
    wait_listen 443 tcp "$NP_SRV"
    SSLKEYLOGFILE=$keys path_curl "$name-cli-curl-nginx" "$NP_SRV_IP" 443 good.example --max-time 5
    sleep 0.5
    mtu_stop_server

    path_s_server "$name-srv-openssl6" "[$NP_SRV_IP6]" 443 -www
    mtu_giveup "$name-cli-openssl6" openssl s_client -CAfile "$CA" -connect "[$NP_SRV_IP6]:443" \
        -servername good.example -tls1_3 -keylogfile "$keys"
    sleep 1

    # What the router dropped, and the server's orphaned sockets.
    for f in iptables ip6tables; do
        "${NP_IN_RTR[@]}" "$f" -w -S OUTPUT -v | grep -- '-j' |
            while read -r l; do log "router $f: $l"; done || true
    done
    "${NP_IN_SRV[@]}" ss -Htnoi state all exclude listening '( sport = :443 )' \
        >"$TMP/$name-srv-ss.log" 2>&1 || true
    awk '/^[A-Z]/ { c = $1 " " $5 " send-q " $3; next }
        { for (i = 1; i <= NF; i++) if ($i ~ /^(backoff|retrans|unacked|sacked|notsent):/) c = c " " $i
          print c }' "$TMP/$name-srv-ss.log" | while read -r l; do log "server socket: $l"; done
    path_end "$name"
    capture_want "ICMP errors captured" "$(capture_fields 'icmp || icmpv6' frame.number)" ""
    log_expect "$name-cli-curl12" 'curl: \(28\)'
    log_expect "$name-cli-curl-nginx" 'curl: \(28\)'
    for f in "$TMP/$name"-cli-{openssl,gnutls,openssl6}.log; do
        mapfile -t lines <"$f"
        for l in "${lines[@]}"; do log "$(basename "$f" .log): $l"; done
    done
    for f in "$TMP/$name"-srv-*.log "$d/error.log"; do
        [[ -e $f && $f != *-srv-ss.log ]] || continue
        grep -hE 'rror|closed|EOF|eof|handshake|timed out' "$f" | sort -u |
            while read -r l; do log "$(basename "$f" .log): $l"; done || true
    done
    keylog_done "$name"
}

scenario_path_mtu_blackhole_client() { mtu_blackhole path-mtu-blackhole-client client; }
scenario_path_mtu_blackhole_server() { mtu_blackhole path-mtu-blackhole-server server; }

ALL+=(path-mtu-blackhole-client path-mtu-blackhole-server)

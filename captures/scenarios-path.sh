# shellcheck shell=bash
# Sourced by make-captures.sh: who ended it, the server or the path (issue 20).
#
# client ns -- router ns -- server ns from captures/netpath.sh's
# np_up_routed: the router is a real kernel router (ip_forward and IPv6
# forwarding), so the server's packets reach the client with TTL / hop
# limit 63 and whatever the router sends itself (an iptables REJECT's RST,
# a transparent proxy's segments) with 64.  iptables / ip6tables rules in
# the router namespace are the middlebox.  Each scenario gets fresh
# namespaces; tcpdump runs in the client namespace on its eth0, as a user
# running tcpdump on the client would, on TCP ports 443 and 8443.
#
#   sudo captures/make-captures.sh path-sni-reset-openssl
#   KEEP_TMP=1 ...   keeps $TMP/path-*-{srv,cli*,rtr}.log
#
# The iptables here is iptables-nft (1.8.9): `-m string` runs as an xt
# match inside nftables (nft_compat + xt_string) and `REJECT --reject-with
# tcp-reset` becomes nftables' own "reject with tcp reset".  Both back ends
# build the RST in the same kernel code (nf_send_reset in nf_reject_ipv4 /
# nf_reject_ipv6), so iptables-legacy should give the same packets (not
# tried).
#
# The server certificate (make_pki's CA) names good.example and
# blocked.example, so only the middlebox tells the two names apart.

# shellcheck source-path=SCRIPTDIR source=netpath.sh
declare -F np_up_routed >/dev/null || source "$HERE/netpath.sh"

PATH_FILTER="tcp port 443 or tcp port 8443"

# path_pki: a good.example + blocked.example leaf under make_pki's CA, made
# once per run.  Sets PCERT, PKEY.
path_pki() {
    local d=$TMP/pki
    PCERT=$d/path-leaf.pem PKEY=$d/path-leaf.key
    [[ -f $PCERT ]] && return 0
    openssl req -newkey rsa:2048 -sha256 -nodes -keyout "$PKEY" \
        -out "$d/path-leaf.csr" -subj "/CN=good.example" 2>/dev/null
    printf '%s\n' "subjectAltName=DNS:good.example,DNS:blocked.example" \
        "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
        "extendedKeyUsage=serverAuth" >"$d/path-leaf.ext"
    openssl x509 -req -in "$d/path-leaf.csr" -CA "$CA" -CAkey "$d/ca.key" \
        -CAcreateserial -sha256 -days 3650 -extfile "$d/path-leaf.ext" \
        -out "$PCERT" 2>/dev/null
}

# path_begin NAME: fresh namespaces with a routing router, capture on the
# client's eth0.
path_begin() {
    path_pki
    [[ -f $TMP/peer.py ]] || write_peer
    np_up_routed
    start_capture "$1" "$PATH_FILTER" "$NP_CLI" eth0
}

# path_end NAME: say what the router's rules matched, then cut the path
# (the router drops everything from then on, its own packets included) and
# stop the capture: the server processes' teardown, which would send FINs
# and RSTs for connections the client has long given up, never reaches the
# client.  Then how each client ended.
path_end() {
    local name=$1 f l
    sleep 0.3
    for f in iptables ip6tables; do
        "${NP_IN_RTR[@]}" "$f" -w -S FORWARD -v 2>/dev/null | grep -- '-j' |
            sed "s/^/$f: /" | while read -r l; do log "router $l"; done || true
        "${NP_IN_RTR[@]}" "$f" -w -t nat -S PREROUTING -v 2>/dev/null | grep -- '-j' |
            sed "s/^/$f nat: /" | while read -r l; do log "router $l"; done || true
        "${NP_IN_RTR[@]}" "$f" -w -I FORWARD -j DROP
        "${NP_IN_RTR[@]}" "$f" -w -I INPUT -i to-cli -j DROP
        "${NP_IN_RTR[@]}" "$f" -w -I OUTPUT -o to-cli -j DROP
    done
    stop_capture
    np_down
    for f in "$TMP/$name"-cli*.log; do
        [[ -e $f ]] || continue
        grep -hE '^(New, |Verify return)|errno|curl: \(|^HTTP/|Handshake was completed|:error:|hello from|timed out|^gfedcba|olleh' \
            "$f" | sort -u | while read -r l; do log "$(basename "$f" .log): $l"; done || true
    done
}

# path_rule IPTABLES ARGS...: a rule in the router namespace.
path_rule() {
    local cmd=$1; shift
    "${NP_IN_RTR[@]}" "$cmd" -w "$@"
}

# path_s_server LOGNAME ADDR PORT ARGS...: s_server with the two-name
# certificate in the server namespace, bounded by bg_server's timeout.
path_s_server() {
    local logname=$1 addr=$2 port=$3; shift 3
    bg_server "$logname" "${NP_IN_SRV[@]}" openssl s_server -cert "$PCERT" -key "$PKEY" \
        -accept "$addr:$port" "$@"
    wait_listen "$port" tcp "$NP_SRV"
}

# path_s_client_line LOGNAME ADDR PORT SNI: s_client in the client
# namespace that sends one line (s_server -rev answers it) and closes.
path_s_client_line() {
    local logname=$1 addr=$2 port=$3 sni=$4
    line_then_eof "hello from $logname" |
        timeout 10 "${NP_IN_CLI[@]}" openssl s_client -CAfile "$CA" \
            -connect "$addr:$port" -servername "$sni" >"$TMP/$logname.log" 2>&1 || true
}

# path_s_client_try LOGNAME ADDR PORT SNI: s_client for a handshake that
# fails, stdin empty.
path_s_client_try() {
    local logname=$1 addr=$2 port=$3 sni=$4
    client "$logname" "${NP_IN_CLI[@]}" openssl s_client -CAfile "$CA" \
        -connect "$addr:$port" -servername "$sni" </dev/null
}

# path_curl LOGNAME ADDR PORT SNI [CURL ARGS...]: one HTTPS GET by curl
# (OpenSSL backend) in the client namespace, name pinned with --resolve.
path_curl() {
    local logname=$1 addr=$2 port=$3 sni=$4; shift 4
    client "$logname" "${NP_IN_CLI[@]}" curl -sS --http1.1 -o /dev/null \
        -w 'HTTP/%{http_version} %{http_code}\n' --cacert "$CA" \
        --resolve "$sni:$port:$addr" "$@" "https://$sni:$port/"
}

# path_sni_reset STACK [ipv6]: the router resets every TCP segment to port
# 443 that carries "blocked.example" (the ClientHello's SNI) with REJECT
# --reject-with tcp-reset: good.example succeeds, then blocked.example is
# reset, and again 0.5 s later.
#   STACK  openssl: s_server -rev / s_client, one line each way
#          curl: s_server -www / curl, one GET
path_sni_reset() {
    local stack=$1 fam=${2:-} name=path-sni-reset-$1${2:+-$2}
    local addr=$NP_SRV_IP ipt=iptables www=-rev i
    if [[ $fam == ipv6 ]]; then
        addr="[$NP_SRV_IP6]" ipt=ip6tables name=path-sni-reset-ipv6
    fi
    [[ $stack == curl ]] && www=-www
    path_begin "$name"
    path_rule "$ipt" -A FORWARD -p tcp --dport 443 -m string --algo bm \
        --string blocked.example -j REJECT --reject-with tcp-reset
    path_s_server "$name-srv" "$addr" 443 "$www"
    case $stack in
        openssl)
            path_s_client_line "$name-cli-good" "$addr" 443 good.example
            for i in 1 2; do
                ((i > 1)) && sleep 0.5
                path_s_client_try "$name-cli-blocked$i" "$addr" 443 blocked.example
            done
            ;;
        curl)
            path_curl "$name-cli-good" "$addr" 443 good.example
            for i in 1 2; do
                ((i > 1)) && sleep 0.5
                path_curl "$name-cli-blocked$i" "$addr" 443 blocked.example
            done
            ;;
    esac
    path_end "$name"
}

scenario_path_sni_reset_openssl() { path_sni_reset openssl; }
scenario_path_sni_reset_curl() { path_sni_reset curl; }
scenario_path_sni_reset_ipv6() { path_sni_reset openssl ipv6; }

# path-silent-drop: the router DROPs the segment carrying "blocked.example";
# curl (good.example) succeeds first; then curl with blocked.example: its
# TCP retransmits the ClientHello, never acknowledged, until curl gives up
# (--max-time 4) and closes.  Nothing on the wire shows that close: the FIN
# is queued behind the unacknowledged ClientHello, and the orphaned socket
# only retransmits the ClientHello again (the next one about 6.5 s after
# the SYN, after the capture has ended), never the FIN.
scenario_path_silent_drop() {
    local name=path-silent-drop
    path_begin "$name"
    path_rule iptables -A FORWARD -p tcp --dport 443 -m string --algo bm \
        --string blocked.example -j DROP
    path_s_server "$name-srv" "$NP_SRV_IP" 443 -www
    path_curl "$name-cli-good" "$NP_SRV_IP" 443 good.example
    path_curl "$name-cli-blocked" "$NP_SRV_IP" 443 blocked.example --max-time 4
    path_end "$name"
}

# path-silent-drop-openssl: the same drop with s_client: good.example (one
# line each way), then blocked.example, given up after 4 s as curl above
# (s_client itself would wait for ever).
scenario_path_silent_drop_openssl() {
    local name=path-silent-drop-openssl
    path_begin "$name"
    path_rule iptables -A FORWARD -p tcp --dport 443 -m string --algo bm \
        --string blocked.example -j DROP
    path_s_server "$name-srv" "$NP_SRV_IP" 443 -rev
    path_s_client_line "$name-cli-good" "$NP_SRV_IP" 443 good.example
    timeout 4 "${NP_IN_CLI[@]}" openssl s_client -CAfile "$CA" -connect "$NP_SRV_IP:443" \
        -servername blocked.example </dev/null >"$TMP/$name-cli-blocked.log" 2>&1 || true
    path_end "$name"
}

# path-server-resets: no middlebox rule.  s_server on 8443 (good.example,
# one line each way), then make-captures' peer.py server-rst on 443: it
# reads the ClientHello (SNI blocked.example) and closes with SO_LINGER
# {1, 0}, so the server's kernel sends the RST.
scenario_path_server_resets() {
    local name=path-server-resets
    path_begin "$name"
    path_s_server "$name-srv" "$NP_SRV_IP" 8443 -rev -naccept 1
    bg_server "$name-peer" "${NP_IN_SRV[@]}" "$PY" "$TMP/peer.py" server-rst "$NP_SRV_IP" 443
    wait_listen 443 tcp "$NP_SRV"
    path_s_client_line "$name-cli-good" "$NP_SRV_IP" 8443 good.example
    path_s_client_try "$name-cli-blocked" "$NP_SRV_IP" 443 blocked.example
    path_end "$name"
}

# path-server-silent: no middlebox rule.  curl to s_server -www on 8443
# succeeds; then peer.py server-silent on 443: its TCP accepts and ACKs the
# ClientHello, the application never answers; curl gives up after 3 s
# (--max-time 3) and the peer closes after it.
scenario_path_server_silent() {
    local name=path-server-silent
    path_begin "$name"
    path_s_server "$name-srv" "$NP_SRV_IP" 8443 -www -naccept 1
    bg_server "$name-peer" "${NP_IN_SRV[@]}" "$PY" "$TMP/peer.py" server-silent "$NP_SRV_IP" 443
    wait_listen 443 tcp "$NP_SRV"
    path_curl "$name-cli-good" "$NP_SRV_IP" 8443 good.example
    path_curl "$name-cli-silent" "$NP_SRV_IP" 443 good.example --max-time 3
    path_end "$name"
}

# path-proxy-closes: a transparent proxy on the router.  Port 443 from the
# client side is REDIRECTed (nat PREROUTING) to nginx's stream module on
# the router (port 4443, ssl_preread): good.example is relayed to the
# server's 443, any other name gets no upstream and nginx closes (FIN)
# without a word.  Port 8443 is not redirected: s_server answers it
# directly.  Three s_client connections: good.example to 8443 (the
# server's own hop distance), good.example to 443 (through the proxy),
# blocked.example to 443 (closed by the proxy).
scenario_path_proxy_closes() {
    local name=path-proxy-closes d=$TMP/nginx
    path_begin "$name"
    path_rule iptables -t nat -A PREROUTING -i to-cli -p tcp --dport 443 \
        -j REDIRECT --to-ports 4443
    path_s_server "$name-srv8443" "$NP_SRV_IP" 8443 -rev -naccept 1
    path_s_server "$name-srv" "$NP_SRV_IP" 443 -rev -naccept 1
    nginx_conf "
stream {
    map \$ssl_preread_server_name \$backend {
        good.example $NP_SRV_IP:443;
    }
    server {
        listen $NP_CLI_GW:4443;
        ssl_preread on;
        proxy_pass \$backend;
    }
}"
    bg_server "$name-rtr" "${NP_IN_RTR[@]}" nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log"
    wait_listen 4443 tcp "$NP_RTR"
    path_s_client_line "$name-cli-direct" "$NP_SRV_IP" 8443 good.example
    path_s_client_line "$name-cli-proxied" "$NP_SRV_IP" 443 good.example
    path_s_client_try "$name-cli-blocked" "$NP_SRV_IP" 443 blocked.example
    path_end "$name"
}

# path-route-change-STACK: the same server, reached over a route one hop
# longer from the second connection on: the router then takes one more from
# the TTL of every packet it forwards (iptables' TTL target, as a second
# router would). The server's kernel sends TCP timestamps from one clock on
# every connection (net.ipv4.tcp_timestamps=2: no per-connection offset, as
# before Linux 4.10 and in other stacks). Connection 1 succeeds (TTL 63 at
# the client, one line each way); connection 2, a TLS 1.2-only client
# against the TLS 1.3-only server, gets the server's own fatal alert
# protocol_version, from TTL 62.
#   STACK  openssl: s_server -rev -tls1_3 / s_client (-tls1_2)
#          gnutls: gnutls-serv --echo, TLS 1.3 only / gnutls-cli (TLS 1.2 only)
path_route_change() {
    local stack=$1 name=path-route-change-$1
    path_begin "$name"
    "${NP_IN_SRV[@]}" sysctl -qw net.ipv4.tcp_timestamps=2
    case $stack in
    openssl)
        path_s_server "$name-srv" "$NP_SRV_IP" 443 -rev -tls1_3
        path_s_client_line "$name-cli1" "$NP_SRV_IP" 443 good.example
        path_rule iptables -t mangle -A FORWARD -j TTL --ttl-dec 1
        sleep 0.5
        client "$name-cli2" "${NP_IN_CLI[@]}" openssl s_client -CAfile "$CA" \
            -connect "$NP_SRV_IP:443" -servername good.example -tls1_2 </dev/null
        ;;
    gnutls)
        bg_server "$name-srv" "${NP_IN_SRV[@]}" gnutls-serv --port 443 --echo \
            --x509certfile "$PCERT" --x509keyfile "$PKEY" --priority NORMAL:-VERS-ALL:+VERS-TLS1.3
        wait_listen 443 tcp "$NP_SRV"
        line_then_eof "hello from $name-cli1" |
            timeout 10 "${NP_IN_CLI[@]}" gnutls-cli -p 443 --x509cafile "$CA" \
                --sni-hostname good.example --verify-hostname good.example "$NP_SRV_IP" \
                >"$TMP/$name-cli1.log" 2>&1 || true
        path_rule iptables -t mangle -A FORWARD -j TTL --ttl-dec 1
        sleep 0.5
        client "$name-cli2" "${NP_IN_CLI[@]}" gnutls-cli -p 443 --x509cafile "$CA" \
            --sni-hostname good.example --priority NORMAL:-VERS-ALL:+VERS-TLS1.2 "$NP_SRV_IP" </dev/null
        ;;
    esac
    path_end "$name"
}
scenario_path_route_change_openssl() { path_route_change openssl; }
scenario_path_route_change_gnutls() { path_route_change gnutls; }

ALL+=(path-sni-reset-openssl path-sni-reset-curl path-sni-reset-ipv6 path-silent-drop
    path-silent-drop-openssl path-server-resets path-server-silent path-proxy-closes
    path-route-change-openssl path-route-change-gnutls)

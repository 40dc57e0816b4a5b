# shellcheck shell=bash
# Retry scenarios for make-captures.sh (sourced by it; uses its helpers).
#
# One client (or two, from 127.0.0.2 and 127.0.0.3) tries again after a
# failed handshake, 0.5-1.5 s later, like a real client's retry.  Only port
# 443 is captured.  A small Python relay on 127.0.0.1:443 ($TMP/retry-peer.py)
# sits in front of the real TLS server and, following a per-client plan,
# either resets a connection after reading its ClientHello (RST, SO_LINGER 0)
# or forwards it both ways.  In the proxy scenarios haproxy (client-facing,
# 127.0.0.1:4443) sends a PROXY header to the relay, which passes it on to
# nginx (proxy_protocol) and keys its plan on the PROXY source address.
# (retry-never-recovers needs no relay: its server itself refuses.)
#
#   client --> [relay 127.0.0.1:443] --> s_server 127.0.0.1:8444
#   client --> haproxy 127.0.0.1:4443 --> [relay 127.0.0.1:443] --> nginx 127.0.0.1:8445
#                                         ^ captured hop

RETRY_GAP=0.8     # seconds between two attempts of the same client

write_retry_peer() {
    cat >"$TMP/retry-peer.py" <<'PYEOF'
"""TCP relay for the retry captures.

relay LISTEN_PORT BACKEND_PORT PLAN [proxy]

PLAN is "SRC=act,act,...;SRC=act,..." where SRC is a client IPv4 address
(the TCP peer, or with "proxy" the source named in the PROXY v1/v2 header the
connection starts with) and act is "rst" (read the PROXY header and the
ClientHello record, then close with RST) or "fwd" (forward both ways to
127.0.0.1:BACKEND_PORT).  The n-th connection of SRC takes the n-th action;
connections past the end of the list, or from other sources, are forwarded.
"""
import socket, struct, sys, threading
from peerlib import recv_exact

V2_SIG = b"\r\n\r\n\x00\r\nQUIT\n"

def read_proxy_header(conn):
    """Read exactly one PROXY v1 or v2 header; return (bytes, source ip)."""
    first = recv_exact(conn, 12)
    if first == V2_SIG:
        rest = recv_exact(conn, 4)
        body = recv_exact(conn, struct.unpack("!H", rest[2:4])[0])
        src = socket.inet_ntoa(body[0:4]) if rest[1] >> 4 == 1 else "?"
        return first + rest + body, src
    data = first
    while not data.endswith(b"\r\n") and len(data) < 108:
        b = conn.recv(1)
        if not b:
            break
        data += b
    parts = data.split(b" ")
    src = parts[2].decode() if len(parts) > 2 else "?"
    return data, src

def read_record(conn):
    hdr = recv_exact(conn, 5)
    body = recv_exact(conn, struct.unpack("!H", hdr[3:5])[0]) if len(hdr) == 5 else b""
    return hdr + body

def abort(sock):
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass

def pump(src, dst, done):
    reset = False
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        reset = True
    if reset:
        abort(dst)                      # pass a reset on as a reset
    else:
        try:
            dst.shutdown(socket.SHUT_WR)  # pass a FIN on as a FIN
        except OSError:
            pass
    done.release()

def handle(conn, peer, backend_port, plan, counts, lock, proxy):
    head, src = read_proxy_header(conn) if proxy else (b"", peer[0])
    with lock:
        n = counts.get(src, 0)
        counts[src] = n + 1
    acts = plan.get(src, [])
    act = acts[n] if n < len(acts) else "fwd"
    print(f"{src} connection {n + 1}: {act}", flush=True)
    if act == "rst":
        read_record(conn)
        abort(conn)
        conn.close()
        return
    up = socket.create_connection(("127.0.0.1", backend_port))
    if head:
        up.sendall(head)
    done = threading.Semaphore(0)
    threading.Thread(target=pump, args=(conn, up, done), daemon=True).start()
    threading.Thread(target=pump, args=(up, conn, done), daemon=True).start()
    done.acquire()
    done.acquire()
    conn.close()
    up.close()

def relay(listen_port, backend_port, plan_text, proxy):
    plan = {}
    for item in filter(None, plan_text.split(";")):
        src, acts = item.split("=")
        plan[src] = acts.split(",")
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", listen_port))
    ls.listen(16)
    counts, lock = {}, threading.Lock()
    while True:
        conn, peer = ls.accept()
        threading.Thread(target=handle, daemon=True,
                         args=(conn, peer, backend_port, plan, counts, lock, proxy)).start()

if sys.argv[1] == "relay":
    relay(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4],
          len(sys.argv) > 5 and sys.argv[5] == "proxy")
else:
    sys.exit("unknown mode " + sys.argv[1])
PYEOF
}

# retry_relay BACKEND_PORT PLAN [proxy]: the relay on 127.0.0.1:443.
retry_relay() {
    write_retry_peer
    bg_server relay "$PY" "$TMP/retry-peer.py" relay 443 "$@"
    wait_listen 443
}

ensure_haproxy() {
    command -v haproxy >/dev/null 2>&1 && return 0
    echo "installing: haproxy"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        haproxy >/dev/null
}

# Attempt 1 is reset by the relay after its ClientHello (TLS 1.2 at most,
# SNI good.example); attempt 2 is a TLS 1.0 fallback with TLS_FALLBACK_SCSV,
# which the real server (TLS 1.0-1.3) rejects with inappropriate_fallback;
# attempt 3 is a full-strength handshake carrying one line each way.
scenario_retry_fallback_recovered() {
    start_capture retry-fallback-recovered 443
    s_server srv -accept 127.0.0.1:8444 -naccept 2 -min_protocol TLSv1 -max_protocol TLSv1.3 \
        -cipher 'DEFAULT:@SECLEVEL=0'
    wait_listen 8444
    retry_relay 8444 '127.0.0.1=rst'
    s_client_try cli-1 -connect 127.0.0.1:443 -servername good.example -no_tls1_3
    sleep "$RETRY_GAP"
    s_client_try cli-2 -connect 127.0.0.1:443 -servername good.example -tls1 -fallback_scsv \
        -cipher 'DEFAULT:@SECLEVEL=0'
    sleep "$RETRY_GAP"
    s_client_line cli-3 -connect 127.0.0.1:443 -servername good.example
    stop_capture
}

# A TLS 1.3-only server and a client that can do at most TLS 1.2 and falls
# back step by step, as old browsers did: TLS 1.2, then TLS 1.1 with
# TLS_FALLBACK_SCSV, then TLS 1.0 with TLS_FALLBACK_SCSV.  Every attempt ends
# in the server's fatal protocol_version alert.
scenario_retry_never_recovers() {
    start_capture retry-never-recovers 443
    s_server srv -accept 127.0.0.1:443 -naccept 3 -tls1_3
    wait_listen 443
    s_client_try cli-1 -connect 127.0.0.1:443 -servername good.example -tls1_2
    sleep "$RETRY_GAP"
    s_client_try cli-2 -connect 127.0.0.1:443 -servername good.example -tls1_1 -fallback_scsv \
        -cipher 'DEFAULT:@SECLEVEL=0'
    sleep "$RETRY_GAP"
    s_client_try cli-3 -connect 127.0.0.1:443 -servername good.example -tls1 -fallback_scsv \
        -cipher 'DEFAULT:@SECLEVEL=0'
    stop_capture
}

# Two clients, interleaved: .2 reset, .3 reset, .3 reset, .2 succeeds.
scenario_retry_two_clients() {
    start_capture retry-two-clients 443
    s_server srv -accept 127.0.0.1:8444 -naccept 1
    wait_listen 8444
    retry_relay 8444 '127.0.0.2=rst;127.0.0.3=rst,rst'
    s_client_try cli2-1 -bind 127.0.0.2:0 -connect 127.0.0.1:443 -servername good.example
    sleep 0.3
    s_client_try cli3-1 -bind 127.0.0.3:0 -connect 127.0.0.1:443 -servername good.example
    sleep 0.6
    s_client_try cli3-2 -bind 127.0.0.3:0 -connect 127.0.0.1:443 -servername good.example
    sleep 0.3
    s_client_line cli2-2 -bind 127.0.0.2:0 -connect 127.0.0.1:443 -servername good.example
    stop_capture
}

# retry_proxy NAME SEND-PROXY-KEYWORD
#   127.0.0.2: reset by the relay -> TLS 1.0 + TLS_FALLBACK_SCSV, nginx alert
#              86 -> full handshake and one HTTP request (curl)
#   127.0.0.3: offers only ECDSA suites (TLS 1.2) to an RSA-only server, nginx
#              alert 40 handshake_failure, twice
retry_proxy() {
    local name=$1 send_proxy=$2 d=$TMP/haproxy
    ensure_haproxy
    start_capture "$name" 443
    nginx_start nginx "$(nginx_http "
    server {
        listen 127.0.0.1:8445 ssl proxy_protocol;
        server_name good.example;
        ssl_certificate $CERT;
        ssl_certificate_key $KEY;
        ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
        ssl_ciphers DEFAULT:@SECLEVEL=0;
        location / { return 200 \"hello \$proxy_protocol_addr\n\"; }
    }")"
    wait_listen 8445
    retry_relay 8445 '127.0.0.2=rst' proxy
    rm -rf "$d"; mkdir -p "$d"
    cat >"$d/haproxy.cfg" <<CONF
global
    log stdout format raw local0 info
defaults
    mode tcp
    log global
    option tcplog
    timeout connect 5s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:4443
    default_backend be
backend be
    server relay 127.0.0.1:443 $send_proxy
CONF
    bg_server haproxy haproxy -db -f "$d/haproxy.cfg"
    wait_listen 4443
    local hp=(-connect 127.0.0.1:4443 -servername good.example)
    s_client_try cli2-1 -bind 127.0.0.2:0 "${hp[@]}"
    sleep 0.4
    s_client_try cli3-1 -bind 127.0.0.3:0 "${hp[@]}" -tls1_2 \
        -cipher 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384'
    sleep 0.4
    s_client_try cli2-2 -bind 127.0.0.2:0 "${hp[@]}" -tls1 -fallback_scsv \
        -cipher 'DEFAULT:@SECLEVEL=0'
    sleep 0.4
    s_client_try cli3-2 -bind 127.0.0.3:0 "${hp[@]}" -tls1_2 \
        -cipher 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384'
    sleep 0.4
    client cli2-3 curl --http1.1 -sS --interface 127.0.0.2 --cacert "$CA" \
        --resolve good.example:4443:127.0.0.1 https://good.example:4443/
    stop_capture
}

scenario_retry_proxy_v1() { retry_proxy retry-proxy-v1 send-proxy; }
scenario_retry_proxy_v2() { retry_proxy retry-proxy-v2 send-proxy-v2; }

# ensure_command COMMAND PACKAGE: install PACKAGE unless COMMAND is there.
ensure_command() {
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "installing: $2"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        "$2" >/dev/null
}

# socks_curl LOGNAME MODE PORT [PROXY-PORT]: curl (at most TLS 1.2) through
# the SOCKS proxy on 127.0.0.1:PROXY-PORT (1080) to https://good.example:PORT/.
# MODE socks4 or socks5: curl resolves the name and the proxy gets
# 127.0.0.1; socks5-hostname: the proxy gets the name localhost.
socks_curl() {
    local logname=$1 mode=$2 port=$3 to=(--resolve "good.example:$3:127.0.0.1")
    [[ $mode == socks5-hostname ]] && to=(--connect-to "good.example:$port:localhost:$port")
    client "$logname" curl -sS --cacert "$CA" --tls-max 1.2 "--$mode" "127.0.0.1:${4:-1080}" "${to[@]}" \
        -o /dev/null -w '%{http_code}\n' "https://good.example:$port/"
}

# socks_targets_servers: the two targets, 127.0.0.1:8446 (TLS 1.3 only)
# and 127.0.0.1:8447 (any version), each answering a GET (-www).
socks_targets_servers() {
    bg_server srv-13 openssl s_server -cert "$CERT" -key "$KEY" -accept 127.0.0.1:8446 -naccept "$1" -tls1_3 -www
    bg_server srv-any openssl s_server -cert "$CERT" -key "$KEY" -accept 127.0.0.1:8447 -naccept "$2" -www
    wait_listen 8446
    wait_listen 8447
}


# One client's attempts through one SOCKS5 proxy (microsocks on
# 127.0.0.1:1080) to two targets with the same name: 127.0.0.1:8446, an
# s_server that speaks TLS 1.3 only, and 127.0.0.1:8447, one that speaks
# any version. The client (curl, at most TLS 1.2, SNI good.example) asks
# the proxy for an address: the first target (refused: protocol_version),
# the second (200), the first again (refused); then for the name localhost:
# the first target (refused), the second (200). Only the client's side of
# the proxy is captured.
scenario_retry_socks_targets() {
    ensure_command microsocks microsocks
    start_capture retry-socks-targets 1080
    bg_server socks microsocks -i 127.0.0.1 -p 1080
    wait_listen 1080
    socks_targets_servers 3 2
    socks_curl cli-1 socks5 8446
    sleep "$RETRY_GAP"
    socks_curl cli-2 socks5 8447
    sleep "$RETRY_GAP"
    socks_curl cli-3 socks5 8446
    sleep "$RETRY_GAP"
    socks_curl cli-4 socks5-hostname 8446
    sleep "$RETRY_GAP"
    socks_curl cli-5 socks5-hostname 8447
    stop_capture
    local i
    for i in 1 3 4; do log_expect "cli-$i" 'alert protocol version'; done
    log_expect cli-2 '^200$'
    log_expect cli-5 '^200$'
}

# The same targets through dante (danted on 127.0.0.1:1081, a port
# Wireshark gives no protocol: the SOCKS bytes show as TCP data), from two
# client stacks: curl asking in SOCKS4 (an address) or SOCKS5 (the name
# localhost), and s_client (at most TLS 1.2) through proxychains4, which
# asks in SOCKS5 for an address. The first target by address in SOCKS4
# (refused), again by address in SOCKS5 from s_client (refused); the second
# target by address in SOCKS4 (200); the first by name (refused); the
# second by address from s_client (handshake done).
scenario_retry_socks_dante() {
    ensure_command danted dante-server
    ensure_command proxychains4 proxychains4
    printf '%s\n' 'logoutput: stderr' 'internal: 127.0.0.1 port = 1081' 'external: 127.0.0.1' \
        'socksmethod: none' 'clientmethod: none' 'user.privileged: root' 'user.unprivileged: nobody' \
        'client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }' \
        'socks pass { from: 127.0.0.0/8 to: 0.0.0.0/0 protocol: tcp }' >"$TMP/danted.conf"
    printf '%s\n' strict_chain quiet_mode '[ProxyList]' 'socks5 127.0.0.1 1081' >"$TMP/proxychains.conf"
    start_capture retry-socks-dante 1081
    bg_server dante danted -f "$TMP/danted.conf" -N 1
    wait_listen 1081
    socks_targets_servers 3 2
    socks_curl dcli-1 socks4 8446 1081
    sleep "$RETRY_GAP"
    client dcli-2 proxychains4 -q -f "$TMP/proxychains.conf" openssl s_client -CAfile "$CA" \
        -connect 127.0.0.1:8446 -servername good.example -tls1_2 </dev/null
    sleep "$RETRY_GAP"
    socks_curl dcli-3 socks4 8447 1081
    sleep "$RETRY_GAP"
    socks_curl dcli-4 socks5-hostname 8446 1081
    sleep "$RETRY_GAP"
    client dcli-5 proxychains4 -q -f "$TMP/proxychains.conf" openssl s_client -CAfile "$CA" \
        -connect 127.0.0.1:8447 -servername good.example -tls1_2 </dev/null
    stop_capture
    local i
    for i in 1 2 4; do log_expect "dcli-$i" 'alert protocol version'; done
    log_expect dcli-3 '^200$'
    log_expect dcli-5 'Verify return code: 0 \(ok\)'
}

ALL+=(
    retry-fallback-recovered retry-never-recovers retry-two-clients
    retry-proxy-v1 retry-proxy-v2 retry-socks-targets retry-socks-dante
)

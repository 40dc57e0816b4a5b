#!/usr/bin/env bash
# Build the sample captures in captures/ from real TLS stacks over loopback.
#
#   sudo captures/make-captures.sh            # rebuild every capture
#   sudo captures/make-captures.sh NAME       # rebuild only captures/NAME.pcap
#   sudo captures/make-captures.sh --list     # list the scenario names
#
# KEEP_TMP=1 keeps the temp dir (certificates, server and client logs).
#
# Every peer runs on 127.0.0.1 or ::1 only.  A throwaway CA and a server
# certificate for good.example are made in a temp dir at run time, so no key
# is ever committed.  Root is needed for tcpdump (and for port 443).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The Python peers share captures/peerlib.py.
export PYTHONPATH=$HERE${PYTHONPATH:+:$PYTHONPATH}
OUT=$HERE
PY=/usr/bin/python3
NGINX_STREAM_MODULE=/usr/lib/nginx/modules/ngx_stream_module.so

if [[ $(id -u) -ne 0 ]]; then
    echo "make-captures.sh: must run as root (tcpdump, port 443)" >&2
    exit 1
fi

# ---------------------------------------------------------------- setup ---

ensure_packages() {
    local -A want=(
        [tcpdump]=tcpdump [tshark]=tshark [openssl]=openssl [nginx]=nginx-light
        [gnutls-serv]=gnutls-bin [curl]=curl [ss]=iproute2 [python3]=python3
        [go]=golang-go [iptables]=iptables [ethtool]=ethtool [nghttp]=nghttp2-client [h2load]=nghttp2-client [openvpn]=openvpn [nmap]=nmap [sslscan]=sslscan
        [javac]=openjdk-17-jdk-headless
        [tstclnt]=libnss3-tools
        [erlc]=erlang-base
        [botan]=botan [lighttpd]=lighttpd
        [apache2]=apache2
        [psql]=postgresql-client
        [node]=nodejs
    )
    local missing=() cmd
    for cmd in "${!want[@]}"; do
        command -v "$cmd" >/dev/null 2>&1 || missing+=("${want[$cmd]}")
    done
    [[ -x $PY ]] || missing+=(python3)
    [[ -f $NGINX_STREAM_MODULE ]] || missing+=(libnginx-mod-stream)
    # Erlang/OTP's TLS stack (scenarios-erlang.sh): libraries, no commands.
    compgen -G '/usr/lib/erlang/lib/ssl-*' >/dev/null || missing+=(erlang-ssl)
    compgen -G '/usr/lib/erlang/lib/public_key-*' >/dev/null || missing+=(erlang-public-key)
    compgen -G '/usr/lib/erlang/lib/crypto-*' >/dev/null || missing+=(erlang-crypto)
    # lighttpd's TLS modules of scenarios-embedded.sh.
    [[ -f /usr/lib/lighttpd/mod_mbedtls.so ]] || missing+=(lighttpd-mod-mbedtls)
    [[ -f /usr/lib/lighttpd/mod_wolfssl.so ]] || missing+=(lighttpd-mod-wolfssl)
    # PostgreSQL 15's server (scenarios-postgres.sh), not on PATH.
    [[ -x /usr/lib/postgresql/15/bin/postgres ]] || missing+=(postgresql)
    if ((${#missing[@]})); then
        echo "installing: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

TMP=$(mktemp -d /tmp/make-captures.XXXXXX)
PIDS=()            # background processes of the current scenario
TCPDUMP_PID=

cleanup() {
    stop_servers
    if [[ -n $TCPDUMP_PID ]]; then
        kill -INT "$TCPDUMP_PID" 2>/dev/null || true
        wait "$TCPDUMP_PID" 2>/dev/null || true
    fi
    if [[ ${KEEP_TMP:-} == 1 ]]; then echo "logs kept in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

make_pki() {
    local d=$TMP/pki
    mkdir -p "$d"
    openssl req -x509 -newkey rsa:2048 -sha256 -days 3650 -nodes \
        -keyout "$d/ca.key" -out "$d/ca.pem" -subj "/CN=tlsdiag test CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -newkey rsa:2048 -sha256 -nodes \
        -keyout "$d/server.key" -out "$d/server.csr" -subj "/CN=good.example" 2>/dev/null
    printf '%s\n' "subjectAltName=DNS:good.example" "basicConstraints=CA:FALSE" \
        "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" \
        >"$d/server.ext"
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
        -CAcreateserial -sha256 -days 3650 -extfile "$d/server.ext" \
        -out "$d/server.pem" 2>/dev/null
    CA=$d/ca.pem CERT=$d/server.pem KEY=$d/server.key
}

# make_other_ca: an unrelated CA, $TMP/pki/other-ca.pem, that signed nothing
# here (for a client that must refuse good.example), made once per run.
make_other_ca() {
    [[ -f $TMP/pki/other-ca.pem ]] && return 0
    openssl req -x509 -newkey rsa:2048 -sha256 -days 3650 -nodes \
        -keyout "$TMP/pki/other-ca.key" -out "$TMP/pki/other-ca.pem" \
        -subj "/CN=tlsdiag other CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

# issue_leaf DIR NAME SUBJECT EXT...: DIR/NAME.pem + .key, a certificate
# issued by the run's CA with the given extensions (one per argument).
issue_leaf() {
    local dir=$1 name=$2 subj=$3; shift 3
    openssl req -newkey rsa:2048 -sha256 -nodes -keyout "$dir/$name.key" \
        -out "$dir/$name.csr" -subj "$subj" 2>/dev/null
    printf '%s\n' "$@" >"$dir/$name.ext"
    openssl x509 -req -in "$dir/$name.csr" -CA "$CA" -CAkey "$TMP/pki/ca.key" -CAcreateserial \
        -sha256 -days 3650 -extfile "$dir/$name.ext" -out "$dir/$name.pem" 2>/dev/null
}

# --------------------------------------------------------------- helpers ---

log() { printf '  %s\n' "$*"; }

# keylog_path NAME: the key-log file for captures/NAME.pcap (removed first:
# peers append to it); keylog_done NAME: owned as the captures are.
keylog_path() { rm -f "$OUT/$1.keys"; printf '%s' "$OUT/$1.keys"; }
keylog_done() { chown --reference="$OUT" "$OUT/$1.keys"; }

# capture_fields FILTER FIELD [KEYS [TSHARK-ARGS...]]: FIELD of the frames
# of $CAPTURE matching FILTER (read with the key log KEYS when not empty),
# space-separated.
capture_fields() {
    local filter=$1 field=$2 kl=()
    [[ -n ${3:-} ]] && kl=(-o "tls.keylog_file:$3")
    tshark -r "$CAPTURE" "${kl[@]}" "${@:4}" -Y "$filter" -T fields -e "$field" 2>/dev/null |
        tr '\n' ' ' | sed 's/ $//'
}

# capture_want WHAT GOT WANTED: stop unless GOT is WANTED.
capture_want() {
    [[ $2 == "$3" ]] && return 0
    echo "make-captures.sh: $(basename "$CAPTURE"): $1: '$2', wanted '$3'" >&2
    exit 1
}

# nc_want WHAT FILTER FIELD WANTED [KEYS]: capture_want of capture_fields.
nc_want() { capture_want "$1" "$(capture_fields "$2" "$3" "${5:-}")" "$4"; }

# start_capture NAME PORT [NS [DEV]]: tcpdump on DEV (default lo; in network
# namespace NS when given) into captures/NAME.pcap, TCP port PORT (or a
# filter: "udp port 4433"), each frame cut to $SNAPLEN bytes when that is
# set; returns once tcpdump says it is listening. -B:
# with --immediate-mode each packet takes a snaplen-sized slot of the buffer,
# so the default 2 MiB hold a handful and a burst of connections would lose
# packets.
start_capture() {
    local name=$1 filter=$2 ns=${3:-} dev=${4:-lo} run=() i
    [[ $filter =~ ^[0-9]+$ ]] && filter="tcp port $filter"
    [[ -n $ns ]] && run=(ip netns exec "$ns")
    CAPTURE=$OUT/$name.pcap
    # (The last run's "listening on" must not be read before this one's.)
    rm -f "$CAPTURE" "$TMP/tcpdump.err"
    "${run[@]}" tcpdump -i "$dev" -B 131072 ${SNAPLEN:+-s "$SNAPLEN"} -U --immediate-mode -w "$CAPTURE" "$filter" \
        2>"$TMP/tcpdump.err" &
    TCPDUMP_PID=$!
    for i in $(seq 100); do
        grep -qs 'listening on' "$TMP/tcpdump.err" && { sleep 0.2; return 0; }
        sleep 0.05
    done
    echo "tcpdump did not start:" >&2; cat "$TMP/tcpdump.err" >&2; exit 1
}

# stop_capture: let the last packets land, stop servers, then stop tcpdump
# with SIGINT so the file is complete.
stop_capture() {
    sleep 0.3
    stop_servers
    sleep 0.2
    kill -INT "$TCPDUMP_PID"
    wait "$TCPDUMP_PID" 2>/dev/null || true
    TCPDUMP_PID=
    chown --reference="$OUT" "$CAPTURE"     # tcpdump wrote it as user tcpdump
    log "$(basename "$CAPTURE"): $(tshark -r "$CAPTURE" 2>/dev/null | wc -l) frames"
}

# bg_server LOGNAME CMD...: run a server in the background (bounded by
# timeout: SERVER_TO seconds, 20 unless set), remember its pid.
bg_server() {
    local logname=$1; shift
    timeout "${SERVER_TO:-20}" "$@" </dev/null >"$TMP/$logname.log" 2>&1 &
    PIDS+=($!)
}

stop_servers() {
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    PIDS=()
}

# also_on_exit CMD: run CMD on exit too, after the EXIT trap already set.
also_on_exit() {
    local t
    eval "t=($(trap -p EXIT))"      # t: trap -- 'CMD' EXIT
    # shellcheck disable=SC2064  # expand the old trap now
    trap "${t[2]:+${t[2]}; }$1" EXIT
}

# wait_listen PORT [tcp|udp] [NETNS]: until something listens on PORT (v4 or
# v6; in network namespace NETNS when given), at most 10 s (a peer in a
# chroot starts slowly).
wait_listen() {
    local port=$1 proto=${2:-tcp} ns=${3:-} i in=()
    [ -n "$ns" ] && in=(ip netns exec "$ns")
    for i in $(seq 200); do
        "${in[@]}" ss -Hl"${proto:0:1}"n "sport = :$port" | grep -q . && return 0
        sleep 0.05
    done
    echo "nothing listens on $proto port $port${ns:+ in $ns}" >&2; exit 1
}

# wait_free PORT [tcp|udp]: until nothing listens on the port (5 s).
wait_free() {
    local port=$1 proto=${2:-tcp} i
    for i in $(seq 100); do
        ss -Hl"${proto:0:1}"n "sport = :$port" | grep -q . || return 0
        sleep 0.05
    done
    echo "$proto port $port still in use" >&2; exit 1
}

# client LOGNAME CMD...: run a client in the foreground, bounded; its exit
# status (failed handshakes are expected) does not stop the script.
client() {
    local logname=$1; shift
    timeout 10 "$@" >"$TMP/$logname.log" 2>&1 || true
}

# log_expect LOGNAME REGEX: $TMP/LOGNAME.log must match, else stop with it.
log_expect() {
    grep -qE -- "$2" "$TMP/$1.log" && return 0
    echo "make-captures.sh: $1.log: wanted /$2/" >&2
    sed 's/^/    /' "$TMP/$1.log" >&2
    exit 1
}

# log_count LOGNAME REGEX N: exactly N lines of $TMP/LOGNAME.log match, else stop with it.
log_count() {
    local n
    n=$(grep -cE -- "$2" "$TMP/$1.log" || true)
    ((n == $3)) && return 0
    echo "make-captures.sh: $1.log: $n lines match /$2/, wanted $3" >&2
    sed 's/^/    /' "$TMP/$1.log" >&2
    exit 1
}

# line_then_eof TEXT: stdin for s_client: one line of application data, then
# EOF after a pause (s_client then sends close_notify and closes).
line_then_eof() { sleep 0.3; printf '%s\n' "$1"; sleep 0.7; }

# s_server with the good.example cert; extra args follow.  -rev: the server
# answers each line with the line reversed and, on the client's
# close_notify, sends its own close_notify and closes.
s_server() {
    local logname=$1; shift
    bg_server "$logname" openssl s_server -cert "$CERT" -key "$KEY" -rev "$@"
}

# s_client_line LOGNAME ARGS...: s_client that sends one line and closes.
s_client_line() {
    local logname=$1; shift
    line_then_eof "hello from $logname" |
        timeout 10 openssl s_client -CAfile "$CA" "$@" >"$TMP/$logname.log" 2>&1 || true
}

# gnutls_echo_line LOGNAME PORT: gnutls-serv --echo on PORT (left running);
# gnutls-cli, trusting the CA, sends one line and closes: TLS 1.3.
gnutls_echo_line() {
    bg_server gnutls gnutls-serv --port "$2" --echo --x509certfile "$CERT" --x509keyfile "$KEY"
    wait_listen "$2"
    line_then_eof "hello from gnutls-cli" |
        timeout 10 gnutls-cli -p "$2" --x509cafile "$CA" --sni-hostname good.example \
            --verify-hostname good.example 127.0.0.1 >"$TMP/$1.log" 2>&1 || true
    log_expect "$1" 'TLS1\.3'
}

# s_client_try LOGNAME ARGS...: s_client for a handshake that should fail.
s_client_try() {
    local logname=$1; shift
    client "$logname" openssl s_client -CAfile "$CA" "$@" </dev/null
}

# nginx_conf CONFIG-BODY: a fresh $TMP/nginx/nginx.conf for one nginx
# process in the foreground with the given top-level config (http {...} or
# stream {...}); its files stay in $TMP/nginx.
nginx_conf() {
    local body=$1 d=$TMP/nginx load=
    [[ $body == *"stream {"* ]] && load="load_module $NGINX_STREAM_MODULE;"
    rm -rf "$d"; mkdir -p "$d"
    cat >"$d/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log info;
$load
events { worker_connections 64; }
$body
CONF
}

# nginx_start LOGNAME CONFIG-BODY: run that nginx as a background server.
nginx_start() {
    local d=$TMP/nginx
    nginx_conf "$2"
    bg_server "$1" nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log"
}

# http {} preamble keeping every nginx file inside the temp dir.
nginx_http() {
    local d=$TMP/nginx
    cat <<CONF
http {
    access_log off;
    client_body_temp_path $d/body;
    proxy_temp_path $d/proxy;
    default_type text/plain;
    $1
}
CONF
}


write_peer() {
    cat >"$TMP/peer.py" <<'PYEOF'
"""Small misbehaving TLS peers for make-captures.sh."""
import random, socket, ssl, struct, sys
from peerlib import accept_one, drain, ext, read_record

def server(mode, host, port):
    conn = accept_one(host, port)
    read_record(conn)          # the ClientHello
    if mode == "rst":          # abortive close: the kernel sends RST
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    elif mode == "silent":     # never answer; close after the client does
        drain(conn)
    conn.close()               # "fin": plain close

def client_timeout(host, port):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    sock = socket.create_connection((host, int(port)), timeout=3)
    try:
        ctx.wrap_socket(sock, server_hostname="good.example")
    except (socket.timeout, TimeoutError):
        print("handshake timed out after 3 s")
    finally:
        sock.close()

def bad_client_hello():
    """A ClientHello whose record and handshake lengths agree, but whose
    extensions length claims 16 bytes more than are present."""
    rnd = random.Random(20240501)
    name = b"good.example"
    sni = struct.pack("!HBH", len(name) + 3, 0, len(name)) + name
    exts = (ext(0x0000, sni)                                  # server_name
            + ext(0x000a, bytes.fromhex("0004001d0017"))      # supported_groups
            + ext(0x000d, bytes.fromhex("0006080404030401"))  # signature_algorithms
            + ext(0x002b, bytes.fromhex("020303")))           # supported_versions: 1.2
    suites = bytes.fromhex("c02fc030c02bc02c009c")
    body = (b"\x03\x03" + rnd.randbytes(32) + b"\x00"
            + struct.pack("!H", len(suites)) + suites + b"\x01\x00"
            + struct.pack("!H", len(exts) + 16) + exts)
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs

def client_send(what, host, port):
    data = bad_client_hello() if what == "bad-hello" else random.Random(443).randbytes(200)
    sock = socket.create_connection((host, int(port)), timeout=5)
    sock.sendall(data)
    drain(sock)             # read whatever the server answers, until it closes
    sock.close()

mode = sys.argv[1]
if mode.startswith("server-"):
    server(mode[len("server-"):], *sys.argv[2:4])
elif mode == "client-timeout":
    client_timeout(*sys.argv[2:4])
elif mode in ("client-bad-hello", "client-garbage"):
    client_send(mode[len("client-"):], *sys.argv[2:4])
else:
    sys.exit("unknown mode " + mode)
PYEOF
}

# ------------------------------------------------------------- scenarios ---
# One function per capture; the function name is the file name with - as _.

scenario_tls12_ok() {
    start_capture tls12-ok 443
    s_server srv -accept 127.0.0.1:443 -naccept 1 -tls1_2
    wait_listen 443
    s_client_line cli -connect 127.0.0.1:443 -servername good.example -tls1_2
    stop_capture
}

scenario_tls13_ok() {
    rm -f "$OUT/tls13-ok.keys"
    start_capture tls13-ok 8443
    s_server srv -accept 127.0.0.1:8443 -naccept 1 -tls1_3
    wait_listen 8443
    s_client_line cli -connect 127.0.0.1:8443 -servername good.example -tls1_3 \
        -keylogfile "$OUT/tls13-ok.keys"
    stop_capture
    chown --reference="$OUT" "$OUT/tls13-ok.keys"
}

scenario_tls13_ok_ipv6() {
    start_capture tls13-ok-ipv6 443
    nginx_start nginx "$(nginx_http "
    server {
        listen [::1]:443 ssl;
        server_name good.example;
        ssl_certificate $CERT;
        ssl_certificate_key $KEY;
        ssl_protocols TLSv1.3;
        location / { return 200 \"hello from nginx over ::1\n\"; }
    }")"
    wait_listen 443
    client curl curl --http1.1 -sS --cacert "$CA" --resolve 'good.example:443:[::1]' \
        https://good.example/
    stop_capture
}

scenario_inappropriate_fallback() {
    start_capture inappropriate-fallback 443
    s_server srv -accept 127.0.0.1:443 -naccept 1 -min_protocol TLSv1 -max_protocol TLSv1.3 \
        -cipher 'DEFAULT:@SECLEVEL=0'
    wait_listen 443
    s_client_try cli -connect 127.0.0.1:443 -servername good.example -tls1 -fallback_scsv \
        -cipher 'DEFAULT:@SECLEVEL=0'
    stop_capture
}

scenario_version_server_refuses() {
    start_capture version-server-refuses 443
    s_server srv -accept 127.0.0.1:443 -naccept 1 -min_protocol TLSv1.2
    wait_listen 443
    s_client_try cli -connect 127.0.0.1:443 -servername good.example -tls1 \
        -cipher 'DEFAULT:@SECLEVEL=0'
    stop_capture
}

scenario_version_client_refuses() {
    start_capture version-client-refuses 443
    s_server srv -accept 127.0.0.1:443 -naccept 1 -min_protocol TLSv1 -max_protocol TLSv1 \
        -cipher 'DEFAULT:@SECLEVEL=0'
    wait_listen 443
    s_client_try cli -connect 127.0.0.1:443 -servername good.example -tls1_2
    stop_capture
}

scenario_cipher_mismatch() {
    start_capture cipher-mismatch 443
    s_server srv -accept 127.0.0.1:443 -naccept 2 -tls1_2 -cipher 'ECDHE+AESGCM'
    wait_listen 443
    s_client_line cli-ok -connect 127.0.0.1:443 -servername good.example
    # Only old RSA-key-exchange CBC suites (this OpenSSL build has no 3DES).
    s_client_try cli-old -connect 127.0.0.1:443 -servername good.example -tls1_2 \
        -cipher 'AES128-SHA:AES256-SHA:@SECLEVEL=0'
    stop_capture
}

scenario_no_common_group() {
    start_capture no-common-group 443
    s_server srv -accept 127.0.0.1:443 -naccept 2 -tls1_3 -groups P-384
    wait_listen 443
    s_client_line cli-ok -connect 127.0.0.1:443 -servername good.example -groups P-384
    s_client_try cli-x25519 -connect 127.0.0.1:443 -servername good.example -groups X25519
    stop_capture
}

# Versions, suites and groups are all fine (TLS 1.3 defaults on both sides);
# the client only accepts ECDSA/EdDSA signatures and the server has only an
# RSA key, so the server finds no signature algorithm and aborts.
scenario_client_hello_rejected() {
    start_capture client-hello-rejected 443
    s_server srv -accept 127.0.0.1:443 -naccept 1
    wait_listen 443
    s_client_try cli -connect 127.0.0.1:443 -servername good.example \
        -sigalgs 'ECDSA+SHA256:ECDSA+SHA384:ed25519'
    stop_capture
}

# nginx: a default_server that rejects handshakes, good.example served.
nginx_sni() {
    nginx_start nginx "$(nginx_http "
    server {
        listen 127.0.0.1:443 ssl default_server;
        ssl_reject_handshake on;
    }
    server {
        listen 127.0.0.1:443 ssl;
        server_name good.example;
        ssl_certificate $CERT;
        ssl_certificate_key $KEY;
        location / { return 200 \"hello from good.example\n\"; }
    }")"
    wait_listen 443
}

scenario_missing_sni() {
    start_capture missing-sni 443
    nginx_sni
    s_client_try cli -connect 127.0.0.1:443 -noservername
    stop_capture
}

scenario_unrecognized_name() {
    start_capture unrecognized-name 443
    nginx_sni
    s_client_try cli -connect 127.0.0.1:443 -servername wrong.example
    stop_capture
}

# SNI-routing proxy: the map has no default, so a ClientHello without SNI
# gives an empty upstream and nginx drops the connection.
scenario_missing_sni_preread() {
    start_capture missing-sni-preread 443
    s_server backend -accept 127.0.0.1:8444 -naccept 1
    nginx_start nginx "
stream {
    map \$ssl_preread_server_name \$backend {
        good.example 127.0.0.1:8444;
    }
    server {
        listen 127.0.0.1:443;
        ssl_preread on;
        proxy_pass \$backend;
    }
}"
    wait_listen 8444
    wait_listen 443
    s_client_try cli -connect 127.0.0.1:443 -noservername
    stop_capture
}

# Python server that reads the ClientHello and then does MODE (rst/fin).
server_cuts_after_hello() {
    local name=$1 mode=$2 host=$3 addr=$3
    [[ $host == *:* ]] && addr="[$host]"
    start_capture "$name" 443
    bg_server peer "$PY" "$TMP/peer.py" "server-$mode" "$host" 443
    wait_listen 443
    s_client_try cli -connect "$addr:443" -servername blocked.example
    stop_capture
}

scenario_reset_after_client_hello() {
    server_cuts_after_hello reset-after-client-hello rst 127.0.0.1
}

scenario_reset_after_client_hello_ipv6() {
    server_cuts_after_hello reset-after-client-hello-ipv6 rst ::1
}

scenario_closed_after_client_hello() {
    server_cuts_after_hello closed-after-client-hello fin 127.0.0.1
}

scenario_no_server_response() {
    start_capture no-server-response 443
    bg_server peer "$PY" "$TMP/peer.py" server-silent 127.0.0.1 443
    wait_listen 443
    client cli "$PY" "$TMP/peer.py" client-timeout 127.0.0.1 443
    stop_capture
}

# Only the TLS handshake's records, as a widely shared tcpdump recipe keeps
# them: a segment is captured when its payload begins with a handshake
# record (0x16). Of a TLS 1.3 connection that is the ClientHello and the
# segment with the ServerHello: no ACK, no encrypted record, nothing of how
# the handshake ended. s_client against s_server, then gnutls-cli against
# gnutls-serv; 3.5 s later s_client again, near the capture's end.
scenario_capture_filter_handshakes() {
    local name=capture-filter-handshakes
    start_capture $name 'tcp port 8443 and tcp[((tcp[12:1] & 0xf0) >> 2):1] = 0x16'
    s_server srv -accept 8443 -naccept 1 -tls1_3
    wait_listen 8443
    s_client_line cli1 -connect 127.0.0.1:8443 -servername good.example
    log_expect cli1 '^New, TLSv1\.3'
    stop_servers
    wait_free 8443
    gnutls_echo_line cli2 8443
    stop_servers
    wait_free 8443
    sleep 3.5
    s_server srv -accept 8443 -naccept 1 -tls1_3
    wait_listen 8443
    s_client_line cli3 -connect 127.0.0.1:8443 -servername good.example
    log_expect cli3 '^New, TLSv1\.3'
    stop_capture
}

# One direction only, as a capture behind asymmetric routing, or a tap or
# filter that sees one way, holds it: only the client's packets ('tcp dst
# port 8443'), none of the server's. s_client against s_server, TLS 1.3 and
# TLS 1.2, each sending a line (both succeed); gnutls-cli against
# gnutls-serv (succeeds); then the same three clients trusting an unrelated
# CA, each refusing the server's certificate: s_client and gnutls-cli with
# TLS 1.3, s_client with TLS 1.2.
scenario_capture_one_way() {
    local name=capture-one-way v
    make_other_ca
    start_capture $name 'tcp dst port 8443'
    s_server srv -accept 127.0.0.1:8443 -naccept 4
    wait_listen 8443
    for v in 1_3 1_2; do
        s_client_line "ok-$v" -connect 127.0.0.1:8443 -servername good.example "-tls$v"
        log_expect "ok-$v" "^New, TLSv${v/_/\\.}"
    done
    for v in 1_3 1_2; do
        client "bad-$v" openssl s_client -CAfile "$TMP/pki/other-ca.pem" -verify_return_error \
            -connect 127.0.0.1:8443 -servername good.example "-tls$v" </dev/null
        log_expect "bad-$v" 'unable to get local issuer certificate'
    done
    stop_servers
    wait_free 8443
    gnutls_echo_line ok-gnutls 8443
    client bad-gnutls gnutls-cli -p 8443 --x509cafile "$TMP/pki/other-ca.pem" --sni-hostname good.example \
        --verify-hostname good.example 127.0.0.1 </dev/null
    log_expect bad-gnutls 'certificate is NOT trusted|issuer is unknown'
    stop_capture
}

# A capture with a snap length (tcpdump -s 400: a capture of headers, a
# packet broker that slices packets, or offloaded segments larger than the
# MTU cut at 1514) keeps the clients' TLS 1.2 hellos whole and cuts the
# servers' first flights, and gnutls-serv's last one (a session ticket, its
# CCS and Finished). Against gnutls-serv: s_client (OpenSSL) and gnutls-cli
# closing at once after the handshake (close_notify, encrypted), s_time
# -new (three connections, each reset right after its handshake), then
# s_client refusing the server's certificate (an unrelated CA: its alert
# is in the clear). Against s_server, whose last flight fits: s_client
# closing at once. All but the refusal succeed.
scenario_capture_snaplen() {
    local name=capture-snaplen tls12=NORMAL:-VERS-ALL:+VERS-TLS1.2
    h_setup
    make_other_ca
    SNAPLEN=400 start_capture $name 8443
    bg_server gnutls gnutls-serv --port 8443 --x509certfile "$CERT" --x509keyfile "$KEY" --priority $tls12
    wait_listen 8443
    client close openssl s_client -CAfile "$CA" -connect 127.0.0.1:8443 -servername good.example </dev/null
    log_expect close '^New, TLSv1\.2'
    client gnutls gnutls-cli -p 8443 --x509cafile "$CA" --sni-hostname good.example \
        --verify-hostname good.example --priority $tls12 127.0.0.1 </dev/null
    log_expect gnutls 'TLS1\.2'
    client stime "${HPEER[@]}" take 3 stdbuf -o0 openssl s_time -connect 127.0.0.1:8443 -new -time 1 -CAfile "$CA"
    log_expect stime '^stopped after 3 connections'
    client bad openssl s_client -CAfile "$TMP/pki/other-ca.pem" -verify_return_error \
        -connect 127.0.0.1:8443 -servername good.example </dev/null
    log_expect bad 'unable to get local issuer certificate'
    stop_servers
    wait_free 8443
    s_server srv -accept 127.0.0.1:8443 -tls1_2
    wait_listen 8443
    client fits openssl s_client -CAfile "$CA" -connect 127.0.0.1:8443 -servername good.example </dev/null
    log_expect fits '^New, TLSv1\.2'
    stop_capture
}

# A capture of headers (tcpdump -s 96, its default before 4.0): every
# ClientHello is cut, alerts fit. gnutls-serv offering TLS 1.3 only refuses
# s_client's TLS 1.2 hello (handshake_failure); s_client (TLS 1.2) and
# gnutls-cli (TLS 1.3) trusting an unrelated CA refuse s_server's and
# gnutls-serv's certificates (unknown_ca in the clear; GnuTLS's alert is
# encrypted); s_client (TLS 1.3) sends a line to s_server and closes.
scenario_capture_snaplen_headers() {
    local name=capture-snaplen-headers
    make_other_ca
    SNAPLEN=96 start_capture $name 8443
    bg_server gnutls gnutls-serv --port 8443 --x509certfile "$CERT" --x509keyfile "$KEY" \
        --priority NORMAL:-VERS-ALL:+VERS-TLS1.3
    wait_listen 8443
    client old openssl s_client -CAfile "$CA" -connect 127.0.0.1:8443 -servername good.example -tls1_2 </dev/null
    log_expect old 'alert handshake failure'
    client bad-gnutls gnutls-cli -p 8443 --x509cafile "$TMP/pki/other-ca.pem" --sni-hostname good.example \
        --verify-hostname good.example 127.0.0.1 </dev/null
    log_expect bad-gnutls 'certificate is NOT trusted|issuer is unknown'
    stop_servers
    wait_free 8443
    s_server srv -accept 127.0.0.1:8443 -naccept 2
    wait_listen 8443
    client bad openssl s_client -CAfile "$TMP/pki/other-ca.pem" -verify_return_error \
        -connect 127.0.0.1:8443 -servername good.example -tls1_2 </dev/null
    log_expect bad 'unable to get local issuer certificate'
    s_client_line ok -connect 127.0.0.1:8443 -servername good.example -tls1_3
    log_expect ok '^New, TLSv1\.3'
    stop_capture
}

# OpenVPN over TCP (port 1194, which Wireshark reads as OpenVPN): the control
# channel carries TLS in OpenVPN's own messages, between its bare
# acknowledgements (P_ACK_V1), and a record often spans two of them, which
# Wireshark shows as an empty TLS layer. Point to point, no tunnel device
# (--dev null), a fresh server for each client: TLS 1.3 and TLS 1.2 (each
# connects, stays 2 s, ends), then a client trusting an unrelated CA (it
# refuses the server's certificate).
scenario_openvpn_tcp() {
    local d=$TMP/pki n args
    make_other_ca
    if [[ ! -f $d/vpn-client.pem ]]; then
        openssl req -newkey rsa:2048 -sha256 -nodes -keyout "$d/vpn-client.key" -out "$d/vpn-client.csr" \
            -subj "/CN=tlsdiag vpn client" 2>/dev/null
        printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
            "extendedKeyUsage=clientAuth" >"$d/vpn-client.ext"
        openssl x509 -req -in "$d/vpn-client.csr" -CA "$CA" -CAkey "$d/ca.key" -CAcreateserial -sha256 \
            -days 3650 -extfile "$d/vpn-client.ext" -out "$d/vpn-client.pem" 2>/dev/null
    fi
    start_capture openvpn-tcp 1194
    for n in tls13 tls12 bad-ca; do
        bg_server "vpn-srv-$n" openvpn --dev null --proto tcp-server --local 127.0.0.1 --lport 1194 \
            --tls-server --ca "$CA" --cert "$CERT" --key "$KEY" --dh none --verb 3
        wait_listen 1194
        args=(--ca "$CA")
        [[ $n == tls12 ]] && args+=(--tls-version-max 1.2)
        [[ $n == bad-ca ]] && args=(--ca "$TMP/pki/other-ca.pem")
        timeout 2 openvpn --dev null --proto tcp-client --remote 127.0.0.1 1194 --nobind --tls-client \
            --cert "$d/vpn-client.pem" --key "$d/vpn-client.key" --remote-cert-tls server \
            --connect-retry-max 1 --verb 3 "${args[@]}" >"$TMP/vpn-$n.log" 2>&1 || true
        stop_servers
        wait_free 1194
    done
    log_expect vpn-tls13 'Control Channel: TLSv1\.3'
    log_expect vpn-tls12 'Control Channel: TLSv1\.2'
    log_expect vpn-bad-ca 'VERIFY ERROR'
    stop_capture
}

scenario_not_tls_http_answer() {
    start_capture not-tls-http-answer 443
    nginx_start nginx "$(nginx_http "
    server {
        listen 127.0.0.1:443;
        location / { return 200 \"plain http\n\"; }
    }")"
    wait_listen 443
    s_client_try cli -connect 127.0.0.1:443 -servername good.example
    stop_capture
}

# Plaintext HTTP to a TLS port.  openssl s_server just closes (FIN, no
# alert) and nginx answers "400 The plain HTTP request was sent to HTTPS
# port"; gnutls-serv answers with a TLS alert, so it is the one used.
# gnutls-serv has no listen-address option: it binds the wildcard address for
# these few seconds, but only loopback traffic reaches it.
scenario_not_tls_plaintext_client() {
    start_capture not-tls-plaintext-client 443
    bg_server gnutls gnutls-serv --port 443 --x509certfile "$CERT" --x509keyfile "$KEY"
    wait_listen 443
    client curl curl -sS --max-time 5 http://127.0.0.1:443/
    stop_capture
}

scenario_alpn_mismatch() {
    start_capture alpn-mismatch 443
    bg_server gnutls gnutls-serv --port 443 --x509certfile "$CERT" --x509keyfile "$KEY" \
        --alpn=h2 --alpn-fatal
    wait_listen 443
    s_client_try cli -connect 127.0.0.1:443 -servername good.example -alpn foo/1
    stop_capture
}

scenario_handshake_alert_decode_error() {
    start_capture handshake-alert-decode-error 443
    s_server srv -accept 127.0.0.1:443 -naccept 1
    wait_listen 443
    client cli "$PY" "$TMP/peer.py" client-bad-hello 127.0.0.1 443
    stop_capture
}

scenario_garbage_on_443() {
    start_capture garbage-on-443 443
    s_server srv -accept 127.0.0.1:443 -naccept 1
    wait_listen 443
    client cli "$PY" "$TMP/peer.py" client-garbage 127.0.0.1 443
    stop_capture
}

ALL=(
    tls12-ok tls13-ok tls13-ok-ipv6
    inappropriate-fallback version-server-refuses version-client-refuses
    cipher-mismatch no-common-group client-hello-rejected
    missing-sni unrecognized-name missing-sni-preread
    reset-after-client-hello reset-after-client-hello-ipv6 closed-after-client-hello
    no-server-response not-tls-http-answer not-tls-plaintext-client
    alpn-mismatch handshake-alert-decode-error garbage-on-443 capture-filter-handshakes capture-one-way openvpn-tcp
    capture-snaplen capture-snaplen-headers
)

# More scenarios live in captures/scenarios-*.sh, one file per theme; each
# defines scenario_* functions and appends its names to ALL.
for f in "$HERE"/scenarios-*.sh; do
    [[ -e $f ]] || continue
    # shellcheck source=/dev/null
    source "$f"
done

# ------------------------------------------------------------------ main ---

main() {
    local names=("${ALL[@]}") name
    if (($#)); then
        [[ $1 == --list ]] && { printf '%s\n' "${ALL[@]}"; return 0; }
        name=${1%.pcap}
        declare -F "scenario_${name//-/_}" >/dev/null || {
            echo "unknown scenario '$1'; one of: ${ALL[*]}" >&2; exit 2; }
        names=("$name")
    fi
    # Scenarios share loopback ports and tcpdump filters: one run at a time.
    exec 9>/tmp/tlsdiag-make-captures.lock
    flock 9
    ensure_packages
    if ss -Hltn '( sport = :443 or sport = :8443 or sport = :8444 )' | grep -q .; then
        echo "make-captures.sh: port 443, 8443 or 8444 is already in use" >&2; exit 1
    fi
    make_pki
    write_peer
    for name in "${names[@]}"; do
        echo "$name"
        "scenario_${name//-/_}"
    done
}

main "$@"

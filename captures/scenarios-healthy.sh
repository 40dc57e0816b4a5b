# shellcheck shell=bash
# Healthy scenarios for make-captures.sh (sourced by it; uses its helpers):
# successful TLS handshakes from real stacks, in the shapes real traffic has
# (benchmark loops that reset right after the handshake, immediate
# close_notify, keep-alive HTTP, HelloRetryRequest, resumption, early data,
# client certificates, renegotiation, IPv6, health checks, port scanners,
# STARTTLS mail sessions, tunnels through an HTTP CONNECT proxy), for
# checking that tlsdiag stays quiet about them.
#
# Stacks: OpenSSL 3.0 (s_server, s_client, s_time, curl, nginx, Python ssl),
# GnuTLS 3.7 (gnutls-serv, gnutls-cli) and Go's crypto/tls (a small program
# written and built below, standard library only).  Everything runs on
# 127.0.0.1 / ::1 port 9443 (HEALTHY_PORT), one server at a time; Wireshark
# finds TLS there with its heuristic dissector.  The STARTTLS capture uses
# the mail ports (SMTP 25, IMAP 143, POP3 110), where Wireshark's SMTP, IMAP
# and POP dissectors hand the connection to TLS after the upgrade; the proxy
# captures hold only the clients' leg to the proxy, on 3128, on 8443 (a
# port commonly used for TLS) or on 443, where Wireshark reads each CONNECT
# and its answer as HTTP, whose dissector hands the tunnel to TLS after the
# 200.
#
# Each healthy-NAME capture goes to captures/healthy-NAME.pcap with its key
# log captures/healthy-NAME.keys (SSLKEYLOGFILE format; written by whichever
# side can: s_client/s_server -keylogfile, SSLKEYLOGFILE for curl and GnuTLS,
# SSLContext.keylog_filename, tls.Config.KeyLogWriter; trimmed to the
# connections in the capture, duplicates removed).  Every scenario checks the
# clients' and servers' logs for success and the capture for alerts other
# than close_notify (with and without the key log), for segments missing
# from it and for packets tcpdump dropped, and fails loudly otherwise
# (KEEP_TMP=1 keeps the logs).
#
# healthy-big (not in ALL: `make-captures.sh healthy-big`) writes a large
# corpus, bench/cache/healthy-big.pcap + .keys (not committed): every shape,
# s_time connections dominating, a few thousand handshakes.

HEALTHY_PORT=9443
HP=$HEALTHY_PORT
H_TO=20               # seconds each server may live (healthy-big: longer)
H_FAILS=0             # failed expectations in the current scenario
H_CHECKS=()           # "MIN|KEYS|FILTER": capture checks for h_end
HK=                   # the current key log
HRR_RANDOM=cf:21:ad:74:e5:9a:61:11:be:1d:8c:02:1e:65:b8:91:c2:a2:11:16:7a:bb:8c:5e:07:9e:09:e2:c8:a8:33:9c

# ------------------------------------------------------------- helpers ---

# h_server LOGNAME CMD...: bg_server with H_TO.
h_server() { SERVER_TO=$H_TO bg_server "$@"; }

# h_fifo_server LOGNAME CMD...: a server whose stdin is a fifo that this
# shell holds open on fd H_FD (s_server without -rev reads commands from
# stdin and quits at its EOF).  h_say LINE writes to it; h_fifo_close ends it.
h_fifo_server() {
    local logname=$1 fifo=$TMP/$1.fifo; shift
    rm -f "$fifo"; mkfifo "$fifo"
    timeout "$H_TO" "$@" <"$fifo" >"$TMP/$logname.log" 2>&1 &
    PIDS+=($!)
    exec {H_FD}>"$fifo"
}
h_say() { printf '%s\n' "$1" >&"$H_FD"; }
h_fifo_close() { exec {H_FD}>&-; }

# h_stop [PORT]: stop this phase's servers and wait until PORT (default HP)
# is free.
h_stop() {
    stop_servers
    wait_free "${1:-$HP}"
}

# h_count LOGNAME REGEX: matching lines in $TMP/LOGNAME.log.
h_count() {
    local n
    n=$(grep -cE -- "$2" "$TMP/$1.log" 2>/dev/null || true)
    echo "${n:-0}"
}

# h_expect LOGNAME MIN REGEX: at least MIN lines of the log match.
h_expect() {
    local n
    n=$(h_count "$1" "$3")
    ((n >= $2)) && return 0
    echo "  FAILED: $1.log: $n lines match /$3/, wanted at least $2" >&2
    H_FAILS=$((H_FAILS + 1))
}

# h_wait_log LOGNAME MIN REGEX: until the log has MIN matching lines (5 s).
h_wait_log() {
    local i
    for i in $(seq 100); do
        (($(h_count "$1" "$3") >= $2)) && return 0
        sleep 0.05
    done
    echo "  FAILED: waiting for /$3/ in $1.log" >&2
    H_FAILS=$((H_FAILS + 1))
}

# h_window_begin / h_window_end KEEP: of the connections started in between
# (by their SYN) h_end keeps the first KEEP (s_time may begin one more
# before it is stopped).
h_window_begin() { H_WIN_START=$(date +%s.%N); }
h_window_end() { echo "$H_WIN_START $(date +%s.%N) $1" >>"$TMP/h-windows"; }

# h_gnutls LOGNAME TEXT ARGS... HOST: gnutls-cli verifying good.example;
# TEXT is sent 0.3 s after start, EOF (close_notify) 0.7 s later.
h_gnutls() {
    local logname=$1 text=$2; shift 2
    { sleep 0.3; printf '%b' "$text"; sleep 0.7; } |
        SSLKEYLOGFILE=$HK timeout 10 gnutls-cli --x509cafile="$CA" -p "$HP" \
            --sni-hostname=good.example --verify-hostname=good.example "$@" \
            >"$TMP/$logname.log" 2>&1 || true
}
gnutls_prio() { printf 'NORMAL:-VERS-ALL:+VERS-TLS%s' "$1"; }

# h_sclose LOGNAME ARGS...: s_client with stdin at EOF: full handshake, then
# close_notify at once.
h_sclose() {
    local logname=$1; shift
    client "$logname" openssl s_client -CAfile "$CA" -servername good.example "$@" </dev/null
    h_expect "$logname" 1 '^New, TLSv1\.[23], Cipher is [A-Z]'
    h_expect "$logname" 1 'Verify return code: 0 \(ok\)'
}

# h_sline LOGNAME ARGS...: s_client_line (one line, EOF), key log, checks.
h_sline() {
    local logname=$1; shift
    s_client_line "$logname" -servername good.example -keylogfile "$HK" "$@"
    h_expect "$logname" 1 '^(New|Reused), TLSv1\.[23], Cipher is [A-Z]'
    h_expect "$logname" 1 'Verify return code: 0 \(ok\)'
}

# The Python and Go peers (written and built by h_setup).
HPEER=("$PY" "$TMP/healthy-peer.py")
HGO=$TMP/healthy-go/healthy

# h_nginx LOGNAME [DIRECTIVES]: nginx on 127.0.0.1 and ::1, TLS 1.2-1.3,
# http/1.1 and h2, keep-alive; each answer names protocol and client cert.
# h_curl_cert LOGNAME VERSION CA CERT KEY PATH: curl (TLS 1.VERSION only,
# trusting CA, key log $HK) to https://good.example:$HP/PATH with a client
# certificate.
h_curl_cert() {
    SSLKEYLOGFILE=$HK client "$1" curl -sS --cacert "$3" --resolve "good.example:$HP:127.0.0.1" \
        --tlsv"$2" --tls-max "$2" --cert "$4" --key "$5" "https://good.example:$HP/$6"
}

h_nginx() {
    nginx_start "$1" "$(nginx_http "
    server {
        listen 127.0.0.1:$HP ssl http2;
        listen [::1]:$HP ssl http2;
        server_name good.example;
        ssl_certificate $CERT;
        ssl_certificate_key $KEY;
        ssl_protocols TLSv1.2 TLSv1.3;
        keepalive_timeout 10s;
        ${2:-}
        location / {
            return 200 \"hello from nginx \$ssl_protocol \$server_protocol \$request_uri [\$ssl_client_s_dn]\n\";
        }
    }")"
    wait_listen "$HP"
}

# h_gnutls_serv LOGNAME ARGS...: gnutls-serv (binds the wildcard address;
# only loopback reaches it) writing the key log.
h_gnutls_serv() {
    local logname=$1; shift
    SSLKEYLOGFILE=$HK h_server "$logname" gnutls-serv -p "$HP" \
        --x509certfile "$CERT" --x509keyfile "$KEY" "$@"
    wait_listen "$HP"
}

# ------------------------------------------------------- setup, checks ---

h_setup() {
    local d=$TMP/pki
    CCERT=$d/client.pem CKEY=$d/client.key
    [[ -f $TMP/healthy-peer.py ]] && return 0
    # A client certificate from the same CA.
    openssl req -newkey rsa:2048 -sha256 -nodes -keyout "$d/client.key" \
        -out "$d/client.csr" -subj "/CN=tlsdiag client" 2>/dev/null
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
        "extendedKeyUsage=clientAuth" >"$d/client.ext"
    openssl x509 -req -in "$d/client.csr" -CA "$CA" -CAkey "$d/ca.key" -CAcreateserial \
        -sha256 -days 3650 -extfile "$d/client.ext" -out "$d/client.pem" 2>/dev/null
    printf 'GET /early HTTP/1.0\r\n\r\n' >"$TMP/early.txt"
    printf 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello from gnutls-serv\n' \
        >"$TMP/gnutls-page.txt"
    write_healthy_peer
    write_healthy_cut
    write_healthy_go
    mkdir -p "$TMP/healthy-go/cache" "$TMP/healthy-go/path"
    (cd "$TMP/healthy-go" &&
        env GOCACHE="$TMP/healthy-go/cache" GOPATH="$TMP/healthy-go/path" GOPROXY=off \
            GO111MODULE=off GOFLAGS= GOENV=off go build -o healthy healthy.go)
}

# h_begin NAME [nokeys] [PORT...]: start the capture (TCP port HP, or the
# PORTs given) and the key log.  Each port must be free.
h_begin() {
    local ports=("${@:3}") p filter=
    h_setup
    ((${#ports[@]})) || ports=("$HP")
    for p in "${ports[@]}"; do
        if ss -Hltn "sport = :$p" | grep -q .; then
            echo "port $p is already in use" >&2; exit 1
        fi
        filter+="${filter:+ or }tcp port $p"
    done
    H_FAILS=0 H_CHECKS=() HK=
    rm -f "$TMP/h-windows" "$OUT/$1.keys"
    [[ ${2:-} == nokeys ]] || { HK=$OUT/$1.keys; : >"$HK"; }
    start_capture "$1" "$filter"
}

# h_check MIN KEYS FILTER: h_end wants at least MIN frames matching FILTER
# (KEYS 1: read with the key log); MIN =N: exactly N.
h_check() { H_CHECKS+=("$1|$2|$3"); }

h_tshark() {
    local f=$1 keys=$2; shift 2
    if [[ $keys == 1 && -n $HK ]]; then
        tshark -r "$f" -o "tls.keylog_file:$HK" "$@" 2>/dev/null
    else
        tshark -r "$f" "$@" 2>/dev/null
    fi
}

# h_cut: keep the first KEEP connections of each window and every
# connection outside the windows (see healthy-cut.py).
h_cut() {
    [[ -s $TMP/h-windows ]] || return 0
    if ! "$PY" "$TMP/healthy-cut.py" "$CAPTURE" "$TMP/h-cut.pcap" "$TMP/h-windows" | sed "s/^/  /"; then
        echo "  FAILED: cutting the capture" >&2
        H_FAILS=$((H_FAILS + 1)); return 0
    fi
    cat "$TMP/h-cut.pcap" >"$CAPTURE"
    rm -f "$TMP/h-cut.pcap"
}

# h_trim_keys: keep the key-log lines of the ClientHellos in the capture
# (read with the key log, so renegotiation hellos count), without duplicates.
h_trim_keys() {
    [[ -n $HK ]] || return 0
    h_tshark "$CAPTURE" 1 -Y 'tls.handshake.type == 1' -T fields -e tls.handshake.random |
        tr ',' '\n' | sort -u >"$TMP/h-randoms"
    awk 'NR == FNR { keep[tolower($1)] = 1; next }
         (tolower($2) in keep) && !seen[$0]++' "$TMP/h-randoms" "$HK" >"$TMP/h-keys"
    cat "$TMP/h-keys" >"$HK"
    chown --reference="$OUT" "$HK"
}

# h_end: stop, cut, trim the key log, then check the capture: no TLS alert
# but close_notify (with and without keys) and the scenario's own checks.
h_end() {
    local streams hellos alerts alerts_k fin_k c min keys filter n
    stop_capture
    h_cut
    h_trim_keys
    streams=$(h_tshark "$CAPTURE" 0 -T fields -e tcp.stream | sort -u | grep -c . || true)
    hellos=$(h_tshark "$CAPTURE" 0 -Y 'tls.handshake.type == 1' | wc -l)
    alerts=$(h_tshark "$CAPTURE" 0 -Y 'tls.alert_message.desc != 0' | wc -l)
    alerts_k=$alerts fin_k=-
    if [[ -n $HK ]]; then
        alerts_k=$(h_tshark "$CAPTURE" 1 -Y 'tls.alert_message.desc != 0' | wc -l)
        fin_k=$(h_tshark "$CAPTURE" 1 -Y 'tls.handshake.type == 20' | wc -l)
    fi
    log "$(basename "$CAPTURE"): $(stat -c %s "$CAPTURE") bytes, $streams TCP streams," \
        "$hellos ClientHellos, Finished with keys: $fin_k, alerts other than" \
        "close_notify: $alerts (with keys: $alerts_k)"
    if ((alerts + alerts_k)); then
        echo "  FAILED: TLS alerts other than close_notify" >&2
        H_FAILS=$((H_FAILS + 1))
    fi
    if ! grep -q '^0 packets dropped by kernel' "$TMP/tcpdump.err"; then
        echo "  FAILED: tcpdump: $(grep 'dropped by kernel' "$TMP/tcpdump.err")" >&2
        H_FAILS=$((H_FAILS + 1))
    fi
    # (H_REORDERED: segments swapped on purpose, each flagged as after a
    # gap until the other comes.)
    n=$(h_tshark "$CAPTURE" 0 -Y 'tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment' | wc -l)
    if ((n)) && [[ -z ${H_REORDERED:-} ]]; then
        echo "  FAILED: $n frames after segments missing from the capture" >&2
        H_FAILS=$((H_FAILS + 1))
    fi
    for c in "${H_CHECKS[@]}"; do
        IFS='|' read -r min keys filter <<<"$c"
        n=$(h_tshark "$CAPTURE" "$keys" -Y "$filter" | wc -l)
        if [[ $min == =* ]] && ((n != ${min#=})); then
            echo "  FAILED: $n frames match '$filter' (keys: $keys), wanted exactly ${min#=}" >&2
            H_FAILS=$((H_FAILS + 1))
        elif [[ $min != =* ]] && ((n < min)); then
            echo "  FAILED: $n frames match '$filter' (keys: $keys), wanted at least $min" >&2
            H_FAILS=$((H_FAILS + 1))
        fi
    done
    if ((H_FAILS)); then
        echo "  $H_FAILS check(s) failed; rerun with KEEP_TMP=1 to keep the logs" >&2
        return 1
    fi
    return 0
}

# --------------------------------------------------------------- peers ---

write_healthy_peer() {
    cat >"$TMP/healthy-peer.py" <<'PYEOF'
"""Python ssl peers for the healthy captures of make-captures.sh.

server HOST PORT CERT KEY VERSION N [curve=NAME] [clientca=CAFILE]
    accept N connections one after the other; each: handshake, answer every
    line with the line reversed; on the client's close_notify (or EOF) send
    our close_notify and close.  A connection without a handshake (a health
    check that only connects, a port scanner) is logged and skipped.
client HOST PORT CA VERSION KEYLOG MODE [cert=CERT,KEY]
    MODE line: handshake (SNI good.example, verified), one line each way,
               close_notify both ways (unwrap), close.
    MODE resume: line twice, the second offering the first one's session.
    MODE check: handshake, close_notify both ways, no data (health check).
    MODE check-abrupt: handshake, then close the socket without
               close_notify (a load balancer's health check).
scan HOST PORT N VERSION
    port scanner: N times connect, send a real ClientHello (from an
    SSLObject over MemoryBIOs), close at once without reading the answer.
tcp HOST PORT N
    N bare TCP connects, each closed at once (no TLS at all).
take N CMD...
    run CMD (openssl s_time) and copy its output; once it has printed N
    progress characters (one per connection: * new, r reused) terminate it.
    OpenSSL's apps ignore SIGPIPE, and s_time has no connection count.

starttls PROTO HOST PORT CERT KEY N KEYLOG
    a STARTTLS mail server, PROTO smtp, imap or pop3: accept N sessions one
    after the other; each: greeting, capabilities offering STARTTLS (STLS),
    the upgrade (TLS 1.2-1.3, key log to KEYLOG), then enough of the protocol
    for s_client, gnutls-cli, curl and Python (SMTP: EHLO, MAIL, RCPT, DATA;
    IMAP: CAPABILITY, LOGIN, LIST, SELECT; POP3: CAPA, USER, PASS, STAT,
    LIST, RETR) until QUIT/LOGOUT: the answer, our close_notify, the
    client's (unwrap), close.
starttls-client PROTO HOST PORT CA VERSION KEYLOG
    Python smtplib / imaplib / poplib as good.example at HOST: STARTTLS
    (verified), then SMTP: EHLO, one mail, QUIT; IMAP: LOGIN, SELECT INBOX,
    LOGOUT; POP3: USER, PASS, STAT, RETR 1, QUIT; then close_notify both ways.

proxy HOST PORT N [NAME=ADDR...]
    an HTTP CONNECT proxy: accept N connections, one thread each; each: read
    the CONNECT request and its headers, connect to the target (NAME=ADDR
    resolves a name; only 127.0.0.1 and ::1 are allowed), answer "200
    Connection established", relay bytes both ways (each side's EOF passed
    on with shutdown(SHUT_WR)) until both sides closed; then exit.
proxy-client PROXYHOST PROXYPORT HOST PORT CA VERSION KEYLOG N
    http.client.HTTPSConnection to the proxy with set_tunnel(HOST, PORT):
    CONNECT, handshake (SNI HOST, verified; ALPN http/1.1), N keep-alive
    GETs, close_notify both ways (unwrap), close.

VERSION is tls13, tls12 or any; KEYLOG "-" for none.
"""
import http.client, imaplib, poplib, smtplib, socket, ssl, subprocess, sys, threading, time
from peerlib import first_flight, listener

def versions(ctx, v):
    if v == "tls13":
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_3
    elif v == "tls12":
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2

def opts(args):
    return dict(a.split("=", 1) for a in args)

def reverse_lines(tls):
    buf = b""
    while True:
        data = tls.recv(4096)
        if not data:
            return
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            print("server read", line, flush=True)
            tls.sendall(line[::-1] + b"\n")

def server(host, port, cert, key, version, n, *rest):
    o = opts(rest)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    versions(ctx, version)
    if "curve" in o:            # with OpenSSL 3 also the only TLS 1.3 group
        ctx.set_ecdh_curve(o["curve"])
    if "clientca" in o:
        ctx.load_verify_locations(o["clientca"])
        ctx.verify_mode = ssl.CERT_REQUIRED
    ls = listener(host, port)
    print("listening", flush=True)
    for _ in range(int(n)):
        conn, peer = ls.accept()
        conn.settimeout(10)
        try:
            tls = ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError) as e:
            print("no handshake from port", peer[1], ":", e, flush=True)
            conn.close()
            continue
        print("server handshake OK:", tls.version(), tls.cipher()[0],
              "resumed" if tls.session_reused else "new",
              "client-cert" if tls.getpeercert() else "no-client-cert", flush=True)
        try:
            reverse_lines(tls)
            tls.unwrap().close()
            print("server closed cleanly", flush=True)
        except (ssl.SSLError, OSError) as e:
            print("server close:", e, flush=True)
            tls.close()

def client_once(ctx, host, port, mode, session=None, i=1):
    sock = socket.create_connection((host, int(port)), timeout=5)
    tls = ctx.wrap_socket(sock, server_hostname="good.example", session=session)
    print("client handshake OK:", tls.version(), tls.cipher()[0],
          "resumed" if tls.session_reused else "new", flush=True)
    if mode == "check-abrupt":
        tls.close()             # closes the socket; no close_notify
        print("client closed the socket without close_notify", flush=True)
        return None
    if mode != "check":
        tls.sendall(b"hello from python client %d\n" % i)
        got = b""
        while not got.endswith(b"\n"):
            data = tls.recv(4096)
            if not data:
                break
            got += data
        print("client read", got, flush=True)
    session = tls.session       # in TLS 1.3 the ticket came with the answer
    tls.unwrap().close()        # close_notify, the server's, close
    print("client closed cleanly", flush=True)
    return session

def client(host, port, ca, version, keylog, mode, *rest):
    o = opts(rest)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(ca)
    versions(ctx, version)
    if keylog != "-":
        ctx.keylog_filename = keylog
    if "cert" in o:
        ctx.load_cert_chain(*o["cert"].split(","))
    if mode == "resume":
        sess = client_once(ctx, host, port, "line")
        time.sleep(0.3)
        client_once(ctx, host, port, "line", session=sess, i=2)
    else:
        client_once(ctx, host, port, mode)

def scan(host, port, n, version):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    versions(ctx, version)
    for i in range(int(n)):
        hello = first_flight(ctx)[3]
        sock = socket.create_connection((host, int(port)), timeout=5)
        sock.sendall(hello)
        sock.close()            # at once, without reading the answer
        print("scan %d: sent a %d-byte ClientHello and closed" % (i + 1, len(hello)),
              flush=True)
        time.sleep(0.2)

def tcp(host, port, n):
    for i in range(int(n)):
        sock = socket.create_connection((host, int(port)), timeout=5)
        sock.close()
        print("tcp %d: connected and closed" % (i + 1), flush=True)
        time.sleep(0.2)

def take(n, *cmd):
    n, progress = int(n), set(b"*rt3")
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    line, count, out = b"", 0, sys.stdout.buffer
    while count < n:
        c = p.stdout.read(1)
        if not c:
            break
        out.write(c)
        out.flush()
        if c == b"\n":
            line = b""
            continue
        line += c
        if c[0] in progress and all(b in progress for b in line):
            count += 1
    p.terminate()
    p.wait()
    out.write(b"\nstopped after %d connections\n" % count)

class Lines:
    """Lines (CRLF or LF, without the ending) from a socket, plain or TLS;
    reads no further than the line asked for needs, so after STARTTLS the
    ClientHello stays in the socket for the TLS layer."""
    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def get(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                return None
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode("latin-1")

MAIL = ("From: a@good.example\r\nTo: b@good.example\r\nSubject: tlsdiag\r\n\r\n"
        "hello over STARTTLS\r\n")

def smtp_plain(say, cmd, verb, arg):
    if verb in ("EHLO", "HELO"):
        say("250-good.example\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 STARTTLS")
    elif verb == "STARTTLS":
        say("220 2.0.0 Ready to start TLS")
        return True
    elif verb == "QUIT":
        say("221 2.0.0 Bye")
        return "quit"
    else:
        say("530 5.7.0 Must issue a STARTTLS command first")

def smtp_tls(say, cmd, verb, arg, lines):
    if verb in ("EHLO", "HELO"):
        say("250-good.example\r\n250-PIPELINING\r\n250 8BITMIME")
    elif verb == "MAIL":
        say("250 2.1.0 Ok")
    elif verb == "RCPT":
        say("250 2.1.5 Ok")
    elif verb == "DATA":
        say("354 End data with <CR><LF>.<CR><LF>")
        n = 0
        while True:
            line = lines.get()
            if line is None or line == ".":
                break
            n += 1
        print("server read a mail of %d lines" % n, flush=True)
        say("250 2.0.0 Ok: queued")
    elif verb in ("RSET", "NOOP"):
        say("250 2.0.0 Ok")
    elif verb == "QUIT":
        say("221 2.0.0 Bye")
        return "quit"
    else:
        say("502 5.5.2 Command not recognized")

def imap_plain(say, cmd, verb, arg):
    tag = cmd.split(" ", 1)[0]
    if verb == "CAPABILITY":
        say("* CAPABILITY IMAP4rev1 STARTTLS")
        say(tag + " OK CAPABILITY completed")
    elif verb == "STARTTLS":
        say(tag + " OK Begin TLS negotiation now")
        return True
    elif verb == "LOGOUT":
        say("* BYE good.example logging out")
        say(tag + " OK LOGOUT completed")
        return "quit"
    elif verb == "NOOP":
        say(tag + " OK NOOP completed")
    else:
        say(tag + " BAD STARTTLS first")

def imap_tls(say, cmd, verb, arg, lines):
    tag = cmd.split(" ", 1)[0]
    if verb == "CAPABILITY":
        say("* CAPABILITY IMAP4rev1")
        say(tag + " OK CAPABILITY completed")
    elif verb == "LOGIN":
        say(tag + " OK LOGIN completed")
    elif verb == "LIST":
        say('* LIST (\\HasNoChildren) "/" INBOX')
        say(tag + " OK LIST completed")
    elif verb in ("SELECT", "EXAMINE"):
        say("* FLAGS (\\Seen)\r\n* 0 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1] UIDs valid")
        say(tag + " OK [READ-WRITE] SELECT completed")
    elif verb == "NOOP":
        say(tag + " OK NOOP completed")
    elif verb == "LOGOUT":
        say("* BYE good.example logging out")
        say(tag + " OK LOGOUT completed")
        return "quit"
    else:
        say(tag + " BAD command unknown")

def pop3_plain(say, cmd, verb, arg):
    if verb == "CAPA":
        say("+OK Capability list follows\r\nUSER\r\nSTLS\r\n.")
    elif verb == "STLS":
        say("+OK Begin TLS negotiation")
        return True
    elif verb == "QUIT":
        say("+OK Bye")
        return "quit"
    else:
        say("-ERR STLS first")

def pop3_tls(say, cmd, verb, arg, lines):
    body = MAIL.replace("\r\n", "\n").split("\n")[:-1]
    size = len(MAIL)
    if verb == "CAPA":
        say("+OK Capability list follows\r\nUSER\r\n.")
    elif verb in ("USER", "PASS", "NOOP", "RSET"):
        say("+OK")
    elif verb == "STAT":
        say("+OK 1 %d" % size)
    elif verb == "LIST":
        say("+OK 1 %d" % size if arg else "+OK 1 messages\r\n1 %d\r\n." % size)
    elif verb == "UIDL":
        say("+OK 1 tlsdiag-1" if arg else "+OK\r\n1 tlsdiag-1\r\n.")
    elif verb == "RETR":
        say("+OK %d octets\r\n%s\r\n." % (size, "\r\n".join(body)))
    elif verb == "QUIT":
        say("+OK Bye")
        return "quit"
    else:
        say("-ERR command unknown")

STARTTLS = {
    "smtp": ("220 good.example ESMTP tlsdiag test peer", smtp_plain, smtp_tls),
    "imap": ("* OK good.example IMAP4rev1 tlsdiag test peer ready", imap_plain, imap_tls),
    "pop3": ("+OK good.example POP3 tlsdiag test peer ready", pop3_plain, pop3_tls),
}

def verb_of(proto, cmd):
    words = cmd.split(" ")
    if proto == "imap":               # TAG VERB ARGS
        words = words[1:]
    verb = words[0].upper() if words and words[0] else ""
    return verb, " ".join(words[1:])

def starttls_session(proto, conn, ctx):
    greeting, plain, secure = STARTTLS[proto]
    sock = conn

    def say(text):
        sock.sendall(text.encode() + b"\r\n")

    say(greeting)
    lines = Lines(conn)
    while True:
        cmd = lines.get()
        if cmd is None:
            print("client closed in plaintext", flush=True)
            conn.close()
            return
        print("plain:", cmd, flush=True)
        verb, arg = verb_of(proto, cmd)
        r = plain(say, cmd, verb, arg)
        if r == "quit":
            conn.close()
            return
        if r:
            break
    if lines.buf:
        print("client sent more after the STARTTLS command:", lines.buf, flush=True)
    try:
        sock = ctx.wrap_socket(conn, server_side=True)
    except (ssl.SSLError, OSError) as e:
        print("no handshake:", e, flush=True)
        conn.close()
        return
    print("server handshake OK:", proto, sock.version(), sock.cipher()[0], flush=True)
    lines = Lines(sock)
    while True:
        cmd = lines.get()
        if cmd is None:
            print("client closed without", "LOGOUT" if proto == "imap" else "QUIT", flush=True)
            break
        print("tls:", cmd, flush=True)
        verb, arg = verb_of(proto, cmd)
        if secure(say, cmd, verb, arg, lines) == "quit":
            break
    try:
        sock.unwrap().close()       # our close_notify, then the client's
        print("server closed cleanly", flush=True)
    except (ssl.SSLError, OSError) as e:
        print("server close:", e, flush=True)
        sock.close()

def starttls(proto, host, port, cert, key, n, keylog):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    if keylog != "-":
        ctx.keylog_filename = keylog
    ls = listener(host, port)
    print("listening", flush=True)
    for _ in range(int(n)):
        conn, peer = ls.accept()
        conn.settimeout(10)
        print("session from port", peer[1], flush=True)
        try:
            starttls_session(proto, conn, ctx)
        except (ssl.SSLError, OSError) as e:
            print("session error:", e, flush=True)
            conn.close()

def starttls_client(proto, host, port, ca, version, keylog):
    """The mail client classes of the standard library, with the name
    good.example (checked against the certificate) connecting to HOST, and a
    close that sends close_notify and waits for the server's."""
    ctx = ssl.create_default_context(cafile=ca)
    versions(ctx, version)
    if keylog != "-":
        ctx.keylog_filename = keylog
    port = int(port)

    def connect(timeout):
        return socket.create_connection((host, port), timeout)

    def tls_close(sock):
        if isinstance(sock, ssl.SSLSocket):
            sock.unwrap().close()
            print("client closed cleanly", flush=True)
        else:
            sock.close()

    def shown(tls):
        print("client handshake OK:", proto, tls.version(), tls.cipher()[0], flush=True)

    if proto == "smtp":
        class SMTP(smtplib.SMTP):
            def _get_socket(self, h, p, timeout):
                return connect(timeout)
            def close(self):
                if self.file:
                    self.file.close()
                self.file = None
                sock, self.sock = self.sock, None
                if sock:
                    tls_close(sock)
        s = SMTP("good.example", port, local_hostname="client.example", timeout=5)
        s.ehlo()
        print("starttls:", s.starttls(context=ctx), flush=True)
        shown(s.sock)
        s.ehlo()
        print("sendmail:", s.sendmail("a@good.example", ["b@good.example"], MAIL), flush=True)
        print("quit:", s.quit(), flush=True)
    elif proto == "imap":
        class IMAP(imaplib.IMAP4):
            def _create_socket(self, timeout):
                return connect(timeout)
            def shutdown(self):
                # logout() returns on the BYE: read the tagged OK up to the
                # server's close_notify, or unwrap meets unread data.
                while True:
                    line = self.file.readline()
                    if not line:
                        break
                    print("after BYE:", line, flush=True)
                self.file.close()
                tls_close(self.sock)
        m = IMAP("good.example", port, timeout=5)
        print("starttls:", m.starttls(ssl_context=ctx), flush=True)
        shown(m.sock)
        print("login:", m.login("user", "secret"), flush=True)
        print("select:", m.select("INBOX"), flush=True)
        print("logout:", m.logout(), flush=True)
    elif proto == "pop3":
        class POP3(poplib.POP3):
            def _create_socket(self, timeout):
                return connect(timeout)
            def close(self):
                if self.file:
                    self.file.close()
                self.file = None
                sock, self.sock = self.sock, None
                if sock:
                    tls_close(sock)
        p = POP3("good.example", port, timeout=5)
        print("stls:", p.stls(context=ctx), flush=True)
        shown(p.sock)
        print("user:", p.user("user"), p.pass_("secret"), flush=True)
        print("stat:", p.stat(), flush=True)
        print("retr:", p.retr(1)[0], flush=True)
        print("quit:", p.quit(), flush=True)
    else:
        sys.exit("unknown protocol " + proto)

def relay(src, dst, dirn, st):
    """Copy src to dst until src's EOF (or an error), then pass the EOF on."""
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
            st[dirn] += len(data)
    except OSError as e:
        st["errors"].append("%s: %s" % (dirn, e))
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass

def tunnel(i, conn, peer, hosts):
    def answer(status):
        conn.sendall(("HTTP/1.1 %s\r\n\r\n" % status).encode())

    buf = b""
    while b"\r\n\r\n" not in buf and len(buf) < 8192:
        data = conn.recv(4096)
        if not data:
            break
        buf += data
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    print("proxy tunnel %d from port %d: %r, %d header lines"
          % (i, peer[1], lines[0][:80], len(lines) - 1), flush=True)
    words = lines[0].split(" ")
    if len(words) != 3 or words[0] != "CONNECT" or not words[2].startswith("HTTP/1."):
        answer("400 Bad Request")
        conn.close()
        print("proxy tunnel %d: not a CONNECT request" % i, flush=True)
        return
    name, _, tport = words[1].rpartition(":")
    addr = hosts.get(name.strip("[]"), name.strip("[]"))
    if addr not in ("127.0.0.1", "::1") or not tport.isdigit():
        answer("403 Forbidden")
        conn.close()
        print("proxy tunnel %d: target %s refused" % (i, words[1]), flush=True)
        return
    try:
        up = socket.create_connection((addr, int(tport)), timeout=5)
    except OSError as e:
        answer("502 Bad Gateway")
        conn.close()
        print("proxy tunnel %d: %s: %s" % (i, words[1], e), flush=True)
        return
    up.settimeout(15)
    answer("200 Connection established")
    if rest:                    # sent before our answer (none of the clients do)
        up.sendall(rest)
    st = {"up": len(rest), "down": 0, "errors": []}
    t = threading.Thread(target=relay, args=(up, conn, "down", st))
    t.start()
    relay(conn, up, "up", st)
    t.join()
    up.close()
    conn.close()
    print("proxy tunnel %d done: %s via %s, %d bytes up, %d down%s"
          % (i, words[1], addr, st["up"], st["down"],
             "".join("; " + e for e in st["errors"])), flush=True)

def proxy(host, port, n, *names):
    hosts = opts(names)
    ls = listener(host, port)
    ls.settimeout(30)
    print("listening", flush=True)
    threads = []
    for i in range(1, int(n) + 1):
        conn, peer = ls.accept()
        conn.settimeout(15)
        t = threading.Thread(target=tunnel, args=(i, conn, peer, hosts))
        t.start()
        threads.append(t)
    ls.close()
    for t in threads:
        t.join(30)
    print("proxy: %d tunnels" % len(threads), flush=True)

def proxy_client(phost, pport, host, port, ca, version, keylog, n):
    ctx = ssl.create_default_context(cafile=ca)
    versions(ctx, version)
    ctx.set_alpn_protocols(["http/1.1"])
    if keylog != "-":
        ctx.keylog_filename = keylog
    c = http.client.HTTPSConnection(phost, int(pport), context=ctx, timeout=5)
    c.set_tunnel(host, int(port))
    for i in range(1, int(n) + 1):
        c.request("GET", "/python-%d" % i)
        r = c.getresponse()
        body = r.read()
        if i == 1:
            print("client handshake OK:", c.sock.version(), c.sock.cipher()[0],
                  c.sock.selected_alpn_protocol(), flush=True)
        print("GET %d: %d %r" % (i, r.status, body.strip()), flush=True)
    tls, c.sock = c.sock, None
    tls.unwrap().close()        # close_notify, the server's, close
    print("client closed cleanly", flush=True)

{"server": server, "client": client, "scan": scan, "tcp": tcp, "take": take,
 "starttls": starttls, "starttls-client": starttls_client,
 "proxy": proxy, "proxy-client": proxy_client}[sys.argv[1]](*sys.argv[2:])
PYEOF
}

write_healthy_cut() {
    cat >"$TMP/healthy-cut.py" <<'PYEOF'
"""healthy-cut.py IN OUT WINDOWS: copy the classic pcap IN (Ethernet, as
tcpdump writes on lo) to OUT, keeping whole TCP connections: of the
connections whose SYN falls in a window ("START END KEEP" per line, epoch
seconds) the first KEEP, and every connection outside the windows.  A
connection is its 4-tuple from a SYN (without ACK) to the next such SYN, so
recycled ephemeral ports do not merge connections; a connection whose client
port a kept one already used is skipped, so OUT has no reused 4-tuple."""
import struct, sys

def tcp_info(frame):
    """(endpoint a, endpoint b, client port, syn-without-ack) or None."""
    etype = struct.unpack_from("!H", frame, 12)[0]
    if etype == 0x0800:
        ihl = (frame[14] & 15) * 4
        if frame[23] != 6:
            return None
        src, dst, t = frame[26:30], frame[30:34], 14 + ihl
    elif etype == 0x86DD:
        if frame[20] != 6:
            return None
        src, dst, t = frame[22:38], frame[38:54], 54
    else:
        return None
    sport, dport = struct.unpack_from("!HH", frame, t)
    flags = frame[t + 13]
    syn = bool(flags & 0x02) and not flags & 0x10
    return (src, sport), (dst, dport), sport, syn

def main(inp, out, winfile):
    wins = [(float(a), float(b), int(k)) for a, b, k in
            (line.split() for line in open(winfile) if line.strip())]
    data = open(inp, "rb").read()
    magic = data[:4]
    end = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    records, pos = [], 24
    while pos + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack_from(end + "IIII", data, pos)
        records.append((pos, 16 + incl, sec + frac / (1e9 if nano else 1e6)))
        pos += 16 + incl
    current, conn_of = {}, []          # 4-tuple -> connection id
    starts = []                        # connection id -> (SYN time, client port)
    for pos, length, ts in records:
        info = tcp_info(data[pos + 16:pos + length])
        if info is None:
            conn_of.append(None)
            continue
        a, b, sport, syn = info
        key = (min(a, b), max(a, b))
        if syn or key not in current:
            current[key] = len(starts)
            starts.append((ts, sport))
        conn_of.append(current[key])
    taken, ports, keep = [0] * len(wins), set(), set()
    for cid, (ts, port) in enumerate(starts):
        for i, (a, b, k) in enumerate(wins):
            if a <= ts <= b:
                if taken[i] < k and port not in ports:
                    taken[i] += 1
                    keep.add(cid)
                    ports.add(port)
                break
        else:
            keep.add(cid)
            ports.add(port)
    with open(out, "wb") as f:
        f.write(data[:24])
        for (pos, length, _), cid in zip(records, conn_of):
            if cid is not None and cid in keep:
                f.write(data[pos:pos + length])
    print("kept %d of %d connections" % (len(keep), len(starts)))

main(*sys.argv[1:4])
PYEOF
}

write_healthy_go() {
    mkdir -p "$TMP/healthy-go"
    cat >"$TMP/healthy-go/healthy.go" <<'GOEOF'
// Go crypto/tls peers for captures/scenarios-healthy.sh (standard library only).
//
//	healthy server ADDR CERT KEY VERSION N KEYLOG [curve=P256|P384] [clientca=CAFILE]
//	    accept N connections one after the other; each: handshake, answer
//	    every line with the line reversed; on the client's close_notify send
//	    our own and close.
//	healthy client ADDR CA VERSION KEYLOG [curves=X25519,P256] [cert=CERT,KEY] [resume] [localport=N]
//	    handshake (SNI good.example, verified against CA), one line each way,
//	    close_notify (CloseWrite), read until the server's close_notify, close.
//	    resume: twice, with a session cache (the second is resumed).
//	    localport: connect from 127.0.0.1 port N.
//	healthy httpserver ADDR CERT KEY SECONDS
//	    net/http over TLS (h2 and http/1.1) for SECONDS seconds.
//	healthy httpclient URL CA VERSION PROTO COUNT KEYLOG [PROXY]
//	    COUNT GETs (URL + 1, 2, ...) over one keep-alive connection; PROTO h2
//	    or http/1.1; the certificate must be for good.example.  PROXY: an
//	    http:// proxy URL, the connection tunnelled through it (CONNECT).
//
// VERSION is tls13, tls12 or any.  KEYLOG is appended to (SSLKEYLOGFILE
// format); "-" for none.
package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	neturl "net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func die(format string, a ...interface{}) {
	fmt.Printf("error: "+format+"\n", a...)
	os.Exit(1)
}

func versions(cfg *tls.Config, v string) {
	switch v {
	case "tls13":
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS13, tls.VersionTLS13
	case "tls12":
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS12, tls.VersionTLS12
	}
}

func keylog(cfg *tls.Config, path string) {
	if path == "-" || path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0644)
	if err != nil {
		die("keylog: %v", err)
	}
	cfg.KeyLogWriter = f
}

func pool(ca string) *x509.CertPool {
	pem, err := os.ReadFile(ca)
	if err != nil {
		die("CA: %v", err)
	}
	p := x509.NewCertPool()
	p.AppendCertsFromPEM(pem)
	return p
}

func curve(name string) tls.CurveID {
	switch name {
	case "X25519":
		return tls.X25519
	case "P256":
		return tls.CurveP256
	case "P384":
		return tls.CurveP384
	}
	die("unknown curve %s", name)
	return 0
}

func vname(v uint16) string {
	switch v {
	case tls.VersionTLS13:
		return "TLSv1.3"
	case tls.VersionTLS12:
		return "TLSv1.2"
	}
	return fmt.Sprintf("0x%04x", v)
}

func describe(who string, st tls.ConnectionState) {
	fmt.Printf("%s handshake OK: %s %s resumed=%v alpn=%q peer-certs=%d\n", who,
		vname(st.Version), tls.CipherSuiteName(st.CipherSuite), st.DidResume,
		st.NegotiatedProtocol, len(st.PeerCertificates))
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

func server(args []string) {
	addr, certf, keyf, ver, n, kl := args[0], args[1], args[2], args[3], args[4], args[5]
	cert, err := tls.LoadX509KeyPair(certf, keyf)
	if err != nil {
		die("cert: %v", err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	versions(cfg, ver)
	keylog(cfg, kl)
	for _, o := range args[6:] {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "curve":
			cfg.CurvePreferences = []tls.CurveID{curve(v)}
		case "clientca":
			cfg.ClientCAs = pool(v)
			cfg.ClientAuth = tls.RequireAndVerifyClientCert
		}
	}
	count, _ := strconv.Atoi(n)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		die("listen: %v", err)
	}
	fmt.Println("listening on", addr)
	for i := 0; i < count; i++ {
		raw, err := ln.Accept()
		if err != nil {
			die("accept: %v", err)
		}
		raw.SetDeadline(time.Now().Add(10 * time.Second))
		c := tls.Server(raw, cfg)
		if err := c.Handshake(); err != nil {
			fmt.Printf("server handshake failed: %v\n", err)
			raw.Close()
			continue
		}
		describe("server", c.ConnectionState())
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				fmt.Printf("server read %q\n", line)
				c.Write([]byte(reverse(strings.TrimRight(line, "\n")) + "\n"))
			}
			if err != nil {
				if err == io.EOF {
					fmt.Println("server got close_notify")
				} else {
					fmt.Printf("server read: %v\n", err)
				}
				break
			}
		}
		c.Close() // our close_notify, then FIN
	}
}

func client(args []string) {
	addr, ca, ver, kl := args[0], args[1], args[2], args[3]
	cfg := &tls.Config{ServerName: "good.example", RootCAs: pool(ca)}
	versions(cfg, ver)
	keylog(cfg, kl)
	rounds := 1
	var local *net.TCPAddr
	for _, o := range args[4:] {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "localport":
			port, err := strconv.Atoi(v)
			if err != nil {
				die("localport: %v", err)
			}
			local = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}
		case "curves":
			cfg.CurvePreferences = nil
			for _, c := range strings.Split(v, ",") {
				cfg.CurvePreferences = append(cfg.CurvePreferences, curve(c))
			}
		case "cert":
			cf, kf, _ := strings.Cut(v, ",")
			cert, err := tls.LoadX509KeyPair(cf, kf)
			if err != nil {
				die("client cert: %v", err)
			}
			cfg.Certificates = []tls.Certificate{cert}
		case "resume":
			cfg.ClientSessionCache = tls.NewLRUClientSessionCache(4)
			rounds = 2
		}
	}
	for i := 0; i < rounds; i++ {
		if i > 0 {
			time.Sleep(300 * time.Millisecond)
		}
		d := &net.Dialer{Timeout: 5 * time.Second}
		if local != nil {
			// (SO_REUSEADDR: a run right after another finds the port in TIME_WAIT.)
			d.LocalAddr = local
			d.Control = func(_, _ string, rc syscall.RawConn) error {
				return rc.Control(func(fd uintptr) {
					syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
				})
			}
		}
		c, err := tls.DialWithDialer(d, "tcp", addr, cfg)
		if err != nil {
			die("client handshake failed: %v", err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		describe("client", c.ConnectionState())
		fmt.Fprintf(c, "hello from go client %d\n", i+1)
		line, err := bufio.NewReader(c).ReadString('\n')
		fmt.Printf("client read %q %v\n", line, err)
		if err := c.CloseWrite(); err != nil {
			fmt.Printf("closewrite: %v\n", err)
		}
		rest, err := io.ReadAll(c)
		fmt.Printf("client closed: %d more bytes, err=%v\n", len(rest), err)
		c.Close()
	}
}

func httpserver(args []string) {
	addr, certf, keyf, secs := args[0], args[1], args[2], args[3]
	n, _ := strconv.Atoi(secs)
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Printf("%s %s %s\n", r.Proto, r.Method, r.URL.Path)
		fmt.Fprintf(w, "hello from go %s %s\n", r.Proto, r.URL.Path)
	})
	srv := &http.Server{Addr: addr, Handler: mux, TLSConfig: &tls.Config{}}
	go func() {
		time.Sleep(time.Duration(n) * time.Second)
		srv.Close()
	}()
	fmt.Println("listening on", addr)
	err := srv.ListenAndServeTLS(certf, keyf)
	fmt.Println("server:", err)
}

func httpclient(args []string) {
	url, ca, ver, proto, n, kl := args[0], args[1], args[2], args[3], args[4], args[5]
	count, _ := strconv.Atoi(n)
	cfg := &tls.Config{RootCAs: pool(ca), ServerName: "good.example"}
	versions(cfg, ver)
	keylog(cfg, kl)
	tr := &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: proto == "h2",
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	if proto != "h2" {
		cfg.NextProtos = []string{"http/1.1"}
		tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	}
	if len(args) > 6 {
		pu, err := neturl.Parse(args[6])
		if err != nil {
			die("proxy: %v", err)
		}
		tr.Proxy = http.ProxyURL(pu)
	}
	cl := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	for i := 0; i < count; i++ {
		reused := false
		trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = info.Reused }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace),
			"GET", fmt.Sprintf("%s%d", url, i+1), nil)
		resp, err := cl.Do(req)
		if err != nil {
			die("GET: %v", err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("GET %d: %s %s reused=%v %s %q\n", i+1, resp.Proto, resp.Status, reused,
			vname(resp.TLS.Version), strings.TrimSpace(string(body)))
	}
	tr.CloseIdleConnections()
	time.Sleep(200 * time.Millisecond)
}

func main() {
	if len(os.Args) < 2 {
		die("usage: healthy server|client|httpserver|httpclient ...")
	}
	switch os.Args[1] {
	case "server":
		server(os.Args[2:])
	case "client":
		client(os.Args[2:])
	case "httpserver":
		httpserver(os.Args[2:])
	case "httpclient":
		httpclient(os.Args[2:])
	default:
		die("unknown mode %s", os.Args[1])
	}
}
GOEOF
}

# --------------------------------------------------------------- shapes ---
# Each h_shape_* runs its servers and clients inside the current capture,
# so healthy-big can run them all into one file.

# 1. openssl s_time, -new and -reuse, TLS 1.3 and 1.2, against s_server
# -www, gnutls-serv --http and nginx.  s_time closes the socket right after
# the handshake (-new, no page asked for) or after reading the page (-www /,
# which -reuse needs in TLS 1.3 to receive the ticket it then offers), so
# unread tickets make the client's kernel answer with RST.  KEEP: how many
# connections of each run stay in the capture.  s_time makes thousands a
# second (more than tcpdump keeps up with), so it is stopped after KEEP
# connections ("take") and the one it may have begun is cut away.
h_stime_runs() {
    local tag=$1 keep=$2 v mode args name
    for v in tls1_3 tls1_2; do
        for mode in new reuse; do
            name=stime-$tag-$v-$mode
            args=(-connect "127.0.0.1:$HP" "-$mode" -time 1 "-$v" -CAfile "$CA")
            [[ $mode == reuse ]] && args+=(-www /)
            h_window_begin
            client "$name" "${HPEER[@]}" take "$keep" stdbuf -o0 openssl s_time "${args[@]}"
            h_window_end "$keep"
            h_expect "$name" 1 "^stopped after $keep connections"
            [[ $mode == reuse ]] && h_expect "$name" 1 'rrrr'
        done
    done
    return 0
}
h_shape_s_time() {
    local keep=${1:-5}
    h_server stime-ossl-srv openssl s_server -cert "$CERT" -key "$KEY" \
        -accept "127.0.0.1:$HP" -www -quiet -keylogfile "$HK"
    wait_listen "$HP"
    h_stime_runs ossl "$keep"
    h_stop
    h_gnutls_serv stime-gnutls-srv --http -a --httpdata "$TMP/gnutls-page.txt"
    h_stime_runs gnutls "$keep"
    h_stop
    h_nginx stime-nginx
    h_stime_runs nginx "$keep"
    h_stop
}

# 2. s_client </dev/null: full handshake, close_notify at once; TLS 1.3 and
# 1.2 against s_server (-rev: answers with its own close_notify) and nginx.
h_shape_s_client_close() {
    local v
    s_server sclose-srv -accept "127.0.0.1:$HP" -naccept 2 -keylogfile "$HK"
    wait_listen "$HP"
    for v in tls1_3 tls1_2; do
        h_sclose "sclose-ossl-$v" -connect "127.0.0.1:$HP" "-$v" -keylogfile "$HK"
    done
    h_stop
    h_nginx sclose-nginx
    for v in tls1_3 tls1_2; do
        h_sclose "sclose-nginx-$v" -connect "127.0.0.1:$HP" "-$v" -keylogfile "$HK"
    done
    h_stop
}

# 3. Keep-alive HTTP: three requests on one connection.  curl (OpenSSL) and
# Go net/http against nginx (TLS 1.3/1.2, http/1.1 and h2); curl against a
# Go net/http server.
h_curl3() {
    local logname=$1 host=$2; shift 2
    SSLKEYLOGFILE=$HK client "$logname" curl -sS --cacert "$CA" \
        --resolve "good.example:$HP:$host" -w '%{num_connects} %{http_version} %{http_code}\n' \
        "$@" "https://good.example:$HP/one" "https://good.example:$HP/two" \
        "https://good.example:$HP/three"
    h_expect "$logname" 1 '^1 (1\.1|2) 200$'
    h_expect "$logname" 2 '^0 (1\.1|2) 200$'
}
h_shape_curl_keepalive() {
    local v p
    h_nginx curl-nginx
    for v in 1.3 1.2; do
        for p in http1.1 http2; do
            h_curl3 "curl-nginx-$v-$p" 127.0.0.1 --tlsv"$v" --tls-max "$v" --"$p"
        done
    done
    for v in tls13 tls12; do
        for p in h2 http/1.1; do
            client "gohttp-nginx-$v-${p/\//}" "$HGO" httpclient "https://127.0.0.1:$HP/go" "$CA" \
                "$v" "$p" 3 "$HK"
            h_expect "gohttp-nginx-$v-${p/\//}" 2 '^GET [23]: .* 200 OK reused=true'
        done
    done
    h_stop
    h_server gohttp-srv "$HGO" httpserver "127.0.0.1:$HP" "$CERT" "$KEY" 15
    wait_listen "$HP"
    h_curl3 curl-go-1.3-http2 127.0.0.1 --tlsv1.3 --tls-max 1.3 --http2
    h_curl3 curl-go-1.2-http1.1 127.0.0.1 --tlsv1.2 --tls-max 1.2 --http1.1
    h_stop
}

# 4. Python ssl client and server, TLS 1.3 and 1.2, a line each way,
# close_notify both ways; also s_client and gnutls-cli against the Python
# server and the Python client against s_server.
h_shape_python() {
    local v
    h_server py-srv "${HPEER[@]}" server 127.0.0.1 "$HP" "$CERT" "$KEY" any 4
    wait_listen "$HP"
    for v in tls13 tls12; do
        client "py-py-$v" "${HPEER[@]}" client 127.0.0.1 "$HP" "$CA" "$v" "$HK" line
        h_expect "py-py-$v" 1 'client handshake OK'
        h_expect "py-py-$v" 1 'client closed cleanly'
    done
    h_sline py-sclient -connect "127.0.0.1:$HP" -tls1_3
    h_gnutls py-gnutls 'hello from gnutls-cli\n' --priority "$(gnutls_prio 1.2)" 127.0.0.1
    h_expect py-gnutls 1 'Handshake was completed'
    h_stop
    h_expect py-srv 4 'server handshake OK'
    h_expect py-srv 4 'server closed cleanly'
    s_server py-ossl-srv -accept "127.0.0.1:$HP" -naccept 2
    wait_listen "$HP"
    for v in tls13 tls12; do
        client "py-ossl-$v" "${HPEER[@]}" client 127.0.0.1 "$HP" "$CA" "$v" "$HK" line
        h_expect "py-ossl-$v" 1 'client closed cleanly'
    done
    h_stop
}

# 5. gnutls-cli against gnutls-serv (echo) and nginx, TLS 1.3 and 1.2; and
# s_client against gnutls-serv.
h_shape_gnutls() {
    local v
    h_gnutls_serv gnutls-srv --echo -a
    for v in 1.3 1.2; do
        h_gnutls "gnutls-gnutls-$v" 'hello from gnutls-cli\n' --priority "$(gnutls_prio "$v")" 127.0.0.1
        h_expect "gnutls-gnutls-$v" 1 "Description: \(TLS$v-X\.509\)"
        h_expect "gnutls-gnutls-$v" 1 'Handshake was completed'
    done
    h_sline gnutls-sclient -connect "127.0.0.1:$HP" -tls1_3
    h_stop
    h_nginx gnutls-nginx
    for v in 1.3 1.2; do
        h_gnutls "nginx-gnutls-$v" 'GET / HTTP/1.1\r\nHost: good.example\r\n\r\n' \
            --priority "$(gnutls_prio "$v")" 127.0.0.1
        h_expect "nginx-gnutls-$v" 1 'Handshake was completed'
        h_expect "nginx-gnutls-$v" 1 "hello from nginx TLSv$v"
    done
    h_stop
}

# 6. Go crypto/tls client and server, TLS 1.3 and 1.2; s_client and the
# Python client against the Go server; the Go client against s_server.
h_shape_go() {
    local v
    h_server go-srv "$HGO" server "127.0.0.1:$HP" "$CERT" "$KEY" any 4 -
    wait_listen "$HP"
    for v in tls13 tls12; do
        client "go-go-$v" "$HGO" client "127.0.0.1:$HP" "$CA" "$v" "$HK"
        h_expect "go-go-$v" 1 'client handshake OK'
        h_expect "go-go-$v" 1 'client closed: 0 more bytes, err=<nil>'
    done
    h_sline go-sclient -connect "127.0.0.1:$HP" -tls1_3
    client go-py "${HPEER[@]}" client 127.0.0.1 "$HP" "$CA" tls12 "$HK" line
    h_expect go-py 1 'client closed cleanly'
    h_stop
    h_expect go-srv 4 'server handshake OK'
    h_expect go-srv 4 'server got close_notify'
    s_server go-ossl-srv -accept "127.0.0.1:$HP" -naccept 2
    wait_listen "$HP"
    for v in tls13 tls12; do
        client "go-ossl-$v" "$HGO" client "127.0.0.1:$HP" "$CA" "$v" "$HK"
        h_expect "go-ossl-$v" 1 'client closed: 0 more bytes, err=<nil>'
    done
    h_stop
}

# 7. HelloRetryRequest, then success: the client's key share is for a group
# the server does not take.  Servers: s_server -groups P-256 (s_client
# X25519:P-256, Go X25519,P256), s_server -groups P-384 (gnutls-cli, which
# sends X25519 and P-256 shares), Python with set_ecdh_curve(prime256v1)
# (Python client, s_client), gnutls-serv with only SECP384R1 (s_client,
# Python) and Go with only P-384 (s_client, gnutls-cli).
h_shape_hello_retry() {
    s_server hrr-ossl256 -accept "127.0.0.1:$HP" -naccept 2 -tls1_3 -groups P-256
    wait_listen "$HP"
    h_sline hrr-ossl256-sclient -connect "127.0.0.1:$HP" -tls1_3 -groups X25519:P-256
    client hrr-ossl256-go "$HGO" client "127.0.0.1:$HP" "$CA" tls13 "$HK" curves=X25519,P256
    h_expect hrr-ossl256-go 1 'client handshake OK: TLSv1.3'
    h_stop
    s_server hrr-ossl384 -accept "127.0.0.1:$HP" -naccept 1 -tls1_3 -groups P-384
    wait_listen "$HP"
    h_gnutls hrr-ossl384-gnutls 'hello after HRR\n' 127.0.0.1
    h_expect hrr-ossl384-gnutls 1 'Description: \(TLS1\.3-X\.509\)-\(ECDHE-SECP384R1\)'
    h_stop
    h_server hrr-py-srv "${HPEER[@]}" server 127.0.0.1 "$HP" "$CERT" "$KEY" \
        tls13 2 curve=prime256v1
    wait_listen "$HP"
    client hrr-py-py "${HPEER[@]}" client 127.0.0.1 "$HP" "$CA" tls13 "$HK" line
    h_expect hrr-py-py 1 'client closed cleanly'
    h_sline hrr-py-sclient -connect "127.0.0.1:$HP" -tls1_3
    h_stop
    h_expect hrr-py-srv 2 'server handshake OK: TLSv1.3'
    h_gnutls_serv hrr-gnutls-srv --echo -a --priority 'NORMAL:-GROUP-ALL:+GROUP-SECP384R1'
    h_sline hrr-gnutls-sclient -connect "127.0.0.1:$HP" -tls1_3
    client hrr-gnutls-py "${HPEER[@]}" client 127.0.0.1 "$HP" "$CA" tls13 "$HK" line
    h_expect hrr-gnutls-py 1 'client closed cleanly'
    h_stop
    h_server hrr-go-srv "$HGO" server "127.0.0.1:$HP" "$CERT" "$KEY" \
        tls13 2 - curve=P384
    wait_listen "$HP"
    h_sline hrr-go-sclient -connect "127.0.0.1:$HP" -tls1_3
    h_gnutls hrr-go-gnutls 'hello after HRR\n' 127.0.0.1
    h_expect hrr-go-gnutls 1 'Handshake was completed'
    h_stop
    h_expect hrr-go-srv 2 'server handshake OK: TLSv1.3'
    h_check 9 0 "tls.handshake.type == 2 && tls.handshake.random == $HRR_RANDOM"
}

# 8. Resumption: TLS 1.2 session id (s_server -no_ticket), TLS 1.2 ticket,
# TLS 1.3 PSK; s_client -sess_out/-sess_in, gnutls-cli --resume (against
# s_server and gnutls-serv), Python (session=) and Go (session cache) against
# their own servers.
h_resume_sclient() {
    local name=$1 sess=$TMP/$1.sess; shift
    rm -f "$sess"
    h_sline "$name-1" -connect "127.0.0.1:$HP" -sess_out "$sess" "$@"
    sleep 0.3
    h_sline "$name-2" -connect "127.0.0.1:$HP" -sess_in "$sess" "$@"
    h_expect "$name-2" 1 '^Reused, TLSv1\.[23]'
}
h_resume_gnutls() {
    h_gnutls "$1" 'hello from a resumed session\n' --resume "${@:2}" 127.0.0.1
    h_expect "$1" 1 'This is a resumed session'
}
h_shape_resumption() {
    local v
    s_server res-sessid -accept "127.0.0.1:$HP" -naccept 4 -tls1_2 -no_ticket
    wait_listen "$HP"
    h_resume_sclient res-sessid-sclient -tls1_2
    h_resume_gnutls res-sessid-gnutls --priority "$(gnutls_prio 1.2)"
    h_stop
    s_server res-ticket -accept "127.0.0.1:$HP" -naccept 6
    wait_listen "$HP"
    h_resume_sclient res-ticket12-sclient -tls1_2
    h_resume_sclient res-psk13-sclient -tls1_3
    h_resume_gnutls res-psk13-gnutls --priority "$(gnutls_prio 1.3)"
    h_stop
    h_gnutls_serv res-gnutls-srv --echo -a
    h_resume_gnutls res-gnutls-gnutls12 --priority "$(gnutls_prio 1.2)"
    h_resume_sclient res-gnutls-sclient13 -tls1_3
    h_stop
    h_server res-py-srv "${HPEER[@]}" server 127.0.0.1 "$HP" "$CERT" "$KEY" any 4
    wait_listen "$HP"
    for v in tls13 tls12; do
        client "res-py-$v" "${HPEER[@]}" client 127.0.0.1 "$HP" "$CA" "$v" "$HK" resume
        h_expect "res-py-$v" 1 'client handshake OK: .* resumed'
    done
    h_stop
    h_server res-go-srv "$HGO" server "127.0.0.1:$HP" "$CERT" "$KEY" any 4 -
    wait_listen "$HP"
    for v in tls13 tls12; do
        client "res-go-$v" "$HGO" client "127.0.0.1:$HP" "$CA" "$v" "$HK" resume
        h_expect "res-go-$v" 1 'client handshake OK: .* resumed=true'
    done
    h_stop
}

# 9. TLS 1.3 early data (0-RTT) accepted: s_server -early_data (stdin held
# open by a fifo: without -rev it reads commands there) with s_client
# -sess_in -early_data and gnutls-cli --resume --earlydata; gnutls-serv
# --earlydata with s_client.  The early data is "GET /early HTTP/1.0".
h_shape_early_data() {
    local sess=$TMP/early.sess
    rm -f "$sess"
    h_fifo_server early-ossl-srv openssl s_server -cert "$CERT" -key "$KEY" \
        -accept "127.0.0.1:$HP" -naccept 4 -tls1_3 -early_data
    wait_listen "$HP"
    h_sline early-ossl-sclient-1 -connect "127.0.0.1:$HP" -sess_out "$sess"
    h_sline early-ossl-sclient-2 -connect "127.0.0.1:$HP" -sess_in "$sess" -early_data "$TMP/early.txt"
    h_expect early-ossl-sclient-2 1 'Early data was accepted'
    h_gnutls early-ossl-gnutls 'hello after early data\n' --resume --earlydata="$TMP/early.txt" 127.0.0.1
    h_expect early-ossl-gnutls 1 'This is a resumed session'
    h_fifo_close
    h_stop
    h_expect early-ossl-srv 2 '^Early data received'
    rm -f "$sess"
    h_gnutls_serv early-gnutls-srv --echo -a --earlydata
    h_sline early-gnutls-sclient-1 -connect "127.0.0.1:$HP" -sess_out "$sess"
    h_sline early-gnutls-sclient-2 -connect "127.0.0.1:$HP" -sess_in "$sess" -early_data "$TMP/early.txt"
    h_expect early-gnutls-sclient-2 1 'Early data was accepted'
    h_stop
    # EncryptedExtensions with early_data: the server accepted it.
    h_check 3 1 'tls.handshake.type == 8 && tls.handshake.extension.type == 42'
}

# 10. Client certificates from the same CA, accepted: s_server -Verify 1
# (s_client, TLS 1.3 and 1.2), nginx ssl_verify_client on (curl --cert),
# Python and Go servers requiring one, gnutls-serv --require-client-cert.
h_shape_mtls() {
    local v
    s_server mtls-ossl-srv -accept "127.0.0.1:$HP" -naccept 2 -Verify 1 -CAfile "$CA"
    wait_listen "$HP"
    for v in tls1_3 tls1_2; do
        h_sline "mtls-ossl-$v" -connect "127.0.0.1:$HP" "-$v" -cert "$CCERT" -key "$CKEY"
    done
    h_stop
    h_expect mtls-ossl-srv 2 'CN = tlsdiag client'
    h_nginx mtls-nginx "ssl_verify_client on; ssl_client_certificate $CA;"
    for v in 1.3 1.2; do
        h_curl_cert "mtls-nginx-curl-$v" "$v" "$CA" "$CCERT" "$CKEY" mtls
        h_expect "mtls-nginx-curl-$v" 1 "hello from nginx TLSv$v .*CN=tlsdiag client"
    done
    h_stop
    h_server mtls-py-srv "${HPEER[@]}" server 127.0.0.1 "$HP" "$CERT" "$KEY" \
        tls13 1 "clientca=$CA"
    wait_listen "$HP"
    client mtls-py "${HPEER[@]}" client 127.0.0.1 "$HP" "$CA" tls13 "$HK" line "cert=$CCERT,$CKEY"
    h_stop
    h_expect mtls-py-srv 1 'server handshake OK: .* client-cert'
    h_server mtls-go-srv "$HGO" server "127.0.0.1:$HP" "$CERT" "$KEY" \
        tls12 1 - "clientca=$CA"
    wait_listen "$HP"
    client mtls-go "$HGO" client "127.0.0.1:$HP" "$CA" tls12 "$HK" "cert=$CCERT,$CKEY"
    h_stop
    h_expect mtls-go-srv 1 'server handshake OK: .* peer-certs=1'
    h_gnutls_serv mtls-gnutls-srv --echo --require-client-cert --verify-client-cert \
        --x509cafile "$CA"
    h_gnutls mtls-gnutls 'hello with a client certificate\n' --x509certfile="$CCERT" \
        --x509keyfile="$CKEY" 127.0.0.1
    h_expect mtls-gnutls 1 'Handshake was completed'
    h_stop
    h_expect mtls-gnutls-srv 1 'Subject:.*CN=tlsdiag client'
}

# 11. Renegotiation accepted (TLS 1.2).  Client-initiated: s_client 'R' and
# gnutls-cli --rehandshake against s_server -client_renegotiation.
# Server-initiated: s_server (stdin on a fifo) gets 'r' once the client's
# first line has arrived and sends a HelloRequest; s_client and gnutls-cli
# renegotiate; then the server sends a line and the client another.
h_shape_renegotiation() {
    local cli n=0
    s_server reneg-cli-srv -accept "127.0.0.1:$HP" -naccept 2 -tls1_2 -client_renegotiation
    wait_listen "$HP"
    { sleep 0.3; echo "hello before renegotiation"; sleep 0.4; echo R; sleep 0.8
      echo "hello after renegotiation"; sleep 0.6; } |
        timeout 10 openssl s_client -CAfile "$CA" -connect "127.0.0.1:$HP" \
            -servername good.example -tls1_2 -keylogfile "$HK" >"$TMP/reneg-cli-sclient.log" 2>&1 || true
    h_expect reneg-cli-sclient 1 '^RENEGOTIATING'
    h_expect reneg-cli-sclient 1 'noitaitogener retfa olleh'
    h_gnutls reneg-cli-gnutls 'hello after rehandshake\n' --rehandshake 127.0.0.1
    h_expect reneg-cli-gnutls 1 'ReHandshake was completed'
    h_expect reneg-cli-gnutls 1 'ekahsdnaher retfa olleh'
    h_stop
    h_fifo_server reneg-srv-srv openssl s_server -cert "$CERT" -key "$KEY" \
        -accept "127.0.0.1:$HP" -naccept 2 -tls1_2
    wait_listen "$HP"
    for cli in sclient gnutls; do
        n=$((n + 1))
        if [[ $cli == sclient ]]; then
            { sleep 0.3; echo "hello before renegotiation"; sleep 2; echo "hello after renegotiation"
              sleep 0.6; } |
                timeout 10 openssl s_client -CAfile "$CA" -connect "127.0.0.1:$HP" \
                    -servername good.example -tls1_2 -keylogfile "$HK" \
                    >"$TMP/reneg-srv-$cli.log" 2>&1 &
        else
            { sleep 0.3; echo "hello before renegotiation"; sleep 2; echo "hello after renegotiation"
              sleep 0.6; } |
                SSLKEYLOGFILE=$HK timeout 10 gnutls-cli --x509cafile="$CA" -p "$HP" \
                    --sni-hostname=good.example --verify-hostname=good.example \
                    --priority "$(gnutls_prio 1.2)" 127.0.0.1 >"$TMP/reneg-srv-$cli.log" 2>&1 &
        fi
        local cpid=$!
        h_wait_log reneg-srv-srv "$n" '^hello before renegotiation'
        sleep 0.2
        h_say r
        sleep 0.6
        h_say "hello from the server after renegotiation"
        wait "$cpid" || true
        h_expect "reneg-srv-$cli" 1 'hello from the server after renegotiation'
    done
    h_fifo_close
    h_stop
    h_expect reneg-srv-srv 2 'SSL_do_handshake -> 1'
    h_expect reneg-srv-srv 2 '^hello after renegotiation'
    h_expect reneg-srv-gnutls 1 'Rehandshake was performed'
    h_check 8 1 'tls.handshake.type == 1'      # 4 connections, each 2 ClientHellos
    h_check 2 1 'tls.handshake.type == 0'      # 2 HelloRequests
}

# 12. IPv6 (::1): s_client/s_server, curl/nginx (h2, keep-alive), Python
# client/server, Go client/server, gnutls-cli/gnutls-serv.
h_shape_ipv6() {
    local v
    s_server v6-ossl-srv -accept "[::1]:$HP" -naccept 2
    wait_listen "$HP"
    for v in tls1_3 tls1_2; do
        h_sline "v6-ossl-$v" -connect "[::1]:$HP" "-$v"
    done
    h_stop
    h_nginx v6-nginx
    h_curl3 v6-curl ::1 --tlsv1.3 --http2
    h_stop
    h_server v6-py-srv "${HPEER[@]}" server ::1 "$HP" "$CERT" "$KEY" any 1
    wait_listen "$HP"
    client v6-py "${HPEER[@]}" client ::1 "$HP" "$CA" tls12 "$HK" line
    h_expect v6-py 1 'client closed cleanly'
    h_stop
    h_server v6-go-srv "$HGO" server "[::1]:$HP" "$CERT" "$KEY" any 1 -
    wait_listen "$HP"
    client v6-go "$HGO" client "[::1]:$HP" "$CA" tls13 "$HK"
    h_expect v6-go 1 'client closed: 0 more bytes, err=<nil>'
    h_stop
    h_gnutls_serv v6-gnutls-srv --echo -a
    h_gnutls v6-gnutls 'hello over ::1\n' ::1
    h_expect v6-gnutls 1 'Handshake was completed'
    h_stop
    h_check 6 0 'ipv6 && tls.handshake.type == 1'
}

# 13. Health checks: full handshake and close without any application data
# (Python with close_notify, Python closing the socket without one,
# s_client </dev/null), and bare TCP connect + close without TLS; against
# nginx, s_server and gnutls-serv.
h_health_py() {
    client "$1" "${HPEER[@]}" client 127.0.0.1 "$HP" "$CA" any "$HK" "$2"
    h_expect "$1" 1 'client handshake OK'
}
h_shape_health_check() {
    h_nginx hc-nginx
    h_health_py hc-nginx-py check
    h_health_py hc-nginx-py-abrupt check-abrupt
    h_sclose hc-nginx-sclient -connect "127.0.0.1:$HP" -keylogfile "$HK"
    client hc-nginx-tcp "${HPEER[@]}" tcp 127.0.0.1 "$HP" 2
    h_stop
    s_server hc-ossl-srv -accept "127.0.0.1:$HP" -naccept 5
    wait_listen "$HP"
    h_health_py hc-ossl-py check
    h_health_py hc-ossl-py-abrupt check-abrupt
    h_sclose hc-ossl-sclient -connect "127.0.0.1:$HP" -tls1_2 -keylogfile "$HK"
    client hc-ossl-tcp "${HPEER[@]}" tcp 127.0.0.1 "$HP" 2
    h_stop
    h_gnutls_serv hc-gnutls-srv --echo -a
    h_health_py hc-gnutls-py check
    client hc-gnutls-tcp "${HPEER[@]}" tcp 127.0.0.1 "$HP" 1
    h_stop
}

# 14. Port scanner: a real ClientHello (Python ssl, from an SSLObject over
# MemoryBIOs), sent on a fresh connection that is closed at once; the
# server's answer meets a closed socket (RST).  Against nginx, s_server and
# gnutls-serv.  No key log (no handshake completes).
h_scan() {
    client "$1" "${HPEER[@]}" scan 127.0.0.1 "$HP" "$2" "$3"
    h_expect "$1" "$2" 'ClientHello and closed'
}
h_shape_port_scan() {
    h_nginx scan-nginx
    h_scan scan-nginx-any 3 any
    h_scan scan-nginx-12 2 tls12
    h_stop
    s_server scan-ossl-srv -accept "127.0.0.1:$HP" -naccept 5
    wait_listen "$HP"
    h_scan scan-ossl-any 3 any
    h_scan scan-ossl-12 2 tls12
    h_stop
    h_gnutls_serv scan-gnutls-srv --echo -a
    h_scan scan-gnutls-any 2 any
    h_stop
    h_check 12 0 'tls.handshake.type == 1'
}

# 15. A client port Wireshark gives to another protocol (44322 pmproxy,
# 44818 EtherNet/IP, 48898 ADS/AMS, 44321 PCP: all in Linux's ephemeral
# range): curl fetching from nginx and gnutls-serv, TLS 1.3 and 1.2, each
# from one such port.  Where that protocol's dissector takes the bytes,
# Wireshark shows no TLS at all on the connection.
h_shape_port_taken() {
    h_nginx taken-nginx
    h_curl3 taken-nginx-1.3 127.0.0.1 --tlsv1.3 --tls-max 1.3 --http1.1 --local-port 44322
    h_curl3 taken-nginx-1.2 127.0.0.1 --tlsv1.2 --tls-max 1.2 --http1.1 --local-port 44818
    h_stop
    h_gnutls_serv taken-gnutls-srv --http
    SSLKEYLOGFILE=$HK client taken-gnutls-1.3 curl -sS --cacert "$CA" --resolve "good.example:$HP:127.0.0.1" \
        --tlsv1.3 --tls-max 1.3 --local-port 48898 -o /dev/null -w '%{http_code}\n' "https://good.example:$HP/"
    h_expect taken-gnutls-1.3 1 '^200$'
    SSLKEYLOGFILE=$HK client taken-gnutls-1.2 curl -sS --cacert "$CA" --resolve "good.example:$HP:127.0.0.1" \
        --tlsv1.2 --tls-max 1.2 --local-port 44321 -o /dev/null -w '%{http_code}\n' "https://good.example:$HP/"
    h_expect taken-gnutls-1.2 1 '^200$'
    h_stop
    h_check 4 0 'tcp.flags.syn == 1 && tcp.flags.ack == 0'
}

# 15b. The same from Go clients (crypto/tls), from three more ports Wireshark
# gives to other protocols (57000 IRC, 48049 CBSP, 34980 EtherCAT): to
# s_server (OpenSSL), TLS 1.3 and 1.2, and to gnutls-serv, TLS 1.3; a line
# each way, close_notify both ways.
h_shape_port_taken_go() {
    s_server taken-go-ossl -accept "127.0.0.1:$HP" -naccept 2
    wait_listen "$HP"
    client taken-go-ossl-1.3 "$HGO" client "127.0.0.1:$HP" "$CA" tls13 "$HK" localport=57000
    h_expect taken-go-ossl-1.3 1 'client handshake OK: TLSv1\.3'
    h_expect taken-go-ossl-1.3 1 'client closed: 0 more bytes, err=<nil>'
    client taken-go-ossl-1.2 "$HGO" client "127.0.0.1:$HP" "$CA" tls12 "$HK" localport=48049
    h_expect taken-go-ossl-1.2 1 'client handshake OK: TLSv1\.2'
    h_expect taken-go-ossl-1.2 1 'client closed: 0 more bytes, err=<nil>'
    h_stop
    h_gnutls_serv taken-go-gnutls-srv --echo
    client taken-go-gnutls-1.3 "$HGO" client "127.0.0.1:$HP" "$CA" tls13 "$HK" localport=34980
    h_expect taken-go-gnutls-1.3 1 'client handshake OK: TLSv1\.3'
    h_expect taken-go-gnutls-1.3 1 'client read "hello from go client 1\\n" <nil>'
    h_stop
    h_check 3 0 'tcp.flags.syn == 1 && tcp.flags.ack == 0'
}

# 16. STARTTLS: several sessions to one server address and port per
# protocol, SMTP on 25, IMAP on 143 and POP3 on 110, so that a server that
# already upgraded one connection sees the next one start in plaintext
# again.  Each session: greeting, capabilities, STARTTLS (STLS), the
# handshake, a little of the protocol over TLS (a mail sent, a login and a
# LIST or SELECT, a message fetched), QUIT/LOGOUT, close_notify both ways.
# The server is the Python peer (starttls mode, Python ssl); the clients
# s_client -starttls, gnutls-cli --starttls-proto, curl --ssl-reqd and
# Python smtplib / imaplib / poplib.
H_ST_SMTP=25 H_ST_IMAP=143 H_ST_POP3=110

# h_st_lines LINE...: stdin for s_client and gnutls-cli after the upgrade:
# each LINE with CRLF, 0.25 s apart, then EOF after a pause.
h_st_lines() {
    local l
    sleep 0.4
    for l in "$@"; do printf '%s\r\n' "$l"; sleep 0.25; done
    sleep 0.8
}

# h_st_sclient LOGNAME PROTO PORT DONE-REGEX OPENSSL-ARGS... -- LINE...
h_st_sclient() {
    local logname=$1 proto=$2 port=$3 done=$4 args=() ; shift 4
    while (($#)) && [[ $1 != -- ]]; do args+=("$1"); shift; done
    shift
    h_st_lines "$@" |
        timeout 10 openssl s_client -starttls "$proto" -connect "127.0.0.1:$port" \
            -servername good.example -CAfile "$CA" -nocommands -keylogfile "$HK" "${args[@]}" \
            >"$TMP/$logname.log" 2>&1 || true
    h_expect "$logname" 1 '^New, TLSv1\.[23], Cipher is [A-Z]'
    h_expect "$logname" 1 'Verify return code: 0 \(ok\)'
    h_expect "$logname" 1 "$done"
}

# h_st_gnutls LOGNAME PROTO PORT DONE-REGEX GNUTLS-ARGS... -- LINE...
h_st_gnutls() {
    local logname=$1 proto=$2 port=$3 done=$4 args=() ; shift 4
    while (($#)) && [[ $1 != -- ]]; do args+=("$1"); shift; done
    shift
    h_st_lines "$@" |
        SSLKEYLOGFILE=$HK timeout 10 gnutls-cli --starttls-proto="$proto" --x509cafile="$CA" \
            -p "$port" --sni-hostname=good.example --verify-hostname=good.example \
            "${args[@]}" 127.0.0.1 >"$TMP/$logname.log" 2>&1 || true
    h_expect "$logname" 1 'Handshake was completed'
    h_expect "$logname" 1 "$done"
}

# h_st_curl LOGNAME URL-PATH PORT CURL-ARGS...: curl --ssl-reqd to
# good.example:PORT (resolved to 127.0.0.1), URL scheme from the port.
h_st_curl() {
    local logname=$1 path=$2 port=$3 scheme; shift 3
    case $port in
        "$H_ST_SMTP") scheme=smtp ;; "$H_ST_IMAP") scheme=imap ;; *) scheme=pop3 ;;
    esac
    SSLKEYLOGFILE=$HK client "$logname" curl -sS -v --ssl-reqd --cacert "$CA" \
        --resolve "good.example:$port:127.0.0.1" \
        -w 'curl exit %{exitcode} ssl_verify_result %{ssl_verify_result}\n' \
        "$@" "$scheme://good.example:$port$path"
    h_expect "$logname" 1 '^\* SSL connection using TLSv1\.[23] '
    h_expect "$logname" 1 '^curl exit 0 ssl_verify_result 0$'
}

# h_st_python LOGNAME PROTO PORT VERSION
h_st_python() {
    client "$1" "${HPEER[@]}" starttls-client "$2" 127.0.0.1 "$3" "$CA" "$4" "$HK"
    h_expect "$1" 1 "client handshake OK: $2 TLSv1\\.${4#tls1}"
    h_expect "$1" 1 'client closed cleanly'
}

# h_st_server LOGNAME PROTO PORT N: the Python STARTTLS server, N sessions.
h_st_server() {
    h_server "$1" "${HPEER[@]}" starttls "$2" 127.0.0.1 "$3" "$CERT" "$KEY" "$4" "$HK"
    wait_listen "$3"
}

h_shape_starttls() {
    local mail=$TMP/st-mail.txt mailcmds
    printf 'From: a@good.example\r\nTo: b@good.example\r\nSubject: curl\r\n\r\nhello from curl\r\n' >"$mail"
    mailcmds=('MAIL FROM:<a@good.example>' 'RCPT TO:<b@good.example>' DATA
        'Subject: s_client' '' 'hello over STARTTLS' . QUIT)

    h_st_server st-smtp-srv smtp "$H_ST_SMTP" 5
    h_st_sclient st-smtp-sclient-tls13 smtp "$H_ST_SMTP" '^221 ' -tls1_3 -- \
        'EHLO client.example' "${mailcmds[@]}"
    h_st_sclient st-smtp-sclient-tls12 smtp "$H_ST_SMTP" '^221 ' -tls1_2 -- \
        'EHLO client.example' "${mailcmds[@]}"
    h_st_gnutls st-smtp-gnutls smtp "$H_ST_SMTP" '^221 ' -- \
        'EHLO client.example' "${mailcmds[@]}"
    h_st_curl st-smtp-curl /client.example "$H_ST_SMTP" --mail-from a@good.example \
        --mail-rcpt b@good.example -T "$mail"
    h_expect st-smtp-curl 1 '^< 250 2\.0\.0 Ok: queued'
    h_st_python st-smtp-py smtp "$H_ST_SMTP" tls12
    h_stop "$H_ST_SMTP"
    h_expect st-smtp-srv 5 'server handshake OK: smtp TLSv1\.[23]'
    h_expect st-smtp-srv 5 'server read a mail of'
    h_expect st-smtp-srv 5 'server closed cleanly'

    h_st_server st-imap-srv imap "$H_ST_IMAP" 4
    h_st_sclient st-imap-sclient imap "$H_ST_IMAP" '^c OK LOGOUT completed' -tls1_3 -- \
        'a LOGIN user secret' 'b LIST "" "*"' 'c LOGOUT'
    h_st_gnutls st-imap-gnutls imap "$H_ST_IMAP" '^c OK LOGOUT completed' \
        --priority "$(gnutls_prio 1.2)" -- 'a LOGIN user secret' 'b SELECT INBOX' 'c LOGOUT'
    h_st_curl st-imap-curl / "$H_ST_IMAP" -u user:secret --tlsv1.3
    h_expect st-imap-curl 1 '^\* LIST .* INBOX'
    h_st_python st-imap-py imap "$H_ST_IMAP" tls13
    h_stop "$H_ST_IMAP"
    h_expect st-imap-srv 4 'server handshake OK: imap TLSv1\.[23]'
    h_expect st-imap-srv 4 'server closed cleanly'

    h_st_server st-pop3-srv pop3 "$H_ST_POP3" 4
    h_st_sclient st-pop3-sclient pop3 "$H_ST_POP3" '^\+OK Bye' -tls1_2 -- \
        'USER user' 'PASS secret' STAT QUIT
    h_st_gnutls st-pop3-gnutls pop3 "$H_ST_POP3" '^\+OK Bye' -- \
        'USER user' 'PASS secret' LIST QUIT
    h_st_curl st-pop3-curl /1 "$H_ST_POP3" -u user:secret --tlsv1.2 --tls-max 1.2
    h_expect st-pop3-curl 1 '^hello over STARTTLS'
    h_st_python st-pop3-py pop3 "$H_ST_POP3" tls13
    h_stop "$H_ST_POP3"
    h_expect st-pop3-srv 4 'server handshake OK: pop3 TLSv1\.[23]'
    h_expect st-pop3-srv 4 'server closed cleanly'

    # Every session's handshake decoded as TLS on the mail ports, with and
    # without the key log; with it both Finished of each.
    local port n keys
    for port in "$H_ST_SMTP:5" "$H_ST_IMAP:4" "$H_ST_POP3:4"; do
        n=${port#*:} port=${port%:*}
        for keys in 0 1; do
            h_check "$n" "$keys" "tcp.port == $port && tls.handshake.type == 1"
            h_check "$n" "$keys" "tcp.port == $port && tls.handshake.type == 2"
        done
        h_check $((2 * n)) 1 "tcp.port == $port && tls.handshake.type == 20"
    done
    # The upgrade commands, seen by the SMTP, IMAP and POP dissectors.
    h_check 5 0 'smtp.command_line == "STARTTLS\r\n"'
    h_check 4 0 'imap.request.command == "STARTTLS"'
    h_check 4 0 'pop.request.command == "STLS"'
}

# 17. An HTTP CONNECT proxy: every session goes through the same proxy
# (the Python peer, proxy mode, on 127.0.0.1:3128, a port Wireshark's HTTP
# dissector takes; it hands each tunnel to TLS after the 200), so the proxy
# address sees a second, third ... CONNECT in plaintext after it already
# carried TLS.  Only the client's leg (port 3128) is captured.  Targets on
# 127.0.0.1:HP: nginx (curl, Python http.client set_tunnel, Go net/http with
# http.ProxyURL), s_server -rev (s_client -proxy) and gnutls-serv --echo
# (gnutls-cli -s: the CONNECT typed in plaintext, then SIGALRM starts TLS).
# The proxy resolves good.example to 127.0.0.1 (curl, s_client, Python and
# Go send the name in the CONNECT).
H_PX=3128 H_PX_N=10 H_PX_PID=

# h_px_start N: the proxy for N tunnels; it exits after the Nth.  Not in
# PIDS (each phase's h_stop ends only that phase's target server).
h_px_start() {
    [[ -n ${H_PX_TRAP:-} ]] || { also_on_exit h_px_kill; H_PX_TRAP=1; }
    timeout 60 "${HPEER[@]}" proxy 127.0.0.1 "$H_PX" "$1" good.example=127.0.0.1 \
        </dev/null >"$TMP/px-proxy.log" 2>&1 &
    H_PX_PID=$!
    wait_listen "$H_PX"
}
h_px_kill() {
    [[ -n ${H_PX_PID:-} ]] || return 0
    kill -TERM "$H_PX_PID" 2>/dev/null || true
    wait "$H_PX_PID" 2>/dev/null || true
    H_PX_PID=
}

# h_px_end N: the proxy exits by itself after its N tunnels (5 s at most).
h_px_end() {
    local i
    for i in $(seq 100); do
        kill -0 "$H_PX_PID" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$H_PX_PID" 2>/dev/null; then
        echo "  FAILED: the proxy is still running" >&2
        H_FAILS=$((H_FAILS + 1))
    fi
    h_px_kill
    h_expect px-proxy "$1" '^proxy tunnel [0-9]+ from port [0-9]+: .CONNECT good\.example:'"$HP"' HTTP/1\.[01].'
    h_expect px-proxy "$1" '^proxy tunnel [0-9]+ done: good\.example:'"$HP"' via 127\.0\.0\.1, [0-9]+ bytes up, [0-9]+ down$'
}

# h_px_curl LOGNAME N VERSION CURL-ARGS...: curl through the proxy, N GETs on
# one connection; each answer names the TLS version.
h_px_curl() {
    local logname=$1 n=$2 v=$3 urls=() i; shift 3
    for ((i = 1; i <= n; i++)); do urls+=("https://good.example:$HP/curl-$i"); done
    SSLKEYLOGFILE=$HK client "$logname" curl -sS --proxytunnel -x "http://127.0.0.1:$H_PX" \
        --cacert "$CA" --tlsv"$v" --tls-max "$v" \
        -w '%{num_connects} %{http_version} %{http_code} connect=%{http_connect}\n' "$@" "${urls[@]}"
    h_expect "$logname" "$n" "^hello from nginx TLSv$v "
    h_expect "$logname" 1 '^1 (1\.1|2) 200 connect=200$'
    h_expect "$logname" $((n - 1)) '^0 (1\.1|2) 200 connect='
}

# h_px_gnutls LOGNAME TEXT GNUTLS-ARGS...: gnutls-cli -s (plaintext first,
# stdin on a fifo) sends the CONNECT, waits for the 200, gets SIGALRM (which
# starts TLS; in this mode it reports the handshake with its Description
# line, not "Handshake was completed"), sends TEXT after the handshake and
# EOF (close_notify).
h_px_gnutls() {
    local logname=$1 text=$2 fifo=$TMP/$1.fifo fd tpid cpid; shift 2
    rm -f "$fifo"; mkfifo "$fifo"
    SSLKEYLOGFILE=$HK timeout 10 gnutls-cli -s --x509cafile="$CA" -p "$H_PX" \
        --sni-hostname=good.example --verify-hostname=good.example "$@" 127.0.0.1 \
        <"$fifo" >"$TMP/$logname.log" 2>&1 &
    tpid=$!
    exec {fd}>"$fifo"
    printf 'CONNECT good.example:%s HTTP/1.1\r\nHost: good.example:%s\r\n\r\n' "$HP" "$HP" >&"$fd"
    h_wait_log "$logname" 1 '^HTTP/1\.1 200 '
    cpid=$(pgrep -P "$tpid" || true)       # gnutls-cli, child of timeout
    [[ -n $cpid ]] && kill -ALRM "$cpid"
    h_wait_log "$logname" 1 '^- Description: \(TLS1\.[23]-'
    printf '%b' "$text" >&"$fd"
    sleep 0.7
    exec {fd}>&-
    wait "$tpid" || true
    h_expect "$logname" 1 '^\*\*\* Starting TLS handshake'
    h_expect "$logname" 1 '^- Status: The certificate is trusted'
}

# h_px_sessions: the H_PX_N sessions through the proxy on H_PX (the
# healthy-http-proxy and healthy-proxy-tls-port shapes).
h_px_sessions() {
    local n=$H_PX_N
    if ss -Hltn "sport = :$HP" | grep -q .; then
        echo "port $HP is already in use" >&2; exit 1
    fi
    h_px_start "$n"

    h_nginx px-nginx
    h_px_curl px-curl-1.3-h2 1 1.3 --http2
    h_px_curl px-curl-1.2-http1.1 1 1.2 --http1.1
    h_px_curl px-curl-1.3-keepalive 3 1.3 --http1.1
    client px-py "${HPEER[@]}" proxy-client 127.0.0.1 "$H_PX" good.example "$HP" "$CA" tls12 "$HK" 2
    h_expect px-py 1 'client handshake OK: TLSv1\.2 .* http/1\.1'
    h_expect px-py 2 "^GET [12]: 200 b'hello from nginx TLSv1\\.2 HTTP/1\\.1 /python-"
    h_expect px-py 1 'client closed cleanly'
    client px-go-h2 "$HGO" httpclient "https://good.example:$HP/go-" "$CA" tls13 h2 2 "$HK" \
        "http://127.0.0.1:$H_PX"
    h_expect px-go-h2 1 '^GET 1: HTTP/2\.0 200 OK reused=false TLSv1\.3 "hello from nginx TLSv1\.3 HTTP/2\.0 /go-1'
    h_expect px-go-h2 1 '^GET 2: HTTP/2\.0 200 OK reused=true TLSv1\.3'
    client px-go-http1.1 "$HGO" httpclient "https://good.example:$HP/go-" "$CA" tls12 http/1.1 2 \
        "$HK" "http://127.0.0.1:$H_PX"
    h_expect px-go-http1.1 1 '^GET 1: HTTP/1\.1 200 OK reused=false TLSv1\.2 "hello from nginx TLSv1\.2 HTTP/1\.1 /go-1'
    h_expect px-go-http1.1 1 '^GET 2: HTTP/1\.1 200 OK reused=true TLSv1\.2'
    h_stop

    s_server px-ossl-srv -accept "127.0.0.1:$HP" -naccept 2
    wait_listen "$HP"
    h_sline px-sclient-tls1_3 -proxy "127.0.0.1:$H_PX" -connect "good.example:$HP" -tls1_3
    h_expect px-sclient-tls1_3 1 '^New, TLSv1\.3,'
    h_expect px-sclient-tls1_3 1 'morf olleh'
    h_sline px-sclient-tls1_2 -proxy "127.0.0.1:$H_PX" -connect "good.example:$HP" -tls1_2
    h_expect px-sclient-tls1_2 1 '^New, TLSv1\.2,'
    h_expect px-sclient-tls1_2 1 'morf olleh'
    h_stop

    h_gnutls_serv px-gnutls-srv --echo
    h_px_gnutls px-gnutls-1.3 'hello from gnutls-cli through the proxy\n' \
        --priority "$(gnutls_prio 1.3)"
    h_expect px-gnutls-1.3 1 'Description: \(TLS1\.3-X\.509\)'
    h_expect px-gnutls-1.3 1 '^hello from gnutls-cli through the proxy'
    h_px_gnutls px-gnutls-1.2 'hello from gnutls-cli through the proxy\n' \
        --priority "$(gnutls_prio 1.2)"
    h_expect px-gnutls-1.2 1 'Description: \(TLS1\.2-X\.509\)'
    h_expect px-gnutls-1.2 1 '^hello from gnutls-cli through the proxy'
    h_stop
    h_px_end "$n"
}

# h_px_checks: one connection per session, each a CONNECT answered 200,
# then a handshake decoded as TLS on port H_PX with and without the key log
# (with it both Finished of each).
h_px_checks() {
    local n=$H_PX_N keys
    h_check "=$n" 0 'tcp.flags.syn == 1 && tcp.flags.ack == 0'
    h_check "=$n" 0 'http.request.method == "CONNECT"'
    h_check "=$n" 0 'http.response.code == 200'
    for keys in 0 1; do
        h_check "=$n" "$keys" "tcp.port == $H_PX && tls.handshake.type == 1"
        h_check "=$n" "$keys" "tcp.port == $H_PX && tls.handshake.type == 2"
    done
    h_check "=$((2 * n))" 1 "tcp.port == $H_PX && tls.handshake.type == 20"
}

h_shape_http_proxy() {
    h_px_sessions
    h_px_checks
}

# 18. The same sessions through the same proxy listening on 127.0.0.1:8443
# (H_PX_TLS), a port commonly used for TLS: a plaintext CONNECT on a "TLS
# port" that is nevertheless fine.  Only port 8443 is captured.  tshark 4.0
# binds no dissector to TCP 8443; HTTP's TCP heuristic takes each CONNECT
# and its 200 and hands the tunnel to TLS, exactly as on 3128.
H_PX_TLS=8443
h_shape_proxy_tls_port() {
    local H_PX=$H_PX_TLS keys
    h_px_sessions
    h_px_checks
    # Each CONNECT is HTTP, not a TLS record; no expert warning or error (no
    # "Ignored Unknown Record", nothing malformed), with or without keys.
    for keys in 0 1; do
        h_check "=$H_PX_N" "$keys" "http.request.method == \"CONNECT\" && !tls"
        h_check =0 "$keys" '_ws.expert.severity >= warning'
    done
}

# 19. The same through the proxy on 443, the port Wireshark gives TLS: it
# still reads each CONNECT and its 200 as HTTP, with its own warning on both
# ("Unencrypted HTTP protocol detected over encrypted port"), and the tunnel
# as TLS.
H_PX_443=443
h_shape_proxy_443() {
    local H_PX=$H_PX_443 keys
    h_px_sessions
    h_px_checks
    for keys in 0 1; do
        h_check "=$H_PX_N" "$keys" "http.request.method == \"CONNECT\" && !tls"
        h_check "=$((2 * H_PX_N))" "$keys" '_ws.expert.severity >= warning && http'
        h_check =0 "$keys" '_ws.expert.severity >= warning && !http'
    done
}

# 20. Plaintext that is the service's own protocol on ports Wireshark and
# tlsdiag give TLS: HTTP/1.1 from nginx (curl, Python urllib) and from
# Python's http.server (curl, Python) on 443; h2c with prior knowledge from
# nginx on 443 (curl --http2-prior-knowledge, nghttp); SMTP on 465 and IMAP
# on 993 from the Python STARTTLS server, which greets first, then upgraded
# with STARTTLS (s_client, gnutls-cli, Python).  No TLS handshake fails; the
# upgrades are established.
H_PT_HTTP=443 H_PT_SMTP=465 H_PT_IMAP=993

# h_pt_nginx LOGNAME LISTEN-PARAMS: plaintext nginx on 127.0.0.1:443.
h_pt_nginx() {
    nginx_start "$1" "$(nginx_http "
    server {
        listen 127.0.0.1:$H_PT_HTTP $2;
        server_name good.example;
        keepalive_timeout 10s;
        location / {
            return 200 \"hello from nginx \$server_protocol \$request_uri\n\";
        }
    }")"
    wait_listen "$H_PT_HTTP"
}

# h_pt_urllib LOGNAME URL: Python's urllib, the page printed.
h_pt_urllib() {
    client "$1" "$PY" -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' "$2"
}

h_shape_plaintext_ports() {
    local url=http://127.0.0.1:$H_PT_HTTP
    h_pt_nginx pt-nginx ""
    client pt-nginx-curl curl -sS "$url/curl"
    h_expect pt-nginx-curl 1 '^hello from nginx HTTP/1\.1 /curl$'
    h_pt_urllib pt-nginx-py "$url/python"
    h_expect pt-nginx-py 1 '^hello from nginx HTTP/1\.1 /python$'
    h_stop "$H_PT_HTTP"

    h_pt_nginx pt-nginx-h2c http2
    client pt-h2c-curl curl -sS --http2-prior-knowledge "$url/curl-h2c"
    h_expect pt-h2c-curl 1 '^hello from nginx HTTP/2\.0 /curl-h2c$'
    client pt-h2c-nghttp nghttp "$url/nghttp"
    h_expect pt-h2c-nghttp 1 '^hello from nginx HTTP/2\.0 /nghttp$'
    h_stop "$H_PT_HTTP"

    mkdir -p "$TMP/pt-www"
    echo "hello from http.server" >"$TMP/pt-www/hello.txt"
    h_server pt-pyhttp "$PY" -m http.server --bind 127.0.0.1 --directory "$TMP/pt-www" "$H_PT_HTTP"
    wait_listen "$H_PT_HTTP"
    client pt-pyhttp-curl curl -sS "$url/hello.txt"
    h_expect pt-pyhttp-curl 1 '^hello from http\.server$'
    h_pt_urllib pt-pyhttp-py "$url/hello.txt"
    h_expect pt-pyhttp-py 1 '^hello from http\.server$'
    h_stop "$H_PT_HTTP"

    local mailcmds=('MAIL FROM:<a@good.example>' 'RCPT TO:<b@good.example>' DATA
        'Subject: s_client' '' 'hello over STARTTLS on 465' . QUIT)
    h_st_server pt-smtp-srv smtp "$H_PT_SMTP" 3
    h_st_sclient pt-smtp-sclient smtp "$H_PT_SMTP" '^221 ' -tls1_3 -- 'EHLO client.example' "${mailcmds[@]}"
    h_st_gnutls pt-smtp-gnutls smtp "$H_PT_SMTP" '^221 ' -- 'EHLO client.example' "${mailcmds[@]}"
    h_st_python pt-smtp-py smtp "$H_PT_SMTP" tls12
    h_stop "$H_PT_SMTP"
    h_expect pt-smtp-srv 3 'server handshake OK: smtp TLSv1\.[23]'

    h_st_server pt-imap-srv imap "$H_PT_IMAP" 2
    h_st_sclient pt-imap-sclient imap "$H_PT_IMAP" '^c OK LOGOUT completed' -tls1_2 -- \
        'a LOGIN user secret' 'b LIST "" "*"' 'c LOGOUT'
    h_st_python pt-imap-py imap "$H_PT_IMAP" tls13
    h_stop "$H_PT_IMAP"
    h_expect pt-imap-srv 2 'server handshake OK: imap TLSv1\.[23]'

    local keys
    for keys in 0 1; do
        h_check =4 "$keys" 'http.request && tcp.dstport == 443'
        h_check =5 "$keys" 'tls.handshake.type == 1'
    done
}

# ------------------------------------------------------------ scenarios ---

# healthy NAME SHAPE [nokeys] [PORT...]: captures/healthy-NAME.pcap from
# h_shape_SHAPE (capturing TCP port HP, or the PORTs given).
healthy() {
    h_begin "healthy-$1" "${3:-}" "${@:4}"
    "h_shape_${2//-/_}"
    h_end
}

scenario_healthy_s_time() { healthy s-time s-time; }
scenario_healthy_s_client_close() { healthy s-client-close s-client-close; }
scenario_healthy_curl_keepalive() { healthy curl-keepalive curl-keepalive; }
scenario_healthy_python() { healthy python python; }
scenario_healthy_gnutls() { healthy gnutls gnutls; }
scenario_healthy_go() { healthy go go; }
scenario_healthy_hello_retry() { healthy hello-retry hello-retry; }
scenario_healthy_resumption() { healthy resumption resumption; }
scenario_healthy_early_data() { healthy early-data early-data; }
scenario_healthy_mtls() { healthy mtls mtls; }
scenario_healthy_renegotiation() { healthy renegotiation renegotiation; }
scenario_healthy_ipv6() { healthy ipv6 ipv6; }
scenario_healthy_health_check() { healthy health-check health-check; }
scenario_healthy_port_scan() { healthy port-scan port-scan nokeys; }
scenario_healthy_port_taken() { healthy port-taken port-taken; }
scenario_healthy_port_taken_go() { healthy port-taken-go port-taken-go; }
scenario_healthy_starttls() {
    healthy starttls starttls "" "$H_ST_SMTP" "$H_ST_IMAP" "$H_ST_POP3"
}
scenario_healthy_http_proxy() { healthy http-proxy http-proxy "" "$H_PX"; }
scenario_healthy_proxy_tls_port() { healthy proxy-tls-port proxy-tls-port "" "$H_PX_TLS"; }
scenario_healthy_proxy_443() { healthy proxy-443 proxy-443 "" "$H_PX_443"; }
scenario_healthy_optional_cert() { healthy optional-cert optional-cert; }
scenario_healthy_plaintext_ports() {
    healthy plaintext-ports plaintext-ports "" "$H_PT_HTTP" "$H_PT_SMTP" "$H_PT_IMAP"
}

# 22. Servers that ask for a client certificate without requiring one and
# send no session tickets, and clients that have none (an empty Certificate
# in their flight): gnutls-serv --noticket (it asks by default) with
# s_client closing at once (close_notify), TLS 1.3 and 1.2, the Python
# health check (close_notify; closed without one, gnutls-serv answers
# unexpected_message) and gnutls-cli sending a line; nginx
# (ssl_verify_client optional, ssl_session_tickets off) with
# s_client closing at once, the abrupt Python check and one curl GET, TLS
# 1.3.  Nothing but the server's close_notify follows the client's close:
# no refusal.
h_shape_optional_cert() {
    local v
    h_gnutls_serv optcert-gnutls-srv --echo --noticket
    for v in 3 2; do
        h_sclose "optcert-gnutls-sclient-1.$v" -connect "127.0.0.1:$HP" "-tls1_$v" -keylogfile "$HK"
    done
    h_health_py optcert-gnutls-py check
    h_gnutls optcert-gnutls-1.3 'hello from gnutls-cli\n' --priority "$(gnutls_prio 1.3)" 127.0.0.1
    h_expect optcert-gnutls-1.3 1 'Handshake was completed'
    h_stop
    h_nginx optcert-nginx "ssl_verify_client optional; ssl_client_certificate $CA; ssl_session_tickets off;"
    h_sclose optcert-nginx-sclient -connect "127.0.0.1:$HP" -tls1_3 -keylogfile "$HK"
    h_health_py optcert-nginx-py-abrupt check-abrupt
    SSLKEYLOGFILE=$HK client optcert-nginx-curl curl -sS --cacert "$CA" --resolve "good.example:$HP:127.0.0.1" \
        --tlsv1.3 "https://good.example:$HP/"
    h_expect optcert-nginx-curl 1 'hello from nginx TLSv1\.3'
    h_stop
    # Every server asked (CertificateRequest, read with the key log).
    h_check 7 1 'tls.handshake.type == 13'
}

# The large corpus: every shape into bench/cache/healthy-big.pcap (+ .keys),
# not committed.  s_time: 3 servers x 4 runs x 250 connections; the other
# shapes twice.  Not in ALL: run it as `make-captures.sh healthy-big`.
scenario_healthy_big() {
    local OUT H_TO=60 round shape
    OUT=$(dirname "$HERE")/bench/cache
    [[ -d $OUT ]] || { mkdir -p "$OUT"; chown --reference="$HERE" "$OUT"; }
    h_begin healthy-big
    h_shape_s_time 250
    for round in 1 2; do
        for shape in s-client-close curl-keepalive python gnutls go hello-retry resumption \
            early-data mtls renegotiation ipv6 health-check port-scan java optional-cert; do
            log "round $round: $shape"
            "h_shape_${shape//-/_}"
        done
    done
    h_end
}

ALL+=(
    healthy-s-time healthy-s-client-close healthy-curl-keepalive healthy-python
    healthy-gnutls healthy-go healthy-hello-retry healthy-resumption healthy-early-data
    healthy-mtls healthy-renegotiation healthy-ipv6 healthy-health-check healthy-port-scan
    healthy-port-taken healthy-port-taken-go healthy-starttls healthy-http-proxy healthy-proxy-tls-port healthy-proxy-443
    healthy-plaintext-ports healthy-optional-cert
)

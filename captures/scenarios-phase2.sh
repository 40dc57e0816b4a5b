# shellcheck shell=bash
# Phase-2 scenarios for make-captures.sh (sourced by it; uses its helpers):
# encrypted alerts in TLS 1.3, a normal encrypted close, renegotiation
# (refused, accepted, a plaintext ClientHello on an established connection,
# a client without RFC 5746 support), HelloRetryRequest, session resumption
# (accepted and declined), TLS 1.0, SSLv2-format ClientHellos and SMTP
# STARTTLS.
#
# Real stacks everywhere except three Python clients ($TMP/phase2-peer.py)
# for what no real client sends: a plaintext ClientHello on an established
# TLS 1.2 connection, and SSLv2-format ClientHellos.  The SMTP server is a
# small Python peer (the TLS underneath is Python's ssl, i.e. OpenSSL).
#
# Key logs (SSLKEYLOGFILE format) are written as captures/NAME.keys for
# every capture with encrypted records worth reading (TLS 1.3 and the TLS 1.2
# renegotiation captures).

write_phase2_peer() {
    cat >"$TMP/phase2-peer.py" <<'PYEOF'
"""Python peers for the phase-2 captures of make-captures.sh.

client-new-hello HOST PORT KEYLOG [tls1]
    TLS 1.2 (or with tls1: TLS 1.0) handshake with Python ssl over an SSLObject/MemoryBIO pair on a
    socket we own, one line each way, then a PLAINTEXT ClientHello (record
    version 1.0, TLS_EMPTY_RENEGOTIATION_INFO_SCSV, no renegotiation_info)
    written straight to the TCP socket, as a client that lost its TLS state
    would; then read until the server closes.
client-sslv2 HOST PORT VERSION
    an SSLv2-format ClientHello (VERSION 0002: SSL 2.0 with SSLv2 cipher
    specs only; 0301/0303: an SSLv2-compatible hello for TLS with TLS
    suites); read until the server's ServerHelloDone or its close, then close.
smtp-server MODE HOST PORT CERT KEY
    one SMTP session: 220 greeting, EHLO -> 250-STARTTLS, STARTTLS -> 220,
    then TLS (MODE ok: TLS 1.2-1.3; MODE tls13-only: TLS 1.3 only), then
    EHLO -> 250 and QUIT -> 221 over TLS.
"""
import random, socket, ssl, struct, sys, time
from peerlib import accept_one, ext, recv_exact

def read_all(sock):
    raw = b""
    try:
        while True:
            d = sock.recv(65536)
            if not d:
                break
            raw += d
    except OSError as e:
        print("recv:", e, flush=True)
    return raw

def scsv_client_hello():
    """An ordinary TLS 1.2 ClientHello, record version 1.0, whose suites end
    with TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00ff) and which has no
    renegotiation_info extension (seed 03's second ClientHello)."""
    rnd = random.Random(20170204)
    name = b"good.example"
    sni = struct.pack("!HBH", len(name) + 3, 0, len(name)) + name
    exts = (ext(0x0000, sni)                                          # server_name
            + ext(0x000b, bytes.fromhex("0100"))                      # ec_point_formats
            + ext(0x000a, bytes.fromhex("0006001d00170018"))          # supported_groups
            + ext(0x000d, bytes.fromhex("000c080408050806040105010601"))  # signature_algorithms
            + ext(0x0017, b""))                                       # extended_master_secret
    suites = bytes.fromhex("c030c02fc028c027c014c013009d009c003d003c0035002f00ff")
    body = (b"\x03\x03" + rnd.randbytes(32) + b"\x00"
            + struct.pack("!H", len(suites)) + suites + b"\x01\x00"
            + struct.pack("!H", len(exts)) + exts)
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs

def client_new_hello(host, port, keylog, version="tls12"):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if version == "tls1":
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1
    else:
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.keylog_filename = keylog
    sock = socket.create_connection((host, int(port)), timeout=5)
    inb, outb = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(inb, outb, server_hostname="good.example")

    def flush():
        data = outb.read()
        if data:
            sock.sendall(data)

    def feed():
        data = sock.recv(65536)
        if not data:
            inb.write_eof()
            raise SystemExit("server closed during the first handshake")
        inb.write(data)

    while True:
        try:
            tls.do_handshake()
            flush()
            break
        except ssl.SSLWantReadError:
            flush()
            feed()
    print("handshake:", tls.version(), tls.cipher()[0], flush=True)
    time.sleep(0.2)
    tls.write(b"hello before the second hello\n")
    flush()
    got = b""
    while not got.endswith(b"\n"):
        try:
            got += tls.read(4096)
        except ssl.SSLWantReadError:
            feed()
    print("read:", got, flush=True)
    time.sleep(0.3)
    sock.sendall(scsv_client_hello())     # plaintext, outside the TLS session
    raw = read_all(sock)
    print("after the plaintext ClientHello the server sent:", raw.hex(), flush=True)
    sock.close()

SSLV2_SPECS = [0x010080, 0x020080, 0x030080, 0x040080, 0x050080, 0x060040, 0x0700c0]
TLS_SPECS = [0x00c030, 0x00c02f, 0x00c014, 0x00c013, 0x00009d, 0x00009c,
             0x000035, 0x00002f, 0x0000ff]

def sslv2_client_hello(version):
    specs = SSLV2_SPECS if version == 0x0002 else TLS_SPECS
    challenge = random.Random(1995).randbytes(16)
    cs = b"".join(struct.pack("!I", s)[1:] for s in specs)
    msg = (b"\x01" + struct.pack("!HHHH", version, len(cs), 0, len(challenge))
           + cs + challenge)
    return struct.pack("!H", 0x8000 | len(msg)) + msg

def client_sslv2(host, port, version):
    sock = socket.create_connection((host, int(port)), timeout=5)
    sock.sendall(sslv2_client_hello(int(version, 16)))
    # Read TLS records until ServerHelloDone (type 14) or the server closes.
    raw = b""
    try:
        while True:
            hdr = recv_exact(sock, 5)
            if len(hdr) < 5:
                break
            body = recv_exact(sock, struct.unpack("!H", hdr[3:5])[0])
            raw += hdr + body
            if hdr[0] == 21 or (hdr[0] == 22 and b"\x0e\x00\x00\x00" in body):
                break
    except OSError as e:
        print("recv:", e, flush=True)
    print("server sent:", raw[:64].hex(), "...", len(raw), "bytes", flush=True)
    sock.close()

def smtp_server(mode, host, port, cert, key):
    conn = accept_one(host, port)
    f = conn.makefile("rb")

    def say(line):
        conn.sendall(line.encode() + b"\r\n")

    say("220 good.example ESMTP tlsdiag test peer")
    while True:
        line = f.readline().strip().upper()
        print("plain:", line, flush=True)
        if not line:
            conn.close()
            return
        if line.startswith(b"EHLO") or line.startswith(b"HELO"):
            say("250-good.example\r\n250-PIPELINING\r\n250 STARTTLS")
        elif line == b"STARTTLS":
            say("220 2.0.0 Ready to start TLS")
            break
        else:
            say("500 5.5.1 command unrecognized")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    if mode == "tls13-only":
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    try:
        tls = ctx.wrap_socket(conn, server_side=True)
    except (ssl.SSLError, OSError) as e:
        print("TLS handshake failed:", e, flush=True)
        conn.close()
        return
    print("TLS:", tls.version(), tls.cipher()[0], flush=True)
    tf = tls.makefile("rb")
    while True:
        line = tf.readline().strip().upper()
        print("tls:", line, flush=True)
        if not line:
            break
        if line.startswith(b"EHLO"):
            tls.sendall(b"250-good.example\r\n250 PIPELINING\r\n")
        elif line == b"QUIT":
            tls.sendall(b"221 2.0.0 Bye\r\n")
            break
        else:
            tls.sendall(b"500 5.5.1 command unrecognized\r\n")
    try:
        tls.unwrap()                 # close_notify, then the client's
    except (ssl.SSLError, OSError) as e:
        print("unwrap:", e, flush=True)
    conn.close()

mode = sys.argv[1]
if mode == "client-new-hello":
    client_new_hello(*sys.argv[2:6])
elif mode == "client-sslv2":
    client_sslv2(*sys.argv[2:5])
elif mode == "smtp-server":
    smtp_server(*sys.argv[2:7])
else:
    sys.exit("unknown mode " + mode)
PYEOF
}


# ------------------------------------------------------ encrypted alerts ---

# gnutls-cli (GnuTLS 3.7) rejects the server's certificate (self-signed,
# not in the client's trust list) in TLS 1.3: it sends the middlebox
# ChangeCipherSpec and then its fatal alert ENCRYPTED under the client
# handshake traffic key (OpenSSL-based clients send this alert in
# plaintext, see cert-expired-tls13).  GnuTLS honours SSLKEYLOGFILE; its
# key log has only the two handshake traffic secrets, enough for the alert.
scenario_tls13_client_rejects_encrypted() {
    local name=tls13-client-rejects-encrypted kl
    kl=$(keylog_path "$name")
    openssl req -x509 -newkey rsa:2048 -sha256 -days 30 -nodes -subj /CN=good.example \
        -addext subjectAltName=DNS:good.example \
        -keyout "$TMP/selfsigned.key" -out "$TMP/selfsigned.pem" 2>/dev/null
    start_capture "$name" 443
    bg_server srv openssl s_server -cert "$TMP/selfsigned.pem" -key "$TMP/selfsigned.key" \
        -rev -accept 127.0.0.1:443 -naccept 1 -tls1_3
    wait_listen 443
    SSLKEYLOGFILE=$kl client cli gnutls-cli --x509cafile="$CA" -p 443 \
        --sni-hostname=good.example --verify-hostname=good.example 127.0.0.1 </dev/null
    stop_capture
    keylog_done "$name"
}

# A normal end: curl (OpenSSL) GETs / from nginx over TLS 1.3; nginx has
# keepalive_timeout 0, so after its response it sends its close_notify
# (encrypted) and FIN; curl answers with its own close_notify, which meets a
# closed socket (RST).
scenario_tls13_peer_closes_after_data() {
    local name=tls13-peer-closes-after-data kl
    kl=$(keylog_path "$name")
    start_capture "$name" 443
    nginx_start nginx "$(nginx_http "
    server {
        listen 127.0.0.1:443 ssl;
        server_name good.example;
        ssl_certificate $CERT;
        ssl_certificate_key $KEY;
        ssl_protocols TLSv1.3;
        keepalive_timeout 0;
        location / { return 200 \"hello from nginx, closing now\n\"; }
    }")"
    wait_listen 443
    SSLKEYLOGFILE=$kl client curl curl --http1.1 -sS --cacert "$CA" \
        --resolve good.example:443:127.0.0.1 https://good.example/
    stop_capture
    keylog_done "$name"
}

# ------------------------------------------------------- renegotiation ---

# s_client stdin for a renegotiation: one line, then "R" (s_client then
# calls SSL_renegotiate), then another line, then EOF.
reneg_input() {
    sleep 0.3; printf '%s\n' "$1"; sleep 0.4; printf 'R\n'; sleep 0.8
    printf '%s\n' "$2"; sleep 0.6
}

# nginx (OpenSSL 3.0 underneath, which refuses client-initiated
# renegotiation) serves one HTTP request on a keep-alive TLS 1.2 connection;
# then s_client renegotiates.  On the wire: the renegotiation ClientHello is
# an encrypted handshake record; nginx answers with an encrypted WARNING
# alert no_renegotiation (100) and keeps the connection; s_client gives up
# with an encrypted fatal handshake_failure (40) and closes (FINs).
# s_server (default or -no_renegotiation) does the same, but its late ACK of
# the client's FIN makes loopback retransmit it, so nginx is used.
scenario_renegotiation_refused() {
    local name=renegotiation-refused kl
    kl=$(keylog_path "$name")
    start_capture "$name" 443
    nginx_start nginx "$(nginx_http "
    server {
        listen 127.0.0.1:443 ssl;
        server_name good.example;
        ssl_certificate $CERT;
        ssl_certificate_key $KEY;
        ssl_protocols TLSv1.2;
        location / { return 200 \"hello from nginx\n\"; }
    }")"
    wait_listen 443
    reneg_input $'GET / HTTP/1.1\r\nHost: good.example\r\n\r' $'GET /again HTTP/1.1\r\nHost: good.example\r\n\r' |
        timeout 10 openssl s_client -CAfile "$CA" -connect 127.0.0.1:443 -servername good.example \
            -tls1_2 -keylogfile "$kl" >"$TMP/cli.log" 2>&1 || true
    stop_capture
    keylog_done "$name"
}

# s_server -client_renegotiation (OpenSSL 3.0 refuses client-initiated
# renegotiation unless told otherwise): the renegotiation completes.
scenario_renegotiation_accepted() {
    local name=renegotiation-accepted kl
    kl=$(keylog_path "$name")
    start_capture "$name" 443
    s_server srv -accept 127.0.0.1:443 -naccept 1 -tls1_2 -client_renegotiation
    wait_listen 443
    reneg_input "hello before renegotiation" "hello after renegotiation" |
        timeout 10 openssl s_client -CAfile "$CA" -connect 127.0.0.1:443 -servername good.example \
            -tls1_2 -keylogfile "$kl" >"$TMP/cli.log" 2>&1 || true
    stop_capture
    keylog_done "$name"
}

# Seed 03: after a TLS 1.2 handshake and one line each way, the client sends
# a new plaintext ClientHello (record version 1.0, SCSV, no
# renegotiation_info) on the same connection.  Python ssl makes the first
# handshake (key log via SSLContext.keylog_filename).
new_handshake() {
    local name=$1 ver=$2 kl srvargs=()
    [[ $ver == tls1 ]] && srvargs=(-tls1 -cipher 'DEFAULT:@SECLEVEL=0')
    kl=$(keylog_path "$name")
    write_phase2_peer
    start_capture "$name" 443
    s_server srv -accept 127.0.0.1:443 -naccept 1 "${srvargs[@]}"
    wait_listen 443
    client cli "$PY" "$TMP/phase2-peer.py" client-new-hello 127.0.0.1 443 "$kl" "$ver"
    stop_capture
    keylog_done "$name"
}
scenario_new_handshake_on_established() { new_handshake new-handshake-on-established tls12; }
# Seed 03's "forced to TLS 1.0" case: the same plaintext ClientHello on a
# TLS 1.0 connection, where its record version (1.0) is the session's.
scenario_new_handshake_on_established_tls10() {
    new_handshake new-handshake-on-established-tls10 tls1
}

# A real client without RFC 5746 support: gnutls-cli with
# %DISABLE_SAFE_RENEGOTIATION sends neither the renegotiation_info extension
# nor TLS_EMPTY_RENEGOTIATION_INFO_SCSV.  OpenSSL 3.0's s_server accepts it
# by default (no -legacy_* option), without renegotiation_info in its
# ServerHello; one line each way, then close_notify both ways.
scenario_renegotiation_insecure_hello() {
    local name=renegotiation-insecure-hello kl
    kl=$(keylog_path "$name")
    start_capture "$name" 443
    s_server srv -accept 127.0.0.1:443 -naccept 1
    wait_listen 443
    line_then_eof "hello without RFC 5746" |
        SSLKEYLOGFILE=$kl timeout 10 gnutls-cli --x509cafile="$CA" -p 443 \
            --sni-hostname=good.example --verify-hostname=good.example \
            --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2:%DISABLE_SAFE_RENEGOTIATION' \
            127.0.0.1 >"$TMP/cli.log" 2>&1 || true
    stop_capture
    keylog_done "$name"
}

# ------------------------------------------- HRR, resumption, versions ---

# The server only has P-256; the client supports X25519 and P-256 but sends
# a key share for X25519 only -> HelloRetryRequest -> second ClientHello
# with a P-256 key share -> success.
scenario_hello_retry_request() {
    local name=hello-retry-request kl
    kl=$(keylog_path "$name")
    start_capture "$name" 443
    s_server srv -accept 127.0.0.1:443 -naccept 1 -tls1_3 -groups P-256
    wait_listen 443
    s_client_line cli -connect 127.0.0.1:443 -servername good.example -tls1_3 \
        -groups X25519:P-256 -keylogfile "$kl"
    stop_capture
    keylog_done "$name"
}

# resumption NAME VERSION-FLAG RESTART: two s_client connections, the second
# offering the session saved by the first (-sess_out / -sess_in).  RESTART
# yes: a new s_server process (new ticket key, empty session cache) for the
# second connection, so the offer is declined and a full handshake follows.
resumption() {
    local name=$1 ver=$2 restart=$3 kl=() sess=$TMP/session.pem
    [[ $ver == -tls1_3 ]] && kl=(-keylogfile "$(keylog_path "$name")")
    rm -f "$sess"
    start_capture "$name" 443
    if [[ $restart == yes ]]; then
        s_server srv1 -accept 127.0.0.1:443 -naccept 1 "$ver"
    else
        s_server srv -accept 127.0.0.1:443 -naccept 2 "$ver"
    fi
    wait_listen 443
    s_client_line cli-1 -connect 127.0.0.1:443 -servername good.example "$ver" \
        -sess_out "$sess" "${kl[@]}"
    if [[ $restart == yes ]]; then
        stop_servers
        s_server srv2 -accept 127.0.0.1:443 -naccept 1 "$ver"
        wait_listen 443
    fi
    sleep 0.5
    s_client_line cli-2 -connect 127.0.0.1:443 -servername good.example "$ver" \
        -sess_in "$sess" "${kl[@]}"
    stop_capture
    ((${#kl[@]})) && keylog_done "$name"
    grep -E '^(New|Reused),' "$TMP/cli-1.log" "$TMP/cli-2.log" | sed 's/^/    /'
    return 0
}
scenario_session_resumed_tls12() { resumption session-resumed-tls12 -tls1_2 no; }
scenario_session_resumed_tls13() { resumption session-resumed-tls13 -tls1_3 no; }
scenario_resumption_declined() { resumption resumption-declined -tls1_2 yes; }
scenario_resumption_declined_tls13() { resumption resumption-declined-tls13 -tls1_3 yes; }

scenario_weak_protocol_tls10() {
    start_capture weak-protocol-tls10 443
    s_server srv -accept 127.0.0.1:443 -naccept 1 -tls1 -cipher 'DEFAULT:@SECLEVEL=0'
    wait_listen 443
    s_client_line cli -connect 127.0.0.1:443 -servername good.example -tls1 \
        -cipher 'DEFAULT:@SECLEVEL=0'
    stop_capture
}

# ---------------------------------------------------------------- SSLv2 ---

# A genuine SSL 2.0 ClientHello (version 0x0002, SSLv2 cipher specs only) to
# s_server (OpenSSL 3.0 defaults).
scenario_sslv2_client_hello() {
    write_phase2_peer
    start_capture sslv2-client-hello 443
    s_server srv -accept 127.0.0.1:443 -naccept 1
    wait_listen 443
    client cli "$PY" "$TMP/phase2-peer.py" client-sslv2 127.0.0.1 443 0002
    stop_capture
}

# An SSLv2-compatible ClientHello for TLS 1.0 (version 0x0301, TLS suites in
# 3-byte cipher specs), as old Java and OpenSSL 0.9.8 clients sent, to an
# s_server that allows TLS 1.0: the server answers with a TLS 1.0 flight;
# the crafted client stops after ServerHelloDone.
scenario_sslv2_compat_client_hello() {
    write_phase2_peer
    start_capture sslv2-compat-client-hello 443
    s_server srv -accept 127.0.0.1:443 -naccept 1 -tls1 -cipher 'DEFAULT:@SECLEVEL=0'
    wait_listen 443
    client cli "$PY" "$TMP/phase2-peer.py" client-sslv2 127.0.0.1 443 0301
    stop_capture
}

# ------------------------------------------------------- SMTP STARTTLS ---

# s_client stdin for SMTP over TLS: EHLO, QUIT, then EOF (s_client runs
# with -nocommands, or the Q of QUIT would make it quit).
smtp_input() { sleep 0.4; printf 'EHLO client.example\r\n'; sleep 0.3; printf 'QUIT\r\n'; sleep 0.8; }

starttls_smtp() {
    local name=$1 mode=$2 cliargs=()
    if [[ $mode == tls13-only ]]; then
        cliargs=(-tls1_2)
    else
        cliargs=(-keylogfile "$(keylog_path "$name")")
    fi
    if ss -Hltn 'sport = :25' | grep -q .; then
        echo "port 25 is already in use" >&2; exit 1
    fi
    write_phase2_peer
    start_capture "$name" 25
    bg_server smtp "$PY" "$TMP/phase2-peer.py" smtp-server "$mode" 127.0.0.1 25 "$CERT" "$KEY"
    wait_listen 25
    smtp_input | timeout 10 openssl s_client -starttls smtp -connect 127.0.0.1:25 \
        -servername good.example -CAfile "$CA" -nocommands "${cliargs[@]}" \
        >"$TMP/cli.log" 2>&1 || true
    stop_capture
    [[ $mode == tls13-only ]] || keylog_done "$name"
}
# The server speaks TLS 1.2-1.3 (TLS 1.3 is negotiated); key log.
scenario_starttls_smtp_ok() { starttls_smtp starttls-smtp-ok ok; }
# The server speaks TLS 1.3 only, the client is forced to TLS 1.2: the
# server's plaintext protocol_version alert right after the ClientHello.
scenario_starttls_smtp_failure() { starttls_smtp starttls-smtp-failure tls13-only; }

ALL+=(
    tls13-client-rejects-encrypted tls13-peer-closes-after-data
    renegotiation-refused renegotiation-accepted
    new-handshake-on-established new-handshake-on-established-tls10
    renegotiation-insecure-hello hello-retry-request
    session-resumed-tls12 session-resumed-tls13 resumption-declined resumption-declined-tls13
    weak-protocol-tls10 sslv2-client-hello sslv2-compat-client-hello
    starttls-smtp-ok starttls-smtp-failure
)

# shellcheck shell=bash
# Sourced by make-captures.sh: TLS handshakes inside QUIC (RFC 9000/9001).
#
# The peers run in the Debian trixie chroot (tools/chroot.sh), which has
# python3-aioquic (bookworm has not): an aioquic client and server written
# below, nginx 1.26 (built with http_v3) as a second server and OpenSSL 3.5's
# s_client -quic as a second client, because they send other TLS alerts than
# aioquic for the same mistakes.  Everything is UDP on 127.0.0.1:4433, which
# Wireshark 4.0 finds with its QUIC heuristic dissector.  The client writes
# captures/NAME.keys (SSLKEYLOGFILE format: CLIENT_/SERVER_HANDSHAKE_TRAFFIC_
# SECRET, CLIENT_/SERVER_TRAFFIC_SECRET_0), which Wireshark also uses for QUIC
# (tls.keylog_file).  Without it only Initial packets are readable (the
# ClientHello, the ServerHello, and a CONNECTION_CLOSE sent in an Initial).

QUIC_SUITE=trixie
QUIC_PORT=4433
QUIC_DIR=/tmp/tlsdiag-quic         # inside the chroot

# quic_peer: write $TMP/quic-peer.py, the aioquic client and server.
quic_peer() {
    cat >"$TMP/quic-peer.py" <<'PYEOF'
"""aioquic client and server for make-captures.sh (runs in the trixie chroot).

  quic-peer.py server PORT CERT KEY ALPN[,ALPN...] [CIPHER,...]
  quic-peer.py client PORT CAFILE ALPN[,ALPN...] KEYLOG [CIPHER,...]

The server answers each stream with its data reversed.  The client connects
to 127.0.0.1:PORT with SNI good.example, sends one line on one stream, reads
the answer and closes the connection (CONNECTION_CLOSE, NO_ERROR).  CIPHER
names are aioquic's CipherSuite members (AES_128_GCM_SHA256, ...).
"""
import asyncio, ssl, sys

from aioquic.asyncio import connect, serve
from aioquic.quic.configuration import QuicConfiguration
from aioquic.tls import CipherSuite


def suites(arg):
    return [CipherSuite[name] for name in arg.split(",")] if arg else None


async def server(port, cert, key, alpn, cipher=""):
    cfg = QuicConfiguration(is_client=False, alpn_protocols=alpn.split(","),
                            cipher_suites=suites(cipher))
    cfg.load_cert_chain(cert, key)

    async def answer(reader, writer):
        data = await reader.read()
        writer.write(data.rstrip(b"\n")[::-1] + b"\n")
        writer.write_eof()

    def on_stream(reader, writer):
        asyncio.ensure_future(answer(reader, writer))

    await serve("127.0.0.1", int(port), configuration=cfg, stream_handler=on_stream)
    print("listening", flush=True)
    await asyncio.Future()          # until killed


async def client(port, cafile, alpn, keylog, cipher=""):
    with open(keylog, "w", buffering=1) as log:
        cfg = QuicConfiguration(is_client=True, alpn_protocols=alpn.split(","),
                                cipher_suites=suites(cipher), server_name="good.example",
                                secrets_log_file=log, verify_mode=ssl.CERT_REQUIRED)
        cfg.load_verify_locations(cafile)
        try:
            async with connect("127.0.0.1", int(port), configuration=cfg) as conn:
                print("connected, ALPN", conn._quic.tls.alpn_negotiated, flush=True)
                reader, writer = await conn.create_stream()
                writer.write(b"hello over quic\n")
                writer.write_eof()
                print("answer", await asyncio.wait_for(reader.read(), 5), flush=True)
        except ConnectionError as exc:
            print("connection failed:", repr(exc), flush=True)


mode = sys.argv[1]
if mode == "server":
    asyncio.run(server(*sys.argv[2:]))
elif mode == "client":
    asyncio.run(client(*sys.argv[2:]))
else:
    sys.exit("unknown mode " + mode)
PYEOF
}

# quic_setup: the trixie chroot with aioquic and nginx; puts the peer, the
# good.example certificate and key, our CA and an unrelated CA in
# $QUIC_ROOT$QUIC_DIR.
quic_setup() {
    local d
    if ss -Hlun "sport = :$QUIC_PORT" | grep -q .; then
        echo "make-captures.sh: udp port $QUIC_PORT is already in use" >&2; exit 1
    fi
    QUIC_ROOT=$("$HERE/../tools/chroot.sh" "$QUIC_SUITE" python3-aioquic nginx | tail -n1)
    d=$QUIC_ROOT$QUIC_DIR
    rm -rf "$d"; mkdir -p "$d"
    quic_peer
    cp "$TMP/quic-peer.py" "$CA" "$CERT" "$KEY" "$d/"
    make_other_ca
    cp "$TMP/pki/other-ca.pem" "$d/"
}

# In the chroot: run the peer (paths relative to $QUIC_DIR).
QUIC_RUN=("$HERE/../tools/chroot.sh" --run "$QUIC_SUITE" /usr/bin/env -C "$QUIC_DIR"
    python3 quic-peer.py)

# quic_server LOGNAME ALPN [CIPHERS]: the aioquic server in the background.
quic_server() {
    local logname=$1; shift
    bg_server "$logname" "${QUIC_RUN[@]}" server "$QUIC_PORT" server.pem server.key "$@"
    wait_listen "$QUIC_PORT" udp
}

# quic_client NAME CAFILE ALPN [CIPHERS]: the aioquic client; its key log
# becomes captures/NAME.keys.
quic_client() {
    local name=$1; shift
    local ca=$1 alpn=$2; shift 2
    client "$name-client" "${QUIC_RUN[@]}" client "$QUIC_PORT" "$ca" "$alpn" "$name.keys" "$@"
    sed "s/^/    client: /" "$TMP/$name-client.log"
}

# quic_openssl_client NAME CAFILE ALPN: OpenSSL 3.5's QUIC client
# (s_client -quic); its key log becomes captures/NAME.keys.
quic_openssl_client() {
    local name=$1 ca=$2 alpn=$3
    client "$name-client" "$HERE/../tools/chroot.sh" --run "$QUIC_SUITE" \
        /usr/bin/env -C "$QUIC_DIR" openssl s_client -quic -alpn "$alpn" \
        -connect 127.0.0.1:$QUIC_PORT -servername good.example -CAfile "$ca" \
        -verify_return_error -keylogfile "$name.keys" </dev/null
    grep -E '^(verify error|.*QUIC error)' "$TMP/$name-client.log" | sed 's/^/    client: /' || true
}

# quic_nginx: nginx serving HTTP/3 (ALPN h3 only) on 127.0.0.1:$QUIC_PORT,
# everything under $QUIC_DIR/nginx.
quic_nginx() {
    local d=$QUIC_DIR/nginx
    mkdir -p "$QUIC_ROOT$d"
    cat >"$QUIC_ROOT$d/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log info;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $d/body;
    proxy_temp_path $d/proxy;
    fastcgi_temp_path $d/fastcgi;
    uwsgi_temp_path $d/uwsgi;
    scgi_temp_path $d/scgi;
    default_type text/plain;
    server {
        listen 127.0.0.1:$QUIC_PORT quic;
        server_name good.example;
        ssl_certificate $QUIC_DIR/server.pem;
        ssl_certificate_key $QUIC_DIR/server.key;
        ssl_protocols TLSv1.3;
        location / { return 200 "hello from nginx over QUIC\n"; }
    }
}
CONF
    bg_server nginx "$HERE/../tools/chroot.sh" --run "$QUIC_SUITE" \
        nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log"
    wait_listen "$QUIC_PORT" udp
}

# quic_finish NAME: stop the capture; copy the key log out if the client
# logged any secret (none when the server rejects the ClientHello), then
# remove the chroot's copy of the private key and the rest.
quic_finish() {
    local name=$1 keys
    stop_capture
    keys=$QUIC_ROOT$QUIC_DIR/$name.keys
    rm -f "$OUT/$name.keys"
    if grep -q SECRET "$keys" 2>/dev/null; then
        cp "$keys" "$OUT/$name.keys"
        chown --reference="$OUT" "$OUT/$name.keys"
        log "$name.keys: $(grep -c SECRET "$keys") secrets"
    else
        log "$name: no secrets were derived, no key log"
    fi
    rm -rf "${QUIC_ROOT:?}$QUIC_DIR"
}

# Clean handshake (ALPN hq-interop), one stream each way, then the client's
# CONNECTION_CLOSE (application close, NO_ERROR) in a 1-RTT packet.
scenario_quic_ok() {
    quic_setup
    start_capture quic-ok "udp port $QUIC_PORT"
    quic_server srv hq-interop
    quic_client quic-ok ca.pem hq-interop
    quic_finish quic-ok
}

# nginx speaks h3 only; the client offers foo/1.  OpenSSL's ALPN callback
# fails the handshake with no_application_protocol, which nginx sends as
# CRYPTO_ERROR 0x178 in an Initial packet (RFC 9001 section 8.1).
scenario_quic_alpn_mismatch() {
    quic_setup
    start_capture quic-alpn-mismatch "udp port $QUIC_PORT"
    quic_nginx
    quic_client quic-alpn-mismatch ca.pem foo/1
    quic_finish quic-alpn-mismatch
}

# The same mistake against an aioquic server, which answers handshake_failure
# (0x128) with the reason phrase "No common ALPN protocols".
scenario_quic_alpn_mismatch_aioquic() {
    quic_setup
    start_capture quic-alpn-mismatch-aioquic "udp port $QUIC_PORT"
    quic_server srv hq-interop
    quic_client quic-alpn-mismatch-aioquic ca.pem foo/1
    quic_finish quic-alpn-mismatch-aioquic
}

# OpenSSL 3.5's QUIC client (default groups: its X25519MLKEM768 ClientHello
# spans two Initial packets, and so does nginx's ServerHello) against nginx,
# trusting only an unrelated CA: unknown_ca, sent as CRYPTO_ERROR 0x130 in an
# Initial packet (readable without keys; the Handshake packet coalesced with
# it holds only an ACK).  OpenSSL's probes make the frame count vary (8-10).
scenario_quic_unknown_ca() {
    quic_setup
    start_capture quic-unknown-ca "udp port $QUIC_PORT"
    quic_nginx
    quic_openssl_client quic-unknown-ca other-ca.pem h3
    quic_finish quic-unknown-ca
}

# The same with the aioquic client: it says bad_certificate (0x12a), reason
# "unable to get local issuer certificate", in a Handshake packet only (it
# has dropped its Initial keys), so the close needs the key log.
scenario_quic_unknown_ca_aioquic() {
    quic_setup
    start_capture quic-unknown-ca-aioquic "udp port $QUIC_PORT"
    quic_server srv hq-interop
    quic_client quic-unknown-ca-aioquic other-ca.pem hq-interop
    quic_finish quic-unknown-ca-aioquic
}

# No common cipher suite: the client offers only TLS_CHACHA20_POLY1305_SHA256,
# the server accepts only the AES-GCM suites; handshake_failure (0x128) in an
# Initial packet.  (Initial packets are always AES-128-GCM, whatever suites
# the ClientHello offers.)
scenario_quic_handshake_failure() {
    quic_setup
    start_capture quic-handshake-failure "udp port $QUIC_PORT"
    quic_server srv hq-interop AES_128_GCM_SHA256,AES_256_GCM_SHA384
    quic_client quic-handshake-failure ca.pem hq-interop CHACHA20_POLY1305_SHA256
    quic_finish quic-handshake-failure
}

ALL+=(
    quic-ok quic-alpn-mismatch quic-alpn-mismatch-aioquic
    quic-unknown-ca quic-unknown-ca-aioquic quic-handshake-failure
)

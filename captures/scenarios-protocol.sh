# shellcheck shell=bash
# Sourced by make-captures.sh: protocol failures around the TLS handshake.
#
#   plaintext on a TLS port, TLS on a plaintext port, a server's short
#   non-TLS answer to a ClientHello, client suites nobody may accept (NULL,
#   anonymous, RC4; TLS 1.3 without TLS_AES_128_GCM_SHA256), odd records
#   after the server's TLS 1.2 flight, and, from the Debian trixie chroot
#   (tools/chroot.sh: OpenSSL 3.5, Go 1.24, aioquic): a HelloRetryRequest for
#   X25519MLKEM768, a CompressedCertificate, Encrypted Client Hello accepted
#   and rejected, and QUIC connections closed during the handshake with
#   NO_ERROR or an application error.
#
# Every scenario runs in a network namespace of its own with only lo up
# ($PROTO_NS, made fresh for each scenario and deleted on exit), so it can
# use the ports the protocols really use (443, 465, 802, 8080, UDP 443)
# without meeting anything on the host's loopback.  Real stacks everywhere
# except the Python peers in $TMP/proto-peer.py, for what no real stack
# does: a plaintext SMTP client, a TLS 1.2 client that sends a Heartbeat or
# a malformed record instead of its ClientKeyExchange (its ClientHello is
# Python ssl's own), and a Modbus/TCP device and an SMTP server answering a
# ClientHello.  Key logs go to captures/NAME.keys where there is something
# encrypted to read.

PROTO_NS=tlsdiag-proto-$$
PROTO_IN=(ip netns exec "$PROTO_NS")
PROTO_SUITE=trixie
PROTO_DIR=/tmp/tlsdiag-proto          # inside the chroot
PROTO_ROOT=
PROTO_TRAP=

# ------------------------------------------------------------- helpers ---

proto_ns_down() { ip netns del "$PROTO_NS" 2>/dev/null || true; }

# proto_ns_up: a fresh namespace (no TCP state, no socket left over from the
# previous scenario), lo up.
proto_ns_up() {
    proto_ns_down
    if [[ -z $PROTO_TRAP ]]; then    # once: delete the namespace on any exit
        also_on_exit proto_ns_down
        PROTO_TRAP=1
    fi
    ip netns add "$PROTO_NS"
    ip -n "$PROTO_NS" link set lo up
}

# proto_capture NAME FILTER: new namespace, tcpdump on its lo.
proto_capture() {
    proto_ns_up
    start_capture "$1" "$2" "$PROTO_NS"
}

# proto_server LOGNAME CMD...: a server in the namespace (bg_server).
proto_server() {
    local logname=$1; shift
    bg_server "$logname" "${PROTO_IN[@]}" "$@"
}

# proto_client LOGNAME CMD...: a client in the namespace (client), then its
# log's last lines.
proto_client() {
    local logname=$1; shift
    client "$logname" "${PROTO_IN[@]}" "$@" </dev/null
    proto_show "$logname"
}

# proto_show LOGNAME: the lines of a log that say what happened.
proto_show() {
    grep -aE 'error|curl: |alert|fail|answered|server sent|closed|reset|ECH|handshake ok|Negotiated|Cipher is|closing|connection|read "|^read [0-9]' \
        "$TMP/$1.log" 2>/dev/null | grep -v '^\s*$' | head -n 6 | sed "s/^/    $1: /" || true
}

# proto_keys_done NAME: keylog_done where a peer wrote one.
proto_keys_done() {
    [[ -s $OUT/$1.keys ]] && keylog_done "$1"
    return 0
}

# proto_s_server LOGNAME PORT ARGS...: OpenSSL 3.0 s_server (good.example
# certificate) on 127.0.0.1:PORT.
proto_s_server() {
    local logname=$1 port=$2; shift 2
    proto_server "$logname" openssl s_server -cert "$CERT" -key "$KEY" -rev \
        -accept "127.0.0.1:$port" "$@"
    wait_listen "$port" tcp "$PROTO_NS"
}

# proto_nginx LOGNAME SERVER-BLOCKS: nginx (one process, foreground) in the
# namespace with the given server {} blocks (nginx_start, namespaced).
proto_nginx() {
    local d=$TMP/nginx
    nginx_conf "$(nginx_http "$2")"
    proto_server "$1" nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log"
}

# proto_gnutls LOGNAME ARGS...: gnutls-cli (GnuTLS 3.7) with our CA,
# verifying good.example, as a proto_client.
proto_gnutls() {
    local logname=$1; shift
    proto_client "$logname" gnutls-cli --x509cafile="$CA" --sni-hostname=good.example \
        --verify-hostname=good.example "$@"
}

# ------------------------------------------------------- the Python peer ---

write_proto_peer() {
    cat >"$TMP/proto-peer.py" <<'PYEOF'
"""Python peers for scenarios-protocol.sh.

client-plain-smtp HOST PORT
    connect, wait 1 s for an SMTP greeting (a TLS server sends none), send
    "EHLO x", then read until the server closes.
client-after-hello WHAT HOST PORT
    a real TLS 1.2 ClientHello made by Python ssl (MemoryBIO, nothing
    crafted), then read the server's plaintext flight up to ServerHelloDone,
    then send, instead of the ClientKeyExchange, WHAT: "heartbeat" (a TLS
    Heartbeat request record, content type 24, RFC 6520), "bad-type" (a
    record of content type 0x63, which does not exist) or "bad-length" (a
    handshake record header claiming 65535 bytes, followed by 11); then read
    until the server closes.
server-modbus HOST PORT
    read the ClientHello, answer a 9-byte Modbus/TCP exception response
    (transaction 1, unit 1, function 0x81, exception 01 illegal function),
    close.
server-smtp-banner HOST PORT
    0.1 s after the connection (an SMTP server's DNS look-ups; it also puts
    the ClientHello first in every run) greet with "220 mail.example ESMTP",
    read the ClientHello, wait 0.2 s (SMTP servers slow down bad clients;
    it also puts the answer after the client's reaction to the greeting),
    answer "500 5.5.1 Command unrecognized", close.
"""
import socket, ssl, struct, sys, time
from peerlib import accept_one, first_flight, read_record

def read_until_close(sock):
    """Everything the peer sends until it closes (or resets)."""
    raw = b""
    try:
        while True:
            d = sock.recv(65536)
            if not d:
                print("peer closed (FIN)", flush=True)
                break
            raw += d
    except ConnectionResetError:
        print("peer reset the connection", flush=True)
    except OSError as e:
        print("recv:", e, flush=True)
    return raw

def read_client_hello(conn):
    rec = read_record(conn)
    print("read", len(rec), "bytes starting", rec[:3].hex(), flush=True)

def client_plain_smtp(host, port):
    sock = socket.create_connection((host, int(port)), timeout=5)
    sock.settimeout(1)
    try:
        print("greeting:", sock.recv(4096), flush=True)
    except socket.timeout:
        print("no greeting after 1 s; sending EHLO anyway", flush=True)
    sock.settimeout(5)
    sock.sendall(b"EHLO x\r\n")
    print("server sent:", read_until_close(sock), flush=True)
    sock.close()

def tls12_client_hello():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return first_flight(ctx)[3]

def read_server_flight(sock):
    """Plaintext handshake records up to ServerHelloDone; True if it came."""
    hs = b""
    while True:
        rec = read_record(sock)
        if len(rec) < 5:
            print("server closed before ServerHelloDone", flush=True)
            return False
        if rec[0] != 22:
            print("server record", rec.hex(), flush=True)
            return False
        hs += rec[5:]
        while len(hs) >= 4 and len(hs) >= 4 + int.from_bytes(hs[1:4], "big"):
            mtype, hs = hs[0], hs[4 + int.from_bytes(hs[1:4], "big"):]
            print("server handshake message", mtype, flush=True)
            if mtype == 14:
                return True

def bogus_record(what):
    if what == "heartbeat":
        # heartbeat_request, payload_length 16, payload, 16 bytes of padding
        msg = b"\x01" + struct.pack("!H", 16) + b"tlsdiag-heartbt!" + bytes(16)
        return b"\x18\x03\x03" + struct.pack("!H", len(msg)) + msg
    if what == "bad-type":
        return b"\x63\x03\x03\x00\x04" + b"ping"
    if what == "bad-length":
        return b"\x16\x03\x03\xff\xff" + bytes.fromhex("10000102") + b"tlsdiag"
    raise SystemExit("unknown record " + what)

def client_after_hello(what, host, port):
    sock = socket.create_connection((host, int(port)), timeout=5)
    sock.sendall(tls12_client_hello())
    if read_server_flight(sock):
        rec = bogus_record(what)
        print("sending", rec.hex(), flush=True)
        sock.sendall(rec)
        raw = read_until_close(sock)
        print("server answered:", raw.hex() or "nothing", flush=True)
    sock.close()

def server_modbus(host, port):
    conn = accept_one(host, port)
    read_client_hello(conn)
    conn.sendall(bytes.fromhex("000100000003018101"))
    conn.close()

def server_smtp_banner(host, port):
    conn = accept_one(host, port)
    time.sleep(0.1)
    conn.sendall(b"220 mail.example ESMTP\r\n")
    read_client_hello(conn)
    time.sleep(0.2)
    try:
        conn.sendall(b"500 5.5.1 Command unrecognized\r\n")
    except OSError as e:
        print("send:", e, flush=True)
    conn.close()

mode = sys.argv[1]
if mode == "client-plain-smtp":
    client_plain_smtp(*sys.argv[2:4])
elif mode == "client-after-hello":
    client_after_hello(*sys.argv[2:5])
elif mode == "server-modbus":
    server_modbus(*sys.argv[2:4])
elif mode == "server-smtp-banner":
    server_smtp_banner(*sys.argv[2:4])
else:
    sys.exit("unknown mode " + mode)
PYEOF
}

# ------------------------------------------------ plaintext on TLS ports ---

# curl sends plaintext "GET / HTTP/1.1" to OpenSSL 3.0 s_server on 443: the
# server recognises an HTTP request ("http request"), sends no alert and
# closes (FIN).
scenario_plain_http_to_openssl() {
    proto_capture plain-http-to-openssl 443
    proto_s_server srv 443 -naccept 1
    proto_client curl curl -sS --max-time 5 http://127.0.0.1:443/
    stop_capture
}

# The same to nginx `listen 443 ssl`: nginx answers in plaintext, "HTTP/1.1
# 400 Bad Request" with "The plain HTTP request was sent to HTTPS port".
scenario_plain_http_to_nginx() {
    proto_capture plain-http-to-nginx 443
    proto_nginx nginx "
    server {
        listen 127.0.0.1:443 ssl;
        server_name good.example;
        ssl_certificate $CERT;
        ssl_certificate_key $KEY;
        location / { return 200 \"hello from nginx\n\"; }
    }"
    wait_listen 443 tcp "$PROTO_NS"
    proto_client curl curl -sS --max-time 5 http://127.0.0.1:443/
    stop_capture
}

# A plaintext SMTP client on the SMTPS port (465, implicit TLS): it waits
# 1 s for a greeting that never comes, sends "EHLO x"; s_server closes
# without an alert ("wrong version number").
scenario_plain_smtp_to_tls_port() {
    write_proto_peer
    proto_capture plain-smtp-to-tls-port 465
    proto_s_server srv 465 -naccept 1
    proto_client cli "$PY" "$TMP/proto-peer.py" client-plain-smtp 127.0.0.1 465
    stop_capture
}

# ------------------------------------------------ TLS on a plaintext port ---

# nginx speaking plain HTTP on 8080 (Wireshark's HTTP port): curl and
# gnutls-cli send ClientHellos; nginx answers "400 Bad Request" in
# plaintext and closes.
scenario_tls_to_plain_http() {
    proto_capture tls-to-plain-http 8080
    proto_nginx nginx "
    server {
        listen 127.0.0.1:8080;
        location / { return 200 \"plain http\n\"; }
    }"
    wait_listen 8080 tcp "$PROTO_NS"
    proto_client curl curl -sS --max-time 5 --cacert "$CA" \
        --resolve good.example:8080:127.0.0.1 https://good.example:8080/
    sleep 0.3
    proto_gnutls gnutls -p 8080 127.0.0.1
    stop_capture
}

# Python's http.server on port 80 (Wireshark's HTTP port): it reads a
# ClientHello as an HTTP/0.9 request and answers with an HTML error page,
# no status line, then closes. Wireshark's HTTP dissector holds both
# payloads for a header end that never comes: frame.protocols shows bare
# TCP. s_client, then gnutls-cli.
scenario_tls_to_python_http() {
    proto_capture tls-to-python-http 80
    proto_server http "$PY" -m http.server --bind 127.0.0.1 80
    wait_listen 80 tcp "$PROTO_NS"
    proto_client s_client openssl s_client -CAfile "$CA" -connect 127.0.0.1:80 -servername good.example
    sleep 0.3
    proto_gnutls gnutls -p 80 127.0.0.1
    stop_capture
}

# ------------------------------------------------------ unusable suites ---

# refused_suites NAME OPENSSL-CIPHERS GNUTLS-PRIORITY: a default OpenSSL 3.0
# s_server; s_client -tls1_2 with only OPENSSL-CIPHERS, then gnutls-cli
# with GNUTLS-PRIORITY.
refused_suites() {
    local name=$1 ciphers=$2 prio=$3
    proto_capture "$name" 443
    proto_s_server srv 443 -naccept 2
    proto_client s_client openssl s_client -CAfile "$CA" -connect 127.0.0.1:443 \
        -servername good.example -tls1_2 -cipher "$ciphers"
    sleep 0.3
    proto_gnutls gnutls -p 443 --priority "$prio" 127.0.0.1
    stop_capture
}

# Only NULL-encryption suites: s_client NULL-SHA256; gnutls-cli NULL-SHA256,
# RSA NULL-SHA, ECDHE-RSA NULL-SHA.
scenario_null_suites_refused() {
    refused_suites null-suites-refused 'NULL-SHA256:@SECLEVEL=0' \
        'NONE:+VERS-TLS1.2:+NULL:+SHA256:+SHA1:+RSA:+ECDHE-RSA:+COMP-NULL:+SIGN-ALL:+GROUP-ALL'
}

# Only anonymous (aNULL) suites: s_client ADH-AES128-GCM-SHA256; gnutls-cli
# ECDH_anon and DH_anon with AES-128.
scenario_anon_suites_refused() {
    refused_suites anon-suites-refused 'ADH-AES128-GCM-SHA256:@SECLEVEL=0' \
        'NONE:+VERS-TLS1.2:+AES-128-GCM:+AES-128-CBC:+AEAD:+SHA1:+SHA256:+ANON-ECDH:+ANON-DH:+COMP-NULL:+SIGN-ALL:+GROUP-ALL'
}

# OpenSSL 3.0 has neither RC4 nor export suites (no such cipher strings), so
# the client is gnutls-cli 3.7 offering only RC4 (TLS_RSA_ARCFOUR_128_SHA1,
# TLS_ECDHE_RSA_ARCFOUR_128_SHA1): first against s_server, then against
# gnutls-serv (default priorities).  GnuTLS has no export suites either.
scenario_rc4_suites_refused() {
    local prio='NONE:+VERS-TLS1.2:+ARCFOUR-128:+SHA1:+RSA:+ECDHE-RSA:+COMP-NULL:+SIGN-ALL:+GROUP-ALL'
    proto_capture rc4-suites-refused 443
    proto_s_server srv 443 -naccept 1
    proto_gnutls gnutls-1 -p 443 --priority "$prio" 127.0.0.1
    stop_servers
    sleep 0.3
    proto_server gnutls-serv gnutls-serv --port 443 --x509certfile "$CERT" --x509keyfile "$KEY"
    wait_listen 443 tcp "$PROTO_NS"
    proto_gnutls gnutls-2 -p 443 --priority "$prio" 127.0.0.1
    stop_capture
}

# TLS 1.3 client without TLS_AES_128_GCM_SHA256 (which RFC 8446 makes
# mandatory), server with only that suite: s_client TLS_AES_256_GCM_SHA384
# against s_server TLS_AES_128_GCM_SHA256, then gnutls-cli AES-256-GCM
# against gnutls-serv AES-128-GCM.  handshake_failure both times.
scenario_tls13_no_aes128gcm() {
    proto_capture tls13-no-aes128gcm 443
    proto_s_server srv 443 -naccept 1 -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256
    proto_client s_client openssl s_client -CAfile "$CA" -connect 127.0.0.1:443 \
        -servername good.example -tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384
    stop_servers
    sleep 0.3
    proto_server gnutls-serv gnutls-serv --port 443 --x509certfile "$CERT" --x509keyfile "$KEY" \
        --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM'
    wait_listen 443 tcp "$PROTO_NS"
    proto_gnutls gnutls -p 443 \
        --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-256-GCM' 127.0.0.1
    stop_capture
}

# --------------------------------------- odd records after the server flight ---

# A TLS 1.2 client (Python ssl's ClientHello) that answers the server's
# flight with a Heartbeat request record instead of its ClientKeyExchange
# (no heartbeat extension was negotiated; OpenSSL 3.0 has no heartbeat
# support at all): s_server answers fatal unexpected_message.
scenario_heartbeat_instead_of_cke() {
    write_proto_peer
    proto_capture heartbeat-instead-of-cke 443
    proto_s_server srv 443 -naccept 1
    proto_client cli "$PY" "$TMP/proto-peer.py" client-after-hello heartbeat 127.0.0.1 443
    stop_capture
}

# The same client, twice: a record of content type 0x63 (4 bytes) -> fatal
# unexpected_message; a handshake record header claiming 65535 bytes ->
# fatal record_overflow.
scenario_malformed_record_after_hello() {
    write_proto_peer
    proto_capture malformed-record-after-hello 443
    proto_s_server srv 443 -naccept 2
    proto_client cli-type "$PY" "$TMP/proto-peer.py" client-after-hello bad-type 127.0.0.1 443
    sleep 0.3
    proto_client cli-length "$PY" "$TMP/proto-peer.py" client-after-hello bad-length 127.0.0.1 443
    stop_capture
}

# ---------------------------------------------- non-TLS answers to a hello ---

# s_client speaks TLS to port 802 (Modbus/TCP Security, which Wireshark
# decodes as TLS); the device there speaks plain Modbus/TCP and answers the
# ClientHello with a 9-byte exception response, then closes.
scenario_modbus_reply_to_hello() {
    write_proto_peer
    proto_capture modbus-reply-to-hello 802
    proto_server peer "$PY" "$TMP/proto-peer.py" server-modbus 127.0.0.1 802
    wait_listen 802 tcp "$PROTO_NS"
    proto_client cli openssl s_client -connect 127.0.0.1:802 -servername plc.example
    proto_show peer
    stop_capture
}

# Implicit TLS (SMTPS, 465) to a plain SMTP server: the ClientHello comes
# first, the server's greeting ("220 mail.example ESMTP") 0.1 s later;
# s_client takes the greeting for a TLS record ("wrong version number") and
# closes (FIN, no alert); 0.2 s later the server answers the ClientHello with
# "500 5.5.1 Command unrecognized" and closes.
scenario_smtp_banner_to_hello() {
    write_proto_peer
    proto_capture smtp-banner-to-hello 465
    proto_server peer "$PY" "$TMP/proto-peer.py" server-smtp-banner 127.0.0.1 465
    wait_listen 465 tcp "$PROTO_NS"
    proto_client cli openssl s_client -connect 127.0.0.1:465 -servername mail.example
    proto_show peer
    stop_capture
}

# ------------------------------------------- OpenSSL 3.5, Go 1.24 (trixie) ---

# proto_chroot_setup: the trixie chroot with OpenSSL 3.5, aioquic and Go;
# our CA, certificate and key in $PROTO_ROOT$PROTO_DIR.
proto_chroot_setup() {
    local d
    PROTO_ROOT=$("$HERE/../tools/chroot.sh" "$PROTO_SUITE" openssl ca-certificates \
        python3-aioquic golang-go | tail -n1)
    d=$PROTO_ROOT$PROTO_DIR
    rm -rf "$d"; mkdir -p "$d"
    cp "$CA" "$CERT" "$KEY" "$d/"
}

# proto_chroot_done NAME: copy the key log the chroot's peer wrote (if it
# has any secret) to captures/NAME.keys; remove the chroot's copies.
proto_chroot_done() {
    local name=$1 keys=$PROTO_ROOT$PROTO_DIR/$1.keys
    rm -f "$OUT/$name.keys"
    if grep -q -E 'SECRET|CLIENT_RANDOM' "$keys" 2>/dev/null; then
        cp "$keys" "$OUT/$name.keys"
        chown --reference="$OUT" "$OUT/$name.keys"
        log "$name.keys: $(grep -c . "$keys") lines"
    fi
    rm -rf "${PROTO_ROOT:?}$PROTO_DIR"
}

# In the namespace, in the chroot, in $PROTO_DIR.
PROTO_RUN=("${PROTO_IN[@]}" "$HERE/../tools/chroot.sh" --run "$PROTO_SUITE"
    /usr/bin/env -C "$PROTO_DIR")

# OpenSSL 3.5 s_server (-rev) / s_client sending one line, in the chroot.
proto35_s_server() {
    local logname=$1; shift
    proto_server "$logname" "${PROTO_RUN[@]}" openssl s_server -cert server.pem \
        -key server.key -rev -accept 127.0.0.1:443 "$@"
    wait_listen 443 tcp "$PROTO_NS"
}
proto35_s_client_line() {
    local logname=$1; shift
    line_then_eof "hello from $logname" |
        timeout 10 "${PROTO_RUN[@]}" openssl s_client -CAfile ca.pem -connect 127.0.0.1:443 \
            -servername good.example "$@" >"$TMP/$logname.log" 2>&1 || true
    proto_show "$logname"
}

# The server accepts only X25519MLKEM768; the client (OpenSSL 3.5, groups
# X25519 then X25519MLKEM768) sends a key share for X25519 only ->
# HelloRetryRequest for X25519MLKEM768 -> second ClientHello with a 1216-byte
# ML-KEM key share -> success, one line each way.
scenario_mlkem_hello_retry() {
    proto_chroot_setup
    proto_capture mlkem-hello-retry 443
    proto35_s_server srv -naccept 1 -groups X25519MLKEM768
    proto35_s_client_line cli -groups X25519:X25519MLKEM768 -keylogfile mlkem-hello-retry.keys
    stop_capture
    proto_chroot_done mlkem-hello-retry
}

# RFC 8879 certificate compression: s_server -cert_comp (OpenSSL 3.5 is
# built with zlib and zstd, not brotli) pre-compresses its chain; s_client
# offers zlib and zstd; the server sends a CompressedCertificate (zlib).
# GnuTLS 3.8.9 in trixie cannot compress (its --compress-cert knows no
# method), so there is no second stack.
scenario_cert_compression() {
    proto_chroot_setup
    proto_capture cert-compression 443
    proto35_s_server srv -naccept 1 -cert_comp
    proto35_s_client_line cli -keylogfile cert-compression.keys
    stop_capture
    proto_chroot_done cert-compression
}

# ------------------------------------------------------- ECH (Go 1.24) ---

# Go 1.24's crypto/tls is the one stack in Debian (bookworm, trixie or sid)
# that speaks Encrypted Client Hello (client and server); none sends GREASE
# ECH (OpenSSL 3.5/3.6 and GnuTLS 3.8 have no ECH, sid's curl 8.23 says
# "the installed libcurl version does not support" --ech).

write_ech_peer() {
    mkdir -p "$PROTO_ROOT$PROTO_DIR/ech"
    cat >"$PROTO_ROOT$PROTO_DIR/ech/ech.go" <<'GOEOF'
// ECH peers for scenarios-protocol.sh (Go 1.24 crypto/tls, trixie chroot).
//
//	ech server ADDR CERT KEY KEYNAME [CONNECTIONS]
//	    CONNECTIONS (1) connections, one after the other; ECH with key
//	    KEYNAME ("a" or "b", also offered as retry config); echo a line, close
//	ech client ADDR CAFILE KEYNAME SNI KEYLOG [retry]
//	    ECH with the config of key KEYNAME, inner SNI SNI, outer SNI
//	    public.example; one line, read the answer, close.  With "retry", a
//	    rejection is followed by a second connection with the server's
//	    retry configs, as the ECH specification asks of a client
//
// Both sides derive the keys from their names, so they agree without files:
// X25519 private key = SHA-256("tlsdiag ech key " + name).  ECHConfig
// version 0xfe0d, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM.
package main

import (
	"bufio"
	"crypto/ecdh"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"time"
)

const publicName = "public.example"

func echKey(name string) (config, priv []byte) {
	seed := sha256.Sum256([]byte("tlsdiag ech key " + name))
	k, err := ecdh.X25519().NewPrivateKey(seed[:])
	if err != nil {
		panic(err)
	}
	id := byte(0x42)
	if name != "a" {
		id = 0x07
	}
	var c []byte
	c = append(c, id)                            // config_id
	c = binary.BigEndian.AppendUint16(c, 0x0020) // DHKEM(X25519, HKDF-SHA256)
	pub := k.PublicKey().Bytes()
	c = binary.BigEndian.AppendUint16(c, uint16(len(pub)))
	c = append(c, pub...)
	c = binary.BigEndian.AppendUint16(c, 4)      // cipher_suites length
	c = binary.BigEndian.AppendUint16(c, 0x0001) // HKDF-SHA256
	c = binary.BigEndian.AppendUint16(c, 0x0001) // AES-128-GCM
	c = append(c, 0)                             // maximum_name_length
	c = append(c, byte(len(publicName)))
	c = append(c, publicName...)
	c = binary.BigEndian.AppendUint16(c, 0) // extensions
	var cfg []byte
	cfg = binary.BigEndian.AppendUint16(cfg, 0xfe0d)
	cfg = binary.BigEndian.AppendUint16(cfg, uint16(len(c)))
	return append(cfg, c...), k.Bytes()
}

func configList(name string) []byte {
	cfg, _ := echKey(name)
	l := binary.BigEndian.AppendUint16(nil, uint16(len(cfg)))
	return append(l, cfg...)
}

func server(addr, certFile, keyFile, name string, conns int) error {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return err
	}
	cfg, priv := echKey(name)
	ln, err := tls.Listen("tcp", addr, &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS13,
		EncryptedClientHelloKeys: []tls.EncryptedClientHelloKey{
			{Config: cfg, PrivateKey: priv, SendAsRetry: true}},
	})
	if err != nil {
		return err
	}
	fmt.Println("listening")
	defer ln.Close()
	for i := 0; i < conns; i++ {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		if err := serve(c); err != nil {
			fmt.Println("connection:", err)
		}
	}
	return nil
}

func serve(c net.Conn) error {
	defer c.Close()
	tc := c.(*tls.Conn)
	tc.SetDeadline(time.Now().Add(10 * time.Second))
	if err := tc.Handshake(); err != nil {
		return fmt.Errorf("handshake: %w", err)
	}
	st := tc.ConnectionState()
	fmt.Printf("handshake ok, SNI %q, ECH accepted %v\n", st.ServerName, st.ECHAccepted)
	line, err := bufio.NewReader(tc).ReadString('\n')
	if err != nil {
		return err
	}
	fmt.Fprintf(tc, "echo: %s", line)
	return tc.CloseWrite()
}

func client(addr, caFile, name, sni, keylog string, retry bool) error {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	kl, err := os.Create(keylog)
	if err != nil {
		return err
	}
	defer kl.Close()
	d := net.Dialer{Timeout: 5 * time.Second}
	config := &tls.Config{
		RootCAs:                        roots,
		ServerName:                     sni,
		MinVersion:                     tls.VersionTLS13,
		EncryptedClientHelloConfigList: configList(name),
		KeyLogWriter:                   kl,
	}
	c, err := tls.DialWithDialer(&d, "tcp", addr, config)
	if err != nil {
		var rej *tls.ECHRejectionError
		if !errors.As(err, &rej) {
			return err
		}
		fmt.Printf("ECH rejected, %d bytes of retry configs\n", len(rej.RetryConfigList))
		if !retry || len(rej.RetryConfigList) == 0 {
			return err
		}
		config.EncryptedClientHelloConfigList = rej.RetryConfigList
		time.Sleep(100 * time.Millisecond)
		if c, err = tls.DialWithDialer(&d, "tcp", addr, config); err != nil {
			return err
		}
	}
	defer c.Close()
	fmt.Printf("handshake ok, ECH accepted %v\n", c.ConnectionState().ECHAccepted)
	c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(c, "hello over ECH\n")
	line, err := bufio.NewReader(c).ReadString('\n')
	fmt.Printf("read %q %v\n", line, err)
	return nil
}

func main() {
	var err error
	a := os.Args
	switch {
	case len(a) == 6 && a[1] == "server":
		err = server(a[2], a[3], a[4], a[5], 1)
	case len(a) == 7 && a[1] == "server" && (a[6] == "1" || a[6] == "2"):
		err = server(a[2], a[3], a[4], a[5], int(a[6][0]-'0'))
	case (len(a) == 7 || len(a) == 8 && a[7] == "retry") && a[1] == "client":
		err = client(a[2], a[3], a[4], a[5], a[6], len(a) == 8)
	default:
		err = errors.New("usage: ech server ADDR CERT KEY KEYNAME [1|2] | ech client ADDR CAFILE KEYNAME SNI KEYLOG [retry]")
	}
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
}
GOEOF
    # Standard library only, offline; the build cache stays in the chroot.
    "$HERE/../tools/chroot.sh" --run "$PROTO_SUITE" /usr/bin/env -C "$PROTO_DIR/ech" \
        GOCACHE=/var/cache/tlsdiag-go-build GOPATH="$PROTO_DIR/ech/gopath" GOPROXY=off \
        GO111MODULE=off GOFLAGS= GOENV=off GOTOOLCHAIN=local go build -o ech ech.go
}

# ech_setup: chroot, the Go peer, and a certificate valid for both the inner
# name (good.example) and the ECH public name (public.example), so that a
# rejected ECH ends with ech_required, not with a certificate error.
ech_setup() {
    local d
    proto_chroot_setup
    write_ech_peer
    d=$PROTO_ROOT$PROTO_DIR
    openssl req -newkey rsa:2048 -sha256 -nodes -keyout "$d/ech.key" -out "$d/ech.csr" \
        -subj "/CN=good.example" 2>/dev/null
    printf '%s\n' "subjectAltName=DNS:good.example,DNS:public.example" \
        "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
        "extendedKeyUsage=serverAuth" >"$d/ech.ext"
    openssl x509 -req -in "$d/ech.csr" -CA "$CA" -CAkey "$TMP/pki/ca.key" -CAcreateserial \
        -CAserial "$d/ca.srl" -sha256 -days 3650 -extfile "$d/ech.ext" -out "$d/ech.pem" 2>/dev/null
}

ech_server() {   # ech_server KEYNAME [CONNECTIONS]
    proto_server srv "${PROTO_RUN[@]}" ech/ech server 127.0.0.1:443 ech.pem ech.key "$@"
    wait_listen 443 tcp "$PROTO_NS"
}
ech_client() {   # ech_client NAME KEYNAME [retry]
    proto_client cli "${PROTO_RUN[@]}" ech/ech client 127.0.0.1:443 ca.pem "$2" good.example "$1.keys" \
        ${3:+"$3"}
}

# Go client and Go server with the same ECH key: accepted.  The outer
# ClientHello says public.example; the key log has the secrets of the inner
# handshake, logged under the inner ClientHello's random, which is not on
# the wire.
scenario_ech_accepted() {
    ech_setup
    proto_capture ech-accepted 443
    ech_server a
    ech_client ech-accepted a
    proto_show srv
    stop_capture
    proto_chroot_done ech-accepted
}

# The client has the config of key a, the server only key b: the server
# decrypts nothing, completes the handshake with the outer ClientHello
# (public.example) and puts its key b config in retry_configs
# (EncryptedExtensions); the client verifies the certificate for
# public.example, sends its Finished and then a fatal ech_required (121).
scenario_ech_rejected_retry_configs() {
    ech_setup
    proto_capture ech-rejected-retry-configs 443
    ech_server b
    ech_client ech-rejected-retry-configs a
    proto_show srv
    stop_capture
    proto_chroot_done ech-rejected-retry-configs
}

# The same client against OpenSSL 3.0 s_server, which knows no ECH and
# ignores the extension: no retry_configs, the same ech_required after the
# client's Finished; s_server has already sent its session tickets.
scenario_ech_rejected_no_ech_server() {
    ech_setup
    proto_capture ech-rejected-no-ech-server 443
    proto_server srv openssl s_server -cert "$PROTO_ROOT$PROTO_DIR/ech.pem" \
        -key "$PROTO_ROOT$PROTO_DIR/ech.key" -rev -accept 127.0.0.1:443 -naccept 1
    wait_listen 443 tcp "$PROTO_NS"
    ech_client ech-rejected-no-ech-server a
    stop_capture
    proto_chroot_done ech-rejected-no-ech-server
}

# As ech-rejected-retry-configs, but the client does what the ECH specification asks: it
# connects again at once with the retry configs it got (key b), and that
# second handshake is accepted.  Two connections from one client: a
# rejection, then a recovery.
scenario_ech_rejected_then_retry() {
    ech_setup
    proto_capture ech-rejected-then-retry 443
    ech_server b 2
    ech_client ech-rejected-then-retry a retry
    proto_show srv
    stop_capture
    proto_chroot_done ech-rejected-then-retry
}

# ------------------------------------------------- QUIC closes (aioquic) ---

write_quic_close_peer() {
    cat >"$PROTO_ROOT$PROTO_DIR/quic-close-peer.py" <<'PYEOF'
"""aioquic peers that close a QUIC connection during its handshake with
NO_ERROR or an application error instead of a crypto error.

  quic-close-peer.py server PORT CERT KEY ALPN MODE
  quic-close-peer.py client PORT CAFILE ALPN KEYLOG MODE

The server closes as soon as it has processed the ClientHello, before it
sends anything else; the client closes as soon as it has processed the
server's EncryptedExtensions (ALPN negotiated), before its Finished.
  MODE no-error: transport CONNECTION_CLOSE (0x1c), NO_ERROR, with a reason;
  MODE app-error: application close, code 0x107 (H3_EXCESSIVE_LOAD), with a
      reason; aioquic sends it as 0x1c APPLICATION_ERROR without the reason
      in Initial and Handshake packets and as 0x1d with code and reason in
      a 1-RTT packet (RFC 9000 section 10.2.3).
aioquic sends the close in every packet number space it has keys for.
"""
import asyncio, ssl, sys

from aioquic.asyncio import connect, serve
from aioquic.asyncio.protocol import QuicConnectionProtocol
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.events import ProtocolNegotiated

REASONS = {"server": "server shutting down", "client": "user cancelled"}


def closer(side, mode):
    class Closer(QuicConnectionProtocol):
        def quic_event_received(self, event):
            if isinstance(event, ProtocolNegotiated):
                if mode == "no-error":
                    self._quic.close(error_code=0x0, frame_type=0x0,
                                     reason_phrase=REASONS[side])
                else:
                    self._quic.close(error_code=0x107, reason_phrase="too busy, try later")
                print("closing:", mode, flush=True)
    return Closer


async def server(port, cert, key, alpn, mode):
    cfg = QuicConfiguration(is_client=False, alpn_protocols=alpn.split(","))
    cfg.load_cert_chain(cert, key)
    await serve("127.0.0.1", int(port), configuration=cfg,
                create_protocol=closer("server", mode))
    print("listening", flush=True)
    await asyncio.Future()          # until killed


async def client(port, cafile, alpn, keylog, mode):
    with open(keylog, "w", buffering=1) as log:
        cfg = QuicConfiguration(is_client=True, alpn_protocols=alpn.split(","),
                                server_name="good.example", secrets_log_file=log,
                                verify_mode=ssl.CERT_REQUIRED)
        cfg.load_verify_locations(cafile)
        try:
            async with connect("127.0.0.1", int(port), configuration=cfg,
                               create_protocol=closer("client", mode)):
                print("connected (unexpected)", flush=True)
        except ConnectionError as exc:
            print("connection closed:", repr(exc), flush=True)


if sys.argv[1] == "server":
    asyncio.run(server(*sys.argv[2:7]))
elif sys.argv[1] == "client":
    asyncio.run(client(*sys.argv[2:7]))
else:
    sys.exit("unknown mode " + sys.argv[1])
PYEOF
}

# quic_close SCENARIO SIDE MODE: SIDE closes, MODE says how.  The other side
# is scenarios-quic.sh's aioquic peer (quic_peer writes it), ALPN h3.  UDP
# 443 in the namespace (Wireshark decodes QUIC there by port).
quic_close() {
    local name=$1 side=$2 mode=$3
    proto_chroot_setup
    write_quic_close_peer
    quic_peer
    cp "$TMP/quic-peer.py" "$PROTO_ROOT$PROTO_DIR/"
    proto_capture "$name" "udp port 443"
    if [[ $side == server ]]; then
        proto_server srv "${PROTO_RUN[@]}" python3 quic-close-peer.py server 443 \
            server.pem server.key h3 "$mode"
        wait_listen 443 udp "$PROTO_NS"
        proto_client cli "${PROTO_RUN[@]}" python3 quic-peer.py client 443 ca.pem h3 "$name.keys"
    else
        proto_server srv "${PROTO_RUN[@]}" python3 quic-peer.py server 443 \
            server.pem server.key h3
        wait_listen 443 udp "$PROTO_NS"
        proto_client cli "${PROTO_RUN[@]}" python3 quic-close-peer.py client 443 ca.pem h3 \
            "$name.keys" "$mode"
    fi
    proto_show srv
    stop_capture
    proto_chroot_done "$name"
}

# The server closes right after the ClientHello: one datagram with an
# Initial CONNECTION_CLOSE NO_ERROR "server shutting down" (readable without
# keys) coalesced with the same close in Handshake and 1-RTT packets, which
# the client cannot decrypt (it never got a ServerHello).  No key log: the
# client derived no secret.
scenario_quic_close_no_error_during_handshake() {
    quic_close quic-close-no-error-during-handshake server no-error
}

# The same with an application close (0x107, "too busy, try later"): the
# Initial packet says only APPLICATION_ERROR (0xc), no reason.
scenario_quic_close_app_error_during_handshake() {
    quic_close quic-close-app-error-during-handshake server app-error
}

# The client closes after the server's flight instead of sending its
# Finished: CONNECTION_CLOSE NO_ERROR "user cancelled" in an Initial
# (readable) and a Handshake packet (readable with the key log).
scenario_quic_client_close_during_handshake() {
    quic_close quic-client-close-during-handshake client no-error
}

# -------------------------------------------- two targets behind one proxy ---

PX_PORT=3128

# px_gnutls LOGNAME TARGET GNUTLS-ARGS...: gnutls-cli -s in the namespace
# (stdin on a fifo) to the proxy: the CONNECT TARGET typed in plaintext,
# once the 200 is in its log SIGALRM starts TLS, then EOF.  Each wait is
# bounded (5 s).
px_gnutls() {
    local logname=$1 target=$2 fifo=$TMP/$1.fifo log=$TMP/$1.log fd tpid cpid; shift 2
    rm -f "$fifo"; mkfifo "$fifo"
    timeout 10 "${PROTO_IN[@]}" gnutls-cli -s --x509cafile="$CA" -p "$PX_PORT" \
        --sni-hostname=good.example --verify-hostname=good.example "$@" 127.0.0.1 \
        <"$fifo" >"$log" 2>&1 &
    tpid=$!
    exec {fd}>"$fifo"
    printf 'CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n' "$target" "$target" >&"$fd"
    for _ in $(seq 100); do grep -q '^HTTP/1\.1 200 ' "$log" && break; sleep 0.05; done
    cpid=$(pgrep -P "$tpid" || true)       # gnutls-cli (ip netns exec execs it)
    [[ -n $cpid ]] && kill -ALRM "$cpid"
    for _ in $(seq 100); do kill -0 "$tpid" 2>/dev/null || break; sleep 0.05; done
    exec {fd}>&-
    wait "$tpid" || true
    proto_show "$logname"
}

# One HTTP CONNECT proxy (scenarios-healthy.sh's Python peer, proxy mode, on
# 127.0.0.1:3128, resolving good.example to 127.0.0.1; only the clients'
# leg is captured) in front of two servers that differ: target A, CONNECT
# good.example:9443, s_server TLS 1.2 only with ECDHE-RSA-AES128-GCM-SHA256
# only; target B, CONNECT good.example:9444, s_server -groups P-384 (TLS
# 1.2-1.3).  All three clients send SNI good.example, so only the CONNECT
# target tells the servers apart.  s_client -proxy to A succeeds (TLS 1.2,
# that suite; one line each way; key log); s_client -groups X25519 with
# TLS 1.2 suites that leave A's out, and gnutls-cli -s with only
# GROUP-X25519 and no ECDHE-RSA, to B: fatal handshake_failure from the
# server, for the group.  What A chose is no evidence about B.
scenario_proxy_targets_apart() {
    local name=proxy-targets-apart keys
    write_healthy_peer
    keys=$(keylog_path "$name")
    proto_capture "$name" "tcp port $PX_PORT"
    proto_s_server srv-a 9443 -naccept 1 -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
    proto_s_server srv-b 9444 -naccept 2 -groups P-384
    proto_server proxy "${HPEER[@]}" proxy 127.0.0.1 "$PX_PORT" 3 good.example=127.0.0.1
    wait_listen "$PX_PORT" tcp "$PROTO_NS"
    line_then_eof "hello from cli-a" |
        timeout 10 "${PROTO_IN[@]}" openssl s_client -CAfile "$CA" -proxy "127.0.0.1:$PX_PORT" \
            -connect good.example:9443 -servername good.example -keylogfile "$keys" \
            >"$TMP/cli-a.log" 2>&1 || true
    proto_show cli-a
    sleep 0.3
    proto_client cli-b-openssl openssl s_client -CAfile "$CA" -proxy "127.0.0.1:$PX_PORT" \
        -connect good.example:9444 -servername good.example -groups X25519 -cipher ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384
    sleep 0.3
    px_gnutls cli-b-gnutls good.example:9444 --priority 'NORMAL:-GROUP-ALL:+GROUP-X25519:-ECDHE-RSA'
    sleep 0.3
    grep -a ' done: ' "$TMP/proxy.log" | sed 's/^/    proxy: /' || true
    stop_capture
    proto_keys_done "$name"
}

ALL+=(
    plain-http-to-openssl plain-http-to-nginx plain-smtp-to-tls-port
    tls-to-plain-http tls-to-python-http
    null-suites-refused anon-suites-refused rc4-suites-refused tls13-no-aes128gcm
    heartbeat-instead-of-cke malformed-record-after-hello
    modbus-reply-to-hello smtp-banner-to-hello
    mlkem-hello-retry cert-compression
    ech-accepted ech-rejected-retry-configs ech-rejected-no-ech-server ech-rejected-then-retry
    quic-close-no-error-during-handshake quic-close-app-error-during-handshake
    quic-client-close-during-handshake
    proxy-targets-apart
)

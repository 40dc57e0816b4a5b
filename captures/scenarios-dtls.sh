# shellcheck shell=bash
# Sourced by make-captures.sh: DTLS handshakes over UDP (issue 18).
#
# OpenSSL 3.0 (s_server / s_client -dtls1_2, -dtls1) and GnuTLS 3.7
# (gnutls-serv / gnutls-cli --udp) on 127.0.0.1, UDP port 4444, which
# Wireshark 4.0 finds with its DTLS heuristic dissector.  Neither stack
# here speaks DTLS 1.3 (OpenSSL 3.0 has none; GnuTLS 3.7 lists DTLS 0.9,
# 1.0 and 1.2 only), so every capture is DTLS 1.0 or 1.2.  The capture
# filter adds ICMP for the port-unreachable answer.  Clients write
# captures/NAME.keys where they derive secrets (s_client -keylogfile, GnuTLS
# SSLKEYLOGFILE); Wireshark reads them for DTLS too (tls.keylog_file).
#
#   sudo captures/make-captures.sh dtls12-ok-openssl

DTLS_PORT=4444
DTLS_FILTER="udp port $DTLS_PORT or icmp"

# dtls_begin NAME: the port must be free (the silent and unreachable
# scenarios depend on it), then capture.
dtls_begin() {
    if ss -Hlun "sport = :$DTLS_PORT" | grep -q .; then
        echo "make-captures.sh: udp port $DTLS_PORT is already in use" >&2; exit 1
    fi
    rm -f "$OUT/$1.keys"
    start_capture "$1" "$DTLS_FILTER"
}

# dtls_end NAME: stop the capture; keep the key log if secrets were derived
# (OpenSSL writes a comment line even when none are).
dtls_end() {
    local keys=$OUT/$1.keys
    stop_capture
    if grep -q '^CLIENT_RANDOM ' "$keys" 2>/dev/null; then
        chown --reference="$OUT" "$keys"
        log "$1.keys: $(wc -l <"$keys") lines"
    else
        rm -f "$keys"
        log "$1: no secrets were derived, no key log"
    fi
}

# dtls_s_server ARGS...: s_server on UDP with the good.example certificate;
# stdin stays open 4 s (at EOF s_server would end the session at once).
# OpenSSL's s_server always asks for a cookie (HelloVerifyRequest).
dtls_s_server() {
    bg_server srv sh -c 'sleep 4 | exec openssl s_server "$@"' sh \
        -accept 127.0.0.1:$DTLS_PORT -cert "$CERT" -key "$KEY" -naccept 1 "$@"
    wait_listen "$DTLS_PORT" udp
}

# dtls_gnutls_serv ARGS...: gnutls-serv --udp --echo (binds the wildcard
# address); it asks for a cookie unless given --nocookie.
dtls_gnutls_serv() {
    bg_server srv gnutls-serv --udp --echo -p "$DTLS_PORT" --x509certfile "$CERT" \
        --x509keyfile "$KEY" "$@"
    wait_listen "$DTLS_PORT" udp
}

dtls_one_line() { line_then_eof "hello over dtls"; }

# The port the clients send to: the server's, or DTLS_RELAY_PORT's relay.
dtls_client_port() { echo "${DTLS_CLIENT_PORT:-$DTLS_PORT}"; }

# dtls_relay: a UDP relay on 127.0.0.1:$DTLS_RELAY_PORT that sends every
# client's datagrams on to the server from one address and port,
# 127.0.0.2:$DTLS_RELAY_SOURCE, and the server's back to the client that
# spoke last: as a NAT that keeps its mapping, or a device bound to its
# port, the associations that follow each other come from the same address
# and port. Only the relay's side towards the server is captured.
DTLS_RELAY_PORT=4443
DTLS_RELAY_SOURCE=5684
dtls_relay() {
    bg_server relay "$PY" -c 'import select, socket, sys, time
listen = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
listen.bind(("127.0.0.1", int(sys.argv[1])))
up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
up.bind(("127.0.0.2", int(sys.argv[2])))
up.connect(("127.0.0.1", int(sys.argv[3])))
client, end = None, time.monotonic() + 18
while time.monotonic() < end:
    for s in select.select([listen, up], [], [], 0.2)[0]:
        try:
            if s is listen:
                data, client = listen.recvfrom(65535)
                up.send(data)
            elif client:
                listen.sendto(up.recv(65535), client)
        except ConnectionRefusedError:
            pass' "$DTLS_RELAY_PORT" "$DTLS_RELAY_SOURCE" "$DTLS_PORT"
    wait_listen "$DTLS_RELAY_PORT" udp
}

# A client that is killed (DTLS_KILL=SECONDS: SIGKILL after that long, so
# no close_notify) holds its input open until then.
dtls_hold() { sleep "$((${DTLS_KILL%.*} + 1))"; }

# dtls_s_client NAME CAFILE ARGS...: s_client over UDP verifying
# good.example against CAFILE; one line, then EOF (close_notify), or what
# the function named in DTLS_INPUT writes.
dtls_s_client() {
    local name=$1 ca=$2; shift 2
    # (2>/dev/null: the shell's "Killed" notice when DTLS_KILL kills it.)
    { "${DTLS_INPUT:-dtls_one_line}" |
        timeout ${DTLS_KILL:+-s KILL} "${DTLS_KILL:-10}" openssl s_client \
            -connect 127.0.0.1:"$(dtls_client_port)" -servername good.example \
            -CAfile "$ca" -verify_return_error -verify_hostname good.example \
            -keylogfile "$OUT/$name.keys" "$@" >"$TMP/$name-cli.log" 2>&1; } 2>/dev/null || true
    grep -E '^(New, |.*SSL routines)' "$TMP/$name-cli.log" | sed 's/^/    client: /' || true
}

# dtls_gnutls_cli NAME CAFILE ARGS...: gnutls-cli --udp verifying
# good.example against CAFILE; one line, then EOF.
dtls_gnutls_cli() {
    local name=$1 ca=$2; shift 2
    { "${DTLS_INPUT:-dtls_one_line}" |
        SSLKEYLOGFILE=$OUT/$name.keys timeout ${DTLS_KILL:+-s KILL} "${DTLS_KILL:-10}" \
            gnutls-cli --udp -p "$(dtls_client_port)" --x509cafile="$ca" \
            --sni-hostname=good.example --verify-hostname=good.example "$@" 127.0.0.1 \
            >"$TMP/$name-cli.log" 2>&1; } 2>/dev/null || true
    grep -E '^(- Handshake was completed|\*\*\* )' "$TMP/$name-cli.log" | sed 's/^/    client: /' || true
}

# OpenSSL both sides, DTLS 1.2: ClientHello, HelloVerifyRequest (cookie),
# ClientHello with the cookie, the server's flight with the certificate in
# fragments (OpenSSL's default DTLS MTU on loopback), one line, close_notify
# each way (encrypted alerts).
scenario_dtls12_ok_openssl() {
    dtls_begin dtls12-ok-openssl
    dtls_s_server -dtls1_2
    dtls_s_client dtls12-ok-openssl "$CA" -dtls1_2
    dtls_end dtls12-ok-openssl
}

# GnuTLS both sides, DTLS 1.2, the server told not to ask for a cookie:
# the first ClientHello is answered by the ServerHello.  gnutls-serv asks for
# a client certificate (optional); the client sends an empty one.
scenario_dtls12_ok_gnutls() {
    dtls_begin dtls12-ok-gnutls
    dtls_gnutls_serv --nocookie
    dtls_gnutls_cli dtls12-ok-gnutls "$CA"
    dtls_end dtls12-ok-gnutls
}

# The same with gnutls-serv's default cookie exchange (HelloVerifyRequest,
# then the second ClientHello carries the cookie).
scenario_dtls12_cookie_gnutls() {
    dtls_begin dtls12-cookie-gnutls
    dtls_gnutls_serv
    dtls_gnutls_cli dtls12-cookie-gnutls "$CA"
    dtls_end dtls12-cookie-gnutls
}

# The client offers DTLS 1.0 only (SECLEVEL 0: OpenSSL 3.0 refuses DTLS 1.0
# otherwise), the server DTLS 1.2 only: after the cookie exchange the server
# answers the second ClientHello with fatal alert 70 protocol_version.
scenario_dtls_version_mismatch() {
    dtls_begin dtls-version-mismatch
    dtls_s_server -dtls1_2
    dtls_s_client dtls-version-mismatch "$CA" -dtls1 -cipher 'DEFAULT:@SECLEVEL=0'
    dtls_end dtls-version-mismatch
}

# A ClientHello in fragments: a link MTU of 256 bytes (OpenSSL's least), 200 for GnuTLS, makes each client
# send its hello in several datagrams (Wireshark reassembles it in the frame
# of the last), and the servers' flights in fragments too. OpenSSL both sides
# (with the cookie exchange), then GnuTLS both sides (no cookie).
scenario_dtls12_hello_fragments_openssl() {
    dtls_begin dtls12-hello-fragments-openssl
    dtls_s_server -dtls1_2
    dtls_s_client dtls12-hello-fragments-openssl "$CA" -dtls1_2 -mtu 256
    dtls_end dtls12-hello-fragments-openssl
}

scenario_dtls12_hello_fragments_gnutls() {
    dtls_begin dtls12-hello-fragments-gnutls
    dtls_gnutls_serv --nocookie --mtu=200
    dtls_gnutls_cli dtls12-hello-fragments-gnutls "$CA" --mtu=200
    dtls_end dtls12-hello-fragments-gnutls
}

# s_client trusts only an unrelated CA: after the server's flight it sends
# fatal alert 48 unknown_ca (plaintext: before its ChangeCipherSpec).
scenario_dtls12_cert_untrusted_openssl() {
    make_other_ca
    dtls_begin dtls12-cert-untrusted-openssl
    dtls_s_server -dtls1_2
    dtls_s_client dtls12-cert-untrusted-openssl "$TMP/pki/other-ca.pem" -dtls1_2
    dtls_end dtls12-cert-untrusted-openssl
}

# The same with gnutls-cli against gnutls-serv (no cookie): GnuTLS says
# bad_certificate (42).
scenario_dtls12_cert_untrusted_gnutls() {
    make_other_ca
    dtls_begin dtls12-cert-untrusted-gnutls
    dtls_gnutls_serv --nocookie
    dtls_gnutls_cli dtls12-cert-untrusted-gnutls "$TMP/pki/other-ca.pem"
    dtls_end dtls12-cert-untrusted-gnutls
}

# A UDP socket bound to the port that never reads: s_client repeats its
# ClientHello on its timer (1 s, doubling) until timeout kills it at 10 s;
# no answer, no ICMP.
scenario_dtls_silent_server() {
    dtls_begin dtls-silent-server
    bg_server silent "$PY" -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", '"$DTLS_PORT"'))
time.sleep(15)'
    wait_listen "$DTLS_PORT" udp
    dtls_s_client dtls-silent-server "$CA" -dtls1_2
    dtls_end dtls-silent-server
}

# Nothing listens on the port: the kernel answers the ClientHello with ICMP
# port unreachable, and s_client gives up at once (ECONNREFUSED).
scenario_dtls_port_unreachable() {
    dtls_begin dtls-port-unreachable
    dtls_s_client dtls-port-unreachable "$CA" -dtls1_2
    dtls_end dtls-port-unreachable
}

# The same with gnutls-cli, whose DTLS client gives up on the ICMP error too.
scenario_dtls_port_unreachable_gnutls() {
    dtls_begin dtls-port-unreachable-gnutls
    dtls_gnutls_cli dtls-port-unreachable-gnutls "$CA"
    dtls_end dtls-port-unreachable-gnutls
}

# s_client's input for a renegotiation: a line, R (renegotiate), a line, EOF.
dtls_renegotiate() {
    sleep 0.3; echo "before renegotiation"; sleep 0.5; echo R; sleep 1; echo "after renegotiation"; sleep 0.7
}

# The healthy corpus's DTLS: two DTLS 1.2 associations that renegotiate,
# one per stack. s_client sends a line, renegotiates (its R command)
# against s_server -client_renegotiation, then sends another line;
# gnutls-cli --rehandshake renegotiates right after its handshake against
# gnutls-serv, then sends a line the server echoes. Each ends with
# close_notify. Both renegotiations are checked in the peers' logs.
scenario_healthy_dtls_renegotiation() {
    local name=healthy-dtls-renegotiation
    dtls_begin $name
    bg_server ossl-srv sh -c 'sleep 6 | exec openssl s_server "$@"' sh \
        -accept 127.0.0.1:$DTLS_PORT -cert "$CERT" -key "$KEY" -naccept 1 -dtls1_2 -client_renegotiation
    wait_listen "$DTLS_PORT" udp
    DTLS_INPUT=dtls_renegotiate dtls_s_client $name "$CA" -dtls1_2
    stop_servers
    log_expect $name-cli '^New, TLSv1\.2'
    log_expect $name-cli '^RENEGOTIATING'
    log_expect ossl-srv '^after renegotiation'
    wait_free "$DTLS_PORT" udp
    dtls_gnutls_serv
    dtls_gnutls_cli $name "$CA" --rehandshake
    stop_servers
    dtls_end $name
    log_expect $name-cli '^- ReHandshake was completed'
    log_expect $name-cli '^hello over dtls'
}

# Two associations from the same address and port (through dtls_relay), one
# after the other: the first established (a line, close_notify), the second
# a new ClientHello (epoch 0) with a client that trusts only an unrelated
# CA, so it fails on the certificate. OpenSSL both sides (s_server takes
# the second association after the first one's close_notify), then GnuTLS.
dtls_same_port() {
    local name=$1 start=$2 connect=$3
    make_other_ca
    dtls_begin "$name"
    "$start"
    dtls_relay
    DTLS_CLIENT_PORT=$DTLS_RELAY_PORT "$connect" "$name" "$CA"
    mv "$TMP/$name-cli.log" "$TMP/$name-cli1.log"
    sleep 0.5
    DTLS_CLIENT_PORT=$DTLS_RELAY_PORT "$connect" "$name" "$TMP/pki/other-ca.pem"
    dtls_end "$name"
}
dtls_same_port_s_server() {
    bg_server srv sh -c 'sleep 6 | exec openssl s_server "$@"' sh \
        -accept 127.0.0.1:$DTLS_PORT -cert "$CERT" -key "$KEY" -naccept 2 -dtls1_2
    wait_listen "$DTLS_PORT" udp
}
dtls_same_port_s_client() { dtls_s_client "$@" -dtls1_2; }
dtls_same_port_gnutls_serv() { dtls_gnutls_serv --nocookie; }

scenario_dtls_same_port_openssl() {
    dtls_same_port dtls-same-port-openssl dtls_same_port_s_server dtls_same_port_s_client
    log_expect dtls-same-port-openssl-cli1 '^New, TLSv1\.2'
    log_expect dtls-same-port-openssl-cli 'certificate verify failed|unable to get local issuer'
}

scenario_dtls_same_port_gnutls() {
    dtls_same_port dtls-same-port-gnutls dtls_same_port_gnutls_serv dtls_gnutls_cli
    log_expect dtls-same-port-gnutls-cli1 '^- Handshake was completed'
    log_expect dtls-same-port-gnutls-cli 'not trusted|issuer is unknown|Error in the certificate'
}

# A client killed after its handshake (no close_notify: a reboot, a crash),
# then a new one from the same address and port (through dtls_relay): the
# server still holds the first association and ignores the new ClientHello,
# which the client sends again on its timer until it is killed too (5 s).
# OpenSSL both sides, then GnuTLS.
dtls_stale() {
    local name=$1 start=$2 connect=$3
    dtls_begin "$name"
    "$start"
    dtls_relay
    DTLS_CLIENT_PORT=$DTLS_RELAY_PORT DTLS_INPUT=dtls_hold DTLS_KILL=1.5 "$connect" "$name" "$CA"
    mv "$TMP/$name-cli.log" "$TMP/$name-cli1.log"
    sleep 1
    DTLS_CLIENT_PORT=$DTLS_RELAY_PORT DTLS_INPUT=dtls_hold DTLS_KILL=5 "$connect" "$name" "$CA"
    dtls_end "$name"
}

# s_server keeps its stdin open (at EOF it would end the association) for
# the whole scenario.
dtls_stale_s_server() {
    bg_server srv sh -c 'sleep 12 | exec openssl s_server "$@"' sh \
        -accept 127.0.0.1:$DTLS_PORT -cert "$CERT" -key "$KEY" -naccept 2 -dtls1_2
    wait_listen "$DTLS_PORT" udp
}

scenario_dtls_stale_association_openssl() {
    dtls_stale dtls-stale-association-openssl dtls_stale_s_server dtls_same_port_s_client
    log_expect dtls-stale-association-openssl-cli1 '^New, TLSv1\.2'
}

scenario_dtls_stale_association_gnutls() {
    dtls_stale dtls-stale-association-gnutls dtls_same_port_gnutls_serv dtls_gnutls_cli
    log_expect dtls-stale-association-gnutls-cli1 '^- Handshake was completed'
}

# dtls_twice NAME CONNECT REGEX: two associations through dtls_relay, one
# after the other, each checked in the client's log.
dtls_twice() {
    local name=$1 connect=$2 regex=$3
    for _ in 1 2; do
        DTLS_CLIENT_PORT=$DTLS_RELAY_PORT "$connect" "$name" "$CA"
        log_expect "$name-cli" "$regex"
        sleep 0.5
    done
}

# The healthy corpus's: four associations from one address and port, each
# established (s_client twice against s_server, then gnutls-cli twice
# against gnutls-serv), each ending with close_notify.
scenario_healthy_dtls_same_port() {
    local name=healthy-dtls-same-port
    dtls_begin $name
    dtls_same_port_s_server
    dtls_relay
    dtls_twice $name dtls_same_port_s_client '^New, TLSv1\.2'
    stop_servers
    wait_free "$DTLS_PORT" udp
    wait_free "$DTLS_RELAY_PORT" udp
    dtls_gnutls_serv --nocookie
    dtls_relay
    dtls_twice $name dtls_gnutls_cli '^- Handshake was completed'
    dtls_end $name
}

ALL+=(
    dtls12-ok-openssl dtls12-ok-gnutls dtls12-cookie-gnutls dtls-version-mismatch
    dtls12-cert-untrusted-openssl dtls12-cert-untrusted-gnutls dtls-silent-server
    dtls-port-unreachable dtls-port-unreachable-gnutls
    dtls12-hello-fragments-openssl dtls12-hello-fragments-gnutls
    healthy-dtls-renegotiation dtls-same-port-openssl dtls-same-port-gnutls healthy-dtls-same-port
    dtls-stale-association-openssl dtls-stale-association-gnutls
)

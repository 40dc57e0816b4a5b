# shellcheck shell=bash
# Scenarios with small TLS stacks of embedded and appliance use for
# make-captures.sh (sourced by it; uses its helpers and those of
# scenarios-healthy.sh):
# lighttpd 1.4.69 with mod_mbedtls (mbedTLS 2.28: TLS 1.2 only) and with
# mod_wolfssl (wolfSSL 5.5), and Botan 2.19's command line tools (botan
# tls_server, botan tls_client: TLS 1.2 only), all from Debian 12.
#
# lighttpd runs in the foreground (-D) with a config written to
# $TMP/embedded for each server; it binds 127.0.0.1 only and logs to
# $TMP/LOGNAME-error.log.  mod_mbedtls takes mbedTLS suite names
# ("Ciphersuites"), mod_wolfssl OpenSSL-style ones ("CipherString").
# mod_wolfssl without ssl.ca-file closes the connection, without an alert,
# on a ClientHello with status_request (GnuTLS's and Botan's, s_client
# -status: "-188 certificate verify failed"): wolfSSL then cannot check
# its own certificate for the OCSP answer; with the CA loaded it answers
# them all.
#
# botan tls_server is an echo server; it binds the wildcard address (only
# loopback traffic reaches it) without SO_REUSEADDR, so it cannot start
# while a closed connection of this port waits in TIME_WAIT, and the
# connections it closes first keep every server (lighttpd, with
# SO_REUSEADDR, too: "Address already in use") off the port for 60 s
# (em_port_idle); it answers ALPN with "echo/0.1" whatever the client offered, which
# OpenSSL-based clients refuse (decode_error): its clients here send no
# ALPN.  It writes each handshake message as a record and segment of its
# own.  botan tls_client has no option for the server name: it is the host
# it connects to, so it runs in a private mount namespace of its own where
# /etc/hosts maps good.example to 127.0.0.1 (em_botan).  It prints the
# certificate check but never refuses on it, sends no client certificate
# (an empty Certificate when asked) and closes with close_notify and FIN
# at once when its stdin ends.  Neither lighttpd nor Botan writes a key
# log: a capture's .keys file comes from its OpenSSL and GnuTLS (and curl,
# Python) peers.
#
#   tls13-only-vs-tls12-servers  clients offering TLS 1.3 only (s_client,
#                                gnutls-cli, curl, Python) against
#                                lighttpd+mbedTLS (443) and lighttpd+wolfSSL
#                                kept to TLS 1.2 (8443): handshake_failure
#   few-suites-no-common         gnutls-cli (four AES-128-GCM suites) and
#                                s_client (three AES-128 suites) against
#                                servers of AES-256-GCM only: Botan,
#                                lighttpd+mbedTLS, lighttpd+wolfSSL
#   client-cert-empty-gnutls     gnutls-serv requiring a client certificate
#                                (TLS 1.2); s_client, gnutls-cli and Botan
#                                send an empty one: decode_error
#   healthy-embedded             (healthy framework) successful handshakes
#                                of Botan, lighttpd+mbedTLS and
#                                lighttpd+wolfSSL with OpenSSL, GnuTLS,
#                                curl, Python and Botan

EMDIR=$TMP/embedded
EMPEER=("$PY" "$EMDIR/em-peer.py")

write_embedded_peer() {
    cat >"$EMDIR/em-peer.py" <<'PYEOF'
"""Python ssl clients for captures/scenarios-embedded.sh.

tls13 HOST PORT CA PATH
    offer TLS 1.3 only (minimum_version TLSv1_3; SNI good.example,
    verified) and GET PATH (peerlib.https_get); report how it ended.
get HOST PORT CA VERSION KEYLOG PATH [resume] [cert=CERT,KEY]
    peerlib.https_get: VERSION tls13 or tls12; handshake (SNI good.example,
    verified), send "GET PATH HTTP/1.0", read the answer until the server's
    close_notify, send ours (unwrap), close; resume: once more, offering
    the first connection's session; cert: offered when asked.
"""
import ssl, sys
import peerlib

def tls13(host, port, ca, path):
    try:
        peerlib.https_get(host, port, ca, "tls13", "-", path)
    except (ssl.SSLError, OSError) as e:
        print("handshake failed:", e, flush=True)

def get(host, port, ca, version, keylog, path, *rest):
    cert = [r[len("cert="):].split(",") for r in rest if r.startswith("cert=")]
    peerlib.https_get(host, port, ca, version, keylog, path, resume="resume" in rest,
                      cert=cert[0] if cert else None)

if sys.argv[1] == "tls13":
    tls13(*sys.argv[2:6])
elif sys.argv[1] == "get":
    get(*sys.argv[2:])
else:
    sys.exit("unknown mode " + sys.argv[1])
PYEOF
}

# em_setup: the Python peer, lighttpd's page, the hosts file of em_botan
# and Botan's policy of AES-256-GCM only (once per run).
em_setup() {
    [[ -f $EMDIR/em-peer.py ]] && return 0
    mkdir -p "$EMDIR/www"
    write_embedded_peer
    echo "hello from lighttpd" >"$EMDIR/www/index.html"
    echo "127.0.0.1 good.example" >"$EMDIR/hosts"
    echo "ciphers = AES-256/GCM" >"$EMDIR/aes256gcm.policy"
}

# em_port_idle PORT: until no closed connection of local port PORT waits
# in TIME_WAIT (see botan tls_server at the top), at most 70 s.
em_port_idle() {
    local port=$1 i
    for i in $(seq 700); do
        ss -Htan state time-wait "sport = :$port" | grep -q . || {
            ((i == 1)) || log "port $port: TIME_WAIT over after $((i / 10)) s"
            return 0
        }
        sleep 0.1
    done
    echo "make-captures.sh: port $port still has connections in TIME_WAIT" >&2; exit 1
}

# em_lighttpd LOGNAME MODULE PORT [CONFIG-LINE...]: lighttpd with mod_MODULE
# (mbedtls, wolfssl) on 127.0.0.1:PORT, good.example's certificate, the
# page of em_setup; started by SERVER (bg_server, or h_server in the
# healthy capture).
em_lighttpd() {
    local logname=$1 module=$2 port=$3 conf=$EMDIR/$1.conf; shift 3
    {
        printf '%s\n' "server.modules = ( \"mod_$module\" )" \
            "server.document-root = \"$EMDIR/www\"" \
            "server.bind = \"127.0.0.1\"" "server.port = $port" \
            "server.errorlog = \"$TMP/$logname-error.log\"" \
            'index-file.names = ( "index.html" )' \
            'mimetype.assign = ( ".html" => "text/plain" )' \
            'ssl.engine = "enable"' "ssl.pemfile = \"$CERT\"" "ssl.privkey = \"$KEY\""
        printf '%s\n' "$@"
    } >"$conf"
    rm -f "$TMP/$logname-error.log"
    "${SERVER:-bg_server}" "$logname" lighttpd -D -f "$conf"
    wait_listen "$port"
}

# em_botan_srv LOGNAME PORT [ARGS...]: botan tls_server with good.example's
# certificate on PORT (all addresses), started by SERVER as em_lighttpd.
em_botan_srv() {
    local logname=$1 port=$2; shift 2
    em_port_idle "$port"
    "${SERVER:-bg_server}" "$logname" botan tls_server "$CERT" "$KEY" --port="$port" "$@"
    wait_listen "$port"
}

# em_botan LOGNAME TEXT PORT [ARGS...]: botan tls_client to good.example
# (127.0.0.1 by its own /etc/hosts) port PORT, trusting the run's CA only;
# TEXT (printf %b) is sent 0.3 s after start, its stdin ends 0.7 s later.
em_botan() {
    local logname=$1 text=$2 port=$3; shift 3
    # shellcheck disable=SC2016  # $0 and $@ are the inner sh's
    { sleep 0.3; printf '%b' "$text"; sleep 0.7; } |
        timeout 10 unshare -m sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$EMDIR/hosts" \
            botan tls_client good.example --port="$port" --trusted-cas="$CA" --skip-system-cert-store "$@" \
            >"$TMP/$logname.log" 2>&1 || true
}

# ------------------------------------------------------------ failures ---

# em_tls13_clients LABEL PORT: s_client -tls1_3, gnutls-cli (TLS 1.3 only),
# curl --tlsv1.3 and the Python client (minimum_version TLSv1_3) to
# 127.0.0.1:PORT, one connection each, each expecting handshake_failure.
em_tls13_clients() {
    local label=$1 port=$2
    s_client_try "$label-openssl" -connect "127.0.0.1:$port" -servername good.example -tls1_3
    client "$label-gnutls" gnutls-cli -p "$port" --x509cafile "$CA" --sni-hostname good.example \
        --verify-hostname good.example --priority NORMAL:-VERS-ALL:+VERS-TLS1.3 127.0.0.1 </dev/null
    client "$label-curl" curl -sS --cacert "$CA" --resolve "good.example:$port:127.0.0.1" --tlsv1.3 \
        "https://good.example:$port/"
    client "$label-python" "${EMPEER[@]}" tls13 127.0.0.1 "$port" "$CA" /python
    log_expect "$label-openssl" 'alert handshake failure'
    log_expect "$label-gnutls" 'Received alert \[40\]'
    log_expect "$label-curl" 'alert handshake failure'
    log_expect "$label-python" '^handshake failed: .*HANDSHAKE_FAILURE'
}

# Clients that offer TLS 1.3 only against servers of TLS 1.2 at most:
# lighttpd+mbedTLS (mbedTLS 2.28 has no TLS 1.3) on 443 (streams 0-3), then
# lighttpd+wolfSSL kept to TLS 1.2 (MaxProtocol TLSv1.2) on 8443 (4-7), each
# with s_client -tls1_3, gnutls-cli (TLS 1.3 only), curl --tlsv1.3 and
# Python (minimum_version TLSv1_3).  Neither names the version: each answers
# the ClientHello with handshake_failure (40), as for no common suite (it
# sees only TLS 1.3 suites), and no ServerHello.  No key log: no secret is
# derived before a ServerHello.
scenario_tls13_only_vs_tls12_servers() {
    local name=tls13-only-vs-tls12-servers
    em_setup
    start_capture $name 'tcp port 443 or tcp port 8443'
    em_lighttpd mbedtls mbedtls 443
    em_tls13_clients mbedtls 443
    stop_servers
    em_lighttpd wolfssl wolfssl 8443 'ssl.openssl.ssl-conf-cmd = ( "MaxProtocol" => "TLSv1.2" )'
    em_tls13_clients wolfssl 8443
    stop_capture
    log_count mbedtls-error 'no ciphersuites in common' 4
    # (wolfSSL logs each refusal four times over.)
    log_expect wolfssl-error "-501 can't match cipher suite"
    capture_want "ClientHellos" "$(capture_fields 'tls.handshake.type == 1' frame.number | wc -w)" 8
    capture_want "ClientHellos offering TLS 1.2" \
        "$(capture_fields 'tls.handshake.type == 1 && tls.handshake.extensions.supported_version == 0x0303' \
            frame.number)" ""
    capture_want "ServerHellos" "$(capture_fields 'tls.handshake.type == 2' frame.number)" ""
    capture_want "the servers' alerts" \
        "$(capture_fields 'tcp.srcport in {443,8443} && tls.alert_message.level == 2' tls.alert_message.desc)" \
        "40 40 40 40 40 40 40 40"
    capture_want "their streams" "$(capture_fields 'tcp.srcport in {443,8443} && tls.alert_message' tcp.stream)" \
        "0 1 2 3 4 5 6 7"
}

# em_few_suites LABEL PORT: gnutls-cli offering the four TLS 1.2
# AES-128-GCM suites only, then s_client -tls1_2 offering three AES-128
# suites, to 127.0.0.1:PORT; both expect handshake_failure.
em_few_suites() {
    local label=$1 port=$2
    client "$label-gnutls" gnutls-cli -p "$port" --x509cafile "$CA" --sni-hostname good.example \
        --verify-hostname good.example --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM' \
        127.0.0.1 </dev/null
    s_client_try "$label-openssl" -connect "127.0.0.1:$port" -servername good.example -tls1_2 \
        -cipher 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:AES128-GCM-SHA256'
    log_expect "$label-gnutls" 'Received alert \[40\]'
    log_expect "$label-openssl" 'alert handshake failure'
}

# Clients offering a few TLS 1.2 suites, all AES-128 (gnutls-cli: the four
# AES-128-GCM suites of NORMAL, 0xc02b 0xc02f 0x009c 0x009e; s_client:
# ECDHE-RSA-AES128-GCM-SHA256, ECDHE-RSA-AES128-SHA256, AES128-GCM-SHA256
# and the renegotiation SCSV), against servers that enable AES-256-GCM
# only, one after the other: botan tls_server with a policy of "ciphers =
# AES-256/GCM" on 443 (streams 0-1), lighttpd+mbedTLS with
# TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384 only on 8443 (2-3), lighttpd+wolfSSL
# with ECDHE-RSA-AES256-GCM-SHA384 only and TLS 1.2 at most on 8443 (4-5).
# Each server answers handshake_failure (40) and closes first; no
# ServerHello.  Botan's closed connections stay in TIME_WAIT for 60 s, and
# these, made without SO_REUSEADDR, keep any server from binding 443 (seen:
# lighttpd "Address already in use"): lighttpd is on 8443, and the scenario
# ends only once 443 is free again.  No key log: no secret is derived.
scenario_few_suites_no_common() {
    local name=few-suites-no-common
    em_setup
    em_port_idle 443
    start_capture $name 'tcp port 443 or tcp port 8443'
    em_botan_srv botan 443 --max-clients=2 --policy="$EMDIR/aes256gcm.policy"
    em_few_suites botan 443
    stop_servers
    em_lighttpd mbedtls mbedtls 8443 \
        'ssl.openssl.ssl-conf-cmd = ( "Ciphersuites" => "TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384" )'
    em_few_suites mbedtls 8443
    stop_servers
    wait_free 8443
    em_lighttpd wolfssl wolfssl 8443 \
        'ssl.openssl.ssl-conf-cmd = ( "CipherString" => "ECDHE-RSA-AES256-GCM-SHA384", "MaxProtocol" => "TLSv1.2" )'
    em_few_suites wolfssl 8443
    stop_capture
    log_count botan "Can't agree on a ciphersuite with client" 2
    log_count mbedtls-error 'no ciphersuites in common' 2
    log_expect wolfssl-error "-501 can't match cipher suite"
    capture_want "ClientHellos" "$(capture_fields 'tls.handshake.type == 1' frame.number | wc -w)" 6
    capture_want "gnutls-cli's suites" \
        "$(capture_fields 'tls.handshake.type == 1 && tcp.stream in {0,2,4}' tls.handshake.ciphersuite)" \
        "0xc02b,0xc02f,0x009c,0x009e 0xc02b,0xc02f,0x009c,0x009e 0xc02b,0xc02f,0x009c,0x009e"
    capture_want "s_client's suites" \
        "$(capture_fields 'tls.handshake.type == 1 && tcp.stream in {1,3,5}' tls.handshake.ciphersuite)" \
        "0xc02f,0xc027,0x009c,0x00ff 0xc02f,0xc027,0x009c,0x00ff 0xc02f,0xc027,0x009c,0x00ff"
    capture_want "ServerHellos" "$(capture_fields 'tls.handshake.type == 2' frame.number)" ""
    capture_want "the servers' alerts" \
        "$(capture_fields 'tcp.srcport in {443,8443} && tls.alert_message.level == 2' tls.alert_message.desc)" \
        "40 40 40 40 40 40"
    capture_want "their streams" "$(capture_fields 'tcp.srcport in {443,8443} && tls.alert_message' tcp.stream)" \
        "0 1 2 3 4 5"
    em_port_idle 443
}

# gnutls-serv (GnuTLS 3.7) limited to TLS 1.2, requiring a client
# certificate (--require-client-cert --verify-client-cert, trusting the
# run's CA), and three clients that have none, one after the other:
# s_client -tls1_2, gnutls-cli (TLS 1.2 only), botan tls_client.  Each
# answers the CertificateRequest with an empty Certificate (and goes on
# with its ClientKeyExchange, CCS, Finished; Botan writes its Certificate
# as a segment of its own, and the alert comes before the rest); GnuTLS
# refuses with decode_error (50), not handshake_failure or
# certificate_required, and logs "No certificate was found".  Key log:
# s_client's and gnutls-cli's (the server wrote none: it derives no secret
# before it refuses).
scenario_client_cert_empty_gnutls() {
    local name=client-cert-empty-gnutls keys
    em_setup
    keys=$(keylog_path $name)
    start_capture $name 443
    SSLKEYLOGFILE=$keys bg_server gnutls gnutls-serv --port 443 --echo --x509certfile "$CERT" \
        --x509keyfile "$KEY" --x509cafile "$CA" --require-client-cert --verify-client-cert \
        --priority NORMAL:-VERS-ALL:+VERS-TLS1.2
    wait_listen 443
    sleep 1 | timeout 10 openssl s_client -CAfile "$CA" -connect 127.0.0.1:443 -servername good.example \
        -tls1_2 -keylogfile "$keys" >"$TMP/cli-openssl.log" 2>&1 || true
    sleep 1 | SSLKEYLOGFILE=$keys timeout 10 gnutls-cli -p 443 --x509cafile "$CA" \
        --sni-hostname good.example --verify-hostname good.example \
        --priority NORMAL:-VERS-ALL:+VERS-TLS1.2 127.0.0.1 >"$TMP/cli-gnutls.log" 2>&1 || true
    em_botan cli-botan '' 443
    stop_capture
    keylog_done $name
    log_count gnutls 'No certificate was found' 3
    log_expect cli-openssl 'alert decode error'
    log_expect cli-gnutls 'Received alert \[50\]'
    log_expect cli-botan 'Certificate validation status: Verified'
    # Botan reads the alert, or fails first writing its ClientKeyExchange
    # to the closed connection (both seen).
    log_expect cli-botan '^Alert: decode_error|^Error: Socket write failed errno=32'
    capture_want "key log lines" "$(grep -c '^CLIENT_RANDOM ' "$keys")" 2
    capture_want "ClientHellos" "$(capture_fields 'tls.handshake.type == 1' frame.number | wc -w)" 3
    capture_want "CertificateRequests" "$(capture_fields 'tls.handshake.type == 13' tcp.stream)" "0 1 2"
    capture_want "the clients' certificates_length" \
        "$(capture_fields 'tcp.dstport == 443 && tls.handshake.type == 11' tls.handshake.certificates_length)" "0 0 0"
    capture_want "the server's alerts" \
        "$(capture_fields 'tcp.srcport == 443 && tls.alert_message.level == 2' tls.alert_message.desc)" "50 50 50"
    capture_want "their streams" "$(capture_fields 'tcp.srcport == 443 && tls.alert_message' tcp.stream)" "0 1 2"
}

# ------------------------------------------------------------- healthy ---

# em_sget LOGNAME ARGS...: s_client (key log) sending "GET /?LOGNAME" to
# lighttpd on HP; it must get the page.
em_sget() {
    local logname=$1; shift
    { sleep 0.3; printf 'GET /?%s HTTP/1.0\r\nHost: good.example\r\n\r\n' "$logname"; sleep 0.7; } |
        timeout 10 openssl s_client -CAfile "$CA" -connect "127.0.0.1:$HP" -servername good.example \
            -keylogfile "$HK" "$@" >"$TMP/$logname.log" 2>&1 || true
    h_expect "$logname" 1 '^(New|Reused), TLSv1\.[23], Cipher is [A-Z]'
    h_expect "$logname" 1 'Verify return code: 0 \(ok\)'
    h_expect "$logname" 1 '^hello from lighttpd'
}

# em_sget_resume LOGNAME ARGS...: em_sget twice, the second offering the
# first one's session; it must be resumed.
em_sget_resume() {
    local logname=$1 sess=$TMP/$1.sess; shift
    rm -f "$sess"
    em_sget "$logname-1" -sess_out "$sess" "$@"
    sleep 0.3
    em_sget "$logname-2" -sess_in "$sess" "$@"
    h_expect "$logname-2" 1 '^Reused, TLSv1\.[23]'
}

# em_get LOGNAME VERSION [resume] [cert=...]: the Python client's GET to
# lighttpd on HP.
em_get() {
    local logname=$1 v=$2; shift 2
    client "$logname" "${EMPEER[@]}" get 127.0.0.1 "$HP" "$CA" "$v" "$HK" "/?$logname" "$@"
    h_expect "$logname" 1 '^client got: HTTP/1\.0 200 OK'
}

# em_curl LOGNAME V [ARGS...]: curl (TLS 1.V only, key log) GET to
# good.example:HP; the page must come.
em_curl() {
    local logname=$1 v=$2; shift 2
    SSLKEYLOGFILE=$HK client "$logname" curl -sS --cacert "$CA" --resolve "good.example:$HP:127.0.0.1" \
        --tlsv"$v" --tls-max "$v" "$@" "https://good.example:$HP/?$logname"
    h_expect "$logname" 1 '^hello from lighttpd'
}

# em_botan_ok LOGNAME TEXT [ARGS...]: em_botan to HP; it must complete its
# handshake and have the certificate verified (a resumed session has no
# certificate: see the callers).
em_botan_ok() {
    local logname=$1; shift
    em_botan "$logname" "$1" "$HP" "${@:2}"
    h_expect "$logname" 1 '^Handshake complete, TLS v1\.2 using '
}

# em_h_botan_srv: the healthy capture's botan tls_server, on EM_BOTAN_PORT
# (HP for the h_* helpers called here): clients that send no ALPN.
# s_client, a line, twice (the second resumes the first's session),
# gnutls-cli --resume, curl --no-alpn (the echo server sends its request
# back, which curl reads as an HTTP/0.9 answer until it gives up after 1 s
# and closes with close_notify), Python, a line, twice (resumed), and
# botan tls_client, a line.
EM_BOTAN_PORT=8443
em_h_botan_srv() {
    local HP=$EM_BOTAN_PORT
    em_botan_srv emb-botan-srv "$HP"
    h_resume_sclient emb-botan-sclient
    h_expect emb-botan-sclient-2 1 '^hello from emb-botan-sclient-2$'
    h_resume_gnutls emb-botan-gnutls
    h_expect emb-botan-gnutls 1 '^hello from a resumed session$'
    SSLKEYLOGFILE=$HK client emb-botan-curl curl -sS -v --no-alpn --http0.9 --max-time 1 --cacert "$CA" \
        --resolve "good.example:$HP:127.0.0.1" "https://good.example:$HP/curl"
    h_expect emb-botan-curl 1 'SSL connection using TLSv1\.2'
    h_expect emb-botan-curl 1 '^GET /curl HTTP/1\.1'
    client emb-botan-py "${HPEER[@]}" client 127.0.0.1 "$HP" "$CA" tls12 "$HK" resume
    h_expect emb-botan-py 1 'client handshake OK: TLSv1\.2 .* resumed'
    h_expect emb-botan-py 2 'client closed cleanly'
    em_botan_ok emb-botan-botan 'hello from botan\n'
    h_expect emb-botan-botan 1 '^hello from botan$'
    h_stop
    h_expect emb-botan-srv 8 '^Handshake complete, TLS v1\.2 '
}

# 25. Small TLS stacks (embedded, appliances).  botan tls_server (TLS 1.2)
# on 8443 (em_h_botan_srv; its closed connections would keep any server
# from binding HP for 60 s, see em_port_idle).  lighttpd+mbedTLS (TLS 1.2;
# asks for a client certificate, does not require one): s_client twice
# (resumed), s_client with a client certificate, gnutls-cli --resume,
# curl, Python twice (resumed), Python with a client certificate, botan; a
# GET each.  lighttpd+wolfSSL (TLS 1.3 and 1.2; ssl.ca-file, see the top):
# s_client TLS 1.3 twice and TLS 1.2 twice (each pair resumed), gnutls-cli
# TLS 1.3 --resume and TLS 1.2, curl TLS 1.3 and 1.2, Python TLS 1.3 twice
# (resumed) and TLS 1.2, botan; a GET each.  botan tls_client, a line
# each, against s_server -rev (once, then twice with a session database:
# the second resumed) and gnutls-serv --echo (which asks for a client
# certificate: Botan sends an empty one).  Key log from every peer but
# Botan and lighttpd.
h_shape_embedded() {
    local SERVER=h_server v sdb=$TMP/embedded/botan-sessions.db
    em_setup
    em_h_botan_srv

    em_lighttpd emb-mbedtls mbedtls "$HP" "ssl.ca-file = \"$CA\"" \
        'ssl.verifyclient.activate = "enable"' 'ssl.verifyclient.enforce = "disable"'
    em_sget_resume emb-mbedtls-sclient
    em_sget emb-mbedtls-sclient-cert -cert "$CCERT" -key "$CKEY"
    h_gnutls emb-mbedtls-gnutls 'GET / HTTP/1.0\r\nHost: good.example\r\n\r\n' --resume 127.0.0.1
    h_expect emb-mbedtls-gnutls 1 'This is a resumed session'
    h_expect emb-mbedtls-gnutls 1 '^hello from lighttpd'
    em_curl emb-mbedtls-curl 1.2
    em_get emb-mbedtls-py tls12 resume
    h_expect emb-mbedtls-py 1 'client handshake OK: TLSv1\.2 .* resumed'
    em_get emb-mbedtls-py-cert tls12 "cert=$CCERT,$CKEY"
    em_botan_ok emb-mbedtls-botan 'GET / HTTP/1.0\r\nHost: good.example\r\n\r\n'
    h_expect emb-mbedtls-botan 1 'Certificate validation status: Verified'
    h_expect emb-mbedtls-botan 1 '^hello from lighttpd'
    h_stop

    em_lighttpd emb-wolfssl wolfssl "$HP" "ssl.ca-file = \"$CA\""
    for v in 3 2; do
        em_sget_resume "emb-wolfssl-sclient-1.$v" "-tls1_$v"
    done
    h_gnutls emb-wolfssl-gnutls-1.3 'GET / HTTP/1.0\r\nHost: good.example\r\n\r\n' --resume \
        --priority "$(gnutls_prio 1.3)" 127.0.0.1
    h_expect emb-wolfssl-gnutls-1.3 1 'This is a resumed session'
    h_expect emb-wolfssl-gnutls-1.3 1 '^hello from lighttpd'
    h_gnutls emb-wolfssl-gnutls-1.2 'GET / HTTP/1.0\r\nHost: good.example\r\n\r\n' \
        --priority "$(gnutls_prio 1.2)" 127.0.0.1
    h_expect emb-wolfssl-gnutls-1.2 1 'Description: \(TLS1\.2-X\.509\)'
    h_expect emb-wolfssl-gnutls-1.2 1 '^hello from lighttpd'
    for v in 1.3 1.2; do
        em_curl "emb-wolfssl-curl-$v" "$v"
    done
    em_get emb-wolfssl-py-1.3 tls13 resume
    h_expect emb-wolfssl-py-1.3 1 'client handshake OK: TLSv1\.3 .* resumed'
    em_get emb-wolfssl-py-1.2 tls12
    em_botan_ok emb-wolfssl-botan 'GET / HTTP/1.0\r\nHost: good.example\r\n\r\n'
    h_expect emb-wolfssl-botan 1 'Certificate validation status: Verified'
    h_expect emb-wolfssl-botan 1 '^hello from lighttpd'
    h_stop

    s_server emb-ossl-srv -accept "127.0.0.1:$HP" -naccept 3 -keylogfile "$HK"
    wait_listen "$HP"
    em_botan_ok emb-ossl-botan 'hello from botan\n'
    h_expect emb-ossl-botan 1 'Certificate validation status: Verified'
    h_expect emb-ossl-botan 1 '^natob morf olleh$'
    rm -f "$sdb"
    for v in 1 2; do
        em_botan_ok "emb-ossl-botan-sdb-$v" 'hello from botan\n' --session-db="$sdb" --session-db-pass=tlsdiag
        h_expect "emb-ossl-botan-sdb-$v" 1 '^natob morf olleh$'
    done
    h_expect emb-ossl-botan-sdb-1 1 'Certificate validation status: Verified'
    # Resumed: no certificate to check.
    if (($(h_count emb-ossl-botan-sdb-2 'Certificate validation status'))); then
        echo "  FAILED: emb-ossl-botan-sdb-2.log: a certificate checked, wanted a resumed session" >&2
        H_FAILS=$((H_FAILS + 1))
    fi
    h_stop
    h_gnutls_serv emb-gnutls-srv --echo
    em_botan_ok emb-gnutls-botan 'hello from botan\n'
    h_expect emb-gnutls-botan 1 'Certificate validation status: Verified'
    h_expect emb-gnutls-botan 1 '^hello from botan$'
    h_stop
    # mbedTLS asked every client (CertificateRequest, TLS 1.2: no keys
    # needed) and accepted the two certificates.
    h_check 2 0 'tls.handshake.type == 11 && tls.handshake.certificates_length > 0'
}

# Port 8443 for Botan's server: free of TIME_WAIT before, and again after
# (for the next scenario on 8443).
scenario_healthy_embedded() {
    em_port_idle $EM_BOTAN_PORT
    healthy embedded embedded "" "$HP" $EM_BOTAN_PORT
    em_port_idle $EM_BOTAN_PORT
}

ALL+=(few-suites-no-common tls13-only-vs-tls12-servers client-cert-empty-gnutls healthy-embedded)
